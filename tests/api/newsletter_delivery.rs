//! Several newsletters: what each reader gets, by newsletter, topic and cadence, and that no
//! reader ever gets the same article twice.

use std::time::Duration;

use chrono::Utc;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tidings::digests::Audience;
use tidings::newsletters::Cadence;
use tidings::scheduler::{Due, SlotOutcome, run_instant, take_slot};

use crate::backend_tests;
use crate::helpers::{TestApp, link_in};
use crate::smtp_sink::ReceivedMail;

async fn add_newsletter(app: &TestApp, token: &str, body: Value) -> Value {
    let response = app
        .api(Method::POST, "/api/v1/newsletters", token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.unwrap()
}

/// Signs `email` up with `body`'s choices and confirms from the email.
async fn join(app: &TestApp, email: &str, body: Value) {
    let before = app.smtp.messages().len();
    let mut body = body;
    body["email"] = json!(email);
    body["consent"] = json!(true);
    let response = app.post_json("/api/v1/subscriptions", &body).await;
    assert_eq!(response.status(), StatusCode::ACCEPTED, "{body}");
    let mail = app
        .smtp
        .wait_for(before + 1, Duration::from_secs(10))
        .await
        .pop()
        .unwrap();
    let confirmed = app.post_form(&app.confirmation_path(&mail), &[]).await;
    assert_eq!(confirmed.status(), StatusCode::SEE_OTHER);
}

async fn article(app: &TestApp, token: &str, n: u32, topics: &[&str]) -> i64 {
    let added = app
        .add_article(
            token,
            &json!({"title": format!("Story {n}"), "url": format!("https://news.example/{n}")}),
        )
        .await;
    let id = added["id"].as_i64().unwrap();
    for topic in topics {
        sqlx::query("insert into article_topics (article_id, topic) values ($1, $2)")
            .bind(id)
            .bind(*topic)
            .execute(&app.db.pool)
            .await
            .unwrap();
    }
    id
}

/// Sends a digest through the API and waits for every email of it (and of the other
/// digests of the same send).
async fn send(app: &TestApp, token: &str, body: Value) -> (Value, Vec<ReceivedMail>) {
    let before = app.smtp.messages().len();
    let response = app
        .api(Method::POST, "/api/v1/digests", token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::ACCEPTED, "{body}");
    let created: Value = response.json().await.unwrap();
    let mut total = 0;
    for id in created["ids"].as_array().unwrap() {
        let status = app
            .wait_for_digest(token, id.as_i64().unwrap(), "sent")
            .await;
        total += status["total"].as_u64().unwrap() as usize;
    }
    let mails = app
        .smtp
        .wait_for(before + total, Duration::from_secs(10))
        .await
        .split_off(before);
    (created, mails)
}

fn header(mail: &ReceivedMail, name: &str) -> String {
    let start = format!("\r\n{}", mail.data)
        .find(&format!("\r\n{name}: "))
        .unwrap_or_else(|| panic!("no {name} in {}", mail.data))
        + name.len()
        + 2;
    mail.data[start..].split("\r\n").next().unwrap().to_string()
}

fn to(mail: &ReceivedMail) -> &str {
    &mail.to[0]
}

/// The articles in a digest email, by number.
fn stories(mail: &ReceivedMail) -> Vec<u32> {
    let mut numbers: Vec<u32> = mail
        .text()
        .lines()
        .filter_map(|line| line.trim().strip_prefix("Read more: https://news.example/"))
        .map(|n| n.parse().unwrap())
        .collect();
    numbers.sort_unstable();
    numbers
}

async fn subscription_status(app: &TestApp, email: &str, slug: &str) -> String {
    sqlx::query_scalar(
        "select p.status from subscriptions p join subscribers s on s.id = p.subscriber_id
         join newsletters n on n.id = p.newsletter_id where s.email_key = $1 and n.slug = $2",
    )
    .bind(email)
    .bind(slug)
    .fetch_one(&app.db.pool)
    .await
    .unwrap()
}

async fn audience(app: &TestApp, slug: &str, cadence: Cadence) -> Audience {
    Audience {
        newsletter: tidings::newsletters::queries::find_by_slug(&app.db.pool, slug)
            .await
            .unwrap()
            .unwrap(),
        cadence,
    }
}

backend_tests! {
    async fn a_reader_on_two_newsletters_gets_both_each_with_its_own_list_id_and_one_click_leaving_only_it(backend) {
        let app = TestApp::spawn(backend).await;
        let token = app.api_token().await;
        add_newsletter(&app, &token, json!({"slug": "weekend", "name": "The Weekend Read", "from_name": "Weekend Desk"})).await;
        join(&app, "ada@example.com", json!({"newsletters": ["news", "weekend"]})).await;
        join(&app, "bob@example.com", json!({})).await;
        let first = article(&app, &token, 1, &[]).await;
        let second = article(&app, &token, 2, &[]).await;

        let (_, news) = send(&app, &token, json!({"article_ids": [first]})).await;
        let (_, weekend) = send(&app, &token, json!({"newsletter": "weekend", "article_ids": [second]})).await;

        assert_eq!(news.len(), 2, "news goes to both readers");
        assert_eq!(weekend.len(), 1, "weekend only to its reader");
        let ada_news = news.iter().find(|m| to(m) == "ada@example.com").unwrap();
        let ada_weekend = &weekend[0];
        assert_eq!(to(ada_weekend), "ada@example.com");
        assert_eq!(header(ada_news, "List-Id"), "<digest.localhost>", "the default keeps its List-Id");
        assert_eq!(header(ada_weekend, "List-Id"), "<weekend.localhost>");
        let from = header(ada_weekend, "From");
        assert!(from.contains("Weekend Desk") && from.ends_with("<newsletter@localhost>"), "{from}");
        assert!(ada_weekend.text().contains("The Weekend Read"));

        // One click on the weekend email's List-Unsubscribe leaves the weekend only.
        let target = header(ada_weekend, "List-Unsubscribe");
        let path = link_in(&target, "/unsubscribe/");
        let left = app.post_raw(&path, "application/x-www-form-urlencoded", "List-Unsubscribe=One-Click").await;
        assert_eq!(left.status(), StatusCode::OK);
        assert!(left.text().await.unwrap().contains("The Weekend Read"));
        assert_eq!(subscription_status(&app, "ada@example.com", "weekend").await, "left");
        assert_eq!(subscription_status(&app, "ada@example.com", "news").await, "confirmed");
        assert_eq!(app.subscriber_status("ada@example.com").await.as_deref(), Some("confirmed"));
        let withdrawn: Option<String> = sqlx::query_scalar(
            "select newsletters from consent_events where event = 'withdrawn'",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(withdrawn.as_deref(), Some("weekend"));

        let third = article(&app, &token, 3, &[]).await;
        let fourth = article(&app, &token, 4, &[]).await;
        let (_, news) = send(&app, &token, json!({"article_ids": [third]})).await;
        assert!(news.iter().any(|m| to(m) == "ada@example.com"), "still gets the news");
        let response = app
            .api(Method::POST, "/api/v1/digests", &token)
            .json(&json!({"newsletter": "weekend", "article_ids": [fourth]}))
            .send()
            .await
            .unwrap();
        let created: Value = response.json().await.unwrap();
        let status = app.wait_for_digest(&token, created["id"].as_i64().unwrap(), "sent").await;
        assert_eq!(status["total"], 0, "nobody is on the weekend any more: {status}");

        // Leaving the last one leaves altogether.
        let news_mail = news.iter().find(|m| to(m) == "ada@example.com").unwrap();
        let path = link_in(&header(news_mail, "List-Unsubscribe"), "/unsubscribe/");
        app.post_raw(&path, "application/x-www-form-urlencoded", "List-Unsubscribe=One-Click").await;
        assert_eq!(app.subscriber_status("ada@example.com").await.as_deref(), Some("unsubscribed"));
    }

    async fn signups_name_newsletters_and_the_consent_record_says_which(backend) {
        let app = TestApp::spawn(backend).await;
        let token = app.api_token().await;
        add_newsletter(&app, &token, json!({"slug": "weekend", "name": "The Weekend Read"})).await;

        let unknown = app.post_json("/api/v1/subscriptions", &json!({"email": "x@example.com", "consent": true, "newsletters": ["nope"]})).await;
        assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body: Value = unknown.json().await.unwrap();
        assert!(body["fields"]["newsletters"].as_str().unwrap().contains("nope"), "{body}");
        let cadence = app.post_json("/api/v1/subscriptions", &json!({"email": "x@example.com", "consent": true, "newsletters": ["weekend"], "cadence": "daily"})).await;
        assert_eq!(cadence.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body: Value = cadence.json().await.unwrap();
        assert!(body["fields"]["cadence"].is_string(), "{body}");
        assert_eq!(app.count("subscribers").await, 0, "nothing stored for a refused signup");

        join(&app, "ada@example.com", json!({"newsletters": ["weekend", "news"]})).await;
        let granted: Option<String> = sqlx::query_scalar("select newsletters from consent_events where event = 'granted'")
            .fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(granted.as_deref(), Some("news weekend"));
        let confirmed: Option<String> = sqlx::query_scalar("select newsletters from consent_events where event = 'confirmed'")
            .fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(confirmed.as_deref(), Some("news weekend"));
        assert_eq!(subscription_status(&app, "ada@example.com", "news").await, "confirmed");
        assert_eq!(subscription_status(&app, "ada@example.com", "weekend").await, "confirmed");
        let id = app.subscriber_id("ada@example.com").await.unwrap();
        let export: Value = app.api(Method::GET, &format!("/api/v1/subscribers/{id}/export"), &token)
            .send().await.unwrap().json().await.unwrap();
        let joined: Vec<&str> = export["newsletters"].as_array().unwrap().iter()
            .map(|n| n["newsletter"].as_str().unwrap()).collect();
        assert_eq!(joined, ["news", "weekend"], "{export}");
        assert_eq!(export["consent"][0]["newsletters"], json!(["news", "weekend"]));

        // A confirmed reader asking for nothing new gets nothing; asking for another newsletter
        // confirms it by email, and until then does not get it.
        add_newsletter(&app, &token, json!({"slug": "sport", "name": "Sport"})).await;
        let before = app.smtp.messages().len();
        app.post_json("/api/v1/subscriptions", &json!({"email": "ada@example.com", "consent": true, "newsletters": ["news"]})).await;
        app.post_json("/api/v1/subscriptions", &json!({"email": "ada@example.com", "consent": true, "newsletters": ["sport"]})).await;
        let mail = app.smtp.wait_for(before + 1, Duration::from_secs(10)).await.pop().unwrap();
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(app.smtp.messages().len(), before + 1, "one confirmation, for the new newsletter");
        assert_eq!(subscription_status(&app, "ada@example.com", "sport").await, "pending");
        let page = app.get(&app.confirmation_path(&mail)).await;
        assert_eq!(page.status(), StatusCode::OK);
        assert!(page.text().await.unwrap().contains("<form"), "the confirm button, not 'already confirmed'");
        app.post_form(&app.confirmation_path(&mail), &[]).await;
        assert_eq!(subscription_status(&app, "ada@example.com", "sport").await, "confirmed");
    }

    async fn topics_decide_what_each_reader_gets_and_equal_choices_share_a_digest(backend) {
        let app = TestApp::spawn(backend).await;
        let token = app.api_token().await;
        add_newsletter(&app, &token, json!({"slug": "desk", "name": "The Desk", "topics": ["sport", "politics"]})).await;
        join(&app, "all@example.com", json!({"newsletters": ["desk"]})).await;
        join(&app, "sport1@example.com", json!({"newsletters": ["desk"], "topics": ["sport"]})).await;
        join(&app, "sport2@example.com", json!({"newsletters": ["desk"], "topics": ["Sport"]})).await;
        join(&app, "politics@example.com", json!({"newsletters": ["desk"], "topics": ["politics"]})).await;
        join(&app, "weather@example.com", json!({"newsletters": ["desk"], "topics": ["weather"]})).await;
        article(&app, &token, 1, &["sport"]).await;
        article(&app, &token, 2, &["politics"]).await;
        article(&app, &token, 3, &["cooking"]).await;

        let (created, mails) = send(&app, &token, json!({"newsletter": "desk"})).await;

        assert_eq!(created["ids"].as_array().unwrap().len(), 3, "{created}");
        assert_eq!(created["skipped"], 1, "weather found nothing: {created}");
        let got = |email: &str| {
            let mail = mails.iter().find(|m| to(m) == email).unwrap_or_else(|| panic!("no mail for {email}"));
            stories(mail)
        };
        assert_eq!(got("all@example.com"), [1, 2], "the newsletter's filter leaves cooking out");
        assert_eq!(got("sport1@example.com"), [1]);
        assert_eq!(got("sport2@example.com"), [1]);
        assert_eq!(got("politics@example.com"), [2]);
        assert!(mails.iter().all(|m| to(m) != "weather@example.com"));
        let sport_digests: i64 = sqlx::query_scalar(
            "select count(distinct d.digest_id) from deliveries d join subscribers s on s.id = d.subscriber_id
             where s.email_key in ('sport1@example.com', 'sport2@example.com')",
        )
        .fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(sport_digests, 1, "readers with the same articles share one digest");

        // The public archive lists the send once (its largest group's digest).
        let archive = app.get("/archive").await.text().await.unwrap();
        let listed: Vec<&Value> = created["ids"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|id| archive.contains(&format!("/archive/{id}\"")))
            .collect();
        assert_eq!(listed, [&created["id"]], "{archive}");
    }

    async fn an_article_in_a_readers_daily_digest_never_appears_in_their_weekly_one(backend) {
        let app = TestApp::spawn(backend).await;
        let token = app.api_token().await;
        add_newsletter(&app, &token, json!({"slug": "briefing", "name": "Briefing", "cadences": ["daily"]})).await;
        add_newsletter(&app, &token, json!({"slug": "roundup", "name": "Roundup", "cadences": ["weekly"]})).await;
        join(&app, "ada@example.com", json!({"newsletters": ["briefing"], "cadence": "daily"})).await;
        app.post_json("/api/v1/subscriptions", &json!({"email": "ada@example.com", "consent": true, "newsletters": ["roundup"], "cadence": "weekly"})).await;
        let mail = app.smtp.wait_for(2, Duration::from_secs(10)).await.pop().unwrap();
        app.post_form(&app.confirmation_path(&mail), &[]).await;
        join(&app, "bob@example.com", json!({"newsletters": ["roundup"], "cadence": "weekly"})).await;
        article(&app, &token, 1, &[]).await;
        article(&app, &token, 2, &[]).await;
        let state = &app.state;

        let daily = take_slot(state, &audience(&app, "briefing", Cadence::Daily).await, Due::Fire(Utc::now())).await.unwrap();
        assert!(matches!(daily, SlotOutcome::Sent(_)), "{daily:?}");
        let before = app.smtp.wait_for(4, Duration::from_secs(10)).await.len();
        let ada_daily = app.smtp.messages().into_iter().rfind(|m| to(m) == "ada@example.com").unwrap();
        assert_eq!(stories(&ada_daily), [1, 2]);
        article(&app, &token, 3, &[]).await;

        let weekly = take_slot(state, &audience(&app, "roundup", Cadence::Weekly).await, Due::Fire(Utc::now())).await.unwrap();
        let SlotOutcome::Sent(created) = weekly else { panic!("{weekly:?}") };
        assert_eq!(created.ids.len(), 2, "ada and bob get different articles");
        let mails = app.smtp.wait_for(before + 2, Duration::from_secs(10)).await.split_off(before);
        let ada_weekly = mails.iter().find(|m| to(m) == "ada@example.com").unwrap();
        let bob_weekly = mails.iter().find(|m| to(m) == "bob@example.com").unwrap();
        assert_eq!(stories(ada_weekly), [3], "never the daily's articles again");
        assert_eq!(stories(bob_weekly), [1, 2, 3]);
        assert!(header(ada_weekly, "Subject").contains("Roundup"));

        // Nothing new for anyone: the slot says how many it skipped and sends nothing.
        let again = take_slot(state, &audience(&app, "roundup", Cadence::Weekly).await, Due::Fire(Utc::now() + chrono::Duration::minutes(1))).await.unwrap();
        assert_eq!(again, SlotOutcome::NothingNew { skipped: 0 }, "every article is in a weekly digest already");
        article(&app, &token, 4, &[]).await;
        let daily = take_slot(state, &audience(&app, "briefing", Cadence::Daily).await, Due::Fire(Utc::now() + chrono::Duration::minutes(2))).await.unwrap();
        assert!(matches!(daily, SlotOutcome::Sent(_)));
        // Ada had 4 in her daily; Bob is on no daily. The weekly has 4 for Bob only.
        let weekly = take_slot(state, &audience(&app, "roundup", Cadence::Weekly).await, Due::Fire(Utc::now() + chrono::Duration::minutes(3))).await.unwrap();
        let SlotOutcome::Sent(created) = weekly else { panic!("{weekly:?}") };
        assert_eq!((created.recipients, created.skipped), (1, 1));
        let skipped: i64 = sqlx::query_scalar("select skipped from digest_slots where cadence = 'weekly' order by slot_at desc limit 1")
            .fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(skipped, 1, "the skip is recorded with the slot");
    }

    async fn instant_readers_get_new_articles_at_most_once_per_interval(backend) {
        let app = TestApp::spawn(backend).await;
        let token = app.api_token().await;
        let newsletter = add_newsletter(&app, &token, json!({"slug": "alerts", "name": "Alerts", "cadences": ["instant"], "instant_min_interval": "1h"})).await;
        assert_eq!(newsletter["instant_min_interval"], "1h");
        join(&app, "ada@example.com", json!({"newsletters": ["alerts"], "cadence": "instant"})).await;
        let alerts = audience(&app, "alerts", Cadence::Instant).await.newsletter;

        assert_eq!(run_instant(&app.state, &alerts).await.unwrap(), SlotOutcome::NothingNew { skipped: 0 });
        article(&app, &token, 1, &[]).await;
        let first = run_instant(&app.state, &alerts).await.unwrap();
        assert!(matches!(first, SlotOutcome::Sent(_)), "{first:?}");
        article(&app, &token, 2, &[]).await;
        let soon = run_instant(&app.state, &alerts).await.unwrap();
        assert_eq!(soon, SlotOutcome::AlreadyTaken, "not again within the hour");
        let mail = app.smtp.wait_for(2, Duration::from_secs(10)).await.pop().unwrap();
        assert_eq!(stories(&mail), [1]);

        // An hour later the waiting article goes.
        sqlx::query("update digest_slots set slot_at = slot_at - 3600001").execute(&app.db.pool).await.unwrap();
        let later = run_instant(&app.state, &alerts).await.unwrap();
        assert!(matches!(later, SlotOutcome::Sent(_)), "{later:?}");
        let mail = app.smtp.wait_for(3, Duration::from_secs(10)).await.pop().unwrap();
        assert_eq!(stories(&mail), [2]);
    }

    async fn the_default_newsletter_follows_the_config_until_an_editor_changes_it(backend) {
        let app = TestApp::spawn_with(backend, |s| {
            s.newsletter.name = "Config Name".into();
            s.digest.max_articles = 3;
        }).await;
        let token = app.api_token().await;
        let listed: Value = app.api(Method::GET, "/api/v1/newsletters", &token).send().await.unwrap().json().await.unwrap();
        assert_eq!(listed[0]["slug"], "news");
        assert_eq!(listed[0]["name"], "Config Name");
        assert_eq!(listed[0]["max_articles"], 3);
        assert_eq!(listed[0]["is_default"], true);

        let changed = app.api(Method::PATCH, "/api/v1/newsletters/news", &token)
            .json(&json!({"name": "Edited Name"})).send().await.unwrap();
        assert_eq!(changed.status(), StatusCode::OK);
        tidings::newsletters::queries::follow_config(&app.db.pool, &app.settings, 1).await.unwrap();
        let shown: Value = app.api(Method::GET, "/api/v1/newsletters/news", &token).send().await.unwrap().json().await.unwrap();
        assert_eq!(shown["name"], "Edited Name", "a restart keeps the editor's change");

        let refused = app.api(Method::PATCH, "/api/v1/newsletters/news", &token)
            .json(&json!({"schedule": "61 * * * *", "timezone": "Mars/Olympus", "max_articles": 0})).send().await.unwrap();
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body: Value = refused.json().await.unwrap();
        assert!(body["fields"]["timezone"].is_string() && body["fields"]["max_articles"].is_string(), "{body}");
        let gone = app.api(Method::DELETE, "/api/v1/newsletters/news", &token).send().await.unwrap();
        assert_eq!(gone.status(), StatusCode::CONFLICT, "the default stays");
    }
}
