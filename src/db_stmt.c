/*
 * db_stmt.c: every SQL statement deltashare runs, by enum db_stmt.
 *
 * Parameters arrive as text and are cast here.  Statements that feed the
 * admin API return the object as a json column built by PostgreSQL, in
 * the shape the API documents (etc/openapi.yaml), so the C side passes
 * it through.  Keyset paging: admin list statements take the position
 * ($1) and the row limit ($2) first, then their scope or filters, and
 * return the row id first.
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>

#include "db_stmt.h"

/* JSON shapes, shared between statements. */
#define TOKEN_JSON(t)							\
	"json_strip_nulls(json_build_object('id', " t ".id, "		\
	"'createdAt', ds_ts(" t ".created_at), "			\
	"'expiresAt', ds_ts(" t ".expires_at), "			\
	"'revokedAt', ds_ts(" t ".revoked_at), "			\
	"'active', " t ".revoked_at IS NULL AND " t ".expires_at > now()))"

#define ACCOUNT_JSON(a)							\
	"json_strip_nulls(json_build_object('name', " a ".name, "	\
	"'createdAt', ds_ts(" a ".created_at), "			\
	"'passwordChangedAt', ds_ts(" a ".password_changed_at), "	\
	"'lastLoginAt', ds_ts(" a ".last_login_at)))"

#define SHARE_FIELDS(s)							\
	"'id', " s ".uuid, 'name', " s ".name, "			\
	"'comment', nullif(" s ".comment, ''), "			\
	"'createdAt', ds_ts(" s ".created_at), "			\
	"'updatedAt', ds_ts(" s ".updated_at)"

#define SHARE_JSON(s)							\
	"json_strip_nulls(json_build_object(" SHARE_FIELDS(s) "))"

#define MEMBERS_OF(sc)							\
	"coalesce((SELECT json_agg(json_build_object('name', st.name, "	\
	"'table', t.name) ORDER BY st.id) FROM share_table st "		\
	"JOIN delta_table t ON t.id = st.table_id "			\
	"WHERE st.schema_id = " sc ".id), '[]')"

#define SHARE_DETAIL(s)							\
	"json_strip_nulls(json_build_object(" SHARE_FIELDS(s) ", "	\
	"'schemas', coalesce((SELECT json_agg(json_build_object("	\
	"'name', sc.name, 'tables', " MEMBERS_OF("sc") ") "		\
	"ORDER BY sc.id) FROM share_schema sc "				\
	"WHERE sc.share_id = " s ".id), '[]'), "			\
	"'recipients', coalesce((SELECT json_agg(r.name ORDER BY r.id) "\
	"FROM share_grant g JOIN recipient r ON r.id = g.recipient_id "	\
	"WHERE g.share_id = " s ".id), '[]')))"

#define SCHEMA_JSON(sc)							\
	"json_build_object('share', (SELECT s.name FROM share s "	\
	"WHERE s.id = " sc ".share_id), 'name', " sc ".name, "		\
	"'createdAt', ds_ts(" sc ".created_at), "			\
	"'tables', " MEMBERS_OF(sc) ")"

#define MEMBER_JSON(st)							\
	"json_build_object('share', (SELECT s.name FROM share s "	\
	"JOIN share_schema sc ON sc.share_id = s.id "			\
	"WHERE sc.id = " st ".schema_id), "				\
	"'schema', (SELECT sc.name FROM share_schema sc "		\
	"WHERE sc.id = " st ".schema_id), 'name', " st ".name, "	\
	"'table', (SELECT t.name FROM delta_table t "			\
	"WHERE t.id = " st ".table_id), "				\
	"'createdAt', ds_ts(" st ".created_at))"

#define GRANT_JSON(g)							\
	"json_build_object('share', (SELECT s.name FROM share s "	\
	"WHERE s.id = " g ".share_id), 'recipient', (SELECT r.name "	\
	"FROM recipient r WHERE r.id = " g ".recipient_id), "		\
	"'createdAt', ds_ts(" g ".created_at))"

#define TABLE_FIELDS(t)							\
	"'id', " t ".uuid, 'name', " t ".name, "			\
	"'location', " t ".location, "					\
	"'credential', (SELECT c.name FROM credential c "		\
	"WHERE c.id = " t ".credential_id), "				\
	"'fileAccess', " t ".file_access, "				\
	"'historyShared', " t ".history_shared, "			\
	"'startVersion', " t ".start_version, "				\
	"'createdAt', ds_ts(" t ".created_at), "			\
	"'updatedAt', ds_ts(" t ".updated_at)"

