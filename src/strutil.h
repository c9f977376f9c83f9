/*
 * strutil.h: small string helpers: percent-decoding, bounded integer
 * parsing, UTF-8 validation, base64url and hex.
 *
 * No function here allocates unless it takes an arena; outputs go into
 * caller buffers whose required size is stated per function.
 */
#ifndef DS_STRUTIL_H
#define DS_STRUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct arena;

/*
 * Percent-decode len bytes of in into out (at least len + 1 bytes).
 * With plus_is_space, '+' becomes ' ' (query strings); path segments keep
 * '+'.  Returns the decoded length, or -1 on a malformed escape.  The
 * result may contain NUL bytes: callers check.
 */
long	 str_pct_decode(const char *in, size_t len, char *out,
	    bool plus_is_space);

/*
 * Percent-encode s, in the arena: everything but unreserved characters
 * (RFC 3986: letters, digits, "-._~") and those in keep (e.g. "/" for a
 * whole path) becomes %XX.
 */
char	*str_pct_encode(struct arena *, const char *s, const char *keep);

/* The same into out (3 * n bytes at most); returns the end written. */
char	*str_pct_encode_to(char *out, const char *s, size_t n,
	    const char *keep);

/*
 * Parse a whole decimal integer (optional leading '-', no spaces, no '+')
 * into *out, within [min, max].  Returns 0, or -1 with errno EINVAL (not a
 * number) or ERANGE (out of bounds).
 */
int	 str_parse_i64(const char *, int64_t min, int64_t max, int64_t *out);

/*
 * The same for a size in bytes: decimal digits with an optional suffix K,
 * M or G (case-insensitive; 1024, 1024^2, 1024^3), within [min, max].
 */
int	 str_parse_size(const char *, int64_t min, int64_t max, int64_t *out);

/* Strict UTF-8: no overlong forms, surrogates or code points > U+10FFFF. */
bool	 str_utf8_valid(const char *, size_t);
/* The same, and no NUL byte: text a C string can hold. */
bool	 str_text_valid(const char *, size_t);

/*
 * The offset of the first byte of s[0..n) that a JSON string cannot hold
 * as it is (a quote, a backslash, or a control character below 0x20),
 * or n: eight bytes at a time.  Inline: the scanners call it for every
 * run between two escapes.
 */
static inline size_t
str_json_plain(const char *str, size_t n)
{
	const unsigned char	*s = (const unsigned char *)str;
	const uint64_t		 ones = 0x0101010101010101ULL;
	const uint64_t		 highs = 0x8080808080808080ULL;
	uint64_t		 w, q, b, m;
	size_t			 i = 0;

	/*
	 * The high bit of each byte of m is set where w holds a quote, a
	 * backslash or a byte below 0x20 -- the lowest one surely, those
	 * above it maybe (a borrow): on a little-endian machine the lowest
	 * is the first.
	 */
	for (; n - i >= 8; i += 8) {
		memcpy(&w, s + i, 8);
		q = w ^ (0x22 * ones);
		b = w ^ (0x5c * ones);
		m = (((q - ones) & ~q) | ((b - ones) & ~b) |
		    ((w - 0x20 * ones) & ~w)) & highs;
		if (m == 0)
			continue;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		return i + (size_t)__builtin_ctzll(m) / 8;
#else
		break;
#endif
	}
	for (; i < n; i++)
		if (s[i] == '"' || s[i] == '\\' || s[i] < 0x20)
			break;
	return i;
}

/* Write code point cp (at most U+10FFFF) as UTF-8; the 1 to 4 bytes. */
size_t	 str_utf8_put(char *out, uint32_t cp);

/* Replace the bytes of invalid UTF-8 sequences with '?', in place. */
void	 str_utf8_sanitize(char *);

/* Count code points of valid UTF-8. */
size_t	 str_utf8_len(const char *, size_t);

/* Lowercase ASCII letters in place; returns s. */
char	*str_lower_ascii(char *s);

bool	 str_case_prefix(const char *s, const char *prefix);

/* base64url without padding: out needs 4 * ((n + 2) / 3) + 1 bytes. */
size_t	 str_b64url_encode(const unsigned char *, size_t, char *out);

/*
 * Decode base64url (no padding, or '=' padding at the end); out needs
 * 3 * (len / 4) + 3 bytes.  Returns the decoded length or -1.
 */
long	 str_b64url_decode(const char *, size_t, unsigned char *out);

/* Lowercase hex: out needs 2 * n + 1 bytes. */
void	 str_hex(const unsigned char *, size_t, char *out);
/* splitmix64's step: a bijection of 64-bit values that looks random. */
uint64_t str_mix64(uint64_t);

/*
 * Copy s into out (outsz >= 8) for an error message: at most outsz - 1
 * bytes, cut with "..." when longer (never inside a UTF-8 sequence),
 * control characters and invalid UTF-8 replaced with '?'.  Returns out.
 */
const char *str_shorten(const char *s, char *out, size_t outsz);

/* Time as ISO-8601 UTC with milliseconds: out needs 32 bytes. */
void	 str_iso8601_ms(int64_t epoch_ms, char *out, size_t outsz);

/*
 * The proleptic Gregorian calendar (H. Hinnant's algorithms): days since
 * 1970-01-01 to a date and back, valid for any int64 day count (clamped
 * to +-2^62 days), and floor division for negative times.
 */
void	 str_civil(int64_t days, int64_t *y, int *m, int *d);
int64_t	 str_days_from_civil(int64_t y, int m, int d);
int64_t	 str_floor_div(int64_t, int64_t);

/*
 * Parse an ISO-8601 date-time with an offset, as Java's
 * ISO_OFFSET_DATE_TIME reads it: YYYY-MM-DDTHH:MM[:SS[.fraction]] then Z
 * or +HH:MM / -HH:MM.  Fractions beyond milliseconds are truncated.
 * Returns 0 and milliseconds since the epoch, or -1.
 */
int	 str_parse_iso8601(const char *, int64_t *epoch_ms);

#endif
