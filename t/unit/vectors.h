/*
 * vectors.h: what the signing unit tests (u-sigv4, u-azsign, u-gcsign)
 * share to read the published vectors of ../shared/signing-vectors.
 */
#ifndef DS_T_VECTORS_H
#define DS_T_VECTORS_H

#include <stdbool.h>

struct arena;
struct json_object;

/*
 * The vectors folder: $DS_SHARED_DIR/signing-vectors, else
 * $DS_SRC_DIR/../shared/signing-vectors (DS_SRC_DIR default ".").
 */
const char *vectors_dir(void);

/* A whole file, NUL-terminated, in the arena; NULL when unreadable. */
char	*vectors_slurp(struct arena *, const char *path);

/* A string member; NULL when absent or null. */
const char *vectors_str(struct json_object *, const char *key);

/*
 * Same URL up to the order of its query parameters (signers order the
 * URL differently; the signature covers the sorted form).
 */
bool	 vectors_same_url(const char *, const char *);

#endif
