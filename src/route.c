/*
 * route.c: the route table and dispatch (see route.h).
 *
 * Matching runs on decoded segments.  A path that matches some pattern
 * but not with this method gets 405 and an Allow header listing the
 * methods that would match; no pattern at all gives 404.  HEAD is
 * accepted wherever GET is; OPTIONS answers 204 with Allow (and no CORS
 * headers: browsers are not clients of this API).
 */
#include "config.h"

#include <string.h>

#include "admin.h"
#include "api_file.h"
#include "api_sharing.h"
#include "api_table.h"
#include "auth.h"
#include "buf.h"
#include "http_req.h"
#include "http_resp.h"
#include "name.h"
#include "route.h"

#define G	HTTP_GET
#define P	HTTP_POST
#define PA	HTTP_PATCH
#define D	HTTP_DELETE
#define RCP	AUTH_RECIPIENT
#define ADM	AUTH_ADMIN
#define IN_READ	ROUTE_TOKEN_IN_READ

static const struct route routes[] = {
	{ G, "/shares", sharing_list_shares, RCP, IN_READ },
	{ G, "/shares/{share}", sharing_get_share, RCP, IN_READ },
	{ G, "/shares/{share}/schemas", sharing_list_schemas, RCP, IN_READ },
	{ G, "/shares/{share}/schemas/{schema}/tables", sharing_list_tables,
	    RCP, IN_READ },
	{ G, "/shares/{share}/all-tables", sharing_list_all_tables, RCP,
	    IN_READ },
	{ G, "/shares/{share}/schemas/{schema}/tables/{table}/version",
	    table_version, RCP, IN_READ },
	{ G, "/shares/{share}/schemas/{schema}/tables/{table}",
	    table_head, RCP, IN_READ },
	{ G, "/shares/{share}/schemas/{schema}/tables/{table}/metadata",
	    table_metadata, RCP, IN_READ },
	{ P, "/shares/{share}/schemas/{schema}/tables/{table}/query",
	    table_query, RCP, 0 },
	{ P, "/shares/{share}/schemas/{schema}/tables/{table}/queries/{query}",
	    table_query_status, RCP, 0 },
	{ G, "/shares/{share}/schemas/{schema}/tables/{table}/changes",
	    table_changes, RCP, 0 },
	{ G, "/files/{file}", file_get, AUTH_NONE, 0 },
	{ G, "/health", admin_health_get, AUTH_NONE, 0 },

	{ P, "/admin/login", admin_login, AUTH_NONE, 0 },
	{ P, "/admin/logout", admin_logout, ADM, 0 },
	{ G, "/admin/accounts", admin_account_list, ADM, 0 },
	{ P, "/admin/accounts", admin_account_create, ADM, 0 },
	{ G, "/admin/accounts/{account}", admin_account_get, ADM, 0 },
	{ PA, "/admin/accounts/{account}", admin_account_update, ADM, 0 },
	{ D, "/admin/accounts/{account}", admin_account_delete, ADM, 0 },
	{ G, "/admin/shares", admin_share_list, ADM, 0 },
	{ P, "/admin/shares", admin_share_create, ADM, 0 },
	{ G, "/admin/shares/{share}", admin_share_get, ADM, 0 },
	{ PA, "/admin/shares/{share}", admin_share_update, ADM, 0 },
	{ D, "/admin/shares/{share}", admin_share_delete, ADM, 0 },
	{ G, "/admin/shares/{share}/schemas", admin_schema_list, ADM, 0 },
	{ P, "/admin/shares/{share}/schemas", admin_schema_create, ADM, 0 },
	{ G, "/admin/shares/{share}/schemas/{schema}", admin_schema_get,
	    ADM, 0 },
	{ D, "/admin/shares/{share}/schemas/{schema}", admin_schema_delete,
	    ADM, 0 },
	{ G, "/admin/shares/{share}/schemas/{schema}/tables",
	    admin_member_list, ADM, 0 },
	{ P, "/admin/shares/{share}/schemas/{schema}/tables",
	    admin_member_add, ADM, 0 },
	{ D, "/admin/shares/{share}/schemas/{schema}/tables/{table}",
	    admin_member_remove, ADM, 0 },
	{ G, "/admin/shares/{share}/recipients", admin_grant_list, ADM, 0 },
	{ P, "/admin/shares/{share}/recipients", admin_grant_add, ADM, 0 },
	{ D, "/admin/shares/{share}/recipients/{recipient}",
	    admin_grant_remove, ADM, 0 },
	{ G, "/admin/tables", admin_table_list, ADM, 0 },
	{ P, "/admin/tables", admin_table_create, ADM, 0 },
	{ G, "/admin/tables/{table}", admin_table_get, ADM, 0 },
	{ PA, "/admin/tables/{table}", admin_table_update, ADM, 0 },
	{ D, "/admin/tables/{table}", admin_table_delete, ADM, 0 },
	{ G, "/admin/recipients", admin_recipient_list, ADM, 0 },
	{ P, "/admin/recipients", admin_recipient_create, ADM, 0 },
	{ G, "/admin/recipients/{recipient}", admin_recipient_get, ADM, 0 },
	{ PA, "/admin/recipients/{recipient}", admin_recipient_update, ADM, 0 },
	{ D, "/admin/recipients/{recipient}", admin_recipient_delete, ADM, 0 },
	{ G, "/admin/recipients/{recipient}/tokens", admin_token_list, ADM, 0 },
	{ P, "/admin/recipients/{recipient}/tokens", admin_token_create,
	    ADM, 0 },
	{ D, "/admin/recipients/{recipient}/tokens/{token}",
	    admin_token_revoke, ADM, 0 },
	{ G, "/admin/audit", admin_audit_list, ADM, 0 },
	{ G, "/admin/audit/sharing", admin_audit_sharing_list, ADM, 0 },
	{ G, "/admin/metrics", admin_metrics_get, ADM, 0 },
	{ G, "/admin/credentials", admin_credential_list, ADM, 0 },
	{ P, "/admin/credentials", admin_credential_create, ADM, 0 },
	{ G, "/admin/credentials/{credential}", admin_credential_get, ADM, 0 },
	{ PA, "/admin/credentials/{credential}", admin_credential_update,
	    ADM, 0 },
	{ D, "/admin/credentials/{credential}", admin_credential_delete,
	    ADM, 0 },
};

