/*
 * parquet_value.c: accessors for values read from Parquet, and their
 * text and JSON forms (see parquet_value.h).
 *
 * Numbers: the shortest decimal digits that read back as the same
 * double (or float) are found by trying precisions in turn; they are
 * laid out as JavaScript prints numbers (JSON: "1e-7", "0.001", "1e+21")
 * or as Java does (partition values: "1.0", "1.0E-5").  Decimals are
 * converted exactly: the unscaled big-endian two's complement integer is
 * divided by 10^9 repeatedly, so any precision up to
 * PARQUET_VALUE_MAX_DECIMAL bytes prints without loss.  Dates and times
 * use a proleptic Gregorian calendar over the whole int64 range.
 */
#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "jsonv.h"
#include "jsonw.h"
#include "parquet_meta.h"
#include "parquet_value.h"
#include "strutil.h"
#include "xmalloc.h"

#define JULIAN_EPOCH	INT64_C(2440588)	/* julian day of 1970-01-01 */
#define DAY_SECONDS	INT64_C(86400)

/* --- accessors ------------------------------------------------------------ */

const struct parquet_value *
parquet_value_get(const struct parquet_value *v, const char *name)
{
	size_t	 i;

	if (v == NULL || v->kind != PARQUET_VALUE_STRUCT)
		return NULL;
	for (i = 0; i < v->u.kids.n; i++)
		if (v->u.kids.v[i].node != NULL &&
		    strcmp(v->u.kids.v[i].node->name, name) == 0)
			return &v->u.kids.v[i];
	return NULL;
}

const struct parquet_value *
parquet_value_map_get(const struct parquet_value *v, const char *key)
{
	const struct parquet_value	*k, *found = NULL;
	size_t				 i, n = strlen(key);

	if (v == NULL || v->kind != PARQUET_VALUE_MAP)
		return NULL;
	for (i = 0; i < v->u.kids.n; i++) {
		k = &v->u.kids.v[2 * i];
		if (k->kind == PARQUET_VALUE_BYTES && k->u.bytes.len == n &&
		    memcmp(k->u.bytes.p, key, n) == 0)
			found = &v->u.kids.v[2 * i + 1];
	}
	return found;
}

bool
parquet_value_is_null(const struct parquet_value *v)
{
	return v == NULL || v->kind == PARQUET_VALUE_NULL;
}

int
parquet_value_int(const struct parquet_value *v, int64_t *out)
{
	if (v == NULL)
		return -1;
	if (v->kind == PARQUET_VALUE_INT32)
		*out = v->u.i32;
	else if (v->kind == PARQUET_VALUE_INT64)
		*out = v->u.i64;
	else
		return -1;
	return 0;
}

int
parquet_value_bool(const struct parquet_value *v, bool *out)
{
	if (v == NULL || v->kind != PARQUET_VALUE_BOOL)
		return -1;
	*out = v->u.b;
	return 0;
}

int
parquet_value_bytes(const struct parquet_value *v, const unsigned char **p,
    size_t *len)
{
	if (v == NULL || v->kind != PARQUET_VALUE_BYTES)
		return -1;
	*p = v->u.bytes.p;
	*len = v->u.bytes.len;
	return 0;
}

/* --- numbers -------------------------------------------------------------- */

/*
 * The shortest digits of v (finite, not zero) that read back as v (as a
 * float when is_float): digits without leading or trailing zeros into
 * d, and *point such that v = 0.d * 10^point.
 */
static void
shortest(double v, bool is_float, char d[24], int *point)
{
	char	 s[40], *e, *p;
	int	 prec, n = 0;

	for (prec = 1; prec <= 17; prec++) {
		snprintf(s, sizeof(s), "%.*e", prec - 1, v);
		if (is_float ? strtof(s, NULL) == (float)v :
		    strtod(s, NULL) == v)
			break;
	}
	e = strchr(s, 'e');
	*point = (int)strtol(e + 1, NULL, 10) + 1;
	for (p = s; p < e; p++)
		if (*p >= '0' && *p <= '9')
			d[n++] = *p;
	while (n > 1 && d[n - 1] == '0')
		n--;
	d[n] = '\0';
}

