/*
 * api_table.c: what the table data handlers share, and the version and
 * metadata endpoints (see api_table.h).
 *
 * Which tables need the delta response format: those whose files cannot
 * be read right without a reader feature (column mapping in use,
 * deletion vectors enabled, timestampNtz, type widening, variant).  The
 * parquet format never serves them, and the delta format only to a
 * client that declares those features; the reference's 400 "Unsupported
 * Delta Table Properties" answers otherwise.  Features that change
 * nothing for a reader of our answers (v2Checkpoint,
 * vacuumProtocolCheck) need no declaration.
 */
#include "config.h"

#include <string.h>

#include "api_table.h"
#include "audit.h"
#include "arena.h"
#include "buf.h"
#include "conf.h"
#include "cred.h"
#include "crypto.h"
#include "delta_action.h"
#include "delta_features.h"
#include "delta_log.h"
#include "delta_snapshot.h"
#include "delta_table.h"
#include "err.h"
#include "http_req.h"
#include "http_resp.h"
#include "pagetoken.h"
#include "strutil.h"

#define NEEDS_DECLARING	(DELTA_F_COLUMN_MAPPING | DELTA_F_DELETION_VECTORS | \
	DELTA_F_TIMESTAMP_NTZ | DELTA_F_TYPE_WIDENING | DELTA_F_VARIANT_TYPE)

int
tq_caps(struct tq *q, struct req *r)
{
	memset(q, 0, sizeof(*q));
	q->r = r;
	return caps_parse(req_env(r, "HTTP_DELTA_SHARING_CAPABILITIES"),
	    req_env(r, "HTTP_FILEIDHASH"), &q->caps, &r->err);
}

/*
 * Who reads the table, for the snapshot cache: the store's environment,
 * or a stored credential as it is now (a changed one is another reader).
 */
static const char *
cred_identity(struct arena *a, const struct cat_cred *cc)
{
	const char	*part[4] = { cc->name, cc->kind, cc->settings,
			    cc->sealed };
	struct buf	 b;
	unsigned char	 h[CRYPTO_SHA256_LEN];
	char		 hex[2 * CRYPTO_SHA256_LEN + 1];
	size_t		 i;

	if (cc->name == NULL)
		return "environment";
	buf_init(&b, 0);
	for (i = 0; i < 4; i++)
		buf_add(&b, part[i] != NULL ? part[i] : "",
		    (part[i] != NULL ? strlen(part[i]) : 0) + 1);
	crypto_sha256(buf_str(&b), b.len, h);
	buf_release(&b);
	str_hex(h, sizeof(h), hex);
	return arena_strdup(a, hex);
}

int
tq_open(struct tq *q)
{
	struct req	*r = q->r;

	const struct cred *c;

	if (catalog_data_table(r->db, r->arena, &r->who, r->args[0],
	    r->args[1], r->args[2], &q->ct, &r->err) == -1 ||
	    tq_cred(r, &q->ct.cred, &c) == -1 ||
	    delta_table_open_cred(q->ct.location, c, r->arena, &q->t,
	    &r->err) == -1)
		return -1;
	q->t->cache_id = cred_identity(r->arena, &q->ct.cred);
	return 0;
}

int
tq_cred(struct req *r, const struct cat_cred *cc, const struct cred **out)
{
	struct cred	*c;

	*out = NULL;
	if (cc->name == NULL)
		return 0;
	c = arena_calloc(r->arena, 1, sizeof(*c));
	if (cred_load(r->arena, r->conf->secret.data, r->conf->secret.len,
	    cc->name, cc->kind, cc->settings, cc->sealed, c, &r->err) == -1)
		return -1;
	*out = c;
	return 0;
}

int
tq_need_history(struct tq *q)
{
	if (q->ct.history_shared)
		return 0;
	return req_fail(q->r, ERR_BAD_PARAM, "Reading table by version or "
	    "timestamp is not supported because history sharing is not "
	    "enabled on table: %s.%s.%s", q->ct.share, q->ct.schema,
	    q->ct.name);
}

