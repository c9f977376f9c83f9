/*
 * delta_write_ckpt.c: Delta checkpoints written from the JSON of a table
 * state (see delta_write_ckpt.h).
 *
 * The checkpoint schema is described once, as tables of fields
 * (struct field), which both build the Parquet schema and walk each
 * action's JSON object to fill a row, so the two cannot disagree.  The
 * only field not in those tables is add.stats_parsed, whose columns
 * come from the table schema in the metaData action.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "arena.h"
#include "buf.h"
#include "delta_write_ckpt.h"
#include "err.h"
#include "jsonu.h"
#include "jsonw.h"
#include "parquet_write.h"
#include "strutil.h"
#include "xmalloc.h"

#define JSON_CKPT_MAX	((size_t)64 * 1024 * 1024)	/* v2 JSON checkpoint */

/* --- the checkpoint schema ----------------------------------------------- */

enum ftype {
	F_STR,		/* string */
	F_I64,		/* long */
	F_I32,		/* integer */
	F_BOOL,		/* boolean */
	F_MAP,		/* map<string,string> */
	F_LIST,		/* array<string> */
	F_STRUCT,	/* kids */
	F_STATS		/* add.stats_parsed, when asked for */
};

struct field {
	const char		*name;
	enum ftype		 type;
	const struct field	*kids;
};

static const struct field dv_f[] = {
	{ "storageType", F_STR, NULL },
	{ "pathOrInlineDv", F_STR, NULL },
	{ "offset", F_I32, NULL },
	{ "sizeInBytes", F_I32, NULL },
	{ "cardinality", F_I64, NULL },
	{ "maxRowIndex", F_I64, NULL },
	{ NULL, F_STR, NULL }
};

static const struct field txn_f[] = {
	{ "appId", F_STR, NULL },
	{ "version", F_I64, NULL },
	{ "lastUpdated", F_I64, NULL },
	{ NULL, F_STR, NULL }
};

static const struct field add_f[] = {
	{ "path", F_STR, NULL },
	{ "partitionValues", F_MAP, NULL },
	{ "size", F_I64, NULL },
	{ "modificationTime", F_I64, NULL },
	{ "dataChange", F_BOOL, NULL },
	{ "tags", F_MAP, NULL },
	{ "deletionVector", F_STRUCT, dv_f },
	{ "baseRowId", F_I64, NULL },
	{ "defaultRowCommitVersion", F_I64, NULL },
	{ "clusteringProvider", F_STR, NULL },
	{ "stats", F_STR, NULL },
	{ "stats_parsed", F_STATS, NULL },
	{ NULL, F_STR, NULL }
};

static const struct field remove_f[] = {
	{ "path", F_STR, NULL },
	{ "deletionTimestamp", F_I64, NULL },
	{ "dataChange", F_BOOL, NULL },
	{ "extendedFileMetadata", F_BOOL, NULL },
	{ "partitionValues", F_MAP, NULL },
	{ "size", F_I64, NULL },
	{ "deletionVector", F_STRUCT, dv_f },
	{ "baseRowId", F_I64, NULL },
	{ "defaultRowCommitVersion", F_I64, NULL },
	{ NULL, F_STR, NULL }
};

static const struct field format_f[] = {
	{ "provider", F_STR, NULL },
	{ "options", F_MAP, NULL },
	{ NULL, F_STR, NULL }
};

static const struct field metadata_f[] = {
	{ "id", F_STR, NULL },
	{ "name", F_STR, NULL },
	{ "description", F_STR, NULL },
	{ "format", F_STRUCT, format_f },
	{ "schemaString", F_STR, NULL },
	{ "partitionColumns", F_LIST, NULL },
	{ "configuration", F_MAP, NULL },
	{ "createdTime", F_I64, NULL },
	{ NULL, F_STR, NULL }
};

static const struct field protocol_f[] = {
	{ "minReaderVersion", F_I32, NULL },
	{ "minWriterVersion", F_I32, NULL },
	{ "readerFeatures", F_LIST, NULL },
	{ "writerFeatures", F_LIST, NULL },
	{ NULL, F_STR, NULL }
};

