//! What a reader can choose, as the signup form, the embed snippet and the reader's own page
//! show it: the newsletters, the topics each one covers (its topic filter, or for a
//! newsletter that takes every article, the topics of the newest articles), and the cadences
//! each one offers, in words a reader understands.

use sqlx::AnyPool;

use crate::i18n::{Arg, Words};
use crate::newsletters::{self, Cadence, Newsletter};
use crate::topics;

/// How many of the newest articles tell which topics a newsletter with no filter covers.
const RECENT_ARTICLES: i64 = 200;

/// One newsletter as a reader chooses it.
#[derive(Debug, Clone)]
pub struct Offer {
    pub newsletter: Newsletter,
    /// The topics it covers, sorted.
    pub topics: Vec<String>,
}

impl Offer {
    /// The cadences it offers, its own schedule first.
    pub fn cadences(&self) -> Vec<Cadence> {
        Cadence::ALL
            .into_iter()
            .filter(|c| self.newsletter.offers(*c))
            .collect()
    }

    /// Whether a reader has anything to choose on it besides joining.
    pub fn has_choices(&self) -> bool {
        !self.topics.is_empty() || self.cadences().len() > 1
    }
}

/// Every newsletter with its topics, the default first.
pub async fn offers(pool: &AnyPool) -> sqlx::Result<Vec<Offer>> {
    let all = newsletters::queries::list(pool).await?;
    let recent = if all.iter().any(|n| n.topics.is_empty()) {
        recent_topics(pool).await?
    } else {
        Vec::new()
    };
    Ok(all
        .into_iter()
        .map(|newsletter| Offer {
            topics: if newsletter.topics.is_empty() {
                recent.clone()
            } else {
                newsletter.topics.clone()
            },
            newsletter,
        })
        .collect())
}

/// The topics of the newest articles.
async fn recent_topics(pool: &AnyPool) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "select distinct t.topic from article_topics t
         where t.article_id in (select id from articles
                                order by published_at desc, id desc limit $1)
         order by t.topic",
    )
    .bind(RECENT_ARTICLES)
    .fetch_all(pool)
    .await
}

/// The first of `chosen` that none of `newsletters` carries (one with no topic filter carries
/// every topic).
pub fn uncovered<'t>(newsletters: &[&Newsletter], chosen: &'t [String]) -> Option<&'t String> {
    chosen.iter().find(|topic| {
        !newsletters
            .iter()
            .any(|n| n.topics.is_empty() || n.topics.contains(topic))
    })
}

/// One checkbox or radio button: what it posts, what it says, a line under it.
#[derive(Debug, Clone)]
pub struct Choosable {
    pub value: String,
    pub label: String,
    pub hint: String,
    pub checked: bool,
}

/// Topic checkboxes: `offered` and any the reader chose that are no longer offered (so that
/// they can untick them), ticked as `chosen` says.
pub fn topic_boxes(offered: &[String], chosen: &[String]) -> Vec<Choosable> {
    let mut all: Vec<&String> = offered.iter().chain(chosen).collect();
    all.sort_unstable();
    all.dedup();
    all.into_iter()
        .map(|topic| Choosable {
            value: topic.clone(),
            label: topics::label(topic),
            hint: String::new(),
            checked: chosen.contains(topic),
        })
        .collect()
}

/// When a newsletter comes on a cadence, for a reader choosing among one newsletter's.
pub fn describe(cadence: Cadence, newsletter: &Newsletter, words: &Words) -> String {
    let zone = newsletter.timezone.as_str();
    let time = format!("{:02}:00", newsletter.send_hour);
    match cadence {
        Cadence::Scheduled if newsletter.schedule.is_empty() => words.t("cadence-whenever"),
        Cadence::Scheduled => words.t("cadence-scheduled"),
        Cadence::Instant => {
            let minutes = (newsletter.instant_min_interval.as_secs() / 60).max(1) as i64;
            let (count, unit) = if minutes % 60 == 0 {
                (minutes / 60, "hour")
            } else {
                (minutes, "minute")
            };
            words.format(
                "cadence-instant-every",
                &[("count", Arg::Number(count)), ("unit", Arg::Text(unit))],
            )
        }
        Cadence::Daily => words.t2("cadence-daily-at", "time", &time, "zone", zone),
        Cadence::Weekly => words.format(
            "cadence-weekly-at",
            &[
                ("day", Arg::Number(newsletter.weekly_day)),
                ("time", Arg::Text(&time)),
                ("zone", Arg::Text(zone)),
            ],
        ),
    }
}

/// A cadence in general, for a reader choosing for several newsletters at once.
pub fn short_label(cadence: Cadence, words: &Words) -> String {
    words.t(match cadence {
        Cadence::Scheduled => "cadence-short-scheduled",
        Cadence::Instant => "cadence-short-instant",
        Cadence::Daily => "cadence-short-daily",
        Cadence::Weekly => "cadence-short-weekly",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_read_as_words() {
        let words = crate::i18n::Catalog::load(None)
            .unwrap()
            .words(crate::i18n::Locale::ENGLISH);
        let mut newsletter = Newsletter {
            id: 1,
            slug: "news".into(),
            name: "News".into(),
            description: String::new(),
            schedule: String::new(),
            timezone: "UTC".into(),
            max_articles: 10,
            subject: String::new(),
            topics: Vec::new(),
            from_name: None,
            cadences: Vec::new(),
            send_hour: 7,
            weekly_day: 1,
            instant_min_interval: std::time::Duration::from_secs(3600),
            welcome_subject: String::new(),
            welcome_body: String::new(),
            is_default: true,
            list_id: "news".into(),
        };
        let mut every = |secs| {
            newsletter.instant_min_interval = std::time::Duration::from_secs(secs);
            describe(Cadence::Instant, &newsletter, &words)
        };
        assert!(every(3600).ends_with("at most one email every hour"));
        assert!(every(1800).ends_with("every 30 minutes"));
        assert!(every(7200).ends_with("every 2 hours"));
        assert!(every(60).ends_with("every minute"));
    }

    #[test]
    fn topics_chosen_but_no_longer_offered_stay_to_untick() {
        let boxes = topic_boxes(
            &["politics".to_string(), "sport".to_string()],
            &["arts".to_string(), "sport".to_string()],
        );
        let listed: Vec<(&str, bool)> = boxes
            .iter()
            .map(|b| (b.value.as_str(), b.checked))
            .collect();
        assert_eq!(
            listed,
            [("arts", true), ("politics", false), ("sport", true)]
        );
        assert_eq!(boxes[1].label, "Politics");
    }
}
