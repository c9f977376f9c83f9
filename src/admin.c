/*
 * admin.c: helpers shared by the admin handlers (see admin.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "admin.h"
#include "arena.h"
#include "buf.h"
#include "crypto.h"
#include "jsonw.h"
#include "strutil.h"
#include "db.h"
#include "http_req.h"
#include "http_resp.h"
#include "jsonu.h"
#include "listing.h"

#define COMMENT_MAX	65536

const char *
admin_num(struct req *r, int64_t v)
{
	return arena_printf(r->arena, "%lld", (long long)v);
}

struct json_object *
admin_body(struct req *r, const char *const *allowed)
{
	struct json_object	*o;

	if (req_read_body(r) == -1)
		return NULL;
	if ((o = jsonu_parse_object(r->arena, r->body, r->bodylen,
	    &r->err)) == NULL)
		return NULL;
	if (jsonu_only_keys(o, allowed, &r->err) == -1)
		return NULL;
	return o;
}

int
admin_get_comment(struct req *r, struct json_object *o, const char **out)
{
	if (jsonu_get_str(o, "comment", false, out, &r->err) == -1)
		return -1;
	if (*out != NULL && strlen(*out) > COMMENT_MAX)
		return req_fail(r, ERR_BAD_PARAM,
		    "comment is longer than %d bytes", COMMENT_MAX);
	return 0;
}

int
admin_row(struct req *r, enum db_stmt stmt, const char *const *params,
    const char *what, const char *name, struct admin_row *row)
{
	struct db_res	*res;

	memset(row, 0, sizeof(*row));
	if (db_exec(r->db, r->arena, stmt, params, &res, &r->err) == -1) {
		if (r->err.kind == ERR_EXISTS && what != NULL)
			req_fail(r, ERR_EXISTS, "%s '%s' already exists", what,
			    name);
		return -1;
	}
	if (db_rows(res) < 1) {
		if (what != NULL)
			return req_fail(r, ERR_NOT_FOUND, "%s '%s' not found",
			    what, name);
		return req_fail(r, ERR_NOT_FOUND, "not found");
	}
	row->id = db_i64(res, 0, 0);
	row->json = db_val(res, 0, 1);
	row->name = db_val(res, 0, 2);
	return 0;
}

int
admin_audit(struct req *r, const char *action, const char *type,
    const char *name, const char *before, const char *after)
{
	const char	*p[6] = { r->who.name ? r->who.name : "-", action, type,
			    name, before, after };

	return db_exec(r->db, r->arena, STMT_AUDIT_INSERT, p, NULL, &r->err);
}

int
admin_send(struct req *r, int status, const char *json)
{
	struct buf	 b;
	int		 rc;

	if (json == NULL)
		return resp_empty(r, status);
	buf_init(&b, 0);
	buf_adds(&b, json);
	rc = resp_json(r, status, &b);
	buf_release(&b);
	return rc;
}

int
admin_commit(struct req *r, int status, const char *json)
{
	if (db_commit(r->db, &r->err) == -1)
		return -1;
	return admin_send(r, status, json);
}

int
admin_list(struct req *r, enum db_stmt stmt, enum admin_list which,
    int64_t scope_id, const char *const *extra, size_t nextra)
{
	struct listing	 l;
	struct db_res	*res;
	const char	*p[8];
	size_t		 n;
	int		 rows, i;

	if (nextra > 6 ||
	    listing_begin(r, &l, PT_ADMIN_LIST, 0, which, scope_id) == -1)
		return -1;
	p[0] = l.after1;
	p[1] = l.fetch;
	for (n = 0; n < nextra; n++)
		p[2 + n] = extra[n];
	if (db_exec(r->db, r->arena, stmt, p, &res, &r->err) == -1)
		return -1;
	rows = db_rows(res);
	for (i = 0; i < rows && i < l.limit; i++)
		jsonw_raw(listing_item(&l), db_val(res, i, 1));
	return listing_finish(r, &l, rows > l.limit,
	    l.limit > 0 && rows > 0 ? db_i64(res, i - 1, 0) : l.pt.pos1, 0);
}

void
admin_profile(struct req *r, struct jsonw *w, const char *token, int64_t exp)
{
	char	 ts[40];

	str_iso8601_ms(exp * 1000, ts, sizeof(ts));
	jsonw_obj_open(w);
	jsonw_key(w, "shareCredentialsVersion");
	jsonw_int(w, 1);
	jsonw_key(w, "endpoint");
	jsonw_str(w, req_endpoint(r));
	jsonw_key(w, "bearerToken");
	jsonw_str(w, token);
	jsonw_key(w, "expirationTime");
	jsonw_str(w, ts);
	jsonw_obj_close(w);
}

static void
free_secret(char *s)
{
	crypto_wipe(s, strlen(s));
	free(s);
}

int
admin_commit_profile(struct req *r, int status, char *jwt, int64_t exp,
    const char *id, const char *recipient)
{
	struct buf	 b;
	struct jsonw	 w;
	int		 rc;

	if (db_commit(r->db, &r->err) == -1) {
		free_secret(jwt);
		return -1;
	}
	buf_init(&b, 0);
	jsonw_init(&w, &b);
	jsonw_obj_open(&w);
	if (id != NULL) {
		jsonw_key(&w, "id");
		jsonw_str(&w, id);
	}
	if (recipient != NULL) {
		jsonw_key(&w, "recipient");
		jsonw_str(&w, recipient);
	}
	jsonw_key(&w, "profile");
	admin_profile(r, &w, jwt, exp);
	jsonw_obj_close(&w);
	free_secret(jwt);
	rc = resp_json(r, status, &b);
	/* Send now, so the copy in the output buffer goes too. */
	if (resp_finish(r) == -1)
		rc = -1;
	if (b.data != NULL)
		crypto_wipe(b.data, b.cap);
	buf_release(&b);
	return rc;
}