#define NROUTES	(sizeof(routes) / sizeof(routes[0]))

unsigned
route_count(void)
{
	return NROUTES + 1;
}

unsigned
route_index(const struct route *rt)
{
	return rt == NULL ? 0 : (unsigned)(rt - routes) + 1;
}

int
route_label(unsigned i, const char **method, const char **pattern)
{
	unsigned	 m;

	if (i == 0 || i > NROUTES) {
		*method = "";
		*pattern = "none";
		return i == 0 ? 0 : -1;
	}
	for (m = 1; !(routes[i - 1].methods & m); m <<= 1)
		;
	*method = req_method_name((enum http_method)m);
	*pattern = routes[i - 1].pattern;
	return 0;
}

bool
route_is_sharing(const struct route *rt)
{
	return rt != NULL && (rt->auth == AUTH_RECIPIENT || rt->fn == file_get);
}

struct capture {
	const char	*name;		/* points into the pattern: "{share}..." */
	size_t		 seg;
};

/* Does the pattern match the request's segments?  Records captures. */
static int
pattern_match(const struct req *r, const char *pat, struct capture *caps,
    size_t *ncap)
{
	const char	*p = pat, *seg;
	size_t		 i = 0, n = 0, len;

	while (*p == '/') {
		seg = ++p;
		len = strcspn(seg, "/");
		if (i >= r->nsegs)
			return 0;
		if (*seg == '{') {
			caps[n].name = seg;
			caps[n++].seg = i;
		} else if (len != r->seglen[i] ||
		    memcmp(seg, r->segs[i], len) != 0)
			return 0;
		i++;
		p = seg + len;
	}
	if (i != r->nsegs)
		return 0;
	*ncap = n;
	return 1;
}

static int
is_uuid(const char *s, size_t len)
{
	size_t	 i;

	if (len != 36)
		return 0;
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return 0;
		} else if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'a' && s[i] <= 'f') ||
		    (s[i] >= 'A' && s[i] <= 'F')))
			return 0;
	}
	return 1;
}

/* A file URL token: base64url, as fileurl.c writes it. */
static int
is_b64url(const char *s, size_t len)
{
	if (len == 0 || len > 8192)
		return 0;
	return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789-_") == len;
}

static const struct {
	const char	*cap;
	enum name_kind	 kind;
} capkinds[] = {
	{ "{share}", NAME_SHARE }, { "{schema}", NAME_SCHEMA },
	{ "{table}", NAME_TABLE }, { "{recipient}", NAME_RECIPIENT },
	{ "{account}", NAME_ACCOUNT }, { "{credential}", NAME_CREDENTIAL },
};

