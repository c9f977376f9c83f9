/*
 * snapcache.c: the worker's cache of replayed snapshots (see snapcache.h).
 *
 * An entry is one anonymous mapping: a header, the key, the protocol and
 * metaData lines, then one record per live file (fixed fields, then the
 * strings, each NUL-terminated, the record padded to 8 bytes).  While it
 * is built the mapping grows (mremap where there is one, so nothing is
 * copied) and may move, so records are found by offset, never by
 * pointer.  Entries are kept in a list, most recently used first; the
 * list is short (the budget over the size of a table), so a lookup walks
 * it comparing hashes first.
 *
 * A memo is a mapping of its own, hung on its entry: a header, one slot
 * per file of the entry (where its bytes are, 0 while none), then the
 * bytes, appended as files are served; it grows as a build does.
 */
#include "config.h"

#include <sys/mman.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "crypto.h"
#include "delta_action.h"
#include "delta_log.h"
#include "err.h"
#include "log.h"
#include "metrics.h"
#include "snapcache.h"
#include "strutil.h"
#include "xmalloc.h"

/* The first mapping of a build holds this much room for its files. */
#define FIRST_ROOM	(256 * 1024)
/*
 * A build grows by 1/GROWTH of its size: in place, in small steps where
 * mremap(2) moves nothing, else doubling (each growth is a copy).
 */
#ifdef HAVE_MREMAP
#define GROWTH		8
#else
#define GROWTH		1
#endif
/* Every so many files, a build projects its size (snapcache_build_new). */
#define PROJECT_EVERY	4096
/* Keys found too large for the budget, remembered (a ring). */
#define TOO_LARGE_SLOTS	32
/* A new memo's room for bytes, beyond its slots. */
#define MEMO_ROOM	(64 * 1024)
#define MEMO_KIND_MAX	64

#if defined(__GNUC__)
#define PREFETCH(p)	__builtin_prefetch(p)
#else
#define PREFETCH(p)	((void)(p))
#endif

enum rec_str {
	S_PATH, S_KEY, S_PV, S_STATS, S_TAGS, S_DV_PATH, S__N
};

#define NO_STR		UINT32_MAX	/* a NULL string */
#define SAME_AS_PATH	(UINT32_MAX - 1)	/* the key: the path itself */

#define R_DATA_CHANGE	0x1
#define R_EXTENDED	0x2

struct rec {
	uint32_t	 size;		/* of the record, a multiple of 8 */
	uint8_t		 flags;
	char		 dv_type;
	uint16_t	 pad;
	int32_t		 dv_offset;
	int32_t		 dv_size;
	int64_t		 fsize;
	int64_t		 mtime;
	int64_t		 deletion_ts;
	int64_t		 base_row_id;
	int64_t		 row_commit_version;
	int64_t		 dv_cardinality;
	int64_t		 dv_max_row_index;
	uint32_t	 len[S__N];
	char		 text[];
};

/* A memo: slot i, the offset of file i's bytes << 32 | their length. */
struct memo {
	size_t		 maplen;
	size_t		 used;
	uint64_t	 asked;		/* the clock when last asked for */
	int64_t		 tag;
	char		 kind[MEMO_KIND_MAX];
	uint64_t	 at[];
};

struct snapcache_entry {
	struct snapcache_entry	*prev, *next;
	struct memo		*memos[SNAPCACHE_MEMOS];
	uint64_t		 hash;
	size_t			 maplen;	/* bytes mapped */
	size_t			 used;		/* bytes written */
	size_t			 nfiles;
	unsigned		 pins;		/* its files being read */
	size_t			 keylen, plen, mlen;	/* after the header */
	size_t			 files;		/* offset of the first record */
};

struct snapcache_build {
	struct snapcache_entry	*e;		/* moves as it grows */
	int64_t			 files;		/* expected; -1 unknown */
};

static struct {
	size_t			 budget;
	size_t			 held;		/* mapped by kept entries */
	size_t			 building;	/* mapped by builds */
	size_t			 n;
	struct snapcache_entry	*head, *tail;
	uint64_t		 too_large[TOO_LARGE_SLOTS];
	size_t			 next_too_large;
	uint64_t		 clock;		/* memos asked for */
	uint64_t		 memo_epoch;	/* memos made or dropped */
	struct snapcache_entry	*reading;	/* by snapcache_files() */
	size_t			 reading_i;
} sc;

