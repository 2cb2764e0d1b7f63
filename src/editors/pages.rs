//! The editors' pages: login, articles, and the digest (preview, send with a confirmation
//! step, progress). Server-rendered; every state-changing form carries the CSRF token.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use serde::Deserialize;

use super::auth::{EditorSession, SESSION_COOKIE};
use super::{passwords, queries};
use crate::articles::{self, Article, ArticleInput};
use crate::consent::ClientInfo;
use crate::db;
use crate::digests::{self, DigestStatus, Preview};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::state::AppState;
use crate::subscribers::EmailAddress;
use crate::token;
use crate::web::extract::PageForm;
use crate::web::page::Page;

#[derive(Template)]
#[template(path = "editor/login.html")]
struct LoginPage<'a> {
    newsletter: &'a str,
    email: &'a str,
    error: Option<&'a str>,
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

pub async fn home() -> Redirect {
    Redirect::to("/editor/articles")
}

pub async fn login_page(State(state): State<AppState>) -> Response {
    Page(LoginPage {
        newsletter: &state.settings.newsletter.name,
        email: "",
        error: None,
    })
    .into_response()
}

#[tracing::instrument(name = "editor_login", skip_all)]
pub async fn login(
    State(state): State<AppState>,
    client: ClientInfo,
    jar: CookieJar,
    PageForm(form): PageForm<LoginForm>,
) -> AppResult<Response> {
    let refuse = |status: StatusCode, error: &str| {
        let page = LoginPage {
            newsletter: &state.settings.newsletter.name,
            email: &form.email,
            error: Some(error),
        };
        Ok((status, Page(page)).into_response())
    };
    if !state.login_limiter.allow(client.ip) {
        return refuse(
            StatusCode::TOO_MANY_REQUESTS,
            "Too many login attempts. Please wait a minute and try again.",
        );
    }
    let key = EmailAddress::parse(&form.email, false)
        .map(|e| e.key().to_string())
        .unwrap_or_default();
    let editor = queries::find_editor(&state.db.pool, &key).await?;
    let (editor_id, stored) = match &editor {
        Some((id, hash)) => (Some(*id), hash.clone()),
        None => (None, passwords::dummy_hash().to_string()),
    };
    // Argon2 is deliberately slow: keep it off the async workers.
    let password = form.password.clone();
    let verified = tokio::task::spawn_blocking(move || passwords::verify(&password, &stored))
        .await
        .map_err(anyhow::Error::from)?;
    let Some(editor_id) = editor_id.filter(|_| verified) else {
        tracing::warn!("editor login refused");
        return refuse(StatusCode::UNAUTHORIZED, "Wrong email address or password.");
    };

    let now = db::now();
    let hours = state.settings.editor.session_hours;
    let session = token::generate();
    let csrf = token::generate();
    let expires_at = now + i64::from(hours) * 3_600_000;
    queries::insert_session(
        &state.db.pool,
        &token::hash(&session),
        editor_id,
        &csrf,
        now,
        expires_at,
    )
    .await?;
    // A browser-session cookie; the server ends the session after `editor.session_hours`.
    let cookie = Cookie::build((SESSION_COOKIE, session))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.settings.server.public_url.scheme() == "https")
        .build();
    tracing::info!(editor_id, "editor logged in");
    Ok((jar.add(cookie), Redirect::to("/editor/articles")).into_response())
}

#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

pub async fn logout(
    State(state): State<AppState>,
    session: EditorSession,
    jar: CookieJar,
    PageForm(form): PageForm<CsrfForm>,
) -> AppResult<Response> {
    session.check_csrf(&form.csrf)?;
    if let Some(cookie) = jar.get(SESSION_COOKIE) {
        queries::delete_session(&state.db.pool, &token::hash(cookie.value()), db::now()).await?;
    }
    let jar = jar.remove(Cookie::build(SESSION_COOKIE).path("/"));
    Ok((jar, Redirect::to("/editor/login")).into_response())
}

#[derive(Template)]
#[template(path = "editor/articles.html")]
struct ArticlesPage<'a> {
    newsletter: &'a str,
    editor: &'a str,
    csrf: &'a str,
    articles: &'a [Article],
    form: &'a ArticleForm,
    errors: &'a FieldErrors,
}

/// The article form as posted; empty optional fields arrive as empty strings.
#[derive(Debug, Default, Deserialize)]
pub struct ArticleForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    url: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    author: String,
    #[serde(default)]
    image_url: String,
    #[serde(default)]
    published_at: String,
}

