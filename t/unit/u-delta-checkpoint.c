/*
 * u-delta-checkpoint.c: the add and remove rows of Parquet checkpoints,
 * read field by field (delta_checkpoint_pq_rows): one-row checkpoints
 * made here with the Parquet writer, each with one thing right or wrong
 * (types, nulls, ranges, maps, deletion vectors, the _parsed columns,
 * annotations), checked for the action they give or the error they
 * raise; with DELTA_WANT_RAW the JSON text of the action parses to the
 * same fields.  The projection: only the fields an action needs, and
 * stats_parsed only when some add has no stats.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "delta_action.h"
#include "delta_checkpoint.h"
#include "err.h"
#include "parquet_read.h"
#include "parquet_write.h"
#include "tap.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* How one field of the add (or remove) struct is written. */
enum ftype {
	F_STR,		/* string; s NULL: null */
	F_BIN,		/* unannotated byte array */
	F_I64,
	F_U32,		/* INT(32, unsigned) holding i */
	F_DATE,		/* a DATE where an integer belongs */
	F_BOOL,
	F_MAP,		/* map<string,string>: s is "k=v,k2=,..." ("k2=": a
			   null value; s NULL: a null map) */
	F_MAPI,		/* map<string,long>: s is "k=1" */
	F_DV,		/* deletionVector: type s, path "ab", size 1, card i */
	F_PVP,		/* partitionValues_parsed { d: DATE i } */
	F_SPTS,		/* stats_parsed { numRecords: 2, minValues { ts: i } } */
	F_END
};

struct fld {
	const char	*name;
	enum ftype	 t;
	const char	*s;
	int64_t		 i;
};

#define END	{ NULL, F_END, NULL, 0 }

/* What the callback saw. */
static struct {
	int		 n;
	char		 path[256], pv[256], stats[512], raw[2048];
	int64_t		 size, mtime;
	bool		 data_change;
	char		 dv;
	bool		 has_raw;
	int		 stop_at;	/* DELTA_STOP at this action */
} got;

static struct parquet_write_leaf
leaf(enum parquet_write_type t, enum parquet_write_logical lt)
{
	struct parquet_write_leaf	 l;

	memset(&l, 0, sizeof(l));
	l.type = t;
	l.logical = lt;
	return l;
}

static void
schema_field(struct parquet_write_node *g, const struct fld *f)
{
	struct parquet_write_leaf	 l;
	struct parquet_write_node	*m, *s;

	switch (f->t) {
	case F_STR:
		parquet_write_add_string(g, f->name, PQ_OPTIONAL);
		break;
	case F_BIN:
		parquet_write_add_column(g, f->name, PQ_OPTIONAL,
		    PQ_BYTE_ARRAY);
		break;
	case F_I64:
		parquet_write_add_column(g, f->name, PQ_OPTIONAL, PQ_INT64);
		break;
	case F_U32:
		l = leaf(PQ_INT32, PQ_LT_INT);
		l.bits = 32;
		l.is_unsigned = true;
		parquet_write_add_leaf(g, f->name, PQ_OPTIONAL, &l);
		break;
	case F_DATE:
		l = leaf(PQ_INT32, PQ_LT_DATE);
		parquet_write_add_leaf(g, f->name, PQ_OPTIONAL, &l);
		break;
	case F_BOOL:
		parquet_write_add_column(g, f->name, PQ_OPTIONAL, PQ_BOOLEAN);
		break;
	case F_MAP:
	case F_MAPI:
		m = parquet_write_add_map(g, f->name, PQ_OPTIONAL);
		parquet_write_add_string(m, "key", PQ_REQUIRED);
		if (f->t == F_MAP)
			parquet_write_add_string(m, "value", PQ_OPTIONAL);
		else
			parquet_write_add_column(m, "value", PQ_OPTIONAL,
			    PQ_INT64);
		break;
	case F_DV:
		s = parquet_write_add_group(g, f->name, PQ_OPTIONAL);
		parquet_write_add_string(s, "storageType", PQ_OPTIONAL);
		parquet_write_add_string(s, "pathOrInlineDv", PQ_OPTIONAL);
		parquet_write_add_column(s, "sizeInBytes", PQ_OPTIONAL,
		    PQ_INT32);
		parquet_write_add_column(s, "cardinality", PQ_OPTIONAL,
		    PQ_INT64);
		break;
	case F_PVP:
		s = parquet_write_add_group(g, f->name, PQ_OPTIONAL);
		l = leaf(PQ_INT32, PQ_LT_DATE);
		parquet_write_add_leaf(s, "d", PQ_OPTIONAL, &l);
		break;
	case F_SPTS:
		s = parquet_write_add_group(g, f->name, PQ_OPTIONAL);
		parquet_write_add_column(s, "numRecords", PQ_OPTIONAL,
		    PQ_INT64);
		m = parquet_write_add_group(s, "minValues", PQ_OPTIONAL);
		l = leaf(PQ_INT64, PQ_LT_TIMESTAMP);
		l.utc = false;		/* as arrow writers mark them */
		parquet_write_add_leaf(m, "ts", PQ_OPTIONAL, &l);
		break;
	case F_END:
		break;
	}
}

