//! Reading through the API with a token does not write: on SQLite a GET answers while another
//! process holds the writer lock, and the token's last use is still recorded (at most once a
//! minute, off the request's path).

use std::str::FromStr;
use std::time::Duration;

use reqwest::StatusCode;
use secrecy::ExposeSecret;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{Connection, Executor};

use crate::helpers::{Backend, TestApp};

async fn last_used(app: &TestApp) -> Option<i64> {
    sqlx::query_scalar("select last_used_at from api_tokens")
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_read_with_a_token_answers_while_another_process_holds_the_writer_lock() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let token = app.api_token().await;
    let options =
        SqliteConnectOptions::from_str(app.settings.database.url.expose_secret()).unwrap();
    let mut other_process = SqliteConnection::connect_with(&options).await.unwrap();
    other_process.execute("begin immediate").await.unwrap();

    let response = app
        .api(reqwest::Method::GET, "/api/v1/articles", &token)
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::OK);
    other_process.execute("rollback").await.unwrap();
    let again = app
        .api(reqwest::Method::GET, "/api/v1/articles", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::OK);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while last_used(&app).await.is_none() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the token's use was never recorded"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