static size_t
page_round(size_t n)
{
	size_t	 pg = (size_t)sysconf(_SC_PAGESIZE);

	return (n + pg - 1) / pg * pg;
}

static uint64_t
key_hash(const char *key)
{
	unsigned char	 h[CRYPTO_SHA256_LEN];
	uint64_t	 v;

	crypto_sha256(key, strlen(key), h);
	memcpy(&v, h, sizeof(v));
	return v | 1;		/* 0 marks a free too_large slot */
}

static const char *
entry_key(const struct snapcache_entry *e)
{
	return (const char *)(e + 1);
}

static void
publish(void)
{
	metrics_worker_cache(sc.held, sc.n);
}

static void
unlink_entry(struct snapcache_entry *e)
{
	if (e->prev != NULL)
		e->prev->next = e->next;
	else
		sc.head = e->next;
	if (e->next != NULL)
		e->next->prev = e->prev;
	else
		sc.tail = e->prev;
	e->prev = e->next = NULL;
}

static void
push_front(struct snapcache_entry *e)
{
	e->prev = NULL;
	e->next = sc.head;
	if (sc.head != NULL)
		sc.head->prev = e;
	sc.head = e;
	if (sc.tail == NULL)
		sc.tail = e;
}

static void
memo_drop(struct snapcache_entry *e, int slot)
{
	struct memo	*m = e->memos[slot];

	sc.held -= m->maplen;
	munmap(m, m->maplen);
	e->memos[slot] = NULL;
	sc.memo_epoch++;
}

static void
memos_drop(struct snapcache_entry *e)
{
	int	 i;

	for (i = 0; i < SNAPCACHE_MEMOS; i++)
		if (e->memos[i] != NULL)
			memo_drop(e, i);
}

static void
drop(struct snapcache_entry *e)
{
	memos_drop(e);
	unlink_entry(e);
	sc.held -= e->maplen;
	sc.n--;
	munmap(e, e->maplen);
}

static bool
fits(size_t need)
{
	return sc.held + sc.building + need <= sc.budget;
}

/* Drop the memos of unpinned entries, least recently used first. */
static void
drop_memos(size_t need)
{
	struct snapcache_entry	*e;

	for (e = sc.tail; e != NULL && !fits(need); e = e->prev)
		if (e->pins == 0)
			memos_drop(e);
}

/*
 * Make room for need: memos go first, then the least recently used
 * unpinned entries.
 */
static int
make_room(size_t need)
{
	struct snapcache_entry	*e, *prev;

	drop_memos(need);
	for (e = sc.tail; e != NULL && !fits(need); e = prev) {
		prev = e->prev;
		if (e->pins > 0)
			continue;
		drop(e);
		metrics_add(MX_SNAPSHOT_EVICTED, 1);
	}
	publish();
	return fits(need) ? 0 : -1;
}

void
snapcache_configure(size_t budget)
{
	struct snapcache_entry	*e, *next;

	sc.budget = budget;
	for (e = sc.head; e != NULL; e = next) {
		next = e->next;
		if (e->pins == 0)
			drop(e);
	}
	publish();
}

bool
snapcache_enabled(void)
{
	return sc.budget > 0;
}

void
snapcache_stats(size_t *bytes, size_t *entries)
{
	*bytes = sc.held;
	*entries = sc.n;
}

char *
snapcache_key(struct arena *a, const char *root, const char *cred_id,
    const struct delta_segment *g)
{
	struct buf	 b;
	unsigned char	 h[CRYPTO_SHA256_LEN];
	char		 hex[2 * CRYPTO_SHA256_LEN + 1];
	size_t		 i;

	buf_init(&b, 0);
	if (g->ckpt != NULL) {
		buf_addf(&b, "c%lld:%d:%zu", (long long)g->ckpt->version,
		    (int)g->ckpt->kind, g->ckpt->nparts);
		for (i = 0; i < g->ckpt->nparts; i++)
			buf_addf(&b, ":%s:%lld", g->ckpt->keys[i],
			    (long long)g->ckpt->sizes[i]);
	}
	for (i = 0; i < g->ncommits; i++)
		buf_addf(&b, "|%lld:%lld:%lld", (long long)g->commits[i]->version,
		    (long long)g->commits[i]->size,
		    (long long)g->commits[i]->mtime_ms);
	crypto_sha256(buf_str(&b), b.len, h);
	str_hex(h, sizeof(h), hex);
	buf_release(&b);
	return arena_printf(a, "%s\n%s\n%lld\n%s", root, cred_id,
	    (long long)g->version, hex);
}

