/*
 * delta_snapshot.c: log replay for one version (see delta_snapshot.h).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "delta_action.h"
#include "delta_checkpoint.h"
#include "delta_dv.h"
#include "delta_log.h"
#include "delta_path.h"
#include "delta_snapshot.h"
#include "delta_table.h"
#include "err.h"
#include "hset.h"
#include "storage.h"
#include "strutil.h"

/* One commit file may not be larger than this. */
#define COMMIT_MAX	((size_t)512 * 1024 * 1024)

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

/* Parse a whole commit file into an array of actions. */
static int
read_commit(struct delta_table *t, const struct delta_commit *cm,
    struct delta_action **acts, size_t *n, struct err *e)
{
	struct collect	 c = { t->a, NULL, 0, 0 };
	struct buf	 b;
	int		 rc = -1;

	buf_init(&b, 0);
	if (storage_read(t->st, cm->key, 0, -1, COMMIT_MAX, &b, e) == -1)
		goto out;
	if (delta_action_each(t->a, buf_str(&b), b.len, collect_one, &c,
	    e) == -1) {
		/* Name the file; the parser named the line. */
		struct err	 inner = *e;

		err_set(e, inner.kind == ERR_NONE ? ERR_UPSTREAM : inner.kind,
		    "%s: %s", cm->key, inner.msg);
		goto out;
	}
	*acts = c.v;
	*n = c.n;
	rc = 0;
out:
	buf_release(&b);
	return rc;
}

struct pm {
	struct arena		*a;
	struct delta_action	*protocol;
	struct delta_action	*metadata;
};

/* Checkpoint actions are short-lived: parse a copy into the table arena. */
static int
keep(struct arena *a, const char *key, const struct delta_action *act,
    struct delta_action *out, struct err *e)
{
	char	*line;
	size_t	 klen = strlen(key);

	line = arena_alloc(a, klen + act->rawlen + 6);
	snprintf(line, klen + 5, "{\"%s\":", key);
	memcpy(line + klen + 4, act->raw, act->rawlen);
	memcpy(line + klen + 4 + act->rawlen, "}", 2);
	return delta_action_parse(a, line, klen + act->rawlen + 5, out, e);
}

/* A checkpoint holds one of each: once both are in, stop reading. */
static int
take_pm(void *ctx, const struct delta_action *act, struct err *e)
{
	struct pm	*pm = ctx;

	if (act->kind == DELTA_PROTOCOL &&
	    keep(pm->a, "protocol", act, pm->protocol, e) == -1)
		return -1;
	if (act->kind == DELTA_METADATA &&
	    keep(pm->a, "metaData", act, pm->metadata, e) == -1)
		return -1;
	return pm->protocol->kind != DELTA_UNKNOWN &&
	    pm->metadata->kind != DELTA_UNKNOWN ? DELTA_STOP : 0;
}

/* The files of the segment, for an error saying where an action is not. */
static const char *
searched(const struct delta_snapshot *s)
{
	const struct delta_segment	*g = &s->seg;
	const char			*ck = NULL, *cm = NULL;

	if (g->ckpt != NULL)
		ck = g->ckpt->nparts > 1 ? arena_printf(s->t->a, "%s (and "
		    "its other %zu parts)", g->ckpt->keys[0],
		    g->ckpt->nparts - 1) : g->ckpt->keys[0];
	if (g->ncommits == 1)
		cm = g->commits[0]->key;
	else if (g->ncommits > 1)
		cm = arena_printf(s->t->a, "%s to %s", g->commits[0]->key,
		    g->commits[g->ncommits - 1]->key);
	if (ck != NULL && cm != NULL)
		return arena_printf(s->t->a, "%s nor %s", ck, cm);
	return ck != NULL ? ck : cm != NULL ? cm : "the log";
}

