/*
 * admin_share.c: admin handlers for shares and what they hold: schemas,
 * the tables shared in them, and grants to recipients.
 *
 * Changes to a share take its row lock first (SELECT ... FOR UPDATE), so
 * concurrent admins editing the same share serialise instead of losing
 * updates, and the locked row's JSON is the audit record's "before".
 */
#include "config.h"

#include <string.h>

#include <json-c/json.h>

#include "admin.h"
#include "arena.h"
#include "db.h"
#include "http_req.h"
#include "jsonu.h"
#include "name.h"

static const struct admin_named shares = {
	"share", NAME_SHARE, STMT_SHARE_INSERT, STMT_SHARE_LOCK,
	STMT_SHARE_UPDATE, STMT_SHARE_DELETE
};

static int
lock_share(struct req *r, struct admin_row *s)
{
	return admin_named_lock(r, &shares, s);
}

static int
get_share(struct req *r, struct admin_row *s)
{
	const char	*p[1] = { r->args[0] };

	return admin_row(r, STMT_SHARE_GET, p, "share", r->args[0], s);
}

int
admin_share_list(struct req *r)
{
	return admin_list(r, STMT_SHARE_LIST, ADMIN_LIST_SHARES, 0, NULL, 0);
}

int
admin_share_get(struct req *r)
{
	struct admin_row	 s;

	if (get_share(r, &s) == -1)
		return -1;
	return admin_send(r, 200, s.json);
}

int
admin_share_create(struct req *r)
{
	return admin_named_create(r, &shares);
}

int
admin_share_update(struct req *r)
{
	return admin_named_update(r, &shares);
}

int
admin_share_delete(struct req *r)
{
	return admin_named_delete(r, &shares);
}

/* Schemas. */

static int
get_schema(struct req *r, const struct admin_row *share, const char *name,
    struct admin_row *sc)
{
	const char	*p[2] = { admin_num(r, share->id), name };

	return admin_row(r, STMT_SCHEMA_GET, p, "schema", name, sc);
}

int
admin_schema_list(struct req *r)
{
	struct admin_row	 s;
	const char		*scope[1];

	if (get_share(r, &s) == -1)
		return -1;
	scope[0] = admin_num(r, s.id);
	return admin_list(r, STMT_SCHEMA_LIST, ADMIN_LIST_SCHEMAS, s.id, scope,
	    1);
}

int
admin_schema_get(struct req *r)
{
	struct admin_row	 s, sc;

	if (get_share(r, &s) == -1 || get_schema(r, &s, r->args[1], &sc) == -1)
		return -1;
	return admin_send(r, 200, sc.json);
}

int
admin_schema_create(struct req *r)
{
	static const char *const keys[] = { "name", NULL };
	struct json_object	*o;
	struct admin_row	 s, sc;
	const char		*name = NULL, *p[2];

	if ((o = admin_body(r, keys)) == NULL ||
	    jsonu_get_str(o, "name", true, &name, &r->err) == -1 ||
	    name_check(name, strlen(name), NAME_SCHEMA, &r->err) == -1 ||
	    lock_share(r, &s) == -1)
		return -1;
	p[0] = admin_num(r, s.id);
	p[1] = name;
	if (admin_row(r, STMT_SCHEMA_INSERT, p, "schema", name, &sc) == -1 ||
	    admin_audit(r, "schema.create", "schema", arena_printf(r->arena,
	    "%s.%s", s.name, name), NULL, sc.json) == -1)
		return -1;
	return admin_commit(r, 201, sc.json);
}

int
admin_schema_delete(struct req *r)
{
	struct admin_row	 s, sc;
	const char		*p[1];

	if (lock_share(r, &s) == -1 ||
	    get_schema(r, &s, r->args[1], &sc) == -1)
		return -1;
	p[0] = admin_num(r, sc.id);
	if (db_exec(r->db, r->arena, STMT_SCHEMA_DELETE, p, NULL,
	    &r->err) == -1 ||
	    admin_audit(r, "schema.delete", "schema", arena_printf(r->arena,
	    "%s.%s", s.name, sc.name), sc.json, NULL) == -1)
		return -1;
	return admin_commit(r, 204, NULL);
}

/* Tables shared in a schema. */

int
admin_member_list(struct req *r)
{
	struct admin_row	 s, sc;
	const char		*scope[1];

	if (get_share(r, &s) == -1 || get_schema(r, &s, r->args[1], &sc) == -1)
		return -1;
	scope[0] = admin_num(r, sc.id);
	return admin_list(r, STMT_MEMBER_LIST, ADMIN_LIST_MEMBERS, sc.id,
	    scope, 1);
}