impl ArticleForm {
    fn to_input(&self) -> ArticleInput {
        let optional = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        ArticleInput {
            title: self.title.clone(),
            url: self.url.trim().to_string(),
            summary: self.summary.clone(),
            author: optional(&self.author),
            image_url: optional(&self.image_url),
            published_at: optional(&self.published_at),
        }
    }

    fn from_article(article: &Article) -> ArticleForm {
        ArticleForm {
            csrf: String::new(),
            title: article.title.clone(),
            url: article.url.clone(),
            summary: article.summary_html.clone(),
            author: article.author.clone().unwrap_or_default(),
            image_url: article.image_url.clone().unwrap_or_default(),
            published_at: article.published_at.clone(),
        }
    }
}

const ARTICLES_SHOWN: i64 = 100;

async fn articles_page(
    state: &AppState,
    session: &EditorSession,
    form: &ArticleForm,
    errors: &FieldErrors,
) -> AppResult<Response> {
    let list = articles::queries::list(&state.db.pool, ARTICLES_SHOWN, 0).await?;
    let page = ArticlesPage {
        newsletter: &state.settings.newsletter.name,
        editor: &session.email,
        csrf: &session.csrf,
        articles: &list,
        form,
        errors,
    };
    let status = form_status(errors);
    Ok((status, Page(page)).into_response())
}

/// 422 when a form comes back with errors, so scripts and tests see the refusal.
fn form_status(errors: &FieldErrors) -> StatusCode {
    if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

fn errors_of(err: AppError) -> AppResult<FieldErrors> {
    match err {
        AppError::Invalid { fields, .. } => Ok(fields),
        other => Err(other),
    }
}

pub async fn articles(
    State(state): State<AppState>,
    session: EditorSession,
) -> AppResult<Response> {
    articles_page(
        &state,
        &session,
        &ArticleForm::default(),
        &FieldErrors::new(),
    )
    .await
}

pub async fn add_article(
    State(state): State<AppState>,
    session: EditorSession,
    PageForm(form): PageForm<ArticleForm>,
) -> AppResult<Response> {
    session.check_csrf(&form.csrf)?;
    match form.to_input().parse() {
        Ok(article) => {
            articles::queries::upsert(&state.db, &article, db::now()).await?;
            Ok(Redirect::to("/editor/articles").into_response())
        }
        Err(err) => articles_page(&state, &session, &form, &errors_of(err)?).await,
    }
}

#[derive(Template)]
#[template(path = "editor/article_edit.html")]
struct EditArticlePage<'a> {
    newsletter: &'a str,
    editor: &'a str,
    csrf: &'a str,
    id: i64,
    form: &'a ArticleForm,
    errors: &'a FieldErrors,
}

fn edit_page(
    state: &AppState,
    session: &EditorSession,
    id: i64,
    form: &ArticleForm,
    errors: &FieldErrors,
) -> Response {
    let page = EditArticlePage {
        newsletter: &state.settings.newsletter.name,
        editor: &session.email,
        csrf: &session.csrf,
        id,
        form,
        errors,
    };
    let status = form_status(errors);
    (status, Page(page)).into_response()
}

pub async fn edit_article(
    State(state): State<AppState>,
    session: EditorSession,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let article = articles::queries::find(&state.db.pool, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(edit_page(
        &state,
        &session,
        id,
        &ArticleForm::from_article(&article),
        &FieldErrors::new(),
    ))
}

pub async fn save_article(
    State(state): State<AppState>,
    session: EditorSession,
    Path(id): Path<i64>,
    PageForm(form): PageForm<ArticleForm>,
) -> AppResult<Response> {
    session.check_csrf(&form.csrf)?;
    let article = match form.to_input().parse() {
        Ok(article) => article,
        Err(err) => return Ok(edit_page(&state, &session, id, &form, &errors_of(err)?)),
    };
    match articles::queries::update(&state.db.pool, id, &article, db::now()).await {
        Ok(Some(_)) => Ok(Redirect::to("/editor/articles").into_response()),
        Ok(None) => Err(AppError::NotFound),
        Err(err) if db::is_unique_violation(&err) => {
            let errors = FieldErrors::from([(
                "url".to_string(),
                "another article already has this URL".to_string(),
            )]);
            Ok(edit_page(&state, &session, id, &form, &errors))
        }
        Err(err) => Err(err.into()),
    }
}

pub async fn delete_article(
    State(state): State<AppState>,
    session: EditorSession,
    Path(id): Path<i64>,
    PageForm(form): PageForm<CsrfForm>,
) -> AppResult<Response> {
    session.check_csrf(&form.csrf)?;
    articles::queries::delete(&state.db.pool, id).await?;
    Ok(Redirect::to("/editor/articles").into_response())
}

#[derive(Template)]
#[template(path = "editor/digest.html")]
struct DigestPage<'a> {
    newsletter: &'a str,
    editor: &'a str,
    csrf: &'a str,
    preview: Option<&'a Preview>,
    article_ids: String,
    digests: &'a [DigestStatus],
    in_progress: bool,
}

