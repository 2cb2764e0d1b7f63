//! The editors' pages for newsletters: the list with each one's readers and a form to add
//! one, a page to change every setting of one (schedule, cadences, topics, From name, the
//! welcome email...), and deleting one that never sent a digest, after a confirmation.
//! Refused fields come back with 422, the message beside each and the text as typed.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{Cadence, Newsletter, NewsletterError, NewsletterInput, queries};
use crate::db;
use crate::editors::{CsrfForm, EditorSession};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::state::AppState;
use crate::subscribers::subscriptions;
use crate::web::extract::PageForm;
use crate::web::page::Page;

/// Days of weekly emails, as cron numbers them.
const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

/// The cadences a newsletter may offer besides its own schedule, with what the page says.
const OFFERED: [(Cadence, &str); 3] = [
    (Cadence::Instant, "Each article as it is published"),
    (Cadence::Daily, "Daily"),
    (Cadence::Weekly, "Weekly"),
];

/// The newsletter form as posted: every field as typed (numbers too, so that a wrong one
/// comes back as it was).
#[derive(Debug, Default, Deserialize)]
pub struct NewsletterForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    slug: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    schedule: String,
    #[serde(default)]
    timezone: String,
    #[serde(default)]
    max_articles: String,
    #[serde(default)]
    subject: String,
    /// Separated by commas or spaces.
    #[serde(default)]
    topics: String,
    #[serde(default)]
    from_name: String,
    /// Checkboxes: present when ticked.
    cadence_instant: Option<String>,
    cadence_daily: Option<String>,
    cadence_weekly: Option<String>,
    #[serde(default)]
    send_hour: String,
    #[serde(default)]
    weekly_day: String,
    #[serde(default)]
    instant_min_interval: String,
    #[serde(default)]
    welcome_subject: String,
    #[serde(default)]
    welcome_body: String,
}

impl NewsletterForm {
    fn of(newsletter: &Newsletter) -> NewsletterForm {
        let offers = |cadence| newsletter.cadences.contains(&cadence).then(String::new);
        NewsletterForm {
            csrf: String::new(),
            slug: newsletter.slug.clone(),
            name: newsletter.name.clone(),
            description: newsletter.description.clone(),
            schedule: newsletter.schedule.clone(),
            timezone: newsletter.timezone.clone(),
            max_articles: newsletter.max_articles.to_string(),
            subject: newsletter.subject.clone(),
            topics: newsletter.topics.join(", "),
            from_name: newsletter.from_name.clone().unwrap_or_default(),
            cadence_instant: offers(Cadence::Instant),
            cadence_daily: offers(Cadence::Daily),
            cadence_weekly: offers(Cadence::Weekly),
            send_hour: newsletter.send_hour.to_string(),
            weekly_day: newsletter.weekly_day.to_string(),
            instant_min_interval: humantime::format_duration(newsletter.instant_min_interval)
                .to_string(),
            welcome_subject: newsletter.welcome_subject.clone(),
            welcome_body: newsletter.welcome_body.clone(),
        }
    }

    /// Whether the form offers `cadence` (for its checkbox).
    pub fn offers(&self, cadence: &Cadence) -> bool {
        match cadence {
            Cadence::Instant => self.cadence_instant.is_some(),
            Cadence::Daily => self.cadence_daily.is_some(),
            Cadence::Weekly => self.cadence_weekly.is_some(),
            Cadence::Scheduled => true,
        }
    }

    pub fn is_hour(&self, hour: &usize) -> bool {
        self.send_hour.trim() == hour.to_string()
    }

    pub fn is_day(&self, day: &usize) -> bool {
        self.weekly_day.trim() == day.to_string()
    }

    /// Every field as `NewsletterInput` takes it, and the fields that could not even be read
    /// (a number that is not one); those are left out of the input.
    fn to_input(&self) -> (NewsletterInput, FieldErrors) {
        let mut unread = FieldErrors::new();
        let mut number = |field: &str, text: &str, message: &str| match text.trim().parse() {
            Ok(n) => Some(n),
            Err(_) => {
                unread.insert(field.to_string(), message.to_string());
                None
            }
        };
        let max_articles = number(
            "max_articles",
            &self.max_articles,
            &format!("a number from 1 to {}", super::MAX_ARTICLES),
        );
        let send_hour = number("send_hour", &self.send_hour, "an hour from 0 to 23");
        let weekly_day = number(
            "weekly_day",
            &self.weekly_day,
            "a day from 0 (Sunday) to 6 (Saturday)",
        );
        let input = NewsletterInput {
            slug: Some(self.slug.clone()),
            name: Some(self.name.clone()),
            // Browsers send a textarea's line breaks as CRLF.
            description: Some(self.description.replace("\r\n", "\n")),
            schedule: Some(self.schedule.clone()),
            timezone: Some(self.timezone.clone()),
            max_articles,
            subject: Some(self.subject.clone()),
            topics: Some(crate::topics::split_typed(&self.topics)),
            from_name: Some(self.from_name.clone()),
            cadences: Some(
                OFFERED
                    .iter()
                    .map(|(cadence, _)| *cadence)
                    .filter(|cadence| self.offers(cadence))
                    .collect(),
            ),
            send_hour,
            weekly_day,
            instant_min_interval: Some(self.instant_min_interval.clone()),
            welcome_subject: Some(self.welcome_subject.clone()),
            welcome_body: Some(self.welcome_body.replace("\r\n", "\n")),
        };
        (input, unread)
    }

