-- 0003-sharing-log.sql: the audit log of sharing calls.
--
-- One row per call of the Delta Sharing API (discovery, table data,
-- file downloads), written by the worker after the answer has gone out.
-- "line" is the record exactly as the JSON audit line says it (see
-- deltashare(8), AUDIT LOG); the other columns copy what the admin API
-- filters by.  Never holds tokens, passwords or signed URLs.  Rows older
-- than audit.retention_days are pruned by the workers as they go.

CREATE TABLE sharing_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL,
    recipient   text,
    share       text,
    schema_name text,
    table_name  text,
    status      int NOT NULL,
    line        json NOT NULL
);
CREATE INDEX sharing_log_at_idx ON sharing_log (at);
CREATE INDEX sharing_log_recipient_idx
    ON sharing_log (ds_name_key(recipient), at);
CREATE INDEX sharing_log_table_idx
    ON sharing_log (ds_name_key(share), ds_name_key(schema_name),
        ds_name_key(table_name), at);
