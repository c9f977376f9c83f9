/*
 * u-sigv4.c: unit tests for src/sigv4.c against published vectors:
 *  - aws-c-auth's v4 suite (header and presigned variants of each case:
 *    canonical request, string to sign and signature), minus the cases
 *    whose rules S3 does not follow (path normalisation, form bodies,
 *    session tokens added after signing), each skipped with its reason;
 *  - the S3 API Reference examples (aws-s3-docs);
 *  - botocore's custom-endpoint known answers (aws-s3-generated), down to
 *    the URL and the Authorization header.
 * Vectors are read from $DS_SHARED_DIR/signing-vectors (default
 * $DS_SRC_DIR/../shared); without them those checks are skipped.
 */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "buf.h"
#include "crypto.h"
#include "err.h"
#include "sigv4.h"
#include "strutil.h"
#include "tap.h"
#include "vectors.h"

static const char	*vdir;

#define MAXP	32
#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))


struct rq {
	struct sigv4_req	 r;
	struct sigv4_param	 q[MAXP], h[MAXP];
	char			 hash[65];
};

static char *
pdecode(struct arena *a, const char *s, size_t n)
{
	char	*out = arena_alloc(a, n + 1);
	long	 k = str_pct_decode(s, n, out, false);

	out[k < 0 ? 0 : k] = '\0';
	return out;
}

/* "a=1&b&c=%2F" into raw pairs. */
static void
parse_query(struct arena *a, const char *qs, struct rq *rq)
{
	const char	*p = qs, *amp, *eq;

	while (p != NULL && *p != '\0' && rq->r.nquery < MAXP) {
		amp = strchr(p, '&');
		if (amp == NULL)
			amp = p + strlen(p);
		eq = memchr(p, '=', (size_t)(amp - p));
		rq->q[rq->r.nquery].name = pdecode(a, p, (size_t)((eq ? eq :
		    amp) - p));
		rq->q[rq->r.nquery++].value = eq ? pdecode(a, eq + 1,
		    (size_t)(amp - eq - 1)) : "";
		p = *amp ? amp + 1 : NULL;
	}
}

/* "/path?query" into the raw path and pairs. */
static void
parse_target(struct arena *a, const char *t, struct rq *rq)
{
	const char	*qm = strchr(t, '?');

	memset(rq, 0, sizeof(*rq));
	rq->r.path = pdecode(a, t, qm ? (size_t)(qm - t) : strlen(t));
	rq->r.query = rq->q;
	rq->r.headers = rq->h;
	if (qm != NULL)
		parse_query(a, qm + 1, rq);
}

/* --- aws-c-auth v4 ------------------------------------------------------- */

/* Cases whose rules are not S3's, and why. */
static const char *
suite_skip(const char *name)
{
	static const struct {
		const char	*prefix, *why;
	} skips[] = {
		{ "get-relative", "path normalisation (S3 never normalises)" },
		{ "get-slash", "path normalisation (S3 never normalises)" },
		{ "get-space-normalized", "double-encoded generic path" },
		{ "post-sts-header-after", "token added after signing" },
		{ "post-x-www-form-urlencoded", "form body signing" },
		{ "get-header-value-multiline", "obs-fold header" },
	};
	size_t	 i;

	for (i = 0; i < sizeof(skips) / sizeof(skips[0]); i++)
		if (strncmp(name, skips[i].prefix, strlen(skips[i].prefix)) ==
		    0)
			return skips[i].why;
	return NULL;
}