/* n zeros (n <= 24) as a string. */
static const char *
zeros(int n)
{
	static const char	 z[] = "000000000000000000000000";

	return z + sizeof(z) - 1 - n;
}

/* v as JavaScript's Number.prototype.toString() prints it. */
static void
js_number(double v, bool is_float, char *out, size_t outsz)
{
	const char	*sign = v < 0 ? "-" : "";
	char		 d[24];
	int		 n, k, e;

	if (v == 0) {
		snprintf(out, outsz, "0");
		return;
	}
	shortest(fabs(v), is_float, d, &n);
	k = (int)strlen(d);
	if (k <= n && n <= 21)
		snprintf(out, outsz, "%s%s%s", sign, d, zeros(n - k));
	else if (n > 0 && n <= 21)
		snprintf(out, outsz, "%s%.*s.%s", sign, n, d, d + n);
	else if (n > -6 && n <= 0)
		snprintf(out, outsz, "%s0.%s%s", sign, zeros(-n), d);
	else {
		e = n - 1;
		snprintf(out, outsz, "%s%c%s%se%c%d", sign, d[0],
		    k > 1 ? "." : "", d + 1, e < 0 ? '-' : '+', abs(e));
	}
}

/* v as Java's Double.toString() (or Float.toString()) prints it. */
static void
java_number(double v, bool is_float, char *out, size_t outsz)
{
	char	 d[24];
	int	 n, k;

	if (isnan(v) || isinf(v)) {
		snprintf(out, outsz, "%s", isnan(v) ? "NaN" : v > 0 ?
		    "Infinity" : "-Infinity");
		return;
	}
	if (v == 0) {
		snprintf(out, outsz, "%s", signbit(v) ? "-0.0" : "0.0");
		return;
	}
	shortest(fabs(v), is_float, d, &n);
	k = (int)strlen(d);
	if (n >= -2 && n <= 7) {
		if (n <= 0)
			snprintf(out, outsz, "%s0.%s%s", v < 0 ? "-" : "",
			    zeros(-n), d);
		else if (n >= k)
			snprintf(out, outsz, "%s%s%s.0", v < 0 ? "-" : "", d,
			    zeros(n - k));
		else
			snprintf(out, outsz, "%s%.*s.%s", v < 0 ? "-" : "", n,
			    d, d + n);
		return;
	}
	snprintf(out, outsz, "%s%c.%sE%d", v < 0 ? "-" : "", d[0],
	    k > 1 ? d + 1 : "0", n - 1);
}

/* A half-precision float. */
static double
half(const unsigned char *p)
{
	unsigned int	 h = p[0] | (unsigned int)p[1] << 8;
	int		 e = (h >> 10) & 0x1f;
	double		 m = h & 0x3ff, v;

	if (e == 0)
		v = ldexp(m, -24);
	else if (e == 31)
		v = m != 0 ? NAN : INFINITY;
	else
		v = ldexp(m + 1024, e - 25);
	return h & 0x8000 ? -v : v;
}

/* --- decimals ------------------------------------------------------------- */

int
parquet_value_decimal_text(const unsigned char *p, size_t n, int scale,
    struct buf *out)
{
	uint32_t	 w[PARQUET_VALUE_MAX_DECIMAL / 4 + 1], chunk[48];
	char		 digits[PARQUET_VALUE_MAX_DECIMAL * 3 + 16];
	size_t		 nw = 0, i, nc = 0, nd;
	uint64_t	 rem;
	unsigned char	 b;
	bool		 neg = n > 0 && (p[0] & 0x80);
	int		 k;

