//! Retention: readers who never confirmed are deleted `subscribers.pending_ttl` after their
//! last signup, and their consent records with them (the foreign keys cascade). A reader who
//! once confirmed and then signed up again keeps their record: it holds their history.

use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::{erasure, queries};
use crate::db::{self, Db, Millis};
use crate::state::AppState;

/// Deletes what is due now, leaving no copy in the database files as erasure does; returns
/// how many readers went.
pub async fn purge_pending(db: &Db, ttl: Duration) -> sqlx::Result<u64> {
    let deleted =
        queries::delete_stale_pending(&db.pool, db::now() - ttl.as_millis() as Millis).await?;
    if deleted > 0 {
        db.scrub(erasure::TOUCHED_TABLES).await?;
    }
    Ok(deleted)
}

/// How often to look: a tenth of the TTL (so nobody stays much past it), between a second
/// and an hour.
fn interval(ttl: Duration) -> Duration {
    (ttl / 10).clamp(Duration::from_secs(1), Duration::from_secs(3600))
}

pub async fn run(state: AppState, shutdown: CancellationToken) {
    let ttl = state.settings.subscribers.pending_ttl;
    loop {
        match purge_pending(&state.db, ttl).await {
            Ok(0) => {}
            Ok(deleted) => tracing::info!(deleted, "unconfirmed readers past pending_ttl deleted"),
            Err(err) => tracing::warn!(error = %err, "retention pass failed; will try again"),
        }
        tokio::select! {
            _ = tokio::time::sleep(interval(ttl)) => {}
            _ = shutdown.cancelled() => break,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn looks_often_enough_and_not_too_often() {
        assert_eq!(interval(Duration::from_secs(2)), Duration::from_secs(1));
        assert_eq!(interval(Duration::from_secs(600)), Duration::from_secs(60));
        assert_eq!(
            interval(Duration::from_secs(7 * 86_400)),
            Duration::from_secs(3600)
        );
    }
}
