//! The editors' pages for articles: the list with the add form, editing, removing.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{Article, ArticleInput, queries};
use crate::db;
use crate::editors::{CsrfForm, EditorSession};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::state::AppState;
use crate::web::extract::PageForm;
use crate::web::page::Page;

#[derive(Template)]
#[template(path = "editor/articles.html")]
struct ArticlesPage<'a> {
    newsletter: &'a str,
    editor: &'a str,
    csrf: &'a str,
    articles: &'a [Article],
    form: &'a ArticleForm,
    errors: &'a FieldErrors,
}

/// The article form as posted; empty optional fields arrive as empty strings.
#[derive(Debug, Default, Deserialize)]
pub struct ArticleForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    url: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    author: String,
    #[serde(default)]
    image_url: String,
    #[serde(default)]
    published_at: String,
}

impl ArticleForm {
    fn to_input(&self) -> ArticleInput {
        let optional = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        ArticleInput {
            title: self.title.clone(),
            url: self.url.trim().to_string(),
            summary: self.summary.clone(),
            author: optional(&self.author),
            image_url: optional(&self.image_url),
            published_at: optional(&self.published_at),
        }
    }

    fn from_article(article: &Article) -> ArticleForm {
        ArticleForm {
            csrf: String::new(),
            title: article.title.clone(),
            url: article.url.clone(),
            summary: article.summary_html.clone(),
            author: article.author.clone().unwrap_or_default(),
            image_url: article.image_url.clone().unwrap_or_default(),
            published_at: article.published_at.clone(),
        }
    }
}

const ARTICLES_SHOWN: i64 = 100;

async fn articles_page(
    state: &AppState,
    session: &EditorSession,
    form: &ArticleForm,
    errors: &FieldErrors,
) -> AppResult<Response> {
    let list = queries::list(&state.db.pool, ARTICLES_SHOWN, 0).await?;
    let page = ArticlesPage {
        newsletter: &state.settings.newsletter.name,
        editor: &session.email,
        csrf: &session.csrf,
        articles: &list,
        form,
        errors,
    };
    let status = form_status(errors);
    Ok((status, Page(page)).into_response())
}

/// 422 when a form comes back with errors, so scripts and tests see the refusal.
fn form_status(errors: &FieldErrors) -> StatusCode {
    if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

fn errors_of(err: AppError) -> AppResult<FieldErrors> {
    match err {
        AppError::Invalid { fields, .. } => Ok(fields),
        other => Err(other),
    }
}

pub async fn articles(
    State(state): State<AppState>,
    session: EditorSession,
) -> AppResult<Response> {
    articles_page(
        &state,
        &session,
        &ArticleForm::default(),
        &FieldErrors::new(),
    )
    .await
}

pub async fn add_article(
    State(state): State<AppState>,
    session: EditorSession,
    PageForm(form): PageForm<ArticleForm>,
) -> AppResult<Response> {
    session.check_csrf(&form.csrf)?;
    match form.to_input().parse() {
        Ok(article) => {
            queries::upsert(&state.db, &article, db::now()).await?;
            Ok(Redirect::to("/editor/articles").into_response())
        }
        Err(err) => articles_page(&state, &session, &form, &errors_of(err)?).await,
    }
}

#[derive(Template)]
#[template(path = "editor/article_edit.html")]
struct EditArticlePage<'a> {
    newsletter: &'a str,
    editor: &'a str,
    csrf: &'a str,
    id: i64,
    form: &'a ArticleForm,
    errors: &'a FieldErrors,
}

fn edit_page(
    state: &AppState,
    session: &EditorSession,
    id: i64,
    form: &ArticleForm,
    errors: &FieldErrors,
) -> Response {
    let page = EditArticlePage {
        newsletter: &state.settings.newsletter.name,
        editor: &session.email,
        csrf: &session.csrf,
        id,
        form,
        errors,
    };
    let status = form_status(errors);
    (status, Page(page)).into_response()
}

pub async fn edit_article(
    State(state): State<AppState>,
    session: EditorSession,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let article = queries::find(&state.db.pool, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(edit_page(
        &state,
        &session,
        id,
        &ArticleForm::from_article(&article),
        &FieldErrors::new(),
    ))
}

pub async fn save_article(
    State(state): State<AppState>,
    session: EditorSession,
    Path(id): Path<i64>,
    PageForm(form): PageForm<ArticleForm>,
) -> AppResult<Response> {
    session.check_csrf(&form.csrf)?;
    let article = match form.to_input().parse() {
        Ok(article) => article,
        Err(err) => return Ok(edit_page(&state, &session, id, &form, &errors_of(err)?)),
    };
    match queries::update(&state.db.pool, id, &article, db::now()).await {
        Ok(Some(_)) => Ok(Redirect::to("/editor/articles").into_response()),
        Ok(None) => Err(AppError::NotFound),
        Err(err) if db::is_unique_violation(&err) => {
            let errors = FieldErrors::from([(
                "url".to_string(),
                "another article already has this URL".to_string(),
            )]);
            Ok(edit_page(&state, &session, id, &form, &errors))
        }
        Err(err) => Err(err.into()),
    }
}

pub async fn delete_article(
    State(state): State<AppState>,
    session: EditorSession,
    Path(id): Path<i64>,
    PageForm(form): PageForm<CsrfForm>,
) -> AppResult<Response> {
    session.check_csrf(&form.csrf)?;
    queries::delete(&state.db.pool, id).await?;
    Ok(Redirect::to("/editor/articles").into_response())
}
