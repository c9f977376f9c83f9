/*
 * parquet_rle.c: the RLE/bit-packed hybrid encoding (see parquet_rle.h).
 *
 * The encoder keeps literals in groups of 8 by lending them the head of
 * the next long run, so only the very last run is ever padded.  The
 * decoder checks every length against both the bytes left in its range
 * and the values still wanted before it reads or writes anything, in
 * that order, so a lying header can neither overrun the input nor the
 * caller's array.
 */
#include "config.h"

#include <assert.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "bytes.h"
#include "err.h"
#include "parquet_rle.h"

int
parquet_rle_bit_width(uint32_t max)
{
	int	 n = 0;

	while (max != 0) {
		n++;
		max >>= 1;
	}
	return n;
}

/* --- encoder ------------------------------------------------------------- */

static void
put_uleb(struct buf *b, uint64_t v)
{
	unsigned char	 tmp[BYTES_ULEB128_MAX];

	buf_add(b, tmp, bytes_put_uleb128(tmp, v));
}

/* Values for the encoder: levels are bytes, indices uint32. */
static uint32_t
getv(const void *v, bool wide, size_t i)
{
	return wide ? ((const uint32_t *)v)[i] : ((const uint8_t *)v)[i];
}

static void
rle_run(struct buf *b, uint32_t val, size_t count, int bw)
{
	int	 i;

	put_uleb(b, (uint64_t)count << 1);
	for (i = 0; i < (bw + 7) / 8; i++)
		buf_addc(b, (char)(val >> (8 * i)));
}

/* A bit-packed run of n values from start, zero-padded to groups of 8. */
static void
bit_pack(struct buf *b, const void *v, bool wide, size_t start, size_t n,
    int bw)
{
	size_t		 groups = (n + 7) / 8, i;
	uint64_t	 acc = 0;
	int		 nacc = 0;

	put_uleb(b, (uint64_t)groups << 1 | 1);
	for (i = 0; i < groups * 8; i++) {
		acc |= (uint64_t)(i < n ? getv(v, wide, start + i) : 0) << nacc;
		nacc += bw;
		while (nacc >= 8) {
			buf_addc(b, (char)(acc & 0xff));
			acc >>= 8;
			nacc -= 8;
		}
	}
}

/* Runs of 8 or more equal values become RLE runs, the rest bit-packed. */
static int
encode(struct buf *b, const void *v, bool wide, size_t n, int bw)
{
	size_t		 i = 0, lit = 0, nlit = 0, run, pad;
	uint32_t	 val;

	assert(bw >= 0 && bw <= PARQUET_RLE_MAX_WIDTH);
	while (i < n) {
		val = getv(v, wide, i);
		for (run = 1; i + run < n && getv(v, wide, i + run) == val;)
			run++;
		pad = (8 - nlit % 8) % 8;
		if (run >= pad + 8) {
			nlit += pad;
			i += pad;
			run -= pad;
			if (nlit > 0)
				bit_pack(b, v, wide, lit, nlit, bw);
			rle_run(b, val, run, bw);
			i += run;
			nlit = 0;
		} else {
			if (nlit == 0)
				lit = i;
			nlit += run;
			i += run;
		}
	}
	if (nlit > 0)
		bit_pack(b, v, wide, lit, nlit, bw);
	return b->overflow ? -1 : 0;
}

int
parquet_rle_encode(struct buf *b, const uint32_t *v, size_t n, int bw)
{
	return encode(b, v, true, n, bw);
}

int
parquet_rle_encode_u8(struct buf *b, const uint8_t *v, size_t n, int bw)
{
	return encode(b, v, false, n, bw);
}

int
parquet_rle_encode_levels(struct buf *b, const uint8_t *levels, size_t n,
    int max)
{
	size_t		 at = b->len, len;
	unsigned char	 pre[4] = { 0, 0, 0, 0 };

	if (max <= 0)
		return 0;
	buf_add(b, pre, sizeof(pre));
	encode(b, levels, false, n, parquet_rle_bit_width((uint32_t)max));
	if (b->overflow || b->len - at - 4 > UINT32_MAX)
		return -1;
	len = b->len - at - 4;
	b->data[at] = (char)len;
	b->data[at + 1] = (char)(len >> 8);
	b->data[at + 2] = (char)(len >> 16);
	b->data[at + 3] = (char)(len >> 24);
	return 0;
}

/* --- decoder ------------------------------------------------------------- */

/* A run header at *pos: at most 10 bytes, no bits past 64. */
static int
get_uleb(const unsigned char *s, size_t len, size_t *pos, uint64_t *v)
{
	uint64_t	 x = 0;
	unsigned char	 c;
	int		 shift;

	for (shift = 0; shift < 64; shift += 7) {
		if (*pos == len)
			return -1;
		c = s[(*pos)++];
		if (shift == 63 && c > 1)
			return -1;
		x |= (uint64_t)(c & 0x7f) << shift;
		if ((c & 0x80) == 0) {
			*v = x;
			return 0;
		}
	}
	return -1;
}

