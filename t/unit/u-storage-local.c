/*
 * u-storage-local.c: unit tests for src/storage.c and the local backend
 * src/storage_local.c, on a table folder made in a temporary directory.
 *
 * Opening (paths, file:// URLs, other schemes), listings (order, name
 * filters, start_after, sizes and millisecond mtimes, folders, links and
 * FIFOs left out, a folder of many files), reads (ranges, caps, short
 * files), stat, read_many, and escapes: ".." and absolute keys, links
 * out of the root, FIFOs and folders where a file is expected.  Every
 * check runs twice: with openat2(2), and with the O_NOFOLLOW walk used
 * where openat2 is missing.  An alarm turns any hang into a failure.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/syscall.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/openat2.h>

#include "arena.h"
#include "buf.h"
#include "err.h"
#include "storage.h"
#include "tap.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define LOG		"_delta_log/"
#define V0		LOG "00000000000000000000.json"
#define V1		LOG "00000000000000000001.json"
#define CP1		LOG "00000000000000000001.checkpoint.parquet"
#define LAST		LOG "_last_checkpoint"
#define MTIME0		1700000000123LL
#define MTIME1		1700000001999LL

static char	 base[PATH_MAX];	/* the temporary directory */
static char	 root[PATH_MAX];	/* the table in it */
static bool	 have_openat2;

static void
put(const char *rel, const char *data)
{
	char	 path[PATH_MAX * 2];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	if ((f = fopen(path, "w")) == NULL || fputs(data, f) == EOF ||
	    fclose(f) != 0)
		bail_out("cannot write %s", path);
}

static void
mkdir_in(const char *rel)
{
	char	 path[PATH_MAX * 2];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	if (mkdir(path, 0755) == -1)
		bail_out("cannot mkdir %s", path);
}

static void
link_in(const char *target, const char *rel)
{
	char	 path[PATH_MAX * 2];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	if (symlink(target, path) == -1)
		bail_out("cannot symlink %s", path);
}

static void
set_mtime(const char *rel, int64_t ms)
{
	struct timespec	 ts[2];
	char		 path[PATH_MAX * 2];

	ts[0].tv_sec = ts[1].tv_sec = ms / 1000;
	ts[0].tv_nsec = ts[1].tv_nsec = (ms % 1000) * 1000000 + 456789;
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	if (utimensat(AT_FDCWD, path, ts, 0) == -1)
		bail_out("cannot set the time of %s", path);
}

static void
setup(void)
{
	const char	*tmp = getenv("TMPDIR");
	char		 path[PATH_MAX * 2];
	FILE		*f;

	snprintf(base, sizeof(base), "%s/u-storage-local.XXXXXX",
	    tmp != NULL && tmp[0] == '/' ? tmp : "/tmp");
	if (mkdtemp(base) == NULL)
		bail_out("mkdtemp: %s", strerror(errno));
	/* A name that needs percent-encoding in a file:// URL. */
	if (snprintf(root, sizeof(root), "%s/ta ble%%", base) >=
	    (int)sizeof(root) || mkdir(root, 0755) == -1)
		bail_out("mkdir %s", root);
	snprintf(path, sizeof(path), "%s/outside", base);
	if ((f = fopen(path, "w")) == NULL || fputs("SECRET", f) == EOF ||
	    fclose(f) != 0)
		bail_out("cannot write %s", path);
	snprintf(path, sizeof(path), "%s/outside-dir", base);
	if (mkdir(path, 0755) == -1)
		bail_out("mkdir %s", path);
	snprintf(path, sizeof(path), "%s/outside-dir/secret", base);
	if ((f = fopen(path, "w")) == NULL || fclose(f) != 0)
		bail_out("cannot write %s", path);

	mkdir_in("_delta_log");
	put(V0, "{\"commitInfo\":{}}\n");
	put(V1, "0123456789");
	put(CP1, "PAR1x");
	put(LAST, "{}\n");
	set_mtime(V0, MTIME0);
	set_mtime(V1, MTIME1);
	mkdir_in(LOG "_sidecars");
	put(LOG "_sidecars/a.parquet", "PAR1");
	mkdir_in(LOG "_commits");
	link_in("00000000000000000001.json", LOG "00000000000000000002.json");
	put("part-0.parquet", "PAR1data");
	mkdir_in("a=1");
	put("a=1/part-1.parquet", "PAR1one");
	mkdir_in("sp ace%");
	put("sp ace%/f", "special");
	mkdir_in("adir");
	link_in("part-0.parquet", "link-in");
	snprintf(path, sizeof(path), "%s/part-0.parquet", root);
	link_in(path, "link-abs-in");
	snprintf(path, sizeof(path), "%s/outside", base);
	link_in(path, "link-out");
	link_in("../outside", "link-rel-out");
	link_in("a=1", "dirlink-in");
	link_in("../outside-dir", "dirlink-out");
	link_in("../../outside", "a=1/link-out");
	link_in("part-1.parquet", "a=1/link-in");
	link_in("link-loop", "link-loop");
	snprintf(path, sizeof(path), "%s/fifo", root);
	if (mkfifo(path, 0644) == -1)
		bail_out("mkfifo %s", path);
}

