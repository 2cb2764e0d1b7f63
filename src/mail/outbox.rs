//! The transactional outbox: rows written in the same transaction as the change that needs
//! the mail, and a background worker that sends them. Rows are claimed under a lease, so a
//! crashed sender's rows are taken up again when the lease runs out (the message may then go
//! out twice, never zero times), and several instances never send the same row at once.

use std::time::Duration;

use sqlx::Row;
use tokio_util::sync::CancellationToken;

use crate::db::{self, Millis, Tx};
use crate::mail::{MailError, OutgoingEmail, SmtpSession};
use crate::queue::{LeasedQueue, backoff};
use crate::state::AppState;
use crate::{subscribers, telemetry};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxKind {
    Confirmation,
    /// Everything held about the reader, which they asked for from a link in an email.
    DataExport,
}

impl OutboxKind {
    fn as_str(self) -> &'static str {
        match self {
            OutboxKind::Confirmation => "confirmation",
            OutboxKind::DataExport => "data_export",
        }
    }

    fn from_db(value: &str) -> anyhow::Result<OutboxKind> {
        match value {
            "confirmation" => Ok(OutboxKind::Confirmation),
            "data_export" => Ok(OutboxKind::DataExport),
            other => anyhow::bail!("unknown outbox kind {other:?}"),
        }
    }
}

const QUEUE: LeasedQueue = LeasedQueue { table: "outbox" };

/// The same message for many readers in one statement (imports).
pub async fn enqueue_many(
    tx: &mut Tx<'_>,
    kind: OutboxKind,
    subscriber_ids: &[i64],
    now: Millis,
) -> sqlx::Result<()> {
    if subscriber_ids.is_empty() {
        return Ok(());
    }
    let values = db::rows_per_id(3, subscriber_ids.len(), |id| {
        format!("($1, {id}, 'pending', $2, $2)")
    });
    let sql = format!(
        "insert into outbox (kind, subscriber_id, status, next_attempt_at, created_at)
         values {values}"
    );
    let mut query = sqlx::query(&sql).bind(kind.as_str()).bind(now);
    for id in subscriber_ids {
        query = query.bind(id);
    }
    query.execute(&mut **tx).await.map(|_| ())
}

/// An email the service sent (or means to send) a reader, for their data export.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct OutboxRecord {
    /// `confirmation` or `data_export`.
    pub kind: &'static str,
    pub status: String,
    pub attempts: i64,
    /// RFC 3339, UTC.
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub sent_at: Option<String>,
}

pub async fn history_for(
    pool: &sqlx::AnyPool,
    subscriber_id: i64,
) -> anyhow::Result<Vec<OutboxRecord>> {
    let rows = sqlx::query(
        "select kind, status, attempts, created_at, sent_at from outbox
         where subscriber_id = $1 order by id",
    )
    .bind(subscriber_id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(OutboxRecord {
                kind: OutboxKind::from_db(row.try_get::<String, _>("kind")?.as_str())?.as_str(),
                status: row.try_get("status")?,
                attempts: row.try_get("attempts")?,
                created_at: db::format_time(row.try_get("created_at")?),
                sent_at: row
                    .try_get::<Option<Millis>, _>("sent_at")?
                    .map(db::format_time),
            })
        })
        .collect()
}

