/*
 * u-conf.c: unit tests for src/conf.c: defaults, INI values, environment
 * overrides, and every start-up error the loader is meant to report.
 *
 * Each case writes an INI file (with "@D@" standing for a scratch
 * directory holding secret and key files), sets its DELTASHARE_*
 * variables, calls conf_load() with an in-memory error stream, and then
 * checks either the conf_dump() text (success) or the error text
 * (failure).  The scratch directory is removed at the end.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "conf.h"
#include "tap.h"
#include "xmalloc.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

extern char **environ;

static char	*dir;		/* scratch directory, real path */

static const struct {
	const char	*name;
	const char	*data;
	size_t		 len;
} files[] = {
	{ "secret", "0123456789abcdef0123456789abcdef", 32 },
	{ "secret-nl", "0123456789abcdef0123456789abcdef\n", 33 },
	{ "secret-crlf", "0123456789abcdef0123456789abcdef\r\n", 34 },
	{ "secret-2nl", "0123456789abcdef0123456789abcdef\n\n", 34 },
	{ "secret31-nl", "0123456789abcdef0123456789abcde\n", 32 },
	{ "short", "tooshort", 8 },
	{ "empty", "", 0 },
	{ "pub.pem", "-----BEGIN PUBLIC KEY-----\nAA==\n"
	    "-----END PUBLIC KEY-----\n", 57 },
	{ "plain", "not a directory\n", 16 },
};

#define SRV	"[server]\nsecret_file = @D@/secret\n"
#define DB	"[db]\nconninfo = dbname=ds\n"
#define AUTH	"[auth]\nsecret_file = @D@/secret\n"
#define BASE	SRV DB AUTH

struct ccase {
	const char	*name;
	const char	*ini;		/* NULL: the file does not exist */
	const char	*env[3];	/* "NAME=value" */
	bool		 ok;
	const char	*want[4];	/* in the dump, or in the errors */
};

