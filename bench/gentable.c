/*
 * gentable.c: large Delta tables for the benchmark, written with the
 * project's own writers (delta_write for the commits, delta_write_ckpt
 * for the Parquet checkpoints, parquet_write for the tiny data file).
 *
 *	gentable --files N [--commits C] [--checkpoint-every K]
 *	    [--keep-checkpoints M] [--remove-ratio R] [--seed S]
 *	    [--json-only DIR2] [--data none|tiny] DIR
 *
 * The log looks like a partitioned Spark table's: version 0 creates the
 * table with a bulk load, a few more bulk loads follow in the first half
 * of the history, and the rest are small appends, DELETEs (removes and
 * rewritten files) and OPTIMIZEs (many removes, few adds, dataChange
 * false).  Every file has a Spark path under date=/region= partition
 * directories, a size, a modification time and stats for five columns.
 * The plan is made so that exactly N files are live at the end.  A
 * classic Parquet checkpoint and _last_checkpoint are written at each
 * version that is a multiple of K; --json-only writes the same commits,
 * without checkpoints, under DIR2.
 *
 * Everything is a function of the seed: a file is a number, and its
 * path, partition, size and stats are derived from it, so the live set
 * is an array of numbers.  Commits go to disk as they are made.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "delta_write.h"
#include "delta_write_ckpt.h"
#include "err.h"
#include "mktable.h"
#include "parquet_write.h"
#include "xmalloc.h"

#define T0_MS		INT64_C(1704067200000)	/* 2024-01-01T00:00:00Z */
#define DAY_MS		INT64_C(86400000)
#define SPAN_DAYS	180	/* the history the commits spread over */
#define HIST_DAYS	365	/* days of data a bulk load covers */
#define TOMB_MS		(7 * DAY_MS)	/* deletedFileRetentionDuration */
#define GEN_REGIONS	8

static const char *const regions[GEN_REGIONS] = {
	"us-east-1", "us-west-2", "eu-west-1", "eu-central-1",
	"ap-south-1", "ap-northeast-1", "sa-east-1", "ca-central-1"
};

enum kind { K_CREATE, K_BULK, K_APPEND, K_DELETE, K_OPTIMIZE };

/* One commit of the plan. */
struct step {
	enum kind	 kind;
	int64_t		 nadd, nrem;
};

struct gopts {
	int64_t		 files;
	int64_t		 commits;	/* 0: auto */
	int64_t		 every;
	int64_t		 keep;		/* checkpoints written; 0: all */
	double		 remove_ratio;
	uint64_t	 seed;
	const char	*json_dir;
	bool		 data;
	const char	*dir;
};

/* A removed file, kept for the checkpoints' tombstones. */
struct tomb {
	uint32_t	 id;
	uint32_t	 version;
};

struct gen {
	const struct gopts	*o;
	struct step		*plan;
	int64_t			 ncommits;
	uint32_t		*first;		/* first file id of each version */
	uint32_t		 next_id;
	uint32_t		*live;
	size_t			 nlive;
	struct tomb		*tombs;
	size_t			 ntombs;
	uint64_t		 rng;
	struct buf		 path, stats;
	char			*tiny;		/* the one data file (--data) */
	int64_t			 tiny_size;
	int64_t			 links;		/* to the current tiny file */
	int			 ntiny;
	unsigned char		*made;		/* partition dirs made */
	int64_t			 log_bytes, ckpt_bytes;
	int			 nckpts;
	int			 running;	/* checkpoint writers */
};

static uint64_t
rnd(struct gen *g, uint64_t n)
{
	g->rng = mktable_mix(g->rng);
	return n == 0 ? 0 : g->rng % n;
}

/* The commit time of version v, in ms. */
static int64_t
commit_ts(const struct gen *g, int64_t v)
{
	int64_t	 step = SPAN_DAYS * DAY_MS / g->ncommits;

	return T0_MS + v * step + (int64_t)(mktable_mix(g->o->seed ^ (uint64_t)v) %
	    (uint64_t)(step / 2 + 1));
}

/* --- the plan ------------------------------------------------------------ */

/* Where the k-th of nb extra bulk loads goes: spread over the first half. */
static int64_t
bulk_at(int64_t c, int64_t nb, int64_t k)
{
	return 1 + (k + 1) * (c / 2) / (nb + 1);
}

