//! Settings: read once at start from `config/default.toml`, `config/local.toml` and
//! `TIDINGS_<SECTION>__<KEY>` environment variables, then validated as a whole so that a bad
//! value stops the program with a message naming its key.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use lettre::message::Mailbox;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use url::Url;

use crate::i18n::Locale;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("could not read the configuration: {0}")]
    Load(#[from] config::ConfigError),
    #[error("invalid configuration value for `{key}`: {reason}")]
    Invalid { key: &'static str, reason: String },
}

fn invalid(key: &'static str, reason: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        key,
        reason: reason.into(),
    }
}

/// A list of URLs; blank entries are dropped, since a list from the environment is split on
/// every space (and an empty variable means an empty list).
fn url_list<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<Url>, D::Error> {
    Vec::<String>::deserialize(deserializer)?
        .iter()
        .map(|entry| entry.trim())
        .filter(|entry| !entry.is_empty())
        .map(|entry| {
            Url::parse(entry).map_err(|e| serde::de::Error::custom(format!("{entry:?}: {e}")))
        })
        .collect()
}

/// A mailbox such as `Name <a@b.example>`, parsed where it is read.
fn mailbox<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Mailbox, D::Error> {
    let text = String::deserialize(deserializer)?;
    text.parse().map_err(|e| {
        serde::de::Error::custom(format!(
            "{text:?} is not a mailbox like `Name <a@b.example>`: {e}"
        ))
    })
}

/// Keys that took a number in a unit and now take a duration such as "5s" or "2h": a
/// configuration that still sets one stops the start with the key to use instead, rather
/// than having its value silently ignored.
const RENAMED: &[(&str, &str, &str)] = &[
    ("mail.retry_base_ms", "mail.retry_base", "5s"),
    ("mail.retry_max_ms", "mail.retry_max", "15m"),
    ("mail.poll_interval_ms", "mail.poll_interval", "2s"),
    ("mail.lease_secs", "mail.lease", "20s"),
    ("signup.confirm_ttl_hours", "signup.confirm_ttl", "48h"),
    ("digest.catch_up_minutes", "digest.catch_up", "1h"),
    ("editor.session_hours", "editor.session_ttl", "12h"),
    ("feeds.poll_interval_secs", "feeds.poll_interval", "15m"),
];

#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub newsletter: NewsletterSettings,
    pub mail: MailSettings,
    pub signup: SignupSettings,
    pub subscribers: SubscriberSettings,
    #[serde(default)]
    pub dkim: DkimSettings,
    pub digest: DigestSettings,
    #[serde(default)]
    pub bounces: BounceSettings,
    #[serde(default)]
    pub dns: DnsSettings,
    pub editor: EditorSettings,
    pub feeds: FeedSettings,
    pub policy: PolicySettings,
    pub log: LogSettings,
    #[serde(default)]
    pub branding: BrandingSettings,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ServerSettings {
    pub bind: SocketAddr,
    pub public_url: Url,
    #[serde(default)]
    pub trusted_proxy_header: String,
    /// Origins of the publication's own sites, where the signup form is embedded.
    #[serde(default, deserialize_with = "url_list")]
    pub allowed_origins: Vec<Url>,
}

