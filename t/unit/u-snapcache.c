/*
 * u-snapcache.c: the workers' snapshot cache (src/snapcache.c): files
 * come back as they went in, keys follow the log segment, the least
 * recently used entry goes first, pinned ones stay, the budget holds
 * the entry being built too, and a snapshot larger than the budget is
 * not kept (nor tried again).  Memos keep bytes per file of an entry,
 * by kind and tag, within the room the entries leave.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "delta_action.h"
#include "delta_log.h"
#include "err.h"
#include "metrics.h"
#include "snapcache.h"
#include "tap.h"

#define KIB	1024

static struct delta_action	 protocol, metadata;

static void
parse(struct arena *a, const char *line, struct delta_action *act)
{
	struct err	 e;

	if (delta_action_parse(a, line, strlen(line), act, &e) == -1)
		bail_out("%s: %s", line, e.msg);
}

/* File i of a test table: every field set from i, some strings NULL. */
static void
file(struct arena *a, int i, struct delta_action *act, const char **key)
{
	struct delta_file	*f = &act->u.file;

	memset(act, 0, sizeof(*act));
	act->kind = DELTA_ADD;
	f->path = arena_printf(a, "d=%d/part-%05d.parquet", i % 7, i);
	f->partition_values = arena_printf(a, "{\"d\":\"%d\"}", i % 7);
	f->size = 1000 + i;
	f->modification_time = 1700000000000LL + i;
	f->deletion_timestamp = -1;
	f->data_change = i % 2 == 0;
	f->stats = i % 3 == 0 ? NULL : arena_printf(a, "{\"numRecords\":%d,"
	    "\"minValues\":{\"s\":\"a\\\"b\"}}", i);
	f->tags = i % 5 == 0 ? "{\"t\":\"x\"}" : NULL;
	f->base_row_id = i % 4 == 0 ? i * 10 : -1;
	f->default_row_commit_version = i % 4 == 0 ? 3 : -1;
	if (i % 6 == 1) {
		f->dv.storage_type = 'u';
		f->dv.path_or_inline = "ab^-aqEH.-t@S}K{vb[*k^";
		f->dv.offset = i;
		f->dv.size = 40;
		f->dv.cardinality = i % 9;
		f->dv.max_row_index = -1;
	}
	/* Keys differ from paths when the log percent-encodes them. */
	*key = i % 10 == 0 ? arena_printf(a, "d=%d/part %05d.parquet", i % 7,
	    i) : f->path;
}

/*
 * An entry of n test files under key, the log announcing expect of them
 * (-1: not); 0 kept, -1 abandoned.
 */
static int
put_expecting(const char *key, int n, int64_t expect)
{
	struct snapcache_build	*b;
	struct delta_action	 act;
	struct arena		*a = arena_new();
	const char		*k;
	int			 i, rc = 0;

	if ((b = snapcache_build_new(key, &protocol, &metadata,
	    expect)) == NULL) {
		arena_free(a);
		return -1;
	}
	for (i = 0; i < n && rc == 0; i++) {
		arena_reset(a);
		file(a, i, &act, &k);
		rc = snapcache_build_file(b, &act, k);
	}
	if (rc == 0)
		snapcache_build_done(b);
	arena_free(a);
	return rc;
}

static int
put(const char *key, int n)
{
	return put_expecting(key, n, -1);
}

struct check {
	struct arena	*a;
	int		 n;
	int		 bad;
};

static bool
same_str(const char *x, const char *y)
{
	return x == NULL ? y == NULL : y != NULL && strcmp(x, y) == 0;
}

static int
check_file(void *ctx, const struct delta_action *got, const char *gkey,
    struct err *e)
{
	struct check		*c = ctx;
	struct delta_action	 want;
	const struct delta_file	*g = &got->u.file, *w = &want.u.file;
	const char		*wkey;

	(void)e;
	file(c->a, c->n++, &want, &wkey);
	if (got->kind != DELTA_ADD || got->raw != NULL ||
	    !same_str(g->path, w->path) || !same_str(gkey, wkey) ||
	    !same_str(g->partition_values, w->partition_values) ||
	    !same_str(g->stats, w->stats) || !same_str(g->tags, w->tags) ||
	    g->size != w->size || g->modification_time != w->modification_time ||
	    g->deletion_timestamp != w->deletion_timestamp ||
	    g->data_change != w->data_change ||
	    g->extended_file_metadata != w->extended_file_metadata ||
	    g->base_row_id != w->base_row_id ||
	    g->default_row_commit_version != w->default_row_commit_version ||
	    g->dv.storage_type != w->dv.storage_type ||
	    (w->dv.storage_type != 0 && (!same_str(g->dv.path_or_inline,
	    w->dv.path_or_inline) || g->dv.offset != w->dv.offset ||
	    g->dv.size != w->dv.size || g->dv.cardinality != w->dv.cardinality ||
	    g->dv.max_row_index != w->dv.max_row_index))) {
		if (c->bad++ == 0)
			diag("file %d differs: %s", c->n - 1, g->path);
	}
	return 0;
}

