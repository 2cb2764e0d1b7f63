use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{TestApp, csrf_in};

fn article(n: u32) -> Value {
    json!({
        "title": format!("Headline {n}"),
        "url": format!("https://news.example/{n}"),
        "summary": format!("Summary {n}"),
        "author": "Ada",
        "published_at": format!("2026-11-{:02}T07:00:00Z", n),
    })
}

const EDITOR_ENDPOINTS: &[(&str, &str)] = &[
    ("GET", "/api/v1/articles"),
    ("POST", "/api/v1/articles"),
    ("GET", "/api/v1/articles/1"),
    ("PUT", "/api/v1/articles/1"),
    ("DELETE", "/api/v1/articles/1"),
    ("GET", "/api/v1/digests"),
    ("POST", "/api/v1/digests"),
    ("GET", "/api/v1/digests/preview"),
    ("GET", "/api/v1/digests/1"),
];

backend_tests! {
    async fn every_editor_endpoint_needs_a_valid_token(backend) {
        let app = TestApp::spawn(backend).await;
        let token = app.api_token().await;
        let mut near_miss = token.clone();
        near_miss.pop();
        near_miss.push(if token.ends_with('A') { 'B' } else { 'A' });

        for (method, path) in EDITOR_ENDPOINTS {
            let method: Method = method.parse().unwrap();
            let url = format!("{}{path}", app.address);
            let without = app.client.request(method.clone(), &url).json(&article(1)).send().await.unwrap();
            let wrong = app.client.request(method.clone(), &url).bearer_auth(&near_miss).json(&article(1)).send().await.unwrap();
            let good = app.client.request(method.clone(), &url).bearer_auth(&token).json(&article(1)).send().await.unwrap();

            assert_eq!(without.status(), StatusCode::UNAUTHORIZED, "{method} {path}");
            assert_eq!(without.headers().get("www-authenticate").map(|v| v.to_str().unwrap()), Some("Bearer"), "{method} {path}");
            assert!(without.json::<Value>().await.unwrap()["error"].as_str().unwrap().contains("token"));
            assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED, "{method} {path}");
            assert_ne!(good.status(), StatusCode::UNAUTHORIZED, "{method} {path}");
        }
    }

    async fn a_revoked_token_is_refused(backend) {
        let app = TestApp::spawn(backend).await;
        tidings::editors::create_token(&app.db, "ci").await.unwrap();
        let token = app.api_token().await;
        tidings::editors::revoke_token(&app.db, "ci").await.unwrap();
        let revoked = tidings::editors::create_token(&app.db, "ci").await;
        assert!(revoked.is_err(), "names stay taken after revocation");

        let response = app.api(Method::GET, "/api/v1/articles", &token).send().await.unwrap();

        assert_eq!(response.status(), StatusCode::OK, "other tokens still work");
    }

    async fn adding_an_article_answers_201_and_the_same_url_again_updates_it(backend) {
        let app = TestApp::spawn(backend).await;
        let token = app.api_token().await;

        let first = app.api(Method::POST, "/api/v1/articles", &token).json(&article(1)).send().await.unwrap();
        let mut changed = article(1);
        changed["title"] = json!("Headline 1, corrected");
        let second = app.api(Method::POST, "/api/v1/articles", &token).json(&changed).send().await.unwrap();

        assert_eq!(first.status(), StatusCode::CREATED);
        let first: Value = first.json().await.unwrap();
        assert_eq!(first["title"], "Headline 1");
        assert_eq!(first["author"], "Ada");
        assert_eq!(first["published_at"], "2026-11-01T07:00:00Z");
        assert_eq!(second.status(), StatusCode::OK);
        let second: Value = second.json().await.unwrap();
        assert_eq!(second["id"], first["id"]);
        assert_eq!(app.count("articles").await, 1);
        assert_eq!(second["title"], "Headline 1, corrected");
    }

    async fn articles_are_listed_newest_first_in_pages(backend) {
        let app = TestApp::spawn(backend).await;
        let token = app.api_token().await;
        for n in [3, 1, 5, 2, 4] {
            app.add_article(&token, &article(n)).await;
        }

        let page1: Value = app.api(Method::GET, "/api/v1/articles?per_page=2", &token).send().await.unwrap().json().await.unwrap();
        let page3: Value = app.api(Method::GET, "/api/v1/articles?per_page=2&page=3", &token).send().await.unwrap().json().await.unwrap();
        let bad = app.api(Method::GET, "/api/v1/articles?per_page=1000", &token).send().await.unwrap();

        let titles = |v: &Value| v["articles"].as_array().unwrap().iter().map(|a| a["title"].as_str().unwrap().to_string()).collect::<Vec<_>>();
        assert_eq!(titles(&page1), ["Headline 5", "Headline 4"]);
        assert_eq!(page1["next_page"], 2);
        assert_eq!(page1["total"], 5);
        assert_eq!(titles(&page3), ["Headline 1"]);
        assert!(page3["next_page"].is_null());
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }

    async fn invalid_articles_get_422_naming_the_fields(backend) {
        let app = TestApp::spawn(backend).await;
        let token = app.api_token().await;
        let cases = [
            (json!({"url": "https://news.example/1", "summary": "x"}), "title"),
            (json!({"title": "T", "url": "not a url"}), "url"),
            (json!({"title": "T", "url": "javascript:alert(1)"}), "url"),
            (json!({"title": "T\r\nX-Injected: 1", "url": "https://news.example/1"}), "title"),
            (json!({"title": "T", "url": "https://news.example/1", "published_at": "yesterday"}), "published_at"),
            (json!({"title": "T", "url": "https://news.example/1", "image_url": "ftp://x/y.png"}), "image_url"),
            (json!({"title": "x".repeat(301), "url": "https://news.example/1"}), "title"),
            (json!({"title": "T", "url": "https://news.example/1", "topics": ["local news"]}), "topics"),
            (json!({"title": "T", "url": "https://news.example/1", "topics": ["-x"]}), "topics"),
        ];

        for (body, field) in cases {
            let response = app.api(Method::POST, "/api/v1/articles", &token).json(&body).send().await.unwrap();

            assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{body}");
            let error: Value = response.json().await.unwrap();
            assert!(error["fields"][field].is_string(), "{field}: {error}");
        }
        assert_eq!(app.count("articles").await, 0);
    }

    async fn hostile_summaries_are_sanitised(backend) {
        let app = TestApp::spawn(backend).await;
        let token = app.api_token().await;
        let hostile = r#"<p onmouseover="steal()">Good <b>news</b><script>alert(1)</script> <a href="javascript:alert(2)">here</a> <a href="https://ok.example">there</a></p>"#;

        let article = app.add_article(&token, &json!({"title": "T", "url": "https://news.example/1", "summary": hostile})).await;
        let preview = app.api(Method::GET, "/api/v1/digests/preview", &token).send().await.unwrap().text().await.unwrap();

        for html in [article["summary_html"].as_str().unwrap(), preview.as_str()] {
            assert!(!html.contains("<script") && !html.contains("alert("), "{html}");
            assert!(!html.contains("onmouseover") && !html.contains("javascript:"), "{html}");
        }
        assert!(article["summary_html"].as_str().unwrap().contains("<b>news</b>"));
        assert!(preview.contains(r#"<a href="https://ok.example" rel="noopener noreferrer">there</a>"#));
        assert_eq!(article["summary_text"], "Good news here there");
    }

    async fn articles_can_be_updated_and_removed(backend) {
        let app = TestApp::spawn(backend).await;
        let token = app.api_token().await;
        let one = app.add_article(&token, &article(1)).await;
        app.add_article(&token, &article(2)).await;
        let path = format!("/api/v1/articles/{}", one["id"]);

        let mut changed = article(1);
        changed["summary"] = json!("New summary");
        let updated = app.api(Method::PUT, &path, &token).json(&changed).send().await.unwrap();
        let clash = app.api(Method::PUT, &path, &token).json(&article(2)).send().await.unwrap();
        let missing = app.api(Method::PUT, "/api/v1/articles/999", &token).json(&article(3)).send().await.unwrap();
        let removed = app.api(Method::DELETE, &path, &token).send().await.unwrap();
        let again = app.api(Method::DELETE, &path, &token).send().await.unwrap();

        assert_eq!(updated.status(), StatusCode::OK);
        assert_eq!(updated.json::<Value>().await.unwrap()["summary_text"], "New summary");
        assert_eq!(clash.status(), StatusCode::CONFLICT);
        assert_eq!(missing.status(), StatusCode::NOT_FOUND);
        assert_eq!(removed.status(), StatusCode::NO_CONTENT);
        assert_eq!(again.status(), StatusCode::NOT_FOUND);
        assert_eq!(app.count("articles").await, 1);
    }

    async fn a_page_far_past_the_end_or_a_bad_id_is_a_json_4xx(backend) {
        let app = TestApp::spawn(backend).await;
        let token = app.api_token().await;

        let far = app.api(Method::GET, &format!("/api/v1/articles?page={}&per_page=100", i64::MAX), &token).send().await.unwrap();
        let last = app.api(Method::GET, &format!("/api/v1/articles?page={}&per_page=1", i64::MAX), &token).send().await.unwrap();
        let bad_id = app.api(Method::GET, "/api/v1/articles/abc", &token).send().await.unwrap();

        assert_eq!(far.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(far.json::<Value>().await.unwrap()["fields"]["page"].is_string());
        assert_eq!(last.status(), StatusCode::OK);
        assert_eq!(last.json::<Value>().await.unwrap()["next_page"], Value::Null);
        assert_eq!(bad_id.status(), StatusCode::BAD_REQUEST);
        assert!(bad_id.json::<Value>().await.unwrap()["error"].as_str().unwrap().contains("abc"));
    }

    async fn articles_carry_topics_that_put_replaces_and_the_list_shows(backend) {
        let app = TestApp::spawn(backend).await;
        let token = app.api_token().await;
        let mut body = article(1);
        body["topics"] = json!(["Sport", " local-news ", "sport"]);

        let added = app.add_article(&token, &body).await;
        let path = format!("/api/v1/articles/{}", added["id"]);
        let shown: Value = app.api(Method::GET, &path, &token).send().await.unwrap().json().await.unwrap();
        let listed: Value = app.api(Method::GET, "/api/v1/articles", &token).send().await.unwrap().json().await.unwrap();

        assert_eq!(added["topics"], json!(["local-news", "sport"]), "slugs, sorted, once each");
        assert_eq!(shown["topics"], json!(["local-news", "sport"]));
        assert_eq!(listed["articles"][0]["topics"], json!(["local-news", "sport"]));
        let mut changed = article(1);
        changed["topics"] = json!(["politics"]);
        let updated: Value = app.api(Method::PUT, &path, &token).json(&changed).send().await.unwrap().json().await.unwrap();
        assert_eq!(updated["topics"], json!(["politics"]));
        let cleared: Value = app.api(Method::PUT, &path, &token).json(&article(1)).send().await.unwrap().json().await.unwrap();
        assert_eq!(cleared["topics"], json!([]), "PUT replaces: no topics given is none");
        let again: Value = app.api(Method::POST, "/api/v1/articles", &token).json(&body).send().await.unwrap().json().await.unwrap();
        assert_eq!(again["topics"], json!(["local-news", "sport"]), "posting the URL again replaces them too");
        let stored: i64 = sqlx::query_scalar("select count(*) from article_topics").fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(stored, 2);
    }

    async fn editors_type_an_articles_topics_on_its_pages(backend) {
        let app = TestApp::spawn(backend).await;
        let token = app.api_token().await;
        let (client, csrf) = app.editor_client().await;
        let base = &app.address;

        let refused = client.post(format!("{base}/editor/articles"))
            .form(&[("csrf", csrf.as_str()), ("title", "Match"), ("url", "https://news.example/m"), ("topics", "sport, not a topic!")])
            .send().await.unwrap();
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = refused.text().await.unwrap();
        assert!(page.contains(r#"id="topics-error""#) && page.contains(r#"value="sport, not a topic!""#), "{page}");
        assert_eq!(app.count("articles").await, 0);

        let added = client.post(format!("{base}/editor/articles"))
            .form(&[("csrf", csrf.as_str()), ("title", "Match"), ("url", "https://news.example/m"), ("topics", "Sport local-news,")])
            .send().await.unwrap();
        assert_eq!(added.status(), StatusCode::SEE_OTHER);
        let list = client.get(format!("{base}/editor/articles")).send().await.unwrap().text().await.unwrap();
        assert!(list.contains("topics: local-news, sport"), "{list}");
        let id: i64 = sqlx::query_scalar("select id from articles").fetch_one(&app.db.pool).await.unwrap();
        let edit = client.get(format!("{base}/editor/articles/{id}")).send().await.unwrap().text().await.unwrap();
        assert!(edit.contains(r#"name="topics" type="text" spellcheck="false" value="local-news, sport""#), "{edit}");

        let saved = client.post(format!("{base}/editor/articles/{id}"))
            .form(&[("csrf", csrf_in(&edit).as_str()), ("title", "Match"), ("url", "https://news.example/m"), ("topics", "politics")])
            .send().await.unwrap();
        assert_eq!(saved.status(), StatusCode::SEE_OTHER);
        let shown: Value = app.api(Method::GET, &format!("/api/v1/articles/{id}"), &token).send().await.unwrap().json().await.unwrap();
        assert_eq!(shown["topics"], json!(["politics"]));
    }
}
