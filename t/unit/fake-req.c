/*
 * fake-req.c: a struct req over a table of CGI variables (see
 * fake-req.h).
 */
#include "config.h"

#include <string.h>

#include "arena.h"
#include "fake-req.h"
#include "http_resp.h"

static char	 fake_prefix[] = "/delta-sharing";

static const char *
fake_param(void *ctx, const char *name)
{
	struct fake_req	*f = ctx;
	size_t		 i;

	for (i = 0; f->vars[i] != NULL; i += 2)
		if (strcmp(f->vars[i], name) == 0)
			return f->vars[i + 1];
	return NULL;
}

static long
fake_read(void *ctx, char *buf, size_t n)
{
	struct fake_req	*f = ctx;

	if (f->pos == f->bodylen)
		return f->fail_read ? -1 : 0;
	if (n > f->bodylen - f->pos)
		n = f->bodylen - f->pos;
	if (f->chunk != 0 && n > f->chunk)
		n = f->chunk;
	memcpy(buf, f->body + f->pos, n);
	f->pos += n;
	return (long)n;
}

static int
fake_write(void *ctx, const char *buf, size_t n)
{
	return 0;
}

void
fake_req_init(struct fake_req *f, const char *const *vars)
{
	size_t	 i;

	memset(f, 0, sizeof(*f));
	for (i = 0; vars != NULL && vars[i] != NULL &&
	    i < 2 * FAKE_MAX_VARS; i += 2) {
		f->vars[i] = vars[i];
		f->vars[i + 1] = vars[i + 1];
	}
	f->conf.prefix = fake_prefix;
	f->conf.max_body = 1024;
	f->req.arena = arena_new();
	f->req.conf = &f->conf;
	f->req.io.param = fake_param;
	f->req.io.read = fake_read;
	f->req.io.write = fake_write;
	f->req.io.ctx = f;
	err_clear(&f->req.err);
	resp_init(&f->req);
}

void
fake_req_free(struct fake_req *f)
{
	buf_release(&f->req.hdrs);
	buf_release(&f->req.out);
	arena_free(f->req.arena);
	f->req.arena = NULL;
}
