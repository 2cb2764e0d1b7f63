//! The web layer's one error type and the one place it becomes a response: an HTML error page
//! for browsers (`AppError`), or `{"error", "fields"}` JSON for the API (`ApiError`).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use askama::Template;
use axum::Json;
use axum::extract::multipart::{MultipartError, MultipartRejection};
use axum::extract::rejection::{
    BytesRejection, FormRejection, JsonRejection, PathRejection, QueryRejection,
};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde::Serialize;

use crate::i18n::{Catalog, Locale, Words};

/// Field name -> message, the first problem found for each field.
pub type FieldErrors = BTreeMap<String, String>;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{message}")]
    Invalid {
        message: String,
        fields: FieldErrors,
    },
    /// A body the extractors refused: malformed, too large, wrong content type.
    #[error("{message}")]
    Rejected { status: StatusCode, message: String },
    #[error("too many signups from your network; please try again later")]
    RateLimited,
    #[error("not found")]
    NotFound,
    /// No credentials, or credentials that are wrong, expired or revoked.
    #[error("{0}")]
    Unauthorized(&'static str),
    /// Authenticated, but the request is refused (e.g. a stale form token).
    #[error("{0}")]
    Forbidden(&'static str),
    #[error("{0}")]
    Conflict(String),
    #[error("the service is busy; please try again in a moment")]
    Busy,
    #[error(transparent)]
    Database(sqlx::Error),
    #[error(transparent)]
    Unexpected(anyhow::Error),
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn field(field: &str, message: impl Into<String>) -> AppError {
        AppError::invalid(FieldErrors::from([(field.to_string(), message.into())]))
    }

    pub fn invalid(fields: FieldErrors) -> AppError {
        let message = match fields.keys().next() {
            Some(first) if fields.len() == 1 => format!("please correct the {first} field"),
            _ => "please correct the highlighted fields".to_string(),
        };
        AppError::Invalid { message, fields }
    }

    fn status(&self) -> StatusCode {
        match self {
            AppError::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Rejected { status, .. } => *status,
            AppError::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Database(_) | AppError::Unexpected(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// What the client may see: the `Display` text for its own mistakes, a generic apology
    /// for ours (the details go to the log instead).
    fn public_message(&self) -> String {
        if self.status().is_server_error() && !matches!(self, AppError::Busy) {
            tracing::error!(
                error = crate::telemetry::redact(format!("{self:?}")),
                "request failed"
            );
            "something went wrong on our side; please try again later".to_string()
        } else {
            self.to_string()
        }
    }

    /// The reader-facing message (errors.ftl) of errors whose words are ours, not a detail of
    /// the request.
    fn message_id(&self) -> Option<&'static str> {
        match self {
            AppError::NotFound => Some("error-message-not-found"),
            AppError::RateLimited => Some("error-message-rate-limited"),
            AppError::Busy => Some("error-message-busy"),
            AppError::Database(_) | AppError::Unexpected(_) => Some("error-message-unexpected"),
            _ => None,
        }
    }

    fn retry_after(&self) -> Option<&'static str> {
        match self {
            AppError::RateLimited => Some("3600"),
            AppError::Busy => Some("2"),
            _ => None,
        }
    }
}

impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> AppError {
        if crate::db::is_unavailable(&err) {
            tracing::warn!(
                error = crate::telemetry::redact(&err),
                "database unavailable"
            );
            AppError::Busy
        } else {
            AppError::Database(err)
        }
    }
}

/// A database that is busy or out of reach is a 503 however deep in a step it was met.
impl From<anyhow::Error> for AppError {
    fn from(err: anyhow::Error) -> AppError {
        let unavailable = err
            .chain()
            .filter_map(|cause| cause.downcast_ref::<sqlx::Error>())
            .any(crate::db::is_unavailable);
        if unavailable {
            tracing::warn!(
                error = crate::telemetry::redact(format!("{err:#}")),
                "database unavailable"
            );
            AppError::Busy
        } else {
            AppError::Unexpected(err)
        }
    }
}

/// axum's rejections keep their status and message; only the body's form changes.
macro_rules! rejected_as_is {
    ($($rejection:ty),*) => {$(
        impl From<$rejection> for AppError {
            fn from(rejection: $rejection) -> AppError {
                AppError::Rejected {
                    status: rejection.status(),
                    message: rejection.body_text(),
                }
            }
        }
    )*};
}

rejected_as_is!(
    FormRejection,
    JsonRejection,
    PathRejection,
    QueryRejection,
    BytesRejection,
    MultipartRejection,
    MultipartError,
    axum_extra::extract::FormRejection
);

#[derive(Template)]
#[template(path = "pages/error.html")]
struct ErrorPage<'a> {
    newsletter: &'a str,
    title: String,
    message: &'a str,
    back_href: &'a str,
    back_label: String,
    t: Words,
}

/// What an error page says, kept on the response so that `web::error_pages`, which knows the
/// newsletter and who is reading, can dress the page.
#[derive(Debug, Clone)]
pub struct ErrorPageInfo {
    pub status: StatusCode,
    pub message: String,
    /// The message in readers' words (errors.ftl), when it is one of ours rather than a
    /// detail of what was sent (which stays as `message` says it).
    pub message_id: Option<&'static str>,
}

