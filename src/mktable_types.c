/*
 * mktable_types.c: mktable --types-test, one Parquet file covering every
 * physical and logical type the writer supports, nulls and nested
 * structs, lists and maps, with the rows it wrote printed as JSON lines in
 * the canonical form of t/helper/parquet-dump.mjs.
 */

#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "err.h"
#include "jsonw.h"
#include "mktable.h"
#include "parquet_write.h"
#include "strutil.h"

/* A row written both to Parquet and, as expected JSON, to stdout. */
struct tt {
	struct parquet_write	*w;
	struct jsonw		 j;
};

static void
tt_null(struct tt *t)
{
	parquet_write_null(t->w);
	jsonw_null(&t->j);
}

static void
tt_bool(struct tt *t, bool v)
{
	parquet_write_bool(t->w, v);
	jsonw_bool(&t->j, v);
}

static void
tt_i32(struct tt *t, int32_t v)
{
	parquet_write_i32(t->w, v);
	jsonw_int(&t->j, v);
}

static void
tt_u32(struct tt *t, uint32_t v)
{
	parquet_write_i32(t->w, (int32_t)v);
	jsonw_int(&t->j, v);
}

static void
tt_i64(struct tt *t, int64_t v)
{
	parquet_write_i64(t->w, v);
	jsonw_int(&t->j, v);
}

static void
tt_u64(struct tt *t, uint64_t v)
{
	char	 s[32];

	parquet_write_i64(t->w, (int64_t)v);
	snprintf(s, sizeof(s), "%" PRIu64, v);
	jsonw_raw(&t->j, s);
}

static void
number(struct tt *t, double v)
{
	char	 s[64];

	if (v != v)
		jsonw_str(&t->j, "NaN");
	else {
		snprintf(s, sizeof(s), "%.15g", v);
		jsonw_raw(&t->j, s);
	}
}

static void
tt_float(struct tt *t, float v)
{
	parquet_write_float(t->w, v);
	number(t, v);
}

static void
tt_double(struct tt *t, double v)
{
	parquet_write_double(t->w, v);
	number(t, v);
}

static void
tt_str(struct tt *t, const char *s)
{
	parquet_write_str(t->w, s);
	jsonw_str(&t->j, s);
}

static void
hex(struct tt *t, const unsigned char *p, size_t n)
{
	char	 s[2 * 64 + 3];

	s[0] = '0';
	s[1] = 'x';
	str_hex(p, n, s + 2);
	jsonw_str(&t->j, s);
}

static void
tt_bytes(struct tt *t, const unsigned char *p, size_t n)
{
	parquet_write_bytes(t->w, p, n);
	hex(t, p, n);
}

static void
tt_json(struct tt *t, const char *s)
{
	parquet_write_str(t->w, s);
	jsonw_raw(&t->j, s);
}

static void
tt_date(struct tt *t, int32_t days)
{
	struct tm	 tm;
	time_t		 sec = (time_t)days * 86400;
	char		 s[32];

	parquet_write_i32(t->w, days);
	gmtime_r(&sec, &tm);
	snprintf(s, sizeof(s), "%04d-%02d-%02d", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday);
	jsonw_str(&t->j, s);
}

/* A timestamp of per units a second (1000 or 1000000). */
static void
tt_ts(struct tt *t, int64_t v, int64_t per)
{
	struct tm	 tm;
	time_t		 sec = (time_t)str_floor_div(v, per);
	char		 s[48];

	parquet_write_i64(t->w, v);
	gmtime_r(&sec, &tm);
	snprintf(s, sizeof(s), "%04d-%02d-%02dT%02d:%02d:%02d.%0*" PRId64 "Z",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, per == 1000 ? 3 : 6,
	    v - (int64_t)sec * per);
	jsonw_str(&t->j, s);
}

/* The expected JSON of unscaled * 10^-scale: plain, no trailing zeros. */
static void
decimal_json(struct tt *t, int64_t unscaled, int scale)
{
	char		 s[64], *p;
	uint64_t	 u = (uint64_t)unscaled, pow10 = 1;
	int		 i;

	if (unscaled < 0)
		u = -u;
	for (i = 0; i < scale; i++)
		pow10 *= 10;
	snprintf(s, sizeof(s), "%s%" PRIu64 ".%0*" PRIu64,
	    unscaled < 0 ? "-" : "", u / pow10, scale, u % pow10);
	p = s + strlen(s) - 1;
	while (*p == '0')
		*p-- = '\0';
	if (*p == '.')
		*p = '\0';
	jsonw_raw(&t->j, strcmp(s, "-0") == 0 ? "0" : s);
}

