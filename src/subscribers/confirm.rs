//! Double opt-in. The emailed link opens a page whose button confirms: mail scanners fetch
//! links on their own, so a GET never changes anything and only the POST confirms.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use futures_util::future::BoxFuture;
use lettre::message::Mailbox;

use super::routes::LocaleQuery;
use super::{EmailAddress, SubscriptionStatus, queries, subscriptions, suppression};
use crate::branding::Branding;
use crate::consent::{self, ClientInfo, ConsentEvent};
use crate::db::{self, Millis};
use crate::error::AppResult;
use crate::i18n::{Arg, Locale, Words};
use crate::mail::OutgoingEmail;
use crate::outbox;
use crate::queue::{Job, NotMade, Rendered, Renderer};
use crate::state::AppState;
use crate::token;
use crate::unsubscribe;
use crate::web::page::Page;

#[derive(Template)]
#[template(path = "pages/confirm.html")]
struct ConfirmPage<'a> {
    newsletter: &'a str,
    token: &'a str,
    t: Words,
}

#[derive(Template)]
#[template(path = "pages/confirmed.html")]
struct ConfirmedPage<'a> {
    newsletter: &'a str,
    /// Confirmed before, from this link or another: the reader opened an old link.
    already: bool,
    archive: bool,
    t: Words,
}

#[derive(Template)]
#[template(path = "pages/link_invalid.html")]
struct LinkInvalidPage<'a> {
    newsletter: &'a str,
    reason: String,
    t: Words,
}

enum LinkState {
    Live,
    /// Used or expired, but the reader is subscribed all the same.
    AlreadyConfirmed,
    Expired,
    Used,
    Unknown,
}

/// What a link can still do, and the language of the reader it names (`None`: it names no
/// one we know).
async fn link_state(
    state: &AppState,
    token_hash: &str,
    now: Millis,
) -> sqlx::Result<(LinkState, Option<Locale>)> {
    let Some(row) = queries::find_token(&state.db.pool, token_hash).await? else {
        return Ok((LinkState::Unknown, None));
    };
    let link = match &row {
        row if row.reader_confirmed => LinkState::AlreadyConfirmed,
        row if row.used_at.is_some() => LinkState::Used,
        row if row.expires_at <= now => LinkState::Expired,
        _ => LinkState::Live,
    };
    Ok((link, Some(row.locale)))
}

/// The reader's own language when the link names them, else what the browser asks for.
fn words_for(state: &AppState, reader: Option<Locale>, headers: &HeaderMap) -> Words {
    state.words(reader.unwrap_or_else(|| state.negotiate(None, headers)))
}

fn invalid_link(state: &AppState, link: LinkState, t: Words) -> Response {
    let (status, reason) = match link {
        LinkState::AlreadyConfirmed => {
            let page = ConfirmedPage {
                newsletter: &state.settings.newsletter.name,
                already: true,
                archive: state.settings.newsletter.public_archive,
                t,
            };
            return Page(page).into_response();
        }
        LinkState::Expired => (StatusCode::GONE, "link-invalid-expired"),
        LinkState::Used => (StatusCode::GONE, "link-invalid-used"),
        LinkState::Unknown | LinkState::Live => (StatusCode::NOT_FOUND, "link-invalid-unknown"),
    };
    let page = LinkInvalidPage {
        newsletter: &state.settings.newsletter.name,
        reason: t.t(reason),
        t,
    };
    (status, Page(page)).into_response()
}

pub async fn confirm_page(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let (link, locale) = link_state(&state, &token::hash(&raw), db::now()).await?;
    let t = words_for(&state, locale, &headers);
    match link {
        LinkState::Live => {
            let page = ConfirmPage {
                newsletter: &state.settings.newsletter.name,
                token: &raw,
                t,
            };
            Ok(Page(page).into_response())
        }
        other => Ok(invalid_link(&state, other, t)),
    }
}

