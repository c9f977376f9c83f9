/*
 * codec.c: block compression for Parquet pages (see codec.h).
 *
 * Compression works in a scratch allocation sized from the codec's
 * bound, and the result is appended to the caller's buf in one go;
 * decompression writes straight into room made in the caller's buf for
 * the expected size (checked against the caller's max first), counted
 * only on success.  Either way a failure appends nothing.  No size a
 * stream claims is ever used to allocate: a snappy length header must
 * equal the expected size before anything is decoded, and the zlib,
 * zstd and LZ4 decoders write into the fixed scratch and fail when it
 * is full.  CODEC_MAX keeps sizes within zlib's uInt and LZ4's int.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifdef HAVE_LZ4_H
#include <lz4.h>
#endif
#include <snappy-c.h>
#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>

#include "buf.h"
#include "codec.h"
#include "err.h"
#include "xmalloc.h"

#define ZSTD_LEVEL	3	/* level 0 means this */

static const char *const names[CODEC__MAX] = {
	"UNCOMPRESSED",		/* CODEC_UNCOMPRESSED */
	"SNAPPY",		/* CODEC_SNAPPY */
	"GZIP",			/* CODEC_GZIP */
	"LZO",			/* CODEC_LZO */
	"BROTLI",		/* CODEC_BROTLI */
	"LZ4",			/* CODEC_LZ4 */
	"ZSTD",			/* CODEC_ZSTD */
	"LZ4_RAW",		/* CODEC_LZ4_RAW */
};

const char *
codec_name(enum codec c)
{
	if ((int)c < 0 || c >= CODEC__MAX)
		return "unknown";
	return names[c];
}

bool
codec_supported(enum codec c)
{
	switch (c) {
	case CODEC_UNCOMPRESSED:
	case CODEC_SNAPPY:
	case CODEC_GZIP:
	case CODEC_ZSTD:
		return true;
#ifdef HAVE_LZ4_H
	case CODEC_LZ4_RAW:
		return true;
#endif
	default:
		return false;
	}
}

static int
unsupported(enum codec c, struct err *err)
{
	if ((int)c < 0 || c >= CODEC__MAX)
		return err_set(err, ERR_UNSUPPORTED, "unknown parquet codec %d",
		    (int)c);
	return err_set(err, ERR_UNSUPPORTED, "unsupported parquet codec %s",
	    names[c]);
}

/* Append a finished result to out. */
static int
append(struct buf *out, const void *p, size_t n, enum codec c,
    struct err *err)
{
	if (buf_add(out, p, n) == -1)
		return err_set(err, ERR_INTERNAL,
		    "%s page of %zu bytes does not fit the output buffer",
		    names[c], n);
	return 0;
}

/* --- compression --------------------------------------------------------- */

/* Each compressor leaves its result in *dst (to be freed), *len long. */

static int
enc_snappy(const void *src, size_t n, unsigned char **dst, size_t *len,
    struct err *err)
{
	*len = snappy_max_compressed_length(n);
	*dst = xmalloc(*len);
	if (snappy_compress(src, n, (char *)*dst, len) != SNAPPY_OK)
		return err_set(err, ERR_INTERNAL, "snappy compression failed");
	return 0;
}

static int
enc_gzip(int level, const void *src, size_t n, unsigned char **dst,
    size_t *len, struct err *err)
{
	z_stream	 z;
	int		 rc;

	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, level != 0 ? level : Z_DEFAULT_COMPRESSION,
	    Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return err_set(err, ERR_INTERNAL,
		    "gzip compression failed (level %d)", level);
	*len = deflateBound(&z, (uLong)n);
	*dst = xmalloc(*len);
	z.next_in = (Bytef *)(uintptr_t)src;
	z.avail_in = (uInt)n;
	z.next_out = *dst;
	z.avail_out = (uInt)*len;
	rc = deflate(&z, Z_FINISH);
	*len = z.total_out;
	deflateEnd(&z);
	if (rc != Z_STREAM_END)
		return err_set(err, ERR_INTERNAL, "gzip compression failed");
	return 0;
}

