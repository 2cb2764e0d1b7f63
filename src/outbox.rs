//! The transactional outbox: one-off emails to one reader (confirmations, welcomes, data
//! exports, fresh unsubscribe links) and editors' test sends of the next digest,
//! each a row written in the same transaction as the change that needs it, so no answer waits
//! on SMTP and a crash loses nothing. The send engine (`workers`) claims and sends them.

use std::collections::HashSet;

use sqlx::Row;

use crate::db::{self, Millis, Tx};
use crate::digests::Composition;
use crate::queue::{Job, Kind, LeasedQueue, RowStatus};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxKind {
    Confirmation,
    /// Everything held about the reader, which they asked for from a link in an email.
    DataExport,
    /// A fresh link to the reader's page, asked for by address (`unsubscribe::by_address`).
    UnsubscribeLink,
    /// A test of the next digest to an address an editor gave; names no reader.
    TestDigest,
    /// A newsletter's welcome to a reader who just joined it (`newsletter_id`); one per
    /// reader and newsletter, ever (`outbox_one_welcome`).
    Welcome,
}

impl OutboxKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OutboxKind::Confirmation => "confirmation",
            OutboxKind::DataExport => "data_export",
            OutboxKind::UnsubscribeLink => "unsubscribe_link",
            OutboxKind::TestDigest => "test_digest",
            OutboxKind::Welcome => "welcome",
        }
    }

    fn from_db(value: &str) -> anyhow::Result<OutboxKind> {
        match value {
            "confirmation" => Ok(OutboxKind::Confirmation),
            "data_export" => Ok(OutboxKind::DataExport),
            "unsubscribe_link" => Ok(OutboxKind::UnsubscribeLink),
            "test_digest" => Ok(OutboxKind::TestDigest),
            "welcome" => Ok(OutboxKind::Welcome),
            other => anyhow::bail!("unknown outbox kind {other:?}"),
        }
    }
}

impl From<OutboxKind> for Kind {
    fn from(kind: OutboxKind) -> Kind {
        match kind {
            OutboxKind::Confirmation => Kind::Confirmation,
            OutboxKind::DataExport => Kind::DataExport,
            OutboxKind::UnsubscribeLink => Kind::UnsubscribeLink,
            OutboxKind::TestDigest => Kind::TestDigest,
            OutboxKind::Welcome => Kind::Welcome,
        }
    }
}

pub const QUEUE: LeasedQueue = LeasedQueue {
    table: "outbox",
    nothing_to_send: RowStatus::Skipped,
};

/// Claims up to `limit` due messages for `lease_ms`.
pub async fn claim(
    tx: &mut Tx<'_>,
    now: Millis,
    lease_ms: Millis,
    limit: i64,
) -> anyhow::Result<Vec<Job>> {
    QUEUE
        .claim(tx, now, lease_ms, limit, "kind", |row| {
            let kind = OutboxKind::from_db(row.try_get::<String, _>("kind")?.as_str())?;
            Ok((kind.into(), None))
        })
        .await
}

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

/// Queues a welcome from each of these newsletters that has one (a welcome body) for a
/// reader who just joined them, in the transaction that confirms them. A reader is welcomed
/// once per newsletter, ever: a welcome queued before (even one never sent because the reader
/// left first) stays the only one (`outbox_one_welcome`). Returns how many were queued.
pub async fn enqueue_welcomes(
    tx: &mut Tx<'_>,
    subscriber_id: i64,
    newsletter_ids: &[i64],
    now: Millis,
) -> sqlx::Result<u64> {
    if newsletter_ids.is_empty() {
        return Ok(0);
    }
    // SQLite reads `on conflict` after a select as the upsert only when a `where` comes first.
    let sql = format!(
        "insert into outbox (kind, subscriber_id, newsletter_id, status, next_attempt_at,
                             created_at)
         select $1, $2, id, 'pending', $3, $3 from newsletters
         where id in ({}) and trim(welcome_body) <> ''
         on conflict do nothing",
        db::placeholders(4, newsletter_ids.len())
    );
    let mut query = sqlx::query(&sql)
        .bind(OutboxKind::Welcome.as_str())
        .bind(subscriber_id)
        .bind(now);
    for id in newsletter_ids {
        query = query.bind(id);
    }
    Ok(query.execute(&mut **tx).await?.rows_affected())
}

/// The reader and newsletter of a queued welcome, as the send engine claimed it.
pub async fn find_welcome(pool: &sqlx::AnyPool, id: i64) -> sqlx::Result<Option<(i64, i64)>> {
    let row = sqlx::query(
        "select subscriber_id, newsletter_id from outbox
         where id = $1 and kind = $2 and subscriber_id is not null and newsletter_id is not null",
    )
    .bind(id)
    .bind(OutboxKind::Welcome.as_str())
    .fetch_optional(pool)
    .await?;
    row.map(|row| Ok((row.try_get("subscriber_id")?, row.try_get("newsletter_id")?)))
        .transpose()
}

