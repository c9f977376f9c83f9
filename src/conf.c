/*
 * conf.c: configuration loading and validation (see conf.h).
 *
 * The key table below is the schema: section, key, type, default, bounds
 * and where the value lands in struct conf.  The loader collects raw
 * strings (default, then file, then environment), then converts and
 * checks every one, reporting all problems rather than the first.
 */
#include "config.h"

#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#ifdef HAVE_INIPARSER_H
#include <iniparser.h>
#else
#include <iniparser/iniparser.h>
#endif

#include "conf.h"
#include "crypto.h"
#include "log.h"
#include "strutil.h"
#include "xmalloc.h"

#ifndef DS_CONF_PATH
#define DS_CONF_PATH	"/etc/deltashare/deltashare.ini"
#endif

#define CONF_FILE_MAX	(64 * 1024)

extern char **environ;

enum ktype {
	T_STR,		/* char * */
	T_INT,		/* int64_t within [min, max] */
	T_SIZE,		/* int64_t bytes within [min, max]; K, M, G suffixes */
	T_ENUM,		/* int: index into enumvals */
	T_SECRET,	/* struct conf_blob: file of >= 32 bytes */
	T_KEYFILE,	/* struct conf_blob: PEM file */
	T_ROOTS,	/* char **: ':'-separated existing directories */
	T_LIST,		/* char **: words separated by spaces or commas */
};

#define F_REQUIRED	0x1

struct key {
	const char		*section;
	const char		*name;
	enum ktype		 type;
	const char		*def;
	int64_t			 min, max;
	unsigned		 flags;
	size_t			 off;
	const char *const	*enumvals;
};

static const char *const alg_names[] = { "HS256", "RS256", "ES256", NULL };
static const char *const yes_no[] = { "no", "yes", NULL };
static const char *const level_names[] = {
	"error", "warn", "info", "debug", NULL
};

#define OFF(f)	offsetof(struct conf, f)
#define DAY	86400LL

