//! SQL for `subscribers` and `confirmation_tokens`.

use std::collections::HashMap;

use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

use super::SubscriptionStatus;
use crate::config::PolicySettings;
use crate::consent;
use crate::db::{self, Millis, Tx, format_time};
use crate::i18n::Locale;

/// A reader a signup must not change: confirmed, and mail reaches them.
const LOCKED: &str = "subscribers.status = 'confirmed' and subscribers.bounced_at is null";

/// A reader as a signup writes them.
pub struct PendingReader<'a> {
    pub email: &'a str,
    pub email_key: &'a str,
    pub name: Option<&'a str>,
    pub locale: Locale,
}

/// Creates pending subscribers, or refreshes existing ones: pending, unsubscribed and
/// bounced readers become pending again with the address and name as now typed, while a
/// confirmed reader is left exactly as they are (a stranger must not be able to change them).
/// A batch of signups in one statement, each address at most once (a statement cannot change
/// a row twice); returns each reader's id and status by address key.
pub async fn upsert_pending(
    tx: &mut Tx<'_>,
    readers: &[PendingReader<'_>],
    now: Millis,
) -> sqlx::Result<HashMap<String, (i64, SubscriptionStatus)>> {
    if readers.is_empty() {
        return Ok(HashMap::new());
    }
    let values = db::tuples(2, readers.len(), 4, |own| {
        format!(
            "({}, {}, {}, 'pending', $1, $1, {})",
            own[0], own[1], own[2], own[3]
        )
    });
    let sql = format!(
        "insert into subscribers (email, email_key, name, status, created_at, updated_at, locale)
         values {values}
         on conflict (email_key) do update set
             email = case when {LOCKED} then subscribers.email else excluded.email end,
             name = case when {LOCKED} then subscribers.name
                         else coalesce(excluded.name, subscribers.name) end,
             locale = case when {LOCKED} then subscribers.locale else excluded.locale end,
             updated_at = case when {LOCKED} then subscribers.updated_at else excluded.updated_at end,
             status = case when {LOCKED} then 'confirmed' else 'pending' end
         returning id, status, email_key"
    );
    let mut query = sqlx::query(&sql).bind(now);
    for reader in readers {
        query = query
            .bind(reader.email)
            .bind(reader.email_key)
            .bind(reader.name)
            .bind(reader.locale.tag());
    }
    let mut upserted = HashMap::with_capacity(readers.len());
    for row in query.fetch_all(&mut **tx).await? {
        let status = SubscriptionStatus::from_db(row.try_get("status")?)?;
        upserted.insert(row.try_get("email_key")?, (row.try_get("id")?, status));
    }
    Ok(upserted)
}

/// Pending -> confirmed. Returns false when the reader was not pending.
pub async fn mark_confirmed(
    tx: &mut Tx<'_>,
    subscriber_id: i64,
    now: Millis,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "update subscribers set status = 'confirmed', confirmed_at = $2, updated_at = $2,
             bounced_at = null
         where id = $1 and status = 'pending'",
    )
    .bind(subscriber_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub struct Recipient {
    pub email: String,
    pub name: Option<String>,
    pub status: SubscriptionStatus,
    pub link_secret: String,
    /// The locale their emails are written in.
    pub locale: Locale,
}

pub async fn find_recipient(pool: &AnyPool, subscriber_id: i64) -> sqlx::Result<Option<Recipient>> {
    let row = sqlx::query(
        "select email, name, status, link_secret, locale from subscribers where id = $1",
    )
    .bind(subscriber_id)
    .fetch_optional(pool)
    .await?;
    row.as_ref().map(recipient).transpose()
}

/// Several readers at once (a batch of confirmations), by id; ids of readers gone are missing.
pub async fn find_recipients(
    pool: &AnyPool,
    subscriber_ids: &[i64],
) -> sqlx::Result<HashMap<i64, Recipient>> {
    if subscriber_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!(
        "select id, email, name, status, link_secret, locale from subscribers where id in ({})",
        db::placeholders(1, subscriber_ids.len())
    );
    let mut query = sqlx::query(&sql);
    for id in subscriber_ids {
        query = query.bind(id);
    }
    let mut found = HashMap::with_capacity(subscriber_ids.len());
    for row in query.fetch_all(pool).await? {
        found.insert(row.try_get("id")?, recipient(&row)?);
    }
    Ok(found)
}

fn recipient(row: &AnyRow) -> sqlx::Result<Recipient> {
    Ok(Recipient {
        email: row.try_get("email")?,
        name: row.try_get("name")?,
        status: SubscriptionStatus::from_db(row.try_get("status")?)?,
        link_secret: row.try_get("link_secret")?,
        locale: Locale::from_stored(&row.try_get::<String, _>("locale")?),
    })
}

/// The secret in the signature of the reader's links, while the reader exists.
pub async fn find_link_secret(pool: &AnyPool, subscriber_id: i64) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("select link_secret from subscribers where id = $1")
        .bind(subscriber_id)
        .fetch_optional(pool)
        .await
}

/// Stores confirmation links (their hashes, each with its reader) in one statement.
pub async fn insert_tokens(
    tx: &mut Tx<'_>,
    tokens: &[(String, i64)],
    now: Millis,
    expires_at: Millis,
) -> sqlx::Result<()> {
    if tokens.is_empty() {
        return Ok(());
    }
    let values = db::tuples(3, tokens.len(), 2, |own| {
        format!("({}, {}, $1, $2)", own[0], own[1])
    });
    let sql = format!(
        "insert into confirmation_tokens (token_hash, subscriber_id, created_at, expires_at)
         values {values}"
    );
    let mut query = sqlx::query(&sql).bind(now).bind(expires_at);
    for (token_hash, subscriber_id) in tokens {
        query = query.bind(token_hash).bind(subscriber_id);
    }
    query.execute(&mut **tx).await.map(|_| ())
}

pub struct TokenRow {
    pub expires_at: Millis,
    pub used_at: Option<Millis>,
    /// Whether the reader it was made for is subscribed now, to everything they asked for
    /// (through this link or another).
    pub reader_confirmed: bool,
    /// The language of the reader it was made for.
    pub locale: Locale,
}

pub async fn find_token(pool: &AnyPool, token_hash: &str) -> sqlx::Result<Option<TokenRow>> {
    let row = sqlx::query(
        "select t.expires_at, t.used_at, s.status, s.locale,
                (select count(*) from subscriptions p
                 where p.subscriber_id = s.id and p.status = 'pending') as pending
         from confirmation_tokens t
         join subscribers s on s.id = t.subscriber_id where t.token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(pool)
    .await?;
    row.map(|row| {
        Ok(TokenRow {
            expires_at: row.try_get("expires_at")?,
            used_at: row.try_get("used_at")?,
            reader_confirmed: row.try_get::<String, _>("status")? == "confirmed"
                && row.try_get::<i64, _>("pending")? == 0,
            locale: Locale::from_stored(row.try_get("locale")?),
        })
    })
    .transpose()
}

/// Uses a live token. At most one caller wins a given token; the others get `None`.
pub async fn use_token(
    tx: &mut Tx<'_>,
    token_hash: &str,
    now: Millis,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(
        "update confirmation_tokens set used_at = $2
         where token_hash = $1 and used_at is null and expires_at > $2
         returning subscriber_id",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(&mut **tx)
    .await
}

/// Once a reader is confirmed, their other outstanding links have nothing left to do.
pub async fn retire_tokens(tx: &mut Tx<'_>, subscriber_id: i64, now: Millis) -> sqlx::Result<()> {
    sqlx::query(
        "update confirmation_tokens set used_at = $2 where subscriber_id = $1 and used_at is null",
    )
    .bind(subscriber_id)
    .bind(now)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// What delivery needs to know of a reader.
pub struct Reader {
    pub email: String,
    pub name: Option<String>,
    pub link_secret: String,
    /// Confirmed, and mail has not bounced.
    pub deliverable: bool,
    /// Their next email tells them of the current policy versions (`consent::NOTICE_DUE`).
    pub policy_notice_due: bool,
}

pub async fn find_readers(
    pool: &AnyPool,
    ids: &[i64],
    policy: &PolicySettings,
) -> sqlx::Result<HashMap<i64, Reader>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let placeholders = db::placeholders(3, ids.len());
    let sql = format!(
        "select s.id, s.email, s.name, s.link_secret, s.status, s.bounced_at, {} as notice_due
         from subscribers s where s.id in ({placeholders})",
        consent::NOTICE_DUE
    );
    let mut query = sqlx::query(&sql)
        .bind(&policy.privacy_version)
        .bind(&policy.terms_version);
    for id in ids {
        query = query.bind(id);
    }
    let rows = query.fetch_all(pool).await?;
    rows.iter()
        .map(|row| {
            let status: String = row.try_get("status")?;
            let bounced: Option<Millis> = row.try_get("bounced_at")?;
            let reader = Reader {
                email: row.try_get("email")?,
                name: row.try_get("name")?,
                link_secret: row.try_get("link_secret")?,
                deliverable: status == "confirmed" && bounced.is_none(),
                policy_notice_due: row.try_get::<i64, _>("notice_due")? == 1,
            };
            Ok((row.try_get("id")?, reader))
        })
        .collect()
}

/// The reader's server said the address does not exist: no more digests until they
/// confirm again.
pub async fn mark_bounced(
    conn: &mut sqlx::AnyConnection,
    subscriber_id: i64,
    now: Millis,
) -> sqlx::Result<()> {
    sqlx::query("update subscribers set bounced_at = $2 where id = $1")
        .bind(subscriber_id)
        .bind(now)
        .execute(conn)
        .await
        .map(|_| ())
}

/// Returns false when the reader had already left.
pub async fn mark_unsubscribed(
    tx: &mut Tx<'_>,
    subscriber_id: i64,
    now: Millis,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "update subscribers set status = 'unsubscribed', updated_at = $2
         where id = $1 and status <> 'unsubscribed'",
    )
    .bind(subscriber_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    super::subscriptions::leave_all(tx, subscriber_id, now).await?;
    Ok(done.rows_affected() == 1)
}

/// A reader as editors and exports see them. Times are RFC 3339, UTC.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Profile {
    pub id: i64,
    /// As the reader typed it.
    pub email: String,
    pub name: Option<String>,
    /// `pending`, `confirmed` or `unsubscribed`.
    #[schema(example = "confirmed")]
    pub status: &'static str,
    /// When they first signed up.
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub updated_at: String,
    #[schema(format = DateTime)]
    pub confirmed_at: Option<String>,
    /// When their address last bounced for good; no digest goes there until they confirm again.
    #[schema(format = DateTime)]
    pub bounced_at: Option<String>,
    /// The language of their emails and pages, e.g. `de`.
    #[schema(value_type = String, example = "de")]
    pub locale: Locale,
}

const PROFILE_COLUMNS: &str =
    "id, email, name, status, created_at, updated_at, confirmed_at, bounced_at, locale";

fn profile(row: &sqlx::any::AnyRow) -> sqlx::Result<Profile> {
    let time = |column: &str| -> sqlx::Result<Option<String>> {
        Ok(row.try_get::<Option<Millis>, _>(column)?.map(format_time))
    };
    Ok(Profile {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        name: row.try_get("name")?,
        status: SubscriptionStatus::from_db(row.try_get("status")?)?.as_str(),
        created_at: format_time(row.try_get("created_at")?),
        updated_at: format_time(row.try_get("updated_at")?),
        confirmed_at: time("confirmed_at")?,
        bounced_at: time("bounced_at")?,
        locale: Locale::from_stored(row.try_get("locale")?),
    })
}

/// Which readers a listing or export takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    Any,
    Is(SubscriptionStatus),
    /// Mail to them bounced (whatever their status).
    Bounced,
}

impl StatusFilter {
    pub fn parse(value: Option<&str>) -> Result<StatusFilter, &'static str> {
        match value {
            None | Some("") | Some("all") => Ok(StatusFilter::Any),
            Some("bounced") => Ok(StatusFilter::Bounced),
            Some(other) => SubscriptionStatus::from_db(other.to_string())
                .map(StatusFilter::Is)
                .map_err(|_| "one of pending, confirmed, unsubscribed, bounced, all"),
        }
    }

    fn clause(self) -> &'static str {
        match self {
            StatusFilter::Any => "",
            StatusFilter::Is(SubscriptionStatus::Pending) => " and status = 'pending'",
            StatusFilter::Is(SubscriptionStatus::Confirmed) => " and status = 'confirmed'",
            StatusFilter::Is(SubscriptionStatus::Unsubscribed) => " and status = 'unsubscribed'",
            StatusFilter::Bounced => " and bounced_at is not null",
        }
    }
}