#[tracing::instrument(name = "confirm", skip_all)]
pub async fn confirm(
    State(state): State<AppState>,
    client: ClientInfo,
    Path(raw): Path<String>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let now = db::now();
    let token_hash = token::hash(&raw);
    let mut tx = state.db.begin().await?;
    let Some(subscriber_id) = queries::use_token(&mut tx, &token_hash, now).await? else {
        tx.rollback().await?;
        let (link, locale) = link_state(&state, &token_hash, now).await?;
        return Ok(invalid_link(
            &state,
            link,
            words_for(&state, locale, &headers),
        ));
    };
    let newly_confirmed = queries::mark_confirmed(&mut tx, subscriber_id, now).await?;
    let joined = subscriptions::confirm_pending(&mut tx, subscriber_id, now).await?;
    let welcomes = outbox::enqueue_welcomes(&mut tx, subscriber_id, &joined, now).await?;
    if newly_confirmed || !joined.is_empty() {
        consent::copy_latest_grant(
            &mut tx,
            subscriber_id,
            ConsentEvent::Confirmed,
            &client,
            None,
            now,
        )
        .await?;
    }
    if newly_confirmed {
        lift_suppression(&mut tx, &state, subscriber_id).await?;
        state.metrics.confirmations.inc();
        tracing::info!(subscriber_id, "subscription confirmed");
    }
    queries::retire_tokens(&mut tx, subscriber_id, now).await?;
    tx.commit().await?;
    if welcomes > 0 {
        state.outbox_wake.wake();
    }
    Ok(Redirect::to(&confirmed_path(&state, subscriber_id, &headers).await?).into_response())
}

/// The page after confirming knows no reader: it is told their language, unless their
/// browser asks for that one anyway.
async fn confirmed_path(
    state: &AppState,
    subscriber_id: i64,
    headers: &HeaderMap,
) -> sqlx::Result<String> {
    let reader = queries::find_profile(&state.db.pool, subscriber_id).await?;
    Ok(match reader {
        Some(reader) if reader.locale != state.negotiate(None, headers) => {
            format!("/subscribe/confirmed?locale={}", reader.locale.tag())
        }
        _ => "/subscribe/confirmed".to_string(),
    })
}

/// A reader who was erased and has now signed up again and confirmed from their own inbox
/// has given fresh consent: imports may touch them again.
async fn lift_suppression(
    tx: &mut crate::db::Tx<'_>,
    state: &AppState,
    subscriber_id: i64,
) -> sqlx::Result<()> {
    let Some(email) = queries::find_email(tx, subscriber_id).await? else {
        return Ok(());
    };
    if let Ok(address) = EmailAddress::parse(&email, false) {
        let hash = suppression::address_hash(&state.keys.suppression, &address);
        if suppression::lift(tx, &hash).await? {
            tracing::info!(
                subscriber_id,
                "erased reader signed up again; suppression lifted"
            );
        }
    }
    Ok(())
}

pub async fn confirmed_page(
    State(state): State<AppState>,
    Query(query): Query<LocaleQuery>,
    headers: HeaderMap,
) -> Response {
    Page(ConfirmedPage {
        newsletter: &state.settings.newsletter.name,
        already: false,
        archive: state.settings.newsletter.public_archive,
        t: state.words(state.negotiate(query.locale.as_deref(), &headers)),
    })
    .into_response()
}

#[derive(Template)]
#[template(path = "email/confirm.txt")]
struct ConfirmEmailText<'a> {
    t: &'a Words,
    brand: &'a Branding,
    /// What the reader confirms, in words: "The Daily and The Weekend Read".
    newsletter: &'a str,
    name: Option<&'a str>,
    link: &'a str,
    /// How long the link lasts, in words: "48 hours".
    expires_in: &'a str,
    data_link: &'a str,
}

#[derive(Template)]
#[template(path = "email/confirm.html")]
struct ConfirmEmailHtml<'a> {
    t: &'a Words,
    brand: &'a Branding,
    newsletter: &'a str,
    name: Option<&'a str>,
    link: &'a str,
    /// How long the link lasts, in words: "48 hours".
    expires_in: &'a str,
    data_link: &'a str,
}

/// A pending reader a confirmation email is for.
struct Pending {
    subscriber_id: i64,
    name: Option<String>,
    address: EmailAddress,
    link_secret: String,
    /// What they are confirming, in words: "The Daily and The Weekend Read".
    newsletters: String,
    /// Their locale's words: the email is written in it.
    t: Words,
}

