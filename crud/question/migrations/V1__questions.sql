-- The question bank.

CREATE TABLE questions (
    id           uuid PRIMARY KEY,
    slug         text NOT NULL,
    title        text NOT NULL,
    description  text NOT NULL,
    difficulty   text NOT NULL CHECK (difficulty IN ('easy', 'medium', 'hard')),
    topics       text[] NOT NULL,
    examples     jsonb NOT NULL,
    constraints  text[] NOT NULL DEFAULT '{}',
    starter_code jsonb NOT NULL DEFAULT '{}',
    -- PostgreSQL's own full-text search; the title weighs more than the description.
    search       tsvector GENERATED ALWAYS AS (
                     setweight(to_tsvector('english', title), 'A')
                     || setweight(to_tsvector('english', description), 'B')
                 ) STORED,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX questions_slug_key ON questions (slug);
CREATE UNIQUE INDEX questions_title_key ON questions (lower(title));
CREATE INDEX questions_topics ON questions USING gin (topics);
CREATE INDEX questions_search ON questions USING gin (search);
CREATE INDEX questions_difficulty ON questions (difficulty);

-- Which versions of the shipped bank have been loaded: each loads once, so a question an
-- admin deleted does not come back at the next start.
CREATE TABLE seed_versions (
    version    integer PRIMARY KEY,
    questions  integer NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
);