/// Up to `limit` readers with ids above `after`, in id order; `prefix` (already lower-case)
/// matches the start of the address.
pub async fn page(
    pool: &AnyPool,
    filter: StatusFilter,
    prefix: Option<&str>,
    after: i64,
    limit: i64,
) -> sqlx::Result<Vec<Profile>> {
    let search = if prefix.is_some() {
        " and substr(email_key, 1, length($3)) = $3"
    } else {
        ""
    };
    let sql = format!(
        "select {PROFILE_COLUMNS} from subscribers where id > $1{}{search} order by id limit $2",
        filter.clause()
    );
    let mut query = sqlx::query(&sql).bind(after).bind(limit);
    if let Some(prefix) = prefix {
        query = query.bind(prefix);
    }
    query.fetch_all(pool).await?.iter().map(profile).collect()
}

pub async fn find_profile(pool: &AnyPool, id: i64) -> sqlx::Result<Option<Profile>> {
    let sql = format!("select {PROFILE_COLUMNS} from subscribers where id = $1");
    sqlx::query(&sql)
        .bind(id)
        .fetch_optional(pool)
        .await?
        .as_ref()
        .map(profile)
        .transpose()
}

pub async fn find_email(tx: &mut Tx<'_>, id: i64) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("select email from subscribers where id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
}

