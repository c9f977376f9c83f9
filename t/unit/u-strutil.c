/*
 * u-strutil.c: unit tests for src/strutil.c: percent-coding, bounded
 * integer parsing, UTF-8 validation and sanitising, base64url, hex and
 * ISO-8601 time formatting.
 *
 * Every group is a table of named cases; the expected values were
 * worked out by hand from the RFCs (3986, 3629, 4648), not by running
 * the code under test.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "strutil.h"
#include "tap.h"
#include "xmalloc.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static void
test_pct_decode(void)
{
	static const struct {
		const char	*name;
		const char	*in;
		bool		 plus;
		long		 want;		/* length, or -1 */
		const char	*out;
	} cases[] = {
		{ "plain", "share1", false, 6, "share1" },
		{ "empty", "", false, 0, "" },
		{ "upper hex", "%41%42", false, 2, "AB" },
		{ "lower hex", "%6a%6B", false, 2, "jk" },
		{ "slash", "a%2Fb", false, 3, "a/b" },
		{ "space %20", "a%20b", false, 3, "a b" },
		{ "plus kept in paths", "a+b", false, 3, "a+b" },
		{ "plus is space in queries", "a+b", true, 3, "a b" },
		{ "%2B stays plus", "a%2Bb", true, 3, "a+b" },
		{ "NUL", "a%00b", false, 3, "a\0b" },
		{ "UTF-8 bytes", "%C3%A9", false, 2, "\xc3\xa9" },
		{ "double encoding once", "%252e", false, 3, "%2e" },
		{ "bad hex digit", "%G1", false, -1, NULL },
		{ "bad second digit", "%1g", false, -1, NULL },
		{ "truncated at end", "ab%4", false, -1, NULL },
		{ "lone percent", "%", false, -1, NULL },
		{ "percent at end", "abc%", false, -1, NULL },
		{ "sign is not hex", "%+1", false, -1, NULL },
		{ "space is not hex", "% 1", false, -1, NULL },
	};
	char	 out[64];
	size_t	 i;
	long	 n;

	for (i = 0; i < NELEM(cases); i++) {
		memset(out, 'X', sizeof(out));
		n = str_pct_decode(cases[i].in, strlen(cases[i].in), out,
		    cases[i].plus);
		is_int(n, cases[i].want, "pct_decode %s: length",
		    cases[i].name);
		if (cases[i].want >= 0) {
			is_mem(out, (size_t)n, cases[i].out,
			    (size_t)cases[i].want, "pct_decode %s: bytes",
			    cases[i].name);
			is_int(out[n], 0, "pct_decode %s: NUL-terminated",
			    cases[i].name);
		}
	}
	/* The length bound is honoured: the tail after len is not read. */
	n = str_pct_decode("ab%41", 2, out, false);
	ok(n == 2 && strcmp(out, "ab") == 0, "pct_decode stops at len");
	n = str_pct_decode("ab%41", 4, out, false);
	is_int(n, -1, "pct_decode: escape cut by len is malformed");
}

static void
test_pct_encode(void)
{
	static const struct {
		const char	*name;
		const char	*in;
		const char	*out;
	} cases[] = {
		{ "unreserved", "aZ09-_.~", "aZ09-_.~" },
		{ "space and slash", "a b/c", "a%20b%2Fc" },
		{ "percent", "100%", "100%25" },
		{ "UTF-8", "\xc3\xa9", "%C3%A9" },
		{ "empty", "", "" },
	};
	struct arena	*a = arena_new();
	size_t		 i;

	for (i = 0; i < NELEM(cases); i++)
		is_str(str_pct_encode(a, cases[i].in, ""), cases[i].out,
		    "pct_encode %s", cases[i].name);
	arena_free(a);
}