	if (n > PARQUET_VALUE_MAX_DECIMAL || scale < 0)
		return -1;
	/* Magnitude as base-2^32 words, most significant first. */
	memset(w, 0, sizeof(w));
	nw = (n + 3) / 4;
	for (i = 0; i < n; i++) {
		b = neg ? (unsigned char)~p[i] : p[i];
		k = (int)(n - 1 - i);
		w[nw - 1 - (size_t)k / 4] |= (uint32_t)b << (8 * (k % 4));
	}
	if (neg)	/* two's complement: ~x + 1 */
		for (i = nw; i > 0 && ++w[i - 1] == 0; i--)
			continue;
	/* Base 10^9 chunks, least significant first. */
	for (;;) {
		for (i = 0; i < nw && w[i] == 0; i++)
			continue;
		if (i == nw)
			break;
		rem = 0;
		for (i = 0; i < nw; i++) {
			rem = rem << 32 | w[i];
			w[i] = (uint32_t)(rem / 1000000000);
			rem %= 1000000000;
		}
		chunk[nc++] = (uint32_t)rem;
	}
	nd = 0;
	if (nc == 0)
		digits[nd++] = '0';
	else {
		nd = (size_t)snprintf(digits, sizeof(digits), "%" PRIu32,
		    chunk[nc - 1]);
		for (i = nc - 1; i > 0; i--)
			nd += (size_t)snprintf(digits + nd, sizeof(digits) - nd,
			    "%09" PRIu32, chunk[i - 1]);
	}
	if (neg && !(nd == 1 && digits[0] == '0'))
		buf_addc(out, '-');
	if ((size_t)scale >= nd) {
		buf_adds(out, "0.");
		for (i = nd; i < (size_t)scale; i++)
			buf_addc(out, '0');
		buf_add(out, digits, nd);
	} else {
		buf_add(out, digits, nd - (size_t)scale);
		if (scale > 0) {
			buf_addc(out, '.');
			buf_add(out, digits + nd - (size_t)scale,
			    (size_t)scale);
		}
	}
	return 0;
}

/* The decimal text of a DECIMAL value; -1 if it is not one we can print. */
static int
decimal(const struct parquet_value *v, struct buf *out)
{
	unsigned char	 be[8];
	uint64_t	 x;
	int		 i;

	switch (v->kind) {
	case PARQUET_VALUE_INT32:
	case PARQUET_VALUE_INT64:
		x = v->kind == PARQUET_VALUE_INT32 ?
		    (uint64_t)(int64_t)v->u.i32 : (uint64_t)v->u.i64;
		for (i = 0; i < 8; i++)
			be[7 - i] = (unsigned char)(x >> (8 * i));
		return parquet_value_decimal_text(be, 8, v->node->scale, out);
	case PARQUET_VALUE_BYTES:
		return parquet_value_decimal_text(v->u.bytes.p,
		    v->u.bytes.len, v->node->scale, out);
	default:
		return -1;
	}
}

/* --- dates and times ------------------------------------------------------ */

/* a = *q * b + *r with 0 <= *r < b (b > 0), for any a: no overflow. */
static void
floor_divmod(int64_t a, int64_t b, int64_t *q, int64_t *r)
{
	*q = a / b;
	*r = a % b;
	if (*r < 0) {
		*r += b;
		(*q)--;
	}
}


void
parquet_value_date_text(int64_t days, struct buf *out)
{
	int64_t	 y;
	int	 m, d;

	str_civil(days, &y, &m, &d);
	if (y < 0)
		buf_addf(out, "-%04" PRId64 "-%02d-%02d", -y, m, d);
	else
		buf_addf(out, "%04" PRId64 "-%02d-%02d", y, m, d);
}

/* A point in time: days since the epoch, and a fraction of the day. */
struct tstamp {
	int64_t		 days;
	int64_t		 sod;		/* seconds of the day */
	int64_t		 frac;		/* in units of 1/per second */
	int64_t		 per;
	int		 digits;	/* of frac in the canonical form */
};

