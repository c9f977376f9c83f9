/*
 * u-passwd.c: unit tests for src/passwd.c: the password policy, yescrypt
 * hashing and verification, the dummy path for unknown accounts, and
 * passwd_needs_rehash() for legacy hashes.
 *
 * Hashing is deliberately slow, so this program hashes only a handful of
 * times; the policy cases do not hash at all.
 */
#include "config.h"

#include <crypt.h>
#include <string.h>

#include "err.h"
#include "passwd.h"
#include "tap.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static void
test_policy(void)
{
	static char	 long_ok[PASSWD_MAX + 1], too_long[PASSWD_MAX + 2];
	static const struct {
		const char	*name;
		const char	*pw;
		int		 rc;
		const char	*msg;
	} cases[] = {
		{ "8 bytes", "abcdefgh", 0, NULL },
		{ "7 bytes", "abcdefg", -1, "at least 8" },
		{ "empty", "", -1, "at least 8" },
		{ "four 2-byte characters", "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9",
		    0, NULL },
		{ "three 2-byte characters", "\xc3\xa9\xc3\xa9\xc3\xa9", -1,
		    "at least 8" },
		{ "spaces are fine", "a b c d e", 0, NULL },
		{ "invalid UTF-8", "abcdefg\xff", -1, "UTF-8" },
		{ "overlong UTF-8", "abcdef\xc0\xaf", -1, "UTF-8" },
		{ "surrogate", "abcde\xed\xa0\x80", -1, "UTF-8" },
		{ "1024 bytes", long_ok, 0, NULL },
		{ "1025 bytes", too_long, -1, "longer than 1024" },
	};
	struct err	 e;
	size_t		 i;

	memset(long_ok, 'p', PASSWD_MAX);
	memset(too_long, 'p', PASSWD_MAX + 1);
	for (i = 0; i < NELEM(cases); i++) {
		err_clear(&e);
		is_int(passwd_check_policy(cases[i].pw, &e), cases[i].rc,
		    "policy %s", cases[i].name);
		if (cases[i].rc == -1)
			ok(e.kind == ERR_BAD_PARAM &&
			    strstr(e.msg, cases[i].msg) != NULL,
			    "policy %s: 400 '%s'", cases[i].name, e.msg);
	}
}

static void
test_hash_verify(void)
{
	static const struct {
		const char	*name;
		const char	*pw;
		bool		 match;
	} tries[] = {
		{ "right password", "correct horse battery", true },
		{ "wrong password", "correct horse battery!", false },
		{ "prefix of it", "correct horse", false },
		{ "other case", "Correct horse battery", false },
		{ "empty", "", false },
	};
	char		 h1[PASSWD_HASHMAX], h2[PASSWD_HASHMAX];
	char		 cut[PASSWD_HASHMAX];
	struct err	 e;
	size_t		 i;

	err_clear(&e);
	if (!is_int(passwd_hash(tries[0].pw, h1, &e), 0, "hash (%s)", e.msg))
		bail_out("cannot hash");
	ok(strncmp(h1, "$y$", 3) == 0, "hash is yescrypt: %.12s...", h1);
	ok(!passwd_needs_rehash(h1), "a fresh hash needs no rehash");
	for (i = 0; i < NELEM(tries); i++)
		is_int(passwd_verify(tries[i].pw, h1), tries[i].match,
		    "verify %s", tries[i].name);

	is_int(passwd_hash(tries[0].pw, h2, &e), 0, "second hash");
	ok(strcmp(h1, h2) != 0, "salts differ between hashes");
	ok(passwd_verify(tries[0].pw, h2), "second hash verifies too");

	/* A damaged hash never verifies. */
	memcpy(cut, h1, sizeof(cut));
	cut[strlen(cut) - 1] = '\0';
	ok(!passwd_verify(tries[0].pw, cut), "truncated hash refused");
	memcpy(cut, h1, sizeof(cut));
	cut[strlen(cut) - 1] = cut[strlen(cut) - 1] == 'a' ? 'b' : 'a';
	ok(!passwd_verify(tries[0].pw, cut), "altered hash refused");
}

static void
test_no_hash(void)
{
	static const struct {
		const char	*name;
		const char	*hash;
	} cases[] = {
		{ "NULL (unknown account)", NULL },
		{ "empty", "" },
		{ "locked", "*" },
		{ "not a crypt string", "plaintext" },
		{ "unknown method", "$zz$abc$def" },
	};
	size_t	 i;

	for (i = 0; i < NELEM(cases); i++)
		ok(!passwd_verify("any password", cases[i].hash),
		    "verify against %s: false", cases[i].name);
}

static void
test_rehash(void)
{
	char			 setting[CRYPT_GENSALT_OUTPUT_SIZE];
	struct crypt_data	 cd;
	static const struct {
		const char	*name;
		const char	*hash;
		bool		 rehash;
	} cases[] = {
		{ "garbage", "*", true },
		{ "empty", "", true },
		{ "DES", "abJnggxhB/yWI", true },
	};
	size_t			 i;

	/* A sha512crypt hash made here: it verifies, but is legacy. */
	memset(&cd, 0, sizeof(cd));
	if (crypt_gensalt_rn("$6$", 0, NULL, 0, setting,
	    sizeof(setting)) == NULL ||
	    crypt_rn("legacy password", setting, &cd, sizeof(cd)) == NULL)
		bail_out("cannot make a $6$ hash");
	ok(strncmp(cd.output, "$6$", 3) == 0, "legacy hash is $6$");
	ok(passwd_verify("legacy password", cd.output),
	    "$6$ hash still verifies");
	ok(!passwd_verify("legacy passwore", cd.output),
	    "$6$ hash, wrong password");
	ok(passwd_needs_rehash(cd.output), "$6$ hash needs a rehash");
	for (i = 0; i < NELEM(cases); i++)
		is_int(passwd_needs_rehash(cases[i].hash), cases[i].rehash,
		    "needs_rehash %s", cases[i].name);
}

int
main(void)
{
	test_policy();
	test_hash_verify();
	test_no_hash();
	test_rehash();
	return done_testing();
}
