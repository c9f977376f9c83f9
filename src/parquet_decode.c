/*
 * parquet_decode.c: Parquet encodings, one value at a time (see
 * parquet_decode.h and the format's Encodings.md).
 *
 * All arithmetic on hostile counts is done in 64 bits after checking
 * the operands' ranges, and every multi-byte read is preceded by a check
 * against the end of the range.  DELTA_BINARY_PACKED sums wrap around as
 * two's complement, as the format wants; INT32 columns keep the low 32
 * bits.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "bytes.h"
#include "err.h"
#include "parquet_decode.h"
#include "parquet_meta.h"
#include "parquet_value.h"
#include "xmalloc.h"

#define MAX_BLOCK	(1 << 24)	/* DELTA_BINARY_PACKED block size */

/* bytes_get_le32(), inlined: it is on the path of every string. */
static inline uint32_t
le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

/* A ULEB128 varint of at most 10 bytes at *p (< end). */
static int
uleb(const unsigned char **p, const unsigned char *end, uint64_t *v)
{
	uint64_t	 x = 0;
	int		 shift;

	for (shift = 0; shift < 70 && *p < end; shift += 7) {
		if (shift == 63 && **p > 1)
			return -1;
		x |= (uint64_t)(**p & 0x7f) << shift;
		if ((*(*p)++ & 0x80) == 0) {
			*v = x;
			return 0;
		}
	}
	return -1;
}

/*
 * bw bits (0..64) at bit offset bit of the n bytes at p, least
 * significant bit first.  The caller has checked the bytes are there.
 */
static uint64_t
bits_lsb(const unsigned char *p, uint64_t bit, int bw)
{
	const unsigned char	*q = p + bit / 8;
	unsigned int		 shift = (unsigned int)(bit % 8);
	uint64_t		 v = 0;
	int			 nb = (int)((shift + (unsigned int)bw + 7) / 8);
	int			 i;

	if (bw == 0)
		return 0;
	for (i = 0; i < nb && i < 8; i++)
		v |= (uint64_t)q[i] << (8 * i);
	v >>= shift;
	if (nb == 9)
		v |= (uint64_t)q[8] << (64 - shift);
	if (bw < 64)
		v &= ((uint64_t)1 << bw) - 1;
	return v;
}

/* Bytes holding the first n values of bw bits. */
static uint64_t
bytes_for(uint64_t n, int bw)
{
	return n / 8 * (uint64_t)bw + (n % 8 * (uint64_t)bw + 7) / 8;
}

/* --- RLE/bit-packed hybrid ------------------------------------------------ */

int
parquet_decode_rle_init(struct parquet_decode_rle *r, const void *p,
    size_t len, int bw, struct err *err)
{
	memset(r, 0, sizeof(*r));
	if (bw < 0 || bw > 32)
		return err_set(err, ERR_INTERNAL, "rle: bit width %d", bw);
	r->p = p;
	r->end = r->p + len;
	r->bw = bw;
	return 0;
}

int
parquet_decode_bitpacked_init(struct parquet_decode_rle *r, const void *p,
    size_t len, int bw, uint64_t n, struct err *err)
{
	if (parquet_decode_rle_init(r, p, len, bw, err) == -1)
		return -1;
	r->msb = true;
	r->run = p;
	r->run_bytes = len;
	r->run_n = n;
	return 0;
}

