use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, TimeZone};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use fluent_syntax::ast;

use super::Locale;

type Bundle = FluentBundle<FluentResource>;

/// The shipped message files of every locale, compiled in. Each locale has the same files;
/// a missing one fails the build.
macro_rules! shipped {
    ($($file:literal),* $(,)?) => {
        [$(
            ($file, [
                include_str!(concat!("../../templates/locales/en/", $file)),
                include_str!(concat!("../../templates/locales/de/", $file)),
                include_str!(concat!("../../templates/locales/fr/", $file)),
                include_str!(concat!("../../templates/locales/es/", $file)),
                include_str!(concat!("../../templates/locales/pt-BR/", $file)),
                include_str!(concat!("../../templates/locales/ar/", $file)),
            ]),
        )*]
    };
}

/// (file name, its text in each of `Locale::SHIPPED`, in that order).
pub(crate) const SHIPPED_FILES: [(&str, [&str; 6]); 4] =
    shipped!("common.ftl", "pages.ftl", "emails.ftl", "errors.ftl");

#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("reading the messages in {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not valid Fluent: {details}")]
    Syntax { path: String, details: String },
    #[error(
        "{path} overrides {id:?}, which Tidings has no message for (see templates/locales/en/)"
    )]
    UnknownMessage { path: String, id: String },
    #[error(
        "{path}: {id:?} uses the variables {found:?}, but Tidings passes {expected:?} (see templates/locales/en/)"
    )]
    Variables {
        path: String,
        id: String,
        found: Vec<String>,
        expected: Vec<String>,
    },
    #[error("{path}: the file name should be a locale Tidings ships (en, de, fr, es, pt-BR, ar)")]
    UnknownLocale { path: String },
}

/// Every locale's messages, built once at start; cheap to clone.
#[derive(Clone)]
pub struct Catalog {
    bundles: Arc<Vec<Bundle>>,
}

impl Catalog {
    /// The shipped messages, with the publication's overrides from `messages_dir` (if set)
    /// laid over them: `<dir>/<locale>.ftl` or any `.ftl` file in `<dir>/<locale>/`. An
    /// override must name a message Tidings has and use only its variables, so that a typo
    /// fails the start rather than a reader's email.
    pub fn load(messages_dir: Option<&Path>) -> Result<Catalog, CatalogError> {
        let english = variables_by_message(SHIPPED_FILES.iter().map(|(_, texts)| texts[0]));
        let mut bundles = Vec::with_capacity(Locale::SHIPPED.len());
        for (index, locale) in Locale::SHIPPED.into_iter().enumerate() {
            let mut bundle = Bundle::new_concurrent(vec![locale.langid()]);
            // Isolation marks would land inside href attributes and plain-text emails.
            bundle.set_use_isolating(false);
            for (file, texts) in SHIPPED_FILES {
                let path = format!("templates/locales/{}/{file}", locale.tag());
                let resource = parse(&path, texts[index].to_string())?;
                bundle.add_resource_overriding(resource);
            }
            bundles.push(bundle);
        }
        if let Some(dir) = messages_dir {
            for (path, locale, text) in overrides(dir)? {
                let shown = path.display().to_string();
                check_override(&shown, &text, &english)?;
                let resource = parse(&shown, text)?;
                bundles[usize::from(locale_index(locale))].add_resource_overriding(resource);
            }
        }
        Ok(Catalog {
            bundles: Arc::new(bundles),
        })
    }

    pub fn words(&self, locale: Locale) -> Words {
        Words {
            catalog: self.clone(),
            locale,
        }
    }

    fn bundle(&self, locale: Locale) -> &Bundle {
        &self.bundles[usize::from(locale_index(locale))]
    }
}

fn locale_index(locale: Locale) -> u8 {
    Locale::SHIPPED
        .iter()
        .position(|l| *l == locale)
        .expect("every locale is shipped") as u8
}

fn parse(path: &str, text: String) -> Result<FluentResource, CatalogError> {
    FluentResource::try_new(text).map_err(|(_, errors)| CatalogError::Syntax {
        path: path.to_string(),
        details: errors
            .iter()
            .map(|e| format!("{:?} at bytes {:?}", e.kind, e.pos))
            .collect::<Vec<_>>()
            .join("; "),
    })
}

