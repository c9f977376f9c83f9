/*
 * http_req.h: one HTTP request as the worker sees it, and its parsing.
 *
 * The FastCGI or CGI front (fcgi.c) fills a struct req_io; http_req.c
 * turns the raw CGI parameters into a struct req: method, the raw path
 * (REQUEST_URI, never the front end's decoded PATH_INFO) split into
 * percent-decoded segments, query parameters, and, on demand, a body
 * capped at server.max_body.  Everything lives in the request arena.
 *
 * Handlers receive a struct req and record failures with req_fail(),
 * which returns -1 so "return req_fail(...)" reads naturally.
 */
#ifndef DS_HTTP_REQ_H
#define DS_HTTP_REQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth.h"
#include "buf.h"
#include "err.h"

struct arena;
struct conf;
struct db;
struct route;

enum http_method {
	HTTP_GET = 1 << 0,
	HTTP_HEAD = 1 << 1,
	HTTP_POST = 1 << 2,
	HTTP_PUT = 1 << 3,
	HTTP_PATCH = 1 << 4,
	HTTP_DELETE = 1 << 5,
	HTTP_OPTIONS = 1 << 6,
	HTTP_OTHER = 1 << 7,
};

/* How the request reaches us: FastCGI streams or CGI stdio. */
struct req_io {
	const char	*(*param)(void *ctx, const char *name);
	long		 (*read)(void *ctx, char *buf, size_t n);
	int		 (*write)(void *ctx, const char *buf, size_t n);
	void		*ctx;
};

struct req_param {
	const char	*name;
	const char	*value;
};

#define REQ_MAX_SEGS	16
#define REQ_MAX_ASKED	8

/*
 * What a sharing call asked for and got, filled in by the handlers for
 * its audit record (audit.h).
 */
struct req_audit {
	const char	*asked[REQ_MAX_ASKED];	/* name */
	const char	*asked_json[REQ_MAX_ASKED];	/* its value, as JSON */
	size_t		 nasked;
	int64_t		 version;	/* served; -1: none */
	int64_t		 end_version;	/* last of a range; -1: none */
	unsigned	 hints;		/* AUDIT_HINT_* applied */
	int64_t		 files;		/* file lines sent */
	int64_t		 bytes;		/* their sizes */
	int64_t		 table_id;	/* a file URL's table; 0: none */
	const char	*file;		/* a file URL's key */
	char		 at[40];	/* the record's time */
	const char	*line;		/* the record, once prepared */
};

struct req {
	struct arena		*arena;
	const struct conf	*conf;
	struct db		*db;
	struct req_io		 io;
	struct err		 err;
	int64_t			 now_ms;
	char			 id[17];

	enum http_method	 method;
	const char		*method_str;
	const char		*path;		/* raw, without query */
	const char		*segs[REQ_MAX_SEGS];	/* decoded, below prefix */
	size_t			 nsegs;
	size_t			 seglen[REQ_MAX_SEGS];
	struct req_param	*params;
	size_t			 nparams;

	const struct route	*route;
	const char		*args[REQ_MAX_SEGS];	/* route captures */
	size_t			 nargs;
	struct principal	 who;

	char			*body;
	size_t			 bodylen;

	struct req_audit	 audit;

	/* Response state, owned by http_resp.c. */
	struct buf		 hdrs;
	struct buf		 out;
	int			 status;
	bool			 started;
	bool			 failed_write;
	uint64_t		 bytes_out;
};

/*
 * Parse method, path and query from the CGI parameters.  Returns -1 with
 * req->err set on malformed input (bad escapes, too many segments,
 * invalid UTF-8 in a parameter).
 */
int		 req_parse(struct req *);

/* CGI parameter (e.g. "HTTP_AUTHORIZATION"), or NULL. */
const char	*req_env(const struct req *, const char *);

/*
 * Query parameter by exact name: 0 if absent, 1 if present (*out set),
 * -1 if given more than once (400 recorded).
 */
int		 req_query(struct req *, const char *name, const char **out);

/*
 * Read the body (once; later calls return the same bytes).  Enforces
 * CONTENT_LENGTH against server.max_body (413) and reads exactly that
 * many bytes (400 on a short read).  The body is NUL-terminated.
 */
int		 req_read_body(struct req *);

/*
 * The public URL of the sharing endpoint, as profile files carry it:
 * server.public_url when set, else scheme, Host and prefix of this
 * request (a Host header with unexpected characters is not used).
 */
const char	*req_endpoint(struct req *);

/*
 * The path for log lines: as requested, but with the token of a file URL
 * ({prefix}/files/{token}) left out, since it grants access.
 */
const char	*req_log_path(struct req *);

int		 req_fail(struct req *, enum err_kind, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

const char	*req_method_name(enum http_method);

#endif