static const struct ccase cases[] = {
	{ "defaults", BASE, { NULL }, true, {
	    "server.prefix = /delta-sharing\n",
	    "server.max_body = 1048576\n",
	    "auth.algorithm = HS256\n",
	    "auth.clock_skew = 60\n" } },
	{ "more defaults", BASE, { NULL }, true, {
	    "log.level = info\n",
	    "auth.issuer = deltashare\n",
	    "auth.recipient_audience = deltashare-recipient\n",
	    "auth.admin_audience = deltashare-admin\n" } },
	{ "secrets are read, not shown", BASE, { NULL }, true, {
	    "server.secret_file = (32 bytes, not shown)\n",
	    "auth.secret_file = (32 bytes, not shown)\n",
	    "db.conninfo = dbname=ds\n",
	    "admin.allowed_roots = \n" } },
	{ "file values", BASE "[log]\nlevel = debug\n"
	    "[server]\nprefix = /api\nmax_body = 2048\n", { NULL }, true, {
	    "server.prefix = /api\n",
	    "server.max_body = 2048\n",
	    "log.level = debug\n" } },
	{ "environment wins over the file", BASE
	    "[server]\nprefix = /file\n",
	    { "DELTASHARE_SERVER_PREFIX=/env",
	    "DELTASHARE_AUTH_CLOCK_SKEW=5" }, true, {
	    "server.prefix = /env\n",
	    "auth.clock_skew = 5\n" } },
	{ "environment supplies a required key", SRV AUTH,
	    { "DELTASHARE_DB_CONNINFO=host=/tmp" }, true, {
	    "db.conninfo = host=/tmp\n" } },
	{ "DELTASHARE_CONF is not a key", BASE,
	    { "DELTASHARE_CONF=/nonexistent" }, true, { NULL } },
	{ "unknown section", BASE "[nope]\nx = 1\n", { NULL }, false, {
	    "unknown section [nope]" } },
	{ "unknown key", BASE "[server]\ncolour = blue\n", { NULL }, false,
	    { "unknown key 'colour' in [server]" } },
	{ "unknown environment variable", BASE,
	    { "DELTASHARE_SERVER_COLOUR=blue" }, false, {
	    "unknown environment variable DELTASHARE_SERVER_COLOUR" } },
	{ "environment names are upper case", BASE,
	    { "DELTASHARE_server_prefix=/x" }, false, {
	    "unknown environment variable DELTASHARE_server_prefix" } },
	{ "missing db.conninfo", SRV AUTH, { NULL }, false, {
	    "missing required key db.conninfo" } },
	{ "missing server.secret_file", DB AUTH, { NULL }, false, {
	    "missing required key server.secret_file" } },
	{ "empty required value", BASE, { "DELTASHARE_DB_CONNINFO=" },
	    false, { "missing required key db.conninfo" } },
	{ "missing file", NULL, { NULL }, false, { "cannot read" } },
	{ "syntax error", BASE "not an ini line\n", { NULL }, false, {
	    "syntax error", "cannot parse" } },
	{ "secret of 8 bytes", "[server]\nsecret_file = @D@/short\n" DB AUTH,
	    { NULL }, false, { "server.secret_file", "8 bytes",
	    "at least 32" } },
	{ "empty secret", "[server]\nsecret_file = @D@/empty\n" DB AUTH,
	    { NULL }, false, { "server.secret_file", "0 bytes" } },
	{ "secret of 31 bytes and a newline",
	    "[server]\nsecret_file = @D@/secret31-nl\n" DB AUTH, { NULL },
	    false, { "31 bytes" } },
	{ "trailing newline stripped",
	    "[server]\nsecret_file = @D@/secret-nl\n" DB AUTH, { NULL },
	    true, { "server.secret_file = (32 bytes, not shown)\n" } },
	{ "trailing CRLF stripped",
	    "[server]\nsecret_file = @D@/secret-crlf\n" DB AUTH, { NULL },
	    true, { "server.secret_file = (32 bytes, not shown)\n" } },
	{ "only one newline stripped",
	    "[server]\nsecret_file = @D@/secret-2nl\n" DB AUTH, { NULL },
	    true, { "server.secret_file = (33 bytes, not shown)\n" } },
	{ "secret file missing", "[server]\nsecret_file = @D@/nope\n" DB AUTH,
	    { NULL }, false, { "server.secret_file", "cannot open" } },
	{ "secret is a directory", "[server]\nsecret_file = @D@\n" DB AUTH,
	    { NULL }, false, { "not a regular file" } },
	{ "snapshot cache by default", BASE, { NULL }, true, {
	    "cache.snapshot_bytes = 134217728\n" } },
	{ "a size with a suffix", BASE "[cache]\nsnapshot_bytes = 3g\n",
	    { NULL }, true, { "cache.snapshot_bytes = 3221225472\n" } },
	{ "a size of 0", BASE, { "DELTASHARE_CACHE_SNAPSHOT_BYTES=0" }, true,
	    { "cache.snapshot_bytes = 0\n" } },
	{ "a size over its maximum", BASE "[cache]\nsnapshot_bytes = 2048G\n",
	    { NULL }, false, { "cache.snapshot_bytes", "'2048G'",
	    "is not a size from 0 to 1099511627776 bytes" } },
	{ "a size in other units", BASE "[cache]\nsnapshot_bytes = 1MB\n",
	    { NULL }, false, { "cache.snapshot_bytes", "not a size" } },
	{ "max_body at minimum", BASE "[server]\nmax_body = 1024\n", { NULL },
	    true, { "server.max_body = 1024\n" } },
	{ "max_body below minimum", BASE "[server]\nmax_body = 1023\n",
	    { NULL }, false, { "server.max_body", "'1023'",
	    "from 1024 to 1073741824" } },
	{ "max_body at maximum", BASE "[server]\nmax_body = 1073741824\n",
	    { NULL }, true, { "server.max_body = 1073741824\n" } },
	{ "max_body above maximum", BASE "[server]\nmax_body = 1073741825\n",
	    { NULL }, false, { "server.max_body" } },
	{ "integer with garbage", BASE "[db]\nconnect_timeout = 5s\n",
	    { NULL }, false, { "db.connect_timeout", "'5s'" } },
	{ "integer with plus sign", BASE "[db]\nconnect_timeout = +5\n",
	    { NULL }, false, { "db.connect_timeout" } },
	{ "negative integer", BASE "[auth]\nclock_skew = -1\n", { NULL },
	    false, { "auth.clock_skew" } },
	{ "integer overflow", BASE
	    "[server]\nmax_requests = 99999999999999999999\n", { NULL },
	    false, { "server.max_requests" } },
	{ "bad integer from the environment", BASE,
	    { "DELTASHARE_AUTH_CLOCK_SKEW=3601" }, false, {
	    "auth.clock_skew", "'3601'", "environment" } },
	{ "enum any case", BASE "[log]\nlevel = DEBUG\n", { NULL }, true, {
	    "log.level = debug\n" } },
	{ "enum unknown value", BASE "[log]\nlevel = verbose\n", { NULL },
	    false, { "log.level", "'verbose'" } },
	{ "algorithm none", BASE "[auth]\nalgorithm = none\n", { NULL },
	    false, { "auth.algorithm", "'none'" } },
	{ "algorithm HS512", BASE "[auth]\nalgorithm = HS512\n", { NULL },
	    false, { "auth.algorithm" } },
	{ "HS256 without secret", SRV DB, { NULL }, false, {
	    "HS256 requires auth.secret_file" } },
	{ "RS256 without public key", BASE "[auth]\nalgorithm = RS256\n",
	    { NULL }, false, { "RS256 requires auth.public_key_file" } },
	{ "ES256 without public key", BASE "[auth]\nalgorithm = ES256\n",
	    { NULL }, false, { "ES256 requires auth.public_key_file" } },
	{ "RS256 with a public key", SRV DB
	    "[auth]\nalgorithm = rs256\npublic_key_file = @D@/pub.pem\n",
	    { NULL }, true, { "auth.algorithm = RS256\n",
	    "auth.public_key_file = (57 bytes, not shown)\n" } },
	{ "same audiences", BASE "[auth]\nrecipient_audience = x\n"
	    "admin_audience = x\n", { NULL }, false, { "must differ" } },
	{ "recipient ttl above max ttl", BASE
	    "[auth]\nrecipient_token_ttl = 120\nmax_token_ttl = 60\n",
	    { NULL }, false, { "exceeds auth.max_token_ttl" } },
	{ "prefix without leading slash", BASE "[server]\nprefix = api\n",
	    { NULL }, false, { "server.prefix", "'api'" } },
	{ "prefix with trailing slash", BASE "[server]\nprefix = /api/\n",
	    { NULL }, false, { "server.prefix" } },
	{ "prefix with a space", BASE, { "DELTASHARE_SERVER_PREFIX=/a b" },
	    false, { "server.prefix" } },
	{ "prefix with a query", BASE "[server]\nprefix = /a?b\n", { NULL },
	    false, { "server.prefix" } },
	{ "prefix with a percent", BASE "[server]\nprefix = /a%20b\n",
	    { NULL }, false, { "server.prefix" } },
	{ "empty prefix", BASE, { "DELTASHARE_SERVER_PREFIX=" }, false, {
	    "server.prefix" } },
	{ "prefix slash means none", BASE "[server]\nprefix = /\n", { NULL },
	    true, { "server.prefix = \n" } },
	{ "nested prefix", BASE "[server]\nprefix = /a/b\n", { NULL }, true,
	    { "server.prefix = /a/b\n" } },
	{ "public_url must be http(s)", BASE
	    "[server]\npublic_url = ftp://x\n", { NULL }, false, {
	    "server.public_url" } },
	{ "public_url https", BASE "[server]\npublic_url = https://x/ds\n",
	    { NULL }, true, { "server.public_url = https://x/ds\n" } },
	{ "allowed_roots exist", BASE "[admin]\nallowed_roots = @D@:@D@/sub\n",
	    { NULL }, true, { "admin.allowed_roots = @D@:@D@/sub\n" } },
	{ "allowed_roots empty parts skipped", BASE
	    "[admin]\nallowed_roots = ::@D@/sub/:\n", { NULL }, true, {
	    "admin.allowed_roots = @D@/sub\n" } },
	{ "allowed_roots resolved", BASE
	    "[admin]\nallowed_roots = @D@/sub/../sub\n", { NULL }, true, {
	    "admin.allowed_roots = @D@/sub\n" } },
	{ "allowed_roots missing", BASE
	    "[admin]\nallowed_roots = @D@/nope\n", { NULL }, false, {
	    "admin.allowed_roots", "@D@/nope", "not a directory" } },
	{ "allowed_roots is a file", BASE
	    "[admin]\nallowed_roots = @D@/plain\n", { NULL }, false, {
	    "not a directory" } },
	{ "allowed_roots relative", BASE "[admin]\nallowed_roots = sub\n",
	    { NULL }, false, { "'sub' is not an absolute path" } },
	{ "every problem reported", SRV AUTH "[server]\ncolour = 1\n"
	    "[log]\nlevel = loud\n", { "DELTASHARE_X=1" }, false, {
	    "unknown key 'colour'", "'loud'", "DELTASHARE_X",
	    "missing required key db.conninfo" } },
};