static bool
has(const char *key)
{
	return snapcache_get(key) != NULL;
}

static void
test_roundtrip(void)
{
	struct arena		*a = arena_new();
	struct snapcache_entry	*e;
	struct delta_action	 p, m;
	struct check		 c = { a, 0, 0 };
	struct err		 err;

	snapcache_configure(4 * 1024 * KIB);
	is_int(snapcache_pm("t1", a, &p, &m, &err), 0, "a miss at first");
	is_int(put("t1", 500), 0, "500 files kept");
	ok(snapcache_pm("t1", a, &p, &m, &err) == 1 &&
	    p.kind == DELTA_PROTOCOL && p.u.protocol.min_writer == 7 &&
	    p.u.protocol.n_reader_features == 1 && m.kind == DELTA_METADATA &&
	    strcmp(m.u.metadata.id, "tid") == 0 &&
	    m.u.metadata.n_partition_columns == 1 &&
	    m.rawlen == metadata.rawlen &&
	    memcmp(m.raw, metadata.raw, m.rawlen) == 0,
	    "then a hit: protocol and metaData parsed back, raw text too");
	ok((e = snapcache_get("t1")) != NULL, "its entry");
	if (e == NULL)
		return;
	ok(snapcache_files(e, check_file, &c, &err) == 0 && c.n == 500 &&
	    c.bad == 0, "every field of every file as it went in, in order");
	is_int(metrics_get()->cache[MC_SNAPSHOT][1], 1, "one hit counted");
	is_int(metrics_get()->cache[MC_SNAPSHOT][0], 1, "one miss counted");
	arena_free(a);
}

/* What the cache holds. */
static size_t
held(void)
{
	size_t	 bytes, n;

	snapcache_stats(&bytes, &n);
	return bytes;
}

static size_t
entries(void)
{
	size_t	 bytes, n;

	snapcache_stats(&bytes, &n);
	return n;
}

/* While the files of an entry are read, another build wants room. */
static int
build_meanwhile(void *ctx, const struct delta_action *act, const char *key,
    struct err *e)
{
	int	*rc = ctx;

	(void)act;
	(void)key;
	(void)e;
	if (*rc == 1)
		*rc = put("big", 5000);
	return 0;
}

static void
test_lru(void)
{
	uint64_t		 ev = metrics_get()->counter[MX_SNAPSHOT_EVICTED];
	struct err		 err;
	int			 rc = 1;

	/* Each entry of 1700 files takes about 290 KiB. */
	snapcache_configure(1024 * KIB);
	is_int(entries(), 0, "a new budget: the cache starts empty");
	ok(put("a", 1700) == 0 && put("b", 1700) == 0 && put("c", 1700) == 0,
	    "three entries fit");
	ok(held() <= 1024 * KIB, "within the budget (%zu bytes)", held());
	ok(has("a"), "a used again");
	is_int(put("d", 1700), 0, "a fourth entry");
	ok(!has("b"), "the least recently used (b) went");
	ok(has("a") && has("c") && has("d"), "a, c and d stayed");
	is_int(metrics_get()->counter[MX_SNAPSHOT_EVICTED] - ev, 1,
	    "one eviction counted");
	/* 5000 files (850 KiB) need the room of all three. */
	ok(snapcache_files(snapcache_get("a"), build_meanwhile, &rc,
	    &err) == 0 && rc == -1 && has("a"),
	    "while a is read it stays, and a build needing its room is not "
	    "kept");
	ok(put("big", 5000) == 0 && has("big") && !has("a") && entries() == 1,
	    "afterwards: kept, in place of a, c and d");
	ok(held() <= 1024 * KIB, "still within the budget");
}

