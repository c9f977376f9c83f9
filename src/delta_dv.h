/*
 * delta_dv.h: deletion vector descriptors of the Delta protocol.
 *
 * An add or remove action may carry a deletionVector (struct delta_dv,
 * filled by delta_action.c) that says which rows of its data file are
 * deleted.  Its pathOrInlineDv is read per storageType:
 *
 *	'u'	<random prefix><20 chars of Z85: a UUID>; the DV lives in
 *		"<prefix>/deletion_vector_<uuid>.bin" under the table root
 *		(no "<prefix>/" when the prefix is empty)
 *	'p'	an absolute URI, which must lie under the table root
 *	'i'	the serialised bitmap itself, Z85-encoded (no file)
 *
 * Z85 is the ZeroMQ RFC 32 base-85 alphabet, as the protocol uses it.
 * Nothing here reads storage except delta_dv_load().  Errors are
 * ERR_UPSTREAM (the table's log is wrong) and name the value, shortened.
 */
#ifndef DS_DELTA_DV_H
#define DS_DELTA_DV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct delta_dv;
struct err;
struct jsonw;
struct storage;

/* Length of a Z85-encoded UUID ('u' descriptors end with one). */
#define DELTA_DV_UUID_Z85_LEN	20

/*
 * The magic numbers that start a serialised RoaringBitmapArray (all its
 * integers little-endian): the protocol's portable format, and Spark's
 * native one, which Spark also reads.
 */
#define DELTA_DV_MAGIC		1681511377
#define DELTA_DV_MAGIC_NATIVE	1681511376

/*
 * Decode len characters of Z85 (len a multiple of 5) into out, which
 * needs len / 5 * 4 bytes.  Returns the number of bytes, or -1 on a bad
 * length, a character outside the alphabet, or a group of five whose
 * value does not fit in 32 bits (no encoder writes one).
 *
 * The last group may be padded as the Rust z85 crate (3.x) writes it,
 * and so inline DVs written by Rust engines: 1 to 3 '#' for the bytes
 * missing from a short tail, then the tail as a big-endian number (no
 * plain group starts with '#', as 84 * 85^4 > 2^32).
 */
long	delta_dv_z85_decode(const char *s, size_t len, unsigned char *out);

/*
 * Encode n bytes as Z85 into out, which needs (n + 3) / 4 * 5 + 1 bytes;
 * a short tail is padded as delta_dv_z85_decode() reads it (plain Z85
 * when n is a multiple of 4).  NUL-terminated; returns the length.
 */
long	delta_dv_z85_encode(const unsigned char *in, size_t n, char *out);

/*
 * Check a descriptor on its own: storage type 'u', 'i' or 'p'; for 'u'
 * at least 20 characters, all Z85, the last 20 a UUID; for 'i' valid Z85
 * holding at least sizeInBytes bytes and no offset; sizes, offset and
 * cardinality not negative.  delta_action.c runs this on every
 * descriptor it parses.
 */
int	delta_dv_validate(const struct delta_dv *, struct err *);

/*
 * The UUID of a valid 'u' descriptor in canonical form
 * ("d2c639aa-8816-431a-aaf6-d3fe2512ff61") into out; -1 otherwise.
 */
int	delta_dv_uuid(const struct delta_dv *, char out[37]);

/*
 * Validate dv and give the storage key of its file under root_uri (the
 * table root, as storage_root() gives it): the derived path for 'u', the
 * path checked with delta_path_key() for 'p', NULL for 'i'.  The key is
 * in the arena.  A path outside the root is an error.
 */
int	delta_dv_check(const char *root_uri, const struct delta_dv *,
	    struct arena *, const char **key, struct err *);

/*
 * The protocol's uniqueId: storageType and pathOrInlineDv, then "@" and
 * the offset when there is one; in the arena.  Log replay keys logical
 * files on (path, uniqueId).
 */
const char *delta_dv_unique_id(const struct delta_dv *, struct arena *);

/*
 * The bitmap bytes of an inline ('i') descriptor: sizeInBytes bytes
 * decoded from its Z85, in the arena.
 */
int	delta_dv_inline_data(const struct delta_dv *, struct arena *,
	    const unsigned char **data, size_t *len, struct err *);

/*
 * Count the rows a serialised RoaringBitmapArray (magic number, then the
 * portable 64-bit Roaring format, or Spark's native one) deletes,
 * checking every length against len.  Errors when the bytes are not
 * such a bitmap.  (The protocol's "Example 3" writes its integers
 * big-endian: Spark cannot read it, and neither can this.)
 */
int	delta_dv_bitmap_cardinality(const unsigned char *, size_t len,
	    int64_t *cardinality, struct err *);

/*
 * Read a descriptor's bitmap (from its file under the storage's root, or
 * inline), check the file's size field and CRC-32, and count its rows
 * into *cardinality.  Reads at most sizeInBytes + 8 bytes.
 */
int	delta_dv_load(struct storage *, const struct delta_dv *,
	    struct arena *, int64_t *cardinality, struct err *);

/*
 * Write dv as the protocol's JSON descriptor, with storageType and
 * pathOrInlineDv as given (a response may point it elsewhere).
 */
void	delta_dv_json(struct jsonw *, const struct delta_dv *, char storage_type,
	    const char *path_or_inline);

#endif
