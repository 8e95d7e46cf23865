-- Incoming e-mail (package mailin). One row per message, keyed by its
-- Message-ID: the row is inserted in the same transaction as the comment or
-- request the message becomes, so a message delivered twice (the mail server
-- retrying, IMAP and the pipe both, two processes) is handled once. outcome
-- is what became of it: comment, attachment, request, ignored_auto or one
-- of the refused_* outcomes; reason is the catalogue key or the loop reason
-- that explains a refusal.
CREATE TABLE mail_in (
	id          {{id}},
	message_id  TEXT NOT NULL UNIQUE,
	sender      TEXT NOT NULL DEFAULT '',
	subject     TEXT NOT NULL DEFAULT '',
	received_at BIGINT NOT NULL,
	outcome     TEXT NOT NULL,
	reason      TEXT NOT NULL DEFAULT '',
	user_id     BIGINT REFERENCES users (id) ON DELETE SET NULL,
	request_id  BIGINT REFERENCES requests (id),
	comment_id  BIGINT REFERENCES comments (id)
);
CREATE INDEX mail_in_received ON mail_in (received_at, id);
CREATE INDEX mail_in_request ON mail_in (request_id) WHERE request_id IS NOT NULL;
