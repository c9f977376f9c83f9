/*
 * u-http-req.c: unit tests for the request body and endpoint helpers of
 * src/http_req.c: req_read_body() with every shape of CONTENT_LENGTH
 * (missing, invalid, negative, over server.max_body, short), bodies
 * delivered in pieces or failing half-way, NUL termination, and
 * req_endpoint() with and without server.public_url.
 *
 * The request comes from t/unit/fake-req.c (max_body 1024).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "err.h"
#include "fake-req.h"
#include "http_req.h"
#include "tap.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static void
test_read_body(void)
{
	static const char	 big[] = "0123456789";
	static const struct {
		const char	*name;
		const char	*cl;		/* CONTENT_LENGTH or NULL */
		const char	*body;
		size_t		 bodylen;
		size_t		 chunk;		/* 0: all at once */
		int		 fail_read;
		enum err_kind	 err;
		size_t		 want;		/* bodylen on success */
		const char	*msg;
	} cases[] = {
		{ "no CONTENT_LENGTH", NULL, "", 0, 0, 0, ERR_NONE, 0, NULL },
		{ "no CONTENT_LENGTH, body sent", NULL, "abc", 3, 0, 0,
		    ERR_NONE, 0, NULL },
		{ "empty CONTENT_LENGTH", "", "", 0, 0, 0, ERR_NONE, 0, NULL },
		{ "zero", "0", "", 0, 0, 0, ERR_NONE, 0, NULL },
		{ "exact", "3", "abc", 3, 0, 0, ERR_NONE, 3, NULL },
		{ "in one-byte pieces", "10", big, 10, 1, 0, ERR_NONE, 10,
		    NULL },
		{ "in three-byte pieces", "10", big, 10, 3, 0, ERR_NONE, 10,
		    NULL },
		{ "more sent than announced", "3", "abcdef", 6, 0, 0, ERR_NONE,
		    3, NULL },
		{ "NUL bytes inside", "5", "a\0b\0c", 5, 0, 0, ERR_NONE, 5,
		    NULL },
		{ "not a number", "abc", "", 0, 0, 0, ERR_MALFORMED, 0,
		    "Content-Length" },
		{ "negative", "-1", "", 0, 0, 0, ERR_MALFORMED, 0,
		    "Content-Length" },
		{ "plus sign", "+3", "abc", 3, 0, 0, ERR_MALFORMED, 0,
		    "Content-Length" },
		{ "leading space", " 3", "abc", 3, 0, 0, ERR_MALFORMED, 0,
		    "Content-Length" },
		{ "trailing space", "3 ", "abc", 3, 0, 0, ERR_MALFORMED, 0,
		    "Content-Length" },
		{ "hex", "0x3", "abc", 3, 0, 0, ERR_MALFORMED, 0,
		    "Content-Length" },
		{ "two values", "3, 3", "abc", 3, 0, 0, ERR_MALFORMED, 0,
		    "Content-Length" },
		{ "beyond int64", "99999999999999999999", "", 0, 0, 0,
		    ERR_MALFORMED, 0, "Content-Length" },
		{ "INT64_MAX", "9223372036854775807", "", 0, 0, 0,
		    ERR_TOO_LARGE, 0, "1024" },
		{ "at max_body", "1024", NULL, 1024, 0, 0, ERR_NONE, 1024,
		    NULL },
		{ "one over max_body", "1025", NULL, 1025, 0, 0, ERR_TOO_LARGE,
		    0, "exceeds 1024 bytes" },
		{ "short body", "10", "abc", 3, 0, 0, ERR_MALFORMED, 0,
		    "shorter than Content-Length" },
		{ "short body in pieces", "10", "abcdef", 6, 2, 0,
		    ERR_MALFORMED, 0, "shorter" },
		{ "no body at all", "10", "", 0, 0, 0, ERR_MALFORMED, 0,
		    "shorter" },
		{ "read error half-way", "10", "abc", 3, 0, 1, ERR_MALFORMED,
		    0, "shorter" },
	};
	static char	 filler[1100];
	struct fake_req	 f;
	struct req	*r = &f.req;
	const char	*vars[3];
	size_t		 i;
	int		 rc;

	memset(filler, 'x', sizeof(filler));
	for (i = 0; i < NELEM(cases); i++) {
		vars[0] = "CONTENT_LENGTH";
		vars[1] = cases[i].cl;
		vars[2] = NULL;
		fake_req_init(&f, vars);
		f.body = cases[i].body != NULL ? cases[i].body : filler;
		f.bodylen = cases[i].bodylen;
		f.chunk = cases[i].chunk;
		f.fail_read = cases[i].fail_read;
		rc = req_read_body(r);
		is_int(rc, cases[i].err == ERR_NONE ? 0 : -1, "body %s: rc",
		    cases[i].name);
		is_int(r->err.kind, cases[i].err, "body %s: error kind (%s)",
		    cases[i].name, r->err.msg);
		if (cases[i].err == ERR_NONE) {
			is_int(r->bodylen, cases[i].want, "body %s: length",
			    cases[i].name);
			if (ok(r->body != NULL, "body %s: body set",
			    cases[i].name)) {
				is_mem(r->body, r->bodylen, f.body,
				    cases[i].want, "body %s: bytes",
				    cases[i].name);
				is_int(r->body[r->bodylen], 0,
				    "body %s: NUL-terminated", cases[i].name);
			}
			/* A second call gives the same body, reads nothing. */
			f.pos = 0;
			is_int(req_read_body(r), 0, "body %s: second call",
			    cases[i].name);
			is_int(f.pos, 0, "body %s: read once", cases[i].name);
		} else
			ok(strstr(r->err.msg, cases[i].msg) != NULL,
			    "body %s: message '%s'", cases[i].name,
			    r->err.msg);
		fake_req_free(&f);
	}
}