static const struct field domain_f[] = {
	{ "domain", F_STR, NULL },
	{ "configuration", F_STR, NULL },
	{ "removed", F_BOOL, NULL },
	{ NULL, F_STR, NULL }
};

static const struct field ckmeta_f[] = {
	{ "version", F_I64, NULL },
	{ "tags", F_MAP, NULL },
	{ NULL, F_STR, NULL }
};

static const struct field sidecar_f[] = {
	{ "path", F_STR, NULL },
	{ "sizeInBytes", F_I64, NULL },
	{ "modificationTime", F_I64, NULL },
	{ "tags", F_MAP, NULL },
	{ NULL, F_STR, NULL }
};

/* The top-level columns, in Spark's order; v2 files add the last two. */
enum top {
	T_TXN, T_ADD, T_REMOVE, T_METADATA, T_PROTOCOL, T_DOMAIN,
	T_CKMETA, T_SIDECAR, T__MAX
};

static const struct {
	const char		*name;
	const struct field	*fields;
} tops[T__MAX] = {
	[T_TXN] = { "txn", txn_f },
	[T_ADD] = { "add", add_f },
	[T_REMOVE] = { "remove", remove_f },
	[T_METADATA] = { "metaData", metadata_f },
	[T_PROTOCOL] = { "protocol", protocol_f },
	[T_DOMAIN] = { "domainMetadata", domain_f },
	[T_CKMETA] = { "checkpointMetadata", ckmeta_f },
	[T_SIDECAR] = { "sidecar", sidecar_f },
};

/* Which top-level columns a file has. */
enum layout {
	L_CLASSIC,	/* T_TXN .. T_DOMAIN */
	L_V2,		/* all */
	L_SIDECAR	/* T_ADD, T_REMOVE */
};

static bool
in_layout(enum layout l, enum top t)
{
	if (l == L_SIDECAR)
		return t == T_ADD || t == T_REMOVE;
	return l == L_V2 || t < T_CKMETA;
}

/* --- stats_parsed -------------------------------------------------------- */

enum stype {
	S_NONE,		/* nullCount only */
	S_I64, S_I32, S_I16, S_I8, S_DOUBLE, S_FLOAT, S_STR, S_DATE,
	S_TS, S_TS_NTZ
};

struct scol {
	const char	*name;
	enum stype	 type;
};

/* The data columns of the table schema, for stats_parsed; n 0: none. */
struct sschema {
	struct scol	*c;
	size_t		 n;
	size_t		 nminmax;
};

static enum stype
stype_of(const char *t)
{
	static const struct {
		const char	*name;
		enum stype	 type;
	} map[] = {
		{ "long", S_I64 }, { "integer", S_I32 }, { "short", S_I16 },
		{ "byte", S_I8 }, { "double", S_DOUBLE }, { "float", S_FLOAT },
		{ "string", S_STR }, { "date", S_DATE }, { "timestamp", S_TS },
		{ "timestamp_ntz", S_TS_NTZ },
	};
	size_t	 i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(t, map[i].name) == 0)
			return map[i].type;
	return S_NONE;
}

static bool
is_partition(struct json_object *md, const char *name)
{
	struct json_object	*pc;
	size_t			 i, n;

	if (!json_object_object_get_ex(md, "partitionColumns", &pc) ||
	    !json_object_is_type(pc, json_type_array))
		return false;
	n = json_object_array_length(pc);
	for (i = 0; i < n; i++)
		if (strcmp(json_object_get_string(json_object_array_get_idx(pc,
		    i)), name) == 0)
			return true;
	return false;
}

/* Top-level primitive, non-partition columns of the metaData's schema. */
static int
sschema_build(struct arena *a, struct json_object *md, struct sschema *ss,
    struct err *e)
{
	struct json_object	*s, *fields, *f, *v, *t;
	const char		*str, *name;
	size_t			 i, n;

