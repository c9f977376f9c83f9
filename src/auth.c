/*
 * auth.c: bearer token to principal (see auth.h).
 *
 * The JWT says which token it is; the database says whether that token
 * still counts.  Looking the jti up on every request is what makes a
 * revocation take effect on the very next request: either with its own
 * statement (auth_lookup) or inside the handler's first catalog read
 * (auth_settle on that statement's token columns).  Those reads may be
 * answered by the worker's catalog cache, which is dropped before the
 * next read once a change (a revocation included) is committed on this
 * host or notified by PostgreSQL (db.h); the expiry is compared with
 * the clock here, on every request.
 */
#include "config.h"

#include <string.h>

#include "arena.h"
#include "auth.h"
#include "conf.h"
#include "db.h"
#include "err.h"
#include "token.h"

int
auth_verify(const struct conf *c, struct arena *a, const char *authz,
    enum auth_kind want, int64_t now, struct principal *p, struct err *e)
{
	struct token_claims	 cl;
	const char		*tok, *aud;

	memset(p, 0, sizeof(*p));
	if (token_front_check(authz, (size_t)c->max_auth_header, &tok, e) == -1)
		return -1;
	aud = want == AUTH_ADMIN ? c->auth_admin_audience :
	    c->auth_recipient_audience;
	if (token_verify(c, a, tok, aud, now, &cl, e) == -1)
		return -1;
	p->kind = want;
	p->token_id = cl.jti;
	p->now = now;
	p->pending = true;
	return 0;
}

static int
refuse(struct principal *p, struct err *e, const char *why)
{
	memset(p, 0, sizeof(*p));
	return err_set(e, ERR_UNAUTHENTICATED, "%s", why);
}

int
auth_settle(struct principal *p, const struct db_res *res, struct arena *a,
    struct err *e)
{
	const char	*kind;

	if (db_rows(res) < 1)
		return refuse(p, e, "unknown token");
	kind = db_val(res, 0, 0);
	if (strcmp(kind, p->kind == AUTH_ADMIN ? "admin" : "recipient") != 0)
		return refuse(p, e, "token not valid for this API");
	if (db_bool(res, 0, 3))
		return refuse(p, e, "token revoked");
	if (db_i64(res, 0, 4) <= p->now)
		return refuse(p, e, "token expired");
	p->id = db_i64(res, 0, 1);
	p->name = arena_strdup(a, db_val(res, 0, 2));
	p->pending = false;
	return 0;
}

int
auth_lookup(struct db *db, struct arena *a, struct principal *p,
    struct err *e)
{
	struct db_res	*res;
	const char	*params[1];

	if (!p->pending)
		return 0;
	params[0] = p->token_id;
	if (db_exec(db, a, STMT_TOKEN_LOOKUP, params, &res, e) == -1) {
		memset(p, 0, sizeof(*p));
		return -1;
	}
	return auth_settle(p, res, a, e);
}

int
auth_check(const struct conf *c, struct db *db, struct arena *a,
    const char *authz, enum auth_kind want, int64_t now, struct principal *p,
    struct err *e)
{
	if (auth_verify(c, a, authz, want, now, p, e) == -1)
		return -1;
	return auth_lookup(db, a, p, e);
}
