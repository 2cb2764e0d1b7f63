//! The signup form on the publication's own pages: the copy-paste snippet for editors (for
//! the default newsletter, one chosen newsletter, or a choice of several), the script and
//! stylesheet it loads, CORS for the JSON API from `server.allowed_origins`, and
//! the way back to the reader's page after a plain form post (`return_to`).

use std::collections::BTreeMap;

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::{Deserialize, Serialize};
use tower_http::cors::{AllowOrigin, CorsLayer};
use url::Url;

use crate::config::ServerSettings;
use crate::editors::EditorSession;
use crate::error::AppResult;
use crate::i18n::{Locale, Words};
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
    /// The form speaks the language of the page it is on, which the script finds.
    page_language: bool,
    /// The form's words: the language chosen, or for the page's own, the default one (what
    /// readers without script see, and sign up in).
    t: Words,
    /// `ScriptWords` by language tag, as JSON safe inside a `<script>` element.
    script_words: String,
}

/// The language an editor makes a snippet in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SnippetLanguage {
    Fixed(Locale),
    /// The page's own (`<html lang>`), among those offered.
    Page,
}

impl SnippetLanguage {
    /// The editor's choice (`?locale=de`, `?locale=page`); anything else, the default.
    fn parse(value: Option<&str>, offered: &[Locale], default: Locale) -> SnippetLanguage {
        match value.map(str::trim) {
            Some("page") => SnippetLanguage::Page,
            Some(tag) => tag
                .parse()
                .ok()
                .filter(|locale| offered.contains(locale))
                .map_or(SnippetLanguage::Fixed(default), SnippetLanguage::Fixed),
            None => SnippetLanguage::Fixed(default),
        }
    }
}

/// What the script needs in one language: the texts of the form (to show it in the page's
/// language) and what it says while and after sending.
#[derive(Serialize)]
struct ScriptWords {
    dir: &'static str,
    /// By the `data-tidings-text` of the element that shows it.
    texts: BTreeMap<&'static str, String>,
    /// The consent label, in that language: the sentence signups in it record.
    consent: String,
    sending: String,
    failed: String,
    /// Beside the newsletters when none is ticked, and as a sentence in the status line.
    choose: String,
    choose_sentence: String,
    /// "Please correct the highlighted field(s) below." for 1, 2, ... fields.
    check: Vec<String>,
}

/// The most fields a form can have a message for at once; more read as this many.
const CHECKED_FIELDS: usize = 4;

impl ScriptWords {
    fn new(state: &AppState, words: &Words) -> ScriptWords {
        let texts = [
            ("email", "signup-email"),
            ("name", "signup-name"),
            ("optional", "optional"),
            ("newsletters", "signup-newsletters"),
            ("honeypot", "signup-honeypot"),
            ("submit", "signup-submit"),
            ("subscribed", "signup-accepted"),
            ("rate-limited", "error-message-rate-limited"),
        ]
        .into_iter()
        .map(|(key, id)| (key, words.t(id)))
        .collect();
        let choose = words.t("error-choose-newsletter");
        ScriptWords {
            dir: words.dir(),
            texts,
            consent: state.consent.get(words.locale()).html.clone(),
            sending: words.t("embed-sending"),
            failed: words.t("embed-failed"),
            choose_sentence: crate::error::sentence(&choose),
            choose,
            check: (1..=CHECKED_FIELDS)
                .map(|n| words.count("signup-form-error", n))
                .collect(),
        }
    }
}

/// The script's words for the snippet: its own language, or every offered one when the page
/// decides. Escaped so that no `</script>` (or `<!--`) inside can end the element early.
fn script_words(state: &AppState, language: SnippetLanguage) -> String {
    let locales = match language {
        SnippetLanguage::Fixed(locale) => vec![locale],
        SnippetLanguage::Page => state.settings.newsletter.locales.clone(),
    };
    let words: BTreeMap<&str, ScriptWords> = locales
        .into_iter()
        .map(|locale| (locale.tag(), ScriptWords::new(state, &state.words(locale))))
        .collect();
    serde_json::to_string(&words)
        .unwrap_or_else(|_| "{}".to_string())
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
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
    /// The languages the snippet can speak (and `page`), the chosen one ticked; empty when
    /// only one is offered.
    languages: Vec<Choosable>,
}

/// Which snippet the editor asked for (`?newsletters=daily&newsletters=weekend`).
#[derive(Debug, Default, Deserialize)]
struct SnippetQuery {
    #[serde(default)]
    newsletters: Vec<String>,
    /// Present: checkboxes in the snippet.
    readers_choose: Option<String>,
    /// A language tag, or `page` for the language of the page it is on.
    locale: Option<String>,
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
    let offered = &state.settings.newsletter.locales;
    let default = state.settings.newsletter.default_locale;
    let language = SnippetLanguage::parse(query.locale.as_deref(), offered, default);
    let shown = match language {
        SnippetLanguage::Fixed(locale) => locale,
        SnippetLanguage::Page => default,
    };
    let snippet = Snippet {
        public_url,
        consent_html: &state.consent.get(shown).html,
        newsletters: &chosen,
        readers_choose,
        page_language: language == SnippetLanguage::Page,
        t: state.words(shown),
        script_words: script_words(&state, language),
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
        languages: language_choices(offered, language),
    })
    .into_response())
}

/// The editor's language list: each offered language by its own name, then the page's own.
fn language_choices(offered: &[Locale], chosen: SnippetLanguage) -> Vec<Choosable> {
    if offered.len() < 2 {
        return Vec::new();
    }
    offered
        .iter()
        .map(|locale| Choosable {
            value: locale.tag().to_string(),
            label: format!("{} ({})", locale.native_name(), locale.tag()),
            hint: String::new(),
            checked: chosen == SnippetLanguage::Fixed(*locale),
        })
        .chain([Choosable {
            value: "page".to_string(),
            label: "The page’s own language".to_string(),
            hint: String::new(),
            checked: chosen == SnippetLanguage::Page,
        }])
        .collect()
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
