/*
 * u-jsonw-jsonu.c: unit tests for the JSON writer (src/jsonw.c) and the
 * limited json-c parser with typed getters (src/jsonu.c).
 *
 * Writer: RFC 8259 escaping of quotes, backslash and every control
 * character, UTF-8 passed through, commas in nested objects and arrays.
 * Parser: one value only (trailing bytes rejected), UTF-8 checked, depth
 * capped, a clear message for an empty body.  Getters: type checks, NUL
 * inside strings, integer bounds and json-c's clamping of huge literals.
 */
#include "config.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "buf.h"
#include "err.h"
#include "jsonu.h"
#include "jsonw.h"
#include "tap.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static void
test_quote(void)
{
	static const struct {
		const char	*name;
		const char	*in;
		size_t		 len;		/* 0: strlen(in) */
		const char	*out;
	} cases[] = {
		{ "plain", "abc", 0, "\"abc\"" },
		{ "empty", "", 0, "\"\"" },
		{ "quote", "a\"b", 0, "\"a\\\"b\"" },
		{ "backslash", "a\\b", 0, "\"a\\\\b\"" },
		{ "slash not escaped", "a/b", 0, "\"a/b\"" },
		{ "newline", "a\nb", 0, "\"a\\nb\"" },
		{ "CR and tab", "\r\t", 0, "\"\\r\\t\"" },
		{ "backspace and formfeed", "\b\f", 0, "\"\\b\\f\"" },
		{ "NUL", "a\0b", 3, "\"a\\u0000b\"" },
		{ "0x01", "\x01", 0, "\"\\u0001\"" },
		{ "0x1f", "\x1f", 0, "\"\\u001f\"" },
		{ "ESC", "\x1b[0m", 0, "\"\\u001b[0m\"" },
		{ "DEL passes", "\x7f", 0, "\"\x7f\"" },
		{ "UTF-8 passes", "caf\xc3\xa9 \xf0\x9f\x98\x80", 0,
		    "\"caf\xc3\xa9 \xf0\x9f\x98\x80\"" },
		{ "U+2028 passes", "\xe2\x80\xa8", 0, "\"\xe2\x80\xa8\"" },
		{ "all escapes in a row", "\"\\\n\x02", 0,
		    "\"\\\"\\\\\\n\\u0002\"" },
	};
	struct buf	 b;
	size_t		 i, max;

	buf_init(&b, 0);
	for (i = 0; i < NELEM(cases); i++) {
		buf_reset(&b);
		jsonw_quote(&b, cases[i].in, cases[i].len ? cases[i].len :
		    strlen(cases[i].in));
		is_str(buf_str(&b), cases[i].out, "quote %s", cases[i].name);
	}
	buf_release(&b);
	/* A capped buffer: room for the text, not for its worst case. */
	for (i = 0; i < NELEM(cases); i++) {
		max = strlen(cases[i].out) + 2;
		buf_init(&b, max);
		buf_add(&b, "[", 1);
		jsonw_quote(&b, cases[i].in, cases[i].len ? cases[i].len :
		    strlen(cases[i].in));
		buf_add(&b, "]", 1);
		ok(!b.overflow && b.len == max && b.data[0] == '[' &&
		    memcmp(b.data + 1, cases[i].out, max - 2) == 0,
		    "quote %s, filling a capped buffer", cases[i].name);
		buf_release(&b);
	}
	buf_init(&b, 5);
	jsonw_quote(&b, "abcd", 4);
	ok(b.overflow && b.len <= 5, "quote past the cap: overflow");
	buf_release(&b);
}

