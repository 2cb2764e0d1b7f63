//! SQL for `articles`.

use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, AnyPool, Row};

use std::collections::HashMap;

use super::{Article, NewArticle};
use crate::db::{Db, Millis, Tx, format_time};
use crate::newsletters::{Cadence, Newsletter};

const COLUMNS: &str = "id, title, url, summary_html, summary_text, author, image_url, published_at";

fn from_row(row: &AnyRow) -> sqlx::Result<Article> {
    Ok(Article {
        id: row.try_get("id")?,
        title: row.try_get("title")?,
        url: row.try_get("url")?,
        summary_html: row.try_get("summary_html")?,
        summary_text: row.try_get("summary_text")?,
        author: row.try_get("author")?,
        image_url: row.try_get("image_url")?,
        published_at: format_time(row.try_get("published_at")?),
        // Filled in by `with_topics`: every query here that returns articles calls it.
        topics: Vec::new(),
    })
}

/// The articles with their topics (one query for all of them).
async fn with_topics<'e, E>(executor: E, mut articles: Vec<Article>) -> sqlx::Result<Vec<Article>>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let ids: Vec<i64> = articles.iter().map(|a| a.id).collect();
    let mut topics = topics_of(executor, &ids).await?;
    for article in &mut articles {
        article.topics = topics.remove(&article.id).unwrap_or_default();
    }
    Ok(articles)
}

async fn one_with_topics<'e, E>(executor: E, article: Article) -> sqlx::Result<Article>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let mut list = with_topics(executor, vec![article]).await?;
    Ok(list.remove(0))
}

const INSERT: &str = "insert into articles (title, url, summary_html, summary_text, author,
        image_url, published_at, created_at, updated_at)
    values ($1, $2, $3, $4, $5, $6, $7, $8, $8)";

/// The insert with `tail` (its ON CONFLICT clause), bound to the article.
fn insert<'q>(
    sql: &'q str,
    article: &'q NewArticle,
    now: Millis,
) -> Query<'q, Any, AnyArguments<'q>> {
    sqlx::query(sql)
        .bind(&article.title)
        .bind(&article.url)
        .bind(&article.summary_html)
        .bind(&article.summary_text)
        .bind(&article.author)
        .bind(&article.image_url)
        .bind(article.published_at)
        .bind(now)
}

/// Inserts, or updates the article with the same URL. Returns it and whether it is new.
pub async fn upsert(db: &Db, article: &NewArticle, now: Millis) -> sqlx::Result<(Article, bool)> {
    let mut tx = db.begin().await?;
    let existed: Option<i64> = sqlx::query_scalar("select id from articles where url = $1")
        .bind(&article.url)
        .fetch_optional(&mut *tx)
        .await?;
    let sql = format!(
        "{INSERT} on conflict (url) do update set
             title = excluded.title, summary_html = excluded.summary_html,
             summary_text = excluded.summary_text, author = excluded.author,
             image_url = excluded.image_url, published_at = excluded.published_at,
             updated_at = excluded.updated_at
         returning {COLUMNS}"
    );
    let row = insert(&sql, article, now).fetch_one(&mut *tx).await?;
    let stored = from_row(&row)?;
    set_topics(&mut tx, stored.id, &article.topics).await?;
    let stored = one_with_topics(&mut *tx, stored).await?;
    tx.commit().await?;
    Ok((stored, existed.is_none()))
}

/// Inserts, with its topics, unless the URL is known (feeds must not overwrite an editor's
/// changes). Returns whether it was new.
pub async fn insert_if_new(db: &Db, article: &NewArticle, now: Millis) -> sqlx::Result<bool> {
    let mut tx = db.begin().await?;
    let sql = format!("{INSERT} on conflict (url) do nothing returning id");
    let Some(id) = insert(&sql, article, now)
        .fetch_optional(&mut *tx)
        .await?
        .map(|row| row.try_get::<i64, _>("id"))
        .transpose()?
    else {
        return Ok(false);
    };
    set_topics(&mut tx, id, &article.topics).await?;
    tx.commit().await?;
    Ok(true)
}

/// Replaces every field of the article, its topics too; `None` when there is no such article.
pub async fn update(
    db: &Db,
    id: i64,
    article: &NewArticle,
    now: Millis,
) -> sqlx::Result<Option<Article>> {
    let mut tx = db.begin().await?;
    let row = sqlx::query(&format!(
        "update articles set title = $2, url = $3, summary_html = $4, summary_text = $5,
             author = $6, image_url = $7, published_at = $8, updated_at = $9
         where id = $1
         returning {COLUMNS}"
    ))
    .bind(id)
    .bind(&article.title)
    .bind(&article.url)
    .bind(&article.summary_html)
    .bind(&article.summary_text)
    .bind(&article.author)
    .bind(&article.image_url)
    .bind(article.published_at)
    .bind(now)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    set_topics(&mut tx, id, &article.topics).await?;
    let stored = one_with_topics(&mut *tx, from_row(&row)?).await?;
    tx.commit().await?;
    Ok(Some(stored))
}

/// Deletes the article unless a digest holds it; false when nothing was deleted.
pub async fn delete_unless_held(pool: &AnyPool, id: i64) -> sqlx::Result<bool> {
    let sql = format!(
        "delete from articles where id = $1 and not exists (
             select 1 from digest_articles da join digests d on d.id = da.digest_id
             where da.article_id = $1 and {})",
        crate::digests::queries::HOLDS_ARTICLES
    );
    let done = sqlx::query(&sql).bind(id).execute(pool).await?;
    Ok(done.rows_affected() == 1)
}

