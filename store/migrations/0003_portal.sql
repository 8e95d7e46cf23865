-- Sign-in for the portal: server-side sessions, login throttling, password
-- reset links, single sign-on identities and saved queue views.

-- Only the SHA-256 of a session id is stored.
CREATE TABLE sessions (
	id_hash    {{bytes}} PRIMARY KEY,
	user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	csrf       TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	seen_at    BIGINT NOT NULL,
	expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Failed logins per key ("email" or "ip|email") within a window.
CREATE TABLE login_failures (
	key          TEXT PRIMARY KEY,
	failures     INTEGER NOT NULL,
	first_at     BIGINT NOT NULL,
	blocked_until BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE password_resets (
	token_hash {{bytes}} PRIMARY KEY,
	user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	used_at    BIGINT
);

-- Single sign-on identities, linked by (issuer, subject), never by e-mail.
CREATE TABLE identities (
	issuer     TEXT NOT NULL,
	subject    TEXT NOT NULL,
	user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at BIGINT NOT NULL,
	PRIMARY KEY (issuer, subject)
);

CREATE TABLE saved_views (
	id         {{id}},
	user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name       TEXT NOT NULL,
	query      TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	UNIQUE (user_id, name)
);