static bool
tstamp(const struct parquet_value *v, struct tstamp *t)
{
	const struct parquet_meta_node	*n = v->node;
	int64_t				 secs, nanos, days;

	if (v->kind == PARQUET_VALUE_INT96) {
		floor_divmod(v->u.i96.nanos, DAY_SECONDS * 1000000000, &days,
		    &nanos);
		t->days = v->u.i96.julian_day - JULIAN_EPOCH + days;
		t->sod = nanos / 1000000000;
		t->frac = nanos % 1000000000;
		t->per = 1000000000;
		t->digits = 9;
		return true;
	}
	if (v->kind != PARQUET_VALUE_INT64 || n == NULL ||
	    n->logical != PARQUET_LT_TIMESTAMP)
		return false;
	t->per = n->unit == PARQUET_MILLIS ? 1000 : n->unit == PARQUET_MICROS ?
	    1000000 : 1000000000;
	t->digits = n->unit == PARQUET_MILLIS ? 3 : n->unit == PARQUET_MICROS ?
	    6 : 9;
	floor_divmod(v->u.i64, t->per, &secs, &t->frac);
	floor_divmod(secs, DAY_SECONDS, &t->days, &t->sod);
	return true;
}

static void
time_text(const struct tstamp *t, enum parquet_value_style style, bool utc,
    struct buf *out)
{
	char	 f[16];
	int	 n;

	parquet_value_date_text(t->days, out);
	buf_addf(out, "%c%02d:%02d:%02d",
	    style == PARQUET_VALUE_PARTITION ? ' ' : 'T', (int)(t->sod / 3600),
	    (int)(t->sod / 60 % 60), (int)(t->sod % 60));
	switch (style) {
	case PARQUET_VALUE_DELTA:
		buf_addf(out, ".%03d%s", (int)(t->frac * 1000 / t->per),
		    utc ? "Z" : "");
		break;
	case PARQUET_VALUE_PARTITION:
		/* Microseconds, trailing zeros dropped, none if zero. */
		n = snprintf(f, sizeof(f), "%06d",
		    (int)(t->frac * 1000000 / t->per));
		while (n > 0 && f[n - 1] == '0')
			f[--n] = '\0';
		if (n > 0)
			buf_addf(out, ".%s", f);
		break;
	case PARQUET_VALUE_CANON:
		buf_addf(out, ".%0*" PRId64 "Z", t->digits, t->frac);
		break;
	}
}

/* --- text of scalars ------------------------------------------------------ */

/* Append the bytes as UTF-8, invalid sequences replaced by U+FFFD. */
static void
utf8_text(const unsigned char *p, size_t n, struct buf *out)
{
	size_t	 i = 0, run = 0, k;

	while (i < n) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		for (k = 2; k <= 4 && i + k <= n; k++)
			if (str_utf8_valid((const char *)p + i, k))
				break;
		if (k <= 4 && i + k <= n) {
			i += k;
			continue;
		}
		buf_add(out, p + run, i - run);
		buf_adds(out, "\xef\xbf\xbd");
		run = ++i;
	}
	buf_add(out, p + run, n - run);
}

static bool
is_unsigned(const struct parquet_value *v)
{
	return v->node != NULL && v->node->logical == PARQUET_LT_INT &&
	    !v->node->is_signed;
}

static enum parquet_meta_logical
logical(const struct parquet_value *v)
{
	return v->node != NULL ? v->node->logical : PARQUET_LT_NONE;
}

static void
uuid_text(const unsigned char *p, struct buf *out)
{
	char	 h[33];

	str_hex(p, 16, h);
	buf_addf(out, "%.8s-%.4s-%.4s-%.4s-%.12s", h, h + 8, h + 12, h + 16,
	    h + 20);
}

static void
hex_text(const unsigned char *p, size_t n, struct buf *out)
{
	static const char	 hx[] = "0123456789abcdef";
	size_t			 i;

	buf_adds(out, "0x");
	for (i = 0; i < n; i++) {
		buf_addc(out, hx[p[i] >> 4]);
		buf_addc(out, hx[p[i] & 15]);
	}
}

/*
 * v rounded to 15 significant digits as JavaScript's toPrecision(15)
 * does: from the exact decimal expansion, ties away from zero (printf
 * would round them to even).
 */
