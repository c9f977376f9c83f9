/*
 * db.h: the worker's PostgreSQL connection and prepared statements.
 *
 * One connection per process, opened lazily and re-opened after a
 * failure, so a PostgreSQL restart costs the requests made while it is
 * down (503) and nothing after.  All SQL lives in db_stmt.c as prepared
 * statements addressed by enum db_stmt; callers pass text parameters.
 * Results are freed by the request arena.  Failures are recorded in the
 * caller's struct err by SQLSTATE: connection loss, timeouts and resource
 * limits are 503, unique violations 409, bad text 400, the rest 500.
 *
 * Every transaction committed here (and every script run) counts as a
 * change of the catalog for the workers' catalog caches on this host.
 */
#ifndef DS_DB_H
#define DS_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db_stmt.h"

struct arena;
struct buf;
struct conf;
struct err;
struct db;
struct db_res;

/*
 * need_version: the schema version this program was built for; requests
 * fail with 503 while the database is older.  0 skips the check (for
 * "deltashare migrate" itself).  Nothing connects until first use.
 */
struct db	*db_new(const struct conf *, int need_version);
void		 db_free(struct db *);

/*
 * Run a prepared statement.  params holds nparams strings (NULL = SQL
 * NULL).  *res, if res is not NULL, gets the rows, valid until the arena
 * is reset.  Outside a transaction a lost connection is re-opened and the
 * statement retried once.
 */
int		 db_exec(struct db *, struct arena *, enum db_stmt,
		    const char *const *params, struct db_res **res,
		    struct err *);

int		 db_begin(struct db *, struct err *);
int		 db_commit(struct db *, struct err *);
/* Roll back if a transaction is open; harmless otherwise. */
void		 db_rollback(struct db *);

/* Run a trusted multi-statement script (migrations). */
int		 db_script(struct db *, const char *sql, struct err *);

/* SQLSTATE of the last failure, or "" (e.g. "23505"). */
const char	*db_sqlstate(const struct db *);

/*
 * Append v (NULL: SQL NULL) as one element of a text array literal
 * being built in b between '{' and '}': a parameter that a statement
 * casts to an array ("$1::text[]"), for many rows in one statement.
 */
void		 db_array_add(struct buf *, const char *v);

int		 db_rows(const struct db_res *);
/* Column value as text, or NULL for SQL NULL. */
const char	*db_val(const struct db_res *, int row, int col);
int64_t		 db_i64(const struct db_res *, int row, int col);
bool		 db_bool(const struct db_res *, int row, int col);

/*
 * Send without waiting (a connection used for nothing else: the audit
 * rows).  db_send sends the statement, in a transaction of its own,
 * and returns without its result; db_collect hands the results that
 * have come, oldest first, to fn (rc 0, or -1 with the error), waiting
 * up to wait_ms for all of them (0: not at all).  When the connection
 * is lost, or stays silent that long, each statement not collected is
 * handed over as failed (ERR_UNAVAILABLE) and -1 returned.  db_sent:
 * how many wait; db_socket: the descriptor to poll for them, or -1.
 */
typedef void	 db_done_fn(void *ctx, int rc, const struct err *);
int		 db_send(struct db *, enum db_stmt, const char *const *params,
		    struct err *);
int		 db_collect(struct db *, int wait_ms, db_done_fn *, void *ctx);
size_t		 db_sent(const struct db *);
int		 db_socket(const struct db *);

/*
 * Turn the catalog cache on (seconds > 0 and bytes > 0) or off: a FastCGI
 * worker's memory of the catalog reads (db_stmt_cached()), dropped as
 * soon as the catalog may have changed (see db.c), entries forgotten
 * after seconds, at most about bytes of them.  Off unless called, and
 * off when the host's catalog generation cannot be shared (catgen.h).
 */
void		 db_catalog_cache(struct db *, int64_t seconds, int64_t bytes);

/*
 * Between requests, while the worker waits: take what PostgreSQL sent
 * meanwhile (notifications), so that it never piles up unread.
 */
void		 db_idle(struct db *);

/* Connect now if needed (start-up checks); 0 or -1 with err set. */
int		 db_connect(struct db *, struct err *);

#endif
