/*
 * storage_obj.h: what the object-store backends (storage_s3.c, and the
 * Azure and GCS ones) share: bucket locations and endpoints, the few
 * XML elements their answers need, byte ranges, error mapping and
 * sorted listings.  Only storage backends include it.
 */
#ifndef DS_STORAGE_OBJ_H
#define DS_STORAGE_OBJ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct buf;
struct err;
struct httpc_req;
struct httpc_resp;
struct storage_entry;
struct storage_list;
struct storage_req;

/*
 * "scheme://bucket/some/prefix": the bucket (3 to 63 of [a-z0-9.-],
 * starting and ending with a letter or digit) and the key prefix ("" or
 * ending in "/"; no empty, "." or ".." segment, no control character).
 */
int	obj_bucket_split(struct arena *, const char *location,
	    const char **bucket, const char **prefix, struct err *);

struct obj_endpoint {
	const char	*scheme;	/* "http" or "https" */
	const char	*host;		/* "127.0.0.1:7480" as in URLs */
	const char	*sign_host;	/* without a default port */
};

/* "http[s]://host[:port][/]": no user, path, query or fragment. */
int	obj_endpoint_parse(struct arena *, const char *url,
	    struct obj_endpoint *, struct err *);

/*
 * XML: the content of the next <tag> element from p (NULL when none
 * before end), *after just past its end tag; the text of the first
 * <tag> within s[0..n) with entities decoded, cut to fit ("" absent);
 * or a copy in the arena (NULL absent).
 */
const char *obj_xml_block(const char *p, const char *end, const char *tag,
	    const char **after);
void	obj_xml_text(const char *s, size_t n, const char *tag, char *out,
	    size_t outsz);
const char *obj_xml_dup(struct arena *, const char *s, size_t n,
	    const char *tag);

/*
 * An answer that is not a success, as an err: 404 ERR_NOT_FOUND, 503
 * and 429 ERR_UNAVAILABLE, others ERR_UPSTREAM; the message names the
 * store, the bucket, the key and the store's own error code.
 */
int	obj_fail(long status, const char *code, const char *msg,
	    const char *store, const char *bucket, const char *key,
	    struct err *);

/* A Range header value for off/len (storage_read), NULL for all. */
const char *obj_range(struct arena *, int64_t off, int64_t len);
/* The most an answer may hold: max and what out can still take. */
size_t	obj_cap(const struct buf *out, size_t max);
/* Name the key in an ERR_TOO_LARGE from httpc. */
void	obj_too_large(struct err *, const char *key, size_t cap);
int	obj_short(const char *key, struct err *);
/*
 * Append the answer's bytes off..off+len (len -1: to the end) to out:
 * the whole body when the store honoured the range, a slice when it
 * answered 200 with everything.  Short answers are errors.
 */
int	obj_take(const struct httpc_resp *, int64_t off, int64_t len,
	    const char *key, struct buf *out, struct err *);

/* A listing being built, in the arena; done sorts it by key. */
struct obj_list {
	struct arena		*a;
	struct storage_entry	*v;
	size_t			 n, cap;
};

void	obj_list_init(struct obj_list *, struct arena *);
/*
 * One ListObjectsV2 answer (encoding-type=url): its objects under
 * prefix, relative to it, into out (keys that are not valid storage
 * keys are left out); *token the next page's continuation, or NULL.
 */
void	obj_s3_page(struct arena *, const char *body, size_t len,
	    const char *prefix, struct obj_list *, const char **token);
void	obj_list_add(struct obj_list *, const struct storage_entry *);
void	obj_list_done(struct obj_list *, struct storage_list *);

/*
 * A backend's listing: page() appends one answer's entries and sets
 * *token to the next page's (NULL: the last); it is given start_after,
 * which it may pass to the store.  obj_list_all() pages through (at
 * most OBJ_LIST_PAGES), sorts, and keeps only keys after start_after.
 */
#define OBJ_LIST_PAGES	10000
typedef int obj_page_fn(void *be, struct arena *, const char *prefix,
	    const char *start_after, const char **token, struct obj_list *,
	    struct err *);
int	obj_list_all(obj_page_fn *, void *be, struct arena *,
	    const char *prefix, const char *start_after,
	    struct storage_list *, struct err *);

/*
 * Azure: "abfss://container@account.dfs.SUFFIX/path" (or abfs://),
 * "wasbs://container@account.blob.SUFFIX/path" (or wasb://) and
 * "https://account.blob.SUFFIX/container/path" (or .dfs.), SUFFIX one of
 * Azure's public, China and US Government clouds.  The canonical form
 * is the abfss one, with the prefix ("" or ending in "/").
 */
struct obj_az {
	const char	*account;	/* [a-z0-9]{3,24} */
	const char	*container;	/* [a-z0-9-]{3,63}, no "--" */
	const char	*prefix;	/* "" or "dir/sub/" */
	const char	*suffix;	/* "core.windows.net" */
};

bool	obj_az_scheme(const char *location);
int	obj_az_split(struct arena *, const char *location, struct obj_az *,
	    struct err *);
const char *obj_az_canonical(struct arena *, const struct obj_az *);
/*
 * A blob endpoint: as obj_endpoint_parse(), and a path-style emulator's
 * "http://127.0.0.1:10000/account" with *path "/account" ("" without).
 */
int	obj_az_endpoint(struct arena *, const char *url, struct obj_endpoint *,
	    const char **path, struct err *);
/*
 * One List Blobs answer (delimiter "/"): its blobs under prefix,
 * relative to it, into out; *marker the next page's, or NULL.
 */
void	obj_az_page(struct arena *, const char *body, size_t len,
	    const char *prefix, struct obj_list *, const char **marker);

/*
 * GCS JSON API: one objects.list answer (delimiter "/") into out, *token
 * the next page's or NULL; one object resource (objects.get metadata)
 * as an entry, false when it is not one under prefix.
 */
void	obj_gcs_page(struct arena *, const char *body, size_t len,
	    const char *prefix, struct obj_list *, const char **token);
bool	obj_gcs_object(struct arena *, const char *body, size_t len,
	    const char *prefix, struct storage_entry *);

/*
 * How a backend makes and judges its object requests, for the reads
 * every backend does the same way.  request fills h (method and max are
 * set) with the URL and headers that fetch key, with a Range value or
 * NULL for all; fail turns an answer that is not a success into an err
 * and returns -1.
 */
struct obj_backend {
	int	(*request)(void *be, struct arena *, const char *key,
		    const char *range, struct httpc_req *, struct err *);
	int	(*fail)(void *be, const struct httpc_resp *, const char *key,
		    struct err *);
};

/* storage_read, storage_stat (HEAD) and storage_read_many for a backend. */
int	obj_read(const struct obj_backend *, void *be, const char *key,
	    int64_t off, int64_t len, size_t max, struct buf *, struct err *);
int	obj_stat(const struct obj_backend *, void *be, const char *key,
	    struct storage_entry *, struct arena *, struct err *);
int	obj_read_many(const struct obj_backend *, void *be,
	    struct storage_req *, size_t n, size_t max_each);

#endif
