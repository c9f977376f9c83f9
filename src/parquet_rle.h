/*
 * parquet_rle.h: Parquet's RLE/bit-packed hybrid encoding, which stores
 * definition and repetition levels and dictionary indices.
 *
 * A stream is a sequence of runs, each introduced by a ULEB128 header:
 *
 *	header = count << 1		an RLE run: count copies of one
 *					value, in ceil(bw / 8) bytes LE
 *	header = groups << 1 | 1	a bit-packed run: groups * 8 values
 *					of bw bits each, LSB first
 *
 * The stream does not say how many values it holds: the caller knows
 * (from the page header) and the last bit-packed run is padded to a
 * multiple of 8 values.  Data pages v1 put a 4-byte little-endian
 * length before the levels (the *_levels functions); dictionary indices
 * are preceded by one byte giving bw, which the caller handles.
 *
 * The encoder makes runs of 8 or more equal values RLE runs and packs
 * the rest; it appends to a struct buf.  The decoder reads a bounded
 * byte range that may be hostile: bit widths above 32, runs that are
 * empty or longer than the values still wanted, values wider than bw,
 * varints that overflow and input that ends early are errors, and it
 * never reads outside the range.  Bytes of padding after the last value
 * wanted may be missing (some writers drop them).
 */
#ifndef DS_PARQUET_RLE_H
#define DS_PARQUET_RLE_H

#include <stddef.h>
#include <stdint.h>

struct buf;
struct err;

#define PARQUET_RLE_MAX_WIDTH	32

/* Bits needed for values up to max: 0 for 0, 1 for 1, 8 for 255... */
int	parquet_rle_bit_width(uint32_t max);

/*
 * Append the n values at v, each fitting bw (0..32) bits, to b.
 * parquet_rle_encode_u8() takes one byte per value (levels).  Return 0,
 * or -1 if b is over its cap (b->overflow is set; b holds a part).
 */
int	parquet_rle_encode(struct buf *b, const uint32_t *v, size_t n,
	    int bw);
int	parquet_rle_encode_u8(struct buf *b, const uint8_t *v, size_t n,
	    int bw);

/*
 * Levels of a data page v1: a 4-byte length, then the n levels (each
 * 0..max) encoded with bit width parquet_rle_bit_width(max).  Nothing
 * is written when max is 0.  Returns as above.
 */
int	parquet_rle_encode_levels(struct buf *b, const uint8_t *levels,
	    size_t n, int max);

/*
 * Decode exactly n values of bw bits from the len bytes at p into out.
 * If used is not NULL, *used is set to the bytes consumed.  Returns 0,
 * or -1 with err set (ERR_INTERNAL) if the input is not a valid stream
 * of at least n values; out may then be partly written.
 */
int	parquet_rle_decode(const void *p, size_t len, int bw, uint32_t *out,
	    size_t n, size_t *used, struct err *err);

/*
 * Decode the n levels of a data page v1 (4-byte length, then a stream
 * that must lie within it) into out; each must be at most max.  *used
 * is 4 plus the length.  When max is 0, nothing is read: the n levels
 * are 0 and *used is 0.  Returns as above.
 */
int	parquet_rle_decode_levels(const void *p, size_t len, int max,
	    uint32_t *out, size_t n, size_t *used, struct err *err);

#endif
