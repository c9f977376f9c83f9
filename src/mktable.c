/*
 * mktable.c: generate Delta tables (and Parquet test files) for the demo,
 * the tests and the benchmarks.
 *
 *	mktable [--seed N] [--rows N] [--files N] [--force] DIR
 *	mktable --types-test [--codec C] [--dictionary] [--rows N]
 *	    [--row-group-rows N] [--page-bytes N] FILE
 *
 * The first form writes the demo table into DIR: columns id (long), city
 * (string), amount (double), ts (timestamp), day (date), partitioned by
 * region (string; one value has a space, one a non-ASCII letter), in four
 * commits: v0 creates the table with --files files, v1 appends two, v2
 * deletes the rows with id % 3 = 0 from one file (remove plus a rewritten
 * add), v3 appends two more.  Data files are SNAPPY Parquet with --rows
 * rows each; add actions carry their statistics.  Everything but the
 * commit and modification times is a function of --seed.  It prints
 * "DIR: version V, F live files, R live rows".  A DIR that already has a
 * _delta_log is left alone (exit 0) unless --force, which first removes
 * the log and the data files a previous run made.
 *
 * The second form writes one Parquet file covering every physical and
 * logical type the writer supports, nulls and nested structs, lists and
 * maps, and prints the rows it wrote as JSON lines in the canonical form
 * of t/helper/parquet-dump.mjs, so a test can compare the two.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "delta_write.h"
#include "err.h"
#include "jsonw.h"
#include "parquet_write.h"
#include "strutil.h"
#include "xmalloc.h"

#define NREGIONS	4
#define T0_MICROS	INT64_C(1704067200000000)	/* 2024-01-01 UTC */
#define DAY_MICROS	INT64_C(86400000000)

struct opts {
	uint64_t		 seed;
	int64_t			 rows;
	int64_t			 files;
	bool			 force;
	bool			 types;
	enum parquet_write_codec codec;
	bool			 dictionary;
	int64_t			 rg_rows;
	int64_t			 page_bytes;
	const char		*target;
};

/* The rows of one data file are a function of this. */
struct spec {
	int		 region;
	int64_t		 id_base;
	int64_t		 rows;
	uint64_t	 seed;
};

struct live {
	char		*uri;	/* add.path */
	struct spec	 spec;
	int64_t		 rows, size;
};

struct table {
	const struct opts		*o;
	const char			*dir;
	uint64_t			 rng;
	int64_t				 next_id;
	struct parquet_write_schema	*schema;
	struct parquet_write_node	*c_id, *c_city, *c_amount, *c_ts;
	struct parquet_write_node	*c_day;
	struct live			*files;
	size_t				 nfiles;
};

struct row {
	int64_t		 id;
	const char	*city;
	bool		 has_amount;
	double		 amount;
	int64_t		 ts;
	int32_t		 day;
};

static const char *const regions[NREGIONS] = {
	"north", "south", "north east", "z\xc3\xbcrich"
};

static const char *const cities[NREGIONS][3] = {
	{ "Oslo", "Bergen", "Troms\xc3\xb8" },
	{ "Sevilla", "M\xc3\xa1laga", "Faro" },
	{ "Helsinki", "Turku", "Oulu" },
	{ "Z\xc3\xbcrich", "Winterthur", "Uster" }
};

static void	die(const char *, ...)
		    __attribute__((format(printf, 1, 2), noreturn));

static void
usage(void)
{
	fprintf(stderr,
	    "usage: mktable [--seed N] [--rows N] [--files N] [--force] DIR\n"
	    "       mktable --types-test [--codec C] [--dictionary] "
	    "[--rows N]\n"
	    "           [--row-group-rows N] [--page-bytes N] FILE\n");
	exit(2);
}