static struct snapcache_entry *
find(const char *key, uint64_t h)
{
	struct snapcache_entry	*e;

	for (e = sc.head; e != NULL; e = e->next)
		if (e->hash == h && strcmp(entry_key(e), key) == 0)
			return e;
	return NULL;
}

/* The entry of key, made the most recently used; NULL: none. */
static struct snapcache_entry *
lookup(const char *key)
{
	struct snapcache_entry	*e;

	if (sc.budget == 0 || (e = find(key, key_hash(key))) == NULL)
		return NULL;
	unlink_entry(e);
	push_front(e);
	return e;
}

struct snapcache_entry *
snapcache_get(const char *key)
{
	return lookup(key);
}

int
snapcache_pm(const char *key, struct arena *a, struct delta_action *protocol,
    struct delta_action *metadata, struct err *err)
{
	struct snapcache_entry	*e;
	const char		*p;

	e = lookup(key);
	metrics_cache(MC_SNAPSHOT, e != NULL);
	if (e == NULL)
		return 0;
	p = entry_key(e) + e->keylen + 1;
	if (delta_action_parse(a, p, e->plen, protocol, err) == -1 ||
	    delta_action_parse(a, p + e->plen + 1, e->mlen, metadata,
	    err) == -1)
		return -1;
	return 1;
}

/* The next string of a record's text. */
static const char *
next_str(const char **p, uint32_t len)
{
	const char	*s = *p;

	if (len == NO_STR)
		return NULL;
	*p += len + 1;
	return s;
}

static void
rec_view(const struct rec *r, struct delta_action *a, const char **key)
{
	struct delta_file	*f = &a->u.file;
	const char		*p = r->text;

	memset(a, 0, sizeof(*a));
	a->kind = DELTA_ADD;
	f->path = next_str(&p, r->len[S_PATH]);
	*key = r->len[S_KEY] == SAME_AS_PATH ? f->path :
	    next_str(&p, r->len[S_KEY]);
	f->partition_values = next_str(&p, r->len[S_PV]);
	f->stats = next_str(&p, r->len[S_STATS]);
	f->tags = next_str(&p, r->len[S_TAGS]);
	f->dv.path_or_inline = next_str(&p, r->len[S_DV_PATH]);
	f->size = r->fsize;
	f->modification_time = r->mtime;
	f->deletion_timestamp = r->deletion_ts;
	f->data_change = (r->flags & R_DATA_CHANGE) != 0;
	f->extended_file_metadata = (r->flags & R_EXTENDED) != 0;
	f->base_row_id = r->base_row_id;
	f->default_row_commit_version = r->row_commit_version;
	f->dv.storage_type = r->dv_type;
	f->dv.offset = r->dv_offset;
	f->dv.size = r->dv_size;
	f->dv.cardinality = r->dv_cardinality;
	f->dv.max_row_index = r->dv_max_row_index;
}

int
snapcache_files(struct snapcache_entry *e, delta_file_fn fn, void *ctx,
    struct err *err)
{
	const unsigned char	*p = (const unsigned char *)e + e->files;
	const struct rec	*r;
	struct snapcache_entry	*was = sc.reading;
	struct delta_action	 a;
	const char		*key;
	size_t			 i, was_i = sc.reading_i;
	int			 rc = 0;

	e->pins++;
	sc.reading = e;
	for (i = 0; i < e->nfiles && rc == 0; i++, p += r->size) {
		r = (const struct rec *)(const void *)p;
		/*
		 * The next record's fields, on their way while fn works:
		 * records are too far apart for the hardware to guess.
		 */
		PREFETCH(p + r->size);
		PREFETCH(p + r->size + 64);
		rec_view(r, &a, &key);
		sc.reading_i = i;
		rc = fn(ctx, &a, key, err);
	}
	sc.reading = was;
	sc.reading_i = was_i;
	e->pins--;
	return rc;
}

