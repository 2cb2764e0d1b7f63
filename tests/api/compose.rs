//! Composing the next digest: editors pick, leave out and order articles, mark a lead story,
//! write the subject, preview text and an intro note; the draft survives a restart, and every
//! send (the page, the API, a test, a send-later) goes out with it.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tidings::app::App;
use tidings::scheduler::one_off;
use tokio::net::TcpListener;

use crate::backend_tests;

/// The default newsletter's id (migration 0014 made it).
const DEFAULT_NEWSLETTER: i64 = 1;
use crate::helpers::{TestApp, csrf_in};

/// The value of the first input named `name`.
fn value_of(page: &str, name: &str) -> String {
    let at = page
        .find(&format!(r#"name="{name}""#))
        .unwrap_or_else(|| panic!("no {name} in {page}"));
    let start = at + page[at..].find(r#"value=""#).unwrap() + r#"value=""#.len();
    page[start..].chars().take_while(|c| *c != '"').collect()
}

/// Presses a button of the composer on `page`, keeping what the page shows in the fields
/// except those in `typed`.
async fn press(
    client: &reqwest::Client,
    base: &str,
    page: &str,
    action: &str,
    op: &str,
    typed: &[(&str, &str)],
) -> reqwest::Response {
    let mut form: Vec<(String, String)> = [
        "csrf",
        "revision",
        "article_ids",
        "lead_article_id",
        "subject",
        "preview_text",
    ]
    .iter()
    .map(|name| (name.to_string(), value_of(page, name)))
    .collect();
    let intro_at = page.find(r#"<textarea id="intro""#).unwrap();
    let intro_start = intro_at + page[intro_at..].find('>').unwrap() + 1;
    let intro_end = intro_start + page[intro_start..].find("</textarea>").unwrap();
    form.push(("intro".into(), page[intro_start..intro_end].to_string()));
    form.push(("op".into(), op.into()));
    for (name, value) in typed {
        form.retain(|(n, _)| n != name);
        form.push((name.to_string(), value.to_string()));
    }
    client
        .post(format!("{base}{action}"))
        .form(&form)
        .send()
        .await
        .unwrap()
}

async fn titles_in_order(app: &TestApp, token: &str) -> Vec<String> {
    let draft: Value = app
        .api(Method::GET, "/api/v1/digests/draft", token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut titles = Vec::new();
    for id in draft["article_ids"].as_array().unwrap() {
        let article: Value = app
            .api(Method::GET, &format!("/api/v1/articles/{id}"), token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        titles.push(article["title"].as_str().unwrap().to_string());
    }
    titles
}

backend_tests! {
    async fn an_editor_composes_on_the_page_and_the_draft_survives_a_restart_and_is_what_goes_out(backend) {
        let app = TestApp::spawn_driven(backend).await;
        let token = app.api_token().await;
        app.insert_confirmed_readers(1).await;
        let old = app.add_article(&token, &json!({"title": "Old one", "url": "https://news.example/1", "published_at": "2026-11-01T08:00:00Z"})).await;
        app.add_article(&token, &json!({"title": "Middle one", "url": "https://news.example/2", "published_at": "2026-11-02T08:00:00Z", "image_url": "https://news.example/mid.jpg"})).await;
        app.add_article(&token, &json!({"title": "Left out", "url": "https://news.example/3", "published_at": "2026-11-03T08:00:00Z"})).await;
        let (client, _) = app.editor_client().await;
        let base = app.address.clone();
        let page = client.get(format!("{base}/editor/digest")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("No draft"), "{page}");

        // Leave one out, then make the oldest the lead story, with words typed meanwhile.
        let id_of = |title: &str, page: &str| -> String {
            let at = page.find(&format!(r#"<span class="headline">{title}</span>"#)).unwrap_or_else(|| panic!("{title} in {page}"));
            let rest = &page[at..];
            let op = rest.find(r#"value="drop:"#).or_else(|| rest.find(r#"value="add:"#)).unwrap();
            rest[op..].split(':').nth(1).unwrap().chars().take_while(char::is_ascii_digit).collect()
        };
        let dropped = press(&client, &base, &page, "/editor/digest/draft", &format!("drop:{}", id_of("Left out", &page)), &[("subject", "Friday reads")]).await;
        assert_eq!(dropped.status(), StatusCode::SEE_OTHER);
        let page = client.get(format!("{base}/editor/digest")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("A draft, saved by editor-"), "{page}");
        assert!(page.contains("Not in this digest") && page.contains(r#"value="Friday reads""#), "{page}");
        let lead = press(&client, &base, &page, "/editor/digest/draft", &format!("lead:{}", old["id"]), &[("intro", "Hello *all*,\n\nread [this](https://news.example/x) first.")]).await;
        assert_eq!(lead.status(), StatusCode::SEE_OTHER);
        assert_eq!(titles_in_order(&app, &token).await, ["Old one", "Middle one"], "the lead story moves to the top");

        // A second instance on the same database (a restart) shows the same draft.
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let mut settings = app.settings.clone();
        settings.server.bind = listener.local_addr().unwrap();
        let again = App::build_on(settings, listener).await.unwrap();
        let again_base = format!("http://{}", again.state().settings.server.bind);
        tokio::spawn(again.run_until(std::future::pending()));
        let page = client.get(format!("{again_base}/editor/digest")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains(r#"value="Friday reads""#) && page.contains("read [this](https://news.example/x) first."), "{page}");
        assert!(page.contains(r#"<strong class="badge">Lead story</strong>"#));
        let down = press(&client, &again_base, &page, "/editor/digest/draft", &format!("down:{}", old["id"]), &[]).await;
        assert_eq!(down.status(), StatusCode::SEE_OTHER);
        assert_eq!(titles_in_order(&app, &token).await, ["Middle one", "Old one"]);
        let page = client.get(format!("{base}/editor/digest")).send().await.unwrap().text().await.unwrap();
        let up = press(&client, &base, &page, "/editor/digest/draft", &format!("up:{}", old["id"]), &[]).await;
        assert_eq!(up.status(), StatusCode::SEE_OTHER);

        // Send it from the page: confirm, then send.
        let page = client.get(format!("{base}/editor/digest")).send().await.unwrap().text().await.unwrap();
        let confirm = press(&client, &base, &page, "/editor/digest/confirm", "", &[]).await.text().await.unwrap();
        assert!(confirm.contains("Friday reads") && confirm.contains("Lead story") && !confirm.contains("Left out"), "{confirm}");
        let form = [("csrf", csrf_in(&confirm)), ("revision", value_of(&confirm, "revision")), ("article_ids", value_of(&confirm, "article_ids"))];
        let sent = client.post(format!("{base}/editor/digest/send")).form(&form).send().await.unwrap();
        assert_eq!(sent.status(), StatusCode::SEE_OTHER);
        app.drain().await;

        let mails = app.smtp.messages();
        assert_eq!(mails.len(), 1);
        let (html, text) = (mails[0].html(), mails[0].text());
        assert_eq!(mails[0].parsed().subject(), Some("Friday reads"));
        assert!(html.contains("Hello <em>all</em>,") && html.contains(r#"<a href="https://news.example/x""#), "the intro as sanitised HTML: {html}");
        assert!(text.contains("Hello *all*,"), "the intro as typed in the text part: {text}");
        let (lead_at, mid_at) = (html.find(">Old one</a>").unwrap(), html.find(">Middle one</a>").unwrap());
        assert!(lead_at < mid_at && html[..lead_at].contains("font-size:28px"), "the lead story first and larger");
        assert!(html.contains("https://news.example/mid.jpg") && !html.contains("Left out"));
        assert!(text.find("OLD ONE").unwrap() < text.find("Middle one").unwrap(), "{text}");

        // The draft ended with the send: the left-out article is the next digest.
        let draft: Value = app.api(Method::GET, "/api/v1/digests/draft", &token).send().await.unwrap().json().await.unwrap();
        assert_eq!(draft["saved"], false, "{draft}");
        assert_eq!(draft["article_ids"].as_array().unwrap().len(), 1);
        let digest = app.scalar_i64("select max(id) from digests where id > $1", 0).await;
        let archived = app.get(&format!("/archive/{digest}")).await.text().await.unwrap();
        assert!(archived.contains("Hello <em>all</em>,") && archived.find("Old one").unwrap() < archived.find("Middle one").unwrap(), "{archived}");
    }

    async fn a_refused_field_keeps_what_was_typed_and_a_stale_page_changes_nothing(backend) {
        let app = TestApp::spawn_driven(backend).await;
        let token = app.api_token().await;
        app.add_article(&token, &json!({"title": "Story", "url": "https://news.example/s"})).await;
        let (client, _) = app.editor_client().await;
        let base = app.address.clone();
        let page = client.get(format!("{base}/editor/digest")).send().await.unwrap().text().await.unwrap();

        let long = "x".repeat(201);
        let refused = press(&client, &base, &page, "/editor/digest/draft", "save", &[("subject", &long), ("intro", "Kept *intro*")]).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let shown = refused.text().await.unwrap();
        assert!(shown.contains(r#"id="subject-error""#) && shown.contains("Kept *intro*"), "{shown}");
        assert_eq!(app.count("digest_draft").await, 0);

        // Another editor saved meanwhile: pressing a button on the old page is refused.
        let saved = app.api(Method::PUT, "/api/v1/digests/draft", &token).json(&json!({"article_ids": [], "subject": "Theirs"})).send().await.unwrap();
        assert_eq!(saved.status(), StatusCode::OK);
        let stale = press(&client, &base, &page, "/editor/digest/draft", "save", &[("subject", "Mine")]).await;
        assert_eq!(stale.status(), StatusCode::CONFLICT);
        let draft: Value = app.api(Method::GET, "/api/v1/digests/draft", &token).send().await.unwrap().json().await.unwrap();
        assert_eq!(draft["subject"], "Theirs");

        // An emptied draft sends nothing and says why.
        let page = client.get(format!("{base}/editor/digest")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("This digest has no article yet: add one"), "{page}");
        let api = app.api(Method::POST, "/api/v1/digests", &token).send().await.unwrap();
        assert_eq!(api.status(), StatusCode::CONFLICT);
        assert!(api.text().await.unwrap().contains("draft"));
        let discard = press(&client, &base, &page, "/editor/digest/draft", "discard", &[]).await;
        assert_eq!(discard.status(), StatusCode::SEE_OTHER);
        assert_eq!(app.count("digest_draft").await, 0);
    }

    async fn the_api_saves_checks_reads_and_sends_the_draft(backend) {
        let app = TestApp::spawn_driven(backend).await;
        let token = app.api_token().await;
        app.insert_confirmed_readers(2).await;
        let a = app.add_article(&token, &json!({"title": "A", "url": "https://news.example/a", "published_at": "2026-11-01T08:00:00Z"})).await;
        let b = app.add_article(&token, &json!({"title": "B", "url": "https://news.example/b", "published_at": "2026-11-02T08:00:00Z"})).await;
        let put = |body: Value| app.api(Method::PUT, "/api/v1/digests/draft", &token).json(&body).send();

        let none: Value = app.api(Method::GET, "/api/v1/digests/draft", &token).send().await.unwrap().json().await.unwrap();
        assert_eq!((none["saved"].as_bool(), none["article_ids"].clone()), (Some(false), json!([b["id"], a["id"]])), "newest first without a draft");
        for (body, field) in [
            (json!({"article_ids": [999]}), "article_ids"),
            (json!({"article_ids": [a["id"], a["id"]]}), "article_ids"),
            (json!({"article_ids": [a["id"]], "lead_article_id": b["id"]}), "lead_article_id"),
            (json!({"article_ids": [a["id"]], "subject": "two\nlines"}), "subject"),
            (json!({"article_ids": [a["id"]], "preview_text": "p".repeat(151)}), "preview_text"),
            (json!({"article_ids": [a["id"]], "intro": "i".repeat(5001)}), "intro"),
        ] {
            let refused = put(body.clone()).await.unwrap();
            assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY, "{body}");
            let answer: Value = refused.json().await.unwrap();
            assert!(answer["fields"][field].is_string(), "{body} -> {answer}");
        }
        assert_eq!(app.count("digest_draft").await, 0, "nothing refused is saved");

        let saved: Value = put(json!({"article_ids": [a["id"], b["id"]], "lead_article_id": b["id"], "subject": "Ours", "preview_text": "Peek", "intro": "**Hi**"})).await.unwrap().json().await.unwrap();
        assert_eq!((saved["saved"].as_bool(), saved["revision"].as_i64()), (Some(true), Some(1)), "{saved}");
        assert_eq!(saved["article_ids"], json!([a["id"], b["id"]]), "the editor's order, not the newest first");

        // A test goes out with the draft as composed, marked as a test.
        let test = app.api(Method::POST, "/api/v1/digests/test", &token).json(&json!({"to": ["me@example.com"]})).send().await.unwrap();
        assert_eq!(test.status(), StatusCode::ACCEPTED);
        app.drain().await;
        let mails = app.smtp.messages();
        assert_eq!(mails[0].parsed().subject(), Some("[Test] Ours"));
        assert!(mails[0].html().contains("<strong>Hi</strong>") && mails[0].html().contains("Peek"));

        let sent = app.api(Method::POST, "/api/v1/digests", &token).send().await.unwrap();
        assert_eq!(sent.status(), StatusCode::ACCEPTED);
        app.drain().await;
        let digests: Vec<_> = app.smtp.messages().into_iter().filter(|m| m.parsed().subject() == Some("Ours")).collect();
        assert_eq!(digests.len(), 2, "each reader once");
        let html = digests[0].html();
        assert!(html.find(">B<").unwrap() < html.find(">A<").unwrap(), "the lead story first: {html}");
        assert_eq!(app.count("digest_draft").await, 0, "the send ended the draft");
        let again = app.api(Method::DELETE, "/api/v1/digests/draft", &token).send().await.unwrap();
        assert_eq!(again.status(), StatusCode::NO_CONTENT);
    }

    async fn a_send_later_goes_out_with_the_draft(backend) {
        let app = TestApp::spawn_driven(backend).await;
        let token = app.api_token().await;
        app.insert_confirmed_readers(1).await;
        let a = app.add_article(&token, &json!({"title": "Chosen", "url": "https://news.example/a"})).await;
        app.add_article(&token, &json!({"title": "Not chosen", "url": "https://news.example/b"})).await;
        let saved = app.api(Method::PUT, "/api/v1/digests/draft", &token).json(&json!({"article_ids": [a["id"]], "subject": "Scheduled and composed"})).send().await.unwrap();
        assert_eq!(saved.status(), StatusCode::OK);

        one_off::schedule(&app.state, DEFAULT_NEWSLETTER, tidings::db::now() + 200, "test").await.unwrap();
        tokio::time::sleep(Duration::from_millis(300)).await;
        one_off::fire_due(&app.state).await.unwrap();
        app.drain().await;
        let mails = app.smtp.messages();
        assert_eq!(mails.len(), 1);
        assert_eq!(mails[0].parsed().subject(), Some("Scheduled and composed"));
        assert!(mails[0].html().contains("Chosen") && !mails[0].html().contains("Not chosen"));
    }
}
