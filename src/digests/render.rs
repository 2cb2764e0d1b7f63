//! The digest email. The part every reader shares (the list of articles) is rendered once per
//! digest; per reader only the greeting and the footer with their unsubscribe link are added.

use std::sync::Arc;

use askama::Template;

use super::Composition;
use crate::articles::{Article, markdown_to_html};
use crate::branding::{Accent, Branding};
use crate::config::{PolicySettings, Settings};
use crate::newsletters::Newsletter;

/// The lead story (shown first, larger, with its image) and the rest.
#[derive(Template)]
#[template(path = "email/digest_articles.html")]
struct ArticlesHtml<'a> {
    lead: Option<&'a Article>,
    articles: &'a [&'a Article],
    accent: Accent,
}

#[derive(Template)]
#[template(path = "email/digest_articles.txt")]
struct ArticlesText<'a> {
    lead: Option<&'a Article>,
    articles: &'a [&'a Article],
}

#[derive(Template)]
#[template(path = "email/digest.html")]
struct DigestEmailHtml<'a> {
    content: &'a DigestContent,
    reader: &'a Personal<'a>,
}

#[derive(Template)]
#[template(path = "email/digest.txt")]
struct DigestEmailText<'a> {
    content: &'a DigestContent,
    reader: &'a Personal<'a>,
}

/// What one reader's copy adds to the shared content.
pub struct Personal<'a> {
    pub name: Option<&'a str>,
    /// Also the page where they change their name or ask for their data.
    pub unsubscribe_url: &'a str,
    /// Present when the reader consented to older policy versions than these and has not
    /// been told of the change yet.
    pub policy_notice: Option<&'a PolicySettings>,
}

/// A digest rendered up to the per-reader parts.
#[derive(Debug, Clone)]
pub struct DigestContent {
    pub subject: String,
    newsletter: String,
    public_url: String,
    postal_address: String,
    articles_html: String,
    articles_text: String,
    /// The editor's note above the articles: sanitised HTML, and the Markdown as typed.
    intro_html: Option<String>,
    intro_text: Option<String>,
    /// The digest's public web version, when the archive is on.
    web_url: Option<String>,
    /// The line mail clients show after the subject: the editor's, or the headlines.
    preview_text: String,
    /// The branding in force when the digest was rendered.
    brand: Arc<Branding>,
}

impl DigestContent {
    /// `digest_id`: the digest this is, for its "View in your browser" link (`None` for a
    /// preview or a test of one not made yet).
    pub fn render(
        settings: &Settings,
        brand: Arc<Branding>,
        newsletter: &Newsletter,
        articles: &[Article],
        composition: &Composition,
        digest_id: Option<i64>,
    ) -> anyhow::Result<DigestContent> {
        let subject = match &composition.subject {
            Some(subject) => subject.clone(),
            None => subject_from_template(&newsletter.subject, &newsletter.name, articles),
        };
        let newsletter = newsletter.name.clone();
        let lead = composition
            .lead_article_id
            .and_then(|id| articles.iter().find(|a| a.id == id));
        let rest: Vec<&Article> = articles
            .iter()
            .filter(|a| Some(a.id) != lead.map(|l| l.id))
            .collect();
        let intro = composition
            .intro
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty());
        Ok(DigestContent {
            subject,
            newsletter,
            public_url: settings.link("/"),
            postal_address: settings.newsletter.postal_address.clone(),
            articles_html: ArticlesHtml {
                lead,
                articles: &rest,
                accent: brand.accent,
            }
            .render()?,
            articles_text: ArticlesText {
                lead,
                articles: &rest,
            }
            .render()?,
            intro_html: intro.map(markdown_to_html),
            intro_text: intro.map(str::to_string),
            web_url: digest_id
                .filter(|_| settings.newsletter.public_archive)
                .map(|id| settings.link(&format!("/archive/{id}"))),
            preview_text: composition
                .preview_text
                .as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map_or_else(|| headlines(articles), str::to_string),
            brand,
        })
    }

    /// (text, HTML) for one reader.
    pub fn personalise(&self, reader: &Personal<'_>) -> askama::Result<(String, String)> {
        let text = DigestEmailText {
            content: self,
            reader,
        }
        .render()?;
        let html = DigestEmailHtml {
            content: self,
            reader,
        }
        .render()?;
        Ok((text, html))
    }
}

/// "First headline · Second headline · …", at most 140 characters.
fn headlines(articles: &[Article]) -> String {
    let joined = articles
        .iter()
        .map(|a| a.title.as_str())
        .collect::<Vec<_>>()
        .join(" · ");
    match joined.char_indices().nth(140) {
        Some((at, _)) => format!("{}…", &joined[..at]),
        None => joined,
    }
}

pub fn subject_from_template(template: &str, newsletter: &str, articles: &[Article]) -> String {
    let first = articles.first().map_or("", |a| a.title.as_str());
    let subject = template
        .replace("{newsletter}", newsletter)
        .replace("{first_headline}", first)
        .replace("{count}", &articles.len().to_string());
    // A subject is one header line, whatever the titles held.
    subject
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(title: &str) -> Article {
        Article {
            id: 1,
            title: title.into(),
            url: "https://example.com/a".into(),
            summary_html: String::new(),
            summary_text: String::new(),
            author: None,
            image_url: None,
            published_at: String::new(),
            topics: Vec::new(),
        }
    }

    #[test]
    fn each_reader_gets_their_escaped_name_and_own_link_around_the_shared_part() {
        let settings = Settings::load_from(std::path::Path::new("config"), false).unwrap();
        let brand = Arc::new(Branding::from_config(&settings));
        let mut newsletter = crate::newsletters::blank(&settings);
        newsletter.name = settings.newsletter.name.clone();
        let content = DigestContent::render(
            &settings,
            brand,
            &newsletter,
            &[article("Big <news>")],
            &Composition::default(),
            None,
        )
        .unwrap();

        let (text, html) = content
            .personalise(&Personal {
                name: Some("<b>Eve</b>"),
                unsubscribe_url: "https://x.example/unsubscribe/abc",
                policy_notice: None,
            })
            .unwrap();
        let (anon_text, anon_html) = content
            .personalise(&Personal {
                name: None,
                unsubscribe_url: "https://x.example/unsubscribe/def",
                policy_notice: Some(&settings.policy),
            })
            .unwrap();

        assert!(html.contains("Hello &#60;b&#62;Eve&#60;/b&#62;,") && !html.contains("<b>Eve"));
        assert!(
            text.contains("Hello <b>Eve</b>,"),
            "plain text needs no escaping"
        );
        assert!(
            html.contains("https://x.example/unsubscribe/abc")
                && text.contains("https://x.example/unsubscribe/abc")
        );
        assert!(anon_html.contains("Hello, here is") && anon_text.contains("Hello, here is"));
        assert!(anon_html.contains("/unsubscribe/def") && !anon_html.contains("/unsubscribe/abc"));
        assert!(html.contains("Big &#60;news&#62;") && text.contains("Big <news>"));
        assert!(!html.contains("updated our") && !text.contains("updated our"));
        let terms = settings.policy.terms_url.as_str();
        assert!(anon_html.contains("updated our") && anon_html.contains(terms));
        assert!(anon_text.contains("updated our") && anon_text.contains(terms));
    }

    #[test]
    fn the_subject_template_is_filled_in() {
        let subject = subject_from_template(
            "{newsletter}: {first_headline} (+{count})",
            "Daily",
            &[article("Big news"), article("More")],
        );
        assert_eq!(subject, "Daily: Big news (+2)");
    }
}