	memset(ss, 0, sizeof(*ss));
	if (md == NULL || !json_object_object_get_ex(md, "schemaString", &s) ||
	    (str = json_object_get_string(s)) == NULL)
		return err_set(e, ERR_BAD_PARAM, "stats_parsed needs the "
		    "metaData schemaString");
	if ((s = jsonu_parse(a, str, strlen(str), 64, e)) == NULL ||
	    !json_object_object_get_ex(s, "fields", &fields) ||
	    !json_object_is_type(fields, json_type_array))
		return err_set(e, ERR_BAD_PARAM, "schemaString has no fields");
	n = json_object_array_length(fields);
	ss->c = arena_calloc(a, n + 1, sizeof(*ss->c));
	for (i = 0; i < n; i++) {
		f = json_object_array_get_idx(fields, i);
		if (!json_object_object_get_ex(f, "name", &v) ||
		    !json_object_object_get_ex(f, "type", &t) ||
		    !json_object_is_type(t, json_type_string))
			continue;
		name = json_object_get_string(v);
		if (is_partition(md, name))
			continue;
		ss->c[ss->n].name = arena_strdup(a, name);
		ss->c[ss->n].type = stype_of(json_object_get_string(t));
		if (ss->c[ss->n].type != S_NONE)
			ss->nminmax++;
		ss->n++;
	}
	return 0;
}

static void
stats_leaf(struct parquet_write_node *g, const struct scol *c)
{
	struct parquet_write_leaf	 l;

	memset(&l, 0, sizeof(l));
	switch (c->type) {
	case S_I64:
		l.type = PQ_INT64;
		break;
	case S_I32:
		l.type = PQ_INT32;
		break;
	case S_I16:
	case S_I8:
		l.type = PQ_INT32;
		l.logical = PQ_LT_INT;
		l.bits = c->type == S_I16 ? 16 : 8;
		break;
	case S_DOUBLE:
		l.type = PQ_DOUBLE;
		break;
	case S_FLOAT:
		l.type = PQ_FLOAT;
		break;
	case S_STR:
		l.type = PQ_BYTE_ARRAY;
		l.logical = PQ_LT_STRING;
		break;
	case S_DATE:
		l.type = PQ_INT32;
		l.logical = PQ_LT_DATE;
		break;
	case S_TS:
	case S_TS_NTZ:
		l.type = PQ_INT64;
		l.logical = PQ_LT_TIMESTAMP;
		l.utc = c->type == S_TS;
		break;
	case S_NONE:
		return;
	}
	parquet_write_add_leaf(g, c->name, PQ_OPTIONAL, &l);
}

static void
stats_schema(struct parquet_write_node *add, const struct sschema *ss)
{
	struct parquet_write_node	*s, *g;
	static const char *const	 mm[] = { "minValues", "maxValues" };
	size_t				 i, k;

	s = parquet_write_add_group(add, "stats_parsed", PQ_OPTIONAL);
	parquet_write_add_column(s, "numRecords", PQ_OPTIONAL, PQ_INT64);
	for (k = 0; k < 2 && ss->nminmax > 0; k++) {
		g = parquet_write_add_group(s, mm[k], PQ_OPTIONAL);
		for (i = 0; i < ss->n; i++)
			stats_leaf(g, &ss->c[i]);
	}
	if (ss->n == 0)
		return;
	g = parquet_write_add_group(s, "nullCount", PQ_OPTIONAL);
	for (i = 0; i < ss->n; i++)
		parquet_write_add_column(g, ss->c[i].name, PQ_OPTIONAL,
		    PQ_INT64);
}

/* A statistics value in its column's type, or null. */
static void
stats_value(struct parquet_write *w, const struct scol *c,
    struct json_object *v)
{
	const char	*s;
	char		 iso[64];
	int64_t		 ms;

