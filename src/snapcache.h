/*
 * snapcache.h: a worker's cache of replayed table snapshots.
 *
 * A FastCGI worker lives for many requests; replaying the same table
 * version again for each of them is wasted work.  The cache keeps, per
 * table version, what a replay yields: the protocol and metaData actions
 * and the live files with their storage keys, in one contiguous block of
 * its own (mmap'ed, so an evicted entry goes straight back to the
 * system).  Strings the protocol keeps as JSON (partitionValues, stats,
 * tags) are kept as the bytes replay gave, never re-serialised.
 *
 * The key names the table location, the identity of the credential that
 * reads it, the version and the files of the log segment that make the
 * version (checkpoint and commits with their sizes and modification
 * times).  The log is checked on every request (delta_tip.h), so a
 * new version is a new key, never a stale answer.
 *
 * Entries are built while a replay streams (snapcache_build_*) and kept
 * only when complete and within the budget; the least recently used go
 * first to make room.  What the cache holds, the entry being built
 * included, never exceeds the budget.  A snapshot too large for the
 * budget is remembered (the last few) so that its next requests do not try
 * again.  A process that never calls snapcache_configure() caches
 * nothing.
 */
#ifndef DS_SNAPCACHE_H
#define DS_SNAPCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "delta_action.h"
#include "delta_snapshot.h"

struct arena;
struct delta_segment;
struct err;
struct snapcache_build;
struct snapcache_entry;

/* Budget in bytes (0: off, and everything held is dropped). */
void	snapcache_configure(size_t budget);
bool	snapcache_enabled(void);

/* What the cache holds now (for the metrics and the tests). */
void	snapcache_stats(size_t *bytes, size_t *entries);

/*
 * The key of the snapshot of segment under root, read with the
 * credential identified by cred_id; in the arena.
 */
char	*snapcache_key(struct arena *, const char *root, const char *cred_id,
	    const struct delta_segment *);

/*
 * The protocol and metaData actions of the snapshot of key, parsed into
 * the arena: 1, or 0 when it is not cached (a miss), -1 on error.  This
 * is the lookup the metrics count; it makes the entry the most recently
 * used.
 */
int	snapcache_pm(const char *key, struct arena *,
	    struct delta_action *protocol, struct delta_action *metadata,
	    struct err *);

/* The entry of key, or NULL: for snapcache_files() at once. */
struct snapcache_entry *snapcache_get(const char *key);

/*
 * Call fn on each live file of the entry, in replay order, until it
 * returns -1.  The actions have no raw text and live during the call;
 * the entry stays (never evicted) until the call returns.
 */
int	snapcache_files(struct snapcache_entry *, delta_file_fn fn,
	    void *ctx, struct err *);

/*
 * During a call of fn by snapcache_files(): the entry it reads and the
 * index of the file given to fn (0 for the first).  NULL otherwise: the
 * file came from a replay.
 */
struct snapcache_entry *snapcache_reading(size_t *index);

/*
 * Memos: bytes that an upper layer derives from each file of an entry,
 * kept with the entry so that they are made once: the parts of answer
 * lines that no request changes, file URLs signed for one expiry.  An
 * entry holds up to SNAPCACHE_MEMOS of them, each named by a kind (what
 * it is for: a response format, a table's URLs) and a tag (say, the
 * expiry its URLs were signed with): asking for a kind with another tag
 * starts it again, empty; a new kind takes the place of the one asked
 * for least recently.  A memo is filled a file at a time, as files are
 * served.  Memos count in the budget but use only the room that entries
 * leave: they never evict an entry, and go first (those of the least
 * recently used entries first) when an entry needs room; they go with
 * their entry.
 *
 * Memos are used from fn during snapcache_files() of their entry (which
 * pins it), never elsewhere.
 */
#define SNAPCACHE_MEMOS	4

/*
 * The memo of kind (under 64 bytes) with tag on entry e, made (empty)
 * if needed: a slot number for the calls below, or -1 when there is no
 * room (or e is not being read).
 */
int	snapcache_memo(struct snapcache_entry *, const char *kind,
	    int64_t tag);

/*
 * A number that changes whenever a memo is made or dropped: while it
 * stays, so do the slots snapcache_memo() gave (a caller may keep them
 * instead of asking for each file).
 */
uint64_t snapcache_memo_epoch(void);

/*
 * File i's bytes in the memo of slot (their length in *len), or NULL
 * when none were put yet.  Valid until the next snapcache_memo*() call.
 */
const char *snapcache_memo_get(struct snapcache_entry *, int slot, size_t i,
	    size_t *len);

/*
 * Keep n bytes as file i's in the memo of slot (the first ones put
 * stay): 0, or -1 when there is no room for them.
 */
int	snapcache_memo_put(struct snapcache_entry *, int slot, size_t i,
	    const void *, size_t n);

/*
 * Start an entry for key with the snapshot's protocol and metaData; NULL
 * when the cache is off or key was too large lately.  files: about how
 * many live files the snapshot has, when the log says (-1 otherwise): a
 * build whose first thousands of files show it would need twice the
 * budget is given up at once.
 */
struct snapcache_build *snapcache_build_new(const char *key,
	    const struct delta_action *protocol,
	    const struct delta_action *metadata, int64_t files);

/*
 * Add a live file (with its storage key).  -1 when the entry would not
 * fit the budget: the build is then abandoned (and freed).
 */
int	snapcache_build_file(struct snapcache_build *,
	    const struct delta_action *, const char *key);

/* Keep the complete entry (evicting others as needed). */
void	snapcache_build_done(struct snapcache_build *);

/* Drop an incomplete entry (NULL: nothing). */
void	snapcache_build_abandon(struct snapcache_build *);

#endif
