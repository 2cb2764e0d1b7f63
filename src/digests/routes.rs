use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use super::draft::{self, Composition, Draft};
use super::queries::{self, DigestStatus};
use crate::editors::ApiClient;
use crate::error::doc::{BadId, Busy, MalformedJson, TooLarge, Unauthorized, WrongContentType};
use crate::error::{ApiResult, AppError, ErrorBody};
use crate::i18n::Locale;
use crate::state::AppState;
use crate::web::extract::{ApiJson, ApiPath, ApiQuery};

/// Preview the next digest
///
/// The HTML of the digest that would be made now from the articles in no digest yet (or the
/// draft), exactly as a reader without a name would get it: by default a reader who chose no
/// topics; with `topics`, a reader who chose those; with `subscriber_id`, that reader, with
/// their topics, cadence and locale on the newsletter and without the articles they already
/// had. With `locale`, in that language.
#[utoipa::path(
    get,
    path = "/api/v1/digests/preview",
    operation_id = "preview_digest",
    tag = "digests",
    security(("bearer" = [])),
    params(PreviewParams),
    responses(
        (status = 200, description = "The digest's HTML", body = String, content_type = "text/html",
            headers(
                ("x-digest-subject" = String, description = "The subject, non-ASCII characters as `?`"),
                ("x-digest-recipients" = i64, description = "Confirmed readers of the newsletter (each gets the articles of their own choice)"),
            )),
        (status = 400, description = "A parameter is given twice, or is not of its type", body = ErrorBody),
        Unauthorized,
        (status = 409, description = "Every article is already in a digest, or the draft lists none, or the reader (or topic choice) would get nothing, or the reader does not get this newsletter", body = ErrorBody),
        (status = 422, description = "No newsletter with this slug, topics that are not topics, a `subscriber_id` that is not a reader's, a `locale` Tidings does not ship, or both `topics` and `subscriber_id`; listed in `fields`", body = ErrorBody),
        Busy,
    )
)]
pub async fn preview(
    State(state): State<AppState>,
    _client: ApiClient,
    ApiQuery(params): ApiQuery<PreviewParams>,
) -> ApiResult<Response> {
    let reader = params.reader()?;
    let locale = params.locale()?;
    let audience = super::audience_of(&state, params.newsletter.as_deref()).await?;
    let preview = match reader {
        None => {
            let locale = locale.unwrap_or(state.settings.newsletter.default_locale);
            super::preview_in(&state, &audience.newsletter, locale)
                .await?
                .ok_or_else(|| AppError::Conflict(super::NOTHING_NEW.to_string()))?
        }
        Some(reader) => super::preview_as(&state, &audience.newsletter, &reader, locale)
            .await
            .map_err(AppError::from)?,
    };
    Ok((
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        [
            ("x-digest-subject", header_safe(&preview.subject)),
            ("x-digest-recipients", preview.recipients.to_string()),
        ],
        preview.html,
    )
        .into_response())
}

/// Which newsletter's next digest, as whom.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PreviewParams {
    /// The newsletter's slug; absent: the default newsletter.
    newsletter: Option<String>,
    /// As a reader who chose these topics, comma-separated (e.g. `sport,local-news`).
    #[param(example = "sport,local-news")]
    topics: Option<String>,
    /// As this reader (their id) gets the newsletter, in their locale.
    #[param(value_type = Option<i64>, minimum = 1)]
    subscriber_id: Option<String>,
    /// In this locale (`en`, `de`, `fr`, `es`, `pt-BR` or `ar`); absent: the reader's own
    /// with `subscriber_id`, else `newsletter.default_locale`.
    #[param(example = "de")]
    locale: Option<String>,
}

impl PreviewParams {
    /// The locale asked for, if any.
    fn locale(&self) -> Result<Option<Locale>, AppError> {
        match self
            .locale
            .as_deref()
            .map(str::trim)
            .filter(|l| !l.is_empty())
        {
            None => Ok(None),
            Some(tag) => tag
                .parse()
                .map(Some)
                .map_err(|e: crate::i18n::UnknownLocale| AppError::field("locale", e.to_string())),
        }
    }

