//! The transactional outbox: rows written in the same transaction as the change that needs
//! the mail, and a background worker that sends them. Rows are claimed under a lease, so a
//! crashed sender's rows are taken up again when the lease runs out (the message may then go
//! out twice, never zero times), and several instances never send the same row at once.

use std::time::Duration;

use futures_util::StreamExt;
use rand::Rng;
use sqlx::Row;
use tokio_util::sync::CancellationToken;

use crate::db::{self, Backend, Millis, Tx};
use crate::mail::{MailError, OutgoingEmail};
use crate::state::AppState;
use crate::subscribers;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxKind {
    Confirmation,
}

impl OutboxKind {
    fn as_str(self) -> &'static str {
        match self {
            OutboxKind::Confirmation => "confirmation",
        }
    }

    fn from_db(value: &str) -> anyhow::Result<OutboxKind> {
        match value {
            "confirmation" => Ok(OutboxKind::Confirmation),
            other => anyhow::bail!("unknown outbox kind {other:?}"),
        }
    }
}

/// Longer than any one send can take (the SMTP timeout is 30 s a command).
const LEASE_MS: Millis = 5 * 60 * 1000;

pub async fn enqueue(
    tx: &mut Tx<'_>,
    kind: OutboxKind,
    subscriber_id: i64,
    now: Millis,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into outbox (kind, subscriber_id, status, next_attempt_at, created_at)
         values ($1, $2, 'pending', $3, $3)",
    )
    .bind(kind.as_str())
    .bind(subscriber_id)
    .bind(now)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// How many messages of `kind` were queued for the subscriber since `since`.
pub async fn count_since(
    tx: &mut Tx<'_>,
    kind: OutboxKind,
    subscriber_id: i64,
    since: Millis,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "select count(*) from outbox where subscriber_id = $1 and kind = $2 and created_at > $3",
    )
    .bind(subscriber_id)
    .bind(kind.as_str())
    .bind(since)
    .fetch_one(&mut **tx)
    .await
}

struct Claimed {
    id: i64,
    kind: OutboxKind,
    subscriber_id: i64,
    attempts: i64,
}

// The one place the dialects differ: SQLite has a single writer, so the update is atomic as
// it stands; PostgreSQL needs SKIP LOCKED so concurrent instances take different rows.
const CLAIM_SQLITE: &str = "update outbox set status = 'sending', locked_until = $2
    where id in (select id from outbox
                 where (status = 'pending' and next_attempt_at <= $1)
                    or (status = 'sending' and locked_until < $1)
                 order by next_attempt_at limit $3)
    returning id, kind, subscriber_id, attempts";
const CLAIM_POSTGRES: &str = "update outbox set status = 'sending', locked_until = $2
    where id in (select id from outbox
                 where (status = 'pending' and next_attempt_at <= $1)
                    or (status = 'sending' and locked_until < $1)
                 order by next_attempt_at limit $3
                 for update skip locked)
    returning id, kind, subscriber_id, attempts";

async fn claim_due(state: &AppState, now: Millis, limit: i64) -> anyhow::Result<Vec<Claimed>> {
    let sql = match state.db.backend {
        Backend::Sqlite => CLAIM_SQLITE,
        Backend::Postgres => CLAIM_POSTGRES,
    };
    let rows = sqlx::query(sql)
        .bind(now)
        .bind(now + LEASE_MS)
        .bind(limit)
        .fetch_all(&state.db.pool)
        .await?;
    rows.into_iter()
        .map(|row| {
            Ok(Claimed {
                id: row.try_get("id")?,
                kind: OutboxKind::from_db(row.try_get::<String, _>("kind")?.as_str())?,
                subscriber_id: row.try_get("subscriber_id")?,
                attempts: row.try_get("attempts")?,
            })
        })
        .collect()
}

async fn finish(
    state: &AppState,
    id: i64,
    status: &str,
    error: Option<&str>,
    now: Millis,
) -> sqlx::Result<()> {
    sqlx::query(
        "update outbox set status = $2, last_error = $3, locked_until = null,
             attempts = attempts + 1, sent_at = case when $2 = 'sent' then $4 else sent_at end
         where id = $1",
    )
    .bind(id)
    .bind(status)
    .bind(error)
    .bind(now)
    .execute(&state.db.pool)
    .await
    .map(|_| ())
}

/// Back to `pending` for a later try; `count_attempt` is false while the server is
/// unreachable, so an outage never uses up a message's attempts.
async fn retry_later(
    state: &AppState,
    id: i64,
    at: Millis,
    error: &str,
    count_attempt: bool,
) -> sqlx::Result<()> {
    sqlx::query(
        "update outbox set status = 'pending', next_attempt_at = $2, last_error = $3,
             locked_until = null, attempts = attempts + $4
         where id = $1",
    )
    .bind(id)
    .bind(at)
    .bind(error)
    .bind(i64::from(count_attempt))
    .execute(&state.db.pool)
    .await
    .map(|_| ())
}

