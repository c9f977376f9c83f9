/*
 * storage_obj.c: pieces the object-store backends share (see
 * storage_obj.h).
 *
 * The XML reader knows only what list and error answers need: elements
 * found by name, text with the five named entities and numeric
 * references decoded.  It never allocates beyond the arena and never
 * reads past the answer.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "buf.h"
#include "err.h"
#include "httpc.h"
#include "jsonu.h"
#include "storage.h"
#include "storage_obj.h"
#include "strutil.h"

static bool
bucket_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	    c == '-' || c == '.';
}

static bool
prefix_ok(const char *p)
{
	const char	*seg, *end;
	size_t		 n;

	for (seg = p; *seg != '\0'; seg = end + 1) {
		if ((end = strchr(seg, '/')) == NULL)
			end = seg + strlen(seg);
		n = (size_t)(end - seg);
		if (n == 0 || (n == 1 && seg[0] == '.') ||
		    (n == 2 && seg[0] == '.' && seg[1] == '.'))
			return false;
		if (*end == '\0')
			break;
	}
	for (; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

int
obj_bucket_split(struct arena *a, const char *loc, const char **bucket,
    const char **prefix, struct err *e)
{
	const char	*p = strstr(loc, "://"), *slash;
	char		*pre;
	size_t		 n, i;

	if (p == NULL)
		return err_set(e, ERR_BAD_PARAM, "not a bucket URL");
	p += 3;
	slash = strchr(p, '/');
	n = slash ? (size_t)(slash - p) : strlen(p);
	/* GCS bucket names may also have underscores. */
	for (i = 0; i < n && (bucket_char(p[i]) || (p[i] == '_' &&
	    strncmp(loc, "gs://", 5) == 0)); i++)
		;
	if (n < 3 || n > 63 || i != n || p[0] == '.' || p[0] == '-' ||
	    p[n - 1] == '.' || p[n - 1] == '-')
		return err_set(e, ERR_BAD_PARAM, "bad bucket name in '%.80s'",
		    loc);
	*bucket = arena_strndup(a, p, n);
	pre = arena_strdup(a, slash ? slash + 1 : "");
	n = strlen(pre);
	while (n > 0 && pre[n - 1] == '/')
		pre[--n] = '\0';
	if (!prefix_ok(pre))
		return err_set(e, ERR_BAD_PARAM, "bad path in '%.80s': empty, "
		    "'.' or '..' segments or control characters", loc);
	*prefix = n ? arena_printf(a, "%s/", pre) : "";
	return 0;
}

int
obj_endpoint_parse(struct arena *a, const char *url, struct obj_endpoint *ep,
    struct err *e)
{
	const char	*h;
	size_t		 n, i;

	if (strncmp(url, "https://", 8) == 0) {
		ep->scheme = "https";
		h = url + 8;
	} else if (strncmp(url, "http://", 7) == 0) {
		ep->scheme = "http";
		h = url + 7;
	} else
		return err_set(e, ERR_BAD_PARAM, "an endpoint must be an "
		    "http:// or https:// URL");
	n = strcspn(h, "/");
	if (h[n] == '/' && h[n + 1] != '\0')
		return err_set(e, ERR_BAD_PARAM, "an endpoint has no path");
	for (i = 0; i < n; i++)
		if (!((h[i] >= 'a' && h[i] <= 'z') || (h[i] >= 'A' &&
		    h[i] <= 'Z') || (h[i] >= '0' && h[i] <= '9') ||
		    strchr(".-:[]", h[i]) != NULL))
			return err_set(e, ERR_BAD_PARAM, "bad endpoint host");
	if (n == 0)
		return err_set(e, ERR_BAD_PARAM, "an endpoint needs a host");
	ep->host = arena_strndup(a, h, n);
	ep->sign_host = ep->host;
	if ((strcmp(ep->scheme, "https") == 0 && n > 4 &&
	    strcmp(ep->host + n - 4, ":443") == 0) ||
	    (strcmp(ep->scheme, "http") == 0 && n > 3 &&
	    strcmp(ep->host + n - 3, ":80") == 0))
		ep->sign_host = arena_strndup(a, h, strcspn(h, ":"));
	return 0;
}

