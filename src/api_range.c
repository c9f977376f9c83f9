/*
 * api_range.c: lines of a version range (see api_range.h).
 *
 * Per commit, in version order: for v after the request's start, its
 * metaData (and, in delta format when asked, protocol) lines, then its
 * files.  startingVersion queries send the adds and removes that change
 * data (OPTIMIZE commits send nothing).  The change data feed sends a
 * commit's cdc files when it has any, else nothing for a MERGE that
 * changed no row, else its data-changing adds and removes.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "api_range.h"
#include "api_table.h"
#include "arena.h"
#include "delta_changes.h"
#include "delta_snapshot.h"
#include "delta_table.h"
#include "err.h"
#include "http_req.h"

static int
keep(void *ctx, int64_t version, int64_t ts, const struct delta_action *a,
    struct err *e)
{
	struct range	*rg = ctx;
	struct range_act *nv;

	(void)e;
	if (a->kind != DELTA_ADD && a->kind != DELTA_REMOVE &&
	    a->kind != DELTA_CDC && a->kind != DELTA_METADATA &&
	    a->kind != DELTA_PROTOCOL && a->kind != DELTA_COMMIT_INFO)
		return 0;
	if (rg->n == rg->cap) {
		rg->cap = rg->cap ? rg->cap * 2 : 64;
		nv = arena_alloc(rg->a, rg->cap * sizeof(*nv));
		if (rg->n > 0)
			memcpy(nv, rg->v, rg->n * sizeof(*nv));
		rg->v = nv;
	}
	rg->v[rg->n].version = version;
	rg->v[rg->n].timestamp = ts;
	rg->v[rg->n++].a = *a;
	return 0;
}

int
range_collect(struct tq *q, int64_t from, int64_t end, struct range *rg)
{
	struct delta_snapshot *latest;

	memset(rg, 0, sizeof(*rg));
	rg->a = q->r->arena;
	if (tq_latest(q, &latest) == -1)
		return -1;
	return delta_changes(q->t, &latest->metadata.u.metadata, from, end,
	    keep, rg, &q->r->err);
}

static bool
cdf_on(struct tq *q, const struct delta_metadata *md)
{
	return delta_table_property_true(q->r->arena, md,
	    "delta.enableChangeDataFeed");
}

int
range_check(struct tq *q, const struct range *rg, const struct range_opts *o,
    const struct delta_action *start_md, int64_t end)
{
	const struct delta_metadata *md = &start_md->u.metadata;
	size_t		 i;

	for (i = 0; i < rg->n; i++) {
		const struct delta_action *a = &rg->v[i].a;

		if (a->kind == DELTA_METADATA)
			md = &a->u.metadata;
		if (o->mode == RANGE_CDF && (i == 0 ||
		    a->kind == DELTA_METADATA) && !cdf_on(q, md))
			return req_fail(q->r, ERR_BAD_PARAM, "Error getting "
			    "change data for range [%lld, %lld] as change data "
			    "was not recorded for version [%lld]",
			    (long long)o->start, (long long)end,
			    (long long)rg->v[i].version);
		if (a->kind == DELTA_PROTOCOL &&
		    tq_check(q, &a->u.protocol, md, q->l.fmt) == -1)
			return -1;
	}
	if (o->mode == RANGE_CDF && rg->n == 0 && !cdf_on(q, md))
		return req_fail(q->r, ERR_BAD_PARAM, "Error getting change data "
		    "for range [%lld, %lld] as change data was not recorded "
		    "for version [%lld]", (long long)o->start, (long long)end,
		    (long long)o->start);
	return 0;
}

/* Did a MERGE commit change no row (operationMetrics all zero)? */
static bool
empty_merge(const struct delta_commit_info *ci)
{
	static const char *const keys[] = { "numTargetRowsInserted",
	    "numTargetRowsUpdated", "numTargetRowsDeleted" };
	struct json_object *m, *v;
	bool		 empty = true;
	size_t		 i;

	if (ci->operation == NULL || strcmp(ci->operation, "MERGE") != 0 ||
	    ci->operation_metrics == NULL ||
	    (m = json_tokener_parse(ci->operation_metrics)) == NULL)
		return false;
	for (i = 0; i < 3 && empty; i++)
		if (!json_object_object_get_ex(m, keys[i], &v) ||
		    strcmp(json_object_get_string(v), "0") != 0)
			empty = false;
	json_object_put(m);
	return empty;
}

