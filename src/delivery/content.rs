//! A digest's shared content, rendered once per worker and digest.

use std::sync::Arc;

use anyhow::Context;

use super::ContentCache;
use crate::articles::queries as articles;
use crate::digests::{self, DigestContent};
use crate::state::AppState;

pub async fn get(
    state: &AppState,
    cache: &mut ContentCache,
    digest_id: i64,
) -> anyhow::Result<Arc<DigestContent>> {
    if let Some(content) = cache.0.get(&digest_id) {
        return Ok(content.clone());
    }
    let subject = digests::queries::get_subject(&state.db.pool, digest_id)
        .await
        .with_context(|| format!("loading digest {digest_id}"))?;
    let list = articles::list_for_digest(&state.db.pool, digest_id).await?;
    let content = Arc::new(DigestContent::render(
        &state.settings,
        &list,
        Some(&subject),
    )?);
    // Digests finish; keep the cache from growing without bound in a long-lived worker.
    if cache.0.len() > 16 {
        cache.0.clear();
    }
    cache.0.insert(digest_id, content.clone());
    Ok(content)
}
