/*
 * u-route.c: unit tests for request parsing (req_parse, req_query in
 * src/http_req.c) and route matching (route_match in src/route.c).
 *
 * Requests are built from CGI variables by t/unit/fake-req.c with the
 * prefix "/delta-sharing".  Covered: known routes and their decoded
 * captures, percent-encoding inside names, unknown paths (404), wrong
 * methods (405 with Allow), HEAD and OPTIONS, the prefix boundary,
 * trailing slashes, the segment limit, and query-string parsing.
 * Handlers are never run, so no database is needed.
 */
#include "config.h"

#include <string.h>

#include "arena.h"
#include "buf.h"
#include "err.h"
#include "fake-req.h"
#include "http_req.h"
#include "route.h"
#include "tap.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

#define UUID	"0b1e2f3a-4c5d-4e6f-8a9b-0c1d2e3f4a5b"
#define P	"/delta-sharing"

/* The Allow header as route.c writes it. */
#define ALLOW_G		"Allow: GET, HEAD, OPTIONS\r\n"
#define ALLOW_GP	"Allow: GET, HEAD, POST, OPTIONS\r\n"
#define ALLOW_GPD	"Allow: GET, HEAD, PATCH, DELETE, OPTIONS\r\n"

static void
test_routes(void)
{
	static const struct {
		const char	*name;
		const char	*method;
		const char	*uri;
		enum err_kind	 err;		/* ERR_NONE: matched */
		const char	*pattern;	/* matched route */
		const char	*args[3];
		const char	*allow;		/* expected header, or NULL */
	} cases[] = {
		{ "list shares", "GET", P "/shares", ERR_NONE, "/shares",
		    { NULL }, NULL },
		{ "get share", "GET", P "/shares/s1", ERR_NONE,
		    "/shares/{share}", { "s1" }, NULL },
		{ "list schemas", "GET", P "/shares/s1/schemas", ERR_NONE,
		    "/shares/{share}/schemas", { "s1" }, NULL },
		{ "list tables", "GET", P "/shares/s1/schemas/sc/tables",
		    ERR_NONE, "/shares/{share}/schemas/{schema}/tables",
		    { "s1", "sc" }, NULL },
		{ "all tables", "GET", P "/shares/s1/all-tables", ERR_NONE,
		    "/shares/{share}/all-tables", { "s1" }, NULL },
		{ "HEAD on a GET route", "HEAD", P "/shares/s1", ERR_NONE,
		    "/shares/{share}", { "s1" }, NULL },
		{ "admin login", "POST", P "/admin/login", ERR_NONE,
		    "/admin/login", { NULL }, NULL },
		{ "admin patch account", "PATCH", P "/admin/accounts/a1",
		    ERR_NONE, "/admin/accounts/{account}", { "a1" }, NULL },
		{ "admin delete share", "DELETE", P "/admin/shares/x",
		    ERR_NONE, "/admin/shares/{share}", { "x" }, NULL },
		{ "admin remove member", "DELETE",
		    P "/admin/shares/s/schemas/c/tables/t", ERR_NONE,
		    "/admin/shares/{share}/schemas/{schema}/tables/{table}",
		    { "s", "c", "t" }, NULL },
		{ "admin revoke token", "DELETE",
		    P "/admin/recipients/r/tokens/" UUID, ERR_NONE,
		    "/admin/recipients/{recipient}/tokens/{token}",
		    { "r", UUID }, NULL },
		{ "token id not a UUID", "DELETE",
		    P "/admin/recipients/r/tokens/abc", ERR_BAD_PARAM, NULL,
		    { NULL }, NULL },
		{ "POST on a GET route", "POST", P "/shares", ERR_METHOD, NULL,
		    { NULL }, ALLOW_G },
		{ "PUT on an account", "PUT", P "/admin/accounts/a1",
		    ERR_METHOD, NULL, { NULL }, ALLOW_GPD },
		{ "DELETE on a collection", "DELETE", P "/admin/shares",
		    ERR_METHOD, NULL, { NULL }, ALLOW_GP },
		{ "lowercase method", "get", P "/shares", ERR_METHOD, NULL,
		    { NULL }, ALLOW_G },
		{ "unknown method", "BREW", P "/shares", ERR_METHOD, NULL,
		    { NULL }, ALLOW_G },
		{ "OPTIONS", "OPTIONS", P "/admin/shares", ERR_NONE, NULL,
		    { NULL }, ALLOW_GP },
		{ "OPTIONS on an unknown path", "OPTIONS", P "/nope",
		    ERR_NO_ENDPOINT, NULL, { NULL }, NULL },
		{ "unknown path", "GET", P "/nope", ERR_NO_ENDPOINT, NULL,
		    { NULL }, NULL },
		{ "prefix alone", "GET", P, ERR_NO_ENDPOINT, NULL, { NULL },
		    NULL },
		{ "prefix and slash", "GET", P "/", ERR_NO_ENDPOINT, NULL,
		    { NULL }, NULL },
		{ "prefix run on", "GET", "/delta-sharingX/shares",
		    ERR_NO_ENDPOINT, NULL, { NULL }, NULL },
		{ "other prefix", "GET", "/other/shares", ERR_NO_ENDPOINT,
		    NULL, { NULL }, NULL },
		{ "no prefix", "GET", "/shares", ERR_NO_ENDPOINT, NULL,
		    { NULL }, NULL },
		{ "prefix in another case", "GET", "/Delta-Sharing/shares",
		    ERR_NO_ENDPOINT, NULL, { NULL }, NULL },
		{ "trailing slash", "GET", P "/shares/", ERR_NONE, "/shares",
		    { NULL }, NULL },
		{ "trailing slash after a name", "GET", P "/shares/s1/",
		    ERR_NONE, "/shares/{share}", { "s1" }, NULL },
		{ "two trailing slashes: an empty name", "GET", P "/shares//",
		    ERR_BAD_PARAM, NULL, { NULL }, NULL },
		{ "double slash", "GET", P "//shares", ERR_NO_ENDPOINT, NULL,
		    { NULL }, NULL },
		{ "extra segment", "GET", P "/shares/s1/x", ERR_NO_ENDPOINT,
		    NULL, { NULL }, NULL },
		{ "16 segments", "GET", P "/1/2/3/4/5/6/7/8/9/10/11/12/13/14/"
		    "15/16", ERR_NO_ENDPOINT, NULL, { NULL }, NULL },
		{ "17 segments", "GET", P "/1/2/3/4/5/6/7/8/9/10/11/12/13/14/"
		    "15/16/17", ERR_NO_ENDPOINT, NULL, { NULL }, NULL },
		{ "%41 decodes", "GET", P "/shares/%41bc", ERR_NONE,
		    "/shares/{share}", { "Abc" }, NULL },
		{ "UTF-8 escapes", "GET", P "/shares/caf%C3%A9", ERR_NONE,
		    "/shares/{share}", { "caf\xc3\xa9" }, NULL },
		{ "raw UTF-8", "GET", P "/shares/caf\xc3\xa9", ERR_NONE,
		    "/shares/{share}", { "caf\xc3\xa9" }, NULL },
		{ "plus kept in paths", "GET", P "/shares/a+b", ERR_NONE,
		    "/shares/{share}", { "a+b" }, NULL },
		{ "%25 is one percent", "GET", P "/shares/a%25b", ERR_NONE,
		    "/shares/{share}", { "a%b" }, NULL },
		{ "dot in a share name", "GET", P "/shares/a.b", ERR_NONE,
		    "/shares/{share}", { "a.b" }, NULL },
		{ "%2F inside a name", "GET", P "/shares/a%2Fb", ERR_BAD_PARAM,
		    NULL, { NULL }, NULL },
		{ "%2f lowercase", "GET", P "/shares/a%2fb", ERR_BAD_PARAM,
		    NULL, { NULL }, NULL },
		{ "%20 inside a name", "GET", P "/shares/a%20b", ERR_BAD_PARAM,
		    NULL, { NULL }, NULL },
		{ "%00 inside a name", "GET", P "/shares/a%00b", ERR_BAD_PARAM,
		    NULL, { NULL }, NULL },
		{ "%7F inside a name", "GET", P "/shares/a%7F", ERR_BAD_PARAM,
		    NULL, { NULL }, NULL },
		{ "%2e%2e as a name", "GET", P "/shares/%2e%2e",
		    ERR_BAD_PARAM, NULL, { NULL }, NULL },
		{ "double-encoded dots stay text", "GET",
		    P "/shares/%252e%252e", ERR_NONE, "/shares/{share}",
		    { "%2e%2e" }, NULL },
		{ "dot as a name", "GET", P "/shares/.", ERR_BAD_PARAM, NULL,
		    { NULL }, NULL },
		{ "overlong dot", "GET", P "/shares/%c0%ae", ERR_BAD_PARAM,
		    NULL, { NULL }, NULL },
		{ "invalid UTF-8", "GET", P "/shares/%FF", ERR_BAD_PARAM, NULL,
		    { NULL }, NULL },
		{ "bad escape", "GET", P "/shares/%G0", ERR_BAD_PARAM, NULL,
		    { NULL }, NULL },
		{ "truncated escape", "GET", P "/shares/ab%4", ERR_BAD_PARAM,
		    NULL, { NULL }, NULL },
		{ "dot in a schema name", "GET",
		    P "/shares/s/schemas/a.b/tables", ERR_BAD_PARAM, NULL,
		    { NULL }, NULL },
		{ "dot in a table name", "DELETE",
		    P "/admin/shares/s/schemas/c/tables/a.b", ERR_BAD_PARAM,
		    NULL, { NULL }, NULL },
		{ "escaped literal segment", "GET", P "/%73hares", ERR_NONE,
		    "/shares", { NULL }, NULL },
		{ "query is not path", "GET", P "/shares?x=/y", ERR_NONE,
		    "/shares", { NULL }, NULL },
	};
	struct fake_req	 f;
	struct req	*r = &f.req;
	const char	*vars[5];
	size_t		 i, j, nargs;
	int		 rc;

	for (i = 0; i < NELEM(cases); i++) {
		vars[0] = "REQUEST_METHOD";
		vars[1] = cases[i].method;
		vars[2] = "REQUEST_URI";
		vars[3] = cases[i].uri;
		vars[4] = NULL;
		fake_req_init(&f, vars);
		rc = req_parse(r);
		if (rc == 0)
			rc = route_match(r);
		is_int(rc, cases[i].err == ERR_NONE ? 0 : -1, "%s: rc",
		    cases[i].name);
		is_int(r->err.kind, cases[i].err, "%s: error kind (%s)",
		    cases[i].name, r->err.msg);
		if (cases[i].pattern != NULL) {
			is_str(r->route ? r->route->pattern : NULL,
			    cases[i].pattern, "%s: route", cases[i].name);
			for (nargs = 0; nargs < 3 && cases[i].args[nargs];
			    nargs++)
				;
			is_int(r->nargs, nargs, "%s: argument count",
			    cases[i].name);
			for (j = 0; j < nargs && j < r->nargs; j++)
				is_str(r->args[j], cases[i].args[j],
				    "%s: argument %zu", cases[i].name, j);
		} else if (rc == 0)
			ok(r->route == NULL, "%s: no route", cases[i].name);
		if (cases[i].allow != NULL)
			ok(strstr(buf_str(&r->hdrs), cases[i].allow) != NULL,
			    "%s: header %.*s (have: %s)", cases[i].name,
			    (int)strlen(cases[i].allow) - 2, cases[i].allow,
			    buf_str(&r->hdrs));
		else
			ok(r->hdrs.len == 0, "%s: no headers recorded",
			    cases[i].name);
		fake_req_free(&f);
	}
}