static int
enc_zstd(int level, const void *src, size_t n, unsigned char **dst,
    size_t *len, struct err *err)
{
	size_t	 r;

	*len = ZSTD_compressBound(n);
	*dst = xmalloc(*len);
	r = ZSTD_compress(*dst, *len, src, n,
	    level != 0 ? level : ZSTD_LEVEL);
	if (ZSTD_isError(r))
		return err_set(err, ERR_INTERNAL,
		    "zstd compression failed: %s", ZSTD_getErrorName(r));
	*len = r;
	return 0;
}

#ifdef HAVE_LZ4_H
static int
enc_lz4(const void *src, size_t n, unsigned char **dst, size_t *len,
    struct err *err)
{
	int	 bound, r;

	if (n > LZ4_MAX_INPUT_SIZE)
		return err_set(err, ERR_INTERNAL,
		    "%zu bytes is too large for lz4", n);
	bound = LZ4_compressBound((int)n);
	*dst = xmalloc((size_t)bound);
	r = LZ4_compress_default(src, (char *)*dst, (int)n, bound);
	if (r <= 0)
		return err_set(err, ERR_INTERNAL, "lz4 compression failed");
	*len = (size_t)r;
	return 0;
}
#endif

int
codec_compress(enum codec c, int level, const void *src, size_t n,
    struct buf *out, struct err *err)
{
	unsigned char	*dst = NULL;
	size_t		 len = 0;
	int		 rc;

	if (!codec_supported(c))
		return unsupported(c, err);
	if (n > CODEC_MAX)
		return err_set(err, ERR_INTERNAL,
		    "%s: %zu bytes is too large to compress", names[c], n);
	if (n == 0)
		src = "";
	switch (c) {
	case CODEC_UNCOMPRESSED:
		return append(out, src, n, c, err);
	case CODEC_SNAPPY:
		rc = enc_snappy(src, n, &dst, &len, err);
		break;
	case CODEC_GZIP:
		rc = enc_gzip(level, src, n, &dst, &len, err);
		break;
	case CODEC_ZSTD:
		rc = enc_zstd(level, src, n, &dst, &len, err);
		break;
#ifdef HAVE_LZ4_H
	case CODEC_LZ4_RAW:
		rc = enc_lz4(src, n, &dst, &len, err);
		break;
#endif
	default:
		rc = unsupported(c, err);
		break;
	}
	if (rc == 0)
		rc = append(out, dst, len, c, err);
	free(dst);
	return rc;
}

/* --- decompression ------------------------------------------------------- */

/*
 * Each decompressor writes into dst, which has room for want + 1 bytes,
 * and succeeds only if the stream gives exactly want bytes.
 */

static int
dec_snappy(const void *src, size_t n, unsigned char *dst, size_t want,
    struct err *err)
{
	size_t	 len;

	if (snappy_uncompressed_length(src, n, &len) != SNAPPY_OK)
		return err_set(err, ERR_INTERNAL, "corrupt snappy page");
	if (len != want)
		return err_set(err, ERR_INTERNAL,
		    "snappy page claims %zu bytes, not %zu", len, want);
	if (snappy_uncompress(src, n, (char *)dst, &len) != SNAPPY_OK ||
	    len != want)
		return err_set(err, ERR_INTERNAL, "corrupt snappy page");
	return 0;
}

