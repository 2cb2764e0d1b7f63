//! What a reader can do from the link in any email besides leaving: change the name we greet
//! them by, and ask for a copy of everything held about them. The copy is emailed to the
//! reader's own address and never shown in the browser, because whoever holds a forwarded
//! email holds its link too.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{invalid, resolve};
use crate::db;
use crate::error::{AppResult, FieldErrors};
use crate::outbox::{self, OutboxKind};
use crate::state::AppState;
use crate::subscribers::{self, NameChange, Profile};
use crate::web::extract::PageForm;
use crate::web::page::Page;

/// Data exports a reader may ask for in a day: enough for a lost email, too few to turn the
/// link into a way of flooding their inbox.
const EXPORTS_PER_DAY: i64 = 3;

#[derive(Template)]
#[template(path = "pages/unsubscribe.html")]
struct PreferencesPage<'a> {
    newsletter: &'a str,
    token: &'a str,
    /// Still receiving emails (confirmed or pending), so the page offers the button.
    subscribed: bool,
    /// The address the page is about, masked (`a***@example.com`): enough for the reader to
    /// know which of theirs is leaving, not enough to learn it from a forwarded link.
    email: String,
    name: &'a str,
    notice: Option<&'a str>,
    errors: &'a FieldErrors,
}

impl<'a> PreferencesPage<'a> {
    fn new(state: &'a AppState, token: &'a str, profile: &'a Profile) -> Self {
        PreferencesPage {
            newsletter: &state.settings.newsletter.name,
            token,
            subscribed: profile.status != "unsubscribed",
            email: crate::telemetry::mask_email(&profile.email),
            name: profile.name.as_deref().unwrap_or(""),
            notice: None,
            errors: &NO_ERRORS,
        }
    }
}

static NO_ERRORS: FieldErrors = FieldErrors::new();

/// What the page says after a post redirected back to it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Done {
    Name,
    Data,
}

#[derive(Debug, Deserialize)]
pub struct PageQuery {
    done: Option<Done>,
}

/// The reader the token names, or `None` for a forged token or a reader since erased.
async fn reader(state: &AppState, token: &str) -> AppResult<Option<Profile>> {
    let Some(link) = resolve(state, token).await? else {
        return Ok(None);
    };
    Ok(subscribers::find_profile(&state.db.pool, link.subscriber_id).await?)
}

pub async fn page(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(query): Query<PageQuery>,
) -> AppResult<Response> {
    let Some(profile) = reader(&state, &token).await? else {
        return Ok(invalid(&state));
    };
    let mut page = PreferencesPage::new(&state, &token, &profile);
    page.notice = query.done.map(|done| match done {
        Done::Name => "Saved. Your next email will use this name.",
        Done::Data => {
            "On its way: we are emailing a copy of your data to your address. \
             It can take a few minutes to arrive."
        }
    });
    Ok(Page(page).into_response())
}

#[derive(Debug, Deserialize)]
pub struct NameForm {
    #[serde(default)]
    name: String,
}

#[tracing::instrument(name = "change_name", skip_all)]
pub async fn change_name(
    State(state): State<AppState>,
    Path(token): Path<String>,
    PageForm(form): PageForm<NameForm>,
) -> AppResult<Response> {
    let Some(profile) = reader(&state, &token).await? else {
        return Ok(invalid(&state));
    };
    let change = NameChange { name: form.name };
    let name = match change.parse() {
        Ok(name) => name,
        Err(errors) => {
            let mut page = PreferencesPage::new(&state, &token, &profile);
            page.name = &change.name;
            page.errors = &errors;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, Page(page)).into_response());
        }
    };
    subscribers::set_name(&state.db.pool, profile.id, name.as_deref(), db::now()).await?;
    tracing::info!(subscriber_id = profile.id, "reader changed their name");
    Ok(Redirect::to(&format!("/unsubscribe/{token}?done=name#your-data")).into_response())
}

#[tracing::instrument(name = "request_data", skip_all)]
pub async fn request_data(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let Some(profile) = reader(&state, &token).await? else {
        return Ok(invalid(&state));
    };
    let now = db::now();
    let mut tx = state.db.begin().await?;
    let queued = outbox::enqueue_within_daily_limit(
        &mut tx,
        OutboxKind::DataExport,
        profile.id,
        EXPORTS_PER_DAY,
        now,
    )
    .await?;
    tx.commit().await?;
    if !queued {
        let mut page = PreferencesPage::new(&state, &token, &profile);
        page.notice = Some(
            "You have asked for your data three times today already. Please look in your \
             inbox (and spam folder) for the copies, or ask again tomorrow.",
        );
        return Ok((StatusCode::TOO_MANY_REQUESTS, Page(page)).into_response());
    }
    state.outbox_wake.wake();
    tracing::info!(subscriber_id = profile.id, "reader asked for their data");
    Ok(Redirect::to(&format!("/unsubscribe/{token}?done=data#your-data")).into_response())
}
