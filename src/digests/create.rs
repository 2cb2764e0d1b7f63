//! Making digests: a newsletter's readers on one cadence, each getting the newest articles
//! they chose (the newsletter's topic filter, then their own topics) that they have not had
//! before, from any newsletter or cadence. Readers whose choice comes to the same articles
//! and who read the same locale share one digest, rendered once in that locale; the usual
//! case (nobody chose topics, nobody had any of these articles) is one digest per locale,
//! each snapshotted in one statement (one digest for everyone, unfiltered, when all read the
//! same locale). A reader with nothing new is skipped, and counted.
//!
//! The digests of one send are one edition (`edition_id`: the first, largest one): the
//! archive shows it once.
//!
//! "Had before" is read from the delivery ledger (a reader's deliveries joined to each
//! digest's articles), so remembering it costs nothing beyond the one delivery row per reader
//! and digest that progress is counted from anyway.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::draft::{self, MAX_ARTICLES};
use super::{Composition, CreateDigestError, queries, render};
use crate::articles::{self, Article};
use sqlx::AnyConnection;

use crate::db::{self, Millis, Tx};
use crate::i18n::Locale;
use crate::newsletters::{Cadence, Newsletter};
use crate::state::AppState;
use crate::subscribers::subscriptions;

/// Whom a digest is for: a newsletter's readers on one cadence.
#[derive(Debug, Clone)]
pub struct Audience {
    pub newsletter: Newsletter,
    pub cadence: Cadence,
}

/// The digests one send made: the largest group's first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Created {
    pub ids: Vec<i64>,
    pub recipients: u64,
    /// Readers whose choice had nothing new this time.
    pub skipped: u64,
}

impl Created {
    pub fn id(&self) -> i64 {
        self.ids[0]
    }
}

/// How far back daily, weekly and instant emails look for articles: a little more than
/// their period, so that one sent late still finds what came since the last.
fn window(cadence: Cadence) -> Option<Millis> {
    const DAY: Millis = 24 * 3600 * 1000;
    match cadence {
        Cadence::Scheduled => None,
        Cadence::Instant | Cadence::Daily => Some(2 * DAY),
        Cadence::Weekly => Some(8 * DAY),
    }
}

/// What `create_in` works from: the candidate articles in order, and how many each reader
/// may get.
struct Candidates {
    articles: Vec<Article>,
    composition: Composition,
    per_reader: usize,
    /// They are the newsletter's draft, which the digest made of them ends.
    from_draft: bool,
}

async fn candidates(
    conn: &mut AnyConnection,
    audience: &Audience,
    article_ids: Option<&[i64]>,
    composition: Composition,
    now: Millis,
) -> Result<Candidates, CreateDigestError> {
    let newsletter = &audience.newsletter;
    let max = usize::try_from(newsletter.max_articles).unwrap_or(1);
    match article_ids {
        Some([]) => Err(CreateDigestError::NoArticlesGiven),
        Some(ids) => {
            // An id listed twice is one article (a digest holds each article once).
            let mut ids = ids.to_vec();
            ids.sort_unstable();
            ids.dedup();
            if ids.len() > MAX_ARTICLES {
                return Err(CreateDigestError::TooManyArticles);
            }
            let found = articles::queries::list_by_ids(conn, &ids).await?;
            let missing: Vec<String> = ids
                .iter()
                .filter(|id| !found.iter().any(|a| a.id == **id))
                .map(i64::to_string)
                .collect();
            if !missing.is_empty() {
                return Err(CreateDigestError::UnknownArticles(missing.join(", ")));
            }
            Ok(Candidates {
                per_reader: found.len(),
                articles: found,
                composition,
                from_draft: false,
            })
        }
        None if audience.cadence == Cadence::Scheduled => {
            if let Some(draft) = draft::find(conn, newsletter.id).await? {
                if draft.article_ids.is_empty() {
                    return Err(CreateDigestError::EmptyDraft);
                }
                let found = articles::queries::list_in_order(conn, &draft.article_ids).await?;
                return Ok(Candidates {
                    per_reader: found.len(),
                    articles: found,
                    composition: composition.or(draft.composition),
                    from_draft: true,
                });
            }
            Ok(Candidates {
                articles: articles::queries::list_unsent(
                    conn,
                    newsletter,
                    Cadence::Scheduled,
                    None,
                    MAX_ARTICLES as i64,
                )
                .await?,
                composition,
                per_reader: max,
                from_draft: false,
            })
        }
        None => Ok(Candidates {
            articles: articles::queries::list_unsent(
                conn,
                newsletter,
                audience.cadence,
                window(audience.cadence).map(|w| now - w),
                MAX_ARTICLES as i64,
            )
            .await?,
            composition,
            per_reader: max,
            from_draft: false,
        }),
    }
}