/* The escaping of RFC 8259, one byte at a time: what jsonw_quote owes. */
static void
quote_ref(struct buf *b, const unsigned char *s, size_t n)
{
	size_t	 i;

	buf_addc(b, '"');
	for (i = 0; i < n; i++) {
		if (s[i] == '"' || s[i] == '\\')
			buf_addf(b, "\\%c", s[i]);
		else if (s[i] == '\n')
			buf_adds(b, "\\n");
		else if (s[i] == '\r')
			buf_adds(b, "\\r");
		else if (s[i] == '\t')
			buf_adds(b, "\\t");
		else if (s[i] == '\b')
			buf_adds(b, "\\b");
		else if (s[i] == '\f')
			buf_adds(b, "\\f");
		else if (s[i] < 0x20)
			buf_addf(b, "\\u%04x", s[i]);
		else
			buf_addc(b, (char)s[i]);
	}
	buf_addc(b, '"');
}

/* Long strings: plain words, and every kind of byte at every offset. */
static void
test_quote_words(void)
{
	static const unsigned char pick[] = { 'a', 'Z', '0', ' ', '"', '\\',
	    '\n', 0x01, 0x1f, 0x20, 0x21, 0x5b, 0x5d, 0x7f, 0x80, 0xc3, 0xa9,
	    0xff, 0x00, 0x22 ^ 0x80, 0x5c ^ 0x80 };
	unsigned char	 in[64];
	struct buf	 got, want, capped;
	unsigned	 seed = 7, bad = 0, bad_capped = 0;
	size_t		 n, i, t;

	buf_init(&got, 0);
	buf_init(&want, 0);
	for (t = 0; t < 20000; t++) {
		n = t % sizeof(in);
		for (i = 0; i < n; i++) {
			seed = seed * 1103515245 + 12345;
			/* Mostly plain text, as stats and URLs are. */
			in[i] = (seed >> 16) % 4 ? (unsigned char)('a' +
			    (seed >> 20) % 26) : pick[(seed >> 16) %
			    sizeof(pick)];
		}
		buf_reset(&got);
		buf_reset(&want);
		jsonw_quote(&got, (const char *)in, n);
		quote_ref(&want, in, n);
		if (got.len != want.len || memcmp(got.data, want.data,
		    got.len) != 0)
			bad++;
		/* Capped to the very length: eight-byte stores fit too. */
		buf_init(&capped, want.len);
		jsonw_quote(&capped, (const char *)in, n);
		if (capped.overflow || capped.len != want.len ||
		    memcmp(capped.data, want.data, want.len) != 0)
			bad_capped++;
		buf_release(&capped);
	}
	is_int(bad, 0, "quote: 20000 strings of up to 63 bytes as the "
	    "byte-by-byte reference");
	is_int(bad_capped, 0, "the same in buffers capped to their length");
	buf_release(&got);
	buf_release(&want);
}

static void
test_keys(void)
{
	struct buf	 b;
	struct jsonw	 w;

	buf_init(&b, 0);
	jsonw_init(&w, &b);
	jsonw_obj_open(&w);
	jsonw_key(&w, "plain");
	jsonw_int(&w, 1);
	jsonw_key(&w, "q\"uote\n");
	jsonw_int(&w, 2);
	jsonw_key(&w, "");
	jsonw_int(&w, 3);
	jsonw_obj_close(&w);
	is_str(buf_str(&b), "{\"plain\":1,\"q\\\"uote\\n\":2,\"\":3}",
	    "keys: plain ones in one go, others escaped");
	buf_release(&b);
	buf_init(&b, 8);
	jsonw_init(&w, &b);
	jsonw_obj_open(&w);
	jsonw_key(&w, "toolong");
	ok(b.overflow && b.len <= 8, "a key past the cap: overflow");
	buf_release(&b);
}

/* A piece written inside objects begun elsewhere. */
static void
test_resume(void)
{
	struct buf	 b;
	struct jsonw	 w;

	buf_init(&b, 0);
	jsonw_resume(&w, &b, 2);
	jsonw_key(&w, "a");
	jsonw_int(&w, 1);
	jsonw_key(&w, "o");
	jsonw_obj_open(&w);
	jsonw_key(&w, "b");
	jsonw_bool(&w, true);
	jsonw_obj_close(&w);
	is_str(buf_str(&b), ",\"a\":1,\"o\":{\"b\":true}",
	    "resumed: each member after a comma, nesting as usual");
	buf_release(&b);
}

