/*
 * delta_snapshot.h: the state of a Delta table at one version: protocol,
 * metadata and live files, by log replay.
 *
 * Opening a snapshot reads what the version's segment needs for the
 * protocol and metadata: the newest ones in the commits after the
 * checkpoint, else the checkpoint's (reading only those columns, and
 * only until it has both).  delta_snapshot_files() then replays the
 * live files: the commits after the checkpoint newest first, then the
 * checkpoint's adds, skipping any file (path plus deletion vector id)
 * already decided by a newer action.
 *
 * Memory: the checkpoint is streamed.  The commits after it are parsed
 * when the snapshot is opened and held (so a broken one fails the open,
 * before anything is answered) when they take at most 16 MiB; beyond
 * that (a long log without checkpoints) they are streamed too: the open
 * reads them newest first, parsing only lines that may be a protocol or
 * metaData, until it has both, and delta_snapshot_files() reads them
 * again a window at a time, so that a broken line fails the replay
 * instead.  What grows with the table is then the set of files already
 * decided (their reconciliation ids).
 *
 * A table opened with a cache_id (delta_table.h) goes through the
 * worker's snapshot cache (snapcache.h): a version replayed before comes
 * from it, protocol, metadata and files, without reading the log again;
 * a replay that completes is kept there.
 */
#ifndef DS_DELTA_SNAPSHOT_H
#define DS_DELTA_SNAPSHOT_H

#include <stdbool.h>
#include <stdint.h>

#include "delta_action.h"
#include "delta_log.h"

struct delta_table;
struct err;

/*
 * A live file of a snapshot, and its storage key (checked under the table
 * root).  0 to go on, DELTA_STOP to stop, -1 on error.
 */
typedef int (*delta_file_fn)(void *ctx, const struct delta_action *,
    const char *key, struct err *);

struct delta_snapshot {
	struct delta_table	*t;
	int64_t			 version;
	struct delta_segment	 seg;
	struct delta_action	 protocol;	/* kind DELTA_PROTOCOL */
	struct delta_action	 metadata;	/* kind DELTA_METADATA */
	/*
	 * Set before delta_snapshot_files() when the raw JSON text of
	 * every file is needed (the "delta" response format); else files
	 * from a Parquet checkpoint come without it.
	 */
	bool			 raw;
	/* The parsed commits of the segment, oldest first; NULL when
	   they are streamed. */
	struct delta_action	**acts;
	size_t			*nacts;
	/* The snapshot cache: this version's key (NULL: not cached). */
	const char		*cache_key;
};

/* The snapshot at version (-1: the latest). */
int	delta_snapshot_open(struct delta_table *, int64_t version,
	    struct delta_snapshot **, struct err *);

/*
 * The snapshot at the latest commit at or before timestamp ts (ms).  A
 * ts before the first commit or after the last is an error whose message
 * says which.
 */
int	delta_snapshot_at(struct delta_table *, int64_t ts,
	    struct delta_snapshot **, struct err *);

/*
 * Call fn on every live add action of the snapshot, in the same order
 * whether replayed or cached.  Actions that come from a Parquet
 * checkpoint, a streamed commit or the cache live only during the call;
 * cached ones carry no raw text (a snapshot with raw set replays).  fn
 * may return DELTA_STOP to end early (the result is then 0); its errors
 * are passed on as it set them.  A replay being kept in the cache goes
 * on to the end after fn stopped or failed.
 */
int	delta_snapshot_files(struct delta_snapshot *, delta_file_fn fn,
	    void *ctx, struct err *);

#endif
