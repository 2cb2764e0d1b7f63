//! Signups written in batches: one task writes them, each time taking every signup waiting
//! at that moment into one transaction (group commit). A transaction costs a BEGIN and a
//! COMMIT besides its statements, each a round trip to the database (on SQLite, a hop to the
//! connection's thread and back), and SQLite lets one writer in at a time; sharing them among
//! the signups that arrived together is what lets signups keep up under load. Idle, a batch
//! is one signup and nothing waits.
//!
//! A request that goes away (the client hung up) leaves its signup queued: it is written all
//! the same. A batch that fails is written again one signup at a time, so each request gets
//! its own answer.

use std::collections::HashMap;
use std::sync::Arc;

use tokio::sync::{Mutex, mpsc, oneshot};

use super::signup::{self, NewSubscription, SignupOutcome};
use crate::consent::{ClientInfo, ConsentSource, ConsentStatements};
use crate::db::{self, Backend, Db};
use crate::error::{AppError, AppResult};

/// The most signups in one transaction: on SQLite, where one writer takes every signup, as
/// many as keep it busy; on PostgreSQL, where writers run side by side, fewer, so that no
/// signup waits behind a long transaction.
const MAX_BATCH: usize = 64;
const MAX_BATCH_PARALLEL: usize = 16;

pub struct Job {
    pub new: NewSubscription,
    pub source: ConsentSource,
    pub client: ClientInfo,
    reply: oneshot::Sender<AppResult<Written>>,
}

pub struct Written {
    pub subscriber_id: i64,
    pub outcome: SignupOutcome,
}

/// Where requests hand their signups to the writer.
pub type Signups = mpsc::Sender<Job>;

struct Writer {
    batch_size: usize,
    db: Db,
    statements: Arc<ConsentStatements>,
    daily_limit: i64,
}

/// Starts the writers; they stop when the last sender is dropped. SQLite takes one writer at
/// a time, so one task; PostgreSQL writes in parallel, so a task per pooled connection but
/// two (those stay for reads and the background workers).
pub fn spawn(
    db: Db,
    max_connections: u32,
    statements: Arc<ConsentStatements>,
    daily_limit: i64,
) -> Signups {
    let (signups, jobs) = mpsc::channel(4 * MAX_BATCH);
    let jobs = Arc::new(Mutex::new(jobs));
    let (writers, batch_size) = match db.backend {
        Backend::Sqlite => (1, MAX_BATCH),
        Backend::Postgres => (max_connections.saturating_sub(2).max(1), MAX_BATCH_PARALLEL),
    };
    let writer = Arc::new(Writer {
        batch_size,
        db,
        statements,
        daily_limit,
    });
    for _ in 0..writers {
        tokio::spawn(writer.clone().run(jobs.clone()));
    }
    signups
}

pub async fn submit(
    signups: &Signups,
    new: NewSubscription,
    source: ConsentSource,
    client: ClientInfo,
) -> AppResult<Written> {
    let (reply, written) = oneshot::channel();
    let job = Job {
        new,
        source,
        client,
        reply,
    };
    let stopped = || AppError::Unexpected(anyhow::anyhow!("the signup writer has stopped"));
    signups.send(job).await.map_err(|_| stopped())?;
    written.await.map_err(|_| stopped())?
}

impl Writer {
    async fn run(self: Arc<Self>, jobs: Arc<Mutex<mpsc::Receiver<Job>>>) {
        let mut batch = Vec::with_capacity(self.batch_size);
        // The lock is held only while taking a batch, so another writer takes the next.
        while jobs
            .lock()
            .await
            .recv_many(&mut batch, self.batch_size)
            .await
            > 0
        {
            match self.write(&batch).await {
                Ok(written) => {
                    for (job, written) in batch.drain(..).zip(written) {
                        let _ = job.reply.send(Ok(written));
                    }
                }
                Err(err) if batch.len() == 1 => {
                    let job = batch.pop().expect("one job");
                    let _ = job.reply.send(Err(err));
                }
                // The database is out of reach or busy: one at a time would only make each
                // request wait longer for the same answer.
                Err(AppError::Busy) => {
                    for job in batch.drain(..) {
                        let _ = job.reply.send(Err(AppError::Busy));
                    }
                }
                Err(err) => {
                    tracing::warn!(
                        error = crate::telemetry::redact(&err),
                        signups = batch.len(),
                        "a batch of signups failed; writing them one by one"
                    );
                    for job in batch.drain(..) {
                        let written = self
                            .write(std::slice::from_ref(&job))
                            .await
                            .map(|mut one| one.remove(0));
                        let _ = job.reply.send(written);
                    }
                }
            }
        }
    }

    async fn write(&self, jobs: &[Job]) -> AppResult<Vec<Written>> {
        let now = db::now();
        let mut tx = self.db.begin().await?;
        let mut written: Vec<Option<Written>> = jobs.iter().map(|_| None).collect();
        for round in rounds(jobs) {
            let of_round: Vec<&Job> = round.iter().map(|&i| &jobs[i]).collect();
            let answers =
                signup::write(&mut tx, &self.statements, self.daily_limit, &of_round, now).await?;
            for (i, answer) in round.into_iter().zip(answers) {
                written[i] = Some(answer);
            }
        }
        tx.commit().await?;
        Ok(written.into_iter().flatten().collect())
    }
}

/// The batch as rounds in which each address comes at most once (a statement cannot change
/// one row twice), as positions in the batch; an address signed up for twice in one batch
/// gets its second signup in the next round, after the first, as if one at a time.
fn rounds(jobs: &[Job]) -> Vec<Vec<usize>> {
    let mut rounds: Vec<Vec<usize>> = Vec::new();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, job) in jobs.iter().enumerate() {
        let times = seen.entry(job.new.email.key()).or_default();
        if rounds.len() <= *times {
            rounds.push(Vec::new());
        }
        rounds[*times].push(i);
        *times += 1;
    }
    rounds
}
