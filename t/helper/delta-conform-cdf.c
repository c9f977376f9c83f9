/*
 * delta-conform-cdf.c: the change data feed assertions of the corpus
 * (kind "cdf" in expected/assertions.json), for t/helper/delta-conform.
 *
 * The engine gives the actions of each commit of the range
 * (delta_changes()); this file turns them into rows per (commit version,
 * _change_type) the way kernel-rs, delta-rs and Spark make the change
 * data feed (see commit_changes()), reading the cdc files' _change_type
 * column with our Parquet reader, the data files' row counts from their
 * footers, and deletion vectors as sets of row indexes (a small decoder
 * of the RoaringBitmapArray formats, independent of src/delta_dv.c,
 * which only counts).  Those counts are compared with the expected rows.
 */
#include "config.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "buf.h"
#include "delta_action.h"
#include "delta_changes.h"
#include "delta_dv.h"
#include "delta_log.h"
#include "delta_snapshot.h"
#include "delta_table.h"
#include "err.h"
#include "jsonu.h"
#include "parquet_read.h"
#include "storage.h"
#include "strutil.h"
#include "xmalloc.h"

#include "delta-conform.h"

#define DV_MAX_ROWS	((size_t)1 << 24)

/*
 * Per (commit version, _change_type) row counts: expected ones from the
 * assertion, ours from the log.
 */
struct tally {
	int64_t		 version;
	char		 type[24];
	int64_t		 n;
};

struct tallies {
	struct tally	*v;
	size_t		 n;
};

static void
tally_add(struct tallies *t, int64_t version, const char *type, int64_t n)
{
	size_t	 i;

	for (i = 0; i < t->n; i++)
		if (t->v[i].version == version &&
		    strcmp(t->v[i].type, type) == 0) {
			t->v[i].n += n;
			return;
		}
	t->v = xreallocarray(t->v, t->n + 1, sizeof(*t->v));
	t->v[t->n].version = version;
	snprintf(t->v[t->n].type, sizeof(t->v[t->n].type), "%s", type);
	t->v[t->n++].n = n;
}

static int64_t
tally_get(const struct tallies *t, int64_t version, const char *type)
{
	size_t	 i;

	for (i = 0; i < t->n; i++)
		if (t->v[i].version == version &&
		    strcmp(t->v[i].type, type) == 0)
			return t->v[i].n;
	return 0;
}

/* One action of the range, kept (its strings live in the table arena). */
struct change {
	int64_t			 version, ts;
	struct delta_action	 act;
};

struct changes {
	struct change	*v;
	size_t		 n;
};

static int
keep_change(void *ctx, int64_t version, int64_t ts,
    const struct delta_action *act, struct err *e)
{
	struct changes	*c = ctx;

	(void)e;
	if (act->kind != DELTA_ADD && act->kind != DELTA_REMOVE &&
	    act->kind != DELTA_CDC)
		return 0;
	c->v = xreallocarray(c->v, c->n + 1, sizeof(*c->v));
	c->v[c->n].version = version;
	c->v[c->n].ts = ts;
	c->v[c->n++].act = *act;
	return 0;
}

/* The row indexes a deletion vector deletes, sorted. */
struct rowset {
	uint64_t	*v;
	size_t		 n;
};

struct rd {
	const unsigned char	*p;
	size_t			 n, i;
};

static bool
rd_le(struct rd *r, size_t bytes, uint64_t *out)
{
	size_t	 k;

	if (r->n - r->i < bytes)
		return false;
	*out = 0;
	for (k = 0; k < bytes; k++)
		*out |= (uint64_t)r->p[r->i + k] << (8 * k);
	r->i += bytes;
	return true;
}

static bool
rs_add(struct rowset *s, uint64_t x)
{
	if (s->n >= DV_MAX_ROWS)
		return false;
	if ((s->n & (s->n - 1)) == 0 || s->n == 0)
		s->v = xreallocarray(s->v, s->n ? s->n * 2 : 16,
		    sizeof(*s->v));
	s->v[s->n++] = x;
	return true;
}

