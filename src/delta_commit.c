/*
 * delta_commit.c: the actions of one commit file, whole or a window of
 * lines at a time (see delta_commit.h).
 */
#include "config.h"

#include <string.h>

#include "arena.h"
#include "buf.h"
#include "delta_action.h"
#include "delta_commit.h"
#include "delta_log.h"
#include "delta_table.h"
#include "err.h"
#include "storage.h"

/* Bytes of a commit read at a time by delta_commit_windows(). */
#define WINDOW	((int64_t)4 * 1024 * 1024)

int
delta_commit_err(struct err *e, const struct delta_commit *c)
{
	struct err	 inner = *e;

	return err_set(e, inner.kind == ERR_NONE ? ERR_UPSTREAM : inner.kind,
	    "%s: %s", c->key, inner.msg);
}

struct collect {
	struct arena		*a;
	struct delta_action	*v;
	size_t			 n;
	size_t			 cap;
};

static int
collect_one(void *ctx, const struct delta_action *act, struct err *e)
{
	struct collect	*c = ctx;

	(void)e;
	if (c->n == c->cap) {
		struct delta_action *nv;

		c->cap = c->cap ? c->cap * 2 : 16;
		nv = arena_alloc(c->a, c->cap * sizeof(*nv));
		if (c->n > 0)
			memcpy(nv, c->v, c->n * sizeof(*nv));
		c->v = nv;
	}
	c->v[c->n++] = *act;
	return 0;
}

int
delta_commit_read(struct delta_table *t, const struct delta_commit *cm,
    struct delta_action **acts, size_t *n, struct err *e)
{
	struct collect	 c = { t->a, NULL, 0, 0 };
	struct buf	 b;
	int		 rc = -1;

	buf_init(&b, 0);
	if (storage_read(t->st, cm->key, 0, -1, DELTA_COMMIT_MAX, &b,
	    e) == -1)
		goto out;
	if (delta_action_each(t->a, buf_str(&b), b.len, collect_one, &c,
	    e) == -1) {
		/* Name the file; the parser named the line. */
		delta_commit_err(e, cm);
		goto out;
	}
	*acts = c.v;
	*n = c.n;
	rc = 0;
out:
	buf_release(&b);
	return rc;
}

/* Drop the first n bytes of b. */
static void
consume(struct buf *b, size_t n)
{
	memmove(b->data, b->data + n, b->len - n);
	b->len -= n;
	b->data[b->len] = '\0';
}

/*
 * Windows up to the listed size; the last read goes to the object's
 * end, whatever the listing said, so nothing after it is left out.
 */
int
delta_commit_windows(struct delta_table *t, const struct delta_commit *cm,
    delta_commit_lines_fn fn, void *ctx, struct err *e)
{
	struct buf	 b;
	const char	*nl;
	int64_t		 off = 0, len;
	size_t		 lineno = 0, n;
	int		 rc = -1;
	bool		 last = false;

	buf_init(&b, 0);
	while (!last) {
		last = cm->size - off <= WINDOW;
		len = last ? -1 : WINDOW;
		if (storage_read(t->st, cm->key, off, len, DELTA_COMMIT_MAX,
		    &b, e) == -1)
			goto out;
		off += WINDOW;
		/* Whole lines only, but for the end of the file. */
		if (!last) {
			if ((nl = memrchr(b.data, '\n', b.len)) == NULL)
				continue;	/* a line longer than a window */
			n = (size_t)(nl - b.data) + 1;
		} else
			n = b.len;
		if ((rc = fn(ctx, b.data, n, &lineno, e)) != 0) {
			if (rc == -1)
				delta_commit_err(e, cm);
			goto out;
		}
		consume(&b, n);
	}
	rc = 0;
out:
	buf_release(&b);
	return rc;
}
