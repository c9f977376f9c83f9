/*
 * audit.c: the audit records of sharing calls (see audit.h).
 *
 * The record is built once, as the JSON line, and stored as such: the
 * database row keeps the line plus the columns the admin API filters
 * by, and audit.file gets the same line.  Names come from the route's
 * captures ({share}, {schema}, {table}), the versions asked from the
 * handlers (the query body) or from the query string, the rest from the
 * request as it ended.  A worker prunes rows past audit.retention_days
 * now and then (every PRUNE_EVERY records, a bounded batch each time).
 *
 * The file gets each line at once.  Database rows wait in the worker
 * and go in one INSERT per batch: a single statement for up to
 * BATCH_MAX records instead of a round trip and a commit for each,
 * which is most of what an audited call costs PostgreSQL.  The INSERT
 * is sent on a connection of the audit's own without waiting for it
 * (db_send), and its answer collected later (audit_pump), so no request
 * waits for PostgreSQL.  Up to INFLIGHT_MAX statements may be
 * unanswered; past that the database lags far behind and the worker
 * waits for it.  If a batch is refused, its records are tried one by
 * one, so a bad record costs only itself.
 */
#include "config.h"

#include <sys/uio.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "audit.h"
#include "buf.h"
#include "conf.h"
#include "crypto.h"
#include "db.h"
#include "err.h"
#include "http_req.h"
#include "jsonw.h"
#include "log.h"
#include "metrics.h"
#include "migrate.h"
#include "route.h"
#include "strutil.h"
#include "xmalloc.h"

#define UA_MAX		256
#define PRUNE_EVERY	500
#define BATCH_MAX	64		/* records per INSERT */
#define BATCH_MS	AUDIT_FLUSH_MS	/* the oldest record's longest wait */
#define INFLIGHT_MAX	16		/* statements sent, not answered */

/* A record waiting for the database: the columns of sharing_log. */
struct row {
	char		*col[7];	/* at, recipient, share, schema, table,
					   status, line */
};

static struct {
	struct row	 v[BATCH_MAX];
	size_t		 n;
	int64_t		 first_ms;	/* when v[0] was queued */
	int64_t		 until_prune;
} batch;

/* Query-string parameters that say which versions a call asks for. */
static const char *const version_params[] = {
	"version", "timestamp", "startingVersion", "endingVersion",
	"startingTimestamp", "endingTimestamp",
};

static const char *const hint_names[] = {
	"jsonPredicateHints", "predicateHints", "limitHint",
};

void
audit_init(struct req *r)
{
	memset(&r->audit, 0, sizeof(r->audit));
	r->audit.version = -1;
	r->audit.end_version = -1;
}

static void
ask(struct req *r, const char *name, const char *json)
{
	struct req_audit *a = &r->audit;

	if (a->nasked >= REQ_MAX_ASKED)
		return;
	a->asked[a->nasked] = name;
	a->asked_json[a->nasked++] = json;
}

void
audit_ask_i64(struct req *r, const char *name, int64_t v)
{
	ask(r, name, arena_printf(r->arena, "%" PRId64, v));
}

void
audit_ask_str(struct req *r, const char *name, const char *v)
{
	struct buf	 b;

	buf_init(&b, 0);
	jsonw_quote(&b, v, strnlen(v, 128));
	ask(r, name, arena_strdup(r->arena, buf_str(&b)));
	buf_release(&b);
}

void
audit_hints(struct req *r, bool json_predicate, bool predicate, bool limit)
{
	r->audit.hints = (json_predicate ? AUDIT_HINT_JSON_PREDICATE : 0) |
	    (predicate ? AUDIT_HINT_PREDICATE : 0) |
	    (limit ? AUDIT_HINT_LIMIT : 0);
}

void
audit_served(struct req *r, int64_t version, int64_t end)
{
	r->audit.version = version;
	r->audit.end_version = end;
}

void
audit_file(struct req *r, int64_t size)
{
	r->audit.files++;
	if (size > 0)
		r->audit.bytes += size;
}

/* The capture named cap ("{share}") of the matched route, or NULL. */
static const char *
capture(const struct req *r, const char *cap)
{
	const char	*method, *p, *seg;
	size_t		 n = 0;

	if (route_label(route_index(r->route), &method, &p) == -1)
		return NULL;
	while ((seg = strchr(p, '{')) != NULL && n < r->nargs) {
		if (strncmp(seg, cap, strlen(cap)) == 0)
			return r->args[n];
		n++;
		p = seg + 1;
	}
	return NULL;
}

