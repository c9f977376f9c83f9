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
#include "delta_commit.h"
#include "delta_dv.h"
#include "delta_log.h"
#include "delta_path.h"
#include "delta_snapshot.h"
#include "delta_table.h"
#include "err.h"
#include "hset.h"
#include "snapcache.h"
#include "storage.h"
#include "strutil.h"

/*
 * The commits after the checkpoint are held parsed when they take no
 * more than this many bytes; beyond it they are streamed.
 */
#define HOLD_MAX	((int64_t)16 * 1024 * 1024)

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

/* Blank: nothing but spaces, tabs and carriage returns. */
static bool
blank(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return false;
	return true;
}

/*
 * Could the line hold a protocol or metaData?  Not when its first key is
 * that of a file action: a line holds one action (one with two fails
 * when the files are read).
 */
static bool
maybe_pm(const char *s, size_t n)
{
	static const char *const keys[] = { "\"add\"", "\"remove\"",
	    "\"cdc\"" };
	size_t	 i = 0, k, len;

	while (i < n && strchr(" \t\r", s[i]) != NULL)
		i++;
	if (i == n || s[i++] != '{')
		return true;
	while (i < n && strchr(" \t\r", s[i]) != NULL)
		i++;
	for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		len = strlen(keys[k]);
		if (n - i >= len && memcmp(s + i, keys[k], len) == 0)
			return false;
	}
	return true;
}

/* The protocol and metaData of a window of a commit, if it has them. */
static int
pm_lines(void *ctx, const char *buf, size_t len, size_t *lineno,
    struct err *e)
{
	struct delta_snapshot	*s = ctx;
	struct delta_action	 act;
	const char		*p = buf, *end = buf + len, *nl;
	size_t			 n;
	char			 where[32];

	for (; p < end; p = nl != NULL ? nl + 1 : end) {
		++*lineno;
		nl = memchr(p, '\n', (size_t)(end - p));
		n = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
		if (blank(p, n) || !maybe_pm(p, n))
			continue;
		if (delta_action_parse(s->t->a, p, n, &act, e) == -1) {
			struct err	 inner = *e;

			snprintf(where, sizeof(where), "line %zu", *lineno);
			return err_set(e, inner.kind, "%s: %s", where,
			    inner.msg);
		}
		if (act.kind == DELTA_PROTOCOL &&
		    s->protocol.kind == DELTA_UNKNOWN)
			s->protocol = act;
		if (act.kind == DELTA_METADATA &&
		    s->metadata.kind == DELTA_UNKNOWN)
			s->metadata = act;
		if (s->protocol.kind != DELTA_UNKNOWN &&
		    s->metadata.kind != DELTA_UNKNOWN)
			return DELTA_STOP;
	}
	return 0;
}

/*
 * Streamed commits: the newest protocol and metaData in them, reading
 * them newest first (and parsing only the lines that may hold them)
 * until both are found.
 */
static int
scan_pm(struct delta_snapshot *s, struct err *e)
{
	size_t	 i;
	int	 rc;

	for (i = s->seg.ncommits; i > 0; i--)
		if ((rc = delta_commit_windows(s->t, s->seg.commits[i - 1],
		    pm_lines, s, e)) != 0)
			return rc == DELTA_STOP ? 0 : -1;
	return 0;
}

