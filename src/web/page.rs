use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

/// An askama page as a response: its HTML, or a logged 500 if rendering fails.
pub struct Page<T>(pub T);

impl<T: Template> IntoResponse for Page<T> {
    fn into_response(self) -> Response {
        match crate::branding::render_page(&self.0) {
            Ok(html) => Html(html).into_response(),
            Err(err) => {
                tracing::error!(error = %err, "rendering a page failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "something went wrong on our side",
                )
                    .into_response()
            }
        }
    }
}
