/*
 * u-pagetoken.c: unit tests for src/pagetoken.c, the HMAC-protected
 * continuation tokens of list calls.
 *
 * A token must decode only for the list it was made for: same kind,
 * owner and both scope ids, same key.  Any change to its text (each
 * character position, each replacement), truncation, extension or
 * plain garbage must be refused.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "pagetoken.h"
#include "tap.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static const unsigned char key[32] = "page token key, 32 bytes long..";
static const unsigned char key2[32] = "another key for page tokens....";

/* 78 characters: the length of a real token. */
#define ZERO78	"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" \
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
#define BANG78	"!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!" \
		"!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
#define PLUS78	"+++++++++++++++++++++++++++++++++++++++" \
		"+++++++++++++++++++++++++++++++++++++++"

static const struct pagetoken base = {
	PT_TABLES, 42, 7, 9, 123456789, 3, 0, 0
};

static void
test_round_trip(void)
{
	static const struct {
		const char		*name;
		struct pagetoken	 pt;
	} cases[] = {
		{ "tables", { PT_TABLES, 42, 7, 9, 123456789, 3, 0, 0 } },
		{ "shares, zeros", { PT_SHARES, 0, 0, 0, 0, 0, 0, 0 } },
		{ "schemas", { PT_SCHEMAS, 1, 2, 0, 5, 0, 0, 0 } },
		{ "all tables", { PT_ALL_TABLES, 1, 2, 0, 5, 6, 0, 0 } },
		{ "admin list", { PT_ADMIN_LIST, 1, 3, 0, INT64_MAX,
		    INT64_MAX, 0, 0 } },
		{ "negative ids in scope", { PT_TABLES, -1, INT64_MIN, -5, 1,
		    1, 0, 0 } },
	};
	struct arena		*a = arena_new();
	struct pagetoken	 want;
	const char		*s;
	size_t			 i;

	for (i = 0; i < NELEM(cases); i++) {
		s = pagetoken_encode(a, key, sizeof(key), &cases[i].pt);
		ok(strlen(s) < PAGETOKEN_MAXLEN &&
		    strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuv"
		    "wxyz0123456789-_") == strlen(s),
		    "%s: URL-safe and short (%zu)", cases[i].name, strlen(s));
		want = cases[i].pt;
		want.pos1 = want.pos2 = -1;
		is_int(pagetoken_decode(key, sizeof(key), s, &want), 0,
		    "%s: decodes", cases[i].name);
		is_int(want.pos1, cases[i].pt.pos1, "%s: pos1", cases[i].name);
		is_int(want.pos2, cases[i].pt.pos2, "%s: pos2", cases[i].name);
	}
	/* pagetoken_read gives every field back, expiry included. */
	want = base;
	want.pos3 = 77;
	want.expires_ms = 1700000000123;
	s = pagetoken_encode(a, key, sizeof(key), &want);
	{
		struct pagetoken got;

		is_int(pagetoken_read(key, sizeof(key), s, &got), 0,
		    "read: decodes");
		ok(got.kind == base.kind && got.owner == base.owner &&
		    got.scope1 == base.scope1 && got.scope2 == base.scope2 &&
		    got.pos1 == base.pos1 && got.pos2 == base.pos2 &&
		    got.pos3 == 77 && got.expires_ms == 1700000000123,
		    "read: every field");
		is_int(pagetoken_read((const unsigned char *)"another key",
		    11, s, &got), -1, "read: another key");
	}
	/* Negative positions never come out, even with a valid tag. */
	want = base;
	want.pos1 = -1;
	s = pagetoken_encode(a, key, sizeof(key), &want);
	is_int(pagetoken_decode(key, sizeof(key), s, &want), -1,
	    "negative position refused");
	arena_free(a);
}

