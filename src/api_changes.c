/*
 * api_changes.c: GET .../changes (protocol-notes §1.9), the change data
 * feed of a table shared with its history: per commit, its cdc files,
 * or its data-changing adds and removes (api_range.c says which).
 *
 * Parameters are checked in the reference's order with its messages; an
 * endingVersion past the latest is clamped, as the reference does.
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "api_range.h"
#include "api_table.h"
#include "audit.h"
#include "conf.h"
#include "delta_log.h"
#include "delta_snapshot.h"
#include "delta_table.h"
#include "err.h"
#include "http_req.h"
#include "pagetoken.h"
#include "strutil.h"

struct cdf_params {
	const char	*sv, *st, *ev, *et;
	int64_t		 start, end, max_files;
	bool		 hist_md, hist_proto;
	const char	*page;
};

static bool
param_bool(struct req *r, const char *name)
{
	const char	*v;

	return req_query(r, name, &v) == 1 && strcasecmp(v, "true") == 0;
}

static int
param_num(struct req *r, const char *s, const char *msg, int64_t *v)
{
	*v = -1;
	if (s != NULL && str_parse_i64(s, INT64_MIN, INT64_MAX, v) == -1)
		return req_fail(r, ERR_BAD_PARAM, "%s", msg);
	return 0;
}

static int
read_params(struct req *r, struct cdf_params *p)
{
	const char	*mf = NULL;

	memset(p, 0, sizeof(*p));
	if (req_query(r, "startingVersion", &p->sv) == -1 ||
	    req_query(r, "startingTimestamp", &p->st) == -1 ||
	    req_query(r, "endingVersion", &p->ev) == -1 ||
	    req_query(r, "endingTimestamp", &p->et) == -1 ||
	    req_query(r, "maxFiles", &mf) == -1 ||
	    req_query(r, "pageToken", &p->page) == -1)
		return -1;
	if (p->sv == NULL && p->st == NULL)
		return req_fail(r, ERR_BAD_PARAM, "No startingVersion or "
		    "startingTimestamp provided for CDF read");
	if (p->sv != NULL && p->st != NULL)
		return req_fail(r, ERR_BAD_PARAM, "Multiple starting arguments "
		    "provided for CDF read. Please provide one of either "
		    "startingTimestamp or startingVersion.");
	if (p->ev != NULL && p->et != NULL)
		return req_fail(r, ERR_BAD_PARAM, "Multiple ending arguments "
		    "provided for CDF read. Please provide one of either "
		    "endingTimestamp or endingVersion.");
	if (param_num(r, p->sv, "startingVersion is not a valid number.",
	    &p->start) == -1 ||
	    param_num(r, p->ev, "endingVersion is not a valid number.",
	    &p->end) == -1 ||
	    param_num(r, mf, "expected a number but the string didn't have "
	    "the appropriate format", &p->max_files) == -1)
		return -1;
	if ((p->sv != NULL && p->start < 0) || (p->ev != NULL && p->end < 0))
		return req_fail(r, ERR_BAD_PARAM, "%s cannot be negative.",
		    p->sv != NULL && p->start < 0 ? "startingVersion" :
		    "endingVersion");
	if (mf != NULL && p->max_files <= 0)
		return req_fail(r, ERR_BAD_PARAM, "maxFiles must be positive.");
	p->hist_md = param_bool(r, "includeHistoricalMetadata");
	p->hist_proto = param_bool(r, "includeHistoricalProtocol");
	return 0;
}

/* Resolve timestamps and check the range against the log. */
static int
resolve(struct tq *q, struct cdf_params *p)
{
	int64_t	 latest = delta_log_latest(q->t->log);

	if (p->st != NULL && tq_version_at(q, p->st, false, false,
	    &p->start) == -1)
		return -1;
	if (p->et != NULL && tq_version_at(q, p->et, true, true,
	    &p->end) == -1)
		return -1;
	if (p->start > latest)
		return req_fail(q->r, ERR_BAD_PARAM, "Provided Start version"
		    "(%lld) for reading change data is invalid. Start version "
		    "cannot be greater than the latest version of the "
		    "table(%lld).", (long long)p->start, (long long)latest);
	if (p->end < 0 || p->end > latest)
		p->end = latest;
	if (p->start > p->end)
		return req_fail(q->r, ERR_BAD_PARAM, "CDF range from start %lld "
		    "to end %lld was invalid. End cannot be before start.",
		    (long long)p->start, (long long)p->end);
	return tq_check_start(q, p->start, "changes");
}

