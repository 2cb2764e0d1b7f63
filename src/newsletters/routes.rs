use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use super::{Newsletter, NewsletterInput, queries};
use crate::db;
use crate::editors::ApiClient;
use crate::error::doc::{Busy, MalformedJson, TooLarge, Unauthorized, WrongContentType};
use crate::error::{ApiResult, AppError, ErrorBody};
use crate::state::AppState;
use crate::web::extract::{ApiJson, ApiPath};

/// List the newsletters
///
/// The default newsletter (the one signups join when they name none) comes first.
#[utoipa::path(
    get,
    path = "/api/v1/newsletters",
    operation_id = "list_newsletters",
    tag = "newsletters",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Every newsletter", body = [Newsletter]),
        Unauthorized,
        Busy,
    )
)]
pub async fn list(
    State(state): State<AppState>,
    _client: ApiClient,
) -> ApiResult<Json<Vec<Newsletter>>> {
    Ok(Json(queries::list(&state.db.pool).await?))
}

/// Add a newsletter
///
/// `slug` and `name` are required; the rest take defaults (no schedule, the config's time
/// zone and `max_articles`, every topic, no cadence choice, no welcome email).
#[utoipa::path(
    post,
    path = "/api/v1/newsletters",
    operation_id = "add_newsletter",
    tag = "newsletters",
    security(("bearer" = [])),
    request_body = NewsletterInput,
    responses(
        (status = 201, description = "Added", body = Newsletter),
        MalformedJson,
        Unauthorized,
        TooLarge,
        WrongContentType,
        (status = 422, description = "Invalid fields (a slug already taken among them), listed in `fields`", body = ErrorBody),
        Busy,
    )
)]
pub async fn create(
    State(state): State<AppState>,
    _client: ApiClient,
    ApiJson(input): ApiJson<NewsletterInput>,
) -> ApiResult<(StatusCode, Json<Newsletter>)> {
    let mut missing = crate::error::FieldErrors::new();
    if input.slug.is_none() {
        missing.insert("slug".into(), "required, e.g. \"weekend\"".into());
    }
    if input.name.is_none() {
        missing.insert("name".into(), "required".into());
    }
    // Every refused field at once: those missing and those given wrong.
    let newsletter = match input.apply(super::blank(&state.settings)) {
        Ok(newsletter) if missing.is_empty() => newsletter,
        Ok(_) => return Err(AppError::invalid(missing).into()),
        Err(AppError::Invalid { mut fields, .. }) => {
            fields.extend(missing);
            return Err(AppError::invalid(fields).into());
        }
        Err(err) => return Err(err.into()),
    };
    let newsletter = queries::insert(&state.db.pool, &newsletter, db::now())
        .await
        .map_err(AppError::from)?;
    tracing::info!(slug = newsletter.slug, "newsletter added");
    Ok((StatusCode::CREATED, Json(newsletter)))
}

async fn find(state: &AppState, slug: &str) -> Result<Newsletter, AppError> {
    queries::find_by_slug(&state.db.pool, slug)
        .await?
        .ok_or(AppError::NotFound)
}

/// One newsletter
#[utoipa::path(
    get,
    path = "/api/v1/newsletters/{slug}",
    operation_id = "show_newsletter",
    tag = "newsletters",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The newsletter's slug")),
    responses(
        (status = 200, description = "The newsletter", body = Newsletter),
        Unauthorized,
        (status = 404, description = "No newsletter with this slug", body = ErrorBody),
        Busy,
    )
)]
pub async fn show(
    State(state): State<AppState>,
    _client: ApiClient,
    ApiPath(slug): ApiPath<String>,
) -> ApiResult<Json<Newsletter>> {
    Ok(Json(find(&state, &slug).await?))
}

/// Change a newsletter
///
/// Only the fields given change. Changing the default newsletter ends its following of the
/// config's `[newsletter]` and `[digest]` keys.
#[utoipa::path(
    patch,
    path = "/api/v1/newsletters/{slug}",
    operation_id = "change_newsletter",
    tag = "newsletters",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The newsletter's slug")),
    request_body = NewsletterInput,
    responses(
        (status = 200, description = "Changed", body = Newsletter),
        MalformedJson,
        Unauthorized,
        (status = 404, description = "No newsletter with this slug", body = ErrorBody),
        TooLarge,
        WrongContentType,
        (status = 422, description = "Invalid fields (a slug already taken among them), listed in `fields`", body = ErrorBody),
        Busy,
    )
)]
pub async fn update(
    State(state): State<AppState>,
    _client: ApiClient,
    ApiPath(slug): ApiPath<String>,
    ApiJson(input): ApiJson<NewsletterInput>,
) -> ApiResult<Json<Newsletter>> {
    let newsletter = input.apply(find(&state, &slug).await?)?;
    queries::update(&state.db.pool, &newsletter, db::now())
        .await
        .map_err(AppError::from)?;
    tracing::info!(slug = newsletter.slug, "newsletter changed");
    Ok(Json(find(&state, &newsletter.slug).await?))
}

/// Delete a newsletter
///
/// Only one that has sent no digest, and never the default one; its readers' choices of it
/// go with it (they stay on their other newsletters).
#[utoipa::path(
    delete,
    path = "/api/v1/newsletters/{slug}",
    operation_id = "delete_newsletter",
    tag = "newsletters",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The newsletter's slug")),
    responses(
        (status = 204, description = "Deleted"),
        Unauthorized,
        (status = 404, description = "No newsletter with this slug", body = ErrorBody),
        (status = 409, description = "The default newsletter, or one with digests", body = ErrorBody),
        Busy,
    )
)]
pub async fn delete(
    State(state): State<AppState>,
    _client: ApiClient,
    ApiPath(slug): ApiPath<String>,
) -> ApiResult<StatusCode> {
    let newsletter = find(&state, &slug).await?;
    let mut tx = state.db.begin().await.map_err(AppError::from)?;
    queries::delete(&mut tx, &newsletter)
        .await
        .map_err(AppError::from)?;
    tx.commit().await.map_err(AppError::from)?;
    tracing::info!(slug, "newsletter deleted");
    Ok(StatusCode::NO_CONTENT)
}
