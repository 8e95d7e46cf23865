-- A token's last use is written at most once a minute; that write must not
-- make every server forget every cached token (migration 0061). Only the
-- columns that decide whether a token opens the API notify.
DROP TRIGGER api_tokens_auth_changed ON api_tokens;
CREATE TRIGGER api_tokens_auth_changed AFTER INSERT OR DELETE OR TRUNCATE ON api_tokens
	FOR EACH STATEMENT EXECUTE FUNCTION beheer_auth_changed();
CREATE TRIGGER api_tokens_auth_updated AFTER UPDATE OF user_id, token_hash, expires_at, revoked_at ON api_tokens
	FOR EACH STATEMENT EXECUTE FUNCTION beheer_auth_changed();