/* Which file lines a commit sends: a mask of action kinds. */
static unsigned
commit_files(const struct range *rg, size_t i, size_t j,
    enum range_mode mode)
{
	size_t	 k;

	if (mode == RANGE_CDF) {
		for (k = i; k < j; k++)
			if (rg->v[k].a.kind == DELTA_CDC)
				return 1u << DELTA_CDC;
		for (k = i; k < j; k++)
			if (rg->v[k].a.kind == DELTA_COMMIT_INFO &&
			    empty_merge(&rg->v[k].a.u.commit_info))
				return 0;
	}
	return 1u << DELTA_ADD | 1u << DELTA_REMOVE;
}

struct page {
	const struct range_opts	*o;
	int64_t			 sent;		/* file lines on this page */
	int64_t			*next_v;
	int64_t			*next_k;
};

static int
file_line(struct tq *q, struct page *p, const struct range_act *ra,
    int64_t k)
{
	const struct delta_action *a = &ra->a;
	enum lines_kind	 kind;

	if (p->o->max_files >= 0 && p->sent == p->o->max_files) {
		*p->next_v = ra->version;
		*p->next_k = k;
		return 1;
	}
	kind = a->kind == DELTA_ADD ? LINE_ADD : a->kind == DELTA_REMOVE ?
	    LINE_REMOVE : LINE_CDF;
	p->sent++;
	return lines_file(&q->l, kind, a, NULL, ra->version, ra->timestamp);
}

/* Lines of one commit, rg->v[i..j). */
static int
commit_lines(struct tq *q, struct page *p, const struct range *rg, size_t i,
    size_t j)
{
	const struct range_opts *o = p->o;
	const struct range_act *ra;
	unsigned	 files = commit_files(rg, i, j, o->mode);
	int64_t		 v = rg->v[i].version, k = 0, skip;
	size_t		 x;
	int		 rc;

	skip = v == o->from_v ? o->from_k : 0;
	for (x = i; x < j && v > o->start && skip == 0; x++) {
		ra = &rg->v[x];
		if (ra->a.kind == DELTA_METADATA && (o->mode == RANGE_STREAM ||
		    o->hist_metadata) &&
		    lines_metadata(&q->l, &ra->a, v) == -1)
			return -1;
		if (ra->a.kind == DELTA_PROTOCOL && o->hist_protocol &&
		    q->l.fmt == CAPS_DELTA &&
		    lines_protocol(&q->l, &ra->a, v) == -1)
			return -1;
	}
	for (x = i; x < j; x++) {
		ra = &rg->v[x];
		if (!(files & 1u << ra->a.kind) || (ra->a.kind != DELTA_CDC &&
		    !ra->a.u.file.data_change))
			continue;
		if (k++ < skip)
			continue;
		if ((rc = file_line(q, p, ra, k - 1)) != 0)
			return rc;
	}
	return 0;
}

int
range_emit(struct tq *q, const struct range *rg, const struct range_opts *o,
    int64_t *next_v, int64_t *next_k)
{
	struct page	 p = { o, 0, next_v, next_k };
	size_t		 i, j;
	int		 rc;

	*next_v = *next_k = -1;
	for (i = 0; i < rg->n; i = j) {
		for (j = i; j < rg->n && rg->v[j].version == rg->v[i].version;
		    j++)
			;
		if ((rc = commit_lines(q, &p, rg, i, j)) != 0)
			return rc == 1 ? 0 : -1;
	}
	return 0;
}
