/*
 * location.h: checking where an admin says a Delta table lives.
 *
 * A local location is an absolute path or a file:// URL; it must resolve
 * (symlinks included) to an existing directory holding _delta_log, under
 * one of the directories in admin.allowed_roots.  The canonical form
 * stored in the catalog is "file://" plus the resolved, percent-encoded
 * path.  An object-store location must lie under admin.allowed_buckets
 * and list a _delta_log with the credential given (NULL: the store's
 * environment).
 */
#ifndef DS_LOCATION_H
#define DS_LOCATION_H

struct arena;
struct conf;
struct cred;
struct err;

int	location_check(const struct conf *, struct arena *, const char *loc,
	    const struct cred *, const char **canonical, struct err *);

#endif