static void
test_parse_i64(void)
{
	static const struct {
		const char	*name;
		const char	*in;
		int64_t		 min, max;
		int		 rc;
		int		 err;
		int64_t		 want;
	} cases[] = {
		{ "zero", "0", 0, 10, 0, 0, 0 },
		{ "ten", "10", 0, 10, 0, 0, 10 },
		{ "above max", "11", 0, 10, -1, ERANGE, 0 },
		{ "below min", "-1", 0, 10, -1, ERANGE, 0 },
		{ "negative ok", "-5", -10, 10, 0, 0, -5 },
		{ "minus zero", "-0", 0, 0, 0, 0, 0 },
		{ "leading zeros", "007", 0, 10, 0, 0, 7 },
		{ "INT64_MAX", "9223372036854775807", INT64_MIN, INT64_MAX,
		    0, 0, INT64_MAX },
		{ "INT64_MIN", "-9223372036854775808", INT64_MIN, INT64_MAX,
		    0, 0, INT64_MIN },
		{ "INT64_MAX + 1", "9223372036854775808", INT64_MIN,
		    INT64_MAX, -1, ERANGE, 0 },
		{ "INT64_MIN - 1", "-9223372036854775809", INT64_MIN,
		    INT64_MAX, -1, ERANGE, 0 },
		{ "2^64", "18446744073709551616", INT64_MIN, INT64_MAX, -1,
		    ERANGE, 0 },
		{ "many digits", "99999999999999999999999999999999", 0,
		    INT64_MAX, -1, ERANGE, 0 },
		{ "overflow then garbage", "99999999999999999999x", 0,
		    INT64_MAX, -1, EINVAL, 0 },
		{ "empty", "", 0, 10, -1, EINVAL, 0 },
		{ "minus alone", "-", -10, 10, -1, EINVAL, 0 },
		{ "plus sign", "+5", 0, 10, -1, EINVAL, 0 },
		{ "leading space", " 5", 0, 10, -1, EINVAL, 0 },
		{ "trailing space", "5 ", 0, 10, -1, EINVAL, 0 },
		{ "trailing newline", "5\n", 0, 10, -1, EINVAL, 0 },
		{ "garbage", "abc", 0, 10, -1, EINVAL, 0 },
		{ "digits then garbage", "12ab", 0, 100, -1, EINVAL, 0 },
		{ "hex", "0x10", 0, 100, -1, EINVAL, 0 },
		{ "double minus", "--1", -10, 10, -1, EINVAL, 0 },
		{ "decimal point", "1.5", 0, 10, -1, EINVAL, 0 },
		{ "exponent", "1e3", 0, 10000, -1, EINVAL, 0 },
	};
	int64_t	 v;
	size_t	 i;
	int	 rc;

	for (i = 0; i < NELEM(cases); i++) {
		v = -42;
		errno = 0;
		rc = str_parse_i64(cases[i].in, cases[i].min, cases[i].max,
		    &v);
		is_int(rc, cases[i].rc, "parse_i64 %s: rc", cases[i].name);
		if (cases[i].rc == 0)
			is_int(v, cases[i].want, "parse_i64 %s: value",
			    cases[i].name);
		else
			is_int(errno, cases[i].err, "parse_i64 %s: errno",
			    cases[i].name);
	}
}

static void
test_parse_size(void)
{
	static const struct {
		const char	*in;
		int64_t		 max;
		int		 rc;
		int64_t		 want;
	} cases[] = {
		{ "0", 100, 0, 0 },
		{ "4096", 1 << 20, 0, 4096 },
		{ "4k", 1 << 20, 0, 4096 },
		{ "4K", 1 << 20, 0, 4096 },
		{ "3M", 1LL << 40, 0, 3LL << 20 },
		{ "128m", 1LL << 40, 0, 128LL << 20 },
		{ "2G", 1LL << 40, 0, 2LL << 30 },
		{ "1025K", 1 << 20, -1, 0 },
		{ "9223372036854775807G", INT64_MAX, -1, 0 },
		{ "K", 100, -1, 0 },
		{ "", 100, -1, 0 },
		{ "-1K", 100, -1, 0 },
		{ "1T", 1LL << 40, -1, 0 },
		{ "1 M", 1LL << 40, -1, 0 },
		{ "1MB", 1LL << 40, -1, 0 },
		{ "1.5G", 1LL << 40, -1, 0 },
	};
	int64_t	 v;
	size_t	 i;

	for (i = 0; i < NELEM(cases); i++) {
		v = -42;
		is_int(str_parse_size(cases[i].in, 0, cases[i].max, &v),
		    cases[i].rc, "parse_size '%s': rc", cases[i].in);
		if (cases[i].rc == 0)
			is_int(v, cases[i].want, "parse_size '%s': value",
			    cases[i].in);
	}
}