    /// `base` with the form's values, or every field refused (unread numbers among them).
    fn apply(&self, base: Newsletter) -> Result<Newsletter, FieldErrors> {
        let (input, mut errors) = self.to_input();
        match input.apply(base) {
            Ok(newsletter) if errors.is_empty() => Ok(newsletter),
            Ok(_) => Err(errors),
            Err(AppError::Invalid { fields, .. }) => {
                errors.extend(fields);
                Err(errors)
            }
            // `apply` refuses fields only.
            Err(_) => Err(errors),
        }
    }
}

/// The fields of the form, shared by the add and edit pages.
struct Fields<'a> {
    form: &'a NewsletterForm,
    errors: &'a FieldErrors,
    days: &'static [&'static str],
    offered: &'static [(Cadence, &'static str)],
    max_articles: i64,
}

impl<'a> Fields<'a> {
    fn new(form: &'a NewsletterForm, errors: &'a FieldErrors) -> Fields<'a> {
        Fields {
            form,
            errors,
            days: &DAYS,
            offered: &OFFERED,
            max_articles: super::MAX_ARTICLES,
        }
    }
}

/// A newsletter as the list shows it.
struct Listed<'a> {
    newsletter: &'a Newsletter,
    /// Readers who get it, and those still to confirm.
    readers: i64,
    waiting: i64,
    /// "Daily, Weekly" as the page shows the cadences offered.
    cadences: String,
}

#[derive(Template)]
#[template(path = "editor/newsletters.html")]
struct NewslettersPage<'a> {
    newsletter: &'a str,
    editor: &'a str,
    csrf: &'a str,
    newsletters: Vec<Listed<'a>>,
    /// The name of the newsletter just saved, for the notice.
    saved: Option<&'a str>,
    fields: Fields<'a>,
}

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    /// The slug of the newsletter just added or saved.
    saved: Option<String>,
}

