/*
 * delta_log.c: listing a _delta_log, choosing the files of a version,
 * and commit timestamps (see delta_log.h).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "buf.h"
#include "delta_action.h"
#include "delta_log.h"
#include "delta_tip.h"
#include "err.h"
#include "jsonu.h"
#include "storage.h"
#include "xmalloc.h"

#define LOG_DIR		"_delta_log/"
#define LOG_DIRLEN	(sizeof(LOG_DIR) - 1)
#define VDIGITS		20
#define LAST_CKPT_MAX	(1024 * 1024)
#define ICT_HEAD	(64 * 1024)	/* commitInfo is the first line */
#define ICT_MAX		(64 * 1024 * 1024)

/* A name being sorted into its kind. */
struct entry {
	const struct storage_entry	*e;
	int64_t				 version;
	enum { E_COMMIT, E_CLASSIC, E_PART, E_V2 } kind;
	bool				 json;
	bool				 overflow;	/* version > 2^63-1 */
	int64_t				 part, parts;
};

static int
digits(const char *s, size_t n, int64_t *out)
{
	int64_t	 v = 0;
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (v > (INT64_MAX - (s[i] - '0')) / 10)
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static bool
is_uuid(const char *s)
{
	size_t	 i;

	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return false;
		} else if (strchr("0123456789abcdefABCDEF", s[i]) == NULL ||
		    s[i] == '\0')
			return false;
	}
	return true;
}

/* Sort one _delta_log name; false for names replay does not use. */
static bool
classify(const struct storage_entry *se, struct entry *out)
{
	const char	*name = se->key + LOG_DIRLEN, *rest;
	size_t		 len = strlen(name);

	memset(out, 0, sizeof(*out));
	out->e = se;
	if (len < VDIGITS + 5)
		return false;
	if (digits(name, VDIGITS, &out->version) == -1) {
		/* 20 digits, too many for a version: the caller says so. */
		if (strspn(name, "0123456789") < VDIGITS)
			return false;
		out->overflow = true;
	}
	rest = name + VDIGITS;
	if (strcmp(rest, ".json") == 0) {
		out->kind = E_COMMIT;
		return true;
	}
	if (strncmp(rest, ".checkpoint.", 12) != 0)
		return false;
	rest += 12;
	if (strcmp(rest, "parquet") == 0) {
		out->kind = E_CLASSIC;
		return true;
	}
	if (strlen(rest) == 10 + 1 + 10 + 8 && rest[10] == '.' &&
	    strcmp(rest + 21, ".parquet") == 0 &&
	    digits(rest, 10, &out->part) == 0 &&
	    digits(rest + 11, 10, &out->parts) == 0 &&
	    out->part >= 1 && out->part <= out->parts &&
	    out->parts <= 100000) {
		out->kind = E_PART;
		return true;
	}
	if (strlen(rest) > 37 && is_uuid(rest) && rest[36] == '.' &&
	    (strcmp(rest + 37, "json") == 0 ||
	    strcmp(rest + 37, "parquet") == 0)) {
		out->kind = E_V2;
		out->json = rest[37] == 'j';
		return true;
	}
	return false;
}

static int
cmp_entry(const void *a, const void *b)
{
	const struct entry	*x = a, *y = b;

	if (x->version != y->version)
		return x->version < y->version ? -1 : 1;
	if (x->kind != y->kind)
		return (int)x->kind - (int)y->kind;
	if (x->parts != y->parts)
		return x->parts < y->parts ? -1 : 1;
	if (x->part != y->part)
		return x->part < y->part ? -1 : 1;
	return strcmp(x->e->key, y->e->key);
}