pub async fn find(pool: &AnyPool, id: i64) -> sqlx::Result<Option<Article>> {
    let row = sqlx::query(&format!("select {COLUMNS} from articles where id = $1"))
        .bind(id)
        .fetch_optional(pool)
        .await?;
    match row {
        Some(row) => Ok(Some(one_with_topics(pool, from_row(&row)?).await?)),
        None => Ok(None),
    }
}

/// Newest first.
pub async fn list(pool: &AnyPool, limit: i64, offset: i64) -> sqlx::Result<Vec<Article>> {
    let rows = sqlx::query(&format!(
        "select {COLUMNS} from articles order by published_at desc, id desc limit $1 offset $2"
    ))
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await?;
    let articles = rows.iter().map(from_row).collect::<sqlx::Result<_>>()?;
    with_topics(pool, articles).await
}

pub async fn count(pool: &AnyPool) -> sqlx::Result<i64> {
    sqlx::query_scalar("select count(*) from articles")
        .fetch_one(pool)
        .await
}

/// Articles in no digest yet (cancelled digests do not count), newest first.
pub async fn list_unsent(
    conn: &mut sqlx::AnyConnection,
    newsletter: &Newsletter,
    cadence: Cadence,
    published_after: Option<Millis>,
    limit: i64,
) -> sqlx::Result<Vec<Article>> {
    // $1 newsletter, $2 cadence, $3 published after, $4 limit, then the topics.
    let topic_filter = if newsletter.topics.is_empty() {
        String::new()
    } else {
        format!(
            " and exists (select 1 from article_topics t
                          where t.article_id = a.id and t.topic in ({}))",
            crate::db::placeholders(5, newsletter.topics.len())
        )
    };
    let sql = format!(
        "select {COLUMNS} from articles a
         where not exists (select 1 from digest_articles da join digests d on d.id = da.digest_id
                           where da.article_id = a.id and d.status <> 'cancelled'
                             and d.newsletter_id = $1 and d.cadence = $2)
           and a.published_at > $3{topic_filter}
         order by published_at desc, id desc limit $4"
    );
    let mut query = sqlx::query(&sql)
        .bind(newsletter.id)
        .bind(cadence.as_str())
        .bind(published_after.unwrap_or(i64::MIN))
        .bind(limit);
    for topic in &newsletter.topics {
        query = query.bind(topic);
    }
    let rows = query.fetch_all(&mut *conn).await?;
    let articles = rows.iter().map(from_row).collect::<sqlx::Result<_>>()?;
    with_topics(conn, articles).await
}

/// The topics of each of these articles (those with none are absent).
pub async fn topics_of<'e, E>(executor: E, ids: &[i64]) -> sqlx::Result<HashMap<i64, Vec<String>>>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let mut topics: HashMap<i64, Vec<String>> = HashMap::new();
    if ids.is_empty() {
        return Ok(topics);
    }
    let sql = format!(
        "select article_id, topic from article_topics where article_id in ({}) order by topic",
        crate::db::placeholders(1, ids.len())
    );
    let mut query = sqlx::query_as::<_, (i64, String)>(&sql);
    for id in ids {
        query = query.bind(id);
    }
    for (id, topic) in query.fetch_all(executor).await? {
        topics.entry(id).or_default().push(topic);
    }
    Ok(topics)
}

/// Replaces the article's topics.
pub async fn set_topics(tx: &mut Tx<'_>, article_id: i64, topics: &[String]) -> sqlx::Result<()> {
    sqlx::query("delete from article_topics where article_id = $1")
        .bind(article_id)
        .execute(&mut **tx)
        .await?;
    for topic in topics {
        sqlx::query("insert into article_topics (article_id, topic) values ($1, $2)")
            .bind(article_id)
            .bind(topic)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// A digest's articles in the digest's order.
pub async fn list_for_digest(pool: &AnyPool, digest_id: i64) -> sqlx::Result<Vec<Article>> {
    let rows = sqlx::query(&format!(
        "select {COLUMNS} from articles a join digest_articles da on da.article_id = a.id
         where da.digest_id = $1 order by da.position"
    ))
    .bind(digest_id)
    .fetch_all(pool)
    .await?;
    let articles = rows.iter().map(from_row).collect::<sqlx::Result<_>>()?;
    with_topics(pool, articles).await
}

/// The given articles in the order given (unknown ids are left out).
pub async fn list_in_order(
    conn: &mut sqlx::AnyConnection,
    ids: &[i64],
) -> sqlx::Result<Vec<Article>> {
    let mut articles = Vec::with_capacity(ids.len());
    for id in ids {
        let row = sqlx::query(&format!("select {COLUMNS} from articles where id = $1"))
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
        if let Some(row) = row {
            articles.push(from_row(&row)?);
        }
    }
    with_topics(conn, articles).await
}

/// The given articles (unknown ids are left out), newest first.
pub async fn list_by_ids(
    conn: &mut sqlx::AnyConnection,
    ids: &[i64],
) -> sqlx::Result<Vec<Article>> {
    let mut articles = list_in_order(conn, ids).await?;
    // RFC 3339 in UTC with a fixed width sorts as time does.
    articles.sort_by(|a, b| b.published_at.cmp(&a.published_at).then(b.id.cmp(&a.id)));
    Ok(articles)
}
