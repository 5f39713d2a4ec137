-- A room is made when two users are matched: the collaboration and chat services ask
-- matching (GET /matching-service-api/internal/rooms/{id}) who its members are.

CREATE TABLE rooms (
    id           uuid PRIMARY KEY,
    member_ids   uuid[] NOT NULL,
    member_names text[] NOT NULL,
    question     jsonb NOT NULL,
    language     text NOT NULL,
    status       text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'ended')),
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX rooms_members ON rooms USING gin (member_ids);
