/*
 * delta_path.c: paths of a Delta log to storage keys (see delta_path.h).
 *
 * A URI is split by hand into scheme, authority and path (RFC 2396
 * syntax, without resolving "." or ".."): nothing is normalised, so a
 * path either maps onto a key as written or is refused.  The root and
 * the path are percent-decoded once each and compared as decoded bytes
 * on a segment boundary; every decoded path is then checked segment by
 * segment, inside the root or not.
 */
#include "config.h"

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "delta_action.h"
#include "delta_dv.h"
#include "delta_path.h"
#include "err.h"
#include "storage.h"
#include "strutil.h"

#define SHORT	72		/* bytes of a path quoted in a message */

/* A URI cut into its parts; path is still percent-encoded. */
struct uri {
	const char	*scheme;	/* NULL: none */
	size_t		 nscheme;
	const char	*auth;		/* NULL: no "//" */
	size_t		 nauth;
	const char	*path;
};

/* The root's parts, decoded (struct delta_root of delta_path.h). */
struct delta_root {
	char		 family[8];	/* "file", "s3"...; "" when unknown */
	const char	*scheme;
	size_t		 nscheme;
	const char	*auth;		/* "" for local files */
	size_t		 nauth;
	size_t		 npath;
	char		 path[PATH_MAX];	/* decoded, no trailing '/' */
};

static bool
is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Length of a leading "scheme:" (without the colon), or 0. */
static size_t
scheme_len(const char *s)
{
	size_t	 i;

	if (!is_alpha(s[0]))
		return 0;
	for (i = 1; is_alpha(s[i]) || is_digit(s[i]) || s[i] == '+' ||
	    s[i] == '-' || s[i] == '.'; i++)
		;
	return s[i] == ':' ? i : 0;
}

static void
uri_split(const char *s, struct uri *u)
{
	const char	*slash;

	memset(u, 0, sizeof(*u));
	if ((u->nscheme = scheme_len(s)) > 0) {
		u->scheme = s;
		s += u->nscheme + 1;
	}
	if (s[0] == '/' && s[1] == '/') {
		u->auth = s + 2;
		slash = strchr(u->auth, '/');
		u->nauth = slash != NULL ? (size_t)(slash - u->auth) :
		    strlen(u->auth);
		s = u->auth + u->nauth;
	}
	u->path = s;
}

/*
 * The family of a scheme: spellings that name the same store compare
 * equal ("s3a://b/x" is "s3://b/x").  Unknown schemes are their own
 * family, lowercased; longer ones get "" and match nothing.
 */
static void
scheme_family(const char *s, size_t n, char out[8])
{
	static const struct {
		const char	*scheme;
		const char	*family;
	} alias[] = {
		{ "s3a", "s3" }, { "s3n", "s3" }, { "abfss", "abfs" },
		{ "wasbs", "wasb" },
	};
	size_t	 i;

	out[0] = '\0';
	if (n == 0 || n >= 8)
		return;
	for (i = 0; i < n; i++)
		out[i] = (s[i] >= 'A' && s[i] <= 'Z') ? s[i] - 'A' + 'a' : s[i];
	out[n] = '\0';
	for (i = 0; i < sizeof(alias) / sizeof(alias[0]); i++)
		if (strcmp(out, alias[i].scheme) == 0) {
			snprintf(out, 8, "%s", alias[i].family);
			break;
		}
}

static int
fail(struct err *e, const char *path, const char *why)
{
	char	 q[SHORT];

	return err_set(e, ERR_UPSTREAM, "path '%s' %s",
	    str_shorten(path, q, sizeof(q)), why);
}

/*
 * Percent-decode n bytes of s (NUL-terminated after them when n is
 * strlen(s)) into the arena; NULL if malformed or NUL.  Without a '%'
 * there is nothing to decode: s itself is the result.
 */
static const char *
decode(struct arena *a, const char *s, size_t n, size_t *outlen)
{
	char	*out;
	long	 m;

	if (s[n] == '\0' && memchr(s, '%', n) == NULL) {
		*outlen = n;
		return s;
	}
	out = arena_alloc(a, n + 1);
	if ((m = str_pct_decode(s, n, out, false)) < 0 ||
	    memchr(out, '\0', (size_t)m) != NULL)
		return NULL;
	*outlen = (size_t)m;
	return out;
}