int
tq_check_start(struct tq *q, int64_t version, const char *what)
{
	if (version >= q->ct.start_version)
		return 0;
	return req_fail(q->r, ERR_BAD_PARAM, "You can only query table %s "
	    "since version %lld.", what, (long long)q->ct.start_version);
}

int
tq_latest(struct tq *q, struct delta_snapshot **s)
{
	if (q->latest == NULL &&
	    delta_snapshot_open(q->t, -1, &q->latest, &q->r->err) == -1)
		return -1;
	*s = q->latest;
	return 0;
}

int
tq_snapshot(struct tq *q, int64_t v, struct delta_snapshot **s)
{
	struct delta_snapshot *latest;
	char		 msg[sizeof(q->r->err.msg)];

	if (tq_latest(q, &latest) == -1)
		return -1;
	if (v == latest->version) {
		*s = latest;
		return 0;
	}
	if (delta_snapshot_open(q->t, v, s, &q->r->err) == 0)
		return 0;
	if (q->r->err.kind == ERR_BAD_PARAM) {
		memcpy(msg, q->r->err.msg, sizeof(msg));
		req_fail(q->r, ERR_BAD_PARAM, "Cannot load table version %lld: "
		    "%s", (long long)v, msg);
	}
	return -1;
}

static int
out_of_range(struct tq *q, const char *text, bool early)
{
	const struct delta_log *log = q->t->log;
	const struct delta_commit *c;
	char		 when[40];

	c = early ? &log->commits[0] : &log->commits[log->ncommits - 1];
	str_iso8601_ms(c->timestamp, when, sizeof(when));
	if (early)
		return req_fail(q->r, ERR_BAD_PARAM, "The provided timestamp "
		    "(%.64s) is before the earliest available version %lld. "
		    "Please use a timestamp greater than or equal to %s.",
		    text, (long long)c->version, when);
	return req_fail(q->r, ERR_BAD_PARAM, "The provided timestamp (%.64s) "
	    "is after the latest available version %lld. Please use a "
	    "timestamp less than or equal to %s.", text,
	    (long long)c->version, when);
}

int
tq_version_at(struct tq *q, const char *text, bool before, bool past_ok,
    int64_t *v)
{
	struct delta_snapshot *latest;
	const struct delta_log *log;
	const char	*why;
	int64_t		 ts;

	if (str_parse_iso8601(text, &ts) == -1)
		return req_fail(q->r, ERR_BAD_PARAM,
		    "Invalid startingTimestamp: %.64s", text);
	if (tq_latest(q, &latest) == -1 ||
	    delta_table_timestamps(q->t, &latest->metadata.u.metadata,
	    &q->r->err) == -1)
		return -1;
	log = q->t->log;
	if (log->ncommits == 0)
		return req_fail(q->r, ERR_BAD_PARAM, "the table has no commit "
		    "left in its log to match a timestamp against");
	*v = delta_log_version_at(log, ts, before, &why);
	if (*v >= 0)
		return 0;
	if (strcmp(why, "before") == 0) {
		if (!before) {
			*v = log->commits[0].version;
			return 0;
		}
		return out_of_range(q, text, true);
	}
	if (past_ok) {
		*v = log->commits[log->ncommits - 1].version;
		return 0;
	}
	return out_of_range(q, text, false);
}

/* Reader features the table's files need of a reader. */
static int
needs_of(struct tq *q, const struct delta_protocol *p,
    const struct delta_metadata *md, unsigned *needs)
{
	const char	**names, *mode;
	unsigned	 mask;
	size_t		 n;

	if (delta_features_required(p, md, q->r->arena, &mask, &names, &n,
	    &q->r->err) == -1)
		return -1;
	mode = delta_table_property(q->r->arena, md,
	    "delta.columnMapping.mode");
	if (mode == NULL || strcmp(mode, "none") == 0)
		mask &= ~(unsigned)DELTA_F_COLUMN_MAPPING;
	else
		mask |= DELTA_F_COLUMN_MAPPING;
	if (delta_table_property_true(q->r->arena, md,
	    "delta.enableDeletionVectors"))
		mask |= DELTA_F_DELETION_VECTORS;
	*needs = mask & NEEDS_DECLARING;
	return 0;
}

