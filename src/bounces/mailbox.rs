//! The bounce mailbox: every `bounces.poll_interval`, the unseen messages in the mailbox of
//! `bounces.imap_url` are read (`reports`), recorded, then flagged `\Seen` so they are read
//! once; a message that is no bounce or complaint Tidings can read is also flagged
//! `\Flagged`, for a person to look at. A message is flagged only after its reports are
//! committed, so a crash or a database outage means it is read again, and the events' keys
//! keep a second reading (or a second instance reading it at the same time) from counting
//! twice.

use std::time::Duration;

use anyhow::Context;
use async_imap::Session;
use futures_util::TryStreamExt;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_util::sync::CancellationToken;
use url::Url;

use super::{record, reports};
use crate::state::AppState;

/// Messages fetched and recorded together.
const BATCH: usize = 50;
const TIMEOUT: Duration = Duration::from_secs(30);

/// Where the mailbox is and how to log in, from `bounces.imap_url`.
#[derive(Clone)]
pub struct MailboxUrl {
    tls: bool,
    host: String,
    port: u16,
    user: String,
    password: String,
    mailbox: String,
}

impl std::fmt::Debug for MailboxUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the password: settings may be printed.
        write!(
            f,
            "{}://{}@{}:{}/{}",
            if self.tls { "imaps" } else { "imap" },
            self.user,
            self.host,
            self.port,
            self.mailbox
        )
    }
}

impl MailboxUrl {
    /// `imaps://user:pass@host:993/INBOX` or `imap://...` (plain, for a server on this
    /// machine); the mailbox defaults to INBOX.
    pub fn parse(text: &str) -> Result<MailboxUrl, String> {
        let url = Url::parse(text).map_err(|e| e.to_string())?;
        let tls = match url.scheme() {
            "imaps" => true,
            "imap" => false,
            _ => return Err("must start with imaps:// (or imap:// for a local server)".into()),
        };
        let host = url.host_str().ok_or("names no host")?.to_string();
        let decode = |s: &str| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8()
                .map(|s| s.into_owned())
                .map_err(|e| e.to_string())
        };
        if url.username().is_empty() {
            return Err("names no user (imaps://user:password@host/INBOX)".into());
        }
        let mailbox = decode(url.path().trim_start_matches('/'))?;
        Ok(MailboxUrl {
            tls,
            port: url.port().unwrap_or(if tls { 993 } else { 143 }),
            host,
            user: decode(url.username())?,
            password: decode(url.password().unwrap_or_default())?,
            mailbox: if mailbox.is_empty() {
                "INBOX".into()
            } else {
                mailbox
            },
        })
    }
}

/// Polls the bounce mailbox until shutdown, when one is configured.
pub async fn run(state: AppState, shutdown: CancellationToken) {
    let Some(url) = state.settings.bounces.imap_url.clone() else {
        return;
    };
    let interval = state.settings.bounces.poll_interval;
    loop {
        match poll(&state, &url).await {
            Ok(0) => {}
            Ok(read) => tracing::info!(messages = read, "bounce mailbox read"),
            Err(err) => tracing::warn!(
                error = crate::telemetry::redact(format!("{err:#}")),
                "bounce mailbox poll failed; will try again"
            ),
        }
        tokio::select! {
            _ = tokio::time::sleep(interval) => {}
            _ = shutdown.cancelled() => return,
        }
    }
}

/// One pass over the unseen messages; returns how many were read.
pub async fn poll(state: &AppState, url: &MailboxUrl) -> anyhow::Result<usize> {
    let tcp = tokio::time::timeout(TIMEOUT, TcpStream::connect((url.host.as_str(), url.port)))
        .await
        .context("connecting to the bounce mailbox timed out")?
        .context("connecting to the bounce mailbox")?;
    if url.tls {
        let connector = tokio_rustls::TlsConnector::from(tls_config());
        let name = rustls::pki_types::ServerName::try_from(url.host.clone())
            .context("the bounce mailbox host")?;
        let stream = connector
            .connect(name, tcp)
            .await
            .context("TLS to the bounce mailbox")?;
        read_mailbox(state, url, stream).await
    } else {
        read_mailbox(state, url, tcp).await
    }
}

