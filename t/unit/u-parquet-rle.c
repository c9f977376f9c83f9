/*
 * u-parquet-rle.c: unit tests for src/parquet_rle.c, the RLE/bit-packed
 * hybrid encoding of Parquet levels and dictionary indices.
 *
 * The fixed byte strings were worked out by hand from the Parquet
 * specification (Encodings.md; 0..7 in 3 bits is its own example), not
 * by running the code under test.  Round trips cover every bit width
 * 0..32 at lengths 0, 1, 7, 8, 9 and 1000 with random values, mixed
 * runs and all-maximum values.  The hostile inputs are hand-built; each
 * is decoded from a heap copy of exactly its length, into an array of
 * exactly the values asked for, so valgrind or ASan would see any read
 * or write outside them.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "parquet_rle.h"
#include "tap.h"
#include "xmalloc.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define BIG		((size_t)1 << 24)	/* buf caps */

static uint64_t	 rng = 0x9e3779b97f4a7c15ULL;

static uint32_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

/* Decode len bytes of s from an exact heap copy into n exact slots. */
static int
dec(const char *s, size_t len, int bw, size_t n, uint32_t *want,
    size_t *used, struct err *e)
{
	unsigned char	*in = xmalloc(len);
	uint32_t	*out = xcalloc(n, sizeof(*out));
	int		 rc;

	if (len > 0)
		memcpy(in, s, len);
	rc = parquet_rle_decode(in, len, bw, out, n, used, e);
	if (want != NULL && rc == 0)
		memcpy(want, out, n * sizeof(*out));
	free(in);
	free(out);
	return rc;
}

static void
test_bit_width(void)
{
	static const struct {
		uint32_t	 max;
		int		 want;
	} cases[] = {
		{ 0, 0 }, { 1, 1 }, { 2, 2 }, { 3, 2 }, { 4, 3 }, { 7, 3 },
		{ 8, 4 }, { 255, 8 }, { 256, 9 }, { 65535, 16 },
		{ 0x80000000u, 32 }, { UINT32_MAX, 32 },
	};
	size_t	 i;

	for (i = 0; i < NELEM(cases); i++)
		is_int(parquet_rle_bit_width(cases[i].max), cases[i].want,
		    "bit_width(%u)", cases[i].max);
}

/* Encodings worked out by hand, and their decoding. */
static void
test_known(void)
{
	static const uint32_t	 v0_7[] = { 0, 1, 2, 3, 4, 5, 6, 7 };
	static const uint32_t	 v8x5[] = { 5, 5, 5, 5, 5, 5, 5, 5 };
	static const uint32_t	 vlit[] = { 1, 2, 3, 4, 4, 4, 4, 4, 4, 4,
	    4, 4, 4, 4, 4, 4 };
	static const uint32_t	 vz10[10], vz3[3];
	static const uint32_t	 v2x[] = { 1, 0, 3 };
	static uint32_t		 v300[300];
	static const struct {
		const char	*name;
		const uint32_t	*v;
		size_t		 n;
		int		 bw;
		const char	*enc;
		size_t		 enclen;
	} cases[] = {
		{ "spec example 0..7 in 3 bits", v0_7, 8, 3,
		    "\x03\x88\xc6\xfa", 4 },
		{ "8 equal values: one RLE run", v8x5, 8, 3, "\x10\x05", 2 },
		{ "3 literals lend 5 from the run", vlit, 16, 3,
		    "\x03\xd1\x48\x92\x10\x04", 6 },
		{ "width 0, 10 values: RLE, no value bytes", vz10, 10, 0,
		    "\x14", 1 },
		{ "width 0, 3 values: one empty group", vz3, 3, 0, "\x03", 1 },
		{ "3 values padded to a group", v2x, 3, 2, "\x03\x31\x00", 3 },
		{ "300 x 0x1234 in 16 bits: 2-byte header and value", v300,
		    300, 16, "\xd8\x04\x34\x12", 4 },
	};
	struct buf	 b;
	struct err	 e;
	uint32_t	 got[300];
	size_t		 i, used;

	for (i = 0; i < NELEM(v300); i++)
		v300[i] = 0x1234;
	buf_init(&b, BIG);
	for (i = 0; i < NELEM(cases); i++) {
		buf_reset(&b);
		is_int(parquet_rle_encode(&b, cases[i].v, cases[i].n,
		    cases[i].bw), 0, "encode %s: rc", cases[i].name);
		is_mem(b.data, b.len, cases[i].enc, cases[i].enclen,
		    "encode %s: bytes", cases[i].name);
		used = 0;
		is_int(dec(cases[i].enc, cases[i].enclen, cases[i].bw,
		    cases[i].n, got, &used, &e), 0, "decode %s",
		    cases[i].name);
		ok(memcmp(got, cases[i].v, cases[i].n * sizeof(*got)) == 0 &&
		    used == cases[i].enclen, "decode %s: values, used",
		    cases[i].name);
	}
	buf_release(&b);
}