/* request.txt: request line, headers, blank line, body. */
static int
parse_raw(struct arena *a, char *raw, struct rq *rq, const char **body)
{
	char	*line, *sp, *colon, *end;

	if ((end = strchr(raw, '\n')) == NULL)
		return -1;
	*end = '\0';
	if ((sp = strchr(raw, ' ')) == NULL)
		return -1;
	*sp = '\0';
	line = sp + 1;
	if ((sp = strrchr(line, ' ')) != NULL)
		*sp = '\0';
	parse_target(a, line, rq);
	rq->r.method = raw;
	for (line = end + 1; *line != '\0' && *line != '\n'; line = end + 1) {
		if ((end = strchr(line, '\n')) == NULL)
			end = line + strlen(line);
		*end = '\0';
		if ((colon = strchr(line, ':')) == NULL)
			return -1;
		*colon = '\0';
		if (strcasecmp(line, "host") == 0)
			rq->r.host = colon + 1;
		else if (rq->r.nheaders < MAXP) {
			rq->h[rq->r.nheaders].name = line;
			rq->h[rq->r.nheaders++].value = colon + 1;
		}
		if (*end == '\0' && end[1] == '\0')
			break;
	}
	*body = *line == '\n' ? line + 1 : "";
	return 0;
}

static void
suite_case(const char *dir, const char *name)
{
	struct arena	*a = arena_new();
	struct json_object *ctx, *cr, *v;
	struct sigv4_creds c;
	struct sigv4_signed s;
	struct err	 e;
	struct rq	 rq;
	const char	*body, *raw, *want;
	unsigned char	 h[32];
	int64_t		 now;
	int		 rc;

	raw = vectors_slurp(a, arena_printf(a, "%s/%s/request.txt", dir, name));
	ctx = json_tokener_parse(vectors_slurp(a, arena_printf(a, "%s/%s/context.json",
	    dir, name)));
	if (raw == NULL || ctx == NULL ||
	    parse_raw(a, arena_strdup(a, raw), &rq, &body) == -1) {
		ok(0, "%s: vector readable", name);
		goto out;
	}
	json_object_object_get_ex(ctx, "credentials", &cr);
	memset(&c, 0, sizeof(c));
	json_object_object_get_ex(cr, "access_key_id", &v);
	c.access_key = arena_strdup(a, json_object_get_string(v));
	json_object_object_get_ex(cr, "secret_access_key", &v);
	c.secret_key = arena_strdup(a, json_object_get_string(v));
	if (json_object_object_get_ex(cr, "token", &v))
		c.session_token = arena_strdup(a, json_object_get_string(v));
	json_object_object_get_ex(ctx, "region", &v);
	c.region = arena_strdup(a, json_object_get_string(v));
	json_object_object_get_ex(ctx, "service", &v);
	c.service = arena_strdup(a, json_object_get_string(v));
	json_object_object_get_ex(ctx, "timestamp", &v);
	str_parse_iso8601(json_object_get_string(v), &now);
	rq.r.now = now / 1000;
	crypto_sha256(body, strlen(body), h);
	str_hex(h, 32, rq.hash);
	rq.r.payload_hash = rq.hash;

	rc = sigv4_sign(&rq.r, &c, a, &s, &e);
	want = vectors_slurp(a, arena_printf(a, "%s/%s/header-canonical-request.txt",
	    dir, name));
	if (!ok(rc == 0 && strcmp(s.canonical, want) == 0,
	    "%s: header canonical request", name))
		diag("got:\n%s\nwant:\n%s", rc == 0 ? s.canonical : e.msg, want);
	want = vectors_slurp(a, arena_printf(a, "%s/%s/header-signature.txt", dir,
	    name));
	ok(rc == 0 && strstr(s.authorization, want) != NULL,
	    "%s: header signature", name);

	rc = sigv4_presign(&rq.r, &c, 3600, a, &s, &e);
	want = vectors_slurp(a, arena_printf(a, "%s/%s/query-canonical-request.txt",
	    dir, name));
	if (!ok(rc == 0 && strcmp(s.canonical, want) == 0,
	    "%s: presign canonical request", name))
		diag("got:\n%s\nwant:\n%s", rc == 0 ? s.canonical : e.msg, want);
	want = vectors_slurp(a, arena_printf(a, "%s/%s/query-signature.txt", dir,
	    name));
	ok(rc == 0 && strstr(s.query, want) != NULL, "%s: presign signature",
	    name);
out:
	json_object_put(ctx);
	arena_free(a);
}

