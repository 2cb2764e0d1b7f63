//! Structured logs through `tracing`: human-readable by default, JSON lines when
//! `log.json = true`; the level comes from `RUST_LOG` (default `tidings=info,tower_http=info`).

use std::io::IsTerminal;
use std::sync::LazyLock;

use regex::Regex;
use tracing_subscriber::EnvFilter;

pub fn init(json: bool) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("tidings=info,tower_http=info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        // Colour codes only for a person at a terminal, never into a file or a pipe.
        .with_ansi(std::io::stderr().is_terminal());
    // try_init: tests and embedders may already have a subscriber.
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

/// `ada@example.com` -> `a***@example.com`: enough to follow a case in the logs, or for a
/// reader to recognise their own address on a page, not enough to harvest addresses.
pub fn mask_email(email: &str) -> String {
    match email.rsplit_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".to_string(),
    }
}

/// Free text (a server's reply, an error) with every address in it masked: SMTP servers and
/// databases quote addresses in their messages, and logs must not carry them.
pub fn redact(text: impl std::fmt::Display) -> String {
    static ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"[^\s<>()\[\]"',;:=]+@[^\s<>()\[\]"',;:=]+"#).expect("a valid pattern")
    });
    let text = text.to_string();
    ADDRESS
        .replace_all(&text, |found: &regex::Captures<'_>| mask_email(&found[0]))
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_in_free_text_are_masked() {
        let reply = "permanent error (550): 5.1.1 <ada.lovelace@example.com>: Recipient \
                     address rejected; Key (email_key)=(grace@example.org) already exists";
        let redacted = redact(reply);

        assert!(!redacted.contains("ada.lovelace") && !redacted.contains("grace@"));
        assert!(redacted.contains("<a***@example.com>") && redacted.contains("(g***@example.org)"));
        assert!(redacted.starts_with("permanent error (550): 5.1.1 <"));
        assert_eq!(redact("no address here"), "no address here");
    }
}