/* Big-endian two's complement of v in n bytes. */
static void
be_bytes(int64_t v, unsigned char *out, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (i < 8)
			out[n - 1 - i] = (unsigned char)((uint64_t)v >> (8 * i));
		else
			out[n - 1 - i] = v < 0 ? 0xff : 0;
	}
}

/* Shortest big-endian two's complement of v; returns the length. */
static size_t
be_min(int64_t v, unsigned char out[8])
{
	unsigned char	 b[8];
	size_t		 n = 8;

	be_bytes(v, b, 8);
	while (n > 1 && ((b[8 - n] == 0 && !(b[9 - n] & 0x80)) ||
	    (b[8 - n] == 0xff && (b[9 - n] & 0x80))))
		n--;
	memcpy(out, b + 8 - n, n);
	return n;
}

static struct parquet_write_node *
leaf(struct parquet_write_node *p, const char *name,
    enum parquet_write_rep rep, enum parquet_write_type type,
    enum parquet_write_logical lt, int32_t a, int32_t b)
{
	struct parquet_write_leaf	 l;

	memset(&l, 0, sizeof(l));
	l.type = type;
	l.logical = lt;
	switch (lt) {
	case PQ_LT_DECIMAL:
		l.precision = a;
		l.scale = b;
		l.length = type == PQ_FIXED ? 16 : 0;
		break;
	case PQ_LT_INT:
		l.bits = a;
		l.is_unsigned = b;
		break;
	case PQ_LT_TIMESTAMP:
		l.utc = a;
		l.millis = b;
		break;
	default:
		l.length = a;
		break;
	}
	return parquet_write_add_leaf(p, name, rep, &l);
}