static void
write_map(struct parquet_write *w, const struct fld *f)
{
	char	*copy, *p, *kv, *eq;

	if (f->s == NULL) {
		parquet_write_null(w);
		return;
	}
	copy = strdup(f->s);
	parquet_write_list_begin(w);
	for (p = copy; (kv = strsep(&p, ",")) != NULL;) {
		if ((eq = strchr(kv, '=')) == NULL)
			continue;
		*eq = '\0';
		parquet_write_str(w, kv);
		if (eq[1] == '\0')
			parquet_write_null(w);
		else if (f->t == F_MAP)
			parquet_write_str(w, eq + 1);
		else
			parquet_write_i64(w, strtoll(eq + 1, NULL, 10));
	}
	parquet_write_list_end(w);
	free(copy);
}

static void
write_field(struct parquet_write *w, const struct fld *f)
{
	switch (f->t) {
	case F_STR:
		if (f->s == NULL)
			parquet_write_null(w);
		else
			parquet_write_str(w, f->s);
		break;
	case F_BIN:
		parquet_write_bytes(w, f->s, strlen(f->s));
		break;
	case F_I64:
		parquet_write_i64(w, f->i);
		break;
	case F_U32:
	case F_DATE:
		parquet_write_i32(w, (int32_t)f->i);
		break;
	case F_BOOL:
		parquet_write_bool(w, f->i != 0);
		break;
	case F_MAP:
	case F_MAPI:
		write_map(w, f);
		break;
	case F_DV:
		parquet_write_group_begin(w);
		parquet_write_str(w, f->s);
		parquet_write_str(w, "ab");
		parquet_write_i32(w, 1);
		parquet_write_i64(w, f->i);
		parquet_write_group_end(w);
		break;
	case F_PVP:
		parquet_write_group_begin(w);
		parquet_write_i32(w, (int32_t)f->i);
		parquet_write_group_end(w);
		break;
	case F_SPTS:
		parquet_write_group_begin(w);
		parquet_write_i64(w, 2);
		parquet_write_group_begin(w);
		parquet_write_i64(w, f->i);
		parquet_write_group_end(w);
		parquet_write_group_end(w);
		break;
	case F_END:
		break;
	}
}

/*
 * A checkpoint of n rows whose action struct (add or remove) holds
 * rows[i]; the first row's fields make the schema.
 */
static void
make_rows(const char *kind, const struct fld *const *rows, size_t n,
    struct buf *out)
{
	struct parquet_write_schema	*s = parquet_write_schema_new();
	struct parquet_write_node	*g;
	struct parquet_write		*w;
	const struct fld		*f;
	struct err			 e;
	size_t				 i;