/* The next run header. */
static int
rle_run(struct parquet_decode_rle *r, struct err *err)
{
	uint64_t	 h, count, avail;
	size_t		 vb = (size_t)(r->bw + 7) / 8, i;
	uint32_t	 v = 0;

	if (r->p >= r->end)
		return err_set(err, ERR_INTERNAL, "rle: values missing");
	if (uleb(&r->p, r->end, &h) == -1)
		return err_set(err, ERR_INTERNAL, "rle: bad run header");
	count = h >> 1;
	if (count == 0)
		return err_set(err, ERR_INTERNAL, "rle: empty run");
	if ((h & 1) == 0) {
		if ((size_t)(r->end - r->p) < vb)
			return err_set(err, ERR_INTERNAL,
			    "rle: truncated run value");
		for (i = 0; i < vb; i++)
			v |= (uint32_t)r->p[i] << (8 * i);
		r->p += vb;
		if (r->bw < 32 && v >> r->bw != 0)
			return err_set(err, ERR_INTERNAL,
			    "rle: value %u wider than %d bits", v, r->bw);
		r->rle_left = count;
		r->rle_value = v;
		return 0;
	}
	if (count > UINT64_MAX / 8 / 64)
		return err_set(err, ERR_INTERNAL, "rle: run too long");
	/* The padding of the last run may be cut short: keep what is there. */
	avail = (uint64_t)(r->end - r->p);
	r->run = r->p;
	r->run_bytes = count * (uint64_t)r->bw < avail ?
	    (size_t)(count * (uint64_t)r->bw) : (size_t)avail;
	r->run_i = 0;
	r->run_n = count * 8;
	r->p += r->run_bytes;
	return 0;
}

int
parquet_decode_rle_next(struct parquet_decode_rle *r, uint32_t *v,
    struct err *err)
{
	uint64_t	 bit;
	int		 j;

	if (r->rle_left == 0 && r->run_i == r->run_n) {
		if (r->msb)
			return err_set(err, ERR_INTERNAL, "bit-packed levels: "
			    "values missing");
		if (rle_run(r, err) == -1)
			return -1;
	}
	if (r->rle_left > 0) {
		r->rle_left--;
		*v = r->rle_value;
		return 0;
	}
	if (bytes_for(r->run_i + 1, r->bw) > r->run_bytes)
		return err_set(err, ERR_INTERNAL, "rle: truncated bit-packed "
		    "run");
	if (!r->msb)
		*v = (uint32_t)bits_lsb(r->run, r->run_i * (uint64_t)r->bw,
		    r->bw);
	else {
		*v = 0;
		bit = r->run_i * (uint64_t)r->bw;
		for (j = 0; j < r->bw; j++, bit++)
			*v = *v << 1 | ((r->run[bit / 8] >> (7 - bit % 8)) & 1);
	}
	r->run_i++;
	return 0;
}

/* --- DELTA_BINARY_PACKED -------------------------------------------------- */