    /// Whose copy: `None` for everyone's.
    fn reader(&self) -> Result<Option<super::PreviewAs>, AppError> {
        let given = |value: &Option<String>| {
            value
                .as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        match (given(&self.topics), given(&self.subscriber_id)) {
            (None, None) => Ok(None),
            (Some(_), Some(_)) => Err(AppError::field(
                "topics",
                "give topics or subscriber_id, not both (a reader's own topics are used)",
            )),
            (Some(topics), None) => {
                let typed: Vec<String> = topics.split(',').map(str::to_string).collect();
                let topics = crate::topics::parse(&typed)
                    .map_err(|e| AppError::field("topics", e.to_string()))?;
                if topics.is_empty() {
                    return Ok(None);
                }
                Ok(Some(super::PreviewAs::Topics(topics)))
            }
            (None, Some(id)) => match id.parse::<i64>() {
                Ok(id) if id > 0 => Ok(Some(super::PreviewAs::Reader(id))),
                _ => Err(AppError::field(
                    "subscriber_id",
                    "a reader's id, a whole number",
                )),
            },
        }
    }
}

/// Which newsletter's digest.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NewsletterParam {
    /// The newsletter's slug; absent: the default newsletter.
    newsletter: Option<String>,
}

/// Where a test goes and what it shows.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TestSendRequest {
    /// One to five addresses.
    #[schema(min_items = 1, max_items = 5)]
    to: Vec<String>,
    /// These articles; absent or empty: the next digest's (the draft as composed, or the
    /// articles in no digest yet).
    #[serde(default)]
    article_ids: Vec<i64>,
    /// The newsletter (its slug) whose next digest to test; absent: the default newsletter.
    newsletter: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TestQueued {
    /// Test emails queued, one per address.
    queued: usize,
}

/// Send a test of the next digest
///
/// Sends the digest as readers would get it to up to five addresses, through the send
/// engine. The subject starts with `[Test]`; no digest is made or counted; its unsubscribe
/// link names no reader and unsubscribes nobody.
#[utoipa::path(
    post,
    path = "/api/v1/digests/test",
    operation_id = "test_digest",
    tag = "digests",
    security(("bearer" = [])),
    request_body = TestSendRequest,
    responses(
        (status = 202, description = "Queued", body = TestQueued),
        MalformedJson,
        Unauthorized,
        WrongContentType,
        (status = 409, description = "No `article_ids` given and every article is already in a digest", body = ErrorBody),
        TooLarge,
        (status = 422, description = "Invalid fields (`to`, `article_ids`), listed in `fields`", body = ErrorBody),
        Busy,
    )
)]
pub async fn test(
    State(state): State<AppState>,
    client: ApiClient,
    ApiJson(request): ApiJson<TestSendRequest>,
) -> ApiResult<(StatusCode, Json<TestQueued>)> {
    let to = super::test_send::addresses(&request.to.join(","))?;
    let by = format!("token:{}", client.token_name);
    let audience = super::audience_of(&state, request.newsletter.as_deref()).await?;
    super::test_send::queue(&state, &audience.newsletter, &to, &request.article_ids, &by).await?;
    Ok((StatusCode::ACCEPTED, Json(TestQueued { queued: to.len() })))
}

/// Header values must be visible ASCII; a subject may not be.
fn header_safe(value: &str) -> String {
    value
        .chars()
        .map(|c| {
            if c.is_ascii() && !c.is_ascii_control() {
                c
            } else {
                '?'
            }
        })
        .collect()
}

/// What to send; an empty body (or `{}`) sends the articles in no digest yet.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateDigest {
    /// These articles (the digest lists them newest first); absent: the newest articles in no
    /// digest yet.
    #[schema(min_items = 1)]
    article_ids: Option<Vec<i64>>,
    /// One line; absent: the draft's, or made from `digest.subject` in the config.
    #[schema(max_length = 200)]
    subject: Option<String>,
    /// The line mail clients show after the subject; absent: the draft's, or the headlines.
    #[schema(max_length = 150)]
    preview_text: Option<String>,
    /// A note above the articles, in Markdown (sanitised); absent: the draft's, or none.
    #[schema(max_length = 5000)]
    intro: Option<String>,
    /// One of the digest's articles, shown first, larger and with its image.
    lead_article_id: Option<i64>,
    /// The newsletter (its slug) whose readers get it; absent: the default newsletter.
    newsletter: Option<String>,
}