/* One 32-bit Roaring bitmap, portable format, high bits hi. */
static bool
roaring32(struct rd *r, uint64_t hi, struct rowset *s)
{
	uint64_t	 cookie, nc, key, card, nruns, start, len, w, x;
	size_t		 hdr, runs = 0, k, j, b;
	bool		 hasrun;

	if (!rd_le(r, 4, &cookie))
		return false;
	hasrun = (cookie & 0xffff) == 12347;
	if (hasrun) {
		nc = (cookie >> 16) + 1;
		runs = r->i;
		if (r->n - r->i < (nc + 7) / 8)
			return false;
		r->i += (nc + 7) / 8;
	} else if (cookie != 12346 || !rd_le(r, 4, &nc) || nc > 65536)
		return false;
	hdr = r->i;
	if (r->n - r->i < nc * 4)
		return false;
	r->i += nc * 4;
	if (!hasrun || nc >= 4) {
		if (r->n - r->i < nc * 4)
			return false;
		r->i += nc * 4;
	}
	for (k = 0; k < nc; k++) {
		key = (uint64_t)r->p[hdr + 4 * k] |
		    (uint64_t)r->p[hdr + 4 * k + 1] << 8;
		card = ((uint64_t)r->p[hdr + 4 * k + 2] |
		    (uint64_t)r->p[hdr + 4 * k + 3] << 8) + 1;
		x = hi << 32 | key << 16;
		if (hasrun && (r->p[runs + k / 8] >> (k % 8) & 1)) {
			if (!rd_le(r, 2, &nruns))
				return false;
			for (j = 0; j < nruns; j++) {
				if (!rd_le(r, 2, &start) || !rd_le(r, 2, &len))
					return false;
				for (b = 0; b <= len; b++)
					if (!rs_add(s, x | (start + b)))
						return false;
			}
		} else if (card > 4096) {
			for (j = 0; j < 1024; j++) {
				if (!rd_le(r, 8, &w))
					return false;
				for (b = 0; b < 64; b++)
					if ((w >> b & 1) &&
					    !rs_add(s, x | (j * 64 + b)))
						return false;
			}
		} else
			for (j = 0; j < card; j++) {
				if (!rd_le(r, 2, &w) || !rs_add(s, x | w))
					return false;
			}
	}
	return true;
}

/* A serialised RoaringBitmapArray (portable or Spark's native). */
static bool
roaring64(const unsigned char *p, size_t len, struct rowset *s)
{
	struct rd	 r = { p, len, 0 }, sub;
	uint64_t	 magic, nb, b, key, size;

	if (!rd_le(&r, 4, &magic))
		return false;
	if (magic == DELTA_DV_MAGIC_NATIVE) {
		if (!rd_le(&r, 4, &nb))
			return false;
		for (b = 0; b < nb; b++) {
			if (!rd_le(&r, 4, &size) || r.n - r.i < size)
				return false;
			sub.p = r.p + r.i;
			sub.n = size;
			sub.i = 0;
			if (!roaring32(&sub, b, s))
				return false;
			r.i += size;
		}
		return r.i == r.n;
	}
	if (magic != DELTA_DV_MAGIC || !rd_le(&r, 8, &nb) || nb > len)
		return false;
	for (b = 0; b < nb; b++)
		if (!rd_le(&r, 4, &key) || !roaring32(&r, key, s))
			return false;
	return r.i == r.n;
}

/* The rows a descriptor deletes (none without one). */
static int
dv_rows(struct delta_table *t, const struct delta_dv *dv, struct arena *a,
    struct rowset *s, struct err *e)
{
	const unsigned char	*data;
	const char		*key;
	struct buf		 b;
	size_t			 n;
	int			 rc = -1;

	memset(s, 0, sizeof(*s));
	if (dv->storage_type == 0)
		return 0;
	buf_init(&b, 0);
	if (dv->storage_type == 'i') {
		if (delta_dv_inline_data(dv, a, &data, &n, e) == -1)
			goto out;
	} else {
		if (delta_dv_check(t->root, dv, a, &key, e) == -1 ||
		    storage_read(t->st, key, dv->offset < 0 ? 0 : dv->offset,
		    (int64_t)dv->size + 8, (size_t)dv->size + 8, &b, e) == -1)
			goto out;
		data = (const unsigned char *)b.data + 4;
		n = (size_t)dv->size;
	}
	if (!roaring64(data, n, s) || (int64_t)s->n != dv->cardinality) {
		err_set(e, ERR_UPSTREAM, "deletion vector '%.40s' does not "
		    "decode to %" PRId64 " rows", dv->path_or_inline,
		    dv->cardinality);
		goto out;
	}
	rc = 0;
out:
	buf_release(&b);
	return rc;
}

