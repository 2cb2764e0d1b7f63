//! Welcome emails: once a reader confirms a newsletter that has a welcome text, the send
//! engine sends them that text once, in the newsletter's own name. The confirmation queues
//! them (`outbox::enqueue_welcomes`, in its transaction); this renders them when they go out,
//! so a reader who left the newsletter or was erased meanwhile gets nothing, and the text is
//! the newsletter's as it is then.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use askama::Template;
use futures_util::future::BoxFuture;
use lettre::message::Mailbox;
use sqlx::Row;

use super::EmailAddress;
use crate::articles;
use crate::branding::Branding;
use crate::i18n::{Locale, Words};
use crate::mail::OutgoingEmail;
use crate::newsletters::{self, Newsletter};
use crate::outbox;
use crate::queue::{Job, NotMade, Rendered, Renderer};
use crate::state::AppState;
use crate::unsubscribe;

#[derive(Template)]
#[template(path = "email/welcome.txt")]
struct WelcomeEmailText<'a> {
    t: &'a Words,
    brand: &'a Branding,
    newsletter: &'a str,
    name: Option<&'a str>,
    /// The welcome as the editor typed it (Markdown reads well as text).
    body: &'a str,
    reader_url: &'a str,
    public_url: &'a str,
    postal_address: &'a str,
}

#[derive(Template)]
#[template(path = "email/welcome.html")]
struct WelcomeEmailHtml<'a> {
    t: &'a Words,
    brand: &'a Branding,
    /// The welcome's subject as Tidings would name it: the page's title.
    title: &'a str,
    newsletter: &'a str,
    name: Option<&'a str>,
    /// The welcome's Markdown as sanitised HTML.
    body_html: &'a str,
    reader_url: &'a str,
    public_url: &'a str,
    postal_address: &'a str,
    /// The style of the link to the reader's page: the accent colour.
    accent_style: String,
}

/// The subject of a newsletter's welcome: its own, as its editors wrote it, or "Welcome to
/// <name>" in the reader's words.
pub fn subject(newsletter: &Newsletter, t: &Words) -> String {
    match newsletter.welcome_subject.trim() {
        "" => default_subject(newsletter, t),
        own => own.to_string(),
    }
}

fn default_subject(newsletter: &Newsletter, t: &Words) -> String {
    t.t1("welcome-email-subject", "newsletter", &newsletter.name)
}

/// The welcome's Markdown as the editor typed it, for the text part, less any raw HTML in it
/// (which the HTML part's allowlist drops too): a `<script>` reaches no part of the email.
fn plain_markdown(markdown: &str) -> String {
    use pulldown_cmark::{Event, Parser};
    let mut kept = String::with_capacity(markdown.len());
    let mut from = 0;
    for (event, range) in Parser::new(markdown).into_offset_iter() {
        if matches!(event, Event::Html(_) | Event::InlineHtml(_)) && range.start >= from {
            kept.push_str(&markdown[from..range.start]);
            from = range.end;
        }
    }
    kept.push_str(&markdown[from..]);
    let mut text = kept.trim().replace("\r\n", "\n");
    while text.contains("\n\n\n") {
        text = text.replace("\n\n\n", "\n\n");
    }
    text
}

/// The reader a welcome goes to, if they are still on the newsletter.
struct Welcomed {
    subscriber_id: i64,
    email: String,
    name: Option<String>,
    link_secret: String,
    locale: Locale,
}

/// The reader, when they are confirmed and still on the newsletter; `None` when they left
/// it (or everything), were erased, or their address bounces.
async fn find_reader(
    state: &AppState,
    subscriber_id: i64,
    newsletter_id: i64,
) -> sqlx::Result<Option<Welcomed>> {
    let row = sqlx::query(
        "select r.email, r.name, r.link_secret, r.locale
         from subscribers r join subscriptions s on s.subscriber_id = r.id
         where r.id = $1 and s.newsletter_id = $2 and r.status = 'confirmed'
           and s.status = 'confirmed' and r.bounced_at is null",
    )
    .bind(subscriber_id)
    .bind(newsletter_id)
    .fetch_optional(&state.db.pool)
    .await?;
    row.map(|row| {
        Ok(Welcomed {
            subscriber_id,
            email: row.try_get("email")?,
            name: row.try_get("name")?,
            link_secret: row.try_get("link_secret")?,
            locale: Locale::from_stored(&row.try_get::<String, _>("locale")?),
        })
    })
    .transpose()
}