impl CreateDigest {
    fn composition(&self) -> Composition {
        Composition {
            subject: self.subject.clone(),
            preview_text: self.preview_text.clone(),
            intro: self.intro.clone(),
            lead_article_id: self.lead_article_id,
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DigestCreated {
    /// Follow its delivery at `/api/v1/digests/{id}`. When readers' topic choices or
    /// locales differ, one send is several digests: this is the one with the most readers.
    id: i64,
    /// Every digest this send made, `id` first.
    ids: Vec<i64>,
    /// Readers whose choice had nothing new (every article theirs was one they had).
    skipped: u64,
}

/// Send a digest
///
/// Makes a digest of the given articles, or else the next digest (the draft, which this ends,
/// or the newest articles in no digest yet), for every confirmed reader, and starts sending it.
#[utoipa::path(
    post,
    path = "/api/v1/digests",
    operation_id = "send_digest",
    tag = "digests",
    security(("bearer" = [])),
    request_body(content = Option<CreateDigest>, description = "Optional: no body, or `null`, is `{}`"),
    responses(
        (status = 202, description = "Made and queued for sending", body = DigestCreated),
        MalformedJson,
        Unauthorized,
        (status = 409, description = "No `article_ids` given and every article is already in a digest, or the draft lists none, or every reader has had them", body = ErrorBody),
        TooLarge,
        (status = 422, description = "Invalid fields (say, an unknown article id), listed in `fields`", body = ErrorBody),
        Busy,
    )
)]
pub async fn create(
    State(state): State<AppState>,
    client: ApiClient,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<(StatusCode, Json<DigestCreated>)> {
    let body = body?;
    // Every field is optional, so an empty body (or `null`) is a valid request too.
    let request: CreateDigest = if body.iter().all(u8::is_ascii_whitespace) {
        CreateDigest::default()
    } else {
        serde_json::from_slice::<Option<CreateDigest>>(&body)
            .map(Option::unwrap_or_default)
            .map_err(|e| AppError::Rejected {
                status: if e.is_data() {
                    StatusCode::UNPROCESSABLE_ENTITY
                } else {
                    StatusCode::BAD_REQUEST
                },
                message: format!("the body is not a valid digest request: {e}"),
            })?
    };
    let created_by = format!("token:{}", client.token_name);
    let audience = super::audience_of(&state, request.newsletter.as_deref()).await?;
    let created = super::create(
        &state,
        &audience,
        request.article_ids.as_deref(),
        request.composition(),
        &created_by,
    )
    .await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(DigestCreated {
            id: created.id(),
            skipped: created.skipped,
            ids: created.ids,
        }),
    ))
}

/// Follow a digest's delivery
///
/// While a digest of 10,000 readers or more is being sent, its counts may be a moment old: a
/// count is reused for twenty times what it took (at 1,000,000 readers, a few seconds), so
/// polling cannot slow the send. Bounces and unsubscribes are always current.
#[utoipa::path(
    get,
    path = "/api/v1/digests/{id}",
    operation_id = "get_digest",
    tag = "digests",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The digest's id")),
    responses(
        (status = 200, description = "The digest and its delivery counts", body = DigestStatus),
        BadId,
        Unauthorized,
        (status = 404, description = "No digest with this id", body = ErrorBody),
        Busy,
    )
)]
pub async fn show(
    State(state): State<AppState>,
    _client: ApiClient,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<DigestStatus>> {
    let status = state
        .progress
        .status(&state.db.pool, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(status))
}

/// Cancel a digest
///
/// Its recipients not yet sent to get nothing; messages already in flight finish.
#[utoipa::path(
    post,
    path = "/api/v1/digests/{id}/cancel",
    operation_id = "cancel_digest",
    tag = "digests",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The digest's id")),
    responses(
        (status = 200, description = "Cancelled; the counts as they now stand", body = DigestStatus),
        BadId,
        Unauthorized,
        (status = 404, description = "No digest with this id", body = ErrorBody),
        (status = 409, description = "The digest is already sent or cancelled", body = ErrorBody),
        Busy,
    )
)]
pub async fn cancel(
    State(state): State<AppState>,
    _client: ApiClient,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<DigestStatus>> {
    Ok(Json(super::cancel(&state, id).await?))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DigestList {
    /// Newest first.
    digests: Vec<DigestStatus>,
}

/// List the 50 latest digests
#[utoipa::path(
    get,
    path = "/api/v1/digests",
    operation_id = "list_digests",
    tag = "digests",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The latest digests, newest first", body = DigestList),
        Unauthorized,
        Busy,
    )
)]
pub async fn list(
    State(state): State<AppState>,
    _client: ApiClient,
) -> ApiResult<Json<DigestList>> {
    let digests = queries::list_recent(&state.db.pool, 50).await?;
    Ok(Json(DigestList { digests }))
}

/// The draft of the next digest, or what the next digest would be without one.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DraftView {
    /// False: no draft is saved, and this is the newest articles in no digest yet.
    saved: bool,
    /// In the digest's order.
    article_ids: Vec<i64>,
    #[serde(flatten)]
    composition: Composition,
    /// Raised by every save.
    revision: i64,
    updated_by: Option<String>,
    /// RFC 3339, UTC.
    #[schema(format = DateTime)]
    updated_at: Option<String>,
}

