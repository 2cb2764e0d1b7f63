//! The doctor's report on the editors' desk: the same checks as `tidings doctor`.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::Check;
use crate::editors::EditorSession;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::page::Page;

#[derive(Template)]
#[template(path = "editor/doctor.html")]
struct DoctorPage<'a> {
    newsletter: &'a str,
    editor: &'a str,
    csrf: &'a str,
    checks: &'a [Check],
    failed: usize,
}

async fn page(State(state): State<AppState>, session: EditorSession) -> AppResult<Response> {
    let checks = super::run(&state).await;
    let failed = checks
        .iter()
        .filter(|c| c.verdict == super::Verdict::Fail)
        .count();
    Ok(Page(DoctorPage {
        newsletter: &state.settings.newsletter.name,
        editor: &session.email,
        csrf: &session.csrf,
        checks: &checks,
        failed,
    })
    .into_response())
}

pub fn pages_router() -> Router<AppState> {
    Router::new().route("/editor/doctor", get(page))
}
