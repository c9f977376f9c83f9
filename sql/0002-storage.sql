-- 0002-storage.sql: how tables reach their files in object stores.
--
-- Named storage credentials, managed by the admin API, so that tables in
-- different accounts or buckets sign with different keys.  "settings"
-- holds what may be shown (region, endpoint, access key id, account
-- name); "secret" holds the secret fields, sealed with a key derived
-- from server.secret_file (AES-256-GCM), and never leaves the server.
-- A table may name one credential, and may be switched to proxy mode:
-- its files then go through deltashare's own signed URLs instead of
-- presigned store URLs.

CREATE TABLE credential (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    uuid        uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
    name_key    text GENERATED ALWAYS AS (ds_name_key(name)) STORED,
    kind        text NOT NULL CHECK (kind IN ('s3', 'gcs', 'azure')),
    settings    jsonb NOT NULL DEFAULT '{}',
    secret      text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT credential_name_unique UNIQUE (name_key)
);

ALTER TABLE delta_table
    ADD COLUMN credential_id bigint REFERENCES credential (id)
        ON DELETE RESTRICT,
    ADD COLUMN file_access text NOT NULL DEFAULT 'presigned'
        CHECK (file_access IN ('presigned', 'proxy'));
CREATE INDEX delta_table_credential_idx ON delta_table (credential_id);
