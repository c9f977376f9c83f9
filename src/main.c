/*
 * main.c: deltashare, the Delta Sharing server for FastCGI.
 *
 *	deltashare [-f file]		serve (FastCGI, or one CGI request)
 *	deltashare [-f file] -w N	N workers on the inherited socket
 *	deltashare [-f file] -n		check the configuration and exit
 *	deltashare [-f file] migrate [--status]
 *	deltashare [-f file] passwd ACCOUNT	(password on standard input)
 *	deltashare [-f file] metrics [--unlink]
 *	deltashare config-keys		list configuration keys
 *	deltashare -V
 *
 * Start-up order: configuration, logging, key checks, then the command.
 * Problems found before serving are fatal and go to stderr, which the
 * web server records.
 */
#include "config.h"

#include <sys/prctl.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "admin.h"
#include "arena.h"
#include "buf.h"
#include "catgen.h"
#include "conf.h"
#include "crypto.h"
#include "db.h"
#include "err.h"
#include "fcgi.h"
#include "log.h"
#include "metrics.h"
#include "migrate.h"
#include "name.h"
#include "passwd.h"
#include "strutil.h"
#include "supervise.h"
#include "token.h"

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: deltashare [-nV] [-f file] [-w workers] "
	    "[migrate [--status] | passwd account | metrics [--unlink] | "
	    "config-keys]\n");
	exit(2);
}

/* The configuration, ready to serve; NULL (reported) on errors. */
static struct conf *
load_conf(const char *path)
{
	struct conf	*c;
	struct err	 e;

	if ((c = conf_load(path, stderr)) == NULL)
		return NULL;
	log_set_level(c->log_level);
	if (token_init(c, &e) == -1) {
		fprintf(stderr, "deltashare: config: %s\n", e.msg);
		conf_free(c);
		return NULL;
	}
	return c;
}

static struct conf *
load(const char *path)
{
	struct conf	*c;

	if ((c = load_conf(path)) == NULL)
		exit(1);
	return c;
}

static int
cmd_migrate(const struct conf *c, int argc, char **argv)
{
	struct db	*db = db_new(c, 0);
	struct arena	*a = arena_new();
	struct err	 e;
	int		 rc;

	err_clear(&e);
	if (argc > 1 && strcmp(argv[1], "--status") == 0)
		rc = migrate_status(db, a, stdout, &e);
	else if (argc > 1)
		usage();
	else
		rc = migrate_run(db, a, stdout, &e);
	if (rc == -1)
		fprintf(stderr, "deltashare: migrate: %s\n", e.msg);
	arena_free(a);
	db_free(db);
	return rc == -1 ? 1 : 0;
}

/*
 * Read one line (the password) from stdin, without its newline; on a
 * terminal, prompt and turn echo off meanwhile.
 */
