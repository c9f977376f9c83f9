/*
 * delta_checkpoint_pq.c: actions from the rows of a Parquet checkpoint
 * part or v2 sidecar.
 *
 * Each wanted top-level field of a row (add, remove, metaData, protocol,
 * txn, domainMetadata, checkpointMetadata, sidecar) is written back as
 * the JSON line a commit would hold for that action, and parsed by the
 * same parser as commits, so both sources give identical actions.  Two
 * columns have no place in that JSON: stats_parsed becomes the "stats"
 * string when the row has no stats string, and partitionValues_parsed
 * the partitionValues object when the map is missing.  Timestamps in
 * stats_parsed follow the table schema (timestamp: UTC,
 * timestamp_ntz: not), whatever the Parquet annotation says, since
 * arrow-based writers annotate both alike.
 *
 * Rows are parsed into a scratch arena reset for each row: the action
 * handed to fn lives only during the call.
 */
#include "config.h"

#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "buf.h"
#include "delta_action.h"
#include "delta_checkpoint.h"
#include "delta_table.h"
#include "err.h"
#include "jsonu.h"
#include "jsonw.h"
#include "parquet_read.h"
#include "storage.h"

#define ROW_MAX		((size_t)256 * 1024 * 1024)

static const struct {
	enum delta_action_kind	 kind;
	const char		*field;
} actions[] = {
	{ DELTA_ADD, "add" },
	{ DELTA_REMOVE, "remove" },
	{ DELTA_METADATA, "metaData" },
	{ DELTA_PROTOCOL, "protocol" },
	{ DELTA_TXN, "txn" },
	{ DELTA_DOMAIN_METADATA, "domainMetadata" },
	{ DELTA_CHECKPOINT_METADATA, "checkpointMetadata" },
	{ DELTA_SIDECAR, "sidecar" },
};

#define NACTIONS	(sizeof(actions) / sizeof(actions[0]))

struct pqsrc {
	struct storage	*st;
	const char	*key;
};

static int
src_read(void *ctx, int64_t off, size_t len, struct buf *out, struct err *e)
{
	struct pqsrc	*s = ctx;

	return storage_read(s->st, s->key, off, (int64_t)len, len, out, e);
}

/* The table schema, to tell timestamp from timestamp_ntz columns. */
struct schema {
	struct json_object	*fields;	/* the top-level "fields" */
};

/* The type of a (possibly physical) dotted column path, or NULL. */
static const char *
column_type(const struct schema *sc, const char *path)
{
	struct json_object	*fields = sc->fields, *f, *v, *md, *t;
	const char		*seg = path, *end, *name, *phys;
	size_t			 i, n, len;

	while (fields != NULL) {
		end = strchr(seg, '.');
		len = end != NULL ? (size_t)(end - seg) : strlen(seg);
		n = json_object_array_length(fields);
		for (i = 0; i < n; i++) {
			f = json_object_array_get_idx(fields, i);
			name = json_object_object_get_ex(f, "name", &v) ?
			    json_object_get_string(v) : "";
			phys = json_object_object_get_ex(f, "metadata", &md) &&
			    json_object_object_get_ex(md,
			    "delta.columnMapping.physicalName", &v) ?
			    json_object_get_string(v) : NULL;
			if ((strlen(name) == len && !strncmp(name, seg, len)) ||
			    (phys != NULL && strlen(phys) == len &&
			    !strncmp(phys, seg, len)))
				break;
		}
		if (i == n || !json_object_object_get_ex(f, "type", &t))
			return NULL;
		if (end == NULL)
			return json_object_is_type(t, json_type_string) ?
			    json_object_get_string(t) : NULL;
		seg = end + 1;
		fields = json_object_is_type(t, json_type_object) &&
		    json_object_object_get_ex(t, "fields", &v) ? v : NULL;
	}
	return NULL;
}

/* parquet_value_utc_fn for stats_parsed: ask the table schema. */
static int
stats_utc(void *ctx, const struct parquet_value *v)
{
	const struct schema	*sc = ctx;
	const char		*p = v->node->path, *col, *type;

	if (sc->fields == NULL ||
	    ((col = strstr(p, ".minValues.")) == NULL &&
	    (col = strstr(p, ".maxValues.")) == NULL))
		return -1;
	if ((type = column_type(sc, col + 11)) == NULL)
		return -1;
	if (strcmp(type, "timestamp") == 0)
		return 1;
	if (strcmp(type, "timestamp_ntz") == 0)
		return 0;
	return -1;
}

/* Write one action's fields as Delta JSON, mending the _parsed columns. */
static void
action_json(struct jsonw *w, const struct parquet_value *act,
    struct schema *sc)
{
	const struct parquet_value	*f, *parsed;
	struct buf			 stats;
	struct jsonw			 sw;
	size_t				 i;

