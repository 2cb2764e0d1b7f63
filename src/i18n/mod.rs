//! Readers' words in their own language. Every text a reader sees (pages, emails, field
//! errors) is a Project Fluent message: shipped under `templates/locales/<locale>/*.ftl`,
//! compiled into the binary, and overridable per publication from `newsletter.messages_dir`
//! without a rebuild. Each reader's locale is stored with them; pages that know no reader
//! negotiate one from the request (`negotiate`).
//!
//! Editors' pages stay in English and do not use this module.

mod catalog;
mod locale;

pub use catalog::{Arg, Catalog, CatalogError, Words};
pub use locale::{Locale, UnknownLocale};

use crate::error::FieldErrors;

/// Validation errors in the reader's words: a check whose code names a message (errors.ftl)
/// is said with its parameters as the message's variables; any other keeps its own message.
pub fn field_errors(errors: &validator::ValidationErrors, words: &Words) -> FieldErrors {
    errors
        .field_errors()
        .into_iter()
        .filter_map(|(field, errs)| {
            let error = errs.first()?;
            let message = if words.has(&error.code) {
                let texts: Vec<(&str, String)> = error
                    .params
                    .iter()
                    .filter(|(name, _)| *name != "value")
                    .filter_map(|(name, value)| match value {
                        serde_json::Value::String(text) => Some((name.as_ref(), text.clone())),
                        serde_json::Value::Number(_) => None,
                        other => Some((name.as_ref(), other.to_string())),
                    })
                    .collect();
                let mut args: Vec<(&str, Arg)> = texts
                    .iter()
                    .map(|(name, text)| (*name, Arg::Text(text)))
                    .collect();
                for (name, value) in &error.params {
                    if let Some(n) = value.as_i64() {
                        args.push((name.as_ref(), Arg::Number(n)));
                    }
                }
                words.format(&error.code, &args)
            } else {
                error.message.as_ref()?.to_string()
            };
            Some((field.to_string(), message))
        })
        .collect()
}

/// Picks the locale for a reader: the one they asked for (a form's or the API's `locale`),
/// else the best match for their browser's `Accept-Language`, else the publication's default.
/// A tag that is well formed but not offered falls through to the next choice, because the
/// embed snippet sends its page's own `lang`, which the publication may not offer.
pub fn negotiate(
    offered: &[Locale],
    default: Locale,
    asked: Option<&str>,
    accept_language: Option<&str>,
) -> Locale {
    let available: Vec<unic_langid::LanguageIdentifier> =
        offered.iter().map(|l| l.langid()).collect();
    let mut requested = Vec::new();
    if let Some(asked) = asked.map(str::trim).filter(|a| !a.is_empty())
        && let Ok(id) = asked.replace('_', "-").parse()
    {
        requested.push(id);
    }
    let picked = pick(&requested, &available).or_else(|| {
        let accepted = fluent_langneg::parse_accepted_languages(accept_language.unwrap_or(""));
        pick(&accepted, &available)
    });
    picked
        .and_then(|id| offered.iter().copied().find(|l| l.langid() == id))
        .unwrap_or(default)
}

/// The best offered match for the requests in order: an exact tag, else the same language
/// ("de-AT" finds "de", "pt" finds "pt-BR").
fn pick(
    requested: &[unic_langid::LanguageIdentifier],
    available: &[unic_langid::LanguageIdentifier],
) -> Option<unic_langid::LanguageIdentifier> {
    let default = None;
    fluent_langneg::negotiate_languages(
        requested,
        available,
        default,
        fluent_langneg::NegotiationStrategy::Lookup,
    )
    .first()
    .map(|id| (*id).clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all() -> Vec<Locale> {
        Locale::SHIPPED.to_vec()
    }

    fn l(tag: &str) -> Locale {
        tag.parse().unwrap()
    }

    #[test]
    fn the_asked_locale_wins_then_the_browser_then_the_default() {
        let en = l("en");
        assert_eq!(negotiate(&all(), en, Some("de"), Some("fr")), l("de"));
        assert_eq!(negotiate(&all(), en, None, Some("fr-CA,fr;q=0.9")), l("fr"));
        assert_eq!(negotiate(&all(), en, Some(""), None), en);
        assert_eq!(negotiate(&all(), l("es"), None, Some("it")), l("es"));
    }

    #[test]
    fn a_regional_or_bare_tag_finds_its_language() {
        let en = l("en");
        assert_eq!(negotiate(&all(), en, Some("de-AT"), None), l("de"));
        assert_eq!(negotiate(&all(), en, Some("pt"), None), l("pt-BR"));
        assert_eq!(negotiate(&all(), en, Some("pt_br"), None), l("pt-BR"));
        assert_eq!(negotiate(&all(), en, Some("ar-EG"), None), l("ar"));
        assert_eq!(
            negotiate(&all(), en, None, Some("it;q=1.0, ar-SA;q=0.8")),
            l("ar")
        );
    }

    #[test]
    fn a_locale_not_offered_falls_through() {
        let offered = [l("en"), l("de")];
        assert_eq!(
            negotiate(&offered, l("en"), Some("fr"), Some("de")),
            l("de")
        );
        assert_eq!(negotiate(&offered, l("en"), Some("fr"), None), l("en"));
        assert_eq!(
            negotiate(&offered, l("en"), Some("not a tag!"), None),
            l("en")
        );
    }
}
