//! The one validation path shared by the form and the API, and the signup itself.

use serde::Deserialize;
use validator::{Validate, ValidationError};

use super::batch::{self, Job, Written};
use super::queries::{self, PendingReader};
use super::subscriptions::{self, Choice};
use super::{EmailAddress, SubscriptionStatus};
use crate::consent::{self, ClientInfo, ConsentEvent, ConsentSource, ConsentStatements, Evidence};
use crate::db::{Millis, Tx};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::i18n::{self, Locale, Words};
use crate::newsletters::{self, Cadence};
use crate::outbox::{self, OutboxKind};
use crate::state::AppState;
use crate::topics;

const MAX_NAME_CHARS: usize = 100;
const MAX_SOURCE_CHARS: u64 = 64;

/// A signup as the API receives it; the form is turned into the same shape.
#[derive(Debug, Default, Deserialize, Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "ada@example.com", "name": "Ada", "consent": true, "source": "article-footer"}))]
pub struct SignupRequest {
    /// The reader's address, kept as typed; compared case-insensitively.
    #[serde(default)]
    #[schema(required, format = Email)]
    #[validate(custom(function = "check_email"))]
    pub email: String,
    /// How to greet them: one line, under 100 characters.
    #[schema(max_length = 100)]
    #[validate(custom(function = "check_name"))]
    pub name: Option<String>,
    /// The reader ticked "I agree to the Privacy Policy and Terms of Use"; must be `true`.
    #[serde(default)]
    #[schema(required)]
    #[validate(custom(function = "check_consent"))]
    pub consent: bool,
    /// Which form or placement the signup came from (e.g. "article-footer").
    #[schema(max_length = 64)]
    #[validate(
        length(
            max = MAX_SOURCE_CHARS,
            code = "error-source-too-long",
            message = "at most 64 characters"
        ),
        custom(function = "check_source")
    )]
    pub source: Option<String>,
    /// The newsletters to join, by slug; none: the default newsletter. One confirmation
    /// email confirms them all.
    #[serde(default)]
    #[schema(example = json!(["daily"]))]
    #[validate(length(
        max = 20,
        code = "error-too-many-newsletters",
        message = "at most 20 newsletters"
    ))]
    pub newsletters: Vec<String>,
    /// Topics to get from each newsletter joined; none: everything it sends. When several
    /// newsletters are joined, one limited to some topics takes those of them it carries,
    /// and when it carries none of them, sends everything. Readers change this later on
    /// their own page.
    #[serde(default)]
    #[validate(custom(function = "check_topics"))]
    pub topics: Vec<String>,
    /// How often, where each newsletter joined offers it; absent: on its own schedule.
    #[validate(skip)]
    pub cadence: Option<Cadence>,
    /// The reader's language (`de`, `pt-BR`...): their emails and pages come in it. Absent,
    /// or a language not offered: the best of the request's `Accept-Language`, else the
    /// publication's default. `de-AT` finds `de`.
    #[schema(example = "de", max_length = 35)]
    #[validate(custom(function = "check_locale"))]
    pub locale: Option<String>,
    /// The honeypot of the embedded form, sent by its script: people leave it empty, and a
    /// signup that fills it is answered 202 like any other and ignored.
    #[serde(default)]
    #[validate(skip)]
    pub website: Option<String>,
}

// Each check's code is the id of its message in the reader's language (errors.ftl); the
// English message stays for logs.

fn check_email(email: &str) -> Result<(), ValidationError> {
    EmailAddress::check(email, false)
        .map(|_| ())
        .map_err(|problem| {
            ValidationError::new(problem.id()).with_message(problem.message().into())
        })
}

fn check_name(name: &str) -> Result<(), ValidationError> {
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(ValidationError::new("error-name-too-long")
            .with_message("please keep your name under 100 characters".into()));
    }
    check_no_control_chars(name)
}

fn check_no_control_chars(value: &str) -> Result<(), ValidationError> {
    if value.chars().any(char::is_control) {
        return Err(ValidationError::new("error-control-chars")
            .with_message("line breaks and control characters are not allowed".into()));
    }
    Ok(())
}

fn check_consent(consent: &bool) -> Result<(), ValidationError> {
    if *consent {
        Ok(())
    } else {
        Err(ValidationError::new("error-consent").with_message(
            "please tick the box to agree to the Privacy Policy and Terms of Use".into(),
        ))
    }
}

fn check_topics(list: &[String]) -> Result<(), ValidationError> {
    topics::parse(list).map(|_| ()).map_err(|problem| {
        let mut error = ValidationError::new(problem.id()).with_message(problem.to_string().into());
        problem.add_params(&mut error);
        error
    })
}

