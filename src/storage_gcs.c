/*
 * storage_gcs.c: the Google Cloud Storage backend (gs:// locations, see
 * storage.h).
 *
 * Reads go through the JSON API (objects.list with delimiter "/",
 * startOffset and pageToken; objects.get with alt=media and Range, or
 * its metadata for stat) with an OAuth2 access token that the service
 * account key buys from its token_uri (the JWT-bearer grant, read-only
 * scope).  Recipients get V4 signed URLs: GOOG4-HMAC-SHA256 when the
 * credential has an HMAC key, else GOOG4-RSA-SHA256 with the service
 * account's key.  An endpoint (a credential's, or STORAGE_EMULATOR_HOST)
 * replaces https://storage.googleapis.com for both.
 *
 * Parsed keys and access tokens are kept per process: a small table
 * keyed by a hash of the key material.  A handle finds its entry by that
 * hash on each use and reloads it when it was evicted, so an entry can
 * be reused safely.  Tokens are renewed TOKEN_MARGIN seconds before
 * they expire.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "arena.h"
#include "buf.h"
#include "cred.h"
#include "crypto.h"
#include "err.h"
#include "gcsign.h"
#include "httpc.h"
#include "jsonu.h"
#include "metrics.h"
#include "storage.h"
#include "storage_obj.h"
#include "strutil.h"
#include "xmalloc.h"

#define GCS_API		"https://storage.googleapis.com"
#define GCS_SCOPE	"https://www.googleapis.com/auth/devstorage.read_only"
#define LIST_MAX	(16u << 20)	/* one objects.list page */
#define TOKEN_MAX	(64u << 10)	/* a token endpoint's answer */
#define TOKEN_MARGIN	300		/* renew 5 minutes before expiry */
#define KEYS		8

/* Parsed keys and the current access token of one credential. */
struct gkeys {
	unsigned char		 id[32];
	bool			 used;
	struct gcsign_key	 rsa;		/* GCSIGN_NONE: no account */
	struct gcsign_key	 hmac;		/* GCSIGN_NONE: no HMAC key */
	char			*token;		/* xmalloc'd, or NULL */
	int64_t			 token_exp;	/* epoch seconds */
};

static struct gkeys keys[KEYS];

struct gcs {
	struct arena		*a;
	const char		*bucket;
	const char		*prefix;	/* "" or "dir/sub/" */
	const char		*api;		/* "https://storage..." */
	const char		*sa_json;	/* NULL: no account key */
	const char		*hmac_id, *hmac_secret;
	unsigned char		 id[32];	/* of the key material */
};

/* --- keys and tokens ----------------------------------------------------- */

static void
gkeys_clear(struct gkeys *k)
{
	gcsign_key_free(&k->rsa);
	gcsign_key_free(&k->hmac);
	if (k->token != NULL) {
		crypto_wipe(k->token, strlen(k->token));
		free(k->token);
	}
	memset(k, 0, sizeof(*k));
}

static int
gkeys_load(struct gcs *g, struct gkeys *k, struct err *e)
{
	memcpy(k->id, g->id, sizeof(k->id));
	k->used = true;
	if (g->sa_json != NULL && gcsign_key_load(&k->rsa, g->sa_json,
	    strlen(g->sa_json), e) == -1)
		goto fail;
	if (g->hmac_id != NULL && g->hmac_secret != NULL &&
	    gcsign_key_hmac(&k->hmac, g->hmac_id, g->hmac_secret, e) == -1)
		goto fail;
	return 0;
fail:
	gkeys_clear(k);
	return -1;
}

/* The handle's process entry, loaded (again) when missing. */
static struct gkeys *
gkeys_get(struct gcs *g, struct err *e)
{
	size_t	 i;

	for (i = 0; i < KEYS; i++)
		if (keys[i].used && crypto_equal(keys[i].id, g->id, 32)) {
			metrics_cache(MC_GCS_KEY, true);
			return &keys[i];
		}
	/* A full table forgets an arbitrary entry: it costs one parse. */
	metrics_cache(MC_GCS_KEY, false);
	for (i = 0; i < KEYS - 1 && keys[i].used; i++)
		;
	gkeys_clear(&keys[i]);
	return gkeys_load(g, &keys[i], e) == -1 ? NULL : &keys[i];
}

