/*
 * delta_changes.h: the actions of a range of commits, with their commit
 * versions and timestamps: what streaming queries and the change data
 * feed are made of.
 *
 * Every commit of the range must still be in the log (a checkpoint does
 * not say what changed).  File actions (add, remove, cdc) are checked:
 * their paths and deletion vectors must stay under the table root.
 */
#ifndef DS_DELTA_CHANGES_H
#define DS_DELTA_CHANGES_H

#include <stdint.h>

struct delta_action;
struct delta_metadata;
struct delta_table;
struct err;

typedef int (*delta_change_fn)(void *ctx, int64_t version, int64_t timestamp,
    const struct delta_action *, struct err *);

/*
 * Call fn on every action of the commits start..end (inclusive, end -1:
 * the latest), commit by commit in version order, each commit's actions
 * in file order.  latest is the latest metadata (for in-commit
 * timestamps).
 */
int	delta_changes(struct delta_table *, const struct delta_metadata *latest,
	    int64_t start, int64_t end, delta_change_fn fn, void *ctx,
	    struct err *);

#endif
