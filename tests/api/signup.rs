use mail_parser::MimeHeaders;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::TestApp;

backend_tests! {
    async fn the_signup_page_has_the_form_with_an_unticked_consent_box(backend) {
        let app = TestApp::spawn(backend).await;

        let response = app.get("/").await;

        assert_eq!(response.status(), StatusCode::OK);
        let page = response.text().await.unwrap();
        assert!(page.contains(r#"<form method="post" action="/subscribe""#));
        assert!(page.contains(r#"<label for="email">"#) && page.contains(r#"id="email""#));
        assert!(page.contains(r#"name="consent" type="checkbox" value="yes" required>"#), "unticked");
        assert!(page.contains("I agree to the <a href=\"https://example.com/privacy\">Privacy Policy</a> and <a href=\"https://example.com/terms\">Terms of Use</a>. You may opt out at any time."));
        assert!(page.contains(r#"name="website""#), "honeypot field");
        assert!(page.contains(r#"<meta name="viewport""#));
        assert_eq!(app.get("/static/tidings.css").await.status(), StatusCode::OK);
    }

    async fn a_form_signup_redirects_and_sends_one_multipart_confirmation_email(backend) {
        let app = TestApp::spawn(backend).await;

        let response = app
            .post_form("/subscribe", &[("email", "ada@example.com"), ("name", "Ada"), ("consent", "yes")])
            .await;

        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let thanks = response.headers()["location"].to_str().unwrap().to_string();
        assert_eq!(thanks, "/subscribe/thanks?to=a***%40example.com");
        let page = app.get(&thanks).await.text().await.unwrap();
        assert!(page.contains("Check your inbox") && page.contains("an email to <strong>a***@example.com</strong>"), "{page}");
        assert!(page.contains("The Tidings Newsletter &#60;newsletter@localhost&#62;"), "who it comes from: {page}");
        let forged = app.get("/subscribe/thanks?to=Call%20us%20at%20555").await.text().await.unwrap();
        assert!(!forged.contains("Call us") && forged.contains("sent you an email"), "only a masked address is shown");
        let mail = app.smtp.only_message().await;
        assert_eq!(mail.to, ["ada@example.com"]);
        assert_eq!(mail.from, "newsletter@localhost");
        let parsed = mail.parsed();
        assert_eq!(parsed.subject(), Some("Please confirm your subscription to The Tidings Newsletter"));
        assert!(parsed.message_id().is_some_and(|id| id.ends_with("@localhost")));
        assert!(parsed.date().is_some());
        assert_eq!(parsed.from().unwrap().first().unwrap().name(), Some("The Tidings Newsletter"));
        let content_type = parsed.content_type().unwrap();
        assert_eq!((content_type.ctype(), content_type.subtype()), ("multipart", Some("alternative")));
        assert!(mail.text().starts_with("Hello Ada,"));
        assert!(mail.html().contains("Hello Ada,"));
        let path = app.confirmation_path(&mail);
        assert_eq!(path.len(), "/confirm/".len() + 43, "256-bit token, base64url");
    }

    async fn an_api_signup_answers_202_and_sends_the_confirmation_email(backend) {
        let app = TestApp::spawn(backend).await;

        let response = app
            .post_json("/api/v1/subscriptions", &json!({"email": "grace@example.com", "name": "Grace", "consent": true, "source": "article-footer"}))
            .await;

        assert_eq!(response.status(), StatusCode::ACCEPTED);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["status"], "accepted");
        let mail = app.smtp.only_message().await;
        assert_eq!(mail.to, ["grace@example.com"]);
        app.confirmation_path(&mail);
        let form: Option<String> = sqlx::query_scalar("select form from consent_events")
            .fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(form.as_deref(), Some("article-footer"));
    }

    async fn the_consent_is_recorded_as_evidence(backend) {
        let app = TestApp::spawn(backend).await;

        app.post_form("/subscribe", &[("email", "ada@example.com"), ("consent", "yes")]).await;

        let row: (String, String, String, String, Option<String>, Option<String>, String, i64) = sqlx::query_as(
            "select e.event, e.privacy_version, e.terms_version, e.source, e.ip, e.user_agent, t.body, e.created_at
             from consent_events e join consent_texts t on t.hash = e.text_hash",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        let (event, privacy, terms, source, ip, user_agent, text, created_at) = row;
        assert_eq!(event, "granted");
        assert_eq!(privacy, app.settings.policy.privacy_version);
        assert_eq!(terms, app.settings.policy.terms_version);
        assert_eq!(source, "form");
        assert_eq!(ip.as_deref(), Some("127.0.0.1"));
        assert_eq!(user_agent.as_deref(), Some("tidings-tests/1.0"));
        assert!(text.contains("I agree to the") && text.contains("https://example.com/privacy"));
        assert!(created_at > 1_700_000_000_000, "a Unix time in milliseconds");
    }

    async fn the_consent_log_refuses_updates(backend) {
        let app = TestApp::spawn(backend).await;
        app.sign_up("ada@example.com").await;

        let update = sqlx::query("update consent_events set ip = '10.0.0.1'").execute(&app.db.pool).await;

        assert!(update.is_err(), "consent_events is append-only");
    }

    async fn a_trusted_proxy_header_gives_the_client_ip(backend) {
        let app = TestApp::spawn_with(backend, |s| s.server.trusted_proxy_header = "x-forwarded-for".into()).await;

        app.client
            .post(format!("{}/api/v1/subscriptions", app.address))
            .header("x-forwarded-for", "198.51.100.9, 203.0.113.7")
            .json(&json!({"email": "ada@example.com", "consent": true}))
            .send()
            .await
            .unwrap();

        let ip: Option<String> = sqlx::query_scalar("select ip from consent_events").fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(ip.as_deref(), Some("203.0.113.7"));
    }

    async fn without_consent_the_form_comes_back_with_the_message_and_the_typed_values(backend) {
        let app = TestApp::spawn(backend).await;

        let response = app.post_form("/subscribe", &[("email", "ada@example.com"), ("name", "Ada <b>")]).await;

        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = response.text().await.unwrap();
        assert!(page.contains(r#"<p class="error" id="consent-error">please tick the box"#));
        assert!(page.contains(r#"value="ada@example.com""#));
        assert!(page.contains(r#"value="Ada &#60;b&#62;""#), "typed name kept, escaped");
        assert_eq!(app.count("subscribers").await, 0);
        assert_eq!(app.count("outbox").await, 0);
    }

    async fn without_consent_the_api_answers_422_naming_the_field(backend) {
        let app = TestApp::spawn(backend).await;

        let response = app.post_json("/api/v1/subscriptions", &json!({"email": "ada@example.com", "consent": false})).await;
        let missing = app.post_json("/api/v1/subscriptions", &json!({"email": "ada@example.com"})).await;

        for response in [response, missing] {
            assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
            let body: Value = response.json().await.unwrap();
            assert!(body["error"].as_str().unwrap().contains("consent"));
            assert!(body["fields"]["consent"].as_str().unwrap().contains("Privacy Policy"));
        }
        assert_eq!(app.count("subscribers").await, 0);
    }

    async fn line_breaks_in_name_or_email_are_refused(backend) {
        let app = TestApp::spawn(backend).await;

        let name = app.post_json("/api/v1/subscriptions", &json!({"email": "ada@example.com", "name": "Ada\r\nBcc: victim@example.net", "consent": true})).await;
        let email = app.post_json("/api/v1/subscriptions", &json!({"email": "ada@example.com\r\nBcc: victim@example.net", "consent": true})).await;
        let form = app.post_form("/subscribe", &[("email", "ada@example.com\nbcc:victim@example.net"), ("consent", "yes")]).await;

        assert_eq!(name.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(name.json::<Value>().await.unwrap()["fields"]["name"].as_str().unwrap().contains("line breaks"));
        assert_eq!(email.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(email.json::<Value>().await.unwrap()["fields"]["email"].as_str().unwrap().contains("line breaks"));
        assert_eq!(form.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(app.count("subscribers").await, 0);
    }

    async fn a_too_long_name_is_refused(backend) {
        let app = TestApp::spawn(backend).await;

        let response = app.post_json("/api/v1/subscriptions", &json!({"email": "ada@example.com", "name": "A".repeat(101), "consent": true})).await;

        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(response.json::<Value>().await.unwrap()["fields"]["name"].as_str().unwrap().contains("100"));
    }

    async fn malformed_and_oversized_bodies_get_a_4xx_with_a_message(backend) {
        let app = TestApp::spawn(backend).await;

        let broken = app.post_raw("/api/v1/subscriptions", "application/json", "{\"email\": ").await;
        let wrong_type = app.post_raw("/api/v1/subscriptions", "text/plain", "email=ada@example.com").await;
        let wrong_field_type = app.post_json("/api/v1/subscriptions", &json!({"email": "ada@example.com", "consent": "yes"})).await;
        let unknown_field = app.post_json("/api/v1/subscriptions", &json!({"emial": "ada@example.com", "consent": true})).await;
        let huge = app.post_raw("/api/v1/subscriptions", "application/json", format!("{{\"email\": \"{}\"}}", "a".repeat(100_000))).await;
        let huge_form = app.post_raw("/subscribe", "application/x-www-form-urlencoded", format!("email={}", "a".repeat(100_000))).await;
        let bad_form = app.post_raw("/subscribe", "application/x-www-form-urlencoded", "email=%ZZ&consent=yes").await;

        for (response, status) in [
            (broken, StatusCode::BAD_REQUEST),
            (wrong_type, StatusCode::UNSUPPORTED_MEDIA_TYPE),
            (wrong_field_type, StatusCode::UNPROCESSABLE_ENTITY),
            (unknown_field, StatusCode::UNPROCESSABLE_ENTITY),
            (huge, StatusCode::PAYLOAD_TOO_LARGE),
        ] {
            assert_eq!(response.status(), status);
            let body: Value = response.json().await.unwrap();
            assert!(!body["error"].as_str().unwrap().is_empty());
        }
        assert_eq!(huge_form.status(), StatusCode::PAYLOAD_TOO_LARGE);
        assert!(bad_form.status().is_client_error(), "{}", bad_form.status());
        assert_eq!(app.count("subscribers").await, 0);
    }

    async fn new_pending_and_confirmed_addresses_get_identical_answers(backend) {
        let app = TestApp::spawn(backend).await;
        let confirmed = "confirmed@example.com";
        app.sign_up(confirmed).await;
        let mail = app.smtp.only_message().await;
        app.post_form(&app.confirmation_path(&mail), &[]).await;
        assert_eq!(app.subscriber_status(confirmed).await.as_deref(), Some("confirmed"));

        let new = app.sign_up("new@example.com").await;
        let pending = app.sign_up("new@example.com").await;
        let again = app.sign_up(confirmed).await;
        let form_new = app.post_form("/subscribe", &[("email", "other@example.com"), ("consent", "yes")]).await;
        let form_confirmed = app.post_form("/subscribe", &[("email", confirmed), ("consent", "yes")]).await;

        let answer = |r: reqwest::Response| async move { (r.status(), r.text().await.unwrap()) };
        let new = answer(new).await;
        assert_eq!(new.0, StatusCode::ACCEPTED);
        assert_eq!(new, answer(pending).await);
        assert_eq!(new, answer(again).await);
        assert_eq!(form_new.status(), form_confirmed.status());
        // Each answer names only the address typed in, masked; nothing about the list.
        assert_eq!(form_new.headers()["location"], "/subscribe/thanks?to=o***%40example.com");
        assert_eq!(form_confirmed.headers()["location"], "/subscribe/thanks?to=c***%40example.com");
        // The confirmed reader gets no new mail and stays confirmed.
        let messages = app.smtp.wait_for(4, std::time::Duration::from_secs(10)).await;
        app.wait_for_outbox("sent", 4).await;
        assert_eq!(messages.iter().filter(|m| m.to == [confirmed]).count(), 1);
        assert_eq!(app.subscriber_status(confirmed).await.as_deref(), Some("confirmed"));
    }

    async fn addresses_are_unique_case_insensitively_and_kept_as_typed(backend) {
        let app = TestApp::spawn(backend).await;

        app.sign_up("Ada.Lovelace+News@Example.COM").await;
        app.sign_up("ada.lovelace+news@example.com").await;

        assert_eq!(app.count("subscribers").await, 1);
        let email: String = sqlx::query_scalar("select email from subscribers").fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(email, "ada.lovelace+news@example.com", "the latest spelling of a pending reader");
        let messages = app.smtp.wait_for(2, std::time::Duration::from_secs(10)).await;
        assert!(messages.iter().all(|m| m.to[0].to_lowercase() == "ada.lovelace+news@example.com"));
    }

    async fn the_honeypot_answers_like_a_signup_and_does_nothing(backend) {
        let app = TestApp::spawn(backend).await;

        let response = app
            .post_form("/subscribe", &[("email", "bot@example.com"), ("consent", "yes"), ("website", "http://spam.example")])
            .await;

        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(response.headers()["location"], "/subscribe/thanks?to=b***%40example.com");
        assert_eq!(app.count("subscribers").await, 0);
        assert_eq!(app.count("outbox").await, 0);
    }

    async fn non_ascii_names_and_subjects_are_encoded(backend) {
        let app = TestApp::spawn_with(backend, |s| s.newsletter.name = "Die Zeitung für Bücherwürmer".into()).await;

        app.post_json("/api/v1/subscriptions", &json!({"email": "zoe@example.com", "name": "Zoë Ångström", "consent": true})).await;

        let mail = app.smtp.only_message().await;
        let headers = &mail.data[..mail.data.find("\r\n\r\n").unwrap()];
        assert!(headers.is_ascii(), "headers are RFC 2047 encoded:\n{headers}");
        let parsed = mail.parsed();
        assert_eq!(parsed.to().unwrap().first().unwrap().name(), Some("Zoë Ångström"));
        assert_eq!(parsed.subject(), Some("Please confirm your subscription to Die Zeitung für Bücherwürmer"));
        assert!(mail.text().starts_with("Hello Zoë Ångström,"));
    }

    async fn a_name_with_html_is_escaped_in_the_email(backend) {
        let app = TestApp::spawn(backend).await;

        app.post_json("/api/v1/subscriptions", &json!({"email": "x@example.com", "name": "<script>alert(1)</script>", "consent": true})).await;

        let html = app.smtp.only_message().await.html();
        assert!(!html.contains("<script>"));
        assert!(html.contains("&#60;script&#62;"));
    }

    async fn health_is_200_when_the_database_answers(backend) {
        let app = TestApp::spawn(backend).await;

        let response = app.get("/healthz").await;

        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.json::<Value>().await.unwrap()["status"], "ok");
    }

    async fn health_is_503_when_the_database_is_gone(backend) {
        let app = TestApp::spawn(backend).await;

        app.db.pool.close().await;
        let response = app.get("/healthz").await;

        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    }

    async fn unknown_pages_are_404_pages(backend) {
        let app = TestApp::spawn(backend).await;

        let response = app.get("/no/such/page").await;

        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        assert!(response.text().await.unwrap().contains("Back to the signup page"));
    }
}