/// The override files in `dir`, each with the locale its name gives.
fn overrides(dir: &Path) -> Result<Vec<(PathBuf, Locale, String)>, CatalogError> {
    let read_dir = |path: &Path| {
        std::fs::read_dir(path).map_err(|source| CatalogError::Read {
            path: path.to_path_buf(),
            source,
        })
    };
    let read = |path: &Path| {
        std::fs::read_to_string(path).map_err(|source| CatalogError::Read {
            path: path.to_path_buf(),
            source,
        })
    };
    let mut found = Vec::new();
    let mut entries: Vec<PathBuf> = read_dir(dir)?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for path in entries {
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        if path.is_dir() {
            let locale = stem.parse().map_err(|_| CatalogError::UnknownLocale {
                path: path.display().to_string(),
            })?;
            let mut files: Vec<PathBuf> = read_dir(&path)?
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "ftl"))
                .collect();
            files.sort();
            for file in files {
                let text = read(&file)?;
                found.push((file, locale, text));
            }
        } else if path.extension().is_some_and(|e| e == "ftl") {
            let locale = stem.parse().map_err(|_| CatalogError::UnknownLocale {
                path: path.display().to_string(),
            })?;
            let text = read(&path)?;
            found.push((path, locale, text));
        }
    }
    Ok(found)
}

fn check_override(
    path: &str,
    text: &str,
    english: &BTreeMap<String, BTreeSet<String>>,
) -> Result<(), CatalogError> {
    for (id, found) in variables_by_message([text]) {
        let Some(expected) = english.get(&id) else {
            return Err(CatalogError::UnknownMessage {
                path: path.to_string(),
                id,
            });
        };
        if !found.is_subset(expected) {
            return Err(CatalogError::Variables {
                path: path.to_string(),
                id,
                found: found.into_iter().collect(),
                expected: expected.iter().cloned().collect(),
            });
        }
    }
    Ok(())
}

/// Each message id (and term, as `-id`) with the variables its value and attributes use.
/// Text that does not parse yields the messages that do; `parse` reports the rest.
pub(crate) fn variables_by_message<'a>(
    texts: impl IntoIterator<Item = &'a str>,
) -> BTreeMap<String, BTreeSet<String>> {
    let mut found = BTreeMap::new();
    for text in texts {
        let resource = match ast_of(text) {
            Some(resource) => resource,
            None => continue,
        };
        for entry in resource.body {
            let (id, value, attributes) = match entry {
                ast::Entry::Message(m) => (m.id.name.to_string(), m.value, m.attributes),
                ast::Entry::Term(t) => (format!("-{}", t.id.name), Some(t.value), t.attributes),
                _ => continue,
            };
            let mut names = BTreeSet::new();
            for pattern in value.iter().chain(attributes.iter().map(|a| &a.value)) {
                pattern_variables(pattern, &mut names);
            }
            found.insert(id, names);
        }
    }
    found
}

fn ast_of(text: &str) -> Option<ast::Resource<&str>> {
    match fluent_syntax::parser::parse(text) {
        Ok(resource) => Some(resource),
        Err((resource, _)) => Some(resource),
    }
}

fn pattern_variables(pattern: &ast::Pattern<&str>, names: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expression_variables(expression, names);
        }
    }
}

fn expression_variables(expression: &ast::Expression<&str>, names: &mut BTreeSet<String>) {
    match expression {
        ast::Expression::Inline(inline) => inline_variables(inline, names),
        ast::Expression::Select { selector, variants } => {
            inline_variables(selector, names);
            for variant in variants {
                pattern_variables(&variant.value, names);
            }
        }
    }
}

fn inline_variables(inline: &ast::InlineExpression<&str>, names: &mut BTreeSet<String>) {
    match inline {
        ast::InlineExpression::VariableReference { id } => {
            names.insert(id.name.to_string());
        }
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            for argument in &arguments.positional {
                inline_variables(argument, names);
            }
            for named in &arguments.named {
                inline_variables(&named.value, names);
            }
        }
        ast::InlineExpression::Placeable { expression } => expression_variables(expression, names),
        _ => {}
    }
}

/// One reader's words: the catalog in their locale. Templates call `t.t("message-id")`.
#[derive(Clone)]
pub struct Words {
    catalog: Catalog,
    locale: Locale,
}

