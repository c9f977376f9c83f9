/*
 * metrics.h: counters and latency histograms shared by every worker.
 *
 * The numbers live in one POSIX shared-memory segment per deployment
 * (named after the user and the configuration file, see metrics_open),
 * so the workers a web server spawns, restarts or replaces all add to
 * the same counters, and any one of them can report the totals
 * ({prefix}/admin/metrics, admin_metrics.c).  Updates are lock-free
 * atomic additions.  When the segment cannot be opened the counters are
 * the process's own and metrics_shared() says so.
 *
 * Labels are small fixed sets, so the segment has a fixed layout: routes
 * by their index in the route table (0 = no route), HTTP statuses from
 * a list (the rest count as "other"), storage backends and operations,
 * and caches.  A new layout gets a new segment name.
 */
#ifndef DS_METRICS_H
#define DS_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define METRICS_ROUTES		96
#define METRICS_STATUSES	22	/* metrics_status_codes[], then other */
#define METRICS_BUCKETS		15	/* metrics_bucket_us[], then +Inf */
#define METRICS_WORKERS		256

enum metrics_backend {
	MB_LOCAL, MB_S3, MB_AZURE, MB_GCS, MB__N
};

enum metrics_op {
	MO_LIST, MO_READ, MO_READ_MANY, MO_STAT, MO__N
};

enum metrics_outcome {
	MR_OK, MR_NOT_FOUND, MR_ERROR, MR__N
};

enum metrics_cache {
	MC_HTTP_CONNECTION,	/* a store connection reused (curl) */
	MC_GCS_TOKEN,		/* an OAuth2 access token reused */
	MC_S3_SIGNING_KEY,	/* a SigV4 signing key reused */
	MC_AUTH_KEY,		/* a parsed token verification key reused */
	MC_GCS_KEY,		/* a parsed GCS service account key reused */
	MC_SNAPSHOT,		/* a table version's live files reused */
	MC_CATALOG,		/* a catalog read answered from memory */
	MC_TOKEN,		/* a bearer token verified before */
	MC__N
};

enum metrics_counter {
	MX_WORKER_STARTS,
	MX_DB_CONNECTS,
	MX_AUDIT_STORED,
	MX_AUDIT_FAILED,
	MX_FILES_LISTED,
	MX_BYTES_LISTED,
	MX_SNAPSHOT_EVICTED,	/* snapshot cache entries evicted */
	MX_SNAPSHOT_TOO_LARGE,	/* replays too large for the budget */
	MX_CATALOG_CLEAR_HOST,	/* catalog caches dropped: change here, */
	MX_CATALOG_CLEAR_NOTIFY, /* a notification from PostgreSQL, */
	MX_CATALOG_CLEAR_LOST,	/* the connection lost */
	MX__N
};

struct metrics_hist {
	uint64_t	 bucket[METRICS_BUCKETS];	/* not cumulative */
	uint64_t	 count;
	uint64_t	 sum_us;
};

struct metrics_route {
	uint64_t		 status[METRICS_STATUSES];
	uint64_t		 bytes;
	struct metrics_hist	 latency;
};

struct metrics_store {
	uint64_t		 outcome[MR__N];
	struct metrics_hist	 latency;
};

struct metrics_worker {
	int64_t		 pid;		/* 0: free slot */
	int64_t		 started_ms;
	uint64_t	 requests;
	uint64_t	 busy;
	uint64_t	 cache_bytes;	/* held by its snapshot cache */
	uint64_t	 cache_entries;
};

struct metrics_shm {
	int64_t			 created_ms;
	uint64_t		 counter[MX__N];
	struct metrics_route	 route[METRICS_ROUTES];
	struct metrics_store	 store[MB__N][MO__N];
	uint64_t		 cache[MC__N][2];	/* [miss, hit] */
	struct metrics_worker	 worker[METRICS_WORKERS];
};

extern const int	 metrics_status_codes[METRICS_STATUSES - 1];
extern const int64_t	 metrics_bucket_us[METRICS_BUCKETS];
extern const char *const metrics_backend_names[MB__N];
extern const char *const metrics_op_names[MO__N];
extern const char *const metrics_outcome_names[MR__N];
extern const char *const metrics_cache_names[MC__N];

/*
 * Open (creating if need be) the segment of the configuration at
 * conf_path (NULL: none given).  Cheap to call again; later calls do
 * nothing.  Returns 0, or -1 when it fell back to private counters.
 */
int	metrics_open(const char *conf_path);

/* The segment's name ("/deltashare-..."), for the log and unlinking. */
const char *metrics_name(const char *conf_path);

/*
 * The name of another segment of the same deployment, tagged tag
 * ("/deltashare-<uid>-<hash of the path>-<tag>", in static storage).
 */
const char *metrics_segment_name(const char *conf_path, const char *tag);

/*
 * Map the segment name (created zero-filled if need be) of at least
 * size bytes, read-write, mode 0600; NULL with errno set on failure.
 */
void	*metrics_map_segment(const char *name, size_t size);

/* Remove the segment: the counters start again from zero. */
int	metrics_unlink(const char *conf_path);

/* Counters as they are now (the live segment; read with atomics). */
const struct metrics_shm *metrics_get(void);
bool	metrics_shared(void);

/* This process serves requests: take a worker slot (not in CGI mode). */
void	metrics_worker_start(int64_t now_ms);
void	metrics_worker_busy(bool);

/* The worker processes alive now, busy and idle, from their slots. */
void	metrics_workers(uint64_t *busy, uint64_t *idle);

/* What this worker's snapshot cache holds; the sum over live workers. */
void	metrics_worker_cache(uint64_t bytes, uint64_t entries);
void	metrics_workers_cache(uint64_t *bytes, uint64_t *entries);

void	metrics_request(unsigned route, int status, int64_t usec,
	    uint64_t bytes);
void	metrics_storage(enum metrics_backend, enum metrics_op,
	    enum metrics_outcome, int64_t usec);
void	metrics_cache(enum metrics_cache, bool hit);
void	metrics_add(enum metrics_counter, uint64_t);

/* Index into metrics_status_codes, or METRICS_STATUSES - 1 (other). */
unsigned metrics_status_index(int status);

/* Monotonic clock in microseconds and milliseconds, for durations. */
int64_t	metrics_now_us(void);
int64_t	metrics_now_ms(void);

/* Atomic read of one counter of the segment. */
uint64_t metrics_load(const uint64_t *);

#endif