	if (v == NULL || json_object_is_type(v, json_type_null)) {
		parquet_write_null(w);
		return;
	}
	s = json_object_get_string(v);
	switch (c->type) {
	case S_I64:
		if (json_object_is_type(v, json_type_int)) {
			parquet_write_i64(w, json_object_get_int64(v));
			return;
		}
		break;
	case S_I32:
	case S_I16:
	case S_I8:
		if (json_object_is_type(v, json_type_int)) {
			parquet_write_i32(w, json_object_get_int(v));
			return;
		}
		break;
	case S_DOUBLE:
	case S_FLOAT:
		if (json_object_is_type(v, json_type_int) ||
		    json_object_is_type(v, json_type_double)) {
			if (c->type == S_DOUBLE)
				parquet_write_double(w,
				    json_object_get_double(v));
			else
				parquet_write_float(w,
				    (float)json_object_get_double(v));
			return;
		}
		break;
	case S_STR:
		if (json_object_is_type(v, json_type_string)) {
			parquet_write_str(w, s);
			return;
		}
		break;
	case S_DATE:
		snprintf(iso, sizeof(iso), "%sT00:00:00Z", s);
		if (str_parse_iso8601(iso, &ms) == 0) {
			parquet_write_i32(w, (int32_t)(ms / 86400000));
			return;
		}
		break;
	case S_TS:
	case S_TS_NTZ:
		snprintf(iso, sizeof(iso), "%s%s", s, strchr(s, 'Z') != NULL ||
		    strchr(s + 10, '+') != NULL ? "" : "Z");
		if (str_parse_iso8601(iso, &ms) == 0) {
			parquet_write_i64(w, ms * 1000);
			return;
		}
		break;
	case S_NONE:
		break;
	}
	parquet_write_null(w);
}

/* add.stats_parsed from the add's stats JSON text. */
static void
stats_put(struct parquet_write *w, struct arena *a, const struct sschema *ss,
    struct json_object *add)
{
	static const char *const	 mm[] = { "minValues", "maxValues" };
	struct json_object		*sv, *st, *g, *v;
	const char			*text;
	struct err			 e;
	size_t				 i, k;

	if (!json_object_object_get_ex(add, "stats", &sv) ||
	    (text = json_object_get_string(sv)) == NULL ||
	    json_object_is_type(sv, json_type_null) ||
	    (st = jsonu_parse(a, text, strlen(text), 64, &e)) == NULL) {
		parquet_write_null(w);
		return;
	}
	parquet_write_group_begin(w);
	if (json_object_object_get_ex(st, "numRecords", &v) &&
	    json_object_is_type(v, json_type_int))
		parquet_write_i64(w, json_object_get_int64(v));
	else
		parquet_write_null(w);
	for (k = 0; k < 2 && ss->nminmax > 0; k++) {
		if (!json_object_object_get_ex(st, mm[k], &g)) {
			parquet_write_null(w);
			continue;
		}
		parquet_write_group_begin(w);
		for (i = 0; i < ss->n; i++)
			if (ss->c[i].type != S_NONE)
				stats_value(w, &ss->c[i],
				    json_object_object_get_ex(g, ss->c[i].name,
				    &v) ? v : NULL);
		parquet_write_group_end(w);
	}
	if (ss->n > 0) {
		if (!json_object_object_get_ex(st, "nullCount", &g))
			parquet_write_null(w);
		else {
			parquet_write_group_begin(w);
			for (i = 0; i < ss->n; i++) {
				if (json_object_object_get_ex(g,
				    ss->c[i].name, &v) &&
				    json_object_is_type(v, json_type_int))
					parquet_write_i64(w,
					    json_object_get_int64(v));
				else
					parquet_write_null(w);
			}
			parquet_write_group_end(w);
		}
	}
	parquet_write_group_end(w);
}

/* --- Parquet files ------------------------------------------------------- */

static void
schema_fields(struct parquet_write_node *g, const struct field *f,
    const struct sschema *ss)
{
	struct parquet_write_node	*k;

	for (; f->name != NULL; f++) {
		switch (f->type) {
		case F_STR:
			parquet_write_add_string(g, f->name, PQ_OPTIONAL);
			break;
		case F_I64:
			parquet_write_add_column(g, f->name, PQ_OPTIONAL,
			    PQ_INT64);
			break;
		case F_I32:
			parquet_write_add_column(g, f->name, PQ_OPTIONAL,
			    PQ_INT32);
			break;
		case F_BOOL:
			parquet_write_add_column(g, f->name, PQ_OPTIONAL,
			    PQ_BOOLEAN);
			break;
		case F_MAP:
			k = parquet_write_add_map(g, f->name, PQ_OPTIONAL);
			parquet_write_add_string(k, "key", PQ_REQUIRED);
			parquet_write_add_string(k, "value", PQ_OPTIONAL);
			break;
		case F_LIST:
			k = parquet_write_add_list(g, f->name, PQ_OPTIONAL);
			parquet_write_add_string(k, "element", PQ_OPTIONAL);
			break;
		case F_STRUCT:
			k = parquet_write_add_group(g, f->name, PQ_OPTIONAL);
			schema_fields(k, f->kids, NULL);
			break;
		case F_STATS:
			if (ss != NULL)
				stats_schema(g, ss);
			break;
		}
	}
}

