//! The delivery engine: `mail.concurrency` workers claim a digest's recipient rows in small
//! batches (a leased queue, so a dead worker's rows are taken up again), personalise each
//! email from the digest's once-rendered content, send under the global rate limit, and
//! record the outcomes in batches.
//!
//! Outcomes: accepted -> `sent`; a 4xx reply -> retried with backoff until
//! `mail.max_attempts`, then `failed`; a 5xx reply -> `failed` at once, and a 5.1.x ("no such
//! user") also marks the reader bounced so no later digest goes there; server unreachable ->
//! the row keeps its place without using an attempt, and the worker waits with a growing
//! delay before it tries again.

mod content;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use lettre::message::Mailbox;
use sqlx::Row;
use tokio_util::sync::CancellationToken;

use crate::db::{self, Millis};
use crate::digests::DigestContent;
use crate::mail::{ListHeaders, MailError, OutgoingEmail, SmtpSession};
use crate::queue::{LeasedQueue, backoff};
use crate::state::AppState;
use crate::subscribers::EmailAddress;
use crate::unsubscribe;

const QUEUE: LeasedQueue = LeasedQueue {
    table: "deliveries",
};
/// Rows one worker claims at a time: small enough that a kill leaves few rows leased and
/// that workers share a short digest, large enough to keep claims cheap.
const BATCH: i64 = 16;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Some rows were worked on; there may be more.
    Worked,
    /// Nothing is due.
    Idle,
    /// The mail server could not be reached; the rows keep their place.
    Unreachable,
}

struct Claimed {
    id: i64,
    digest_id: i64,
    subscriber_id: i64,
    attempts: i64,
}

struct Reader {
    email: String,
    name: Option<String>,
    deliverable: bool,
}

/// Digests rendered once per worker, by id.
#[derive(Default)]
pub struct ContentCache(HashMap<i64, Arc<DigestContent>>);

#[derive(Default)]
struct Outcomes {
    sent: Vec<i64>,
    cancelled: Vec<i64>,
}

/// Claims one batch and delivers it.
pub async fn deliver_next(
    state: &AppState,
    cache: &mut ContentCache,
    mut session: Option<&mut SmtpSession>,
) -> anyhow::Result<Step> {
    let now = db::now();
    let rows = QUEUE
        .claim(
            &state.db,
            now,
            state.settings.mail.lease_secs as Millis * 1000,
            BATCH,
            "id, digest_id, subscriber_id, attempts",
        )
        .await?;
    if rows.is_empty() {
        return Ok(Step::Idle);
    }
    let claimed = rows
        .iter()
        .map(|row| {
            Ok(Claimed {
                id: row.try_get("id")?,
                digest_id: row.try_get("digest_id")?,
                subscriber_id: row.try_get("subscriber_id")?,
                attempts: row.try_get("attempts")?,
            })
        })
        .collect::<sqlx::Result<Vec<_>>>()?;
    let readers = load_readers(state, &claimed).await?;
    let cancelled = cancelled_digests(state, &claimed).await?;
    let mut outcomes = Outcomes::default();
    let mut step = Step::Worked;
    for (index, row) in claimed.iter().enumerate() {
        let reader = readers.get(&row.subscriber_id).filter(|r| r.deliverable);
        let Some(reader) = reader.filter(|_| !cancelled.contains(&row.digest_id)) else {
            // Unsubscribed, bounced or erased since the digest was made, or the digest was
            // cancelled while this row was in flight.
            outcomes.cancelled.push(row.id);
            continue;
        };
        let content = content::get(state, cache, row.digest_id).await?;
        let email = personalise(state, &content, row, reader)?;
        match state.mailer.send_via(session.as_deref_mut(), email).await {
            Ok(_) => {
                state.metrics.sent.inc();
                outcomes.sent.push(row.id);
            }
            Err(MailError::Unreachable(reason)) => {
                tracing::warn!(%reason, "mail server unreachable; deliveries keep their place");
                state.metrics.retried.inc();
                // This row and the rest of the batch go back, no attempt used.
                let later = db::now() + state.settings.mail.retry_base_ms as Millis;
                for rest in &claimed[index..] {
                    QUEUE
                        .retry_later(&state.db, rest.id, later, &reason, false)
                        .await?;
                }
                step = Step::Unreachable;
                break;
            }
            Err(err) => record_failure(state, row, err).await?,
        }
    }
    let now = db::now();
    QUEUE
        .finish(&state.db, &outcomes.sent, "sent", None, now)
        .await?;
    QUEUE
        .finish(&state.db, &outcomes.cancelled, "cancelled", None, now)
        .await?;
    Ok(step)
}

async fn record_failure(state: &AppState, row: &Claimed, err: MailError) -> anyhow::Result<()> {
    let mail = &state.settings.mail;
    let now = db::now();
    match err {
        MailError::Temporary(reply) if row.attempts + 1 < i64::from(mail.max_attempts) => {
            state.metrics.retried.inc();
            let at = now
                + backoff(mail.retry_base_ms, mail.retry_max_ms, row.attempts as u32).as_millis()
                    as Millis;
            QUEUE
                .retry_later(&state.db, row.id, at, &reply, true)
                .await?;
        }
        err => {
            state.metrics.failed.inc();
            let reply = err.to_string();
            if is_no_such_user(&reply) {
                mark_bounced(state, row.subscriber_id, now).await?;
                tracing::info!(
                    subscriber_id = row.subscriber_id,
                    "address bounced; suppressed"
                );
            }
            tracing::warn!(delivery_id = row.id, subscriber_id = row.subscriber_id, %reply, "delivery failed");
            QUEUE
                .finish(&state.db, &[row.id], "failed", Some(&reply), now)
                .await?;
        }
    }
    Ok(())
}

