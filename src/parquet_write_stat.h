/*
 * parquet_write_stat.h: column statistics for the Parquet writer: entry
 * and null counts, and min/max in the column's sort order, kept per
 * column chunk and per file, and the PLAIN bytes of the bounds that the
 * footer's Statistics carry.  Used by parquet_write.c only.
 *
 * The sort order follows the leaf's type: signed or (INT logical type
 * with is_unsigned) unsigned integers, IEEE floats (the caller leaves
 * NaN out; a zero bound is written as -0.0 for min and +0.0 for max, as
 * the format asks), unsigned bytewise for byte arrays, and signed
 * big-endian two's complement for FIXED decimals.  BYTE_ARRAY decimals
 * have no order the writer keeps (PW_CMP_NONE: counts only).
 */
#ifndef DS_PARQUET_WRITE_STAT_H
#define DS_PARQUET_WRITE_STAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

struct parquet_write_leaf;

/* How a leaf's values compare. */
enum parquet_write_stat_cmp {
	PW_CMP_NONE,
	PW_CMP_BOOL,
	PW_CMP_I32,
	PW_CMP_U32,
	PW_CMP_I64,
	PW_CMP_U64,
	PW_CMP_FLOAT,
	PW_CMP_DOUBLE,
	PW_CMP_BYTES,
	PW_CMP_DECIMAL_BYTES
};

union parquet_write_stat_num {
	bool	 b;
	int32_t	 i32;
	int64_t	 i64;
	float	 f;
	double	 d;
};

struct parquet_write_stat {
	int64_t				 values;	/* nulls included */
	int64_t				 nulls;
	bool				 has;	/* min and max are set */
	union parquet_write_stat_num	 min, max;
	struct buf			 minb, maxb;	/* byte types */
};

/* The comparison of a leaf's values. */
enum parquet_write_stat_cmp parquet_write_stat_order(
	    const struct parquet_write_leaf *);

/*
 * Whether the bounds also go in the deprecated Statistics.min/max, whose
 * readers assume a signed order: not for byte arrays nor unsigned ints.
 */
bool	parquet_write_stat_legacy(enum parquet_write_stat_cmp);

/* Empty statistics; byte bounds are capped at max bytes.  No allocation. */
void	parquet_write_stat_init(struct parquet_write_stat *, size_t max);
void	parquet_write_stat_release(struct parquet_write_stat *);

/* Widen the bounds to take in a value (a number, or bytes). */
void	parquet_write_stat_num(struct parquet_write_stat *,
	    enum parquet_write_stat_cmp, union parquet_write_stat_num);
void	parquet_write_stat_bytes(struct parquet_write_stat *,
	    enum parquet_write_stat_cmp, const void *, size_t);

/* Fold the counts and bounds of from into to, then empty from. */
void	parquet_write_stat_merge(struct parquet_write_stat *to,
	    struct parquet_write_stat *from, enum parquet_write_stat_cmp);

/*
 * The PLAIN bytes of the min (or with max, the max) bound, which must be
 * set, in a new allocation the caller frees; *len is set to its length.
 */
unsigned char *parquet_write_stat_plain(const struct parquet_write_stat *,
	    enum parquet_write_stat_cmp, bool max, size_t *len);

#endif
