/*
 * u-buf-arena.c: unit tests for src/buf.c and src/arena.c.
 *
 * buf: the cap and its overflow flag, NUL termination after every kind
 * of append, reset and detach, writing in place (reserve, advance).
 * arena: alignment of every allocation, big allocations in their own
 * blocks, reuse of the first block after a reset, cleanups run once in
 * reverse order, and arena_printf.
 */
#include "config.h"

#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "tap.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* One step of a buf script: append s (or a formatted number) to a buf. */
enum op { ADD, ADDS, ADDC, ADDF, RESET };

static void
test_buf_cap(void)
{
	static const struct {
		const char	*name;
		size_t		 max;
		enum op		 op;
		const char	*arg;
		int		 rc;
		const char	*want;		/* contents after the step */
		bool		 overflow;
	} steps[] = {
		{ "adds within cap", 8, ADDS, "abc", 0, "abc", false },
		{ "addc within cap", 8, ADDC, "d", 0, "abcd", false },
		{ "addf within cap", 8, ADDF, "42", 0, "abcd42", false },
		{ "add up to the cap", 8, ADD, "xy", 0, "abcd42xy", false },
		{ "addc past the cap", 8, ADDC, "z", -1, "abcd42xy", true },
		{ "adds past the cap", 8, ADDS, "zz", -1, "abcd42xy", true },
		{ "addf past the cap", 8, ADDF, "42", -1, "abcd42xy", true },
		{ "empty add at the cap", 8, ADD, "", 0, "abcd42xy", true },
		{ "reset clears overflow", 8, RESET, NULL, 0, "", false },
		{ "too long at once", 8, ADDS, "123456789", -1, "", true },
		{ "fits after failure", 8, ADDS, "12345678", 0, "12345678",
		    true },
	};
	struct buf	 b;
	size_t		 i;
	int		 rc = 0;

	buf_init(&b, 8);
	is_str(buf_str(&b), "", "buf: empty buf reads as \"\"");
	ok(b.data == NULL, "buf: init does not allocate");
	for (i = 0; i < NELEM(steps); i++) {
		switch (steps[i].op) {
		case ADD:
			rc = buf_add(&b, steps[i].arg, strlen(steps[i].arg));
			break;
		case ADDS:
			rc = buf_adds(&b, steps[i].arg);
			break;
		case ADDC:
			rc = buf_addc(&b, steps[i].arg[0]);
			break;
		case ADDF:
			rc = buf_addf(&b, "%s", steps[i].arg);
			break;
		case RESET:
			buf_reset(&b);
			rc = 0;
			break;
		}
		is_int(rc, steps[i].rc, "buf %s: rc", steps[i].name);
		is_str(buf_str(&b), steps[i].want, "buf %s: contents",
		    steps[i].name);
		is_int(b.len, strlen(steps[i].want), "buf %s: len",
		    steps[i].name);
		is_int(b.overflow, steps[i].overflow, "buf %s: overflow flag",
		    steps[i].name);
		if (b.data != NULL)
			is_int(b.data[b.len], 0, "buf %s: NUL-terminated",
			    steps[i].name);
	}
	buf_release(&b);
	ok(b.data == NULL && b.len == 0 && b.max == 8,
	    "buf: release empties and keeps the cap");
}

static void
test_buf_growth(void)
{
	struct buf	 b;
	char		*s;
	size_t		 i;
	bool		 good = true;

	/* Unlimited: grow well past the first allocation. */
	buf_init(&b, 0);
	for (i = 0; i < 100000; i++)
		if (buf_addc(&b, (char)('a' + i % 26)) != 0)
			good = false;
	ok(good, "buf: 100000 single-byte appends succeed");
	is_int(b.len, 100000, "buf: length after appends");
	ok(b.data[99999] == 'a' + 99999 % 26 && b.data[100000] == '\0',
	    "buf: last byte and terminator");
	ok(b.cap > b.len, "buf: capacity leaves room for the NUL");

	/* Binary data with NUL survives, and len counts it. */
	buf_reset(&b);
	buf_add(&b, "a\0b", 3);
	is_mem(b.data, b.len, "a\0b", 3, "buf: binary append");

	/* A formatted append larger than the first allocation. */
	buf_reset(&b);
	buf_addf(&b, "%0600d", 7);
	is_int(b.len, 600, "buf: long addf length");
	ok(b.data[599] == '7' && b.data[600] == '\0', "buf: long addf tail");

	s = buf_detach(&b);
	ok(strlen(s) == 600 && b.data == NULL && b.len == 0,
	    "buf: detach hands over the string and empties the buf");
	free(s);

	s = buf_detach(&b);
	is_str(s, "", "buf: detach of an empty buf gives \"\"");
	free(s);

	/* SIZE_MAX lengths are refused, not wrapped. */
	buf_init(&b, 0);
	is_int(buf_add(&b, "", SIZE_MAX), -1, "buf: SIZE_MAX add refused");
	ok(b.overflow, "buf: SIZE_MAX add sets overflow");
	buf_release(&b);
}

