//! Outgoing mail through lettre: SMTP (pooled) or `.eml` files in a folder, every message
//! multipart/alternative with a Message-ID and a Date, DKIM-signed when a key is set, under one
//! global rate limit. The send engine (`workers`) decides what to send and when; this module
//! knows mail, not readers or digests.

pub mod dkim;
mod smtp;

pub use smtp::SmtpSession;
use smtp::SmtpTarget;

use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use lettre::address::Envelope;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::PoolConfig;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use prometheus_client::metrics::histogram::Histogram;
use secrecy::ExposeSecret;

use crate::config::{DkimSettings, MailSettings, Transport};

/// A message ready to send: one recipient, a subject and the text and HTML bodies.
#[derive(Debug, Clone)]
pub struct OutgoingEmail {
    pub to: Mailbox,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// The local part of the Message-ID; a random one when `None`.
    pub message_id: Option<String>,
    /// The envelope sender (where bounces go), when it is not the From address: a
    /// per-message VERP address.
    pub return_path: Option<String>,
    /// Present on list mail (digests): the List-* headers of RFC 2369 and RFC 8058.
    pub list: Option<ListHeaders>,
    /// A file sent along (a reader's data export).
    pub attachment: Option<Attachment>,
    /// The name in From instead of `mail.from`'s (a newsletter's own); the address stays.
    pub from_name: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Attachment {
    pub filename: String,
    pub content_type: &'static str,
    pub body: Vec<u8>,
}

#[derive(Debug, Clone)]
pub struct ListHeaders {
    /// `List-Id`, e.g. `<news.example.com>`.
    pub list_id: String,
    /// The one-click unsubscribe URL (https in production).
    pub unsubscribe_url: String,
    /// An optional `mailto:` alternative for List-Unsubscribe.
    pub unsubscribe_mailto: Option<String>,
}

fn raw_header(name: &'static str, value: String) -> HeaderValue {
    HeaderValue::new(HeaderName::new_from_ascii_str(name), value)
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
    dkim: Option<Arc<dkim::Signer>>,
    latency: Histogram,
    smtp_target: Option<SmtpTarget>,
}

const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

impl Mailer {
    /// `latency` receives the time each send takes.
    pub fn from_settings(
        settings: &MailSettings,
        dkim: &DkimSettings,
        latency: Histogram,
    ) -> anyhow::Result<Mailer> {
        let transport = match settings.transport {
            Transport::Smtp => {
                let pool = PoolConfig::new().max_size(settings.concurrency.max(1));
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
            from: settings.from.clone(),
            limiter: Arc::new(RateLimiter::direct(Quota::per_second(rate))),
            dkim: dkim::Signer::from_settings(dkim)?.map(Arc::new),
            latency,
            smtp_target: match settings.transport {
                Transport::Smtp => Some(
                    SmtpTarget::from_url(settings.smtp_url.expose_secret())
                        .context("mail.smtp_url")?,
                ),
                Transport::File => None,
            },
        })
    }

    pub fn is_file(&self) -> bool {
        matches!(self.transport, MailTransport::File(_))
    }

    /// The domain of the From address, which Message-IDs and List-Ids use.
    pub fn domain(&self) -> &str {
        self.from.email.domain()
    }

    /// A connection of its own for a bulk sender (a delivery worker); `None` for the file
    /// transport.
    pub fn session(&self) -> Option<SmtpSession> {
        self.smtp_target.clone().map(SmtpSession::new)
    }

    /// Sends one message through the shared transport and returns its Message-ID.
    pub async fn send(&self, email: OutgoingEmail) -> Result<String, MailError> {
        self.send_via(None, email).await
    }

    /// Sends one message, through `session` when given (SMTP only), and returns its
    /// Message-ID.
    pub async fn send_via(
        &self,
        session: Option<&mut SmtpSession>,
        email: OutgoingEmail,
    ) -> Result<String, MailError> {
        let built = self.build(email)?;
        self.send_built(session, built).await
    }