static void
test_utf8_valid(void)
{
	static const struct {
		const char	*name;
		const char	*s;
		size_t		 len;
		bool		 valid;
		size_t		 chars;		/* when valid */
	} cases[] = {
		{ "empty", "", 0, true, 0 },
		{ "ASCII", "abc", 3, true, 3 },
		{ "NUL is a character", "a\0b", 3, true, 3 },
		{ "2-byte e-acute", "\xc3\xa9", 2, true, 1 },
		{ "3-byte euro", "\xe2\x82\xac", 3, true, 1 },
		{ "4-byte U+1F600", "\xf0\x9f\x98\x80", 4, true, 1 },
		{ "U+10FFFF", "\xf4\x8f\xbf\xbf", 4, true, 1 },
		{ "U+FFFF", "\xef\xbf\xbf", 3, true, 1 },
		{ "U+D7FF", "\xed\x9f\xbf", 3, true, 1 },
		{ "U+E000", "\xee\x80\x80", 3, true, 1 },
		{ "overlong '/' 2 bytes", "\xc0\xaf", 2, false, 0 },
		{ "overlong '.' 2 bytes", "\xc0\xae", 2, false, 0 },
		{ "overlong c1", "\xc1\xbf", 2, false, 0 },
		{ "overlong 3 bytes", "\xe0\x80\xaf", 3, false, 0 },
		{ "overlong U+07FF in 3", "\xe0\x9f\xbf", 3, false, 0 },
		{ "overlong 4 bytes", "\xf0\x80\x80\xaf", 4, false, 0 },
		{ "overlong U+FFFF in 4", "\xf0\x8f\xbf\xbf", 4, false, 0 },
		{ "surrogate D800", "\xed\xa0\x80", 3, false, 0 },
		{ "surrogate DFFF", "\xed\xbf\xbf", 3, false, 0 },
		{ "U+110000", "\xf4\x90\x80\x80", 4, false, 0 },
		{ "F5 lead", "\xf5\x80\x80\x80", 4, false, 0 },
		{ "FF byte", "\xff", 1, false, 0 },
		{ "lone continuation", "\x80", 1, false, 0 },
		{ "truncated 2", "a\xc3", 2, false, 0 },
		{ "truncated 3", "\xe2\x82", 2, false, 0 },
		{ "truncated 4", "\xf0\x9f\x98", 3, false, 0 },
		{ "bad continuation", "\xc3\x28", 2, false, 0 },
		{ "len cuts a sequence", "\xc3\xa9", 1, false, 0 },
		/* Past and across the eight-byte ASCII steps. */
		{ "16 ASCII", "abcdefghijklmnop", 16, true, 16 },
		{ "bad byte after 8 ASCII", "abcdefgh\xff", 9, false, 0 },
		{ "bad byte at 15", "abcdefghijklmno\x80", 16, false, 0 },
		{ "euro across the step", "abcdef\xe2\x82\xacxyz", 12, true, 10 },
		{ "truncated after 8", "abcdefgh\xe2\x82", 10, false, 0 },
		{ "surrogate after 16", "abcdefghijklmnop\xed\xa0\x80", 19,
		    false, 0 },
		{ "len cuts before a bad byte", "abcdefgh\xff", 8, true, 8 },
		/* NUL (text_valid says no) in and after the steps. */
		{ "NUL after 8 ASCII", "abcdefgh\0", 9, true, 9 },
		{ "NUL at 3 of 16", "abc\0efghijklmnop", 16, true, 16 },
		{ "NUL at 7, 0x01 below", "\x01\x01\x01\x01\x01\x01\x01\0", 8,
		    true, 8 },
		{ "0x01 and 0x7f bytes", "\x01\x7f\x01\x7f\x01\x7f\x01\x7fz",
		    9, true, 9 },
	};
	size_t	 i;

	for (i = 0; i < NELEM(cases); i++) {
		is_int(str_utf8_valid(cases[i].s, cases[i].len),
		    cases[i].valid, "utf8_valid %s", cases[i].name);
		is_int(str_text_valid(cases[i].s, cases[i].len),
		    cases[i].valid && memchr(cases[i].s, '\0',
		    cases[i].len) == NULL, "text_valid %s", cases[i].name);
		if (cases[i].valid)
			is_int(str_utf8_len(cases[i].s, cases[i].len),
			    cases[i].chars, "utf8_len %s", cases[i].name);
	}
}

