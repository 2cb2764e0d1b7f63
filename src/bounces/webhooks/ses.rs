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

/// Whether `url` is SNS's own: https on `sns.<region>.amazonaws.com` (or `.com.cn`), default
/// port. Not just any `amazonaws.com` host: S3 buckets and API gateways there are anyone's.
fn on_sns(url: &url::Url) -> bool {
    let host_is_sns = url.host_str().is_some_and(|host| {
        let region = host.strip_prefix("sns.").and_then(|rest| {
            rest.strip_suffix(".amazonaws.com")
                .or_else(|| rest.strip_suffix(".amazonaws.com.cn"))
        });
        region.is_some_and(|r| {
            !r.is_empty() && r.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
    });
    url.scheme() == "https" && host_is_sns && url.port().is_none()
}

/// The signing certificate's URL, when it is one SNS would give.
fn certificate_url(text: &str) -> Option<url::Url> {
    let url = url::Url::parse(text).ok()?;
    (on_sns(&url) && url.path().ends_with(".pem") && url.query().is_none()).then_some(url)
}

/// The confirmation URL, when it is SNS's ConfirmSubscription.
fn subscribe_url(text: &str) -> Option<url::Url> {
    let url = url::Url::parse(text).ok()?;
    let confirms = url
        .query_pairs()
        .any(|(key, value)| key == "Action" && value == "ConfirmSubscription");
    (on_sns(&url) && confirms).then_some(url)
}

/// One client for Amazon: no redirects (they could lead anywhere), a short timeout.
fn client() -> &'static reqwest::Client {
    static CLIENT: OnceLock<reqwest::Client> = OnceLock::new();
    CLIENT.get_or_init(|| {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(10))
            .build()
            .expect("a client with rustls")
    })
}

/// The largest certificate accepted: SNS's are about 2 KB.
const MAX_CERTIFICATE_BYTES: usize = 16 * 1024;
/// Certificates kept: SNS uses one per region and rotates them rarely.
const CACHED_CERTIFICATES: usize = 32;

/// Certificates fetched from Amazon, kept while the process lives.
fn fetched() -> &'static Mutex<HashMap<String, Arc<Vec<u8>>>> {
    static CACHE: OnceLock<Mutex<HashMap<String, Arc<Vec<u8>>>>> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

async fn fetch_certificate(url: &url::Url) -> Result<Vec<u8>, String> {
    let response = client()
        .get(url.clone())
        .send()
        .await
        .and_then(|r| r.error_for_status())
        .map_err(|e| e.to_string())?;
    if response
        .content_length()
        .is_some_and(|n| n as usize > MAX_CERTIFICATE_BYTES)
    {
        return Err("the certificate is too large".into());
    }
    let body = response.bytes().await.map_err(|e| e.to_string())?;
    if body.len() > MAX_CERTIFICATE_BYTES {
        return Err("the certificate is too large".into());
    }
    Ok(body.to_vec())
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
    } else {
        let Some(url) = certificate_url(url) else {
            return Err(unverified());
        };
        if let Some(pem) = fetched()
            .lock()
            .expect("not poisoned")
            .get(url.as_str())
            .cloned()
        {
            return Ok(pem);
        }
        // A certificate that cannot be fetched verifies nothing: 401, and SNS tries again.
        let pem = Arc::new(fetch_certificate(&url).await.map_err(|err| {
            tracing::warn!(error = err, "SNS signing certificate not fetched");
            unverified()
        })?);
        let mut cache = fetched().lock().expect("not poisoned");
        if cache.len() >= CACHED_CERTIFICATES {
            cache.clear();
        }
        cache.insert(url.to_string(), pem.clone());
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
    let Some(url) = subscribe_url(envelope.subscribe_url.as_deref().unwrap_or_default()) else {
        return Err(ApiError(AppError::field(
            "SubscribeURL",
            "must be SNS's ConfirmSubscription URL on https://sns.<region>.amazonaws.com",
        )));
    };
    client()
        .get(url)
        .send()
        .await
        .and_then(|r| r.error_for_status())
        .map_err(|e| {
            ApiError(AppError::Rejected {
                status: axum::http::StatusCode::BAD_GATEWAY,
                message: format!("confirming the SNS subscription failed: {e}"),
            })
        })?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sns_hosts_are_trusted_for_certificates_and_confirmations() {
        assert!(
            certificate_url(
                "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem"
            )
            .is_some()
        );
        assert!(
            certificate_url(
                "https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-abc.pem"
            )
            .is_some()
        );
        for bad in [
            "https://s3.amazonaws.com/attacker/cert.pem",
            "https://abc.execute-api.us-east-1.amazonaws.com/cert.pem",
            "https://sns.us-east-1.amazonaws.com.evil.example/cert.pem",
            "http://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem",
            "https://sns.us-east-1.amazonaws.com:8443/SimpleNotificationService-abc.pem",
            "https://sns.us-east-1.amazonaws.com/redirect?to=x.pem",
        ] {
            assert!(certificate_url(bad).is_none(), "{bad}");
        }
        assert!(
            subscribe_url(
                "https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=x&Token=y"
            )
            .is_some()
        );
        assert!(subscribe_url("https://sns.eu-west-1.amazonaws.com/?Action=Publish").is_none());
        assert!(subscribe_url("https://s3.amazonaws.com/?Action=ConfirmSubscription").is_none());
    }
}
