//! The send engine: everything that leaves Tidings by SMTP (confirmations, welcomes, data
//! exports, digests) goes through here. `mail.concurrency` lanes, each with one SMTP
//! connection (so never more connections than that), claim due rows from the two leased
//! queues (the outbox first, so that a reader who just signed up is not kept waiting behind
//! a digest), hand them to the renderer their kind registered, send under the one global
//! rate limit, and record each outcome before the next send (`recorder`). Leases are short
//! and renewed while the sender lives (`leases`).
//!
//! Every kind is treated alike: a 4xx reply or a dropped connection is retried with backoff
//! and jitter until `mail.max_attempts`; a 5xx reply fails at once, and a 5.1.x ("no such
//! user") marks the reader bounced; while the server cannot be reached at all the rows keep
//! their place without using attempts and the lane waits longer each time; a row that can
//! never become an email fails on its own without holding up the others; a cancelled digest
//! or a reader who left sends nothing; on shutdown the message in hand finishes and is
//! recorded, and the rest of the batch goes back to the queue.

mod leases;
mod recorder;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use crate::db::{self, Millis};
use crate::delivery::{self, DigestEmails};
use crate::digests::TestEmails;
use crate::mail::{MailError, SmtpSession};
use crate::queue::{Job, Kind, Rendered, Renderer, RowStatus, backoff};
use crate::state::AppState;
use crate::subscribers::{ConfirmationEmails, DataExportEmails, WelcomeEmails};
use crate::unsubscribe::UnsubscribeLinkEmails;
use crate::{outbox, telemetry};
use leases::Leases;
use recorder::{Committed, Outcome, Recorder};

/// Rows one lane claims from a queue at a time: small enough that lanes share a short
/// digest and a shutdown hands few rows back, large enough to keep claims cheap.
const BATCH: usize = 16;
/// Of a batch with rows of both queues, at least this many are the digest's: confirmations
/// go first, but a burst of signups still leaves room for the digest being sent.
const DIGEST_SHARE: usize = 8;

/// "The outbox has something due": raised by whoever queues mail in this process, so that
/// lanes busy with a digest look at the outbox at once and idle ones wake up. Lanes also look
/// every `mail.poll_interval` for what other instances queued.
#[derive(Default)]
pub struct Wake {
    due: AtomicBool,
    notify: Notify,
}

impl Wake {
    pub fn wake(&self) {
        self.due.store(true, Ordering::Release);
        self.notify.notify_one();
    }

    fn take(&self) -> bool {
        self.due.swap(false, Ordering::AcqRel)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Some rows were worked on; there may be more.
    Worked,
    /// Nothing is due.
    Idle,
    /// The mail server could not be reached; the rows keep their place.
    Unreachable,
}

pub struct Engine {
    state: AppState,
    recorder: Recorder,
    leases: Leases,
    confirmations: ConfirmationEmails,
    welcomes: WelcomeEmails,
    exports: DataExportEmails,
    unsubscribe_links: UnsubscribeLinkEmails,
    tests: TestEmails,
    digests: DigestEmails,
    /// Ends the lease renewals when the engine goes.
    background: CancellationToken,
    /// When this engine last gave the rows of dead senders back to their queues.
    expired_released: std::sync::Mutex<Option<Instant>>,
}

impl Drop for Engine {
    fn drop(&mut self) {
        self.background.cancel();
    }
}

/// One lane's SMTP connection and when it last looked at the outbox.
struct Lane {
    session: Option<SmtpSession>,
    outbox_looked_at: Option<Instant>,
}

impl Engine {
    pub fn start(state: AppState) -> Arc<Engine> {
        let policy = &state.settings.policy;
        let recorder = Recorder::start(
            state.db.clone(),
            policy.privacy_version.clone(),
            policy.terms_version.clone(),
        );
        let leases = Leases::default();
        let background = CancellationToken::new();
        leases.spawn_renewals(state.db.clone(), lease_ms(&state), background.clone());
        Arc::new(Engine {
            state,
            recorder,
            leases,
            confirmations: ConfirmationEmails,
            welcomes: WelcomeEmails,
            exports: DataExportEmails,
            unsubscribe_links: UnsubscribeLinkEmails,
            tests: TestEmails,
            digests: DigestEmails::default(),
            background,
            expired_released: std::sync::Mutex::new(None),
        })
    }

