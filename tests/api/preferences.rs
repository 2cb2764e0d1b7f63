//! What readers do from the link in their emails besides leaving (their name, a copy of
//! their data), and how they hear of a changed policy.

use std::time::Duration;

use mail_parser::MimeHeaders;
use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::backend_tests;
use crate::helpers::{TestApp, link_in};
use crate::smtp_sink::ReceivedMail;

/// Sends a digest of one new article and returns the mail each reader got, by address.
async fn digest_mails(app: &TestApp, token: &str, n: u32) -> Vec<ReceivedMail> {
    let before = app.smtp.messages().len();
    let url = format!("https://news.example/{n}");
    app.add_article(
        token,
        &serde_json::json!({"title": format!("Story {n}"), "url": url}),
    )
    .await;
    let digest = app.send_digest(token).await;
    let status = app.wait_for_digest(token, digest, "sent").await;
    let total = status["total"].as_u64().unwrap() as usize;
    app.smtp
        .wait_for(before + total, Duration::from_secs(10))
        .await
        .split_off(before)
}

fn mail_to<'a>(mails: &'a [ReceivedMail], address: &str) -> &'a ReceivedMail {
    mails
        .iter()
        .find(|m| m.to == [address])
        .unwrap_or_else(|| panic!("no mail to {address}"))
}

/// The path of the reader's page in a mail: the unsubscribe link's.
fn page_path(app: &TestApp, mail: &ReceivedMail) -> String {
    let link = link_in(&mail.text(), &format!("{}/unsubscribe/", app.address));
    link.strip_prefix(&app.address).unwrap().to_string()
}

