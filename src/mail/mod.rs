//! Outgoing mail through lettre: SMTP (pooled) or `.eml` files in a folder, every message
//! multipart/alternative with a Message-ID and a Date, under one global rate limit. The
//! outbox (`outbox.rs`) decides what to send and when; this module only sends.

pub mod outbox;

use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use lettre::address::Envelope;
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::PoolConfig;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::ExposeSecret;

use crate::config::{MailSettings, Transport};

/// A message ready to send: one recipient, a subject and the text and HTML bodies.
#[derive(Debug, Clone)]
pub struct OutgoingEmail {
    pub to: Mailbox,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// How a send failed, as the outbox needs to know it.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// A 4xx reply, or a local write error: try again later.
    #[error("temporary failure: {0}")]
    Temporary(String),
    /// A 5xx reply: trying again will not help.
    #[error("permanent failure: {0}")]
    Permanent(String),
    /// No conversation with the server at all (refused, timed out, TLS): wait for it.
    #[error("mail server unreachable: {0}")]
    Unreachable(String),
    /// The message could not be built (a bug, or data that should have been refused).
    #[error("message could not be built: {0}")]
    Build(String),
}

#[derive(Clone)]
enum MailTransport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    File(AsyncFileTransport<Tokio1Executor>),
}

#[derive(Clone)]
pub struct Mailer {
    transport: MailTransport,
    from: Mailbox,
    limiter: Arc<DefaultDirectRateLimiter>,
}

const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

impl Mailer {
    pub fn from_settings(settings: &MailSettings) -> anyhow::Result<Mailer> {
        let transport = match settings.transport {
            Transport::Smtp => {
                let pool = PoolConfig::new().max_size(settings.concurrency);
                let smtp = AsyncSmtpTransport::<Tokio1Executor>::from_url(
                    settings.smtp_url.expose_secret(),
                )
                .context("mail.smtp_url")?
                .timeout(Some(SMTP_TIMEOUT))
                .pool_config(pool)
                .build();
                MailTransport::Smtp(smtp)
            }
            Transport::File => {
                std::fs::create_dir_all(&settings.outbox_dir).with_context(|| {
                    format!("creating mail.outbox_dir {}", settings.outbox_dir.display())
                })?;
                MailTransport::File(AsyncFileTransport::new(&settings.outbox_dir))
            }
        };
        let rate =
            NonZeroU32::new(settings.rate_per_second).context("mail.rate_per_second is 0")?;
        Ok(Mailer {
            transport,
            from: settings.from_mailbox(),
            limiter: Arc::new(RateLimiter::direct(Quota::per_second(rate))),
        })
    }

    pub fn is_file(&self) -> bool {
        matches!(self.transport, MailTransport::File(_))
    }

    /// Sends one message and returns its Message-ID.
    pub async fn send(&self, email: OutgoingEmail) -> Result<String, MailError> {
        let message_id = format!("<{}@{}>", uuid::Uuid::new_v4(), self.from.email.domain());
        // Given explicitly: lettre would otherwise re-parse the To header, and its header
        // parser refuses valid quoted local parts ("john smith"@example.com).
        let envelope = Envelope::new(Some(self.from.email.clone()), vec![email.to.email.clone()])
            .map_err(|e| MailError::Build(e.to_string()))?;
        let message = Message::builder()
            .envelope(envelope)
            .from(self.from.clone())
            .to(email.to)
            .subject(email.subject)
            .message_id(Some(message_id.clone()))
            .date_now()
            .multipart(MultiPart::alternative_plain_html(email.text, email.html))
            .map_err(|e| MailError::Build(e.to_string()))?;
        self.limiter.until_ready().await;
        match &self.transport {
            MailTransport::Smtp(smtp) => {
                smtp.send(message).await.map_err(classify_smtp)?;
            }
            MailTransport::File(file) => {
                file.send(message)
                    .await
                    .map_err(|e| MailError::Temporary(e.to_string()))?;
            }
        }
        Ok(message_id)
    }
}

fn classify_smtp(err: lettre::transport::smtp::Error) -> MailError {
    let text = err.to_string();
    if err.is_permanent() {
        MailError::Permanent(text)
    } else if err.is_transient() {
        MailError::Temporary(text)
    } else {
        MailError::Unreachable(text)
    }
}
