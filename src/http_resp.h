/*
 * http_resp.h: writing the response: status, headers, body, errors.
 *
 * Headers accumulate with resp_header() until the first body byte or
 * resp_finish(); then "Status:" and the headers go out in one write.
 * Body bytes are buffered and flushed in large writes.  HEAD responses
 * carry headers only.  Every error, 401 included, leaves as a JSON body
 * {"errorCode","message"} built from req->err by resp_error().
 */
#ifndef DS_HTTP_RESP_H
#define DS_HTTP_RESP_H

#include <stddef.h>

struct buf;
struct req;

#define CT_JSON		"application/json; charset=utf-8"
#define CT_NDJSON	"application/x-ndjson; charset=utf-8"

void	resp_init(struct req *);
void	resp_header(struct req *, const char *name, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
int	resp_start(struct req *, int status, const char *content_type);
int	resp_write(struct req *, const void *, size_t);
int	resp_finish(struct req *);

/*
 * Writing the body in place, without a copy: resp_body() starts the
 * response if need be and returns the buffer of body bytes not sent yet,
 * to append to; resp_body_done() then sends them on when they are many
 * (HEAD: drops them).  Returns like resp_write().
 */
struct buf *resp_body(struct req *);
int	resp_body_done(struct req *);

/* A complete JSON response with Content-Length. */
int	resp_json(struct req *, int status, const struct buf *);

/* A response without body (204, or a HEAD-style answer). */
int	resp_empty(struct req *, int status);

/* The error recorded in req->err, as JSON (or bare status for HEAD). */
int	resp_error(struct req *);

#endif
