/*
 * sigv4.c: AWS Signature Version 4 (see sigv4.h).
 *
 * Canonical request:
 *	METHOD \n encoded path \n sorted encoded query \n
 *	lowercased sorted "name:trimmed value" lines \n \n
 *	signed header names joined by ";" \n payload hash
 * String to sign: "AWS4-HMAC-SHA256", the time, the scope
 * (date/region/service/aws4_request) and the hex SHA-256 of the
 * canonical request, one per line.  The signature is the hex HMAC of
 * that under the key derived from "AWS4" + secret.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "buf.h"
#include "crypto.h"
#include "err.h"
#include "metrics.h"
#include "sigv4.h"
#include "strutil.h"
#include "xmalloc.h"

#define ALGO	"AWS4-HMAC-SHA256"

/* A header or parameter ready for the canonical request. */
struct canon {
	const char	*name;
	const char	*value;
};

char *
sigv4_encode(struct arena *a, const char *s, bool keep_slash)
{
	return str_pct_encode(a, s, keep_slash ? "/" : "");
}

static int
cmp_canon(const void *x, const void *y)
{
	const struct canon *a = x, *b = y;
	int		 c;

	if ((c = strcmp(a->name, b->name)) != 0)
		return c;
	return strcmp(a->value, b->value);
}

/* A header value trimmed, inner runs of spaces made one. */
static char *
trim_value(struct arena *a, const char *v)
{
	char	*out = arena_alloc(a, strlen(v) + 1), *o = out;

	while (*v == ' ' || *v == '\t')
		v++;
	for (; *v != '\0'; v++) {
		if (*v == '\n' || *v == '\r')
			continue;
		if ((*v == ' ' || *v == '\t') && (o > out && o[-1] == ' '))
			continue;
		*o++ = *v == '\t' ? ' ' : *v;
	}
	while (o > out && o[-1] == ' ')
		o--;
	*o = '\0';
	return out;
}

static void
amz_time(int64_t now, char date[9], char stamp[17])
{
	struct tm	 tm;
	time_t		 t = (time_t)now;

	gmtime_r(&t, &tm);
	strftime(date, 9, "%Y%m%d", &tm);
	strftime(stamp, 17, "%Y%m%dT%H%M%SZ", &tm);
}

/* The encoded, sorted query; with extra X-Amz-* parameters for presign. */
static const char *
canon_query(struct arena *a, const struct sigv4_req *rq,
    const struct sigv4_param *extra, size_t nextra)
{
	struct canon	*v;
	struct buf	 b;
	const char	*out;
	size_t		 n = rq->nquery + nextra, i;

	v = arena_calloc(a, n + 1, sizeof(*v));
	for (i = 0; i < n; i++) {
		const struct sigv4_param *p = i < rq->nquery ?
		    &rq->query[i] : &extra[i - rq->nquery];

		v[i].name = sigv4_encode(a, p->name, false);
		v[i].value = sigv4_encode(a, p->value ? p->value : "", false);
	}
	qsort(v, n, sizeof(*v), cmp_canon);
	buf_init(&b, 0);
	for (i = 0; i < n; i++)
		buf_addf(&b, "%s%s=%s", i ? "&" : "", v[i].name, v[i].value);
	out = arena_strdup(a, buf_str(&b));
	buf_release(&b);
	return out;
}

/*
 * The canonical headers: host, the request's, and the x-amz-* ones
 * sigv4 adds.  Same-name headers join with ",".  Fills *signed_names.
 */
