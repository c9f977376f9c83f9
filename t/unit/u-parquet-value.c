/*
 * u-parquet-value.c: unit tests for src/parquet_value.c, the text and
 * JSON forms of values read from Parquet: numbers as JavaScript and Java
 * print them, exact decimals up to 38 digits and beyond, dates and
 * timestamps in every unit and before the epoch, partition-value
 * strings, and structs in the three styles.
 *
 * Expected strings come from the Delta corpus where it has them (the
 * partition values of data-reader-partition-values, the stats of
 * delta-1.2.1-only-struct-stats), from what JavaScript's
 * Number.prototype.toString and Java's Double.toString print (checked
 * by hand against their specifications), and from python3's datetime
 * and int.to_bytes for dates and two's complement bytes.
 */
#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "jsonw.h"
#include "parquet_meta.h"
#include "parquet_value.h"
#include "tap.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* --- values ----------------------------------------------------------- */

static char *
render(const struct parquet_value *v, enum parquet_value_style style)
{
	struct jsonw	 w;
	struct buf	 b;

	buf_init(&b, 0);
	jsonw_init(&w, &b);
	parquet_value_json(&w, v, style);
	return buf_detach(&b);
}

static void
test_numbers(void)
{
	static const struct {
		double		 d;
		bool		 is_float;
		const char	*delta, *partition, *canon;
	} cases[] = {
		{ 0.0, false, "0", "0.0", "0" },
		{ 1.0, false, "1", "1.0", "1" },
		{ -2.5, false, "-2.5", "-2.5", "-2.5" },
		{ 0.1, false, "0.1", "0.1", "0.1" },
		{ 1e-7, false, "1e-7", "1.0E-7", "1e-7" },
		{ 0.001, false, "0.001", "0.001", "0.001" },
		{ 0.0001, false, "0.0001", "1.0E-4", "0.0001" },
		{ 1234567.0, false, "1234567", "1234567.0", "1234567" },
		{ 12345678.0, false, "12345678", "1.2345678E7", "12345678" },
		{ 1e21, false, "1e+21", "1.0E21", "1e+21" },
		{ 123456789012345678.0, false, "123456789012345680",
		    "1.2345678901234568E17", "123456789012345680" },
		{ 0.30000000000000004, false, "0.30000000000000004",
		    "0.30000000000000004", "0.3" },
		{ 0.1f, true, "0.1", "0.1", "0.100000001490116" },
		{ 30.888f, true, "30.888", "30.888", "30.8880004882813" },
		{ 3.4028234663852886e38, true, "3.4028235e+38",
		    "3.4028235E38", "3.4028234663852886e+38" },
		{ NAN, false, "\"NaN\"", "NaN", "\"NaN\"" },
		{ INFINITY, false, "\"Infinity\"", "Infinity", "\"Infinity\"" },
		{ -INFINITY, true, "\"-Infinity\"", "-Infinity",
		    "\"-Infinity\"" },
	};
	struct parquet_meta_node	 n;
	struct parquet_value		 v;
	struct buf			 b;
	char				*s;
	size_t				 i;

	memset(&n, 0, sizeof(n));
	n.name = "x";
	v.node = &n;
	buf_init(&b, 0);
	for (i = 0; i < NELEM(cases); i++) {
		v.kind = cases[i].is_float ? PARQUET_VALUE_FLOAT :
		    PARQUET_VALUE_DOUBLE;
		if (cases[i].is_float)
			v.u.f = (float)cases[i].d;
		else
			v.u.d = cases[i].d;
		s = render(&v, PARQUET_VALUE_DELTA);
		is_str(s, cases[i].delta, "number %s: delta", cases[i].delta);
		free(s);
		s = render(&v, PARQUET_VALUE_CANON);
		is_str(s, cases[i].canon, "number %s: canon", cases[i].delta);
		free(s);
		buf_reset(&b);
		parquet_value_partition(&v, &b);
		is_str(buf_str(&b), cases[i].partition, "number %s: partition",
		    cases[i].delta);
	}
	buf_release(&b);
}

