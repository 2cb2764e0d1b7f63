//! What a reader can do from the link in any email besides leaving everything at once: see
//! their newsletters, choose topics and how often each comes, leave one of them or all, change
//! the name we greet them by and the language we write in (the page is in it), and ask for a
//! copy of everything held about them. The copy is emailed to the reader's own address and
//! never shown in the browser, because whoever holds a forwarded email holds its link too.
//! Plain forms, no script: every change is a POST that answers 303 back to the page with a
//! notice, or the page again (422) with the message beside the field.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{invalid, newsletter_of_link, resolve};
use crate::consent::ClientInfo;
use crate::db;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::i18n::{Arg, Locale, Words};
use crate::newsletters::{Cadence, Newsletter};
use crate::outbox::{self, OutboxKind};
use crate::state::AppState;
use crate::subscribers::choices::{self, Choosable, Offer};
use crate::subscribers::subscriptions::{self, State as SubscriptionStatus, Subscription};
use crate::subscribers::{self, NameChange, Profile};
use crate::token::ReaderLink;
use crate::topics;
use crate::web::extract::{ListForm, PageForm};
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
    /// What the button at the top leaves: the link's newsletter, or everything.
    top: Top,
    /// The address the page is about, masked (`a***@example.com`): enough for the reader to
    /// know which of theirs is leaving, not enough to learn it from a forwarded link.
    email: String,
    name: &'a str,
    /// After a change of name or a request for data (shown with the details).
    notice: Option<String>,
    /// After a change to the reader's newsletters (shown at the top).
    newsletters_notice: Option<String>,
    errors: &'a FieldErrors,
    /// The reader's newsletters, when there is more than one or something to choose.
    newsletters: Vec<ReaderNewsletter>,
    /// More than one newsletter still coming: "Leave all" is offered.
    several_staying: bool,
    /// The languages offered, for the reader to choose among.
    languages: &'a [Locale],
    /// The reader's language: the page's words, and the one chosen in the list.
    t: Words,
}

impl PreferencesPage<'_> {
    /// The language list, when there is a choice to make (or the reader's language is no
    /// longer offered, so that they can pick one that is).
    fn offers_languages(&self) -> bool {
        self.languages.len() > 1 || !self.languages.contains(&self.t.locale())
    }
}

/// The heading and button at the top of the page.
struct Top {
    /// The newsletter named in the heading.
    name: String,
    /// The button leaves only `name`; the reader's other newsletters stay.
    leaves_one: bool,
    /// The link came from a newsletter the reader has left already (others still come).
    already_left: bool,
}

/// One of the reader's newsletters on their page.
struct ReaderNewsletter {
    slug: String,
    name: String,
    description: String,
    confirmed: bool,
    left: bool,
    /// Where they stand and what they get, in a sentence.
    summary: String,
    topics: Vec<Choosable>,
    /// Radio buttons; empty when the newsletter offers only its own schedule.
    cadences: Vec<Choosable>,
    /// Problems with the choice just posted for this newsletter.
    errors: FieldErrors,
    /// "Saved", after a choice for this newsletter (shown where the page opens).
    notice: Option<String>,
}

impl ReaderNewsletter {
    fn new(subscription: &Subscription, offer: &Offer, words: &Words) -> ReaderNewsletter {
        let newsletter = &offer.newsletter;
        let cadences = offer.cadences();
        let summary = match subscription.status {
            SubscriptionStatus::Pending => words.t("preferences-summary-pending"),
            SubscriptionStatus::Left => words.t("preferences-summary-left"),
            SubscriptionStatus::Confirmed => {
                let when = choices::describe(subscription.cadence, newsletter, words);
                let what = if subscription.topics.is_empty() {
                    words.t("preferences-every-topic")
                } else {
                    subscription
                        .topics
                        .iter()
                        .map(|t| topics::label(t))
                        .collect::<Vec<_>>()
                        .join(&words.t("list-separator"))
                };
                words.t2(
                    "preferences-summary",
                    "when",
                    lowercase_first(&when),
                    "topics",
                    what,
                )
            }
        };
        ReaderNewsletter {
            slug: newsletter.slug.clone(),
            name: newsletter.name.clone(),
            description: newsletter.description.clone(),
            confirmed: subscription.status == SubscriptionStatus::Confirmed,
            left: subscription.status == SubscriptionStatus::Left,
            summary,
            topics: choices::topic_boxes(&offer.topics, &subscription.topics),
            cadences: if cadences.len() > 1 {
                cadence_radios(newsletter, &cadences, subscription.cadence, words)
            } else {
                Vec::new()
            },
            errors: FieldErrors::new(),
            notice: None,
        }
    }