/// A test send as queued: where it goes, what it shows, who asked.
#[derive(Debug, Clone)]
pub struct TestSend {
    pub address: String,
    /// The newsletter whose digest it tests; `None` for tests queued before there were
    /// several (the default's).
    pub newsletter_id: Option<i64>,
    pub article_ids: Vec<i64>,
    /// The draft's subject, intro, lead... as they were when the test was asked for.
    pub composition: Composition,
    pub requested_by: String,
}

/// Queues one test email of the newsletter's digest per address, in the caller's transaction.
pub async fn enqueue_tests(
    tx: &mut Tx<'_>,
    newsletter_id: i64,
    addresses: &[String],
    article_ids: &[i64],
    composition: &Composition,
    requested_by: &str,
    now: Millis,
) -> sqlx::Result<()> {
    let composition =
        serde_json::to_string(composition).map_err(|e| sqlx::Error::Encode(e.into()))?;
    let ids = article_ids
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",");
    for address in addresses {
        sqlx::query(
            "insert into outbox (kind, address, article_ids, composition, requested_by, status,
                                 next_attempt_at, created_at, newsletter_id)
             values ($1, $2, $3, $4, $5, 'pending', $6, $6, $7)",
        )
        .bind(OutboxKind::TestDigest.as_str())
        .bind(address)
        .bind(&ids)
        .bind(&composition)
        .bind(requested_by)
        .bind(now)
        .bind(newsletter_id)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

pub async fn find_test(pool: &sqlx::AnyPool, id: i64) -> sqlx::Result<Option<TestSend>> {
    let row = sqlx::query(
        "select address, article_ids, composition, requested_by, newsletter_id from outbox
         where id = $1 and kind = $2",
    )
    .bind(id)
    .bind(OutboxKind::TestDigest.as_str())
    .fetch_optional(pool)
    .await?;
    row.map(|row| {
        let ids: Option<String> = row.try_get("article_ids")?;
        // Tests queued before composing existed have none: the plain digest.
        let composition = row
            .try_get::<Option<String>, _>("composition")?
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default();
        Ok(TestSend {
            composition,
            newsletter_id: row.try_get("newsletter_id")?,
            address: row
                .try_get::<Option<String>, _>("address")?
                .unwrap_or_default(),
            article_ids: ids
                .unwrap_or_default()
                .split(',')
                .filter_map(|id| id.parse().ok())
                .collect(),
            requested_by: row
                .try_get::<Option<String>, _>("requested_by")?
                .unwrap_or_default(),
        })
    })
    .transpose()
}

/// An email the service sent (or means to send) a reader, for their data export.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct OutboxRecord {
    /// `confirmation`, `welcome`, `data_export` or `unsubscribe_link`.
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
/// last 24 hours; returns whether it was.
pub async fn enqueue_within_daily_limit(
    tx: &mut Tx<'_>,
    kind: OutboxKind,
    subscriber_id: i64,
    limit: i64,
    now: Millis,
) -> sqlx::Result<bool> {
    let queued = enqueue_each_within_daily_limit(tx, kind, &[subscriber_id], limit, now).await?;
    Ok(queued.contains(&subscriber_id))
}

/// The same for several readers (each at most once) in one statement, the count and the
/// insert together; returns the readers it was queued for.
pub async fn enqueue_each_within_daily_limit(
    tx: &mut Tx<'_>,
    kind: OutboxKind,
    subscriber_ids: &[i64],
    limit: i64,
    now: Millis,
) -> sqlx::Result<HashSet<i64>> {
    const DAY_MS: Millis = 24 * 60 * 60 * 1000;
    if subscriber_ids.is_empty() {
        return Ok(HashSet::new());
    }
    // `column1` is what both SQLite and PostgreSQL call a VALUES list's first column.
    let readers = db::rows_per_id(5, subscriber_ids.len(), |id| format!("({id})"));
    let sql = format!(
        "insert into outbox (kind, subscriber_id, status, next_attempt_at, created_at)
         select $1, r.column1, 'pending', $2, $2 from (values {readers}) r
         where (select count(*) from outbox
                where subscriber_id = r.column1 and kind = $1 and created_at > $3) < $4
         returning subscriber_id"
    );
    let mut query = sqlx::query_scalar(&sql)
        .bind(kind.as_str())
        .bind(now)
        .bind(now - DAY_MS)
        .bind(limit);
    for id in subscriber_ids {
        query = query.bind(id);
    }
    Ok(query.fetch_all(&mut **tx).await?.into_iter().collect())
}
