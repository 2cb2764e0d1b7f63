//! Error pages speak to people: the newsletter's name in the masthead, a heading and a sentence
//! rather than a status phrase, and a way back that fits who is reading.

use reqwest::StatusCode;

use crate::backend_tests;
use crate::helpers::TestApp;

backend_tests! {
    async fn a_readers_404_carries_the_newsletter_and_leads_back_to_the_signup_page(backend) {
        let app = TestApp::spawn(backend).await;

        let response = app.get("/no-such-page").await;

        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        let page = response.text().await.unwrap();
        let name = &app.settings.newsletter.name;
        assert!(page.contains(&format!(r#"<a class="brand" href="/">{name}</a>"#)), "{page}");
        assert!(page.contains("We could not find that page"), "{page}");
        assert!(!page.contains("Not Found") && !page.contains(">not found"), "{page}");
        assert!(page.contains(r#"<a href="/">Back to the signup page</a>"#), "{page}");
    }

    async fn an_editors_404_leads_back_to_the_editors_pages(backend) {
        let app = TestApp::spawn(backend).await;
        let (editor, _) = app.editor_client().await;

        let response = editor
            .get(format!("{}/editor/articles/999999", app.address))
            .send()
            .await
            .unwrap();

        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        let page = response.text().await.unwrap();
        assert!(page.contains(r#"<a href="/editor/articles">Back to the editors’ pages</a>"#), "{page}");
        assert!(!page.contains("Back to the signup page"));
    }

    async fn a_rate_limited_signup_page_speaks_in_sentences(backend) {
        let app = TestApp::spawn_with(backend, |s| s.signup.ip_limit_per_hour = 1).await;
        app.post_form("/subscribe", &[("email", "ada@example.com"), ("consent", "on")]).await;

        let response = app.post_form("/subscribe", &[("email", "bob@example.com"), ("consent", "on")]).await;

        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        let page = response.text().await.unwrap();
        assert!(page.contains(&app.settings.newsletter.name), "{page}");
        assert!(page.contains("Too many tries") && page.contains("<p>Too many signups"), "{page}");
    }
}
