/*
 * api_query.c: POST .../query (protocol-notes §1.8): a snapshot's files
 * (latest, at a version or a timestamp, or again by refresh token), or
 * with startingVersion the data changes of a range of commits.
 *
 * Snapshot files are pruned with the predicate hints (pred.h) and cut by
 * limitHint (rows from stats numRecords minus deletion-vector
 * cardinality, only without hints, since a hint makes numRecords
 * overcount).  Pages: the token pins the snapshot version and counts
 * the files already sent, and a hash of the other parameters makes a
 * changed query fail instead of mixing two.
 */
#include "config.h"

#include <string.h>

#include <json-c/json.h>

#include "api_range.h"
#include "api_table.h"
#include "arena.h"
#include "audit.h"
#include "buf.h"
#include "conf.h"
#include "delta_log.h"
#include "delta_snapshot.h"
#include "delta_table.h"
#include "err.h"
#include "http_req.h"
#include "pagetoken.h"
#include "pred.h"
#include "qbody.h"

struct snap_emit {
	struct tq		*q;
	const struct pred	*pred;
	struct pred_schema	 ps;
	struct arena		*scratch;
	int64_t			 limit;
	int64_t			 rows;
	int64_t			 skip;		/* files sent on earlier pages */
	int64_t			 page;		/* -1: no paging */
	int64_t			 seen;
	int64_t			 version;	/* on file lines; -1: none */
	bool			 full;		/* a page filled up */
	bool			 stopped;
};

/* The query's parameters other than paging, hashed for page tokens. */
static int64_t
params_hash(const struct qbody *b, enum caps_format fmt)
{
	struct buf	 s;
	int64_t		 h;
	size_t		 i;

	buf_init(&s, 0);
	buf_addf(&s, "%lld|%s|%lld|%lld|%lld|%d|%d|%s|", (long long)b->version,
	    b->timestamp ? b->timestamp : "", (long long)b->starting_version,
	    (long long)b->ending_version, (long long)b->limit,
	    b->historical_protocol, (int)fmt,
	    b->json_hints ? b->json_hints : "");
	for (i = 0; i < b->nhints; i++)
		buf_addf(&s, "%zu:%s", strlen(b->hints[i]), b->hints[i]);
	h = tq_hash(s.data, s.len);
	buf_release(&s);
	return h;
}

/* numRecords of a file's stats, minus its deletion vector; 0 unknown. */
static int64_t
file_rows(const struct delta_file *f)
{
	struct json_object *o, *n;
	int64_t		 rows = 0;

	if (f->stats == NULL || (o = json_tokener_parse(f->stats)) == NULL)
		return 0;
	if (json_object_object_get_ex(o, "numRecords", &n) &&
	    json_object_is_type(n, json_type_int))
		rows = json_object_get_int64(n);
	json_object_put(o);
	if (f->dv.storage_type != 0)
		rows -= f->dv.cardinality;
	return rows > 0 ? rows : 0;
}

static int
snap_file(void *ctx, const struct delta_action *a, const char *key,
    struct err *e)
{
	struct snap_emit *s = ctx;

	(void)e;
	if (s->pred != NULL) {
		arena_reset(s->scratch);
		if (!pred_keep(s->pred, &s->ps, &a->u.file, s->scratch))
			return 0;
	}
	if (s->limit >= 0 && s->rows >= s->limit)
		goto stop;
	if (s->seen++ < s->skip)
		return 0;
	if (s->page >= 0 && s->seen - s->skip > s->page) {
		s->full = true;
		goto stop;
	}
	if (s->limit >= 0)
		s->rows += file_rows(&a->u.file);
	return lines_file(&s->q->l, LINE_FILE, a, key, s->version, -1);
stop:
	s->stopped = true;
	return -1;
}

static int
snap_setup(struct tq *q, const struct qbody *b, const struct delta_snapshot *sn,
    struct snap_emit *s)
{
	const struct delta_metadata *md = &sn->metadata.u.metadata;
	struct pred	*json = NULL, *sql = NULL;

