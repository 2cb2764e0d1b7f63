use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::TestApp;

fn article(n: u32) -> Value {
    json!({
        "title": format!("Headline {n} & more"),
        "url": format!("https://news.example/{n}?a=1&b=2"),
        "summary": format!("Summary of story {n}."),
        "author": format!("Author {n}"),
        "published_at": format!("2026-11-{:02}T07:00:00Z", n),
    })
}

backend_tests! {
    async fn with_nothing_new_the_preview_and_the_send_say_so(backend) {
        let app = TestApp::spawn(backend).await;
        let token = app.api_token().await;

        let preview = app.api(Method::GET, "/api/v1/digests/preview", &token).send().await.unwrap();
        let send = app.api(Method::POST, "/api/v1/digests", &token).send().await.unwrap();

        for response in [preview, send] {
            assert_eq!(response.status(), StatusCode::CONFLICT);
            assert!(response.json::<Value>().await.unwrap()["error"].as_str().unwrap().contains("nothing new"));
        }
    }

    async fn the_preview_has_every_headline_and_link_newest_first_and_the_footer(backend) {
        let app = TestApp::spawn_with(backend, |s| s.digest.max_articles = 3).await;
        let token = app.api_token().await;
        for n in 1..=4 {
            app.add_article(&token, &article(n)).await;
        }

        let response = app.api(Method::GET, "/api/v1/digests/preview", &token).send().await.unwrap();

        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()["content-type"], "text/html; charset=utf-8");
        assert_eq!(response.headers()["x-digest-subject"], "The Tidings Newsletter: Headline 4 & more");
        let html = response.text().await.unwrap();
        let positions: Vec<usize> = [4, 3, 2]
            .iter()
            .map(|n| html.find(&format!("Headline {n} &#38; more")).unwrap_or_else(|| panic!("headline {n} in\n{html}")))
            .collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "newest first");
        assert!(!html.contains("Headline 1 "), "at most digest.max_articles");
        assert!(html.contains(r#"href="https://news.example/4?a=1&#38;b=2""#));
        assert!(html.contains("By Author 4"));
        assert!(html.contains("Read Next"));
        assert!(html.contains("/unsubscribe/"), "the footer's unsubscribe link");
        assert!(html.contains("Tidings Publishing, 1 Example Street"), "postal address");
        assert!(html.contains("You are receiving this email because"));
        assert!(!html.contains("<script"));
    }

    async fn creating_a_digest_snapshots_the_confirmed_readers_and_reports_progress(backend) {
        let app = TestApp::spawn(backend).await;
        let token = app.api_token().await;
        app.confirmed_reader("one@example.com", Some("One")).await;
        app.confirmed_reader("two@example.com", None).await;
        app.sign_up("pending@example.com").await;
        app.add_article(&token, &article(1)).await;
        app.add_article(&token, &article(2)).await;

        let created = app.api(Method::POST, "/api/v1/digests", &token).json(&json!({})).send().await.unwrap();

        assert_eq!(created.status(), StatusCode::ACCEPTED);
        let id = created.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
        let status = app.digest_status(&token, id).await;
        assert!(["queued", "sending", "sent"].contains(&status["status"].as_str().unwrap()), "{status}");
        assert_eq!(status["total"], 2, "pending readers get no digest");
        assert_eq!(status["failed"], 0);
        assert_eq!(status["subject"], "The Tidings Newsletter: Headline 2 & more");
        let again = app.api(Method::POST, "/api/v1/digests", &token).send().await.unwrap();
        assert_eq!(again.status(), StatusCode::CONFLICT, "its articles are no longer new");
        let missing = app.api(Method::GET, "/api/v1/digests/999", &token).send().await.unwrap();
        assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    }

    async fn a_digest_of_chosen_articles_with_its_own_subject(backend) {
        let app = TestApp::spawn(backend).await;
        let token = app.api_token().await;
        let one = app.add_article(&token, &article(1)).await;
        app.add_article(&token, &article(2)).await;

        let created = app
            .api(Method::POST, "/api/v1/digests", &token)
            .json(&json!({"article_ids": [one["id"]], "subject": "Just one"}))
            .send()
            .await
            .unwrap();
        let unknown = app.api(Method::POST, "/api/v1/digests", &token).json(&json!({"article_ids": [999]})).send().await.unwrap();
        let preview = app.api(Method::GET, "/api/v1/digests/preview", &token).send().await.unwrap().text().await.unwrap();

        assert_eq!(created.status(), StatusCode::ACCEPTED);
        let id = created.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
        let status: Value = app.api(Method::GET, &format!("/api/v1/digests/{id}"), &token).send().await.unwrap().json().await.unwrap();
        assert_eq!(status["subject"], "Just one");
        assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(unknown.json::<Value>().await.unwrap()["fields"]["article_ids"].as_str().unwrap().contains("999"));
        assert!(preview.contains("Headline 2") && !preview.contains("Headline 1 "), "article 1 is no longer new");
    }

    async fn a_digest_carries_its_preview_text_or_else_its_headlines(backend) {
        let app = TestApp::spawn_driven(backend).await;
        let token = app.api_token().await;
        app.insert_confirmed_readers(1).await;
        let one = app.add_article(&token, &article(1)).await;
        let too_long = app.api(Method::POST, "/api/v1/digests", &token).json(&json!({"preview_text": "x".repeat(151)})).send().await.unwrap();
        assert_eq!(too_long.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(too_long.json::<Value>().await.unwrap()["fields"]["preview_text"].is_string());

        let created = app
            .api(Method::POST, "/api/v1/digests", &token)
            .json(&json!({"article_ids": [one["id"]], "preview_text": "Floods, and what comes after"}))
            .send()
            .await
            .unwrap();
        assert_eq!(created.status(), StatusCode::ACCEPTED);
        app.drain().await;
        let html = app.smtp.messages().pop().unwrap().html();
        let hidden = html.find("display:none").expect("a hidden preheader");
        let text_at = html.find("Floods, and what comes after").expect("the preview text");
        assert!(hidden < text_at && text_at < html.find("View in your browser").unwrap(), "the preheader comes first");

        app.add_article(&token, &article(2)).await;
        app.send_digest(&token).await;
        app.drain().await;
        let html = app.smtp.messages().pop().unwrap().html();
        let preheader = &html[html.find("display:none").unwrap()..html.find("View in your browser").unwrap()];
        assert!(preheader.contains("Headline 2"), "without one, the headlines: {preheader}");
    }

    async fn a_malformed_digest_request_is_a_4xx(backend) {
        let app = TestApp::spawn(backend).await;
        let token = app.api_token().await;
        app.add_article(&token, &article(1)).await;

        let broken = app.api(Method::POST, "/api/v1/digests", &token).body("{").send().await.unwrap();
        let wrong_type = app.api(Method::POST, "/api/v1/digests", &token).json(&json!({"article_ids": "all"})).send().await.unwrap();
        let bad_subject = app.api(Method::POST, "/api/v1/digests", &token).json(&json!({"subject": "a\r\nBcc: x@y.z"})).send().await.unwrap();

        assert_eq!(broken.status(), StatusCode::BAD_REQUEST);
        assert_eq!(wrong_type.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad_subject.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(app.count("digests").await, 0);
    }

    async fn an_article_listed_twice_is_in_the_digest_once(backend) {
        let app = TestApp::spawn(backend).await;
        let token = app.api_token().await;
        let one = app.add_article(&token, &article(1)).await;

        let created = app.api(Method::POST, "/api/v1/digests", &token).json(&json!({"article_ids": [one["id"], one["id"]]})).send().await.unwrap();
        let null_body = app.api(Method::POST, "/api/v1/digests", &token).body("null").send().await.unwrap();

        assert_eq!(created.status(), StatusCode::ACCEPTED);
        assert_eq!(app.count("digest_articles").await, 1);
        assert_eq!(null_body.status(), StatusCode::CONFLICT, "null is the empty request: nothing new is left");
    }
}
