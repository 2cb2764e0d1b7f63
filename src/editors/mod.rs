//! Editors: API tokens for scripts, and logins (and their sessions) for people using the
//! editors' pages, which live with the domain each shows.

mod auth;
mod pages;
mod passwords;
mod queries;

use axum::Router;
use axum::routing::{get, post};

use crate::db::{self, Db};
use crate::state::AppState;
use crate::subscribers::EmailAddress;
use crate::token;

pub use auth::{ApiClient, EditorSession};
pub use pages::CsrfForm;

#[derive(Debug, thiserror::Error)]
pub enum EditorError {
    #[error("a token named {0:?} already exists; revoke it or choose another name")]
    TokenExists(String),
    #[error("no active token is named {0:?}")]
    NoSuchToken(String),
    #[error("token names are 1 to 64 letters, digits, '-', '_' or '.'")]
    BadTokenName,
    #[error("{0}")]
    BadEmail(&'static str),
    #[error("the password must be at least {} characters", passwords::MIN_LENGTH)]
    WeakPassword,
    #[error(
        "an editor {0} already exists; to give them a new password, run \
         `tidings editor password --email {0}`"
    )]
    EditorExists(String),
    #[error("no editor has the address {0}; `tidings editor create --email {0}` adds one")]
    NoSuchEditor(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

/// Makes a new API token and returns it; only its hash is stored.
pub async fn create_token(db: &Db, name: &str) -> Result<String, EditorError> {
    let valid = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
    if !valid {
        return Err(EditorError::BadTokenName);
    }
    let raw = format!("tdg_{}", token::generate());
    if !queries::insert_token(&db.pool, name, &token::hash(&raw), db::now()).await? {
        return Err(EditorError::TokenExists(name.to_string()));
    }
    Ok(raw)
}

pub async fn revoke_token(db: &Db, name: &str) -> Result<(), EditorError> {
    if queries::revoke_token(&db.pool, name, db::now()).await? {
        Ok(())
    } else {
        Err(EditorError::NoSuchToken(name.to_string()))
    }
}

/// Whether any API token can still be used.
pub async fn has_live_token(db: &Db) -> Result<bool, EditorError> {
    Ok(queries::list_tokens(&db.pool)
        .await?
        .iter()
        .any(|t| t.revoked_at.is_none()))
}

/// One line per token: name, created, last used, revoked.
pub async fn list_tokens(db: &Db) -> Result<Vec<String>, EditorError> {
    let time = |t: Option<i64>| t.map_or("-".to_string(), crate::db::format_time);
    Ok(queries::list_tokens(&db.pool)
        .await?
        .into_iter()
        .map(|t| {
            let state = if t.revoked_at.is_some() {
                "revoked"
            } else {
                "active"
            };
            format!(
                "{}\t{state}\tcreated {}\tlast used {}",
                t.name,
                crate::db::format_time(t.created_at),
                time(t.last_used_at)
            )
        })
        .collect())
}

/// Creates an editor; an existing one is refused, never silently given a new password.
pub async fn create_editor(db: &Db, email: &str, password: &str) -> Result<(), EditorError> {
    let (email, hash) = credentials(email, password)?;
    if !queries::insert_editor(&db.pool, email.as_str(), email.key(), &hash, db::now()).await? {
        return Err(EditorError::EditorExists(email.as_str().to_string()));
    }
    Ok(())
}

/// Gives an editor a new password and ends every session they have, so that whoever held
/// the old one (or a cookie made with it) is logged out. Returns how many sessions ended.
pub async fn change_password(db: &Db, email: &str, password: &str) -> Result<u64, EditorError> {
    let (email, hash) = credentials(email, password)?;
    let mut tx = db.begin().await?;
    let Some(editor_id) = queries::set_password(&mut tx, email.key(), &hash).await? else {
        return Err(EditorError::NoSuchEditor(email.as_str().to_string()));
    };
    let ended = queries::delete_sessions_of(&mut tx, editor_id).await?;
    tx.commit().await?;
    tracing::info!(editor_id, ended, "editor password changed; sessions ended");
    Ok(ended)
}

fn credentials(email: &str, password: &str) -> Result<(EmailAddress, String), EditorError> {
    let email = EmailAddress::parse(email, false).map_err(EditorError::BadEmail)?;
    if password.chars().count() < passwords::MIN_LENGTH {
        return Err(EditorError::WeakPassword);
    }
    Ok((email, passwords::hash(password)?))
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/editor/login", get(pages::login_page).post(pages::login))
        .route("/editor/logout", post(pages::logout))
}
