//! Outcomes written as they happen, in group commits: every sender hands its outcome to one
//! task and waits until it is committed before it sends again, and the task writes all the
//! outcomes that arrived meanwhile in one transaction (as signups are written), a few such
//! transactions at once on PostgreSQL. So after a
//! kill at most one message per sender, `mail.concurrency` in all, went out without its
//! outcome on record, and under load a commit carries many outcomes at once.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Semaphore, mpsc, oneshot};

use crate::db::{self, Backend, Db, Millis};
use crate::queue::{LeasedQueue, RowStatus};
use crate::{bounces, consent};

#[derive(Debug)]
pub enum Outcome {
    Sent {
        queue: LeasedQueue,
        id: i64,
        /// The reader this email told of the current policy versions.
        noticed: Option<i64>,
    },
    Final {
        queue: LeasedQueue,
        id: i64,
        status: RowStatus,
        reason: Option<String>,
        /// A reader whose address turned out not to exist, and the digest that found out.
        bounced: Option<(i64, Option<i64>)>,
    },
    Later {
        queue: LeasedQueue,
        id: i64,
        at: Millis,
        reason: String,
        count_attempt: bool,
    },
}

type Ack = oneshot::Sender<Result<(), String>>;

#[derive(Clone)]
pub struct Recorder {
    outcomes: mpsc::Sender<(Outcome, Ack)>,
}

/// The most outcomes in one transaction.
const MAX_GROUP: usize = 512;
/// Tries of one group before its senders are told it failed (their rows' leases then run
/// out and the messages are sent again, as after a crash).
const TRIES: u32 = 5;
/// Groups written at once on PostgreSQL.
const IN_FLIGHT_POSTGRES: usize = 4;

impl Recorder {
    /// Starts the writing task; it ends when every `Recorder` is dropped.
    ///
    /// On PostgreSQL up to `IN_FLIGHT_POSTGRES` groups are written at once, each on its own
    /// connection: a group's commit takes a few round trips, and senders whose outcomes
    /// arrive meanwhile would otherwise wait for it and then for their own group too. Groups
    /// touch different rows, so they do not wait for each other. SQLite has one writer, so
    /// there one group at a time.
    pub fn start(db: Db, privacy_version: String, terms_version: String) -> Recorder {
        let (outcomes, mut incoming) = mpsc::channel::<(Outcome, Ack)>(MAX_GROUP);
        let in_flight = Arc::new(Semaphore::new(match db.backend {
            Backend::Sqlite => 1,
            Backend::Postgres => IN_FLIGHT_POSTGRES,
        }));
        let versions = Arc::new((privacy_version, terms_version));
        tokio::spawn(async move {
            loop {
                // A permit first, so that outcomes arriving while every writer is busy
                // gather into the next group instead of waiting one by one.
                let Ok(permit) = in_flight.clone().acquire_owned().await else {
                    return;
                };
                let mut group = Vec::with_capacity(MAX_GROUP);
                if incoming.recv_many(&mut group, MAX_GROUP).await == 0 {
                    return;
                }
                let (db, versions) = (db.clone(), versions.clone());
                tokio::spawn(async move {
                    write_group(&db, group, &versions.0, &versions.1).await;
                    drop(permit);
                });
            }
        });
        Recorder { outcomes }
    }

    /// Hands the outcome over; the returned `Committed` resolves once it is committed.
    pub async fn submit(&self, outcome: Outcome) -> Committed {
        let (ack, committed) = oneshot::channel();
        // A closed channel shows as a dropped ack when awaited.
        let _ = self.outcomes.send((outcome, ack)).await;
        Committed(committed)
    }
}

/// Writes one group, trying a few times, and tells each sender how it went.
async fn write_group(
    db: &Db,
    mut group: Vec<(Outcome, Ack)>,
    privacy_version: &str,
    terms_version: &str,
) {
    let mut result = Err(String::new());
    for attempt in 0..TRIES {
        result = write(db, &group, privacy_version, terms_version)
            .await
            .map_err(|e| format!("{e:#}"));
        if result.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100 << attempt)).await;
    }
    if let Err(err) = &result {
        tracing::error!(
            error = crate::telemetry::redact(err),
            outcomes = group.len(),
            "recording outcomes failed; those messages will be sent again"
        );
    }
    for (_, ack) in group.drain(..) {
        let _ = ack.send(result.clone());
    }
}

/// An outcome on its way to the database.
pub struct Committed(oneshot::Receiver<Result<(), String>>);

impl Committed {
    pub async fn wait(self) -> Result<(), String> {
        self.0
            .await
            .map_err(|_| "the outcome recorder has stopped".to_string())?
    }
}

async fn write(
    db: &Db,
    group: &[(Outcome, Ack)],
    privacy_version: &str,
    terms_version: &str,
) -> anyhow::Result<()> {
    let now = db::now();
    let mut sent: HashMap<LeasedQueue, Vec<i64>> = HashMap::new();
    let mut nothing: HashMap<LeasedQueue, Vec<i64>> = HashMap::new();
    let mut noticed = Vec::new();
    let mut tx = db.begin_bookkeeping().await?;
    for (outcome, _) in group {
        match outcome {
            Outcome::Sent {
                queue,
                id,
                noticed: reader,
            } => {
                sent.entry(*queue).or_default().push(*id);
                noticed.extend(*reader);
            }
            Outcome::Final {
                queue,
                id,
                status,
                reason: None,
                bounced: None,
            } if *status == queue.nothing_to_send => nothing.entry(*queue).or_default().push(*id),
            Outcome::Final {
                queue,
                id,
                status,
                reason,
                bounced,
            } => {
                queue
                    .finish(&mut tx, &[*id], *status, reason.as_deref(), now)
                    .await?;
                if let Some((reader, digest)) = bounced {
                    let row = format!("{}:{id}", queue.table);
                    let reply = reason.as_deref().unwrap_or_default();
                    bounces::record_refusal(&mut tx, *reader, *digest, reply, &row, now).await?;
                }
            }
            Outcome::Later {
                queue,
                id,
                at,
                reason,
                count_attempt,
            } => {
                queue
                    .retry_later(&mut tx, &[*id], *at, reason, *count_attempt)
                    .await?;
            }
        }
    }
    for (queue, ids) in &sent {
        queue
            .finish(&mut tx, ids, RowStatus::Sent, None, now)
            .await?;
    }
    for (queue, ids) in &nothing {
        queue
            .finish(&mut tx, ids, queue.nothing_to_send, None, now)
            .await?;
    }
    // In one order in every group, so that two groups naming the same reader (two
    // digests at once) cannot wait for each other's rows in opposite orders.
    noticed.sort_unstable();
    noticed.dedup();
    consent::record_notices(&mut tx, &noticed, privacy_version, terms_version, now).await?;
    tx.commit().await?;
    Ok(())
}