/* Without REQUEST_URI: SCRIPT_NAME + PATH_INFO, already decoded. */
static void
test_path_info(void)
{
	static const struct {
		const char	*name;
		const char	*script, *path_info, *query;
		enum err_kind	 err;
		const char	*arg;
		const char	*param;		/* value of "x" */
	} cases[] = {
		{ "decoded path", P, "/shares/s1", "x=1", ERR_NONE, "s1",
		    "1" },
		{ "percent is literal", P, "/shares/a%2Fb", NULL, ERR_NONE,
		    "a%2Fb", NULL },
		{ "space refused", P, "/shares/a b", NULL, ERR_BAD_PARAM, NULL,
		    NULL },
		{ "no script name", NULL, P "/shares/s2", NULL, ERR_NONE, "s2",
		    NULL },
		{ "nothing at all", NULL, NULL, NULL, ERR_NO_ENDPOINT, NULL,
		    NULL },
	};
	struct fake_req	 f;
	struct req	*r = &f.req;
	const char	*vars[9], *v;
	size_t		 i, n;
	int		 rc;

	for (i = 0; i < NELEM(cases); i++) {
		n = 0;
		vars[n++] = "REQUEST_METHOD";
		vars[n++] = "GET";
		vars[n++] = "SCRIPT_NAME";
		vars[n++] = cases[i].script;
		vars[n++] = "PATH_INFO";
		vars[n++] = cases[i].path_info;
		vars[n++] = "QUERY_STRING";
		vars[n++] = cases[i].query;
		vars[n] = NULL;
		fake_req_init(&f, vars);
		rc = req_parse(r);
		if (rc == 0)
			rc = route_match(r);
		is_int(r->err.kind, cases[i].err, "PATH_INFO %s: error kind "
		    "(%s)", cases[i].name, r->err.msg);
		if (cases[i].arg != NULL && rc == 0)
			is_str(r->nargs > 0 ? r->args[0] : NULL, cases[i].arg,
			    "PATH_INFO %s: argument", cases[i].name);
		if (cases[i].param != NULL) {
			v = NULL;
			is_int(req_query(r, "x", &v), 1,
			    "PATH_INFO %s: QUERY_STRING read", cases[i].name);
			is_str(v, cases[i].param, "PATH_INFO %s: parameter",
			    cases[i].name);
		}
		fake_req_free(&f);
	}
}