/// Queues a message of `kind` for the subscriber unless `limit` of them were queued in the
/// last 24 hours; returns whether it was. The count and the insert are one statement: one
/// round trip less on every signup.
pub async fn enqueue_within_daily_limit(
    tx: &mut Tx<'_>,
    kind: OutboxKind,
    subscriber_id: i64,
    limit: i64,
    now: Millis,
) -> sqlx::Result<bool> {
    const DAY_MS: Millis = 24 * 60 * 60 * 1000;
    let done = sqlx::query(
        "insert into outbox (kind, subscriber_id, status, next_attempt_at, created_at)
         select $1, $2, 'pending', $3, $3
         where (select count(*) from outbox
                where subscriber_id = $2 and kind = $1 and created_at > $4) < $5",
    )
    .bind(kind.as_str())
    .bind(subscriber_id)
    .bind(now)
    .bind(now - DAY_MS)
    .bind(limit)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

struct Claimed {
    id: i64,
    kind: OutboxKind,
    subscriber_id: i64,
    attempts: i64,
}

async fn claim_due(state: &AppState, now: Millis, limit: i64) -> anyhow::Result<Vec<Claimed>> {
    let rows = QUEUE
        .claim(
            &state.db,
            now,
            state.settings.mail.lease_secs as Millis * 1000,
            limit,
            "id, kind, subscriber_id, attempts",
        )
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

/// Claims what is due and sends it over the given sessions, one lane of rows each, in
/// parallel. The sessions are the delivery workers' kind (kept open between passes, no Nagle
/// delay); `None` lanes send through the shared transport (the file outbox).
async fn send_due(state: &AppState, sessions: &mut [Option<SmtpSession>]) -> anyhow::Result<Pass> {
    let lanes = sessions.len();
    let claimed = claim_due(state, db::now(), (lanes * 4) as i64).await?;
    let mut pass = Pass {
        claimed: claimed.len(),
        ..Pass::default()
    };
    let mut rows: Vec<Vec<Claimed>> = (0..lanes).map(|_| Vec::new()).collect();
    for (i, row) in claimed.into_iter().enumerate() {
        rows[i % lanes].push(row);
    }
    let outcomes = futures_util::future::join_all(sessions.iter_mut().zip(rows).map(
        |(session, rows)| async move {
            let mut outcomes = Vec::with_capacity(rows.len());
            for row in rows {
                let id = row.id;
                outcomes.push((id, process(state, row, session.as_mut()).await));
            }
            outcomes
        },
    ))
    .await;
    let mut sent = Vec::new();
    let mut failure = None;
    for (id, outcome) in outcomes.into_iter().flatten() {
        match outcome {
            Ok(Outcome::Sent) => sent.push(id),
            Ok(Outcome::Unreachable) => pass.unreachable = true,
            Ok(Outcome::Skipped | Outcome::Retry | Outcome::Failed) => {}
            Err(err) => failure = Some(err),
        }
    }
    // One statement for the whole pass: each write waits its turn for SQLite's one writer,
    // and signups want that turn too. Should it fail, the leases run out and those messages
    // are sent again, as after a crash.
    QUEUE
        .finish(&state.db, &sent, "sent", None, db::now())
        .await?;
    pass.sent = sent.len();
    match failure {
        Some(err) => Err(err),
        None => Ok(pass),
    }
}

async fn render(state: &AppState, row: &Claimed) -> anyhow::Result<Option<OutgoingEmail>> {
    match row.kind {
        OutboxKind::Confirmation => {
            subscribers::prepare_confirmation_email(state, row.subscriber_id).await
        }
        OutboxKind::DataExport => {
            subscribers::prepare_data_export_email(state, row.subscriber_id).await
        }
    }
}

#[tracing::instrument(skip_all, fields(outbox_id = row.id, subscriber_id = row.subscriber_id))]
async fn process(
    state: &AppState,
    row: Claimed,
    session: Option<&mut SmtpSession>,
) -> anyhow::Result<Outcome> {
    let mail = &state.settings.mail;
    let now = db::now();
    let later = |attempt: i64| {
        now + backoff(mail.retry_base_ms, mail.retry_max_ms, attempt as u32).as_millis() as Millis
    };
    let email = match render(state, &row).await {
        Ok(Some(email)) => email,
        Ok(None) => {
            QUEUE
                .finish(&state.db, &[row.id], "skipped", None, now)
                .await?;
            return Ok(Outcome::Skipped);
        }
        Err(err) => {
            // Most likely the database; the row keeps its place.
            tracing::warn!(
                error = telemetry::redact(&err),
                "preparing an outbox message failed; will retry"
            );
            QUEUE
                .retry_later(
                    &state.db,
                    row.id,
                    later(row.attempts),
                    &err.to_string(),
                    false,
                )
                .await?;
            return Ok(Outcome::Retry);
        }
    };
    match state.mailer.send_via(session, email).await {
        // `send_due` marks the pass's sent rows together.
        Ok(message_id) => {
            state.metrics.sent.inc();
            tracing::info!(%message_id, kind = row.kind.as_str(), "email sent");
            Ok(Outcome::Sent)
        }
        Err(MailError::Temporary(reply)) if row.attempts + 1 < i64::from(mail.max_attempts) => {
            state.metrics.retried.inc();
            tracing::warn!(
                reply = telemetry::redact(&reply),
                attempt = row.attempts + 1,
                "temporary failure; will retry"
            );
            QUEUE
                .retry_later(&state.db, row.id, later(row.attempts), &reply, true)
                .await?;
            Ok(Outcome::Retry)
        }
        Err(MailError::Unreachable(reason)) => {
            state.metrics.retried.inc();
            tracing::warn!(
                reason = telemetry::redact(&reason),
                "mail server unreachable; message keeps its place"
            );
            QUEUE
                .retry_later(&state.db, row.id, later(0), &reason, false)
                .await?;
            Ok(Outcome::Unreachable)
        }
        Err(err) => {
            state.metrics.failed.inc();
            tracing::error!(error = telemetry::redact(&err), "email failed for good");
            QUEUE
                .finish(
                    &state.db,
                    &[row.id],
                    "failed",
                    Some(&err.to_string()),
                    db::now(),
                )
                .await?;
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
    let mut sessions: Vec<Option<SmtpSession>> = (0..mail.concurrency)
        .map(|_| state.mailer.session())
        .collect();
    let mut outage: u32 = 0;
    while !shutdown.is_cancelled() {
        let wait = match send_due(&state, &mut sessions).await {
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
                tracing::error!(
                    error = telemetry::redact(format!("{err:?}")),
                    "outbox pass failed"
                );
                poll
            }
        };
        tokio::select! {
            _ = state.outbox_wake.notified(), if outage == 0 => {}
            _ = tokio::time::sleep(wait) => {}
            _ = shutdown.cancelled() => {}
        }
    }
    for session in sessions.iter_mut().flatten() {
        session.close().await;
    }
    tracing::info!("outbox worker stopped");
}
