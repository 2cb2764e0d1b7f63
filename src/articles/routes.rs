use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{Article, ArticleInput, queries};
use crate::db;
use crate::editors::ApiClient;
use crate::error::{ApiResult, AppError};
use crate::state::AppState;
use crate::web::extract::ApiJson;

const MAX_PER_PAGE: i64 = 100;

/// Adds an article, or updates the one with the same URL: 201 when new, 200 when updated.
pub async fn create(
    State(state): State<AppState>,
    _client: ApiClient,
    ApiJson(input): ApiJson<ArticleInput>,
) -> ApiResult<(StatusCode, Json<Article>)> {
    let article = input.parse()?;
    let (article, created) = queries::upsert(&state.db, &article, db::now()).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(article)))
}

#[derive(Debug, Deserialize)]
pub struct Paging {
    page: Option<i64>,
    per_page: Option<i64>,
}

/// Newest first: `?page=1&per_page=20`.
pub async fn list(
    State(state): State<AppState>,
    _client: ApiClient,
    paging: Result<Query<Paging>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Json<Value>> {
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
    let articles = queries::list(&state.db.pool, per_page, (page - 1) * per_page).await?;
    let total = queries::count(&state.db.pool).await?;
    let next_page = (page * per_page < total).then_some(page + 1);
    Ok(Json(
        json!({ "articles": articles, "page": page, "per_page": per_page, "total": total, "next_page": next_page }),
    ))
}

pub async fn show(
    State(state): State<AppState>,
    _client: ApiClient,
    Path(id): Path<i64>,
) -> ApiResult<Json<Article>> {
    Ok(Json(
        queries::find(&state.db.pool, id)
            .await?
            .ok_or(AppError::NotFound)?,
    ))
}

pub async fn update(
    State(state): State<AppState>,
    _client: ApiClient,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ArticleInput>,
) -> ApiResult<Json<Article>> {
    let article = input.parse()?;
    match queries::update(&state.db.pool, id, &article, db::now()).await {
        Ok(Some(article)) => Ok(Json(article)),
        Ok(None) => Err(AppError::NotFound.into()),
        Err(err) if db::is_unique_violation(&err) => {
            Err(AppError::Conflict("another article already has this URL".to_string()).into())
        }
        Err(err) => Err(err.into()),
    }
}

pub async fn remove(
    State(state): State<AppState>,
    _client: ApiClient,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    if queries::delete(&state.db.pool, id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::NotFound.into())
    }
}
