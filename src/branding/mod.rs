//! Branding: the logo, accent colour, masthead, footer line and the publication's own site
//! on every page and email. The configuration (`branding.*`) gives the starting values; what
//! an editor saves on the Settings page (`/editor/settings`) overrides them, value by value.
//!
//! The branding in force is kept in memory ([`SharedBranding`]), so rendering a page or an
//! email never asks the database. It is reloaded after each save on this instance, and every
//! few seconds ([`RELOAD_EVERY`]) when another instance has saved.
//!
//! Pages get it without each page's struct carrying it: a middleware ([`scope`]) makes the
//! request's branding current, and [`render_page`] hands it to askama as the runtime value
//! `brand`, which `templates/base.html` reads. Emails are rendered outside requests, so
//! their structs take it as a field.

mod accent;
mod logo;
mod pages;
mod queries;

use std::any::Any;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use askama::Template;
use axum::Router;
use axum::extract::{Query, Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use tokio_util::sync::CancellationToken;
use url::Url;

use crate::config::Settings;
use crate::db::Db;
use crate::error::AppError;
use crate::state::AppState;

pub use accent::{AA_CONTRAST, Accent, DEFAULT_ACCENT};
pub use logo::{ImageKind, Logo, MAX_LOGO_BYTES};

/// How often each instance looks for branding saved on another.
pub const RELOAD_EVERY: Duration = Duration::from_secs(5);
pub const MAX_MASTHEAD_CHARS: usize = 100;
pub const MAX_FOOTER_CHARS: usize = 300;

pub const LOGO_PATH: &str = "/branding/logo";
pub const STYLESHEET_PATH: &str = "/branding.css";

pub fn router() -> Router<AppState> {
    Router::new()
        .route(STYLESHEET_PATH, get(stylesheet))
        .route(LOGO_PATH, get(logo))
        .route(
            "/editor/settings",
            get(pages::settings_page)
                .post(pages::save)
                .layer(axum::extract::DefaultBodyLimit::max(pages::MAX_FORM_BYTES)),
        )
        .route("/editor/settings/reset", post(pages::reset))
}

/// The branding in force: the configuration's values with the saved ones on top.
#[derive(Debug, Clone)]
pub struct Branding {
    /// The name in the masthead (the logo's alt text when there is a logo); never empty.
    pub masthead: String,
    pub accent: Accent,
    /// A line at the foot of every page and email; may be empty.
    pub footer: String,
    /// The publication's own site, where the masthead leads.
    pub site_url: Option<String>,
    /// An uploaded logo; it wins over `logo_url`.
    pub uploaded_logo: Option<Arc<Logo>>,
    pub logo_url: Option<String>,
    /// Goes up with every save (0: nothing saved); versions the logo and stylesheet URLs.
    pub version: i64,
    /// `server.public_url` without its trailing slash, for links in emails.
    public_url: String,
}

impl Branding {
    /// The configuration's branding, as if nothing had been saved.
    pub fn from_config(settings: &Settings) -> Branding {
        Branding::resolve(settings, None)
    }

    fn resolve(settings: &Settings, saved: Option<&queries::Saved>) -> Branding {
        let config = &settings.branding;
        let saved = saved.cloned().unwrap_or_default();
        let accent = saved_or(
            "accent_color",
            saved.accent_color,
            Accent::parse,
            config.accent_color,
        );
        let masthead = saved_or(
            "masthead",
            saved.masthead,
            parse_masthead,
            config.masthead.clone(),
        );
        let footer = saved_or("footer", saved.footer, parse_footer, config.footer.clone());
        let site_url = saved_or(
            "site_url",
            saved.site_url,
            parse_site_url,
            config.site_url.clone(),
        );
        let logo_url = saved_or(
            "logo_url",
            saved.logo_url,
            parse_logo_url,
            config.logo_url.clone(),
        );
        Branding {
            masthead: if masthead.trim().is_empty() {
                settings.newsletter.name.clone()
            } else {
                masthead.trim().to_string()
            },
            accent,
            footer: footer.trim().to_string(),
            site_url: site_url.map(String::from),
            uploaded_logo: saved.logo.map(Arc::new),
            logo_url: logo_url.map(String::from),
            version: saved.version,
            public_url: settings
                .server
                .public_url
                .as_str()
                .trim_end_matches('/')
                .to_string(),
        }
    }

    /// The logo for an email: an absolute URL.
    pub fn logo_src(&self) -> Option<String> {
        match &self.uploaded_logo {
            Some(_) => Some(format!("{}{}", self.public_url, self.uploaded_logo_path())),
            None => self.logo_url.clone(),
        }
    }

    /// The logo for a page of this site: the uploaded one by path, so it is always
    /// same-origin.
    pub fn page_logo_src(&self) -> Option<String> {
        match &self.uploaded_logo {
            Some(_) => Some(self.uploaded_logo_path()),
            None => self.logo_url.clone(),
        }
    }

    fn uploaded_logo_path(&self) -> String {
        format!("{LOGO_PATH}?v={}", self.version)
    }

    /// Where the masthead leads on pages: the publication's site, or the signup page.
    pub fn home_href(&self) -> &str {
        self.site_url.as_deref().unwrap_or("/")
    }

    /// The stylesheet that puts the accent on pages (`STYLESHEET_PATH`, after tidings.css).
    pub fn stylesheet(&self) -> String {
        format!(":root {{ --accent: {}; }}\n", self.accent)
    }
}

/// A saved value, or the configuration's when none was saved. Saved values were checked
/// when saved; one that no longer parses (an edit by hand) is logged and passed over.
fn saved_or<T>(
    key: &str,
    saved: Option<String>,
    parse: impl Fn(&str) -> Result<T, String>,
    config: T,
) -> T {
    match saved.as_deref().map(parse) {
        Some(Ok(value)) => value,
        Some(Err(reason)) => {
            tracing::warn!(key, reason, "saved branding value ignored");
            config
        }
        None => config,
    }
}

/// The branding every handler and worker reads; replaced whole on each change.
#[derive(Clone)]
pub struct SharedBranding {
    current: Arc<RwLock<Arc<Branding>>>,
}

impl SharedBranding {
    /// The configuration's branding with what was saved on top, read at start.
    pub async fn load(db: &Db, settings: &Settings) -> anyhow::Result<SharedBranding> {
        let saved = queries::find_saved(&db.pool).await?;
        Ok(SharedBranding {
            current: Arc::new(RwLock::new(Arc::new(Branding::resolve(
                settings,
                saved.as_ref(),
            )))),
        })
    }

    pub fn current(&self) -> Arc<Branding> {
        self.current.read().expect("never poisoned").clone()
    }

    /// Reads the saved branding again (after a save, or when the version moved).
    pub async fn reload(&self, db: &Db, settings: &Settings) -> sqlx::Result<()> {
        let saved = queries::find_saved(&db.pool).await?;
        let branding = Arc::new(Branding::resolve(settings, saved.as_ref()));
        *self.current.write().expect("never poisoned") = branding;
        Ok(())
    }

    /// Reloads when another instance saved since the last load; true if it did.
    async fn reload_if_changed(&self, db: &Db, settings: &Settings) -> sqlx::Result<bool> {
        if queries::get_version(&db.pool).await? == self.current().version {
            return Ok(false);
        }
        self.reload(db, settings).await?;
        Ok(true)
    }
}

/// Picks up branding saved on other instances, every `RELOAD_EVERY`.
pub async fn run(state: AppState, shutdown: CancellationToken) {
    loop {
        tokio::select! {
            _ = tokio::time::sleep(RELOAD_EVERY) => {}
            _ = shutdown.cancelled() => break,
        }
        match state
            .branding
            .reload_if_changed(&state.db, &state.settings)
            .await
        {
            Ok(true) => tracing::info!("branding saved elsewhere loaded"),
            Ok(false) => {}
            Err(err) => tracing::warn!(error = %err, "reading the branding failed; will try again"),
        }
    }
}

tokio::task_local! {
    /// The branding of the request being answered (see [`scope`]).
    static CURRENT: Arc<Branding>;
}

/// Middleware: the branding in force when the request arrived is the one its page shows.
pub async fn scope(
    State(branding): State<SharedBranding>,
    request: Request,
    next: Next,
) -> Response {
    CURRENT.scope(branding.current(), next.run(request)).await
}

/// Renders a page with the request's branding as the askama runtime value `brand`
/// (`{% if let Ok(brand) = "brand"|value::<crate::branding::Branding> %}`). Outside a
/// request there is none, and `base.html` falls back to the plain masthead.
pub fn render_page<T: Template>(page: &T) -> askama::Result<String> {
    match CURRENT.try_with(Arc::clone) {
        Ok(branding) => page.render_with_values(&("brand", &*branding as &dyn Any)),
        Err(_) => page.render(),
    }
}

#[derive(Deserialize)]
struct Versioned {
    v: Option<i64>,
}

/// Long caching only for the current version's URL: the URL changes with each save, and a
/// stale version asked of an instance that has not reloaded yet must not be kept a year.
fn cache_control(branding: &Branding, asked: Option<i64>) -> HeaderValue {
    if asked == Some(branding.version) {
        HeaderValue::from_static("public, max-age=31536000, immutable")
    } else {
        HeaderValue::from_static("no-cache")
    }
}

async fn stylesheet(
    State(branding): State<SharedBranding>,
    Query(asked): Query<Versioned>,
) -> Response {
    let branding = branding.current();
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/css; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, cache_control(&branding, asked.v)),
        ],
        branding.stylesheet(),
    )
        .into_response()
}

