//! The room's other processes: awareness shared with them, and what they send (updates they
//! stored, awareness their sessions sent), applied here and passed to this process's
//! sessions.

use actix::prelude::*;
use actix_web::web::Bytes;

use super::{Remote, RoomActor};
use crate::fanout::{Body, Fanout};

impl RoomActor {
    /// Sends an awareness frame to this process's sessions and the room's other processes.
    pub(super) fn share_awareness(&self, frame: Vec<u8>) {
        match Fanout::encode_awareness(&self.parts.node, &frame) {
            Ok(payload) => {
                let (bus, channel) = (self.parts.bus.clone(), self.channel.clone());
                actix::spawn(async move {
                    if let Err(err) = bus.publish(&channel, payload).await {
                        log::warn!("could not fan out on {channel}: {err:#}");
                    }
                });
            }
            Err(err) => log::error!("room {}: could not encode awareness: {err}", self.room.id),
        }
        self.send(None, &Bytes::from(frame));
    }
}

impl StreamHandler<Remote> for RoomActor {
    fn handle(&mut self, Remote(payload): Remote, _ctx: &mut Self::Context) {
        let fanout = match Fanout::decode(&payload) {
            Ok(fanout) => fanout,
            Err(err) => {
                log::warn!("room {}: ignoring a bus message: {err}", self.room.id);
                return;
            }
        };
        if fanout.node == self.parts.node {
            return;
        }
        match fanout.body {
            Body::Updates(updates) => {
                for update in updates {
                    match self.doc.apply_remote_update(&update) {
                        Ok(frame) => self.send(None, &Bytes::from(frame)),
                        Err(err) => {
                            log::warn!(
                                "room {}: a remote update did not apply: {err}",
                                self.room.id
                            );
                        }
                    }
                }
            }
            Body::Awareness(frame) => {
                if self.doc.apply_remote_awareness(&frame).is_ok() {
                    self.send(None, &Bytes::from(frame.into_vec()));
                }
            }
        }
    }

    fn finished(&mut self, _ctx: &mut Self::Context) {}
}
