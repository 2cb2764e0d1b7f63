//! Leaving with one click. Every digest carries a link whose token names the reader and the
//! digest and is signed with a key only this service holds (HMAC-SHA256), so it can be
//! neither guessed nor forged, and nothing needs storing per email. `GET` shows a button;
//! `POST` (the button, or a mail client's RFC 8058 one-click request, with no cookie and
//! no form token) unsubscribes at once. The same page lets the reader change their name or
//! ask for their data (`preferences`).

mod preferences;

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::consent::{self, ClientInfo, ConsentEvent};
use crate::db;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::page::Page;
use crate::{delivery, subscribers};

/// Bytes of HMAC kept in the token: 128 bits is far beyond guessing.
const MAC_LEN: usize = 16;

/// The token for a reader and a digest.
pub fn sign(key: &[u8], subscriber_id: i64, digest_id: i64) -> String {
    let mut payload = Vec::with_capacity(16 + MAC_LEN);
    payload.extend_from_slice(&subscriber_id.to_be_bytes());
    payload.extend_from_slice(&digest_id.to_be_bytes());
    let mac = mac(key, &payload);
    payload.extend_from_slice(&mac[..MAC_LEN]);
    URL_SAFE_NO_PAD.encode(payload)
}

/// (subscriber id, digest id) of a genuine token.
pub fn verify(key: &[u8], token: &str) -> Option<(i64, i64)> {
    let bytes = URL_SAFE_NO_PAD.decode(token).ok()?;
    if bytes.len() != 16 + MAC_LEN {
        return None;
    }
    let (payload, tag) = bytes.split_at(16);
    let mut check = Hmac::<Sha256>::new_from_slice(key).ok()?;
    check.update(payload);
    check.verify_truncated_left(tag).ok()?;
    let subscriber_id = i64::from_be_bytes(payload[..8].try_into().ok()?);
    let digest_id = i64::from_be_bytes(payload[8..].try_into().ok()?);
    Some((subscriber_id, digest_id))
}

fn mac(key: &[u8], payload: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(payload);
    mac.finalize().into_bytes().to_vec()
}

pub fn url(state: &AppState, subscriber_id: i64, digest_id: i64) -> String {
    state.settings.link(&format!(
        "/unsubscribe/{}",
        sign(&state.keys.unsubscribe, subscriber_id, digest_id)
    ))
}

#[derive(Template)]
#[template(path = "pages/unsubscribed.html")]
struct UnsubscribedPage<'a> {
    newsletter: &'a str,
    token: &'a str,
}

#[derive(Template)]
#[template(path = "pages/link_invalid.html")]
struct InvalidPage<'a> {
    newsletter: &'a str,
    reason: &'a str,
}

fn invalid(state: &AppState) -> Response {
    let page = InvalidPage {
        newsletter: &state.settings.newsletter.name,
        reason: "We do not recognise this unsubscribe link.",
    };
    (StatusCode::NOT_FOUND, Page(page)).into_response()
}

/// 200 with a page, never a redirect: RFC 8058 clients POST and read only the status.
#[tracing::instrument(name = "unsubscribe", skip_all)]
pub async fn unsubscribe(
    State(state): State<AppState>,
    client: ClientInfo,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let Some((subscriber_id, digest_id)) = verify(&state.keys.unsubscribe, &token) else {
        return Ok(invalid(&state));
    };
    let now = db::now();
    let mut tx = state.db.begin().await?;
    if subscribers::mark_unsubscribed(&mut tx, subscriber_id, now).await? {
        consent::copy_latest_grant(
            &mut tx,
            subscriber_id,
            ConsentEvent::Withdrawn,
            &client,
            now,
        )
        .await?;
        delivery::cancel_pending_for(&mut tx, subscriber_id).await?;
        state.metrics.unsubscribes.inc();
        tracing::info!(subscriber_id, digest_id, "reader unsubscribed");
    }
    tx.commit().await?;
    Ok(Page(UnsubscribedPage {
        newsletter: &state.settings.newsletter.name,
        token: &token,
    })
    .into_response())
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/unsubscribe/{token}",
            get(preferences::page).post(unsubscribe),
        )
        .route("/unsubscribe/{token}/name", post(preferences::change_name))
        .route("/unsubscribe/{token}/data", post(preferences::request_data))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_token_verifies_and_a_forged_one_does_not() {
        let key = [7u8; 32];
        let token = sign(&key, 42, 9);
        assert_eq!(verify(&key, &token), Some((42, 9)));
        assert_eq!(verify(&[8u8; 32], &token), None, "another key");
        let mut bytes = URL_SAFE_NO_PAD.decode(&token).unwrap();
        bytes[7] = 43; // someone else's id, same tag
        assert_eq!(verify(&key, &URL_SAFE_NO_PAD.encode(bytes)), None);
        assert_eq!(verify(&key, "preview"), None);
    }
}
