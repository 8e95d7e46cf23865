-- Accounts kept safe: API tokens with a lifecycle, security events, a
-- second factor for local logins.

-- Every token expires. Tokens made before expiry existed get a year from
-- when they were made; the tokens of people deactivated before revocation
-- existed are revoked, so reactivating them does not bring their tokens
-- back.
ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT;
ALTER TABLE api_tokens ADD COLUMN revoked_by BIGINT REFERENCES users (id);
UPDATE api_tokens SET expires_at = created_at + 31536000000;
UPDATE api_tokens SET revoked_at = (SELECT updated_at FROM users WHERE users.id = api_tokens.user_id)
	WHERE revoked_at IS NULL AND user_id IN (SELECT id FROM users WHERE NOT active);
CREATE INDEX api_tokens_user ON api_tokens (user_id, id);

-- What an administrator or auditor needs to see an attack afterwards;
-- never a password, a token or a link.
CREATE TABLE security_events (
	id              {{id}},
	at              BIGINT NOT NULL,
	kind            TEXT NOT NULL,
	user_id         BIGINT REFERENCES users (id) ON DELETE SET NULL,
	account         TEXT NOT NULL DEFAULT '',
	address         TEXT NOT NULL DEFAULT '',
	http_request_id TEXT NOT NULL DEFAULT '', -- the HTTP request's X-Request-Id
	detail          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX security_events_at ON security_events (at, id);
CREATE INDEX security_events_user ON security_events (user_id, at);

-- A person's authenticator (TOTP): pending until its first code is
-- confirmed. last_step is the step of the last code taken, so no code is
-- taken twice.
CREATE TABLE second_factors (
	user_id      BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
	secret       TEXT NOT NULL,
	created_at   BIGINT NOT NULL,
	confirmed_at BIGINT,
	last_step    BIGINT NOT NULL DEFAULT 0
);

-- One-time recovery codes, hashed.
CREATE TABLE recovery_codes (
	user_id   BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	code_hash {{bytes}} NOT NULL,
	used_at   BIGINT,
	PRIMARY KEY (user_id, code_hash)
);

-- A login that passed its password and waits for the second factor.
CREATE TABLE login_challenges (
	id_hash    {{bytes}} PRIMARY KEY,
	user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	next       TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL
);
CREATE INDEX login_challenges_user ON login_challenges (user_id);
CREATE INDEX password_resets_user ON password_resets (user_id);