fn check_locale(locale: &str) -> Result<(), ValidationError> {
    let tag = locale.trim().replace('_', "-");
    if tag.is_empty() || (tag.len() <= 35 && tag.parse::<unic_langid::LanguageIdentifier>().is_ok())
    {
        return Ok(());
    }
    let mut error = ValidationError::new("error-locale-invalid")
        .with_message(format!("{locale:?} is not a language tag like \"de\" or \"pt-BR\"").into());
    error.add_param("locale".into(), &locale);
    Err(error)
}

fn check_source(source: &str) -> Result<(), ValidationError> {
    if source
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_.:/".contains(c))
    {
        Ok(())
    } else {
        Err(ValidationError::new("error-source-chars")
            .with_message("use letters, digits and - _ . : / only".into()))
    }
}

/// A signup that passed every rule, in domain types.
#[derive(Debug)]
pub struct NewSubscription {
    pub email: EmailAddress,
    pub name: Option<String>,
    /// The language of the page or request: the reader's from now on.
    pub locale: Locale,
    pub form: Option<String>,
    /// Slugs as typed; resolved to `joining` before the signup is written.
    pub newsletters: Vec<String>,
    pub joining: newsletters::Joining,
    pub choice: Choice,
    /// `choice` as each newsletter joined takes it (`subscriptions::topics_for`).
    pub asked: Vec<(i64, Choice)>,
}

impl SignupRequest {
    /// Bots that fill every field fill the honeypot too.
    pub fn is_bot(&self) -> bool {
        self.website
            .as_deref()
            .is_some_and(|w| !w.trim().is_empty())
    }

    /// The signup in domain types, or every problem in the reader's words.
    pub fn parse(
        self,
        case_sensitive_local_part: bool,
        words: &Words,
    ) -> Result<NewSubscription, FieldErrors> {
        self.validate()
            .map_err(|errors| i18n::field_errors(&errors, words))?;
        let email = EmailAddress::check(&self.email, case_sensitive_local_part)
            .map_err(|problem| FieldErrors::from([("email".to_string(), words.t(problem.id()))]))?;
        let name = self
            .name
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty());
        let form = self.source.filter(|s| !s.is_empty());
        let topics = topics::parse(&self.topics).unwrap_or_default();
        let mut newsletters: Vec<String> = self
            .newsletters
            .iter()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        newsletters.sort_unstable();
        newsletters.dedup();
        Ok(NewSubscription {
            email,
            name,
            locale: words.locale(),
            form,
            newsletters,
            joining: Default::default(),
            asked: Vec::new(),
            choice: Choice {
                cadence: self.cadence,
                topics: (!topics.is_empty()).then_some(topics),
            },
        })
    }
}

/// A reader renaming themselves from the link in an email, under the signup's rules.
#[derive(Debug, Default, Deserialize, Validate)]
pub struct NameChange {
    #[serde(default)]
    #[validate(custom(function = "check_name"))]
    pub name: String,
}

