/*
 * jsonw.c: compact JSON writer (see jsonw.h).
 */
#include "config.h"

#include <assert.h>
#include <inttypes.h>
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
	value_start(w);
	buf_addf(w->b, "%" PRId64, v);
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

void
jsonw_quote(struct buf *b, const char *s, size_t n)
{
	static const char	 hex[] = "0123456789abcdef";
	size_t			 i, run = 0;
	unsigned char		 c;
	char			 esc[7];

	buf_addc(b, '"');
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		buf_add(b, s + run, i - run);
		run = i + 1;
		switch (c) {
		case '"':  buf_add(b, "\\\"", 2); break;
		case '\\': buf_add(b, "\\\\", 2); break;
		case '\n': buf_add(b, "\\n", 2); break;
		case '\r': buf_add(b, "\\r", 2); break;
		case '\t': buf_add(b, "\\t", 2); break;
		case '\b': buf_add(b, "\\b", 2); break;
		case '\f': buf_add(b, "\\f", 2); break;
		default:
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			buf_add(b, esc, 6);
		}
	}
	buf_add(b, s + run, n - run);
	buf_addc(b, '"');
}
