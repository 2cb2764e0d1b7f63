//! Bounces and complaints: what happens after the SMTP hand-off. Reports arrive from
//! provider webhooks (`webhooks`) and from the engine itself (a 5xx reply during the send);
//! each is resolved to a reader (and the digest it was about, when that can be known), kept
//! once as evidence in `bounce_events`, and acted on:
//!
//! - a hard bounce marks the reader bounced: no more mail until they sign up and confirm again;
//! - a soft bounce is counted; `bounces.soft_limit` soft bounces on the reader's latest
//!   digests in a row mark them bounced (a digest in between that did not bounce resets it);
//! - a complaint unsubscribes the reader at once, with a `withdrawn` consent event whose
//!   source is `complaint`.
//!
//! Reports also come from the bounce mailbox (`mailbox`, read by `reports`).
//!
//! A report names its reader by our own Message-ID (`digest-D.reader-R@…`) or VERP return
//! path when the source passes one back, else by address (then the digest is the newest one
//! the reader was sent).

pub mod mailbox;
mod queries;
mod reports;
pub mod webhooks;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;

use crate::consent;
use crate::db::{self, Millis, Tx};
use crate::state::AppState;
use crate::subscribers::{self, EmailAddress};
use crate::token;
use crate::{delivery, digests};

pub use queries::{BounceCounts, BounceRecord, counts_for_digests, events_for};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Hard,
    Soft,
    Complaint,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Hard => "hard",
            Kind::Soft => "soft",
            Kind::Complaint => "complaint",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A 5xx reply while Tidings itself handed the message over.
    Smtp,
    /// The bounce mailbox.
    Imap,
    Ses,
    Postmark,
    Sendgrid,
    Mailgun,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Smtp => "smtp",
            Source::Imap => "imap",
            Source::Ses => "ses",
            Source::Postmark => "postmark",
            Source::Sendgrid => "sendgrid",
            Source::Mailgun => "mailgun",
        }
    }
}

/// One bounce or complaint as its source reported it.
#[derive(Debug, Clone)]
pub struct Report {
    pub source: Source,
    pub kind: Kind,
    /// The recipient address, as the report gives it.
    pub address: Option<String>,
    /// The Message-ID of the bounced message, when the report carries it.
    pub message_id: Option<String>,
    /// The envelope sender the bounce went back to (VERP), when known.
    pub return_path: Option<String>,
    /// Enhanced status code (`5.1.1`) or reply code.
    pub status_code: Option<String>,
    pub diagnostic: Option<String>,
    /// The source's own id for the event, so that a retry is recorded once.
    pub key: String,
}

/// What became of a batch of reports.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Tally {
    /// New events, recorded and acted on.
    pub recorded: usize,
    /// Seen before (a retried webhook).
    pub duplicates: usize,
    /// About no reader Tidings knows (erased, or never a reader).
    pub unknown: usize,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct KindLabel {
    kind: &'static str,
}

/// `tidings_bounces_total{kind}` and `tidings_complaints_total`.
#[derive(Default)]
pub struct BounceMetrics {
    pub bounces: Family<KindLabel, Counter>,
    pub complaints: Counter,
}

impl BounceMetrics {
    fn count(&self, kind: Kind) {
        match kind {
            Kind::Complaint => self.complaints.inc(),
            Kind::Hard | Kind::Soft => self
                .bounces
                .get_or_create(&KindLabel {
                    kind: kind.as_str(),
                })
                .inc(),
        };
    }
}

/// The envelope sender for a digest email: `bounces+TOKEN@domain` under
/// `bounces.return_path`, or `None` to keep the From address.
pub fn return_path(state: &AppState, digest_id: i64, subscriber_id: i64) -> Option<String> {
    let base = state.settings.bounces.return_path.as_ref()?;
    let token = token::sign_return_path(&state.keys.return_path, digest_id, subscriber_id);
    Some(format!("{}+{token}@{}", base.user(), base.domain()))
}

/// Records the reports, each once, and acts on the new ones, in one transaction.
pub async fn record(state: &AppState, reports: &[Report]) -> anyhow::Result<Tally> {
    let now = db::now();
    let mut tally = Tally::default();
    let mut counted = Vec::new();
    let mut tx = state.db.begin().await?;
    for report in reports {
        let Some((subscriber_id, digest_id)) = resolve(state, &mut tx, report).await? else {
            tally.unknown += 1;
            continue;
        };
        let event = NewEvent {
            subscriber_id,
            digest_id,
            source: report.source,
            kind: report.kind,
            status_code: report.status_code.as_deref(),
            diagnostic: report.diagnostic.as_deref(),
            key: &format!("{}:{}", report.source.as_str(), report.key),
        };
        if !queries::insert(&mut tx, &event, now).await? {
            tally.duplicates += 1;
            continue;
        }
        act(&mut tx, state.settings.bounces.soft_limit, &event, now).await?;
        tally.recorded += 1;
        counted.push(report.kind);
    }
    tx.commit().await?;
    for kind in counted {
        state.metrics.bounce.count(kind);
    }
    if tally.recorded > 0 {
        tracing::info!(
            recorded = tally.recorded,
            duplicates = tally.duplicates,
            unknown = tally.unknown,
            "bounce reports recorded"
        );
    }
    Ok(tally)
}

