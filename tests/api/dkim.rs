//! DKIM: every message signed (RSA-2048, relaxed/relaxed) over the headers that matter,
//! checked by dkimpy, an independent verifier, when it is installed (`pip install dkimpy`;
//! `.ci/run` installs it).

use std::ffi::OsStr;
use std::path::Path;
use std::process::Command;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::json;

use crate::backend_tests;
use crate::helpers::TestApp;

/// What `openssl ARGS...` wrote to stdout; panics with its stderr when it fails.
fn openssl(args: &[&std::ffi::OsStr]) -> Vec<u8> {
    let out = Command::new("openssl").args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// A fresh RSA-2048 key in `dir` as `openssl genrsa` writes it (PKCS#8 in OpenSSL 3, or
/// PKCS#1 with `-traditional`), and its public half (base64 DER, as DNS has it).
fn rsa_key(dir: &Path, extra: &[&str]) -> (std::path::PathBuf, String) {
    let key = dir.join("dkim.pem");
    let mut args: Vec<&OsStr> = vec!["genrsa".as_ref()];
    args.extend(extra.iter().map(OsStr::new));
    args.extend(["-out".as_ref(), key.as_os_str(), "2048".as_ref()]);
    openssl(&args);
    let export = ["rsa", "-pubout", "-outform", "DER", "-in"].map(OsStr::new);
    let public = openssl(&[&export[..], &[key.as_os_str()]].concat());
    (key, STANDARD.encode(public))
}

/// A fresh Ed25519 key in `dir` and its public half as DNS has it (base64 of the 32 bytes).
fn ed25519_key(dir: &Path) -> (std::path::PathBuf, String) {
    let key = dir.join("ed25519.pem");
    let generate = ["genpkey", "-algorithm", "ed25519", "-out"].map(OsStr::new);
    openssl(&[&generate[..], &[key.as_os_str()]].concat());
    let export = ["pkey", "-pubout", "-outform", "DER", "-in"].map(OsStr::new);
    let public = openssl(&[&export[..], &[key.as_os_str()]].concat());
    (key, STANDARD.encode(&public[public.len() - 32..]))
}

fn dkimpy_available() -> bool {
    Command::new("python3")
        .args(["-c", "import dkim, nacl"])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// dkimpy's verdict on one raw message, with the RSA key published for `news2026` and any
/// further `selector=record` pairs: every signature in the message must verify.
fn dkimpy_verifies(dir: &Path, name: &str, raw: &str, public_key: &str) -> Result<(), String> {
    dkimpy_verifies_with(
        dir,
        name,
        raw,
        &[format!("news2026=v=DKIM1; k=rsa; p={public_key}")],
    )
}

fn dkimpy_verifies_with(
    dir: &Path,
    name: &str,
    raw: &str,
    records: &[String],
) -> Result<(), String> {
    let path = dir.join(format!("{name}.eml"));
    std::fs::write(&path, raw).unwrap();
    let verdict = Command::new("python3")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/dkim_verify.py"))
        .arg(&path)
        .args(records)
        .output()
        .unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&verdict.stdout),
        String::from_utf8_lossy(&verdict.stderr)
    );
    if verdict.status.success() {
        Ok(())
    } else {
        Err(said)
    }
}

fn signature_tags(raw: &str) -> String {
    let start = raw
        .find("DKIM-Signature:")
        .expect("a DKIM-Signature header");
    let rest = &raw[start..];
    let end = rest.find("\r\n").map(|i| {
        // Unfold the header: continuation lines start with white space.
        let mut end = i;
        while rest[end + 2..].starts_with([' ', '\t']) {
            end = end + 2 + rest[end + 2..].find("\r\n").unwrap();
        }
        end
    });
    rest[..end.unwrap()].replace("\r\n", "")
}

