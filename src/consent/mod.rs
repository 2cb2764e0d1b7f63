//! Consent as evidence: the exact statement a reader agreed to and an append-only log of
//! what happened to their consent (granted, confirmed, withdrawn), when, how and from where.
//! The log is never updated (a database trigger refuses it) and rows leave only with their
//! subscriber.

mod queries;

use sha2::{Digest, Sha256};

use crate::config::PolicySettings;
use crate::db::{Db, Millis, Tx};
use crate::i18n::{Catalog, Locale, Words};

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

#[derive(Debug, Clone)]
pub struct ConsentStatement {
    pub html: String,
    pub hash: String,
    pub privacy_version: String,
    pub terms_version: String,
    /// The language it is written in; imports record the default locale's.
    pub locale: Locale,
}

/// The consent checkbox label exactly as the form shows it in each language (HTML, links
/// included), made once at start from the policy settings and the messages (`consent-label`,
/// which a publication may override); each one's hash identifies it in the log.
#[derive(Debug)]
pub struct ConsentStatements {
    by_locale: Vec<ConsentStatement>,
}

impl ConsentStatements {
    pub fn new(policy: &PolicySettings, catalog: &Catalog) -> ConsentStatements {
        let by_locale = Locale::SHIPPED
            .into_iter()
            .map(|locale| ConsentStatement::from_policy(policy, &catalog.words(locale)))
            .collect();
        ConsentStatements { by_locale }
    }

    pub fn get(&self, locale: Locale) -> &ConsentStatement {
        self.by_locale
            .iter()
            .find(|s| s.locale == locale)
            .unwrap_or(&self.by_locale[0])
    }

    /// Keeps a copy of each statement's text so that every event can point at it by hash.
    pub async fn register(&self, db: &Db, now: Millis) -> sqlx::Result<()> {
        for statement in &self.by_locale {
            statement.register(db, now).await?;
        }
        Ok(())
    }
}

impl ConsentStatement {
    pub fn from_policy(policy: &PolicySettings, words: &Words) -> ConsentStatement {
        let html = words
            .html(
                "consent-label",
                &[
                    ("privacy_url", policy.privacy_url.as_str()),
                    ("terms_url", policy.terms_url.as_str()),
                ],
            )
            .trim()
            .to_string();
        let hash = hex::encode(Sha256::digest(html.as_bytes()));
        ConsentStatement {
            html,
            hash,
            privacy_version: policy.privacy_version.clone(),
            terms_version: policy.terms_version.clone(),
            locale: words.locale(),
        }
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
            locale: Locale::ENGLISH,
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

/// Records `event` for each reader with their own evidence (a batch of signups), in one
/// statement.
pub async fn record(
    tx: &mut Tx<'_>,
    event: ConsentEvent,
    events: &[(i64, Evidence<'_>)],
    now: Millis,
) -> sqlx::Result<()> {
    queries::insert_events(tx, event, events, now).await
}
