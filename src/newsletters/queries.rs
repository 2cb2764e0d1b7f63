//! SQL for `newsletters`.

use std::time::Duration;

use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

use super::{Cadence, Newsletter, NewsletterError};
use crate::config::Settings;
use crate::db::{Millis, Tx};
use crate::topics;

const COLUMNS: &str = "id, slug, name, description, schedule, timezone, max_articles, subject,
    topics, from_name, cadences, send_hour, weekly_day, instant_min_interval_ms,
    welcome_subject, welcome_body, list_id, is_default";

fn from_row(row: &AnyRow) -> sqlx::Result<Newsletter> {
    let cadences: String = row.try_get("cadences")?;
    let interval: i64 = row.try_get("instant_min_interval_ms")?;
    let is_default: i64 = row.try_get("is_default")?;
    Ok(Newsletter {
        id: row.try_get("id")?,
        slug: row.try_get("slug")?,
        name: row.try_get("name")?,
        description: row.try_get("description")?,
        schedule: row.try_get("schedule")?,
        timezone: row.try_get("timezone")?,
        max_articles: row.try_get("max_articles")?,
        subject: row.try_get("subject")?,
        topics: topics::split(&row.try_get::<String, _>("topics")?),
        from_name: row.try_get("from_name")?,
        cadences: cadences
            .split_whitespace()
            .filter_map(Cadence::parse)
            .collect(),
        send_hour: row.try_get("send_hour")?,
        weekly_day: row.try_get("weekly_day")?,
        instant_min_interval: Duration::from_millis(interval.max(0) as u64),
        welcome_subject: row.try_get("welcome_subject")?,
        welcome_body: row.try_get("welcome_body")?,
        list_id: row.try_get("list_id")?,
        is_default: is_default == 1,
    })
}

/// Every newsletter, the default first.
pub async fn list<'e, E>(executor: E) -> sqlx::Result<Vec<Newsletter>>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query(&format!(
        "select {COLUMNS} from newsletters order by is_default desc, name, id"
    ))
    .fetch_all(executor)
    .await?
    .iter()
    .map(from_row)
    .collect()
}

pub async fn find_by_slug(pool: &AnyPool, slug: &str) -> sqlx::Result<Option<Newsletter>> {
    sqlx::query(&format!(
        "select {COLUMNS} from newsletters where slug = $1"
    ))
    .bind(slug)
    .fetch_optional(pool)
    .await?
    .as_ref()
    .map(from_row)
    .transpose()
}

/// The newsletter `slug` names, or the default one when none is named (a blank slug names
/// none); `None`: no newsletter has that slug.
pub async fn find_named(pool: &AnyPool, slug: Option<&str>) -> sqlx::Result<Option<Newsletter>> {
    match slug.map(str::trim).filter(|s| !s.is_empty()) {
        None => find_default(pool).await.map(Some),
        Some(slug) => find_by_slug(pool, slug).await,
    }
}

pub async fn find<'e, E>(executor: E, id: i64) -> sqlx::Result<Option<Newsletter>>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query(&format!("select {COLUMNS} from newsletters where id = $1"))
        .bind(id)
        .fetch_optional(executor)
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

pub async fn find_default<'e, E>(executor: E) -> sqlx::Result<Newsletter>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query(&format!(
        "select {COLUMNS} from newsletters where is_default = 1"
    ))
    .fetch_one(executor)
    .await
    .and_then(|row| from_row(&row))
}

fn cadences_text(newsletter: &Newsletter) -> String {
    newsletter
        .cadences
        .iter()
        .map(|c| c.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

fn is_unique_violation(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(db) if db.is_unique_violation())
}

/// The editable fields as $1..$15, in the order `FIELDS` names them.
const FIELDS: [&str; 15] = [
    "slug",
    "name",
    "description",
    "schedule",
    "timezone",
    "max_articles",
    "subject",
    "topics",
    "from_name",
    "cadences",
    "send_hour",
    "weekly_day",
    "instant_min_interval_ms",
    "welcome_subject",
    "welcome_body",
];

fn bind_fields<'q, O>(
    query: sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>>,
    newsletter: &'q Newsletter,
) -> sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>> {
    query
        .bind(&newsletter.slug)
        .bind(&newsletter.name)
        .bind(&newsletter.description)
        .bind(&newsletter.schedule)
        .bind(&newsletter.timezone)
        .bind(newsletter.max_articles)
        .bind(&newsletter.subject)
        .bind(topics::join(&newsletter.topics))
        .bind(&newsletter.from_name)
        .bind(cadences_text(newsletter))
        .bind(newsletter.send_hour)
        .bind(newsletter.weekly_day)
        .bind(newsletter.instant_min_interval.as_millis() as i64)
        .bind(&newsletter.welcome_subject)
        .bind(&newsletter.welcome_body)
}