static void
die(const char *fmt, ...)
{
	va_list	 ap;

	fputs("mktable: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* splitmix64: small, fast, and the same everywhere. */
static uint64_t
mix(uint64_t x)
{
	x += UINT64_C(0x9e3779b97f4a7c15);
	x = (x ^ (x >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	x = (x ^ (x >> 27)) * UINT64_C(0x94d049bb133111eb);
	return x ^ (x >> 31);
}

static uint64_t
next(uint64_t *state)
{
	*state += UINT64_C(0x9e3779b97f4a7c15);
	return mix(*state);
}

/* A version 4 UUID drawn from the generator, so names are reproducible. */
static void
fake_uuid(uint64_t *state, char out[37])
{
	unsigned char	 b[16];
	uint64_t	 x = next(state), y = next(state);
	int		 i;

	for (i = 0; i < 8; i++) {
		b[i] = (unsigned char)(x >> (8 * i));
		b[8 + i] = (unsigned char)(y >> (8 * i));
	}
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3], b[4], b[5],
	    b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

static int64_t
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t
floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static void
mkdir_p(const char *path)
{
	char	*p, *s;

	s = xstrdup(path);
	for (p = s + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		if (p[-1] != '/') {
			char c = *p;

			*p = '\0';
			if (mkdir(s, 0755) == -1 && errno != EEXIST)
				die("cannot create '%s': %s", s,
				    strerror(errno));
			*p = c;
		}
		if (*p == '\0')
			break;
	}
	free(s);
}

/* --- the demo table ------------------------------------------------------ */

static void
gen_row(const struct spec *s, int64_t i, struct row *r)
{
	uint64_t	 x = mix(s->seed ^ mix((uint64_t)i));

	r->id = s->id_base + i;
	r->city = x % 10 == 0 ? NULL : cities[s->region][(x >> 8) % 3];
	r->has_amount = (x >> 16) % 17 != 0;
	r->amount = (double)((x >> 24) % 1000000) / 100.0;
	r->ts = T0_MICROS + (int64_t)((x >> 32) % (30 * 86400)) * 1000000 +
	    (int64_t)((x >> 12) % 1000) * 1000;
	r->day = (int32_t)floor_div(r->ts, DAY_MICROS);
}

/* Rows dropped by the DELETE of version 2. */
static bool
deleted(const struct row *r)
{
	return r->id % 3 == 0;
}

static void
demo_schema(struct table *t)
{
	struct parquet_write_node	*root;
	struct parquet_write_leaf	 l;

	t->schema = parquet_write_schema_new();
	root = parquet_write_schema_root(t->schema);
	t->c_id = parquet_write_add_column(root, "id", PQ_REQUIRED, PQ_INT64);
	t->c_city = parquet_write_add_string(root, "city", PQ_OPTIONAL);
	t->c_amount = parquet_write_add_column(root, "amount", PQ_OPTIONAL,
	    PQ_DOUBLE);
	memset(&l, 0, sizeof(l));
	l.type = PQ_INT64;
	l.logical = PQ_LT_TIMESTAMP;
	l.utc = true;
	t->c_ts = parquet_write_add_leaf(root, "ts", PQ_OPTIONAL, &l);
	memset(&l, 0, sizeof(l));
	l.type = PQ_INT32;
	l.logical = PQ_LT_DATE;
	t->c_day = parquet_write_add_leaf(root, "day", PQ_OPTIONAL, &l);
}

/* Delta stats of one column from the writer's statistics. */
static void
col_stat(struct parquet_write *w, struct parquet_write_node *n,
    const char *name, enum delta_write_stat_type type,
    struct delta_write_stat *s)
{
	struct parquet_write_stats	 ps;

	parquet_write_stats(w, n, &ps);
	memset(s, 0, sizeof(*s));
	s->name = name;
	s->type = type;
	s->has_minmax = ps.has_minmax;
	s->null_count = ps.null_count;
	if (!ps.has_minmax)
		return;
	switch (type) {
	case DELTA_STAT_DOUBLE:
		s->min.d = ps.min.d;
		s->max.d = ps.max.d;
		break;
	case DELTA_STAT_STRING:
		s->min.s = xstrndup(ps.min_bytes, ps.min_len);
		s->max.s = xstrndup(ps.max_bytes, ps.max_len);
		break;
	case DELTA_STAT_DATE:
		s->min.i = ps.min.i32;
		s->max.i = ps.max.i32;
		break;
	default:
		s->min.i = ps.min.i64;
		s->max.i = ps.max.i64;
		break;
	}
}

/* The stats JSON of a finished data file. */
static char *
file_stats(struct table *t, struct parquet_write *w)
{
	struct delta_write_stat	 s[5];
	struct buf		 b;
	char			*str;

	col_stat(w, t->c_id, "id", DELTA_STAT_LONG, &s[0]);
	col_stat(w, t->c_city, "city", DELTA_STAT_STRING, &s[1]);
	col_stat(w, t->c_amount, "amount", DELTA_STAT_DOUBLE, &s[2]);
	col_stat(w, t->c_ts, "ts", DELTA_STAT_TIMESTAMP, &s[3]);
	col_stat(w, t->c_day, "day", DELTA_STAT_DATE, &s[4]);
	buf_init(&b, 0);
	delta_write_stats(&b, parquet_write_rows(w), s, 5);
	free((char *)s[1].min.s);
	free((char *)s[1].max.s);
	str = buf_detach(&b);
	return str;
}

static void
write_rows(struct table *t, struct parquet_write *w, const struct spec *s,
    bool delete)
{
	struct row	 r;
	struct err	 e;
	int64_t		 i;

	for (i = 0; i < s->rows; i++) {
		gen_row(s, i, &r);
		if (delete && deleted(&r))
			continue;
		parquet_write_row_begin(w);
		parquet_write_i64(w, r.id);
		if (r.city != NULL)
			parquet_write_str(w, r.city);
		else
			parquet_write_null(w);
		if (r.has_amount)
			parquet_write_double(w, r.amount);
		else
			parquet_write_null(w);
		parquet_write_i64(w, r.ts);
		parquet_write_i32(w, r.day);
		if (parquet_write_row_end(w, &e) == -1)
			die("%s", e.msg);
	}
}

/*
 * Write the data file of spec s (without the deleted rows if delete) as
 * the nth file of the commit, and add it to the commit and the live set.
 */
static void
add_file(struct table *t, struct delta_write_commit *c, const struct spec *s,
    bool delete, int n)
{
	struct parquet_write_opts	 po;
	struct parquet_write		*w;
	struct delta_write_add		 a;
	struct delta_write_kv		 pv;
	struct buf			 rel, uri;
	struct live			*l;
	struct stat			 st;
	struct err			 e;
	char				 uuid[37], *path, *stats;

	fake_uuid(&t->rng, uuid);
	buf_init(&rel, 0);
	buf_init(&uri, 0);
	delta_write_partition_dir(&rel, "region", regions[s->region]);
	path = xasprintf("%s/%s", t->dir, buf_str(&rel));
	mkdir_p(path);
	free(path);
	buf_addf(&rel, "/part-%05d-%s.c000.snappy.parquet", n, uuid);
	delta_write_uri_path(&uri, buf_str(&rel));
	path = xasprintf("%s/%s", t->dir, buf_str(&rel));

	memset(&po, 0, sizeof(po));
	po.codec = PQ_SNAPPY;
	if ((w = parquet_write_open(path, t->schema, &po, &e)) == NULL)
		die("%s", e.msg);
	write_rows(t, w, s, delete);
	if (parquet_write_close(w, &e) == -1)
		die("%s", e.msg);
	if (stat(path, &st) == -1)
		die("cannot stat '%s': %s", path, strerror(errno));
	stats = file_stats(t, w);

	memset(&a, 0, sizeof(a));
	pv.key = "region";
	pv.value = regions[s->region];
	a.path = buf_str(&uri);
	a.partition_values = &pv;
	a.npartition_values = 1;
	a.size = parquet_write_size(w);
	a.modification_time = (int64_t)st.st_mtim.tv_sec * 1000 +
	    st.st_mtim.tv_nsec / 1000000;
	a.data_change = true;
	a.stats = stats;
	delta_write_add(c, &a);

	t->files = xreallocarray(t->files, t->nfiles + 1, sizeof(*t->files));
	l = &t->files[t->nfiles++];
	l->uri = buf_detach(&uri);
	l->spec = *s;
	l->rows = parquet_write_rows(w);
	l->size = a.size;
	parquet_write_free(w);
	free(stats);
	free(path);
	buf_release(&rel);
}

/* A new spec of fresh rows for region. */
static struct spec
new_spec(struct table *t, int region)
{
	struct spec	 s;

	s.region = region;
	s.id_base = t->next_id;
	s.rows = t->o->rows;
	s.seed = next(&t->rng);
	t->next_id += s.rows;
	return s;
}

static void
commit_begin(struct delta_write_commit *c, int64_t version,
    const char *op, const struct delta_write_kv *params, size_t nparams,
    bool blind)
{
	struct delta_write_commit_info	 ci;

	delta_write_commit_init(c, version);
	memset(&ci, 0, sizeof(ci));
	ci.timestamp = now_ms();
	ci.operation = op;
	ci.parameters = params;
	ci.nparameters = nparams;
	ci.read_version = version - 1;
	ci.blind_append = blind;
	delta_write_commit_info(c, &ci);
}

static void
commit_end(struct table *t, struct delta_write_commit *c)
{
	struct err	 e;

	if (delta_write_commit_finish(c, t->dir, &e) == -1)
		die("%s", e.msg);
	delta_write_commit_release(c);
}

static void
version0(struct table *t)
{
	static const struct delta_write_field fields[] = {
		{ "id", "long", false },
		{ "city", "string", true },
		{ "amount", "double", true },
		{ "ts", "timestamp", true },
		{ "day", "date", true },
		{ "region", "string", true }
	};
	static const char *const parts[] = { "region" };
	static const struct delta_write_kv params[] = {
		{ "mode", "ErrorIfExists" },
		{ "partitionBy", "[\"region\"]" }
	};
	struct delta_write_commit	 c;
	struct delta_write_metadata	 m;
	struct spec			 s;
	char				 id[37];
	int64_t				 i;

	commit_begin(&c, 0, "WRITE", params, 2, true);
	delta_write_protocol(&c, 1, 2);
	fake_uuid(&t->rng, id);
	memset(&m, 0, sizeof(m));
	m.id = id;
	m.fields = fields;
	m.nfields = sizeof(fields) / sizeof(fields[0]);
	m.partition_columns = parts;
	m.npartition_columns = 1;
	m.created_time = now_ms();
	delta_write_metadata(&c, &m);
	for (i = 0; i < t->o->files; i++) {
		s = new_spec(t, (int)(i % NREGIONS));
		add_file(t, &c, &s, false, (int)i);
	}
	commit_end(t, &c);
}

static void
append(struct table *t, int64_t version, int ra, int rb)
{
	static const struct delta_write_kv params[] = {
		{ "mode", "Append" },
		{ "partitionBy", "[]" }
	};
	struct delta_write_commit	 c;
	struct spec			 s;

	commit_begin(&c, version, "WRITE", params, 2, true);
	s = new_spec(t, ra);
	add_file(t, &c, &s, false, 0);
	s = new_spec(t, rb);
	add_file(t, &c, &s, false, 1);
	commit_end(t, &c);
}

/* Version 2: DELETE rows of the second file (the first if alone). */
static void
delete(struct table *t)
{
	static const struct delta_write_kv params[] = {
		{ "predicate", "[\"((id % 3) = 0)\"]" }
	};
	struct delta_write_commit	 c;
	struct delta_write_remove	 r;
	struct delta_write_kv		 pv;
	struct live			 gone;
	size_t				 victim = t->nfiles > 1 ? 1 : 0;

	commit_begin(&c, 2, "DELETE", params, 1, false);
	gone = t->files[victim];
	memmove(&t->files[victim], &t->files[victim + 1],
	    (t->nfiles - victim - 1) * sizeof(*t->files));
	t->nfiles--;
	memset(&r, 0, sizeof(r));
	pv.key = "region";
	pv.value = regions[gone.spec.region];
	r.path = gone.uri;
	r.deletion_timestamp = now_ms();
	r.data_change = true;
	r.extended_file_metadata = true;
	r.partition_values = &pv;
	r.npartition_values = 1;
	r.size = gone.size;
	delta_write_remove(&c, &r);
	add_file(t, &c, &gone.spec, true, 0);
	commit_end(t, &c);
	free(gone.uri);
}

/* Remove what an earlier run wrote: the log and our data files. */
static void
wipe(const char *dir)
{
	DIR		*d, *sub;
	struct dirent	*de, *se;
	char		*p, *q;
	size_t		 n;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, "_delta_log") != 0 &&
		    strncmp(de->d_name, "region=", 7) != 0)
			continue;
		p = xasprintf("%s/%s", dir, de->d_name);
		if ((sub = opendir(p)) != NULL) {
			while ((se = readdir(sub)) != NULL) {
				n = strlen(se->d_name);
				if (de->d_name[0] != '_' &&
				    (strncmp(se->d_name, "part-", 5) != 0 ||
				    n < 8 || strcmp(se->d_name + n - 8,
				    ".parquet") != 0))
					continue;
				if (se->d_name[0] == '.' && (n == 1 ||
				    (n == 2 && se->d_name[1] == '.')))
					continue;
				q = xasprintf("%s/%s", p, se->d_name);
				if (unlink(q) == -1)
					die("cannot remove '%s': %s", q,
					    strerror(errno));
				free(q);
			}
			closedir(sub);
			rmdir(p);
		}
		free(p);
	}
	closedir(d);
}

static int
demo(const struct opts *o)
{
	struct table	 t;
	struct stat	 st;
	char		*log;
	int64_t		 rows = 0;
	size_t		 i;

	log = xasprintf("%s/_delta_log", o->target);
	if (stat(log, &st) == 0 && !o->force) {
		printf("%s: already a Delta table, left alone\n", o->target);
		free(log);
		return 0;
	}
	free(log);
	if (o->force)
		wipe(o->target);
	mkdir_p(o->target);

	memset(&t, 0, sizeof(t));
	t.o = o;
	t.dir = o->target;
	t.rng = mix(o->seed);
	t.next_id = 1;
	demo_schema(&t);
	version0(&t);
	append(&t, 1, 0, 3);
	delete(&t);
	append(&t, 3, 2, 1);

	for (i = 0; i < t.nfiles; i++) {
		rows += t.files[i].rows;
		free(t.files[i].uri);
	}
	printf("%s: version 3, %zu live files, %" PRId64 " live rows\n",
	    o->target, t.nfiles, rows);
	free(t.files);
	parquet_write_schema_free(t.schema);
	return 0;
}

/* --- the types test ------------------------------------------------------ */

/* A row written both to Parquet and, as expected JSON, to stdout. */
struct tt {
	struct parquet_write	*w;
	struct jsonw		 j;
};

static void
tt_null(struct tt *t)
{
	parquet_write_null(t->w);
	jsonw_null(&t->j);
}

static void
tt_bool(struct tt *t, bool v)
{
	parquet_write_bool(t->w, v);
	jsonw_bool(&t->j, v);
}

static void
tt_i32(struct tt *t, int32_t v)
{
	parquet_write_i32(t->w, v);
	jsonw_int(&t->j, v);
}

static void
tt_u32(struct tt *t, uint32_t v)
{
	parquet_write_i32(t->w, (int32_t)v);
	jsonw_int(&t->j, v);
}

static void
tt_i64(struct tt *t, int64_t v)
{
	parquet_write_i64(t->w, v);
	jsonw_int(&t->j, v);
}

static void
tt_u64(struct tt *t, uint64_t v)
{
	char	 s[32];

	parquet_write_i64(t->w, (int64_t)v);
	snprintf(s, sizeof(s), "%" PRIu64, v);
	jsonw_raw(&t->j, s);
}

static void
number(struct tt *t, double v)
{
	char	 s[64];

	if (v != v)
		jsonw_str(&t->j, "NaN");
	else {
		snprintf(s, sizeof(s), "%.15g", v);
		jsonw_raw(&t->j, s);
	}
}

static void
tt_float(struct tt *t, float v)
{
	parquet_write_float(t->w, v);
	number(t, v);
}

static void
tt_double(struct tt *t, double v)
{
	parquet_write_double(t->w, v);
	number(t, v);
}

static void
tt_str(struct tt *t, const char *s)
{
	parquet_write_str(t->w, s);
	jsonw_str(&t->j, s);
}

static void
hex(struct tt *t, const unsigned char *p, size_t n)
{
	char	 s[2 * 64 + 3];

	s[0] = '0';
	s[1] = 'x';
	str_hex(p, n, s + 2);
	jsonw_str(&t->j, s);
}

static void
tt_bytes(struct tt *t, const unsigned char *p, size_t n)
{
	parquet_write_bytes(t->w, p, n);
	hex(t, p, n);
}

static void
tt_json(struct tt *t, const char *s)
{
	parquet_write_str(t->w, s);
	jsonw_raw(&t->j, s);
}

static void
tt_date(struct tt *t, int32_t days)
{
	struct tm	 tm;
	time_t		 sec = (time_t)days * 86400;
	char		 s[32];

	parquet_write_i32(t->w, days);
	gmtime_r(&sec, &tm);
	snprintf(s, sizeof(s), "%04d-%02d-%02d", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday);
	jsonw_str(&t->j, s);
}

/* A timestamp of per units a second (1000 or 1000000). */
static void
tt_ts(struct tt *t, int64_t v, int64_t per)
{
	struct tm	 tm;
	time_t		 sec = (time_t)floor_div(v, per);
	char		 s[48];

	parquet_write_i64(t->w, v);
	gmtime_r(&sec, &tm);
	snprintf(s, sizeof(s), "%04d-%02d-%02dT%02d:%02d:%02d.%0*" PRId64 "Z",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, per == 1000 ? 3 : 6,
	    v - (int64_t)sec * per);
	jsonw_str(&t->j, s);
}

/* The expected JSON of unscaled * 10^-scale: plain, no trailing zeros. */
static void
decimal_json(struct tt *t, int64_t unscaled, int scale)
{
	char		 s[64], *p;
	uint64_t	 u = (uint64_t)unscaled, pow10 = 1;
	int		 i;

	if (unscaled < 0)
		u = -u;
	for (i = 0; i < scale; i++)
		pow10 *= 10;
	snprintf(s, sizeof(s), "%s%" PRIu64 ".%0*" PRIu64,
	    unscaled < 0 ? "-" : "", u / pow10, scale, u % pow10);
	p = s + strlen(s) - 1;
	while (*p == '0')
		*p-- = '\0';
	if (*p == '.')
		*p = '\0';
	jsonw_raw(&t->j, strcmp(s, "-0") == 0 ? "0" : s);
}

/* Big-endian two's complement of v in n bytes. */
static void
be_bytes(int64_t v, unsigned char *out, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (i < 8)
			out[n - 1 - i] = (unsigned char)((uint64_t)v >> (8 * i));
		else
			out[n - 1 - i] = v < 0 ? 0xff : 0;
	}
}