/* --- XML ---------------------------------------------------------------- */

static const char *
find(const char *p, const char *end, const char *needle)
{
	size_t	 n = strlen(needle);

	for (; p != NULL && (size_t)(end - p) >= n; p++) {
		p = memchr(p, needle[0], (size_t)(end - p));
		if (p == NULL || (size_t)(end - p) < n)
			return NULL;
		if (memcmp(p, needle, n) == 0)
			return p;
	}
	return NULL;
}

const char *
obj_xml_block(const char *p, const char *end, const char *tag,
    const char **after)
{
	char		 open[64], close[64];
	const char	*s, *c;

	if (p == NULL)
		return NULL;
	snprintf(open, sizeof(open), "<%s>", tag);
	snprintf(close, sizeof(close), "</%s>", tag);
	if ((s = find(p, end, open)) == NULL ||
	    (c = find(s + strlen(open), end, close)) == NULL)
		return NULL;
	*after = c + strlen(close);
	return s + strlen(open);
}

/* Decode one entity at p (after '&'); its length through ';' in *len. */
static int
entity(const char *p, const char *end, size_t *len, char out[4])
{
	static const struct {
		const char	*name;
		char		 c;
	} named[] = { { "amp;", '&' }, { "lt;", '<' }, { "gt;", '>' },
	    { "quot;", '"' }, { "apos;", '\'' } };
	unsigned long	 cp;
	char		*stop, num[16];
	size_t		 i, n;

	for (i = 0; i < 5; i++) {
		n = strlen(named[i].name);
		if ((size_t)(end - p) >= n && memcmp(p, named[i].name, n) == 0) {
			*len = n;
			out[0] = named[i].c;
			return 1;
		}
	}
	if (p >= end || *p != '#')
		return 0;
	n = (size_t)(end - p - 1) < sizeof(num) - 1 ? (size_t)(end - p - 1) :
	    sizeof(num) - 1;
	memcpy(num, p + 1, n);
	num[n] = '\0';
	cp = num[0] == 'x' ? strtoul(num + 1, &stop, 16) :
	    strtoul(num, &stop, 10);
	if (*stop != ';' || stop == num || cp == 0 || cp > 0x10ffff)
		return 0;
	*len = (size_t)(stop - num) + 2;
	return str_utf8_put(out, (uint32_t)cp);
}

/* The decoded text of the first <tag> in s[0..n) into b; -1 absent. */
static int
xml_text(const char *s, size_t n, const char *tag, struct buf *b)
{
	const char	*p, *end, *after;
	char		 u[4];
	size_t		 len;
	int		 k;

	if ((p = obj_xml_block(s, s + n, tag, &after)) == NULL)
		return -1;
	end = after - strlen(tag) - 3;
	while (p < end) {
		if (*p == '&' && (k = entity(p + 1, end, &len, u)) > 0) {
			buf_add(b, u, (size_t)k);
			p += len + 1;
		} else
			buf_addc(b, *p++);
	}
	return 0;
}

void
obj_xml_text(const char *s, size_t n, const char *tag, char *out,
    size_t outsz)
{
	struct buf	 b;

	buf_init(&b, 0);
	out[0] = '\0';
	if (s != NULL && xml_text(s, n, tag, &b) == 0)
		snprintf(out, outsz, "%s", buf_str(&b));
	buf_release(&b);
}

const char *
obj_xml_dup(struct arena *a, const char *s, size_t n, const char *tag)
{
	struct buf	 b;
	const char	*out = NULL;

	buf_init(&b, 0);
	if (s != NULL && xml_text(s, n, tag, &b) == 0 &&
	    strlen(buf_str(&b)) == b.len)
		out = arena_strdup(a, buf_str(&b));
	buf_release(&b);
	return out;
}

