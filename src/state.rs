use std::sync::Arc;

use axum::extract::FromRef;
use tokio::sync::Notify;

use crate::branding::SharedBranding;
use crate::config::Settings;
use crate::consent::ConsentStatement;
use crate::db::Db;
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
    pub consent: Arc<ConsentStatement>,
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
    /// The task that writes signups in batches.
    #[from_ref(skip)]
    pub signups: Signups,
}

/// Keys the service made for itself (see `secrets`).
pub struct Keys {
    pub unsubscribe: Vec<u8>,
    /// Signs the envelope sender of each digest email (VERP), so a bounce names its reader.
    pub return_path: Vec<u8>,
    /// Keys the hashes erasure leaves in the suppression list.
    pub suppression: Vec<u8>,
}
