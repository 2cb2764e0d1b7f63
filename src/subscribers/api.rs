//! The editors' API over readers: a paged list, everything held about one reader, erasure.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use super::erasure;
use super::export::{self, ReaderExport};
use super::queries::{self, Profile, StatusFilter};
use crate::editors::ApiClient;
use crate::error::{ApiResult, AppError};
use crate::state::AppState;

const MAX_LIMIT: i64 = 500;

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    status: Option<String>,
    /// The start of the address (case-insensitive).
    q: Option<String>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
    limit: Option<String>,
}

#[derive(Serialize)]
pub struct SubscriberPage {
    subscribers: Vec<Profile>,
    /// Pass as `cursor` for the next page; absent on the last one.
    next_cursor: Option<String>,
}

/// `?status=confirmed&q=ada&limit=100&cursor=...`, in the order readers joined.
pub async fn list(
    State(state): State<AppState>,
    _client: ApiClient,
    Query(query): Query<ListQuery>,
) -> ApiResult<Json<SubscriberPage>> {
    let filter = StatusFilter::parse(query.status.as_deref())
        .map_err(|message| AppError::field("status", message))?;
    let after = match query.cursor.as_deref().filter(|c| !c.is_empty()) {
        None => 0,
        Some(cursor) => cursor
            .parse::<i64>()
            .ok()
            .filter(|id| *id >= 0)
            .ok_or_else(|| AppError::field("cursor", "not a cursor this API gave out"))?,
    };
    let limit = match query.limit.as_deref() {
        None => 50,
        Some(limit) => limit
            .parse::<i64>()
            .ok()
            .filter(|l| (1..=MAX_LIMIT).contains(l))
            .ok_or_else(|| AppError::field("limit", "a whole number from 1 to 500"))?,
    };
    let prefix = query
        .q
        .map(|q| q.trim().to_lowercase())
        .filter(|q| !q.is_empty());
    if prefix
        .as_ref()
        .is_some_and(|p| p.len() > 254 || p.chars().any(char::is_control))
    {
        return Err(AppError::field("q", "at most 254 characters, no control characters").into());
    }
    // One more than asked tells whether there is a next page.
    let mut subscribers =
        queries::page(&state.db.pool, filter, prefix.as_deref(), after, limit + 1).await?;
    let next_cursor = if subscribers.len() as i64 > limit {
        subscribers.truncate(limit as usize);
        subscribers.last().map(|s| s.id.to_string())
    } else {
        None
    };
    Ok(Json(SubscriberPage {
        subscribers,
        next_cursor,
    }))
}

pub async fn show(
    State(state): State<AppState>,
    _client: ApiClient,
    Path(id): Path<i64>,
) -> ApiResult<Json<Profile>> {
    let profile = queries::find_profile(&state.db.pool, id).await?;
    Ok(Json(profile.ok_or(AppError::NotFound)?))
}

/// Everything held about the reader: profile, consent log, deliveries, other emails.
pub async fn export(
    State(state): State<AppState>,
    _client: ApiClient,
    Path(id): Path<i64>,
) -> ApiResult<Json<ReaderExport>> {
    let export = export::reader_export(&state.db, id)
        .await
        .map_err(AppError::from)?;
    Ok(Json(export.ok_or(AppError::NotFound)?))
}

/// Erasure: 204, and the reader is gone from every table.
pub async fn erase(
    State(state): State<AppState>,
    client: ApiClient,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    if erasure::erase(&state, id).await? {
        tracing::info!(subscriber_id = id, by = %client.token_name, "erased through the API");
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::NotFound.into())
    }
}
