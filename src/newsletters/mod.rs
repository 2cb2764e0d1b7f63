//! Newsletters: a publication's lists (a daily briefing, a weekend long-read, one per desk).
//! Each has its own schedule and time zone, subject, optional topic filter, the cadences its
//! readers may choose, and a welcome email. The one that existed before there were several is
//! the default: signups that name none join it, and until an editor changes it, it follows
//! the config's `[newsletter]` and `[digest]` keys at every start.
//!
//! Editors manage them in the API (`/api/v1/newsletters`) and on their pages
//! (`/editor/newsletters`).
//!
//! Which readers are on which newsletter, on what cadence and with which topics, is the
//! readers' side (`subscribers::subscriptions`).

mod directory;
mod editor_pages;
pub mod queries;
mod routes;

use std::time::Duration;

use axum::Router;
use axum::routing::get;
use serde::{Deserialize, Serialize};

pub use directory::Directory;

use crate::error::{AppError, FieldErrors};
use crate::i18n::Arg;
use crate::scheduler::Schedule;
use crate::state::AppState;
use crate::topics;

pub const MAX_ARTICLES: i64 = 50;
const MAX_NAME: usize = 100;
const MAX_DESCRIPTION: usize = 500;
const MAX_SUBJECT: usize = 200;
const MAX_WELCOME: usize = 10_000;
const MIN_INSTANT_INTERVAL: Duration = Duration::from_secs(60);

/// How often a reader hears from a newsletter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Cadence {
    /// On the newsletter's own schedule (and when an editor sends).
    Scheduled,
    /// Each new article, at most one email per `instant_min_interval`.
    Instant,
    /// Once a day at `send_hour`.
    Daily,
    /// Once a week on `weekly_day` at `send_hour`.
    Weekly,
}

impl Cadence {
    pub const ALL: [Cadence; 4] = [
        Cadence::Scheduled,
        Cadence::Instant,
        Cadence::Daily,
        Cadence::Weekly,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Cadence::Scheduled => "scheduled",
            Cadence::Instant => "instant",
            Cadence::Daily => "daily",
            Cadence::Weekly => "weekly",
        }
    }

    pub fn parse(value: &str) -> Option<Cadence> {
        Cadence::ALL.into_iter().find(|c| c.as_str() == value)
    }

    /// The cron expression of a daily or weekly cadence.
    fn cron(self, newsletter: &Newsletter) -> Option<String> {
        let hour = newsletter.send_hour;
        match self {
            Cadence::Daily => Some(format!("0 {hour} * * *")),
            Cadence::Weekly => Some(format!("0 {hour} * * {}", newsletter.weekly_day)),
            Cadence::Scheduled | Cadence::Instant => None,
        }
    }
}

/// A newsletter as the API shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Newsletter {
    #[serde(skip)]
    pub id: i64,
    /// Names it in signups (`newsletters: ["daily"]`) and in URLs.
    #[schema(example = "daily")]
    pub slug: String,
    pub name: String,
    pub description: String,
    /// 5-field cron expression in `timezone` for readers on the newsletter's own schedule;
    /// empty: none (editors send by hand, or readers choose a cadence).
    #[schema(example = "0 7 * * *")]
    pub schedule: String,
    #[schema(example = "Europe/Berlin")]
    pub timezone: String,
    /// At most this many articles in one email.
    pub max_articles: i64,
    /// `{newsletter}`, `{first_headline}` and `{count}` are filled in.
    pub subject: String,
    /// Only articles with one of these topics; empty: every article.
    pub topics: Vec<String>,
    /// The name in From (the address stays `mail.from`'s); absent: `mail.from`'s name.
    pub from_name: Option<String>,
    /// What readers may choose besides the schedule.
    pub cadences: Vec<Cadence>,
    /// Hour (0-23, in `timezone`) of daily and weekly emails.
    pub send_hour: i64,
    /// Day of weekly emails, 0 = Sunday to 6 = Saturday.
    pub weekly_day: i64,
    /// Readers on `instant` get at most one email this often, e.g. "1h".
    #[serde(with = "humantime_serde")]
    #[schema(value_type = String, example = "1h")]
    pub instant_min_interval: Duration,
    pub welcome_subject: String,
    /// Markdown, sent once to each reader who confirms; empty: no welcome email.
    pub welcome_body: String,
    /// The newsletter signups join when they name none; it cannot be deleted.
    pub is_default: bool,
    #[serde(skip)]
    pub list_id: String,
}