static struct parquet_write_schema *
types_schema(void)
{
	struct parquet_write_schema	*s = parquet_write_schema_new();
	struct parquet_write_node	*r = parquet_write_schema_root(s), *g;
	struct parquet_write_node	*l;

	parquet_write_add_column(r, "idx", PQ_REQUIRED, PQ_INT64);
	parquet_write_add_column(r, "b", PQ_OPTIONAL, PQ_BOOLEAN);
	parquet_write_add_column(r, "i32", PQ_REQUIRED, PQ_INT32);
	leaf(r, "i8", PQ_OPTIONAL, PQ_INT32, PQ_LT_INT, 8, false);
	leaf(r, "u16", PQ_OPTIONAL, PQ_INT32, PQ_LT_INT, 16, true);
	leaf(r, "u32", PQ_OPTIONAL, PQ_INT32, PQ_LT_INT, 32, true);
	parquet_write_add_column(r, "i64", PQ_OPTIONAL, PQ_INT64);
	leaf(r, "u64", PQ_OPTIONAL, PQ_INT64, PQ_LT_INT, 64, true);
	parquet_write_add_column(r, "f", PQ_OPTIONAL, PQ_FLOAT);
	parquet_write_add_column(r, "d", PQ_OPTIONAL, PQ_DOUBLE);
	parquet_write_add_string(r, "s", PQ_OPTIONAL);
	parquet_write_add_column(r, "bin", PQ_OPTIONAL, PQ_BYTE_ARRAY);
	leaf(r, "j", PQ_OPTIONAL, PQ_BYTE_ARRAY, PQ_LT_JSON, 0, 0);
	leaf(r, "fx", PQ_OPTIONAL, PQ_FIXED, PQ_LT_NONE, 3, 0);
	leaf(r, "date", PQ_OPTIONAL, PQ_INT32, PQ_LT_DATE, 0, 0);
	leaf(r, "ts_us", PQ_OPTIONAL, PQ_INT64, PQ_LT_TIMESTAMP, true, false);
	leaf(r, "ts_ms", PQ_OPTIONAL, PQ_INT64, PQ_LT_TIMESTAMP, true, true);
	leaf(r, "ts_ntz", PQ_OPTIONAL, PQ_INT64, PQ_LT_TIMESTAMP, false,
	    false);
	leaf(r, "dec32", PQ_OPTIONAL, PQ_INT32, PQ_LT_DECIMAL, 9, 2);
	leaf(r, "dec64", PQ_OPTIONAL, PQ_INT64, PQ_LT_DECIMAL, 18, 4);
	leaf(r, "decfx", PQ_OPTIONAL, PQ_FIXED, PQ_LT_DECIMAL, 38, 6);
	leaf(r, "decba", PQ_OPTIONAL, PQ_BYTE_ARRAY, PQ_LT_DECIMAL, 20, 3);

	g = parquet_write_add_group(r, "st", PQ_OPTIONAL);
	parquet_write_add_column(g, "a", PQ_REQUIRED, PQ_INT32);
	parquet_write_add_string(g, "b", PQ_OPTIONAL);
	g = parquet_write_add_group(g, "inner", PQ_OPTIONAL);
	parquet_write_add_column(g, "x", PQ_OPTIONAL, PQ_DOUBLE);

	l = parquet_write_add_list(r, "lst", PQ_OPTIONAL);
	parquet_write_add_column(l, "element", PQ_OPTIONAL, PQ_INT64);
	l = parquet_write_add_list(r, "lst_s", PQ_REQUIRED);
	parquet_write_add_string(l, "element", PQ_REQUIRED);
	l = parquet_write_add_list(r, "lst_st", PQ_OPTIONAL);
	g = parquet_write_add_group(l, "element", PQ_OPTIONAL);
	parquet_write_add_string(g, "k", PQ_REQUIRED);
	parquet_write_add_column(g, "v", PQ_OPTIONAL, PQ_INT32);
	l = parquet_write_add_list(r, "lst_lst", PQ_OPTIONAL);
	l = parquet_write_add_list(l, "element", PQ_OPTIONAL);
	parquet_write_add_column(l, "element", PQ_OPTIONAL, PQ_INT32);

	l = parquet_write_add_map(r, "m", PQ_OPTIONAL);
	parquet_write_add_string(l, "key", PQ_REQUIRED);
	parquet_write_add_string(l, "value", PQ_OPTIONAL);
	l = parquet_write_add_map(r, "m_i", PQ_REQUIRED);
	parquet_write_add_column(l, "key", PQ_REQUIRED, PQ_INT32);
	parquet_write_add_column(l, "value", PQ_REQUIRED, PQ_DOUBLE);
	return s;
}