	g = parquet_write_add_group(parquet_write_schema_root(s), kind,
	    PQ_OPTIONAL);
	for (f = rows[0]; f->t != F_END; f++)
		schema_field(g, f);
	buf_init(out, 0);
	if ((w = parquet_write_open_buf(out, s, NULL, &e)) == NULL)
		bail_out("writer: %s", e.msg);
	for (i = 0; i < n; i++) {
		parquet_write_row_begin(w);
		parquet_write_group_begin(w);
		for (f = rows[i]; f->t != F_END; f++)
			write_field(w, f);
		parquet_write_group_end(w);
		if (parquet_write_row_end(w, &e) == -1)
			bail_out("writer: %s", e.msg);
	}
	if (parquet_write_close(w, &e) == -1)
		bail_out("writer: %s", e.msg);
	parquet_write_free(w);
	parquet_write_schema_free(s);
}

/* A one-row checkpoint whose action struct (add or remove) is fields. */
static void
make(const char *kind, const struct fld *fields, struct buf *out)
{
	make_rows(kind, &fields, 1, out);
}

static void
keep(char *dst, size_t n, const char *s)
{
	snprintf(dst, n, "%s", s != NULL ? s : "(null)");
}

static int
seen(void *ctx, const struct delta_action *act, struct err *e)
{
	const struct delta_file	*x = &act->u.file;
	struct delta_action	 again;
	struct buf		 line;

	got.n++;
	keep(got.path, sizeof(got.path), x->path);
	keep(got.pv, sizeof(got.pv), x->partition_values);
	keep(got.stats, sizeof(got.stats), x->stats);
	got.size = x->size;
	got.mtime = x->modification_time;
	got.data_change = x->data_change;
	got.dv = x->dv.storage_type;
	got.has_raw = act->raw != NULL;
	if (got.n == got.stop_at)
		return DELTA_STOP;
	if (act->raw == NULL)
		return 0;
	snprintf(got.raw, sizeof(got.raw), "%.*s", (int)act->rawlen,
	    act->raw);
	/* The JSON text must say what the fields say. */
	buf_init(&line, 0);
	buf_addf(&line, "{\"%s\":%s}", act->kind == DELTA_ADD ? "add" :
	    "remove", got.raw);
	if (delta_action_parse(ctx, buf_str(&line), line.len, &again,
	    e) == -1 || strcmp(again.u.file.path, x->path) != 0 ||
	    strcmp(again.u.file.partition_values, x->partition_values) != 0 ||
	    again.u.file.size != x->size ||
	    (x->stats == NULL) != (again.u.file.stats == NULL) ||
	    (x->stats != NULL && strcmp(x->stats, again.u.file.stats) != 0))
		got.n = -100;
	buf_release(&line);
	return 0;
}

static const char schema_ntz[] = "{\"type\":\"struct\",\"fields\":["
    "{\"name\":\"ts\",\"type\":\"timestamp_ntz\",\"nullable\":true,"
    "\"metadata\":{}}]}";
static const char schema_utc[] = "{\"type\":\"struct\",\"fields\":["
    "{\"name\":\"ts\",\"type\":\"timestamp\",\"nullable\":true,"
    "\"metadata\":{}}]}";

/* Read the checkpoint; 0 or -1, and the message in msg. */
static int
run(const char *kind, const struct fld *fields, unsigned extra,
    const char *schema, char *msg, size_t msgsz)
{
	struct parquet_read	*r;
	struct arena		*a = arena_new();
	struct buf		 b;
	struct err		 e;
	int			 rc;

	memset(&got, 0, sizeof(got));
	make(kind, fields, &b);
	err_clear(&e);
	if ((r = parquet_read_open_mem(b.data, b.len, NULL, &e)) == NULL)
		bail_out("reader: %s", e.msg);
	rc = delta_checkpoint_pq_rows(r, "ck.parquet",
	    DELTA_WANT(DELTA_ADD) | DELTA_WANT(DELTA_REMOVE) | extra, schema,
	    a, seen, a, &e);
	snprintf(msg, msgsz, "%.400s", rc == -1 ? e.msg : "");
	parquet_read_free(r);
	buf_release(&b);
	arena_free(a);
	return rc;
}

