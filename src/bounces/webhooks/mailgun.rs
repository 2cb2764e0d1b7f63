//! Mailgun's webhooks: `{"signature": {timestamp, token, signature}, "event-data": {...}}`,
//! where the signature is the hex HMAC-SHA256 of timestamp and token under the signing key.
//! A timestamp more than five minutes away from now is refused, so a captured request
//! cannot be replayed later.

use std::collections::HashMap;

use axum::Json;
use axum::extract::State;
use hmac::{Hmac, Mac};
use secrecy::ExposeSecret;
use serde::Deserialize;
use sha2::Sha256;

use super::{malformed, not_configured, unverified};
use crate::bounces::{self, Kind, Report, Source, Tally};
use crate::error::ApiResult;
use crate::state::AppState;

const MAX_AGE_SECS: i64 = 300;

#[derive(Deserialize)]
struct Payload {
    #[serde(rename = "event-data")]
    event: Event,
}

#[derive(Deserialize)]
struct Signature {
    timestamp: String,
    token: String,
    signature: String,
}

#[derive(Deserialize)]
struct Event {
    event: String,
    id: String,
    #[serde(default)]
    severity: Option<String>,
    #[serde(default)]
    recipient: Option<String>,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default, rename = "delivery-status")]
    delivery_status: Option<DeliveryStatus>,
    #[serde(default)]
    message: Option<Message>,
}

#[derive(Deserialize)]
struct DeliveryStatus {
    #[serde(default)]
    code: Option<serde_json::Value>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    description: Option<String>,
}

#[derive(Deserialize)]
struct Message {
    #[serde(default)]
    headers: HashMap<String, serde_json::Value>,
}

pub(super) async fn receive(
    State(state): State<AppState>,
    body: axum::body::Bytes,
) -> ApiResult<Json<Tally>> {
    let key = state.settings.bounces.mailgun_signing_key.expose_secret();
    if key.is_empty() {
        return Err(not_configured("bounces.mailgun_signing_key"));
    }
    // Only the signature is read before it verifies; an unsigned body is not looked at.
    #[derive(Deserialize)]
    struct Signed {
        signature: Signature,
    }
    let signed: Signed = serde_json::from_slice(&body).map_err(|_| unverified())?;
    if !verifies(key, &signed.signature, chrono::Utc::now().timestamp()) {
        return Err(unverified());
    }
    let payload: Payload = serde_json::from_slice(&body).map_err(malformed)?;
    let reports: Vec<Report> = report(&payload.event).into_iter().collect();
    Ok(Json(bounces::record(&state, &reports).await?))
}

fn verifies(key: &str, signature: &Signature, now: i64) -> bool {
    let Ok(timestamp) = signature.timestamp.parse::<i64>() else {
        return false;
    };
    if (now - timestamp).abs() > MAX_AGE_SECS {
        return false;
    }
    let Ok(expected) = hex::decode(&signature.signature) else {
        return false;
    };
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("any key length");
    mac.update(signature.timestamp.as_bytes());
    mac.update(signature.token.as_bytes());
    mac.verify_slice(&expected).is_ok()
}

fn report(event: &Event) -> Option<Report> {
    let kind = match (event.event.as_str(), event.severity.as_deref()) {
        ("complained", _) => Kind::Complaint,
        ("failed", Some("permanent")) => Kind::Hard,
        ("failed", Some("temporary")) => Kind::Soft,
        _ => return None,
    };
    let status = event.delivery_status.as_ref();
    let diagnostic = status
        .and_then(|s| s.message.clone().filter(|m| !m.is_empty()))
        .or_else(|| status.and_then(|s| s.description.clone()))
        .or_else(|| event.reason.clone())
        .filter(|d| !d.is_empty());
    let status_code = diagnostic
        .as_deref()
        .and_then(bounces::enhanced_status)
        .map(str::to_string)
        .or_else(|| {
            status
                .and_then(|s| s.code.as_ref())
                .map(|c| c.to_string().trim_matches('"').to_string())
        });
    let message_id = event
        .message
        .as_ref()
        .and_then(|m| m.headers.get("message-id"))
        .and_then(|v| v.as_str())
        .map(str::to_string);
    Some(Report {
        source: Source::Mailgun,
        kind,
        address: event.recipient.clone(),
        message_id,
        return_path: None,
        status_code,
        diagnostic,
        key: event.id.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signed(key: &str, timestamp: &str, token: &str) -> Signature {
        let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).unwrap();
        mac.update(timestamp.as_bytes());
        mac.update(token.as_bytes());
        Signature {
            timestamp: timestamp.into(),
            token: token.into(),
            signature: hex::encode(mac.finalize().into_bytes()),
        }
    }

    #[test]
    fn only_a_fresh_signature_with_the_key_verifies() {
        let now = 1_800_000_000;
        let good = signed("key-1", &now.to_string(), "tok");
        assert!(verifies("key-1", &good, now + 10));
        assert!(!verifies("key-2", &good, now + 10));
        assert!(!verifies("key-1", &good, now + MAX_AGE_SECS + 1));
        let mut altered = signed("key-1", &now.to_string(), "tok");
        altered.token = "other".into();
        assert!(!verifies("key-1", &altered, now));
    }
}