static void
add_ckpt(struct delta_log *log, struct arena *a, size_t *cap,
    const struct entry *first, size_t nparts, enum delta_ckpt_kind kind)
{
	struct delta_ckpt	*c;
	size_t			 i;

	if (log->nckpts == *cap) {
		struct delta_ckpt *n;

		*cap = *cap ? *cap * 2 : 8;
		n = arena_calloc(a, *cap, sizeof(*n));
		if (log->nckpts > 0)
			memcpy(n, log->ckpts, log->nckpts * sizeof(*n));
		log->ckpts = n;
	}
	c = &log->ckpts[log->nckpts++];
	c->version = first->version;
	c->kind = kind;
	c->json = first->json;
	c->nparts = nparts;
	c->adds = -1;
	c->keys = arena_calloc(a, nparts, sizeof(*c->keys));
	c->sizes = arena_calloc(a, nparts, sizeof(*c->sizes));
	for (i = 0; i < nparts; i++) {
		c->keys[i] = first[i].e->key;
		c->sizes[i] = first[i].e->size;
	}
}

/* Turn sorted entries into commits and complete checkpoints. */
static void
build(struct delta_log *log, struct arena *a, struct entry *v, size_t n)
{
	size_t	 i, j, cap = 0;

	log->commits = arena_calloc(a, n + 1, sizeof(*log->commits));
	for (i = 0; i < n; i = j) {
		j = i + 1;
		switch (v[i].kind) {
		case E_COMMIT:
			log->commits[log->ncommits].version = v[i].version;
			log->commits[log->ncommits].key = v[i].e->key;
			log->commits[log->ncommits].size = v[i].e->size;
			log->commits[log->ncommits].mtime_ms = v[i].e->mtime_ms;
			log->commits[log->ncommits++].timestamp = -1;
			break;
		case E_CLASSIC:
			add_ckpt(log, a, &cap, &v[i], 1, DELTA_CKPT_CLASSIC);
			break;
		case E_V2:
			add_ckpt(log, a, &cap, &v[i], 1, DELTA_CKPT_V2);
			break;
		case E_PART:
			/* Parts of one set are adjacent, in part order. */
			while (j < n && v[j].kind == E_PART &&
			    v[j].version == v[i].version &&
			    v[j].parts == v[i].parts)
				j++;
			if ((int64_t)(j - i) == v[i].parts) {
				size_t k;

				for (k = 0; k < j - i; k++)
					if (v[i + k].part != (int64_t)k + 1)
						break;
				if (k == j - i)
					add_ckpt(log, a, &cap, &v[i], j - i,
					    DELTA_CKPT_MULTIPART);
			}
			break;
		}
	}
}

/*
 * The checkpoint version _last_checkpoint names, or -1; *adds, its
 * numOfAddFiles (-1 when absent).
 */
static int64_t
last_checkpoint(struct storage *st, struct arena *a, int64_t *adds)
{
	struct json_object	*o, *v;
	struct buf		 b;
	struct err		 e;
	int64_t			 version = -1;

	*adds = -1;
	buf_init(&b, 0);
	if (storage_read(st, LOG_DIR "_last_checkpoint", 0, -1, LAST_CKPT_MAX,
	    &b, &e) == -1)
		goto out;
	if ((o = jsonu_parse(a, buf_str(&b), b.len, 16, &e)) == NULL ||
	    !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, "version", &v) ||
	    !json_object_is_type(v, json_type_int))
		goto out;
	version = json_object_get_int64(v);
	if (version < 0 || version == INT64_MAX)
		version = -1;
	if (json_object_object_get_ex(o, "numOfAddFiles", &v) &&
	    json_object_is_type(v, json_type_int) &&
	    json_object_get_int64(v) >= 0)
		*adds = json_object_get_int64(v);
out:
	buf_release(&b);
	return version;
}

static int
list_from(struct storage *st, struct arena *a, const char *start_after,
    struct delta_log *log, struct err *e)
{
	struct storage_list	 l;
	struct entry		*v;
	size_t			 i, n = 0;

	if (storage_list(st, a, LOG_DIR, start_after, &l, e) == -1)
		return -1;
	v = arena_calloc(a, l.n + 1, sizeof(*v));
	for (i = 0; i < l.n; i++)
		if (strchr(l.v[i].key + LOG_DIRLEN, '/') == NULL &&
		    classify(&l.v[i], &v[n])) {
			if (v[n].overflow)
				return err_set(e, ERR_UPSTREAM, "%s: the "
				    "version in its name is beyond 2^63-1",
				    l.v[i].key);
			n++;
		}
	qsort(v, n, sizeof(*v), cmp_entry);
	build(log, a, v, n);
	return 0;
}

