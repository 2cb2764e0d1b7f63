//! The publication's own wording (`newsletter.messages_dir`) and the language settings, as an
//! operator meets them: overrides read at start, mistakes refused at start.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::TestApp;

const REWORDED: &str = "Yes, send me the newsletter. I agree to the <a href=\"{ $privacy_url }\">Privacy Policy</a> and <a href=\"{ $terms_url }\">Terms of Use</a>.";

backend_tests! {
    async fn a_publication_rewords_the_consent_sentence_without_a_rebuild(backend) {
        let messages = tempfile::tempdir().unwrap();
        std::fs::write(messages.path().join("en.ftl"), format!("consent-label = {REWORDED}\n")).unwrap();
        let dir = messages.path().to_path_buf();
        let app = TestApp::spawn_with(backend, move |s| s.newsletter.messages_dir = dir).await;

        let page = app.get("/").await.text().await.unwrap();
        let shown = "Yes, send me the newsletter. I agree to the <a href=\"https://example.com/privacy\">Privacy Policy</a> and <a href=\"https://example.com/terms\">Terms of Use</a>.";
        assert!(page.contains(shown), "{page}");

        let response = app
            .post_json("/api/v1/subscriptions", &json!({"email": "ada@example.com", "consent": true}))
            .await;
        assert_eq!(response.status(), StatusCode::ACCEPTED);
        let token = app.api_token().await;
        let id = app.subscriber_id("ada@example.com").await.unwrap();
        let export: Value = app
            .api(reqwest::Method::GET, &format!("/api/v1/subscribers/{id}/export"), &token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let granted = &export["consent"][0];
        assert_eq!(granted["statement"], shown, "the evidence is the sentence shown");
        assert_eq!(granted["locale"], "en");
        assert_eq!(export["subscriber"]["locale"], "en");
    }
}

#[tokio::test]
async fn a_mistaken_override_stops_the_start_and_names_the_file() {
    let app = TestApp::spawn(crate::helpers::Backend::Sqlite).await;
    let messages = tempfile::tempdir().unwrap();
    std::fs::write(messages.path().join("fr.ftl"), "consent-lable = Oui\n").unwrap();
    let dir = messages.path().to_str().unwrap();

    let output = app
        .cli_with_env(
            &["subscribers", "stale-consent"],
            &[("TIDINGS_NEWSLETTER__MESSAGES_DIR", dir)],
        )
        .await;

    assert!(!output.status.success());
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(
        said.contains("fr.ftl") && said.contains("consent-lable"),
        "{said}"
    );

    std::fs::write(
        messages.path().join("fr.ftl"),
        "consent-label = Oui { $who }\n",
    )
    .unwrap();
    let output = app
        .cli_with_env(
            &["subscribers", "stale-consent"],
            &[("TIDINGS_NEWSLETTER__MESSAGES_DIR", dir)],
        )
        .await;
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success() && said.contains("who"), "{said}");
}

#[tokio::test]
async fn language_settings_are_checked_at_start() {
    let app = TestApp::spawn(crate::helpers::Backend::Sqlite).await;

    let output = app
        .cli_with_env(
            &["subscribers", "stale-consent"],
            &[
                ("TIDINGS_NEWSLETTER__LOCALES", "en de"),
                ("TIDINGS_NEWSLETTER__DEFAULT_LOCALE", "fr"),
            ],
        )
        .await;
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(
        !output.status.success() && said.contains("newsletter.default_locale"),
        "{said}"
    );

    let output = app
        .cli_with_env(
            &["subscribers", "stale-consent"],
            &[("TIDINGS_NEWSLETTER__LOCALES", "en it")],
        )
        .await;
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(
        !output.status.success() && said.contains("\"it\""),
        "{said}"
    );

    let output = app
        .cli_with_env(
            &["subscribers", "stale-consent"],
            &[
                ("TIDINGS_NEWSLETTER__LOCALES", "en de"),
                ("TIDINGS_NEWSLETTER__DEFAULT_LOCALE", "de"),
            ],
        )
        .await;
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