    /// The boxes as the reader just ticked them (sent back with a problem to correct).
    fn keep(&mut self, form: &ChoiceForm, errors: FieldErrors) {
        for topic in &mut self.topics {
            topic.checked = form.topics.contains(&topic.value);
        }
        if let Some(cadence) = form.cadence.as_deref() {
            for radio in &mut self.cadences {
                radio.checked = radio.value == cadence;
            }
        }
        self.errors = errors;
    }
}

fn cadence_radios(
    newsletter: &Newsletter,
    offered: &[Cadence],
    current: Cadence,
    words: &Words,
) -> Vec<Choosable> {
    offered
        .iter()
        .map(|cadence| Choosable {
            value: cadence.as_str().to_string(),
            label: choices::describe(*cadence, newsletter, words),
            hint: String::new(),
            checked: *cadence == current,
        })
        .collect()
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

static NO_ERRORS: FieldErrors = FieldErrors::new();

/// The reader the token names, with the link itself (which digest it came from).
struct Reader {
    link: ReaderLink,
    profile: Profile,
}

/// The reader the token names, or `None` for a forged token or a reader since erased.
async fn reader(state: &AppState, token: &str) -> AppResult<Option<Reader>> {
    let Some(link) = resolve(state, token).await? else {
        return Ok(None);
    };
    let profile = subscribers::find_profile(&state.db.pool, link.subscriber_id).await?;
    Ok(profile.map(|profile| Reader { link, profile }))
}

/// What the page shows besides the details: the reader's newsletters and the top button.
struct Standing {
    offers: Vec<Offer>,
    subscriptions: Vec<Subscription>,
    /// The newsletter of the digest the link came from.
    linked: Option<Newsletter>,
}

impl Standing {
    async fn of(state: &AppState, reader: &Reader) -> AppResult<Standing> {
        Ok(Standing {
            offers: choices::offers(&state.db.pool).await?,
            subscriptions: subscriptions::of_reader(&state.db.pool, reader.profile.id).await?,
            linked: newsletter_of_link(state, &reader.link).await?,
        })
    }

    fn offer(&self, slug: &str) -> Option<&Offer> {
        self.offers.iter().find(|o| o.newsletter.slug == slug)
    }

    fn subscription(&self, slug: &str) -> Option<&Subscription> {
        self.subscriptions.iter().find(|s| s.newsletter == slug)
    }

    fn name_of(&self, slug: &str) -> Option<&str> {
        self.offer(slug).map(|o| o.newsletter.name.as_str())
    }

    fn page<'a>(
        &self,
        state: &'a AppState,
        token: &'a str,
        profile: &'a Profile,
    ) -> PreferencesPage<'a> {
        let t = state.words(profile.locale);
        let staying: Vec<&Subscription> = self
            .subscriptions
            .iter()
            .filter(|s| s.status != SubscriptionStatus::Left)
            .collect();
        let listed: Vec<ReaderNewsletter> = self
            .subscriptions
            .iter()
            .filter_map(|s| Some(ReaderNewsletter::new(s, self.offer(&s.newsletter)?, &t)))
            .collect();
        let anything_to_choose = listed
            .iter()
            .any(|n| n.confirmed && (!n.topics.is_empty() || !n.cadences.is_empty()));
        let subscribed = profile.status != "unsubscribed";
        let newsletters = if subscribed && (listed.len() > 1 || anything_to_choose) {
            listed
        } else {
            Vec::new()
        };
        let linked = self.linked.as_ref();
        let on_linked = linked.and_then(|n| self.subscription(&n.slug));
        let top = match (linked, on_linked) {
            (Some(newsletter), Some(on))
                if staying.len() > 1 || on.status == SubscriptionStatus::Left =>
            {
                Top {
                    name: newsletter.name.clone(),
                    leaves_one: on.status != SubscriptionStatus::Left,
                    already_left: on.status == SubscriptionStatus::Left,
                }
            }
            // The button leaves everything: named after the one newsletter left, if one.
            _ => Top {
                name: match staying.as_slice() {
                    [only] => self
                        .name_of(&only.newsletter)
                        .unwrap_or(&state.settings.newsletter.name)
                        .to_string(),
                    [] => state.settings.newsletter.name.clone(),
                    _ => t.t("preferences-all-newsletters"),
                },
                leaves_one: false,
                already_left: false,
            },
        };
        PreferencesPage {
            newsletter: &state.settings.newsletter.name,
            token,
            subscribed,
            top,
            email: crate::telemetry::mask_email(&profile.email),
            name: profile.name.as_deref().unwrap_or(""),
            notice: None,
            newsletters_notice: None,
            errors: &NO_ERRORS,
            newsletters,
            several_staying: staying.len() > 1,
            languages: &state.settings.newsletter.locales,
            t,
        }
    }
}

