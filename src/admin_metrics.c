/*
 * admin_metrics.c: the operations endpoints.
 *
 * GET {prefix}/admin/metrics (admin token) answers the shared counters
 * of all workers (metrics.h) in the Prometheus text format: requests by
 * route and status with latency histograms and response bytes, storage
 * operations by backend with latencies, cache hits, catalog cache
 * clears, workers, database connects, audit records and files listed.  Only series that have
 * counted something are written, except the fixed ones.
 *
 * GET {prefix}/health (no token) is for load balancers: 200 when the
 * database answers and its schema is current, else 503 JSON.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "admin.h"
#include "buf.h"
#include "db.h"
#include "http_req.h"
#include "http_resp.h"
#include "jsonw.h"
#include "metrics.h"
#include "route.h"

#define CONTENT_TYPE	"text/plain; version=0.0.4; charset=utf-8"

static void
help(struct buf *b, const char *name, const char *type, const char *text)
{
	buf_addf(b, "# HELP %s %s\n# TYPE %s %s\n", name, text, name, type);
}

static void
seconds(struct buf *b, uint64_t usec)
{
	buf_addf(b, "%" PRIu64 ".%06" PRIu64, usec / 1000000, usec % 1000000);
}

/* A histogram's lines; labels are "a=\"x\"," (with the trailing comma). */
static void
histogram(struct buf *b, const char *name, const char *labels,
    const struct metrics_hist *h)
{
	uint64_t	 cum = 0, count = metrics_load(&h->count);
	unsigned	 i;

	for (i = 0; i < METRICS_BUCKETS; i++) {
		cum += metrics_load(&h->bucket[i]);
		buf_addf(b, "%s_bucket{%sle=\"", name, labels);
		seconds(b, (uint64_t)metrics_bucket_us[i]);
		buf_addf(b, "\"} %" PRIu64 "\n", cum);
	}
	buf_addf(b, "%s_bucket{%sle=\"+Inf\"} %" PRIu64 "\n", name, labels,
	    count);
	buf_addf(b, "%s_sum{%.*s} ", name, (int)strlen(labels) - 1, labels);
	seconds(b, metrics_load(&h->sum_us));
	buf_addf(b, "\n%s_count{%.*s} %" PRIu64 "\n", name,
	    (int)strlen(labels) - 1, labels, count);
}

static void
route_labels(struct buf *l, unsigned i)
{
	const char	*method, *pattern;

	route_label(i, &method, &pattern);
	buf_reset(l);
	buf_addf(l, "method=\"%s\",route=\"%s\",", method, pattern);
}

static void
requests(struct buf *b, const struct metrics_shm *m)
{
	struct buf	 l;
	unsigned	 i, s, n = route_count();
	uint64_t	 v;

	buf_init(&l, 0);
	help(b, "deltashare_http_requests_total", "counter",
	    "Requests answered, by route and HTTP status.");
	for (i = 0; i < n && i < METRICS_ROUTES; i++) {
		route_labels(&l, i);
		for (s = 0; s < METRICS_STATUSES; s++) {
			if ((v = metrics_load(&m->route[i].status[s])) == 0)
				continue;
			buf_addf(b, "deltashare_http_requests_total{%s",
			    buf_str(&l));
			if (s < METRICS_STATUSES - 1)
				buf_addf(b, "status=\"%d\"} %" PRIu64 "\n",
				    metrics_status_codes[s], v);
			else
				buf_addf(b, "status=\"other\"} %" PRIu64 "\n",
				    v);
		}
	}
	help(b, "deltashare_http_response_bytes_total", "counter",
	    "Bytes of response bodies, by route.");
	for (i = 0; i < n && i < METRICS_ROUTES; i++)
		if ((v = metrics_load(&m->route[i].bytes)) > 0) {
			route_labels(&l, i);
			buf_addf(b, "deltashare_http_response_bytes_total{%.*s} "
			    "%" PRIu64 "\n", (int)l.len - 1, buf_str(&l), v);
		}
	help(b, "deltashare_http_request_duration_seconds", "histogram",
	    "Time from the start of a request to the end of its answer.");
	for (i = 0; i < n && i < METRICS_ROUTES; i++)
		if (metrics_load(&m->route[i].latency.count) > 0) {
			route_labels(&l, i);
			histogram(b, "deltashare_http_request_duration_seconds",
			    buf_str(&l), &m->route[i].latency);
		}
	buf_release(&l);
}

