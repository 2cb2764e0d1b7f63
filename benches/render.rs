//! The CPU cost of one digest email, per message: personalising the shared content (greeting,
//! unsubscribe link), then building the MIME message and formatting it for the wire, and
//! with DKIM when `TIDINGS_DKIM__*` name a key. Run by `benches/run render`, or alone:
//!
//!     cargo bench --bench render
//!
//! Prints one table row per stage: microseconds per message (median of 5 rounds, min, max).

use std::time::Instant;

use lettre::message::Mailbox;
use tidings::articles::Article;
use tidings::config::Settings;
use tidings::digests::{DigestContent, Personal};
use tidings::mail::{ListHeaders, Mailer, OutgoingEmail};
use tidings::metrics::Metrics;

const MESSAGES: usize = 2_000;
const ROUNDS: usize = 5;

fn main() -> anyhow::Result<()> {
    let mut settings = Settings::load()?;
    let outbox = tempfile::tempdir()?;
    settings.mail.outbox_dir = outbox.path().to_path_buf();
    let mailer = Mailer::from_settings(
        &settings.mail,
        &settings.dkim,
        Metrics::default().smtp_seconds.clone(),
    )?;
    let articles: Vec<Article> = (1..=settings.digest.max_articles as i64)
        .map(|i| Article {
            id: i,
            title: format!("Headline number {i}, long enough to look like a real one"),
            url: format!("https://news.example/articles/{i}"),
            summary_html: "<p>A summary long enough to look like a real one, with <b>a few</b> \
                           sentences of text and <a href=\"https://news.example\">a link</a>.</p>"
                .into(),
            summary_text: "A summary long enough to look like a real one, with a few sentences \
                           of text and a link."
                .into(),
            author: Some("A. Writer".into()),
            image_url: None,
            published_at: "2026-11-24T07:00:00Z".into(),
            topics: Vec::new(),
        })
        .collect();
    let brand = std::sync::Arc::new(tidings::branding::Branding::from_config(&settings));
    let mut newsletter = tidings::newsletters::blank(&settings);
    newsletter.name = settings.newsletter.name.clone();
    let catalog = tidings::i18n::Catalog::load(None)?;
    let dkim = if settings.dkim.is_enabled() {
        "on"
    } else {
        "off"
    };
    println!("| locale | stage | DKIM | µs/message (median) | min | max | bytes |");
    println!("| --- | --- | :---: | ---: | ---: | ---: | ---: |");
    // Each shipped locale: the digest's own words differ, and only English stays 7-bit ASCII.
    for locale in tidings::i18n::Locale::SHIPPED {
        let content = DigestContent::render(
            &settings,
            brand.clone(),
            catalog.words(locale),
            &newsletter,
            &articles,
            &Default::default(),
            Some(1),
        )?;
        let email = |i: usize| -> anyhow::Result<OutgoingEmail> {
            let name = format!("Reader {i}");
            let unsubscribe_url = format!(
                "{}/unsubscribe/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA{i}",
                settings.server.public_url
            );
            let (text, html) = content.personalise(&Personal {
                name: Some(&name),
                unsubscribe_url: &unsubscribe_url,
                policy_notice: None,
            })?;
            Ok(OutgoingEmail {
                to: Mailbox::new(Some(name), format!("reader{i}@example.com").parse()?),
                subject: content.subject.clone(),
                text,
                html,
                message_id: Some(format!("digest-1.reader-{i}")),
                return_path: None,
                list: Some(ListHeaders {
                    list_id: "<digest.example.com>".into(),
                    unsubscribe_url,
                    unsubscribe_mailto: None,
                }),
                attachment: None,
                from_name: None,
            })
        };
        let mut size = 0;
        let personalise = rounds(|| {
            for i in 0..MESSAGES {
                std::hint::black_box(email(i)?);
            }
            Ok(())
        })?;
        row(locale, "personalise (text + HTML)", "-", personalise, 0);
        let whole = rounds(|| {
            for i in 0..MESSAGES {
                let built = mailer.build(email(i)?)?;
                size = std::hint::black_box(built.bytes).len();
            }
            Ok(())
        })?;
        row(locale, "personalise + MIME + format", dkim, whole, size);
    }
    Ok(())
}

/// Microseconds per message of each round.
fn rounds(mut round: impl FnMut() -> anyhow::Result<()>) -> anyhow::Result<Vec<f64>> {
    round()?; // warm-up
    let mut times = Vec::with_capacity(ROUNDS);
    for _ in 0..ROUNDS {
        let started = Instant::now();
        round()?;
        times.push(started.elapsed().as_secs_f64() * 1e6 / MESSAGES as f64);
    }
    times.sort_by(f64::total_cmp);
    Ok(times)
}

fn row(locale: tidings::i18n::Locale, stage: &str, dkim: &str, times: Vec<f64>, bytes: usize) {
    let bytes = if bytes == 0 {
        "-".to_string()
    } else {
        bytes.to_string()
    };
    println!(
        "| {locale} | {stage} | {dkim} | {:.1} | {:.1} | {:.1} | {bytes} |",
        times[ROUNDS / 2],
        times[0],
        times[ROUNDS - 1]
    );
}
