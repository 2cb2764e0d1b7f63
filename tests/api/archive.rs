//! The public archive: every digest that went out has a web version with no reader's data,
//! linked from its emails; `/archive` lists them and `/archive.xml` is their Atom feed; with
//! `newsletter.public_archive = false` all of it is gone.

use reqwest::StatusCode;
use serde_json::json;

use crate::backend_tests;
use crate::helpers::TestApp;

backend_tests! {
    async fn a_sent_digest_has_a_web_version_listed_in_the_archive_and_its_feed(backend) {
        let app = TestApp::spawn_driven(backend).await;
        let token = app.api_token().await;
        app.confirmed_reader_driven("ada@example.com", "Ada Lovelace").await;
        app.add_article(&token, &json!({"title": "Engines & <looms>", "url": "https://news.example/engines", "author": "C. Babbage"})).await;
        let sent = app.send_digest(&token).await;
        app.drain().await;
        app.add_article(&token, &json!({"title": "Never sent", "url": "https://news.example/never"})).await;
        let cancelled = app.send_digest(&token).await;
        let response = app.api(reqwest::Method::POST, &format!("/api/v1/digests/{cancelled}/cancel"), &token).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);

        let mail = app.smtp.messages().pop().unwrap();
        let link = format!("{}/archive/{sent}", app.address);
        assert!(mail.html().contains(&link) && mail.html().contains("View in your browser"), "{}", mail.html());
        assert!(mail.text().contains(&format!("View in your browser: {link}")));

        let page = app.get(&format!("/archive/{sent}")).await;
        assert_eq!(page.status(), StatusCode::OK);
        let page = page.text().await.unwrap();
        assert!(page.contains("Engines &#38; &#60;looms&#62;") && page.contains("https://news.example/engines") && page.contains("C. Babbage"), "{page}");
        for personal in ["Ada", "ada@example.com", "/unsubscribe/"] {
            assert!(!page.contains(personal), "the web version shows {personal}: {page}");
        }
        assert_eq!(app.get(&format!("/archive/{cancelled}")).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(app.get("/archive/not-a-digest").await.status(), StatusCode::NOT_FOUND);

        let list = app.get("/archive").await.text().await.unwrap();
        assert!(list.contains(&format!("href=\"/archive/{sent}\"")) && !list.contains(&format!("/archive/{cancelled}\"")), "{list}");

        let feed = app.get("/archive.xml").await;
        assert_eq!(feed.headers()["content-type"], "application/atom+xml; charset=utf-8");
        let feed = feed_rs::parser::parse(feed.bytes().await.unwrap().as_ref()).expect("a valid Atom feed");
        assert_eq!(feed.entries.len(), 1);
        assert_eq!(feed.entries[0].links[0].href, link);

        for page in ["/", "/subscribe/thanks"] {
            assert!(app.get(page).await.text().await.unwrap().contains("href=\"/archive\""), "{page} links to past issues");
        }
    }

    async fn with_the_archive_off_there_is_no_web_version_and_no_link_to_one(backend) {
        let app = TestApp::spawn_with(backend, |s| {
            s.mail.concurrency = 0;
            s.newsletter.public_archive = false;
        })
        .await;
        let token = app.api_token().await;
        app.insert_confirmed_readers(1).await;
        app.add_article(&token, &json!({"title": "Story", "url": "https://news.example/s"})).await;
        let sent = app.send_digest(&token).await;
        app.drain().await;

        let mail = app.smtp.messages().pop().unwrap();
        assert!(!mail.html().contains("View in your browser") && !mail.text().contains("/archive/"));
        for path in ["/archive".to_string(), "/archive.xml".to_string(), format!("/archive/{sent}")] {
            assert_eq!(app.get(&path).await.status(), StatusCode::NOT_FOUND, "{path}");
        }
        assert!(!app.get("/").await.text().await.unwrap().contains("/archive"));
    }
}