static int64_t
params_hash(const struct cdf_params *p, enum caps_format fmt)
{
	char	 s[128];
	int	 n;

	n = snprintf(s, sizeof(s), "%lld|%lld|%d|%d|%d", (long long)p->start,
	    (long long)p->end, p->hist_md, p->hist_proto, (int)fmt);
	return tq_hash(s, (size_t)n);
}

static int
open_page(struct tq *q, const struct cdf_params *p, int64_t hash,
    struct range_opts *o)
{
	struct pagetoken pt;

	if (tq_open_token(q, p->page, PT_STREAM, hash, &pt) == -1)
		return -1;
	if (pt.pos1 < p->start || pt.pos1 > p->end)
		return req_fail(q->r, ERR_BAD_PARAM, "Error decoding the page "
		    "token: %.200s.", p->page);
	o->from_v = pt.pos1;
	o->from_k = pt.pos2;
	return 0;
}

static int
emit(struct tq *q, struct cdf_params *p, struct delta_snapshot *head,
    struct delta_snapshot *at_start)
{
	struct range_opts o = { RANGE_CDF, p->start, p->hist_md, p->hist_proto,
	    -1, p->start, 0 };
	struct range	 rg;
	int64_t		 hash, nv, nk;
	bool		 end_stream = q->caps.end_stream || p->max_files > 0;

	hash = params_hash(p, q->l.fmt);
	if (p->page != NULL && open_page(q, p, hash, &o) == -1)
		return -1;
	o.max_files = tq_page_size(q, p->max_files);
	if (range_collect(q, o.from_v, p->end, &rg) == -1 ||
	    range_check(q, &rg, &o, &at_start->metadata, p->end) == -1 ||
	    tq_start(q, p->start, end_stream) == -1 ||
	    lines_protocol(&q->l, &head->protocol, p->hist_proto ?
	    head->version : -1) == -1 ||
	    lines_metadata(&q->l, &head->metadata, head->version) == -1 ||
	    range_emit(q, &rg, &o, &nv, &nk) == -1)
		return -1;
	audit_served(q->r, p->start, p->end);
	if (!end_stream)
		return 0;
	return lines_end(&q->l, nv < 0 ? NULL : tq_token(q, PT_STREAM, hash,
	    nv, nk, p->end, q->r->conf->page_token_ttl), NULL, NULL);
}

int
table_changes(struct req *r)
{
	struct delta_snapshot *head, *at_start;
	struct cdf_params p;
	struct tq	 q;

	if (read_params(r, &p) == -1 || tq_caps(&q, r) == -1 ||
	    tq_open(&q) == -1)
		return -1;
	if (!q.ct.history_shared)
		return req_fail(r, ERR_BAD_PARAM, "cdf is not enabled on table "
		    "%s.%s.%s", q.ct.share, q.ct.schema, q.ct.name);
	if (resolve(&q, &p) == -1 || tq_snapshot(&q, p.start, &at_start) == -1 ||
	    tq_latest(&q, &head) == -1)
		return -1;
	if (p.hist_md)
		head = at_start;
	if (tq_negotiate(&q, head) == -1 || (at_start != head &&
	    tq_check(&q, &at_start->protocol.u.protocol,
	    &at_start->metadata.u.metadata, q.l.fmt) == -1))
		return -1;
	return emit(&q, &p, head, at_start);
}
