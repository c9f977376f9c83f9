/*
 * storage_az.c: the Azure Blob Storage backend, for Blob and ADLS Gen2
 * accounts (see storage.h).
 *
 * Locations come in the three forms of obj_az_split() and are all read
 * through the account's blob endpoint ("https://account.blob.core.
 * windows.net", or a credential's BlobEndpoint such as Azurite's
 * "http://127.0.0.1:10000/account"): an ADLS Gen2 file is also a blob.
 * Requests are signed with Shared Key (List Blobs with delimiter "/" and
 * marker, Get Blob with x-ms-range, Get Blob Properties); recipients
 * get read-only service SAS URLs scoped to one blob (sr=b, sp=r).
 *
 * The account key is decoded once per handle; Shared Key has no derived
 * keys to cache.  A handle prepares one SAS presigner for the expiry its
 * URLs are asked with (a query's files all share it).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "azsign.h"
#include "buf.h"
#include "cred.h"
#include "err.h"
#include "httpc.h"
#include "storage.h"
#include "storage_obj.h"
#include "strutil.h"
#include "xmalloc.h"

#define LIST_MAX	(16u << 20)	/* one List Blobs page */

struct az {
	struct arena		*a;		/* the handle's own strings */
	struct obj_az		 loc;
	const char		*origin;	/* "https://acct.blob..." */
	const char		*base;		/* "" or "/acct" (emulator) */
	bool			 https;
	struct azsign_key	 k;
	struct azsign_presigner	 ps;		/* for ps_expiry */
	int64_t			 ps_expiry;	/* 0: none */
};

/* The blob name of a storage key. */
static const char *
blob_name(struct az *z, struct arena *a, const char *key)
{
	return arena_printf(a, "%s%s", z->loc.prefix, key);
}

/* The encoded request path of a blob name (NULL: the container). */
static const char *
req_path(struct az *z, struct arena *a, const char *name)
{
	if (name == NULL)
		return arena_printf(a, "%s/%s", z->base, z->loc.container);
	return arena_printf(a, "%s/%s/%s", z->base, z->loc.container,
	    str_pct_encode(a, name, "/"));
}

/*
 * Sign and fill h for path and query (encoded), with x-ms-range when
 * range is not NULL.
 */
static int
sign_req(struct az *z, struct arena *a, const char *path,
    const struct azsign_param *q, size_t nq, const char *range,
    struct httpc_req *h, struct err *e)
{
	struct azsign_param hd[3];
	struct azsign_req rq;
	struct azsign_signed sg;
	char		 date[AZSIGN_DATE_LEN];
	size_t		 nh = 0, i;
	struct buf	 url;

	azsign_http_date((int64_t)time(NULL), date);
	hd[nh++] = (struct azsign_param){ "x-ms-date", date };
	hd[nh++] = (struct azsign_param){ "x-ms-version", AZSIGN_VERSION };
	if (range != NULL)
		hd[nh++] = (struct azsign_param){ "x-ms-range", range };
	memset(&rq, 0, sizeof(rq));
	rq.method = h->method;
	rq.path = path;
	rq.query = q;
	rq.nquery = nq;
	rq.headers = hd;
	rq.nheaders = nh;
	if (azsign_shared_key(&z->k, &rq, a, &sg, e) == -1)
		return -1;
	buf_init(&url, 0);
	buf_addf(&url, "%s%s", z->origin, path);
	for (i = 0; i < nq; i++)
		buf_addf(&url, "%c%s=%s", i ? '&' : '?', q[i].name,
		    q[i].value);
	h->url = arena_strdup(a, buf_str(&url));
	buf_release(&url);
	for (i = 0; i < nh; i++)
		h->headers[h->nheaders++] = arena_printf(a, "%s: %s",
		    hd[i].name, hd[i].value);
	h->headers[h->nheaders++] = arena_printf(a, "Authorization: %s",
	    sg.value);
	return 0;
}

/* An Azure error answer as an err: the store's code in the message. */
static int
az_fail(void *be, const struct httpc_resp *rs, const char *key,
    struct err *e)
{
	struct az	*z = be;
	char		 code[64], msg[160], q[80], *nl;

	obj_xml_text(rs->body.data, rs->body.len, "Code", code, sizeof(code));
	obj_xml_text(rs->body.data, rs->body.len, "Message", msg, sizeof(msg));
	if (code[0] == '\0')
		snprintf(code, sizeof(code), "%s", rs->errcode);
	/* Messages go on with "\nRequestId:...\nTime:...". */
	if ((nl = strpbrk(msg, "\r\n")) != NULL)
		*nl = '\0';
	str_shorten(key, q, sizeof(q));
	return obj_fail(rs->status, code, msg, "azure", z->loc.container, q,
	    e);
}

/* --- list ---------------------------------------------------------------- */

/*
 * One page: entries appended to out; *marker the next page's, or NULL.
 * List Blobs has no start-after (obj_list_all() filters).
 */
static int
list_page(void *be, struct arena *a, const char *prefix,
    const char *after, const char **marker, struct obj_list *out,
    struct err *e)
{
	struct az	*z = be;
	struct azsign_param q[5];
	struct httpc_req h;
	struct httpc_resp rs;
	size_t		 nq = 0;
	int		 rc = -1;

