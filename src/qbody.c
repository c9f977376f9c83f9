/*
 * qbody.c: the query request body (see qbody.h).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "err.h"
#include "jsonu.h"
#include "qbody.h"
#include "strutil.h"

/* The field under its camelCase or snake_case name, or NULL. */
static struct json_object *
field(struct json_object *o, const char *camel, const char *snake)
{
	struct json_object *v = NULL;

	if (!json_object_object_get_ex(o, camel, &v) && snake != NULL)
		json_object_object_get_ex(o, snake, &v);
	if (v != NULL && json_object_is_type(v, json_type_null))
		return NULL;
	return v;
}

static int
get_i64(struct json_object *o, const char *camel, const char *snake,
    bool int32, int64_t *out, struct err *e)
{
	struct json_object *v = field(o, camel, snake);
	const char	*s;
	int64_t		 n;

	*out = -1;
	if (v == NULL)
		return 0;
	if (json_object_is_type(v, json_type_int)) {
		errno = 0;
		n = json_object_get_int64(v);
		if (errno != 0)
			return err_set(e, ERR_MALFORMED, "Numeric value out of "
			    "range of long for field %s", camel);
	} else if (json_object_is_type(v, json_type_string)) {
		s = json_object_get_string(v);
		if (str_parse_i64(s, INT64_MIN, INT64_MAX, &n) == -1)
			return err_set(e, ERR_MALFORMED, "Not a numeric value: "
			    "%.64s", s);
	} else
		return err_set(e, ERR_MALFORMED, "Expected a number for field "
		    "%s of QueryTableRequest", camel);
	if (int32 && (n < INT32_MIN || n > INT32_MAX))
		return err_set(e, ERR_MALFORMED, "Not an int32 value: %lld",
		    (long long)n);
	*out = n;
	return 0;
}

static int
get_str(struct arena *a, struct json_object *o, const char *camel,
    const char *snake, const char **out, struct err *e)
{
	struct json_object *v = field(o, camel, snake);

	*out = NULL;
	if (v == NULL)
		return 0;
	if (!json_object_is_type(v, json_type_string))
		return err_set(e, ERR_MALFORMED, "Expected a string for field "
		    "%s of QueryTableRequest", camel);
	*out = arena_strdup(a, json_object_get_string(v));
	return 0;
}

static int
get_bool(struct json_object *o, const char *camel, const char *snake,
    bool *out, struct err *e)
{
	struct json_object *v = field(o, camel, snake);
	const char	*s;

	*out = false;
	if (v == NULL)
		return 0;
	if (json_object_is_type(v, json_type_boolean)) {
		*out = json_object_get_boolean(v);
		return 0;
	}
	if (json_object_is_type(v, json_type_string)) {
		s = json_object_get_string(v);
		if (strcasecmp(s, "true") == 0 || strcasecmp(s, "false") == 0) {
			*out = strcasecmp(s, "true") == 0;
			return 0;
		}
	}
	return err_set(e, ERR_MALFORMED, "Expected a boolean for field %s "
	    "of QueryTableRequest", camel);
}

static int
get_hints(struct arena *a, struct json_object *o, struct qbody *q,
    struct err *e)
{
	struct json_object *v = field(o, "predicateHints", "predicate_hints"),
			*h;
	size_t		 i, n;

	if (v == NULL)
		return 0;
	if (!json_object_is_type(v, json_type_array))
		return err_set(e, ERR_MALFORMED, "Expected an array for "
		    "repeated field predicateHints of QueryTableRequest");
	n = json_object_array_length(v);
	q->hints = arena_calloc(a, n + 1, sizeof(*q->hints));
	for (i = 0; i < n; i++) {
		h = json_object_array_get_idx(v, i);
		if (!json_object_is_type(h, json_type_string))
			return err_set(e, ERR_MALFORMED, "Expected a string "
			    "in repeated field predicateHints");
		q->hints[q->nhints++] = arena_strdup(a,
		    json_object_get_string(h));
	}
	return 0;
}

