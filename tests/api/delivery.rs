//! The delivery engine against a real SMTP server over TCP that the tests control.

use std::collections::HashMap;
use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::backend_tests;
use crate::helpers::{TestApp, link_in};
use crate::smtp_sink::ReceivedMail;

fn copies_per_recipient(messages: &[ReceivedMail]) -> HashMap<String, usize> {
    let mut copies = HashMap::new();
    for message in messages
        .iter()
        .filter(|m| m.data.contains("List-Unsubscribe:"))
    {
        *copies.entry(message.to[0].clone()).or_insert(0) += 1;
    }
    copies
}

backend_tests! {
    async fn every_confirmed_reader_gets_exactly_one_personalised_copy_with_list_headers(backend) {
        let app = TestApp::spawn(backend).await;
        let token = app.api_token().await;
        app.confirmed_reader("ada@example.com", Some("Ada <Countess>")).await;
        app.confirmed_reader("bob@example.com", None).await;
        app.sign_up("pending@example.com").await;
        app.add_article(&token, &json!({"title": "Big story", "url": "https://news.example/big", "summary": "Read it."})).await;
        let before = app.smtp.wait_for(3, Duration::from_secs(10)).await.len();

        let id = app.send_digest(&token).await;

        let status = app.wait_for_digest(&token, id, "sent").await;
        assert_eq!((status["total"].as_i64(), status["sent"].as_i64(), status["pending"].as_i64()), (Some(2), Some(2), Some(0)));
        let digests: Vec<ReceivedMail> = app.smtp.messages().into_iter().skip(before).collect();
        let copies = copies_per_recipient(&digests);
        assert_eq!(copies.len(), 2);
        assert!(copies.values().all(|n| *n == 1));
        let ada = digests.iter().find(|m| m.to == ["ada@example.com"]).unwrap();
        let parsed = ada.parsed();
        assert_eq!(parsed.subject(), Some("The Tidings Newsletter: Big story"));
        let ada_id: i64 = sqlx::query_scalar("select id from subscribers where email = 'ada@example.com'").fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(parsed.message_id(), Some(format!("digest-{id}.reader-{ada_id}@localhost").as_str()));
        assert!(ada.data.contains("\r\nList-Id: <digest.localhost>\r\n"));
        assert!(ada.data.contains("\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"));
        assert!(ada.data.contains("\r\nPrecedence: bulk\r\n"));
        assert!(ada.html().contains("Hello Ada &#60;Countess&#62;,"));
        assert!(ada.text().contains("Hello Ada <Countess>,"));
        assert!(ada.html().contains("https://news.example/big") && ada.text().contains("https://news.example/big"));

        // The header's one-click URL works, with no cookie and no form token.
        let header_url = link_in(&ada.data, &format!("{}/unsubscribe/", app.address));
        assert!(ada.text().contains(&header_url), "the footer link is the same URL");
        let response = app.client.post(&header_url).header("content-type", "application/x-www-form-urlencoded").body("List-Unsubscribe=One-Click").send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(app.subscriber_status("ada@example.com").await.as_deref(), Some("unsubscribed"));
    }

    async fn replies_of_451_are_retried_until_everyone_has_the_digest(backend) {
        let app = TestApp::spawn(backend).await;
        let token = app.api_token().await;
        app.insert_confirmed_readers(6).await;
        app.add_article(&token, &json!({"title": "T", "url": "https://news.example/1"})).await;
        app.smtp.fail_next_rcpts(&["451 4.7.1 greylisted", "451 4.7.1 greylisted", "421 4.3.0 busy", "451 4.7.1 greylisted"]);

        let id = app.send_digest(&token).await;

        let status = app.wait_for_digest(&token, id, "sent").await;
        assert_eq!(status["sent"], 6);
        assert_eq!(status["failed"], 0);
        let copies = copies_per_recipient(&app.smtp.messages());
        assert_eq!(copies.len(), 6);
        assert!(copies.values().all(|n| *n == 1));
        let attempts: i64 = sqlx::query_scalar("select cast(sum(attempts) as bigint) from deliveries").fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(attempts, 6 + 4, "one attempt each, plus the four refused");
    }

    async fn a_550_no_such_user_fails_at_once_and_suppresses_the_address(backend) {
        let app = TestApp::spawn(backend).await;
        let token = app.api_token().await;
        app.insert_confirmed_readers(1).await;
        app.add_article(&token, &json!({"title": "One", "url": "https://news.example/1"})).await;
        app.smtp.fail_next_rcpts(&["550 5.1.1 no such user here"]);

        let first = app.send_digest(&token).await;

        let status = app.wait_for_digest(&token, first, "sent").await;
        assert_eq!((status["sent"].as_i64(), status["failed"].as_i64()), (Some(0), Some(1)));
        assert_eq!(app.smtp.rcpt_attempts(), 1, "not retried");
        let error: Option<String> = sqlx::query_scalar("select last_error from deliveries").fetch_one(&app.db.pool).await.unwrap();
        assert!(error.unwrap().contains("no such user"));

        app.add_article(&token, &json!({"title": "Two", "url": "https://news.example/2"})).await;
        let second = app.send_digest(&token).await;
        let status = app.wait_for_digest(&token, second, "sent").await;
        assert_eq!(status["total"], 0, "the bounced address gets no later digest");
    }

    async fn other_5xx_replies_fail_without_suppressing(backend) {
        let app = TestApp::spawn(backend).await;
        let token = app.api_token().await;
        app.insert_confirmed_readers(2).await;
        app.add_article(&token, &json!({"title": "One", "url": "https://news.example/1"})).await;
        app.smtp.fail_next_rcpts(&["552 5.2.2 mailbox full"]);

        let id = app.send_digest(&token).await;

        let status = app.wait_for_digest(&token, id, "sent").await;
        assert_eq!((status["sent"].as_i64(), status["failed"].as_i64()), (Some(1), Some(1)));
        let bounced: i64 = sqlx::query_scalar("select count(*) from subscribers where bounced_at is not null").fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(bounced, 0);
    }

    async fn with_the_server_down_the_digest_waits_and_then_goes_to_everyone(backend) {
        let mut app = TestApp::spawn(backend).await;
        let token = app.api_token().await;
        app.insert_confirmed_readers(10).await;
        app.add_article(&token, &json!({"title": "T", "url": "https://news.example/1"})).await;
        let port = app.smtp.port();
        app.smtp.stop().await;

        let id = app.send_digest(&token).await;
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while app.count("deliveries where last_error is not null").await == 0 {
            assert!(tokio::time::Instant::now() < deadline, "the workers never tried");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert_eq!(app.digest_status(&token, id).await["failed"], 0);
        app.smtp = crate::smtp_sink::SmtpSink::start_on(port).await;

        let status = app.wait_for_digest(&token, id, "sent").await;
        assert_eq!(status["sent"], 10);
        let copies = copies_per_recipient(&app.smtp.messages());
        assert_eq!(copies.len(), 10);
        assert!(copies.values().all(|n| *n == 1));
        let attempts: i64 = sqlx::query_scalar("select max(attempts) from deliveries").fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(attempts, 1, "the outage used up no attempts");
    }

    async fn a_cancelled_digest_sends_nothing_more(backend) {
        let mut app = TestApp::spawn(backend).await;
        let token = app.api_token().await;
        app.insert_confirmed_readers(5).await;
        app.add_article(&token, &json!({"title": "T", "url": "https://news.example/1"})).await;
        let port = app.smtp.port();
        app.smtp.stop().await;
        let id = app.send_digest(&token).await;

        let cancel = app.api(Method::POST, &format!("/api/v1/digests/{id}/cancel"), &token).send().await.unwrap();
        let again = app.api(Method::POST, &format!("/api/v1/digests/{id}/cancel"), &token).send().await.unwrap();

        assert_eq!(cancel.status(), StatusCode::OK);
        assert_eq!(again.status(), StatusCode::CONFLICT);
        // Rows that were in flight at the cancel come back from their failed try and are
        // cancelled at the next claim; then nothing is left that could be sent.
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while app.count("deliveries where status <> 'cancelled'").await > 0 {
            assert!(tokio::time::Instant::now() < deadline, "rows left uncancelled");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        app.smtp = crate::smtp_sink::SmtpSink::start_on(port).await;
        let status = app.wait_for_digest(&token, id, "cancelled").await;
        assert_eq!((status["total"].as_i64(), status["cancelled"].as_i64()), (Some(5), Some(5)));
        assert!(app.smtp.messages().is_empty());
    }

    async fn the_article_ids_of_a_digest_can_be_reused_once_it_is_cancelled(backend) {
        let app = TestApp::spawn(backend).await;
        let token = app.api_token().await;
        app.insert_confirmed_readers(1).await;
        app.smtp.stop().await;
        app.add_article(&token, &json!({"title": "T", "url": "https://news.example/1"})).await;
        let id = app.send_digest(&token).await;

        let cancel = app.api(Method::POST, &format!("/api/v1/digests/{id}/cancel"), &token).send().await.unwrap();
        assert_eq!(cancel.status(), StatusCode::OK);
        let preview = app.api(Method::GET, "/api/v1/digests/preview", &token).send().await.unwrap();

        assert_eq!(preview.status(), StatusCode::OK, "a cancelled digest's articles are new again");
    }

    async fn metrics_count_what_happened(backend) {
        let app = TestApp::spawn(backend).await;
        let token = app.api_token().await;
        app.confirmed_reader("ada@example.com", None).await;
        app.add_article(&token, &json!({"title": "T", "url": "https://news.example/1"})).await;
        let id = app.send_digest(&token).await;
        app.wait_for_digest(&token, id, "sent").await;

        let metrics = app.get("/metrics").await.text().await.unwrap();

        for line in ["tidings_signups_total 1", "tidings_confirmations_total 1", "tidings_messages_sent_total 2", "tidings_delivery_queue_depth 0"] {
            assert!(metrics.lines().any(|l| l == line), "{line} in\n{metrics}");
        }
        assert!(metrics.contains("tidings_smtp_send_seconds_count 2"));
    }
}
