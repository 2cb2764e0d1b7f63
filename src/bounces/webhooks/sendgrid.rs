//! SendGrid's signed Event Webhook: a JSON array of events, signed with ECDSA P-256 over the
//! timestamp header followed by the raw body; the public key (base64 DER, as SendGrid's
//! settings page shows it) is `bounces.sendgrid_public_key`.

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ring::signature::{ECDSA_P256_SHA256_ASN1, UnparsedPublicKey};
use serde::Deserialize;

use super::{malformed, not_configured, unverified};
use crate::bounces::{self, Kind, Report, Source, Tally};
use crate::error::ApiResult;
use crate::state::AppState;

const SIGNATURE: &str = "x-twilio-email-event-webhook-signature";
const TIMESTAMP: &str = "x-twilio-email-event-webhook-timestamp";

/// The DER header of a P-256 SubjectPublicKeyInfo, before the 65-byte uncompressed point.
const P256_SPKI_PREFIX: [u8; 26] = [
    0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a,
    0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
];

/// The public point of SendGrid's verification key, or `None` when the text is not one.
pub fn public_key(text: &str) -> Option<Vec<u8>> {
    let der = STANDARD.decode(text.trim()).ok()?;
    let point = der.strip_prefix(&P256_SPKI_PREFIX)?;
    (point.len() == 65 && point[0] == 0x04).then(|| point.to_vec())
}

#[derive(Deserialize)]
struct Event {
    event: String,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    sg_event_id: Option<String>,
    #[serde(default)]
    sg_message_id: Option<String>,
    /// The Message-ID of the email as Tidings sent it.
    #[serde(default, rename = "smtp-id")]
    smtp_id: Option<String>,
    /// For bounces: `bounce` (the address is gone) or `blocked` (the server refused for now).
    #[serde(default, rename = "type")]
    bounce_type: Option<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    timestamp: Option<i64>,
}

pub(super) async fn receive(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> ApiResult<Json<Tally>> {
    let configured = state.settings.bounces.sendgrid_public_key.trim();
    if configured.is_empty() {
        return Err(not_configured("bounces.sendgrid_public_key"));
    }
    let point = public_key(configured).ok_or_else(unverified)?;
    if !verifies(&point, &headers, &body) {
        return Err(unverified());
    }
    let events: Vec<Event> = serde_json::from_slice(&body).map_err(malformed)?;
    let reports: Vec<Report> = events.iter().filter_map(report).collect();
    Ok(Json(bounces::record(&state, &reports).await?))
}

fn verifies(point: &[u8], headers: &HeaderMap, body: &[u8]) -> bool {
    let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
    let (Some(signature), Some(timestamp)) = (header(SIGNATURE), header(TIMESTAMP)) else {
        return false;
    };
    let Ok(signature) = STANDARD.decode(signature.trim()) else {
        return false;
    };
    let mut signed = Vec::with_capacity(timestamp.len() + body.len());
    signed.extend_from_slice(timestamp.as_bytes());
    signed.extend_from_slice(body);
    UnparsedPublicKey::new(&ECDSA_P256_SHA256_ASN1, point)
        .verify(&signed, &signature)
        .is_ok()
}

fn report(event: &Event) -> Option<Report> {
    let kind = match (event.event.as_str(), event.bounce_type.as_deref()) {
        ("spamreport", _) => Kind::Complaint,
        ("bounce", Some("blocked")) => Kind::Soft,
        ("bounce", _) => Kind::Hard,
        // Deferrals are retried by SendGrid itself; drops, deliveries and opens are no bounce.
        _ => return None,
    };
    // Every SendGrid event has an id; should one lack it, the message and time stand in.
    let key = event.sg_event_id.clone().unwrap_or_else(|| {
        format!(
            "{}:{}:{}",
            event.sg_message_id.as_deref().unwrap_or_default(),
            event.event,
            event.timestamp.unwrap_or_default()
        )
    });
    Some(Report {
        source: Source::Sendgrid,
        kind,
        address: event.email.clone(),
        message_id: event.smtp_id.clone(),
        return_path: None,
        status_code: event.status.clone().filter(|s| !s.is_empty()),
        diagnostic: event.reason.clone().filter(|r| !r.is_empty()),
        key,
    })
}