static int
cmp_names(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

static void
test_suite(void)
{
	char		 dir[1100], *names[128];
	const char	*why;
	struct dirent	*de;
	DIR		*d;
	size_t		 n = 0, i;

	snprintf(dir, sizeof(dir), "%s/aws-c-auth/v4", vdir);
	if ((d = opendir(dir)) == NULL) {
		skip(1, "no aws-c-auth vectors in %s", dir);
		return;
	}
	while ((de = readdir(d)) != NULL && n < 128)
		if (de->d_name[0] != '.')
			names[n++] = strdup(de->d_name);
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_names);
	for (i = 0; i < n; i++) {
		if ((why = suite_skip(names[i])) != NULL)
			skip(4, "%s: %s", names[i], why);
		else
			suite_case(dir, names[i]);
		free(names[i]);
	}
}

/* --- S3 documentation and botocore known answers ------------------------ */

static void
creds_from(struct sigv4_creds *c, struct json_object *o, const char *region)
{
	memset(c, 0, sizeof(*c));
	c->access_key = vectors_str(o, "access_key_id");
	c->secret_key = vectors_str(o, "secret_access_key");
	c->region = region;
	c->service = "s3";
}

static void
test_docs(void)
{
	struct json_object *d, *cr, *arr, *x, *hs;
	struct sigv4_creds c;
	struct sigv4_signed s;
	struct arena	*a = arena_new();
	struct err	 e;
	struct rq	 rq;
	const char	*path;
	unsigned char	 h[32];
	size_t		 i;
	int		 rc;

	d = json_tokener_parse(vectors_slurp(a, arena_printf(a,
	    "%s/aws-s3-docs/s3-sigv4-doc-examples.json", vdir)) ?: "");
	if (d == NULL) {
		skip(1, "no aws-s3-docs vectors");
		goto out;
	}
	json_object_object_get_ex(d, "credentials", &cr);
	creds_from(&c, cr, "us-east-1");
	json_object_object_get_ex(d, "header_examples", &arr);
	for (i = 0; i < json_object_array_length(arr); i++) {
		x = json_object_array_get_idx(arr, i);
		path = vectors_str(x, "object_key") ? arena_printf(a, "/%s",
		    vectors_str(x, "object_key")) : vectors_str(x, "path");
		parse_target(a, path, &rq);
		parse_query(a, vectors_str(x, "query"), &rq);
		rq.r.method = vectors_str(x, "method");
		rq.r.host = vectors_str(x, "host");
		rq.r.now = 1369353600;	/* 20130524T000000Z */
		rq.r.content_sha256 = true;
		crypto_sha256(vectors_str(x, "payload"), strlen(vectors_str(x, "payload")),
		    h);
		str_hex(h, 32, rq.hash);
		rq.r.payload_hash = rq.hash;
		json_object_object_get_ex(x, "headers", &hs);
		json_object_object_foreach(hs, k, v) {
			if (strcasecmp(k, "x-amz-date") == 0 ||
			    strcasecmp(k, "x-amz-content-sha256") == 0)
				continue;
			rq.h[rq.r.nheaders].name = k;
			rq.h[rq.r.nheaders++].value = json_object_get_string(v);
		}
		rc = sigv4_sign(&rq.r, &c, a, &s, &e);
		if (!ok(rc == 0 && strcmp(s.canonical, vectors_str(x, "canonical_request"))
		    == 0 && strcmp(s.to_sign, vectors_str(x, "string_to_sign")) == 0 &&
		    strstr(s.authorization, vectors_str(x, "signature")) != NULL,
		    "docs: %s", vectors_str(x, "name")))
			diag("got:\n%s", rc == 0 ? s.canonical : e.msg);
	}
	json_object_object_get_ex(d, "presign_examples", &arr);
	for (i = 0; i < json_object_array_length(arr); i++) {
		x = json_object_array_get_idx(arr, i);
		parse_target(a, vectors_str(x, "path"), &rq);
		rq.r.method = vectors_str(x, "method");
		rq.r.host = vectors_str(x, "host");
		rq.r.now = 1369353600;
		rc = sigv4_presign(&rq.r, &c, json_object_get_int64(
		    json_object_object_get(x, "expires")), a, &s, &e);
		ok(rc == 0 && strcmp(arena_printf(a, "https://%s%s?%s",
		    rq.r.host, s.path, s.query), vectors_str(x, "url")) == 0,
		    "docs: %s", vectors_str(x, "name"));
	}
out:
	json_object_put(d);
	arena_free(a);
}