/* A token endpoint's refusal as an err ("invalid_grant: ..."). */
static int
token_fail(struct arena *a, const struct httpc_resp *rs, struct err *e)
{
	struct json_object *o;
	const char	*what = "", *why = "";
	struct err	 ignore;

	if ((o = jsonu_parse(a, buf_str(&rs->body),
	    rs->body.len, 4, &ignore)) != NULL) {
		jsonu_get_str(o, "error", false, &what, &ignore);
		jsonu_get_str(o, "error_description", false, &why, &ignore);
	}
	return err_set(e, rs->status >= 500 ? ERR_UNAVAILABLE : ERR_UPSTREAM,
	    "the GCS token endpoint refused the service account (HTTP %ld"
	    "%s%.40s%s%.120s)", rs->status, *what ? ", " : "", what,
	    *why ? ": " : "", why);
}

/* Trade a fresh JWT assertion for an access token. */
static int
token_fetch(struct gkeys *k, struct arena *a, int64_t now, struct err *e)
{
	struct httpc_req h;
	struct httpc_resp rs;
	struct json_object *o;
	const char	*jwt, *tok;
	int64_t		 ttl = 3600;
	bool		 have;
	int		 rc = -1;

	memset(&h, 0, sizeof(h));
	memset(&rs, 0, sizeof(rs));
	if (gcsign_jwt(&k->rsa, GCS_SCOPE, now, a, &jwt, e) == -1)
		return -1;
	h.method = "POST";
	h.url = k->rsa.token_uri;
	h.body = gcsign_token_body(a, jwt);
	h.bodylen = strlen(h.body);
	h.max = TOKEN_MAX;
	h.headers[h.nheaders++] = "Content-Type: "
	    "application/x-www-form-urlencoded";
	if (httpc_do(&h, &rs, e) == -1)
		goto out;
	if (rs.status != 200) {
		token_fail(a, &rs, e);
		goto out;
	}
	if ((o = jsonu_parse(a, buf_str(&rs.body), rs.body.len, 4, e)) ==
	    NULL || jsonu_get_str(o, "access_token", true, &tok, e) == -1 ||
	    jsonu_get_i64(o, "expires_in", false, 1, 86400, &ttl, &have,
	    e) == -1) {
		err_set(e, ERR_UPSTREAM, "the GCS token endpoint answered "
		    "without a usable access token");
		goto out;
	}
	if (k->token != NULL)
		free(k->token);
	k->token = xstrdup(tok);
	k->token_exp = now + ttl;
	rc = 0;
out:
	if (rs.body.data != NULL)
		crypto_wipe(rs.body.data, rs.body.len);
	buf_release(&rs.body);
	return rc;
}

static void
token_forget(struct gcs *g)
{
	struct err	 ignore;
	struct gkeys	*k = gkeys_get(g, &ignore);

	if (k != NULL && k->token != NULL) {
		crypto_wipe(k->token, strlen(k->token));
		free(k->token);
		k->token = NULL;
	}
}

/* Add the bearer token of a JSON API request (none: anonymous). */
static int
add_auth(struct gcs *g, struct arena *a, struct httpc_req *h, struct err *e)
{
	struct gkeys	*k;
	int64_t		 now = (int64_t)time(NULL);
	bool		 fresh;

	if ((k = gkeys_get(g, e)) == NULL)
		return -1;
	if (k->rsa.kind != GCSIGN_RSA)
		return 0;
	fresh = k->token != NULL && now < k->token_exp - TOKEN_MARGIN;
	metrics_cache(MC_GCS_TOKEN, fresh);
	if (!fresh && token_fetch(k, a, now, e) == -1)
		return -1;
	h->headers[h->nheaders++] = arena_printf(a, "Authorization: Bearer %s",
	    k->token);
	return 0;
}

/* --- requests ------------------------------------------------------------ */

/* A GCS JSON error answer as an err: its reason and message. */
static int
gcs_fail(void *be, const struct httpc_resp *rs, const char *key,
    struct err *e)
{
	struct gcs	*g = be;
	struct arena	*a = arena_new();
	struct json_object *o, *er, *list;
	const char	*reason = "", *msg = "";
	struct err	 ignore;
	char		 q[80];
	int		 rc;

	if (rs->body.len > 0 && (o = jsonu_parse(a, buf_str(&rs->body), rs->body.len, 8, &ignore)) != NULL &&
	    json_object_object_get_ex(o, "error", &er)) {
		jsonu_get_str(er, "message", false, &msg, &ignore);
		if (json_object_object_get_ex(er, "errors", &list) &&
		    json_object_is_type(list, json_type_array) &&
		    json_object_array_length(list) > 0)
			jsonu_get_str(json_object_array_get_idx(list, 0),
			    "reason", false, &reason, &ignore);
	}
	/* A refused token (revoked, key rotated): buy another next time. */
	if (rs->status == 401)
		token_forget(g);
	str_shorten(key, q, sizeof(q));
	rc = obj_fail(rs->status, reason, msg, "gcs", g->bucket, q, e);
	arena_free(a);
	return rc;
}

