//! A digest's shared content: its subject and articles, rendered once.

use crate::articles::queries as articles;
use crate::digests::{self, DigestContent};
use crate::queue::NotMade;
use crate::state::AppState;

pub async fn render(state: &AppState, digest_id: i64) -> Result<DigestContent, NotMade> {
    let (subject, preview_text) = digests::queries::get_subject(&state.db.pool, digest_id).await?;
    let list = articles::list_for_digest(&state.db.pool, digest_id).await?;
    let brand = state.branding.current();
    DigestContent::render(
        &state.settings,
        brand,
        &list,
        Some(&subject),
        Some(digest_id),
    )
    .map(|content| content.with_preview_text(preview_text.as_deref()))
    .map_err(|e| NotMade::Impossible(format!("rendering digest {digest_id}: {e:#}")))
}