impl NameChange {
    /// The name to store: trimmed, and `None` when cleared.
    pub fn parse(&self, words: &Words) -> Result<Option<String>, FieldErrors> {
        self.validate()
            .map_err(|errors| i18n::field_errors(&errors, words))?;
        Ok(Some(self.name.trim().to_string()).filter(|n| !n.is_empty()))
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum SignupOutcome {
    ConfirmationQueued,
    /// Already confirmed: nothing changes and nothing is sent.
    AlreadyConfirmed,
    /// The per-address mail limit was reached: consent is recorded, no mail is queued.
    Throttled,
}

/// Creates or refreshes the pending reader, records the consent and queues the confirmation
/// email, all in one transaction (shared with the signups that arrived at the same moment:
/// see `batch`). The caller answers the same whatever the outcome.
pub async fn sign_up(
    state: &AppState,
    new: NewSubscription,
    source: ConsentSource,
    client: ClientInfo,
    words: &Words,
) -> AppResult<SignupOutcome> {
    // Checked before the signup joins the batch, so that a mistake is the asker's own 422.
    let mut new = new;
    new.joining = newsletters::joining(
        &state.newsletters,
        &state.db.pool,
        &new.newsletters,
        new.choice.cadence,
        words,
    )
    .await?;
    new.asked = per_newsletter(&state.db.pool, &new.joining, &new.choice).await?;
    let Written {
        subscriber_id,
        outcome,
    } = batch::submit(&state.signups, new, source, client).await?;
    if outcome == SignupOutcome::ConfirmationQueued {
        state.outbox_wake.wake();
    }
    state.metrics.signups.inc();
    tracing::info!(subscriber_id, outcome = ?outcome, "signup recorded");
    Ok(outcome)
}

/// The choice as each newsletter takes it: with several, the topics it carries of those
/// chosen (`subscriptions::topics_for`).
async fn per_newsletter(
    pool: &sqlx::AnyPool,
    joining: &newsletters::Joining,
    choice: &Choice,
) -> sqlx::Result<Vec<(i64, Choice)>> {
    let Some(chosen) = choice.topics.as_ref().filter(|_| joining.ids.len() > 1) else {
        return Ok(joining.ids.iter().map(|id| (*id, choice.clone())).collect());
    };
    let all = newsletters::queries::list(pool).await?;
    Ok(joining
        .ids
        .iter()
        .map(|id| {
            let topics = match all.iter().find(|n| n.id == *id) {
                Some(newsletter) => subscriptions::topics_for(newsletter, chosen),
                None => chosen.clone(),
            };
            let choice = Choice {
                cadence: choice.cadence,
                topics: Some(topics),
            };
            (*id, choice)
        })
        .collect())
}

/// A batch of signups' statements, inside the batch's transaction: a statement for each table
/// for the whole batch, not for each signup (on SQLite each statement is a hop to the
/// connection's thread while every other writer waits, and on PostgreSQL a round trip). Each
/// address at most once (`batch` splits the batch where one comes again); the answers in the
/// jobs' order.
pub(super) async fn write(
    tx: &mut Tx<'_>,
    statements: &ConsentStatements,
    daily_limit: i64,
    jobs: &[&Job],
    now: Millis,
) -> AppResult<Vec<Written>> {
    let readers: Vec<_> = jobs
        .iter()
        .map(|job| PendingReader {
            email: job.new.email.as_str(),
            email_key: job.new.email.key(),
            name: job.new.name.as_deref(),
            locale: job.new.locale,
        })
        .collect();
    let upserted = queries::upsert_pending(tx, &readers, now).await?;
    let readers = jobs
        .iter()
        .map(|job| {
            upserted.get(job.new.email.key()).copied().ok_or_else(|| {
                AppError::Unexpected(anyhow::anyhow!("a signup's reader was not written"))
            })
        })
        .collect::<AppResult<Vec<(i64, SubscriptionStatus)>>>()?;
    let asks: Vec<_> = jobs
        .iter()
        .zip(&readers)
        .flat_map(|(job, (id, _))| {
            (job.new.asked.iter()).map(move |(newsletter, choice)| (*id, *newsletter, choice))
        })
        .collect();
    let unconfirmed = subscriptions::ask(tx, &asks, now).await?;
    // A confirmed reader who asks only for what they already get: nothing to confirm. One
    // who asks for another newsletter confirms it by email like anyone (the answer is the
    // same either way, so the form still tells a stranger nothing).
    let to_confirm = |(id, status): &(i64, SubscriptionStatus)| {
        *status != SubscriptionStatus::Confirmed || unconfirmed.contains(id)
    };
    let evidence: Vec<_> = jobs
        .iter()
        .zip(&readers)
        .filter(|(_, reader)| to_confirm(reader))
        .map(|(job, (id, _))| {
            let evidence = Evidence {
                statement: statements.get(job.new.locale),
                source: job.source,
                form: job.new.form.as_deref(),
                client: &job.client,
                newsletters: Some(&job.new.joining.slugs),
            };
            (*id, evidence)
        })
        .collect();
    consent::record(tx, ConsentEvent::Granted, &evidence, now).await?;
    let ids: Vec<i64> = evidence.iter().map(|(id, _)| *id).collect();
    let queued = outbox::enqueue_each_within_daily_limit(
        tx,
        OutboxKind::Confirmation,
        &ids,
        daily_limit,
        now,
    )
    .await?;
    Ok(readers
        .into_iter()
        .map(|reader @ (subscriber_id, _)| {
            let outcome = if !to_confirm(&reader) {
                SignupOutcome::AlreadyConfirmed
            } else if queued.contains(&subscriber_id) {
                SignupOutcome::ConfirmationQueued
            } else {
                SignupOutcome::Throttled
            };
            Written {
                subscriber_id,
                outcome,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(email: &str, name: Option<&str>, consent: bool) -> SignupRequest {
        SignupRequest {
            email: email.into(),
            name: name.map(Into::into),
            consent,
            source: None,
            website: None,
            ..Default::default()
        }
    }

    fn english() -> Words {
        i18n::Catalog::load(None).unwrap().words(Locale::ENGLISH)
    }

    #[test]
    fn every_problem_is_reported_under_its_field() {
        let errors = request("nope", Some("Ada\r\nBcc: x"), false)
            .parse(false, &english())
            .unwrap_err();
        assert_eq!(
            errors.keys().collect::<Vec<_>>(),
            ["consent", "email", "name"]
        );
    }

    #[test]
    fn a_blank_name_is_no_name() {
        let new = request("ada@example.com", Some("   "), true)
            .parse(false, &english())
            .unwrap();
        assert_eq!(new.name, None);
    }
}
