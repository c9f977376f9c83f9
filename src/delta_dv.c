/*
 * delta_dv.c: deletion vector descriptors (see delta_dv.h).
 *
 * Z85 decoding, the file key of 'u' and 'p' descriptors, the uniqueId
 * replay keys on, and a reader for the bitmaps themselves (the
 * RoaringBitmapArray format of the protocol's appendix) that counts
 * their rows.  Every length and count read from a bitmap is checked
 * against the bytes that are left before it is used.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <zlib.h>

#include "arena.h"
#include "buf.h"
#include "delta_action.h"
#include "delta_dv.h"
#include "delta_path.h"
#include "err.h"
#include "jsonw.h"
#include "storage.h"
#include "strutil.h"

#define SHORT		72	/* bytes of a value quoted in a message */
#define COOKIE_RUN	12347	/* Roaring: has run containers */
#define COOKIE_NORUN	12346	/* Roaring: no run containers */
#define MAX_CONTAINERS	65536
#define ARRAY_MAX	4096	/* larger containers are bitmaps */

static const char z85_alphabet[] = "0123456789abcdefghijklmnopqrstuvwxyz"
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

/* Value of a Z85 character, or -1. */
static int
z85_value(unsigned char c)
{
	const char	*p;

	if (c == '\0' || (p = strchr(z85_alphabet, c)) == NULL)
		return -1;
	return (int)(p - z85_alphabet);
}

/* Decode one group of five characters into *v; -1 if it is not Z85. */
static int
z85_group(const char *s, uint32_t *v)
{
	uint64_t	 acc = 0;
	int		 d, k;

	for (k = 0; k < 5; k++) {
		if ((d = z85_value((unsigned char)s[k])) < 0)
			return -1;
		acc = acc * 85 + (uint64_t)d;
	}
	if (acc > UINT32_MAX)
		return -1;
	*v = (uint32_t)acc;
	return 0;
}

/*
 * A last group in the padded form: k '#' (1 to 3: no plain group starts
 * with '#', 84 * 85^4 > 2^32), then the 4 - k bytes of the tail as one
 * big-endian number in the 5 - k characters left.  Returns 4 - k, or -1.
 */
static int
z85_tail(const char *s, uint32_t *v)
{
	uint64_t	 acc = 0;
	int		 k, d, j;

	for (k = 0; k < 5 && s[k] == '#'; k++)
		;
	if (k == 0 || k > 3)
		return -1;
	for (j = k; j < 5; j++) {
		if ((d = z85_value((unsigned char)s[j])) < 0)
			return -1;
		acc = acc * 85 + (uint64_t)d;
	}
	if (acc >> (8 * (4 - k)) != 0)
		return -1;
	*v = (uint32_t)acc;
	return 4 - k;
}

long
delta_dv_z85_decode(const char *s, size_t len, unsigned char *out)
{
	uint32_t	 v;
	size_t		 i, o = 0;
	int		 n, k;

	if (len % 5 != 0)
		return -1;
	for (i = 0; i < len; i += 5) {
		n = 4;
		if (i + 5 == len && s[i] == '#') {
			if ((n = z85_tail(s + i, &v)) == -1)
				return -1;
		} else if (z85_group(s + i, &v) == -1)
			return -1;
		for (k = n - 1; k >= 0; k--)
			out[o++] = (unsigned char)(v >> (8 * k));
	}
	return (long)o;
}

long
delta_dv_z85_encode(const unsigned char *in, size_t n, char *out)
{
	uint32_t	 v;
	size_t		 i, o = 0, m;
	int		 k;

	for (i = 0; i < n; i += 4) {
		m = n - i < 4 ? n - i : 4;
		for (v = 0, k = 0; k < (int)m; k++)
			v = v << 8 | in[i + (size_t)k];
		for (k = 4; k >= 0; k--) {
			out[o + (size_t)k] = z85_alphabet[v % 85];
			v /= 85;
		}
		/* A short tail: its missing bytes become leading '#'. */
		for (k = 0; k < 4 - (int)m; k++)
			out[o + (size_t)k] = '#';
		o += 5;
	}
	out[o] = '\0';
	return (long)o;
}

