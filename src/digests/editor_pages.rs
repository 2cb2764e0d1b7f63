//! The editors' page for digests, one newsletter at a time (`?newsletter=slug`; the default
//! newsletter without it): its next digest composed and previewed (for everyone, or as a
//! reader with a topic choice gets it), tested, sent with a confirmation step or scheduled,
//! and the progress of the latest digests of every newsletter. Every form carries the
//! newsletter's slug.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::draft::{self, ComposeError, Composition, Next};
use super::test_send;
use super::{DigestStatus, Preview, queries};
use crate::articles::Article;
use crate::articles::queries as articles;
use crate::db::Millis;
use crate::digests;
use crate::editors::{CsrfForm, EditorSession};
use crate::error::{AppError, AppResult};
use crate::newsletters::{self, Cadence, Newsletter};
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
    /// The newsletter this page is about, and all of them (a choice is shown when there are
    /// several).
    current: &'a Newsletter,
    newsletters: &'a [Newsletter],
    /// The next digest for everyone (a reader who chose no topics).
    preview: Option<&'a Preview>,
    /// "Preview as": what was asked, and what it shows.
    preview_as: &'a PreviewChoice,
    /// The composer: the next digest as saved, or as posted when it was refused.
    compose: &'a Composer,
    /// Articles in no digest yet that the next one leaves out.
    candidates: Vec<Article>,
    /// The subject the newsletter's template makes, used when the editor writes none.
    default_subject: String,
    /// Digests still going out, and the rest.
    sending: Vec<&'a DigestStatus>,
    past: Vec<&'a DigestStatus>,
    in_progress: bool,
    /// The test form: where to, and what went wrong with it.
    test_to: &'a str,
    test_error: Option<&'a str>,
    /// A test just went out to this many addresses.
    tested: Option<usize>,
    /// The newsletter's one-off sends, upcoming first, times in its zone.
    scheduled: Vec<(ScheduledSend, String)>,
    /// The "send later" form: what was typed and what was wrong with it.
    later_at: &'a str,
    later_error: Option<&'a str>,
    /// The automatic schedule, and when it next fires.
    schedule: &'a str,
    next_automatic: Option<String>,
    zone: &'a str,
}

/// "Preview as": everyone, or a reader who chose some topics.
#[derive(Default)]
struct PreviewChoice {
    /// A topic choice was asked for.
    by_topics: bool,
    /// The topics as typed.
    topics: String,
    /// What is wrong with them.
    error: Option<String>,
    /// The digest as a reader with that choice gets it, or why they would get nothing.
    preview: Option<Preview>,
    nothing: Option<String>,
}

/// What the page shows besides the digests: the test form and the send-later form, each
/// with what was typed and what was wrong.
#[derive(Default)]
struct Forms<'a> {
    /// The composer as posted, with what was wrong with it.
    compose: Option<Composer>,
    test_to: Option<&'a str>,
    test_error: Option<&'a str>,
    tested: Option<usize>,
    later_at: &'a str,
    later_error: Option<&'a str>,
    /// "Preview as" a topic choice: the topics as typed.
    preview_topics: Option<String>,
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
    /// The newsletter's slug; absent: the default newsletter.
    newsletter: Option<String>,
    /// "Preview as": `everyone` or `topics`.
    preview: Option<String>,
    /// The topic choice to preview as, typed.
    topics: Option<String>,
}

/// The newsletter a page or form is about: the one named, or the default one.
async fn chosen(state: &AppState, slug: Option<&str>) -> AppResult<Newsletter> {
    newsletters::queries::find_named(&state.db.pool, slug)
        .await?
        .ok_or(AppError::NotFound)
}

