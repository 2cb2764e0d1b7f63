//! Extractors that turn what axum rejects into our errors (so a bad body is a 4xx with a
//! message, in JSON for the API), and the client's IP and user agent for the consent record.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequest, FromRequestParts};
use axum::http::header::USER_AGENT;
use axum::http::request::Parts;

use crate::consent::ClientInfo;
use crate::error::{ApiError, AppError, FieldErrors};
use crate::state::AppState;

/// `axum::Form` whose rejection renders as an error page.
#[derive(FromRequest)]
#[from_request(via(axum::Form), rejection(AppError))]
pub struct PageForm<T>(pub T);

/// A form whose fields may repeat (`newsletters=daily&newsletters=weekend`, as checkboxes
/// post them) into `Vec` fields, through axum-extra's `Form` (serde_html_form); its
/// rejection renders as an error page. Also reads a GET form's query string.
#[derive(FromRequest)]
#[from_request(via(axum_extra::extract::Form), rejection(AppError))]
pub struct ListForm<T>(pub T);

/// `axum::extract::Query` whose rejection renders as an error page.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(AppError))]
pub struct PageQuery<T>(pub T);

/// `axum::Json` whose rejection answers `{"error", "fields"}`.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);

/// `axum::extract::Path` whose rejection (say, `/articles/abc` for a numeric id) answers
/// `{"error", "fields"}` like every other API error, not axum's plain text.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

/// `axum::extract::Query` whose rejection answers `{"error", "fields"}`.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

/// validator's errors as field -> first message.
pub fn field_errors(errors: &validator::ValidationErrors) -> FieldErrors {
    errors
        .field_errors()
        .into_iter()
        .filter_map(|(field, errs)| {
            let message = errs.first()?.message.as_ref()?.to_string();
            Some((field.to_string(), message))
        })
        .collect()
}

const MAX_USER_AGENT: usize = 512;

impl FromRequestParts<AppState> for ClientInfo {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        let header = &state.settings.server.trusted_proxy_header;
        let forwarded = (!header.is_empty())
            .then(|| parts.headers.get(header.as_str()))
            .flatten()
            .and_then(|v| v.to_str().ok())
            .and_then(forwarded_client);
        let user_agent = parts
            .headers
            .get(USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|ua| {
                ua.chars()
                    .filter(|c| !c.is_control())
                    .take(MAX_USER_AGENT)
                    .collect()
            });
        Ok(ClientInfo {
            ip: forwarded.or(peer),
            user_agent,
        })
    }
}

/// The right-most address of an `X-Forwarded-For`-style list: the one our own proxy saw.
/// Addresses further left were written by the client and prove nothing.
fn forwarded_client(value: &str) -> Option<IpAddr> {
    value
        .rsplit(',')
        .next()
        .and_then(|ip| ip.trim().parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trusts_only_the_right_most_forwarded_address() {
        assert_eq!(
            forwarded_client("6.6.6.6, 203.0.113.7"),
            "203.0.113.7".parse().ok()
        );
        assert_eq!(forwarded_client("2001:db8::1"), "2001:db8::1".parse().ok());
        assert_eq!(forwarded_client("garbage"), None);
    }
}
