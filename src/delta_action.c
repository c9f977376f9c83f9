/*
 * delta_action.c: the JSON lines of Delta commits and JSON checkpoints
 * as struct delta_action (see delta_action.h).
 *
 * Each line is checked three ways before any field is read: UTF-8
 * (str_utf8_valid), strict RFC 8259 syntax with a depth limit
 * (jsonv_check), then parsed by json-c with one tokener reused across
 * the lines of a file -- except lines that are only an add, remove or
 * cdc (nearly all of a log), whose fields are read from the checked
 * text directly (see "without json-c" below), with the same rules.
 * json-c gives the typed fields; a small scanner over the same (already
 * validated) text gives the byte spans of the
 * values kept as JSON text (the action itself, partitionValues, tags,
 * configuration, format options, operationMetrics), so they are copied,
 * never re-serialised.  The scanner also counts members, and a count
 * that differs from json-c's means a duplicate key: refused, so the raw
 * text and the parsed fields cannot disagree.
 *
 * Nothing is kept between lines but the tokener; every string lives in
 * the caller's arena.
 */
#include "config.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "delta_action.h"
#include "delta_dv.h"
#include "err.h"
#include "jsonv.h"
#include "strutil.h"

#define DEPTH		32	/* nesting allowed in one line */
#define NWANT		4	/* spans looked for in one object */

/* A byte range of the line. */
struct span {
	const char	*p;
	size_t		 n;
};

/* A cursor over JSON text that jsonv_check() has accepted. */
struct scan {
	const char	*s;
	size_t		 n;
	size_t		 i;
};

/* One parse: the tokener and where results and errors go. */
struct parser {
	struct json_tokener	*tok;
	struct arena		*a;
	struct err		*e;
};

/* The fields of one JSON object, for the typed getters below. */
struct fields {
	struct json_object	*o;
	const char		*what;		/* "add", "add.deletionVector" */
	struct parser		*p;
};

/* What the scanner found of the action: its text, members, spans. */
/* A member of an object: its key (inside the quotes) and value. */
struct fmember {
	struct span	 k;
	struct span	 v;
};

/* Members of an action object that the add and remove reader takes. */
#define FAST_MAX	32

struct found {
	struct span	 raw;
	size_t		 nmembers;
	struct span	 sp[NWANT];	/* the values of the kind's want[] */
	struct fmember	*mem;		/* NULL, or room for FAST_MAX
					   members, noted as they are
					   walked */
};

/* The members each kind keeps as JSON text, found in the same pass. */
static const char *const file_want[] = { "partitionValues", "tags", NULL };
static const char *const meta_want[] = { "configuration", "format", NULL };
static const char *const info_want[] = { "operationMetrics", NULL };

static const struct {
	const char		*name;
	size_t			 len;
	enum delta_action_kind	 kind;
	const char *const	*want;
} actions[] = {
	{ "add", 3, DELTA_ADD, file_want },
	{ "remove", 6, DELTA_REMOVE, file_want },
	{ "cdc", 3, DELTA_CDC, file_want },
	{ "metaData", 8, DELTA_METADATA, meta_want },
	{ "protocol", 8, DELTA_PROTOCOL, NULL },
	{ "commitInfo", 10, DELTA_COMMIT_INFO, info_want },
	{ "txn", 3, DELTA_TXN, NULL },
	{ "domainMetadata", 14, DELTA_DOMAIN_METADATA, NULL },
	{ "checkpointMetadata", 18, DELTA_CHECKPOINT_METADATA, NULL },
	{ "sidecar", 7, DELTA_SIDECAR, NULL },
};
#define NACTIONS	(sizeof(actions) / sizeof(actions[0]))

/* --- the scanner ----------------------------------------------------- */

static void
sc_ws(struct scan *c)
{
	while (c->i < c->n && (c->s[c->i] == ' ' || c->s[c->i] == '\t' ||
	    c->s[c->i] == '\n' || c->s[c->i] == '\r'))
		c->i++;
}

/* At an opening quote: move past the closing one. */
static void
sc_string(struct scan *c)
{
	c->i++;
	for (;;) {
		c->i += str_json_plain(c->s + c->i, c->n - c->i);
		if (c->i >= c->n)
			return;
		if (c->s[c->i] == '"') {
			c->i++;
			return;
		}
		/* A backslash (checked text has no control character). */
		c->i += c->s[c->i] == '\\' ? 2 : 1;
	}
}

static bool
ends_scalar(char ch)
{
	switch (ch) {
	case ',': case '}': case ']': case ' ': case '\t': case '\r':
	case '\n':
		return true;
	default:
		return false;
	}
}

/* Move past one value of any kind. */
static void
sc_value(struct scan *c)
{
	int	 depth = 0;
	char	 ch;

	do {
		if (c->i >= c->n)
			return;
		ch = c->s[c->i];
		if (ch == '"')
			sc_string(c);
		else if (ch == '{' || ch == '[') {
			depth++;
			c->i++;
		} else if (ch == '}' || ch == ']') {
			depth--;
			c->i++;
		} else if (depth == 0) {
			/* A number or a literal. */
			while (c->i < c->n && !ends_scalar(c->s[c->i]))
				c->i++;
			return;
		} else
			c->i++;
	} while (depth > 0);
}

/* Enter the object at the cursor; false if it is not one. */
static bool
sc_object(struct scan *c)
{
	sc_ws(c);
	if (c->i >= c->n || c->s[c->i] != '{')
		return false;
	c->i++;
	return true;
}

