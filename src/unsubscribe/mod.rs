//! Leaving with one click. Every digest carries a link whose token names the reader and the
//! digest and is signed with a key only this service holds, over the reader's own random
//! secret too (`token::sign_reader_link`): it can be neither guessed nor forged, nothing
//! needs storing per email, and it dies when the reader is erased. `GET` shows a button;
//! `POST` (the button, or a mail client's RFC 8058 one-click request, with no cookie and
//! no form token) unsubscribes at once. The same page lists the reader's newsletters, where
//! they choose topics and cadence, leave one or leave all, and lets them change their name or
//! language or ask for their data (`preferences`). Every page here is in the reader's own
//! language; a link that names no one gets the browser's.

mod by_address;
mod preferences;

pub use by_address::UnsubscribeLinkEmails;

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use crate::consent::{self, ClientInfo, ConsentEvent};
use crate::db::{self, Tx};
use crate::error::AppResult;
use crate::i18n::Words;
use crate::newsletters::Newsletter;
use crate::state::AppState;
use crate::subscribers::subscriptions;
use crate::token::{self, ReaderLink};
use crate::web::page::Page;
use crate::{delivery, digests, subscribers};

/// The link to a reader's page (the unsubscribe link) from a digest (0: from no digest).
pub fn url(state: &AppState, subscriber_id: i64, digest_id: i64, link_secret: &str) -> String {
    let token = token::sign_reader_link(
        &state.keys.unsubscribe,
        subscriber_id,
        digest_id,
        link_secret,
    );
    state.settings.link(&format!("/unsubscribe/{token}"))
}

/// The secret of the probe link: it names no reader (ids start at 1).
const PROBE_SECRET: &str = "one-click probe";

/// A link that unsubscribes nobody, for `tidings doctor` to check that a one-click POST
/// reaches Tidings and gets 200 with no redirect through whatever sits in front of it.
/// Signed like every link, so only this service can make one.
pub fn probe_url(state: &AppState) -> String {
    url(state, 0, 0, PROBE_SECRET)
}

fn is_probe(state: &AppState, token: &str) -> bool {
    token::parse_reader_link(token).is_some_and(|link| {
        link.subscriber_id == 0
            && link.digest_id == 0
            && !link.legacy
            && link.verify(&state.keys.unsubscribe, PROBE_SECRET)
    })
}

#[derive(Template)]
#[template(path = "pages/probe.html")]
struct ProbePage<'a> {
    newsletter: &'a str,
}

/// The reader a link was made for, while that reader exists: `None` for a forged or altered
/// link, and for every link of an erased reader (their secret went with them, and ids are
/// never reused). A link from before readers had secrets names a reader only if that reader
/// got the digest it came from, which the next holder of a reused id never did.
async fn resolve(state: &AppState, token: &str) -> sqlx::Result<Option<ReaderLink>> {
    let Some(link) = token::parse_reader_link(token) else {
        return Ok(None);
    };
    let pool = &state.db.pool;
    let Some(secret) = subscribers::find_link_secret(pool, link.subscriber_id).await? else {
        return Ok(None);
    };
    if !link.verify(&state.keys.unsubscribe, &secret) {
        return Ok(None);
    }
    if link.legacy
        && (link.digest_id == 0
            || !delivery::was_delivered(pool, link.digest_id, link.subscriber_id).await?)
    {
        return Ok(None);
    }
    Ok(Some(link))
}

#[derive(Template)]
#[template(path = "pages/unsubscribed.html")]
struct UnsubscribedPage<'a> {
    newsletter: &'a str,
    /// The reader's newsletters on their own page.
    newsletters_link: String,
    /// Their details and data on their own page.
    data_link: String,
    /// Other newsletters still come (the link left one of several).
    others: bool,
    t: Words,
}

/// A link that names no reader we have: say so, and offer to leave by address.
fn invalid(state: &AppState, headers: &HeaderMap) -> Response {
    by_address::broken_link_page(state, headers)
}

