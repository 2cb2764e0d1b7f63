//! Keys the service makes for itself on first start and keeps in the database, so that a
//! newcomer configures nothing and every instance on one database agrees on them.

use rand::RngCore;

use crate::db::{self, Db};

/// The named 256-bit key, created on first use.
pub async fn key(db: &Db, name: &str) -> sqlx::Result<Vec<u8>> {
    let mut fresh = [0u8; 32];
    rand::rng().fill_bytes(&mut fresh);
    // Two instances starting at once both insert; the first wins and both read its key.
    sqlx::query(
        "insert into app_secrets (name, value, created_at) values ($1, $2, $3)
         on conflict (name) do nothing",
    )
    .bind(name)
    .bind(hex::encode(fresh))
    .bind(db::now())
    .execute(&db.pool)
    .await?;
    let stored: String = sqlx::query_scalar("select value from app_secrets where name = $1")
        .bind(name)
        .fetch_one(&db.pool)
        .await?;
    hex::decode(stored).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}
