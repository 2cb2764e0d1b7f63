//! Which newsletters each reader is on, and how: SQL for `subscriptions`. A reader's own
//! status (`subscribers.status`) says whether they confirmed their address and are still
//! with us at all; each subscription says whether they get one newsletter, on which cadence
//! and with which topics. A signup asks for newsletters (pending); the confirmation link
//! confirms every pending one at once; leaving a newsletter ends that subscription only, and
//! leaving the last one (or everything) makes the reader `unsubscribed`.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use sqlx::{AnyPool, Row};

use crate::db::{self, Millis, Tx};
use crate::i18n::Locale;
use crate::newsletters::{Cadence, Newsletter};
use crate::topics;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum State {
    Pending,
    Confirmed,
    Left,
}

impl State {
    fn from_db(value: &str) -> sqlx::Result<State> {
        match value {
            "pending" => Ok(State::Pending),
            "confirmed" => Ok(State::Confirmed),
            "left" => Ok(State::Left),
            other => Err(sqlx::Error::Decode(
                format!("unknown subscription status {other:?}").into(),
            )),
        }
    }
}

/// One reader's place on one newsletter.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Subscription {
    #[serde(skip)]
    pub newsletter_id: i64,
    /// The newsletter's slug.
    pub newsletter: String,
    pub status: State,
    pub cadence: Cadence,
    /// Empty: everything the newsletter sends.
    pub topics: Vec<String>,
}

/// What a signup asks of each newsletter it names.
#[derive(Debug, Clone, Default)]
pub struct Choice {
    pub cadence: Option<Cadence>,
    pub topics: Option<Vec<String>>,
}

/// The topics of a signup that joins several newsletters, as one of them takes them: those it
/// carries, or everything it sends when it carries none of them (one list was chosen for
/// them all; the reader asked for this newsletter too, and with topics it never carries they
/// would never hear from it). A signup for one newsletter keeps its topics as given.
pub fn topics_for(newsletter: &Newsletter, chosen: &[String]) -> Vec<String> {
    carried(&newsletter.topics, chosen)
}

fn carried(filter: &[String], chosen: &[String]) -> Vec<String> {
    if filter.is_empty() {
        return chosen.to_vec();
    }
    chosen
        .iter()
        .filter(|t| filter.contains(t))
        .cloned()
        .collect()
}

/// Readers ask for newsletters, each with its choice: each they are not on yet (or left)
/// becomes pending, with the choice given; one they are on keeps its state, and a pending one
/// takes the choice given. A confirmed one keeps the reader's own choice: a signup comes from
/// anyone who knows the address, and only the reader changes it (on their page). A batch of
/// signups' asks (each reader and newsletter at most once) in a statement per kind of choice;
/// returns the readers with any of them still to confirm.
pub async fn ask(
    tx: &mut Tx<'_>,
    asks: &[(i64, i64, &Choice)],
    now: Millis,
) -> sqlx::Result<HashSet<i64>> {
    let mut unconfirmed = HashSet::new();
    // Whether a cadence and topics were given at all decides the update, and that is the
    // statement's, not a row's: a statement for each combination present.
    for given in [(false, false), (false, true), (true, false), (true, true)] {
        let of_kind: Vec<_> = asks
            .iter()
            .filter(|(_, _, choice)| (choice.cadence.is_some(), choice.topics.is_some()) == given)
            .collect();
        if of_kind.is_empty() {
            continue;
        }
        let values = db::tuples(4, of_kind.len(), 4, |own| {
            format!(
                "({}, {}, 'pending', {}, {}, $1)",
                own[0], own[1], own[2], own[3]
            )
        });
        let sql = format!(
            "insert into subscriptions (subscriber_id, newsletter_id, status, cadence, topics,
                                        created_at)
             values {values}
             on conflict (subscriber_id, newsletter_id) do update set
                 status = case when subscriptions.status = 'confirmed' then 'confirmed'
                               else 'pending' end,
                 cadence = case when subscriptions.status <> 'confirmed' and $2
                                then excluded.cadence else subscriptions.cadence end,
                 topics = case when subscriptions.status <> 'confirmed' and $3
                               then excluded.topics else subscriptions.topics end
             returning subscriber_id, status"
        );
        let mut query = sqlx::query(&sql).bind(now).bind(given.0).bind(given.1);
        for (subscriber_id, newsletter_id, choice) in of_kind {
            query = query
                .bind(subscriber_id)
                .bind(newsletter_id)
                .bind(choice.cadence.unwrap_or(Cadence::Scheduled).as_str())
                .bind(topics::join(choice.topics.as_deref().unwrap_or_default()));
        }
        for row in query.fetch_all(&mut **tx).await? {
            let status: String = row.try_get("status")?;
            if status != "confirmed" {
                unconfirmed.insert(row.try_get("subscriber_id")?);
            }
        }
    }
    Ok(unconfirmed)
}

