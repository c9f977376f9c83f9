/*
 * http_req.c: request parsing from CGI parameters (see http_req.h).
 *
 * The path comes from REQUEST_URI, which every supported front end passes
 * undecoded, so "%2F" inside a name is seen as such and each segment is
 * decoded exactly once.  When REQUEST_URI is missing (some plain CGI
 * servers), SCRIPT_NAME and PATH_INFO are used and are already decoded.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "conf.h"
#include "http_req.h"
#include "strutil.h"

static const struct {
	const char		*name;
	enum http_method	 m;
} methods[] = {
	{ "GET", HTTP_GET }, { "HEAD", HTTP_HEAD }, { "POST", HTTP_POST },
	{ "PUT", HTTP_PUT }, { "PATCH", HTTP_PATCH },
	{ "DELETE", HTTP_DELETE }, { "OPTIONS", HTTP_OPTIONS },
};

const char *
req_method_name(enum http_method m)
{
	size_t	 i;

	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if (methods[i].m == m)
			return methods[i].name;
	return "OTHER";
}

const char *
req_env(const struct req *r, const char *name)
{
	return r->io.param(r->io.ctx, name);
}

int
req_fail(struct req *r, enum err_kind kind, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	err_vset(&r->err, kind, fmt, ap);
	va_end(ap);
	return -1;
}

/* Split the path below the prefix into decoded segments. */
static int
split_path(struct req *r, const char *p, size_t len, bool decoded)
{
	const char	*seg, *end = p + len;
	char		*out;
	long		 n;

	r->nsegs = 0;
	/* One trailing slash is tolerated: "/shares/" is "/shares". */
	if (len > 1 && p[len - 1] == '/')
		end--;
	while (p < end) {
		if (*p != '/')
			return req_fail(r, ERR_NO_ENDPOINT, "no such endpoint");
		seg = ++p;
		while (p < end && *p != '/')
			p++;
		if (r->nsegs == REQ_MAX_SEGS)
			return req_fail(r, ERR_NO_ENDPOINT, "no such endpoint");
		out = arena_alloc(r->arena, (size_t)(p - seg) + 1);
		if (decoded) {
			memcpy(out, seg, (size_t)(p - seg));
			out[p - seg] = '\0';
			n = p - seg;
		} else if ((n = str_pct_decode(seg, (size_t)(p - seg), out,
		    false)) < 0)
			return req_fail(r, ERR_BAD_PARAM,
			    "malformed percent-encoding in path");
		r->segs[r->nsegs] = out;
		r->seglen[r->nsegs++] = (size_t)n;
	}
	return 0;
}

static int
parse_query(struct req *r, const char *q)
{
	const char	*p, *amp, *eq;
	char		*name, *value;
	size_t		 n, cap = 0;
	long		 nl, vl;

	for (p = q; *p != '\0'; p = *amp ? amp + 1 : amp) {
		amp = p + strcspn(p, "&");
		if (amp == p)
			continue;
		eq = memchr(p, '=', (size_t)(amp - p));
		n = (size_t)((eq ? eq : amp) - p);
		name = arena_alloc(r->arena, n + 1);
		if ((nl = str_pct_decode(p, n, name, true)) < 0)
			return req_fail(r, ERR_BAD_PARAM,
			    "malformed percent-encoding in query string");
		n = eq ? (size_t)(amp - eq - 1) : 0;
		value = arena_alloc(r->arena, n + 1);
		if ((vl = str_pct_decode(eq ? eq + 1 : "", n, value,
		    true)) < 0)
			return req_fail(r, ERR_BAD_PARAM,
			    "malformed percent-encoding in query string");
		if ((size_t)nl != strlen(name) || (size_t)vl != strlen(value) ||
		    !str_utf8_valid(name, (size_t)nl) ||
		    !str_utf8_valid(value, (size_t)vl))
			return req_fail(r, ERR_BAD_PARAM,
			    "query parameter holds NUL or invalid UTF-8");
		if (r->nparams == cap) {
			struct req_param *np;

			cap = cap ? cap * 2 : 8;
			if (cap > 256)
				return req_fail(r, ERR_BAD_PARAM,
				    "too many query parameters");
			np = arena_calloc(r->arena, cap, sizeof(*np));
			if (r->nparams > 0)
				memcpy(np, r->params,
				    r->nparams * sizeof(*np));
			r->params = np;
		}
		r->params[r->nparams].name = name;
		r->params[r->nparams++].value = value;
	}
	return 0;
}

