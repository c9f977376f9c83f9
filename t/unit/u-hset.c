/*
 * u-hset.c: unit tests for src/hset.c.
 *
 * Keys of every length around the hash's eight-byte words (so each tail
 * length is hashed), keys that differ in one byte or only in length,
 * keys holding NUL bytes, the empty key, and a set grown from the
 * smallest table to 200,000 keys, whose every key is still found.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "hset.h"
#include "tap.h"

/* Every prefix of a 40-byte string, then the same with a byte changed. */
static void
test_lengths(void)
{
	static const char	 s[] = "date=2024-03-05/region=eu-west-1/part-000";
	char			 t[sizeof(s)];
	struct hset		*h = hset_new(0);
	size_t			 n, bad = 0;

	for (n = 0; n < sizeof(s) - 1; n++)
		if (!hset_add(h, s, n))
			bad++;
	is_int(bad, 0, "every prefix length is a new key");
	is_int(hset_count(h), sizeof(s) - 1, "count of the prefixes");
	for (n = 0; n < sizeof(s) - 1; n++)
		if (hset_add(h, s, n) || !hset_has(h, s, n))
			bad++;
	is_int(bad, 0, "every prefix is there once");
	memcpy(t, s, sizeof(s));
	for (n = 1; n < sizeof(s) - 1; n++) {
		t[n - 1] ^= 1;
		if (hset_has(h, t, n))
			bad++;
		t[n - 1] ^= 1;
	}
	is_int(bad, 0, "a change in the last byte is another key");
	ok(!hset_has(h, "a\0b", 3) && hset_add(h, "a\0b", 3) &&
	    hset_has(h, "a\0b", 3) && !hset_has(h, "a\0c", 3) &&
	    !hset_has(h, "a", 1), "keys may hold NUL bytes");
	hset_free(h);
}

static void
test_grow(void)
{
	struct hset	*h = hset_new(1);
	char		 k[64];
	size_t		 i, bad = 0, n = 200000;
	int		 len;

	for (i = 0; i < n; i++) {
		len = snprintf(k, sizeof(k), "date=2024-%02zu-%02zu/part-%05zu"
		    ".parquet", i % 12, i % 28, i);
		if (!hset_add(h, k, (size_t)len))
			bad++;
	}
	is_int(bad, 0, "200,000 distinct keys are all new");
	is_int(hset_count(h), n, "and counted");
	for (i = 0; i < n; i++) {
		len = snprintf(k, sizeof(k), "date=2024-%02zu-%02zu/part-%05zu"
		    ".parquet", i % 12, i % 28, i);
		if (!hset_has(h, k, (size_t)len) ||
		    hset_has(h, k, (size_t)len - 1))
			bad++;
	}
	is_int(bad, 0, "each is found after the table grew, its prefix not");
	hset_free(h);
	hset_free(NULL);
}

int
main(void)
{
	test_lengths();
	test_grow();
	return done_testing();
}