/* How many bytes the n characters at s decode to, or -1. */
static long
z85_length(const char *s, size_t n)
{
	uint32_t	 v;
	size_t		 i;
	int		 tail;

	if (n % 5 != 0)
		return -1;
	for (i = 0; i < n; i += 5) {
		if (i + 5 == n && s[i] == '#') {
			if ((tail = z85_tail(s + i, &v)) == -1)
				return -1;
			return (long)(n / 5 * 4) - 4 + tail;
		}
		if (z85_group(s + i, &v) == -1)
			return -1;
	}
	return (long)(n / 5 * 4);
}

static int
dv_fail(struct err *e, const struct delta_dv *dv, const char *why)
{
	char	 q[SHORT];

	return err_set(e, ERR_UPSTREAM, "deletion vector '%c%s' %s",
	    dv->storage_type >= 0x20 && dv->storage_type < 0x7f ?
	    dv->storage_type : '?', dv->path_or_inline == NULL ? "" :
	    str_shorten(dv->path_or_inline, q, sizeof(q)), why);
}

/* Does s start with "scheme:" (RFC 2396)? */
static bool
has_scheme(const char *s)
{
	size_t	 i;

	if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
		return false;
	for (i = 1; (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' &&
	    s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '+' ||
	    s[i] == '-' || s[i] == '.'; i++)
		;
	return s[i] == ':';
}

static int
validate_u(const struct delta_dv *dv, size_t n, struct err *e)
{
	size_t	 i;

	if (n < DELTA_DV_UUID_Z85_LEN)
		return dv_fail(e, dv, "is shorter than a Z85 UUID");
	for (i = 0; i < n; i++)
		if (z85_value((unsigned char)dv->path_or_inline[i]) < 0)
			return dv_fail(e, dv, "holds a character outside Z85");
	if (z85_length(dv->path_or_inline + n - DELTA_DV_UUID_Z85_LEN,
	    DELTA_DV_UUID_Z85_LEN) != 16)
		return dv_fail(e, dv, "does not end with a Z85 UUID");
	return 0;
}

int
delta_dv_validate(const struct delta_dv *dv, struct err *e)
{
	size_t	 n;
	long	 len;

	if (dv->storage_type != 'u' && dv->storage_type != 'i' &&
	    dv->storage_type != 'p')
		return dv_fail(e, dv, "has a storage type other than u, i "
		    "or p");
	if (dv->path_or_inline == NULL)
		return dv_fail(e, dv, "has no pathOrInlineDv");
	if (dv->size < 0 || dv->cardinality < 0 || dv->offset < -1 ||
	    dv->max_row_index < -1)
		return dv_fail(e, dv, "has a negative size, offset or "
		    "cardinality");
	n = strlen(dv->path_or_inline);
	switch (dv->storage_type) {
	case 'u':
		return validate_u(dv, n, e);
	case 'i':
		if (dv->offset != -1)
			return dv_fail(e, dv, "is inline but has an offset");
		if ((len = z85_length(dv->path_or_inline, n)) < 0)
			return dv_fail(e, dv, "is not valid Z85");
		if (len < dv->size)
			return dv_fail(e, dv, "is shorter than its sizeInBytes");
		return 0;
	default:
		if (!has_scheme(dv->path_or_inline))
			return dv_fail(e, dv, "is not an absolute URI");
		return 0;
	}
}

int
delta_dv_uuid(const struct delta_dv *dv, char out[37])
{
	unsigned char	 b[16];
	size_t		 n;

	if (dv->storage_type != 'u' || dv->path_or_inline == NULL ||
	    (n = strlen(dv->path_or_inline)) < DELTA_DV_UUID_Z85_LEN ||
	    delta_dv_z85_decode(dv->path_or_inline + n -
	    DELTA_DV_UUID_Z85_LEN, DELTA_DV_UUID_Z85_LEN, b) != 16)
		return -1;
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3], b[4], b[5],
	    b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
	return 0;
}

