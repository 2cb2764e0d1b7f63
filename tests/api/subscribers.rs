//! Editors' tools over readers: import, export, the subscribers API, erasure and retention.

use std::path::{Path, PathBuf};
use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::backend_tests;
use crate::helpers::TestApp;

fn stdout(output: &std::process::Output) -> String {
    assert!(
        output.status.success(),
        "the command failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// Writes `contents` to a CSV file in its own folder (the rejected file goes beside it).
fn csv_file(contents: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("readers.csv");
    std::fs::write(&path, contents).unwrap();
    (dir, path)
}

async fn import(app: &TestApp, path: &Path, confirmed: bool) -> std::process::Output {
    let mut args = vec!["subscribers", "import", path.to_str().unwrap()];
    if confirmed {
        args.push("--confirmed");
    }
    app.cli(&args).await
}

async fn consent_sources(app: &TestApp, email_key: &str) -> Vec<(String, String)> {
    sqlx::query_as(
        "select c.event, c.source from consent_events c join subscribers s on s.id = c.subscriber_id
         where s.email_key = $1 order by c.id",
    )
    .bind(email_key)
    .fetch_all(&app.db.pool)
    .await
    .unwrap()
}

backend_tests! {
    async fn import_reports_good_bad_and_duplicate_rows_and_writes_them_beside_the_file(backend) {
        let app = TestApp::spawn(backend).await;
        let (_dir, path) = csv_file(
            "email,name,subscribed_at,company\n\
             ada@example.com,Ada,2024-05-01,Analytical\n\
             grace@example.com,,,Navy\n\
             not-an-address,Nobody,,\n\
             ADA@Example.com,Ada again,,\n\
             \"bob@example.com\",Bob,yesterday,\n\
             carol@example.com,\"Carol\nSmith\",,\n",
        );

        let output = import(&app, &path, false).await;

        let report = stdout(&output);
        assert!(
            report.starts_with("6 rows: 2 imported, 0 updated, 0 unchanged, 4 skipped"),
            "{report}"
        );
        assert!(report.contains("row 4: email:"), "{report}");
        assert!(report.contains("row 5: duplicate of row 2"), "{report}");
        assert!(report.contains("row 6: subscribed_at:"), "{report}");
        assert!(report.contains("row 7: name:"), "{report}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("column \"company\" ignored"), "{stderr}");

        let rejected = std::fs::read_to_string(path.with_file_name("readers.rejected.csv")).unwrap();
        let mut reader = csv::Reader::from_reader(rejected.as_bytes());
        let headers: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        assert_eq!(headers, ["row", "reason", "email", "name", "subscribed_at", "company"]);
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        let emails: Vec<&str> = rows.iter().map(|r| &r[2]).collect();
        assert_eq!(
            emails,
            ["not-an-address", "ADA@Example.com", "bob@example.com", "carol@example.com"]
        );
        assert_eq!(&rows[3][3], "Carol\nSmith", "the row is kept as it was");

        // Not vouched for: pending, each asked to confirm by email, with an import record.
        assert_eq!(app.subscriber_status("ada@example.com").await.as_deref(), Some("pending"));
        assert_eq!(app.subscriber_status("grace@example.com").await.as_deref(), Some("pending"));
        assert_eq!(app.count("subscribers").await, 2);
        let ada_since: String = sqlx::query_scalar(
            "select cast(created_at as text) from subscribers where email_key = 'ada@example.com'",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(ada_since, "1714521600000", "subscribed_at is kept");
        let mails = app.smtp.wait_for(2, Duration::from_secs(10)).await;
        let mut to: Vec<String> = mails.iter().flat_map(|m| m.to.clone()).collect();
        to.sort();
        assert_eq!(to, ["ada@example.com", "grace@example.com"]);
        assert_eq!(
            consent_sources(&app, "ada@example.com").await,
            [("granted".to_string(), "import".to_string())]
        );
        // The confirmation link in the mail works as a signup's does.
        let path = app.confirmation_path(&mails[0]);
        assert_eq!(app.post_form(&path, &[]).await.status(), StatusCode::SEE_OTHER);
    }

    async fn a_confirmed_import_vouches_for_consent_and_sends_nothing(backend) {
        let app = TestApp::spawn(backend).await;
        app.sign_up("pending@example.com").await;
        app.smtp.wait_for(1, Duration::from_secs(10)).await;
        let (_dir, path) = csv_file("Email,Name\nnew@example.com,New\npending@example.com,Pen\n");

        let report = stdout(&import(&app, &path, true).await);

        assert!(report.starts_with("2 rows: 1 imported, 1 updated, 0 unchanged, 0 skipped"), "{report}");
        assert!(!path.with_file_name("readers.rejected.csv").exists(), "nothing rejected, no file");
        assert_eq!(app.subscriber_status("new@example.com").await.as_deref(), Some("confirmed"));
        assert_eq!(app.subscriber_status("pending@example.com").await.as_deref(), Some("confirmed"));
        let events = |event: &str, source: &str| (event.to_string(), source.to_string());
        assert_eq!(
            consent_sources(&app, "new@example.com").await,
            [events("granted", "import"), events("confirmed", "import")]
        );
        assert_eq!(
            consent_sources(&app, "pending@example.com").await,
            [events("granted", "api"), events("granted", "import"), events("confirmed", "import")]
        );
        // Only the signup's confirmation was ever queued.
        assert_eq!(app.count("outbox").await, 1);
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(app.smtp.messages().len(), 1);

        // Importing the same file again changes nothing.
        let again = stdout(&import(&app, &path, true).await);
        assert!(again.starts_with("2 rows: 0 imported, 0 updated, 2 unchanged, 0 skipped"), "{again}");
    }

    async fn an_import_never_brings_back_the_unsubscribed_the_bounced_or_the_erased(backend) {
        let app = TestApp::spawn(backend).await;
        let token = app.api_token().await;
        app.insert_confirmed_readers(3).await;
        sqlx::query("update subscribers set status = 'unsubscribed' where email_key = 'reader-1@example.com'")
            .execute(&app.db.pool).await.unwrap();
        sqlx::query("update subscribers set bounced_at = 5 where email_key = 'reader-2@example.com'")
            .execute(&app.db.pool).await.unwrap();
        let erased = app.subscriber_id("reader-3@example.com").await.unwrap();
        let response = app
            .api(Method::DELETE, &format!("/api/v1/subscribers/{erased}"), &token)
            .send().await.unwrap();
        assert_eq!(response.status(), StatusCode::NO_CONTENT);
        let (_dir, path) = csv_file(
            "email\nreader-1@example.com\nReader-2@example.com\nREADER-3@EXAMPLE.COM\nfresh@example.com\n",
        );

        let report = stdout(&import(&app, &path, true).await);

        assert!(report.starts_with("4 rows: 1 imported, 0 updated, 0 unchanged, 3 skipped"), "{report}");
        assert!(report.contains("row 2: unsubscribed"), "{report}");
        assert!(report.contains("row 3: mail to this address bounced"), "{report}");
        assert!(report.contains("row 4: erased at the reader's request"), "{report}");
        assert_eq!(app.subscriber_status("reader-1@example.com").await.as_deref(), Some("unsubscribed"));
        assert_eq!(app.subscriber_status("reader-3@example.com").await, None);
        assert_eq!(app.subscriber_status("fresh@example.com").await.as_deref(), Some("confirmed"));
        let bounced: i64 = sqlx::query_scalar(
            "select count(*) from subscribers where email_key = 'reader-2@example.com' and bounced_at = 5",
        )
        .fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(bounced, 1);
    }

    async fn an_import_without_an_email_column_stops_and_names_it(backend) {
        let app = TestApp::spawn(backend).await;
        let (_dir, path) = csv_file("mail,name\nada@example.com,Ada\n");

        let output = import(&app, &path, false).await;

        assert!(!output.status.success());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("no `email` column"), "{stderr}");
        assert_eq!(app.count("subscribers").await, 0);
    }

    async fn export_streams_every_reader_as_csv_or_json_by_status(backend) {
        let app = TestApp::spawn(backend).await;
        app.insert_confirmed_readers(3).await;
        app.sign_up("pending@example.com").await;

        let csv_out = stdout(&app.cli(&["subscribers", "export"]).await);
        let json_out = stdout(&app.cli(&["subscribers", "export", "--format", "json"]).await);
        let confirmed = stdout(&app.cli(&["subscribers", "export", "--format", "json", "--status", "confirmed"]).await);
        let pending = stdout(&app.cli(&["subscribers", "export", "--status", "pending"]).await);
        let bad = app.cli(&["subscribers", "export", "--status", "gone"]).await;

        let mut reader = csv::Reader::from_reader(csv_out.as_bytes());
        assert_eq!(
            reader.headers().unwrap(),
            vec!["id", "email", "name", "status", "subscribed_at", "confirmed_at", "bounced_at", "updated_at"]
        );
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 4);
        assert_eq!((&rows[0][1], &rows[0][2], &rows[0][3]), ("reader-1@example.com", "Reader 1", "confirmed"));
        assert_eq!((&rows[3][1], &rows[3][3]), ("pending@example.com", "pending"));
        let all: Vec<Value> = serde_json::from_str(&json_out).unwrap();
        assert_eq!(all.len(), 4);
        assert_eq!(all[1]["email"], "reader-2@example.com");
        assert_eq!(all[1]["name"], "Reader 2");
        let confirmed: Vec<Value> = serde_json::from_str(&confirmed).unwrap();
        assert_eq!(confirmed.len(), 3);
        assert!(confirmed.iter().all(|r| r["status"] == "confirmed"));
        assert_eq!(pending.lines().count(), 2, "{pending}");
        assert!(!bad.status.success());
        assert!(String::from_utf8_lossy(&bad.stderr).contains("--status"));

        // The CSV is what import reads: another list takes it as it is.
        let other = TestApp::spawn(crate::helpers::Backend::Sqlite).await;
        let (_dir, path) = csv_file(&csv_out);
        let report = stdout(&import(&other, &path, true).await);
        assert!(report.starts_with("4 rows: 4 imported"), "{report}");
    }

    async fn the_subscribers_api_pages_filters_and_searches(backend) {
        let app = TestApp::spawn(backend).await;
        let token = app.api_token().await;
        app.insert_confirmed_readers(5).await;
        app.sign_up("zed@example.com").await;
        let get = |query: String| {
            let request = app.api(Method::GET, &format!("/api/v1/subscribers{query}"), &token);
            async move { request.send().await.unwrap() }
        };

        let mut emails = Vec::new();
        let mut cursor = String::new();
        loop {
            let page: Value = get(format!("?limit=2&cursor={cursor}")).await.json().await.unwrap();
            assert!(page["subscribers"].as_array().unwrap().len() <= 2);
            emails.extend(page["subscribers"].as_array().unwrap().iter().map(|s| s["email"].as_str().unwrap().to_string()));
            match page["next_cursor"].as_str() {
                Some(next) => cursor = next.to_string(),
                None => break,
            }
        }
        let pending: Value = get("?status=pending".into()).await.json().await.unwrap();
        let search: Value = get("?q=READER-3".into()).await.json().await.unwrap();
        let bad_limit = get("?limit=0".into()).await;
        let bad_status = get("?status=happy".into()).await;
        let anonymous = app.get("/api/v1/subscribers").await;

        assert_eq!(emails.len(), 6);
        assert_eq!(emails[0], "reader-1@example.com");
        assert_eq!(emails[5], "zed@example.com");
        assert_eq!(pending["subscribers"].as_array().unwrap().len(), 1);
        assert_eq!(pending["subscribers"][0]["email"], "zed@example.com");
        assert_eq!(search["subscribers"].as_array().unwrap().len(), 1);
        assert_eq!(search["subscribers"][0]["email"], "reader-3@example.com");
        assert_eq!(bad_limit.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad_limit.json::<Value>().await.unwrap()["fields"]["limit"].is_string());
        assert_eq!(bad_status.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad_status.json::<Value>().await.unwrap()["fields"]["status"].is_string());
        assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    }

    async fn a_readers_export_holds_their_profile_consent_and_deliveries(backend) {
        let app = TestApp::spawn(backend).await;
        let token = app.api_token().await;
        app.confirmed_reader("ada@example.com", Some("Ada")).await;
        app.add_article(&token, &serde_json::json!({"title": "Engines", "url": "https://news.example/1"})).await;
        let digest = app.send_digest(&token).await;
        app.wait_for_digest(&token, digest, "sent").await;
        let id = app.subscriber_id("ada@example.com").await.unwrap();

        let response = app.api(Method::GET, &format!("/api/v1/subscribers/{id}/export"), &token).send().await.unwrap();
        let profile = app.api(Method::GET, &format!("/api/v1/subscribers/{id}"), &token).send().await.unwrap();
        let unknown = app.api(Method::GET, "/api/v1/subscribers/999999/export", &token).send().await.unwrap();

        assert_eq!(response.status(), StatusCode::OK);
        let export: Value = response.json().await.unwrap();
        assert_eq!(export["subscriber"]["email"], "ada@example.com");
        assert_eq!(export["subscriber"]["name"], "Ada");
        assert_eq!(export["subscriber"]["status"], "confirmed");
        let consent = export["consent"].as_array().unwrap();
        assert_eq!(consent.len(), 2);
        assert_eq!(consent[0]["event"], "granted");
        assert_eq!(consent[0]["source"], "api");
        assert_eq!(consent[0]["privacy_version"], "2026-01-01");
        assert!(consent[0]["statement"].as_str().unwrap().contains("Privacy Policy"));
        assert_eq!(consent[1]["event"], "confirmed");
        let deliveries = export["deliveries"].as_array().unwrap();
        assert_eq!(deliveries.len(), 1);
        assert_eq!(deliveries[0]["digest_id"], digest);
        assert_eq!(deliveries[0]["status"], "sent");
        assert_eq!(export["emails"][0]["kind"], "confirmation");
        assert_eq!(export["emails"][0]["status"], "sent");
        assert_eq!(profile.json::<Value>().await.unwrap()["email"], "ada@example.com");
        assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    }

    async fn erasure_leaves_no_trace_of_the_address_in_any_table(backend) {
        let app = TestApp::spawn(backend).await;
        let token = app.api_token().await;
        app.confirmed_reader("Erase.Me@Example.com", Some("Zebedee")).await;
        app.confirmed_reader("stays@example.com", None).await;
        app.add_article(&token, &serde_json::json!({"title": "News", "url": "https://news.example/1"})).await;
        let digest = app.send_digest(&token).await;
        app.wait_for_digest(&token, digest, "sent").await;
        let id = app.subscriber_id("erase.me@example.com").await.unwrap();
        assert!(traces(&app, "erase.me@example.com").await.contains(&"subscribers".to_string()));

        let erased = app.api(Method::DELETE, &format!("/api/v1/subscribers/{id}"), &token).send().await.unwrap();
        let again = app.api(Method::DELETE, &format!("/api/v1/subscribers/{id}"), &token).send().await.unwrap();

        assert_eq!(erased.status(), StatusCode::NO_CONTENT);
        assert_eq!(again.status(), StatusCode::NOT_FOUND);
        for needle in ["erase.me@example.com", "zebedee"] {
            assert_eq!(traces(&app, needle).await, Vec::<String>::new(), "{needle} is gone");
        }
        assert_eq!(app.count("suppressions").await, 1);
        let keeping_the_id: i64 = sqlx::query_scalar("select count(*) from deliveries where subscriber_id = $1")
            .bind(id).fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(keeping_the_id, 0, "no delivery points at the erased reader's id");
        // The other reader and the digest's counts stay.
        assert!(!traces(&app, "stays@example.com").await.is_empty());
        let status = app.digest_status(&token, digest).await;
        assert_eq!((status["total"].as_i64(), status["sent"].as_i64()), (Some(2), Some(2)), "{status}");
    }

    async fn the_cli_erases_by_address(backend) {
        let app = TestApp::spawn(backend).await;
        app.confirmed_reader("ada@example.com", Some("Ada")).await;

        let output = app.cli(&["subscribers", "erase", "ADA@example.com"]).await;
        let unknown = app.cli(&["subscribers", "erase", "nobody@example.com"]).await;
        let invalid = app.cli(&["subscribers", "erase", "not an address"]).await;

        assert!(output.status.success());
        assert!(String::from_utf8_lossy(&output.stderr).contains("erased"));
        assert_eq!(traces(&app, "ada@example.com").await, Vec::<String>::new());
        assert!(unknown.status.success(), "an unknown address is suppressed all the same");
        assert_eq!(app.count("suppressions").await, 2);
        assert!(!invalid.status.success());
    }

    async fn signing_up_again_after_erasure_works_and_lifts_the_suppression(backend) {
        let app = TestApp::spawn(backend).await;
        let token = app.api_token().await;
        app.confirmed_reader("ada@example.com", None).await;
        let id = app.subscriber_id("ada@example.com").await.unwrap();
        app.api(Method::DELETE, &format!("/api/v1/subscribers/{id}"), &token).send().await.unwrap();
        let (_dir, path) = csv_file("email\nada@example.com\n");

        let signup = app
            .post_form("/subscribe", &[("email", "ada@example.com"), ("consent", "yes")])
            .await;
        let mail = app.smtp.wait_for(2, Duration::from_secs(10)).await.pop().unwrap();
        let import_while_pending = stdout(&import(&app, &path, true).await);
        let confirmed = app.post_form(&app.confirmation_path(&mail), &[]).await;

        assert_eq!(signup.status(), StatusCode::SEE_OTHER);
        assert!(
            import_while_pending.contains("1 skipped") && import_while_pending.contains("erased"),
            "the reader's own confirmation lifts the suppression, nothing else: {import_while_pending}"
        );
        assert_eq!(confirmed.status(), StatusCode::SEE_OTHER);
        assert_eq!(app.subscriber_status("ada@example.com").await.as_deref(), Some("confirmed"));
        assert_eq!(app.count("suppressions").await, 0);
    }

    async fn retention_deletes_only_stale_pending_readers(backend) {
        let app = TestApp::spawn_with(backend, |s| {
            s.subscribers.pending_ttl = Duration::from_secs(10);
        })
        .await;
        app.confirmed_reader("confirmed@example.com", None).await;
        app.sign_up("stale@example.com").await;
        app.sign_up("fresh@example.com").await;
        app.sign_up("left@example.com").await;
        app.smtp.wait_for(4, Duration::from_secs(10)).await;
        sqlx::query("update subscribers set status = 'unsubscribed' where email_key = 'left@example.com'")
            .execute(&app.db.pool).await.unwrap();
        // Long ago, as far as the retention job can tell.
        sqlx::query("update subscribers set created_at = 1, updated_at = 1 where email_key <> 'fresh@example.com'")
            .execute(&app.db.pool).await.unwrap();

        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while app.subscriber_status("stale@example.com").await.is_some() {
            assert!(tokio::time::Instant::now() < deadline, "the stale reader was never deleted");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }

        assert_eq!(app.subscriber_status("fresh@example.com").await.as_deref(), Some("pending"));
        assert_eq!(app.subscriber_status("confirmed@example.com").await.as_deref(), Some("confirmed"));
        assert_eq!(app.subscriber_status("left@example.com").await.as_deref(), Some("unsubscribed"));
        assert_eq!(traces(&app, "stale@example.com").await, Vec::<String>::new());
        let consent: i64 = sqlx::query_scalar("select count(*) from consent_events").fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(consent, 4, "granted+confirmed, and one each for fresh and left");
    }
}

