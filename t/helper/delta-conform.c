/*
 * delta-conform.c: the conformance test of the Delta log engine over the
 * shared table corpus, for t3300-delta-corpus.sh.
 *
 *	delta-conform [--expect] CORPUS
 *	delta-conform --files LOCATION
 *
 * With --expect it also prints, before each rows check, the expected
 * live rows of a table at a version ("expect TABLE VERSION ROWS", -1 for
 * the latest), which t4100 checks again through the HTTP API.
 * The first form reads CORPUS/manifest.json and checks every table it
 * lists through the engine (delta_table, delta_snapshot, delta_changes,
 * delta_features, delta_dv) and the Parquet reader, printing one line
 * per (table, check), tab-separated:
 *
 *	ok|not ok|skip	TABLE	CHECK	DETAIL
 *
 * then one line per twin candidate ("twin TABLE": a table with a
 * checkpoint and every JSON commit from version 0, which the script
 * replays without its checkpoints) and one line per feature group of
 * the manifest ("group NAME TABLES PASSING CHECKS_OK CHECKS").  The
 * checks:
 *
 *  - every table: the latest snapshot opens, its reader features are
 *    known and its live files stream; each live data file that exists
 *    has a readable footer whose row count equals the numRecords of the
 *    add's stats, and each deletion vector holds as many rows as its
 *    descriptor says.  Tables that need what the engine must refuse (a
 *    reader version above 3, a reader feature outside the known list)
 *    must fail with a message naming it; the negative tables must fail
 *    with a message naming what is missing.
 *  - expected rows: for the latest version and every DAT expected/vN,
 *    the sum over live files of footer rows minus deletion-vector
 *    cardinality equals the rows of the expected Parquet files (read
 *    here), of expected_rows_pretty, or expected_row_count and
 *    expected_ids_sorted; the DAT version metadata (protocol versions,
 *    properties) matches table_version_metadata.json.
 *  - change data feed: the rows per commit version and _change_type
 *    equal the expected rows (delta-conform-cdf.c says how they are
 *    counted).
 *  - time travel by timestamp at every commit, a millisecond before it,
 *    and outside the log.
 *
 * The second form prints the live files of every version of one table
 * (version, path, size, partition values with sorted keys, deletion
 * vector id, numRecords or -1, rows by the footer minus the deletion
 * vector or -1 when the data file is absent), for the scripts to compare
 * a table with its twin and to sum rows.  Exit status 0 when every
 * check passed, 1 otherwise, 2 on usage.
 */
#include "config.h"

#include <dirent.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "buf.h"
#include "delta_action.h"
#include "delta_dv.h"
#include "delta_features.h"
#include "delta_log.h"
#include "delta_path.h"
#include "delta_snapshot.h"
#include "delta_table.h"
#include "err.h"
#include "jsonu.h"
#include "parquet_read.h"
#include "storage.h"
#include "xmalloc.h"

#include "delta-conform.h"

#define FILE_MAX	((size_t)64 * 1024 * 1024)	/* JSON files read */
#define TT_MAX_SIZE	((int64_t)10 * 1024 * 1024)	/* time travel cap */

/* The reader features this test expects the engine to know. */
static const char *const known_features[] = {
	"columnMapping", "deletionVectors", "timestampNtz", "v2Checkpoint",
	"vacuumProtocolCheck", "typeWidening", "typeWidening-preview",
	"variantType", "variantType-preview", NULL
};

/*
 * The feature groups of MANIFEST.md, by the manifest.json tags of their
 * tables; a tag ending in '(' matches any tag it begins.  "*" is every
 * table; "!nolast" a checkpoint without _last_checkpoint.
 */
struct group {
	const char	*name;
	const char	*tags[4];
};

static const struct group groups[] = {
	{ "classic parquet checkpoint", { "checkpoint-classic-parquet" } },
	{ "multi-part checkpoint", { "checkpoint-multi-part" } },
	{ "v2 checkpoint (uuid-named, json or parquet)",
	    { "checkpoint-v2-uuid-json", "checkpoint-v2-uuid-parquet" } },
	{ "v2 checkpoint with sidecars", { "v2-checkpoint-sidecars" } },
	{ "_last_checkpoint present", { "_last_checkpoint" } },
	{ "checkpoint but NO _last_checkpoint", { "!nolast" } },
	{ "CDF: cdc actions / _change_data files",
	    { "cdf-cdc-actions", "_change_data-dir" } },
	{ "CDF enabled", { "cdf-enabled" } },
	{ "deletion vectors (any)", { "deletion-vectors" } },
	{ "DV storageType u", { "dv-u" } },
	{ "DV storageType i", { "dv-i" } },
	{ "DV storageType p", { "dv-p" } },
	{ "remove actions carrying DVs", { "remove-with-dv" } },
	{ "column mapping name", { "column-mapping-name" } },
	{ "column mapping id", { "column-mapping-id" } },
	{ "partitioned", { "partitioned(" } },
	{ "partition value null", { "partition-null" } },
	{ "partition values with special characters",
	    { "partition-special-chars" } },
	{ "date partition column", { "ptype:date" } },
	{ "timestamp partition column", { "ptype:timestamp" } },
	{ "timestamp_ntz partition column", { "ptype:timestamp_ntz" } },
	{ "timestamp_ntz column", { "timestamp_ntz" } },
	{ "schema change (>1 metaData action)", { "metadata-changes(" } },
	{ "type widening", { "type-widening" } },
	{ "log compaction files", { "log-compaction" } },
	{ "in-commit timestamps", { "in-commit-timestamps" } },
	{ "log starts after version 0", { "log-starts-after-0(" } },
	{ "checkpoint-only log", { "checkpoint-only-no-json" } },
	{ "url-encoded add.path", { "url-encoded-add-path" } },
	{ "absolute add.path", { "absolute-add-path" } },
	{ "version checksum files", { "version-crc" } },
	{ "txn (app id) actions", { "txn(" } },
	{ "domainMetadata / row tracking / clustering",
	    { "domainMetadata", "row-tracking", "clustering" } },
	{ "catalog-managed (_staged_commits)", { "_staged_commits" } },
	{ "variant type", { "variant" } },
	{ "has expected results", { "HAS-EXPECTED" } },
	{ "negative case (reader must fail)", { "NEGATIVE" } },
	{ "all tables", { "*" } },
};

