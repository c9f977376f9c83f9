/*
 * u-db-cache.c: unit tests for src/db_cache.c.
 *
 * Keys: statement, parameter values, NULL against "" and parameters
 * whose concatenations agree; the age limit; the byte budget (oldest go
 * first, an oversized value is refused); values held by a request
 * outlive their entry until its arena is reset; clear and reconfigure
 * free everything (the value counter ends at zero).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "db_cache.h"
#include "tap.h"

static int	 live;		/* values not yet freed */

struct value {
	int	 n;
};

static void
free_value(void *p)
{
	live--;
	memset(p, 0, sizeof(struct value));
}

static struct value	 vals[64];

static void *
value(int n)
{
	live++;
	vals[n].n = n + 1;
	return &vals[n];
}

/* Look params up; if missing, keep value n (size bytes). */
static int
get(struct db_cache *c, struct arena *a, enum db_stmt id, int np,
    const char *const *p, int64_t now)
{
	struct value	*v = db_cache_get(c, a, id, np, p, now);

	return v == NULL ? 0 : v->n;
}

static void
put(struct db_cache *c, struct arena *a, int n, size_t size, int64_t now)
{
	if (!db_cache_put(c, a, value(n), size, now))
		live--;
}

static void
test_keys(void)
{
	struct db_cache	*c = db_cache_new(free_value);
	struct arena	*a = arena_new();
	const char	*ab[2] = { "a", "b" }, *a_b[2] = { "ab", "" };
	const char	*nul[2] = { "a", NULL }, *empty[2] = { "a", "" };

	db_cache_configure(c, 5, 1 << 20);
	ok(db_cache_enabled(c), "configured: on");
	is_int(get(c, a, STMT_CAT_SHARE, 2, ab, 0), 0, "empty: a miss");
	put(c, a, 0, 100, 0);
	is_int(get(c, a, STMT_CAT_SHARE, 2, ab, 1), 1, "then a hit");
	is_int(get(c, a, STMT_CAT_SCHEMAS, 2, ab, 1), 0,
	    "another statement: a miss");
	put(c, a, 1, 100, 1);
	is_int(get(c, a, STMT_CAT_SHARE, 2, a_b, 1), 0,
	    "same bytes split otherwise: a miss");
	put(c, a, 2, 100, 1);
	is_int(get(c, a, STMT_CAT_SHARE, 2, nul, 1), 0, "NULL: a miss");
	put(c, a, 3, 100, 1);
	is_int(get(c, a, STMT_CAT_SHARE, 2, empty, 1), 0, "'' is not NULL");
	put(c, a, 4, 100, 1);
	ok(get(c, a, STMT_CAT_SHARE, 2, ab, 2) == 1 &&
	    get(c, a, STMT_CAT_SCHEMAS, 2, ab, 2) == 2 &&
	    get(c, a, STMT_CAT_SHARE, 2, a_b, 2) == 3 &&
	    get(c, a, STMT_CAT_SHARE, 2, nul, 2) == 4 &&
	    get(c, a, STMT_CAT_SHARE, 2, empty, 2) == 5,
	    "each key has its own value");
	is_int(db_cache_count(c), 5, "five entries");
	arena_reset(a);
	db_cache_clear(c);
	is_int(db_cache_count(c), 0, "cleared");
	is_int(db_cache_bytes(c), 0, "no bytes held");
	is_int(live, 0, "every value freed");
	db_cache_free(c);
	arena_free(a);
}

static void
test_age(void)
{
	struct db_cache	*c = db_cache_new(free_value);
	struct arena	*a = arena_new();
	const char	*p[1] = { "x" };

	db_cache_configure(c, 2, 1 << 20);
	get(c, a, STMT_TOKEN_LOOKUP, 1, p, 1000000);
	put(c, a, 0, 10, 1000000);
	is_int(get(c, a, STMT_TOKEN_LOOKUP, 1, p, 2999999), 1,
	    "answered just before the age limit");
	is_int(get(c, a, STMT_TOKEN_LOOKUP, 1, p, 3000000), 0,
	    "not at the limit");
	is_int(db_cache_count(c), 0, "and dropped");
	arena_reset(a);
	is_int(live, 0, "its value freed once the request ended");
	db_cache_configure(c, 0, 1 << 20);
	ok(!db_cache_enabled(c), "0 seconds: off");
	is_int(get(c, a, STMT_TOKEN_LOOKUP, 1, p, 0), 0, "off: a miss");
	ok(!db_cache_put(c, a, &vals[0], 10, 0), "off: nothing kept");
	db_cache_free(c);
	arena_free(a);
}

static void
test_budget(void)
{
	struct db_cache	*c = db_cache_new(free_value);
	struct arena	*a = arena_new();
	char		 k[16];
	const char	*p[1] = { k };
	int		 i, found = 0;

	db_cache_configure(c, 60, 8000);
	for (i = 0; i < 20; i++) {
		snprintf(k, sizeof(k), "k%d", i);
		get(c, a, STMT_CAT_SHARES, 1, p, i);
		put(c, a, i, 900, i);
		arena_reset(a);
	}
	ok(db_cache_bytes(c) <= 8000, "never more than the budget (%zu)",
	    db_cache_bytes(c));
	for (i = 0; i < 20; i++) {
		snprintf(k, sizeof(k), "k%d", i);
		if (get(c, a, STMT_CAT_SHARES, 1, p, 30) == i + 1)
			found++;
		else if (i >= 20 - (int)db_cache_count(c))
			found = -100;
	}
	ok(found == (int)db_cache_count(c) && found >= 6,
	    "the newest %d are kept, the oldest went", found);
	is_int(live, (int)db_cache_count(c), "dropped values were freed");
	snprintf(k, sizeof(k), "big");
	get(c, a, STMT_CAT_SHARES, 1, p, 30);
	ok(!db_cache_put(c, a, &vals[63], 2001, 30),
	    "a value over a quarter of the budget is not kept");
	arena_reset(a);
	db_cache_free(c);
	is_int(live, 0, "freeing the cache frees its values");
	arena_free(a);
}

static void
test_held(void)
{
	struct db_cache	*c = db_cache_new(free_value);
	struct arena	*a = arena_new();
	const char	*p[1] = { "x" };
	struct value	*v;

	db_cache_configure(c, 60, 1 << 20);
	get(c, a, STMT_CAT_DATA_TABLE, 1, p, 0);
	put(c, a, 7, 10, 0);
	v = db_cache_get(c, a, STMT_CAT_DATA_TABLE, 1, p, 1);
	db_cache_clear(c);
	ok(v != NULL && v->n == 8 && live == 1,
	    "a value in use outlives its entry");
	is_int(get(c, a, STMT_CAT_DATA_TABLE, 1, p, 1), 0,
	    "but is not found again");
	arena_reset(a);
	is_int(live, 0, "and is freed when the request ends");
	get(c, a, STMT_CAT_DATA_TABLE, 1, p, 2);
	put(c, a, 7, 10, 2);
	db_cache_configure(c, 60, 1 << 20);
	is_int(live, 1, "reconfiguring keeps a held value");
	arena_reset(a);
	is_int(live, 0, "until the request ends");
	db_cache_free(c);
	arena_free(a);
}

int
main(void)
{
	test_keys();
	test_age();
	test_budget();
	test_held();
	return done_testing();
}
