/*
 * metrics.c: the shared counters of all workers (see metrics.h).
 *
 * The segment is created zero-filled by whichever process comes first
 * (O_CREAT, then ftruncate to the layout's size: racing creators agree),
 * and zero is a valid state, so nobody initialises anything and no lock
 * is needed.  Its name carries the user id (workers of another user
 * cannot share it anyway, mode 0600) and a hash of the configuration
 * file's real path, so two deployments, or two test runs, on one
 * machine never mix their numbers.
 */
#include "config.h"

#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "crypto.h"
#include "log.h"
#include "metrics.h"

#define LAYOUT	5		/* bump when struct metrics_shm changes */

const int metrics_status_codes[METRICS_STATUSES - 1] = {
	200, 201, 204, 206, 304, 400, 401, 403, 404, 405, 409, 412, 413,
	415, 416, 422, 429, 500, 502, 503, 504,
};

const int64_t metrics_bucket_us[METRICS_BUCKETS] = {
	1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 500000,
	1000000, 2500000, 5000000, 10000000, 30000000, 60000000,
};

const char *const metrics_backend_names[MB__N] = {
	"local", "s3", "azure", "gcs",
};
const char *const metrics_op_names[MO__N] = {
	"list", "read", "read_many", "stat",
};
const char *const metrics_outcome_names[MR__N] = {
	"ok", "not_found", "error",
};
const char *const metrics_cache_names[MC__N] = {
	"http_connection", "gcs_token", "s3_signing_key", "auth_key", "gcs_key",
	"snapshot", "catalog", "token",
};

static struct metrics_shm	 private_shm;
static struct metrics_shm	*shm = &private_shm;
static bool			 opened, shared;
static struct metrics_worker	*me;

const char *
metrics_segment_name(const char *conf_path, const char *tag)
{
	static char	 name[80];
	char		 real[PATH_MAX];
	unsigned char	 h[32];
	const char	*p = "-";

	if (conf_path != NULL)
		p = realpath(conf_path, real) != NULL ? real : conf_path;
	crypto_sha256(p, strlen(p), h);
	snprintf(name, sizeof(name), "/deltashare-%u-%02x%02x%02x%02x%02x%02x"
	    "-%s", (unsigned)getuid(), h[0], h[1], h[2], h[3], h[4], h[5],
	    tag);
	return name;
}

const char *
metrics_name(const char *conf_path)
{
	char	 layout[16];

	snprintf(layout, sizeof(layout), "%d", LAYOUT);
	return metrics_segment_name(conf_path, layout);
}