	jsonw_obj_open(w);
	for (i = 0; i < act->u.kids.n; i++) {
		f = &act->u.kids.v[i];
		if (strcmp(f->node->name, "stats_parsed") == 0 ||
		    strcmp(f->node->name, "partitionValues_parsed") == 0)
			continue;
		if (strcmp(f->node->name, "partitionValues") == 0 &&
		    parquet_value_is_null(f) && (parsed = parquet_value_get(act,
		    "partitionValues_parsed")) != NULL &&
		    !parquet_value_is_null(parsed)) {
			jsonw_key(w, "partitionValues");
			parquet_value_json(w, parsed, PARQUET_VALUE_PARTITION);
			continue;
		}
		if (strcmp(f->node->name, "stats") == 0 &&
		    parquet_value_is_null(f) && (parsed = parquet_value_get(act,
		    "stats_parsed")) != NULL && !parquet_value_is_null(parsed)) {
			buf_init(&stats, 0);
			jsonw_init(&sw, &stats);
			parquet_value_json_utc(&sw, parsed, PARQUET_VALUE_DELTA,
			    stats_utc, sc);
			jsonw_key(w, "stats");
			jsonw_strn(w, buf_str(&stats), stats.len);
			buf_release(&stats);
			continue;
		}
		if (parquet_value_is_null(f))
			continue;
		jsonw_key(w, f->node->name);
		parquet_value_json(w, f, PARQUET_VALUE_DELTA);
	}
	/* A row with stats_parsed but no stats column at all. */
	if (parquet_value_get(act, "stats") == NULL &&
	    (parsed = parquet_value_get(act, "stats_parsed")) != NULL &&
	    !parquet_value_is_null(parsed)) {
		buf_init(&stats, 0);
		jsonw_init(&sw, &stats);
		parquet_value_json_utc(&sw, parsed, PARQUET_VALUE_DELTA,
		    stats_utc, sc);
		jsonw_key(w, "stats");
		jsonw_strn(w, buf_str(&stats), stats.len);
		buf_release(&stats);
	}
	jsonw_obj_close(w);
}

static int
select_fields(struct parquet_read *r, unsigned want, struct err *e)
{
	const char	*paths[NACTIONS];
	size_t		 i, n = 0;

	for (i = 0; i < NACTIONS; i++)
		if (want & DELTA_WANT(actions[i].kind))
			paths[n++] = actions[i].field;
	if (n == 0)
		return 0;
	if (parquet_read_select(r, paths, n, e) == -1)
		return 1;	/* none of them in this file */
	return 0;
}

static int
rows(struct parquet_read *r, const char *key, unsigned want,
    struct schema *sc, delta_action_fn fn, void *ctx, struct err *e)
{
	const struct parquet_value	*row, *f;
	struct delta_action		 act;
	struct arena			*scratch;
	struct buf			 line;
	struct jsonw			 w;
	size_t				 i;
	int				 rc = -1, more;

	scratch = arena_new();
	buf_init(&line, ROW_MAX);
	while ((more = parquet_read_next(r, &row, e)) == 1) {
		for (i = 0; i < NACTIONS; i++) {
			if (!(want & DELTA_WANT(actions[i].kind)) ||
			    (f = parquet_value_get(row, actions[i].field)) ==
			    NULL || parquet_value_is_null(f))
				continue;
			buf_reset(&line);
			jsonw_init(&w, &line);
			jsonw_obj_open(&w);
			jsonw_key(&w, actions[i].field);
			action_json(&w, f, sc);
			jsonw_obj_close(&w);
			if (line.overflow) {
				err_set(e, ERR_UPSTREAM, "%s: a row is larger "
				    "than %zu bytes", key, ROW_MAX);
				goto out;
			}
			arena_reset(scratch);
			if (delta_action_parse(scratch, buf_str(&line), line.len,
			    &act, e) == -1 || fn(ctx, &act, e) == -1) {
				struct err inner = *e;

				err_set(e, inner.kind, "%s: %s", key, inner.msg);
				goto out;
			}
		}
	}
	if (more == -1) {
		struct err inner = *e;

		err_set(e, inner.kind == ERR_INTERNAL ? ERR_UPSTREAM :
		    inner.kind, "%s: %s", key, inner.msg);
		goto out;
	}
	rc = 0;
out:
	buf_release(&line);
	arena_free(scratch);
	return rc;
}

int	delta_checkpoint_parquet(struct delta_table *, const char *key,
	    unsigned want, const char *schema_string, delta_action_fn fn,
	    void *ctx, struct err *);

int
delta_checkpoint_parquet(struct delta_table *t, const char *key,
    unsigned want, const char *schema_string, delta_action_fn fn, void *ctx,
    struct err *e)
{
	struct storage_entry	 se;
	struct pqsrc		 ps = { t->st, key };
	struct parquet_read_source src;
	struct parquet_read	*r = NULL;
	struct schema		 sc = { NULL };
	struct json_object	*o, *v;
	struct err		 ignore;
	int			 rc = -1, none;

	if (storage_stat(t->st, key, &se, t->a, e) == -1)
		return -1;
	if (schema_string != NULL && (o = jsonu_parse(t->a, schema_string,
	    strlen(schema_string), 64, &ignore)) != NULL &&
	    json_object_object_get_ex(o, "fields", &v) &&
	    json_object_is_type(v, json_type_array))
		sc.fields = v;
	src.size = se.size;
	src.read = src_read;
	src.ctx = &ps;
	if ((r = parquet_read_open(&src, NULL, e)) == NULL) {
		struct err inner = *e;

		return err_set(e, inner.kind == ERR_INTERNAL ? ERR_UPSTREAM :
		    inner.kind, "%s: %s", key, inner.msg);
	}
	if ((none = select_fields(r, want, e)) == 0)
		rc = rows(r, key, want, &sc, fn, ctx, e);
	else
		rc = 0;
	parquet_read_free(r);
	return rc;
}
