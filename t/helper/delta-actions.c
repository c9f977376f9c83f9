/*
 * delta-actions.c: a test helper that reads every JSON commit of Delta
 * tables through storage and delta_action, for t3200-delta-actions.sh.
 *
 *	delta-actions TABLE_DIR...
 *	delta-actions --twins TABLE_DIR...
 *	delta-actions --bench N [REPEAT]
 *
 * For each table it lists _delta_log/ (and _delta_log/_staged_commits/),
 * parses every *.json file there (commits, compactions, JSON v2
 * checkpoints), and resolves every add, remove and cdc path and every
 * deletion vector against the table root.  Output is one line per
 * finding, tab-separated, for the script to compare:
 *
 *	count	KIND	N		actions per kind, over all tables
 *	files	N			JSON files parsed
 *	refused	TABLE	FILE	WHAT	VALUE	WHY
 *	present	N / absent N		keys found on disk or not
 *	dv	verified N		DV cardinalities checked against the
 *					bitmaps that could be read
 *	error	TABLE	FILE	MESSAGE	a line that does not parse
 *
 * Exit status 1 when a line does not parse or a DV does not match its
 * bitmap; refused paths are reported, not failures.
 *
 * --twins reads the add and remove rows of every Parquet checkpoint part
 * and sidecar under _delta_log/ twice: field by field (what replay
 * uses) and as the JSON text of the action re-parsed by delta_action,
 * and prints "twins N" and a "twin" line per field that differs.  --bench parses a
 * generated commit of N add actions (like Spark's, with stats)
 * REPEAT times and prints lines/s and MB/s.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "buf.h"
#include "delta_action.h"
#include "delta_checkpoint.h"
#include "delta_dv.h"
#include "delta_path.h"
#include "delta_table.h"
#include "err.h"
#include "storage.h"

#define COMMIT_MAX	((size_t)1 << 30)

static const char *const kind_names[] = {
	"unknown", "add", "remove", "cdc", "metaData", "protocol",
	"commitInfo", "txn", "domainMetadata", "checkpointMetadata",
	"sidecar",
};

static size_t	 counts[11];
static size_t	 nfiles, present, absent, dv_verified, twins;
static int	 status;

struct scan {
	struct storage	*st;
	struct arena	*a;
	const char	*table;
	const char	*file;
};

static void
refused(struct scan *s, const char *what, const char *value,
    const struct err *e)
{
	printf("refused\t%s\t%s\t%s\t%s\t%s\n", s->table, s->file, what, value,
	    e->msg);
}

/* Is key there?  Counted only: removed files may have been vacuumed. */
static bool
probe(struct scan *s, const char *key)
{
	struct storage_entry	 ent;
	struct err		 e;

	if (storage_stat(s->st, key, &ent, s->a, &e) == 0) {
		present++;
		return true;
	}
	absent++;
	return false;
}

static void
check_dv(struct scan *s, const struct delta_dv *dv)
{
	const char	*key;
	struct err	 e;
	int64_t		 card;

	err_clear(&e);
	if (delta_dv_check(storage_root(s->st), dv, s->a, &key, &e) == -1) {
		refused(s, "deletionVector", dv->path_or_inline, &e);
		return;
	}
	/* Only the bitmaps that are there can be checked. */
	if (key != NULL && !probe(s, key))
		return;
	if (delta_dv_load(s->st, dv, s->a, &card, &e) == -1) {
		printf("error\t%s\t%s\tdeletion vector %s: %s\n", s->table,
		    s->file, dv->path_or_inline, e.msg);
		status = 1;
	} else if (card != dv->cardinality) {
		printf("error\t%s\t%s\tdeletion vector %s: %lld rows, the log "
		    "says %lld\n", s->table, s->file, dv->path_or_inline,
		    (long long)card, (long long)dv->cardinality);
		status = 1;
	} else
		dv_verified++;
}

static int
one(void *ctx, const struct delta_action *act, struct err *e)
{
	struct scan	*s = ctx;
	const char	*key;
	struct err	 pe;

	counts[act->kind]++;
	if (act->kind != DELTA_ADD && act->kind != DELTA_REMOVE &&
	    act->kind != DELTA_CDC)
		return 0;
	err_clear(&pe);
	if (delta_path_key(storage_root(s->st), act->u.file.path, s->a, &key,
	    &pe) == -1)
		refused(s, kind_names[act->kind], act->u.file.path, &pe);
	else
		(void)probe(s, key);
	if (act->u.file.dv.storage_type != 0)
		check_dv(s, &act->u.file.dv);
	return 0;
}

static bool
is_json(const char *key)
{
	size_t	 n = strlen(key);

	return n > 5 && strcmp(key + n - 5, ".json") == 0;
}

