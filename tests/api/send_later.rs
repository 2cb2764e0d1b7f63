//! Send later: a one-off send of the next digest at a chosen time, listed on the digest page,
//! cancellable until it starts, fired exactly once however many instances race for it.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;
use tidings::scheduler::one_off;

use crate::backend_tests;

/// The default newsletter's id (migration 0014 made it).
const DEFAULT_NEWSLETTER: i64 = 1;
use crate::helpers::{TestApp, csrf_in};

async fn digests_by(app: &TestApp, created_by: &str) -> i64 {
    sqlx::query_scalar("select count(*) from digests where created_by = $1")
        .bind(created_by)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

backend_tests! {
    async fn a_scheduled_send_fires_once_at_its_time(backend) {
        let app = TestApp::spawn(backend).await;
        let token = app.api_token().await;
        app.insert_confirmed_readers(2).await;
        app.add_article(&token, &json!({"title": "Story", "url": "https://news.example/s"})).await;

        let id = one_off::schedule(&app.state, DEFAULT_NEWSLETTER, tidings::db::now() + 800, "editor:ada@example.com").await.unwrap();
        assert_eq!(digests_by(&app, &format!("scheduled:{id}")).await, 0, "not before its time");
        // Two more instances racing the running one for the same row.
        tokio::time::sleep(Duration::from_millis(900)).await;
        let (a, b) = tokio::join!(one_off::fire_due(&app.state), one_off::fire_due(&app.state));
        a.unwrap();
        b.unwrap();

        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while app.smtp.messages().len() < 2 {
            assert!(tokio::time::Instant::now() < deadline, "the scheduled digest did not go out");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(digests_by(&app, &format!("scheduled:{id}")).await, 1, "exactly once");
        let sends = one_off::list(&app.db.pool).await.unwrap();
        assert_eq!(sends[0].status, one_off::SendState::Sent);
        assert!(sends[0].digest_id.is_some());
    }

    async fn an_editor_schedules_from_the_page_and_can_cancel_until_it_starts(backend) {
        let app = TestApp::spawn_with(backend, |s| {
            s.digest.schedule = "0 7 * * 1".into();
            s.digest.timezone = "Europe/Berlin".into();
        })
        .await;
        let (client, csrf) = app.editor_client().await;
        let base = &app.address;

        let page = client.get(format!("{base}/editor/digest")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("Automatic sends: <code>0 7 * * 1</code> (Europe/Berlin), next on Mon"), "{page}");

        let past = client.post(format!("{base}/editor/digest/later")).form(&[("csrf", csrf.as_str()), ("at", "2020-01-01T07:00")]).send().await.unwrap();
        assert_eq!(past.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(past.text().await.unwrap().contains("Choose a time in the future."));
        let blank = client.post(format!("{base}/editor/digest/later")).form(&[("csrf", csrf.as_str()), ("at", "")]).send().await.unwrap();
        assert_eq!(blank.status(), StatusCode::UNPROCESSABLE_ENTITY);

        let scheduled = client.post(format!("{base}/editor/digest/later")).form(&[("csrf", csrf.as_str()), ("at", "2099-06-05T07:30")]).send().await.unwrap();
        assert_eq!(scheduled.status(), StatusCode::SEE_OTHER);
        let at: i64 = sqlx::query_scalar("select send_at from scheduled_sends").fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(at, 4_084_320_600_000, "07:30 in Berlin (summer) is 05:30 UTC");
        let page = client.get(format!("{base}/editor/digest")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("Fri 5 Jun 2099, 07:30: scheduled"), "{page}");
        let id: i64 = sqlx::query_scalar("select id from scheduled_sends").fetch_one(&app.db.pool).await.unwrap();

        let cancelled = client.post(format!("{base}/editor/scheduled/{id}/cancel")).form(&[("csrf", csrf_in(&page).as_str())]).send().await.unwrap();
        assert_eq!(cancelled.status(), StatusCode::SEE_OTHER);
        let page = client.get(format!("{base}/editor/digest")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("Fri 5 Jun 2099, 07:30: cancelled"), "{page}");
        assert!(matches!(one_off::cancel(&app.state, id).await, Err(one_off::CancelScheduledError::NotScheduled)));
    }

    async fn a_cancelled_send_never_fires_and_one_with_nothing_new_says_so(backend) {
        let app = TestApp::spawn_driven(backend).await;
        let token = app.api_token().await;
        app.insert_confirmed_readers(1).await;
        app.add_article(&token, &json!({"title": "Story", "url": "https://news.example/s"})).await;
        let now = tidings::db::now();
        let cancelled = one_off::schedule(&app.state, DEFAULT_NEWSLETTER, now + 300, "test").await.unwrap();
        one_off::cancel(&app.state, cancelled).await.unwrap();
        tokio::time::sleep(Duration::from_millis(400)).await;
        one_off::fire_due(&app.state).await.unwrap();
        assert_eq!(app.count("digests").await, 0);

        // Everything goes in a digest now, so the next scheduled send has nothing new.
        app.send_digest(&token).await;
        let empty = one_off::schedule(&app.state, DEFAULT_NEWSLETTER, tidings::db::now() + 300, "test").await.unwrap();
        tokio::time::sleep(Duration::from_millis(400)).await;
        one_off::fire_due(&app.state).await.unwrap();
        let sends = one_off::list(&app.db.pool).await.unwrap();
        let empty = sends.iter().find(|s| s.id == empty).unwrap();
        assert_eq!(empty.status, one_off::SendState::NothingNew);
        assert_eq!(app.count("digests").await, 1);
        assert!(matches!(one_off::schedule(&app.state, DEFAULT_NEWSLETTER, tidings::db::now() - 1, "test").await, Err(one_off::ScheduleError::InThePast)));
    }
}