	s->q = q;
	s->limit = -1;
	s->page = -1;
	s->scratch = arena_new();
	arena_defer(q->r->arena, (arena_cleanup_fn)arena_free, s->scratch);
	if (b->json_hints != NULL && *b->json_hints != '\0')
		json = pred_parse_json(q->r->arena, b->json_hints,
		    strlen(b->json_hints));
	if (b->nhints > 0)
		sql = pred_parse_sql(q->r->arena, md, b->hints, b->nhints);
	s->pred = json != NULL ? json : sql;
	if (json != NULL && sql != NULL) {
		struct pred *and = arena_calloc(q->r->arena, 1, sizeof(*and));

		and->op = PRED_AND;
		and->kids = arena_calloc(q->r->arena, 2, sizeof(*and->kids));
		and->kids[0] = json;
		and->kids[1] = sql;
		and->nkids = 2;
		s->pred = and;
	}
	if (s->pred != NULL && pred_schema(q->r->arena, md, &s->ps) == -1)
		s->pred = NULL;
	if (b->limit >= 0 && b->json_hints == NULL && b->nhints == 0)
		s->limit = b->limit;
	audit_hints(q->r, s->pred != NULL && json != NULL, s->pred != NULL &&
	    sql != NULL, s->limit >= 0);
	return 0;
}

/* Which snapshot: by refresh token, page token, version or timestamp. */
static int
snap_pick(struct tq *q, const struct qbody *b, int64_t hash,
    struct delta_snapshot **sn, int64_t *skip)
{
	struct pagetoken pt;
	int64_t		 v = b->version;

	*skip = 0;
	if (b->refresh_token != NULL) {
		if (tq_open_token(q, b->refresh_token, PT_REFRESH, 0, &pt) == -1)
			return -1;
		v = pt.pos1;
	} else if (b->page_token != NULL) {
		if (tq_open_token(q, b->page_token, PT_QUERY, hash, &pt) == -1)
			return -1;
		v = pt.pos1;
		*skip = pt.pos2;
	} else if (b->timestamp != NULL) {
		if (tq_version_at(q, b->timestamp, true, false, &v) == -1 ||
		    tq_check_start(q, v, "data") == -1)
			return -1;
	}
	return v >= 0 ? tq_snapshot(q, v, sn) : tq_latest(q, sn);
}

static int
query_snapshot(struct tq *q, const struct qbody *b, bool end_stream)
{
	struct delta_snapshot *sn;
	struct snap_emit s;
	int64_t		 hash = 0, skip;
	char		*next = NULL, *refresh = NULL;
	bool		 timetravel = b->version >= 0 || b->timestamp != NULL;

	memset(&s, 0, sizeof(s));
	if (tq_latest(q, &sn) == -1 || tq_negotiate(q, sn) == -1)
		return -1;
	hash = params_hash(b, q->l.fmt);
	if (snap_pick(q, b, hash, &sn, &skip) == -1 ||
	    (sn != q->latest && tq_negotiate(q, sn) == -1) ||
	    snap_setup(q, b, sn, &s) == -1)
		return -1;
	s.skip = skip;
	s.page = tq_page_size(q, b->max_files);
	s.version = timetravel ? sn->version : -1;
	if (tq_start(q, sn->version, end_stream) == -1 ||
	    lines_protocol(&q->l, &sn->protocol, -1) == -1 ||
	    lines_metadata(&q->l, &sn->metadata, -1) == -1)
		return -1;
	if (delta_snapshot_files(sn, snap_file, &s, &q->r->err) == -1 &&
	    !s.stopped)
		return -1;
	if (!end_stream)
		return 0;
	if (s.full)
		next = tq_token(q, PT_QUERY, hash, sn->version, skip + s.page, 0,
		    q->r->conf->page_token_ttl);
	if ((b->include_refresh || b->refresh_token != NULL) && !s.full &&
	    b->page_token == NULL)
		refresh = tq_token(q, PT_REFRESH, 0, sn->version, 0, 0,
		    q->r->conf->refresh_token_ttl);
	return lines_end(&q->l, next, refresh, NULL);
}