int
delta_dv_check(const char *root_uri, const struct delta_dv *dv,
    struct arena *a, const char **key, struct err *e)
{
	char		 uuid[37];
	const char	*k;
	size_t		 plen;

	if (delta_dv_validate(dv, e) == -1)
		return -1;
	switch (dv->storage_type) {
	case 'i':
		*key = NULL;
		return 0;
	case 'p':
		return delta_path_key(root_uri, dv->path_or_inline, a, key, e);
	default:
		break;
	}
	if (delta_dv_uuid(dv, uuid) == -1)
		return dv_fail(e, dv, "does not end with a Z85 UUID");
	/* The random prefix is a folder name, taken as written. */
	plen = strlen(dv->path_or_inline) - DELTA_DV_UUID_Z85_LEN;
	if (plen == 0)
		k = arena_printf(a, "deletion_vector_%s.bin", uuid);
	else
		k = arena_printf(a, "%.*s/deletion_vector_%s.bin", (int)plen,
		    dv->path_or_inline, uuid);
	if (!storage_key_valid(k))
		return dv_fail(e, dv, "has a prefix that is not a folder name");
	*key = k;
	return 0;
}

const char *
delta_dv_unique_id(const struct delta_dv *dv, struct arena *a)
{
	const char	*p = dv->path_or_inline != NULL ?
			    dv->path_or_inline : "";

	if (dv->offset >= 0)
		return arena_printf(a, "%c%s@%d", dv->storage_type, p,
		    (int)dv->offset);
	return arena_printf(a, "%c%s", dv->storage_type, p);
}

int
delta_dv_inline_data(const struct delta_dv *dv, struct arena *a,
    const unsigned char **data, size_t *len, struct err *e)
{
	unsigned char	*out;
	size_t		 n;

	if (dv->storage_type != 'i')
		return dv_fail(e, dv, "is not inline");
	if (delta_dv_validate(dv, e) == -1)
		return -1;
	n = strlen(dv->path_or_inline);
	out = arena_alloc(a, n / 5 * 4 + 1);
	if (delta_dv_z85_decode(dv->path_or_inline, n, out) < 0)
		return dv_fail(e, dv, "is not valid Z85");
	*data = out;
	*len = (size_t)dv->size;
	return 0;
}

/* A little-endian reader over a bitmap that never reads past its end. */
struct rd {
	const unsigned char	*p;
	size_t			 n;
	size_t			 i;
};

static bool
rd_has(const struct rd *r, uint64_t want)
{
	return want <= r->n - r->i;
}

static bool
rd_u16(struct rd *r, uint32_t *v)
{
	if (!rd_has(r, 2))
		return false;
	*v = (uint32_t)r->p[r->i] | (uint32_t)r->p[r->i + 1] << 8;
	r->i += 2;
	return true;
}

static bool
rd_u32(struct rd *r, uint32_t *v)
{
	if (!rd_has(r, 4))
		return false;
	*v = (uint32_t)r->p[r->i] | (uint32_t)r->p[r->i + 1] << 8 |
	    (uint32_t)r->p[r->i + 2] << 16 | (uint32_t)r->p[r->i + 3] << 24;
	r->i += 4;
	return true;
}

static int
bm_fail(struct err *e, const char *why)
{
	return err_set(e, ERR_UPSTREAM, "deletion vector bitmap %s", why);
}

/* A run container: its runs must add up to the header's cardinality. */
static int
run_container(struct rd *r, uint32_t card, struct err *e)
{
	uint32_t	 nruns, start = 0, len = 0, k;
	uint64_t	 sum = 0;

	if (!rd_u16(r, &nruns) || !rd_has(r, (uint64_t)nruns * 4))
		return bm_fail(e, "is truncated in a run container");
	for (k = 0; k < nruns; k++) {
		(void)rd_u16(r, &start);
		(void)rd_u16(r, &len);
		if (start + len > 0xffff)
			return bm_fail(e, "has a run past its container");
		sum += (uint64_t)len + 1;
	}
	if (sum != card)
		return bm_fail(e, "has a run container of the wrong size");
	return 0;
}

