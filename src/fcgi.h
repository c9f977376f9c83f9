/*
 * fcgi.h: the worker loop.
 *
 * Under a FastCGI front end, accept requests until SIGTERM, SIGINT or
 * server.max_requests; started any other way, answer exactly one request
 * as a CGI program (environment, stdin, stdout).
 */
#ifndef DS_FCGI_H
#define DS_FCGI_H

struct conf;
struct db;

int	fcgi_run(const struct conf *, struct db *);

#endif