static void
test_int(void)
{
	static const int64_t	 v[] = { 0, 7, -7, 10, 1234567890123,
				    INT64_MAX, INT64_MIN, -1 };
	char			 want[32];
	struct buf		 b;
	struct jsonw		 w;
	size_t			 i;

	for (i = 0; i < NELEM(v); i++) {
		buf_init(&b, 0);
		jsonw_init(&w, &b);
		jsonw_int(&w, v[i]);
		snprintf(want, sizeof(want), "%" PRId64, v[i]);
		is_str(buf_str(&b), want, "int %s", want);
		buf_release(&b);
	}
}

/* Writer scripts: one function per document, checked against text. */
static void
doc_nested(struct jsonw *w)
{
	jsonw_obj_open(w);
	jsonw_key(w, "a");
	jsonw_arr_open(w);
	jsonw_int(w, 1);
	jsonw_obj_open(w);
	jsonw_key(w, "b");
	jsonw_null(w);
	jsonw_obj_close(w);
	jsonw_arr_open(w);
	jsonw_arr_close(w);
	jsonw_arr_close(w);
	jsonw_key(w, "c");
	jsonw_obj_open(w);
	jsonw_key(w, "d");
	jsonw_bool(w, true);
	jsonw_key(w, "e");
	jsonw_str(w, "x");
	jsonw_obj_close(w);
	jsonw_key(w, "f");
	jsonw_arr_open(w);
	jsonw_arr_open(w);
	jsonw_int(w, 1);
	jsonw_int(w, 2);
	jsonw_arr_close(w);
	jsonw_arr_open(w);
	jsonw_int(w, 3);
	jsonw_arr_close(w);
	jsonw_arr_close(w);
	jsonw_obj_close(w);
}

static void
doc_scalars(struct jsonw *w)
{
	jsonw_arr_open(w);
	jsonw_int(w, INT64_MIN);
	jsonw_int(w, INT64_MAX);
	jsonw_bool(w, false);
	jsonw_strn(w, "abcdef", 3);
	jsonw_raw(w, "{\"raw\":1}");
	jsonw_str(w, "");
	jsonw_arr_close(w);
}

static void
doc_empty_obj(struct jsonw *w)
{
	jsonw_obj_open(w);
	jsonw_obj_close(w);
}

static void
doc_top_scalar(struct jsonw *w)
{
	jsonw_str(w, "top");
}

static void
doc_keys_after_nested(struct jsonw *w)
{
	jsonw_obj_open(w);
	jsonw_key(w, "k\"1");
	jsonw_obj_open(w);
	jsonw_obj_close(w);
	jsonw_key(w, "k2");
	jsonw_arr_open(w);
	jsonw_arr_close(w);
	jsonw_key(w, "k3");
	jsonw_raw(w, "[1,2]");
	jsonw_obj_close(w);
}

static void
doc_deep(struct jsonw *w)
{
	int	 i;

	for (i = 0; i < JSONW_MAX_DEPTH; i++)
		jsonw_arr_open(w);
	for (i = 0; i < JSONW_MAX_DEPTH; i++)
		jsonw_arr_close(w);
}

