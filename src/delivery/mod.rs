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

use crate::db::{self, Millis, Tx};
use crate::digests::{self, DigestContent, Personal};
use crate::mail::{ListHeaders, MailError, OutgoingEmail, SmtpSession};
use crate::queue::{LeasedQueue, backoff};
use crate::state::AppState;
use crate::subscribers::{self, EmailAddress, Reader};
use crate::unsubscribe;
use crate::{consent, telemetry};

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
    /// `None` once the reader was erased (a row that was in flight then).
    subscriber_id: Option<i64>,
    attempts: i64,
}

/// Digests rendered once per worker, by id.
#[derive(Default)]
pub struct ContentCache(HashMap<i64, Arc<DigestContent>>);

#[derive(Default)]
struct Outcomes {
    sent: Vec<i64>,
    cancelled: Vec<i64>,
    /// Readers whose email carried the notice of a policy change.
    noticed: Vec<i64>,
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
    let subscriber_ids: Vec<i64> = claimed.iter().filter_map(|c| c.subscriber_id).collect();
    let policy = &state.settings.policy;
    let readers = subscribers::find_readers(&state.db.pool, &subscriber_ids, policy).await?;
    let digest_ids: Vec<i64> = claimed.iter().map(|c| c.digest_id).collect();
    // Checked at every claim: a row in flight when its digest was cancelled may have gone
    // back to `pending` after a failed try.
    let cancelled = digests::queries::cancelled_among(&state.db.pool, &digest_ids).await?;
    let mut outcomes = Outcomes::default();
    let mut step = Step::Worked;
    for (index, row) in claimed.iter().enumerate() {
        let recipient = row
            .subscriber_id
            .and_then(|id| Some((id, readers.get(&id)?)))
            .filter(|(_, reader)| reader.deliverable);
        let Some((subscriber_id, reader)) =
            recipient.filter(|_| !cancelled.contains(&row.digest_id))
        else {
            // Unsubscribed, bounced or erased since the digest was made, or the digest was
            // cancelled while this row was in flight.
            outcomes.cancelled.push(row.id);
            continue;
        };
        let content = content::get(state, cache, row.digest_id).await?;
        let notice = reader.policy_notice_due;
        let email = personalise(
            state,
            &content,
            row.digest_id,
            subscriber_id,
            reader,
            notice,
        )?;
        match state.mailer.send_via(session.as_deref_mut(), email).await {
            Ok(_) => {
                state.metrics.sent.inc();
                outcomes.sent.push(row.id);
                if notice {
                    outcomes.noticed.push(subscriber_id);
                }
            }
            Err(MailError::Unreachable(reason)) => {
                tracing::warn!(
                    reason = telemetry::redact(&reason),
                    "mail server unreachable; deliveries keep their place"
                );
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
            Err(err) => record_failure(state, row, subscriber_id, err).await?,
        }
    }
    let now = db::now();
    QUEUE
        .finish(&state.db, &outcomes.sent, "sent", None, now)
        .await?;
    QUEUE
        .finish(&state.db, &outcomes.cancelled, "cancelled", None, now)
        .await?;
    consent::record_notices(
        &state.db.pool,
        &outcomes.noticed,
        &policy.privacy_version,
        &policy.terms_version,
        now,
    )
    .await?;
    Ok(step)
}

async fn record_failure(
    state: &AppState,
    row: &Claimed,
    subscriber_id: i64,
    err: MailError,
) -> anyhow::Result<()> {
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
                subscribers::mark_bounced(&state.db.pool, subscriber_id, now).await?;
                tracing::info!(subscriber_id, "address bounced; suppressed");
            }
            tracing::warn!(
                delivery_id = row.id,
                subscriber_id,
                reply = telemetry::redact(&reply),
                "delivery failed"
            );
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

fn personalise(
    state: &AppState,
    content: &DigestContent,
    digest_id: i64,
    subscriber_id: i64,
    reader: &Reader,
    policy_notice: bool,
) -> anyhow::Result<OutgoingEmail> {
    let address = EmailAddress::parse(&reader.email, false)
        .map_err(|e| anyhow::anyhow!("stored address no longer parses: {e}"))?;
    let unsubscribe_url = unsubscribe::url(state, subscriber_id, digest_id, &reader.link_secret);
    let (text, html) = content.personalise(&Personal {
        name: reader.name.as_deref(),
        unsubscribe_url: &unsubscribe_url,
        policy_notice: policy_notice.then_some(&state.settings.policy),
    })?;
    Ok(OutgoingEmail {
        to: Mailbox::new(reader.name.clone(), address.ascii().parse()?),
        subject: content.subject.clone(),
        text,
        html,
        // The same reader and digest always give the same Message-ID, so a copy sent twice
        // after a crash is recognisable as a duplicate.
        message_id: Some(format!("digest-{digest_id}.reader-{subscriber_id}")),
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
        attachment: None,
    })
}

/// Whether the reader was among the recipients of the digest.
pub async fn was_delivered(
    pool: &sqlx::AnyPool,
    digest_id: i64,
    subscriber_id: i64,
) -> sqlx::Result<bool> {
    let found: Option<i64> =
        sqlx::query_scalar("select id from deliveries where digest_id = $1 and subscriber_id = $2")
            .bind(digest_id)
            .bind(subscriber_id)
            .fetch_optional(pool)
            .await?;
    Ok(found.is_some())
}

/// The reader gets nothing more from digests already queued (they unsubscribed).
pub async fn cancel_pending_for(tx: &mut Tx<'_>, subscriber_id: i64) -> sqlx::Result<()> {
    sqlx::query("update deliveries set status = 'cancelled' where subscriber_id = $1 and status = 'pending'")
        .bind(subscriber_id)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

/// Erasure: the reader's rows stay (so the digest's counts stay true) but lose everything
/// that names them, replies quoting the address included; what had not gone out never will.
pub async fn forget_reader(tx: &mut Tx<'_>, subscriber_id: i64) -> sqlx::Result<()> {
    sqlx::query(
        "update deliveries set last_error = null,
             status = case when status = 'pending' then 'cancelled' else status end
         where subscriber_id = $1",
    )
    .bind(subscriber_id)
    .execute(&mut **tx)
    .await
    .map(|_| ())
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
                tracing::error!(
                    error = telemetry::redact(format!("{err:?}")),
                    "delivery step failed"
                );
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
