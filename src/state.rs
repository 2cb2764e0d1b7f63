use std::sync::Arc;

use axum::extract::FromRef;
use tokio::sync::Notify;

use crate::config::Settings;
use crate::consent::ConsentStatement;
use crate::db::Db;
use crate::mail::Mailer;
use crate::subscribers::SignupLimiter;

/// What handlers and background tasks share; cheap to clone.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub db: Db,
    pub mailer: Mailer,
    pub settings: Arc<Settings>,
    pub consent: Arc<ConsentStatement>,
    pub signup_limiter: Arc<SignupLimiter>,
    /// Wakes the outbox worker when a request queues mail.
    pub outbox_wake: Arc<Notify>,
}