int
admin_member_add(struct req *r)
{
	static const char *const keys[] = { "table", "alias", NULL };
	struct json_object	*o;
	struct admin_row	 s, sc, t, m;
	struct db_res		*res;
	const char		*table = NULL, *alias = NULL, *as, *p[3];
	int64_t			 schema_id;

	if ((o = admin_body(r, keys)) == NULL ||
	    jsonu_get_str(o, "table", true, &table, &r->err) == -1 ||
	    name_check(table, strlen(table), NAME_TABLE, &r->err) == -1 ||
	    jsonu_get_str(o, "alias", false, &alias, &r->err) == -1 ||
	    (alias != NULL &&
	    name_check(alias, strlen(alias), NAME_TABLE, &r->err) == -1) ||
	    lock_share(r, &s) == -1)
		return -1;
	p[0] = table;
	if (admin_row(r, STMT_TABLE_LOCK, p, "table", table, &t) == -1)
		return -1;
	p[0] = admin_num(r, s.id);
	p[1] = r->args[1];
	if (db_exec(r->db, r->arena, STMT_SCHEMA_ENSURE, p, &res,
	    &r->err) == -1)
		return -1;
	schema_id = db_i64(res, 0, 0);
	if (db_bool(res, 0, 1) && (get_schema(r, &s, r->args[1], &sc) == -1 ||
	    admin_audit(r, "schema.create", "schema", arena_printf(r->arena,
	    "%s.%s", s.name, sc.name), NULL, sc.json) == -1))
		return -1;
	as = alias != NULL ? alias : t.name;
	p[0] = admin_num(r, schema_id);
	p[1] = admin_num(r, t.id);
	p[2] = as;
	if (admin_row(r, STMT_MEMBER_INSERT, p, NULL, NULL, &m) == -1) {
		if (r->err.kind == ERR_EXISTS)
			req_fail(r, ERR_EXISTS, "a table named '%s' is already "
			    "shared in '%s.%s'", as, s.name, r->args[1]);
		return -1;
	}
	if (admin_audit(r, "share.table.add", "table", arena_printf(r->arena,
	    "%s.%s.%s", s.name, r->args[1], as), NULL, m.json) == -1)
		return -1;
	return admin_commit(r, 201, m.json);
}

int
admin_member_remove(struct req *r)
{
	struct admin_row	 s, sc, m;
	const char		*p[2];

	if (lock_share(r, &s) == -1 ||
	    get_schema(r, &s, r->args[1], &sc) == -1)
		return -1;
	p[0] = admin_num(r, sc.id);
	p[1] = r->args[2];
	if (admin_row(r, STMT_MEMBER_DELETE, p, "table", r->args[2], &m) == -1 ||
	    admin_audit(r, "share.table.remove", "table", arena_printf(r->arena,
	    "%s.%s.%s", s.name, sc.name, r->args[2]), m.json, NULL) == -1)
		return -1;
	return admin_commit(r, 204, NULL);
}

/* Grants of the share to recipients. */

int
admin_grant_list(struct req *r)
{
	struct admin_row	 s;
	const char		*scope[1];

	if (get_share(r, &s) == -1)
		return -1;
	scope[0] = admin_num(r, s.id);
	return admin_list(r, STMT_GRANT_LIST, ADMIN_LIST_GRANTS, s.id, scope,
	    1);
}

int
admin_grant_add(struct req *r)
{
	static const char *const keys[] = { "recipient", NULL };
	struct json_object	*o;
	struct admin_row	 s, g;
	const char		*rcp = NULL, *p[2];

	if ((o = admin_body(r, keys)) == NULL ||
	    jsonu_get_str(o, "recipient", true, &rcp, &r->err) == -1 ||
	    name_check(rcp, strlen(rcp), NAME_RECIPIENT, &r->err) == -1 ||
	    lock_share(r, &s) == -1)
		return -1;
	p[0] = admin_num(r, s.id);
	p[1] = rcp;
	if (admin_row(r, STMT_GRANT_INSERT, p, "recipient", rcp, &g) == -1) {
		if (r->err.kind == ERR_EXISTS)
			req_fail(r, ERR_EXISTS, "share '%s' is already granted "
			    "to recipient '%s'", s.name, rcp);
		return -1;
	}
	if (admin_audit(r, "grant.add", "grant", arena_printf(r->arena,
	    "%s:%s", s.name, rcp), NULL, g.json) == -1)
		return -1;
	return admin_commit(r, 201, g.json);
}

int
admin_grant_remove(struct req *r)
{
	struct admin_row	 s, g;
	const char		*p[2];

	if (lock_share(r, &s) == -1)
		return -1;
	p[0] = admin_num(r, s.id);
	p[1] = r->args[1];
	if (admin_row(r, STMT_GRANT_DELETE, p, NULL, NULL, &g) == -1) {
		if (r->err.kind == ERR_NOT_FOUND)
			req_fail(r, ERR_NOT_FOUND, "share '%s' is not granted "
			    "to recipient '%s'", s.name, r->args[1]);
		return -1;
	}
	if (admin_audit(r, "grant.remove", "grant", arena_printf(r->arena,
	    "%s:%s", s.name, r->args[1]), g.json, NULL) == -1)
		return -1;
	return admin_commit(r, 204, NULL);
}
