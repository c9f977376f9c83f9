/*
 * err.h: error kinds and the one table that maps them to HTTP.
 *
 * A failing function records what went wrong once, in a struct err owned
 * by its caller (struct req carries one per request), and returns -1.
 * Callers propagate -1 without re-recording.  The HTTP layer turns the
 * kind into a status and an errorCode with err_status()/err_code(); the
 * codes match the reference Delta Sharing server where it has one.
 */
#ifndef DS_ERR_H
#define DS_ERR_H

#include <stdarg.h>

enum err_kind {
	ERR_NONE,
	ERR_BAD_PARAM,		/* 400 INVALID_PARAMETER_VALUE */
	ERR_MALFORMED,		/* 400 MALFORMED_REQUEST */
	ERR_UNSUPPORTED,	/* 400 UNSUPPORTED_OPERATION */
	ERR_UNAUTHENTICATED,	/* 401 UNAUTHENTICATED */
	ERR_FORBIDDEN,		/* 403 PERMISSION_DENIED */
	ERR_NOT_FOUND,		/* 404 RESOURCE_DOES_NOT_EXIST */
	ERR_NO_ENDPOINT,	/* 404 ENDPOINT_NOT_FOUND */
	ERR_METHOD,		/* 405 METHOD_NOT_ALLOWED */
	ERR_EXISTS,		/* 409 RESOURCE_ALREADY_EXISTS */
	ERR_CONFLICT,		/* 409 RESOURCE_CONFLICT */
	ERR_TOO_LARGE,		/* 413 REQUEST_TOO_LARGE */
	ERR_RANGE,		/* 416 RANGE_NOT_SATISFIABLE */
	ERR_RATE_LIMITED,	/* 429 REQUEST_LIMIT_EXCEEDED */
	ERR_INTERNAL,		/* 500 INTERNAL_ERROR */
	ERR_UPSTREAM,		/* 502 STORAGE_ERROR */
	ERR_UNAVAILABLE,	/* 503 TEMPORARILY_UNAVAILABLE */
	ERR__MAX
};

struct err {
	enum err_kind	 kind;
	int		 retry_after;	/* seconds, for 429 and 503; 0: none */
	char		 msg[1024];
};

void		 err_clear(struct err *);
int		 err_set(struct err *, enum err_kind, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
int		 err_vset(struct err *, enum err_kind, const char *, va_list)
		    __attribute__((format(printf, 3, 0)));
int		 err_status(enum err_kind);
const char	*err_code(enum err_kind);
const char	*err_reason(int status);

#endif