static void
storage(struct buf *b, const struct metrics_shm *m)
{
	char		 l[96];
	unsigned	 be, op, o;
	uint64_t	 v;

	help(b, "deltashare_storage_operations_total", "counter",
	    "Table storage operations, by backend, operation and outcome.");
	for (be = 0; be < MB__N; be++)
		for (op = 0; op < MO__N; op++)
			for (o = 0; o < MR__N; o++)
				if ((v = metrics_load(
				    &m->store[be][op].outcome[o])) > 0)
					buf_addf(b, "deltashare_storage_"
					    "operations_total{backend=\"%s\","
					    "op=\"%s\",outcome=\"%s\"} %" PRIu64
					    "\n", metrics_backend_names[be],
					    metrics_op_names[op],
					    metrics_outcome_names[o], v);
	help(b, "deltashare_storage_operation_duration_seconds", "histogram",
	    "Time of table storage operations, by backend and operation.");
	for (be = 0; be < MB__N; be++)
		for (op = 0; op < MO__N; op++) {
			if (metrics_load(&m->store[be][op].latency.count) == 0)
				continue;
			snprintf(l, sizeof(l), "backend=\"%s\",op=\"%s\",",
			    metrics_backend_names[be], metrics_op_names[op]);
			histogram(b, "deltashare_storage_operation_duration_"
			    "seconds", l, &m->store[be][op].latency);
		}
}

/* A series without labels: its help, its type and its value. */
static void
single(struct buf *b, const char *name, const char *type, const char *text,
    uint64_t v)
{
	help(b, name, type, text);
	buf_addf(b, "%s %" PRIu64 "\n", name, v);
}

static void
counter(struct buf *b, const char *name, const char *text, uint64_t v)
{
	single(b, name, "counter", text, v);
}

static void
workers(struct buf *b, const struct metrics_shm *m)
{
	uint64_t	 busy, idle;

	metrics_workers(&busy, &idle);
	help(b, "deltashare_workers", "gauge",
	    "FastCGI worker processes alive, by state.");
	buf_addf(b, "deltashare_workers{state=\"busy\"} %" PRIu64 "\n"
	    "deltashare_workers{state=\"idle\"} %" PRIu64 "\n", busy, idle);
	counter(b, "deltashare_worker_starts_total",
	    "FastCGI worker processes started.",
	    metrics_load(&m->counter[MX_WORKER_STARTS]));
}

static void
snapshot_cache(struct buf *b, const struct metrics_shm *m)
{
	uint64_t	 bytes, entries;

	metrics_workers_cache(&bytes, &entries);
	single(b, "deltashare_snapshot_cache_bytes", "gauge",
	    "Bytes of table snapshots (and parts of their answers) the live "
	    "workers keep in their caches.",
	    bytes);
	single(b, "deltashare_snapshot_cache_entries", "gauge",
	    "Table snapshots the live workers keep in their caches.", entries);
	counter(b, "deltashare_snapshot_cache_evictions_total",
	    "Snapshots dropped from a worker's cache to make room.",
	    metrics_load(&m->counter[MX_SNAPSHOT_EVICTED]));
	counter(b, "deltashare_snapshot_cache_too_large_total",
	    "Snapshots not kept: larger than cache.snapshot_bytes.",
	    metrics_load(&m->counter[MX_SNAPSHOT_TOO_LARGE]));
}

