/*
 * u-thrift.c: unit tests for the Thrift compact protocol decoder of
 * src/thrift.c (thrift_dec_*), and its agreement with the encoder.
 *
 * Fixed byte strings were worked out by hand from the compact protocol
 * specification (field header = delta << 4 | type, zigzag varints, list
 * header = size << 4 | type); round trips encode with thrift_enc_* and
 * decode again.  Hostile inputs are decoded from heap copies of exactly
 * their length, so valgrind or ASan sees any read past them.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "tap.h"
#include "thrift.h"
#include "xmalloc.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* Decode one i32 field 1 from s; returns its value or INT64_MIN. */
static int64_t
one_i32(const char *s, size_t len)
{
	struct thrift_dec	 d;
	enum thrift_type	 t;
	struct err		 e;
	unsigned char		*p = xmalloc(len + 1);
	int16_t			 id;
	int32_t			 v;
	int64_t			 out = INT64_MIN;

	memcpy(p, s, len);
	thrift_dec_init(&d, p, len, &e);
	if (thrift_dec_struct_begin(&d, THRIFT_T_STRUCT) == 0 &&
	    thrift_dec_field(&d, &id, &t) == 1 && id == 1 &&
	    thrift_dec_i32(&d, t, &v) == 0)
		out = v;
	free(p);
	return out;
}

static void
test_known(void)
{
	static const struct {
		const char	*name;
		const char	*in;
		size_t		 len;
		int64_t		 want;
	} cases[] = {
		{ "zero", "\x15\x00\x00", 3, 0 },
		{ "one is zigzag 2", "\x15\x02\x00", 3, 1 },
		{ "minus one is zigzag 1", "\x15\x01\x00", 3, -1 },
		{ "150 in two bytes", "\x15\xac\x02\x00", 4, 150 },
		{ "INT32_MAX", "\x15\xfe\xff\xff\xff\x0f\x00", 7, INT32_MAX },
		{ "INT32_MIN", "\x15\xff\xff\xff\xff\x0f\x00", 7, INT32_MIN },
		{ "i8 field", "\x13\xff\x00", 3, -1 },
		{ "i16 field", "\x14\x04\x00", 3, 2 },
		{ "long-form header", "\x05\x02\x0a\x00", 4, 5 },
		{ "over INT32_MAX", "\x15\x80\x80\x80\x80\x10\x00", 7,
		    INT64_MIN },
		{ "i64 type refused", "\x16\x02\x00", 3, INT64_MIN },
		{ "truncated varint", "\x15\x80", 2, INT64_MIN },
		{ "11-byte varint", "\x15\x80\x80\x80\x80\x80\x80\x80\x80\x80"
		    "\x80\x01", 12, INT64_MIN },
		{ "empty", "", 0, INT64_MIN },
		{ "binary type refused", "\x18\x01\x41\x00", 4, INT64_MIN },
	};
	size_t	 i;

	for (i = 0; i < NELEM(cases); i++)
		is_int(one_i32(cases[i].in, cases[i].len), cases[i].want,
		    "i32 field: %s", cases[i].name);
}