/* Validate the captures of the matched route into req->args. */
static int
check_captures(struct req *r, const struct capture *caps, size_t ncap)
{
	const char	*v;
	size_t		 c, k, len;

	r->nargs = 0;
	for (c = 0; c < ncap; c++) {
		v = r->segs[caps[c].seg];
		len = r->seglen[caps[c].seg];
		if (strncmp(caps[c].name, "{token}", 7) == 0) {
			if (!is_uuid(v, len))
				return req_fail(r, ERR_BAD_PARAM,
				    "invalid token id");
		} else if (strncmp(caps[c].name, "{file}", 6) == 0) {
			if (!is_b64url(v, len))
				return req_fail(r, ERR_FORBIDDEN,
				    "invalid file URL");
		} else {
			for (k = 0; k < sizeof(capkinds) / sizeof(capkinds[0]);
			    k++)
				if (strncmp(caps[c].name, capkinds[k].cap,
				    strlen(capkinds[k].cap)) == 0)
					break;
			if (name_check(v, len, capkinds[k].kind,
			    &r->err) == -1)
				return -1;
		}
		r->args[r->nargs++] = v;
	}
	return 0;
}

static void
allow_header(struct req *r, unsigned allowed)
{
	struct buf	 b;
	unsigned	 m;

	if (allowed & HTTP_GET)
		allowed |= HTTP_HEAD;
	allowed |= HTTP_OPTIONS;
	buf_init(&b, 0);
	for (m = 1; m < HTTP_OTHER; m <<= 1)
		if (allowed & m)
			buf_addf(&b, "%s%s", b.len ? ", " : "",
			    req_method_name((enum http_method)m));
	resp_header(r, "Allow", "%s", buf_str(&b));
	buf_release(&b);
}

/*
 * Find the route for the request's method and path; record its captures
 * (not yet validated) in caps.  OPTIONS and 405 set the Allow header.
 */
static int
find(struct req *r, struct capture *found, size_t *nfound)
{
	struct capture	 caps[REQ_MAX_SEGS];
	unsigned	 allowed = 0, m = r->method;
	size_t		 i, ncap;

	r->route = NULL;
	*nfound = 0;
	if (m == HTTP_HEAD)
		m = HTTP_GET;
	for (i = 0; i < NROUTES; i++) {
		if (!pattern_match(r, routes[i].pattern, caps, &ncap))
			continue;
		allowed |= routes[i].methods;
		if ((routes[i].methods & m) && r->route == NULL) {
			r->route = &routes[i];
			memcpy(found, caps, ncap * sizeof(caps[0]));
			*nfound = ncap;
		}
	}
	if (allowed == 0)
		return req_fail(r, ERR_NO_ENDPOINT, "no such endpoint");
	if (r->route == NULL || r->method == HTTP_OPTIONS) {
		allow_header(r, allowed);
		r->route = NULL;
		if (r->method == HTTP_OPTIONS)
			return 0;
		return req_fail(r, ERR_METHOD, "method %s not allowed here",
		    r->method_str);
	}
	return 0;
}

int
route_match(struct req *r)
{
	struct capture	 caps[REQ_MAX_SEGS];
	size_t		 ncap;

	if (find(r, caps, &ncap) == -1)
		return -1;
	if (r->route == NULL)
		return 0;
	return check_captures(r, caps, ncap);
}

/* A handler failed with the token still unread: 401 comes first. */
static int
token_first(struct req *r)
{
	struct err	 e = r->err;

	if (auth_lookup(r->db, r->arena, &r->who, &r->err) == -1)
		return -1;
	r->err = e;
	return -1;
}

/*
 * Credentials are checked before the names in the path, so a caller
 * without a valid token learns nothing but 401.
 */
int
route_dispatch(struct req *r)
{
	struct capture	 caps[REQ_MAX_SEGS];
	size_t		 ncap;
	int		 rc;

	if (find(r, caps, &ncap) == -1)
		return -1;
	if (r->route == NULL)		/* OPTIONS */
		return resp_empty(r, 204);
	if (r->route->auth != AUTH_NONE) {
		if (auth_verify(r->conf, r->arena,
		    req_env(r, "HTTP_AUTHORIZATION"), r->route->auth,
		    r->now_ms / 1000, &r->who, &r->err) == -1)
			return -1;
		if (!(r->route->flags & ROUTE_TOKEN_IN_READ) &&
		    auth_lookup(r->db, r->arena, &r->who, &r->err) == -1)
			return -1;
	}
	rc = check_captures(r, caps, ncap) == -1 ? -1 : r->route->fn(r);
	if (rc == -1 && r->who.pending)
		return token_first(r);
	return rc;
}
