//! The signup page, the form post and the JSON API. All three answer the same whether the
//! address is new, pending or already confirmed, so they never reveal who is subscribed.

use askama::Template;
use axum::Json;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};
use url::Url;

use super::choices::{self, Choosable, Offer};
use super::signup::{self, SignupRequest};
use crate::consent::{ClientInfo, ConsentSource};
use crate::embed::{self, Outcome};
use crate::error::doc::{Busy, MalformedJson, TooLarge, WrongContentType};
use crate::error::{ApiResult, AppError, AppResult, ErrorBody, FieldErrors};
use crate::i18n::{Locale, Words};
use crate::newsletters::{self, Cadence, Newsletter};
use crate::state::AppState;
use crate::telemetry::mask_email;
use crate::topics;
use crate::web::extract::{ApiJson, ListForm};
use crate::web::page::Page;

#[derive(Template)]
#[template(path = "pages/subscribe.html")]
pub struct SignupPage<'a> {
    newsletter: &'a str,
    description: &'a str,
    /// More than one newsletter: the reader picks among them.
    several: bool,
    /// Checkboxes, when there are several newsletters (or a problem with the ones named).
    newsletters: Vec<Choosable>,
    /// Optional topic checkboxes: those the newsletters cover.
    topics: Vec<Choosable>,
    /// Radio buttons, when a newsletter offers more than its own schedule.
    cadences: Vec<Choosable>,
    consent_html: &'a str,
    email: &'a str,
    name: &'a str,
    source: &'a str,
    /// An allowed page to go back to, carried through a correction of the form.
    return_to: &'a str,
    errors: &'a FieldErrors,
    /// Link to past issues (`/archive`).
    archive: bool,
    /// The languages offered, for links to the page in each.
    languages: &'a [Locale],
    t: Words,
}

impl<'a> SignupPage<'a> {
    fn new(
        state: &'a AppState,
        offers: &[Offer],
        form: &'a SubscribeForm,
        return_to: Option<&'a Url>,
        errors: &'a FieldErrors,
        t: Words,
    ) -> Self {
        let several = offers.len() > 1;
        // A fresh form ticks the default; a form sent back keeps what the reader ticked.
        let kept = form.newsletter_choice.is_some() || !form.newsletters.is_empty();
        let newsletters = if several || errors.contains_key("newsletters") {
            offers
                .iter()
                .map(|offer| {
                    let n = &offer.newsletter;
                    Choosable {
                        value: n.slug.clone(),
                        label: n.name.clone(),
                        hint: n.description.clone(),
                        checked: if kept {
                            form.newsletters.iter().any(|s| s.trim() == n.slug)
                        } else {
                            n.is_default
                        },
                    }
                })
                .collect()
        } else {
            Vec::new()
        };
        let mut covered: Vec<String> = offers.iter().flat_map(|o| o.topics.clone()).collect();
        covered.sort_unstable();
        covered.dedup();
        let chosen = topics::parse(&form.topics).unwrap_or_default();
        let topics = choices::topic_boxes(&covered, &chosen);
        let cadences = cadence_choices(offers, form.cadence.as_deref(), &t);
        let cadences = if cadences.len() > 1 || errors.contains_key("cadence") {
            cadences
        } else {
            Vec::new()
        };
        SignupPage {
            newsletter: &state.settings.newsletter.name,
            description: &state.settings.newsletter.description,
            several,
            newsletters,
            topics,
            cadences,
            consent_html: &state.consent.get(t.locale()).html,
            email: &form.email,
            name: form.name.as_deref().unwrap_or(""),
            source: form.source.as_deref().unwrap_or(""),
            return_to: return_to.map_or("", Url::as_str),
            errors,
            archive: state.settings.newsletter.public_archive,
            languages: &state.settings.newsletter.locales,
            t,
        }
    }
}

/// Every cadence some newsletter offers: in words of its own for a single newsletter, and
/// saying which newsletters offer it when there are several. `chosen` is ticked (else the
/// newsletters' own schedules).
fn cadence_choices(offers: &[Offer], chosen: Option<&str>, words: &Words) -> Vec<Choosable> {
    let chosen = chosen
        .and_then(|c| Cadence::parse(c.trim()))
        .unwrap_or(Cadence::Scheduled);
    Cadence::ALL
        .into_iter()
        .filter_map(|cadence| {
            let offering: Vec<&str> = offers
                .iter()
                .filter(|o| o.newsletter.offers(cadence))
                .map(|o| o.newsletter.name.as_str())
                .collect();
            let (label, hint) = match offers {
                [only] => (
                    choices::describe(cadence, &only.newsletter, words),
                    String::new(),
                ),
                _ if offering.len() == offers.len() => {
                    (choices::short_label(cadence, words), String::new())
                }
                _ => (
                    choices::short_label(cadence, words),
                    words.t1("cadence-offered-by", "newsletters", words.list(&offering)),
                ),
            };
            (!offering.is_empty() || cadence == chosen).then(|| Choosable {
                value: cadence.as_str().to_string(),
                label,
                hint,
                checked: cadence == chosen,
            })
        })
        .collect()
}

