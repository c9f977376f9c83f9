/*
 * storage_s3.c: the S3 backend (s3:// and s3a:// locations) for AWS and
 * S3-compatible stores (see storage.h).
 *
 * The location "s3://bucket/prefix" roots keys at "prefix/".  Requests
 * are signed with SigV4 in the Authorization header (ListObjectsV2 with
 * delimiter "/" and encoding-type=url, GetObject with Range, HeadObject);
 * recipients get presigned GET URLs.  A custom endpoint (a credential's,
 * or AWS_ENDPOINT_URL) is used the same way for both, with path-style
 * addressing; AWS itself gets virtual-hosted addressing unless the
 * bucket name has a dot.
 *
 * Signing keys are derived once per process and day: a small table of
 * caches keyed by a hash of the access key and secret outlives the
 * per-request storage handles.  A handle prepares one presigner for the
 * (time, lifetime) its URLs are asked with, which a query keeps for all
 * its files, so a URL costs a hash and an HMAC.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "buf.h"
#include "cred.h"
#include "crypto.h"
#include "err.h"
#include "httpc.h"
#include "sigv4.h"
#include "storage.h"
#include "storage_obj.h"
#include "strutil.h"
#include "xmalloc.h"

#define LIST_MAX	(16u << 20)	/* one ListObjectsV2 page */
#define KCACHES		8

struct s3 {
	struct arena		*a;		/* the handle's own strings */
	const char		*bucket;
	const char		*prefix;	/* "" or "dir/sub/" */
	const char		*scheme;	/* "https" */
	const char		*host;		/* as in the URL */
	const char		*sign_host;	/* without a default port */
	bool			 path_style;
	struct sigv4_creds	 c;		/* cache: in the process table */
	unsigned char		 kid[32];	/* its key there */
	struct sigv4_presigner	 ps;		/* for ps_now and ps_ttl */
	int64_t			 ps_now, ps_ttl;	/* ps_ttl 0: none */
};

/* Derived signing keys, per (access key, secret), for the process. */
static struct {
	unsigned char		 id[32];
	struct sigv4_kcache	 kc;
	bool			 used;
} kcaches[KCACHES];

/*
 * The process cache of a handle's keys, found by their hash on each use:
 * an entry taken over by other keys meanwhile is claimed back (empty),
 * never used with the wrong secret.
 */
static struct sigv4_kcache *
kcache_for(const unsigned char id[32])
{
	size_t		 i;

	for (i = 0; i < KCACHES; i++)
		if (kcaches[i].used && crypto_equal(kcaches[i].id, id, 32))
			return &kcaches[i].kc;
	/* A full table forgets an arbitrary entry: it only costs HMACs. */
	for (i = 0; i < KCACHES - 1 && kcaches[i].used; i++)
		;
	memcpy(kcaches[i].id, id, 32);
	memset(&kcaches[i].kc, 0, sizeof(kcaches[i].kc));
	kcaches[i].used = true;
	return &kcaches[i].kc;
}

/* The hash that names a pair of keys in the process cache. */
static void
kcache_id(const char *ak, const char *sk, unsigned char id[32])
{
	char	*s;

	s = xmalloc(strlen(ak) + strlen(sk) + 2);
	sprintf(s, "%s\n%s", ak, sk);
	crypto_sha256(s, strlen(s), id);
	crypto_wipe(s, strlen(s));
	free(s);
}

/* The object key of a storage key. */
static const char *
obj_key(struct s3 *s, struct arena *a, const char *key)
{
	return arena_printf(a, "%s%s", s->prefix, key);
}

/* The request path of an object key ("" for the bucket). */
static const char *
req_path(struct s3 *s, struct arena *a, const char *okey)
{
	if (s->path_style)
		return arena_printf(a, "/%s%s%s", s->bucket, *okey ? "/" : "",
		    okey);
	return arena_printf(a, "/%s", okey);
}

/* Sign rq and fill the HTTP request with its URL and headers. */
static int
sign_req(struct s3 *s, struct arena *a, struct sigv4_req *rq,
    struct httpc_req *h, struct err *e)
{
	struct sigv4_signed sg;

