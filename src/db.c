/*
 * db.c: libpq connection, lazy statement preparation, error mapping
 * (see db.h).
 *
 * Statements are prepared on first use on each connection, so a worker
 * starts even against an empty database and "deltashare migrate" can run
 * through the same code.  When PostgreSQL goes away the connection turns
 * CONNECTION_BAD; the next statement outside a transaction reconnects and
 * re-prepares, so recovery needs no worker restart.
 *
 * A connection may instead send without waiting (db_send, for the audit
 * rows): libpq's pipeline mode on a non-blocking connection, each
 * statement in a segment of its own (its own implicit transaction,
 * ended by a sync), results collected later in order (db_collect).
 *
 * The catalog cache (db_cache.h) answers the catalog reads db_stmt.c
 * marks, outside transactions, in FastCGI workers that turned it on.
 * Before each such read the worker drops it when the catalog may have
 * changed since it was filled:
 *   - the host's catalog generation (catgen.h) moved: every transaction
 *     this program commits (admin API, "deltashare passwd", migrations)
 *     adds one after its COMMIT returned, before the caller answers;
 *   - PostgreSQL notified DB_CATALOG_CHANNEL, as the catalog tables'
 *     triggers (sql/0004) do on any change, from other hosts or psql:
 *     the connection LISTENs, and the check is a poll(2) of its socket,
 *     reading only when something came;
 *   - the connection was lost (notifications may have been missed).
 * The generation is read before the statement runs, so an answer read
 * before a change committed is never kept past the next check.  Entries
 * are also forgotten after [cache] catalog_seconds, the bound for a
 * notification that never came (a broken network).
 */
#include "config.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "arena.h"
#include "buf.h"
#include "catgen.h"
#include "conf.h"
#include "db.h"
#include "db_cache.h"
#include "err.h"
#include "log.h"
#include "metrics.h"
#include "strutil.h"
#include "xmalloc.h"

struct db {
	const struct conf	*conf;
	PGconn			*conn;
	int			 need_version;
	int			 version;	/* of the connected database */
	bool			 in_tx;
	bool			 prepared[DB_STMT__MAX];
	char			 sqlstate[6];
	size_t			 sent;		/* db_send()s not collected */
	uint64_t		 nsent, ndone;	/* db_send()s ever, answered */
	uint64_t		 prep_in[DB_STMT__MAX];	/* 1 + the send that
						   prepares it, 0: none */
	bool			 seg_failed;	/* the oldest one failed */
	struct err		 seg_err;
	struct db_cache		*cache;
	uint64_t		 gen;		/* catgen when last checked */
};

struct db_res {
	PGresult	*res;
};

static void
clear_res(void *p)
{
	PQclear(p);
}

struct db *
db_new(const struct conf *conf, int need_version)
{
	struct db	*db;

	db = xcalloc(1, sizeof(*db));
	db->conf = conf;
	db->need_version = need_version;
	db->cache = db_cache_new(clear_res);
	return db;
}

void
db_free(struct db *db)
{
	if (db == NULL)
		return;
	if (db->conn != NULL)
		PQfinish(db->conn);
	db_cache_free(db->cache);
	free(db);
}

static void
cache_clear(struct db *db, enum metrics_counter why)
{
	db_cache_clear(db->cache);
	metrics_add(why, 1);
}

static void
disconnect(struct db *db)
{
	if (db->conn != NULL) {
		PQfinish(db->conn);
		if (db_cache_enabled(db->cache))
			cache_clear(db, MX_CATALOG_CLEAR_LOST);
	}
	db->conn = NULL;
	db->in_tx = false;
	db->sent = 0;
	db->seg_failed = false;
	memset(db->prepared, 0, sizeof(db->prepared));
	memset(db->prep_in, 0, sizeof(db->prep_in));
}

static int
unavailable(struct err *e, const char *what)
{
	e->retry_after = 1;
	return err_set(e, ERR_UNAVAILABLE, "%s", what);
}

static void
on_notice(void *arg, const char *msg)
{
	(void)arg;
	log_debug("database: %.*s", (int)strcspn(msg, "\n"), msg);
}

/* Run a parameterless setup command on a fresh connection. */
static int
setup_exec(struct db *db, const char *sql)
{
	PGresult	*res;
	int		 ok;

	res = PQexec(db->conn, sql);
	ok = PQresultStatus(res) == PGRES_COMMAND_OK ||
	    PQresultStatus(res) == PGRES_TUPLES_OK;
	if (!ok)
		log_error("database setup failed: %s",
		    PQresultErrorMessage(res));
	PQclear(res);
	return ok ? 0 : -1;
}