static const char *
canon_headers(struct arena *a, const struct sigv4_req *rq,
    const struct sigv4_param *extra, size_t nextra, const char **names)
{
	struct canon	*v;
	struct buf	 b, nb;
	const char	*out;
	size_t		 n = rq->nheaders + nextra + 1, i, k = 0;

	v = arena_calloc(a, n, sizeof(*v));
	v[k].name = "host";
	v[k++].value = rq->host;
	for (i = 0; i < rq->nheaders + nextra; i++) {
		const struct sigv4_param *p = i < rq->nheaders ?
		    &rq->headers[i] : &extra[i - rq->nheaders];

		v[k].name = str_lower_ascii(arena_strdup(a, p->name));
		v[k++].value = trim_value(a, p->value);
	}
	/* Stable for equal names: values keep the order they came in. */
	for (i = 1; i < k; i++) {
		struct canon	 t = v[i];
		size_t		 j = i;

		for (; j > 0 && strcmp(v[j - 1].name, t.name) > 0; j--)
			v[j] = v[j - 1];
		v[j] = t;
	}
	buf_init(&b, 0);
	buf_init(&nb, 0);
	for (i = 0; i < k; i++) {
		if (i > 0 && strcmp(v[i].name, v[i - 1].name) == 0) {
			buf_addf(&b, ",%s", v[i].value);
			continue;
		}
		buf_addf(&b, "%s%s:%s", i ? "\n" : "", v[i].name, v[i].value);
		buf_addf(&nb, "%s%s", i ? ";" : "", v[i].name);
	}
	buf_addc(&b, '\n');
	out = arena_strdup(a, buf_str(&b));
	*names = arena_strdup(a, buf_str(&nb));
	buf_release(&b);
	buf_release(&nb);
	return out;
}

static void
hex_sha256(const char *s, char out[65])
{
	unsigned char	 h[32];

	crypto_sha256(s, strlen(s), h);
	str_hex(h, 32, out);
}

/* The signing key for date, from the cache or derived once. */
static const struct crypto_hmac *
signing_key(struct sigv4_creds *c, const char *date,
    struct sigv4_kcache *scratch)
{
	struct sigv4_kcache *k = c->cache != NULL ? c->cache : scratch;
	unsigned char	 t[32];
	char		*secret;
	size_t		 n;
	bool		 hit;

	hit = strcmp(k->date, date) == 0 && strcmp(k->region, c->region) == 0 &&
	    strcmp(k->service, c->service) == 0;
	if (c->cache != NULL)
		metrics_cache(MC_S3_SIGNING_KEY, hit);
	if (hit)
		return &k->key;
	n = strlen(c->secret_key) + 5;
	secret = malloc(n);
	if (secret == NULL)
		abort();
	snprintf(secret, n, "AWS4%s", c->secret_key);
	crypto_hmac_sha256(secret, n - 1, date, strlen(date), t);
	crypto_wipe(secret, n);
	free(secret);
	crypto_hmac_sha256(t, 32, c->region, strlen(c->region), t);
	crypto_hmac_sha256(t, 32, c->service, strlen(c->service), t);
	crypto_hmac_sha256(t, 32, "aws4_request", 12, t);
	crypto_hmac_init(&k->key, t, sizeof(t));
	crypto_wipe(t, sizeof(t));
	snprintf(k->date, sizeof(k->date), "%s", date);
	snprintf(k->region, sizeof(k->region), "%s", c->region);
	snprintf(k->service, sizeof(k->service), "%s", c->service);
	return &k->key;
}

static int
check(const struct sigv4_req *rq, const struct sigv4_creds *c,
    struct err *e)
{
	if (c->access_key == NULL || *c->access_key == '\0' ||
	    c->secret_key == NULL || *c->secret_key == '\0')
		return err_set(e, ERR_BAD_PARAM, "S3 credentials without an "
		    "access key or a secret key");
	if (c->region == NULL || *c->region == '\0' ||
	    strlen(c->region) >= sizeof(c->cache->region) ||
	    c->service == NULL || strlen(c->service) >=
	    sizeof(c->cache->service) || strchr(c->region, '/') != NULL)
		return err_set(e, ERR_BAD_PARAM, "bad S3 region '%.64s'",
		    c->region ? c->region : "");
	if (rq->path == NULL || rq->path[0] != '/')
		return err_set(e, ERR_BAD_PARAM, "an S3 path must start "
		    "with '/'");
	return 0;
}

/* Canonical request, string to sign and signature of one request. */
static void
finish(const struct sigv4_req *rq, struct sigv4_creds *c, struct arena *a,
    const char *query, const char *headers, const char *names,
    const char *hash, const char *date, const char *stamp,
    struct sigv4_signed *out, char sig[65])
{
	struct sigv4_kcache scratch;
	unsigned char	 mac[32];
	char		 ch[65];