static double
round15(double v)
{
	char	 s[900], d[16], *e;
	size_t	 i;
	int	 k;
	bool	 up;

	/* s is "D.DDD...e+XX", exact: the 16th digit (s[16]) decides. */
	snprintf(s, sizeof(s), "%.780e", fabs(v));
	e = strchr(s, 'e');
	k = (int)strtol(e + 1, NULL, 10);
	up = s[16] >= '5';
	d[0] = s[0];
	memcpy(d + 1, s + 2, 14);
	d[15] = '\0';
	for (i = 15; up && i > 0; i--) {
		if (d[i - 1] != '9') {
			d[i - 1]++;
			up = false;
		} else
			d[i - 1] = '0';
	}
	if (up)		/* 9.99...9 rounded up to 10 */
		snprintf(s, sizeof(s), "1e%d", k + 1);
	else
		snprintf(s, sizeof(s), "%se%d", d, k - 14);
	return v < 0 ? -strtod(s, NULL) : strtod(s, NULL);
}

/* A number in the style's layout. */
static void
number_text(double d, bool is_float, enum parquet_value_style style,
    struct buf *out)
{
	char	 s[64];

	if (style == PARQUET_VALUE_PARTITION)
		java_number(d, is_float, s, sizeof(s));
	else if (isnan(d) || isinf(d))
		snprintf(s, sizeof(s), "%s", isnan(d) ? "NaN" : d > 0 ?
		    "Infinity" : "-Infinity");
	else if (style == PARQUET_VALUE_CANON && d != floor(d)) {
		/* hyparquet's form: 15 significant digits. */
		js_number(round15(d), false, s, sizeof(s));
	} else
		js_number(d, style != PARQUET_VALUE_CANON && is_float, s,
		    sizeof(s));
	buf_adds(out, s);
}

/*
 * The text of a scalar v into out.  Returns 'n' (a JSON number), 's' (a
 * string), 'b' (true/false), 'j' (raw JSON text), or 0 when the value
 * has no form in this style (null, binary in Delta style).
 */
static int
scalar_text(const struct parquet_value *v, enum parquet_value_style style,
    int utc_hint, struct buf *out)
{
	enum parquet_meta_logical	 lt = logical(v);
	struct tstamp			 t;
	double				 d;
	size_t				 at = out->len;
	bool				 utc = utc_hint >= 0 ? utc_hint :
					    v->node == NULL || v->node->utc;

	switch (v->kind) {
	case PARQUET_VALUE_NULL:
		return 0;
	case PARQUET_VALUE_BOOL:
		buf_adds(out, v->u.b ? "true" : "false");
		return 'b';
	case PARQUET_VALUE_FLOAT:
	case PARQUET_VALUE_DOUBLE:
		d = v->kind == PARQUET_VALUE_FLOAT ? v->u.f : v->u.d;
		number_text(d, v->kind == PARQUET_VALUE_FLOAT, style, out);
		return isnan(d) || isinf(d) ? 's' : 'n';
	case PARQUET_VALUE_INT96:
		tstamp(v, &t);
		time_text(&t, style, utc_hint != 0, out);
		return 's';
	default:
		break;
	}
	if (lt == PARQUET_LT_DECIMAL && decimal(v, out) == 0) {
		if (style != PARQUET_VALUE_CANON)
			return 'n';
		d = strtod(buf_str(out) + at, NULL);
		out->len = at;
		number_text(d, false, style, out);
		return 'n';
	}
	if (v->kind == PARQUET_VALUE_INT32 && lt == PARQUET_LT_DATE) {
		parquet_value_date_text(v->u.i32, out);
		return 's';
	}
	if (tstamp(v, &t)) {
		time_text(&t, style, utc, out);
		return 's';
	}
	if (v->kind == PARQUET_VALUE_INT32) {
		if (is_unsigned(v))
			buf_addf(out, "%" PRIu32, (uint32_t)v->u.i32);
		else
			buf_addf(out, "%" PRId32, v->u.i32);
		return 'n';
	}
	if (v->kind == PARQUET_VALUE_INT64) {
		if (is_unsigned(v))
			buf_addf(out, "%" PRIu64, (uint64_t)v->u.i64);
		else
			buf_addf(out, "%" PRId64, v->u.i64);
		return 'n';
	}
	if (v->kind != PARQUET_VALUE_BYTES)
		return 0;
	switch (lt) {
	case PARQUET_LT_STRING:
	case PARQUET_LT_ENUM:
	case PARQUET_LT_JSON:
		utf8_text(v->u.bytes.p, v->u.bytes.len, out);
		return lt == PARQUET_LT_JSON && style == PARQUET_VALUE_CANON ?
		    'j' : 's';
	case PARQUET_LT_UUID:
		uuid_text(v->u.bytes.p, out);
		return 's';
	case PARQUET_LT_FLOAT16:
		d = half(v->u.bytes.p);
		number_text(d, true, style, out);
		return isnan(d) || isinf(d) ? 's' : 'n';
	default:
		break;
	}
	if (style == PARQUET_VALUE_DELTA)
		return 0;
	if (style == PARQUET_VALUE_PARTITION)
		utf8_text(v->u.bytes.p, v->u.bytes.len, out);
	else
		hex_text(v->u.bytes.p, v->u.bytes.len, out);
	return 's';
}

