/*
 * qbody.h: the JSON body of POST .../query (protocol-notes §1.8), read
 * and checked in the reference server's order (§1.8.1, steps 1 to 7).
 *
 * Integers may be JSON numbers or numeric strings ("2"); camelCase and
 * snake_case field names are both accepted and unknown fields ignored,
 * as the reference does.  An empty body, invalid JSON or a field of the
 * wrong type is 400 MALFORMED_REQUEST; a value out of range 400
 * INVALID_PARAMETER_VALUE, with the reference's messages.
 */
#ifndef DS_QBODY_H
#define DS_QBODY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct err;

struct qbody {
	const char	**hints;		/* predicateHints */
	size_t		 nhints;
	const char	*json_hints;		/* jsonPredicateHints, or NULL */
	int64_t		 limit;			/* limitHint; -1: none */
	int64_t		 version;		/* -1: none */
	const char	*timestamp;		/* NULL: none */
	int64_t		 starting_version;	/* -1: none */
	int64_t		 ending_version;	/* -1: none */
	bool		 historical_protocol;	/* includeHistoricalProtocol */
	int64_t		 max_files;		/* -1: none */
	const char	*page_token;
	bool		 include_refresh;	/* includeRefreshToken */
	const char	*refresh_token;
	const char	*idempotency_key;
};

/*
 * Parse and check body (len bytes, NUL-terminated); async is the
 * client's asyncquery capability.  Strings are in the arena.
 */
int	qbody_parse(struct arena *, const char *body, size_t len, bool async,
	    struct qbody *, struct err *);

#endif
