//! Readers' choices (issue 16): several newsletters on the signup form, the embed snippet and
//! the API; topics and cadence on the reader's own page, followed by the next digest; leaving
//! one newsletter or all of them from that page.

use chrono::{Timelike, Utc};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tidings::newsletters::Cadence;

use crate::backend_tests;
use crate::helpers::TestApp;
use crate::smtp_sink::ReceivedMail;

/// An hour far from now, so that the scheduler finds a daily slot of that hour long missed
/// and leaves firing to the test.
pub fn far_hour() -> i64 {
    i64::from((Utc::now().hour() + 12) % 24)
}

pub async fn add_newsletter(app: &TestApp, token: &str, body: Value) {
    let response = app
        .api(Method::POST, "/api/v1/newsletters", token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED, "{body}");
}

pub async fn change_newsletter(app: &TestApp, token: &str, slug: &str, body: Value) {
    let response = app
        .api(Method::PATCH, &format!("/api/v1/newsletters/{slug}"), token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{body}");
}

/// The weekend newsletter next to the default one ("news").
async fn weekend(app: &TestApp, token: &str, extra: Value) {
    let mut body = json!({
        "slug": "weekend",
        "name": "The Weekend Read",
        "description": "Long reads for Saturday morning",
        "send_hour": far_hour(),
    });
    body.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    add_newsletter(app, token, body).await;
}

/// An article with topics. Written to `article_topics` directly: the articles API takes
/// topics in work landing beside this one.
pub async fn article_on(app: &TestApp, token: &str, title: &str, topic: &str) -> i64 {
    let slug = title.to_lowercase().replace(' ', "-");
    let article = app
        .add_article(
            token,
            &json!({"title": title, "url": format!("https://news.example/{slug}")}),
        )
        .await;
    let id = article["id"].as_i64().unwrap();
    sqlx::query("insert into article_topics (article_id, topic) values ($1, $2)")
        .bind(id)
        .bind(topic)
        .execute(&app.db.pool)
        .await
        .unwrap();
    id
}

/// A reader on these newsletters through the API signup and the confirmation link, on an
/// app that sends when drained.
pub async fn reader_on(app: &TestApp, email: &str, newsletters: &[&str]) {
    let response = app
        .post_json(
            "/api/v1/subscriptions",
            &json!({"email": email, "consent": true, "newsletters": newsletters}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    confirm_latest(app, email).await;
}

/// Sends what is queued and follows the confirmation link in the newest email to `email`.
pub async fn confirm_latest(app: &TestApp, email: &str) {
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
}

/// The reader's own page, as the link in an email that names no digest leads to it.
pub async fn page_path(app: &TestApp, email: &str) -> String {
    let (id, secret): (i64, String) =
        sqlx::query_as("select id, link_secret from subscribers where email = $1")
            .bind(email)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let key = tidings::secrets::key(&app.db, "unsubscribe").await.unwrap();
    format!(
        "/unsubscribe/{}",
        tidings::token::sign_reader_link(&key, id, 0, &secret)
    )
}

async fn text(response: reqwest::Response) -> (StatusCode, String) {
    (response.status(), response.text().await.unwrap())
}

fn location(response: &reqwest::Response) -> String {
    response.headers()["location"].to_str().unwrap().to_string()
}

/// The mail sent from index `from` on, to `email`, that mentions `needle` (an article's
/// title: digests, not welcome emails).
fn mails_to(app: &TestApp, from: usize, email: &str, needle: &str) -> Vec<ReceivedMail> {
    app.smtp.messages()[from..]
        .iter()
        .filter(|m| m.to == [email] && m.text().contains(needle))
        .cloned()
        .collect()
}

async fn send_digest_of(app: &TestApp, token: &str, newsletter: &str) -> reqwest::Response {
    app.api(Method::POST, "/api/v1/digests", token)
        .json(&json!({"newsletter": newsletter}))
        .send()
        .await
        .unwrap()
}

/// The newsletter's daily digest, as its scheduler slot makes it now.
async fn fire_daily(app: &TestApp, slug: &str) {
    let newsletter = tidings::newsletters::queries::find_by_slug(&app.db.pool, slug)
        .await
        .unwrap()
        .unwrap();
    let audience = tidings::digests::Audience {
        newsletter,
        cadence: Cadence::Daily,
    };
    let outcome = tidings::scheduler::take_slot(
        &app.state,
        &audience,
        tidings::scheduler::Due::Fire(Utc::now()),
    )
    .await
    .unwrap();
    assert!(
        matches!(outcome, tidings::scheduler::SlotOutcome::Sent(_)),
        "{outcome:?}"
    );
}

async fn withdrawals(app: &TestApp) -> Vec<Option<String>> {
    sqlx::query_scalar(
        "select newsletters from consent_events where event = 'withdrawn' order by id",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap()
}

backend_tests! {
    async fn the_signup_form_offers_every_newsletter_and_joins_the_ticked_ones_with_one_confirmation(backend) {
        let app = TestApp::spawn_driven(backend).await;
        let token = app.api_token().await;
        weekend(&app, &token, json!({})).await;

        let (_, form) = text(app.get("/").await).await;
        let posted = app
            .post_form("/subscribe", &[
                ("email", "ada@example.com"),
                ("consent", "yes"),
                ("newsletter_choice", "shown"),
                ("newsletters", "news"),
                ("newsletters", "weekend"),
            ])
            .await;
        app.drain().await;
        let confirmations = app.smtp.messages();
        confirm_latest(&app, "ada@example.com").await;
        let (_, page) = text(app.get(&page_path(&app, "ada@example.com").await).await).await;

        assert!(form.contains(r#"<input id="newsletter-news" name="newsletters" type="checkbox" value="news" checked"#), "the default is ticked: {form}");
        assert!(form.contains(r#"<input id="newsletter-weekend" name="newsletters" type="checkbox" value="weekend" aria-describedby="newsletter-weekend-hint">"#), "the others are not");
        assert!(form.contains(r#"<label for="newsletter-weekend">The Weekend Read</label>"#));
        assert!(form.contains(r#"id="newsletter-weekend-hint">Long reads for Saturday morning</p>"#));
        assert_eq!(posted.status(), StatusCode::SEE_OTHER);
        assert_eq!(confirmations.len(), 1, "one confirmation for both");
        assert_eq!(page.matches("You get it:").count(), 2, "both confirmed by the one link: {page}");
        assert!(page.contains(r#"id="newsletter-news""#) && page.contains(r#"id="newsletter-weekend""#));
        assert!(!page.contains("Waiting for you to confirm"));
        let granted: String = sqlx::query_scalar("select newsletters from consent_events where event = 'granted'")
            .fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(granted, "news weekend");
    }

    async fn a_newsletter_that_does_not_exist_is_refused_beside_the_field_on_the_form_and_the_api(backend) {
        let app = TestApp::spawn_driven(backend).await;
        let token = app.api_token().await;
        weekend(&app, &token, json!({})).await;

        let (form_status, form) = text(app
            .post_form("/subscribe", &[
                ("email", "ada@example.com"),
                ("name", "Ada"),
                ("consent", "yes"),
                ("newsletter_choice", "shown"),
                ("newsletters", "weekend"),
                ("newsletters", "nope"),
            ])
            .await).await;
        let (none_status, none_ticked) = text(app
            .post_form("/subscribe", &[
                ("email", "ada@example.com"),
                ("consent", "yes"),
                ("newsletter_choice", "shown"),
            ])
            .await).await;
        let api = app
            .post_json("/api/v1/subscriptions", &json!({"email": "ada@example.com", "consent": true, "newsletters": ["news", "nope"]}))
            .await;
        let api_status = api.status();
        let api: Value = api.json().await.unwrap();
        app.drain().await;

        assert_eq!(form_status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(form.contains(r#"<p class="error" id="newsletters-error">there is no newsletter &#34;nope&#34;</p>"#), "{form}");
        assert!(form.contains(r#"aria-describedby="newsletters-error""#));
        assert!(form.contains(r#"value="ada@example.com""#) && form.contains(r#"value="Ada""#), "entries kept");
        assert!(form.contains(r#"value="weekend" checked"#), "the ticked newsletter stays ticked");
        assert!(!form.contains(r#"value="news" checked"#), "and the unticked one unticked");
        assert_eq!(none_status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(none_ticked.contains("please choose at least one newsletter"), "{none_ticked}");
        assert_eq!(api_status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(api["fields"]["newsletters"].as_str().unwrap().contains("nope"), "{api}");
        assert!(app.smtp.messages().is_empty(), "nobody was sent anything");
        assert_eq!(app.count("subscriptions").await, 0);
    }

    async fn a_cadence_a_newsletter_does_not_offer_is_refused_beside_the_field(backend) {
        let app = TestApp::spawn_driven(backend).await;
        let token = app.api_token().await;
        weekend(&app, &token, json!({"cadences": ["daily"]})).await;

        let (_, form) = text(app.get("/subscribe").await).await;
        let (refused_status, refused) = text(app
            .post_form("/subscribe", &[
                ("email", "ada@example.com"),
                ("consent", "yes"),
                ("newsletter_choice", "shown"),
                ("newsletters", "news"),
                ("newsletters", "weekend"),
                ("cadence", "daily"),
            ])
            .await).await;
        let (bogus_status, bogus) = text(app
            .post_form("/subscribe", &[
                ("email", "ada@example.com"),
                ("consent", "yes"),
                ("newsletters", "weekend"),
                ("cadence", "hourly"),
            ])
            .await).await;
        let api = app
            .post_json("/api/v1/subscriptions", &json!({"email": "ada@example.com", "consent": true, "newsletters": ["news", "weekend"], "cadence": "daily"}))
            .await;
        let api_status = api.status();
        let api: Value = api.json().await.unwrap();
        let accepted = app
            .post_form("/subscribe", &[
                ("email", "bob@example.com"),
                ("consent", "yes"),
                ("newsletter_choice", "shown"),
                ("newsletters", "weekend"),
                ("cadence", "daily"),
            ])
            .await;
        confirm_latest(&app, "bob@example.com").await;
        let (_, bobs_page) = text(app.get(&page_path(&app, "bob@example.com").await).await).await;

        assert!(form.contains(r#"<legend>How often</legend>"#), "{form}");
        assert!(form.contains(r#"<input id="cadence-scheduled" name="cadence" type="radio" value="scheduled" checked>"#));
        assert!(form.contains(r#"<label for="cadence-daily">Once a day</label>"#));
        assert!(form.contains("Offered by The Weekend Read"));
        assert!(!form.contains(r#"id="cadence-weekly""#), "no newsletter offers it");
        assert_eq!(refused_status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.contains(r#"id="cadence-error""#) && refused.contains("does not offer"), "{refused}");
        assert!(refused.contains(r#"value="daily" checked"#), "the choice is kept");
        assert!(refused.contains(r#"value="news" checked"#) && refused.contains(r#"value="weekend" checked"#));
        assert_eq!(bogus_status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bogus.contains(r#"id="cadence-error""#), "{bogus}");
        assert_eq!(api_status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(api["fields"]["cadence"].as_str().unwrap().contains("does not offer"), "{api}");
        assert_eq!(accepted.status(), StatusCode::SEE_OTHER);
        assert!(bobs_page.contains("Unsubscribe from The Weekend Read?"), "{bobs_page}");
        assert!(bobs_page.contains("You get it: once a day"), "{bobs_page}");
        assert!(bobs_page.contains(r#"value="daily" checked"#));
        assert!(!bobs_page.contains(r#"id="newsletter-news""#), "not on the default newsletter");
    }

    async fn topics_chosen_at_signup_are_the_ones_each_newsletter_carries(backend) {
        let app = TestApp::spawn_driven(backend).await;
        let token = app.api_token().await;
        weekend(&app, &token, json!({"topics": ["culture", "sport"]})).await;
        article_on(&app, &token, "Budget passes", "politics").await;

        let (_, form) = text(app.get("/").await).await;
        app.post_form("/subscribe", &[
            ("email", "ada@example.com"),
            ("consent", "yes"),
            ("newsletter_choice", "shown"),
            ("newsletters", "news"),
            ("newsletters", "weekend"),
            ("topics", "politics"),
            ("topics", "sport"),
        ]).await;
        app.post_form("/subscribe", &[
            ("email", "bob@example.com"),
            ("consent", "yes"),
            ("newsletter_choice", "shown"),
            ("newsletters", "news"),
            ("newsletters", "weekend"),
            ("topics", "politics"),
        ]).await;
        let (carol_status, carol) = text(app.post_form("/subscribe", &[
            ("email", "carol@example.com"),
            ("consent", "yes"),
            ("newsletter_choice", "shown"),
            ("newsletters", "weekend"),
            ("topics", "politics"),
            ("topics", "sport"),
        ]).await).await;
        confirm_latest(&app, "ada@example.com").await;
        confirm_latest(&app, "bob@example.com").await;
        let (_, ada) = text(app.get(&page_path(&app, "ada@example.com").await).await).await;
        let (_, bob) = text(app.get(&page_path(&app, "bob@example.com").await).await).await;

        for topic in ["culture", "politics", "sport"] {
            assert!(form.contains(&format!(r#"<input id="topic-{topic}" name="topics" type="checkbox" value="{topic}">"#)), "{topic}: {form}");
        }
        assert!(form.contains(r#"<label for="topic-politics">Politics</label>"#));
        // The default newsletter carries everything: both topics. The weekend one carries
        // sport, not politics.
        assert!(ada.contains("You get it: whenever the editors send it; Politics, Sport."), "{ada}");
        assert!(ada.contains("You get it: whenever the editors send it; Sport."), "{ada}");
        // The weekend newsletter carries nothing Bob chose: he gets all of it rather than
        // nothing ever.
        assert!(bob.contains("You get it: whenever the editors send it; Politics."), "{bob}");
        assert!(bob.contains("You get it: whenever the editors send it; every topic."), "{bob}");
        // Carol's only newsletter carries none of politics: she is told, nothing is sent.
        assert_eq!(carol_status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(carol.contains(r#"<p class="error" id="topics-error">none of the newsletters you chose covers Politics"#), "{carol}");
        assert!(carol.contains(r#"value="politics" checked"#) && carol.contains(r#"value="sport" checked"#), "the ticks are kept");
        assert_eq!(app.subscriber_status("carol@example.com").await, None);
    }

    async fn topics_and_cadence_chosen_on_the_readers_page_decide_the_next_digest(backend) {
        let app = TestApp::spawn_driven(backend).await;
        let token = app.api_token().await;
        change_newsletter(&app, &token, "news", json!({"cadences": ["daily"], "send_hour": far_hour()})).await;
        reader_on(&app, "ada@example.com", &[]).await;
        reader_on(&app, "bob@example.com", &[]).await;
        article_on(&app, &token, "Parliament votes", "politics").await;
        article_on(&app, &token, "Cup final", "sport").await;
        let path = page_path(&app, "ada@example.com").await;
        let choice = format!("{path}/newsletters/news");

        let (_, page) = text(app.get(&path).await).await;
        let (weekly_status, weekly) = text(app.post_form(&choice, &[("topics", "sport"), ("cadence", "weekly")]).await).await;
        let (unknown_status, unknown) = text(app.post_form(&choice, &[("topics", "gardening"), ("cadence", "daily")]).await).await;
        let saved = app.post_form(&choice, &[("topics", "sport"), ("cadence", "daily")]).await;
        let saved_at = location(&saved);
        let (_, after) = text(app.get(saved_at.split('#').next().unwrap()).await).await;
        let before_scheduled = app.smtp.messages().len();
        app.send_digest(&token).await;
        app.drain().await;
        let scheduled_to_ada = mails_to(&app, before_scheduled, "ada@example.com", "");
        let bob = mails_to(&app, before_scheduled, "bob@example.com", "Cup final");
        let before_daily = app.smtp.messages().len();
        fire_daily(&app, "news").await;
        app.drain().await;
        let ada = mails_to(&app, before_daily, "ada@example.com", "");

        assert!(page.contains(&format!(r#"<form method="post" action="{choice}" novalidate>"#)), "{page}");
        assert!(page.contains(r#"<input id="topic-news-politics" name="topics" type="checkbox" value="politics">"#));
        assert!(page.contains(r#"<label for="topic-news-sport">Sport</label>"#));
        assert!(page.contains(r#"<input id="cadence-news-scheduled" name="cadence" type="radio" value="scheduled" checked>"#));
        assert!(page.contains(r#"<label for="cadence-news-daily">Once a day, at "#));
        assert_eq!(weekly_status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(weekly.contains(r#"<p class="error" id="cadence-news-error">"#) && weekly.contains("does not come"), "{weekly}");
        assert!(weekly.contains(r#"value="sport" checked"#), "what was ticked stays ticked");
        assert_eq!(unknown_status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(unknown.contains(r#"id="topics-news-error""#) && unknown.contains("gardening"), "{unknown}");
        assert_eq!(saved.status(), StatusCode::SEE_OTHER);
        assert_eq!(saved_at, format!("{path}?done=choice&newsletter=news#newsletter-news"));
        assert!(after.contains("Saved. Your next emails of The Tidings Newsletter follow your choice."), "{after}");
        assert!(after.contains(r#"value="sport" checked"#) && !after.contains(r#"value="politics" checked"#));
        assert!(after.contains(r#"value="daily" checked"#));
        assert!(after.contains("You get it: once a day"), "{after}");

        // The editors' send goes to readers on the newsletter's own schedule: Bob, not Ada.
        assert_eq!(bob.len(), 1);
        assert!(bob[0].text().contains("Parliament votes"), "{}", bob[0].text());
        assert!(scheduled_to_ada.is_empty(), "Ada is on daily");
        // Her daily email has her topic only.
        assert_eq!(ada.len(), 1, "one daily digest");
        assert!(ada[0].text().contains("Cup final"), "{}", ada[0].text());
        assert!(!ada[0].text().contains("Parliament votes"), "{}", ada[0].text());
        assert!(mails_to(&app, before_daily, "bob@example.com", "").is_empty(), "Bob is not on daily");
    }

    async fn leaving_one_newsletter_on_the_readers_page_keeps_the_other(backend) {
        let app = TestApp::spawn_driven(backend).await;
        let token = app.api_token().await;
        weekend(&app, &token, json!({})).await;
        reader_on(&app, "ada@example.com", &["news", "weekend"]).await;
        article_on(&app, &token, "Long read", "culture").await;
        // A weekend digest waits to be sent when she leaves.
        assert_eq!(send_digest_of(&app, &token, "weekend").await.status(), StatusCode::ACCEPTED);
        let path = page_path(&app, "ada@example.com").await;

        let (_, page) = text(app.get(&path).await).await;
        let left = app.post_form(&format!("{path}/newsletters/weekend/leave"), &[]).await;
        let left_at = location(&left);
        let (_, after) = text(app.get(left_at.split('#').next().unwrap()).await).await;
        let before = app.smtp.messages().len();
        app.drain().await;
        let after_leaving = mails_to(&app, before, "ada@example.com", "Long read");
        article_on(&app, &token, "Morning news", "politics").await;
        app.send_digest(&token).await;
        app.drain().await;
        let news = mails_to(&app, before, "ada@example.com", "Morning news");

        assert!(page.contains(&format!(r#"<form method="post" action="{path}/newsletters/weekend/leave">"#)), "{page}");
        assert!(page.contains("Leave The Weekend Read</button>"));
        assert!(page.contains(&format!(r#"action="{path}/all""#)), "leave all is offered");
        assert_eq!(left.status(), StatusCode::SEE_OTHER);
        assert_eq!(left_at, format!("{path}?done=left&newsletter=weekend#newsletters"));
        assert!(after.contains("Done: you left The Weekend Read."), "{after}");
        assert!(after.contains("You left this newsletter."));
        assert!(after.contains("You get it:"), "still on the default newsletter");
        assert!(!after.contains(&format!(r#"action="{path}/all""#)), "one newsletter left: no leave all");
        assert!(after_leaving.is_empty(), "the waiting weekend digest was cancelled for her");
        assert_eq!(app.subscriber_status("ada@example.com").await.as_deref(), Some("confirmed"));
        assert_eq!(withdrawals(&app).await, [Some("weekend".to_string())], "consent withdrawn for the weekend one only");
        assert_eq!(news.len(), 1, "the default newsletter still comes");

        // Leaving the last one is leaving altogether.
        let last = app.post_form(&format!("{path}/newsletters/news/leave"), &[]).await;
        assert_eq!(last.status(), StatusCode::SEE_OTHER);
        assert_eq!(app.subscriber_status("ada@example.com").await.as_deref(), Some("unsubscribed"));
        let (_, gone) = text(app.get(&path).await).await;
        assert!(gone.contains("gets no emails from us"), "{gone}");
    }

    async fn leave_all_on_the_readers_page_ends_every_newsletter_at_once(backend) {
        let app = TestApp::spawn_driven(backend).await;
        let token = app.api_token().await;
        weekend(&app, &token, json!({})).await;
        reader_on(&app, "ada@example.com", &["news", "weekend"]).await;
        reader_on(&app, "bob@example.com", &["news", "weekend"]).await;
        article_on(&app, &token, "Long read", "culture").await;
        assert_eq!(send_digest_of(&app, &token, "news").await.status(), StatusCode::ACCEPTED);
        let path = page_path(&app, "ada@example.com").await;

        let all = app.post_form(&format!("{path}/all"), &[]).await;
        let all_at = location(&all);
        let (_, after) = text(app.get(all_at.split('#').next().unwrap()).await).await;
        let before = app.smtp.messages().len();
        app.drain().await;

        assert_eq!(all.status(), StatusCode::SEE_OTHER);
        assert_eq!(all_at, format!("{path}?done=left_all#newsletters"));
        assert!(after.contains("Done: you left all our newsletters."), "{after}");
        assert!(after.contains("gets no emails from us"));
        assert!(!after.contains("Leave The Weekend Read"));
        assert_eq!(app.subscriber_status("ada@example.com").await.as_deref(), Some("unsubscribed"));
        assert_eq!(app.subscriber_status("bob@example.com").await.as_deref(), Some("confirmed"));
        assert_eq!(withdrawals(&app).await.len(), 1);
        assert!(mails_to(&app, before, "ada@example.com", "Long read").is_empty(), "her waiting digest was cancelled");
        assert_eq!(mails_to(&app, before, "bob@example.com", "Long read").len(), 1);
    }

    async fn an_embed_snippet_made_for_a_chosen_newsletter_signs_up_to_it(backend) {
        let app = TestApp::spawn_driven(backend).await;
        let token = app.api_token().await;
        weekend(&app, &token, json!({})).await;

        let plain = snippet_of(&app.editor_page("/editor/embed").await);
        let editor = app.editor_page("/editor/embed?newsletters=weekend").await;
        let one = snippet_of(&editor);
        let choice = snippet_of(&app.editor_page("/editor/embed?newsletters=news&newsletters=weekend&readers_choose=yes").await);
        let mut fields = hidden_fields(&one);
        fields.extend([("email".to_string(), "ada@example.com".to_string()), ("consent".into(), "yes".into())]);
        let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let posted = app.post_form("/subscribe", &pairs).await;
        confirm_latest(&app, "ada@example.com").await;
        let (_, page) = text(app.get(&page_path(&app, "ada@example.com").await).await).await;
        let script = app.get("/embed.js").await.text().await.unwrap();

        assert!(!plain.contains(r#"name="newsletters""#), "the plain snippet joins the default newsletter");
        assert!(editor.contains(r#"<input id="embed-newsletter-weekend" name="newsletters" type="checkbox" value="weekend" checked>"#), "{editor}");
        assert!(one.contains(r#"<input type="hidden" name="newsletters" value="weekend">"#), "{one}");
        assert!(!one.contains(r#"value="news""#));
        assert!(choice.contains(r#"<input id="tidings-newsletter-news" name="newsletters" type="checkbox" value="news" checked>"#), "{choice}");
        assert!(choice.contains(r#"<input id="tidings-newsletter-weekend" name="newsletters" type="checkbox" value="weekend">"#));
        assert!(choice.contains(r#"<label for="tidings-newsletter-weekend">The Weekend Read</label>"#));
        assert!(choice.contains(r#"data-tidings-field="newsletters""#) && choice.contains(r#"name="newsletter_choice""#));
        assert_eq!(posted.status(), StatusCode::SEE_OTHER);
        assert!(page.contains("Unsubscribe from The Weekend Read?"), "on the weekend newsletter only: {page}");
        assert!(script.contains("request.newsletters"), "the script sends the newsletters in its JSON");
    }
}

/// The snippet an editor copies from /editor/embed, unescaped.
pub fn snippet_of(page: &str) -> String {
    let start = page.find(r#"class="code">"#).unwrap() + r#"class="code">"#.len();
    let escaped = &page[start..start + page[start..].find("</textarea>").unwrap()];
    [
        ("&#60;", "<"),
        ("&#62;", ">"),
        ("&#34;", "\""),
        ("&#39;", "'"),
        ("&#38;", "&"),
    ]
    .iter()
    .fold(escaped.to_string(), |text, (entity, plain)| {
        text.replace(entity, plain)
    })
}

/// The hidden fields of a snippet, as a browser posts them.
fn hidden_fields(snippet: &str) -> Vec<(String, String)> {
    let re = regex::Regex::new(r#"<input type="hidden" name="([^"]+)" value="([^"]*)">"#).unwrap();
    re.captures_iter(snippet)
        .map(|c| (c[1].to_string(), c[2].to_string()))
        .collect()
}
