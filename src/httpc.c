/*
 * httpc.c: HTTP requests through libcurl (see httpc.h).
 *
 * A batch runs in rounds: every pending request goes out in parallel on
 * a curl multi handle; those that failed transiently wait out a jittered
 * backoff (100 ms doubling, capped at 2 s) and go again, up to the retry
 * count.  All handles share one connection cache, so a worker keeps its
 * connections to a store alive from one recipient request to the next.
 */
#include "config.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "crypto.h"
#include "err.h"
#include "httpc.h"
#include "metrics.h"

#define PARALLEL	16
#define BACKOFF_MS	100
#define BACKOFF_MAX_MS	2000

static long	 connect_ms = 5000, total_ms = 30000;
static int	 retries = 3;
static CURLSH	*share;

void
httpc_config(long connect_timeout_ms, long timeout_ms, int nretries)
{
	if (connect_timeout_ms > 0)
		connect_ms = connect_timeout_ms;
	if (timeout_ms > 0)
		total_ms = timeout_ms;
	if (nretries >= 0)
		retries = nretries;
}

const char *
httpc_host(const char *url)
{
	static char	 host[256];
	const char	*p = strstr(url, "://");
	size_t		 n;

	p = p != NULL ? p + 3 : url;
	n = strcspn(p, "/?#");
	snprintf(host, sizeof(host), "%.*s", (int)(n > 255 ? 255 : n), p);
	return host;
}

static CURLSH *
get_share(void)
{
	if (share != NULL)
		return share;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	share = curl_share_init();
	curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
	curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
	curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
	return share;
}

/* One request of a batch in flight. */
struct job {
	const struct httpc_req	*rq;
	struct httpc_resp	*rs;
	struct err		*e;
	CURL			*h;
	struct curl_slist	*hdrs;
	long			 code;		/* of the status line seen */
	bool			 too_large;
	bool			 done;
};

/* What an error answer may keep: enough for the store's code. */
#define ERR_BODY_MAX	(64u << 10)

static size_t
on_body(char *p, size_t size, size_t n, void *ctx)
{
	struct job	*j = ctx;
	size_t		 len = size * n;

	/* The caller's cap is for what it asked for, not for errors. */
	if (j->code >= 300) {
		if (j->rs->body.len < ERR_BODY_MAX)
			buf_add(&j->rs->body, p, len < ERR_BODY_MAX -
			    j->rs->body.len ? len : ERR_BODY_MAX -
			    j->rs->body.len);
		return len;
	}
	if (j->rs->body.len + len > j->rq->max) {
		j->too_large = true;
		return 0;
	}
	buf_add(&j->rs->body, p, len);
	return len;
}

/* Content-Length, Last-Modified, ETag and error code of the final answer. */
static size_t
on_header(char *p, size_t size, size_t n, void *ctx)
{
	struct job	*j = ctx;
	size_t		 len = size * n, k;
	char		 v[128];

	if (len > 5 && strncmp(p, "HTTP/", 5) == 0) {
		k = strcspn(p, " ");
		j->code = k + 4 < len ? strtol(p + k + 1, NULL, 10) : 0;
		j->rs->content_length = j->rs->last_modified_ms = -1;
		j->rs->etag[0] = j->rs->errcode[0] = '\0';
		return len;
	}
	if ((k = strcspn(p, ":")) >= len)
		return len;
	snprintf(v, sizeof(v), "%.*s", (int)(len - k - 1 < sizeof(v) - 1 ?
	    len - k - 1 : sizeof(v) - 1), p + k + 1);
	v[strcspn(v, "\r\n")] = '\0';
	if (k == 14 && strncasecmp(p, "content-length", 14) == 0)
		j->rs->content_length = strtoll(v, NULL, 10);
	else if (k == 13 && strncasecmp(p, "last-modified", 13) == 0)
		j->rs->last_modified_ms = httpc_date_ms(v);
	else if (k == 4 && strncasecmp(p, "etag", 4) == 0)
		snprintf(j->rs->etag, sizeof(j->rs->etag), "%s",
		    v + strspn(v, " \t"));
	else if (k == 15 && strncasecmp(p, "x-ms-error-code", 15) == 0)
		snprintf(j->rs->errcode, sizeof(j->rs->errcode), "%s",
		    v + strspn(v, " \t"));
	return len;
}

int64_t
httpc_date_ms(const char *s)
{
	time_t	 t = curl_getdate(s, NULL);

	return t == -1 ? -1 : (int64_t)t * 1000;
}

