//! The schedules: each newsletter's own (5-field cron in its time zone; the default
//! newsletter's is `digest.schedule` in `digest.timezone`), and the daily and weekly cadences
//! it offers its readers (at its `send_hour`, weekly on its `weekly_day`). Deciding which slot
//! is due is a pure function of the time (tested below, DST included); firing a slot inserts
//! its row in `digest_slots` (per newsletter and cadence), so each slot fires once however
//! many instances run and however often they restart. A slot with nothing new records that
//! and sends nothing; a slot missed while the service was down fires on start if it is less
//! than `digest.catch_up` old, and is otherwise recorded as missed. Instant readers' emails
//! are looked for every few seconds (`run_instant`).

pub mod one_off;

use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use croner::Cron;
use tokio_util::sync::CancellationToken;

use crate::db::{self, Millis, Tx};
use crate::digests::{self, Audience, Composition, CreateDigestError, Created};
use crate::newsletters::{self, Cadence, Newsletter};
use crate::state::AppState;

/// A parsed schedule.
#[derive(Debug, Clone)]
pub struct Schedule {
    cron: Cron,
    zone: Tz,
}

impl Schedule {
    /// `None` for an empty expression (the schedule is off).
    pub fn parse(expression: &str, zone: &str) -> Result<Option<Schedule>, String> {
        let expression = expression.trim();
        if expression.is_empty() {
            return Ok(None);
        }
        if expression.split_whitespace().count() != 5 {
            return Err(
                "use the 5 fields of crontab: minute hour day-of-month month day-of-week".into(),
            );
        }
        let cron = Cron::from_str(expression).map_err(|e| e.to_string())?;
        let zone = Tz::from_str(zone).map_err(|_| format!("{zone:?} is not an IANA time zone"))?;
        Ok(Some(Schedule { cron, zone }))
    }

    /// The latest slot at or before `now`.
    pub fn latest_slot(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let local = now.with_timezone(&self.zone);
        self.cron
            .find_previous_occurrence(&local, true)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    }