static int
read_password(const char *account, char *buf, size_t size)
{
	struct termios	 old, quiet;
	size_t		 n;
	int		 tty, rc = 0;

	tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
	if (tty) {
		fprintf(stderr, "password for %s: ", account);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	if (fgets(buf, (int)size, stdin) == NULL)
		rc = -1;
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	if (rc == -1)
		return -1;
	n = strcspn(buf, "\r\n");
	if (buf[n] == '\0' && n == size - 1)
		return -1;		/* longer than the buffer */
	buf[n] = '\0';
	return 0;
}

static int
cmd_passwd(const struct conf *c, int argc, char **argv)
{
	struct db	*db;
	struct arena	*a;
	struct err	 e;
	struct db_res	*res;
	char		 pw[PASSWD_MAX + 2], hash[PASSWD_HASHMAX];
	const char	*p[6];
	enum db_stmt	 st;
	int		 rc = 1;

	if (argc != 2)
		usage();
	err_clear(&e);
	if (name_check(argv[1], strlen(argv[1]), NAME_ACCOUNT, &e) == -1) {
		fprintf(stderr, "deltashare: passwd: %s\n", e.msg);
		return 1;
	}
	if (read_password(argv[1], pw, sizeof(pw)) == -1) {
		fprintf(stderr, "deltashare: passwd: no password on stdin, or "
		    "longer than %d bytes\n", PASSWD_MAX);
		return 1;
	}
	err_clear(&e);
	if (passwd_check_policy(pw, &e) == -1 ||
	    passwd_hash(pw, hash, &e) == -1) {
		crypto_wipe(pw, sizeof(pw));
		fprintf(stderr, "deltashare: passwd: %s\n", e.msg);
		return 1;
	}
	crypto_wipe(pw, sizeof(pw));
	db = db_new(c, migrate_latest());
	a = arena_new();
	p[0] = argv[1];
	if (db_begin(db, &e) == -1 ||
	    db_exec(db, a, STMT_ACCOUNT_GET, p, &res, &e) == -1)
		goto out;
	st = db_rows(res) == 1 ? STMT_ACCOUNT_SET_PASSWORD :
	    STMT_ACCOUNT_INSERT;
	p[1] = hash;
	if (db_exec(db, a, st, p, &res, &e) == -1)
		goto out;
	/* A new password ends the sessions of the old one. */
	p[1] = NULL;
	if (st == STMT_ACCOUNT_SET_PASSWORD && db_exec(db, a,
	    STMT_TOKEN_REVOKE_ACCOUNT, p, NULL, &e) == -1)
		goto out;
	p[1] = hash;
	p[0] = "cli";
	p[1] = st == STMT_ACCOUNT_INSERT ? "account.create" :
	    "account.password";
	p[2] = "account";
	p[3] = argv[1];
	p[4] = NULL;
	p[5] = db_val(res, 0, 1);
	if (db_exec(db, a, STMT_AUDIT_INSERT, p, NULL, &e) == -1 ||
	    db_commit(db, &e) == -1)
		goto out;
	printf("%s account '%s'\n", st == STMT_ACCOUNT_INSERT ? "created" :
	    "set password of", argv[1]);
	rc = 0;
out:
	if (rc != 0)
		fprintf(stderr, "deltashare: passwd: %s\n", e.msg);
	db_rollback(db);
	arena_free(a);
	db_free(db);
	return rc;
}

/*
 * The workers' metrics (of this user), or remove them and the catalog
 * generation (catgen.h).
 */
static int
cmd_metrics(const struct conf *c, int argc, char **argv)
{
	struct buf	 b;

	if (argc > 2 || (argc == 2 && strcmp(argv[1], "--unlink") != 0))
		usage();
	if (argc == 2) {
		if (metrics_unlink(c->path) == -1) {
			fprintf(stderr, "deltashare: metrics: %s: %s\n",
			    metrics_name(c->path), strerror(errno));
			return 1;
		}
		if (catgen_unlink(c->path) == -1) {
			fprintf(stderr, "deltashare: metrics: %s: %s\n",
			    metrics_segment_name(c->path, "catalog"),
			    strerror(errno));
			return 1;
		}
		return 0;
	}
	if (metrics_open(c->path) == -1)
		return 1;
	buf_init(&b, 0);
	admin_metrics_text(&b);
	fwrite(b.data, 1, b.len, stdout);
	buf_release(&b);
	return fflush(stdout) == 0 ? 0 : 1;
}

/* What the workers serve with: the configuration, read again on SIGHUP. */
struct server {
	const char	*path;
	struct conf	*c;
};

/* One worker's life: serve until told to stop. */
static int
worker(void *arg)
{
	const struct conf *c = ((struct server *)arg)->c;
	struct db	*db;
	int		 rc;

	db = db_new(c, migrate_latest());
	rc = fcgi_run(c, db) == -1 ? 1 : 0;
	db_free(db);
	return rc;
}

/* SIGHUP in the supervisor: the new configuration, or the old one. */
static int
reload(void *arg)
{
	struct server	*sv = arg;
	struct conf	*c;
	struct err	 e;

	if ((c = load_conf(sv->path)) == NULL) {
		/* load_conf may have left the new level and keys. */
		log_set_level(sv->c->log_level);
		(void)token_init(sv->c, &e);
		return -1;
	}
	conf_free(sv->c);
	sv->c = c;
	return 0;
}

/* Serve: one worker, or a supervisor of nworkers. */
static int
serve(struct server *sv, int64_t nworkers)
{
	static const struct supervise_ops ops = { worker, reload };

	if (fcgi_adopt_listen_fds() == -1) {
		fprintf(stderr, "deltashare: LISTEN_PID/LISTEN_FDS: expected "
		    "exactly one socket from systemd\n");
		return 1;
	}
	if (geteuid() == 0)
		log_warn("running as root: run workers as an "
		    "unprivileged user");
	if (nworkers == 0)
		return worker(sv);
	if (!fcgi_listening()) {
		fprintf(stderr, "deltashare: -w needs a listening socket, on "
		    "descriptor 0 (spawn-fcgi) or from systemd (LISTEN_FDS)\n");
		return 1;
	}
	return supervise((int)nworkers, &ops, sv);
}

int
main(int argc, char *argv[])
{
	struct conf	*c;
	struct server	 sv;
	const char	*path = NULL;
	int64_t		 nworkers = 0;
	int		 ch, check = 0, rc;

	log_init(LOG_LEVEL_INFO);
	/* Secrets live in this process: no core dumps, no ptrace by peers. */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	while ((ch = getopt(argc, argv, "+f:nVw:")) != -1) {
		switch (ch) {
		case 'f':
			path = optarg;
			break;
		case 'n':
			check = 1;
			break;
		case 'V':
			printf("deltashare %s\n", PACKAGE_VERSION);
			return 0;
		case 'w':
			if (str_parse_i64(optarg, 1, 256, &nworkers) == -1) {
				fprintf(stderr, "deltashare: -w: a number of "
				    "workers from 1 to 256\n");
				return 2;
			}
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 0 && strcmp(argv[0], "config-keys") == 0) {
		conf_list_keys(stdout);
		return 0;
	}
	if (check && argc > 0)
		usage();
	c = load(path);
	if (check) {
		conf_dump(c, stdout);
		printf("configuration OK\n");
		conf_free(c);
		return 0;
	}
	if (argc > 0 && strcmp(argv[0], "migrate") == 0)
		rc = cmd_migrate(c, argc, argv);
	else if (argc > 0 && strcmp(argv[0], "passwd") == 0)
		rc = cmd_passwd(c, argc, argv);
	else if (argc > 0 && strcmp(argv[0], "metrics") == 0)
		rc = cmd_metrics(c, argc, argv);
	else if (argc > 0)
		usage();
	else {
		sv.path = path;
		sv.c = c;
		rc = serve(&sv, nworkers);
		c = sv.c;
	}
	conf_free(c);
	return rc;
}