/// A number to count with: templates pass references, code passes values.
pub trait Count {
    fn as_i64(&self) -> i64;
}

impl Count for i64 {
    fn as_i64(&self) -> i64 {
        *self
    }
}

impl Count for usize {
    fn as_i64(&self) -> i64 {
        i64::try_from(*self).unwrap_or(i64::MAX)
    }
}

impl<T: Count> Count for &T {
    fn as_i64(&self) -> i64 {
        (**self).as_i64()
    }
}

/// A value for a message's variable.
pub enum Arg<'a> {
    Text(&'a str),
    Number(i64),
}

impl Words {
    pub fn locale(&self) -> Locale {
        self.locale
    }

    /// For `lang` attributes.
    pub fn lang(&self) -> &'static str {
        self.locale.tag()
    }

    /// For `dir` attributes.
    pub fn dir(&self) -> &'static str {
        self.locale.dir()
    }

    /// Whether there is such a message (in this locale or English).
    pub fn has(&self, id: &str) -> bool {
        self.catalog.bundle(self.locale).has_message(id)
            || self.catalog.bundle(Locale::ENGLISH).has_message(id)
    }

    /// A list as this language writes it: "A", "A and B", "A, B and C".
    pub fn list(&self, items: &[&str]) -> String {
        match items {
            [] => String::new(),
            [one] => one.to_string(),
            [rest @ .., last] => {
                let rest = rest.join(&self.t("list-separator"));
                self.t2("list-and", "rest", rest, "last", last)
            }
        }
    }

    /// A message without variables.
    pub fn t(&self, id: &str) -> String {
        self.format(id, &[])
    }

    /// A message with one text variable.
    pub fn t1(&self, id: &str, name: &str, value: impl fmt::Display) -> String {
        let value = value.to_string();
        self.format(id, &[(name, Arg::Text(&value))])
    }

    /// A message with two text variables.
    pub fn t2(
        &self,
        id: &str,
        name: &str,
        value: impl fmt::Display,
        name2: &str,
        value2: impl fmt::Display,
    ) -> String {
        let (value, value2) = (value.to_string(), value2.to_string());
        self.format(
            id,
            &[(name, Arg::Text(&value)), (name2, Arg::Text(&value2))],
        )
    }

    /// A message that counts something (`$count`, for plural forms).
    pub fn count(&self, id: &str, count: impl Count) -> String {
        self.format(id, &[("count", Arg::Number(count.as_i64()))])
    }

    /// A message holding markup (links), its text variables escaped for HTML. Output it with
    /// `|safe`.
    pub fn html(&self, id: &str, args: &[(&str, &str)]) -> String {
        let escaped: Vec<(String, String)> = args
            .iter()
            .map(|(name, value)| (name.to_string(), escape_html(value)))
            .collect();
        let args: Vec<(&str, Arg)> = escaped
            .iter()
            .map(|(name, value)| (name.as_str(), Arg::Text(value)))
            .collect();
        self.format(id, &args)
    }

    /// `html` with one variable, for templates.
    pub fn html1(&self, id: &str, name: &str, value: impl fmt::Display) -> String {
        self.html(id, &[(name, &value.to_string())])
    }

    /// The message in this locale, else in English (an override cannot remove one, and a test
    /// keeps the shipped locales complete), else its id.
    pub fn format(&self, id: &str, args: &[(&str, Arg)]) -> String {
        let mut fluent_args = FluentArgs::with_capacity(args.len());
        for (name, value) in args {
            match value {
                Arg::Text(text) => fluent_args.set(*name, FluentValue::from(*text)),
                Arg::Number(n) => fluent_args.set(*name, FluentValue::from(*n)),
            }
        }
        for locale in [self.locale, Locale::ENGLISH] {
            let bundle = self.catalog.bundle(locale);
            if let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) {
                let mut errors = Vec::new();
                let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
                if !errors.is_empty() {
                    tracing::warn!(id, locale = %locale, ?errors, "a message did not format cleanly");
                }
                return text.into_owned();
            }
        }
        tracing::error!(id, "no such message in any locale");
        id.to_string()
    }

    /// A day as readers of this locale write it ("1 December 2026", "1. Dezember 2026"),
    /// in the given time zone. The pattern is the message `date-long` (strftime).
    pub fn date<Tz: TimeZone>(&self, at: &DateTime<Tz>) -> String
    where
        Tz::Offset: fmt::Display,
    {
        let pattern = self.t("date-long");
        at.format_localized(&pattern, self.locale.dates())
            .to_string()
    }

    /// A day and time, as `date` with the message `date-time`.
    pub fn date_time<Tz: TimeZone>(&self, at: &DateTime<Tz>) -> String
    where
        Tz::Offset: fmt::Display,
    {
        let pattern = self.t("date-time");
        at.format_localized(&pattern, self.locale.dates())
            .to_string()
    }
}