#define ADD_OK(path) \
	{ "path", F_STR, path, 0 }, { "partitionValues", F_MAP, "p=a", 0 }, \
	{ "size", F_I64, NULL, 10 }, { "modificationTime", F_I64, NULL, 5 }, \
	{ "dataChange", F_BOOL, NULL, 1 }

static void
test_errors(void)
{
	static const struct {
		const char	*name;
		struct fld	 f[8];
		const char	*want;
	} cases[] = {
		{ "a null path", { { "path", F_STR, NULL, 0 },
		    { "size", F_I64, NULL, 1 }, END },
		    "ck.parquet: add: missing 'path'" },
		{ "no path column", { { "size", F_I64, NULL, 1 }, END },
		    "add: missing 'path'" },
		{ "an empty path", { ADD_OK(""), END }, "'path' is empty" },
		{ "a binary path", { { "path", F_BIN, "x.parquet", 0 }, END },
		    "'path' must be a string" },
		{ "a path not UTF-8", { ADD_OK("a\xff.parquet"), END },
		    "'path' is not UTF-8 text" },
		{ "a size as text", { { "path", F_STR, "x", 0 },
		    { "partitionValues", F_MAP, "", 0 },
		    { "size", F_STR, "10", 0 }, END },
		    "'size' must be an integer" },
		{ "a size as a date", { { "path", F_STR, "x", 0 },
		    { "partitionValues", F_MAP, "", 0 },
		    { "size", F_DATE, NULL, 10 }, END },
		    "'size' must be an integer" },
		{ "a negative size", { { "path", F_STR, "x", 0 },
		    { "partitionValues", F_MAP, "", 0 },
		    { "size", F_I64, NULL, -1 }, END },
		    "'size' is out of range" },
		{ "no modificationTime", { { "path", F_STR, "x", 0 },
		    { "partitionValues", F_MAP, "", 0 },
		    { "size", F_I64, NULL, 1 },
		    { "dataChange", F_BOOL, NULL, 1 }, END },
		    "add: missing 'modificationTime'" },
		{ "dataChange as a number", { { "path", F_STR, "x", 0 },
		    { "partitionValues", F_MAP, "", 0 },
		    { "size", F_I64, NULL, 1 },
		    { "modificationTime", F_I64, NULL, 1 },
		    { "dataChange", F_I64, NULL, 1 }, END },
		    "'dataChange' must be true or false" },
		{ "no partitionValues", { { "path", F_STR, "x", 0 },
		    { "size", F_I64, NULL, 1 }, END },
		    "add: missing 'partitionValues'" },
		{ "a duplicate partition key", { { "path", F_STR, "x", 0 },
		    { "partitionValues", F_MAP, "p=a,p=b", 0 }, END },
		    "'partitionValues' has a duplicate key" },
		{ "partition values not text", { { "path", F_STR, "x", 0 },
		    { "partitionValues", F_MAPI, "p=1", 0 }, END },
		    "'partitionValues' must map to strings or null" },
		{ "a DV type of two letters", { ADD_OK("x"),
		    { "deletionVector", F_DV, "uu", 1 }, END },
		    "add.deletionVector: 'storageType' must be one character" },
		{ "a DV of an unknown type", { ADD_OK("x"),
		    { "deletionVector", F_DV, "x", 1 }, END },
		    "ck.parquet: add: " },
		{ "a DV with a negative cardinality", { ADD_OK("x"),
		    { "deletionVector", F_DV, "i", -1 }, END },
		    "'cardinality' is out of range" },
	};
	char	 msg[512];
	size_t	 i;

	for (i = 0; i < NELEM(cases); i++) {
		is_int(run("add", cases[i].f, 0, NULL, msg, sizeof(msg)), -1,
		    "%s is an error", cases[i].name);
		ok(strstr(msg, cases[i].want) != NULL, "%s: '%s' says '%s'",
		    cases[i].name, msg, cases[i].want);
		is_int(got.n, 0, "%s: no action handed out", cases[i].name);
	}
}