/* Shortest big-endian two's complement of v; returns the length. */
static size_t
be_min(int64_t v, unsigned char out[8])
{
	unsigned char	 b[8];
	size_t		 n = 8;

	be_bytes(v, b, 8);
	while (n > 1 && ((b[8 - n] == 0 && !(b[9 - n] & 0x80)) ||
	    (b[8 - n] == 0xff && (b[9 - n] & 0x80))))
		n--;
	memcpy(out, b + 8 - n, n);
	return n;
}

static struct parquet_write_node *
leaf(struct parquet_write_node *p, const char *name,
    enum parquet_write_rep rep, enum parquet_write_type type,
    enum parquet_write_logical lt, int32_t a, int32_t b)
{
	struct parquet_write_leaf	 l;

	memset(&l, 0, sizeof(l));
	l.type = type;
	l.logical = lt;
	switch (lt) {
	case PQ_LT_DECIMAL:
		l.precision = a;
		l.scale = b;
		l.length = type == PQ_FIXED ? 16 : 0;
		break;
	case PQ_LT_INT:
		l.bits = a;
		l.is_unsigned = b;
		break;
	case PQ_LT_TIMESTAMP:
		l.utc = a;
		l.millis = b;
		break;
	default:
		l.length = a;
		break;
	}
	return parquet_write_add_leaf(p, name, rep, &l);
}