#[derive(Template)]
#[template(path = "pages/thanks.html")]
pub struct ThanksPage<'a> {
    newsletter: &'a str,
    archive: bool,
    /// The masked address the email went to, when the page was reached from the form.
    to: Option<&'a str>,
    /// Who the email comes from, so the reader can look for it (and let it through).
    from: &'a str,
    t: Words,
}

/// The form as browsers post it; every field is optional here so that a missing one becomes
/// a message beside that field rather than a rejected request.
#[derive(Debug, Default, Deserialize)]
pub struct SubscribeForm {
    #[serde(default)]
    email: String,
    name: Option<String>,
    consent: Option<String>,
    /// Hidden from people; bots that fill every field fill this one too.
    website: Option<String>,
    source: Option<String>,
    /// The page of the publication's own site to send the reader back to (embedded forms).
    #[serde(default)]
    return_to: String,
    /// The newsletters ticked (or named by hidden fields of an embedded form); none: the
    /// default newsletter.
    #[serde(default)]
    newsletters: Vec<String>,
    /// Sent by forms that show newsletter checkboxes: then none ticked is a mistake to point
    /// out, not a wish for the default newsletter.
    newsletter_choice: Option<String>,
    #[serde(default)]
    topics: Vec<String>,
    cadence: Option<String>,
    /// The language the form was shown in.
    locale: Option<String>,
}