static int
read_version(struct db *db)
{
	PGresult	*res;
	int64_t		 v = 0;

	res = PQexec(db->conn, "SELECT coalesce(max(version), 0) "
	    "FROM schema_migrations");
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1 ||
	    str_parse_i64(PQgetvalue(res, 0, 0), 0, INT32_MAX, &v) == -1)
		v = 0;
	PQclear(res);
	return (int)v;
}

int
db_connect(struct db *db, struct err *e)
{
	const char	*kw[4], *val[4];
	char		 timeout[24], sql[128];

	if (db->conn != NULL && PQstatus(db->conn) == CONNECTION_OK)
		goto check;
	disconnect(db);
	snprintf(timeout, sizeof(timeout), "%lld",
	    (long long)db->conf->db_connect_timeout);
	/* Our defaults first; the configured conninfo overrides them. */
	kw[0] = "connect_timeout"; val[0] = timeout;
	kw[1] = "application_name"; val[1] = "deltashare";
	kw[2] = "dbname"; val[2] = db->conf->db_conninfo;
	kw[3] = NULL; val[3] = NULL;
	db->conn = PQconnectdbParams(kw, val, 1);
	metrics_add(MX_DB_CONNECTS, 1);
	if (db->conn == NULL || PQstatus(db->conn) != CONNECTION_OK) {
		log_error("cannot connect to the database: %s", db->conn ?
		    PQerrorMessage(db->conn) : "out of memory");
		disconnect(db);
		return unavailable(e, "database unavailable");
	}
	PQsetNoticeProcessor(db->conn, on_notice, NULL);
	snprintf(sql, sizeof(sql), "SET statement_timeout = %lld; "
	    "SET TIME ZONE 'UTC'%s", (long long)db->conf->db_statement_timeout,
	    db_cache_enabled(db->cache) ? "; LISTEN " DB_CATALOG_CHANNEL : "");
	if (setup_exec(db, sql) == -1) {
		disconnect(db);
		return unavailable(e, "database unavailable");
	}
	db->version = db->need_version > 0 ? read_version(db) : 0;
	if (db->version > db->need_version && db->need_version > 0)
		log_warn("database schema version %d is newer than this "
		    "program's %d", db->version, db->need_version);
check:
	if (db->version < db->need_version) {
		log_error("database schema is at version %d, this program "
		    "needs %d: run 'deltashare migrate'", db->version,
		    db->need_version);
		/* Look again next time: someone may be migrating now. */
		disconnect(db);
		return unavailable(e, "database schema not up to date");
	}
	return 0;
}

/* Map a failed result to an error kind; logs what the client won't see. */
static int
map_error(struct db *db, PGresult *res, enum db_stmt id, struct err *e)
{
	const char	*state, *msg;

	state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	snprintf(db->sqlstate, sizeof(db->sqlstate), "%s", state ? state : "");
	if (state == NULL || PQstatus(db->conn) != CONNECTION_OK ||
	    strncmp(state, "08", 2) == 0 || strncmp(state, "57P", 3) == 0) {
		log_error("database connection lost (%s): %s",
		    db_stmt_name(id), PQerrorMessage(db->conn));
		return unavailable(e, "database unavailable");
	}
	if (strncmp(state, "53", 2) == 0 || strcmp(state, "57014") == 0 ||
	    strncmp(state, "40", 2) == 0) {
		log_warn("database busy (%s): %s %s", db_stmt_name(id), state,
		    msg ? msg : "");
		return unavailable(e, "database busy, try again");
	}
	if (strcmp(state, "23505") == 0)
		return err_set(e, ERR_EXISTS, "already exists");
	if (strcmp(state, "23503") == 0)
		return err_set(e, ERR_CONFLICT, "still referenced");
	if (strncmp(state, "22", 2) == 0 || strcmp(state, "23514") == 0 ||
	    strcmp(state, "23502") == 0) {
		log_info("database rejected a value (%s): %s %s",
		    db_stmt_name(id), state, msg ? msg : "");
		return err_set(e, ERR_BAD_PARAM, "invalid value");
	}
	log_error("database error (%s): %s %s", db_stmt_name(id), state,
	    msg ? msg : "");
	return err_set(e, ERR_INTERNAL, "internal error");
}

static int
prepare(struct db *db, enum db_stmt id)
{
	PGresult	*res;
	int		 ok;

	if (db->prepared[id])
		return 0;
	res = PQprepare(db->conn, db_stmt_name(id), db_stmt_sql(id), 0, NULL);
	ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	if (ok)
		db->prepared[id] = true;
	else
		log_error("cannot prepare %s: %s", db_stmt_name(id),
		    PQresultErrorMessage(res));
	PQclear(res);
	return ok ? 0 : -1;
}

