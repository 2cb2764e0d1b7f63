//! The suppression list: what erasure leaves of a reader. Only a keyed hash (HMAC-SHA256) of
//! the address is kept, so the list can answer "was this address erased?" for an address in
//! hand but cannot be read back as a list of addresses. Imports consult it; the reader lifts
//! it by signing up again and confirming from their own inbox.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::EmailAddress;
use crate::db::{self, Millis, Tx};

pub fn address_hash(key: &[u8], address: &EmailAddress) -> String {
    hash_raw(key, &address.folded_key())
}

/// The hash of a text as it is, for an address that no longer parses.
pub fn hash_raw(key: &[u8], text: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(text.trim().to_lowercase().as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

pub async fn add(tx: &mut Tx<'_>, hash: &str, now: Millis) -> sqlx::Result<()> {
    sqlx::query(
        "insert into suppressions (address_hash, reason, created_at) values ($1, 'erased', $2)
         on conflict (address_hash) do nothing",
    )
    .bind(hash)
    .bind(now)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

pub async fn lift(tx: &mut Tx<'_>, hash: &str) -> sqlx::Result<bool> {
    let done = sqlx::query("delete from suppressions where address_hash = $1")
        .bind(hash)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Which of `hashes` are suppressed.
pub async fn suppressed_among(
    tx: &mut Tx<'_>,
    hashes: &[String],
) -> sqlx::Result<std::collections::HashSet<String>> {
    if hashes.is_empty() {
        return Ok(Default::default());
    }
    let placeholders = db::placeholders(1, hashes.len());
    let sql = format!(
        "select address_hash from suppressions where address_hash in ({})",
        placeholders
    );
    let mut query = sqlx::query_scalar(&sql);
    for hash in hashes {
        query = query.bind(hash);
    }
    Ok(query.fetch_all(&mut **tx).await?.into_iter().collect())
}