	rq->host = s->sign_host;
	rq->content_sha256 = true;
	rq->now = (int64_t)time(NULL);
	s->c.cache = kcache_for(s->kid);
	if (sigv4_sign(rq, &s->c, a, &sg, e) == -1)
		return -1;
	h->url = arena_printf(a, "%s://%s%s%s%s", s->scheme, s->host, sg.path,
	    *sg.query ? "?" : "", sg.query);
	h->headers[h->nheaders++] = arena_printf(a, "Authorization: %s",
	    sg.authorization);
	h->headers[h->nheaders++] = arena_printf(a, "x-amz-date: %s",
	    sg.amz_date);
	h->headers[h->nheaders++] = arena_printf(a,
	    "x-amz-content-sha256: %s", rq->payload_hash ? rq->payload_hash :
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	if (s->c.session_token != NULL)
		h->headers[h->nheaders++] = arena_printf(a,
		    "x-amz-security-token: %s", s->c.session_token);
	return 0;
}

/* An S3 error answer as an err: the store's code in the message. */
static int
s3_fail(void *be, const struct httpc_resp *rs, const char *key,
    struct err *e)
{
	struct s3	*s = be;
	char		 code[64], msg[160], q[80];

	obj_xml_text(rs->body.data, rs->body.len, "Code", code, sizeof(code));
	obj_xml_text(rs->body.data, rs->body.len, "Message", msg, sizeof(msg));
	str_shorten(key, q, sizeof(q));
	return obj_fail(rs->status, code, msg, "s3", s->bucket, q, e);
}

/* --- list ---------------------------------------------------------------- */

/* One page: entries appended to out; *token the next page's, or NULL. */
static int
list_page(void *be, struct arena *a, const char *prefix,
    const char *after, const char **token, struct obj_list *out,
    struct err *e)
{
	struct s3	*s = be;
	struct sigv4_param q[6];
	struct sigv4_req rq;
	struct httpc_req h;
	struct httpc_resp rs;
	size_t		 nq = 0;
	int		 rc = -1;

	q[nq++] = (struct sigv4_param){ "list-type", "2" };
	q[nq++] = (struct sigv4_param){ "prefix", obj_key(s, a, prefix) };
	q[nq++] = (struct sigv4_param){ "delimiter", "/" };
	q[nq++] = (struct sigv4_param){ "encoding-type", "url" };
	if (*token != NULL)
		q[nq++] = (struct sigv4_param){ "continuation-token", *token };
	else if (after != NULL)
		q[nq++] = (struct sigv4_param){ "start-after",
		    obj_key(s, a, after) };
	memset(&rq, 0, sizeof(rq));
	memset(&h, 0, sizeof(h));
	rq.method = h.method = "GET";
	rq.path = req_path(s, a, "");
	if (s->path_style == false)
		rq.path = "/";
	rq.query = q;
	rq.nquery = nq;
	h.max = LIST_MAX;
	if (sign_req(s, a, &rq, &h, e) == -1 || httpc_do(&h, &rs, e) == -1)
		goto out;
	if (rs.status != 200) {
		s3_fail(s, &rs, prefix, e);
		goto out;
	}
	obj_s3_page(a, rs.body.data, rs.body.len, s->prefix, out, token);
	rc = 0;
out:
	buf_release(&rs.body);
	return rc;
}

static int
s3_list(struct storage *st, struct arena *a, const char *prefix,
    const char *start_after, struct storage_list *out, struct err *e)
{
	return obj_list_all(list_page, st->be, a, prefix, start_after, out, e);
}

/* --- read, stat, presign ------------------------------------------------- */

/* The signed GET or HEAD of key, with a Range or not (obj_backend). */
static int
s3_request(void *be, struct arena *a, const char *key, const char *range,
    struct httpc_req *h, struct err *e)
{
	struct s3	*s = be;
	struct sigv4_param hr = { "Range", range };
	struct sigv4_req rq;

	memset(&rq, 0, sizeof(rq));
	rq.method = h->method;
	rq.path = req_path(s, a, obj_key(s, a, key));
	if (range != NULL) {
		rq.headers = &hr;
		rq.nheaders = 1;
		h->headers[h->nheaders++] = arena_printf(a, "Range: %s", range);
	}
	return sign_req(s, a, &rq, h, e);
}

static const struct obj_backend s3_obj = { s3_request, s3_fail };

static int
s3_read(struct storage *st, const char *key, int64_t off, int64_t len,
    size_t max, struct buf *out, struct err *e)
{
	return obj_read(&s3_obj, st->be, key, off, len, max, out, e);
}

static int
s3_stat(struct storage *st, const char *key, struct storage_entry *ent,
    struct arena *a, struct err *e)
{
	return obj_stat(&s3_obj, st->be, key, ent, a, e);
}

static int
s3_read_many(struct storage *st, struct storage_req *reqs, size_t n,
    size_t max_each)
{
	return obj_read_many(&s3_obj, st->be, reqs, n, max_each);
}

/* The presigner of the GET URLs of keys valid ttl seconds from now. */
static int
presigner(struct s3 *s, int64_t now, int64_t ttl, struct arena *a,
    struct err *e)
{
	struct sigv4_req rq;

