/*
 * fcgi.c: FastCGI accept loop and the CGI fallback (see fcgi.h).
 *
 * The only file that includes <fcgiapp.h>.  Each request gets the same
 * arena, reset when the request is done, so a steady worker does little
 * allocation.  SIGTERM and SIGINT stop the loop between requests (the
 * request in flight is finished first); libfcgi's own shutdown flag is
 * raised too so a blocked accept returns.
 *
 * Audit records for the database wait in the worker while requests
 * queue up, and are sent (without waiting for PostgreSQL, see audit.h)
 * when none is waiting, when the batch is full or its oldest record is
 * AUDIT_FLUSH_MS old, and before the worker ends.  Before accepting, a
 * worker with records out polls its socket and the audit's connection
 * together, so an idle moment sends them and collects the answers.
 * accept(2) gives up after AUDIT_FLUSH_MS (SO_RCVTIMEO) so a worker that
 * found a connection waiting, lost it to another worker and went idle
 * still stores its batch in time; an idle worker also reads the catalog
 * notifications that came meanwhile (db_idle).
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#ifdef HAVE_MALLOC_H
#include <malloc.h>
#endif
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "arena.h"
#include "audit.h"
#include "conf.h"
#include "crypto.h"
#include "db.h"
#include "fcgi.h"
#include "http_req.h"
#include "http_resp.h"
#include "log.h"
#include "metrics.h"
#include "route.h"
#include "snapcache.h"
#include "strutil.h"
#include "tokcache.h"

/* A FastCGI application inherits its listening socket as descriptor 0. */
#define LISTEN_FD	0
/* No connection for this long: the worker is idle (idle_audit). */
#define IDLE_GRACE_MS	2

static volatile sig_atomic_t	 stopping;

static void
on_signal(int sig)
{
	(void)sig;
	stopping = 1;
	FCGX_ShutdownPending();
}

static const char *
fcgi_param(void *ctx, const char *name)
{
	return FCGX_GetParam(name, ((FCGX_Request *)ctx)->envp);
}

/* Bytes of the request body the handler read, this request. */
static int64_t		 body_read;
/* This request's connection had its send buffer looked at. */
static bool		 sndbuf_done;

static long
fcgi_read(void *ctx, char *buf, size_t n)
{
	int	 got;

	got = FCGX_GetStr(buf, n > INT_MAX ? INT_MAX : (int)n,
	    ((FCGX_Request *)ctx)->in);
	if (got > 0)
		body_read += got;
	return got;
}

/*
 * libfcgi sends what it is given in records of 8 KiB, one write(2)
 * each.  Large writes (a query's answer, flushed in large pieces by
 * http_resp.c) go past it: its buffer flushed first, then FCGI_STDOUT
 * records of 64 KiB straight to the connection, several to a writev(2).
 */
#define FCGI_STDOUT_TYPE	6
#define RECORD_MAX		65528		/* content, a multiple of 8 */
#define RECORDS_PER_WRITE	8
#define DIRECT_MIN		(32 * 1024)
/*
 * The send buffer asked for on a unix socket before a large answer goes
 * out.  The default (net.core.wmem_default, 208 KiB) is smaller than one
 * flush of http_resp.c, so each writev(2) blocked until the front end
 * had read part of it: a sleep and a wake-up for every 256 KiB, about
 * 300 for a 100k-file query.  The kernel doubles what is asked and caps
 * it at twice net.core.wmem_max (416 KiB on a stock system: room for a
 * whole flush).  TCP sockets are left alone: setting it would end the
 * kernel's own sizing of their buffer.
 */
#define UNIX_SNDBUF		(512 * 1024)

static int
writev_all(int fd, struct iovec *iov, int cnt)
{
	ssize_t	 w;

	while (cnt > 0) {
		if ((w = writev(fd, iov, cnt)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		for (; cnt > 0 && (size_t)w >= iov->iov_len; iov++, cnt--)
			w -= (ssize_t)iov->iov_len;
		if (cnt > 0) {
			iov->iov_base = (char *)iov->iov_base + w;
			iov->iov_len -= (size_t)w;
		}
	}
	return 0;
}

/* Before the first large write of a request: room for a flush. */
static void
raise_sndbuf(int fd)
{
	struct sockaddr_storage	 ss;
	socklen_t		 len = sizeof(ss);
	int			 want = UNIX_SNDBUF;

	sndbuf_done = true;
	if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0 &&
	    ss.ss_family == AF_UNIX)
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &want,
		    sizeof(want));
}

