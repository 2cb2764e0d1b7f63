//! `tidings doctor` (and the editors' page of the same name): why mail would land in spam, or
//! why Gmail would show no unsubscribe button. Each check is `ok`, `warn` or `fail`, with one
//! line on how to fix it. DNS goes through `dns.nameservers` (the system's resolvers when
//! empty).

mod dns;
mod editor_page;

pub use editor_page::pages_router;

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::mail::{ListHeaders, OutgoingEmail, dkim};
use crate::state::AppState;
use crate::unsubscribe;
use dns::Dns;

/// The postal address `config/default.toml` ships with, which is nobody's.
pub const EXAMPLE_POSTAL_ADDRESS: &str = "Tidings Publishing, 1 Example Street, Springfield";

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Ok,
    Warn,
    Fail,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Ok => "ok",
            Verdict::Warn => "warn",
            Verdict::Fail => "fail",
        }
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Check {
    pub name: &'static str,
    pub verdict: Verdict,
    /// What was found.
    pub found: String,
    /// How to fix it; empty when it is fine.
    pub fix: String,
}

fn ok(name: &'static str, found: impl Into<String>) -> Check {
    Check {
        name,
        verdict: Verdict::Ok,
        found: found.into(),
        fix: String::new(),
    }
}

fn not_ok(
    name: &'static str,
    verdict: Verdict,
    found: impl Into<String>,
    fix: impl Into<String>,
) -> Check {
    Check {
        name,
        verdict,
        found: found.into(),
        fix: fix.into(),
    }
}

/// Every check, in the order a person would fix them.
pub async fn run(state: &AppState) -> Vec<Check> {
    let dns = match Dns::new(&state.settings.dns.nameservers) {
        Ok(dns) => Some(dns),
        Err(err) => {
            tracing::warn!(error = %err, "no DNS resolver");
            None
        }
    };
    let from_domain = state.settings.mail.from.email.domain().to_ascii_lowercase();
    let mut checks = Vec::new();
    match &dns {
        Some(dns) => {
            checks.push(spf(dns, &from_domain).await);
            checks.extend(dkim_keys(state, dns).await);
            checks.push(dmarc(state, dns, &from_domain).await);
            checks.push(return_path_mx(state, dns, &from_domain).await);
        }
        None => checks.push(not_ok(
            "DNS",
            Verdict::Fail,
            "no resolver could be set up",
            "set dns.nameservers, e.g. [\"9.9.9.9:53\"]",
        )),
    }
    checks.push(https(state));
    checks.push(one_click(state).await);
    checks.push(signed_list_headers(state));
    checks.push(postal_address(state));
    checks
}

async fn spf(dns: &Dns, domain: &str) -> Check {
    const NAME: &str = "SPF";
    let records = match dns.txt(domain).await {
        Ok(records) => records,
        Err(err) => return lookup_failed(NAME, domain, err),
    };
    let spf: Vec<&String> = records
        .iter()
        .filter(|r| r.to_ascii_lowercase().starts_with("v=spf1"))
        .collect();
    match spf.as_slice() {
        [record] => ok(NAME, format!("{domain}: {record}")),
        [] => not_ok(
            NAME,
            Verdict::Fail,
            format!("no SPF record at {domain}"),
            format!(
                "publish a TXT record at {domain} such as \"v=spf1 include:<your mail relay> -all\""
            ),
        ),
        _ => not_ok(
            NAME,
            Verdict::Fail,
            format!(
                "{} SPF records at {domain}; receivers treat that as an error",
                spf.len()
            ),
            "merge them into one v=spf1 record",
        ),
    }
}

async fn dkim_keys(state: &AppState, dns: &Dns) -> Vec<Check> {
    const NAME: &str = "DKIM key";
    let settings = &state.settings.dkim;
    let keys = match dkim::public_keys(settings) {
        Ok(Some(keys)) => keys,
        Ok(None) => {
            return vec![not_ok(
                NAME,
                Verdict::Warn,
                "messages are not DKIM-signed",
                "set dkim.domain, dkim.selector and dkim.private_key_path, and publish the public key",
            )];
        }
        Err(err) => {
            return vec![not_ok(
                NAME,
                Verdict::Fail,
                format!("{err:#}"),
                "fix the key file",
            )];
        }
    };
    let mut checks = vec![
        published_key(
            dns,
            NAME,
            &settings.selector,
            &settings.domain,
            "rsa",
            &keys.rsa,
            |published| published.ends_with(&keys.rsa),
        )
        .await,
    ];
    if let Some(ed25519) = &keys.ed25519 {
        checks.push(
            published_key(
                dns,
                "DKIM Ed25519 key",
                &settings.ed25519_selector,
                &settings.domain,
                "ed25519",
                ed25519,
                |published| published == ed25519.as_slice(),
            )
            .await,
        );
    }
    checks
}