/// The digest page of the newsletter, with `query` (`tested=1`) and `fragment` (`#later`);
/// the default newsletter's without naming it.
fn page_url(newsletter: &Newsletter, query: &str, fragment: &str) -> String {
    let mut params = Vec::new();
    if !newsletter.is_default {
        params.push(format!("newsletter={}", newsletter.slug));
    }
    if !query.is_empty() {
        params.push(query.to_string());
    }
    let query = if params.is_empty() {
        String::new()
    } else {
        format!("?{}", params.join("&"))
    };
    format!("/editor/digest{query}{fragment}")
}

pub async fn digest(
    State(state): State<AppState>,
    session: EditorSession,
    Query(query): Query<DigestQuery>,
) -> AppResult<Response> {
    let newsletter = chosen(&state, query.newsletter.as_deref()).await?;
    let forms = Forms {
        tested: query.tested,
        preview_topics: (query.preview.as_deref() == Some("topics"))
            .then(|| query.topics.clone().unwrap_or_default()),
        ..Forms::default()
    };
    digest_page(&state, &session, &newsletter, forms).await
}

/// The next digest as a reader who chose `typed` topics gets it (none typed: everyone's).
async fn preview_choice(
    state: &AppState,
    newsletter: &Newsletter,
    typed: Option<String>,
) -> AppResult<PreviewChoice> {
    let Some(typed) = typed else {
        return Ok(PreviewChoice::default());
    };
    let mut choice = PreviewChoice {
        by_topics: true,
        topics: typed,
        ..PreviewChoice::default()
    };
    let topics = match crate::topics::parse(&crate::topics::split_typed(&choice.topics)) {
        Ok(topics) => topics,
        Err(message) => {
            choice.error = Some(crate::error::sentence(&message.to_string()));
            return Ok(choice);
        }
    };
    if topics.is_empty() {
        choice.error = Some("Name at least one topic, or preview as everyone.".to_string());
        return Ok(choice);
    }
    match digests::preview_as(state, newsletter, &digests::PreviewAs::Topics(topics), None).await {
        Ok(preview) => choice.preview = Some(preview),
        Err(
            err @ (digests::PreviewError::NothingForTopics(_)
            | digests::PreviewError::NothingNew
            | digests::PreviewError::EmptyDraft),
        ) => choice.nothing = Some(crate::error::sentence(&err.to_string())),
        Err(err) => return Err(err.into()),
    }
    Ok(choice)
}

async fn digest_page(
    state: &AppState,
    session: &EditorSession,
    newsletter: &Newsletter,
    forms: Forms<'_>,
) -> AppResult<Response> {
    let zone = newsletter.zone();
    let scheduled = one_off::list_for(&state.db.pool, newsletter.id)
        .await?
        .into_iter()
        .map(|send| {
            let when = shown(send.send_at_ms, zone);
            (send, when)
        })
        .collect();
    let next_automatic = newsletter
        .schedule_of(Cadence::Scheduled)
        .and_then(|s| s.next_slot(chrono::Utc::now()))
        .map(|at| shown(at.timestamp_millis(), zone));
    let next = digests::next(state, newsletter).await?;
    let compose = match forms.compose {
        Some(posted) => posted,
        None => Composer::of(&next, zone),
    };
    let preview = digests::preview_of(state, newsletter, next).await?;
    let preview_as = preview_choice(state, newsletter, forms.preview_topics).await?;
    let mut conn = state.db.pool.acquire().await?;
    let candidates = articles::list_unsent(
        &mut conn,
        newsletter,
        Cadence::Scheduled,
        None,
        draft::MAX_ARTICLES as i64,
    )
    .await?
    .into_iter()
    .filter(|a| !compose.article_ids.contains(&a.id))
    .collect();
    drop(conn);
    let recent = queries::list_recent(&state.db.pool, DIGESTS_SHOWN).await?;
    let all = newsletters::queries::list(&state.db.pool).await?;
    let refused = forms.test_error.is_some()
        || forms.later_error.is_some()
        || compose.error.is_some()
        || preview_as.error.is_some();
    let page = DigestPage {
        newsletter: &state.settings.newsletter.name,
        editor: &session.email,
        csrf: &session.csrf,
        current: newsletter,
        newsletters: &all,
        preview: preview.as_ref(),
        preview_as: &preview_as,
        default_subject: super::render::subject_from_template(
            &newsletter.subject,
            &newsletter.name,
            &compose.articles,
        ),
        compose: &compose,
        candidates,
        in_progress: recent.iter().any(|d| d.status.in_progress()),
        sending: recent.iter().filter(|d| d.status.in_progress()).collect(),
        past: recent.iter().filter(|d| !d.status.in_progress()).collect(),
        test_to: forms.test_to.unwrap_or(&session.email),
        test_error: forms.test_error,
        tested: forms.tested,
        scheduled,
        later_at: forms.later_at,
        later_error: forms.later_error,
        schedule: &newsletter.schedule,
        next_automatic,
        zone: &newsletter.timezone,
    };
    let status = if refused {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, Page(page)).into_response())
}

