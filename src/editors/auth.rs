//! Who is asking: an API client with a bearer token, or an editor with a login session.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use subtle::ConstantTimeEq;

use super::queries;
use crate::db;
use crate::error::{ApiError, AppError};
use crate::state::AppState;
use crate::token;

pub const SESSION_COOKIE: &str = "tidings_session";

/// A request authenticated by `Authorization: Bearer <token>`.
pub struct ApiClient {
    pub token_name: String,
}

impl FromRequestParts<AppState> for ApiClient {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let header = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok());
        let Some(raw) = header
            .and_then(|h| h.strip_prefix("Bearer "))
            .map(str::trim)
        else {
            return Err(AppError::Unauthorized(
                "an API token is required: Authorization: Bearer <token>",
            )
            .into());
        };
        // Looked up by its SHA-256: a near-miss and a random guess hash to equally unrelated
        // values, so the lookup's timing says nothing about how close a guess was.
        let Some((id, token_name, last_used)) =
            queries::find_live_token(&state.db.pool, &token::hash(raw)).await?
        else {
            return Err(
                AppError::Unauthorized("this API token is not valid or was revoked").into(),
            );
        };
        note_use(state, id, last_used);
        Ok(ApiClient { token_name })
    }
}

/// How fresh `last_used_at` is kept: a token's use is written at most this often.
const LAST_USE_RESOLUTION: db::Millis = 60_000;

/// Notes the token's use in the background, at most once a minute: a request that only
/// reads never waits for the database's writer (on SQLite, one at a time).
fn note_use(state: &AppState, id: i64, last_used: Option<db::Millis>) {
    let now = db::now();
    if last_used.is_some_and(|at| now - at < LAST_USE_RESOLUTION) {
        return;
    }
    let pool = state.db.pool.clone();
    tokio::spawn(async move {
        if let Err(err) = queries::note_token_use(&pool, id, now, LAST_USE_RESOLUTION).await {
            tracing::debug!(error = %err, token_id = id, "noting an API token's use failed");
        }
    });
}

/// A logged-in editor on the editors' pages.
pub struct EditorSession {
    pub email: String,
    pub csrf: String,
}

impl EditorSession {
    /// Every state-changing form carries the session's CSRF token.
    pub fn check_csrf(&self, sent: &str) -> Result<(), AppError> {
        if bool::from(self.csrf.as_bytes().ct_eq(sent.as_bytes())) {
            Ok(())
        } else {
            Err(AppError::Forbidden(
                "this form has expired; please go back, reload the page and try again",
            ))
        }
    }
}

impl FromRequestParts<AppState> for EditorSession {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let jar = CookieJar::from_headers(&parts.headers);
        let to_login = || Redirect::to("/editor/login").into_response();
        let Some(cookie) = jar.get(SESSION_COOKIE) else {
            return Err(to_login());
        };
        let found = queries::find_session(&state.db.pool, &token::hash(cookie.value()), db::now())
            .await
            .map_err(|e| AppError::from(e).into_response())?;
        match found {
            Some((email, csrf)) => Ok(EditorSession { email, csrf }),
            None => Err(to_login()),
        }
    }
}