static int
fcgi_write_records(FCGX_Request *fr, const char *buf, size_t n)
{
	static const unsigned char zeros[8];
	unsigned char	 hdr[RECORDS_PER_WRITE][8];
	struct iovec	 iov[3 * RECORDS_PER_WRITE];
	size_t		 len, pad;
	int		 i, k;

	if (FCGX_FFlush(fr->out) == -1)
		return -1;
	if (!sndbuf_done)
		raise_sndbuf(fr->ipcFd);
	while (n > 0) {
		for (i = k = 0; i < RECORDS_PER_WRITE && n > 0; i++) {
			len = n < RECORD_MAX ? n : RECORD_MAX;
			pad = (8 - len % 8) % 8;
			hdr[i][0] = 1;			/* FCGI_VERSION_1 */
			hdr[i][1] = FCGI_STDOUT_TYPE;
			hdr[i][2] = (unsigned char)(fr->requestId >> 8);
			hdr[i][3] = (unsigned char)fr->requestId;
			hdr[i][4] = (unsigned char)(len >> 8);
			hdr[i][5] = (unsigned char)len;
			hdr[i][6] = (unsigned char)pad;
			hdr[i][7] = 0;
			iov[k].iov_base = hdr[i];
			iov[k++].iov_len = 8;
			iov[k].iov_base = (void *)(uintptr_t)buf;
			iov[k++].iov_len = len;
			if (pad > 0) {
				iov[k].iov_base = (void *)(uintptr_t)zeros;
				iov[k++].iov_len = pad;
			}
			buf += len;
			n -= len;
		}
		if (writev_all(fr->ipcFd, iov, k) == -1)
			return -1;
	}
	return 0;
}

static int
fcgi_write(void *ctx, const char *buf, size_t n)
{
	FCGX_Request	*fr = ctx;
	int		 chunk;

	if (n >= DIRECT_MIN && fr->ipcFd >= 0)
		return fcgi_write_records(fr, buf, n);
	while (n > 0) {
		chunk = n > INT_MAX ? INT_MAX : (int)n;
		if (FCGX_PutStr(buf, chunk, fr->out) != chunk)
			return -1;
		buf += chunk;
		n -= (size_t)chunk;
	}
	return 0;
}

static const char *
cgi_param(void *ctx, const char *name)
{
	(void)ctx;
	return getenv(name);
}

static long
cgi_read(void *ctx, char *buf, size_t n)
{
	(void)ctx;
	return (long)fread(buf, 1, n, stdin);
}

static int
cgi_write(void *ctx, const char *buf, size_t n)
{
	(void)ctx;
	return fwrite(buf, 1, n, stdout) == n ? 0 : -1;
}

/*
 * Request ids: unique within the worker and unlikely to repeat across
 * workers, but no secret (X-Request-Id, logs), so one random draw per
 * worker and a counter mixed so that ids do not look sequential; not a
 * trip through the random generator per request.
 */
static uint64_t	 id_next;

static void
request_id(char out[17])
{
	uint64_t	 v = str_mix64(id_next++);
	unsigned char	 b[8];
	int		 i;

	for (i = 0; i < 8; i++)
		b[i] = (unsigned char)(v >> (56 - 8 * i));
	str_hex(b, sizeof(b), out);
}

static int64_t
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Answer one request into r; the arena is reset by done() once the
 * front end has the answer.  The answer is counted and its audit record
 * built here, while the request's parameters still exist.  Returns the
 * time it took (microseconds).
 */
