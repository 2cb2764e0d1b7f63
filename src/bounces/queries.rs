//! The `bounce_events` table.

use std::collections::HashMap;

use sqlx::{AnyPool, Row};

use super::{Kind, NewEvent};
use crate::db::{self, Millis, Tx};

/// False when an event with the same key is already on record.
pub(super) async fn insert(
    tx: &mut Tx<'_>,
    event: &NewEvent<'_>,
    now: Millis,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "insert into bounce_events (subscriber_id, digest_id, source, kind, status_code,
             diagnostic, event_key, created_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8)
         on conflict (event_key) do nothing",
    )
    .bind(event.subscriber_id)
    .bind(event.digest_id)
    .bind(event.source.as_str())
    .bind(event.kind.as_str())
    .bind(event.status_code)
    .bind(event.diagnostic.map(|d| truncate(d, 1000)))
    .bind(event.key)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

fn truncate(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        Some((at, _)) => &text[..at],
        None => text,
    }
}

/// How many of the reader's latest digests, up to and including `digest_id`, soft-bounced
/// one after another (at most `limit` are looked at).
pub(super) async fn soft_streak(
    tx: &mut Tx<'_>,
    subscriber_id: i64,
    digest_id: i64,
    limit: u32,
) -> sqlx::Result<u32> {
    let rows = sqlx::query(
        "select cast(case when exists (
                    select 1 from bounce_events b
                    where b.subscriber_id = d.subscriber_id and b.digest_id = d.digest_id
                      and b.kind = 'soft') then 1 else 0 end as bigint) as soft
         from deliveries d
         where d.subscriber_id = $1 and d.digest_id <= $2 and d.status = 'sent'
         order by d.digest_id desc
         limit $3",
    )
    .bind(subscriber_id)
    .bind(digest_id)
    .bind(i64::from(limit))
    .fetch_all(&mut **tx)
    .await?;
    let mut streak = 0;
    for row in rows {
        if row.try_get::<i64, _>("soft")? == 0 {
            break;
        }
        streak += 1;
    }
    Ok(streak)
}

/// Distinct readers per kind among a digest's events.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct BounceCounts {
    pub hard: i64,
    pub soft: i64,
    pub complaints: i64,
}

/// The counts of each of these digests that has any events.
pub async fn counts_for_digests(
    pool: &AnyPool,
    digest_ids: &[i64],
) -> sqlx::Result<HashMap<i64, BounceCounts>> {
    let mut counts: HashMap<i64, BounceCounts> = HashMap::new();
    if digest_ids.is_empty() {
        return Ok(counts);
    }
    let sql = format!(
        "select digest_id, kind, count(distinct subscriber_id) as readers from bounce_events
         where digest_id in ({}) group by digest_id, kind",
        db::placeholders(1, digest_ids.len())
    );
    let mut query = sqlx::query(&sql);
    for id in digest_ids {
        query = query.bind(id);
    }
    for row in query.fetch_all(pool).await? {
        let readers: i64 = row.try_get("readers")?;
        let entry = counts.entry(row.try_get("digest_id")?).or_default();
        match row.try_get::<String, _>("kind")?.as_str() {
            "hard" => entry.hard = readers,
            "soft" => entry.soft = readers,
            _ => entry.complaints = readers,
        }
    }
    Ok(counts)
}

/// One event as the reader's page and data export show it. Times are RFC 3339, UTC.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct BounceRecord {
    pub at: String,
    pub source: String,
    /// `hard`, `soft` or `complaint`.
    pub kind: String,
    pub status_code: Option<String>,
    pub diagnostic: Option<String>,
    pub digest_id: Option<i64>,
}

impl BounceRecord {
    pub fn is_complaint(&self) -> bool {
        self.kind == Kind::Complaint.as_str()
    }
}

pub async fn events_for(pool: &AnyPool, subscriber_id: i64) -> sqlx::Result<Vec<BounceRecord>> {
    let rows = sqlx::query(
        "select created_at, source, kind, status_code, diagnostic, digest_id
         from bounce_events where subscriber_id = $1 order by id",
    )
    .bind(subscriber_id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(BounceRecord {
                at: db::format_time(row.try_get("created_at")?),
                source: row.try_get("source")?,
                kind: row.try_get("kind")?,
                status_code: row.try_get("status_code")?,
                diagnostic: row.try_get("diagnostic")?,
                digest_id: row.try_get("digest_id")?,
            })
        })
        .collect()
}
