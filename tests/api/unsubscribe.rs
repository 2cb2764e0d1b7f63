use reqwest::StatusCode;

use crate::backend_tests;
use crate::helpers::TestApp;

/// The unsubscribe path a digest for this reader would carry.
async fn unsubscribe_path(app: &TestApp, email: &str) -> String {
    let (id, secret): (i64, String) =
        sqlx::query_as("select id, link_secret from subscribers where email = $1")
            .bind(email)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let key = tidings::secrets::key(&app.db, "unsubscribe").await.unwrap();
    format!(
        "/unsubscribe/{}",
        tidings::token::sign_reader_link(&key, id, 1, &secret)
    )
}

backend_tests! {
    async fn opening_the_unsubscribe_link_shows_a_button_and_changes_nothing(backend) {
        let app = TestApp::spawn(backend).await;
        app.confirmed_reader("ada@example.com", None).await;
        let path = unsubscribe_path(&app, "ada@example.com").await;

        let response = app.get(&path).await;

        assert_eq!(response.status(), StatusCode::OK);
        let page = response.text().await.unwrap();
        assert!(page.contains(&format!(r#"<form method="post" action="{path}">"#)));
        assert!(page.contains("<strong>a***@example.com</strong> will get no more emails"), "the page says which address leaves");
        assert!(page.contains("Save name"));
        assert_eq!(app.subscriber_status("ada@example.com").await.as_deref(), Some("confirmed"));
    }

    async fn a_one_click_post_unsubscribes_at_once_with_no_cookie_or_form_token(backend) {
        let app = TestApp::spawn(backend).await;
        let token = app.api_token().await;
        app.confirmed_reader("ada@example.com", None).await;
        app.confirmed_reader("bob@example.com", None).await;
        app.smtp.stop().await; // the digest stays queued
        app.add_article(&token, &serde_json::json!({"title": "T", "url": "https://news.example/1"})).await;
        app.api(reqwest::Method::POST, "/api/v1/digests", &token).send().await.unwrap();
        let ada = unsubscribe_path(&app, "ada@example.com").await;
        let bob = unsubscribe_path(&app, "bob@example.com").await;

        let urlencoded = app.post_raw(&ada, "application/x-www-form-urlencoded", "List-Unsubscribe=One-Click").await;
        let multipart = app
            .client
            .post(format!("{}{bob}", app.address))
            .multipart(reqwest::multipart::Form::new().text("List-Unsubscribe", "One-Click"))
            .send()
            .await
            .unwrap();
        let again = app.post_raw(&ada, "application/x-www-form-urlencoded", "List-Unsubscribe=One-Click").await;

        for response in [urlencoded, multipart, again] {
            assert_eq!(response.status(), StatusCode::OK, "200, not a redirect");
            assert!(response.text().await.unwrap().contains("subscribe again"));
        }
        assert_eq!(app.subscriber_status("ada@example.com").await.as_deref(), Some("unsubscribed"));
        assert_eq!(app.subscriber_status("bob@example.com").await.as_deref(), Some("unsubscribed"));
        let withdrawn: i64 = sqlx::query_scalar("select count(*) from consent_events where event = 'withdrawn'")
            .fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(withdrawn, 2, "one event each, however often they click");
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let cancelled: i64 = sqlx::query_scalar("select count(*) from deliveries where status = 'cancelled'")
                .fetch_one(&app.db.pool).await.unwrap();
            if cancelled == 2 {
                break; // nothing more from the queued digest
            }
            assert!(tokio::time::Instant::now() < deadline, "{cancelled} of 2 deliveries cancelled");
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
    }

    async fn a_forged_or_mangled_unsubscribe_link_does_nothing(backend) {
        let app = TestApp::spawn(backend).await;
        app.confirmed_reader("ada@example.com", None).await;
        let path = unsubscribe_path(&app, "ada@example.com").await;
        let (id, secret): (i64, String) = sqlx::query_as("select id, link_secret from subscribers")
            .fetch_one(&app.db.pool).await.unwrap();
        let other_key = tidings::token::sign_reader_link(&[0u8; 32], id, 1, &secret);

        let forged = app.post_raw(&format!("/unsubscribe/{other_key}"), "application/x-www-form-urlencoded", "List-Unsubscribe=One-Click").await;
        let mangled = app.post_raw(&format!("{path}x"), "application/x-www-form-urlencoded", "List-Unsubscribe=One-Click").await;

        assert_eq!(forged.status(), StatusCode::NOT_FOUND);
        assert_eq!(mangled.status(), StatusCode::NOT_FOUND);
        assert_eq!(app.subscriber_status("ada@example.com").await.as_deref(), Some("confirmed"));
    }

    async fn after_leaving_the_page_says_who_left_and_offers_no_name_to_save(backend) {
        let app = TestApp::spawn(backend).await;
        app.confirmed_reader("ada@example.com", None).await;
        let path = unsubscribe_path(&app, "ada@example.com").await;
        app.post_raw(&path, "application/x-www-form-urlencoded", "List-Unsubscribe=One-Click").await;

        let page = app.get(&path).await.text().await.unwrap();

        assert!(page.contains("<strong>a***@example.com</strong> gets no emails from us"), "{page}");
        assert!(page.contains(r#"<a href="/">subscribe again</a>"#));
        assert!(!page.contains("Save name"), "no name to keep for a reader who left");
        assert!(page.contains("Email me my data"), "their data can still be asked for");
    }

    async fn an_unsubscribed_reader_can_sign_up_again(backend) {
        let app = TestApp::spawn(backend).await;
        app.confirmed_reader("ada@example.com", None).await;
        let path = unsubscribe_path(&app, "ada@example.com").await;
        app.post_raw(&path, "application/x-www-form-urlencoded", "List-Unsubscribe=One-Click").await;

        app.confirmed_reader("ada@example.com", None).await;

        assert_eq!(app.subscriber_status("ada@example.com").await.as_deref(), Some("confirmed"));
    }

    async fn a_link_that_does_not_work_offers_a_fresh_one_by_email_that_only_the_address_receives(backend) {
        let app = TestApp::spawn(backend).await;
        app.confirmed_reader("ada@example.com", Some("Ada")).await;
        let before = app.smtp.messages().len();

        let broken = app.get("/unsubscribe/AAAAbroken-link").await;
        assert_eq!(broken.status(), StatusCode::NOT_FOUND);
        let page = broken.text().await.unwrap();
        assert!(page.contains("This link does not work") && page.contains("action=\"/unsubscribe\""), "{page}");
        assert!(!page.contains("Confirmation links"), "not about confirmation links: {page}");

        let invalid = app.post_form("/unsubscribe", &[("email", "not an address")]).await;
        assert_eq!(invalid.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(invalid.text().await.unwrap().contains("id=\"email-error\""));

        // A stranger's address, a pending one and a reader's get the same answer; only the
        // reader gets mail (a pending address never confirmed it wants any).
        app.sign_up("pending@example.com").await;
        let before = app.smtp.wait_for(before + 1, std::time::Duration::from_secs(10)).await.len();
        let pending = app.post_form("/unsubscribe", &[("email", "pending@example.com")]).await;
        assert_eq!(pending.status(), StatusCode::OK);
        let stranger = app.post_form("/unsubscribe", &[("email", "nobody@example.com")]).await;
        assert_eq!(stranger.status(), StatusCode::OK);
        let stranger = stranger.text().await.unwrap();
        let asked = app.post_form("/unsubscribe", &[("email", "Ada@Example.com")]).await;
        assert_eq!(asked.status(), StatusCode::OK);
        let asked = asked.text().await.unwrap();
        assert!(asked.contains("Check your inbox") && stranger.contains("Check your inbox"));
        assert!(!asked.contains("ada@example.com"), "the address is masked: {asked}");

        let mails = app.smtp.wait_for(before + 1, std::time::Duration::from_secs(10)).await;
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert_eq!(app.smtp.messages().len(), before + 1, "nothing went to the stranger");
        let mail = mails.last().unwrap();
        assert_eq!(mail.to, ["ada@example.com"]);
        let link = crate::helpers::link_in(&mail.text(), &format!("{}/unsubscribe/", app.address));
        let left = app.post_raw(&link.replace(&app.address, ""), "application/x-www-form-urlencoded", "List-Unsubscribe=One-Click").await;
        assert_eq!(left.status(), StatusCode::OK);
        assert_eq!(app.subscriber_status("ada@example.com").await.as_deref(), Some("unsubscribed"));
    }
}
