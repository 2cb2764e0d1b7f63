//! Branding set on the editors' Settings page (or in the configuration) shows on the public
//! pages and in every email; the logo upload is checked and served; bad values are refused
//! naming their field.

use std::time::Duration;

use reqwest::multipart::{Form, Part};
use reqwest::{Client, StatusCode};
use serde_json::json;
use tokio::net::TcpListener;

use crate::backend_tests;
use crate::helpers::TestApp;

/// The smallest valid PNG: one transparent pixel.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\rIDATx\x9cc\xf8\x0f\0\0\x01\x01\0\x05\x18\xd8N\0\0\0\0IEND\xaeB`\x82";

fn settings_form(csrf: &str, fields: &[(&'static str, &str)]) -> Form {
    let mut form = Form::new()
        .text("csrf", csrf.to_string())
        .text("masthead", "The Daily Lantern")
        .text("accent_color", "#0b5394")
        .text("footer", "© 2026 Lantern Media")
        .text("site_url", "https://lantern.example/")
        .text("logo_url", "");
    for (name, value) in fields {
        form = form.text(*name, value.to_string());
    }
    form
}

fn logo_part(bytes: &[u8], name: &str) -> Part {
    Part::bytes(bytes.to_vec()).file_name(name.to_string())
}

async fn save(app: &TestApp, client: &Client, form: Form) -> reqwest::Response {
    client
        .post(format!("{}/editor/settings", app.address))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

async fn settings_page(app: &TestApp, client: &Client) -> String {
    let response = client
        .get(format!("{}/editor/settings", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.text().await.unwrap()
}

/// The page's `/branding.css?v=…` link, fetched.
async fn page_stylesheet(app: &TestApp, page: &str) -> String {
    let start = page
        .find("/branding.css?v=")
        .expect("the branding stylesheet link");
    let href: String = page[start..].chars().take_while(|c| *c != '"').collect();
    let response = app.get(&href).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["content-type"],
        "text/css; charset=utf-8"
    );
    response.text().await.unwrap()
}

backend_tests! {
    async fn settings_saved_on_the_page_brand_the_public_pages_and_every_email(backend) {
        let app = TestApp::spawn(backend).await;
        let (client, csrf) = app.editor_client().await;

        let saved = save(&app, &client, settings_form(&csrf, &[]).part("logo", logo_part(PNG, "logo.png"))).await;

        assert_eq!(saved.status(), StatusCode::SEE_OTHER);
        assert_eq!(saved.headers()["location"], "/editor/settings?saved=1");
        let page = app.get("/").await.text().await.unwrap();
        assert!(page.contains(r#"<img class="logo" src="/branding/logo?v=1" alt="The Daily Lantern">"#), "{page}");
        assert!(page.contains(r#"href="https://lantern.example/""#));
        assert!(page.contains("© 2026 Lantern Media"));
        assert!(page_stylesheet(&app, &page).await.contains("--accent: #0b5394;"));
        let logo = app.get("/branding/logo?v=1").await;
        assert_eq!(logo.status(), StatusCode::OK);
        assert_eq!(logo.headers()["content-type"], "image/png");
        assert_eq!(logo.headers()["cache-control"], "public, max-age=31536000, immutable");
        assert_eq!(logo.headers()["cross-origin-resource-policy"], "cross-origin", "webmail shows it");
        assert_eq!(logo.bytes().await.unwrap().as_ref(), PNG);

        // A confirmation email, then a digest.
        app.sign_up("reader@example.com").await;
        let confirmation = app.smtp.wait_for(1, Duration::from_secs(10)).await.pop().unwrap();
        let logo_url = format!("{}/branding/logo?v=1", app.address);
        let html = confirmation.html();
        assert!(html.contains(&format!(r#"<img src="{logo_url}" alt="The Daily Lantern""#)), "{html}");
        assert!(html.contains("background:#0b5394") && !html.contains("#b3261e"));
        assert!(html.contains("© 2026 Lantern Media"));
        assert!(confirmation.text().contains("© 2026 Lantern Media"));
        let confirmed = app.post_form(&app.confirmation_path(&confirmation), &[]).await;
        assert_eq!(confirmed.status(), StatusCode::SEE_OTHER);

        let token = app.api_token().await;
        app.add_article(&token, &json!({"title": "Lamps lit", "url": "https://lantern.example/1", "summary": "Light."})).await;
        let id = app.send_digest(&token).await;
        app.wait_for_digest(&token, id, "sent").await;
        let digest = app.smtp.messages().pop().unwrap();
        let html = digest.html();
        assert!(html.contains("Lamps lit"));
        assert!(html.contains(&format!(r#"<img src="{logo_url}" alt="The Daily Lantern""#)));
        assert!(html.contains("color:#0b5394") && !html.contains("#b3261e"), "{html}");
        assert!(html.contains("© 2026 Lantern Media"));
        let text = digest.text();
        assert!(text.starts_with("The Daily Lantern") && text.contains("© 2026 Lantern Media"), "{text}");
    }

    async fn configuration_values_apply_until_something_is_saved_and_again_after_a_reset(backend) {
        let app = TestApp::spawn_with(backend, |s| {
            s.branding.masthead = "Config Courier".into();
            s.branding.accent_color = tidings::branding::Accent::parse("#225522").unwrap();
            s.branding.footer = "Printed by config".into();
        }).await;

        let page = app.get("/").await.text().await.unwrap();
        app.sign_up("reader@example.com").await;
        let mail = app.smtp.wait_for(1, Duration::from_secs(10)).await.pop().unwrap();

        assert!(page.contains(r#"<a class="brand" href="/">Config Courier</a>"#), "{page}");
        assert!(page.contains("Printed by config"));
        assert!(page_stylesheet(&app, &page).await.contains("--accent: #225522;"));
        assert!(mail.html().contains("Config Courier") && mail.html().contains("background:#225522"));
        assert!(mail.text().contains("Printed by config"));
        assert_eq!(app.get("/branding/logo").await.status(), StatusCode::NOT_FOUND);

        let (client, csrf) = app.editor_client().await;
        let form_page = settings_page(&app, &client).await;
        assert!(form_page.contains(r#"value="Config Courier""#), "the form shows what is in force");
        save(&app, &client, settings_form(&csrf, &[])).await;
        assert!(app.get("/").await.text().await.unwrap().contains("The Daily Lantern"));

        let reset = client.post(format!("{}/editor/settings/reset", app.address)).form(&[("csrf", csrf.as_str())]).send().await.unwrap();

        assert_eq!(reset.status(), StatusCode::SEE_OTHER);
        let page = app.get("/").await.text().await.unwrap();
        assert!(page.contains("Config Courier") && !page.contains("The Daily Lantern"));
        assert!(page_stylesheet(&app, &page).await.contains("--accent: #225522;"));
    }

    async fn a_logo_too_large_or_not_an_image_is_refused_naming_the_field(backend) {
        let app = TestApp::spawn(backend).await;
        let (client, csrf) = app.editor_client().await;
        let mut big = PNG.to_vec();
        big.resize(600 * 1024, 0);
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#;

        let too_large = save(&app, &client, settings_form(&csrf, &[]).part("logo", logo_part(&big, "big.png"))).await;
        let not_an_image = save(&app, &client, settings_form(&csrf, &[]).part("logo", logo_part(svg, "logo.svg"))).await;
        let text = save(&app, &client, settings_form(&csrf, &[]).part("logo", logo_part(b"hello", "logo.png"))).await;

        assert_eq!(too_large.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = too_large.text().await.unwrap();
        assert!(body.contains(r#"<p class="error" id="logo-error">the logo is 600 KB; it can be at most 512 KB</p>"#), "{body}");
        for response in [not_an_image, text] {
            assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
            assert!(response.text().await.unwrap().contains("the logo must be a PNG, JPEG, GIF or WebP image"));
        }
        assert_eq!(app.get("/branding/logo").await.status(), StatusCode::NOT_FOUND);
        assert!(!app.get("/").await.text().await.unwrap().contains("The Daily Lantern"), "nothing was saved");
    }

    async fn bad_values_answer_422_naming_the_field_and_save_nothing(backend) {
        let app = TestApp::spawn(backend).await;
        let (client, csrf) = app.editor_client().await;
        let long = "x".repeat(101);
        let cases = [
            ("accent_color", "crimson", "accent colour"),
            ("site_url", "ftp://lantern.example", "your site"),
            ("logo_url", "http://lantern.example/logo.png", "the logo address"),
            ("masthead", long.as_str(), "the masthead can be at most 100 characters"),
            ("footer", "two\nlines", "the footer must be a single line"),
        ];

        for (field, value, message) in cases {
            let response = save(&app, &client, settings_form(&csrf, &[]).text(field, value.to_string())).await;

            assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{field}");
            let body = response.text().await.unwrap();
            let error = format!(r#"<p class="error" id="{field}-error">"#);
            assert!(body.contains(&error) && body.contains(message), "{field}: {body}");
            assert!(body.contains(r#"aria-invalid="true""#));
        }
        let page = app.get("/").await.text().await.unwrap();
        assert!(!page.contains("The Daily Lantern"));
        assert!(page_stylesheet(&app, &page).await.contains("--accent: #b3261e;"));
    }

    async fn a_low_contrast_accent_is_saved_with_a_warning(backend) {
        let app = TestApp::spawn(backend).await;
        let (client, csrf) = app.editor_client().await;
        assert!(!settings_page(&app, &client).await.contains("Low contrast"), "the default red passes");

        let saved = save(&app, &client, settings_form(&csrf, &[]).text("accent_color", "#FFD700")).await;

        assert_eq!(saved.status(), StatusCode::SEE_OTHER);
        let page = settings_page(&app, &client).await;
        assert!(page.contains("Low contrast: #ffd700 against white is 1.4:1"), "{page}");
        assert!(page_stylesheet(&app, &app.get("/").await.text().await.unwrap()).await.contains("#ffd700"));
    }

    async fn the_settings_page_needs_a_login_and_its_forms_the_csrf_token(backend) {
        let app = TestApp::spawn(backend).await;
        let (client, _) = app.editor_client().await;

        let anonymous = app.get("/editor/settings").await;
        let forged = save(&app, &client, settings_form("forged", &[])).await;
        let reset = client.post(format!("{}/editor/settings/reset", app.address)).form(&[("csrf", "forged")]).send().await.unwrap();

        assert_eq!(anonymous.status(), StatusCode::SEE_OTHER);
        assert_eq!(forged.status(), StatusCode::FORBIDDEN);
        assert_eq!(reset.status(), StatusCode::FORBIDDEN);
        assert!(settings_page(&app, &client).await.contains(r#"<a href="/editor/settings">Settings</a>"#));
    }

    async fn an_uploaded_logo_can_be_removed_and_a_logo_address_used_instead(backend) {
        let app = TestApp::spawn(backend).await;
        let (client, csrf) = app.editor_client().await;
        save(&app, &client, settings_form(&csrf, &[]).part("logo", logo_part(PNG, "logo.png"))).await;

        let removed = save(&app, &client, settings_form(&csrf, &[("remove_logo", "yes")]).text("logo_url", "https://cdn.example/lantern.png")).await;

        assert_eq!(removed.status(), StatusCode::SEE_OTHER);
        assert_eq!(app.get("/branding/logo").await.status(), StatusCode::NOT_FOUND);
        let page = app.get("/").await.text().await.unwrap();
        assert!(page.contains(r#"<img class="logo" src="https://cdn.example/lantern.png" alt="The Daily Lantern">"#), "{page}");
    }

    async fn saved_branding_survives_a_restart(backend) {
        let app = TestApp::spawn(backend).await;
        let (client, csrf) = app.editor_client().await;
        save(&app, &client, settings_form(&csrf, &[]).part("logo", logo_part(PNG, "logo.png"))).await;

        // A second instance on the same database, as after a restart.
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = format!("http://{}", listener.local_addr().unwrap());
        let mut settings = app.settings.clone();
        settings.server.public_url = address.parse().unwrap();
        let second = tidings::app::App::build_on(settings, listener).await.unwrap();
        tokio::spawn(second.run_until(std::future::pending()));

        let page = app.client.get(format!("{address}/")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains(r#"alt="The Daily Lantern""#) && page.contains("© 2026 Lantern Media"), "{page}");
        let logo = app.client.get(format!("{address}/branding/logo")).send().await.unwrap();
        assert_eq!(logo.headers()["content-type"], "image/png");
        assert_eq!(logo.headers()["cache-control"], "no-cache", "no version asked");
        assert_eq!(logo.bytes().await.unwrap().as_ref(), PNG);
    }
}