/* The next member's key, the cursor left at its value. */
static bool
sc_key(struct scan *c, struct span *key)
{
	size_t	 start;

	sc_ws(c);
	if (c->i < c->n && c->s[c->i] == ',') {
		c->i++;
		sc_ws(c);
	}
	if (c->i >= c->n || c->s[c->i] != '"')
		return false;
	start = c->i + 1;
	sc_string(c);
	key->p = c->s + start;
	key->n = c->i - start - 1;
	sc_ws(c);
	c->i++;				/* the colon */
	sc_ws(c);
	return true;
}

/* The next member of the object: its key (inside the quotes), value. */
static bool
sc_member(struct scan *c, struct span *key, struct span *val)
{
	size_t	 start;

	if (!sc_key(c, key))
		return false;
	start = c->i;
	sc_value(c);
	val->p = c->s + start;
	val->n = c->i - start;
	return true;
}

/* Four hex digits, or -1. */
static long
hex4(const char *s)
{
	long	 v = 0;
	int	 k;

	for (k = 0; k < 4; k++) {
		v <<= 4;
		if (s[k] >= '0' && s[k] <= '9')
			v |= s[k] - '0';
		else if (s[k] >= 'a' && s[k] <= 'f')
			v |= s[k] - 'a' + 10;
		else if (s[k] >= 'A' && s[k] <= 'F')
			v |= s[k] - 'A' + 10;
		else
			return -1;
	}
	return v;
}

/*
 * Unescape a key into out (outsz bytes) as far as ASCII goes: the names
 * compared against are ASCII, so a key holding anything else, or longer
 * than out, is reported as matching nothing (0).
 */
static size_t
key_ascii(const struct span *k, char *out, size_t outsz)
{
	size_t	 i, o = 0;
	long	 cp;
	char	 ch;

	for (i = 0; i < k->n; i++) {
		if (o + 1 >= outsz)
			return 0;
		if ((ch = k->p[i]) != '\\') {
			out[o++] = ch;
			continue;
		}
		if (++i >= k->n)
			return 0;
		switch (k->p[i]) {
		case 'b': ch = '\b'; break;
		case 'f': ch = '\f'; break;
		case 'n': ch = '\n'; break;
		case 'r': ch = '\r'; break;
		case 't': ch = '\t'; break;
		case 'u':
			if (i + 4 >= k->n || (cp = hex4(k->p + i + 1)) < 1 ||
			    cp > 0x7f)
				return 0;
			ch = (char)cp;
			i += 4;
			break;
		default:
			ch = k->p[i];
			break;
		}
		out[o++] = ch;
	}
	return o;
}

static bool
key_is(const struct span *k, const char *name, size_t len)
{
	char	 buf[32];

	if (k->n == len && memcmp(k->p, name, len) == 0)
		return true;
	/* Names have no backslash; an escaped key is longer than it reads. */
	if (k->n <= len || memchr(k->p, '\\', k->n) == NULL)
		return false;
	return key_ascii(k, buf, sizeof(buf)) == len &&
	    memcmp(buf, name, len) == 0;
}

/*
 * Walk the object at the cursor, leaving the cursor after it: count its
 * members and note the values of the keys in want[] (their spans stay
 * NULL when absent) and, when mem is not NULL, the first FAST_MAX
 * members.
 */
static size_t
sc_members(struct scan *c, const char *const *want, struct span *got,
    struct fmember *mem)
{
	struct span	 k = { NULL, 0 }, val = { NULL, 0 };
	size_t		 n = 0, w, nw = 0, len[NWANT];

	for (w = 0; want != NULL && want[w] != NULL && w < NWANT; w++) {
		got[w].p = NULL;
		len[w] = strlen(want[w]);
		nw = w + 1;
	}
	if (!sc_object(c))
		return 0;
	while (sc_member(c, &k, &val)) {
		if (mem != NULL && n < FAST_MAX) {
			mem[n].k = k;
			mem[n].v = val;
		}
		n++;
		for (w = 0; w < nw; w++)
			if (key_is(&k, want[w], len[w])) {
				got[w] = val;
				break;
			}
	}
	sc_ws(c);
	if (c->i < c->n && c->s[c->i] == '}')
		c->i++;
	return n;
}

/* sc_members() on the object text v. */
static size_t
members(const struct span *v, const char *const *want, struct span *got)
{
	struct scan	 c = { v->p, v->n, 0 };

	return sc_members(&c, want, got, NULL);
}

/* --- errors and typed getters ------------------------------------------ */

/* Put "what: " before the message already in e. */
static int
prefixed(struct err *e, const char *what)
{
	char	 msg[sizeof(e->msg)];

	snprintf(msg, sizeof(msg), "%s", e->msg);
	return err_set(e, e->kind, "%s: %s", what, msg);
}

static int
bad(struct fields *f, const char *key, const char *why)
{
	return err_set(f->p->e, ERR_UPSTREAM, "%s: '%s' %s", f->what, key,
	    why);
}

/*
 * Look key up: 1 when present with type t, 0 when absent or null (an
 * error if required), -1 on a missing required field or a wrong type.
 */
static int
get(struct fields *f, const char *key, bool required, enum json_type t,
    struct json_object **v)
{
	if (!json_object_object_get_ex(f->o, key, v) || *v == NULL) {
		if (required)
			return err_set(f->p->e, ERR_UPSTREAM, "%s: missing '%s'",
			    f->what, key);
		return 0;
	}
	if (!json_object_is_type(*v, t)) {
		switch (t) {
		case json_type_string:
			return bad(f, key, "must be a string");
		case json_type_int:
			return bad(f, key, "must be an integer");
		case json_type_boolean:
			return bad(f, key, "must be true or false");
		case json_type_array:
			return bad(f, key, "must be an array");
		default:
			return bad(f, key, "must be an object");
		}
	}
	return 1;
}