static int64_t
handle(const struct conf *c, struct db *db, struct arena *a,
    const struct req_io *io, struct req *r)
{
	int64_t		 t0 = metrics_now_us(), us;

	memset(r, 0, sizeof(*r));
	r->arena = a;
	r->conf = c;
	r->db = db;
	r->io = *io;
	r->now_ms = now_ms();
	err_clear(&r->err);
	audit_init(r);
	request_id(r->id);
	resp_init(r);
	if (req_parse(r) == -1 || route_dispatch(r) == -1)
		resp_error(r);
	db_rollback(db);
	resp_finish(r);
	us = metrics_now_us() - t0;
	metrics_request(route_index(r->route), r->status, us, r->bytes_out);
	audit_prepare(r, us / 1000);
	if (r->status >= 500)
		log_error("%s %s: %d %s (request %s)", r->method_str,
		    req_log_path(r), r->status, r->err.msg, r->id);
	else
		log_debug("%s %s: %d in %lld ms (request %s)", r->method_str,
		    req_log_path(r), r->status, (long long)(us / 1000), r->id);
	return us;
}

/*
 * A large request (a large answer's json-c objects, arena blocks,
 * buffers) leaves the heap large after freeing it all: glibc keeps freed
 * memory that lies below memory still in use.  After a request that took
 * long or grew the heap, give it back (malloc_trim releases free pages in
 * the middle too): a few milliseconds at worst, after a request that took
 * far longer; the others cost a read of the program break.
 */
#define TRIM_AFTER_US	(100 * 1000)
#define TRIM_GROWTH	((uintptr_t)4 * 1024 * 1024)

static uintptr_t	 heap_base;	/* the top after the last trim */

static void
settle_heap(int64_t us)
{
#ifdef HAVE_MALLOC_TRIM
	uintptr_t	 top = (uintptr_t)sbrk(0);

	if (us >= TRIM_AFTER_US || top >= heap_base + TRIM_GROWTH) {
		malloc_trim(0);
		heap_base = (uintptr_t)sbrk(0);
	} else if (top < heap_base)
		heap_base = top;
#else
	(void)us;
#endif
}

/* After the front end has the answer: store its audit record. */
static void
done(struct req *r)
{
	audit_store(r);
	db_rollback(r->db);
	arena_reset(r->arena);
}