static struct parquet_write_schema *
types_schema(void)
{
	struct parquet_write_schema	*s = parquet_write_schema_new();
	struct parquet_write_node	*r = parquet_write_schema_root(s), *g;
	struct parquet_write_node	*l;

	parquet_write_add_column(r, "idx", PQ_REQUIRED, PQ_INT64);
	parquet_write_add_column(r, "b", PQ_OPTIONAL, PQ_BOOLEAN);
	parquet_write_add_column(r, "i32", PQ_REQUIRED, PQ_INT32);
	leaf(r, "i8", PQ_OPTIONAL, PQ_INT32, PQ_LT_INT, 8, false);
	leaf(r, "u16", PQ_OPTIONAL, PQ_INT32, PQ_LT_INT, 16, true);
	leaf(r, "u32", PQ_OPTIONAL, PQ_INT32, PQ_LT_INT, 32, true);
	parquet_write_add_column(r, "i64", PQ_OPTIONAL, PQ_INT64);
	leaf(r, "u64", PQ_OPTIONAL, PQ_INT64, PQ_LT_INT, 64, true);
	parquet_write_add_column(r, "f", PQ_OPTIONAL, PQ_FLOAT);
	parquet_write_add_column(r, "d", PQ_OPTIONAL, PQ_DOUBLE);
	parquet_write_add_string(r, "s", PQ_OPTIONAL);
	parquet_write_add_column(r, "bin", PQ_OPTIONAL, PQ_BYTE_ARRAY);
	leaf(r, "j", PQ_OPTIONAL, PQ_BYTE_ARRAY, PQ_LT_JSON, 0, 0);
	leaf(r, "fx", PQ_OPTIONAL, PQ_FIXED, PQ_LT_NONE, 3, 0);
	leaf(r, "date", PQ_OPTIONAL, PQ_INT32, PQ_LT_DATE, 0, 0);
	leaf(r, "ts_us", PQ_OPTIONAL, PQ_INT64, PQ_LT_TIMESTAMP, true, false);
	leaf(r, "ts_ms", PQ_OPTIONAL, PQ_INT64, PQ_LT_TIMESTAMP, true, true);
	leaf(r, "ts_ntz", PQ_OPTIONAL, PQ_INT64, PQ_LT_TIMESTAMP, false,
	    false);
	leaf(r, "dec32", PQ_OPTIONAL, PQ_INT32, PQ_LT_DECIMAL, 9, 2);
	leaf(r, "dec64", PQ_OPTIONAL, PQ_INT64, PQ_LT_DECIMAL, 18, 4);
	leaf(r, "decfx", PQ_OPTIONAL, PQ_FIXED, PQ_LT_DECIMAL, 38, 6);
	leaf(r, "decba", PQ_OPTIONAL, PQ_BYTE_ARRAY, PQ_LT_DECIMAL, 20, 3);

	g = parquet_write_add_group(r, "st", PQ_OPTIONAL);
	parquet_write_add_column(g, "a", PQ_REQUIRED, PQ_INT32);
	parquet_write_add_string(g, "b", PQ_OPTIONAL);
	g = parquet_write_add_group(g, "inner", PQ_OPTIONAL);
	parquet_write_add_column(g, "x", PQ_OPTIONAL, PQ_DOUBLE);

	l = parquet_write_add_list(r, "lst", PQ_OPTIONAL);
	parquet_write_add_column(l, "element", PQ_OPTIONAL, PQ_INT64);
	l = parquet_write_add_list(r, "lst_s", PQ_REQUIRED);
	parquet_write_add_string(l, "element", PQ_REQUIRED);
	l = parquet_write_add_list(r, "lst_st", PQ_OPTIONAL);
	g = parquet_write_add_group(l, "element", PQ_OPTIONAL);
	parquet_write_add_string(g, "k", PQ_REQUIRED);
	parquet_write_add_column(g, "v", PQ_OPTIONAL, PQ_INT32);
	l = parquet_write_add_list(r, "lst_lst", PQ_OPTIONAL);
	l = parquet_write_add_list(l, "element", PQ_OPTIONAL);
	parquet_write_add_column(l, "element", PQ_OPTIONAL, PQ_INT32);

	l = parquet_write_add_map(r, "m", PQ_OPTIONAL);
	parquet_write_add_string(l, "key", PQ_REQUIRED);
	parquet_write_add_string(l, "value", PQ_OPTIONAL);
	l = parquet_write_add_map(r, "m_i", PQ_REQUIRED);
	parquet_write_add_column(l, "key", PQ_REQUIRED, PQ_INT32);
	parquet_write_add_column(l, "value", PQ_REQUIRED, PQ_DOUBLE);
	return s;
}

