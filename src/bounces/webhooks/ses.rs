//! Amazon SES notifications through SNS: a JSON envelope whose RSA signature (SHA1 for
//! SignatureVersion 1, SHA256 for 2) is made with the certificate at `SigningCertURL`. That
//! URL must be https on an `amazonaws.com` host, or the certificate is pinned with
//! `bounces.ses_certificate_path` (air-gapped installs, tests); the signed string is built
//! as SNS documents it. A verified SubscriptionConfirmation is confirmed by fetching its
//! SubscribeURL, which must itself be on `amazonaws.com`. Since any AWS account can have
//! Amazon sign a message, only the topic in `bounces.ses_topic_arn` is believed.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use axum::Json;
use axum::extract::State;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rustls_pki_types::{
    AlgorithmIdentifier, CertificateDer, InvalidSignature, SignatureVerificationAlgorithm, alg_id,
};
use serde::Deserialize;
use serde_json::Value;

use super::unverified;
use crate::bounces::{self, Kind, Report, Source, Tally};
use crate::error::{ApiError, ApiResult, AppError};
use crate::state::AppState;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Envelope {
    #[serde(rename = "Type")]
    kind: String,
    message_id: String,
    message: String,
    timestamp: String,
    topic_arn: String,
    #[serde(default)]
    subject: Option<String>,
    #[serde(default, rename = "SubscribeURL")]
    subscribe_url: Option<String>,
    #[serde(default)]
    token: Option<String>,
    signature_version: String,
    signature: String,
    #[serde(rename = "SigningCertURL")]
    signing_cert_url: String,
}

impl Envelope {
    /// The string SNS signs: chosen fields as `name\nvalue\n`, in this order.
    fn signed_string(&self) -> String {
        let mut fields: Vec<(&str, &str)> =
            vec![("Message", &self.message), ("MessageId", &self.message_id)];
        if self.kind == "Notification" {
            if let Some(subject) = &self.subject {
                fields.push(("Subject", subject));
            }
        } else {
            fields.push((
                "SubscribeURL",
                self.subscribe_url.as_deref().unwrap_or_default(),
            ));
        }
        fields.push(("Timestamp", &self.timestamp));
        if self.kind != "Notification" {
            fields.push(("Token", self.token.as_deref().unwrap_or_default()));
        }
        fields.push(("TopicArn", &self.topic_arn));
        fields.push(("Type", &self.kind));
        fields
            .iter()
            .map(|(name, value)| format!("{name}\n{value}\n"))
            .collect()
    }
}

pub(super) async fn receive(
    State(state): State<AppState>,
    body: axum::body::Bytes,
) -> ApiResult<Json<Tally>> {
    let topic = state.settings.bounces.ses_topic_arn.trim();
    if topic.is_empty() {
        return Err(super::not_configured("bounces.ses_topic_arn"));
    }
    let envelope: Envelope = serde_json::from_slice(&body).map_err(|_| unverified())?;
    if envelope.topic_arn != topic {
        return Err(unverified());
    }
    let certificate = certificate(&state, &envelope.signing_cert_url).await?;
    if !verifies(&certificate, &envelope) {
        return Err(unverified());
    }
    match envelope.kind.as_str() {
        "SubscriptionConfirmation" => {
            confirm_subscription(&envelope).await?;
            Ok(Json(Tally::default()))
        }
        "Notification" => {
            let message: Value =
                serde_json::from_str(&envelope.message).map_err(super::malformed)?;
            let reports = reports(&message);
            Ok(Json(bounces::record(&state, &reports).await?))
        }
        // UnsubscribeConfirmation and anything newer: nothing to do.
        _ => Ok(Json(Tally::default())),
    }
}

/// Whether `url` is on Amazon's own domain over https.
fn on_amazon(url: &str) -> bool {
    url::Url::parse(url).is_ok_and(|u| {
        u.scheme() == "https"
            && u.host_str().is_some_and(|h| h.ends_with(".amazonaws.com"))
            && u.port().is_none()
    })
}

/// Certificates fetched from Amazon, kept for the life of the process (SNS rotates them
/// rarely, under a new URL).
fn fetched() -> &'static Mutex<HashMap<String, Arc<Vec<u8>>>> {
    static CACHE: OnceLock<Mutex<HashMap<String, Arc<Vec<u8>>>>> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

