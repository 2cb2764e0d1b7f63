//! Readers in German and Arabic on a phone: the signup page and their own page in their
//! language, `lang` and `dir` right, mirrored for Arabic, no sideways scroll, accessible.

use serde_json::json;
use tidings::i18n::{Catalog, Locale, Words};

use super::Browser;
use crate::helpers::{Backend, TestApp};
use crate::reader_choices::{confirm_latest, page_path};

const PHONE: (u32, u32) = (375, 812);

fn words(tag: &str) -> Words {
    Catalog::load(None)
        .unwrap()
        .words(tag.parse::<Locale>().unwrap())
}

impl Browser {
    async fn attribute_of_page(&self, name: &str) -> String {
        let value = self
            .client
            .execute(
                &format!("return document.documentElement.getAttribute('{name}');"),
                vec![],
            )
            .await
            .unwrap();
        value.as_str().unwrap_or_default().to_string()
    }
}

/// A reader on the list in `locale`, confirmed.
async fn reader_in(app: &TestApp, email: &str, locale: &str) {
    let response = app
        .post_json(
            "/api/v1/subscriptions",
            &json!({"email": email, "consent": true, "locale": locale}),
        )
        .await;
    assert_eq!(response.status(), reqwest::StatusCode::ACCEPTED);
    confirm_latest(app, email).await;
}

#[tokio::test]
async fn german_and_arabic_readers_sign_up_and_see_their_page_in_their_language() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let app = TestApp::spawn_driven(Backend::Sqlite).await;
    browser
        .client
        .set_window_size(PHONE.0, PHONE.1)
        .await
        .unwrap();
    let newsletter = app.settings.newsletter.name.clone();

    for (tag, dir, shot) in [
        ("de", "ltr", "60-signup-de-phone"),
        ("ar", "rtl", "61-signup-ar-phone"),
    ] {
        let t = words(tag);
        browser
            .goto(&format!("{}/?locale={tag}", app.address))
            .await;
        browser.css("#email").await;
        assert_eq!(browser.attribute_of_page("lang").await, tag);
        assert_eq!(browser.attribute_of_page("dir").await, dir);
        let heading = browser.text("h1").await;
        assert_eq!(heading, t.t1("signup-heading", "newsletter", &newsletter));
        assert_ne!(
            heading,
            words("en").t1("signup-heading", "newsletter", &newsletter),
            "{tag} is translated"
        );
        browser.screenshot(shot).await;
        browser
            .assert_fits(&format!("the signup page in {tag}"))
            .await;
        browser
            .assert_accessible(&format!("the signup page in {tag}"))
            .await;

        // A mistake is pointed out in the reader's language.
        browser.fill("#email", "not-an-address").await;
        browser.click("button[type=submit]").await;
        let error = browser.text("#email-error").await;
        assert!(error.contains(&t.t("error-email-no-at")), "{tag}: {error}");
        assert_eq!(browser.attribute_of_page("lang").await, tag);
        browser
            .assert_accessible(&format!("the signup page with an error in {tag}"))
            .await;
    }

    for (tag, dir, shot) in [
        ("de", "ltr", "62-reader-page-de-phone"),
        ("ar", "rtl", "63-reader-page-ar-phone"),
    ] {
        let email = format!("reader-{tag}@example.com");
        reader_in(&app, &email, tag).await;
        let path = page_path(&app, &email).await;
        browser.goto(&format!("{}{path}", app.address)).await;
        browser.css("#your-data").await;
        assert_eq!(browser.attribute_of_page("lang").await, tag);
        assert_eq!(browser.attribute_of_page("dir").await, dir);
        browser.screenshot(shot).await;
        browser
            .assert_fits(&format!("the reader's page in {tag}"))
            .await;
        browser
            .assert_accessible(&format!("the reader's page in {tag}"))
            .await;
    }
    browser.close().await;
}