/* Code points at the edges of each UTF-8 length. */
static void
test_utf8_put(void)
{
	static const struct {
		uint32_t	 cp;
		const char	*want;
	} cases[] = {
		{ 0x41, "A" }, { 0x7f, "\x7f" }, { 0x80, "\xc2\x80" },
		{ 0xe9, "\xc3\xa9" }, { 0x7ff, "\xdf\xbf" },
		{ 0x800, "\xe0\xa0\x80" }, { 0xffff, "\xef\xbf\xbf" },
		{ 0x10000, "\xf0\x90\x80\x80" },
		{ 0x1f600, "\xf0\x9f\x98\x80" },
		{ 0x10ffff, "\xf4\x8f\xbf\xbf" },
	};
	char	 out[4];
	size_t	 i, n;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		n = str_utf8_put(out, cases[i].cp);
		is_mem(out, n, cases[i].want, strlen(cases[i].want),
		    "utf8_put: U+%04X", (unsigned)cases[i].cp);
	}
}

/* Each special byte at every offset of a 24-byte string, words or tail. */
static void
test_json_plain(void)
{
	static const unsigned char specials[] = { '"', '\\', 0x00, 0x01,
	    0x1f };
	static const unsigned char plain[] = { ' ', 'a', 0x7f, 0x80, 0xc3,
	    0xff, '!', '#', '[', ']' };
	char		 s[24];
	size_t		 i, k, bad = 0;

	for (k = 0; k < sizeof(specials); k++)
		for (i = 0; i < sizeof(s); i++) {
			memset(s, 'x', sizeof(s));
			s[i] = (char)specials[k];
			if (str_json_plain(s, sizeof(s)) != i)
				bad++;
		}
	is_int(bad, 0, "json_plain: a quote, backslash or control byte found "
	    "at every offset");
	for (k = 0; k < sizeof(s); k++)
		s[k] = (char)plain[k % sizeof(plain)];
	is_int(str_json_plain(s, sizeof(s)), sizeof(s),
	    "json_plain: 0x20, 0x7f and bytes from 0x80 are plain");
	is_int(str_json_plain(s, 0), 0, "json_plain: empty");
	memcpy(s, "abcdefgh\"", 9);
	is_int(str_json_plain(s, 8), 8, "json_plain: stops at n");
}

static void
test_utf8_sanitize(void)
{
	static const struct {
		const char	*name;
		const char	*in;
		const char	*out;
	} cases[] = {
		{ "valid untouched", "caf\xc3\xa9 \xe2\x82\xac", "caf\xc3\xa9 "
		    "\xe2\x82\xac" },
		{ "lone byte", "a\xff" "b", "a?b" },
		{ "overlong", "\xc0\xaf", "??" },
		{ "surrogate", "x\xed\xa0\x80", "x???" },
		{ "truncated at end", "ab\xe2\x82", "ab??" },
		{ "continuation alone", "\x80\x80", "??" },
		{ "empty", "", "" },
	};
	char	*s;
	size_t	 i;

	for (i = 0; i < NELEM(cases); i++) {
		s = xstrdup(cases[i].in);
		str_utf8_sanitize(s);
		is_str(s, cases[i].out, "utf8_sanitize %s", cases[i].name);
		ok(str_utf8_valid(s, strlen(s)), "utf8_sanitize %s: valid "
		    "after", cases[i].name);
		free(s);
	}
}

