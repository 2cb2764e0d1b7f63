//! SQL for `subscribers` and `confirmation_tokens`.

use std::collections::HashMap;

use sqlx::{AnyPool, Row};

use super::SubscriptionStatus;
use crate::db::{Millis, Tx};

/// Creates a pending subscriber, or refreshes an existing one: pending, unsubscribed and
/// bounced readers become pending again with the address and name as now typed, while a
/// confirmed reader is left exactly as they are (a stranger must not be able to change them).
/// A reader a signup must not change: confirmed, and mail reaches them.
const LOCKED: &str = "subscribers.status = 'confirmed' and subscribers.bounced_at is null";

pub async fn upsert_pending(
    tx: &mut Tx<'_>,
    email: &str,
    email_key: &str,
    name: Option<&str>,
    now: Millis,
) -> sqlx::Result<(i64, SubscriptionStatus)> {
    let row = sqlx::query(&format!(
        "insert into subscribers (email, email_key, name, status, created_at, updated_at)
         values ($1, $2, $3, 'pending', $4, $4)
         on conflict (email_key) do update set
             email = case when {LOCKED} then subscribers.email else excluded.email end,
             name = case when {LOCKED} then subscribers.name
                         else coalesce(excluded.name, subscribers.name) end,
             updated_at = case when {LOCKED} then subscribers.updated_at else excluded.updated_at end,
             status = case when {LOCKED} then 'confirmed' else 'pending' end
         returning id, status"
    ))
    .bind(email)
    .bind(email_key)
    .bind(name)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    Ok((
        row.try_get("id")?,
        SubscriptionStatus::from_db(row.try_get("status")?)?,
    ))
}

/// Pending -> confirmed. Returns false when the reader was not pending.
pub async fn mark_confirmed(
    tx: &mut Tx<'_>,
    subscriber_id: i64,
    now: Millis,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "update subscribers set status = 'confirmed', confirmed_at = $2, updated_at = $2,
             bounced_at = null
         where id = $1 and status = 'pending'",
    )
    .bind(subscriber_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub struct Recipient {
    pub email: String,
    pub name: Option<String>,
    pub status: SubscriptionStatus,
}

pub async fn find_recipient(pool: &AnyPool, subscriber_id: i64) -> sqlx::Result<Option<Recipient>> {
    let row = sqlx::query("select email, name, status from subscribers where id = $1")
        .bind(subscriber_id)
        .fetch_optional(pool)
        .await?;
    row.map(|row| {
        Ok(Recipient {
            email: row.try_get("email")?,
            name: row.try_get("name")?,
            status: SubscriptionStatus::from_db(row.try_get("status")?)?,
        })
    })
    .transpose()
}

pub async fn insert_token(
    pool: &AnyPool,
    token_hash: &str,
    subscriber_id: i64,
    now: Millis,
    expires_at: Millis,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into confirmation_tokens (token_hash, subscriber_id, created_at, expires_at)
         values ($1, $2, $3, $4)",
    )
    .bind(token_hash)
    .bind(subscriber_id)
    .bind(now)
    .bind(expires_at)
    .execute(pool)
    .await
    .map(|_| ())
}

pub struct TokenRow {
    pub expires_at: Millis,
    pub used_at: Option<Millis>,
}

pub async fn find_token(pool: &AnyPool, token_hash: &str) -> sqlx::Result<Option<TokenRow>> {
    let row =
        sqlx::query("select expires_at, used_at from confirmation_tokens where token_hash = $1")
            .bind(token_hash)
            .fetch_optional(pool)
            .await?;
    row.map(|row| {
        Ok(TokenRow {
            expires_at: row.try_get("expires_at")?,
            used_at: row.try_get("used_at")?,
        })
    })
    .transpose()
}

/// Uses a live token. At most one caller wins a given token; the others get `None`.
pub async fn use_token(
    tx: &mut Tx<'_>,
    token_hash: &str,
    now: Millis,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(
        "update confirmation_tokens set used_at = $2
         where token_hash = $1 and used_at is null and expires_at > $2
         returning subscriber_id",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(&mut **tx)
    .await
}

/// Once a reader is confirmed, their other outstanding links have nothing left to do.
pub async fn retire_tokens(tx: &mut Tx<'_>, subscriber_id: i64, now: Millis) -> sqlx::Result<()> {
    sqlx::query(
        "update confirmation_tokens set used_at = $2 where subscriber_id = $1 and used_at is null",
    )
    .bind(subscriber_id)
    .bind(now)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// What delivery needs to know of a reader.
pub struct Reader {
    pub email: String,
    pub name: Option<String>,
    /// Confirmed, and mail has not bounced.
    pub deliverable: bool,
}

pub async fn find_readers(pool: &AnyPool, ids: &[i64]) -> sqlx::Result<HashMap<i64, Reader>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let placeholders: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "select id, email, name, status, bounced_at from subscribers where id in ({})",
        placeholders.join(", ")
    );
    let mut query = sqlx::query(&sql);
    for id in ids {
        query = query.bind(id);
    }
    let rows = query.fetch_all(pool).await?;
    rows.iter()
        .map(|row| {
            let status: String = row.try_get("status")?;
            let bounced: Option<Millis> = row.try_get("bounced_at")?;
            let reader = Reader {
                email: row.try_get("email")?,
                name: row.try_get("name")?,
                deliverable: status == "confirmed" && bounced.is_none(),
            };
            Ok((row.try_get("id")?, reader))
        })
        .collect()
}

/// The reader's server said the address does not exist: no more digests until they
/// confirm again.
pub async fn mark_bounced(pool: &AnyPool, subscriber_id: i64, now: Millis) -> sqlx::Result<()> {
    sqlx::query("update subscribers set bounced_at = $2 where id = $1")
        .bind(subscriber_id)
        .bind(now)
        .execute(pool)
        .await
        .map(|_| ())
}

/// Returns false when the reader had already left.
pub async fn mark_unsubscribed(
    tx: &mut Tx<'_>,
    subscriber_id: i64,
    now: Millis,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "update subscribers set status = 'unsubscribed', updated_at = $2
         where id = $1 and status <> 'unsubscribed'",
    )
    .bind(subscriber_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}