	out->path = sigv4_encode(a, rq->path, true);
	out->canonical = arena_printf(a, "%s\n%s\n%s\n%s\n%s\n%s",
	    rq->method, out->path, query, headers, names, hash);
	hex_sha256(out->canonical, ch);
	out->to_sign = arena_printf(a, ALGO "\n%s\n%s/%s/%s/aws4_request\n%s",
	    stamp, date, c->region, c->service, ch);
	memset(&scratch, 0, sizeof(scratch));
	crypto_hmac(signing_key(c, date, &scratch), out->to_sign,
	    strlen(out->to_sign), mac);
	crypto_wipe(&scratch, sizeof(scratch));
	str_hex(mac, 32, sig);
	out->amz_date = arena_strdup(a, stamp);
}

int
sigv4_sign(const struct sigv4_req *rq, struct sigv4_creds *c,
    struct arena *a, struct sigv4_signed *out, struct err *e)
{
	struct sigv4_param extra[3];
	const char	*hash, *headers, *names;
	char		 date[9], stamp[17], sig[65];
	size_t		 n = 0;

	if (check(rq, c, e) == -1)
		return -1;
	memset(out, 0, sizeof(*out));
	amz_time(rq->now, date, stamp);
	hash = rq->payload_hash != NULL ? rq->payload_hash :
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
	if (rq->content_sha256) {
		extra[n].name = "x-amz-content-sha256";
		extra[n++].value = hash;
	}
	extra[n].name = "x-amz-date";
	extra[n++].value = stamp;
	if (c->session_token != NULL) {
		extra[n].name = "x-amz-security-token";
		extra[n++].value = c->session_token;
	}
	out->query = canon_query(a, rq, NULL, 0);
	headers = canon_headers(a, rq, extra, n, &names);
	finish(rq, c, a, out->query, headers, names, hash, date, stamp, out,
	    sig);
	out->authorization = arena_printf(a, ALGO " Credential=%s/%s/%s/%s/"
	    "aws4_request, SignedHeaders=%s, Signature=%s", c->access_key,
	    date, c->region, c->service, names, sig);
	return 0;
}

/* The canonical query of presigned URLs: the request's and X-Amz-*. */
static const char *
presign_query(struct arena *a, const struct sigv4_req *rq,
    const struct sigv4_creds *c, int64_t expires, const char *date,
    const char *stamp, const char *names)
{
	struct sigv4_param x[6];
	size_t		 n = 0;

	x[n].name = "X-Amz-Algorithm";
	x[n++].value = ALGO;
	x[n].name = "X-Amz-Credential";
	x[n++].value = arena_printf(a, "%s/%s/%s/%s/aws4_request",
	    c->access_key, date, c->region, c->service);
	x[n].name = "X-Amz-Date";
	x[n++].value = stamp;
	x[n].name = "X-Amz-Expires";
	x[n++].value = arena_printf(a, "%lld", (long long)expires);
	if (c->session_token != NULL) {
		x[n].name = "X-Amz-Security-Token";
		x[n++].value = c->session_token;
	}
	x[n].name = "X-Amz-SignedHeaders";
	x[n++].value = names;
	return canon_query(a, rq, x, n);
}

int
sigv4_presigner_init(struct sigv4_presigner *p, const struct sigv4_req *rq,
    struct sigv4_creds *c, int64_t expires, const char *origin,
    struct arena *a, struct err *e)
{
	struct sigv4_kcache scratch;
	const char	*headers, *names, *hash, *query;
	char		 date[9], stamp[17];

