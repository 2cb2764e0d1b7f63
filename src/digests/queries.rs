//! SQL for `digests`, `digest_articles` and the recipient snapshot in `deliveries`.

use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

use std::collections::HashMap;

use super::{Audience, Composition};
use crate::bounces::{self, BounceCounts, DigestBounces};
use crate::db::{self, Backend, Millis, Tx};
use crate::delivery;
use crate::i18n::Locale;
use crate::newsletters::Cadence;

/// Digest creation reads "articles in no digest yet" and then writes: one at a time, or two
/// could take the same articles. SQLite's BEGIN IMMEDIATE already serialises writers.
pub async fn lock_creation(tx: &mut Tx<'_>, backend: Backend) -> sqlx::Result<()> {
    if backend == Backend::Postgres {
        sqlx::query("select pg_advisory_xact_lock(7469646967657374)") // "tidigest"
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// A digest about to be written: for one group of the audience's readers, in their locale.
pub struct NewDigest<'a> {
    pub audience: &'a Audience,
    /// The first digest of the same send; `None` for that first one (its own edition).
    pub edition: Option<i64>,
    pub locale: Locale,
    pub subject: &'a str,
    pub composition: &'a Composition,
    pub created_by: &'a str,
}

pub async fn insert_digest(
    tx: &mut Tx<'_>,
    digest: &NewDigest<'_>,
    now: Millis,
) -> sqlx::Result<i64> {
    let composition = digest.composition;
    let id: i64 = sqlx::query_scalar(
        "insert into digests (subject, preview_text, intro, lead_article_id, status, created_by,
                              created_at, newsletter_id, cadence, edition_id, locale)
         values ($1, $2, $3, $4, 'queued', $5, $6, $7, $8, $9, $10)
         returning id",
    )
    .bind(digest.subject)
    .bind(&composition.preview_text)
    .bind(&composition.intro)
    .bind(composition.lead_article_id)
    .bind(digest.created_by)
    .bind(now)
    .bind(digest.audience.newsletter.id)
    .bind(digest.audience.cadence.as_str())
    .bind(digest.edition)
    .bind(digest.locale.tag())
    .fetch_one(&mut **tx)
    .await?;
    if digest.edition.is_none() {
        sqlx::query("update digests set edition_id = id where id = $1")
            .bind(id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(id)
}

pub async fn insert_articles(
    tx: &mut Tx<'_>,
    digest_id: i64,
    article_ids: &[i64],
) -> sqlx::Result<()> {
    for (position, article_id) in article_ids.iter().enumerate() {
        sqlx::query(
            "insert into digest_articles (digest_id, article_id, position) values ($1, $2, $3)",
        )
        .bind(digest_id)
        .bind(article_id)
        .bind(position as i64)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// One pending delivery of the digest per reader listed.
pub async fn insert_recipients(
    tx: &mut Tx<'_>,
    digest_id: i64,
    subscriber_ids: &[i64],
    now: Millis,
) -> sqlx::Result<u64> {
    let mut inserted = 0;
    // $1 digest, $2 now, then one parameter per reader: well under every bind limit.
    for chunk in subscriber_ids.chunks(1000) {
        let values = db::rows_per_id(3, chunk.len(), |id| format!("($1, {id}, 'pending', $2)"));
        let sql = format!(
            "insert into deliveries (digest_id, subscriber_id, status, next_attempt_at)
             values {values}"
        );
        let mut query = sqlx::query(&sql).bind(digest_id).bind(now);
        for id in chunk {
            query = query.bind(id);
        }
        inserted += query.execute(&mut **tx).await?.rows_affected();
    }
    Ok(inserted)
}

/// PostgreSQL plans the send engine's claims from the deliveries table's statistics. Taken
/// when the table was empty (a new list's first digest), they describe one row, and the
/// planner then sorts every pending row under the claim's row locks: 200 ms a claim at 100,000
/// readers, with the outcomes of other lanes waiting on those locks (the send ran at half its
/// speed, and one claim in the older form ran for minutes). Autovacuum would analyse the table
/// within a minute or so, where it runs; a digest that adds more than a tenth of the table does
/// it at once (about 50 ms for 500,000 rows; the sample is a fixed size).
pub async fn refresh_statistics(tx: &mut Tx<'_>, backend: Backend, added: u64) -> sqlx::Result<()> {
    if backend != Backend::Postgres || added < 1000 {
        return Ok(());
    }
    let estimated: i64 = sqlx::query_scalar(
        "select greatest(reltuples, 0)::bigint from pg_class where oid = 'deliveries'::regclass",
    )
    .fetch_one(&mut **tx)
    .await?;
    if added as i64 > estimated / 10 {
        sqlx::query("analyze deliveries").execute(&mut **tx).await?;
    }
    Ok(())
}

pub async fn set_recipients(tx: &mut Tx<'_>, digest_id: i64, recipients: u64) -> sqlx::Result<()> {
    sqlx::query("update digests set recipients = $2 where id = $1")
        .bind(digest_id)
        .bind(i64::try_from(recipients).unwrap_or(i64::MAX))
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

/// Which of these articles (as bits, in the order given) each reader has had, or is about to
/// get, in any digest: from their deliveries, not cancelled or failed, and the digests'
/// articles. Readers who had none are absent.
pub async fn had_before(tx: &mut Tx<'_>, article_ids: &[i64]) -> sqlx::Result<HashMap<i64, u64>> {
    let mut had: HashMap<i64, u64> = HashMap::new();
    if article_ids.is_empty() {
        return Ok(had);
    }
    let sql = format!(
        "select d.subscriber_id, da.article_id
         from digest_articles da join deliveries d on d.digest_id = da.digest_id
         where da.article_id in ({}) and d.status in ('pending', 'sending', 'sent')",
        db::placeholders(1, article_ids.len())
    );
    let mut query = sqlx::query_as::<_, (i64, i64)>(&sql);
    for id in article_ids {
        query = query.bind(id);
    }
    let bit: HashMap<i64, u64> = article_ids
        .iter()
        .enumerate()
        .map(|(i, id)| (*id, 1u64 << i))
        .collect();
    let mut rows = query.fetch(&mut **tx);
    while let Some((reader, article)) = futures_util::TryStreamExt::try_next(&mut rows).await? {
        *had.entry(reader).or_default() |= bit.get(&article).copied().unwrap_or(0);
    }
    Ok(had)
}

/// `had_before` for one reader: which of these articles (as bits, in the order given) they
/// have had, or are about to get.
pub async fn had_before_by(
    conn: &mut sqlx::AnyConnection,
    subscriber_id: i64,
    article_ids: &[i64],
) -> sqlx::Result<u64> {
    if article_ids.is_empty() {
        return Ok(0);
    }
    let sql = format!(
        "select distinct da.article_id
         from deliveries d join digest_articles da on da.digest_id = d.digest_id
         where d.subscriber_id = $1 and d.status in ('pending', 'sending', 'sent')
           and da.article_id in ({})",
        db::placeholders(2, article_ids.len())
    );
    let mut query = sqlx::query_scalar::<_, i64>(&sql).bind(subscriber_id);
    for id in article_ids {
        query = query.bind(id);
    }
    let had: Vec<i64> = query.fetch_all(&mut *conn).await?;
    Ok(article_ids
        .iter()
        .enumerate()
        .filter(|(_, id)| had.contains(id))
        .fold(0, |bits, (i, _)| bits | 1 << i))
}

/// The newsletter a digest belongs to.
pub async fn newsletter_of(
    conn: &mut sqlx::AnyConnection,
    digest_id: i64,
) -> sqlx::Result<Option<crate::newsletters::Newsletter>> {
    let id: Option<i64> = sqlx::query_scalar("select newsletter_id from digests where id = $1")
        .bind(digest_id)
        .fetch_optional(&mut *conn)
        .await?
        .flatten();
    match id {
        Some(id) => crate::newsletters::queries::find(&mut *conn, id).await,
        None => Ok(None),
    }
}

pub async fn mark_cancelled(tx: &mut Tx<'_>, digest_id: i64) -> sqlx::Result<()> {
    sqlx::query("update digests set status = 'cancelled' where id = $1")
        .bind(digest_id)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "update deliveries set status = 'cancelled' where digest_id = $1 and status = 'pending'",
    )
    .bind(digest_id)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// Where a digest's delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum DigestState {
    /// Made; nothing sent yet.
    Queued,
    Sending,
    /// Every recipient has a final outcome.
    Sent,
    Cancelled,
}

impl DigestState {
    /// Still going out: it can be cancelled, and a new send would go beside it.
    pub fn in_progress(self) -> bool {
        matches!(self, DigestState::Queued | DigestState::Sending)
    }

    pub fn is_finished(self) -> bool {
        !self.in_progress()
    }
}

impl std::fmt::Display for DigestState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            DigestState::Queued => "queued",
            DigestState::Sending => "sending",
            DigestState::Sent => "sent",
            DigestState::Cancelled => "cancelled",
        })
    }
}

