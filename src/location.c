/*
 * location.c: validation of table locations (see location.h).
 *
 * The check runs on the fully resolved path, so "..", symlinks and
 * percent-encoded tricks cannot step outside an allowed root; the root
 * comparison respects path-segment boundaries ("/srv/t" does not admit
 * "/srv/tables-evil").
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

int
location_check(const struct conf *c, struct arena *a, const char *loc,
    const char **canonical, struct err *e)
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
	else if ((colon = strstr(loc, "://")) != NULL)
		return err_set(e, ERR_BAD_PARAM, "location scheme '%.*s' is not "
		    "supported by this server: use a local path or file:// URL",
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
