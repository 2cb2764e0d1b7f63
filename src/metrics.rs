//! `/metrics` in the Prometheus text format: counters of what happened since start, SMTP
//! latency, and the depth of the mail queues read from the database at scrape time (so it
//! is right across instances).

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use crate::error::AppResult;
use crate::state::AppState;

pub struct Metrics {
    registry: Registry,
    pub signups: Counter,
    pub confirmations: Counter,
    pub unsubscribes: Counter,
    pub sent: Counter,
    pub failed: Counter,
    pub retried: Counter,
    pub smtp_seconds: Histogram,
    pub bounce: crate::bounces::BounceMetrics,
    queue_depth: Gauge,
    outbox_depth: Gauge,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("tidings");
        let mut counter = |name: &str, help: &str| {
            let counter = Counter::default();
            registry.register(name, help, counter.clone());
            counter
        };
        let signups = counter("signups", "Signups accepted (form and API)");
        let confirmations = counter("confirmations", "Subscriptions confirmed");
        let unsubscribes = counter("unsubscribes", "Readers who unsubscribed");
        let sent = counter("messages_sent", "Messages accepted by the mail server");
        let failed = counter("messages_failed", "Messages that failed for good");
        let retried = counter("messages_retried", "Sends put back for a later try");
        let smtp_seconds = Histogram::new(exponential_buckets(0.0005, 2.0, 16));
        registry.register(
            "smtp_send_seconds",
            "Time to hand one message to the mail server",
            smtp_seconds.clone(),
        );
        let bounce = crate::bounces::BounceMetrics::default();
        registry.register(
            "bounces",
            "Bounces reported after or during the hand-off, by kind (hard, soft)",
            bounce.bounces.clone(),
        );
        registry.register(
            "complaints",
            "Spam complaints reported by mailbox providers",
            bounce.complaints.clone(),
        );
        let queue_depth = Gauge::default();
        registry.register(
            "delivery_queue_depth",
            "Digest deliveries pending or in flight",
            queue_depth.clone(),
        );
        let outbox_depth = Gauge::default();
        registry.register(
            "outbox_depth",
            "Transactional emails pending or in flight",
            outbox_depth.clone(),
        );
        Metrics {
            registry,
            signups,
            confirmations,
            unsubscribes,
            sent,
            failed,
            retried,
            smtp_seconds,
            bounce,
            queue_depth,
            outbox_depth,
        }
    }
}

pub async fn scrape(State(state): State<AppState>) -> AppResult<impl IntoResponse> {
    let depth = |table: &'static str| {
        let pool = state.db.pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(&format!(
                "select count(*) from {table} where status in ('pending', 'sending')"
            ))
            .fetch_one(&pool)
            .await
        }
    };
    state.metrics.queue_depth.set(depth("deliveries").await?);
    state.metrics.outbox_depth.set(depth("outbox").await?);
    let mut body = String::new();
    encode(&mut body, &state.metrics.registry)
        .map_err(|e| anyhow::anyhow!("encoding metrics: {e}"))?;
    Ok((
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        body,
    ))
}
