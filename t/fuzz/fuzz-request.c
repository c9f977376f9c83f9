/*
 * fuzz-request.c: libFuzzer harness for request parsing, from the CGI
 * variables to the JSON body, without a database.
 *
 * The input is split at the first five newlines into REQUEST_METHOD,
 * REQUEST_URI, PATH_INFO, QUERY_STRING and CONTENT_LENGTH (an empty
 * field leaves the variable unset); the rest is the body.  Each input
 * goes through req_parse, route_match, req_query of the protocol's
 * parameters, req_read_body, jsonu_parse_object with the usual getters,
 * req_endpoint, and resp_error.  The error response must always be a
 * JSON object: a body that does not parse is reported as a crash.
 * auth_check and route_dispatch need PostgreSQL and are not called.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "buf.h"
#include "conf.h"
#include "err.h"
#include "http_req.h"
#include "http_resp.h"
#include "jsonu.h"
#include "route.h"
#include "xmalloc.h"

#define NFIELDS	5

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const var_names[NFIELDS] = {
	"REQUEST_METHOD", "REQUEST_URI", "PATH_INFO", "QUERY_STRING",
	"CONTENT_LENGTH",
};

static char	 prefix[] = "/delta-sharing";

struct input {
	const char	*vars[NFIELDS];
	const char	*body;
	size_t		 bodylen;
	size_t		 pos;
	struct buf	 out;		/* what the response wrote */
};

static const char *
in_param(void *ctx, const char *name)
{
	struct input	*in = ctx;
	size_t		 i;

	for (i = 0; i < NFIELDS; i++)
		if (strcmp(var_names[i], name) == 0)
			return in->vars[i];
	if (strcmp(name, "SCRIPT_NAME") == 0 && in->vars[1] == NULL)
		return prefix;
	/* PATH_INFO doubles as the Host header, for req_endpoint. */
	if (strcmp(name, "HTTP_HOST") == 0)
		return in->vars[2];
	return NULL;
}

/* Body bytes in pieces of up to 7, to exercise the read loop. */
static long
in_read(void *ctx, char *buf, size_t n)
{
	struct input	*in = ctx;

	if (n > in->bodylen - in->pos)
		n = in->bodylen - in->pos;
	if (n > 7)
		n = 7;
	memcpy(buf, in->body + in->pos, n);
	in->pos += n;
	return (long)n;
}

static int
in_write(void *ctx, const char *buf, size_t n)
{
	struct input	*in = ctx;

	return buf_add(&in->out, buf, n);
}

static void
use_body(struct req *r)
{
	static const char *const allowed[] = {
		"name", "comment", "location", "enabled", "maxResults", NULL
	};
	struct json_object	*o;
	const char		*s;
	int64_t			 n;
	bool			 b, present;
	struct err		 e;

	err_clear(&e);
	if ((o = jsonu_parse_object(r->arena, r->body, r->bodylen,
	    &e)) == NULL)
		return;
	(void)jsonu_only_keys(o, allowed, &e);
	(void)jsonu_get_str(o, "name", false, &s, &e);
	(void)jsonu_get_str(o, "comment", true, &s, &e);
	(void)jsonu_get_bool(o, "enabled", false, &b, &present, &e);
	(void)jsonu_get_i64(o, "maxResults", false, 1, 1000, &n, &present,
	    &e);
}

/* An error response must be a JSON object with errorCode and message. */
static void
check_error_body(const struct input *in, const struct req *r)
{
	struct arena		*a;
	struct json_object	*o;
	struct err		 e;
	const char		*p, *code = NULL, *msg = NULL;

	if (r->method == HTTP_HEAD)
		return;
	if ((p = strstr(buf_str(&in->out), "\r\n\r\n")) == NULL)
		abort();
	p += 4;
	a = arena_new();
	err_clear(&e);
	if ((o = jsonu_parse_object(a, p, strlen(p), &e)) == NULL ||
	    jsonu_get_str(o, "errorCode", true, &code, &e) == -1 ||
	    jsonu_get_str(o, "message", true, &msg, &e) == -1)
		abort();
	arena_free(a);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const params[] = {
		"maxResults", "pageToken", "startingTimestamp", "version",
		"includeHistoricalMetadata", "",
	};
	struct input	 in;
	struct conf	 conf;
	struct req	 r;
	char		*copy, *p, *nl;
	const char	*v;
	size_t		 i;
	bool		 failed = false;

	/* Split a NUL-terminated copy into the fields and the body. */
	copy = xmalloc(size + 1);
	memcpy(copy, data, size);
	copy[size] = '\0';
	memset(&in, 0, sizeof(in));
	buf_init(&in.out, 1 << 20);
	p = copy;
	for (i = 0; i < NFIELDS; i++) {
		if ((nl = memchr(p, '\n', size - (size_t)(p - copy))) == NULL)
			break;
		*nl = '\0';
		in.vars[i] = *p != '\0' ? p : NULL;
		p = nl + 1;
	}
	in.body = p;
	in.bodylen = size - (size_t)(p - copy);

	memset(&conf, 0, sizeof(conf));
	conf.prefix = prefix;
	conf.max_body = 4096;
	memset(&r, 0, sizeof(r));
	r.arena = arena_new();
	r.conf = &conf;
	r.io.param = in_param;
	r.io.read = in_read;
	r.io.write = in_write;
	r.io.ctx = &in;
	err_clear(&r.err);
	resp_init(&r);

	if (req_parse(&r) == -1 || route_match(&r) == -1)
		failed = true;
	for (i = 0; !failed && i < sizeof(params) / sizeof(params[0]); i++)
		if (req_query(&r, params[i], &v) == -1)
			failed = true;
	if (!failed && req_read_body(&r) == 0 && r.bodylen > 0)
		use_body(&r);
	(void)req_endpoint(&r);
	if (r.err.kind != ERR_NONE) {
		(void)resp_error(&r);
		(void)resp_finish(&r);
		check_error_body(&in, &r);
	} else {
		(void)resp_empty(&r, 204);
		(void)resp_finish(&r);
	}
	buf_release(&r.hdrs);
	buf_release(&r.out);
	arena_free(r.arena);
	buf_release(&in.out);
	free(copy);
	return 0;
}
