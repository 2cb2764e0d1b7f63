//! The real binary as separate processes: killed with SIGKILL mid-send and restarted,
//! stopped with SIGTERM mid-send, and two instances sharing one PostgreSQL database.

use std::collections::HashMap;
use std::path::Path;
use std::process::{ExitStatus, Stdio};
use std::time::Duration;

use tidings::app::build_state;
use tidings::config::Settings;
use tidings::db::Db;
use tokio::process::{Child, Command};

use crate::backend_tests;
use crate::helpers::{Backend, PgTestDatabase, fresh_database};
use crate::smtp_sink::SmtpSink;

struct Server {
    child: Child,
}

impl Server {
    /// The server with quick settings for tests: short lease, fast polling.
    fn start(db_url: &str, smtp: &SmtpSink, log: &Path) -> Server {
        Self::start_with(
            db_url,
            smtp,
            log,
            &[
                ("TIDINGS_MAIL__RATE_PER_SECOND", "1500"),
                ("TIDINGS_MAIL__CONCURRENCY", "4"),
                ("TIDINGS_MAIL__LEASE", "5s"),
                ("TIDINGS_MAIL__POLL_INTERVAL", "100ms"),
                ("TIDINGS_MAIL__RETRY_BASE", "50ms"),
            ],
        )
    }

    /// The server with the shipped defaults except for `env`.
    fn start_with(db_url: &str, smtp: &SmtpSink, log: &Path, env: &[(&str, &str)]) -> Server {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_tidings"))
            .arg("serve")
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("TIDINGS_SERVER__BIND", "127.0.0.1:0")
            .env("TIDINGS_DATABASE__URL", db_url)
            .env("TIDINGS_MAIL__TRANSPORT", "smtp")
            .env("TIDINGS_MAIL__SMTP_URL", smtp.url())
            .envs(env.iter().copied())
            .env("TIDINGS_LOG__JSON", "true")
            .env("TIDINGS_DIGEST__SCHEDULE", "")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        Server { child }
    }

    // Waiting is async: the SMTP sink runs on this test's runtime and must keep answering
    // the server while it finishes its sends.
    async fn kill_9(&mut self) {
        self.child.kill().await.unwrap(); // SIGKILL on Unix
    }

    async fn terminate(&mut self) -> ExitStatus {
        let pid = self.child.id().unwrap().to_string();
        assert!(
            std::process::Command::new("kill")
                .args(["-TERM", &pid])
                .status()
                .unwrap()
                .success()
        );
        tokio::time::timeout(Duration::from_secs(60), self.child.wait())
            .await
            .expect("stopped in time")
            .unwrap()
    }
}

/// A migrated database with `readers` confirmed readers and one digest queued for them.
async fn queued_digest(
    backend: &Backend,
    dir: &Path,
    readers: i64,
) -> (String, Db, Option<PgTestDatabase>) {
    let (url, pg) = fresh_database(backend, dir).await;
    let mut settings = Settings::load_from(Path::new("config"), false).unwrap();
    settings.database.url = url.clone().into();
    settings.mail.outbox_dir = dir.join("outbox");
    let db = Db::connect_and_migrate(&settings.database).await.unwrap();
    sqlx::query(
        "with recursive n(i) as (select 1 where $1 >= 1 union all select i + 1 from n where i < $1)
         insert into subscribers (email, email_key, status, created_at, updated_at)
         select 'r' || i || '@example.com', 'r' || i || '@example.com', 'confirmed', 1, 1 from n",
    )
    .bind(readers)
    .execute(&db.pool)
    .await
    .unwrap();
    crate::helpers::join_default(&db).await;
    let state = build_state(settings, db.clone()).await.unwrap();
    let article = tidings::articles::ArticleInput {
        title: "Crash test".into(),
        url: "https://news.example/crash".into(),
        ..Default::default()
    };
    tidings::articles::queries::upsert(&db, &article.parse(chrono_tz::UTC).unwrap(), 1)
        .await
        .unwrap();
    let audience = tidings::digests::default_audience(&state).await.unwrap();
    tidings::digests::create(&state, &audience, None, Default::default(), "test")
        .await
        .unwrap();
    (url, db, pg)
}