static void
test_too_large(void)
{
	uint64_t	 tl = metrics_get()->counter[MX_SNAPSHOT_TOO_LARGE];

	snapcache_configure(1024 * KIB);
	ok(put("small", 1000) == 0, "a small entry");
	is_int(put("toobig", 20000), -1, "20000 files do not fit 1 MiB");
	ok(!has("toobig"), "not kept");
	is_int(metrics_get()->counter[MX_SNAPSHOT_TOO_LARGE] - tl, 1,
	    "counted as too large");
	is_int(put("toobig", 10), -1, "the same key is not tried again");
	ok(!has("small") && held() == 0,
	    "the build took the room of the older entry, then gave it back");
	tl = metrics_get()->counter[MX_SNAPSHOT_TOO_LARGE];
	is_int(put_expecting("huge", 5000, 100000), -1,
	    "a log announcing 100000 files: given up early");
	is_int(metrics_get()->counter[MX_SNAPSHOT_TOO_LARGE] - tl, 1,
	    "counted as too large");
	is_int(put_expecting("announced", 5000, 5500), 0,
	    "5500 files announced would fit twice the budget: kept");
	ok(has("announced"), "and found");
	snapcache_configure(0);
	ok(!snapcache_enabled() && entries() == 0 && held() == 0,
	    "budget 0: off, and empty");
	ok(!has("announced") && put("x", 1) == -1,
	    "off: no lookups, no builds");
}

/* What a memo pass does on each file. */
struct memo_pass {
	struct snapcache_entry	*e;
	const char		*kind;
	int64_t			 tag;
	const char		*fill;	/* put "<fill> <i>"; NULL: not */
	int			 n;	/* files seen */
	int			 found;	/* bytes found, as put */
	int			 bad;	/* found, other bytes */
	int			 failed; /* no memo, or no room to put */
};

static int
memo_file(void *ctx, const struct delta_action *act, const char *key,
    struct err *err)
{
	struct memo_pass	*m = ctx;
	char			 want[32], line[2048];
	const char		*got;
	size_t			 i, n;
	int			 slot;

	(void)act;
	(void)key;
	(void)err;
	if (snapcache_reading(&i) != m->e || i != (size_t)m->n++) {
		m->bad++;
		return 0;
	}
	if ((slot = snapcache_memo(m->e, m->kind, m->tag)) == -1) {
		m->failed++;
		return 0;
	}
	snprintf(want, sizeof(want), " %zu", i);
	if ((got = snapcache_memo_get(m->e, slot, i, &n)) != NULL) {
		/* What was put ends with the file's index. */
		if (n >= strlen(want) && memcmp(got + n - strlen(want), want,
		    strlen(want)) == 0)
			m->found++;
		else
			m->bad++;
	}
	if (m->fill != NULL) {
		snprintf(line, sizeof(line), "%s%s", m->fill, want);
		if (snapcache_memo_put(m->e, slot, i, line,
		    strlen(line)) == -1)
			m->failed++;
	}
	return 0;
}

/* One pass over the files of key: fill (or only read) a memo. */
static struct memo_pass
memo_pass(const char *key, const char *kind, int64_t tag, const char *fill)
{
	struct memo_pass	 m;
	struct err		 err;

	memset(&m, 0, sizeof(m));
	m.e = snapcache_get(key);
	m.kind = kind;
	m.tag = tag;
	m.fill = fill;
	if (m.e != NULL)
		snapcache_files(m.e, memo_file, &m, &err);
	return m;
}

/* A memo of a (1000 files) holding what this many puts left found. */
static int
memo_found(const char *kind, int64_t tag)
{
	return memo_pass("a", kind, tag, NULL).found;
}

