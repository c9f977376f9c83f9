/*
 * supervise.h: a parent that keeps N worker processes running on one
 * inherited listening socket ("deltashare -w N", for nginx and Apache's
 * mod_proxy_fcgi, under systemd or spawn-fcgi).
 */
#ifndef DS_SUPERVISE_H
#define DS_SUPERVISE_H

struct supervise_ops {
	/* A worker's life, in a child: 0 when it ends cleanly. */
	int	(*work)(void *);
	/* SIGHUP, in the parent: 0 to replace the workers, -1 to keep them. */
	int	(*reload)(void *);
};

/*
 * Fork nworkers processes that each run ops->work(arg), start another
 * whenever one ends, until SIGTERM or SIGINT; then stop them and return
 * 0.  SIGHUP calls ops->reload(arg) (if not NULL) and, unless it fails,
 * replaces the workers one by one.
 */
int	supervise(int nworkers, const struct supervise_ops *, void *arg);

#endif
