//! The editors' home and `/api/v1/stats`: figures counted from a seeded database, the
//! readers chart day by day (its table, the JSON and the CSV), the unsubscribes each digest
//! caused, and the first-run checklist.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, NaiveDate};
use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::backend_tests;
use crate::helpers::TestApp;

const DAY: i64 = 24 * 60 * 60 * 1000;
const HOUR: i64 = 60 * 60 * 1000;
/// Not UTC, and half an hour off it: days must be the newsletter's, not the server's.
const ZONE: &str = "Asia/Kolkata";

/// The date of `at` (Unix milliseconds) in `ZONE`.
fn local_date(at: i64) -> NaiveDate {
    let zone: chrono_tz::Tz = ZONE.parse().unwrap();
    DateTime::from_timestamp_millis(at)
        .unwrap()
        .with_timezone(&zone)
        .date_naive()
}

/// Expected counts of one day: signed up, confirmed, unsubscribed, bounced, erased.
type Counts = [i64; 5];

/// One CSV line of a day: date, signed_up, confirmed, left, unsubscribed, bounced, erased.
fn csv_line(date: NaiveDate, c: &Counts) -> String {
    format!(
        "{date},{},{},{},{},{},{}",
        c[0],
        c[1],
        c[2] + c[3] + c[4],
        c[2],
        c[3],
        c[4]
    )
}

