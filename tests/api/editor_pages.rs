use reqwest::StatusCode;

use crate::backend_tests;
use crate::helpers::{TestApp, csrf_in};

backend_tests! {
    async fn the_editors_pages_need_a_login(backend) {
        let app = TestApp::spawn(backend).await;

        for path in ["/editor/articles", "/editor/digest", "/editor/articles/1"] {
            let response = app.get(path).await;

            assert_eq!(response.status(), StatusCode::SEE_OTHER, "{path}");
            assert_eq!(response.headers()["location"], "/editor/login");
        }
    }

    async fn a_wrong_password_is_refused_and_a_right_one_sets_a_safe_cookie(backend) {
        let app = TestApp::spawn(backend).await;
        tidings::editors::create_editor(&app.db, "ed@example.com", "a long enough password").await.unwrap();

        let wrong = app.post_form("/editor/login", &[("email", "ed@example.com"), ("password", "a long enough passwort")]).await;
        let unknown = app.post_form("/editor/login", &[("email", "nobody@example.com"), ("password", "a long enough password")]).await;
        let right = app.post_form("/editor/login", &[("email", "ED@example.com"), ("password", "a long enough password")]).await;

        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
        assert!(wrong.text().await.unwrap().contains("Wrong email address or password"));
        assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(right.status(), StatusCode::SEE_OTHER);
        let cookie = right.headers()["set-cookie"].to_str().unwrap().to_string();
        assert!(cookie.starts_with("tidings_session="));
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"));
        assert!(!cookie.contains("Secure"), "public_url is http here");
    }

    async fn login_attempts_are_rate_limited(backend) {
        let app = TestApp::spawn_with(backend, |s| s.editor.login_attempts_per_minute = 2).await;

        for _ in 0..2 {
            app.post_form("/editor/login", &[("email", "x@example.com"), ("password", "guess guess guess")]).await;
        }
        let response = app.post_form("/editor/login", &[("email", "x@example.com"), ("password", "guess guess guess")]).await;

        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    }

    async fn forms_without_the_csrf_token_are_refused(backend) {
        let app = TestApp::spawn(backend).await;
        let (client, csrf) = app.editor_client().await;
        let url = format!("{}/editor/articles", app.address);
        let fields = [("title", "Headline"), ("url", "https://news.example/1")];

        let without = client.post(&url).form(&fields).send().await.unwrap();
        let wrong = client.post(&url).form(&[fields[0], fields[1], ("csrf", "forged")]).send().await.unwrap();
        let right = client.post(&url).form(&[fields[0], fields[1], ("csrf", csrf.as_str())]).send().await.unwrap();

        assert_eq!(without.status(), StatusCode::FORBIDDEN);
        assert_eq!(wrong.status(), StatusCode::FORBIDDEN);
        assert_eq!(right.status(), StatusCode::SEE_OTHER);
        assert_eq!(app.count("articles").await, 1);
    }

    async fn an_expired_session_goes_back_to_the_login(backend) {
        let app = TestApp::spawn(backend).await;
        let (client, _) = app.editor_client().await;
        sqlx::query("update editor_sessions set expires_at = 1").execute(&app.db.pool).await.unwrap();

        let response = client.get(format!("{}/editor/articles", app.address)).send().await.unwrap();

        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(response.headers()["location"], "/editor/login");
    }

    async fn logging_out_ends_the_session(backend) {
        let app = TestApp::spawn(backend).await;
        let (client, csrf) = app.editor_client().await;

        let out = client.post(format!("{}/editor/logout", app.address)).form(&[("csrf", csrf.as_str())]).send().await.unwrap();
        let after = client.get(format!("{}/editor/articles", app.address)).send().await.unwrap();

        assert_eq!(out.status(), StatusCode::SEE_OTHER);
        assert_eq!(after.status(), StatusCode::SEE_OTHER);
        assert_eq!(app.count("editor_sessions").await, 0);
    }

    async fn an_editor_adds_edits_and_removes_articles_on_the_pages(backend) {
        let app = TestApp::spawn_with(backend, |s| s.digest.timezone = "Europe/Berlin".into()).await;
        let (client, csrf) = app.editor_client().await;
        let base = &app.address;

        let invalid = client.post(format!("{base}/editor/articles")).form(&[("csrf", csrf.as_str()), ("title", "No link"), ("url", "")]).send().await.unwrap();
        assert_eq!(invalid.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = invalid.text().await.unwrap();
        assert!(page.contains("an http:// or https:// URL is required") && page.contains(r#"value="No link""#));

        client.post(format!("{base}/editor/articles"))
            .form(&[("csrf", csrf.as_str()), ("title", "First <story>"), ("url", "https://news.example/1"), ("summary", "<script>x()</script>Fine"), ("published_at", "2026-11-20T08:30")])
            .send().await.unwrap();
        let list = client.get(format!("{base}/editor/articles")).send().await.unwrap().text().await.unwrap();
        assert!(list.contains("First &#60;story&#62;"));
        assert!(list.contains("20 Nov 2026, 08:30") && list.contains("Times are in Europe/Berlin") && list.contains("not sent yet"), "{list}");
        let stored: i64 = sqlx::query_scalar("select published_at from articles").fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(stored, 1_795_159_800_000, "08:30 in Berlin is 07:30 UTC");
        let id: i64 = sqlx::query_scalar("select id from articles").fetch_one(&app.db.pool).await.unwrap();

        let edit = client.get(format!("{base}/editor/articles/{id}")).send().await.unwrap().text().await.unwrap();
        assert!(!edit.contains("<script>"), "the stored summary is already sanitised");
        assert!(edit.contains(r#"type="datetime-local" value="2026-11-20T08:30""#), "{edit}");
        client.post(format!("{base}/editor/articles/{id}"))
            .form(&[("csrf", csrf.as_str()), ("title", "Second story"), ("url", "https://news.example/1")])
            .send().await.unwrap();
        let title: String = sqlx::query_scalar("select title from articles").fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(title, "Second story");

        let ask = client.get(format!("{base}/editor/articles/{id}/delete")).send().await.unwrap().text().await.unwrap();
        assert!(ask.contains("Remove this article?") && ask.contains("Yes, remove it"), "{ask}");
        assert_eq!(app.count("articles").await, 1, "asking removes nothing");
        client.post(format!("{base}/editor/articles/{id}/delete")).form(&[("csrf", csrf.as_str())]).send().await.unwrap();
        assert_eq!(app.count("articles").await, 0);
    }

    async fn an_article_that_went_out_in_a_digest_stays(backend) {
        let app = TestApp::spawn_driven(backend).await;
        let token = app.api_token().await;
        app.insert_confirmed_readers(1).await;
        let article = app.add_article(&token, &serde_json::json!({"title": "Kept", "url": "https://news.example/kept"})).await;
        let id = article["id"].as_i64().unwrap();
        let digest = app.send_digest(&token).await;
        app.drain().await;
        let (client, csrf) = app.editor_client().await;
        let base = &app.address;

        let list = client.get(format!("{base}/editor/articles")).send().await.unwrap().text().await.unwrap();
        assert!(list.contains(&format!("in digest #{digest}")) && !list.contains(&format!("/editor/articles/{id}/delete")), "{list}");
        let ask = client.get(format!("{base}/editor/articles/{id}/delete")).send().await.unwrap().text().await.unwrap();
        assert!(ask.contains("This article stays") && !ask.contains("Yes, remove it"), "{ask}");
        let forced = client.post(format!("{base}/editor/articles/{id}/delete")).form(&[("csrf", csrf.as_str())]).send().await.unwrap();
        assert_eq!(forced.status(), StatusCode::CONFLICT);
        let api = app.api(reqwest::Method::DELETE, &format!("/api/v1/articles/{id}"), &token).send().await.unwrap();
        assert_eq!(api.status(), StatusCode::CONFLICT);
        assert!(api.text().await.unwrap().contains(&format!("digest #{digest}")));
        assert_eq!(app.count("articles").await, 1);
        assert!(app.get(&format!("/archive/{digest}")).await.text().await.unwrap().contains("Kept"));
    }

    async fn an_editor_previews_confirms_and_sends_a_digest_and_sees_it_listed(backend) {
        let app = TestApp::spawn(backend).await;
        let token = app.api_token().await;
        app.confirmed_reader("reader@example.com", None).await;
        app.add_article(&token, &serde_json::json!({"title": "Big story", "url": "https://news.example/big"})).await;
        let (client, csrf) = app.editor_client().await;
        let base = &app.address;
        app.smtp.stop().await; // so that the digest is still in progress when the page is read

        let page = client.get(format!("{base}/editor/digest")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("The Tidings Newsletter: Big story"));
        assert!(page.contains("1 confirmed reader"));
        assert!(page.contains("srcdoc=") && page.contains("Big story"));
        let ids = {
            let marker = r#"name="article_ids" value=""#;
            let start = page.find(marker).unwrap() + marker.len();
            page[start..].chars().take_while(|c| *c != '"').collect::<String>()
        };

        let confirm = client.post(format!("{base}/editor/digest/confirm")).form(&[("csrf", csrf.as_str()), ("article_ids", &ids)]).send().await.unwrap();
        assert_eq!(confirm.status(), StatusCode::OK);
        let confirm_page = confirm.text().await.unwrap();
        assert!(confirm_page.contains("Yes, send it now") && confirm_page.contains("<strong>1</strong> confirmed reader"));
        assert_eq!(app.count("digests").await, 0, "the confirmation step sends nothing");

        let sent = client.post(format!("{base}/editor/digest/send")).form(&[("csrf", csrf_in(&confirm_page).as_str()), ("article_ids", &ids)]).send().await.unwrap();
        let twice = client.post(format!("{base}/editor/digest/send")).form(&[("csrf", csrf.as_str()), ("article_ids", &ids)]).send().await.unwrap();

        assert_eq!(sent.status(), StatusCode::SEE_OTHER);
        assert_eq!(twice.status(), StatusCode::CONFLICT, "a second press sends nothing");
        assert_eq!(app.count("digests").await, 1);
        let page = client.get(format!("{base}/editor/digest")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("Nothing new to send"));
        assert!(page.contains("#1 The Tidings Newsletter: Big story"));
        assert!(page.contains("0 sent, 0 failed, 1 still to send, of 1") && page.contains(r#"http-equiv="refresh""#));
        let going = page.find("Going out now").expect("an in-progress section");
        assert!(going < page.find("#1 The Tidings Newsletter").unwrap() && page.find("Past digests").unwrap() > page.find("#1 The Tidings").unwrap(), "in progress is listed apart from the past: {page}");
    }

    async fn cancelling_asks_first_and_a_cancelled_digest_shows_what_went_out(backend) {
        let app = TestApp::spawn_driven(backend).await;
        let token = app.api_token().await;
        app.insert_confirmed_readers(3).await;
        app.add_article(&token, &serde_json::json!({"title": "Story", "url": "https://news.example/s"})).await;
        let id = app.send_digest(&token).await;
        let (client, csrf) = app.editor_client().await;
        let base = &app.address;

        // Another digest is being sent: the send confirmation says so.
        app.add_article(&token, &serde_json::json!({"title": "Next", "url": "https://news.example/n"})).await;
        let page = client.get(format!("{base}/editor/digest")).send().await.unwrap().text().await.unwrap();
        let marker = r#"name="article_ids" value=""#;
        let start = page.find(marker).unwrap() + marker.len();
        let ids: String = page[start..].chars().take_while(|c| *c != '"').collect();
        let confirm = client.post(format!("{base}/editor/digest/confirm")).form(&[("csrf", csrf.as_str()), ("article_ids", &ids)]).send().await.unwrap().text().await.unwrap();
        assert!(confirm.contains(&format!("Digest #{id}")) && confirm.contains("still going out"), "{confirm}");

        let ask = client.get(format!("{base}/editor/digests/{id}/cancel")).send().await.unwrap();
        assert_eq!(ask.status(), StatusCode::OK);
        let ask = ask.text().await.unwrap();
        assert!(ask.contains("Yes, cancel the rest") && ask.contains("Cancelling stops the 3 still to send"), "{ask}");
        assert_eq!(app.digest_status(&token, id).await["status"], "queued", "asking changes nothing");

        let cancelled = client.post(format!("{base}/editor/digests/{id}/cancel")).form(&[("csrf", csrf_in(&ask).as_str())]).send().await.unwrap();
        assert_eq!(cancelled.status(), StatusCode::SEE_OTHER);
        let page = client.get(format!("{base}/editor/digest")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("0 sent, 0 failed, 3 not sent (cancelled), of 3"), "{page}");
        assert!(page.contains(r#"<progress max="100" value="0""#), "a cancelled digest is not shown as done: {page}");
        assert!(!page.contains("Going out now"), "{page}");
    }
}
