//! Test sends: the next digest to an editor's addresses, marked as a test, through the send
//! engine, counted nowhere, with an unsubscribe link that unsubscribes nobody.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{TestApp, csrf_in, link_in};

/// The value of the first input named `name`.
fn value_of(page: &str, name: &str) -> String {
    let at = page
        .find(&format!(r#"name="{name}""#))
        .unwrap_or_else(|| panic!("no {name} in {page}"));
    let start = at + page[at..].find(r#"value=""#).unwrap() + r#"value=""#.len();
    page[start..].chars().take_while(|c| *c != '"').collect()
}

backend_tests! {
    async fn an_editor_sends_a_test_to_themselves_that_unsubscribes_nobody(backend) {
        let app = TestApp::spawn_driven(backend).await;
        let token = app.api_token().await;
        app.insert_confirmed_readers(2).await;
        app.add_article(&token, &json!({"title": "Story", "url": "https://news.example/s"})).await;
        let (client, _) = app.editor_client().await;
        let base = &app.address;

        let page = client.get(format!("{base}/editor/digest")).send().await.unwrap().text().await.unwrap();
        let editor = value_of(&page, "to");
        assert!(editor.starts_with("editor-"), "the editor's own address by default: {editor}");
        let form = [("csrf", csrf_in(&page)), ("article_ids", value_of(&page, "article_ids")), ("to", editor.clone())];
        let sent = client.post(format!("{base}/editor/digest/test")).form(&form).send().await.unwrap();
        assert_eq!(sent.status(), StatusCode::SEE_OTHER);
        assert_eq!(sent.headers()["location"], "/editor/digest?tested=1");
        let page = client.get(format!("{base}/editor/digest?tested=1")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("A test is on its way to 1 address"), "{page}");

        app.drain().await;

        let mails = app.smtp.messages();
        assert_eq!(mails.len(), 1, "only the test, to the editor");
        let mail = &mails[0];
        assert_eq!(mail.to, [editor.as_str()]);
        assert_eq!(mail.parsed().subject(), Some("[Test] The Tidings Newsletter: Story"));
        assert_eq!(app.count("digests").await, 0, "a test makes no digest");
        let unsubscribe = link_in(&mail.text(), &format!("{base}/unsubscribe/"));
        let pressed = app.post_raw(&unsubscribe.replace(base.as_str(), ""), "application/x-www-form-urlencoded", "List-Unsubscribe=One-Click").await;
        assert_eq!(pressed.status(), StatusCode::OK);
        assert!(pressed.text().await.unwrap().contains("unsubscribed nobody"));
        assert_eq!(app.scalar_i64("select count(*) from subscribers where status = 'confirmed' and id > $1", 0).await, 2);
        let header = mail.parsed().header_raw("List-Unsubscribe").unwrap().trim().to_string();
        assert_eq!(header, format!("<{unsubscribe}>"));

        // The next digest is still the whole list's, untouched by the test.
        let id = app.send_digest(&token).await;
        app.drain().await;
        let status = app.digest_status(&token, id).await;
        assert_eq!((status["total"].as_i64(), status["sent"].as_i64()), (Some(2), Some(2)), "{status}");
    }

    async fn a_test_to_bad_addresses_says_which_and_sends_nothing(backend) {
        let app = TestApp::spawn_driven(backend).await;
        let token = app.api_token().await;
        app.add_article(&token, &json!({"title": "Story", "url": "https://news.example/s"})).await;
        let (client, _) = app.editor_client().await;
        let base = &app.address;
        let page = client.get(format!("{base}/editor/digest")).send().await.unwrap().text().await.unwrap();

        let form = [("csrf", csrf_in(&page)), ("article_ids", value_of(&page, "article_ids")), ("to", "ada@example.com, not-an-address".to_string())];
        let refused = client.post(format!("{base}/editor/digest/test")).form(&form).send().await.unwrap();
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = refused.text().await.unwrap();
        assert!(page.contains(r#"id="test-to-error""#) && page.contains("not-an-address"), "{page}");
        assert_eq!(app.count("outbox").await, 0);
    }

    async fn the_api_sends_tests_and_names_the_field_it_refuses(backend) {
        let app = TestApp::spawn_driven(backend).await;
        let token = app.api_token().await;
        let send = |body: Value| app.api(Method::POST, "/api/v1/digests/test", &token).json(&body).send();

        let nothing = send(json!({"to": ["ada@example.com"]})).await.unwrap();
        assert_eq!(nothing.status(), StatusCode::CONFLICT, "nothing new to test");

        let article = app.add_article(&token, &json!({"title": "Story", "url": "https://news.example/s"})).await;
        for (body, field) in [
            (json!({"to": []}), "to"),
            (json!({"to": ["a@x.example", "b@x.example", "c@x.example", "d@x.example", "e@x.example", "f@x.example"]}), "to"),
            (json!({"to": ["ada@example.com"], "article_ids": [999]}), "article_ids"),
        ] {
            let refused = send(body.clone()).await.unwrap();
            assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY, "{body}");
            let error: Value = refused.json().await.unwrap();
            assert!(error["fields"][field].is_string(), "{body}: {error}");
        }

        let queued = send(json!({"to": ["ada@example.com", "bob@example.com"], "article_ids": [article["id"]]})).await.unwrap();
        assert_eq!(queued.status(), StatusCode::ACCEPTED);
        assert_eq!(queued.json::<Value>().await.unwrap()["queued"], 2);
        app.drain().await;
        let mut to: Vec<String> = app.smtp.messages().iter().map(|m| m.to[0].clone()).collect();
        to.sort();
        assert_eq!(to, ["ada@example.com", "bob@example.com"]);
    }
}
