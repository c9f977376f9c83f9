/*
 * arena.c: a bump allocator in growing blocks, plus cleanup callbacks.
 *
 * Blocks are chained; a reset keeps the first block (so a steady-state
 * worker does no malloc for small requests) and frees the rest.  Large
 * allocations get a block of their own.  Cleanups run in reverse order of
 * registration, before the memory goes away.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "xmalloc.h"

#define ARENA_BLOCK	(64 * 1024)
#define ARENA_ALIGN	16

struct block {
	struct block	*next;
	size_t		 size;
	size_t		 used;
	/* Offsets are rounded to ARENA_ALIGN, so the base must be too. */
	_Alignas(ARENA_ALIGN) unsigned char data[];
};

struct cleanup {
	struct cleanup	*next;
	arena_cleanup_fn fn;
	void		*arg;
};

struct arena {
	struct block	*head;
	struct block	*first;		/* kept across resets */
	struct cleanup	*cleanups;
	size_t		 total;
};

static struct block *
block_new(size_t size)
{
	struct block	*b;

	b = xmalloc(sizeof(*b) + size);
	b->next = NULL;
	b->size = size;
	b->used = 0;
	return b;
}

struct arena *
arena_new(void)
{
	struct arena	*a;

	a = xcalloc(1, sizeof(*a));
	a->head = a->first = block_new(ARENA_BLOCK);
	return a;
}

static void
run_cleanups(struct arena *a)
{
	struct cleanup	*c;

	/* Cleanups live in the arena's own memory, so only walk them. */
	while ((c = a->cleanups) != NULL) {
		a->cleanups = c->next;
		c->fn(c->arg);
	}
}

void
arena_reset(struct arena *a)
{
	struct block	*b, *next;

	run_cleanups(a);
	/* Keep the first block, free the others. */
	for (b = a->head; b != NULL; b = next) {
		next = b->next;
		if (b != a->first)
			free(b);
	}
	a->head = a->first;
	a->head->next = NULL;
	a->head->used = 0;
	a->total = 0;
}

void
arena_free(struct arena *a)
{
	struct block	*b, *next;

	if (a == NULL)
		return;
	run_cleanups(a);
	for (b = a->head; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	free(a);
}

void *
arena_alloc(struct arena *a, size_t n)
{
	struct block	*b;
	size_t		 off;

	if (n == 0)
		n = 1;
	if (n > SIZE_MAX - ARENA_ALIGN - sizeof(struct block))
		n = SIZE_MAX / 2;	/* xmalloc aborts on this */
	b = a->head;
	off = (b->used + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (off > b->size || b->size - off < n) {
		if (n > ARENA_BLOCK / 4) {
			/* Big: a block of its own, behind the current one. */
			b = block_new(n);
			b->next = a->head->next;
			a->head->next = b;
			b->used = n;
			a->total += n;
			return b->data;
		}
		b = block_new(ARENA_BLOCK);
		b->next = a->head;
		a->head = b;
		off = 0;
	}
	b->used = off + n;
	a->total += n;
	return b->data + off;
}

void *
arena_calloc(struct arena *a, size_t nmemb, size_t size)
{
	void	*p;

	if (size != 0 && nmemb > SIZE_MAX / size)
		nmemb = SIZE_MAX / 2, size = 1;
	p = arena_alloc(a, nmemb * size);
	memset(p, 0, nmemb * size);
	return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char	*p;

	p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list	 ap;
	char	*tmp, *p;

	va_start(ap, fmt);
	tmp = xvasprintf(fmt, ap);
	va_end(ap);
	p = arena_strdup(a, tmp);
	free(tmp);
	return p;
}

void
arena_defer(struct arena *a, arena_cleanup_fn fn, void *arg)
{
	struct cleanup	*c;

	c = arena_alloc(a, sizeof(*c));
	c->fn = fn;
	c->arg = arg;
	c->next = a->cleanups;
	a->cleanups = c;
}

size_t
arena_used(const struct arena *a)
{
	return a->total;
}
