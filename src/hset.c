/*
 * hset.c: a set of byte strings (see hset.h).
 *
 * Slots hold the hash and an offset into one growing byte pool where the
 * keys are stored length-prefixed; so growing the table moves 16-byte
 * slots, never the keys, and freeing is a few free(3) calls.
 *
 * A filter of one bit per byte of slots (a bit per key, from the hash's
 * high half) answers most lookups of absent keys without touching the
 * slots: it is 1/16 of their size and stays in cache while a replay
 * streams through megabytes, where a probe of the slots was a miss to
 * memory for each file of a checkpoint checked against the commits
 * after it.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hset.h"
#include "xmalloc.h"

struct slot {
	uint64_t	 hash;		/* 0: empty (real hashes are made odd) */
	size_t		 off;		/* into pool: size_t length, then bytes */
};

struct hset {
	struct slot	*slots;
	uint64_t	*filter;	/* cap bytes of bits */
	size_t		 cap;		/* power of two */
	size_t		 count;
	unsigned char	*pool;
	size_t		 pool_len;
	size_t		 pool_cap;
};

/*
 * Eight bytes at a time: each word is mixed in with a multiply and a
 * shift, and the result is finalised so its low bits (the slot index)
 * depend on every byte.
 */
static uint64_t
hash(const char *key, size_t len)
{
	uint64_t	 h = 0x9e3779b97f4a7c15ULL ^ len, w;
	size_t		 i;

	for (i = 0; len - i >= 8; i += 8) {
		memcpy(&w, key + i, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
	}
	if (i < len) {
		w = 0;
		memcpy(&w, key + i, len - i);
		h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
		h ^= h >> 32;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h | 1;
}

struct hset *
hset_new(size_t expected)
{
	struct hset	*s;
	size_t		 cap = 64;

	while (cap < expected * 2 && cap < SIZE_MAX / 4)
		cap *= 2;
	s = xcalloc(1, sizeof(*s));
	s->slots = xcalloc(cap, sizeof(*s->slots));
	s->filter = xcalloc(cap / 8, sizeof(*s->filter));
	s->cap = cap;
	return s;
}

void
hset_free(struct hset *s)
{
	if (s == NULL)
		return;
	free(s->slots);
	free(s->filter);
	free(s->pool);
	free(s);
}

static bool
same(const struct hset *s, const struct slot *sl, const char *key,
    size_t len)
{
	size_t	 klen;

	memcpy(&klen, s->pool + sl->off, sizeof(klen));
	return klen == len &&
	    memcmp(s->pool + sl->off + sizeof(klen), key, len) == 0;
}

/* The filter's bit for hash h: its word, and the bit in it. */
static uint64_t *
filter_word(const struct hset *s, uint64_t h, uint64_t *bit)
{
	size_t	 i = (size_t)(h >> 32) & (s->cap * 8 - 1);

	*bit = UINT64_C(1) << (i % 64);
	return &s->filter[i / 64];
}

static void
filter_set(struct hset *s, uint64_t h)
{
	uint64_t	 bit, *w = filter_word(s, h, &bit);

	*w |= bit;
}

/* The slot holding key, or the empty slot where it would go. */
static struct slot *
find(const struct hset *s, uint64_t h, const char *key, size_t len)
{
	size_t	 i = (size_t)h & (s->cap - 1);

	for (;;) {
		struct slot *sl = &s->slots[i];

		if (sl->hash == 0 || (sl->hash == h && same(s, sl, key, len)))
			return sl;
		i = (i + 1) & (s->cap - 1);
	}
}

static void
grow(struct hset *s)
{
	struct slot	*old = s->slots;
	size_t		 oldcap = s->cap, i, j;

	s->cap *= 2;
	s->slots = xcalloc(s->cap, sizeof(*s->slots));
	free(s->filter);
	s->filter = xcalloc(s->cap / 8, sizeof(*s->filter));
	for (i = 0; i < oldcap; i++) {
		if (old[i].hash == 0)
			continue;
		filter_set(s, old[i].hash);
		for (j = (size_t)old[i].hash & (s->cap - 1);
		    s->slots[j].hash != 0; j = (j + 1) & (s->cap - 1))
			;
		s->slots[j] = old[i];
	}
	free(old);
}

bool
hset_add(struct hset *s, const char *key, size_t len)
{
	struct slot	*sl;
	uint64_t	 h = hash(key, len);
	size_t		 need;

	sl = find(s, h, key, len);
	if (sl->hash != 0)
		return false;
	need = sizeof(len) + len;
	if (s->pool_cap - s->pool_len < need) {
		while (s->pool_cap - s->pool_len < need)
			s->pool_cap = s->pool_cap ? s->pool_cap * 2 : 4096;
		s->pool = xreallocarray(s->pool, s->pool_cap, 1);
	}
	memcpy(s->pool + s->pool_len, &len, sizeof(len));
	memcpy(s->pool + s->pool_len + sizeof(len), key, len);
	sl->hash = h;
	sl->off = s->pool_len;
	filter_set(s, h);
	s->pool_len += need;
	if (++s->count * 2 > s->cap)
		grow(s);
	return true;
}

bool
hset_has(const struct hset *s, const char *key, size_t len)
{
	uint64_t	 h = hash(key, len), bit;

	if ((*filter_word(s, h, &bit) & bit) == 0)
		return false;
	return find(s, h, key, len)->hash != 0;
}

size_t
hset_count(const struct hset *s)
{
	return s->count;
}
