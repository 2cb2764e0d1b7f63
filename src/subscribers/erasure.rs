//! Erasure: a reader's personal data leaves every table in one transaction (profile, consent
//! log, tokens, outbox rows, and the addresses that servers quote in delivery replies). What
//! stays: delivery rows without a reader (so digest counts stay true) and a keyed hash of the
//! address in the suppression list, so that an import cannot bring the reader back.

use super::{EmailAddress, queries, suppression};
use crate::db::{self, Backend, Tx};
use crate::delivery;
use crate::state::AppState;

/// Every table an erasure deletes from or rewrites, for `Db::scrub`.
pub const TOUCHED_TABLES: &[&str] = &[
    "subscribers",
    "consent_events",
    "bounce_events",
    "confirmation_tokens",
    "outbox",
    "policy_notices",
    "deliveries",
];

/// Erases the reader with this id; false when there is none. Once it returns, the address
/// is gone from the SQLite files too (see `Db::scrub`).
pub async fn erase(state: &AppState, subscriber_id: i64) -> sqlx::Result<bool> {
    let mut tx = state.db.begin().await?;
    let Some(email) = queries::find_email(&mut tx, subscriber_id).await? else {
        return Ok(false);
    };
    // A stored address always parsed once; should the rules have tightened since, the
    // address as stored still gets suppressed rather than nothing.
    let hash = match EmailAddress::parse(&email, false) {
        Ok(address) => suppression::address_hash(&state.keys.suppression, &address),
        Err(_) => suppression::hash_raw(&state.keys.suppression, &email),
    };
    suppression::add(&mut tx, &hash, db::now()).await?;
    remove(&mut tx, state.db.backend, subscriber_id).await?;
    tx.commit().await?;
    state.db.scrub(TOUCHED_TABLES).await?;
    tracing::info!(subscriber_id, "reader erased");
    Ok(true)
}

/// Erases the reader with this address if there is one, and suppresses the address either
/// way (an erasure request may come before the import that would have added them). True
/// when a reader was erased.
pub async fn erase_address(state: &AppState, address: &EmailAddress) -> sqlx::Result<bool> {
    let mut tx = state.db.begin().await?;
    let hash = suppression::address_hash(&state.keys.suppression, address);
    suppression::add(&mut tx, &hash, db::now()).await?;
    let found = queries::find_id_by_key(&mut tx, address.key()).await?;
    if let Some(id) = found {
        remove(&mut tx, state.db.backend, id).await?;
    }
    tx.commit().await?;
    state.db.scrub(TOUCHED_TABLES).await?;
    if let Some(subscriber_id) = found {
        tracing::info!(subscriber_id, "reader erased");
    }
    Ok(found.is_some())
}

/// The reader's rows: delivery rows lose their link and quoted replies, the rest goes.
async fn remove(tx: &mut Tx<'_>, backend: Backend, subscriber_id: i64) -> sqlx::Result<()> {
    delivery::forget_reader(tx, backend, subscriber_id).await?;
    queries::delete(tx, subscriber_id).await?;
    Ok(())
}