static void
test_query(void)
{
	static const struct {
		const char	*name;
		const char	*query;
		const char	*param;
		int		 parse_rc;
		int		 rc;		/* req_query */
		const char	*value;
	} cases[] = {
		{ "simple", "maxResults=10", "maxResults", 0, 1, "10" },
		{ "absent", "maxResults=10", "pageToken", 0, 0, NULL },
		{ "second of two", "a=1&b=2", "b", 0, 1, "2" },
		{ "repeated", "a=1&a=2", "a", 0, -1, NULL },
		{ "repeated, empty values", "a&a", "a", 0, -1, NULL },
		{ "plus is space", "a=x+y", "a", 0, 1, "x y" },
		{ "escaped plus", "a=x%2By", "a", 0, 1, "x+y" },
		{ "escaped name", "%61=1", "a", 0, 1, "1" },
		{ "plus in a name", "a+b=1", "a b", 0, 1, "1" },
		{ "no equals sign", "a", "a", 0, 1, "" },
		{ "empty value", "a=", "a", 0, 1, "" },
		{ "equals in the value", "a=1=2", "a", 0, 1, "1=2" },
		{ "stray ampersands", "&&a=1&", "a", 0, 1, "1" },
		{ "names are case-sensitive", "A=1", "a", 0, 0, NULL },
		{ "UTF-8 value", "a=caf%C3%A9", "a", 0, 1, "caf\xc3\xa9" },
		{ "bad escape", "a=%ZZ", "a", -1, 0, NULL },
		{ "truncated escape", "a=%4", "a", -1, 0, NULL },
		{ "bad escape in a name", "%G=1", "a", -1, 0, NULL },
		{ "NUL in a value", "a=%00", "a", -1, 0, NULL },
		{ "NUL in a name", "a%00b=1", "a", -1, 0, NULL },
		{ "invalid UTF-8", "a=%FF", "a", -1, 0, NULL },
		{ "overlong UTF-8", "a=%C0%AF", "a", -1, 0, NULL },
		{ "empty query", "", "a", 0, 0, NULL },
	};
	struct fake_req	 f;
	struct req	*r = &f.req;
	const char	*v;
	size_t		 i;
	int		 rc;

	for (i = 0; i < NELEM(cases); i++) {
		/* The URI is built in the request's own arena. */
		fake_req_init(&f, NULL);
		f.vars[0] = "REQUEST_METHOD";
		f.vars[1] = "GET";
		f.vars[2] = "REQUEST_URI";
		f.vars[3] = arena_printf(r->arena, P "/shares?%s",
		    cases[i].query);
		rc = req_parse(r);
		is_int(rc, cases[i].parse_rc, "query %s: parse (%s)",
		    cases[i].name, r->err.msg);
		if (rc == -1) {
			is_int(r->err.kind, ERR_BAD_PARAM, "query %s: 400",
			    cases[i].name);
			fake_req_free(&f);
			continue;
		}
		v = NULL;
		rc = req_query(r, cases[i].param, &v);
		is_int(rc, cases[i].rc, "query %s: req_query", cases[i].name);
		if (rc == 1)
			is_str(v, cases[i].value, "query %s: value",
			    cases[i].name);
		if (cases[i].rc == -1)
			ok(r->err.kind == ERR_BAD_PARAM &&
			    strstr(r->err.msg, "more than once") != NULL,
			    "query %s: 400 '%s'", cases[i].name, r->err.msg);
		fake_req_free(&f);
	}
}

/* The parameter count is capped. */
static void
test_query_limit(void)
{
	static const struct {
		const char	*name;
		size_t		 n;
		int		 rc;
	} cases[] = {
		{ "256 parameters", 256, 0 },
		{ "257 parameters", 257, -1 },
	};
	struct fake_req	 f;
	struct req	*r = &f.req;
	struct buf	 b;
	size_t		 i, j;

	for (i = 0; i < NELEM(cases); i++) {
		buf_init(&b, 0);
		buf_adds(&b, P "/shares?");
		for (j = 0; j < cases[i].n; j++)
			buf_addf(&b, "p%zu=%zu&", j, j);
		fake_req_init(&f, NULL);
		f.vars[0] = "REQUEST_METHOD";
		f.vars[1] = "GET";
		f.vars[2] = "REQUEST_URI";
		f.vars[3] = buf_str(&b);
		is_int(req_parse(r), cases[i].rc, "%s", cases[i].name);
		fake_req_free(&f);
		buf_release(&b);
	}
}

int
main(void)
{
	test_routes();
	test_path_info();
	test_query();
	test_query_limit();
	return done_testing();
}