    /// Sends a message built (and signed) beforehand, so that a sender can build the next
    /// message while it waits for something else; returns its Message-ID.
    pub async fn send_built(
        &self,
        session: Option<&mut SmtpSession>,
        built: Built,
    ) -> Result<String, MailError> {
        self.limiter.until_ready().await;
        let started = std::time::Instant::now();
        match (&self.transport, session) {
            (MailTransport::Smtp(_), Some(session)) => {
                session.send(&built.envelope, &built.bytes).await?;
            }
            (MailTransport::Smtp(smtp), None) => {
                smtp.send_raw(&built.envelope, &built.bytes)
                    .await
                    .map_err(classify_smtp)?;
            }
            (MailTransport::File(file), _) => {
                file.send_raw(&built.envelope, &built.bytes)
                    .await
                    .map_err(|e| MailError::Temporary(e.to_string()))?;
            }
        }
        self.latency.observe(started.elapsed().as_secs_f64());
        Ok(built.message_id)
    }

    /// The message as it goes on the wire, DKIM-signed when signing is on.
    pub fn build(&self, email: OutgoingEmail) -> Result<Built, MailError> {
        let local = email
            .message_id
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
        let message_id = format!("<{local}@{}>", self.domain());
        // Given explicitly: lettre would otherwise re-parse the To header, and its header
        // parser refuses valid quoted local parts ("john smith"@example.com).
        let sender = match email.return_path {
            Some(address) => address
                .parse()
                .map_err(|e| MailError::Build(format!("return path {address:?}: {e}")))?,
            None => self.from.email.clone(),
        };
        let envelope = Envelope::new(Some(sender), vec![email.to.email.clone()])
            .map_err(|e| MailError::Build(e.to_string()))?;
        let mut builder = Message::builder()
            .envelope(envelope.clone())
            .from(match email.from_name {
                Some(name) => Mailbox::new(Some(name), self.from.email.clone()),
                None => self.from.clone(),
            })
            .to(email.to)
            .subject(email.subject)
            .message_id(Some(message_id.clone()))
            .date_now();
        if let Some(list) = email.list {
            let mut targets = format!("<{}>", list.unsubscribe_url);
            if let Some(mailto) = &list.unsubscribe_mailto {
                targets.push_str(&format!(", <{mailto}>"));
            }
            builder = builder
                .raw_header(raw_header("List-Id", list.list_id))
                .raw_header(raw_header("List-Unsubscribe", targets))
                .raw_header(raw_header(
                    "List-Unsubscribe-Post",
                    "List-Unsubscribe=One-Click".into(),
                ))
                .raw_header(raw_header("Precedence", "bulk".into()));
        }
        let body = MultiPart::alternative_plain_html(email.text, email.html);
        let body = match email.attachment {
            None => body,
            Some(file) => {
                let content_type = ContentType::parse(file.content_type)
                    .map_err(|e| MailError::Build(e.to_string()))?;
                MultiPart::mixed().multipart(body).singlepart(
                    lettre::message::Attachment::new(file.filename).body(file.body, content_type),
                )
            }
        };
        let message = builder
            .multipart(body)
            .map_err(|e| MailError::Build(e.to_string()))?
            .formatted();
        let bytes = match &self.dkim {
            Some(signer) => {
                let mut signed = signer
                    .sign(&message)
                    .map_err(|e| MailError::Build(format!("{e:#}")))?;
                signed.extend_from_slice(&message);
                signed
            }
            None => message,
        };
        Ok(Built {
            envelope,
            bytes,
            message_id,
        })
    }
}

/// A message ready for the wire.
pub struct Built {
    pub envelope: Envelope,
    /// The whole message, DKIM-Signature headers first.
    pub bytes: Vec<u8>,
    /// `<local@domain>`.
    pub message_id: String,
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