/* Run a statement; *out gets its result, which the caller owns. */
static int
run(struct db *db, enum db_stmt id, const char *const *params,
    PGresult **out, struct err *e)
{
	PGresult	*res = NULL;
	ExecStatusType	 st;
	int		 attempt;

	for (attempt = 0; attempt < 2; attempt++) {
		if (!db->in_tx && db_connect(db, e) == -1)
			return -1;
		if (db->conn == NULL)
			return unavailable(e, "database unavailable");
		if (prepare(db, id) == -1 &&
		    PQstatus(db->conn) == CONNECTION_OK)
			return err_set(e, ERR_INTERNAL, "internal error");
		res = PQexecPrepared(db->conn, db_stmt_name(id),
		    db_stmt_nparams(id), params, NULL, NULL, 0);
		st = PQresultStatus(res);
		if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
			break;
		if (PQstatus(db->conn) == CONNECTION_OK || db->in_tx ||
		    attempt == 1) {
			map_error(db, res, id, e);
			PQclear(res);
			if (PQstatus(db->conn) != CONNECTION_OK)
				disconnect(db);
			return -1;
		}
		/* Lost the connection between requests: retry once. */
		log_info("database connection lost, reconnecting");
		PQclear(res);
		disconnect(db);
	}
	*out = res;
	return 0;
}

static void
wrap(struct arena *a, PGresult *res, struct db_res **out)
{
	struct db_res	*r;

	if (out == NULL)
		return;
	r = arena_alloc(a, sizeof(*r));
	r->res = res;
	*out = r;
}

/* Take the notifications libpq has read; true if there were any. */
static bool
drain(PGconn *conn)
{
	PGnotify	*n;
	bool		 any = false;

	while ((n = PQnotifies(conn)) != NULL) {
		PQfreemem(n);
		any = true;
	}
	return any;
}

/* Has PostgreSQL notified a change (or closed the connection)? */
static void
check_notified(struct db *db)
{
	struct pollfd	 p;
	bool		 any;
	int		 i;

	any = drain(db->conn);
	/* Again while readable: a server's goodbye, then its EOF. */
	for (i = 0; i < 8; i++) {
		p.fd = PQsocket(db->conn);
		p.events = POLLIN;
		p.revents = 0;
		if (p.fd < 0 || poll(&p, 1, 0) != 1)
			break;
		if (PQconsumeInput(db->conn) == 0 ||
		    PQstatus(db->conn) != CONNECTION_OK) {
			log_info("database connection lost while idle");
			disconnect(db);
			return;
		}
		any = drain(db->conn) || any;
	}
	if (any)
		cache_clear(db, MX_CATALOG_CLEAR_NOTIFY);
}

/* Before a read from the cache: drop it if it may be out of date. */
static void
check_cache(struct db *db)
{
	uint64_t	 gen = catgen_load();

	if (gen != db->gen) {
		db->gen = gen;
		cache_clear(db, MX_CATALOG_CLEAR_HOST);
	}
	if (db->conn != NULL)
		check_notified(db);
}

/* About the memory a result takes, for the cache's budget. */
static size_t
res_size(const PGresult *res)
{
	size_t	 n;
	int	 rows = PQntuples(res), cols = PQnfields(res), i, j;

	n = 256 + (size_t)cols * 64;
	for (i = 0; i < rows; i++)
		for (j = 0; j < cols; j++)
			n += (size_t)PQgetlength(res, i, j) + 17;
	return n;
}

static int
exec_cached(struct db *db, struct arena *a, enum db_stmt id,
    const char *const *params, struct db_res **out, struct err *e)
{
	PGresult	*res;
	int64_t		 now = metrics_now_us();

	check_cache(db);
	res = db_cache_get(db->cache, a, id, db_stmt_nparams(id), params, now);
	if (res == NULL) {
		if (run(db, id, params, &res, e) == -1)
			return -1;
		if (!db_cache_put(db->cache, a, res, res_size(res), now))
			arena_defer(a, clear_res, res);
	}
	wrap(a, res, out);
	return 0;
}

int
db_exec(struct db *db, struct arena *a, enum db_stmt id,
    const char *const *params, struct db_res **out, struct err *e)
{
	PGresult	*res;

	db->sqlstate[0] = '\0';
	if (!db->in_tx && db_stmt_cached(id) && db_cache_enabled(db->cache))
		return exec_cached(db, a, id, params, out, e);
	if (run(db, id, params, &res, e) == -1)
		return -1;
	arena_defer(a, clear_res, res);
	wrap(a, res, out);
	return 0;
}

