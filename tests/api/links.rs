//! A reader link (unsubscribe, the reader's own page) reaches the reader it was made for and
//! nobody else: not after that reader is erased or purged, whoever signs up next.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use reqwest::StatusCode;
use serde_json::json;
use sha2::Sha256;

use crate::backend_tests;
use crate::helpers::{TestApp, link_in};

/// The path of the reader link in the newest digest email sent to `to`.
fn digest_link(app: &TestApp, to: &str) -> String {
    let mail = app
        .smtp
        .messages()
        .into_iter()
        .rev()
        .find(|m| m.to[0] == to && m.data.contains("List-Unsubscribe:"))
        .expect("a digest email");
    let link = link_in(&mail.text(), &format!("{}/unsubscribe/", app.address));
    link.strip_prefix(&app.address).unwrap().to_string()
}

/// A confirmed reader who has received a digest; returns their id and that digest's link.
async fn reader_with_a_digest(app: &TestApp, token: &str, email: &str, n: u32) -> (i64, String) {
    app.confirmed_reader(email, Some("Ada")).await;
    let url = format!("https://news.example/{n}");
    app.add_article(token, &json!({"title": format!("Story {n}"), "url": url}))
        .await;
    let digest = app.send_digest(token).await;
    app.wait_for_digest(token, digest, "sent").await;
    (
        app.subscriber_id(email).await.unwrap(),
        digest_link(app, email),
    )
}

/// Every use of a dead link: the page, one-click, renaming, the data export.
async fn assert_link_is_dead(app: &TestApp, link: &str, next_reader: &str) {
    let page = app.get(link).await;
    assert_eq!(page.status(), StatusCode::NOT_FOUND);
    let body = page.text().await.unwrap();
    assert!(
        !body.contains(next_reader) && !body.contains("Grace"),
        "{body}"
    );
    let one_click = app
        .post_raw(
            link,
            "application/x-www-form-urlencoded",
            "List-Unsubscribe=One-Click",
        )
        .await;
    assert_eq!(one_click.status(), StatusCode::NOT_FOUND);
    let rename = app
        .post_form(&format!("{link}/name"), &[("name", "Mallory")])
        .await;
    assert_eq!(rename.status(), StatusCode::NOT_FOUND);
    let export = app.post_form(&format!("{link}/data"), &[]).await;
    assert_eq!(export.status(), StatusCode::NOT_FOUND);

    assert_eq!(
        app.subscriber_status(next_reader).await.as_deref(),
        Some("confirmed")
    );
    let id = app.subscriber_id(next_reader).await.unwrap();
    let name = app
        .scalar_text("select name from subscribers where id = $1", id)
        .await;
    assert_eq!(name.as_deref(), Some("Grace"));
    let exports = app
        .scalar_i64(
            "select count(*) from outbox where subscriber_id = $1 and kind = 'data_export'",
            id,
        )
        .await;
    assert_eq!(exports, 0, "no data export queued for the next reader");
}

backend_tests! {
    async fn an_erased_readers_old_link_reaches_nobody_who_signs_up_after(backend) {
        let app = TestApp::spawn(backend).await;
        let token = app.api_token().await;
        let (ada, link) = reader_with_a_digest(&app, &token, "ada@example.com", 1).await;
        assert_eq!(app.get(&link).await.status(), StatusCode::OK, "the link works while Ada is here");

        let erased = app
            .api(reqwest::Method::DELETE, &format!("/api/v1/subscribers/{ada}"), &token)
            .send()
            .await
            .unwrap();
        assert_eq!(erased.status(), StatusCode::NO_CONTENT);
        app.confirmed_reader("grace@example.com", Some("Grace")).await;

        let grace = app.subscriber_id("grace@example.com").await.unwrap();
        assert_ne!(grace, ada, "ids that links carry are never reused");
        assert_link_is_dead(&app, &link, "grace@example.com").await;
    }

    async fn a_purged_pending_readers_old_link_reaches_nobody_who_signs_up_after(backend) {
        let app = TestApp::spawn(backend).await;
        // Ada never confirms; her confirmation email links to her page ("your data").
        assert_eq!(app.sign_up("ada@example.com").await.status(), StatusCode::ACCEPTED);
        let mail = app.smtp.only_message().await;
        let link = link_in(&mail.text(), &format!("{}/unsubscribe/", app.address));
        let link = link.strip_prefix(&app.address).unwrap().to_string();
        assert_eq!(app.get(&link).await.status(), StatusCode::OK, "the link works while Ada is here");
        let ada = app.subscriber_id("ada@example.com").await.unwrap();
        tokio::time::sleep(Duration::from_millis(5)).await;

        let purged = tidings::subscribers::retention::purge_pending(&app.db, Duration::ZERO).await.unwrap();
        assert_eq!(purged, 1, "retention deleted Ada");
        app.confirmed_reader("grace@example.com", Some("Grace")).await;

        assert_ne!(app.subscriber_id("grace@example.com").await.unwrap(), ada);
        assert_link_is_dead(&app, &link, "grace@example.com").await;
    }

    async fn links_from_before_readers_had_secrets_work_only_from_the_digest_they_got(backend) {
        let app = TestApp::spawn(backend).await;
        let token = app.api_token().await;
        let (ada, _) = reader_with_a_digest(&app, &token, "ada@example.com", 1).await;
        let digest: i64 = app.scalar_i64("select max(id) from digests where id > $1", 0).await;
        let key: String = sqlx::query_scalar("select value from app_secrets where name = 'unsubscribe'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        let legacy = |subscriber_id: i64, digest_id: i64| {
            // The format links had until readers got secrets: ids, then 16 bytes of HMAC.
            let mut payload = [subscriber_id.to_be_bytes(), digest_id.to_be_bytes()].concat();
            let mut mac = Hmac::<Sha256>::new_from_slice(&hex::decode(&key).unwrap()).unwrap();
            mac.update(&payload);
            payload.extend_from_slice(&mac.finalize().into_bytes()[..16]);
            format!("/unsubscribe/{}", URL_SAFE_NO_PAD.encode(payload))
        };

        assert_eq!(app.get(&legacy(ada, digest)).await.status(), StatusCode::OK, "from a digest Ada got");
        assert_eq!(app.get(&legacy(ada, digest + 1)).await.status(), StatusCode::NOT_FOUND, "from a digest she did not get");
        assert_eq!(app.get(&legacy(ada, 0)).await.status(), StatusCode::NOT_FOUND, "from no digest");
    }
}
