//! The editors' pages over readers: a searchable list, one reader with the consent evidence
//! and what was sent to them, their data as a JSON download, and erasure.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::api::{ListQuery, Listing};
use super::erasure;
use super::export::{self, ReaderExport};
use super::queries::Profile;
use crate::editors::EditorSession;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::i18n::Locale;
use crate::state::AppState;
use crate::web::extract::{PageForm, PageQuery};
use crate::web::page::Page;

#[derive(Template)]
#[template(path = "editor/readers.html")]
struct ReadersPage<'a> {
    newsletter: &'a str,
    editor: &'a str,
    csrf: &'a str,
    q: &'a str,
    status: &'a str,
    readers: &'a [Profile],
    /// The query string of the next page, if there is one.
    next: Option<String>,
    notice: Option<&'a str>,
    errors: &'a FieldErrors,
    /// Readers per language: (locale, confirmed, pending or confirmed).
    languages: Vec<(Locale, i64, i64)>,
}

#[derive(Debug, Deserialize)]
pub struct ReadersQuery {
    #[serde(flatten)]
    list: ListQuery,
    /// Set by the redirect after an erasure, for the notice.
    erased: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    session: EditorSession,
    PageQuery(query): PageQuery<ReadersQuery>,
) -> AppResult<Response> {
    let q = query.list.q.as_deref().unwrap_or("");
    let status = query.list.status.as_deref().unwrap_or("all");
    let (readers, next, errors) = match Listing::parse(&query.list) {
        Ok(listing) => {
            let (readers, next_cursor) = listing.fetch(&state.db.pool).await?;
            let next = next_cursor.map(|cursor| {
                url::form_urlencoded::Serializer::new(String::new())
                    .append_pair("q", q)
                    .append_pair("status", status)
                    .append_pair("cursor", &cursor)
                    .finish()
            });
            (readers, next, FieldErrors::new())
        }
        Err(AppError::Invalid { fields, .. }) => (Vec::new(), None, fields),
        Err(err) => return Err(err),
    };
    let page = Page(ReadersPage {
        newsletter: &state.settings.newsletter.name,
        editor: &session.email,
        csrf: &session.csrf,
        q,
        status,
        readers: &readers,
        next,
        notice: query
            .erased
            .is_some()
            .then_some("The reader was erased; only a keyed hash of the address is kept."),
        errors: &errors,
        languages: super::queries::count_by_locale(&state.db.pool).await?,
    });
    let code = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((code, page).into_response())
}

#[derive(Template)]
#[template(path = "editor/reader.html")]
struct ReaderPage<'a> {
    newsletter: &'a str,
    editor: &'a str,
    csrf: &'a str,
    reader: &'a ReaderExport,
    errors: &'a FieldErrors,
}

async fn reader_page(
    state: &AppState,
    session: &EditorSession,
    id: i64,
    errors: &FieldErrors,
) -> AppResult<Response> {
    let reader = export::reader_export(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let page = Page(ReaderPage {
        newsletter: &state.settings.newsletter.name,
        editor: &session.email,
        csrf: &session.csrf,
        reader: &reader,
        errors,
    });
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, page).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    session: EditorSession,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    reader_page(&state, &session, id, &FieldErrors::new()).await
}

/// Everything held about the reader, as the file a reader's access request is answered with.
pub async fn download(
    State(state): State<AppState>,
    _session: EditorSession,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let reader = export::reader_export(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let json = serde_json::to_string_pretty(&reader).map_err(anyhow::Error::from)?;
    let disposition = format!("attachment; filename=\"reader-{id}.json\"");
    Ok((
        [
            (header::CONTENT_TYPE, "application/json".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        json,
    )
        .into_response())
}

#[derive(Debug, Deserialize)]
pub struct EraseForm {
    csrf: String,
    /// The box that says the editor knows erasure cannot be undone.
    confirm: Option<String>,
}

pub async fn erase(
    State(state): State<AppState>,
    session: EditorSession,
    Path(id): Path<i64>,
    PageForm(form): PageForm<EraseForm>,
) -> AppResult<Response> {
    session.check_csrf(&form.csrf)?;
    if form.confirm.as_deref().is_none_or(str::is_empty) {
        let errors = FieldErrors::from([(
            "confirm".to_string(),
            "tick the box to confirm: erasure cannot be undone".to_string(),
        )]);
        return reader_page(&state, &session, id, &errors).await;
    }
    if !erasure::erase(&state, id).await? {
        return Err(AppError::NotFound);
    }
    tracing::info!(subscriber_id = id, by = %session.email, "erased from the editors' pages");
    Ok(Redirect::to("/editor/readers?erased=1").into_response())
}
