//! Counting readers: reads of `subscribers` and `consent_events` only.

use sqlx::{AnyPool, Row};

use super::Recent;
use crate::db::Millis;

/// Readers by state. `bounced` counts readers in any state whose mail bounced.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct ReaderCounts {
    pub confirmed: i64,
    pub pending: i64,
    pub unsubscribed: i64,
    pub bounced: i64,
}

pub async fn reader_counts(pool: &AnyPool) -> sqlx::Result<ReaderCounts> {
    // By state from the (status, updated_at) index alone; bounced from its partial index.
    let rows = sqlx::query("select status, count(*) as readers from subscribers group by status")
        .fetch_all(pool)
        .await?;
    let mut counts = ReaderCounts {
        bounced: sqlx::query_scalar(
            "select count(*) from subscribers where bounced_at is not null",
        )
        .fetch_one(pool)
        .await?,
        ..ReaderCounts::default()
    };
    for row in rows {
        let readers: i64 = row.try_get("readers")?;
        match row.try_get::<String, _>("status")?.as_str() {
            "confirmed" => counts.confirmed = readers,
            "pending" => counts.pending = readers,
            _ => counts.unsubscribed = readers,
        }
    }
    Ok(counts)
}

pub async fn recent(pool: &AnyPool, since: Millis, days: i64) -> sqlx::Result<Recent> {
    let count = |sql: &'static str| async move {
        sqlx::query_scalar::<_, i64>(sql)
            .bind(since)
            .fetch_one(pool)
            .await
    };
    Ok(Recent {
        days,
        signed_up: count("select count(*) from subscribers where created_at >= $1").await?,
        confirmed: count("select count(*) from subscribers where confirmed_at >= $1").await?,
        left: count(
            "select count(distinct subscriber_id) from consent_events
             where event = 'withdrawn' and created_at >= $1",
        )
        .await?,
    })
}

/// Where signups came from: the source (form, api, import) and the form or placement the
/// signup named, most first.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct SourceCount {
    pub source: String,
    /// The form or placement (`source` in the API, the embed's `data-source`), if named.
    pub form: Option<String>,
    pub signups: i64,
}

pub async fn sources_since(pool: &AnyPool, since: Millis) -> sqlx::Result<Vec<SourceCount>> {
    let rows = sqlx::query(
        "select source, form, count(*) as signups from consent_events
         where event = 'granted' and created_at >= $1
         group by source, form order by signups desc, source, form limit 20",
    )
    .bind(since)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(SourceCount {
                source: row.try_get("source")?,
                form: row.try_get("form")?,
                signups: row.try_get("signups")?,
            })
        })
        .collect()
}

pub async fn confirmed_among_signed_up_since(pool: &AnyPool, since: Millis) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "select count(*) from subscribers where created_at >= $1 and confirmed_at is not null",
    )
    .bind(since)
    .fetch_one(pool)
    .await
}
