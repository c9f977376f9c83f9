/*
 * u-codec.c: unit tests for src/codec.c, block compression of Parquet
 * pages.
 *
 * Every supported codec round-trips empty, one-byte, small and large
 * inputs, compressible and not, appending to what its output buffer
 * holds.  Decompression is then given the wrong expected size both
 * ways, a max below the expected size, truncated and corrupted streams,
 * streams that expand far past the expected size, and snappy headers
 * that lie: each must fail with nothing appended.  Compressed input is
 * decompressed from a heap copy of exactly its length, so valgrind or
 * ASan would see a read past its end.  Without liblz4 (no HAVE_LZ4_H),
 * LZ4_RAW must be refused like the other unsupported codecs.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "codec.h"
#include "err.h"
#include "tap.h"
#include "xmalloc.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define BIG		((size_t)64 << 20)	/* buf caps */

static const enum codec	 codecs[] = {
	CODEC_UNCOMPRESSED, CODEC_SNAPPY, CODEC_GZIP, CODEC_ZSTD,
#ifdef HAVE_LZ4_H
	CODEC_LZ4_RAW,
#endif
};

/* Codecs that really compress (and so can be corrupted). */
static const enum codec	 packers[] = {
	CODEC_SNAPPY, CODEC_GZIP, CODEC_ZSTD,
#ifdef HAVE_LZ4_H
	CODEC_LZ4_RAW,
#endif
};

static uint64_t	 rng = 0x2545f4914f6cdd1dULL;

static unsigned char
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned char)(rng >> 32);
}

/* n bytes of text-like data, or of noise. */
static unsigned char *
make(size_t n, bool noise)
{
	static const char	 text[] = "deltashare parquet page 0123456789 ";
	unsigned char		*p = xmalloc(n);
	size_t			 i;

	for (i = 0; i < n; i++)
		p[i] = noise ? rnd() : (unsigned char)text[(i + i / 97) %
		    (sizeof(text) - 1)];
	return p;
}

/* Decompress from an exact heap copy of the n bytes at z. */
static int
unz(enum codec c, const void *z, size_t n, size_t expected, size_t max,
    struct buf *out, struct err *e)
{
	unsigned char	*in = xmalloc(n);
	int		 rc;

	if (n > 0)
		memcpy(in, z, n);
	rc = codec_decompress(c, in, n, expected, max, out, e);
	free(in);
	return rc;
}

static void
test_names(void)
{
	static const struct {
		enum codec	 c;
		const char	*name;
		bool		 supported;
	} cases[] = {
		{ CODEC_UNCOMPRESSED, "UNCOMPRESSED", true },
		{ CODEC_SNAPPY, "SNAPPY", true },
		{ CODEC_GZIP, "GZIP", true },
		{ CODEC_LZO, "LZO", false },
		{ CODEC_BROTLI, "BROTLI", false },
		{ CODEC_LZ4, "LZ4", false },
		{ CODEC_ZSTD, "ZSTD", true },
#ifdef HAVE_LZ4_H
		{ CODEC_LZ4_RAW, "LZ4_RAW", true },
#else
		{ CODEC_LZ4_RAW, "LZ4_RAW", false },
#endif
		{ CODEC__MAX, "unknown", false },
		{ (enum codec)99, "unknown", false },
		{ (enum codec)-1, "unknown", false },
	};
	size_t	 i;

	/* The values are Parquet's CompressionCodec. */
	ok(CODEC_UNCOMPRESSED == 0 && CODEC_SNAPPY == 1 && CODEC_GZIP == 2 &&
	    CODEC_LZO == 3 && CODEC_BROTLI == 4 && CODEC_LZ4 == 5 &&
	    CODEC_ZSTD == 6 && CODEC_LZ4_RAW == 7, "CompressionCodec values");
	for (i = 0; i < NELEM(cases); i++) {
		is_str(codec_name(cases[i].c), cases[i].name, "name of %d",
		    (int)cases[i].c);
		is_int(codec_supported(cases[i].c), cases[i].supported,
		    "%s supported", cases[i].name);
	}
}