/// Whether the `p=` of the record at `<selector>._domainkey.<domain>` is our key.
async fn published_key(
    dns: &Dns,
    name: &'static str,
    selector: &str,
    domain: &str,
    algorithm: &str,
    ours: &[u8],
    matches: impl Fn(&[u8]) -> bool,
) -> Check {
    let at = format!("{selector}._domainkey.{domain}");
    let records = match dns.txt(&at).await {
        Ok(records) => records,
        Err(err) => return lookup_failed(name, &at, err),
    };
    let fix = format!(
        "publish a TXT record at {at}: \"v=DKIM1; k={algorithm}; p=<the public key>\"{}",
        if algorithm == "rsa" {
            " (openssl rsa -in <dkim.private_key_path> -pubout -outform der | base64 -w0)"
                .to_string()
        } else {
            format!(" with p={}", STANDARD.encode(ours))
        }
    );
    let Some(p) = records.iter().find_map(|record| tag(record, "p")) else {
        return not_ok(name, Verdict::Fail, format!("no DKIM key at {at}"), fix);
    };
    let compact: String = p.chars().filter(|c| !c.is_whitespace()).collect();
    match STANDARD.decode(&compact) {
        Ok(published) if matches(&published) => ok(
            name,
            format!("{at} holds the public half of the configured key"),
        ),
        Ok(_) => not_ok(
            name,
            Verdict::Fail,
            format!("the key at {at} is not the public half of the configured key"),
            fix,
        ),
        Err(_) => not_ok(
            name,
            Verdict::Fail,
            format!("the p= at {at} is not base64"),
            fix,
        ),
    }
}

/// The value of `name=` in a `tag=value; tag=value` record.
fn tag<'a>(record: &'a str, name: &str) -> Option<&'a str> {
    record.split(';').find_map(|part| {
        let (key, value) = part.split_once('=')?;
        (key.trim().eq_ignore_ascii_case(name)).then(|| value.trim())
    })
}

/// Relaxed alignment (RFC 7489): one domain is the other or under it.
fn aligned(a: &str, b: &str) -> bool {
    let (a, b) = (a.to_ascii_lowercase(), b.to_ascii_lowercase());
    a == b || a.ends_with(&format!(".{b}")) || b.ends_with(&format!(".{a}"))
}

async fn dmarc(state: &AppState, dns: &Dns, from_domain: &str) -> Check {
    const NAME: &str = "DMARC";
    let at = format!("_dmarc.{from_domain}");
    let records = match dns.txt(&at).await {
        Ok(records) => records,
        Err(err) => return lookup_failed(NAME, &at, err),
    };
    let Some(record) = records
        .iter()
        .find(|r| r.to_ascii_lowercase().starts_with("v=dmarc1"))
    else {
        return not_ok(
            NAME,
            Verdict::Fail,
            format!("no DMARC record at {at}; Gmail and Yahoo require one of bulk senders"),
            format!(
                "publish a TXT record at {at} such as \"v=DMARC1; p=none; rua=mailto:dmarc@{from_domain}\""
            ),
        );
    };
    let dkim = &state.settings.dkim;
    let dkim_aligned = dkim.is_enabled() && aligned(&dkim.domain, from_domain);
    let envelope_domain = envelope_domain(state, from_domain);
    if !dkim_aligned && !aligned(&envelope_domain, from_domain) {
        return not_ok(
            NAME,
            Verdict::Fail,
            format!(
                "{record}, but neither the DKIM domain nor the return path ({envelope_domain}) is aligned with From ({from_domain})"
            ),
            format!("sign with dkim.domain = \"{from_domain}\" (or a domain under it)"),
        );
    }
    ok(NAME, format!("{at}: {record}"))
}

/// Where bounces go: `bounces.return_path`'s domain, or the From domain.
fn envelope_domain(state: &AppState, from_domain: &str) -> String {
    state
        .settings
        .bounces
        .return_path
        .as_ref()
        .map(|address| address.domain().to_ascii_lowercase())
        .unwrap_or_else(|| from_domain.to_string())
}

async fn return_path_mx(state: &AppState, dns: &Dns, from_domain: &str) -> Check {
    const NAME: &str = "Return path MX";
    let domain = envelope_domain(state, from_domain);
    match dns.mx(&domain).await {
        Ok(hosts) if !hosts.is_empty() => ok(NAME, format!("{domain}: {}", hosts.join(", "))),
        Ok(_) => not_ok(
            NAME,
            Verdict::Fail,
            format!(
                "no MX record at {domain}: bounces have nowhere to go, and receivers distrust such senders"
            ),
            format!(
                "publish an MX record for {domain} pointing at the server whose mailbox bounces.imap_url reads"
            ),
        ),
        Err(err) => lookup_failed(NAME, &domain, err),
    }
}

fn https(state: &AppState) -> Check {
    const NAME: &str = "HTTPS links";
    let url = &state.settings.server.public_url;
    if url.scheme() == "https" {
        ok(NAME, format!("server.public_url is {url}"))
    } else {
        not_ok(
            NAME,
            Verdict::Fail,
            format!(
                "server.public_url is {url}; mailbox providers offer one-click unsubscribe only for https links"
            ),
            "serve Tidings over https and set server.public_url to the https address",
        )
    }
}

