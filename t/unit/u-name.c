/*
 * u-name.c: unit tests for src/name.c, the Delta Sharing name rules.
 *
 * A name is 1 to 255 characters (code points, not bytes) of valid UTF-8
 * with no space, '/', control character or DEL; schema and table names
 * also exclude '.'; "." and ".." are never names.  Each case runs
 * against every kind of name, with the verdict expected per kind.
 */
#include "config.h"

#include <string.h>

#include "buf.h"
#include "err.h"
#include "name.h"
#include "tap.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* Verdict for shares, recipients and accounts vs schemas and tables. */
enum verdict { OK_ALL, BAD_ALL, DOT_KINDS_BAD };

/* A string made of count copies of unit, built at run time. */
struct rep {
	const char	*unit;
	size_t		 count;
	const char	*tail;
};

static void
test_table(void)
{
	static const struct {
		const char	*name;
		const char	*s;		/* or NULL: use rep */
		size_t		 len;		/* 0: strlen */
		struct rep	 rep;
		enum verdict	 v;
		const char	*msg;		/* error mentions */
	} cases[] = {
		{ "simple", "share1", 0, { NULL, 0, NULL }, OK_ALL, NULL },
		{ "mixed case, dash, underscore", "My_Share-2", 0,
		    { NULL, 0, NULL }, OK_ALL, NULL },
		{ "one character", "x", 0, { NULL, 0, NULL }, OK_ALL, NULL },
		{ "UTF-8 letters", "caf\xc3\xa9", 0, { NULL, 0, NULL }, OK_ALL,
		    NULL },
		{ "punctuation allowed", "a:b@c+d%e", 0, { NULL, 0, NULL },
		    OK_ALL, NULL },
		{ "empty", "", 0, { NULL, 0, NULL }, BAD_ALL, "empty" },
		{ "space", "a b", 0, { NULL, 0, NULL }, BAD_ALL, "' '" },
		{ "leading space", " a", 0, { NULL, 0, NULL }, BAD_ALL, "' '" },
		{ "slash", "a/b", 0, { NULL, 0, NULL }, BAD_ALL, "'/'" },
		{ "tab", "a\tb", 0, { NULL, 0, NULL }, BAD_ALL, "control" },
		{ "newline", "a\n", 0, { NULL, 0, NULL }, BAD_ALL, "control" },
		{ "NUL", "a\0b", 3, { NULL, 0, NULL }, BAD_ALL, "control" },
		{ "0x1f", "a\x1f", 0, { NULL, 0, NULL }, BAD_ALL, "control" },
		{ "DEL", "a\x7f", 0, { NULL, 0, NULL }, BAD_ALL, "control" },
		{ "dot inside", "a.b", 0, { NULL, 0, NULL }, DOT_KINDS_BAD,
		    "'.'" },
		{ "dot at end", "a.", 0, { NULL, 0, NULL }, DOT_KINDS_BAD,
		    "'.'" },
		{ "dot", ".", 0, { NULL, 0, NULL }, BAD_ALL, NULL },
		{ "dot dot", "..", 0, { NULL, 0, NULL }, BAD_ALL, NULL },
		{ "three dots", "...", 0, { NULL, 0, NULL }, DOT_KINDS_BAD,
		    "'.'" },
		{ "fullwidth dot U+FF0E", "a\xef\xbc\x8e" "b", 0,
		    { NULL, 0, NULL }, OK_ALL, NULL },
		{ "invalid UTF-8", "a\xff", 0, { NULL, 0, NULL }, BAD_ALL,
		    "UTF-8" },
		{ "overlong dot", "\xc0\xae", 0, { NULL, 0, NULL }, BAD_ALL,
		    "UTF-8" },
		{ "overlong slash", "a\xc0\xaf" "b", 0, { NULL, 0, NULL },
		    BAD_ALL, "UTF-8" },
		{ "surrogate", "\xed\xa0\x80", 0, { NULL, 0, NULL }, BAD_ALL,
		    "UTF-8" },
		{ "truncated sequence", "ab\xe2\x82", 0, { NULL, 0, NULL },
		    BAD_ALL, "UTF-8" },
		{ "255 ASCII", NULL, 0, { "a", 255, NULL }, OK_ALL, NULL },
		{ "256 ASCII", NULL, 0, { "a", 256, NULL }, BAD_ALL,
		    "longer than 255" },
		{ "255 two-byte chars (510 bytes)", NULL, 0,
		    { "\xc3\xa9", 255, NULL }, OK_ALL, NULL },
		{ "256 two-byte chars", NULL, 0, { "\xc3\xa9", 256, NULL },
		    BAD_ALL, "longer than 255" },
		{ "255 four-byte chars (1020 bytes)", NULL, 0,
		    { "\xf0\x9f\x98\x80", 255, NULL }, OK_ALL, NULL },
		{ "254 euro signs and one ASCII", NULL, 0,
		    { "\xe2\x82\xac", 254, "x" }, OK_ALL, NULL },
		{ "255 euro signs and one ASCII", NULL, 0,
		    { "\xe2\x82\xac", 255, "x" }, BAD_ALL, "longer than 255" },
		{ "10000 characters", NULL, 0, { "z", 10000, NULL }, BAD_ALL,
		    "longer than 255" },
		{ "255 chars ending in a space", NULL, 0, { "a", 254, " " },
		    BAD_ALL, "' '" },
	};
	struct buf	 b;
	struct err	 e;
	const char	*s;
	size_t		 i, j, len;
	int		 k, rc, want;
	bool		 nodot;

	buf_init(&b, 0);
	for (i = 0; i < NELEM(cases); i++) {
		if (cases[i].s != NULL) {
			s = cases[i].s;
			len = cases[i].len ? cases[i].len : strlen(s);
		} else {
			buf_reset(&b);
			for (j = 0; j < cases[i].rep.count; j++)
				buf_adds(&b, cases[i].rep.unit);
			if (cases[i].rep.tail != NULL)
				buf_adds(&b, cases[i].rep.tail);
			s = buf_str(&b);
			len = b.len;
		}
		for (k = 0; k < NAME__MAX; k++) {
			nodot = k == NAME_SCHEMA || k == NAME_TABLE;
			want = cases[i].v == OK_ALL ||
			    (cases[i].v == DOT_KINDS_BAD && !nodot) ? 0 : -1;
			err_clear(&e);
			rc = name_check(s, len, (enum name_kind)k, &e);
			is_int(rc, want, "%s name: %s", name_kind_str(k),
			    cases[i].name);
			if (want == 0 || rc == 0)
				continue;
			ok(e.kind == ERR_BAD_PARAM &&
			    strstr(e.msg, name_kind_str(k)) != NULL &&
			    (cases[i].msg == NULL ||
			    strstr(e.msg, cases[i].msg) != NULL),
			    "%s name: %s: 400 saying '%s'", name_kind_str(k),
			    cases[i].name, e.msg);
		}
	}
	buf_release(&b);
}

static void
test_kind_names(void)
{
	static const struct {
		enum name_kind	 k;
		const char	*s;
	} cases[] = {
		{ NAME_SHARE, "share" }, { NAME_SCHEMA, "schema" },
		{ NAME_TABLE, "table" }, { NAME_RECIPIENT, "recipient" },
		{ NAME_ACCOUNT, "account" }, { NAME_CREDENTIAL, "credential" },
	};
	size_t	 i;

	for (i = 0; i < NELEM(cases); i++)
		is_str(name_kind_str(cases[i].k), cases[i].s, "kind %s",
		    cases[i].s);
}

int
main(void)
{
	test_table();
	test_kind_names();
	return done_testing();
}