static void
test_endpoint(void)
{
	static const struct {
		const char	*name;
		const char	*public_url;
		const char	*vars[9];
		const char	*want;
	} cases[] = {
		{ "public_url wins", "https://ds.example/api", { "HTTP_HOST",
		    "evil.example", NULL }, "https://ds.example/api" },
		{ "Host header", NULL, { "HTTP_HOST", "ds.example:8443",
		    "HTTPS", "on", NULL }, "https://ds.example:8443"
		    "/delta-sharing" },
		{ "HTTPS=1", NULL, { "HTTP_HOST", "h", "HTTPS", "1", NULL },
		    "https://h/delta-sharing" },
		{ "HTTPS off", NULL, { "HTTP_HOST", "h", "HTTPS", "off",
		    NULL }, "http://h/delta-sharing" },
		{ "bad Host falls back", NULL, { "HTTP_HOST", "h/x@evil",
		    "SERVER_NAME", "srv", "SERVER_PORT", "8080", NULL },
		    "http://srv:8080/delta-sharing" },
		{ "bad port ignored", NULL, { "SERVER_NAME", "srv",
		    "SERVER_PORT", "80x", NULL }, "http://srv/delta-sharing" },
		{ "nothing known", NULL, { NULL }, "http://localhost"
		    "/delta-sharing" },
		{ "IPv6 Host", NULL, { "HTTP_HOST", "[::1]:80", NULL },
		    "http://[::1]:80/delta-sharing" },
	};
	static char	 url[64];
	struct fake_req	 f;
	size_t		 i;

	for (i = 0; i < NELEM(cases); i++) {
		fake_req_init(&f, cases[i].vars);
		if (cases[i].public_url != NULL) {
			snprintf(url, sizeof(url), "%s", cases[i].public_url);
			f.conf.public_url = url;
		}
		is_str(req_endpoint(&f.req), cases[i].want, "endpoint %s",
		    cases[i].name);
		fake_req_free(&f);
	}
}

/* Log lines never carry a file URL's token. */
static void
test_log_path(void)
{
	static const struct {
		const char	*uri;
		const char	*want;
	} cases[] = {
		{ "/delta-sharing/files/AQEAAAAsecret", "/delta-sharing/files/[token]" },
		{ "/delta-sharing/files/AQEAAAAsecret?x=1",
		    "/delta-sharing/files/[token]" },
		{ "/delta-sharing/shares/files", "/delta-sharing/shares/files" },
		{ "/delta-sharing/shares?maxResults=1", "/delta-sharing/shares" },
	};
	struct fake_req	 f;
	size_t		 i;

	for (i = 0; i < NELEM(cases); i++) {
		const char *vars[] = { "REQUEST_METHOD", "GET", "REQUEST_URI",
		    cases[i].uri, NULL };

		fake_req_init(&f, vars);
		is_int(req_parse(&f.req), 0, "log path %zu parses", i);
		is_str(req_log_path(&f.req), cases[i].want, "log path %zu", i);
		fake_req_free(&f);
	}
}

static void
test_method_names(void)
{
	static const struct {
		enum http_method	 m;
		const char		*s;
	} cases[] = {
		{ HTTP_GET, "GET" }, { HTTP_HEAD, "HEAD" },
		{ HTTP_POST, "POST" }, { HTTP_PUT, "PUT" },
		{ HTTP_PATCH, "PATCH" }, { HTTP_DELETE, "DELETE" },
		{ HTTP_OPTIONS, "OPTIONS" }, { HTTP_OTHER, "OTHER" },
	};
	size_t	 i;

	for (i = 0; i < NELEM(cases); i++)
		is_str(req_method_name(cases[i].m), cases[i].s, "method %s",
		    cases[i].s);
}

int
main(void)
{
	test_read_body();
	test_endpoint();
	test_method_names();
	test_log_path();
	return done_testing();
}
