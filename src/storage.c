/*
 * storage.c: table storage behind one interface (see storage.h).
 *
 * This file picks a backend by the scheme of a location and checks
 * what every backend may rely on: keys are well formed (relative, no
 * empty, "." or ".." segment), offsets and lengths make sense.  The
 * backends (storage_local.c, storage_s3.c, storage_az.c, storage_gcs.c)
 * do the I/O.  Every operation is counted and timed here, by backend,
 * in the shared metrics.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "metrics.h"
#include "storage.h"
#include "storage_obj.h"
#include "strutil.h"
#include "xmalloc.h"

/*
 * "file:///p", "file://localhost/p" or "file:/p": the decoded path, or
 * NULL.
 */
static char *
file_url_path(const char *loc, struct err *e)
{
	const char	*p = loc + 5;
	char		*path;
	long		 n;

	if (strncmp(p, "//localhost/", 12) == 0)
		p += 11;
	else if (strncmp(p, "//", 2) == 0)
		p += 2;
	if (p[0] != '/') {
		err_set(e, ERR_BAD_PARAM, "file:// locations must name an "
		    "absolute path (file:///...)");
		return NULL;
	}
	path = xmalloc(strlen(p) + 1);
	if ((n = str_pct_decode(p, strlen(p), path, false)) < 0 ||
	    (size_t)n != strlen(path)) {
		free(path);
		err_set(e, ERR_BAD_PARAM, "malformed file:// location");
		return NULL;
	}
	return path;
}

/* Length of a leading "scheme:", or 0. */
static size_t
scheme_len(const char *s)
{
	size_t	 i;

	for (i = 0; (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' &&
	    s[i] <= 'Z') || (i > 0 && ((s[i] >= '0' && s[i] <= '9') ||
	    s[i] == '+' || s[i] == '-' || s[i] == '.')); i++)
		;
	return i > 0 && s[i] == ':' ? i : 0;
}

struct storage *
storage_open(const char *location, struct err *e)
{
	return storage_open_cred(location, NULL, e);
}

struct storage *
storage_open_cred(const char *location, const struct cred *c, struct err *e)
{
	struct storage	*st;
	char		*path;
	size_t		 n;

	if (strncmp(location, "file:", 5) == 0) {
		if ((path = file_url_path(location, e)) == NULL)
			return NULL;
		st = storage_local_open(path, e);
		free(path);
		return st;
	}
	if (location[0] == '/')
		return storage_local_open(location, e);
	if (strncmp(location, "s3://", 5) == 0 ||
	    strncmp(location, "s3a://", 6) == 0)
		return storage_s3_open(location, c, e);
	if (strncmp(location, "gs://", 5) == 0)
		return storage_gcs_open(location, c, e);
	if (obj_az_scheme(location))
		return storage_az_open(location, c, e);
	if ((n = scheme_len(location)) > 0) {
		err_set(e, ERR_UNSUPPORTED, "location scheme '%.*s' is not "
		    "supported yet", n > 16 ? 16 : (int)n, location);
		return NULL;
	}
	err_set(e, ERR_BAD_PARAM,
	    "location must be an absolute path or a file:// URL");
	return NULL;
}

void
storage_close(struct storage *st)
{
	if (st != NULL)
		st->ops->close(st);
}

const char *
storage_root(const struct storage *st)
{
	return st->root;
}

bool
storage_is_local(const struct storage *st)
{
	return strcmp(st->ops->name, "local") == 0;
}

bool
storage_key_valid(const char *key)
{
	const char	*seg, *end;
	size_t		 n;

	if (key == NULL || key[0] == '\0')
		return false;
	for (seg = key;; seg = end + 1) {
		end = strchr(seg, '/');
		n = end != NULL ? (size_t)(end - seg) : strlen(seg);
		if (n == 0 || (n == 1 && seg[0] == '.') ||
		    (n == 2 && seg[0] == '.' && seg[1] == '.'))
			return false;
		if (end == NULL)
			return true;
	}
}

