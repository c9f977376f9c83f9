/*
 * delta_checkpoint_pq.c: actions from the rows of a Parquet checkpoint
 * part or v2 sidecar.
 *
 * add and remove rows, the bulk of a checkpoint, become struct
 * delta_action straight from the row, with the checks the JSON parser
 * makes (required fields, types, ranges, deletion vectors); their JSON
 * text ("raw") is written only when DELTA_WANT_RAW asks for it.  Every
 * other wanted action (metaData, protocol, txn, domainMetadata,
 * checkpointMetadata, sidecar; a few per checkpoint) is written back as
 * the JSON line a commit would hold and parsed by the commits' parser.
 *
 * Two columns have no place in the JSON of an action: stats_parsed
 * becomes the "stats" string when the row has no stats string, and
 * partitionValues_parsed the partitionValues object when the map is
 * missing.  Timestamps in stats_parsed follow the table schema
 * (timestamp: UTC, timestamp_ntz: not), whatever the Parquet annotation
 * says, since arrow-based writers annotate both alike.
 *
 * Rows are converted into a scratch arena reset for each row: the action
 * handed to fn lives only during the call.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "buf.h"
#include "delta_action.h"
#include "delta_checkpoint.h"
#include "delta_dv.h"
#include "delta_table.h"
#include "err.h"
#include "hset.h"
#include "jsonu.h"
#include "jsonw.h"
#include "parquet_read.h"
#include "storage.h"
#include "strutil.h"
#include "xmalloc.h"

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

/*
 * The table schema, to tell timestamp from timestamp_ntz columns:
 * parsed (into a) the first time stats_parsed needs it.
 */
struct schema {
	const char		*text;		/* schemaString, or NULL */
	struct arena		*a;
	bool			 parsed;
	struct json_object	*fields;	/* the top-level "fields" */
};

/* The schema's top-level fields, or NULL. */
static struct json_object *
schema_fields(struct schema *sc)
{
	struct json_object	*o, *v;
	struct err		 ignore;

	if (!sc->parsed && sc->text != NULL && (o = jsonu_parse(sc->a,
	    sc->text, strlen(sc->text), 64, &ignore)) != NULL &&
	    json_object_object_get_ex(o, "fields", &v) &&
	    json_object_is_type(v, json_type_array))
		sc->fields = v;
	sc->parsed = true;
	return sc->fields;
}

