//! An editor brands the newsletter: the Settings page, its upload and its contrast warning,
//! then the signup page wearing the new logo and accent colour.

use super::Browser;
use crate::helpers::{Backend, TestApp};

/// A 2×1 PNG, so the upload is a real image.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\rIDATx\x9cc\xf8\x0f\0\0\x01\x01\0\x05\x18\xd8N\0\0\0\0IEND\xaeB`\x82";

#[tokio::test]
async fn an_editor_uploads_a_logo_picks_a_pale_accent_and_is_warned() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let app = TestApp::spawn(Backend::Sqlite).await;
    tidings::editors::create_editor(&app.db, "editor@example.com", "a long enough password")
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let logo = dir.path().join("lantern.png");
    std::fs::write(&logo, PNG).unwrap();

    browser.goto(&format!("{}/editor/login", app.address)).await;
    browser.fill("#email", "editor@example.com").await;
    browser.fill("#password", "a long enough password").await;
    browser.click("form button[type=submit]").await;
    browser.wait_for_text("main", "Getting ready").await;
    browser
        .goto(&format!("{}/editor/settings", app.address))
        .await;
    browser.css("#accent_color").await;
    browser
        .screenshots_at_both_widths("26-editor-settings")
        .await;
    browser.assert_accessible("the settings page").await;

    browser.fill("#masthead", "The Daily Lantern").await;
    browser.fill("#accent_color", "#ffd700").await;
    browser.fill("#footer", "© 2026 Lantern Media").await;
    browser
        .css("#logo")
        .await
        .send_keys(&logo.display().to_string())
        .await
        .unwrap();
    browser
        .click("form[action='/editor/settings'] button[type=submit]")
        .await;

    browser.wait_for_text("main", "Saved.").await;
    let warning = browser.text("#accent_color-contrast").await;
    assert!(warning.contains("Low contrast"), "{warning}");
    browser.css("img.logo-preview").await;
    // No axe check here: the pale accent now fails its contrast rule on every page, which
    // is what the warning says.
    browser.screenshot("26-editor-settings-low-contrast").await;

    browser.goto(&format!("{}/", app.address)).await;
    let masthead = browser.css(".masthead img.logo").await;
    assert_eq!(
        masthead.attr("alt").await.unwrap().as_deref(),
        Some("The Daily Lantern")
    );
    let button = browser
        .client
        .execute(
            "return getComputedStyle(document.querySelector('form button')).backgroundColor",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(button, "rgb(255, 215, 0)", "the accent reaches the page");
    assert!(
        browser
            .text("footer")
            .await
            .contains("© 2026 Lantern Media")
    );
    browser.screenshot("26-signup-branded").await;
}