int
parquet_value_partition(const struct parquet_value *v, struct buf *out)
{
	if (v->kind == PARQUET_VALUE_STRUCT || v->kind == PARQUET_VALUE_LIST ||
	    v->kind == PARQUET_VALUE_MAP)
		return -1;
	return scalar_text(v, PARQUET_VALUE_PARTITION, -1, out) == 0 ? 1 : 0;
}

/* --- JSON ----------------------------------------------------------------- */

/* How values are rendered. */
struct render {
	enum parquet_value_style	 style;
	parquet_value_utc_fn		 utc;
	void				*ctx;
};

/* Raw JSON text in a JSON column, if it is valid JSON; else a string. */
static void
json_raw(struct jsonw *w, const char *s, size_t n)
{
	const char	*why;
	size_t		 at;
	char		*t;

	if (jsonv_check(s, n, JSONW_MAX_DEPTH - w->depth - 1, &why,
	    &at) != 0) {
		jsonw_strn(w, s, n);
		return;
	}
	t = xstrndup(s, n);
	jsonw_raw(w, t);
	free(t);
}

static void
scalar_json(struct jsonw *w, const struct parquet_value *v,
    const struct render *rd)
{
	enum parquet_value_style	 style = rd->style;
	enum parquet_meta_logical	 lt = logical(v);
	struct buf			 b;
	int				 k, utc = -1;

	/* The common cases, straight into the writer. */
	if (v->kind == PARQUET_VALUE_BYTES && (lt == PARQUET_LT_STRING ||
	    lt == PARQUET_LT_ENUM) && str_utf8_valid((const char *)
	    v->u.bytes.p, v->u.bytes.len)) {
		jsonw_strn(w, (const char *)v->u.bytes.p, v->u.bytes.len);
		return;
	}
	if (style != PARQUET_VALUE_PARTITION && (lt == PARQUET_LT_NONE ||
	    (lt == PARQUET_LT_INT && v->node->is_signed))) {
		if (v->kind == PARQUET_VALUE_INT32 ||
		    v->kind == PARQUET_VALUE_INT64) {
			jsonw_int(w, v->kind == PARQUET_VALUE_INT32 ?
			    v->u.i32 : v->u.i64);
			return;
		}
		if (v->kind == PARQUET_VALUE_BOOL) {
			jsonw_bool(w, v->u.b);
			return;
		}
	}
	if (rd->utc != NULL && (v->kind == PARQUET_VALUE_INT96 ||
	    lt == PARQUET_LT_TIMESTAMP))
		utc = rd->utc(rd->ctx, v);
	buf_init(&b, 0);
	k = scalar_text(v, style, utc, &b);
	if (k == 0)
		jsonw_null(w);
	else if (style == PARQUET_VALUE_PARTITION || k == 's')
		jsonw_strn(w, buf_str(&b), b.len);
	else if (k == 'j')
		json_raw(w, buf_str(&b), b.len);
	else
		jsonw_raw(w, buf_str(&b));
	buf_release(&b);
}