static struct parquet_write_schema *
schema_new(enum layout l, const struct sschema *ss)
{
	struct parquet_write_schema	*s = parquet_write_schema_new();
	struct parquet_write_node	*root = parquet_write_schema_root(s);
	struct parquet_write_node	*g;
	int				 t;

	for (t = 0; t < T__MAX; t++) {
		if (!in_layout(l, t))
			continue;
		g = parquet_write_add_group(root, tops[t].name, PQ_OPTIONAL);
		schema_fields(g, tops[t].fields, t == T_ADD ? ss : NULL);
	}
	return s;
}

/* A map<string,string> from a JSON object of strings (or nulls). */
static void
map_put(struct parquet_write *w, struct json_object *o)
{
	parquet_write_list_begin(w);
	json_object_object_foreach(o, key, val) {
		parquet_write_str(w, key);
		if (val == NULL || json_object_is_type(val, json_type_null))
			parquet_write_null(w);
		else
			parquet_write_str(w, json_object_get_string(val));
	}
	parquet_write_list_end(w);
}

/* The fields of one struct value, in schema order. */
static void
put_fields(struct parquet_write *w, struct arena *a, const struct field *f,
    struct json_object *o, const struct sschema *ss)
{
	struct json_object	*v, *x;
	size_t			 i, n;

	for (; f->name != NULL; f++) {
		if (f->type == F_STATS) {
			if (ss != NULL)
				stats_put(w, a, ss, o);
			continue;
		}
		if (!json_object_object_get_ex(o, f->name, &v) ||
		    json_object_is_type(v, json_type_null) ||
		    (ss != NULL && strcmp(f->name, "stats") == 0)) {
			parquet_write_null(w);
			continue;
		}
		switch (f->type) {
		case F_STR:
			if (json_object_is_type(v, json_type_string))
				parquet_write_str(w, json_object_get_string(v));
			else
				parquet_write_null(w);
			break;
		case F_I64:
			if (json_object_is_type(v, json_type_int))
				parquet_write_i64(w, json_object_get_int64(v));
			else
				parquet_write_null(w);
			break;
		case F_I32:
			if (json_object_is_type(v, json_type_int))
				parquet_write_i32(w, json_object_get_int(v));
			else
				parquet_write_null(w);
			break;
		case F_BOOL:
			if (json_object_is_type(v, json_type_boolean))
				parquet_write_bool(w,
				    json_object_get_boolean(v));
			else
				parquet_write_null(w);
			break;
		case F_MAP:
			if (!json_object_is_type(v, json_type_object)) {
				parquet_write_null(w);
				break;
			}
			map_put(w, v);
			break;
		case F_LIST:
			if (!json_object_is_type(v, json_type_array)) {
				parquet_write_null(w);
				break;
			}
			parquet_write_list_begin(w);
			n = json_object_array_length(v);
			for (i = 0; i < n; i++) {
				x = json_object_array_get_idx(v, i);
				parquet_write_str(w, json_object_get_string(x));
			}
			parquet_write_list_end(w);
			break;
		case F_STRUCT:
			if (!json_object_is_type(v, json_type_object)) {
				parquet_write_null(w);
				break;
			}
			parquet_write_group_begin(w);
			put_fields(w, a, f->kids, v, NULL);
			parquet_write_group_end(w);
			break;
		case F_STATS:
			break;
		}
	}
}

/*
 * One action of the state: its top-level column and JSON text, parsed
 * only when its row is written, so that a large state is never all in
 * json-c objects at once.
 */
struct act {
	enum top		 top;
	const char		*line;
	size_t			 lineno;	/* in the caller's lines; 0: ours */
};

/* The value of an action line, parsed into row. */
static struct json_object *
act_value(struct arena *row, const struct act *x, struct err *e)
{
	struct json_object	*o, *v;

	if ((o = jsonu_parse(row, x->line, strlen(x->line), 64, e)) == NULL ||
	    !json_object_is_type(o, json_type_object) ||
	    json_object_object_length(o) != 1 ||
	    !json_object_object_get_ex(o, tops[x->top].name, &v)) {
		err_set(e, ERR_BAD_PARAM, "state line %zu is not one action",
		    x->lineno);
		return NULL;
	}
	return v;
}