/* Levels of a data page v1: a 4-byte length first. */
static void
test_levels(void)
{
	static const uint8_t	 lv[] = { 1, 1, 1, 1, 1, 1, 1, 1, 0 };
	static const uint8_t	 lv3[] = { 3, 0, 2 };
	struct buf		 b;
	struct err		 e;
	uint32_t		 got[9];
	size_t			 i, used;
	bool			 same;

	buf_init(&b, BIG);
	is_int(parquet_rle_encode_levels(&b, lv, NELEM(lv), 1), 0,
	    "levels: encode");
	is_mem(b.data, b.len, "\x04\x00\x00\x00\x10\x01\x03\x00", 8,
	    "levels: length, RLE run, one group");
	is_int(parquet_rle_decode_levels(b.data, b.len, 1, got, NELEM(lv),
	    &used, &e), 0, "levels: decode");
	for (same = true, i = 0; i < NELEM(lv); i++)
		same = same && got[i] == lv[i];
	ok(same && used == 8, "levels: values and bytes used");
	/* Bytes after the levels (the values of the page) are not read. */
	buf_add(&b, "\xff\xff", 2);
	is_int(parquet_rle_decode_levels(b.data, b.len, 1, got, NELEM(lv),
	    &used, &e), 0, "levels: followed by values");
	is_int(used, 8, "levels: used stops at the levels");

	buf_reset(&b);
	is_int(parquet_rle_encode_levels(&b, lv, NELEM(lv), 0), 0,
	    "levels: max 0 encodes");
	is_int(b.len, 0, "levels: max 0 writes nothing");
	got[0] = 7;
	is_int(parquet_rle_decode_levels("", 0, 0, got, 3, &used, &e), 0,
	    "levels: max 0 decodes");
	ok(got[0] == 0 && got[2] == 0 && used == 0,
	    "levels: max 0 gives zeros, reads nothing");

	/* Level 3 fits the 2 bits of max 2 but is above it. */
	buf_reset(&b);
	parquet_rle_encode_levels(&b, lv3, NELEM(lv3), 3);
	is_int(parquet_rle_decode_levels(b.data, b.len, 3, got, 3, &used,
	    &e), 0, "levels: 3, 0, 2 with max 3");
	is_int(parquet_rle_decode_levels(b.data, b.len, 2, got, 3, &used,
	    &e), -1, "levels: 3 with max 2 is refused");
	buf_release(&b);
}

enum pattern { RANDOM, RUNS, ALLMAX };

static void
fill(uint32_t *v, size_t n, int bw, enum pattern p)
{
	uint32_t	 mask = bw == 32 ? UINT32_MAX :
			    ((uint32_t)1 << bw) - 1, val = 0;
	size_t		 i, left = 0;

	for (i = 0; i < n; i++) {
		switch (p) {
		case RANDOM:
			v[i] = rnd() & mask;
			break;
		case RUNS:
			if (left == 0) {
				left = 1 + rnd() % 20;
				val = rnd() & mask;
			}
			left--;
			v[i] = val;
			break;
		case ALLMAX:
			v[i] = mask;
			break;
		}
	}
}

