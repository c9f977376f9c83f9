-- 0004-catalog-notify.sql: tell the workers when the catalog changes.
--
-- Each worker may keep what it read of the catalog (tokens, recipients,
-- shares, their schemas and tables, grants, registered tables and their
-- credentials) in memory.  Any statement that changes one of these
-- tables, from deltashare on any host or from psql, notifies the channel
-- "deltashare_catalog" when its transaction commits (PostgreSQL folds
-- the notifications of one transaction into one), and every worker
-- listening drops what it kept before its next catalog read.  Audit
-- rows and login throttling are not catalog: they notify nothing.  Every
-- migration notifies the channel too ("deltashare migrate").

CREATE FUNCTION ds_catalog_changed() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    PERFORM pg_notify('deltashare_catalog', '');
    RETURN NULL;
END
$$;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['token', 'recipient', 'share', 'share_schema',
                             'share_table', 'share_grant', 'delta_table',
                             'credential'] LOOP
        EXECUTE format('CREATE TRIGGER catalog_changed '
                       'AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I '
                       'FOR EACH STATEMENT '
                       'EXECUTE FUNCTION ds_catalog_changed()', t);
    END LOOP;
END
$$;

-- Only an account's name is read with its tokens (not its password or
-- last login).
CREATE TRIGGER catalog_changed
    AFTER INSERT OR UPDATE OF name OR DELETE OR TRUNCATE ON account
    FOR EACH STATEMENT EXECUTE FUNCTION ds_catalog_changed();