    /// The renderer each kind of mail registered.
    fn renderer(&self, kind: Kind) -> &dyn Renderer {
        match kind {
            Kind::Confirmation => &self.confirmations,
            Kind::Welcome => &self.welcomes,
            Kind::DataExport => &self.exports,
            Kind::UnsubscribeLink => &self.unsubscribe_links,
            Kind::TestDigest => &self.tests,
            Kind::Digest => &self.digests,
        }
    }

    /// Runs the lanes until shutdown; each finishes the message in hand before it stops.
    /// With `mail.concurrency = 0` there are none: this instance sends nothing and leaves
    /// the queues to other instances (or to `drain`).
    pub async fn run(self: Arc<Self>, shutdown: CancellationToken) {
        let lanes: Vec<_> = (0..self.state.settings.mail.concurrency)
            .map(|_| tokio::spawn(self.clone().lane(shutdown.clone())))
            .collect();
        for lane in lanes {
            if let Err(err) = lane.await {
                tracing::error!(error = %err, "send lane panicked");
            }
        }
        tracing::info!("send engine stopped");
    }

    /// Sends everything due now, on one lane, and returns when nothing is left (rows waiting
    /// for a retry later are left for later). What tests and `digest send` drive.
    pub async fn drain(&self) -> anyhow::Result<()> {
        let mut lane = Lane {
            session: self.state.mailer.session(),
            outbox_looked_at: None,
        };
        let never = CancellationToken::new();
        let result = loop {
            match self.step(&mut lane, &never, true).await {
                Ok(Step::Worked) => continue,
                Ok(Step::Idle) => break Ok(()),
                Ok(Step::Unreachable) => {
                    break Err(anyhow::anyhow!("the mail server is unreachable"));
                }
                Err(err) => break Err(err),
            }
        };
        if let Some(session) = lane.session.as_mut() {
            session.close().await;
        }
        result
    }

    async fn lane(self: Arc<Self>, shutdown: CancellationToken) {
        let mail = &self.state.settings.mail;
        let poll = mail.poll_interval;
        let mut lane = Lane {
            session: self.state.mailer.session(),
            outbox_looked_at: None,
        };
        let mut outage: u32 = 0;
        while !shutdown.is_cancelled() {
            let wait = match self.step(&mut lane, &shutdown, false).await {
                Ok(Step::Worked) => {
                    outage = 0;
                    continue;
                }
                Ok(Step::Unreachable) => {
                    outage = outage.saturating_add(1);
                    backoff(mail.retry_base, mail.retry_max, outage - 1)
                }
                Ok(Step::Idle) => poll,
                Err(err) => {
                    tracing::error!(
                        error = telemetry::redact(format!("{err:#}")),
                        "send step failed"
                    );
                    poll
                }
            };
            tokio::select! {
                _ = self.state.outbox_wake.notify.notified(), if outage == 0 => {}
                _ = self.state.delivery_wake.notified(), if outage == 0 => {}
                _ = tokio::time::sleep(wait) => {}
                _ = shutdown.cancelled() => {}
            }
        }
        if let Some(session) = lane.session.as_mut() {
            session.close().await;
        }
    }

    /// Claims one batch and works through it.
    async fn step(
        &self,
        lane: &mut Lane,
        shutdown: &CancellationToken,
        always_look_at_outbox: bool,
    ) -> anyhow::Result<Step> {
        let state = &self.state;
        let (now, lease) = (db::now(), lease_ms(state));
        let poll = state.settings.mail.poll_interval;
        let look = always_look_at_outbox
            | state.outbox_wake.take()
            | lane.outbox_looked_at.is_none_or(|at| at.elapsed() >= poll);
        self.release_expired(now).await?;
        // Both queues in one transaction: on SQLite a claim is a turn at the one writer,
        // which signups and outcomes wait for too.
        let mut tx = state.db.begin_bookkeeping().await?;
        let mut jobs = Vec::with_capacity(BATCH + DIGEST_SHARE);
        if look {
            lane.outbox_looked_at = Some(Instant::now());
            jobs = outbox::claim(&mut tx, now, lease, BATCH as i64).await?;
            // More may wait: another lane takes the next batch now, rather than at its
            // next poll (a lane that found nothing sleeps until it is woken).
            if jobs.len() == BATCH {
                state.outbox_wake.wake();
            }
        }
        let room = (BATCH - jobs.len()).max(DIGEST_SHARE);
        jobs.extend(delivery::claim(&mut tx, now, lease, room as i64).await?);
        tx.commit().await?;
        if jobs.is_empty() {
            return Ok(Step::Idle);
        }
        for job in &jobs {
            self.leases.hold(job.queue, [job.id]);
        }
        let rendered = self.render(&jobs).await;
        self.send(lane, jobs, rendered, shutdown).await
    }