/* --- errors, ranges, bodies --------------------------------------------- */

int
obj_fail(long status, const char *code, const char *msg, const char *store,
    const char *bucket, const char *key, struct err *e)
{
	const char	*unit = strcmp(store, "azure") ? "bucket" : "container";
	char		 what[256];

	if (*code != '\0')
		snprintf(what, sizeof(what), "%s%s%.160s", code, *msg ? ": " :
		    "", msg);
	else
		snprintf(what, sizeof(what), "HTTP %ld", status);
	if (status == 404 && strstr(code, "Bucket") == NULL &&
	    strstr(code, "Container") == NULL)
		return err_set(e, ERR_NOT_FOUND, "'%s' not found in %s "
		    "%s '%s' (%s)", key, store, unit, bucket, what);
	if (status == 503 || status == 429)
		return err_set(e, ERR_UNAVAILABLE, "%s %s '%s' is busy: "
		    "%s", store, unit, bucket, what);
	if (status == 401 || status == 403)
		return err_set(e, ERR_UPSTREAM, "%s %s '%s' refused "
		    "access to '%s' (%s)", store, unit, bucket, key, what);
	return err_set(e, ERR_UPSTREAM, "%s %s '%s' failed on '%s' (HTTP "
	    "%ld, %s)", store, unit, bucket, key, status, what);
}

const char *
obj_range(struct arena *a, int64_t off, int64_t len)
{
	if (len == 0)
		return arena_printf(a, "bytes=%lld-%lld", (long long)off,
		    (long long)off);
	if (len > 0)
		return arena_printf(a, "bytes=%lld-%lld", (long long)off,
		    (long long)(off + len - 1));
	if (off > 0)
		return arena_printf(a, "bytes=%lld-", (long long)off);
	return NULL;
}

size_t
obj_cap(const struct buf *out, size_t max)
{
	if (out->max != 0 && out->max - out->len < max)
		return out->max - out->len;
	return max;
}

void
obj_too_large(struct err *e, const char *key, size_t cap)
{
	char	 q[80];

	if (e->kind == ERR_TOO_LARGE)
		err_set(e, ERR_TOO_LARGE, "'%s' is larger than %zu bytes",
		    str_shorten(key, q, sizeof(q)), cap);
}

int
obj_short(const char *key, struct err *e)
{
	char	 q[80];

	return err_set(e, ERR_UPSTREAM, "'%s' is shorter than expected",
	    str_shorten(key, q, sizeof(q)));
}

int
obj_take(const struct httpc_resp *rs, int64_t off, int64_t len,
    const char *key, struct buf *out, struct err *e)
{
	const char	*p = rs->body.data ? rs->body.data : "";
	size_t		 n = rs->body.len;

	if (rs->status == 200 && off > 0) {
		if ((uint64_t)off > n)
			return obj_short(key, e);
		p += off;
		n -= (size_t)off;
	}
	if (len == 0)
		return 0;
	if (len > 0) {
		if (n < (size_t)len)
			return obj_short(key, e);
		n = (size_t)len;
	}
	if (buf_add(out, p, n) == -1)
		return err_set(e, ERR_TOO_LARGE, "'%s' does not fit the "
		    "buffer", key);
	return 0;
}

/* --- listings ------------------------------------------------------------ */

/* One <Contents> block into an entry; false to skip it. */
static bool
s3_entry(struct arena *a, const char *blk, size_t n, const char *prefix,
    struct storage_entry *ent)
{
	char		 size[32], when[40], *key, *end;
	const char	*raw;
	long		 k;

