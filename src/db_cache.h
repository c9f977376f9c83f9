/*
 * db_cache.h: a worker's memory of catalog reads.
 *
 * The answers of the statements db_stmt.c marks as catalog reads (a
 * bearer token's row, and what a recipient may see), keyed by statement
 * and parameters, so that a read repeated by later requests costs no
 * round trip to PostgreSQL.  Values are opaque here (db.c keeps its
 * results); the cache owns the ones it keeps and frees them with the
 * function given to db_cache_new(), never while a request holds them.
 *
 * Whether the catalog changed is db.c's business (it calls
 * db_cache_clear()); this file bounds age and memory.  An entry older
 * than the configured seconds is not answered.  The entries' sizes (as
 * estimated by the caller, key and bookkeeping added) never add up to
 * more than the byte budget: the oldest go first, and a value larger
 * than a quarter of the budget is not kept.  Memory of entries dropped
 * while a request holds them is freed when that request ends.
 */
#ifndef DS_DB_CACHE_H
#define DS_DB_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db_stmt.h"

struct arena;
struct db_cache;

typedef void (*db_cache_free_fn)(void *);

struct db_cache	*db_cache_new(db_cache_free_fn);
void		 db_cache_free(struct db_cache *);

/* Age limit and budget; either 0 turns the cache off.  Drops it all. */
void		 db_cache_configure(struct db_cache *, int64_t seconds,
		    size_t bytes);
bool		 db_cache_enabled(const struct db_cache *);

/*
 * The value kept for statement id with these n parameters (NULL: SQL
 * NULL) at monotonic time now_us, held until arena a is reset; or NULL,
 * and the key is remembered for db_cache_put().  Counts a lookup in the
 * metrics.
 */
void		*db_cache_get(struct db_cache *, struct arena *,
		    enum db_stmt, int n, const char *const *params,
		    int64_t now_us);

/*
 * Keep value (about size bytes) under the key of the last miss, born at
 * now_us.  true: the cache owns it (held until arena a is reset); false:
 * not kept, the caller still owns it.
 */
bool		 db_cache_put(struct db_cache *, struct arena *,
		    void *value, size_t size, int64_t now_us);

/* Drop every entry. */
void		 db_cache_clear(struct db_cache *);
size_t		 db_cache_count(const struct db_cache *);
size_t		 db_cache_bytes(const struct db_cache *);

#endif
