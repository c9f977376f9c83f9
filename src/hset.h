/*
 * hset.h: a set of byte strings, for log replay's "seen" keys.
 *
 * Open addressing with linear probing over a hash that takes eight bytes
 * at a time; grows at 50% load.  Keys are copied into the set's own storage, which the set frees
 * (it does not use an arena, so a replay of millions of keys does not
 * keep every old table when the set grows).
 */
#ifndef DS_HSET_H
#define DS_HSET_H

#include <stdbool.h>
#include <stddef.h>

struct hset;

struct hset	*hset_new(size_t expected);
void		 hset_free(struct hset *);

/* Add key; true if it was new, false if it was there already. */
bool		 hset_add(struct hset *, const char *key, size_t len);
bool		 hset_has(const struct hset *, const char *key, size_t len);
size_t		 hset_count(const struct hset *);

#endif
