/*
 * storage_local.c: the local-filesystem storage backend (see storage.h).
 *
 * The root is opened once as an O_PATH directory descriptor (its resolved
 * name read back from /proc/self/fd, or realpath(3) without /proc); every
 * key is opened relative to it with openat2(2) and RESOLVE_BENEATH, which
 * refuses "..", absolute symbolic links and relative ones that climb
 * out, whatever the key says.  Where the kernel or a seccomp filter has
 * no openat2 (ENOSYS, EPERM) keys are walked one component at a time
 * with O_NOFOLLOW instead, following no link at all.  Files are opened
 * O_NONBLOCK and checked with fstat(2) before any read, so a FIFO or a
 * device is refused, not waited on.
 *
 * A stat of a key in a subdirectory (the log's _delta_log/) keeps that
 * directory open (an O_PATH descriptor, itself opened beneath the root)
 * and looks at the name in it with fstatat(2) and AT_SYMLINK_NOFOLLOW:
 * one system call instead of three, and a single name with no link
 * followed cannot leave the directory.  A link found there goes the long
 * way (openat2 decides whether it stays beneath the root).
 *
 * Messages name keys relative to the root; the absolute path goes to
 * the log only.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/openat2.h>

#include "arena.h"
#include "buf.h"
#include "err.h"
#include "log.h"
#include "metrics.h"
#include "storage.h"
#include "strutil.h"
#include "xmalloc.h"

#define QUOTE		80		/* bytes of a key in a message */
#define CHUNK		(64 * 1024)	/* bytes per pread(2) */
#define OPEN_TRIES	8		/* openat2 may ask to retry */

struct local {
	int	 dirfd;		/* O_PATH descriptor of the root */
	bool	 walk;		/* no openat2: walk with O_NOFOLLOW */
	char	*path;		/* the resolved root, for the log */
	int	 subfd;		/* O_PATH descriptor of subdir, or -1 */
	char	*subdir;	/* its key, without the '/' */
};

static int	local_list(struct storage *, struct arena *, const char *,
		    const char *, struct storage_list *, struct err *);
static int	local_read(struct storage *, const char *, int64_t, int64_t,
		    size_t, struct buf *, struct err *);
static int	local_stat(struct storage *, const char *,
		    struct storage_entry *, struct arena *, struct err *);
static int	local_read_many(struct storage *, struct storage_req *,
		    size_t, size_t);
static void	local_close(struct storage *);

static const struct storage_ops local_ops = {
	.name = "local",
	.list = local_list,
	.read = local_read,
	.stat = local_stat,
	.read_many = local_read_many,
	.close = local_close,
};

/* Record what errno err means for key; returns -1. */
static int
fail(struct local *l, const char *key, int err, struct err *e)
{
	char	 q[QUOTE];

	str_shorten(key, q, sizeof(q));
	switch (err) {
	case ENOENT:
	case ENOTDIR:
		return err_set(e, ERR_NOT_FOUND, "'%s' not found", q);
	case EXDEV:
		log_warn("storage: '%s' under %s leaves the root", q, l->path);
		return err_set(e, ERR_UPSTREAM, "'%s' leads outside the table "
		    "root", q);
	case ELOOP:
		log_warn("storage: '%s' under %s: refused symbolic link", q,
		    l->path);
		return err_set(e, ERR_UPSTREAM, "'%s' goes through a symbolic "
		    "link that is not followed", q);
	case ENAMETOOLONG:
		return err_set(e, ERR_UPSTREAM, "'%s': name too long", q);
	default:
		log_warn("storage: %s/%s: %s", l->path, q, strerror(err));
		return err_set(e, ERR_UPSTREAM, "cannot read '%s'", q);
	}
}

/* No ".." segment, and "." only as the whole key (the root). */
static bool
walk_key_ok(const char *key)
{
	return strcmp(key, ".") == 0 || storage_key_valid(key);
}