/// Each reader, if they still have something to confirm (their address, or a newsletter a
/// confirmed reader asked for). `None`: confirmed meanwhile, left, or gone; nothing is sent.
/// Two reads for the whole batch, whatever its size; one answer per job, in order.
async fn pending_readers(
    state: &AppState,
    jobs: &[Job],
) -> sqlx::Result<Vec<Result<Option<Pending>, NotMade>>> {
    let ids: Vec<i64> = jobs.iter().filter_map(|job| job.subscriber_id).collect();
    let readers = queries::find_recipients(&state.db.pool, &ids).await?;
    let names = subscriptions::pending_names(&state.db.pool, &ids).await?;
    // An id can come more than once (several confirmation emails to one address, up to
    // the daily limit): each gets its email.
    Ok(jobs
        .iter()
        .map(|job| {
            let Some((id, reader)) = job
                .subscriber_id
                .and_then(|id| Some((id, readers.get(&id)?)))
            else {
                return Ok(None);
            };
            let names = names.get(&id).map(Vec::as_slice).unwrap_or_default();
            pending_reader(state, id, reader, names)
        })
        .collect())
}

fn pending_reader(
    state: &AppState,
    subscriber_id: i64,
    reader: &queries::Recipient,
    names: &[String],
) -> Result<Option<Pending>, NotMade> {
    // Also what a confirmed reader still has to confirm: nothing, and no email.
    match reader.status {
        SubscriptionStatus::Unsubscribed => return Ok(None),
        SubscriptionStatus::Confirmed if names.is_empty() => return Ok(None),
        _ => {}
    }
    let address = EmailAddress::parse(&reader.email, false)
        .map_err(|e| NotMade::Impossible(format!("stored address no longer parses: {e}")))?;
    let t = state.words(reader.locale);
    // A reader from before there were several newsletters may have no subscription row.
    let newsletters = match names {
        [] => state.settings.newsletter.name.clone(),
        names => t.list(&names.iter().map(String::as_str).collect::<Vec<_>>()),
    };
    Ok(Some(Pending {
        subscriber_id,
        name: reader.name.clone(),
        address,
        link_secret: reader.link_secret.clone(),
        newsletters,
        t,
    }))
}

/// The email carrying `raw`, a link token already stored (hashed) for the reader.
fn confirmation_email(
    state: &AppState,
    reader: &Pending,
    raw: &str,
) -> Result<OutgoingEmail, NotMade> {
    let subscriber_id = reader.subscriber_id;
    let link = state.settings.link(&format!("/confirm/{raw}"));
    if state.mailer.is_file() {
        // The file outbox is for trying Tidings without a mail server: show where to click.
        tracing::info!(subscriber_id, %link, "confirmation link written to the file outbox");
    }
    // Digest 0: the link comes from no digest. It leads to the reader's details and data.
    let data_link = format!(
        "{}#your-data",
        unsubscribe::url(state, subscriber_id, 0, &reader.link_secret)
    );
    let newsletter = reader.newsletters.as_str();
    let name = reader.name.as_deref();
    let t = &reader.t;
    let expires_in = lifetime(t, state.settings.signup.confirm_ttl);
    let brand = &*state.branding.current();
    let text = ConfirmEmailText {
        t,
        brand,
        newsletter,
        name,
        link: &link,
        expires_in: &expires_in,
        data_link: &data_link,
    }
    .render()?;
    let html = ConfirmEmailHtml {
        t,
        brand,
        newsletter,
        name,
        link: &link,
        expires_in: &expires_in,
        data_link: &data_link,
    }
    .render()?;
    let to = Mailbox::new(reader.name.clone(), reader.address.ascii().parse()?);
    Ok(OutgoingEmail {
        to,
        subject: t.t1("confirm-email-subject", "newsletters", newsletter),
        text,
        html,
        message_id: None,
        return_path: None,
        list: None,
        attachment: None,
        from_name: None,
    })
}

