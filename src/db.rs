//! The database: one `sqlx::Any` pool over SQLite (embedded default) or PostgreSQL, its
//! migrations, and the few helpers every query module shares.

use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::Context;
use secrecy::ExposeSecret;
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode};
use sqlx::{AnyPool, Connection, Executor};

use crate::config::DatabaseSettings;

/// A write transaction (`Db::begin`); on SQLite it also holds this process's writer turn.
/// Derefs to the connection, so queries run on `&mut **tx` (or `&mut *tx`).
pub struct Tx<'a> {
    inner: sqlx::Transaction<'a, sqlx::Any>,
    backend: Backend,
    _turn: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl Tx<'_> {
    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub async fn commit(self) -> sqlx::Result<()> {
        self.inner.commit().await
    }

    pub async fn rollback(self) -> sqlx::Result<()> {
        self.inner.rollback().await
    }
}

impl std::ops::Deref for Tx<'_> {
    type Target = sqlx::AnyConnection;

    fn deref(&self) -> &sqlx::AnyConnection {
        &self.inner
    }
}

impl std::ops::DerefMut for Tx<'_> {
    fn deref_mut(&mut self) -> &mut sqlx::AnyConnection {
        &mut self.inner
    }
}

/// Unix time in milliseconds, the one time format stored on both backends.
pub type Millis = i64;

pub fn now() -> Millis {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as Millis)
        .unwrap_or(0)
}

