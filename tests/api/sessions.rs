//! Editor sessions end when they should: on logout (the old cookie is dead on the server, not
//! just dropped by the browser) and when the password changes.

use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use tokio::io::AsyncWriteExt;

use crate::backend_tests;
use crate::helpers::{TestApp, csrf_in};

const EMAIL: &str = "editor@example.com";

/// Logs in and returns the raw `tidings_session=...` cookie.
async fn log_in(app: &TestApp, password: &str) -> Option<String> {
    let response = app
        .post_form("/editor/login", &[("email", EMAIL), ("password", password)])
        .await;
    let cookie = response.headers().get(SET_COOKIE)?.to_str().unwrap();
    Some(cookie.split(';').next().unwrap().to_string())
}

async fn articles_page(app: &TestApp, cookie: &str) -> reqwest::Response {
    app.client
        .get(format!("{}/editor/articles", app.address))
        .header(COOKIE, cookie)
        .send()
        .await
        .unwrap()
}

fn sent_to_login(response: &reqwest::Response) -> bool {
    response.status() == StatusCode::SEE_OTHER
        && response.headers().get(LOCATION).unwrap() == "/editor/login"
}

/// `tidings editor <command> --email EMAIL` with the password on stdin.
async fn editor_command(app: &TestApp, command: &str, password: &str) -> std::process::Output {
    use secrecy::ExposeSecret;
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_tidings"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["editor", command, "--email", EMAIL])
        .env(
            "TIDINGS_DATABASE__URL",
            app.settings.database.url.expose_secret(),
        )
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all(format!("{password}\n").as_bytes())
        .await
        .unwrap();
    drop(stdin);
    child.wait_with_output().await.unwrap()
}

backend_tests! {
    async fn a_password_change_ends_every_session_of_that_editor(backend) {
        let app = TestApp::spawn(backend).await;
        assert!(editor_command(&app, "create", "the first long password").await.status.success());
        let laptop = log_in(&app, "the first long password").await.unwrap();
        let phone = log_in(&app, "the first long password").await.unwrap();
        assert_eq!(articles_page(&app, &laptop).await.status(), StatusCode::OK);

        let changed = editor_command(&app, "password", "the second long password").await;

        assert!(changed.status.success(), "{}", String::from_utf8_lossy(&changed.stderr));
        assert!(sent_to_login(&articles_page(&app, &laptop).await));
        assert!(sent_to_login(&articles_page(&app, &phone).await));
        assert!(log_in(&app, "the first long password").await.is_none(), "the old password is refused");
        let fresh = log_in(&app, "the second long password").await.unwrap();
        assert_eq!(articles_page(&app, &fresh).await.status(), StatusCode::OK);
    }

    async fn creating_an_editor_that_exists_is_refused_and_changes_nothing(backend) {
        let app = TestApp::spawn(backend).await;
        assert!(editor_command(&app, "create", "the first long password").await.status.success());
        let session = log_in(&app, "the first long password").await.unwrap();

        let again = editor_command(&app, "create", "somebody else's password").await;

        assert!(!again.status.success());
        let said = String::from_utf8_lossy(&again.stderr);
        assert!(said.contains("already exists") && said.contains("editor password --email"), "{said}");
        assert!(log_in(&app, "somebody else's password").await.is_none());
        assert_eq!(articles_page(&app, &session).await.status(), StatusCode::OK, "sessions untouched");
    }

    async fn changing_the_password_of_nobody_says_so(backend) {
        let app = TestApp::spawn(backend).await;

        let changed = editor_command(&app, "password", "a long enough password").await;

        assert!(!changed.status.success());
        assert!(String::from_utf8_lossy(&changed.stderr).contains("no editor has the address"));
    }

    async fn logging_out_ends_the_session_on_the_server(backend) {
        let app = TestApp::spawn(backend).await;
        assert!(editor_command(&app, "create", "the first long password").await.status.success());
        let cookie = log_in(&app, "the first long password").await.unwrap();
        let page = articles_page(&app, &cookie).await.text().await.unwrap();

        let out = app
            .client
            .post(format!("{}/editor/logout", app.address))
            .header(COOKIE, &cookie)
            .form(&[("csrf", csrf_in(&page))])
            .send()
            .await
            .unwrap();

        assert!(sent_to_login(&out));
        assert!(sent_to_login(&articles_page(&app, &cookie).await), "the old cookie no longer works");
    }
}
