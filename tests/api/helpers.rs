//! `TestApp`: the real application on a random port with its own fresh database (a temp
//! SQLite file, or a new database on the PostgreSQL of `TIDINGS_TEST_POSTGRES_URL`) and its
//! own SMTP sink, driven over HTTP.

use std::path::Path;
use std::time::Duration;

use reqwest::redirect::Policy;
use serde_json::Value;
use sqlx::Connection;
use tidings::app::App;
use tidings::config::{Settings, Transport};
use tidings::db::Db;
use tokio::net::TcpListener;

use crate::smtp_sink::{ReceivedMail, SmtpSink};

#[derive(Debug, Clone)]
pub enum Backend {
    Sqlite,
    Postgres(String),
}

impl Backend {
    /// The PostgreSQL backend, when `TIDINGS_TEST_POSTGRES_URL` names a server.
    pub fn postgres() -> Option<Backend> {
        match std::env::var("TIDINGS_TEST_POSTGRES_URL") {
            Ok(url) if !url.is_empty() => Some(Backend::Postgres(url)),
            _ => {
                eprintln!("TIDINGS_TEST_POSTGRES_URL is not set: PostgreSQL variant not run");
                None
            }
        }
    }
}

/// Runs each test body once per backend: `sqlite::name` always, `postgres::name` when
/// `TIDINGS_TEST_POSTGRES_URL` is set.
#[macro_export]
macro_rules! backend_tests {
    ($( $(#[$attr:meta])* async fn $name:ident($backend:ident) $body:block )*) => {
        mod sqlite {
            #[allow(unused_imports)]
            use super::*;
            $( $(#[$attr])* #[tokio::test] async fn $name() {
                let $backend = $crate::helpers::Backend::Sqlite;
                $body
            } )*
        }
        mod postgres {
            #[allow(unused_imports)]
            use super::*;
            $( $(#[$attr])* #[tokio::test] async fn $name() {
                let Some($backend) = $crate::helpers::Backend::postgres() else { return };
                $body
            } )*
        }
    };
}

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub smtp: SmtpSink,
    pub db: Db,
    pub settings: Settings,
    /// What the app's handlers and workers share, for driving the send engine directly.
    pub state: tidings::state::AppState,
    _dir: tempfile::TempDir,
    _pg: Option<PgTestDatabase>,
}

/// Test settings: the shipped defaults with fast retries and no per-IP limit.
fn test_settings() -> Settings {
    let mut settings =
        Settings::load_from(Path::new("config"), false).expect("config/default.toml is valid");
    settings.mail.transport = Transport::Smtp;
    settings.mail.retry_base = Duration::from_millis(50);
    settings.mail.retry_max = Duration::from_millis(400);
    settings.mail.poll_interval = Duration::from_millis(50);
    settings.mail.rate_per_second = 1000;
    settings.signup.ip_limit_per_hour = 0;
    // Tests that want the schedule turn it on; a clock-driven digest would disturb the rest.
    settings.digest.schedule = String::new();
    settings
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> TestApp {
        Self::spawn_with(backend, |_| {}).await
    }

    pub async fn spawn_with(backend: Backend, configure: impl FnOnce(&mut Settings)) -> TestApp {
        let smtp = SmtpSink::start().await;
        let dir = tempfile::tempdir().unwrap();
        let mut settings = test_settings();
        let (url, pg) = fresh_database(&backend, dir.path()).await;
        settings.database.url = url.into();
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        settings.server.bind = listener.local_addr().unwrap();
        settings.server.public_url = format!("http://127.0.0.1:{port}").parse().unwrap();
        settings.mail.smtp_url = smtp.url().into();
        settings.mail.outbox_dir = dir.path().join("outbox");
        configure(&mut settings);
        settings.validate().expect("test settings are valid");

        let app = App::build_on(settings.clone(), listener)
            .await
            .expect("the app builds");
        let db = app.state().db.clone();
        let state = app.state().clone();
        tokio::spawn(app.run_until(std::future::pending()));
        let client = reqwest::Client::builder()
            .redirect(Policy::none())
            .user_agent("tidings-tests/1.0")
            .build()
            .unwrap();
        TestApp {
            address: format!("http://127.0.0.1:{port}"),
            client,
            smtp,
            db,
            settings,
            state,
            _dir: dir,
            _pg: pg,
        }
    }

    /// The app without its background sender (`mail.concurrency = 0`): the test sends what
    /// is due with `drain`, as zero2prod's tests dispatch their pending emails.
    pub async fn spawn_driven(backend: Backend) -> TestApp {
        Self::spawn_with(backend, |s| s.mail.concurrency = 0).await
    }

    /// Sends everything due now through the send engine and returns when nothing is left.
    pub async fn drain(&self) {
        tidings::workers::Engine::start(self.state.clone())
            .drain()
            .await
            .expect("the send engine drained the queues");
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .unwrap()
    }

    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.client
            .post(format!("{}{path}", self.address))
            .form(form)
            .send()
            .await
            .unwrap()
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> reqwest::Response {
        self.client
            .post(format!("{}{path}", self.address))
            .json(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn post_raw(
        &self,
        path: &str,
        content_type: &str,
        body: impl Into<reqwest::Body>,
    ) -> reqwest::Response {
        self.client
            .post(format!("{}{path}", self.address))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap()
    }

    /// A JSON signup with consent.
    pub async fn sign_up(&self, email: &str) -> reqwest::Response {
        self.post_json(
            "/api/v1/subscriptions",
            &serde_json::json!({"email": email, "consent": true}),
        )
        .await
    }

    /// The path of the confirmation link in a message, checked to be the same in both parts.
    pub fn confirmation_path(&self, mail: &ReceivedMail) -> String {
        let text_link = link_in(&mail.text(), &format!("{}/confirm/", self.address));
        let html_link = link_in(&mail.html(), &format!("{}/confirm/", self.address));
        assert_eq!(text_link, html_link, "both parts carry the same link");
        text_link.strip_prefix(&self.address).unwrap().to_string()
    }

    pub async fn scalar_i64(&self, sql: &str, id: i64) -> i64 {
        sqlx::query_scalar(sql)
            .bind(id)
            .fetch_one(&self.db.pool)
            .await
            .unwrap()
    }

    pub async fn scalar_text(&self, sql: &str, id: i64) -> Option<String> {
        sqlx::query_scalar(sql)
            .bind(id)
            .fetch_one(&self.db.pool)
            .await
            .unwrap()
    }

    pub async fn count(&self, table: &str) -> i64 {
        sqlx::query_scalar(&format!("select count(*) from {table}"))
            .fetch_one(&self.db.pool)
            .await
            .unwrap()
    }

    pub async fn subscriber_status(&self, email_key: &str) -> Option<String> {
        sqlx::query_scalar("select status from subscribers where email_key = $1")
            .bind(email_key)
            .fetch_optional(&self.db.pool)
            .await
            .unwrap()
    }

    /// Waits for the outbox to settle the given row count into a final state.
    pub async fn wait_for_outbox(&self, status: &str, count: i64) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            let n: i64 = sqlx::query_scalar("select count(*) from outbox where status = $1")
                .bind(status)
                .fetch_one(&self.db.pool)
                .await
                .unwrap();
            if n >= count {
                return;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "outbox never reached {count} x {status}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

impl TestApp {
    /// A fresh API token (made as `tidings token create` makes it).
    pub async fn api_token(&self) -> String {
        let name = format!("t{}", uuid::Uuid::new_v4().simple());
        tidings::editors::create_token(&self.db, &name)
            .await
            .unwrap()
    }

    pub fn api(&self, method: reqwest::Method, path: &str, token: &str) -> reqwest::RequestBuilder {
        self.client
            .request(method, format!("{}{path}", self.address))
            .bearer_auth(token)
    }

    /// Adds an article through the API and returns its JSON.
    pub async fn add_article(&self, token: &str, article: &Value) -> Value {
        let response = self
            .api(reqwest::Method::POST, "/api/v1/articles", token)
            .json(article)
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success(), "{}", response.status());
        response.json().await.unwrap()
    }

    /// A confirmed reader, through the real signup and confirmation.
    pub async fn confirmed_reader(&self, email: &str, name: Option<&str>) {
        let before = self.smtp.messages().len();
        let response = self
            .post_json(
                "/api/v1/subscriptions",
                &serde_json::json!({"email": email, "name": name, "consent": true}),
            )
            .await;
        assert_eq!(response.status(), reqwest::StatusCode::ACCEPTED);
        let mail = self
            .smtp
            .wait_for(before + 1, Duration::from_secs(10))
            .await
            .pop()
            .unwrap();
        let confirmed = self.post_form(&self.confirmation_path(&mail), &[]).await;
        assert_eq!(confirmed.status(), reqwest::StatusCode::SEE_OTHER);
    }

    /// `confirmed_reader` on an app that sends only when drained.
    pub async fn confirmed_reader_driven(&self, email: &str, name: &str) {
        let response = self
            .post_json(
                "/api/v1/subscriptions",
                &serde_json::json!({"email": email, "name": name, "consent": true}),
            )
            .await;
        assert_eq!(response.status(), reqwest::StatusCode::ACCEPTED);
        self.drain().await;
        let mail = self.smtp.messages().pop().expect("a confirmation email");
        let confirmed = self.post_form(&self.confirmation_path(&mail), &[]).await;
        assert_eq!(confirmed.status(), reqwest::StatusCode::SEE_OTHER);
    }

    /// A browser-like client logged in as a new editor, and the CSRF token of its session.
    pub async fn editor_client(&self) -> (reqwest::Client, String) {
        let email = format!("editor-{}@example.com", uuid::Uuid::new_v4().simple());
        tidings::editors::create_editor(&self.db, &email, "a long enough password")
            .await
            .unwrap();
        let client = reqwest::Client::builder()
            .redirect(Policy::none())
            .cookie_store(true)
            .build()
            .unwrap();
        let response = client
            .post(format!("{}/editor/login", self.address))
            .form(&[
                ("email", email.as_str()),
                ("password", "a long enough password"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            reqwest::StatusCode::SEE_OTHER,
            "login works"
        );
        let page = client
            .get(format!("{}/editor/articles", self.address))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        (client, csrf_in(&page))
    }

    /// A page of the editors' site, as a newly logged-in editor sees it.
    pub async fn editor_page(&self, path: &str) -> String {
        let (client, _) = self.editor_client().await;
        let response = client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), reqwest::StatusCode::OK, "{path}");
        response.text().await.unwrap()
    }
}

impl TestApp {
    /// Runs the `tidings` binary against this app's database; its output once it exits.
    /// Async, so that the app keeps serving (and sending) while the command runs.
    pub async fn cli(&self, args: &[&str]) -> std::process::Output {
        self.cli_with_env(args, &[]).await
    }

    /// `cli` with settings of its own, as `TIDINGS_...` variables.
    pub async fn cli_with_env(&self, args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
        use secrecy::ExposeSecret;
        tokio::process::Command::new(env!("CARGO_BIN_EXE_tidings"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(args)
            .env(
                "TIDINGS_DATABASE__URL",
                self.settings.database.url.expose_secret(),
            )
            .env("TIDINGS_MAIL__OUTBOX_DIR", &self.settings.mail.outbox_dir)
            .envs(env.iter().copied())
            .stdin(std::process::Stdio::null())
            .output()
            .await
            .unwrap()
    }

    /// `GET /api/v1/subscribers/{id}/export`: everything held about the reader, as JSON.
    pub async fn export_of(&self, token: &str, id: i64) -> Value {
        self.api_json(&format!("/api/v1/subscribers/{id}/export"), token)
            .await
    }

    /// An authorised `GET` of the API, its body as JSON.
    pub async fn api_json(&self, path: &str, token: &str) -> Value {
        self.api(reqwest::Method::GET, path, token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// The id of the reader with this (lower-case) address, if they are on the list.
    pub async fn subscriber_id(&self, email_key: &str) -> Option<i64> {
        sqlx::query_scalar("select id from subscribers where email_key = $1")
            .bind(email_key)
            .fetch_optional(&self.db.pool)
            .await
            .unwrap()
    }

    /// Creates a digest of what is new and returns its id.
    pub async fn send_digest(&self, token: &str) -> i64 {
        let response = self
            .api(reqwest::Method::POST, "/api/v1/digests", token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), reqwest::StatusCode::ACCEPTED);
        response.json::<Value>().await.unwrap()["id"]
            .as_i64()
            .unwrap()
    }

    pub async fn digest_status(&self, token: &str, id: i64) -> Value {
        self.api_json(&format!("/api/v1/digests/{id}"), token).await
    }

    /// Waits until the digest reports `status`, and returns its counters.
    pub async fn wait_for_digest(&self, token: &str, id: i64, status: &str) -> Value {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        loop {
            let current = self.digest_status(token, id).await;
            if current["status"] == status {
                return current;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "digest {id} never reached {status}: {current}"
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// `count` confirmed readers `reader-<n>@example.com`, written straight to the database
    /// (the signup flow is tested elsewhere; this is setup for delivery tests).
    pub async fn insert_confirmed_readers(&self, count: i64) {
        sqlx::query(
            "with recursive n(i) as (select 1 where $1 >= 1 union all select i + 1 from n where i < $1)
             insert into subscribers (email, email_key, name, status, created_at, updated_at, confirmed_at)
             select 'reader-' || i || '@example.com', 'reader-' || i || '@example.com', 'Reader ' || i,
                    'confirmed', 1, 1, 1
             from n",
        )
        .bind(count)
        .execute(&self.db.pool)
        .await
        .unwrap();
        join_default(&self.db).await;
    }
}

/// Readers written straight to the database (no signup) join the default newsletter, with
/// their own status, as the migration that brought newsletters did for readers then.
pub async fn join_default(db: &tidings::db::Db) {
    sqlx::query(
        "insert into subscriptions (subscriber_id, newsletter_id, status, created_at, confirmed_at)
         select id, (select id from newsletters where is_default = 1),
                case status when 'unsubscribed' then 'left' else status end, created_at, confirmed_at
         from subscribers s
         where not exists (select 1 from subscriptions p where p.subscriber_id = s.id)",
    )
    .execute(&db.pool)
    .await
    .unwrap();
}

/// The CSRF token in a page's forms.
pub fn csrf_in(page: &str) -> String {
    let marker = r#"name="csrf" value=""#;
    let start = page.find(marker).expect("a form with a CSRF token") + marker.len();
    page[start..].chars().take_while(|c| *c != '"').collect()
}

/// The first `prefix…` URL in `body`, up to the first character that cannot be in it.
pub fn link_in(body: &str, prefix: &str) -> String {
    let start = body
        .find(prefix)
        .unwrap_or_else(|| panic!("no {prefix} link in:\n{body}"));
    body[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || ":/._-?=&%".contains(*c))
        .collect()
}

/// The URL of a new, empty database: a file in `dir`, or a database on the test PostgreSQL
/// server (dropped when the returned guard is).
pub async fn fresh_database(backend: &Backend, dir: &Path) -> (String, Option<PgTestDatabase>) {
    match backend {
        Backend::Sqlite => (
            format!("sqlite://{}", dir.join("tidings.db").display()),
            None,
        ),
        Backend::Postgres(admin_url) => {
            let pg = PgTestDatabase::create(admin_url).await;
            (pg.url.clone(), Some(pg))
        }
    }
}

/// A database of its own on the test PostgreSQL server, dropped when the test ends.
pub struct PgTestDatabase {
    admin_url: String,
    name: String,
    url: String,
}

impl PgTestDatabase {
    async fn create(admin_url: &str) -> PgTestDatabase {
        let name = format!("tidings_test_{}", uuid::Uuid::new_v4().simple());
        let mut conn = sqlx::PgConnection::connect(admin_url)
            .await
            .expect("connect to TIDINGS_TEST_POSTGRES_URL");
        sqlx::query(&format!(r#"create database "{name}""#))
            .execute(&mut conn)
            .await
            .unwrap();
        conn.close().await.ok();
        let mut url = url::Url::parse(admin_url).unwrap();
        url.set_path(&name);
        PgTestDatabase {
            admin_url: admin_url.to_string(),
            name,
            url: url.to_string(),
        }
    }
}

impl Drop for PgTestDatabase {
    fn drop(&mut self) {
        let (admin_url, name) = (self.admin_url.clone(), self.name.clone());
        // Drop runs inside the test's runtime, which cannot be blocked on: use a thread.
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async {
                if let Ok(mut conn) = sqlx::PgConnection::connect(&admin_url).await {
                    let sql = format!(r#"drop database if exists "{name}" with (force)"#);
                    let _ = sqlx::query(&sql).execute(&mut conn).await;
                }
            });
        })
        .join();
    }
}
