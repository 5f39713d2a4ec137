-- One attempt per user per collaboration session. The question is copied at record time so
-- that a later edit of the question does not rewrite history.

CREATE TABLE attempts (
    id                  uuid PRIMARY KEY,
    room_id             uuid NOT NULL,
    user_id             uuid NOT NULL,
    peer_id             uuid,
    peer_username       text,
    question_id         uuid NOT NULL,
    question_title      text NOT NULL,
    question_difficulty text NOT NULL CHECK (question_difficulty IN ('easy', 'medium', 'hard')),
    question_topics     text[] NOT NULL,
    language            text NOT NULL,
    code                text NOT NULL,
    started_at          timestamptz NOT NULL,
    ended_at            timestamptz NOT NULL CHECK (ended_at >= started_at),
    duration_secs       bigint NOT NULL,
    outcome             text NOT NULL CHECK (outcome IN ('completed', 'abandoned')),
    recorded_at         timestamptz NOT NULL DEFAULT now(),
    -- Recording is idempotent: one attempt per (room, user), however often it is sent.
    CONSTRAINT attempts_room_user_key UNIQUE (room_id, user_id)
);
CREATE INDEX attempts_user_ended ON attempts (user_id, ended_at DESC, id);
