-- A server remembers the areas, processes and request types while it hears
-- of every change to them (store/orgcache.go): a transaction that changes
-- them notifies channel beheer_org when it commits, whichever process made
-- it.
CREATE FUNCTION beheer_org_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('beheer_org', '');
	RETURN NULL;
END
$$;

CREATE TRIGGER areas_org_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON areas
	FOR EACH STATEMENT EXECUTE FUNCTION beheer_org_changed();
CREATE TRIGGER processes_org_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON processes
	FOR EACH STATEMENT EXECUTE FUNCTION beheer_org_changed();
CREATE TRIGGER request_types_org_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON request_types
	FOR EACH STATEMENT EXECUTE FUNCTION beheer_org_changed();
CREATE TRIGGER priority_labels_org_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON priority_labels
	FOR EACH STATEMENT EXECUTE FUNCTION beheer_org_changed();
CREATE TRIGGER org_changes_org_changed AFTER UPDATE ON org_changes
	FOR EACH STATEMENT EXECUTE FUNCTION beheer_org_changed();
