//! Feed import: polls each RSS/Atom feed of `feeds.urls` (conditional requests with ETag and
//! Last-Modified), and turns entries with a link into articles, their categories into topics. A URL that is already an
//! article is left as it is, so an editor's changes survive the next poll. A broken feed is
//! logged, noted in `feeds.last_error` and tried again next time; it never stops the service.

use std::time::Duration;

use anyhow::Context;
use reqwest::StatusCode;
use reqwest::header::{ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED};
use tokio_util::sync::CancellationToken;
use url::Url;

use crate::articles::ArticleInput;
use crate::articles::queries as articles;
use crate::db::{self, Db};
use crate::state::AppState;
use crate::topics;

const TIMEOUT: Duration = Duration::from_secs(20);
/// Feeds larger than this are refused rather than read into memory.
const MAX_FEED_BYTES: usize = 5 * 1024 * 1024;

pub fn http_client() -> anyhow::Result<reqwest::Client> {
    reqwest::Client::builder()
        .timeout(TIMEOUT)
        .connect_timeout(Duration::from_secs(10))
        .user_agent(concat!(
            "Tidings/",
            env!("CARGO_PKG_VERSION"),
            " (feed import)"
        ))
        .build()
        .context("building the feed HTTP client")
}

/// Polls every feed now and then every `feeds.poll_interval`, until shutdown.
pub async fn run(state: AppState, shutdown: CancellationToken) {
    let feeds = state.settings.feeds.urls.clone();
    if feeds.is_empty() {
        return;
    }
    let client = match http_client() {
        Ok(client) => client,
        Err(err) => {
            tracing::error!(error = ?err, "feed import disabled");
            return;
        }
    };
    let interval = state.settings.feeds.poll_interval;
    loop {
        for url in &feeds {
            match poll(&state.db, &client, url).await {
                Ok(imported) => tracing::info!(feed = %url, imported, "feed polled"),
                Err(err) => {
                    tracing::warn!(feed = %url, error = format!("{err:#}"), "feed poll failed; will retry");
                    let _ = record(&state.db, url, None, None, Some(&format!("{err:#}"))).await;
                }
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(interval) => {}
            _ = shutdown.cancelled() => return,
        }
    }
}

/// One poll of one feed; returns how many new articles it brought.
pub async fn poll(db: &Db, client: &reqwest::Client, url: &Url) -> anyhow::Result<usize> {
    let (etag, last_modified) = validators(db, url).await?;
    let mut request = client.get(url.clone());
    if let Some(etag) = &etag {
        request = request.header(IF_NONE_MATCH, etag);
    }
    if let Some(since) = &last_modified {
        request = request.header(IF_MODIFIED_SINCE, since);
    }
    let mut response = request.send().await.context("fetching the feed")?;
    if response.status() == StatusCode::NOT_MODIFIED {
        record(db, url, etag.as_deref(), last_modified.as_deref(), None).await?;
        return Ok(0);
    }
    if !response.status().is_success() {
        anyhow::bail!("the feed answered {}", response.status());
    }
    let header = |name| {
        response
            .headers()
            .get(name)
            .and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok())
            .map(String::from)
    };
    let (new_etag, new_modified) = (header(ETAG), header(LAST_MODIFIED));
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.context("reading the feed")? {
        body.extend_from_slice(&chunk);
        anyhow::ensure!(
            body.len() <= MAX_FEED_BYTES,
            "the feed is larger than 5 MiB"
        );
    }
    let feed = feed_rs::parser::parse(body.as_slice()).context("parsing the feed")?;
    let now = db::now();
    let mut imported = 0;
    for entry in feed.entries {
        let Some(article) = to_article(&entry, url) else {
            continue;
        };
        if articles::insert_if_new(db, &article, now).await? {
            imported += 1;
        }
    }
    record(db, url, new_etag.as_deref(), new_modified.as_deref(), None).await?;
    Ok(imported)
}

/// An entry as an article, through the same validation as the API; entries without a
/// usable link or title are skipped.
fn to_article(
    entry: &feed_rs::model::Entry,
    feed_url: &Url,
) -> Option<crate::articles::NewArticle> {
    let link = entry
        .links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))?;
    let url = feed_url.join(&link.href).ok()?;
    let summary = entry
        .summary
        .as_ref()
        .map(|s| s.content.clone())
        .or_else(|| entry.content.as_ref().and_then(|c| c.body.clone()))
        .unwrap_or_default();
    let published = entry.published.or(entry.updated).map(|t| t.to_rfc3339());
    let input = ArticleInput {
        title: entry
            .title
            .as_ref()?
            .content
            .trim()
            .chars()
            .take(300)
            .collect(),
        url: url.to_string(),
        summary: summary.chars().take(10_000).collect(),
        author: entry
            .authors
            .first()
            .map(|a| a.name.chars().take(200).collect()),
        image_url: None,
        published_at: published,
        topics: topics_of(entry),
    };
    match input.parse(chrono_tz::UTC) {
        Ok(article) => Some(article),
        Err(err) => {
            tracing::info!(entry = %url, error = %err, "feed entry skipped");
            None
        }
    }
}

/// An entry's categories ("Local News", "Sport/Football") as topics: those that make a slug,
/// each once, as many as an article may have.
fn topics_of(entry: &feed_rs::model::Entry) -> Vec<String> {
    let mut topics: Vec<String> = entry
        .categories
        .iter()
        .filter_map(|c| topics::from_label(&c.term))
        .collect();
    topics.sort_unstable();
    topics.dedup();
    topics.truncate(topics::MAX_TOPICS);
    topics
}

async fn validators(db: &Db, url: &Url) -> sqlx::Result<(Option<String>, Option<String>)> {
    let row: Option<(Option<String>, Option<String>)> =
        sqlx::query_as("select etag, last_modified from feeds where url = $1")
            .bind(url.as_str())
            .fetch_optional(&db.pool)
            .await?;
    Ok(row.unwrap_or((None, None)))
}

async fn record(
    db: &Db,
    url: &Url,
    etag: Option<&str>,
    last_modified: Option<&str>,
    error: Option<&str>,
) -> sqlx::Result<()> {
    // On an error the validators are kept, so the next poll can still be conditional.
    sqlx::query(
        "insert into feeds (url, etag, last_modified, last_polled_at, last_error) values ($1, $2, $3, $4, $5)
         on conflict (url) do update set
             etag = case when excluded.last_error is null then excluded.etag else feeds.etag end,
             last_modified = case when excluded.last_error is null then excluded.last_modified else feeds.last_modified end,
             last_polled_at = excluded.last_polled_at, last_error = excluded.last_error",
    )
    .bind(url.as_str())
    .bind(etag)
    .bind(last_modified)
    .bind(db::now())
    .bind(error)
    .execute(&db.pool)
    .await
    .map(|_| ())
}