static void
job_setup(struct job *j)
{
	size_t	 i;

	j->h = curl_easy_init();
	j->hdrs = NULL;
	j->too_large = false;
	j->code = 0;
	for (i = 0; i < j->rq->nheaders; i++)
		j->hdrs = curl_slist_append(j->hdrs, j->rq->headers[i]);
	/* No "Expect: 100-continue" round trip on POSTs. */
	j->hdrs = curl_slist_append(j->hdrs, "Expect:");
	buf_reset(&j->rs->body);
	j->rs->status = 0;
	j->rs->content_length = j->rs->last_modified_ms = -1;
	j->rs->etag[0] = j->rs->errcode[0] = '\0';
	j->rs->attempts++;
	curl_easy_setopt(j->h, CURLOPT_SHARE, get_share());
	curl_easy_setopt(j->h, CURLOPT_URL, j->rq->url);
	curl_easy_setopt(j->h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(j->h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(j->h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(j->h, CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
	curl_easy_setopt(j->h, CURLOPT_TIMEOUT_MS, total_ms);
	curl_easy_setopt(j->h, CURLOPT_HTTPHEADER, j->hdrs);
	curl_easy_setopt(j->h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(j->h, CURLOPT_WRITEDATA, j);
	curl_easy_setopt(j->h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(j->h, CURLOPT_HEADERDATA, j);
	curl_easy_setopt(j->h, CURLOPT_PRIVATE, j);
	if (strcmp(j->rq->method, "HEAD") == 0)
		curl_easy_setopt(j->h, CURLOPT_NOBODY, 1L);
	else if (strcmp(j->rq->method, "POST") == 0) {
		curl_easy_setopt(j->h, CURLOPT_POSTFIELDS, j->rq->body ?
		    j->rq->body : "");
		curl_easy_setopt(j->h, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)j->rq->bodylen);
	} else if (strcmp(j->rq->method, "GET") != 0)
		curl_easy_setopt(j->h, CURLOPT_CUSTOMREQUEST, j->rq->method);
}

static void
job_cleanup(struct job *j)
{
	if (j->h != NULL)
		curl_easy_cleanup(j->h);
	curl_slist_free_all(j->hdrs);
	j->h = NULL;
	j->hdrs = NULL;
}

static bool
transient(CURLcode c)
{
	switch (c) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_SSL_CONNECT_ERROR:
		return true;
	default:
		return false;
	}
}

/*
 * How a finished transfer went: true when done (answered, or failed for
 * good), false to retry.
 */
static bool
job_finish(struct job *j, CURLcode c, bool last)
{
	long	 st = 0, conns = 0;

	curl_easy_getinfo(j->h, CURLINFO_RESPONSE_CODE, &st);
	if (curl_easy_getinfo(j->h, CURLINFO_NUM_CONNECTS, &conns) == CURLE_OK &&
	    c == CURLE_OK)
		metrics_cache(MC_HTTP_CONNECTION, conns == 0);
	if (c == CURLE_OK) {
		j->rs->status = st;
		if ((st == 429 || (st >= 500 && st != 501)) && !last)
			return false;
		err_clear(j->e);
		return true;
	}
	if (j->too_large) {
		err_set(j->e, ERR_TOO_LARGE, "%s: an answer of more than %zu "
		    "bytes", httpc_host(j->rq->url), j->rq->max);
		return true;
	}
	if (transient(c) && !last)
		return false;
	err_set(j->e, ERR_UNAVAILABLE, "storage at %s unreachable: %s",
	    httpc_host(j->rq->url), curl_easy_strerror(c));
	return true;
}

static void
backoff(int attempt)
{
	struct timespec	 ts;
	long		 ms = BACKOFF_MS << (attempt > 5 ? 5 : attempt);
	uint32_t	 r;

	if (ms > BACKOFF_MAX_MS)
		ms = BACKOFF_MAX_MS;
	crypto_random(&r, sizeof(r));
	ms = ms / 2 + (long)(r % (uint32_t)(ms / 2 + 1));
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	nanosleep(&ts, NULL);
}

/* One round: run every job not done; returns how many are left. */
static size_t
round_run(CURLM *m, struct job *jobs, size_t n, bool last)
{
	struct CURLMsg	*msg;
	struct job	*j;
	size_t		 i, next = 0, running_jobs = 0, left = 0;
	int		 running, q;

	for (;;) {
		while (running_jobs < PARALLEL && next < n) {
			j = &jobs[next++];
			if (j->done)
				continue;
			job_setup(j);
			curl_multi_add_handle(m, j->h);
			running_jobs++;
		}
		curl_multi_perform(m, &running);
		while ((msg = curl_multi_info_read(m, &q)) != NULL) {
			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE,
			    (char **)&j);
			j->done = job_finish(j, msg->data.result, last);
			curl_multi_remove_handle(m, j->h);
			job_cleanup(j);
			running_jobs--;
		}
		if (running_jobs == 0 && next == n)
			break;
		curl_multi_poll(m, NULL, 0, 100, NULL);
	}
	for (i = 0; i < n; i++)
		left += !jobs[i].done;
	return left;
}

int
httpc_many(const struct httpc_req *rqs, struct httpc_resp *rss, size_t n,
    struct err *errs)
{
	struct job	*jobs;
	CURLM		*m;
	size_t		 i;
	int		 attempt, rc = 0;

	if ((jobs = calloc(n ? n : 1, sizeof(*jobs))) == NULL)
		abort();
	for (i = 0; i < n; i++) {
		jobs[i].rq = &rqs[i];
		jobs[i].rs = &rss[i];
		jobs[i].e = &errs[i];
		buf_init(&rss[i].body, 0);
		rss[i].attempts = 0;
		err_clear(&errs[i]);
	}
	get_share();
	m = curl_multi_init();
	for (attempt = 0; round_run(m, jobs, n, attempt >= retries) > 0;
	    attempt++)
		backoff(attempt);
	curl_multi_cleanup(m);
	for (i = 0; i < n; i++)
		if (errs[i].kind != ERR_NONE)
			rc = -1;
	free(jobs);
	return rc;
}

int
httpc_do(const struct httpc_req *rq, struct httpc_resp *rs, struct err *e)
{
	return httpc_many(rq, rs, 1, e);
}