static void
test_good(void)
{
	static const struct fld plain[] = { ADD_OK("a%20b/x.parquet"),
	    { "stats", F_STR, "{\"numRecords\":3}", 0 }, END };
	static const struct fld nulls[] = { { "path", F_STR, "x", 0 },
	    { "partitionValues", F_MAP, "p=a,q=", 0 },
	    { "size", F_I64, NULL, 7 }, { "modificationTime", F_I64, NULL, 5 },
	    { "dataChange", F_BOOL, NULL, 0 }, END };
	static const struct fld parsed[] = { { "path", F_STR, "x", 0 },
	    { "partitionValues", F_MAP, NULL, 0 },
	    { "partitionValues_parsed", F_PVP, NULL, 19000 },
	    { "size", F_I64, NULL, 1 }, { "modificationTime", F_I64, NULL, 1 },
	    { "dataChange", F_BOOL, NULL, 1 },
	    { "stats_parsed", F_SPTS, NULL, 1000 }, END };
	static const struct fld u32[] = { { "path", F_STR, "x", 0 },
	    { "partitionValues", F_MAP, "", 0 },
	    { "size", F_U32, NULL, -1 }, { "modificationTime", F_I64, NULL, 1 },
	    { "dataChange", F_BOOL, NULL, 1 }, END };
	static const struct fld rm[] = { { "path", F_STR, "gone.parquet", 0 },
	    { "deletionTimestamp", F_I64, NULL, 9 }, END };
	static const struct fld dv[] = { ADD_OK("x"),
	    { "deletionVector", F_DV, "i", 0 }, END };
	char	 msg[512];

	is_int(run("add", plain, 0, NULL, msg, sizeof(msg)), 0,
	    "a plain add reads: %s", msg);
	ok(got.n == 1 && strcmp(got.path, "a%20b/x.parquet") == 0 &&
	    strcmp(got.pv, "{\"p\":\"a\"}") == 0 && got.size == 10 &&
	    got.mtime == 5 && got.data_change &&
	    strcmp(got.stats, "{\"numRecords\":3}") == 0,
	    "its fields are right");
	ok(!got.has_raw, "without DELTA_WANT_RAW it has no JSON text");
	is_int(run("add", plain, DELTA_WANT_RAW, NULL, msg, sizeof(msg)), 0,
	    "with DELTA_WANT_RAW: %s", msg);
	ok(got.n == 1 && got.has_raw, "it has its JSON text, parsing the same");
	is_str(got.raw, "{\"path\":\"a%20b/x.parquet\",\"partitionValues\":"
	    "{\"p\":\"a\"},\"size\":10,\"modificationTime\":5,\"dataChange\":"
	    "true,\"stats\":\"{\\\"numRecords\\\":3}\"}", "the JSON text");

	is_int(run("add", nulls, DELTA_WANT_RAW, NULL, msg, sizeof(msg)), 0,
	    "a null partition value reads: %s", msg);
	ok(got.n == 1 && strcmp(got.pv, "{\"p\":\"a\",\"q\":null}") == 0 &&
	    !got.data_change, "null stays null; dataChange false");

	is_int(run("add", parsed, DELTA_WANT_RAW, schema_ntz, msg,
	    sizeof(msg)), 0, "partitionValues_parsed, stats_parsed: %s", msg);
	is_str(got.pv, "{\"d\":\"2022-01-08\"}",
	    "partitionValues from partitionValues_parsed");
	is_str(got.stats, "{\"numRecords\":2,\"minValues\":{\"ts\":"
	    "\"1970-01-01T00:00:00.001\"}}",
	    "stats from stats_parsed: timestamp_ntz has no Z");
	ok(got.n == 1, "its JSON text parses the same");
	is_int(run("add", parsed, 0, schema_utc, msg, sizeof(msg)), 0,
	    "the same with a timestamp column: %s", msg);
	is_str(got.stats, "{\"numRecords\":2,\"minValues\":{\"ts\":"
	    "\"1970-01-01T00:00:00.001Z\"}}",
	    "the table schema says UTC, whatever the annotation");

	is_int(run("add", u32, 0, NULL, msg, sizeof(msg)), 0,
	    "an unsigned 32-bit size reads: %s", msg);
	ok(got.size == 4294967295LL, "as unsigned (%lld)",
	    (long long)got.size);

	is_int(run("remove", rm, DELTA_WANT_RAW, NULL, msg, sizeof(msg)), 0,
	    "a remove needs only its path: %s", msg);
	ok(got.n == 1 && got.data_change && strcmp(got.pv, "{}") == 0 &&
	    got.size == -1, "dataChange true, no partition values, no size");

	is_int(run("add", dv, 0, NULL, msg, sizeof(msg)), -1,
	    "an inline DV shorter than its size is refused");
}