bool
storage_can_presign(const struct storage *st)
{
	return st->ops->presign != NULL;
}

int
storage_presign(struct storage *st, const char *key, int64_t now,
    int64_t ttl, struct arena *a, const char **url, struct err *e)
{
	if (!storage_key_valid(key))
		return err_set(e, ERR_INTERNAL, "invalid storage key");
	if (st->ops->presign == NULL)
		return err_set(e, ERR_UNSUPPORTED, "%s storage cannot presign",
		    st->ops->name);
	return st->ops->presign(st, key, now, ttl, a, url, e);
}

/* A prefix is "" or a valid key followed by '/' and a name filter. */
static bool
prefix_valid(const char *prefix)
{
	const char	*slash;
	char		*dir;
	bool		 ok;

	if ((slash = strrchr(prefix, '/')) == NULL)
		return true;
	dir = xstrndup(prefix, (size_t)(slash - prefix));
	ok = storage_key_valid(dir);
	free(dir);
	return ok;
}

static enum metrics_backend
backend_of(const struct storage *st)
{
	enum metrics_backend b;

	for (b = 0; b < MB__N; b++)
		if (strcmp(st->ops->name, metrics_backend_names[b]) == 0)
			return b;
	return MB_LOCAL;
}

/* Count one operation that started at t0 and returned rc. */
static int
measured(const struct storage *st, enum metrics_op op, int64_t t0, int rc,
    const struct err *e)
{
	enum metrics_outcome o = MR_OK;

	if (rc == -1)
		o = e != NULL && e->kind == ERR_NOT_FOUND ? MR_NOT_FOUND :
		    MR_ERROR;
	metrics_storage(backend_of(st), op, o, metrics_now_us() - t0);
	return rc;
}

int
storage_list(struct storage *st, struct arena *a, const char *prefix,
    const char *start_after, struct storage_list *out, struct err *e)
{
	int64_t	 t0;

	out->v = NULL;
	out->n = 0;
	if (prefix == NULL || !prefix_valid(prefix))
		return err_set(e, ERR_INTERNAL, "invalid storage prefix");
	t0 = metrics_now_us();
	return measured(st, MO_LIST, t0,
	    st->ops->list(st, a, prefix, start_after, out, e), e);
}

int
storage_read(struct storage *st, const char *key, int64_t off, int64_t len,
    size_t max, struct buf *out, struct err *e)
{
	int64_t	 t0;

	if (!storage_key_valid(key))
		return err_set(e, ERR_INTERNAL, "invalid storage key");
	if (off < 0 || len < -1)
		return err_set(e, ERR_INTERNAL, "invalid byte range");
	t0 = metrics_now_us();
	return measured(st, MO_READ, t0,
	    st->ops->read(st, key, off, len, max, out, e), e);
}

int
storage_stat(struct storage *st, const char *key,
    struct storage_entry *ent, struct arena *a, struct err *e)
{
	int64_t	 t0;

	if (!storage_key_valid(key))
		return err_set(e, ERR_INTERNAL, "invalid storage key");
	t0 = metrics_now_us();
	return measured(st, MO_STAT, t0, st->ops->stat(st, key, ent, a, e), e);
}

int
storage_read_many(struct storage *st, struct storage_req *reqs, size_t n,
    size_t max_each)
{
	size_t	 i;
	int64_t	 t0;
	int	 rc = 0;

	/* Bad keys fail here; the backend sees only the others. */
	for (i = 0; i < n; i++) {
		reqs[i].rc = 0;
		if (!storage_key_valid(reqs[i].key)) {
			reqs[i].rc = -1;
			if (reqs[i].err != NULL)
				err_set(reqs[i].err, ERR_INTERNAL,
				    "invalid storage key");
			rc = -1;
		}
	}
	t0 = metrics_now_us();
	if (st->ops->read_many(st, reqs, n, max_each) == -1)
		rc = -1;
	return measured(st, MO_READ_MANY, t0, rc, NULL);
}