/* A bitmap container: 8 KiB whose set bits must number card. */
static int
bitmap_container(struct rd *r, uint32_t card, struct err *e)
{
	uint64_t	 bits = 0;
	size_t		 k;

	if (!rd_has(r, 8192))
		return bm_fail(e, "is truncated in a bitmap container");
	for (k = 0; k < 8192; k++)
		bits += (uint64_t)__builtin_popcount(r->p[r->i + k]);
	r->i += 8192;
	if (bits != card)
		return bm_fail(e, "has a bitmap container of the wrong size");
	return 0;
}

/* One 32-bit Roaring bitmap (portable format); adds its size to *card. */
static int
roaring32(struct rd *r, int64_t *card, struct err *e)
{
	uint32_t	 cookie, nc, key, c, prev = 0, k;
	size_t		 hdr, runs = 0;
	bool		 hasrun;

	if (!rd_u32(r, &cookie))
		return bm_fail(e, "is truncated");
	hasrun = (cookie & 0xffff) == COOKIE_RUN;
	if (hasrun) {
		nc = (cookie >> 16) + 1;
		runs = r->i;
		if (!rd_has(r, (nc + 7) / 8))
			return bm_fail(e, "is truncated");
		r->i += (nc + 7) / 8;
	} else if (cookie != COOKIE_NORUN || !rd_u32(r, &nc) ||
	    nc > MAX_CONTAINERS)
		return bm_fail(e, "has a bad Roaring header");
	hdr = r->i;
	if (!rd_has(r, (uint64_t)nc * 4))
		return bm_fail(e, "is truncated");
	r->i += (size_t)nc * 4;
	if (!hasrun || nc >= 4) {
		/* Offsets of the containers: implied by their sizes. */
		if (!rd_has(r, (uint64_t)nc * 4))
			return bm_fail(e, "is truncated");
		r->i += (size_t)nc * 4;
	}
	for (k = 0; k < nc; k++) {
		key = (uint32_t)r->p[hdr + 4 * k] |
		    (uint32_t)r->p[hdr + 4 * k + 1] << 8;
		c = ((uint32_t)r->p[hdr + 4 * k + 2] |
		    (uint32_t)r->p[hdr + 4 * k + 3] << 8) + 1;
		if (k > 0 && key <= prev)
			return bm_fail(e, "has containers out of order");
		prev = key;
		if (hasrun && (r->p[runs + k / 8] >> (k % 8) & 1)) {
			if (run_container(r, c, e) == -1)
				return -1;
		} else if (c > ARRAY_MAX) {
			if (bitmap_container(r, c, e) == -1)
				return -1;
		} else if (!rd_has(r, (uint64_t)c * 2))
			return bm_fail(e, "is truncated in an array container");
		else
			r->i += (size_t)c * 2;
		*card += c;
	}
	return 0;
}

/*
 * Spark's "native" format: a count, then each 32-bit bitmap after its
 * size, its index being its key.
 */
static int
native(struct rd *r, int64_t *card, struct err *e)
{
	struct rd	 sub;
	uint32_t	 nb, size, b;

	if (!rd_u32(r, &nb) || nb > INT32_MAX || nb > (r->n - r->i) / 8)
		return bm_fail(e, "claims more buckets than it holds");
	for (b = 0; b < nb; b++) {
		if (!rd_u32(r, &size) || !rd_has(r, size))
			return bm_fail(e, "is truncated");
		sub.p = r->p + r->i;
		sub.n = size;
		sub.i = 0;
		if (roaring32(&sub, card, e) == -1)
			return -1;
		if (sub.i != size)
			return bm_fail(e, "has a bucket of the wrong size");
		r->i += size;
	}
	return 0;
}