/// A 5xx reply during the send, recorded in the send engine's own transaction: the row's
/// queue and id make its key.
pub async fn record_refusal(
    tx: &mut Tx<'_>,
    subscriber_id: i64,
    digest_id: Option<i64>,
    reply: &str,
    row_key: &str,
    now: Millis,
) -> sqlx::Result<bool> {
    let event = NewEvent {
        subscriber_id,
        digest_id,
        source: Source::Smtp,
        kind: Kind::Hard,
        status_code: enhanced_status(reply),
        diagnostic: Some(reply),
        key: &format!("smtp:{row_key}"),
    };
    if !queries::insert(tx, &event, now).await? {
        return Ok(false);
    }
    act(tx, 0, &event, now).await?;
    Ok(true)
}

/// The first `x.y.z` enhanced status code (RFC 3463) in a reply or diagnostic.
pub fn enhanced_status(text: &str) -> Option<&str> {
    text.split(|c: char| c.is_whitespace() || c == ';' || c == '(' || c == ')')
        .find(|word| {
            let parts: Vec<&str> = word.split('.').collect();
            parts.len() == 3
                && matches!(parts[0], "2" | "4" | "5")
                && parts[1..]
                    .iter()
                    .all(|p| !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()))
        })
}

struct NewEvent<'a> {
    subscriber_id: i64,
    digest_id: Option<i64>,
    source: Source,
    kind: Kind,
    status_code: Option<&'a str>,
    diagnostic: Option<&'a str>,
    key: &'a str,
}

/// `soft_limit`: soft bounces in a row that make a reader bounced (0: never).
async fn act(
    tx: &mut Tx<'_>,
    soft_limit: u32,
    event: &NewEvent<'_>,
    now: Millis,
) -> sqlx::Result<()> {
    let reader = event.subscriber_id;
    match event.kind {
        Kind::Hard => bounce(tx, reader, now).await,
        Kind::Soft => {
            let Some(digest_id) = event.digest_id.filter(|_| soft_limit > 0) else {
                return Ok(());
            };
            if queries::soft_streak(tx, reader, digest_id, soft_limit).await? >= soft_limit {
                tracing::info!(
                    subscriber_id = reader,
                    "soft bounces in a row: marked bounced"
                );
                bounce(tx, reader, now).await?;
            }
            Ok(())
        }
        Kind::Complaint => {
            if subscribers::mark_unsubscribed(tx, reader, now).await? {
                consent::withdraw_for_complaint(tx, reader, now).await?;
                delivery::cancel_pending_for(tx, reader).await?;
            }
            Ok(())
        }
    }
}

async fn bounce(tx: &mut Tx<'_>, subscriber_id: i64, now: Millis) -> sqlx::Result<()> {
    subscribers::mark_bounced(tx, subscriber_id, now).await?;
    delivery::cancel_pending_for(tx, subscriber_id).await
}

/// The reader and digest a report is about; `None` when it names no reader we have.
async fn resolve(
    state: &AppState,
    tx: &mut Tx<'_>,
    report: &Report,
) -> sqlx::Result<Option<(i64, Option<i64>)>> {
    let verp = report
        .return_path
        .as_deref()
        .and_then(|address| from_return_path(state, address));
    // Anyone can email the bounce mailbox, and a Message-ID or an address in a report is
    // only what its sender wrote: from there, only the signed return path is believed.
    // (Webhooks are authenticated, so what their provider says is.)
    let named = match report.source {
        Source::Imap => verp,
        _ => verp.or_else(|| report.message_id.as_deref().and_then(from_message_id)),
    };
    if let Some((digest_id, subscriber_id)) = named {
        if !subscribers::exists(tx, subscriber_id).await? {
            return Ok(None);
        }
        // A digest id the report made up (or one since deleted) is no digest.
        let digest_id = if digests::queries::exists(tx, digest_id).await? {
            Some(digest_id)
        } else {
            None
        };
        return Ok(Some((subscriber_id, digest_id)));
    }
    if report.source == Source::Imap {
        return Ok(None);
    }
    let Some(address) = report.address.as_deref() else {
        return Ok(None);
    };
    let case_sensitive = state.settings.signup.case_sensitive_local_part;
    let Ok(address) = EmailAddress::parse(address, case_sensitive) else {
        return Ok(None);
    };
    let Some(subscriber_id) = subscribers::find_id_by_key(tx, address.key()).await? else {
        return Ok(None);
    };
    let digest_id = delivery::latest_sent_to(tx, subscriber_id).await?;
    Ok(Some((subscriber_id, digest_id)))
}

