/*
 * auth.c: bearer token to principal (see auth.h).
 *
 * The JWT says which token it is; the database says whether that token
 * still counts.  Looking the jti up on every request is what makes a
 * revocation take effect on the very next request.
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
auth_check(const struct conf *c, struct db *db, struct arena *a,
    const char *authz, enum auth_kind want, int64_t now, struct principal *p,
    struct err *e)
{
	struct token_claims	 cl;
	struct db_res		*res;
	const char		*tok, *aud, *kind, *params[1];

	memset(p, 0, sizeof(*p));
	if (token_front_check(authz, (size_t)c->max_auth_header, &tok, e) == -1)
		return -1;
	aud = want == AUTH_ADMIN ? c->auth_admin_audience :
	    c->auth_recipient_audience;
	if (token_verify(c, a, tok, aud, now, &cl, e) == -1)
		return -1;
	params[0] = cl.jti;
	if (db_exec(db, a, STMT_TOKEN_LOOKUP, params, &res, e) == -1)
		return -1;
	if (db_rows(res) != 1)
		return err_set(e, ERR_UNAUTHENTICATED, "unknown token");
	kind = db_val(res, 0, 0);
	if (strcmp(kind, want == AUTH_ADMIN ? "admin" : "recipient") != 0)
		return err_set(e, ERR_UNAUTHENTICATED,
		    "token not valid for this API");
	if (db_bool(res, 0, 3))
		return err_set(e, ERR_UNAUTHENTICATED, "token revoked");
	if (db_bool(res, 0, 4))
		return err_set(e, ERR_UNAUTHENTICATED, "token expired");
	p->kind = want;
	p->id = db_i64(res, 0, 1);
	p->name = arena_strdup(a, db_val(res, 0, 2));
	p->token_id = cl.jti;
	return 0;
}
