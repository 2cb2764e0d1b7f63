//! The digest schedule: `digest.schedule` (5-field cron) in `digest.timezone`. Deciding which
//! slot is due is a pure function of the time (tested below, DST included); firing a slot
//! inserts its row in `digest_slots`, so each slot fires once however many instances run and
//! however often they restart. A slot with nothing new records that and sends nothing; a slot
//! missed while the service was down fires on start if it is less than `digest.catch_up`
//! old, and is otherwise recorded as missed.

pub mod one_off;

use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use croner::Cron;
use tokio_util::sync::CancellationToken;

use crate::db::{self, Millis};
use crate::digests::{self, Composition, CreateDigestError};
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
    Sent(i64),
    NothingNew,
    Missed,
    /// Another instance, or this one before a restart, took the slot.
    AlreadyTaken,
}

/// Takes the slot and, for `Due::Fire`, creates its digest, in one transaction.
pub async fn take_slot(state: &AppState, due: Due) -> anyhow::Result<SlotOutcome> {
    let (slot, fire) = match due {
        Due::Fire(slot) => (slot, true),
        Due::Missed(slot) => (slot, false),
        Due::Nothing => return Ok(SlotOutcome::AlreadyTaken),
    };
    let slot_at: Millis = slot.timestamp_millis();
    let mut tx = state.db.begin().await?;
    let taken = sqlx::query(
        "insert into digest_slots (slot_at, outcome, created_at) values ($1, 'taken', $2)
         on conflict (slot_at) do nothing",
    )
    .bind(slot_at)
    .bind(db::now())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if taken == 0 {
        return Ok(SlotOutcome::AlreadyTaken);
    }
    let outcome = if !fire {
        SlotOutcome::Missed
    } else {
        match digests::create_in(&mut tx, state, None, Composition::default(), "schedule").await {
            Ok(id) => SlotOutcome::Sent(id),
            // An editor who emptied the draft wants nothing sent.
            Err(CreateDigestError::NothingNew | CreateDigestError::EmptyDraft) => {
                SlotOutcome::NothingNew
            }
            Err(err) => return Err(anyhow::anyhow!("creating the scheduled digest: {err}")),
        }
    };
    let (digest_id, label) = match &outcome {
        SlotOutcome::Sent(id) => (Some(*id), "sent"),
        SlotOutcome::NothingNew => (None, "nothing new"),
        _ => (None, "missed while the service was down"),
    };
    sqlx::query("update digest_slots set digest_id = $2, outcome = $3 where slot_at = $1")
        .bind(slot_at)
        .bind(digest_id)
        .bind(label)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    if digest_id.is_some() {
        state.delivery_wake.notify_waiters();
    }
    tracing::info!(slot = %slot, outcome = label, "digest slot");
    Ok(outcome)
}

/// Checks the schedule now and at every slot until shutdown.
pub async fn run(state: AppState, shutdown: CancellationToken) {
    let digest = &state.settings.digest;
    let schedule = match Schedule::parse(&digest.schedule, &digest.timezone) {
        Ok(Some(schedule)) => schedule,
        Ok(None) => return,
        Err(err) => {
            // Settings::validate refuses this at start; reaching here is a bug.
            tracing::error!(error = %err, "digest schedule disabled");
            return;
        }
    };
    let catch_up = chrono::Duration::from_std(digest.catch_up).unwrap_or(chrono::Duration::MAX);
    loop {
        let now = Utc::now();
        if let Err(err) = take_slot(&state, due(&schedule, now, catch_up)).await {
            tracing::error!(error = ?err, "digest slot failed; will try again");
        }
        // Wake at the next slot, and at least every minute (clock changes, errors).
        let until_next = schedule
            .next_slot(now)
            .and_then(|next| (next - Utc::now()).to_std().ok())
            .unwrap_or(Duration::from_secs(60))
            .min(Duration::from_secs(60));
        tokio::select! {
            _ = tokio::time::sleep(until_next + Duration::from_millis(50)) => {}
            _ = shutdown.cancelled() => return,
        }
    }
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
