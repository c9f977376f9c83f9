/*
 * strutil.c: percent-coding, bounded integer parsing, UTF-8 validation,
 * base64url and hex (see strutil.h).
 *
 * These are the first functions to touch outside bytes, so each one is
 * written to be total: any input gives a result or a clean -1.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "strutil.h"

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

long
str_pct_decode(const char *in, size_t len, char *out, bool plus_is_space)
{
	size_t	 i, o;
	int	 hi, lo;

	for (i = o = 0; i < len; i++) {
		if (in[i] == '%') {
			if (len - i < 3 || (hi = hexval(in[i + 1])) < 0 ||
			    (lo = hexval(in[i + 2])) < 0)
				return -1;
			out[o++] = (char)(hi << 4 | lo);
			i += 2;
		} else if (in[i] == '+' && plus_is_space)
			out[o++] = ' ';
		else
			out[o++] = in[i];
	}
	out[o] = '\0';
	return (long)o;
}

/* RFC 3986 unreserved characters (a GNU C range initialiser). */
static const bool unreserved[256] = {
	['A' ... 'Z'] = true, ['a' ... 'z'] = true, ['0' ... '9'] = true,
	['-'] = true, ['.'] = true, ['_'] = true, ['~'] = true,
};

char *
str_pct_encode_to(char *out, const char *s, size_t n, const char *keep)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const unsigned char	*u = (const unsigned char *)s;
	const unsigned char	 k0 = (unsigned char)keep[0];
	const bool		 more = k0 != '\0' && keep[1] != '\0';
	size_t			 i = 0, j;

	/* Runs of characters kept as they are, copied at once. */
	for (;;) {
		for (j = i; j < n && (unreserved[u[j]] || (u[j] != '\0' &&
		    (u[j] == k0 || (more && strchr(keep + 1, u[j]) != NULL))));
		    j++)
			;
		memcpy(out, s + i, j - i);
		out += j - i;
		if (j == n)
			return out;
		*out++ = '%';
		*out++ = hex[u[j] >> 4];
		*out++ = hex[u[j] & 15];
		i = j + 1;
	}
}

char *
str_pct_encode(struct arena *a, const char *s, const char *keep)
{
	size_t	 n = strlen(s);
	char	*out = arena_alloc(a, n * 3 + 1);

	*str_pct_encode_to(out, s, n, keep) = '\0';
	return out;
}

int
str_parse_i64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	uint64_t	 v = 0, limit;
	bool		 neg = false;
	const char	*p = s;

	if (*p == '-') {
		neg = true;
		p++;
	}
	if (*p == '\0') {
		errno = EINVAL;
		return -1;
	}
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; *p != '\0'; p++) {
		if (*p < '0' || *p > '9') {
			errno = EINVAL;
			return -1;
		}
		if (v > (limit - (uint64_t)(*p - '0')) / 10) {
			/* Keep scanning: "99999999999x" is EINVAL, not ERANGE. */
			while (*p >= '0' && *p <= '9')
				p++;
			errno = *p == '\0' ? ERANGE : EINVAL;
			return -1;
		}
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (neg) {
		if (v == (uint64_t)INT64_MAX + 1)
			*out = INT64_MIN;
		else
			*out = -(int64_t)v;
	} else
		*out = (int64_t)v;
	if (*out < min || *out > max) {
		errno = ERANGE;
		return -1;
	}
	return 0;
}

int
str_parse_size(const char *s, int64_t min, int64_t max, int64_t *out)
{
	char		 digits[24];
	size_t		 n = strlen(s);
	int64_t		 v;
	int		 shift = 0;

	if (n > 0)
		switch (s[n - 1]) {
		case 'k': case 'K': shift = 10; break;
		case 'm': case 'M': shift = 20; break;
		case 'g': case 'G': shift = 30; break;
		}
	if (shift != 0)
		n--;
	if (n == 0 || n >= sizeof(digits) || *s == '-') {
		errno = EINVAL;
		return -1;
	}
	memcpy(digits, s, n);
	digits[n] = '\0';
	if (str_parse_i64(digits, 0, INT64_MAX >> shift, &v) == -1)
		return -1;
	v <<= shift;
	if (v < min || v > max) {
		errno = ERANGE;
		return -1;
	}
	*out = v;
	return 0;
}