struct pqfile {
	const char		*path;
	enum layout		 layout;
	const struct sschema	*ss;
	enum parquet_write_codec codec;
	int64_t			 size;	/* after writing */
	int64_t			 rows;
};

/*
 * Write part of the actions into the Parquet file pf: the file actions
 * (add, remove) dealt round-robin to parts, this one taking those of
 * rank part; the others only into part 0, and not at all if files_only.
 */
static int
pq_write(struct pqfile *pf, const struct act *acts, size_t n, size_t part,
    size_t parts, bool files_only, struct err *e)
{
	struct parquet_write_schema	*s;
	struct parquet_write_opts	 po;
	struct parquet_write		*w;
	struct arena			*row = arena_new();
	struct json_object		*o;
	size_t				 i, nfile = 0;
	bool				 file;
	int				 rc = -1;

	s = schema_new(pf->layout, pf->ss);
	memset(&po, 0, sizeof(po));
	po.codec = pf->codec;
	if ((w = parquet_write_open(pf->path, s, &po, e)) == NULL)
		goto out;
	for (i = 0; i < n; i++) {
		file = acts[i].top == T_ADD || acts[i].top == T_REMOVE;
		if (file && nfile++ % parts != part)
			continue;
		if (!file && (files_only || part != 0))
			continue;
		arena_reset(row);
		if ((o = act_value(row, &acts[i], e)) == NULL)
			goto out;
		parquet_write_row_begin(w);
		parquet_write_field(w, tops[acts[i].top].name);
		parquet_write_group_begin(w);
		put_fields(w, row, tops[acts[i].top].fields, o,
		    acts[i].top == T_ADD ? pf->ss : NULL);
		parquet_write_group_end(w);
		if (parquet_write_row_end(w, e) == -1)
			goto out;
	}
	if (parquet_write_close(w, e) == -1)
		goto out;
	pf->size = parquet_write_size(w);
	pf->rows = parquet_write_rows(w);
	rc = 0;
out:
	parquet_write_free(w);
	parquet_write_schema_free(s);
	arena_free(row);
	return rc;
}

/* --- JSON files ---------------------------------------------------------- */

/* Write b to path through a temporary file renamed into place. */
static int
file_put(const char *path, const struct buf *b, struct err *e)
{
	FILE	*f;
	char	*tmp;
	int	 rc = -1;

	tmp = xasprintf("%s.%ld.tmp", path, (long)getpid());
	if ((f = fopen(tmp, "w")) == NULL) {
		err_set(e, ERR_INTERNAL, "cannot create '%s': %s", tmp,
		    strerror(errno));
		goto out;
	}
	if (fwrite(b->data, 1, b->len, f) != b->len || fclose(f) != 0) {
		err_set(e, ERR_INTERNAL, "cannot write '%s'", tmp);
		unlink(tmp);
		goto out;
	}
	if (rename(tmp, path) == -1) {
		err_set(e, ERR_INTERNAL, "cannot rename '%s': %s", tmp,
		    strerror(errno));
		unlink(tmp);
		goto out;
	}
	rc = 0;
out:
	free(tmp);
	return rc;
}

static int64_t
mtime_ms(const char *path)
{
	struct stat	 st;

	if (stat(path, &st) == -1)
		return 0;
	return (int64_t)st.st_mtim.tv_sec * 1000 + st.st_mtim.tv_nsec / 1000000;
}

/* --- the checkpoint ------------------------------------------------------ */

struct state {
	struct arena		*a;
	const char		*dir;
	int64_t			 version;
	const struct delta_write_ckpt_opts *o;
	struct act		*acts;
	size_t			 n;
	size_t			 nadds;
	struct sschema		 ss;
	int64_t			 bytes;		/* checkpoint files */
	int64_t			 rows;		/* actions written */
};

/*
 * The action of each line from its first key (the line itself is parsed
 * when written: a malformed one fails the checkpoint then), and the
 * metaData for stats_parsed.
 */
