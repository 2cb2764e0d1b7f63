use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

use super::queries::{self, DigestStatus};
use crate::editors::ApiClient;
use crate::error::{ApiResult, AppError};
use crate::state::AppState;

/// The next digest's HTML exactly as a reader without a name would get it.
pub async fn preview(State(state): State<AppState>, _client: ApiClient) -> ApiResult<Response> {
    match super::preview(&state).await? {
        Some(preview) => Ok((
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            [
                ("x-digest-subject", header_safe(&preview.subject)),
                ("x-digest-recipients", preview.recipients.to_string()),
            ],
            preview.html,
        )
            .into_response()),
        None => Err(AppError::Conflict(super::NOTHING_NEW.to_string()).into()),
    }
}

/// Header values must be visible ASCII; a subject may not be.
fn header_safe(value: &str) -> String {
    value
        .chars()
        .map(|c| {
            if c.is_ascii() && !c.is_ascii_control() {
                c
            } else {
                '?'
            }
        })
        .collect()
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateDigest {
    article_ids: Option<Vec<i64>>,
    subject: Option<String>,
}

pub async fn create(
    State(state): State<AppState>,
    client: ApiClient,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<serde_json::Value>)> {
    // Every field is optional, so an empty body is a valid request too.
    let request: CreateDigest = if body.iter().all(u8::is_ascii_whitespace) {
        CreateDigest::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| AppError::Rejected {
            status: if e.is_data() {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::BAD_REQUEST
            },
            message: format!("the body is not a valid digest request: {e}"),
        })?
    };
    if let Some(subject) = &request.subject
        && (subject.chars().count() > 200 || subject.chars().any(char::is_control))
    {
        return Err(AppError::field("subject", "one line of at most 200 characters").into());
    }
    let created_by = format!("token:{}", client.token_name);
    let id = super::create(
        &state,
        request.article_ids.as_deref(),
        request.subject.as_deref(),
        &created_by,
    )
    .await?;
    Ok((StatusCode::ACCEPTED, Json(json!({ "id": id }))))
}

pub async fn show(
    State(state): State<AppState>,
    _client: ApiClient,
    Path(id): Path<i64>,
) -> ApiResult<Json<DigestStatus>> {
    let status = queries::find_status(&state.db.pool, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(status))
}

pub async fn cancel(
    State(state): State<AppState>,
    _client: ApiClient,
    Path(id): Path<i64>,
) -> ApiResult<Json<DigestStatus>> {
    Ok(Json(super::cancel(&state, id).await?))
}

pub async fn list(
    State(state): State<AppState>,
    _client: ApiClient,
) -> ApiResult<Json<serde_json::Value>> {
    let digests = queries::list_recent(&state.db.pool, 50).await?;
    Ok(Json(json!({ "digests": digests })))
}
