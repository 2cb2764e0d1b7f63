//! SMTP sessions for bulk delivery: one connection per delivery worker, so concurrency is
//! exactly `mail.concurrency` (lettre's pool caps idle connections, not sends in flight).
//! The socket is opened here so that TCP_NODELAY can be set: lettre's own connections leave
//! Nagle's algorithm on, and each message's last small write then waits for the server's
//! delayed ACK (about 40 ms, so some 23 messages a second per connection). Implicit TLS
//! (`smtps://`) goes through lettre's connector, which opens the socket itself.

use std::time::Duration;

use lettre::address::Envelope;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use tokio::net::TcpStream;
use url::Url;

use super::MailError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tls {
    None,
    /// STARTTLS, and fail without it (`?tls=required`).
    Required,
    /// STARTTLS when the server offers it (`?tls=opportunistic`).
    Opportunistic,
    /// TLS from the first byte (`smtps://`).
    Implicit,
}

/// Where and how to connect, from `mail.smtp_url`.
#[derive(Debug, Clone)]
pub struct SmtpTarget {
    host: String,
    port: u16,
    tls: Tls,
    credentials: Option<Credentials>,
    hello: ClientId,
}

/// One command's worth of patience, and a whole message's.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
const SEND_TIMEOUT: Duration = Duration::from_secs(120);

impl SmtpTarget {
    pub fn from_url(raw: &str) -> anyhow::Result<SmtpTarget> {
        let url = Url::parse(raw)?;
        let tls = match (
            url.scheme(),
            url.query_pairs()
                .find(|(k, _)| k == "tls")
                .map(|(_, v)| v.into_owned()),
        ) {
            ("smtps", _) => Tls::Implicit,
            ("smtp", None) => Tls::None,
            ("smtp", Some(mode)) if mode == "required" => Tls::Required,
            ("smtp", Some(mode)) if mode == "opportunistic" => Tls::Opportunistic,
            (scheme, mode) => anyhow::bail!("unsupported SMTP URL: scheme {scheme}, tls={mode:?}"),
        };
        let host = url
            .host_str()
            .ok_or_else(|| anyhow::anyhow!("the SMTP URL has no host"))?
            .to_string();
        let port = url.port().unwrap_or(match tls {
            Tls::Implicit => 465,
            Tls::Required | Tls::Opportunistic => 587,
            Tls::None => 25,
        });
        let decode = |s: &str| percent_decode(s);
        let credentials = (!url.username().is_empty()).then(|| {
            Credentials::new(decode(url.username()), decode(url.password().unwrap_or("")))
        });
        Ok(SmtpTarget {
            host,
            port,
            tls,
            credentials,
            hello: ClientId::Domain("localhost".into()),
        })
    }

    async fn connect(&self) -> Result<AsyncSmtpConnection, MailError> {
        let smtp = super::classify_smtp;
        let tls_parameters = || TlsParameters::new(self.host.clone()).map_err(smtp);
        let mut conn = if self.tls == Tls::Implicit {
            AsyncSmtpConnection::connect_tokio1(
                (self.host.as_str(), self.port),
                Some(CONNECT_TIMEOUT),
                &self.hello,
                Some(tls_parameters()?),
                None,
            )
            .await
            .map_err(smtp)?
        } else {
            let unreachable = |e: std::io::Error| MailError::Unreachable(e.to_string());
            let tcp = tokio::time::timeout(
                CONNECT_TIMEOUT,
                TcpStream::connect((self.host.as_str(), self.port)),
            )
            .await
            .map_err(|_| MailError::Unreachable("connecting timed out".into()))?
            .map_err(unreachable)?;
            tcp.set_nodelay(true).map_err(unreachable)?;
            AsyncSmtpConnection::connect_with_transport(Box::new(tcp), &self.hello)
                .await
                .map_err(smtp)?
        };
        match self.tls {
            Tls::Required => conn
                .starttls(tls_parameters()?, &self.hello)
                .await
                .map_err(smtp)?,
            Tls::Opportunistic if conn.can_starttls() => conn
                .starttls(tls_parameters()?, &self.hello)
                .await
                .map_err(smtp)?,
            _ => {}
        }
        if let Some(credentials) = &self.credentials {
            conn.auth(&[Mechanism::Plain, Mechanism::Login], credentials)
                .await
                .map_err(smtp)?;
        }
        Ok(conn)
    }
}

fn percent_decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={s}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// One worker's connection, opened on first use and again after any failure (lettre closes
/// a connection on every SMTP error).
pub struct SmtpSession {
    target: SmtpTarget,
    conn: Option<AsyncSmtpConnection>,
}

impl SmtpSession {
    pub fn new(target: SmtpTarget) -> SmtpSession {
        SmtpSession { target, conn: None }
    }

    pub async fn send(&mut self, envelope: &Envelope, message: &[u8]) -> Result<(), MailError> {
        let result = tokio::time::timeout(SEND_TIMEOUT, self.try_send(envelope, message)).await;
        match result {
            Ok(Ok(())) => Ok(()),
            Ok(Err(err)) => {
                self.conn = None;
                Err(err)
            }
            Err(_) => {
                self.conn = None;
                Err(MailError::Unreachable(
                    "the mail server stopped answering".into(),
                ))
            }
        }
    }

    async fn try_send(&mut self, envelope: &Envelope, message: &[u8]) -> Result<(), MailError> {
        if self
            .conn
            .as_ref()
            .is_none_or(AsyncSmtpConnection::has_broken)
        {
            self.conn = Some(self.target.connect().await?);
        }
        let conn = self.conn.as_mut().expect("connected above");
        conn.send(envelope, message)
            .await
            .map(|_| ())
            .map_err(super::classify_smtp)
    }

    /// Says goodbye politely (QUIT) at shutdown.
    pub async fn close(&mut self) {
        if let Some(mut conn) = self.conn.take() {
            let _ = conn.quit().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_url_forms_of_the_config() {
        let plain = SmtpTarget::from_url("smtp://127.0.0.1:2525").unwrap();
        assert_eq!((plain.port, plain.tls), (2525, Tls::None));
        assert!(plain.credentials.is_none());
        let submission =
            SmtpTarget::from_url("smtp://user%40x:p%40ss@mail.example?tls=required").unwrap();
        assert_eq!((submission.port, submission.tls), (587, Tls::Required));
        assert!(submission.credentials.is_some());
        let implicit = SmtpTarget::from_url("smtps://mail.example").unwrap();
        assert_eq!((implicit.port, implicit.tls), (465, Tls::Implicit));
        assert!(SmtpTarget::from_url("smtp://mail.example?tls=sometimes").is_err());
    }

    #[test]
    fn percent_escapes_in_credentials_are_decoded() {
        assert_eq!(percent_decode("p%40ss%2Fword"), "p@ss/word");
    }
}