/* Row i, flat columns. */
static void
types_flat(struct tt *t, int64_t i)
{
	unsigned char	 b[16];
	char		 s[64];
	int64_t		 k = i - 150;
	size_t		 n;

	jsonw_key(&t->j, "idx");
	tt_i64(t, i);
	jsonw_key(&t->j, "b");
	i % 5 == 4 ? tt_null(t) : tt_bool(t, i % 3 == 0);
	jsonw_key(&t->j, "i32");
	tt_i32(t, i == 1 ? INT32_MIN : i == 2 ? INT32_MAX :
	    (int32_t)(i * 7919 % 20011) - 10000);
	jsonw_key(&t->j, "i8");
	i % 6 == 5 ? tt_null(t) : tt_i32(t, (int32_t)(i * 37 % 256) - 128);
	jsonw_key(&t->j, "u16");
	tt_u32(t, (uint32_t)(i * 101 % 65536));
	jsonw_key(&t->j, "u32");
	tt_u32(t, i == 3 ? UINT32_MAX : (uint32_t)(i * 1000003));
	jsonw_key(&t->j, "i64");
	if (i % 11 == 10)
		tt_null(t);
	else
		tt_i64(t, i == 4 ? INT64_MIN : i == 5 ? INT64_MAX :
		    k * INT64_C(1000000000007));
	jsonw_key(&t->j, "u64");
	tt_u64(t, i == 6 ? UINT64_MAX :
	    (uint64_t)i * UINT64_C(1000000000000000));
	jsonw_key(&t->j, "f");
	i % 7 == 6 ? tt_null(t) : tt_float(t, (float)k * 0.25f);
	jsonw_key(&t->j, "d");
	if (i == 7)
		tt_double(t, NAN);
	else
		tt_double(t, (double)(i * 3 - 400) / 8.0);
	jsonw_key(&t->j, "s");
	if (i % 4 == 3)
		tt_null(t);
	else {
		snprintf(s, sizeof(s), i == 8 ? "" : i % 4 == 1 ?
		    "row-%03" PRId64 "-gr\xc3\xbc\xc3\x9f" : "row-%03" PRId64,
		    i);
		tt_str(t, s);
	}
	jsonw_key(&t->j, "bin");
	b[0] = (unsigned char)i;
	b[1] = 0;
	b[2] = 0xff;
	b[3] = (unsigned char)(i >> 8);
	i % 9 == 8 ? tt_null(t) : tt_bytes(t, b, (size_t)(i % 5));
	jsonw_key(&t->j, "j");
	snprintf(s, sizeof(s), "{\"i\":%" PRId64 ",\"even\":%s}", i,
	    i % 2 ? "false" : "true");
	tt_json(t, s);
	jsonw_key(&t->j, "fx");
	b[0] = (unsigned char)i;
	b[1] = (unsigned char)(i >> 8);
	b[2] = 0xab;
	i % 10 == 0 ? tt_null(t) : tt_bytes(t, b, 3);
	jsonw_key(&t->j, "date");
	tt_date(t, (int32_t)(k * 37));
	jsonw_key(&t->j, "ts_us");
	tt_ts(t, k * INT64_C(86400123456) + 789, 1000000);
	jsonw_key(&t->j, "ts_ms");
	i % 13 == 12 ? tt_null(t) :
	    tt_ts(t, INT64_C(1700000000000) + i * 1001, 1000);
	jsonw_key(&t->j, "ts_ntz");
	tt_ts(t, i * INT64_C(3600000000) + 1, 1000000);
	jsonw_key(&t->j, "dec32");
	parquet_write_i32(t->w, (int32_t)(i * 12345 % 99999999) - 50000000);
	decimal_json(t, (int32_t)(i * 12345 % 99999999) - 50000000, 2);
	jsonw_key(&t->j, "dec64");
	parquet_write_i64(t->w, k * 123456789);
	decimal_json(t, k * 123456789, 4);
	jsonw_key(&t->j, "decfx");
	be_bytes(k * 1000001, b, 16);
	parquet_write_bytes(t->w, b, 16);
	decimal_json(t, k * 1000001, 6);
	jsonw_key(&t->j, "decba");
	if (i % 12 == 11)
		tt_null(t);
	else {
		n = be_min(k * 7777, b);
		parquet_write_bytes(t->w, b, n);
		decimal_json(t, k * 7777, 3);
	}
}