/* A string, copied into the arena; *out is NULL when absent. */
static int
get_str(struct fields *f, const char *key, bool required, const char **out)
{
	struct json_object	*v;
	int			 rc;

	*out = NULL;
	if ((rc = get(f, key, required, json_type_string, &v)) <= 0)
		return rc;
	*out = arena_strndup(f->p->a, json_object_get_string(v),
	    (size_t)json_object_get_string_len(v));
	return 0;
}

/* An integer in [min, max]; *out is left alone when absent. */
static int
get_i64(struct fields *f, const char *key, bool required, int64_t min,
    int64_t max, int64_t *out)
{
	struct json_object	*v;
	int64_t			 n;
	int			 rc;

	if ((rc = get(f, key, required, json_type_int, &v)) <= 0)
		return rc;
	/* json-c clamps what does not fit to INT64_MIN or INT64_MAX. */
	n = json_object_get_int64(v);
	if (n < min || n > max || n == INT64_MAX || n == INT64_MIN)
		return bad(f, key, "is out of range");
	*out = n;
	return 0;
}

static int
get_bool(struct fields *f, const char *key, bool required, bool *out)
{
	struct json_object	*v;
	int			 rc;

	if ((rc = get(f, key, required, json_type_boolean, &v)) <= 0)
		return rc;
	*out = json_object_get_boolean(v) != 0;
	return 0;
}

/* An array of strings; *v is NULL when absent. */
static int
get_strv(struct fields *f, const char *key, bool required, const char ***v,
    size_t *n)
{
	struct json_object	*arr, *s;
	const char		**out;
	size_t			 i, len;
	int			 rc;

	*v = NULL;
	*n = 0;
	if ((rc = get(f, key, required, json_type_array, &arr)) <= 0)
		return rc;
	len = json_object_array_length(arr);
	out = arena_calloc(f->p->a, len + 1, sizeof(*out));
	for (i = 0; i < len; i++) {
		s = json_object_array_get_idx(arr, i);
		if (s == NULL || !json_object_is_type(s, json_type_string))
			return bad(f, key, "must hold strings only");
		out[i] = arena_strndup(f->p->a, json_object_get_string(s),
		    (size_t)json_object_get_string_len(s));
	}
	*v = out;
	*n = len;
	return 0;
}

/*
 * A map of strings (values may be null when nulls): its JSON text, from
 * the span sp, into *out; *out is dflt when absent or null.
 */
static int
get_map(struct fields *f, const char *key, bool required, bool nulls,
    const struct span *sp, const char *dflt, const char **out)
{
	struct json_object	*m;
	int			 rc;

	*out = dflt;
	if ((rc = get(f, key, required, json_type_object, &m)) <= 0)
		return rc;
	json_object_object_foreach(m, k, val) {
		(void)k;
		if (val == NULL ? !nulls :
		    !json_object_is_type(val, json_type_string))
			return bad(f, key, nulls ? "must map to strings or "
			    "null" : "must map to strings");
	}
	if (sp->p == NULL ||
	    members(sp, NULL, NULL) != (size_t)json_object_object_length(m))
		return bad(f, key, "has a duplicate key");
	*out = arena_strndup(f->p->a, sp->p, sp->n);
	return 0;
}

/* --- the actions ---------------------------------------------------- */

static int
parse_dv(struct fields *file, struct delta_dv *dv)
{
	struct fields		 f = { NULL, NULL, file->p };
	const char		*type;
	int64_t			 v;
	int			 rc;

	if ((rc = get(file, "deletionVector", false, json_type_object,
	    &f.o)) <= 0)
		return rc;
	f.what = arena_printf(file->p->a, "%s.deletionVector", file->what);
	if (get_str(&f, "storageType", true, &type) == -1)
		return -1;
	if (strlen(type) != 1)
		return bad(&f, "storageType", "must be one character");
	dv->storage_type = type[0];
	if (get_str(&f, "pathOrInlineDv", true, &dv->path_or_inline) == -1)
		return -1;
	v = -1;
	if (get_i64(&f, "offset", false, 0, INT32_MAX, &v) == -1)
		return -1;
	dv->offset = (int32_t)v;
	if (get_i64(&f, "sizeInBytes", true, 0, INT32_MAX, &v) == -1)
		return -1;
	dv->size = (int32_t)v;
	if (get_i64(&f, "cardinality", true, 0, INT64_MAX, &dv->cardinality)
	    == -1 || get_i64(&f, "maxRowIndex", false, 0, INT64_MAX,
	    &dv->max_row_index) == -1)
		return -1;
	if (delta_dv_validate(dv, file->p->e) == -1)
		return prefixed(file->p->e, file->what);
	return 0;
}