/// Exponential backoff with up to 25 % jitter, so that retries from many rows spread out.
fn backoff(base_ms: u64, max_ms: u64, attempt: u32) -> Duration {
    let exp = base_ms.saturating_mul(1u64 << attempt.min(30)).min(max_ms);
    let jitter = rand::rng().random_range(0..=exp / 4);
    Duration::from_millis(exp + jitter)
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Pass {
    pub claimed: usize,
    pub sent: usize,
    pub unreachable: bool,
}

enum Outcome {
    Sent,
    Skipped,
    Retry,
    Failed,
    Unreachable,
}

/// Claims what is due and sends it, `mail.concurrency` at a time.
pub async fn send_due(state: &AppState) -> anyhow::Result<Pass> {
    let concurrency = state.settings.mail.concurrency as usize;
    let claimed = claim_due(state, db::now(), (concurrency * 4) as i64).await?;
    let mut pass = Pass {
        claimed: claimed.len(),
        ..Pass::default()
    };
    let mut outcomes = futures_util::stream::iter(claimed)
        .map(|row| process(state, row))
        .buffer_unordered(concurrency);
    while let Some(outcome) = outcomes.next().await {
        match outcome? {
            Outcome::Sent => pass.sent += 1,
            Outcome::Unreachable => pass.unreachable = true,
            Outcome::Skipped | Outcome::Retry | Outcome::Failed => {}
        }
    }
    Ok(pass)
}

async fn render(state: &AppState, row: &Claimed) -> anyhow::Result<Option<OutgoingEmail>> {
    match row.kind {
        OutboxKind::Confirmation => {
            subscribers::prepare_confirmation_email(state, row.subscriber_id).await
        }
    }
}

#[tracing::instrument(skip_all, fields(outbox_id = row.id, subscriber_id = row.subscriber_id))]
async fn process(state: &AppState, row: Claimed) -> anyhow::Result<Outcome> {
    let mail = &state.settings.mail;
    let now = db::now();
    let later = |attempt: i64| {
        now + backoff(mail.retry_base_ms, mail.retry_max_ms, attempt as u32).as_millis() as Millis
    };
    let email = match render(state, &row).await {
        Ok(Some(email)) => email,
        Ok(None) => {
            finish(state, row.id, "skipped", None, now).await?;
            return Ok(Outcome::Skipped);
        }
        Err(err) => {
            // Most likely the database; the row keeps its place.
            tracing::warn!(error = %err, "preparing an outbox message failed; will retry");
            retry_later(state, row.id, later(row.attempts), &err.to_string(), false).await?;
            return Ok(Outcome::Retry);
        }
    };
    match state.mailer.send(email).await {
        Ok(message_id) => {
            finish(state, row.id, "sent", None, db::now()).await?;
            tracing::info!(%message_id, kind = row.kind.as_str(), "email sent");
            Ok(Outcome::Sent)
        }
        Err(MailError::Temporary(reply)) if row.attempts + 1 < i64::from(mail.max_attempts) => {
            tracing::warn!(%reply, attempt = row.attempts + 1, "temporary failure; will retry");
            retry_later(state, row.id, later(row.attempts), &reply, true).await?;
            Ok(Outcome::Retry)
        }
        Err(MailError::Unreachable(reason)) => {
            tracing::warn!(%reason, "mail server unreachable; message keeps its place");
            retry_later(state, row.id, later(0), &reason, false).await?;
            Ok(Outcome::Unreachable)
        }
        Err(err) => {
            tracing::error!(error = %err, "email failed for good");
            finish(state, row.id, "failed", Some(&err.to_string()), db::now()).await?;
            Ok(Outcome::Failed)
        }
    }
}

/// The background sender: sends as soon as a signup wakes it, checks every
/// `mail.poll_interval_ms` for retries and for rows other instances queued, backs off while
/// the server is unreachable, and on shutdown finishes the sends in flight before it returns.
pub async fn run(state: AppState, shutdown: CancellationToken) {
    let mail = &state.settings.mail;
    let poll = Duration::from_millis(mail.poll_interval_ms);
    let mut outage: u32 = 0;
    while !shutdown.is_cancelled() {
        let wait = match send_due(&state).await {
            Ok(pass) if pass.unreachable => {
                outage = outage.saturating_add(1);
                backoff(mail.retry_base_ms, mail.retry_max_ms, outage - 1)
            }
            Ok(pass) if pass.claimed > 0 => {
                outage = 0;
                continue;
            }
            Ok(_) => poll,
            Err(err) => {
                tracing::error!(error = ?err, "outbox pass failed");
                poll
            }
        };
        tokio::select! {
            _ = state.outbox_wake.notified(), if outage == 0 => {}
            _ = tokio::time::sleep(wait) => {}
            _ = shutdown.cancelled() => {}
        }
    }
    tracing::info!("outbox worker stopped");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        let first = backoff(1000, 60_000, 0).as_millis();
        assert!((1000..=1250).contains(&first), "{first}");
        let third = backoff(1000, 60_000, 2).as_millis();
        assert!((4000..=5000).contains(&third), "{third}");
        let late = backoff(1000, 60_000, 40).as_millis();
        assert!((60_000..=75_000).contains(&late), "{late}");
    }
}
