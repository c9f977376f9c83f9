/*
 * admin_account.c: admin accounts, login and logout.
 *
 * Login trades an account name and password for an admin bearer token
 * (a profile, like recipients get).  Failed logins are counted per
 * account name in PostgreSQL, so all workers share one budget: after
 * auth.login_max_failures failures within auth.login_lockout seconds the
 * name is locked for that long and every attempt, right or wrong, gets
 * 429 with Retry-After.  Unknown names are throttled and hashed the same
 * way, so neither timing nor lockout tells which accounts exist.
 */
#include "config.h"

#include <stdlib.h>
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
#include "log.h"
#include "name.h"
#include "passwd.h"
#include "token.h"

int
admin_account_list(struct req *r)
{
	return admin_list(r, STMT_ACCOUNT_LIST, ADMIN_LIST_ACCOUNTS, 0, NULL, 0);
}

int
admin_account_get(struct req *r)
{
	struct admin_row	 a;
	const char		*p[1] = { r->args[0] };

	if (admin_row(r, STMT_ACCOUNT_GET, p, "account", r->args[0], &a) == -1)
		return -1;
	return admin_send(r, 200, a.json);
}

static int
get_password(struct req *r, struct json_object *o, char hash[PASSWD_HASHMAX])
{
	const char	*pw = NULL;

	if (jsonu_get_str(o, "password", true, &pw, &r->err) == -1 ||
	    passwd_check_policy(pw, &r->err) == -1)
		return -1;
	return passwd_hash(pw, hash, &r->err);
}

int
admin_account_create(struct req *r)
{
	static const char *const keys[] = { "name", "password", NULL };
	struct json_object	*o;
	struct admin_row	 a;
	char			 hash[PASSWD_HASHMAX];
	const char		*name = NULL, *p[2];

	if ((o = admin_body(r, keys)) == NULL ||
	    jsonu_get_str(o, "name", true, &name, &r->err) == -1 ||
	    name_check(name, strlen(name), NAME_ACCOUNT, &r->err) == -1 ||
	    get_password(r, o, hash) == -1)
		return -1;
	p[0] = name;
	p[1] = hash;
	if (db_begin(r->db, &r->err) == -1 ||
	    admin_row(r, STMT_ACCOUNT_INSERT, p, "account", name, &a) == -1 ||
	    admin_audit(r, "account.create", "account", name, NULL,
	    a.json) == -1)
		return -1;
	return admin_commit(r, 201, a.json);
}

int
admin_account_update(struct req *r)
{
	static const char *const keys[] = { "password", NULL };
	struct json_object	*o;
	struct admin_row	 a;
	char			 hash[PASSWD_HASHMAX];
	const char		*p[2];

	if ((o = admin_body(r, keys)) == NULL || get_password(r, o, hash) == -1)
		return -1;
	p[0] = r->args[0];
	p[1] = hash;
	if (db_begin(r->db, &r->err) == -1 ||
	    admin_row(r, STMT_ACCOUNT_SET_PASSWORD, p, "account", r->args[0],
	    &a) == -1)
		return -1;
	/* The old password's sessions end, except the caller's own. */
	p[1] = r->who.token_id;
	if (db_exec(r->db, r->arena, STMT_TOKEN_REVOKE_ACCOUNT, p, NULL,
	    &r->err) == -1 ||
	    admin_audit(r, "account.password", "account", a.name ? a.name :
	    r->args[0], NULL, a.json) == -1)
		return -1;
	return admin_commit(r, 200, a.json);
}

int
admin_account_delete(struct req *r)
{
	struct admin_row	 a;
	struct db_res		*res;
	const char		*p[1] = { r->args[0] };

	if (db_begin(r->db, &r->err) == -1 ||
	    db_exec(r->db, r->arena, STMT_ACCOUNT_LOCK, NULL, NULL,
	    &r->err) == -1 ||
	    db_exec(r->db, r->arena, STMT_ACCOUNT_COUNT, NULL, &res,
	    &r->err) == -1)
		return -1;
	if (admin_row(r, STMT_ACCOUNT_DELETE, p, "account", r->args[0],
	    &a) == -1)
		return -1;
	if (db_i64(res, 0, 0) <= 1)
		return req_fail(r, ERR_CONFLICT,
		    "cannot delete the last admin account");
	if (admin_audit(r, "account.delete", "account", r->args[0], a.json,
	    NULL) == -1)
		return -1;
	return admin_commit(r, 204, NULL);
}