impl SubscribeForm {
    /// The request the API would get, and what the form says that no request can.
    fn to_request(&self, words: &Words) -> (SignupRequest, FieldErrors) {
        let mut errors = FieldErrors::new();
        let newsletters: Vec<String> = self
            .newsletters
            .iter()
            .filter(|n| !n.trim().is_empty())
            .cloned()
            .collect();
        if self.newsletter_choice.is_some() && newsletters.is_empty() {
            errors.insert("newsletters".into(), words.t("error-choose-newsletter"));
        }
        let cadence = match self.cadence.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(value) => {
                let cadence = Cadence::parse(value);
                if cadence.is_none() {
                    errors.insert("cadence".into(), words.t("error-choose-listed"));
                }
                cadence
            }
        };
        let request = SignupRequest {
            email: self.email.clone(),
            name: self.name.clone(),
            consent: self.consent.as_deref().is_some_and(|c| !c.is_empty()),
            source: self.source.clone(),
            website: self.website.clone(),
            newsletters,
            topics: self.topics.clone(),
            cadence,
            locale: Some(words.lang().to_string()),
        };
        (request, errors)
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct LocaleQuery {
    /// A language chosen from the page's list (`?locale=de`).
    pub locale: Option<String>,
}

pub async fn signup_page(
    State(state): State<AppState>,
    Query(query): Query<LocaleQuery>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let offers = choices::offers(&state.db.pool).await?;
    let t = state.words(state.negotiate(query.locale.as_deref(), &headers));
    let (form, errors) = (SubscribeForm::default(), FieldErrors::new());
    let page = SignupPage::new(&state, &offers, &form, None, &errors, t);
    Ok(Page(page).into_response())
}

/// The form again with the reader's entries and a message beside each field at fault.
async fn correct(
    state: &AppState,
    form: &SubscribeForm,
    return_to: Option<&Url>,
    errors: &FieldErrors,
    t: &Words,
) -> AppResult<Response> {
    let offers = choices::offers(&state.db.pool).await?;
    let page = Page(SignupPage::new(
        state,
        &offers,
        form,
        return_to,
        errors,
        t.clone(),
    ));
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// The form post, from the signup page or a form embedded on the publication's site. Success
/// answers 303 (so reloading does not post again) to the thank-you page, or back to an
/// allowed `return_to` page with `tidings=subscribed`. A mistake shows the signup page with
/// the message beside the field, still carrying `return_to`.
#[tracing::instrument(name = "subscribe_form", skip_all)]
pub async fn subscribe_form(
    State(state): State<AppState>,
    client: ClientInfo,
    headers: HeaderMap,
    ListForm(form): ListForm<SubscribeForm>,
) -> AppResult<Response> {
    let return_to = embed::return_to(&state.settings.server, &headers, &form.return_to);
    let t = state.words(state.negotiate(form.locale.as_deref(), &headers));
    // The thank-you page names the address, masked: enough for the reader to spot a typo,
    // nothing for the URL to leak.
    // It keeps the form's language when that was chosen rather than the default.
    let mut thanks = format!(
        "/subscribe/thanks?to={}",
        url::form_urlencoded::byte_serialize(mask_email(form.email.trim()).as_bytes())
            .collect::<String>()
    );
    if t.locale() != state.settings.newsletter.default_locale {
        thanks.push_str(&format!("&locale={}", t.lang()));
    }
    let done = |outcome| match &return_to {
        Some(page) => embed::back_to(page.clone(), outcome),
        None => Redirect::to(&thanks).into_response(),
    };
    let (request, mut errors) = form.to_request(&t);
    if request.is_bot() {
        ignore_bot(&state, &client);
        return Ok(done(Outcome::Subscribed));
    }
    let new = match request.parse(state.settings.signup.case_sensitive_local_part, &t) {
        Ok(new) if errors.is_empty() => new,
        Ok(_) => return correct(&state, &form, return_to.as_ref(), &errors, &t).await,
        Err(more) => {
            errors.extend(more);
            return correct(&state, &form, return_to.as_ref(), &errors, &t).await;
        }
    };
    // The form lists the topics of every newsletter; one that none of those ticked carries
    // would bring nothing, so the reader hears it now rather than never.
    if let Some(picked) = &new.choice.topics {
        let all = newsletters::queries::list(&state.db.pool).await?;
        let chosen: Vec<&Newsletter> = all
            .iter()
            .filter(|n| match new.newsletters.is_empty() {
                true => n.is_default,
                false => new.newsletters.contains(&n.slug),
            })
            .collect();
        if let Some(topic) = choices::uncovered(&chosen, picked) {
            let message = t.t1("error-topic-not-covered", "topic", topics::label(topic));
            errors.insert("topics".into(), message);
            return correct(&state, &form, return_to.as_ref(), &errors, &t).await;
        }
    }
    if !state.signup_limiter.allow(client.ip) {
        return match return_to {
            Some(_) => Ok(done(Outcome::RateLimited)),
            None => Err(AppError::RateLimited),
        };
    }
    match signup::sign_up(&state, new, ConsentSource::Form, client, &t).await {
        Ok(_) => Ok(done(Outcome::Subscribed)),
        // A newsletter that does not exist (any more), or a cadence one of them does not offer.
        Err(AppError::Invalid { fields, .. }) => {
            correct(&state, &form, return_to.as_ref(), &fields, &t).await
        }
        Err(err) => Err(err),
    }
}

#[derive(Debug, Deserialize)]
pub struct ThanksQuery {
    /// The masked address the confirmation went to.
    to: Option<String>,
    /// The language of the form.
    locale: Option<String>,
}

pub async fn thanks_page(
    State(state): State<AppState>,
    Query(query): Query<ThanksQuery>,
    headers: HeaderMap,
) -> Response {
    let t = state.words(state.negotiate(query.locale.as_deref(), &headers));
    // Only what a masked address can look like: the page must not print whatever a link says.
    let to = query.to.filter(|to| {
        to.len() <= 100
            && to.contains("***@")
            && !to.chars().any(|c| c.is_control() || c.is_whitespace())
    });
    Page(ThanksPage {
        newsletter: &state.settings.newsletter.name,
        archive: state.settings.newsletter.public_archive,
        to: to.as_deref(),
        from: &state.settings.mail.from.to_string(),
        t,
    })
    .into_response()
}

/// The one answer to every valid signup, so that it never tells who is subscribed.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Accepted {
    /// Always `accepted`.
    #[schema(example = "accepted")]
    status: &'static str,
    /// A sentence to show the reader, in their language.
    message: String,
}

impl Accepted {
    fn new(words: &Words) -> Accepted {
        Accepted {
            status: "accepted",
            message: words.t("signup-accepted"),
        }
    }
}

/// Sign up a reader
///
/// Creates or refreshes a pending reader, records their consent and emails them a
/// confirmation link. The answer is the same for new, pending and confirmed addresses.
#[utoipa::path(
    post,
    path = "/api/v1/subscriptions",
    operation_id = "subscribe",
    tag = "signup",
    request_body = SignupRequest,
    responses(
        (status = 202, description = "Accepted. A confirmation email follows, unless the address is already confirmed or has had its emails for today", body = Accepted),
        MalformedJson,
        TooLarge,
        WrongContentType,
        (status = 422, description = "Invalid fields (or consent not given), listed in `fields`", body = ErrorBody),
        (status = 429, description = "Too many signups from this address's network in the last hour", body = ErrorBody,
            headers(("retry-after" = String, description = "Seconds to wait"))),
        Busy,
    )
)]
#[tracing::instrument(name = "subscribe_api", skip_all)]
pub async fn subscribe_api(
    State(state): State<AppState>,
    client: ClientInfo,
    headers: HeaderMap,
    ApiJson(request): ApiJson<SignupRequest>,
) -> ApiResult<(StatusCode, Json<Accepted>)> {
    let t = state.words(state.negotiate(request.locale.as_deref(), &headers));
    if request.is_bot() {
        ignore_bot(&state, &client);
        return Ok((StatusCode::ACCEPTED, Json(Accepted::new(&t))));
    }
    let new = request
        .parse(state.settings.signup.case_sensitive_local_part, &t)
        .map_err(AppError::invalid)?;
    if !state.signup_limiter.allow(client.ip) {
        return Err(AppError::RateLimited.into());
    }
    signup::sign_up(&state, new, ConsentSource::Api, client, &t).await?;
    Ok((StatusCode::ACCEPTED, Json(Accepted::new(&t))))
}

/// Bots get the answer people get, and count against their address's limit.
fn ignore_bot(state: &AppState, client: &ClientInfo) {
    let _ = state.signup_limiter.allow(client.ip);
    tracing::info!("honeypot field filled; signup ignored");
}
