//! The question bank that ships with PeerPrep (`seed/questions.json`, written for this
//! project), loaded once per [`BANK_VERSION`]: a question an admin deleted stays deleted, and
//! an existing slug or title is left as it is.

use anyhow::Context;
use shared::db::PgPool;

use crate::question::{QuestionInput, ValidQuestion};
use crate::repository;

/// Raise when `seed/questions.json` gains questions that existing databases should get.
pub const BANK_VERSION: i32 = 1;

const BANK: &str = include_str!("../seed/questions.json");

/// The shipped questions, validated by the same rules as an admin's.
pub fn bank() -> anyhow::Result<Vec<ValidQuestion>> {
    let inputs: Vec<QuestionInput> =
        serde_json::from_str(BANK).context("parse seed/questions.json")?;
    inputs
        .into_iter()
        .map(|input| {
            let title = input.title.clone();
            input
                .validate()
                .map_err(|errors| anyhow::anyhow!("seed question `{title}` is invalid: {errors:?}"))
        })
        .collect()
}

/// Loads the bank unless this version already was; returns how many questions were added.
pub async fn run(pool: &PgPool) -> anyhow::Result<usize> {
    let questions = bank()?;
    let mut db = pool.get().await.context("connect to seed")?;
    let tx = db.transaction().await.context("begin")?;
    // Serialises seeding across tasks starting at once.
    tx.execute("LOCK TABLE seed_versions IN EXCLUSIVE MODE", &[])
        .await
        .context("lock seed_versions")?;
    let done = tx
        .query_opt(
            "SELECT 1 FROM seed_versions WHERE version = $1",
            &[&BANK_VERSION],
        )
        .await
        .context("read seed_versions")?
        .is_some();
    if done {
        return Ok(0);
    }
    let mut added = 0;
    for question in &questions {
        if repository::insert_if_absent(&tx, question).await? {
            added += 1;
        }
    }
    let added_count = i32::try_from(added).unwrap_or(i32::MAX);
    tx.execute(
        "INSERT INTO seed_versions (version, questions) VALUES ($1, $2)",
        &[&BANK_VERSION, &added_count],
    )
    .await
    .context("record seed version")?;
    tx.commit().await.context("commit seed")?;
    log::info!(
        "loaded question bank v{BANK_VERSION}: {added} of {} questions added",
        questions.len()
    );
    Ok(added)
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;
    use crate::question::Difficulty;

    #[test]
    fn the_bank_is_valid_and_covers_ten_topics_at_every_difficulty() {
        let bank = bank().expect("valid bank");
        assert!(bank.len() >= 60, "{} questions", bank.len());

        let mut by_topic: BTreeMap<&str, BTreeSet<Difficulty>> = BTreeMap::new();
        for question in &bank {
            assert!(
                question.examples.len() >= 2,
                "{}: fewer than two examples",
                question.title
            );
            assert!(
                !question.constraints.is_empty(),
                "{}: no constraints",
                question.title
            );
            for topic in &question.topics {
                by_topic
                    .entry(topic)
                    .or_default()
                    .insert(question.difficulty);
            }
        }
        let complete = by_topic.values().filter(|levels| levels.len() == 3).count();
        assert!(
            complete >= 10,
            "only {complete} topics have all three difficulties"
        );

        let slugs: BTreeSet<_> = bank.iter().map(|q| q.slug.as_str()).collect();
        let titles: BTreeSet<_> = bank.iter().map(|q| q.title.to_lowercase()).collect();
        assert_eq!(slugs.len(), bank.len(), "duplicate slugs");
        assert_eq!(titles.len(), bank.len(), "duplicate titles");
    }
}