/* Row i, flat columns. */
static void
types_flat(struct tt *t, int64_t i)
{
	unsigned char	 b[16];
	char		 s[64];
	int64_t		 k = i - 150;
	size_t		 n;

	jsonw_key(&t->j, "idx");
	tt_i64(t, i);
	jsonw_key(&t->j, "b");
	i % 5 == 4 ? tt_null(t) : tt_bool(t, i % 3 == 0);
	jsonw_key(&t->j, "i32");
	tt_i32(t, i == 1 ? INT32_MIN : i == 2 ? INT32_MAX :
	    (int32_t)(i * 7919 % 20011) - 10000);
	jsonw_key(&t->j, "i8");
	i % 6 == 5 ? tt_null(t) : tt_i32(t, (int32_t)(i * 37 % 256) - 128);
	jsonw_key(&t->j, "u16");
	tt_u32(t, (uint32_t)(i * 101 % 65536));
	jsonw_key(&t->j, "u32");
	tt_u32(t, i == 3 ? UINT32_MAX : (uint32_t)(i * 1000003));
	jsonw_key(&t->j, "i64");
	if (i % 11 == 10)
		tt_null(t);
	else
		tt_i64(t, i == 4 ? INT64_MIN : i == 5 ? INT64_MAX :
		    k * INT64_C(1000000000007));
	jsonw_key(&t->j, "u64");
	tt_u64(t, i == 6 ? UINT64_MAX :
	    (uint64_t)i * UINT64_C(1000000000000000));
	jsonw_key(&t->j, "f");
	i % 7 == 6 ? tt_null(t) : tt_float(t, (float)k * 0.25f);
	jsonw_key(&t->j, "d");
	if (i == 7)
		tt_double(t, NAN);
	else
		tt_double(t, (double)(i * 3 - 400) / 8.0);
	jsonw_key(&t->j, "s");
	if (i % 4 == 3)
		tt_null(t);
	else {
		snprintf(s, sizeof(s), i == 8 ? "" : i % 4 == 1 ?
		    "row-%03" PRId64 "-gr\xc3\xbc\xc3\x9f" : "row-%03" PRId64,
		    i);
		tt_str(t, s);
	}
	jsonw_key(&t->j, "bin");
	b[0] = (unsigned char)i;
	b[1] = 0;
	b[2] = 0xff;
	b[3] = (unsigned char)(i >> 8);
	i % 9 == 8 ? tt_null(t) : tt_bytes(t, b, (size_t)(i % 5));
	jsonw_key(&t->j, "j");
	snprintf(s, sizeof(s), "{\"i\":%" PRId64 ",\"even\":%s}", i,
	    i % 2 ? "false" : "true");
	tt_json(t, s);
	jsonw_key(&t->j, "fx");
	b[0] = (unsigned char)i;
	b[1] = (unsigned char)(i >> 8);
	b[2] = 0xab;
	i % 10 == 0 ? tt_null(t) : tt_bytes(t, b, 3);
	jsonw_key(&t->j, "date");
	tt_date(t, (int32_t)(k * 37));
	jsonw_key(&t->j, "ts_us");
	tt_ts(t, k * INT64_C(86400123456) + 789, 1000000);
	jsonw_key(&t->j, "ts_ms");
	i % 13 == 12 ? tt_null(t) :
	    tt_ts(t, INT64_C(1700000000000) + i * 1001, 1000);
	jsonw_key(&t->j, "ts_ntz");
	tt_ts(t, i * INT64_C(3600000000) + 1, 1000000);
	jsonw_key(&t->j, "dec32");
	parquet_write_i32(t->w, (int32_t)(i * 12345 % 99999999) - 50000000);
	decimal_json(t, (int32_t)(i * 12345 % 99999999) - 50000000, 2);
	jsonw_key(&t->j, "dec64");
	parquet_write_i64(t->w, k * 123456789);
	decimal_json(t, k * 123456789, 4);
	jsonw_key(&t->j, "decfx");
	be_bytes(k * 1000001, b, 16);
	parquet_write_bytes(t->w, b, 16);
	decimal_json(t, k * 1000001, 6);
	jsonw_key(&t->j, "decba");
	if (i % 12 == 11)
		tt_null(t);
	else {
		n = be_min(k * 7777, b);
		parquet_write_bytes(t->w, b, n);
		decimal_json(t, k * 7777, 3);
	}
}

