//! The signup form on the publication's own pages: the copy-paste snippet for editors, the
//! script and stylesheet it loads, CORS for the JSON API from `server.allowed_origins`, and
//! the way back to the reader's page after a plain form post (`return_to`).

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use tower_http::cors::{AllowOrigin, CorsLayer};
use url::Url;

use crate::config::ServerSettings;
use crate::editors::EditorSession;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::page::Page;

const SCRIPT: &str = include_str!("../templates/static/embed.js");
const STYLESHEET: &str = include_str!("../templates/static/embed.css");
/// Browsers may reuse a preflight answer this long.
const PREFLIGHT_MAX_AGE: std::time::Duration = std::time::Duration::from_secs(3600);

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/embed.js", get(script))
        .route("/embed.css", get(stylesheet))
        .route("/editor/embed", get(editor_page))
}

/// CORS for `/api/` from exactly the allowed origins, preflight included; `None` when there
/// are none. Other paths never get CORS headers: pages and forms need none, and the editors'
/// session cookie must stay same-site.
pub fn cors(server: &ServerSettings) -> Option<CorsLayer> {
    if server.allowed_origins.is_empty() {
        return None;
    }
    let server = server.clone();
    let allow = AllowOrigin::predicate(move |origin: &HeaderValue, request| {
        request.uri.path().starts_with("/api/")
            && origin.to_str().is_ok_and(|o| server.allows_origin(o))
    });
    Some(
        CorsLayer::new()
            .allow_origin(allow)
            .allow_methods([Method::GET, Method::POST, Method::PUT, Method::DELETE])
            .allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION])
            .expose_headers([header::RETRY_AFTER])
            .max_age(PREFLIGHT_MAX_AGE),
    )
}

/// Where to send a reader back to after a form post, if anywhere: `return_to` must be a page
/// on an allowed origin, and the form must have been posted from an allowed origin or from
/// Tidings' own pages (a reader correcting a mistake on the signup page). Anything else is
/// ignored, so the form cannot be used to redirect people to arbitrary sites.
pub fn return_to(server: &ServerSettings, headers: &HeaderMap, return_to: &str) -> Option<Url> {
    let target = Url::parse(return_to.trim()).ok()?;
    if !matches!(target.scheme(), "http" | "https")
        || !server.allows_origin(&target.origin().ascii_serialization())
    {
        return None;
    }
    let posted_from = posting_origin(headers)?;
    let own = server.public_url.origin().ascii_serialization();
    (posted_from == own || server.allows_origin(&posted_from)).then_some(target)
}

/// The origin a form was posted from: the `Origin` header browsers send with every POST, or
/// for the few that do not, the origin of the `Referer`.
fn posting_origin(headers: &HeaderMap) -> Option<String> {
    if let Some(origin) = headers.get(header::ORIGIN) {
        return origin.to_str().ok().map(str::to_string);
    }
    let referer = Url::parse(headers.get(header::REFERER)?.to_str().ok()?).ok()?;
    Some(referer.origin().ascii_serialization())
}

/// What happened to a form post, as the `tidings` parameter on the page the reader returns
/// to, and as its fragment: the snippet holds a message with that id, which its stylesheet
/// shows only when it is the target, so readers without JavaScript see it too.
#[derive(Debug, Clone, Copy)]
pub enum Outcome {
    Subscribed,
    RateLimited,
}

/// 303 back to `page` with `tidings=<outcome>` (replacing any earlier one) and the fragment
/// of the snippet's message for it.
pub fn back_to(mut page: Url, outcome: Outcome) -> Response {
    let (value, message_id) = match outcome {
        Outcome::Subscribed => ("subscribed", "tidings-subscribed"),
        Outcome::RateLimited => ("rate_limited", "tidings-rate-limited"),
    };
    let kept: Vec<(String, String)> = page
        .query_pairs()
        .filter(|(key, _)| key != "tidings")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    page.query_pairs_mut()
        .clear()
        .extend_pairs(kept)
        .append_pair("tidings", value);
    page.set_fragment(Some(message_id));
    Redirect::to(page.as_str()).into_response()
}

/// The snippet itself, rendered for the editor to copy.
#[derive(Template)]
#[template(path = "embed/snippet.html")]
struct Snippet<'a> {
    public_url: &'a str,
    consent_html: &'a str,
}

#[derive(Template)]
#[template(path = "editor/embed.html")]
struct EmbedPage<'a> {
    newsletter: &'a str,
    editor: &'a str,
    csrf: &'a str,
    snippet: &'a str,
    origins: Vec<String>,
}

async fn editor_page(State(state): State<AppState>, session: EditorSession) -> AppResult<Response> {
    let public_url = state
        .settings
        .server
        .public_url
        .as_str()
        .trim_end_matches('/');
    let snippet = Snippet {
        public_url,
        consent_html: &state.consent.html,
    }
    .render()
    .map_err(anyhow::Error::from)?;
    let origins = state
        .settings
        .server
        .allowed_origins
        .iter()
        .map(|o| o.origin().ascii_serialization())
        .collect();
    Ok(Page(EmbedPage {
        newsletter: &state.settings.newsletter.name,
        editor: &session.email,
        csrf: &session.csrf,
        snippet: &snippet,
        origins,
    })
    .into_response())
}

async fn script() -> impl IntoResponse {
    static_file("text/javascript; charset=utf-8", SCRIPT)
}

async fn stylesheet() -> impl IntoResponse {
    static_file("text/css; charset=utf-8", STYLESHEET)
}

fn static_file(content_type: &'static str, body: &'static str) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(origins: &[&str]) -> ServerSettings {
        ServerSettings {
            bind: "127.0.0.1:0".parse().unwrap(),
            public_url: "https://tidings.example".parse().unwrap(),
            trusted_proxy_header: String::new(),
            allowed_origins: origins.iter().map(|o| o.parse().unwrap()).collect(),
        }
    }

    fn posted_from(origin: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::ORIGIN, origin.parse().unwrap());
        headers
    }

    #[test]
    fn return_to_needs_an_allowed_page_and_an_allowed_poster() {
        let s = server(&["https://news.example", "http://localhost:8080"]);
        let news = posted_from("https://news.example");
        let page = "https://news.example/2026/rivers?x=1";
        assert_eq!(return_to(&s, &news, page).unwrap().as_str(), page);
        assert!(return_to(&s, &news, "http://localhost:8080/a").is_some());
        assert!(return_to(&s, &posted_from("https://tidings.example"), page).is_some());
        for bad in [
            "https://evil.example/",
            "https://news.example.evil.example/",
            "http://news.example/",
            "https://news.example:444/",
            "//evil.example/",
            "/relative",
            "javascript:alert(1)",
            "",
        ] {
            assert!(return_to(&s, &news, bad).is_none(), "{bad} was accepted");
        }
        assert!(return_to(&s, &posted_from("https://evil.example"), page).is_none());
        assert!(return_to(&s, &HeaderMap::new(), page).is_none());
        let mut referred = HeaderMap::new();
        referred.insert(header::REFERER, page.parse().unwrap());
        assert!(return_to(&s, &referred, page).is_some());
        assert!(return_to(&server(&[]), &news, page).is_none());
    }

    #[test]
    fn back_to_replaces_an_earlier_status_and_keeps_the_rest() {
        let page: Url = "https://news.example/a?x=1&tidings=old#signup"
            .parse()
            .unwrap();
        let response = back_to(page, Outcome::Subscribed);
        assert_eq!(response.status(), 303);
        assert_eq!(
            response.headers()[header::LOCATION],
            "https://news.example/a?x=1&tidings=subscribed#tidings-subscribed"
        );
    }
}