/// What the page says after a post redirected back to it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Done {
    Name,
    Data,
    Locale,
    Choice,
    Left,
    LeftAll,
}

#[derive(Debug, Deserialize)]
pub struct PageQuery {
    done: Option<Done>,
    /// The newsletter a choice or departure was about.
    newsletter: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(query): Query<PageQuery>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let Some(reader) = reader(&state, &token).await? else {
        return Ok(invalid(&state, &headers));
    };
    let standing = Standing::of(&state, &reader).await?;
    let mut page = standing.page(&state, &token, &reader.profile);
    let t = page.t.clone();
    let name = match query
        .newsletter
        .as_deref()
        .and_then(|s| standing.name_of(s))
    {
        Some(name) => name.to_string(),
        None => t.t("preferences-the-newsletter"),
    };
    match query.done {
        Some(Done::Name) => page.notice = Some(t.t("preferences-saved-name")),
        Some(Done::Data) => page.notice = Some(t.t("preferences-data-sent")),
        Some(Done::Locale) => {
            let language = t.locale().native_name();
            page.notice = Some(t.t1("preferences-saved-language", "language", language));
        }
        Some(Done::Choice) => {
            let saved = t.t1("preferences-saved-choice", "newsletter", &name);
            let slug = query.newsletter.as_deref().unwrap_or_default();
            match page.newsletters.iter_mut().find(|n| n.slug == slug) {
                Some(listed) => listed.notice = Some(saved),
                None => page.newsletters_notice = Some(saved),
            }
        }
        Some(Done::Left) => {
            page.newsletters_notice = Some(t.t1("preferences-left-one", "newsletter", &name));
        }
        Some(Done::LeftAll) => page.newsletters_notice = Some(t.t("preferences-left-every")),
        None => {}
    }
    Ok(Page(page).into_response())
}

/// A reader's choice for one newsletter as the form posts it.
#[derive(Debug, Default, Deserialize)]
pub struct ChoiceForm {
    /// The topics ticked; none: everything the newsletter sends.
    #[serde(default)]
    topics: Vec<String>,
    /// Absent (the newsletter offers no choice): stays as it is.
    cadence: Option<String>,
}