async fn logo(
    State(branding): State<SharedBranding>,
    Query(asked): Query<Versioned>,
) -> Result<Response, AppError> {
    let branding = branding.current();
    let logo = branding.uploaded_logo.clone().ok_or(AppError::NotFound)?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(logo.kind.content_type()),
            ),
            (header::CACHE_CONTROL, cache_control(&branding, asked.v)),
            // Served as an image only, never as a document that could run anything.
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("default-src 'none'; sandbox"),
            ),
        ],
        logo.bytes.clone(),
    )
        .into_response())
}

/// A masthead as typed: trimmed, one line, at most `MAX_MASTHEAD_CHARS`.
pub fn parse_masthead(text: &str) -> Result<String, String> {
    one_line(text, MAX_MASTHEAD_CHARS, "the masthead")
}

/// A footer line as typed: trimmed, one line, at most `MAX_FOOTER_CHARS`.
pub fn parse_footer(text: &str) -> Result<String, String> {
    one_line(text, MAX_FOOTER_CHARS, "the footer")
}

fn one_line(text: &str, max: usize, what: &str) -> Result<String, String> {
    let text = text.trim();
    if text.chars().count() > max {
        return Err(format!("{what} can be at most {max} characters"));
    }
    if text.chars().any(char::is_control) {
        return Err(format!("{what} must be a single line"));
    }
    Ok(text.to_string())
}