	if ((raw = obj_xml_dup(a, blk, n, "Key")) == NULL)
		return false;
	key = arena_alloc(a, strlen(raw) + 1);
	if ((k = str_pct_decode(raw, strlen(raw), key, true)) < 0 ||
	    (size_t)k != strlen(key) || strncmp(key, prefix,
	    strlen(prefix)) != 0)
		return false;
	ent->key = key + strlen(prefix);
	obj_xml_text(blk, n, "Size", size, sizeof(size));
	obj_xml_text(blk, n, "LastModified", when, sizeof(when));
	ent->size = strtoll(size, &end, 10);
	if (end == size || *end != '\0' || ent->size < 0)
		return false;
	if (str_parse_iso8601(when, &ent->mtime_ms) == -1)
		ent->mtime_ms = 0;
	return *ent->key != '\0' && storage_key_valid(ent->key);
}

void
obj_s3_page(struct arena *a, const char *body, size_t len,
    const char *prefix, struct obj_list *out, const char **token)
{
	struct storage_entry ent;
	const char	*p, *end;
	char		 trunc[8];

	*token = NULL;
	if (body == NULL)
		return;
	for (p = body; (p = obj_xml_block(p, body + len, "Contents",
	    &end)) != NULL; p = end)
		if (s3_entry(a, p, (size_t)(end - p), prefix, &ent))
			obj_list_add(out, &ent);
	obj_xml_text(body, len, "IsTruncated", trunc, sizeof(trunc));
	if (strcmp(trunc, "true") == 0)
		*token = obj_xml_dup(a, body, len, "NextContinuationToken");
	if (*token != NULL && **token == '\0')
		*token = NULL;
}

void
obj_list_init(struct obj_list *l, struct arena *a)
{
	memset(l, 0, sizeof(*l));
	l->a = a;
}

void
obj_list_add(struct obj_list *l, const struct storage_entry *ent)
{
	struct storage_entry *nv;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		nv = arena_alloc(l->a, l->cap * sizeof(*nv));
		if (l->n > 0)
			memcpy(nv, l->v, l->n * sizeof(*nv));
		l->v = nv;
	}
	l->v[l->n++] = *ent;
}

static int
cmp_entry(const void *x, const void *y)
{
	return strcmp(((const struct storage_entry *)x)->key,
	    ((const struct storage_entry *)y)->key);
}

void
obj_list_done(struct obj_list *l, struct storage_list *out)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), cmp_entry);
	out->v = l->v;
	out->n = l->n;
}

/* --- reads through a backend's requests ---------------------------------- */

int
obj_read(const struct obj_backend *ob, void *be, const char *key,
    int64_t off, int64_t len, size_t max, struct buf *out, struct err *e)
{
	struct arena	*a = arena_new();
	struct httpc_req h;
	struct httpc_resp rs;
	int		 rc = -1;

	memset(&h, 0, sizeof(h));
	memset(&rs, 0, sizeof(rs));
	h.method = "GET";
	h.max = obj_cap(out, max);
	if (ob->request(be, a, key, obj_range(a, off, len), &h, e) == -1)
		goto out;
	if (httpc_do(&h, &rs, e) == -1) {
		obj_too_large(e, key, h.max);
		goto out;
	}
	if (rs.status != 200 && rs.status != 206) {
		if (rs.status == 416)
			obj_short(key, e);
		else
			ob->fail(be, &rs, key, e);
		goto out;
	}
	rc = obj_take(&rs, off, len, key, out, e);
out:
	buf_release(&rs.body);
	arena_free(a);
	return rc;
}

int
obj_stat(const struct obj_backend *ob, void *be, const char *key,
    struct storage_entry *ent, struct arena *a, struct err *e)
{
	struct httpc_req h;
	struct httpc_resp rs;
	int		 rc = -1;

	memset(&h, 0, sizeof(h));
	memset(&rs, 0, sizeof(rs));
	h.method = "HEAD";
	h.max = 1 << 16;
	if (ob->request(be, a, key, NULL, &h, e) == -1 ||
	    httpc_do(&h, &rs, e) == -1)
		goto out;
	if (rs.status != 200) {
		ob->fail(be, &rs, key, e);
		goto out;
	}
	ent->key = arena_strdup(a, key);
	ent->size = rs.content_length;
	ent->mtime_ms = rs.last_modified_ms;
	rc = 0;
out:
	buf_release(&rs.body);
	return rc;
}

