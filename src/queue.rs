//! Leased work queues in a table: rows are claimed by setting `status = 'sending'` with a
//! lease (`locked_until`) that their sender renews while it lives; a row whose lease ran out
//! (its sender died) is claimable again. So a crash can send a row twice, never zero times,
//! and concurrent senders (tasks or instances) never hold the same row. The outbox and the
//! digest deliveries are the two such tables; `workers` sends from both.
//!
//! Also the vocabulary between that engine and the domains: a claimed row is a [`Job`], and
//! each kind of mail registers a [`Renderer`] that turns its jobs into emails.

use std::future::Future;
use std::time::Duration;

use futures_util::future::BoxFuture;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::db::{self, Backend, Db, Millis, Tx};
use crate::mail::OutgoingEmail;
use crate::state::AppState;

/// A row's final state, as the table spells it. (`pending` and `sending`, the states on the
/// way, are only ever written by the claim and retry statements.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RowStatus {
    Sent,
    Failed,
    /// Outbox: nothing to send any more (the reader confirmed, or is gone).
    Skipped,
    /// Deliveries: the reader left or the digest was cancelled.
    Cancelled,
}

impl RowStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RowStatus::Sent => "sent",
            RowStatus::Failed => "failed",
            RowStatus::Skipped => "skipped",
            RowStatus::Cancelled => "cancelled",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LeasedQueue {
    pub table: &'static str,
    /// The final state of a row that turned out to have nothing to send.
    pub nothing_to_send: RowStatus,
}

impl LeasedQueue {
    /// Claims up to `limit` due rows for `lease_ms` as jobs, in the caller's transaction (the
    /// engine claims from both queues in one turn at SQLite's writer). Every queue has `id`,
    /// `subscriber_id` and `attempts`; `columns` names what else `kind_of` needs to tell the
    /// row's kind and digest. Rows whose lease ran out are due again once
    /// `release_expired` has seen them.
    pub async fn claim(
        &self,
        tx: &mut Tx<'_>,
        now: Millis,
        lease_ms: Millis,
        limit: i64,
        columns: &str,
        kind_of: impl Fn(&AnyRow) -> anyhow::Result<(Kind, Option<i64>)>,
    ) -> anyhow::Result<Vec<Job>> {
        // The one place the dialects differ: SQLite has a single writer, so the update is
        // atomic as it stands; PostgreSQL needs SKIP LOCKED so that concurrent claimers take
        // different rows instead of queueing behind each other's locks. The due rows are
        // chosen once, in a materialised CTE: as `id in (subquery)` PostgreSQL could run the
        // locking subquery again for rows that changed under it, and with a poor plan one
        // claim ran for minutes while every outcome waited on the rows it had locked.
        let lock = match tx.backend() {
            Backend::Sqlite => "",
            Backend::Postgres => "for update skip locked",
        };
        let table = self.table;
        let rows = sqlx::query(&format!(
            "with due as materialized (
                 select id from {table}
                 where status = 'pending' and next_attempt_at <= $1
                 order by next_attempt_at limit $3 {lock})
             update {table} set status = 'sending', locked_until = $2
             where id in (select id from due)
             returning id, subscriber_id, attempts, {columns}"
        ))
        .bind(now)
        .bind(now + lease_ms)
        .bind(limit)
        .fetch_all(&mut **tx)
        .await?;
        rows.iter()
            .map(|row| {
                let (kind, digest_id) = kind_of(row)?;
                Ok(Job {
                    queue: *self,
                    id: row.try_get("id")?,
                    kind,
                    subscriber_id: row.try_get("subscriber_id")?,
                    digest_id,
                    attempts: row.try_get("attempts")?,
                })
            })
            .collect()
    }

    /// Rows whose sender died (their lease ran out) go back to the queue; returns how many.
    /// Kept apart from the claim, and run every few seconds rather than with every claim: an
    /// OR of the two cases cannot use the (status, next_attempt_at) index, and on PostgreSQL
    /// the index keeps an entry for every row that was once `sending` until vacuum comes, so
    /// this scan grows with the rows sent; run with every claim it took half the database's
    /// time in a 100,000-reader send.
    pub async fn release_expired(&self, db: &Db, now: Millis) -> sqlx::Result<u64> {
        let mut tx = db.begin_bookkeeping().await?;
        let done = sqlx::query(&format!(
            "update {} set status = 'pending', locked_until = null
             where status = 'sending' and locked_until < $1",
            self.table
        ))
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(done.rows_affected())
    }

    /// Extends the leases of rows this process is still working on.
    pub async fn renew(&self, db: &Db, ids: &[i64], until: Millis) -> sqlx::Result<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let sql = format!(
            "update {} set locked_until = $1 where status = 'sending' and id in ({})",
            self.table,
            db::placeholders(2, ids.len())
        );
        let mut query = sqlx::query(&sql).bind(until);
        for id in ids {
            query = query.bind(id);
        }
        let mut tx = db.begin_bookkeeping().await?;
        query.execute(&mut *tx).await?;
        tx.commit().await
    }

    /// Final outcome for several rows at once.
    pub async fn finish(
        &self,
        conn: &mut AnyConnection,
        ids: &[i64],
        status: RowStatus,
        error: Option<&str>,
        now: Millis,
    ) -> sqlx::Result<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let placeholders = db::placeholders(4, ids.len());
        let sql = format!(
            "update {} set status = $1, last_error = $2, locked_until = null,
                 attempts = attempts + 1, sent_at = case when $1 = 'sent' then $3 else sent_at end
             where id in ({}) and status = 'sending'",
            self.table, placeholders
        );
        let mut query = sqlx::query(&sql)
            .bind(status.as_str())
            .bind(error)
            .bind(now);
        for id in ids {
            query = query.bind(id);
        }
        query.execute(conn).await.map(|_| ())
    }

    /// Back to `pending` for a try at `at`; `count_attempt` is false while the server is
    /// unreachable (or the row was never tried), so that never uses up a row's attempts.
    pub async fn retry_later(
        &self,
        conn: &mut AnyConnection,
        ids: &[i64],
        at: Millis,
        error: &str,
        count_attempt: bool,
    ) -> sqlx::Result<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let sql = format!(
            "update {} set status = 'pending', next_attempt_at = $1, last_error = $2,
                 locked_until = null, attempts = attempts + $3
             where id in ({}) and status = 'sending'",
            self.table,
            db::placeholders(4, ids.len())
        );
        let mut query = sqlx::query(&sql)
            .bind(at)
            .bind(error)
            .bind(i64::from(count_attempt));
        for id in ids {
            query = query.bind(id);
        }
        query.execute(conn).await.map(|_| ())
    }
}