static int
cmp_u64(const void *x, const void *y)
{
	uint64_t	 a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return a < b ? -1 : a > b;
}

/* |x \ y| */
static int64_t
minus(struct rowset *x, struct rowset *y)
{
	size_t	 i = 0, j = 0;
	int64_t	 n = 0;

	qsort(x->v, x->n, sizeof(*x->v), cmp_u64);
	qsort(y->v, y->n, sizeof(*y->v), cmp_u64);
	while (i < x->n) {
		if (j == y->n || x->v[i] < y->v[j]) {
			n++;
			i++;
		} else if (x->v[i] == y->v[j]) {
			i++;
			j++;
		} else
			j++;
	}
	return n;
}

/* Rows of a file action minus its DV's. */
static int
live_rows(struct tcase *tc, const struct delta_file *f, int64_t *rows,
    struct err *e)
{
	const char	*key;
	int64_t		 card;

	if (file_key(tc->t, f, tc->a, &key, e) == -1 ||
	    footer_rows(tc->t, key, rows, e) == -1)
		return -1;
	if (f->dv.storage_type != 0) {
		if (delta_dv_load(tc->t->st, &f->dv, tc->a, &card, e) == -1)
			return -1;
		*rows -= card;
	}
	return 0;
}

/* Rows per _change_type of a cdc file. */
static int
cdc_rows(struct tcase *tc, int64_t version, const struct delta_file *f,
    struct tallies *got, struct err *e)
{
	static const char *const sel[] = { "_change_type" };
	const struct parquet_value *row, *ct;
	struct parquet_read	*r;
	struct pqsrc		 ps;
	struct json_object	*pv;
	const unsigned char	*p;
	const char		*key, *type;
	char			 s[24];
	size_t			 n;
	int64_t			 rows;
	int			 more, rc = -1;

	if (file_key(tc->t, f, tc->a, &key, e) == -1 ||
	    (r = pq_open(tc->t, key, &ps, e)) == NULL)
		return -1;
	if (parquet_read_lookup(r, "_change_type") == NULL) {
		/* A writer may keep it as a partition value instead. */
		pv = jsonu_parse(tc->a, f->partition_values,
		    strlen(f->partition_values), 8, e);
		if ((type = jstr(pv, "_change_type")) == NULL) {
			err_set(e, ERR_UPSTREAM, "%s has no _change_type", key);
			goto out;
		}
		rows = parquet_read_num_rows(r);
		tally_add(got, version, type, rows);
		rc = 0;
		goto out;
	}
	if (parquet_read_select(r, sel, 1, e) == -1)
		goto out;
	while ((more = parquet_read_next(r, &row, e)) == 1) {
		ct = parquet_value_get(row, "_change_type");
		if (parquet_value_bytes(ct, &p, &n) == -1 || n >= sizeof(s)) {
			err_set(e, ERR_UPSTREAM, "%s: a _change_type is not a "
			    "short string", key);
			goto out;
		}
		memcpy(s, p, n);
		s[n] = '\0';
		tally_add(got, version, s, 1);
	}
	rc = more == -1 ? -1 : 0;
out:
	parquet_read_free(r);
	return rc;
}

/*
 * The changes of one commit, as kernel-rs (and delta-rs, Spark) make the
 * change data feed of it: when the commit has cdc actions, only their
 * files count, each row under its _change_type; otherwise adds with
 * dataChange are inserts and removes with dataChange deletes, minus the
 * rows their deletion vectors delete.  An add whose path a dataChange
 * remove of the same commit also names (a DV update) is resolved on the
 * bitmaps: rows deleted by the add's DV and not the remove's are
 * deletes, rows deleted by the remove's DV and not the add's inserts
 * (restored); that remove yields nothing else.
 */
static int
commit_changes(struct tcase *tc, struct change *c, size_t n,
    struct tallies *got, struct err *e)
{
	struct rowset	 ra, rr;
	size_t		 i, k;
	int64_t		 rows, v = c[0].version;
	bool		 cdc = false, paired;

