//! Provider webhooks for bounces and complaints, each verified the way its provider signs
//! it: Postmark by HTTP basic auth, SendGrid by an ECDSA signature over timestamp and body,
//! Mailgun by an HMAC of timestamp and token, Amazon SES (through SNS) by an RSA signature
//! with Amazon's certificate. A request that does not verify gets 401 and
//! changes nothing; one that does is recorded (each event once, so provider retries are
//! harmless) and answered 200 with the tally. Events that are neither bounces nor
//! complaints (deliveries, opens) are accepted and ignored, so the provider does not retry
//! them. While the database is unavailable the answer is 503, which providers retry.

mod mailgun;
mod postmark;
mod sendgrid;
mod ses;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::post;

pub use sendgrid::public_key as sendgrid_key;

use crate::error::{ApiError, AppError};
use crate::state::AppState;

/// SendGrid batches events into requests of up to a few hundred kilobytes.
const MAX_WEBHOOK_BYTES: usize = 2 * 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/webhooks/postmark", post(postmark::receive))
        .route("/webhooks/sendgrid", post(sendgrid::receive))
        .route("/webhooks/mailgun", post(mailgun::receive))
        .route("/webhooks/ses", post(ses::receive))
        .layer(DefaultBodyLimit::max(MAX_WEBHOOK_BYTES))
}

/// The answer to a request whose signature or credentials do not verify.
fn unverified() -> ApiError {
    ApiError(AppError::Unauthorized(
        "the request is not signed by the configured provider",
    ))
}

/// A webhook whose key is not configured: nothing could verify it.
fn not_configured(key: &'static str) -> ApiError {
    ApiError(AppError::Rejected {
        status: axum::http::StatusCode::NOT_FOUND,
        message: format!("this webhook is off: set {key} to turn it on"),
    })
}

/// A body that verified but is not the provider's format.
fn malformed(err: serde_json::Error) -> ApiError {
    ApiError(AppError::Rejected {
        status: axum::http::StatusCode::BAD_REQUEST,
        message: format!("the body is not this provider's event format: {err}"),
    })
}