impl DraftView {
    fn of(next: &super::Next) -> DraftView {
        let draft: Option<&Draft> = next.draft.as_ref();
        DraftView {
            saved: draft.is_some(),
            article_ids: next.article_ids(),
            composition: next.composition.clone(),
            revision: draft.map_or(0, |d| d.revision),
            updated_by: draft.map(|d| d.updated_by.clone()),
            updated_at: draft.map(|d| crate::db::format_time(d.updated_at)),
        }
    }
}

/// The next digest as an editor composes it.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SaveDraft {
    /// The articles, in the order the digest shows them (at most 50).
    #[schema(max_items = 50)]
    article_ids: Vec<i64>,
    #[schema(max_length = 200)]
    subject: Option<String>,
    #[schema(max_length = 150)]
    preview_text: Option<String>,
    /// Markdown, sanitised when rendered.
    #[schema(max_length = 5000)]
    intro: Option<String>,
    /// One of `article_ids`: shown first, larger and with its image.
    lead_article_id: Option<i64>,
}

/// Read the draft of the next digest
///
/// The saved draft, or (with `saved: false`) the next digest as it would be made now.
#[utoipa::path(
    get,
    path = "/api/v1/digests/draft",
    operation_id = "get_draft",
    tag = "digests",
    security(("bearer" = [])),
    params(NewsletterParam),
    responses(
        (status = 200, description = "The draft", body = DraftView),
        (status = 400, description = "A parameter is given twice, or is not of its type", body = ErrorBody),
        Unauthorized,
        (status = 422, description = "No newsletter with this slug", body = ErrorBody),
        Busy,
    )
)]
pub async fn get_draft(
    State(state): State<AppState>,
    _client: ApiClient,
    ApiQuery(param): ApiQuery<NewsletterParam>,
) -> ApiResult<Json<DraftView>> {
    let audience = super::audience_of(&state, param.newsletter.as_deref()).await?;
    let next = super::next(&state, &audience.newsletter).await?;
    Ok(Json(DraftView::of(&next)))
}

/// Save the draft of the next digest
///
/// Replaces the draft: its articles in order, the lead story, subject, preview text and intro.
/// The next digest made (by `POST /api/v1/digests` without `article_ids`, the editors' page,
/// the schedule or a send-later) is made from it and ends it.
#[utoipa::path(
    put,
    path = "/api/v1/digests/draft",
    operation_id = "save_draft",
    tag = "digests",
    security(("bearer" = [])),
    params(NewsletterParam),
    request_body = SaveDraft,
    responses(
        (status = 200, description = "Saved", body = DraftView),
        MalformedJson,
        Unauthorized,
        WrongContentType,
        TooLarge,
        (status = 422, description = "Invalid fields (`article_ids`, `lead_article_id`, `subject`, `preview_text`, `intro`, `newsletter`), listed in `fields`", body = ErrorBody),
        Busy,
    )
)]
pub async fn save_draft(
    State(state): State<AppState>,
    client: ApiClient,
    ApiQuery(param): ApiQuery<NewsletterParam>,
    ApiJson(request): ApiJson<SaveDraft>,
) -> ApiResult<Json<DraftView>> {
    let audience = super::audience_of(&state, param.newsletter.as_deref()).await?;
    let newsletter = &audience.newsletter;
    let composition = Composition {
        subject: request.subject,
        preview_text: request.preview_text,
        intro: request.intro,
        lead_article_id: request.lead_article_id,
    };
    let by = format!("token:{}", client.token_name);
    let mut tx = state.db.begin().await?;
    draft::save(
        &mut tx,
        newsletter.id,
        &request.article_ids,
        composition,
        &by,
    )
    .await?;
    tx.commit().await?;
    let next = super::next(&state, newsletter).await?;
    Ok(Json(DraftView::of(&next)))
}

/// Discard the draft of the next digest
///
/// The next digest is the newest articles in no digest yet again.
#[utoipa::path(
    delete,
    path = "/api/v1/digests/draft",
    operation_id = "discard_draft",
    tag = "digests",
    security(("bearer" = [])),
    params(NewsletterParam),
    responses(
        (status = 204, description = "Discarded (or there was none)"),
        (status = 400, description = "A parameter is given twice, or is not of its type", body = ErrorBody),
        Unauthorized,
        (status = 422, description = "No newsletter with this slug", body = ErrorBody),
        Busy,
    )
)]
pub async fn discard_draft(
    State(state): State<AppState>,
    _client: ApiClient,
    ApiQuery(param): ApiQuery<NewsletterParam>,
) -> ApiResult<StatusCode> {
    let audience = super::audience_of(&state, param.newsletter.as_deref()).await?;
    let mut tx = state.db.begin().await?;
    draft::discard(&mut tx, audience.newsletter.id).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
