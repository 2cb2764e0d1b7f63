//! Digest deliveries: one row per recipient of a digest (the ledger its progress is counted
//! from), and the renderer that turns claimed rows into personalised emails from the
//! digest's once-rendered content. The send engine (`workers`) claims, sends and records.
//!
//! Outcomes, as for every kind of mail: accepted -> `sent`; a 4xx reply -> retried with
//! backoff until `mail.max_attempts`, then `failed`; a 5xx reply -> `failed` at once, and a
//! 5.1.x ("no such user") also marks the reader bounced so no later digest goes there;
//! server unreachable -> the row keeps its place without using an attempt.

mod content;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use futures_util::future::BoxFuture;
use lettre::message::Mailbox;
use sqlx::Row;

use crate::bounces;
use crate::db::{Backend, Db, Millis, Tx};
use crate::digests::{self, DigestContent, Personal};
use crate::mail::{ListHeaders, OutgoingEmail};
use crate::newsletters::Newsletter;
use crate::queue::{Job, Kind, LeasedQueue, NotMade, Rendered, Renderer, RowStatus};
use crate::state::AppState;
use crate::subscribers::{self, EmailAddress, Reader};
use crate::unsubscribe;

pub const QUEUE: LeasedQueue = LeasedQueue {
    table: "deliveries",
    nothing_to_send: RowStatus::Cancelled,
};

/// Claims up to `limit` due deliveries for `lease_ms`.
pub async fn claim(
    tx: &mut Tx<'_>,
    now: Millis,
    lease_ms: Millis,
    limit: i64,
) -> anyhow::Result<Vec<Job>> {
    QUEUE
        .claim(tx, now, lease_ms, limit, "digest_id", |row| {
            Ok((Kind::Digest, Some(row.try_get("digest_id")?)))
        })
        .await
}

/// Digest emails, for the send engine: each digest's shared part is rendered once per
/// process and kept while it is being sent.
#[derive(Default)]
pub struct DigestEmails {
    contents: Mutex<HashMap<i64, Rendering>>,
}

/// A digest's shared part, and the newsletter it belongs to (its List-Id, its From name).
#[derive(Clone)]
struct Rendering {
    content: Arc<DigestContent>,
    newsletter: Arc<Newsletter>,
}

impl Renderer for DigestEmails {
    fn render<'a>(&'a self, state: &'a AppState, jobs: &'a [Job]) -> BoxFuture<'a, Vec<Rendered>> {
        Box::pin(async move {
            match self.render_all(state, jobs).await {
                Ok(rendered) => rendered,
                // The readers or the digests could not be read: every row keeps its place.
                Err(err) => jobs
                    .iter()
                    .map(|_| Rendered::NotNow(format!("{err:#}")))
                    .collect(),
            }
        })
    }
}

impl DigestEmails {
    async fn render_all(&self, state: &AppState, jobs: &[Job]) -> anyhow::Result<Vec<Rendered>> {
        let subscriber_ids: Vec<i64> = jobs.iter().filter_map(|j| j.subscriber_id).collect();
        let policy = &state.settings.policy;
        let readers = subscribers::find_readers(&state.db.pool, &subscriber_ids, policy).await?;
        let digest_ids: Vec<i64> = jobs.iter().filter_map(|j| j.digest_id).collect();
        // Checked at every claim: a row in flight when its digest was cancelled may have gone
        // back to `pending` after a failed try.
        let cancelled = digests::queries::cancelled_among(&state.db.pool, &digest_ids).await?;
        let mut rendered = Vec::with_capacity(jobs.len());
        for job in jobs {
            let digest_id = job.digest_id.unwrap_or_default();
            let recipient = job
                .subscriber_id
                .and_then(|id| Some((id, readers.get(&id)?)))
                .filter(|(_, reader)| reader.deliverable)
                .filter(|_| !cancelled.contains(&digest_id));
            let Some((subscriber_id, reader)) = recipient else {
                // Unsubscribed, bounced or erased since the digest was made, or the digest
                // was cancelled while this row was in flight.
                rendered.push(Rendered::NothingToSend);
                continue;
            };
            let made = match self.content(state, digest_id).await {
                Ok(rendering) => personalise(state, &rendering, digest_id, subscriber_id, reader),
                Err(err) => Err(err),
            };
            rendered.push(match made {
                Ok(email) => Rendered::Email {
                    email: Box::new(email),
                    notices: reader.policy_notice_due.then_some(subscriber_id),
                },
                Err(NotMade::Impossible(why)) => Rendered::Impossible(why),
                Err(NotMade::NotNow(err)) => Rendered::NotNow(format!("{err:#}")),
            });
        }
        Ok(rendered)
    }

    async fn content(&self, state: &AppState, digest_id: i64) -> Result<Rendering, NotMade> {
        if let Some(rendering) = self.contents.lock().expect("not poisoned").get(&digest_id) {
            return Ok(rendering.clone());
        }
        let newsletter = newsletter_of(&state.db, digest_id).await?;
        let rendering = Rendering {
            content: Arc::new(content::render(state, digest_id, &newsletter).await?),
            newsletter: Arc::new(newsletter),
        };
        let mut contents = self.contents.lock().expect("not poisoned");
        // Digests finish; keep the cache from growing without bound in a long-lived process.
        // One send of several newsletters and topic choices can be many digests at once.
        if contents.len() > 256 {
            contents.clear();
        }
        contents.insert(digest_id, rendering.clone());
        Ok(rendering)
    }
}

