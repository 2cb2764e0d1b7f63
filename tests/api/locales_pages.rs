//! Readers' pages in their own language (issue 18): the signup form, the confirmation pages,
//! the reader's own page (with its language list), leaving, the archive, error pages and the
//! embed snippet each speak the reader's stored language, or for a reader not known yet the
//! one asked for (`?locale=`, a form's `locale`), else the browser's.
//!
//! Until the translators finish, the shipped German and Arabic messages are copies of the
//! English ones; these tests lay a few real translations over them (`newsletter.messages_dir`,
//! as a publication would), so that a page in the wrong language cannot pass.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tidings::i18n::{Locale, Words};

use crate::backend_tests;
use crate::helpers::{Backend, TestApp};
use crate::reader_choices::{page_path, snippet_of};

const GERMAN: &str = r#"
consent-label = Ich stimme der <a href="{ $privacy_url }">Datenschutzerklärung</a> und den <a href="{ $terms_url }">Nutzungsbedingungen</a> zu. Ich kann mich jederzeit abmelden.
signup-heading = Melden Sie sich für { $newsletter } an
confirm-heading = Ein letzter Schritt
confirmed-heading = Sie sind angemeldet
preferences-details-heading = Ihre Angaben
unsubscribed-heading = Sie sind abgemeldet
leave-title = Abmelden
error-title-not-found = Diese Seite gibt es nicht
archive-heading = Frühere Ausgaben
signup-email = E-Mail-Adresse
"#;

const ARABIC: &str = r#"
signup-heading = اشترك في { $newsletter }
preferences-saved-language = تم الحفظ. سنراسلك بـ{ $language } من الآن فصاعدًا.
error-title-not-found = لم نجد هذه الصفحة
error-back-to-signup = العودة إلى صفحة الاشتراك
leave-title = إلغاء الاشتراك
"#;

/// The app with the German and Arabic translations above; the directory lives as long as
/// the app is used.
pub async fn app_with(
    backend: Backend,
    configure: impl FnOnce(&mut tidings::config::Settings),
) -> (TestApp, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("de.ftl"), GERMAN).unwrap();
    std::fs::write(dir.path().join("ar.ftl"), ARABIC).unwrap();
    let messages = dir.path().to_path_buf();
    let app = TestApp::spawn_with(backend, move |s| {
        s.newsletter.messages_dir = messages;
        configure(s);
    })
    .await;
    (app, dir)
}

fn locale(tag: &str) -> Locale {
    tag.parse().unwrap()
}

pub fn words(app: &TestApp, tag: &str) -> Words {
    app.state.words(locale(tag))
}

async fn get_in(app: &TestApp, path: &str, accept_language: &str) -> reqwest::Response {
    app.client
        .get(format!("{}{path}", app.address))
        .header("accept-language", accept_language)
        .send()
        .await
        .unwrap()
}

async fn text(response: reqwest::Response) -> (StatusCode, String) {
    (response.status(), response.text().await.unwrap())
}

fn html_of(page: &str) -> &str {
    let start = page.find("<html").expect("an html element");
    &page[start..start + page[start..].find('>').unwrap() + 1]
}

/// The page's `<html>` says this language and its direction.
fn assert_speaks(page: &str, tag: &str, dir: &str) {
    assert_eq!(
        html_of(page),
        format!(r#"<html lang="{tag}" dir="{dir}">"#),
        "{page}"
    );
}

/// What is between `start` and the next `end` after it.
fn between<'a>(page: &'a str, start: &str, end: &str) -> &'a str {
    let from = page
        .find(start)
        .unwrap_or_else(|| panic!("no {start} in {page}"))
        + start.len();
    &page[from..from + page[from..].find(end).unwrap()]
}

fn location(response: &reqwest::Response) -> String {
    response.headers()["location"].to_str().unwrap().to_string()
}

