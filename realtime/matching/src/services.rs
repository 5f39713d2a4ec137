//! The calls matching makes to other services when two users match: the questions each has
//! attempted (history) and a question for the pair (question service).

use shared::auth::ServiceToken;
use shared::client::{CallError, ClientSettings, InternalClient};
use shared::contract::{QuestionBrief, QuestionIds, TopicCount};
use shared::difficulty::Difficulty;
use shared::request_id::RequestId;
use uuid::Uuid;

/// Why no question could be had.
#[derive(Debug, thiserror::Error)]
pub enum PickError {
    /// The question service answered: no question for these criteria at all.
    #[error("no question matches")]
    NoneMatches,
    /// The question service is down, slow or broken: worth trying again later.
    #[error("the question service is unavailable: {0}")]
    Unavailable(String),
}

#[derive(Clone)]
pub struct Services {
    question: InternalClient,
    history: InternalClient,
}

impl Services {
    pub fn new(question: ClientSettings, history: ClientSettings, token: &ServiceToken) -> Self {
        Self {
            question: InternalClient::new(question, token.clone()),
            history: InternalClient::new(history, token.clone()),
        }
    }

    /// The questions either user has attempted, both asked at once; a user history cannot
    /// answer for adds nothing (a repeat beats a lost match).
    pub async fn attempted_by(&self, users: [Uuid; 2], request_id: &RequestId) -> Vec<Uuid> {
        let [a, b] = users.map(|user| self.attempted(user, request_id));
        let (a, b) = futures_util::future::join(a, b).await;
        a.into_iter().chain(b).collect()
    }

    async fn attempted(&self, user: Uuid, request_id: &RequestId) -> Vec<Uuid> {
        let path = format!("/internal/users/{user}/question-ids");
        match self
            .history
            .get::<QuestionIds>(&path, &[], request_id)
            .await
        {
            Ok(ids) => ids.question_ids,
            Err(err) => {
                log::warn!(
                    "request_id={} history unavailable, not excluding attempted questions: {err}",
                    request_id.0
                );
                Vec::new()
            }
        }
    }

    /// A question on any of the topics at any of the difficulties, avoiding `exclude`.
    /// When no question has the topics, any question of the difficulties will do.
    pub async fn pick(
        &self,
        topics: &[String],
        difficulties: &[Difficulty],
        exclude: &[Uuid],
        request_id: &RequestId,
    ) -> Result<QuestionBrief, PickError> {
        match self
            .pick_once(Some(topics), difficulties, exclude, request_id)
            .await
        {
            Err(PickError::NoneMatches) => {
                self.pick_once(None, difficulties, exclude, request_id)
                    .await
            }
            other => other,
        }
    }

    /// Every topic the question bank has.
    pub async fn topics(&self) -> Result<Vec<String>, CallError> {
        let topics: Vec<TopicCount> = self
            .question
            .get("/question-service-api/topics", &[], &RequestId::generate())
            .await?;
        Ok(topics.into_iter().map(|topic| topic.topic).collect())
    }

    async fn pick_once(
        &self,
        topics: Option<&[String]>,
        difficulties: &[Difficulty],
        exclude: &[Uuid],
        request_id: &RequestId,
    ) -> Result<QuestionBrief, PickError> {
        let mut query = vec![(
            "difficulty",
            comma_separated(difficulties.iter().map(|d| d.as_str())),
        )];
        if let Some(topics) = topics {
            query.push(("topic", topics.join(",")));
        }
        if !exclude.is_empty() {
            query.push((
                "exclude",
                comma_separated(exclude.iter().map(Uuid::to_string)),
            ));
        }
        self.question
            .get("/question-service-api/questions/pick", &query, request_id)
            .await
            .map_err(|err| match err {
                err if err.is_not_found() => PickError::NoneMatches,
                CallError::Refused { status, code } => {
                    PickError::Unavailable(format!("refused with {status} {code}"))
                }
                CallError::Unavailable(why) => PickError::Unavailable(why),
            })
    }
}

fn comma_separated<T: AsRef<str>>(items: impl Iterator<Item = T>) -> String {
    items
        .map(|item| item.as_ref().to_owned())
        .collect::<Vec<_>>()
        .join(",")
}