async fn newsletter_of(db: &Db, digest_id: i64) -> Result<Newsletter, NotMade> {
    let mut conn = db.pool.acquire().await.map_err(NotMade::from)?;
    let newsletter = digests::queries::newsletter_of(&mut conn, digest_id).await?;
    newsletter.ok_or_else(|| NotMade::Impossible(format!("digest {digest_id} has no newsletter")))
}

fn personalise(
    state: &AppState,
    Rendering {
        content,
        newsletter,
    }: &Rendering,
    digest_id: i64,
    subscriber_id: i64,
    reader: &Reader,
) -> Result<OutgoingEmail, NotMade> {
    let address = EmailAddress::parse(&reader.email, false)
        .map_err(|e| NotMade::Impossible(format!("stored address no longer parses: {e}")))?;
    let unsubscribe_url = unsubscribe::url(state, subscriber_id, digest_id, &reader.link_secret);
    let (text, html) = content.personalise(&Personal {
        name: reader.name.as_deref(),
        unsubscribe_url: &unsubscribe_url,
        policy_notice: reader.policy_notice_due.then_some(&state.settings.policy),
    })?;
    Ok(OutgoingEmail {
        to: Mailbox::new(reader.name.clone(), address.ascii().parse()?),
        subject: content.subject.clone(),
        text,
        html,
        // The same reader and digest always give the same Message-ID, so a copy sent twice
        // after a crash is recognisable as a duplicate.
        message_id: Some(format!("digest-{digest_id}.reader-{subscriber_id}")),
        return_path: bounces::return_path(state, digest_id, subscriber_id),
        list: Some(ListHeaders {
            list_id: newsletter.list_id(state.mailer.domain()),
            unsubscribe_url,
            unsubscribe_mailto: state
                .settings
                .mail
                .unsubscribe_mailto
                .clone()
                .filter(|m| !m.is_empty()),
        }),
        attachment: None,
        from_name: newsletter.from_name.clone(),
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

/// The newest digest that went out to the reader: what a bounce report that names only the
/// address is taken to be about.
pub async fn latest_sent_to(tx: &mut Tx<'_>, subscriber_id: i64) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(
        "select max(digest_id) from deliveries where subscriber_id = $1 and status = 'sent'",
    )
    .bind(subscriber_id)
    .fetch_one(&mut **tx)
    .await
}

/// The reader gets nothing more from digests already queued (they unsubscribed).
pub async fn cancel_pending_for(tx: &mut Tx<'_>, subscriber_id: i64) -> sqlx::Result<()> {
    sqlx::query("update deliveries set status = 'cancelled' where subscriber_id = $1 and status = 'pending'")
        .bind(subscriber_id)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

/// The reader left one newsletter: nothing more from its digests already queued.
pub async fn cancel_pending_for_newsletter(
    tx: &mut Tx<'_>,
    subscriber_id: i64,
    newsletter_id: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "update deliveries set status = 'cancelled'
         where subscriber_id = $1 and status = 'pending'
           and digest_id in (select id from digests where newsletter_id = $2)",
    )
    .bind(subscriber_id)
    .bind(newsletter_id)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// The reader left through the unsubscribe link of this digest: its count of unsubscribes
/// (`unsubscribes_for_digests`) takes them in. The first departure counts, not a repeat.
pub async fn mark_unsubscribed_from(
    tx: &mut Tx<'_>,
    digest_id: i64,
    subscriber_id: i64,
    now: Millis,
) -> sqlx::Result<()> {
    sqlx::query(
        "update deliveries set unsubscribed_at = $3
         where digest_id = $1 and subscriber_id = $2 and unsubscribed_at is null",
    )
    .bind(digest_id)
    .bind(subscriber_id)
    .bind(now)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// How many readers each digest's unsubscribe link made leave (digests with none are absent).
pub async fn unsubscribes_for_digests(
    pool: &sqlx::AnyPool,
    digest_ids: &[i64],
) -> sqlx::Result<HashMap<i64, i64>> {
    if digest_ids.is_empty() {
        return Ok(Default::default());
    }
    // From the partial index on unsubscribed rows: a digest's other deliveries are not read.
    let sql = format!(
        "select digest_id, count(*) as readers from deliveries
         where unsubscribed_at is not null and digest_id in ({}) group by digest_id",
        crate::db::placeholders(1, digest_ids.len())
    );
    let mut query = sqlx::query_as::<_, (i64, i64)>(&sql);
    for id in digest_ids {
        query = query.bind(id);
    }
    Ok(query.fetch_all(pool).await?.into_iter().collect())
}

/// Erasure: the reader's rows stay (so the digest's counts stay true) but lose everything
/// that names them, their id and replies quoting the address included; what had not gone
/// out never will. Call before deleting the reader, in the same transaction.
///
/// On PostgreSQL no foreign key does this (migration 0017 dropped the keys that made every
/// digest's insert lock each reader's row), so the digest-creation lock is taken first: a
/// digest being made waits to commit its list of readers, or waits for the erasure, and
/// cannot list the reader after their rows were cleared.
pub async fn forget_reader(
    tx: &mut Tx<'_>,
    backend: Backend,
    subscriber_id: i64,
) -> sqlx::Result<()> {
    digests::lock_creation(tx, backend).await?;
    sqlx::query(
        "update deliveries set last_error = null, subscriber_id = null,
             status = case when status = 'pending' then 'cancelled' else status end
         where subscriber_id = $1",
    )
    .bind(subscriber_id)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}