static void
test_b64url(void)
{
	static const struct {
		const char	*name;
		const char	*raw;
		size_t		 len;
		const char	*enc;
	} vec[] = {
		/* RFC 4648 section 10, without padding. */
		{ "empty", "", 0, "" },
		{ "f", "f", 1, "Zg" },
		{ "fo", "fo", 2, "Zm8" },
		{ "foo", "foo", 3, "Zm9v" },
		{ "foob", "foob", 4, "Zm9vYg" },
		{ "fooba", "fooba", 5, "Zm9vYmE" },
		{ "foobar", "foobar", 6, "Zm9vYmFy" },
		{ "url alphabet", "\xfb\xff\xbf", 3, "-_-_" },
		{ "NUL bytes", "\0\0\0\0", 4, "AAAAAA" },
	};
	static const struct {
		const char	*name;
		const char	*in;
		size_t		 len;		/* 0: strlen(in) */
		long		 want;		/* decoded length or -1 */
		const char	*out;
	} dec[] = {
		{ "padded 2", "Zg==", 0, 1, "f" },
		{ "padded 1", "Zm8=", 0, 2, "fo" },
		{ "unpadded 3 chars", "Zm8", 0, 2, "fo" },
		{ "standard alphabet +", "+/+/", 0, -1, NULL },
		{ "space", "Zm9 v", 0, -1, NULL },
		{ "dot", "Zm9v.", 0, -1, NULL },
		{ "NUL byte", "Zm\0v", 4, -1, NULL },
		{ "len % 4 == 1", "Zm9vY", 0, -1, NULL },
		{ "single char", "Z", 0, -1, NULL },
		{ "non-canonical 2 chars", "Zh", 0, -1, NULL },
		{ "non-canonical 3 chars", "Zm9", 0, -1, NULL },
		{ "non-canonical 3 chars, url char", "Zm-", 0, -1, NULL },
		{ "three pads", "Zg===", 0, -1, NULL },
		{ "pad in the middle", "Zg==Zg", 0, -1, NULL },
		{ "pad after a full group", "Zm9v=", 0, -1, NULL },
		{ "two pads after a full group", "Zm9v==", 0, -1, NULL },
		{ "one pad short", "Zg=", 0, -1, NULL },
		{ "two pads too many", "Zm8==", 0, -1, NULL },
		{ "only padding", "==", 0, -1, NULL },
	};
	unsigned char	 raw[256], back[256 + 3];
	char		 enc[4 * ((256 + 2) / 3) + 1];
	size_t		 i, n;
	long		 r;

	for (i = 0; i < NELEM(vec); i++) {
		n = str_b64url_encode((const unsigned char *)vec[i].raw,
		    vec[i].len, enc);
		is_str(enc, vec[i].enc, "b64url_encode %s", vec[i].name);
		is_int(n, strlen(vec[i].enc), "b64url_encode %s: length",
		    vec[i].name);
		r = str_b64url_decode(vec[i].enc, strlen(vec[i].enc), back);
		is_mem(back, r < 0 ? 0 : (size_t)r, vec[i].raw, vec[i].len,
		    "b64url_decode %s", vec[i].name);
	}
	for (i = 0; i < NELEM(dec); i++) {
		n = dec[i].len != 0 ? dec[i].len : strlen(dec[i].in);
		r = str_b64url_decode(dec[i].in, n, back);
		is_int(r, dec[i].want, "b64url_decode %s", dec[i].name);
		if (dec[i].want > 0)
			is_mem(back, (size_t)r, dec[i].out,
			    (size_t)dec[i].want, "b64url_decode %s: bytes",
			    dec[i].name);
	}
	/* Round trip every length up to 256 over all byte values. */
	for (i = 0; i < sizeof(raw); i++)
		raw[i] = (unsigned char)(i * 37 + 11);
	for (n = 0; n <= sizeof(raw); n++) {
		size_t	 elen = str_b64url_encode(raw, n, enc);

		r = str_b64url_decode(enc, elen, back);
		if (r != (long)n || memcmp(raw, back, n) != 0)
			break;
		if (elen != 4 * n / 3 + (n % 3 != 0))
			break;
	}
	is_int(n, sizeof(raw) + 1, "b64url round trip of lengths 0..256");
}

