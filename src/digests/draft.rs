//! The draft of the next digest: the articles an editor picked, in their order, the lead
//! story, the subject, preview text and intro note. Each newsletter has at most one draft,
//! kept in the database so that it survives restarts and is the same for every instance. The next digest made (from
//! the editors' page, the API, the schedule or a send-later) is made from it and ends it; with
//! no draft, the next digest is the newest articles in no digest yet.

use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, Row};

use crate::articles::Article;
use crate::articles::queries as articles;
use crate::db::{self, Millis, Tx};
use crate::error::AppError;

pub const MAX_SUBJECT: usize = 200;
pub const MAX_PREVIEW_TEXT: usize = 150;
pub const MAX_INTRO: usize = 5_000;
/// More than any digest should hold; a bound on what one request can ask for.
pub const MAX_ARTICLES: usize = 50;

/// What an editor adds to a digest besides its articles. Empty strings mean "not given".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Composition {
    /// One line; absent: made from `digest.subject` in the config.
    #[schema(max_length = 200)]
    pub subject: Option<String>,
    /// The line mail clients show after the subject; absent: the headlines.
    #[schema(max_length = 150)]
    pub preview_text: Option<String>,
    /// A note above the articles, in Markdown (sanitised: no scripts, no styles).
    #[schema(max_length = 5000)]
    pub intro: Option<String>,
    /// One of the digest's articles, shown first, larger and with its image.
    pub lead_article_id: Option<i64>,
}

/// Why a composition was refused; each names its field.
#[derive(Debug, thiserror::Error)]
pub enum ComposeError {
    #[error("one line of at most {MAX_SUBJECT} characters")]
    Subject,
    #[error("one line of at most {MAX_PREVIEW_TEXT} characters")]
    PreviewText,
    #[error("at most {MAX_INTRO} characters")]
    Intro,
    #[error("the lead story must be one of the digest's articles")]
    Lead,
    #[error("at most {MAX_ARTICLES} articles, each listed once")]
    Articles,
    #[error("no article with id {0}")]
    UnknownArticle(i64),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl ComposeError {
    /// The field at fault, named as the API and the page name it.
    pub fn field(&self) -> &'static str {
        match self {
            ComposeError::Subject => "subject",
            ComposeError::PreviewText => "preview_text",
            ComposeError::Intro => "intro",
            ComposeError::Lead => "lead_article_id",
            ComposeError::Articles
            | ComposeError::UnknownArticle(_)
            | ComposeError::Database(_) => "article_ids",
        }
    }
}

impl From<ComposeError> for AppError {
    fn from(err: ComposeError) -> AppError {
        match err {
            ComposeError::Database(err) => err.into(),
            err => AppError::field(err.field(), err.to_string()),
        }
    }
}

fn one_line(text: &str, max: usize) -> bool {
    text.chars().count() <= max && !text.chars().any(char::is_control)
}

impl Composition {
    /// Trimmed, with empty texts as absent, and checked against the digest's articles.
    pub fn checked(self, article_ids: &[i64]) -> Result<Composition, ComposeError> {
        let given =
            |text: Option<String>| text.map(|t| t.trim().to_string()).filter(|t| !t.is_empty());
        let composition = Composition {
            subject: given(self.subject),
            preview_text: given(self.preview_text),
            // Markdown keeps its line breaks; only the ends are trimmed.
            intro: given(self.intro).map(|t| t.replace("\r\n", "\n")),
            lead_article_id: self.lead_article_id,
        };
        if !composition
            .subject
            .as_deref()
            .is_none_or(|s| one_line(s, MAX_SUBJECT))
        {
            return Err(ComposeError::Subject);
        }
        if !composition
            .preview_text
            .as_deref()
            .is_none_or(|s| one_line(s, MAX_PREVIEW_TEXT))
        {
            return Err(ComposeError::PreviewText);
        }
        if composition
            .intro
            .as_deref()
            .is_some_and(|t| t.chars().count() > MAX_INTRO)
        {
            return Err(ComposeError::Intro);
        }
        if let Some(lead) = composition.lead_article_id
            && !article_ids.contains(&lead)
        {
            return Err(ComposeError::Lead);
        }
        Ok(composition)
    }

    /// `self`, with `fallback`'s fields where `self` has none.
    pub fn or(self, fallback: Composition) -> Composition {
        Composition {
            subject: self.subject.or(fallback.subject),
            preview_text: self.preview_text.or(fallback.preview_text),
            intro: self.intro.or(fallback.intro),
            lead_article_id: self.lead_article_id.or(fallback.lead_article_id),
        }
    }
}

/// The saved draft.
#[derive(Debug, Clone)]
pub struct Draft {
    /// In the editor's order.
    pub article_ids: Vec<i64>,
    pub composition: Composition,
    pub revision: i64,
    pub updated_by: String,
    pub updated_at: Millis,
}

/// The next digest: the draft's articles and composition, or the newest articles in no digest
/// yet when there is no draft.
#[derive(Debug, Clone)]
pub struct Next {
    pub articles: Vec<Article>,
    pub composition: Composition,
    pub draft: Option<Draft>,
}

impl Next {
    pub fn article_ids(&self) -> Vec<i64> {
        self.articles.iter().map(|a| a.id).collect()
    }
}