static void
test_writer(void)
{
	static const struct {
		const char	*name;
		void		 (*fn)(struct jsonw *);
		const char	*want;
	} docs[] = {
		{ "nested", doc_nested, "{\"a\":[1,{\"b\":null},[]],\"c\":{"
		    "\"d\":true,\"e\":\"x\"},\"f\":[[1,2],[3]]}" },
		{ "scalars", doc_scalars, "[-9223372036854775808,"
		    "9223372036854775807,false,\"abc\",{\"raw\":1},\"\"]" },
		{ "empty object", doc_empty_obj, "{}" },
		{ "top-level scalar", doc_top_scalar, "\"top\"" },
		{ "keys after nested values", doc_keys_after_nested,
		    "{\"k\\\"1\":{},\"k2\":[],\"k3\":[1,2]}" },
		{ "maximum depth", doc_deep, NULL },
	};
	struct jsonw	 w;
	struct buf	 b;
	struct arena	*a = arena_new();
	struct err	 e;
	size_t		 i;

	buf_init(&b, 0);
	for (i = 0; i < NELEM(docs); i++) {
		buf_reset(&b);
		jsonw_init(&w, &b);
		docs[i].fn(&w);
		if (docs[i].want != NULL)
			is_str(buf_str(&b), docs[i].want, "writer %s",
			    docs[i].name);
		is_int(w.depth, 0, "writer %s: balanced", docs[i].name);
		/* Whatever the writer made, our parser takes it back. */
		err_clear(&e);
		ok(jsonu_parse(a, buf_str(&b), b.len, JSONW_MAX_DEPTH + 1,
		    &e) != NULL, "writer %s: output parses (%s)", docs[i].name,
		    e.msg);
		arena_reset(a);
	}
	buf_release(&b);
	arena_free(a);
}

/*
 * What json-c 0.16 accepts although it is not JSON (even with
 * JSON_TOKENER_STRICT), and what is JSON although it looks odd: jsonu
 * checks the syntax itself first (src/jsonv.c).
 */
static void
strictness(struct arena *a)
{
	static const struct {
		const char	*name;
		const char	*text;
		int		 valid;
	} cases[] = {
		{ "single-quoted key", "{'a':1}", 0 },
		{ "single-quoted string", "['a']", 0 },
		{ "NaN", "[NaN]", 0 },
		{ "Infinity", "[-Infinity]", 0 },
		{ "leading plus", "[+1]", 0 },
		{ "leading zero", "[01]", 0 },
		{ "bare dot", "[.5]", 0 },
		{ "trailing dot", "[1.]", 0 },
		{ "empty exponent", "[1e]", 0 },
		{ "hex", "[0x10]", 0 },
		{ "raw tab in a string", "[\"a\tb\"]", 0 },
		{ "raw newline in a string", "[\"a\nb\"]", 0 },
		{ "lone high surrogate", "[\"\\ud800\"]", 0 },
		{ "lone low surrogate", "[\"\\udc00\"]", 0 },
		{ "reversed surrogates", "[\"\\udc00\\ud800\"]", 0 },
		{ "bad escape", "[\"\\x41\"]", 0 },
		{ "short unicode escape", "[\"\\u41\"]", 0 },
		{ "trailing comma in an array", "[1,]", 0 },
		{ "trailing comma in an object", "{\"a\":1,}", 0 },
		{ "missing colon", "{\"a\" 1}", 0 },
		{ "comment", "/* x */ 1", 0 },
		{ "two values", "1 2", 0 },
		{ "capital TRUE", "[TRUE]", 0 },
		{ "surrogate pair", "[\"\\ud83d\\ude00\"]", 1 },
		{ "exponent forms", "[1e5, -0.0e-1, 2E+3]", 1 },
		{ "escapes", "[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"]", 1 },
		{ "whitespace around", " \t\r\n{ } \n", 1 },
	};
	struct err	 e;
	size_t		 i;
	void		*o;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err_clear(&e);
		o = jsonu_parse(a, cases[i].text, strlen(cases[i].text), 4,
		    &e);
		if (cases[i].valid)
			ok(o != NULL, "strict: %s accepted (%s)", cases[i].name,
			    e.msg);
		else
			ok(o == NULL && e.kind == ERR_MALFORMED &&
			    strstr(e.msg, "malformed JSON at byte") != NULL,
			    "strict: %s refused (%s)", cases[i].name, e.msg);
		arena_reset(a);
	}
}