	for (i = 0; i < n; i++)
		cdc |= c[i].act.kind == DELTA_CDC;
	for (i = 0; i < n; i++) {
		const struct delta_file *f = &c[i].act.u.file;

		if (cdc) {
			if (c[i].act.kind == DELTA_CDC &&
			    cdc_rows(tc, v, f, got, e) == -1)
				return -1;
			continue;
		}
		if (!f->data_change)
			continue;
		paired = false;
		for (k = 0; k < n; k++) {
			const struct delta_file *g = &c[k].act.u.file;

			if (k != i && c[k].act.kind != c[i].act.kind &&
			    g->data_change && strcmp(g->path, f->path) == 0)
				paired = true;
		}
		if (c[i].act.kind == DELTA_REMOVE) {
			if (paired)
				continue;
			if (live_rows(tc, f, &rows, e) == -1)
				return -1;
			tally_add(got, v, "delete", rows);
			continue;
		}
		if (!paired) {
			if (live_rows(tc, f, &rows, e) == -1)
				return -1;
			tally_add(got, v, "insert", rows);
			continue;
		}
		for (k = 0; k < n; k++)
			if (c[k].act.kind == DELTA_REMOVE &&
			    c[k].act.u.file.data_change &&
			    strcmp(c[k].act.u.file.path, f->path) == 0)
				break;
		if (dv_rows(tc->t, &f->dv, tc->a, &ra, e) == -1)
			return -1;
		if (dv_rows(tc->t, &c[k].act.u.file.dv, tc->a, &rr, e) == -1) {
			free(ra.v);
			return -1;
		}
		tally_add(got, v, "delete", minus(&ra, &rr));
		tally_add(got, v, "insert", minus(&rr, &ra));
		free(ra.v);
		free(rr.v);
	}
	return 0;
}

/* Compare; a line of differences into why.  True when equal. */
static bool
tallies_equal(const struct tallies *want, const struct tallies *got,
    char *why, size_t whysz)
{
	const struct tallies	*sides[2] = { want, got };
	size_t			 s, i, len = 0;
	int64_t			 w, g;
	bool			 same = true;

	why[0] = '\0';
	for (s = 0; s < 2; s++)
		for (i = 0; i < sides[s]->n; i++) {
			const struct tally *x = &sides[s]->v[i];

			w = tally_get(want, x->version, x->type);
			g = tally_get(got, x->version, x->type);
			if (w == g || (s == 1 && tally_get(want, x->version,
			    x->type) != 0))
				continue;
			same = false;
			if (len < whysz)
				len += (size_t)snprintf(why + len, whysz - len,
				    "%sv%" PRId64 " %s: %" PRId64 " rows, "
				    "expected %" PRId64, len ? "; " : "",
				    x->version, x->type, g, w);
		}
	return same;
}

static int
cmp_tally(const void *x, const void *y)
{
	const struct tally *a = x, *b = y;

	if (a->version != b->version)
		return a->version < b->version ? -1 : 1;
	return strcmp(a->type, b->type);
}

/* --expect: the assertion as a line for t4100 (see delta-conform.h). */
static void
print_expect(const struct tcase *tc, struct tallies *want, const char *ts,
    int64_t ms, int64_t start, int64_t end)
{
	size_t	 i;

	qsort(want->v, want->n, sizeof(*want->v), cmp_tally);
	printf("cdf\t%s\t", tc->path);
	if (ts != NULL)
		printf("startingTimestamp=%s", ts);
	else
		printf("startingVersion=%" PRId64, start);
	if (end >= 0)
		printf("&endingVersion=%" PRId64, end);
	printf("\t%" PRId64 "\t", ms);
	for (i = 0; i < want->n; i++)
		printf("%s%" PRId64 ":%s=%" PRId64, i ? " " : "",
		    want->v[i].version, want->v[i].type, want->v[i].n);
	printf("\n");
}

/* A pretty timestamp "2026-07-12T16:36:52.175" (UTC) in ms, or -1. */
static int64_t
pretty_ts(const char *s)
{
	char	 z[64];
	int64_t	 ms;

	snprintf(z, sizeof(z), "%s%s", s, strchr(s, 'Z') ? "" : "Z");
	return str_parse_iso8601(z, &ms) == 0 ? ms : -1;
}