static void
test_round_trips(void)
{
	static const size_t	 sizes[] = { 0, 1, 2, 100, 4103, 300000,
	    (size_t)1 << 20 };
	struct buf		 z, out;
	struct err		 e;
	unsigned char		*src;
	size_t			 i, k;
	int			 noise;
	bool			 good;

	buf_init(&z, BIG);
	buf_init(&out, BIG);
	for (i = 0; i < NELEM(codecs); i++) {
		for (noise = 0; noise <= 1; noise++) {
			good = true;
			for (k = 0; k < NELEM(sizes); k++) {
				src = make(sizes[k], noise);
				buf_reset(&z);
				buf_reset(&out);
				buf_add(&out, "head", 4);
				if (codec_compress(codecs[i], 0, src, sizes[k],
				    &z, &e) != 0 ||
				    unz(codecs[i], z.data, z.len, sizes[k],
				    sizes[k], &out, &e) != 0 ||
				    out.len != 4 + sizes[k] ||
				    memcmp(out.data, "head", 4) != 0 ||
				    (sizes[k] > 0 && memcmp(out.data + 4, src,
				    sizes[k]) != 0)) {
					if (good)
						diag("%zu bytes: %s", sizes[k],
						    e.msg);
					good = false;
				}
				free(src);
			}
			ok(good, "round trip %s, %s data, 0 B to 1 MiB",
			    codec_name(codecs[i]), noise ? "random" : "text");
		}
	}
	buf_release(&z);
	buf_release(&out);
}

/* GZIP and ZSTD levels: different, all decodable; a bad one fails. */
static void
test_levels(void)
{
	static const struct {
		enum codec	 c;
		int		 level;
		int		 rc;
	} cases[] = {
		{ CODEC_GZIP, 1, 0 }, { CODEC_GZIP, 9, 0 },
		{ CODEC_GZIP, 42, -1 }, { CODEC_ZSTD, 1, 0 },
		{ CODEC_ZSTD, 19, 0 }, { CODEC_ZSTD, -5, 0 },
		{ CODEC_SNAPPY, 7, 0 },
	};
	unsigned char	*src = make(50000, false);
	struct buf	 z, out;
	struct err	 e;
	size_t		 i;

	buf_init(&z, BIG);
	buf_init(&out, BIG);
	for (i = 0; i < NELEM(cases); i++) {
		buf_reset(&z);
		buf_reset(&out);
		is_int(codec_compress(cases[i].c, cases[i].level, src, 50000,
		    &z, &e), cases[i].rc, "%s level %d",
		    codec_name(cases[i].c), cases[i].level);
		if (cases[i].rc == 0)
			ok(unz(cases[i].c, z.data, z.len, 50000, 50000, &out,
			    &e) == 0 && memcmp(out.data, src, 50000) == 0,
			    "%s level %d decodes", codec_name(cases[i].c),
			    cases[i].level);
		else
			is_int(z.len, 0, "%s level %d appends nothing",
			    codec_name(cases[i].c), cases[i].level);
	}
	free(src);
	buf_release(&z);
	buf_release(&out);
}

/* One refused decompression: -1, an error, nothing appended. */
static void
refused(enum codec c, const void *z, size_t n, size_t expected, size_t max,
    const char *what)
{
	struct buf	 out;
	struct err	 e;

	buf_init(&out, BIG);
	buf_add(&out, "kept", 4);
	memset(&e, 0, sizeof(e));
	ok(unz(c, z, n, expected, max, &out, &e) == -1 && e.msg[0] != '\0' &&
	    out.len == 4 && memcmp(out.data, "kept", 4) == 0,
	    "%s: %s refused (%s)", codec_name(c), what, e.msg);
	buf_release(&out);
}

/* Sizes that do not match: the expected size both ways, max, limits. */
static void
test_sizes(void)
{
	static const size_t	 sizes[] = { 0, 1, 1000 };
	unsigned char		*src;
	struct buf		 z;
	struct err		 e;
	size_t			 i, k, n;

	buf_init(&z, BIG);
	for (i = 0; i < NELEM(codecs); i++) {
		for (k = 0; k < NELEM(sizes); k++) {
			n = sizes[k];
			src = make(n, false);
			buf_reset(&z);
			codec_compress(codecs[i], 0, src, n, &z, &e);
			refused(codecs[i], z.data, z.len, n + 1, n + 1,
			    n == 0 ? "0 bytes as 1" : n == 1 ?
			    "1 byte as 2" : "1000 bytes as 1001");
			if (n > 0) {
				refused(codecs[i], z.data, z.len, n - 1, n,
				    n == 1 ? "1 byte as 0" :
				    "1000 bytes as 999");
				refused(codecs[i], z.data, z.len, n, n - 1,
				    "max one below expected");
			}
			free(src);
		}
		refused(codecs[i], "", 0, CODEC_MAX + 1, SIZE_MAX,
		    "expected above CODEC_MAX");
		refused(codecs[i], "", 0, SIZE_MAX, SIZE_MAX,
		    "expected SIZE_MAX");
	}
	buf_release(&z);
}

