//! Summaries may be plain text or HTML; either way they pass through ammonia, which keeps a
//! small set of formatting tags and drops scripts, event attributes and `javascript:` links.

use std::collections::HashSet;

pub fn sanitize_summary(input: &str) -> String {
    ammonia::Builder::default()
        .tags(HashSet::from([
            "a",
            "b",
            "strong",
            "i",
            "em",
            "p",
            "br",
            "ul",
            "ol",
            "li",
            "blockquote",
            "code",
        ]))
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .link_rel(Some("noopener noreferrer"))
        .clean(input)
        .to_string()
}

/// An editor's Markdown (a digest's intro note) as HTML, through the same allowlist as
/// summaries: raw HTML in the Markdown is cleaned, not trusted.
pub fn markdown_to_html(markdown: &str) -> String {
    let parser = pulldown_cmark::Parser::new(markdown);
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, parser);
    sanitize_summary(&html)
}

/// The text of sanitised HTML, for the plain-text part of emails.
pub fn html_to_text(html: &str) -> String {
    let spaced = html
        .replace("</p>", "</p>\n\n")
        .replace("<br>", "\n")
        .replace("</li>", "</li>\n");
    let bare = ammonia::Builder::empty().clean(&spaced).to_string();
    let text = bare
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    let lines: Vec<String> = text
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    lines.join("\n").trim().replace("\n\n\n", "\n\n")
}

#[cfg(test)]
mod tests {
    #[test]
    fn markdown_becomes_html_without_anything_unsafe() {
        let html = super::markdown_to_html(
            "Hello *readers*,\n\n- [one](https://x.example/1)\n\n<script>alert(1)</script>\n\n[bad](javascript:alert(1))",
        );
        assert!(html.contains("<em>readers</em>"), "{html}");
        assert!(html.contains(r#"<a href="https://x.example/1""#), "{html}");
        assert!(
            !html.contains("<script") && !html.contains("javascript:"),
            "{html}"
        );
    }

    use super::*;

    #[test]
    fn hostile_markup_is_removed() {
        let clean = sanitize_summary(
            r#"<p onclick="steal()">Hi <script>alert(1)</script><a href="javascript:alert(1)">x</a> <img src=x onerror=alert(1)></p>"#,
        );
        assert!(
            !clean.contains("script")
                && !clean.contains("onclick")
                && !clean.contains("javascript")
        );
        assert!(!clean.contains("onerror") && !clean.contains("<img"));
        assert!(clean.starts_with("<p>Hi "));
    }

    #[test]
    fn plain_text_comes_out_escaped_and_back_as_text() {
        let html = sanitize_summary("Fish & chips <3");
        assert_eq!(html, "Fish &amp; chips &lt;3");
        assert_eq!(html_to_text(&html), "Fish & chips <3");
    }

    #[test]
    fn paragraphs_become_blank_lines() {
        assert_eq!(
            html_to_text("<p>One</p><p>Two <b>bold</b></p>"),
            "One\n\nTwo bold"
        );
    }
}
