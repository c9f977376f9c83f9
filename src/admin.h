/*
 * admin.h: the admin API (JSON in and out under {prefix}/admin).
 *
 * Handlers live in admin_<resource>.c; this header declares them for the
 * route table and declares the helpers they share (admin.c).  Every
 * change runs in one transaction that also writes its audit record; a
 * handler that fails leaves the transaction to be rolled back by the
 * dispatcher.
 */
#ifndef DS_ADMIN_H
#define DS_ADMIN_H

#include <stdbool.h>
#include <stdint.h>

#include "db_stmt.h"
#include "name.h"

struct buf;
struct json_object;
struct jsonw;
struct req;

/* Handlers. */
int	admin_login(struct req *);
int	admin_logout(struct req *);
int	admin_account_list(struct req *);
int	admin_account_create(struct req *);
int	admin_account_get(struct req *);
int	admin_account_update(struct req *);
int	admin_account_delete(struct req *);
int	admin_share_list(struct req *);
int	admin_share_create(struct req *);
int	admin_share_get(struct req *);
int	admin_share_update(struct req *);
int	admin_share_delete(struct req *);
int	admin_schema_list(struct req *);
int	admin_schema_create(struct req *);
int	admin_schema_get(struct req *);
int	admin_schema_delete(struct req *);
int	admin_member_list(struct req *);
int	admin_member_add(struct req *);
int	admin_member_remove(struct req *);
int	admin_grant_list(struct req *);
int	admin_grant_add(struct req *);
int	admin_grant_remove(struct req *);
int	admin_table_list(struct req *);
int	admin_table_create(struct req *);
int	admin_table_get(struct req *);
int	admin_table_update(struct req *);
int	admin_table_delete(struct req *);
int	admin_recipient_list(struct req *);
int	admin_recipient_create(struct req *);
int	admin_recipient_get(struct req *);
int	admin_recipient_update(struct req *);
int	admin_recipient_delete(struct req *);
int	admin_token_list(struct req *);
int	admin_token_create(struct req *);
int	admin_token_revoke(struct req *);
int	admin_audit_list(struct req *);
int	admin_audit_sharing_list(struct req *);	/* admin_audit.c */
int	admin_metrics_get(struct req *);		/* admin_metrics.c */
int	admin_health_get(struct req *);		/* admin_metrics.c */
/* The metrics in the Prometheus text format (also "deltashare metrics"). */
void	admin_metrics_text(struct buf *);
int	admin_credential_list(struct req *);
int	admin_credential_create(struct req *);
int	admin_credential_get(struct req *);
int	admin_credential_update(struct req *);
int	admin_credential_delete(struct req *);

/* Which admin list a page token continues. */
enum admin_list {
	ADMIN_LIST_ACCOUNTS = 1,
	ADMIN_LIST_SHARES,
	ADMIN_LIST_SCHEMAS,
	ADMIN_LIST_MEMBERS,
	ADMIN_LIST_GRANTS,
	ADMIN_LIST_TABLES,
	ADMIN_LIST_RECIPIENTS,
	ADMIN_LIST_AUDIT,
	ADMIN_LIST_CREDENTIALS,
	ADMIN_LIST_SHARING_LOG,
};

/* A row the handler looked up: its id, JSON form and configured name. */
struct admin_row {
	int64_t		 id;
	const char	*json;
	const char	*name;
};

/*
 * A resource with a name and a comment (shares, recipients): its
 * statements for the shared create, update and delete flows.  Actions
 * in the audit trail are "<what>.create", ".update" and ".delete".
 */
struct admin_named {
	const char	*what;		/* "share" */
	enum name_kind	 kind;
	enum db_stmt	 insert;	/* (name, comment) */
	enum db_stmt	 lock;		/* (name) FOR UPDATE */
	enum db_stmt	 update;	/* (id, name?, comment?) */
	enum db_stmt	 del;		/* (id) */
};

/* POST {"name","comment"} -> 201. */
int	admin_named_create(struct req *, const struct admin_named *);
/* PATCH {"name"?,"comment"?} of the object named by args[0] -> 200. */
int	admin_named_update(struct req *, const struct admin_named *);
/* DELETE of the object named by args[0] -> 204. */
int	admin_named_delete(struct req *, const struct admin_named *);
/* Begin a transaction and lock the object named by args[0]. */
int	admin_named_lock(struct req *, const struct admin_named *,
	    struct admin_row *);

/*
 * Commit the transaction that recorded a new token, then answer status
 * with {"id"?, "recipient"?, "profile"} (id and recipient when not NULL).
 * Wipes and frees jwt in every case.
 */
int	admin_commit_profile(struct req *, int status, char *jwt,
	    int64_t exp, const char *id, const char *recipient);

/*
 * The request body as a JSON object whose keys are all in allowed
 * (NULL-terminated); 400 otherwise.  An empty body is an error.
 */
struct json_object *admin_body(struct req *, const char *const *allowed);

/* Optional comment field: a string of at most 65536 bytes. */
int	admin_get_comment(struct req *, struct json_object *, const char **);

/*
 * Run stmt (which returns id, json[, name]).  No row: 404 with the
 * message "<what> '<name>' not found".  A unique violation becomes 409
 * "<what> '<name>' already exists".
 */
int	admin_row(struct req *, enum db_stmt, const char *const *params,
	    const char *what, const char *name, struct admin_row *);

/* Append to the audit trail inside the current transaction. */
int	admin_audit(struct req *, const char *action, const char *type,
	    const char *name, const char *before, const char *after);

/* Commit, then answer status with json (NULL: no body, for 204). */
int	admin_commit(struct req *, int status, const char *json);

/* Answer with a JSON text. */
int	admin_send(struct req *, int status, const char *json);

/*
 * Paged list over a statement taking ($1 position, $2 limit, then the
 * nextra parameters in extra) and returning (id, json) rows.  scope_id
 * binds page tokens to the listed container.
 */
int	admin_list(struct req *, enum db_stmt, enum admin_list,
	    int64_t scope_id, const char *const *extra, size_t nextra);

const char *admin_num(struct req *, int64_t);

/*
 * Write a profile file object (shareCredentialsVersion 1) for a bearer
 * token expiring at exp (seconds) under the current key of w.
 */
void	admin_profile(struct req *, struct jsonw *, const char *token,
	    int64_t exp);



#endif
