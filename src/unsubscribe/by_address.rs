//! Leaving by address, for a reader whose unsubscribe link does not work (altered by a mail
//! filter, cut in two, from an address since erased and signed up again): they give their
//! address and get an email there with a fresh link. The link goes only to the address, so
//! nobody can unsubscribe someone else, and the answer is the same whether or not the address
//! is on the list, so the form tells nobody who is.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_util::future::BoxFuture;
use lettre::message::Mailbox;
use serde::Deserialize;

use crate::branding::Branding;
use crate::consent::ClientInfo;
use crate::db;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::i18n::Words;
use crate::mail::OutgoingEmail;
use crate::outbox::{self, OutboxKind};
use crate::queue::{Job, NotMade, Rendered, Renderer, render_each};
use crate::state::AppState;
use crate::subscribers::{self, EmailAddress, LocaleQuery};
use crate::web::extract::PageForm;
use crate::web::page::Page;

/// Fresh links one address may be sent in a day.
const LINKS_PER_DAY: i64 = 3;

/// The form, on `/unsubscribe` and on the page of a link that does not work.
#[derive(Template)]
#[template(path = "pages/leave_by_address.html")]
pub struct LeavePage<'a> {
    pub newsletter: &'a str,
    /// Why the reader is here: their link did not work, or they came to leave.
    pub broken_link: bool,
    pub email: &'a str,
    pub errors: &'a FieldErrors,
    pub t: Words,
}

#[derive(Template)]
#[template(path = "pages/leave_link_sent.html")]
struct SentPage<'a> {
    newsletter: &'a str,
    email: &'a str,
    t: Words,
}

static NO_ERRORS: FieldErrors = FieldErrors::new();

/// The page of a link that names no reader, in the language the browser asks for (the link
/// names nobody whose language we know).
pub fn broken_link_page(state: &AppState, headers: &HeaderMap) -> Response {
    let page = LeavePage {
        newsletter: &state.settings.newsletter.name,
        broken_link: true,
        email: "",
        errors: &NO_ERRORS,
        t: state.words(state.negotiate(None, headers)),
    };
    (StatusCode::NOT_FOUND, Page(page)).into_response()
}

pub async fn page(
    State(state): State<AppState>,
    Query(query): Query<LocaleQuery>,
    headers: HeaderMap,
) -> Response {
    Page(LeavePage {
        newsletter: &state.settings.newsletter.name,
        broken_link: false,
        email: "",
        errors: &NO_ERRORS,
        t: state.words(state.negotiate(query.locale.as_deref(), &headers)),
    })
    .into_response()
}

#[derive(Debug, Default, Deserialize)]
pub struct LeaveForm {
    #[serde(default)]
    email: String,
    /// The language the form was shown in.
    locale: Option<String>,
}

#[tracing::instrument(name = "leave_by_address", skip_all)]
pub async fn request(
    State(state): State<AppState>,
    client: ClientInfo,
    headers: HeaderMap,
    PageForm(form): PageForm<LeaveForm>,
) -> AppResult<Response> {
    let t = state.words(state.negotiate(form.locale.as_deref(), &headers));
    let case_sensitive = state.settings.signup.case_sensitive_local_part;
    let address = match EmailAddress::check(&form.email, case_sensitive) {
        Ok(address) => address,
        Err(problem) => {
            let message = crate::error::sentence(&t.t(problem.id()));
            let errors = FieldErrors::from([("email".to_string(), message)]);
            let page = LeavePage {
                newsletter: &state.settings.newsletter.name,
                broken_link: false,
                email: &form.email,
                errors: &errors,
                t,
            };
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, Page(page)).into_response());
        }
    };
    if !state.signup_limiter.allow(client.ip) {
        return Err(AppError::RateLimited);
    }
    let mut tx = state.db.begin().await?;
    let queued = match subscribers::find_id_for_link(&mut tx, address.key()).await? {
        Some(id) => {
            outbox::enqueue_within_daily_limit(
                &mut tx,
                OutboxKind::UnsubscribeLink,
                id,
                LINKS_PER_DAY,
                db::now(),
            )
            .await?
        }
        None => false,
    };
    tx.commit().await?;
    if queued {
        state.outbox_wake.wake();
        tracing::info!("a fresh unsubscribe link was asked for");
    }
    let masked = crate::telemetry::mask_email(address.as_str());
    Ok(Page(SentPage {
        newsletter: &state.settings.newsletter.name,
        email: &masked,
        t,
    })
    .into_response())
}

#[derive(Template)]
#[template(path = "email/unsubscribe_link.txt")]
struct LinkText<'a> {
    t: &'a Words,
    brand: &'a Branding,
    newsletter: &'a str,
    name: Option<&'a str>,
    link: &'a str,
}

#[derive(Template)]
#[template(path = "email/unsubscribe_link.html")]
struct LinkHtml<'a> {
    t: &'a Words,
    brand: &'a Branding,
    newsletter: &'a str,
    name: Option<&'a str>,
    link: &'a str,
}

/// The email with a fresh link to the reader's page; `None` once the reader is gone.
pub async fn prepare_link_email(
    state: &AppState,
    subscriber_id: i64,
) -> Result<Option<OutgoingEmail>, NotMade> {
    let Some(reader) = subscribers::find_recipient(&state.db.pool, subscriber_id).await? else {
        return Ok(None);
    };
    let address = EmailAddress::parse(&reader.email, false)
        .map_err(|e| NotMade::Impossible(format!("stored address no longer parses: {e}")))?;
    let link = super::url(state, subscriber_id, 0, &reader.link_secret);
    let newsletter = state.settings.newsletter.name.as_str();
    let name = reader.name.as_deref();
    let brand = &*state.branding.current();
    let t = &state.words(reader.locale);
    Ok(Some(OutgoingEmail {
        to: Mailbox::new(reader.name.clone(), address.ascii().parse()?),
        subject: t.t1("unsubscribe-link-email-subject", "newsletter", newsletter),
        text: LinkText {
            t,
            brand,
            newsletter,
            name,
            link: &link,
        }
        .render()?,
        html: LinkHtml {
            t,
            brand,
            newsletter,
            name,
            link: &link,
        }
        .render()?,
        message_id: None,
        return_path: None,
        list: None,
        attachment: None,
        from_name: None,
    }))
}

/// Fresh-link emails, for the send engine.
pub struct UnsubscribeLinkEmails;

impl Renderer for UnsubscribeLinkEmails {
    fn render<'a>(&'a self, state: &'a AppState, jobs: &'a [Job]) -> BoxFuture<'a, Vec<Rendered>> {
        Box::pin(render_each(state, jobs, prepare_link_email))
    }
}
