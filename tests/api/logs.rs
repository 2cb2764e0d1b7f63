//! The log names readers by id, never by address or name: the real binary at its default
//! level (`info`) through signup, confirmation, a temporary SMTP failure, a digest with a
//! bounce, and erasure.

use std::process::Stdio;
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};
use tidings::config::Settings;
use tidings::db::Db;

use crate::helpers::{Backend, fresh_database, link_in};
use crate::smtp_sink::SmtpSink;

const READERS: [(&str, &str); 3] = [
    ("ottoline.quarrie@example.org", "Ottoline"),
    ("bouncing.bartholomew@example.org", "Bartholomew"),
    ("greylisted.gwendolyn@example.org", "Gwendolyn"),
];

#[tokio::test]
async fn no_log_line_at_info_carries_a_readers_address_or_name() {
    let dir = tempfile::tempdir().unwrap();
    let (url, _pg) = fresh_database(&Backend::Sqlite, dir.path()).await;
    let mut settings = Settings::load_from(std::path::Path::new("config"), false).unwrap();
    settings.database.url = url.clone().into();
    let db = Db::connect_and_migrate(&settings.database).await.unwrap();
    let token = tidings::editors::create_token(&db, "logs").await.unwrap();
    let sink = SmtpSink::start().await;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let log_path = dir.path().join("server.log");
    let mut server = tokio::process::Command::new(env!("CARGO_BIN_EXE_tidings"))
        .arg("serve")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("RUST_LOG")
        .env("TIDINGS_SERVER__BIND", format!("127.0.0.1:{port}"))
        .env("TIDINGS_SERVER__PUBLIC_URL", &base)
        .env("TIDINGS_DATABASE__URL", &url)
        .env("TIDINGS_MAIL__TRANSPORT", "smtp")
        .env("TIDINGS_MAIL__SMTP_URL", sink.url())
        .env("TIDINGS_MAIL__RETRY_BASE", "50ms")
        .env("TIDINGS_MAIL__POLL_INTERVAL", "50ms")
        .env("TIDINGS_DIGEST__SCHEDULE", "")
        .stdin(Stdio::null())
        .stderr(std::fs::File::create(&log_path).unwrap())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let client = reqwest::Client::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while client.get(format!("{base}/healthz")).send().await.is_err() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the server never answered"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // Signups, the last one greylisted once; everyone confirms.
    for (i, (email, name)) in READERS.iter().enumerate() {
        if i == 2 {
            sink.fail_next_rcpts(&[
                "451 4.7.1 <greylisted.gwendolyn@example.org>: greylisted, try again",
            ]);
        }
        let signup = client
            .post(format!("{base}/api/v1/subscriptions"))
            .json(&json!({"email": email, "name": name, "consent": true}))
            .send()
            .await
            .unwrap();
        assert_eq!(signup.status(), StatusCode::ACCEPTED);
        let mail = sink
            .wait_for(i + 1, Duration::from_secs(15))
            .await
            .pop()
            .unwrap();
        let confirm = link_in(&mail.text(), &format!("{base}/confirm/"));
        client.post(&confirm).send().await.unwrap();
    }
    // A digest, bounced by one reader's server ("no such user", quoting the address).
    sink.fail_next_rcpts(&[
        "550 5.1.1 <bouncing.bartholomew@example.org>: Recipient address rejected: User unknown",
    ]);
    let auth = format!("Bearer {token}");
    client
        .post(format!("{base}/api/v1/articles"))
        .header("authorization", &auth)
        .json(&json!({"title": "Story", "url": "https://news.example/story"}))
        .send()
        .await
        .unwrap();
    let digest: Value = client
        .post(format!("{base}/api/v1/digests"))
        .header("authorization", &auth)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let status_url = format!("{base}/api/v1/digests/{}", digest["id"]);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let status: Value = client
            .get(&status_url)
            .header("authorization", &auth)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if status["status"] == "sent" {
            assert_eq!(status["failed"], 1, "{status}");
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "{status}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Everyone is erased.
    for id in 1..=3 {
        let erased = client
            .delete(format!("{base}/api/v1/subscribers/{id}"))
            .header("authorization", &auth)
            .send()
            .await
            .unwrap();
        assert_eq!(erased.status(), StatusCode::NO_CONTENT);
    }
    let pid = server.id().unwrap().to_string();
    std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    tokio::time::timeout(Duration::from_secs(30), server.wait())
        .await
        .unwrap()
        .unwrap();

    let log = std::fs::read_to_string(&log_path).unwrap();
    assert!(
        log.contains("reader erased") && log.contains("message failed"),
        "the paths ran:\n{log}"
    );
    let lower = log.to_lowercase();
    for (email, name) in READERS {
        let local = email.split('@').next().unwrap();
        assert!(!lower.contains(local), "{email} in the log:\n{log}");
        assert!(!log.contains(name), "{name} in the log:\n{log}");
    }
}
