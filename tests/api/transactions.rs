//! Transactions abandoned halfway (a client hanging up mid-request drops the handler's future)
//! must leave no connection inside a transaction.

use std::time::Duration;

use tidings::config::DatabaseSettings;
use tidings::db::Db;

use crate::backend_tests;
use crate::helpers::fresh_database;

backend_tests! {
    async fn a_begin_dropped_at_any_moment_leaves_no_open_transaction(backend) {
        let dir = tempfile::tempdir().unwrap();
        let (url, _pg) = fresh_database(&backend, dir.path()).await;
        // One connection, so every begin and every check meets the same session.
        let settings = DatabaseSettings { url: url.into(), max_connections: 1 };
        let db = Db::connect_and_migrate(&settings).await.unwrap();
        sqlx::query("create table marks (n bigint not null)").execute(&db.pool).await.unwrap();

        for n in 0..200 {
            // Dropped after anything from no time at all to a whole BEGIN round trip.
            let wait = Duration::from_micros(n % 50 * 10);
            if let Ok(Ok(mut tx)) = tokio::time::timeout(wait, db.begin()).await {
                sqlx::query("insert into marks (n) values ($1)").bind(-1_i64).execute(&mut *tx).await.unwrap();
                // Dropped uncommitted: rolled back.
            }
            // Outside any transaction this lands at once, and a rollback cannot take it back.
            sqlx::query("insert into marks (n) values ($1)").bind(n as i64).execute(&db.pool).await.unwrap();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;

        let mut tx = tokio::time::timeout(Duration::from_secs(5), db.begin())
            .await
            .expect("a transaction can still begin")
            .unwrap();
        sqlx::query("insert into marks (n) values (1000)").execute(&mut *tx).await.unwrap();
        tx.commit().await.unwrap();
        let kept: i64 = sqlx::query_scalar("select count(*) from marks where n >= 0").fetch_one(&db.pool).await.unwrap();
        let rolled_back: i64 = sqlx::query_scalar("select count(*) from marks where n < 0").fetch_one(&db.pool).await.unwrap();
        assert_eq!(kept, 201, "every autocommit insert and the last transaction stay");
        assert_eq!(rolled_back, 0, "nothing written in a dropped transaction stays");
    }

    async fn only_the_send_engines_bookkeeping_commits_without_waiting_for_the_disk(backend) {
        let dir = tempfile::tempdir().unwrap();
        let (url, _pg) = fresh_database(&backend, dir.path()).await;
        // One connection: a setting leaking out of its transaction would show in the next.
        let settings = DatabaseSettings { url: url.into(), max_connections: 1 };
        let db = Db::connect_and_migrate(&settings).await.unwrap();
        sqlx::query("create table marks (n bigint not null)").execute(&db.pool).await.unwrap();

        let mut tx = db.begin_bookkeeping().await.unwrap();
        sqlx::query("insert into marks (n) values (1)").execute(&mut *tx).await.unwrap();
        if db.backend == tidings::db::Backend::Postgres {
            assert_eq!(synchronous_commit(&mut tx).await, "off");
        }
        tx.commit().await.unwrap();

        let mut tx = db.begin().await.unwrap();
        sqlx::query("insert into marks (n) values (2)").execute(&mut *tx).await.unwrap();
        if db.backend == tidings::db::Backend::Postgres {
            assert_eq!(synchronous_commit(&mut tx).await, "on", "every other transaction commits durably");
        }
        tx.commit().await.unwrap();
        let written: i64 = sqlx::query_scalar("select count(*) from marks").fetch_one(&db.pool).await.unwrap();
        assert_eq!(written, 2, "both kinds of transaction write");
    }
}

async fn synchronous_commit(conn: &mut sqlx::AnyConnection) -> String {
    sqlx::query_scalar("select current_setting('synchronous_commit')")
        .fetch_one(conn)
        .await
        .unwrap()
}