void
db_idle(struct db *db)
{
	if (db_cache_enabled(db->cache) && db->conn != NULL && !db->in_tx)
		check_notified(db);
}

void
db_catalog_cache(struct db *db, int64_t seconds, int64_t bytes)
{
	if (seconds > 0 && bytes > 0 && catgen_open(db->conf->path) == -1)
		seconds = 0;
	db_cache_configure(db->cache, seconds, bytes > 0 ? (size_t)bytes : 0);
	db->gen = catgen_load();
	/* The next connection LISTENs, or not. */
	disconnect(db);
}

/* After a commit: the caches of this host must not answer from before. */
static void
changed(struct db *db)
{
	catgen_open(db->conf->path);
	catgen_bump();
}

static int
tx_command(struct db *db, const char *sql, struct err *e)
{
	PGresult	*res;
	int		 ok;

	if (db->conn == NULL)
		return unavailable(e, "database unavailable");
	res = PQexec(db->conn, sql);
	ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	if (!ok)
		map_error(db, res, DB_STMT__MAX, e);
	PQclear(res);
	if (!ok && PQstatus(db->conn) != CONNECTION_OK)
		disconnect(db);
	return ok ? 0 : -1;
}

int
db_begin(struct db *db, struct err *e)
{
	if (db_connect(db, e) == -1)
		return -1;
	if (tx_command(db, "BEGIN", e) == -1)
		return -1;
	db->in_tx = true;
	return 0;
}

int
db_commit(struct db *db, struct err *e)
{
	int	 rc;

	rc = tx_command(db, "COMMIT", e);
	db->in_tx = false;
	/* Even if it failed: a lost COMMIT may have committed. */
	changed(db);
	return rc;
}

void
db_rollback(struct db *db)
{
	PGresult	*res;

	if (!db->in_tx || db->conn == NULL) {
		db->in_tx = false;
		return;
	}
	res = PQexec(db->conn, "ROLLBACK");
	PQclear(res);
	db->in_tx = false;
}

int
db_script(struct db *db, const char *sql, struct err *e)
{
	PGresult	*res;
	int		 ok;

	if (db->conn == NULL && db_connect(db, e) == -1)
		return -1;
	res = PQexec(db->conn, sql);
	ok = PQresultStatus(res) == PGRES_COMMAND_OK ||
	    PQresultStatus(res) == PGRES_TUPLES_OK;
	if (!ok) {
		err_set(e, ERR_INTERNAL, "%s",
		    PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) ?
		    PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) :
		    PQerrorMessage(db->conn));
	}
	PQclear(res);
	changed(db);
	return ok ? 0 : -1;
}

const char *
db_sqlstate(const struct db *db)
{
	return db->sqlstate;
}

void
db_array_add(struct buf *b, const char *v)
{
	size_t	 n;

	if (b->len > 0 && b->data[b->len - 1] != '{')
		buf_addc(b, ',');
	if (v == NULL) {
		buf_adds(b, "NULL");
		return;
	}
	buf_addc(b, '"');
	while (*v != '\0') {
		n = strcspn(v, "\"\\");
		buf_add(b, v, n);
		if (v[n] == '\0')
			break;
		buf_addc(b, '\\');
		buf_addc(b, v[n]);
		v += n + 1;
	}
	buf_addc(b, '"');
}

int
db_rows(const struct db_res *r)
{
	return PQntuples(r->res);
}

const char *
db_val(const struct db_res *r, int row, int col)
{
	if (row >= PQntuples(r->res) || col >= PQnfields(r->res) ||
	    PQgetisnull(r->res, row, col))
		return NULL;
	return PQgetvalue(r->res, row, col);
}

int64_t
db_i64(const struct db_res *r, int row, int col)
{
	const char	*v;
	int64_t		 n;

	if ((v = db_val(r, row, col)) == NULL ||
	    str_parse_i64(v, INT64_MIN, INT64_MAX, &n) == -1)
		return 0;
	return n;
}

bool
db_bool(const struct db_res *r, int row, int col)
{
	const char	*v;

	return (v = db_val(r, row, col)) != NULL && v[0] == 't';
}

/*
 * Ready a connection for db_send: connected, in pipeline mode, and the
 * statement prepared or its preparation sent ahead of it (in the same
 * segment, so a failed preparation fails that send and is tried again
 * with the next).
 */