async fn unfinished(db: &Db) -> i64 {
    sqlx::query_scalar("select count(*) from deliveries where status in ('pending', 'sending')")
        .fetch_one(&db.pool)
        .await
        .unwrap()
}

async fn wait_until(what: &str, done: impl AsyncFnMut() -> bool) {
    wait_at_most(Duration::from_secs(60), what, done).await;
}

async fn wait_at_most(limit: Duration, what: &str, mut done: impl AsyncFnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + limit;
    while !done().await {
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn copies(sink: &SmtpSink) -> HashMap<String, usize> {
    let mut copies = HashMap::new();
    for message in sink.messages() {
        *copies.entry(message.to[0].clone()).or_insert(0) += 1;
    }
    copies
}

backend_tests! {
    async fn a_send_killed_with_sigkill_resumes_on_restart_and_skips_nobody(backend) {
        let dir = tempfile::tempdir().unwrap();
        let readers = 3000;
        let (url, db, _pg) = queued_digest(&backend, dir.path(), readers).await;
        let sink = SmtpSink::start().await;
        let log = dir.path().join("server.log");

        let mut server = Server::start(&url, &sink, &log);
        wait_until("a third of the digest", async || sink.messages().len() >= 1000).await;
        server.kill_9().await;
        let in_flight: i64 = sqlx::query_scalar("select count(*) from deliveries where status = 'sending'")
            .fetch_one(&db.pool).await.unwrap();
        let before_restart = sink.messages().len();
        assert!(before_restart < readers as usize, "killed mid-send");
        let mut restarted = Server::start(&url, &sink, &log);
        wait_until("the rest of the digest", async || unfinished(&db).await == 0).await;

        let copies = copies(&sink);
        assert_eq!(copies.len(), readers as usize, "nobody skipped");
        let duplicates: usize = copies.values().map(|n| n - 1).sum();
        assert!(duplicates <= 4, "{duplicates} duplicates; mail.concurrency is 4 ({in_flight} rows were claimed)");
        assert!(restarted.terminate().await.success());
    }

    async fn a_digest_interrupted_by_sigkill_finishes_within_a_minute_of_the_restart_with_default_settings(backend) {
        let dir = tempfile::tempdir().unwrap();
        let readers = 600;
        let (url, db, _pg) = queued_digest(&backend, dir.path(), readers).await;
        let sink = SmtpSink::start().await;
        let log = dir.path().join("server.log");
        // The shipped lease, poll interval and concurrency; only the rate limit is raised.
        let defaults = [("TIDINGS_MAIL__RATE_PER_SECOND", "1000")];

        let mut server = Server::start_with(&url, &sink, &log, &defaults);
        wait_until("a third of the digest", async || sink.messages().len() >= 200).await;
        server.kill_9().await;
        let mut restarted = Server::start_with(&url, &sink, &log, &defaults);
        wait_at_most(Duration::from_secs(60), "the rest of the digest after the restart", async || {
            unfinished(&db).await == 0
        })
        .await;

        let copies = copies(&sink);
        assert_eq!(copies.len(), readers as usize, "nobody skipped");
        let duplicates: usize = copies.values().map(|n| n - 1).sum();
        assert!(duplicates <= 4, "{duplicates} duplicates; mail.concurrency is 4 by default");
        assert!(restarted.terminate().await.success());
    }

    async fn a_slow_but_live_sender_keeps_its_rows_from_another_instance(backend) {
        let dir = tempfile::tempdir().unwrap();
        let readers = 4;
        let (url, db, _pg) = queued_digest(&backend, dir.path(), readers).await;
        let sink = SmtpSink::start().await;
        // Each message takes longer than a lease: only renewals keep the rows with their sender.
        sink.answer_data_after(Duration::from_secs(7));
        let log = dir.path().join("server.log");
        let quick = [
            ("TIDINGS_MAIL__LEASE", "5s"),
            ("TIDINGS_MAIL__CONCURRENCY", "1"),
            ("TIDINGS_MAIL__POLL_INTERVAL", "100ms"),
        ];

        let mut first = Server::start_with(&url, &sink, &log, &quick);
        wait_until("the first send to start", async || sink.rcpt_attempts() >= 1).await;
        let mut second = Server::start_with(&url, &sink, &log, &quick);
        wait_until("the digest to be delivered", async || unfinished(&db).await == 0).await;

        let copies = copies(&sink);
        assert_eq!(copies.len(), readers as usize);
        assert!(copies.values().all(|n| *n == 1), "no reader got two copies: {copies:?}");
        assert!(first.terminate().await.success() && second.terminate().await.success());
    }

    async fn sigterm_finishes_the_sends_in_flight_and_leaves_nothing_claimed(backend) {
        let dir = tempfile::tempdir().unwrap();
        let (url, db, _pg) = queued_digest(&backend, dir.path(), 2000).await;
        let sink = SmtpSink::start().await;

        let mut server = Server::start(&url, &sink, &dir.path().join("server.log"));
        wait_until("the send to start", async || sink.messages().len() >= 200).await;
        let status = server.terminate().await;

        assert!(status.success(), "{status:?}");
        let claimed: i64 = sqlx::query_scalar("select count(*) from deliveries where status = 'sending'")
            .fetch_one(&db.pool).await.unwrap();
        assert_eq!(claimed, 0, "every claimed row was finished and recorded");
        let sent: i64 = sqlx::query_scalar("select count(*) from deliveries where status = 'sent'")
            .fetch_one(&db.pool).await.unwrap();
        assert_eq!(sent as usize, sink.messages().len(), "the ledger matches what went out");
        assert!(unfinished(&db).await > 0, "stopped mid-send");
    }
}

#[tokio::test]
async fn two_instances_on_one_postgres_database_send_each_reader_one_copy() {
    let Some(backend) = Backend::postgres() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let readers = 3000;
    let (url, db, _pg) = queued_digest(&backend, dir.path(), readers).await;
    let sink = SmtpSink::start().await;
    let log = dir.path().join("server.log");

    let mut first = Server::start(&url, &sink, &log);
    let mut second = Server::start(&url, &sink, &log);
    wait_until("the digest to be delivered", async || {
        unfinished(&db).await == 0
    })
    .await;

    let copies = copies(&sink);
    assert_eq!(copies.len(), readers as usize);
    assert!(copies.values().all(|n| *n == 1), "no reader got two copies");
    assert!(first.terminate().await.success() && second.terminate().await.success());
}

#[tokio::test]
async fn digest_send_delivers_the_next_digest_and_reports_the_outcome() {
    let dir = tempfile::tempdir().unwrap();
    let (url, db, _pg) = queued_digest(&Backend::Sqlite, dir.path(), 0).await;
    sqlx::query("delete from digests")
        .execute(&db.pool)
        .await
        .unwrap(); // the article is new again
    sqlx::query(
        "insert into subscribers (email, email_key, status, created_at, updated_at)
         values ('ada@example.com', 'ada@example.com', 'confirmed', 1, 1),
                ('bob@example.com', 'bob@example.com', 'confirmed', 1, 1)",
    )
    .execute(&db.pool)
    .await
    .unwrap();
    crate::helpers::join_default(&db).await;
    let sink = SmtpSink::start().await;

    let output = Command::new(env!("CARGO_BIN_EXE_tidings"))
        .args(["digest", "send"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("TIDINGS_DATABASE__URL", &url)
        .env("TIDINGS_MAIL__TRANSPORT", "smtp")
        .env("TIDINGS_MAIL__SMTP_URL", sink.url())
        .env("TIDINGS_DIGEST__SCHEDULE", "")
        .output()
        .await
        .unwrap();

    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.contains("sent: 2 sent, 0 failed, 0 cancelled, 0 pending of 2"),
        "{stdout}"
    );
    let mut to: Vec<String> = sink
        .messages()
        .into_iter()
        .map(|m| m.to[0].clone())
        .collect();
    to.sort();
    assert_eq!(to, ["ada@example.com", "bob@example.com"]);
}