/// 200 with a page, never a redirect: RFC 8058 clients POST and read only the status.
#[tracing::instrument(name = "unsubscribe", skip_all)]
pub async fn unsubscribe(
    State(state): State<AppState>,
    client: ClientInfo,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> AppResult<Response> {
    if is_probe(&state, &token) {
        let newsletter = &state.settings.newsletter.name;
        return Ok(Page(ProbePage { newsletter }).into_response());
    }
    let Some(link) = resolve(&state, &token).await? else {
        return Ok(invalid(&state, &headers));
    };
    // A digest's link leaves that digest's newsletter; a link from no digest leaves them all.
    let newsletter = newsletter_of_link(&state, &link).await?;
    leave(&state, &link, newsletter.as_ref(), &client).await?;
    let staying = {
        let mut tx = state.db.begin().await?;
        let staying = subscriptions::count_staying(&mut tx, link.subscriber_id).await?;
        tx.commit().await?;
        staying
    };
    let name = match &newsletter {
        Some(newsletter) => newsletter.name.as_str(),
        None => state.settings.newsletter.name.as_str(),
    };
    let locale = subscribers::find_profile(&state.db.pool, link.subscriber_id)
        .await?
        .map_or(state.settings.newsletter.default_locale, |reader| {
            reader.locale
        });
    Ok(Page(UnsubscribedPage {
        newsletter: name,
        newsletters_link: format!("/unsubscribe/{token}#newsletters"),
        data_link: format!("/unsubscribe/{token}#your-data"),
        others: staying > 0,
        t: state.words(locale),
    })
    .into_response())
}

/// The newsletter of the digest a link came from; `None` for a link from no digest.
async fn newsletter_of_link(
    state: &AppState,
    link: &ReaderLink,
) -> sqlx::Result<Option<Newsletter>> {
    if link.digest_id == 0 {
        return Ok(None);
    }
    let mut conn = state.db.pool.acquire().await?;
    digests::queries::newsletter_of(&mut conn, link.digest_id).await
}

/// The reader of `link` leaves `newsletter`, or with `None` every newsletter: the same
/// whether they used a digest's one-click link or the buttons on their page. Their consent is
/// withdrawn (naming the newsletter), what was still to be sent of it is cancelled, and
/// leaving the last one unsubscribes them. A departure through a digest's link counts for
/// that digest, when it is that digest's newsletter they left. Returns false when there was
/// nothing to leave.
pub(crate) async fn leave(
    state: &AppState,
    link: &ReaderLink,
    newsletter: Option<&Newsletter>,
    client: &ClientInfo,
) -> AppResult<bool> {
    let subscriber_id = link.subscriber_id;
    let now = db::now();
    let mut tx = state.db.begin().await?;
    let left = match newsletter {
        Some(newsletter) => leave_one(&mut tx, subscriber_id, newsletter, client, now).await?,
        None => leave_all(&mut tx, subscriber_id, client, now).await?,
    };
    if left {
        let digest_id = link.digest_id;
        let from_this_digest = match newsletter {
            None => true,
            Some(newsletter) => {
                digest_id != 0
                    && digests::queries::newsletter_of(&mut tx, digest_id)
                        .await?
                        .is_some_and(|of_digest| of_digest.id == newsletter.id)
            }
        };
        if digest_id != 0 && from_this_digest {
            delivery::mark_unsubscribed_from(&mut tx, digest_id, subscriber_id, now).await?;
        }
        state.metrics.unsubscribes.inc();
        tracing::info!(
            subscriber_id,
            digest_id,
            newsletter = newsletter.map(|n| n.slug.as_str()),
            "reader unsubscribed"
        );
    }
    tx.commit().await?;
    Ok(left)
}

/// The reader leaves one newsletter, and with the last one leaves altogether. Returns false
/// when they had already left it.
pub(crate) async fn leave_one(
    tx: &mut Tx<'_>,
    subscriber_id: i64,
    newsletter: &Newsletter,
    client: &ClientInfo,
    now: db::Millis,
) -> sqlx::Result<bool> {
    if !subscriptions::leave(tx, subscriber_id, newsletter.id, now).await? {
        // Already off this newsletter (or never on it: a link from before there were
        // several); a reader with nothing left is made sure to be out.
        if subscriptions::count_staying(tx, subscriber_id).await? == 0 {
            return leave_all(tx, subscriber_id, client, now).await;
        }
        return Ok(false);
    }
    consent::copy_latest_grant(
        tx,
        subscriber_id,
        ConsentEvent::Withdrawn,
        client,
        Some(&newsletter.slug),
        now,
    )
    .await?;
    delivery::cancel_pending_for_newsletter(tx, subscriber_id, newsletter.id).await?;
    if subscriptions::count_staying(tx, subscriber_id).await? == 0 {
        subscribers::mark_unsubscribed(tx, subscriber_id, now).await?;
    }
    Ok(true)
}

/// The reader leaves every newsletter. Returns false when they had already left.
pub(crate) async fn leave_all(
    tx: &mut Tx<'_>,
    subscriber_id: i64,
    client: &ClientInfo,
    now: db::Millis,
) -> sqlx::Result<bool> {
    if !subscribers::mark_unsubscribed(tx, subscriber_id, now).await? {
        return Ok(false);
    }
    consent::copy_latest_grant(
        tx,
        subscriber_id,
        ConsentEvent::Withdrawn,
        client,
        None,
        now,
    )
    .await?;
    delivery::cancel_pending_for(tx, subscriber_id).await?;
    Ok(true)
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/unsubscribe",
            get(by_address::page).post(by_address::request),
        )
        .route(
            "/unsubscribe/{token}",
            get(preferences::page).post(unsubscribe),
        )
        .route("/unsubscribe/{token}/name", post(preferences::change_name))
        .route(
            "/unsubscribe/{token}/locale",
            post(preferences::change_locale),
        )
        .route("/unsubscribe/{token}/data", post(preferences::request_data))
        .route(
            "/unsubscribe/{token}/newsletters/{slug}",
            post(preferences::choose),
        )
        .route(
            "/unsubscribe/{token}/newsletters/{slug}/leave",
            post(preferences::leave_newsletter),
        )
        .route(
            "/unsubscribe/{token}/all",
            post(preferences::leave_everything),
        )
}