fn tls_config() -> std::sync::Arc<rustls::ClientConfig> {
    let roots = rustls::RootCertStore::from_iter(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    let config = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("ring supports the default protocol versions")
    .with_root_certificates(roots)
    .with_no_client_auth();
    std::sync::Arc::new(config)
}

async fn read_mailbox<S>(state: &AppState, url: &MailboxUrl, stream: S) -> anyhow::Result<usize>
where
    S: AsyncRead + AsyncWrite + Unpin + std::fmt::Debug + Send,
{
    let mut client = async_imap::Client::new(stream);
    client
        .read_response()
        .await
        .context("reading the IMAP greeting")?
        .context("the IMAP server closed the connection")?;
    let mut session = client
        .login(&url.user, &url.password)
        .await
        .map_err(|(err, _)| err)
        .context("logging in to the bounce mailbox")?;
    let result = read_unseen(state, url, &mut session).await;
    let _ = session.logout().await;
    result
}

async fn read_unseen<S>(
    state: &AppState,
    url: &MailboxUrl,
    session: &mut Session<S>,
) -> anyhow::Result<usize>
where
    S: AsyncRead + AsyncWrite + Unpin + std::fmt::Debug + Send,
{
    session
        .select(&url.mailbox)
        .await
        .with_context(|| format!("selecting {}", url.mailbox))?;
    let mut unseen: Vec<u32> = session.uid_search("UNSEEN").await?.into_iter().collect();
    unseen.sort_unstable();
    for uids in unseen.chunks(BATCH) {
        let set = uid_set(uids);
        let fetched: Vec<_> = session
            .uid_fetch(&set, "(UID BODY.PEEK[])")
            .await?
            .try_collect()
            .await?;
        let (mut read, mut unreadable) = (Vec::new(), Vec::new());
        for message in &fetched {
            let (Some(uid), Some(body)) = (message.uid, message.body()) else {
                continue;
            };
            let reports = reports::read(body, |address| {
                super::from_return_path(state, address).is_some()
            });
            if reports.is_empty() {
                unreadable.push(uid);
                continue;
            }
            // One message at a time: one that cannot be recorded is left for a person
            // instead of holding up the rest. While the database is unavailable nothing is
            // flagged, and everything is read again next time.
            match record(state, &reports).await {
                Ok(_) => read.push(uid),
                Err(err) if is_unavailable(&err) => return Err(err),
                Err(err) => {
                    tracing::warn!(
                        error = crate::telemetry::redact(format!("{err:#}")),
                        "a bounce report could not be recorded; flagged for a person"
                    );
                    unreadable.push(uid);
                }
            }
        }
        if !read.is_empty() {
            let _: Vec<_> = session
                .uid_store(uid_set(&read), "+FLAGS (\\Seen)")
                .await?
                .try_collect()
                .await?;
        }
        if !unreadable.is_empty() {
            tracing::warn!(
                messages = unreadable.len(),
                "messages in the bounce mailbox that are no bounce Tidings can read; flagged for a person"
            );
            let _: Vec<_> = session
                .uid_store(uid_set(&unreadable), "+FLAGS (\\Seen \\Flagged)")
                .await?
                .try_collect()
                .await?;
        }
    }
    Ok(unseen.len())
}

fn is_unavailable(err: &anyhow::Error) -> bool {
    err.downcast_ref::<sqlx::Error>()
        .is_some_and(crate::db::is_unavailable)
}

fn uid_set(uids: &[u32]) -> String {
    uids.iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mailbox_url_gives_server_login_and_mailbox() {
        let url =
            MailboxUrl::parse("imaps://bounce%40news.example:p%40ss@mail.example/Bounces").unwrap();
        assert!(url.tls);
        assert_eq!((url.host.as_str(), url.port), ("mail.example", 993));
        assert_eq!(
            (url.user.as_str(), url.password.as_str()),
            ("bounce@news.example", "p@ss")
        );
        assert_eq!(url.mailbox, "Bounces");
        let plain = MailboxUrl::parse("imap://u:p@127.0.0.1:1430").unwrap();
        assert_eq!(
            (plain.tls, plain.port, plain.mailbox.as_str()),
            (false, 1430, "INBOX")
        );
        assert!(MailboxUrl::parse("pop3://u:p@host").is_err());
        assert!(MailboxUrl::parse("imaps://host/INBOX").is_err());
    }
}