static void
misc(struct buf *b, const struct metrics_shm *m)
{
	unsigned	 c;

	help(b, "deltashare_cache_lookups_total", "counter",
	    "Lookups of the workers' caches, by cache and result.");
	for (c = 0; c < MC__N; c++)
		buf_addf(b, "deltashare_cache_lookups_total{cache=\"%s\","
		    "result=\"hit\"} %" PRIu64 "\n"
		    "deltashare_cache_lookups_total{cache=\"%s\","
		    "result=\"miss\"} %" PRIu64 "\n", metrics_cache_names[c],
		    metrics_load(&m->cache[c][1]), metrics_cache_names[c],
		    metrics_load(&m->cache[c][0]));
	snapshot_cache(b, m);
	help(b, "deltashare_catalog_cache_clears_total", "counter",
	    "Catalog caches dropped by workers, by reason: a change "
	    "committed on this host, a notification from PostgreSQL, the "
	    "database connection closed.");
	buf_addf(b, "deltashare_catalog_cache_clears_total{reason=\"host\"} "
	    "%" PRIu64 "\ndeltashare_catalog_cache_clears_total"
	    "{reason=\"notify\"} %" PRIu64 "\n"
	    "deltashare_catalog_cache_clears_total{reason=\"connection\"} "
	    "%" PRIu64 "\n",
	    metrics_load(&m->counter[MX_CATALOG_CLEAR_HOST]),
	    metrics_load(&m->counter[MX_CATALOG_CLEAR_NOTIFY]),
	    metrics_load(&m->counter[MX_CATALOG_CLEAR_LOST]));
	counter(b, "deltashare_db_connects_total",
	    "Connections opened to PostgreSQL.",
	    metrics_load(&m->counter[MX_DB_CONNECTS]));
	help(b, "deltashare_audit_records_total", "counter",
	    "Audit records of sharing calls, stored or failed.");
	buf_addf(b, "deltashare_audit_records_total{result=\"stored\"} %"
	    PRIu64 "\ndeltashare_audit_records_total{result=\"failed\"} %"
	    PRIu64 "\n", metrics_load(&m->counter[MX_AUDIT_STORED]),
	    metrics_load(&m->counter[MX_AUDIT_FAILED]));
	counter(b, "deltashare_files_listed_total",
	    "Data files sent to recipients in table answers.",
	    metrics_load(&m->counter[MX_FILES_LISTED]));
	counter(b, "deltashare_file_bytes_listed_total",
	    "Sizes of the data files sent to recipients in table answers.",
	    metrics_load(&m->counter[MX_BYTES_LISTED]));
}

void
admin_metrics_text(struct buf *b)
{
	const struct metrics_shm *m = metrics_get();

	help(b, "deltashare_build_info", "gauge", "The program's version.");
	buf_addf(b, "deltashare_build_info{version=\"%s\"} 1\n",
	    PACKAGE_VERSION);
	help(b, "deltashare_metrics_shared", "gauge", "1 when these numbers "
	    "add up all worker processes (shared memory), 0 when they are "
	    "one process's own.");
	buf_addf(b, "deltashare_metrics_shared %d\n", metrics_shared());
	help(b, "deltashare_metrics_start_time_seconds", "gauge",
	    "When the counters started (Unix time).");
	buf_addf(b, "deltashare_metrics_start_time_seconds %" PRId64 ".%03"
	    PRId64 "\n", m->created_ms / 1000, m->created_ms % 1000);
	workers(b, m);
	requests(b, m);
	storage(b, m);
	misc(b, m);
}

int
admin_metrics_get(struct req *r)
{
	struct buf	 b;

	buf_init(&b, 0);
	admin_metrics_text(&b);
	/* A failed write is a client gone away: nothing more to say. */
	if (resp_start(r, 200, CONTENT_TYPE) == 0)
		(void)resp_write(r, b.data, b.len);
	buf_release(&b);
	return 0;
}

int
admin_health_get(struct req *r)
{
	struct buf	 b;
	struct jsonw	 w;
	char		 why[sizeof(r->err.msg)];
	int		 rc;

	if (db_exec(r->db, r->arena, STMT_HEALTH, NULL, NULL, &r->err) == -1) {
		if (r->err.kind == ERR_UNAVAILABLE)
			return -1;
		snprintf(why, sizeof(why), "%s", r->err.msg);
		return req_fail(r, ERR_UNAVAILABLE, "database: %s", why);
	}
	buf_init(&b, 0);
	jsonw_init(&w, &b);
	jsonw_obj_open(&w);
	jsonw_key(&w, "status");
	jsonw_str(&w, "ok");
	jsonw_key(&w, "version");
	jsonw_str(&w, PACKAGE_VERSION);
	jsonw_obj_close(&w);
	rc = resp_json(r, 200, &b);
	buf_release(&b);
	return rc;
}