/* The answers of a batch into the requests they belong to. */
static void
many_done(const struct obj_backend *ob, void *be, struct storage_req *r,
    const struct httpc_req *h, struct httpc_resp *rs, struct err *herr)
{
	struct err	 scratch, *e = r->err ? r->err : &scratch;

	if (herr->kind != ERR_NONE) {
		*e = *herr;
		obj_too_large(e, r->key, h->max);
		r->rc = -1;
	} else if (rs->status != 200)
		r->rc = ob->fail(be, rs, r->key, e);
	else
		r->rc = obj_take(rs, 0, -1, r->key, r->out, e);
	buf_release(&rs->body);
}

int
obj_read_many(const struct obj_backend *ob, void *be, struct storage_req *reqs,
    size_t n, size_t max_each)
{
	struct arena		*a = arena_new();
	struct httpc_req	*h = arena_calloc(a, n + 1, sizeof(*h));
	struct httpc_resp	*rs = arena_calloc(a, n + 1, sizeof(*rs));
	struct err		*errs = arena_calloc(a, n + 1, sizeof(*errs));
	size_t			 i, k = 0, *idx = arena_calloc(a, n + 1,
				    sizeof(*idx));
	int			 rc = 0;

	for (i = 0; i < n; i++) {
		if (reqs[i].rc == -1)
			continue;
		h[k].method = "GET";
		h[k].max = obj_cap(reqs[i].out, max_each);
		if (ob->request(be, a, reqs[i].key, NULL, &h[k],
		    reqs[i].err ? reqs[i].err : &errs[k]) == -1) {
			reqs[i].rc = -1;
			memset(&h[k], 0, sizeof(h[k]));
			continue;
		}
		idx[k++] = i;
	}
	httpc_many(h, rs, k, errs);
	for (i = 0; i < k; i++)
		many_done(ob, be, &reqs[idx[i]], &h[i], &rs[i], &errs[i]);
	for (i = 0; i < n; i++)
		rc |= reqs[i].rc;
	arena_free(a);
	return rc == 0 ? 0 : -1;
}

/* --- Azure locations, endpoints and listings ------------------------------ */

static const char *const az_suffixes[] = {
	"core.windows.net", "core.chinacloudapi.cn", "core.usgovcloudapi.net"
};

/* "account.KIND.suffix" (KIND "blob" or "dfs"): account and suffix. */
static int
az_host(struct arena *a, const char *h, size_t n, struct obj_az *az)
{
	size_t	 i, k = 0;

	while (k < n && ((h[k] >= 'a' && h[k] <= 'z') || (h[k] >= '0' &&
	    h[k] <= '9')))
		k++;
	if (k < 3 || k > 24 || k == n || h[k] != '.')
		return -1;
	az->account = arena_strndup(a, h, k);
	h += k + 1;
	n -= k + 1;
	if (n > 5 && strncmp(h, "blob.", 5) == 0)
		h += 5, n -= 5;
	else if (n > 4 && strncmp(h, "dfs.", 4) == 0)
		h += 4, n -= 4;
	else
		return -1;
	for (i = 0; i < sizeof(az_suffixes) / sizeof(az_suffixes[0]); i++)
		if (strlen(az_suffixes[i]) == n &&
		    memcmp(h, az_suffixes[i], n) == 0) {
			az->suffix = az_suffixes[i];
			return 0;
		}
	return -1;
}

bool
obj_az_scheme(const char *loc)
{
	return strncmp(loc, "abfss://", 8) == 0 ||
	    strncmp(loc, "abfs://", 7) == 0 ||
	    strncmp(loc, "wasbs://", 8) == 0 ||
	    strncmp(loc, "wasb://", 7) == 0 ||
	    strncmp(loc, "https://", 8) == 0;
}

int
obj_az_split(struct arena *a, const char *loc, struct obj_az *az,
    struct err *e)
{
	const char	*p = strstr(loc, "://"), *at, *rest;
	size_t		 n;

