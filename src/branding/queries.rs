//! The one row of `branding_settings`.

use sqlx::{AnyPool, Row};

use super::logo::{ImageKind, Logo};
use crate::db::{Millis, Tx};

/// What the Settings page saved; `None`: not set there (the configuration applies).
#[derive(Debug, Clone, Default)]
pub struct Saved {
    pub logo_url: Option<String>,
    pub accent_color: Option<String>,
    pub masthead: Option<String>,
    pub footer: Option<String>,
    pub site_url: Option<String>,
    pub logo: Option<Logo>,
    pub version: i64,
}

/// The text values a save writes, all at once.
pub struct TextValues<'a> {
    pub logo_url: &'a str,
    pub accent_color: &'a str,
    pub masthead: &'a str,
    pub footer: &'a str,
    pub site_url: &'a str,
}

pub async fn find_saved(pool: &AnyPool) -> sqlx::Result<Option<Saved>> {
    let Some(row) = sqlx::query(
        "select logo_url, accent_color, masthead, footer, site_url, logo_type, logo_data, version
         from branding_settings where id = 1",
    )
    .fetch_optional(pool)
    .await?
    else {
        return Ok(None);
    };
    let logo_type: Option<String> = row.try_get("logo_type")?;
    let logo_data: Option<Vec<u8>> = row.try_get("logo_data")?;
    let logo = match (
        logo_type.as_deref().and_then(ImageKind::from_content_type),
        logo_data,
    ) {
        (Some(kind), Some(bytes)) => Some(Logo { kind, bytes }),
        _ => None,
    };
    Ok(Some(Saved {
        logo_url: row.try_get("logo_url")?,
        accent_color: row.try_get("accent_color")?,
        masthead: row.try_get("masthead")?,
        footer: row.try_get("footer")?,
        site_url: row.try_get("site_url")?,
        logo,
        version: row.try_get("version")?,
    }))
}

/// The saved version; 0 when nothing was ever saved.
pub async fn get_version(pool: &AnyPool) -> sqlx::Result<i64> {
    Ok(
        sqlx::query_scalar("select version from branding_settings where id = 1")
            .fetch_optional(pool)
            .await?
            .unwrap_or(0),
    )
}

/// Saves the text values and bumps the version.
pub async fn save_text(tx: &mut Tx<'_>, values: &TextValues<'_>, now: Millis) -> sqlx::Result<()> {
    sqlx::query(
        "insert into branding_settings
           (id, logo_url, accent_color, masthead, footer, site_url, version, created_at, updated_at)
         values (1, $1, $2, $3, $4, $5, 1, $6, $6)
         on conflict (id) do update set
           logo_url = excluded.logo_url, accent_color = excluded.accent_color,
           masthead = excluded.masthead, footer = excluded.footer, site_url = excluded.site_url,
           version = branding_settings.version + 1, updated_at = excluded.updated_at",
    )
    .bind(values.logo_url)
    .bind(values.accent_color)
    .bind(values.masthead)
    .bind(values.footer)
    .bind(values.site_url)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Replaces (or with `None`, removes) the uploaded logo; the row exists (`save_text` first).
pub async fn set_logo(tx: &mut Tx<'_>, logo: Option<&Logo>) -> sqlx::Result<()> {
    sqlx::query("update branding_settings set logo_type = $1, logo_data = $2 where id = 1")
        .bind(logo.map(|l| l.kind.content_type()))
        .bind(logo.map(|l| l.bytes.clone()))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Forgets every saved value (the configuration applies again), keeping the row so that
/// the version still goes up and other instances notice.
pub async fn clear(tx: &mut Tx<'_>, now: Millis) -> sqlx::Result<()> {
    sqlx::query(
        "update branding_settings set logo_url = null, accent_color = null, masthead = null,
           footer = null, site_url = null, logo_type = null, logo_data = null,
           version = version + 1, updated_at = $1
         where id = 1",
    )
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
