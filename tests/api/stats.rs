//! The editors' home and `/api/v1/stats`: figures counted from a seeded database, and the
//! first-run checklist.

use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::backend_tests;
use crate::helpers::TestApp;

const DAY: i64 = 24 * 60 * 60 * 1000;

backend_tests! {
    async fn the_home_page_and_the_api_count_readers_as_they_are(backend) {
        let app = TestApp::spawn_with(backend, |s| {
            s.digest.schedule = "0 7 * * *".into();
            s.newsletter.postal_address = "Good News Ltd, 5 Real Road, Leeds".into();
        })
        .await;
        let token = app.api_token().await;
        let now = tidings::db::now();
        // Three confirmed (one bounced, one from 40 days ago), two pending (one recent), one
        // who left.
        for (email, status, created, confirmed, bounced) in [
            ("a@example.com", "confirmed", now - DAY, Some(now - DAY), None),
            ("b@example.com", "confirmed", now - 2 * DAY, Some(now - DAY), Some(now)),
            ("c@example.com", "confirmed", now - 40 * DAY, Some(now - 40 * DAY), None),
            ("d@example.com", "pending", now - DAY, None, None),
            ("e@example.com", "pending", now - 50 * DAY, None, None),
            ("f@example.com", "unsubscribed", now - 60 * DAY, Some(now - 60 * DAY), None),
        ] {
            sqlx::query(
                "insert into subscribers (email, email_key, status, created_at, updated_at, confirmed_at, bounced_at)
                 values ($1, $1, $2, $3, $3, $4, $5)",
            )
            .bind(email)
            .bind(status)
            .bind(created)
            .bind(confirmed)
            .bind(bounced)
            .execute(&app.db.pool)
            .await
            .unwrap();
        }

        // Consent grants: two from the footer form, one through the API, one too old to count.
        for (email, source, form, at) in [
            ("a@example.com", "form", Some("footer"), now - DAY),
            ("b@example.com", "form", Some("footer"), now - DAY),
            ("d@example.com", "api", None, now - DAY),
            ("c@example.com", "form", Some("footer"), now - 40 * DAY),
        ] {
            sqlx::query(
                "insert into consent_events (subscriber_id, event, privacy_version, terms_version, text_hash, source, form, created_at)
                 select s.id, 'granted', 'v1', 'v1', (select hash from consent_texts limit 1), $2, $3, $4
                 from subscribers s where s.email = $1",
            )
            .bind(email)
            .bind(source)
            .bind(form)
            .bind(at)
            .execute(&app.db.pool)
            .await
            .unwrap();
        }

        let stats: Value = app.api(Method::GET, "/api/v1/stats", &token).send().await.unwrap().json().await.unwrap();

        assert_eq!(stats["readers"], serde_json::json!({"confirmed": 3, "pending": 2, "unsubscribed": 1, "bounced": 1}), "{stats}");
        assert_eq!((stats["recent"]["signed_up"].as_i64(), stats["recent"]["confirmed"].as_i64()), (Some(3), Some(2)), "{stats}");
        let rate = stats["confirmation_rate"].as_f64().unwrap();
        assert!((rate - 2.0 / 3.0).abs() < 1e-9, "{stats}");
        assert!(stats["next_send"].as_str().unwrap().ends_with("T07:00:00Z"), "{stats}");
        assert_eq!(
            stats["sources"],
            serde_json::json!([{"source": "form", "form": "footer", "signups": 2}, {"source": "api", "form": null, "signups": 1}]),
            "{stats}"
        );
        let unauthorised = app.get("/api/v1/stats").await;
        assert_eq!(unauthorised.status(), StatusCode::UNAUTHORIZED);

        let page = app.editor_page("/editor").await;
        assert!(page.contains("<dt>Confirmed</dt><dd>3</dd>") && page.contains("<dt>Bounced</dt><dd>1</dd>"), "{page}");
        assert!(page.contains("3 signed up, 2 confirmed, 0 left") && page.contains("67 % have confirmed"), "{page}");
        assert!(page.contains("<strong>Done:</strong> A real postal address"), "{page}");
        assert!(page.contains("<td>form</td><td>footer</td><td>2</td>"), "{page}");
        assert!(page.contains("<strong>To do:</strong> Links over https") && page.contains("<strong>Done:</strong> An API token"), "{page}");
    }
}
