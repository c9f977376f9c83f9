/*
 * httpc.h: HTTP requests to object stores and token endpoints, through
 * libcurl.
 *
 * One process-wide connection cache (a curl share) keeps connections
 * alive between requests and between the handles of a parallel batch.
 * Every request has a connect timeout and a total timeout; transient
 * failures (connection errors, timeouts, 429 and 5xx answers) are
 * retried a bounded number of times with jittered exponential backoff.
 * Requests must be safe to resend as they are: signatures in headers
 * (SigV4, Shared Key, bearer tokens) stay valid for minutes.
 *
 * Only http and https URLs are followed, and no redirect is followed:
 * a store that answers 3xx gets an error, never a request elsewhere.
 * URLs may carry signatures, so they are never put in error messages;
 * messages name the host.
 */
#ifndef DS_HTTPC_H
#define DS_HTTPC_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

struct err;

#define HTTPC_MAX_HEADERS	16

struct httpc_req {
	const char	*method;	/* "GET", "HEAD", "POST" */
	const char	*url;
	const char	*headers[HTTPC_MAX_HEADERS];	/* "Name: value" */
	size_t		 nheaders;
	const char	*body;		/* POST body, or NULL */
	size_t		 bodylen;
	size_t		 max;		/* answer body cap (ERR_TOO_LARGE) */
};

struct httpc_resp {
	long		 status;	/* 0 until answered */
	struct buf	 body;		/* set up by httpc; buf_release() */
	int64_t		 content_length;	/* -1: not given */
	int64_t		 last_modified_ms;	/* -1: not given */
	char		 etag[80];
	char		 errcode[64];	/* x-ms-error-code, or "" */
	int		 attempts;
};

/* Tuning, from the configuration; defaults without a call. */
void	httpc_config(long connect_timeout_ms, long timeout_ms, int retries);

/*
 * Send one request, retrying transient failures.  Returns 0 with any
 * final HTTP status in resp (the caller maps 4xx and 5xx), or -1 when no
 * answer came: ERR_UNAVAILABLE (connection refused, timeout, DNS) or
 * ERR_TOO_LARGE (the body passed max).
 */
int	httpc_do(const struct httpc_req *, struct httpc_resp *, struct err *);

/*
 * Send n requests in parallel (at most 16 at a time), each retried on
 * its own.  errs[i] says how request i went; returns 0 when every one
 * got an answer, else -1.
 */
int	httpc_many(const struct httpc_req *, struct httpc_resp *, size_t n,
	    struct err *errs);

/* An HTTP date ("Tue, 02 Jan 2024 03:04:05 GMT") in ms, or -1. */
int64_t	httpc_date_ms(const char *);

/* The host[:port] of a URL, for messages (static buffer). */
const char *httpc_host(const char *url);

#endif
