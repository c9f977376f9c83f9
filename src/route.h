/*
 * route.h: the route table and request dispatch.
 *
 * Each route names its methods, a pattern of literal and captured
 * segments below the URL prefix, the handler, and who may call it.
 * Captures are validated by their name: {share}, {schema}, {table},
 * {recipient} and {account} by the protocol's name rules, {token} as a
 * UUID.  Handlers find captures in req->args in pattern order.
 */
#ifndef DS_ROUTE_H
#define DS_ROUTE_H

#include <stdbool.h>

#include "auth.h"

struct req;

typedef int (*route_fn)(struct req *);

/*
 * The handler's first catalog read checks the bearer token itself
 * (catalog.h): dispatch verifies the JWT only and leaves the principal
 * pending.  If the handler fails before that read, dispatch checks the
 * token then, so a 401 still comes before any other error.
 */
#define ROUTE_TOKEN_IN_READ	0x1

struct route {
	unsigned	 methods;	/* enum http_method bits */
	const char	*pattern;	/* "/shares/{share}/schemas" */
	route_fn	 fn;
	enum auth_kind	 auth;
	unsigned	 flags;		/* ROUTE_* */
};

/*
 * Match req against the table, check captures and credentials, and run
 * the handler.  Returns 0 when a response was written, -1 when req->err
 * holds the error still to be sent.
 */
int	route_dispatch(struct req *);

/* Match only (for tests and fuzzing): 0 and req->route set, or -1. */
int	route_match(struct req *);

/*
 * Routes by number, for the metrics: 0 is "no route" (404, 405,
 * OPTIONS), 1..route_count()-1 the table's entries in order.
 */
unsigned route_count(void);
unsigned route_index(const struct route *);
/* A route's method ("GET") and pattern; "" and "none" for 0. */
int	route_label(unsigned, const char **method, const char **pattern);

/* A call of the Delta Sharing API (recipients' routes, file URLs). */
bool	route_is_sharing(const struct route *);

#endif