backend_tests! {
    async fn every_message_is_signed_over_the_list_headers_and_verifies(backend) {
        let dir = tempfile::tempdir().unwrap();
        let (key, public) = rsa_key(dir.path(), &[]);
        let pem = std::fs::read_to_string(&key).unwrap();
        assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"), "OpenSSL 3 writes PKCS#8: {pem:.40}");
        let app = TestApp::spawn_with(backend, |s| {
            s.dkim.domain = "localhost".into();
            s.dkim.selector = "news2026".into();
            s.dkim.private_key_path = key.clone();
        })
        .await;
        let token = app.api_token().await;
        app.confirmed_reader("ada@example.com", Some("Ada Lovelace")).await;
        app.add_article(&token, &json!({"title": "Signed story", "url": "https://news.example/s"})).await;
        let id = app.send_digest(&token).await;
        app.wait_for_digest(&token, id, "sent").await;

        let messages = app.smtp.messages();
        let digest = messages.iter().find(|m| m.data.contains("List-Unsubscribe:")).unwrap();
        let confirmation = &messages[0];
        for message in [confirmation, digest] {
            let tags = signature_tags(&message.data);
            assert!(tags.contains("a=rsa-sha256") && tags.contains("c=relaxed/relaxed"), "{tags}");
            assert!(tags.contains("d=localhost") && tags.contains("s=news2026"), "{tags}");
            let signed = tags.split("h=").nth(1).unwrap().split(';').next().unwrap().to_lowercase();
            for header in ["from", "to", "subject", "date", "message-id", "list-id", "list-unsubscribe", "list-unsubscribe-post"] {
                assert!(signed.split(':').any(|h| h.trim() == header), "{header} not in h={signed}");
            }
        }
        if !dkimpy_available() {
            eprintln!("dkimpy is not installed: independent verification skipped (pip install dkimpy pynacl)");
            return;
        }
        for (name, message) in [("confirmation", confirmation), ("digest", digest)] {
            if let Err(said) = dkimpy_verifies(dir.path(), name, &message.data, &public) {
                panic!("{name}: {said}");
            }
        }
        // And a tampered unsubscribe target no longer verifies.
        let tampered = digest.data.replacen("/unsubscribe/", "/unsubscribe/x", 1);
        assert!(
            dkimpy_verifies(dir.path(), "tampered", &tampered, &public).is_err(),
            "a changed List-Unsubscribe must break the signature"
        );
    }

    async fn a_pkcs1_key_signs_too(backend) {
        let dir = tempfile::tempdir().unwrap();
        let (key, public) = rsa_key(dir.path(), &["-traditional"]);
        assert!(std::fs::read_to_string(&key).unwrap().starts_with("-----BEGIN RSA PRIVATE KEY-----"));
        let app = TestApp::spawn_with(backend, |s| {
            s.dkim.domain = "localhost".into();
            s.dkim.selector = "news2026".into();
            s.dkim.private_key_path = key.clone();
        })
        .await;

        app.sign_up("ada@example.com").await;

        let confirmation = app.smtp.only_message().await;
        assert!(signature_tags(&confirmation.data).contains("a=rsa-sha256"));
        if dkimpy_available() {
            dkimpy_verifies(dir.path(), "pkcs1", &confirmation.data, &public).unwrap();
        }
    }

    async fn an_ed25519_signature_goes_beside_the_rsa_one_and_both_verify(backend) {
        let dir = tempfile::tempdir().unwrap();
        let (rsa, rsa_public) = rsa_key(dir.path(), &[]);
        let (ed25519, ed25519_public) = ed25519_key(dir.path());
        let app = TestApp::spawn_with(backend, |s| {
            s.dkim.domain = "localhost".into();
            s.dkim.selector = "news2026".into();
            s.dkim.private_key_path = rsa.clone();
            s.dkim.ed25519_private_key_path = ed25519.clone();
            s.dkim.ed25519_selector = "ed2026".into();
        })
        .await;
        let token = app.api_token().await;
        app.confirmed_reader("ada@example.com", None).await;
        app.add_article(&token, &json!({"title": "Signed twice", "url": "https://news.example/t"})).await;
        let id = app.send_digest(&token).await;
        app.wait_for_digest(&token, id, "sent").await;

        let messages = app.smtp.messages();
        let digest = messages.iter().find(|m| m.data.contains("List-Unsubscribe:")).unwrap();
        assert_eq!(digest.data.matches("DKIM-Signature:").count(), 2);
        let first = signature_tags(&digest.data);
        assert!(first.contains("a=ed25519-sha256") && first.contains("s=ed2026"), "{first}");
        assert!(digest.data.contains("a=rsa-sha256"));
        if !dkimpy_available() {
            eprintln!("dkimpy or PyNaCl is not installed: independent verification skipped");
            return;
        }
        let records = [
            format!("news2026=v=DKIM1; k=rsa; p={rsa_public}"),
            format!("ed2026=v=DKIM1; k=ed25519; p={ed25519_public}"),
        ];
        dkimpy_verifies_with(dir.path(), "both", &digest.data, &records).unwrap();
        let tampered = digest.data.replacen("/unsubscribe/", "/unsubscribe/x", 1);
        assert!(dkimpy_verifies_with(dir.path(), "tampered-both", &tampered, &records).is_err());
    }
}
