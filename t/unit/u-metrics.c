/*
 * u-metrics.c: the shared counters (src/metrics.c): two processes add
 * to one segment, histogram buckets, status classes, worker slots of
 * dead processes reused, and the segment named per configuration.
 */
#include "config.h"

#include <sys/wait.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "metrics.h"
#include "tap.h"

static char	 conf[64];

/* A child process (a second worker) opens the segment and counts. */
static void
child_counts(int n)
{
	pid_t	 pid;
	int	 st, i;

	if ((pid = fork()) == 0) {
		metrics_open(conf);
		metrics_worker_start(1);
		for (i = 0; i < n; i++)
			metrics_request(3, 200, 1500, 10);
		_exit(0);
	}
	waitpid(pid, &st, 0);
}

static void
test_shared(void)
{
	const struct metrics_shm *m;

	ok(metrics_open(conf) == 0 && metrics_shared(), "segment opened");
	m = metrics_get();
	metrics_request(3, 200, 1500, 10);
	child_counts(4);
	is_int(m->route[3].status[metrics_status_index(200)], 5,
	    "counts of two processes add up");
	is_int(m->route[3].bytes, 50, "bytes too");
	is_int(m->route[3].latency.count, 5, "histogram count");
	is_int(m->route[3].latency.bucket[1], 5, "1.5 ms lands in le=0.0025");
	is_int(m->route[3].latency.sum_us, 7500, "histogram sum");
	ok(m->created_ms > 0, "creation time set once");
	is_int(m->counter[MX_WORKER_STARTS], 1, "the child's start counted");
}

static void
test_buckets_and_statuses(void)
{
	const struct metrics_shm *m = metrics_get();

	metrics_request(4, 418, 120000000, 0);
	is_int(m->route[4].status[METRICS_STATUSES - 1], 1,
	    "an unlisted status counts as other");
	is_int(m->route[4].latency.count, 1, "2 minutes counted");
	is_int(m->route[4].latency.bucket[METRICS_BUCKETS - 1], 0,
	    "but in no finite bucket (only +Inf)");
	metrics_request(METRICS_ROUTES + 7, 200, 0, 0);
	is_int(m->route[0].status[0], 1, "a route out of range counts as none");
	is_int(metrics_status_index(503), 19, "503's index");
	metrics_storage(MB_S3, MO_READ, MR_NOT_FOUND, 2000);
	is_int(m->store[MB_S3][MO_READ].outcome[MR_NOT_FOUND], 1,
	    "storage outcome");
	metrics_cache(MC_GCS_TOKEN, true);
	metrics_cache(MC_GCS_TOKEN, false);
	is_int(m->cache[MC_GCS_TOKEN][1] + m->cache[MC_GCS_TOKEN][0], 2,
	    "cache hit and miss");
}

static void
test_worker_slots(void)
{
	const struct metrics_shm *m = metrics_get();
	int	 i, used = 0;

	/* The child that counted is gone: its slot is taken again. */
	metrics_worker_start(2);
	for (i = 0; i < METRICS_WORKERS; i++)
		if (m->worker[i].pid != 0)
			used++;
	is_int(used, 1, "a dead worker's slot is reused");
	metrics_worker_busy(true);
	is_int(m->worker[0].busy, 1, "busy");
	metrics_worker_busy(false);
	is_int(m->worker[0].requests, 1, "one request served");
}

static void
test_names(void)
{
	char	 a[80];

	snprintf(a, sizeof(a), "%s", metrics_name(conf));
	ok(strncmp(a, "/deltashare-", 12) == 0, "name %s", a);
	ok(strcmp(a, metrics_name("/etc/other.ini")) != 0,
	    "another configuration, another segment");
	is_str(a, metrics_name(conf), "the same one, the same name");
	is_int(metrics_unlink(conf), 0, "unlinked");
	is_int(metrics_unlink(conf), 0, "unlinking again is harmless");
}

int
main(void)
{
	snprintf(conf, sizeof(conf), "/nonexistent/u-metrics-%ld.ini",
	    (long)getpid());
	metrics_unlink(conf);
	test_shared();
	test_buckets_and_statuses();
	test_worker_slots();
	test_names();
	return done_testing();
}
