/*
 * fuzz-pagetoken.c: libFuzzer harness for list continuation tokens.
 *
 * The input, as a string, goes to pagetoken_decode() for a fixed list;
 * a forgery should never decode.  The first 42 bytes, read as the
 * token's fields, are also encoded and decoded again: that round trip
 * must succeed and give back the positions whenever they are not
 * negative.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "pagetoken.h"
#include "xmalloc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const unsigned char key[32] = "fuzz page token key, 32 bytes..";

static int64_t
get64(const uint8_t *p)
{
	uint64_t	 u = 0;
	int		 i;

	for (i = 0; i < 8; i++)
		u = u << 8 | p[i];
	return (int64_t)u;
}

static void
round_trip(const uint8_t *d)
{
	struct pagetoken	 pt, want;
	struct arena		*a = arena_new();
	const char		*s;

	pt.kind = (enum pagetoken_kind)(d[0] % 5 + 1);
	pt.owner = get64(d + 2);
	pt.scope1 = get64(d + 10);
	pt.scope2 = get64(d + 18);
	pt.pos1 = get64(d + 26);
	pt.pos2 = (int64_t)(get64(d + 34) & INT64_MAX);
	pt.pos3 = 0;
	pt.expires_ms = 0;
	s = pagetoken_encode(a, key, sizeof(key), &pt);
	want = pt;
	want.pos1 = want.pos2 = 0;
	if (strlen(s) > PAGETOKEN_MAXLEN)
		abort();
	if (pagetoken_decode(key, sizeof(key), s, &want) == 0) {
		if (pt.pos1 < 0 || want.pos1 != pt.pos1 ||
		    want.pos2 != pt.pos2)
			abort();
	} else if (pt.pos1 >= 0)
		abort();
	arena_free(a);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pagetoken	 want = { PT_TABLES, 42, 7, 9, 0, 0 };
	char			*s;

	s = xmalloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	if (pagetoken_decode(key, sizeof(key), s, &want) == 0 &&
	    (want.pos1 < 0 || want.pos2 < 0))
		abort();
	want.kind = PT_ADMIN_LIST;
	(void)pagetoken_decode(key, sizeof(key) - 1, s, &want);
	if (size >= 42)
		round_trip(data);
	free(s);
	return 0;
}
