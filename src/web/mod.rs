//! The HTTP surface: every domain's routes (and the API's description) merged under one set
//! of layers, plus the stylesheet, the health check and the fallback page.

pub mod extract;
pub mod page;
pub mod rate_limit;
mod security;

use std::time::Duration;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderName, HeaderValue, Request, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::db::Db;
use crate::error::{AppError, ErrorPageInfo};
use crate::i18n::{self, Locale};
use crate::state::AppState;
use crate::{
    api_docs, archive, articles, bounces, branding, digests, doctor, editors, embed, newsletters,
    stats, subscribers, unsubscribe,
};

/// Signup bodies are a few hundred bytes; anything near this is not a signup.
const MAX_BODY_BYTES: usize = 16 * 1024;
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
const STYLESHEET: &str = include_str!("../../templates/static/tidings.css");

pub fn router(state: AppState) -> Router {
    let request_id = HeaderName::from_static("x-request-id");
    // Only the JSON API is shared cross-origin: pages, form posts and the editors' session
    // never answer CORS at all.
    let api = Router::new()
        .merge(subscribers::api_router())
        .merge(articles::router())
        .merge(digests::router())
        .merge(newsletters::router())
        .merge(stats::router())
        .merge(api_docs::router());
    let api = match embed::cors(&state.settings.server) {
        Some(cors) => api.layer(cors),
        None => api,
    };
    Router::new()
        .merge(api)
        .merge(subscribers::router())
        .merge(unsubscribe::router())
        .merge(editors::router())
        .merge(articles::pages_router())
        .merge(digests::pages_router())
        .merge(newsletters::pages_router())
        .merge(embed::router())
        .merge(doctor::pages_router())
        .merge(stats::pages_router())
        .merge(archive::router())
        .merge(bounces::webhooks::router())
        .merge(branding::router())
        .route("/healthz", get(healthz))
        .route("/metrics", get(crate::metrics::scrape))
        .route("/static/tidings.css", get(stylesheet))
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            error_pages,
        ))
        // Outside `error_pages`, so that error pages are branded too.
        .layer(axum::middleware::from_fn_with_state(
            state.branding.clone(),
            branding::scope,
        ))
        .layer(axum::middleware::from_fn_with_state(
            security::SecurityHeaders::new(&state.settings),
            security::layer,
        ))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            REQUEST_TIMEOUT,
        ))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
                let path = request
                    .extensions()
                    .get::<axum::extract::MatchedPath>()
                    .map_or("unmatched", |p| p.as_str());
                let id = request
                    .headers()
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("");
                tracing::info_span!("request", method = %request.method(), path, request_id = id)
            }),
        )
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        .with_state(state)
}

/// 200 only when the database answers.
async fn healthz(State(db): State<Db>) -> impl IntoResponse {
    match db.ping().await {
        Ok(()) => (StatusCode::OK, Json(serde_json::json!({"status": "ok"}))),
        Err(err) => {
            tracing::warn!(error = %err, "health check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({"status": "database unavailable"})),
            )
        }
    }
}

async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        STYLESHEET,
    )
}

/// Error pages carry the newsletter's name and a way back that fits who is reading: editors
/// back to their pages (in English), readers to the signup page, in the language their
/// browser asks for (or the page's `?locale=`). (`AppError` renders them without either,
/// knowing neither.)
async fn error_pages(
    State(state): State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let editor = request.uri().path().starts_with("/editor");
    // Kept, not parsed: most responses are no error page.
    let uri = request.uri().clone();
    let accept_language = request.headers().get(header::ACCEPT_LANGUAGE).cloned();
    let mut response = next.run(request).await;
    if let Some(info) = response.extensions_mut().remove::<ErrorPageInfo>() {
        let newsletter = &state.settings.newsletter.name;
        let body = if editor {
            info.render_for_editor(newsletter, state.words(Locale::ENGLISH))
        } else {
            let asked = uri.query().and_then(|query| {
                url::form_urlencoded::parse(query.as_bytes())
                    .find(|(name, _)| name == "locale")
                    .map(|(_, value)| value.into_owned())
            });
            let offered = &state.settings.newsletter;
            let locale = i18n::negotiate(
                &offered.locales,
                offered.default_locale,
                asked.as_deref(),
                accept_language.as_ref().and_then(|v| v.to_str().ok()),
            );
            info.render_for_reader(newsletter, state.words(locale))
        };
        response.headers_mut().remove(header::CONTENT_LENGTH);
        *response.body_mut() = axum::body::Body::from(body);
    }
    response
}

async fn not_found() -> AppError {
    AppError::NotFound
}
