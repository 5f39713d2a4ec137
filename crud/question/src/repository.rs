//! SQL for the `questions` table.

use std::collections::BTreeMap;

use anyhow::Context;
use serde_json::Value;
use shared::db::{GenericClient, is_unique_violation};
use tokio_postgres::Row;
use tokio_postgres::types::Json;
use uuid::Uuid;

use crate::question::{Difficulty, Example, Question, QuestionSummary, ValidQuestion};

const SUMMARY_COLUMNS: &str = "id, slug, title, difficulty, topics, created_at, updated_at";
const COLUMNS: &str = "id, slug, title, difficulty, topics, created_at, updated_at, \
                       description, examples, constraints, starter_code";

fn difficulty(row: &Row) -> anyhow::Result<Difficulty> {
    let raw: String = row.try_get("difficulty")?;
    raw.parse().map_err(anyhow::Error::msg)
}

fn summary(row: &Row) -> anyhow::Result<QuestionSummary> {
    Ok(QuestionSummary {
        id: row.try_get("id")?,
        slug: row.try_get("slug")?,
        title: row.try_get("title")?,
        difficulty: difficulty(row)?,
        topics: row.try_get("topics")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

fn question(row: &Row) -> anyhow::Result<Question> {
    let Json(examples): Json<Vec<Example>> = row.try_get("examples")?;
    let Json(starter_code): Json<BTreeMap<String, String>> = row.try_get("starter_code")?;
    Ok(Question {
        id: row.try_get("id")?,
        slug: row.try_get("slug")?,
        title: row.try_get("title")?,
        description: row.try_get("description")?,
        difficulty: difficulty(row)?,
        topics: row.try_get("topics")?,
        examples,
        constraints: row.try_get("constraints")?,
        starter_code,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

/// A title or slug another question already has.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("another question has this title")]
    TitleTaken,
    #[error("another question has this slug")]
    SlugTaken,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

fn classify(err: tokio_postgres::Error, doing: &'static str) -> WriteError {
    if is_unique_violation(&err, "questions_title_key") {
        WriteError::TitleTaken
    } else if is_unique_violation(&err, "questions_slug_key") {
        WriteError::SlugTaken
    } else {
        WriteError::Unexpected(anyhow::Error::new(err).context(doing))
    }
}

/// A question's columns as query parameters, `$1` (the id) to `$9`, in the order every
/// write statement below uses.
struct WriteRow<'a> {
    id: Uuid,
    q: &'a ValidQuestion,
    difficulty: &'static str,
    examples: Value,
    starter_code: Value,
}

impl<'a> WriteRow<'a> {
    fn new(id: Uuid, q: &'a ValidQuestion) -> anyhow::Result<Self> {
        Ok(Self {
            id,
            q,
            difficulty: q.difficulty.as_str(),
            examples: serde_json::to_value(&q.examples).context("encode examples")?,
            starter_code: serde_json::to_value(&q.starter_code).context("encode starter code")?,
        })
    }

    fn params(&self) -> [&(dyn tokio_postgres::types::ToSql + Sync); 9] {
        [
            &self.id,
            &self.q.slug,
            &self.q.title,
            &self.q.description,
            &self.difficulty,
            &self.q.topics,
            &self.examples,
            &self.q.constraints,
            &self.starter_code,
        ]
    }
}

pub async fn insert(db: &impl GenericClient, q: &ValidQuestion) -> Result<Question, WriteError> {
    let row = db
        .query_one(
            &format!(
                "INSERT INTO questions (id, slug, title, description, difficulty, topics, examples, \
                 constraints, starter_code) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING {COLUMNS}"
            ),
            &WriteRow::new(Uuid::new_v4(), q)?.params(),
        )
        .await
        .map_err(|err| classify(err, "insert question"))?;
    Ok(question(&row)?)
}

/// Inserts unless a question with the same slug or title exists; true when inserted.
pub async fn insert_if_absent(db: &impl GenericClient, q: &ValidQuestion) -> anyhow::Result<bool> {
    let inserted = db
        .execute(
            "INSERT INTO questions (id, slug, title, description, difficulty, topics, examples, \
             constraints, starter_code) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING",
            &WriteRow::new(Uuid::new_v4(), q)?.params(),
        )
        .await
        .context("insert seed question")?;
    Ok(inserted > 0)
}

/// Replaces every field of a question; `None` when there is no such question.
pub async fn replace(
    db: &impl GenericClient,
    id: Uuid,
    q: &ValidQuestion,
) -> Result<Option<Question>, WriteError> {
    let row = db
        .query_opt(
            &format!(
                "UPDATE questions SET slug = $2, title = $3, description = $4, difficulty = $5, \
                 topics = $6, examples = $7, constraints = $8, starter_code = $9, updated_at = now() \
                 WHERE id = $1 RETURNING {COLUMNS}"
            ),
            &WriteRow::new(id, q)?.params(),
        )
        .await
        .map_err(|err| classify(err, "update question"))?;
    Ok(row.map(|row| question(&row)).transpose()?)
}

pub async fn delete(db: &impl GenericClient, id: Uuid) -> anyhow::Result<bool> {
    let deleted = db
        .execute("DELETE FROM questions WHERE id = $1", &[&id])
        .await
        .context("delete question")?;
    Ok(deleted > 0)
}

/// The busiest reads (a question, the list) use statements prepared once per pooled
/// connection: a plain query prepares and executes, two round trips to PostgreSQL where one
/// will do (`make bench`, the crud scenario).
pub async fn find_by_id(db: &impl GenericClient, id: Uuid) -> anyhow::Result<Option<Question>> {
    let statement = db
        .prepare_cached(&format!("SELECT {COLUMNS} FROM questions WHERE id = $1"))
        .await
        .context("prepare find question by id")?;
    let row = db
        .query_opt(&statement, &[&id])
        .await
        .context("find question by id")?;
    row.map(|row| question(&row)).transpose()
}

pub async fn find_by_slug(db: &impl GenericClient, slug: &str) -> anyhow::Result<Option<Question>> {
    let statement = db
        .prepare_cached(&format!("SELECT {COLUMNS} FROM questions WHERE slug = $1"))
        .await
        .context("prepare find question by slug")?;
    let row = db
        .query_opt(&statement, &[&slug])
        .await
        .context("find question by slug")?;
    row.map(|row| question(&row)).transpose()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    Title,
    Newest,
    Oldest,
    Difficulty,
    /// Best full-text match first; needs a search.
    Relevance,
}

impl Sort {
    fn order_by(self) -> &'static str {
        match self {
            Self::Title => "lower(title), id",
            Self::Newest => "created_at DESC, id",
            Self::Oldest => "created_at, id",
            Self::Difficulty => {
                "CASE difficulty WHEN 'easy' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END, lower(title), id"
            }
            Self::Relevance => {
                "ts_rank(search, websearch_to_tsquery('english', $3)) DESC, lower(title), id"
            }
        }
    }
}

pub struct ListFilter {
    /// Any of these topics.
    pub topics: Option<Vec<String>>,
    pub difficulty: Option<Difficulty>,
    /// Web-search syntax over title and description.
    pub search: Option<String>,
    pub sort: Sort,
    pub limit: i64,
    pub offset: i64,
}

const FILTER: &str = "($1::text[] IS NULL OR topics && $1) \
                      AND ($2::text IS NULL OR difficulty = $2) \
                      AND ($3::text IS NULL OR search @@ websearch_to_tsquery('english', $3))";

pub async fn list(
    db: &impl GenericClient,
    filter: &ListFilter,
) -> anyhow::Result<(Vec<QuestionSummary>, i64)> {
    let difficulty = filter.difficulty.map(Difficulty::as_str);
    // The page and the total in one round trip (the window counts every matching row);
    // only a page past the end, which has no row to carry the total, counts separately.
    let page = db
        .prepare_cached(&format!(
            "SELECT {SUMMARY_COLUMNS}, count(*) OVER () AS total FROM questions WHERE {FILTER} \
             ORDER BY {} LIMIT $4 OFFSET $5",
            filter.sort.order_by()
        ))
        .await
        .context("prepare list questions")?;
    let rows = db
        .query(
            &page,
            &[
                &filter.topics,
                &difficulty,
                &filter.search,
                &filter.limit,
                &filter.offset,
            ],
        )
        .await
        .context("list questions")?;
    let total: i64 = match rows.first() {
        Some(row) => row.try_get("total")?,
        None if filter.offset == 0 => 0,
        None => {
            let count = db
                .prepare_cached(&format!("SELECT count(*) FROM questions WHERE {FILTER}"))
                .await
                .context("prepare count questions")?;
            db.query_one(&count, &[&filter.topics, &difficulty, &filter.search])
                .await
                .context("count questions")?
                .try_get(0)?
        }
    };
    let items = rows.iter().map(summary).collect::<anyhow::Result<_>>()?;
    Ok((items, total))
}

pub struct PickCriteria {
    /// Any of these topics (all topics when `None`).
    pub topics: Option<Vec<String>>,
    /// Any of these difficulties (all when `None`).
    pub difficulties: Option<Vec<String>>,
    /// Avoided while any other question matches.
    pub exclude: Vec<Uuid>,
}

/// A random matching question, preferring ones not in `exclude`.
pub async fn pick(
    db: &impl GenericClient,
    criteria: &PickCriteria,
) -> anyhow::Result<Option<Question>> {
    let row = db
        .query_opt(
            &format!(
                "SELECT {COLUMNS} FROM questions \
                 WHERE ($1::text[] IS NULL OR topics && $1) AND ($2::text[] IS NULL OR difficulty = ANY($2)) \
                 ORDER BY (id = ANY($3)), random() LIMIT 1"
            ),
            &[&criteria.topics, &criteria.difficulties, &criteria.exclude],
        )
        .await
        .context("pick question")?;
    row.map(|row| question(&row)).transpose()
}

/// How many questions each topic has, by difficulty.
pub struct TopicCount {
    pub topic: String,
    pub easy: i64,
    pub medium: i64,
    pub hard: i64,
}

pub async fn topics(db: &impl GenericClient) -> anyhow::Result<Vec<TopicCount>> {
    let rows = db
        .query(
            "SELECT topic, count(*) FILTER (WHERE difficulty = 'easy'), \
             count(*) FILTER (WHERE difficulty = 'medium'), count(*) FILTER (WHERE difficulty = 'hard') \
             FROM questions, unnest(topics) AS topic GROUP BY topic ORDER BY topic",
            &[],
        )
        .await
        .context("count topics")?;
    rows.iter()
        .map(|row| {
            Ok(TopicCount {
                topic: row.try_get(0)?,
                easy: row.try_get(1)?,
                medium: row.try_get(2)?,
                hard: row.try_get(3)?,
            })
        })
        .collect()
}