/// The composer form: the next digest as the page showed it, what the editor typed, and
/// the button they pressed (`op`). Every button of the digest page submits it, so nothing
/// typed is lost whichever is pressed.
#[derive(Debug, Default, Deserialize)]
pub struct ComposeForm {
    #[serde(default)]
    csrf: String,
    /// The newsletter's slug; empty: the default newsletter.
    #[serde(default)]
    newsletter: String,
    /// The draft revision the page showed (0: no draft).
    #[serde(default)]
    revision: i64,
    /// The articles the page showed, in order, comma-separated.
    #[serde(default)]
    article_ids: String,
    #[serde(default)]
    lead_article_id: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    preview_text: String,
    #[serde(default)]
    intro: String,
    /// `save`, `discard`, or `up:ID`, `down:ID`, `lead:ID`, `unlead`, `drop:ID`, `add:ID`.
    #[serde(default)]
    op: String,
    /// Test addresses.
    #[serde(default)]
    to: String,
}

/// The composer as the page shows it.
#[derive(Debug, Default)]
pub struct Composer {
    pub saved: bool,
    pub revision: i64,
    pub article_ids: Vec<i64>,
    pub articles: Vec<Article>,
    pub lead_article_id: Option<i64>,
    pub subject: String,
    pub preview_text: String,
    pub intro: String,
    /// Who saved the draft, and when (in the newsletter's zone).
    pub saved_by: String,
    pub saved_at: String,
    /// (field, message) when the composition was refused.
    pub error: Option<(&'static str, String)>,
}

impl Composer {
    fn of(next: &Next, zone: chrono_tz::Tz) -> Composer {
        let c = &next.composition;
        let draft = next.draft.as_ref();
        Composer {
            saved: draft.is_some(),
            revision: draft.map_or(0, |d| d.revision),
            article_ids: next.article_ids(),
            articles: next.articles.clone(),
            lead_article_id: c.lead_article_id,
            subject: c.subject.clone().unwrap_or_default(),
            preview_text: c.preview_text.clone().unwrap_or_default(),
            intro: c.intro.clone().unwrap_or_default(),
            saved_by: draft.map(|d| who(&d.updated_by)).unwrap_or_default(),
            saved_at: draft.map(|d| shown(d.updated_at, zone)).unwrap_or_default(),
            error: None,
        }
    }

    pub fn ids_field(&self) -> String {
        self.article_ids
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",")
    }

    pub fn is_lead(&self, id: &i64) -> bool {
        self.lead_article_id == Some(*id)
    }

