/*
 * codec.h: block compression for Parquet pages.
 *
 * One call compresses or decompresses one whole buffer (a page body)
 * with one of Parquet's CompressionCodec algorithms.  enum codec has the
 * values of that Thrift enum, so a codec read from a file can be passed
 * as is: values out of range are refused like unsupported codecs.
 *
 *	SNAPPY	  the raw snappy format (no framing)
 *	GZIP	  RFC 1952 gzip members (zlib streams are accepted too)
 *	ZSTD	  zstd frames
 *	LZ4_RAW	  one raw LZ4 block, when built with liblz4 (HAVE_LZ4_H)
 *
 * LZO, BROTLI and LZ4 (the deprecated Hadoop framing) are not supported.
 *
 * Decompression is for hostile input: the caller says how many bytes
 * the page must decompress to (the page header's uncompressed size) and
 * the most it accepts; the result is exactly that many bytes or an
 * error, and no more than that is ever allocated or written, whatever
 * the stream claims.
 *
 * Sizes above CODEC_MAX (Parquet page sizes are i32) are refused both
 * ways.  Errors are recorded in err: ERR_UNSUPPORTED for a codec that is
 * not supported, ERR_INTERNAL for the rest (corrupt or lying input,
 * output buffer full); a reader may re-map them.
 */
#ifndef DS_CODEC_H
#define DS_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;
struct err;

/* The values are those of Parquet's CompressionCodec. */
enum codec {
	CODEC_UNCOMPRESSED = 0,
	CODEC_SNAPPY = 1,
	CODEC_GZIP = 2,
	CODEC_LZO = 3,		/* not supported */
	CODEC_BROTLI = 4,	/* not supported */
	CODEC_LZ4 = 5,		/* Hadoop framing, deprecated: not supported */
	CODEC_ZSTD = 6,
	CODEC_LZ4_RAW = 7,	/* only with liblz4 */
	CODEC__MAX
};

#define CODEC_MAX	((size_t)INT32_MAX)

/* The Parquet name ("SNAPPY", "LZ4_RAW"...), or "unknown" if out of range. */
const char	*codec_name(enum codec);

/* Whether this build can compress and decompress with the codec. */
bool		 codec_supported(enum codec);

/*
 * Compress n bytes at src and append the result to out.  level is the
 * GZIP (1..9) or ZSTD level, 0 for the codec's default; the other codecs
 * ignore it.  Returns 0, or -1 with err set and nothing appended (a
 * result that does not fit under out's cap also sets out->overflow).
 */
int	codec_compress(enum codec, int level, const void *src, size_t n,
	    struct buf *out, struct err *);

/*
 * Decompress the n bytes at src, which must give exactly expected bytes,
 * and append them to out.  expected above max (or CODEC_MAX), a stream
 * that gives more or fewer bytes or claims another size, and corrupt or
 * truncated input are errors: -1 with err set and nothing appended (as
 * above, a result over out's cap also sets out->overflow).  Returns 0 on
 * success.
 */
int	codec_decompress(enum codec, const void *src, size_t n,
	    size_t expected, size_t max, struct buf *out, struct err *);

#endif