/// 422 when a form comes back with errors, so scripts and tests see the refusal.
fn form_status(errors: &FieldErrors) -> StatusCode {
    if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

async fn list_page(
    state: &AppState,
    session: &EditorSession,
    saved: Option<&str>,
    form: &NewsletterForm,
    errors: &FieldErrors,
) -> AppResult<Response> {
    let all = queries::list(&state.db.pool).await?;
    let counts: HashMap<i64, (i64, i64)> =
        subscriptions::count_per_newsletter(&state.db.pool).await?;
    let saved = saved.and_then(|slug| all.iter().find(|n| n.slug == slug));
    let page = NewslettersPage {
        newsletter: &state.settings.newsletter.name,
        editor: &session.email,
        csrf: &session.csrf,
        newsletters: all
            .iter()
            .map(|newsletter| {
                let (readers, waiting) = counts.get(&newsletter.id).copied().unwrap_or_default();
                Listed {
                    newsletter,
                    readers,
                    waiting,
                    cadences: OFFERED
                        .iter()
                        .filter(|(c, _)| newsletter.cadences.contains(c))
                        .map(|(c, _)| c.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                }
            })
            .collect(),
        saved: saved.map(|n| n.name.as_str()),
        fields: Fields::new(form, errors),
    };
    Ok((form_status(errors), Page(page)).into_response())
}

/// The add form before anything is typed: the defaults a new newsletter takes.
fn blank_form(state: &AppState) -> NewsletterForm {
    NewsletterForm::of(&super::blank(&state.settings))
}

pub async fn newsletters(
    State(state): State<AppState>,
    session: EditorSession,
    Query(query): Query<ListQuery>,
) -> AppResult<Response> {
    list_page(
        &state,
        &session,
        query.saved.as_deref(),
        &blank_form(&state),
        &FieldErrors::new(),
    )
    .await
}

/// The errors a refused save shows: the slug taken, or the fields `apply` refused.
fn refused(err: NewsletterError) -> AppResult<FieldErrors> {
    match err {
        NewsletterError::SlugTaken(_) => Ok(FieldErrors::from([(
            "slug".to_string(),
            crate::error::sentence(&err.to_string()),
        )])),
        other => match AppError::from(other) {
            AppError::Invalid { fields, .. } => Ok(fields),
            other => Err(other),
        },
    }
}

pub async fn add_newsletter(
    State(state): State<AppState>,
    session: EditorSession,
    PageForm(form): PageForm<NewsletterForm>,
) -> AppResult<Response> {
    session.check_csrf(&form.csrf)?;
    let newsletter = match form.apply(super::blank(&state.settings)) {
        Ok(newsletter) => newsletter,
        Err(errors) => return list_page(&state, &session, None, &form, &errors).await,
    };
    match queries::insert(&state.db.pool, &newsletter, db::now()).await {
        Ok(added) => {
            tracing::info!(
                slug = added.slug,
                editor = session.email,
                "newsletter added"
            );
            Ok(Redirect::to(&format!("/editor/newsletters?saved={}", added.slug)).into_response())
        }
        Err(err) => list_page(&state, &session, None, &form, &refused(err)?).await,
    }
}

#[derive(Template)]
#[template(path = "editor/newsletter_edit.html")]
struct EditPage<'a> {
    newsletter: &'a str,
    editor: &'a str,
    csrf: &'a str,
    /// As stored (the form may show a refused change).
    current: &'a Newsletter,
    readers: i64,
    waiting: i64,
    fields: Fields<'a>,
}

async fn find(state: &AppState, slug: &str) -> AppResult<Newsletter> {
    queries::find_by_slug(&state.db.pool, slug)
        .await?
        .ok_or(AppError::NotFound)
}

async fn edit_page(
    state: &AppState,
    session: &EditorSession,
    current: &Newsletter,
    form: &NewsletterForm,
    errors: &FieldErrors,
) -> AppResult<Response> {
    let counts = subscriptions::count_per_newsletter(&state.db.pool).await?;
    let (readers, waiting) = counts.get(&current.id).copied().unwrap_or_default();
    let page = EditPage {
        newsletter: &state.settings.newsletter.name,
        editor: &session.email,
        csrf: &session.csrf,
        current,
        readers,
        waiting,
        fields: Fields::new(form, errors),
    };
    Ok((form_status(errors), Page(page)).into_response())
}

pub async fn edit_newsletter(
    State(state): State<AppState>,
    session: EditorSession,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let current = find(&state, &slug).await?;
    let form = NewsletterForm::of(&current);
    edit_page(&state, &session, &current, &form, &FieldErrors::new()).await
}

pub async fn save_newsletter(
    State(state): State<AppState>,
    session: EditorSession,
    Path(slug): Path<String>,
    PageForm(form): PageForm<NewsletterForm>,
) -> AppResult<Response> {
    session.check_csrf(&form.csrf)?;
    let current = find(&state, &slug).await?;
    let changed = match form.apply(current.clone()) {
        Ok(changed) => changed,
        Err(errors) => return edit_page(&state, &session, &current, &form, &errors).await,
    };
    match queries::update(&state.db.pool, &changed, db::now()).await {
        Ok(()) => {
            tracing::info!(
                slug = changed.slug,
                editor = session.email,
                "newsletter changed"
            );
            Ok(
                Redirect::to(&format!("/editor/newsletters?saved={}", changed.slug))
                    .into_response(),
            )
        }
        Err(err) => edit_page(&state, &session, &current, &form, &refused(err)?).await,
    }
}

#[derive(Template)]
#[template(path = "editor/newsletter_delete.html")]
struct DeletePage<'a> {
    newsletter: &'a str,
    editor: &'a str,
    csrf: &'a str,
    current: &'a Newsletter,
    readers: i64,
    waiting: i64,
    /// Digests it made: then it stays.
    digests: i64,
}

/// The confirmation step before deleting, or why it cannot be deleted.
pub async fn confirm_delete(
    State(state): State<AppState>,
    session: EditorSession,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let current = find(&state, &slug).await?;
    let counts = subscriptions::count_per_newsletter(&state.db.pool).await?;
    let (readers, waiting) = counts.get(&current.id).copied().unwrap_or_default();
    let digests = queries::count_digests(&state.db.pool, current.id).await?;
    Ok(Page(DeletePage {
        newsletter: &state.settings.newsletter.name,
        editor: &session.email,
        csrf: &session.csrf,
        current: &current,
        readers,
        waiting,
        digests,
    })
    .into_response())
}

pub async fn delete_newsletter(
    State(state): State<AppState>,
    session: EditorSession,
    Path(slug): Path<String>,
    PageForm(form): PageForm<CsrfForm>,
) -> AppResult<Response> {
    session.check_csrf(&form.csrf)?;
    let current = match queries::find_by_slug(&state.db.pool, &slug).await? {
        Some(current) => current,
        // Gone already (a second press): the list is where the editor wanted to be.
        None => return Ok(Redirect::to("/editor/newsletters").into_response()),
    };
    let mut tx = state.db.begin().await?;
    queries::delete(&mut tx, &current).await?;
    tx.commit().await?;
    tracing::info!(slug, editor = session.email, "newsletter deleted");
    Ok(Redirect::to("/editor/newsletters").into_response())
}
