//! An editor adds a second newsletter on the Newsletters page (a refused field first), then
//! works on its next digest: the choice of newsletters and the preview as a topic choice.
//! Every page at phone and desktop width, checked with axe (which needs JavaScript: the pages
//! themselves carry no script at all, so they work the same without it).

use serde_json::json;

use super::Browser;
use crate::helpers::{Backend, TestApp};

#[tokio::test]
async fn an_editor_adds_a_newsletter_and_previews_its_digest_as_a_topic_choice() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let app = TestApp::spawn(Backend::Sqlite).await;
    let token = app.api_token().await;
    app.add_article(
        &token,
        &json!({"title": "Match report", "url": "https://news.example/match", "topics": ["sport"]}),
    )
    .await;
    app.add_article(&token, &json!({"title": "Council vote", "url": "https://news.example/vote", "topics": ["politics"]}))
        .await;
    tidings::editors::create_editor(&app.db, "editor@example.com", "a long enough password")
        .await
        .unwrap();
    browser.goto(&format!("{}/editor/login", app.address)).await;
    browser.fill("#email", "editor@example.com").await;
    browser.fill("#password", "a long enough password").await;
    browser.click("form button[type=submit]").await;
    browser.wait_for_text("main", "Getting ready").await;

    browser.click("nav a[href='/editor/newsletters']").await;
    browser.wait_for_text("h1", "Newsletters").await;
    browser
        .screenshots_at_both_widths("29-editor-newsletters")
        .await;
    let scripts = browser
        .client
        .execute("return document.scripts.length;", vec![])
        .await
        .unwrap();
    assert_eq!(scripts, json!(0), "forms only");
    browser.assert_accessible("the newsletters page").await;
    browser.fill("#name", "The Weekend Read").await;
    browser.fill("#slug", "weekend").await;
    browser.fill("#timezone", "Mars/Olympus").await;
    browser.click("#cadence_weekly").await;
    browser
        .click("form[action='/editor/newsletters#add'] button[type=submit]")
        .await;
    let error = browser.text("#timezone-error").await;
    assert!(error.contains("not an IANA time zone"), "{error}");
    assert!(
        browser
            .css("#cadence_weekly")
            .await
            .is_selected()
            .await
            .unwrap(),
        "the ticked box stays ticked"
    );
    browser
        .screenshots_at_both_widths("29-editor-newsletters-refused")
        .await;
    browser
        .assert_accessible("the newsletters page with a refused field")
        .await;
    browser.fill("#timezone", "Europe/Berlin").await;
    browser
        .click("form[action='/editor/newsletters#add'] button[type=submit]")
        .await;
    browser
        .wait_for_text("main", "Saved The Weekend Read.")
        .await;

    browser.click("a[href='/editor/newsletters/weekend']").await;
    browser.wait_for_text("h1", "The Weekend Read").await;
    browser
        .screenshots_at_both_widths("29-editor-newsletter-edit")
        .await;
    browser.assert_accessible("a newsletter's page").await;

    browser
        .goto(&format!("{}/editor/digest?newsletter=weekend", app.address))
        .await;
    browser
        .wait_for_text("h1", "The next digest of The Weekend Read")
        .await;
    browser.click("#preview-topics").await;
    browser.fill("#preview-topics-list", "sport").await;
    browser.click("form.preview-as button[type=submit]").await;
    browser
        .wait_for_text("main", "As a reader who chose sport gets it")
        .await;
    browser
        .screenshots_at_both_widths("29-editor-digest-preview-as")
        .await;
    let scripts = browser
        .client
        .execute("return document.scripts.length;", vec![])
        .await
        .unwrap();
    assert_eq!(scripts, json!(0), "forms only");
    browser
        .assert_accessible("the digest page previewing a topic choice")
        .await;
    browser.close().await;
}
