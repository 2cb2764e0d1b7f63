//! Digests: the next one previewed from the articles in no digest yet, created with a
//! snapshot of its recipients, and its delivery progress. (Sending is the delivery engine's.)

pub mod draft;
mod editor_pages;
pub mod queries;
pub mod render;
mod routes;
pub mod test_send;

use axum::Router;
use axum::routing::{get, post};

use crate::articles;
use crate::db::{self, Tx};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

pub use draft::{ComposeError, Composition, Next};
pub use queries::{DigestState, DigestStatus};
pub use render::{DigestContent, Personal};
pub use test_send::TestEmails;

/// What the next digest would be, rendered for an example reader.
pub struct Preview {
    pub subject: String,
    pub text: String,
    pub html: String,
    pub next: Next,
    pub recipients: i64,
}

pub const NOTHING_NEW: &str = "there is nothing new to send: every article is already in a digest";
pub const EMPTY_DRAFT: &str =
    "the draft of the next digest lists no articles: add some, or discard the draft";

/// Why no digest was made.
#[derive(Debug, thiserror::Error)]
pub enum CreateDigestError {
    #[error("{NOTHING_NEW}")]
    NothingNew,
    #[error("{EMPTY_DRAFT}")]
    EmptyDraft,
    #[error("give at least one article id, or leave it out")]
    NoArticlesGiven,
    #[error("no article with id {0}")]
    UnknownArticles(String),
    #[error(transparent)]
    Composition(#[from] ComposeError),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl From<CreateDigestError> for AppError {
    fn from(err: CreateDigestError) -> AppError {
        match err {
            CreateDigestError::NothingNew | CreateDigestError::EmptyDraft => {
                AppError::Conflict(err.to_string())
            }
            CreateDigestError::NoArticlesGiven | CreateDigestError::UnknownArticles(_) => {
                AppError::field("article_ids", err.to_string())
            }
            CreateDigestError::Composition(err) => err.into(),
            CreateDigestError::Database(err) => err.into(),
            CreateDigestError::Unexpected(err) => err.into(),
        }
    }
}
/// Why a digest could not be cancelled.
#[derive(Debug, thiserror::Error)]
pub enum CancelDigestError {
    #[error("not found")]
    NotFound,
    #[error("this digest is already cancelled")]
    AlreadyCancelled,
    #[error("this digest has already been sent")]
    AlreadySent,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl From<CancelDigestError> for AppError {
    fn from(err: CancelDigestError) -> AppError {
        match err {
            CancelDigestError::NotFound => AppError::NotFound,
            CancelDigestError::AlreadyCancelled | CancelDigestError::AlreadySent => {
                AppError::Conflict(err.to_string())
            }
            CancelDigestError::Database(err) => err.into(),
        }
    }
}

/// The unsubscribe link shown in previews; it leads to a page saying the link is not valid.
const PREVIEW_UNSUBSCRIBE: &str = "/unsubscribe/preview";

/// The next digest (the draft, or the newest articles in no digest yet).
pub async fn next(state: &AppState) -> sqlx::Result<Next> {
    let mut conn = state.db.pool.acquire().await?;
    draft::next(&mut conn, i64::from(state.settings.digest.max_articles)).await
}

/// `None` when the next digest would hold no article.
pub async fn preview(state: &AppState) -> AppResult<Option<Preview>> {
    preview_of(state, next(state).await?).await
}

/// `next` rendered for an example reader; `None` when it holds no article.
pub async fn preview_of(state: &AppState, next: Next) -> AppResult<Option<Preview>> {
    if next.articles.is_empty() {
        return Ok(None);
    }
    let content = DigestContent::render(
        &state.settings,
        state.branding.current(),
        &next.articles,
        &next.composition,
        None,
    )?;
    let (text, html) = content
        .personalise(&Personal {
            name: None,
            unsubscribe_url: &state.settings.link(PREVIEW_UNSUBSCRIBE),
            policy_notice: None,
        })
        .map_err(anyhow::Error::from)?;
    let recipients = queries::count_recipients(&state.db.pool).await?;
    Ok(Some(Preview {
        subject: content.subject,
        text,
        html,
        next,
        recipients,
    }))
}

/// Creates a digest of the given articles, or else the next digest (the draft, which it
/// ends, or the newest articles in no digest yet), with one pending delivery per confirmed
/// reader; all in one transaction. `composition`'s fields win over the draft's.
pub async fn create(
    state: &AppState,
    article_ids: Option<&[i64]>,
    composition: Composition,
    created_by: &str,
) -> Result<i64, CreateDigestError> {
    let mut tx = state.db.begin().await?;
    let id = create_in(&mut tx, state, article_ids, composition, created_by).await?;
    tx.commit().await?;
    state.delivery_wake.notify_waiters();
    Ok(id)
}

/// `create` inside the caller's transaction (the scheduler takes its slot in the same one).
/// The caller commits, then wakes the delivery workers.
pub async fn create_in(
    tx: &mut Tx<'_>,
    state: &AppState,
    article_ids: Option<&[i64]>,
    composition: Composition,
    created_by: &str,
) -> Result<i64, CreateDigestError> {
    let now = db::now();
    queries::lock_creation(tx, state.db.backend).await?;
    let (articles, composition) = match article_ids {
        Some([]) => return Err(CreateDigestError::NoArticlesGiven),
        Some(ids) => {
            // An id listed twice is one article (a digest holds each article once).
            let mut ids = ids.to_vec();
            ids.sort_unstable();
            ids.dedup();
            let found = articles::queries::list_by_ids(tx, &ids).await?;
            let missing: Vec<String> = ids
                .iter()
                .filter(|id| !found.iter().any(|a| a.id == **id))
                .map(i64::to_string)
                .collect();
            if !missing.is_empty() {
                return Err(CreateDigestError::UnknownArticles(missing.join(", ")));
            }
            (found, composition)
        }
        None => {
            let limit = i64::from(state.settings.digest.max_articles);
            let next = draft::next(tx, limit).await?;
            if next.draft.is_some() {
                if next.articles.is_empty() {
                    return Err(CreateDigestError::EmptyDraft);
                }
                draft::discard(tx).await?;
            }
            (next.articles, composition.or(next.composition))
        }
    };
    if articles.is_empty() {
        return Err(CreateDigestError::NothingNew);
    }
    let ids: Vec<i64> = articles.iter().map(|a| a.id).collect();
    let composition = composition.checked(&ids)?;
    let subject = match &composition.subject {
        Some(subject) => subject.clone(),
        None => render::subject_from_template(
            &state.settings.digest.subject,
            &state.settings.newsletter.name,
            &articles,
        ),
    };
    let id = queries::insert_digest(tx, &subject, &composition, created_by, now).await?;
    queries::insert_articles(tx, id, &ids).await?;
    let recipients = queries::snapshot_recipients(tx, id, now).await?;
    tracing::info!(
        digest_id = id,
        articles = ids.len(),
        recipients,
        created_by,
        "digest created"
    );
    Ok(id)
}

/// Stops a digest: its pending deliveries are cancelled (those already in flight finish).
pub async fn cancel(state: &AppState, id: i64) -> Result<DigestStatus, CancelDigestError> {
    let current = queries::find_status(&state.db.pool, id)
        .await?
        .ok_or(CancelDigestError::NotFound)?;
    match current.status {
        DigestState::Cancelled => return Err(CancelDigestError::AlreadyCancelled),
        DigestState::Sent => return Err(CancelDigestError::AlreadySent),
        DigestState::Queued | DigestState::Sending => {}
    }
    let mut tx = state.db.begin().await?;
    queries::mark_cancelled(&mut tx, id).await?;
    tx.commit().await?;
    tracing::info!(digest_id = id, "digest cancelled");
    queries::find_status(&state.db.pool, id)
        .await?
        .ok_or(CancelDigestError::NotFound)
}

/// The routes below, described for the API's OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    routes::list,
    routes::create,
    routes::preview,
    routes::test,
    routes::get_draft,
    routes::save_draft,
    routes::discard_draft,
    routes::show,
    routes::cancel
))]
pub struct ApiDoc;

/// The editors' page over digests.
pub fn pages_router() -> Router<AppState> {
    Router::new()
        .route("/editor/digest", get(editor_pages::digest))
        .route("/editor/digest/draft", post(editor_pages::compose))
        .route("/editor/digest/confirm", post(editor_pages::confirm_send))
        .route("/editor/digest/send", post(editor_pages::send))
        .route("/editor/digest/test", post(editor_pages::send_test))
        .route("/editor/digest/later", post(editor_pages::send_later))
        .route(
            "/editor/scheduled/{id}/cancel",
            post(editor_pages::cancel_scheduled),
        )
        .route(
            "/editor/digests/{id}/cancel",
            get(editor_pages::confirm_cancel).post(editor_pages::cancel_digest),
        )
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/digests", post(routes::create).get(routes::list))
        .route("/api/v1/digests/test", post(routes::test))
        .route("/api/v1/digests/preview", get(routes::preview))
        .route(
            "/api/v1/digests/draft",
            get(routes::get_draft)
                .put(routes::save_draft)
                .delete(routes::discard_draft),
        )
        .route("/api/v1/digests/{id}", get(routes::show))
        .route("/api/v1/digests/{id}/cancel", post(routes::cancel))
}
