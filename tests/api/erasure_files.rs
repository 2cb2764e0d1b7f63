//! Erasure leaves no copy of the address or the name in the database's own files: on SQLite
//! neither the main file nor the write-ahead log holds them once the 204 is sent; on
//! PostgreSQL no heap page of the tables erasure touches holds them shortly after.

use std::time::Duration;

use reqwest::StatusCode;
use secrecy::ExposeSecret;
use serde_json::json;

use crate::backend_tests;
use crate::helpers::{Backend, TestApp};

const ADDRESS: &str = "quintessa.marlowe-erasure@example.org";
const NAME: &str = "Quintessa Zephyrine";

/// A reader who left traces in several tables (consent log, confirmation token, outbox, a
/// digest's delivery), then erased through the API.
async fn erased_reader(app: &TestApp) {
    let token = app.api_token().await;
    app.confirmed_reader(ADDRESS, Some(NAME)).await;
    app.add_article(
        &token,
        &json!({"title": "Story", "url": "https://news.example/s"}),
    )
    .await;
    let digest = app.send_digest(&token).await;
    app.wait_for_digest(&token, digest, "sent").await;
    let id = app.subscriber_id(ADDRESS).await.unwrap();

    let erased = app
        .api(
            reqwest::Method::DELETE,
            &format!("/api/v1/subscribers/{id}"),
            &token,
        )
        .send()
        .await
        .unwrap();

    assert_eq!(erased.status(), StatusCode::NO_CONTENT);
}

fn occurrences(haystack: &[u8], needle: &str) -> usize {
    haystack
        .windows(needle.len())
        .filter(|w| *w == needle.as_bytes())
        .count()
}

backend_tests! {
    async fn erasure_leaves_no_copy_of_the_address_in_the_database_files(backend) {
        let app = TestApp::spawn(backend.clone()).await;

        erased_reader(&app).await;

        match backend {
            Backend::Sqlite => {
                let url = app.settings.database.url.expose_secret().to_string();
                let path = url.strip_prefix("sqlite://").unwrap().to_string();
                for file in [path.clone(), format!("{path}-wal")] {
                    let bytes = std::fs::read(&file).unwrap_or_default();
                    for secret in [ADDRESS, NAME] {
                        assert_eq!(occurrences(&bytes, secret), 0, "{secret} in {file}");
                    }
                }
            }
            Backend::Postgres(_) => {
                sqlx::query("create extension if not exists pageinspect")
                    .execute(&app.db.pool)
                    .await
                    .unwrap();
                let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
                loop {
                    let mut found = Vec::new();
                    for table in tidings::subscribers::erasure::TOUCHED_TABLES {
                        for secret in [ADDRESS, NAME] {
                            let pages: i64 = sqlx::query_scalar(
                                "select count(*) from generate_series(0, (pg_relation_size($1::regclass) / 8192)::int - 1) blk
                                 where position(convert_to($2, 'UTF8') in get_raw_page($1, blk)) > 0",
                            )
                            .bind(*table)
                            .bind(secret)
                            .fetch_one(&app.db.pool)
                            .await
                            .unwrap();
                            if pages > 0 {
                                found.push(format!("{secret} in {table}"));
                            }
                        }
                    }
                    if found.is_empty() {
                        break;
                    }
                    assert!(tokio::time::Instant::now() < deadline, "still on heap pages: {found:?}");
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
            }
        }
    }
}
