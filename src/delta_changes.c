/*
 * delta_changes.c: per-commit actions of a version range (see
 * delta_changes.h).
 */
#include "config.h"

#include <string.h>

#include "arena.h"
#include "buf.h"
#include "delta_action.h"
#include "delta_changes.h"
#include "delta_commit.h"
#include "delta_dv.h"
#include "delta_log.h"
#include "delta_path.h"
#include "delta_table.h"
#include "err.h"
#include "storage.h"

struct range {
	struct delta_table		*t;
	const struct delta_commit	*c;
	delta_change_fn			 fn;
	void				*ctx;
};

static int
one(void *ctx, const struct delta_action *act, struct err *e)
{
	struct range	*r = ctx;
	const char	*key;

	if (act->kind == DELTA_ADD || act->kind == DELTA_REMOVE ||
	    act->kind == DELTA_CDC) {
		if (delta_path_key(r->t->root, act->u.file.path, r->t->a, &key,
		    e) == -1)
			return -1;
		if (act->u.file.dv.storage_type != 0 &&
		    delta_dv_check(r->t->root, &act->u.file.dv, r->t->a, &key,
		    e) == -1)
			return -1;
	}
	return r->fn(r->ctx, r->c->version, r->c->timestamp, act, e);
}

int
delta_changes(struct delta_table *t, const struct delta_metadata *latest,
    int64_t start, int64_t end, delta_change_fn fn, void *ctx,
    struct err *e)
{
	struct range	 r = { t, NULL, fn, ctx };
	struct buf	 b;
	int64_t		 v, last;
	int		 rc = -1;

	if (delta_table_timestamps(t, latest, e) == -1)
		return -1;
	last = delta_log_latest(t->log);
	if (start > last)
		return err_set(e, ERR_BAD_PARAM, "version %lld does not exist: "
		    "the latest version is %lld", (long long)start,
		    (long long)last);
	if (end < 0 || end > last)
		end = last;
	buf_init(&b, 0);
	for (v = start; v <= end; v++) {
		if ((r.c = delta_log_commit(t->log, v)) == NULL) {
			delta_log_missing(t->log, v, "", e);
			goto out;
		}
		buf_reset(&b);
		if (storage_read(t->st, r.c->key, 0, -1, DELTA_COMMIT_MAX, &b,
		    e) == -1)
			goto out;
		if (delta_action_each(t->a, buf_str(&b), b.len, one, &r,
		    e) == -1) {
			struct err inner = *e;

			err_set(e, inner.kind, "%s: %s", r.c->key, inner.msg);
			goto out;
		}
	}
	rc = 0;
out:
	buf_release(&b);
	return rc;
}