impl Newsletter {
    /// `List-Id`: the same for every email of this newsletter, different from the others'.
    pub fn list_id(&self, domain: &str) -> String {
        format!("<{}.{domain}>", self.list_id)
    }

    pub fn offers(&self, cadence: Cadence) -> bool {
        cadence == Cadence::Scheduled || self.cadences.contains(&cadence)
    }

    /// When readers on `cadence` get their emails; `None` for `instant` and for a newsletter
    /// with no schedule.
    pub fn schedule_of(&self, cadence: Cadence) -> Option<Schedule> {
        let expression = match cadence {
            Cadence::Scheduled => self.schedule.clone(),
            other => other.cron(self)?,
        };
        Schedule::parse(&expression, &self.timezone).ok().flatten()
    }

    pub fn zone(&self) -> chrono_tz::Tz {
        self.timezone.parse().unwrap_or(chrono_tz::UTC)
    }

    /// Whether an article with these topics is for this newsletter.
    pub fn carries(&self, article_topics: &[String]) -> bool {
        self.topics.is_empty() || article_topics.iter().any(|t| self.topics.contains(t))
    }
}

/// A new newsletter, or changes to one: absent fields stay as they are (or take their
/// defaults when creating).
#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"slug": "weekend", "name": "The Weekend Read", "schedule": "0 8 * * 6", "topics": ["long-read"]}))]
pub struct NewsletterInput {
    /// Lowercase letters, digits and hyphens; required when creating.
    pub slug: Option<String>,
    /// Required when creating.
    pub name: Option<String>,
    pub description: Option<String>,
    pub schedule: Option<String>,
    pub timezone: Option<String>,
    pub max_articles: Option<i64>,
    pub subject: Option<String>,
    pub topics: Option<Vec<String>>,
    /// An empty string removes it.
    pub from_name: Option<String>,
    pub cadences: Option<Vec<Cadence>>,
    pub send_hour: Option<i64>,
    pub weekly_day: Option<i64>,
    /// e.g. "30m", "1h"; at least one minute.
    pub instant_min_interval: Option<String>,
    pub welcome_subject: Option<String>,
    pub welcome_body: Option<String>,
}

fn one_line(value: &str, max: usize) -> bool {
    value.chars().count() <= max && !value.chars().any(char::is_control)
}

/// `true` when `slug` names a newsletter well (also used for the default's config key).
pub fn is_slug(slug: &str) -> bool {
    (1..=40).contains(&slug.len())
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !slug.starts_with('-')
}