pub async fn exists(tx: &mut Tx<'_>, id: i64) -> sqlx::Result<bool> {
    let found: Option<i64> = sqlx::query_scalar("select id from subscribers where id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(found.is_some())
}

/// A reader who may be sent a fresh link to their page: confirmed or left, and mail to
/// them does not bounce. (Never a pending address: that would mail someone who never
/// confirmed.)
pub async fn find_id_for_link(tx: &mut Tx<'_>, email_key: &str) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(
        "select id from subscribers
         where email_key = $1 and status in ('confirmed', 'unsubscribed') and bounced_at is null",
    )
    .bind(email_key)
    .fetch_optional(&mut **tx)
    .await
}

pub async fn find_id_by_key(tx: &mut Tx<'_>, email_key: &str) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("select id from subscribers where email_key = $1")
        .bind(email_key)
        .fetch_optional(&mut **tx)
        .await
}

/// Deletes the reader; their consent log, tokens, outbox rows and notices go with them (the
/// foreign keys cascade). Their delivery rows must have lost their id first
/// (`delivery::forget_reader`).
pub async fn delete(tx: &mut Tx<'_>, id: i64) -> sqlx::Result<bool> {
    let done = sqlx::query("delete from subscribers where id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Retention: readers who never confirmed and have not signed up again since `before`.
pub async fn delete_stale_pending(pool: &AnyPool, before: Millis) -> sqlx::Result<u64> {
    let done = sqlx::query(
        "delete from subscribers
         where status = 'pending' and confirmed_at is null and updated_at < $1",
    )
    .bind(before)
    .execute(pool)
    .await?;
    Ok(done.rows_affected())
}

pub async fn set_name(
    pool: &AnyPool,
    id: i64,
    name: Option<&str>,
    now: Millis,
) -> sqlx::Result<bool> {
    let done = sqlx::query("update subscribers set name = $2, updated_at = $3 where id = $1")
        .bind(id)
        .bind(name)
        .bind(now)
        .execute(pool)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The language of the reader's emails and pages, as they chose it on their page.
pub async fn set_locale(
    pool: &AnyPool,
    id: i64,
    locale: Locale,
    now: Millis,
) -> sqlx::Result<bool> {
    let done = sqlx::query("update subscribers set locale = $2, updated_at = $3 where id = $1")
        .bind(id)
        .bind(locale.tag())
        .bind(now)
        .execute(pool)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// A reader an import found already on the list.
pub struct Existing {
    pub id: i64,
    pub name: Option<String>,
    pub status: SubscriptionStatus,
    pub bounced: bool,
}

pub async fn existing_among(
    tx: &mut Tx<'_>,
    keys: &[&str],
) -> sqlx::Result<HashMap<String, Existing>> {
    if keys.is_empty() {
        return Ok(HashMap::new());
    }
    let placeholders = db::placeholders(1, keys.len());
    let sql = format!(
        "select id, email_key, name, status, bounced_at from subscribers where email_key in ({})",
        placeholders
    );
    let mut query = sqlx::query(&sql);
    for key in keys {
        query = query.bind(*key);
    }
    let rows = query.fetch_all(&mut **tx).await?;
    rows.iter()
        .map(|row| {
            let existing = Existing {
                id: row.try_get("id")?,
                name: row.try_get("name")?,
                status: SubscriptionStatus::from_db(row.try_get("status")?)?,
                bounced: row.try_get::<Option<Millis>, _>("bounced_at")?.is_some(),
            };
            Ok((row.try_get("email_key")?, existing))
        })
        .collect()
}

/// A new reader from an import.
pub struct Imported<'a> {
    pub email: &'a str,
    pub email_key: &'a str,
    pub name: Option<&'a str>,
    pub subscribed_at: Millis,
}

/// Inserts the readers in one statement; returns email key -> id of those inserted (an
/// address that signed up meanwhile is left alone and missing from the answer).
pub async fn insert_imported(
    tx: &mut Tx<'_>,
    readers: &[Imported<'_>],
    status: SubscriptionStatus,
    locale: Locale,
    now: Millis,
) -> sqlx::Result<HashMap<String, i64>> {
    if readers.is_empty() {
        return Ok(HashMap::new());
    }
    // $1 status, $2 now, $3 locale, then four per reader.
    let values: Vec<String> = (0..readers.len())
        .map(|i| {
            let p = 4 + i * 4;
            let confirmed_at = if status == SubscriptionStatus::Confirmed {
                format!("${}", p + 3)
            } else {
                "null".to_string()
            };
            format!(
                "(${p}, ${}, ${}, $1, ${}, $2, {confirmed_at}, $3)",
                p + 1,
                p + 2,
                p + 3
            )
        })
        .collect();
    let sql = format!(
        "insert into subscribers (email, email_key, name, status, created_at, updated_at, confirmed_at,
             locale)
         values {} on conflict (email_key) do nothing returning id, email_key",
        values.join(", ")
    );
    let mut query = sqlx::query(&sql)
        .bind(status.as_str())
        .bind(now)
        .bind(locale.tag());
    for reader in readers {
        query = query
            .bind(reader.email)
            .bind(reader.email_key)
            .bind(reader.name)
            .bind(reader.subscribed_at);
    }
    let rows = query.fetch_all(&mut **tx).await?;
    rows.iter()
        .map(|row| Ok((row.try_get("email_key")?, row.try_get("id")?)))
        .collect()
}

/// An import's change to a reader already on the list: a new name, and confirmation of a
/// pending reader when the editor vouches for it.
pub async fn update_imported(
    tx: &mut Tx<'_>,
    id: i64,
    name: Option<&str>,
    confirm: bool,
    now: Millis,
) -> sqlx::Result<()> {
    sqlx::query(
        "update subscribers set name = coalesce($2, name), updated_at = $3,
             status = case when $4 and status = 'pending' then 'confirmed' else status end,
             confirmed_at = case when $4 and status = 'pending' then $3 else confirmed_at end
         where id = $1",
    )
    .bind(id)
    .bind(name)
    .bind(now)
    .bind(confirm)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// Readers per language: (locale, confirmed, all but unsubscribed), the most confirmed first.
pub async fn count_by_locale(pool: &AnyPool) -> sqlx::Result<Vec<(Locale, i64, i64)>> {
    let rows = sqlx::query(
        "select locale,
                sum(case when status = 'confirmed' then 1 else 0 end) as confirmed,
                count(*) as listed
         from subscribers where status <> 'unsubscribed'
         group by locale order by confirmed desc, locale",
    )
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            Ok((
                Locale::from_stored(row.try_get("locale")?),
                row.try_get("confirmed")?,
                row.try_get("listed")?,
            ))
        })
        .collect()
}
