/*
 * admin_recipient.c: admin handlers for recipients and their tokens.
 *
 * A recipient holds any number of bearer tokens.  Creating one returns
 * the profile file once; the server keeps only the token's id (the JWT
 * jti), dates and revocation, never the token itself.  Revoking sets
 * revoked_at, which the next request carrying the token sees.  Deleting
 * a recipient deletes its grants and tokens.
 */
#include "config.h"

#include <string.h>

#include <json-c/json.h>

#include "admin.h"
#include "arena.h"
#include "buf.h"
#include "conf.h"
#include "crypto.h"
#include "db.h"
#include "http_req.h"
#include "jsonu.h"
#include "jsonw.h"
#include "name.h"
#include "token.h"

static const struct admin_named recipients = {
	"recipient", NAME_RECIPIENT, STMT_RECIPIENT_INSERT,
	STMT_RECIPIENT_LOCK, STMT_RECIPIENT_UPDATE, STMT_RECIPIENT_DELETE
};

static int
lock_recipient(struct req *r, struct admin_row *rc)
{
	return admin_named_lock(r, &recipients, rc);
}

int
admin_recipient_list(struct req *r)
{
	return admin_list(r, STMT_RECIPIENT_LIST, ADMIN_LIST_RECIPIENTS, 0,
	    NULL, 0);
}

int
admin_recipient_get(struct req *r)
{
	struct admin_row	 rc;
	const char		*p[1] = { r->args[0] };

	if (admin_row(r, STMT_RECIPIENT_GET, p, "recipient", r->args[0],
	    &rc) == -1)
		return -1;
	return admin_send(r, 200, rc.json);
}

int
admin_recipient_create(struct req *r)
{
	return admin_named_create(r, &recipients);
}

int
admin_recipient_update(struct req *r)
{
	return admin_named_update(r, &recipients);
}

int
admin_recipient_delete(struct req *r)
{
	return admin_named_delete(r, &recipients);
}

int
admin_token_list(struct req *r)
{
	struct admin_row	 rc;
	struct db_res		*res;
	struct buf		 b;
	struct jsonw		 w;
	const char		*p[1] = { r->args[0] };
	int			 i, n, ret;

	if (admin_row(r, STMT_RECIPIENT_GET, p, "recipient", r->args[0],
	    &rc) == -1)
		return -1;
	p[0] = admin_num(r, rc.id);
	if (db_exec(r->db, r->arena, STMT_TOKEN_LIST, p, &res, &r->err) == -1)
		return -1;
	buf_init(&b, 0);
	jsonw_init(&w, &b);
	jsonw_obj_open(&w);
	if ((n = db_rows(res)) > 0) {
		jsonw_key(&w, "items");
		jsonw_arr_open(&w);
		for (i = 0; i < n; i++)
			jsonw_raw(&w, db_val(res, i, 1));
		jsonw_arr_close(&w);
	}
	jsonw_obj_close(&w);
	ret = admin_send(r, 200, buf_str(&b));
	buf_release(&b);
	return ret;
}

int
admin_token_create(struct req *r)
{
	static const char *const keys[] = { "ttlSeconds", NULL };
	struct json_object	*o;
	struct admin_row	 rc, t;
	char			 jti[CRYPTO_UUID_STRLEN], *jwt;
	const char		*p[3];
	int64_t			 ttl, now = r->now_ms / 1000, exp;

	ttl = r->conf->auth_recipient_token_ttl;
	if ((o = admin_body(r, keys)) == NULL ||
	    jsonu_get_i64(o, "ttlSeconds", false, 60,
	    r->conf->auth_max_token_ttl, &ttl, NULL, &r->err) == -1 ||
	    lock_recipient(r, &rc) == -1)
		return -1;
	crypto_uuid4(jti);
	exp = now + ttl;
	p[0] = jti;
	p[1] = admin_num(r, rc.id);
	p[2] = admin_num(r, exp);
	if (admin_row(r, STMT_TOKEN_INSERT_RECIPIENT, p, NULL, NULL,
	    &t) == -1 ||
	    admin_audit(r, "token.create", "token", arena_printf(r->arena,
	    "%s:%s", rc.name, jti), NULL, t.json) == -1)
		return -1;
	if ((jwt = token_issue(r->conf, r->conf->auth_recipient_audience,
	    rc.name, jti, now, exp, &r->err)) == NULL)
		return -1;
	return admin_commit_profile(r, 201, jwt, exp, jti, rc.name);
}

int
admin_token_revoke(struct req *r)
{
	struct admin_row	 rc, t;
	const char		*p[2];

	if (lock_recipient(r, &rc) == -1)
		return -1;
	p[0] = admin_num(r, rc.id);
	p[1] = r->args[1];
	if (admin_row(r, STMT_TOKEN_REVOKE, p, "token", r->args[1], &t) == -1 ||
	    admin_audit(r, "token.revoke", "token", arena_printf(r->arena,
	    "%s:%s", rc.name, r->args[1]), NULL, t.json) == -1)
		return -1;
	return admin_commit(r, 204, NULL);
}
