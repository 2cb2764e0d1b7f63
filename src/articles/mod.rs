//! Articles: what editors add (API, pages) or the feed poller imports, and what digests are
//! made of. One URL is one article: adding it again updates it.

mod editor_pages;
pub mod queries;
mod routes;
mod sanitize;

use axum::Router;
use axum::routing::{get, put};
use serde::{Deserialize, Serialize};
use validator::{Validate, ValidationError};

use crate::db::{self, Millis};
use crate::error::{AppError, FieldErrors};
use crate::state::AppState;

pub use sanitize::{html_to_text, markdown_to_html, sanitize_summary};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Article {
    pub id: i64,
    pub title: String,
    pub url: String,
    /// The summary as sanitised HTML: what digests show.
    pub summary_html: String,
    /// The summary as plain text, for the text part of digests.
    pub summary_text: String,
    pub author: Option<String>,
    pub image_url: Option<String>,
    /// RFC 3339, UTC.
    #[schema(format = DateTime)]
    pub published_at: String,
    /// Its topics, sorted (readers and newsletters choose articles by them).
    #[schema(example = json!(["local-news", "sport"]))]
    pub topics: Vec<String>,
}

/// An article as the API and the editors' form send it.
#[derive(Debug, Default, Deserialize, Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ArticleInput {
    /// One line; it is the article's headline in digests.
    #[serde(default)]
    #[schema(required, min_length = 1, max_length = 300)]
    #[validate(
        length(
            min = 1,
            max = 300,
            message = "a title of 1 to 300 characters is required"
        ),
        custom(function = "single_line")
    )]
    pub title: String,
    /// An http:// or https:// URL. One URL is one article: posting it again updates it.
    #[serde(default)]
    #[schema(required, max_length = 2048, format = "uri")]
    #[validate(custom(function = "web_url"))]
    pub url: String,
    /// HTML or text; tags and attributes that are not safe in an email are removed.
    #[serde(default)]
    #[schema(max_length = 10000)]
    #[validate(length(max = 10000, message = "keep the summary under 10,000 characters"))]
    pub summary: String,
    #[schema(max_length = 200)]
    #[validate(
        length(max = 200, message = "at most 200 characters"),
        custom(function = "single_line")
    )]
    pub author: Option<String>,
    /// An http:// or https:// URL of the article's picture.
    #[schema(format = "uri")]
    #[validate(custom(function = "web_url"))]
    pub image_url: Option<String>,
    /// RFC 3339, e.g. `2026-11-24T07:00:00Z`; a time without an offset (`2026-11-24T07:00`)
    /// is in the newsletter's time zone (`digest.timezone`); now when absent.
    #[schema(format = DateTime)]
    pub published_at: Option<String>,
    /// Lowercase letters, digits and hyphens, e.g. `["local-news", "sport"]` (any case, each
    /// listed once); at most 30. Absent: none.
    #[serde(default)]
    #[schema(max_items = 30)]
    pub topics: Vec<String>,
}

fn single_line(value: &str) -> Result<(), ValidationError> {
    if value.chars().any(char::is_control) {
        return Err(ValidationError::new("control_chars")
            .with_message("line breaks and control characters are not allowed".into()));
    }
    Ok(())
}

fn web_url(value: &str) -> Result<(), ValidationError> {
    let ok = value.len() <= 2048
        && url::Url::parse(value)
            .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
    if ok {
        Ok(())
    } else {
        Err(ValidationError::new("url")
            .with_message("an http:// or https:// URL is required".into()))
    }
}

/// A validated article, ready to store.
#[derive(Debug)]
pub struct NewArticle {
    pub title: String,
    pub url: String,
    pub summary_html: String,
    pub summary_text: String,
    pub author: Option<String>,
    pub image_url: Option<String>,
    pub published_at: Millis,
    /// Sorted slugs, each once.
    pub topics: Vec<String>,
}