/* The versions asked for: from the handler, else the query string. */
static void
write_asked(struct req *r, struct jsonw *w)
{
	size_t		 i, k;

	for (i = 0; r->audit.nasked == 0 && i < r->nparams; i++)
		for (k = 0; k < sizeof(version_params) /
		    sizeof(version_params[0]); k++)
			if (strcmp(r->params[i].name, version_params[k]) == 0)
				audit_ask_str(r, version_params[k],
				    r->params[i].value);
	if (r->audit.nasked == 0)
		return;
	jsonw_key(w, "asked");
	jsonw_obj_open(w);
	for (i = 0; i < r->audit.nasked; i++) {
		jsonw_key(w, r->audit.asked[i]);
		jsonw_raw(w, r->audit.asked_json[i]);
	}
	jsonw_obj_close(w);
}

static void
write_served(struct req *r, struct jsonw *w)
{
	unsigned	 i;

	if (r->audit.version >= 0) {
		jsonw_key(w, "served");
		jsonw_obj_open(w);
		jsonw_key(w, r->audit.end_version >= 0 ? "startingVersion" :
		    "version");
		jsonw_int(w, r->audit.version);
		if (r->audit.end_version >= 0) {
			jsonw_key(w, "endingVersion");
			jsonw_int(w, r->audit.end_version);
		}
		jsonw_obj_close(w);
	}
	if (r->audit.hints != 0) {
		jsonw_key(w, "hints");
		jsonw_arr_open(w);
		for (i = 0; i < sizeof(hint_names) / sizeof(hint_names[0]); i++)
			if (r->audit.hints & (1u << i))
				jsonw_str(w, hint_names[i]);
		jsonw_arr_close(w);
	}
}

static void
write_str(struct jsonw *w, const char *key, const char *v)
{
	if (v == NULL)
		return;
	jsonw_key(w, key);
	jsonw_str(w, v);
}

static void
write_int(struct jsonw *w, const char *key, int64_t v)
{
	jsonw_key(w, key);
	jsonw_int(w, v);
}

/* The user agent, cut to UA_MAX bytes and made valid UTF-8. */
static const char *
user_agent(struct req *r)
{
	const char	*ua = req_env(r, "HTTP_USER_AGENT");
	char		*s;

	if (ua == NULL)
		return NULL;
	s = arena_strndup(r->arena, ua, strnlen(ua, UA_MAX));
	str_utf8_sanitize(s);
	return s;
}

static void
write_line(struct req *r, int64_t duration_ms, const char *at,
    struct buf *out)
{
	struct jsonw	 w;
	const char	*method, *pattern;
	bool		 rcp = r->who.kind == AUTH_RECIPIENT && r->who.id > 0;

	route_label(route_index(r->route), &method, &pattern);
	jsonw_init(&w, out);
	jsonw_obj_open(&w);
	write_str(&w, "time", at);
	write_str(&w, "requestId", r->id);
	write_str(&w, "method", r->method_str);
	write_str(&w, "route", pattern);
	write_str(&w, "recipient", rcp ? r->who.name : NULL);
	write_str(&w, "tokenId", rcp ? r->who.token_id : NULL);
	write_str(&w, "share", capture(r, "{share}"));
	write_str(&w, "schema", capture(r, "{schema}"));
	write_str(&w, "table", capture(r, "{table}"));
	if (r->audit.table_id > 0) {
		write_int(&w, "tableId", r->audit.table_id);
		write_str(&w, "file", r->audit.file);
	}
	write_asked(r, &w);
	write_served(r, &w);
	if (r->audit.files > 0 || r->audit.version >= 0) {
		write_int(&w, "files", r->audit.files);
		write_int(&w, "bytes", r->audit.bytes);
	}
	write_int(&w, "status", r->status);
	if (r->status >= 400)
		write_str(&w, "errorCode", err_code(r->err.kind));
	write_int(&w, "responseBytes", (int64_t)r->bytes_out);
	write_int(&w, "durationMs", duration_ms);
	write_str(&w, "client", req_env(r, "REMOTE_ADDR"));
	write_str(&w, "userAgent", user_agent(r));
	jsonw_obj_close(&w);
}