void *
metrics_map_segment(const char *name, size_t size)
{
	struct stat	 st;
	void		*p;
	int		 fd, saved;

	if ((fd = shm_open(name, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) == -1)
		return NULL;
	if (fstat(fd, &st) == -1 || (st.st_size < (off_t)size &&
	    ftruncate(fd, (off_t)size) == -1)) {
		saved = errno;
		close(fd);
		errno = saved;
		return NULL;
	}
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	saved = errno;
	close(fd);
	errno = saved;
	return p == MAP_FAILED ? NULL : p;
}

int
metrics_open(const char *conf_path)
{
	const char	*name;
	void		*p;

	if (opened)
		return shared ? 0 : -1;
	opened = true;
	name = metrics_name(conf_path);
	if ((p = metrics_map_segment(name, sizeof(*shm))) == NULL)
		goto fail;
	shm = p;
	shared = true;
	if (__atomic_load_n(&shm->created_ms, __ATOMIC_RELAXED) == 0) {
		struct timespec	 ts;
		int64_t		 zero = 0, now;

		clock_gettime(CLOCK_REALTIME, &ts);
		now = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
		__atomic_compare_exchange_n(&shm->created_ms, &zero, now, false,
		    __ATOMIC_RELAXED, __ATOMIC_RELAXED);
	}
	return 0;
fail:
	log_warn("metrics: shared memory %s: %s; this process counts alone",
	    name, strerror(errno));
	return -1;
}

int
metrics_unlink(const char *conf_path)
{
	return shm_unlink(metrics_name(conf_path)) == -1 && errno != ENOENT ?
	    -1 : 0;
}

const struct metrics_shm *
metrics_get(void)
{
	return shm;
}

bool
metrics_shared(void)
{
	return shared;
}

static void
add(uint64_t *p, uint64_t n)
{
	__atomic_fetch_add(p, n, __ATOMIC_RELAXED);
}

uint64_t
metrics_load(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

/* Is the worker of this slot gone?  (Another user's: still there.) */
static bool
slot_dead(int64_t pid)
{
	return pid <= 0 || pid > INT_MAX ||
	    (kill((pid_t)pid, 0) == -1 && errno == ESRCH);
}

void
metrics_worker_start(int64_t now_ms)
{
	int64_t		 pid = getpid(), old;
	size_t		 i;

	add(&shm->counter[MX_WORKER_STARTS], 1);
	for (i = 0; i < METRICS_WORKERS && me == NULL; i++) {
		old = __atomic_load_n(&shm->worker[i].pid, __ATOMIC_RELAXED);
		if ((old == 0 || slot_dead(old)) &&
		    __atomic_compare_exchange_n(&shm->worker[i].pid, &old, pid,
		    false, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
			me = &shm->worker[i];
	}
	if (me == NULL)
		return;
	__atomic_store_n(&me->started_ms, now_ms, __ATOMIC_RELAXED);
	__atomic_store_n(&me->requests, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&me->busy, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&me->cache_bytes, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&me->cache_entries, 0, __ATOMIC_RELAXED);
}

void
metrics_workers(uint64_t *busy, uint64_t *idle)
{
	int64_t		 pid;
	size_t		 i;

	*busy = *idle = 0;
	for (i = 0; i < METRICS_WORKERS; i++) {
		pid = __atomic_load_n(&shm->worker[i].pid, __ATOMIC_RELAXED);
		if (slot_dead(pid))
			continue;
		if (metrics_load(&shm->worker[i].busy))
			(*busy)++;
		else
			(*idle)++;
	}
}

void
metrics_worker_cache(uint64_t bytes, uint64_t entries)
{
	if (me == NULL)
		return;
	__atomic_store_n(&me->cache_bytes, bytes, __ATOMIC_RELAXED);
	__atomic_store_n(&me->cache_entries, entries, __ATOMIC_RELAXED);
}

void
metrics_workers_cache(uint64_t *bytes, uint64_t *entries)
{
	size_t		 i;

	*bytes = *entries = 0;
	for (i = 0; i < METRICS_WORKERS; i++) {
		if (slot_dead(__atomic_load_n(&shm->worker[i].pid,
		    __ATOMIC_RELAXED)))
			continue;
		*bytes += metrics_load(&shm->worker[i].cache_bytes);
		*entries += metrics_load(&shm->worker[i].cache_entries);
	}
}

void
metrics_worker_busy(bool busy)
{
	if (me == NULL)
		return;
	__atomic_store_n(&me->busy, busy ? 1 : 0, __ATOMIC_RELAXED);
	if (!busy)
		add(&me->requests, 1);
}

unsigned
metrics_status_index(int status)
{
	unsigned	 i;

	for (i = 0; i < METRICS_STATUSES - 1; i++)
		if (metrics_status_codes[i] == status)
			return i;
	return METRICS_STATUSES - 1;
}

static void
observe(struct metrics_hist *h, int64_t usec)
{
	unsigned	 i;

	if (usec < 0)
		usec = 0;
	for (i = 0; i < METRICS_BUCKETS; i++)
		if (usec <= metrics_bucket_us[i]) {
			add(&h->bucket[i], 1);
			break;
		}
	add(&h->count, 1);
	add(&h->sum_us, (uint64_t)usec);
}

void
metrics_request(unsigned route, int status, int64_t usec, uint64_t bytes)
{
	struct metrics_route *m;

	if (route >= METRICS_ROUTES)
		route = 0;
	m = &shm->route[route];
	add(&m->status[metrics_status_index(status)], 1);
	add(&m->bytes, bytes);
	observe(&m->latency, usec);
}

void
metrics_storage(enum metrics_backend b, enum metrics_op op,
    enum metrics_outcome o, int64_t usec)
{
	struct metrics_store *m;

	if (b >= MB__N || op >= MO__N || o >= MR__N)
		return;
	m = &shm->store[b][op];
	add(&m->outcome[o], 1);
	observe(&m->latency, usec);
}

void
metrics_cache(enum metrics_cache c, bool hit)
{
	if (c < MC__N)
		add(&shm->cache[c][hit ? 1 : 0], 1);
}

void
metrics_add(enum metrics_counter c, uint64_t n)
{
	if (c < MX__N)
		add(&shm->counter[c], n);
}

int64_t
metrics_now_us(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t
metrics_now_ms(void)
{
	return metrics_now_us() / 1000;
}
