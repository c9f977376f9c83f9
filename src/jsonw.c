/*
 * jsonw.c: compact JSON writer (see jsonw.h).
 */
#include "config.h"

#include <assert.h>
#include <inttypes.h>
#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "buf.h"
#include "jsonw.h"
#include "strutil.h"

void
jsonw_init(struct jsonw *w, struct buf *b)
{
	memset(w, 0, sizeof(*w));
	w->b = b;
}

void
jsonw_resume(struct jsonw *w, struct buf *b, int depth)
{
	int	 i;

	assert(depth > 0 && depth <= JSONW_MAX_DEPTH);
	jsonw_init(w, b);
	w->depth = depth;
	for (i = 0; i < depth; i++)
		w->need_comma[i] = true;
}

/* Called before any value: writes the comma between siblings. */
static void
value_start(struct jsonw *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (w->depth > 0 && w->need_comma[w->depth - 1])
		buf_addc(w->b, ',');
	if (w->depth > 0)
		w->need_comma[w->depth - 1] = true;
}

static void
nest_open(struct jsonw *w, char c)
{
	value_start(w);
	assert(w->depth < JSONW_MAX_DEPTH);
	buf_addc(w->b, c);
	w->need_comma[w->depth++] = false;
}

static void
nest_close(struct jsonw *w, char c)
{
	assert(w->depth > 0);
	w->depth--;
	buf_addc(w->b, c);
}

void
jsonw_obj_open(struct jsonw *w)
{
	nest_open(w, '{');
}

void
jsonw_obj_close(struct jsonw *w)
{
	nest_close(w, '}');
}

void
jsonw_arr_open(struct jsonw *w)
{
	nest_open(w, '[');
}

void
jsonw_arr_close(struct jsonw *w)
{
	nest_close(w, ']');
}

void
jsonw_key(struct jsonw *w, const char *k)
{
	size_t	 n = strlen(k);
	char	*p;

	value_start(w);
	w->after_key = true;
	/* Keys are mostly plain: "key": in one go. */
	if (str_json_plain(k, n) == n && (w->b->max == 0 ||
	    n + 3 <= w->b->max - w->b->len) &&
	    (p = buf_reserve(w->b, n + 3)) != NULL) {
		p[0] = '"';
		memcpy(p + 1, k, n);
		memcpy(p + 1 + n, "\":", 2);
		buf_advance(w->b, n + 3);
		return;
	}
	jsonw_quote(w->b, k, n);
	buf_addc(w->b, ':');
}

void
jsonw_strn(struct jsonw *w, const char *s, size_t n)
{
	value_start(w);
	jsonw_quote(w->b, s, n);
}

void
jsonw_str(struct jsonw *w, const char *s)
{
	jsonw_strn(w, s, strlen(s));
}

void
jsonw_int(struct jsonw *w, int64_t v)
{
	char		 tmp[24], *p = tmp + sizeof(tmp);
	uint64_t	 u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	value_start(w);
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		*--p = '-';
	buf_add(w->b, p, (size_t)(tmp + sizeof(tmp) - p));
}

void
jsonw_bool(struct jsonw *w, bool v)
{
	value_start(w);
	buf_adds(w->b, v ? "true" : "false");
}

void
jsonw_null(struct jsonw *w)
{
	value_start(w);
	buf_adds(w->b, "null");
}

void
jsonw_raw(struct jsonw *w, const char *json)
{
	jsonw_rawn(w, json, strlen(json));
}

void
jsonw_rawn(struct jsonw *w, const char *json, size_t n)
{
	value_start(w);
	buf_add(w->b, json, n);
}

void
jsonw_raw_compact(struct jsonw *w, const char *json, size_t n)
{
	size_t	 i, run = 0;
	bool	 in_str = false, esc = false;

	value_start(w);
	for (i = 0; i < n; i++) {
		if (in_str) {
			if (esc)
				esc = false;
			else if (json[i] == '\\')
				esc = true;
			else if (json[i] == '"')
				in_str = false;
			continue;
		}
		if (json[i] == '"')
			in_str = true;
		else if (json[i] == ' ' || json[i] == '\t' ||
		    json[i] == '\n' || json[i] == '\r') {
			buf_add(w->b, json + run, i - run);
			run = i + 1;
		}
	}
	buf_add(w->b, json + run, n - run);
}