int
delta_log_list(struct storage *st, struct arena *a, bool full,
    struct delta_log **out, struct err *e)
{
	struct delta_log	*log;
	struct delta_tip_stamp	 stamp;
	char			 after[LOG_DIRLEN + VDIGITS + 1];
	int64_t			 hint = -1, adds = -1;

	if (!full) {
		if (delta_tip_get(st, a, out) == 1)
			return 0;
		delta_tip_stamp(st, a, &stamp);
		hint = last_checkpoint(st, a, &adds);
	}
	log = arena_calloc(a, 1, sizeof(*log));
	log->st = st;
	if (hint >= 0) {
		snprintf(after, sizeof(after), LOG_DIR "%020lld",
		    (long long)hint);
		if (list_from(st, a, after, log, e) == -1)
			return -1;
		/* A stale or wrong hint: list everything instead. */
		if (log->nckpts == 0 || log->ckpts[0].version != hint) {
			memset(log, 0, sizeof(*log));
			log->st = st;
			hint = -1;
		} else
			log->ckpts[0].adds = adds;
	}
	if (hint < 0) {
		log->full = true;
		if (list_from(st, a, NULL, log, e) == -1)
			return -1;
	}
	if (log->ncommits == 0 && log->nckpts == 0)
		return err_set(e, ERR_NOT_FOUND, "not a Delta table: no "
		    "commits in _delta_log");
	if (!full)
		delta_tip_put(st, log, &stamp);
	*out = log;
	return 0;
}

int64_t
delta_log_latest(const struct delta_log *log)
{
	int64_t	 v = -1;

	if (log->ncommits > 0)
		v = log->commits[log->ncommits - 1].version;
	if (log->nckpts > 0 && log->ckpts[log->nckpts - 1].version > v)
		v = log->ckpts[log->nckpts - 1].version;
	return v;
}

const struct delta_commit *
delta_log_commit(const struct delta_log *log, int64_t v)
{
	size_t	 lo = 0, hi = log->ncommits, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (log->commits[mid].version < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < log->ncommits && log->commits[lo].version == v)
		return &log->commits[lo];
	return NULL;
}

int64_t
delta_log_earliest(const struct delta_log *log)
{
	if (log->full && delta_log_commit(log, 0) != NULL)
		return 0;
	if (log->nckpts > 0)
		return log->ckpts[0].version;
	return log->ncommits > 0 ? log->commits[0].version : -1;
}

int
delta_log_missing(const struct delta_log *log, int64_t v, const char *prefix,
    struct err *e)
{
	if (log->ncommits > 0 && v < log->commits[0].version)
		return err_set(e, ERR_BAD_PARAM, "%scommit %020lld.json is no "
		    "longer in the log, which starts at version %lld", prefix,
		    (long long)v, (long long)log->commits[0].version);
	return err_set(e, ERR_INTERNAL, "%scommit %020lld.json is missing "
	    "(the log is damaged)", prefix, (long long)v);
}

/* The checkpoint to start from for version v: the newest at or before. */
static const struct delta_ckpt *
pick_ckpt(const struct delta_log *log, int64_t v)
{
	const struct delta_ckpt	*best = NULL;
	size_t			 i;

	for (i = 0; i < log->nckpts && log->ckpts[i].version <= v; i++) {
		/* At equal versions prefer v2, then classic, then parts. */
		if (best == NULL || log->ckpts[i].version > best->version ||
		    log->ckpts[i].kind == DELTA_CKPT_V2 ||
		    (log->ckpts[i].kind == DELTA_CKPT_CLASSIC &&
		    best->kind == DELTA_CKPT_MULTIPART))
			best = &log->ckpts[i];
	}
	return best;
}

int
delta_log_segment(const struct delta_log *log, int64_t v,
    struct delta_segment *seg, struct arena *a, struct err *e)
{
	const struct delta_commit	*c;
	int64_t				 latest = delta_log_latest(log), i;