/* Replace every "@D@" in s by the scratch directory. */
static char *
expand_dir(const char *s)
{
	struct buf	 b;
	const char	*p;

	buf_init(&b, 0);
	while ((p = strstr(s, "@D@")) != NULL) {
		buf_add(&b, s, (size_t)(p - s));
		buf_adds(&b, dir);
		s = p + 3;
	}
	buf_adds(&b, s);
	return buf_detach(&b);
}

static void
write_file(const char *path, const char *data, size_t len)
{
	int	 fd;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) == -1 ||
	    write(fd, data, len) != (ssize_t)len || close(fd) == -1)
		bail_out("cannot write %s: %s", path, strerror(errno));
}

static void
setup(void)
{
	const char	*tmp;
	char		*path, *real;
	size_t		 i;

	if ((tmp = getenv("TMPDIR")) == NULL || *tmp == '\0')
		tmp = "/tmp";
	path = xasprintf("%s/u-conf.XXXXXX", tmp);
	if (mkdtemp(path) == NULL)
		bail_out("mkdtemp %s: %s", path, strerror(errno));
	/* The loader resolves allowed_roots, so compare real paths. */
	if ((real = realpath(path, NULL)) == NULL)
		bail_out("realpath %s: %s", path, strerror(errno));
	dir = xstrdup(real);
	free(real);
	free(path);
	for (i = 0; i < NELEM(files); i++) {
		path = xasprintf("%s/%s", dir, files[i].name);
		write_file(path, files[i].data, files[i].len);
		free(path);
	}
	path = xasprintf("%s/sub", dir);
	if (mkdir(path, 0700) == -1)
		bail_out("mkdir %s: %s", path, strerror(errno));
	free(path);
}

