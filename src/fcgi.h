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

/*
 * systemd socket activation: when LISTEN_PID is this process and
 * LISTEN_FDS is 1, make descriptor 3 the FastCGI listening socket
 * (descriptor 0) and clear the LISTEN_* variables.  Returns 1 when it
 * did, 0 when they are absent or for another process, -1 when they are
 * malformed or name more than one socket.
 */
int	fcgi_adopt_listen_fds(void);

/* Is descriptor 0 a listening socket (FastCGI), not CGI? */
int	fcgi_listening(void);

#endif
