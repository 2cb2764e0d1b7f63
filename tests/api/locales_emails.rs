//! Every email a reader gets is in the locale stored with them: confirmation, welcome, data
//! export, the fresh unsubscribe link and digests, with `lang` and `dir` on the HTML part. A
//! send makes one digest per locale of its readers (rendered once each, one edition), and a
//! reader whose locale changes gets the next digest in the new one.
//!
//! Until the translators are done the non-English messages are copies of English, so these
//! tests check the structure (which locale each email and digest is in), not the words.

use std::collections::{BTreeMap, BTreeSet};

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{TestApp, link_in};
use crate::smtp_sink::ReceivedMail;

/// Signs up with this locale (the API's `locale` field), sends what is due and returns the
/// confirmation email.
async fn sign_up_in(app: &TestApp, email: &str, locale: &str) -> ReceivedMail {
    let before = app.smtp.messages().len();
    let response = app
        .post_json(
            "/api/v1/subscriptions",
            &json!({"email": email, "name": "Reader", "consent": true, "locale": locale}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    app.drain().await;
    let sent = app.smtp.messages();
    assert_eq!(sent.len(), before + 1, "one confirmation email");
    sent[before].clone()
}

pub async fn confirm(app: &TestApp, confirmation: &ReceivedMail) {
    let confirmed = app
        .post_form(&app.confirmation_path(confirmation), &[])
        .await;
    assert_eq!(confirmed.status(), StatusCode::SEE_OTHER);
}

/// The `<html>` element of an HTML part: its language and direction.
fn html_element(lang: &str, dir: &str) -> String {
    format!(r#"<html lang="{lang}" dir="{dir}">"#)
}

fn dir_of(lang: &str) -> &'static str {
    if lang == "ar" { "rtl" } else { "ltr" }
}

/// Asserts the email's HTML part is in `lang`, and that it has a plain-text part too.
pub fn assert_in(mail: &ReceivedMail, lang: &str) {
    let html = mail.html();
    assert!(
        html.contains(&html_element(lang, dir_of(lang))),
        "{:?} should be in {lang}: {html}",
        mail.to
    );
    assert!(!mail.text().is_empty(), "a plain-text part");
}

/// The messages sent to `to` since the first `from` messages.
pub fn mail_to(app: &TestApp, from: usize, to: &str) -> Vec<ReceivedMail> {
    app.smtp.messages()[from..]
        .iter()
        .filter(|m| m.to == [to])
        .cloned()
        .collect()
}

/// Creates a digest of what is new (or of `article_ids`), returns its JSON answer.
async fn send(app: &TestApp, token: &str, body: Value) -> Value {
    let response = app
        .api(Method::POST, "/api/v1/digests", token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    response.json().await.unwrap()
}

fn ids(created: &Value) -> Vec<i64> {
    created["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| id.as_i64().unwrap())
        .collect()
}

/// The stored locale of each digest.
async fn digest_locales(app: &TestApp, ids: &[i64]) -> BTreeMap<i64, String> {
    let mut found = BTreeMap::new();
    for id in ids {
        let locale = app
            .scalar_text("select locale from digests where id = $1", *id)
            .await
            .unwrap();
        found.insert(*id, locale);
    }
    found
}

/// The digest a digest email belongs to, from its Message-ID (`digest-<id>.reader-<id>@…`).
fn digest_of(mail: &ReceivedMail) -> i64 {
    let id = mail.parsed().message_id().unwrap().to_string();
    id.strip_prefix("digest-")
        .and_then(|rest| rest.split('.').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("not a digest's Message-ID: {id}"))
}

async fn set_locale(app: &TestApp, email: &str, locale: &str) {
    sqlx::query("update subscribers set locale = $1 where email_key = $2")
        .bind(locale)
        .bind(email)
        .execute(&app.db.pool)
        .await
        .unwrap();
}

const READERS: [(&str, &str); 3] = [
    ("ada@example.com", "en"),
    ("bea@example.com", "de"),
    ("cyd@example.com", "ar"),
];

backend_tests! {
    async fn confirmation_and_welcome_emails_are_in_the_readers_locale(backend) {
        let app = TestApp::spawn_driven(backend).await;
        let token = app.api_token().await;
        let response = app
            .api(Method::PATCH, "/api/v1/newsletters/news", &token)
            .json(&json!({"welcome_body": "Glad you are here."}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);

        let mut confirmations = Vec::new();
        for (email, locale) in READERS {
            let mail = sign_up_in(&app, email, locale).await;
            assert_in(&mail, locale);
            let stored = app.scalar_text("select locale from subscribers where id = $1", app.subscriber_id(email).await.unwrap()).await;
            assert_eq!(stored.as_deref(), Some(locale));
            confirmations.push(mail);
        }
        let arabic = confirmations[2].html();
        assert!(arabic.contains(r#"lang="ar" dir="rtl" style="background:#f4f1ea;""#), "the outer table too, for clients that drop <html>: {arabic}");
        assert_eq!(confirmations[0].parsed().subject(), Some("Please confirm your subscription to The Tidings Newsletter"));
        let english = confirmations[0].text().replace("\r\n", "\n");
        assert!(english.starts_with("Hello Reader,\n\nplease confirm that you want to receive The Tidings Newsletter"), "{english}");

        let before = app.smtp.messages().len();
        for mail in &confirmations {
            confirm(&app, mail).await;
        }
        app.drain().await;
        for (email, locale) in READERS {
            let welcomes = mail_to(&app, before, email);
            assert_eq!(welcomes.len(), 1, "one welcome for {email}");
            assert_in(&welcomes[0], locale);
            assert!(welcomes[0].html().contains("Glad you are here."), "the editors' words as written");
        }
    }

    async fn a_send_makes_one_digest_per_locale_and_each_reader_gets_theirs(backend) {
        let app = TestApp::spawn_driven(backend).await;
        let token = app.api_token().await;
        for (email, locale) in READERS {
            let mail = sign_up_in(&app, email, locale).await;
            confirm(&app, &mail).await;
        }
        // A second German reader shares the German digest.
        let mail = sign_up_in(&app, "dag@example.com", "de").await;
        confirm(&app, &mail).await;
        app.drain().await;
        app.add_article(&token, &json!({"title": "Tides turn", "url": "https://news.example/tides", "author": "A. Writer"})).await;

        let before = app.smtp.messages().len();
        let created = send(&app, &token, json!({})).await;
        let ids = ids(&created);
        assert_eq!(ids.len(), 3, "one digest per locale: {created}");
        assert_eq!(created["id"], ids[0]);
        let locales = digest_locales(&app, &ids).await;
        assert_eq!(locales.values().cloned().collect::<BTreeSet<_>>(), BTreeSet::from(["ar".into(), "de".into(), "en".into()]));
        assert_eq!(locales[&ids[0]], "de", "the largest group first");
        for id in &ids {
            let edition = app.scalar_i64("select edition_id from digests where id = $1", *id).await;
            assert_eq!(edition, ids[0], "one edition");
            let status = app.digest_status(&token, *id).await;
            assert_eq!(status["locale"], locales[id].as_str(), "{status}");
        }

        app.drain().await;
        for (email, locale) in READERS.into_iter().chain([("dag@example.com", "de")]) {
            let digests = mail_to(&app, before, email);
            assert_eq!(digests.len(), 1, "one digest for {email}");
            let digest = &digests[0];
            assert_in(digest, locale);
            assert_eq!(locales[&digest_of(digest)], locale, "{email} got the digest of their locale");
            assert!(digest.html().contains("Tides turn") && digest.text().contains("Tides turn"));
            // The web version of their own digest.
            let link = format!("{}/archive/{}", app.address, digest_of(digest));
            assert!(digest.html().contains(&link) && digest.text().contains(&link));
            assert_eq!(app.get(&format!("/archive/{}", digest_of(digest))).await.status(), StatusCode::OK);
        }
        let arabic = mail_to(&app, before, "cyd@example.com").pop().unwrap().html();
        assert!(arabic.contains(r#"align="left""#) && !arabic.contains("text-align:right"), "mirrored: {arabic}");
        let english = mail_to(&app, before, "ada@example.com").pop().unwrap();
        assert!(english.html().contains("text-align:right;") && english.html().contains("Read Next"));
        assert!(english.text().contains("Hello Reader, here is what to read next.") && english.text().contains("By A. Writer"));

        // The archive lists the send once.
        let list = app.get("/archive").await.text().await.unwrap();
        assert_eq!(list.matches("href=\"/archive/").count(), 1, "{list}");
        assert!(list.contains(&format!("href=\"/archive/{}\"", ids[0])), "{list}");
    }

    async fn a_reader_whose_locale_changes_gets_the_next_digest_in_it(backend) {
        let app = TestApp::spawn_driven(backend).await;
        let token = app.api_token().await;
        for (email, locale) in [("ada@example.com", "en"), ("bea@example.com", "de")] {
            let mail = sign_up_in(&app, email, locale).await;
            confirm(&app, &mail).await;
        }
        app.drain().await;
        let first = app.add_article(&token, &json!({"title": "First", "url": "https://news.example/1"})).await;
        let before = app.smtp.messages().len();
        send(&app, &token, json!({})).await;
        app.drain().await;
        assert_in(&mail_to(&app, before, "bea@example.com")[0], "de");

        // Bea now reads Arabic; Ada's stored locale is one Tidings does not ship.
        set_locale(&app, "bea@example.com", "ar").await;
        set_locale(&app, "ada@example.com", "tlh").await;
        let second = app.add_article(&token, &json!({"title": "Second", "url": "https://news.example/2"})).await;
        let before = app.smtp.messages().len();
        // Both articles: they had the first, so readers are grouped one by one.
        let created = send(&app, &token, json!({"article_ids": [first["id"], second["id"]]})).await;
        let locales = digest_locales(&app, &ids(&created)).await;
        assert_eq!(locales.values().cloned().collect::<BTreeSet<_>>(), BTreeSet::from(["ar".into(), "en".into()]), "{created}");
        app.drain().await;
        let bea = &mail_to(&app, before, "bea@example.com")[0];
        assert_in(bea, "ar");
        assert!(bea.text().contains("Second") && !bea.text().contains("First"), "never an article twice");
        assert_in(&mail_to(&app, before, "ada@example.com")[0], "en");

        // Everyone gets the same articles again: one statement per locale.
        set_locale(&app, "ada@example.com", "fr").await;
        app.add_article(&token, &json!({"title": "Third", "url": "https://news.example/3"})).await;
        let before = app.smtp.messages().len();
        let created = send(&app, &token, json!({})).await;
        let locales = digest_locales(&app, &ids(&created)).await;
        assert_eq!(locales.values().cloned().collect::<BTreeSet<_>>(), BTreeSet::from(["ar".into(), "fr".into()]));
        app.drain().await;
        assert_in(&mail_to(&app, before, "ada@example.com")[0], "fr");
        assert_in(&mail_to(&app, before, "bea@example.com")[0], "ar");
    }

    async fn previews_show_a_readers_locale_or_the_one_asked_for(backend) {
        let app = TestApp::spawn_driven(backend).await;
        let token = app.api_token().await;
        let mail = sign_up_in(&app, "bea@example.com", "de").await;
        confirm(&app, &mail).await;
        app.add_article(&token, &json!({"title": "Tides turn", "url": "https://news.example/tides"})).await;
        let bea = app.subscriber_id("bea@example.com").await.unwrap();
        let preview = |query: String| {
            let app = &app;
            let token = &token;
            async move {
                let response = app
                    .api(Method::GET, &format!("/api/v1/digests/preview{query}"), token)
                    .send()
                    .await
                    .unwrap();
                (response.status(), response.text().await.unwrap())
            }
        };

        let (status, everyone) = preview(String::new()).await;
        assert_eq!(status, StatusCode::OK);
        assert!(everyone.contains(&html_element("en", "ltr")), "the default locale: {everyone}");
        let (_, theirs) = preview(format!("?subscriber_id={bea}")).await;
        assert!(theirs.contains(&html_element("de", "ltr")), "{theirs}");
        let (_, asked) = preview(format!("?subscriber_id={bea}&locale=ar")).await;
        assert!(asked.contains(&html_element("ar", "rtl")), "{asked}");
        let (_, asked) = preview("?locale=pt-br".to_string()).await;
        assert!(asked.contains(&html_element("pt-BR", "ltr")), "{asked}");
        let (status, refused) = preview("?locale=tlh".to_string()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.contains("locale"), "{refused}");
    }

    async fn data_export_and_unsubscribe_link_emails_are_in_the_readers_locale(backend) {
        let app = TestApp::spawn_driven(backend).await;
        let confirmation = sign_up_in(&app, "cyd@example.com", "ar").await;
        confirm(&app, &confirmation).await;
        app.drain().await;
        let link = link_in(&confirmation.text(), &format!("{}/unsubscribe/", app.address));
        let path = link.strip_prefix(&app.address).unwrap().to_string();

        let before = app.smtp.messages().len();
        let asked = app.post_form(&format!("{path}/data"), &[]).await;
        assert_eq!(asked.status(), StatusCode::SEE_OTHER);
        let asked = app.post_form("/unsubscribe", &[("email", "cyd@example.com")]).await;
        assert!(asked.status().is_success() || asked.status().is_redirection(), "{}", asked.status());
        app.drain().await;

        let sent = mail_to(&app, before, "cyd@example.com");
        assert_eq!(sent.len(), 2, "the data, and a fresh link");
        for mail in &sent {
            assert_in(mail, "ar");
        }
        assert!(sent.iter().any(|m| m.parsed().attachment(0).is_some()), "the data is attached");
    }
}