impl NewsletterInput {
    /// `base` with these changes, checked; every refused field is named.
    pub fn apply(self, mut base: Newsletter) -> Result<Newsletter, AppError> {
        let mut errors = FieldErrors::new();
        let mut refuse = |field: &str, message: String| {
            errors.entry(field.to_string()).or_insert(message);
        };
        if let Some(slug) = self.slug {
            let slug = slug.trim().to_string();
            if is_slug(&slug) {
                base.slug = slug;
            } else {
                refuse(
                    "slug",
                    "use 1 to 40 lowercase letters, digits and hyphens, e.g. \"weekend\"".into(),
                );
            }
        }
        if let Some(name) = self.name {
            let name = name.trim().to_string();
            if name.is_empty() || !one_line(&name, MAX_NAME) {
                refuse("name", format!("one line of 1 to {MAX_NAME} characters"));
            } else {
                base.name = name;
            }
        }
        if let Some(description) = self.description {
            if description.chars().count() > MAX_DESCRIPTION {
                refuse(
                    "description",
                    format!("at most {MAX_DESCRIPTION} characters"),
                );
            } else {
                base.description = description.trim().to_string();
            }
        }
        if let Some(zone) = self.timezone {
            base.timezone = zone.trim().to_string();
        }
        if let Some(schedule) = self.schedule {
            base.schedule = schedule.trim().to_string();
        }
        if base.timezone.parse::<chrono_tz::Tz>().is_err() {
            refuse(
                "timezone",
                format!(
                    "{:?} is not an IANA time zone, e.g. \"Europe/Berlin\"",
                    base.timezone
                ),
            );
        } else if let Err(err) = Schedule::parse(&base.schedule, &base.timezone) {
            refuse("schedule", err);
        }
        if let Some(max) = self.max_articles {
            if (1..=MAX_ARTICLES).contains(&max) {
                base.max_articles = max;
            } else {
                refuse("max_articles", format!("a number from 1 to {MAX_ARTICLES}"));
            }
        }
        if let Some(subject) = self.subject {
            let subject = subject.trim().to_string();
            if subject.is_empty() || !one_line(&subject, MAX_SUBJECT) {
                refuse(
                    "subject",
                    format!("one line of 1 to {MAX_SUBJECT} characters"),
                );
            } else {
                base.subject = subject;
            }
        }
        if let Some(list) = self.topics {
            match topics::parse(&list) {
                Ok(list) => base.topics = list,
                Err(err) => refuse("topics", err.to_string()),
            }
        }
        if let Some(from_name) = self.from_name {
            let from_name = from_name.trim().to_string();
            if !one_line(&from_name, MAX_NAME) || from_name.contains(['<', '>', '"']) {
                refuse(
                    "from_name",
                    format!("one line of at most {MAX_NAME} characters, without < > \""),
                );
            } else {
                base.from_name = Some(from_name).filter(|n| !n.is_empty());
            }
        }
        if let Some(mut cadences) = self.cadences {
            cadences.retain(|c| *c != Cadence::Scheduled);
            cadences.sort_by_key(|c| c.as_str());
            cadences.dedup();
            base.cadences = cadences;
        }
        if let Some(hour) = self.send_hour {
            if (0..=23).contains(&hour) {
                base.send_hour = hour;
            } else {
                refuse("send_hour", "an hour from 0 to 23".into());
            }
        }
        if let Some(day) = self.weekly_day {
            if (0..=6).contains(&day) {
                base.weekly_day = day;
            } else {
                refuse("weekly_day", "a day from 0 (Sunday) to 6 (Saturday)".into());
            }
        }
        if let Some(interval) = self.instant_min_interval {
            match humantime::parse_duration(interval.trim()) {
                Ok(interval) if interval >= MIN_INSTANT_INTERVAL => {
                    base.instant_min_interval = interval;
                }
                _ => refuse(
                    "instant_min_interval",
                    "a duration of at least a minute, e.g. \"30m\" or \"1h\"".into(),
                ),
            }
        }
        if let Some(subject) = self.welcome_subject {
            if !one_line(subject.trim(), MAX_SUBJECT) {
                refuse(
                    "welcome_subject",
                    format!("one line of at most {MAX_SUBJECT} characters"),
                );
            } else {
                base.welcome_subject = subject.trim().to_string();
            }
        }
        if let Some(body) = self.welcome_body {
            if body.chars().count() > MAX_WELCOME {
                refuse("welcome_body", format!("at most {MAX_WELCOME} characters"));
            } else {
                base.welcome_body = body.trim().to_string();
            }
        }
        if errors.is_empty() {
            Ok(base)
        } else {
            Err(AppError::invalid(errors))
        }
    }
}

/// A newsletter before its first save: what `NewsletterInput` fills in.
pub fn blank(settings: &crate::config::Settings) -> Newsletter {
    Newsletter {
        id: 0,
        slug: String::new(),
        name: String::new(),
        description: String::new(),
        schedule: String::new(),
        timezone: settings.digest.timezone.clone(),
        max_articles: i64::from(settings.digest.max_articles),
        subject: "{newsletter}: {first_headline}".into(),
        topics: Vec::new(),
        from_name: None,
        cadences: Vec::new(),
        send_hour: 7,
        weekly_day: 1,
        instant_min_interval: Duration::from_secs(3600),
        welcome_subject: String::new(),
        welcome_body: String::new(),
        is_default: false,
        list_id: String::new(),
    }
}