/* Row i, nested columns. */
static void
types_nested(struct tt *t, int64_t i)
{
	char		 s[32];
	int64_t		 k, m;

	jsonw_key(&t->j, "st");
	if (i % 8 == 7)
		tt_null(t);
	else {
		parquet_write_group_begin(t->w);
		jsonw_obj_open(&t->j);
		jsonw_key(&t->j, "a");
		tt_i32(t, (int32_t)i * -3);
		jsonw_key(&t->j, "b");
		i % 2 ? tt_null(t) : tt_str(t, "st");
		jsonw_key(&t->j, "inner");
		if (i % 3 == 1)
			tt_null(t);
		else {
			parquet_write_group_begin(t->w);
			jsonw_obj_open(&t->j);
			jsonw_key(&t->j, "x");
			i % 4 == 2 ? tt_null(t) : tt_double(t, (double)i / 4);
			jsonw_obj_close(&t->j);
			parquet_write_group_end(t->w);
		}
		jsonw_obj_close(&t->j);
		parquet_write_group_end(t->w);
	}

	jsonw_key(&t->j, "lst");
	if (i % 10 == 9)
		tt_null(t);
	else {
		parquet_write_list_begin(t->w);
		jsonw_arr_open(&t->j);
		for (k = 0; i % 10 != 8 && k < i % 4 + 1; k++)
			(i + k) % 5 == 0 ? tt_null(t) : tt_i64(t, i * 100 + k);
		jsonw_arr_close(&t->j);
		parquet_write_list_end(t->w);
	}

	jsonw_key(&t->j, "lst_s");
	parquet_write_list_begin(t->w);
	jsonw_arr_open(&t->j);
	for (k = 0; k < i % 3; k++) {
		snprintf(s, sizeof(s), "s%" PRId64 ".%" PRId64, i, k);
		tt_str(t, s);
	}
	jsonw_arr_close(&t->j);
	parquet_write_list_end(t->w);

	jsonw_key(&t->j, "lst_st");
	parquet_write_list_begin(t->w);
	jsonw_arr_open(&t->j);
	for (k = 0; k < i % 3; k++) {
		if (k == 1 && i % 2) {
			tt_null(t);
			continue;
		}
		parquet_write_group_begin(t->w);
		jsonw_obj_open(&t->j);
		jsonw_key(&t->j, "k");
		snprintf(s, sizeof(s), "k%" PRId64, k);
		tt_str(t, s);
		jsonw_key(&t->j, "v");
		k == 2 ? tt_null(t) : tt_i32(t, (int32_t)(i + k));
		jsonw_obj_close(&t->j);
		parquet_write_group_end(t->w);
	}
	jsonw_arr_close(&t->j);
	parquet_write_list_end(t->w);

	jsonw_key(&t->j, "lst_lst");
	parquet_write_list_begin(t->w);
	jsonw_arr_open(&t->j);
	for (k = 0; k < i % 3; k++) {
		if ((i + k) % 4 == 3) {
			tt_null(t);
			continue;
		}
		parquet_write_list_begin(t->w);
		jsonw_arr_open(&t->j);
		for (m = 0; m < (i + k) % 3; m++)
			tt_i32(t, (int32_t)(i * 10 + m));
		jsonw_arr_close(&t->j);
		parquet_write_list_end(t->w);
	}
	jsonw_arr_close(&t->j);
	parquet_write_list_end(t->w);

	jsonw_key(&t->j, "m");
	if (i % 6 == 5)
		tt_null(t);
	else {
		parquet_write_list_begin(t->w);
		jsonw_obj_open(&t->j);
		for (k = 0; k < i % 3; k++) {
			snprintf(s, sizeof(s), "k%" PRId64, k);
			parquet_write_str(t->w, s);
			jsonw_key(&t->j, s);
			k == 1 ? tt_null(t) : tt_str(t, "v");
		}
		jsonw_obj_close(&t->j);
		parquet_write_list_end(t->w);
	}

	jsonw_key(&t->j, "m_i");
	parquet_write_list_begin(t->w);
	jsonw_obj_open(&t->j);
	for (k = 0; k < i % 2 * 2; k++) {
		snprintf(s, sizeof(s), "%" PRId64, k * 10 + i);
		parquet_write_i32(t->w, (int32_t)(k * 10 + i));
		jsonw_key(&t->j, s);
		tt_double(t, (double)k + 0.5);
	}
	jsonw_obj_close(&t->j);
	parquet_write_list_end(t->w);
}

int
mktable_types(const struct opts *o)
{
	struct parquet_write_schema	*s;
	struct parquet_write_opts	 po;
	struct tt			 t;
	struct buf			 b;
	struct err			 e;
	int64_t				 i;
	static const char *const	 kv[] = {
		"generator", "mktable --types-test", NULL
	};

	s = types_schema();
	memset(&po, 0, sizeof(po));
	po.codec = o->codec;
	po.dictionary = o->dictionary;
	po.row_group_rows = o->rg_rows;
	po.page_bytes = (size_t)o->page_bytes;
	po.kv = kv;
	if ((t.w = parquet_write_open(o->target, s, &po, &e)) == NULL)
		mktable_die("%s", e.msg);
	buf_init(&b, 0);
	for (i = 0; i < o->rows; i++) {
		buf_reset(&b);
		jsonw_init(&t.j, &b);
		jsonw_obj_open(&t.j);
		parquet_write_row_begin(t.w);
		types_flat(&t, i);
		types_nested(&t, i);
		if (parquet_write_row_end(t.w, &e) == -1)
			mktable_die("%s", e.msg);
		jsonw_obj_close(&t.j);
		printf("%s\n", buf_str(&b));
	}
	if (parquet_write_close(t.w, &e) == -1)
		mktable_die("%s", e.msg);
	parquet_write_free(t.w);
	parquet_write_schema_free(s);
	buf_release(&b);
	return 0;
}