static int
state_parse(struct state *st, const char *const *lines, size_t n,
    struct err *e)
{
	struct json_object	*md = NULL;
	const char		*p, *q;
	size_t			 i;
	int			 t;

	st->acts = arena_calloc(st->a, n + 1, sizeof(*st->acts));
	for (i = 0; i < n; i++) {
		p = lines[i] + strspn(lines[i], " \t\r\n");
		if (*p++ != '{')
			return err_set(e, ERR_BAD_PARAM, "state line %zu is "
			    "not one action", i + 1);
		p += strspn(p, " \t\r\n");
		if (*p++ != '"' || (q = strchr(p, '"')) == NULL)
			return err_set(e, ERR_BAD_PARAM, "state line %zu is "
			    "not one action", i + 1);
		for (t = 0; t < T_CKMETA; t++)
			if (strlen(tops[t].name) == (size_t)(q - p) &&
			    strncmp(p, tops[t].name, (size_t)(q - p)) == 0)
				break;
		if (t == T_CKMETA)
			return err_set(e, ERR_BAD_PARAM, "state line %zu: "
			    "'%.*s' is not a checkpoint action", i + 1,
			    (int)(q - p < 64 ? q - p : 64), p);
		st->acts[st->n].top = t;
		st->acts[st->n].lineno = i + 1;
		st->acts[st->n++].line = lines[i];
		st->nadds += t == T_ADD;
		if (t == T_METADATA && st->o->stats_parsed &&
		    (md = act_value(st->a, &st->acts[st->n - 1], e)) == NULL)
			return -1;
	}
	if (st->o->stats_parsed)
		return sschema_build(st->a, md, &st->ss, e);
	return 0;
}

static const char *
log_path(struct state *st, const char *name)
{
	return arena_printf(st->a, "%s/_delta_log/%s", st->dir, name);
}

static int
classic(struct state *st, struct err *e)
{
	struct pqfile	 pf;
	size_t		 parts = st->o->parts > 1 ? st->o->parts : 1, p;

	for (p = 0; p < parts; p++) {
		memset(&pf, 0, sizeof(pf));
		pf.layout = L_CLASSIC;
		pf.ss = st->o->stats_parsed ? &st->ss : NULL;
		pf.codec = st->o->codec;
		pf.path = parts == 1 ? log_path(st, arena_printf(st->a,
		    "%020" PRId64 ".checkpoint.parquet", st->version)) :
		    log_path(st, arena_printf(st->a, "%020" PRId64
		    ".checkpoint.%010zu.%010zu.parquet", st->version, p + 1,
		    parts));
		if (pq_write(&pf, st->acts, st->n, p, parts, false, e) == -1)
			return -1;
		st->bytes += pf.size;
		st->rows += pf.rows;
	}
	return 0;
}

/* The sidecar files of a v2 checkpoint, as sidecar actions. */
static int
sidecars(struct state *st, struct act **out, size_t *nout, struct err *e)
{
	struct pqfile	 pf;
	struct act	*v;
	struct buf	 b;
	const char	*name, *dir;
	size_t		 p, parts = st->o->parts;

	dir = arena_printf(st->a, "%s/_delta_log/_sidecars", st->dir);
	if (mkdir(dir, 0755) == -1 && errno != EEXIST)
		return err_set(e, ERR_INTERNAL, "cannot create '%s': %s", dir,
		    strerror(errno));
	v = arena_calloc(st->a, parts + 1, sizeof(*v));
	for (p = 0; p < parts; p++) {
		/* <uuid minus its last 12 digits><part, 12 hex digits> */
		name = arena_printf(st->a, "%.24s%012zx.parquet", st->o->uuid,
		    p + 1);
		memset(&pf, 0, sizeof(pf));
		pf.layout = L_SIDECAR;
		pf.ss = st->o->stats_parsed ? &st->ss : NULL;
		pf.codec = st->o->codec;
		pf.path = arena_printf(st->a, "%s/%s", dir, name);
		if (pq_write(&pf, st->acts, st->n, p, parts, true, e) == -1)
			return -1;
		st->bytes += pf.size;
		buf_init(&b, 0);
		buf_addf(&b, "{\"sidecar\":{\"path\":\"%s\",\"sizeInBytes\":%"
		    PRId64 ",\"modificationTime\":%" PRId64 "}}", name,
		    pf.size, mtime_ms(pf.path));
		v[p].top = T_SIDECAR;
		v[p].line = arena_strdup(st->a, buf_str(&b));
		buf_release(&b);
	}
	*out = v;
	*nout = parts;
	return 0;
}