/// As askama escapes, so that a variable reads the same in a message as in a template.
fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&#38;"),
            '<' => out.push_str("&#60;"),
            '>' => out.push_str("&#62;"),
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every shipped locale has exactly English's messages, with exactly its variables, and
    /// every file parses.
    #[test]
    fn every_locale_has_the_messages_and_variables_english_has() {
        let mut problems = Vec::new();
        for (file, texts) in SHIPPED_FILES {
            let english = variables_by_message([texts[0]]);
            for (index, locale) in Locale::SHIPPED.into_iter().enumerate() {
                let path = format!("{}/{file}", locale.tag());
                if let Err(err) = parse(&path, texts[index].to_string()) {
                    problems.push(err.to_string());
                    continue;
                }
                let theirs = variables_by_message([texts[index]]);
                for (id, vars) in &english {
                    match theirs.get(id) {
                        None => problems.push(format!("{path} lacks {id}")),
                        Some(v) if v != vars => {
                            problems.push(format!("{path}: {id} uses {v:?}, English uses {vars:?}"))
                        }
                        Some(_) => {}
                    }
                }
                for id in theirs.keys().filter(|id| !english.contains_key(*id)) {
                    problems.push(format!("{path} has {id}, which English lacks"));
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn the_catalog_loads_and_formats_each_locale() {
        let catalog = Catalog::load(None).unwrap();
        for locale in Locale::SHIPPED {
            let words = catalog.words(locale);
            assert_ne!(words.t("date-long"), "date-long");
        }
        let de = catalog.words("de".parse().unwrap());
        let day = chrono::Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap();
        assert!(de.date(&day).contains("Dezember"), "{}", de.date(&day));
    }

    #[test]
    fn an_override_replaces_a_message_and_a_typo_fails_the_start() {
        let dir = std::env::temp_dir().join(format!("tidings-ftl-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("de")).unwrap();
        std::fs::write(dir.join("en.ftl"), "date-long = %Y-%m-%d\n").unwrap();
        std::fs::write(dir.join("de/mine.ftl"), "date-long = %d.%m.%Y\n").unwrap();
        let catalog = Catalog::load(Some(&dir)).unwrap();
        let day = chrono::Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap();
        assert_eq!(catalog.words(Locale::ENGLISH).date(&day), "2026-12-01");
        assert_eq!(
            catalog.words("de".parse().unwrap()).date(&day),
            "01.12.2026"
        );

        std::fs::write(dir.join("fr.ftl"), "no-such-message = x\n").unwrap();
        let err = Catalog::load(Some(&dir)).err().unwrap().to_string();
        assert!(
            err.contains("no-such-message") && err.contains("fr.ftl"),
            "{err}"
        );
        std::fs::write(dir.join("fr.ftl"), "date-long = { $nope }\n").unwrap();
        let err = Catalog::load(Some(&dir)).err().unwrap().to_string();
        assert!(err.contains("$nope") || err.contains("nope"), "{err}");
        std::fs::remove_file(dir.join("fr.ftl")).unwrap();
        std::fs::write(dir.join("it.ftl"), "date-long = x\n").unwrap();
        let err = Catalog::load(Some(&dir)).err().unwrap().to_string();
        assert!(err.contains("it.ftl"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn html_messages_escape_their_variables() {
        let catalog = Catalog::load(None).unwrap();
        let words = catalog.words(Locale::ENGLISH);
        let html = words.html(
            "consent-label",
            &[
                ("privacy_url", "https://x/?a=1&b=\"2\""),
                ("terms_url", "t"),
            ],
        );
        assert!(html.contains("a=1&#38;b=&#34;2&#34;"), "{html}");
    }
}