/* add, remove and cdc. */
static int
parse_file(struct fields *f, enum delta_action_kind kind,
    const struct found *fd, struct delta_file *x)
{
	const struct span	*sp = fd->sp;
	bool			 add = kind == DELTA_ADD;
	bool			 rm = kind == DELTA_REMOVE;

	x->size = x->modification_time = x->deletion_timestamp = -1;
	x->base_row_id = x->default_row_commit_version = -1;
	x->dv.offset = -1;
	x->dv.max_row_index = -1;
	/* A remove without dataChange: Spark reads it as true. */
	x->data_change = rm;
	if (get_str(f, "path", true, &x->path) == -1)
		return -1;
	if (x->path[0] == '\0')
		return bad(f, "path", "is empty");
	if (get_map(f, "partitionValues", !rm, true, &sp[0], "{}",
	    &x->partition_values) == -1 ||
	    get_i64(f, "size", !rm, 0, INT64_MAX, &x->size) == -1 ||
	    get_i64(f, "modificationTime", add, INT64_MIN, INT64_MAX,
	    &x->modification_time) == -1 ||
	    get_bool(f, "dataChange", !rm, &x->data_change) == -1 ||
	    get_str(f, "stats", false, &x->stats) == -1 ||
	    get_map(f, "tags", false, true, &sp[1], NULL, &x->tags) == -1 ||
	    get_i64(f, "baseRowId", false, 0, INT64_MAX, &x->base_row_id) ==
	    -1 || get_i64(f, "defaultRowCommitVersion", false, 0, INT64_MAX,
	    &x->default_row_commit_version) == -1)
		return -1;
	if (rm && (get_i64(f, "deletionTimestamp", false, INT64_MIN,
	    INT64_MAX, &x->deletion_timestamp) == -1 ||
	    get_bool(f, "extendedFileMetadata", false,
	    &x->extended_file_metadata) == -1))
		return -1;
	return parse_dv(f, &x->dv);
}

static int
parse_format(struct fields *meta, const struct span *raw,
    struct delta_metadata *m)
{
	static const char *const want[] = { "options", NULL };
	struct fields	 f = { NULL, NULL, meta->p };
	struct span	 sp[NWANT];

	if (get(meta, "format", true, json_type_object, &f.o) == -1)
		return -1;
	f.what = "metaData.format";
	if (raw->p == NULL || members(raw, want, sp) !=
	    (size_t)json_object_object_length(f.o))
		return bad(meta, "format", "has a duplicate key");
	if (get_str(&f, "provider", true, &m->format_provider) == -1)
		return -1;
	return get_map(&f, "options", false, true, &sp[0], "{}",
	    &m->format_options);
}

static int
parse_metadata(struct fields *f, const struct found *fd,
    struct delta_metadata *m)
{
	const struct span	*sp = fd->sp;

	m->created_time = -1;
	/*
	 * schemaString is required by the protocol, yet old logs have a
	 * first metaData without one (replaced by the next): NULL here,
	 * and replay refuses a snapshot whose metadata has none.
	 */
	if (get_str(f, "id", true, &m->id) == -1 ||
	    get_str(f, "name", false, &m->name) == -1 ||
	    get_str(f, "description", false, &m->description) == -1 ||
	    parse_format(f, &sp[1], m) == -1 ||
	    get_str(f, "schemaString", false, &m->schema_string) == -1 ||
	    get_strv(f, "partitionColumns", true, &m->partition_columns,
	    &m->n_partition_columns) == -1 ||
	    get_map(f, "configuration", false, false, &sp[0], "{}",
	    &m->configuration) == -1 ||
	    get_i64(f, "createdTime", false, INT64_MIN, INT64_MAX,
	    &m->created_time) == -1)
		return -1;
	return 0;
}

static int
parse_protocol(struct fields *f, struct delta_protocol *p)
{
	int64_t	 r = 0, w = 0;

	if (get_i64(f, "minReaderVersion", true, 1, INT_MAX, &r) == -1 ||
	    get_i64(f, "minWriterVersion", true, 1, INT_MAX, &w) == -1 ||
	    get_strv(f, "readerFeatures", false, &p->reader_features,
	    &p->n_reader_features) == -1 ||
	    get_strv(f, "writerFeatures", false, &p->writer_features,
	    &p->n_writer_features) == -1)
		return -1;
	p->min_reader = (int)r;
	p->min_writer = (int)w;
	return 0;
}

/*
 * commitInfo is free-form ("implementations are free to store any valid
 * JSON"): fields of another type are ignored, except inCommitTimestamp,
 * on which commit times rest.
 */
static int
parse_commit_info(struct fields *f, const struct found *fd,
    struct delta_commit_info *c)
{
	const struct span	*sp = fd->sp;
	struct json_object	*v;

	c->timestamp = c->in_commit_timestamp = -1;
	if (get_i64(f, "inCommitTimestamp", false, 0, INT64_MAX,
	    &c->in_commit_timestamp) == -1)
		return -1;
	if (json_object_object_get_ex(f->o, "timestamp", &v) &&
	    json_object_is_type(v, json_type_int))
		c->timestamp = json_object_get_int64(v);
	if (json_object_object_get_ex(f->o, "operation", &v) &&
	    json_object_is_type(v, json_type_string))
		c->operation = arena_strndup(f->p->a,
		    json_object_get_string(v),
		    (size_t)json_object_get_string_len(v));
	if (json_object_object_get_ex(f->o, "operationMetrics", &v) &&
	    json_object_is_type(v, json_type_object) && sp[0].p != NULL)
		c->operation_metrics = arena_strndup(f->p->a, sp[0].p,
		    sp[0].n);
	return 0;
}

static int
parse_other(struct fields *f, enum delta_action_kind kind,
    struct delta_action *act)
{
	switch (kind) {
	case DELTA_TXN:
		act->u.txn.last_updated = -1;
		return get_str(f, "appId", true, &act->u.txn.app_id) == -1 ||
		    get_i64(f, "version", true, INT64_MIN, INT64_MAX,
		    &act->u.txn.version) == -1 ||
		    get_i64(f, "lastUpdated", false, INT64_MIN, INT64_MAX,
		    &act->u.txn.last_updated) == -1 ? -1 : 0;
	case DELTA_DOMAIN_METADATA:
		return get_str(f, "domain", true, &act->u.domain.domain) ==
		    -1 || get_str(f, "configuration", true,
		    &act->u.domain.configuration) == -1 ||
		    get_bool(f, "removed", true, &act->u.domain.removed) ==
		    -1 ? -1 : 0;
	case DELTA_CHECKPOINT_METADATA:
		return get_i64(f, "version", true, 0, INT64_MAX,
		    &act->u.checkpoint_version);
	case DELTA_SIDECAR:
		if (get_str(f, "path", true, &act->u.sidecar.path) == -1 ||
		    get_i64(f, "sizeInBytes", true, 0, INT64_MAX,
		    &act->u.sidecar.size) == -1 ||
		    get_i64(f, "modificationTime", true, INT64_MIN, INT64_MAX,
		    &act->u.sidecar.modification_time) == -1)
			return -1;
		if (act->u.sidecar.path[0] == '\0')
			return bad(f, "path", "is empty");
		return 0;
	default:
		return err_set(f->p->e, ERR_INTERNAL, "unexpected action kind");
	}
}