/* The type of a (possibly physical) dotted column path, or NULL. */
static const char *
column_type(struct schema *sc, const char *path)
{
	struct json_object	*fields = schema_fields(sc), *f, *v, *md, *t;
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
	struct schema		*sc = ctx;
	const char		*p = v->node->path, *col, *type;

	if (((col = strstr(p, ".minValues.")) == NULL &&
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

/*
 * The stats JSON text of an add's stats_parsed value (malloc'd, *len
 * bytes), or NULL when it has none.
 */
static char *
stats_text(const struct parquet_value *parsed, struct schema *sc,
    size_t *len)
{
	struct buf			 b;
	struct jsonw			 w;

	if (parquet_value_is_null(parsed))
		return NULL;
	buf_init(&b, 0);
	jsonw_init(&w, &b);
	parquet_value_json_utc(&w, parsed, PARQUET_VALUE_DELTA, stats_utc, sc);
	*len = b.len;
	return buf_detach(&b);
}

/* Write one action's fields as Delta JSON, mending the _parsed columns. */
static void
action_json(struct jsonw *w, const struct parquet_value *act,
    struct schema *sc)
{
	const struct parquet_value	*f, *parsed;
	char				*stats;
	size_t				 i, len;

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
		    parquet_value_is_null(f))
			continue;	/* stats_parsed below, if any */
		if (parquet_value_is_null(f))
			continue;
		jsonw_key(w, f->node->name);
		parquet_value_json(w, f, PARQUET_VALUE_DELTA);
	}
	if (parquet_value_is_null(parquet_value_get(act, "stats")) &&
	    (stats = stats_text(parquet_value_get(act, "stats_parsed"), sc,
	    &len)) != NULL) {
		jsonw_key(w, "stats");
		jsonw_strn(w, stats, len);
		free(stats);
	}
	jsonw_obj_close(w);
}

/* --- add and remove rows, field by field ------------------------------ */

/* The fields read from add and remove structs and their deletion vectors. */
enum fld {
	F_PATH,
	F_PARTITION_VALUES,
	F_PARTITION_VALUES_PARSED,
	F_SIZE,
	F_MODIFICATION_TIME,
	F_DATA_CHANGE,
	F_STATS,
	F_STATS_PARSED,
	F_TAGS,
	F_BASE_ROW_ID,
	F_DEFAULT_ROW_COMMIT_VERSION,
	F_DELETION_VECTOR,
	F_DELETION_TIMESTAMP,
	F_EXTENDED_FILE_METADATA,
	F_STORAGE_TYPE,			/* deletionVector's */
	F_PATH_OR_INLINE_DV,
	F_OFFSET,
	F_SIZE_IN_BYTES,
	F_CARDINALITY,
	F_MAX_ROW_INDEX,
	F__MAX
};

static const char *const fld_names[F__MAX] = {
	"path", "partitionValues", "partitionValues_parsed", "size",
	"modificationTime", "dataChange", "stats", "stats_parsed", "tags",
	"baseRowId", "defaultRowCommitVersion", "deletionVector",
	"deletionTimestamp", "extendedFileMetadata", "storageType",
	"pathOrInlineDv", "offset", "sizeInBytes", "cardinality",
	"maxRowIndex",
};

/*
 * Where a field was found in the struct value of the node parent: the
 * rows of one projection all have the same fields, so after the first
 * row a field is found by comparing two pointers, not names.
 */
struct fslot {
	const struct parquet_meta_node	*parent;
	const struct parquet_meta_node	*node;	/* NULL: not a field */
	size_t				 at;
};

/* Reading one struct of a row, as delta_action.c reads a JSON object. */
struct conv {
	const struct parquet_value	*o;
	const char			*what;	/* "add", "add.deletionVector" */
	struct arena			*a;
	struct err			*e;
	struct fslot			*cache;	/* F__MAX of them */
	struct buf			*tmp;	/* for map text */
};

static int
cv_bad(struct conv *c, enum fld f, const char *why)
{
	return err_set(c->e, ERR_UPSTREAM, "%s: '%s' %s", c->what,
	    fld_names[f], why);
}

/* The field f of the struct being read, or NULL. */
static const struct parquet_value *
cv_field(struct conv *c, enum fld f)
{
	const struct parquet_value	*o = c->o, *v;
	struct fslot			*s = &c->cache[f];

	if (o->kind != PARQUET_VALUE_STRUCT)
		return NULL;
	if (s->parent == o->node && o->node != NULL) {
		if (s->node == NULL)
			return NULL;
		if (s->at < o->u.kids.n && o->u.kids.v[s->at].node == s->node)
			return &o->u.kids.v[s->at];
	}
	v = parquet_value_get(o, fld_names[f]);
	s->parent = o->node;
	s->node = v != NULL ? v->node : NULL;
	s->at = v != NULL ? (size_t)(v - o->u.kids.v) : 0;
	return v;
}

/*
 * What v is to the JSON of the action, as parquet_value_json() renders
 * it: BYTES only for text (STRING, ENUM or JSON annotations), INT64 for
 * integers of either width without an annotation other than INT; any
 * other scalar is NULL (no JSON form this reader takes).
 */
static enum parquet_value_kind
cv_kind(const struct parquet_value *v)
{
	enum parquet_meta_logical	 lt = v->node != NULL ?
					    v->node->logical : PARQUET_LT_NONE;

	switch (v->kind) {
	case PARQUET_VALUE_BYTES:
		return lt == PARQUET_LT_STRING || lt == PARQUET_LT_ENUM ||
		    lt == PARQUET_LT_JSON ? PARQUET_VALUE_BYTES :
		    PARQUET_VALUE_NULL;
	case PARQUET_VALUE_INT32:
	case PARQUET_VALUE_INT64:
		return lt == PARQUET_LT_NONE || lt == PARQUET_LT_INT ?
		    PARQUET_VALUE_INT64 : PARQUET_VALUE_NULL;
	case PARQUET_VALUE_BOOL:
		return lt == PARQUET_LT_NONE ? v->kind : PARQUET_VALUE_NULL;
	default:
		return v->kind;
	}
}

/*
 * The field key: 1 when present as kind k (see cv_kind(); STRUCT and MAP
 * are objects), 0 when absent or null (an error if required), -1 on a
 * missing required field or another kind.
 */
static int
cv_get(struct conv *c, enum fld key, bool required,
    enum parquet_value_kind k, const struct parquet_value **v)
{
	*v = cv_field(c, key);
	if (parquet_value_is_null(*v)) {
		if (required)
			return err_set(c->e, ERR_UPSTREAM, "%s: missing '%s'",
			    c->what, fld_names[key]);
		return 0;
	}
	if (cv_kind(*v) == k)
		return 1;
	switch (k) {
	case PARQUET_VALUE_BYTES:
		return cv_bad(c, key, "must be a string");
	case PARQUET_VALUE_INT64:
		return cv_bad(c, key, "must be an integer");
	case PARQUET_VALUE_BOOL:
		return cv_bad(c, key, "must be true or false");
	default:
		return cv_bad(c, key, "must be an object");
	}
}

/* Text that may become a C string: UTF-8 without NUL. */
static bool
cv_text(const struct parquet_value *v)
{
	return cv_kind(v) == PARQUET_VALUE_BYTES &&
	    str_text_valid((const char *)v->u.bytes.p, v->u.bytes.len);
}

static int
cv_str(struct conv *c, enum fld key, bool required, const char **out)
{
	const struct parquet_value	*v;
	int				 rc;

	*out = NULL;
	if ((rc = cv_get(c, key, required, PARQUET_VALUE_BYTES, &v)) <= 0)
		return rc;
	if (!cv_text(v))
		return cv_bad(c, key, "is not UTF-8 text");
	*out = arena_strndup(c->a, (const char *)v->u.bytes.p,
	    v->u.bytes.len);
	return 0;
}

/* An integer in [min, max]; *out is left alone when absent. */
static int
cv_i64(struct conv *c, enum fld key, bool required, int64_t min,
    int64_t max, int64_t *out)
{
	const struct parquet_value	*v;
	int64_t				 n;
	int				 rc;

	if ((rc = cv_get(c, key, required, PARQUET_VALUE_INT64, &v)) <= 0)
		return rc;
	(void)parquet_value_int(v, &n);
	if (v->node->logical == PARQUET_LT_INT && !v->node->is_signed &&
	    v->kind == PARQUET_VALUE_INT32)
		n = (uint32_t)v->u.i32;
	else if (v->node->logical == PARQUET_LT_INT && !v->node->is_signed &&
	    n < 0)
		return cv_bad(c, key, "is out of range");
	if (n < min || n > max)
		return cv_bad(c, key, "is out of range");
	*out = n;
	return 0;
}

static int
cv_bool(struct conv *c, enum fld key, bool required, bool *out)
{
	const struct parquet_value	*v;
	int				 rc;

	if ((rc = cv_get(c, key, required, PARQUET_VALUE_BOOL, &v)) <= 0)
		return rc;
	*out = v->u.b;
	return 0;
}

/* Is the map's key i (a string) also one of the keys after it? */
static bool
cv_dup_key(const struct parquet_value *m, size_t i, struct hset **seen)
{
	const struct parquet_value	*k = &m->u.kids.v[2 * i];

	if (m->u.kids.n <= 16) {
		const struct parquet_value	*o;
		size_t				 j;

		for (j = i + 1; j < m->u.kids.n; j++) {
			o = &m->u.kids.v[2 * j];
			if (o->u.bytes.len == k->u.bytes.len &&
			    memcmp(o->u.bytes.p, k->u.bytes.p,
			    k->u.bytes.len) == 0)
				return true;
		}
		return false;
	}
	if (*seen == NULL)
		*seen = hset_new(m->u.kids.n);
	return !hset_add(*seen, (const char *)k->u.bytes.p, k->u.bytes.len);
}

/* A map of strings to strings or null, as JSON object text. */
static int
cv_map(struct conv *c, enum fld key, bool required, const char *dflt,
    const char **out)
{
	const struct parquet_value	*m, *k, *v;
	struct hset			*seen = NULL;
	size_t				 i;
	int				 rc;

	*out = dflt;
	if ((rc = cv_get(c, key, required, PARQUET_VALUE_MAP, &m)) <= 0)
		return rc;
	for (i = 0; i < m->u.kids.n && rc == 1; i++) {
		k = &m->u.kids.v[2 * i];
		v = &m->u.kids.v[2 * i + 1];
		if (!cv_text(k))
			rc = cv_bad(c, key, "has a key that is not text");
		else if (!parquet_value_is_null(v) && !cv_text(v))
			rc = cv_bad(c, key, "must map to strings or null");
		else if (cv_dup_key(m, i, &seen))
			rc = cv_bad(c, key, "has a duplicate key");
	}
	hset_free(seen);
	if (rc == -1)
		return -1;
	/* Checked to be text or null: as parquet_value_json() has it. */
	buf_reset(c->tmp);
	buf_addc(c->tmp, '{');
	for (i = 0; i < m->u.kids.n; i++) {
		k = &m->u.kids.v[2 * i];
		v = &m->u.kids.v[2 * i + 1];
		if (i > 0)
			buf_addc(c->tmp, ',');
		jsonw_quote(c->tmp, (const char *)k->u.bytes.p, k->u.bytes.len);
		buf_addc(c->tmp, ':');
		if (parquet_value_is_null(v))
			buf_add(c->tmp, "null", 4);
		else
			jsonw_quote(c->tmp, (const char *)v->u.bytes.p,
			    v->u.bytes.len);
	}
	buf_addc(c->tmp, '}');
	*out = arena_strndup(c->a, buf_str(c->tmp), c->tmp->len);
	return 0;
}

static int
cv_dv(struct conv *file, struct delta_dv *dv)
{
	struct conv	 c = *file;
	const char	*type;
	int64_t		 v;
	int		 rc;

	if ((rc = cv_get(file, F_DELETION_VECTOR, false, PARQUET_VALUE_STRUCT,
	    &c.o)) <= 0)
		return rc;
	c.what = arena_printf(c.a, "%s.deletionVector", file->what);
	if (cv_str(&c, F_STORAGE_TYPE, true, &type) == -1)
		return -1;
	if (strlen(type) != 1)
		return cv_bad(&c, F_STORAGE_TYPE, "must be one character");
	dv->storage_type = type[0];
	if (cv_str(&c, F_PATH_OR_INLINE_DV, true, &dv->path_or_inline) == -1)
		return -1;
	v = -1;
	if (cv_i64(&c, F_OFFSET, false, 0, INT32_MAX, &v) == -1)
		return -1;
	dv->offset = (int32_t)v;
	if (cv_i64(&c, F_SIZE_IN_BYTES, true, 0, INT32_MAX, &v) == -1)
		return -1;
	dv->size = (int32_t)v;
	if (cv_i64(&c, F_CARDINALITY, true, 0, INT64_MAX, &dv->cardinality)
	    == -1 || cv_i64(&c, F_MAX_ROW_INDEX, false, 0, INT64_MAX,
	    &dv->max_row_index) == -1)
		return -1;
	if (delta_dv_validate(dv, c.e) == -1) {
		struct err	 inner = *c.e;

		return err_set(c.e, inner.kind, "%s: %s", file->what,
		    inner.msg);
	}
	return 0;
}

/* A struct whose fields are all scalars (or null). */
static bool
flat_struct(const struct parquet_value *v)
{
	size_t	 i;

	if (v->kind != PARQUET_VALUE_STRUCT)
		return false;
	for (i = 0; i < v->u.kids.n; i++)
		switch (v->u.kids.v[i].kind) {
		case PARQUET_VALUE_STRUCT:
		case PARQUET_VALUE_LIST:
		case PARQUET_VALUE_MAP:
			return false;
		default:
			break;
		}
	return true;
}

/* An add or remove row, with the rules of delta_action.c's parse_file(). */
static int
file_action(struct conv *c, enum delta_action_kind kind, struct schema *sc,
    struct delta_file *x)
{
	const struct parquet_value	*pv;
	bool				 add = kind == DELTA_ADD;
	bool				 rm = kind == DELTA_REMOVE;
	char				*stats;
	size_t				 len;

	memset(x, 0, sizeof(*x));
	x->size = x->modification_time = x->deletion_timestamp = -1;
	x->base_row_id = x->default_row_commit_version = -1;
	x->dv.offset = -1;
	x->dv.max_row_index = -1;
	x->data_change = rm;
	if (cv_str(c, F_PATH, true, &x->path) == -1)
		return -1;
	if (x->path[0] == '\0')
		return cv_bad(c, F_PATH, "is empty");
	pv = cv_field(c, F_PARTITION_VALUES_PARSED);
	if (parquet_value_is_null(cv_field(c, F_PARTITION_VALUES)) &&
	    !parquet_value_is_null(pv)) {
		struct jsonw	 w;

		if (!flat_struct(pv))
			return cv_bad(c, F_PARTITION_VALUES_PARSED, "must be a "
			    "struct of single values");
		buf_reset(c->tmp);
		jsonw_init(&w, c->tmp);
		parquet_value_json(&w, pv, PARQUET_VALUE_PARTITION);
		x->partition_values = arena_strndup(c->a, buf_str(c->tmp),
		    c->tmp->len);
	} else if (cv_map(c, F_PARTITION_VALUES, !rm, "{}",
	    &x->partition_values) == -1)
		return -1;
	if (cv_i64(c, F_SIZE, !rm, 0, INT64_MAX, &x->size) == -1 ||
	    cv_i64(c, F_MODIFICATION_TIME, add, INT64_MIN, INT64_MAX,
	    &x->modification_time) == -1 ||
	    cv_bool(c, F_DATA_CHANGE, !rm, &x->data_change) == -1 ||
	    cv_str(c, F_STATS, false, &x->stats) == -1 ||
	    cv_map(c, F_TAGS, false, NULL, &x->tags) == -1 ||
	    cv_i64(c, F_BASE_ROW_ID, false, 0, INT64_MAX, &x->base_row_id) ==
	    -1 || cv_i64(c, F_DEFAULT_ROW_COMMIT_VERSION, false, 0, INT64_MAX,
	    &x->default_row_commit_version) == -1)
		return -1;
	if (x->stats == NULL && (stats = stats_text(cv_field(c,
	    F_STATS_PARSED), sc, &len)) != NULL) {
		x->stats = arena_strndup(c->a, stats, len);
		free(stats);
	}
	if (rm && (cv_i64(c, F_DELETION_TIMESTAMP, false, INT64_MIN,
	    INT64_MAX, &x->deletion_timestamp) == -1 ||
	    cv_bool(c, F_EXTENDED_FILE_METADATA, false,
	    &x->extended_file_metadata) == -1))
		return -1;
	return cv_dv(c, &x->dv);
}

/* --- rows ------------------------------------------------------------------ */

/* The fields of an add or remove that file_action() reads. */
#define FILE_FIELDS	(F_EXTENDED_FILE_METADATA + 1)

/*
 * Has every row with the action field (add or remove) its stats, by the
 * column chunk statistics: the same count of non-null paths and stats
 * in every row group?  Then stats_parsed, which only stands in for a
 * missing stats, need not be read.  Every action has a path (a row
 * without one is an error), so equal counts mean the same rows.
 */
static bool
stats_everywhere(struct parquet_read *r, const char *field, struct arena *a)
{
	const struct parquet_meta	*m = parquet_read_meta(r);
	const struct parquet_meta_node	*p, *st;
	const struct parquet_meta_chunk	*cp, *cs;
	size_t				 g;

	p = parquet_read_lookup(r, arena_printf(a, "%s.path", field));
	st = parquet_read_lookup(r, arena_printf(a, "%s.stats", field));
	if (p == NULL || st == NULL || p->shape != PARQUET_SHAPE_LEAF ||
	    st->shape != PARQUET_SHAPE_LEAF || p->max_rep != 0 ||
	    st->max_rep != 0)
		return false;
	for (g = 0; g < m->nrow_groups; g++) {
		cp = &m->row_groups[g].chunks[p->col];
		cs = &m->row_groups[g].chunks[st->col];
		if (!cp->has_stats || !cp->stats.has_null_count ||
		    !cs->has_stats || !cs->stats.has_null_count ||
		    cp->num_values - cp->stats.null_count !=
		    cs->num_values - cs->stats.null_count)
			return false;
	}
	return true;
}

/*
 * The projection: the wanted actions; of adds and removes without their
 * JSON text, only the fields file_action() reads (unless the file has
 * no path column for them: then all, and the rows fail as they should);
 * never a stats_parsed that no row needs.  1 when none of the wanted
 * actions is in the file.
 */
static int
select_fields(struct parquet_read *r, unsigned want, struct arena *a,
    struct err *e)
{
	const char	*paths[NACTIONS * (FILE_FIELDS + 1)];
	const char	*f;
	size_t		 i, k, n = 0;
	bool		 file;

	for (i = 0; i < NACTIONS; i++) {
		if (!(want & DELTA_WANT(actions[i].kind)))
			continue;
		f = actions[i].field;
		file = actions[i].kind == DELTA_ADD ||
		    actions[i].kind == DELTA_REMOVE;
		if (!file || (want & DELTA_WANT_RAW) ||
		    parquet_read_lookup(r, arena_printf(a, "%s.path", f)) ==
		    NULL)
			paths[n++] = f;
		else
			for (k = 0; k < FILE_FIELDS; k++)
				paths[n++] = arena_printf(a, "%s.%s", f,
				    fld_names[k]);
		if (file && stats_everywhere(r, f, a))
			paths[n++] = arena_printf(a, "-%s.stats_parsed", f);
	}
	if (n == 0)
		return 0;
	if (parquet_read_select(r, paths, n, e) == -1)
		return 1;	/* none of them in this file */
	return 0;
}

/* The JSON line of the action f, {"field":{...}}, into line. */
static int
row_json(const struct parquet_value *f, const char *field, const char *key,
    struct schema *sc, struct buf *line, struct err *e)
{
	struct jsonw	 w;

	buf_reset(line);
	jsonw_init(&w, line);
	jsonw_obj_open(&w);
	jsonw_key(&w, field);
	action_json(&w, f, sc);
	jsonw_obj_close(&w);
	if (line->overflow)
		return err_set(e, ERR_UPSTREAM, "%s: a row is larger than %zu "
		    "bytes", key, ROW_MAX);
	return 0;
}

/* Reading the rows of one part or sidecar. */
struct rowread {
	const char		*key;		/* its name, for errors */
	unsigned		 want;
	struct schema		*sc;
	struct arena		*scratch;	/* per action */
	struct buf		 line;		/* an action's JSON */
	struct buf		 tmp;		/* map text */
	struct fslot		 cache[NACTIONS][F__MAX];
};

/* One wanted action of a row into act (in the scratch arena). */
static int
row_action(struct rowread *rr, const struct parquet_value *f, size_t i,
    struct delta_action *act, struct err *e)
{
	struct conv	 c = { f, actions[i].field, rr->scratch, e,
			    rr->cache[i], &rr->tmp };
	bool		 file = actions[i].kind == DELTA_ADD ||
			    actions[i].kind == DELTA_REMOVE;
	bool		 raw = (rr->want & DELTA_WANT_RAW) != 0;

	if (!file || raw) {
		if (row_json(f, actions[i].field, rr->key, rr->sc, &rr->line,
		    e) == -1)
			return -1;
		if (!file)
			return delta_action_parse(rr->scratch,
			    buf_str(&rr->line), rr->line.len, act, e);
	}
	memset(act, 0, sizeof(*act));
	act->kind = actions[i].kind;
	if (raw) {
		/* The value of the action key: the line without {"add": }. */
		act->rawlen = rr->line.len - strlen(actions[i].field) - 5;
		act->raw = arena_strndup(rr->scratch, buf_str(&rr->line) +
		    strlen(actions[i].field) + 4, act->rawlen);
	}
	return file_action(&c, act->kind, rr->sc, &act->u.file);
}

static int
rows(struct parquet_read *r, struct rowread *rr, delta_action_fn fn,
    void *ctx, struct err *e)
{
	const struct parquet_value	*row, *f;
	struct delta_action		 act;
	size_t				 i;
	int				 more, rc;

	while ((more = parquet_read_next(r, &row, e)) == 1) {
		for (i = 0; i < NACTIONS; i++) {
			if (!(rr->want & DELTA_WANT(actions[i].kind)) ||
			    (f = parquet_value_get(row, actions[i].field)) ==
			    NULL || parquet_value_is_null(f))
				continue;
			arena_reset(rr->scratch);
			if (row_action(rr, f, i, &act, e) == -1 ||
			    (rc = fn(ctx, &act, e)) == -1) {
				struct err inner = *e;

				return err_set(e, inner.kind, "%s: %s",
				    rr->key, inner.msg);
			}
			if (rc == DELTA_STOP)
				return DELTA_STOP;
		}
	}
	if (more == -1) {
		struct err inner = *e;

		return err_set(e, inner.kind == ERR_INTERNAL ? ERR_UPSTREAM :
		    inner.kind, "%s: %s", rr->key, inner.msg);
	}
	return 0;
}

int
delta_checkpoint_pq_rows(struct parquet_read *r, const char *name,
    unsigned want, const char *schema_string, struct arena *a,
    delta_action_fn fn, void *ctx, struct err *e)
{
	struct schema		 sc = { schema_string, a, false, NULL };
	struct rowread		*rr;
	int			 rc;

	rr = xcalloc(1, sizeof(*rr));
	rr->key = name;
	rr->want = want;
	rr->sc = &sc;
	rr->scratch = arena_new();
	buf_init(&rr->line, ROW_MAX);
	buf_init(&rr->tmp, 0);
	/* 1: none of the wanted actions in this file. */
	rc = select_fields(r, want, rr->scratch, e) == 1 ? 0 :
	    rows(r, rr, fn, ctx, e);
	buf_release(&rr->line);
	buf_release(&rr->tmp);
	arena_free(rr->scratch);
	free(rr);
	return rc;
}

int
delta_checkpoint_pq_read(struct delta_table *t, const char *key,
    unsigned want, const char *schema_string, delta_action_fn fn, void *ctx,
    struct err *e)
{
	struct storage_entry	 se;
	struct pqsrc		 ps = { t->st, key };
	struct parquet_read_source src;
	struct parquet_read	*r;
	int			 rc;

	if (storage_stat(t->st, key, &se, t->a, e) == -1)
		return -1;
	src.size = se.size;
	src.read = src_read;
	src.ctx = &ps;
	if ((r = parquet_read_open(&src, NULL, e)) == NULL) {
		struct err inner = *e;

		return err_set(e, inner.kind == ERR_INTERNAL ? ERR_UPSTREAM :
		    inner.kind, "%s: %s", key, inner.msg);
	}
	rc = delta_checkpoint_pq_rows(r, key, want, schema_string, t->a, fn,
	    ctx, e);
	parquet_read_free(r);
	return rc;
}
