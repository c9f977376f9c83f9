/*
 * jsonw.c: compact JSON writer (see jsonw.h).
 */
#include "config.h"

#include <assert.h>
#include <inttypes.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "jsonw.h"

void
jsonw_init(struct jsonw *w, struct buf *b)
{
	memset(w, 0, sizeof(*w));
	w->b = b;
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
	value_start(w);
	jsonw_quote(w->b, k, strlen(k));
	buf_addc(w->b, ':');
	w->after_key = true;
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

/* The escape of c (a control character, '"' or '\\') at p; its length. */
static size_t
escape(unsigned char c, char *p)
{
	static const char	 hex[] = "0123456789abcdef";

	p[0] = '\\';
	switch (c) {
	case '"':  p[1] = '"'; return 2;
	case '\\': p[1] = '\\'; return 2;
	case '\n': p[1] = 'n'; return 2;
	case '\r': p[1] = 'r'; return 2;
	case '\t': p[1] = 't'; return 2;
	case '\b': p[1] = 'b'; return 2;
	case '\f': p[1] = 'f'; return 2;
	default:
		memcpy(p + 1, "u00", 3);
		p[4] = hex[c >> 4];
		p[5] = hex[c & 15];
		return 6;
	}
}

static bool
plain(unsigned char c)
{
	return c >= 0x20 && c != '"' && c != '\\';
}

#define ONES	0x0101010101010101ULL
#define HIGHS	0x8080808080808080ULL

/*
 * The bytes of w (little-endian order) that need escaping (< 0x20, '"',
 * '\\'), as their high bits.  A borrow may mark bytes after a marked
 * one too, never before it: the lowest mark is exact.
 */
static uint64_t
word_special(uint64_t w)
{
	uint64_t	 q = w ^ (ONES * '"'), b = w ^ (ONES * '\\');

	return (((w - ONES * 0x20) & ~w) | ((q - ONES) & ~q) |
	    ((b - ONES) & ~b)) & HIGHS;
}

/* Bytes a JSON string cannot hold as they are: 1 for '"' and '\\', 2 below 0x20. */
static const unsigned char special[256] = {
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	['"'] = 1, ['\\'] = 1,
};

/*
 * Quote n bytes of s at p (room for 6 * n + 2); returns the end.  Eight
 * bytes at a time: stored whole, then the output moves on to the first
 * byte to escape (the room reserved covers the bytes stored past it).
 */
static char *
quote_into(char *p, const char *s, size_t n)
{
	uint64_t	 w, m;
	size_t		 i = 0, k;
	unsigned char	 c;

	for (;;) {
		if (n - i >= 8) {
			memcpy(&w, s + i, 8);
			memcpy(p, &w, 8);
			if ((m = word_special(w)) == 0) {
				p += 8;
				i += 8;
				continue;
			}
			k = (size_t)__builtin_ctzll(m) / 8;
			p += k;
			i += k;
		} else if (i == n)
			break;
		c = (unsigned char)s[i++];
		if (special[c] == 0)
			*p++ = (char)c;
		else if (special[c] == 1) {
			*p++ = '\\';
			*p++ = (char)c;
		} else
			p += escape(c, p);
	}
	return p;
}

void
jsonw_quote(struct buf *b, const char *s, size_t n)
{
	char		*start, *p, esc[6];
	size_t		 i, run = 0;

	/* Room for the worst case (every byte \u00XX), written in place. */
	if (n < SIZE_MAX / 8 && (b->max == 0 ||
	    6 * n + 2 <= b->max - b->len) &&
	    (start = buf_reserve(b, 6 * n + 2)) != NULL) {
		p = start;
		*p++ = '"';
		p = quote_into(p, s, n);
		*p++ = '"';
		buf_advance(b, (size_t)(p - start));
		return;
	}
	/* A capped buffer near its cap: piece by piece. */
	buf_addc(b, '"');
	for (i = 0; i < n; i++) {
		if (plain((unsigned char)s[i]))
			continue;
		buf_add(b, s + run, i - run);
		buf_add(b, esc, escape((unsigned char)s[i], esc));
		run = i + 1;
	}
	buf_add(b, s + run, n - run);
	buf_addc(b, '"');
}