/* Why the segment s[0..n) cannot be used, or NULL. */
static const char *
segment_bad(const unsigned char *s, size_t n)
{
	if (n == 0)
		return "has an empty segment";
	if (s[0] == '.' && n == 1)
		return "has a '.' segment";
	if (s[0] == '.' && n == 2 && s[1] == '.')
		return "has a '..' segment";
	return NULL;
}

/* Does s[0..n) hold a control character (below 0x20, or 0x7f)? */
static bool
has_control(const unsigned char *s, size_t n)
{
	const uint64_t	 ones = 0x0101010101010101ULL;
	const uint64_t	 highs = 0x8080808080808080ULL;
	uint64_t	 w, x;
	size_t		 i;

	/* Eight at a time: a byte below 0x20, or one equal to 0x7f. */
	for (i = 0; n - i >= 8; i += 8) {
		memcpy(&w, s + i, 8);
		x = w ^ (0x7f * ones);
		if (((w - 0x20 * ones) & ~w & highs) != 0 ||
		    ((x - ones) & ~x & highs) != 0)
			return true;
	}
	for (; i < n; i++)
		if (s[i] < 0x20 || s[i] == 0x7f)
			return true;
	return false;
}

/*
 * Why the decoded path s[0..n) (segments separated by '/', a leading
 * '/' allowed when absolute) cannot be used, or NULL.  Bad UTF-8 is
 * named first, then a control character, then the first bad segment.
 */
static const char *
segments_bad(const char *s, size_t n, bool absolute)
{
	const unsigned char	*u = (const unsigned char *)s, *p, *q;
	const unsigned char	*end = u + n;
	const char		*why;

	if (absolute) {
		if (n == 0 || s[0] != '/')
			return "is not an absolute path";
		u++;
	}
	if (!str_utf8_valid(s, n))
		return "is not valid UTF-8 once decoded";
	if (has_control(u, (size_t)(end - u)))
		return "holds a control character";
	if (n == 0)
		return "is empty";
	for (p = u; (q = memchr(p, '/', (size_t)(end - p))) != NULL;
	    p = q + 1)
		if ((why = segment_bad(p, (size_t)(q - p))) != NULL)
			return why;
	return segment_bad(p, (size_t)(end - p));
}

static int
root_parse(const char *root_uri, struct delta_root *r, struct err *e)
{
	struct uri	 u;
	char		*p = r->path;
	long		 m;
	size_t		 n;

	uri_split(root_uri, &u);
	if (u.scheme == NULL) {
		u.scheme = "file";
		u.nscheme = 4;
	}
	scheme_family(u.scheme, u.nscheme, r->family);
	r->scheme = u.scheme;
	r->nscheme = u.nscheme;
	r->auth = u.auth != NULL ? u.auth : "";
	r->nauth = u.auth != NULL ? u.nauth : 0;
	if (strcmp(r->family, "file") == 0 && r->nauth == 9 &&
	    strncmp(r->auth, "localhost", 9) == 0)
		r->nauth = 0;
	if (strlen(u.path) >= sizeof(r->path) ||
	    (m = str_pct_decode(u.path, strlen(u.path), p, false)) < 0)
		return err_set(e, ERR_INTERNAL, "malformed table root");
	n = (size_t)m;
	if (memchr(p, '\0', n) != NULL || r->family[0] == '\0' ||
	    (n > 0 && p[0] != '/') ||
	    (n == 0 && strcmp(r->family, "file") == 0))
		return err_set(e, ERR_INTERNAL, "malformed table root");
	while (n > 0 && p[n - 1] == '/')
		n--;
	p[n] = '\0';
	if (n > 0 && segments_bad(p, n, true) != NULL)
		return err_set(e, ERR_INTERNAL, "malformed table root");
	r->npath = n;
	return 0;
}

/*
 * Resolve path against the root: 0 with *key when under it, 1 with *key
 * the canonical URI when well-formed but elsewhere, -1 on error.
 */
