//! The publication's own wording (`newsletter.messages_dir`) and the language settings, as an
//! operator meets them: overrides read at start, mistakes refused at start.

use reqwest::StatusCode;
use serde_json::json;

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
        let export = app.export_of(&token, id).await;
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

/// Readers in each shipped language, chosen by the API's field or by the browser: their
/// confirmation, their consent evidence and their digest come in that language's words.
mod every_language {
    use reqwest::StatusCode;
    use serde_json::json;
    use tidings::consent::ConsentStatement;
    use tidings::i18n::{Catalog, Locale, Words};

    use crate::backend_tests;
    use crate::helpers::TestApp;
    use crate::locales_emails::{assert_in, confirm, mail_to};

    fn words(locale: Locale) -> Words {
        Catalog::load(None).unwrap().words(locale)
    }

    /// Signs up `email` in `locale`: by the API's field, or by a browser's Accept-Language on
    /// the form.
    async fn sign_up(app: &TestApp, email: &str, locale: Locale, by_browser: bool) {
        let response = if by_browser {
            app.client
                .post(format!("{}/subscribe", app.address))
                .header(
                    "accept-language",
                    format!("{};q=0.9, en;q=0.5", locale.tag()),
                )
                .form(&[("email", email), ("consent", "yes")])
                .send()
                .await
                .unwrap()
        } else {
            app.post_json(
                "/api/v1/subscriptions",
                &json!({"email": email, "consent": true, "locale": locale.tag()}),
            )
            .await
        };
        assert!(response.status().is_redirection() || response.status() == StatusCode::ACCEPTED);
    }

    backend_tests! {
        async fn each_language_gets_its_own_words_from_signup_to_digest(backend) {
            let app = TestApp::spawn_driven(backend).await;
            let token = app.api_token().await;
            let newsletter = app.settings.newsletter.name.clone();
            let english = words(Locale::ENGLISH);
            let readers: Vec<(String, Locale, bool)> = Locale::SHIPPED
                .into_iter()
                .enumerate()
                .map(|(i, l)| (format!("reader{i}@example.com"), l, i % 2 == 1))
                .collect();

            for (email, locale, by_browser) in &readers {
                let before = app.smtp.messages().len();
                sign_up(&app, email, *locale, *by_browser).await;
                app.drain().await;
                let mail = mail_to(&app, before, email).remove(0);
                assert_in(&mail, locale.tag());
                let t = words(*locale);
                let subject = t.t1("confirm-email-subject", "newsletters", &newsletter);
                assert_eq!(mail.parsed().subject(), Some(subject.as_str()), "{locale}");
                if *locale != Locale::ENGLISH {
                    assert_ne!(subject, english.t1("confirm-email-subject", "newsletters", &newsletter));
                }

                // The evidence is the sentence shown in the reader's language.
                let id = app.subscriber_id(email).await.unwrap();
                let export = app.export_of(&token, id).await;
                let shown = ConsentStatement::from_policy(&app.settings.policy, &t);
                assert_eq!(export["consent"][0]["statement"], shown.html.as_str());
                assert_eq!(export["consent"][0]["statement_sha256"], shown.hash.as_str());
                assert_eq!(export["consent"][0]["locale"], locale.tag());
                assert_eq!(export["subscriber"]["locale"], locale.tag());
                confirm(&app, &mail).await;
            }

            app.add_article(&token, &json!({"title": "Rivers rise", "url": "https://news.example/rivers"})).await;
            let before = app.smtp.messages().len();
            app.send_digest(&token).await;
            app.drain().await;
            for (email, locale, _) in &readers {
                let digest = mail_to(&app, before, email).remove(0);
                assert_in(&digest, locale.tag());
                let read_next = words(*locale).t("digest-read-next");
                assert!(digest.html().contains(&read_next), "{locale}: {read_next}");
                assert!(digest.html().contains("Rivers rise"), "the article as written");
            }
        }
    }
}
