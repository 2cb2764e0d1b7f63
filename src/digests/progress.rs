//! A digest's counts as pollers read them: `GET /api/v1/digests/{id}` and the bar of
//! `tidings digest send`. Counting passes over the digest's unsent rows, about 17 ms at
//! 100,000 readers on PostgreSQL and 180 ms at 1,000,000, so a client polling in a loop
//! could take a core from the very send it watches. So while a large digest is sending, its
//! count is reused for twenty times what it cost: however often anyone polls, counting takes
//! at most about a twentieth of the database's time, and a million-reader digest's figures
//! are at most a few seconds old. Digests under 10,000 readers, and finished ones, are counted
//! afresh every time (by size, not by how long the count took, so that a busy moment cannot
//! make a small digest's figures lag), and bounces and unsubscribes are always read fresh.
//! Pollers of one digest who ask at once wait for one count instead of each making their own.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

// tokio's clock, so that the tests can run on paused time (a loaded machine stretched the
// counts they time, and with them how long a count is reused).
use tokio::time::Instant;

use sqlx::AnyPool;

use super::{DigestStatus, queries};

/// A count is reused for this many times its cost.
const REUSE_FOR_COSTS: u32 = 20;
/// Digests smaller than this are counted afresh every time.
const REUSED_FROM_READERS: i64 = 10_000;

#[derive(Default)]
pub struct Progress {
    counts: Reused<DigestStatus>,
}

impl Progress {
    /// The digest's status and counts; `None` when there is no such digest.
    pub async fn status(&self, pool: &AnyPool, id: i64) -> sqlx::Result<Option<DigestStatus>> {
        let worth_reusing =
            |d: &DigestStatus| d.status.in_progress() && d.total >= REUSED_FROM_READERS;
        let counted = self
            .counts
            .get(id, || queries::find_counts(pool, id), worth_reusing)
            .await?;
        let Some(status) = counted else {
            return Ok(None);
        };
        Ok(queries::with_reports(pool, vec![status]).await?.pop())
    }

    /// The next read counts afresh (the digest was cancelled: its readers should see it).
    pub fn forget(&self, id: i64) {
        self.counts.forget(id);
    }
}

type Slot<T> = Arc<tokio::sync::Mutex<Option<Counted<T>>>>;

/// Values by digest id, each kept while it is fresh.
struct Reused<T> {
    slots: Mutex<HashMap<i64, Slot<T>>>,
}

impl<T> Default for Reused<T> {
    fn default() -> Self {
        Reused {
            slots: Mutex::default(),
        }
    }
}

struct Counted<T> {
    value: T,
    at: Instant,
    cost: Duration,
}

impl<T> Counted<T> {
    fn fresh(&self) -> bool {
        self.at.elapsed() < self.cost * REUSE_FOR_COSTS
    }
}

impl<T: Clone> Reused<T> {
    /// The value for `id`: the one counted last while it is fresh, else a new count, kept
    /// for next time when `worth_reusing` says so.
    async fn get<E, Count, Counting>(
        &self,
        id: i64,
        count: Count,
        worth_reusing: impl Fn(&T) -> bool,
    ) -> Result<Option<T>, E>
    where
        Count: FnOnce() -> Counting,
        Counting: Future<Output = Result<Option<T>, E>>,
    {
        let slot = self.slot(id);
        let mut counted = slot.lock().await;
        if let Some(counted) = counted.as_ref().filter(|c| c.fresh()) {
            return Ok(Some(counted.value.clone()));
        }
        let started = Instant::now();
        let value = count().await?;
        let cost = started.elapsed();
        *counted = value
            .clone()
            .filter(|value| worth_reusing(value))
            .map(|value| Counted {
                value,
                at: Instant::now(),
                cost,
            });
        Ok(value)
    }

    fn forget(&self, id: i64) {
        self.lock().remove(&id);
    }

    /// The digest's slot, made on first use. Slots of counts gone stale that nobody is
    /// waiting on are dropped on the way, so the map holds only digests being watched.
    fn slot(&self, id: i64) -> Slot<T> {
        let mut slots = self.lock();
        slots.retain(|_, slot| {
            Arc::strong_count(slot) > 1
                || slot
                    .try_lock()
                    .is_ok_and(|counted| counted.as_ref().is_some_and(Counted::fresh))
        });
        slots.entry(id).or_default().clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<i64, Slot<T>>> {
        // The map holds no invariant that a panicking holder could have broken halfway.
        self.slots
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use std::convert::Infallible;
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;

    /// A count that takes `cost` and says how many counts were made so far.
    async fn count(counts: &AtomicU32, cost: Duration) -> Result<Option<u32>, Infallible> {
        tokio::time::sleep(cost).await;
        Ok(Some(counts.fetch_add(1, Ordering::SeqCst) + 1))
    }

    fn always(_: &u32) -> bool {
        true
    }

    #[tokio::test(start_paused = true)]
    async fn a_count_serves_every_poller_for_twenty_times_its_cost() {
        let (reused, counts) = (Reused::default(), AtomicU32::new(0));
        let cost = Duration::from_millis(20);

        let together = futures_util::future::join_all(
            (0..10).map(|_| reused.get(1, || count(&counts, cost), always)),
        )
        .await;
        let soon_after = reused.get(1, || count(&counts, cost), always).await;
        let other_digest = reused.get(2, || count(&counts, cost), always).await;

        assert!(together.iter().all(|c| *c == Ok(Some(1))), "{together:?}");
        assert_eq!(soon_after, Ok(Some(1)));
        assert_eq!(other_digest, Ok(Some(2)));
        tokio::time::sleep(cost * REUSE_FOR_COSTS).await;
        let later = reused.get(1, || count(&counts, cost), always).await;
        assert_eq!(later, Ok(Some(3)), "stale: counted again");
    }

    #[tokio::test(start_paused = true)]
    async fn a_count_not_worth_reusing_or_forgotten_is_made_again() {
        let (reused, counts) = (Reused::default(), AtomicU32::new(0));
        let cost = Duration::from_millis(20);
        let small = |_: &u32| false;
        let first = reused.get(1, || count(&counts, cost), small).await;
        let second = reused.get(1, || count(&counts, cost), small).await;
        assert_eq!((first, second), (Ok(Some(1)), Ok(Some(2))));

        reused
            .get(1, || count(&counts, cost), always)
            .await
            .unwrap();
        reused.forget(1);
        let after = reused.get(1, || count(&counts, cost), always).await;
        assert_eq!(after, Ok(Some(4)));
    }
}
