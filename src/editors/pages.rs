//! Logging in and out of the editors' pages. The pages themselves live with what they show
//! (articles, digests, readers, embed); every state-changing form carries the CSRF token.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use serde::Deserialize;

use super::auth::{EditorSession, SESSION_COOKIE};
use super::{passwords, queries};
use crate::consent::ClientInfo;
use crate::db::{self, Millis};
use crate::error::AppResult;
use crate::state::AppState;
use crate::subscribers::EmailAddress;
use crate::token;
use crate::web::extract::PageForm;
use crate::web::page::Page;

#[derive(Template)]
#[template(path = "editor/login.html")]
struct LoginPage<'a> {
    newsletter: &'a str,
    email: &'a str,
    error: Option<&'a str>,
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

pub async fn login_page(State(state): State<AppState>) -> Response {
    Page(LoginPage {
        newsletter: &state.settings.newsletter.name,
        email: "",
        error: None,
    })
    .into_response()
}

#[tracing::instrument(name = "editor_login", skip_all)]
pub async fn login(
    State(state): State<AppState>,
    client: ClientInfo,
    jar: CookieJar,
    PageForm(form): PageForm<LoginForm>,
) -> AppResult<Response> {
    let refuse = |status: StatusCode, error: &str| {
        let page = LoginPage {
            newsletter: &state.settings.newsletter.name,
            email: &form.email,
            error: Some(error),
        };
        Ok((status, Page(page)).into_response())
    };
    if !state.login_limiter.allow(client.ip) {
        return refuse(
            StatusCode::TOO_MANY_REQUESTS,
            "Too many login attempts. Please wait a minute and try again.",
        );
    }
    let key = EmailAddress::parse(&form.email, false)
        .map(|e| e.key().to_string())
        .unwrap_or_default();
    let editor = queries::find_editor(&state.db.pool, &key).await?;
    let (editor_id, stored) = match &editor {
        Some((id, hash)) => (Some(*id), hash.clone()),
        None => (None, passwords::dummy_hash().to_string()),
    };
    // Argon2 is deliberately slow: keep it off the async workers.
    let password = form.password.clone();
    let verified = tokio::task::spawn_blocking(move || passwords::verify(&password, &stored))
        .await
        .map_err(anyhow::Error::from)?;
    let Some(editor_id) = editor_id.filter(|_| verified) else {
        tracing::warn!("editor login refused");
        return refuse(StatusCode::UNAUTHORIZED, "Wrong email address or password.");
    };

    let now = db::now();
    let session = token::generate();
    let csrf = token::generate();
    let expires_at = now + state.settings.editor.session_ttl.as_millis() as Millis;
    queries::insert_session(
        &state.db.pool,
        &token::hash(&session),
        editor_id,
        &csrf,
        now,
        expires_at,
    )
    .await?;
    // A browser-session cookie; the server ends the session after `editor.session_ttl`.
    let cookie = Cookie::build((SESSION_COOKIE, session))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.settings.server.public_url.scheme() == "https")
        .build();
    tracing::info!(editor_id, "editor logged in");
    Ok((jar.add(cookie), Redirect::to("/editor")).into_response())
}

#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    pub csrf: String,
}

pub async fn logout(
    State(state): State<AppState>,
    session: EditorSession,
    jar: CookieJar,
    PageForm(form): PageForm<CsrfForm>,
) -> AppResult<Response> {
    session.check_csrf(&form.csrf)?;
    if let Some(cookie) = jar.get(SESSION_COOKIE) {
        queries::delete_session(&state.db.pool, &token::hash(cookie.value()), db::now()).await?;
    }
    let jar = jar.remove(Cookie::build(SESSION_COOKIE).path("/"));
    Ok((jar, Redirect::to("/editor/login")).into_response())
}