/* An RLE run of count values (checked by the caller) at *pos. */
static int
get_rle(const unsigned char *s, size_t len, size_t *pos, int bw,
    uint32_t *out, uint64_t count, struct err *err)
{
	size_t		 vb = (size_t)(bw + 7) / 8, i;
	uint32_t	 v = 0;

	if (len - *pos < vb)
		return err_set(err, ERR_INTERNAL, "rle: truncated run value");
	for (i = 0; i < vb; i++)
		v |= (uint32_t)s[*pos + i] << (8 * i);
	*pos += vb;
	if (bw < 32 && v >> bw != 0)
		return err_set(err, ERR_INTERNAL,
		    "rle: value %u wider than %d bits", v, bw);
	for (i = 0; i < count; i++)
		out[i] = v;
	return 0;
}

/*
 * Take the first take values of a bit-packed run of groups groups at
 * *pos.  The bytes of the values taken must be there; the padding after
 * them may be cut short by the end of the input.
 */
static int
get_packed(const unsigned char *s, size_t len, size_t *pos, int bw,
    uint32_t *out, size_t take, size_t groups, struct err *err)
{
	const unsigned char	*q = s + *pos;
	size_t			 need, full, i;
	uint64_t		 acc = 0, mask = ((uint64_t)1 << bw) - 1;
	int			 nacc = 0;

	need = take / 8 * (size_t)bw + (take % 8 * (size_t)bw + 7) / 8;
	if (len - *pos < need)
		return err_set(err, ERR_INTERNAL, "rle: truncated bit-packed "
		    "run (%zu of %zu bytes)", len - *pos, need);
	for (i = 0; i < take; i++) {
		while (nacc < bw) {
			acc |= (uint64_t)*q++ << nacc;
			nacc += 8;
		}
		out[i] = (uint32_t)(acc & mask);
		acc >>= bw;
		nacc -= bw;
	}
	full = groups * (size_t)bw;
	*pos += full < len - *pos ? full : len - *pos;
	return 0;
}

int
parquet_rle_decode(const void *p, size_t len, int bw, uint32_t *out,
    size_t n, size_t *used, struct err *err)
{
	const unsigned char	*s = p;
	size_t			 pos = 0, done = 0, take;
	uint64_t		 h, count, left;

	if (bw < 0 || bw > PARQUET_RLE_MAX_WIDTH)
		return err_set(err, ERR_INTERNAL, "rle: bit width %d", bw);
	while (done < n) {
		left = n - done;
		if (get_uleb(s, len, &pos, &h) == -1)
			return err_set(err, ERR_INTERNAL,
			    "rle: bad or truncated run header at byte %zu",
			    pos);
		count = h >> 1;
		if (count == 0)
			return err_set(err, ERR_INTERNAL,
			    "rle: empty run at byte %zu", pos);
		if ((h & 1) == 0) {
			if (count > left)
				return err_set(err, ERR_INTERNAL, "rle: run of "
				    "%ju values, %ju wanted", (uintmax_t)count,
				    (uintmax_t)left);
			if (get_rle(s, len, &pos, bw, out + done, count,
			    err) == -1)
				return -1;
			done += (size_t)count;
			continue;
		}
		if (count > (left + 7) / 8)
			return err_set(err, ERR_INTERNAL,
			    "rle: %ju groups, %ju values wanted",
			    (uintmax_t)count, (uintmax_t)left);
		take = count * 8 < left ? (size_t)count * 8 : (size_t)left;
		if (get_packed(s, len, &pos, bw, out + done, take,
		    (size_t)count, err) == -1)
			return -1;
		done += take;
	}
	if (used != NULL)
		*used = pos;
	return 0;
}

int
parquet_rle_decode_levels(const void *p, size_t len, int max,
    uint32_t *out, size_t n, size_t *used, struct err *err)
{
	const unsigned char	*s = p;
	uint32_t		 size;
	size_t			 i;

	if (max < 0)
		return err_set(err, ERR_INTERNAL, "rle: maximum level %d", max);
	if (max == 0) {
		for (i = 0; i < n; i++)
			out[i] = 0;
		if (used != NULL)
			*used = 0;
		return 0;
	}
	if (len < 4)
		return err_set(err, ERR_INTERNAL,
		    "rle: truncated level length");
	size = (uint32_t)s[0] | (uint32_t)s[1] << 8 | (uint32_t)s[2] << 16 |
	    (uint32_t)s[3] << 24;
	if (size > len - 4)
		return err_set(err, ERR_INTERNAL,
		    "rle: levels of %u bytes in %zu", size, len - 4);
	if (parquet_rle_decode(s + 4, size,
	    parquet_rle_bit_width((uint32_t)max), out, n, NULL, err) == -1)
		return -1;
	for (i = 0; i < n; i++)
		if (out[i] > (uint32_t)max)
			return err_set(err, ERR_INTERNAL,
			    "rle: level %u above the maximum %d", out[i], max);
	if (used != NULL)
		*used = 4 + (size_t)size;
	return 0;
}
