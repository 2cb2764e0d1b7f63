//! The editors' pages for articles: the list with the add form, editing, removing (after a
//! confirmation, and never an article a digest holds). Times are shown, and typed, in the
//! newsletter's time zone (`digest.timezone`).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{Article, ArticleInput, RemoveArticleError, local_time, queries};
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
    articles: Vec<Listed<'a>>,
    /// The time zone times are shown and typed in.
    zone: &'a str,
    form: &'a ArticleForm,
    errors: &'a FieldErrors,
}

/// An article as the list shows it.
struct Listed<'a> {
    article: &'a Article,
    /// When it was published, in the newsletter's time zone.
    when: String,
    /// The digests it went out in (or is going out in).
    digests: Vec<i64>,
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
    /// Topics as typed: separated by commas or spaces.
    #[serde(default)]
    topics: String,
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
            topics: crate::topics::split_typed(&self.topics),
        }
    }

    fn from_article(article: &Article, zone: chrono_tz::Tz) -> ArticleForm {
        ArticleForm {
            csrf: String::new(),
            title: article.title.clone(),
            url: article.url.clone(),
            summary: article.summary_html.clone(),
            author: article.author.clone().unwrap_or_default(),
            image_url: article.image_url.clone().unwrap_or_default(),
            published_at: local_time(&article.published_at, zone).1,
            topics: article.topics.join(", "),
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
    let ids: Vec<i64> = list.iter().map(|a| a.id).collect();
    let mut sent_in = crate::digests::queries::digests_containing(&state.db.pool, &ids).await?;
    let zone = state.settings.digest.zone();
    let page = ArticlesPage {
        newsletter: &state.settings.newsletter.name,
        editor: &session.email,
        csrf: &session.csrf,
        articles: list
            .iter()
            .map(|article| Listed {
                article,
                when: local_time(&article.published_at, zone).0,
                digests: sent_in.remove(&article.id).unwrap_or_default(),
            })
            .collect(),
        zone: &state.settings.digest.timezone,
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
    match form.to_input().parse(state.settings.digest.zone()) {
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
    zone: &'a str,
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
        zone: &state.settings.digest.timezone,
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
        &ArticleForm::from_article(&article, state.settings.digest.zone()),
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
    let article = match form.to_input().parse(state.settings.digest.zone()) {
        Ok(article) => article,
        Err(err) => return Ok(edit_page(&state, &session, id, &form, &errors_of(err)?)),
    };
    match queries::update(&state.db, id, &article, db::now()).await {
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

#[derive(Template)]
#[template(path = "editor/article_remove.html")]
struct RemovePage<'a> {
    newsletter: &'a str,
    editor: &'a str,
    csrf: &'a str,
    article: &'a Article,
    /// The digest that keeps it, when one does: then it cannot be removed.
    kept_by: Option<i64>,
}

/// The confirmation step before removing, or why it cannot be removed.
pub async fn confirm_delete(
    State(state): State<AppState>,
    session: EditorSession,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let article = queries::find(&state.db.pool, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let holders = crate::digests::queries::digests_containing(&state.db.pool, &[id]).await?;
    Ok(Page(RemovePage {
        newsletter: &state.settings.newsletter.name,
        editor: &session.email,
        csrf: &session.csrf,
        article: &article,
        kept_by: holders.get(&id).and_then(|d| d.first()).copied(),
    })
    .into_response())
}

pub async fn delete_article(
    State(state): State<AppState>,
    session: EditorSession,
    Path(id): Path<i64>,
    PageForm(form): PageForm<CsrfForm>,
) -> AppResult<Response> {
    session.check_csrf(&form.csrf)?;
    match super::remove(&state.db.pool, id).await {
        // Gone already (a second press): the list is where the editor wanted to be.
        Ok(()) | Err(RemoveArticleError::NotFound) => {
            Ok(Redirect::to("/editor/articles").into_response())
        }
        Err(err) => Err(err.into()),
    }
}
