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
    _turn: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl Tx<'_> {
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
pub fn rows_per_id(first: usize, count: usize, row: impl Fn(&str) -> String) -> String {
    (first..first + count)
        .map(|i| row(&format!("${i}")))
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
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    match backend {
                        // WAL is stored in the file; these two are per connection. NORMAL is
                        // durable under WAL except for the last commits on power loss.
                        Backend::Sqlite => {
                            conn.execute("pragma synchronous = normal; pragma foreign_keys = on;")
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
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator
            .run(&self.pool)
            .await
            .context("applying database migrations")
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
        let turn = match self.backend {
            Backend::Sqlite => Some(self.writer.clone().lock_owned().await),
            Backend::Postgres => None,
        };
        let (pool, backend) = (self.pool.clone(), self.backend);
        let inner = tokio::spawn(async move {
            match backend {
                Backend::Sqlite => pool.begin_with("begin immediate").await,
                Backend::Postgres => pool.begin().await,
            }
        })
        .await
        .map_err(|err| sqlx::Error::Io(std::io::Error::other(err)))??;
        Ok(Tx { inner, _turn: turn })
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

/// True when the error means "the database is too busy right now" rather than a bug:
/// a full pool, or SQLite's writer lock held past the busy timeout.
pub fn is_busy(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::PoolTimedOut => true,
        sqlx::Error::Database(db) => {
            matches!(
                db.code().as_deref(),
                Some("5") | Some("6") | Some("55P03") | Some("40001")
            )
        }
        _ => false,
    }
}

pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(db) if db.is_unique_violation())
}
