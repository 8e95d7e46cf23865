-- Who decides a change request: an area's own approval rule (one of its
-- deciders, all of them, or N of them), each decider's vote, deputies
-- standing in for a period, and the single-use links in the decision
-- e-mail. Without a rule the key users decide, else the process owner, else
-- a functional admin of all areas (beheer.NewPanel).

CREATE TABLE approval_rules (
	area_id    BIGINT PRIMARY KEY REFERENCES areas (id),
	mode       TEXT NOT NULL,
	required   INTEGER NOT NULL DEFAULT 0,
	version    BIGINT NOT NULL DEFAULT 1,
	updated_at BIGINT NOT NULL
);

CREATE TABLE approval_rule_deciders (
	area_id BIGINT NOT NULL REFERENCES approval_rules (area_id) ON DELETE CASCADE,
	user_id BIGINT NOT NULL REFERENCES users (id),
	PRIMARY KEY (area_id, user_id)
);

-- One vote per decider per request; by_id is who cast it (the deputy when
-- it differs from for_id).
CREATE TABLE decision_votes (
	id         {{id}},
	request_id BIGINT NOT NULL REFERENCES requests (id),
	for_id     BIGINT NOT NULL REFERENCES users (id),
	by_id      BIGINT NOT NULL REFERENCES users (id),
	outcome    TEXT NOT NULL,
	motivation TEXT NOT NULL,
	voted_at   BIGINT NOT NULL,
	UNIQUE (request_id, for_id)
);

-- The decider a deputy decided for.
ALTER TABLE decisions ADD COLUMN on_behalf_of BIGINT REFERENCES users (id);

-- A person's deputy for a period of ISO days, both inclusive.
CREATE TABLE deputies (
	user_id    BIGINT PRIMARY KEY REFERENCES users (id),
	deputy_id  BIGINT NOT NULL REFERENCES users (id),
	starts_on  TEXT NOT NULL,
	ends_on    TEXT NOT NULL,
	version    BIGINT NOT NULL DEFAULT 1,
	updated_at BIGINT NOT NULL
);
CREATE INDEX deputies_deputy ON deputies (deputy_id);

-- Links in the decision e-mail: stored as the SHA-256 of the token, for one
-- person and one request, usable once until expires_at.
CREATE TABLE decision_links (
	token_hash {{bytes}} PRIMARY KEY,
	request_id BIGINT NOT NULL REFERENCES requests (id),
	user_id    BIGINT NOT NULL REFERENCES users (id),
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	used_at    BIGINT
);
