/*
 * fuzz-json.c: libFuzzer harness for jsonu, the limited json-c parser
 * and its typed getters, and for the JSON writer.
 *
 * The input is parsed with a small depth limit; when it is an object,
 * every key is read with each getter (so every type check runs) and
 * jsonu_only_keys() runs against a short list.  Every string a getter
 * accepts is written back with jsonw and parsed again: the round trip
 * must give the same bytes, else the harness aborts.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "buf.h"
#include "err.h"
#include "jsonu.h"
#include "jsonw.h"
#include "xmalloc.h"

#define DEPTH	6
#define MAXKEYS	64

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* jsonw(s) parsed again must give s back. */
static void
round_trip(const char *key, const char *s)
{
	struct arena		*a = arena_new();
	struct json_object	*o;
	struct jsonw		 w;
	struct buf		 b;
	struct err		 e;
	const char		*back = NULL;

	buf_init(&b, 0);
	jsonw_init(&w, &b);
	jsonw_obj_open(&w);
	jsonw_key(&w, key);
	jsonw_str(&w, s);
	jsonw_obj_close(&w);
	err_clear(&e);
	if ((o = jsonu_parse(a, buf_str(&b), b.len, 2, &e)) == NULL ||
	    jsonu_get_str(o, key, true, &back, &e) == -1 ||
	    strcmp(back, s) != 0)
		abort();
	buf_release(&b);
	arena_free(a);
}

static void
walk(struct json_object *o)
{
	static const char *const allowed[] = { "name", "comment", "id", NULL };
	const char	*keys[MAXKEYS], *s;
	size_t		 i, n = 0;
	int64_t		 v;
	bool		 b, present;
	struct err	 e;

	json_object_object_foreach(o, key, val) {
		(void)val;
		if (n < MAXKEYS)
			keys[n++] = key;
	}
	err_clear(&e);
	(void)jsonu_only_keys(o, allowed, &e);
	for (i = 0; i < n; i++) {
		err_clear(&e);
		s = NULL;
		if (jsonu_get_str(o, keys[i], i % 2 == 0, &s, &e) == 0 &&
		    s != NULL)
			round_trip(keys[i], s);
		err_clear(&e);
		(void)jsonu_get_bool(o, keys[i], true, &b, &present, &e);
		err_clear(&e);
		if (jsonu_get_i64(o, keys[i], false, -1000, 1000, &v,
		    &present, &e) == 0 && present && (v < -1000 || v > 1000))
			abort();
	}
	err_clear(&e);
	(void)jsonu_get_str(o, "missing", true, &s, &e);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_object	*o;
	struct arena		*a;
	struct err		 e;
	char			*s;

	s = xmalloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	a = arena_new();
	err_clear(&e);
	o = jsonu_parse(a, s, size, DEPTH, &e);
	if (o == NULL && e.kind == ERR_NONE)
		abort();
	if (o != NULL && json_object_is_type(o, json_type_object))
		walk(o);
	err_clear(&e);
	(void)jsonu_parse_object(a, s, size, &e);
	arena_free(a);
	free(s);
	return 0;
}