void
cdf_assertion(struct tcase *tc, struct json_object *as)
{
	struct delta_snapshot	*latest;
	const struct delta_commit *c;
	struct json_object	*v;
	struct changes		 ch = { NULL, 0 };
	struct tallies		 want = { NULL, 0 }, got = { NULL, 0 };
	struct pretty		 p;
	struct err		 e;
	const char		*sts, *check, *why_at;
	char			 why[768], tsbuf[64];
	int64_t			 start, end, ts = -1, ver;
	size_t			 i, j;
	int			 cv, ct, cts, nts = 0, badts = 0;

	start = jint(as, "start_version");
	end = jint(as, "end_version");
	if ((sts = jstr(as, "starting_timestamp")) != NULL) {
		snprintf(tsbuf, sizeof(tsbuf), "%.*s", (int)strcspn(sts, "("),
		    sts);
		if (str_parse_iso8601(tsbuf, &ts) == -1) {
			report(tc, 0, "cdf", "bad starting_timestamp '%s'",
			    tsbuf);
			return;
		}
		check = arena_printf(tc->a, "cdf from %s", tsbuf);
	} else
		check = end < 0 ? arena_printf(tc->a, "cdf v%" PRId64 "..",
		    start) : arena_printf(tc->a, "cdf v%" PRId64 "..v%" PRId64,
		    start, end);
	json_object_object_get_ex(as, "expected_rows_pretty", &v);
	if (pretty_parse(tc->a, v, &p) == -1 ||
	    (cv = pretty_col(&p, "_commit_version")) < 0 ||
	    (ct = pretty_col(&p, "_change_type")) < 0) {
		report(tc, 0, check, "expected rows unreadable");
		return;
	}
	cts = pretty_col(&p, "_commit_timestamp");
	for (i = 0; i < p.nrows; i++)
		tally_add(&want, strtoll(p.rows[i][cv], NULL, 10),
		    p.rows[i][ct], 1);
	if (expect_mode)
		print_expect(tc, &want, sts != NULL ? tsbuf : NULL, ts, start,
		    end);

	if (delta_snapshot_open(tc->t, -1, &latest, &e) == -1 ||
	    delta_table_timestamps(tc->t, &latest->metadata.u.metadata,
	    &e) == -1) {
		report(tc, 0, check, "%s", e.msg);
		goto out;
	}
	if (ts >= 0 && (start = delta_log_version_at(tc->t->log, ts, false,
	    &why_at)) < 0) {
		report(tc, 0, check, "no commit at or after it (%s)", why_at);
		goto out;
	}
	if (delta_changes(tc->t, &latest->metadata.u.metadata, start, end,
	    keep_change, &ch, &e) == -1) {
		report(tc, 0, check, "%s", e.msg);
		goto out;
	}
	for (i = 0; i < ch.n; i = j) {
		for (j = i; j < ch.n && ch.v[j].version == ch.v[i].version; j++)
			;
		/*
		 * delta-rs, whose test this is when a starting timestamp is
		 * given, also leaves out every commit of the range whose
		 * own timestamp is before it (in-commit timestamps need
		 * not increase).
		 */
		if (ts >= 0 && ch.v[i].ts < ts)
			continue;
		if (commit_changes(tc, &ch.v[i], j - i, &got, &e) == -1) {
			report(tc, 0, check, "v%" PRId64 ": %s",
			    ch.v[i].version, e.msg);
			goto out;
		}
	}
	for (i = 0; cts >= 0 && i < p.nrows; i++) {
		ver = strtoll(p.rows[i][cv], NULL, 10);
		c = delta_log_commit(tc->t->log, ver);
		nts++;
		if (c == NULL || c->timestamp != pretty_ts(p.rows[i][cts]))
			badts++;
	}
	if (badts > 0)
		report(tc, 0, check, "%d of %d _commit_timestamp values differ "
		    "from the commit timestamps", badts, nts);
	else if (!tallies_equal(&want, &got, why, sizeof(why)))
		report(tc, 0, check, "%s", why);
	else
		report(tc, 1, check, "from v%" PRId64 ": %zu rows in %zu "
		    "(version, change type) groups%s", start, p.nrows, want.n,
		    nts ? ", commit timestamps match" : "");
out:
	free(ch.v);
	free(want.v);
	free(got.v);
}
