use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use super::queries::{self, DigestStatus};
use crate::editors::ApiClient;
use crate::error::doc::{BadId, Busy, MalformedJson, TooLarge, Unauthorized, WrongContentType};
use crate::error::{ApiResult, AppError, ErrorBody};
use crate::state::AppState;
use crate::web::extract::{ApiJson, ApiPath};

/// Preview the next digest
///
/// The HTML of the digest that would be made now from the articles in no digest yet, exactly
/// as a reader without a name would get it.
#[utoipa::path(
    get,
    path = "/api/v1/digests/preview",
    operation_id = "preview_digest",
    tag = "digests",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The digest's HTML", body = String, content_type = "text/html",
            headers(
                ("x-digest-subject" = String, description = "The subject, non-ASCII characters as `?`"),
                ("x-digest-recipients" = i64, description = "Confirmed readers it would go to"),
            )),
        Unauthorized,
        (status = 409, description = "Every article is already in a digest", body = ErrorBody),
        Busy,
    )
)]
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

/// Where a test goes and what it shows.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TestSendRequest {
    /// One to five addresses.
    #[schema(min_items = 1, max_items = 5)]
    to: Vec<String>,
    /// These articles; absent or empty: the next digest's (the articles in no digest yet).
    #[serde(default)]
    article_ids: Vec<i64>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TestQueued {
    /// Test emails queued, one per address.
    queued: usize,
}

/// Send a test of the next digest
///
/// Sends the digest as readers would get it to up to five addresses, through the send
/// engine. The subject starts with `[Test]`; no digest is made or counted; its unsubscribe
/// link names no reader and unsubscribes nobody.
#[utoipa::path(
    post,
    path = "/api/v1/digests/test",
    operation_id = "test_digest",
    tag = "digests",
    security(("bearer" = [])),
    request_body = TestSendRequest,
    responses(
        (status = 202, description = "Queued", body = TestQueued),
        MalformedJson,
        Unauthorized,
        WrongContentType,
        (status = 409, description = "No `article_ids` given and every article is already in a digest", body = ErrorBody),
        TooLarge,
        (status = 422, description = "Invalid fields (`to`, `article_ids`), listed in `fields`", body = ErrorBody),
        Busy,
    )
)]
pub async fn test(
    State(state): State<AppState>,
    client: ApiClient,
    ApiJson(request): ApiJson<TestSendRequest>,
) -> ApiResult<(StatusCode, Json<TestQueued>)> {
    let to = super::test_send::addresses(&request.to.join(","))?;
    let by = format!("token:{}", client.token_name);
    super::test_send::queue(&state, &to, &request.article_ids, &by).await?;
    Ok((StatusCode::ACCEPTED, Json(TestQueued { queued: to.len() })))
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

/// What to send; an empty body (or `{}`) sends the articles in no digest yet.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateDigest {
    /// These articles (the digest lists them newest first); absent: the newest articles in no
    /// digest yet.
    #[schema(min_items = 1)]
    article_ids: Option<Vec<i64>>,
    /// One line; absent: made from `digest.subject` in the config.
    #[schema(max_length = 200)]
    subject: Option<String>,
    /// The line mail clients show after the subject; absent: the headlines.
    #[schema(max_length = 150)]
    preview_text: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DigestCreated {
    /// Follow its delivery at `/api/v1/digests/{id}`.
    id: i64,
}

/// Send a digest
///
/// Makes a digest of the given articles, or of those in no digest yet, for every confirmed
/// reader, and starts sending it.
#[utoipa::path(
    post,
    path = "/api/v1/digests",
    operation_id = "send_digest",
    tag = "digests",
    security(("bearer" = [])),
    request_body(content = Option<CreateDigest>, description = "Optional: no body, or `null`, is `{}`"),
    responses(
        (status = 202, description = "Made and queued for sending", body = DigestCreated),
        MalformedJson,
        Unauthorized,
        (status = 409, description = "No `article_ids` given and every article is already in a digest", body = ErrorBody),
        TooLarge,
        (status = 422, description = "Invalid fields (say, an unknown article id), listed in `fields`", body = ErrorBody),
        Busy,
    )
)]
pub async fn create(
    State(state): State<AppState>,
    client: ApiClient,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<(StatusCode, Json<DigestCreated>)> {
    let body = body?;
    // Every field is optional, so an empty body (or `null`) is a valid request too.
    let request: CreateDigest = if body.iter().all(u8::is_ascii_whitespace) {
        CreateDigest::default()
    } else {
        serde_json::from_slice::<Option<CreateDigest>>(&body)
            .map(Option::unwrap_or_default)
            .map_err(|e| AppError::Rejected {
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
    if let Some(text) = &request.preview_text
        && (text.chars().count() > 150 || text.chars().any(char::is_control))
    {
        return Err(AppError::field("preview_text", "one line of at most 150 characters").into());
    }
    let created_by = format!("token:{}", client.token_name);
    let id = super::create(
        &state,
        request.article_ids.as_deref(),
        request.subject.as_deref(),
        request.preview_text.as_deref(),
        &created_by,
    )
    .await?;
    Ok((StatusCode::ACCEPTED, Json(DigestCreated { id })))
}

/// Follow a digest's delivery
#[utoipa::path(
    get,
    path = "/api/v1/digests/{id}",
    operation_id = "get_digest",
    tag = "digests",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The digest's id")),
    responses(
        (status = 200, description = "The digest and its delivery counts", body = DigestStatus),
        BadId,
        Unauthorized,
        (status = 404, description = "No digest with this id", body = ErrorBody),
        Busy,
    )
)]
pub async fn show(
    State(state): State<AppState>,
    _client: ApiClient,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<DigestStatus>> {
    let status = queries::find_status(&state.db.pool, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(status))
}

/// Cancel a digest
///
/// Its recipients not yet sent to get nothing; messages already in flight finish.
#[utoipa::path(
    post,
    path = "/api/v1/digests/{id}/cancel",
    operation_id = "cancel_digest",
    tag = "digests",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The digest's id")),
    responses(
        (status = 200, description = "Cancelled; the counts as they now stand", body = DigestStatus),
        BadId,
        Unauthorized,
        (status = 404, description = "No digest with this id", body = ErrorBody),
        (status = 409, description = "The digest is already sent or cancelled", body = ErrorBody),
        Busy,
    )
)]
pub async fn cancel(
    State(state): State<AppState>,
    _client: ApiClient,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<DigestStatus>> {
    Ok(Json(super::cancel(&state, id).await?))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DigestList {
    /// Newest first.
    digests: Vec<DigestStatus>,
}

/// List the 50 latest digests
#[utoipa::path(
    get,
    path = "/api/v1/digests",
    operation_id = "list_digests",
    tag = "digests",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The latest digests, newest first", body = DigestList),
        Unauthorized,
        Busy,
    )
)]
pub async fn list(
    State(state): State<AppState>,
    _client: ApiClient,
) -> ApiResult<Json<DigestList>> {
    let digests = queries::list_recent(&state.db.pool, 50).await?;
    Ok(Json(DigestList { digests }))
}
