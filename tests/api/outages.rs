//! The database going away: every route answers 503 with `Retry-After` (never 500) while
//! PostgreSQL refuses connections or cannot be reached at all, `/healthz` says so, and every
//! signup answered 202 is there once the database is back.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::RETRY_AFTER;
use serde_json::json;
use sqlx::Connection;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

use crate::helpers::{Backend, TestApp};

/// A TCP relay to PostgreSQL that can be cut (nothing listens on its port any more and every
/// open connection drops, as when the server's host goes away) and restored on the same port.
struct Relay {
    port: u16,
    target: SocketAddr,
    tasks: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl Relay {
    async fn start(target: SocketAddr) -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let relay = Relay {
            port,
            target,
            tasks: Arc::default(),
        };
        relay.serve(listener);
        relay
    }

    fn serve(&self, listener: TcpListener) {
        let (target, tasks) = (self.target, self.tasks.clone());
        let accept = tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                let pipe = tokio::spawn(async move {
                    if let Ok(mut outbound) = TcpStream::connect(target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
                tasks.lock().unwrap().push(pipe);
            }
        });
        self.tasks.lock().unwrap().push(accept);
    }

    fn cut(&self) {
        for task in self.tasks.lock().unwrap().drain(..) {
            task.abort();
        }
    }

    async fn restore(&self) {
        // An aborted accept task lets go of the port when it is next polled, not at once.
        let mut tries = 0;
        let listener = loop {
            match TcpListener::bind(("127.0.0.1", self.port)).await {
                Ok(listener) => break listener,
                Err(err) if err.kind() == std::io::ErrorKind::AddrInUse && tries < 50 => {
                    tries += 1;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(err) => panic!("the relay's port {} stays taken: {err}", self.port),
            }
        };
        self.serve(listener);
    }
}

/// The PostgreSQL test server's address, from `TIDINGS_TEST_POSTGRES_URL`.
fn server_address(admin_url: &str) -> SocketAddr {
    let url = url::Url::parse(admin_url).unwrap();
    let host = url.host_str().unwrap();
    let host = if host == "localhost" {
        "127.0.0.1"
    } else {
        host
    };
    format!("{host}:{}", url.port().unwrap_or(5432))
        .parse()
        .unwrap()
}

/// One request of each kind a reader, an editor and a script make, with what it must answer.
async fn assert_every_route_answers_503(app: &TestApp, token: &str, reader_link: &str) {
    let requests = vec![
        (
            "signup (API)",
            app.client
                .post(format!("{}/api/v1/subscriptions", app.address))
                .json(&json!({"email": "late@example.com", "consent": true})),
        ),
        (
            "signup (form)",
            app.client
                .post(format!("{}/subscribe", app.address))
                .form(&[("email", "late@example.com"), ("consent", "on")]),
        ),
        (
            "reader page",
            app.client.get(format!("{}{reader_link}", app.address)),
        ),
        (
            "one-click",
            app.client
                .post(format!("{}{reader_link}", app.address))
                .header("content-type", "application/x-www-form-urlencoded")
                .body("List-Unsubscribe=One-Click"),
        ),
        (
            "articles (API)",
            app.api(reqwest::Method::GET, "/api/v1/articles", token),
        ),
        (
            "editors' page",
            app.client
                .get(format!("{}/editor/articles", app.address))
                .header("cookie", "tidings_session=whatever"),
        ),
    ];
    let answers = futures_util::future::join_all(
        requests
            .into_iter()
            .map(|(what, request)| async move { (what, request.send().await.unwrap()) }),
    )
    .await;
    for (what, response) in answers {
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE, "{what}");
        assert!(
            response.headers().contains_key(RETRY_AFTER),
            "{what}: no Retry-After"
        );
    }
    assert_eq!(
        app.get("/healthz").await.status(),
        StatusCode::SERVICE_UNAVAILABLE
    );
}

/// A reader's page link (from their confirmation email) and a few signups answered 202.
async fn readers_before_the_outage(app: &TestApp) -> String {
    assert_eq!(
        app.sign_up("ada@example.com").await.status(),
        StatusCode::ACCEPTED
    );
    let mail = app.smtp.only_message().await;
    let link = crate::helpers::link_in(&mail.text(), &format!("{}/unsubscribe/", app.address));
    link.strip_prefix(&app.address).unwrap().to_string()
}

async fn readers(app: &TestApp) -> i64 {
    sqlx::query_scalar("select count(*) from subscribers")
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_database_that_cannot_be_reached_is_a_503_on_every_route_and_loses_nothing() {
    let Some(Backend::Postgres(admin_url)) = Backend::postgres() else {
        return;
    };
    let relay = Relay::start(server_address(&admin_url)).await;
    let port = relay.port;
    let app = TestApp::spawn_with(Backend::Postgres(admin_url.clone()), move |s| {
        use secrecy::ExposeSecret;
        let mut url = url::Url::parse(s.database.url.expose_secret()).unwrap();
        url.set_host(Some("127.0.0.1")).unwrap();
        url.set_port(Some(port)).unwrap();
        s.database.url = url.to_string().into();
    })
    .await;
    let token = app.api_token().await;
    let link = readers_before_the_outage(&app).await;

    relay.cut();
    assert_every_route_answers_503(&app, &token, &link).await;
    relay.restore().await;

    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    while app.get("/healthz").await.status() != StatusCode::OK {
        assert!(tokio::time::Instant::now() < deadline, "never recovered");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        app.sign_up("grace@example.com").await.status(),
        StatusCode::ACCEPTED
    );
    assert_eq!(
        readers(&app).await,
        2,
        "Ada (before) and Grace (after); the refused signups wrote nothing"
    );
}

#[tokio::test]
async fn a_database_refusing_connections_and_ending_sessions_is_a_503_not_a_500() {
    let Some(Backend::Postgres(admin_url)) = Backend::postgres() else {
        return;
    };
    let app = TestApp::spawn(Backend::Postgres(admin_url.clone())).await;
    let token = app.api_token().await;
    let link = readers_before_the_outage(&app).await;
    let name: String = sqlx::query_scalar("select current_database()::text")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let mut admin = sqlx::PgConnection::connect(&admin_url).await.unwrap();

    // 55000 for new connections, 57P01 for the ones in the pool.
    sqlx::query(&format!(
        r#"alter database "{name}" allow_connections false"#
    ))
    .execute(&mut admin)
    .await
    .unwrap();
    sqlx::query("select pg_terminate_backend(pid) from pg_stat_activity where datname = $1")
        .bind(&name)
        .execute(&mut admin)
        .await
        .unwrap();
    assert_every_route_answers_503(&app, &token, &link).await;
    sqlx::query(&format!(
        r#"alter database "{name}" allow_connections true"#
    ))
    .execute(&mut admin)
    .await
    .unwrap();

    assert_eq!(
        app.sign_up("grace@example.com").await.status(),
        StatusCode::ACCEPTED
    );
    assert_eq!(readers(&app).await, 2);
}