size_t
str_utf8_put(char *out, uint32_t cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/*
 * The multi-byte sequence at s[i] (a lead byte >= 0x80) of s[0..len): its
 * length, or 0 when it is not strict UTF-8.
 */
static size_t
utf8_seq(const unsigned char *s, size_t i, size_t len)
{
	size_t		 n, k;
	uint32_t	 cp;

	if (s[i] >= 0xc2 && s[i] <= 0xdf) {
		n = 1;
		cp = s[i] & 0x1f;
	} else if (s[i] >= 0xe0 && s[i] <= 0xef) {
		n = 2;
		cp = s[i] & 0x0f;
	} else if (s[i] >= 0xf0 && s[i] <= 0xf4) {
		n = 3;
		cp = s[i] & 0x07;
	} else
		return 0;
	if (len - i <= n)
		return 0;
	for (k = 1; k <= n; k++) {
		if ((s[i + k] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i + k] & 0x3f);
	}
	if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n + 1;
}

/*
 * Strict UTF-8, and no NUL byte unless nul_ok.  Runs of ASCII go eight
 * bytes at a time: a word has no byte >= 0x80 when no high bit is set,
 * and no byte 0 either when subtracting 1 from each byte sets none (a
 * byte of 0 is the only one below 0x80 that borrows).
 */
static bool
utf8_scan(const char *str, size_t len, bool nul_ok)
{
	const unsigned char	*s = (const unsigned char *)str;
	const uint64_t		 ones = UINT64_C(0x0101010101010101);
	const uint64_t		 highs = UINT64_C(0x8080808080808080);
	size_t			 i = 0, n;
	uint64_t		 w;

	while (i < len) {
		if (len - i >= 8) {
			memcpy(&w, s + i, 8);
			if (((nul_ok ? w : w | (w - ones)) & highs) == 0) {
				i += 8;
				continue;
			}
		}
		if (s[i] < 0x80) {
			if (s[i] == 0 && !nul_ok)
				return false;
			i++;
			continue;
		}
		if ((n = utf8_seq(s, i, len)) == 0)
			return false;
		i += n;
	}
	return true;
}

bool
str_utf8_valid(const char *str, size_t len)
{
	return utf8_scan(str, len, true);
}

bool
str_text_valid(const char *str, size_t len)
{
	return utf8_scan(str, len, false);
}

void
str_utf8_sanitize(char *s)
{
	size_t	 len = strlen(s), i = 0, n;

	while (i < len) {
		unsigned char c = (unsigned char)s[i];

		n = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
		if (n > len - i || !str_utf8_valid(s + i, n)) {
			s[i++] = '?';
			continue;
		}
		i += n;
	}
}

const char *
str_shorten(const char *s, char *out, size_t outsz)
{
	size_t	 n = strlen(s), cut, i;

	if (n < outsz)
		memcpy(out, s, n + 1);
	else {
		cut = outsz - 4;
		/* Do not split a UTF-8 sequence. */
		while (cut > 0 && ((unsigned char)s[cut] & 0xc0) == 0x80)
			cut--;
		memcpy(out, s, cut);
		memcpy(out + cut, "...", 4);
	}
	str_utf8_sanitize(out);
	for (i = 0; out[i] != '\0'; i++)
		if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
			out[i] = '?';
	return out;
}

size_t
str_utf8_len(const char *s, size_t len)
{
	size_t	 i, n = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			n++;
	return n;
}

char *
str_lower_ascii(char *s)
{
	char	*p;

	for (p = s; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return s;
}

bool
str_case_prefix(const char *s, const char *prefix)
{
	for (; *prefix != '\0'; s++, prefix++) {
		char a = *s, b = *prefix;

		if (a >= 'A' && a <= 'Z')
			a = (char)(a - 'A' + 'a');
		if (b >= 'A' && b <= 'Z')
			b = (char)(b - 'A' + 'a');
		if (a != b)
			return false;
	}
	return true;
}

static const char b64url[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

size_t
str_b64url_encode(const unsigned char *in, size_t n, char *out)
{
	size_t		 i, o = 0;
	uint32_t	 v;

	for (i = 0; i + 2 < n; i += 3) {
		v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
		out[o++] = b64url[v >> 18 & 63];
		out[o++] = b64url[v >> 12 & 63];
		out[o++] = b64url[v >> 6 & 63];
		out[o++] = b64url[v & 63];
	}
	if (n - i == 1) {
		v = (uint32_t)in[i] << 16;
		out[o++] = b64url[v >> 18 & 63];
		out[o++] = b64url[v >> 12 & 63];
	} else if (n - i == 2) {
		v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
		out[o++] = b64url[v >> 18 & 63];
		out[o++] = b64url[v >> 12 & 63];
		out[o++] = b64url[v >> 6 & 63];
	}
	out[o] = '\0';
	return o;
}

static int
b64val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '-')
		return 62;
	if (c == '_')
		return 63;
	return -1;
}

long
str_b64url_decode(const char *in, size_t len, unsigned char *out)
{
	size_t		 i, o = 0, n;
	uint32_t	 v = 0;
	int		 d, bits = 0;

	/* Strip up to two '=' of padding, only at the end. */
	while (len > 0 && in[len - 1] == '=' && bits < 2) {
		len--;
		bits++;
	}
	/* Padding, when present, completes the last group exactly. */
	if (len % 4 == 1 || (bits > 0 && (int)(len % 4) + bits != 4))
		return -1;
	for (i = 0, n = 0; i < len; i++) {
		if ((d = b64val((unsigned char)in[i])) < 0)
			return -1;
		v = v << 6 | (uint32_t)d;
		if (++n == 4) {
			out[o++] = (unsigned char)(v >> 16);
			out[o++] = (unsigned char)(v >> 8);
			out[o++] = (unsigned char)v;
			v = 0;
			n = 0;
		}
	}
	if (n == 2) {
		if (v & 0xf)
			return -1;	/* non-canonical trailing bits */
		out[o++] = (unsigned char)(v >> 4);
	} else if (n == 3) {
		if (v & 0x3)
			return -1;
		out[o++] = (unsigned char)(v >> 10);
		out[o++] = (unsigned char)(v >> 2);
	}
	return (long)o;
}

void
str_hex(const unsigned char *in, size_t n, char *out)
{
	static const char	 hex[] = "0123456789abcdef";
	size_t			 i;
	unsigned char		 c;

	for (i = 0; i < n; i++) {
		c = in[i];		/* once: out may alias in */
		out[2 * i] = hex[c >> 4];
		out[2 * i + 1] = hex[c & 15];
	}
	out[2 * n] = '\0';
}

uint64_t
str_mix64(uint64_t x)
{
	x += UINT64_C(0x9e3779b97f4a7c15);
	x = (x ^ (x >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	x = (x ^ (x >> 27)) * UINT64_C(0x94d049bb133111eb);
	return x ^ (x >> 31);
}

void
str_iso8601_ms(int64_t ms, char *out, size_t outsz)
{
	struct tm	 tm;
	time_t		 t;
	int64_t		 frac;

	/* Floor division without overflow at INT64_MIN. */
	frac = ms % 1000;
	t = (time_t)(ms / 1000);
	if (frac < 0) {
		frac += 1000;
		t--;
	}
	if (gmtime_r(&t, &tm) == NULL) {
		snprintf(out, outsz, "1970-01-01T00:00:00.000Z");
		return;
	}
	snprintf(out, outsz, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, (int)frac);
}

/* n digits at s as a number, or -1. */
static int
fixed_digits(const char *s, int n)
{
	int	 v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int64_t
str_floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

void
str_civil(int64_t days, int64_t *y, int *m, int *d)
{
	int64_t		 z, era, doe, yoe, doy, mp;

	/* Keep the arithmetic below in range for any int64 input. */
	if (days > INT64_MAX / 2)
		days = INT64_MAX / 2;
	if (days < INT64_MIN / 2)
		days = INT64_MIN / 2;
	z = days + 719468;
	era = str_floor_div(z, 146097);
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

int64_t
str_days_from_civil(int64_t y, int m, int d)
{
	int64_t	 era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int
month_days(int64_t y, int m)
{
	static const int	 days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
				    31, 30, 31 };
	bool			 leap = (y % 4 == 0 && y % 100 != 0) ||
				    y % 400 == 0;

	return m == 2 && leap ? 29 : days[m - 1];
}

int
str_parse_iso8601(const char *s, int64_t *out)
{
	int	 y, mo, d, h, mi, sec = 0, ms = 0, oh, om, k;
	int64_t	 offset;
	char	 sign;

	if (strlen(s) < 17 || (y = fixed_digits(s, 4)) < 0 || s[4] != '-' ||
	    (mo = fixed_digits(s + 5, 2)) < 1 || mo > 12 || s[7] != '-' ||
	    (d = fixed_digits(s + 8, 2)) < 1 || d > month_days(y, mo) ||
	    (s[10] != 'T' && s[10] != 't') ||
	    (h = fixed_digits(s + 11, 2)) < 0 || h > 23 || s[13] != ':' ||
	    (mi = fixed_digits(s + 14, 2)) < 0 || mi > 59)
		return -1;
	s += 16;
	if (*s == ':') {
		if ((sec = fixed_digits(s + 1, 2)) < 0 || sec > 59)
			return -1;
		s += 3;
		if (*s == '.') {
			for (k = 0, s++; *s >= '0' && *s <= '9'; s++, k++)
				if (k < 3)
					ms = ms * 10 + (*s - '0');
			if (k == 0 || k > 9)
				return -1;
			for (; k < 3; k++)
				ms *= 10;
		}
	}
	if (*s == 'Z' || *s == 'z') {
		offset = 0;
		s++;
	} else if (*s == '+' || *s == '-') {
		sign = *s;
		if ((oh = fixed_digits(s + 1, 2)) < 0 || oh > 18 ||
		    s[3] != ':' || (om = fixed_digits(s + 4, 2)) < 0 ||
		    om > 59)
			return -1;
		offset = (int64_t)(oh * 60 + om) * 60000;
		if (sign == '-')
			offset = -offset;
		s += 6;
	} else
		return -1;
	if (*s != '\0')
		return -1;
	*out = ((str_days_from_civil(y, mo, d) * 24 + h) * 60 + mi) * 60000 +
	    (int64_t)sec * 1000 + ms - offset;
	return 0;
}
