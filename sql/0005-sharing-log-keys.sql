-- 0005-sharing-log-keys.sql: cheaper rows in the audit log of sharing
-- calls.
--
-- The name columns of sharing_log serve only the admin API's filters
-- (a record is its "line"): they now hold the names' keys, ASCII
-- lowercased by the worker as it writes (what ds_name_key gives), so
-- their indexes are plain columns instead of three function calls per
-- row, and end in id, the order the listing reads in.  That takes about
-- a quarter off what PostgreSQL spends on each audit row.  The time
-- index stays a btree: the workers' frequent prunes (audit.c) must find
-- "nothing older than the retention" without reading the table, which a
-- BRIN index cannot promise for the pages it has not summarized yet.

UPDATE sharing_log SET recipient = ds_name_key(recipient),
    share = ds_name_key(share), schema_name = ds_name_key(schema_name),
    table_name = ds_name_key(table_name)
    WHERE recipient <> ds_name_key(recipient) OR
        share <> ds_name_key(share) OR
        schema_name <> ds_name_key(schema_name) OR
        table_name <> ds_name_key(table_name);
DROP INDEX sharing_log_recipient_idx;
DROP INDEX sharing_log_table_idx;
CREATE INDEX sharing_log_recipient_idx ON sharing_log (recipient, id);
CREATE INDEX sharing_log_table_idx
    ON sharing_log (share, schema_name, table_name, id);
