//! A reader's way through: the form embedded on an article page of another origin, the
//! confirmation link, a digest's unsubscribe link; and the signup page on Tidings itself.

use std::time::Duration;

use axum::response::Html;
use serde_json::json;

use super::Browser;
use crate::helpers::{Backend, TestApp, link_in};

/// An article page of the publication's own site, on its own origin, with `snippet` in it.
async fn article_site(listener: tokio::net::TcpListener, snippet: String) {
    let page = format!(
        r#"<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Rivers are rising · The Valley Courier</title>
  <style>body {{ font: 18px/1.6 Georgia, serif; color: #222; max-width: 42rem; margin: 0 auto; padding: 1rem; }}</style>
</head>
<body>
  <header><p><strong>The Valley Courier</strong></p></header>
  <main>
    <article>
      <h1>Rivers are rising</h1>
      <p>What the floods mean for the valley, and what the town council plans to do next spring.</p>
    </article>
    <aside aria-labelledby="newsletter-heading">
      <h2 id="newsletter-heading">Get the newsletter</h2>
      {snippet}
    </aside>
  </main>
</body>
</html>"#
    );
    let app = axum::Router::new().route(
        "/2026/rivers",
        axum::routing::get(move || async move { Html(page) }),
    );
    axum::serve(listener, app).await.unwrap();
}

/// Undoes askama's escaping of the snippet shown in the editors' textarea.
fn unescape(html: &str) -> String {
    [
        ("&#60;", "<"),
        ("&#62;", ">"),
        ("&#34;", "\""),
        ("&#39;", "'"),
        ("&#38;", "&"),
    ]
    .iter()
    .fold(html.to_string(), |text, (entity, plain)| {
        text.replace(entity, plain)
    })
}

/// Tidings, and an article page on http://localhost:<port> carrying the snippet an editor
/// copies from /editor/embed; `allowed` says whether that origin is in allowed_origins, and
/// `template_fills_return_to` whether the page's template puts its URL in `return_to` (else
/// the script does).
async fn tidings_and_article_page(
    allowed: bool,
    template_fills_return_to: bool,
) -> (TestApp, String) {
    let site = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = format!("http://localhost:{}", site.local_addr().unwrap().port());
    let allowed_origin = origin.clone();
    let app = TestApp::spawn_with(Backend::Sqlite, move |s| {
        if allowed {
            s.server.allowed_origins = vec![allowed_origin.parse().unwrap()];
        }
    })
    .await;
    let page = app.editor_page("/editor/embed").await;
    let start = page.find(r#"class="code">"#).unwrap() + r#"class="code">"#.len();
    let mut snippet = unescape(&page[start..start + page[start..].find("</textarea>").unwrap()]);
    let article = format!("{origin}/2026/rivers");
    if template_fills_return_to {
        snippet = snippet.replace(
            r#"name="return_to" value="""#,
            &format!(r#"name="return_to" value="{article}""#),
        );
    }
    tokio::spawn(article_site(site, snippet));
    (app, article)
}

#[tokio::test]
async fn a_reader_signs_up_under_an_article_confirms_and_later_unsubscribes() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let (app, article) = tidings_and_article_page(true, false).await;

    browser.goto(&article).await;
    browser.css("form.tidings-signup").await;
    browser
        .screenshots_at_both_widths("01-article-with-embedded-form")
        .await;
    browser
        .assert_accessible("the article page with the embedded form")
        .await;

    // Without consent: the API's message appears beside the checkbox, focus moves to it.
    browser.fill("#tidings-email", "ada@example.com").await;
    browser.click(".tidings-signup button[type=submit]").await;
    let error = browser
        .wait_for_text(
            r#"[data-tidings-field="consent"] #tidings-consent-error"#,
            "please tick the box",
        )
        .await;
    assert!(error.contains("Privacy Policy"), "{error}");
    let checkbox = browser.css("#tidings-consent").await;
    assert_eq!(
        checkbox.attr("aria-invalid").await.unwrap().as_deref(),
        Some("true")
    );
    assert_eq!(
        checkbox.attr("aria-describedby").await.unwrap().as_deref(),
        Some("tidings-consent-error")
    );
    assert_eq!(
        browser
            .client
            .active_element()
            .await
            .unwrap()
            .attr("id")
            .await
            .unwrap()
            .as_deref(),
        Some("tidings-consent")
    );
    browser.screenshot("02-embedded-form-without-consent").await;
    browser
        .assert_accessible("the embedded form showing an error")
        .await;
    assert_eq!(app.count("subscribers").await, 0);

    browser.click("#tidings-consent").await;
    browser.click(".tidings-signup button[type=submit]").await;
    browser
        .wait_for_text("[data-tidings-status]", "check your inbox")
        .await;
    assert!(
        browser
            .client
            .find(fantoccini::Locator::Css(".tidings-error"))
            .await
            .is_err(),
        "the old error is gone"
    );
    assert_eq!(
        browser.url().await,
        article,
        "the reader stayed on the article"
    );
    browser
        .screenshots_at_both_widths("03-embedded-form-success")
        .await;

    let mail = app.smtp.only_message().await;
    assert_eq!(mail.to, ["ada@example.com"]);
    assert_eq!(
        app.scalar_text(
            "SELECT form FROM consent_events WHERE subscriber_id = $1",
            1
        )
        .await
        .as_deref(),
        Some("embed")
    );

    browser
        .goto(&format!("{}{}", app.address, app.confirmation_path(&mail)))
        .await;
    browser.css("form[action^='/confirm/'] button").await;
    browser.screenshots_at_both_widths("04-confirm").await;
    browser.assert_accessible("the confirmation page").await;
    browser.click("form[action^='/confirm/'] button").await;
    browser.wait_for_text("h1", "You're subscribed").await;
    browser.screenshots_at_both_widths("05-confirmed").await;
    browser.assert_accessible("the confirmed page").await;
    assert_eq!(
        app.subscriber_status("ada@example.com").await.as_deref(),
        Some("confirmed")
    );

    let token = app.api_token().await;
    app.add_article(
        &token,
        &json!({"title": "Rivers are rising", "url": "https://news.example/rivers"}),
    )
    .await;
    app.send_digest(&token).await;
    let digest = app
        .smtp
        .wait_for(2, Duration::from_secs(10))
        .await
        .pop()
        .unwrap();
    let unsubscribe = link_in(&digest.text(), &format!("{}/unsubscribe/", app.address));

    let web_version = link_in(&digest.text(), &format!("{}/archive/", app.address));
    browser.goto(&web_version).await;
    browser.wait_for_text("h1", "Rivers are rising").await;
    browser.screenshots_at_both_widths("06-web-version").await;
    browser
        .assert_accessible("the web version of a digest")
        .await;
    browser.goto(&format!("{}/archive", app.address)).await;
    browser.wait_for_text("h1", "Past issues").await;
    browser.assert_accessible("the archive").await;

    browser.goto(&unsubscribe).await;
    browser.css("main form button").await;
    browser.screenshots_at_both_widths("06-unsubscribe").await;
    browser.assert_accessible("the unsubscribe page").await;
    browser.click("main form button").await;
    browser.wait_for_text("h1", "You're unsubscribed").await;
    browser.screenshots_at_both_widths("07-unsubscribed").await;
    browser.assert_accessible("the unsubscribed page").await;

    browser
        .goto(&format!(
            "{}/unsubscribe/mangled-by-a-mail-filter",
            app.address
        ))
        .await;
    browser.wait_for_text("h1", "This link does not work").await;
    browser
        .screenshots_at_both_widths("07-broken-unsubscribe-link")
        .await;
    browser
        .assert_accessible("the page of a link that does not work")
        .await;
    assert_eq!(
        app.subscriber_status("ada@example.com").await.as_deref(),
        Some("unsubscribed")
    );
    browser.close().await;
}

#[tokio::test]
async fn on_a_site_that_is_not_allowed_the_embedded_form_still_works_as_a_plain_post() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let (app, article) = tidings_and_article_page(false, false).await;

    browser.goto(&article).await;
    browser.fill("#tidings-email", "grace@example.com").await;
    browser.click("#tidings-consent").await;
    browser.click(".tidings-signup button[type=submit]").await;

    // The browser refuses the script's request (no CORS), so the form posts the plain way and,
    // the page not being allowed as return_to either, the reader lands on Tidings' own page.
    browser.wait_for_text("h1", "Check your inbox").await;
    assert_eq!(
        browser.url().await,
        format!("{}/subscribe/thanks?to=g***%40example.com", app.address)
    );
    assert!(browser.text("main").await.contains("g***@example.com"));
    assert_eq!(app.smtp.only_message().await.to, ["grace@example.com"]);
    browser.close().await;
}

#[tokio::test]
async fn without_javascript_the_embedded_form_posts_and_brings_the_reader_back_to_the_article() {
    let Some(browser) = Browser::start_without_javascript().await else {
        return;
    };
    let (app, article) = tidings_and_article_page(true, true).await;

    browser.goto(&article).await;
    assert!(
        !browser
            .css("#tidings-subscribed")
            .await
            .is_displayed()
            .await
            .unwrap(),
        "no message before"
    );
    browser.fill("#tidings-email", "noscript@example.com").await;
    browser.click("#tidings-consent").await;
    browser.click(".tidings-signup button[type=submit]").await;

    browser
        .wait_for_text("#tidings-subscribed", "check your inbox")
        .await;
    assert_eq!(
        browser.url().await,
        format!("{article}?tidings=subscribed#tidings-subscribed")
    );
    assert!(
        browser
            .css("#tidings-subscribed")
            .await
            .is_displayed()
            .await
            .unwrap()
    );
    assert!(
        !browser
            .css("#tidings-rate-limited")
            .await
            .is_displayed()
            .await
            .unwrap()
    );
    browser
        .screenshots_at_both_widths("08-embedded-form-returned-without-javascript")
        .await;
    // (axe-core is a script itself, so it cannot run here; the other tests check these pages.)
    assert_eq!(app.smtp.only_message().await.to, ["noscript@example.com"]);

    // Mistakes are shown on Tidings' own page, which still knows the way back.
    browser.goto(&article).await;
    browser.fill("#tidings-email", "not-an-address").await;
    browser.click(".tidings-signup button[type=submit]").await;
    browser.wait_for_text("#email-error", "address").await;
    browser.css("#consent-error").await;
    browser.fill("#email", "noscript2@example.com").await;
    browser.click("#consent").await;
    browser
        .click("form[action='/subscribe'] button[type=submit]")
        .await;
    browser
        .wait_for_text("#tidings-subscribed", "check your inbox")
        .await;
    assert!(browser.url().await.starts_with(&article));
    browser.close().await;
}

#[tokio::test]
async fn the_signup_page_reads_well_on_phones_and_desktops_and_in_focus_order() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let app = TestApp::spawn(Backend::Sqlite).await;

    browser.goto(&app.address).await;
    browser.css("form[action='/subscribe']").await;
    browser.screenshots_at_both_widths("10-signup").await;
    browser.assert_accessible("the signup page").await;
    let order = browser.tab_order(7).await;
    let position = |id: &str| {
        order
            .iter()
            .position(|o| o == id)
            .unwrap_or_else(|| panic!("{id} never focused: {order:?}"))
    };
    assert!(
        position("email") < position("name") && position("name") < position("consent"),
        "{order:?}"
    );
    assert!(position("consent") < position("Sign up"), "{order:?}");
    assert!(
        !order.iter().any(|o| o == "website"),
        "the honeypot is not in the tab order: {order:?}"
    );

    browser
        .click("form[action='/subscribe'] button[type=submit]")
        .await;
    browser
        .wait_for_text("#consent-error", "please tick the box")
        .await;
    browser.css("#email-error").await;
    browser.screenshots_at_both_widths("11-signup-errors").await;
    browser
        .assert_accessible("the signup page showing errors")
        .await;

    browser.fill("#email", "lin@example.com").await;
    browser.click("#consent").await;
    browser
        .click("form[action='/subscribe'] button[type=submit]")
        .await;
    browser.wait_for_text("h1", "Check your inbox").await;
    browser.screenshots_at_both_widths("12-thanks").await;
    browser.assert_accessible("the thank-you page").await;
    assert_eq!(app.smtp.only_message().await.to, ["lin@example.com"]);
    browser.close().await;
}