static int
parse_kind(struct fields *f, enum delta_action_kind kind,
    const struct found *fd, struct delta_action *act)
{
	if (fd->nmembers != (size_t)json_object_object_length(f->o))
		return err_set(f->p->e, ERR_UPSTREAM, "%s: duplicate key",
		    f->what);
	switch (kind) {
	case DELTA_ADD:
	case DELTA_REMOVE:
	case DELTA_CDC:
		return parse_file(f, kind, fd, &act->u.file);
	case DELTA_METADATA:
		return parse_metadata(f, fd, &act->u.metadata);
	case DELTA_PROTOCOL:
		return parse_protocol(f, &act->u.protocol);
	case DELTA_COMMIT_INFO:
		return parse_commit_info(f, fd, &act->u.commit_info);
	default:
		return parse_other(f, kind, act);
	}
}

/* --- add, remove and cdc without json-c -------------------------------- */

/*
 * The bulk of a log is add and remove lines: they are read straight
 * from the checked text, member by member, with the rules and messages
 * of the json-c readers above (a duplicate key in the action is an
 * error, in the deletion vector the last one counts, as json-c has it).
 * What this path does not take (FAST_NO: a line with keys beside the
 * action, an object of more than FAST_MAX members, keys escaped past
 * KEY_MAX bytes) goes through json-c.
 */
#define KEY_MAX		64
#define FAST_NO		(-2)

enum jtype { J_NULL, J_STR, J_OBJ, J_ARR, J_BOOL, J_INT, J_DOUBLE };

/* An object's members, for the typed getters below. */
struct fobj {
	struct fmember	 m[FAST_MAX];
	size_t		 n;
	const char	*what;
	struct parser	*p;
};

/* The type of the value text v (checked by jsonv_check()). */
static enum jtype
jtype(const struct span *v)
{
	switch (v->p[0]) {
	case '"':
		return J_STR;
	case '{':
		return J_OBJ;
	case '[':
		return J_ARR;
	case 't':
	case 'f':
		return J_BOOL;
	case 'n':
		return J_NULL;
	default:
		/* json-c: a number with a fraction or exponent is a double. */
		return memchr(v->p, '.', v->n) != NULL ||
		    memchr(v->p, 'e', v->n) != NULL ||
		    memchr(v->p, 'E', v->n) != NULL ? J_DOUBLE : J_INT;
	}
}

/*
 * Decode the body of a checked JSON string, s[0..n), into out (room for
 * n + 1 bytes: no escape decodes longer than it is); its length.
 */
static size_t
unescape(const char *s, size_t n, char *out)
{
	const char	*q, *end = s + n;
	size_t		 o = 0;
	long		 cp, lo;

	while ((q = memchr(s, '\\', (size_t)(end - s))) != NULL) {
		memcpy(out + o, s, (size_t)(q - s));
		o += (size_t)(q - s);
		switch (q[1]) {
		case 'b': out[o++] = '\b'; break;
		case 'f': out[o++] = '\f'; break;
		case 'n': out[o++] = '\n'; break;
		case 'r': out[o++] = '\r'; break;
		case 't': out[o++] = '\t'; break;
		case 'u':
			cp = hex4(q + 2);
			if (cp >= 0xd800 && cp <= 0xdbff) {
				/* The checker saw its low half follow. */
				lo = hex4(q + 8);
				cp = 0x10000 + ((cp - 0xd800) << 10) +
				    (lo - 0xdc00);
				q += 6;
			}
			o += str_utf8_put(out + o, (uint32_t)cp);
			q += 4;
			break;
		default:
			out[o++] = q[1];
			break;
		}
		s = q + 2;
	}
	memcpy(out + o, s, (size_t)(end - s));
	o += (size_t)(end - s);
	out[o] = '\0';
	return o;
}

/* The string value v (with its quotes) decoded into the arena. */
static const char *
fstring(struct arena *a, const struct span *v)
{
	char	*out;

	if (memchr(v->p, '\\', v->n) == NULL)
		return arena_strndup(a, v->p + 1, v->n - 2);
	out = arena_alloc(a, v->n);
	unescape(v->p + 1, v->n - 2, out);
	return out;
}

/* Are two keys the same once decoded?  FAST_NO when one is too long. */
static int
key_same(const struct span *a, const struct span *b)
{
	char	 x[KEY_MAX + 1], y[KEY_MAX + 1];
	size_t	 nx, ny;

	if (memchr(a->p, '\\', a->n) == NULL &&
	    memchr(b->p, '\\', b->n) == NULL)
		return a->n == b->n && memcmp(a->p, b->p, a->n) == 0;
	if (a->n > KEY_MAX || b->n > KEY_MAX)
		return FAST_NO;
	nx = unescape(a->p, a->n, x);
	ny = unescape(b->p, b->n, y);
	return nx == ny && memcmp(x, y, nx) == 0;
}

