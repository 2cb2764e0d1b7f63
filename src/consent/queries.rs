//! SQL for `consent_texts`, `consent_events` and `policy_notices`.

use sqlx::{AnyPool, Row};

use super::{ClientInfo, ConsentEvent, Evidence};
use crate::db::{self, Millis, Tx, format_time};

pub async fn insert_text(pool: &AnyPool, hash: &str, body: &str, now: Millis) -> sqlx::Result<()> {
    sqlx::query(
        "insert into consent_texts (hash, body, created_at) values ($1, $2, $3)
         on conflict (hash) do nothing",
    )
    .bind(hash)
    .bind(body)
    .bind(now)
    .execute(pool)
    .await
    .map(|_| ())
}

pub async fn insert_events(
    tx: &mut Tx<'_>,
    event: ConsentEvent,
    events: &[(i64, Evidence<'_>)],
    now: Millis,
) -> sqlx::Result<()> {
    if events.is_empty() {
        return Ok(());
    }
    let values = db::tuples(3, events.len(), 10, |own| {
        format!("({}, $1, {}, $2)", own[0], own[1..].join(", "))
    });
    let sql = format!(
        "insert into consent_events (subscriber_id, event, {EVIDENCE_COLUMNS}, created_at)
         values {values}"
    );
    let mut query = sqlx::query(&sql).bind(event.as_str()).bind(now);
    for (subscriber_id, evidence) in events {
        query = bind_evidence(query.bind(subscriber_id), evidence);
    }
    query.execute(&mut **tx).await.map(|_| ())
}

/// What an `Evidence` fills in, in `bind_evidence`'s order.
const EVIDENCE_COLUMNS: &str =
    "privacy_version, terms_version, text_hash, source, form, ip, user_agent, newsletters, locale";

fn bind_evidence<'q>(
    query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    evidence: &Evidence<'q>,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    query
        .bind(&evidence.statement.privacy_version)
        .bind(&evidence.statement.terms_version)
        .bind(&evidence.statement.hash)
        .bind(evidence.source.as_str())
        .bind(evidence.form)
        .bind(evidence.client.ip.map(|ip| ip.to_string()))
        .bind(&evidence.client.user_agent)
        .bind(evidence.newsletters)
        .bind(evidence.statement.locale.tag())
}

/// Records `event` for the statement, versions and source of the reader's latest grant
/// (what they are now confirming or withdrawing), with the current request's client, about
/// `newsletters` (slugs, space-separated) or else the newsletters the grant named.
pub async fn copy_latest_grant(
    tx: &mut Tx<'_>,
    subscriber_id: i64,
    event: ConsentEvent,
    client: &ClientInfo,
    newsletters: Option<&str>,
    now: Millis,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into consent_events (subscriber_id, event, privacy_version, terms_version,
             text_hash, source, form, ip, user_agent, created_at, newsletters, locale)
         select subscriber_id, $2, privacy_version, terms_version, text_hash, source, form, $3, $4, $5,
                coalesce($6, newsletters), locale
         from consent_events
         where subscriber_id = $1 and event = 'granted'
         order by id desc
         limit 1",
    )
    .bind(subscriber_id)
    .bind(event.as_str())
    .bind(client.ip.map(|ip| ip.to_string()))
    .bind(&client.user_agent)
    .bind(now)
    .bind(newsletters)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// The reader complained of spam: their latest grant is withdrawn, with `complaint` as the
/// source and no client (the report came from their mailbox provider, not from them).
pub async fn withdraw_for_complaint(
    tx: &mut Tx<'_>,
    subscriber_id: i64,
    now: Millis,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into consent_events (subscriber_id, event, privacy_version, terms_version,
             text_hash, source, form, ip, user_agent, created_at, newsletters, locale)
         select subscriber_id, 'withdrawn', privacy_version, terms_version, text_hash,
                $3, form, null, null, $2, newsletters, locale
         from consent_events
         where subscriber_id = $1 and event = 'granted'
         order by id desc
         limit 1",
    )
    .bind(subscriber_id)
    .bind(now)
    .bind(super::ConsentSource::Complaint.as_str())
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// The same event for many readers in one statement (imports).
pub async fn insert_events_bulk(
    tx: &mut Tx<'_>,
    subscriber_ids: &[i64],
    event: ConsentEvent,
    evidence: &Evidence<'_>,
    now: Millis,
) -> sqlx::Result<()> {
    if subscriber_ids.is_empty() {
        return Ok(());
    }
    // Everything but the reader is shared: $1..$11, then one parameter per reader.
    let values = db::rows_per_id(12, subscriber_ids.len(), |id| {
        format!("({id}, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)")
    });
    let sql = format!(
        "insert into consent_events (subscriber_id, event, created_at, {EVIDENCE_COLUMNS})
         values {values}"
    );
    let query = sqlx::query(&sql).bind(event.as_str()).bind(now);
    let mut query = bind_evidence(query, evidence);
    for id in subscriber_ids {
        query = query.bind(id);
    }
    query.execute(&mut **tx).await.map(|_| ())
}

/// One entry of a reader's consent log, with the statement they saw.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ConsentRecord {
    /// What happened, e.g. `granted`, `confirmed`, `withdrawn`.
    pub event: String,
    pub privacy_version: String,
    pub terms_version: String,
    /// The exact consent sentence (HTML) shown to the reader.
    pub statement: String,
    /// Hex SHA-256 of `statement`.
    pub statement_sha256: String,
    /// Where it happened, e.g. `form`, `api`, `import`.
    pub source: String,
    /// The `source` the signup named (which form or placement).
    pub form: Option<String>,
    /// The newsletters (slugs) it was about; absent on records from before there were several.
    pub newsletters: Vec<String>,
    /// The language of `statement` (and of the page the reader saw), e.g. `de`.
    pub locale: String,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    /// RFC 3339, UTC.
    #[schema(format = DateTime)]
    pub at: String,
}

