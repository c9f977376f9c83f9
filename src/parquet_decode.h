/*
 * parquet_decode.h: Parquet's value and level encodings, decoded one
 * value at a time from a page held in memory.
 *
 * Every decoder here is a small cursor over a bounded byte range: it
 * allocates nothing for the values it has not reached yet, so a page
 * that claims millions of values costs no memory up front, and a run
 * header claiming 2^31 values is just a counter.  Each step checks that
 * the bytes it reads are inside the range; running out, a bit width or
 * block shape that is impossible, a dictionary index past the end or a
 * length that does not fit is an error (ERR_INTERNAL, "...: " messages
 * naming the encoding), never a read outside the range.
 *
 *  parquet_decode_rle	 the RLE/bit-packed hybrid (levels, dictionary
 *			 indices, RLE booleans) and the deprecated
 *			 BIT_PACKED level encoding
 *  parquet_decode_delta DELTA_BINARY_PACKED integers
 *  parquet_decode_dict	 a dictionary page (PLAIN values) for lookups
 *  parquet_decode	 the values of a data page in any encoding:
 *			 PLAIN, PLAIN_DICTIONARY/RLE_DICTIONARY, RLE
 *			 (booleans), DELTA_BINARY_PACKED,
 *			 DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY,
 *			 BYTE_STREAM_SPLIT, for the physical types each
 *			 allows
 *
 * Byte values point into the page (or the dictionary); DELTA_BYTE_ARRAY
 * values and BYTE_STREAM_SPLIT fixed-length values are rebuilt in an
 * arena the caller gives, within a byte budget.  The page, dictionary
 * and arena must outlive the values.
 */
#ifndef DS_PARQUET_DECODE_H
#define DS_PARQUET_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parquet_meta.h"

struct arena;
struct err;
struct parquet_value;

/* --- RLE/bit-packed hybrid ------------------------------------------------ */

struct parquet_decode_rle {
	const unsigned char	*p, *end;	/* next run header */
	int			 bw;
	bool			 msb;		/* BIT_PACKED levels */
	uint64_t		 rle_left;	/* values left in an RLE run */
	uint32_t		 rle_value;
	const unsigned char	*run;		/* a bit-packed run */
	size_t			 run_bytes;	/* of it that are present */
	uint64_t		 run_i, run_n;	/* next value, values in run */
};

/*
 * A hybrid stream of bw-bit values (0..32) in the len bytes at p; the
 * caller knows how many values to take.  0, or -1 if bw is bad.
 */
int	parquet_decode_rle_init(struct parquet_decode_rle *, const void *p,
	    size_t len, int bw, struct err *);

/* A BIT_PACKED stream of n values (most significant bit first). */
int	parquet_decode_bitpacked_init(struct parquet_decode_rle *,
	    const void *p, size_t len, int bw, uint64_t n, struct err *);

int	parquet_decode_rle_next(struct parquet_decode_rle *, uint32_t *,
	    struct err *);

/* --- DELTA_BINARY_PACKED -------------------------------------------------- */

struct parquet_decode_delta {
	const unsigned char	*p, *end;	/* next block or miniblock */
	uint64_t		 nmini, mini_size;
	uint64_t		 left;		/* values still to give */
	uint64_t		 last, min_delta;
	bool			 started;
	uint64_t		 mini_i;	/* miniblock in the block */
	uint64_t		 mini_pos;	/* value in the miniblock */
	const unsigned char	*widths;	/* of the block's miniblocks */
	const unsigned char	*mini;		/* current miniblock */
	int			 bw;
};

/*
 * A stream of at most max_values values in the len bytes at p (more is
 * an error).  *used (if not NULL) is set to the bytes the whole stream
 * takes, found by walking its blocks.  0 or -1.
 */
int	parquet_decode_delta_init(struct parquet_decode_delta *,
	    const void *p, size_t len, uint64_t max_values, size_t *used,
	    struct err *);
int	parquet_decode_delta_next(struct parquet_decode_delta *, int64_t *,
	    struct err *);

/* --- dictionaries --------------------------------------------------------- */

struct parquet_decode_dict {
	enum parquet_meta_type	 type;
	int32_t			 width;		/* bytes of fixed values */
	const unsigned char	*data;
	size_t			 len;
	uint32_t		*off;		/* BYTE_ARRAY entries (owned) */
	size_t			 n;
};

/*
 * The n PLAIN values of a dictionary page of a column of type t (width:
 * FIXED_LEN_BYTE_ARRAY length) in the len bytes at p (borrowed).
 * parquet_decode_dict_release() frees what init allocated.  0 or -1.
 */
int	parquet_decode_dict_init(struct parquet_decode_dict *,
	    enum parquet_meta_type t, int32_t width, const void *p,
	    size_t len, size_t n, struct err *);
void	parquet_decode_dict_release(struct parquet_decode_dict *);

/* --- data page values ----------------------------------------------------- */

enum parquet_decode_kind {
	PARQUET_DECODE_PLAIN,
	PARQUET_DECODE_DICT,
	PARQUET_DECODE_RLE_BOOL,
	PARQUET_DECODE_DELTA,
	PARQUET_DECODE_DELTA_LENGTH,
	PARQUET_DECODE_DELTA_BYTES,
	PARQUET_DECODE_SPLIT
};

struct parquet_decode {
	enum parquet_decode_kind	 kind;
	enum parquet_meta_type		 type;
	int32_t				 width;	/* bytes of fixed values */
	const unsigned char		*p, *end;	/* values */
	uint64_t			 bit;	/* PLAIN booleans */
	struct parquet_decode_rle	 rle;
	const struct parquet_decode_dict *dict;
	struct parquet_decode_delta	 delta, delta2;
	const unsigned char		*prev;	/* DELTA_BYTE_ARRAY */
	size_t				 prev_len;
	size_t				 split_n, split_i;
	struct arena			*mat;	/* rebuilt values */
	size_t				 mat_left;
};

/*
 * Values of a data page: encoding (an Encoding value), the column's
 * type and fixed width, the len value bytes at p, at most max_values of
 * them.  dict is the column chunk's dictionary (NULL if none); mat and
 * mat_max the arena and byte budget for rebuilt values.  Returns 0, or
 * -1 with err set (ERR_UNSUPPORTED for an encoding this reader does not
 * know or that does not fit the type).
 */
int	parquet_decode_init(struct parquet_decode *, int32_t encoding,
	    enum parquet_meta_type type, int32_t width, const void *p,
	    size_t len, uint64_t max_values,
	    const struct parquet_decode_dict *dict, struct arena *mat,
	    size_t mat_max, struct err *);

/*
 * The next value into v (kind and payload; v->node is left alone).
 * 0 or -1.
 */
int	parquet_decode_next(struct parquet_decode *, struct parquet_value *,
	    struct err *);

#endif