static void
scan_folder(struct scan *s, const char *prefix)
{
	struct storage_list	 l;
	struct buf		 b;
	struct err		 e;
	size_t			 i;

	err_clear(&e);
	if (storage_list(s->st, s->a, prefix, NULL, &l, &e) == -1) {
		printf("error\t%s\t%s\t%s\n", s->table, prefix, e.msg);
		status = 1;
		return;
	}
	buf_init(&b, 0);
	for (i = 0; i < l.n; i++) {
		if (!is_json(l.v[i].key))
			continue;
		s->file = l.v[i].key;
		buf_reset(&b);
		nfiles++;
		if (storage_read(s->st, s->file, 0, -1, COMMIT_MAX, &b,
		    &e) == -1 || delta_action_each(s->a, buf_str(&b), b.len,
		    one, s, &e) == -1) {
			printf("error\t%s\t%s\t%s\n", s->table, s->file,
			    e.msg);
			status = 1;
		}
	}
	buf_release(&b);
}

static bool
same_str(const char *a, const char *b)
{
	return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static void
twin_diff(struct scan *s, const char *what, const char *path)
{
	printf("twin\t%s\t%s\t%s\t%s\n", s->table, s->file, path, what);
	status = 1;
}

/* The action read field by field against its raw text re-parsed. */
static int
twin(void *ctx, const struct delta_action *act, struct err *e)
{
	struct scan			*s = ctx;
	const struct delta_file		*x = &act->u.file, *y;
	struct delta_action		 again;
	struct buf			 line;

	if (act->kind != DELTA_ADD && act->kind != DELTA_REMOVE)
		return 0;
	buf_init(&line, 0);
	buf_addf(&line, "{\"%s\":", kind_names[act->kind]);
	if (act->raw != NULL)
		buf_add(&line, act->raw, act->rawlen);
	buf_addc(&line, '}');
	if (delta_action_parse(s->a, buf_str(&line), line.len, &again,
	    e) == -1) {
		buf_release(&line);
		return -1;
	}
	buf_release(&line);
	y = &again.u.file;
	twins++;
	if (again.kind != act->kind || !same_str(x->path, y->path))
		twin_diff(s, "kind or path", x->path);
	if (!same_str(x->partition_values, y->partition_values))
		twin_diff(s, "partitionValues", x->path);
	if (!same_str(x->stats, y->stats))
		twin_diff(s, "stats", x->path);
	if (!same_str(x->tags, y->tags))
		twin_diff(s, "tags", x->path);
	if (x->size != y->size || x->modification_time !=
	    y->modification_time || x->deletion_timestamp !=
	    y->deletion_timestamp || x->data_change != y->data_change ||
	    x->extended_file_metadata != y->extended_file_metadata ||
	    x->base_row_id != y->base_row_id ||
	    x->default_row_commit_version != y->default_row_commit_version)
		twin_diff(s, "a number or flag", x->path);
	if (x->dv.storage_type != y->dv.storage_type ||
	    !same_str(x->dv.path_or_inline, y->dv.path_or_inline) ||
	    x->dv.offset != y->dv.offset || x->dv.size != y->dv.size ||
	    x->dv.cardinality != y->dv.cardinality ||
	    x->dv.max_row_index != y->dv.max_row_index)
		twin_diff(s, "deletionVector", x->path);
	return 0;
}

static bool
is_parquet_checkpoint(const char *key)
{
	size_t	 n = strlen(key);

	return n > 8 && strcmp(key + n - 8, ".parquet") == 0 &&
	    (strstr(key, ".checkpoint.") != NULL ||
	    strncmp(key, "_delta_log/_sidecars/", 21) == 0);
}

static void
twins_folder(struct scan *s, const char *prefix)
{
	struct delta_table	 t;
	struct storage_list	 l;
	struct err		 e;
	size_t			 i;

	/* The checkpoint reader needs the storage and an arena only. */
	memset(&t, 0, sizeof(t));
	t.a = s->a;
	t.st = s->st;
	t.root = storage_root(s->st);
	err_clear(&e);
	if (storage_list(s->st, s->a, prefix, NULL, &l, &e) == -1)
		return;		/* no such folder */
	for (i = 0; i < l.n; i++) {
		if (!is_parquet_checkpoint(l.v[i].key))
			continue;
		s->file = l.v[i].key;
		nfiles++;
		if (delta_checkpoint_pq_read(&t, s->file,
		    DELTA_WANT(DELTA_ADD) | DELTA_WANT(DELTA_REMOVE) |
		    DELTA_WANT_RAW, NULL, twin, s, &e) == -1) {
			printf("error\t%s\t%s\t%s\n", s->table, s->file,
			    e.msg);
			status = 1;
		}
	}
}

/* Open the table at dir and run fn on the folders of its log. */
static void
scan_table(const char *dir, void (*fn)(struct scan *, const char *))
{
	struct scan	 s;
	struct err	 e;

	memset(&s, 0, sizeof(s));
	s.table = dir;
	err_clear(&e);
	if ((s.st = storage_open(dir, &e)) == NULL) {
		printf("error\t%s\t-\t%s\n", dir, e.msg);
		status = 1;
		return;
	}
	s.a = arena_new();
	fn(&s, "_delta_log/");
	fn(&s, fn == twins_folder ? "_delta_log/_sidecars/" :
	    "_delta_log/_staged_commits/");
	arena_free(s.a);
	storage_close(s.st);
}

static int
count_add(void *ctx, const struct delta_action *act, struct err *e)
{
	(*(size_t *)ctx) += act->kind == DELTA_ADD;
	return 0;
}

/* Time delta_action_each over n generated add lines. */
static int
bench(size_t n, int repeat)
{
	struct timespec	 t0, t1;
	struct arena	*a = arena_new();
	struct buf	 b;
	struct err	 e;
	double		 secs, best = 1e9;
	size_t		 i, adds;
	int		 r;

	buf_init(&b, 0);
	for (i = 0; i < n; i++)
		buf_addf(&b, "{\"add\":{\"path\":\"date=2024-01-%02zu/part-%05zu-"
		    "3935a07c-416b-4344-ad97-2a38342ee2fc.c000.snappy.parquet\","
		    "\"partitionValues\":{\"date\":\"2024-01-%02zu\"},\"size\":"
		    "%zu,\"modificationTime\":1712345678000,\"dataChange\":true,"
		    "\"stats\":\"{\\\"numRecords\\\":%zu,\\\"minValues\\\":{"
		    "\\\"id\\\":%zu,\\\"name\\\":\\\"alpha\\\",\\\"ts\\\":"
		    "\\\"2024-01-01T00:00:00.000Z\\\"},\\\"maxValues\\\":{"
		    "\\\"id\\\":%zu,\\\"name\\\":\\\"omega\\\",\\\"ts\\\":"
		    "\\\"2024-01-31T23:59:59.999Z\\\"},\\\"nullCount\\\":{"
		    "\\\"id\\\":0,\\\"name\\\":3,\\\"ts\\\":0}}\",\"tags\":{"
		    "\"INSERTION_TIME\":\"1712345678000000\","
		    "\"OPTIMIZE_TARGET_SIZE\":\"268435456\"}}}\n", i % 28 + 1, i,
		    i % 28 + 1, 100000 + i, 1000 + i % 7, i * 1000,
		    i * 1000 + 999);
	for (r = 0; r < repeat; r++) {
		adds = 0;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (delta_action_each(a, b.data, b.len, count_add, &adds,
		    &e) == -1) {
			fprintf(stderr, "bench: %s\n", e.msg);
			return 1;
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		arena_reset(a);
		secs = (double)(t1.tv_sec - t0.tv_sec) +
		    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
		if (secs < best)
			best = secs;
		if (adds != n) {
			fprintf(stderr, "bench: %zu adds, not %zu\n", adds, n);
			return 1;
		}
	}
	printf("bench\t%zu lines\t%.1f MB\tbest of %d: %.3f s\t%.0f lines/s\t"
	    "%.1f MB/s\n", n, (double)b.len / 1e6, repeat, best,
	    (double)n / best, (double)b.len / 1e6 / best);
	buf_release(&b);
	arena_free(a);
	return 0;
}

int
main(int argc, char *argv[])
{
	size_t	 k;
	int	 i;

	if (argc >= 3 && strcmp(argv[1], "--bench") == 0)
		return bench((size_t)strtoul(argv[2], NULL, 10),
		    argc > 3 ? (int)strtol(argv[3], NULL, 10) : 3);
	if (argc < 2) {
		fprintf(stderr, "usage: delta-actions TABLE_DIR...\n"
		    "       delta-actions --twins TABLE_DIR...\n"
		    "       delta-actions --bench N [REPEAT]\n");
		return 2;
	}
	if (strcmp(argv[1], "--twins") == 0) {
		for (i = 2; i < argc; i++)
			scan_table(argv[i], twins_folder);
		printf("files\t%zu\ntwins\t%zu\n", nfiles, twins);
		return status;
	}
	for (i = 1; i < argc; i++)
		scan_table(argv[i], scan_folder);
	printf("files\t%zu\n", nfiles);
	for (k = 0; k < sizeof(counts) / sizeof(counts[0]); k++)
		printf("count\t%s\t%zu\n", kind_names[k], counts[k]);
	printf("present\t%zu\nabsent\t%zu\ndv\tverified %zu\n", present, absent,
	    dv_verified);
	return status;
}