/// Why a newsletter could not be changed.
#[derive(Debug, thiserror::Error)]
pub enum NewsletterError {
    #[error("not found")]
    NotFound,
    #[error("another newsletter already has the slug {0:?}")]
    SlugTaken(String),
    #[error("the default newsletter cannot be deleted")]
    DefaultStays,
    #[error("this newsletter has digests; they stay in the archive and in readers' records")]
    HasDigests,
    #[error(transparent)]
    Invalid(#[from] AppError),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl From<NewsletterError> for AppError {
    fn from(err: NewsletterError) -> AppError {
        match err {
            NewsletterError::NotFound => AppError::NotFound,
            NewsletterError::SlugTaken(_) => AppError::field("slug", err.to_string()),
            NewsletterError::DefaultStays | NewsletterError::HasDigests => {
                AppError::Conflict(err.to_string())
            }
            NewsletterError::Invalid(err) => err,
            NewsletterError::Database(err) => err.into(),
        }
    }
}

/// The newsletters a signup joins.
#[derive(Debug, Clone, Default)]
pub struct Joining {
    pub ids: Vec<i64>,
    /// Their slugs, space-separated, for the consent record.
    pub slugs: String,
}

/// The newsletters a signup named, checked: none named is the default newsletter; an unknown
/// slug, or a cadence one of them does not offer, is refused under its field.
pub async fn joining(
    directory: &Directory,
    pool: &sqlx::AnyPool,
    slugs: &[String],
    cadence: Option<Cadence>,
    words: &crate::i18n::Words,
) -> Result<Joining, AppError> {
    let mut all = directory.all(pool).await?;
    if slugs
        .iter()
        .any(|slug| !all.iter().any(|n| n.slug == *slug))
    {
        all = directory.reload(pool).await?;
    }
    let chosen: Vec<&Newsletter> = if slugs.is_empty() {
        all.iter().filter(|n| n.is_default).collect()
    } else {
        let mut chosen = Vec::with_capacity(slugs.len());
        for slug in slugs {
            match all.iter().find(|n| n.slug == *slug) {
                Some(newsletter) => chosen.push(newsletter),
                None => {
                    return Err(AppError::field(
                        "newsletters",
                        words.t1("error-newsletter-unknown", "slug", slug),
                    ));
                }
            }
        }
        chosen
    };
    if let Some(cadence) = cadence
        && let Some(refusing) = chosen.iter().find(|n| !n.offers(cadence))
    {
        let offered = Cadence::ALL
            .into_iter()
            .filter(|c| refusing.offers(*c))
            .map(|c| format!("{:?}", c.as_str()))
            .collect::<Vec<_>>();
        let offered: Vec<&str> = offered.iter().map(String::as_str).collect();
        let message = words.format(
            "error-cadence-not-offered",
            &[
                ("newsletter", Arg::Text(&refusing.name)),
                ("cadence", Arg::Text(cadence.as_str())),
                ("offered", Arg::Text(&words.list(&offered))),
            ],
        );
        return Err(AppError::field("cadence", message));
    }
    Ok(Joining {
        ids: chosen.iter().map(|n| n.id).collect(),
        slugs: chosen
            .iter()
            .map(|n| n.slug.as_str())
            .collect::<Vec<_>>()
            .join(" "),
    })
}

/// The routes below, described for the API's OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    routes::list,
    routes::create,
    routes::show,
    routes::update,
    routes::delete
))]
pub struct ApiDoc;

/// The editors' pages over newsletters.
pub fn pages_router() -> Router<AppState> {
    Router::new()
        .route(
            "/editor/newsletters",
            get(editor_pages::newsletters).post(editor_pages::add_newsletter),
        )
        .route(
            "/editor/newsletters/{slug}",
            get(editor_pages::edit_newsletter).post(editor_pages::save_newsletter),
        )
        .route(
            "/editor/newsletters/{slug}/delete",
            get(editor_pages::confirm_delete).post(editor_pages::delete_newsletter),
        )
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/newsletters",
            get(routes::list).post(routes::create),
        )
        .route(
            "/api/v1/newsletters/{slug}",
            get(routes::show)
                .patch(routes::update)
                .delete(routes::delete),
        )
}
