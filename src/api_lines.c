/*
 * api_lines.c: protocol, metaData, file and endStreamAction lines (see
 * api_lines.h).
 *
 * Parquet format wraps what a plain Parquet reader needs: a fixed
 * minReaderVersion 1, the schema with top-level field metadata cut to
 * comments (as the reference does), file URLs, ids and stats as a
 * string.  Delta format passes the log's actions through with path
 * replaced by a URL, tags left out, and deletion vectors rewritten to
 * absolute ("p") descriptors whose pathOrInlineDv is a URL too.
 *
 * A file line is put together from pieces: what every line of the call
 * shares (version, timestamp, expiry), the URL, and the part no request
 * changes (id, partitionValues, size, stats, ...).  For a snapshot file
 * served from the snapshot cache, the part and our own URLs (for the
 * expiry they carry: a whole second) are kept in memos of the entry
 * (snapcache.h), so that the next answers copy them; a file with a
 * deletion vector has its part made each time (its URL is in it).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "api_lines.h"
#include "arena.h"
#include "audit.h"
#include "buf.h"
#include "catalog.h"
#include "conf.h"
#include "crypto.h"
#include "delta_action.h"
#include "delta_dv.h"
#include "delta_path.h"
#include "err.h"
#include "fileurl.h"
#include "http_req.h"
#include "http_resp.h"
#include "jsonw.h"
#include "snapcache.h"
#include "storage.h"
#include "strutil.h"

/* A buffer released with the request. */
static struct buf *
request_buf(struct req *r)
{
	struct buf	*b = arena_alloc(r->arena, sizeof(*b));

	buf_init(b, 0);
	arena_defer(r->arena, (arena_cleanup_fn)buf_release, b);
	return b;
}

void
lines_init(struct lines *l, struct req *r, const struct cat_data_table *ct,
    struct storage *st, const char *root, enum caps_format fmt,
    const struct caps *c)
{
	memset(l, 0, sizeof(*l));
	l->r = r;
	l->ct = ct;
	l->st = st;
	l->root = root;
	l->fmt = fmt;
	l->sha256 = c->idhash == CAPS_ID_SHA256 ||
	    (c->idhash == CAPS_ID_DEFAULT && fmt == CAPS_DELTA);
	l->real_protocol = c->features != 0;
	/* Whole seconds: a presigned URL's expiry has no finer grain. */
	l->expires_ms = (r->now_ms / 1000 + r->conf->url_ttl) * 1000;
	l->endpoint = req_endpoint(r);
	l->scratch = arena_new();
	arena_defer(r->arena, (arena_cleanup_fn)arena_free, l->scratch);
	l->part = request_buf(r);
	l->qurl = request_buf(r);
	snprintf(l->memo_lines, sizeof(l->memo_lines), "lines %s %s",
	    fmt == CAPS_DELTA ? "delta" : "parquet", l->sha256 ? "sha256" :
	    "md5");
	snprintf(l->memo_urls, sizeof(l->memo_urls), "urls %lld",
	    (long long)ct->table_id);
}

/* Start a line {"key": ... at the end of the response's body buffer. */
static void
begin(struct lines *l, struct jsonw *w, const char *key)
{
	jsonw_init(w, resp_body(l->r));
	jsonw_obj_open(w);
	jsonw_key(w, key);
	jsonw_obj_open(w);
}

/* Send on the line just written (ending with a newline). */
static int
put(struct lines *l)
{
	int	 rc;

	rc = resp_body_done(l->r);
	return rc == -1 && l->r->failed_write ? 0 : rc;
}

/* End the line (a JSON object) with a newline, and send it on. */
static int
end(struct lines *l, struct jsonw *w)
{
	buf_addc(w->b, '\n');
	return put(l);
}

int
lines_protocol(struct lines *l, const struct delta_action *a, int64_t version)
{
	const struct delta_protocol *p = &a->u.protocol;
	struct jsonw	 w;

	begin(l, &w, "protocol");
	if (l->fmt == CAPS_PARQUET) {
		jsonw_key(&w, "minReaderVersion");
		jsonw_int(&w, 1);
	} else {
		jsonw_key(&w, "deltaProtocol");
		if (l->real_protocol && a->raw != NULL)
			jsonw_raw_compact(&w, a->raw, a->rawlen);
		else {
			jsonw_obj_open(&w);
			jsonw_key(&w, "minReaderVersion");
			jsonw_int(&w, 1);
			jsonw_key(&w, "minWriterVersion");
			jsonw_int(&w, p->min_writer < 2 ? p->min_writer : 2);
			jsonw_obj_close(&w);
		}
		if (version >= 0) {
			jsonw_key(&w, "version");
			jsonw_int(&w, version);
		}
	}
	jsonw_obj_close(&w);
	jsonw_obj_close(&w);
	return end(l, &w);
}

