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
use crate::db::Millis;
use crate::digests;
use crate::editors::{CsrfForm, EditorSession};
use crate::error::{AppError, AppResult};
use crate::scheduler::Schedule;
use crate::scheduler::one_off::{self, ScheduledSend};
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
    /// One-off sends, upcoming first, times in the newsletter's zone.
    scheduled: Vec<(ScheduledSend, String)>,
    /// The "send later" form: what was typed and what was wrong with it.
    later_at: &'a str,
    later_error: Option<&'a str>,
    /// The automatic schedule, and when it next fires.
    schedule: &'a str,
    next_automatic: Option<String>,
    zone: &'a str,
}

/// What the page shows besides the digests: the test form and the send-later form, each
/// with what was typed and what was wrong.
#[derive(Default)]
struct Forms<'a> {
    test_to: Option<&'a str>,
    test_error: Option<&'a str>,
    tested: Option<usize>,
    later_at: &'a str,
    later_error: Option<&'a str>,
}

/// A local time as the page shows it.
fn shown(at: Millis, zone: chrono_tz::Tz) -> String {
    chrono::DateTime::from_timestamp_millis(at)
        .unwrap_or_default()
        .with_timezone(&zone)
        .format("%a %-d %b %Y, %H:%M")
        .to_string()
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
    let forms = Forms {
        tested: query.tested,
        ..Forms::default()
    };
    digest_page(&state, &session, forms).await
}

async fn digest_page(
    state: &AppState,
    session: &EditorSession,
    forms: Forms<'_>,
) -> AppResult<Response> {
    let zone = state.settings.digest.zone();
    let scheduled = one_off::list(&state.db.pool)
        .await?
        .into_iter()
        .map(|send| {
            let when = shown(send.send_at_ms, zone);
            (send, when)
        })
        .collect();
    let next_automatic = Schedule::parse(
        &state.settings.digest.schedule,
        &state.settings.digest.timezone,
    )
    .ok()
    .flatten()
    .and_then(|s| s.next_slot(chrono::Utc::now()))
    .map(|at| shown(at.timestamp_millis(), zone));
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
        test_to: forms.test_to.unwrap_or(&session.email),
        test_error: forms.test_error,
        tested: forms.tested,
        scheduled,
        later_at: forms.later_at,
        later_error: forms.later_error,
        schedule: &state.settings.digest.schedule,
        next_automatic,
        zone: &state.settings.digest.timezone,
    };
    let status = if forms.test_error.is_some() || forms.later_error.is_some() {
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
            let forms = Forms {
                test_to: Some(&form.to),
                test_error: Some(&message),
                ..Forms::default()
            };
            digest_page(&state, &session, forms).await
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
    /// The line mail clients show after the subject; empty: the headlines.
    #[serde(default)]
    preview_text: String,
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
    let preview_text = form.preview_text.trim();
    if preview_text.chars().count() > 150 || preview_text.chars().any(char::is_control) {
        return Err(AppError::field(
            "preview_text",
            "one line of at most 150 characters",
        ));
    }
    digests::create(
        &state,
        Some(&ids),
        None,
        Some(preview_text).filter(|t| !t.is_empty()),
        &format!("editor:{}", session.email),
    )
    .await?;
    Ok(Redirect::to("/editor/digest").into_response())
}

#[derive(Debug, Deserialize)]
pub struct LaterForm {
    #[serde(default)]
    csrf: String,
    /// A `datetime-local` value, in the newsletter's time zone.
    #[serde(default)]
    at: String,
}

/// Schedules a one-off send of the next digest.
pub async fn send_later(
    State(state): State<AppState>,
    session: EditorSession,
    PageForm(form): PageForm<LaterForm>,
) -> AppResult<Response> {
    session.check_csrf(&form.csrf)?;
    let at = crate::articles::parse_time(form.at.trim(), state.settings.digest.zone());
    let result = match at {
        None => Err("Choose a date and a time.".to_string()),
        Some(at) => {
            let by = format!("editor:{}", session.email);
            match one_off::schedule(&state, at, &by).await {
                Ok(id) => Ok(id),
                Err(one_off::ScheduleError::InThePast) => {
                    Err("Choose a time in the future.".to_string())
                }
                // An outage is no mistake of the editor's: 503 like everywhere else.
                Err(one_off::ScheduleError::Database(err)) => return Err(err.into()),
            }
        }
    };
    match result {
        Ok(_) => Ok(Redirect::to("/editor/digest#later").into_response()),
        Err(message) => {
            let forms = Forms {
                later_at: &form.at,
                later_error: Some(&message),
                ..Forms::default()
            };
            digest_page(&state, &session, forms).await
        }
    }
}

pub async fn cancel_scheduled(
    State(state): State<AppState>,
    session: EditorSession,
    Path(id): Path<i64>,
    PageForm(form): PageForm<CsrfForm>,
) -> AppResult<Response> {
    session.check_csrf(&form.csrf)?;
    match one_off::cancel(&state, id).await {
        Ok(()) | Err(one_off::CancelScheduledError::NotScheduled) => {
            Ok(Redirect::to("/editor/digest#later").into_response())
        }
        Err(one_off::CancelScheduledError::NotFound) => Err(AppError::NotFound),
        Err(one_off::CancelScheduledError::Database(err)) => Err(err.into()),
    }
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
