-- The periodic purge deletes by age; the per-account limit looks up where an account has
-- signed in from.
CREATE INDEX login_failures_failed_at ON login_failures (failed_at);
CREATE INDEX refresh_tokens_expires ON refresh_tokens (expires_at);
CREATE INDEX sessions_ended ON sessions (revoked_at) WHERE revoked_at IS NOT NULL;
CREATE INDEX sessions_expires ON sessions (expires_at);
CREATE INDEX sessions_user_ip ON sessions (user_id, ip);
