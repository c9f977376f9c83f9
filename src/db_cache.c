/*
 * db_cache.c: a worker's memory of catalog reads (see db_cache.h).
 *
 * A chained hash table over the keys, and a list of the entries in the
 * order they were made, oldest first: the oldest are dropped to make
 * room and, being the first to grow too old, are pruned on the way.
 * A key is the statement number, then each parameter as its length (or
 * a marker for NULL) and its bytes, so no two reads share a key.  An
 * entry a request holds (its value is in use until the request's arena
 * is reset) and that is dropped meanwhile leaves the table and the
 * budget at once and is freed by the last release.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "db_cache.h"
#include "metrics.h"
#include "xmalloc.h"

#define NULL_PARAM	0xffffffffU
#define BUCKET_BYTES	1024		/* of budget per hash bucket */
#define BUCKETS_MIN	64
#define BUCKETS_MAX	65536

struct entry {
	struct entry		*chain;		/* same bucket */
	struct entry		*older, *newer;
	uint64_t		 hash;
	int64_t			 born_us;
	void			*value;
	db_cache_free_fn	 free_value;
	size_t			 size;		/* against the budget */
	unsigned		 holds;		/* requests using it */
	bool			 dropped;
	size_t			 keylen;
	char			 key[];
};

struct db_cache {
	db_cache_free_fn	 free_value;
	int64_t			 ttl_us;
	size_t			 budget, held, count;
	struct entry		**bucket;
	size_t			 nbucket;	/* a power of 2, or 0 */
	struct entry		*oldest, *newest;
	struct buf		 key;		/* of the last miss */
	uint64_t		 hash;
};

struct db_cache *
db_cache_new(db_cache_free_fn free_value)
{
	struct db_cache	*c;

	c = xcalloc(1, sizeof(*c));
	c->free_value = free_value;
	buf_init(&c->key, 0);
	return c;
}

static void
destroy(struct entry *e)
{
	e->free_value(e->value);
	free(e);
}

/* Out of the table, the list and the budget; freed unless held. */
static void
drop(struct db_cache *c, struct entry *e)
{
	struct entry	**pp;

	for (pp = &c->bucket[e->hash & (c->nbucket - 1)]; *pp != e;
	    pp = &(*pp)->chain)
		;
	*pp = e->chain;
	if (e->older != NULL)
		e->older->newer = e->newer;
	else
		c->oldest = e->newer;
	if (e->newer != NULL)
		e->newer->older = e->older;
	else
		c->newest = e->older;
	c->held -= e->size;
	c->count--;
	e->dropped = true;
	if (e->holds == 0)
		destroy(e);
}

static void
release(void *p)
{
	struct entry	*e = p;

	if (--e->holds == 0 && e->dropped)
		destroy(e);
}

static void
hold(struct arena *a, struct entry *e)
{
	e->holds++;
	arena_defer(a, release, e);
}

void
db_cache_clear(struct db_cache *c)
{
	while (c->oldest != NULL)
		drop(c, c->oldest);
}

void
db_cache_configure(struct db_cache *c, int64_t seconds, size_t bytes)
{
	size_t	 n = BUCKETS_MIN;

	db_cache_clear(c);
	free(c->bucket);
	c->bucket = NULL;
	c->nbucket = 0;
	c->budget = seconds > 0 ? bytes : 0;
	c->ttl_us = seconds * 1000000;
	if (c->budget == 0)
		return;
	while (n < BUCKETS_MAX && n * BUCKET_BYTES < bytes)
		n *= 2;
	c->bucket = xcalloc(n, sizeof(*c->bucket));
	c->nbucket = n;
}

void
db_cache_free(struct db_cache *c)
{
	if (c == NULL)
		return;
	db_cache_configure(c, 0, 0);
	buf_release(&c->key);
	free(c);
}

bool
db_cache_enabled(const struct db_cache *c)
{
	return c->budget > 0;
}

size_t
db_cache_count(const struct db_cache *c)
{
	return c->count;
}

size_t
db_cache_bytes(const struct db_cache *c)
{
	return c->held;
}

/* FNV-1a, 64 bits: keys are short, and built just before. */
static uint64_t
hash(const char *p, size_t n)
{
	uint64_t	 h = 0xcbf29ce484222325ULL;

	while (n-- > 0)
		h = (h ^ (unsigned char)*p++) * 0x100000001b3ULL;
	return h;
}

static void
add_u32(struct buf *b, uint32_t v)
{
	buf_add(b, &v, sizeof(v));
}

static void
make_key(struct db_cache *c, enum db_stmt id, int n,
    const char *const *params)
{
	size_t	 len;
	int	 i;

	buf_reset(&c->key);
	add_u32(&c->key, (uint32_t)id);
	for (i = 0; i < n; i++) {
		if (params[i] == NULL) {
			add_u32(&c->key, NULL_PARAM);
			continue;
		}
		len = strlen(params[i]);
		add_u32(&c->key, (uint32_t)len);
		buf_add(&c->key, params[i], len);
	}
	c->hash = hash(c->key.data, c->key.len);
}

void *
db_cache_get(struct db_cache *c, struct arena *a, enum db_stmt id, int n,
    const char *const *params, int64_t now_us)
{
	struct entry	*e;

	if (c->budget == 0)
		return NULL;
	make_key(c, id, n, params);
	for (e = c->bucket[c->hash & (c->nbucket - 1)]; e != NULL;
	    e = e->chain)
		if (e->hash == c->hash && e->keylen == c->key.len &&
		    memcmp(e->key, c->key.data, e->keylen) == 0)
			break;
	if (e != NULL && now_us - e->born_us >= c->ttl_us) {
		drop(c, e);
		e = NULL;
	}
	metrics_cache(MC_CATALOG, e != NULL);
	if (e == NULL)
		return NULL;
	hold(a, e);
	return e->value;
}

/* Make room for need bytes: the too old first, then the oldest. */
static void
make_room(struct db_cache *c, size_t need, int64_t now_us)
{
	while (c->oldest != NULL && (c->held + need > c->budget ||
	    now_us - c->oldest->born_us >= c->ttl_us))
		drop(c, c->oldest);
}

bool
db_cache_put(struct db_cache *c, struct arena *a, void *value, size_t size,
    int64_t now_us)
{
	struct entry	*e, **b;

	size += sizeof(*e) + c->key.len;
	if (c->budget == 0 || size > c->budget / 4)
		return false;
	make_room(c, size, now_us);
	e = xmalloc(sizeof(*e) + c->key.len);
	memset(e, 0, sizeof(*e));
	memcpy(e->key, c->key.data, c->key.len);
	e->keylen = c->key.len;
	e->hash = c->hash;
	e->born_us = now_us;
	e->value = value;
	e->free_value = c->free_value;
	e->size = size;
	b = &c->bucket[e->hash & (c->nbucket - 1)];
	e->chain = *b;
	*b = e;
	e->older = c->newest;
	if (c->newest != NULL)
		c->newest->newer = e;
	else
		c->oldest = e;
	c->newest = e;
	c->held += size;
	c->count++;
	hold(a, e);
	return true;
}
