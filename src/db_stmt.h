/*
 * db_stmt.h: identifiers of every SQL statement deltashare runs.
 *
 * The SQL text is in db_stmt.c, the only file with SQL in it.  Each
 * statement takes text parameters ($1, $2, ...) and is prepared once per
 * connection; no SQL is ever built from request data.
 */
#ifndef DS_DB_STMT_H
#define DS_DB_STMT_H

#include <stdbool.h>

/* What the catalog's triggers notify (sql/0004), and the workers LISTEN to. */
#define DB_CATALOG_CHANNEL	"deltashare_catalog"

enum db_stmt {
	/* Bearer tokens. */
	STMT_TOKEN_LOOKUP,
	STMT_TOKEN_INSERT_ADMIN,
	STMT_TOKEN_INSERT_RECIPIENT,
	STMT_TOKEN_LIST,
	STMT_TOKEN_REVOKE,
	STMT_TOKEN_REVOKE_ID,
	STMT_TOKEN_REVOKE_ACCOUNT,

	/* Discovery, as one recipient sees it. */
	STMT_CAT_SHARES,
	STMT_CAT_SHARE,
	STMT_CAT_SCHEMAS,
	STMT_CAT_TABLES,
	STMT_CAT_ALL_TABLES,
	STMT_CAT_DATA_TABLE,
	STMT_CAT_TABLE_LOCATION,

	/* Admin accounts and login throttling. */
	STMT_ACCOUNT_LIST,
	STMT_ACCOUNT_GET,
	STMT_ACCOUNT_INSERT,
	STMT_ACCOUNT_SET_PASSWORD,
	STMT_ACCOUNT_DELETE,
	STMT_ACCOUNT_LOCK,
	STMT_ACCOUNT_COUNT,
	STMT_ACCOUNT_AUTH,
	STMT_ACCOUNT_LOGGED_IN,
	STMT_THROTTLE_CHECK,
	STMT_THROTTLE_FAIL,
	STMT_THROTTLE_CLEAR,
	STMT_THROTTLE_PRUNE,

	/* Shares, schemas, members, grants. */
	STMT_SHARE_LIST,
	STMT_SHARE_GET,
	STMT_SHARE_LOCK,
	STMT_SHARE_INSERT,
	STMT_SHARE_UPDATE,
	STMT_SHARE_DELETE,
	STMT_SCHEMA_LIST,
	STMT_SCHEMA_GET,
	STMT_SCHEMA_INSERT,
	STMT_SCHEMA_ENSURE,
	STMT_SCHEMA_DELETE,
	STMT_MEMBER_LIST,
	STMT_MEMBER_INSERT,
	STMT_MEMBER_DELETE,
	STMT_GRANT_LIST,
	STMT_GRANT_INSERT,
	STMT_GRANT_DELETE,

	/* Registered Delta tables. */
	STMT_TABLE_LIST,
	STMT_TABLE_GET,
	STMT_TABLE_LOCK,
	STMT_TABLE_INSERT,
	STMT_TABLE_UPDATE,
	STMT_TABLE_DELETE,
	STMT_TABLE_USES,
	STMT_CRED_LIST,
	STMT_CRED_GET,
	STMT_CRED_LOCK,
	STMT_CRED_RAW,
	STMT_CRED_INSERT,
	STMT_CRED_UPDATE,
	STMT_CRED_DELETE,
	STMT_CRED_USES,

	/* Recipients. */
	STMT_RECIPIENT_LIST,
	STMT_RECIPIENT_GET,
	STMT_RECIPIENT_LOCK,
	STMT_RECIPIENT_INSERT,
	STMT_RECIPIENT_UPDATE,
	STMT_RECIPIENT_DELETE,

	/* Schema migrations. */
	STMT_MIGRATION_LOCK,
	STMT_MIGRATION_APPLIED,
	STMT_MIGRATION_RECORD,
	STMT_CATALOG_NOTIFY,

	/* Audit trail. */
	STMT_AUDIT_INSERT,
	STMT_AUDIT_LIST,

	/* The audit log of sharing calls; the health check. */
	STMT_SHARING_LOG_INSERT,
	STMT_SHARING_LOG_PRUNE,
	STMT_SHARING_LOG_LIST,
	STMT_HEALTH,

	DB_STMT__MAX
};

const char	*db_stmt_name(enum db_stmt);
const char	*db_stmt_sql(enum db_stmt);
int		 db_stmt_nparams(enum db_stmt);
/* A catalog read, which the worker's catalog cache may answer. */
bool		 db_stmt_cached(enum db_stmt);

#endif