static void
test_mismatch(void)
{
	static const struct {
		const char		*name;
		struct pagetoken	 want;
		int			 rc;
	} cases[] = {
		{ "same list", { PT_TABLES, 42, 7, 9, 0, 0, 0, 0 }, 0 },
		{ "positions are outputs", { PT_TABLES, 42, 7, 9, 99, 99, 0, 0 }, 0 },
		{ "other kind", { PT_SCHEMAS, 42, 7, 9, 0, 0, 0, 0 }, -1 },
		{ "all-tables instead", { PT_ALL_TABLES, 42, 7, 9, 0, 0, 0, 0 }, -1 },
		{ "other owner", { PT_TABLES, 43, 7, 9, 0, 0, 0, 0 }, -1 },
		{ "other share", { PT_TABLES, 42, 8, 9, 0, 0, 0, 0 }, -1 },
		{ "other schema", { PT_TABLES, 42, 7, 10, 0, 0, 0, 0 }, -1 },
		{ "scopes swapped", { PT_TABLES, 42, 9, 7, 0, 0, 0, 0 }, -1 },
		{ "owner in high bits", { PT_TABLES, 42 | (1LL << 40), 7, 9, 0,
		    0, 0, 0 }, -1 },
	};
	struct arena		*a = arena_new();
	struct pagetoken	 want;
	const char		*s;
	size_t			 i;

	s = pagetoken_encode(a, key, sizeof(key), &base);
	for (i = 0; i < NELEM(cases); i++) {
		want = cases[i].want;
		is_int(pagetoken_decode(key, sizeof(key), s, &want),
		    cases[i].rc, "mismatch %s", cases[i].name);
	}
	want = base;
	is_int(pagetoken_decode(key2, sizeof(key2), s, &want), -1,
	    "other key refused");
	/* (Not sizeof(key) - 1: HMAC pads keys with NUL bytes.) */
	want = base;
	is_int(pagetoken_decode(key + 1, sizeof(key) - 1, s, &want), -1,
	    "shorter key refused");
	arena_free(a);
}

static void
test_tamper(void)
{
	static const char	 alphabet[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	    "=.+/ %\x80";
	struct arena		*a = arena_new();
	struct pagetoken	 want;
	const char		*s;
	char			 t[PAGETOKEN_MAXLEN + 8];
	size_t			 i, j, n, tried = 0, accepted = 0;

	s = pagetoken_encode(a, key, sizeof(key), &base);
	n = strlen(s);
	/* Every position, every other character of the alphabet. */
	for (i = 0; i < n; i++)
		for (j = 0; j < sizeof(alphabet) - 1; j++) {
			if (alphabet[j] == s[i])
				continue;
			memcpy(t, s, n + 1);
			t[i] = alphabet[j];
			want = base;
			tried++;
			if (pagetoken_decode(key, sizeof(key), t, &want) == 0) {
				accepted++;
				diag("accepted with '%c' at %zu: %s",
				    alphabet[j], i, t);
			}
		}
	is_int(accepted, 0, "%zu single-character changes all refused",
	    tried);

	/* Every truncation. */
	for (i = 0, accepted = 0; i < n; i++) {
		memcpy(t, s, i);
		t[i] = '\0';
		want = base;
		if (pagetoken_decode(key, sizeof(key), t, &want) == 0)
			accepted++;
	}
	is_int(accepted, 0, "every truncation refused");

	/* Extensions. */
	{
		static const char *const tails[] = {
			"A", "AA", "AAA", "AAAA", "=", "==", ".", "\n", " ",
		};

		for (i = 0; i < NELEM(tails); i++) {
			snprintf(t, sizeof(t), "%s%s", s, tails[i]);
			want = base;
			is_int(pagetoken_decode(key, sizeof(key), t, &want),
			    -1, "extended by \"%s\" refused", tails[i][0] ==
			    '\n' ? "\\n" : tails[i]);
		}
	}
	arena_free(a);
}

static void
test_garbage(void)
{
	static const struct {
		const char	*name;
		const char	*s;
	} cases[] = {
		{ "empty", "" },
		{ "short", "abc" },
		{ "not base64", BANG78 },
		{ "right length, zeros", ZERO78 },
		{ "standard base64 alphabet", PLUS78 },
		{ "too long", ZERO78 ZERO78 },
		{ "JSON", "{\"pos\":1}" },
		{ "percent-encoded", "%41%41%41%41" },
	};
	struct pagetoken	 want;
	size_t			 i;

	for (i = 0; i < NELEM(cases); i++) {
		want = base;
		is_int(pagetoken_decode(key, sizeof(key), cases[i].s, &want),
		    -1, "garbage %s refused", cases[i].name);
	}
}

int
main(void)
{
	test_round_trip();
	test_mismatch();
	test_tamper();
	test_garbage();
	return done_testing();
}
