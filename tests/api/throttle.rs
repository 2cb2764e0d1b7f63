use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::TestApp;

backend_tests! {
    async fn at_most_three_confirmation_emails_per_address_per_day(backend) {
        let app = TestApp::spawn(backend).await;

        for _ in 0..5 {
            assert_eq!(app.sign_up("ada@example.com").await.status(), StatusCode::ACCEPTED);
        }

        app.wait_for_outbox("sent", 3).await;
        assert_eq!(app.count("outbox").await, 3);
        assert_eq!(app.smtp.wait_for(3, std::time::Duration::from_secs(10)).await.len(), 3);
        assert_eq!(app.count("consent_events").await, 5, "every grant is still on record");
    }

    async fn signups_arriving_together_are_each_recorded_and_the_limit_holds(backend) {
        let app = TestApp::spawn(backend).await;

        // Many at once, so that they share transactions: 40 readers, and one address 10 times.
        let addresses: Vec<String> = (0..40)
            .map(|i| format!("reader-{i}@example.com"))
            .chain(std::iter::repeat_n("ada@example.com".to_string(), 10))
            .collect();
        let answers = futures_util::future::join_all(addresses.iter().map(|a| app.sign_up(a))).await;

        assert!(answers.iter().all(|r| r.status() == StatusCode::ACCEPTED));
        assert_eq!(app.count("subscribers").await, 41);
        assert_eq!(app.count("consent_events").await, 50, "every grant is on record");
        app.wait_for_outbox("sent", 43).await;
        assert_eq!(app.count("outbox").await, 43, "one each, and three for the address sent ten times");
    }

    async fn too_many_signups_from_one_ip_get_429_with_a_message(backend) {
        let app = TestApp::spawn_with(backend, |s| s.signup.ip_limit_per_hour = 2).await;
        app.sign_up("a@example.com").await;
        app.sign_up("b@example.com").await;

        let api = app.sign_up("c@example.com").await;
        let form = app.post_form("/subscribe", &[("email", "d@example.com"), ("consent", "yes")]).await;

        assert_eq!(api.status(), StatusCode::TOO_MANY_REQUESTS);
        assert!(api.headers().contains_key("retry-after"));
        let body: Value = api.json().await.unwrap();
        assert!(body["error"].as_str().unwrap().contains("too many signups"));
        assert_eq!(form.status(), StatusCode::TOO_MANY_REQUESTS);
        assert!(form.text().await.unwrap().contains("Too many signups from your network"), "pages speak in sentences");
        assert_eq!(app.count("subscribers").await, 2);
    }

    async fn invalid_attempts_do_not_use_up_the_ip_limit(backend) {
        let app = TestApp::spawn_with(backend, |s| s.signup.ip_limit_per_hour = 1).await;
        for _ in 0..3 {
            app.post_json("/api/v1/subscriptions", &json!({"email": "typo@", "consent": true})).await;
        }

        let response = app.sign_up("ada@example.com").await;

        assert_eq!(response.status(), StatusCode::ACCEPTED);
    }
}
