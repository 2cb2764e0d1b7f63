//! The editors' page for digests: the next one previewed, sending it with a confirmation
//! step, and the progress of the latest ones.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::test_send::{self, TestSendError};
use super::{DigestStatus, Preview, queries};
use crate::articles::Article;
use crate::digests;
use crate::editors::{CsrfForm, EditorSession};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::extract::PageForm;
use crate::web::page::Page;

#[derive(Template)]
#[template(path = "editor/digest.html")]
struct DigestPage<'a> {
    newsletter: &'a str,
    editor: &'a str,
    csrf: &'a str,
    preview: Option<&'a Preview>,
    article_ids: String,
    /// Digests still going out, and the rest.
    sending: Vec<&'a DigestStatus>,
    past: Vec<&'a DigestStatus>,
    in_progress: bool,
    /// The test form: where to, and what went wrong with it.
    test_to: &'a str,
    test_error: Option<&'a str>,
    /// A test just went out to this many addresses.
    tested: Option<usize>,
}

const DIGESTS_SHOWN: i64 = 20;

#[derive(Debug, Deserialize)]
pub struct DigestQuery {
    tested: Option<usize>,
}

pub async fn digest(
    State(state): State<AppState>,
    session: EditorSession,
    Query(query): Query<DigestQuery>,
) -> AppResult<Response> {
    digest_page(&state, &session, &session.email, None, query.tested).await
}

async fn digest_page(
    state: &AppState,
    session: &EditorSession,
    test_to: &str,
    test_error: Option<&str>,
    tested: Option<usize>,
) -> AppResult<Response> {
    let preview = digests::preview(state).await?;
    let recent = queries::list_recent(&state.db.pool, DIGESTS_SHOWN).await?;
    let page = DigestPage {
        newsletter: &state.settings.newsletter.name,
        editor: &session.email,
        csrf: &session.csrf,
        article_ids: preview
            .as_ref()
            .map(|p| ids_field(&p.articles))
            .unwrap_or_default(),
        preview: preview.as_ref(),
        in_progress: recent.iter().any(|d| d.status.in_progress()),
        sending: recent.iter().filter(|d| d.status.in_progress()).collect(),
        past: recent.iter().filter(|d| !d.status.in_progress()).collect(),
        test_to,
        test_error,
        tested,
    };
    let status = if test_error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, Page(page)).into_response())
}

#[derive(Debug, Deserialize)]
pub struct TestForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    article_ids: String,
    #[serde(default)]
    to: String,
}

/// A test of the previewed digest to the addresses given.
pub async fn send_test(
    State(state): State<AppState>,
    session: EditorSession,
    PageForm(form): PageForm<TestForm>,
) -> AppResult<Response> {
    session.check_csrf(&form.csrf)?;
    let ids = article_ids(&form.article_ids)?;
    let sent = match test_send::addresses(&form.to) {
        Ok(to) => test_send::queue(&state, &to, &ids, &format!("editor:{}", session.email))
            .await
            .map(|()| to.len()),
        Err(err) => Err(err),
    };
    match sent {
        Ok(count) => Ok(Redirect::to(&format!("/editor/digest?tested={count}")).into_response()),
        Err(err @ (TestSendError::Addresses | TestSendError::BadAddress(..))) => {
            let message = crate::error::sentence(&err.to_string());
            digest_page(&state, &session, &form.to, Some(&message), None).await
        }
        Err(err) => Err(err.into()),
    }
}

fn ids_field(articles: &[Article]) -> String {
    articles
        .iter()
        .map(|a| a.id.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

#[derive(Debug, Deserialize)]
pub struct SendForm {
    #[serde(default)]
    csrf: String,
    /// The previewed articles, comma-separated, so that what is sent is what was seen.
    #[serde(default)]
    article_ids: String,
}

impl SendForm {
    fn ids(&self) -> AppResult<Vec<i64>> {
        article_ids(&self.article_ids)
    }
}

/// The previewed articles' ids, as the forms carry them.
fn article_ids(text: &str) -> AppResult<Vec<i64>> {
    text.split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|s| {
            s.trim()
                .parse()
                .map_err(|_| AppError::field("article_ids", "not a list of article ids"))
        })
        .collect()
}

#[derive(Template)]
#[template(path = "editor/digest_confirm.html")]
struct ConfirmSendPage<'a> {
    newsletter: &'a str,
    editor: &'a str,
    csrf: &'a str,
    subject: &'a str,
    recipients: i64,
    articles: &'a [Article],
    article_ids: &'a str,
    /// Digests still going out: sending another now shares the sending capacity with them.
    sending: Vec<DigestStatus>,
}

/// The confirmation step: what will go to how many readers.
pub async fn confirm_send(
    State(state): State<AppState>,
    session: EditorSession,
    PageForm(form): PageForm<SendForm>,
) -> AppResult<Response> {
    session.check_csrf(&form.csrf)?;
    let Some(preview) = digests::preview(&state).await? else {
        return Ok(Redirect::to("/editor/digest").into_response());
    };
    let sending = queries::list_recent(&state.db.pool, DIGESTS_SHOWN)
        .await?
        .into_iter()
        .filter(|d| d.status.in_progress())
        .collect();
    let page = ConfirmSendPage {
        newsletter: &state.settings.newsletter.name,
        editor: &session.email,
        csrf: &session.csrf,
        subject: &preview.subject,
        recipients: preview.recipients,
        articles: &preview.articles,
        article_ids: &form.article_ids,
        sending,
    };
    Ok(Page(page).into_response())
}

pub async fn send(
    State(state): State<AppState>,
    session: EditorSession,
    PageForm(form): PageForm<SendForm>,
) -> AppResult<Response> {
    session.check_csrf(&form.csrf)?;
    // Send exactly what was confirmed, and only once: a second press, or articles added
    // since the preview, find the next digest changed.
    let current = digests::preview(&state)
        .await?
        .map(|p| ids_field(&p.articles));
    if current.as_deref() != Some(form.article_ids.as_str()) {
        return Err(AppError::Conflict(
            "the next digest changed since you previewed it (or was just sent); please review it again".to_string(),
        ));
    }
    let ids = form.ids()?;
    digests::create(
        &state,
        Some(&ids),
        None,
        &format!("editor:{}", session.email),
    )
    .await?;
    Ok(Redirect::to("/editor/digest").into_response())
}

#[derive(Template)]
#[template(path = "editor/digest_cancel.html")]
struct ConfirmCancelPage<'a> {
    newsletter: &'a str,
    editor: &'a str,
    csrf: &'a str,
    digest: &'a DigestStatus,
}

/// The confirmation step before cancelling: how many would still not get it.
pub async fn confirm_cancel(
    State(state): State<AppState>,
    session: EditorSession,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let Some(digest) = queries::find_status(&state.db.pool, id).await? else {
        return Err(AppError::NotFound);
    };
    if !digest.status.in_progress() {
        return Ok(Redirect::to("/editor/digest").into_response());
    }
    Ok(Page(ConfirmCancelPage {
        newsletter: &state.settings.newsletter.name,
        editor: &session.email,
        csrf: &session.csrf,
        digest: &digest,
    })
    .into_response())
}

pub async fn cancel_digest(
    State(state): State<AppState>,
    session: EditorSession,
    Path(id): Path<i64>,
    PageForm(form): PageForm<CsrfForm>,
) -> AppResult<Response> {
    session.check_csrf(&form.csrf)?;
    digests::cancel(&state, id).await?;
    Ok(Redirect::to("/editor/digest").into_response())
}