    /// Gives the rows whose sender died back to their queues: at the first step, then as
    /// often as leases are renewed (a quarter of `mail.lease`), by one lane at a time.
    async fn release_expired(&self, now: Millis) -> anyhow::Result<()> {
        let every = leases::renewal_interval(lease_ms(&self.state));
        {
            let mut last = self.expired_released.lock().expect("not poisoned");
            if last.is_some_and(|at| at.elapsed() < every) {
                return Ok(());
            }
            *last = Some(Instant::now());
        }
        for queue in [outbox::QUEUE, delivery::QUEUE] {
            let released = queue.release_expired(&self.state.db, now).await?;
            if released > 0 {
                tracing::info!(
                    queue = queue.table,
                    rows = released,
                    "rows of a stopped sender are due again"
                );
            }
        }
        Ok(())
    }

    /// Each job handed to its kind's renderer; the results in the jobs' order.
    async fn render(&self, jobs: &[Job]) -> Vec<Rendered> {
        let mut rendered: Vec<Option<Rendered>> = jobs.iter().map(|_| None).collect();
        for kind in [
            Kind::Confirmation,
            Kind::Welcome,
            Kind::DataExport,
            Kind::UnsubscribeLink,
            Kind::TestDigest,
            Kind::Digest,
        ] {
            let (at, of_kind): (Vec<usize>, Vec<Job>) = jobs
                .iter()
                .enumerate()
                .filter(|(_, job)| job.kind == kind)
                .map(|(i, job)| (i, job.clone()))
                .unzip();
            if of_kind.is_empty() {
                continue;
            }
            let made = self.renderer(kind).render(&self.state, &of_kind).await;
            for (i, one) in at.into_iter().zip(made) {
                rendered[i] = Some(one);
            }
        }
        rendered
            .into_iter()
            .map(|r| r.unwrap_or_else(|| Rendered::NotNow("the renderer gave no answer".into())))
            .collect()
    }

