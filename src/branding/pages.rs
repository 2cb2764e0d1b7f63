//! The editors' Settings page: the branding form (a multipart form, for the logo upload;
//! it works without JavaScript) and the way back to the configuration's values.

use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::logo::{Logo, MAX_LOGO_BYTES};
use super::{
    AA_CONTRAST, Accent, Branding, MAX_FOOTER_CHARS, MAX_MASTHEAD_CHARS, parse_footer,
    parse_logo_url, parse_masthead, parse_site_url, queries,
};
use crate::db;
use crate::editors::{CsrfForm, EditorSession};
use crate::error::{AppResult, FieldErrors};
use crate::state::AppState;
use crate::web::extract::{PageForm, PageQuery};
use crate::web::page::Page;

/// Room for a logo twice the largest allowed, so that one a little too large is answered
/// in the form, beside its field; a body above this is refused whole (413).
pub const MAX_FORM_BYTES: usize = 2 * MAX_LOGO_BYTES;

#[derive(Template)]
#[template(path = "editor/settings.html")]
struct SettingsPage<'a> {
    newsletter: &'a str,
    editor: &'a str,
    csrf: &'a str,
    form: &'a SettingsForm,
    errors: &'a FieldErrors,
    /// The uploaded logo's URL, when there is one.
    logo_preview: Option<String>,
    /// The accent's contrast against white, "6.5"; `None` while the colour is invalid.
    contrast: Option<String>,
    low_contrast: bool,
    saved: bool,
    max_masthead: usize,
    max_footer: usize,
    max_logo_kb: usize,
}

/// The text fields as typed.
#[derive(Debug, Default)]
struct SettingsForm {
    masthead: String,
    accent_color: String,
    footer: String,
    site_url: String,
    logo_url: String,
}

impl SettingsForm {
    fn from_branding(branding: &Branding) -> SettingsForm {
        SettingsForm {
            masthead: branding.masthead.clone(),
            accent_color: branding.accent.to_string(),
            footer: branding.footer.clone(),
            site_url: branding.site_url.clone().unwrap_or_default(),
            logo_url: branding.logo_url.clone().unwrap_or_default(),
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct SavedQuery {
    #[serde(default)]
    saved: Option<String>,
}

fn page(
    state: &AppState,
    session: &EditorSession,
    form: &SettingsForm,
    errors: &FieldErrors,
    saved: bool,
) -> Response {
    let branding = state.branding.current();
    let accent = Accent::parse(&form.accent_color).ok();
    let page = SettingsPage {
        newsletter: &state.settings.newsletter.name,
        editor: &session.email,
        csrf: &session.csrf,
        form,
        errors,
        logo_preview: branding
            .uploaded_logo
            .as_ref()
            .and_then(|_| branding.page_logo_src()),
        contrast: accent.map(|a| format!("{:.1}", a.contrast_with_white())),
        low_contrast: accent.is_some_and(|a| a.contrast_with_white() < AA_CONTRAST),
        saved,
        max_masthead: MAX_MASTHEAD_CHARS,
        max_footer: MAX_FOOTER_CHARS,
        max_logo_kb: MAX_LOGO_BYTES / 1024,
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        // So that scripts and tests see the refusal.
        StatusCode::UNPROCESSABLE_ENTITY
    };
    (status, Page(page)).into_response()
}

pub async fn settings_page(
    State(state): State<AppState>,
    session: EditorSession,
    PageQuery(query): PageQuery<SavedQuery>,
) -> Response {
    let form = SettingsForm::from_branding(&state.branding.current());
    page(
        &state,
        &session,
        &form,
        &FieldErrors::new(),
        query.saved.is_some(),
    )
}

/// What the multipart form carried.
#[derive(Default)]
struct Posted {
    csrf: String,
    form: SettingsForm,
    /// A chosen file; browsers send an empty part when none was.
    logo: Option<Vec<u8>>,
    remove_logo: bool,
}

async fn read_form(mut multipart: Multipart) -> AppResult<Posted> {
    let mut posted = Posted::default();
    while let Some(field) = multipart.next_field().await? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "logo" {
            let bytes = field.bytes().await?;
            posted.logo = (!bytes.is_empty()).then(|| bytes.to_vec());
            continue;
        }
        let value = field.text().await?;
        let form = &mut posted.form;
        match name.as_str() {
            "csrf" => posted.csrf = value,
            "masthead" => form.masthead = value,
            "accent_color" => form.accent_color = value,
            "footer" => form.footer = value,
            "site_url" => form.site_url = value,
            "logo_url" => form.logo_url = value,
            "remove_logo" => posted.remove_logo = true,
            _ => {}
        }
    }
    Ok(posted)
}

#[tracing::instrument(name = "save_branding", skip_all)]
pub async fn save(
    State(state): State<AppState>,
    session: EditorSession,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    let posted = read_form(multipart?).await?;
    session.check_csrf(&posted.csrf)?;
    let form = &posted.form;
    let mut errors = FieldErrors::new();
    let mut check = |field: &str, result: Result<String, String>| match result {
        Ok(value) => value,
        Err(message) => {
            errors.insert(field.to_string(), message);
            String::new()
        }
    };
    let masthead = check("masthead", parse_masthead(&form.masthead));
    let accent_color = check(
        "accent_color",
        Accent::parse(&form.accent_color)
            .map(|a| a.to_string())
            .map_err(|e| format!("the accent colour: {e}")),
    );
    let footer = check("footer", parse_footer(&form.footer));
    let site_url = check(
        "site_url",
        parse_site_url(&form.site_url)
            .map(|u| u.map(String::from).unwrap_or_default())
            .map_err(|e| format!("your site: {e}")),
    );
    let logo_url = check(
        "logo_url",
        parse_logo_url(&form.logo_url)
            .map(|u| u.map(String::from).unwrap_or_default())
            .map_err(|e| format!("the logo address: {e}")),
    );
    let logo = match posted.logo.map(Logo::from_upload).transpose() {
        Ok(logo) => logo,
        Err(message) => {
            errors.insert("logo".to_string(), message);
            None
        }
    };
    if !errors.is_empty() {
        return Ok(page(&state, &session, form, &errors, false));
    }

    let mut tx = state.db.begin().await?;
    let values = queries::TextValues {
        logo_url: &logo_url,
        accent_color: &accent_color,
        masthead: &masthead,
        footer: &footer,
        site_url: &site_url,
    };
    queries::save_text(&mut tx, &values, db::now()).await?;
    if let Some(logo) = &logo {
        queries::set_logo(&mut tx, Some(logo)).await?;
    } else if posted.remove_logo {
        queries::set_logo(&mut tx, None).await?;
    }
    tx.commit().await?;
    state.branding.reload(&state.db, &state.settings).await?;
    tracing::info!(
        logo = logo.is_some(),
        removed_logo = posted.remove_logo,
        "branding saved"
    );
    Ok(Redirect::to("/editor/settings?saved=1").into_response())
}

#[tracing::instrument(name = "reset_branding", skip_all)]
pub async fn reset(
    State(state): State<AppState>,
    session: EditorSession,
    PageForm(form): PageForm<CsrfForm>,
) -> AppResult<Response> {
    session.check_csrf(&form.csrf)?;
    let mut tx = state.db.begin().await?;
    queries::clear(&mut tx, db::now()).await?;
    tx.commit().await?;
    state.branding.reload(&state.db, &state.settings).await?;
    tracing::info!("branding back to the configuration's");
    Ok(Redirect::to("/editor/settings?saved=1").into_response())
}