/*
 * Does member i have the key of a later one (dup: of any other)?  1, 0,
 * or FAST_NO.
 */
static int
later_same(const struct fobj *o, size_t i)
{
	size_t	 j;
	int	 rc;

	for (j = i + 1; j < o->n; j++)
		if ((rc = key_same(&o->m[i].k, &o->m[j].k)) != 0)
			return rc;
	return 0;
}

/* Load the members of the object text v: 0, or FAST_NO if too many. */
static int
fobj_load(struct fobj *o, const struct span *v)
{
	struct scan	 c = { v->p, v->n, 0 };
	struct fmember	 mb;

	o->n = 0;
	if (!sc_object(&c))
		return FAST_NO;
	while (sc_member(&c, &mb.k, &mb.v)) {
		if (o->n == FAST_MAX)
			return FAST_NO;
		o->m[o->n++] = mb;
	}
	return 0;
}

static int
fbad(struct fobj *o, const char *key, const char *why)
{
	return err_set(o->p->e, ERR_UPSTREAM, "%s: '%s' %s", o->what, key,
	    why);
}

/* As get(): 1 when present as type t, 0 when absent or null, or -1. */
static int
fget(struct fobj *o, const char *key, bool required, enum jtype t,
    const struct span **v)
{
	size_t	 i, len = strlen(key);

	*v = NULL;
	for (i = o->n; i > 0 && *v == NULL; i--)
		if (key_is(&o->m[i - 1].k, key, len))
			*v = &o->m[i - 1].v;
	if (*v == NULL || jtype(*v) == J_NULL) {
		if (required)
			return err_set(o->p->e, ERR_UPSTREAM, "%s: missing "
			    "'%s'", o->what, key);
		return 0;
	}
	if (jtype(*v) == t)
		return 1;
	switch (t) {
	case J_STR:
		return fbad(o, key, "must be a string");
	case J_INT:
		return fbad(o, key, "must be an integer");
	case J_BOOL:
		return fbad(o, key, "must be true or false");
	default:
		return fbad(o, key, "must be an object");
	}
}

static int
fget_str(struct fobj *o, const char *key, bool required, const char **out)
{
	const struct span	*v;
	int			 rc;

	*out = NULL;
	if ((rc = fget(o, key, required, J_STR, &v)) <= 0)
		return rc;
	*out = fstring(o->p->a, v);
	return 0;
}

/*
 * An integer in [min, max], as json-c reads it: saturated at the ends of
 * int64, which are then out of range too.
 */
static int
fget_i64(struct fobj *o, const char *key, bool required, int64_t min,
    int64_t max, int64_t *out)
{
	const struct span	*v;
	uint64_t		 u = 0, d;
	size_t			 i;
	int64_t			 n;
	bool			 neg, over = false;
	int			 rc;

	if ((rc = fget(o, key, required, J_INT, &v)) <= 0)
		return rc;
	neg = v->p[0] == '-';
	for (i = neg ? 1 : 0; i < v->n; i++) {
		d = (uint64_t)(v->p[i] - '0');
		if (u > (UINT64_MAX - d) / 10)
			over = true;
		else
			u = u * 10 + d;
	}
	if (neg)
		n = over || u > (uint64_t)INT64_MAX ? INT64_MIN : -(int64_t)u;
	else
		n = over || u > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)u;
	if (n < min || n > max || n == INT64_MAX || n == INT64_MIN)
		return fbad(o, key, "is out of range");
	*out = n;
	return 0;
}

static int
fget_bool(struct fobj *o, const char *key, bool required, bool *out)
{
	const struct span	*v;
	int			 rc;

	if ((rc = fget(o, key, required, J_BOOL, &v)) <= 0)
		return rc;
	*out = v->p[0] == 't';
	return 0;
}

/* As get_map(): values checked as json-c keeps them (the last of a key). */
static int
fget_map(struct fobj *o, const char *key, bool required, bool nulls,
    const char *dflt, const char **out)
{
	const struct span	*v;
	struct fobj		 mo, *m = &mo;
	enum jtype		 t;
	size_t			 i;
	int			 rc;

	*out = dflt;
	if ((rc = fget(o, key, required, J_OBJ, &v)) <= 0)
		return rc;
	if (fobj_load(m, v) == FAST_NO)
		return FAST_NO;
	for (i = 0; i < m->n; i++) {
		if ((rc = later_same(m, i)) != 0) {
			if (rc == FAST_NO)
				return FAST_NO;
			continue;
		}
		t = jtype(&m->m[i].v);
		if (t != J_STR && (t != J_NULL || !nulls))
			return fbad(o, key, nulls ? "must map to strings or "
			    "null" : "must map to strings");
	}
	for (i = 0; i < m->n; i++)
		if (later_same(m, i) == 1)
			return fbad(o, key, "has a duplicate key");
	*out = arena_strndup(o->p->a, v->p, v->n);
	return 0;
}

static int
fparse_dv(struct fobj *file, struct delta_dv *dv)
{
	const struct span	*v;
	struct fobj		 dvo, *o = &dvo;
	const char		*type;
	int64_t			 n;
	int			 rc;

	if ((rc = fget(file, "deletionVector", false, J_OBJ, &v)) <= 0)
		return rc;
	if (fobj_load(o, v) == FAST_NO)
		return FAST_NO;
	o->p = file->p;
	o->what = arena_printf(file->p->a, "%s.deletionVector", file->what);
	if (fget_str(o, "storageType", true, &type) == -1)
		return -1;
	if (strlen(type) != 1)
		return fbad(o, "storageType", "must be one character");
	dv->storage_type = type[0];
	if (fget_str(o, "pathOrInlineDv", true, &dv->path_or_inline) == -1)
		return -1;
	n = -1;
	if (fget_i64(o, "offset", false, 0, INT32_MAX, &n) == -1)
		return -1;
	dv->offset = (int32_t)n;
	if (fget_i64(o, "sizeInBytes", true, 0, INT32_MAX, &n) == -1)
		return -1;
	dv->size = (int32_t)n;
	if (fget_i64(o, "cardinality", true, 0, INT64_MAX, &dv->cardinality)
	    == -1 || fget_i64(o, "maxRowIndex", false, 0, INT64_MAX,
	    &dv->max_row_index) == -1)
		return -1;
	if (delta_dv_validate(dv, file->p->e) == -1)
		return prefixed(file->p->e, file->what);
	return 0;
}

