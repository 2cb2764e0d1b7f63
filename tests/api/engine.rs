//! The send engine as readers and editors see it: one bad row fails on its own, the rest of
//! its batch goes out exactly once; confirmations do not wait behind a digest; `drain`
//! sends everything due and returns; a backlog is shared by every lane.

use serde_json::json;

use crate::backend_tests;
use crate::helpers::TestApp;

backend_tests! {
    async fn a_message_that_cannot_be_made_fails_alone_and_the_rest_of_its_batch_goes_once(backend) {
        let app = TestApp::spawn(backend).await;
        let token = app.api_token().await;
        // A row no signup would let in (an import from an older version, a hand edit): its
        // address no longer parses, so its email cannot be personalised.
        sqlx::query(
            "insert into subscribers (email, email_key, name, status, created_at, updated_at, confirmed_at)
             values ('not an address', 'not an address', 'Broken', 'confirmed', 1, 1, 1)",
        )
        .execute(&app.db.pool)
        .await
        .unwrap();
        app.insert_confirmed_readers(6).await;
        app.add_article(&token, &json!({"title": "Story", "url": "https://news.example/s"})).await;

        let id = app.send_digest(&token).await;

        let status = app.wait_for_digest(&token, id, "sent").await;
        assert_eq!((status["sent"].as_i64(), status["failed"].as_i64()), (Some(6), Some(1)), "{status}");
        let mut to: Vec<String> = app.smtp.messages().iter().map(|m| m.to[0].clone()).collect();
        to.sort();
        to.dedup();
        assert_eq!(to.len(), 6);
        assert_eq!(app.smtp.messages().len(), 6, "each reader once");
        let reason = app
            .scalar_text("select last_error from deliveries where digest_id = $1 and status = 'failed'", id)
            .await
            .unwrap();
        assert!(reason.contains("no longer parses"), "{reason}");
    }

    async fn a_backlog_in_the_outbox_is_sent_on_every_lane_at_once(backend) {
        let app = TestApp::spawn_with(backend, |s| {
            s.mail.concurrency = 4;
            // Only wake-ups bring lanes to the outbox: the poll would come too late.
            s.mail.poll_interval = std::time::Duration::from_secs(600);
        })
        .await;
        app.smtp.answer_data_after(std::time::Duration::from_millis(50));
        // By the time this is sent, every lane has looked at the empty queues and sleeps.
        assert_eq!(app.sign_up("early@example.com").await.status(), reqwest::StatusCode::ACCEPTED);
        app.smtp.wait_for(1, std::time::Duration::from_secs(10)).await;
        // Four lanes' worth of full batches.
        app.insert_confirmed_readers(64).await;
        // Queued the way another instance queues them: nothing here hears of it.
        sqlx::query(
            "insert into outbox (kind, subscriber_id, status, next_attempt_at, created_at)
             select 'unsubscribe_link', id, 'pending', 0, 0 from subscribers
             where email like 'reader-%'",
        )
        .execute(&app.db.pool)
        .await
        .unwrap();

        // One signup wakes one lane; the lane that finds a full batch wakes the next.
        assert_eq!(app.sign_up("newcomer@example.com").await.status(), reqwest::StatusCode::ACCEPTED);

        let messages = app.smtp.wait_for(66, std::time::Duration::from_secs(30)).await;
        let mut connections: Vec<usize> = messages.iter().map(|m| m.connection).collect();
        connections.sort_unstable();
        connections.dedup();
        assert_eq!(connections.len(), 4, "every lane took a share of the backlog");
    }

    async fn an_instance_with_no_lanes_sends_nothing_until_the_queues_are_drained(backend) {
        let app = TestApp::spawn_driven(backend).await;
        let token = app.api_token().await;
        app.insert_confirmed_readers(40).await;
        app.add_article(&token, &json!({"title": "Story", "url": "https://news.example/s"})).await;
        assert_eq!(app.sign_up("newcomer@example.com").await.status(), reqwest::StatusCode::ACCEPTED);
        let id = app.send_digest(&token).await;
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert!(app.smtp.messages().is_empty(), "mail.concurrency = 0 sends nothing");

        app.drain().await;

        let status = app.digest_status(&token, id).await;
        assert_eq!((status["status"].as_str(), status["sent"].as_i64()), (Some("sent"), Some(40)), "{status}");
        assert_eq!(app.smtp.messages().len(), 41, "the digest and the confirmation");
    }

    async fn a_signup_is_confirmed_by_email_while_a_digest_is_going_out(backend) {
        let app = TestApp::spawn_with(backend, |s| {
            s.mail.concurrency = 2;
            s.mail.rate_per_second = 400; // the digest takes a few seconds
        })
        .await;
        let token = app.api_token().await;
        app.insert_confirmed_readers(1200).await;
        app.add_article(&token, &json!({"title": "Story", "url": "https://news.example/s"})).await;
        let id = app.send_digest(&token).await;
        app.smtp.wait_for(100, std::time::Duration::from_secs(20)).await;

        assert_eq!(app.sign_up("newcomer@example.com").await.status(), reqwest::StatusCode::ACCEPTED);

        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let messages = app.smtp.messages();
            if messages.iter().any(|m| m.to[0] == "newcomer@example.com") {
                let status = app.digest_status(&token, id).await;
                assert_ne!(status["status"], "sent", "the confirmation went out while the digest was still going: {status}");
                break;
            }
            assert!(tokio::time::Instant::now() < deadline, "no confirmation while the digest was sending");
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }
}

/// PostgreSQL plans the claims from the table's statistics. Taken of an empty table (a new
/// list's first digest), they said one row, and each claim sorted every pending row under its
/// row locks while the other lanes' outcomes waited: the send ran at half speed, and in the
/// claim's older form stalled for minutes. Making a large digest refreshes them.
#[tokio::test]
async fn postgres_plans_the_claims_of_a_new_lists_first_digest_from_its_rows() {
    let Some(backend) = crate::helpers::Backend::postgres() else {
        return;
    };
    let app = TestApp::spawn(backend).await;
    let token = app.api_token().await;
    app.insert_confirmed_readers(3000).await;
    sqlx::query("analyze deliveries")
        .execute(&app.db.pool)
        .await
        .unwrap();
    app.add_article(
        &token,
        &json!({"title": "Story", "url": "https://news.example/s"}),
    )
    .await;

    app.send_digest(&token).await;

    let plan: Vec<String> = sqlx::query_scalar(
        "explain select id from deliveries where status = 'pending' and next_attempt_at <= 9000000000000
         order by next_attempt_at limit 64 for update skip locked",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let plan = plan.join("\n");
    assert!(
        plan.contains("deliveries_due") && !plan.contains("Sort"),
        "{plan}"
    );
}
