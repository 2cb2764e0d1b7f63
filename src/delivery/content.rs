//! A digest's shared content: its subject, intro and articles, in its locale, rendered once.

use crate::articles::queries as articles;
use crate::digests::{self, DigestContent};
use crate::newsletters::Newsletter;
use crate::queue::NotMade;
use crate::state::AppState;

pub async fn render(
    state: &AppState,
    digest_id: i64,
    newsletter: &Newsletter,
) -> Result<DigestContent, NotMade> {
    let composition = digests::queries::get_composition(&state.db.pool, digest_id).await?;
    let locale = digests::queries::locale_of(&state.db.pool, digest_id).await?;
    let list = articles::list_for_digest(&state.db.pool, digest_id).await?;
    DigestContent::render(
        &state.settings,
        state.branding.current(),
        state.words(locale),
        newsletter,
        &list,
        &composition,
        Some(digest_id),
    )
    .map_err(|e| NotMade::Impossible(format!("rendering digest {digest_id}: {e:#}")))
}