/// The tables holding `needle` (case-insensitively) in any column, found by asking the
/// database for every table and column, so a table added later is searched too.
async fn traces(app: &TestApp, needle: &str) -> Vec<String> {
    use secrecy::ExposeSecret;
    let postgres = app
        .settings
        .database
        .url
        .expose_secret()
        .starts_with("postgres");
    let columns: Vec<(String, String)> = if postgres {
        sqlx::query_as(
            "select table_name::text, column_name::text from information_schema.columns
             where table_schema = 'public' order by table_name, ordinal_position",
        )
        .fetch_all(&app.db.pool)
        .await
        .unwrap()
    } else {
        sqlx::query_as(
            "select m.name, p.name from sqlite_master m, pragma_table_info(m.name) p
             where m.type = 'table' and m.name not like 'sqlite_%' order by m.name, p.cid",
        )
        .fetch_all(&app.db.pool)
        .await
        .unwrap()
    };
    let mut found = Vec::new();
    let mut tables: Vec<&str> = columns.iter().map(|(t, _)| t.as_str()).collect();
    tables.dedup();
    for table in tables {
        let condition = columns
            .iter()
            .filter(|(t, _)| t == table)
            .map(|(_, c)| format!(r#"lower(cast("{c}" as text)) like $1"#))
            .collect::<Vec<_>>()
            .join(" or ");
        let sql = format!(r#"select count(*) from "{table}" where {condition}"#);
        let hits: i64 = sqlx::query_scalar(&sql)
            .bind(format!("%{}%", needle.to_lowercase()))
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        if hits > 0 {
            found.push(table.to_string());
        }
    }
    found
}
