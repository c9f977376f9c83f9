/*
 * delta_tip.c: a worker's memory of the last log listings (see
 * delta_tip.h).
 *
 * Listing a _delta_log for each request (read _last_checkpoint, list the
 * folder from the checkpoint on, stat each entry) is most of what a
 * version call costs the worker.  Commits are created atomically and
 * numbered without gaps, so a listing whose latest version is V is
 * still the listing for as long as V+1 does not exist, V is the same
 * file and _last_checkpoint has not changed (a new checkpoint, and the
 * log cleanup that comes with checkpoints, rewrite it).  That takes
 * three stats on local files, a missing V+1 the cheapest of them, and
 * one LIST from V on an object store, instead of a GET and a LIST.
 *
 * Entries are malloc'd copies, handed out as copies in the caller's
 * arena; the least recently used goes when TIP_MAX are held.  Only
 * listings that start at a checkpoint, or short ones, are kept.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "delta_log.h"
#include "delta_tip.h"
#include "err.h"
#include "storage.h"
#include "xmalloc.h"

#define TIP_MAX		32
#define COMMITS_MAX	4096		/* longer listings are not kept */
#define LAST_CKPT	"_delta_log/_last_checkpoint"

struct tip {
	char			*root;
	struct delta_log	 log;		/* st NULL; all malloc'd */
	struct delta_tip_stamp	 stamp;		/* of _last_checkpoint */
	uint64_t		 used;
};

static struct tip	 tips[TIP_MAX];
static uint64_t		 clock_;

static struct tip *
find(const char *root)
{
	size_t	 i;

	for (i = 0; i < TIP_MAX; i++)
		if (tips[i].root != NULL && strcmp(tips[i].root, root) == 0)
			return &tips[i];
	return NULL;
}

static void
drop(struct tip *t)
{
	size_t	 i, k;

	for (i = 0; i < t->log.ncommits; i++)
		free((char *)t->log.commits[i].key);
	free(t->log.commits);
	for (i = 0; i < t->log.nckpts; i++) {
		for (k = 0; k < t->log.ckpts[i].nparts; k++)
			free((char *)t->log.ckpts[i].keys[k]);
		free(t->log.ckpts[i].keys);
		free(t->log.ckpts[i].sizes);
	}
	free(t->log.ckpts);
	free(t->root);
	memset(t, 0, sizeof(*t));
}

/* Copy a listing into the arena a, or with malloc when a is NULL. */
static void
copy_log(struct delta_log *to, const struct delta_log *from,
    struct arena *a)
{
	size_t	 i, k, n;

	*to = *from;
	to->commits = a != NULL ?
	    arena_calloc(a, from->ncommits + 1, sizeof(*to->commits)) :
	    xcalloc(from->ncommits + 1, sizeof(*to->commits));
	memcpy(to->commits, from->commits,
	    from->ncommits * sizeof(*to->commits));
	for (i = 0; i < from->ncommits; i++) {
		to->commits[i].key = a != NULL ?
		    arena_strdup(a, from->commits[i].key) :
		    xstrdup(from->commits[i].key);
		to->commits[i].timestamp = -1;
	}
	to->ckpts = a != NULL ?
	    arena_calloc(a, from->nckpts + 1, sizeof(*to->ckpts)) :
	    xcalloc(from->nckpts + 1, sizeof(*to->ckpts));
	memcpy(to->ckpts, from->ckpts, from->nckpts * sizeof(*to->ckpts));
	for (i = 0; i < from->nckpts; i++) {
		n = from->ckpts[i].nparts;
		to->ckpts[i].keys = a != NULL ?
		    arena_calloc(a, n, sizeof(char *)) :
		    xcalloc(n, sizeof(char *));
		to->ckpts[i].sizes = a != NULL ?
		    arena_calloc(a, n, sizeof(int64_t)) :
		    xcalloc(n, sizeof(int64_t));
		memcpy(to->ckpts[i].sizes, from->ckpts[i].sizes,
		    n * sizeof(int64_t));
		for (k = 0; k < n; k++)
			to->ckpts[i].keys[k] = a != NULL ?
			    arena_strdup(a, from->ckpts[i].keys[k]) :
			    xstrdup(from->ckpts[i].keys[k]);
	}
	to->timestamps = false;
}

void
delta_tip_stamp(struct storage *st, struct arena *a,
    struct delta_tip_stamp *out)
{
	struct storage_entry	 se;
	struct err		 e;