impl ServerSettings {
    /// Whether `origin` (as browsers send it: `scheme://host[:port]`) is one of
    /// `allowed_origins`.
    pub fn allows_origin(&self, origin: &str) -> bool {
        self.allowed_origins
            .iter()
            .any(|allowed| allowed.origin().ascii_serialization() == origin)
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct DatabaseSettings {
    pub url: SecretString,
    pub max_connections: u32,
}

#[derive(Debug, Clone, Deserialize)]
pub struct NewsletterSettings {
    pub name: String,
    pub description: String,
    pub postal_address: String,
    /// Web versions of sent digests at `/archive` (with an Atom feed), linked from every
    /// digest email and the signup pages.
    #[serde(default = "yes")]
    pub public_archive: bool,
    /// The languages readers may choose (signup, their page); Tidings ships all six.
    #[serde(default = "all_locales")]
    pub locales: Vec<Locale>,
    /// A reader's language when neither their choice nor their browser names one offered.
    #[serde(default)]
    pub default_locale: Locale,
    /// `.ftl` files that replace shipped messages (`<dir>/<locale>.ftl` or `<dir>/<locale>/`);
    /// empty: none. Read at start.
    #[serde(default)]
    pub messages_dir: PathBuf,
}

fn all_locales() -> Vec<Locale> {
    Locale::SHIPPED.to_vec()
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize)]
pub struct DigestSettings {
    pub max_articles: u32,
    pub subject: String,
    /// 5-field cron expression; empty turns the schedule off.
    pub schedule: String,
    pub timezone: String,
    /// A slot missed while the service was down still fires on start if at most this old.
    #[serde(with = "humantime_serde")]
    pub catch_up: Duration,
}

impl DigestSettings {
    /// The newsletter's time zone (`digest.timezone`, checked at start).
    pub fn zone(&self) -> chrono_tz::Tz {
        self.timezone.parse().unwrap_or(chrono_tz::UTC)
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct EditorSettings {
    #[serde(with = "humantime_serde")]
    pub session_ttl: Duration,
    pub login_attempts_per_minute: u32,
}

#[derive(Debug, Clone, Deserialize)]
pub struct FeedSettings {
    #[serde(deserialize_with = "url_list")]
    pub urls: Vec<Url>,
    #[serde(with = "humantime_serde")]
    pub poll_interval: Duration,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Transport {
    File,
    Smtp,
}

#[derive(Debug, Clone, Deserialize)]
pub struct MailSettings {
    pub transport: Transport,
    #[serde(default)]
    pub smtp_url: SecretString,
    pub outbox_dir: PathBuf,
    #[serde(deserialize_with = "mailbox")]
    pub from: Mailbox,
    pub rate_per_second: u32,
    pub concurrency: u32,
    #[serde(with = "humantime_serde")]
    pub retry_base: Duration,
    #[serde(with = "humantime_serde")]
    pub retry_max: Duration,
    pub max_attempts: u32,
    #[serde(with = "humantime_serde")]
    pub poll_interval: Duration,
    /// How long a claimed message stays reserved for its sender, renewed while it lives;
    /// after a crash, what was in flight is sent again once this has passed.
    #[serde(with = "humantime_serde")]
    pub lease: Duration,
    /// An optional `mailto:` address offered beside the one-click URL in List-Unsubscribe.
    #[serde(default)]
    pub unsubscribe_mailto: Option<String>,
}

/// DKIM signing: off while all three are empty.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DkimSettings {
    #[serde(default)]
    pub domain: String,
    #[serde(default)]
    pub selector: String,
    /// RSA, PKCS#8 or PKCS#1 PEM.
    #[serde(default)]
    pub private_key_path: PathBuf,
    /// A second signature, Ed25519-SHA256 (RFC 8463), beside the RSA one; PKCS#8 PEM.
    #[serde(default)]
    pub ed25519_private_key_path: PathBuf,
    #[serde(default)]
    pub ed25519_selector: String,
}

impl DkimSettings {
    pub fn is_enabled(&self) -> bool {
        !self.domain.is_empty()
    }
}

/// Resolvers for `tidings doctor`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DnsSettings {
    /// `ip` or `ip:port` each; empty: the system's resolvers.
    #[serde(default, deserialize_with = "nameservers")]
    pub nameservers: Vec<SocketAddr>,
}

fn nameservers<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<SocketAddr>, D::Error> {
    Vec::<String>::deserialize(deserializer)?
        .iter()
        .map(|entry| entry.trim())
        .filter(|entry| !entry.is_empty())
        .map(|entry| {
            entry
                .parse::<SocketAddr>()
                .or_else(|_| {
                    entry
                        .parse::<std::net::IpAddr>()
                        .map(|ip| SocketAddr::new(ip, 53))
                })
                .map_err(|_| {
                    serde::de::Error::custom(format!(
                        "{entry:?} is not an address like 9.9.9.9 or 127.0.0.1:5353"
                    ))
                })
        })
        .collect()
}

/// Where bounces and complaints come back from (see `bounces`).
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct BounceSettings {
    /// Base of the per-message envelope sender (VERP), e.g. `bounces@news.example`; empty:
    /// the From address is the envelope sender.
    #[serde(deserialize_with = "optional_address")]
    pub return_path: Option<lettre::Address>,
    /// Password of the Postmark webhook (HTTP basic auth, any user name).
    pub webhook_secret: SecretString,
    /// SendGrid's Event Webhook verification key, base64 DER as SendGrid shows it.
    pub sendgrid_public_key: String,
    /// Mailgun's HTTP webhook signing key.
    pub mailgun_signing_key: SecretString,
    /// The SNS topic SES notifications come from: any AWS account can have Amazon sign a
    /// message, so only this topic's are believed.
    pub ses_topic_arn: String,
    /// A pinned SNS signing certificate (PEM) for SES notifications; empty: the one each
    /// notification names, fetched from Amazon over https.
    pub ses_certificate_path: PathBuf,
    /// Soft bounces on consecutive digests before a reader counts as bounced; 0: never.
    pub soft_limit: u32,
    /// The bounce mailbox, e.g. `imaps://user:pass@mail.example:993/INBOX`.
    #[serde(deserialize_with = "optional_mailbox")]
    pub imap_url: Option<crate::bounces::mailbox::MailboxUrl>,
    /// How often the bounce mailbox is read.
    #[serde(with = "humantime_serde")]
    pub poll_interval: Duration,
}

fn optional_mailbox<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<crate::bounces::mailbox::MailboxUrl>, D::Error> {
    let text = String::deserialize(deserializer)?;
    if text.trim().is_empty() {
        return Ok(None);
    }
    crate::bounces::mailbox::MailboxUrl::parse(text.trim())
        .map(Some)
        .map_err(serde::de::Error::custom)
}

impl Default for BounceSettings {
    fn default() -> Self {
        BounceSettings {
            return_path: None,
            webhook_secret: SecretString::default(),
            sendgrid_public_key: String::new(),
            mailgun_signing_key: SecretString::default(),
            ses_topic_arn: String::new(),
            ses_certificate_path: PathBuf::new(),
            soft_limit: 3,
            imap_url: None,
            poll_interval: Duration::from_secs(60),
        }
    }
}

fn optional_address<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<lettre::Address>, D::Error> {
    let text = String::deserialize(deserializer)?;
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let address: lettre::Address = text.parse().map_err(|e| {
        serde::de::Error::custom(format!(
            "{text:?} is not an address like bounces@news.example: {e}"
        ))
    })?;
    if address.user().contains('+') {
        return Err(serde::de::Error::custom(format!(
            "{text:?}: leave out the +tag; Tidings adds one per message"
        )));
    }
    Ok(Some(address))
}

#[derive(Debug, Clone, Deserialize)]
pub struct SignupSettings {
    /// Lifetime of a confirmation link.
    #[serde(with = "humantime_serde")]
    pub confirm_ttl: Duration,
    pub max_confirmations_per_day: u32,
    pub ip_limit_per_hour: u32,
    pub case_sensitive_local_part: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SubscriberSettings {
    /// Readers who never confirmed are deleted, with their consent rows, this long after
    /// their last signup.
    #[serde(with = "humantime_serde")]
    pub pending_ttl: Duration,
    /// Key of the HMAC kept for erased addresses; empty: a key the service makes and keeps in
    /// the database.
    #[serde(default)]
    pub suppression_key: SecretString,
}

#[derive(Debug, Clone, Deserialize)]
pub struct PolicySettings {
    pub privacy_version: String,
    pub terms_version: String,
    pub privacy_url: Url,
    pub terms_url: Url,
}

/// The look of pages and emails (see `branding`); what the editors' Settings page saves
/// overrides each value.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct BrandingSettings {
    /// A logo (https) shown in the masthead instead of its text, which becomes its alt text.
    #[serde(deserialize_with = "logo_url")]
    pub logo_url: Option<Url>,
    /// `#rrggbb`: links, buttons and headings' rules.
    pub accent_color: crate::branding::Accent,
    /// Empty: the newsletter's name.
    pub masthead: String,
    /// A line at the foot of every page and email; empty: none.
    pub footer: String,
    /// The publication's own site, where the masthead leads; empty: the signup page.
    #[serde(deserialize_with = "site_url")]
    pub site_url: Option<Url>,
}

fn logo_url<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<Url>, D::Error> {
    crate::branding::parse_logo_url(&String::deserialize(deserializer)?)
        .map_err(serde::de::Error::custom)
}

fn site_url<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<Url>, D::Error> {
    crate::branding::parse_site_url(&String::deserialize(deserializer)?)
        .map_err(serde::de::Error::custom)
}

#[derive(Debug, Clone, Deserialize)]
pub struct LogSettings {
    pub json: bool,
}

impl Settings {
    /// All layers: `config/default.toml`, `config/local.toml` if present, then environment.
    pub fn load() -> Result<Settings, ConfigError> {
        Self::load_from(Path::new("config"), true)
    }