/* Row i, nested columns. */
static void
types_nested(struct tt *t, int64_t i)
{
	char		 s[32];
	int64_t		 k, m;

	jsonw_key(&t->j, "st");
	if (i % 8 == 7)
		tt_null(t);
	else {
		parquet_write_group_begin(t->w);
		jsonw_obj_open(&t->j);
		jsonw_key(&t->j, "a");
		tt_i32(t, (int32_t)i * -3);
		jsonw_key(&t->j, "b");
		i % 2 ? tt_null(t) : tt_str(t, "st");
		jsonw_key(&t->j, "inner");
		if (i % 3 == 1)
			tt_null(t);
		else {
			parquet_write_group_begin(t->w);
			jsonw_obj_open(&t->j);
			jsonw_key(&t->j, "x");
			i % 4 == 2 ? tt_null(t) : tt_double(t, (double)i / 4);
			jsonw_obj_close(&t->j);
			parquet_write_group_end(t->w);
		}
		jsonw_obj_close(&t->j);
		parquet_write_group_end(t->w);
	}

	jsonw_key(&t->j, "lst");
	if (i % 10 == 9)
		tt_null(t);
	else {
		parquet_write_list_begin(t->w);
		jsonw_arr_open(&t->j);
		for (k = 0; i % 10 != 8 && k < i % 4 + 1; k++)
			(i + k) % 5 == 0 ? tt_null(t) : tt_i64(t, i * 100 + k);
		jsonw_arr_close(&t->j);
		parquet_write_list_end(t->w);
	}

	jsonw_key(&t->j, "lst_s");
	parquet_write_list_begin(t->w);
	jsonw_arr_open(&t->j);
	for (k = 0; k < i % 3; k++) {
		snprintf(s, sizeof(s), "s%" PRId64 ".%" PRId64, i, k);
		tt_str(t, s);
	}
	jsonw_arr_close(&t->j);
	parquet_write_list_end(t->w);

	jsonw_key(&t->j, "lst_st");
	parquet_write_list_begin(t->w);
	jsonw_arr_open(&t->j);
	for (k = 0; k < i % 3; k++) {
		if (k == 1 && i % 2) {
			tt_null(t);
			continue;
		}
		parquet_write_group_begin(t->w);
		jsonw_obj_open(&t->j);
		jsonw_key(&t->j, "k");
		snprintf(s, sizeof(s), "k%" PRId64, k);
		tt_str(t, s);
		jsonw_key(&t->j, "v");
		k == 2 ? tt_null(t) : tt_i32(t, (int32_t)(i + k));
		jsonw_obj_close(&t->j);
		parquet_write_group_end(t->w);
	}
	jsonw_arr_close(&t->j);
	parquet_write_list_end(t->w);

	jsonw_key(&t->j, "lst_lst");
	parquet_write_list_begin(t->w);
	jsonw_arr_open(&t->j);
	for (k = 0; k < i % 3; k++) {
		if ((i + k) % 4 == 3) {
			tt_null(t);
			continue;
		}
		parquet_write_list_begin(t->w);
		jsonw_arr_open(&t->j);
		for (m = 0; m < (i + k) % 3; m++)
			tt_i32(t, (int32_t)(i * 10 + m));
		jsonw_arr_close(&t->j);
		parquet_write_list_end(t->w);
	}
	jsonw_arr_close(&t->j);
	parquet_write_list_end(t->w);

	jsonw_key(&t->j, "m");
	if (i % 6 == 5)
		tt_null(t);
	else {
		parquet_write_list_begin(t->w);
		jsonw_obj_open(&t->j);
		for (k = 0; k < i % 3; k++) {
			snprintf(s, sizeof(s), "k%" PRId64, k);
			parquet_write_str(t->w, s);
			jsonw_key(&t->j, s);
			k == 1 ? tt_null(t) : tt_str(t, "v");
		}
		jsonw_obj_close(&t->j);
		parquet_write_list_end(t->w);
	}

	jsonw_key(&t->j, "m_i");
	parquet_write_list_begin(t->w);
	jsonw_obj_open(&t->j);
	for (k = 0; k < i % 2 * 2; k++) {
		snprintf(s, sizeof(s), "%" PRId64, k * 10 + i);
		parquet_write_i32(t->w, (int32_t)(k * 10 + i));
		jsonw_key(&t->j, s);
		tt_double(t, (double)k + 0.5);
	}
	jsonw_obj_close(&t->j);
	parquet_write_list_end(t->w);
}