/// A digest and where its delivery stands, counted from its recipients' rows.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DigestStatus {
    pub id: i64,
    pub subject: String,
    /// The newsletter (its slug) whose readers it went to.
    #[schema(example = "news")]
    pub newsletter: String,
    #[serde(skip)]
    pub newsletter_name: String,
    /// Which of its readers: those on the newsletter's own schedule, or on a cadence they chose.
    pub cadence: Cadence,
    /// The language it is written in: one send makes a digest per locale of its readers.
    #[schema(value_type = String, example = "en")]
    pub locale: Locale,
    /// `queued`, `sending`, `sent` (every recipient has a final outcome) or `cancelled`.
    pub status: DigestState,
    /// Recipients: confirmed readers when the digest was made.
    pub total: i64,
    pub sent: i64,
    /// Recipients whose delivery failed for good.
    pub failed: i64,
    /// Recipients not yet sent to (waiting, or being sent right now).
    pub pending: i64,
    pub cancelled: i64,
    /// Who asked: `token:<name>`, `editor:<email>`, `schedule` or `cli`.
    pub created_by: String,
    /// RFC 3339, UTC.
    #[schema(format = DateTime)]
    pub created_at: String,
    /// Bounces and complaints reported for this digest, as counts and as shares of the
    /// messages it sent.
    pub bounces: DigestBounces,
    /// Readers who left through this digest's unsubscribe link (one-click or the footer).
    pub unsubscribes: i64,
}