/* As parse_file(); FAST_NO when the line must go through json-c. */
static int
fparse_file(struct fobj *f, enum delta_action_kind kind, struct delta_file *x)
{
	bool	 add = kind == DELTA_ADD;
	bool	 rm = kind == DELTA_REMOVE;
	size_t	 i;
	int	 rc;

	for (i = 0; i < f->n; i++)
		if ((rc = later_same(f, i)) != 0)
			return rc == FAST_NO ? FAST_NO : err_set(f->p->e,
			    ERR_UPSTREAM, "%s: duplicate key", f->what);
	x->size = x->modification_time = x->deletion_timestamp = -1;
	x->base_row_id = x->default_row_commit_version = -1;
	x->dv.offset = -1;
	x->dv.max_row_index = -1;
	x->data_change = rm;
	if (fget_str(f, "path", true, &x->path) == -1)
		return -1;
	if (x->path[0] == '\0')
		return fbad(f, "path", "is empty");
	if ((rc = fget_map(f, "partitionValues", !rm, true, "{}",
	    &x->partition_values)) != 0)
		return rc;
	if (fget_i64(f, "size", !rm, 0, INT64_MAX, &x->size) == -1 ||
	    fget_i64(f, "modificationTime", add, INT64_MIN, INT64_MAX,
	    &x->modification_time) == -1 ||
	    fget_bool(f, "dataChange", !rm, &x->data_change) == -1 ||
	    fget_str(f, "stats", false, &x->stats) == -1)
		return -1;
	if ((rc = fget_map(f, "tags", false, true, NULL, &x->tags)) != 0)
		return rc;
	if (fget_i64(f, "baseRowId", false, 0, INT64_MAX, &x->base_row_id) ==
	    -1 || fget_i64(f, "defaultRowCommitVersion", false, 0, INT64_MAX,
	    &x->default_row_commit_version) == -1)
		return -1;
	if (rm && (fget_i64(f, "deletionTimestamp", false, INT64_MIN,
	    INT64_MAX, &x->deletion_timestamp) == -1 ||
	    fget_bool(f, "extendedFileMetadata", false,
	    &x->extended_file_metadata) == -1))
		return -1;
	return fparse_dv(f, &x->dv);
}

/*
 * A line that is only an add, remove or cdc object, without json-c:
 * 0, -1, or FAST_NO (act is then to be read again through json-c).
 */
static int
fast_file(struct parser *p, size_t nkeys, size_t which,
    const struct found *fd, struct delta_action *act)
{
	struct fobj	 fo, *f = &fo;
	int		 rc;

	if (nkeys != 1 || which == NACTIONS ||
	    (actions[which].kind != DELTA_ADD &&
	    actions[which].kind != DELTA_REMOVE &&
	    actions[which].kind != DELTA_CDC) ||
	    fd->raw.n == 0 || fd->raw.p[0] != '{' || fd->mem == NULL ||
	    fd->nmembers > FAST_MAX)
		return FAST_NO;
	/* find_action() walked the members. */
	memcpy(f->m, fd->mem, fd->nmembers * sizeof(*f->m));
	f->n = fd->nmembers;
	f->p = p;
	f->what = actions[which].name;
	act->kind = actions[which].kind;
	if ((rc = fparse_file(f, act->kind, &act->u.file)) != 0)
		return rc;
	act->raw = arena_strndup(p->a, fd->raw.p, fd->raw.n);
	act->rawlen = fd->raw.n;
	return 0;
}

/* --- lines ------------------------------------------------------------ */

/* Syntax and encoding of a line, before json-c sees it. */
static int
check_line(const char *line, size_t len, struct err *e)
{
	const char	*why;
	size_t		 at;

	if (len > (size_t)INT_MAX - 1)
		return err_set(e, ERR_TOO_LARGE, "line too long");
	if (!str_utf8_valid(line, len))
		return err_set(e, ERR_UPSTREAM, "not valid UTF-8");
	switch (jsonv_check(line, len, DEPTH, &why, &at)) {
	case 0:
		return 0;
	case -2:
		return err_set(e, ERR_UPSTREAM, "a \\u0000 escape in the line");
	default:
		return err_set(e, ERR_UPSTREAM, "malformed JSON at byte %zu: %s",
		    at, why);
	}
}

/*
 * Which action the line holds: its kind, name and value span.  Exactly
 * one known action key; unknown keys beside it are ignored (the
 * protocol's rule for fields nobody knows), a line of unknown keys only
 * is DELTA_UNKNOWN.
 */
static int
find_action(const char *line, size_t len, size_t *nkeys, size_t *which,
    struct found *fd, struct err *e)
{
	struct scan	 c = { line, len, 0 };
	struct span	 k = { NULL, 0 };
	size_t		 a, start;
	bool		 found = false;