/* Truncated streams, at every codec, cut by one byte and by half. */
static void
test_truncated(void)
{
	unsigned char	*src = make(5000, true);
	struct buf	 z;
	struct err	 e;
	size_t		 i;

	buf_init(&z, BIG);
	for (i = 0; i < NELEM(packers); i++) {
		buf_reset(&z);
		codec_compress(packers[i], 0, src, 5000, &z, &e);
		refused(packers[i], z.data, z.len - 1, 5000, 5000,
		    "last byte cut");
		refused(packers[i], z.data, z.len / 2, 5000, 5000,
		    "cut in half");
		refused(packers[i], z.data, 0, 5000, 5000, "empty input");
		buf_reset(&z);
		codec_compress(packers[i], 0, "", 0, &z, &e);
		refused(packers[i], z.data, z.len - 1, 0, 0,
		    "empty page, last byte cut");
	}
	refused(CODEC_UNCOMPRESSED, src, 4999, 5000, 5000, "one byte short");
	free(src);
	buf_release(&z);
}

/* Corruptions each codec is certain to notice. */
static void
test_corrupt(void)
{
	unsigned char	*src = make(20000, false);
	struct buf	 z;
	struct err	 e;

	buf_init(&z, BIG);
	/* gzip: a flipped byte breaks the deflate data or the CRC. */
	codec_compress(CODEC_GZIP, 0, src, 20000, &z, &e);
	z.data[z.len / 2] ^= 0x55;
	refused(CODEC_GZIP, z.data, z.len, 20000, 20000, "byte flipped");
	z.data[z.len / 2] ^= 0x55;
	z.data[z.len - 5] ^= 1;
	refused(CODEC_GZIP, z.data, z.len, 20000, 20000, "CRC flipped");
	z.data[z.len - 5] ^= 1;
	z.data[0] = 0;
	refused(CODEC_GZIP, z.data, z.len, 20000, 20000, "bad magic");
	refused(CODEC_GZIP, "garbage garbage", 15, 15, 15, "garbage");
	/* Trailing bytes after the gzip member. */
	buf_reset(&z);
	codec_compress(CODEC_GZIP, 0, src, 20000, &z, &e);
	buf_add(&z, "\0\0\0\0", 4);
	refused(CODEC_GZIP, z.data, z.len, 20000, 20000,
	    "zeros after the member");

	/* zstd: the magic number and the frame header are checked. */
	buf_reset(&z);
	codec_compress(CODEC_ZSTD, 0, src, 20000, &z, &e);
	z.data[0] ^= 1;
	refused(CODEC_ZSTD, z.data, z.len, 20000, 20000, "bad magic");
	refused(CODEC_ZSTD, "garbage garbage", 15, 15, 15, "garbage");

	/* snappy: a length header that lies, and literals that overrun. */
	refused(CODEC_SNAPPY, "\x05\x10hello", 7, 4, 100,
	    "header says 5, page says 4");
	refused(CODEC_SNAPPY, "\x05\x10hel", 5, 5, 100,
	    "literal past the end");
	refused(CODEC_SNAPPY, "\x05\x0chello", 7, 5, 100,
	    "literal shorter than the header says");
	refused(CODEC_SNAPPY, "\x05\x01\x09", 3, 5, 100,
	    "copy before the start");
	refused(CODEC_SNAPPY, "\xff\xff\xff\xff\xff\xff", 6, 5, 100,
	    "header never ends");
#ifdef HAVE_LZ4_H
	/* LZ4: a match offset before the start of the output. */
	refused(CODEC_LZ4_RAW, "\x10\x41\x05\x00\x00", 5, 5, 100,
	    "offset before the start");
	refused(CODEC_LZ4_RAW, "\xf0\xff\xff\xff", 4, 100, 100,
	    "literal length past the end");
#endif
	free(src);
	buf_release(&z);
}