static void
test_hex(void)
{
	static const struct {
		const char	*name;
		const char	*raw;
		size_t		 len;
		const char	*hex;
	} cases[] = {
		{ "empty", "", 0, "" },
		{ "NUL", "\0", 1, "00" },
		{ "mixed", "\x01\xab\xff\x10", 4, "01abff10" },
	};
	char	 out[16];
	size_t	 i;

	for (i = 0; i < NELEM(cases); i++) {
		memset(out, 'X', sizeof(out));
		str_hex((const unsigned char *)cases[i].raw, cases[i].len, out);
		is_str(out, cases[i].hex, "hex %s", cases[i].name);
	}
}

static void
test_iso8601(void)
{
	static const struct {
		const char	*name;
		int64_t		 ms;
		const char	*want;
	} cases[] = {
		{ "epoch", 0, "1970-01-01T00:00:00.000Z" },
		{ "millis", 1, "1970-01-01T00:00:00.001Z" },
		{ "2001-09-09", 1000000000123LL, "2001-09-09T01:46:40.123Z" },
		{ "leap day", 951782400999LL, "2000-02-29T00:00:00.999Z" },
		{ "before epoch by 1 ms", -1, "1969-12-31T23:59:59.999Z" },
		{ "before epoch by 1 s", -1000, "1969-12-31T23:59:59.000Z" },
		{ "before epoch by 1.5 s", -1500, "1969-12-31T23:59:58.500Z" },
		{ "year 9999", 253402300799999LL, "9999-12-31T23:59:59.999Z" },
	};
	char	 out[32];
	size_t	 i;

	for (i = 0; i < NELEM(cases); i++) {
		str_iso8601_ms(cases[i].ms, out, sizeof(out));
		is_str(out, cases[i].want, "iso8601 %s", cases[i].name);
	}
	/* Extremes must not crash or overflow; any output is fine. */
	str_iso8601_ms(INT64_MAX, out, sizeof(out));
	ok(strlen(out) < sizeof(out), "iso8601 INT64_MAX gives a string");
	str_iso8601_ms(INT64_MIN, out, sizeof(out));
	ok(strlen(out) < sizeof(out), "iso8601 INT64_MIN gives a string");
}

static void
test_parse_iso8601(void)
{
	static const struct {
		const char	*s;
		int		 rc;
		int64_t		 ms;
	} cases[] = {
		{ "1970-01-01T00:00:00Z", 0, 0 },
		{ "1970-01-01T00:00Z", 0, 0 },
		{ "1970-01-01t00:00:00.1z", 0, 100 },
		{ "2001-09-09T01:46:40.123Z", 0, 1000000000123LL },
		{ "2001-09-09T01:46:40.123456789Z", 0, 1000000000123LL },
		{ "2001-09-09T03:46:40.123+02:00", 0, 1000000000123LL },
		{ "2001-09-08T23:46:40.123-02:00", 0, 1000000000123LL },
		{ "2000-02-29T00:00:00.999Z", 0, 951782400999LL },
		{ "1969-12-31T23:59:59.999Z", 0, -1 },
		{ "9999-12-31T23:59:59.999Z", 0, 253402300799999LL },
		{ "2001-02-29T00:00:00Z", -1, 0 },
		{ "2001-13-01T00:00:00Z", -1, 0 },
		{ "2001-01-01 00:00:00Z", -1, 0 },
		{ "2001-01-01T24:00:00Z", -1, 0 },
		{ "2001-01-01T00:60:00Z", -1, 0 },
		{ "2001-01-01T00:00:00", -1, 0 },
		{ "2001-01-01T00:00:00.Z", -1, 0 },
		{ "2001-01-01T00:00:00.1234567890Z", -1, 0 },
		{ "2001-01-01T00:00:00+19:00", -1, 0 },
		{ "2001-01-01T00:00:00+0100", -1, 0 },
		{ "2001-01-01T00:00:00Zjunk", -1, 0 },
		{ "2001-01-01", -1, 0 },
		{ "", -1, 0 },
		{ "1234567890123", -1, 0 },
	};
	int64_t	 ms;
	size_t	 i;

	for (i = 0; i < NELEM(cases); i++) {
		ms = 0;
		is_int(str_parse_iso8601(cases[i].s, &ms), cases[i].rc,
		    "parse_iso8601 '%s' %s", cases[i].s,
		    cases[i].rc == 0 ? "parses" : "is refused");
		if (cases[i].rc == 0)
			ok(ms == cases[i].ms, "parse_iso8601 '%s' value",
			    cases[i].s);
	}
}