/* The newest protocol and metadata of the segment. */
static int
find_pm(struct delta_snapshot *s, struct err *e)
{
	struct pm	 pm = { s->t->a, &s->protocol, &s->metadata };
	size_t		 i, j;

	if (s->acts == NULL && scan_pm(s, e) == -1)
		return -1;
	for (i = s->acts != NULL ? s->seg.ncommits : 0; i > 0; i--)
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
	int64_t			 size = 0;
	size_t			 i;
	int			 rc;

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
	if (t->cache_id != NULL && snapcache_enabled()) {
		s->cache_key = snapcache_key(t->a, t->root, t->cache_id,
		    &s->seg);
		/* Cached: its protocol and metaData, no commit read. */
		if ((rc = snapcache_pm(s->cache_key, t->a, &s->protocol,
		    &s->metadata, e)) != 0)
			return rc == -1 ? -1 : (*out = s, 0);
	}
	for (i = 0; i < s->seg.ncommits; i++)
		size += s->seg.commits[i]->size;
	if (size <= HOLD_MAX) {
		s->acts = arena_calloc(t->a, s->seg.ncommits + 1,
		    sizeof(*s->acts));
		s->nacts = arena_calloc(t->a, s->seg.ncommits + 1,
		    sizeof(*s->nacts));
	}
	for (i = 0; s->acts != NULL && i < s->seg.ncommits; i++)
		if (delta_commit_read(t, s->seg.commits[i], &s->acts[i],
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
	struct arena		*lines;		/* per window of a commit */
	delta_file_fn		 fn;
	void			*ctx;
	struct snapcache_build	*build;		/* the entry being kept */
	bool			 fn_done;	/* fn stopped or failed */
	bool			 fn_failed;	/* the error is fn's own */
	struct err		 fn_err;
};

/*
 * A live file, given where its reconciliation id said it lies (0 under
 * the table root, 1 outside; see delta_path_file_id()): its path and
 * deletion vector must lie under the table root (replay may have
 * reconciled outside paths, never serve them).
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

/*
 * A live file (its reconciliation id under the root: the storage key,
 * then a tab and its deletion vector's id) goes to the entry being kept
 * and to fn, until fn stops or fails (noted, to be passed on unchanged);
 * the replay goes on as long as either wants more.
 */
static int
live(struct replay *r, const struct delta_action *act, const char *id,
    struct arena *a, struct err *e)
{
	const char	*key = id, *tab;
	int		 rc;

	if ((tab = strchr(id, '\t')) != NULL)
		key = arena_strndup(a, id, (size_t)(tab - id));
	if (r->build != NULL &&
	    snapcache_build_file(r->build, act, key) == -1)
		r->build = NULL;
	if (!r->fn_done && (rc = r->fn(r->ctx, act, key, e)) != 0) {
		r->fn_done = true;
		if (rc == -1) {
			r->fn_failed = true;
			r->fn_err = *e;
		}
	}
	if (!r->fn_done || r->build != NULL)
		return 0;
	return r->fn_failed ? -1 : DELTA_STOP;
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
	return live(r, act, id, r->scratch, e);
}

/*
 * An action of a commit after the checkpoint, commits newest first: the
 * first action on a file decides it.
 */
static int
from_commit(void *ctx, const struct delta_action *act, struct err *e)
{
	struct replay	*r = ctx;
	const char	*id;
	int		 where;

	if (act->kind != DELTA_ADD && act->kind != DELTA_REMOVE)
		return 0;
	arena_reset(r->scratch);
	if ((where = delta_path_root_file_id(r->root, &act->u.file,
	    r->scratch, &id, e)) == -1)
		return -1;
	if (!hset_add(r->seen, id, strlen(id)) || act->kind != DELTA_ADD)
		return 0;
	if (check_live(r, act, where, r->scratch, e) == -1)
		return -1;
	return live(r, act, id, r->scratch, e);
}

/* A window of a streamed commit, parsed into an arena of its own. */
static int
from_window(void *ctx, const char *buf, size_t len, size_t *lineno,
    struct err *e)
{
	struct replay	*r = ctx;

	arena_reset(r->lines);
	return delta_action_lines(r->lines, buf, len, lineno, from_commit, r,
	    e);
}

/*
 * The commits after the checkpoint, newest first: held parsed, or read
 * again a window at a time.  0, DELTA_STOP or -1.
 */
static int
from_commits(struct replay *r, struct err *e)
{
	struct delta_snapshot	*s = r->s;
	const struct delta_commit *c;
	size_t			 i, j;
	int			 rc = 0;

	for (i = s->seg.ncommits; i > 0 && rc == 0; i--) {
		c = s->seg.commits[i - 1];
		if (s->acts == NULL)
			rc = delta_commit_windows(s->t, c, from_window, r, e);
		else
			for (j = 0; j < s->nacts[i - 1] && rc == 0; j++)
				if ((rc = from_commit(r, &s->acts[i - 1][j],
				    e)) == -1 && !r->fn_failed)
					delta_commit_err(e, c);
	}
	if (rc == -1 && r->fn_failed)
		*e = r->fn_err;
	return rc;
}

int
delta_snapshot_files(struct delta_snapshot *s, delta_file_fn fn,
    void *ctx, struct err *e)
{
	struct snapcache_entry	*cached;
	struct replay		 r;
	int			 rc = -1;

	if (s->cache_key != NULL && !s->raw &&
	    (cached = snapcache_get(s->cache_key)) != NULL)
		return snapcache_files(cached, fn, ctx, e) == -1 ? -1 : 0;
	memset(&r, 0, sizeof(r));
	r.s = s;
	r.fn = fn;
	r.ctx = ctx;
	if (s->cache_key != NULL && !s->raw)
		r.build = snapcache_build_new(s->cache_key, &s->protocol,
		    &s->metadata, s->seg.ckpt != NULL ? s->seg.ckpt->adds : -1);
	r.seen = hset_new(1024);
	r.scratch = arena_new();
	r.lines = arena_new();
	if (delta_path_root(s->t->root, s->t->a, &r.root, e) == -1 ||
	    (rc = from_commits(&r, e)) != 0)
		goto out;
	if (s->seg.ckpt != NULL && (rc = delta_checkpoint_read(s->t,
	    s->seg.ckpt, DELTA_WANT(DELTA_ADD) | (s->raw ? DELTA_WANT_RAW : 0),
	    s->metadata.u.metadata.schema_string, from_checkpoint, &r,
	    e)) == -1 && r.fn_failed)
		*e = r.fn_err;
out:
	/* Kept only when the replay went through to the end. */
	if (rc == 0 && r.build != NULL)
		snapcache_build_done(r.build);
	else
		snapcache_build_abandon(r.build);
	hset_free(r.seen);
	arena_free(r.scratch);
	arena_free(r.lines);
	if (r.fn_failed) {
		*e = r.fn_err;
		return -1;
	}
	return rc == -1 ? -1 : 0;
}