static int64_t
unzigzag(uint64_t v)
{
	return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

/* The header: block size, miniblocks per block, count, first value. */
static int
delta_header(struct parquet_decode_delta *d, uint64_t max_values,
    struct err *err)
{
	uint64_t	 block, first;

	if (uleb(&d->p, d->end, &block) == -1 ||
	    uleb(&d->p, d->end, &d->nmini) == -1 ||
	    uleb(&d->p, d->end, &d->left) == -1 ||
	    uleb(&d->p, d->end, &first) == -1)
		return err_set(err, ERR_INTERNAL, "delta: bad header");
	if (block == 0 || block > MAX_BLOCK || block % 128 != 0 ||
	    d->nmini == 0 || block % d->nmini != 0 ||
	    (block / d->nmini) % 8 != 0)
		return err_set(err, ERR_INTERNAL, "delta: blocks of %ju values "
		    "in %ju miniblocks", (uintmax_t)block,
		    (uintmax_t)d->nmini);
	if (d->left > max_values)
		return err_set(err, ERR_INTERNAL, "delta: %ju values, at most "
		    "%ju expected", (uintmax_t)d->left, (uintmax_t)max_values);
	d->mini_size = block / d->nmini;
	d->last = (uint64_t)unzigzag(first);
	d->mini_i = d->nmini;		/* a block header comes next */
	return 0;
}

/* Bytes of miniblock i of the current block. */
static uint64_t
mini_bytes(const struct parquet_decode_delta *d, uint64_t i)
{
	return d->mini_size * d->widths[i] / 8;
}

static int
delta_block(struct parquet_decode_delta *d, struct err *err)
{
	uint64_t	 md, i;

	if (uleb(&d->p, d->end, &md) == -1)
		return err_set(err, ERR_INTERNAL, "delta: bad block header");
	d->min_delta = (uint64_t)unzigzag(md);
	if ((uint64_t)(d->end - d->p) < d->nmini)
		return err_set(err, ERR_INTERNAL, "delta: truncated block");
	d->widths = d->p;
	d->p += d->nmini;
	for (i = 0; i < d->nmini; i++)
		if (d->widths[i] > 64)
			return err_set(err, ERR_INTERNAL,
			    "delta: bit width %u", d->widths[i]);
	d->mini_i = 0;
	return 0;
}

/*
 * Walk the rest of the stream to its end without decoding: the last
 * block holds only the miniblocks its values need.
 */
static int
delta_walk(struct parquet_decode_delta *d, size_t *used,
    const unsigned char *start, struct err *err)
{
	uint64_t	 r = d->left > 0 ? d->left - 1 : 0, n, i;

	while (r > 0) {
		if (delta_block(d, err) == -1)
			return -1;
		for (i = 0; i < d->nmini && r > 0; i++) {
			n = mini_bytes(d, i);
			if ((uint64_t)(d->end - d->p) < n)
				return err_set(err, ERR_INTERNAL,
				    "delta: truncated miniblock");
			d->p += n;
			r -= r < d->mini_size ? r : d->mini_size;
		}
	}
	*used = (size_t)(d->p - start);
	return 0;
}

int
parquet_decode_delta_init(struct parquet_decode_delta *d, const void *p,
    size_t len, uint64_t max_values, size_t *used, struct err *err)
{
	struct parquet_decode_delta	 w;

	memset(d, 0, sizeof(*d));
	d->p = p;
	d->end = d->p + len;
	if (delta_header(d, max_values, err) == -1)
		return -1;
	if (used == NULL)
		return 0;
	w = *d;
	return delta_walk(&w, used, p, err);
}

/* Make the current miniblock hold the next value. */
static int
delta_advance(struct parquet_decode_delta *d, struct err *err)
{
	uint64_t	 n;

	if (d->mini_i < d->nmini && d->mini_pos < d->mini_size)
		return 0;
	if (d->mini_i < d->nmini) {
		/* The miniblock is used up: step over its bytes. */
		n = mini_bytes(d, d->mini_i);
		if ((uint64_t)(d->end - d->mini) < n)
			return err_set(err, ERR_INTERNAL,
			    "delta: truncated miniblock");
		d->p = d->mini + n;
		d->mini_i++;
	}
	if (d->mini_i == d->nmini && delta_block(d, err) == -1)
		return -1;
	d->mini = d->p;
	d->bw = d->widths[d->mini_i];
	d->mini_pos = 0;
	return 0;
}

int
parquet_decode_delta_next(struct parquet_decode_delta *d, int64_t *v,
    struct err *err)
{
	uint64_t	 bit;

	if (d->left == 0)
		return err_set(err, ERR_INTERNAL, "delta: values missing");
	if (!d->started) {
		d->started = true;
		d->left--;
		*v = (int64_t)d->last;
		return 0;
	}
	if (delta_advance(d, err) == -1)
		return -1;
	bit = d->mini_pos * (uint64_t)d->bw;
	if (bytes_for(d->mini_pos + 1, d->bw) > (uint64_t)(d->end - d->mini))
		return err_set(err, ERR_INTERNAL, "delta: truncated miniblock");
	d->last += d->min_delta + bits_lsb(d->mini, bit, d->bw);
	d->mini_pos++;
	d->left--;
	*v = (int64_t)d->last;
	return 0;
}

/* --- dictionaries --------------------------------------------------------- */

/* Bytes of one fixed-size value of type t, or 0 (BOOLEAN, BYTE_ARRAY). */
static size_t
fixed_width(enum parquet_meta_type t, int32_t width)
{
	switch (t) {
	case PARQUET_INT32:
	case PARQUET_FLOAT:
		return 4;
	case PARQUET_INT64:
	case PARQUET_DOUBLE:
		return 8;
	case PARQUET_INT96:
		return 12;
	case PARQUET_FIXED:
		return (size_t)width;
	default:
		return 0;
	}
}

int
parquet_decode_dict_init(struct parquet_decode_dict *dc,
    enum parquet_meta_type t, int32_t width, const void *p, size_t len,
    size_t n, struct err *err)
{
	const unsigned char	*s = p;
	size_t			 w = fixed_width(t, width), pos = 0, i;
	uint32_t		 l;

	memset(dc, 0, sizeof(*dc));
	dc->type = t;
	dc->width = width;
	dc->data = s;
	dc->len = len;
	if (t == PARQUET_BOOLEAN)
		return err_set(err, ERR_UNSUPPORTED,
		    "dictionary: BOOLEAN dictionaries are not supported");
	if (t != PARQUET_BYTE_ARRAY) {
		if (w == 0 || n > len / w)
			return err_set(err, ERR_INTERNAL, "dictionary: %zu "
			    "values of %zu bytes in %zu bytes", n, w, len);
		dc->n = n;
		return 0;
	}
	/* Each entry has a 4-byte length: n is bounded by the page. */
	if (n > len / 4 || len > UINT32_MAX)
		return err_set(err, ERR_INTERNAL, "dictionary: %zu strings in "
		    "%zu bytes", n, len);
	dc->off = xreallocarray(NULL, n > 0 ? n : 1, sizeof(*dc->off));
	for (i = 0; i < n; i++) {
		if (len - pos < 4)
			goto short_page;
		l = le32(s + pos);
		pos += 4;
		if (l > len - pos)
			goto short_page;
		dc->off[i] = (uint32_t)pos;
		pos += l;
	}
	dc->n = n;
	return 0;
short_page:
	parquet_decode_dict_release(dc);
	return err_set(err, ERR_INTERNAL, "dictionary: entry %zu of %zu "
	    "runs past the page", i, n);
}

void
parquet_decode_dict_release(struct parquet_decode_dict *dc)
{
	free(dc->off);
	dc->off = NULL;
	dc->n = 0;
}

/* --- data page values ----------------------------------------------------- */

/* A scalar of fixed-width type t from its PLAIN bytes. */
static void
fill_fixed(enum parquet_meta_type t, const unsigned char *p, size_t w,
    struct parquet_value *v)
{
	uint32_t	 u;
	uint64_t	 x;

	switch (t) {
	case PARQUET_INT32:
		v->kind = PARQUET_VALUE_INT32;
		v->u.i32 = (int32_t)le32(p);
		break;
	case PARQUET_FLOAT:
		v->kind = PARQUET_VALUE_FLOAT;
		u = le32(p);
		memcpy(&v->u.f, &u, sizeof(u));
		break;
	case PARQUET_INT64:
		v->kind = PARQUET_VALUE_INT64;
		v->u.i64 = (int64_t)bytes_get_le64(p);
		break;
	case PARQUET_DOUBLE:
		v->kind = PARQUET_VALUE_DOUBLE;
		x = bytes_get_le64(p);
		memcpy(&v->u.d, &x, sizeof(x));
		break;
	case PARQUET_INT96:
		v->kind = PARQUET_VALUE_INT96;
		v->u.i96.nanos = (int64_t)bytes_get_le64(p);
		v->u.i96.julian_day = (int32_t)le32(p + 8);
		break;
	default:
		v->kind = PARQUET_VALUE_BYTES;
		v->u.bytes.p = p;
		v->u.bytes.len = w;
		break;
	}
}

static int
next_plain(struct parquet_decode *d, struct parquet_value *v,
    struct err *err)
{
	size_t		 w, left = (size_t)(d->end - d->p);
	uint32_t	 l;

	if (d->type == PARQUET_BOOLEAN) {
		if (d->bit / 8 >= left)
			return err_set(err, ERR_INTERNAL,
			    "plain: values missing");
		v->kind = PARQUET_VALUE_BOOL;
		v->u.b = (d->p[d->bit / 8] >> (d->bit % 8)) & 1;
		d->bit++;
		return 0;
	}
	if (d->type == PARQUET_BYTE_ARRAY) {
		if (left < 4 || (l = le32(d->p)) > left - 4)
			return err_set(err, ERR_INTERNAL, "plain: truncated "
			    "byte array");
		v->kind = PARQUET_VALUE_BYTES;
		v->u.bytes.p = d->p + 4;
		v->u.bytes.len = l;
		d->p += 4 + (size_t)l;
		return 0;
	}
	w = fixed_width(d->type, d->width);
	if (left < w)
		return err_set(err, ERR_INTERNAL, "plain: values missing");
	fill_fixed(d->type, d->p, w, v);
	d->p += w;
	return 0;
}

static int
next_dict(struct parquet_decode *d, struct parquet_value *v,
    struct err *err)
{
	const struct parquet_decode_dict	*dc = d->dict;
	size_t					 w;
	uint32_t				 i;

	if (parquet_decode_rle_next(&d->rle, &i, err) == -1)
		return -1;
	if (i >= dc->n)
		return err_set(err, ERR_INTERNAL, "dictionary: index %u of %zu "
		    "entries", i, dc->n);
	if (dc->type == PARQUET_BYTE_ARRAY) {
		v->kind = PARQUET_VALUE_BYTES;
		v->u.bytes.p = dc->data + dc->off[i];
		v->u.bytes.len = le32(dc->data + dc->off[i] - 4);
		return 0;
	}
	w = fixed_width(dc->type, dc->width);
	fill_fixed(dc->type, dc->data + (size_t)i * w, w, v);
	return 0;
}

/* Room for n rebuilt bytes, within the budget. */
static unsigned char *
mat_alloc(struct parquet_decode *d, size_t n, struct err *err)
{
	if (d->mat == NULL || n > d->mat_left) {
		err_set(err, ERR_INTERNAL, "values rebuilt from the page take "
		    "more than the page size limit");
		return NULL;
	}
	d->mat_left -= n;
	return arena_alloc(d->mat, n);
}

/* DELTA_LENGTH_BYTE_ARRAY: a length, then that many bytes of data. */
static int
next_dlba(struct parquet_decode *d, struct parquet_decode_delta *lens,
    const unsigned char **p, size_t *n, struct err *err)
{
	int64_t	 l;

	if (parquet_decode_delta_next(lens, &l, err) == -1)
		return -1;
	if (l < 0 || (uint64_t)l > (uint64_t)(d->end - d->p))
		return err_set(err, ERR_INTERNAL, "delta length: length %jd "
		    "with %zu bytes left", (intmax_t)l,
		    (size_t)(d->end - d->p));
	*p = d->p;
	*n = (size_t)l;
	d->p += (size_t)l;
	return 0;
}

static int
next_delta_bytes(struct parquet_decode *d, struct parquet_value *v,
    struct err *err)
{
	const unsigned char	*suf;
	unsigned char		*out;
	size_t			 sl;
	int64_t			 pre;

	if (parquet_decode_delta_next(&d->delta, &pre, err) == -1 ||
	    next_dlba(d, &d->delta2, &suf, &sl, err) == -1)
		return -1;
	if (pre < 0 || (uint64_t)pre > d->prev_len)
		return err_set(err, ERR_INTERNAL, "delta byte array: prefix "
		    "of %jd bytes, previous value has %zu", (intmax_t)pre,
		    d->prev_len);
	if (pre == 0) {
		d->prev = suf;
		d->prev_len = sl;
	} else {
		if ((out = mat_alloc(d, (size_t)pre + sl, err)) == NULL)
			return -1;
		memcpy(out, d->prev, (size_t)pre);
		memcpy(out + pre, suf, sl);
		d->prev = out;
		d->prev_len = (size_t)pre + sl;
	}
	if (d->type == PARQUET_FIXED && d->prev_len != (size_t)d->width)
		return err_set(err, ERR_INTERNAL, "delta byte array: %zu "
		    "bytes in a column of %d", d->prev_len, (int)d->width);
	v->kind = PARQUET_VALUE_BYTES;
	v->u.bytes.p = d->prev;
	v->u.bytes.len = d->prev_len;
	return 0;
}

static int
next_split(struct parquet_decode *d, struct parquet_value *v,
    struct err *err)
{
	unsigned char	 tmp[8], *out = tmp;
	size_t		 w = fixed_width(d->type, d->width), k;

	if (d->split_i >= d->split_n)
		return err_set(err, ERR_INTERNAL, "byte stream split: values "
		    "missing");
	if (d->type == PARQUET_FIXED && (out = mat_alloc(d, w, err)) == NULL)
		return -1;
	for (k = 0; k < w; k++)
		out[k] = d->p[k * d->split_n + d->split_i];
	d->split_i++;
	fill_fixed(d->type, out, w, v);
	return 0;
}

int
parquet_decode_next(struct parquet_decode *d, struct parquet_value *v,
    struct err *err)
{
	const unsigned char	*p;
	size_t			 n;
	int64_t			 x;
	uint32_t		 b;

	switch (d->kind) {
	case PARQUET_DECODE_PLAIN:
		return next_plain(d, v, err);
	case PARQUET_DECODE_DICT:
		return next_dict(d, v, err);
	case PARQUET_DECODE_RLE_BOOL:
		if (parquet_decode_rle_next(&d->rle, &b, err) == -1)
			return -1;
		v->kind = PARQUET_VALUE_BOOL;
		v->u.b = b != 0;
		return 0;
	case PARQUET_DECODE_DELTA:
		if (parquet_decode_delta_next(&d->delta, &x, err) == -1)
			return -1;
		v->kind = d->type == PARQUET_INT32 ? PARQUET_VALUE_INT32 :
		    PARQUET_VALUE_INT64;
		if (d->type == PARQUET_INT32)
			v->u.i32 = (int32_t)(uint32_t)(uint64_t)x;
		else
			v->u.i64 = x;
		return 0;
	case PARQUET_DECODE_DELTA_LENGTH:
		if (next_dlba(d, &d->delta, &p, &n, err) == -1)
			return -1;
		v->kind = PARQUET_VALUE_BYTES;
		v->u.bytes.p = p;
		v->u.bytes.len = n;
		return 0;
	case PARQUET_DECODE_DELTA_BYTES:
		return next_delta_bytes(d, v, err);
	case PARQUET_DECODE_SPLIT:
		return next_split(d, v, err);
	}
	return err_set(err, ERR_INTERNAL, "decoder in a bad state");
}

static int
unsupported(int32_t enc, enum parquet_meta_type t, struct err *err)
{
	return err_set(err, ERR_UNSUPPORTED, "encoding %s (%d) for %s values "
	    "is not supported", parquet_meta_encoding_name(enc), (int)enc,
	    parquet_meta_type_name(t));
}

/* Dictionary indices: a bit width byte, then a hybrid stream. */
static int
init_dict(struct parquet_decode *d, const unsigned char *p, size_t len,
    struct err *err)
{
	if (d->dict == NULL)
		return err_set(err, ERR_INTERNAL, "dictionary-encoded page "
		    "without a dictionary page");
	d->kind = PARQUET_DECODE_DICT;
	if (len == 0)
		return parquet_decode_rle_init(&d->rle, p, 0, 0, err);
	return parquet_decode_rle_init(&d->rle, p + 1, len - 1, p[0], err);
}

/* RLE booleans: a 4-byte length, then a hybrid stream of 1-bit values. */
static int
init_rle_bool(struct parquet_decode *d, const unsigned char *p, size_t len,
    struct err *err)
{
	uint32_t	 l;

	if (len < 4 || (l = le32(p)) > len - 4)
		return err_set(err, ERR_INTERNAL, "rle booleans: bad length");
	d->kind = PARQUET_DECODE_RLE_BOOL;
	return parquet_decode_rle_init(&d->rle, p + 4, l, 1, err);
}

static int
init_delta_bytes(struct parquet_decode *d, int32_t enc, uint64_t max,
    struct err *err)
{
	struct parquet_decode_delta	*lens = &d->delta;
	size_t				 used;

	if (enc == PARQUET_ENC_DELTA_BYTE_ARRAY) {
		if (parquet_decode_delta_init(&d->delta, d->p,
		    (size_t)(d->end - d->p), max, &used, err) == -1)
			return -1;
		d->p += used;
		lens = &d->delta2;
	}
	if (parquet_decode_delta_init(lens, d->p, (size_t)(d->end - d->p),
	    max, &used, err) == -1)
		return -1;
	d->p += used;
	d->kind = enc == PARQUET_ENC_DELTA_BYTE_ARRAY ?
	    PARQUET_DECODE_DELTA_BYTES : PARQUET_DECODE_DELTA_LENGTH;
	return 0;
}

int
parquet_decode_init(struct parquet_decode *d, int32_t enc,
    enum parquet_meta_type t, int32_t width, const void *p, size_t len,
    uint64_t max_values, const struct parquet_decode_dict *dict,
    struct arena *mat, size_t mat_max, struct err *err)
{
	size_t	 w = fixed_width(t, width);

	memset(d, 0, sizeof(*d));
	d->type = t;
	d->width = width;
	d->p = p;
	d->end = d->p + len;
	d->dict = dict;
	d->mat = mat;
	d->mat_left = mat_max;
	switch (enc) {
	case PARQUET_ENC_PLAIN:
		d->kind = PARQUET_DECODE_PLAIN;
		return 0;
	case PARQUET_ENC_PLAIN_DICTIONARY:
	case PARQUET_ENC_RLE_DICTIONARY:
		if (t == PARQUET_BOOLEAN)
			break;
		return init_dict(d, p, len, err);
	case PARQUET_ENC_RLE:
		if (t != PARQUET_BOOLEAN)
			break;
		return init_rle_bool(d, p, len, err);
	case PARQUET_ENC_DELTA_BINARY_PACKED:
		if (t != PARQUET_INT32 && t != PARQUET_INT64)
			break;
		d->kind = PARQUET_DECODE_DELTA;
		return parquet_decode_delta_init(&d->delta, p, len,
		    max_values, NULL, err);
	case PARQUET_ENC_DELTA_LENGTH_BYTE_ARRAY:
	case PARQUET_ENC_DELTA_BYTE_ARRAY:
		if (t != PARQUET_BYTE_ARRAY && (t != PARQUET_FIXED ||
		    enc != PARQUET_ENC_DELTA_BYTE_ARRAY))
			break;
		return init_delta_bytes(d, enc, max_values, err);
	case PARQUET_ENC_BYTE_STREAM_SPLIT:
		if (t == PARQUET_BOOLEAN || t == PARQUET_BYTE_ARRAY ||
		    t == PARQUET_INT96)
			break;
		if (len % w != 0)
			return err_set(err, ERR_INTERNAL, "byte stream split: "
			    "%zu bytes for values of %zu", len, w);
		d->kind = PARQUET_DECODE_SPLIT;
		d->split_n = len / w;
		return 0;
	default:
		break;
	}
	return unsupported(enc, t, err);
}