	*nkeys = 0;
	if (!sc_object(&c))
		return err_set(e, ERR_UPSTREAM, "a line must be a JSON object");
	while (sc_key(&c, &k)) {
		(*nkeys)++;
		for (a = 0; a < NACTIONS; a++)
			if (key_is(&k, actions[a].name, actions[a].len))
				break;
		if (a == NACTIONS) {
			sc_value(&c);
			continue;
		}
		if (found)
			return err_set(e, ERR_UPSTREAM, "two actions on one "
			    "line ('%s' and '%s')", actions[*which].name,
			    actions[a].name);
		found = true;
		*which = a;
		/* The action's members are walked in this same pass. */
		start = c.i;
		if (c.i < c.n && c.s[c.i] == '{')
			fd->nmembers = sc_members(&c, actions[a].want, fd->sp,
			    fd->mem);
		else
			sc_value(&c);
		fd->raw.p = line + start;
		fd->raw.n = c.i - start;
	}
	if (*nkeys == 0)
		return err_set(e, ERR_UPSTREAM, "an empty object, not an "
		    "action");
	if (!found)
		*which = NACTIONS;
	return 0;
}

static void
trim(const char **s, size_t *n)
{
	while (*n > 0 && strchr(" \t\r\n", (*s)[0]) != NULL) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && strchr(" \t\r\n", (*s)[*n - 1]) != NULL)
		(*n)--;
}

static int
parse_line(struct parser *p, const char *line, size_t len,
    struct delta_action *act)
{
	struct json_object	*root = NULL;
	struct fields		 f = { NULL, NULL, p };
	struct found		 fd;
	struct fmember		 mem[FAST_MAX];
	size_t			 nkeys = 0, which = NACTIONS;
	int			 rc = -1;

	memset(act, 0, sizeof(*act));
	memset(&fd, 0, sizeof(fd));
	fd.mem = mem;
	trim(&line, &len);
	if (check_line(line, len, p->e) == -1 ||
	    find_action(line, len, &nkeys, &which, &fd, p->e) == -1)
		return -1;
	if ((rc = fast_file(p, nkeys, which, &fd, act)) != FAST_NO)
		return rc;
	memset(act, 0, sizeof(*act));
	rc = -1;
	json_tokener_reset(p->tok);
	root = json_tokener_parse_ex(p->tok, line, (int)len);
	if (root == NULL ||
	    json_tokener_get_error(p->tok) != json_tokener_success ||
	    !json_object_is_type(root, json_type_object)) {
		err_set(p->e, ERR_UPSTREAM, "malformed JSON: %s",
		    json_tokener_error_desc(json_tokener_get_error(p->tok)));
		goto out;
	}
	if ((size_t)json_object_object_length(root) != nkeys) {
		err_set(p->e, ERR_UPSTREAM, "duplicate key in the line");
		goto out;
	}
	if (which == NACTIONS) {
		act->kind = DELTA_UNKNOWN;
		act->raw = arena_strndup(p->a, line, len);
		act->rawlen = len;
		rc = 0;
		goto out;
	}
	act->kind = actions[which].kind;
	f.what = actions[which].name;
	if (!json_object_object_get_ex(root, f.what, &f.o) || f.o == NULL ||
	    !json_object_is_type(f.o, json_type_object)) {
		err_set(p->e, ERR_UPSTREAM, "'%s' must be an object", f.what);
		goto out;
	}
	act->raw = arena_strndup(p->a, fd.raw.p, fd.raw.n);
	act->rawlen = fd.raw.n;
	rc = parse_kind(&f, act->kind, &fd, act);
out:
	if (root != NULL)
		json_object_put(root);
	return rc;
}

static struct json_tokener *
tokener(struct err *e)
{
	struct json_tokener	*tok;

	/* json-c counts the outermost level too. */
	if ((tok = json_tokener_new_ex(DEPTH + 1)) == NULL)
		err_set(e, ERR_INTERNAL, "cannot allocate a JSON parser");
	return tok;
}

int
delta_action_parse(struct arena *a, const char *line, size_t len,
    struct delta_action *act, struct err *e)
{
	struct parser	 p = { NULL, a, e };
	int		 rc;

	if ((p.tok = tokener(e)) == NULL)
		return -1;
	rc = parse_line(&p, line, len, act);
	json_tokener_free(p.tok);
	return rc;
}

static bool
blank(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (strchr(" \t\r", s[i]) == NULL)
			return false;
	return true;
}

int
delta_action_lines(struct arena *a, const char *buf, size_t len,
    size_t *lineno, delta_action_fn fn, void *ctx, struct err *e)
{
	struct parser		 p = { NULL, a, e };
	struct delta_action	 act;
	const char		*s = buf, *end = buf + len, *nl;
	size_t			 n;
	char			 where[32];
	int			 rc = -1;

	if ((p.tok = tokener(e)) == NULL)
		return -1;
	for (; s < end; s = nl != NULL ? nl + 1 : end) {
		++*lineno;
		nl = memchr(s, '\n', (size_t)(end - s));
		n = nl != NULL ? (size_t)(nl - s) : (size_t)(end - s);
		if (blank(s, n))
			continue;
		if (parse_line(&p, s, n, &act) == -1 ||
		    (rc = fn(ctx, &act, e)) == -1) {
			snprintf(where, sizeof(where), "line %zu", *lineno);
			prefixed(e, where);
			rc = -1;
			goto out;
		}
		if (rc == DELTA_STOP)
			goto out;
	}
	rc = 0;
out:
	json_tokener_free(p.tok);
	return rc;
}

int
delta_action_each(struct arena *a, const char *buf, size_t len,
    delta_action_fn fn, void *ctx, struct err *e)
{
	size_t	 lineno = 0;

	return delta_action_lines(a, buf, len, &lineno, fn, ctx, e);
}