/* The schema with every top-level field's metadata cut to its comment. */
static const char *
strip_schema(struct arena *a, const char *schema)
{
	struct json_object *root, *fields, *f, *md, *c, *nmd;
	const char	*out;
	size_t		 i, n;

	if ((root = json_tokener_parse(schema)) == NULL)
		return schema;
	if (json_object_object_get_ex(root, "fields", &fields) &&
	    json_object_is_type(fields, json_type_array)) {
		n = json_object_array_length(fields);
		for (i = 0; i < n; i++) {
			f = json_object_array_get_idx(fields, i);
			if (!json_object_is_type(f, json_type_object) ||
			    !json_object_object_get_ex(f, "metadata", &md))
				continue;
			nmd = json_object_new_object();
			if (json_object_object_get_ex(md, "comment", &c))
				json_object_object_add(nmd, "comment",
				    json_object_get(c));
			json_object_object_add(f, "metadata", nmd);
		}
	}
	out = arena_strdup(a, json_object_to_json_string_ext(root,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(root);
	return out;
}

static void
metadata_parquet(struct lines *l, struct jsonw *w, const struct delta_metadata *m)
{
	size_t	 i;

	jsonw_key(w, "id");
	jsonw_str(w, m->id);
	if (m->name != NULL) {
		jsonw_key(w, "name");
		jsonw_str(w, m->name);
	}
	if (m->description != NULL) {
		jsonw_key(w, "description");
		jsonw_str(w, m->description);
	}
	jsonw_key(w, "format");
	jsonw_raw(w, "{\"provider\":\"parquet\"}");
	jsonw_key(w, "schemaString");
	jsonw_str(w, m->schema_string != NULL ?
	    strip_schema(l->r->arena, m->schema_string) : "");
	jsonw_key(w, "partitionColumns");
	jsonw_arr_open(w);
	for (i = 0; i < m->n_partition_columns; i++)
		jsonw_str(w, m->partition_columns[i]);
	jsonw_arr_close(w);
	jsonw_key(w, "configuration");
	jsonw_raw(w, l->cdf_config ? "{\"enableChangeDataFeed\":\"true\"}" :
	    "{}");
}

int
lines_metadata(struct lines *l, const struct delta_action *a, int64_t version)
{
	struct jsonw	 w;

	begin(l, &w, "metaData");
	if (l->fmt == CAPS_PARQUET)
		metadata_parquet(l, &w, &a->u.metadata);
	else {
		jsonw_key(&w, "deltaMetadata");
		jsonw_raw_compact(&w, a->raw, a->rawlen);
	}
	if (version >= 0) {
		jsonw_key(&w, "version");
		jsonw_int(&w, version);
	}
	jsonw_obj_close(&w);
	jsonw_obj_close(&w);
	return end(l, &w);
}

/* The signer of our own file URLs: prepared once per request. */
static const struct fileurl_key *
url_key(struct lines *l)
{
	struct req	*r = l->r;

	if (l->fk == NULL) {
		/* In the request's arena, wiped before it goes. */
		l->fk = arena_alloc(r->arena, sizeof(*l->fk));
		fileurl_key_init(l->fk, r->conf->secret.data,
		    r->conf->secret.len);
		arena_defer(r->arena, (arena_cleanup_fn)fileurl_key_wipe,
		    l->fk);
	}
	return l->fk;
}

/* Whether the store presigns the URLs (else they are ours). */
static bool
presigned(const struct lines *l)
{
	return !l->ct->proxy && storage_can_presign(l->st);
}

static void
note_expiry(struct lines *l)
{
	if (l->min_expiry == 0 || l->expires_ms < l->min_expiry)
		l->min_expiry = l->expires_ms;
}

/*
 * The URL through which the recipient reads key: presigned by the
 * store, or (local tables, tables in proxy mode) one of ours.
 */
static int
sign(struct lines *l, const char *key, const char **url)
{
	struct req	*r = l->r;
	struct fileurl	 f;
	const char	*ep = l->endpoint;
	size_t		 n = strlen(ep);

	note_expiry(l);
	if (presigned(l))
		return storage_presign(l->st, key, l->expires_ms / 1000 -
		    r->conf->url_ttl, r->conf->url_ttl, l->scratch, url,
		    &r->err);
	while (n > 0 && ep[n - 1] == '/')
		n--;
	f.table_id = l->ct->table_id;
	f.expires_ms = l->expires_ms;
	f.key = key;
	*url = fileurl_url(l->scratch, url_key(l), ep, n, &f);
	return 0;
}

/*
 * The memos of the cache entry e for this answer's lines: asked for
 * once, kept while they stay (snapcache_memo_epoch()).
 */
static void
memo_slots(struct lines *l, struct snapcache_entry *e)
{
	if (e == l->memo_e && snapcache_memo_epoch() == l->memo_epoch)
		return;
	l->slot_lines = snapcache_memo(e, l->memo_lines, 0);
	l->slot_urls = presigned(l) ? -1 : snapcache_memo(e, l->memo_urls,
	    l->expires_ms);
	l->memo_e = e;
	l->memo_epoch = snapcache_memo_epoch();
}

/*
 * The URL of key as a JSON string, in l->qurl.  Ours are kept in a memo
 * of the cache entry e being read (file i) for the expiry they carry:
 * the answers made within the same second sign each file once.
 */
static int
file_url(struct lines *l, const char *key, struct snapcache_entry *e,
    size_t i)
{
	struct buf	*q = l->qurl;
	struct fileurl	 f;
	const char	*url, *t;
	size_t		 n;
	char		*p;
	int		 slot = -1;

	buf_reset(q);
	if (presigned(l)) {
		if (sign(l, key, &url) == -1)
			return -1;
		jsonw_quote(q, url, strlen(url));
		return 0;
	}
	note_expiry(l);
	if (l->qbase == NULL) {
		/* "{endpoint}/files/, the endpoint without its last '/'. */
		n = strlen(l->endpoint);
		while (n > 0 && l->endpoint[n - 1] == '/')
			n--;
		jsonw_quote(q, l->endpoint, n);
		q->len--;
		buf_adds(q, "/files/");
		l->qbaselen = q->len;
		l->qbase = arena_strndup(l->r->arena, buf_str(q), q->len);
		buf_reset(q);
	}
	buf_add(q, l->qbase, l->qbaselen);
	if (e != NULL && (slot = l->slot_urls) != -1 &&
	    (t = snapcache_memo_get(e, slot, i, &n)) != NULL)
		buf_add(q, t, n);
	else if ((p = buf_reserve(q, fileurl_token_len(strlen(key)) +
	    1)) != NULL) {
		f.table_id = l->ct->table_id;
		f.expires_ms = l->expires_ms;
		f.key = key;
		n = fileurl_put_token(url_key(l), &f, p);
		if (slot != -1)
			(void)snapcache_memo_put(e, slot, i, p, n);
		buf_advance(q, n);
	}
	buf_addc(q, '"');
	return 0;
}

static void
file_id(const struct lines *l, const char *path, char out[65])
{
	unsigned char	 h[CRYPTO_SHA256_LEN];

	if (l->sha256) {
		crypto_sha256(path, strlen(path), h);
		str_hex(h, CRYPTO_SHA256_LEN, out);
	} else {
		crypto_md5(path, strlen(path), h);
		str_hex(h, CRYPTO_MD5_LEN, out);
	}
}

/* A deletion vector's descriptor: its absolute form, with a URL. */
struct dv_out {
	char		 type;		/* 'p' or 'i' */
	const char	*url;		/* or the inline bitmap */
};

static int
dv_sign(struct lines *l, const struct delta_dv *dv, struct dv_out *o)
{
	const char	*key;

	o->url = dv->path_or_inline;
	if (delta_dv_check(l->root, dv, l->scratch, &key, &l->r->err) == -1 ||
	    (key != NULL && sign(l, key, &o->url) == -1))
		return -1;
	o->type = key != NULL ? 'p' : 'i';
	return 0;
}

static void
opt_int(struct jsonw *w, const char *k, int64_t v)
{
	if (v >= 0) {
		jsonw_key(w, k);
		jsonw_int(w, v);
	}
}

static const char *
action_key(enum lines_kind kind)
{
	return kind == LINE_REMOVE ? "remove" : kind == LINE_CDF ? "cdc" :
	    "add";
}

/* The Delta action of a delta-format file line after its path. */
static void
delta_action_fields(struct jsonw *w, enum lines_kind kind,
    const struct delta_file *f, const struct dv_out *dv)
{
	jsonw_key(w, "partitionValues");
	jsonw_raw_compact(w, f->partition_values,
	    strlen(f->partition_values));
	opt_int(w, "size", f->size);
	if (kind == LINE_FILE || kind == LINE_ADD)
		opt_int(w, "modificationTime", f->modification_time);
	if (kind == LINE_REMOVE) {
		opt_int(w, "deletionTimestamp", f->deletion_timestamp);
		jsonw_key(w, "extendedFileMetadata");
		jsonw_bool(w, f->extended_file_metadata);
	}
	jsonw_key(w, "dataChange");
	jsonw_bool(w, kind == LINE_CDF ? false : f->data_change);
	if (f->stats != NULL && kind != LINE_CDF) {
		jsonw_key(w, "stats");
		jsonw_str(w, f->stats);
	}
	if (f->dv.storage_type != 0) {
		jsonw_key(w, "deletionVector");
		delta_dv_json(w, &f->dv, dv->type, dv->url);
	}
	opt_int(w, "baseRowId", f->base_row_id);
	opt_int(w, "defaultRowCommitVersion", f->default_row_commit_version);
}

static const char *
kind_key(enum lines_kind kind)
{
	switch (kind) {
	case LINE_ADD:
		return "add";
	case LINE_REMOVE:
		return "remove";
	case LINE_CDF:
		return "cdf";
	default:
		return "file";
	}
}

/* A parquet-format file line after its URL. */
static void
parquet_fields(struct jsonw *w, enum lines_kind kind,
    const struct delta_file *f, const char *id)
{
	jsonw_key(w, "id");
	jsonw_str(w, id);
	jsonw_key(w, "partitionValues");
	jsonw_raw_compact(w, f->partition_values,
	    strlen(f->partition_values));
	jsonw_key(w, "size");
	jsonw_int(w, f->size >= 0 ? f->size : 0);
	if (f->stats != NULL && (kind == LINE_FILE || kind == LINE_ADD)) {
		jsonw_key(w, "stats");
		jsonw_str(w, f->stats);
	}
}

/*
 * What of a file line no request changes, into b: in parquet format
 * the members after the URL, in delta format the file id then the
 * action's members after its path.
 */
static void
file_part(struct lines *l, enum lines_kind kind, const struct delta_file *f,
    const struct dv_out *dv, struct buf *b)
{
	struct jsonw	 w;
	char		 id[65];

	file_id(l, f->path, id);
	if (l->fmt == CAPS_PARQUET) {
		jsonw_resume(&w, b, 2);
		parquet_fields(&w, kind, f, id);
	} else {
		buf_adds(b, id);
		jsonw_resume(&w, b, 4);
		delta_action_fields(&w, kind, f, dv);
	}
}

/*
 * The members every file line of a call shares: version, timestamp and
 * expiry, made once (l->times) for as long as they stay the same.
 */
static void
times(struct lines *l, int64_t version, int64_t timestamp)
{
	struct buf	 b;
	struct jsonw	 w;

	if (l->times_len > 0 && l->times_version == version &&
	    l->times_ts == timestamp)
		return;
	buf_init(&b, sizeof(l->times));
	jsonw_resume(&w, &b, 2);
	opt_int(&w, "version", version);
	opt_int(&w, "timestamp", timestamp);
	jsonw_key(&w, "expirationTimestamp");
	jsonw_int(&w, l->expires_ms);
	memcpy(l->times, buf_str(&b), b.len);
	l->times_len = b.len;
	l->times_version = version;
	l->times_ts = timestamp;
	buf_release(&b);
}

/* A piece of a line: bytes to copy. */
struct piece {
	const char	*p;
	size_t		 n;
};

#define LIT(s)		{ s, sizeof(s) - 1 }
#define NPIECES(a)	(sizeof(a) / sizeof((a)[0]))

/* Append the pieces to b in one go. */
static void
pieces(struct buf *b, const struct piece *pc, size_t npc)
{
	size_t	 i, n = 0;
	char	*o;

	for (i = 0; i < npc; i++)
		n += pc[i].n;
	if ((o = buf_reserve(b, n)) == NULL)
		return;
	for (i = 0; i < npc; i++) {
		memcpy(o, pc[i].p, pc[i].n);
		o += pc[i].n;
	}
	buf_advance(b, n);
}

/* The line: its shared members, URL (l->qurl) and part put together. */
static int
file_line(struct lines *l, enum lines_kind kind, const char *part, size_t n)
{
	const char	*k = l->fmt == CAPS_PARQUET ? kind_key(kind) :
	    action_key(kind);
	size_t		 idlen = l->sha256 ? 64 : 32;
	const struct piece parquet[] = {
		LIT("{\""), { k, strlen(k) }, LIT("\":{\"url\":"),
		{ l->qurl->data, l->qurl->len }, { part, n },
		{ l->times, l->times_len }, LIT("}}\n"),
	}, delta[] = {
		LIT("{\"file\":{\"id\":\""), { part, idlen }, LIT("\""),
		{ l->times, l->times_len }, LIT(",\"deltaSingleAction\":{\""),
		{ k, strlen(k) }, LIT("\":{\"path\":"),
		{ l->qurl->data, l->qurl->len }, { part + idlen, n - idlen },
		LIT("}}}}\n"),
	};

	if (l->fmt == CAPS_PARQUET)
		pieces(resp_body(l->r), parquet, NPIECES(parquet));
	else
		pieces(resp_body(l->r), delta, NPIECES(delta));
	return put(l);
}

int
lines_file(struct lines *l, enum lines_kind kind, const struct delta_action *a,
    const char *key, int64_t version, int64_t timestamp)
{
	const struct delta_file *f = &a->u.file;
	struct snapcache_entry *e = NULL;
	const char	*part = NULL;
	struct dv_out	 dv;
	size_t		 i = 0, n;
	int		 slot = -1;

	arena_reset(l->scratch);
	if (f->dv.storage_type != 0 && l->fmt == CAPS_PARQUET)
		return err_set(&l->r->err, ERR_UNSUPPORTED, "Deletion Vector "
		    "property disabled: a file of the table has a deletion "
		    "vector, which the parquet response format cannot carry");
	/* A snapshot file from the cache: its memos (snapcache.h). */
	if (kind == LINE_FILE && (e = snapcache_reading(&i)) != NULL)
		memo_slots(l, e);
	/* Everything that can fail before the line is begun. */
	if (key == NULL && delta_path_key(l->root, f->path, l->scratch, &key,
	    &l->r->err) == -1)
		return -1;
	if (file_url(l, key, e, i) == -1 ||
	    (f->dv.storage_type != 0 && dv_sign(l, &f->dv, &dv) == -1))
		return -1;
	/* A deletion vector's URL is signed for each answer. */
	if (e != NULL && f->dv.storage_type == 0 &&
	    (slot = l->slot_lines) != -1)
		part = snapcache_memo_get(e, slot, i, &n);
	if (part == NULL) {
		buf_reset(l->part);
		file_part(l, kind, f, &dv, l->part);
		if (slot != -1)
			(void)snapcache_memo_put(e, slot, i, l->part->data,
			    l->part->len);
		part = l->part->data;
		n = l->part->len;
	}
	times(l, version, timestamp);
	l->nfiles++;
	audit_file(l->r, f->size);
	return file_line(l, kind, part, n);
}

int
lines_end(struct lines *l, const char *next_page, const char *refresh,
    const char *error)
{
	struct jsonw	 w;

	begin(l, &w, "endStreamAction");
	if (next_page != NULL) {
		jsonw_key(&w, "nextPageToken");
		jsonw_str(&w, next_page);
	}
	if (refresh != NULL) {
		jsonw_key(&w, "refreshToken");
		jsonw_str(&w, refresh);
	}
	if (l->min_expiry != 0) {
		jsonw_key(&w, "minUrlExpirationTimestamp");
		jsonw_int(&w, l->min_expiry);
	}
	if (error != NULL) {
		jsonw_key(&w, "errorMessage");
		jsonw_str(&w, error);
	}
	jsonw_obj_close(&w);
	jsonw_obj_close(&w);
	return end(l, &w);
}