static int
refuse(struct tq *q, unsigned missing, enum caps_format fmt)
{
	struct buf	 b;
	unsigned	 bit;

	buf_init(&b, 0);
	for (bit = 1; bit <= DELTA_F_VARIANT_TYPE; bit <<= 1)
		if (missing & bit)
			buf_addf(&b, "%s%s", b.len ? ", " : "",
			    delta_feature_name((enum delta_feature)bit));
	req_fail(q->r, ERR_UNSUPPORTED, "Unsupported Delta Table Properties: "
	    "the table needs the reader features %s, which %s", buf_str(&b),
	    fmt == CAPS_PARQUET ? "the parquet response format cannot "
	    "carry (ask for responseformat=delta)" : "the client did not "
	    "declare in readerfeatures");
	buf_release(&b);
	return -1;
}

int
tq_check(struct tq *q, const struct delta_protocol *p,
    const struct delta_metadata *md, enum caps_format fmt)
{
	unsigned	 needs;

	if (needs_of(q, p, md, &needs) == -1)
		return -1;
	if (needs != 0 && fmt == CAPS_PARQUET)
		return refuse(q, needs, fmt);
	if ((needs & ~q->caps.features) != 0)
		return refuse(q, needs & ~q->caps.features, fmt);
	return 0;
}

int
tq_negotiate(struct tq *q, const struct delta_snapshot *s)
{
	struct req	*r = q->r;
	enum caps_format fmt;
	unsigned	 needs;

	if (needs_of(q, &s->protocol.u.protocol, &s->metadata.u.metadata,
	    &needs) == -1 ||
	    caps_format(&q->caps, needs, &fmt, &r->err) == -1 ||
	    tq_check(q, &s->protocol.u.protocol, &s->metadata.u.metadata,
	    fmt) == -1)
		return -1;
	lines_init(&q->l, r, &q->ct, q->t->st, q->t->root, fmt, &q->caps);
	q->l.cdf_config = q->ct.history_shared &&
	    delta_table_property_true(r->arena, &s->metadata.u.metadata,
	    "delta.enableChangeDataFeed");
	return 0;
}

int
tq_start(struct tq *q, int64_t hv, bool end_stream)
{
	struct req	*r = q->r;

	audit_served(r, hv, -1);
	resp_header(r, "Delta-Table-Version", "%lld", (long long)hv);
	resp_header(r, "delta-sharing-capabilities", "responseformat=%s%s",
	    q->l.fmt == CAPS_DELTA ? "delta" : "parquet",
	    end_stream && q->caps.end_stream ?
	    ";includeendstreamaction=true" : "");
	if (q->caps.idhash_echo != NULL)
		resp_header(r, "fileidhash", "%s", q->caps.idhash_echo);
	return resp_start(r, 200, CT_NDJSON) == -1 && !r->failed_write ?
	    -1 : 0;
}

int64_t
tq_hash(const void *s, size_t len)
{
	unsigned char	 h[CRYPTO_SHA256_LEN];
	int64_t		 v = 0;
	int		 i;

	crypto_sha256(s, len, h);
	for (i = 0; i < 8; i++)
		v = v << 8 | h[i];
	return v & INT64_MAX;
}

char *
tq_token(struct tq *q, enum pagetoken_kind kind, int64_t hash, int64_t p1,
    int64_t p2, int64_t p3, int64_t ttl)
{
	struct pagetoken pt = { kind, q->r->who.id, q->ct.id, hash, p1, p2, p3,
	    q->r->now_ms + ttl * 1000 };

	return pagetoken_encode(q->r->arena, q->r->conf->secret.data,
	    q->r->conf->secret.len, &pt);
}