static void
test_decimals(void)
{
	static const struct {
		const char	*be;
		size_t		 n;
		int		 scale;
		const char	*want;
	} cases[] = {
		{ "\xff\xfd\x70\x88", 4, 5, "-1.67800" },
		{ "\x00", 1, 2, "0.00" },
		{ "", 0, 0, "0" },
		{ "\x01", 1, 3, "0.001" },
		/* basic-decimal-table's partition values, decimal(12,5) */
		{ "\x04", 1, 5, "0.00004" },
		{ "\x01\x64\xa0", 3, 5, "0.91296" },
		{ "\xc9\x76\x8d\x64\xc1", 5, 5, "-2342342.23423" },
		{ "\xff", 1, 0, "-1" },
		{ "\x80", 1, 1, "-12.8" },
		{ "\x7f\xff\xff\xff\xff\xff\xff\xff", 8, 0,
		    "9223372036854775807" },
		{ "\x80\x00\x00\x00\x00\x00\x00\x00", 8, 4,
		    "-922337203685477.5808" },
		/* 10^38 - 1, the largest DECIMAL(38). */
		{ "\x4b\x3b\x4c\xa8\x5a\x86\xc4\x7a\x09\x8a\x22\x3f\xff\xff"
		    "\xff\xff", 16, 6,
		    "99999999999999999999999999999999.999999" },
		{ "\xb4\xc4\xb3\x57\xa5\x79\x3b\x85\xf6\x75\xdd\xc0\x00\x00"
		    "\x00\x01", 16, 38,
		    "-0.99999999999999999999999999999999999999" },
		{ "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
		    "\x00\x00\x00\x01\x00", 19, 0, "256" },
	};
	struct buf	 b;
	size_t		 i;

	buf_init(&b, 0);
	for (i = 0; i < NELEM(cases); i++) {
		buf_reset(&b);
		ok(parquet_value_decimal_text((const unsigned char *)
		    cases[i].be, cases[i].n, cases[i].scale, &b) == 0 &&
		    strcmp(buf_str(&b), cases[i].want) == 0,
		    "decimal %s: got %s", cases[i].want, buf_str(&b));
	}
	ok(parquet_value_decimal_text((const unsigned char *)"", 200, 0,
	    &b) == -1, "decimal of 200 bytes refused");
	buf_release(&b);
}

static void
test_times(void)
{
	static const struct {
		int64_t		 v;
		enum parquet_meta_unit unit;
		bool		 utc;
		const char	*delta, *partition, *canon;
	} cases[] = {
		{ INT64_C(1630062671000000), PARQUET_MICROS, true,
		    "\"2021-08-27T11:11:11.000Z\"", "2021-08-27 11:11:11",
		    "\"2021-08-27T11:11:11.000000Z\"" },
		{ INT64_C(1373043660123456), PARQUET_MICROS, false,
		    "\"2013-07-05T17:01:00.123\"", "2013-07-05 17:01:00.123456",
		    "\"2013-07-05T17:01:00.123456Z\"" },
		{ INT64_C(1373043660100), PARQUET_MILLIS, true,
		    "\"2013-07-05T17:01:00.100Z\"", "2013-07-05 17:01:00.1",
		    "\"2013-07-05T17:01:00.100Z\"" },
		{ -1, PARQUET_MICROS, true, "\"1969-12-31T23:59:59.999Z\"",
		    "1969-12-31 23:59:59.999999",
		    "\"1969-12-31T23:59:59.999999Z\"" },
		{ INT64_C(1000000000001), PARQUET_NANOS, true,
		    "\"1970-01-01T00:16:40.000Z\"", "1970-01-01 00:16:40",
		    "\"1970-01-01T00:16:40.000000001Z\"" },
		{ INT64_MIN, PARQUET_NANOS, true,
		    "\"1677-09-21T00:12:43.145Z\"",
		    "1677-09-21 00:12:43.145224",
		    "\"1677-09-21T00:12:43.145224192Z\"" },
		{ INT64_C(-62135596800000000), PARQUET_MICROS, true,
		    "\"0001-01-01T00:00:00.000Z\"", "0001-01-01 00:00:00",
		    "\"0001-01-01T00:00:00.000000Z\"" },
	};
	static const struct {
		int64_t		 days;
		const char	*want;
	} dates[] = {
		{ 0, "1970-01-01" }, { -1, "1969-12-31" },
		{ 18878, "2021-09-08" }, { 11016, "2000-02-29" },
		{ -719162, "0001-01-01" }, { 2932896, "9999-12-31" },
		{ -719163, "0000-12-31" }, { -719529, "-0001-12-31" },
	};
	struct parquet_meta_node	 n;
	struct parquet_value		 v;
	struct buf			 b;
	char				*s;
	size_t				 i;

	memset(&n, 0, sizeof(n));
	n.name = "t";
	n.logical = PARQUET_LT_TIMESTAMP;
	v.node = &n;
	v.kind = PARQUET_VALUE_INT64;
	buf_init(&b, 0);
	for (i = 0; i < NELEM(cases); i++) {
		n.unit = cases[i].unit;
		n.utc = cases[i].utc;
		v.u.i64 = cases[i].v;
		s = render(&v, PARQUET_VALUE_DELTA);
		is_str(s, cases[i].delta, "timestamp %s: delta",
		    cases[i].partition);
		free(s);
		s = render(&v, PARQUET_VALUE_CANON);
		is_str(s, cases[i].canon, "timestamp %s: canon",
		    cases[i].partition);
		free(s);
		buf_reset(&b);
		parquet_value_partition(&v, &b);
		is_str(buf_str(&b), cases[i].partition, "timestamp %s: "
		    "partition", cases[i].partition);
	}
	for (i = 0; i < NELEM(dates); i++) {
		buf_reset(&b);
		parquet_value_date_text(dates[i].days, &b);
		is_str(buf_str(&b), dates[i].want, "date %jd",
		    (intmax_t)dates[i].days);
	}
	/* INT96 before the epoch, nanoseconds past a day carried over. */
	v.kind = PARQUET_VALUE_INT96;
	v.u.i96.julian_day = 2440587;
	v.u.i96.nanos = INT64_C(86400000000000) + 1000000;
	s = render(&v, PARQUET_VALUE_DELTA);
	is_str(s, "\"1970-01-01T00:00:00.001Z\"", "INT96 carried over");
	free(s);
	/* Extremes render without overflow (UBSan would say). */
	v.u.i96.julian_day = INT32_MIN;
	v.u.i96.nanos = INT64_MIN;
	s = render(&v, PARQUET_VALUE_CANON);
	ok(s[0] == '"', "INT96 extremes: %s", s);
	free(s);
	v.kind = PARQUET_VALUE_INT64;
	n.unit = PARQUET_MILLIS;
	v.u.i64 = INT64_MAX;
	s = render(&v, PARQUET_VALUE_CANON);
	ok(s[0] == '"', "milliseconds at INT64_MAX: %s", s);
	free(s);
	buf_release(&b);
}

