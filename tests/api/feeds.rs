//! Feed import against feeds served by the test itself.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use reqwest::Method;
use serde_json::Value;

use crate::backend_tests;
use crate::helpers::TestApp;

const RSS: &str = r#"<?xml version="1.0"?>
<rss version="2.0"><channel><title>News</title><link>https://news.example/</link><description>d</description>
<item><title>Feed story one</title><link>https://news.example/feed-1</link><description>&lt;p&gt;First &lt;script&gt;bad()&lt;/script&gt;summary&lt;/p&gt;</description><pubDate>Mon, 23 Nov 2026 07:00:00 GMT</pubDate><author>ada@news.example (Ada)</author><category>Local News</category><category>Sport/Football</category><category>local news</category><category>¿?</category></item>
<item><title>Feed story two</title><link>/feed-2</link><pubDate>Tue, 24 Nov 2026 07:00:00 GMT</pubDate></item>
<item><title>No link at all</title></item>
</channel></rss>"#;

/// Serves the good feed (with an ETag, answering 304 to it) and a malformed one; records
/// the If-None-Match header of every request to the good feed.
async fn feed_server() -> (String, Arc<Mutex<Vec<Option<String>>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let app = Router::new()
        .route(
            "/feed.xml",
            get(move |headers: HeaderMap| {
                let log = log.clone();
                async move {
                    let tag = headers
                        .get(header::IF_NONE_MATCH)
                        .map(|v| v.to_str().unwrap().to_string());
                    log.lock().unwrap().push(tag.clone());
                    if tag.as_deref() == Some("\"v1\"") {
                        return StatusCode::NOT_MODIFIED.into_response();
                    }
                    (
                        [
                            (header::ETAG, "\"v1\""),
                            (header::CONTENT_TYPE, "application/rss+xml"),
                        ],
                        RSS,
                    )
                        .into_response()
                }
            }),
        )
        .route(
            "/broken.xml",
            get(|| async { "<rss><channel><item><title>unclosed" }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (base, seen)
}

backend_tests! {
    async fn feed_entries_become_articles_and_a_broken_feed_is_noted_and_survived(backend) {
        let (base, seen) = feed_server().await;
        let app = TestApp::spawn_with(backend, |s| {
            s.feeds.urls = vec![format!("{base}/broken.xml").parse().unwrap(), format!("{base}/feed.xml").parse().unwrap()];
            s.feeds.poll_interval = Duration::from_secs(1);
        })
        .await;
        let token = app.api_token().await;

        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        let articles = loop {
            let list: Value = app.api(Method::GET, "/api/v1/articles", &token).send().await.unwrap().json().await.unwrap();
            // The page, not `total`: the two are separate queries, and the poller may insert
            // the second entry between them.
            if list["articles"].as_array().is_some_and(|a| a.len() == 2) {
                break list["articles"].as_array().unwrap().clone();
            }
            assert!(tokio::time::Instant::now() < deadline, "the feed was not imported: {list}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        };

        assert_eq!(articles[0]["title"], "Feed story two");
        assert_eq!(articles[0]["url"], format!("{base}/feed-2"), "relative links resolved");
        assert_eq!(articles[1]["title"], "Feed story one");
        assert_eq!(articles[1]["published_at"], "2026-11-23T07:00:00Z");
        assert!(!articles[1]["summary_html"].as_str().unwrap().contains("script"));
        assert_eq!(articles[1]["topics"], serde_json::json!(["local-news", "sport-football"]), "categories become topics");
        assert_eq!(articles[0]["topics"], serde_json::json!([]));
        let error: Option<String> = sqlx::query_scalar("select last_error from feeds where url like '%broken.xml'")
            .fetch_one(&app.db.pool).await.unwrap();
        assert!(error.is_some_and(|e| e.contains("pars")));
        assert_eq!(app.get("/healthz").await.status(), reqwest::StatusCode::OK);

        // The next poll is conditional and, answered 304, changes nothing.
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while !seen.lock().unwrap().iter().any(|tag| tag.as_deref() == Some("\"v1\"")) {
            assert!(tokio::time::Instant::now() < deadline, "no conditional request was made");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(app.count("articles").await, 2);
    }

    async fn an_editors_change_survives_the_next_poll(backend) {
        let (base, _) = feed_server().await;
        let app = TestApp::spawn_with(backend, |s| {
            s.feeds.urls = vec![format!("{base}/feed.xml").parse().unwrap()];
        })
        .await;
        let token = app.api_token().await;
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while app.count("articles").await < 2 {
            assert!(tokio::time::Instant::now() < deadline);
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        app.add_article(&token, &serde_json::json!({"title": "Edited", "url": format!("{base}/feed-2")})).await;
        let client = tidings::feeds::http_client().unwrap();
        sqlx::query("delete from feeds").execute(&app.db.pool).await.unwrap(); // force a full fetch

        let imported = tidings::feeds::poll(&app.db, &client, &format!("{base}/feed.xml").parse().unwrap()).await.unwrap();

        assert_eq!(imported, 0);
        let title: String = sqlx::query_scalar("select title from articles where url like '%feed-2'").fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(title, "Edited");
    }
}