int
tq_open_token(struct tq *q, const char *s, enum pagetoken_kind kind,
    int64_t hash, struct pagetoken *pt)
{
	const char	*what = kind == PT_REFRESH ? "refresh token" :
			    "page token";

	if (pagetoken_read(q->r->conf->secret.data, q->r->conf->secret.len, s,
	    pt) == -1 || pt->kind != kind || pt->owner != q->r->who.id ||
	    pt->pos1 < 0 || pt->pos2 < 0)
		return req_fail(q->r, ERR_BAD_PARAM, "Error decoding %s%s: "
		    "%.200s.", kind == PT_REFRESH ? "" : "the ", what, s);
	if (pt->expires_ms < q->r->now_ms)
		return req_fail(q->r, ERR_BAD_PARAM, "The %s has expired. "
		    "Please restart the query.", what);
	if (pt->scope1 != q->ct.id)
		return req_fail(q->r, ERR_BAD_PARAM, "The table specified in "
		    "the %s does not match the table being queried.", what);
	if (kind != PT_REFRESH && pt->scope2 != hash)
		return req_fail(q->r, ERR_BAD_PARAM, "Query parameter mismatch "
		    "detected for the next page query. The query parameter "
		    "cannot change when querying the next page results.");
	return 0;
}

int64_t
tq_page_size(const struct tq *q, int64_t max_files)
{
	if (max_files <= 0)
		return -1;
	return max_files < q->r->conf->max_page_files ? max_files :
	    q->r->conf->max_page_files;
}

int
tq_param_version(struct req *r, const char *name, const char *errname,
    int64_t *v)
{
	const char	*s;
	int		 rc;

	*v = -1;
	if ((rc = req_query(r, name, &s)) <= 0)
		return rc;
	if (str_parse_i64(s, INT64_MIN, INT64_MAX, v) == -1)
		return req_fail(r, ERR_BAD_PARAM, "%s", errname);
	if (*v < 0)
		return req_fail(r, ERR_BAD_PARAM, "%s cannot be negative.",
		    name);
	return 0;
}

/* GET .../version: the latest version, or the first at or after a time. */
int
table_version(struct req *r)
{
	struct tq	 q;
	const char	*ts = NULL;
	int64_t		 v;

	if (req_query(r, "startingTimestamp", &ts) == -1 ||
	    tq_caps(&q, r) == -1 || tq_open(&q) == -1)
		return -1;
	if (ts != NULL) {
		if (tq_need_history(&q) == -1 ||
		    tq_version_at(&q, ts, false, false, &v) == -1 ||
		    tq_check_start(&q, v, "data") == -1)
			return -1;
	} else
		v = delta_log_latest(q.t->log);
	resp_header(r, "Delta-Table-Version", "%lld", (long long)v);
	return resp_empty(r, 200);
}

/* HEAD (or GET) .../tables/{table}: the deprecated version call. */
int
table_head(struct req *r)
{
	struct tq	 q;

	if (tq_caps(&q, r) == -1 || tq_open(&q) == -1)
		return -1;
	resp_header(r, "Delta-Table-Version", "%lld",
	    (long long)delta_log_latest(q.t->log));
	return resp_empty(r, 200);
}

/* GET .../metadata[?version=N|timestamp=T] */
int
table_metadata(struct req *r)
{
	struct delta_snapshot *s;
	struct tq	 q;
	const char	*ts = NULL;
	int64_t		 v;

	if (tq_param_version(r, "version", "version is not a valid number.",
	    &v) == -1 || req_query(r, "timestamp", &ts) == -1)
		return -1;
	if (v >= 0 && ts != NULL)
		return req_fail(r, ERR_BAD_PARAM,
		    "Please only provide one of: version,timestamp");
	if (tq_caps(&q, r) == -1 || tq_open(&q) == -1)
		return -1;
	if ((v >= 0 || ts != NULL) && tq_need_history(&q) == -1)
		return -1;
	if (ts != NULL && tq_version_at(&q, ts, true, false, &v) == -1)
		return -1;
	if (v >= 0 && tq_check_start(&q, v, "data") == -1)
		return -1;
	if ((v >= 0 ? tq_snapshot(&q, v, &s) : tq_latest(&q, &s)) == -1 ||
	    tq_negotiate(&q, s) == -1 || tq_start(&q, s->version, false) == -1)
		return -1;
	if (lines_protocol(&q.l, &s->protocol, -1) == -1 ||
	    lines_metadata(&q.l, &s->metadata, -1) == -1)
		return -1;
	return 0;
}
