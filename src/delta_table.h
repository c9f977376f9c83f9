/*
 * delta_table.h: an open Delta table: its storage, its log listing, and
 * what the rest of the engine asks of both (versions, timestamps, table
 * properties).
 *
 * Everything hangs off the arena given to delta_table_open(); the
 * storage is closed when that arena is reset.
 */
#ifndef DS_DELTA_TABLE_H
#define DS_DELTA_TABLE_H

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct cred;
struct delta_log;
struct delta_metadata;
struct err;
struct storage;

struct delta_table {
	struct arena		*a;
	struct storage		*st;
	const char		*root;		/* canonical location */
	struct delta_log	*log;
	/*
	 * Who reads the table (a credential's identity), set by a caller
	 * that wants its snapshots cached (snapcache.h); NULL: never.
	 */
	const char		*cache_id;
};

/*
 * Open the table at location and list its log (from _last_checkpoint),
 * signing with credential c (NULL: the store's environment).
 */
int	delta_table_open(const char *location, struct arena *,
	    struct delta_table **, struct err *);
int	delta_table_open_cred(const char *location, const struct cred *,
	    struct arena *, struct delta_table **, struct err *);

/* Make sure the listing reaches back to the start of the log. */
int	delta_table_full_listing(struct delta_table *, struct err *);

/*
 * Resolve commit timestamps (full listing; in-commit timestamps as the
 * latest metadata enables them).
 */
int	delta_table_timestamps(struct delta_table *,
	    const struct delta_metadata *latest, struct err *);

/*
 * The value of a table property from a metadata configuration (JSON
 * object text), or NULL.  In the arena.
 */
const char *delta_table_property(struct arena *,
	    const struct delta_metadata *, const char *key);

/* Is a boolean table property "true" (case-insensitive)? */
bool	delta_table_property_true(struct arena *,
	    const struct delta_metadata *, const char *key);

#endif