/// `bounces+12.345.mac@news.example` → (digest 12, reader 345), if we signed it.
fn from_return_path(state: &AppState, address: &str) -> Option<(i64, i64)> {
    let address = address.trim().trim_start_matches('<').trim_end_matches('>');
    let (local, _) = address.rsplit_once('@')?;
    let (_, token) = local.split_once('+')?;
    token::verify_return_path(&state.keys.return_path, token)
}

/// Our digest Message-IDs, `<digest-12.reader-345@news.example>` (brackets optional).
pub fn from_message_id(message_id: &str) -> Option<(i64, i64)> {
    let id = message_id
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>');
    let (local, _) = id.split_once('@')?;
    let (digest, reader) = local.strip_prefix("digest-")?.split_once(".reader-")?;
    Some((digest.parse().ok()?, reader.parse().ok()?))
}

/// Per-digest bounce figures as rates of its recipients, with the warnings an editor needs.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct DigestBounces {
    pub hard: i64,
    pub soft: i64,
    pub complaints: i64,
    /// Share of the digest's recipients, 0 to 1.
    pub hard_rate: f64,
    pub soft_rate: f64,
    pub complaint_rate: f64,
    /// Sentences for the editor when complaints pass 0.1 % or hard bounces 2 %.
    pub warnings: Vec<String>,
}

/// Complaint rate above which mailbox providers start filtering (Gmail and Yahoo ask for
/// under 0.3 %; SES reviews accounts above 0.1 %).
const COMPLAINT_WARNING: f64 = 0.001;
const HARD_BOUNCE_WARNING: f64 = 0.02;

impl DigestBounces {
    /// "2 hard (0.4 %), 1 soft (0.2 %), no complaints": for the digest page.
    pub fn summary(&self) -> String {
        let part = |count: i64, rate: f64, one: &str, many: &str| match count {
            0 => format!("no {many}"),
            1 => format!("1 {one} ({:.1} %)", rate * 100.0),
            n => format!("{n} {many} ({:.1} %)", rate * 100.0),
        };
        [
            part(self.hard, self.hard_rate, "hard bounce", "hard bounces"),
            part(self.soft, self.soft_rate, "soft bounce", "soft bounces"),
            part(
                self.complaints,
                self.complaint_rate,
                "complaint",
                "complaints",
            ),
        ]
        .join(", ")
    }

    pub fn new(counts: BounceCounts, recipients: i64) -> DigestBounces {
        let rate = |n: i64| {
            if recipients > 0 {
                n as f64 / recipients as f64
            } else {
                0.0
            }
        };
        let (hard_rate, complaint_rate) = (rate(counts.hard), rate(counts.complaints));
        let mut warnings = Vec::new();
        if complaint_rate > COMPLAINT_WARNING {
            warnings.push(format!(
                "{:.2} % of readers marked this digest as spam. Above 0.1 % mailbox providers start \
                 filtering; check that every reader asked for it and that unsubscribing is easy.",
                complaint_rate * 100.0
            ));
        }
        if hard_rate > HARD_BOUNCE_WARNING {
            warnings.push(format!(
                "{:.1} % of addresses bounced for good. Above 2 % providers see a stale list; \
                 import only addresses that confirmed recently.",
                hard_rate * 100.0
            ));
        }
        DigestBounces {
            hard: counts.hard,
            soft: counts.soft,
            complaints: counts.complaints,
            hard_rate,
            soft_rate: rate(counts.soft),
            complaint_rate,
            warnings,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn our_message_ids_name_digest_and_reader() {
        assert_eq!(
            from_message_id("<digest-12.reader-345@news.example>"),
            Some((12, 345))
        );
        assert_eq!(
            from_message_id("digest-12.reader-345@news.example"),
            Some((12, 345))
        );
        assert_eq!(from_message_id("<abc@news.example>"), None);
        assert_eq!(from_message_id("<digest-x.reader-1@a>"), None);
    }

    #[test]
    fn the_enhanced_status_code_is_found_in_a_reply() {
        assert_eq!(
            enhanced_status("550 5.1.1 <ada@example.com>: Recipient address rejected"),
            Some("5.1.1")
        );
        assert_eq!(
            enhanced_status("smtp; 452 4.2.2 mailbox full"),
            Some("4.2.2")
        );
        assert_eq!(enhanced_status("550 no such user"), None);
        assert_eq!(enhanced_status("version 1.2.3"), None);
    }

    #[test]
    fn warnings_start_past_the_thresholds() {
        let counts = |hard, complaints| BounceCounts {
            hard,
            soft: 0,
            complaints,
        };
        assert!(DigestBounces::new(counts(0, 1), 1000).warnings.is_empty());
        assert_eq!(DigestBounces::new(counts(0, 2), 1000).warnings.len(), 1);
        assert!(DigestBounces::new(counts(20, 0), 1000).warnings.is_empty());
        assert_eq!(DigestBounces::new(counts(21, 0), 1000).warnings.len(), 1);
        assert_eq!(DigestBounces::new(counts(0, 0), 0).hard_rate, 0.0);
    }
}
