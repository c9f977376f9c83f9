/*
 * delta_log.h: the files of a table's _delta_log, which of them make up
 * a given version, and commit timestamps.
 *
 * A listing (struct delta_log) sorts the _delta_log entries into commits
 * (NNN.json), checkpoints (classic NNN.checkpoint.parquet, multi-part
 * NNN.checkpoint.PPPPPPPPPP.TTTTTTTTTT.parquet, v2 NNN.checkpoint.<uuid>
 * .json|.parquet) and ignores the rest (log compaction files, .crc files,
 * _sidecars/, _commits/).  A segment is what replay reads for version v:
 * the newest complete checkpoint at or before v (or none) and the commits
 * after it up to v, which must all be there.
 *
 * Commit timestamps: in-commit timestamps (commitInfo.inCommitTimestamp)
 * from the version the table enabled them, otherwise the commit file's
 * modification time made strictly increasing (each at least the previous
 * plus 1 ms), as the reference server does.
 */
#ifndef DS_DELTA_LOG_H
#define DS_DELTA_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct err;
struct storage;

enum delta_ckpt_kind {
	DELTA_CKPT_CLASSIC,
	DELTA_CKPT_MULTIPART,
	DELTA_CKPT_V2,
};

struct delta_commit {
	int64_t		 version;
	const char	*key;
	int64_t		 size;
	int64_t		 mtime_ms;
	int64_t		 timestamp;	/* see delta_log_timestamps(); -1 */
};

struct delta_ckpt {
	int64_t			 version;
	enum delta_ckpt_kind	 kind;
	bool			 json;		/* a v2 checkpoint in JSON */
	size_t			 nparts;
	const char		**keys;		/* nparts, in part order */
	int64_t			*sizes;
	int64_t			 adds;		/* add actions, as
						   _last_checkpoint says;
						   -1: unknown */
};

struct delta_log {
	struct storage		*st;
	struct delta_commit	*commits;	/* ascending versions */
	size_t			 ncommits;
	struct delta_ckpt	*ckpts;		/* ascending; complete ones */
	size_t			 nckpts;
	bool			 full;		/* listed from the start */
	bool			 timestamps;	/* timestamps resolved */
};

struct delta_segment {
	int64_t			 version;
	const struct delta_ckpt	*ckpt;		/* NULL: from version 0 */
	const struct delta_commit **commits;	/* ascending, after ckpt */
	size_t			 ncommits;
};

/*
 * List the log.  With full false, _last_checkpoint (when readable and
 * valid) lets the listing start at that checkpoint: enough for the
 * latest version.  A table without _delta_log, or with nothing in it, is
 * ERR_NOT_FOUND "not a Delta table".
 */
int	delta_log_list(struct storage *, struct arena *, bool full,
	    struct delta_log **, struct err *);

/* The newest version the listing knows. */
int64_t	delta_log_latest(const struct delta_log *);

/*
 * Commit v is not listed: -1 with the error set.  Older than every
 * listed commit, it went with log cleanup and the client asked too far
 * back (ERR_BAD_PARAM); otherwise it is a gap and the log is damaged
 * (ERR_INTERNAL).  prefix starts the message.
 */
int	delta_log_missing(const struct delta_log *, int64_t v,
	    const char *prefix, struct err *);

/* The oldest version that can be reconstructed from the listing. */
int64_t	delta_log_earliest(const struct delta_log *);

/*
 * The segment for version v: ERR_NOT_FOUND-style errors (kind
 * ERR_BAD_PARAM) when v is past the latest version, when the log no
 * longer reaches back to v, or when a commit in between is missing.
 */
int	delta_log_segment(const struct delta_log *, int64_t v,
	    struct delta_segment *, struct arena *, struct err *);

/* The commit of version v in the listing, or NULL. */
const struct delta_commit *delta_log_commit(const struct delta_log *,
	    int64_t v);

/*
 * Resolve every listed commit's timestamp.  ict_from is the first
 * version with in-commit timestamps (-1: none); their commitInfo lines
 * are read.  Needs a full listing.
 */
int	delta_log_timestamps(struct delta_log *, struct arena *,
	    int64_t ict_from, struct err *);

/*
 * The version whose commit timestamp is the latest at or before ts
 * (before: true), or the earliest at or after ts (before: false); -1 when
 * there is none (*why then says "before" or "after": ts lies before the
 * earliest or after the latest commit).
 */
int64_t	delta_log_version_at(const struct delta_log *, int64_t ts,
	    bool before, const char **why);

#endif
