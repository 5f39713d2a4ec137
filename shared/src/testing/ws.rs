//! A websocket client for tests (awc), answering pings by itself.

pub use awc::ws::Frame as WsFrame;

pub struct WsClient {
    framed: actix_codec::Framed<awc::BoxedSocket, awc::ws::Codec>,
}

/// How long [`WsClient::recv`] waits before failing the test.
pub const WS_WAIT: std::time::Duration = std::time::Duration::from_secs(15);

impl WsClient {
    /// Connects with a bearer token (and no `Origin`, as a non-browser client).
    pub async fn connect(url: &str, token: &str) -> Result<Self, awc::error::WsClientError> {
        Self::connect_with(super::http_client().ws(url).bearer_auth(token)).await
    }

    pub async fn connect_with(
        request: awc::ws::WebsocketsRequest,
    ) -> Result<Self, awc::error::WsClientError> {
        let (_, framed) = request.max_frame_size(16 * 1024 * 1024).connect().await?;
        Ok(Self { framed })
    }

    pub async fn send_text(&mut self, text: impl Into<String>) {
        use futures_util::SinkExt;
        self.framed
            .send(awc::ws::Message::Text(text.into().into()))
            .await
            .expect("send a text frame");
    }

    /// Any frame (pings, fragments); an error once the connection is gone.
    pub async fn send_message(
        &mut self,
        message: awc::ws::Message,
    ) -> Result<(), awc::error::WsProtocolError> {
        use futures_util::SinkExt;
        self.framed.send(message).await
    }

    pub async fn send_json(&mut self, value: &serde_json::Value) {
        self.send_text(value.to_string()).await;
    }

    pub async fn send_binary(&mut self, bytes: Vec<u8>) {
        use futures_util::SinkExt;
        self.framed
            .send(awc::ws::Message::Binary(bytes.into()))
            .await
            .expect("send a binary frame");
    }

    /// The next data frame or close, within `wait`; `None` on timeout.
    pub async fn next_frame(&mut self, wait: std::time::Duration) -> Option<awc::ws::Frame> {
        use futures_util::{SinkExt, StreamExt};
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let frame = tokio::time::timeout_at(deadline, self.framed.next())
                .await
                .ok()??;
            match frame {
                Ok(awc::ws::Frame::Ping(payload)) => {
                    let _ = self.framed.send(awc::ws::Message::Pong(payload)).await;
                }
                Ok(awc::ws::Frame::Pong(_)) => {}
                Ok(frame) => return Some(frame),
                Err(_) => return None,
            }
        }
    }

    /// The next JSON text frame; panics on timeout, close or anything else.
    pub async fn recv_json(&mut self) -> serde_json::Value {
        match self.next_frame(WS_WAIT).await {
            Some(awc::ws::Frame::Text(bytes)) => {
                serde_json::from_slice(&bytes).expect("a JSON text frame")
            }
            other => panic!("expected a JSON text frame, got {other:?}"),
        }
    }

    /// Nothing arrives within `wait` (pings aside).
    pub async fn expect_silence(&mut self, wait: std::time::Duration) {
        if let Some(frame) = self.next_frame(wait).await {
            panic!("expected nothing, got {frame:?}");
        }
    }

    /// Waits for the server to close the connection; returns the close reason, if any.
    pub async fn closed(&mut self) -> Option<awc::ws::CloseReason> {
        loop {
            match self.next_frame(WS_WAIT).await {
                Some(awc::ws::Frame::Close(reason)) => return reason,
                None => return None,
                Some(_) => {}
            }
        }
    }

    pub async fn close(mut self) {
        use futures_util::SinkExt;
        let _ = self.framed.send(awc::ws::Message::Close(None)).await;
    }
}

/// The status a refused websocket upgrade got; panics if it was upgraded or failed otherwise.
pub fn refused_upgrade(
    result: Result<WsClient, awc::error::WsClientError>,
) -> awc::http::StatusCode {
    match result {
        Err(awc::error::WsClientError::InvalidResponseStatus(status)) => status,
        Err(other) => panic!("the upgrade failed otherwise: {other}"),
        Ok(_) => panic!("the upgrade was accepted"),
    }
}
