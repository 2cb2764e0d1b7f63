//! What is held about readers, handed out: a whole list (CSV or JSON, streamed page by page
//! so any size fits in constant memory), and everything about one reader, for the API and
//! for the copy a reader asks to have emailed to them.

use std::io::Write;

use askama::Template;
use futures_util::future::BoxFuture;
use lettre::message::Mailbox;
use serde::Serialize;

use super::EmailAddress;
use super::queries::{self, Profile, StatusFilter};
use crate::bounces::{self, BounceRecord};
use crate::branding::Branding;
use crate::consent::{self, ConsentRecord};
use crate::db::{self, Db};
use crate::digests::queries::{ReaderDelivery, deliveries_for};
use crate::i18n::Words;
use crate::mail::{Attachment, OutgoingEmail};
use crate::outbox::{self, OutboxRecord};
use crate::queue::{Job, NotMade, Rendered, Renderer, render_each};
use crate::state::AppState;

/// Everything held about one reader.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReaderExport {
    /// RFC 3339, UTC.
    #[schema(format = DateTime)]
    pub exported_at: String,
    pub subscriber: Profile,
    /// The newsletters they asked for, with their cadence and topics.
    pub newsletters: Vec<super::subscriptions::Subscription>,
    /// The consent log, each entry with the statement the reader agreed to.
    pub consent: Vec<ConsentRecord>,
    /// Every digest made for them and what became of it.
    pub deliveries: Vec<ReaderDelivery>,
    /// Other emails: confirmations, data exports.
    pub emails: Vec<OutboxRecord>,
    /// Bounces and spam complaints reported for mail to them.
    pub bounces: Vec<BounceRecord>,
}

pub async fn reader_export(db: &Db, subscriber_id: i64) -> anyhow::Result<Option<ReaderExport>> {
    let Some(subscriber) = queries::find_profile(&db.pool, subscriber_id).await? else {
        return Ok(None);
    };
    Ok(Some(ReaderExport {
        exported_at: db::format_time(db::now()),
        subscriber,
        newsletters: super::subscriptions::of_reader(&db.pool, subscriber_id).await?,
        consent: consent::events_for(&db.pool, subscriber_id).await?,
        deliveries: deliveries_for(&db.pool, subscriber_id).await?,
        emails: outbox::history_for(&db.pool, subscriber_id).await?,
        bounces: bounces::events_for(&db.pool, subscriber_id).await?,
    }))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
}

/// Readers fetched per query: a page is held in memory, never the list.
const PAGE: i64 = 1000;

/// Writes every reader the filter takes to `out`; returns how many. The CSV has the columns
/// `subscribers import` reads (`email`, `name`, `subscribed_at`), so an export imports back.
pub async fn write_list(
    db: &Db,
    filter: StatusFilter,
    format: Format,
    out: impl Write,
) -> anyhow::Result<u64> {
    let mut sink = match format {
        Format::Csv => {
            let mut csv = csv::Writer::from_writer(out);
            csv.write_record([
                "id",
                "email",
                "name",
                "status",
                "subscribed_at",
                "confirmed_at",
                "bounced_at",
                "updated_at",
            ])?;
            Sink::Csv(Box::new(csv))
        }
        Format::Json => Sink::Json(out, 0),
    };
    let mut after = 0;
    let mut count = 0;
    loop {
        let page = queries::page(&db.pool, filter, None, after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        for profile in &page {
            sink.write(profile)?;
            count += 1;
        }
    }
    sink.finish()?;
    Ok(count)
}

enum Sink<W: Write> {
    /// Boxed: the writer carries its buffer state; there is one sink per export.
    Csv(Box<csv::Writer<W>>),
    /// A JSON array written one reader per line; the number written so far.
    Json(W, u64),
}

impl<W: Write> Sink<W> {
    fn write(&mut self, profile: &Profile) -> anyhow::Result<()> {
        match self {
            Sink::Csv(csv) => {
                let blank = String::new();
                csv.write_record([
                    profile.id.to_string().as_str(),
                    &profile.email,
                    profile.name.as_ref().unwrap_or(&blank),
                    profile.status,
                    &profile.created_at,
                    profile.confirmed_at.as_ref().unwrap_or(&blank),
                    profile.bounced_at.as_ref().unwrap_or(&blank),
                    &profile.updated_at,
                ])?;
            }
            Sink::Json(out, written) => {
                out.write_all(if *written == 0 { b"[\n" } else { b",\n" })?;
                serde_json::to_writer(&mut *out, profile)?;
                *written += 1;
            }
        }
        Ok(())
    }

    fn finish(self) -> anyhow::Result<()> {
        match self {
            Sink::Csv(mut csv) => csv.flush()?,
            Sink::Json(mut out, written) => {
                out.write_all(if written == 0 { b"[]\n" } else { b"\n]\n" })?;
                out.flush()?;
            }
        }
        Ok(())
    }
}

#[derive(Template)]
#[template(path = "email/data_export.txt")]
struct DataExportText<'a> {
    t: &'a Words,
    brand: &'a Branding,
    newsletter: &'a str,
    name: Option<&'a str>,
}

#[derive(Template)]
#[template(path = "email/data_export.html")]
struct DataExportHtml<'a> {
    t: &'a Words,
    brand: &'a Branding,
    newsletter: &'a str,
    name: Option<&'a str>,
}

/// The email carrying a reader's data export, as an attached JSON file; it goes only to the
/// reader's own address, whoever asked for it. `None` when the reader is gone (erased).
pub async fn prepare_data_export_email(
    state: &AppState,
    subscriber_id: i64,
) -> Result<Option<OutgoingEmail>, NotMade> {
    let Some(export) = reader_export(&state.db, subscriber_id).await? else {
        return Ok(None);
    };
    let profile = &export.subscriber;
    let address = EmailAddress::parse(&profile.email, false)
        .map_err(|e| NotMade::Impossible(format!("stored address no longer parses: {e}")))?;
    let newsletter = state.settings.newsletter.name.as_str();
    let name = profile.name.as_deref();
    let brand = &*state.branding.current();
    let t = &state.words(profile.locale);
    let text = DataExportText {
        t,
        brand,
        newsletter,
        name,
    }
    .render()?;
    let html = DataExportHtml {
        t,
        brand,
        newsletter,
        name,
    }
    .render()?;
    let to = Mailbox::new(profile.name.clone(), address.ascii().parse()?);
    let body = serde_json::to_vec_pretty(&export)?;
    Ok(Some(OutgoingEmail {
        to,
        subject: t.t1("data-export-email-subject", "newsletter", newsletter),
        text,
        html,
        message_id: None,
        return_path: None,
        list: None,
        attachment: Some(Attachment {
            filename: "tidings-data.json".to_string(),
            content_type: "application/json",
            body,
        }),
        from_name: None,
    }))
}

/// Data-export emails, for the send engine.
pub struct DataExportEmails;

impl Renderer for DataExportEmails {
    fn render<'a>(&'a self, state: &'a AppState, jobs: &'a [Job]) -> BoxFuture<'a, Vec<Rendered>> {
        Box::pin(render_each(state, jobs, prepare_data_export_email))
    }
}
