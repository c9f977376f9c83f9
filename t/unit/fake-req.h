/*
 * fake-req.h: a struct req driven by a table of CGI variables and an
 * in-memory body, for the unit tests of http_req.c and route.c.
 *
 * fake_req_init() sets up the request the way fcgi.c would (arena, a
 * conf with prefix "/delta-sharing" and max_body 1024, resp_init), with
 * req_io callbacks that answer from the table and read the body in
 * chunks of at most f->chunk bytes (0: all at once).  fake_req_free()
 * releases everything.  Nothing here touches a database.
 */
#ifndef DS_FAKE_REQ_H
#define DS_FAKE_REQ_H

#include <stddef.h>

#include "conf.h"
#include "http_req.h"

#define FAKE_MAX_VARS	16

struct fake_req {
	struct req	 req;
	struct conf	 conf;
	const char	*vars[2 * FAKE_MAX_VARS + 1];	/* name, value, ... */
	const char	*body;
	size_t		 bodylen;
	size_t		 pos;
	size_t		 chunk;
	int		 fail_read;	/* read() returns -1 at the end */
};

/* vars: name, value pairs, NULL-terminated; copied by pointer. */
void	fake_req_init(struct fake_req *, const char *const *vars);
void	fake_req_free(struct fake_req *);

#endif