#define TABLE_JSON(t)	"json_build_object(" TABLE_FIELDS(t) ")"

/* A credential as the admin API shows it: never a secret. */
#define CRED_JSON(c)							\
	"(jsonb_build_object('id', " c ".uuid, 'name', " c ".name, "	\
	"'type', " c ".kind, 'createdAt', ds_ts(" c ".created_at), "	\
	"'updatedAt', ds_ts(" c ".updated_at)) || " c ".settings)"
#define CRED_DETAIL(c)							\
	"(" CRED_JSON(c) " || jsonb_build_object('tables', "		\
	"coalesce((SELECT jsonb_agg(t.name ORDER BY t.id) "		\
	"FROM delta_table t WHERE t.credential_id = " c ".id), '[]')))"

#define TABLE_DETAIL(t)							\
	"json_build_object(" TABLE_FIELDS(t) ", 'sharedAs', "		\
	"coalesce((SELECT json_agg(json_build_object('share', s.name, "	\
	"'schema', sc.name, 'name', st.name) ORDER BY st.id) "		\
	"FROM share_table st JOIN share_schema sc ON sc.id = st.schema_id "\
	"JOIN share s ON s.id = sc.share_id "				\
	"WHERE st.table_id = " t ".id), '[]'))"

#define RECIPIENT_FIELDS(r)						\
	"'id', " r ".uuid, 'name', " r ".name, "			\
	"'comment', nullif(" r ".comment, ''), "			\
	"'createdAt', ds_ts(" r ".created_at), "			\
	"'updatedAt', ds_ts(" r ".updated_at)"

#define RECIPIENT_JSON(r)						\
	"json_strip_nulls(json_build_object(" RECIPIENT_FIELDS(r) "))"

#define RECIPIENT_DETAIL(r)						\
	"json_strip_nulls(json_build_object(" RECIPIENT_FIELDS(r) ", "	\
	"'shares', coalesce((SELECT json_agg(s.name ORDER BY s.id) "	\
	"FROM share_grant g JOIN share s ON s.id = g.share_id "		\
	"WHERE g.recipient_id = " r ".id), '[]'), "			\
	"'activeTokens', (SELECT count(*) FROM token t "		\
	"WHERE t.recipient_id = " r ".id AND t.revoked_at IS NULL "	\
	"AND t.expires_at > now())))"

#define BY_NAME	"name_key = ds_name_key($1)"

/*
 * The bearer token's row (jti in parameter p) as tk, and its columns as
 * auth_settle() reads them, first in every statement that checks a
 * token: the recipient's catalog reads carry the check with them, so a
 * sharing call costs one round trip, and a token revoked a moment ago
 * is refused by the very statement that would have listed its shares.
 */
#define TOKEN_ROW(p)							\
	"(SELECT t.kind, coalesce(t.account_id, t.recipient_id) AS pid, "\
	"coalesce(a.name, r.name) AS pname, "				\
	"t.revoked_at IS NOT NULL AS revoked, t.expires_at FROM token t "\
	"LEFT JOIN account a ON a.id = t.account_id "			\
	"LEFT JOIN recipient r ON r.id = t.recipient_id "		\
	"WHERE t.id = " p "::uuid) tk"
/*
 * The expiry as Unix time (rounded up), compared with the clock by
 * auth_settle(): so these reads give the same rows at any time until
 * the catalog changes, and the catalog cache (db_cache.h) may keep them.
 */
#define TOKEN_COLS	"tk.kind, tk.pid, tk.pname, tk.revoked, "	\
	"ceil(extract(epoch FROM tk.expires_at))::bigint"
/* The same for the recipients' reads: an admin token has no name. */
#define RCP_TOKEN_ROW(p)						\
	"(SELECT t.kind, t.recipient_id AS pid, r.name AS pname, "	\
	"t.revoked_at IS NOT NULL AS revoked, t.expires_at FROM token t "\
	"LEFT JOIN recipient r ON r.id = t.recipient_id "		\
	"WHERE t.id = " p "::uuid) tk"
#define LIVE_RECIPIENT							\
	"tk.kind = 'recipient' AND NOT tk.revoked "			\
	"AND tk.expires_at > now()"