static int
v2(struct state *st, struct err *e)
{
	struct pqfile	 pf;
	struct act	*sc = NULL, *all;
	struct buf	 b;
	const char	*path, *ck;
	size_t		 nsc = 0, i, n = 0;
	bool		 json = st->o->kind == DELTA_WRITE_CKPT_V2_JSON;
	int		 rc;

	if (st->o->uuid == NULL || strlen(st->o->uuid) != 36)
		return err_set(e, ERR_BAD_PARAM, "a v2 checkpoint needs a "
		    "UUID");
	if (st->o->parts > 0 && sidecars(st, &sc, &nsc, e) == -1)
		return -1;
	/* The checkpoint: non-file actions, checkpointMetadata, then the
	 * sidecars or the file actions. */
	all = arena_calloc(st->a, st->n + nsc + 2, sizeof(*all));
	for (i = 0; i < st->n; i++)
		if (nsc == 0 || (st->acts[i].top != T_ADD &&
		    st->acts[i].top != T_REMOVE))
			all[n++] = st->acts[i];
	ck = arena_printf(st->a, "{\"checkpointMetadata\":{\"version\":%"
	    PRId64 "}}", st->version);
	all[n].top = T_CKMETA;
	all[n++].line = ck;
	for (i = 0; i < nsc; i++)
		all[n++] = sc[i];
	path = log_path(st, arena_printf(st->a, "%020" PRId64
	    ".checkpoint.%s.%s", st->version, st->o->uuid, json ? "json" :
	    "parquet"));
	if (json) {
		buf_init(&b, JSON_CKPT_MAX);
		for (i = 0; i < n; i++) {
			buf_adds(&b, all[i].line);
			buf_addc(&b, '\n');
		}
		rc = b.overflow ? err_set(e, ERR_TOO_LARGE, "checkpoint too "
		    "large") : file_put(path, &b, e);
		st->bytes += (int64_t)b.len;
		buf_release(&b);
		st->rows += (int64_t)n;
		return rc;
	}
	memset(&pf, 0, sizeof(pf));
	pf.layout = L_V2;
	pf.ss = st->o->stats_parsed ? &st->ss : NULL;
	pf.codec = st->o->codec;
	pf.path = path;
	if (pq_write(&pf, all, n, 0, 1, false, e) == -1)
		return -1;
	st->bytes += pf.size;
	st->rows += pf.rows;
	return 0;
}

static int
last_checkpoint(struct state *st, struct err *e)
{
	struct buf	 b;
	int		 rc;

	buf_init(&b, 0);
	buf_addf(&b, "{\"version\":%" PRId64 ",\"size\":%" PRId64,
	    st->version, st->rows);
	if (st->o->kind == DELTA_WRITE_CKPT_CLASSIC && st->o->parts > 1)
		buf_addf(&b, ",\"parts\":%zu", st->o->parts);
	buf_addf(&b, ",\"sizeInBytes\":%" PRId64 ",\"numOfAddFiles\":%zu}\n",
	    st->bytes, st->nadds);
	rc = file_put(log_path(st, "_last_checkpoint"), &b, e);
	buf_release(&b);
	return rc;
}

int
delta_write_ckpt(const char *dir, int64_t version, const char *const *lines,
    size_t n, const struct delta_write_ckpt_opts *o, struct err *e)
{
	struct state	 st;
	int		 rc = -1;

	memset(&st, 0, sizeof(st));
	st.a = arena_new();
	st.dir = dir;
	st.version = version;
	st.o = o;
	if (state_parse(&st, lines, n, e) == -1)
		goto out;
	if (o->kind == DELTA_WRITE_CKPT_CLASSIC ? classic(&st, e) :
	    v2(&st, e))
		goto out;
	if (o->last_checkpoint && last_checkpoint(&st, e) == -1)
		goto out;
	rc = 0;
out:
	arena_free(st.a);
	return rc;
}