static void
to_file(const struct conf *c, const char *line)
{
	static int	 fd = -1;
	struct iovec	 iov[2];
	size_t		 n = strlen(line);

	if (fd == -1 && (fd = open(c->audit_file, O_WRONLY | O_APPEND |
	    O_CREAT | O_CLOEXEC, 0640)) == -1) {
		log_error("audit: %s: %s", c->audit_file, strerror(errno));
		metrics_add(MX_AUDIT_FAILED, 1);
		return;
	}
	/* One writev(2) per line: O_APPEND keeps workers' lines whole. */
	iov[0].iov_base = (void *)line;
	iov[0].iov_len = n;
	iov[1].iov_base = (void *)"\n";
	iov[1].iov_len = 1;
	if (writev(fd, iov, 2) != (ssize_t)n + 1) {
		log_error("audit: %s: %s", c->audit_file, strerror(errno));
		metrics_add(MX_AUDIT_FAILED, 1);
	}
}

/* A statement sent and not answered yet: rows it stores, or a prune. */
struct sent {
	struct row	*rows;		/* NULL: the prune */
	size_t		 n;
};

static struct {
	struct db	*db;		/* a connection of the audit's own */
	struct sent	 v[INFLIGHT_MAX];
	size_t		 head, n;
	struct row	*retry;		/* of a refused batch: one by one */
	size_t		 nretry;
} out;

static void
free_rows(struct row *rows, size_t n)
{
	size_t	 i, c;

	for (i = 0; i < n; i++)
		for (c = 0; c < 7; c++)
			free(rows[i].col[c]);
	free(rows);
}

static void
refused(const struct err *e, const struct row *row)
{
	log_error("audit: record not stored (%s): %s", e->msg, row->col[6]);
	metrics_add(MX_AUDIT_FAILED, 1);
}

static void
refuse_all(const struct err *e, struct row *rows, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		refused(e, &rows[i]);
	free_rows(rows, n);
}

/* The oldest statement sent has its answer. */
static void
answered(void *ctx, int rc, const struct err *e)
{
	struct sent	 s = out.v[out.head];

	(void)ctx;
	out.head = (out.head + 1) % INFLIGHT_MAX;
	out.n--;
	if (s.rows == NULL) {
		if (rc == -1)
			log_warn("audit: pruning old records: %s", e->msg);
		return;
	}
	if (rc == 0) {
		metrics_add(MX_AUDIT_STORED, s.n);
		batch.until_prune -= (int64_t)s.n;
		free_rows(s.rows, s.n);
	} else if (s.n == 1 || e->kind == ERR_UNAVAILABLE)
		refuse_all(e, s.rows, s.n);
	else {
		/* A bad record costs only itself: try them one by one. */
		out.retry = xreallocarray(out.retry, out.nretry + s.n,
		    sizeof(*out.retry));
		memcpy(out.retry + out.nretry, s.rows, s.n * sizeof(*s.rows));
		out.nretry += s.n;
		free(s.rows);
	}
}

static void
collect(int wait_ms)
{
	if (out.db != NULL)
		(void)db_collect(out.db, wait_ms, answered, NULL);
}

/* Send a statement; rows (NULL: the prune) are the sent's from now. */
static void
send_stmt(const struct conf *c, enum db_stmt id, const char *const *p,
    struct row *rows, size_t n)
{
	struct err	 e;

	if (out.n == INFLIGHT_MAX)	/* the database lags far behind */
		collect(AUDIT_WAIT_MS);
	if (out.db == NULL)
		out.db = db_new(c, migrate_latest());
	err_clear(&e);
	if (out.n == INFLIGHT_MAX || db_send(out.db, id, p, &e) == -1) {
		if (out.n == INFLIGHT_MAX)
			err_set(&e, ERR_UNAVAILABLE, "database busy");
		if (rows != NULL)
			refuse_all(&e, rows, n);
		else
			log_warn("audit: pruning old records: %s", e.msg);
		return;
	}
	out.v[(out.head + out.n) % INFLIGHT_MAX] = (struct sent){ rows, n };
	out.n++;
}

/* Send rows[0, n) (taken over) in one INSERT. */
static void
insert(const struct conf *c, struct row *rows, size_t n)
{
	struct buf	 arr[7];
	const char	*p[7];
	size_t		 k, col;

	for (col = 0; col < 7; col++) {
		buf_init(&arr[col], 0);
		buf_addc(&arr[col], '{');
		for (k = 0; k < n; k++)
			db_array_add(&arr[col], rows[k].col[col]);
		buf_addc(&arr[col], '}');
		p[col] = buf_str(&arr[col]);
	}
	send_stmt(c, STMT_SHARING_LOG_INSERT, p, rows, n);
	for (col = 0; col < 7; col++)
		buf_release(&arr[col]);
}