/* The newest protocol and metadata of the segment. */
static int
find_pm(struct delta_snapshot *s, struct err *e)
{
	struct pm	 pm = { s->t->a, &s->protocol, &s->metadata };
	size_t		 i, j;

	for (i = s->seg.ncommits; i > 0; i--)
		for (j = 0; j < s->nacts[i - 1]; j++) {
			const struct delta_action *act = &s->acts[i - 1][j];

			if (act->kind == DELTA_PROTOCOL &&
			    s->protocol.kind == DELTA_UNKNOWN)
				s->protocol = *act;
			if (act->kind == DELTA_METADATA &&
			    s->metadata.kind == DELTA_UNKNOWN)
				s->metadata = *act;
		}
	if ((s->protocol.kind == DELTA_UNKNOWN ||
	    s->metadata.kind == DELTA_UNKNOWN) && s->seg.ckpt != NULL) {
		struct delta_action	 p = s->protocol, m = s->metadata;

		if (delta_checkpoint_read(s->t, s->seg.ckpt,
		    DELTA_WANT(DELTA_PROTOCOL) | DELTA_WANT(DELTA_METADATA),
		    NULL, take_pm, &pm, e) == -1)
			return -1;
		/* Commits after the checkpoint win over it. */
		if (p.kind != DELTA_UNKNOWN)
			s->protocol = p;
		if (m.kind != DELTA_UNKNOWN)
			s->metadata = m;
	}
	if (s->protocol.kind == DELTA_UNKNOWN)
		return err_set(e, ERR_UPSTREAM, "the log has no protocol "
		    "action at version %lld: none in %s", (long long)s->version,
		    searched(s));
	if (s->metadata.kind == DELTA_UNKNOWN)
		return err_set(e, ERR_UPSTREAM, "the log has no metaData "
		    "action at version %lld: none in %s", (long long)s->version,
		    searched(s));
	return 0;
}

int
delta_snapshot_open(struct delta_table *t, int64_t version,
    struct delta_snapshot **out, struct err *e)
{
	struct delta_snapshot	*s;
	size_t			 i;

	s = arena_calloc(t->a, 1, sizeof(*s));
	s->t = t;
	s->version = version < 0 ? delta_log_latest(t->log) : version;
	if (delta_log_segment(t->log, s->version, &s->seg, t->a, e) == -1) {
		/* A listing from _last_checkpoint may not reach back. */
		if (t->log->full || delta_table_full_listing(t, e) == -1 ||
		    delta_log_segment(t->log, s->version, &s->seg, t->a,
		    e) == -1)
			return -1;
	}
	s->acts = arena_calloc(t->a, s->seg.ncommits + 1, sizeof(*s->acts));
	s->nacts = arena_calloc(t->a, s->seg.ncommits + 1, sizeof(*s->nacts));
	for (i = 0; i < s->seg.ncommits; i++)
		if (read_commit(t, s->seg.commits[i], &s->acts[i],
		    &s->nacts[i], e) == -1)
			return -1;
	if (find_pm(s, e) == -1)
		return -1;
	*out = s;
	return 0;
}

int
delta_snapshot_at(struct delta_table *t, int64_t ts,
    struct delta_snapshot **out, struct err *e)
{
	struct delta_snapshot	*latest;
	const char		*why;
	char			 when[40];
	int64_t			 v;
	size_t			 n;

	if (delta_snapshot_open(t, -1, &latest, e) == -1 ||
	    delta_table_timestamps(t, &latest->metadata.u.metadata, e) == -1)
		return -1;
	n = t->log->ncommits;
	if (n > 0 && ts > t->log->commits[n - 1].timestamp) {
		/* Past the last commit: an error, as the reference has it. */
		v = -1;
		why = "after";
	} else
		v = delta_log_version_at(t->log, ts, true, &why);
	if (v < 0) {
		str_iso8601_ms(ts, when, sizeof(when));
		return err_set(e, ERR_BAD_PARAM, "the timestamp %s is %s the "
		    "%s commit of the table", when, why,
		    strcmp(why, "before") == 0 ? "earliest" : "latest");
	}
	if (v == latest->version) {
		*out = latest;
		return 0;
	}
	return delta_snapshot_open(t, v, out, e);
}