static const struct key keys[] = {
	{ "server", "prefix", T_STR, "/delta-sharing", 0, 0, 0,
	    OFF(prefix), NULL },
	{ "server", "public_url", T_STR, "", 0, 0, 0, OFF(public_url), NULL },
	{ "server", "max_requests", T_INT, "0", 0, INT32_MAX, 0,
	    OFF(max_requests), NULL },
	{ "server", "max_body", T_INT, "1048576", 1024, 1 << 30, 0,
	    OFF(max_body), NULL },
	{ "server", "max_auth_header", T_INT, "8192", 256, 65536, 0,
	    OFF(max_auth_header), NULL },
	{ "server", "secret_file", T_SECRET, "", 0, 0, F_REQUIRED,
	    OFF(secret), NULL },
	{ "log", "level", T_ENUM, "info", 0, 0, 0, OFF(log_level),
	    level_names },
	{ "db", "conninfo", T_STR, "", 0, 0, F_REQUIRED, OFF(db_conninfo),
	    NULL },
	{ "db", "connect_timeout", T_INT, "5", 1, 300, 0,
	    OFF(db_connect_timeout), NULL },
	{ "db", "statement_timeout", T_INT, "10000", 0, 3600000, 0,
	    OFF(db_statement_timeout), NULL },
	{ "auth", "algorithm", T_ENUM, "HS256", 0, 0, 0, OFF(auth_alg),
	    alg_names },
	{ "auth", "secret_file", T_SECRET, "", 0, 0, 0, OFF(auth_secret),
	    NULL },
	{ "auth", "public_key_file", T_KEYFILE, "", 0, 0, 0,
	    OFF(auth_public_key), NULL },
	{ "auth", "private_key_file", T_KEYFILE, "", 0, 0, 0,
	    OFF(auth_private_key), NULL },
	{ "auth", "previous_secret_file", T_SECRET, "", 0, 0, 0,
	    OFF(auth_previous_secret), NULL },
	{ "auth", "previous_public_key_file", T_KEYFILE, "", 0, 0, 0,
	    OFF(auth_previous_public_key), NULL },
	{ "auth", "issuer", T_STR, "deltashare", 0, 0, 0, OFF(auth_issuer),
	    NULL },
	{ "auth", "recipient_audience", T_STR, "deltashare-recipient", 0, 0,
	    0, OFF(auth_recipient_audience), NULL },
	{ "auth", "admin_audience", T_STR, "deltashare-admin", 0, 0, 0,
	    OFF(auth_admin_audience), NULL },
	{ "auth", "clock_skew", T_INT, "60", 0, 3600, 0,
	    OFF(auth_clock_skew), NULL },
	{ "auth", "recipient_token_ttl", T_INT, "7776000", 60, 100 * 365 * DAY,
	    0, OFF(auth_recipient_token_ttl), NULL },
	{ "auth", "max_token_ttl", T_INT, "31536000", 60, 100 * 365 * DAY, 0,
	    OFF(auth_max_token_ttl), NULL },
	{ "auth", "admin_token_ttl", T_INT, "3600", 60, 7 * DAY, 0,
	    OFF(auth_admin_token_ttl), NULL },
	{ "auth", "login_max_failures", T_INT, "5", 1, 1000, 0,
	    OFF(auth_login_max_failures), NULL },
	{ "auth", "login_lockout", T_INT, "900", 1, DAY, 0,
	    OFF(auth_login_lockout), NULL },
	{ "admin", "allowed_roots", T_ROOTS, "", 0, 0, 0, OFF(allowed_roots),
	    NULL },
	{ "admin", "allowed_buckets", T_LIST, "", 0, 0, 0,
	    OFF(allowed_buckets), NULL },
	{ "admin", "allowed_endpoints", T_LIST, "", 0, 0, 0,
	    OFF(allowed_endpoints), NULL },
	{ "audit", "database", T_ENUM, "yes", 0, 0, 0, OFF(audit_database),
	    yes_no },
	{ "audit", "file", T_STR, "", 0, 0, 0, OFF(audit_file), NULL },
	{ "audit", "retention_days", T_INT, "90", 0, 36500, 0,
	    OFF(audit_retention_days), NULL },
	{ "query", "url_ttl", T_INT, "3600", 60, 7 * DAY, 0, OFF(url_ttl),
	    NULL },
	{ "query", "page_token_ttl", T_INT, "259200", 60, 30 * DAY, 0,
	    OFF(page_token_ttl), NULL },
	{ "query", "refresh_token_ttl", T_INT, "3600", 60, 7 * DAY, 0,
	    OFF(refresh_token_ttl), NULL },
	{ "query", "max_page_files", T_INT, "10000", 1, 1000000, 0,
	    OFF(max_page_files), NULL },
	{ "cache", "snapshot_bytes", T_SIZE, "128M", 0, 1LL << 40, 0,
	    OFF(snapshot_cache_bytes), NULL },
	{ "cache", "catalog_seconds", T_INT, "5", 0, 3600, 0,
	    OFF(catalog_cache_seconds), NULL },
	{ "cache", "catalog_bytes", T_SIZE, "4M", 0, 1LL << 32, 0,
	    OFF(catalog_cache_bytes), NULL },
	{ "cache", "token_slots", T_INT, "256", 0, 65536, 0,
	    OFF(token_cache_slots), NULL },
};

#define NKEYS	(sizeof(keys) / sizeof(keys[0]))

struct loader {
	FILE		*errf;
	int		 nerr;
	char		*raw[NKEYS];
	const char	*origin[NKEYS];		/* "default", path, env name */
};