int
req_parse(struct req *r)
{
	const char	*m, *uri, *q, *prefix = r->conf->prefix;
	char		*path;
	size_t		 i, plen = strlen(prefix);
	bool		 decoded = false;

	r->method = HTTP_OTHER;
	r->method_str = "OTHER";
	if ((m = req_env(r, "REQUEST_METHOD")) != NULL)
		for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
			if (strcmp(m, methods[i].name) == 0) {
				r->method = methods[i].m;
				r->method_str = methods[i].name;
			}
	if ((uri = req_env(r, "REQUEST_URI")) == NULL || *uri == '\0') {
		uri = arena_printf(r->arena, "%s%s",
		    req_env(r, "SCRIPT_NAME") ? req_env(r, "SCRIPT_NAME") : "",
		    req_env(r, "PATH_INFO") ? req_env(r, "PATH_INFO") : "");
		decoded = true;
	}
	q = strchr(uri, '?');
	path = arena_strndup(r->arena, uri, q ? (size_t)(q - uri) : strlen(uri));
	r->path = path;
	if (q != NULL)
		q++;
	else if (decoded)
		q = req_env(r, "QUERY_STRING");
	if (q != NULL && parse_query(r, q) == -1)
		return -1;
	if (strncmp(path, prefix, plen) != 0 ||
	    (path[plen] != '\0' && path[plen] != '/'))
		return req_fail(r, ERR_NO_ENDPOINT, "no such endpoint");
	return split_path(r, path + plen, strlen(path + plen), decoded);
}

int
req_query(struct req *r, const char *name, const char **out)
{
	size_t	 i;
	int	 found = 0;

	for (i = 0; i < r->nparams; i++)
		if (strcmp(r->params[i].name, name) == 0) {
			if (found)
				return req_fail(r, ERR_BAD_PARAM,
				    "parameter '%s' given more than once",
				    name);
			*out = r->params[i].value;
			found = 1;
		}
	return found;
}

int
req_read_body(struct req *r)
{
	const char	*cl;
	int64_t		 len;
	size_t		 got = 0;
	long		 n;

	if (r->body != NULL)
		return 0;
	cl = req_env(r, "CONTENT_LENGTH");
	if (cl == NULL || *cl == '\0')
		len = 0;
	else if (str_parse_i64(cl, 0, INT64_MAX, &len) == -1)
		return req_fail(r, ERR_MALFORMED, "invalid Content-Length");
	if (len > r->conf->max_body)
		return req_fail(r, ERR_TOO_LARGE,
		    "request body exceeds %lld bytes",
		    (long long)r->conf->max_body);
	r->body = arena_alloc(r->arena, (size_t)len + 1);
	while (got < (size_t)len) {
		n = r->io.read(r->io.ctx, r->body + got, (size_t)len - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	r->body[got] = '\0';
	r->bodylen = got;
	if (got != (size_t)len)
		return req_fail(r, ERR_MALFORMED,
		    "request body shorter than Content-Length");
	return 0;
}

static bool
host_ok(const char *h)
{
	size_t	 n = strlen(h);

	return n > 0 && n < 256 && strspn(h, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") == n;
}

const char *
req_log_path(struct req *r)
{
	const char	*p = r->path, *f;

	if (p == NULL)
		return "-";
	/* A file URL's token is a credential: never in a log. */
	if (r->nsegs >= 1 && r->seglen[0] == 5 &&
	    memcmp(r->segs[0], "files", 5) == 0 &&
	    (f = strstr(p, "/files/")) != NULL)
		return arena_printf(r->arena, "%.*s/files/[token]",
		    (int)(f - p), p);
	return p;
}

const char *
req_endpoint(struct req *r)
{
	const char	*https, *host, *port, *scheme;

	if (r->conf->public_url != NULL && *r->conf->public_url != '\0')
		return r->conf->public_url;
	https = req_env(r, "HTTPS");
	scheme = https != NULL && (strcmp(https, "on") == 0 ||
	    strcmp(https, "1") == 0) ? "https" : "http";
	if ((host = req_env(r, "HTTP_HOST")) == NULL || !host_ok(host)) {
		host = req_env(r, "SERVER_NAME");
		port = req_env(r, "SERVER_PORT");
		if (host == NULL || !host_ok(host))
			host = "localhost";
		if (port != NULL && strspn(port, "0123456789") == strlen(port)
		    && *port != '\0')
			host = arena_printf(r->arena, "%s:%s", host, port);
	}
	return arena_printf(r->arena, "%s://%s%s", scheme, host,
	    r->conf->prefix);
}
