//! Pages cannot be framed by other sites and run only the scripts Tidings ships: every HTML
//! answer carries a content security policy and `X-Frame-Options`; HSTS when the public URL
//! is https; only the embed script and stylesheet may be loaded by other origins.

use reqwest::StatusCode;
use reqwest::header::{CONTENT_SECURITY_POLICY, STRICT_TRANSPORT_SECURITY, X_FRAME_OPTIONS};

use crate::backend_tests;
use crate::helpers::{Backend, TestApp};

fn header(response: &reqwest::Response, name: impl reqwest::header::AsHeaderName) -> String {
    response
        .headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

/// The directive's sources, e.g. `script-src` -> `'self' http://...`.
fn directive<'a>(policy: &'a str, name: &str) -> &'a str {
    policy
        .split(';')
        .map(str::trim)
        .find_map(|d| d.strip_prefix(name))
        .unwrap_or_else(|| panic!("no {name} in {policy}"))
        .trim()
}

fn assert_unframeable_and_scripted_by_tidings_only(path: &str, response: &reqwest::Response) {
    let policy = header(response, CONTENT_SECURITY_POLICY);
    assert_eq!(
        directive(&policy, "frame-ancestors"),
        "'none'",
        "{path}: {policy}"
    );
    assert_eq!(
        directive(&policy, "default-src"),
        "'self'",
        "{path}: {policy}"
    );
    assert!(
        !directive(&policy, "script-src").contains("unsafe"),
        "{path}: {policy}"
    );
    assert!(
        directive(&policy, "form-action").starts_with("'self'"),
        "{path}: {policy}"
    );
    assert_eq!(header(response, X_FRAME_OPTIONS), "DENY", "{path}");
}

backend_tests! {
    async fn every_page_forbids_framing_and_inline_script(backend) {
        let app = TestApp::spawn(backend).await;
        let reader_pages = ["/", "/subscribe/thanks", "/subscribe/confirmed", "/confirm/nonsense",
            "/unsubscribe/nonsense", "/no-such-page", "/editor/login", "/api/docs"];
        let editor_pages = ["/editor/articles", "/editor/digest", "/editor/readers", "/editor/embed"];
        let (editor, _) = app.editor_client().await;

        for path in reader_pages {
            let response = app.get(path).await;
            assert_unframeable_and_scripted_by_tidings_only(path, &response);
            let body = response.text().await.unwrap();
            assert!(!body.contains("<script>") && !body.contains(" onclick="), "{path} has inline script");
        }
        for path in editor_pages {
            let response = editor.get(format!("{}{path}", app.address)).send().await.unwrap();
            assert_eq!(response.status(), StatusCode::OK, "{path}");
            assert_unframeable_and_scripted_by_tidings_only(path, &response);
            let body = response.text().await.unwrap();
            assert!(!body.contains("<script>") && !body.contains(" onclick="), "{path} has inline script");
        }
    }
}

#[tokio::test]
async fn the_embed_assets_may_be_loaded_by_other_sites_and_nothing_else() {
    let app = TestApp::spawn(Backend::Sqlite).await;

    for (path, policy) in [
        ("/embed.js", "cross-origin"),
        ("/embed.css", "cross-origin"),
        ("/static/tidings.css", "same-origin"),
        ("/", "same-origin"),
        ("/healthz", "same-origin"),
    ] {
        let response = app.get(path).await;
        assert_eq!(
            header(&response, "cross-origin-resource-policy"),
            policy,
            "{path}"
        );
    }
}

#[tokio::test]
async fn https_deployments_send_hsts_and_plain_http_ones_do_not() {
    let plain = TestApp::spawn(Backend::Sqlite).await;
    let https = TestApp::spawn_with(Backend::Sqlite, |s| {
        s.server.public_url = "https://news.example".parse().unwrap();
    })
    .await;

    assert_eq!(header(&plain.get("/").await, STRICT_TRANSPORT_SECURITY), "");
    let hsts = header(&https.get("/").await, STRICT_TRANSPORT_SECURITY);
    assert!(
        hsts.starts_with("max-age=") && hsts != "max-age=0",
        "{hsts}"
    );
}

#[tokio::test]
async fn the_signup_page_may_send_readers_back_to_an_allowed_site() {
    let app = TestApp::spawn_with(Backend::Sqlite, |s| {
        s.server.allowed_origins = vec!["https://news.example".parse().unwrap()];
    })
    .await;

    let policy = header(&app.get("/").await, CONTENT_SECURITY_POLICY);

    let targets = directive(&policy, "form-action");
    assert!(targets.contains("https://news.example"), "{policy}");
}
