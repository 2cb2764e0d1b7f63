//! Digests: the next one previewed from the articles in no digest yet, created with a
//! snapshot of its recipients, and its delivery progress. (Sending is the delivery engine's.)

mod create;
pub mod draft;
mod editor_pages;
mod progress;
pub mod queries;
pub mod render;
mod routes;
pub mod test_send;

use axum::Router;
use axum::routing::{get, post};

use crate::error::{AppError, AppResult};
use crate::i18n::Locale;
use crate::newsletters::{self, Cadence, Newsletter};
use crate::state::AppState;
use crate::subscribers::subscriptions;

pub use create::{Audience, Created, create_in};
pub use draft::{ComposeError, Composition, Next};
pub use progress::Progress;
pub use queries::{DigestState, DigestStatus, lock_creation};
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
    #[error("at most {} articles in one digest", draft::MAX_ARTICLES)]
    TooManyArticles,
    /// Every reader has had each of the articles (or chose topics none of them has).
    #[error(
        "every reader has already had these articles, or chose topics they are not about ({0} readers)"
    )]
    EveryoneHadThem(u64),
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
            CreateDigestError::NothingNew
            | CreateDigestError::EmptyDraft
            | CreateDigestError::EveryoneHadThem(_) => AppError::Conflict(err.to_string()),
            CreateDigestError::NoArticlesGiven
            | CreateDigestError::TooManyArticles
            | CreateDigestError::UnknownArticles(_) => {
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

/// The newsletter's next digest on its own schedule (its draft, or the newest articles in
/// none of its digests yet).
pub async fn next(state: &AppState, newsletter: &Newsletter) -> sqlx::Result<Next> {
    let mut conn = state.db.pool.acquire().await?;
    draft::next(&mut conn, newsletter, newsletter.max_articles).await
}

/// `None` when the next digest would hold no article. In the publication's default locale.
pub async fn preview(state: &AppState, newsletter: &Newsletter) -> AppResult<Option<Preview>> {
    preview_in(state, newsletter, state.settings.newsletter.default_locale).await
}

/// `preview`, as readers of `locale` would get it.
pub async fn preview_in(
    state: &AppState,
    newsletter: &Newsletter,
    locale: Locale,
) -> AppResult<Option<Preview>> {
    let next = next(state, newsletter).await?;
    Ok(render_preview(state, newsletter, next, locale).await?)
}

/// `next` rendered for an example reader of the default locale; `None` when it holds no
/// article.
pub async fn preview_of(
    state: &AppState,
    newsletter: &Newsletter,
    next: Next,
) -> AppResult<Option<Preview>> {
    let locale = state.settings.newsletter.default_locale;
    Ok(render_preview(state, newsletter, next, locale).await?)
}

async fn render_preview(
    state: &AppState,
    newsletter: &Newsletter,
    next: Next,
    locale: Locale,
) -> anyhow::Result<Option<Preview>> {
    if next.articles.is_empty() {
        return Ok(None);
    }
    let content = DigestContent::render(
        &state.settings,
        state.branding.current(),
        state.words(locale),
        newsletter,
        &next.articles,
        &next.composition,
        None,
    )?;
    let (text, html) = content.personalise(&Personal {
        name: None,
        unsubscribe_url: &state.settings.link(PREVIEW_UNSUBSCRIBE),
        policy_notice: None,
    })?;
    let recipients = subscriptions::count_recipients(&state.db.pool, newsletter.id).await?;
    Ok(Some(Preview {
        subject: content.subject,
        text,
        html,
        next,
        recipients,
    }))
}

/// Whose copy of the next digest a preview shows (besides everyone's: a reader who chose no
/// topics and had none of its articles).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PreviewAs {
    /// A reader who chose these topics (sorted slugs), new to every article.
    Topics(Vec<String>),
    /// This reader: their topics and cadence on the newsletter, and never an article they
    /// had before.
    Reader(i64),
}

/// Why a preview for a reader or a topic choice shows nothing.
#[derive(Debug, thiserror::Error)]
pub enum PreviewError {
    #[error("{NOTHING_NEW}")]
    NothingNew,
    #[error("{EMPTY_DRAFT}")]
    EmptyDraft,
    #[error(
        "a reader who chose {0} would get nothing: none of the next digest's articles is about these topics"
    )]
    NothingForTopics(String),
    #[error(
        "reader {0} would get nothing: they have had every article of the next digest that is theirs, or none is about the topics they chose"
    )]
    NothingForReader(i64),
    #[error("reader {0} does not get this newsletter (they are not a confirmed reader of it)")]
    NotAReader(i64),
    #[error("there is no reader with id {0}")]
    UnknownReader(i64),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl From<PreviewError> for AppError {
    fn from(err: PreviewError) -> AppError {
        match err {
            PreviewError::UnknownReader(_) => AppError::field("subscriber_id", err.to_string()),
            PreviewError::NothingNew
            | PreviewError::EmptyDraft
            | PreviewError::NothingForTopics(_)
            | PreviewError::NothingForReader(_)
            | PreviewError::NotAReader(_) => AppError::Conflict(err.to_string()),
            PreviewError::Database(err) => err.into(),
            PreviewError::Unexpected(err) => err.into(),
        }
    }
}