static void
teardown(void)
{
	char	 cmd[PATH_MAX * 2 + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
	if (system(cmd) != 0)
		diag("could not remove %s", base);
}

static struct storage *
open_root(bool walk)
{
	struct storage	*st;
	struct err	 e;

	err_clear(&e);
	if ((st = storage_open(root, &e)) == NULL)
		bail_out("storage_open(%s): %s", root, e.msg);
	if (walk)
		storage_local_force_walk(st);
	return st;
}

static void
test_open(void)
{
	static const struct {
		const char	*name;
		const char	*loc;
		enum err_kind	 kind;
		const char	*why;
	} bad[] = {
		{ "ftp", "ftp://host/t", ERR_UNSUPPORTED,
		    "location scheme 'ftp' is not supported yet" },
		{ "s3 bad bucket", "s3://B/t", ERR_BAD_PARAM,
		    "bad bucket name" },
		{ "s3 dot-dot", "s3://bucket/a/../b", ERR_BAD_PARAM,
		    "'..' segments" },
		{ "abfss bad host", "abfss://cc@acct.dfs.evil.example/t",
		    ERR_BAD_PARAM, "an Azure location is" },
		{ "relative", "relative/t", ERR_BAD_PARAM, "absolute path" },
		{ "empty", "", ERR_BAD_PARAM, "absolute path" },
		{ "file host", "file://host/t", ERR_BAD_PARAM, "absolute path" },
		{ "file relative", "file:t", ERR_BAD_PARAM, "absolute path" },
		{ "file NUL", "file:///tmp/a%00b", ERR_BAD_PARAM, "malformed" },
		{ "file bad escape", "file:///tmp/%zz", ERR_BAD_PARAM,
		    "malformed" },
		{ "missing", "/nonexistent/table", ERR_NOT_FOUND,
		    "not an existing directory" },
		{ "a file", "/etc/passwd", ERR_NOT_FOUND,
		    "not an existing directory" },
	};
	struct storage	*st;
	struct err	 e;
	char		 loc[PATH_MAX * 4], want[PATH_MAX * 4];
	char		 other[PATH_MAX * 4], want_other[PATH_MAX * 5];
	size_t		 i;

	st = open_root(false);
	/* base is mkdtemp's, realpath'd names stay (no links under /tmp). */
	snprintf(want, sizeof(want), "file://%s", root);
	want[strlen(want) - strlen("ta ble%")] = '\0';
	strncat(want, "ta%20ble%25", sizeof(want) - strlen(want) - 1);
	is_str(storage_root(st), want, "root: file:// and percent-encoded");
	storage_close(st);
	err_clear(&e);
	ok((st = storage_open(want, &e)) != NULL, "open: the file:// URL");
	if (st != NULL)
		is_str(storage_root(st), want, "open: same root");
	storage_close(st);
	if (snprintf(loc, sizeof(loc), "file://localhost%s", want + 7) >=
	    (int)sizeof(loc))
		bail_out("location too long");
	ok((st = storage_open(loc, &e)) != NULL, "open: file://localhost/");
	storage_close(st);
	snprintf(loc, sizeof(loc), "file:%s", want + 7);
	ok((st = storage_open(loc, &e)) != NULL, "open: file:/ (one slash)");
	storage_close(st);
	snprintf(loc, sizeof(loc), "%s/a=1/..", root);
	ok((st = storage_open(loc, &e)) != NULL, "open: a path with '..'");
	if (st != NULL)
		is_str(storage_root(st), want, "open: resolved once");
	storage_close(st);
	/* A link to the table, next to it: the root is where it leads. */
	snprintf(loc, sizeof(loc), "%s-link", root);
	if (symlink(root, loc) == -1)
		bail_out("cannot symlink %s", loc);
	ok((st = storage_open(loc, &e)) != NULL, "open: through a link");
	if (st != NULL)
		is_str(storage_root(st), want, "open: the link resolved");
	storage_close(st);
	/* The link turned to another directory: the name seen is not kept. */
	snprintf(other, sizeof(other), "%s/adir", root);
	snprintf(want_other, sizeof(want_other), "%s/adir", want);
	if (unlink(loc) == -1 || symlink(other, loc) == -1)
		bail_out("cannot turn the link %s", loc);
	ok((st = storage_open(loc, &e)) != NULL, "open: the link turned");
	if (st != NULL)
		is_str(storage_root(st), want_other, "open: where it leads now");
	storage_close(st);
	unlink(loc);
	for (i = 0; i < NELEM(bad); i++) {
		err_clear(&e);
		st = storage_open(bad[i].loc, &e);
		ok(st == NULL, "open %s: refused", bad[i].name);
		storage_close(st);
		is_int(e.kind, bad[i].kind, "open %s: kind", bad[i].name);
		if (!ok(strstr(e.msg, bad[i].why) != NULL,
		    "open %s: says '%s'", bad[i].name, bad[i].why))
			diag("message: %s", e.msg);
	}
	ok(storage_key_valid("a") && storage_key_valid("a/b.c") &&
	    storage_key_valid("..a/b..") && storage_key_valid(".x"),
	    "key_valid: good keys");
	ok(!storage_key_valid(NULL) && !storage_key_valid("") &&
	    !storage_key_valid("/a") && !storage_key_valid("a/") &&
	    !storage_key_valid("a//b") && !storage_key_valid("./a") &&
	    !storage_key_valid("a/./b") && !storage_key_valid("..") &&
	    !storage_key_valid("a/../b") && !storage_key_valid("a/.."),
	    "key_valid: bad keys");
}

/* The keys of a listing, joined with spaces. */
static const char *
keys(const struct storage_list *l, char *out, size_t outsz)
{
	size_t	 i;

	out[0] = '\0';
	for (i = 0; i < l->n; i++) {
		if (i > 0)
			strncat(out, " ", outsz - strlen(out) - 1);
		strncat(out, l->v[i].key, outsz - strlen(out) - 1);
	}
	return out;
}

static void
test_list(bool walk)
{
	static const struct {
		const char	*name;
		const char	*prefix;
		const char	*after;
		const char	*want;		/* NULL: an error */
		const char	*want_walk;	/* if not the same */
	} cases[] = {
		{ "log", LOG, NULL, V0 " " CP1 " " V1 " " LAST, NULL },
		{ "name filter", LOG "0000", NULL, V0 " " CP1 " " V1, NULL },
		{ "filter on one", LOG "_last", NULL, LAST, NULL },
		{ "after v0", LOG, V0, CP1 " " V1 " " LAST, NULL },
		{ "after a non-entry", LOG, LOG "00000000000000000001",
		    CP1 " " V1 " " LAST, NULL },
		{ "after all", LOG, LOG "zzz", "", NULL },
		{ "after a smaller folder", LOG, "Z", V0 " " CP1 " " V1 " "
		    LAST, NULL },
		{ "after a larger folder", LOG, "a", "", NULL },
		{ "after the empty string", LOG, "", V0 " " CP1 " " V1 " "
		    LAST, NULL },
		{ "root", "", NULL, "part-0.parquet", NULL },
		{ "root filter", "part", NULL, "part-0.parquet", NULL },
		{ "sidecars", LOG "_sidecars/", NULL,
		    LOG "_sidecars/a.parquet", NULL },
		{ "empty folder", LOG "_commits/", NULL, "", NULL },
		{ "special folder", "sp ace%/", NULL, "sp ace%/f", NULL },
		{ "missing folder", "nothing/", NULL, "", NULL },
		{ "a file as folder", "part-0.parquet/", NULL, "", NULL },
		{ "link to a folder inside", "dirlink-in/", NULL,
		    "dirlink-in/part-1.parquet", NULL },
		{ "link to a folder outside", "dirlink-out/", NULL, NULL,
		    NULL },
		{ "climbing prefix", "../", NULL, NULL, NULL },
		{ "climbing deeper", "a=1/../../", NULL, NULL, NULL },
		{ "absolute prefix", "/etc/", NULL, NULL, NULL },
		{ "slash only", "/", NULL, NULL, NULL },
	};
	struct storage		*st = open_root(walk);
	struct arena		*a = arena_new();
	struct storage_list	 l;
	struct err		 e;
	const char		*want;
	char			 got[4096];
	size_t			 i;
	int			 rc;

	for (i = 0; i < NELEM(cases); i++) {
		want = cases[i].want;
		/* Without openat2, a link to a folder is refused. */
		if ((walk || !have_openat2) &&
		    strncmp(cases[i].name, "link to a folder inside", 23) == 0)
			want = NULL;
		err_clear(&e);
		rc = storage_list(st, a, cases[i].prefix, cases[i].after, &l,
		    &e);
		if (want == NULL) {
			is_int(rc, -1, "list %s (%s): refused", cases[i].name,
			    walk ? "walk" : "openat2");
			continue;
		}
		if (!is_int(rc, 0, "list %s (%s)", cases[i].name,
		    walk ? "walk" : "openat2"))
			diag("error: %s", e.msg);
		else
			is_str(keys(&l, got, sizeof(got)), want,
			    "list %s (%s): keys", cases[i].name,
			    walk ? "walk" : "openat2");
	}
	rc = storage_list(st, a, LOG, NULL, &l, &e);
	if (rc == 0 && l.n == 4) {
		is_int(l.v[0].size, 18, "list: size of v0");
		is_int(l.v[2].size, 10, "list: size of v1");
		is_int(l.v[0].mtime_ms, MTIME0, "list: mtime of v0, in ms");
		is_int(l.v[2].mtime_ms, MTIME1, "list: mtime of v1, in ms");
	} else
		ok(false, "list: four log entries");
	storage_close(st);
	arena_free(a);
}

/* A folder of many files: one pass, one sort. */
static void
test_list_many(void)
{
	struct storage		*st;
	struct arena		*a = arena_new();
	struct storage_list	 l;
	struct timespec		 t0, t1;
	struct err		 e;
	const char		*env = getenv("U_STORAGE_MANY");
	char			 path[PATH_MAX * 2], after[64];
	size_t			 n = 100000, i, bad = 0;
	int			 fd;

	if (env != NULL)
		n = (size_t)strtoul(env, NULL, 10);
	mkdir_in("many");
	for (i = n; i > 0; i--) {
		snprintf(path, sizeof(path), "%s/many/f%07zu", root, i - 1);
		if ((fd = open(path, O_WRONLY | O_CREAT, 0644)) == -1)
			bail_out("cannot create %s", path);
		close(fd);
	}
	st = open_root(false);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (storage_list(st, a, "many/", NULL, &l, &e) == -1)
		bail_out("list many: %s", e.msg);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	is_int(l.n, n, "many: every file listed");
	for (i = 1; i < l.n; i++)
		if (strcmp(l.v[i - 1].key, l.v[i].key) >= 0)
			bad++;
	is_int(bad, 0, "many: in key order");
	diag("listed %zu files in %.3f s", l.n, (double)(t1.tv_sec -
	    t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	snprintf(after, sizeof(after), "many/f%07zu", n / 2 - 1);
	if (storage_list(st, a, "many/", after, &l, &e) == -1)
		bail_out("list many: %s", e.msg);
	is_int(l.n, n - n / 2, "many: start_after halves the list");
	storage_close(st);
	arena_free(a);
}

enum outcome { OK, NOTFOUND, OUTSIDE, LINK, NOTREG };

static void
check_outcome(int rc, const struct err *e, enum outcome want,
    const char *what)
{
	static const char *const why[] = { "", "not found", "outside",
	    "symbolic link", "not a regular file" };

	if (want == OK) {
		if (!is_int(rc, 0, "%s: read", what))
			diag("error: %s", e->msg);
		return;
	}
	is_int(rc, -1, "%s: refused", what);
	is_int(e->kind, want == NOTFOUND ? ERR_NOT_FOUND : ERR_UPSTREAM,
	    "%s: kind", what);
	if (!ok(strstr(e->msg, why[want]) != NULL, "%s: says '%s'", what,
	    why[want]))
		diag("message: %s", e->msg);
	ok(strstr(e->msg, base) == NULL, "%s: no absolute path in the "
	    "message", what);
}

/* Is key, under the root, itself a symbolic link? */
static bool
final_link(const char *key)
{
	struct stat	 sb;
	char		 path[PATH_MAX * 2];

	snprintf(path, sizeof(path), "%s/%s", root, key);
	return lstat(path, &sb) == 0 && S_ISLNK(sb.st_mode);
}

static void
test_escapes(bool walk)
{
	static const struct {
		const char	*key;
		enum outcome	 openat2, walk;
		const char	*data;
	} cases[] = {
		{ "part-0.parquet", OK, OK, "PAR1data" },
		{ "a=1/part-1.parquet", OK, OK, "PAR1one" },
		{ "sp ace%/f", OK, OK, "special" },
		{ "link-in", OK, LINK, "PAR1data" },
		{ "dirlink-in/part-1.parquet", OK, LINK, "PAR1one" },
		{ "link-abs-in", OUTSIDE, LINK, NULL },
		{ "link-out", OUTSIDE, LINK, NULL },
		{ "link-rel-out", OUTSIDE, LINK, NULL },
		{ "dirlink-out/secret", OUTSIDE, LINK, NULL },
		/* Links in a subdirectory (a stat looks there by name). */
		{ "a=1/link-in", OK, LINK, "PAR1one" },
		{ "a=1/link-out", OUTSIDE, LINK, NULL },
		{ LOG "00000000000000000002.json", OK, LINK, "0123456789" },
		{ "a=1/part-1.parquet", OK, OK, "PAR1one" },
		{ "link-loop", LINK, LINK, NULL },
		{ "fifo", NOTREG, NOTREG, NULL },
		{ "adir", NOTREG, NOTREG, NULL },
		{ LOG "_sidecars", NOTREG, NOTREG, NULL },
		{ "missing", NOTFOUND, NOTFOUND, NULL },
		{ "nodir/missing", NOTFOUND, NOTFOUND, NULL },
		{ "part-0.parquet/x", NOTFOUND, NOTFOUND, NULL },
	};
	struct storage		*st = open_root(walk);
	struct arena		*a = arena_new();
	struct storage_entry	 ent;
	struct buf		 b;
	struct err		 e;
	enum outcome		 want;
	char			 what[128];
	size_t			 i;
	int			 rc;

	buf_init(&b, 0);
	for (i = 0; i < NELEM(cases); i++) {
		want = walk || !have_openat2 ? cases[i].walk : cases[i].openat2;
		snprintf(what, sizeof(what), "%s (%s)", cases[i].key,
		    walk ? "walk" : "openat2");
		buf_reset(&b);
		err_clear(&e);
		rc = storage_read(st, cases[i].key, 0, -1, 1024, &b, &e);
		check_outcome(rc, &e, want, what);
		if (rc == 0 && cases[i].data != NULL)
			is_str(buf_str(&b), cases[i].data, "%s: contents",
			    what);
		err_clear(&e);
		rc = storage_stat(st, cases[i].key, &ent, a, &e);
		/* stat opens O_PATH: a final link is a link, not followed. */
		if ((walk || !have_openat2) && want == LINK &&
		    final_link(cases[i].key))
			want = NOTREG;
		snprintf(what, sizeof(what), "stat %s (%s)", cases[i].key,
		    walk ? "walk" : "openat2");
		check_outcome(rc, &e, want, what);
	}
	buf_release(&b);
	storage_close(st);
	arena_free(a);
}

/* Keys that storage.c refuses, and the backend refuses on its own too. */
static void
test_bad_keys(bool walk)
{
	static const char *const bad[] = { "../outside", "a=1/../../outside",
	    "/etc/passwd", "..", ".", "", "a//b", "a=1/", "../" };
	struct storage	*st = open_root(walk);
	struct buf	 b;
	struct err	 e;
	size_t		 i;
	int		 rc;

	buf_init(&b, 0);
	for (i = 0; i < NELEM(bad); i++) {
		err_clear(&e);
		rc = storage_read(st, bad[i], 0, -1, 1024, &b, &e);
		is_int(rc, -1, "key '%s' (%s): refused", bad[i],
		    walk ? "walk" : "openat2");
		is_int(e.kind, ERR_INTERNAL, "key '%s': a caller's bug",
		    bad[i]);
		err_clear(&e);
		rc = st->ops->read(st, bad[i], 0, -1, 1024, &b, &e);
		is_int(rc, -1, "key '%s' (%s): the backend refuses it too",
		    bad[i], walk ? "walk" : "openat2");
		ok(strstr(buf_str(&b), "SECRET") == NULL,
		    "key '%s': nothing from outside", bad[i]);
	}
	buf_release(&b);
	storage_close(st);
}

static void
test_read(void)
{
	static const struct {
		const char	*name;
		int64_t		 off, len;
		size_t		 max;
		const char	*want;		/* NULL: an error */
		enum err_kind	 kind;
	} cases[] = {
		{ "whole", 0, -1, 10, "0123456789", ERR_NONE },
		{ "range", 2, 3, 10, "234", ERR_NONE },
		{ "tail", 7, -1, 10, "789", ERR_NONE },
		{ "empty at the end", 10, 0, 10, "", ERR_NONE },
		{ "to the end, at the end", 10, -1, 0, "", ERR_NONE },
		{ "past the end", 11, -1, 10, NULL, ERR_UPSTREAM },
		{ "range past the end", 8, 5, 10, NULL, ERR_UPSTREAM },
		{ "over the cap", 0, -1, 9, NULL, ERR_TOO_LARGE },
		{ "range over the cap", 0, 5, 4, NULL, ERR_TOO_LARGE },
		{ "cap 0", 0, 1, 0, NULL, ERR_TOO_LARGE },
	};
	struct storage	*st = open_root(false);
	struct storage_req reqs[3];
	struct buf	 b, outs[3];
	struct err	 e, errs[3];
	size_t		 i;
	int		 rc;

	buf_init(&b, 0);
	for (i = 0; i < NELEM(cases); i++) {
		buf_reset(&b);
		buf_adds(&b, "pre:");
		err_clear(&e);
		rc = storage_read(st, V1, cases[i].off, cases[i].len,
		    cases[i].max, &b, &e);
		if (cases[i].want != NULL) {
			is_int(rc, 0, "read %s", cases[i].name);
			is_str(buf_str(&b) + 4, cases[i].want,
			    "read %s: appended", cases[i].name);
		} else {
			is_int(rc, -1, "read %s: refused", cases[i].name);
			is_int(e.kind, cases[i].kind, "read %s: kind",
			    cases[i].name);
			is_str(buf_str(&b), "pre:", "read %s: nothing appended",
			    cases[i].name);
		}
	}
	buf_release(&b);
	buf_init(&b, 12);
	buf_adds(&b, "abc");
	err_clear(&e);
	is_int(storage_read(st, V1, 0, -1, 100, &b, &e), -1,
	    "read: over the buffer's own cap");
	is_int(e.kind, ERR_TOO_LARGE, "read: the buffer's cap is too large");
	is_str(buf_str(&b), "abc", "read: buffer unchanged");
	buf_release(&b);
	is_int(storage_read(st, V1, -1, 1, 100, &b, &e), -1,
	    "read: negative offset");
	is_int(storage_read(st, V1, 0, -2, 100, &b, &e), -1,
	    "read: length below -1");

	reqs[0].key = V1;
	reqs[1].key = "missing";
	reqs[2].key = "../outside";
	for (i = 0; i < 3; i++) {
		buf_init(&outs[i], 0);
		reqs[i].out = &outs[i];
		reqs[i].err = &errs[i];
		reqs[i].rc = 7;
		err_clear(&errs[i]);
	}
	is_int(storage_read_many(st, reqs, 3, 100), -1,
	    "read_many: not all read");
	is_int(reqs[0].rc, 0, "read_many: the good one");
	is_str(buf_str(&outs[0]), "0123456789", "read_many: its contents");
	is_int(reqs[1].rc, -1, "read_many: the missing one");
	is_int(errs[1].kind, ERR_NOT_FOUND, "read_many: not found");
	is_int(reqs[2].rc, -1, "read_many: the climbing one");
	is_int(errs[2].kind, ERR_INTERNAL, "read_many: refused key");
	for (i = 0; i < 3; i++)
		buf_release(&outs[i]);
	reqs[1].key = V0;
	reqs[1].rc = 0;
	is_int(storage_read_many(st, reqs, 2, 100), 0, "read_many: all read");
	buf_release(&outs[0]);
	buf_release(&outs[1]);
	storage_close(st);
}

static void
probe_openat2(void)
{
	struct open_how	 how;
	long		 fd;

	memset(&how, 0, sizeof(how));
	how.flags = O_RDONLY | O_DIRECTORY;
	how.resolve = RESOLVE_BENEATH;
	fd = syscall(SYS_openat2, AT_FDCWD, ".", &how, sizeof(how));
	have_openat2 = fd >= 0;
	if (fd >= 0)
		close((int)fd);
	else
		diag("no openat2 here (%s): both passes walk", strerror(errno));
}

int
main(void)
{
	/* A read that blocks (a FIFO) must fail the test, not hang it. */
	alarm(120);
	probe_openat2();
	setup();
	test_open();
	test_list(false);
	test_list(true);
	test_escapes(false);
	test_escapes(true);
	test_bad_keys(false);
	test_bad_keys(true);
	test_read();
	test_list_many();
	teardown();
	return done_testing();
}