static void
teardown(void)
{
	char	*path;
	size_t	 i;

	for (i = 0; i < NELEM(files); i++) {
		path = xasprintf("%s/%s", dir, files[i].name);
		unlink(path);
		free(path);
	}
	path = xasprintf("%s/sub", dir);
	rmdir(path);
	free(path);
	path = xasprintf("%s/case.ini", dir);
	unlink(path);
	free(path);
	rmdir(dir);
	free(dir);
}

/* No DELTASHARE_* variable may leak in from the caller. */
static void
clear_env(void)
{
	char	*name;
	size_t	 n;

	while (environ != NULL) {
		char	**ep;

		for (ep = environ; *ep != NULL; ep++)
			if (strncmp(*ep, "DELTASHARE_", 11) == 0)
				break;
		if (*ep == NULL)
			break;
		n = strcspn(*ep, "=");
		name = xstrndup(*ep, n);
		unsetenv(name);
		free(name);
	}
}

static void
set_env(const char *const *env, bool set)
{
	char	*name;
	size_t	 i, n;

	for (i = 0; i < 3 && env[i] != NULL; i++) {
		n = strcspn(env[i], "=");
		name = xstrndup(env[i], n);
		if (set)
			setenv(name, env[i] + n + 1, 1);
		else
			unsetenv(name);
		free(name);
	}
}

