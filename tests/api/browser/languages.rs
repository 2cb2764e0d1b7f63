//! Readers in their own language (issue 18), in a browser: a form embedded "in the page's own
//! language" on a German article, and a reader's page read right to left whose language list
//! switches it to German.

use axum::response::Html;
use fantoccini::Locator;
use serde_json::json;

use super::Browser;
use crate::helpers::Backend;
use crate::locales_pages::{app_with, words};
use crate::reader_choices::{page_path, snippet_of};

/// A German article page on its own origin, with `snippet` in it.
async fn german_article(listener: tokio::net::TcpListener, snippet: String) {
    let page = format!(
        r#"<!doctype html>
<html lang="de-DE">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Die Flüsse steigen · Der Talbote</title>
</head>
<body>
  <main>
    <article><h1>Die Flüsse steigen</h1><p>Was das Hochwasser für das Tal bedeutet.</p></article>
    <aside aria-label="Newsletter">{snippet}</aside>
  </main>
</body>
</html>"#
    );
    let site = axum::Router::new().route(
        "/2026/fluesse",
        axum::routing::get(move || async move { Html(page) }),
    );
    axum::serve(listener, site).await.unwrap();
}

#[tokio::test]
async fn a_form_made_for_the_pages_own_language_speaks_and_signs_up_in_it() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let site = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = format!("http://localhost:{}", site.local_addr().unwrap().port());
    let allowed = origin.clone();
    let (app, _messages) = app_with(Backend::Sqlite, move |s| {
        s.server.allowed_origins = vec![allowed.parse().unwrap()];
    })
    .await;
    let snippet = snippet_of(&app.editor_page("/editor/embed?locale=page").await);
    tokio::spawn(german_article(site, snippet));
    let de = words(&app, "de");

    browser.goto(&format!("{origin}/2026/fluesse")).await;
    browser
        .wait_for_text(r#"label[for="tidings-email"]"#, "E-Mail-Adresse")
        .await;
    let form = browser.css("form.tidings-signup").await;
    assert_eq!(form.attr("lang").await.unwrap().as_deref(), Some("de"));
    assert!(
        browser
            .text(r#"label[for="tidings-consent"]"#)
            .await
            .contains("Datenschutzerklärung")
    );
    browser
        .screenshots_at_both_widths("50-embedded-form-in-the-pages-language")
        .await;
    browser
        .assert_accessible("a form speaking its page's language")
        .await;

    browser.fill("#tidings-email", "ada@example.com").await;
    browser.click(".tidings-signup button[type=submit]").await;
    browser
        .wait_for_text(
            "[data-tidings-status]",
            &de.count("signup-form-error", 1_usize),
        )
        .await;
    browser.click("#tidings-consent").await;
    browser.click(".tidings-signup button[type=submit]").await;
    browser
        .wait_for_text("[data-tidings-status]", &de.t("signup-accepted"))
        .await;

    let id = app.subscriber_id("ada@example.com").await.unwrap();
    assert_eq!(
        app.scalar_text("select locale from subscribers where id = $1", id)
            .await
            .as_deref(),
        Some("de")
    );
    let statement = app
        .scalar_text(
            "select t.body from consent_events e join consent_texts t on t.hash = e.text_hash
             where e.subscriber_id = $1",
            id,
        )
        .await
        .unwrap();
    assert!(statement.contains("Datenschutzerklärung"), "{statement}");
    browser.close().await;
}

#[tokio::test]
async fn a_readers_page_reads_right_to_left_and_switches_to_the_language_chosen() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let (app, _messages) = app_with(Backend::Sqlite, |_| {}).await;
    app.post_json(
        "/api/v1/subscriptions",
        &json!({"email": "ada@example.com", "consent": true, "locale": "ar"}),
    )
    .await;
    let path = page_path(&app, "ada@example.com").await;

    browser.goto(&format!("{}{path}", app.address)).await;
    let html = browser.css("html").await;
    assert_eq!(html.attr("lang").await.unwrap().as_deref(), Some("ar"));
    assert_eq!(html.attr("dir").await.unwrap().as_deref(), Some("rtl"));
    browser
        .screenshots_at_both_widths("51-reader-page-arabic")
        .await;
    browser
        .assert_accessible("the reader's page in Arabic")
        .await;

    browser
        .css("#locale")
        .await
        .select_by_value("de")
        .await
        .unwrap();
    browser
        .click(r#"form[action$="/locale"] button[type=submit]"#)
        .await;
    browser
        .wait_for_text("#your-data-heading", "Ihre Angaben")
        .await;
    let html = browser.client.find(Locator::Css("html")).await.unwrap();
    assert_eq!(html.attr("lang").await.unwrap().as_deref(), Some("de"));
    assert_eq!(html.attr("dir").await.unwrap().as_deref(), Some("ltr"));
    let notice = words(&app, "de").t1("preferences-saved-language", "language", "Deutsch");
    assert!(browser.text("#your-data .notice").await.contains(&notice));
    browser
        .screenshots_at_both_widths("52-reader-page-switched-to-german")
        .await;
    browser.close().await;
}