	(void)after;
	q[nq++] = (struct azsign_param){ "restype", "container" };
	q[nq++] = (struct azsign_param){ "comp", "list" };
	q[nq++] = (struct azsign_param){ "prefix", str_pct_encode(a,
	    blob_name(z, a, prefix), "") };
	q[nq++] = (struct azsign_param){ "delimiter", "%2F" };
	if (*marker != NULL)
		q[nq++] = (struct azsign_param){ "marker",
		    str_pct_encode(a, *marker, "") };
	memset(&h, 0, sizeof(h));
	memset(&rs, 0, sizeof(rs));
	h.method = "GET";
	h.max = LIST_MAX;
	if (sign_req(z, a, req_path(z, a, NULL), q, nq, NULL, &h, e) == -1 ||
	    httpc_do(&h, &rs, e) == -1)
		goto out;
	if (rs.status != 200) {
		az_fail(z, &rs, prefix, e);
		goto out;
	}
	obj_az_page(a, rs.body.data, rs.body.len, z->loc.prefix, out, marker);
	rc = 0;
out:
	buf_release(&rs.body);
	return rc;
}

static int
az_list(struct storage *st, struct arena *a, const char *prefix,
    const char *start_after, struct storage_list *out, struct err *e)
{
	return obj_list_all(list_page, st->be, a, prefix, start_after, out, e);
}

/* --- read, stat, presign ------------------------------------------------- */

static int
az_request(void *be, struct arena *a, const char *key, const char *range,
    struct httpc_req *h, struct err *e)
{
	struct az	*z = be;

	return sign_req(z, a, req_path(z, a, blob_name(z, a, key)), NULL, 0,
	    range, h, e);
}

static const struct obj_backend az_obj = { az_request, az_fail };

static int
az_read(struct storage *st, const char *key, int64_t off, int64_t len,
    size_t max, struct buf *out, struct err *e)
{
	return obj_read(&az_obj, st->be, key, off, len, max, out, e);
}

static int
az_stat(struct storage *st, const char *key, struct storage_entry *ent,
    struct arena *a, struct err *e)
{
	return obj_stat(&az_obj, st->be, key, ent, a, e);
}

static int
az_read_many(struct storage *st, struct storage_req *reqs, size_t n,
    size_t max_each)
{
	return obj_read_many(&az_obj, st->be, reqs, n, max_each);
}

/* The presigner of read-only blob SAS URLs expiring at expiry. */
static int
presigner(struct az *z, int64_t expiry, struct arena *a, struct err *e)
{
	struct azsign_sas sas;

	if (z->ps_expiry != 0 && z->ps_expiry == expiry)
		return 0;
	azsign_presigner_wipe(&z->ps);
	z->ps_expiry = 0;
	memset(&sas, 0, sizeof(sas));
	sas.resource = AZSIGN_BLOB;
	sas.container = z->loc.container;
	sas.name = z->loc.prefix;
	sas.permissions = "r";
	sas.expiry = expiry;
	sas.protocol = z->https ? "https" : NULL;
	if (azsign_presigner_init(&z->ps, &z->k, &sas, arena_printf(a, "%s%s",
	    z->origin, z->base), a, e) == -1)
		return -1;
	z->ps_expiry = expiry;
	return 0;
}

static int
az_presign(struct storage *st, const char *key, int64_t now, int64_t ttl,
    struct arena *a, const char **url, struct err *e)
{
	struct az	*z = st->be;

	if (presigner(z, now + ttl, a, e) == -1)
		return -1;
	return azsign_presigner_url(&z->ps, key, a, url, e);
}

static void
az_close(struct storage *st)
{
	struct az	*z = st->be;

	azsign_presigner_wipe(&z->ps);
	azsign_key_wipe(&z->k);
	arena_free(z->a);
	free(z);
	free(st->root);
	free(st);
}

static const struct storage_ops az_ops = {
	.name = "azure",
	.list = az_list,
	.read = az_read,
	.stat = az_stat,
	.read_many = az_read_many,
	.close = az_close,
	.presign = az_presign,
};

/* --- open ---------------------------------------------------------------- */

/* The blob endpoint: the credential's, or the account's own. */
static int
az_endpoint(struct az *z, const struct cred *c, struct err *e)
{
	struct obj_endpoint ep;

	if (c->blob_endpoint == NULL) {
		z->origin = arena_printf(z->a, "https://%s.blob.%s",
		    z->loc.account, z->loc.suffix);
		z->base = "";
		z->https = true;
		return 0;
	}
	if (obj_az_endpoint(z->a, c->blob_endpoint, &ep, &z->base, e) == -1)
		return -1;
	z->origin = arena_printf(z->a, "%s://%s", ep.scheme, ep.host);
	z->https = strcmp(ep.scheme, "https") == 0;
	return 0;
}

struct storage *
storage_az_open(const char *location, const struct cred *named,
    struct err *e)
{
	struct storage	*st;
	struct cred	 envc;
	const struct cred *c = named;
	struct az	*z = xcalloc(1, sizeof(*z));

	z->a = arena_new();
	if (obj_az_split(z->a, location, &z->loc, e) == -1)
		goto fail;
	if (c == NULL) {
		if (cred_azure_env(&envc, z->a, e) == -1)
			goto fail;
		c = &envc;
	} else if (c->kind != CRED_AZURE) {
		err_set(e, ERR_BAD_PARAM, "credential '%.64s' is not for "
		    "Azure", c->name ? c->name : "");
		goto fail;
	}
	if (c->account == NULL || strcmp(c->account, z->loc.account) != 0) {
		err_set(e, ERR_BAD_PARAM, "the Azure credential is for "
		    "account '%.24s', the location names '%s'",
		    c->account ? c->account : "", z->loc.account);
		goto fail;
	}
	if (azsign_key_init(&z->k, c->account, c->account_key, e) == -1 ||
	    az_endpoint(z, c, e) == -1)
		goto fail;
	st = xcalloc(1, sizeof(*st));
	st->ops = &az_ops;
	st->root = xstrdup(obj_az_canonical(z->a, &z->loc));
	st->be = z;
	return st;
fail:
	azsign_key_wipe(&z->k);
	arena_free(z->a);
	free(z);
	return NULL;
}
