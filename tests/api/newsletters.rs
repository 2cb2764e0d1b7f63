//! Newsletters on the editors' side: the API's CRUD, the pages that list, add, change and
//! delete them, the digest page working on a chosen newsletter (composer, preview, test,
//! send, send-later), and previewing the next digest as a topic choice or as one reader.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{TestApp, csrf_in};

/// The value of the first input named `name`.
fn value_of(page: &str, name: &str) -> String {
    let at = page
        .find(&format!(r#"name="{name}""#))
        .unwrap_or_else(|| panic!("no {name} in {page}"));
    let start = at + page[at..].find(r#"value=""#).unwrap() + r#"value=""#.len();
    page[start..].chars().take_while(|c| *c != '"').collect()
}

/// The `srcdoc` of the iframe whose title is `title`, as the page holds it (HTML-escaped).
fn iframe(page: &str, title: &str) -> String {
    let at = page
        .find(&format!(r#"title="{title}""#))
        .unwrap_or_else(|| panic!("no iframe {title:?} in {page}"));
    let start = at + page[at..].find(r#"srcdoc=""#).unwrap() + r#"srcdoc=""#.len();
    page[start..].chars().take_while(|c| *c != '"').collect()
}

/// The weekend newsletter, through the API.
async fn add_weekend(app: &TestApp, token: &str) -> Value {
    let response = app
        .api(Method::POST, "/api/v1/newsletters", token)
        .json(&json!({"slug": "weekend", "name": "The Weekend Read", "from_name": "Weekend Desk"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.unwrap()
}

/// A confirmed reader of these newsletters (none: the default one) with these topics,
/// through the real signup and confirmation, on an app that sends when drained.
async fn reader(app: &TestApp, email: &str, newsletters: &[&str], topics: &[&str]) -> i64 {
    let response = app
        .post_json(
            "/api/v1/subscriptions",
            &json!({"email": email, "consent": true, "newsletters": newsletters, "topics": topics}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    app.drain().await;
    let mail = app
        .smtp
        .messages()
        .into_iter()
        .rev()
        .find(|m| m.to == [email])
        .expect("a confirmation email");
    let confirmed = app.post_form(&app.confirmation_path(&mail), &[]).await;
    assert_eq!(confirmed.status(), StatusCode::SEE_OTHER);
    app.subscriber_id(email).await.unwrap()
}

/// The addresses each message since `before` went to, sorted.
fn recipients_since(app: &TestApp, before: usize) -> Vec<String> {
    let mut to: Vec<String> = app.smtp.messages()[before..]
        .iter()
        .map(|m| m.to[0].clone())
        .collect();
    to.sort();
    to
}

/// Every field of the newsletter form, as the add form shows them before anything is typed,
/// with `typed` over them.
fn form<'a>(page: &str, typed: &[(&'a str, &'a str)]) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = [
        "csrf",
        "slug",
        "name",
        "schedule",
        "timezone",
        "max_articles",
        "subject",
        "topics",
        "from_name",
        "instant_min_interval",
        "welcome_subject",
    ]
    .iter()
    .map(|name| (name.to_string(), value_of(page, name)))
    .collect();
    for (name, value) in [("send_hour", "7"), ("weekly_day", "1")] {
        fields.push((name.into(), value.into()));
    }
    for (name, value) in typed {
        fields.retain(|(n, _)| n != name);
        fields.push((name.to_string(), value.to_string()));
    }
    fields
}

backend_tests! {
    async fn the_api_adds_shows_changes_and_deletes_newsletters_and_names_what_it_refuses(backend) {
        let app = TestApp::spawn(backend).await;
        let token = app.api_token().await;
        let call = |method: Method, path: &str, body: Option<Value>| {
            let request = app.api(method, path, &token);
            let request = match body {
                Some(body) => request.json(&body),
                None => request,
            };
            request.send()
        };

        let added = add_weekend(&app, &token).await;
        assert_eq!(added["slug"], "weekend");
        assert_eq!(added["from_name"], "Weekend Desk");
        assert_eq!(added["is_default"], false);
        assert_eq!(added["instant_min_interval"], "1h", "defaults filled in: {added}");
        let list: Value = call(Method::GET, "/api/v1/newsletters", None).await.unwrap().json().await.unwrap();
        let slugs: Vec<&str> = list.as_array().unwrap().iter().map(|n| n["slug"].as_str().unwrap()).collect();
        assert_eq!(slugs, ["news", "weekend"], "the default first");

        let changed = call(Method::PATCH, "/api/v1/newsletters/weekend", Some(json!({
            "schedule": "0 8 * * 6", "timezone": "Europe/Berlin", "topics": ["Long-Read"],
            "cadences": ["weekly", "daily"], "send_hour": 9, "weekly_day": 6, "instant_min_interval": "30m",
            "welcome_subject": "Welcome", "welcome_body": "Hello *there*."
        }))).await.unwrap();
        assert_eq!(changed.status(), StatusCode::OK);
        let shown: Value = call(Method::GET, "/api/v1/newsletters/weekend", None).await.unwrap().json().await.unwrap();
        assert_eq!(shown["schedule"], "0 8 * * 6");
        assert_eq!(shown["topics"], json!(["long-read"]));
        assert_eq!(shown["cadences"], json!(["daily", "weekly"]));
        assert_eq!((shown["send_hour"].as_i64(), shown["weekly_day"].as_i64()), (Some(9), Some(6)));
        assert_eq!(shown["instant_min_interval"], "30m");
        assert_eq!(shown["name"], "The Weekend Read", "fields not given stay");

        for (method, path, body, fields) in [
            (Method::POST, "/api/v1/newsletters", json!({"slug": "Bad Slug", "timezone": "Mars/Olympus", "max_articles": 0}), vec!["slug", "name", "timezone", "max_articles"]),
            (Method::POST, "/api/v1/newsletters", json!({"slug": "news", "name": "Another"}), vec!["slug"]),
            (Method::PATCH, "/api/v1/newsletters/weekend", json!({"slug": "news"}), vec!["slug"]),
            (Method::PATCH, "/api/v1/newsletters/weekend", json!({"schedule": "every day", "send_hour": 24, "instant_min_interval": "5s"}), vec!["schedule", "send_hour", "instant_min_interval"]),
        ] {
            let refused = call(method.clone(), path, Some(body.clone())).await.unwrap();
            assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY, "{method} {body}");
            let error: Value = refused.json().await.unwrap();
            for field in fields {
                assert!(error["fields"][field].is_string(), "{method} {body}: {field} in {error}");
            }
        }
        let taken: Value = call(Method::POST, "/api/v1/newsletters", Some(json!({"slug": "news", "name": "Another"}))).await.unwrap().json().await.unwrap();
        assert!(taken["fields"]["slug"].as_str().unwrap().contains("already"), "{taken}");
        assert_eq!(app.count("newsletters").await, 2, "nothing refused was stored");

        let default = call(Method::DELETE, "/api/v1/newsletters/news", None).await.unwrap();
        assert_eq!(default.status(), StatusCode::CONFLICT);
        assert!(default.text().await.unwrap().contains("default"));
        for method in [Method::GET, Method::PATCH, Method::DELETE] {
            let missing = call(method.clone(), "/api/v1/newsletters/nope", (method == Method::PATCH).then(|| json!({"name": "X"}))).await.unwrap();
            assert_eq!(missing.status(), StatusCode::NOT_FOUND, "{method}");
        }
        let deleted = call(Method::DELETE, "/api/v1/newsletters/weekend", None).await.unwrap();
        assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
        let gone = call(Method::GET, "/api/v1/newsletters/weekend", None).await.unwrap();
        assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    }

    async fn a_newsletter_that_sent_a_digest_stays(backend) {
        let app = TestApp::spawn_driven(backend).await;
        let token = app.api_token().await;
        add_weekend(&app, &token).await;
        app.add_article(&token, &json!({"title": "Story", "url": "https://news.example/s"})).await;
        let sent = app.api(Method::POST, "/api/v1/digests", &token).json(&json!({"newsletter": "weekend"})).send().await.unwrap();
        assert_eq!(sent.status(), StatusCode::ACCEPTED);

        let refused = app.api(Method::DELETE, "/api/v1/newsletters/weekend", &token).send().await.unwrap();

        assert_eq!(refused.status(), StatusCode::CONFLICT);
        assert!(refused.text().await.unwrap().contains("has digests"));
        let page = app.editor_page("/editor/newsletters/weekend/delete").await;
        assert!(page.contains("This newsletter stays") && !page.contains("Yes, delete it"), "{page}");
    }

    async fn an_editor_adds_and_changes_a_newsletter_on_the_pages_and_sees_its_readers(backend) {
        let app = TestApp::spawn_driven(backend).await;
        let token = app.api_token().await;
        let (client, _) = app.editor_client().await;
        let base = app.address.clone();
        let page = client.get(format!("{base}/editor/newsletters")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains(r#"href="/editor/newsletters""#), "the nav links the page: {page}");
        assert!(page.contains("The Tidings Newsletter") && page.contains("Default"), "{page}");

        let added = client.post(format!("{base}/editor/newsletters"))
            .form(&form(&page, &[("slug", "weekend"), ("name", "The Weekend Read"), ("topics", "Long-Read, culture"), ("cadence_weekly", "on")]))
            .send().await.unwrap();
        assert_eq!(added.status(), StatusCode::SEE_OTHER);
        assert_eq!(added.headers()["location"], "/editor/newsletters?saved=weekend");
        let shown: Value = app.api(Method::GET, "/api/v1/newsletters/weekend", &token).send().await.unwrap().json().await.unwrap();
        assert_eq!(shown["name"], "The Weekend Read");
        assert_eq!(shown["topics"], json!(["culture", "long-read"]));
        assert_eq!(shown["cadences"], json!(["weekly"]));

        reader(&app, "ada@example.com", &["weekend"], &[]).await;
        reader(&app, "bob@example.com", &["news", "weekend"], &[]).await;
        reader(&app, "cy@example.com", &[], &[]).await;
        let list = client.get(format!("{base}/editor/newsletters?saved=weekend")).send().await.unwrap().text().await.unwrap();
        assert!(list.contains("Saved The Weekend Read."), "{list}");
        let row = |slug: &str| list.split(&format!(r#"href="/editor/newsletters/{slug}">"#)).nth(1).unwrap().split("</tr>").next().unwrap().to_string();
        assert!(row("weekend").contains("<td>2</td>"), "{}", row("weekend"));
        assert!(row("news").contains("<td>2</td>"), "{}", row("news"));

        // Every field, on the newsletter's own page.
        let edit = client.get(format!("{base}/editor/newsletters/weekend")).send().await.unwrap().text().await.unwrap();
        assert!(edit.contains("2 readers get it") && edit.contains(r#"value="culture, long-read""#), "{edit}");
        let saved = client.post(format!("{base}/editor/newsletters/weekend"))
            .form(&form(&edit, &[
                ("name", "Weekend"), ("description", "Long reads for slow mornings."),
                ("schedule", "0 8 * * 6"), ("timezone", "Europe/Berlin"), ("max_articles", "3"),
                ("subject", "{newsletter}: {count} long reads"), ("topics", ""), ("from_name", "Weekend Desk"),
                ("cadence_instant", "on"), ("cadence_daily", "on"), ("send_hour", "9"), ("weekly_day", "6"),
                ("instant_min_interval", "2h"), ("welcome_subject", "Welcome to Weekend"),
                ("welcome_body", "Hello *there*,\r\n\r\nglad you came."),
            ]))
            .send().await.unwrap();
        assert_eq!(saved.status(), StatusCode::SEE_OTHER);
        let shown: Value = app.api(Method::GET, "/api/v1/newsletters/weekend", &token).send().await.unwrap().json().await.unwrap();
        let expected = json!({
            "slug": "weekend", "name": "Weekend", "description": "Long reads for slow mornings.",
            "schedule": "0 8 * * 6", "timezone": "Europe/Berlin", "max_articles": 3,
            "subject": "{newsletter}: {count} long reads", "topics": [], "from_name": "Weekend Desk",
            "cadences": ["daily", "instant"], "send_hour": 9, "weekly_day": 6,
            "instant_min_interval": "2h", "welcome_subject": "Welcome to Weekend",
            "welcome_body": "Hello *there*,\n\nglad you came.", "is_default": false,
        });
        for (field, value) in expected.as_object().unwrap() {
            assert_eq!(&shown[field], value, "{field}: {shown}");
        }
        let edit = client.get(format!("{base}/editor/newsletters/weekend")).send().await.unwrap().text().await.unwrap();
        assert!(edit.contains(r#"<option value="9" selected>09:00</option>"#) && edit.contains(r#"<option value="6" selected>Saturday</option>"#), "{edit}");
        assert!(edit.contains(r#"name="cadence_daily" type="checkbox" value="on" checked"#) && !edit.contains(r#"name="cadence_weekly" type="checkbox" value="on" checked"#), "{edit}");
    }

    async fn a_refused_newsletter_form_comes_back_with_422_the_messages_and_what_was_typed(backend) {
        let app = TestApp::spawn(backend).await;
        let token = app.api_token().await;
        add_weekend(&app, &token).await;
        let (client, _) = app.editor_client().await;
        let base = &app.address;
        let page = client.get(format!("{base}/editor/newsletters")).send().await.unwrap().text().await.unwrap();

        let refused = client.post(format!("{base}/editor/newsletters"))
            .form(&form(&page, &[("slug", "Not A Slug"), ("name", "Sport Daily"), ("timezone", "Mars"), ("max_articles", "lots"), ("topics", "local news!")]))
            .send().await.unwrap();
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = refused.text().await.unwrap();
        for field in ["slug", "timezone", "max_articles", "topics"] {
            assert!(page.contains(&format!(r#"id="{field}-error""#)), "{field}: {page}");
        }
        assert!(!page.contains(r#"id="name-error""#));
        assert!(page.contains(r#"value="Not A Slug""#) && page.contains(r#"value="Sport Daily""#) && page.contains(r#"value="lots""#) && page.contains(r#"value="local news!""#), "typed text kept: {page}");
        assert!(page.contains("is not an IANA time zone"), "{page}");

        let taken = client.post(format!("{base}/editor/newsletters"))
            .form(&form(&page, &[("slug", "weekend"), ("name", "Sport Daily"), ("timezone", "UTC"), ("max_articles", "5"), ("topics", "")]))
            .send().await.unwrap();
        assert_eq!(taken.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = taken.text().await.unwrap();
        assert!(page.contains(r#"id="slug-error""#) && page.contains("already has the slug"), "{page}");
        assert_eq!(app.count("newsletters").await, 2);

        let edit = client.get(format!("{base}/editor/newsletters/weekend")).send().await.unwrap().text().await.unwrap();
        let refused = client.post(format!("{base}/editor/newsletters/weekend"))
            .form(&form(&edit, &[("slug", "news"), ("schedule", "at dawn")]))
            .send().await.unwrap();
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = refused.text().await.unwrap();
        assert!(page.contains(r#"id="schedule-error""#) && page.contains(r#"value="at dawn""#), "{page}");
        let refused = client.post(format!("{base}/editor/newsletters/weekend"))
            .form(&form(&edit, &[("slug", "news")]))
            .send().await.unwrap();
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.text().await.unwrap().contains(r#"id="slug-error""#));
        let shown: Value = app.api(Method::GET, "/api/v1/newsletters/weekend", &token).send().await.unwrap().json().await.unwrap();
        assert_eq!((shown["slug"].as_str(), shown["schedule"].as_str()), (Some("weekend"), Some("")), "nothing refused was saved");

        let missing = client.get(format!("{base}/editor/newsletters/nope")).send().await.unwrap();
        assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    }

    async fn an_editor_deletes_a_newsletter_after_a_confirmation_but_never_the_default(backend) {
        let app = TestApp::spawn(backend).await;
        let token = app.api_token().await;
        add_weekend(&app, &token).await;
        let (client, csrf) = app.editor_client().await;
        let base = &app.address;

        let default = client.get(format!("{base}/editor/newsletters/news/delete")).send().await.unwrap().text().await.unwrap();
        assert!(default.contains("This newsletter stays") && !default.contains("Yes, delete it"), "{default}");
        let forced = client.post(format!("{base}/editor/newsletters/news/delete")).form(&[("csrf", csrf.as_str())]).send().await.unwrap();
        assert_eq!(forced.status(), StatusCode::CONFLICT);
        let ask = client.get(format!("{base}/editor/newsletters/weekend/delete")).send().await.unwrap().text().await.unwrap();
        assert!(ask.contains("Delete The Weekend Read?"), "{ask}");
        assert_eq!(app.count("newsletters").await, 2, "asking deletes nothing");

        let deleted = client.post(format!("{base}/editor/newsletters/weekend/delete")).form(&[("csrf", csrf.as_str())]).send().await.unwrap();

        assert_eq!(deleted.status(), StatusCode::SEE_OTHER);
        assert_eq!(app.count("newsletters").await, 1);
    }

    async fn the_digest_page_of_a_second_newsletter_sends_to_its_readers_only(backend) {
        let app = TestApp::spawn_driven(backend).await;
        let token = app.api_token().await;
        add_weekend(&app, &token).await;
        reader(&app, "news@example.com", &[], &[]).await;
        reader(&app, "weekend@example.com", &["weekend"], &[]).await;
        app.add_article(&token, &json!({"title": "Long story", "url": "https://news.example/long"})).await;
        let (client, _) = app.editor_client().await;
        let base = app.address.clone();

        let page = client.get(format!("{base}/editor/digest?newsletter=weekend")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("The next digest of The Weekend Read"), "{page}");
        assert!(page.contains(r#"<a href="/editor/digest?newsletter=weekend" aria-current="page">The Weekend Read</a>"#) && page.contains(r#"href="/editor/digest?newsletter=news""#), "a choice of newsletters: {page}");
        assert!(page.contains("The Weekend Read: Long story") && page.contains("1 confirmed reader"), "{page}");
        assert_eq!(value_of(&page, "newsletter"), "weekend", "the forms carry the slug");
        let ids = value_of(&page, "article_ids");

        let confirm = client.post(format!("{base}/editor/digest/confirm"))
            .form(&[("csrf", csrf_in(&page)), ("newsletter", "weekend".into()), ("article_ids", ids.clone())])
            .send().await.unwrap().text().await.unwrap();
        assert!(confirm.contains("<strong>1</strong> confirmed reader of The Weekend Read"), "{confirm}");
        assert_eq!(value_of(&confirm, "newsletter"), "weekend");
        let before = app.smtp.messages().len();
        let sent = client.post(format!("{base}/editor/digest/send"))
            .form(&[("csrf", csrf_in(&confirm)), ("newsletter", value_of(&confirm, "newsletter")), ("revision", "0".into()), ("article_ids", ids)])
            .send().await.unwrap();
        assert_eq!(sent.status(), StatusCode::SEE_OTHER);
        assert_eq!(sent.headers()["location"], "/editor/digest?newsletter=weekend");
        app.drain().await;

        assert_eq!(recipients_since(&app, before), ["weekend@example.com"]);
        let mail = app.smtp.messages().pop().unwrap();
        assert_eq!(mail.parsed().subject(), Some("The Weekend Read: Long story"));
        assert!(mail.parsed().header_raw("From").unwrap().contains("Weekend Desk"));
        let list: Value = app.api(Method::GET, "/api/v1/digests", &token).send().await.unwrap().json().await.unwrap();
        assert_eq!(list["digests"][0]["newsletter"], "weekend");
        assert_eq!(list["digests"][0]["cadence"], "scheduled");
        let page = client.get(format!("{base}/editor/digest")).send().await.unwrap().text().await.unwrap();
        let row = page.split("#1 The Weekend Read: Long story").nth(1).unwrap().split("</tr>").next().unwrap();
        assert!(row.contains(r#"<a href="/editor/digest?newsletter=weekend">The Weekend Read</a>"#) && row.contains("on its schedule"), "{row}");
        // The default newsletter's readers still have it to come.
        assert!(page.contains("The Tidings Newsletter: Long story") && page.contains("1 confirmed reader"), "{page}");
    }

    async fn a_test_from_a_newsletters_page_is_that_newsletters_digest(backend) {
        let app = TestApp::spawn_driven(backend).await;
        let token = app.api_token().await;
        add_weekend(&app, &token).await;
        app.add_article(&token, &json!({"title": "Story", "url": "https://news.example/s"})).await;
        let (client, _) = app.editor_client().await;
        let base = &app.address;
        let page = client.get(format!("{base}/editor/digest?newsletter=weekend")).send().await.unwrap().text().await.unwrap();

        let sent = client.post(format!("{base}/editor/digest/test"))
            .form(&[("csrf", csrf_in(&page)), ("newsletter", value_of(&page, "newsletter")), ("article_ids", value_of(&page, "article_ids")), ("to", "ed@example.com".into())])
            .send().await.unwrap();
        assert_eq!(sent.status(), StatusCode::SEE_OTHER);
        assert_eq!(sent.headers()["location"], "/editor/digest?newsletter=weekend&tested=1");
        app.drain().await;

        let mail = app.smtp.messages().pop().unwrap();
        assert_eq!(mail.to, ["ed@example.com"]);
        assert_eq!(mail.parsed().subject(), Some("[Test] The Weekend Read: Story"));
        let list_id = mail.parsed().header_raw("List-Id").unwrap().trim().to_string();
        assert!(list_id.starts_with("<weekend."), "{list_id}");
        assert!(mail.parsed().header_raw("From").unwrap().contains("Weekend Desk"));
        assert_eq!(app.count("digests").await, 0);
    }

    async fn a_send_later_remembers_its_newsletter(backend) {
        let app = TestApp::spawn_driven(backend).await;
        let token = app.api_token().await;
        add_weekend(&app, &token).await;
        reader(&app, "news@example.com", &[], &[]).await;
        reader(&app, "weekend@example.com", &["weekend"], &[]).await;
        app.add_article(&token, &json!({"title": "Story", "url": "https://news.example/s"})).await;
        let (client, csrf) = app.editor_client().await;
        let base = &app.address;

        let scheduled = client.post(format!("{base}/editor/digest/later"))
            .form(&[("csrf", csrf.as_str()), ("newsletter", "weekend"), ("at", "2099-06-05T07:30")])
            .send().await.unwrap();
        assert_eq!(scheduled.status(), StatusCode::SEE_OTHER);
        assert_eq!(scheduled.headers()["location"], "/editor/digest?newsletter=weekend#later");
        let weekend = client.get(format!("{base}/editor/digest?newsletter=weekend")).send().await.unwrap().text().await.unwrap();
        let news = client.get(format!("{base}/editor/digest")).send().await.unwrap().text().await.unwrap();
        assert!(weekend.contains("5 Jun 2099, 07:30: scheduled"), "{weekend}");
        assert!(!news.contains("5 Jun 2099"), "listed on its newsletter's page only: {news}");

        // Its time comes.
        sqlx::query("update scheduled_sends set send_at = 1").execute(&app.db.pool).await.unwrap();
        let before = app.smtp.messages().len();
        tidings::scheduler::one_off::fire_due(&app.state).await.unwrap();
        app.drain().await;

        assert_eq!(recipients_since(&app, before), ["weekend@example.com"]);
        let list: Value = app.api(Method::GET, "/api/v1/digests", &token).send().await.unwrap().json().await.unwrap();
        assert_eq!(list["digests"].as_array().unwrap().len(), 1);
        assert_eq!(list["digests"][0]["newsletter"], "weekend");
    }

    async fn the_preview_as_a_topic_choice_or_a_reader_shows_only_what_they_would_get(backend) {
        let app = TestApp::spawn_driven(backend).await;
        let token = app.api_token().await;
        add_weekend(&app, &token).await;
        let both = reader(&app, "both@example.com", &["news", "weekend"], &[]).await;
        let sporty = reader(&app, "sporty@example.com", &["news", "weekend"], &["sport"]).await;
        let elsewhere = reader(&app, "elsewhere@example.com", &["weekend"], &[]).await;
        let match_report = app.add_article(&token, &json!({"title": "Match report", "url": "https://news.example/match", "topics": ["sport"], "published_at": "2026-11-02T08:00:00Z"})).await;
        app.add_article(&token, &json!({"title": "Council vote", "url": "https://news.example/vote", "topics": ["politics"], "published_at": "2026-11-01T08:00:00Z"})).await;
        let preview = |query: &str| app.api(Method::GET, &format!("/api/v1/digests/preview{query}"), &token).send();

        let everyone = preview("").await.unwrap().text().await.unwrap();
        assert!(everyone.contains("Match report") && everyone.contains("Council vote"));
        let sport = preview("?topics=Sport").await.unwrap();
        assert_eq!(sport.status(), StatusCode::OK);
        assert_eq!(sport.headers()["x-digest-subject"], "The Tidings Newsletter: Match report");
        let sport = sport.text().await.unwrap();
        assert!(sport.contains("Match report") && !sport.contains("Council vote"), "{sport}");
        let two = preview("?topics=weather,politics").await.unwrap().text().await.unwrap();
        assert!(two.contains("Council vote") && !two.contains("Match report"), "{two}");
        let nothing = preview("?topics=weather").await.unwrap();
        assert_eq!(nothing.status(), StatusCode::CONFLICT);
        assert!(nothing.text().await.unwrap().contains("would get nothing"));

        // The match report goes out in the weekend newsletter: readers who had it there are
        // not sent it again in the default one.
        let sent = app.api(Method::POST, "/api/v1/digests", &token).json(&json!({"newsletter": "weekend", "article_ids": [match_report["id"]]})).send().await.unwrap();
        assert_eq!(sent.status(), StatusCode::ACCEPTED);
        let as_both = preview(&format!("?subscriber_id={both}")).await.unwrap();
        assert_eq!(as_both.status(), StatusCode::OK);
        let as_both = as_both.text().await.unwrap();
        assert!(as_both.contains("Council vote") && !as_both.contains("Match report"), "{as_both}");
        let everyone = preview("").await.unwrap().text().await.unwrap();
        assert!(everyone.contains("Match report"), "a new reader would still get it");
        let as_sporty = preview(&format!("?subscriber_id={sporty}")).await.unwrap();
        assert_eq!(as_sporty.status(), StatusCode::CONFLICT, "sport only, and had it");
        assert!(as_sporty.text().await.unwrap().contains(&format!("reader {sporty} would get nothing")));
        let not_on_it = preview(&format!("?subscriber_id={elsewhere}")).await.unwrap();
        assert_eq!(not_on_it.status(), StatusCode::CONFLICT);
        assert!(not_on_it.text().await.unwrap().contains("does not get this newsletter"));
        for (query, field) in [("?subscriber_id=99999", "subscriber_id"), ("?subscriber_id=abc", "subscriber_id"), ("?topics=local%20news", "topics"), ("?topics=sport&subscriber_id=1", "topics"), ("?topics=sport&newsletter=nope", "newsletter")] {
            let refused = preview(query).await.unwrap();
            assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY, "{query}");
            let error: Value = refused.json().await.unwrap();
            assert!(error["fields"][field].is_string(), "{query}: {error}");
        }
    }

    async fn the_digest_page_previews_as_a_topic_choice(backend) {
        let app = TestApp::spawn(backend).await;
        let token = app.api_token().await;
        app.add_article(&token, &json!({"title": "Match report", "url": "https://news.example/match", "topics": ["sport"]})).await;
        app.add_article(&token, &json!({"title": "Council vote", "url": "https://news.example/vote", "topics": ["politics"]})).await;
        let (client, _) = app.editor_client().await;
        let base = &app.address;

        let page = client.get(format!("{base}/editor/digest")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains(r#"name="preview" type="radio" value="everyone" checked"#), "{page}");
        let everyone = iframe(&page, "Email preview");
        assert!(everyone.contains("Match report") && everyone.contains("Council vote"));

        let page = client.get(format!("{base}/editor/digest?newsletter=news&preview=topics&topics=sport")).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        let page = page.text().await.unwrap();
        assert!(page.contains(r#"name="preview" type="radio" value="topics" checked"#), "{page}");
        let sport = iframe(&page, "Email preview for a reader who chose sport");
        assert!(sport.contains("Match report") && !sport.contains("Council vote"), "{sport}");

        let nothing = client.get(format!("{base}/editor/digest?preview=topics&topics=weather")).send().await.unwrap().text().await.unwrap();
        assert!(nothing.contains("A reader who chose weather would get nothing"), "{nothing}");
        let refused = client.get(format!("{base}/editor/digest?preview=topics&topics=no%20way!")).send().await.unwrap();
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let refused = refused.text().await.unwrap();
        assert!(refused.contains(r#"id="preview-topics-error""#) && refused.contains(r#"value="no way!""#), "{refused}");
        let unknown = client.get(format!("{base}/editor/digest?newsletter=nope")).send().await.unwrap();
        assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    }
}