/*
 * Two adds: what the projection read (add.extra, add.stats_parsed) and
 * the stats of the second add, which has none unless with_stats.
 */
static int
projected(bool with_stats, unsigned extra, bool *x, bool *sp, char *msg,
    size_t msgsz)
{
	static const struct fld one[] = { ADD_OK("a"),
	    { "stats", F_STR, "{\"numRecords\":1}", 0 },
	    { "stats_parsed", F_SPTS, NULL, 7000 },
	    { "extra", F_STR, "x", 0 }, END };
	static const struct fld two[] = { ADD_OK("b"),
	    { "stats", F_STR, "{\"numRecords\":2}", 0 },
	    { "stats_parsed", F_SPTS, NULL, 7000 },
	    { "extra", F_STR, "x", 0 }, END };
	static const struct fld bare[] = { ADD_OK("b"),
	    { "stats", F_STR, NULL, 0 },
	    { "stats_parsed", F_SPTS, NULL, 7000 },
	    { "extra", F_STR, "x", 0 }, END };
	const struct fld	*rows[2] = { one, with_stats ? two : bare };
	struct parquet_read	*r;
	struct arena		*a = arena_new();
	struct buf		 b;
	struct err		 e;
	int			 rc, stop_at = got.stop_at;

	memset(&got, 0, sizeof(got));
	got.stop_at = stop_at;
	make_rows("add", rows, 2, &b);
	if ((r = parquet_read_open_mem(b.data, b.len, NULL, &e)) == NULL)
		bail_out("reader: %s", e.msg);
	rc = delta_checkpoint_pq_rows(r, "ck.parquet", DELTA_WANT(DELTA_ADD) |
	    extra, schema_ntz, a, seen, a, &e);
	snprintf(msg, msgsz, "%.400s", rc == -1 ? e.msg : "");
	*x = parquet_read_selected(r, parquet_read_lookup(r, "add.extra"));
	*sp = parquet_read_selected(r, parquet_read_lookup(r,
	    "add.stats_parsed"));
	parquet_read_free(r);
	buf_release(&b);
	arena_free(a);
	return rc;
}

static void
test_projection(void)
{
	char	 msg[512];
	bool	 x, sp;

	projected(true, 0, &x, &sp, msg, sizeof(msg));
	is_str(msg, "", "every add with stats reads");
	ok(got.n == 2 && strcmp(got.stats, "{\"numRecords\":2}") == 0,
	    "both adds, the stats of the second from stats");
	ok(!x && !sp, "neither an unknown field nor stats_parsed is read");
	projected(true, DELTA_WANT_RAW, &x, &sp, msg, sizeof(msg));
	is_str(msg, "", "the same with their JSON text");
	ok(got.n == 2 && x && !sp, "the JSON text needs every field but "
	    "stats_parsed");
	projected(false, 0, &x, &sp, msg, sizeof(msg));
	is_str(msg, "", "an add without stats reads");
	ok(got.n == 2 && !x && sp, "stats_parsed is read for it");
	is_str(got.stats, "{\"numRecords\":2,\"minValues\":{\"ts\":"
	    "\"1970-01-01T00:00:00.007\"}}", "and gives its stats");
	got.stop_at = 1;
	is_int(projected(true, 0, &x, &sp, msg, sizeof(msg)), DELTA_STOP,
	    "the callback stops the reading");
	is_int(got.n, 1, "after the first add");
	got.stop_at = 0;
}

int
main(void)
{
	test_errors();
	test_good();
	test_projection();
	return done_testing();
}