    async fn send(
        &self,
        lane: &mut Lane,
        jobs: Vec<Job>,
        rendered: Vec<Rendered>,
        shutdown: &CancellationToken,
    ) -> anyhow::Result<Step> {
        let state = &self.state;
        let mail = &state.settings.mail;
        let mut step = Step::Worked;
        // Once the server is unreachable, or the process is stopping, the rest of the batch
        // goes back to the queue untried.
        let mut hand_back: Option<String> = None;
        // The outcome of the last message sent, on its way to the database: the next message
        // is built meanwhile, but not sent before it is committed. That is what bounds the
        // duplicates a crash can cause to one message per lane.
        let mut failure = None;
        let mut last_sent: Option<(Job, Committed)> = None;
        let mut submitted: Vec<(Job, Committed)> = Vec::new();
        for (job, rendered) in jobs.into_iter().zip(rendered) {
            let now = db::now();
            let later = |reason: String, count_attempt: bool, attempt: i64| Outcome::Later {
                queue: job.queue,
                id: job.id,
                at: now
                    + backoff(mail.retry_base, mail.retry_max, attempt as u32).as_millis()
                        as Millis,
                reason,
                count_attempt,
            };
            if hand_back.is_none() && shutdown.is_cancelled() {
                hand_back = Some("the sender stopped".into());
            }
            let outcome = match (rendered, &hand_back) {
                (_, Some(reason)) => later(reason.clone(), false, 0),
                (Rendered::NothingToSend, None) => Outcome::Final {
                    queue: job.queue,
                    id: job.id,
                    status: job.queue.nothing_to_send,
                    reason: None,
                    bounced: None,
                },
                (Rendered::Impossible(why), None) => {
                    state.metrics.failed.inc();
                    tracing::warn!(
                        queue = job.queue.table,
                        row = job.id,
                        subscriber_id = job.subscriber_id,
                        reason = telemetry::redact(&why),
                        "message cannot be made; marked failed"
                    );
                    failed(&job, why, None)
                }
                (Rendered::NotNow(why), None) => {
                    tracing::warn!(
                        queue = job.queue.table,
                        row = job.id,
                        reason = telemetry::redact(&why),
                        "preparing a message failed; will retry"
                    );
                    later(why, false, job.attempts)
                }
                (Rendered::Email { email, notices }, None) => {
                    let built = state.mailer.build(*email);
                    if let Some((previous, committed)) = last_sent.take() {
                        let recorded = committed.wait().await;
                        self.leases.release(previous.queue, previous.id);
                        if let Err(err) = recorded {
                            hand_back = Some("recording outcomes failed".into());
                            failure = Some(anyhow::anyhow!(err));
                        }
                    }
                    let sent = match (built, &hand_back) {
                        (_, Some(reason)) => Err(MailError::Unreachable(reason.clone())),
                        (Ok(built), None) => {
                            state.mailer.send_built(lane.session.as_mut(), built).await
                        }
                        (Err(err), None) => Err(err),
                    };
                    match sent {
                        // Handed back untried: the recorder failed just now.
                        Err(_) if failure.is_some() => {
                            later("recording outcomes failed".into(), false, 0)
                        }
                        Ok(message_id) => {
                            state.metrics.sent.inc();
                            if job.kind != Kind::Digest {
                                tracing::info!(%message_id, kind = ?job.kind, subscriber_id = job.subscriber_id, "email sent");
                            }
                            let committed = self
                                .recorder
                                .submit(Outcome::Sent {
                                    queue: job.queue,
                                    id: job.id,
                                    noticed: notices,
                                })
                                .await;
                            last_sent = Some((job, committed));
                            continue;
                        }
                        Err(MailError::Temporary(reply))
                            if job.attempts + 1 < i64::from(mail.max_attempts) =>
                        {
                            state.metrics.retried.inc();
                            tracing::warn!(
                                queue = job.queue.table,
                                row = job.id,
                                reply = telemetry::redact(&reply),
                                attempt = job.attempts + 1,
                                "temporary failure; will retry"
                            );
                            later(reply, true, job.attempts)
                        }
                        Err(MailError::Unreachable(reason)) => {
                            state.metrics.retried.inc();
                            tracing::warn!(
                                reason = telemetry::redact(&reason),
                                "mail server unreachable; messages keep their place"
                            );
                            step = Step::Unreachable;
                            hand_back = Some(reason.clone());
                            later(reason, false, 0)
                        }
                        Err(err) => {
                            state.metrics.failed.inc();
                            let reply = err.to_string();
                            let bounced = job
                                .subscriber_id
                                .filter(|_| is_no_such_user(&reply))
                                .map(|reader| (reader, job.digest_id));
                            tracing::warn!(
                                queue = job.queue.table,
                                row = job.id,
                                subscriber_id = job.subscriber_id,
                                reply = telemetry::redact(&reply),
                                bounced = bounced.is_some(),
                                "message failed"
                            );
                            failed(&job, reply, bounced)
                        }
                    }
                }
            };
            let committed = self.recorder.submit(outcome).await;
            submitted.push((job, committed));
        }
        submitted.extend(last_sent);
        for (job, committed) in submitted {
            if let Err(err) = committed.wait().await {
                failure.get_or_insert(anyhow::anyhow!(err));
            }
            // A row whose outcome was not recorded keeps its lease until it runs out.
            self.leases.release(job.queue, job.id);
        }
        match failure {
            Some(err) => Err(err),
            None => Ok(step),
        }
    }
}

fn failed(job: &Job, reason: String, bounced: Option<(i64, Option<i64>)>) -> Outcome {
    Outcome::Final {
        queue: job.queue,
        id: job.id,
        status: RowStatus::Failed,
        reason: Some(reason),
        bounced,
    }
}

fn lease_ms(state: &AppState) -> Millis {
    state.settings.mail.lease.as_millis() as Millis
}

/// RFC 3463 5.1.x: the address itself is bad (no such user, bad domain...).
fn is_no_such_user(reply: &str) -> bool {
    reply.contains("permanent") && reply.contains(" 5.1.")
}

/// Runs the engine until shutdown (the server's background sender).
pub async fn run(state: AppState, shutdown: CancellationToken) {
    Engine::start(state).run(shutdown).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_5_1_x_replies_count_as_bounces() {
        assert!(is_no_such_user(
            "permanent failure: permanent error (550): 5.1.1 no such user"
        ));
        assert!(!is_no_such_user(
            "permanent failure: permanent error (552): 5.2.2 mailbox full"
        ));
        assert!(!is_no_such_user(
            "temporary failure: transient error (451): 5.1.1 odd"
        ));
    }
}
