use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use super::{Article, ArticleInput, queries};
use crate::db;
use crate::editors::ApiClient;
use crate::error::doc::{BadId, Busy, MalformedJson, TooLarge, Unauthorized, WrongContentType};
use crate::error::{ApiResult, AppError, ErrorBody};
use crate::state::AppState;
use crate::web::extract::{ApiJson, ApiPath};

const MAX_PER_PAGE: i64 = 100;

/// Add an article, or update the one with the same URL
///
/// 201 when the URL is new, 200 when an article with this URL existed and was updated.
#[utoipa::path(
    post,
    path = "/api/v1/articles",
    operation_id = "add_article",
    tag = "articles",
    security(("bearer" = [])),
    request_body = ArticleInput,
    responses(
        (status = 201, description = "Added", body = Article),
        (status = 200, description = "An article with this URL existed and was updated", body = Article),
        MalformedJson,
        Unauthorized,
        TooLarge,
        WrongContentType,
        (status = 422, description = "Invalid fields, listed in `fields`", body = ErrorBody),
        Busy,
    )
)]
pub async fn create(
    State(state): State<AppState>,
    _client: ApiClient,
    ApiJson(input): ApiJson<ArticleInput>,
) -> ApiResult<(StatusCode, Json<Article>)> {
    let article = input.parse(state.settings.digest.zone())?;
    let (article, created) = queries::upsert(&state.db, &article, db::now()).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(article)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Paging {
    /// Which page, from 1.
    #[param(minimum = 1)]
    page: Option<i64>,
    /// Articles per page, 1 to 100; 20 when absent.
    #[param(minimum = 1, maximum = 100)]
    per_page: Option<i64>,
}

/// One page of articles, newest first.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ArticlePage {
    articles: Vec<Article>,
    page: i64,
    per_page: i64,
    /// Articles in all pages.
    total: i64,
    /// The page after this one; null on the last.
    next_page: Option<i64>,
}

/// List articles, newest first
#[utoipa::path(
    get,
    path = "/api/v1/articles",
    operation_id = "list_articles",
    tag = "articles",
    security(("bearer" = [])),
    params(Paging),
    responses(
        (status = 200, description = "One page of articles", body = ArticlePage),
        Unauthorized,
        (status = 422, description = "`page` or `per_page` out of range or not a number", body = ErrorBody),
        Busy,
    )
)]
pub async fn list(
    State(state): State<AppState>,
    _client: ApiClient,
    paging: Result<Query<Paging>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Json<ArticlePage>> {
    let Query(paging) = paging.map_err(|e| {
        AppError::field(
            "page",
            format!("page and per_page must be whole numbers: {e}"),
        )
    })?;
    let page = paging.page.unwrap_or(1);
    let per_page = paging.per_page.unwrap_or(20);
    if page < 1 {
        return Err(AppError::field("page", "pages start at 1").into());
    }
    if !(1..=MAX_PER_PAGE).contains(&per_page) {
        return Err(AppError::field("per_page", "from 1 to 100").into());
    }
    let offset = (page - 1)
        .checked_mul(per_page)
        .ok_or_else(|| AppError::field("page", "far past the last page"))?;
    let articles = queries::list(&state.db.pool, per_page, offset).await?;
    let total = queries::count(&state.db.pool).await?;
    let next_page = (offset.saturating_add(per_page) < total).then(|| page + 1);
    Ok(Json(ArticlePage {
        articles,
        page,
        per_page,
        total,
        next_page,
    }))
}

/// Get one article
#[utoipa::path(
    get,
    path = "/api/v1/articles/{id}",
    operation_id = "get_article",
    tag = "articles",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The article's id")),
    responses(
        (status = 200, description = "The article", body = Article),
        BadId,
        Unauthorized,
        (status = 404, description = "No article with this id", body = ErrorBody),
        Busy,
    )
)]
pub async fn show(
    State(state): State<AppState>,
    _client: ApiClient,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Article>> {
    Ok(Json(
        queries::find(&state.db.pool, id)
            .await?
            .ok_or(AppError::NotFound)?,
    ))
}

/// Replace an article
///
/// Every field is replaced: a field left out is cleared (or, for `published_at`, set to now).
#[utoipa::path(
    put,
    path = "/api/v1/articles/{id}",
    operation_id = "replace_article",
    tag = "articles",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The article's id")),
    request_body = ArticleInput,
    responses(
        (status = 200, description = "Updated", body = Article),
        (status = 400, description = "The id is not a number, or the body is not JSON", body = ErrorBody),
        Unauthorized,
        (status = 404, description = "No article with this id", body = ErrorBody),
        (status = 409, description = "Another article already has this URL", body = ErrorBody),
        TooLarge,
        WrongContentType,
        (status = 422, description = "Invalid fields, listed in `fields`", body = ErrorBody),
        Busy,
    )
)]
pub async fn update(
    State(state): State<AppState>,
    _client: ApiClient,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ArticleInput>,
) -> ApiResult<Json<Article>> {
    let article = input.parse(state.settings.digest.zone())?;
    match queries::update(&state.db, id, &article, db::now()).await {
        Ok(Some(article)) => Ok(Json(article)),
        Ok(None) => Err(AppError::NotFound.into()),
        Err(err) if db::is_unique_violation(&err) => {
            Err(AppError::Conflict("another article already has this URL".to_string()).into())
        }
        Err(err) => Err(err.into()),
    }
}

/// Remove an article
#[utoipa::path(
    delete,
    path = "/api/v1/articles/{id}",
    operation_id = "remove_article",
    tag = "articles",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The article's id")),
    responses(
        (status = 204, description = "Removed"),
        BadId,
        Unauthorized,
        (status = 404, description = "No article with this id", body = ErrorBody),
        (status = 409, description = "The article is in a digest, which keeps it", body = ErrorBody),
        Busy,
    )
)]
pub async fn remove(
    State(state): State<AppState>,
    _client: ApiClient,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    super::remove(&state.db.pool, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