static const char *const named_keys[] = { "name", "comment", NULL };

int
admin_named_lock(struct req *r, const struct admin_named *k,
    struct admin_row *row)
{
	const char	*p[1] = { r->args[0] };

	if (db_begin(r->db, &r->err) == -1)
		return -1;
	return admin_row(r, k->lock, p, k->what, r->args[0], row);
}

static const char *
action(struct req *r, const struct admin_named *k, const char *verb)
{
	return arena_printf(r->arena, "%s.%s", k->what, verb);
}

int
admin_named_create(struct req *r, const struct admin_named *k)
{
	struct json_object	*o;
	struct admin_row	 row;
	const char		*name = NULL, *comment = NULL, *p[2];

	if ((o = admin_body(r, named_keys)) == NULL ||
	    jsonu_get_str(o, "name", true, &name, &r->err) == -1 ||
	    name_check(name, strlen(name), k->kind, &r->err) == -1 ||
	    admin_get_comment(r, o, &comment) == -1)
		return -1;
	p[0] = name;
	p[1] = comment;
	if (db_begin(r->db, &r->err) == -1 ||
	    admin_row(r, k->insert, p, k->what, name, &row) == -1 ||
	    admin_audit(r, action(r, k, "create"), k->what, name, NULL,
	    row.json) == -1)
		return -1;
	return admin_commit(r, 201, row.json);
}

int
admin_named_update(struct req *r, const struct admin_named *k)
{
	struct json_object	*o;
	struct admin_row	 before, after;
	const char		*name = NULL, *comment = NULL, *p[3];

	if ((o = admin_body(r, named_keys)) == NULL ||
	    jsonu_get_str(o, "name", false, &name, &r->err) == -1 ||
	    admin_get_comment(r, o, &comment) == -1)
		return -1;
	if (name == NULL && comment == NULL)
		return req_fail(r, ERR_BAD_PARAM,
		    "nothing to change: give 'name' or 'comment'");
	if ((name != NULL &&
	    name_check(name, strlen(name), k->kind, &r->err) == -1) ||
	    admin_named_lock(r, k, &before) == -1)
		return -1;
	p[0] = admin_num(r, before.id);
	p[1] = name;
	p[2] = comment;
	if (admin_row(r, k->update, p, k->what, name, &after) == -1 ||
	    admin_audit(r, action(r, k, "update"), k->what, before.name,
	    before.json, after.json) == -1)
		return -1;
	return admin_commit(r, 200, after.json);
}

int
admin_named_delete(struct req *r, const struct admin_named *k)
{
	struct admin_row	 row, gone;
	const char		*p[1];

	if (admin_named_lock(r, k, &row) == -1)
		return -1;
	p[0] = admin_num(r, row.id);
	if (admin_row(r, k->del, p, k->what, row.name, &gone) == -1 ||
	    admin_audit(r, action(r, k, "delete"), k->what, row.name,
	    row.json, NULL) == -1)
		return -1;
	return admin_commit(r, 204, NULL);
}