/* 429 while the name is locked out. */
static int
check_throttle(struct req *r, const char *account)
{
	struct db_res	*res;
	const char	*p[1] = { account };

	if (db_exec(r->db, r->arena, STMT_THROTTLE_CHECK, p, &res,
	    &r->err) == -1)
		return -1;
	if (db_rows(res) == 0)
		return 0;
	r->err.retry_after = (int)db_i64(res, 0, 0);
	return req_fail(r, ERR_RATE_LIMITED,
	    "too many failed logins; try again later");
}

static int
login_failed(struct req *r, const char *account)
{
	const char	*p[3];

	p[0] = account;
	p[1] = admin_num(r, r->conf->auth_login_max_failures);
	p[2] = admin_num(r, r->conf->auth_login_lockout);
	if (db_exec(r->db, r->arena, STMT_THROTTLE_FAIL, p, NULL,
	    &r->err) == -1 ||
	    db_exec(r->db, r->arena, STMT_THROTTLE_PRUNE, p + 2, NULL,
	    &r->err) == -1)
		return -1;
	log_info("failed admin login for account '%.64s' from %s", account,
	    req_env(r, "REMOTE_ADDR") ? req_env(r, "REMOTE_ADDR") : "?");
	return req_fail(r, ERR_UNAUTHENTICATED, "invalid account or password");
}

/* Record the token and sign it; returns the JWT (caller wipes, frees). */
static char *
issue_admin_token(struct req *r, int64_t account_id, const char *name,
    int64_t *exp)
{
	char		 jti[CRYPTO_UUID_STRLEN];
	const char	*p[3];
	int64_t		 now = r->now_ms / 1000;

	crypto_uuid4(jti);
	*exp = now + r->conf->auth_admin_token_ttl;
	p[0] = jti;
	p[1] = admin_num(r, account_id);
	p[2] = admin_num(r, *exp);
	if (db_exec(r->db, r->arena, STMT_TOKEN_INSERT_ADMIN, p, NULL,
	    &r->err) == -1)
		return NULL;
	return token_issue(r->conf, r->conf->auth_admin_audience, name, jti,
	    now, *exp, &r->err);
}

int
admin_login(struct req *r)
{
	static const char *const keys[] = { "account", "password", NULL };
	struct json_object	*o;
	struct db_res		*res;
	char			 newhash[PASSWD_HASHMAX], *jwt;
	const char		*account = NULL, *pw = NULL, *hash, *p[2];
	int64_t			 id, exp;

	if ((o = admin_body(r, keys)) == NULL ||
	    jsonu_get_str(o, "account", true, &account, &r->err) == -1 ||
	    jsonu_get_str(o, "password", true, &pw, &r->err) == -1)
		return -1;
	if (strlen(pw) > PASSWD_MAX || strlen(account) > 1024)
		return req_fail(r, ERR_BAD_PARAM, "account or password too long");
	if (check_throttle(r, account) == -1)
		return -1;
	p[0] = account;
	if (db_exec(r->db, r->arena, STMT_ACCOUNT_AUTH, p, &res,
	    &r->err) == -1)
		return -1;
	hash = db_rows(res) == 1 ? db_val(res, 0, 2) : NULL;
	if (!passwd_verify(pw, hash))
		return login_failed(r, account);
	id = db_i64(res, 0, 0);
	r->who.name = arena_strdup(r->arena, db_val(res, 0, 1));
	p[0] = admin_num(r, id);
	p[1] = NULL;
	if (passwd_needs_rehash(hash) && passwd_hash(pw, newhash,
	    &r->err) == 0)
		p[1] = newhash;
	if (db_begin(r->db, &r->err) == -1 ||
	    db_exec(r->db, r->arena, STMT_THROTTLE_CLEAR, &account, NULL,
	    &r->err) == -1 ||
	    db_exec(r->db, r->arena, STMT_ACCOUNT_LOGGED_IN, p, NULL,
	    &r->err) == -1 ||
	    admin_audit(r, "account.login", "account", r->who.name, NULL,
	    NULL) == -1 ||
	    (jwt = issue_admin_token(r, id, r->who.name, &exp)) == NULL)
		return -1;
	return admin_commit_profile(r, 200, jwt, exp, NULL, NULL);
}

int
admin_logout(struct req *r)
{
	const char	*p[1] = { r->who.token_id };

	if (db_begin(r->db, &r->err) == -1 ||
	    db_exec(r->db, r->arena, STMT_TOKEN_REVOKE_ID, p, NULL,
	    &r->err) == -1 ||
	    admin_audit(r, "account.logout", "account", r->who.name, NULL,
	    NULL) == -1)
		return -1;
	return admin_commit(r, 204, NULL);
}
