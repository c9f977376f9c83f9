/*
 * api_file.c: GET and HEAD {prefix}/files/{token}: the table files
 * deltashare serves itself (see fileurl.h), with single byte ranges,
 * ETag and conditional requests, so Parquet readers can fetch footers
 * and column chunks as they do from an object store.
 *
 * The token alone grants access (no bearer token: clients fetch data
 * URLs without one).  A bad or expired token is 403, a file that is gone
 * 404.  Bytes are streamed in chunks, never held whole in memory.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api_file.h"
#include "api_table.h"
#include "arena.h"
#include "audit.h"
#include "buf.h"
#include "catalog.h"
#include "conf.h"
#include "err.h"
#include "fileurl.h"
#include "http_req.h"
#include "http_resp.h"
#include "storage.h"
#include "strutil.h"

#define CHUNK	(1024 * 1024)

struct range {
	int64_t	 off;
	int64_t	 len;
	bool	 partial;
};

/* One "bytes=a-b" spec; 0 ok, -1 unsatisfiable, 1 ignore the header. */
static int
parse_range(const char *h, int64_t size, struct range *rg)
{
	const char	*dash;
	int64_t		 a, b;
	char		 num[24];

	rg->off = 0;
	rg->len = size;
	rg->partial = false;
	if (h == NULL || strncmp(h, "bytes=", 6) != 0 || strchr(h, ',') != NULL)
		return 1;
	h += 6;
	if ((dash = strchr(h, '-')) == NULL || (size_t)(dash - h) >= sizeof(num))
		return 1;
	memcpy(num, h, (size_t)(dash - h));
	num[dash - h] = '\0';
	if (num[0] == '\0') {			/* suffix: the last b bytes */
		if (str_parse_i64(dash + 1, 0, INT64_MAX, &b) == -1)
			return 1;
		if (b == 0)
			return -1;
		a = b > size ? 0 : size - b;
		b = size - 1;
	} else {
		if (str_parse_i64(num, 0, INT64_MAX, &a) == -1)
			return 1;
		if (dash[1] == '\0')
			b = size - 1;
		else if (str_parse_i64(dash + 1, 0, INT64_MAX, &b) == -1 ||
		    b < a)
			return 1;
		if (a >= size)
			return -1;
		if (b >= size)
			b = size - 1;
	}
	if (size == 0)
		return -1;
	rg->off = a;
	rg->len = b - a + 1;
	rg->partial = true;
	return 0;
}

static void
http_date(int64_t ms, char *out, size_t outsz)
{
	time_t		 t = (time_t)(ms / 1000);
	struct tm	 tm;

	gmtime_r(&t, &tm);
	strftime(out, outsz, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

static int
send_bytes(struct req *r, struct storage *st, const char *key,
    const struct range *rg)
{
	struct buf	 b;
	int64_t		 off = rg->off, left = rg->len, n;
	int		 rc = 0;

	buf_init(&b, 0);
	while (left > 0 && r->method != HTTP_HEAD && !r->failed_write) {
		n = left > CHUNK ? CHUNK : left;
		buf_reset(&b);
		if (storage_read(st, key, off, n, CHUNK, &b, &r->err) == -1) {
			rc = -1;	/* headers are out: the body is cut */
			break;
		}
		if (resp_write(r, b.data, b.len) == -1)
			break;
		off += n;
		left -= n;
	}
	buf_release(&b);
	return rc;
}

static int
respond(struct req *r, struct storage *st, const char *key,
    const struct storage_entry *ent, int64_t expires_ms)
{
	struct range	 rg;
	const char	*inm, *ifr;
	char		 etag[48], date[40];
	int		 pr;

	snprintf(etag, sizeof(etag), "\"%" PRIx64 "-%" PRIx64 "\"",
	    (uint64_t)ent->size, (uint64_t)ent->mtime_ms);
	http_date(ent->mtime_ms, date, sizeof(date));
	resp_header(r, "ETag", "%s", etag);
	resp_header(r, "Last-Modified", "%s", date);
	resp_header(r, "Accept-Ranges", "bytes");
	http_date(expires_ms, date, sizeof(date));
	resp_header(r, "Expires", "%s", date);
	inm = req_env(r, "HTTP_IF_NONE_MATCH");
	if (inm != NULL && (strcmp(inm, etag) == 0 || strcmp(inm, "*") == 0))
		return resp_empty(r, 304);
	pr = parse_range(req_env(r, "HTTP_RANGE"), ent->size, &rg);
	ifr = req_env(r, "HTTP_IF_RANGE");
	if (ifr != NULL && strcmp(ifr, etag) != 0)
		pr = parse_range(NULL, ent->size, &rg);
	if (pr == -1) {
		resp_header(r, "Content-Range", "bytes */%" PRId64, ent->size);
		return req_fail(r, ERR_RANGE, "range not satisfiable: the file "
		    "has %" PRId64 " bytes", ent->size);
	}
	resp_header(r, "Content-Length", "%" PRId64, rg.len);
	if (rg.partial)
		resp_header(r, "Content-Range", "bytes %" PRId64 "-%" PRId64
		    "/%" PRId64, rg.off, rg.off + rg.len - 1, ent->size);
	if (resp_start(r, rg.partial ? 206 : 200,
	    "application/octet-stream") == -1)
		return 0;
	return send_bytes(r, st, key, &rg);
}

int
file_get(struct req *r)
{
	struct fileurl	 f;
	struct storage	*st;
	struct storage_entry ent;
	struct cat_cred	 cc;
	const struct cred *c;
	const char	*location;
	int		 rc;

	if (fileurl_open(r->arena, r->conf->secret.data, r->conf->secret.len,
	    r->args[0], r->now_ms, &f, &r->err) == -1 ||
	    catalog_table_location(r->db, r->arena, f.table_id, &location,
	    &cc, &r->err) == -1 || tq_cred(r, &cc, &c) == -1)
		return -1;
	r->audit.table_id = f.table_id;
	r->audit.file = f.key;
	if ((st = storage_open_cred(location, c, &r->err)) == NULL)
		return -1;
	if (storage_stat(st, f.key, &ent, r->arena, &r->err) == -1) {
		if (r->err.kind == ERR_NOT_FOUND)
			err_set(&r->err, ERR_NOT_FOUND, "no such file");
		rc = -1;
	} else
		rc = respond(r, st, f.key, &ent, f.expires_ms);
	storage_close(st);
	return rc;
}