static void
test_parse(void)
{
	static const struct {
		const char	*name;
		const char	*in;
		size_t		 len;		/* 0: strlen(in) */
		int		 depth;
		enum json_type	 type;		/* when accepted */
		const char	*msg;		/* NULL: accepted */
		enum err_kind	 kind;		/* 0: ERR_MALFORMED */
	} cases[] = {
		{ "object", "{\"a\":1}", 0, 4, json_type_object, NULL, 0 },
		{ "whitespace around", " \t\r\n{}\n ", 0, 4,
		    json_type_object, NULL, 0 },
		{ "top-level number", "12", 0, 4, json_type_int, NULL, 0 },
		{ "top-level string", "\"s\"", 0, 4, json_type_string, NULL,
		    0 },
		{ "array", "[1,2]", 0, 4, json_type_array, NULL, 0 },
		{ "duplicate keys (last wins)", "{\"a\":1,\"a\":2}", 0, 4,
		    json_type_object, NULL, 0 },
		{ "empty body", "", 0, 4, 0, "request body is empty", 0 },
		{ "blank body", " \r\n\t ", 0, 4, 0, "request body is empty",
		    0 },
		{ "trailing garbage", "{} x", 0, 4, 0, "trailing", 0 },
		{ "two objects", "{}{}", 0, 4, 0, "trailing", 0 },
		{ "two numbers", "1 2", 0, 4, 0, "trailing", 0 },
		{ "trailing comma", "[1,]", 0, 4, 0, "malformed JSON", 0 },
		{ "NUL after the value", "{}\0", 3, 4, 0, "trailing", 0 },
		{ "NUL inside the body", "{\"a\0\":1}", 8, 4, 0,
		    "malformed JSON", 0 },
		{ "unterminated", "{\"a\":", 0, 4, 0, "unexpected end", 0 },
		{ "comment", "/* c */ {}", 0, 4, 0, "malformed JSON", 0 },
		{ "invalid UTF-8 in string", "{\"a\":\"\xff\"}", 0, 4, 0,
		    "UTF-8", 0 },
		{ "overlong UTF-8 in key", "{\"\xc0\xae\":1}", 0, 4, 0,
		    "UTF-8", 0 },
		{ "surrogate bytes", "\"\xed\xa0\x80\"", 0, 4, 0, "UTF-8", 0 },
		{ "depth at limit", "[[[1]]]", 0, 4, json_type_array, NULL, 0 },
		{ "depth beyond limit", "[[[[1]]]]", 0, 4, 0, "nesting", 0 },
		{ "objects beyond limit", "{\"a\":{\"b\":{\"c\":{}}}}", 0, 3,
		    0, "nesting", 0 },
		{ "deep bomb", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
		    0, JSONU_MAX_DEPTH, 0, "nesting", 0 },
		/* json-c would cut the key at the NUL: name\u0000x to name */
		{ "\\u0000 in a key", "{\"name\\u0000x\":1}", 0, 4, 0, "NUL",
		    ERR_BAD_PARAM },
		{ "\\u0000 in a value", "{\"a\":\"x\\u0000\"}", 0, 4, 0,
		    "NUL", ERR_BAD_PARAM },
		{ "escaped backslash before u0000", "{\"a\":\"\\\\u0000\"}", 0,
		    4, json_type_object, NULL, 0 },
		{ "\\u0001 is fine", "{\"a\":\"\\u0001\"}", 0, 4,
		    json_type_object, NULL, 0 },
	};
	struct arena		*a = arena_new();
	struct json_object	*o;
	struct err		 e;
	size_t			 i, len;

	for (i = 0; i < NELEM(cases); i++) {
		err_clear(&e);
		len = cases[i].len ? cases[i].len : strlen(cases[i].in);
		o = jsonu_parse(a, cases[i].in, len, cases[i].depth, &e);
		if (cases[i].msg == NULL) {
			if (ok(o != NULL, "parse %s: accepted (%s)",
			    cases[i].name, e.msg))
				is_int(json_object_get_type(o), cases[i].type,
				    "parse %s: type", cases[i].name);
		} else {
			ok(o == NULL, "parse %s: rejected", cases[i].name);
			is_int(e.kind, cases[i].kind ? cases[i].kind :
			    ERR_MALFORMED, "parse %s: error kind",
			    cases[i].name);
			ok(strstr(e.msg, cases[i].msg) != NULL,
			    "parse %s: message '%s' mentions '%s'",
			    cases[i].name, e.msg, cases[i].msg);
		}
		arena_reset(a);
	}

	strictness(a);

	err_clear(&e);
	ok(jsonu_parse_object(a, "[]", 2, &e) == NULL &&
	    strstr(e.msg, "must be a JSON object") != NULL,
	    "parse_object: an array is refused (%s)", e.msg);
	err_clear(&e);
	ok(jsonu_parse_object(a, "\"{}\"", 4, &e) == NULL,
	    "parse_object: a string is refused");
	err_clear(&e);
	ok(jsonu_parse_object(a, "{}", 2, &e) != NULL,
	    "parse_object: an object is accepted");
	arena_free(a);
}

