/*
 * jsonu.h: json-c parsing with limits, and typed getters for request
 * bodies.
 *
 * Ownership (json-c's rules, stated once): jsonu_parse() returns a root
 * whose reference is dropped by the arena at reset; every pointer got from
 * it (objects, strings) is borrowed and lives as long as the root.
 *
 * Getters record a 400 in the struct err naming the field, and return -1,
 * when a field has the wrong type, is missing but required, or (strings)
 * holds NUL or invalid UTF-8.  An absent optional field leaves *out as is
 * and returns 0; *present, where asked, tells which happened.
 */
#ifndef DS_JSONU_H
#define DS_JSONU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct err;
struct json_object;

#define JSONU_MAX_DEPTH	32

/*
 * Parse exactly one JSON value from buf[0..len) (buf[len] must be NUL).
 * Leading and trailing whitespace is allowed, anything else after the
 * value is an error, as is invalid UTF-8.
 */
struct json_object *jsonu_parse(struct arena *, const char *buf, size_t len,
		    int max_depth, struct err *);

/* Hand a root the caller owns to the arena (put when it is freed). */
struct json_object *jsonu_own(struct arena *, struct json_object *);

/* Parse a request body that must be a JSON object. */
struct json_object *jsonu_parse_object(struct arena *, const char *, size_t,
		    struct err *);

/* Fail unless every key of obj is in the NULL-terminated list. */
int	jsonu_only_keys(struct json_object *, const char *const *allowed,
	    struct err *);

int	jsonu_get_str(struct json_object *, const char *key, bool required,
	    const char **out, struct err *);
int	jsonu_get_bool(struct json_object *, const char *key, bool required,
	    bool *out, bool *present, struct err *);
int	jsonu_get_i64(struct json_object *, const char *key, bool required,
	    int64_t min, int64_t max, int64_t *out, bool *present,
	    struct err *);

#endif