	memset(p, 0, sizeof(*p));
	if (check(rq, c, e) == -1)
		return -1;
	if (expires < 1 || expires > SIGV4_MAX_EXPIRES)
		return err_set(e, ERR_BAD_PARAM, "a presigned URL lives 1 to "
		    "%d seconds, not %lld", SIGV4_MAX_EXPIRES,
		    (long long)expires);
	amz_time(rq->now, date, stamp);
	hash = rq->payload_hash != NULL ? rq->payload_hash :
	    "UNSIGNED-PAYLOAD";
	headers = canon_headers(a, rq, NULL, 0, &names);
	query = presign_query(a, rq, c, expires, date, stamp, names);
	p->method = xstrdup(rq->method);
	p->originlen = strlen(origin);
	p->head = xasprintf("%s%s", origin, sigv4_encode(a, rq->path, true));
	p->headlen = strlen(p->head);
	p->tail = xasprintf("\n%s\n%s\n%s\n%s", query, headers, names, hash);
	p->taillen = strlen(p->tail);
	p->query = xasprintf("?%s&X-Amz-Signature=", query);
	p->querylen = strlen(p->query);
	p->to_sign = xasprintf(ALGO "\n%s\n%s/%s/%s/aws4_request\n", stamp,
	    date, c->region, c->service);
	/* "METHOD\n" and the prefix hashed; the MAC fed the to_sign head. */
	crypto_sha256_init(&p->canon);
	crypto_sha256_update(&p->canon, p->method, strlen(p->method));
	crypto_sha256_update(&p->canon, "\n", 1);
	crypto_sha256_update(&p->canon, p->head + p->originlen,
	    p->headlen - p->originlen);
	memset(&scratch, 0, sizeof(scratch));
	p->mac = *signing_key(c, date, &scratch);
	crypto_wipe(&scratch, sizeof(scratch));
	crypto_hmac_update(&p->mac, p->to_sign, strlen(p->to_sign));
	return 0;
}

/*
 * The hex SHA-256 of the canonical request whose path is the prefix
 * followed by the n encoded bytes at path, and the signature.
 */
static void
sign_path(const struct sigv4_presigner *p, const char *path, size_t n,
    char ch[65], char sig[65])
{
	struct crypto_sha256 h = p->canon;
	struct crypto_hmac m = p->mac;
	unsigned char	 d[32];

	crypto_sha256_update(&h, path, n);
	crypto_sha256_update(&h, p->tail, p->taillen);
	crypto_sha256_final(&h, d);
	str_hex(d, 32, ch);
	crypto_hmac_update(&m, ch, 64);
	crypto_hmac_final(&m, d);
	str_hex(d, 32, sig);
}

char *
sigv4_presigner_url(const struct sigv4_presigner *p, const char *path,
    struct arena *a)
{
	size_t	 n = strlen(path);
	char	*url, *o, ch[65];

	url = arena_alloc(a, p->headlen + 3 * n + p->querylen + 65);
	memcpy(url, p->head, p->headlen);
	o = str_pct_encode_to(url + p->headlen, path, n, "/");
	sign_path(p, url + p->headlen, (size_t)(o - url) - p->headlen, ch,
	    o + p->querylen);
	memcpy(o, p->query, p->querylen);
	return url;
}

void
sigv4_presigner_wipe(struct sigv4_presigner *p)
{
	free(p->method);
	free(p->head);
	free(p->tail);
	free(p->query);
	free(p->to_sign);
	crypto_wipe(p, sizeof(*p));
}

int
sigv4_presign(const struct sigv4_req *rq, struct sigv4_creds *c,
    int64_t expires, struct arena *a, struct sigv4_signed *out,
    struct err *e)
{
	struct sigv4_presigner p;
	char		 ch[65], sig[65], date[9], stamp[17];

	memset(out, 0, sizeof(*out));
	if (sigv4_presigner_init(&p, rq, c, expires, "", a, e) == -1) {
		sigv4_presigner_wipe(&p);
		return -1;
	}
	/* The whole path is the prefix. */
	sign_path(&p, "", 0, ch, sig);
	out->path = arena_strndup(a, p.head, p.headlen);
	out->query = arena_printf(a, "%s%s", p.query + 1, sig);
	out->canonical = arena_printf(a, "%s\n%s%s", p.method, out->path,
	    p.tail);
	out->to_sign = arena_printf(a, "%s%s", p.to_sign, ch);
	amz_time(rq->now, date, stamp);
	out->amz_date = arena_strdup(a, stamp);
	sigv4_presigner_wipe(&p);
	return 0;
}
