/*
 * delta_checkpoint.h: reading the actions of a checkpoint.
 *
 * Classic, multi-part and v2 checkpoints (JSON or Parquet, with their
 * sidecar files under _delta_log/_sidecars/) all come out as a stream of
 * struct delta_action, the same as JSON commits give, so replay treats
 * them alike.  Only the kinds asked for are produced, and for Parquet
 * only their columns are read.
 */
#ifndef DS_DELTA_CHECKPOINT_H
#define DS_DELTA_CHECKPOINT_H

#include "delta_action.h"

struct arena;
struct delta_ckpt;
struct delta_table;
struct err;
struct parquet_read;

#define DELTA_WANT(kind)	(1u << (kind))
/*
 * With DELTA_WANT_RAW, add and remove actions from Parquet carry their
 * JSON text (raw) too; without it their raw is NULL, which saves the
 * time of writing it.  Actions from JSON always have it.
 */
#define DELTA_WANT_RAW		(1u << 31)

/*
 * Call fn on each action of kind in want (DELTA_WANT bits).  schema is
 * the table's schemaString (to render stats_parsed timestamps), or NULL.
 * Actions from Parquet live only during the call of fn.  When fn returns
 * DELTA_STOP, the rest of the checkpoint is not read and the result is
 * 0.
 */
int	delta_checkpoint_read(struct delta_table *, const struct delta_ckpt *,
	    unsigned want, const char *schema, delta_action_fn fn, void *ctx,
	    struct err *);

/*
 * The same over one Parquet part or sidecar (delta_checkpoint_pq.c):
 * sidecar actions are produced like the others, when wanted; a stop
 * returns DELTA_STOP.
 */
int	delta_checkpoint_pq_read(struct delta_table *, const char *key,
	    unsigned want, const char *schema, delta_action_fn fn, void *ctx,
	    struct err *);

/*
 * The same over a reader already open (its projection is replaced);
 * name goes before error messages, a holds the parsed schema.
 */
int	delta_checkpoint_pq_rows(struct parquet_read *, const char *name,
	    unsigned want, const char *schema, struct arena *a,
	    delta_action_fn fn, void *ctx, struct err *);

#endif
