//! Headers that keep pages from being framed or made to run what they did not ship: a
//! content security policy on every HTML answer, `X-Frame-Options`, HSTS when the public URL
//! is https, and `Cross-Origin-Resource-Policy` (only the embed script and stylesheet may be
//! loaded by other sites). One middleware, so no page can forget them.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::config::Settings;

/// Pages that show HTML made elsewhere and its inline styles: the email preview (an iframe's
/// `srcdoc`, which takes its page's policy) and the embed snippet's live preview.
const INLINE_STYLE_PAGES: &[&str] = &["/editor/digest", "/editor/embed"];
/// The next digest as a bare email, viewed alone: its styles are inline, nothing runs.
const EMAIL_PAGES: &[&str] = &["/api/v1/digests/preview"];
/// What other sites load: their article pages the embedded form, and webmail the logo in
/// our emails.
const EMBED_ASSETS: &[&str] = &["/embed.js", "/embed.css", crate::branding::LOGO_PATH];

#[derive(Clone)]
pub struct SecurityHeaders {
    page: HeaderValue,
    inline_styles: HeaderValue,
    email: HeaderValue,
    hsts: Option<HeaderValue>,
}

impl SecurityHeaders {
    pub fn new(settings: &Settings) -> SecurityHeaders {
        let public = settings.server.public_url.origin().ascii_serialization();
        // A form posted from Tidings' own signup page may be redirected back to an allowed
        // site (`return_to`), and browsers apply form-action to that redirect too.
        let mut form_targets = vec!["'self'".to_string(), public.clone()];
        form_targets.extend(
            settings
                .server
                .allowed_origins
                .iter()
                .map(|o| o.origin().ascii_serialization()),
        );
        let page = |styles: &str| {
            format!(
                "default-src 'self'; script-src 'self' {public}; style-src 'self' {public}{styles}; \
                 img-src 'self' https: data:; form-action {}; frame-ancestors 'none'; \
                 base-uri 'none'; object-src 'none'",
                form_targets.join(" ")
            )
        };
        let value = |policy: String| HeaderValue::try_from(policy).expect("origins are ASCII");
        SecurityHeaders {
            page: value(page("")),
            inline_styles: value(page(" 'unsafe-inline'")),
            email: HeaderValue::from_static(
                "default-src 'none'; img-src https: data:; style-src 'unsafe-inline'; \
                 frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
            ),
            hsts: (settings.server.public_url.scheme() == "https")
                .then(|| HeaderValue::from_static("max-age=31536000")),
        }
    }

    /// What the answer to `path` gets: its content security policy (if it is a page) and
    /// its resource policy. Chosen before the request is handled, which consumes the path.
    fn for_path(&self, path: &str) -> (&HeaderValue, &'static str) {
        let policy = if EMAIL_PAGES.contains(&path) {
            &self.email
        } else if INLINE_STYLE_PAGES.contains(&path) {
            &self.inline_styles
        } else {
            &self.page
        };
        let resource_policy = if EMBED_ASSETS.contains(&path) {
            "cross-origin"
        } else {
            "same-origin"
        };
        (policy, resource_policy)
    }

    fn apply(&self, policy: &HeaderValue, resource_policy: &'static str, headers: &mut HeaderMap) {
        let is_html = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"));
        if is_html {
            headers
                .entry(header::CONTENT_SECURITY_POLICY)
                .or_insert_with(|| policy.clone());
            headers
                .entry(header::X_FRAME_OPTIONS)
                .or_insert(HeaderValue::from_static("DENY"));
        }
        headers.insert(
            "cross-origin-resource-policy",
            HeaderValue::from_static(resource_policy),
        );
        if let Some(hsts) = &self.hsts {
            headers.insert(header::STRICT_TRANSPORT_SECURITY, hsts.clone());
        }
    }
}

pub async fn layer(
    State(headers): State<SecurityHeaders>,
    request: Request,
    next: Next,
) -> Response {
    let (policy, resource_policy) = headers.for_path(request.uri().path());
    let policy = policy.clone();
    let mut response = next.run(request).await;
    headers.apply(&policy, resource_policy, response.headers_mut());
    response
}