static int
types_test(const struct opts *o)
{
	struct parquet_write_schema	*s;
	struct parquet_write_opts	 po;
	struct tt			 t;
	struct buf			 b;
	struct err			 e;
	int64_t				 i;
	static const char *const	 kv[] = {
		"generator", "mktable --types-test", NULL
	};

	s = types_schema();
	memset(&po, 0, sizeof(po));
	po.codec = o->codec;
	po.dictionary = o->dictionary;
	po.row_group_rows = o->rg_rows;
	po.page_bytes = (size_t)o->page_bytes;
	po.kv = kv;
	if ((t.w = parquet_write_open(o->target, s, &po, &e)) == NULL)
		die("%s", e.msg);
	buf_init(&b, 0);
	for (i = 0; i < o->rows; i++) {
		buf_reset(&b);
		jsonw_init(&t.j, &b);
		jsonw_obj_open(&t.j);
		parquet_write_row_begin(t.w);
		types_flat(&t, i);
		types_nested(&t, i);
		if (parquet_write_row_end(t.w, &e) == -1)
			die("%s", e.msg);
		jsonw_obj_close(&t.j);
		printf("%s\n", buf_str(&b));
	}
	if (parquet_write_close(t.w, &e) == -1)
		die("%s", e.msg);
	parquet_write_free(t.w);
	parquet_write_schema_free(s);
	buf_release(&b);
	return 0;
}

