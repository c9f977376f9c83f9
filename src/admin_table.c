/*
 * admin_table.c: admin handlers for registered Delta tables.
 *
 * A table is registered once (name, location, history settings, the
 * storage credential it signs with, how recipients get its files) and
 * then shared into any number of schemas.  A table still shared
 * somewhere cannot be deleted: the admin removes it from its shares
 * first, so no share loses a table as a side effect.
 *
 * "fileAccess" is "presigned" (store URLs, where the store can presign)
 * or "proxy" (deltashare's own signed URLs, for every table; local
 * tables always go this way).
 */
#include "config.h"

#include <string.h>

#include <json-c/json.h>

#include "admin.h"
#include "api_table.h"
#include "arena.h"
#include "catalog.h"
#include "conf.h"
#include "cred.h"
#include "db.h"
#include "http_req.h"
#include "jsonu.h"
#include "location.h"
#include "name.h"

static int
history_fields(struct req *r, struct json_object *o, const char **hist,
    const char **start)
{
	bool	 h, present;
	int64_t	 v;

	*hist = *start = NULL;
	if (jsonu_get_bool(o, "historyShared", false, &h, &present,
	    &r->err) == -1)
		return -1;
	if (present)
		*hist = h ? "true" : "false";
	if (jsonu_get_i64(o, "startVersion", false, 0, INT64_MAX - 1, &v,
	    &present, &r->err) == -1)
		return -1;
	if (present)
		*start = admin_num(r, v);
	return 0;
}

/* "credential": a name, or null to name none; *given when present. */
static int
credential_field(struct req *r, struct json_object *o, bool *given,
    const char **id, const struct cred **cred)
{
	struct json_object	*v;
	struct db_res		*res;
	struct cat_cred		 cc;
	const char		*name, *p[1];

	*given = json_object_object_get_ex(o, "credential", &v);
	*id = NULL;
	*cred = NULL;
	if (!*given || json_object_is_type(v, json_type_null))
		return 0;
	if (!json_object_is_type(v, json_type_string))
		return req_fail(r, ERR_BAD_PARAM, "'credential' must be a "
		    "credential name or null");
	name = json_object_get_string(v);
	p[0] = name;
	if (db_exec(r->db, r->arena, STMT_CRED_RAW, p, &res, &r->err) == -1)
		return -1;
	if (db_rows(res) != 1)
		return req_fail(r, ERR_NOT_FOUND, "credential '%.255s' not "
		    "found", name);
	*id = arena_strdup(r->arena, db_val(res, 0, 0));
	cc.name = name;
	cc.kind = db_val(res, 0, 1);
	cc.settings = db_val(res, 0, 2);
	cc.sealed = db_val(res, 0, 3);
	return tq_cred(r, &cc, cred);
}

static int
access_field(struct req *r, struct json_object *o, const char **access)
{
	*access = NULL;
	if (jsonu_get_str(o, "fileAccess", false, access, &r->err) == -1)
		return -1;
	if (*access != NULL && strcmp(*access, "presigned") != 0 &&
	    strcmp(*access, "proxy") != 0)
		return req_fail(r, ERR_BAD_PARAM, "'fileAccess' must be "
		    "\"presigned\" or \"proxy\"");
	return 0;
}

int
admin_table_list(struct req *r)
{
	return admin_list(r, STMT_TABLE_LIST, ADMIN_LIST_TABLES, 0, NULL, 0);
}

int
admin_table_get(struct req *r)
{
	struct admin_row	 t;
	const char		*p[1] = { r->args[0] };

	if (admin_row(r, STMT_TABLE_GET, p, "table", r->args[0], &t) == -1)
		return -1;
	return admin_send(r, 200, t.json);
}