struct replay {
	struct delta_snapshot	*s;
	const struct delta_root	*root;
	struct hset		*seen;
	struct arena		*scratch;	/* per action */
	delta_action_fn		 fn;
	void			*ctx;
};

/*
 * A live file, given where its reconciliation id said it lies (0 under
 * the table root, 1 outside; see delta_path_file_id()): its path and deletion vector
 * must lie under the table root (replay may have reconciled outside
 * paths, never serve them).
 */
static int
check_live(struct replay *r, const struct delta_action *act, int where,
    struct arena *a, struct err *e)
{
	const char	*key;

	if (where == 1 && delta_path_key(r->s->t->root, act->u.file.path, a,
	    &key, e) == -1)
		return -1;	/* the error saying it is outside */
	if (act->u.file.dv.storage_type != 0 && delta_dv_check(r->s->t->root,
	    &act->u.file.dv, a, &key, e) == -1)
		return -1;
	return 0;
}

/* Prefix an error about an action with the commit file holding it. */
static int
in_commit(struct err *e, const struct delta_commit *c)
{
	struct err	 inner = *e;

	return err_set(e, inner.kind, "%s: %s", c->key, inner.msg);
}

static int
from_checkpoint(void *ctx, const struct delta_action *act, struct err *e)
{
	struct replay	*r = ctx;
	const char	*id;
	int		 where;

	if (act->kind != DELTA_ADD)
		return 0;
	arena_reset(r->scratch);
	if ((where = delta_path_root_file_id(r->root, &act->u.file,
	    r->scratch, &id, e)) == -1)
		return -1;
	/* Without commits after the checkpoint, every add is live. */
	if (hset_count(r->seen) > 0 && hset_has(r->seen, id, strlen(id)))
		return 0;
	if (check_live(r, act, where, r->scratch, e) == -1)
		return -1;
	return r->fn(r->ctx, act, e);
}

/* The adds and removes of the commits after the checkpoint, newest first. */
static int
from_commits(struct replay *r, struct err *e)
{
	struct delta_snapshot	*s = r->s;
	const struct delta_action *act;
	const char		*id;
	size_t			 i, j;
	int			 where;

	for (i = s->seg.ncommits; i > 0; i--)
		for (j = 0; j < s->nacts[i - 1]; j++) {
			act = &s->acts[i - 1][j];
			if (act->kind != DELTA_ADD && act->kind != DELTA_REMOVE)
				continue;
			arena_reset(r->scratch);
			if ((where = delta_path_root_file_id(r->root,
			    &act->u.file, r->scratch, &id, e)) == -1)
				return in_commit(e, s->seg.commits[i - 1]);
			if (!hset_add(r->seen, id, strlen(id)) ||
			    act->kind != DELTA_ADD)
				continue;
			if (check_live(r, act, where, r->scratch, e) == -1)
				return in_commit(e, s->seg.commits[i - 1]);
			if (r->fn(r->ctx, act, e) == -1)
				return -1;
		}
	return 0;
}

int
delta_snapshot_files(struct delta_snapshot *s, delta_action_fn fn,
    void *ctx, struct err *e)
{
	struct replay		 r = { s, NULL, NULL, NULL, fn, ctx };
	int			 rc = -1;

	r.seen = hset_new(1024);
	r.scratch = arena_new();
	if (delta_path_root(s->t->root, s->t->a, &r.root, e) == -1 ||
	    from_commits(&r, e) == -1)
		goto out;
	if (s->seg.ckpt != NULL && delta_checkpoint_read(s->t, s->seg.ckpt,
	    DELTA_WANT(DELTA_ADD) | (s->raw ? DELTA_WANT_RAW : 0),
	    s->metadata.u.metadata.schema_string,
	    from_checkpoint, &r, e) == -1)
		goto out;
	rc = 0;
out:
	hset_free(r.seen);
	arena_free(r.scratch);
	return rc;
}
