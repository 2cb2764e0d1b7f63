//! The form embedded on the publication's own site: CORS for the JSON API from the allowed
//! origins only, `return_to` after a plain post without an open redirect, the honeypot on
//! both paths, and the snippet on the editors' pages.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::backend_tests;
use crate::helpers::{Backend, TestApp};

const SITE: &str = "https://news.example";
const ARTICLE: &str = "https://news.example/2026/rivers?ref=home";

async fn app_for_site(backend: Backend) -> TestApp {
    TestApp::spawn_with(backend, |s| {
        s.server.allowed_origins = vec![
            SITE.parse().unwrap(),
            "http://localhost:8080".parse().unwrap(),
        ];
    })
    .await
}

fn preflight(app: &TestApp, path: &str, origin: &str) -> reqwest::RequestBuilder {
    app.client
        .request(Method::OPTIONS, format!("{}{path}", app.address))
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type")
}

/// A JSON signup as a script on `origin` sends it.
async fn signup_from(app: &TestApp, origin: &str, body: serde_json::Value) -> reqwest::Response {
    app.client
        .post(format!("{}/api/v1/subscriptions", app.address))
        .header("origin", origin)
        .json(&body)
        .send()
        .await
        .unwrap()
}

fn allowed_origin(response: &reqwest::Response) -> Option<&str> {
    response
        .headers()
        .get("access-control-allow-origin")
        .map(|v| v.to_str().unwrap())
}