	memset(az, 0, sizeof(*az));
	if (!obj_az_scheme(loc) || p == NULL)
		return err_set(e, ERR_BAD_PARAM, "not an Azure location");
	p += 3;
	n = strcspn(p, "/");
	if (strncmp(loc, "https://", 8) == 0) {
		/* https://account.blob.core.windows.net/container/path */
		if (az_host(a, p, n, az) == -1 || p[n] != '/')
			goto bad;
		rest = arena_printf(a, "az://%s", p + n + 1);
	} else {
		/* abfss://container@account.dfs.core.windows.net/path */
		if ((at = memchr(p, '@', n)) == NULL ||
		    az_host(a, at + 1, n - (size_t)(at - p) - 1, az) == -1)
			goto bad;
		rest = arena_printf(a, "az://%.*s%s", (int)(at - p), p,
		    p + n);
	}
	if (obj_bucket_split(a, rest, &az->container, &az->prefix, e) == -1)
		return -1;
	if (strchr(az->container, '.') != NULL ||
	    strstr(az->container, "--") != NULL)
		return err_set(e, ERR_BAD_PARAM, "bad container name in "
		    "'%.80s'", loc);
	return 0;
bad:
	return err_set(e, ERR_BAD_PARAM, "an Azure location is abfss://"
	    "container@account.dfs.core.windows.net/path, wasbs://container@"
	    "account.blob.core.windows.net/path or https://account.blob.core."
	    "windows.net/container/path");
}

const char *
obj_az_canonical(struct arena *a, const struct obj_az *az)
{
	return arena_printf(a, "abfss://%s@%s.dfs.%s/%s", az->container,
	    az->account, az->suffix, az->prefix);
}

int
obj_az_endpoint(struct arena *a, const char *url, struct obj_endpoint *ep,
    const char **path, struct err *e)
{
	const char	*p = strstr(url, "://");
	size_t		 n, k;

	*path = "";
	if (p == NULL || (n = strcspn(p + 3, "/")) == 0 ||
	    p[3 + n] == '\0' || p[4 + n] == '\0')
		return obj_endpoint_parse(a, url, ep, e);
	/* A path-style emulator: "http://127.0.0.1:10000/account[/]". */
	p += 3 + n + 1;
	for (k = 0; (p[k] >= 'a' && p[k] <= 'z') || (p[k] >= '0' &&
	    p[k] <= '9'); k++)
		;
	if (k < 3 || k > 24 || (p[k] != '\0' && strcmp(p + k, "/") != 0))
		return err_set(e, ERR_BAD_PARAM, "a blob endpoint's path can "
		    "only be an account name");
	if (obj_endpoint_parse(a, arena_strndup(a, url, (size_t)(p - url)),
	    ep, e) == -1)
		return -1;
	*path = arena_printf(a, "/%.*s", (int)k, p);
	return 0;
}

/* One <Blob> block into an entry; false to skip it. */
static bool
az_entry(struct arena *a, const char *blk, size_t n, const char *prefix,
    struct storage_entry *ent)
{
	char		 size[32], when[48], *end;
	const char	*name;
	int64_t		 ms;

	if ((name = obj_xml_dup(a, blk, n, "Name")) == NULL ||
	    strncmp(name, prefix, strlen(prefix)) != 0)
		return false;
	ent->key = name + strlen(prefix);
	obj_xml_text(blk, n, "Content-Length", size, sizeof(size));
	obj_xml_text(blk, n, "Last-Modified", when, sizeof(when));
	ent->size = strtoll(size, &end, 10);
	if (end == size || *end != '\0' || ent->size < 0)
		return false;
	ent->mtime_ms = (ms = httpc_date_ms(when)) < 0 ? 0 : ms;
	return *ent->key != '\0' && storage_key_valid(ent->key);
}

