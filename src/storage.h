/*
 * storage.h: where table files live, behind one interface.
 *
 * A struct storage is opened on a table root (a location as stored in the
 * catalog: "file:///abs/path" or "/abs/path"; cloud schemes come with the
 * object-store backends) and reads objects by keys relative to that root
 * ("_delta_log/00000000000000000000.json").  Keys never contain "." or
 * ".." segments or a leading "/"; a key that would leave the root is an
 * error, never a read.  Listings come back sorted by key, which is the
 * order Delta needs (versions are zero-padded).
 *
 * Backends fill struct storage_ops (storage_local.c, storage_s3.c,
 * storage_az.c, storage_gcs.c).  storage_read_many() reads several whole
 * objects and is where a network backend fetches in parallel (the many
 * small commit files of a log); the local backend reads them in turn.
 *
 * Errors: ERR_NOT_FOUND for a missing object or prefix, ERR_UPSTREAM for
 * I/O or permission failures, ERR_TOO_LARGE when an object exceeds the
 * caller's cap.  Messages name the key, never the root's credentials.
 *
 * The local backend opens every key with openat2(RESOLVE_BENEATH) under
 * a descriptor of the resolved root, so neither ".." nor a symbolic link
 * leaves the root (relative links that stay inside are followed); where
 * openat2 is missing it walks the key one component at a time with
 * O_NOFOLLOW and follows no link at all.  Only regular files are read or
 * listed (a FIFO or a directory is an error, never a hang).
 */
#ifndef DS_STORAGE_H
#define DS_STORAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct buf;
struct cred;
struct err;
struct storage;

struct storage_entry {
	const char	*key;		/* relative to the root; in the arena */
	int64_t		 size;		/* bytes */
	int64_t		 mtime_ms;	/* last modification, ms since epoch */
};

struct storage_list {
	struct storage_entry	*v;
	size_t			 n;
};

/* One object of a storage_read_many() call. */
struct storage_req {
	const char	*key;
	struct buf	*out;		/* contents appended here */
	int		 rc;		/* 0, or -1 with err set */
	struct err	*err;
};

/*
 * Backend side.  Only storage*.c touch the fields: ops and root are set
 * by the backend's open function, be is its own state, freed by close.
 */
struct storage {
	const struct storage_ops *ops;
	char		*root;		/* canonical location, xmalloc'd */
	void		*be;
};

struct storage_ops {
	const char	*name;		/* "local" */
	int		 (*list)(struct storage *, struct arena *,
			    const char *prefix, const char *start_after,
			    struct storage_list *, struct err *);
	int		 (*read)(struct storage *, const char *key, int64_t off,
			    int64_t len, size_t max, struct buf *, struct err *);
	int		 (*stat)(struct storage *, const char *key,
			    struct storage_entry *, struct arena *,
			    struct err *);
	/* Requests whose rc is already -1 (a bad key) are skipped. */
	int		 (*read_many)(struct storage *, struct storage_req *,
			    size_t n, size_t max_each);
	void		 (*close)(struct storage *);
	/* NULL: the backend cannot presign (local files are proxied). */
	int		 (*presign)(struct storage *, const char *key,
			    int64_t now, int64_t ttl, struct arena *,
			    const char **url, struct err *);
};

/*
 * Open the table root at location.  The caller closes it with
 * storage_close().  The root must exist.  A scheme without a backend
 * yet ("s3://...") is ERR_UNSUPPORTED.
 */
struct storage	*storage_open(const char *location, struct err *);

/*
 * The same with the credential a table names (NULL: the store's
 * standard environment, see cred.h).  "s3://" and "s3a://" open the S3
 * backend, "gs://" the GCS one, Azure locations the Azure one.
 */
struct storage	*storage_open_cred(const char *location, const struct cred *,
		    struct err *);
struct storage	*storage_s3_open(const char *location, const struct cred *,
		    struct err *);
/* "abfss://", "abfs://", "wasbs://", "wasb://" and https blob URLs. */
struct storage	*storage_az_open(const char *location, const struct cred *,
		    struct err *);
/* "gs://". */
struct storage	*storage_gcs_open(const char *location, const struct cred *,
		    struct err *);

/* The local backend on an absolute path (storage_open() calls it). */
struct storage	*storage_local_open(const char *path, struct err *);

/* For tests: make a local storage walk keys as if openat2 were missing. */
void		 storage_local_force_walk(struct storage *);
void		 storage_close(struct storage *);

/* The root as given to storage_open(), canonical ("file:///..."). */
const char	*storage_root(const struct storage *);

/*
 * Objects whose keys start with prefix (e.g. "_delta_log/"), sorted by
 * key (bytewise), only those after start_after when it is not NULL.
 * Only the folder the prefix names is listed ("" is the root,
 * "_delta_log/" the log, "_delta_log/_sidecars/" that folder; any text
 * after the last '/' filters names): neither folders nor what lies in
 * them appear (an object store lists with delimiter "/").  The list
 * lives in the arena.  A missing folder is an empty list.
 */
int		 storage_list(struct storage *, struct arena *,
		    const char *prefix, const char *start_after,
		    struct storage_list *, struct err *);

/*
 * Append len bytes at offset off of key to out (len -1: to the end).
 * More than max bytes (a hard cap: 0 allows nothing but an empty read),
 * or more than out's own cap allows, is ERR_TOO_LARGE and appends
 * nothing.  A short object (fewer bytes than asked) is an error, and a
 * failed read leaves out as it was.
 */
int		 storage_read(struct storage *, const char *key, int64_t off,
		    int64_t len, size_t max, struct buf *out, struct err *);

int		 storage_stat(struct storage *, const char *key,
		    struct storage_entry *, struct arena *, struct err *);

/*
 * Read n whole objects, each capped at max_each, into reqs[i].out;
 * reqs[i].rc and reqs[i].err say how each went.  Returns 0 when all
 * succeeded, else -1.
 */
int		 storage_read_many(struct storage *, struct storage_req *,
		    size_t n, size_t max_each);

/*
 * A URL that lets its holder GET key for ttl seconds from now, in the
 * arena.  ERR_UNSUPPORTED when the backend cannot presign (local files:
 * deltashare serves them itself).
 */
bool		 storage_can_presign(const struct storage *);
int		 storage_presign(struct storage *, const char *key,
		    int64_t now, int64_t ttl, struct arena *,
		    const char **url, struct err *);

/* Local files: a stat is a system call, not a request. */
bool		 storage_is_local(const struct storage *);

/* Is key a well-formed relative key (no "", ".", ".." segment, no NUL)? */
bool		 storage_key_valid(const char *key);

#endif
