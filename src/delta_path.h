/*
 * delta_path.h: turning the paths of a Delta log into storage keys.
 *
 * The path of an add, remove or cdc action (and of a 'p' deletion
 * vector) is a URI (RFC 2396): either relative to the table root, or
 * absolute ("file:/t/x", "file:///t/x", "/t/x", "s3://b/t/x").  It is
 * percent-decoded exactly once ("+" stays "+").  An absolute one is
 * accepted only when its scheme, authority and decoded path lie under
 * the table root on a segment boundary.  The result is a key relative
 * to the root for struct storage.
 *
 * A log is untrusted input: a path that would leave the root ("..",
 * "%2e%2e/", "%2F.." once decoded, another bucket or scheme, a file://
 * path elsewhere on the disk) is an error, never a key.  Keys have no
 * empty, "." or ".." segment, no control character and are valid
 * UTF-8.  Errors are ERR_UPSTREAM (the table's log is wrong) and name
 * the path, shortened, never the root.
 */
#ifndef DS_DELTA_PATH_H
#define DS_DELTA_PATH_H

#include <stddef.h>

struct arena;
struct delta_file;
struct delta_root;
struct err;

/*
 * The storage key of path under root_uri (a table location as
 * storage_root() gives it: "file:///abs", "/abs", or "scheme://auth/p"),
 * in the arena.
 */
int	delta_path_key(const char *root_uri, const char *path,
	    struct arena *, const char **key, struct err *);

/*
 * The reconciliation key of a file action: its storage key, then, when
 * it has a deletion vector, a tab and the DV's uniqueId.  A relative
 * path and an absolute one naming the same file under the root give the
 * same key; no two distinct (file, DV) pairs give the same key (keys
 * hold no control character).  A path outside the root is an error.
 */
int	delta_path_file_key(const char *root_uri, const struct delta_file *,
	    struct arena *, const char **key, struct err *);

/*
 * Like delta_path_file_key(), but a well-formed absolute URI outside the
 * root is not an error: it returns 1 and a key made of the canonical
 * URI ("file:///some/path"; it contains "//", which keys never do).
 * For replay only (a remove may name an outside file the same add named
 * in another spelling); a file with such a key can never be read or
 * signed.  Returns 0 when inside, -1 on a malformed or hostile path.
 */
int	delta_path_file_id(const char *root_uri, const struct delta_file *,
	    struct arena *, const char **key, struct err *);

/*
 * The same for many files of one table (a replay): the root parsed
 * once into the arena (an invalid root is ERR_INTERNAL, as above), then
 * delta_path_file_id() against it.
 */
int	delta_path_root(const char *root_uri, struct arena *,
	    const struct delta_root **, struct err *);
int	delta_path_root_file_id(const struct delta_root *,
	    const struct delta_file *, struct arena *, const char **key,
	    struct err *);

#endif