/* "http://host:port/p?q" into scheme, host and target. */
static void
split_url(struct arena *a, const char *url, const char **host,
    const char **target)
{
	const char	*p = strstr(url, "://") + 3, *slash = strchr(p, '/');

	if (slash == NULL)
		slash = p + strlen(p);
	*host = arena_strndup(a, p, (size_t)(slash - p));
	*target = *slash ? slash : "/";
}

/* The host as signed: without a default port. */
static const char *
signed_host(struct arena *a, const char *url, const char *host)
{
	size_t	 n = strlen(host);

	if (strncmp(url, "https:", 6) == 0 && n > 4 &&
	    strcmp(host + n - 4, ":443") == 0)
		return arena_strndup(a, host, n - 4);
	if (strncmp(url, "http:", 5) == 0 && n > 3 &&
	    strcmp(host + n - 3, ":80") == 0)
		return arena_strndup(a, host, n - 3);
	return host;
}

/* Same URL up to the order of query parameters (botocore's order differs
 * with a session token; the signature covers the sorted form anyway). */
static void
generated_presign(struct arena *a, struct json_object *d,
    struct json_object *x)
{
	struct sigv4_creds c;
	struct sigv4_signed s;
	struct err	 e;
	struct rq	 rq;
	const char	*ep = vectors_str(x, "endpoint"), *host, *t, *url;
	int		 rc;

	creds_from(&c, d, vectors_str(x, "region"));
	c.session_token = vectors_str(x, "session_token");
	memset(&rq, 0, sizeof(rq));
	split_url(a, ep, &host, &t);
	if (strcmp(vectors_str(x, "addressing"), "virtual") == 0) {
		host = arena_printf(a, "%s.%s", vectors_str(x, "bucket"), host);
		rq.r.path = arena_printf(a, "/%s", vectors_str(x, "key"));
	} else
		rq.r.path = arena_printf(a, "/%s/%s", vectors_str(x, "bucket"),
		    vectors_str(x, "key"));
	rq.r.method = "GET";
	rq.r.host = signed_host(a, ep, host);
	rq.r.now = 1704164645;		/* 20240102T030405Z */
	rc = sigv4_presign(&rq.r, &c, json_object_get_int64(
	    json_object_object_get(x, "expires")), a, &s, &e);
	url = rc == 0 ? arena_printf(a, "%.*s%s%s?%s", (int)(strstr(ep,
	    "://") + 3 - ep), ep, host, s.path, s.query) : e.msg;
	if (!ok(rc == 0 && strcmp(s.canonical, vectors_str(x, "canonical_request")) == 0 &&
	    vectors_same_url(url, vectors_str(x, "url")), "botocore presign: %s",
	    vectors_str(x, "name")))
		diag("got %s\nwant %s", url, vectors_str(x, "url"));
}

static void
generated_header(struct arena *a, struct json_object *d,
    struct json_object *x)
{
	struct json_object *ih, *hs;
	struct sigv4_creds c;
	struct sigv4_signed s;
	struct err	 e;
	struct rq	 rq;
	const char	*host, *t;
	int		 rc;