    pub fn error_for(&self, field: &str) -> Option<&str> {
        self.error
            .as_ref()
            .filter(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }
}

/// "editor:ada@example.com" as "ada@example.com", "token:deploy" as "API token deploy".
fn who(by: &str) -> String {
    match by.split_once(':') {
        Some(("editor", email)) => email.to_string(),
        Some(("token", name)) => format!("API token {name}"),
        _ => by.to_string(),
    }
}

/// What the page posted, with its button applied.
struct Posted {
    article_ids: Vec<i64>,
    composition: Composition,
}

impl ComposeForm {
    fn posted(&self) -> AppResult<Posted> {
        let mut ids = article_ids(&self.article_ids)?;
        let mut lead = match self.lead_article_id.trim() {
            "" => None,
            id => Some(
                id.parse()
                    .map_err(|_| AppError::field("lead_article_id", "not an article id"))?,
            ),
        };
        let (op, target) = match self.op.split_once(':') {
            Some((op, id)) => (
                op,
                Some(
                    id.parse::<i64>()
                        .map_err(|_| AppError::field("op", "not an article id"))?,
                ),
            ),
            None => (self.op.as_str(), None),
        };
        let at = target.and_then(|id| ids.iter().position(|i| *i == id));
        match (op, target, at) {
            ("up", _, Some(at)) if at > 0 => ids.swap(at, at - 1),
            ("down", _, Some(at)) if at + 1 < ids.len() => ids.swap(at, at + 1),
            // The lead story is shown first, so it moves to the top.
            ("lead", Some(id), Some(at)) => {
                ids.remove(at);
                ids.insert(0, id);
                lead = Some(id);
            }
            ("unlead", ..) => lead = None,
            ("drop", Some(id), Some(at)) => {
                ids.remove(at);
                if lead == Some(id) {
                    lead = None;
                }
            }
            ("add", Some(id), None) => ids.push(id),
            _ => {}
        }
        Ok(Posted {
            article_ids: ids,
            composition: Composition {
                subject: Some(self.subject.clone()),
                preview_text: Some(self.preview_text.clone()),
                intro: Some(self.intro.clone()),
                lead_article_id: lead,
            },
        })
    }

