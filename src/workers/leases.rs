//! Short leases, renewed while their sender lives: a row claimed by this process stays its
//! own however slow the mail server is, and after a crash (whose rows nobody renews) the
//! rows are free again within one lease, `mail.lease`.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use crate::db::{self, Db, Millis};
use crate::queue::LeasedQueue;

/// The rows this process holds, by queue.
#[derive(Clone, Default)]
pub struct Leases {
    held: Arc<Mutex<HashMap<LeasedQueue, HashSet<i64>>>>,
}

impl Leases {
    pub fn hold(&self, queue: LeasedQueue, ids: impl IntoIterator<Item = i64>) {
        let mut held = self.held.lock().expect("not poisoned");
        held.entry(queue).or_default().extend(ids);
    }

    pub fn release(&self, queue: LeasedQueue, id: i64) {
        let mut held = self.held.lock().expect("not poisoned");
        if let Some(ids) = held.get_mut(&queue) {
            ids.remove(&id);
        }
    }

    /// Renews every held row's lease a few times per lease, until `stop`.
    pub fn spawn_renewals(&self, db: Db, lease_ms: Millis, stop: CancellationToken) {
        let leases = self.clone();
        let every = renewal_interval(lease_ms);
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    _ = tokio::time::sleep(every) => {}
                    _ = stop.cancelled() => return,
                }
                let held: Vec<(LeasedQueue, Vec<i64>)> = {
                    let held = leases.held.lock().expect("not poisoned");
                    held.iter()
                        .map(|(queue, ids)| (*queue, ids.iter().copied().collect()))
                        .collect()
                };
                for (queue, ids) in held {
                    if let Err(err) = queue.renew(&db, &ids, db::now() + lease_ms).await {
                        tracing::warn!(error = %err, queue = queue.table, "renewing leases failed; will try again");
                    }
                }
            }
        });
    }
}

/// How often held leases are renewed, and expired ones looked for: a few times per lease.
pub fn renewal_interval(lease_ms: Millis) -> Duration {
    Duration::from_millis((lease_ms / 4).max(250) as u64)
}