	creds_from(&c, d, vectors_str(x, "region"));
	c.session_token = vectors_str(x, "session_token");
	split_url(a, vectors_str(x, "url"), &host, &t);
	parse_target(a, t, &rq);
	rq.r.method = vectors_str(x, "method");
	rq.r.host = signed_host(a, vectors_str(x, "url"), host);
	rq.r.now = 1704164645;
	rq.r.content_sha256 = true;
	if (json_object_get_boolean(json_object_object_get(x,
	    "unsigned_payload")))
		rq.r.payload_hash = "UNSIGNED-PAYLOAD";
	json_object_object_get_ex(x, "input_headers", &ih);
	json_object_object_foreach(ih, k, v) {
		rq.h[rq.r.nheaders].name = k;
		rq.h[rq.r.nheaders++].value = json_object_get_string(v);
	}
	rc = sigv4_sign(&rq.r, &c, a, &s, &e);
	json_object_object_get_ex(x, "headers_to_send", &hs);
	if (!ok(rc == 0 && strcmp(s.canonical, vectors_str(x, "canonical_request")) == 0 &&
	    strcmp(s.authorization, vectors_str(hs, "Authorization")) == 0 &&
	    strcmp(arena_printf(a, "%s%s%s", s.path, *s.query ? "?" : "",
	    s.query), t) == 0, "botocore header: %s", vectors_str(x, "name")))
		diag("got:\n%s", rc == 0 ? s.canonical : e.msg);
}

static void
test_generated(void)
{
	struct json_object *d, *arr;
	struct arena	*a = arena_new();
	size_t		 i;

	d = json_tokener_parse(vectors_slurp(a, arena_printf(a,
	    "%s/aws-s3-generated/s3-custom-endpoint-vectors.json", vdir)) ?:
	    "");
	if (d == NULL) {
		skip(1, "no aws-s3-generated vectors");
		goto out;
	}
	json_object_object_get_ex(d, "presign", &arr);
	for (i = 0; i < json_object_array_length(arr); i++)
		generated_presign(a, d, json_object_array_get_idx(arr, i));
	json_object_object_get_ex(d, "header_signed", &arr);
	for (i = 0; i < json_object_array_length(arr); i++)
		generated_header(a, d, json_object_array_get_idx(arr, i));
out:
	json_object_put(d);
	arena_free(a);
}

/* --- properties and bad input ------------------------------------------- */

static void
test_properties(void)
{
	struct arena	*a = arena_new();
	struct sigv4_kcache kc;
	struct sigv4_creds c = { "AK", "SK", NULL, "us-east-1", "s3", &kc };
	struct sigv4_req r = { "GET", "127.0.0.1:7480", "/b/k", NULL, 0,
	    NULL, 0, NULL, false, 1704164645 };
	struct sigv4_signed s1, s2;
	struct err	 e;
	char		 sig1[65];

	memset(&kc, 0, sizeof(kc));
	ok(sigv4_presign(&r, &c, 60, a, &s1, &e) == 0, "presign");
	snprintf(sig1, sizeof(sig1), "%s", strrchr(s1.query, '=') + 1);
	ok(strcmp(kc.date, "20240102") == 0, "signing key cached");
	r.path = "/b/K";
	ok(sigv4_presign(&r, &c, 60, a, &s2, &e) == 0 &&
	    strcmp(strrchr(s2.query, '=') + 1, sig1) != 0,
	    "another key, another signature");
	r.path = "/b/k";
	r.now += 86400;
	ok(sigv4_presign(&r, &c, 60, a, &s2, &e) == 0 &&
	    strcmp(kc.date, "20240103") == 0 &&
	    strcmp(strrchr(s2.query, '=') + 1, sig1) != 0,
	    "a new day derives a new key");
	ok(sigv4_presign(&r, &c, 0, a, &s2, &e) == -1 &&
	    e.kind == ERR_BAD_PARAM, "expires 0 refused");
	ok(sigv4_presign(&r, &c, SIGV4_MAX_EXPIRES + 1, a, &s2, &e) == -1,
	    "expires over 7 days refused");
	ok(sigv4_presign(&r, &c, SIGV4_MAX_EXPIRES, a, &s2, &e) == 0,
	    "expires of 7 days");
	c.secret_key = "";
	ok(sigv4_sign(&r, &c, a, &s2, &e) == -1, "empty secret refused");
	c.secret_key = "SK";
	c.region = "us/east";
	ok(sigv4_sign(&r, &c, a, &s2, &e) == -1, "region with / refused");
	c.region = "us-east-1";
	r.path = "b/k";
	ok(sigv4_sign(&r, &c, a, &s2, &e) == -1, "relative path refused");
	r.path = "/b/a b+c=d%e\xc3\xbc//./x";
	ok(sigv4_sign(&r, &c, a, &s2, &e) == 0 && strcmp(s2.path,
	    "/b/a%20b%2Bc%3Dd%25e%C3%BC//./x") == 0,
	    "path encoded once, never normalised");
	arena_free(a);
}