int
admin_table_create(struct req *r)
{
	static const char *const keys[] = {
		"name", "location", "historyShared", "startVersion",
		"credential", "fileAccess", NULL
	};
	struct json_object	*o;
	struct admin_row	 t;
	const struct cred	*cred;
	const char		*name = NULL, *loc = NULL, *canon, *hist, *start;
	const char		*p[6], *cred_id, *access;
	bool			 given;

	if ((o = admin_body(r, keys)) == NULL ||
	    jsonu_get_str(o, "name", true, &name, &r->err) == -1 ||
	    name_check(name, strlen(name), NAME_TABLE, &r->err) == -1 ||
	    jsonu_get_str(o, "location", true, &loc, &r->err) == -1 ||
	    history_fields(r, o, &hist, &start) == -1 ||
	    access_field(r, o, &access) == -1 ||
	    credential_field(r, o, &given, &cred_id, &cred) == -1 ||
	    location_check(r->conf, r->arena, loc, cred, &canon,
	    &r->err) == -1)
		return -1;
	p[0] = name;
	p[1] = canon;
	p[2] = hist != NULL ? hist : "false";
	p[3] = start != NULL ? start : "0";
	p[4] = cred_id;
	p[5] = access != NULL ? access : "presigned";
	if (db_begin(r->db, &r->err) == -1 ||
	    admin_row(r, STMT_TABLE_INSERT, p, "table", name, &t) == -1 ||
	    admin_audit(r, "table.create", "table", name, NULL, t.json) == -1)
		return -1;
	return admin_commit(r, 201, t.json);
}

int
admin_table_update(struct req *r)
{
	static const char *const keys[] = {
		"historyShared", "startVersion", "credential", "fileAccess",
		NULL
	};
	struct json_object	*o;
	struct admin_row	 before, after;
	const struct cred	*cred;
	const char		*hist, *start, *p[6], *cred_id, *access;
	bool			 given;

	if ((o = admin_body(r, keys)) == NULL ||
	    history_fields(r, o, &hist, &start) == -1 ||
	    access_field(r, o, &access) == -1 ||
	    credential_field(r, o, &given, &cred_id, &cred) == -1)
		return -1;
	if (hist == NULL && start == NULL && !given && access == NULL)
		return req_fail(r, ERR_BAD_PARAM, "nothing to change: give "
		    "'historyShared', 'startVersion', 'credential' or "
		    "'fileAccess'");
	p[0] = r->args[0];
	if (db_begin(r->db, &r->err) == -1 ||
	    admin_row(r, STMT_TABLE_LOCK, p, "table", r->args[0], &before) == -1)
		return -1;
	p[0] = admin_num(r, before.id);
	p[1] = hist;
	p[2] = start;
	p[3] = given ? "true" : "false";
	p[4] = cred_id;
	p[5] = access;
	if (admin_row(r, STMT_TABLE_UPDATE, p, "table", before.name,
	    &after) == -1 ||
	    admin_audit(r, "table.update", "table", before.name, before.json,
	    after.json) == -1)
		return -1;
	return admin_commit(r, 200, after.json);
}

int
admin_table_delete(struct req *r)
{
	struct admin_row	 t, gone;
	struct db_res		*res;
	const char		*p[1] = { r->args[0] };
	int64_t			 uses;

	if (db_begin(r->db, &r->err) == -1 ||
	    admin_row(r, STMT_TABLE_LOCK, p, "table", r->args[0], &t) == -1)
		return -1;
	p[0] = admin_num(r, t.id);
	if (db_exec(r->db, r->arena, STMT_TABLE_USES, p, &res, &r->err) == -1)
		return -1;
	if ((uses = db_i64(res, 0, 0)) > 0)
		return req_fail(r, ERR_CONFLICT, "table '%s' is still shared "
		    "in %lld place%s: remove it from its shares first", t.name,
		    (long long)uses, uses == 1 ? "" : "s");
	if (admin_row(r, STMT_TABLE_DELETE, p, "table", t.name, &gone) == -1 ||
	    admin_audit(r, "table.delete", "table", t.name, t.json, NULL) == -1)
		return -1;
	return admin_commit(r, 204, NULL);
}
