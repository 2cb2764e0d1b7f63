//! The JSON API described as OpenAPI 3.1, generated from the handlers' own annotations and
//! types (so it cannot drift from the code), served at `/api/openapi.json`, and a reference
//! page for people at `/api/docs` rendered from the same description.

mod page;

use std::sync::LazyLock;

use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::state::AppState;
use crate::web::page::Page;
use crate::{articles, digests, newsletters, stats, subscribers};

pub const SPEC_PATH: &str = "/api/openapi.json";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Tidings API",
        version = env!("CARGO_PKG_VERSION"),
        description = "Sign readers up, add articles, send digests and look after readers' data. \
            Every route but the signup needs `Authorization: Bearer <token>`, a token made with \
            `tidings token create --name NAME`. Errors answer `{\"error\": \"...\", \"fields\": {...}}`. \
            Browsers on the sites in `server.allowed_origins` may call it directly (CORS)."
    ),
    // Each domain describes its own routes (its `ApiDoc`, beside its router); `SPEC` merges
    // them in, with `Reference` last.
    // Also named by the shared error responses in `error::doc`, whose schemas utoipa does not
    // collect from `responses(...)` on its own.
    components(schemas(crate::error::ErrorBody)),
    modifiers(&BearerToken),
    tags(
        (name = "signup", description = "The public signup, the JSON twin of the form"),
        (name = "articles", description = "What digests are made of"),
        (name = "digests", description = "Making, sending and following digests"),
        (name = "newsletters", description = "The publication's newsletters, each with its own schedule and topics"),
        (name = "subscribers", description = "Readers and their data"),
        (name = "stats", description = "The editors' home figures"),
        (name = "reference", description = "This description of the API"),
    )
)]
struct ApiDoc;

/// This module's own routes.
#[derive(OpenApi)]
#[openapi(paths(openapi_json, reference_page))]
struct Reference;

/// The `bearer` scheme the token routes name in their `security`.
struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let scheme = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .description(Some("A token from `tidings token create --name NAME`"))
            .build();
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme("bearer", SecurityScheme::Http(scheme));
    }
}

/// The description, built once: it is fixed at compile time.
pub static SPEC: LazyLock<utoipa::openapi::OpenApi> = LazyLock::new(|| {
    let mut spec = ApiDoc::openapi();
    for domain in [
        subscribers::ApiDoc::openapi(),
        articles::ApiDoc::openapi(),
        digests::ApiDoc::openapi(),
        newsletters::ApiDoc::openapi(),
        stats::ApiDoc::openapi(),
        Reference::openapi(),
    ] {
        spec.merge(domain);
    }
    spec
});

static SPEC_JSON: LazyLock<String> = LazyLock::new(|| {
    SPEC.to_pretty_json()
        .expect("the OpenAPI description serialises")
});

/// The OpenAPI description of this API
#[utoipa::path(
    get,
    path = "/api/openapi.json",
    tag = "reference",
    operation_id = "openapi_json",
    responses((status = 200, description = "OpenAPI 3.1, as JSON", body = serde_json::Value, content_type = "application/json"))
)]
async fn openapi_json() -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        SPEC_JSON.as_str(),
    )
        .into_response()
}

/// The API reference for people
///
/// Every operation with its parameters, bodies and answers, from the same description.
#[utoipa::path(
    get,
    path = "/api/docs",
    tag = "reference",
    operation_id = "api_reference",
    responses((status = 200, description = "The reference page", body = String, content_type = "text/html"))
)]
async fn reference_page(State(state): State<AppState>) -> Response {
    Page(page::ApiReference::new(
        &state.settings.newsletter.name,
        &page::MODEL,
    ))
    .into_response()
}

pub fn router() -> Router<AppState> {
    Router::new()
        // Literal paths: the route-coverage test finds API routes by reading `.route("/api…`.
        .route("/api/openapi.json", get(openapi_json))
        .route("/api/docs", get(reference_page))
}
