//! What a reader can choose, as the signup form, the embed snippet and the reader's own page
//! show it: the newsletters, the topics each one covers (its topic filter, or for a
//! newsletter that takes every article, the topics of the newest articles), and the cadences
//! each one offers, in words a reader understands.

use std::time::Duration;

use sqlx::AnyPool;

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
pub fn describe(cadence: Cadence, newsletter: &Newsletter) -> String {
    let zone = &newsletter.timezone;
    let hour = newsletter.send_hour;
    match cadence {
        Cadence::Scheduled if newsletter.schedule.is_empty() => {
            "Whenever the editors send it".to_string()
        }
        Cadence::Scheduled => "On its usual schedule".to_string(),
        Cadence::Instant => format!(
            "As articles are published, at most one email {}",
            every(newsletter.instant_min_interval)
        ),
        Cadence::Daily => format!("Once a day, at {hour:02}:00 ({zone})"),
        Cadence::Weekly => format!(
            "Once a week, on {}s at {hour:02}:00 ({zone})",
            weekday(newsletter.weekly_day)
        ),
    }
}

/// A cadence in general, for a reader choosing for several newsletters at once.
pub fn short_label(cadence: Cadence) -> &'static str {
    match cadence {
        Cadence::Scheduled => "On each newsletter's usual schedule",
        Cadence::Instant => "As articles are published",
        Cadence::Daily => "Once a day",
        Cadence::Weekly => "Once a week",
    }
}

/// "every hour", "every 30 minutes", "every 2 hours".
fn every(interval: Duration) -> String {
    match interval.as_secs() / 60 {
        0 | 1 => "every minute".to_string(),
        60 => "every hour".to_string(),
        m if m % 60 == 0 => format!("every {} hours", m / 60),
        m => format!("every {m} minutes"),
    }
}

fn weekday(day: i64) -> &'static str {
    match day {
        0 => "Sunday",
        1 => "Monday",
        2 => "Tuesday",
        3 => "Wednesday",
        4 => "Thursday",
        5 => "Friday",
        _ => "Saturday",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_read_as_words() {
        assert_eq!(every(Duration::from_secs(3600)), "every hour");
        assert_eq!(every(Duration::from_secs(1800)), "every 30 minutes");
        assert_eq!(every(Duration::from_secs(7200)), "every 2 hours");
        assert_eq!(every(Duration::from_secs(60)), "every minute");
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