#[tokio::test]
async fn the_json_api_allows_exactly_the_listed_origins_preflight_included() {
    let app = app_for_site(Backend::Sqlite).await;

    let ok = preflight(&app, "/api/v1/subscriptions", SITE)
        .send()
        .await
        .unwrap();
    assert!(ok.status().is_success(), "{}", ok.status());
    assert_eq!(allowed_origin(&ok), Some(SITE));
    let methods = ok.headers()["access-control-allow-methods"]
        .to_str()
        .unwrap()
        .to_lowercase();
    assert!(methods.contains("post"), "{methods}");
    let headers = ok.headers()["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_lowercase();
    assert!(headers.contains("content-type"), "{headers}");
    assert!(ok.headers().contains_key("access-control-max-age"));
    assert!(
        ok.headers()
            .get("access-control-allow-credentials")
            .is_none(),
        "no cookies cross-site"
    );

    for stranger in [
        "https://evil.example",
        "http://news.example",
        "https://news.example:8443",
        "null",
    ] {
        let refused = preflight(&app, "/api/v1/subscriptions", stranger)
            .send()
            .await
            .unwrap();
        assert_eq!(allowed_origin(&refused), None, "{stranger} was allowed");
    }
    // Pages and form posts never answer CORS at all; the editors' session stays same-site.
    for path in ["/subscribe", "/editor/articles", "/unsubscribe/x"] {
        let page = preflight(&app, path, SITE).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::METHOD_NOT_ALLOWED, "{path}");
        let cors: Vec<_> = page
            .headers()
            .keys()
            .filter(|k| k.as_str().starts_with("access-control-"))
            .collect();
        assert!(cors.is_empty(), "{path} answered {cors:?}");
        let get = app
            .client
            .get(format!("{}{path}", app.address))
            .header("origin", SITE)
            .send()
            .await
            .unwrap();
        assert!(
            !get.headers()
                .keys()
                .any(|k| k.as_str().starts_with("access-control-")),
            "{path}"
        );
    }

    // The real requests carry the header too, errors included, so the script can read them.
    let accepted = signup_from(
        &app,
        SITE,
        json!({"email": "ada@example.com", "consent": true}),
    )
    .await;
    assert_eq!(accepted.status(), StatusCode::ACCEPTED);
    assert_eq!(allowed_origin(&accepted), Some(SITE));
    assert!(
        accepted.headers()["vary"]
            .to_str()
            .unwrap()
            .to_lowercase()
            .contains("origin")
    );
    let invalid = signup_from(
        &app,
        "http://localhost:8080",
        json!({"email": "ada@", "consent": false}),
    )
    .await;
    assert_eq!(invalid.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(allowed_origin(&invalid), Some("http://localhost:8080"));
    let body: serde_json::Value = invalid.json().await.unwrap();
    assert!(body["fields"]["consent"].is_string());
}

#[tokio::test]
async fn without_allowed_origins_nothing_is_shared_cross_origin() {
    let app = TestApp::spawn(Backend::Sqlite).await;

    let refused = preflight(&app, "/api/v1/subscriptions", SITE)
        .send()
        .await
        .unwrap();
    assert_eq!(allowed_origin(&refused), None);
    let response = signup_from(
        &app,
        SITE,
        json!({"email": "ada@example.com", "consent": true}),
    )
    .await;
    assert_eq!(
        response.status(),
        StatusCode::ACCEPTED,
        "same answer, just not readable cross-site"
    );
    assert_eq!(allowed_origin(&response), None);
}

async fn post_from(app: &TestApp, origin: &str, form: &[(&str, &str)]) -> reqwest::Response {
    app.client
        .post(format!("{}/subscribe", app.address))
        .header("origin", origin)
        .form(form)
        .send()
        .await
        .unwrap()
}

backend_tests! {
    async fn a_form_posted_from_an_allowed_site_returns_the_reader_to_the_page(backend) {
        let app = app_for_site(backend).await;

        let response = post_from(&app, SITE, &[
            ("email", "ada@example.com"), ("consent", "yes"), ("source", "embed"), ("return_to", ARTICLE),
        ]).await;

        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            response.headers()["location"],
            "https://news.example/2026/rivers?ref=home&tidings=subscribed#tidings-subscribed"
        );
        let mail = app.smtp.only_message().await;
        assert_eq!(mail.to, ["ada@example.com"]);
        assert_eq!(
            app.scalar_text("SELECT form FROM consent_events WHERE subscriber_id = $1", 1).await.as_deref(),
            Some("embed")
        );
        // A site with a strict referrer policy makes the browser send `Origin: null`.
        let strict = post_from(&app, "null", &[
            ("email", "grace@example.com"), ("consent", "yes"), ("return_to", ARTICLE),
        ]).await;
        assert!(strict.headers()["location"].to_str().unwrap().starts_with("https://news.example/2026/rivers?"));
    }

    async fn return_to_elsewhere_or_from_elsewhere_is_ignored(backend) {
        let app = app_for_site(backend).await;
        let cases = [
            (SITE, "https://evil.example/phish"),
            (SITE, "https://news.example.evil.example/"),
            (SITE, "//evil.example/"),
            (SITE, "javascript:alert(1)"),
            ("null", "https://evil.example/"),
            ("https://evil.example", ARTICLE),
        ];
        for (i, (origin, return_to)) in cases.iter().enumerate() {
            let email = format!("reader{i}@example.com");
            let response = post_from(&app, origin, &[
                ("email", &email), ("consent", "yes"), ("return_to", return_to),
            ]).await;
            assert_eq!(response.status(), StatusCode::SEE_OTHER);
            let location = response.headers()["location"].to_str().unwrap();
            assert!(location.starts_with("/subscribe/thanks?to="), "{origin} -> {return_to}: {location}");
        }
        assert_eq!(app.smtp.wait_for(cases.len(), Duration::from_secs(10)).await.len(), cases.len());
    }

    async fn a_mistake_shows_the_form_here_and_keeps_the_way_back(backend) {
        let app = app_for_site(backend).await;

        let response = post_from(&app, SITE, &[("email", "ada@example.com"), ("return_to", ARTICLE)]).await;

        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = response.text().await.unwrap();
        assert!(page.contains(r#"id="consent-error""#), "the message beside the checkbox");
        assert!(page.contains(r#"<input type="hidden" name="return_to" value="https://news.example/2026/rivers?ref=home">"#));
        // Corrected on Tidings' own page, the post still goes back to the article.
        let own = app.settings.server.public_url.origin().ascii_serialization();
        let fixed = post_from(&app, &own, &[
            ("email", "ada@example.com"), ("consent", "yes"), ("return_to", ARTICLE),
        ]).await;
        assert_eq!(fixed.headers()["location"], "https://news.example/2026/rivers?ref=home&tidings=subscribed#tidings-subscribed");
        // A return_to that is not allowed is not carried either.
        let page = post_from(&app, SITE, &[("email", "x"), ("return_to", "https://evil.example/")])
            .await.text().await.unwrap();
        assert!(!page.contains("evil.example"));
    }

    async fn the_honeypot_catches_bots_on_the_form_and_the_json_api(backend) {
        let app = app_for_site(backend).await;

        let form = post_from(&app, SITE, &[
            ("email", "bot@example.com"), ("consent", "yes"), ("website", "http://spam.example"), ("return_to", ARTICLE),
        ]).await;
        let api = app
            .post_json("/api/v1/subscriptions", &json!({"email": "bot2@example.com", "consent": true, "website": "spam"}))
            .await;

        assert_eq!(form.status(), StatusCode::SEE_OTHER);
        assert!(form.headers()["location"].to_str().unwrap().ends_with("tidings=subscribed#tidings-subscribed"), "looks like success");
        assert_eq!(api.status(), StatusCode::ACCEPTED);
        assert_eq!(app.count("subscribers").await, 0);
        assert_eq!(app.count("outbox").await, 0);
        let person = app
            .post_json("/api/v1/subscriptions", &json!({"email": "ada@example.com", "consent": true, "website": ""}))
            .await;
        assert_eq!(person.status(), StatusCode::ACCEPTED);
        assert_eq!(app.count("subscribers").await, 1, "an empty honeypot is a person");
    }
}

#[tokio::test]
async fn the_signup_limit_sends_the_reader_back_with_a_status() {
    let app = TestApp::spawn_with(Backend::Sqlite, |s| {
        s.server.allowed_origins = vec![SITE.parse().unwrap()];
        s.signup.ip_limit_per_hour = 1;
    })
    .await;
    let form = |email: &'static str| [("email", email), ("consent", "yes"), ("return_to", ARTICLE)];

    let first = post_from(&app, SITE, &form("a@example.com")).await;
    let second = post_from(&app, SITE, &form("b@example.com")).await;

    assert!(
        first.headers()["location"]
            .to_str()
            .unwrap()
            .ends_with("tidings=subscribed#tidings-subscribed")
    );
    assert_eq!(second.status(), StatusCode::SEE_OTHER);
    assert!(
        second.headers()["location"]
            .to_str()
            .unwrap()
            .ends_with("tidings=rate_limited#tidings-rate-limited")
    );
    assert_eq!(app.count("subscribers").await, 1);
}

#[tokio::test]
async fn editors_get_a_snippet_that_posts_here_and_the_script_it_loads() {
    let app = app_for_site(Backend::Sqlite).await;
    assert_eq!(
        app.get("/editor/embed").await.status(),
        StatusCode::SEE_OTHER,
        "login first"
    );
    let page = app.editor_page("/editor/embed").await;

    let public = &app.address;
    for part in [
        format!(r#"action="{public}/subscribe""#),
        format!(r#"data-tidings-api="{public}/api/v1/subscriptions""#),
        format!(r#"src="{public}/embed.js""#),
        r#"name="return_to""#.to_string(),
        r#"name="website""#.to_string(),
        "Privacy Policy".to_string(),
    ] {
        let escaped = part
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&#34;");
        assert!(page.contains(&escaped), "the snippet to copy has {part}");
        assert!(page.contains(&part), "the preview has {part}");
    }
    assert!(
        page.contains("<code>https://news.example</code>"),
        "the allowed sites are listed"
    );

    let script = app.get("/embed.js").await;
    assert_eq!(
        script.headers()["content-type"],
        "text/javascript; charset=utf-8"
    );
    assert!(script.text().await.unwrap().contains("data-tidings-api"));
    let css = app.get("/embed.css").await;
    assert_eq!(css.headers()["content-type"], "text/css; charset=utf-8");
}

#[tokio::test]
async fn allowed_origins_come_from_the_environment_and_must_be_bare_origins() {
    let app = TestApp::spawn(Backend::Sqlite).await;

    let ok = app
        .cli_with_env(
            &["token", "list"],
            &[(
                "TIDINGS_SERVER__ALLOWED_ORIGINS",
                "https://a.example http://localhost:8080",
            )],
        )
        .await;
    let bad = app
        .cli_with_env(
            &["token", "list"],
            &[(
                "TIDINGS_SERVER__ALLOWED_ORIGINS",
                "https://a.example/articles",
            )],
        )
        .await;

    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(!bad.status.success());
    let message = String::from_utf8_lossy(&bad.stderr);
    assert!(message.contains("server.allowed_origins"), "{message}");
    for none in ["", " "] {
        let empty = app
            .cli_with_env(
                &["token", "list"],
                &[("TIDINGS_SERVER__ALLOWED_ORIGINS", none)],
            )
            .await;
        let stderr = String::from_utf8_lossy(&empty.stderr);
        assert!(empty.status.success(), "{none:?}: {stderr}");
    }
}
