//! The digest email. The part every reader shares (the list of articles and the digest's own
//! words, in the digest's locale) is rendered once per digest; per reader only the greeting
//! and the footer with their unsubscribe link are added. Readers of different locales get
//! different digests (`create`), so one digest is one locale.

use std::sync::Arc;

use askama::Template;

use super::Composition;
use crate::articles::{Article, markdown_to_html};
use crate::branding::{Accent, Branding};
use crate::config::{PolicySettings, Settings};
use crate::i18n::Words;
use crate::newsletters::Newsletter;

/// The lead story (shown first, larger, with its image) and the rest.
#[derive(Template)]
#[template(path = "email/digest_articles.html")]
struct ArticlesHtml<'a> {
    lead: Option<&'a Article>,
    articles: &'a [&'a Article],
    accent: Accent,
    t: &'a Words,
    read_more: &'a str,
    /// Points the way the line reads: `&rarr;`, or `&larr;` right to left.
    arrow: &'static str,
    /// The side a line ends on: `right`, or `left` right to left.
    end: &'static str,
}

#[derive(Template)]
#[template(path = "email/digest_articles.txt")]
struct ArticlesText<'a> {
    lead: Option<&'a Article>,
    articles: &'a [&'a Article],
    t: &'a Words,
    read_more: &'a str,
}

#[derive(Template)]
#[template(path = "email/digest.html")]
struct DigestEmailHtml<'a> {
    content: &'a DigestContent,
    reader: &'a Personal<'a>,
    /// "Hello NAME, here is what to read next."
    greeting: &'a str,
    /// Where the reader changes their name or asks for their data.
    data_url: &'a str,
}

#[derive(Template)]
#[template(path = "email/digest.txt")]
struct DigestEmailText<'a> {
    content: &'a DigestContent,
    reader: &'a Personal<'a>,
    greeting: &'a str,
    data_url: &'a str,
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
#[derive(Clone)]
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
    /// The digest's locale.
    t: Words,
    chrome: Chrome,
}

/// The digest's own words that every reader's copy shares, formatted once, and the sides
/// its layout mirrors between left-to-right and right-to-left languages.
#[derive(Clone)]
struct Chrome {
    view_in_browser: String,
    view_in_browser_text: String,
    /// The greeting for a reader without a name.
    hello: String,
    read_next: String,
    /// In capitals, as the HTML part shows it.
    read_next_text: String,
    why_text: String,
    unsubscribe_text: String,
    data_text: String,
    /// The style of the unsubscribe link: the accent colour.
    accent_style: String,
    /// Where a line starts and ends: `left` and `right`, or the other way round.
    start: &'static str,
    end: &'static str,
}

impl Chrome {
    fn new(t: &Words, newsletter: &str, public_url: &str, accent: Accent) -> Chrome {
        let right_to_left = t.dir() == "rtl";
        Chrome {
            view_in_browser: t.t("digest-view-in-browser"),
            view_in_browser_text: t.t("digest-view-in-browser-text"),
            hello: t.t("digest-hello"),
            read_next: t.t("digest-read-next"),
            read_next_text: t.t("digest-read-next").to_uppercase(),
            why_text: t.t2(
                "email-why-text",
                "newsletter",
                newsletter,
                "public_url",
                public_url,
            ),
            unsubscribe_text: t.t("digest-unsubscribe-text"),
            data_text: t.t("digest-data-text"),
            accent_style: format!("color:{accent};"),
            start: if right_to_left { "right" } else { "left" },
            end: if right_to_left { "left" } else { "right" },
        }
    }
}

impl DigestContent {
    /// `digest_id`: the digest this is, for its "View in your browser" link (`None` for a
    /// preview or a test of one not made yet). `t`: the words of the digest's locale.
    pub fn render(
        settings: &Settings,
        brand: Arc<Branding>,
        t: Words,
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
        let public_url = settings.link("/");
        let chrome = Chrome::new(&t, &newsletter, &public_url, brand.accent);
        Ok(DigestContent {
            subject,
            public_url,
            postal_address: settings.newsletter.postal_address.clone(),
            articles_html: ArticlesHtml {
                lead,
                articles: &rest,
                accent: brand.accent,
                t: &t,
                read_more: &t.t("digest-read-more"),
                arrow: if t.dir() == "rtl" { "&larr;" } else { "&rarr;" },
                end: chrome.end,
            }
            .render()?,
            articles_text: ArticlesText {
                lead,
                articles: &rest,
                t: &t,
                read_more: &t.t("digest-read-more-text"),
            }
            .render()?,
            newsletter,
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
            t,
            chrome,
        })
    }

    /// The locale the digest is written in.
    pub fn locale(&self) -> crate::i18n::Locale {
        self.t.locale()
    }

    /// (text, HTML) for one reader.
    pub fn personalise(&self, reader: &Personal<'_>) -> askama::Result<(String, String)> {
        let greeting = match reader.name {
            Some(name) => self.t.t1("digest-hello-name", "name", name),
            None => self.chrome.hello.clone(),
        };
        let data_url = format!("{}#your-data", reader.unsubscribe_url);
        let text = DigestEmailText {
            content: self,
            reader,
            greeting: &greeting,
            data_url: &data_url,
        }
        .render()?;
        let html = DigestEmailHtml {
            content: self,
            reader,
            greeting: &greeting,
            data_url: &data_url,
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
        let words = crate::i18n::Catalog::load(None)
            .unwrap()
            .words(crate::i18n::Locale::ENGLISH);
        let content = DigestContent::render(
            &settings,
            brand,
            words,
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
    fn a_right_to_left_digest_says_so_and_mirrors_its_layout() {
        let mut settings = Settings::load_from(std::path::Path::new("config"), false).unwrap();
        settings.newsletter.public_archive = true;
        let brand = Arc::new(Branding::from_config(&settings));
        let newsletter = crate::newsletters::blank(&settings);
        let catalog = crate::i18n::Catalog::load(None).unwrap();
        let mut with_image = article("Big news");
        with_image.image_url = Some("https://example.com/a.png".into());
        let render = |tag: &str| {
            let content = DigestContent::render(
                &settings,
                brand.clone(),
                catalog.words(tag.parse().unwrap()),
                &newsletter,
                &[with_image.clone(), article("More")],
                &Composition::default(),
                Some(7),
            )
            .unwrap();
            let reader = Personal {
                name: None,
                unsubscribe_url: "https://x.example/unsubscribe/abc",
                policy_notice: Some(&settings.policy),
            };
            content.personalise(&reader).unwrap().1
        };

        let ltr = render("en");
        assert!(ltr.contains(r#"<html lang="en" dir="ltr">"#), "{ltr}");
        assert!(ltr.contains("text-align:right;") && ltr.contains("border-left:3px"));
        assert!(ltr.contains("padding-right:16px") && ltr.contains("&rarr;"));

        let rtl = render("ar");
        assert!(rtl.contains(r#"<html lang="ar" dir="rtl">"#), "{rtl}");
        assert!(rtl.contains(r#"lang="ar" dir="rtl" style="background:#f4f1ea;""#));
        assert!(rtl.contains(r#"align="left""#) && rtl.contains("text-align:left;"));
        assert!(rtl.contains("border-right:3px") && !rtl.contains("border-left"));
        assert!(rtl.contains("padding-left:16px") && !rtl.contains("padding-right"));
        assert!(rtl.contains("&larr;") && !rtl.contains("&rarr;"));
        assert!(
            !rtl.contains("text-align:right"),
            "nothing stays on the right"
        );
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