/// The newsletter's draft (a draft's id is its newsletter's).
pub async fn find(conn: &mut AnyConnection, newsletter_id: i64) -> sqlx::Result<Option<Draft>> {
    let Some(row) = sqlx::query(
        "select subject, preview_text, intro, lead_article_id, revision, updated_by, updated_at
         from digest_draft where id = $1",
    )
    .bind(newsletter_id)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let article_ids: Vec<i64> = sqlx::query_scalar(
        "select article_id from digest_draft_articles where draft_id = $1 order by position",
    )
    .bind(newsletter_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Some(Draft {
        article_ids,
        composition: Composition {
            subject: row.try_get("subject")?,
            preview_text: row.try_get("preview_text")?,
            intro: row.try_get("intro")?,
            lead_article_id: row.try_get("lead_article_id")?,
        },
        revision: row.try_get("revision")?,
        updated_by: row.try_get("updated_by")?,
        updated_at: row.try_get("updated_at")?,
    }))
}

/// The newsletter's next digest on its own schedule: its draft, or else the newest articles
/// it carries that are in none of its digests yet, `limit` at most.
pub async fn next(
    conn: &mut AnyConnection,
    newsletter: &crate::newsletters::Newsletter,
    limit: i64,
) -> sqlx::Result<Next> {
    match find(conn, newsletter.id).await? {
        Some(draft) => Ok(Next {
            articles: articles::list_in_order(conn, &draft.article_ids).await?,
            composition: draft.composition.clone(),
            draft: Some(draft),
        }),
        None => Ok(Next {
            articles: articles::list_unsent(
                conn,
                newsletter,
                crate::newsletters::Cadence::Scheduled,
                None,
                limit,
            )
            .await?,
            composition: Composition::default(),
            draft: None,
        }),
    }
}

/// Saves the draft (checked), replacing the one before; returns its new revision.
pub async fn save(
    tx: &mut Tx<'_>,
    newsletter_id: i64,
    article_ids: &[i64],
    composition: Composition,
    by: &str,
) -> Result<i64, ComposeError> {
    let mut seen = article_ids.to_vec();
    seen.sort_unstable();
    seen.dedup();
    if seen.len() != article_ids.len() || article_ids.len() > MAX_ARTICLES {
        return Err(ComposeError::Articles);
    }
    let found = articles::list_in_order(tx, article_ids).await?;
    if let Some(missing) = article_ids
        .iter()
        .find(|id| !found.iter().any(|a| a.id == **id))
    {
        return Err(ComposeError::UnknownArticle(*missing));
    }
    let composition = composition.checked(article_ids)?;
    let revision: i64 = sqlx::query_scalar(
        "insert into digest_draft (id, subject, preview_text, intro, lead_article_id, revision,
                                   updated_by, updated_at)
         values ($7, $1, $2, $3, $4, 1, $5, $6)
         on conflict (id) do update set subject = excluded.subject,
             preview_text = excluded.preview_text, intro = excluded.intro,
             lead_article_id = excluded.lead_article_id,
             revision = digest_draft.revision + 1, updated_by = excluded.updated_by,
             updated_at = excluded.updated_at
         returning revision",
    )
    .bind(&composition.subject)
    .bind(&composition.preview_text)
    .bind(&composition.intro)
    .bind(composition.lead_article_id)
    .bind(by)
    .bind(db::now())
    .bind(newsletter_id)
    .fetch_one(&mut **tx)
    .await?;
    sqlx::query("delete from digest_draft_articles where draft_id = $1")
        .bind(newsletter_id)
        .execute(&mut **tx)
        .await?;
    for (position, id) in article_ids.iter().enumerate() {
        sqlx::query(
            "insert into digest_draft_articles (draft_id, article_id, position)
             values ($1, $2, $3)",
        )
        .bind(newsletter_id)
        .bind(id)
        .bind(position as i64)
        .execute(&mut **tx)
        .await?;
    }
    Ok(revision)
}

/// Ends the newsletter's draft: its next digest is made of the newest articles again.
pub async fn discard(tx: &mut Tx<'_>, newsletter_id: i64) -> sqlx::Result<()> {
    sqlx::query("delete from digest_draft_articles where draft_id = $1")
        .bind(newsletter_id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("delete from digest_draft where id = $1")
        .bind(newsletter_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_composition_is_trimmed_and_each_field_checked() {
        let given = Composition {
            subject: Some("  Friday  ".into()),
            preview_text: Some("   ".into()),
            intro: Some("Hello\r\n\r\n*there*\n".into()),
            lead_article_id: Some(2),
        };
        let checked = given.clone().checked(&[1, 2]).unwrap();
        assert_eq!(checked.subject.as_deref(), Some("Friday"));
        assert_eq!(checked.preview_text, None);
        assert_eq!(checked.intro.as_deref(), Some("Hello\n\n*there*"));
        assert!(matches!(
            given.clone().checked(&[1]),
            Err(ComposeError::Lead)
        ));
        let two_lines = Composition {
            subject: Some("a\nb".into()),
            ..Composition::default()
        };
        assert!(matches!(two_lines.checked(&[]), Err(ComposeError::Subject)));
        let long = Composition {
            intro: Some("x".repeat(MAX_INTRO + 1)),
            ..Composition::default()
        };
        assert!(matches!(long.checked(&[]), Err(ComposeError::Intro)));
    }
}