static void
test_civil(void)
{
	int64_t	 days, y;
	int	 m, d, bad = 0;

	for (days = -800000; days <= 3000000; days += 7) {
		str_civil(days, &y, &m, &d);
		if (str_days_from_civil(y, m, d) != days)
			bad++;
	}
	is_int(bad, 0, "civil and days_from_civil round-trip 3.8M days");
	str_civil(0, &y, &m, &d);
	ok(y == 1970 && m == 1 && d == 1, "civil 0 is 1970-01-01");
	str_civil(-1, &y, &m, &d);
	ok(y == 1969 && m == 12 && d == 31, "civil -1 is 1969-12-31");
	str_civil(INT64_MAX, &y, &m, &d);
	ok(m >= 1 && m <= 12 && d >= 1 && d <= 31, "civil INT64_MAX clamps");
	str_civil(INT64_MIN, &y, &m, &d);
	ok(m >= 1 && m <= 12 && d >= 1 && d <= 31, "civil INT64_MIN clamps");
	ok(str_floor_div(-1, 1000) == -1 && str_floor_div(-1000, 1000) == -1 &&
	    str_floor_div(999, 1000) == 0 && str_floor_div(-1001, 1000) == -2,
	    "floor_div rounds toward minus infinity");
}

static void
test_shorten(void)
{
	char	 out[16], big[200];

	is_str(str_shorten("short", out, sizeof(out)), "short",
	    "shorten: short strings stay");
	is_str(str_shorten("0123456789abcdefghij", out, sizeof(out)),
	    "0123456789ab...", "shorten: long strings are cut");
	is_str(str_shorten("a\nb\x01", out, sizeof(out)), "a?b?",
	    "shorten: control characters hidden");
	is_str(str_shorten("0123456789a\xc3\xa9zzzz", out,
	    sizeof(out)), "0123456789a...", "shorten: no split UTF-8");
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ok(strlen(str_shorten(big, out, sizeof(out))) == 15,
	    "shorten: fits its buffer");
}

static void
test_misc(void)
{
	static const struct {
		const char	*name;
		const char	*s, *prefix;
		bool		 want;
	} cases[] = {
		{ "same case", "Bearer x", "Bearer", true },
		{ "lower", "bearer x", "Bearer", true },
		{ "upper", "BEARER", "bearer", true },
		{ "shorter", "Bear", "bearer", false },
		{ "different", "Basic x", "bearer", false },
		{ "empty prefix", "x", "", true },
	};
	char	 s[] = "MiXeD-Case_09";
	size_t	 i;

	for (i = 0; i < NELEM(cases); i++)
		is_int(str_case_prefix(cases[i].s, cases[i].prefix),
		    cases[i].want, "case_prefix %s", cases[i].name);
	is_str(str_lower_ascii(s), "mixed-case_09", "lower_ascii");
}

int
main(void)
{
	test_pct_decode();
	test_pct_encode();
	test_parse_i64();
	test_parse_size();
	test_utf8_valid();
	test_json_plain();
	test_utf8_put();
	test_utf8_sanitize();
	test_b64url();
	test_hex();
	test_iso8601();
	test_parse_iso8601();
	test_civil();
	test_shorten();
	test_misc();
	return done_testing();
}