/* startingVersion: the data changes of commits start..end. */
static int
query_stream(struct tq *q, const struct qbody *b, bool end_stream)
{
	struct range_opts o = { RANGE_STREAM, b->starting_version, true,
	    b->historical_protocol, -1, b->starting_version, 0 };
	struct delta_snapshot *sn;
	struct pagetoken pt;
	struct range	 rg;
	int64_t		 hash, end = b->ending_version, latest, nv, nk;
	char		*next = NULL;

	latest = delta_log_latest(q->t->log);
	if (end > latest)
		return req_fail(q->r, ERR_BAD_PARAM, "Provided end version(%lld) "
		    "is invalid. End version cannot be greater than the latest "
		    "version of the table(%lld).", (long long)end,
		    (long long)latest);
	if (tq_snapshot(q, b->starting_version, &sn) == -1 ||
	    tq_negotiate(q, sn) == -1)
		return -1;
	hash = params_hash(b, q->l.fmt);
	if (b->page_token != NULL) {
		if (tq_open_token(q, b->page_token, PT_STREAM, hash, &pt) == -1)
			return -1;
		o.from_v = pt.pos1;
		o.from_k = pt.pos2;
		end = pt.pos3;
	} else if (end < 0)
		end = latest;
	o.max_files = tq_page_size(q, b->max_files);
	if (range_collect(q, o.from_v, end, &rg) == -1 ||
	    range_check(q, &rg, &o, &sn->metadata, end) == -1 ||
	    tq_start(q, b->starting_version, end_stream) == -1 ||
	    lines_protocol(&q->l, &sn->protocol, b->historical_protocol ?
	    sn->version : -1) == -1 ||
	    lines_metadata(&q->l, &sn->metadata, b->starting_version) == -1 ||
	    range_emit(q, &rg, &o, &nv, &nk) == -1)
		return -1;
	audit_served(q->r, b->starting_version, end);
	if (!end_stream)
		return 0;
	if (nv >= 0)
		next = tq_token(q, PT_STREAM, hash, nv, nk, end,
		    q->r->conf->page_token_ttl);
	return lines_end(&q->l, next, NULL, NULL);
}

static int
check_history(struct tq *q, const struct qbody *b)
{
	if (b->version < 0 && b->timestamp == NULL && b->starting_version < 0)
		return 0;
	if (tq_need_history(q) == -1)
		return -1;
	if (b->version >= 0 && tq_check_start(q, b->version, "data") == -1)
		return -1;
	if (b->starting_version >= 0 &&
	    tq_check_start(q, b->starting_version, "data") == -1)
		return -1;
	if (b->starting_version >= 0 && b->ending_version >= 0 &&
	    b->starting_version > b->ending_version)
		return req_fail(q->r, ERR_BAD_PARAM, "startingVersion(%lld) "
		    "must be smaller than or equal to endingVersion(%lld).",
		    (long long)b->starting_version,
		    (long long)b->ending_version);
	return 0;
}

/* What the body asks for, for the audit record. */
static void
audit_query(struct req *r, const struct qbody *b)
{
	if (b->version >= 0)
		audit_ask_i64(r, "version", b->version);
	if (b->timestamp != NULL)
		audit_ask_str(r, "timestamp", b->timestamp);
	if (b->starting_version >= 0)
		audit_ask_i64(r, "startingVersion", b->starting_version);
	if (b->ending_version >= 0)
		audit_ask_i64(r, "endingVersion", b->ending_version);
	if (b->limit >= 0)
		audit_ask_i64(r, "limitHint", b->limit);
	if (b->max_files >= 0)
		audit_ask_i64(r, "maxFiles", b->max_files);
	if (b->page_token != NULL || b->refresh_token != NULL)
		audit_ask_str(r, b->page_token != NULL ? "pageToken" :
		    "refreshToken", "(given)");
}

int
table_query(struct req *r)
{
	struct tq	 q;
	struct qbody	 b;
	struct err	 caps_err;
	bool		 end_stream;
	int		 caps_rc;

	if (req_read_body(r) == -1)
		return -1;
	err_clear(&caps_err);
	caps_rc = tq_caps(&q, r);
	caps_err = r->err;
	err_clear(&r->err);
	if (qbody_parse(r->arena, r->body, r->bodylen, q.caps.async, &b,
	    &r->err) == -1)
		return -1;
	audit_query(r, &b);
	if (caps_rc == -1) {
		r->err = caps_err;
		return -1;
	}
	/*
	 * asyncquery=true (with its idempotency key) is answered
	 * synchronously, as the protocol allows: the answer does not echo
	 * asyncquery, so the client reads it as a normal one.
	 */
	if (tq_open(&q) == -1 || check_history(&q, &b) == -1)
		return -1;
	end_stream = q.caps.end_stream || b.max_files > 0 ||
	    b.include_refresh;
	if (b.starting_version >= 0)
		return query_stream(&q, &b, end_stream);
	return query_snapshot(&q, &b, end_stream);
}

/*
 * POST .../queries/{queryId}: this server answers every query at once
 * and never hands out a query id, so any id is unknown (after the
 * table's own checks).
 */
int
table_query_status(struct req *r)
{
	struct tq	 q;

	if (req_read_body(r) == -1 || tq_caps(&q, r) == -1 ||
	    tq_open(&q) == -1)
		return -1;
	return req_fail(r, ERR_NOT_FOUND, "Query '%.128s' does not exist: "
	    "this server answers every query synchronously.", r->args[3]);
}
