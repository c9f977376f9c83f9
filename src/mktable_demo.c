/*
 * mktable_demo.c: the demo table of mktable(the first form in mktable.c):
 * its schema, deterministic rows, data files with statistics, and its
 * four commits.  Generated logs (mktable_log.c) reuse its pieces.
 */

#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "delta_write.h"
#include "err.h"
#include "mktable.h"
#include "parquet_write.h"
#include "strutil.h"
#include "xmalloc.h"

void
mktable_demo_row(const struct spec *s, int64_t i, struct row *r)
{
	uint64_t	 x = mktable_mix(s->seed ^ mktable_mix((uint64_t)i));

	r->id = s->id_base + i;
	r->city = x % 10 == 0 ? NULL : mktable_cities[s->region][(x >> 8) % 3];
	r->has_amount = (x >> 16) % 17 != 0;
	r->amount = (double)((x >> 24) % 1000000) / 100.0;
	r->ts = T0_MICROS + (int64_t)((x >> 32) % (30 * 86400)) * 1000000 +
	    (int64_t)((x >> 12) % 1000) * 1000;
	r->day = (int32_t)str_floor_div(r->ts, DAY_MICROS);
}

/* Rows dropped by the DELETE of version 2. */
bool
mktable_demo_deleted(const struct row *r)
{
	return r->id % 3 == 0;
}

/* The demo's columns under root: id, city, amount, ts, day. */
static void
demo_columns(struct parquet_write_node *root, struct parquet_write_node **n)
{
	struct parquet_write_leaf	 l;

	n[0] = parquet_write_add_column(root, "id", PQ_REQUIRED, PQ_INT64);
	n[1] = parquet_write_add_string(root, "city", PQ_OPTIONAL);
	n[2] = parquet_write_add_column(root, "amount", PQ_OPTIONAL,
	    PQ_DOUBLE);
	memset(&l, 0, sizeof(l));
	l.type = PQ_INT64;
	l.logical = PQ_LT_TIMESTAMP;
	l.utc = true;
	n[3] = parquet_write_add_leaf(root, "ts", PQ_OPTIONAL, &l);
	memset(&l, 0, sizeof(l));
	l.type = PQ_INT32;
	l.logical = PQ_LT_DATE;
	n[4] = parquet_write_add_leaf(root, "day", PQ_OPTIONAL, &l);
}

