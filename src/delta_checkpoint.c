/*
 * delta_checkpoint.c: checkpoint actions, from JSON or Parquet parts and
 * v2 sidecars (see delta_checkpoint.h).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "delta_action.h"
#include "delta_checkpoint.h"
#include "delta_log.h"
#include "delta_table.h"
#include "err.h"
#include "storage.h"

#define JSON_CKPT_MAX	((size_t)1024 * 1024 * 1024)
#define SIDECAR_DIR	"_delta_log/_sidecars/"

struct ckread {
	struct delta_table	*t;
	unsigned		 want;
	const char		*schema;	/* table schema, or NULL */
	delta_action_fn		 fn;
	void			*ctx;
	const char		**sidecars;	/* keys, for adds and removes */
	size_t			 nsidecars;
};

static int
remember_sidecar(struct ckread *r, const char *path, struct err *e)
{
	const char	**nv, *key;

	key = arena_printf(r->t->a, SIDECAR_DIR "%s", path);
	if (!storage_key_valid(key) || strchr(path, '/') != NULL)
		return err_set(e, ERR_UPSTREAM, "sidecar path '%.64s' is not a "
		    "file name in _delta_log/_sidecars", path);
	nv = arena_calloc(r->t->a, r->nsidecars + 1, sizeof(*nv));
	if (r->nsidecars > 0)
		memcpy(nv, r->sidecars, r->nsidecars * sizeof(*nv));
	nv[r->nsidecars++] = key;
	r->sidecars = nv;
	return 0;
}

/* Pass on what was asked for; note sidecars. */
static int
filter(void *ctx, const struct delta_action *act, struct err *e)
{
	struct ckread	*r = ctx;

	if (act->kind == DELTA_SIDECAR)
		return remember_sidecar(r, act->u.sidecar.path, e);
	if (act->kind == DELTA_UNKNOWN || !(r->want & DELTA_WANT(act->kind)))
		return 0;
	return r->fn(r->ctx, act, e);
}

static int
read_json(struct ckread *r, const char *key, struct err *e)
{
	struct buf	 b;
	int		 rc = -1;

	buf_init(&b, 0);
	if (storage_read(r->t->st, key, 0, -1, JSON_CKPT_MAX, &b, e) == -1)
		goto out;
	if ((rc = delta_action_each(r->t->a, buf_str(&b), b.len, filter, r,
	    e)) == -1) {
		struct err inner = *e;

		err_set(e, inner.kind, "%s: %s", key, inner.msg);
	}
out:
	buf_release(&b);
	return rc;
}

static int
read_parquet(struct ckread *r, const char *key, struct err *e)
{
	/* Sidecars are only named by v2 checkpoints: always ask for them. */
	return delta_checkpoint_pq_read(r->t, key, r->want |
	    DELTA_WANT(DELTA_SIDECAR), r->schema, filter, r, e);
}

int
delta_checkpoint_read(struct delta_table *t, const struct delta_ckpt *c,
    unsigned want, const char *schema, delta_action_fn fn, void *ctx,
    struct err *e)
{
	struct ckread	 r = { t, want, schema, fn, ctx, NULL, 0 };
	size_t		 i;
	int		 rc = 0;

	for (i = 0; i < c->nparts && rc == 0; i++)
		rc = c->json ? read_json(&r, c->keys[i], e) :
		    read_parquet(&r, c->keys[i], e);
	if (!(want & (DELTA_WANT(DELTA_ADD) | DELTA_WANT(DELTA_REMOVE))))
		return rc == -1 ? -1 : 0;
	for (i = 0; i < r.nsidecars && rc == 0; i++)
		rc = read_parquet(&r, r.sidecars[i], e);
	return rc == -1 ? -1 : 0;
}