const DIGESTS_SHOWN: i64 = 20;

pub async fn digest(State(state): State<AppState>, session: EditorSession) -> AppResult<Response> {
    let preview = digests::preview(&state).await?;
    let recent = digests::queries::list_recent(&state.db.pool, DIGESTS_SHOWN).await?;
    let page = DigestPage {
        newsletter: &state.settings.newsletter.name,
        editor: &session.email,
        csrf: &session.csrf,
        article_ids: preview
            .as_ref()
            .map(|p| ids_field(&p.articles))
            .unwrap_or_default(),
        preview: preview.as_ref(),
        in_progress: recent.iter().any(|d| d.status.in_progress()),
        digests: &recent,
    };
    Ok(Page(page).into_response())
}

fn ids_field(articles: &[Article]) -> String {
    articles
        .iter()
        .map(|a| a.id.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

#[derive(Debug, Deserialize)]
pub struct SendForm {
    #[serde(default)]
    csrf: String,
    /// The previewed articles, comma-separated, so that what is sent is what was seen.
    #[serde(default)]
    article_ids: String,
}

impl SendForm {
    fn ids(&self) -> AppResult<Vec<i64>> {
        self.article_ids
            .split(',')
            .filter(|s| !s.trim().is_empty())
            .map(|s| {
                s.trim()
                    .parse()
                    .map_err(|_| AppError::field("article_ids", "not a list of article ids"))
            })
            .collect()
    }
}

#[derive(Template)]
#[template(path = "editor/digest_confirm.html")]
struct ConfirmSendPage<'a> {
    newsletter: &'a str,
    editor: &'a str,
    csrf: &'a str,
    subject: &'a str,
    recipients: i64,
    articles: &'a [Article],
    article_ids: &'a str,
}

/// The confirmation step: what will go to how many readers.
pub async fn confirm_send(
    State(state): State<AppState>,
    session: EditorSession,
    PageForm(form): PageForm<SendForm>,
) -> AppResult<Response> {
    session.check_csrf(&form.csrf)?;
    let Some(preview) = digests::preview(&state).await? else {
        return Ok(Redirect::to("/editor/digest").into_response());
    };
    let page = ConfirmSendPage {
        newsletter: &state.settings.newsletter.name,
        editor: &session.email,
        csrf: &session.csrf,
        subject: &preview.subject,
        recipients: preview.recipients,
        articles: &preview.articles,
        article_ids: &form.article_ids,
    };
    Ok(Page(page).into_response())
}

pub async fn send(
    State(state): State<AppState>,
    session: EditorSession,
    PageForm(form): PageForm<SendForm>,
) -> AppResult<Response> {
    session.check_csrf(&form.csrf)?;
    // Send exactly what was confirmed, and only once: a second press, or articles added
    // since the preview, find the next digest changed.
    let current = digests::preview(&state)
        .await?
        .map(|p| ids_field(&p.articles));
    if current.as_deref() != Some(form.article_ids.as_str()) {
        return Err(AppError::Conflict(
            "the next digest changed since you previewed it (or was just sent); please review it again".to_string(),
        ));
    }
    let ids = form.ids()?;
    digests::create(
        &state,
        Some(&ids),
        None,
        &format!("editor:{}", session.email),
    )
    .await?;
    Ok(Redirect::to("/editor/digest").into_response())
}

pub async fn cancel_digest(
    State(state): State<AppState>,
    session: EditorSession,
    Path(id): Path<i64>,
    PageForm(form): PageForm<CsrfForm>,
) -> AppResult<Response> {
    session.check_csrf(&form.csrf)?;
    digests::cancel(&state, id).await?;
    Ok(Redirect::to("/editor/digest").into_response())
}
