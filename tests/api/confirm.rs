use reqwest::StatusCode;

use crate::backend_tests;
use crate::helpers::TestApp;

/// Signs up and returns the confirmation link's path.
async fn signed_up(app: &TestApp, email: &str) -> String {
    assert_eq!(app.sign_up(email).await.status(), StatusCode::ACCEPTED);
    let mail = app
        .smtp
        .wait_for(1, std::time::Duration::from_secs(10))
        .await
        .pop()
        .unwrap();
    app.confirmation_path(&mail)
}

backend_tests! {
    async fn opening_the_link_shows_a_button_and_changes_nothing(backend) {
        let app = TestApp::spawn(backend).await;
        let link = signed_up(&app, "ada@example.com").await;

        let first = app.get(&link).await;
        let second = app.get(&link).await;

        assert_eq!(first.status(), StatusCode::OK);
        let page = first.text().await.unwrap();
        assert!(page.contains(&format!(r#"<form method="post" action="{link}">"#)), "{page}");
        assert!(page.contains("Confirm my subscription"));
        assert_eq!(second.status(), StatusCode::OK, "a prefetching scanner does not use up the link");
        assert_eq!(app.subscriber_status("ada@example.com").await.as_deref(), Some("pending"));
        assert_eq!(app.count("consent_events").await, 1);
    }

    async fn pressing_the_button_confirms_and_records_the_consent(backend) {
        let app = TestApp::spawn(backend).await;
        let link = signed_up(&app, "ada@example.com").await;

        let response = app.post_form(&link, &[]).await;

        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(response.headers()["location"], "/subscribe/confirmed");
        assert!(app.get("/subscribe/confirmed").await.text().await.unwrap().contains("You're subscribed"));
        assert_eq!(app.subscriber_status("ada@example.com").await.as_deref(), Some("confirmed"));
        let events: Vec<(String, String, String, Option<String>)> = sqlx::query_as(
            "select event, source, text_hash, ip from consent_events order by id",
        )
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(events.len(), 2);
        assert_eq!((events[1].0.as_str(), events[1].1.as_str()), ("confirmed", "api"));
        assert_eq!(events[1].2, events[0].2, "the confirmation is of the statement granted");
        assert_eq!(events[1].3.as_deref(), Some("127.0.0.1"));
    }

    async fn a_subscribed_reader_opening_their_used_link_is_told_they_are_subscribed(backend) {
        let app = TestApp::spawn(backend).await;
        let link = signed_up(&app, "ada@example.com").await;
        app.post_form(&link, &[]).await;

        let get = app.get(&link).await;
        let post = app.post_form(&link, &[]).await;

        for response in [get, post] {
            assert_eq!(response.status(), StatusCode::OK);
            let page = response.text().await.unwrap();
            assert!(page.contains("You're subscribed") && page.contains("already confirmed"), "{page}");
            assert!(!page.contains("sign up again"), "{page}");
        }
        assert_eq!(app.count("consent_events").await, 2, "no second confirmation event");
    }

    async fn a_used_link_of_a_reader_who_left_offers_to_sign_up_again(backend) {
        let app = TestApp::spawn(backend).await;
        let link = signed_up(&app, "ada@example.com").await;
        app.post_form(&link, &[]).await;
        sqlx::query("update subscribers set status = 'unsubscribed'").execute(&app.db.pool).await.unwrap();

        let get = app.get(&link).await;
        let post = app.post_form(&link, &[]).await;

        for response in [get, post] {
            assert_eq!(response.status(), StatusCode::GONE);
            let page = response.text().await.unwrap();
            assert!(page.contains("already been used"));
            assert!(page.contains(r#"<a href="/">sign up again</a>"#));
        }
        assert_eq!(app.subscriber_status("ada@example.com").await.as_deref(), Some("unsubscribed"));
    }

    async fn reloading_the_signup_address_after_a_mistake_shows_the_form(backend) {
        let app = TestApp::spawn(backend).await;
        let mistake = app.post_form("/subscribe", &[("email", "ada@example.com")]).await;
        assert_eq!(mistake.status(), StatusCode::UNPROCESSABLE_ENTITY);

        let reload = app.get("/subscribe").await;

        assert_eq!(reload.status(), StatusCode::OK);
        let page = reload.text().await.unwrap();
        assert!(page.contains(r#"<form method="post" action="/subscribe""#), "{page}");
    }

    async fn an_expired_link_confirms_nobody(backend) {
        let app = TestApp::spawn(backend).await;
        let link = signed_up(&app, "ada@example.com").await;
        // Waiting 48 hours is not an option; move the expiry into the past instead.
        sqlx::query("update confirmation_tokens set expires_at = 1").execute(&app.db.pool).await.unwrap();

        let get = app.get(&link).await;
        let post = app.post_form(&link, &[]).await;

        for response in [get, post] {
            assert_eq!(response.status(), StatusCode::GONE);
            assert!(response.text().await.unwrap().contains("expired"));
        }
        assert_eq!(app.subscriber_status("ada@example.com").await.as_deref(), Some("pending"));
    }

    async fn links_expire_after_the_configured_time(backend) {
        let app = TestApp::spawn_with(backend, |s| s.signup.confirm_ttl = std::time::Duration::from_secs(5 * 3600)).await;
        signed_up(&app, "ada@example.com").await;

        let ttl: i64 = sqlx::query_scalar("select expires_at - created_at from confirmation_tokens")
            .fetch_one(&app.db.pool).await.unwrap();

        assert_eq!(ttl, 5 * 3_600_000);
        assert!(app.smtp.messages()[0].text().contains("expires in 5 hours"));
    }

    async fn an_unknown_or_mangled_link_is_a_clear_404(backend) {
        let app = TestApp::spawn(backend).await;
        let link = signed_up(&app, "ada@example.com").await;
        let mangled = format!("{}x", &link[..link.len() - 1]);

        let response = app.post_form(&mangled, &[]).await;

        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        assert!(response.text().await.unwrap().contains("sign up again"));
        assert_eq!(app.subscriber_status("ada@example.com").await.as_deref(), Some("pending"));
    }

    async fn the_database_keeps_only_a_hash_of_the_token(backend) {
        let app = TestApp::spawn(backend).await;
        let link = signed_up(&app, "ada@example.com").await;
        let token = link.rsplit('/').next().unwrap().to_string();

        let stored: String = sqlx::query_scalar("select token_hash from confirmation_tokens").fetch_one(&app.db.pool).await.unwrap();

        assert_ne!(stored, token);
        assert_eq!(stored.len(), 64);
        assert!(stored.chars().all(|c| c.is_ascii_hexdigit()));
    }

    async fn a_second_signup_while_pending_sends_a_new_link_and_both_work_once(backend) {
        let app = TestApp::spawn(backend).await;
        let first = signed_up(&app, "ada@example.com").await;
        app.sign_up("ada@example.com").await;
        let messages = app.smtp.wait_for(2, std::time::Duration::from_secs(10)).await;
        let second = app.confirmation_path(&messages[1]);
        assert_ne!(first, second);

        let confirm = app.post_form(&second, &[]).await;
        let events = app.count("consent_events").await;
        let stale = app.post_form(&first, &[]).await;

        assert_eq!(confirm.status(), StatusCode::SEE_OTHER);
        assert_eq!(stale.status(), StatusCode::OK);
        assert!(stale.text().await.unwrap().contains("already confirmed"), "the other link is retired");
        assert_eq!(app.count("consent_events").await, events, "and confirms nothing again");
    }
}