fn welcome_email(
    state: &AppState,
    newsletter: &Newsletter,
    reader: &Welcomed,
) -> Result<OutgoingEmail, NotMade> {
    let address = EmailAddress::parse(&reader.email, false)
        .map_err(|e| NotMade::Impossible(format!("stored address no longer parses: {e}")))?;
    // Digest 0: the link comes from no digest. It leads to the reader's page, where they
    // choose topics and cadence, or leave.
    let reader_url = unsubscribe::url(state, reader.subscriber_id, 0, &reader.link_secret);
    let public_url = state.settings.link("/");
    let postal_address = state.settings.newsletter.postal_address.as_str();
    let brand = &*state.branding.current();
    let name = reader.name.as_deref();
    let body_html = articles::markdown_to_html(&newsletter.welcome_body);
    let t = &state.words(reader.locale);
    let text = WelcomeEmailText {
        t,
        brand,
        newsletter: &newsletter.name,
        name,
        body: &plain_markdown(&newsletter.welcome_body),
        reader_url: &reader_url,
        public_url: &public_url,
        postal_address,
    }
    .render()?;
    let html = WelcomeEmailHtml {
        t,
        brand,
        title: &default_subject(newsletter, t),
        newsletter: &newsletter.name,
        name,
        body_html: &body_html,
        reader_url: &reader_url,
        public_url: &public_url,
        postal_address,
        accent_style: format!("color:{};", brand.accent),
    }
    .render()?;
    Ok(OutgoingEmail {
        to: Mailbox::new(reader.name.clone(), address.ascii().parse()?),
        subject: subject(newsletter, t),
        text,
        html,
        // One welcome per reader and newsletter: a copy sent twice after a crash carries the
        // same Message-ID, recognisable as a duplicate.
        message_id: Some(format!(
            "welcome-{}.reader-{}",
            newsletter.id, reader.subscriber_id
        )),
        return_path: None,
        list: None,
        attachment: None,
        from_name: newsletter.from_name.clone(),
    })
}

/// One job's email, or `None` when there is nothing to send any more. `known` holds
/// the batch's newsletters, read once each.
async fn prepare(
    state: &AppState,
    job: &Job,
    known: &mut HashMap<i64, Option<Newsletter>>,
) -> Result<Option<OutgoingEmail>, NotMade> {
    let Some((subscriber_id, newsletter_id)) = outbox::find_welcome(&state.db.pool, job.id).await?
    else {
        return Ok(None);
    };
    if let Entry::Vacant(slot) = known.entry(newsletter_id) {
        slot.insert(newsletters::queries::find(&state.db.pool, newsletter_id).await?);
    }
    // Gone, or its editors took the welcome away since the reader confirmed.
    let Some(newsletter) = known[&newsletter_id]
        .as_ref()
        .filter(|n| !n.welcome_body.trim().is_empty())
    else {
        return Ok(None);
    };
    let Some(reader) = find_reader(state, subscriber_id, newsletter_id).await? else {
        return Ok(None);
    };
    welcome_email(state, newsletter, &reader).map(Some)
}

async fn prepare_batch(state: &AppState, jobs: &[Job]) -> Vec<Rendered> {
    let mut known = HashMap::new();
    let mut rendered = Vec::with_capacity(jobs.len());
    for job in jobs {
        rendered.push(prepare(state, job, &mut known).await.into());
    }
    rendered
}

/// Welcome emails, for the send engine.
pub struct WelcomeEmails;

impl Renderer for WelcomeEmails {
    fn render<'a>(&'a self, state: &'a AppState, jobs: &'a [Job]) -> BoxFuture<'a, Vec<Rendered>> {
        Box::pin(prepare_batch(state, jobs))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn newsletter(name: &str, welcome_subject: &str) -> Newsletter {
        let settings = crate::config::Settings::load_from(std::path::Path::new("config"), false)
            .expect("config/default.toml is valid");
        Newsletter {
            name: name.into(),
            welcome_subject: welcome_subject.into(),
            ..newsletters::blank(&settings)
        }
    }

    #[test]
    fn the_text_part_is_the_markdown_as_typed_without_raw_html() {
        let typed = "Hi **there**, read [our guide](https://example.com/guide).\n\n\
                     <script>\nalert(1)\n</script>\n\n\
                     - one\n- two <b>bold</b>\n";
        assert_eq!(
            plain_markdown(typed),
            "Hi **there**, read [our guide](https://example.com/guide).\n\n- one\n- two bold"
        );
    }

    #[test]
    fn a_welcome_without_its_own_subject_is_named_after_the_newsletter() {
        let en = crate::i18n::Catalog::load(None)
            .unwrap()
            .words(Locale::ENGLISH);
        assert_eq!(
            subject(&newsletter("The Daily", "  "), &en),
            "Welcome to The Daily"
        );
        assert_eq!(
            subject(&newsletter("The Daily", "Glad you are here"), &en),
            "Glad you are here"
        );
    }
}