/// What kind of mail a claimed row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Confirmation,
    /// Everything held about the reader, which they asked for from a link in an email.
    DataExport,
    /// A fresh unsubscribe link, asked for by address.
    UnsubscribeLink,
    /// An editor's test of the next digest.
    TestDigest,
    /// A newsletter's welcome to a reader who joined it.
    Welcome,
    Digest,
}

/// One claimed row.
#[derive(Debug, Clone)]
pub struct Job {
    pub queue: LeasedQueue,
    pub id: i64,
    pub kind: Kind,
    /// `None` once the reader was erased (a delivery row that was in flight then).
    pub subscriber_id: Option<i64>,
    /// The digest of a delivery row.
    pub digest_id: Option<i64>,
    pub attempts: i64,
}

/// What a renderer made of one job.
#[derive(Debug)]
pub enum Rendered {
    Email {
        email: Box<OutgoingEmail>,
        /// A reader told of the current policy versions by this email (digests).
        notices: Option<i64>,
    },
    /// Nothing to send any more: the reader confirmed, left or was erased, or the digest was
    /// cancelled.
    NothingToSend,
    /// This row can never become an email (say, a stored address that no longer parses).
    Impossible(String),
    /// Not now (the database did not answer): the row keeps its place, no attempt used.
    NotNow(String),
}

/// Why one email could not be made: never (`Impossible`), or not now (`NotNow`).
#[derive(Debug, thiserror::Error)]
pub enum NotMade {
    #[error("{0}")]
    Impossible(String),
    #[error(transparent)]
    NotNow(#[from] anyhow::Error),
}

impl From<sqlx::Error> for NotMade {
    fn from(err: sqlx::Error) -> NotMade {
        NotMade::NotNow(err.into())
    }
}

/// Data that cannot be rendered or encoded will not get better by waiting.
macro_rules! impossible_from {
    ($($error:ty),*) => {$(
        impl From<$error> for NotMade {
            fn from(err: $error) -> NotMade {
                NotMade::Impossible(err.to_string())
            }
        }
    )*};
}
impossible_from!(
    askama::Error,
    serde_json::Error,
    lettre::address::AddressError
);

impl From<Result<Option<OutgoingEmail>, NotMade>> for Rendered {
    fn from(made: Result<Option<OutgoingEmail>, NotMade>) -> Rendered {
        match made {
            Ok(Some(email)) => Rendered::Email {
                email: Box::new(email),
                notices: None,
            },
            Ok(None) => Rendered::NothingToSend,
            Err(NotMade::Impossible(why)) => Rendered::Impossible(why),
            Err(NotMade::NotNow(err)) => Rendered::NotNow(format!("{err:#}")),
        }
    }
}

/// Turns claimed jobs of one kind into emails, one `Rendered` per job in the jobs' order. A
/// problem with one job is that job's outcome and never holds up the others.
pub trait Renderer: Send + Sync {
    fn render<'a>(&'a self, state: &'a AppState, jobs: &'a [Job]) -> BoxFuture<'a, Vec<Rendered>>;
}

/// Renders mail to one reader at a time: `prepare` makes the email for a reader's id, or says
/// there is none to send. For kinds whose emails share nothing (confirmations, exports).
pub async fn render_each<'a, Made>(
    state: &'a AppState,
    jobs: &'a [Job],
    prepare: impl Fn(&'a AppState, i64) -> Made,
) -> Vec<Rendered>
where
    Made: Future<Output = Result<Option<OutgoingEmail>, NotMade>>,
{
    let mut rendered = Vec::with_capacity(jobs.len());
    for job in jobs {
        let made = match job.subscriber_id {
            Some(id) => prepare(state, id).await,
            None => Ok(None),
        };
        rendered.push(made.into());
    }
    rendered
}

/// Exponential backoff with up to 25 % jitter, so that retries of many rows spread out.
pub fn backoff(base: Duration, max: Duration, attempt: u32) -> Duration {
    use rand::Rng;
    let (base_ms, max_ms) = (base.as_millis() as u64, max.as_millis() as u64);
    let exp = base_ms.saturating_mul(1u64 << attempt.min(30)).min(max_ms);
    let jitter = rand::rng().random_range(0..=exp / 4);
    Duration::from_millis(exp + jitter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        let first = backoff(Duration::from_secs(1), Duration::from_secs(60), 0).as_millis();
        assert!((1000..=1250).contains(&first), "{first}");
        let third = backoff(Duration::from_secs(1), Duration::from_secs(60), 2).as_millis();
        assert!((4000..=5000).contains(&third), "{third}");
        let late = backoff(Duration::from_secs(1), Duration::from_secs(60), 40).as_millis();
        assert!((60_000..=75_000).contains(&late), "{late}");
    }
}