/// The choice, checked against what the newsletter offers; every problem under its field.
fn check_choice(
    form: &ChoiceForm,
    offer: &Offer,
    current: &Subscription,
    words: &Words,
) -> Result<(Cadence, Vec<String>), FieldErrors> {
    let mut errors = FieldErrors::new();
    let newsletter = &offer.newsletter;
    let cadence = match form.cadence.as_deref().map(str::trim) {
        None | Some("") => current.cadence,
        Some(value) => match Cadence::parse(value) {
            Some(cadence) if newsletter.offers(cadence) => cadence,
            _ => {
                let offered: Vec<String> = offer
                    .cadences()
                    .iter()
                    .map(|c| lowercase_first(&choices::describe(*c, newsletter, words)))
                    .collect();
                let offered = offered.join(&words.t("error-cadence-choose-separator"));
                let message = words.format(
                    "error-cadence-choose",
                    &[
                        ("newsletter", Arg::Text(&newsletter.name)),
                        ("cadence", Arg::Text(value)),
                        ("offered", Arg::Text(&offered)),
                    ],
                );
                errors.insert("cadence".into(), message);
                current.cadence
            }
        },
    };
    let topics = match topics::parse(&form.topics) {
        Ok(chosen) => {
            let unknown = chosen
                .iter()
                .find(|t| !offer.topics.contains(t) && !current.topics.contains(t));
            if let Some(unknown) = unknown {
                let message = words.t2(
                    "error-topic-not-offered",
                    "newsletter",
                    &newsletter.name,
                    "topic",
                    unknown,
                );
                errors.insert("topics".into(), message);
            }
            chosen
        }
        Err(problem) => {
            errors.insert("topics".into(), problem.in_words(words));
            Vec::new()
        }
    };
    if errors.is_empty() {
        Ok((cadence, topics))
    } else {
        Err(errors)
    }
}

/// Saves the reader's topics and cadence for one newsletter they are on.
#[tracing::instrument(name = "choose", skip_all, fields(newsletter = %slug))]
pub async fn choose(
    State(state): State<AppState>,
    Path((token, slug)): Path<(String, String)>,
    headers: HeaderMap,
    ListForm(form): ListForm<ChoiceForm>,
) -> AppResult<Response> {
    let Some(reader) = reader(&state, &token).await? else {
        return Ok(invalid(&state, &headers));
    };
    let standing = Standing::of(&state, &reader).await?;
    let (Some(offer), Some(current)) = (standing.offer(&slug), standing.subscription(&slug)) else {
        return Err(AppError::NotFound);
    };
    let words = state.words(reader.profile.locale);
    if current.status != SubscriptionStatus::Confirmed {
        let name = &offer.newsletter.name;
        return Err(AppError::Conflict(words.t1(
            "error-choose-after-confirming",
            "newsletter",
            name,
        )));
    }
    let (cadence, topics) = match check_choice(&form, offer, current, &words) {
        Ok(choice) => choice,
        Err(errors) => {
            let mut page = standing.page(&state, &token, &reader.profile);
            if let Some(listed) = page.newsletters.iter_mut().find(|n| n.slug == slug) {
                listed.keep(&form, errors);
            }
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, Page(page)).into_response());
        }
    };
    let mut tx = state.db.begin().await?;
    let subscriber_id = reader.profile.id;
    subscriptions::set_choice(
        &mut tx,
        subscriber_id,
        offer.newsletter.id,
        cadence,
        &topics,
    )
    .await?;
    tx.commit().await?;
    tracing::info!(
        subscriber_id,
        cadence = cadence.as_str(),
        topics = topics.len(),
        "reader chose"
    );
    Ok(back(&token, "choice", Some(&slug)))
}

/// Leaves one newsletter, as its one-click link does.
#[tracing::instrument(name = "leave_newsletter", skip_all, fields(newsletter = %slug))]
pub async fn leave_newsletter(
    State(state): State<AppState>,
    client: ClientInfo,
    Path((token, slug)): Path<(String, String)>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let Some(reader) = reader(&state, &token).await? else {
        return Ok(invalid(&state, &headers));
    };
    let standing = Standing::of(&state, &reader).await?;
    let (Some(offer), Some(_)) = (standing.offer(&slug), standing.subscription(&slug)) else {
        return Err(AppError::NotFound);
    };
    super::leave(&state, &reader.link, Some(&offer.newsletter), &client).await?;
    Ok(back(&token, "left", Some(&slug)))
}

/// Leaves every newsletter.
#[tracing::instrument(name = "leave_everything", skip_all)]
pub async fn leave_everything(
    State(state): State<AppState>,
    client: ClientInfo,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let Some(reader) = reader(&state, &token).await? else {
        return Ok(invalid(&state, &headers));
    };
    super::leave(&state, &reader.link, None, &client).await?;
    Ok(back(&token, "left_all", None))
}