pub async fn events_for(pool: &AnyPool, subscriber_id: i64) -> sqlx::Result<Vec<ConsentRecord>> {
    let rows = sqlx::query(
        "select e.event, e.privacy_version, e.terms_version, t.body, e.text_hash, e.source,
                e.form, e.ip, e.user_agent, e.created_at, e.newsletters, e.locale
         from consent_events e join consent_texts t on t.hash = e.text_hash
         where e.subscriber_id = $1 order by e.id",
    )
    .bind(subscriber_id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(ConsentRecord {
                event: row.try_get("event")?,
                privacy_version: row.try_get("privacy_version")?,
                terms_version: row.try_get("terms_version")?,
                statement: row.try_get("body")?,
                statement_sha256: row.try_get("text_hash")?,
                source: row.try_get("source")?,
                form: row.try_get("form")?,
                newsletters: row
                    .try_get::<Option<String>, _>("newsletters")?
                    .map(|n| crate::topics::split(&n))
                    .unwrap_or_default(),
                locale: row.try_get("locale")?,
                ip: row.try_get("ip")?,
                user_agent: row.try_get("user_agent")?,
                at: format_time(row.try_get("created_at")?),
            })
        })
        .collect()
}

/// A confirmed reader whose latest consent is for other policy versions than the current.
#[derive(Debug, serde::Serialize)]
pub struct StaleConsent {
    pub subscriber_id: i64,
    pub email: String,
    pub privacy_version: String,
    pub terms_version: String,
    pub consented_at: String,
    /// When a digest told them about the current versions; `None`: not yet.
    pub notified_at: Option<String>,
}

/// The reader's consent in force: their latest grant or confirmation (a confirmation copies
/// the versions of the grant it confirms).
const LATEST_CONSENT: &str = "consent_events c on c.id = (
        select max(id) from consent_events
        where subscriber_id = s.id and event in ('granted', 'confirmed'))
     left join policy_notices n on n.subscriber_id = s.id
        and n.privacy_version = $1 and n.terms_version = $2";

pub async fn stale(
    pool: &AnyPool,
    privacy_version: &str,
    terms_version: &str,
) -> sqlx::Result<Vec<StaleConsent>> {
    let rows = sqlx::query(&format!(
        "select s.id, s.email, c.privacy_version, c.terms_version, c.created_at,
                n.created_at as notified_at
         from subscribers s join {LATEST_CONSENT}
         where s.status = 'confirmed'
           and (c.privacy_version <> $1 or c.terms_version <> $2)
         order by s.id"
    ))
    .bind(privacy_version)
    .bind(terms_version)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(StaleConsent {
                subscriber_id: row.try_get("id")?,
                email: row.try_get("email")?,
                privacy_version: row.try_get("privacy_version")?,
                terms_version: row.try_get("terms_version")?,
                consented_at: format_time(row.try_get("created_at")?),
                notified_at: row
                    .try_get::<Option<Millis>, _>("notified_at")?
                    .map(format_time),
            })
        })
        .collect()
}

/// 1 when reader `s` last consented to other versions than $1 (privacy) and $2 (terms) and
/// has not been told of these yet, else 0: a column for queries over `subscribers s`, so
/// that delivery learns it in the query that loads its readers.
pub const NOTICE_DUE: &str = "cast(case when exists (
        select 1 from consent_events c
        where c.id = (select max(id) from consent_events
                      where subscriber_id = s.id and event in ('granted', 'confirmed'))
          and (c.privacy_version <> $1 or c.terms_version <> $2)
          and not exists (select 1 from policy_notices n where n.subscriber_id = s.id
                          and n.privacy_version = $1 and n.terms_version = $2))
     then 1 else 0 end as bigint)";

pub async fn record_notices(
    conn: &mut sqlx::AnyConnection,
    ids: &[i64],
    privacy_version: &str,
    terms_version: &str,
    now: Millis,
) -> sqlx::Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let values = db::rows_per_id(4, ids.len(), |id| format!("({id}, $1, $2, $3)"));
    let sql = format!(
        "insert into policy_notices (subscriber_id, privacy_version, terms_version, created_at)
         values {values} on conflict do nothing"
    );
    let mut query = sqlx::query(&sql)
        .bind(privacy_version)
        .bind(terms_version)
        .bind(now);
    for id in ids {
        query = query.bind(id);
    }
    query.execute(conn).await.map(|_| ())
}
