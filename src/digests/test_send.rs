//! Test sends: the next digest, as readers would get it, to a few addresses an editor gives
//! (their own by default), through the send engine like any email. The subject says it is a
//! test; it is counted in no digest's figures; its unsubscribe link is the signed probe link
//! that names no reader, so pressing it unsubscribes nobody.

use futures_util::future::BoxFuture;
use lettre::message::Mailbox;

use super::{Composition, DigestContent, Personal};
use crate::articles::queries as articles;
use crate::db;
use crate::mail::{ListHeaders, OutgoingEmail};
use crate::newsletters::{self, Newsletter};
use crate::outbox;
use crate::queue::{Job, NotMade, Rendered, Renderer};
use crate::state::AppState;
use crate::subscribers::EmailAddress;
use crate::unsubscribe;

/// Addresses one test may go to: enough for an editor and a couple of colleagues.
pub const MAX_ADDRESSES: usize = 5;

#[derive(Debug, thiserror::Error)]
pub enum TestSendError {
    #[error("give one to {MAX_ADDRESSES} email addresses")]
    Addresses,
    #[error("{0:?} is not an email address: {1}")]
    BadAddress(String, &'static str),
    #[error("{}", super::NOTHING_NEW)]
    NothingNew,
    #[error("no article with id {0}")]
    UnknownArticle(i64),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl From<TestSendError> for crate::error::AppError {
    fn from(err: TestSendError) -> Self {
        use crate::error::AppError;
        match err {
            TestSendError::Addresses | TestSendError::BadAddress(..) => {
                AppError::field("to", err.to_string())
            }
            TestSendError::UnknownArticle(_) => AppError::field("article_ids", err.to_string()),
            TestSendError::NothingNew => AppError::Conflict(err.to_string()),
            TestSendError::Database(err) => err.into(),
        }
    }
}

/// Parses a list of addresses as an editor types it (commas, spaces or lines between).
pub fn addresses(text: &str) -> Result<Vec<String>, TestSendError> {
    let found: Vec<&str> = text
        .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|a| !a.is_empty())
        .collect();
    if found.is_empty() || found.len() > MAX_ADDRESSES {
        return Err(TestSendError::Addresses);
    }
    found
        .into_iter()
        .map(|a| {
            EmailAddress::parse(a, true)
                .map(|parsed| parsed.ascii().to_string())
                .map_err(|why| TestSendError::BadAddress(a.to_string(), why))
        })
        .collect()
}

/// Queues a test of `article_ids` (the next digest's when empty) to each address.
pub async fn queue(
    state: &AppState,
    newsletter: &Newsletter,
    to: &[String],
    article_ids: &[i64],
    requested_by: &str,
) -> Result<(), TestSendError> {
    if to.is_empty() || to.len() > MAX_ADDRESSES {
        return Err(TestSendError::Addresses);
    }
    // The next digest as composed (the draft, or the newest articles), or the articles given.
    let (ids, composition) = if article_ids.is_empty() {
        let next = super::next(state, newsletter).await?;
        (next.article_ids(), next.composition)
    } else {
        for id in article_ids {
            if articles::find(&state.db.pool, *id).await?.is_none() {
                return Err(TestSendError::UnknownArticle(*id));
            }
        }
        (article_ids.to_vec(), Composition::default())
    };
    if ids.is_empty() {
        return Err(TestSendError::NothingNew);
    }
    let mut tx = state.db.begin().await?;
    outbox::enqueue_tests(
        &mut tx,
        newsletter.id,
        to,
        &ids,
        &composition,
        requested_by,
        db::now(),
    )
    .await?;
    tx.commit().await?;
    state.outbox_wake.wake();
    tracing::info!(
        newsletter = newsletter.slug,
        addresses = to.len(),
        requested_by,
        "test digest queued"
    );
    Ok(())
}

async fn prepare(state: &AppState, job: &Job) -> Result<Option<OutgoingEmail>, NotMade> {
    let Some(test) = outbox::find_test(&state.db.pool, job.id).await? else {
        return Ok(None);
    };
    let mut list = Vec::with_capacity(test.article_ids.len());
    for id in &test.article_ids {
        // An article removed since: the test shows the rest.
        if let Some(article) = articles::find(&state.db.pool, *id).await? {
            list.push(article);
        }
    }
    if list.is_empty() {
        return Ok(None);
    }
    // A test queued before there were several newsletters is of the default one; a test of a
    // newsletter deleted since was deleted with it.
    let newsletter = match test.newsletter_id {
        Some(id) => match newsletters::queries::find(&state.db.pool, id).await? {
            Some(newsletter) => newsletter,
            None => return Ok(None),
        },
        None => newsletters::queries::find_default(&state.db.pool).await?,
    };
    // The addresses are an editor's, not readers': the publication's default locale.
    let content = DigestContent::render(
        &state.settings,
        state.branding.current(),
        state.words(state.settings.newsletter.default_locale),
        &newsletter,
        &list,
        &test.composition,
        None,
    )
    .map_err(|e| NotMade::Impossible(format!("rendering the test: {e:#}")))?;
    let probe = unsubscribe::probe_url(state);
    let (text, html) = content.personalise(&Personal {
        name: None,
        unsubscribe_url: &probe,
        policy_notice: None,
    })?;
    let to: Mailbox = test
        .address
        .parse()
        .map_err(|e| NotMade::Impossible(format!("test address {:?}: {e}", test.address)))?;
    Ok(Some(OutgoingEmail {
        to,
        subject: format!("[Test] {}", content.subject),
        text,
        html,
        message_id: None,
        return_path: None,
        list: Some(ListHeaders {
            list_id: newsletter.list_id(state.mailer.domain()),
            unsubscribe_url: probe,
            unsubscribe_mailto: None,
        }),
        attachment: None,
        from_name: newsletter.from_name.clone(),
    }))
}

/// Test emails, for the send engine.
pub struct TestEmails;

impl Renderer for TestEmails {
    fn render<'a>(&'a self, state: &'a AppState, jobs: &'a [Job]) -> BoxFuture<'a, Vec<Rendered>> {
        Box::pin(async move {
            let mut rendered = Vec::with_capacity(jobs.len());
            for job in jobs {
                rendered.push(prepare(state, job).await.into());
            }
            rendered
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_read_as_typed_and_checked() {
        assert_eq!(
            addresses("ada@example.com, bob@example.com\ncy@example.com").unwrap(),
            ["ada@example.com", "bob@example.com", "cy@example.com"]
        );
        assert!(matches!(addresses(""), Err(TestSendError::Addresses)));
        assert!(matches!(
            addresses("a@x.example b@x.example c@x.example d@x.example e@x.example f@x.example"),
            Err(TestSendError::Addresses)
        ));
        assert!(
            matches!(addresses("ada@example.com nope"), Err(TestSendError::BadAddress(a, _)) if a == "nope")
        );
    }
}