static int
resolve_in(const struct delta_root *r, const char *path, struct arena *a,
    const char **key, struct err *e)
{
	struct uri	 u;
	const char	*why, *auth, *d;
	char		 fam[8];
	size_t		 n, nauth;
	bool		 local;

	if (path[0] == '\0')
		return err_set(e, ERR_UPSTREAM, "empty path in the log");
	uri_split(path, &u);
	if (u.scheme == NULL && u.auth == NULL && path[0] != '/') {
		/* Relative: the whole of it, decoded, is the key. */
		if ((d = decode(a, path, strlen(path), &n)) == NULL)
			return fail(e, path, "has a malformed %-escape");
		if ((why = segments_bad(d, n, false)) != NULL)
			return fail(e, path, why);
		*key = d;
		return 0;
	}
	if (u.scheme != NULL)
		scheme_family(u.scheme, u.nscheme, fam);
	else
		memcpy(fam, r->family, sizeof(fam));
	local = strcmp(fam, "file") == 0;
	auth = u.auth;
	nauth = u.nauth;
	if (auth == NULL) {
		/* "file:/x" and "/x": the root's store. */
		if (!local && u.scheme != NULL)
			return fail(e, path, "has no authority");
		auth = r->auth;
		nauth = r->nauth;
	} else if (local && nauth == 9 && strncmp(auth, "localhost", 9) == 0)
		nauth = 0;
	if ((d = decode(a, u.path, strlen(u.path), &n)) == NULL)
		return fail(e, path, "has a malformed %-escape");
	if ((why = segments_bad(d, n, true)) != NULL)
		return fail(e, path, why);
	if (strcmp(fam, r->family) == 0 && nauth == r->nauth &&
	    memcmp(auth, r->auth, nauth) == 0 && n > r->npath + 1 &&
	    memcmp(d, r->path, r->npath) == 0 && d[r->npath] == '/') {
		*key = d + r->npath + 1;
		return 0;
	}
	if (fam[0] == '\0')
		return fail(e, path, "has an unknown scheme");
	*key = arena_printf(a, "%s://%.*s%s", fam, (int)nauth, auth, d);
	return 1;
}

/* resolve_in() after parsing root_uri. */
static int
resolve(const char *root_uri, const char *path, struct arena *a,
    const char **key, struct err *e)
{
	struct delta_root	 r;

	if (root_parse(root_uri, &r, e) == -1)
		return -1;
	return resolve_in(&r, path, a, key, e);
}

int
delta_path_key(const char *root_uri, const char *path, struct arena *a,
    const char **key, struct err *e)
{
	const char	*k;
	int		 rc;

	if ((rc = resolve(root_uri, path, a, &k, e)) == -1)
		return -1;
	if (rc == 1)
		return fail(e, path, "is outside the table root");
	*key = k;
	return 0;
}

/* The key, then a tab and the DV's uniqueId when there is a DV. */
static int
file_key(const struct delta_root *r, const struct delta_file *f,
    struct arena *a, bool outside_ok, const char **key, struct err *e)
{
	const char	*k;
	int		 rc;

	if (f->path == NULL)
		return err_set(e, ERR_UPSTREAM, "file action without a path");
	if ((rc = resolve_in(r, f->path, a, &k, e)) == -1)
		return -1;
	if (rc == 1 && !outside_ok)
		return fail(e, f->path, "is outside the table root");
	if (f->dv.storage_type != 0)
		k = arena_printf(a, "%s\t%s", k,
		    delta_dv_unique_id(&f->dv, a));
	*key = k;
	return rc;
}

int
delta_path_file_key(const char *root_uri, const struct delta_file *f,
    struct arena *a, const char **key, struct err *e)
{
	struct delta_root	 r;

	if (root_parse(root_uri, &r, e) == -1)
		return -1;
	return file_key(&r, f, a, false, key, e);
}

int
delta_path_file_id(const char *root_uri, const struct delta_file *f,
    struct arena *a, const char **key, struct err *e)
{
	struct delta_root	 r;

	if (root_parse(root_uri, &r, e) == -1)
		return -1;
	return file_key(&r, f, a, true, key, e);
}

int
delta_path_root(const char *root_uri, struct arena *a,
    const struct delta_root **out, struct err *e)
{
	struct delta_root	*r;

	r = arena_alloc(a, sizeof(*r));
	if (root_parse(root_uri, r, e) == -1)
		return -1;
	*out = r;
	return 0;
}

int
delta_path_root_file_id(const struct delta_root *r, const struct delta_file *f,
    struct arena *a, const char **key, struct err *e)
{
	return file_key(r, f, a, true, key, e);
}