/* After ENOTDIR on name in dirfd: was it a symbolic link?  Then ELOOP. */
static void
link_errno(int dirfd, const char *name)
{
	struct stat	 sb;

	if (errno == ENOTDIR && fstatat(dirfd, name, &sb,
	    AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(sb.st_mode))
		errno = ELOOP;
}

/* Flags for an open: O_PATH takes no others (openat2 says EINVAL). */
static int
open_flags(int flags)
{
	return flags & O_PATH ? flags | O_CLOEXEC :
	    flags | O_CLOEXEC | O_NOCTTY;
}

/* Open key below the root, one component at a time, following nothing. */
static int
walk(struct local *l, const char *key, int flags)
{
	const char	*p = key, *slash;
	char		 seg[NAME_MAX + 1];
	int		 cur = l->dirfd, next, saved;
	size_t		 n;

	/* storage.c checks keys; refuse a climbing one here too. */
	if (key[0] == '/' || !walk_key_ok(key)) {
		errno = EXDEV;
		return -1;
	}
	while ((slash = strchr(p, '/')) != NULL) {
		if ((n = (size_t)(slash - p)) > NAME_MAX) {
			next = -1;
			errno = ENAMETOOLONG;
		} else {
			memcpy(seg, p, n);
			seg[n] = '\0';
			next = openat(cur, seg, O_PATH | O_DIRECTORY |
			    O_NOFOLLOW | O_CLOEXEC);
			/* Say why a link where a folder should be fails. */
			if (next == -1)
				link_errno(cur, seg);
		}
		saved = errno;
		if (cur != l->dirfd)
			close(cur);
		if (next == -1) {
			errno = saved;
			return -1;
		}
		cur = next;
		p = slash + 1;
	}
	if ((next = openat(cur, p, open_flags(flags) | O_NOFOLLOW)) == -1)
		link_errno(cur, p);
	saved = errno;
	if (cur != l->dirfd)
		close(cur);
	errno = saved;
	return next;
}

/* Open key (or "." for the root) below the root; -1 with errno. */
static int
local_openat(struct local *l, const char *key, int flags)
{
	struct open_how	 how;
	long		 fd = -1;
	int		 i;

	if (!l->walk) {
		memset(&how, 0, sizeof(how));
		how.flags = (uint64_t)open_flags(flags);
		how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
		for (i = 0; i < OPEN_TRIES; i++) {
			fd = syscall(SYS_openat2, l->dirfd, key, &how,
			    sizeof(how));
			if (fd >= 0 || (errno != EAGAIN && errno != EINTR))
				break;
		}
		if (fd >= 0 || (errno != ENOSYS && errno != EPERM))
			return (int)fd;
		log_info("storage: no openat2 (%s): walking paths instead",
		    strerror(errno));
		l->walk = true;
	}
	return walk(l, key, flags);
}

/* Open a regular file for reading; -1 with e set. */
static int
open_file(struct local *l, const char *key, struct stat *sb, struct err *e)
{
	char	 q[QUOTE];
	int	 fd;

	if ((fd = local_openat(l, key, O_RDONLY | O_NONBLOCK)) == -1)
		return fail(l, key, errno, e);
	if (fstat(fd, sb) == -1) {
		fail(l, key, errno, e);
		close(fd);
		return -1;
	}
	if (!S_ISREG(sb->st_mode)) {
		close(fd);
		return err_set(e, ERR_UPSTREAM, "'%s' is not a regular file",
		    str_shorten(key, q, sizeof(q)));
	}
	return fd;
}

static int64_t
mtime_ms(const struct stat *sb)
{
	return (int64_t)sb->st_mtim.tv_sec * 1000 +
	    sb->st_mtim.tv_nsec / 1000000;
}

/*
 * Resolved names read back lately, by the path as given: used again for
 * REAL_MS while the path opens the same directory (device and inode), an
 * fstat(2) instead of a readlink(2) of /proc, which costs about as much
 * as the rest of a discovery call's storage work.  (A directory moved
 * while a link kept naming it shows its old name for REAL_MS at most.)
 */
#define REAL_SLOTS	16
#define REAL_MS		1000

static struct real_seen {
	char	*path;
	char	*real;
	dev_t	 dev;
	ino_t	 ino;
	int64_t	 at_ms;
} reals[REAL_SLOTS];
static size_t	 next_real;

/* The slot of path, or NULL. */
static struct real_seen *
real_find(const char *path)
{
	size_t	 i;

	for (i = 0; i < REAL_SLOTS; i++)
		if (reals[i].path != NULL && strcmp(reals[i].path, path) == 0)
			return &reals[i];
	return NULL;
}

static bool
real_again(int fd, const char *path, char real[PATH_MAX], int64_t now)
{
	struct real_seen	*r = real_find(path);
	struct stat		 sb;

	if (r == NULL || now - r->at_ms >= REAL_MS || fstat(fd, &sb) == -1 ||
	    sb.st_dev != r->dev || sb.st_ino != r->ino)
		return false;
	memcpy(real, r->real, strlen(r->real) + 1);
	return true;
}

/* Keep what path resolved to, in its slot or the next one. */
static void
real_keep(int fd, const char *path, const char *real, int64_t now)
{
	struct real_seen	*r = real_find(path);
	struct stat		 sb;

	if (fstat(fd, &sb) == -1)
		return;
	if (r == NULL) {
		r = &reals[next_real++ % REAL_SLOTS];
		free(r->path);
		r->path = xstrdup(path);
	}
	free(r->real);
	r->real = xstrdup(real);
	r->dev = sb.st_dev;
	r->ino = sb.st_ino;
	r->at_ms = now;
}

/*
 * Open directory path (O_PATH) and put its resolved name in real: read
 * back from /proc/self/fd, one system call, where realpath(3) reads
 * every component of the path (or as seen lately, real_again); realpath
 * and an open of its result where /proc is not there.  -1 with errno.
 */
static int
open_real(const char *path, char real[PATH_MAX])
{
	char	 link[64];
	ssize_t	 n;
	int64_t	 now = metrics_now_ms();
	int	 fd;

	if ((fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	if (real_again(fd, path, real, now))
		return fd;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, real, PATH_MAX);
	if (n > 0 && n < PATH_MAX && real[0] == '/') {
		real[n] = '\0';
		if (strstr(real, " (deleted)") == NULL) {
			real_keep(fd, path, real, now);
			return fd;
		}
	}
	close(fd);
	if (realpath(path, real) == NULL)
		return -1;
	return open(real, O_PATH | O_DIRECTORY | O_CLOEXEC);
}

struct storage *
storage_local_open(const char *path, struct err *e)
{
	struct storage	*st;
	struct local	*l;
	struct arena	*a;
	char		 real[PATH_MAX];
	int		 fd;

	if (path[0] != '/') {
		err_set(e, ERR_BAD_PARAM, "table location must be absolute");
		return NULL;
	}
	if (strlen(path) >= PATH_MAX || (fd = open_real(path, real)) == -1) {
		if (errno == ENOENT || errno == ENOTDIR)
			err_set(e, ERR_NOT_FOUND, "table location is not an "
			    "existing directory");
		else {
			log_warn("storage: %s: %s", path, strerror(errno));
			err_set(e, ERR_UPSTREAM, "cannot open the table "
			    "location");
		}
		return NULL;
	}
	l = xcalloc(1, sizeof(*l));
	l->dirfd = fd;
	l->path = xstrdup(real);
	l->subfd = -1;
	st = xcalloc(1, sizeof(*st));
	st->ops = &local_ops;
	st->be = l;
	a = arena_new();
	st->root = xasprintf("file://%s", str_pct_encode(a, real, "/"));
	arena_free(a);
	return st;
}

void
storage_local_force_walk(struct storage *st)
{
	if (st->ops == &local_ops)
		((struct local *)st->be)->walk = true;
}

static void
local_close(struct storage *st)
{
	struct local	*l = st->be;

	close(l->dirfd);
	if (l->subfd != -1)
		close(l->subfd);
	free(l->subdir);
	free(l->path);
	free(l);
	free(st->root);
	free(st);
}

static int
entry_cmp(const void *x, const void *y)
{
	const struct storage_entry	*a = x, *b = y;

	return strcmp(a->key, b->key);
}

/* Append dir/name to v if it is a regular file; -1 with e set. */
static int
list_one(struct local *l, struct arena *a, DIR *d, const char *dir,
    size_t dlen, const char *name, struct storage_entry **v, size_t *n,
    size_t *cap, struct err *e)
{
	struct stat	 sb;
	char		*key;
	size_t		 nlen = strlen(name);

	if (fstatat(dirfd(d), name, &sb, AT_SYMLINK_NOFOLLOW) == -1) {
		if (errno == ENOENT)		/* gone meanwhile */
			return 0;
		return fail(l, name, errno, e);
	}
	if (!S_ISREG(sb.st_mode))
		return 0;
	if (*n == *cap) {
		*cap = *cap == 0 ? 256 : *cap * 2;
		*v = xreallocarray(*v, *cap, sizeof(**v));
	}
	key = arena_alloc(a, dlen + nlen + 1);
	memcpy(key, dir, dlen);
	memcpy(key + dlen, name, nlen + 1);
	(*v)[*n].key = key;
	(*v)[*n].size = (int64_t)sb.st_size;
	(*v)[*n].mtime_ms = mtime_ms(&sb);
	(*n)++;
	return 0;
}

/* Does dir/name sort after start_after? */
static bool
after(const char *dir, size_t dlen, const char *name, const char *start)
{
	int	 c;

	if ((c = strncmp(dir, start, dlen)) != 0)
		return c > 0;
	return strcmp(name, start + dlen) > 0;
}

static int
local_list(struct storage *st, struct arena *a, const char *prefix,
    const char *start_after, struct storage_list *out, struct err *e)
{
	struct local		*l = st->be;
	struct storage_entry	*v = NULL;
	struct dirent		*de;
	const char		*slash, *filter;
	char			*dir;
	DIR			*d = NULL;
	size_t			 dlen, flen, n = 0, cap = 0;
	int			 fd, rc = -1;

	slash = strrchr(prefix, '/');
	dlen = slash != NULL ? (size_t)(slash - prefix) + 1 : 0;
	filter = prefix + dlen;
	flen = strlen(filter);
	dir = dlen > 0 ? xstrndup(prefix, dlen - 1) : xstrdup(".");
	if ((fd = local_openat(l, dir, O_RDONLY | O_DIRECTORY)) == -1) {
		if (errno == ENOENT || errno == ENOTDIR)
			rc = 0;
		else
			fail(l, dir, errno, e);
		goto out;
	}
	if ((d = fdopendir(fd)) == NULL) {
		fail(l, dir, errno, e);
		close(fd);
		goto out;
	}
	for (;;) {
		errno = 0;
		if ((de = readdir(d)) == NULL)
			break;
		if (strncmp(de->d_name, filter, flen) != 0 ||
		    strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0 ||
		    (de->d_type != DT_REG && de->d_type != DT_UNKNOWN) ||
		    (start_after != NULL &&
		    !after(prefix, dlen, de->d_name, start_after)))
			continue;
		if (list_one(l, a, d, prefix, dlen, de->d_name, &v, &n, &cap,
		    e) == -1)
			goto out;
	}
	if (errno != 0) {
		fail(l, dir, errno, e);
		goto out;
	}
	if (n > 0) {
		qsort(v, n, sizeof(*v), entry_cmp);
		out->v = arena_alloc(a, n * sizeof(*v));
		memcpy(out->v, v, n * sizeof(*v));
		out->n = n;
	}
	rc = 0;
out:
	if (d != NULL)
		closedir(d);
	free(v);
	free(dir);
	return rc;
}

static int
short_object(const char *key, struct err *e)
{
	char	 q[QUOTE];

	return err_set(e, ERR_UPSTREAM, "'%s' is shorter than expected",
	    str_shorten(key, q, sizeof(q)));
}

static int
local_read(struct storage *st, const char *key, int64_t off, int64_t len,
    size_t max, struct buf *out, struct err *e)
{
	struct local	*l = st->be;
	struct stat	 sb;
	char		 chunk[CHUNK], q[QUOTE];
	size_t		 orig = out->len;
	uint64_t	 want, got = 0;
	ssize_t		 r;
	int		 fd, rc = -1;

	if ((fd = open_file(l, key, &sb, e)) == -1)
		return -1;
	if (off > sb.st_size || (len >= 0 && len > sb.st_size - off)) {
		short_object(key, e);
		goto out;
	}
	want = len >= 0 ? (uint64_t)len : (uint64_t)(sb.st_size - off);
	if (want > max || (out->max != 0 && want > out->max - out->len)) {
		err_set(e, ERR_TOO_LARGE, "'%s' is larger than %zu bytes",
		    str_shorten(key, q, sizeof(q)), out->max != 0 && out->max - out->len < max ?
		    out->max - out->len : max);
		goto out;
	}
	while (got < want) {
		r = pread(fd, chunk, want - got < CHUNK ? want - got : CHUNK,
		    (off_t)(off + (int64_t)got));
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			fail(l, key, errno, e);
			goto out;
		}
		if (r == 0) {
			short_object(key, e);
			goto out;
		}
		if (buf_add(out, chunk, (size_t)r) == -1) {
			err_set(e, ERR_TOO_LARGE, "'%s' does not fit the buffer",
			    str_shorten(key, q, sizeof(q)));
			goto out;
		}
		got += (uint64_t)r;
	}
	rc = 0;
out:
	if (rc == -1 && out->len > orig) {
		out->len = orig;
		out->data[orig] = '\0';
	}
	close(fd);
	return rc;
}

/*
 * The stat of key by its directory's descriptor: 0, -1 with errno, or 1
 * when it must go the long way (no single directory and name, the
 * directory cannot be opened, a link).
 */
static int
stat_in_subdir(struct local *l, const char *key, struct stat *sb)
{
	const char	*slash = strrchr(key, '/'), *name;
	size_t		 n;

	if (slash == NULL || slash == key || memchr(key, '/',
	    (size_t)(slash - key)) != NULL)
		return 1;
	name = slash + 1;
	n = (size_t)(slash - key);
	if (*name == '\0' || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return 1;
	if (l->subfd == -1 || strncmp(l->subdir, key, n) != 0 ||
	    l->subdir[n] != '\0') {
		if (l->subfd != -1)
			close(l->subfd);
		free(l->subdir);
		l->subdir = xstrndup(key, n);
		if ((l->subfd = local_openat(l, l->subdir,
		    O_PATH | O_DIRECTORY)) == -1)
			return 1;
	}
	if (fstatat(l->subfd, name, sb, AT_SYMLINK_NOFOLLOW) == -1)
		return -1;
	return S_ISLNK(sb->st_mode) ? 1 : 0;
}

/* The stat of key opened beneath the root; -1 with errno. */
static int
stat_beneath(struct local *l, const char *key, struct stat *sb)
{
	int	 fd, saved;

	/* O_PATH: nothing is opened for reading, a FIFO cannot block. */
	if ((fd = local_openat(l, key, O_PATH)) == -1)
		return -1;
	if (fstat(fd, sb) == -1) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	close(fd);
	return 0;
}

static int
local_stat(struct storage *st, const char *key, struct storage_entry *ent,
    struct arena *a, struct err *e)
{
	struct local	*l = st->be;
	struct stat	 sb;
	char		 q[QUOTE];
	int		 rc;

	if ((rc = stat_in_subdir(l, key, &sb)) == 1)
		rc = stat_beneath(l, key, &sb);
	if (rc == -1)
		return fail(l, key, errno, e);
	if (!S_ISREG(sb.st_mode))
		return err_set(e, ERR_UPSTREAM, "'%s' is not a regular file",
		    str_shorten(key, q, sizeof(q)));
	ent->key = arena_strdup(a, key);
	ent->size = (int64_t)sb.st_size;
	ent->mtime_ms = mtime_ms(&sb);
	return 0;
}

static int
local_read_many(struct storage *st, struct storage_req *reqs, size_t n,
    size_t max_each)
{
	struct err	 scratch;
	size_t		 i;
	int		 rc = 0;

	for (i = 0; i < n; i++) {
		if (reqs[i].rc == -1) {		/* refused by storage.c */
			rc = -1;
			continue;
		}
		reqs[i].rc = local_read(st, reqs[i].key, 0, -1, max_each,
		    reqs[i].out, reqs[i].err != NULL ? reqs[i].err : &scratch);
		if (reqs[i].rc == -1)
			rc = -1;
	}
	return rc;
}
