/*
 * audit.h: the audit log of sharing calls.
 *
 * Every call of the Delta Sharing API (discovery, table data, file URLs)
 * leaves one record, written after the answer has gone out: time,
 * request id, recipient and token id, share/schema/table, the versions
 * asked for and served, the hints applied, the files and bytes listed,
 * status, duration, client address and user agent.  Never a token, a
 * password or a signed URL.  Records go to PostgreSQL (table
 * sharing_log, read back by GET {prefix}/admin/audit/sharing) when
 * audit.database is on, and as JSON lines to audit.file when set.
 */
#ifndef DS_AUDIT_H
#define DS_AUDIT_H

#include <stdbool.h>
#include <stdint.h>

struct conf;
struct req;

/* How long a queued record may wait for its INSERT, at most. */
#define AUDIT_FLUSH_MS	1000
/* How long audit_flush may wait for PostgreSQL's answers. */
#define AUDIT_WAIT_MS	5000

#define AUDIT_HINT_JSON_PREDICATE	0x1	/* jsonPredicateHints */
#define AUDIT_HINT_PREDICATE		0x2	/* predicateHints */
#define AUDIT_HINT_LIMIT		0x4	/* limitHint */

/* Ready a request's audit fields (nothing served yet). */
void	audit_init(struct req *);

/* The client asked for name = value (a number, or a string when str). */
void	audit_ask_i64(struct req *, const char *name, int64_t);
void	audit_ask_str(struct req *, const char *name, const char *);

/* Which hints pruned or cut the files (AUDIT_HINT_* bits). */
void	audit_hints(struct req *, bool json_predicate, bool predicate,
	    bool limit);

/* The version served, or the range start..end (end -1: one version). */
void	audit_served(struct req *, int64_t version, int64_t end);

/* One file line of size bytes went out. */
void	audit_file(struct req *, int64_t size);

/*
 * Build the record of a finished sharing call (others are ignored),
 * while the request's parameters are still there; duration_ms from its
 * start to the end of its answer.
 */
void	audit_prepare(struct req *, int64_t duration_ms);

/*
 * Store it, once the answer has gone out: to audit.file at once, and
 * into the worker's batch for the database.
 */
void	audit_store(struct req *);

/*
 * Database rows go out on a connection of the audit's own, without
 * waiting for PostgreSQL: audit_pump collects the answers that came and
 * sends the batch when it is full, when its oldest record waited
 * AUDIT_FLUSH_MS, or when idle (no request waits) and nothing sent is
 * still unanswered.  The request loop calls it after each request and
 * while idle, polling audit_fd() for answers and waking after
 * audit_due_in() ms (-1: no batch waits).  audit_flush sends everything
 * and waits up to wait_ms for the answers (before reading the rows
 * back, before the worker ends).  A record the database refuses, or
 * whose answer never came, is logged in full instead.
 */
void	audit_pump(const struct conf *, bool idle);
void	audit_flush(const struct conf *, int wait_ms);
/* Records wait to be sent, or for their answer. */
bool	audit_waiting(void);
int	audit_fd(void);
int	audit_due_in(int64_t now_ms);
/* Close the audit's connection (after audit_flush). */
void	audit_close(void);

#endif
