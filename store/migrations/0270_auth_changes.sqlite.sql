-- A server remembers whom an API token belongs to (store/authcache.go). On
-- SQLite it trusts what it remembers only while this count is the one it
-- read with it: every change to people, their roles or their tokens bumps
-- the count in its own transaction, whichever process made it — this
-- server, another on the same file, a command, the sqlite3 console. A
-- token's last use is not such a change, nor is a new token (a token is
-- only remembered once it was found).
CREATE TABLE auth_changes (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	n  BIGINT NOT NULL
);
INSERT INTO auth_changes (id, n) VALUES (1, 0);

CREATE TRIGGER users_auth_updated AFTER UPDATE ON users
	BEGIN UPDATE auth_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER users_auth_deleted AFTER DELETE ON users
	BEGIN UPDATE auth_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER user_roles_auth_inserted AFTER INSERT ON user_roles
	BEGIN UPDATE auth_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER user_roles_auth_updated AFTER UPDATE ON user_roles
	BEGIN UPDATE auth_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER user_roles_auth_deleted AFTER DELETE ON user_roles
	BEGIN UPDATE auth_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER api_tokens_auth_updated AFTER UPDATE OF user_id, token_hash, expires_at, revoked_at ON api_tokens
	BEGIN UPDATE auth_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER api_tokens_auth_deleted AFTER DELETE ON api_tokens
	BEGIN UPDATE auth_changes SET n = n + 1 WHERE id = 1; END;
