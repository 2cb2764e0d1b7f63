//! SQL for `editors`, `api_tokens` and `editor_sessions`.

use sqlx::{AnyPool, Row};

use crate::db::Millis;

pub async fn insert_editor(
    pool: &AnyPool,
    email: &str,
    email_key: &str,
    hash: &str,
    now: Millis,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into editors (email, email_key, password_hash, created_at) values ($1, $2, $3, $4)
         on conflict (email_key) do update set password_hash = excluded.password_hash",
    )
    .bind(email)
    .bind(email_key)
    .bind(hash)
    .bind(now)
    .execute(pool)
    .await
    .map(|_| ())
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

/// Finds a live token by hash and notes its use; returns its name.
pub async fn use_token(
    pool: &AnyPool,
    token_hash: &str,
    now: Millis,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(
        "update api_tokens set last_used_at = $2 where token_hash = $1 and revoked_at is null
         returning name",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(pool)
    .await
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
