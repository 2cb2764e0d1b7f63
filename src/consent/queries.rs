use sqlx::AnyPool;

use super::{ClientInfo, ConsentEvent, Evidence};
use crate::db::{Millis, Tx};

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

pub async fn insert_event(
    tx: &mut Tx<'_>,
    subscriber_id: i64,
    event: ConsentEvent,
    evidence: &Evidence<'_>,
    now: Millis,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into consent_events (subscriber_id, event, privacy_version, terms_version,
             text_hash, source, form, ip, user_agent, created_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(subscriber_id)
    .bind(event.as_str())
    .bind(&evidence.statement.privacy_version)
    .bind(&evidence.statement.terms_version)
    .bind(&evidence.statement.hash)
    .bind(evidence.source.as_str())
    .bind(evidence.form)
    .bind(evidence.client.ip.map(|ip| ip.to_string()))
    .bind(&evidence.client.user_agent)
    .bind(now)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// Records `event` for the statement, versions and source of the reader's latest grant
/// (what they are now confirming or withdrawing), with the current request's client.
pub async fn copy_latest_grant(
    tx: &mut Tx<'_>,
    subscriber_id: i64,
    event: ConsentEvent,
    client: &ClientInfo,
    now: Millis,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into consent_events (subscriber_id, event, privacy_version, terms_version,
             text_hash, source, form, ip, user_agent, created_at)
         select subscriber_id, $2, privacy_version, terms_version, text_hash, source, form, $3, $4, $5
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
    .execute(&mut **tx)
    .await
    .map(|_| ())
}