void
mktable_demo_schema(struct table *t)
{
	struct parquet_write_node	*n[5];

	t->schema = parquet_write_schema_new();
	demo_columns(parquet_write_schema_root(t->schema), n);
	t->c_id = n[0];
	t->c_city = n[1];
	t->c_amount = n[2];
	t->c_ts = n[3];
	t->c_day = n[4];
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

/* One row's values in the demo's column order. */
static void
write_row(struct parquet_write *w, const struct row *r)
{
	parquet_write_i64(w, r->id);
	if (r->city != NULL)
		parquet_write_str(w, r->city);
	else
		parquet_write_null(w);
	if (r->has_amount)
		parquet_write_double(w, r->amount);
	else
		parquet_write_null(w);
	parquet_write_i64(w, r->ts);
	parquet_write_i32(w, r->day);
}

/* The rows of s, without the deleted ones if delete, nor those gone[i]. */
static void
write_rows(struct table *t, struct parquet_write *w, const struct spec *s,
    bool delete, const unsigned char *gone)
{
	struct row	 r;
	struct err	 e;
	int64_t		 i;

	(void)t;
	for (i = 0; i < s->rows; i++) {
		mktable_demo_row(s, i, &r);
		if ((delete && mktable_demo_deleted(&r)) || (gone != NULL && gone[i]))
			continue;
		parquet_write_row_begin(w);
		write_row(w, &r);
		if (parquet_write_row_end(w, &e) == -1)
			mktable_die("%s", e.msg);
	}
}

/* A data file as written: its add.path, rows, size, time and stats. */
/*
 * Write the data file of spec s (without the deleted rows if delete, nor
 * the rows gone[] marks) as the nth file of a commit.
 */
void
mktable_demo_data_file(struct table *t, const struct spec *s, bool delete,
    const unsigned char *gone, int n, struct written *out)
{
	struct parquet_write_opts	 po;
	struct parquet_write		*w;
	struct buf			 rel, uri;
	struct stat			 st;
	struct err			 e;
	char				 uuid[37], *path;

	mktable_uuid_text(&t->rng, uuid);
	buf_init(&rel, 0);
	buf_init(&uri, 0);
	delta_write_partition_dir(&rel, "region", mktable_regions[s->region]);
	path = xasprintf("%s/%s", t->dir, buf_str(&rel));
	mktable_mkdir_p(path);
	free(path);
	buf_addf(&rel, "/part-%05d-%s.c000.snappy.parquet", n, uuid);
	delta_write_uri_path(&uri, buf_str(&rel));
	path = xasprintf("%s/%s", t->dir, buf_str(&rel));

	memset(&po, 0, sizeof(po));
	po.codec = PQ_SNAPPY;
	if ((w = parquet_write_open(path, t->schema, &po, &e)) == NULL)
		mktable_die("%s", e.msg);
	write_rows(t, w, s, delete, gone);
	if (parquet_write_close(w, &e) == -1)
		mktable_die("%s", e.msg);
	if (stat(path, &st) == -1)
		mktable_die("cannot stat '%s': %s", path, strerror(errno));
	out->stats = file_stats(t, w);
	out->uri = buf_detach(&uri);
	out->rows = parquet_write_rows(w);
	out->size = parquet_write_size(w);
	out->mtime = (int64_t)st.st_mtim.tv_sec * 1000 +
	    st.st_mtim.tv_nsec / 1000000;
	parquet_write_free(w);
	free(path);
	buf_release(&rel);
}

/*
 * Write the data file of spec s (without the deleted rows if delete) as
 * the nth file of the commit, and add it to the commit and the live set.
 */
static void
add_file(struct table *t, struct delta_write_commit *c, const struct spec *s,
    bool delete, int n)
{
	struct delta_write_add		 a;
	struct delta_write_kv		 pv;
	struct written			 wr;
	struct live			*l;

	mktable_demo_data_file(t, s, delete, NULL, n, &wr);
	memset(&a, 0, sizeof(a));
	pv.key = "region";
	pv.value = mktable_regions[s->region];
	a.path = wr.uri;
	a.partition_values = &pv;
	a.npartition_values = 1;
	a.size = wr.size;
	a.modification_time = wr.mtime;
	a.data_change = true;
	a.stats = wr.stats;
	delta_write_add(c, &a);

	t->files = xreallocarray(t->files, t->nfiles + 1, sizeof(*t->files));
	l = &t->files[t->nfiles++];
	l->uri = wr.uri;
	l->spec = *s;
	l->rows = wr.rows;
	l->size = wr.size;
	free(wr.stats);
}

/* A new spec of fresh rows for region. */
struct spec
mktable_demo_spec(struct table *t, int region)
{
	struct spec	 s;

	s.region = region;
	s.id_base = t->next_id;
	s.rows = t->o->rows;
	s.seed = mktable_next(&t->rng);
	t->next_id += s.rows;
	return s;
}

void
mktable_demo_commit_begin(struct delta_write_commit *c, int64_t version,
    const char *op, const struct delta_write_kv *params, size_t nparams,
    bool blind)
{
	struct delta_write_commit_info	 ci;

	delta_write_commit_init(c, version);
	memset(&ci, 0, sizeof(ci));
	ci.timestamp = mktable_now_ms();
	ci.operation = op;
	ci.parameters = params;
	ci.nparameters = nparams;
	ci.read_version = version - 1;
	ci.blind_append = blind;
	delta_write_commit_info(c, &ci);
}

void
mktable_demo_commit_end(struct table *t, struct delta_write_commit *c)
{
	struct err	 e;

	if (delta_write_commit_finish(c, t->dir, &e) == -1)
		mktable_die("%s", e.msg);
	delta_write_commit_release(c);
}

/* Begin the commit that creates the table (version 0). */
void
mktable_demo_begin_create(struct delta_write_commit *c)
{
	static const struct delta_write_kv params[] = {
		{ "mode", "ErrorIfExists" },
		{ "partitionBy", "[\"region\"]" }
	};

	mktable_demo_commit_begin(c, 0, "WRITE", params, 2, true);
}

void
mktable_demo_metadata(struct table *t, struct delta_write_commit *c,
    const struct delta_write_kv *conf, size_t nconf)
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
	struct delta_write_metadata	 m;
	char				 id[37];

	mktable_uuid_text(&t->rng, id);
	memset(&m, 0, sizeof(m));
	m.id = id;
	m.fields = fields;
	m.nfields = sizeof(fields) / sizeof(fields[0]);
	m.partition_columns = parts;
	m.npartition_columns = 1;
	m.configuration = conf;
	m.nconfiguration = nconf;
	m.created_time = mktable_now_ms();
	delta_write_metadata(c, &m);
}

