//! The public archive: a web version of every digest that went out (`/archive/{id}`), a list
//! of them (`/archive`) and an Atom feed (`/archive.xml`), so that people can see what they
//! would get before signing up. The pages hold the digest's articles and nothing of any
//! reader: no name, no unsubscribe link. `newsletter.public_archive = false` turns it all
//! off (404), and digest emails then carry no "View in your browser" link.

use askama::Template;
use atom_syndication::{Entry, Feed, Link, Text};
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{DateTime, FixedOffset, Utc};

use crate::articles::queries as articles;
use crate::articles::{Article, markdown_to_html};
use crate::db::Millis;
use crate::digests::queries::{self as digests, Published};
use crate::error::{AppError, AppResult};
use crate::i18n::Words;
use crate::state::AppState;
use crate::subscribers::LocaleQuery;
use crate::web::page::Page;

/// Digests listed on the page and in the feed.
const LISTED: i64 = 100;

#[derive(Template)]
#[template(path = "pages/archive.html")]
struct ArchivePage<'a> {
    newsletter: &'a str,
    description: &'a str,
    digests: Vec<Listed>,
    t: Words,
}

struct Listed {
    id: i64,
    subject: String,
    date: String,
}

#[derive(Template)]
#[template(path = "pages/archive_digest.html")]
struct DigestPage<'a> {
    newsletter: &'a str,
    subject: &'a str,
    date: &'a str,
    /// The editor's intro note, sanitised HTML.
    intro: Option<String>,
    lead: Option<i64>,
    articles: &'a [Article],
    t: Words,
}

fn enabled(state: &AppState) -> AppResult<()> {
    if state.settings.newsletter.public_archive {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// "2 December 2026" as the reader's language writes it, in the newsletter's time zone.
fn date(state: &AppState, at: Millis, words: &Words) -> String {
    let zone: chrono_tz::Tz = state
        .settings
        .digest
        .timezone
        .parse()
        .unwrap_or(chrono_tz::UTC);
    words.date(
        &DateTime::from_timestamp_millis(at)
            .unwrap_or_default()
            .with_timezone(&zone),
    )
}

/// The archive knows no reader: the language asked for (`?locale=`), else the browser's.
fn words(state: &AppState, query: &LocaleQuery, headers: &HeaderMap) -> Words {
    state.words(state.negotiate(query.locale.as_deref(), headers))
}

async fn list(
    State(state): State<AppState>,
    Query(query): Query<LocaleQuery>,
    headers: HeaderMap,
) -> AppResult<Response> {
    enabled(&state)?;
    let t = words(&state, &query, &headers);
    let published = digests::list_published(&state.db.pool, LISTED).await?;
    let page = ArchivePage {
        newsletter: &state.settings.newsletter.name,
        description: &state.settings.newsletter.description,
        digests: published
            .into_iter()
            .map(|d| Listed {
                id: d.id,
                date: date(&state, d.created_at, &t),
                subject: d.subject,
            })
            .collect(),
        t,
    };
    Ok(Page(page).into_response())
}

async fn show(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<LocaleQuery>,
    headers: HeaderMap,
) -> AppResult<Response> {
    enabled(&state)?;
    let t = words(&state, &query, &headers);
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let Some(digest) = digests::find_published(&state.db.pool, id).await? else {
        return Err(AppError::NotFound);
    };
    let mut articles = articles::list_for_digest(&state.db.pool, id).await?;
    let composition = digests::get_composition(&state.db.pool, id).await?;
    // The lead story comes first, as in the email.
    if let Some(at) = articles
        .iter()
        .position(|a| Some(a.id) == composition.lead_article_id)
    {
        let lead = articles.remove(at);
        articles.insert(0, lead);
    }
    let page = DigestPage {
        newsletter: &state.settings.newsletter.name,
        subject: &digest.subject,
        date: &date(&state, digest.created_at, &t),
        intro: composition.intro.as_deref().map(markdown_to_html),
        lead: composition.lead_article_id,
        articles: &articles,
        t,
    };
    Ok(Page(page).into_response())
}

async fn feed(State(state): State<AppState>) -> AppResult<Response> {
    enabled(&state)?;
    let published = digests::list_published(&state.db.pool, LISTED).await?;
    let body = atom(&state, &published).to_string();
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        body,
    )
        .into_response())
}

fn timestamp(at: Millis) -> DateTime<FixedOffset> {
    DateTime::<Utc>::from_timestamp_millis(at)
        .unwrap_or_default()
        .fixed_offset()
}

fn link(href: String, rel: &str) -> Link {
    let mut link = Link::default();
    link.set_href(href);
    link.set_rel(rel);
    link
}

fn atom(state: &AppState, published: &[Published]) -> Feed {
    let settings = &state.settings;
    let mut feed = Feed::default();
    feed.set_title(Text::plain(settings.newsletter.name.clone()));
    feed.set_subtitle(Some(Text::plain(settings.newsletter.description.clone())));
    feed.set_id(settings.link("/archive"));
    feed.set_links(vec![
        link(settings.link("/archive"), "alternate"),
        link(settings.link("/archive.xml"), "self"),
    ]);
    feed.set_updated(
        published
            .first()
            .map_or_else(|| timestamp(0), |d| timestamp(d.created_at)),
    );
    feed.set_entries(
        published
            .iter()
            .map(|digest| {
                let url = settings.link(&format!("/archive/{}", digest.id));
                let mut entry = Entry::default();
                entry.set_title(Text::plain(digest.subject.clone()));
                entry.set_id(url.clone());
                entry.set_updated(timestamp(digest.created_at));
                entry.set_published(Some(timestamp(digest.created_at)));
                entry.set_links(vec![link(url, "alternate")]);
                entry
            })
            .collect::<Vec<_>>(),
    );
    feed
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/archive", get(list))
        .route("/archive.xml", get(feed))
        .route("/archive/{id}", get(show))
}