static void
test_memos(void)
{
	uint64_t		 ev, epoch;
	struct memo_pass	 m;
	size_t			 i, before, n;
	int			 k;
	char			 kind[16], fill[1500];

	snapcache_configure(4 * 1024 * KIB);
	ok(put("a", 1000) == 0 && has("a"), "an entry of 1000 files");
	ok(snapcache_reading(&i) == NULL, "no entry read: no file of one");
	is_int(snapcache_memo(snapcache_get("a"), "lines", 0), -1,
	    "no memo outside snapcache_files()");
	before = held();
	m = memo_pass("a", "lines", 0, "first");
	ok(m.n == 1000 && m.bad == 0 && m.found == 0 && m.failed == 0,
	    "a new memo: each file's index, nothing found, all put");
	ok(held() > before, "the memo counts in what the cache holds");
	epoch = snapcache_memo_epoch();
	m = memo_pass("a", "lines", 0, "second");
	ok(m.found == 1000 && m.bad == 0,
	    "the next pass finds each file's bytes (the first ones stay)");
	is_int(snapcache_memo_epoch() - epoch, 0,
	    "memos filled, none made or dropped: the same epoch");
	memo_pass("a", "other", 0, NULL);
	ok(snapcache_memo_epoch() != epoch, "a memo made: another epoch");
	ok(memo_found("lines", 0) == 1000 && memo_found("lines", 7) == 0,
	    "another tag: the memo starts again, empty");
	is_int(memo_found("lines", 0), 0, "and the old tag's bytes are gone");
	memo_pass("a", "lines", 0, "x");
	for (k = 0; k < SNAPCACHE_MEMOS; k++) {
		snprintf(kind, sizeof(kind), "kind %d", k);
		memo_pass("a", kind, 0, "x");
	}
	is_int(memo_found("lines", 0), 0,
	    "a kind too many: the least recently asked for went");
	is_int(memo_found("kind 3", 0), 1000, "the newest stayed");

	/* An entry needing room: memos go first, no entry evicted. */
	snapcache_configure(1024 * KIB);
	ok(put("a", 1000) == 0 && put("b", 1000) == 0, "two entries");
	before = held();
	/* Lines that fill all but a quarter of an entry's room. */
	memset(fill, 'x', sizeof(fill));
	n = (1024 * KIB - held() - before / 8) / 1000;
	fill[n < sizeof(fill) ? n - 16 : sizeof(fill) - 1] = '\0';
	m = memo_pass("a", "lines", 0, fill);
	ok(m.failed == 0 && memo_found("lines", 0) == 1000,
	    "a memo fills the room left");
	ev = metrics_get()->counter[MX_SNAPSHOT_EVICTED];
	ok(put("c", 1000) == 0 && has("a") && has("b") && has("c"),
	    "a third entry fits once the memo went");
	is_int(metrics_get()->counter[MX_SNAPSHOT_EVICTED] - ev, 0,
	    "no entry evicted");
	is_int(memo_found("lines", 0), 0, "the memo is gone");
	fill[sizeof(fill) - 1] = '\0';
	m = memo_pass("b", "lines", 0, fill);
	ok(m.failed > 0 && has("a") && has("b") && has("c"),
	    "a memo never evicts an entry: files it has no room for fail");
	ok(held() <= 1024 * KIB, "within the budget (%zu bytes)", held());
	snapcache_configure(0);
	is_int(held(), 0, "budget 0: entries and memos gone");
}

static void
test_key(void)
{
	struct arena		*a = arena_new();
	struct delta_commit	 c[2] = {
		{ 5, "_delta_log/5.json", 100, 1000, -1 },
		{ 6, "_delta_log/6.json", 200, 2000, -1 },
	};
	const struct delta_commit *cp[2] = { &c[0], &c[1] };
	struct delta_segment	 g = { 6, NULL, cp, 2 };
	char			*k1, *k2, *k3, *k4;

	k1 = snapcache_key(a, "file:///t", "environment", &g);
	k2 = snapcache_key(a, "file:///t", "cred", &g);
	c[1].mtime_ms++;
	k3 = snapcache_key(a, "file:///t", "environment", &g);
	c[1].mtime_ms--;
	g.ncommits = 1;
	g.version = 5;
	k4 = snapcache_key(a, "file:///t", "environment", &g);
	ok(strncmp(k1, "file:///t\nenvironment\n6\n", 24) == 0,
	    "the key names location, reader and version");
	ok(strcmp(k1, k2) != 0, "another credential, another key");
	ok(strcmp(k1, k3) != 0, "a rewritten commit, another key");
	ok(strcmp(k1, k4) != 0, "another version, another key");
	arena_free(a);
}

int
main(void)
{
	struct arena	*a = arena_new();

	parse(a, "{\"protocol\":{\"minReaderVersion\":3,\"minWriterVersion\":"
	    "7,\"readerFeatures\":[\"deletionVectors\"],\"writerFeatures\":"
	    "[\"deletionVectors\"]}}", &protocol);
	parse(a, "{\"metaData\":{\"id\":\"tid\",\"format\":{\"provider\":"
	    "\"parquet\",\"options\":{}},\"schemaString\":\"{\\\"type\\\":"
	    "\\\"struct\\\",\\\"fields\\\":[]}\",\"partitionColumns\":[\"d\"],"
	    "\"configuration\":{},\"createdTime\":1}}", &metadata);
	test_roundtrip();
	test_lru();
	test_too_large();
	test_memos();
	test_key();
	arena_free(a);
	return done_testing();
}