async fn stored_locale(app: &TestApp, email: &str) -> String {
    sqlx::query_scalar("select locale from subscribers where email_key = $1")
        .bind(email)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

/// Signs a reader up through the API in `tag` and confirms them from their email.
async fn confirmed_reader_in(app: &TestApp, email: &str, tag: &str) {
    let before = app.smtp.messages().len();
    let body = json!({"email": email, "consent": true, "locale": tag});
    let response = app.post_json("/api/v1/subscriptions", &body).await;
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    let mail = app
        .smtp
        .wait_for(before + 1, Duration::from_secs(10))
        .await
        .pop()
        .unwrap();
    let confirmed = app.post_form(&app.confirmation_path(&mail), &[]).await;
    assert_eq!(confirmed.status(), StatusCode::SEE_OTHER);
}

backend_tests! {
    async fn a_german_form_signup_stores_german_and_the_german_sentence_as_evidence(backend) {
        let (app, _messages) = app_with(backend, |_| {}).await;
        let token = app.api_token().await;
        let (_, page) = text(get_in(&app, "/", "de-DE,de;q=0.9,en;q=0.5").await).await;
        let shown = between(&page, r#"<label for="consent">"#, "</label>").to_string();
        assert!(page.contains(r#"<input type="hidden" name="locale" value="de">"#), "{page}");

        // As the browser posts the page's form: its hidden language, whatever the headers.
        let posted = app
            .post_form("/subscribe", &[("email", "ada@example.com"), ("consent", "yes"), ("locale", "de")])
            .await;
        let id = app.subscriber_id("ada@example.com").await.unwrap();
        let profile: Value = app
            .api(Method::GET, &format!("/api/v1/subscribers/{id}"), &token)
            .send().await.unwrap().json().await.unwrap();
        let export = app.export_of(&token, id).await;
        let (_, thanks) = text(app.get(&location(&posted)).await).await;

        assert_speaks(&page, "de", "ltr");
        assert!(shown.contains("Datenschutzerklärung"), "{shown}");
        assert_eq!(posted.status(), StatusCode::SEE_OTHER);
        assert_eq!(profile["locale"], "de");
        let granted = &export["consent"][0];
        assert_eq!(granted["locale"], "de", "{export}");
        assert_eq!(granted["statement"].as_str().unwrap(), shown, "the sentence the page showed");
        assert_speaks(&thanks, "de", "ltr");
    }

    async fn a_mistake_on_the_german_form_comes_back_in_german(backend) {
        let (app, _messages) = app_with(backend, |_| {}).await;
        let de = words(&app, "de");

        let (status, page) = text(
            app.post_form("/subscribe", &[("email", "not-an-address"), ("locale", "de")]).await,
        )
        .await;

        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_speaks(&page, "de", "ltr");
        let heading = de.t1("signup-heading", "newsletter", &app.settings.newsletter.name);
        assert!(page.contains(&format!("<h1>{heading}</h1>")), "{page}");
        assert!(page.contains(r#"<label for="email">E-Mail-Adresse</label>"#), "{page}");
        assert!(page.contains(r#"id="consent-error""#) && page.contains("Datenschutzerklärung"), "{page}");
        assert!(page.contains(r#"<input type="hidden" name="locale" value="de">"#));
    }

    async fn the_api_stores_the_language_asked_for_and_refuses_a_malformed_one(backend) {
        let app = TestApp::spawn(backend).await;
        let sign_up = |email: &'static str, tag: &'static str, accept: Option<&'static str>| {
            let mut request = app
                .client
                .post(format!("{}/api/v1/subscriptions", app.address))
                .json(&json!({"email": email, "consent": true, "locale": tag}));
            if let Some(accept) = accept {
                request = request.header("accept-language", accept);
            }
            request.send()
        };

        let brazilian = sign_up("bia@example.com", "pt-BR", None).await.unwrap();
        let malformed = sign_up("bad@example.com", "!!", None).await.unwrap();
        let unoffered_browser = sign_up("carla@example.com", "it", Some("de-AT,de;q=0.8")).await.unwrap();
        let unoffered = sign_up("dino@example.com", "it", None).await.unwrap();

        assert_eq!(brazilian.status(), StatusCode::ACCEPTED);
        assert_eq!(stored_locale(&app, "bia@example.com").await, "pt-BR");
        assert_eq!(malformed.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let answer: Value = malformed.json().await.unwrap();
        assert!(answer["fields"]["locale"].is_string(), "{answer}");
        assert_eq!(app.subscriber_id("bad@example.com").await, None);
        assert_eq!(unoffered_browser.status(), StatusCode::ACCEPTED);
        assert_eq!(stored_locale(&app, "carla@example.com").await, "de", "Italian is not shipped: the browser's next");
        assert_eq!(unoffered.status(), StatusCode::ACCEPTED);
        assert_eq!(stored_locale(&app, "dino@example.com").await, app.settings.newsletter.default_locale.tag());
    }

    async fn the_readers_page_speaks_their_language_and_they_can_change_it(backend) {
        let (app, _messages) = app_with(backend, |s| {
            s.newsletter.locales = ["en", "de", "fr", "ar"].iter().map(|t| t.parse().unwrap()).collect();
        })
        .await;
        confirmed_reader_in(&app, "ada@example.com", "de").await;
        let path = page_path(&app, "ada@example.com").await;

        let (status, before) = text(get_in(&app, &path, "en").await).await;
        let changed = app.post_form(&format!("{path}/locale"), &[("locale", "ar")]).await;
        let back = location(&changed);
        let stored = stored_locale(&app, "ada@example.com").await;
        let (_, after) = text(app.get(&back).await).await;
        let (unoffered_status, unoffered) =
            text(app.post_form(&format!("{path}/locale"), &[("locale", "es")]).await).await;
        let (nonsense_status, _) =
            text(app.post_form(&format!("{path}/locale"), &[("locale", "!!")]).await).await;

        assert_eq!(status, StatusCode::OK);
        assert_speaks(&before, "de", "ltr");
        assert!(before.contains(r#"<h2 id="your-data-heading">Ihre Angaben</h2>"#), "{before}");
        assert!(before.contains(r#"<form method="post" action="/unsubscribe/"#) && before.contains(&format!(r#"action="{path}/locale""#)));
        assert!(before.contains(r#"<option value="de" lang="de" selected>Deutsch</option>"#), "{before}");
        assert!(before.contains(r#"<option value="ar" lang="ar">العربية</option>"#), "{before}");
        assert!(!before.contains(r#"value="es""#), "Spanish is not offered here");

        assert_eq!(changed.status(), StatusCode::SEE_OTHER);
        assert_eq!(back, format!("{path}?done=locale#your-data"));
        assert_eq!(stored, "ar");
        assert_speaks(&after, "ar", "rtl");
        let notice = words(&app, "ar").t1("preferences-saved-language", "language", "العربية");
        assert!(after.contains(&format!(r#"<p class="notice" role="status">{notice}</p>"#)), "{after}");
        assert!(after.contains(r#"<option value="ar" lang="ar" selected>"#));

        assert_eq!(unoffered_status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_speaks(&unoffered, "ar", "rtl");
        assert!(unoffered.contains(r#"<select id="locale" name="locale" aria-invalid="true" aria-describedby="locale-error">"#), "{unoffered}");
        assert!(unoffered.contains(r#"<p class="error" id="locale-error">"#), "{unoffered}");
        assert_eq!(nonsense_status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(stored_locale(&app, "ada@example.com").await, "ar", "unchanged by the refusals");
    }

    async fn confirming_and_leaving_happen_in_the_readers_language(backend) {
        let (app, _messages) = app_with(backend, |_| {}).await;
        let body = json!({"email": "ada@example.com", "consent": true, "locale": "de"});
        app.post_json("/api/v1/subscriptions", &body).await;
        let mail = app.smtp.wait_for(1, Duration::from_secs(10)).await.pop().unwrap();
        let confirm = app.confirmation_path(&mail);

        let (_, confirm_page) = text(get_in(&app, &confirm, "en").await).await;
        let confirmed = app.post_form(&confirm, &[]).await;
        let (_, confirmed_page) = text(get_in(&app, &location(&confirmed), "en").await).await;
        let (_, used_page) = text(get_in(&app, &confirm, "en").await).await;
        let path = page_path(&app, "ada@example.com").await;
        let (left_status, left) = text(app.post_form(&path, &[]).await).await;

        assert_speaks(&confirm_page, "de", "ltr");
        assert!(confirm_page.contains("<h1>Ein letzter Schritt</h1>"), "{confirm_page}");
        assert_eq!(location(&confirmed), "/subscribe/confirmed?locale=de", "the browser asked for no language");
        assert_speaks(&confirmed_page, "de", "ltr");
        assert!(confirmed_page.contains("<h1>Sie sind angemeldet</h1>"), "{confirmed_page}");
        assert_speaks(&used_page, "de", "ltr");
        assert_eq!(left_status, StatusCode::OK);
        assert_speaks(&left, "de", "ltr");
        assert!(left.contains("<h1>Sie sind abgemeldet</h1>"), "{left}");
    }
}

#[tokio::test]
async fn the_signup_page_speaks_the_browsers_language_or_the_one_asked_for() {
    let (app, _messages) = app_with(Backend::Sqlite, |_| {}).await;
    let name = &app.settings.newsletter.name;

    let (_, german) = text(get_in(&app, "/", "de-CH, de;q=0.9, en;q=0.8").await).await;
    let (_, arabic) = text(get_in(&app, "/?locale=ar", "de").await).await;
    let (_, english) = text(app.get("/").await).await;

    assert_speaks(&german, "de", "ltr");
    let heading = words(&app, "de").t1("signup-heading", "newsletter", name);
    assert_eq!(heading, format!("Melden Sie sich für {name} an"));
    assert!(german.contains(&format!("<h1>{heading}</h1>")), "{german}");
    assert_speaks(&arabic, "ar", "rtl");
    assert!(
        arabic.contains(&format!("<h1>اشترك في {name}</h1>")),
        "{arabic}"
    );
    assert_speaks(&english, "en", "ltr");
    assert!(english.contains(&format!("<h1>Sign Up For {name}</h1>")));
}

#[tokio::test]
async fn pages_that_know_no_reader_speak_the_browsers_language() {
    let (app, _messages) = app_with(Backend::Sqlite, |_| {}).await;

    let (not_found_status, not_found) = text(get_in(&app, "/no-such-page", "ar").await).await;
    let (_, unknown_link) = text(get_in(&app, "/confirm/nonsense", "de").await).await;
    let (_, leave) = text(app.get("/unsubscribe?locale=ar").await).await;
    let (broken_status, broken) =
        text(get_in(&app, "/unsubscribe/mangled-by-a-mail-filter", "de").await).await;
    let (mistake_status, mistake) = text(
        app.post_form("/unsubscribe", &[("email", "no at sign"), ("locale", "de")])
            .await,
    )
    .await;
    let (_, sent) = text(
        app.post_form(
            "/unsubscribe",
            &[("email", "ada@example.com"), ("locale", "ar")],
        )
        .await,
    )
    .await;
    let (_, editors) = text(get_in(&app, "/editor/no-such-page", "ar").await).await;

    assert_eq!(not_found_status, StatusCode::NOT_FOUND);
    assert_speaks(&not_found, "ar", "rtl");
    assert!(
        not_found.contains("<h1>لم نجد هذه الصفحة</h1>"),
        "{not_found}"
    );
    assert!(
        not_found.contains(r#"<a href="/">العودة إلى صفحة الاشتراك</a>"#),
        "{not_found}"
    );
    assert_speaks(&unknown_link, "de", "ltr");
    assert_speaks(&leave, "ar", "rtl");
    assert!(
        leave.contains("<h1>إلغاء الاشتراك</h1>") && leave.contains(r#"name="locale" value="ar""#),
        "{leave}"
    );
    assert_eq!(broken_status, StatusCode::NOT_FOUND);
    assert_speaks(&broken, "de", "ltr");
    assert_eq!(mistake_status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_speaks(&mistake, "de", "ltr");
    let message = tidings::error::sentence(&words(&app, "de").t("error-email-no-at"));
    assert!(
        mistake.contains(&format!(
            r#"<p class="error" id="email-error">{message}</p>"#
        )),
        "{mistake}"
    );
    assert_speaks(&sent, "ar", "rtl");
    assert!(
        editors.contains("We could not find that page")
            && html_of(&editors).contains(r#"lang="en""#),
        "editors' pages stay English: {editors}"
    );
}

#[tokio::test]
async fn the_archive_speaks_the_browsers_language_and_dates_in_it() {
    let (app, _messages) = app_with(Backend::Sqlite, |s| s.mail.concurrency = 0).await;
    let token = app.api_token().await;
    app.confirmed_reader_driven("ada@example.com", "Ada").await;
    app.add_article(
        &token,
        &json!({"title": "Rivers", "url": "https://news.example/rivers"}),
    )
    .await;
    let digest = app.send_digest(&token).await;
    app.drain().await;
    let created: i64 = sqlx::query_scalar("select created_at from digests where id = $1")
        .bind(digest)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let zone: chrono_tz::Tz = app.settings.digest.timezone.parse().unwrap();
    let day = chrono::DateTime::from_timestamp_millis(created)
        .unwrap()
        .with_timezone(&zone);
    let german_day = words(&app, "de").date(&day);

    let (_, list) = text(get_in(&app, "/archive", "de").await).await;
    let (_, issue) = text(app.get(&format!("/archive/{digest}?locale=de")).await).await;
    let (_, english) = text(app.get("/archive").await).await;

    assert_speaks(&list, "de", "ltr");
    assert!(list.contains("<h1>Frühere Ausgaben</h1>"), "{list}");
    assert!(
        list.contains(&format!(r#"<span class="meta">{german_day}</span>"#)),
        "{list}"
    );
    assert_speaks(&issue, "de", "ltr");
    assert!(
        issue.contains(&format!("Frühere Ausgaben</a> · {german_day}")),
        "{issue}"
    );
    assert!(english.contains(&format!(
        r#"<span class="meta">{}</span>"#,
        words(&app, "en").date(&day)
    )));
}

/// The `tidings-words` of a snippet, by language tag.
fn script_words(snippet: &str) -> Value {
    let json = between(
        snippet,
        r#"<script type="application/json" class="tidings-words">"#,
        "</script>",
    );
    serde_json::from_str(json).unwrap()
}

#[tokio::test]
async fn the_embed_snippet_speaks_the_language_the_editor_chose_or_the_pages_own() {
    let (app, _messages) = app_with(Backend::Sqlite, |_| {}).await;
    let token = app.api_token().await;

    let editor = app.editor_page("/editor/embed?locale=de").await;
    let german = snippet_of(&editor);
    let page_own = snippet_of(&app.editor_page("/editor/embed?locale=page").await);
    let plain = snippet_of(&app.editor_page("/editor/embed").await);
    // As a browser without script posts the German snippet.
    let posted = app
        .post_form(
            "/subscribe",
            &[
                ("email", "ada@example.com"),
                ("consent", "yes"),
                ("source", "embed"),
                ("return_to", ""),
                ("locale", "de"),
            ],
        )
        .await;
    let id = app.subscriber_id("ada@example.com").await.unwrap();
    let export = app.export_of(&token, id).await;

    assert!(
        editor.contains(r#"<option value="de" selected>Deutsch (de)</option>"#),
        "{editor}"
    );
    assert!(editor.contains(r#"<option value="page">"#), "{editor}");
    assert!(
        german.contains(r#"<input type="hidden" name="locale" value="de">"#),
        "{german}"
    );
    assert!(german.contains(r#"lang="de" dir="ltr""#) && !german.contains("data-tidings-locale"));
    assert!(
        german.contains(
            r#"<label for="tidings-email" data-tidings-text="email">E-Mail-Adresse</label>"#
        ),
        "{german}"
    );
    let german_consent = app.state.consent.get(locale("de")).html.clone();
    assert!(german.contains(&german_consent), "{german}");
    let words = script_words(&german);
    assert_eq!(
        words.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["de"]
    );
    assert_eq!(words["de"]["consent"], german_consent.as_str());
    assert_eq!(words["de"]["texts"]["email"], "E-Mail-Adresse");

    assert!(
        page_own.contains(r#"data-tidings-locale="page""#),
        "{page_own}"
    );
    let default = app.settings.newsletter.default_locale.tag();
    assert!(
        page_own.contains(&format!(
            r#"<input type="hidden" name="locale" value="{default}">"#
        )),
        "without script: the default language"
    );
    let every = script_words(&page_own);
    for offered in &app.settings.newsletter.locales {
        let tag = offered.tag();
        assert_eq!(
            every[tag]["consent"],
            app.state.consent.get(*offered).html.as_str(),
            "{tag}"
        );
        assert_eq!(every[tag]["dir"], offered.dir());
    }
    let raw = between(&page_own, r#"class="tidings-words">"#, "</script>");
    assert!(
        !raw.contains('<') && !raw.contains('>'),
        "no markup left unescaped in the words: {raw}"
    );
    assert!(plain.contains(&format!(
        r#"<input type="hidden" name="locale" value="{default}">"#
    )));

    assert_eq!(posted.status(), StatusCode::SEE_OTHER);
    assert_eq!(export["subscriber"]["locale"], "de");
    assert_eq!(export["consent"][0]["statement"], german_consent.as_str());

    let script = app.get("/embed.js").await.text().await.unwrap();
    assert!(
        script.contains("document.documentElement.lang") && script.contains("request.locale"),
        "the script finds the page's language and sends it"
    );
}