/* Is a connection already waiting on the listening socket? */
static int
pending(int fd)
{
	struct pollfd	 p;

	p.fd = fd;
	p.events = POLLIN;
	p.revents = 0;
	return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

/*
 * Until a connection comes: send the audit records, collect PostgreSQL's
 * answers (a batch goes out once the one before is answered), and send a
 * batch that waited long enough.  The worker counts as idle only once no
 * connection came for IDLE_GRACE_MS: under load the front end's next
 * connection is often a few microseconds away, and sending at each such
 * gap made batches of a few records, each a transaction of its own
 * (PostgreSQL's commit and wake-ups then cost more than the rows).
 */
static void
idle_audit(const struct conf *c)
{
	struct pollfd	 p[2];
	bool		 idle = false;
	int		 n, wait = IDLE_GRACE_MS, due;

	while (!stopping && audit_waiting()) {
		p[0].fd = LISTEN_FD;
		p[0].events = POLLIN;
		p[1].fd = audit_fd();
		p[1].events = POLLIN;
		p[0].revents = p[1].revents = 0;
		if ((n = poll(p, 2, wait)) > 0 && (p[0].revents & POLLIN))
			break;
		if (n == 0)
			idle = true;
		audit_pump(c, idle);
		due = audit_due_in(metrics_now_ms());
		wait = idle || (due >= 0 && due < IDLE_GRACE_MS) ? due :
		    IDLE_GRACE_MS;
	}
}

/*
 * libfcgi closes a connection by reading from it until the front end
 * closes its end, for as long as the front end keeps sending.  A front
 * end that streams the request body (Apache's mod_proxy_fcgi) forwards a
 * body trickled by a slow client byte by byte, even after the answer, so
 * the worker that answered without reading the body would be held for as
 * long as the client likes.  So: end the answer, read what comes for at
 * most FCGI_LINGER_MS, then shut the reading side, which leaves libfcgi's
 * own drain nothing more to wait for.  Not on a connection the front end
 * keeps for further requests.
 */
#define FCGI_LINGER_MS	1000

static void
fcgi_linger(int fd)
{
	struct pollfd	 p;
	char		 trash[4096];
	int64_t		 end = metrics_now_ms() + FCGI_LINGER_MS, left;

	if (shutdown(fd, SHUT_WR) != 0)
		return;
	p.fd = fd;
	p.events = POLLIN;
	while ((left = end - metrics_now_ms()) > 0) {
		p.revents = 0;
		if (poll(&p, 1, (int)left) != 1 ||
		    read(fd, trash, sizeof(trash)) <= 0)
			break;
	}
	shutdown(fd, SHUT_RD);
}

/*
 * Has the front end sent all it ever will?  Asked only when the request
 * has no body left by its own account (none, or CONTENT_LENGTH bytes
 * read in full, not chunked): then the end of FCGI_STDIN is the next
 * record, sent along with the request (lighttpd and nginx hold the body
 * back until it is all there), and reading it cannot wait on a client.
 */
static bool
fcgi_input_done(FCGX_Request *fr)
{
	const char	*cl = FCGX_GetParam("CONTENT_LENGTH", fr->envp);
	int64_t		 len = 0;

	if (FCGX_GetParam("HTTP_TRANSFER_ENCODING", fr->envp) != NULL)
		return false;
	if (cl != NULL && *cl != '\0' &&
	    str_parse_i64(cl, 0, INT64_MAX, &len) == -1)
		return false;
	if (len != body_read)
		return false;
	return FCGX_HasSeenEOF(fr->in) == EOF ||
	    (FCGX_GetChar(fr->in) == EOF && FCGX_HasSeenEOF(fr->in) == EOF &&
	    FCGX_GetError(fr->in) == 0);
}

/*
 * End the answer.  When the front end has nothing more to send, the
 * connection is closed here at once: libfcgi's own close shuts the
 * writing side and reads until the front end closes (a guard against a
 * TCP reset that unread input would cause; there is none), three system
 * calls and a wait for nothing.  Otherwise fcgi_linger reads what comes
 * for a while and libfcgi closes.
 */
static void
fcgi_finish(FCGX_Request *fr)
{
	if (!fr->keepConnection && fr->ipcFd >= 0) {
		FCGX_FClose(fr->err);
		FCGX_FClose(fr->out);
		if (fcgi_input_done(fr)) {
			close(fr->ipcFd);
			fr->ipcFd = -1;
		} else
			fcgi_linger(fr->ipcFd);
	}
	FCGX_Finish_r(fr);
	body_read = 0;
	sndbuf_done = false;
}

/*
 * A CGI server (Apache's mod_cgi/mod_cgid) may go on feeding the request
 * body to a program that has answered without reading it, and hold the
 * answer back meanwhile: read what is left, up to a bound, and drop it.
 */
#define CGI_DRAIN_MAX	((size_t)64 * 1024 * 1024)

static void
cgi_drain(void)
{
	char	 buf[65536];
	size_t	 total = 0, n;

	while (total < CGI_DRAIN_MAX &&
	    (n = fread(buf, 1, sizeof(buf), stdin)) > 0)
		total += n;
}

static int
serve_cgi(const struct conf *c, struct db *db, struct arena *a)
{
	struct req_io	 io = { cgi_param, cgi_read, cgi_write, NULL };
	struct req	 r;

	handle(c, db, a, &io, &r);
	fflush(stdout);
	cgi_drain();
	fclose(stdout);
	done(&r);
	audit_flush(c, AUDIT_WAIT_MS);
	audit_close();
	return 0;
}

static void
serve_one(const struct conf *c, struct db *db, struct arena *a,
    const struct req_io *io, FCGX_Request *fr)
{
	struct req	 r;
	int64_t		 us;

	metrics_worker_busy(true);
	us = handle(c, db, a, io, &r);
	fcgi_finish(fr);
	done(&r);
	if (audit_waiting())
		audit_pump(c, false);
	settle_heap(us);
	metrics_worker_busy(false);
}

/* Let accept(2) time out, so that idle workers store their batch. */
static void
accept_timeout(void)
{
	struct timeval	 tv;

	tv.tv_sec = AUDIT_FLUSH_MS / 1000;
	tv.tv_usec = AUDIT_FLUSH_MS % 1000 * 1000;
	if (setsockopt(LISTEN_FD, SOL_SOCKET, SO_RCVTIMEO, &tv,
	    sizeof(tv)) == -1)
		log_warn("FastCGI socket: SO_RCVTIMEO: %s", strerror(errno));
}

#define SD_LISTEN_FDS_START	3

int
fcgi_adopt_listen_fds(void)
{
	const char	*pid = getenv("LISTEN_PID"), *fds = getenv("LISTEN_FDS");
	int64_t		 p, n;

	if (pid == NULL || fds == NULL)
		return 0;
	if (str_parse_i64(pid, 1, INT32_MAX, &p) == -1 ||
	    str_parse_i64(fds, 0, INT32_MAX, &n) == -1)
		return -1;
	if (p != (int64_t)getpid())
		return 0;
	unsetenv("LISTEN_PID");
	unsetenv("LISTEN_FDS");
	unsetenv("LISTEN_FDNAMES");
	if (n != 1)
		return -1;
	if (dup2(SD_LISTEN_FDS_START, LISTEN_FD) == -1)
		return -1;
	close(SD_LISTEN_FDS_START);
	return 1;
}

int
fcgi_listening(void)
{
	return !FCGX_IsCGI();
}

int
fcgi_run(const struct conf *c, struct db *db)
{
	FCGX_Request		 fr;
	struct req_io		 io = { fcgi_param, fcgi_read, fcgi_write, &fr };
	struct sigaction	 sa;
	struct arena		*a;
	int64_t			 served = 0;
	int			 rc = 0, err;

	a = arena_new();
	crypto_random(&id_next, sizeof(id_next));
	metrics_open(c->path);
	if (FCGX_IsCGI()) {
		rc = serve_cgi(c, db, a);
		arena_free(a);
		return rc;
	}
	if (FCGX_Init() != 0 || FCGX_InitRequest(&fr, 0, 0) != 0) {
		log_error("cannot initialise FastCGI");
		arena_free(a);
		return -1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;		/* no SA_RESTART: wake accept(2) */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	metrics_worker_start(now_ms());
	snapcache_configure((size_t)c->snapshot_cache_bytes);
	db_catalog_cache(db, c->catalog_cache_seconds, c->catalog_cache_bytes);
	tokcache_configure((size_t)c->token_cache_slots);
	heap_base = (uintptr_t)sbrk(0);
	accept_timeout();
	log_info("worker ready");
	while (!stopping) {
		idle_audit(c);
		if (stopping)
			break;
		if ((err = FCGX_Accept_r(&fr)) == -EAGAIN ||
		    err == -EWOULDBLOCK) {
			db_idle(db);
			continue;
		}
		if (err < 0) {
			/* Not a stop: exit non-zero, for the supervisor. */
			if (!stopping) {
				log_error("FastCGI accept: %s", strerror(-err));
				rc = -1;
			}
			break;
		}
		serve_one(c, db, a, &io, &fr);
		if (c->max_requests > 0 && ++served >= c->max_requests) {
			/*
			 * The front end may have queued a connection to us
			 * already: serve what is queued, then leave; a later
			 * connect is refused and goes to another worker.
			 */
			while (!stopping && pending(LISTEN_FD) &&
			    FCGX_Accept_r(&fr) >= 0) {
				serve_one(c, db, a, &io, &fr);
				served++;
			}
			log_info("served %lld requests, exiting",
			    (long long)served);
			close(LISTEN_FD);
			break;
		}
	}
	audit_flush(c, AUDIT_WAIT_MS);
	audit_close();
	FCGX_Free(&fr, 1);
	arena_free(a);
	snapcache_configure(0);		/* its memory leaves the metrics */
	tokcache_configure(0);
	if (stopping)
		log_info("worker stopping on signal");
	return rc;
}