struct snapcache_entry *
snapcache_reading(size_t *index)
{
	*index = sc.reading_i;
	return sc.reading;
}

/* --- building ------------------------------------------------------------- */

static bool
was_too_large(uint64_t h)
{
	size_t	 i;

	for (i = 0; i < TOO_LARGE_SLOTS; i++)
		if (sc.too_large[i] == h)
			return true;
	return false;
}

static void
abandon(struct snapcache_build *b)
{
	sc.building -= b->e->maplen;
	munmap(b->e, b->e->maplen);
	free(b);
}

static void
too_large(struct snapcache_build *b, size_t need, bool projected)
{
	const char	*key = entry_key(b->e), *v = "?";
	size_t		 n = strcspn(key, "\n");

	/* The key: location, reader, version, hash of the log files. */
	if (key[n] == '\n' && strchr(key + n + 1, '\n') != NULL)
		v = strchr(key + n + 1, '\n') + 1;
	sc.too_large[sc.next_too_large++ % TOO_LARGE_SLOTS] = b->e->hash;
	metrics_add(MX_SNAPSHOT_TOO_LARGE, 1);
	log_info("snapshot cache: %.*s version %.*s needs more than the %zu "
	    "bytes of cache.snapshot_bytes (%zu bytes, %s %zu files); not "
	    "kept", (int)n, key, (int)strcspn(v, "\n"), v, sc.budget, need,
	    projected ? "projected from the first" : "at",
	    b->e->nfiles);
	abandon(b);
}

/*
 * Map (or grow) a block of maplen bytes, used of them written, to cap
 * bytes; NULL when the system says no.
 */