/*
 * Hostile sizes: a page that expands far past what its header says
 * stops at the expected size; a snappy header that claims 4 GiB (or
 * 4 GiB - 1, or 1 TiB) is refused before anything is allocated.
 */
static void
test_bombs(void)
{
	unsigned char	*zeros = xcalloc(1, (size_t)1 << 22);
	struct buf	 z;
	struct err	 e;
	size_t		 i;

	buf_init(&z, BIG);
	for (i = 0; i < NELEM(packers); i++) {
		buf_reset(&z);
		codec_compress(packers[i], 0, zeros, (size_t)1 << 22, &z, &e);
		ok(z.len < 200000, "%s: 4 MiB of zeros in %zu bytes",
		    codec_name(packers[i]), z.len);
		refused(packers[i], z.data, z.len, 1000, 1000,
		    "4 MiB page said to be 1000 bytes");
		refused(packers[i], z.data, z.len, (size_t)1 << 22, 1000,
		    "4 MiB page over a max of 1000");
	}
	refused(CODEC_SNAPPY, "\x80\x80\x80\x80\x10\x00", 6, 10, SIZE_MAX,
	    "header claims 4 GiB");
	refused(CODEC_SNAPPY, "\xff\xff\xff\xff\x0f\x00", 6, 10, SIZE_MAX,
	    "header claims 4 GiB - 1");
	refused(CODEC_SNAPPY, "\x80\x80\x80\x80\x80\x20\x00", 7, 10,
	    SIZE_MAX, "header claims 1 TiB");
	refused(CODEC_SNAPPY, "\x80\x80\x80\x80\x10\x00", 6,
	    (size_t)1 << 32, SIZE_MAX, "4 GiB expected and claimed");
	free(zeros);
	buf_release(&z);
}

static void
test_unsupported(void)
{
	static const enum codec	 bad[] = {
		CODEC_LZO, CODEC_BROTLI, CODEC_LZ4,
#ifndef HAVE_LZ4_H
		CODEC_LZ4_RAW,
#endif
		CODEC__MAX, (enum codec)99, (enum codec)-1
	};
	struct buf		 z;
	struct err		 e;
	size_t			 i;

	buf_init(&z, BIG);
	for (i = 0; i < NELEM(bad); i++) {
		memset(&e, 0, sizeof(e));
		ok(codec_compress(bad[i], 0, "abc", 3, &z, &e) == -1 &&
		    e.kind == ERR_UNSUPPORTED && z.len == 0,
		    "compress with %d refused (%s)", (int)bad[i], e.msg);
		memset(&e, 0, sizeof(e));
		ok(codec_decompress(bad[i], "abc", 3, 3, 3, &z, &e) == -1 &&
		    e.kind == ERR_UNSUPPORTED && z.len == 0,
		    "decompress with %d refused (%s)", (int)bad[i], e.msg);
	}
	buf_release(&z);
}

/* An output buffer whose cap the result passes: -1, nothing added. */
static void
test_out_cap(void)
{
	unsigned char	*src = make(1000, false);
	struct buf	 z, small;
	struct err	 e;
	size_t		 i;

	buf_init(&z, BIG);
	for (i = 0; i < NELEM(codecs); i++) {
		buf_init(&small, 5);
		buf_add(&small, "x", 1);
		ok(codec_compress(codecs[i], 0, src, 1000, &small, &e) == -1 &&
		    small.len == 1 && small.overflow,
		    "%s: compress past the cap refused",
		    codec_name(codecs[i]));
		buf_reset(&z);
		codec_compress(codecs[i], 0, src, 1000, &z, &e);
		buf_reset(&small);
		buf_add(&small, "x", 1);
		ok(unz(codecs[i], z.data, z.len, 1000, 1000, &small, &e) ==
		    -1 && small.len == 1 && small.overflow,
		    "%s: decompress past the cap refused",
		    codec_name(codecs[i]));
		buf_release(&small);
	}
	free(src);
	buf_release(&z);
}

int
main(void)
{
	test_names();
	test_round_trips();
	test_levels();
	test_sizes();
	test_truncated();
	test_corrupt();
	test_bombs();
	test_unsupported();
	test_out_cap();
	return done_testing();
}