	memset(seg, 0, sizeof(*seg));
	if (v > latest)
		return err_set(e, ERR_BAD_PARAM, "version %lld does not exist: "
		    "the latest version is %lld", (long long)v,
		    (long long)latest);
	seg->version = v;
	seg->ckpt = pick_ckpt(log, v);
	i = seg->ckpt != NULL ? seg->ckpt->version + 1 : 0;
	if (seg->ckpt == NULL && delta_log_commit(log, 0) == NULL)
		return err_set(e, ERR_BAD_PARAM, "version %lld cannot be "
		    "reconstructed: the log starts at version %lld and has no "
		    "checkpoint at or before it", (long long)v,
		    (long long)delta_log_earliest(log));
	/* Every commit of the range must be listed: no more than that. */
	seg->commits = arena_calloc(a, log->ncommits + 1,
	    sizeof(*seg->commits));
	for (; i <= v; i++) {
		if ((c = delta_log_commit(log, i)) == NULL)
			return delta_log_missing(log, i, arena_printf(a,
			    "version %lld cannot be reconstructed: ",
			    (long long)v), e);
		seg->commits[seg->ncommits++] = c;
	}
	return 0;
}

/* The inCommitTimestamp of a commit: the first line is its commitInfo. */
static int
read_ict(struct storage *st, struct arena *a, const struct delta_commit *c,
    int64_t *ict, struct err *e)
{
	struct delta_action	 act;
	struct buf		 b;
	const char		*nl;
	int64_t			 len = c->size < ICT_HEAD ? c->size : ICT_HEAD;
	int			 rc = -1;

	buf_init(&b, 0);
	if (storage_read(st, c->key, 0, len, ICT_MAX, &b, e) == -1)
		goto out;
	if ((nl = memchr(b.data, '\n', b.len)) == NULL && len < c->size) {
		buf_reset(&b);
		if (storage_read(st, c->key, 0, -1, ICT_MAX, &b, e) == -1)
			goto out;
		nl = memchr(b.data, '\n', b.len);
	}
	if (b.len == 0 || delta_action_parse(a, b.data, nl != NULL ?
	    (size_t)(nl - b.data) : b.len, &act, e) == -1)
		goto fail;
	if (act.kind != DELTA_COMMIT_INFO ||
	    act.u.commit_info.in_commit_timestamp < 0)
		goto fail;
	*ict = act.u.commit_info.in_commit_timestamp;
	rc = 0;
	goto out;
fail:
	err_set(e, ERR_UPSTREAM, "commit %s has no in-commit timestamp in "
	    "its first line", c->key + LOG_DIRLEN);
out:
	buf_release(&b);
	return rc;
}

int
delta_log_timestamps(struct delta_log *log, struct arena *a,
    int64_t ict_from, struct err *e)
{
	struct delta_commit	*c;
	int64_t			 prev = INT64_MIN;
	size_t			 i;

	for (i = 0; i < log->ncommits; i++) {
		c = &log->commits[i];
		if (ict_from >= 0 && c->version >= ict_from) {
			if (read_ict(log->st, a, c, &c->timestamp, e) == -1)
				return -1;
		} else if (prev != INT64_MIN && c->mtime_ms <= prev)
			c->timestamp = prev + 1;
		else
			c->timestamp = c->mtime_ms;
		prev = c->timestamp;
	}
	log->timestamps = true;
	return 0;
}

int64_t
delta_log_version_at(const struct delta_log *log, int64_t ts, bool before,
    const char **why)
{
	size_t	 i;

	*why = NULL;
	if (log->ncommits == 0) {
		*why = "after";
		return -1;
	}
	if (before) {
		for (i = log->ncommits; i > 0; i--)
			if (log->commits[i - 1].timestamp <= ts)
				return log->commits[i - 1].version;
		*why = "before";
		return -1;
	}
	for (i = 0; i < log->ncommits; i++)
		if (log->commits[i].timestamp >= ts)
			return log->commits[i].version;
	*why = "after";
	return -1;
}