static const char doc[] =
    "{\"s\":\"text\",\"u\":\"caf\\u00e9\","
    "\"empty\":\"\",\"n\":5,\"neg\":-7,\"f\":1.5,\"b\":true,"
    "\"bf\":false,\"null\":null,\"arr\":[],\"obj\":{},\"sn\":\"5\","
    "\"max\":9223372036854775807,\"min\":-9223372036854775808,"
    "\"big\":99999999999999999999,\"nbig\":-99999999999999999999,"
    "\"u64\":18446744073709551615,\"max1\":9223372036854775806,"
    "\"exp\":1e3,\"inf\":1e999999,\"zero\":-0}";

enum getter { GET_STR, GET_BOOL, GET_I64 };

static void
test_getters(void)
{
	static const struct {
		const char	*name;
		enum getter	 g;
		const char	*key;
		bool		 required;
		int64_t		 min, max;
		int		 rc;
		bool		 present;
		const char	*str;		/* GET_STR value */
		int64_t		 num;		/* GET_BOOL / GET_I64 value */
		const char	*msg;		/* error mentions, rc -1 */
	} cases[] = {
		{ "string", GET_STR, "s", true, 0, 0, 0, true, "text", 0,
		    NULL },
		{ "string with \\u escape", GET_STR, "u", true, 0, 0, 0, true,
		    "caf\xc3\xa9", 0, NULL },
		{ "empty string", GET_STR, "empty", true, 0, 0, 0, true, "",
		    0, NULL },
		{ "NUL in string", GET_STR, "nul", true, 0, 0, -1, false,
		    NULL, 0, "NUL" },
		{ "number as string", GET_STR, "n", true, 0, 0, -1, false,
		    NULL, 0, "must be a string" },
		{ "null as string, required", GET_STR, "null", true, 0, 0, -1,
		    false, NULL, 0, "missing required" },
		{ "null as string, optional", GET_STR, "null", false, 0, 0, 0,
		    false, NULL, 0, NULL },
		{ "array as string", GET_STR, "arr", false, 0, 0, -1, false,
		    NULL, 0, "must be a string" },
		{ "missing required", GET_STR, "nope", true, 0, 0, -1, false,
		    NULL, 0, "missing required field 'nope'" },
		{ "missing optional", GET_STR, "nope", false, 0, 0, 0, false,
		    NULL, 0, NULL },
		{ "bool true", GET_BOOL, "b", true, 0, 0, 0, true, NULL, 1,
		    NULL },
		{ "bool false", GET_BOOL, "bf", true, 0, 0, 0, true, NULL, 0,
		    NULL },
		{ "string as bool", GET_BOOL, "s", true, 0, 0, -1, false,
		    NULL, 0, "must be a boolean" },
		{ "number as bool", GET_BOOL, "n", true, 0, 0, -1, false,
		    NULL, 0, "must be a boolean" },
		{ "missing bool", GET_BOOL, "nope", false, 0, 0, 0, false,
		    NULL, 0, NULL },
		{ "int", GET_I64, "n", true, 0, 10, 0, true, NULL, 5, NULL },
		{ "negative int", GET_I64, "neg", true, -10, 10, 0, true,
		    NULL, -7, NULL },
		{ "minus zero", GET_I64, "zero", true, 0, 0, 0, true, NULL,
		    0, NULL },
		{ "int at max", GET_I64, "n", true, 0, 5, 0, true, NULL, 5,
		    NULL },
		{ "int above max", GET_I64, "n", true, 0, 4, -1, false, NULL,
		    0, "between 0 and 4" },
		{ "int below min", GET_I64, "neg", true, 0, 10, -1, false,
		    NULL, 0, "between" },
		{ "float", GET_I64, "f", true, INT64_MIN, INT64_MAX, -1, false,
		    NULL, 0, "must be an integer" },
		{ "exponent form", GET_I64, "exp", true, INT64_MIN, INT64_MAX,
		    -1, false, NULL, 0, "must be an integer" },
		{ "1e999999", GET_I64, "inf", true, INT64_MIN, INT64_MAX, -1,
		    false, NULL, 0, "must be an integer" },
		{ "string as int", GET_I64, "sn", true, 0, 10, -1, false,
		    NULL, 0, "must be an integer" },
		{ "bool as int", GET_I64, "b", true, 0, 10, -1, false, NULL,
		    0, "must be an integer" },
		{ "INT64_MAX literal", GET_I64, "max", true, INT64_MIN,
		    INT64_MAX, -1, false, NULL, 0, "between" },
		{ "INT64_MIN literal", GET_I64, "min", true, INT64_MIN,
		    INT64_MAX, -1, false, NULL, 0, "between" },
		{ "INT64_MAX - 1", GET_I64, "max1", true, INT64_MIN,
		    INT64_MAX, 0, true, NULL, INT64_MAX - 1, NULL },
		{ "huge literal clamped", GET_I64, "big", true, INT64_MIN,
		    INT64_MAX, -1, false, NULL, 0, "between" },
		{ "huge negative clamped", GET_I64, "nbig", true, INT64_MIN,
		    INT64_MAX, -1, false, NULL, 0, "between" },
		{ "UINT64_MAX", GET_I64, "u64", true, INT64_MIN, INT64_MAX,
		    -1, false, NULL, 0, "between" },
		{ "missing int", GET_I64, "nope", false, 0, 10, 0, false,
		    NULL, 0, NULL },
		{ "missing int, required", GET_I64, "nope", true, 0, 10, -1,
		    false, NULL, 0, "missing required" },
	};
	struct arena		*a = arena_new();
	struct json_object	*o;
	struct err		 e;
	const char		*s;
	int64_t			 n;
	size_t			 i;
	bool			 bv, present;
	int			 rc = 0;

	err_clear(&e);
	o = jsonu_parse_object(a, doc, strlen(doc), &e);
	if (!ok(o != NULL, "getters: test document parses (%s)", e.msg))
		bail_out("cannot continue without the document");
	/* The parser refuses \u0000, so add a NUL string by hand. */
	json_object_object_add(o, "nul", json_object_new_string_len("a\0b",
	    3));
	for (i = 0; i < NELEM(cases); i++) {
		err_clear(&e);
		s = "untouched";
		n = 12345;
		bv = true;
		present = !cases[i].present;
		switch (cases[i].g) {
		case GET_STR:
			rc = jsonu_get_str(o, cases[i].key, cases[i].required,
			    &s, &e);
			present = s != NULL && strcmp(s, "untouched") != 0;
			break;
		case GET_BOOL:
			rc = jsonu_get_bool(o, cases[i].key, cases[i].required,
			    &bv, &present, &e);
			break;
		case GET_I64:
			rc = jsonu_get_i64(o, cases[i].key, cases[i].required,
			    cases[i].min, cases[i].max, &n, &present, &e);
			break;
		}
		is_int(rc, cases[i].rc, "get %s: rc", cases[i].name);
		is_int(present, cases[i].present, "get %s: present",
		    cases[i].name);
		if (cases[i].rc == -1) {
			is_int(e.kind, ERR_BAD_PARAM, "get %s: 400",
			    cases[i].name);
			ok(strstr(e.msg, cases[i].msg) != NULL &&
			    strstr(e.msg, cases[i].key) != NULL,
			    "get %s: message '%s' names the field",
			    cases[i].name, e.msg);
		} else if (!cases[i].present)
			ok((cases[i].g == GET_STR && strcmp(s, "untouched") ==
			    0) || (cases[i].g == GET_BOOL && bv) ||
			    (cases[i].g == GET_I64 && n == 12345),
			    "get %s: output untouched", cases[i].name);
		else if (cases[i].g == GET_STR)
			is_str(s, cases[i].str, "get %s: value", cases[i].name);
		else if (cases[i].g == GET_BOOL)
			is_int(bv, cases[i].num, "get %s: value",
			    cases[i].name);
		else
			is_int(n, cases[i].num, "get %s: value", cases[i].name);
	}
	arena_free(a);
}

