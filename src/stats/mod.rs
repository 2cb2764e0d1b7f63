//! The editors' home: the list in numbers (readers by state, the last 30 days' joins,
//! confirmations and departures, and a chart of the last 90 days, day by day), the latest
//! digests with the unsubscribes they caused, the next send, and what is still to set up
//! before real readers arrive. The same figures as JSON at `GET /api/v1/stats`, and the days
//! as CSV at `GET /api/v1/stats.csv` (and `/editor/stats.csv` for the page's download link).

mod chart;
mod home;
mod queries;

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};

use crate::db::{self, Millis};
use crate::digests::DigestStatus;
use crate::digests::queries as digests;
use crate::editors::{ApiClient, EditorSession};
use crate::error::doc::{Busy, Unauthorized};
use crate::error::{ApiResult, AppResult};
use crate::scheduler::{Schedule, one_off};
use crate::state::AppState;
use queries::Series;

pub use queries::{ReaderCounts, SourceCount};

const DAY_MS: Millis = 24 * 60 * 60 * 1000;
/// The window of the recent figures.
const RECENT_DAYS: i64 = 30;
/// The window of the daily chart and the CSV.
const CHART_DAYS: u32 = 90;
/// The latest digests shown, with their unsubscribes.
const DIGESTS_SHOWN: i64 = 3;

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
    /// The last 90 days, oldest first, today (so far) last; days in `digest.timezone`.
    pub daily: Vec<Day>,
    /// The latest three digests, newest first, each with the unsubscribes it caused.
    pub digests: Vec<DigestStatus>,
}

/// One day of the chart: readers who signed up, confirmed, and left that day.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Day {
    /// The day in the newsletter's time zone (`digest.timezone`), `YYYY-MM-DD`.
    #[schema(format = Date)]
    pub date: String,
    pub signed_up: i64,
    pub confirmed: i64,
    /// Readers who left: `unsubscribed + bounced + erased`.
    pub left: i64,
    /// Withdrawals: unsubscribes and spam complaints.
    pub unsubscribed: i64,
    /// Readers whose mail bounced for good.
    pub bounced: i64,
    /// Readers erased at their request (their earlier events went with them).
    pub erased: i64,
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
    let (readers, recent, confirmed_of_recent, sources, next, daily, digests) = tokio::try_join!(
        async { Ok::<_, anyhow::Error>(queries::reader_counts(pool).await?) },
        async { Ok(queries::recent(pool, since, RECENT_DAYS).await?) },
        async { Ok(queries::confirmed_among_signed_up_since(pool, since).await?) },
        async { Ok(queries::sources_since(pool, since).await?) },
        next_send(state),
        daily(state),
        async { Ok(digests::list_recent(pool, DIGESTS_SHOWN).await?) },
    )?;
    Ok(Stats {
        readers,
        confirmation_rate: (recent.signed_up > 0)
            .then(|| confirmed_of_recent as f64 / recent.signed_up as f64),
        recent,
        sources,
        next_send: next.map(db::format_time),
        daily,
        digests,
    })
}

/// The dates of the last `days` days in `zone` (today last) and the instants they start at,
/// with the start of tomorrow at the end: day `i` is `[starts[i], starts[i + 1])`.
fn day_bounds(now: DateTime<Utc>, zone: chrono_tz::Tz, days: u32) -> (Vec<NaiveDate>, Vec<Millis>) {
    let today = now.with_timezone(&zone).date_naive();
    let dates: Vec<NaiveDate> = (0..days)
        .rev()
        .filter_map(|back| today.checked_sub_days(chrono::Days::new(back.into())))
        .collect();
    let starts = dates
        .iter()
        .copied()
        .chain(today.succ_opt())
        .map(|date| start_of(zone, date))
        .collect();
    (dates, starts)
}

/// When `date` begins in `zone`: midnight, or the first hour that exists where a change of
/// clocks skips midnight.
fn start_of(zone: chrono_tz::Tz, date: NaiveDate) -> Millis {
    (0..24)
        .filter_map(|hour| date.and_hms_opt(hour, 0, 0))
        .find_map(|local| zone.from_local_datetime(&local).earliest())
        .map_or_else(
            || {
                date.and_time(chrono::NaiveTime::MIN)
                    .and_utc()
                    .timestamp_millis()
            },
            |start| start.timestamp_millis(),
        )
}

