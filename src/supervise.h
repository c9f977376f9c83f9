/*
 * supervise.h: a parent that keeps N worker processes running on one
 * inherited listening socket ("deltashare -w N", for nginx and Apache's
 * mod_proxy_fcgi, under systemd or spawn-fcgi).
 */
#ifndef DS_SUPERVISE_H
#define DS_SUPERVISE_H

typedef int (*supervise_fn)(void *);

/*
 * Fork nworkers processes that each run fn(arg) (a worker's life; 0 on a
 * clean exit), start another whenever one ends, until SIGTERM or SIGINT;
 * then stop them and return 0.  SIGHUP replaces them one by one.
 */
int	supervise(int nworkers, supervise_fn fn, void *arg);

#endif
