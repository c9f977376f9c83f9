/*
 * delta_tip.h: a worker's memory of the last listing of each table's
 * log, so that a request whose table has no new commit finds its latest
 * version with a few stats (local files) or one short listing (object
 * stores) instead of listing the log again.  Exact: a listing is handed
 * out only when the commit after its latest version does not exist, its
 * latest commit is the same file and _last_checkpoint is unchanged.
 */
#ifndef DS_DELTA_TIP_H
#define DS_DELTA_TIP_H

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct delta_log;
struct storage;

/* What _last_checkpoint looked like when a listing was made. */
struct delta_tip_stamp {
	bool		 present;
	int64_t		 size;
	int64_t		 mtime_ms;
};

/* Stat _last_checkpoint (before listing the log). */
void	delta_tip_stamp(struct storage *, struct arena *,
	    struct delta_tip_stamp *);

/*
 * The remembered listing of the table at st's root, still current, as a
 * copy in the arena: 1; 0 when there is none or it is out of date.
 */
int	delta_tip_get(struct storage *, struct arena *, struct delta_log **);

/* Remember a listing made after stamp was taken. */
void	delta_tip_put(struct storage *, const struct delta_log *,
	    const struct delta_tip_stamp *);

/* Forget everything (tests). */
void	delta_tip_clear(void);

#endif