/* The object name of a storage key. */
static const char *
obj_name(struct gcs *g, struct arena *a, const char *key)
{
	return arena_printf(a, "%s%s", g->prefix, key);
}

/* The JSON API URL of an object (NULL: the bucket's object list). */
static const char *
api_url(struct gcs *g, struct arena *a, const char *name)
{
	if (name == NULL)
		return arena_printf(a, "%s/storage/v1/b/%s/o", g->api,
		    g->bucket);
	return arena_printf(a, "%s/storage/v1/b/%s/o/%s", g->api, g->bucket,
	    str_pct_encode(a, name, ""));
}

/* objects.get with alt=media: the bytes of key (obj_backend). */
static int
gcs_request(void *be, struct arena *a, const char *key, const char *range,
    struct httpc_req *h, struct err *e)
{
	struct gcs	*g = be;

	h->url = arena_printf(a, "%s?alt=media", api_url(g, a,
	    obj_name(g, a, key)));
	if (range != NULL)
		h->headers[h->nheaders++] = arena_printf(a, "Range: %s", range);
	return add_auth(g, a, h, e);
}

static const struct obj_backend gcs_obj = { gcs_request, gcs_fail };

/* --- list ---------------------------------------------------------------- */

static int
list_page(void *be, struct arena *a, const char *prefix,
    const char *after, const char **token, struct obj_list *out,
    struct err *e)
{
	struct gcs	*g = be;
	struct httpc_req h;
	struct httpc_resp rs;
	struct buf	 url;
	int		 rc = -1;

	memset(&h, 0, sizeof(h));
	memset(&rs, 0, sizeof(rs));
	buf_init(&url, 0);
	buf_addf(&url, "%s?prefix=%s&delimiter=%%2F", api_url(g, a, NULL),
	    str_pct_encode(a, obj_name(g, a, prefix), ""));
	if (after != NULL)
		buf_addf(&url, "&startOffset=%s", str_pct_encode(a,
		    obj_name(g, a, after), ""));
	if (*token != NULL)
		buf_addf(&url, "&pageToken=%s", str_pct_encode(a, *token, ""));
	h.method = "GET";
	h.url = arena_strdup(a, buf_str(&url));
	h.max = LIST_MAX;
	buf_release(&url);
	if (add_auth(g, a, &h, e) == -1 || httpc_do(&h, &rs, e) == -1)
		goto out;
	if (rs.status != 200) {
		gcs_fail(g, &rs, prefix, e);
		goto out;
	}
	obj_gcs_page(a, buf_str(&rs.body), rs.body.len, g->prefix, out,
	    token);
	rc = 0;
out:
	buf_release(&rs.body);
	return rc;
}

static int
gcs_list(struct storage *st, struct arena *a, const char *prefix,
    const char *start_after, struct storage_list *out, struct err *e)
{
	return obj_list_all(list_page, st->be, a, prefix, start_after, out, e);
}

/* --- read, stat, presign ------------------------------------------------- */

static int
gcs_read(struct storage *st, const char *key, int64_t off, int64_t len,
    size_t max, struct buf *out, struct err *e)
{
	return obj_read(&gcs_obj, st->be, key, off, len, max, out, e);
}

static int
gcs_read_many(struct storage *st, struct storage_req *reqs, size_t n,
    size_t max_each)
{
	return obj_read_many(&gcs_obj, st->be, reqs, n, max_each);
}

/* objects.get without alt=media: the object's metadata. */
static int
gcs_stat(struct storage *st, const char *key, struct storage_entry *ent,
    struct arena *a, struct err *e)
{
	struct gcs	*g = st->be;
	struct httpc_req h;
	struct httpc_resp rs;
	int		 rc = -1;

	memset(&h, 0, sizeof(h));
	memset(&rs, 0, sizeof(rs));
	h.method = "GET";
	h.url = api_url(g, a, obj_name(g, a, key));
	h.max = 1 << 16;
	if (add_auth(g, a, &h, e) == -1 || httpc_do(&h, &rs, e) == -1)
		goto out;
	if (rs.status != 200) {
		gcs_fail(g, &rs, key, e);
		goto out;
	}
	if (!obj_gcs_object(a, buf_str(&rs.body), rs.body.len, g->prefix,
	    ent) || strcmp(ent->key, key) != 0) {
		err_set(e, ERR_UPSTREAM, "gcs bucket '%s': unreadable metadata "
		    "for '%.80s'", g->bucket, key);
		goto out;
	}
	rc = 0;
out:
	buf_release(&rs.body);
	return rc;
}