/* Writing in place: reserve, write, advance; the cap holds. */
static void
test_buf_reserve(void)
{
	struct buf	 b;
	char		*p;

	buf_init(&b, 10);
	buf_adds(&b, "ab");
	p = buf_reserve(&b, 5);
	ok(p == b.data + 2 && b.cap >= 8, "buf: reserve gives room after "
	    "the contents");
	memcpy(p, "cdefg", 5);
	is_int(b.len, 2, "buf: reserved bytes do not count yet");
	buf_advance(&b, 3);
	is_str(buf_str(&b), "abcde", "buf: advance counts and terminates");
	ok(buf_reserve(&b, 6) == NULL && b.overflow && b.len == 5,
	    "buf: reserve past the cap fails, contents kept");
	ok(buf_reserve(&b, 5) != NULL, "buf: reserve up to the cap");
	buf_advance(&b, 0);
	is_str(buf_str(&b), "abcde", "buf: advance by 0 restores the "
	    "terminator");
	buf_release(&b);
}

static size_t	 order[8];
static size_t	 norder;

static void
record(void *arg)
{
	order[norder++] = *(size_t *)arg;
}

static void
test_arena_alloc(void)
{
	static const size_t	 sizes[] = {
		1, 3, 7, 8, 15, 16, 17, 31, 33, 100, 1000, 4095, 4096,
		16383, 16384, 16385, 65535, 65536, 65537, 200000, 0, 1,
	};
	struct arena	*a = arena_new();
	unsigned char	*p[NELEM(sizes)];
	size_t		 i, j, total = 0;
	bool		 aligned = true, intact = true;

	for (i = 0; i < NELEM(sizes); i++) {
		p[i] = arena_alloc(a, sizes[i]);
		if ((uintptr_t)p[i] % alignof(max_align_t) != 0) {
			aligned = false;
			diag("allocation of %zu bytes at %p", sizes[i],
			    (void *)p[i]);
		}
		memset(p[i], (int)i, sizes[i]);
		total += sizes[i] ? sizes[i] : 1;
	}
	ok(aligned, "arena: every allocation aligned to max_align_t (%zu)",
	    alignof(max_align_t));
	/* Nothing overlaps: every block still holds its own byte. */
	for (i = 0; i < NELEM(sizes); i++)
		for (j = 0; j < sizes[i]; j++)
			if (p[i][j] != (unsigned char)i)
				intact = false;
	ok(intact, "arena: allocations do not overlap");
	is_int(arena_used(a), total, "arena: used counts every byte");

	arena_reset(a);
	is_int(arena_used(a), 0, "arena: reset zeroes the count");
	/* The first block is kept: the first small allocation comes back. */
	ok(arena_alloc(a, 1) == p[0], "arena: reset reuses the first block");
	arena_free(a);
}

static void
test_arena_calloc_strings(void)
{
	struct arena	*a = arena_new();
	unsigned char	*z;
	char		*s;
	size_t		 i;
	bool		 zero = true;

	/* Dirty the memory first, so calloc must really clear it. */
	memset(arena_alloc(a, 1024), 0xa5, 1024);
	arena_reset(a);
	z = arena_calloc(a, 128, 8);
	for (i = 0; i < 1024; i++)
		if (z[i] != 0)
			zero = false;
	ok(zero, "arena: calloc memory is zeroed after reuse");

	s = arena_strdup(a, "share");
	is_str(s, "share", "arena: strdup");
	s = arena_strndup(a, "schema.table", 6);
	is_str(s, "schema", "arena: strndup cuts and terminates");
	s = arena_strndup(a, "ab\0cd", 5);
	is_mem(s, 6, "ab\0cd\0", 6, "arena: strndup copies NUL bytes");

	s = arena_printf(a, "%s/%d/%05.1f", "x", -3, 2.25);
	is_str(s, "x/-3/002.2", "arena: printf");
	s = arena_printf(a, "%s", "");
	is_str(s, "", "arena: printf of an empty string");
	s = arena_printf(a, "%0100000d", 1);
	ok(strlen(s) == 100000 && s[99999] == '1',
	    "arena: printf longer than a block");
	arena_free(a);
}

static void
test_arena_cleanups(void)
{
	static size_t	 ids[] = { 1, 2, 3, 4, 5 };
	struct arena	*a = arena_new();
	size_t		 i;

	norder = 0;
	for (i = 0; i < 3; i++)
		arena_defer(a, record, &ids[i]);
	ok(norder == 0, "arena: defer does not run the cleanup");
	arena_reset(a);
	is_int(norder, 3, "arena: reset runs each cleanup once");
	ok(order[0] == 3 && order[1] == 2 && order[2] == 1,
	    "arena: cleanups run in reverse order (%zu %zu %zu)", order[0],
	    order[1], order[2]);

	norder = 0;
	arena_reset(a);
	is_int(norder, 0, "arena: a second reset runs nothing");

	/* Cleanups registered after big allocations still run at free. */
	arena_defer(a, record, &ids[3]);
	arena_alloc(a, 300000);
	arena_defer(a, record, &ids[4]);
	arena_free(a);
	ok(norder == 2 && order[0] == 5 && order[1] == 4,
	    "arena: free runs the cleanups in reverse order");
	arena_free(NULL);
	ok(1, "arena: free(NULL) is a no-op");
}

int
main(void)
{
	test_buf_cap();
	test_buf_growth();
	test_buf_reserve();
	test_arena_alloc();
	test_arena_calloc_strings();
	test_arena_cleanups();
	return done_testing();
}
