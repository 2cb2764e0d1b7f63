//! Upgrading a database with readers in it: the migration that gives readers their link
//! secrets (and, on SQLite, rebuilds tables so that ids are never reused) keeps every row and
//! every foreign key.

use std::path::Path;

use tidings::config::Settings;
use tidings::db::Db;

use crate::backend_tests;
use crate::helpers::{Backend, fresh_database};

/// The rows a live database has: readers, their consent, a token, an outbox row, a digest
/// with deliveries, a policy notice. Written with the schema of migration 5 (ids from 1).
const BEFORE: &[&str] = &[
    "insert into subscribers (email, email_key, name, status, created_at, updated_at, confirmed_at)
     values ('ada@example.com', 'ada@example.com', 'Ada', 'confirmed', 1, 1, 1),
            ('bob@example.com', 'bob@example.com', null, 'pending', 1, 1, null)",
    "insert into consent_texts (hash, body, created_at) values ('h', 'I agree', 1)",
    "insert into consent_events (subscriber_id, event, privacy_version, terms_version, text_hash, source, created_at)
     values (1, 'granted', 'v1', 'v1', 'h', 'form', 1), (1, 'confirmed', 'v1', 'v1', 'h', 'form', 2),
            (2, 'granted', 'v1', 'v1', 'h', 'api', 3)",
    "insert into confirmation_tokens (token_hash, subscriber_id, created_at, expires_at) values ('t', 2, 1, 9)",
    "insert into outbox (kind, subscriber_id, status, next_attempt_at, created_at) values ('confirmation', 2, 'sent', 1, 1)",
    "insert into digests (subject, status, created_by, created_at) values ('One', 'sent', 'test', 1)",
    "insert into deliveries (digest_id, subscriber_id, status, next_attempt_at) values (1, 1, 'sent', 1)",
    "insert into policy_notices (subscriber_id, privacy_version, terms_version, created_at) values (1, 'v1', 'v1', 1)",
];

async fn count(db: &Db, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&db.pool).await.unwrap()
}

backend_tests! {
    async fn upgrading_keeps_every_row_and_foreign_key_and_gives_readers_their_secrets(backend) {
        let dir = tempfile::tempdir().unwrap();
        let (url, _pg) = fresh_database(&backend, dir.path()).await;
        let mut settings = Settings::load_from(Path::new("config"), false).unwrap();
        settings.database.url = url.into();
        let db = Db::connect(&settings.database).await.unwrap();
        let folder = match backend {
            Backend::Sqlite => "migrations/sqlite",
            Backend::Postgres(_) => "migrations/postgres",
        };
        let mut up_to_5 = sqlx::migrate::Migrator::new(Path::new(env!("CARGO_MANIFEST_DIR")).join(folder))
            .await
            .unwrap();
        up_to_5.migrations = up_to_5.migrations.iter().filter(|m| m.version <= 5).cloned().collect::<Vec<_>>().into();
        up_to_5.run(&db.pool).await.unwrap();
        for sql in BEFORE {
            sqlx::query(sql).execute(&db.pool).await.unwrap();
        }

        db.migrate().await.unwrap();

        assert_eq!(count(&db, "select count(*) from subscribers").await, 2);
        assert_eq!(count(&db, "select count(*) from consent_events").await, 3);
        assert_eq!(count(&db, "select count(*) from deliveries where subscriber_id = 1").await, 1);
        assert_eq!(count(&db, "select count(*) from outbox").await, 1);
        assert_eq!(count(&db, "select count(*) from confirmation_tokens").await, 1);
        let secrets: Vec<String> = sqlx::query_scalar("select link_secret from subscribers order by id")
            .fetch_all(&db.pool).await.unwrap();
        assert!(secrets.iter().all(|s| s.len() == 32 && s.chars().all(|c| c.is_ascii_hexdigit())), "{secrets:?}");
        assert_ne!(secrets[0], secrets[1]);
        // The children still point at the rebuilt table: deleting a reader cascades as before.
        // (Deliveries lose their reader in erasure's own statement, `delivery::forget_reader`:
        // on PostgreSQL no key does it since migration 0017.)
        sqlx::query("update deliveries set subscriber_id = null where subscriber_id = 1").execute(&db.pool).await.unwrap();
        sqlx::query("delete from subscribers where id = 1").execute(&db.pool).await.unwrap();
        assert_eq!(count(&db, "select count(*) from consent_events").await, 1);
        assert_eq!(count(&db, "select count(*) from policy_notices").await, 0);
        assert_eq!(count(&db, "select count(*) from deliveries where subscriber_id is null").await, 1);
        // Neither the reader's id nor the digest's comes back.
        let next: i64 = sqlx::query_scalar(
            "insert into subscribers (email, email_key, status, created_at, updated_at)
             values ('cy@example.com', 'cy@example.com', 'pending', 1, 1) returning id",
        )
        .fetch_one(&db.pool).await.unwrap();
        assert_eq!(next, 3);
        sqlx::query("delete from digests where id = 1").execute(&db.pool).await.unwrap();
        let digest: i64 = sqlx::query_scalar(
            "insert into digests (subject, status, created_by, created_at) values ('Two', 'queued', 'test', 2) returning id",
        )
        .fetch_one(&db.pool).await.unwrap();
        assert_eq!(digest, 2);
    }

    async fn a_send_scheduled_before_there_were_several_newsletters_is_the_defaults(backend) {
        let dir = tempfile::tempdir().unwrap();
        let (url, _pg) = fresh_database(&backend, dir.path()).await;
        let mut settings = Settings::load_from(Path::new("config"), false).unwrap();
        settings.database.url = url.into();
        let db = Db::connect(&settings.database).await.unwrap();
        let folder = match backend {
            Backend::Sqlite => "migrations/sqlite",
            Backend::Postgres(_) => "migrations/postgres",
        };
        let mut up_to_14 = sqlx::migrate::Migrator::new(Path::new(env!("CARGO_MANIFEST_DIR")).join(folder))
            .await
            .unwrap();
        up_to_14.migrations = up_to_14.migrations.iter().filter(|m| m.version <= 14).cloned().collect::<Vec<_>>().into();
        up_to_14.run(&db.pool).await.unwrap();
        sqlx::query("insert into scheduled_sends (send_at, status, created_by, created_at) values (9, 'scheduled', 'editor:ada@example.com', 1)")
            .execute(&db.pool).await.unwrap();

        db.migrate().await.unwrap();

        let sends = tidings::scheduler::one_off::list(&db.pool).await.unwrap();
        assert_eq!(sends.len(), 1);
        assert_eq!(sends[0].newsletter_id, 1, "the default newsletter's");
        assert_eq!(sends[0].send_at_ms, 9);
        let next: i64 = sqlx::query_scalar(
            "insert into scheduled_sends (newsletter_id, send_at, status, created_by, created_at)
             values (1, 10, 'scheduled', 'test', 2) returning id",
        )
        .fetch_one(&db.pool).await.unwrap();
        assert_eq!(next, sends[0].id + 1);
    }
}