/* Raw JSON copied without whitespace between tokens, strings intact. */
static void
test_raw_compact(void)
{
	static const struct {
		const char	*in;
		const char	*out;
	} cases[] = {
		{ "{\"a\": 1, \"b\" :[ 1 , 2 ]}", "{\"a\":1,\"b\":[1,2]}" },
		{ "{\"k\": \"two  words\\\" \\\\\"}",
		    "{\"k\":\"two  words\\\" \\\\\"}" },
		{ "\t{\r\n}\n", "{}" },
		{ "{\"minReaderVersion\":3}", "{\"minReaderVersion\":3}" },
		{ "", "" },
	};
	struct buf	 b;
	struct jsonw	 w;
	size_t		 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_init(&b, 0);
		jsonw_init(&w, &b);
		jsonw_raw_compact(&w, cases[i].in, strlen(cases[i].in));
		is_str(buf_str(&b), cases[i].out, "raw_compact case %zu", i);
		buf_release(&b);
	}
}

static void
test_only_keys(void)
{
	static const char *const allowed[] = { "name", "comment", NULL };
	static const char *const none[] = { NULL };
	static const struct {
		const char		*name;
		const char		*json;
		const char *const	*allowed;
		int			 rc;
		const char		*msg;
	} cases[] = {
		{ "all known", "{\"name\":1,\"comment\":2}", allowed, 0, NULL },
		{ "subset", "{\"comment\":2}", allowed, 0, NULL },
		{ "empty object", "{}", allowed, 0, NULL },
		{ "empty object, nothing allowed", "{}", none, 0, NULL },
		{ "unknown key", "{\"name\":1,\"owner\":2}", allowed, -1,
		    "unknown field 'owner'" },
		{ "case matters", "{\"Name\":1}", allowed, -1,
		    "unknown field 'Name'" },
		{ "prefix is not a match", "{\"nam\":1}", allowed, -1,
		    "'nam'" },
	};
	struct arena		*a = arena_new();
	struct json_object	*o;
	struct err		 e;
	size_t			 i;
	int			 rc;

	for (i = 0; i < NELEM(cases); i++) {
		err_clear(&e);
		o = jsonu_parse_object(a, cases[i].json, strlen(cases[i].json),
		    &e);
		if (!ok(o != NULL, "only_keys %s: parses", cases[i].name)) {
			arena_reset(a);
			continue;
		}
		rc = jsonu_only_keys(o, cases[i].allowed, &e);
		is_int(rc, cases[i].rc, "only_keys %s: rc", cases[i].name);
		if (cases[i].rc == -1)
			ok(e.kind == ERR_BAD_PARAM &&
			    strstr(e.msg, cases[i].msg) != NULL,
			    "only_keys %s: message '%s'", cases[i].name,
			    e.msg);
		arena_reset(a);
	}
	arena_free(a);
}

int
main(void)
{
	test_quote();
	test_quote_words();
	test_keys();
	test_resume();
	test_int();
	test_writer();
	test_parse();
	test_getters();
	test_only_keys();
	test_raw_compact();
	return done_testing();
}
