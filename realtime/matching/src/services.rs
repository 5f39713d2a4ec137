//! The calls matching makes to other services when two users match: the questions either
//! has attempted (history) and a question for the pair (question service).

use std::time::Duration;

use serde::Deserialize;
use shared::auth::ServiceToken;
use shared::difficulty::Difficulty;
use shared::openapi::SERVICE_TOKEN_HEADER;
use uuid::Uuid;

use crate::protocol::QuestionBrief;

/// How long a call to another service may take before the match falls through.
const CALL_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Debug, Clone)]
pub struct ServiceUrls {
    pub question: String,
    pub history: String,
}

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

/// Lives on the queue actor's thread (awc clients are not `Send`).
#[derive(Clone)]
pub struct Services {
    urls: ServiceUrls,
    token: ServiceToken,
    http: awc::Client,
}

#[derive(Deserialize)]
struct QuestionIds {
    question_ids: Vec<Uuid>,
}

impl Services {
    pub fn new(urls: ServiceUrls, token: ServiceToken) -> Self {
        Self {
            urls,
            token,
            http: awc::Client::builder().timeout(CALL_TIMEOUT).finish(),
        }
    }

    /// The questions the user has attempted; empty when history cannot say (a repeat beats
    /// a lost match).
    pub async fn attempted(&self, user: Uuid) -> Vec<Uuid> {
        let url = format!(
            "{}/history-service-api/internal/users/{user}/question-ids",
            self.urls.history
        );
        let result = async {
            let mut response = self
                .http
                .get(&url)
                .insert_header((SERVICE_TOKEN_HEADER, self.token.expose()))
                .send()
                .await
                .map_err(|err| err.to_string())?;
            if !response.status().is_success() {
                return Err(format!("status {}", response.status()));
            }
            response
                .json::<QuestionIds>()
                .await
                .map_err(|err| err.to_string())
        }
        .await;
        match result {
            Ok(ids) => ids.question_ids,
            Err(err) => {
                log::warn!("history unavailable, not excluding attempted questions: {err}");
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
    ) -> Result<QuestionBrief, PickError> {
        match self.pick_once(Some(topics), difficulties, exclude).await {
            Err(PickError::NoneMatches) => self.pick_once(None, difficulties, exclude).await,
            other => other,
        }
    }

    async fn pick_once(
        &self,
        topics: Option<&[String]>,
        difficulties: &[Difficulty],
        exclude: &[Uuid],
    ) -> Result<QuestionBrief, PickError> {
        let mut query = vec![(
            "difficulty",
            difficulties
                .iter()
                .map(|d| d.as_str())
                .collect::<Vec<_>>()
                .join(","),
        )];
        if let Some(topics) = topics {
            query.push(("topic", topics.join(",")));
        }
        if !exclude.is_empty() {
            query.push((
                "exclude",
                exclude
                    .iter()
                    .map(Uuid::to_string)
                    .collect::<Vec<_>>()
                    .join(","),
            ));
        }
        let url = format!("{}/question-service-api/questions/pick", self.urls.question);
        let request = self
            .http
            .get(&url)
            .query(&query)
            .map_err(|err| PickError::Unavailable(err.to_string()))?;
        let mut response = request
            .send()
            .await
            .map_err(|err| PickError::Unavailable(err.to_string()))?;
        match response.status().as_u16() {
            200 => response
                .json::<QuestionBrief>()
                .await
                .map_err(|err| PickError::Unavailable(format!("unreadable question: {err}"))),
            404 => Err(PickError::NoneMatches),
            status => Err(PickError::Unavailable(format!("status {status}"))),
        }
    }
}
