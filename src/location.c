/*
 * location.c: validation of table locations (see location.h).
 *
 * The check runs on the fully resolved path, so "..", symlinks and
 * percent-encoded tricks cannot step outside an allowed root; the root
 * comparison respects path-segment boundaries ("/srv/t" does not admit
 * "/srv/tables-evil").
 *
 * Object-store locations ("s3://bucket/path", "s3a://..." the same;
 * "gs://bucket/path"; Azure's abfss://, wasbs:// and https:// forms)
 * must lie under an entry of admin.allowed_buckets, on a segment
 * boundary, and are probed: the table's _delta_log must list, with the
 * credential the table names.  Their canonical form is "s3://bucket/
 * path", "gs://bucket/path" or "abfss://container@account.dfs.core.
 * windows.net/path", without a trailing slash.
 */
#include "config.h"

#include <sys/stat.h>

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "conf.h"
#include "err.h"
#include "location.h"
#include "storage.h"
#include "storage_obj.h"
#include "strutil.h"

static int
under_root(const char *path, const char *root)
{
	size_t	 n = strlen(root);

	if (strcmp(root, "/") == 0)
		return 1;
	return strncmp(path, root, n) == 0 &&
	    (path[n] == '\0' || path[n] == '/');
}

/*
 * "s3a://b/p" as "s3://b/p/", Azure locations as "abfss://c@a.dfs.
 * core.windows.net/p/": one spelling per bucket and prefix.
 */
static const char *
bucket_form(struct arena *a, const char *loc, struct err *e)
{
	const char	*bucket, *prefix;
	struct obj_az	 az;

	if (strpbrk(loc, "?#\\") != NULL || (!obj_az_scheme(loc) &&
	    strchr(loc, '@') != NULL)) {
		err_set(e, ERR_BAD_PARAM, "a bucket location has no user, "
		    "query or fragment");
		return NULL;
	}
	if (obj_az_scheme(loc))
		return obj_az_split(a, loc, &az, e) == -1 ? NULL :
		    obj_az_canonical(a, &az);
	if (obj_bucket_split(a, loc, &bucket, &prefix, e) == -1)
		return NULL;
	return arena_printf(a, "%s://%s/%s", strncmp(loc, "gs://", 5) == 0 ?
	    "gs" : "s3", bucket, prefix);
}

static int
bucket_check(const struct conf *c, struct arena *a, const char *loc,
    const struct cred *cred, const char **canonical, struct err *e)
{
	struct storage_list	 l;
	struct storage		*st;
	const char		*want, *root;
	char			**b;
	int			 rc;

	if ((want = bucket_form(a, loc, e)) == NULL)
		return -1;
	for (b = c->allowed_buckets; b != NULL && *b != NULL; b++) {
		struct err	 ignore;

		root = bucket_form(a, *b, &ignore);
		if (root != NULL && strncmp(want, root, strlen(root)) == 0)
			break;
	}
	if (b == NULL || *b == NULL)
		return err_set(e, ERR_BAD_PARAM, "location is outside the "
		    "buckets allowed for tables (admin.allowed_buckets)");
	*canonical = arena_strndup(a, want, strlen(want) - 1);
	if ((st = storage_open_cred(*canonical, cred, e)) == NULL)
		return -1;
	rc = storage_list(st, a, "_delta_log/", NULL, &l, e);
	storage_close(st);
	if (rc == 0 && l.n == 0)
		rc = err_set(e, ERR_BAD_PARAM, "location holds no _delta_log "
		    "directory: not a Delta table");
	return rc;
}

int
location_check(const struct conf *c, struct arena *a, const char *loc,
    const struct cred *cred, const char **canonical, struct err *e)
{
	char		 real[PATH_MAX], *path, *log;
	const char	*colon;
	struct stat	 st;
	char	       **root;
	long		 n;

	if (strncmp(loc, "file://", 7) == 0) {
		if (loc[7] != '/')
			return err_set(e, ERR_BAD_PARAM, "file:// locations "
			    "must name an absolute path (file:///...)");
		path = arena_alloc(a, strlen(loc) + 1);
		if ((n = str_pct_decode(loc + 7, strlen(loc + 7), path,
		    false)) < 0 || (size_t)n != strlen(path))
			return err_set(e, ERR_BAD_PARAM,
			    "malformed file:// location");
	} else if (loc[0] == '/')
		path = arena_strdup(a, loc);
	else if (strncmp(loc, "s3://", 5) == 0 ||
	    strncmp(loc, "s3a://", 6) == 0 || strncmp(loc, "gs://", 5) == 0 ||
	    obj_az_scheme(loc))
		return bucket_check(c, a, loc, cred, canonical, e);
	else if ((colon = strstr(loc, "://")) != NULL)
		return err_set(e, ERR_BAD_PARAM, "location scheme "
		    "'%.*s' is not supported by this server: use a local "
		    "path, a file:// URL, an s3:// or gs:// URL or an Azure "
		    "URL (abfss://, wasbs://, https://)",
		    (int)(colon - loc) > 16 ? 16 : (int)(colon - loc), loc);
	else
		return err_set(e, ERR_BAD_PARAM,
		    "location must be an absolute path or a file:// URL");
	if (c->allowed_roots == NULL || c->allowed_roots[0] == NULL)
		return err_set(e, ERR_BAD_PARAM, "no local table directory is "
		    "allowed on this server (see admin.allowed_roots)");
	if (strlen(path) >= PATH_MAX || realpath(path, real) == NULL ||
	    stat(real, &st) == -1 || !S_ISDIR(st.st_mode))
		return err_set(e, ERR_BAD_PARAM,
		    "location is not an existing directory");
	for (root = c->allowed_roots; *root != NULL; root++)
		if (under_root(real, *root))
			break;
	if (*root == NULL)
		return err_set(e, ERR_BAD_PARAM, "location is outside the "
		    "directories allowed for tables (admin.allowed_roots)");
	log = arena_printf(a, "%s/_delta_log", real);
	if (stat(log, &st) == -1 || !S_ISDIR(st.st_mode))
		return err_set(e, ERR_BAD_PARAM,
		    "location holds no _delta_log directory: not a Delta table");
	*canonical = arena_printf(a, "file://%s",
	    str_pct_encode(a, real, "/"));
	return 0;
}