/// The confirmation link was used: every pending subscription is confirmed. Returns the
/// newsletters newly confirmed (each gets its welcome email).
pub async fn confirm_pending(
    tx: &mut Tx<'_>,
    subscriber_id: i64,
    now: Millis,
) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar(
        "update subscriptions set status = 'confirmed', confirmed_at = $2, left_at = null
         where subscriber_id = $1 and status = 'pending'
         returning newsletter_id",
    )
    .bind(subscriber_id)
    .bind(now)
    .fetch_all(&mut **tx)
    .await
}

/// The names of the newsletters each reader asked for and has not confirmed yet, the default
/// first: what their confirmation email asks them to confirm. Readers with none are missing.
pub async fn pending_names(
    pool: &AnyPool,
    subscriber_ids: &[i64],
) -> sqlx::Result<HashMap<i64, Vec<String>>> {
    if subscriber_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!(
        "select s.subscriber_id, n.name from subscriptions s
         join newsletters n on n.id = s.newsletter_id
         where s.subscriber_id in ({}) and s.status = 'pending'
         order by s.subscriber_id, n.is_default desc, n.name, n.id",
        db::placeholders(1, subscriber_ids.len())
    );
    let mut query = sqlx::query(&sql);
    for id in subscriber_ids {
        query = query.bind(id);
    }
    let mut names: HashMap<i64, Vec<String>> = HashMap::new();
    for row in query.fetch_all(pool).await? {
        names
            .entry(row.try_get("subscriber_id")?)
            .or_default()
            .push(row.try_get("name")?);
    }
    Ok(names)
}

/// The reader leaves one newsletter. Returns false when they were not on it.
pub async fn leave(
    tx: &mut Tx<'_>,
    subscriber_id: i64,
    newsletter_id: i64,
    now: Millis,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "update subscriptions set status = 'left', left_at = $3
         where subscriber_id = $1 and newsletter_id = $2 and status <> 'left'",
    )
    .bind(subscriber_id)
    .bind(newsletter_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn leave_all(tx: &mut Tx<'_>, subscriber_id: i64, now: Millis) -> sqlx::Result<()> {
    sqlx::query(
        "update subscriptions set status = 'left', left_at = $2
         where subscriber_id = $1 and status <> 'left'",
    )
    .bind(subscriber_id)
    .bind(now)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// Newsletters the reader is still on or waiting to confirm.
pub async fn count_staying(tx: &mut Tx<'_>, subscriber_id: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "select count(*) from subscriptions where subscriber_id = $1 and status <> 'left'",
    )
    .bind(subscriber_id)
    .fetch_one(&mut **tx)
    .await
}

/// The reader's newsletters, the default first.
pub async fn of_reader<'e, E>(executor: E, subscriber_id: i64) -> sqlx::Result<Vec<Subscription>>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let rows = sqlx::query(
        "select s.newsletter_id, n.slug, s.status, s.cadence, s.topics
         from subscriptions s join newsletters n on n.id = s.newsletter_id
         where s.subscriber_id = $1
         order by n.is_default desc, n.name, n.id",
    )
    .bind(subscriber_id)
    .fetch_all(executor)
    .await?;
    rows.iter()
        .map(|row| {
            let cadence: String = row.try_get("cadence")?;
            Ok(Subscription {
                newsletter_id: row.try_get("newsletter_id")?,
                newsletter: row.try_get("slug")?,
                status: State::from_db(&row.try_get::<String, _>("status")?)?,
                cadence: Cadence::parse(&cadence).unwrap_or(Cadence::Scheduled),
                topics: topics::split(&row.try_get::<String, _>("topics")?),
            })
        })
        .collect()
}