/* The corpus's partition values (data-reader-partition-values, ...). */
static void
test_partition_strings(void)
{
	struct parquet_meta_node	 n;
	struct parquet_value		 v;
	struct buf			 b;

	memset(&n, 0, sizeof(n));
	n.name = "p";
	v.node = &n;
	buf_init(&b, 0);
	v.kind = PARQUET_VALUE_BOOL;
	v.u.b = true;
	parquet_value_partition(&v, &b);
	is_str(buf_str(&b), "true", "partition: boolean");
	buf_reset(&b);
	v.kind = PARQUET_VALUE_INT32;
	v.u.i32 = -7;
	parquet_value_partition(&v, &b);
	is_str(buf_str(&b), "-7", "partition: int");
	buf_reset(&b);
	n.logical = PARQUET_LT_DATE;
	v.u.i32 = 18878;
	parquet_value_partition(&v, &b);
	is_str(buf_str(&b), "2021-09-08", "partition: date");
	buf_reset(&b);
	n.logical = PARQUET_LT_DECIMAL;
	n.scale = 2;
	v.kind = PARQUET_VALUE_INT64;
	v.u.i64 = -150;
	parquet_value_partition(&v, &b);
	is_str(buf_str(&b), "-1.50", "partition: decimal keeps its scale");
	buf_reset(&b);
	n.logical = PARQUET_LT_NONE;
	v.kind = PARQUET_VALUE_BYTES;
	v.u.bytes.p = (const unsigned char *)"\xf0\x9f\x98\x88";
	v.u.bytes.len = 4;
	parquet_value_partition(&v, &b);
	is_str(buf_str(&b), "\xf0\x9f\x98\x88", "partition: binary as UTF-8");
	buf_reset(&b);
	v.u.bytes.p = (const unsigned char *)"a\xff" "b";
	v.u.bytes.len = 3;
	parquet_value_partition(&v, &b);
	is_str(buf_str(&b), "a\xef\xbf\xbd" "b",
	    "partition: invalid UTF-8 replaced");
	buf_reset(&b);
	v.kind = PARQUET_VALUE_NULL;
	is_int(parquet_value_partition(&v, &b), 1, "partition: null");
	buf_release(&b);
}

