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
