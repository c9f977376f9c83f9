/*
 * jsonu.c: json-c parsing with limits and typed getters (see jsonu.h).
 *
 * json-c 0.16 is lenient where a server must not be: it accepts invalid
 * UTF-8 unless told, embedded NUL in strings, and stops silently before
 * trailing garbage.  This file closes those gaps in one place.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "err.h"
#include "jsonu.h"
#include "jsonv.h"
#include "strutil.h"

static void
put_root(void *p)
{
	json_object_put(p);
}

struct json_object *
jsonu_own(struct arena *a, struct json_object *o)
{
	if (o != NULL)
		arena_defer(a, put_root, o);
	return o;
}

struct json_object *
jsonu_parse(struct arena *a, const char *buf, size_t len, int max_depth,
    struct err *e)
{
	struct json_tokener	*tok;
	struct json_object	*obj = NULL;
	enum json_tokener_error	 jerr;
	const char		*why;
	size_t			 end, at;

	if (!str_utf8_valid(buf, len)) {
		err_set(e, ERR_MALFORMED, "request body is not valid UTF-8");
		return NULL;
	}
	if (len > (size_t)INT32_MAX - 1) {
		err_set(e, ERR_TOO_LARGE, "JSON document too large");
		return NULL;
	}
	if (len == 0 || strspn(buf, " \t\r\n") == len) {
		err_set(e, ERR_MALFORMED, "request body is empty");
		return NULL;
	}
	/* json-c takes more than JSON: check the syntax strictly first. */
	switch (jsonv_check(buf, len, max_depth, &why, &at)) {
	case 0:
		break;
	case -2:
		err_set(e, ERR_BAD_PARAM, "%s", why);
		return NULL;
	default:
		err_set(e, ERR_MALFORMED, "malformed JSON at byte %zu: %s", at,
		    why);
		return NULL;
	}
	if ((tok = json_tokener_new_ex(max_depth)) == NULL) {
		err_set(e, ERR_INTERNAL, "cannot allocate JSON parser");
		return NULL;
	}
	/* Trailing bytes are allowed here so the check below can name them. */
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
	    JSON_TOKENER_ALLOW_TRAILING_CHARS | JSON_TOKENER_VALIDATE_UTF8);
	/* Include the NUL so a top-level number is seen to end. */
	obj = json_tokener_parse_ex(tok, buf, (int)len + 1);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (obj == NULL || jerr != json_tokener_success) {
		if (obj != NULL)
			json_object_put(obj);
		err_set(e, ERR_MALFORMED, "malformed JSON: %s",
		    jerr == json_tokener_continue ? "unexpected end of input" :
		    json_tokener_error_desc(jerr));
		return NULL;
	}
	arena_defer(a, put_root, obj);
	if (end < len && strspn(buf + end, " \t\r\n") != len - end) {
		err_set(e, ERR_MALFORMED, "malformed JSON: trailing characters");
		return NULL;
	}
	return obj;
}

struct json_object *
jsonu_parse_object(struct arena *a, const char *buf, size_t len,
    struct err *e)
{
	struct json_object	*obj;

	if ((obj = jsonu_parse(a, buf, len, JSONU_MAX_DEPTH, e)) == NULL)
		return NULL;
	if (!json_object_is_type(obj, json_type_object)) {
		err_set(e, ERR_MALFORMED, "request body must be a JSON object");
		return NULL;
	}
	return obj;
}

int
jsonu_only_keys(struct json_object *obj, const char *const *allowed,
    struct err *e)
{
	size_t	 i;

	json_object_object_foreach(obj, key, val) {
		(void)val;
		for (i = 0; allowed[i] != NULL; i++)
			if (strcmp(key, allowed[i]) == 0)
				break;
		if (allowed[i] == NULL)
			return err_set(e, ERR_BAD_PARAM, "unknown field '%.64s'",
			    str_utf8_valid(key, strlen(key)) ? key : "?");
	}
	return 0;
}

/* Look up key; -1 on a missing required field. *v is NULL if absent/null. */
static int
lookup(struct json_object *obj, const char *key, bool required,
    struct json_object **v, struct err *e)
{
	*v = NULL;
	if (!json_object_object_get_ex(obj, key, v) || *v == NULL) {
		*v = NULL;
		if (required)
			return err_set(e, ERR_BAD_PARAM,
			    "missing required field '%s'", key);
	}
	return 0;
}

int
jsonu_get_str(struct json_object *obj, const char *key, bool required,
    const char **out, struct err *e)
{
	struct json_object	*v;
	const char		*s;
	int			 len;

	if (lookup(obj, key, required, &v, e) == -1)
		return -1;
	if (v == NULL)
		return 0;
	if (!json_object_is_type(v, json_type_string))
		return err_set(e, ERR_BAD_PARAM, "field '%s' must be a string",
		    key);
	s = json_object_get_string(v);
	len = json_object_get_string_len(v);
	if ((size_t)len != strlen(s) || !str_utf8_valid(s, (size_t)len))
		return err_set(e, ERR_BAD_PARAM,
		    "field '%s' holds NUL or invalid UTF-8", key);
	*out = s;
	return 0;
}

int
jsonu_get_bool(struct json_object *obj, const char *key, bool required,
    bool *out, bool *present, struct err *e)
{
	struct json_object	*v;

	if (present != NULL)
		*present = false;
	if (lookup(obj, key, required, &v, e) == -1)
		return -1;
	if (v == NULL)
		return 0;
	if (!json_object_is_type(v, json_type_boolean))
		return err_set(e, ERR_BAD_PARAM, "field '%s' must be a boolean",
		    key);
	*out = json_object_get_boolean(v);
	if (present != NULL)
		*present = true;
	return 0;
}

int
jsonu_get_i64(struct json_object *obj, const char *key, bool required,
    int64_t min, int64_t max, int64_t *out, bool *present, struct err *e)
{
	struct json_object	*v;
	int64_t			 n;

	if (present != NULL)
		*present = false;
	if (lookup(obj, key, required, &v, e) == -1)
		return -1;
	if (v == NULL)
		return 0;
	if (!json_object_is_type(v, json_type_int))
		return err_set(e, ERR_BAD_PARAM, "field '%s' must be an integer",
		    key);
	errno = 0;
	n = json_object_get_int64(v);
	/* json-c clamps out-of-range literals to INT64_MIN/MAX. */
	if (n < min || n > max || n == INT64_MAX || n == INT64_MIN)
		return err_set(e, ERR_BAD_PARAM,
		    "field '%s' must be between %lld and %lld", key,
		    (long long)min, (long long)max);
	*out = n;
	if (present != NULL)
		*present = true;
	return 0;
}