/// The last 90 days, day by day: each series counted concurrently on its own connection.
pub async fn daily(state: &AppState) -> anyhow::Result<Vec<Day>> {
    let pool = &state.db.pool;
    let (dates, bounds) = day_bounds(Utc::now(), state.settings.digest.zone(), CHART_DAYS);
    let count = |series| queries::per_day(pool, series, &bounds);
    let (signed_up, confirmed, unsubscribed, bounced, erased) = tokio::try_join!(
        count(Series::SignedUp),
        count(Series::Confirmed),
        count(Series::Unsubscribed),
        count(Series::Bounced),
        count(Series::Erased),
    )?;
    Ok(dates
        .iter()
        .enumerate()
        .map(|(i, date)| {
            let at = |series: &[i64]| series.get(i).copied().unwrap_or_default();
            let (unsubscribed, bounced, erased) = (at(&unsubscribed), at(&bounced), at(&erased));
            Day {
                date: date.format("%Y-%m-%d").to_string(),
                signed_up: at(&signed_up),
                confirmed: at(&confirmed),
                left: unsubscribed + bounced + erased,
                unsubscribed,
                bounced,
                erased,
            }
        })
        .collect())
}

/// The days as CSV, a header row first.
fn daily_csv(days: &[Day]) -> anyhow::Result<Vec<u8>> {
    let mut out = csv::Writer::from_writer(Vec::new());
    for day in days {
        out.serialize(day)?;
    }
    Ok(out.into_inner()?)
}

fn csv_download(days: &[Day]) -> anyhow::Result<Response> {
    let name = days.last().map_or("readers", |d| d.date.as_str());
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"readers-{name}.csv\""),
            ),
        ],
        daily_csv(days)?,
    )
        .into_response())
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
/// confirmation rate, when the next digest goes out, the last 90 days day by day, and the
/// latest digests with the unsubscribes they caused.
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

/// The last 90 days as CSV
///
/// One row a day, oldest first, today (so far) last, days in `digest.timezone`: `date`,
/// `signed_up`, `confirmed`, `left` (`unsubscribed + bounced + erased`), `unsubscribed`,
/// `bounced`, `erased`.
#[utoipa::path(
    get,
    path = "/api/v1/stats.csv",
    operation_id = "stats_csv",
    tag = "stats",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A header row, then one row a day", body = String, content_type = "text/csv"),
        Unauthorized,
        Busy,
    )
)]
pub async fn api_csv(State(state): State<AppState>, _client: ApiClient) -> ApiResult<Response> {
    Ok(csv_download(&daily(&state).await?)?)
}

/// The home page's download link: the same CSV, for a signed-in editor.
async fn page_csv(State(state): State<AppState>, _session: EditorSession) -> AppResult<Response> {
    Ok(csv_download(&daily(&state).await?)?)
}

/// The routes below, described for the API's OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(api, api_csv))]
pub struct ApiDoc;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/stats", get(api))
        .route("/api/v1/stats.csv", get(api_csv))
}

pub fn pages_router() -> Router<AppState> {
    Router::new()
        .route("/editor", get(home::page))
        .route("/editor/stats.csv", get(page_csv))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn days_end_with_today_in_the_newsletters_zone() {
        let (dates, starts) =
            day_bounds(at("2026-03-10T02:00:00Z"), chrono_tz::America::New_York, 3);

        // 02:00 UTC is still the 9th in New York.
        let dates: Vec<String> = dates.iter().map(|d| d.to_string()).collect();
        assert_eq!(dates, ["2026-03-07", "2026-03-08", "2026-03-09"]);
        assert_eq!(starts.len(), 4);
        assert_eq!(starts[0], at("2026-03-07T05:00:00Z").timestamp_millis());
        // Clocks went forward on the 8th: that day is 23 hours long.
        assert_eq!(starts[2] - starts[1], 23 * 60 * 60 * 1000);
        assert_eq!(starts[3], at("2026-03-10T04:00:00Z").timestamp_millis());
    }

    #[test]
    fn a_day_whose_midnight_is_skipped_starts_at_its_first_hour() {
        // Santiago skipped from 00:00 to 01:00 on 2024-09-08.
        let date = NaiveDate::from_ymd_opt(2024, 9, 8).unwrap();

        let start = start_of(chrono_tz::America::Santiago, date);

        assert_eq!(start, at("2024-09-08T04:00:00Z").timestamp_millis());
    }

    #[test]
    fn the_csv_has_a_header_and_a_row_a_day() {
        let days = [Day {
            date: "2026-03-09".into(),
            signed_up: 3,
            confirmed: 2,
            left: 1,
            unsubscribed: 1,
            ..Day::default()
        }];

        let csv = String::from_utf8(daily_csv(&days).unwrap()).unwrap();

        assert_eq!(
            csv,
            "date,signed_up,confirmed,left,unsubscribed,bounced,erased\n2026-03-09,3,2,1,1,0,0\n"
        );
    }
}
