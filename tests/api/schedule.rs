//! Schedule slots against a real database: each fires once, however many instances (or
//! restarts, which are the same thing to the database) try it.

use chrono::{DateTime, Utc};
use serde_json::json;
use tidings::app::build_state;
use tidings::digests::default_audience;
use tidings::scheduler::{Due, SlotOutcome, take_slot};

use crate::backend_tests;
use crate::helpers::TestApp;

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

backend_tests! {
    async fn a_slot_fires_once_across_instances_and_restarts(backend) {
        let app = TestApp::spawn(backend).await;
        let token = app.api_token().await;
        app.confirmed_reader("ada@example.com", None).await;
        app.add_article(&token, &json!({"title": "Morning story", "url": "https://news.example/m"})).await;
        let first_instance = build_state(app.settings.clone(), app.db.clone()).await.unwrap();
        let second_instance = build_state(app.settings.clone(), app.db.clone()).await.unwrap();
        let slot = Due::Fire(at("2026-11-24T07:00:00Z"));
        let audience = default_audience(&first_instance).await.unwrap();

        let (a, b) = tokio::join!(
            take_slot(&first_instance, &audience, slot),
            take_slot(&second_instance, &audience, slot)
        );
        let after_restart = take_slot(&first_instance, &audience, slot).await.unwrap();

        let outcomes = [a.unwrap(), b.unwrap()];
        assert_eq!(outcomes.iter().filter(|o| matches!(o, SlotOutcome::Sent(_))).count(), 1, "{outcomes:?}");
        assert!(outcomes.contains(&SlotOutcome::AlreadyTaken));
        assert_eq!(after_restart, SlotOutcome::AlreadyTaken);
        assert_eq!(app.count("digests").await, 1);
        let outcome: String = sqlx::query_scalar("select outcome from digest_slots").fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(outcome, "sent");
        let digest = app.count("digest_slots where digest_id is not null").await;
        assert_eq!(digest, 1);
    }

    async fn a_slot_with_nothing_new_sends_nothing_and_says_why(backend) {
        let app = TestApp::spawn(backend).await;
        let state = build_state(app.settings.clone(), app.db.clone()).await.unwrap();

        let audience = default_audience(&state).await.unwrap();
        let outcome = take_slot(&state, &audience, Due::Fire(at("2026-11-24T07:00:00Z"))).await.unwrap();

        assert_eq!(outcome, SlotOutcome::NothingNew { skipped: 0 });
        assert_eq!(app.count("digests").await, 0);
        let why: String = sqlx::query_scalar("select outcome from digest_slots").fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(why, "nothing new");
    }

    async fn a_slot_missed_while_down_is_recorded_and_not_sent(backend) {
        let app = TestApp::spawn(backend).await;
        let token = app.api_token().await;
        app.add_article(&token, &json!({"title": "Old news", "url": "https://news.example/o"})).await;
        let state = build_state(app.settings.clone(), app.db.clone()).await.unwrap();

        let audience = default_audience(&state).await.unwrap();
        let outcome = take_slot(&state, &audience, Due::Missed(at("2026-11-23T07:00:00Z"))).await.unwrap();

        assert_eq!(outcome, SlotOutcome::Missed);
        assert_eq!(app.count("digests").await, 0);
        let why: String = sqlx::query_scalar("select outcome from digest_slots").fetch_one(&app.db.pool).await.unwrap();
        assert!(why.contains("missed"));
    }
}

#[tokio::test]
async fn a_schedule_due_now_fires_when_the_service_starts() {
    // "* * * * *" makes the current minute's slot due (well inside the catch-up window) at
    // start; no article exists yet, so the slot is taken and records that nothing was new.
    let app = TestApp::spawn_with(crate::helpers::Backend::Sqlite, |s| {
        s.digest.schedule = "* * * * *".into()
    })
    .await;

    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    while app.count("digest_slots").await == 0 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the scheduler never took a slot"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }

    let why: String = sqlx::query_scalar("select outcome from digest_slots")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(why, "nothing new");
}