/// Mints a fresh link for each pending reader of the batch and renders the emails that carry
/// them. The raw token exists only in its email, so the outbox never stores it; a link minted
/// for a send that then fails was never seen by anyone and simply expires. The batch's links
/// are stored in one statement: one commit per email was what held confirmations to about
/// 1,500 a second on SQLite while signups poured in.
async fn prepare_batch(state: &AppState, jobs: &[Job]) -> Vec<Rendered> {
    let readers = match pending_readers(state, jobs).await {
        Ok(readers) => readers,
        Err(err) => {
            let why = format!("reading the readers: {err}");
            return jobs.iter().map(|_| Rendered::NotNow(why.clone())).collect();
        }
    };
    let now = db::now();
    let expires_at = now + state.settings.signup.confirm_ttl.as_millis() as Millis;
    let raws: Vec<Option<String>> = readers
        .iter()
        .map(|r| matches!(r, Ok(Some(_))).then(token::generate))
        .collect();
    let tokens: Vec<(String, i64)> = readers
        .iter()
        .zip(&raws)
        .filter_map(|(reader, raw)| match (reader, raw) {
            (Ok(Some(reader)), Some(raw)) => Some((token::hash(raw), reader.subscriber_id)),
            _ => None,
        })
        .collect();
    let stored = async {
        let mut tx = state.db.begin().await?;
        queries::insert_tokens(&mut tx, &tokens, now, expires_at).await?;
        tx.commit().await
    }
    .await;
    readers
        .into_iter()
        .zip(raws)
        .map(|(reader, raw)| {
            let made = match (reader, raw, &stored) {
                (Err(err), ..) => Err(err),
                (Ok(None), ..) | (_, None, _) => Ok(None),
                (Ok(Some(_)), Some(_), Err(err)) => Err(NotMade::NotNow(anyhow::anyhow!(
                    "storing the confirmation link: {err}"
                ))),
                (Ok(Some(reader)), Some(raw), Ok(())) => {
                    confirmation_email(state, &reader, &raw).map(Some)
                }
            };
            made.into()
        })
        .collect()
}

/// Confirmation emails, for the send engine.
pub struct ConfirmationEmails;

impl Renderer for ConfirmationEmails {
    fn render<'a>(&'a self, state: &'a AppState, jobs: &'a [Job]) -> BoxFuture<'a, Vec<Rendered>> {
        Box::pin(prepare_batch(state, jobs))
    }
}

/// A link lifetime as a person says it: "30 minutes", "48 hours", "7 days".
fn lifetime(t: &Words, lifetime: std::time::Duration) -> String {
    let minutes = lifetime.as_secs() / 60;
    let (count, unit) = match minutes {
        m if m >= 72 * 60 && m % (24 * 60) == 0 => (m / (24 * 60), "day"),
        m if m >= 60 && m % 60 == 0 => (m / 60, "hour"),
        m => (m.max(1), "minute"),
    };
    t.format(
        "email-lifetime",
        &[
            (
                "count",
                Arg::Number(i64::try_from(count).unwrap_or(i64::MAX)),
            ),
            ("unit", Arg::Text(unit)),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::lifetime;
    use crate::i18n::{Catalog, Locale};
    use std::time::Duration;

    #[test]
    fn link_lifetimes_read_as_people_say_them() {
        let en = Catalog::load(None).unwrap().words(Locale::ENGLISH);
        assert_eq!(lifetime(&en, Duration::from_secs(48 * 3600)), "48 hours");
        assert_eq!(lifetime(&en, Duration::from_secs(7 * 24 * 3600)), "7 days");
        assert_eq!(lifetime(&en, Duration::from_secs(3600)), "1 hour");
        assert_eq!(lifetime(&en, Duration::from_secs(90 * 60)), "90 minutes");
        assert_eq!(lifetime(&en, Duration::from_secs(60)), "1 minute");
        assert_eq!(lifetime(&en, Duration::from_secs(24 * 3600)), "24 hours");
    }

    #[test]
    fn newsletters_being_confirmed_read_as_a_sentence_lists_them() {
        let en = Catalog::load(None).unwrap().words(Locale::ENGLISH);
        assert_eq!(en.list(&["The Daily"]), "The Daily");
        assert_eq!(
            en.list(&["The Daily", "The Weekend Read"]),
            "The Daily and The Weekend Read"
        );
        assert_eq!(
            en.list(&["News", "The Daily", "Sport"]),
            "News, The Daily and Sport"
        );
    }
}