/* --- main ---------------------------------------------------------------- */

static int64_t
num_arg(const char *opt, const char *s, int64_t min, int64_t max)
{
	int64_t	 v;

	if (str_parse_i64(s, min, max, &v) == -1)
		die("%s: bad number '%s'", opt, s);
	return v;
}

static enum parquet_write_codec
codec_arg(const char *s)
{
	if (strcmp(s, "uncompressed") == 0 || strcmp(s, "none") == 0)
		return PQ_UNCOMPRESSED;
	if (strcmp(s, "snappy") == 0)
		return PQ_SNAPPY;
	if (strcmp(s, "gzip") == 0)
		return PQ_GZIP;
	if (strcmp(s, "zstd") == 0)
		return PQ_ZSTD;
	die("unknown codec '%s'", s);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "rows", required_argument, NULL, 'r' },
		{ "files", required_argument, NULL, 'f' },
		{ "force", no_argument, NULL, 'F' },
		{ "types-test", no_argument, NULL, 'T' },
		{ "codec", required_argument, NULL, 'c' },
		{ "dictionary", no_argument, NULL, 'D' },
		{ "row-group-rows", required_argument, NULL, 'g' },
		{ "page-bytes", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 }
	};
	struct opts	 o;
	int		 ch;
	bool		 rows_set = false;

	memset(&o, 0, sizeof(o));
	o.seed = 1;
	o.files = 4;
	o.codec = PQ_SNAPPY;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 's':
			o.seed = (uint64_t)num_arg("--seed", optarg, 0,
			    INT64_MAX);
			break;
		case 'r':
			o.rows = num_arg("--rows", optarg, 1, INT32_MAX);
			rows_set = true;
			break;
		case 'f':
			o.files = num_arg("--files", optarg, 1, 100000);
			break;
		case 'F':
			o.force = true;
			break;
		case 'T':
			o.types = true;
			break;
		case 'c':
			o.codec = codec_arg(optarg);
			break;
		case 'D':
			o.dictionary = true;
			break;
		case 'g':
			o.rg_rows = num_arg("--row-group-rows", optarg, 1,
			    INT64_MAX);
			break;
		case 'p':
			o.page_bytes = num_arg("--page-bytes", optarg, 1,
			    INT32_MAX);
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 1)
		usage();
	o.target = argv[optind];
	if (!rows_set)
		o.rows = o.types ? 300 : 20;
	return o.types ? types_test(&o) : demo(&o);
}