impl DigestStatus {
    /// Share of recipients the digest went to (sent or failed), 0 to 100. Cancelled
    /// recipients never count: a digest cancelled halfway stays at its share.
    pub fn percent_done(&self) -> i64 {
        if self.total == 0 {
            100
        } else {
            (self.sent + self.failed) * 100 / self.total
        }
    }
}

/// The digests in `digests` (a table or a subquery) with their deliveries counted by state.
///
/// One range count per state from the (digest_id, status) index, and the recipients stored
/// with the digest: sent is what is left of them, so the hundreds of thousands of sent rows
/// are never counted (the few failed, pending and cancelled ones are). A join grouped by
/// digest sorted every delivery of the digests shown instead: 2.9 s for three digests of
/// 870,000 readers on SQLite. Digests made before `recipients` existed count every row
/// (`coalesce` evaluates its second argument only when the first is null). A digest written
/// without a newsletter is the default's (id 1, as migration 0014 made every earlier one).
fn status_select(digests: &str) -> String {
    let count = |states: &str| {
        format!(
            "(select count(*) from deliveries l where l.digest_id = d.id and l.status in ({states}))"
        )
    };
    format!(
        "select d.id, d.subject, d.status, d.created_by, d.created_at, d.cadence, d.locale,
            n.slug as newsletter, n.name as newsletter_name,
            coalesce(d.recipients, {}) as total,
            {} as failed, {} as pending, {} as in_flight, {} as cancelled
         from {digests} d join newsletters n on n.id = coalesce(d.newsletter_id, 1)",
        count("'pending', 'sending', 'sent', 'failed', 'cancelled'"),
        count("'failed'"),
        count("'pending', 'sending'"),
        count("'sending'"),
        count("'cancelled'"),
    )
}

