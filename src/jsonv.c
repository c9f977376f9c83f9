/*
 * jsonv.c: strict JSON syntax check (see jsonv.h).
 *
 * A recursive-descent recogniser that builds nothing.  Recursion is
 * bounded by max_depth, so hostile nesting cannot exhaust the stack.
 */
#include "config.h"

#include <stdint.h>

#include "jsonv.h"
#include "strutil.h"

struct jv {
	int			 nul;	/* saw \u0000 */
	const unsigned char	*s;
	size_t			 n;
	size_t			 i;
	int			 depth;
	int			 max;
	const char		*why;
};

static int	value(struct jv *);

static int
fail(struct jv *v, const char *why)
{
	if (v->why == NULL)
		v->why = why;
	return -1;
}

static void
skip_ws(struct jv *v)
{
	while (v->i < v->n && (v->s[v->i] == ' ' || v->s[v->i] == '\t' ||
	    v->s[v->i] == '\n' || v->s[v->i] == '\r'))
		v->i++;
}

static int
is_digit(struct jv *v)
{
	return v->i < v->n && v->s[v->i] >= '0' && v->s[v->i] <= '9';
}

/* Four hex digits at offset off, or -1. */
static long
hex4(const struct jv *v, size_t off)
{
	long	 cp = 0;
	size_t	 k;
	int	 c, d;

	if (off > v->n || v->n - off < 4)
		return -1;
	for (k = 0; k < 4; k++) {
		c = v->s[off + k];
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -1;
		cp = cp << 4 | d;
	}
	return cp;
}

/* A \u escape at v->i (the backslash), surrogate pairs included. */
static int
unicode_escape(struct jv *v)
{
	long	 cp, lo;

	if ((cp = hex4(v, v->i + 2)) < 0)
		return fail(v, "bad \\u escape");
	if (cp == 0)
		v->nul = 1;
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return fail(v, "unpaired surrogate in \\u escape");
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (v->n - v->i < 12 || v->s[v->i + 6] != '\\' ||
		    v->s[v->i + 7] != 'u' || (lo = hex4(v, v->i + 8)) < 0xdc00 ||
		    lo > 0xdfff)
			return fail(v, "unpaired surrogate in \\u escape");
		v->i += 12;
		return 0;
	}
	v->i += 6;
	return 0;
}

static int
string(struct jv *v)
{
	unsigned char	 c;

	v->i++;				/* the opening quote */
	for (;;) {
		/* Runs of plain bytes at once. */
		v->i += str_json_plain((const char *)v->s + v->i, v->n - v->i);
		if (v->i >= v->n)
			return fail(v, "unterminated string");
		c = v->s[v->i];
		if (c == '"') {
			v->i++;
			return 0;
		}
		if (c < 0x20)
			return fail(v, "control character in a string");
		if (c != '\\') {
			v->i++;
			continue;
		}
		if (v->i + 1 >= v->n)
			return fail(v, "unterminated string");
		switch (v->s[v->i + 1]) {
		case '"': case '\\': case '/': case 'b': case 'f': case 'n':
		case 'r': case 't':
			v->i += 2;
			break;
		case 'u':
			if (unicode_escape(v) == -1)
				return -1;
			break;
		default:
			return fail(v, "bad escape in a string");
		}
	}
}

static int
number(struct jv *v)
{
	if (v->s[v->i] == '-')
		v->i++;
	if (!is_digit(v))
		return fail(v, "bad number");
	if (v->s[v->i] == '0')
		v->i++;
	else
		while (is_digit(v))
			v->i++;
	if (v->i < v->n && v->s[v->i] == '.') {
		v->i++;
		if (!is_digit(v))
			return fail(v, "bad number");
		while (is_digit(v))
			v->i++;
	}
	if (v->i < v->n && (v->s[v->i] == 'e' || v->s[v->i] == 'E')) {
		v->i++;
		if (v->i < v->n && (v->s[v->i] == '+' || v->s[v->i] == '-'))
			v->i++;
		if (!is_digit(v))
			return fail(v, "bad number");
		while (is_digit(v))
			v->i++;
	}
	return 0;
}

static int
literal(struct jv *v, const char *word)
{
	size_t	 k;

	for (k = 0; word[k] != '\0'; k++)
		if (v->i + k >= v->n || v->s[v->i + k] != (unsigned char)word[k])
			return fail(v, "unexpected character");
	v->i += k;
	return 0;
}

/* The members of an object or the elements of an array, after '{'/'['. */
static int
members(struct jv *v, unsigned char close, int keyed)
{
	if (++v->depth > v->max)
		return fail(v, "nesting too deep");
	v->i++;
	skip_ws(v);
	if (v->i < v->n && v->s[v->i] == close) {
		v->i++;
		v->depth--;
		return 0;
	}
	for (;;) {
		skip_ws(v);
		if (keyed) {
			if (v->i >= v->n || v->s[v->i] != '"')
				return fail(v, "expected a string key");
			if (string(v) == -1)
				return -1;
			skip_ws(v);
			if (v->i >= v->n || v->s[v->i] != ':')
				return fail(v, "expected ':'");
			v->i++;
		}
		if (value(v) == -1)
			return -1;
		skip_ws(v);
		if (v->i < v->n && v->s[v->i] == ',') {
			v->i++;
			continue;
		}
		if (v->i < v->n && v->s[v->i] == close) {
			v->i++;
			v->depth--;
			return 0;
		}
		return fail(v, keyed ? "expected ',' or '}'" :
		    "expected ',' or ']'");
	}
}

static int
value(struct jv *v)
{
	skip_ws(v);
	if (v->i >= v->n)
		return fail(v, "unexpected end of input");
	switch (v->s[v->i]) {
	case '{':
		return members(v, '}', 1);
	case '[':
		return members(v, ']', 0);
	case '"':
		return string(v);
	case 't':
		return literal(v, "true");
	case 'f':
		return literal(v, "false");
	case 'n':
		return literal(v, "null");
	default:
		if (v->s[v->i] == '-' || is_digit(v))
			return number(v);
		return fail(v, "unexpected character");
	}
}

int
jsonv_check(const char *buf, size_t len, int max_depth, const char **why,
    size_t *at)
{
	struct jv	 v;

	v.s = (const unsigned char *)buf;
	v.n = len;
	v.i = 0;
	v.depth = 0;
	v.max = max_depth;
	v.why = NULL;
	v.nul = 0;
	if (value(&v) == 0) {
		skip_ws(&v);
		if (v.i == v.n && !v.nul)
			return 0;
		if (v.i == v.n) {
			*why = "JSON text holds NUL (\\u0000)";
			*at = 0;
			return -2;
		}
		fail(&v, "trailing characters");
	}
	*why = v.why;
	*at = v.i;
	return -1;
}