	memset(out, 0, sizeof(*out));
	if (storage_stat(st, LAST_CKPT, &se, a, &e) == 0) {
		out->present = true;
		out->size = se.size;
		out->mtime_ms = se.mtime_ms;
	}
}

static bool
same_stamp(const struct delta_tip_stamp *x, const struct delta_tip_stamp *y)
{
	return x->present == y->present && (!x->present ||
	    (x->size == y->size && x->mtime_ms == y->mtime_ms));
}

static bool
same_entry(const struct storage_entry *se, const struct delta_commit *c)
{
	return se->size == c->size && se->mtime_ms == c->mtime_ms;
}

/* Local files: V+1 missing, V the same file, the same _last_checkpoint. */
static bool
still_local(struct storage *st, struct arena *a, const struct tip *t,
    const struct delta_commit *last)
{
	struct storage_entry	 se;
	struct delta_tip_stamp	 stamp;
	struct err		 e;
	char			 key[64];

	snprintf(key, sizeof(key), "_delta_log/%020lld.json",
	    (long long)last->version + 1);
	if (storage_stat(st, key, &se, a, &e) == 0 || e.kind != ERR_NOT_FOUND)
		return false;
	if (storage_stat(st, last->key, &se, a, &e) == -1 ||
	    !same_entry(&se, last))
		return false;
	delta_tip_stamp(st, a, &stamp);
	return same_stamp(&stamp, &t->stamp);
}

/*
 * An object store: one listing from V on shows V (the same object),
 * nothing numbered after it, and _last_checkpoint as it was.
 */
static bool
still_listed(struct storage *st, struct arena *a, const struct tip *t,
    const struct delta_commit *last)
{
	struct storage_list	 l;
	struct delta_tip_stamp	 stamp;
	struct err		 e;
	const char		*name;
	char			 from[64];
	bool			 seen = false;
	size_t			 i;

	memset(&stamp, 0, sizeof(stamp));
	snprintf(from, sizeof(from), "_delta_log/%020lld",
	    (long long)last->version);
	if (storage_list(st, a, "_delta_log/", from, &l, &e) == -1)
		return false;
	for (i = 0; i < l.n; i++) {
		name = l.v[i].key;
		if (strcmp(name, last->key) == 0)
			seen = same_entry(&l.v[i], last);
		else if (strcmp(name, LAST_CKPT) == 0) {
			stamp.present = true;
			stamp.size = l.v[i].size;
			stamp.mtime_ms = l.v[i].mtime_ms;
		} else if (strncmp(name, from, strlen(from)) != 0 &&
		    name[11] >= '0' && name[11] <= '9')
			return false;	/* a later version */
	}
	return seen && same_stamp(&stamp, &t->stamp);
}

int
delta_tip_get(struct storage *st, struct arena *a, struct delta_log **out)
{
	struct tip		*t = find(storage_root(st));
	const struct delta_commit *last;
	bool			 ok;

	if (t == NULL || t->log.ncommits == 0)
		return 0;
	last = &t->log.commits[t->log.ncommits - 1];
	/* A checkpoint newer than the last commit: list again. */
	if (t->log.nckpts > 0 &&
	    t->log.ckpts[t->log.nckpts - 1].version > last->version)
		return 0;
	ok = storage_is_local(st) ? still_local(st, a, t, last) :
	    still_listed(st, a, t, last);
	if (!ok)
		return 0;
	t->used = ++clock_;
	*out = arena_calloc(a, 1, sizeof(**out));
	copy_log(*out, &t->log, a);
	(*out)->st = st;
	return 1;
}

void
delta_tip_put(struct storage *st, const struct delta_log *log,
    const struct delta_tip_stamp *stamp)
{
	struct tip	*t;
	size_t		 i;

	if (log->ncommits == 0 || log->ncommits > COMMITS_MAX)
		return;
	if ((t = find(storage_root(st))) == NULL) {
		t = &tips[0];
		for (i = 1; i < TIP_MAX && t->root != NULL; i++)
			if (tips[i].root == NULL || tips[i].used < t->used)
				t = &tips[i];
	}
	drop(t);
	t->root = xstrdup(storage_root(st));
	copy_log(&t->log, log, NULL);
	t->log.st = NULL;
	t->stamp = *stamp;
	t->used = ++clock_;
}

void
delta_tip_clear(void)
{
	size_t	 i;

	for (i = 0; i < TIP_MAX; i++)
		drop(&tips[i]);
}
