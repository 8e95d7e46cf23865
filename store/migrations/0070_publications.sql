-- News items and knowledge-base articles become one table of publications,
-- told apart by kind ('news' or 'article'). Each kind keeps its own
-- numbering, so /news/12 and /kb/12 stay two different publications and
-- every link, audit row and release announcement that names one keeps
-- pointing where it did. Times are Unix milliseconds.

-- status is 'draft' or 'published' (news is always published: its dates
-- decide). area_id is an article's subject or a news item's audience area;
-- audience_role is a news item's audience role. publish_at is when a news
-- item is shown from, or an article's first publication (NULL: never);
-- expire_at is when a news item stops being shown (NULL: never). Tags are
-- one space-separated, lower-case text so full-text search covers them.
CREATE TABLE publications (
	kind          TEXT NOT NULL,
	id            BIGINT NOT NULL,
	title         TEXT NOT NULL,
	body          TEXT NOT NULL DEFAULT '',
	status        TEXT NOT NULL,
	area_id       BIGINT REFERENCES areas (id),
	audience_role TEXT,
	tags          TEXT NOT NULL DEFAULT '',
	publish_at    BIGINT,
	expire_at     BIGINT,
	author_id     BIGINT NOT NULL REFERENCES users (id),
	created_at    BIGINT NOT NULL,
	updated_at    BIGINT NOT NULL,
	version       BIGINT NOT NULL DEFAULT 1,
	PRIMARY KEY (kind, id)
);
CREATE INDEX publications_publish ON publications (kind, publish_at, id);
CREATE INDEX publications_updated ON publications (kind, updated_at, id);
CREATE INDEX publications_status_updated ON publications (kind, status, updated_at, id);

-- The last number given out per kind; a new publication takes the next.
CREATE TABLE publication_numbers (
	kind TEXT PRIMARY KEY,
	last BIGINT NOT NULL
);

CREATE TABLE publication_links (
	kind           TEXT NOT NULL,
	publication_id BIGINT NOT NULL,
	request_id     BIGINT NOT NULL REFERENCES requests (id),
	created_by     BIGINT REFERENCES users (id),
	created_at     BIGINT NOT NULL,
	PRIMARY KEY (kind, publication_id, request_id),
	FOREIGN KEY (kind, publication_id) REFERENCES publications (kind, id)
);
CREATE INDEX publication_links_request ON publication_links (request_id);

-- Every saved version of a publication whose kind keeps them, the first
-- one included. Never updated.
CREATE TABLE publication_revisions (
	kind           TEXT NOT NULL,
	publication_id BIGINT NOT NULL,
	version        BIGINT NOT NULL,
	title          TEXT NOT NULL,
	body           TEXT NOT NULL,
	status         TEXT NOT NULL,
	editor_id      BIGINT NOT NULL REFERENCES users (id),
	at             BIGINT NOT NULL,
	PRIMARY KEY (kind, publication_id, version),
	FOREIGN KEY (kind, publication_id) REFERENCES publications (kind, id)
);

-- "Did this help?": one vote per person per publication; a later vote
-- replaces it.
CREATE TABLE publication_feedback (
	kind           TEXT NOT NULL,
	publication_id BIGINT NOT NULL,
	user_id        BIGINT NOT NULL REFERENCES users (id),
	helpful        BOOLEAN NOT NULL,
	at             BIGINT NOT NULL,
	PRIMARY KEY (kind, publication_id, user_id),
	FOREIGN KEY (kind, publication_id) REFERENCES publications (kind, id)
);

INSERT INTO publications (kind, id, title, body, status, area_id, audience_role, tags, publish_at, expire_at,
	author_id, created_at, updated_at, version)
SELECT 'news', id, title, body, 'published', audience_area, audience_role, '', publish_at, expire_at,
	author_id, created_at, updated_at, version FROM news_items;
INSERT INTO publications (kind, id, title, body, status, area_id, audience_role, tags, publish_at, expire_at,
	author_id, created_at, updated_at, version)
SELECT 'article', id, title, body, status, area_id, NULL, tags, published_at, NULL,
	author_id, created_at, updated_at, version FROM articles;

INSERT INTO publication_numbers (kind, last) SELECT 'news', COALESCE(MAX(id), 0) FROM news_items;
INSERT INTO publication_numbers (kind, last) SELECT 'article', COALESCE(MAX(id), 0) FROM articles;

INSERT INTO publication_links (kind, publication_id, request_id, created_by, created_at)
SELECT 'news', news_id, request_id, created_by, created_at FROM news_links;
INSERT INTO publication_links (kind, publication_id, request_id, created_by, created_at)
SELECT 'article', article_id, request_id, created_by, created_at FROM article_links;
INSERT INTO publication_revisions (kind, publication_id, version, title, body, status, editor_id, at)
SELECT 'article', article_id, version, title, body, status, editor_id, at FROM article_revisions;
INSERT INTO publication_feedback (kind, publication_id, user_id, helpful, at)
SELECT 'article', article_id, user_id, helpful, at FROM article_feedback;

DROP TABLE news_links;
DROP TABLE news_items;
DROP TABLE article_links;
DROP TABLE article_revisions;
DROP TABLE article_feedback;
DROP TABLE articles;