/// Creates the digests of the given articles, or else of the audience's next articles (for
/// the newsletter's own schedule: its draft, which it ends, or the newest articles in none of
/// its digests), with one pending delivery per reader who gets something; all in the caller's
/// transaction (the scheduler takes its slot in the same one). `composition`'s fields win
/// over the draft's. The caller commits, then wakes the send engine.
pub async fn create_in(
    tx: &mut Tx<'_>,
    state: &AppState,
    audience: &Audience,
    article_ids: Option<&[i64]>,
    composition: Composition,
    created_by: &str,
) -> Result<Created, CreateDigestError> {
    let now = db::now();
    let started = std::time::Instant::now();
    queries::lock_creation(tx, state.db.backend).await?;
    let Candidates {
        articles,
        composition,
        per_reader,
        from_draft,
    } = candidates(tx, audience, article_ids, composition, now).await?;
    if from_draft {
        draft::discard(tx, audience.newsletter.id).await?;
    }
    if articles.is_empty() {
        return Err(CreateDigestError::NothingNew);
    }
    let ids: Vec<i64> = articles.iter().map(|a| a.id).collect();
    let composition = composition.checked(&ids)?;
    let article_topics: Vec<&[String]> = articles.iter().map(|a| a.topics.as_slice()).collect();
    let history = queries::had_before(tx, &ids).await?;
    let newsletter = &audience.newsletter;
    let choosy = subscriptions::count_choosy(tx, newsletter.id, audience.cadence).await?;
    let everyone = choose(&article_topics, &[], 0, per_reader);

    let (groups, skipped) = if history.is_empty() && choosy == 0 {
        let locales =
            subscriptions::count_recipient_locales(tx, newsletter.id, audience.cadence).await?;
        (everyone_by_locale(everyone, &locales), 0)
    } else {
        let recipients = subscriptions::recipients(tx, newsletter.id, audience.cadence).await?;
        group(&article_topics, &recipients, &history, per_reader)
    };
    let groups = match groups.is_empty() {
        // No reader on this cadence at all: the digest is made all the same (its archive
        // page, its place in the list), for nobody.
        true if skipped == 0 => vec![Group {
            mask: everyone,
            locale: state.settings.newsletter.default_locale,
            readers: Readers::Listed(Vec::new()),
            size: 0,
        }],
        true => return Err(CreateDigestError::EveryoneHadThem(skipped)),
        false => groups,
    };
    let locales = groups
        .iter()
        .map(|g| g.locale)
        .collect::<BTreeSet<_>>()
        .len();

    let mut created = Created {
        ids: Vec::with_capacity(groups.len()),
        recipients: 0,
        skipped,
    };
    for group in groups {
        let (chosen, composition) = chosen(&articles, &composition, group.mask);
        let chosen_ids: Vec<i64> = chosen.iter().map(|a| a.id).collect();
        let subject = match &composition.subject {
            Some(subject) => subject.clone(),
            None => render::subject_from_template(&newsletter.subject, &newsletter.name, &chosen),
        };
        let digest = queries::NewDigest {
            audience,
            edition: created.ids.first().copied(),
            locale: group.locale,
            subject: &subject,
            composition: &composition,
            created_by,
        };
        let id = queries::insert_digest(tx, &digest, now).await?;
        queries::insert_articles(tx, id, &chosen_ids).await?;
        let recipients = match group.readers {
            Readers::All(tags) => {
                let (newsletter, cadence) = (newsletter.id, audience.cadence);
                subscriptions::snapshot_all(tx, id, newsletter, cadence, tags.as_deref(), now)
                    .await?
            }
            Readers::Listed(readers) => queries::insert_recipients(tx, id, &readers, now).await?,
        };
        queries::set_recipients(tx, id, recipients).await?;
        created.ids.push(id);
        created.recipients += recipients;
    }
    queries::refresh_statistics(tx, state.db.backend, created.recipients).await?;
    tracing::info!(
        newsletter = newsletter.slug,
        cadence = audience.cadence.as_str(),
        digests = created.ids.len(),
        locales,
        articles = ids.len(),
        recipients = created.recipients,
        skipped = created.skipped,
        created_by,
        elapsed_ms = started.elapsed().as_millis() as u64,
        "digest created"
    );
    Ok(created)
}

