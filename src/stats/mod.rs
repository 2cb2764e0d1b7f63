//! The editors' home: the list in numbers (readers by state, the last 30 days' joins,
//! confirmations and departures), the latest digests, the next send, and what is still to
//! set up before real readers arrive. The same figures as JSON at `GET /api/v1/stats`.

mod home;
mod queries;

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use chrono::Utc;

use crate::db::{self, Millis};
use crate::editors::ApiClient;
use crate::error::ApiResult;
use crate::error::doc::{Busy, Unauthorized};
use crate::scheduler::{Schedule, one_off};
use crate::state::AppState;

pub use queries::{ReaderCounts, SourceCount};

const DAY_MS: Millis = 24 * 60 * 60 * 1000;
/// The window of the recent figures.
const RECENT_DAYS: i64 = 30;

/// The editors' home figures.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Stats {
    pub readers: ReaderCounts,
    /// The last 30 days.
    pub recent: Recent,
    /// Share of those who signed up in the last 30 days who have confirmed, 0 to 1; `null`
    /// when nobody signed up.
    pub confirmation_rate: Option<f64>,
    /// Where the last 30 days' signups came from (consent grants), most first.
    pub sources: Vec<SourceCount>,
    /// When the next digest goes out (RFC 3339, UTC): the sooner of the schedule's next
    /// slot and the next one-off send; `null` when neither is set.
    #[schema(format = DateTime)]
    pub next_send: Option<String>,
}

#[derive(Debug, Clone, Default, serde::Serialize, utoipa::ToSchema)]
pub struct Recent {
    pub days: i64,
    pub signed_up: i64,
    pub confirmed: i64,
    pub left: i64,
}

pub async fn gather(state: &AppState) -> anyhow::Result<Stats> {
    let pool = &state.db.pool;
    let since = db::now() - RECENT_DAYS * DAY_MS;
    // Independent reads, each on its own pooled connection: the page waits for the slowest
    // count, not for their sum.
    let (readers, recent, confirmed_of_recent, sources, next) = tokio::try_join!(
        async { Ok::<_, anyhow::Error>(queries::reader_counts(pool).await?) },
        async { Ok(queries::recent(pool, since, RECENT_DAYS).await?) },
        async { Ok(queries::confirmed_among_signed_up_since(pool, since).await?) },
        async { Ok(queries::sources_since(pool, since).await?) },
        next_send(state),
    )?;
    Ok(Stats {
        readers,
        confirmation_rate: (recent.signed_up > 0)
            .then(|| confirmed_of_recent as f64 / recent.signed_up as f64),
        recent,
        sources,
        next_send: next.map(db::format_time),
    })
}

/// The sooner of the schedule's next slot and the next one-off send.
pub async fn next_send(state: &AppState) -> anyhow::Result<Option<Millis>> {
    let digest = &state.settings.digest;
    let slot = Schedule::parse(&digest.schedule, &digest.timezone)
        .ok()
        .flatten()
        .and_then(|s| s.next_slot(Utc::now()))
        .map(|at| at.timestamp_millis());
    let one_off = one_off::list(&state.db.pool)
        .await?
        .into_iter()
        .filter(|s| s.status == one_off::SendState::Scheduled)
        .map(|s| s.send_at_ms)
        .min();
    Ok([slot, one_off].into_iter().flatten().min())
}

/// The editors' home figures
///
/// Readers by state, the last 30 days' signups, confirmations and departures, the
/// confirmation rate, and when the next digest goes out.
#[utoipa::path(
    get,
    path = "/api/v1/stats",
    operation_id = "stats",
    tag = "stats",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The figures", body = Stats),
        Unauthorized,
        Busy,
    )
)]
pub async fn api(State(state): State<AppState>, _client: ApiClient) -> ApiResult<Json<Stats>> {
    Ok(Json(gather(&state).await?))
}

/// The route below, described for the API's OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(api))]
pub struct ApiDoc;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/stats", get(api))
}

pub fn pages_router() -> Router<AppState> {
    Router::new().route("/editor", get(home::page))
}