    /// `dir/default.toml` alone, or with the local file and environment on top.
    pub fn load_from(dir: &Path, with_overrides: bool) -> Result<Settings, ConfigError> {
        let mut builder =
            config::Config::builder().add_source(config::File::from(dir.join("default.toml")));
        if with_overrides {
            builder = builder
                .add_source(config::File::from(dir.join("local.toml")).required(false))
                .add_source(
                    config::Environment::with_prefix("TIDINGS")
                        .prefix_separator("_")
                        .separator("__")
                        .try_parsing(true)
                        // Lists come from the environment as space-separated values.
                        .list_separator(" ")
                        .with_list_parse_key("server.allowed_origins")
                        .with_list_parse_key("feeds.urls")
                        .with_list_parse_key("dns.nameservers")
                        .with_list_parse_key("newsletter.locales"),
                );
        }
        let config = builder.build()?;
        for (old, new, example) in RENAMED {
            if config.get::<config::Value>(old).is_ok() {
                return Err(invalid(
                    new,
                    format!(
                        "`{old}` is no longer read: set `{new}` to a duration such as \"{example}\""
                    ),
                ));
            }
        }
        let settings: Settings = config.try_deserialize()?;
        settings.validate()?;
        Ok(settings)
    }

    pub fn validate(&self) -> Result<(), ConfigError> {
        let db = self.database.url.expose_secret();
        if !(db.starts_with("sqlite:")
            || db.starts_with("postgres:")
            || db.starts_with("postgresql:"))
        {
            return Err(invalid(
                "database.url",
                "must start with sqlite:// or postgres://",
            ));
        }
        if self.database.max_connections == 0 {
            return Err(invalid("database.max_connections", "must be at least 1"));
        }
        if !matches!(self.server.public_url.scheme(), "http" | "https") {
            return Err(invalid("server.public_url", "must be an http or https URL"));
        }
        for origin in &self.server.allowed_origins {
            let bare = origin.path() == "/"
                && origin.query().is_none()
                && origin.fragment().is_none()
                && origin.username().is_empty()
                && origin.password().is_none();
            if !matches!(origin.scheme(), "http" | "https") || !origin.has_host() || !bare {
                return Err(invalid(
                    "server.allowed_origins",
                    format!(
                        "{origin} is not an origin like https://news.example (scheme, host and port only)"
                    ),
                ));
            }
        }
        if self.newsletter.name.trim().is_empty() {
            return Err(invalid("newsletter.name", "must not be empty"));
        }
        if self.newsletter.locales.is_empty() {
            return Err(invalid(
                "newsletter.locales",
                "must name at least one locale",
            ));
        }
        if !self
            .newsletter
            .locales
            .contains(&self.newsletter.default_locale)
        {
            return Err(invalid(
                "newsletter.default_locale",
                format!(
                    "{} is not among newsletter.locales",
                    self.newsletter.default_locale
                ),
            ));
        }
        if self.mail.transport == Transport::Smtp {
            let url = self.mail.smtp_url.expose_secret();
            if url.is_empty() {
                return Err(invalid(
                    "mail.smtp_url",
                    "must be set when mail.transport is smtp",
                ));
            }
            let parsed = Url::parse(url).map_err(|e| invalid("mail.smtp_url", e.to_string()))?;
            if !matches!(parsed.scheme(), "smtp" | "smtps") {
                return Err(invalid(
                    "mail.smtp_url",
                    "must start with smtp:// or smtps://",
                ));
            }
        }
        if self.mail.rate_per_second == 0 {
            return Err(invalid("mail.rate_per_second", "must be at least 1"));
        }
        if self.mail.max_attempts == 0 {
            return Err(invalid("mail.max_attempts", "must be at least 1"));
        }
        if self.mail.retry_base.is_zero() || self.mail.retry_max < self.mail.retry_base {
            return Err(invalid(
                "mail.retry_max",
                "mail.retry_base must be above zero and at most mail.retry_max",
            ));
        }
        at_least("mail.lease", self.mail.lease, Duration::from_secs(5))?;
        at_least(
            "mail.poll_interval",
            self.mail.poll_interval,
            Duration::from_millis(1),
        )?;
        let dkim = &self.dkim;
        let set = [
            !dkim.domain.is_empty(),
            !dkim.selector.is_empty(),
            !dkim.private_key_path.as_os_str().is_empty(),
        ];
        if set.iter().any(|s| *s) && !set.iter().all(|s| *s) {
            return Err(invalid(
                "dkim.domain",
                "set dkim.domain, dkim.selector and dkim.private_key_path together",
            ));
        }
        let ed25519 = [
            !dkim.ed25519_private_key_path.as_os_str().is_empty(),
            !dkim.ed25519_selector.is_empty(),
        ];
        if ed25519[0] != ed25519[1] || (ed25519[0] && !set[0]) {
            return Err(invalid(
                "dkim.ed25519_selector",
                "set dkim.ed25519_private_key_path and dkim.ed25519_selector together, \
                 beside the RSA key (dkim.domain, dkim.selector, dkim.private_key_path)",
            ));
        }
        at_least(
            "signup.confirm_ttl",
            self.signup.confirm_ttl,
            Duration::from_secs(60),
        )?;
        at_least(
            "subscribers.pending_ttl",
            self.subscribers.pending_ttl,
            Duration::from_secs(1),
        )?;
        let key = self.subscribers.suppression_key.expose_secret();
        if !key.is_empty() && key.len() < 32 {
            return Err(invalid(
                "subscribers.suppression_key",
                "use at least 32 characters (e.g. `openssl rand -hex 32`), or leave it empty",
            ));
        }
        if self.newsletter.postal_address.trim().is_empty() {
            return Err(invalid(
                "newsletter.postal_address",
                "must not be empty (CAN-SPAM)",
            ));
        }
        crate::scheduler::Schedule::parse(&self.digest.schedule, &self.digest.timezone)
            .map_err(|e| invalid("digest.schedule", e))?;
        if self.digest.max_articles == 0 {
            return Err(invalid("digest.max_articles", "must be at least 1"));
        }
        if self.digest.subject.trim().is_empty() {
            return Err(invalid("digest.subject", "must not be empty"));
        }
        at_least(
            "editor.session_ttl",
            self.editor.session_ttl,
            Duration::from_secs(60),
        )?;
        if self.editor.login_attempts_per_minute == 0 {
            return Err(invalid(
                "editor.login_attempts_per_minute",
                "must be at least 1",
            ));
        }
        at_least(
            "feeds.poll_interval",
            self.feeds.poll_interval,
            Duration::from_secs(1),
        )?;
        if self
            .feeds
            .urls
            .iter()
            .any(|u| !matches!(u.scheme(), "http" | "https"))
        {
            return Err(invalid(
                "feeds.urls",
                "every feed must be an http or https URL",
            ));
        }
        if self.policy.privacy_version.trim().is_empty() {
            return Err(invalid("policy.privacy_version", "must not be empty"));
        }
        if self.policy.terms_version.trim().is_empty() {
            return Err(invalid("policy.terms_version", "must not be empty"));
        }
        at_least(
            "bounces.poll_interval",
            self.bounces.poll_interval,
            Duration::from_secs(1),
        )?;
        if self.bounces.imap_url.is_some() && self.bounces.return_path.is_none() {
            return Err(invalid(
                "bounces.return_path",
                "set it when bounces.imap_url is set: anyone can write to a mailbox, so only bounces \
                 sent back to a signed return path are believed",
            ));
        }
        let sendgrid = self.bounces.sendgrid_public_key.trim();
        if !sendgrid.is_empty() && crate::bounces::webhooks::sendgrid_key(sendgrid).is_none() {
            return Err(invalid(
                "bounces.sendgrid_public_key",
                "not a base64 P-256 public key as SendGrid's Event Webhook settings show it",
            ));
        }
        crate::branding::parse_masthead(&self.branding.masthead)
            .map_err(|e| invalid("branding.masthead", e))?;
        crate::branding::parse_footer(&self.branding.footer)
            .map_err(|e| invalid("branding.footer", e))?;
        let header = &self.server.trusted_proxy_header;
        if !header.is_empty() && axum::http::HeaderName::from_bytes(header.as_bytes()).is_err() {
            return Err(invalid(
                "server.trusted_proxy_header",
                "not a valid HTTP header name",
            ));
        }
        Ok(())
    }