static void
prune(const struct conf *c)
{
	const char	*p[1];
	char		 days[24];
	uint16_t	 start;

	if (c->audit_retention_days == 0)
		return;
	if (batch.until_prune == 0) {
		/* Workers started together prune at different times. */
		crypto_random(&start, sizeof(start));
		batch.until_prune = 1 + start % PRUNE_EVERY;
	}
	if (batch.until_prune > 0)
		return;
	batch.until_prune = PRUNE_EVERY;
	snprintf(days, sizeof(days), "%" PRId64, c->audit_retention_days);
	p[0] = days;
	send_stmt(c, STMT_SHARING_LOG_PRUNE, p, NULL, 0);
}

/* Send the batch that waits, and the records to retry one by one. */
static void
send_all(const struct conf *c, bool batch_too)
{
	struct row	*rows;
	size_t		 i;

	for (i = 0; i < out.nretry; i++) {
		rows = xcalloc(1, sizeof(*rows));
		rows[0] = out.retry[i];
		insert(c, rows, 1);
	}
	free(out.retry);
	out.retry = NULL;
	out.nretry = 0;
	if (batch_too && batch.n > 0) {
		rows = xcalloc(batch.n, sizeof(*rows));
		memcpy(rows, batch.v, batch.n * sizeof(*rows));
		insert(c, rows, batch.n);
		batch.n = 0;
	}
	prune(c);
}

void
audit_pump(const struct conf *c, bool idle)
{
	collect(0);
	send_all(c, batch.n == BATCH_MAX ||
	    (batch.n > 0 && metrics_now_ms() - batch.first_ms >= BATCH_MS) ||
	    (idle && out.n == 0));
}

void
audit_flush(const struct conf *c, int wait_ms)
{
	collect(0);
	send_all(c, true);
	collect(wait_ms);
	/* Records refused in a batch: one by one, and their answers. */
	if (out.nretry > 0) {
		send_all(c, false);
		collect(wait_ms);
	}
}

void
audit_close(void)
{
	db_free(out.db);
	out.db = NULL;
}

bool
audit_waiting(void)
{
	return batch.n > 0 || out.n > 0 || out.nretry > 0;
}

int
audit_fd(void)
{
	return out.db != NULL ? db_socket(out.db) : -1;
}

int
audit_due_in(int64_t now_ms)
{
	int64_t	 left;

	if (batch.n == 0)
		return -1;
	left = batch.first_ms + BATCH_MS - now_ms;
	return left > 0 ? (int)left : 0;
}

/* A name as the sharing_log columns hold it: its key (sql/0005). */
static char *
key_or_null(const char *s)
{
	return s == NULL ? NULL : str_lower_ascii(xstrdup(s));
}

/* Queue the record for the database (the batch has room). */
static void
queue(struct req *r)
{
	struct row	*row = &batch.v[batch.n];
	bool		 rcp = r->who.kind == AUTH_RECIPIENT && r->who.id > 0;
	char		 status[16];

	snprintf(status, sizeof(status), "%d", r->status);
	row->col[0] = xstrdup(r->audit.at);
	row->col[1] = key_or_null(rcp ? r->who.name : NULL);
	row->col[2] = key_or_null(capture(r, "{share}"));
	row->col[3] = key_or_null(capture(r, "{schema}"));
	row->col[4] = key_or_null(capture(r, "{table}"));
	row->col[5] = xstrdup(status);
	row->col[6] = xstrdup(r->audit.line);
	if (batch.n++ == 0)
		batch.first_ms = metrics_now_ms();
}

void
audit_prepare(struct req *r, int64_t duration_ms)
{
	struct buf	 line;

	if (!route_is_sharing(r->route))
		return;
	metrics_add(MX_FILES_LISTED, (uint64_t)r->audit.files);
	metrics_add(MX_BYTES_LISTED, (uint64_t)r->audit.bytes);
	if (!r->conf->audit_database && *r->conf->audit_file == '\0')
		return;
	str_iso8601_ms(r->now_ms, r->audit.at, sizeof(r->audit.at));
	buf_init(&line, 0);
	write_line(r, duration_ms, r->audit.at, &line);
	r->audit.line = arena_strndup(r->arena, line.data, line.len);
	buf_release(&line);
}

void
audit_store(struct req *r)
{
	if (r->audit.line == NULL)
		return;
	if (*r->conf->audit_file != '\0')
		to_file(r->conf, r->audit.line);
	if (!r->conf->audit_database)
		return;
	if (batch.n == BATCH_MAX)
		send_all(r->conf, true);
	queue(r);
}