int
delta_dv_bitmap_cardinality(const unsigned char *p, size_t len,
    int64_t *cardinality, struct err *e)
{
	struct rd	 r = { p, len, 0 };
	uint32_t	 magic, lo, hi, key, prev = 0;
	uint64_t	 nb, b;
	int64_t		 card = 0;

	if (!rd_u32(&r, &magic) || (magic != DELTA_DV_MAGIC &&
	    magic != DELTA_DV_MAGIC_NATIVE))
		return bm_fail(e, "does not start with the magic number");
	if (magic == DELTA_DV_MAGIC_NATIVE) {
		if (native(&r, &card, e) == -1)
			return -1;
		goto end;
	}
	if (!rd_u32(&r, &lo) || !rd_u32(&r, &hi))
		return bm_fail(e, "is truncated");
	nb = (uint64_t)hi << 32 | lo;
	/* Each bucket takes at least a key and a cookie. */
	if (nb > (len - r.i) / 8)
		return bm_fail(e, "claims more buckets than it holds");
	for (b = 0; b < nb; b++) {
		if (!rd_u32(&r, &key))
			return bm_fail(e, "is truncated");
		if (key > INT32_MAX || (b > 0 && key <= prev))
			return bm_fail(e, "has a bad bucket key");
		prev = key;
		if (roaring32(&r, &card, e) == -1)
			return -1;
	}
end:
	if (r.i != len)
		return bm_fail(e, "has bytes after its end");
	*cardinality = card;
	return 0;
}

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

int
delta_dv_load(struct storage *st, const struct delta_dv *dv,
    struct arena *a, int64_t *cardinality, struct err *e)
{
	const unsigned char	*data;
	const char		*key;
	struct buf		 b;
	size_t			 n;
	int64_t			 off;
	int			 rc = -1;

	buf_init(&b, 0);
	if (dv->storage_type == 'i') {
		if (delta_dv_inline_data(dv, a, &data, &n, e) == -1)
			goto out;
		rc = delta_dv_bitmap_cardinality(data, n, cardinality, e);
		goto out;
	}
	if (delta_dv_check(storage_root(st), dv, a, &key, e) == -1)
		goto out;
	/* The file holds the size, the bitmap, then its CRC-32. */
	off = dv->offset < 0 ? 0 : dv->offset;
	n = (size_t)dv->size;
	if (storage_read(st, key, off, (int64_t)n + 8, n + 8, &b, e) == -1)
		goto out;
	data = (const unsigned char *)b.data;
	if (be32(data) != n) {
		dv_fail(e, dv, "has a size that its file does not");
		goto out;
	}
	if (be32(data + 4 + n) !=
	    (uint32_t)crc32(crc32(0, NULL, 0), data + 4, (uInt)n)) {
		dv_fail(e, dv, "fails its CRC-32 check");
		goto out;
	}
	rc = delta_dv_bitmap_cardinality(data + 4, n, cardinality, e);
out:
	buf_release(&b);
	return rc;
}

void
delta_dv_json(struct jsonw *w, const struct delta_dv *dv, char storage_type,
    const char *path_or_inline)
{
	char	 st[2] = { storage_type, '\0' };

	jsonw_obj_open(w);
	jsonw_key(w, "storageType");
	jsonw_str(w, st);
	jsonw_key(w, "pathOrInlineDv");
	jsonw_str(w, path_or_inline);
	if (dv->offset >= 0) {
		jsonw_key(w, "offset");
		jsonw_int(w, dv->offset);
	}
	jsonw_key(w, "sizeInBytes");
	jsonw_int(w, dv->size);
	jsonw_key(w, "cardinality");
	jsonw_int(w, dv->cardinality);
	if (dv->max_row_index >= 0) {
		jsonw_key(w, "maxRowIndex");
		jsonw_int(w, dv->max_row_index);
	}
	jsonw_obj_close(w);
}