    /// The composer showing what was posted, refused for `err`.
    fn refused(&self, posted: Posted, articles: Vec<Article>, err: &ComposeError) -> Composer {
        Composer {
            saved: self.revision > 0,
            revision: self.revision,
            article_ids: posted.article_ids,
            articles,
            lead_article_id: posted.composition.lead_article_id,
            subject: self.subject.clone(),
            preview_text: self.preview_text.clone(),
            intro: self.intro.clone(),
            error: Some((err.field(), crate::error::sentence(&err.to_string()))),
            ..Composer::default()
        }
    }
}

const CHANGED: &str = "the next digest changed since you opened this page (new articles, a send, or another editor's change); please look at it again";

/// Saves what the page posted as the draft when it differs from the next digest (so that
/// looking and sending a test leave no draft behind). `Some`: a field was wrong, and the
/// composer to show again with it.
async fn apply(
    state: &AppState,
    session: &EditorSession,
    newsletter: &Newsletter,
    form: &ComposeForm,
) -> AppResult<Option<Composer>> {
    let posted = form.posted()?;
    let current = digests::next(state, newsletter).await?;
    let unchanged = posted.article_ids == current.article_ids()
        && posted
            .composition
            .clone()
            .checked(&posted.article_ids)
            .is_ok_and(|c| c == current.composition);
    if unchanged {
        return Ok(None);
    }
    // What the buttons changed must start from what is saved now.
    let revision = current.draft.as_ref().map_or(0, |d| d.revision);
    if form.revision != revision
        || (revision == 0 && article_ids(&form.article_ids)? != current.article_ids())
    {
        return Err(AppError::Conflict(CHANGED.to_string()));
    }
    let mut tx = state.db.begin().await?;
    let by = format!("editor:{}", session.email);
    match draft::save(
        &mut tx,
        newsletter.id,
        &posted.article_ids,
        posted.composition.clone(),
        &by,
    )
    .await
    {
        Ok(_) => {}
        Err(ComposeError::Database(err)) => return Err(err.into()),
        Err(err) => {
            drop(tx);
            let mut conn = state.db.pool.acquire().await?;
            let shown = articles::list_in_order(&mut conn, &posted.article_ids).await?;
            return Ok(Some(form.refused(posted, shown, &err)));
        }
    }
    tx.commit().await?;
    Ok(None)
}

/// The page again, showing the refused composer (and what else was typed).
async fn refused_page(
    state: &AppState,
    session: &EditorSession,
    newsletter: &Newsletter,
    compose: Composer,
    test_to: Option<&str>,
) -> AppResult<Response> {
    let forms = Forms {
        compose: Some(compose),
        test_to,
        ..Forms::default()
    };
    digest_page(state, session, newsletter, forms).await
}

/// A button of the composer: saves the draft (or discards it) and shows the page again.
pub async fn compose(
    State(state): State<AppState>,
    session: EditorSession,
    PageForm(form): PageForm<ComposeForm>,
) -> AppResult<Response> {
    session.check_csrf(&form.csrf)?;
    let newsletter = chosen(&state, Some(&form.newsletter)).await?;
    if form.op == "discard" {
        let mut tx = state.db.begin().await?;
        draft::discard(&mut tx, newsletter.id).await?;
        tx.commit().await?;
        return Ok(Redirect::to(&page_url(&newsletter, "", "")).into_response());
    }
    match apply(&state, &session, &newsletter, &form).await? {
        None => Ok(Redirect::to(&page_url(&newsletter, "", "#compose")).into_response()),
        Some(compose) => refused_page(&state, &session, &newsletter, compose, None).await,
    }
}

/// A test of the composed digest (saved first, if changed) to the addresses given.
pub async fn send_test(
    State(state): State<AppState>,
    session: EditorSession,
    PageForm(form): PageForm<ComposeForm>,
) -> AppResult<Response> {
    session.check_csrf(&form.csrf)?;
    let newsletter = chosen(&state, Some(&form.newsletter)).await?;
    let to = match test_send::addresses(&form.to) {
        Ok(to) => to,
        Err(err) => {
            let message = crate::error::sentence(&err.to_string());
            let forms = Forms {
                test_to: Some(&form.to),
                test_error: Some(&message),
                ..Forms::default()
            };
            return digest_page(&state, &session, &newsletter, forms).await;
        }
    };
    if let Some(compose) = apply(&state, &session, &newsletter, &form).await? {
        return refused_page(&state, &session, &newsletter, compose, Some(&form.to)).await;
    }
    let by = format!("editor:{}", session.email);
    test_send::queue(&state, &newsletter, &to, &[], &by).await?;
    let tested = format!("tested={}", to.len());
    Ok(Redirect::to(&page_url(&newsletter, &tested, "")).into_response())
}

#[derive(Debug, Deserialize)]
pub struct SendForm {
    #[serde(default)]
    csrf: String,
    /// The newsletter's slug; empty: the default newsletter.
    #[serde(default)]
    newsletter: String,
    /// The next digest as confirmed: the draft's revision (0: none) and its articles,
    /// comma-separated, so that what is sent is what was seen.
    #[serde(default)]
    revision: i64,
    #[serde(default)]
    article_ids: String,
}

/// The articles' ids, as the forms carry them.
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
    /// The newsletter whose readers get it.
    current: &'a Newsletter,
    /// Where "Not now" leads.
    back: String,
    subject: &'a str,
    recipients: i64,
    compose: Composer,
    /// Digests still going out: sending another now shares the sending capacity with them.
    sending: Vec<DigestStatus>,
}