static int
pipe_ready(struct db *db, enum db_stmt id, struct err *e)
{
	if (db->conn == NULL || PQstatus(db->conn) != CONNECTION_OK) {
		if (db->sent > 0)	/* db_collect reports them first */
			return unavailable(e, "database unavailable");
		if (db_connect(db, e) == -1)
			return -1;
		if (PQenterPipelineMode(db->conn) != 1 ||
		    PQsetnonblocking(db->conn, 1) != 0) {
			disconnect(db);
			return unavailable(e, "database unavailable");
		}
	}
	if (db->prepared[id])
		return 0;
	if (PQsendPrepare(db->conn, db_stmt_name(id), db_stmt_sql(id), 0,
	    NULL) != 1)
		return -1;
	db->prepared[id] = true;
	db->prep_in[id] = db->nsent + 1;
	return 0;
}

int
db_send(struct db *db, enum db_stmt id, const char *const *params,
    struct err *e)
{
	if (pipe_ready(db, id, e) == -1 && e->kind == ERR_UNAVAILABLE)
		return -1;
	if (!db->prepared[id] ||
	    PQsendQueryPrepared(db->conn, db_stmt_name(id),
	    db_stmt_nparams(id), params, NULL, NULL, 0) != 1 ||
	    PQpipelineSync(db->conn) != 1 || PQflush(db->conn) == -1) {
		log_error("database connection lost (%s): %s",
		    db_stmt_name(id), PQerrorMessage(db->conn));
		/* What was sent before is reported by db_collect. */
		if (db->sent == 0)
			disconnect(db);
		return unavailable(e, "database unavailable");
	}
	db->sent++;
	db->nsent++;
	return 0;
}

/* A send has its answer: a preparation it carried stands or not. */
static void
pipe_done(struct db *db, bool failed)
{
	size_t	 i;

	db->ndone++;
	for (i = 0; i < DB_STMT__MAX; i++)
		if (db->prep_in[i] == db->ndone) {
			db->prep_in[i] = 0;
			if (failed)
				db->prepared[i] = false;
		}
}

size_t
db_sent(const struct db *db)
{
	return db->sent;
}

int
db_socket(const struct db *db)
{
	return db->sent > 0 && db->conn != NULL ? PQsocket(db->conn) : -1;
}

/* Every statement sent and not collected failed: the connection went. */
static void
pipe_lost(struct db *db, db_done_fn *fn, void *ctx, const char *why)
{
	struct err	 e;
	size_t		 n = db->sent;

	err_clear(&e);
	unavailable(&e, why);
	disconnect(db);
	while (n-- > 0)
		fn(ctx, -1, &e);
}

/* Hand over the results that have arrived. */
static void
pipe_results(struct db *db, db_done_fn *fn, void *ctx)
{
	PGresult	*res;

	while (db->sent > 0 && !PQisBusy(db->conn)) {
		if ((res = PQgetResult(db->conn)) == NULL)
			continue;	/* the end of one statement's results */
		switch (PQresultStatus(res)) {
		case PGRES_PIPELINE_SYNC:
			db->sent--;
			pipe_done(db, db->seg_failed);
			fn(ctx, db->seg_failed ? -1 : 0, &db->seg_err);
			db->seg_failed = false;
			break;
		case PGRES_COMMAND_OK:
		case PGRES_TUPLES_OK:
		case PGRES_PIPELINE_ABORTED:
			break;
		default:
			if (!db->seg_failed) {
				err_clear(&db->seg_err);
				map_error(db, res, DB_STMT__MAX, &db->seg_err);
				db->seg_failed = true;
			}
			break;
		}
		PQclear(res);
	}
}

int
db_collect(struct db *db, int wait_ms, db_done_fn *fn, void *ctx)
{
	struct pollfd	 p;
	int64_t		 end = metrics_now_ms() + wait_ms, left;
	int		 fl;

	while (db->sent > 0) {
		if ((fl = PQflush(db->conn)) == -1 ||
		    PQconsumeInput(db->conn) == 0) {
			log_error("database connection lost: %s",
			    PQerrorMessage(db->conn));
			pipe_lost(db, fn, ctx, "database unavailable");
			return -1;
		}
		pipe_results(db, fn, ctx);
		if (db->sent == 0 || wait_ms <= 0)
			break;
		if ((left = end - metrics_now_ms()) <= 0) {
			log_error("database: no answer in %d ms", wait_ms);
			pipe_lost(db, fn, ctx, "database did not answer");
			return -1;
		}
		p.fd = PQsocket(db->conn);
		p.events = POLLIN | (fl == 1 ? POLLOUT : 0);
		p.revents = 0;
		(void)poll(&p, 1, (int)left);
	}
	return 0;
}