static void *
remap(void *old, size_t maplen, size_t used, size_t cap)
{
	void	*p;

#ifdef HAVE_MREMAP
	(void)used;
	if (old != NULL)
		p = mremap(old, maplen, cap, MREMAP_MAYMOVE);
	else
#endif
		p = mmap(NULL, cap, PROT_READ | PROT_WRITE, MAP_PRIVATE |
		    MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
#ifndef HAVE_MREMAP
	if (old != NULL) {
		memcpy(p, old, used);
		munmap(old, maplen);
	}
#endif
	return p;
}

/* A block of maplen bytes grows to hold need: by how much. */
static size_t
growth(size_t maplen, size_t need, size_t limit)
{
	size_t	 cap = maplen + maplen / GROWTH;

	if (cap < need)
		cap = page_round(need);
	if (cap > limit)
		cap = limit;
	return cap;
}

/*
 * Room for n more bytes: grow the mapping (within the budget), evicting
 * older entries.  -1: the build is abandoned.
 */
static int
reserve(struct snapcache_build *b, size_t n)
{
	struct snapcache_entry	*e = b->e, *ne;
	size_t			 need = e->used + n, cap, limit;

	if (need <= e->maplen)
		return 0;
	limit = sc.budget / (size_t)sysconf(_SC_PAGESIZE) *
	    (size_t)sysconf(_SC_PAGESIZE);
	if (need > limit) {
		too_large(b, need, false);
		return -1;
	}
	cap = growth(e->maplen, need, limit);
	if (make_room(cap - e->maplen) == -1 ||
	    (ne = remap(e, e->maplen, e->used, cap)) == NULL) {
		abandon(b);
		return -1;
	}
	sc.building += cap - ne->maplen;
	ne->maplen = cap;
	b->e = ne;
	return 0;
}

/* Append an action's line: {"<name>":<raw>} and a NUL. */
static void
put_line(struct snapcache_entry *e, const char *name,
    const struct delta_action *a, size_t *len)
{
	char	*p = (char *)e + e->used;
	int	 n;

	n = snprintf(p, strlen(name) + 5, "{\"%s\":", name);
	memcpy(p + n, a->raw, a->rawlen);
	memcpy(p + n + a->rawlen, "}", 2);
	*len = (size_t)n + a->rawlen + 1;
	e->used += *len + 1;
}

struct snapcache_build *
snapcache_build_new(const char *key, const struct delta_action *protocol,
    const struct delta_action *metadata, int64_t files)
{
	struct snapcache_build	*b;
	struct snapcache_entry	*e;
	size_t			 klen, head, cap;
	uint64_t		 h;

	if (sc.budget == 0 || protocol->raw == NULL || metadata->raw == NULL)
		return NULL;
	if (was_too_large(h = key_hash(key)))
		return NULL;
	klen = strlen(key);
	head = sizeof(*e) + klen + protocol->rawlen + metadata->rawlen + 40;
	cap = page_round(head + FIRST_ROOM);
	if (cap > sc.budget)
		cap = page_round(head);
	if (cap > sc.budget || make_room(cap) == -1 ||
	    (e = remap(NULL, 0, 0, cap)) == NULL)
		return NULL;
	memset(e, 0, sizeof(*e));
	e->hash = h;
	e->maplen = cap;
	sc.building += cap;
	memcpy(e + 1, key, klen + 1);
	e->keylen = klen;
	e->used = sizeof(*e) + klen + 1;
	put_line(e, "protocol", protocol, &e->plen);
	put_line(e, "metaData", metadata, &e->mlen);
	e->used = (e->used + 7) & ~(size_t)7;
	e->files = e->used;
	b = xmalloc(sizeof(*b));
	b->e = e;
	b->files = files;
	return b;
}

static uint32_t
str_len(const char *s)
{
	return s == NULL ? NO_STR : (uint32_t)strlen(s);
}

static void
put_str(char **p, const char *s, uint32_t len)
{
	if (len == NO_STR || len == SAME_AS_PATH)
		return;
	memcpy(*p, s, len);
	(*p)[len] = '\0';
	*p += len + 1;
}

/* -1 (and abandoned) when the files to come would need twice the budget. */
static int
project(struct snapcache_build *b)
{
	struct snapcache_entry	*e = b->e;
	double			 each, need;

	if (e->nfiles % PROJECT_EVERY != 0 || b->files <= (int64_t)e->nfiles)
		return 0;
	each = (double)(e->used - e->files) / (double)e->nfiles;
	need = (double)e->used + each * (double)(b->files - (int64_t)e->nfiles);
	if (need <= 2.0 * (double)sc.budget)
		return 0;
	too_large(b, (size_t)need, true);
	return -1;
}

int
snapcache_build_file(struct snapcache_build *b, const struct delta_action *a,
    const char *key)
{
	const struct delta_file	*f = &a->u.file;
	const char		*s[S__N];
	struct rec		*r;
	size_t			 i, n = sizeof(*r);
	uint32_t		 len[S__N];
	char			*p;

	s[S_PATH] = f->path;
	s[S_KEY] = key;
	s[S_PV] = f->partition_values;
	s[S_STATS] = f->stats;
	s[S_TAGS] = f->tags;
	s[S_DV_PATH] = f->dv.storage_type != 0 ? f->dv.path_or_inline : NULL;
	for (i = 0; i < S__N; i++) {
		len[i] = str_len(s[i]);
		if (i == S_KEY && strcmp(key, f->path) == 0)
			len[i] = SAME_AS_PATH;
		if (len[i] < SAME_AS_PATH)
			n += len[i] + 1;
	}
	n = (n + 7) & ~(size_t)7;
	if (n > UINT32_MAX || reserve(b, n) == -1)
		return -1;
	r = (struct rec *)(void *)((char *)b->e + b->e->used);
	memset(r, 0, sizeof(*r));
	r->size = (uint32_t)n;
	r->flags = (f->data_change ? R_DATA_CHANGE : 0) |
	    (f->extended_file_metadata ? R_EXTENDED : 0);
	r->dv_type = f->dv.storage_type;
	r->dv_offset = f->dv.offset;
	r->dv_size = f->dv.size;
	r->fsize = f->size;
	r->mtime = f->modification_time;
	r->deletion_ts = f->deletion_timestamp;
	r->base_row_id = f->base_row_id;
	r->row_commit_version = f->default_row_commit_version;
	r->dv_cardinality = f->dv.cardinality;
	r->dv_max_row_index = f->dv.max_row_index;
	memcpy(r->len, len, sizeof(len));
	p = r->text;
	for (i = 0; i < S__N; i++)
		put_str(&p, s[i], len[i]);
	b->e->used += n;
	b->e->nfiles++;
	return project(b);
}

void
snapcache_build_done(struct snapcache_build *b)
{
	struct snapcache_entry	*e = b->e;
	size_t			 keep = page_round(e->used);

	/* Give back the unused tail of the last doubling. */
	if (keep < e->maplen) {
		munmap((char *)e + keep, e->maplen - keep);
		sc.building -= e->maplen - keep;
		e->maplen = keep;
	}
	sc.building -= e->maplen;
	free(b);
	/* Two builds of one version (in one request): keep the first. */
	if (find(entry_key(e), e->hash) != NULL ||
	    make_room(e->maplen) == -1) {
		munmap(e, e->maplen);
		return;
	}
	sc.held += e->maplen;
	sc.n++;
	push_front(e);
	publish();
}

void
snapcache_build_abandon(struct snapcache_build *b)
{
	if (b != NULL)
		abandon(b);
}

/* --- memos ----------------------------------------------------------------- */

/* Room for need without evicting an entry: other entries' memos go. */
static int
memo_room(size_t need)
{
	drop_memos(need);
	publish();
	return fits(need) ? 0 : -1;
}

/* The slot to fill with a new memo: a free one, else the least asked. */
static int
memo_slot(struct snapcache_entry *e)
{
	int	 i, old = 0;

	for (i = 0; i < SNAPCACHE_MEMOS; i++) {
		if (e->memos[i] == NULL)
			return i;
		if (e->memos[i]->asked < e->memos[old]->asked)
			old = i;
	}
	memo_drop(e, old);
	return old;
}

int
snapcache_memo(struct snapcache_entry *e, const char *kind, int64_t tag)
{
	struct memo	*m;
	size_t		 len;
	int		 i;

	if (e->pins == 0)
		return -1;
	for (i = 0; i < SNAPCACHE_MEMOS; i++) {
		if ((m = e->memos[i]) == NULL || strcmp(m->kind, kind) != 0)
			continue;
		if (m->tag == tag) {
			m->asked = ++sc.clock;
			return i;
		}
		memo_drop(e, i);	/* made for another tag */
		break;
	}
	if (strlen(kind) >= MEMO_KIND_MAX)
		return -1;
	i = memo_slot(e);
	len = page_round(sizeof(*m) + e->nfiles * sizeof(m->at[0]) +
	    MEMO_ROOM);
	if (memo_room(len) == -1 ||
	    (m = remap(NULL, 0, 0, len)) == NULL)
		return -1;
	memset(m, 0, sizeof(*m) + e->nfiles * sizeof(m->at[0]));
	m->maplen = len;
	m->used = sizeof(*m) + e->nfiles * sizeof(m->at[0]);
	m->asked = ++sc.clock;
	m->tag = tag;
	memcpy(m->kind, kind, strlen(kind) + 1);
	e->memos[i] = m;
	sc.held += len;
	sc.memo_epoch++;
	publish();
	return i;
}

uint64_t
snapcache_memo_epoch(void)
{
	return sc.memo_epoch;
}

const char *
snapcache_memo_get(struct snapcache_entry *e, int slot, size_t i,
    size_t *len)
{
	const struct memo *m = e->memos[slot];
	uint64_t	 at;

	if (i >= e->nfiles || (at = m->at[i]) == 0)
		return NULL;
	*len = (size_t)(at & UINT32_MAX);
	return (const char *)m + (at >> 32);
}

int
snapcache_memo_put(struct snapcache_entry *e, int slot, size_t i,
    const void *p, size_t n)
{
	struct memo	*m = e->memos[slot], *nm;
	size_t		 need = m->used + n, cap;

	if (i >= e->nfiles || need > UINT32_MAX)
		return -1;
	if (m->at[i] != 0)
		return 0;
	if (need > m->maplen) {
		cap = growth(m->maplen, need, (size_t)UINT32_MAX /
		    page_round(1) * page_round(1));
		if (cap < need || memo_room(cap - m->maplen) == -1 ||
		    (nm = remap(m, m->maplen, m->used, cap)) == NULL)
			return -1;
		sc.held += cap - nm->maplen;
		nm->maplen = cap;
		e->memos[slot] = m = nm;
		publish();
	}
	memcpy((char *)m + m->used, p, n);
	m->at[i] = (uint64_t)m->used << 32 | n;
	m->used += n;
	return 0;
}