/* Concatenated gzip members are one stream, as gzip(1) has it. */
static int
dec_gzip(const void *src, size_t n, unsigned char *dst, size_t want,
    struct err *err)
{
	z_stream	 z;
	size_t		 got;
	int		 rc;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 15 + 32) != Z_OK)
		return err_set(err, ERR_INTERNAL, "cannot start gzip");
	z.next_in = (Bytef *)(uintptr_t)src;
	z.avail_in = (uInt)n;
	z.next_out = dst;
	z.avail_out = (uInt)(want + 1);
	for (;;) {
		rc = inflate(&z, Z_NO_FLUSH);
		if (rc == Z_STREAM_END && z.avail_in > 0)
			rc = inflateReset(&z);
		else if (rc == Z_STREAM_END || rc != Z_OK)
			break;
	}
	got = want + 1 - z.avail_out;
	inflateEnd(&z);
	if (got > want)
		return err_set(err, ERR_INTERNAL,
		    "gzip page larger than %zu bytes", want);
	if (rc == Z_BUF_ERROR)
		return err_set(err, ERR_INTERNAL, "truncated gzip page");
	if (rc != Z_STREAM_END)
		return err_set(err, ERR_INTERNAL, "corrupt gzip page");
	if (got != want)
		return err_set(err, ERR_INTERNAL,
		    "gzip page of %zu bytes, not %zu", got, want);
	return 0;
}

static int
dec_zstd(const void *src, size_t n, unsigned char *dst, size_t want,
    struct err *err)
{
	size_t	 r;

	r = ZSTD_decompress(dst, want, src, n);
	if (ZSTD_isError(r) &&
	    ZSTD_getErrorCode(r) == ZSTD_error_dstSize_tooSmall)
		return err_set(err, ERR_INTERNAL,
		    "zstd page larger than %zu bytes", want);
	if (ZSTD_isError(r))
		return err_set(err, ERR_INTERNAL, "corrupt zstd page: %s",
		    ZSTD_getErrorName(r));
	if (r != want)
		return err_set(err, ERR_INTERNAL,
		    "zstd page of %zu bytes, not %zu", r, want);
	return 0;
}

#ifdef HAVE_LZ4_H
static int
dec_lz4(const void *src, size_t n, unsigned char *dst, size_t want,
    struct err *err)
{
	int	 r;

	r = LZ4_decompress_safe(src, (char *)dst, (int)n, (int)want);
	if (r < 0)
		return err_set(err, ERR_INTERNAL,
		    "corrupt lz4 page (or larger than %zu bytes)", want);
	if ((size_t)r != want)
		return err_set(err, ERR_INTERNAL,
		    "lz4 page of %d bytes, not %zu", r, want);
	return 0;
}
#endif

int
codec_decompress(enum codec c, const void *src, size_t n, size_t expected,
    size_t max, struct buf *out, struct err *err)
{
	unsigned char	*dst;
	int		 rc;

	if (!codec_supported(c))
		return unsupported(c, err);
	if (expected > max || expected > CODEC_MAX)
		return err_set(err, ERR_INTERNAL,
		    "%s page of %zu bytes is over the limit of %zu", names[c],
		    expected, max < CODEC_MAX ? max : CODEC_MAX);
	if (n > CODEC_MAX)
		return err_set(err, ERR_INTERNAL,
		    "compressed %s page of %zu bytes is too large", names[c],
		    n);
	if (n == 0)
		src = "";
	if (c == CODEC_UNCOMPRESSED) {
		if (n != expected)
			return err_set(err, ERR_INTERNAL,
			    "uncompressed page of %zu bytes, not %zu", n,
			    expected);
		return append(out, src, n, c, err);
	}
	/* Straight into out, which has room for expected + 1 bytes. */
	if ((dst = buf_reserve(out, expected)) == NULL)
		return err_set(err, ERR_INTERNAL,
		    "%s page of %zu bytes does not fit the output buffer",
		    names[c], expected);
	switch (c) {
	case CODEC_SNAPPY:
		rc = dec_snappy(src, n, dst, expected, err);
		break;
	case CODEC_GZIP:
		rc = dec_gzip(src, n, dst, expected, err);
		break;
	case CODEC_ZSTD:
		rc = dec_zstd(src, n, dst, expected, err);
		break;
#ifdef HAVE_LZ4_H
	case CODEC_LZ4_RAW:
		rc = dec_lz4(src, n, dst, expected, err);
		break;
#endif
	default:
		rc = unsupported(c, err);
		break;
	}
	/* A failure appends nothing. */
	buf_advance(out, rc == 0 ? expected : 0);
	return rc;
}
