//! One-off sends an editor schedules: at `send_at` the newsletter's next digest is made of
//! what is new then (its draft, or its newest articles), for its readers on its own schedule, exactly once however many instances run (the row leaves `scheduled` in the
//! transaction that makes the digest), and can be cancelled until then. A send due while
//! the service was down fires when it starts.

use std::time::Duration;

use sqlx::{AnyPool, Row};
use tokio_util::sync::CancellationToken;

use crate::db::{self, Millis};
use crate::digests::{self, Audience, Composition, CreateDigestError};
use crate::newsletters::{self, Cadence};
use crate::state::AppState;

/// Sends shown on the page: the upcoming ones and the latest done.
const SHOWN: i64 = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SendState {
    Scheduled,
    Sent,
    /// It came, and every article was already in a digest.
    NothingNew,
    Cancelled,
}

impl SendState {
    fn from_db(value: &str) -> anyhow::Result<SendState> {
        Ok(match value {
            "scheduled" => SendState::Scheduled,
            "sent" => SendState::Sent,
            "nothing_new" => SendState::NothingNew,
            "cancelled" => SendState::Cancelled,
            other => anyhow::bail!("unknown scheduled send state {other:?}"),
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SendState::Scheduled => "scheduled",
            SendState::Sent => "sent",
            SendState::NothingNew => "nothing new to send",
            SendState::Cancelled => "cancelled",
        }
    }
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ScheduledSend {
    pub id: i64,
    #[serde(skip)]
    pub newsletter_id: i64,
    /// RFC 3339, UTC.
    #[schema(format = DateTime)]
    pub send_at: String,
    #[serde(skip)]
    pub send_at_ms: Millis,
    pub status: SendState,
    /// The digest it made.
    pub digest_id: Option<i64>,
    pub created_by: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ScheduleError {
    #[error("choose a time in the future")]
    InThePast,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

#[derive(Debug, thiserror::Error)]
pub enum CancelScheduledError {
    #[error("no scheduled send with this id")]
    NotFound,
    #[error("this send already happened or was cancelled")]
    NotScheduled,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Schedules a send of the newsletter's next digest at `send_at`.
pub async fn schedule(
    state: &AppState,
    newsletter_id: i64,
    send_at: Millis,
    created_by: &str,
) -> Result<i64, ScheduleError> {
    let now = db::now();
    if send_at <= now {
        return Err(ScheduleError::InThePast);
    }
    let mut tx = state.db.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "insert into scheduled_sends (newsletter_id, send_at, status, created_by, created_at)
         values ($4, $1, 'scheduled', $2, $3) returning id",
    )
    .bind(send_at)
    .bind(created_by)
    .bind(now)
    .bind(newsletter_id)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    state.schedule_wake.notify_waiters();
    tracing::info!(id, newsletter_id, send_at = %db::format_time(send_at), created_by, "send scheduled");
    Ok(id)
}

pub async fn cancel(state: &AppState, id: i64) -> Result<(), CancelScheduledError> {
    let mut tx = state.db.begin().await?;
    let done = sqlx::query(
        "update scheduled_sends set status = 'cancelled', done_at = $2
         where id = $1 and status = 'scheduled'",
    )
    .bind(id)
    .bind(db::now())
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        let exists: Option<i64> =
            sqlx::query_scalar("select id from scheduled_sends where id = $1")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        return Err(match exists {
            Some(_) => CancelScheduledError::NotScheduled,
            None => CancelScheduledError::NotFound,
        });
    }
    tx.commit().await?;
    tracing::info!(id, "scheduled send cancelled");
    Ok(())
}

/// Upcoming sends of every newsletter (soonest first), then the latest done.
pub async fn list(pool: &AnyPool) -> anyhow::Result<Vec<ScheduledSend>> {
    list_where(pool, None).await
}

/// `list`, for one newsletter.
pub async fn list_for(pool: &AnyPool, newsletter_id: i64) -> anyhow::Result<Vec<ScheduledSend>> {
    list_where(pool, Some(newsletter_id)).await
}

async fn list_where(
    pool: &AnyPool,
    newsletter_id: Option<i64>,
) -> anyhow::Result<Vec<ScheduledSend>> {
    let rows = sqlx::query(
        "select id, newsletter_id, send_at, status, digest_id, created_by from scheduled_sends
         where $2 is null or newsletter_id = $2
         order by case when status = 'scheduled' then 0 else 1 end,
                  case when status = 'scheduled' then send_at else -send_at end
         limit $1",
    )
    .bind(SHOWN)
    .bind(newsletter_id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            let send_at: Millis = row.try_get("send_at")?;
            Ok(ScheduledSend {
                id: row.try_get("id")?,
                newsletter_id: row.try_get("newsletter_id")?,
                send_at: db::format_time(send_at),
                send_at_ms: send_at,
                status: SendState::from_db(row.try_get::<String, _>("status")?.as_str())?,
                digest_id: row.try_get("digest_id")?,
                created_by: row.try_get("created_by")?,
            })
        })
        .collect()
}

/// Fires every send that is due; returns how many this instance fired.
pub async fn fire_due(state: &AppState) -> anyhow::Result<usize> {
    let now = db::now();
    let due: Vec<(i64, i64)> = sqlx::query_as(
        "select id, newsletter_id from scheduled_sends
         where status = 'scheduled' and send_at <= $1 order by send_at",
    )
    .bind(now)
    .fetch_all(&state.db.pool)
    .await?;
    let mut fired = 0;
    for (id, newsletter_id) in due {
        let mut tx = state.db.begin().await?;
        // Taken here, in the transaction that makes the digest: another instance that
        // reached the same row finds it no longer scheduled.
        let taken = sqlx::query(
            "update scheduled_sends set status = 'sent', done_at = $2
             where id = $1 and status = 'scheduled'",
        )
        .bind(id)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if taken == 0 {
            continue;
        }
        let created_by = format!("scheduled:{id}");
        // A newsletter's sends are deleted with it, so it is there.
        let newsletter = newsletters::queries::find(&mut *tx, newsletter_id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("scheduled send {id}: no newsletter {newsletter_id}"))?;
        let audience = Audience {
            newsletter,
            cadence: Cadence::Scheduled,
        };
        let made = digests::create_in(
            &mut tx,
            state,
            &audience,
            None,
            Composition::default(),
            &created_by,
        )
        .await;
        match made {
            Ok(created) => {
                let digest_id = created.id();
                sqlx::query("update scheduled_sends set digest_id = $2 where id = $1")
                    .bind(id)
                    .bind(digest_id)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                state.delivery_wake.notify_waiters();
                tracing::info!(id, newsletter_id, digest_id, "scheduled send fired");
                fired += 1;
            }
            Err(
                CreateDigestError::NothingNew
                | CreateDigestError::EmptyDraft
                | CreateDigestError::EveryoneHadThem(_),
            ) => {
                sqlx::query("update scheduled_sends set status = 'nothing_new' where id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                tracing::info!(id, "scheduled send came with nothing new");
            }
            Err(err) => return Err(anyhow::anyhow!("scheduled send {id}: {err}")),
        }
    }
    Ok(fired)
}

/// When the soonest scheduled send is due.
async fn next_due(pool: &AnyPool) -> sqlx::Result<Option<Millis>> {
    sqlx::query_scalar("select min(send_at) from scheduled_sends where status = 'scheduled'")
        .fetch_one(pool)
        .await
}

/// Fires sends as they fall due, until shutdown.
pub async fn run(state: AppState, shutdown: CancellationToken) {
    loop {
        if let Err(err) = fire_due(&state).await {
            tracing::error!(
                error = format!("{err:#}"),
                "scheduled sends failed; will try again"
            );
        }
        // Sleep until the next one (at most a minute: clock changes, other instances' new
        // rows), or until this instance schedules one.
        let wait = match next_due(&state.db.pool).await {
            Ok(Some(at)) => Duration::from_millis((at - db::now()).clamp(0, 60_000) as u64),
            _ => Duration::from_secs(60),
        };
        tokio::select! {
            _ = tokio::time::sleep(wait + Duration::from_millis(20)) => {}
            _ = state.schedule_wake.notified() => {}
            _ = shutdown.cancelled() => return,
        }
    }
}