static int
fields(struct arena *a, struct json_object *o, struct qbody *q,
    struct err *e)
{
	if (get_hints(a, o, q, e) == -1 ||
	    get_str(a, o, "jsonPredicateHints", "json_predicate_hints",
	    &q->json_hints, e) == -1 ||
	    get_i64(o, "limitHint", "limit_hint", false, &q->limit, e) == -1 ||
	    get_i64(o, "version", NULL, false, &q->version, e) == -1 ||
	    get_str(a, o, "timestamp", NULL, &q->timestamp, e) == -1 ||
	    get_i64(o, "startingVersion", "starting_version", false,
	    &q->starting_version, e) == -1 ||
	    get_i64(o, "endingVersion", "ending_version", false,
	    &q->ending_version, e) == -1 ||
	    get_bool(o, "includeHistoricalProtocol",
	    "include_historical_protocol", &q->historical_protocol, e) == -1 ||
	    get_i64(o, "maxFiles", "max_files", true, &q->max_files, e) == -1 ||
	    get_str(a, o, "pageToken", "page_token", &q->page_token, e) == -1 ||
	    get_bool(o, "includeRefreshToken", "include_refresh_token",
	    &q->include_refresh, e) == -1 ||
	    get_str(a, o, "refreshToken", "refresh_token", &q->refresh_token,
	    e) == -1 ||
	    get_str(a, o, "idempotencyKey", "idempotency_key",
	    &q->idempotency_key, e) == -1)
		return -1;
	return 0;
}

/* Which fields were present at all, for the "only one of" check. */
static bool
has(struct json_object *o, const char *camel, const char *snake)
{
	return field(o, camel, snake) != NULL;
}

static int
check(struct json_object *o, const struct qbody *q, bool async,
    struct err *e)
{
	bool	 v = has(o, "version", NULL), t = has(o, "timestamp", NULL),
		 sv = has(o, "startingVersion", "starting_version");

	if (v + t + sv > 1)
		return err_set(e, ERR_BAD_PARAM, "Please only provide one of: "
		    "version,timestamp,startingVersion");
	if (v && q->version < 0)
		return err_set(e, ERR_BAD_PARAM,
		    "table version cannot be negative.");
	if (sv && q->starting_version < 0)
		return err_set(e, ERR_BAD_PARAM,
		    "startingVersion cannot be negative.");
	if (has(o, "maxFiles", "max_files") && q->max_files <= 0)
		return err_set(e, ERR_BAD_PARAM, "maxFiles must be positive.");
	if (q->include_refresh && (v || t || sv))
		return err_set(e, ERR_BAD_PARAM, "includeRefreshToken cannot "
		    "be used when querying a specific version.");
	if (q->include_refresh && q->page_token != NULL)
		return err_set(e, ERR_BAD_PARAM, "includeRefreshToken must be "
		    "used in the first page request.");
	if (q->refresh_token != NULL && (v || t || sv))
		return err_set(e, ERR_BAD_PARAM, "refreshToken cannot be used "
		    "when querying a specific version.");
	if (q->refresh_token != NULL && q->page_token != NULL)
		return err_set(e, ERR_BAD_PARAM, "refreshToken must be used in "
		    "the first page request.");
	if (async && q->idempotency_key == NULL)
		return err_set(e, ERR_BAD_PARAM,
		    "idempotency_key is required for async query.");
	return 0;
}

int
qbody_parse(struct arena *a, const char *body, size_t len, bool async,
    struct qbody *q, struct err *e)
{
	struct json_object *o;
	size_t		 i;

	memset(q, 0, sizeof(*q));
	q->limit = q->version = q->starting_version = -1;
	q->ending_version = q->max_files = -1;
	for (i = 0; i < len && strchr(" \t\r\n", body[i]) != NULL; i++)
		;
	if (i == len)
		return err_set(e, ERR_MALFORMED,
		    "No content to map due to end-of-input");
	if ((o = jsonu_parse_object(a, body, len, e)) == NULL) {
		e->kind = ERR_MALFORMED;
		return -1;
	}
	if (fields(a, o, q, e) == -1)
		return -1;
	return check(o, q, async, e);
}