async fn one_click(state: &AppState) -> Check {
    const NAME: &str = "One-click unsubscribe";
    let url = unsubscribe::probe_url(state);
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build();
    let response = match client {
        Ok(client) => {
            client
                .post(&url)
                .header("content-type", "application/x-www-form-urlencoded")
                .body("List-Unsubscribe=One-Click")
                .send()
                .await
        }
        Err(err) => return not_ok(NAME, Verdict::Fail, err.to_string(), "check the TLS setup"),
    };
    let fix = "make sure POST requests to /unsubscribe/... reach Tidings as they are: no redirect, no login, no bot challenge in between";
    match response {
        Ok(r) if r.status() == reqwest::StatusCode::OK => ok(
            NAME,
            "a one-click POST to an unsubscribe link answers 200 with no redirect",
        ),
        Ok(r) if r.status().is_redirection() => {
            let to = r
                .headers()
                .get("location")
                .and_then(|l| l.to_str().ok())
                .unwrap_or("elsewhere")
                .to_string();
            not_ok(
                NAME,
                Verdict::Fail,
                format!("a one-click POST is redirected ({}) to {to}", r.status()),
                fix,
            )
        }
        Ok(r) => not_ok(
            NAME,
            Verdict::Fail,
            format!("a one-click POST answers {}", r.status()),
            fix,
        ),
        Err(err) => not_ok(
            NAME,
            Verdict::Fail,
            format!("server.public_url cannot be reached from here: {err}"),
            "check server.public_url and the reverse proxy",
        ),
    }
}

/// The `h=` of the signatures of a sample digest email.
fn signed_list_headers(state: &AppState) -> Check {
    const NAME: &str = "Signed List-Unsubscribe";
    if !state.settings.dkim.is_enabled() {
        return not_ok(
            NAME,
            Verdict::Warn,
            "messages are not DKIM-signed, so neither are their List-Unsubscribe headers",
            "set up DKIM (see the DKIM key check)",
        );
    }
    let sample = OutgoingEmail {
        to: "reader@example.com".parse().expect("a valid mailbox"),
        subject: "Doctor's sample".into(),
        text: "sample".into(),
        html: "<p>sample</p>".into(),
        message_id: None,
        return_path: None,
        list: Some(ListHeaders {
            list_id: format!("<digest.{}>", state.mailer.domain()),
            unsubscribe_url: unsubscribe::probe_url(state),
            unsubscribe_mailto: None,
        }),
        attachment: None,
        from_name: None,
    };
    let built = match state.mailer.build(sample) {
        Ok(built) => built,
        Err(err) => {
            return not_ok(
                NAME,
                Verdict::Fail,
                format!("a sample message could not be signed: {err}"),
                "check the DKIM key",
            );
        }
    };
    let text = String::from_utf8_lossy(&built.bytes);
    let headers = text
        .split("\r\n\r\n")
        .next()
        .unwrap_or_default()
        .replace("\r\n\t", " ")
        .replace("\r\n ", " ");
    let signatures: Vec<&str> = headers
        .lines()
        .filter(|l| l.to_ascii_lowercase().starts_with("dkim-signature:"))
        .collect();
    let covers = |signature: &str| {
        let signed: Vec<String> = tag(signature, "h")
            .unwrap_or_default()
            .split(':')
            .map(|h| h.trim().to_ascii_lowercase())
            .collect();
        ["list-unsubscribe", "list-unsubscribe-post"]
            .iter()
            .all(|h| signed.iter().any(|s| s == h))
    };
    if !signatures.is_empty() && signatures.iter().all(|s| covers(s)) {
        ok(
            NAME,
            format!(
                "{} signature(s); h= covers List-Unsubscribe and List-Unsubscribe-Post",
                signatures.len()
            ),
        )
    } else {
        not_ok(
            NAME,
            Verdict::Fail,
            "a signature's h= leaves out List-Unsubscribe or List-Unsubscribe-Post",
            "report this: Tidings signs both",
        )
    }
}

fn postal_address(state: &AppState) -> Check {
    const NAME: &str = "Postal address";
    let address = state.settings.newsletter.postal_address.trim();
    if address == EXAMPLE_POSTAL_ADDRESS {
        not_ok(
            NAME,
            Verdict::Fail,
            "newsletter.postal_address is still the example one",
            "set newsletter.postal_address to your real postal address (CAN-SPAM asks for it)",
        )
    } else {
        ok(NAME, address)
    }
}

fn lookup_failed(name: &'static str, at: &str, err: anyhow::Error) -> Check {
    not_ok(
        name,
        Verdict::Warn,
        format!("looking up {at} failed: {err:#}"),
        "check dns.nameservers, or try again",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alignment_is_relaxed() {
        assert!(aligned("news.example", "news.example"));
        assert!(aligned("mail.news.example", "news.example"));
        assert!(aligned("news.example", "mail.news.example"));
        assert!(!aligned("othernews.example", "news.example"));
    }

    #[test]
    fn tags_are_read_from_records() {
        let record = "v=DKIM1; k=rsa; p=MIIB AQAB";
        assert_eq!(tag(record, "k"), Some("rsa"));
        assert_eq!(tag(record, "p"), Some("MIIB AQAB"));
        assert_eq!(tag(record, "t"), None);
    }
}