/// RFC 3463 5.1.x: the address itself is bad (no such user, bad domain...).
fn is_no_such_user(reply: &str) -> bool {
    reply.contains("permanent") && reply.contains(" 5.1.")
}

async fn mark_bounced(state: &AppState, subscriber_id: i64, now: Millis) -> sqlx::Result<()> {
    sqlx::query("update subscribers set bounced_at = $2 where id = $1")
        .bind(subscriber_id)
        .bind(now)
        .execute(&state.db.pool)
        .await
        .map(|_| ())
}

/// Which of the batch's digests were cancelled. Checked at every claim: a row in flight when
/// its digest was cancelled may have gone back to `pending` after a failed try.
async fn cancelled_digests(state: &AppState, claimed: &[Claimed]) -> sqlx::Result<Vec<i64>> {
    let mut ids: Vec<i64> = claimed.iter().map(|c| c.digest_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let placeholders: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "select id from digests where status = 'cancelled' and id in ({})",
        placeholders.join(", ")
    );
    let mut query = sqlx::query_scalar(&sql);
    for id in &ids {
        query = query.bind(id);
    }
    query.fetch_all(&state.db.pool).await
}

async fn load_readers(state: &AppState, claimed: &[Claimed]) -> sqlx::Result<HashMap<i64, Reader>> {
    let placeholders: Vec<String> = (1..=claimed.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "select id, email, name, status, bounced_at from subscribers where id in ({})",
        placeholders.join(", ")
    );
    let mut query = sqlx::query(&sql);
    for row in claimed {
        query = query.bind(row.subscriber_id);
    }
    let rows = query.fetch_all(&state.db.pool).await?;
    rows.iter()
        .map(|row| {
            let status: String = row.try_get("status")?;
            let bounced: Option<Millis> = row.try_get("bounced_at")?;
            Ok((
                row.try_get("id")?,
                Reader {
                    email: row.try_get("email")?,
                    name: row.try_get("name")?,
                    deliverable: status == "confirmed" && bounced.is_none(),
                },
            ))
        })
        .collect()
}

fn personalise(
    state: &AppState,
    content: &DigestContent,
    row: &Claimed,
    reader: &Reader,
) -> anyhow::Result<OutgoingEmail> {
    let address = EmailAddress::parse(&reader.email, false)
        .map_err(|e| anyhow::anyhow!("stored address no longer parses: {e}"))?;
    let unsubscribe_url = unsubscribe::url(state, row.subscriber_id, row.digest_id);
    let (text, html) = content.personalise(reader.name.as_deref(), &unsubscribe_url)?;
    Ok(OutgoingEmail {
        to: Mailbox::new(reader.name.clone(), address.ascii().parse()?),
        subject: content.subject.clone(),
        text,
        html,
        // The same reader and digest always give the same Message-ID, so a copy sent twice
        // after a crash is recognisable as a duplicate.
        message_id: Some(format!(
            "digest-{}.reader-{}",
            row.digest_id, row.subscriber_id
        )),
        list: Some(ListHeaders {
            list_id: format!("<digest.{}>", state.mailer.domain()),
            unsubscribe_url,
            unsubscribe_mailto: state
                .settings
                .mail
                .unsubscribe_mailto
                .clone()
                .filter(|m| !m.is_empty()),
        }),
    })
}

/// Runs the workers until shutdown; each finishes the batch in hand before it stops.
pub async fn run(state: AppState, shutdown: CancellationToken) {
    let workers: Vec<_> = (0..state.settings.mail.concurrency)
        .map(|_| tokio::spawn(work(state.clone(), shutdown.clone())))
        .collect();
    for worker in workers {
        if let Err(err) = worker.await {
            tracing::error!(error = %err, "delivery worker panicked");
        }
    }
    tracing::info!("delivery workers stopped");
}

async fn work(state: AppState, shutdown: CancellationToken) {
    let mail = &state.settings.mail;
    let poll = Duration::from_millis(mail.poll_interval_ms);
    let mut cache = ContentCache::default();
    let mut session = state.mailer.session();
    let mut outage: u32 = 0;
    while !shutdown.is_cancelled() {
        let wait = match deliver_next(&state, &mut cache, session.as_mut()).await {
            Ok(Step::Worked) => {
                outage = 0;
                continue;
            }
            Ok(Step::Unreachable) => {
                outage = outage.saturating_add(1);
                backoff(mail.retry_base_ms, mail.retry_max_ms, outage - 1)
            }
            Ok(Step::Idle) => poll,
            Err(err) => {
                tracing::error!(error = ?err, "delivery step failed");
                poll
            }
        };
        tokio::select! {
            _ = state.delivery_wake.notified(), if outage == 0 => {}
            _ = tokio::time::sleep(wait) => {}
            _ = shutdown.cancelled() => {}
        }
    }
    if let Some(session) = session.as_mut() {
        session.close().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_5_1_x_replies_count_as_bounces() {
        assert!(is_no_such_user(
            "permanent failure: permanent error (550): 5.1.1 no such user"
        ));
        assert!(!is_no_such_user(
            "permanent failure: permanent error (552): 5.2.2 mailbox full"
        ));
        assert!(!is_no_such_user(
            "temporary failure: transient error (451): 5.1.1 odd"
        ));
    }
}