/// The articles of `mask` (bits in candidate order), and the composition for them.
fn chosen(
    articles: &[Article],
    composition: &Composition,
    mask: u64,
) -> (Vec<Article>, Composition) {
    let chosen: Vec<Article> = articles
        .iter()
        .enumerate()
        .filter(|(i, _)| mask & (1 << i) != 0)
        .map(|(_, a)| a.clone())
        .collect();
    let mut composition = composition.clone();
    // A lead story these readers did not choose is simply not theirs.
    composition.lead_article_id = composition
        .lead_article_id
        .filter(|lead| chosen.iter().any(|a| a.id == *lead));
    (chosen, composition)
}

/// What one reader of the audience would get from its next digest (made now): the articles
/// they chose (`topics`; none: everything) that they have not had before (`subscriber_id`'s
/// deliveries; none: a new reader), and the composition for them. `None`: nothing for them.
/// Reads only; the draft stays.
pub(super) async fn for_reader(
    conn: &mut AnyConnection,
    audience: &Audience,
    topics: &[String],
    subscriber_id: Option<i64>,
) -> Result<Option<(Vec<Article>, Composition)>, CreateDigestError> {
    let Candidates {
        articles,
        composition,
        per_reader,
        ..
    } = candidates(conn, audience, None, Composition::default(), db::now()).await?;
    if articles.is_empty() {
        return Err(CreateDigestError::NothingNew);
    }
    let ids: Vec<i64> = articles.iter().map(|a| a.id).collect();
    let composition = composition.checked(&ids)?;
    let had = match subscriber_id {
        Some(reader) => queries::had_before_by(conn, reader, &ids).await?,
        None => 0,
    };
    let article_topics: Vec<&[String]> = articles.iter().map(|a| a.topics.as_slice()).collect();
    let topics: Vec<&str> = topics.iter().map(String::as_str).collect();
    match choose(&article_topics, &topics, had, per_reader) {
        0 => Ok(None),
        mask => Ok(Some(chosen(&articles, &composition, mask))),
    }
}

/// Whom one digest of a send goes to.
enum Readers {
    /// Every reader of the audience who stored one of these locale tags (`None`: every
    /// reader): snapshotted by the database in one statement.
    All(Option<Vec<String>>),
    Listed(Vec<i64>),
}

/// One digest of a send: its articles (as bits, in candidate order), the locale its readers
/// share, and who they are (`size` of them).
struct Group {
    mask: u64,
    locale: Locale,
    readers: Readers,
    size: usize,
}

/// The largest group first: the send's first digest is its edition, the one the archive
/// shows.
fn sort_groups(groups: &mut [Group]) {
    groups.sort_by_key(|g| (std::cmp::Reverse(g.size), g.mask, g.locale));
}

/// Everyone gets the same articles (`mask`): one group per locale the readers stored (as
/// counted per stored tag), each snapshotted in one statement. A tag no longer shipped
/// reads as English. When all read one locale, the statement takes everyone, unfiltered.
fn everyone_by_locale(mask: u64, stored: &[(String, i64)]) -> Vec<Group> {
    let mut by_locale: BTreeMap<Locale, (Vec<String>, i64)> = BTreeMap::new();
    for (tag, readers) in stored {
        let (tags, count) = by_locale.entry(Locale::from_stored(tag)).or_default();
        tags.push(tag.clone());
        *count += readers;
    }
    let one_locale = by_locale.len() == 1;
    let mut groups: Vec<Group> = by_locale
        .into_iter()
        .map(|(locale, (tags, readers))| Group {
            mask,
            locale,
            readers: Readers::All((!one_locale).then_some(tags)),
            size: usize::try_from(readers).unwrap_or(0),
        })
        .collect();
    sort_groups(&mut groups);
    groups
}

/// The articles (as bits, in candidate order) a reader gets: those with one of their topics
/// (any, when they chose none) that they have not had, the first `limit` of them.
fn choose(article_topics: &[&[String]], reader_topics: &[&str], had: u64, limit: usize) -> u64 {
    let mut mask = 0u64;
    let mut taken = 0;
    for (i, topics) in article_topics.iter().enumerate() {
        if taken == limit {
            break;
        }
        if had & (1 << i) != 0 {
            continue;
        }
        if !reader_topics.is_empty() && !topics.iter().any(|t| reader_topics.contains(&t.as_str()))
        {
            continue;
        }
        mask |= 1 << i;
        taken += 1;
    }
    mask
}