/* Live files after each step; -1 if a remove would take more than half. */
static int64_t
simulate(const struct step *p, int64_t c)
{
	int64_t	 v, live = 0;

	for (v = 0; v < c; v++) {
		if (p[v].nrem > live / 2)
			return -1;
		live += p[v].nadd - p[v].nrem;
	}
	return live;
}

static void
plan_make(struct gen *g)
{
	const struct gopts	*o = g->o;
	int64_t			 c = g->ncommits, n = o->files;
	int64_t			 nb, v, k, amax, nrem = 0, rem, bulk, live;
	struct step		*p;

	p = g->plan = xcalloc((size_t)c, sizeof(*p));
	nb = c >= 100 ? (c / 100 < 8 ? c / 100 : 8) : (c >= 8 ? 1 : 0);
	for (v = 1; v < c; v++) {
		p[v].kind = K_APPEND;
		if (o->remove_ratio > 0 && rnd(g, 100) < 12) {
			p[v].kind = rnd(g, 2) ? K_DELETE : K_OPTIMIZE;
			nrem++;
		}
	}
	for (k = 0; k < nb; k++)
		p[bulk_at(c, nb, k)].kind = K_BULK;
	amax = n / (8 * c);
	amax = amax < 1 ? 1 : amax > 64 ? 64 : amax;
	rem = (int64_t)(o->remove_ratio * (double)n);
	bulk = n;
	for (v = 1; v < c; v++) {
		switch (p[v].kind) {
		case K_APPEND:
			p[v].nadd = 1 + (int64_t)rnd(g, (uint64_t)amax * 2);
			break;
		case K_DELETE:
		case K_OPTIMIZE:
			p[v].nrem = rem / nrem / 2 + (int64_t)rnd(g,
			    (uint64_t)(rem / nrem + 1)) + 1;
			p[v].nadd = p[v].kind == K_DELETE ? p[v].nrem / 2 :
			    p[v].nrem / 8 + 1;
			break;
		default:
			break;
		}
		bulk -= p[v].nadd - p[v].nrem;
	}
	if (bulk < 2 * (nb + 1))
		mktable_die("%s: too many commits for so few files (try fewer "
		    "--commits or a lower --remove-ratio)", o->dir);
	/* Half to version 0, the rest shared by the other bulk loads. */
	for (k = 0; k < nb; k++)
		p[bulk_at(c, nb, k)].nadd = bulk / 2 / (nb + 1) + 1;
	for (k = 0, live = 0; k < nb; k++)
		live += p[bulk_at(c, nb, k)].nadd;
	p[0].kind = K_CREATE;
	p[0].nadd = bulk - live;
	if (simulate(p, c) != n)
		mktable_die("%s: no plan found for these sizes (try fewer --commits "
		    "or a lower --remove-ratio)", o->dir);
}

/* --- one file ------------------------------------------------------------ */