static void
version0(struct table *t)
{
	static const struct delta_write_kv conf[] = {
		{ "delta.enableChangeDataFeed", "true" }
	};
	struct delta_write_commit	 c;
	struct spec			 s;
	int64_t				 i;

	mktable_demo_begin_create(&c);
	delta_write_protocol(&c, 1, 4);
	mktable_demo_metadata(t, &c, conf, 1);
	for (i = 0; i < t->o->files; i++) {
		s = mktable_demo_spec(t, (int)(i % NREGIONS));
		add_file(t, &c, &s, false, (int)i);
	}
	mktable_demo_commit_end(t, &c);
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

	mktable_demo_commit_begin(&c, version, "WRITE", params, 2, true);
	s = mktable_demo_spec(t, ra);
	add_file(t, &c, &s, false, 0);
	s = mktable_demo_spec(t, rb);
	add_file(t, &c, &s, false, 1);
	mktable_demo_commit_end(t, &c);
}

/*
 * The change data of the DELETE: the deleted rows of spec s with
 * _change_type "delete", in _change_data/, added to the commit as a cdc
 * action, as writers do on tables with the change data feed on.
 */
static void
cdc_file(struct table *t, struct delta_write_commit *c, const struct spec *s,
    const struct delta_write_kv *pv)
{
	struct parquet_write_schema	*schema;
	struct parquet_write_node	*n[5];
	struct parquet_write_opts	 po;
	struct parquet_write		*w;
	struct delta_write_add		 a;
	struct row			 r;
	struct err			 e;
	char				 uuid[37], *rel, *path;
	int64_t				 i;

	schema = parquet_write_schema_new();
	demo_columns(parquet_write_schema_root(schema), n);
	parquet_write_add_string(parquet_write_schema_root(schema),
	    "_change_type", PQ_REQUIRED);
	mktable_uuid_text(&t->rng, uuid);
	rel = xasprintf("_change_data/cdc-00000-%s.c000.snappy.parquet", uuid);
	path = xasprintf("%s/_change_data", t->dir);
	mktable_mkdir_p(path);
	free(path);
	path = xasprintf("%s/%s", t->dir, rel);
	memset(&po, 0, sizeof(po));
	po.codec = PQ_SNAPPY;
	if ((w = parquet_write_open(path, schema, &po, &e)) == NULL)
		mktable_die("%s", e.msg);
	for (i = 0; i < s->rows; i++) {
		mktable_demo_row(s, i, &r);
		if (!mktable_demo_deleted(&r))
			continue;
		parquet_write_row_begin(w);
		write_row(w, &r);
		parquet_write_str(w, "delete");
		if (parquet_write_row_end(w, &e) == -1)
			mktable_die("%s", e.msg);
	}
	if (parquet_write_close(w, &e) == -1)
		mktable_die("%s", e.msg);
	memset(&a, 0, sizeof(a));
	a.path = rel;
	a.partition_values = pv;
	a.npartition_values = 1;
	a.size = parquet_write_size(w);
	delta_write_cdc(c, &a);
	parquet_write_free(w);
	parquet_write_schema_free(schema);
	free(rel);
	free(path);
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

	mktable_demo_commit_begin(&c, 2, "DELETE", params, 1, false);
	gone = t->files[victim];
	memmove(&t->files[victim], &t->files[victim + 1],
	    (t->nfiles - victim - 1) * sizeof(*t->files));
	t->nfiles--;
	memset(&r, 0, sizeof(r));
	pv.key = "region";
	pv.value = mktable_regions[gone.spec.region];
	r.path = gone.uri;
	r.deletion_timestamp = mktable_now_ms();
	r.data_change = true;
	r.extended_file_metadata = true;
	r.partition_values = &pv;
	r.npartition_values = 1;
	r.size = gone.size;
	delta_write_remove(&c, &r);
	add_file(t, &c, &gone.spec, true, 0);
	cdc_file(t, &c, &gone.spec, &pv);
	mktable_demo_commit_end(t, &c);
	free(gone.uri);
}

/* Remove what an earlier run wrote: the log and our data files. */
void
mktable_demo_wipe(const char *dir)
{
	DIR		*d, *sub;
	struct dirent	*de, *se;
	char		*p, *q;
	size_t		 n;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, "_delta_log") != 0 &&
		    strcmp(de->d_name, "_change_data") != 0 &&
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
					mktable_die("cannot remove '%s': %s", q,
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

int
mktable_demo(const struct opts *o)
{
	struct table	 t;
	int64_t		 rows = 0;
	size_t		 i;

	if (mktable_left_alone(o))
		return 0;
	if (o->force)
		mktable_demo_wipe(o->target);
	mktable_mkdir_p(o->target);

	memset(&t, 0, sizeof(t));
	t.o = o;
	t.dir = o->target;
	t.rng = mktable_mix(o->seed);
	t.next_id = 1;
	mktable_demo_schema(&t);
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

