//! The bounce mailbox, against a real IMAP server (Dovecot): delivery status notifications,
//! an abuse report and a prose bounce change their readers once, however often or by how
//! many instances the mailbox is read; what is no bounce is left flagged for a person; and
//! the running service reads the mailbox by itself.

use std::time::Duration;

use serde_json::json;
use tidings::bounces::mailbox::{self, MailboxUrl};

use crate::backend_tests;
use crate::helpers::{Backend, TestApp};
use crate::imap_server::ImapServer;

fn fixture(name: &str, values: &[(&str, &str)]) -> String {
    let path = format!(
        "{}/tests/fixtures/bounces/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut text = std::fs::read_to_string(&path).expect("fixture exists");
    for (key, value) in values {
        text = text.replace(&format!("{{{{{key}}}}}"), value);
    }
    assert!(!text.contains("{{"), "unfilled placeholder in {name}");
    text
}

async fn app_reading(backend: Backend, imap: &ImapServer, poll: Option<Duration>) -> TestApp {
    let url = imap.url();
    TestApp::spawn_with(backend, move |s| {
        s.mail.concurrency = 0;
        s.bounces.return_path = Some("bounces@news.example".parse().unwrap());
        s.bounces.soft_limit = 2;
        if let Some(every) = poll {
            s.bounces.imap_url = Some(MailboxUrl::parse(&url).unwrap());
            s.bounces.poll_interval = every;
        }
    })
    .await
}

async fn send_a_digest(app: &TestApp, token: &str, n: usize) -> i64 {
    app.add_article(
        token,
        &json!({"title": format!("Story {n}"), "url": format!("https://news.example/{n}")}),
    )
    .await;
    let id = app.send_digest(token).await;
    app.drain().await;
    id
}

/// The placeholders of a report about `email`'s copy of `digest`.
fn about(app: &TestApp, digest: i64, reader: i64, email: &str) -> Vec<(&'static str, String)> {
    vec![
        (
            "VERP",
            tidings::bounces::return_path(&app.state, digest, reader).unwrap(),
        ),
        ("EMAIL", email.to_string()),
        (
            "MESSAGE_ID",
            format!("digest-{digest}.reader-{reader}@localhost"),
        ),
        ("ID", format!("{digest}-{reader}")),
    ]
}

fn filled(name: &str, values: &[(&'static str, String)]) -> String {
    let pairs: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
    fixture(name, &pairs)
}

async fn bounced(app: &TestApp, email: &str) -> bool {
    let id = app.subscriber_id(email).await.unwrap();
    app.scalar_i64(
        "select count(*) from subscribers where id = $1 and bounced_at is not null",
        id,
    )
    .await
        == 1
}

backend_tests! {
    async fn reports_in_the_mailbox_change_their_readers_once_and_the_rest_is_flagged_for_a_person(backend) {
        let Some(imap) = ImapServer::start().await else { return };
        let app = app_reading(backend, &imap, None).await;
        let token = app.api_token().await;
        app.insert_confirmed_readers(4).await;
        let digest = send_a_digest(&app, &token, 1).await;
        let id = |n: usize| format!("reader-{n}@example.com");
        let mut readers = Vec::new();
        for n in 1..=4 {
            readers.push(app.subscriber_id(&id(n)).await.unwrap());
        }
        imap.deliver(&filled("dsn_hard.eml", &about(&app, digest, readers[0], &id(1)))).await;
        imap.deliver(&filled("arf_abuse.eml", &about(&app, digest, readers[1], &id(2)))).await;
        imap.deliver(&filled("plain_bounce.eml", &about(&app, digest, readers[2], &id(3)))).await;
        imap.deliver(&filled("auto_reply.eml", &about(&app, digest, readers[3], &id(4)))).await;
        // Anyone can write to the mailbox: a report that did not come back to a signed
        // return path, however well it names reader 4 (Message-ID, address), is not believed.
        let mut forged = about(&app, digest, readers[3], &id(4));
        forged[0].1 = "bounces+1.2.0000000000000000@news.example".to_string();
        imap.deliver(&filled("dsn_hard.eml", &forged).replace("4C3F2A0@mx", "forged@mx")).await;
        let url = MailboxUrl::parse(&imap.url()).unwrap();

        // Two instances reading at once.
        let (first, second) = tokio::join!(mailbox::poll(&app.state, &url), mailbox::poll(&app.state, &url));
        assert!(first.unwrap() + second.unwrap() >= 5);
        assert_eq!(mailbox::poll(&app.state, &url).await.unwrap(), 0, "nothing unseen is left");

        assert!(bounced(&app, &id(1)).await, "the DSN");
        assert_eq!(app.subscriber_status(&id(2)).await.as_deref(), Some("unsubscribed"), "the abuse report");
        assert!(bounced(&app, &id(3)).await, "the bounce in prose");
        assert!(!bounced(&app, &id(4)).await && app.subscriber_status(&id(4)).await.as_deref() == Some("confirmed"), "neither the auto-reply nor the forged report");
        assert_eq!(app.count("bounce_events").await, 3, "each report once");
        let status = app.digest_status(&token, digest).await;
        assert_eq!((status["bounces"]["hard"].as_i64(), status["bounces"]["complaints"].as_i64()), (Some(2), Some(1)), "{status}");
        let code = app.scalar_text("select status_code from bounce_events where subscriber_id = $1", readers[0]).await;
        assert_eq!(code.as_deref(), Some("5.1.1"));

        let flags = imap.flags().await;
        assert_eq!(flags.len(), 5);
        assert!(flags.iter().all(|f| f.contains("Seen")), "{flags:?}");
        assert!(flags[3].contains("Flagged") && flags[4].contains("Flagged") && !flags[0].contains("Flagged"), "{flags:?}");
    }

    async fn soft_failures_in_the_mailbox_count_across_digests(backend) {
        let Some(imap) = ImapServer::start().await else { return };
        let app = app_reading(backend, &imap, None).await;
        let token = app.api_token().await;
        app.insert_confirmed_readers(1).await;
        let email = "reader-1@example.com";
        let reader = app.subscriber_id(email).await.unwrap();
        let url = MailboxUrl::parse(&imap.url()).unwrap();

        let d1 = send_a_digest(&app, &token, 1).await;
        imap.deliver(&filled("dsn_soft.eml", &about(&app, d1, reader, email))).await;
        mailbox::poll(&app.state, &url).await.unwrap();
        assert!(!bounced(&app, email).await, "one soft bounce is not enough");

        let d2 = send_a_digest(&app, &token, 2).await;
        imap.deliver(&filled("dsn_soft.eml", &about(&app, d2, reader, email))).await;
        mailbox::poll(&app.state, &url).await.unwrap();
        assert!(bounced(&app, email).await, "two in a row with soft_limit = 2");
        assert_eq!(app.digest_status(&token, d2).await["bounces"]["soft"], 1);
    }

    async fn the_service_reads_the_mailbox_on_its_own(backend) {
        let Some(imap) = ImapServer::start().await else { return };
        let app = app_reading(backend, &imap, Some(Duration::from_secs(1))).await;
        let token = app.api_token().await;
        app.insert_confirmed_readers(1).await;
        let email = "reader-1@example.com";
        let reader = app.subscriber_id(email).await.unwrap();
        let digest = send_a_digest(&app, &token, 1).await;

        imap.deliver(&filled("dsn_hard.eml", &about(&app, digest, reader, email))).await;

        let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
        while !bounced(&app, email).await {
            assert!(tokio::time::Instant::now() < deadline, "the mailbox was not read");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}