impl ErrorPageInfo {
    /// The page for a reader, in their words, leading back to the signup page.
    pub fn render_for_reader(&self, newsletter: &str, t: Words) -> String {
        let message = match self.message_id {
            Some(id) => t.t(id),
            None => self.message.clone(),
        };
        let page = ErrorPage {
            newsletter,
            title: t.t(title_id(self.status)),
            message: &message,
            back_href: "/",
            back_label: t.t("error-back-to-signup"),
            t,
        };
        crate::branding::render_page(&page).unwrap_or(message)
    }

    /// The page for an editor: in English, leading back to the editors' pages.
    pub fn render_for_editor(&self, newsletter: &str, english: Words) -> String {
        let page = ErrorPage {
            newsletter,
            title: english.t(title_id(self.status)),
            message: &self.message,
            back_href: "/editor/articles",
            back_label: "Back to the editors’ pages".to_string(),
            t: english,
        };
        crate::branding::render_page(&page).unwrap_or_else(|_| self.message.clone())
    }
}

/// A heading a person understands, rather than the status's reason phrase (errors.ftl).
fn title_id(status: StatusCode) -> &'static str {
    match status {
        StatusCode::NOT_FOUND => "error-title-not-found",
        StatusCode::TOO_MANY_REQUESTS => "error-title-too-many",
        StatusCode::UNAUTHORIZED => "error-title-sign-in",
        StatusCode::FORBIDDEN => "error-title-expired",
        StatusCode::CONFLICT => "error-title-conflict",
        StatusCode::SERVICE_UNAVAILABLE => "error-title-busy",
        status if status.is_client_error() => "error-title-check",
        _ => "error-title-unexpected",
    }
}

/// "please try again" -> "Please try again.": pages speak in sentences.
/// A message as a sentence: a capital first, a full stop last.
pub fn sentence(message: &str) -> String {
    let mut chars = message.chars();
    let mut sentence: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    };
    if !sentence.ends_with(['.', '!', '?']) {
        sentence.push('.');
    }
    sentence
}

/// The shipped English messages, for an error page drawn before `web::error_pages` dresses it
/// in the reader's language (and the newsletter's name).
fn shipped_english() -> Words {
    static SHIPPED: OnceLock<Catalog> = OnceLock::new();
    SHIPPED
        .get_or_init(|| Catalog::load(None).expect("the shipped messages are valid"))
        .words(Locale::ENGLISH)
}

fn with_retry_after(mut response: Response, retry_after: Option<&'static str>) -> Response {
    if let Some(seconds) = retry_after {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static(seconds));
    }
    response
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        // Logs what went wrong on our side, whatever the page then says.
        let public = sentence(&self.public_message());
        let message_id = self.message_id();
        let message = match message_id {
            Some(id) => shipped_english().t(id),
            None => public,
        };
        let info = ErrorPageInfo {
            status,
            message,
            message_id,
        };
        let body = info.render_for_reader("", shipped_english());
        let mut response = (status, Html(body)).into_response();
        response.extensions_mut().insert(info);
        with_retry_after(response, self.retry_after())
    }
}

/// The same errors, answered as JSON for `/api/v1/...`.
#[derive(Debug)]
pub struct ApiError(pub AppError);

pub type ApiResult<T> = Result<T, ApiError>;

/// The body of every API error.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(example = json!({"error": "please correct the email field", "fields": {"email": "an email address needs an @, like name@example.com"}}))]
pub struct ErrorBody {
    /// What went wrong, in words meant for people.
    pub error: String,
    /// Field name -> the first problem with it; empty unless the input had invalid fields.
    pub fields: FieldErrors,
}

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(err: E) -> ApiError {
        ApiError(err.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.0.status();
        let error = self.0.public_message();
        let retry_after = self.0.retry_after();
        let fields = match self.0 {
            AppError::Invalid { fields, .. } => fields,
            _ => FieldErrors::new(),
        };
        let body = Json(ErrorBody { error, fields });
        let mut response = with_retry_after((status, body).into_response(), retry_after);
        if status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// The error answers that many API operations share, each one status with an [`ErrorBody`],
/// for `#[utoipa::path(responses(...))]` to name beside the operation's own tuples. Each doc
/// comment is that response's description in the OpenAPI document; the types are never built.
pub mod doc {
    use super::ErrorBody;

    /// The id is not a whole number
    #[derive(utoipa::IntoResponses)]
    #[response(status = 400)]
    pub struct BadId(pub ErrorBody);

    /// The body is not JSON
    #[derive(utoipa::IntoResponses)]
    #[response(status = 400)]
    pub struct MalformedJson(pub ErrorBody);

    /// No `Authorization: Bearer <token>` header, or a token that is wrong or revoked
    #[derive(utoipa::IntoResponses)]
    #[response(
        status = 401,
        headers(("www-authenticate" = String, description = "Bearer"))
    )]
    pub struct Unauthorized(pub ErrorBody);

    /// The body is over 16 KiB
    #[derive(utoipa::IntoResponses)]
    #[response(status = 413)]
    pub struct TooLarge(pub ErrorBody);

    /// The body is not sent as `application/json`
    #[derive(utoipa::IntoResponses)]
    #[response(status = 415)]
    pub struct WrongContentType(pub ErrorBody);

    /// The database is busy; try again after `Retry-After` seconds
    #[derive(utoipa::IntoResponses)]
    #[response(
        status = 503,
        headers(("retry-after" = String, description = "Seconds to wait"))
    )]
    pub struct Busy(pub ErrorBody);
}