	if (s->ps_ttl != 0 && s->ps_now == now && s->ps_ttl == ttl)
		return 0;
	sigv4_presigner_wipe(&s->ps);
	s->ps_ttl = 0;
	memset(&rq, 0, sizeof(rq));
	rq.method = "GET";
	rq.host = s->sign_host;
	rq.path = s->path_style ? arena_printf(a, "/%s/%s", s->bucket,
	    s->prefix) : arena_printf(a, "/%s", s->prefix);
	rq.now = now;
	s->c.cache = kcache_for(s->kid);
	if (sigv4_presigner_init(&s->ps, &rq, &s->c, ttl, arena_printf(a,
	    "%s://%s", s->scheme, s->host), a, e) == -1)
		return -1;
	s->ps_now = now;
	s->ps_ttl = ttl;
	return 0;
}

static int
s3_presign(struct storage *st, const char *key, int64_t now, int64_t ttl,
    struct arena *a, const char **url, struct err *e)
{
	struct s3	*s = st->be;

	if (presigner(s, now, ttl, a, e) == -1)
		return -1;
	*url = sigv4_presigner_url(&s->ps, key, a);
	return 0;
}

static void
s3_close(struct storage *st)
{
	struct s3	*s = st->be;

	sigv4_presigner_wipe(&s->ps);
	arena_free(s->a);
	free(s);
	free(st->root);
	free(st);
}

static const struct storage_ops s3_ops = {
	.name = "s3",
	.list = s3_list,
	.read = s3_read,
	.stat = s3_stat,
	.read_many = s3_read_many,
	.close = s3_close,
	.presign = s3_presign,
};

/* --- open ---------------------------------------------------------------- */

/* Endpoint and addressing: the credential's, or AWS's for the region. */
static int
s3_endpoint(struct s3 *s, const struct cred *c, struct err *e)
{
	struct obj_endpoint ep;
	const char	*dom;

	if (c->endpoint == NULL) {
		s->scheme = "https";
		s->path_style = c->path_style == 1 ||
		    strchr(s->bucket, '.') != NULL;
		/* AWS China is its own partition, with its own domain. */
		dom = strncmp(s->c.region, "cn-", 3) == 0 ?
		    "amazonaws.com.cn" : "amazonaws.com";
		s->host = s->path_style ? arena_printf(s->a, "s3.%s.%s",
		    s->c.region, dom) : arena_printf(s->a, "%s.s3.%s.%s",
		    s->bucket, s->c.region, dom);
		s->sign_host = s->host;
		return 0;
	}
	if (obj_endpoint_parse(s->a, c->endpoint, &ep, e) == -1)
		return -1;
	s->scheme = ep.scheme;
	s->path_style = c->path_style != 0;
	s->host = s->path_style ? ep.host : arena_printf(s->a, "%s.%s",
	    s->bucket, ep.host);
	s->sign_host = s->path_style ? ep.sign_host : arena_printf(s->a,
	    "%s.%s", s->bucket, ep.sign_host);
	return 0;
}

struct storage *
storage_s3_open(const char *location, const struct cred *named,
    struct err *e)
{
	struct storage	*st;
	struct cred	 envc;
	const struct cred *c = named;
	struct s3	*s = xcalloc(1, sizeof(*s));

	s->a = arena_new();
	if (obj_bucket_split(s->a, location, &s->bucket, &s->prefix, e) == -1)
		goto fail;
	if (c == NULL) {
		if (cred_s3_env(&envc, s->a, e) == -1)
			goto fail;
		c = &envc;
	} else if (c->kind != CRED_S3) {
		err_set(e, ERR_BAD_PARAM, "credential '%.64s' is not for S3",
		    c->name ? c->name : "");
		goto fail;
	}
	s->c.access_key = arena_strdup(s->a, c->access_key);
	s->c.secret_key = arena_strdup(s->a, c->secret_key);
	s->c.session_token = c->session_token ? arena_strdup(s->a,
	    c->session_token) : NULL;
	s->c.region = arena_strdup(s->a, c->region ? c->region : "us-east-1");
	s->c.service = "s3";
	if (s3_endpoint(s, c, e) == -1)
		goto fail;
	kcache_id(s->c.access_key, s->c.secret_key, s->kid);
	st = xcalloc(1, sizeof(*st));
	st->ops = &s3_ops;
	st->root = xstrdup(arena_printf(s->a, "s3://%s/%s", s->bucket,
	    s->prefix));
	st->be = s;
	return st;
fail:
	arena_free(s->a);
	free(s);
	return NULL;
}