/*
 * One round trip of n values: encode, decode, compare, and with bw <= 8
 * check that the byte encoder gives the same bytes.  *same8 is cleared
 * if it does not.
 */
static bool
round_trip(size_t n, int bw, enum pattern p, bool *same8)
{
	uint32_t	*v = xcalloc(n, sizeof(*v)), *got = xcalloc(n, 4);
	uint8_t		*v8 = xcalloc(n, 1);
	struct buf	 b, b8;
	struct err	 e;
	size_t		 i, used = 0;
	bool		 good;

	buf_init(&b, BIG);
	buf_init(&b8, BIG);
	fill(v, n, bw, p);
	good = parquet_rle_encode(&b, v, n, bw) == 0 &&
	    parquet_rle_decode(b.data, b.len, bw, got, n, &used, &e) == 0 &&
	    used == b.len && memcmp(v, got, n * sizeof(*v)) == 0;
	if (bw <= 8) {
		for (i = 0; i < n; i++)
			v8[i] = (uint8_t)v[i];
		parquet_rle_encode_u8(&b8, v8, n, bw);
		if (b8.len != b.len ||
		    (b.len > 0 && memcmp(b8.data, b.data, b.len) != 0))
			*same8 = false;
	}
	buf_release(&b);
	buf_release(&b8);
	free(v);
	free(got);
	free(v8);
	return good;
}

static void
test_round_trips(void)
{
	static const size_t	 lens[] = { 0, 1, 7, 8, 9, 1000 };
	static const char	*pname[] = { "random", "mixed runs",
	    "all max" };
	size_t			 k;
	int			 bw, p;
	bool			 good, same8;

	for (bw = 0; bw <= 32; bw++) {
		for (p = RANDOM; p <= ALLMAX; p++) {
			good = same8 = true;
			for (k = 0; k < NELEM(lens); k++) {
				if (round_trip(lens[k], bw, (enum pattern)p,
				    &same8))
					continue;
				if (good)
					diag("width %d, %s, %zu values", bw,
					    pname[p], lens[k]);
				good = false;
			}
			ok(good, "round trip: width %d, %s", bw, pname[p]);
			if (bw <= 8)
				ok(same8, "encode_u8 = encode: width %d, %s",
				    bw, pname[p]);
		}
	}
}

/* Streams that must be refused, each for the reason its name gives. */
static void
test_hostile(void)
{
	static const struct {
		const char	*name;
		const char	*in;
		size_t		 len;
		int		 bw;
		size_t		 n;
	} cases[] = {
		{ "width 33", "\x10\x01", 2, 33, 8 },
		{ "width -1", "\x10\x01", 2, -1, 8 },
		{ "empty input", "", 0, 1, 1 },
		{ "input ends after a run", "\x10\x01", 2, 1, 9 },
		{ "empty RLE run", "\x00\x01", 2, 1, 1 },
		{ "empty bit-packed run", "\x01", 1, 1, 1 },
		{ "RLE run longer than wanted", "\x10\x01", 2, 1, 4 },
		{ "RLE run of 2^31 values", "\x80\x80\x80\x80\x10\x01", 6, 1,
		    8 },
		{ "RLE value missing", "\x10", 1, 1, 8 },
		{ "RLE value cut short", "\x10\x34", 2, 16, 8 },
		{ "RLE value wider than 1 bit", "\x10\x02", 2, 1, 8 },
		{ "RLE value wider than 9 bits", "\x10\x00\x02", 3, 9, 8 },
		{ "2 groups, 8 values wanted",
		    "\x05\x00\x00\x00\x00\x00\x00", 7, 3, 8 },
		{ "2^60 groups", "\x81\x80\x80\x80\x80\x80\x80\x80\x20", 9, 1,
		    8 },
		{ "bit-packed values cut short", "\x03\x88\xc6", 3, 3, 8 },
		{ "bit-packed run with no bytes", "\x03", 1, 8, 1 },
		{ "header never ends", "\x80\x80", 2, 1, 1 },
		{ "header of 11 bytes",
		    "\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x01", 11, 1, 1 },
		{ "header over 64 bits",
		    "\x80\x80\x80\x80\x80\x80\x80\x80\x80\x02", 10, 1, 1 },
	};
	struct err	 e;
	size_t		 i;

	for (i = 0; i < NELEM(cases); i++) {
		memset(&e, 0, sizeof(e));
		is_int(dec(cases[i].in, cases[i].len, cases[i].bw,
		    cases[i].n, NULL, NULL, &e), -1, "refused: %s",
		    cases[i].name);
		ok(e.kind == ERR_INTERNAL && e.msg[0] != '\0',
		    "refused: %s: error recorded (%s)", cases[i].name, e.msg);
	}
}

