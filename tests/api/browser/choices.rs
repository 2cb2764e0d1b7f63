//! A reader on a phone choosing, on their own page, the topics and cadence of one of their
//! newsletters: plain forms, readable at 375 px, accessible. And a reader picking a newsletter
//! in a form embedded on the publication's site, sent by its script.

use fantoccini::Locator;
use serde_json::json;

use super::Browser;
use crate::helpers::{Backend, TestApp};
use crate::reader_choices::{
    add_newsletter, article_on, change_newsletter, far_hour, page_path, reader_on, snippet_of,
};

/// A phone's width, in CSS pixels (an iPhone SE or mini).
const PHONE: (u32, u32) = (375, 812);

impl Browser {
    /// Fails when the page is wider than the window (a sideways scroll on a phone).
    pub(super) async fn assert_fits(&self, name: &str) {
        let overflow = self
            .client
            .execute(
                "return document.documentElement.scrollWidth > window.innerWidth;",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(overflow, json!(false), "{name} scrolls sideways on a phone");
    }

    async fn is_ticked(&self, selector: &str) -> bool {
        self.css(selector).await.is_selected().await.unwrap()
    }
}

#[tokio::test]
async fn a_reader_chooses_topics_and_cadence_on_their_page_on_a_phone() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let app = TestApp::spawn_driven(Backend::Sqlite).await;
    let token = app.api_token().await;
    change_newsletter(
        &app,
        &token,
        "news",
        json!({"cadences": ["daily", "weekly"], "send_hour": far_hour(), "description": "The day's news, briefly"}),
    )
    .await;
    add_newsletter(
        &app,
        &token,
        json!({"slug": "weekend", "name": "The Weekend Read", "description": "Long reads for Saturday morning",
               "topics": ["culture", "sport"], "cadences": ["weekly"], "send_hour": far_hour()}),
    )
    .await;
    reader_on(&app, "ada@example.com", &["news", "weekend"]).await;
    article_on(&app, &token, "Parliament votes", "politics").await;
    article_on(&app, &token, "Cup final", "sport").await;
    article_on(&app, &token, "New bridge opens", "local-news").await;
    let path = page_path(&app, "ada@example.com").await;
    browser
        .client
        .set_window_size(PHONE.0, PHONE.1)
        .await
        .unwrap();

    // The signup form with its choices, first.
    browser.goto(&format!("{}/", app.address)).await;
    browser.css("#newsletter-weekend").await;
    browser.screenshot("39-signup-choices-phone").await;
    browser.assert_fits("the signup form").await;
    browser
        .assert_accessible("the signup form with newsletters, topics and cadences")
        .await;

    browser.goto(&format!("{}{path}", app.address)).await;
    browser.css("#newsletter-news").await;
    browser.screenshot("40-reader-newsletters-phone").await;
    browser.assert_fits("the reader's page").await;
    browser
        .assert_accessible("the reader's page with their newsletters")
        .await;
    assert!(!browser.is_ticked("#topic-news-sport").await);
    assert!(browser.is_ticked("#cadence-news-scheduled").await);

    // Labels are what a thumb hits.
    browser.click("label[for='topic-news-sport']").await;
    browser.click("label[for='topic-news-local-news']").await;
    browser.click("label[for='cadence-news-weekly']").await;
    browser
        .click("#newsletter-news form[action$='/newsletters/news'] button[type=submit]")
        .await;