fn slug_taken(newsletter: &Newsletter) -> impl FnOnce(sqlx::Error) -> NewsletterError + '_ {
    move |err| {
        if is_unique_violation(&err) {
            NewsletterError::SlugTaken(newsletter.slug.clone())
        } else {
            err.into()
        }
    }
}

pub async fn insert(
    pool: &AnyPool,
    newsletter: &Newsletter,
    now: Millis,
) -> Result<Newsletter, NewsletterError> {
    let sql = format!(
        "insert into newsletters ({}, list_id, is_default, edited_at, created_at, updated_at)
         values ({}, $1, 0, $16, $16, $16)
         returning id",
        FIELDS.join(", "),
        crate::db::placeholders(1, FIELDS.len())
    );
    let (id,): (i64,) = bind_fields(sqlx::query_as(&sql), newsletter)
        .bind(now)
        .fetch_one(pool)
        .await
        .map_err(slug_taken(newsletter))?;
    find(pool, id).await?.ok_or(NewsletterError::NotFound)
}

/// An editor's change: from now on the row, not the config, is the newsletter.
pub async fn update(
    pool: &AnyPool,
    newsletter: &Newsletter,
    now: Millis,
) -> Result<(), NewsletterError> {
    let set: Vec<String> = FIELDS
        .iter()
        .enumerate()
        .map(|(i, field)| format!("{field} = ${}", i + 1))
        .collect();
    let sql = format!(
        "update newsletters set {}, edited_at = $16, updated_at = $16 where id = $17
         returning id",
        set.join(", ")
    );
    let _: Option<(i64,)> = bind_fields(sqlx::query_as(&sql), newsletter)
        .bind(now)
        .bind(newsletter.id)
        .fetch_optional(pool)
        .await
        .map_err(slug_taken(newsletter))?;
    Ok(())
}

/// How many digests the newsletter has made (one that has any cannot be deleted).
pub async fn count_digests(pool: &AnyPool, newsletter_id: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar("select count(*) from digests where newsletter_id = $1")
        .bind(newsletter_id)
        .fetch_one(pool)
        .await
}

/// Deletes a newsletter that never sent a digest (its readers' subscriptions go with it).
pub async fn delete(tx: &mut Tx<'_>, newsletter: &Newsletter) -> Result<(), NewsletterError> {
    if newsletter.is_default {
        return Err(NewsletterError::DefaultStays);
    }
    let digests: i64 = sqlx::query_scalar("select count(*) from digests where newsletter_id = $1")
        .bind(newsletter.id)
        .fetch_one(&mut **tx)
        .await?;
    if digests > 0 {
        return Err(NewsletterError::HasDigests);
    }
    sqlx::query("delete from digest_slots where newsletter_id = $1")
        .bind(newsletter.id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("delete from newsletters where id = $1")
        .bind(newsletter.id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// At start: the default newsletter takes the config's values, unless an editor has changed
/// it (then the editor's values stand, and the log says so).
pub async fn follow_config(pool: &AnyPool, settings: &Settings, now: Millis) -> sqlx::Result<()> {
    let newsletter = &settings.newsletter;
    let digest = &settings.digest;
    let done = sqlx::query(
        "update newsletters set name = $1, description = $2, schedule = $3, timezone = $4,
             max_articles = $5, subject = $6, updated_at = $7
         where is_default = 1 and edited_at is null",
    )
    .bind(&newsletter.name)
    .bind(&newsletter.description)
    .bind(&digest.schedule)
    .bind(&digest.timezone)
    .bind(i64::from(digest.max_articles))
    .bind(&digest.subject)
    .bind(now)
    .execute(pool)
    .await?;
    if done.rows_affected() == 0 {
        tracing::info!(
            "the default newsletter was changed by an editor: its name, schedule and subject \
             come from the database, not from [newsletter] and [digest] in the config"
        );
    }
    Ok(())
}
