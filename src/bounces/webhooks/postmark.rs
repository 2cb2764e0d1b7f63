//! Postmark's bounce and spam complaint webhooks: one JSON record per request, behind HTTP
//! basic auth whose password is `bounces.webhook_secret` (the user name is not checked).
//! Postmark's MessageID is its own, so the reader is found by address.

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use secrecy::ExposeSecret;
use serde::Deserialize;
use subtle::ConstantTimeEq;

use super::{malformed, not_configured, unverified};
use crate::bounces::{self, Kind, Report, Source, Tally};
use crate::error::ApiResult;
use crate::state::AppState;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Record {
    record_type: String,
    #[serde(rename = "ID")]
    id: serde_json::Value,
    #[serde(default, rename = "Type")]
    kind: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    details: Option<String>,
}

pub(super) async fn receive(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> ApiResult<Json<Tally>> {
    let secret = state.settings.bounces.webhook_secret.expose_secret();
    if secret.is_empty() {
        return Err(not_configured("bounces.webhook_secret"));
    }
    if !password_matches(&headers, secret) {
        return Err(unverified());
    }
    let record: Record = serde_json::from_slice(&body).map_err(malformed)?;
    let reports: Vec<Report> = report(&record).into_iter().collect();
    Ok(Json(bounces::record(&state, &reports).await?))
}

fn password_matches(headers: &HeaderMap, secret: &str) -> bool {
    let Some(credentials) = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b64| STANDARD.decode(b64.trim()).ok())
    else {
        return false;
    };
    let Some(at) = credentials.iter().position(|b| *b == b':') else {
        return false;
    };
    credentials[at + 1..].ct_eq(secret.as_bytes()).into()
}

/// Postmark's bounce `Type`s that mean the address is gone, and those that may pass.
fn kind_of(record: &Record) -> Option<Kind> {
    match (record.record_type.as_str(), record.kind.as_str()) {
        ("SpamComplaint", _) | (_, "SpamComplaint") => Some(Kind::Complaint),
        ("Bounce", "HardBounce" | "BadEmailAddress" | "ManuallyDeactivated") => Some(Kind::Hard),
        ("Bounce", "SoftBounce" | "Transient" | "DnsError" | "Blocked" | "DMARCPolicy") => {
            Some(Kind::Soft)
        }
        // Auto-replies, challenge requests, virus notices: not about the address.
        _ => None,
    }
}

fn report(record: &Record) -> Option<Report> {
    let kind = kind_of(record)?;
    let diagnostic = [record.description.as_deref(), record.details.as_deref()]
        .into_iter()
        .flatten()
        .filter(|s| !s.trim().is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    Some(Report {
        source: Source::Postmark,
        kind,
        address: Some(record.email.clone()),
        message_id: None,
        return_path: None,
        status_code: bounces::enhanced_status(&diagnostic).map(str::to_string),
        diagnostic: Some(diagnostic).filter(|d| !d.is_empty()),
        key: format!("{}:{}", record.record_type, record.id),
    })
}