/// The confirmation step (after saving what the page posted, if changed): what will go to
/// how many readers.
pub async fn confirm_send(
    State(state): State<AppState>,
    session: EditorSession,
    PageForm(form): PageForm<ComposeForm>,
) -> AppResult<Response> {
    session.check_csrf(&form.csrf)?;
    let newsletter = chosen(&state, Some(&form.newsletter)).await?;
    if let Some(compose) = apply(&state, &session, &newsletter, &form).await? {
        return refused_page(&state, &session, &newsletter, compose, None).await;
    }
    let Some(preview) = digests::preview(&state, &newsletter).await? else {
        return Ok(Redirect::to(&page_url(&newsletter, "", "")).into_response());
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
        current: &newsletter,
        back: page_url(&newsletter, "", ""),
        subject: &preview.subject,
        recipients: preview.recipients,
        compose: Composer::of(&preview.next, newsletter.zone()),
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
    let newsletter = chosen(&state, Some(&form.newsletter)).await?;
    // Send exactly what was confirmed, and only once: a second press, a change to the draft
    // or articles added since find the next digest changed.
    let next = digests::next(&state, &newsletter).await?;
    let revision = next.draft.as_ref().map_or(0, |d| d.revision);
    if revision != form.revision || article_ids(&form.article_ids)? != next.article_ids() {
        return Err(AppError::Conflict(
            "the next digest changed since you previewed it (or was just sent); please review it again".to_string(),
        ));
    }
    let back = page_url(&newsletter, "", "");
    let audience = digests::Audience {
        newsletter,
        cadence: Cadence::Scheduled,
    };
    digests::create(
        &state,
        &audience,
        None,
        Composition::default(),
        &format!("editor:{}", session.email),
    )
    .await?;
    Ok(Redirect::to(&back).into_response())
}

#[derive(Debug, Deserialize)]
pub struct LaterForm {
    #[serde(default)]
    csrf: String,
    /// The newsletter's slug; empty: the default newsletter.
    #[serde(default)]
    newsletter: String,
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
    let newsletter = chosen(&state, Some(&form.newsletter)).await?;
    let at = crate::articles::parse_time(form.at.trim(), newsletter.zone());
    let result = match at {
        None => Err("Choose a date and a time.".to_string()),
        Some(at) => {
            let by = format!("editor:{}", session.email);
            match one_off::schedule(&state, newsletter.id, at, &by).await {
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
        Ok(_) => Ok(Redirect::to(&page_url(&newsletter, "", "#later")).into_response()),
        Err(message) => {
            let forms = Forms {
                later_at: &form.at,
                later_error: Some(&message),
                ..Forms::default()
            };
            digest_page(&state, &session, &newsletter, forms).await
        }
    }
}

/// A form that changes one thing of a newsletter's page.
#[derive(Debug, Deserialize)]
pub struct NewsletterForm {
    #[serde(default)]
    csrf: String,
    /// The newsletter's slug; empty: the default newsletter.
    #[serde(default)]
    newsletter: String,
}

pub async fn cancel_scheduled(
    State(state): State<AppState>,
    session: EditorSession,
    Path(id): Path<i64>,
    PageForm(form): PageForm<NewsletterForm>,
) -> AppResult<Response> {
    session.check_csrf(&form.csrf)?;
    let newsletter = chosen(&state, Some(&form.newsletter)).await?;
    match one_off::cancel(&state, id).await {
        Ok(()) | Err(one_off::CancelScheduledError::NotScheduled) => {
            Ok(Redirect::to(&page_url(&newsletter, "", "#later")).into_response())
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
    /// Its newsletter's digest page.
    back: String,
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
    let back = back_to(&state, &digest).await?;
    if !digest.status.in_progress() {
        return Ok(Redirect::to(&back).into_response());
    }
    Ok(Page(ConfirmCancelPage {
        newsletter: &state.settings.newsletter.name,
        editor: &session.email,
        csrf: &session.csrf,
        digest: &digest,
        back,
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
    let digest = digests::cancel(&state, id).await?;
    Ok(Redirect::to(&back_to(&state, &digest).await?).into_response())
}

/// The digest page of the digest's newsletter.
async fn back_to(state: &AppState, digest: &DigestStatus) -> AppResult<String> {
    Ok(match chosen(state, Some(&digest.newsletter)).await {
        Ok(newsletter) => page_url(&newsletter, "", ""),
        Err(AppError::NotFound) => "/editor/digest".to_string(),
        Err(err) => return Err(err),
    })
}