    /// A link under `server.public_url`, e.g. `link("/confirm/abc")`.
    pub fn link(&self, path: &str) -> String {
        format!(
            "{}{}",
            self.server.public_url.as_str().trim_end_matches('/'),
            path
        )
    }
}

fn at_least(key: &'static str, value: Duration, least: Duration) -> Result<(), ConfigError> {
    if value < least {
        return Err(invalid(
            key,
            format!("must be at least {}", humantime::format_duration(least)),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defaults() -> Settings {
        Settings::load_from(Path::new("config"), false).expect("default config is valid")
    }

    #[test]
    fn the_shipped_defaults_are_valid() {
        let settings = defaults();
        assert_eq!(settings.server.bind.port(), 3000);
        assert_eq!(settings.mail.transport, Transport::File);
    }

    #[test]
    fn a_bad_value_names_its_key() {
        let mut settings = defaults();
        settings.mail.transport = Transport::Smtp;
        let err = settings.validate().unwrap_err().to_string();
        assert!(err.contains("mail.smtp_url"), "{err}");

        let mut settings = defaults();
        settings.mail.lease = Duration::from_secs(1);
        let err = settings.validate().unwrap_err().to_string();
        assert!(err.contains("mail.lease") && err.contains("5s"), "{err}");
    }

    #[test]
    fn durations_and_mailboxes_are_parsed_where_they_are_read() {
        let settings = defaults();
        assert_eq!(settings.mail.lease, Duration::from_secs(20));
        assert_eq!(settings.mail.retry_max, Duration::from_secs(900));
        assert_eq!(settings.signup.confirm_ttl, Duration::from_secs(48 * 3600));
        assert_eq!(settings.mail.from.email.to_string(), "newsletter@localhost");
    }

    /// `config/default.toml` with one line replaced, loaded from a directory of its own.
    fn load_with(old: &str, new: &str) -> Result<Settings, ConfigError> {
        let shipped = std::fs::read_to_string("config/default.toml").unwrap();
        assert!(shipped.contains(old), "{old}");
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("default.toml"), shipped.replace(old, new)).unwrap();
        Settings::load_from(dir.path(), false)
    }

    #[test]
    fn a_key_that_took_a_number_names_the_duration_key_to_use() {
        let err = load_with("lease = \"20s\"", "lease_secs = 20")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("mail.lease_secs") && err.contains("`mail.lease`"),
            "{err}"
        );
        let err = load_with("session_ttl = \"12h\"", "session_ttl = \"12 parsecs\"")
            .unwrap_err()
            .to_string();
        assert!(err.contains("session_ttl"), "{err}");
        let err = load_with(
            "from = \"The Tidings Newsletter <newsletter@localhost>\"",
            "from = \"not an address\"",
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("mail.from") && err.contains("mailbox"),
            "{err}"
        );
    }

    #[test]
    fn a_bad_branding_value_stops_the_start_naming_its_key() {
        let err = load_with("accent_color = \"#b3261e\"", "accent_color = \"crimson\"")
            .unwrap_err()
            .to_string();
        assert!(err.contains("branding.accent_color"), "{err}");
        let err = load_with("site_url = \"\"", "site_url = \"ftp://news.example\"")
            .unwrap_err()
            .to_string();
        assert!(err.contains("branding.site_url"), "{err}");
        let mut settings = defaults();
        settings.branding.footer = "x".repeat(301);
        let err = settings.validate().unwrap_err().to_string();
        assert!(err.contains("branding.footer"), "{err}");
        assert_eq!(defaults().branding.accent_color.to_string(), "#b3261e");
    }

    #[test]
    fn a_bounce_mailbox_needs_a_signed_return_path() {
        let mut settings = defaults();
        settings.bounces.imap_url = Some(
            crate::bounces::mailbox::MailboxUrl::parse("imaps://u:p@mail.example/INBOX").unwrap(),
        );
        let err = settings.validate().unwrap_err().to_string();
        assert!(err.contains("bounces.return_path"), "{err}");
        settings.bounces.return_path = Some("bounces@news.example".parse().unwrap());
        settings.validate().unwrap();
    }

    #[test]
    fn links_join_the_public_url_without_double_slashes() {
        let mut settings = defaults();
        settings.server.public_url = "https://news.example/".parse().unwrap();
        assert_eq!(
            settings.link("/confirm/x"),
            "https://news.example/confirm/x"
        );
    }
}