/* What a tolerant reader accepts, and what it consumes. */
static void
test_edges(void)
{
	static const char	 pad[] = "\x03\x01\x02\x03\x00\x00\x00\x00\x00";
	static const char	 mixed[] = "\x03\x88\xc6\xfa\x10\x05";
	uint32_t		 got[16];
	struct err		 e;
	size_t			 used;

	is_int(dec(pad, 9, 8, 3, got, &used, &e), 0,
	    "3 of a padded group");
	ok(got[0] == 1 && got[1] == 2 && got[2] == 3 && used == 9,
	    "3 of a padded group: values, whole group used");
	is_int(dec(pad, 4, 8, 3, got, &used, &e), 0,
	    "padding cut off after the last value");
	is_int(used, 4, "padding cut off: used is what there was");
	is_int(dec(pad, 3, 8, 3, got, &used, &e), -1,
	    "cut into the last value");
	is_int(dec(mixed, 6, 3, 16, got, &used, &e), 0,
	    "bit-packed then RLE");
	ok(got[7] == 7 && got[8] == 5 && got[15] == 5 && used == 6,
	    "bit-packed then RLE: values");
	is_int(dec(mixed, 6, 3, 8, got, &used, &e), 0,
	    "stop after the values wanted");
	is_int(used, 4, "stop after the values wanted: used");
	is_int(dec("", 0, 5, 0, got, &used, &e), 0, "no values wanted");
	is_int(used, 0, "no values wanted: nothing read");
	is_int(dec("\x02\xff\xff\xff\xff", 5, 32, 1, got, &used, &e), 0,
	    "width 32, UINT32_MAX");
	ok(got[0] == UINT32_MAX && used == 5, "width 32: value, used");
}

/* Hostile level headers. */
static void
test_levels_hostile(void)
{
	static const struct {
		const char	*name;
		const char	*in;
		size_t		 len;
		int		 max;
	} cases[] = {
		{ "no length", "\x02\x00", 2, 1 },
		{ "length past the end", "\x03\x00\x00\x00\x10\x01", 6, 1 },
		{ "length 4 GiB - 1", "\xff\xff\xff\xff\x10\x01", 6, 1 },
		{ "runs past the length", "\x01\x00\x00\x00\x10\x01", 6, 1 },
		{ "negative max", "\x02\x00\x00\x00\x10\x01", 6, -1 },
	};
	struct err	 e;
	uint32_t	 got[8];
	size_t		 i, used;

	for (i = 0; i < NELEM(cases); i++)
		is_int(parquet_rle_decode_levels(cases[i].in, cases[i].len,
		    cases[i].max, got, 8, &used, &e), -1, "levels refused: %s",
		    cases[i].name);
}

/* An encoder over its buf's cap says so. */
static void
test_encode_cap(void)
{
	uint32_t	 v[64];
	struct buf	 b;
	size_t		 i;

	for (i = 0; i < NELEM(v); i++)
		v[i] = (uint32_t)i;
	buf_init(&b, 16);
	is_int(parquet_rle_encode(&b, v, NELEM(v), 6), -1,
	    "encode past the cap: -1");
	ok(b.overflow && b.len <= 16, "encode past the cap: overflow set");
	buf_release(&b);
}

int
main(void)
{
	test_bit_width();
	test_known();
	test_levels();
	test_round_trips();
	test_hostile();
	test_edges();
	test_levels_hostile();
	test_encode_cap();
	return done_testing();
}