/// The newsletter's next digest as one reader (or a reader with one topic choice) would get
/// it if it were made now, rendered without their name; `recipients` is every reader of the
/// newsletter, as in `preview`. In `locale`, else in the reader's own, else in the
/// publication's default.
pub async fn preview_as(
    state: &AppState,
    newsletter: &Newsletter,
    reader: &PreviewAs,
    locale: Option<Locale>,
) -> Result<Preview, PreviewError> {
    // Reads only: a connection of the pool, not a transaction (on SQLite that would wait
    // for, and hold up, the writers).
    let mut conn = state.db.pool.acquire().await?;
    let (audience, topics, subscriber, theirs) = match reader {
        PreviewAs::Topics(topics) => (
            Audience {
                newsletter: newsletter.clone(),
                cadence: Cadence::Scheduled,
            },
            topics.clone(),
            None,
            None,
        ),
        PreviewAs::Reader(id) => {
            let Some(profile) = crate::subscribers::find_profile(&state.db.pool, *id).await? else {
                return Err(PreviewError::UnknownReader(*id));
            };
            let subscription = subscriptions::of_reader(&mut *conn, *id)
                .await?
                .into_iter()
                .find(|s| {
                    s.newsletter_id == newsletter.id && s.status == subscriptions::State::Confirmed
                })
                .ok_or(PreviewError::NotAReader(*id))?;
            (
                Audience {
                    newsletter: newsletter.clone(),
                    cadence: subscription.cadence,
                },
                subscription.topics,
                Some(*id),
                Some(profile.locale),
            )
        }
    };
    let locale = locale
        .or(theirs)
        .unwrap_or(state.settings.newsletter.default_locale);
    let found = create::for_reader(&mut conn, &audience, &topics, subscriber).await;
    drop(conn);
    let (articles, composition) = match found {
        Ok(Some(found)) => found,
        Ok(None) => {
            return Err(match reader {
                PreviewAs::Topics(topics) => PreviewError::NothingForTopics(topics.join(", ")),
                PreviewAs::Reader(id) => PreviewError::NothingForReader(*id),
            });
        }
        Err(CreateDigestError::NothingNew) => return Err(PreviewError::NothingNew),
        Err(CreateDigestError::EmptyDraft) => return Err(PreviewError::EmptyDraft),
        Err(CreateDigestError::Database(err)) => return Err(err.into()),
        Err(err) => return Err(anyhow::Error::from(err).into()),
    };
    let next = Next {
        articles,
        composition,
        draft: None,
    };
    render_preview(state, newsletter, next, locale)
        .await?
        .ok_or(PreviewError::NothingNew)
}

/// Creates the next digests for the audience (see `create::create_in`), in a transaction of
/// its own, and wakes the send engine.
pub async fn create(
    state: &AppState,
    audience: &Audience,
    article_ids: Option<&[i64]>,
    composition: Composition,
    created_by: &str,
) -> Result<Created, CreateDigestError> {
    let mut tx = state.db.begin().await?;
    let created = create_in(
        &mut tx,
        state,
        audience,
        article_ids,
        composition,
        created_by,
    )
    .await?;
    tx.commit().await?;
    state.delivery_wake.notify_waiters();
    Ok(created)
}

/// The named newsletter's readers on its own schedule (the default newsletter's when none
/// is named); an unknown slug is refused under `newsletter`.
pub async fn audience_of(state: &AppState, slug: Option<&str>) -> AppResult<Audience> {
    match newsletters::queries::find_named(&state.db.pool, slug).await? {
        Some(newsletter) => Ok(Audience {
            newsletter,
            cadence: Cadence::Scheduled,
        }),
        None => Err(AppError::field(
            "newsletter",
            format!(
                "there is no newsletter {:?}",
                slug.unwrap_or_default().trim()
            ),
        )),
    }
}

/// The default newsletter's readers on its own schedule: whom a digest is for when nobody
/// says otherwise.
pub async fn default_audience(state: &AppState) -> sqlx::Result<Audience> {
    Ok(Audience {
        newsletter: newsletters::queries::find_default(&state.db.pool).await?,
        cadence: Cadence::Scheduled,
    })
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
    state.progress.forget(id);
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
