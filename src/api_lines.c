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
 */
#include "config.h"

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
#include "storage.h"
#include "strutil.h"

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

/* End the line (a JSON object) with a newline, and send it on. */
static int
put(struct lines *l, struct jsonw *w)
{
	int	 rc;

	buf_addc(w->b, '\n');
	rc = resp_body_done(l->r);
	return rc == -1 && l->r->failed_write ? 0 : rc;
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
	return put(l, &w);
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
	return put(l, &w);
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

	if (l->min_expiry == 0 || l->expires_ms < l->min_expiry)
		l->min_expiry = l->expires_ms;
	if (!l->ct->proxy && storage_can_presign(l->st))
		return storage_presign(l->st, key, l->expires_ms / 1000 -
		    r->conf->url_ttl, r->conf->url_ttl, l->scratch, url,
		    &r->err);
	while (n > 0 && ep[n - 1] == '/')
		n--;
	if (l->fk == NULL) {
		/* In the request's arena, wiped before it goes. */
		l->fk = arena_alloc(r->arena, sizeof(*l->fk));
		fileurl_key_init(l->fk, r->conf->secret.data,
		    r->conf->secret.len);
		arena_defer(r->arena, (arena_cleanup_fn)fileurl_key_wipe,
		    l->fk);
	}
	f.table_id = l->ct->table_id;
	f.expires_ms = l->expires_ms;
	f.key = key;
	*url = fileurl_url(l->scratch, l->fk, ep, n, &f);
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

/* The Delta action of a delta-format file line, path replaced by url. */
static void
delta_action_json(struct jsonw *w, enum lines_kind kind,
    const struct delta_file *f, const char *url, const struct dv_out *dv)
{
	jsonw_key(w, kind == LINE_REMOVE ? "remove" : kind == LINE_CDF ?
	    "cdc" : "add");
	jsonw_obj_open(w);
	jsonw_key(w, "path");
	jsonw_str(w, url);
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
	jsonw_obj_close(w);
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

static void
parquet_fields(struct jsonw *w, enum lines_kind kind,
    const struct delta_file *f, const char *url, const char *id)
{
	jsonw_key(w, "url");
	jsonw_str(w, url);
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

int
lines_file(struct lines *l, enum lines_kind kind, const struct delta_action *a,
    const char *key, int64_t version, int64_t timestamp)
{
	const struct delta_file *f = &a->u.file;
	const char	*url;
	char		 id[65];
	struct dv_out	 dv;
	struct jsonw	 w;

	arena_reset(l->scratch);
	if (f->dv.storage_type != 0 && l->fmt == CAPS_PARQUET)
		return err_set(&l->r->err, ERR_UNSUPPORTED, "Deletion Vector "
		    "property disabled: a file of the table has a deletion "
		    "vector, which the parquet response format cannot carry");
	/* Everything that can fail before the line is begun. */
	if (key == NULL && delta_path_key(l->root, f->path, l->scratch, &key,
	    &l->r->err) == -1)
		return -1;
	if (sign(l, key, &url) == -1 ||
	    (f->dv.storage_type != 0 && dv_sign(l, &f->dv, &dv) == -1))
		return -1;
	file_id(l, f->path, id);
	begin(l, &w, l->fmt == CAPS_DELTA ? "file" : kind_key(kind));
	if (l->fmt == CAPS_PARQUET)
		parquet_fields(&w, kind, f, url, id);
	else {
		jsonw_key(&w, "id");
		jsonw_str(&w, id);
	}
	opt_int(&w, "version", version);
	opt_int(&w, "timestamp", timestamp);
	jsonw_key(&w, "expirationTimestamp");
	jsonw_int(&w, l->expires_ms);
	if (l->fmt == CAPS_DELTA) {
		jsonw_key(&w, "deltaSingleAction");
		jsonw_obj_open(&w);
		delta_action_json(&w, kind, f, url, &dv);
		jsonw_obj_close(&w);
	}
	jsonw_obj_close(&w);
	jsonw_obj_close(&w);
	l->nfiles++;
	audit_file(l->r, f->size);
	return put(l, &w);
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
	return put(l, &w);
}