/// The reader's own choice of cadence and topics on one newsletter they are on.
pub async fn set_choice(
    tx: &mut Tx<'_>,
    subscriber_id: i64,
    newsletter_id: i64,
    cadence: Cadence,
    topics: &[String],
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "update subscriptions set cadence = $3, topics = $4
         where subscriber_id = $1 and newsletter_id = $2 and status <> 'left'",
    )
    .bind(subscriber_id)
    .bind(newsletter_id)
    .bind(cadence.as_str())
    .bind(topics::join(topics))
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Readers of the newsletter on this cadence who chose topics.
pub async fn count_choosy(
    tx: &mut Tx<'_>,
    newsletter_id: i64,
    cadence: Cadence,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "select count(*) from subscriptions
         where newsletter_id = $1 and cadence = $2 and status = 'confirmed' and topics <> ''",
    )
    .bind(newsletter_id)
    .bind(cadence.as_str())
    .fetch_one(&mut **tx)
    .await
}

/// A reader who gets a newsletter on a cadence, with their topics (empty: all) and the
/// locale they read.
pub struct Recipient {
    pub subscriber_id: i64,
    pub topics: String,
    pub locale: Locale,
}

/// Everyone a digest of the newsletter on this cadence goes to: confirmed on it, confirmed
/// as a reader, and not bounced.
pub async fn recipients(
    tx: &mut Tx<'_>,
    newsletter_id: i64,
    cadence: Cadence,
) -> sqlx::Result<Vec<Recipient>> {
    let rows = sqlx::query(RECIPIENTS)
        .bind(newsletter_id)
        .bind(cadence.as_str())
        .fetch_all(&mut **tx)
        .await?;
    rows.iter()
        .map(|row| {
            Ok(Recipient {
                subscriber_id: row.try_get("subscriber_id")?,
                topics: row.try_get("topics")?,
                locale: Locale::from_stored(&row.try_get::<String, _>("locale")?),
            })
        })
        .collect()
}

const RECIPIENTS: &str = "select s.subscriber_id, s.topics, r.locale
     from subscriptions s join subscribers r on r.id = s.subscriber_id
     where s.newsletter_id = $1 and s.cadence = $2 and s.status = 'confirmed'
       and r.status = 'confirmed' and r.bounced_at is null
     order by s.subscriber_id";

/// How many readers would get the newsletter's next digest on its own schedule.
pub async fn count_recipients(pool: &AnyPool, newsletter_id: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "select count(*) from subscriptions s join subscribers r on r.id = s.subscriber_id
         where s.newsletter_id = $1 and s.status = 'confirmed'
           and r.status = 'confirmed' and r.bounced_at is null",
    )
    .bind(newsletter_id)
    .fetch_one(pool)
    .await
}

/// Readers per newsletter: those who get it (as `count_recipients` counts them) and those
/// who asked for it and have not confirmed yet. Newsletters with neither are absent.
pub async fn count_per_newsletter(pool: &AnyPool) -> sqlx::Result<HashMap<i64, (i64, i64)>> {
    let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
        "select s.newsletter_id,
                count(case when s.status = 'confirmed' and r.status = 'confirmed'
                                and r.bounced_at is null then 1 end),
                count(case when s.status = 'pending' then 1 end)
         from subscriptions s join subscribers r on r.id = s.subscriber_id
         where s.status in ('confirmed', 'pending')
         group by s.newsletter_id",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(newsletter, readers, waiting)| (newsletter, (readers, waiting)))
        .collect())
}

