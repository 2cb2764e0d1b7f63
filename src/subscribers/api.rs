//! The editors' API over readers: a paged list, everything held about one reader, erasure.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use super::erasure;
use super::export::{self, ReaderExport};
use super::queries::{self, Profile, StatusFilter};
use crate::editors::ApiClient;
use crate::error::doc::{BadId, Busy, Unauthorized};
use crate::error::{ApiResult, AppError, ErrorBody};
use crate::state::AppState;
use crate::web::extract::{ApiPath, ApiQuery};

const MAX_LIMIT: i64 = 500;

// Every field is text so that a bad value is a 422 naming the field, not a generic 400.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// `pending`, `confirmed`, `unsubscribed`, `bounced`, or `all` (the default).
    #[param(example = "confirmed")]
    pub(super) status: Option<String>,
    /// The start of the address (case-insensitive).
    #[param(max_length = 254)]
    pub(super) q: Option<String>,
    /// `next_cursor` of the previous page.
    pub(super) cursor: Option<String>,
    /// Readers per page, 1 to 500; 50 when absent.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 500)]
    limit: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SubscriberPage {
    subscribers: Vec<Profile>,
    /// Pass as `cursor` for the next page; null on the last one.
    next_cursor: Option<String>,
}

/// List readers
///
/// In the order they joined, a page at a time: pass `next_cursor` back as `cursor`.
#[utoipa::path(
    get,
    path = "/api/v1/subscribers",
    operation_id = "list_subscribers",
    tag = "subscribers",
    security(("bearer" = [])),
    params(ListQuery),
    responses(
        (status = 200, description = "One page of readers", body = SubscriberPage),
        (status = 400, description = "A parameter is given twice", body = ErrorBody),
        Unauthorized,
        (status = 422, description = "A parameter is out of range; `fields` names it", body = ErrorBody),
        Busy,
    )
)]
pub async fn list(
    State(state): State<AppState>,
    _client: ApiClient,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> ApiResult<Json<SubscriberPage>> {
    let listing = Listing::parse(&query)?;
    let (subscribers, next_cursor) = listing.fetch(&state.db.pool).await?;
    Ok(Json(SubscriberPage {
        subscribers,
        next_cursor,
    }))
}

/// A checked request for a page of readers, shared by the API and the editors' page.
pub(super) struct Listing {
    filter: StatusFilter,
    /// Lower-case start of the address.
    prefix: Option<String>,
    after: i64,
    limit: i64,
}

impl Listing {
    /// Each bad value is a 422 naming its parameter.
    pub(super) fn parse(query: &ListQuery) -> Result<Listing, AppError> {
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
            .as_deref()
            .map(|q| q.trim().to_lowercase())
            .filter(|q| !q.is_empty());
        if prefix
            .as_ref()
            .is_some_and(|p| p.len() > 254 || p.chars().any(char::is_control))
        {
            return Err(AppError::field(
                "q",
                "at most 254 characters, no control characters",
            ));
        }
        Ok(Listing {
            filter,
            prefix,
            after,
            limit,
        })
    }

    /// The page, and the cursor of the next one if there is one.
    pub(super) async fn fetch(
        &self,
        pool: &sqlx::AnyPool,
    ) -> sqlx::Result<(Vec<Profile>, Option<String>)> {
        // One more than asked tells whether there is a next page.
        let mut readers = queries::page(
            pool,
            self.filter,
            self.prefix.as_deref(),
            self.after,
            self.limit + 1,
        )
        .await?;
        let next_cursor = if readers.len() as i64 > self.limit {
            readers.truncate(self.limit as usize);
            readers.last().map(|s| s.id.to_string())
        } else {
            None
        };
        Ok((readers, next_cursor))
    }
}

/// Get one reader
#[utoipa::path(
    get,
    path = "/api/v1/subscribers/{id}",
    operation_id = "get_subscriber",
    tag = "subscribers",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The reader's id")),
    responses(
        (status = 200, description = "The reader", body = Profile),
        BadId,
        Unauthorized,
        (status = 404, description = "No reader with this id", body = ErrorBody),
        Busy,
    )
)]
pub async fn show(
    State(state): State<AppState>,
    _client: ApiClient,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Profile>> {
    let profile = queries::find_profile(&state.db.pool, id).await?;
    Ok(Json(profile.ok_or(AppError::NotFound)?))
}

/// Export everything held about a reader
///
/// Profile, consent log (with the exact sentence agreed to), every digest made for them and
/// what became of it, and the other emails sent to them.
#[utoipa::path(
    get,
    path = "/api/v1/subscribers/{id}/export",
    operation_id = "export_subscriber",
    tag = "subscribers",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The reader's id")),
    responses(
        (status = 200, description = "Everything held about the reader", body = ReaderExport),
        BadId,
        Unauthorized,
        (status = 404, description = "No reader with this id", body = ErrorBody),
        Busy,
    )
)]
pub async fn export(
    State(state): State<AppState>,
    _client: ApiClient,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<ReaderExport>> {
    let export = export::reader_export(&state.db, id)
        .await
        .map_err(AppError::from)?;
    Ok(Json(export.ok_or(AppError::NotFound)?))
}

/// Erase a reader
///
/// The reader, their consent log and pending emails are deleted and their deliveries kept
/// only as anonymous counts. A keyed hash of the address stays so that no import brings
/// them back.
#[utoipa::path(
    delete,
    path = "/api/v1/subscribers/{id}",
    operation_id = "erase_subscriber",
    tag = "subscribers",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The reader's id")),
    responses(
        (status = 204, description = "Erased"),
        BadId,
        Unauthorized,
        (status = 404, description = "No reader with this id", body = ErrorBody),
        Busy,
    )
)]
pub async fn erase(
    State(state): State<AppState>,
    client: ApiClient,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    if erasure::erase(&state, id).await? {
        tracing::info!(subscriber_id = id, by = %client.token_name, "erased through the API");
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::NotFound.into())
    }
}