/* Struct rendering: Delta leaves nulls and binary out; UTF-8 is kept valid. */
static void
test_structs(void)
{
	struct parquet_meta_node	 sn, an, bn, cn, dn;
	struct parquet_value		 kids[4], v;
	char				*s;

	memset(&sn, 0, sizeof(sn));
	memset(&an, 0, sizeof(an));
	memset(&bn, 0, sizeof(bn));
	memset(&cn, 0, sizeof(cn));
	memset(&dn, 0, sizeof(dn));
	sn.name = "s";
	an.name = "a";
	bn.name = "b";
	bn.logical = PARQUET_LT_STRING;
	cn.name = "c";
	dn.name = "d\"q";
	kids[0].kind = PARQUET_VALUE_NULL;
	kids[0].node = &an;
	kids[1].kind = PARQUET_VALUE_BYTES;
	kids[1].node = &bn;
	kids[1].u.bytes.p = (const unsigned char *)"x\xc3(\n";
	kids[1].u.bytes.len = 4;
	kids[2].kind = PARQUET_VALUE_BYTES;
	kids[2].node = &cn;
	kids[2].u.bytes.p = (const unsigned char *)"\x01";
	kids[2].u.bytes.len = 1;
	kids[3].kind = PARQUET_VALUE_INT64;
	kids[3].node = &dn;
	kids[3].u.i64 = INT64_MIN;
	v.kind = PARQUET_VALUE_STRUCT;
	v.node = &sn;
	v.u.kids.v = kids;
	v.u.kids.n = 4;
	s = render(&v, PARQUET_VALUE_DELTA);
	is_str(s, "{\"b\":\"x\xef\xbf\xbd(\\n\",\"d\\\"q\":"
	    "-9223372036854775808}", "struct: delta");
	free(s);
	s = render(&v, PARQUET_VALUE_CANON);
	is_str(s, "{\"a\":null,\"b\":\"x\xef\xbf\xbd(\\n\",\"c\":\"0x01\","
	    "\"d\\\"q\":-9223372036854775808}", "struct: canon");
	free(s);
	s = render(&v, PARQUET_VALUE_PARTITION);
	is_str(s, "{\"a\":null,\"b\":\"x\xef\xbf\xbd(\\n\",\"c\":\"\\u0001\","
	    "\"d\\\"q\":\"-9223372036854775808\"}", "struct: partition");
	free(s);
	ok(parquet_value_get(&v, "d\"q") == &kids[3] &&
	    parquet_value_get(&v, "zz") == NULL &&
	    parquet_value_get(&kids[3], "a") == NULL, "parquet_value_get");
}

static int
ntz(void *ctx, const struct parquet_value *v)
{
	(void)ctx;
	return strcmp(v->node->name, "ntz") == 0 ? 0 : 1;
}

/* A caller that knows the table schema decides UTC or not per column. */
static void
test_utc_hook(void)
{
	struct parquet_meta_node	 sn, an, bn;
	struct parquet_value		 kids[2], v;
	struct jsonw			 w;
	struct buf			 b;

	memset(&sn, 0, sizeof(sn));
	memset(&an, 0, sizeof(an));
	memset(&bn, 0, sizeof(bn));
	sn.name = "s";
	an.name = "ts";
	bn.name = "ntz";
	an.logical = bn.logical = PARQUET_LT_TIMESTAMP;
	an.unit = bn.unit = PARQUET_MICROS;
	an.utc = false;		/* as arrow writes Delta timestamps */
	bn.utc = true;
	kids[0].kind = kids[1].kind = PARQUET_VALUE_INT64;
	kids[0].node = &an;
	kids[1].node = &bn;
	kids[0].u.i64 = kids[1].u.i64 = INT64_C(1627668684594000);
	v.kind = PARQUET_VALUE_STRUCT;
	v.node = &sn;
	v.u.kids.v = kids;
	v.u.kids.n = 2;
	buf_init(&b, 0);
	jsonw_init(&w, &b);
	parquet_value_json(&w, &v, PARQUET_VALUE_DELTA);
	is_str(buf_str(&b), "{\"ts\":\"2021-07-30T18:11:24.594\","
	    "\"ntz\":\"2021-07-30T18:11:24.594Z\"}", "utc: the annotations");
	buf_reset(&b);
	jsonw_init(&w, &b);
	parquet_value_json_utc(&w, &v, PARQUET_VALUE_DELTA, ntz, NULL);
	is_str(buf_str(&b), "{\"ts\":\"2021-07-30T18:11:24.594Z\","
	    "\"ntz\":\"2021-07-30T18:11:24.594\"}", "utc: the schema's say");
	buf_release(&b);
}

int
main(void)
{
	test_numbers();
	test_decimals();
	test_times();
	test_partition_strings();
	test_structs();
	test_utc_hook();
	return done_testing();
}
