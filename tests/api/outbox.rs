//! The confirmation email survives SMTP trouble: the outbox retries what can succeed later
//! and records what cannot.

use std::time::Duration;

use reqwest::StatusCode;

use crate::backend_tests;
use crate::helpers::TestApp;
use crate::smtp_sink::SmtpSink;

backend_tests! {
    async fn with_the_smtp_server_down_the_signup_succeeds_and_the_mail_goes_out_later(backend) {
        let mut app = TestApp::spawn(backend).await;
        let port = app.smtp.port();
        app.smtp.stop().await;

        let response = app.sign_up("ada@example.com").await;

        assert_eq!(response.status(), StatusCode::ACCEPTED, "the answer never waits on SMTP");
        // Let the worker meet the closed port at least once.
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while app.scalar_text("select last_error from outbox where id = $1", 1).await.is_none() {
            assert!(tokio::time::Instant::now() < deadline, "the worker never tried");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        app.smtp = SmtpSink::start_on(port).await;
        let mail = app.smtp.only_message().await;
        assert_eq!(mail.to, ["ada@example.com"]);
        app.confirmation_path(&mail);
        app.wait_for_outbox("sent", 1).await;
        assert_eq!(app.scalar_i64("select attempts from outbox where id = $1", 1).await, 1, "the outage used no attempts");
    }

    async fn a_temporary_smtp_failure_is_retried_until_it_succeeds(backend) {
        let app = TestApp::spawn(backend).await;
        app.smtp.fail_next_rcpts(&["451 4.3.0 try again later", "452 4.2.2 mailbox full"]);

        app.sign_up("ada@example.com").await;

        let mail = app.smtp.only_message().await;
        assert_eq!(mail.to, ["ada@example.com"]);
        app.wait_for_outbox("sent", 1).await;
        assert_eq!(app.smtp.rcpt_attempts(), 3);
        assert_eq!(app.scalar_i64("select attempts from outbox where id = $1", 1).await, 3);
    }

    async fn a_permanent_smtp_failure_is_recorded_and_not_retried(backend) {
        let app = TestApp::spawn(backend).await;
        app.smtp.fail_next_rcpts(&["550 5.1.1 no such user"]);

        app.sign_up("nobody@example.com").await;

        app.wait_for_outbox("failed", 1).await;
        let error = app.scalar_text("select last_error from outbox where id = $1", 1).await.unwrap();
        assert!(error.contains("no such user"), "{error}");
        tokio::time::sleep(Duration::from_millis(300)).await; // several poll intervals
        assert_eq!(app.smtp.rcpt_attempts(), 1);
        assert!(app.smtp.messages().is_empty());
    }

    async fn temporary_failures_stop_after_the_configured_attempts(backend) {
        let app = TestApp::spawn_with(backend, |s| s.mail.max_attempts = 2).await;
        app.smtp.fail_next_rcpts(&["451 4.3.0 later", "451 4.3.0 later", "451 4.3.0 later"]);

        app.sign_up("ada@example.com").await;

        app.wait_for_outbox("failed", 1).await;
        assert_eq!(app.smtp.rcpt_attempts(), 2);
        assert_eq!(app.scalar_i64("select attempts from outbox where id = $1", 1).await, 2);
    }

    async fn a_reader_confirmed_before_the_mail_went_out_gets_no_stale_link(backend) {
        let app = TestApp::spawn(backend).await;
        app.smtp.stop().await;
        app.sign_up("ada@example.com").await;

        sqlx::query("update subscribers set status = 'confirmed'").execute(&app.db.pool).await.unwrap();
        // As a confirmation link does: the newsletters asked for are confirmed with the reader.
        sqlx::query("update subscriptions set status = 'confirmed'").execute(&app.db.pool).await.unwrap();

        app.wait_for_outbox("skipped", 1).await;
    }
}