/* Encode a struct with every type, then decode it field by field. */
static void
test_round_trip(void)
{
	static const unsigned char	 blob[] = { 0, 1, 2, 0xff };
	struct thrift_enc		 e;
	struct thrift_dec		 d;
	enum thrift_type		 t, et;
	struct buf			 b;
	struct err			 err;
	const unsigned char		*p;
	int16_t				 id;
	int32_t				 v32;
	int64_t				 v64;
	double				 dbl;
	size_t				 n, len, i;
	bool				 bv, ok = true;

	buf_init(&b, 0);
	thrift_enc_init(&e, &b);
	thrift_enc_struct_begin(&e);
	thrift_enc_field_bool(&e, 1, true);
	thrift_enc_field_bool(&e, 2, false);
	thrift_enc_field_i8(&e, 3, -5);
	thrift_enc_field_i16(&e, 4, -300);
	thrift_enc_field_i32(&e, 5, INT32_MIN);
	thrift_enc_field_i64(&e, 6, INT64_MIN);
	thrift_enc_field_double(&e, 7, -0.5);
	thrift_enc_field_binary(&e, 8, blob, sizeof(blob));
	thrift_enc_field_list(&e, 9, THRIFT_T_I64, 20);
	for (i = 0; i < 20; i++)
		thrift_enc_i64(&e, (int64_t)i * -1000000007);
	thrift_enc_field_struct(&e, 40);	/* a jump of more than 15 */
	thrift_enc_field_string(&e, 1, "inner");
	thrift_enc_struct_end(&e);
	thrift_enc_field_i32(&e, 41, 7);
	thrift_enc_struct_end(&e);
	ok(thrift_enc_finish(&e) == 0, "round trip: encoded");

	thrift_dec_init(&d, b.data, b.len, &err);
	ok(thrift_dec_struct_begin(&d, THRIFT_T_STRUCT) == 0, "begin");
	ok(thrift_dec_field(&d, &id, &t) == 1 && id == 1 &&
	    thrift_dec_bool(&d, t, &bv) == 0 && bv, "bool true");
	ok(thrift_dec_field(&d, &id, &t) == 1 && id == 2 &&
	    thrift_dec_bool(&d, t, &bv) == 0 && !bv, "bool false");
	ok(thrift_dec_field(&d, &id, &t) == 1 && id == 3 &&
	    thrift_dec_i32(&d, t, &v32) == 0 && v32 == -5, "i8");
	ok(thrift_dec_field(&d, &id, &t) == 1 && id == 4 &&
	    thrift_dec_i32(&d, t, &v32) == 0 && v32 == -300, "i16");
	ok(thrift_dec_field(&d, &id, &t) == 1 && id == 5 &&
	    thrift_dec_i32(&d, t, &v32) == 0 && v32 == INT32_MIN, "i32");
	ok(thrift_dec_field(&d, &id, &t) == 1 && id == 6 &&
	    thrift_dec_i64(&d, t, &v64) == 0 && v64 == INT64_MIN, "i64");
	ok(thrift_dec_field(&d, &id, &t) == 1 && id == 7 &&
	    thrift_dec_double(&d, t, &dbl) == 0 && dbl == -0.5, "double");
	ok(thrift_dec_field(&d, &id, &t) == 1 && id == 8 &&
	    thrift_dec_binary(&d, t, &p, &len) == 0 && len == sizeof(blob) &&
	    memcmp(p, blob, len) == 0, "binary, not copied");
	ok(thrift_dec_field(&d, &id, &t) == 1 && id == 9 &&
	    thrift_dec_list(&d, t, &et, &n) == 0 && et == THRIFT_T_I64 &&
	    n == 20, "list header of 20 (long form)");
	for (i = 0; i < n; i++)
		if (thrift_dec_i64(&d, et, &v64) == -1 ||
		    v64 != (int64_t)i * -1000000007)
			ok = false;
	ok(ok, "list elements");
	ok(thrift_dec_field(&d, &id, &t) == 1 && id == 40 &&
	    t == THRIFT_T_STRUCT, "field id 40 after 9");
	ok(thrift_dec_skip(&d, t) == 0, "nested struct skipped");
	ok(thrift_dec_field(&d, &id, &t) == 1 && id == 41 &&
	    thrift_dec_i32(&d, t, &v32) == 0 && v32 == 7,
	    "field after the skipped struct, delta from 40");
	is_int(thrift_dec_field(&d, &id, &t), 0, "stop");
	is_int(thrift_dec_pos(&d), b.len, "all bytes consumed");

	/* The same bytes skipped whole. */
	thrift_dec_init(&d, b.data, b.len, &err);
	ok(thrift_dec_skip(&d, THRIFT_T_STRUCT) == 0 &&
	    thrift_dec_pos(&d) == b.len, "whole struct skipped");
	buf_release(&b);
}

/* Decode s (exact heap copy) as a struct of skipped fields. */
static int
skip_all(const char *s, size_t len, bool *truncated, struct err *e)
{
	struct thrift_dec	 d;
	unsigned char		*p = xmalloc(len + 1);
	int			 rc;

	memcpy(p, s, len);
	thrift_dec_init(&d, p, len, e);
	rc = thrift_dec_skip(&d, THRIFT_T_STRUCT);
	*truncated = d.truncated;
	free(p);
	return rc;
}

