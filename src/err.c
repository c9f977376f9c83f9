/*
 * err.c: the error-kind table (status, errorCode) and struct err helpers.
 *
 * This is the only place that decides which HTTP status and errorCode a
 * failure gets.  Messages are short and safe to show to the client;
 * internal details go to the log at the point of failure.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "err.h"

static const struct {
	int		 status;
	const char	*code;
} kinds[ERR__MAX] = {
	[ERR_NONE] =		{ 200, "OK" },
	[ERR_BAD_PARAM] =	{ 400, "INVALID_PARAMETER_VALUE" },
	[ERR_MALFORMED] =	{ 400, "MALFORMED_REQUEST" },
	[ERR_UNSUPPORTED] =	{ 400, "UNSUPPORTED_OPERATION" },
	[ERR_UNAUTHENTICATED] =	{ 401, "UNAUTHENTICATED" },
	[ERR_FORBIDDEN] =	{ 403, "PERMISSION_DENIED" },
	[ERR_NOT_FOUND] =	{ 404, "RESOURCE_DOES_NOT_EXIST" },
	[ERR_NO_ENDPOINT] =	{ 404, "ENDPOINT_NOT_FOUND" },
	[ERR_METHOD] =		{ 405, "METHOD_NOT_ALLOWED" },
	[ERR_EXISTS] =		{ 409, "RESOURCE_ALREADY_EXISTS" },
	[ERR_CONFLICT] =	{ 409, "RESOURCE_CONFLICT" },
	[ERR_TOO_LARGE] =	{ 413, "REQUEST_TOO_LARGE" },
	[ERR_RANGE] =		{ 416, "RANGE_NOT_SATISFIABLE" },
	[ERR_RATE_LIMITED] =	{ 429, "REQUEST_LIMIT_EXCEEDED" },
	[ERR_INTERNAL] =	{ 500, "INTERNAL_ERROR" },
	[ERR_UPSTREAM] =	{ 502, "STORAGE_ERROR" },
	[ERR_UNAVAILABLE] =	{ 503, "TEMPORARILY_UNAVAILABLE" },
};

void
err_clear(struct err *e)
{
	e->kind = ERR_NONE;
	e->retry_after = 0;
	e->msg[0] = '\0';
}

int
err_vset(struct err *e, enum err_kind kind, const char *fmt, va_list ap)
{
	e->kind = kind;
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	return -1;
}

int
err_set(struct err *e, enum err_kind kind, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	err_vset(e, kind, fmt, ap);
	va_end(ap);
	return -1;
}

int
err_status(enum err_kind kind)
{
	if ((unsigned)kind >= ERR__MAX)
		kind = ERR_INTERNAL;
	return kinds[kind].status;
}

const char *
err_code(enum err_kind kind)
{
	if ((unsigned)kind >= ERR__MAX)
		kind = ERR_INTERNAL;
	return kinds[kind].code;
}

const char *
err_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 206: return "Partial Content";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Content Too Large";
	case 416: return "Range Not Satisfiable";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	default: return "Unknown";
	}
}
