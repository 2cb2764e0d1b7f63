//! An editor's way through: log in, add an article, preview the digest, send it and watch the
//! progress reach 100 %.

use std::time::Duration;

use super::Browser;
use crate::helpers::{Backend, TestApp};

const READERS: i64 = 25;

#[tokio::test]
async fn an_editor_adds_an_article_previews_sends_and_watches_the_digest_go_out() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let app = TestApp::spawn(Backend::Sqlite).await;
    app.insert_confirmed_readers(READERS).await;
    tidings::editors::create_editor(&app.db, "editor@example.com", "a long enough password")
        .await
        .unwrap();

    browser
        .goto(&format!("{}/editor/articles", app.address))
        .await;
    browser.css("#password").await;
    assert!(
        browser.url().await.ends_with("/editor/login"),
        "logged out editors are sent to log in"
    );
    browser.screenshots_at_both_widths("20-editor-login").await;
    browser.assert_accessible("the editors' login page").await;
    browser.fill("#email", "editor@example.com").await;
    browser.fill("#password", "a long enough password").await;
    browser.click("form button[type=submit]").await;

    // The editors' home comes first: the figures and what is still to set up.
    browser.wait_for_text("main", "Getting ready").await;
    browser.screenshots_at_both_widths("20-editor-home").await;
    browser.assert_accessible("the editors' home").await;
    browser
        .goto(&format!("{}/editor/articles", app.address))
        .await;
    browser.wait_for_text("h1", "Articles").await;
    browser.fill("#title", "Rivers are rising").await;
    browser.fill("#url", "https://news.example/rivers").await;
    browser
        .fill("#summary", "What the floods mean for the valley.")
        .await;
    browser
        .click("form[action='/editor/articles'] button[type=submit]")
        .await;
    browser
        .wait_for_text(".articles", "Rivers are rising")
        .await;
    browser.screenshot("21-editor-articles").await;
    browser.assert_accessible("the articles page").await;

    browser
        .goto(&format!("{}/editor/digest", app.address))
        .await;
    let summary = browser.text("main").await;
    assert!(
        summary.contains(&format!("{READERS} confirmed readers")),
        "{summary}"
    );
    let preview = browser.css("iframe.preview").await;
    browser.client.enter_frame(0).await.unwrap();
    browser.wait_for_text("body", "Rivers are rising").await;
    browser.client.enter_parent_frame().await.unwrap();
    drop(preview);
    browser
        .screenshots_at_both_widths("22-editor-digest-preview")
        .await;
    browser.assert_accessible("the digest preview page").await;

    browser.goto(&format!("{}/editor/embed", app.address)).await;
    browser.wait_for_text("#snippet", "/subscribe").await;
    browser
        .screenshots_at_both_widths("25-editor-embed-snippet")
        .await;
    browser.assert_accessible("the embed page").await;

    // Compose: an intro note and the lead story, kept in a draft, without JavaScript needed.
    browser
        .goto(&format!("{}/editor/digest", app.address))
        .await;
    browser
        .fill("#intro", "Good morning. *Three* things today.")
        .await;
    browser.click("button[value^='lead:']").await;
    browser.wait_for_text(".compose-list", "Lead story").await;
    let intro = browser.text("#intro").await;
    assert!(
        intro.contains("Three"),
        "the intro typed before pressing is kept: {intro}"
    );
    browser
        .screenshots_at_both_widths("22b-editor-compose")
        .await;
    browser.assert_accessible("the composer").await;
    browser
        .click("button[formaction='/editor/digest/confirm']")
        .await;
    browser.wait_for_text("h1", "Send this digest?").await;
    browser.screenshot("23-editor-confirm-send").await;
    browser
        .click("form[action='/editor/digest/send'] button")
        .await;

    // The page reloads itself every few seconds while the digest is going out.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let done = match browser
            .client
            .find(fantoccini::Locator::Css("table.digests progress"))
            .await
        {
            // The page may reload between finding the bar and reading it.
            Ok(progress) => progress.attr("value").await.ok().flatten().as_deref() == Some("100"),
            Err(_) => false,
        };
        if done {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "progress never reached 100%: {}",
            browser.text("main").await
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let row = browser.text("table.digests tbody tr").await;
    assert!(
        row.contains(&format!("{READERS} sent, 0 failed, of {READERS}")),
        "{row}"
    );
    browser.screenshot("24-editor-digest-sent").await;
    assert_eq!(app.smtp.messages().len(), READERS as usize);

    browser
        .goto(&format!("{}/editor/readers", app.address))
        .await;
    browser.fill("#q", "reader-1").await;
    browser.click("form.search button[type=submit]").await;
    browser
        .wait_for_text("table.readers", "reader-12@example.com")
        .await;
    browser
        .screenshots_at_both_widths("26-editor-readers")
        .await;
    browser.assert_accessible("the readers page").await;
    browser.click("a[href='/editor/readers/1']").await;
    browser.wait_for_text("h1", "reader-1@example.com").await;
    browser.screenshots_at_both_widths("27-editor-reader").await;
    browser.assert_accessible("a reader's page").await;
    browser.close().await;
}

#[tokio::test]
async fn the_api_reference_reads_well_on_phones_and_desktops() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let app = TestApp::spawn(Backend::Sqlite).await;

    browser.goto(&format!("{}/api/docs", app.address)).await;
    browser
        .wait_for_text("main", "POST /api/v1/subscriptions")
        .await;
    browser.screenshots_at_both_widths("30-api-reference").await;
    browser.assert_accessible("the API reference").await;
    browser.close().await;
}

/// Clickjacking: another site frames the editors' pages (and a reader's link page) to trick a
/// click on Send or Erase. The browser must refuse to render them inside its frame.
#[tokio::test]
async fn another_site_cannot_show_tidings_pages_in_a_frame() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let app = TestApp::spawn(Backend::Sqlite).await;
    let site = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = format!("http://localhost:{}", site.local_addr().unwrap().port());
    let page = format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Win a prize</title></head>
<body><h1>Click the button to win</h1>
<iframe id="login" src="{0}/editor/login" width="600" height="400"></iframe>
<iframe id="signup" src="{0}/" width="600" height="400"></iframe></body></html>"#,
        app.address
    );
    let router = axum::Router::new().route(
        "/prize",
        axum::routing::get(move || async move { axum::response::Html(page) }),
    );
    tokio::spawn(async move { axum::serve(site, router).await.unwrap() });

    browser.goto(&format!("{origin}/prize")).await;
    browser.wait_for_text("h1", "Click the button").await;
    tokio::time::sleep(Duration::from_millis(500)).await; // let the frames settle

    for (index, name) in [(0, "editors' login"), (1, "signup page")] {
        browser.client.enter_frame(index).await.unwrap();
        let shown = browser
            .client
            .execute(
                "return document.querySelector('form') ? document.body.innerText : '';",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(
            shown,
            serde_json::json!(""),
            "the {name} rendered inside another site's frame"
        );
        browser.client.enter_parent_frame().await.unwrap();
    }
    browser.screenshot("28-framed-by-another-site").await;
    browser.close().await;
}