/* The share named by parameter p, if granted to tk's recipient, as s. */
#define GRANTED_SHARE(p)						\
	" LEFT JOIN LATERAL (SELECT s.id, s.uuid, s.name, s.comment "	\
	"FROM share s JOIN share_grant g ON g.share_id = s.id "		\
	"WHERE " LIVE_RECIPIENT " AND g.recipient_id = tk.pid "		\
	"AND s.name_key = ds_name_key(" p ")) s ON true"
#define SHARE_COLS	"s.id, s.uuid, s.name, s.comment"

static const struct {
	const char	*name;
	int		 nparams;
	const char	*sql;
} stmts[DB_STMT__MAX] = {
	[STMT_TOKEN_LOOKUP] = { "token_lookup", 1,
	    "SELECT " TOKEN_COLS " FROM " TOKEN_ROW("$1") },
	[STMT_TOKEN_INSERT_ADMIN] = { "token_insert_admin", 3,
	    "INSERT INTO token (id, kind, account_id, expires_at) "
	    "VALUES ($1::uuid, 'admin', $2::bigint, to_timestamp($3::bigint))" },
	[STMT_TOKEN_INSERT_RECIPIENT] = { "token_insert_recipient", 3,
	    "INSERT INTO token AS t (id, kind, recipient_id, expires_at) "
	    "VALUES ($1::uuid, 'recipient', $2::bigint, "
	    "to_timestamp($3::bigint)) RETURNING t.id, " TOKEN_JSON("t") },
	[STMT_TOKEN_LIST] = { "token_list", 1,
	    "SELECT t.created_at, " TOKEN_JSON("t") " FROM token t "
	    "WHERE t.recipient_id = $1::bigint ORDER BY t.created_at, t.id" },
	[STMT_TOKEN_REVOKE] = { "token_revoke", 2,
	    "UPDATE token t SET revoked_at = coalesce(t.revoked_at, now()) "
	    "WHERE t.recipient_id = $1::bigint AND t.id = $2::uuid "
	    "RETURNING t.id, " TOKEN_JSON("t") },
	[STMT_TOKEN_REVOKE_ID] = { "token_revoke_id", 1,
	    "UPDATE token SET revoked_at = coalesce(revoked_at, now()) "
	    "WHERE id = $1::uuid" },

	[STMT_TOKEN_REVOKE_ACCOUNT] = { "token_revoke_account", 2,
	    "UPDATE token t SET revoked_at = now() FROM account a "
	    "WHERE t.account_id = a.id AND a.name_key = ds_name_key($1) "
	    "AND t.revoked_at IS NULL "
	    "AND ($2::uuid IS NULL OR t.id <> $2::uuid)" },

	[STMT_CAT_SHARES] = { "cat_shares", 3,
	    "SELECT " TOKEN_COLS ", s.id, s.uuid, s.name, s.comment FROM "
	    RCP_TOKEN_ROW("$1") " LEFT JOIN LATERAL (SELECT s.id, s.uuid, s.name, "
	    "s.comment FROM share s JOIN share_grant g ON g.share_id = s.id "
	    "WHERE " LIVE_RECIPIENT " AND g.recipient_id = tk.pid "
	    "AND s.id > $2::bigint ORDER BY s.id LIMIT $3::int) s ON true "
	    "ORDER BY s.id" },
	[STMT_CAT_SHARE] = { "cat_share", 2,
	    "SELECT " TOKEN_COLS ", " SHARE_COLS " FROM " RCP_TOKEN_ROW("$1")
	    GRANTED_SHARE("$2") },
	[STMT_CAT_SCHEMAS] = { "cat_schemas", 4,
	    "SELECT " TOKEN_COLS ", " SHARE_COLS ", sc.id, sc.name FROM "
	    RCP_TOKEN_ROW("$1") GRANTED_SHARE("$2") " LEFT JOIN LATERAL (SELECT "
	    "id, name FROM share_schema WHERE share_id = s.id "
	    "AND id > $3::bigint ORDER BY id LIMIT $4::int) sc ON true "
	    "ORDER BY sc.id" },
	[STMT_CAT_TABLES] = { "cat_tables", 5,
	    "SELECT " TOKEN_COLS ", " SHARE_COLS ", sc.id, sc.name, st.id, "
	    "st.name, st.uuid FROM " RCP_TOKEN_ROW("$1") GRANTED_SHARE("$2")
	    " LEFT JOIN LATERAL (SELECT id, name FROM share_schema "
	    "WHERE share_id = s.id AND name_key = ds_name_key($3)) sc ON true "
	    "LEFT JOIN LATERAL (SELECT st.id, st.name, t.uuid "
	    "FROM share_table st JOIN delta_table t ON t.id = st.table_id "
	    "WHERE st.schema_id = sc.id AND st.id > $4::bigint "
	    "ORDER BY st.id LIMIT $5::int) st ON true ORDER BY st.id" },
	[STMT_CAT_ALL_TABLES] = { "cat_all_tables", 5,
	    "SELECT " TOKEN_COLS ", " SHARE_COLS ", x.id, x.name, x.uuid, "
	    "x.schema_id, x.schema_name FROM " RCP_TOKEN_ROW("$1")
	    GRANTED_SHARE("$2") " LEFT JOIN LATERAL (SELECT st.id, st.name, "
	    "t.uuid, sc.id AS schema_id, sc.name AS schema_name "
	    "FROM share_schema sc JOIN share_table st ON st.schema_id = sc.id "
	    "JOIN delta_table t ON t.id = st.table_id "
	    "WHERE sc.share_id = s.id "
	    "AND (sc.id, st.id) > ($3::bigint, $4::bigint) "
	    "ORDER BY sc.id, st.id LIMIT $5::int) x ON true "
	    "ORDER BY x.schema_id, x.id" },
	[STMT_CAT_DATA_TABLE] = { "cat_data_table", 4,
	    "SELECT " TOKEN_COLS ", d.* FROM " RCP_TOKEN_ROW("$1")
	    " LEFT JOIN LATERAL (SELECT st.id AS member_id, t.id AS table_id, "
	    "s.name AS share_name, sc.name AS schema_name, "
	    "st.name AS table_name, t.uuid, t.location, t.history_shared, "
	    "t.start_version, t.file_access, c.name AS cred_name, c.kind, "
	    "c.settings, c.secret FROM share s "
	    "JOIN share_grant g ON g.share_id = s.id "
	    "JOIN share_schema sc ON sc.share_id = s.id "
	    "JOIN share_table st ON st.schema_id = sc.id "
	    "JOIN delta_table t ON t.id = st.table_id "
	    "LEFT JOIN credential c ON c.id = t.credential_id "
	    "WHERE " LIVE_RECIPIENT " AND g.recipient_id = tk.pid "
	    "AND s.name_key = ds_name_key($2) AND sc.name_key = ds_name_key($3) "
	    "AND st.name_key = ds_name_key($4)) d ON true" },
	[STMT_CAT_TABLE_LOCATION] = { "cat_table_location", 1,
	    "SELECT t.location, c.name, c.kind, c.settings, c.secret "
	    "FROM delta_table t LEFT JOIN credential c ON c.id = "
	    "t.credential_id WHERE t.id = $1::bigint" },

	[STMT_ACCOUNT_LIST] = { "account_list", 2,
	    "SELECT a.id, " ACCOUNT_JSON("a") " FROM account a "
	    "WHERE a.id > $1::bigint ORDER BY a.id LIMIT $2::int" },
	[STMT_ACCOUNT_GET] = { "account_get", 1,
	    "SELECT a.id, " ACCOUNT_JSON("a") ", a.name FROM account a WHERE "
	    BY_NAME },
	[STMT_ACCOUNT_INSERT] = { "account_insert", 2,
	    "INSERT INTO account AS a (name, password_hash) VALUES ($1, $2) "
	    "RETURNING a.id, " ACCOUNT_JSON("a") },
	[STMT_ACCOUNT_SET_PASSWORD] = { "account_set_password", 2,
	    "UPDATE account a SET password_hash = $2, "
	    "password_changed_at = now() WHERE " BY_NAME
	    " RETURNING a.id, " ACCOUNT_JSON("a") },
	[STMT_ACCOUNT_DELETE] = { "account_delete", 1,
	    "DELETE FROM account a WHERE " BY_NAME
	    " RETURNING a.id, " ACCOUNT_JSON("a") },
	[STMT_ACCOUNT_LOCK] = { "account_lock", 0,
	    "SELECT pg_advisory_xact_lock(4471001)" },
	[STMT_ACCOUNT_COUNT] = { "account_count", 0,
	    "SELECT count(*) FROM account" },
	[STMT_ACCOUNT_AUTH] = { "account_auth", 1,
	    "SELECT id, name, password_hash FROM account WHERE " BY_NAME },
	[STMT_ACCOUNT_LOGGED_IN] = { "account_logged_in", 2,
	    "UPDATE account SET last_login_at = now(), "
	    "password_hash = coalesce($2, password_hash) "
	    "WHERE id = $1::bigint" },
	[STMT_THROTTLE_CHECK] = { "throttle_check", 1,
	    "SELECT greatest(1, ceil(extract(epoch FROM locked_until - now())))"
	    "::int FROM login_throttle WHERE " BY_NAME
	    " AND locked_until > now()" },
	[STMT_THROTTLE_FAIL] = { "throttle_fail", 3,
	    "INSERT INTO login_throttle AS l "
	    "(name_key, failures, first_failure_at, locked_until) "
	    "VALUES (ds_name_key($1), 1, now(), CASE WHEN 1 >= $2::int "
	    "THEN now() + make_interval(secs => $3::int) END) "
	    "ON CONFLICT (name_key) DO UPDATE SET "
	    "failures = CASE WHEN l.first_failure_at < now() - "
	    "make_interval(secs => $3::int) THEN 1 ELSE l.failures + 1 END, "
	    "first_failure_at = CASE WHEN l.first_failure_at < now() - "
	    "make_interval(secs => $3::int) THEN now() "
	    "ELSE l.first_failure_at END, "
	    "locked_until = CASE WHEN (CASE WHEN l.first_failure_at < now() - "
	    "make_interval(secs => $3::int) THEN 1 ELSE l.failures + 1 END) "
	    ">= $2::int THEN now() + make_interval(secs => $3::int) END "
	    "RETURNING failures" },
	[STMT_THROTTLE_CLEAR] = { "throttle_clear", 1,
	    "DELETE FROM login_throttle WHERE " BY_NAME },
	[STMT_THROTTLE_PRUNE] = { "throttle_prune", 1,
	    "DELETE FROM login_throttle WHERE first_failure_at < now() - "
	    "make_interval(secs => $1::int) AND (locked_until IS NULL OR "
	    "locked_until < now())" },

	[STMT_SHARE_LIST] = { "share_list", 2,
	    "SELECT s.id, " SHARE_JSON("s") " FROM share s "
	    "WHERE s.id > $1::bigint ORDER BY s.id LIMIT $2::int" },
	[STMT_SHARE_GET] = { "share_get", 1,
	    "SELECT s.id, " SHARE_DETAIL("s") ", s.name FROM share s WHERE "
	    BY_NAME },
	[STMT_SHARE_LOCK] = { "share_lock", 1,
	    "SELECT s.id, " SHARE_DETAIL("s") ", s.name FROM share s WHERE "
	    BY_NAME " FOR UPDATE" },
	[STMT_SHARE_INSERT] = { "share_insert", 2,
	    "INSERT INTO share AS s (name, comment) VALUES ($1, "
	    "coalesce($2, '')) RETURNING s.id, " SHARE_DETAIL("s") },
	[STMT_SHARE_UPDATE] = { "share_update", 3,
	    "UPDATE share s SET name = coalesce($2, s.name), "
	    "comment = coalesce($3, s.comment), updated_at = now() "
	    "WHERE s.id = $1::bigint RETURNING s.id, " SHARE_DETAIL("s") },
	[STMT_SHARE_DELETE] = { "share_delete", 1,
	    "DELETE FROM share s WHERE s.id = $1::bigint "
	    "RETURNING s.id, " SHARE_JSON("s") },
	[STMT_SCHEMA_LIST] = { "schema_list", 3,
	    "SELECT sc.id, " SCHEMA_JSON("sc") " FROM share_schema sc "
	    "WHERE sc.share_id = $3::bigint AND sc.id > $1::bigint "
	    "ORDER BY sc.id LIMIT $2::int" },
	[STMT_SCHEMA_GET] = { "schema_get", 2,
	    "SELECT sc.id, " SCHEMA_JSON("sc") ", sc.name FROM share_schema sc "
	    "WHERE sc.share_id = $1::bigint AND sc.name_key = ds_name_key($2)" },
	[STMT_SCHEMA_INSERT] = { "schema_insert", 2,
	    "INSERT INTO share_schema AS sc (share_id, name) "
	    "VALUES ($1::bigint, $2) RETURNING sc.id, " SCHEMA_JSON("sc") },
	[STMT_SCHEMA_ENSURE] = { "schema_ensure", 2,
	    "WITH ins AS (INSERT INTO share_schema (share_id, name) "
	    "VALUES ($1::bigint, $2) ON CONFLICT ON CONSTRAINT "
	    "share_schema_name_unique DO NOTHING RETURNING id) "
	    "SELECT id, true FROM ins UNION ALL SELECT id, false "
	    "FROM share_schema WHERE share_id = $1::bigint "
	    "AND name_key = ds_name_key($2) LIMIT 1" },
	[STMT_SCHEMA_DELETE] = { "schema_delete", 1,
	    "DELETE FROM share_schema WHERE id = $1::bigint RETURNING id" },
	[STMT_MEMBER_LIST] = { "member_list", 3,
	    "SELECT st.id, " MEMBER_JSON("st") " FROM share_table st "
	    "WHERE st.schema_id = $3::bigint AND st.id > $1::bigint "
	    "ORDER BY st.id LIMIT $2::int" },
	[STMT_MEMBER_INSERT] = { "member_insert", 3,
	    "INSERT INTO share_table AS st (schema_id, table_id, name) "
	    "VALUES ($1::bigint, $2::bigint, $3) "
	    "RETURNING st.id, " MEMBER_JSON("st") },
	[STMT_MEMBER_DELETE] = { "member_delete", 2,
	    "DELETE FROM share_table st WHERE st.schema_id = $1::bigint "
	    "AND st.name_key = ds_name_key($2) "
	    "RETURNING st.id, " MEMBER_JSON("st") },
	[STMT_GRANT_LIST] = { "grant_list", 3,
	    "SELECT g.recipient_id, " GRANT_JSON("g") " FROM share_grant g "
	    "WHERE g.share_id = $3::bigint AND g.recipient_id > $1::bigint "
	    "ORDER BY g.recipient_id LIMIT $2::int" },
	[STMT_GRANT_INSERT] = { "grant_insert", 2,
	    "INSERT INTO share_grant AS g (share_id, recipient_id) "
	    "SELECT $1::bigint, r.id FROM recipient r "
	    "WHERE r.name_key = ds_name_key($2) "
	    "RETURNING g.recipient_id, " GRANT_JSON("g") },
	[STMT_GRANT_DELETE] = { "grant_delete", 2,
	    "DELETE FROM share_grant g USING recipient r "
	    "WHERE g.share_id = $1::bigint AND g.recipient_id = r.id "
	    "AND r.name_key = ds_name_key($2) "
	    "RETURNING g.recipient_id, " GRANT_JSON("g") },

	[STMT_TABLE_LIST] = { "table_list", 2,
	    "SELECT t.id, " TABLE_JSON("t") " FROM delta_table t "
	    "WHERE t.id > $1::bigint ORDER BY t.id LIMIT $2::int" },
	[STMT_TABLE_GET] = { "table_get", 1,
	    "SELECT t.id, " TABLE_DETAIL("t") ", t.name FROM delta_table t "
	    "WHERE " BY_NAME },
	[STMT_TABLE_LOCK] = { "table_lock", 1,
	    "SELECT t.id, " TABLE_DETAIL("t") ", t.name FROM delta_table t "
	    "WHERE " BY_NAME " FOR UPDATE" },
	[STMT_TABLE_INSERT] = { "table_insert", 6,
	    "INSERT INTO delta_table AS t (name, location, history_shared, "
	    "start_version, credential_id, file_access) VALUES ($1, $2, "
	    "$3::boolean, $4::bigint, $5::bigint, $6) "
	    "RETURNING t.id, " TABLE_DETAIL("t") },
	[STMT_TABLE_UPDATE] = { "table_update", 6,
	    "UPDATE delta_table t SET "
	    "history_shared = coalesce($2::boolean, t.history_shared), "
	    "start_version = coalesce($3::bigint, t.start_version), "
	    "credential_id = CASE WHEN $4::boolean THEN $5::bigint "
	    "ELSE t.credential_id END, "
	    "file_access = coalesce($6, t.file_access), "
	    "updated_at = now() WHERE t.id = $1::bigint "
	    "RETURNING t.id, " TABLE_DETAIL("t") },
	[STMT_TABLE_DELETE] = { "table_delete", 1,
	    "DELETE FROM delta_table t WHERE t.id = $1::bigint "
	    "RETURNING t.id, " TABLE_JSON("t") },
	[STMT_TABLE_USES] = { "table_uses", 1,
	    "SELECT count(*) FROM share_table WHERE table_id = $1::bigint" },

	[STMT_CRED_LIST] = { "cred_list", 2,
	    "SELECT c.id, " CRED_JSON("c") " FROM credential c "
	    "WHERE c.id > $1::bigint ORDER BY c.id LIMIT $2::int" },
	[STMT_CRED_GET] = { "cred_get", 1,
	    "SELECT c.id, " CRED_DETAIL("c") ", c.name FROM credential c "
	    "WHERE " BY_NAME },
	[STMT_CRED_LOCK] = { "cred_lock", 1,
	    "SELECT c.id, " CRED_DETAIL("c") ", c.name FROM credential c "
	    "WHERE " BY_NAME " FOR UPDATE" },
	[STMT_CRED_RAW] = { "cred_raw", 1,
	    "SELECT id, kind, settings, secret FROM credential WHERE "
	    BY_NAME },
	[STMT_CRED_INSERT] = { "cred_insert", 4,
	    "INSERT INTO credential AS c (name, kind, settings, secret) "
	    "VALUES ($1, $2, $3::jsonb, $4) "
	    "RETURNING c.id, " CRED_DETAIL("c") },
	[STMT_CRED_UPDATE] = { "cred_update", 3,
	    "UPDATE credential c SET settings = $2::jsonb, secret = $3, "
	    "updated_at = now() WHERE c.id = $1::bigint "
	    "RETURNING c.id, " CRED_DETAIL("c") },
	[STMT_CRED_DELETE] = { "cred_delete", 1,
	    "DELETE FROM credential c WHERE c.id = $1::bigint "
	    "RETURNING c.id, " CRED_JSON("c") },
	[STMT_CRED_USES] = { "cred_uses", 1,
	    "SELECT count(*) FROM delta_table WHERE credential_id = $1::bigint" },

	[STMT_RECIPIENT_LIST] = { "recipient_list", 2,
	    "SELECT r.id, " RECIPIENT_JSON("r") " FROM recipient r "
	    "WHERE r.id > $1::bigint ORDER BY r.id LIMIT $2::int" },
	[STMT_RECIPIENT_GET] = { "recipient_get", 1,
	    "SELECT r.id, " RECIPIENT_DETAIL("r") ", r.name FROM recipient r "
	    "WHERE " BY_NAME },
	[STMT_RECIPIENT_LOCK] = { "recipient_lock", 1,
	    "SELECT r.id, " RECIPIENT_DETAIL("r") ", r.name FROM recipient r "
	    "WHERE " BY_NAME " FOR UPDATE" },
	[STMT_RECIPIENT_INSERT] = { "recipient_insert", 2,
	    "INSERT INTO recipient AS r (name, comment) "
	    "VALUES ($1, coalesce($2, '')) "
	    "RETURNING r.id, " RECIPIENT_DETAIL("r") },
	[STMT_RECIPIENT_UPDATE] = { "recipient_update", 3,
	    "UPDATE recipient r SET name = coalesce($2, r.name), "
	    "comment = coalesce($3, r.comment), updated_at = now() "
	    "WHERE r.id = $1::bigint RETURNING r.id, " RECIPIENT_DETAIL("r") },
	[STMT_RECIPIENT_DELETE] = { "recipient_delete", 1,
	    "DELETE FROM recipient r WHERE r.id = $1::bigint "
	    "RETURNING r.id, " RECIPIENT_JSON("r") },

	[STMT_MIGRATION_LOCK] = { "migration_lock", 0,
	    "SELECT pg_advisory_xact_lock(4471000)" },
	[STMT_MIGRATION_APPLIED] = { "migration_applied", 1,
	    "SELECT applied_at FROM schema_migrations "
	    "WHERE version = $1::int" },
	[STMT_MIGRATION_RECORD] = { "migration_record", 2,
	    "INSERT INTO schema_migrations (version, name) "
	    "VALUES ($1::int, $2)" },
	[STMT_CATALOG_NOTIFY] = { "catalog_notify", 0,
	    "SELECT pg_notify('" DB_CATALOG_CHANNEL "', '')" },

	[STMT_AUDIT_INSERT] = { "audit_insert", 6,
	    "INSERT INTO audit (actor, action, object_type, object_name, "
	    "before, after) VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb)" },
	[STMT_AUDIT_LIST] = { "audit_list", 7,
	    "SELECT id, json_strip_nulls(json_build_object('id', id, "
	    "'at', ds_ts(at), 'actor', actor, 'action', action, "
	    "'objectType', object_type, 'objectName', object_name, "
	    "'before', before, 'after', after)) FROM audit "
	    "WHERE ($1::bigint = 0 OR id < $1::bigint) "
	    "AND ($3::text IS NULL OR actor = $3) "
	    "AND ($4::text IS NULL OR object_type = $4) "
	    "AND ($5::text IS NULL OR ds_name_key(object_name) = "
	    "ds_name_key($5)) "
	    "AND ($6::timestamptz IS NULL OR at >= $6::timestamptz) "
	    "AND ($7::timestamptz IS NULL OR at < $7::timestamptz) "
	    "ORDER BY id DESC LIMIT $2::int" },

	/*
	 * A batch of records: one array per column, in order; the names
	 * are their keys (sql/0005).
	 */
	[STMT_SHARING_LOG_INSERT] = { "sharing_log_insert", 7,
	    "INSERT INTO sharing_log (at, recipient, share, schema_name, "
	    "table_name, status, line) SELECT at, recipient, share, sc, tb, "
	    "status, line FROM unnest($1::timestamptz[], $2::text[], "
	    "$3::text[], $4::text[], $5::text[], $6::int[], $7::json[]) "
	    "WITH ORDINALITY AS x(at, recipient, share, sc, tb, status, line, "
	    "n) ORDER BY n" },
	/*
	 * Oldest first by at, not by id: the planner then walks the index
	 * on at and stops at once when nothing is that old; by id it may
	 * walk the whole primary key testing at on each row, and workers
	 * prune every 500 records.
	 */
	[STMT_SHARING_LOG_PRUNE] = { "sharing_log_prune", 1,
	    "DELETE FROM sharing_log WHERE id IN (SELECT id FROM sharing_log "
	    "WHERE at < now() - $1::int * interval '1 day' ORDER BY at "
	    "LIMIT 10000)" },
	[STMT_SHARING_LOG_LIST] = { "sharing_log_list", 8,
	    "SELECT id, line FROM sharing_log "
	    "WHERE ($1::bigint = 0 OR id < $1::bigint) "
	    "AND ($3::text IS NULL OR recipient = ds_name_key($3)) "
	    "AND ($4::text IS NULL OR share = ds_name_key($4)) "
	    "AND ($5::text IS NULL OR schema_name = ds_name_key($5)) "
	    "AND ($6::text IS NULL OR table_name = ds_name_key($6)) "
	    "AND ($7::timestamptz IS NULL OR at >= $7::timestamptz) "
	    "AND ($8::timestamptz IS NULL OR at < $8::timestamptz) "
	    "ORDER BY id DESC LIMIT $2::int" },
	[STMT_HEALTH] = { "health", 0, "SELECT 1" },
};

/*
 * Catalog reads: their rows depend on the catalog tables alone (no
 * clock, no session), so db.c may answer them from the worker's memory
 * until the catalog changes (db_cache.h).  Every other statement goes
 * to PostgreSQL each time.
 */
static const bool cached[DB_STMT__MAX] = {
	[STMT_TOKEN_LOOKUP] = true,
	[STMT_CAT_SHARES] = true,
	[STMT_CAT_SHARE] = true,
	[STMT_CAT_SCHEMAS] = true,
	[STMT_CAT_TABLES] = true,
	[STMT_CAT_ALL_TABLES] = true,
	[STMT_CAT_DATA_TABLE] = true,
	[STMT_CAT_TABLE_LOCATION] = true,
};

const char *
db_stmt_name(enum db_stmt id)
{
	return (unsigned)id < DB_STMT__MAX ? stmts[id].name : "transaction";
}

const char *
db_stmt_sql(enum db_stmt id)
{
	return stmts[id].sql;
}

int
db_stmt_nparams(enum db_stmt id)
{
	return stmts[id].nparams;
}

bool
db_stmt_cached(enum db_stmt id)
{
	return (unsigned)id < DB_STMT__MAX && cached[id];
}