async fn certificate(state: &AppState, url: &str) -> ApiResult<Arc<Vec<u8>>> {
    let pinned = &state.settings.bounces.ses_certificate_path;
    let pem = if !pinned.as_os_str().is_empty() {
        let pem = tokio::fs::read(pinned).await.map_err(|e| {
            anyhow::anyhow!(
                "reading bounces.ses_certificate_path {}: {e}",
                pinned.display()
            )
        })?;
        Arc::new(pem)
    } else if !on_amazon(url) {
        return Err(unverified());
    } else if let Some(pem) = fetched().lock().expect("not poisoned").get(url).cloned() {
        pem
    } else {
        let pem = reqwest::get(url)
            .await
            .and_then(|r| r.error_for_status())
            .map_err(|e| anyhow::anyhow!("fetching the SNS signing certificate: {e}"))?
            .bytes()
            .await
            .map_err(|e| anyhow::anyhow!("fetching the SNS signing certificate: {e}"))?;
        let pem = Arc::new(pem.to_vec());
        fetched()
            .lock()
            .expect("not poisoned")
            .insert(url.to_string(), pem.clone());
        pem
    };
    Ok(pem)
}

fn verifies(pem: &[u8], envelope: &Envelope) -> bool {
    use rustls_pki_types::pem::PemObject;
    let Ok(der) = CertificateDer::from_pem_slice(pem) else {
        return false;
    };
    let Ok(certificate) = webpki::EndEntityCert::try_from(&der) else {
        return false;
    };
    let Ok(signature) = STANDARD.decode(envelope.signature.trim()) else {
        return false;
    };
    let algorithm: &dyn SignatureVerificationAlgorithm = match envelope.signature_version.as_str() {
        "1" => &RsaSha1,
        "2" => webpki::ring::RSA_PKCS1_2048_8192_SHA256,
        _ => return false,
    };
    certificate
        .verify_signature(algorithm, envelope.signed_string().as_bytes(), &signature)
        .is_ok()
}

/// RSA PKCS#1 v1.5 with SHA-1: what SNS SignatureVersion 1 (its default) uses. webpki leaves
/// SHA-1 out, so it is supplied here from ring's legacy verifier.
#[derive(Debug)]
struct RsaSha1;

impl SignatureVerificationAlgorithm for RsaSha1 {
    fn verify_signature(
        &self,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), InvalidSignature> {
        ring::signature::UnparsedPublicKey::new(
            &ring::signature::RSA_PKCS1_2048_8192_SHA1_FOR_LEGACY_USE_ONLY,
            public_key,
        )
        .verify(message, signature)
        .map_err(|_| InvalidSignature)
    }

    fn public_key_alg_id(&self) -> AlgorithmIdentifier {
        alg_id::RSA_ENCRYPTION
    }

    fn signature_alg_id(&self) -> AlgorithmIdentifier {
        // sha1WithRSAEncryption (1.2.840.113549.1.1.5) with NULL parameters.
        AlgorithmIdentifier::from_slice(&[
            0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05, 0x05, 0x00,
        ])
    }
}

async fn confirm_subscription(envelope: &Envelope) -> ApiResult<()> {
    let url = envelope.subscribe_url.as_deref().unwrap_or_default();
    if !on_amazon(url) {
        return Err(ApiError(AppError::field(
            "SubscribeURL",
            "must be an https URL on amazonaws.com",
        )));
    }
    reqwest::get(url)
        .await
        .and_then(|r| r.error_for_status())
        .map_err(|e| anyhow::anyhow!("confirming the SNS subscription: {e}"))?;
    tracing::info!(topic = envelope.topic_arn, "SNS subscription confirmed");
    Ok(())
}

/// The bounce or complaint in an SES notification (`notificationType`) or event
/// (`eventType`), one report per recipient.
fn reports(message: &Value) -> Vec<Report> {
    let kind_name = message["notificationType"]
        .as_str()
        .or(message["eventType"].as_str());
    let message_id = message["mail"]["commonHeaders"]["messageId"]
        .as_str()
        .map(str::to_string);
    let (kind, recipients, feedback) = match kind_name {
        Some("Bounce") => {
            let bounce = &message["bounce"];
            let kind = if bounce["bounceType"] == "Permanent" {
                Kind::Hard
            } else {
                Kind::Soft
            };
            (
                kind,
                &bounce["bouncedRecipients"],
                bounce["feedbackId"].as_str(),
            )
        }
        Some("Complaint") => {
            let complaint = &message["complaint"];
            (
                Kind::Complaint,
                &complaint["complainedRecipients"],
                complaint["feedbackId"].as_str(),
            )
        }
        _ => return Vec::new(),
    };
    let Some(feedback) = feedback else {
        return Vec::new();
    };
    recipients
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|recipient| {
            let address = recipient["emailAddress"].as_str()?;
            let diagnostic = recipient["diagnosticCode"].as_str().map(str::to_string);
            let status_code = recipient["status"]
                .as_str()
                .map(str::to_string)
                .or_else(|| {
                    diagnostic
                        .as_deref()
                        .and_then(bounces::enhanced_status)
                        .map(str::to_string)
                });
            Some(Report {
                source: Source::Ses,
                kind,
                address: Some(address.to_string()),
                message_id: message_id.clone(),
                return_path: None,
                status_code,
                diagnostic,
                key: format!("{feedback}:{}", address.to_ascii_lowercase()),
            })
        })
        .collect()
}