#define NGROUPS	(sizeof(groups) / sizeof(groups[0]))

/* What the run found per group. */
static struct {
	int	 tables, passing, checks, checks_ok;
} counts[NGROUPS];


static int	 failures;

static void	 die(const char *, ...)
		    __attribute__((format(printf, 1, 2), noreturn));

static void
die(const char *fmt, ...)
{
	va_list	 ap;

	fputs("delta-conform: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

/* --- output -------------------------------------------------------------- */

/* One result line; status 1 ok, 0 not ok, -1 skip.  Tabs become spaces. */
void
report(struct tcase *tc, int status, const char *check, const char *fmt, ...)
{
	va_list	 ap;
	char	 detail[1024], *p;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	for (p = detail; *p != '\0'; p++)
		if (*p == '\t' || *p == '\n' || *p == '\r')
			*p = ' ';
	printf("%s\t%s\t%s\t%s\n", status > 0 ? "ok" : status == 0 ?
	    "not ok" : "skip", tc->path, check, detail);
	if (status < 0)
		return;
	tc->checks++;
	if (status == 0) {
		tc->failed++;
		failures++;
	}
}

/* --- manifest and JSON helpers ------------------------------------------- */

/* A whole file, NUL-terminated, in the arena; NULL if unreadable. */
static char *
slurp(struct arena *a, const char *path, size_t *len)
{
	FILE	*f;
	struct buf b;
	char	 chunk[65536], *s = NULL;
	size_t	 n;

	if ((f = fopen(path, "r")) == NULL)
		return NULL;
	buf_init(&b, FILE_MAX);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	if (!ferror(f) && !b.overflow) {
		s = arena_strndup(a, b.len ? b.data : "", b.len);
		*len = b.len;
	}
	fclose(f);
	buf_release(&b);
	return s;
}

static struct json_object *
json_file(struct arena *a, const char *path)
{
	struct err	 e;
	char		*s;
	size_t		 len;

	if ((s = slurp(a, path, &len)) == NULL)
		return NULL;
	return jsonu_parse(a, s, len, 64, &e);
}

const char *
jstr(struct json_object *o, const char *key)
{
	struct json_object	*v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/* An integer member, or -1 (absent, null, another type). */
int64_t
jint(struct json_object *o, const char *key)
{
	struct json_object	*v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_int))
		return -1;
	return json_object_get_int64(v);
}

static bool
has_tag(struct json_object *m, const char *tag)
{
	struct json_object	*f, *x;
	size_t			 i, n, len = strlen(tag);
	const char		*s;

	if (!json_object_object_get_ex(m, "features", &f) ||
	    !json_object_is_type(f, json_type_array))
		return false;
	n = json_object_array_length(f);
	for (i = 0; i < n; i++) {
		x = json_object_array_get_idx(f, i);
		if (!json_object_is_type(x, json_type_string))
			continue;
		s = json_object_get_string(x);
		if (strcmp(s, tag) == 0 ||
		    (tag[len - 1] == '(' && strncmp(s, tag, len) == 0))
			return true;
	}
	return false;
}

static bool
in_group(const struct group *g, struct json_object *m)
{
	size_t	 i;

	for (i = 0; i < 4 && g->tags[i] != NULL; i++) {
		if (strcmp(g->tags[i], "*") == 0)
			return true;
		if (strcmp(g->tags[i], "!nolast") == 0)
			return (has_tag(m, "checkpoint-classic-parquet") ||
			    has_tag(m, "checkpoint-multi-part") ||
			    has_tag(m, "checkpoint-v2-uuid-json") ||
			    has_tag(m, "checkpoint-v2-uuid-parquet")) &&
			    !has_tag(m, "_last_checkpoint");
		if (has_tag(m, g->tags[i]))
			return true;
	}
	return false;
}

/*
 * Does the manifest say the engine must refuse the table?  Then *what
 * is the text its message must hold.
 */
static bool
must_refuse(struct tcase *tc, const char **what)
{
	struct json_object	*rf, *x;
	const char		*proto = jstr(tc->m, "protocol"), *s;
	size_t			 i, k, n;
	long			 rv;

	if (proto != NULL && proto[0] == 'r' &&
	    (rv = strtol(proto + 1, NULL, 10)) > 3) {
		*what = arena_printf(tc->a, "reader version %ld", rv);
		return true;
	}
	if (!json_object_object_get_ex(tc->m, "readerFeatures", &rf) ||
	    !json_object_is_type(rf, json_type_array))
		return false;
	n = json_object_array_length(rf);
	for (i = 0; i < n; i++) {
		x = json_object_array_get_idx(rf, i);
		s = json_object_get_string(x);
		for (k = 0; known_features[k] != NULL; k++)
			if (strcmp(s, known_features[k]) == 0)
				break;
		if (known_features[k] == NULL) {
			*what = arena_printf(tc->a, "'%s'", s);
			return true;
		}
	}
	return false;
}

/* --- Parquet over the table's storage ------------------------------------ */


static int
pq_read(void *ctx, int64_t off, size_t len, struct buf *out, struct err *e)
{
	struct pqsrc	*s = ctx;

	return storage_read(s->st, s->key, off, (int64_t)len, len, out, e);
}

/* Open key under the table root; NULL with e set (ERR_NOT_FOUND: absent). */
struct parquet_read *
pq_open(struct delta_table *t, const char *key, struct pqsrc *ps,
    struct err *e)
{
	struct parquet_read_source	 src;
	struct storage_entry		 se;
	struct arena			*a = arena_new();
	struct parquet_read		*r = NULL;

	ps->st = t->st;
	ps->key = key;
	if (storage_stat(t->st, key, &se, a, e) == 0) {
		src.size = se.size;
		src.read = pq_read;
		src.ctx = ps;
		r = parquet_read_open(&src, NULL, e);
	}
	arena_free(a);
	return r;
}

/* Rows of a data file by its footer: 0, or -1 (e says; absent or bad). */
int
footer_rows(struct delta_table *t, const char *key, int64_t *rows,
    struct err *e)
{
	struct parquet_read	*r;
	struct pqsrc		 ps;

	if ((r = pq_open(t, key, &ps, e)) == NULL)
		return -1;
	*rows = parquet_read_num_rows(r);
	parquet_read_free(r);
	return 0;
}

/* The storage key of a file action's data file, in a. */
int
file_key(struct delta_table *t, const struct delta_file *f, struct arena *a,
    const char **key, struct err *e)
{
	return delta_path_key(t->root, f->path, a, key, e);
}

/* numRecords of a stats JSON text, or -1. */
static int64_t
num_records(struct arena *a, const char *stats)
{
	struct json_object	*o;
	struct err		 e;

	if (stats == NULL || (o = jsonu_parse(a, stats, strlen(stats), 64,
	    &e)) == NULL)
		return -1;
	return jint(o, "numRecords");
}

/*
 * Rows of the expected Parquet files in dir (not hidden ones): the
 * footers' counts, checked by reading every row of the first column.
 */
static int
expected_parquet_rows(const char *dir, int64_t *rows, int *nfiles,
    char *why, size_t whysz)
{
	DIR			*d;
	struct dirent		*de;
	struct parquet_read	*r;
	const struct parquet_meta_node *root;
	const struct parquet_value *row;
	const char		*sel[1];
	struct err		 e;
	char			*path;
	size_t			 n;
	int64_t			 got;
	int			 rc = 0, more;

	*rows = 0;
	*nfiles = 0;
	if ((d = opendir(dir)) == NULL) {
		snprintf(why, whysz, "cannot open %s", dir);
		return -1;
	}
	while (rc == 0 && (de = readdir(d)) != NULL) {
		n = strlen(de->d_name);
		if (de->d_name[0] == '.' || n < 9 ||
		    strcmp(de->d_name + n - 8, ".parquet") != 0)
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		if ((r = parquet_read_open_path(path, NULL, &e)) == NULL) {
			snprintf(why, whysz, "%s: %.400s", de->d_name, e.msg);
			rc = -1;
		} else {
			root = parquet_read_root(r);
			got = 0;
			if (root->nkids > 0) {
				sel[0] = root->kids[0]->name;
				(void)parquet_read_select(r, sel, 1, &e);
			}
			while ((more = parquet_read_next(r, &row, &e)) == 1)
				got++;
			if (more == -1 || got != parquet_read_num_rows(r)) {
				snprintf(why, whysz, "%s: read %" PRId64
				    " rows of %" PRId64 "%s%.400s", de->d_name, got,
				    parquet_read_num_rows(r), more == -1 ?
				    ": " : "", more == -1 ? e.msg : "");
				rc = -1;
			}
			*rows += parquet_read_num_rows(r);
			(*nfiles)++;
			parquet_read_free(r);
		}
		free(path);
	}
	closedir(d);
	return rc;
}

/* --- live files and their rows ------------------------------------------- */

struct live {
	struct tcase	*tc;
	struct arena	*scratch;	/* per file */
	int64_t		 files, rows, footers, absent, dvs, stats;
	bool		 need_data;	/* absent data files are failures */
	bool		 bad;
	char		 why[512];	/* the first problem */
};

static void	 live_bad(struct live *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

static void
live_bad(struct live *l, const char *fmt, ...)
{
	va_list	 ap;

	if (l->bad)
		return;
	l->bad = true;
	va_start(ap, fmt);
	vsnprintf(l->why, sizeof(l->why), fmt, ap);
	va_end(ap);
}

/* delta_file_fn: count one live file's rows, checking what can be. */
static int
live_file(void *ctx, const struct delta_action *act, const char *skey,
    struct err *e)
{
	struct live		*l = ctx;
	struct delta_table	*t = l->tc->t;
	const struct delta_file	*f = &act->u.file;
	const char		*key;
	struct err		 fe;
	int64_t			 rows, nrec, card;

	(void)e;
	(void)skey;		/* file_key() checks it its own way */
	arena_reset(l->scratch);
	l->files++;
	if (file_key(t, f, l->scratch, &key, &fe) == -1) {
		live_bad(l, "%s", fe.msg);
		return 0;
	}
	if (footer_rows(t, key, &rows, &fe) == -1) {
		if (fe.kind != ERR_NOT_FOUND)
			live_bad(l, "%s: %s", key, fe.msg);
		else if (l->need_data)
			live_bad(l, "data file %s is missing", key);
		l->absent++;
		return 0;
	}
	l->footers++;
	l->rows += rows;
	if ((nrec = num_records(l->scratch, f->stats)) >= 0) {
		l->stats++;
		if (nrec != rows)
			live_bad(l, "%s: numRecords %" PRId64 " but the footer "
			    "says %" PRId64, key, nrec, rows);
	}
	if (f->dv.storage_type != 0) {
		l->dvs++;
		if (delta_dv_load(t->st, &f->dv, l->scratch, &card, &fe) == -1)
			live_bad(l, "%s: %s", key, fe.msg);
		else if (card != f->dv.cardinality)
			live_bad(l, "%s: the deletion vector holds %" PRId64
			    " rows, its descriptor says %" PRId64, key, card,
			    f->dv.cardinality);
		else
			l->rows -= card;
	}
	return 0;
}

/* Replay version v (-1: latest) into l; the snapshot into *sp. */
static int
count_live(struct tcase *tc, int64_t v, struct live *l,
    struct delta_snapshot **sp, struct err *e)
{
	struct delta_snapshot	*s;
	int			 rc;

	memset(l, 0, sizeof(*l));
	l->tc = tc;
	if (delta_snapshot_open(tc->t, v, &s, e) == -1)
		return -1;
	l->scratch = arena_new();
	rc = delta_snapshot_files(s, live_file, l, e);
	arena_free(l->scratch);
	l->scratch = NULL;
	if (sp != NULL)
		*sp = s;
	return rc;
}

/* --expect: print every expected row count for t4100 too. */
bool		 expect_mode;

/* The rows check of one version against an expected count. */
static void
rows_check(struct tcase *tc, int64_t v, const char *source, int64_t want)
{
	struct live	 l;
	struct err	 e;
	const char	*check;

	if (expect_mode)
		printf("expect\t%s\t%" PRId64 "\t%" PRId64 "\n", tc->path, v,
		    want);

	check = v < 0 ? arena_printf(tc->a, "rows at latest (%s)", source) :
	    arena_printf(tc->a, "rows at v%" PRId64 " (%s)", v, source);
	if (count_live(tc, v, &l, NULL, &e) == -1) {
		report(tc, 0, check, "%s", e.msg);
		return;
	}
	l.need_data = true;
	if (l.bad || l.absent > 0)
		report(tc, 0, check, "%s", l.bad ? l.why :
		    "data files missing");
	else
		report(tc, l.rows == want, check, "%" PRId64 " rows in %"
		    PRId64 " files (%" PRId64 " with DVs), expected %" PRId64,
		    l.rows, l.files, l.dvs, want);
}

/* --- DAT expected results ------------------------------------------------ */

/* The configuration of the snapshot equals the expected properties. */
static bool
same_properties(struct tcase *tc, const struct delta_metadata *md,
    struct json_object *want, char *why, size_t whysz)
{
	struct json_object	*got, *v;
	struct err		 e;
	const char		*gv;

	if ((got = jsonu_parse(tc->a, md->configuration,
	    strlen(md->configuration), 16, &e)) == NULL) {
		snprintf(why, whysz, "configuration: %.400s", e.msg);
		return false;
	}
	if (want == NULL)
		want = json_object_new_object();
	json_object_object_foreach(want, k, wv) {
		gv = jstr(got, k);
		if (gv == NULL || strcmp(gv, json_object_get_string(wv)) != 0) {
			snprintf(why, whysz, "property %s: '%s', expected "
			    "'%s'", k, gv ? gv : "(absent)",
			    json_object_get_string(wv));
			return false;
		}
	}
	json_object_object_foreach(got, k2, gv2) {
		if (!json_object_object_get_ex(want, k2, &v)) {
			snprintf(why, whysz, "property %s='%s' not expected",
			    k2, json_object_get_string(gv2));
			return false;
		}
	}
	return true;
}

static void
dat_version(struct tcase *tc, const char *name)
{
	struct json_object	*meta, *props;
	struct delta_snapshot	*s;
	struct live		 l;
	struct err		 e;
	const char		*dir, *check;
	char			 why[512];
	int64_t			 v, rows;
	int			 nfiles;

	dir = arena_printf(tc->a, "%s/%s", tc->expdir, name);
	meta = json_file(tc->a, arena_printf(tc->a,
	    "%s/table_version_metadata.json", dir));
	v = jint(meta, "version");
	check = arena_printf(tc->a, "rows at v%" PRId64 " (DAT %s)", v, name);
	if (meta == NULL || v < 0) {
		report(tc, 0, check, "no version in "
		    "table_version_metadata.json");
		return;
	}
	if (name[0] == 'v' && strtoll(name + 1, NULL, 10) != v)
		report(tc, 0, check, "folder %s holds version %" PRId64, name,
		    v);
	if (strcmp(name, "latest") == 0 && v != delta_log_latest(tc->t->log))
		report(tc, 0, check, "latest is v%" PRId64 " in the log",
		    delta_log_latest(tc->t->log));
	if (expected_parquet_rows(arena_printf(tc->a, "%s/table_content", dir),
	    &rows, &nfiles, why, sizeof(why)) == -1) {
		report(tc, 0, check, "expected rows: %s", why);
		return;
	}
	rows_check(tc, v, arena_printf(tc->a, "DAT %s", name), rows);

	check = arena_printf(tc->a, "metadata at v%" PRId64 " (DAT %s)", v,
	    name);
	if (count_live(tc, v, &l, &s, &e) == -1) {
		report(tc, 0, check, "%s", e.msg);
		return;
	}
	props = NULL;
	json_object_object_get_ex(meta, "properties", &props);
	if (s->protocol.u.protocol.min_reader != jint(meta,
	    "min_reader_version") || s->protocol.u.protocol.min_writer !=
	    jint(meta, "min_writer_version"))
		report(tc, 0, check, "protocol %d/%d, expected %" PRId64 "/%"
		    PRId64, s->protocol.u.protocol.min_reader,
		    s->protocol.u.protocol.min_writer,
		    jint(meta, "min_reader_version"),
		    jint(meta, "min_writer_version"));
	else if (!same_properties(tc, &s->metadata.u.metadata, props, why,
	    sizeof(why)))
		report(tc, 0, check, "%s", why);
	else
		report(tc, 1, check, "protocol %d/%d, %d properties",
		    s->protocol.u.protocol.min_reader,
		    s->protocol.u.protocol.min_writer,
		    props ? json_object_object_length(props) : 0);
}

static void
dat_expected(struct tcase *tc)
{
	DIR		*d;
	struct dirent	*de;
	char		**names = NULL;
	size_t		 n = 0, i;

	if ((d = opendir(tc->expdir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, "latest") == 0 ||
		    (de->d_name[0] == 'v' && de->d_name[1] >= '0' &&
		    de->d_name[1] <= '9')) {
			names = xreallocarray(names, n + 1, sizeof(*names));
			names[n++] = xstrdup(de->d_name);
		}
	closedir(d);
	/* Any order will do; sort for stable output. */
	for (i = 1; i < n; i++) {
		size_t	 k = i;
		char	*x = names[i];

		while (k > 0 && strcmp(names[k - 1], x) > 0) {
			names[k] = names[k - 1];
			k--;
		}
		names[k] = x;
	}
	for (i = 0; i < n; i++) {
		dat_version(tc, names[i]);
		free(names[i]);
	}
	free(names);
}

/* --- assertions.json ----------------------------------------------------- */


/* Split one "| a | b |" line into trimmed cells, in the arena. */
static size_t
pretty_cells(struct arena *a, const char *line, char ***out)
{
	const char	*p = line, *q, *end;
	char		**v = NULL, **nv;
	size_t		 n = 0;

	while ((q = strchr(p + 1, '|')) != NULL) {
		const char *s = p + 1;

		end = q;
		while (s < end && *s == ' ')
			s++;
		while (end > s && end[-1] == ' ')
			end--;
		nv = arena_calloc(a, n + 1, sizeof(*nv));
		if (n > 0)
			memcpy(nv, v, n * sizeof(*nv));
		nv[n++] = arena_strndup(a, s, (size_t)(end - s));
		v = nv;
		p = q;
	}
	*out = v;
	return n;
}

int
pretty_parse(struct arena *a, struct json_object *arr, struct pretty *p)
{
	struct json_object	*x;
	const char		*line;
	size_t			 i, n;
	char			**cells;

	memset(p, 0, sizeof(*p));
	if (arr == NULL || !json_object_is_type(arr, json_type_array))
		return -1;
	n = json_object_array_length(arr);
	p->rows = arena_calloc(a, n + 1, sizeof(*p->rows));
	for (i = 0; i < n; i++) {
		x = json_object_array_get_idx(arr, i);
		line = json_object_get_string(x);
		if (line == NULL || line[0] != '|')
			continue;
		if (p->head == NULL) {
			p->ncols = pretty_cells(a, line, &p->head);
			continue;
		}
		if (pretty_cells(a, line, &cells) != p->ncols)
			return -1;
		p->rows[p->nrows++] = cells;
	}
	return p->head != NULL ? 0 : -1;
}

int
pretty_col(const struct pretty *p, const char *name)
{
	size_t	 i;

	for (i = 0; i < p->ncols; i++)
		if (strcmp(p->head[i], name) == 0)
			return (int)i;
	return -1;
}

/* "column id at version 3" says the version; else the latest. */
static int64_t
facts_version(const char *desc)
{
	const char	*p;

	if (desc == NULL || (p = strstr(desc, "at version ")) == NULL)
		return -1;
	return strtoll(p + 11, NULL, 10);
}

static void
scan_assertion(struct tcase *tc, struct json_object *as)
{
	struct json_object	*v;
	struct pretty		 p;
	int64_t			 version = -1;

	if (json_object_object_get_ex(as, "version", &v) &&
	    json_object_is_type(v, json_type_int))
		version = json_object_get_int64(v);
	json_object_object_get_ex(as, "expected_rows_pretty", &v);
	if (pretty_parse(tc->a, v, &p) == -1) {
		report(tc, 0, "rows (scan)", "expected_rows_pretty unreadable");
		return;
	}
	rows_check(tc, version, "scan", (int64_t)p.nrows);
}

static void
facts_assertion(struct tcase *tc, struct json_object *as)
{
	struct json_object	*ids;
	int64_t			 version, want = -1, count;

	version = facts_version(jstr(as, "description"));
	count = jint(as, "expected_row_count");
	if (json_object_object_get_ex(as, "expected_ids_sorted", &ids) &&
	    json_object_is_type(ids, json_type_array))
		want = (int64_t)json_object_array_length(ids);
	if (count >= 0 && want >= 0 && count != want) {
		report(tc, 0, "rows (scan-facts)", "expected_row_count %" PRId64
		    " but %" PRId64 " ids", count, want);
		return;
	}
	rows_check(tc, version, "scan-facts", want >= 0 ? want : count);
}

static void
assertions(struct tcase *tc)
{
	struct json_object	*arr, *as;
	const char		*kind;
	size_t			 i, n;

	arr = json_file(tc->a, arena_printf(tc->a, "%s/assertions.json",
	    tc->expdir));
	if (arr == NULL || !json_object_is_type(arr, json_type_array))
		return;
	n = json_object_array_length(arr);
	for (i = 0; i < n; i++) {
		as = json_object_array_get_idx(arr, i);
		if ((kind = jstr(as, "kind")) == NULL)
			report(tc, 0, "assertion", "no kind");
		else if (strcmp(kind, "scan") == 0)
			scan_assertion(tc, as);
		else if (strcmp(kind, "scan-facts") == 0)
			facts_assertion(tc, as);
		else if (strcmp(kind, "cdf") == 0)
			cdf_assertion(tc, as);
		else
			report(tc, 0, "assertion", "unknown kind '%s'", kind);
	}
}

/* --- per-table checks ---------------------------------------------------- */

/* The reader features the engine reports equal the manifest's. */
static void
features_check(struct tcase *tc, struct delta_snapshot *s)
{
	struct json_object	*rf;
	const char		**names, *proto = jstr(tc->m, "protocol");
	struct err		 e;
	unsigned		 mask;
	size_t			 n, i, k, want = 0;
	bool			 cm;

	if (delta_features_required(&s->protocol.u.protocol,
	    &s->metadata.u.metadata, tc->a, &mask, &names, &n, &e) == -1) {
		report(tc, 0, "reader features", "%s", e.msg);
		return;
	}
	if (proto == NULL || proto[0] != 'r') {
		report(tc, 1, "reader features", "%zu (protocol only in the "
		    "checkpoint)", n);
		return;
	}
	if (json_object_object_get_ex(tc->m, "readerFeatures", &rf) &&
	    json_object_is_type(rf, json_type_array)) {
		want = json_object_array_length(rf);
		for (i = 0; i < want; i++) {
			const char *f = json_object_get_string(
			    json_object_array_get_idx(rf, i));

			for (k = 0; k < n && strcmp(names[k], f) != 0; k++)
				;
			if (k == n) {
				report(tc, 0, "reader features", "'%s' not "
				    "reported", f);
				return;
			}
		}
	} else if (s->protocol.u.protocol.min_reader == 2) {
		cm = has_tag(tc->m, "column-mapping-name") ||
		    has_tag(tc->m, "column-mapping-id");
		want = cm ? 1 : 0;
	}
	report(tc, n == want, "reader features", "%zu reported, %zu expected"
	    "%s%s", n, want, n ? ": " : "", n ? names[0] : "");
}

/* "expect N active files" in the manifest notes. */
static void
notes_check(struct tcase *tc, int64_t files)
{
	const char	*notes = jstr(tc->m, "notes"), *p;
	int64_t		 want;

	if (notes == NULL || (p = strstr(notes, "expect ")) == NULL ||
	    p[7] < '0' || p[7] > '9' || strstr(p, "active files") == NULL)
		return;
	want = strtoll(p + 7, NULL, 10);
	report(tc, files == want, "live files (manifest notes)", "%" PRId64
	    ", expected %" PRId64, files, want);
}

/*
 * Time travel by timestamp: each commit's own timestamp gives its
 * version, a millisecond earlier the version before; before the first
 * and after the last commit are errors saying which.
 */
static void
timestamp_check(struct tcase *tc, struct delta_snapshot *latest)
{
	const struct delta_log	*log;
	struct delta_snapshot	*s;
	struct err		 e;
	const char		*check = "time travel by timestamp";
	int64_t			 first, size = jint(tc->m, "size"), prev;
	size_t			 i, n = 0;

	if (size > TT_MAX_SIZE) {
		report(tc, -1, check, "table larger than %" PRId64 " bytes",
		    TT_MAX_SIZE);
		return;
	}
	if (delta_table_timestamps(tc->t, &latest->metadata.u.metadata,
	    &e) == -1) {
		report(tc, 0, check, "%s", e.msg);
		return;
	}
	log = tc->t->log;
	if (log->ncommits == 0) {
		report(tc, -1, check, "no commit files");
		return;
	}
	for (i = 1; i < log->ncommits; i++)
		if (log->commits[i].timestamp <=
		    log->commits[i - 1].timestamp) {
			report(tc, -1, check, "commit timestamps do not "
			    "increase (v%" PRId64 ")", log->commits[i].version);
			return;
		}
	first = delta_log_earliest(log);
	prev = -1;
	for (i = 0; i < log->ncommits; i++) {
		const struct delta_commit *c = &log->commits[i];

		if (c->version < first)
			continue;
		s = NULL;
		if (delta_snapshot_at(tc->t, c->timestamp, &s, &e) == -1 ||
		    s->version != c->version) {
			report(tc, 0, check, "at %" PRId64 " (v%" PRId64
			    "): %s", c->timestamp, c->version, s ?
			    "another version" : e.msg);
			return;
		}
		if (prev >= 0 && (delta_snapshot_at(tc->t, c->timestamp - 1, &s,
		    &e) == -1 || s->version != prev)) {
			report(tc, 0, check, "a ms before v%" PRId64 ": not v%"
			    PRId64, c->version, prev);
			return;
		}
		prev = c->version;
		n++;
	}
	err_clear(&e);
	if (first == log->commits[0].version &&
	    (delta_snapshot_at(tc->t, log->commits[0].timestamp - 1, &s,
	    &e) == 0 || strstr(e.msg, "before") == NULL)) {
		report(tc, 0, check, "before the first commit: %s", e.kind ?
		    e.msg : "no error");
		return;
	}
	err_clear(&e);
	if (delta_snapshot_at(tc->t, log->commits[log->ncommits - 1].timestamp
	    + 1, &s, &e) == 0 || strstr(e.msg, "after") == NULL) {
		report(tc, 0, check, "after the last commit: %s", e.kind ?
		    e.msg : "no error");
		return;
	}
	report(tc, 1, check, "%zu commits, before the first and after the "
	    "last refused", n);
}

static void
negative_check(struct tcase *tc)
{
	struct delta_snapshot	*s;
	struct err		 e;
	const char		*notes = jstr(tc->m, "notes"), *want;

	want = notes != NULL && strstr(notes, "metaData") ? "metaData" :
	    notes != NULL && strstr(notes, "protocol") ? "protocol" :
	    "_delta_log";
	err_clear(&e);
	if (delta_table_open(tc->dir, tc->a, &tc->t, &e) == 0 &&
	    delta_snapshot_open(tc->t, -1, &s, &e) == 0)
		report(tc, 0, "fails as it must", "opened at v%" PRId64,
		    s->version);
	else
		/* It must say what is missing, and where it looked. */
		report(tc, strstr(e.msg, want) != NULL &&
		    strstr(e.msg, "_delta_log") != NULL, "fails as it must",
		    "%s", e.msg);
}

/*
 * A table the engine must refuse: opening it fails naming the reader
 * version or feature.
 */
static void
refuse_check(struct tcase *tc, const char *what)
{
	struct delta_snapshot	*s;
	struct err		 e;
	const char		**names;
	unsigned		 mask;
	size_t			 n;

	err_clear(&e);
	if (delta_table_open(tc->dir, tc->a, &tc->t, &e) == 0 &&
	    delta_snapshot_open(tc->t, -1, &s, &e) == 0 &&
	    delta_features_required(&s->protocol.u.protocol,
	    &s->metadata.u.metadata, tc->a, &mask, &names, &n, &e) == 0)
		report(tc, 0, "refused", "accepted, needing %s", what);
	else
		report(tc, e.kind == ERR_UNSUPPORTED && strstr(e.msg,
		    what + (what[0] == '\'')) != NULL, "refused", "%s", e.msg);
}

static void
table_checks(struct tcase *tc)
{
	struct delta_snapshot	*s;
	struct live		 l;
	struct err		 e;
	const char		*what, *exp;

	if (has_tag(tc->m, "NEGATIVE")) {
		negative_check(tc);
		return;
	}
	if (must_refuse(tc, &what)) {
		refuse_check(tc, what);
		return;
	}
	if (delta_table_open(tc->dir, tc->a, &tc->t, &e) == -1) {
		report(tc, 0, "opens", "%s", e.msg);
		return;
	}
	if (count_live(tc, -1, &l, &s, &e) == -1) {
		report(tc, 0, "opens", "%s", e.msg);
		return;
	}
	if (l.bad)
		report(tc, 0, "opens", "%s", l.why);
	else
		report(tc, 1, "opens", "v%" PRId64 ", %" PRId64 " live files, %"
		    PRId64 " footers read (%" PRId64 " rows), %" PRId64
		    " numRecords and %" PRId64 " DVs checked, %" PRId64
		    " data files absent", s->version, l.files, l.footers,
		    l.rows, l.stats, l.dvs, l.absent);
	features_check(tc, s);
	notes_check(tc, l.files);

	exp = jstr(tc->m, "expected");
	if (exp != NULL && strncmp(exp, "DAT", 3) == 0)
		dat_expected(tc);
	else if (exp != NULL && strncmp(exp, "kernel golden", 13) == 0) {
		int64_t	 rows;
		int	 nfiles;
		char	 why[512];

		if (expected_parquet_rows(tc->expdir, &rows, &nfiles, why,
		    sizeof(why)) == -1)
			report(tc, 0, "rows at latest (golden)", "%s", why);
		else
			rows_check(tc, -1, "golden", rows);
	}
	assertions(tc);
	timestamp_check(tc, s);
	if (delta_log_commit(tc->t->log, 0) != NULL && tc->t->log->nckpts > 0
	    && tc->t->log->full && (int64_t)tc->t->log->ncommits ==
	    delta_log_latest(tc->t->log) + 1)
		printf("twin\t%s\n", tc->path);
}

static void
run_table(const char *corpus, struct json_object *m)
{
	struct tcase	 tc;
	size_t		 g;

	memset(&tc, 0, sizeof(tc));
	tc.m = m;
	tc.a = arena_new();
	tc.path = jstr(m, "path");
	if (tc.path == NULL)
		die("a manifest entry has no path");
	tc.dir = arena_printf(tc.a, "%s/%s/delta", corpus, tc.path);
	tc.expdir = arena_printf(tc.a, "%s/%s/expected", corpus, tc.path);
	table_checks(&tc);
	if (tc.checks == 0)
		report(&tc, 0, "checks", "nothing was checked");
	for (g = 0; g < NGROUPS; g++) {
		if (!in_group(&groups[g], m))
			continue;
		counts[g].tables++;
		counts[g].passing += tc.failed == 0;
		counts[g].checks += tc.checks;
		counts[g].checks_ok += tc.checks - tc.failed;
	}
	fflush(stdout);
	arena_free(tc.a);
}

static int
corpus_run(const char *corpus)
{
	struct json_object	*man;
	struct arena		*a = arena_new();
	size_t			 i, n, g;

	man = json_file(a, arena_printf(a, "%s/manifest.json", corpus));
	if (man == NULL || !json_object_is_type(man, json_type_array))
		die("cannot read %s/manifest.json", corpus);
	n = json_object_array_length(man);
	for (i = 0; i < n; i++)
		run_table(corpus, json_object_array_get_idx(man, i));
	for (g = 0; g < NGROUPS; g++)
		printf("group\t%s\t%d\t%d\t%d\t%d\n", groups[g].name,
		    counts[g].tables, counts[g].passing, counts[g].checks_ok,
		    counts[g].checks);
	arena_free(a);
	return failures > 0;
}

/* --- --files ------------------------------------------------------------- */

struct lister {
	struct delta_table *t;
	struct arena	*scratch;
	int64_t		 version;
};

/* "k=v;" pairs of a partitionValues object, keys sorted. */
static void
sorted_pairs(struct arena *a, const char *json, struct buf *out)
{
	struct json_object	*o;
	struct err		 e;
	const char		**keys = NULL, *x;
	size_t			 n = 0, i, k;

	if ((o = jsonu_parse(a, json, strlen(json), 8, &e)) == NULL ||
	    !json_object_is_type(o, json_type_object)) {
		buf_adds(out, "?");
		return;
	}
	keys = arena_calloc(a, (size_t)json_object_object_length(o) + 1,
	    sizeof(*keys));
	json_object_object_foreach(o, key, val) {
		(void)val;
		for (k = n; k > 0 && strcmp(keys[k - 1], key) > 0; k--)
			keys[k] = keys[k - 1];
		keys[k] = key;
		n++;
	}
	for (i = 0; i < n; i++) {
		x = jstr(o, keys[i]);
		buf_addf(out, "%s=%s;", keys[i], x ? x : "<null>");
	}
}

static int
list_file(void *ctx, const struct delta_action *act, const char *skey,
    struct err *e)
{
	struct lister		*l = ctx;
	const struct delta_file	*f = &act->u.file;
	const char		*key;
	struct buf		 pv;
	struct err		 fe;
	int64_t			 rows = -1, card = 0;

	(void)e;
	(void)skey;
	arena_reset(l->scratch);
	buf_init(&pv, 0);
	sorted_pairs(l->scratch, f->partition_values, &pv);
	if (file_key(l->t, f, l->scratch, &key, &fe) == 0 &&
	    footer_rows(l->t, key, &rows, &fe) == 0 &&
	    f->dv.storage_type != 0 && delta_dv_load(l->t->st, &f->dv,
	    l->scratch, &card, &fe) == -1)
		return err_set(e, ERR_UPSTREAM, "%s: %s", key, fe.msg);
	printf("%" PRId64 "\t%s\t%" PRId64 "\t%s\t%s\t%" PRId64 "\t%"
	    PRId64 "\n", l->version, f->path, f->size, buf_str(&pv),
	    f->dv.storage_type ? delta_dv_unique_id(&f->dv, l->scratch) : "-",
	    num_records(l->scratch, f->stats), rows < 0 ? -1 : rows - card);
	buf_release(&pv);
	return 0;
}

static int
files_run(const char *location)
{
	struct delta_table	*t;
	struct delta_snapshot	*s;
	struct lister		 l;
	struct arena		*a = arena_new();
	struct err		 e;
	int64_t			 v, last;
	int			 rc = 1;

	l.scratch = arena_new();
	if (delta_table_open(location, a, &t, &e) == -1 ||
	    delta_table_full_listing(t, &e) == -1)
		goto out;
	l.t = t;
	last = delta_log_latest(t->log);
	for (v = delta_log_earliest(t->log); v <= last; v++) {
		l.version = v;
		if (delta_snapshot_open(t, v, &s, &e) == -1 ||
		    delta_snapshot_files(s, list_file, &l, &e) == -1)
			goto out;
	}
	rc = 0;
out:
	if (rc != 0)
		fprintf(stderr, "delta-conform: %s\n", e.msg);
	arena_free(l.scratch);
	arena_free(a);
	return rc;
}

int
main(int argc, char *argv[])
{
	if (argc == 3 && strcmp(argv[1], "--files") == 0)
		return files_run(argv[2]);
	if (argc == 3 && strcmp(argv[1], "--expect") == 0) {
		expect_mode = true;
		return corpus_run(argv[2]);
	}
	if (argc != 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: delta-conform [--expect] CORPUS\n"
		    "       delta-conform --files LOCATION\n");
		return 2;
	}
	return corpus_run(argv[1]);
}