void
obj_az_page(struct arena *a, const char *body, size_t len,
    const char *prefix, struct obj_list *out, const char **marker)
{
	struct storage_entry ent;
	const char	*p, *end;

	*marker = NULL;
	if (body == NULL)
		return;
	for (p = body; (p = obj_xml_block(p, body + len, "Blob",
	    &end)) != NULL; p = end)
		if (az_entry(a, p, (size_t)(end - p), prefix, &ent))
			obj_list_add(out, &ent);
	*marker = obj_xml_dup(a, body, len, "NextMarker");
	if (*marker != NULL && **marker == '\0')
		*marker = NULL;
}

/* --- GCS JSON API listings ------------------------------------------------ */

/* One object resource into an entry; false to skip it. */
static bool
gcs_entry(struct arena *a, struct json_object *o, const char *prefix,
    struct storage_entry *ent)
{
	struct json_object *v;
	const char	*name, *size, *when;
	char		*end;

	if (!json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, "name", &v) ||
	    (name = json_object_get_string(v)) == NULL ||
	    strncmp(name, prefix, strlen(prefix)) != 0 ||
	    !json_object_object_get_ex(o, "size", &v) ||
	    (size = json_object_get_string(v)) == NULL)
		return false;
	ent->key = arena_strdup(a, name + strlen(prefix));
	ent->size = strtoll(size, &end, 10);
	if (end == size || *end != '\0' || ent->size < 0)
		return false;
	ent->mtime_ms = 0;
	if (json_object_object_get_ex(o, "updated", &v) &&
	    (when = json_object_get_string(v)) != NULL &&
	    str_parse_iso8601(when, &ent->mtime_ms) == -1)
		ent->mtime_ms = 0;
	return *ent->key != '\0' && storage_key_valid(ent->key);
}

bool
obj_gcs_object(struct arena *a, const char *body, size_t len,
    const char *prefix, struct storage_entry *ent)
{
	struct json_object *o;
	struct err	 e;

	return body != NULL && (o = jsonu_parse(a, body, len, 8, &e)) != NULL &&
	    gcs_entry(a, o, prefix, ent);
}

void
obj_gcs_page(struct arena *a, const char *body, size_t len,
    const char *prefix, struct obj_list *out, const char **token)
{
	struct storage_entry ent;
	struct json_object *o, *items, *v;
	struct err	 e;
	size_t		 i;

	*token = NULL;
	if (body == NULL || (o = jsonu_parse(a, body, len, 8, &e)) == NULL ||
	    !json_object_is_type(o, json_type_object))
		return;
	if (json_object_object_get_ex(o, "items", &items) &&
	    json_object_is_type(items, json_type_array))
		for (i = 0; i < json_object_array_length(items); i++)
			if (gcs_entry(a, json_object_array_get_idx(items, i),
			    prefix, &ent))
				obj_list_add(out, &ent);
	if (json_object_object_get_ex(o, "nextPageToken", &v) &&
	    json_object_is_type(v, json_type_string) &&
	    json_object_get_string_len(v) > 0)
		*token = arena_strdup(a, json_object_get_string(v));
}

int
obj_list_all(obj_page_fn *page, void *be, struct arena *a,
    const char *prefix, const char *start_after, struct storage_list *out,
    struct err *e)
{
	struct obj_list	 l;
	const char	*token = NULL;
	size_t		 i, k;
	int		 pages = 0;

	obj_list_init(&l, a);
	do {
		if (++pages > OBJ_LIST_PAGES)
			return err_set(e, ERR_UPSTREAM, "more than %d pages "
			    "listing '%.80s'", OBJ_LIST_PAGES, prefix);
		if (page(be, a, prefix, start_after, &token, &l, e) == -1)
			return -1;
	} while (token != NULL);
	obj_list_done(&l, out);
	/* Not every store has an exclusive start-after: drop the rest. */
	if (start_after != NULL) {
		for (i = k = 0; i < out->n; i++)
			if (strcmp(out->v[i].key, start_after) > 0)
				out->v[k++] = out->v[i];
		out->n = k;
	}
	return 0;
}
