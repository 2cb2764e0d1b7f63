//! Consent as evidence: the exact statement a reader agreed to and an append-only log of
//! what happened to their consent (granted, confirmed, withdrawn), when, how and from where.
//! The log is never updated (a database trigger refuses it) and rows leave only with their
//! subscriber.

mod queries;

use askama::Template;
use sha2::{Digest, Sha256};

use crate::config::PolicySettings;
use crate::db::{Db, Millis, Tx};

pub use queries::{
    ConsentRecord, NOTICE_DUE, StaleConsent, copy_latest_grant, events_for, insert_events_bulk,
    record_notices, stale, withdraw_for_complaint,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsentEvent {
    Granted,
    Confirmed,
    Withdrawn,
}

impl ConsentEvent {
    pub fn as_str(self) -> &'static str {
        match self {
            ConsentEvent::Granted => "granted",
            ConsentEvent::Confirmed => "confirmed",
            ConsentEvent::Withdrawn => "withdrawn",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsentSource {
    Form,
    Api,
    Import,
    /// A spam complaint reported by the reader's mailbox provider.
    Complaint,
}

impl ConsentSource {
    pub fn as_str(self) -> &'static str {
        match self {
            ConsentSource::Form => "form",
            ConsentSource::Api => "api",
            ConsentSource::Import => "import",
            ConsentSource::Complaint => "complaint",
        }
    }
}

/// Where a request came from, as recorded with consent.
#[derive(Debug, Clone, Default)]
pub struct ClientInfo {
    pub ip: Option<std::net::IpAddr>,
    pub user_agent: Option<String>,
}

/// The consent checkbox label exactly as the form shows it (HTML, links included), rendered
/// once at start from the policy settings; its hash identifies it in the log.
#[derive(Template)]
#[template(path = "consent_label.html")]
struct ConsentLabel<'a> {
    privacy_url: &'a str,
    terms_url: &'a str,
}

#[derive(Debug, Clone)]
pub struct ConsentStatement {
    pub html: String,
    pub hash: String,
    pub privacy_version: String,
    pub terms_version: String,
}

impl ConsentStatement {
    pub fn from_policy(policy: &PolicySettings) -> anyhow::Result<ConsentStatement> {
        let label = ConsentLabel {
            privacy_url: policy.privacy_url.as_str(),
            terms_url: policy.terms_url.as_str(),
        };
        let html = label.render()?.trim().to_string();
        let hash = hex::encode(Sha256::digest(html.as_bytes()));
        Ok(ConsentStatement {
            html,
            hash,
            privacy_version: policy.privacy_version.clone(),
            terms_version: policy.terms_version.clone(),
        })
    }

    /// What an import records in place of the sentence a reader ticked: the editor's word
    /// that the reader agreed, under the policy versions now in force.
    pub fn for_import(policy: &PolicySettings, confirmed: bool) -> ConsentStatement {
        let html = if confirmed {
            "Imported by an editor, who vouched that the reader had agreed to the Privacy Policy \
             and Terms of Use and confirmed their address elsewhere."
        } else {
            "Imported by an editor, who vouched that the reader had agreed to the Privacy Policy \
             and Terms of Use; the reader was asked to confirm by email."
        };
        ConsentStatement {
            html: html.to_string(),
            hash: hex::encode(Sha256::digest(html.as_bytes())),
            privacy_version: policy.privacy_version.clone(),
            terms_version: policy.terms_version.clone(),
        }
    }

    /// Keeps a copy of the statement's text so that every event can point at it by hash.
    pub async fn register(&self, db: &Db, now: Millis) -> sqlx::Result<()> {
        queries::insert_text(&db.pool, &self.hash, &self.html, now).await
    }
}

/// What one event records, beyond the subscriber and the time.
pub struct Evidence<'a> {
    pub statement: &'a ConsentStatement,
    pub source: ConsentSource,
    pub form: Option<&'a str>,
    pub client: &'a ClientInfo,
    /// The newsletters asked for (slugs, space-separated).
    pub newsletters: Option<&'a str>,
}

pub async fn record(
    tx: &mut Tx<'_>,
    subscriber_id: i64,
    event: ConsentEvent,
    evidence: &Evidence<'_>,
    now: Millis,
) -> sqlx::Result<()> {
    queries::insert_event(tx, subscriber_id, event, evidence, now).await
}
