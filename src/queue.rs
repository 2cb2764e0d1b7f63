//! Leased work queues in a table: rows are claimed by setting `status = 'sending'` with a
//! lease (`locked_until`), and a row whose lease ran out (its sender died) is claimable again.
//! So a crash can send a row twice, never zero times, and concurrent senders (tasks or
//! instances) never hold the same row. The outbox and the digest deliveries both use it.

use sqlx::any::AnyRow;

use crate::db::{self, Backend, Db, Millis};

#[derive(Debug, Clone, Copy)]
pub struct LeasedQueue {
    pub table: &'static str,
}

impl LeasedQueue {
    /// Claims up to `limit` due rows for `lease_ms` and returns the `returning` columns.
    /// Rows whose lease ran out are due again.
    pub async fn claim(
        &self,
        db: &Db,
        now: Millis,
        lease_ms: Millis,
        limit: i64,
        returning: &str,
    ) -> sqlx::Result<Vec<AnyRow>> {
        // The one place the dialects differ: SQLite has a single writer, so the update is
        // atomic as it stands; PostgreSQL needs SKIP LOCKED so that concurrent claimers take
        // different rows instead of queueing behind each other's locks.
        let lock = match db.backend {
            Backend::Sqlite => "",
            Backend::Postgres => "for update skip locked",
        };
        let table = self.table;
        // Rows whose sender died go back to the queue first. Kept apart from the claim
        // because an OR of the two cases cannot use the (status, next_attempt_at) index:
        // every claim would scan and sort the whole queue.
        sqlx::query(&format!(
            "update {table} set status = 'pending', locked_until = null
             where status = 'sending' and locked_until < $1"
        ))
        .bind(now)
        .execute(&db.pool)
        .await?;
        sqlx::query(&format!(
            "update {table} set status = 'sending', locked_until = $2
             where id in (select id from {table}
                          where status = 'pending' and next_attempt_at <= $1
                          order by next_attempt_at limit $3 {lock})
             returning {returning}"
        ))
        .bind(now)
        .bind(now + lease_ms)
        .bind(limit)
        .fetch_all(&db.pool)
        .await
    }

    /// Final outcome for several rows at once: `status` is `sent` or another final state.
    pub async fn finish(
        &self,
        db: &Db,
        ids: &[i64],
        status: &str,
        error: Option<&str>,
        now: Millis,
    ) -> sqlx::Result<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let placeholders = db::placeholders(4, ids.len());
        let sql = format!(
            "update {} set status = $1, last_error = $2, locked_until = null,
                 attempts = attempts + 1, sent_at = case when $1 = 'sent' then $3 else sent_at end
             where id in ({}) and status = 'sending'",
            self.table, placeholders
        );
        let mut query = sqlx::query(&sql).bind(status).bind(error).bind(now);
        for id in ids {
            query = query.bind(id);
        }
        query.execute(&db.pool).await.map(|_| ())
    }

    /// Back to `pending` for a try at `at`; `count_attempt` is false while the server is
    /// unreachable, so an outage never uses up a row's attempts.
    pub async fn retry_later(
        &self,
        db: &Db,
        id: i64,
        at: Millis,
        error: &str,
        count_attempt: bool,
    ) -> sqlx::Result<()> {
        sqlx::query(&format!(
            "update {} set status = 'pending', next_attempt_at = $2, last_error = $3,
                 locked_until = null, attempts = attempts + $4
             where id = $1 and status = 'sending'",
            self.table
        ))
        .bind(id)
        .bind(at)
        .bind(error)
        .bind(i64::from(count_attempt))
        .execute(&db.pool)
        .await
        .map(|_| ())
    }
}

/// Exponential backoff with up to 25 % jitter, so that retries of many rows spread out.
pub fn backoff(base_ms: u64, max_ms: u64, attempt: u32) -> std::time::Duration {
    use rand::Rng;
    let exp = base_ms.saturating_mul(1u64 << attempt.min(30)).min(max_ms);
    let jitter = rand::rng().random_range(0..=exp / 4);
    std::time::Duration::from_millis(exp + jitter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        let first = backoff(1000, 60_000, 0).as_millis();
        assert!((1000..=1250).contains(&first), "{first}");
        let third = backoff(1000, 60_000, 2).as_millis();
        assert!((4000..=5000).contains(&third), "{third}");
        let late = backoff(1000, 60_000, 40).as_millis();
        assert!((60_000..=75_000).contains(&late), "{late}");
    }
}