/*
 * The escape of each byte: 0 for none, the letter of a two-byte escape
 * ("\\n"), or 'u' for \u00XX.
 */
static const char esc_of[256] = {
	['\0'] = 'u', [1] = 'u', [2] = 'u', [3] = 'u', [4] = 'u', [5] = 'u',
	[6] = 'u', [7] = 'u', ['\b'] = 'b', ['\t'] = 't', ['\n'] = 'n',
	[11] = 'u', ['\f'] = 'f', ['\r'] = 'r', [14] = 'u', [15] = 'u',
	[16] = 'u', [17] = 'u', [18] = 'u', [19] = 'u', [20] = 'u', [21] = 'u',
	[22] = 'u', [23] = 'u', [24] = 'u', [25] = 'u', [26] = 'u', [27] = 'u',
	[28] = 'u', [29] = 'u', [30] = 'u', [31] = 'u', ['"'] = '"',
	['\\'] = '\\',
};

#ifdef __SSE2__
/*
 * How many of the 16 bytes at s need no escape (16: none does): one
 * compare each for the quote and the backslash, and bytes below 0x20 are
 * those the unsigned minimum with 0x1f leaves alone.
 */
static inline size_t
plain16(const char *s)
{
	__m128i	 v = _mm_loadu_si128((const __m128i *)(const void *)s);
	__m128i	 m = _mm_or_si128(_mm_or_si128(
		    _mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
		    _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))),
		    _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1f)), v));
	unsigned	 bits = (unsigned)_mm_movemask_epi8(m);

	return bits == 0 ? 16 : (size_t)__builtin_ctz(bits);
}
#endif

/*
 * Quote n bytes of s at o; the end.  Sixteen (without SSE2: eight)
 * bytes at a time are copied before they are looked at (one store, where
 * runs between escapes are short, as in stats): those after an escape
 * are written again.  The room is there: each byte still to come makes a
 * byte of output at least, and the closing quote follows.
 */
static char *
quote_into(char *o, const char *s, size_t n)
{
	static const char	 hex[] = "0123456789abcdef";
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i = 0, k;
	char			 e;

	for (;;) {
#ifdef __SSE2__
		if (n - i >= 16) {
			memcpy(o, s + i, 16);
			k = plain16(s + i);
			o += k;
			i += k;
			if (k == 16)
				continue;
		} else
#endif
		if (n - i >= 8) {
			memcpy(o, s + i, 8);
			k = str_json_plain(s + i, 8);
			o += k;
			i += k;
			if (k == 8)
				continue;
		} else {
			k = str_json_plain(s + i, n - i);
			memcpy(o, s + i, k);
			o += k;
			if ((i += k) == n)
				return o;
		}
		e = esc_of[u[i]];
		*o++ = '\\';
		*o++ = e;
		if (e == 'u') {
			memcpy(o, "00", 2);
			o[2] = hex[u[i] >> 4];
			o[3] = hex[u[i] & 15];
			o += 4;
		}
		i++;
	}
}

/*
 * The string is written in place (buf_reserve) in one pass, with room
 * for the worst case (every byte \u00XX); a capped buf with less room
 * than that gets a first pass counting what the escapes add.  Past the
 * cap nothing is written (the overflow flag says so).
 */
void
jsonw_quote(struct buf *b, const char *s, size_t n)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i, extra;
	char			*start, *o;

	if (n > SIZE_MAX / 8) {
		b->overflow = true;
		return;
	}
	extra = 5 * n;
	if (b->max != 0 && n + extra + 2 > b->max - b->len)
		for (i = extra = 0; (i += str_json_plain(s + i, n - i)) < n;
		    i++)
			extra += esc_of[u[i]] == 'u' ? 5 : 1;
	if ((start = buf_reserve(b, n + extra + 2)) == NULL)
		return;
	o = start;
	*o++ = '"';
	o = quote_into(o, s, n);
	*o++ = '"';
	buf_advance(b, (size_t)(o - start));
}