/// RFC 3339 in UTC, to the second: how every stored time is shown.
/// `$first, $first+1, …`: `count` parameters, as in `id in (…)`.
pub fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The tuples of a multi-row insert, one per row: `row` is given that row's own parameter
/// (`$first`, `$first+1`, …) and writes the tuple around it and the parameters rows share.
/// (Kept apart from `tuples`: a digest's recipients are a million such rows, and this makes
/// no list per row.)
pub fn rows_per_id(first: usize, count: usize, row: impl Fn(&str) -> String) -> String {
    (first..first + count)
        .map(|i| row(&format!("${i}")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The tuples of a multi-row statement whose rows have `width` parameters each, numbered on
/// from `$first` row by row: `row` is given that row's own and writes the tuple around them
/// and the parameters rows share. Bind each row's values in that order.
pub fn tuples(
    first: usize,
    count: usize,
    width: usize,
    row: impl Fn(&[String]) -> String,
) -> String {
    (0..count)
        .map(|r| {
            let own: Vec<String> = (0..width)
                .map(|c| format!("${}", first + r * width + c))
                .collect();
            row(&own)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn format_time(millis: Millis) -> String {
    chrono::DateTime::from_timestamp_millis(millis)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, Clone)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
    /// SQLite has one writer: transactions take turns here, in order, rather than in
    /// SQLite's busy handler, which sleeps and retries (under signup load that made p99
    /// latency 15 times the median).
    writer: Arc<tokio::sync::Mutex<()>>,
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

impl Db {
    /// Connects without migrating.
    pub async fn connect(settings: &DatabaseSettings) -> anyhow::Result<Db> {
        install_default_drivers();
        let url = settings.url.expose_secret();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            Backend::Postgres
        };
        if backend == Backend::Sqlite {
            prepare_sqlite_file(url).await?;
        }
        let pool = AnyPoolOptions::new()
            .max_connections(settings.max_connections)
            // As long as SQLite's busy timeout: past it, a request is answered 503 rather than
            // waiting on (say) a database that went away.
            .acquire_timeout(Duration::from_secs(5))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    match backend {
                        // WAL is stored in the file; these are per connection. NORMAL is
                        // durable under WAL except for the last commits on power loss.
                        // secure_delete zeroes what a delete frees, so an erased reader's
                        // address does not linger in free space (`Db::scrub`).
                        Backend::Sqlite => {
                            conn.execute(
                                "pragma synchronous = normal; pragma foreign_keys = on;
                                 pragma secure_delete = on;",
                            )
                            .await?;
                        }
                        // No transaction of ours waits a minute between statements; one that
                        // does was leaked, and the server ends it rather than let its locks
                        // stall everyone.
                        Backend::Postgres => {
                            conn.execute("set idle_in_transaction_session_timeout = '60s'")
                                .await?;
                        }
                    }
                    Ok(())
                })
            })
            .connect(url)
            .await
            .with_context(|| format!("connecting to the {backend:?} database"))?;
        Ok(Db {
            pool,
            backend,
            writer: Arc::default(),
        })
    }

    /// Connects and applies pending migrations.
    pub async fn connect_and_migrate(settings: &DatabaseSettings) -> anyhow::Result<Db> {
        let db = Self::connect(settings).await?;
        db.migrate().await?;
        Ok(db)
    }

    pub async fn migrate(&self) -> anyhow::Result<()> {
        match self.backend {
            Backend::Sqlite => self.migrate_sqlite().await,
            Backend::Postgres => POSTGRES_MIGRATIONS
                .run(&self.pool)
                .await
                .context("applying database migrations"),
        }
    }

    /// SQLite changes a table by rebuilding it, and rebuilding a table that others reference
    /// needs foreign keys off (dropping the old copy would cascade to its children). They can
    /// only be turned off outside a transaction, and sqlx runs each migration inside one: so
    /// the migrations run on a connection of their own with foreign keys off, the keys are
    /// checked afterwards, and the connection is closed rather than returned to the pool.
    async fn migrate_sqlite(&self) -> anyhow::Result<()> {
        let mut conn = self.pool.acquire().await?.detach();
        conn.execute("pragma foreign_keys = off").await?;
        let applied = SQLITE_MIGRATIONS
            .run(&mut conn)
            .await
            .context("applying database migrations");
        let broken = sqlx::query("pragma foreign_key_check")
            .fetch_all(&mut conn)
            .await?
            .len();
        conn.close().await?;
        applied?;
        anyhow::ensure!(
            broken == 0,
            "the migrated database has {broken} rows whose foreign keys point nowhere"
        );
        Ok(())
    }

    /// A write transaction. On SQLite it takes the writer lock up front (BEGIN IMMEDIATE):
    /// a deferred transaction that reads and then writes fails at once with "database is
    /// locked" when another connection wrote in between, busy timeout or not.
    ///
    /// The BEGIN runs in a task of its own: sqlx 0.8's `begin` is not cancel-safe on
    /// PostgreSQL (transact-rs/sqlx#4393), and a request dropped at that moment (a client
    /// hanging up) left a pooled connection inside a transaction, holding its locks for good.
    /// A task runs to the end; if our caller is gone by then, the transaction is dropped and
    /// rolled back like any other.
    pub async fn begin(&self) -> sqlx::Result<Tx<'static>> {
        self.begin_with("begin").await
    }

    /// A write transaction for the send engine's bookkeeping: claims, lease renewals and
    /// outcomes, a commit every few messages. On PostgreSQL its commit does not wait for the
    /// disk (`synchronous_commit = off`; the server writes it out within a fraction of a
    /// second): a commit that waits for the disk took 1.7 ms on the benchmark machine, and
    /// every lane waits for its outcome's commit before it sends again. What that risks is
    /// small and of one kind: a crash of the PostgreSQL server itself (not of Tidings) can
    /// lose the last moments of outcomes, and those messages are then sent again, as after a
    /// `kill -9`. Signups, consent and everything else commit durably. (SQLite in WAL mode
    /// with `synchronous = normal` already commits without waiting for the disk.)
    pub async fn begin_bookkeeping(&self) -> sqlx::Result<Tx<'static>> {
        self.begin_with("begin; set local synchronous_commit = off")
            .await
    }

    async fn begin_with(&self, postgres_begin: &'static str) -> sqlx::Result<Tx<'static>> {
        let turn = match self.backend {
            Backend::Sqlite => Some(self.writer.clone().lock_owned().await),
            Backend::Postgres => None,
        };
        let (pool, backend) = (self.pool.clone(), self.backend);
        let inner = tokio::spawn(async move {
            match backend {
                Backend::Sqlite => pool.begin_with("begin immediate").await,
                Backend::Postgres => pool.begin_with(postgres_begin).await,
            }
        })
        .await
        .map_err(|err| sqlx::Error::Io(std::io::Error::other(err)))??;
        Ok(Tx {
            inner,
            backend,
            _turn: turn,
        })
    }

    /// After an erasure, removes what the database itself still keeps of deleted rows.
    ///
    /// SQLite (with `secure_delete`, which zeroes freed space in the main file): old page
    /// images in the write-ahead log. A TRUNCATE checkpoint copies the log into the file and
    /// empties it; it waits for readers of older snapshots, so it is retried a few times.
    /// PostgreSQL: dead tuples stay in the heap until vacuum, so the tables are vacuumed, in
    /// the background, a second and again ten seconds later (on big tables that takes a
    /// while; nothing waits for it).
    /// Neither can reach copies outside the database (backups, replicas, the filesystem).
    pub async fn scrub(&self, tables: &'static [&'static str]) -> sqlx::Result<()> {
        match self.backend {
            Backend::Sqlite => {
                let _turn = self.writer.lock().await;
                for _ in 0..50 {
                    let (busy, _, _): (i64, i64, i64) =
                        sqlx::query_as("pragma wal_checkpoint(truncate)")
                            .fetch_one(&self.pool)
                            .await?;
                    if busy == 0 {
                        return Ok(());
                    }
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                tracing::warn!("the write-ahead log could not be emptied: readers kept it busy");
                Ok(())
            }
            Backend::Postgres => {
                // VACUUM cannot run inside a transaction: a plain statement on the pool. It
                // cannot remove rows that a transaction begun before the erasure may still
                // see, so it runs a moment later, and once more after any longer ones.
                let sql = format!("vacuum {}", tables.join(", "));
                let pool = self.pool.clone();
                tokio::spawn(async move {
                    for wait in [Duration::from_secs(1), Duration::from_secs(10)] {
                        tokio::time::sleep(wait).await;
                        if let Err(err) = sqlx::query(&sql).execute(&pool).await {
                            tracing::warn!(error = %err, "vacuum after erasure failed; autovacuum will get there");
                        }
                    }
                });
                Ok(())
            }
        }
    }

    pub async fn ping(&self) -> sqlx::Result<()> {
        sqlx::query("select 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
    }
}

/// Creates the SQLite file and its folder on first run and switches it to WAL, which the
/// file remembers, so the `Any` pool can open it with plain URL options afterwards.
async fn prepare_sqlite_file(url: &str) -> anyhow::Result<()> {
    let options = SqliteConnectOptions::from_str(url)
        .with_context(|| "parsing database.url".to_string())?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal);
    if let Some(dir) = options
        .get_filename()
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
    {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("creating the database folder {}", dir.display()))?;
    }
    let conn = sqlx::SqliteConnection::connect_with(&options)
        .await
        .with_context(|| {
            format!(
                "opening the SQLite database {}",
                options.get_filename().display()
            )
        })?;
    conn.close().await?;
    Ok(())
}

/// True when the error means "the database cannot serve us right now" rather than a bug:
/// busy (a full pool, SQLite's writer lock held past the busy timeout, a lock or
/// serialization conflict) or out of reach (connection refused or lost, the server shutting
/// down, not accepting connections, out of connection slots). Requests answer 503 with
/// `Retry-After` for these; the caller may simply try again.
pub fn is_unavailable(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => db.code().is_some_and(|code| {
            // SQLite: 5 busy, 6 locked. PostgreSQL: class 08 (connection exception), 53300
            // too many connections, 55000 (e.g. the database does not allow connections
            // now), 55P03 lock not available, 57P01-57P03 shutting down or starting, 40001
            // serialization failure.
            matches!(
                code.as_ref(),
                "5" | "6" | "53300" | "55000" | "55P03" | "57P01" | "57P02" | "57P03" | "40001"
            ) || code.starts_with("08")
        }),
        _ => false,
    }
}

pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(db) if db.is_unique_violation())
}
