//! The editors' pages over readers: search, one reader's evidence, their data, erasure.

use reqwest::StatusCode;

use crate::backend_tests;
use crate::helpers::TestApp;

async fn page(client: &reqwest::Client, url: String) -> (StatusCode, String) {
    let response = client.get(url).send().await.unwrap();
    (response.status(), response.text().await.unwrap())
}

backend_tests! {
    async fn editors_list_and_search_readers_page_by_page(backend) {
        let app = TestApp::spawn(backend).await;
        app.insert_confirmed_readers(60).await;
        app.post_form("/subscribe", &[("email", "ada@example.com"), ("consent", "yes")]).await;
        let (editor, _) = app.editor_client().await;
        let base = format!("{}/editor/readers", app.address);

        let (status, first) = page(&editor, base.clone()).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(first.matches(r#"<a href="/editor/readers/"#).count(), 50, "50 a page");
        let next = first.split(r#"<a href="/editor/readers?"#).nth(1).expect("a next page").split('"').next().unwrap().replace("&amp;", "&").replace("&#38;", "&");
        let (_, second) = page(&editor, format!("{base}?{next}")).await;
        assert_eq!(second.matches(r#"<a href="/editor/readers/"#).count(), 11);
        assert!(second.contains("ada@example.com") && !second.contains("Next page"));

        let (_, pending) = page(&editor, format!("{base}?status=pending")).await;
        assert_eq!(pending.matches(r#"<a href="/editor/readers/"#).count(), 1);
        assert!(pending.contains("ada@example.com"));
        let (_, found) = page(&editor, format!("{base}?q=READER-5")).await;
        // reader-5 and reader-50 to reader-59
        assert_eq!(found.matches(r#"<a href="/editor/readers/"#).count(), 11, "prefix, any case");

        let (status, bad) = page(&editor, format!("{base}?status=gone")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.contains(r#"id="status-error""#) && bad.contains("one of pending, confirmed"));
        assert_eq!(app.get("/editor/readers").await.status(), StatusCode::SEE_OTHER, "editors only");
    }

    async fn a_reader_page_shows_the_evidence_and_erasure_needs_the_box_ticked(backend) {
        let app = TestApp::spawn(backend).await;
        app.post_form("/subscribe", &[("email", "ada@example.com"), ("name", "Ada"), ("consent", "yes"), ("source", "footer")]).await;
        let id = app.subscriber_id("ada@example.com").await.unwrap();
        let (editor, csrf) = app.editor_client().await;
        let url = format!("{}/editor/readers/{id}", app.address);

        let (status, html) = page(&editor, url.clone()).await;
        assert_eq!(status, StatusCode::OK);
        for evidence in ["ada@example.com", "Ada", "pending", "granted", "privacy 2026-01-01, terms 2026-01-01", "form (footer)", "127.0.0.1", "tidings-tests/1.0"] {
            assert!(html.contains(evidence), "the page shows {evidence}");
        }

        let download = editor.get(format!("{url}/export")).send().await.unwrap();
        assert_eq!(download.headers()["content-disposition"], format!("attachment; filename=\"reader-{id}.json\""));
        let data: serde_json::Value = download.json().await.unwrap();
        assert_eq!(data["subscriber"]["email"], "ada@example.com");
        assert_eq!(data["consent"][0]["form"], "footer");

        let unticked = editor.post(format!("{url}/erase")).form(&[("csrf", csrf.as_str())]).send().await.unwrap();
        assert_eq!(unticked.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(unticked.text().await.unwrap().contains(r#"id="confirm-error""#));
        let forged = editor.post(format!("{url}/erase")).form(&[("csrf", "forged"), ("confirm", "yes")]).send().await.unwrap();
        assert_eq!(forged.status(), StatusCode::FORBIDDEN);
        assert_eq!(app.count("subscribers").await, 1, "nothing erased yet");

        let erased = editor.post(format!("{url}/erase")).form(&[("csrf", csrf.as_str()), ("confirm", "yes")]).send().await.unwrap();
        assert_eq!(erased.status(), StatusCode::SEE_OTHER);
        assert_eq!(erased.headers()["location"], "/editor/readers?erased=1");
        assert_eq!(app.count("subscribers").await, 0);
        assert_eq!(app.count("consent_events").await, 0);
        assert_eq!(app.count("suppressions").await, 1);
        let (_, list) = page(&editor, format!("{}/editor/readers?erased=1", app.address)).await;
        assert!(list.contains("The reader was erased"));
        assert_eq!(page(&editor, url).await.0, StatusCode::NOT_FOUND);
    }
}