fn status_from_row(row: &AnyRow) -> sqlx::Result<DigestStatus> {
    let stored: String = row.try_get("status")?;
    let (total, failed, pending, in_flight, cancelled): (i64, i64, i64, i64, i64) = (
        row.try_get("total")?,
        row.try_get("failed")?,
        row.try_get("pending")?,
        row.try_get("in_flight")?,
        row.try_get("cancelled")?,
    );
    // Every delivery is in one of these states (the table's check constraint).
    let sent = total - failed - pending - cancelled;
    // The stored status only says whether the digest was cancelled; the rest is counted.
    let status = if stored == "cancelled" {
        DigestState::Cancelled
    } else if pending == 0 {
        DigestState::Sent
    } else if sent + failed + in_flight > 0 || pending < total {
        DigestState::Sending
    } else {
        DigestState::Queued
    };
    let cadence: String = row.try_get("cadence")?;
    Ok(DigestStatus {
        id: row.try_get("id")?,
        subject: row.try_get("subject")?,
        newsletter: row.try_get("newsletter")?,
        newsletter_name: row.try_get("newsletter_name")?,
        cadence: Cadence::parse(&cadence).unwrap_or(Cadence::Scheduled),
        locale: Locale::from_stored(&row.try_get::<String, _>("locale")?),
        status,
        total,
        sent,
        failed,
        pending,
        cancelled,
        created_by: row.try_get("created_by")?,
        created_at: crate::db::format_time(row.try_get("created_at")?),
        bounces: DigestBounces::new(BounceCounts::default(), 0),
        unsubscribes: 0,
    })
}

/// Fills in each digest's bounce figures and unsubscribes.
pub(super) async fn with_reports(
    pool: &AnyPool,
    mut digests: Vec<DigestStatus>,
) -> sqlx::Result<Vec<DigestStatus>> {
    let ids: Vec<i64> = digests.iter().map(|d| d.id).collect();
    let counts = bounces::counts_for_digests(pool, &ids).await?;
    let unsubscribes = delivery::unsubscribes_for_digests(pool, &ids).await?;
    for digest in &mut digests {
        let count = counts.get(&digest.id).copied().unwrap_or_default();
        digest.bounces = DigestBounces::new(count, digest.sent + digest.failed);
        digest.unsubscribes = unsubscribes.get(&digest.id).copied().unwrap_or_default();
    }
    Ok(digests)
}

pub async fn find_status(pool: &AnyPool, id: i64) -> sqlx::Result<Option<DigestStatus>> {
    let Some(status) = find_counts(pool, id).await? else {
        return Ok(None);
    };
    Ok(with_reports(pool, vec![status]).await?.pop())
}

/// The digest with its deliveries counted, without its bounces and unsubscribes
/// (`with_reports` adds them).
pub(super) async fn find_counts(pool: &AnyPool, id: i64) -> sqlx::Result<Option<DigestStatus>> {
    let row = sqlx::query(&format!("{} where d.id = $1", status_select("digests")))
        .bind(id)
        .fetch_optional(pool)
        .await?;
    row.as_ref().map(status_from_row).transpose()
}

pub async fn list_recent(pool: &AnyPool, limit: i64) -> sqlx::Result<Vec<DigestStatus>> {
    // The newest digests first, then their deliveries: only theirs are counted.
    let rows = sqlx::query(&format!(
        "{} order by d.id desc",
        status_select("(select * from digests order by id desc limit $1)")
    ))
    .bind(limit)
    .fetch_all(pool)
    .await?;
    let statuses = rows
        .iter()
        .map(status_from_row)
        .collect::<sqlx::Result<_>>()?;
    with_reports(pool, statuses).await
}

/// Which of these digests were cancelled.
pub async fn cancelled_among(pool: &AnyPool, ids: &[i64]) -> sqlx::Result<Vec<i64>> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders = db::placeholders(1, ids.len());
    let sql = format!(
        "select id from digests where status = 'cancelled' and id in ({})",
        placeholders
    );
    let mut query = sqlx::query_scalar(&sql);
    for id in &ids {
        query = query.bind(id);
    }
    query.fetch_all(pool).await
}

/// Whether a digest (`d`) holds its articles: it is going out or went out, or, cancelled,
/// it had already reached someone.
pub const HOLDS_ARTICLES: &str = "(d.status <> 'cancelled'
     or exists (select 1 from deliveries l where l.digest_id = d.id and l.status = 'sent'))";

/// The digests that hold each of these articles (`HOLDS_ARTICLES`), oldest first.
pub async fn digests_containing(
    pool: &AnyPool,
    article_ids: &[i64],
) -> sqlx::Result<std::collections::HashMap<i64, Vec<i64>>> {
    let mut found: std::collections::HashMap<i64, Vec<i64>> = std::collections::HashMap::new();
    if article_ids.is_empty() {
        return Ok(found);
    }
    let sql = format!(
        "select da.article_id, da.digest_id from digest_articles da
         join digests d on d.id = da.digest_id
         where {HOLDS_ARTICLES} and da.article_id in ({})
         order by da.digest_id",
        db::placeholders(1, article_ids.len())
    );
    let mut query = sqlx::query(&sql);
    for id in article_ids {
        query = query.bind(id);
    }
    for row in query.fetch_all(pool).await? {
        found
            .entry(row.try_get("article_id")?)
            .or_default()
            .push(row.try_get("digest_id")?);
    }
    Ok(found)
}

