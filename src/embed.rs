//! The signup form on the publication's own pages: the copy-paste snippet for editors (for
//! the default newsletter, one chosen newsletter, or a choice of several), the script and
//! stylesheet it loads, CORS for the JSON API from `server.allowed_origins`, and
//! the way back to the reader's page after a plain form post (`return_to`).

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;
use tower_http::cors::{AllowOrigin, CorsLayer};
use url::Url;

use crate::config::ServerSettings;
use crate::editors::EditorSession;
use crate::error::AppResult;
use crate::newsletters;
use crate::state::AppState;
use crate::subscribers::choices::Choosable;
use crate::web::extract::ListForm;
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

/// CORS for the JSON API from exactly the allowed origins, preflight included (errors too:
/// the script reads a 422 to show it beside the field); `None` when there are none. The
/// caller layers it on the API routes only: pages and forms need none, and the editors'
/// session cookie must stay same-site.
pub fn cors(server: &ServerSettings) -> Option<CorsLayer> {
    if server.allowed_origins.is_empty() {
        return None;
    }
    let origins: Vec<HeaderValue> = server
        .allowed_origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(&o.origin().ascii_serialization()).ok())
        .collect();
    Some(
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(origins))
            .allow_methods([Method::GET, Method::POST, Method::PUT, Method::DELETE])
            .allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION])
            .expose_headers([header::RETRY_AFTER])
            .max_age(PREFLIGHT_MAX_AGE),
    )
}

/// Where to send a reader back to after a form post, if anywhere: `return_to` must be a page
/// on an allowed origin, so the form cannot be used to redirect people to arbitrary sites.
/// A form posted from a known foreign site is not sent back either; Tidings' own signup page
/// (a reader correcting a mistake) counts as allowed. Browsers send `Origin: null` for pages
/// with a strict referrer policy, a common setting on news sites; that is no reason to refuse.
pub fn return_to(server: &ServerSettings, headers: &HeaderMap, return_to: &str) -> Option<Url> {
    let target = Url::parse(return_to.trim()).ok()?;
    if !matches!(target.scheme(), "http" | "https")
        || !server.allows_origin(&target.origin().ascii_serialization())
    {
        return None;
    }
    let foreign = posting_origin(headers).is_some_and(|from| {
        from != server.public_url.origin().ascii_serialization() && !server.allows_origin(&from)
    });
    (!foreign).then_some(target)
}

/// The origin a form was posted from, where the browser says: the `Origin` header, or for
/// the few browsers that send none, the origin of the `Referer`.
fn posting_origin(headers: &HeaderMap) -> Option<String> {
    match headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) {
        Some("null") => None,
        Some(origin) => Some(origin.to_string()),
        None => {
            let referer = Url::parse(headers.get(header::REFERER)?.to_str().ok()?).ok()?;
            Some(referer.origin().ascii_serialization())
        }
    }
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
    // The page's own parameters stay exactly as written.
    let mut query: Vec<&str> = page
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|pair| !pair.is_empty() && *pair != "tidings" && !pair.starts_with("tidings="))
        .collect();
    let status = format!("tidings={value}");
    query.push(&status);
    let query = query.join("&");
    page.set_query(Some(&query));
    page.set_fragment(Some(message_id));
    Redirect::to(page.as_str()).into_response()
}

/// The snippet itself, rendered for the editor to copy.
#[derive(Template)]
#[template(path = "embed/snippet.html")]
struct Snippet<'a> {
    public_url: &'a str,
    consent_html: &'a str,
    /// The newsletters the form signs up to; none: the default newsletter.
    newsletters: &'a [Choosable],
    /// Readers tick which of `newsletters` they want (else they join them all).
    readers_choose: bool,
}

#[derive(Template)]
#[template(path = "editor/embed.html")]
struct EmbedPage<'a> {
    newsletter: &'a str,
    editor: &'a str,
    csrf: &'a str,
    snippet: &'a str,
    origins: Vec<String>,
    /// Every newsletter, ticked when the snippet is for it; empty when there is only one.
    choices: Vec<Choosable>,
    readers_choose: bool,
}

/// Which snippet the editor asked for (`?newsletters=daily&newsletters=weekend`).
#[derive(Debug, Default, Deserialize)]
struct SnippetQuery {
    #[serde(default)]
    newsletters: Vec<String>,
    /// Present: checkboxes in the snippet.
    readers_choose: Option<String>,
}

async fn editor_page(
    State(state): State<AppState>,
    session: EditorSession,
    ListForm(query): ListForm<SnippetQuery>,
) -> AppResult<Response> {
    let public_url = state
        .settings
        .server
        .public_url
        .as_str()
        .trim_end_matches('/');
    let all = newsletters::queries::list(&state.db.pool).await?;
    let choices: Vec<Choosable> = all
        .iter()
        .map(|n| Choosable {
            value: n.slug.clone(),
            label: n.name.clone(),
            hint: n.description.clone(),
            checked: query.newsletters.contains(&n.slug),
        })
        .collect();
    let mut chosen: Vec<Choosable> = choices.iter().filter(|c| c.checked).cloned().collect();
    // The first one ticked in the reader's form; they add the others they want.
    for (i, choice) in chosen.iter_mut().enumerate() {
        choice.checked = i == 0;
    }
    let readers_choose = query.readers_choose.is_some() && chosen.len() > 1;
    let snippet = Snippet {
        public_url,
        consent_html: &state
            .consent
            .get(state.settings.newsletter.default_locale)
            .html,
        newsletters: &chosen,
        readers_choose,
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
        choices: if all.len() > 1 { choices } else { Vec::new() },
        readers_choose: query.readers_choose.is_some(),
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
        // Strict referrer policies: the browser does not say where the form was.
        assert!(return_to(&s, &posted_from("null"), page).is_some());
        assert!(return_to(&s, &HeaderMap::new(), page).is_some());
        assert!(return_to(&s, &posted_from("null"), "https://evil.example/").is_none());
        let mut referred = HeaderMap::new();
        referred.insert(header::REFERER, page.parse().unwrap());
        assert!(return_to(&s, &referred, page).is_some());
        assert!(return_to(&server(&[]), &news, page).is_none());
    }

    #[test]
    fn back_to_replaces_an_earlier_status_and_keeps_the_rest() {
        let page: Url = "https://news.example/a?q=b%20c&flag&tidings=old#signup"
            .parse()
            .unwrap();
        let response = back_to(page, Outcome::Subscribed);
        assert_eq!(response.status(), 303);
        assert_eq!(
            response.headers()[header::LOCATION],
            "https://news.example/a?q=b%20c&flag&tidings=subscribed#tidings-subscribed"
        );
        let plain = back_to(
            "https://news.example/a".parse().unwrap(),
            Outcome::RateLimited,
        );
        assert_eq!(
            plain.headers()[header::LOCATION],
            "https://news.example/a?tidings=rate_limited#tidings-rate-limited"
        );
    }
}
