//! SQL for `editors`, `api_tokens` and `editor_sessions`.

use sqlx::{AnyPool, Row};

use crate::db::{Millis, Tx};

/// False when an editor with this address exists (left as they are).
pub async fn insert_editor(
    pool: &AnyPool,
    email: &str,
    email_key: &str,
    hash: &str,
    now: Millis,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "insert into editors (email, email_key, password_hash, created_at) values ($1, $2, $3, $4)
         on conflict (email_key) do nothing",
    )
    .bind(email)
    .bind(email_key)
    .bind(hash)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The editor's id, or `None` when no editor has this address key.
pub async fn set_password(
    tx: &mut Tx<'_>,
    email_key: &str,
    hash: &str,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("update editors set password_hash = $2 where email_key = $1 returning id")
        .bind(email_key)
        .bind(hash)
        .fetch_optional(&mut **tx)
        .await
}

pub async fn delete_sessions_of(tx: &mut Tx<'_>, editor_id: i64) -> sqlx::Result<u64> {
    sqlx::query("delete from editor_sessions where editor_id = $1")
        .bind(editor_id)
        .execute(&mut **tx)
        .await
        .map(|done| done.rows_affected())
}

/// (id, password hash) of the editor with this address key.
pub async fn find_editor(pool: &AnyPool, email_key: &str) -> sqlx::Result<Option<(i64, String)>> {
    sqlx::query_as("select id, password_hash from editors where email_key = $1")
        .bind(email_key)
        .fetch_optional(pool)
        .await
}

pub async fn insert_token(
    pool: &AnyPool,
    name: &str,
    token_hash: &str,
    now: Millis,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "insert into api_tokens (name, token_hash, created_at) values ($1, $2, $3)
         on conflict (name) do nothing",
    )
    .bind(name)
    .bind(token_hash)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn revoke_token(pool: &AnyPool, name: &str, now: Millis) -> sqlx::Result<bool> {
    let done =
        sqlx::query("update api_tokens set revoked_at = $2 where name = $1 and revoked_at is null")
            .bind(name)
            .bind(now)
            .execute(pool)
            .await?;
    Ok(done.rows_affected() == 1)
}

pub struct TokenInfo {
    pub name: String,
    pub created_at: Millis,
    pub last_used_at: Option<Millis>,
    pub revoked_at: Option<Millis>,
}

pub async fn list_tokens(pool: &AnyPool) -> sqlx::Result<Vec<TokenInfo>> {
    let rows = sqlx::query(
        "select name, created_at, last_used_at, revoked_at from api_tokens order by name",
    )
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(TokenInfo {
                name: row.try_get("name")?,
                created_at: row.try_get("created_at")?,
                last_used_at: row.try_get("last_used_at")?,
                revoked_at: row.try_get("revoked_at")?,
            })
        })
        .collect()
}

/// A live token: (id, name, last used).
pub async fn find_live_token(
    pool: &AnyPool,
    token_hash: &str,
) -> sqlx::Result<Option<(i64, String, Option<Millis>)>> {
    sqlx::query_as(
        "select id, name, last_used_at from api_tokens where token_hash = $1 and revoked_at is null",
    )
    .bind(token_hash)
    .fetch_optional(pool)
    .await
}

/// Notes a token's use, unless a use at most `since` ago was noted already.
pub async fn note_token_use(
    pool: &AnyPool,
    id: i64,
    now: Millis,
    since: Millis,
) -> sqlx::Result<()> {
    sqlx::query(
        "update api_tokens set last_used_at = $2
         where id = $1 and (last_used_at is null or last_used_at < $3)",
    )
    .bind(id)
    .bind(now)
    .bind(now - since)
    .execute(pool)
    .await
    .map(|_| ())
}

pub async fn insert_session(
    pool: &AnyPool,
    token_hash: &str,
    editor_id: i64,
    csrf: &str,
    now: Millis,
    expires_at: Millis,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into editor_sessions (token_hash, editor_id, csrf_token, created_at, expires_at)
         values ($1, $2, $3, $4, $5)",
    )
    .bind(token_hash)
    .bind(editor_id)
    .bind(csrf)
    .bind(now)
    .bind(expires_at)
    .execute(pool)
    .await
    .map(|_| ())
}

/// (editor email, CSRF token) of a live session.
pub async fn find_session(
    pool: &AnyPool,
    token_hash: &str,
    now: Millis,
) -> sqlx::Result<Option<(String, String)>> {
    sqlx::query_as(
        "select e.email, s.csrf_token from editor_sessions s join editors e on e.id = s.editor_id
         where s.token_hash = $1 and s.expires_at > $2",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(pool)
    .await
}

pub async fn delete_session(pool: &AnyPool, token_hash: &str, now: Millis) -> sqlx::Result<()> {
    // Expired sessions of anyone go too: logging out is a good moment to tidy up.
    sqlx::query("delete from editor_sessions where token_hash = $1 or expires_at <= $2")
        .bind(token_hash)
        .bind(now)
        .execute(pool)
        .await
        .map(|_| ())
}