async fn name_of(app: &TestApp, email_key: &str) -> Option<String> {
    sqlx::query_scalar("select name from subscribers where email_key = $1")
        .bind(email_key)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

backend_tests! {
    async fn a_reader_changes_their_name_from_the_link_in_a_digest(backend) {
        let app = TestApp::spawn(backend).await;
        let token = app.api_token().await;
        app.confirmed_reader("ada@example.com", Some("Ada")).await;
        let mails = digest_mails(&app, &token, 1).await;
        let path = page_path(&app, mail_to(&mails, "ada@example.com"));
        assert!(mails[0].text().contains(&format!("{}{path}#your-data", app.address)));

        let page = app.get(&path).await.text().await.unwrap();
        let renamed = app.post_form(&format!("{path}/name"), &[("name", "  Ada Lovelace ")]).await;
        let location = renamed.headers()["location"].to_str().unwrap().to_string();
        let after = app.get(location.split('#').next().unwrap()).await.text().await.unwrap();
        let bad = app.post_form(&format!("{path}/name"), &[("name", "Ada\u{7}")]).await;
        let bad_status = bad.status();
        let bad_page = bad.text().await.unwrap();
        let name_after_bad = name_of(&app, "ada@example.com").await;
        let next = digest_mails(&app, &token, 2).await;

        assert!(page.contains(r#"id="your-data""#), "{page}");
        assert!(page.contains(&format!(r#"action="{path}/name""#)) && page.contains(r#"value="Ada""#));
        assert!(page.contains(&format!(r#"action="{path}/data""#)));
        assert_eq!(renamed.status(), StatusCode::SEE_OTHER);
        assert_eq!(location, format!("{path}?done=name#your-data"));
        assert!(after.contains("Saved") && after.contains(r#"value="Ada Lovelace""#), "{after}");
        assert_eq!(bad_status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad_page.contains(r#"id="name-error""#) && bad_page.contains("control characters"), "{bad_page}");
        assert!(bad_page.contains("value=\"Ada\u{7}\""), "the typed value is kept");
        assert_eq!(name_after_bad.as_deref(), Some("Ada Lovelace"));
        assert!(next[0].text().contains("Hello Ada Lovelace,"), "{}", next[0].text());

        let cleared = app.post_form(&format!("{path}/name"), &[("name", "")]).await;
        assert_eq!(cleared.status(), StatusCode::SEE_OTHER);
        assert_eq!(name_of(&app, "ada@example.com").await, None);
    }

    async fn a_reader_asks_for_their_data_and_gets_it_by_email_only(backend) {
        let app = TestApp::spawn(backend).await;
        app.confirmed_reader("ada@example.com", Some("Ada")).await;
        let confirmation = app.smtp.messages().pop().unwrap();
        // The confirmation email carries the link too (it names no digest).
        let link = link_in(&confirmation.text(), &format!("{}/unsubscribe/", app.address));
        let path = link.strip_prefix(&app.address).unwrap().to_string();
        assert!(confirmation.text().contains(&format!("{link}#your-data")));

        let asked = app.post_form(&format!("{path}/data"), &[]).await;
        let location = asked.headers()["location"].to_str().unwrap().to_string();
        let page = app.get(location.split('#').next().unwrap()).await.text().await.unwrap();
        let mail = app.smtp.wait_for(2, Duration::from_secs(10)).await.pop().unwrap();

        assert_eq!(asked.status(), StatusCode::SEE_OTHER);
        assert!(page.contains("On its way"), "{page}");
        assert!(!page.contains("ada@example.com"), "the page shows none of the data");
        assert_eq!(mail.to, ["ada@example.com"]);
        let parsed = mail.parsed();
        assert_eq!(parsed.subject(), Some("Your data at The Tidings Newsletter"));
        let attachment = parsed.attachment(0).expect("the data is attached");
        assert_eq!(attachment.attachment_name(), Some("tidings-data.json"));
        let data: Value = serde_json::from_slice(attachment.contents()).unwrap();
        assert_eq!(data["subscriber"]["email"], "ada@example.com");
        assert_eq!(data["subscriber"]["name"], "Ada");
        assert_eq!(data["consent"][1]["event"], "confirmed");
        assert_eq!(data["emails"][0]["kind"], "confirmation");
        assert!(mail.text().contains("Hello Ada"), "{}", mail.text());

        // Three a day; the fourth is refused politely and queues nothing.
        for _ in 0..2 {
            assert_eq!(app.post_form(&format!("{path}/data"), &[]).await.status(), StatusCode::SEE_OTHER);
        }
        let fourth = app.post_form(&format!("{path}/data"), &[]).await;
        assert_eq!(fourth.status(), StatusCode::TOO_MANY_REQUESTS);
        assert!(fourth.text().await.unwrap().contains("three times today"));
        let queued: i64 = sqlx::query_scalar("select count(*) from outbox where kind = 'data_export'")
            .fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(queued, 3);
    }

    async fn links_of_erased_readers_and_forged_links_are_a_clear_404(backend) {
        let app = TestApp::spawn(backend).await;
        let token = app.api_token().await;
        app.confirmed_reader("ada@example.com", None).await;
        let mails = digest_mails(&app, &token, 1).await;
        let path = page_path(&app, &mails[0]);
        let id = app.subscriber_id("ada@example.com").await.unwrap();
        app.api(Method::DELETE, &format!("/api/v1/subscribers/{id}"), &token).send().await.unwrap();

        let page = app.get(&path).await;
        let name = app.post_form(&format!("{path}/name"), &[("name", "Eve")]).await;
        let data = app.post_form(&format!("{path}/data"), &[]).await;
        let forged = app.post_form("/unsubscribe/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/data", &[]).await;

        for response in [page, name, data, forged] {
            assert_eq!(response.status(), StatusCode::NOT_FOUND);
            assert!(response.text().await.unwrap().contains("This link does not work"));
        }
        assert_eq!(app.count("outbox").await, 0, "erasure took the confirmation's row; nothing new is queued");
    }

    async fn readers_who_agreed_to_an_older_policy_are_listed_and_told_once(backend) {
        let app = TestApp::spawn(backend).await;
        let token = app.api_token().await;
        app.confirmed_reader("current@example.com", None).await;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("old.csv");
        std::fs::write(&file, "email\nold@example.com\n").unwrap();
        // Imported back when the policy had an older version.
        let imported = app
            .cli_with_env(
                &["subscribers", "import", file.to_str().unwrap(), "--confirmed"],
                &[("TIDINGS_POLICY__PRIVACY_VERSION", "2025-06-01")],
            )
            .await;
        assert!(imported.status.success(), "{}", String::from_utf8_lossy(&imported.stderr));

        let before = app.cli(&["subscribers", "stale-consent"]).await;
        let first = digest_mails(&app, &token, 1).await;
        let after = app.cli(&["subscribers", "stale-consent"]).await;
        let second = digest_mails(&app, &token, 2).await;

        let rows = |output: &std::process::Output| -> Vec<csv::StringRecord> {
            csv::Reader::from_reader(output.stdout.as_slice()).records().map(Result::unwrap).collect()
        };
        let listed = rows(&before);
        assert_eq!(listed.len(), 1, "{}", String::from_utf8_lossy(&before.stdout));
        assert_eq!((&listed[0][1], &listed[0][2], &listed[0][5]), ("old@example.com", "2025-06-01", ""));
        let told = mail_to(&first, "old@example.com");
        for part in [told.text(), told.html()] {
            assert!(part.contains("updated our") && part.contains("https://example.com/privacy"), "{part}");
            assert!(part.contains("2026-01-01"));
        }
        assert!(!mail_to(&first, "current@example.com").text().contains("updated our"));
        let listed = rows(&after);
        assert_eq!(listed.len(), 1, "still listed until they agree again: nobody is dropped");
        assert!(!listed[0][5].is_empty(), "and marked as told");
        assert!(!mail_to(&second, "old@example.com").text().contains("updated our"), "told once");
    }
}
