//! The binary itself: configuration errors name their key, `migrate` prepares a database.

use std::process::Command;

fn tidings() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tidings"));
    command.current_dir(env!("CARGO_MANIFEST_DIR"));
    command
}

#[test]
fn a_bad_config_value_stops_the_program_naming_the_key() {
    let output = tidings()
        .arg("migrate")
        .env("TIDINGS_MAIL__TRANSPORT", "smtp")
        .output()
        .unwrap();

    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("mail.smtp_url"), "{stderr}");
}

#[test]
fn an_unparsable_value_names_its_key() {
    let output = tidings()
        .arg("migrate")
        .env("TIDINGS_SERVER__BIND", "not-an-address")
        .output()
        .unwrap();

    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("server.bind"), "{stderr}");
}

#[test]
fn migrate_creates_the_sqlite_database_with_its_tables() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/tidings.db");

    let output = tidings()
        .arg("migrate")
        .env(
            "TIDINGS_DATABASE__URL",
            format!("sqlite://{}", path.display()),
        )
        .output()
        .unwrap();

    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(path.exists());
    let header = std::fs::read(&path).unwrap();
    // Bytes 18 and 19 of an SQLite header are 2 in WAL mode.
    assert_eq!((header[18], header[19]), (2, 2), "the file is in WAL mode");
}

#[test]
fn help_lists_the_subcommands() {
    let output = tidings().arg("--help").output().unwrap();

    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("serve") && stdout.contains("migrate"),
        "{stdout}"
    );
}

/// A migrated SQLite database in a temp folder, as `TIDINGS_DATABASE__URL`.
fn database() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    (dir, url)
}

fn run(url: &str, args: &[&str], stdin: Option<&str>) -> std::process::Output {
    use std::io::Write;
    let mut child = tidings()
        .args(args)
        .env("TIDINGS_DATABASE__URL", url)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

#[test]
fn token_create_prints_the_token_alone_and_list_and_revoke_manage_it() {
    let (_dir, url) = database();

    let created = run(&url, &["token", "create", "--name", "ci"], None);
    let duplicate = run(&url, &["token", "create", "--name", "ci"], None);
    let listed = run(&url, &["token", "list"], None);
    let revoked = run(&url, &["token", "revoke", "ci"], None);
    let listed_after = run(&url, &["token", "list"], None);
    let revoked_again = run(&url, &["token", "revoke", "ci"], None);

    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    let stdout = String::from_utf8(created.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 1, "the token alone: {stdout:?}");
    assert!(stdout.starts_with("tdg_") && stdout.trim().len() == 47);
    assert!(!duplicate.status.success());
    let list = String::from_utf8(listed.stdout).unwrap();
    assert!(
        list.starts_with("ci\tactive") && !list.contains(stdout.trim()),
        "{list}"
    );
    assert!(revoked.status.success());
    assert!(
        String::from_utf8(listed_after.stdout)
            .unwrap()
            .starts_with("ci\trevoked")
    );
    assert!(!revoked_again.status.success());
    assert!(String::from_utf8_lossy(&revoked_again.stderr).contains("no active token"));
}

#[test]
fn editor_create_reads_the_password_from_stdin() {
    let (_dir, url) = database();

    let weak = run(
        &url,
        &["editor", "create", "--email", "ed@example.com"],
        Some("short\n"),
    );
    let good = run(
        &url,
        &["editor", "create", "--email", "ed@example.com"],
        Some("a long enough password\n"),
    );

    assert!(!weak.status.success());
    assert!(String::from_utf8_lossy(&weak.stderr).contains("at least 10 characters"));
    assert!(
        good.status.success(),
        "{}",
        String::from_utf8_lossy(&good.stderr)
    );
}

#[tokio::test]
async fn digest_preview_prints_the_subject_and_the_plain_text_part() {
    let (_dir, url) = database();
    assert!(run(&url, &["migrate"], None).status.success());
    let empty = run(&url, &["digest", "preview"], None);
    let settings = {
        let mut s =
            tidings::config::Settings::load_from(std::path::Path::new("config"), false).unwrap();
        s.database.url = url.clone().into();
        s
    };
    let db = tidings::db::Db::connect(&settings.database).await.unwrap();
    for n in 1..=2 {
        let article = tidings::articles::ArticleInput {
            title: format!("Story {n}"),
            url: format!("https://news.example/{n}"),
            summary: "<p>Worth <b>reading</b> &amp; sharing.</p>".into(),
            ..Default::default()
        };
        tidings::articles::queries::upsert(&db, &article.parse(chrono_tz::UTC).unwrap(), n)
            .await
            .unwrap();
    }

    let text = run(&url, &["digest", "preview"], None);
    let html = run(&url, &["digest", "preview", "--html"], None);

    assert!(!empty.status.success());
    assert!(String::from_utf8_lossy(&empty.stderr).contains("nothing new"));
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.starts_with("Subject: The Tidings Newsletter: Story"),
        "{text}"
    );
    assert!(text.contains("Story 1") && text.contains("Read more: https://news.example/2"));
    assert!(text.contains("Worth reading & sharing."), "{text}");
    assert!(!text.contains("<b>"));
    assert!(
        String::from_utf8(html.stdout)
            .unwrap()
            .contains("<b>reading</b>")
    );
}