static void
problem(struct loader *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
problem(struct loader *l, const char *fmt, ...)
{
	va_list	 ap;

	fputs("deltashare: config: ", l->errf);
	va_start(ap, fmt);
	vfprintf(l->errf, fmt, ap);
	va_end(ap);
	fputc('\n', l->errf);
	l->nerr++;
}

static const struct key *
find_key(const char *section, size_t seclen, const char *name, size_t *idx)
{
	size_t	 i;

	for (i = 0; i < NKEYS; i++)
		if (strlen(keys[i].section) == seclen &&
		    strncmp(keys[i].section, section, seclen) == 0 &&
		    strcmp(keys[i].name, name) == 0) {
			*idx = i;
			return &keys[i];
		}
	return NULL;
}

static bool
known_section(const char *s)
{
	size_t	 i;

	for (i = 0; i < NKEYS; i++)
		if (strcmp(keys[i].section, s) == 0)
			return true;
	return false;
}

static void
set_raw(struct loader *l, size_t i, const char *v, const char *origin)
{
	free(l->raw[i]);
	l->raw[i] = xstrdup(v);
	l->origin[i] = origin;
}

static FILE	*ini_errf;

static int
ini_error(const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	if (ini_errf == NULL)
		return 0;
	fputs("deltashare: config: ", ini_errf);
	va_start(ap, fmt);
	n = vfprintf(ini_errf, fmt, ap);
	va_end(ap);
	return n;
}

static void
read_file(struct loader *l, const char *path)
{
	dictionary	*d;
	const char	**skeys, *sec, *colon;
	int		 ns, nk, i, j;
	size_t		 idx;

	if (access(path, R_OK) == -1) {
		problem(l, "cannot read '%s': %s", path, strerror(errno));
		return;
	}
	ini_errf = l->errf;
	iniparser_set_error_callback(ini_error);
	d = iniparser_load(path);
	ini_errf = NULL;
	if (d == NULL) {
		problem(l, "cannot parse '%s'", path);
		return;
	}
	ns = iniparser_getnsec(d);
	for (i = 0; i < ns; i++) {
		sec = iniparser_getsecname(d, i);
		if (!known_section(sec)) {
			problem(l, "%s: unknown section [%s]", path, sec);
			continue;
		}
		if ((nk = iniparser_getsecnkeys(d, sec)) <= 0)
			continue;
		skeys = xreallocarray(NULL, (size_t)nk, sizeof(*skeys));
		iniparser_getseckeys(d, sec, skeys);
		for (j = 0; j < nk; j++) {
			colon = strchr(skeys[j], ':');
			if (colon == NULL ||
			    find_key(sec, strlen(sec), colon + 1, &idx) == NULL) {
				problem(l, "%s: unknown key '%s' in [%s]", path,
				    colon ? colon + 1 : skeys[j], sec);
				continue;
			}
			set_raw(l, idx, iniparser_getstring(d, skeys[j], ""),
			    path);
		}
		free(skeys);
	}
	iniparser_freedict(d);
}

/* "DELTASHARE_AUTH_SECRET_FILE" for the key auth.secret_file. */
static void
env_name(const struct key *k, char *out, size_t outsz)
{
	size_t	 i;

	snprintf(out, outsz, "DELTASHARE_%s_%s", k->section, k->name);
	for (i = 0; out[i] != '\0'; i++)
		out[i] = (char)toupper((unsigned char)out[i]);
}

static void
read_env(struct loader *l)
{
	char		 name[128];
	char		**ep;
	const char	*eq;
	size_t		 i, n;

	for (ep = environ; *ep != NULL; ep++) {
		if (strncmp(*ep, "DELTASHARE_", 11) != 0)
			continue;
		if ((eq = strchr(*ep, '=')) == NULL)
			continue;
		n = (size_t)(eq - *ep);
		if (n == strlen("DELTASHARE_CONF") &&
		    strncmp(*ep, "DELTASHARE_CONF", n) == 0)
			continue;
		for (i = 0; i < NKEYS; i++) {
			env_name(&keys[i], name, sizeof(name));
			if (strlen(name) == n && strncmp(*ep, name, n) == 0)
				break;
		}
		if (i == NKEYS) {
			problem(l, "unknown environment variable %.*s", (int)n,
			    *ep);
			continue;
		}
		set_raw(l, i, eq + 1, "environment");
	}
}

static int
read_blob(struct loader *l, const struct key *k, const char *path,
    struct conf_blob *out)
{
	struct stat	 st;
	unsigned char	*p = NULL;
	ssize_t		 r;
	size_t		 len = 0;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		problem(l, "%s.%s: cannot open '%s': %s", k->section, k->name,
		    path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_size > CONF_FILE_MAX) {
		problem(l, "%s.%s: '%s' is not a regular file of at most %d "
		    "bytes", k->section, k->name, path, CONF_FILE_MAX);
		close(fd);
		return -1;
	}
	if (k->type == T_SECRET && (st.st_mode & S_IROTH))
		log_warn("%s.%s: '%s' is readable by everyone", k->section,
		    k->name, path);
	p = xmalloc((size_t)st.st_size + 1);
	while (len < (size_t)st.st_size &&
	    (r = read(fd, p + len, (size_t)st.st_size - len)) > 0)
		len += (size_t)r;
	close(fd);
	/* One trailing newline is not part of a secret written with echo. */
	if (k->type == T_SECRET && len > 0 && p[len - 1] == '\n') {
		len--;
		if (len > 0 && p[len - 1] == '\r')
			len--;
	}
	p[len] = '\0';
	out->data = p;
	out->len = len;
	if (k->type == T_SECRET && len < CONF_SECRET_MIN) {
		problem(l, "%s.%s: secret in '%s' is %zu bytes; at least %d "
		    "are required", k->section, k->name, path, len,
		    CONF_SECRET_MIN);
		return -1;
	}
	return 0;
}

static char **
parse_roots(struct loader *l, const struct key *k, const char *v)
{
	char		**roots, *copy, *p, *tok, real[PATH_MAX];
	size_t		 n = 0;
	struct stat	 st;

	roots = xcalloc(1, sizeof(*roots));
	copy = xstrdup(v);
	for (p = copy; (tok = strsep(&p, ":")) != NULL;) {
		if (*tok == '\0')
			continue;
		if (tok[0] != '/') {
			problem(l, "%s.%s: '%s' is not an absolute path",
			    k->section, k->name, tok);
			continue;
		}
		if (realpath(tok, real) == NULL || stat(real, &st) == -1 ||
		    !S_ISDIR(st.st_mode)) {
			problem(l, "%s.%s: '%s' is not a directory", k->section,
			    k->name, tok);
			continue;
		}
		roots = xreallocarray(roots, n + 2, sizeof(*roots));
		roots[n++] = xstrdup(real);
		roots[n] = NULL;
	}
	free(copy);
	return roots;
}

static char **
parse_list(const char *v)
{
	char		**list, *copy, *p, *tok;
	size_t		 n = 0;

	list = xcalloc(1, sizeof(*list));
	copy = xstrdup(v);
	for (p = copy; (tok = strsep(&p, " \t,")) != NULL;) {
		if (*tok == '\0')
			continue;
		list = xreallocarray(list, n + 2, sizeof(*list));
		list[n++] = xstrdup(tok);
		list[n] = NULL;
	}
	free(copy);
	return list;
}

static void
convert(struct loader *l, struct conf *c, size_t i)
{
	const struct key	*k = &keys[i];
	const char		*v = l->raw[i];
	void			*dst = (char *)c + k->off;
	int64_t			 n;
	size_t			 j;

	if ((k->flags & F_REQUIRED) && *v == '\0') {
		problem(l, "missing required key %s.%s", k->section, k->name);
		return;
	}
	switch (k->type) {
	case T_STR:
		*(char **)dst = xstrdup(v);
		break;
	case T_INT:
	case T_SIZE:
		if ((k->type == T_INT ? str_parse_i64 : str_parse_size)(v,
		    k->min, k->max, &n) == -1) {
			problem(l, "%s.%s: '%s' is not %s from %lld to %lld%s "
			    "(from %s)", k->section, k->name, v,
			    k->type == T_INT ? "an integer" : "a size",
			    (long long)k->min, (long long)k->max,
			    k->type == T_INT ? "" : " bytes", l->origin[i]);
			return;
		}
		*(int64_t *)dst = n;
		break;
	case T_ENUM:
		for (j = 0; k->enumvals[j] != NULL; j++)
			if (strcasecmp(v, k->enumvals[j]) == 0)
				break;
		if (k->enumvals[j] == NULL) {
			problem(l, "%s.%s: '%s' is not one of the accepted "
			    "values", k->section, k->name, v);
			return;
		}
		*(int *)dst = (int)j;
		break;
	case T_SECRET:
	case T_KEYFILE:
		if (*v != '\0')
			read_blob(l, k, v, dst);
		break;
	case T_ROOTS:
		*(char ***)dst = parse_roots(l, k, v);
		break;
	case T_LIST:
		*(char ***)dst = parse_list(v);
		break;
	}
}

static void
cross_check(struct loader *l, struct conf *c)
{
	size_t	 n;

	n = c->prefix != NULL ? strlen(c->prefix) : 0;
	if (c->prefix != NULL && (n == 0 || c->prefix[0] != '/' ||
	    (n > 1 && c->prefix[n - 1] == '/') ||
	    strpbrk(c->prefix, "?#% \t") != NULL))
		problem(l, "server.prefix: '%s' must start with '/' and not "
		    "end with '/' (use '/' alone for none)", c->prefix);
	if (c->prefix != NULL && strcmp(c->prefix, "/") == 0)
		c->prefix[0] = '\0';
	if (c->public_url != NULL && *c->public_url != '\0' &&
	    strncmp(c->public_url, "http://", 7) != 0 &&
	    strncmp(c->public_url, "https://", 8) != 0)
		problem(l, "server.public_url: '%s' must be an http:// or "
		    "https:// URL", c->public_url);
	if (c->auth_alg == CONF_ALG_HS256 && c->auth_secret.data == NULL)
		problem(l, "auth.algorithm HS256 requires auth.secret_file");
	if (c->auth_alg != CONF_ALG_HS256 && c->auth_public_key.data == NULL)
		problem(l, "auth.algorithm %s requires auth.public_key_file",
		    conf_alg_name(c->auth_alg));
	if (c->auth_recipient_audience != NULL &&
	    c->auth_admin_audience != NULL &&
	    strcmp(c->auth_recipient_audience, c->auth_admin_audience) == 0)
		problem(l, "auth.recipient_audience and auth.admin_audience "
		    "must differ");
	if (c->auth_recipient_token_ttl > c->auth_max_token_ttl)
		problem(l, "auth.recipient_token_ttl exceeds "
		    "auth.max_token_ttl");
}

struct conf *
conf_load(const char *path, FILE *errf)
{
	struct loader	 l;
	struct conf	*c;
	size_t		 i;
	bool		 explicit = true;

	memset(&l, 0, sizeof(l));
	l.errf = errf;
	for (i = 0; i < NKEYS; i++)
		set_raw(&l, i, keys[i].def, "default");
	if (path == NULL && (path = getenv("DELTASHARE_CONF")) != NULL &&
	    *path == '\0')
		path = NULL;
	if (path == NULL) {
		path = DS_CONF_PATH;
		explicit = false;
	}
	if (explicit || access(path, F_OK) == 0)
		read_file(&l, path);
	else
		path = NULL;
	read_env(&l);

	c = xcalloc(1, sizeof(*c));
	c->path = path != NULL ? xstrdup(path) : NULL;
	for (i = 0; i < NKEYS; i++)
		convert(&l, c, i);
	if (l.nerr == 0)
		cross_check(&l, c);
	for (i = 0; i < NKEYS; i++)
		free(l.raw[i]);
	if (l.nerr > 0) {
		if (path == NULL)
			fprintf(errf, "deltashare: config: no file read (set -f "
			    "or DELTASHARE_CONF, or create %s)\n",
			    DS_CONF_PATH);
		conf_free(c);
		return NULL;
	}
	return c;
}

static void
blob_free(struct conf_blob *b)
{
	if (b->data != NULL) {
		crypto_wipe(b->data, b->len);
		free(b->data);
	}
	b->data = NULL;
	b->len = 0;
}

static void
free_list(char **list)
{
	char	**r;

	if (list == NULL)
		return;
	for (r = list; *r != NULL; r++)
		free(*r);
	free(list);
}

void
conf_free(struct conf *c)
{
	if (c == NULL)
		return;
	free((char *)c->path);
	free(c->prefix);
	free(c->public_url);
	free(c->db_conninfo);
	free(c->auth_issuer);
	free(c->auth_recipient_audience);
	free(c->auth_admin_audience);
	blob_free(&c->secret);
	blob_free(&c->auth_secret);
	blob_free(&c->auth_public_key);
	blob_free(&c->auth_private_key);
	blob_free(&c->auth_previous_secret);
	blob_free(&c->auth_previous_public_key);
	free_list(c->allowed_roots);
	free_list(c->allowed_buckets);
	free_list(c->allowed_endpoints);
	free(c);
}

const char *
conf_alg_name(enum conf_alg a)
{
	return alg_names[a];
}

void
conf_dump(const struct conf *c, FILE *f)
{
	size_t		 i;
	const void	*src;
	char		**r;

	fprintf(f, "# file: %s\n", c->path ? c->path : "(none)");
	for (i = 0; i < NKEYS; i++) {
		src = (const char *)c + keys[i].off;
		fprintf(f, "%s.%s = ", keys[i].section, keys[i].name);
		switch (keys[i].type) {
		case T_STR:
			fprintf(f, "%s", *(char *const *)src);
			break;
		case T_INT:
		case T_SIZE:
			fprintf(f, "%lld", (long long)*(const int64_t *)src);
			break;
		case T_ENUM:
			fprintf(f, "%s", keys[i].enumvals[*(const int *)src]);
			break;
		case T_SECRET:
		case T_KEYFILE:
			if (((const struct conf_blob *)src)->data != NULL)
				fprintf(f, "(%zu bytes, not shown)",
				    ((const struct conf_blob *)src)->len);
			break;
		case T_ROOTS:
		case T_LIST:
			for (r = *(char **const *)src; *r != NULL; r++)
				fprintf(f, "%s%s", r == *(char **const *)src ?
				    "" : keys[i].type == T_ROOTS ? ":" : " ",
				    *r);
			break;
		}
		fputc('\n', f);
	}
}

void
conf_list_keys(FILE *f)
{
	size_t	 i;

	for (i = 0; i < NKEYS; i++)
		fprintf(f, "%s.%s\n", keys[i].section, keys[i].name);
}