static int
gcs_presign(struct storage *st, const char *key, int64_t now, int64_t ttl,
    struct arena *a, const char **url, struct err *e)
{
	struct gcs	*g = st->be;
	struct gkeys	*k;
	struct gcsign_key *sk;
	struct gcsign_req rq;
	struct gcsign_signed sg;

	if ((k = gkeys_get(g, e)) == NULL)
		return -1;
	sk = k->hmac.kind == GCSIGN_HMAC ? &k->hmac : &k->rsa;
	if (sk->kind == GCSIGN_NONE)
		return err_set(e, ERR_UPSTREAM, "the GCS credential has no "
		    "service account or HMAC key to sign URLs with (serve the "
		    "table with fileAccess \"proxy\")");
	memset(&rq, 0, sizeof(rq));
	rq.endpoint = g->api;
	rq.style = GCSIGN_PATH;
	rq.bucket = g->bucket;
	rq.object = obj_name(g, a, key);
	rq.now = now;
	rq.expires = ttl;
	rq.flags = GCSIGN_SIGN_PORT;
	if (gcsign_url(sk, &rq, a, &sg, e) == -1)
		return -1;
	*url = sg.url;
	return 0;
}

static void
gcs_close(struct storage *st)
{
	struct gcs	*g = st->be;

	arena_free(g->a);
	free(g);
	free(st->root);
	free(st);
}

static const struct storage_ops gcs_ops = {
	.name = "gcs",
	.list = gcs_list,
	.read = gcs_read,
	.stat = gcs_stat,
	.read_many = gcs_read_many,
	.close = gcs_close,
	.presign = gcs_presign,
};

/* --- open ---------------------------------------------------------------- */

/* Hash the key material: the process table's key for this credential. */
static void
key_id(struct gcs *g)
{
	struct buf	 b;

	buf_init(&b, 0);
	buf_addf(&b, "%s\n%s\n%s", g->sa_json ? g->sa_json : "",
	    g->hmac_id ? g->hmac_id : "", g->hmac_secret ? g->hmac_secret : "");
	crypto_sha256(b.data, b.len, g->id);
	crypto_wipe(b.data, b.len);
	buf_release(&b);
}

struct storage *
storage_gcs_open(const char *location, const struct cred *named,
    struct err *e)
{
	struct storage	*st;
	struct cred	 envc;
	const struct cred *c = named;
	struct gcs	*g = xcalloc(1, sizeof(*g));
	struct obj_endpoint ep;

	g->a = arena_new();
	if (obj_bucket_split(g->a, location, &g->bucket, &g->prefix, e) == -1)
		goto fail;
	if (c == NULL) {
		if (cred_gcs_env(&envc, g->a, e) == -1)
			goto fail;
		c = &envc;
	} else if (c->kind != CRED_GCS) {
		err_set(e, ERR_BAD_PARAM, "credential '%.64s' is not for GCS",
		    c->name ? c->name : "");
		goto fail;
	}
	g->api = GCS_API;
	if (c->gcs_endpoint != NULL) {
		if (obj_endpoint_parse(g->a, c->gcs_endpoint, &ep, e) == -1)
			goto fail;
		g->api = arena_printf(g->a, "%s://%s", ep.scheme, ep.host);
	}
	/* HMAC keys sign URLs only: the JSON API wants a token. */
	if (c->sa_json == NULL && c->gcs_endpoint == NULL) {
		err_set(e, ERR_BAD_PARAM, "GCS credential '%.64s' has no "
		    "serviceAccountKey to read the bucket with",
		    c->name ? c->name : "");
		goto fail;
	}
	g->sa_json = c->sa_json ? arena_strdup(g->a, c->sa_json) : NULL;
	g->hmac_id = c->hmac_id ? arena_strdup(g->a, c->hmac_id) : NULL;
	g->hmac_secret = c->hmac_secret ? arena_strdup(g->a, c->hmac_secret) :
	    NULL;
	key_id(g);
	/* A key that does not parse is an error now, not at the first read. */
	if (gkeys_get(g, e) == NULL)
		goto fail;
	st = xcalloc(1, sizeof(*st));
	st->ops = &gcs_ops;
	st->root = xstrdup(arena_printf(g->a, "gs://%s/%s", g->bucket,
	    g->prefix));
	st->be = g;
	return st;
fail:
	arena_free(g->a);
	free(g);
	return NULL;
}
