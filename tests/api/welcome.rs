//! Welcome emails: a reader who confirms gets one welcome per newsletter joined that has a
//! welcome text, in that newsletter's name, through the send engine, and never a second one.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tokio::net::TcpListener;

use crate::backend_tests;
use crate::helpers::{TestApp, link_in};
use crate::smtp_sink::ReceivedMail;

const WELCOME: &str = "**Thanks** for joining The Daily.\n\n\
                       <script>alert('welcome')</script>\n\n\
                       Start with [our guide](https://news.example/guide).";

/// An app that sends only when drained, with two newsletters and no welcome text yet:
/// "daily" (The Daily, From "The Daily Desk") and "weekend" (The Weekend Read).
async fn app_with_two_newsletters(backend: crate::helpers::Backend) -> (TestApp, String) {
    let app = TestApp::spawn_driven(backend).await;
    let token = app.api_token().await;
    for body in [
        json!({"slug": "daily", "name": "The Daily", "from_name": "The Daily Desk"}),
        json!({"slug": "weekend", "name": "The Weekend Read"}),
    ] {
        let created = app
            .api(Method::POST, "/api/v1/newsletters", &token)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(created.status(), StatusCode::CREATED);
    }
    (app, token)
}

/// Gives a newsletter a welcome, as an editor does through the API.
async fn set_welcome(app: &TestApp, token: &str, slug: &str, subject: &str, body: &str) {
    let response = app
        .api(Method::PATCH, &format!("/api/v1/newsletters/{slug}"), token)
        .json(&json!({"welcome_subject": subject, "welcome_body": body}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let newsletter: Value = response.json().await.unwrap();
    assert_eq!(newsletter["welcome_body"], body);
}

/// Signs up to these newsletters and returns the confirmation email it sent.
async fn sign_up_to(app: &TestApp, email: &str, newsletters: &[&str]) -> ReceivedMail {
    let before = app.smtp.messages().len();
    let response = app
        .post_json(
            "/api/v1/subscriptions",
            &json!({"email": email, "consent": true, "newsletters": newsletters}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    app.drain().await;
    let sent = app.smtp.messages();
    assert_eq!(sent.len(), before + 1, "one confirmation email");
    sent[before].clone()
}

async fn confirm(app: &TestApp, confirmation: &ReceivedMail) {
    let confirmed = app
        .post_form(&app.confirmation_path(confirmation), &[])
        .await;
    assert_eq!(confirmed.status(), StatusCode::SEE_OTHER);
}

fn subject(mail: &ReceivedMail) -> String {
    mail.parsed().subject().unwrap_or_default().to_string()
}

fn from_name(mail: &ReceivedMail) -> String {
    mail.parsed()
        .from()
        .unwrap()
        .first()
        .unwrap()
        .name()
        .unwrap_or_default()
        .to_string()
}

/// Every email sent that is not a confirmation.
fn welcomes(app: &TestApp) -> Vec<ReceivedMail> {
    app.smtp
        .messages()
        .into_iter()
        .filter(|m| !subject(m).starts_with("Please confirm"))
        .collect()
}

backend_tests! {
    async fn confirming_two_newsletters_sends_the_welcome_of_the_one_with_a_welcome_text_once(backend) {
        let (app, token) = app_with_two_newsletters(backend).await;
        set_welcome(&app, &token, "daily", "Glad you are here", WELCOME).await;
        let confirmation = sign_up_to(&app, "ada@example.com", &["daily", "weekend"]).await;
        assert!(welcomes(&app).is_empty(), "no welcome before the confirmation");

        confirm(&app, &confirmation).await;
        app.drain().await;

        let sent = welcomes(&app);
        assert_eq!(sent.len(), 1, "one welcome: The Weekend Read has no welcome text");
        let welcome = &sent[0];
        assert_eq!(welcome.to, ["ada@example.com"]);
        assert_eq!(subject(welcome), "Glad you are here");
        assert_eq!(from_name(welcome), "The Daily Desk");
        let html = welcome.html();
        assert!(html.contains("<strong>Thanks</strong> for joining The Daily."), "{html}");
        assert!(html.contains(r#"href="https://news.example/guide""#), "{html}");
        assert!(!html.contains("<script") && !html.contains("alert("), "the script is gone: {html}");
        assert!(html.contains(&app.settings.newsletter.postal_address), "{html}");
        let text = welcome.text();
        assert!(text.contains("**Thanks** for joining The Daily.") && text.contains("[our guide](https://news.example/guide)"), "the Markdown as typed: {text}");
        assert!(!text.contains("<script"), "{text}");
        let reader_page = format!("{}/unsubscribe/", app.address);
        assert_eq!(link_in(&text, &reader_page), link_in(&html, &reader_page), "both parts lead to the reader's page");
        let page = app.get(link_in(&text, &reader_page).strip_prefix(&app.address).unwrap()).await;
        assert_eq!(page.status(), StatusCode::OK, "the link to the reader's page works");

        // The reader's data names the welcome among the emails sent to them.
        let id = app.subscriber_id("ada@example.com").await.unwrap();
        let export: Value = app.api(Method::GET, &format!("/api/v1/subscribers/{id}/export"), &token).send().await.unwrap().json().await.unwrap();
        let kinds: Vec<&str> = export["emails"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds, ["confirmation", "welcome"]);
    }

    async fn the_confirmation_email_names_every_newsletter_being_confirmed(backend) {
        let (app, _token) = app_with_two_newsletters(backend).await;

        let both = sign_up_to(&app, "ada@example.com", &["weekend", "daily"]).await;
        let one = sign_up_to(&app, "bob@example.com", &["weekend"]).await;

        assert_eq!(subject(&both), "Please confirm your subscription to The Daily and The Weekend Read");
        assert!(both.text().contains("want to receive The Daily and The Weekend Read"), "{}", both.text());
        assert!(both.html().contains("want to receive The Daily and The Weekend Read"), "{}", both.html());
        assert_eq!(subject(&one), "Please confirm your subscription to The Weekend Read");
        assert!(one.text().contains("want to receive The Weekend Read by"), "{}", one.text());
    }

    async fn each_newsletter_welcomes_a_reader_once_whatever_they_do_next(backend) {
        let (app, token) = app_with_two_newsletters(backend).await;
        set_welcome(&app, &token, "daily", "", WELCOME).await;
        set_welcome(&app, &token, "weekend", "", "Long reads, every Saturday.").await;
        let confirmation = sign_up_to(&app, "ada@example.com", &["daily", "weekend"]).await;

        confirm(&app, &confirmation).await;
        app.drain().await;

        let mut sent: Vec<(String, String)> = welcomes(&app).iter().map(|m| (subject(m), from_name(m))).collect();
        sent.sort();
        assert_eq!(sent, [
            ("Welcome to The Daily".to_string(), "The Daily Desk".to_string()),
            ("Welcome to The Weekend Read".to_string(), "The Tidings Newsletter".to_string()),
        ]);

        // The link again, a second signup to both, and a restart: no welcome twice.
        let again = app.post_form(&app.confirmation_path(&confirmation), &[]).await;
        assert_eq!(again.status(), StatusCode::OK, "told they are subscribed");
        let signup = app.post_json("/api/v1/subscriptions", &json!({"email": "ada@example.com", "consent": true, "newsletters": ["daily", "weekend"]})).await;
        assert_eq!(signup.status(), StatusCode::ACCEPTED);
        app.drain().await;
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let mut settings = app.settings.clone();
        settings.server.bind = listener.local_addr().unwrap();
        let restarted = tidings::app::App::build_on(settings, listener).await.unwrap();
        let state = restarted.state().clone();
        tokio::spawn(restarted.run_until(std::future::pending()));
        tidings::workers::Engine::start(state).drain().await.unwrap();

        assert_eq!(welcomes(&app).len(), 2);
        assert_eq!(app.smtp.messages().len(), 3, "one confirmation and two welcomes, nothing else");

        // Nor after leaving and coming back.
        let leave = link_in(&confirmation.text(), &format!("{}/unsubscribe/", app.address));
        let left = app.post_raw(leave.strip_prefix(&app.address).unwrap(), "application/x-www-form-urlencoded", "List-Unsubscribe=One-Click").await;
        assert_eq!(left.status(), StatusCode::OK);
        let back = sign_up_to(&app, "ada@example.com", &["daily", "weekend"]).await;
        confirm(&app, &back).await;
        app.drain().await;

        assert_eq!(app.subscriber_status("ada@example.com").await.as_deref(), Some("confirmed"));
        assert_eq!(welcomes(&app).len(), 2, "welcomed once per newsletter, ever");
    }

    async fn a_confirmed_reader_who_joins_another_newsletter_gets_only_its_welcome(backend) {
        let (app, token) = app_with_two_newsletters(backend).await;
        set_welcome(&app, &token, "daily", "", WELCOME).await;
        set_welcome(&app, &token, "weekend", "", "Long reads, every Saturday.").await;
        let first = sign_up_to(&app, "ada@example.com", &["daily"]).await;
        confirm(&app, &first).await;
        app.drain().await;
        assert_eq!(welcomes(&app).iter().map(subject).collect::<Vec<_>>(), ["Welcome to The Daily"]);

        let second = sign_up_to(&app, "ada@example.com", &["daily", "weekend"]).await;
        assert_eq!(subject(&second), "Please confirm your subscription to The Weekend Read", "only what is new to confirm");
        confirm(&app, &second).await;
        app.drain().await;

        let sent: Vec<String> = welcomes(&app).iter().map(subject).collect();
        assert_eq!(sent, ["Welcome to The Daily", "Welcome to The Weekend Read"]);
        assert!(welcomes(&app)[1].text().contains("Long reads, every Saturday."));
    }

    async fn a_reader_who_leaves_or_is_erased_before_the_welcome_goes_out_gets_none(backend) {
        let (app, token) = app_with_two_newsletters(backend).await;
        set_welcome(&app, &token, "daily", "", WELCOME).await;
        let ada = sign_up_to(&app, "ada@example.com", &["daily"]).await;
        let bob = sign_up_to(&app, "bob@example.com", &["daily"]).await;
        let cy = sign_up_to(&app, "cy@example.com", &["daily"]).await;
        for confirmation in [&ada, &bob, &cy] {
            confirm(&app, confirmation).await;
        }

        // Ada leaves with the link in her confirmation email (from no digest: leaves all),
        // and Bob is erased, both before the send engine gets to their welcomes.
        let leave = link_in(&ada.text(), &format!("{}/unsubscribe/", app.address));
        let left = app.post_raw(leave.strip_prefix(&app.address).unwrap(), "application/x-www-form-urlencoded", "List-Unsubscribe=One-Click").await;
        assert_eq!(left.status(), StatusCode::OK);
        assert_eq!(app.subscriber_status("ada@example.com").await.as_deref(), Some("unsubscribed"));
        let bob_id = app.subscriber_id("bob@example.com").await.unwrap();
        let erased = app.api(Method::DELETE, &format!("/api/v1/subscribers/{bob_id}"), &token).send().await.unwrap();
        assert!(erased.status().is_success(), "{}", erased.status());
        app.drain().await;

        let sent: Vec<Vec<String>> = welcomes(&app).iter().map(|m| m.to.clone()).collect();
        assert_eq!(sent, [["cy@example.com"]], "only the reader still there is welcomed");
    }

    async fn readers_imported_as_confirmed_get_no_welcome(backend) {
        let (app, token) = app_with_two_newsletters(backend).await;
        set_welcome(&app, &token, "news", "", "Welcome aboard.").await;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("list.csv");
        std::fs::write(&file, "email\ngrace@example.com\n").unwrap();

        let import = app.cli(&["subscribers", "import", file.to_str().unwrap(), "--confirmed"]).await;
        app.drain().await;

        assert!(import.status.success(), "{}", String::from_utf8_lossy(&import.stderr));
        assert_eq!(app.subscriber_status("grace@example.com").await.as_deref(), Some("confirmed"));
        assert!(app.smtp.messages().is_empty(), "an import sends nothing");
        // A reader who confirms by email does get the default newsletter's welcome.
        let confirmation = sign_up_to(&app, "ada@example.com", &[]).await;
        confirm(&app, &confirmation).await;
        app.drain().await;
        assert_eq!(welcomes(&app).iter().map(|m| m.to.clone()).collect::<Vec<_>>(), [["ada@example.com"]]);
    }
}
