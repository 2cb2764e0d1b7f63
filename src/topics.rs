//! Topics: short slugs ("politics", "local-news") that articles carry, that a newsletter may
//! be limited to, and that readers pick. Stored space-separated in one column where a list
//! belongs to one row (a newsletter's filter, a reader's choice), one row each for articles.

/// At most this many topics in one list; more is a mistake, not a choice.
pub const MAX_TOPICS: usize = 30;
const MAX_TOPIC_CHARS: usize = 40;

/// What is wrong with a list of topics (the first problem found).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TopicsError {
    #[error(
        "{0:?} is not a topic: use at most {MAX_TOPIC_CHARS} letters, digits and hyphens, e.g. \"local-news\""
    )]
    NotATopic(String),
    #[error("at most {MAX_TOPICS} topics")]
    TooMany,
}

impl TopicsError {
    /// Its message's id in the readers' words (errors.ftl).
    pub fn id(&self) -> &'static str {
        match self {
            TopicsError::NotATopic(_) => "error-topic-invalid",
            TopicsError::TooMany => "error-too-many-topics",
        }
    }

    /// The message's variables, as a validation error carries them.
    pub fn add_params(&self, error: &mut validator::ValidationError) {
        match self {
            TopicsError::NotATopic(topic) => error.add_param("topic".into(), topic),
            TopicsError::TooMany => error.add_param("count".into(), &MAX_TOPICS),
        }
    }

    /// The message in a reader's words.
    pub fn in_words(&self, words: &crate::i18n::Words) -> String {
        match self {
            TopicsError::NotATopic(topic) => words.t1(self.id(), "topic", topic),
            TopicsError::TooMany => words.count(self.id(), MAX_TOPICS),
        }
    }
}

/// The list as typed (any case, surrounding blanks) made into sorted, unique slugs.
pub fn parse(topics: &[String]) -> Result<Vec<String>, TopicsError> {
    let mut slugs = Vec::with_capacity(topics.len());
    for topic in topics {
        let slug = topic.trim().to_lowercase();
        if slug.is_empty() {
            continue;
        }
        let valid = slug.chars().count() <= MAX_TOPIC_CHARS
            && slug
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !slug.starts_with('-')
            && !slug.ends_with('-');
        if !valid {
            return Err(TopicsError::NotATopic(topic.clone()));
        }
        slugs.push(slug);
    }
    slugs.sort_unstable();
    slugs.dedup();
    if slugs.len() > MAX_TOPICS {
        return Err(TopicsError::TooMany);
    }
    Ok(slugs)
}

/// A feed's category ("Local News", "Sport/Football") as a topic, or `None` when nothing of
/// it makes a slug.
pub fn from_label(label: &str) -> Option<String> {
    let mut slug = String::new();
    for c in label.trim().to_lowercase().chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug: String = slug
        .trim_end_matches('-')
        .chars()
        .take(MAX_TOPIC_CHARS)
        .collect();
    let slug = slug.trim_end_matches('-').to_string();
    (!slug.is_empty()).then_some(slug)
}

/// How a topic reads on a page: "local-news" is "Local news".
pub fn label(slug: &str) -> String {
    let words = slug.replace('-', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => words,
    }
}

/// The stored form of a list.
pub fn join(topics: &[String]) -> String {
    topics.join(" ")
}

pub fn split(stored: &str) -> Vec<String> {
    stored.split_whitespace().map(str::to_string).collect()
}

/// A list as an editor types it in one field ("sport, local-news" or "sport local-news"),
/// for `parse` to check.
pub fn split_typed(typed: &str) -> Vec<String> {
    typed
        .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_are_lowercase_slugs_listed_once() {
        let typed = [
            "Sport".to_string(),
            " politics ".into(),
            "sport".into(),
            "".into(),
        ];
        assert_eq!(parse(&typed).unwrap(), ["politics", "sport"]);
        assert!(parse(&["local news".to_string()]).is_err());
        assert!(parse(&["-x".to_string()]).is_err());
        assert!(parse(&["é".to_string()]).is_err());
    }

    #[test]
    fn a_typed_list_is_split_at_commas_and_blanks() {
        assert_eq!(
            split_typed(" Sport, local-news;weather  politics,,"),
            ["Sport", "local-news", "weather", "politics"]
        );
        assert!(split_typed(" , ").is_empty());
    }

    #[test]
    fn feed_categories_become_slugs() {
        assert_eq!(from_label("Local News").as_deref(), Some("local-news"));
        assert_eq!(
            from_label("Sport/Football").as_deref(),
            Some("sport-football")
        );
        assert_eq!(from_label(" ¿? "), None);
    }

    #[test]
    fn a_topic_reads_as_words() {
        assert_eq!(label("local-news"), "Local news");
        assert_eq!(label("sport"), "Sport");
        assert_eq!(label("2026-election"), "2026 election");
    }
}