pub async fn exists(tx: &mut Tx<'_>, id: i64) -> sqlx::Result<bool> {
    let found: Option<i64> = sqlx::query_scalar("select id from digests where id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(found.is_some())
}

/// A digest as the public archive shows it.
#[derive(Debug, Clone)]
pub struct Published {
    pub id: i64,
    pub subject: String,
    pub created_at: Millis,
}

/// Digests that went out: not cancelled, and sent to at least one reader. Newest first.
const PUBLISHED: &str = "select d.id, d.subject, d.created_at from digests d
     where d.status <> 'cancelled'
       and exists (select 1 from deliveries l where l.digest_id = d.id and l.status = 'sent')";

fn published(row: &AnyRow) -> sqlx::Result<Published> {
    Ok(Published {
        id: row.try_get("id")?,
        subject: row.try_get("subject")?,
        created_at: row.try_get("created_at")?,
    })
}

/// The latest editions: of the digests one send made for different topic choices, the first.
pub async fn list_published(pool: &AnyPool, limit: i64) -> sqlx::Result<Vec<Published>> {
    let rows = sqlx::query(&format!(
        "{PUBLISHED} and (d.edition_id is null or d.edition_id = d.id)
         order by d.id desc limit $1"
    ))
    .bind(limit)
    .fetch_all(pool)
    .await?;
    rows.iter().map(published).collect()
}

pub async fn find_published(pool: &AnyPool, id: i64) -> sqlx::Result<Option<Published>> {
    let row = sqlx::query(&format!("{PUBLISHED} and d.id = $1"))
        .bind(id)
        .fetch_optional(pool)
        .await?;
    row.as_ref().map(published).transpose()
}

/// What the digest was composed with (its subject always set).
pub async fn get_composition(pool: &AnyPool, id: i64) -> sqlx::Result<Composition> {
    let row = sqlx::query(
        "select subject, preview_text, intro, lead_article_id from digests where id = $1",
    )
    .bind(id)
    .fetch_one(pool)
    .await?;
    Ok(Composition {
        subject: row.try_get("subject")?,
        preview_text: row.try_get("preview_text")?,
        intro: row.try_get("intro")?,
        lead_article_id: row.try_get("lead_article_id")?,
    })
}

/// The locale a digest is written in (every reader of it reads that locale). One stored
/// before a locale stopped being shipped reads as English.
pub async fn locale_of(pool: &AnyPool, id: i64) -> sqlx::Result<Locale> {
    let tag: String = sqlx::query_scalar("select locale from digests where id = $1")
        .bind(id)
        .fetch_one(pool)
        .await?;
    Ok(Locale::from_stored(&tag))
}

/// One digest as it went (or is going) to one reader.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ReaderDelivery {
    pub digest_id: i64,
    pub subject: String,
    /// `pending`, `sending`, `sent`, `failed` or `cancelled`.
    pub status: String,
    pub attempts: i64,
    /// RFC 3339, UTC.
    #[schema(format = DateTime)]
    pub sent_at: Option<String>,
    /// The mail server's reply to the last failed attempt.
    pub last_error: Option<String>,
}

pub async fn deliveries_for(
    pool: &AnyPool,
    subscriber_id: i64,
) -> sqlx::Result<Vec<ReaderDelivery>> {
    let rows = sqlx::query(
        "select d.digest_id, g.subject, d.status, d.attempts, d.sent_at, d.last_error
         from deliveries d join digests g on g.id = d.digest_id
         where d.subscriber_id = $1 order by d.id",
    )
    .bind(subscriber_id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(ReaderDelivery {
                digest_id: row.try_get("digest_id")?,
                subject: row.try_get("subject")?,
                status: row.try_get("status")?,
                attempts: row.try_get("attempts")?,
                sent_at: row
                    .try_get::<Option<Millis>, _>("sent_at")?
                    .map(crate::db::format_time),
                last_error: row.try_get("last_error")?,
            })
        })
        .collect()
}