    let notice = browser
        .wait_for_text("#newsletter-news p.notice", "Saved")
        .await;
    assert!(notice.contains("The Tidings Newsletter"), "{notice}");
    assert!(
        browser.url().await.ends_with("#newsletter-news"),
        "back at the newsletter chosen for"
    );
    assert!(browser.is_ticked("#topic-news-sport").await);
    assert!(browser.is_ticked("#topic-news-local-news").await);
    assert!(!browser.is_ticked("#topic-news-politics").await);
    assert!(browser.is_ticked("#cadence-news-weekly").await);
    let summary = browser.text("#newsletter-news .summary-line").await;
    assert!(
        summary.contains("once a week") && summary.contains("Local news, Sport"),
        "{summary}"
    );
    let weekend = browser.text("#newsletter-weekend .summary-line").await;
    assert!(
        weekend.contains("every topic"),
        "the other is untouched: {weekend}"
    );
    // The weekend newsletter offers its own topics only, not every article's.
    assert!(
        browser
            .client
            .find(Locator::Css("#topic-weekend-politics"))
            .await
            .is_err()
    );
    browser.screenshot("41-reader-choice-saved-phone").await;
    browser.assert_fits("the reader's page after saving").await;
    browser
        .assert_accessible("the reader's page after saving a choice")
        .await;
    browser.close().await;
}

/// An article page on an origin of its own carrying `snippet`.
async fn article_site(listener: tokio::net::TcpListener, snippet: String) {
    let page = format!(
        r#"<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Cup final tonight · The Valley Courier</title>
</head>
<body>
  <main>
    <h1>Cup final tonight</h1>
    <p>Everything about the match.</p>
    <aside aria-labelledby="newsletter-heading">
      <h2 id="newsletter-heading">Our newsletters</h2>
      {snippet}
    </aside>
  </main>
</body>
</html>"#
    );
    let app = axum::Router::new().route(
        "/cup",
        axum::routing::get(move || async move { axum::response::Html(page) }),
    );
    axum::serve(listener, app).await.unwrap();
}

#[tokio::test]
async fn a_reader_picks_a_newsletter_in_an_embedded_form_and_joins_only_that_one() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let site = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = format!("http://localhost:{}", site.local_addr().unwrap().port());
    let allowed = origin.clone();
    let app = TestApp::spawn_with(Backend::Sqlite, move |s| {
        s.server.allowed_origins = vec![allowed.parse().unwrap()];
    })
    .await;
    let token = app.api_token().await;
    add_newsletter(
        &app,
        &token,
        json!({"slug": "weekend", "name": "The Weekend Read", "send_hour": far_hour()}),
    )
    .await;
    let editor = app
        .editor_page("/editor/embed?newsletters=news&newsletters=weekend&readers_choose=yes")
        .await;
    tokio::spawn(article_site(site, snippet_of(&editor)));

    browser.goto(&format!("{origin}/cup")).await;
    browser.css("#tidings-newsletter-weekend").await;
    browser
        .assert_accessible("an embedded form offering two newsletters")
        .await;
    browser.fill("#tidings-email", "ada@example.com").await;
    browser.click("#tidings-consent").await;
    browser.click("label[for='tidings-newsletter-news']").await;
    browser.click(".tidings-signup button[type=submit]").await;
    // None ticked: said at once, beside the newsletters, and nothing is sent.
    browser
        .wait_for_text("#tidings-newsletters-error", "choose at least one")
        .await;
    browser.screenshot("42-embedded-choice-none-ticked").await;
    browser
        .assert_accessible("the embedded form asking for a newsletter")
        .await;
    browser
        .click("label[for='tidings-newsletter-weekend']")
        .await;
    browser.click(".tidings-signup button[type=submit]").await;
    browser
        .wait_for_text("[data-tidings-status]", "check your inbox")
        .await;

    assert_eq!(
        browser.url().await,
        format!("{origin}/cup"),
        "sent by the script"
    );
    let mail = app.smtp.only_message().await;
    assert_eq!(mail.to, ["ada@example.com"]);
    let confirmed = app.post_form(&app.confirmation_path(&mail), &[]).await;
    assert_eq!(confirmed.status(), reqwest::StatusCode::SEE_OTHER);
    let page = app
        .get(&page_path(&app, "ada@example.com").await)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Unsubscribe from The Weekend Read?"),
        "on the weekend newsletter only: {page}"
    );
    browser.close().await;
}
