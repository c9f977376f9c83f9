/*
 * arena.h: per-request memory arena with cleanup callbacks.
 *
 * Everything a request allocates comes from its arena and is released at
 * once by arena_reset() at the top of the next accept loop.  Foreign
 * resources (PGresult, json-c roots) register a cleanup with arena_defer()
 * when acquired, so a handler that fails half-way cannot leak.
 * Memory returned by arena_* is valid until the next arena_reset() or
 * arena_free().  Secrets do not belong here: a reset does not wipe.
 */
#ifndef DS_ARENA_H
#define DS_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena;

typedef void (*arena_cleanup_fn)(void *);

struct arena	*arena_new(void);
void		 arena_free(struct arena *);
void		 arena_reset(struct arena *);
void		*arena_alloc(struct arena *, size_t);
void		*arena_calloc(struct arena *, size_t, size_t);
char		*arena_strdup(struct arena *, const char *);
char		*arena_strndup(struct arena *, const char *, size_t);
char		*arena_printf(struct arena *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
void		 arena_defer(struct arena *, arena_cleanup_fn, void *);
size_t		 arena_used(const struct arena *);

#endif
