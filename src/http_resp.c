/*
 * http_resp.c: response writing and the JSON error body (see http_resp.h).
 *
 * The status line and errorCode come from err.c's table; this file only
 * adds the headers an error needs (WWW-Authenticate on 401, Retry-After
 * on 429 and 503) and never puts request secrets in a body.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "http_req.h"
#include "http_resp.h"
#include "jsonw.h"
#include "log.h"
#include "strutil.h"

#define OUT_FLUSH	(256 * 1024)

void
resp_init(struct req *r)
{
	buf_init(&r->hdrs, 64 * 1024);
	buf_init(&r->out, 0);
	r->status = 0;
	r->started = false;
	r->failed_write = false;
	r->bytes_out = 0;
}

void
resp_header(struct req *r, const char *name, const char *fmt, ...)
{
	va_list	 ap;

	if (r->started)
		return;
	buf_addf(&r->hdrs, "%s: ", name);
	va_start(ap, fmt);
	buf_vaddf(&r->hdrs, fmt, ap);
	va_end(ap);
	buf_add(&r->hdrs, "\r\n", 2);
}

static int
emit(struct req *r, const char *p, size_t n)
{
	if (r->failed_write || n == 0)
		return r->failed_write ? -1 : 0;
	if (r->io.write(r->io.ctx, p, n) == -1) {
		/* The client went away; keep going quietly to the end. */
		r->failed_write = true;
		return -1;
	}
	r->bytes_out += n;
	return 0;
}

int
resp_start(struct req *r, int status, const char *content_type)
{
	struct buf	 h;
	int		 rc;

	if (r->started)
		return 0;
	if (r->who.pending && status < 400) {
		/* A handler of ROUTE_TOKEN_IN_READ that skipped its read. */
		log_error("answer refused: the token was not checked "
		    "(request %s)", r->id);
		memset(&r->who, 0, sizeof(r->who));
		return req_fail(r, ERR_INTERNAL, "internal error");
	}
	r->started = true;
	r->status = status;
	buf_init(&h, 0);
	buf_addf(&h, "Status: %d %s\r\n", status, err_reason(status));
	if (content_type != NULL)
		buf_addf(&h, "Content-Type: %s\r\n", content_type);
	buf_adds(&h, "Cache-Control: no-store\r\n"
	    "X-Content-Type-Options: nosniff\r\n");
	buf_addf(&h, "X-Request-Id: %s\r\n", r->id);
	buf_add(&h, buf_str(&r->hdrs), r->hdrs.len);
	buf_add(&h, "\r\n", 2);
	rc = emit(r, h.data, h.len);
	buf_release(&h);
	return rc;
}

static int
flush_out(struct req *r)
{
	int	 rc;

	rc = emit(r, buf_str(&r->out), r->out.len);
	buf_reset(&r->out);
	return rc;
}

int
resp_write(struct req *r, const void *p, size_t n)
{
	if (!r->started && resp_start(r, 200, NULL) == -1)
		return -1;
	if (r->method == HTTP_HEAD)
		return 0;
	if (n >= OUT_FLUSH) {
		if (flush_out(r) == -1)
			return -1;
		return emit(r, p, n);
	}
	buf_add(&r->out, p, n);
	if (r->out.len >= OUT_FLUSH)
		return flush_out(r);
	return 0;
}

struct buf *
resp_body(struct req *r)
{
	if (!r->started)
		resp_start(r, 200, NULL);	/* a failure shows when sent */
	return &r->out;
}

int
resp_body_done(struct req *r)
{
	if (r->method == HTTP_HEAD) {
		buf_reset(&r->out);
		return 0;
	}
	if (r->out.len >= OUT_FLUSH)
		return flush_out(r);
	return r->failed_write ? -1 : 0;
}

int
resp_finish(struct req *r)
{
	int	 rc = 0;

	if (!r->started)
		rc = resp_start(r, 200, NULL);
	if (flush_out(r) == -1)
		rc = -1;
	buf_release(&r->out);
	buf_release(&r->hdrs);
	return rc;
}

int
resp_json(struct req *r, int status, const struct buf *body)
{
	resp_header(r, "Content-Length", "%zu", body->len);
	if (resp_start(r, status, CT_JSON) == -1)
		return -1;
	return resp_write(r, buf_str(body), body->len);
}

int
resp_empty(struct req *r, int status)
{
	if (status != 204 && status != 304)
		resp_header(r, "Content-Length", "0");
	return resp_start(r, status, NULL);
}

int
resp_error(struct req *r)
{
	struct buf	 b;
	struct jsonw	 w;
	enum err_kind	 kind = r->err.kind;
	int		 status, rc;

	if (kind == ERR_NONE) {
		kind = ERR_INTERNAL;
		snprintf(r->err.msg, sizeof(r->err.msg), "internal error");
	}
	status = err_status(kind);
	str_utf8_sanitize(r->err.msg);
	if (r->started) {
		/* Too late for a status: the body is cut short instead. */
		log_warn("request %s: error after response start: %s", r->id,
		    r->err.msg);
		return -1;
	}
	if (kind == ERR_UNAUTHENTICATED)
		resp_header(r, "WWW-Authenticate",
		    "Bearer realm=\"deltashare\", error=\"invalid_token\"");
	if ((kind == ERR_RATE_LIMITED || kind == ERR_UNAVAILABLE) &&
	    r->err.retry_after > 0)
		resp_header(r, "Retry-After", "%d", r->err.retry_after);
	buf_init(&b, 0);
	jsonw_init(&w, &b);
	jsonw_obj_open(&w);
	jsonw_key(&w, "errorCode");
	jsonw_str(&w, err_code(kind));
	jsonw_key(&w, "message");
	jsonw_str(&w, r->err.msg);
	jsonw_obj_close(&w);
	rc = resp_json(r, status, &b);
	buf_release(&b);
	return rc;
}
