-- A server remembers whom an API token belongs to while it hears of every
-- change that could make that wrong (store/authcache.go): a transaction that
-- changes people, their roles or their tokens notifies channel beheer_auth
-- when it commits, whichever process made it.
CREATE FUNCTION beheer_auth_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('beheer_auth', '');
	RETURN NULL;
END
$$;

CREATE TRIGGER users_auth_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON users
	FOR EACH STATEMENT EXECUTE FUNCTION beheer_auth_changed();
CREATE TRIGGER user_roles_auth_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON user_roles
	FOR EACH STATEMENT EXECUTE FUNCTION beheer_auth_changed();
CREATE TRIGGER api_tokens_auth_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON api_tokens
	FOR EACH STATEMENT EXECUTE FUNCTION beheer_auth_changed();