static void
run_case(const struct ccase *cc)
{
	struct conf	*c;
	FILE		*f;
	char		*errs = NULL, *dump = NULL, *path, *ini, *want;
	size_t		 errlen = 0, dumplen = 0, i;
	const char	*text;

	path = xasprintf("%s/case.ini", dir);
	unlink(path);
	if (cc->ini != NULL) {
		ini = expand_dir(cc->ini);
		write_file(path, ini, strlen(ini));
		free(ini);
	}
	set_env(cc->env, true);
	if ((f = open_memstream(&errs, &errlen)) == NULL)
		bail_out("open_memstream: %s", strerror(errno));
	c = conf_load(path, f);
	fclose(f);
	set_env(cc->env, false);

	if (c != NULL) {
		if ((f = open_memstream(&dump, &dumplen)) == NULL)
			bail_out("open_memstream: %s", strerror(errno));
		conf_dump(c, f);
		fclose(f);
	}
	if (!is_int(c != NULL, cc->ok, "conf %s: %s", cc->name,
	    cc->ok ? "loads" : "refused"))
		diag("errors:\n%s", errs);
	is_int(errlen == 0, cc->ok, "conf %s: %s", cc->name, cc->ok ?
	    "no messages" : "messages written");
	text = c != NULL ? dump : errs;
	for (i = 0; i < NELEM(cc->want) && cc->want[i] != NULL; i++) {
		want = expand_dir(cc->want[i]);
		if (!ok(text != NULL && strstr(text, want) != NULL,
		    "conf %s: %s mentions \"%s\"", cc->name, c != NULL ?
		    "dump" : "error", cc->want[i]))
			diag("text:\n%s", text ? text : "(none)");
		free(want);
	}
	if (c == NULL && errs != NULL)
		ok(strncmp(errs, "deltashare: config: ", 20) == 0,
		    "conf %s: errors carry the prefix", cc->name);
	conf_free(c);
	free(errs);
	free(dump);
	free(path);
}

/* A few fields checked on the struct itself, not through the dump. */
static void
test_struct(void)
{
	static const struct ccase cc = { "struct", BASE "[server]\nprefix = /\n"
	    "[admin]\nallowed_roots = @D@:@D@/sub\n", { NULL }, true,
	    { NULL } };
	struct conf	*c;
	char		*path, *ini, *sub;
	FILE		*f;

	path = xasprintf("%s/case.ini", dir);
	ini = expand_dir(cc.ini);
	write_file(path, ini, strlen(ini));
	f = tmpfile();
	c = conf_load(path, f);
	fclose(f);
	if (!ok(c != NULL, "conf struct: loads")) {
		skip(7, "no conf");
	} else {
		sub = xasprintf("%s/sub", dir);
		is_str(c->prefix, "", "conf struct: prefix \"/\" becomes \"\"");
		is_str(c->path, path, "conf struct: path recorded");
		is_int(c->secret.len, 32, "conf struct: secret length");
		is_mem(c->secret.data, c->secret.len, files[0].data, 32,
		    "conf struct: secret bytes");
		is_str(c->allowed_roots[0], dir, "conf struct: first root");
		is_str(c->allowed_roots[1], sub, "conf struct: second root");
		ok(c->allowed_roots[2] == NULL, "conf struct: roots end");
		free(sub);
	}
	conf_free(c);
	conf_free(NULL);
	free(ini);
	free(path);
}

int
main(void)
{
	size_t	 i;

	clear_env();
	setup();
	for (i = 0; i < NELEM(cases); i++)
		run_case(&cases[i]);
	test_struct();
	teardown();
	return done_testing();
}