static void
test_hostile(void)
{
	static const struct {
		const char	*name;
		const char	*in;
		size_t		 len;
		int		 rc;
		bool		 truncated;
	} cases[] = {
		{ "empty struct", "\x00", 1, 0, false },
		{ "no stop byte", "", 0, -1, true },
		{ "list of 2^31 i32", "\x19\xf5\x80\x80\x80\x80\x08\x00", 8,
		    -1, true },
		{ "list of 3 with 2 bytes", "\x19\x35\x02\x02", 4, -1, true },
		{ "binary longer than input", "\x18\x05" "abc", 5, -1, true },
		{ "binary of 2^63", "\x18\x80\x80\x80\x80\x80\x80\x80\x80\x80"
		    "\x01", 11, -1, true },
		{ "field type 13", "\x1d\x00", 2, -1, false },
		{ "list element type 0", "\x19\x10\x00", 3, -1, false },
		{ "map of 2^40 pairs", "\x1b\x80\x80\x80\x80\x80\x20\x55\x00",
		    9, -1, true },
		{ "map of 2 i32 pairs", "\x1b\x02\x55\x02\x04\x06\x08\x00", 8,
		    0, false },
		{ "empty map", "\x1b\x00\x00", 3, 0, false },
		{ "bool list", "\x19\x31\x01\x02\x01\x00", 6, 0, false },
		{ "bad bool list element", "\x19\x11\x07\x00", 4, -1, false },
		{ "double cut short", "\x17\x00\x00\x00", 4, -1, true },
		{ "field id 32768", "\x05\x80\x80\x04\x00\x00", 6, -1,
		    false },
	};
	struct err	 e;
	bool		 truncated;
	size_t		 i;
	int		 rc;

	for (i = 0; i < NELEM(cases); i++) {
		err_clear(&e);
		rc = skip_all(cases[i].in, cases[i].len, &truncated, &e);
		is_int(rc, cases[i].rc, "hostile: %s", cases[i].name);
		if (rc == -1) {
			ok(e.msg[0] != '\0' && e.kind == ERR_INTERNAL,
			    "hostile: %s: message '%s'", cases[i].name, e.msg);
			is_int(truncated, cases[i].truncated,
			    "hostile: %s: truncated flag", cases[i].name);
		}
	}
}

/* Structs nested past THRIFT_MAX_DEPTH are refused, not recursed into. */
static void
test_depth(void)
{
	struct buf	 b;
	struct err	 e;
	bool		 truncated;
	int		 i, depth;

	for (depth = THRIFT_MAX_DEPTH - 1; depth <= THRIFT_MAX_DEPTH + 1;
	    depth++) {
		buf_init(&b, 0);
		for (i = 0; i < depth; i++)
			buf_addc(&b, 0x1c);	/* field 1, a struct */
		for (i = 0; i <= depth; i++)
			buf_addc(&b, 0x00);
		err_clear(&e);
		is_int(skip_all(b.data, b.len, &truncated, &e),
		    depth < THRIFT_MAX_DEPTH ? 0 : -1,
		    "%d nested structs under the top", depth);
		buf_release(&b);
	}
	/* Lists of lists nest too. */
	buf_init(&b, 0);
	buf_addc(&b, 0x19);
	for (i = 0; i < 100; i++)
		buf_addc(&b, 0x19);	/* a list of one list... */
	err_clear(&e);
	is_int(skip_all(b.data, b.len, &truncated, &e), -1,
	    "100 nested lists refused");
	buf_release(&b);
}

/* Every prefix of a valid struct fails cleanly with truncated set. */
static void
test_prefixes(void)
{
	struct thrift_enc	 enc;
	struct buf		 b;
	struct err		 e;
	size_t			 n;
	bool			 truncated, all = true;

	buf_init(&b, 0);
	thrift_enc_init(&enc, &b);
	thrift_enc_struct_begin(&enc);
	thrift_enc_field_i64(&enc, 1, INT64_MAX);
	thrift_enc_field_string(&enc, 2, "hello");
	thrift_enc_field_list(&enc, 3, THRIFT_T_STRUCT, 2);
	thrift_enc_struct_begin(&enc);
	thrift_enc_field_double(&enc, 1, 1.5);
	thrift_enc_struct_end(&enc);
	thrift_enc_struct_begin(&enc);
	thrift_enc_struct_end(&enc);
	thrift_enc_struct_end(&enc);
	for (n = 0; n < b.len; n++) {
		err_clear(&e);
		if (skip_all(b.data, n, &truncated, &e) != -1 || !truncated)
			all = false;
	}
	ok(all, "all %zu prefixes fail as truncated", b.len);
	err_clear(&e);
	ok(skip_all(b.data, b.len, &truncated, &e) == 0, "whole decodes");
	buf_release(&b);
}

/* A binary cap refuses longer strings. */
static void
test_binary_cap(void)
{
	static const char	 s[] = "\x18\x05hello\x00";
	struct thrift_dec	 d;
	struct err		 e;

	thrift_dec_init(&d, s, sizeof(s) - 1, &e);
	d.max_binary = 4;
	is_int(thrift_dec_skip(&d, THRIFT_T_STRUCT), -1, "binary over cap");
	thrift_dec_init(&d, s, sizeof(s) - 1, &e);
	d.max_binary = 5;
	is_int(thrift_dec_skip(&d, THRIFT_T_STRUCT), 0, "binary at cap");
}

int
main(void)
{
	test_known();
	test_round_trip();
	test_hostile();
	test_depth();
	test_prefixes();
	test_binary_cap();
	return done_testing();
}
