//! Readers and how they join: the signup form and API, double opt-in by a confirmation link,
//! and the confirmation and welcome emails the outbox sends.

mod api;
pub mod batch;
pub mod choices;
mod confirm;
mod editor_pages;
mod email_address;
pub mod erasure;
pub mod export;
pub mod import;
mod queries;
pub mod retention;
mod routes;
mod signup;
pub mod subscriptions;
pub mod suppression;
mod welcome;

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

pub use confirm::ConfirmationEmails;
pub use email_address::{EmailAddress, EmailProblem};
pub use export::{DataExportEmails, prepare_data_export_email};
pub use queries::{
    Profile, Reader, Recipient, StatusFilter, exists, find_id_by_key, find_id_for_link,
    find_link_secret, find_profile, find_readers, find_recipient, find_recipients, mark_bounced,
    mark_unsubscribed, set_locale, set_name,
};
pub use routes::LocaleQuery;
pub use signup::{NameChange, SignupRequest};
pub use welcome::WelcomeEmails;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubscriptionStatus {
    Pending,
    Confirmed,
    Unsubscribed,
}

impl SubscriptionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SubscriptionStatus::Pending => "pending",
            SubscriptionStatus::Confirmed => "confirmed",
            SubscriptionStatus::Unsubscribed => "unsubscribed",
        }
    }

    fn from_db(value: String) -> sqlx::Result<SubscriptionStatus> {
        match value.as_str() {
            "pending" => Ok(SubscriptionStatus::Pending),
            "confirmed" => Ok(SubscriptionStatus::Confirmed),
            "unsubscribed" => Ok(SubscriptionStatus::Unsubscribed),
            other => Err(sqlx::Error::Decode(
                format!("unknown subscriber status {other:?}").into(),
            )),
        }
    }
}

/// The readers' pages (signup, confirmation) and the editors' pages over readers.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(routes::signup_page))
        // GET too: after a form error the browser's address bar says /subscribe, and a
        // reload there should show the form, not an error.
        .route(
            "/subscribe",
            get(routes::signup_page).post(routes::subscribe_form),
        )
        .route("/subscribe/thanks", get(routes::thanks_page))
        .route(
            "/confirm/{token}",
            get(confirm::confirm_page).post(confirm::confirm),
        )
        .route("/subscribe/confirmed", get(confirm::confirmed_page))
        .route("/editor/readers", get(editor_pages::list))
        .route("/editor/readers/{id}", get(editor_pages::show))
        .route("/editor/readers/{id}/export", get(editor_pages::download))
        .route("/editor/readers/{id}/erase", post(editor_pages::erase))
}

/// The API routes below, described for the API's OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(routes::subscribe_api, api::list, api::show, api::export, api::erase))]
pub struct ApiDoc;

/// The JSON API: the public signup and the editors' view of readers.
pub fn api_router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/subscriptions", post(routes::subscribe_api))
        .route("/api/v1/subscribers", get(api::list))
        .route(
            "/api/v1/subscribers/{id}",
            get(api::show).delete(api::erase),
        )
        .route("/api/v1/subscribers/{id}/export", get(api::export))
}
