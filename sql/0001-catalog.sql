-- 0001-catalog.sql: the deltashare catalog.
--
-- Admin accounts and their login throttle; recipients; bearer tokens
-- (the row id is the JWT "jti", so revocation is a row update); shares,
-- their schemas and the tables shared in them; registered Delta tables;
-- grants of shares to recipients; and the audit trail of admin changes.
--
-- Names compare case-insensitively in ASCII only: name_key holds the
-- ASCII-lowercased name and carries the uniqueness constraints, so that
-- Unicode case folding (dotless i, long s) can never make two names equal
-- or one name ambiguous.  Every table has an identity "id" that gives a
-- stable creation order for listings and keyset paging; objects that
-- clients see also have a random "uuid".

CREATE FUNCTION ds_name_key(text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT translate($1, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
                               'abcdefghijklmnopqrstuvwxyz') $$;

-- Timestamps as ISO-8601 UTC with milliseconds, as the API shows them.
CREATE FUNCTION ds_ts(timestamptz) RETURNS text
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
    AS $$ SELECT to_char($1 AT TIME ZONE 'UTC',
                         'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') $$;

CREATE TABLE account (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name                text NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
    name_key            text GENERATED ALWAYS AS (ds_name_key(name)) STORED,
    password_hash       text NOT NULL,
    created_at          timestamptz NOT NULL DEFAULT now(),
    password_changed_at timestamptz NOT NULL DEFAULT now(),
    last_login_at       timestamptz,
    CONSTRAINT account_name_unique UNIQUE (name_key)
);

-- Failed logins per account name (existing or not, so lockout does not
-- reveal which accounts exist).  Shared by all workers.
CREATE TABLE login_throttle (
    name_key            text PRIMARY KEY,
    failures            integer NOT NULL,
    first_failure_at    timestamptz NOT NULL,
    locked_until        timestamptz
);

CREATE TABLE recipient (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    uuid        uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
    name_key    text GENERATED ALWAYS AS (ds_name_key(name)) STORED,
    comment     text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT recipient_name_unique UNIQUE (name_key)
);

CREATE TABLE token (
    id            uuid PRIMARY KEY,
    kind          text NOT NULL CHECK (kind IN ('admin', 'recipient')),
    account_id    bigint REFERENCES account (id) ON DELETE CASCADE,
    recipient_id  bigint REFERENCES recipient (id) ON DELETE CASCADE,
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    revoked_at    timestamptz,
    CHECK ((kind = 'admin') = (account_id IS NOT NULL)),
    CHECK ((kind = 'recipient') = (recipient_id IS NOT NULL))
);
CREATE INDEX token_recipient_idx ON token (recipient_id);
CREATE INDEX token_account_idx ON token (account_id);

CREATE TABLE share (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    uuid        uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
    name_key    text GENERATED ALWAYS AS (ds_name_key(name)) STORED,
    comment     text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT share_name_unique UNIQUE (name_key)
);

CREATE TABLE share_schema (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    share_id    bigint NOT NULL REFERENCES share (id) ON DELETE CASCADE,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
    name_key    text GENERATED ALWAYS AS (ds_name_key(name)) STORED,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT share_schema_name_unique UNIQUE (share_id, name_key)
);

-- A Delta table registered by an admin: where it is and how much of its
-- history recipients may read.
CREATE TABLE delta_table (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    uuid            uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
    name_key        text GENERATED ALWAYS AS (ds_name_key(name)) STORED,
    location        text NOT NULL,
    history_shared  boolean NOT NULL DEFAULT false,
    start_version   bigint NOT NULL DEFAULT 0 CHECK (start_version >= 0),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT delta_table_name_unique UNIQUE (name_key)
);

-- A table as shared in a schema, under its own name or an alias.
CREATE TABLE share_table (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    schema_id   bigint NOT NULL REFERENCES share_schema (id) ON DELETE CASCADE,
    table_id    bigint NOT NULL REFERENCES delta_table (id) ON DELETE RESTRICT,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
    name_key    text GENERATED ALWAYS AS (ds_name_key(name)) STORED,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT share_table_name_unique UNIQUE (schema_id, name_key)
);
CREATE INDEX share_table_table_idx ON share_table (table_id);

CREATE TABLE share_grant (
    share_id      bigint NOT NULL REFERENCES share (id) ON DELETE CASCADE,
    recipient_id  bigint NOT NULL REFERENCES recipient (id) ON DELETE CASCADE,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (share_id, recipient_id)
);
CREATE INDEX share_grant_recipient_idx ON share_grant (recipient_id, share_id);

-- Every admin change: who, when, what, and the object before and after.
CREATE TABLE audit (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at           timestamptz NOT NULL DEFAULT now(),
    actor        text NOT NULL,
    action       text NOT NULL,
    object_type  text NOT NULL,
    object_name  text NOT NULL,
    before       jsonb,
    after        jsonb
);
CREATE INDEX audit_at_idx ON audit (at);
CREATE INDEX audit_object_idx ON audit (object_type, object_name);