/// The locales the recipients of the newsletter on this cadence have stored (as stored),
/// with how many readers have each.
pub async fn count_recipient_locales(
    tx: &mut Tx<'_>,
    newsletter_id: i64,
    cadence: Cadence,
) -> sqlx::Result<Vec<(String, i64)>> {
    sqlx::query_as(
        "select r.locale, count(*)
         from subscriptions s join subscribers r on r.id = s.subscriber_id
         where s.newsletter_id = $1 and s.cadence = $2 and s.status = 'confirmed'
           and r.status = 'confirmed' and r.bounced_at is null
         group by r.locale",
    )
    .bind(newsletter_id)
    .bind(cadence.as_str())
    .fetch_all(&mut **tx)
    .await
}

/// One pending delivery of `digest_id` per recipient of the newsletter on this cadence, in
/// one statement: the usual case, where every reader gets the same articles. `locales`: only
/// the readers who stored one of these tags (`None`: every reader, when all read one locale).
pub async fn snapshot_all(
    tx: &mut Tx<'_>,
    digest_id: i64,
    newsletter_id: i64,
    cadence: Cadence,
    locales: Option<&[String]>,
    now: Millis,
) -> sqlx::Result<u64> {
    let of_locales = match locales {
        Some(tags) => format!("and r.locale in ({})", db::placeholders(5, tags.len())),
        None => String::new(),
    };
    let sql = format!(
        "insert into deliveries (digest_id, subscriber_id, status, next_attempt_at)
         select $3, s.subscriber_id, 'pending', $4
         from subscriptions s join subscribers r on r.id = s.subscriber_id
         where s.newsletter_id = $1 and s.cadence = $2 and s.status = 'confirmed'
           and r.status = 'confirmed' and r.bounced_at is null {of_locales}"
    );
    let mut query = sqlx::query(&sql)
        .bind(newsletter_id)
        .bind(cadence.as_str())
        .bind(digest_id)
        .bind(now);
    for tag in locales.unwrap_or_default() {
        query = query.bind(tag);
    }
    let done = query.execute(&mut **tx).await?;
    Ok(done.rows_affected())
}

/// Readers brought in by an import join the default newsletter with the status they got.
pub async fn add_imported(
    tx: &mut Tx<'_>,
    subscriber_ids: &[i64],
    confirmed: bool,
    now: Millis,
) -> sqlx::Result<()> {
    for chunk in subscriber_ids.chunks(500) {
        let sql = format!(
            "insert into subscriptions (subscriber_id, newsletter_id, status, created_at,
                                        confirmed_at)
             select id, (select id from newsletters where is_default = 1), $1, $2,
                    case when $1 = 'confirmed' then $2 end
             from subscribers where id in ({})
             on conflict (subscriber_id, newsletter_id) do update set
                 status = case when $1 = 'confirmed' then 'confirmed'
                               else subscriptions.status end",
            db::placeholders(3, chunk.len())
        );
        let mut query = sqlx::query(&sql)
            .bind(if confirmed { "confirmed" } else { "pending" })
            .bind(now);
        for id in chunk {
            query = query.bind(id);
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(topics: &[&str]) -> Vec<String> {
        topics.iter().map(|t| t.to_string()).collect()
    }

    #[test]
    fn a_newsletter_takes_the_chosen_topics_it_carries_or_else_sends_everything() {
        let chosen = vec!["arts".to_string(), "sport".to_string()];

        assert_eq!(carried(&[], &chosen), chosen);
        assert_eq!(carried(&filter(&["politics", "sport"]), &chosen), ["sport"]);
        assert!(carried(&filter(&["politics"]), &chosen).is_empty());
    }
}