impl ArticleInput {
    /// `zone`: where a date and time without an offset (a browser's `datetime-local`) is.
    pub fn parse(self, zone: chrono_tz::Tz) -> Result<NewArticle, AppError> {
        let mut errors = match self.validate() {
            Ok(()) => FieldErrors::new(),
            Err(e) => crate::web::extract::field_errors(&e),
        };
        let topics = crate::topics::parse(&self.topics).unwrap_or_else(|message| {
            errors.insert("topics".to_string(), message.to_string());
            Vec::new()
        });
        if !errors.is_empty() {
            return Err(AppError::invalid(errors));
        }
        let published_at = match self.published_at.as_deref().filter(|s| !s.is_empty()) {
            None => db::now(),
            Some(text) => parse_time(text, zone).ok_or_else(|| {
                AppError::invalid(FieldErrors::from([(
                    "published_at".to_string(),
                    "use a date and time like 2026-11-24T07:00 (or RFC 3339 with an offset, like 2026-11-24T07:00:00Z)".to_string(),
                )]))
            })?,
        };
        let summary_html = sanitize_summary(&self.summary);
        Ok(NewArticle {
            title: self.title.trim().to_string(),
            url: self.url,
            summary_text: html_to_text(&summary_html),
            summary_html,
            author: self
                .author
                .map(|a| a.trim().to_string())
                .filter(|a| !a.is_empty()),
            image_url: self.image_url.filter(|u| !u.is_empty()),
            published_at,
            topics,
        })
    }
}

/// RFC 3339, or a browser's `datetime-local` value (`2026-11-24T07:00`, seconds optional)
/// taken in `zone`.
pub fn parse_time(text: &str, zone: chrono_tz::Tz) -> Option<Millis> {
    use chrono::TimeZone;
    if let Ok(time) = chrono::DateTime::parse_from_rfc3339(text) {
        return Some(time.timestamp_millis());
    }
    let local = chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S"))
        .ok()?;
    // A time skipped by a clock change has no instant; one repeated takes the first.
    Some(
        zone.from_local_datetime(&local)
            .earliest()?
            .timestamp_millis(),
    )
}

/// An RFC 3339 time as the editors' pages show it in `zone`, and as a `datetime-local`
/// input holds it: ("24 Nov 2026, 08:00", "2026-11-24T08:00").
pub fn local_time(rfc3339: &str, zone: chrono_tz::Tz) -> (String, String) {
    match chrono::DateTime::parse_from_rfc3339(rfc3339) {
        Ok(time) => {
            let local = time.with_timezone(&zone);
            (
                local.format("%-d %b %Y, %H:%M").to_string(),
                local.format("%Y-%m-%dT%H:%M").to_string(),
            )
        }
        Err(_) => (rfc3339.to_string(), String::new()),
    }
}

/// Why an article could not be removed.
#[derive(Debug, thiserror::Error)]
pub enum RemoveArticleError {
    #[error("no article with this id")]
    NotFound,
    /// It went out (or is going out) in a digest, whose record and web version keep it.
    #[error("this article is in digest #{0}, which keeps it; it cannot be removed")]
    InDigest(i64),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Removes an article no digest holds. The check and the delete are one statement, so a
/// digest made at the same moment cannot lose the article.
pub async fn remove(pool: &sqlx::AnyPool, id: i64) -> Result<(), RemoveArticleError> {
    if queries::delete_unless_held(pool, id).await? {
        return Ok(());
    }
    let holders = crate::digests::queries::digests_containing(pool, &[id]).await?;
    match holders.get(&id).and_then(|d| d.first()) {
        Some(digest) => Err(RemoveArticleError::InDigest(*digest)),
        None => Err(RemoveArticleError::NotFound),
    }
}

impl From<RemoveArticleError> for AppError {
    fn from(err: RemoveArticleError) -> AppError {
        match err {
            RemoveArticleError::NotFound => AppError::NotFound,
            RemoveArticleError::InDigest(_) => AppError::Conflict(err.to_string()),
            RemoveArticleError::Database(err) => err.into(),
        }
    }
}

/// The routes below, described for the API's OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    routes::list,
    routes::create,
    routes::show,
    routes::update,
    routes::remove
))]
pub struct ApiDoc;

/// The editors' pages over articles.
pub fn pages_router() -> Router<AppState> {
    Router::new()
        .route(
            "/editor/articles",
            get(editor_pages::articles).post(editor_pages::add_article),
        )
        .route(
            "/editor/articles/{id}",
            get(editor_pages::edit_article).post(editor_pages::save_article),
        )
        .route(
            "/editor/articles/{id}/delete",
            get(editor_pages::confirm_delete).post(editor_pages::delete_article),
        )
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/articles", get(routes::list).post(routes::create))
        .route(
            "/api/v1/articles/{id}",
            put(routes::update).delete(routes::remove).get(routes::show),
        )
}
