-- The transcript: every chat message of every room, kept for good. The live log is a Redis
-- stream per room; messages are copied here in batches (idempotent by room and id), and the
-- history page reads them here after the room is gone.

CREATE TABLE messages (
    room_id         uuid NOT NULL,
    -- The message's id: 1, 2, 3, … per room, in the order members were shown them.
    id              bigint NOT NULL CHECK (id > 0),
    client_id       text NOT NULL,
    sender_id       uuid NOT NULL,
    sender_username text NOT NULL,
    text            text NOT NULL,
    sent_at         timestamptz NOT NULL,
    PRIMARY KEY (room_id, id)
);
