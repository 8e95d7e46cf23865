-- News items (nieuwsberichten) and user instructions (kennisbank). Times are
-- Unix milliseconds. Functional admins write both; readers see news for
-- their audience between publish and expiry, and published articles.

-- A news item is shown from publish_at until expire_at (NULL: no end) to
-- its audience: everyone, the holders of one role, the people with a role
-- in one area, or both at once (that role in that area).
CREATE TABLE news_items (
	id            {{id}},
	title         TEXT NOT NULL,
	body          TEXT NOT NULL DEFAULT '',
	audience_role TEXT,
	audience_area BIGINT REFERENCES areas (id),
	publish_at    BIGINT NOT NULL,
	expire_at     BIGINT,
	author_id     BIGINT NOT NULL REFERENCES users (id),
	created_at    BIGINT NOT NULL,
	updated_at    BIGINT NOT NULL,
	version       BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX news_items_publish ON news_items (publish_at, id);

CREATE TABLE news_links (
	news_id    BIGINT NOT NULL REFERENCES news_items (id),
	request_id BIGINT NOT NULL REFERENCES requests (id),
	created_by BIGINT REFERENCES users (id),
	created_at BIGINT NOT NULL,
	PRIMARY KEY (news_id, request_id)
);
CREATE INDEX news_links_request ON news_links (request_id);

-- status is 'draft' or 'published'; tags are kept as one space-separated,
-- lower-case text so full-text search covers them.
CREATE TABLE articles (
	id           {{id}},
	title        TEXT NOT NULL,
	body         TEXT NOT NULL DEFAULT '',
	area_id      BIGINT REFERENCES areas (id),
	tags         TEXT NOT NULL DEFAULT '',
	status       TEXT NOT NULL,
	version      BIGINT NOT NULL DEFAULT 1,
	author_id    BIGINT NOT NULL REFERENCES users (id),
	created_at   BIGINT NOT NULL,
	updated_at   BIGINT NOT NULL,
	published_at BIGINT
);
CREATE INDEX articles_status_updated ON articles (status, updated_at, id);
CREATE INDEX articles_updated ON articles (updated_at, id);

-- Every saved version of an article, the first one included. Never updated.
CREATE TABLE article_revisions (
	article_id BIGINT NOT NULL REFERENCES articles (id),
	version    BIGINT NOT NULL,
	title      TEXT NOT NULL,
	body       TEXT NOT NULL,
	status     TEXT NOT NULL,
	editor_id  BIGINT NOT NULL REFERENCES users (id),
	at         BIGINT NOT NULL,
	PRIMARY KEY (article_id, version)
);

-- "Did this help?": one vote per person per article; a later vote replaces it.
CREATE TABLE article_feedback (
	article_id BIGINT NOT NULL REFERENCES articles (id),
	user_id    BIGINT NOT NULL REFERENCES users (id),
	helpful    BOOLEAN NOT NULL,
	at         BIGINT NOT NULL,
	PRIMARY KEY (article_id, user_id)
);

CREATE TABLE article_links (
	article_id BIGINT NOT NULL REFERENCES articles (id),
	request_id BIGINT NOT NULL REFERENCES requests (id),
	created_by BIGINT REFERENCES users (id),
	created_at BIGINT NOT NULL,
	PRIMARY KEY (article_id, request_id)
);
CREATE INDEX article_links_request ON article_links (request_id);