    /// The first slot after `now`.
    pub fn next_slot(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let local = now.with_timezone(&self.zone);
        self.cron
            .find_next_occurrence(&local, false)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    /// Fire this slot.
    Fire(DateTime<Utc>),
    /// This slot passed too long ago: record it as missed.
    Missed(DateTime<Utc>),
    Nothing,
}

/// What the schedule asks for at `now`.
pub fn due(schedule: &Schedule, now: DateTime<Utc>, catch_up: chrono::Duration) -> Due {
    match schedule.latest_slot(now) {
        Some(slot) if now - slot <= catch_up => Due::Fire(slot),
        Some(slot) => Due::Missed(slot),
        None => Due::Nothing,
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SlotOutcome {
    /// The digests made (more than one when readers' topic choices differ).
    Sent(Created),
    /// No article to send, or none a reader had not had: `skipped` readers got nothing.
    NothingNew {
        skipped: u64,
    },
    Missed,
    /// Another instance, or this one before a restart, took the slot.
    AlreadyTaken,
}

/// Takes the audience's slot and, for `Due::Fire`, creates its digests, in one transaction.
pub async fn take_slot(
    state: &AppState,
    audience: &Audience,
    due: Due,
) -> anyhow::Result<SlotOutcome> {
    let (slot, fire) = match due {
        Due::Fire(slot) => (slot, true),
        Due::Missed(slot) => (slot, false),
        Due::Nothing => return Ok(SlotOutcome::AlreadyTaken),
    };
    let slot_at: Millis = slot.timestamp_millis();
    let newsletter_id = audience.newsletter.id;
    let cadence = audience.cadence.as_str();
    let mut tx = state.db.begin().await?;
    let taken = sqlx::query(
        "insert into digest_slots (newsletter_id, cadence, slot_at, outcome, created_at)
         values ($1, $2, $3, 'taken', $4)
         on conflict (newsletter_id, cadence, slot_at) do nothing",
    )
    .bind(newsletter_id)
    .bind(cadence)
    .bind(slot_at)
    .bind(db::now())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if taken == 0 {
        return Ok(SlotOutcome::AlreadyTaken);
    }
    let outcome = if fire {
        create(&mut tx, state, audience).await?
    } else {
        SlotOutcome::Missed
    };
    record(&mut tx, audience, slot_at, &outcome).await?;
    tx.commit().await?;
    if matches!(outcome, SlotOutcome::Sent(_)) {
        state.delivery_wake.notify_waiters();
    }
    tracing::info!(
        slot = %slot,
        newsletter = audience.newsletter.slug,
        cadence,
        outcome = ?outcome,
        "digest slot"
    );
    Ok(outcome)
}

async fn create(
    tx: &mut Tx<'_>,
    state: &AppState,
    audience: &Audience,
) -> anyhow::Result<SlotOutcome> {
    let by = match audience.cadence {
        Cadence::Scheduled => "schedule".to_string(),
        other => format!("schedule:{}", other.as_str()),
    };
    match digests::create_in(tx, state, audience, None, Composition::default(), &by).await {
        Ok(created) => Ok(SlotOutcome::Sent(created)),
        // An editor who emptied the draft wants nothing sent.
        Err(CreateDigestError::NothingNew | CreateDigestError::EmptyDraft) => {
            Ok(SlotOutcome::NothingNew { skipped: 0 })
        }
        Err(CreateDigestError::EveryoneHadThem(skipped)) => Ok(SlotOutcome::NothingNew { skipped }),
        Err(err) => Err(anyhow::anyhow!("creating the scheduled digest: {err}")),
    }
}

async fn record(
    tx: &mut Tx<'_>,
    audience: &Audience,
    slot_at: Millis,
    outcome: &SlotOutcome,
) -> sqlx::Result<()> {
    let (digest_id, label, skipped) = match outcome {
        SlotOutcome::Sent(created) => (Some(created.id()), "sent", created.skipped),
        SlotOutcome::NothingNew { skipped } => (None, "nothing new", *skipped),
        _ => (None, "missed while the service was down", 0),
    };
    sqlx::query(
        "update digest_slots set digest_id = $4, outcome = $5, skipped = $6
         where newsletter_id = $1 and cadence = $2 and slot_at = $3",
    )
    .bind(audience.newsletter.id)
    .bind(audience.cadence.as_str())
    .bind(slot_at)
    .bind(digest_id)
    .bind(label)
    .bind(i64::try_from(skipped).unwrap_or(i64::MAX))
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// Instant readers get the newsletter's new articles as they come, at most one email per
/// `instant_min_interval`: a run happens when the last one is that old, and leaves a slot row
/// only when it sent something.
pub async fn run_instant(state: &AppState, newsletter: &Newsletter) -> anyhow::Result<SlotOutcome> {
    let audience = Audience {
        newsletter: newsletter.clone(),
        cadence: Cadence::Instant,
    };
    let now = db::now();
    let interval = i64::try_from(newsletter.instant_min_interval.as_millis()).unwrap_or(i64::MAX);
    let mut tx = state.db.begin().await?;
    // Taken before looking at the last run, so two instances cannot both find it old enough.
    digests::queries::lock_creation(&mut tx, state.db.backend).await?;
    let last: Option<Millis> = sqlx::query_scalar(
        "select max(slot_at) from digest_slots where newsletter_id = $1 and cadence = 'instant'",
    )
    .bind(newsletter.id)
    .fetch_one(&mut *tx)
    .await?;
    if last.is_some_and(|last| now - last < interval) {
        return Ok(SlotOutcome::AlreadyTaken);
    }
    let outcome = create(&mut tx, state, &audience).await?;
    if !matches!(outcome, SlotOutcome::Sent(_)) {
        tx.rollback().await?;
        return Ok(outcome);
    }
    sqlx::query(
        "insert into digest_slots (newsletter_id, cadence, slot_at, outcome, created_at)
         values ($1, 'instant', $2, 'taken', $2)",
    )
    .bind(newsletter.id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    record(&mut tx, &audience, now, &outcome).await?;
    tx.commit().await?;
    state.delivery_wake.notify_waiters();
    tracing::info!(newsletter = newsletter.slug, outcome = ?outcome, "instant digest");
    Ok(outcome)
}

/// How often instant readers' newsletters are looked at for new articles.
const INSTANT_CHECK: Duration = Duration::from_secs(15);

/// Checks every newsletter's schedules now and at every slot until shutdown: its own
/// schedule, and the daily, weekly and instant cadences it offers.
pub async fn run(state: AppState, shutdown: CancellationToken) {
    let catch_up =
        chrono::Duration::from_std(state.settings.digest.catch_up).unwrap_or(chrono::Duration::MAX);
    loop {
        let now = Utc::now();
        // Wake at the next slot, and at least every minute (clock changes, errors, newsletters
        // added or changed by an editor or another instance).
        let mut wait = Duration::from_secs(60);
        match newsletters::queries::list(&state.db.pool).await {
            Ok(newsletters) => {
                for newsletter in newsletters {
                    wait = wait.min(tick(&state, &newsletter, now, catch_up).await);
                }
            }
            Err(err) => {
                tracing::error!(error = ?err, "reading the newsletters failed; will try again")
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(wait + Duration::from_millis(50)) => {}
            _ = shutdown.cancelled() => return,
        }
    }
}

/// Fires what is due of one newsletter; returns how soon to look again.
async fn tick(
    state: &AppState,
    newsletter: &Newsletter,
    now: DateTime<Utc>,
    catch_up: chrono::Duration,
) -> Duration {
    let mut wait = Duration::from_secs(60);
    for cadence in Cadence::ALL {
        if !newsletter.offers(cadence) {
            continue;
        }
        if cadence == Cadence::Instant {
            if let Err(err) = run_instant(state, newsletter).await {
                tracing::error!(error = ?err, newsletter = newsletter.slug, "instant digest failed; will try again");
            }
            wait = wait.min(INSTANT_CHECK);
            continue;
        }
        let Some(schedule) = newsletter.schedule_of(cadence) else {
            continue;
        };
        let audience = Audience {
            newsletter: newsletter.clone(),
            cadence,
        };
        if let Err(err) = take_slot(state, &audience, due(&schedule, now, catch_up)).await {
            tracing::error!(error = ?err, newsletter = newsletter.slug, "digest slot failed; will try again");
        }
        if let Some(until) = schedule
            .next_slot(now)
            .and_then(|next| (next - Utc::now()).to_std().ok())
        {
            wait = wait.min(until);
        }
    }
    wait
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn schedule(expr: &str, zone: &str) -> Schedule {
        Schedule::parse(expr, zone).unwrap().unwrap()
    }

    #[test]
    fn an_empty_expression_turns_the_schedule_off_and_bad_ones_are_refused() {
        assert!(Schedule::parse("", "UTC").unwrap().is_none());
        assert!(Schedule::parse("0 7 * * * *", "UTC").is_err(), "6 fields");
        assert!(Schedule::parse("61 7 * * *", "UTC").is_err());
        assert!(Schedule::parse("0 7 * * *", "Mars/Olympus").is_err());
    }

    #[test]
    fn a_slot_fires_within_the_catch_up_window_and_is_missed_after_it() {
        let daily = schedule("0 7 * * *", "UTC");
        let hour = chrono::Duration::hours(1);
        assert_eq!(
            due(&daily, at("2026-11-24T07:00:00Z"), hour),
            Due::Fire(at("2026-11-24T07:00:00Z"))
        );
        assert_eq!(
            due(&daily, at("2026-11-24T07:59:00Z"), hour),
            Due::Fire(at("2026-11-24T07:00:00Z"))
        );
        assert_eq!(
            due(&daily, at("2026-11-24T08:01:00Z"), hour),
            Due::Missed(at("2026-11-24T07:00:00Z"))
        );
        assert_eq!(
            due(&daily, at("2026-11-24T06:59:00Z"), hour),
            Due::Missed(at("2026-11-23T07:00:00Z"))
        );
    }

    #[test]
    fn local_time_follows_daylight_saving_time() {
        let berlin = schedule("0 7 * * *", "Europe/Berlin");
        // Winter: 07:00 CET is 06:00 UTC; after 29 March 2026, 07:00 CEST is 05:00 UTC.
        assert_eq!(
            berlin.latest_slot(at("2026-03-28T12:00:00Z")),
            Some(at("2026-03-28T06:00:00Z"))
        );
        assert_eq!(
            berlin.latest_slot(at("2026-03-30T12:00:00Z")),
            Some(at("2026-03-30T05:00:00Z"))
        );
        assert_eq!(
            berlin.next_slot(at("2026-10-24T12:00:00Z")),
            Some(at("2026-10-25T06:00:00Z"))
        );
    }

    #[test]
    fn a_slot_in_the_repeated_hour_of_autumn_fires_once() {
        // 02:30 happens twice in Berlin on 25 October 2026 (CEST, then CET).
        let berlin = schedule("30 2 * * *", "Europe/Berlin");
        let first = berlin.next_slot(at("2026-10-24T12:00:00Z")).unwrap();
        let after = berlin.next_slot(first).unwrap();
        assert_eq!(first, at("2026-10-25T00:30:00Z"));
        assert_eq!(
            after,
            at("2026-10-26T01:30:00Z"),
            "the repeat of 02:30 is not a second slot"
        );
    }

    #[test]
    fn a_slot_in_the_skipped_hour_of_spring_is_not_lost_for_the_day() {
        // 02:30 does not exist in Berlin on 29 March 2026.
        let berlin = schedule("30 2 * * *", "Europe/Berlin");
        let slot = berlin.next_slot(at("2026-03-28T12:00:00Z")).unwrap();
        assert!(
            slot < at("2026-03-30T00:00:00Z"),
            "a slot on the 29th, not the 30th: {slot}"
        );
    }
}