/*
 * A presigner's URL is sigv4_presign()'s for the whole path, whatever
 * part of it is the prefix, with and without a session token and
 * request parameters.
 */
static void
test_presigner(void)
{
	static const char *const paths[] = {
		"/b/k", "/bkt/date=2024-01-07/part-0.c000.snappy.parquet",
		"/b/a b+c=d%e\xc3\xbc//./x", "/", "/b/~_-./!*'()",
	};
	struct arena	*a = arena_new();
	struct sigv4_kcache kc;
	struct sigv4_creds c = { "AK", "SK", NULL, "eu-west-3", "s3", &kc };
	struct sigv4_param q = { "x-id", "GetObject" };
	struct sigv4_req r = { "GET", "h.example:9000", NULL, NULL, 0,
	    NULL, 0, NULL, false, 1704164645 };
	struct sigv4_presigner p;
	struct sigv4_signed s;
	struct err	 e;
	const char	*want, *url;
	size_t		 i, cut, round;

	memset(&kc, 0, sizeof(kc));
	for (round = 0; round < 2; round++) {
		if (round == 1) {
			c.session_token = "token/with+odd=chars";
			r.query = &q;
			r.nquery = 1;
		}
		for (i = 0; i < NELEM(paths); i++)
			for (cut = 1; cut <= strlen(paths[i]); cut++) {
				r.path = paths[i];
				if (sigv4_presign(&r, &c, 900, a, &s, &e) == -1)
					bail_out("presign: %s", e.msg);
				want = arena_printf(a, "http://h%s?%s", s.path,
				    s.query);
				r.path = arena_strndup(a, paths[i], cut);
				url = NULL;
				if (sigv4_presigner_init(&p, &r, &c, 900,
				    "http://h", a, &e) == 0)
					url = sigv4_presigner_url(&p,
					    paths[i] + cut, a);
				sigv4_presigner_wipe(&p);
				if (!is_str(url, want, "presigner: path %zu, "
				    "prefix of %zu bytes, round %zu", i, cut,
				    round))
					goto out;
			}
	}
	ok(p.head == NULL && p.headlen == 0, "presigner wiped");
	r.path = "/b/";
	ok(sigv4_presigner_init(&p, &r, &c, 0, "", a, &e) == -1 &&
	    p.head == NULL, "presigner: expires 0 refused");
	sigv4_presigner_wipe(&p);
	r.path = "b/";
	ok(sigv4_presigner_init(&p, &r, &c, 60, "", a, &e) == -1,
	    "presigner: relative prefix refused");
	sigv4_presigner_wipe(&p);
out:
	arena_free(a);
}

int
main(void)
{

	vdir = vectors_dir();
	test_properties();
	test_presigner();
	test_suite();
	test_docs();
	test_generated();
	return done_testing();
}