/// The `List-Unsubscribe` URL's path in the digest mailed to `to`.
fn unsubscribe_path(app: &TestApp, to: &str) -> String {
    let mail = app
        .smtp
        .messages()
        .into_iter()
        .find(|m| m.to == [to] && m.parsed().header_raw("List-Unsubscribe").is_some())
        .expect("a digest to the reader");
    let header = mail
        .parsed()
        .header_raw("List-Unsubscribe")
        .unwrap()
        .trim()
        .to_string();
    let url = header.trim_start_matches('<').trim_end_matches('>');
    url.strip_prefix(&app.address)
        .expect("a link to this app")
        .to_string()
}

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
            // Touched now, or the retention pass (which may run after this insert, on a slow
            // machine) deletes e, pending for 50 days.
            sqlx::query(
                "insert into subscribers (email, email_key, status, created_at, updated_at, confirmed_at, bounced_at)
                 values ($1, $1, $2, $3, $6, $4, $5)",
            )
            .bind(email)
            .bind(status)
            .bind(created)
            .bind(confirmed)
            .bind(bounced)
            .bind(now)
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

    async fn the_chart_its_table_the_json_and_the_csv_count_the_same_days(backend) {
        let app = TestApp::spawn_with(backend, |s| s.digest.timezone = ZONE.into()).await;
        let token = app.api_token().await;
        let now = tidings::db::now();
        // (email, status, created, confirmed, bounced); f signed up before the chart's window.
        let readers = [
            ("a@example.com", "confirmed", now - 3 * DAY, Some(now - 3 * DAY + HOUR), None),
            ("b@example.com", "confirmed", now - 3 * DAY, Some(now - 2 * DAY), Some(now - DAY)),
            ("c@example.com", "pending", now - 3 * DAY, None, None),
            ("d@example.com", "unsubscribed", now - 10 * DAY, Some(now - 10 * DAY), None),
            ("e@example.com", "confirmed", now, Some(now), None),
            ("f@example.com", "confirmed", now - 120 * DAY, Some(now - 120 * DAY), None),
        ];
        for (email, status, created, confirmed, bounced) in readers {
            sqlx::query(
                "insert into subscribers (email, email_key, status, created_at, updated_at, confirmed_at, bounced_at)
                 values ($1, $1, $2, $3, $3, $4, $5)",
            )
            .bind(email).bind(status).bind(created).bind(confirmed).bind(bounced)
            .execute(&app.db.pool).await.unwrap();
        }
        // d left 5 days ago; someone (no longer on the list) was erased 2 days ago.
        let unsubscribed_at = now - 5 * DAY;
        sqlx::query(
            "insert into consent_events (subscriber_id, event, privacy_version, terms_version, text_hash, source, created_at)
             select s.id, 'withdrawn', 'v1', 'v1', (select hash from consent_texts limit 1), 'form', $2
             from subscribers s where s.email = $1",
        )
        .bind("d@example.com").bind(unsubscribed_at)
        .execute(&app.db.pool).await.unwrap();
        let erased_at = now - 2 * DAY;
        sqlx::query("insert into suppressions (address_hash, reason, created_at) values ('gone', 'erased', $1)")
            .bind(erased_at)
            .execute(&app.db.pool).await.unwrap();
        let mut expected: BTreeMap<NaiveDate, Counts> = BTreeMap::new();
        for (_, _, created, confirmed, bounced) in readers {
            expected.entry(local_date(created)).or_default()[0] += 1;
            if let Some(at) = confirmed {
                expected.entry(local_date(at)).or_default()[1] += 1;
            }
            if let Some(at) = bounced {
                expected.entry(local_date(at)).or_default()[3] += 1;
            }
        }
        expected.entry(local_date(unsubscribed_at)).or_default()[2] += 1;
        expected.entry(local_date(erased_at)).or_default()[4] += 1;
        let today = local_date(now);
        let days: Vec<NaiveDate> = (0..90).rev().map(|back| today - chrono::Days::new(back)).collect();
        let counts = |date: &NaiveDate| expected.get(date).copied().unwrap_or_default();

        let stats: Value = app.api(Method::GET, "/api/v1/stats", &token).send().await.unwrap().json().await.unwrap();
        let csv = app.api(Method::GET, "/api/v1/stats.csv", &token).send().await.unwrap();
        let csv_type = csv.headers()["content-type"].to_str().unwrap().to_string();
        let csv = csv.text().await.unwrap();
        let page = app.editor_page("/editor").await;
        let (editor, _) = app.editor_client().await;
        let download = editor.get(format!("{}/editor/stats.csv", app.address)).send().await.unwrap();

        let daily = stats["daily"].as_array().unwrap();
        assert_eq!(daily.len(), 90);
        for (day, date) in daily.iter().zip(&days) {
            let c = counts(date);
            assert_eq!(
                day,
                &serde_json::json!({
                    "date": date.to_string(), "signed_up": c[0], "confirmed": c[1],
                    "left": c[2] + c[3] + c[4], "unsubscribed": c[2], "bounced": c[3], "erased": c[4],
                }),
                "{stats}"
            );
        }
        assert!(daily.iter().any(|d| d["signed_up"] == 3), "the three on one day: {stats}");
        let lines: Vec<String> = days.iter().map(|date| csv_line(*date, &counts(date))).collect();
        assert_eq!(csv, format!("date,signed_up,confirmed,left,unsubscribed,bounced,erased\n{}\n", lines.join("\n")));
        assert!(csv_type.starts_with("text/csv"), "{csv_type}");
        assert_eq!(download.status(), StatusCode::OK);
        assert!(download.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
        assert_eq!(download.text().await.unwrap(), csv, "the page's download is the API's CSV");

        // The chart: an image named and described for screen readers, with the totals (f is
        // outside the 90 days), and the same numbers in the table beside it.
        assert!(page.contains(r#"<svg class="chart" role="img" aria-labelledby="readers-chart-title readers-chart-desc""#), "{page}");
        assert!(page.contains(r#"<title id="readers-chart-title">Readers over the last 90 days</title>"#), "{page}");
        assert!(page.contains(": 5 signed up, 4 confirmed and 3 left (1 unsubscribed, 1 bounced, 1 erased). Most signups in a day: 3, on "), "{page}");
        assert!(page.contains("<polyline"), "{page}");
        for date in &days {
            let c = counts(date);
            let row = format!(
                r#"<tr><th scope="row">{date}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>"#,
                c[0], c[1], c[2] + c[3] + c[4], c[2], c[3], c[4]
            );
            assert!(page.contains(&row), "{row} in {page}");
        }
        assert!(page.contains(r#"<a href="/editor/stats.csv" download>"#), "{page}");
    }

    async fn the_csv_needs_a_token_or_an_editor(backend) {
        let app = TestApp::spawn(backend).await;

        let api = app.get("/api/v1/stats.csv").await;
        let page = app.get("/editor/stats.csv").await;

        assert_eq!(api.status(), StatusCode::UNAUTHORIZED);
        assert!(!api.text().await.unwrap().contains("signed_up"));
        assert_ne!(page.status(), StatusCode::OK);
        assert!(!page.text().await.unwrap().contains("signed_up"));
    }

    async fn a_one_click_unsubscribe_counts_against_the_digest_it_came_from(backend) {
        let app = TestApp::spawn(backend).await;
        let token = app.api_token().await;
        app.confirmed_reader("ada@example.com", None).await;
        app.confirmed_reader("bob@example.com", None).await;
        app.add_article(&token, &serde_json::json!({"title": "First", "url": "https://news.example/1"})).await;
        let first = app.send_digest(&token).await;
        app.wait_for_digest(&token, first, "sent").await;
        app.smtp.wait_for(4, Duration::from_secs(10)).await;
        let link = unsubscribe_path(&app, "ada@example.com");

        let pressed = app.post_raw(&link, "application/x-www-form-urlencoded", "List-Unsubscribe=One-Click").await;
        let again = app.post_raw(&link, "application/x-www-form-urlencoded", "List-Unsubscribe=One-Click").await;
        app.add_article(&token, &serde_json::json!({"title": "Second", "url": "https://news.example/2"})).await;
        let second = app.send_digest(&token).await;
        app.wait_for_digest(&token, second, "sent").await;

        assert_eq!((pressed.status(), again.status()), (StatusCode::OK, StatusCode::OK));
        let first_status = app.digest_status(&token, first).await;
        let second_status = app.digest_status(&token, second).await;
        assert_eq!((first_status["sent"].as_i64(), first_status["unsubscribes"].as_i64()), (Some(2), Some(1)), "{first_status}");
        assert_eq!((second_status["sent"].as_i64(), second_status["unsubscribes"].as_i64()), (Some(1), Some(0)), "{second_status}");
        let stats: Value = app.api(Method::GET, "/api/v1/stats", &token).send().await.unwrap().json().await.unwrap();
        let listed: Vec<(i64, i64)> = stats["digests"].as_array().unwrap().iter()
            .map(|d| (d["id"].as_i64().unwrap(), d["unsubscribes"].as_i64().unwrap()))
            .collect();
        assert_eq!(listed, [(second, 0), (first, 1)], "{stats}");
        assert_eq!(stats["daily"][89]["unsubscribed"], 1, "{stats}");
        let page = app.editor_page("/editor").await;
        let row_end = |id: i64| {
            let start = page.find(&format!(r#"<th scope="row">#{id} "#)).unwrap();
            page[start..].split("</tr>").next().unwrap().to_string()
        };
        assert!(row_end(first).ends_with("<td>sent</td><td>2</td><td>0</td><td>1</td><td>0</td>"), "{}", row_end(first));
        assert!(row_end(second).ends_with("<td>sent</td><td>1</td><td>0</td><td>0</td><td>0</td>"), "{}", row_end(second));
        let digests = app.editor_page("/editor/digest").await;
        let row = digests.split(&format!("#{first} ")).nth(1).unwrap().split("</tr>").next().unwrap();
        assert!(row.contains("1 unsubscribe from its links"), "{row}");
    }
}
