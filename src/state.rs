use std::sync::Arc;

use axum::extract::FromRef;
use tokio::sync::Notify;

use crate::branding::SharedBranding;
use crate::config::Settings;
use crate::consent::ConsentStatements;
use crate::db::Db;
use crate::i18n::{Catalog, Locale, Words};
use crate::mail::Mailer;
use crate::metrics::Metrics;
use crate::subscribers::batch::Signups;
use crate::web::rate_limit::IpRateLimiter;

/// What handlers and background tasks share; cheap to clone.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub db: Db,
    pub mailer: Mailer,
    pub settings: Arc<Settings>,
    /// The consent sentence in each language.
    pub consent: Arc<ConsentStatements>,
    /// Readers' words in every language (`i18n`).
    pub catalog: Catalog,
    #[from_ref(skip)]
    pub signup_limiter: Arc<IpRateLimiter>,
    /// Editors' login attempts per client IP.
    #[from_ref(skip)]
    pub login_limiter: Arc<IpRateLimiter>,
    /// Tells the send engine that a request queued mail in the outbox.
    #[from_ref(skip)]
    pub outbox_wake: Arc<crate::workers::Wake>,
    /// Wakes the send engine's idle lanes when a digest is created.
    #[from_ref(skip)]
    pub delivery_wake: Arc<Notify>,
    /// Wakes the one-off send scheduler when an editor schedules a send.
    #[from_ref(skip)]
    pub schedule_wake: Arc<Notify>,
    pub metrics: Arc<Metrics>,
    pub keys: Arc<Keys>,
    /// The logo, accent colour, masthead and footer in force (see `branding`).
    pub branding: SharedBranding,
    /// The newsletters as signups look them up (re-read every few seconds).
    #[from_ref(skip)]
    pub newsletters: Arc<crate::newsletters::Directory>,
    /// Digests' counts as pollers read them (see `digests::Progress`).
    #[from_ref(skip)]
    pub progress: Arc<crate::digests::Progress>,
    /// The task that writes signups in batches.
    #[from_ref(skip)]
    pub signups: Signups,
}

impl AppState {
    /// The words of a locale.
    pub fn words(&self, locale: Locale) -> Words {
        self.catalog.words(locale)
    }

    /// The locale for a reader who is not known yet: the one asked for (a form's or the API's
    /// `locale`), else their browser's `Accept-Language`, among those offered.
    pub fn negotiate(&self, asked: Option<&str>, headers: &axum::http::HeaderMap) -> Locale {
        let newsletter = &self.settings.newsletter;
        crate::i18n::negotiate(
            &newsletter.locales,
            newsletter.default_locale,
            asked,
            headers
                .get(axum::http::header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok()),
        )
    }
}

/// Keys the service made for itself (see `secrets`).
pub struct Keys {
    pub unsubscribe: Vec<u8>,
    /// Signs the envelope sender of each digest email (VERP), so a bounce names its reader.
    pub return_path: Vec<u8>,
    /// Keys the hashes erasure leaves in the suppression list.
    pub suppression: Vec<u8>,
}
