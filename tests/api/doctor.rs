//! `tidings doctor` and its editors' page against a local DNS server (dnsmasq) holding a
//! zone with good records and one with broken ones, and against the running service for the
//! one-click unsubscribe check.

use std::path::Path;
use std::process::Command;

use crate::backend_tests;
use crate::dns_server::{DnsServer, Record};
use crate::helpers::TestApp;

fn rsa_key(dir: &Path, name: &str) -> (String, String) {
    let path = dir.join(name);
    let made = Command::new("openssl")
        .args(["genrsa", "-out"])
        .arg(&path)
        .arg("2048")
        .output()
        .unwrap();
    assert!(made.status.success());
    let public = Command::new("openssl")
        .args(["rsa", "-pubout", "-outform", "der", "-in"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(public.status.success());
    use base64::Engine;
    let p = base64::engine::general_purpose::STANDARD.encode(public.stdout);
    (path.to_str().unwrap().to_string(), p)
}

/// good.example has everything; broken.example publishes another key and nothing else.
async fn zones(good_key: &str, other_key: &str) -> Option<DnsServer> {
    DnsServer::start(
        &["good.example", "broken.example"],
        &[
            Record::Txt("good.example", "v=spf1 ip4:127.0.0.1 -all".into()),
            Record::Txt("_dmarc.good.example", "v=DMARC1; p=quarantine".into()),
            Record::Txt(
                "sel._domainkey.good.example",
                format!("v=DKIM1; k=rsa; p={good_key}"),
            ),
            Record::Mx("good.example", "mx.good.example"),
            Record::Txt(
                "sel._domainkey.broken.example",
                format!("v=DKIM1; k=rsa; p={other_key}"),
            ),
        ],
    )
    .await
}

/// The lines of the report: verdict and check name.
fn verdicts(stdout: &str) -> Vec<(String, String)> {
    stdout
        .lines()
        .filter(|l| !l.starts_with(' '))
        .map(|l| {
            let (verdict, rest) = l.split_once("  ").unwrap();
            let name = rest
                .trim_start()
                .split("  ")
                .next()
                .unwrap()
                .trim()
                .to_string();
            (verdict.trim().to_string(), name)
        })
        .collect()
}

backend_tests! {
    async fn the_doctor_passes_a_well_set_up_domain_and_names_what_is_wrong_with_a_broken_one(backend) {
        let dir = tempfile::tempdir().unwrap();
        let (key, public) = rsa_key(dir.path(), "good.pem");
        let (_, other) = rsa_key(dir.path(), "other.pem");
        let Some(dns) = zones(&public, &other).await else { return };
        let app = TestApp::spawn(backend).await;
        let nameserver = dns.address();
        let good = [
            ("TIDINGS_DNS__NAMESERVERS", nameserver.as_str()),
            ("TIDINGS_SERVER__PUBLIC_URL", app.address.as_str()),
            ("TIDINGS_MAIL__FROM", "News <news@good.example>"),
            ("TIDINGS_DKIM__DOMAIN", "good.example"),
            ("TIDINGS_DKIM__SELECTOR", "sel"),
            ("TIDINGS_DKIM__PRIVATE_KEY_PATH", key.as_str()),
            ("TIDINGS_NEWSLETTER__POSTAL_ADDRESS", "Good News Ltd, 5 Real Road, Leeds"),
        ];

        let report = app.cli_with_env(&["doctor"], &good).await;

        let stdout = String::from_utf8_lossy(&report.stdout);
        let lines = verdicts(&stdout);
        let verdict = |name: &str| lines.iter().find(|(_, n)| n == name).map(|(v, _)| v.as_str()).unwrap_or_else(|| panic!("no {name} in {stdout}"));
        for name in ["SPF", "DKIM key", "DMARC", "Return path MX", "One-click unsubscribe", "Signed List-Unsubscribe", "Postal address"] {
            assert_eq!(verdict(name), "ok", "{name}: {stdout}");
        }
        assert_eq!(verdict("HTTPS links"), "fail", "the test server is http: {stdout}");
        assert!(!report.status.success(), "a failed check fails the command");
        assert!(stdout.contains("fix: serve Tidings over https"), "{stdout}");

        let broken = [
            ("TIDINGS_DNS__NAMESERVERS", nameserver.as_str()),
            ("TIDINGS_SERVER__PUBLIC_URL", app.address.as_str()),
            ("TIDINGS_MAIL__FROM", "News <news@broken.example>"),
            ("TIDINGS_DKIM__DOMAIN", "broken.example"),
            ("TIDINGS_DKIM__SELECTOR", "sel"),
            ("TIDINGS_DKIM__PRIVATE_KEY_PATH", key.as_str()),
        ];
        let report = app.cli_with_env(&["doctor"], &broken).await;
        let stdout = String::from_utf8_lossy(&report.stdout);
        let lines = verdicts(&stdout);
        for name in ["SPF", "DKIM key", "DMARC", "Return path MX", "Postal address"] {
            let found = lines.iter().find(|(_, n)| n == name).map(|(v, _)| v.as_str());
            assert_eq!(found, Some("fail"), "{name}: {stdout}");
        }
        assert!(stdout.contains("is not the public half of the configured key"), "{stdout}");
        assert!(stdout.contains("publish a TXT record at broken.example"), "{stdout}");
    }

    async fn the_editors_desk_shows_the_same_report(backend) {
        let dir = tempfile::tempdir().unwrap();
        let (key, public) = rsa_key(dir.path(), "good.pem");
        let Some(dns) = zones(&public, &public).await else { return };
        let nameserver: std::net::SocketAddr = dns.address().parse().unwrap();
        let app = TestApp::spawn_with(backend, move |s| {
            s.dns.nameservers = vec![nameserver];
            s.mail.from = "News <news@good.example>".parse().unwrap();
            s.dkim.domain = "good.example".into();
            s.dkim.selector = "sel".into();
            s.dkim.private_key_path = key.into();
        })
        .await;

        let page = app.editor_page("/editor/doctor").await;

        assert!(page.contains("Deliverability"), "{page}");
        assert!(page.contains("holds the public half of the configured key"), "{page}");
        assert!(page.contains("newsletter.postal_address is still the example one"), "{page}");
        assert!(page.contains("check failed") || page.contains("checks failed"), "{page}");
        // The probe unsubscribed nobody and answered 200.
        assert!(page.contains("answers 200 with no redirect"), "{page}");
    }
}