/// Readers by the articles they get and the locale they read, the largest group first; and
/// how many get nothing.
fn group(
    article_topics: &[&[String]],
    recipients: &[subscriptions::Recipient],
    history: &HashMap<i64, u64>,
    limit: usize,
) -> (Vec<Group>, u64) {
    let mut groups: HashMap<(u64, Locale), Vec<i64>> = HashMap::new();
    let mut skipped = 0;
    for reader in recipients {
        let topics: Vec<&str> = reader.topics.split_whitespace().collect();
        let had = history.get(&reader.subscriber_id).copied().unwrap_or(0);
        match choose(article_topics, &topics, had, limit) {
            0 => skipped += 1,
            mask => groups
                .entry((mask, reader.locale))
                .or_default()
                .push(reader.subscriber_id),
        }
    }
    let mut groups: Vec<Group> = groups
        .into_iter()
        .map(|((mask, locale), readers)| Group {
            mask,
            locale,
            size: readers.len(),
            readers: Readers::Listed(readers),
        })
        .collect();
    sort_groups(&mut groups);
    (groups, skipped)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn topics(list: &[&str]) -> Vec<String> {
        list.iter().map(|t| t.to_string()).collect()
    }

    #[test]
    fn a_reader_gets_the_newest_articles_of_their_topics_they_have_not_had() {
        let sport = topics(&["sport"]);
        let politics = topics(&["politics"]);
        let both = topics(&["politics", "sport"]);
        let articles: Vec<&[String]> = vec![&sport, &politics, &both, &sport];
        assert_eq!(choose(&articles, &[], 0, 5), 0b1111);
        assert_eq!(
            choose(&articles, &[], 0, 2),
            0b0011,
            "newest first, limit kept"
        );
        assert_eq!(choose(&articles, &["sport"], 0, 5), 0b1101);
        assert_eq!(
            choose(&articles, &["sport"], 0b0001, 5),
            0b1100,
            "never twice"
        );
        assert_eq!(choose(&articles, &["sport"], 0b1101, 5), 0, "nothing new");
        assert_eq!(choose(&articles, &["weather"], 0, 5), 0);
    }

    /// The groups as (articles, locale tag, readers listed or the tags snapshotted).
    fn shown(groups: Vec<Group>) -> Vec<(u64, &'static str, Vec<String>)> {
        groups
            .into_iter()
            .map(|g| {
                let readers = match g.readers {
                    Readers::Listed(ids) => ids.iter().map(i64::to_string).collect(),
                    Readers::All(None) => vec!["everyone".to_string()],
                    Readers::All(Some(tags)) => tags,
                };
                (g.mask, g.locale.tag(), readers)
            })
            .collect()
    }

    fn strings(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn readers_with_the_same_articles_and_locale_share_a_digest_and_the_rest_are_skipped() {
        let sport = topics(&["sport"]);
        let politics = topics(&["politics"]);
        let articles: Vec<&[String]> = vec![&sport, &politics];
        let reader = |id, topics: &str, locale: &str| subscriptions::Recipient {
            subscriber_id: id,
            topics: topics.into(),
            locale: Locale::from_stored(locale),
        };
        let recipients = [
            reader(1, "", "en"),
            reader(2, "sport", "en"),
            reader(3, "sport", "en"),
            reader(4, "", "en"),
            reader(5, "politics", "en"),
            reader(6, "weather", "en"),
            reader(7, "sport", "ar"),
            reader(8, "sport", "klingon"),
        ];
        let history = HashMap::from([(4, 0b01)]);
        let (groups, skipped) = group(&articles, &recipients, &history, 5);
        assert_eq!(
            shown(groups),
            [
                (0b01, "en", strings(&["2", "3", "8"])),
                (0b10, "en", strings(&["4", "5"])),
                (0b01, "ar", strings(&["7"])),
                (0b11, "en", strings(&["1"])),
            ]
        );
        assert_eq!(skipped, 1);
    }

    #[test]
    fn when_everyone_gets_the_same_articles_each_locale_is_one_statement() {
        let stored = |list: &[(&str, i64)]| -> Vec<(String, i64)> {
            list.iter().map(|(t, n)| (t.to_string(), *n)).collect()
        };
        assert_eq!(
            shown(everyone_by_locale(0b11, &stored(&[("de", 40)]))),
            [(0b11, "de", strings(&["everyone"]))],
            "one locale: no filter"
        );
        assert_eq!(
            shown(everyone_by_locale(
                0b11,
                &stored(&[("ar", 10), ("de", 40), ("en", 20), ("it", 30)])
            )),
            [
                (0b11, "en", strings(&["en", "it"])),
                (0b11, "de", strings(&["de"])),
                (0b11, "ar", strings(&["ar"])),
            ],
            "largest first; a tag no longer shipped reads as English"
        );
        assert!(everyone_by_locale(0b11, &[]).is_empty());
    }
}