/// 303 to the reader's page with what was done, at their newsletters.
fn back(token: &str, done: &str, slug: Option<&str>) -> Response {
    let about = slug.map_or(String::new(), |slug| format!("&newsletter={slug}"));
    let anchor = match slug {
        Some(slug) if done == "choice" => format!("newsletter-{slug}"),
        _ => "newsletters".to_string(),
    };
    Redirect::to(&format!("/unsubscribe/{token}?done={done}{about}#{anchor}")).into_response()
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
    headers: HeaderMap,
    PageForm(form): PageForm<NameForm>,
) -> AppResult<Response> {
    let Some(reader) = reader(&state, &token).await? else {
        return Ok(invalid(&state, &headers));
    };
    let change = NameChange { name: form.name };
    let name = match change.parse(&state.words(reader.profile.locale)) {
        Ok(name) => name,
        Err(errors) => {
            let standing = Standing::of(&state, &reader).await?;
            let mut page = standing.page(&state, &token, &reader.profile);
            page.name = &change.name;
            page.errors = &errors;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, Page(page)).into_response());
        }
    };
    let id = reader.profile.id;
    subscribers::set_name(&state.db.pool, id, name.as_deref(), db::now()).await?;
    tracing::info!(subscriber_id = id, "reader changed their name");
    Ok(Redirect::to(&format!("/unsubscribe/{token}?done=name#your-data")).into_response())
}

#[derive(Debug, Deserialize)]
pub struct LocaleForm {
    #[serde(default)]
    locale: String,
}

/// A language the publication offers, else the message beside the list.
fn check_locale(state: &AppState, form: &LocaleForm, words: &Words) -> Result<Locale, FieldErrors> {
    form.locale
        .parse::<Locale>()
        .ok()
        .filter(|locale| state.settings.newsletter.locales.contains(locale))
        .ok_or_else(|| FieldErrors::from([("locale".to_string(), words.t("error-choose-listed"))]))
}

/// The language of the reader's emails and pages. The page comes back in the new one.
#[tracing::instrument(name = "change_locale", skip_all)]
pub async fn change_locale(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
    PageForm(form): PageForm<LocaleForm>,
) -> AppResult<Response> {
    let Some(reader) = reader(&state, &token).await? else {
        return Ok(invalid(&state, &headers));
    };
    let locale = match check_locale(&state, &form, &state.words(reader.profile.locale)) {
        Ok(locale) => locale,
        Err(errors) => {
            let standing = Standing::of(&state, &reader).await?;
            let mut page = standing.page(&state, &token, &reader.profile);
            page.errors = &errors;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, Page(page)).into_response());
        }
    };
    let id = reader.profile.id;
    subscribers::set_locale(&state.db.pool, id, locale, db::now()).await?;
    tracing::info!(
        subscriber_id = id,
        locale = locale.tag(),
        "reader chose a language"
    );
    Ok(Redirect::to(&format!("/unsubscribe/{token}?done=locale#your-data")).into_response())
}

#[tracing::instrument(name = "request_data", skip_all)]
pub async fn request_data(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let Some(reader) = reader(&state, &token).await? else {
        return Ok(invalid(&state, &headers));
    };
    let id = reader.profile.id;
    let now = db::now();
    let mut tx = state.db.begin().await?;
    let queued = outbox::enqueue_within_daily_limit(
        &mut tx,
        OutboxKind::DataExport,
        id,
        EXPORTS_PER_DAY,
        now,
    )
    .await?;
    tx.commit().await?;
    if !queued {
        let standing = Standing::of(&state, &reader).await?;
        let mut page = standing.page(&state, &token, &reader.profile);
        page.notice = Some(page.t.t("preferences-data-limit"));
        return Ok((StatusCode::TOO_MANY_REQUESTS, Page(page)).into_response());
    }
    state.outbox_wake.wake();
    tracing::info!(subscriber_id = id, "reader asked for their data");
    Ok(Redirect::to(&format!("/unsubscribe/{token}?done=data#your-data")).into_response())
}