/* The version that added file id. */
static int64_t
born(const struct gen *g, uint32_t id)
{
	int64_t	 lo = 0, hi = g->ncommits - 1, mid;

	while (lo < hi) {
		mid = (lo + hi + 1) / 2;
		if (g->first[mid] <= id)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

/* What is derived from a file's number. */
struct file {
	uint64_t	 h;
	int64_t		 version;
	int		 day;		/* days since 2023-01-01 (partition) */
	int		 region;
	char		 date[24];
	struct delta_write_kv pv[2];
	int64_t		 rows, size, mtime;
};

static void
file_of(struct gen *g, uint32_t id, struct file *f)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
	    31, 30, 31, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int64_t		 ts;
	int		 d, m;

	memset(f, 0, sizeof(*f));
	f->h = mktable_mix(g->o->seed * 31 + id);
	f->version = born(g, id);
	ts = commit_ts(g, f->version);
	/* Bulk loads cover a year of data, the others the last days. */
	d = (int)((ts - T0_MS) / DAY_MS) + HIST_DAYS;
	if (g->plan[f->version].kind == K_CREATE ||
	    g->plan[f->version].kind == K_BULK)
		f->day = d - (int)(f->h % HIST_DAYS);
	else
		f->day = d - (int)(f->h % 3);
	f->region = (int)((f->h >> 16) % GEN_REGIONS);
	for (d = f->day, m = 0; d >= mdays[m]; m++)
		d -= mdays[m];
	snprintf(f->date, sizeof(f->date), "%d-%02d-%02d", 2023 + m / 12,
	    m % 12 + 1, d + 1);
	f->pv[0].key = "date";
	f->pv[0].value = f->date;
	f->pv[1].key = "region";
	f->pv[1].value = regions[f->region];
	switch (g->plan[f->version].kind) {
	case K_APPEND:
		f->rows = 1000 + (int64_t)((f->h >> 24) % 50000);
		break;
	case K_OPTIMIZE:
		f->rows = 800000 + (int64_t)((f->h >> 24) % 400000);
		break;
	default:
		f->rows = 100000 + (int64_t)((f->h >> 24) % 900000);
		break;
	}
	f->size = g->tiny != NULL ? g->tiny_size : f->rows * 38 +
	    (int64_t)((f->h >> 40) % 4096) + 1024;
	f->mtime = ts - 1000 - (int64_t)((f->h >> 8) % 60000);
}

/* add.path: date=.../region=.../part-NNNNN-<uuid>.c000.snappy.parquet */
static const char *
file_path(struct gen *g, uint32_t id, const struct file *f)
{
	uint64_t	 st = f->h;
	char		 name[96], uuid[37];

	buf_reset(&g->path);
	delta_write_partition_dir(&g->path, "date", f->date);
	buf_addc(&g->path, '/');
	delta_write_partition_dir(&g->path, "region", regions[f->region]);
	mktable_uuid_text(&st, uuid);
	snprintf(name, sizeof(name), "/part-%05u-%s.c000.snappy.parquet",
	    (unsigned)(id - g->first[f->version]) % 2000, uuid);
	buf_adds(&g->path, name);
	return buf_str(&g->path);
}

/* The stats of five columns: id, event_time, customer, amount, qty. */
static const char *
file_stats(struct gen *g, uint32_t id, const struct file *f)
{
	struct delta_write_stat	 s[5];
	int64_t			 day_us;
	char			 cmin[32], cmax[32];
	uint64_t		 h = mktable_mix(f->h ^ 0x5eed);

	memset(s, 0, sizeof(s));
	day_us = ((int64_t)(f->day - HIST_DAYS) * DAY_MS + T0_MS) * 1000;
	snprintf(cmin, sizeof(cmin), "customer-%06u", (unsigned)(h % 400000));
	snprintf(cmax, sizeof(cmax), "customer-%06u", (unsigned)(h % 400000 +
	    400000 + (h >> 20) % 199999));
	s[0].name = "id";
	s[0].type = DELTA_STAT_LONG;
	s[0].min.i = (int64_t)id * 1000000;
	s[0].max.i = s[0].min.i + f->rows * 3;
	s[1].name = "event_time";
	s[1].type = DELTA_STAT_TIMESTAMP;
	s[1].min.i = day_us + (int64_t)((h >> 8) % 3600) * 1000000;
	s[1].max.i = day_us + DAY_MS * 1000 - 1 - (int64_t)((h >> 16) %
	    3600000000);
	s[2].name = "customer";
	s[2].type = DELTA_STAT_STRING;
	s[2].min.s = cmin;
	s[2].max.s = cmax;
	s[2].null_count = (int64_t)((h >> 24) % 50);
	s[3].name = "amount";
	s[3].type = DELTA_STAT_DOUBLE;
	s[3].min.d = (double)((h >> 32) % 1000) / 100.0;
	s[3].max.d = 5000.0 + (double)((h >> 40) % 500000) / 100.0;
	s[3].null_count = (int64_t)((h >> 48) % 3) * f->rows / 1000;
	s[4].name = "quantity";
	s[4].type = DELTA_STAT_LONG;
	s[4].min.i = 1;
	s[4].max.i = 10 + (int64_t)((h >> 52) % 990);
	s[0].has_minmax = s[1].has_minmax = s[2].has_minmax = true;
	s[3].has_minmax = s[4].has_minmax = true;
	buf_reset(&g->stats);
	delta_write_stats(&g->stats, f->rows, s, 5);
	return buf_str(&g->stats);
}

static void
put_add(struct gen *g, struct delta_write_commit *c, uint32_t id,
    bool data_change)
{
	struct delta_write_add	 a;
	struct file		 f;

	file_of(g, id, &f);
	memset(&a, 0, sizeof(a));
	a.path = file_path(g, id, &f);
	a.partition_values = f.pv;
	a.npartition_values = 2;
	a.size = f.size;
	a.modification_time = f.mtime;
	a.data_change = data_change;
	a.stats = file_stats(g, id, &f);
	delta_write_add(c, &a);
}

static void
put_remove(struct gen *g, struct delta_write_commit *c, uint32_t id,
    int64_t when, bool data_change)
{
	struct delta_write_remove	 r;
	struct file			 f;

	file_of(g, id, &f);
	memset(&r, 0, sizeof(r));
	r.path = file_path(g, id, &f);
	r.deletion_timestamp = when;
	r.data_change = data_change;
	r.extended_file_metadata = true;
	r.partition_values = f.pv;
	r.npartition_values = 2;
	r.size = f.size;
	delta_write_remove(c, &r);
}

/* --- data files (--data tiny) -------------------------------------------- */

/*
 * One small Parquet file of the table's data columns; a new one when the
 * last has as many links as a file system allows (ext4: 65000).
 */
static void
tiny_make(struct gen *g)
{
	struct parquet_write_schema	*s = parquet_write_schema_new();
	struct parquet_write_node	*r = parquet_write_schema_root(s);
	struct parquet_write		*w;
	struct err			 e;
	struct stat			 st;

	parquet_write_add_column(r, "id", PQ_OPTIONAL, PQ_INT64);
	parquet_write_add_leaf(r, "event_time", PQ_OPTIONAL,
	    &(struct parquet_write_leaf){ .type = PQ_INT64,
	    .logical = PQ_LT_TIMESTAMP, .utc = true });
	parquet_write_add_string(r, "customer", PQ_OPTIONAL);
	parquet_write_add_column(r, "amount", PQ_OPTIONAL, PQ_DOUBLE);
	parquet_write_add_column(r, "quantity", PQ_OPTIONAL, PQ_INT64);
	free(g->tiny);
	g->tiny = xasprintf("%s/_delta_log/.gentable-data-%d.parquet",
	    g->o->dir, g->ntiny++);
	g->links = 0;
	w = parquet_write_open(g->tiny, s, &(struct parquet_write_opts){
	    .codec = PQ_SNAPPY }, &e);
	if (w == NULL)
		mktable_die("%s", e.msg);
	parquet_write_row_begin(w);
	parquet_write_i64(w, 1);
	parquet_write_i64(w, T0_MS * 1000);
	parquet_write_str(w, "customer-000001");
	parquet_write_double(w, 9.99);
	parquet_write_i64(w, 1);
	if (parquet_write_row_end(w, &e) == -1 ||
	    parquet_write_close(w, &e) == -1)
		mktable_die("%s", e.msg);
	parquet_write_free(w);
	parquet_write_schema_free(s);
	if (stat(g->tiny, &st) == -1)
		mktable_die("cannot stat '%s'", g->tiny);
	g->tiny_size = st.st_size;
}

/* Hard links to the tiny file at the new files' paths. */
static void
data_link(struct gen *g, const char *dir, uint32_t from, uint32_t to)
{
	struct file	 f;
	const char	*rel;
	char		*p;
	uint32_t	 id;
	size_t		 slot, bit = dir == g->o->dir ? 1 : 2;

	for (id = from; id < to; id++) {
		file_of(g, id, &f);
		rel = file_path(g, id, &f);
		slot = (size_t)f.day * GEN_REGIONS + (size_t)f.region;
		p = xasprintf("%s/%s", dir, rel);
		if (!(g->made[slot] & bit)) {
			*strrchr(p, '/') = '\0';
			mktable_mkdir_p(p);
			p[strlen(p)] = '/';
			g->made[slot] |= bit;
		}
		if (g->links++ == 60000)
			tiny_make(g);
		if (link(g->tiny, p) == -1)
			mktable_die("cannot link '%s': %s", p, strerror(errno));
		free(p);
	}
}

/* --- commits and checkpoints --------------------------------------------- */

static const struct delta_write_field fields[] = {
	{ "id", "long", true },
	{ "event_time", "timestamp", true },
	{ "customer", "string", true },
	{ "amount", "double", true },
	{ "quantity", "long", true },
	{ "date", "string", true },
	{ "region", "string", true },
};
static const char *const part_cols[] = { "date", "region" };

static void
put_table(struct gen *g, struct delta_write_commit *c)
{
	struct delta_write_metadata	 m;
	struct delta_write_kv		 conf[1];
	char				 id[37], every[24];
	uint64_t			 st = g->o->seed ^ 0x7ab1e;

	mktable_uuid_text(&st, id);
	snprintf(every, sizeof(every), "%" PRId64, g->o->every);
	conf[0].key = "delta.checkpointInterval";
	conf[0].value = every;
	memset(&m, 0, sizeof(m));
	m.id = id;
	m.fields = fields;
	m.nfields = sizeof(fields) / sizeof(fields[0]);
	m.partition_columns = part_cols;
	m.npartition_columns = 2;
	m.configuration = conf;
	m.nconfiguration = 1;
	m.created_time = T0_MS;
	delta_write_protocol(c, 1, 2);
	delta_write_metadata(c, &m);
}

static void
put_info(struct gen *g, struct delta_write_commit *c, int64_t v)
{
	static const struct delta_write_kv create[] = {
		{ "mode", "ErrorIfExists" },
		{ "partitionBy", "[\"date\",\"region\"]" } };
	static const struct delta_write_kv append[] = {
		{ "mode", "Append" }, { "partitionBy", "[]" } };
	static const struct delta_write_kv del[] = {
		{ "predicate", "[\"(quantity#12L > 900)\"]" } };
	static const struct delta_write_kv opt[] = {
		{ "predicate", "[]" }, { "zOrderBy", "[]" } };
	struct delta_write_commit_info	 ci;

	memset(&ci, 0, sizeof(ci));
	ci.timestamp = commit_ts(g, v);
	ci.read_version = v - 1;
	ci.engine_info = "Apache-Spark/3.5.1 Delta-Lake/3.2.0";
	switch (g->plan[v].kind) {
	case K_CREATE:
		ci.operation = "WRITE";
		ci.parameters = create;
		ci.nparameters = 2;
		break;
	case K_BULK:
	case K_APPEND:
		ci.operation = "WRITE";
		ci.parameters = append;
		ci.nparameters = 2;
		ci.blind_append = true;
		break;
	case K_DELETE:
		ci.operation = "DELETE";
		ci.parameters = del;
		ci.nparameters = 1;
		break;
	case K_OPTIMIZE:
		ci.operation = "OPTIMIZE";
		ci.parameters = opt;
		ci.nparameters = 2;
		break;
	}
	delta_write_commit_info(c, &ci);
}

/* The lines of c's buffer, NUL-terminated in place. */
static const char **
split_lines(struct delta_write_commit *c, size_t *n)
{
	const char	**v;
	char		 *p, *end = c->b.data + c->b.len, *nl;
	size_t		  cap = 1024;

	v = xcalloc(cap, sizeof(*v));
	*n = 0;
	for (p = c->b.data; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		*nl = '\0';
		if (*n == cap) {
			cap *= 2;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		v[(*n)++] = p;
	}
	return v;
}

static bool
ckpt_wanted(const struct gen *g, int64_t v)
{
	int64_t	 last = (g->ncommits - 1) / g->o->every * g->o->every;

	return v > 0 && v % g->o->every == 0 && (g->o->keep == 0 ||
	    v > last - g->o->keep * g->o->every);
}

/*
 * The classic checkpoint of version v, and _last_checkpoint if it is the
 * last one.
 */
static void
checkpoint(struct gen *g, int64_t v)
{
	struct delta_write_ckpt_opts	 co;
	struct delta_write_commit	 c;
	struct err			 e;
	const char			**lines;
	int64_t				 since = commit_ts(g, v) - TOMB_MS;
	size_t				 i, n;

	delta_write_commit_init(&c, v);
	put_table(g, &c);
	for (i = 0; i < g->nlive; i++)
		put_add(g, &c, g->live[i], false);
	for (i = 0; i < g->ntombs; i++)
		if (commit_ts(g, g->tombs[i].version) > since)
			put_remove(g, &c, g->tombs[i].id,
			    commit_ts(g, g->tombs[i].version), false);
	if (c.b.overflow)
		mktable_die("%s: checkpoint too large", g->o->dir);
	lines = split_lines(&c, &n);
	memset(&co, 0, sizeof(co));
	co.kind = DELTA_WRITE_CKPT_CLASSIC;
	co.codec = PQ_SNAPPY;
	co.last_checkpoint = v + g->o->every >= g->ncommits;
	if (delta_write_ckpt(g->o->dir, v, lines, n, &co, &e) == -1)
		mktable_die("%s", e.msg);
	free(lines);
	delta_write_commit_release(&c);
}

/* Wait for one checkpoint writer; it must have succeeded. */
static void
checkpoint_wait(struct gen *g)
{
	int	 status;

	if (wait(&status) == -1 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		mktable_die("%s: a checkpoint failed", g->o->dir);
	g->running--;
}

/*
 * Checkpoints are written by child processes while the commits go on,
 * at most two at a time (the live set they need is the parent's as of
 * the fork).
 */
static void
checkpoint_start(struct gen *g, int64_t v)
{
	pid_t	 pid;

	if (g->running == 2)
		checkpoint_wait(g);
	fflush(NULL);
	if ((pid = fork()) == -1)
		mktable_die("fork: %s", strerror(errno));
	if (pid == 0) {
		checkpoint(g, v);
		_exit(0);
	}
	g->running++;
}

/* After the last commit: wait for the checkpoints and add them up. */
static void
checkpoint_sum(struct gen *g)
{
	struct stat	 st;
	char		*path;
	int64_t		 v;

	while (g->running > 0)
		checkpoint_wait(g);
	for (v = 0; v < g->ncommits; v++) {
		if (!ckpt_wanted(g, v))
			continue;
		path = xasprintf("%s/_delta_log/%020" PRId64
		    ".checkpoint.parquet", g->o->dir, v);
		if (stat(path, &st) == -1)
			mktable_die("cannot stat '%s'", path);
		g->ckpt_bytes += st.st_size;
		g->nckpts++;
		free(path);
	}
}

static void
finish(struct delta_write_commit *c, const char *dir)
{
	struct err	 e;

	if (dir != NULL && delta_write_commit_finish(c, dir, &e) == -1)
		mktable_die("%s", e.msg);
}

static void
commit(struct gen *g, int64_t v)
{
	const struct step		*s = &g->plan[v];
	struct delta_write_commit	 c;
	bool				 dc = s->kind != K_OPTIMIZE;
	uint32_t			 id;
	int64_t				 k;
	size_t				 at;

	delta_write_commit_init(&c, v);
	put_info(g, &c, v);
	if (v == 0)
		put_table(g, &c);
	for (k = 0; k < s->nrem; k++) {
		at = (size_t)rnd(g, g->nlive);
		id = g->live[at];
		g->live[at] = g->live[--g->nlive];
		g->tombs[g->ntombs].id = id;
		g->tombs[g->ntombs++].version = (uint32_t)v;
		put_remove(g, &c, id, commit_ts(g, v), dc);
	}
	for (k = 0; k < s->nadd; k++) {
		id = g->next_id++;
		g->live[g->nlive++] = id;
		put_add(g, &c, id, dc);
	}
	finish(&c, g->o->dir);
	finish(&c, g->o->json_dir);
	g->log_bytes += (int64_t)c.b.len;
	delta_write_commit_release(&c);
	if (g->tiny != NULL) {
		data_link(g, g->o->dir, g->first[v], g->next_id);
		if (g->o->json_dir != NULL)
			data_link(g, g->o->json_dir, g->first[v], g->next_id);
	}
	if (ckpt_wanted(g, v))
		checkpoint_start(g, v);
}

/* --- main ---------------------------------------------------------------- */

static void
usage(void)
{
	fprintf(stderr, "usage: gentable --files N [--commits C] "
	    "[--checkpoint-every K] [--keep-checkpoints M]\n"
	    "\t[--remove-ratio R] [--seed S] [--json-only DIR2] "
	    "[--data none|tiny] DIR\n");
	exit(2);
}

static int64_t
num(const char *s, int64_t lo, int64_t hi)
{
	char		*end;
	long long	 n;

	errno = 0;
	n = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || n < lo || n > hi)
		mktable_die("bad number '%s'", s);
	return n;
}

static void
parse(int argc, char *argv[], struct gopts *o)
{
	static const struct option longopts[] = {
		{ "files", required_argument, NULL, 'f' },
		{ "commits", required_argument, NULL, 'c' },
		{ "checkpoint-every", required_argument, NULL, 'k' },
		{ "keep-checkpoints", required_argument, NULL, 'K' },
		{ "remove-ratio", required_argument, NULL, 'r' },
		{ "seed", required_argument, NULL, 's' },
		{ "json-only", required_argument, NULL, 'j' },
		{ "data", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 }
	};
	char	*end;
	int	 ch;

	memset(o, 0, sizeof(*o));
	o->every = 100;
	o->keep = 2;
	o->remove_ratio = 0.1;
	o->seed = 1;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			o->files = num(optarg, 1, 100000000);
			break;
		case 'c':
			o->commits = strcmp(optarg, "auto") == 0 ? 0 :
			    num(optarg, 1, 10000000);
			break;
		case 'k':
			o->every = num(optarg, 1, 10000000);
			break;
		case 'K':
			o->keep = num(optarg, 0, 10000000);
			break;
		case 'r':
			o->remove_ratio = strtod(optarg, &end);
			if (*end != '\0' || end == optarg ||
			    !(o->remove_ratio >= 0 && o->remove_ratio <= 1))
				mktable_die("bad --remove-ratio '%s'", optarg);
			break;
		case 's':
			o->seed = (uint64_t)num(optarg, 0, INT64_MAX);
			break;
		case 'j':
			o->json_dir = optarg;
			break;
		case 'd':
			if (strcmp(optarg, "tiny") != 0 &&
			    strcmp(optarg, "none") != 0)
				mktable_die("bad --data '%s' (none or tiny)", optarg);
			o->data = strcmp(optarg, "tiny") == 0;
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 1 || o->files == 0)
		usage();
	o->dir = argv[optind];
}

/* Without --commits: a tail of 3/4 of an interval after the last one. */
static int64_t
auto_commits(const struct gopts *o)
{
	int64_t	 c = (o->files / 1000 + o->every - 1) / o->every * o->every;

	if (c < 2 * o->every)
		c = 2 * o->every;
	return c + o->every * 3 / 4 + 1;
}

static void
summary(const struct gen *g, const char *dir, bool ckpts)
{
	printf("%s: version %" PRId64 ", %zu live files, %d checkpoints, %"
	    PRId64 " bytes of JSON log, %" PRId64 " bytes of checkpoints\n",
	    dir, g->ncommits - 1, g->nlive, ckpts ? g->nckpts : 0,
	    g->log_bytes, ckpts ? g->ckpt_bytes : 0);
}

int
main(int argc, char *argv[])
{
	struct gopts	 o;
	struct gen	 g;
	int64_t		 v, adds = 0, rems = 0;
	char		*p;

	parse(argc, argv, &o);
	memset(&g, 0, sizeof(g));
	g.o = &o;
	g.rng = mktable_mix(o.seed);
	g.ncommits = o.commits > 0 ? o.commits : auto_commits(&o);
	plan_make(&g);
	g.first = xcalloc((size_t)g.ncommits, sizeof(*g.first));
	for (v = 0; v < g.ncommits; v++) {
		if (adds + g.plan[v].nadd > UINT32_MAX)
			mktable_die("%s: too many files", o.dir);
		g.first[v] = (uint32_t)adds;
		adds += g.plan[v].nadd;
		rems += g.plan[v].nrem;
	}
	g.live = xcalloc((size_t)adds + 1, sizeof(*g.live));
	g.tombs = xcalloc((size_t)rems + 1, sizeof(*g.tombs));
	buf_init(&g.path, 0);
	buf_init(&g.stats, 0);
	if (mkdir(o.dir, 0755) == -1 && errno != EEXIST)
		mktable_die("cannot create '%s': %s", o.dir, strerror(errno));
	if (o.json_dir != NULL && mkdir(o.json_dir, 0755) == -1 &&
	    errno != EEXIST)
		mktable_die("cannot create '%s': %s", o.json_dir, strerror(errno));
	if (o.data) {
		p = xasprintf("%s/_delta_log", o.dir);
		mktable_mkdir_p(p);
		free(p);
		tiny_make(&g);
		g.made = xcalloc((size_t)(HIST_DAYS + SPAN_DAYS + 2) *
		    GEN_REGIONS, 1);
	}
	for (v = 0; v < g.ncommits; v++)
		commit(&g, v);
	checkpoint_sum(&g);
	summary(&g, o.dir, true);
	if (o.json_dir != NULL)
		summary(&g, o.json_dir, false);
	return 0;
}