/// The publication's site: empty (none), or an http or https URL.
pub fn parse_site_url(text: &str) -> Result<Option<Url>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match Url::parse(text) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.has_host() => Ok(Some(url)),
        _ => Err(format!(
            "{text:?} is not a web address like https://news.example"
        )),
    }
}

/// A logo elsewhere: empty (none), or an https URL (pages allow images over https only,
/// and mail clients warn about or block images over http).
pub fn parse_logo_url(text: &str) -> Result<Option<Url>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match Url::parse(text) {
        Ok(url) if url.scheme() == "https" && url.has_host() => Ok(Some(url)),
        _ => Err(format!(
            "{text:?} is not an https address like https://news.example/logo.png"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> Settings {
        Settings::load_from(std::path::Path::new("config"), false).unwrap()
    }

    #[test]
    fn saved_values_override_the_configuration_one_by_one() {
        let mut settings = settings();
        settings.branding.footer = "From config".into();
        settings.branding.masthead = "Config Masthead".into();
        let saved = queries::Saved {
            masthead: Some("Saved Masthead".into()),
            accent_color: Some("#123456".into()),
            version: 3,
            ..queries::Saved::default()
        };

        let branding = Branding::resolve(&settings, Some(&saved));

        assert_eq!(branding.masthead, "Saved Masthead");
        assert_eq!(branding.accent.to_string(), "#123456");
        assert_eq!(branding.footer, "From config");
        assert_eq!(branding.version, 3);
    }

    #[test]
    fn an_empty_masthead_is_the_newsletter_name_and_an_upload_beats_a_logo_url() {
        let mut settings = settings();
        settings.branding.logo_url = Some("https://cdn.example/logo.png".parse().unwrap());
        settings.server.public_url = "https://news.example/".parse().unwrap();
        let config = Branding::from_config(&settings);
        assert_eq!(config.masthead, settings.newsletter.name);
        assert_eq!(
            config.logo_src().as_deref(),
            Some("https://cdn.example/logo.png")
        );

        let saved = queries::Saved {
            logo: Some(Logo::from_upload(b"GIF89a..".to_vec()).unwrap()),
            version: 7,
            ..queries::Saved::default()
        };
        let uploaded = Branding::resolve(&settings, Some(&saved));
        assert_eq!(
            uploaded.logo_src().as_deref(),
            Some("https://news.example/branding/logo?v=7")
        );
        assert_eq!(
            uploaded.page_logo_src().as_deref(),
            Some("/branding/logo?v=7")
        );
    }

    #[test]
    fn urls_and_lines_are_checked() {
        assert!(parse_site_url("ftp://x.example").is_err());
        assert!(parse_site_url("").unwrap().is_none());
        assert!(parse_logo_url("http://x.example/l.png").is_err());
        assert!(parse_logo_url("https://x.example/l.png").unwrap().is_some());
        assert!(parse_masthead(&"x".repeat(101)).is_err());
        assert!(parse_footer("two\nlines").is_err());
        assert_eq!(parse_footer("  ok  ").unwrap(), "ok");
    }
}