/* Does a byte value have a form in Delta's JSON? */
static bool
delta_bytes(const struct parquet_value *v)
{
	switch (logical(v)) {
	case PARQUET_LT_STRING:
	case PARQUET_LT_ENUM:
	case PARQUET_LT_JSON:
	case PARQUET_LT_UUID:
	case PARQUET_LT_FLOAT16:
	case PARQUET_LT_DECIMAL:
		return true;
	default:
		return false;
	}
}

/* Would v be left out of a struct in this style? */
static bool
omitted(const struct parquet_value *v, enum parquet_value_style style)
{
	if (style != PARQUET_VALUE_DELTA)
		return false;
	return v->kind == PARQUET_VALUE_NULL ||
	    (v->kind == PARQUET_VALUE_BYTES && !delta_bytes(v));
}

/* A map key as an object key. */
static void
map_key(struct jsonw *w, const struct parquet_value *k,
    enum parquet_value_style style)
{
	struct buf	 b;

	buf_init(&b, 0);
	if (k->kind == PARQUET_VALUE_STRUCT || k->kind == PARQUET_VALUE_LIST ||
	    k->kind == PARQUET_VALUE_MAP ||
	    scalar_text(k, style == PARQUET_VALUE_CANON ? style :
	    PARQUET_VALUE_PARTITION, -1, &b) == 0) {
		buf_reset(&b);
		buf_adds(&b, "null");
	}
	jsonw_key(w, buf_str(&b));
	buf_release(&b);
}

static void
render(struct jsonw *w, const struct parquet_value *v,
    const struct render *rd)
{
	const struct parquet_value	*kid;
	size_t				 i;

	/* Beyond the writer's depth, a value is cut to null. */
	if (w->depth >= JSONW_MAX_DEPTH - 1 &&
	    (v->kind == PARQUET_VALUE_STRUCT || v->kind == PARQUET_VALUE_LIST ||
	    v->kind == PARQUET_VALUE_MAP)) {
		jsonw_null(w);
		return;
	}
	switch (v->kind) {
	case PARQUET_VALUE_STRUCT:
		jsonw_obj_open(w);
		for (i = 0; i < v->u.kids.n; i++) {
			kid = &v->u.kids.v[i];
			if (omitted(kid, rd->style) || kid->node == NULL)
				continue;
			jsonw_key(w, kid->node->name);
			render(w, kid, rd);
		}
		jsonw_obj_close(w);
		break;
	case PARQUET_VALUE_LIST:
		jsonw_arr_open(w);
		for (i = 0; i < v->u.kids.n; i++)
			render(w, &v->u.kids.v[i], rd);
		jsonw_arr_close(w);
		break;
	case PARQUET_VALUE_MAP:
		jsonw_obj_open(w);
		for (i = 0; i < v->u.kids.n; i++) {
			kid = &v->u.kids.v[2 * i];
			if (kid->kind == PARQUET_VALUE_NULL)
				continue;
			map_key(w, kid, rd->style);
			render(w, &v->u.kids.v[2 * i + 1], rd);
		}
		jsonw_obj_close(w);
		break;
	default:
		scalar_json(w, v, rd);
		break;
	}
}

void
parquet_value_json(struct jsonw *w, const struct parquet_value *v,
    enum parquet_value_style style)
{
	struct render	 rd = { style, NULL, NULL };

	render(w, v, &rd);
}

void
parquet_value_json_utc(struct jsonw *w, const struct parquet_value *v,
    enum parquet_value_style style, parquet_value_utc_fn fn, void *ctx)
{
	struct render	 rd = { style, fn, ctx };

	render(w, v, &rd);
}
