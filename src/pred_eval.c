/*
 * pred_eval.c: the columns of a table (pred_schema) and file pruning
 * with a predicate tree (pred_keep); see pred.h.
 *
 * Every node evaluates to the SET of SQL truth values (TRUE, FALSE,
 * NULL) it may take over the rows of one file, and the file is kept
 * when TRUE is in the set.  A leaf is first turned into what its value
 * may be over those rows: one exact value (a literal, a partition
 * value), or a range [min, max] from the file's statistics, each with
 * "may be null" and "may be non-null".  Comparisons of such ranges,
 * NOT (which swaps TRUE and FALSE in the set), AND and OR (Kleene logic
 * over every pair) are then exact on sets, so the result is always a
 * superset of what the rows really give: a file that may hold a
 * matching row is never dropped.  This is where the reference server
 * goes wrong (NOT over a range, isNull ignoring nullCount).
 *
 * Whatever cannot be read (an unknown column, a valueType that does not
 * fit the column's type, a literal or statistic that does not parse,
 * NaN, unparsable JSON) widens to "anything": never to FALSE.
 * Statistics are read as Delta writers write them: string maximums may
 * be cut (at 32 characters: then unbounded), timestamps are in
 * milliseconds (widened by 999 us both ways), a double column may have
 * been a float one (bounds widened to cover both readings), and bounds
 * marked "tightBounds": false are bounds still, but their counts are
 * ignored.  A partition value that is absent is unknown, and an empty
 * one may be null or (strings) the empty string.
 * Timestamps compare in microseconds since the epoch, UTC; values
 * without an offset (partition values) are taken as UTC.
 */
#include "config.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "arena.h"
#include "delta_action.h"
#include "err.h"
#include "jsonu.h"
#include "jsonv.h"
#include "pred.h"
#include "strutil.h"

/* The truth values a node may take over the rows of a file. */
#define TV_TRUE		0x1
#define TV_FALSE	0x2
#define TV_NULL		0x4
#define TV_ALL		(TV_TRUE | TV_FALSE | TV_NULL)

#define SCHEMA_DEPTH	128	/* nesting of a schemaString */
#define DOC_DEPTH	64	/* of partitionValues and stats */
#define STR_PREFIX	32	/* string max stats this long may be cut */
#define TS_SLACK	999	/* us; timestamp stats are in milliseconds */
#define US_PER_DAY	INT64_C(86400000000)
#define PHYS_KEY	"delta.columnMapping.physicalName"

/* How the values of one type are read and compared. */
enum kind {
	K_NONE,		/* not comparable (decimal, struct...) */
	K_BOOL,		/* i: 0 or 1 */
	K_INT,		/* i */
	K_DATE,		/* i: days since 1970-01-01 */
	K_TS,		/* i: microseconds since the epoch */
	K_F32,		/* d, rounded to float */
	K_F64,		/* d */
	K_STR,		/* s, n: bytes, compared unsigned */
};

struct val {
	int64_t		 i;
	double		 d;
	const char	*s;
	size_t		 n;
};

/* What a leaf may be over the rows of a file. */
struct range {
	bool		 bad;		/* unusable: any truth value */
	bool		 may_null;
	bool		 may_val;	/* may be non-null */
	bool		 has_lo;	/* else unbounded below */
	bool		 has_hi;
	struct val	 lo;
	struct val	 hi;
};

/* One evaluation: a file, and its JSON parsed on first use. */
struct ev {
	const struct pred_schema *sc;
	const struct delta_file	*f;
	struct json_object	*pv;
	struct json_object	*st;
	bool			 pv_done;
	bool			 st_done;
};

static uint8_t	eval(struct ev *, const struct pred *);

/* --- types ------------------------------------------------------------ */

static enum kind
kind_of_type(enum pred_type t)
{
	switch (t) {
	case PRED_T_BOOL:
		return K_BOOL;
	case PRED_T_INT:
	case PRED_T_LONG:
		return K_INT;
	case PRED_T_STRING:
		return K_STR;
	case PRED_T_DATE:
		return K_DATE;
	case PRED_T_FLOAT:
		return K_F32;
	case PRED_T_DOUBLE:
		return K_F64;
	case PRED_T_TIMESTAMP:
		return K_TS;
	default:
		return K_NONE;
	}
}

static enum kind
kind_of_delta(const char *t)
{
	static const struct {
		const char	*name;
		enum kind	 k;
	} map[] = {
		{ "boolean", K_BOOL }, { "byte", K_INT }, { "short", K_INT },
		{ "integer", K_INT }, { "long", K_INT }, { "string", K_STR },
		{ "date", K_DATE }, { "timestamp", K_TS },
		{ "timestamp_ntz", K_TS }, { "float", K_F32 },
		{ "double", K_F64 },
	};
	size_t	 i;

	for (i = 0; t != NULL && i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(t, map[i].name) == 0)
			return map[i].k;
	return K_NONE;
}

/* Kinds compared the same way: floats of both widths. */
static enum kind
family(enum kind k)
{
	return k == K_F32 ? K_F64 : k;
}

static int
val_cmp(enum kind k, const struct val *a, const struct val *b)
{
	int	 c;

	switch (family(k)) {
	case K_STR:
		c = memcmp(a->s, b->s, a->n < b->n ? a->n : b->n);
		if (c != 0)
			return c < 0 ? -1 : 1;
		return a->n < b->n ? -1 : a->n > b->n;
	case K_F64:
		return a->d < b->d ? -1 : a->d > b->d;
	default:
		return a->i < b->i ? -1 : a->i > b->i;
	}
}

/* --- reading values ----------------------------------------------------- */

/* n decimal digits at s, or -1. */
static int
digits(const char *s, int n)
{
	int	 v = 0;

	for (; n > 0; n--, s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

/* YYYY-MM-DD at s, a real date; *end is past it. */
static int
parse_date(const char *s, int64_t *days, const char **end)
{
	int64_t	 y2;
	int	 y, m, d, m2, d2;

	if ((y = digits(s, 4)) < 0 || s[4] != '-' ||
	    (m = digits(s + 5, 2)) < 1 || m > 12 || s[7] != '-' ||
	    (d = digits(s + 8, 2)) < 1 || d > 31)
		return -1;
	*days = str_days_from_civil(y, m, d);
	/* Round trip: 02-30 comes back as another day. */
	str_civil(*days, &y2, &m2, &d2);
	if (y2 != y || m2 != m || d2 != d)
		return -1;
	*end = s + 10;
	return 0;
}

/* [.fraction] at *s, in microseconds; digits past them must be 0. */
static int
parse_frac(const char **s, int64_t *us)
{
	const char	*p = *s;
	int		 k;

	*us = 0;
	if (*p != '.')
		return 0;
	for (k = 0, p++; *p >= '0' && *p <= '9'; p++, k++) {
		if (k < 6)
			*us = *us * 10 + (*p - '0');
		else if (*p != '0')
			return -1;
	}
	if (k == 0 || k > 9)
		return -1;
	for (; k < 6; k++)
		*us *= 10;
	*s = p;
	return 0;
}

/* Z, +HH:MM[:SS], -HH:MM[:SS] or nothing (UTC), in seconds east. */
static int
parse_zone(const char *s, int64_t *off)
{
	int	 h, m, sec = 0;

	*off = 0;
	if (*s == '\0')
		return 0;
	if (*s == 'Z' || *s == 'z')
		return s[1] == '\0' ? 0 : -1;
	if ((*s != '+' && *s != '-') || (h = digits(s + 1, 2)) < 0 ||
	    h > 18 || s[3] != ':' || (m = digits(s + 4, 2)) < 0 || m > 59)
		return -1;
	if (s[6] == ':') {
		if ((sec = digits(s + 7, 2)) < 0 || sec > 59 || s[9] != '\0')
			return -1;
	} else if (s[6] != '\0')
		return -1;
	*off = (h * 3600 + m * 60 + sec) * (*s == '-' ? -1 : 1);
	return 0;
}

/*
 * A date-time: YYYY-MM-DD, then optionally [T ]HH:MM[:SS[.f]] and a
 * zone, as microseconds since the epoch.
 */
static int
parse_ts(const char *s, int64_t *us)
{
	int64_t		 days, frac, off;
	int		 h, m, sec = 0;

	if (parse_date(s, &days, &s) == -1)
		return -1;
	if (*s == '\0') {
		*us = days * US_PER_DAY;
		return 0;
	}
	if ((*s != 'T' && *s != 't' && *s != ' ') ||
	    (h = digits(s + 1, 2)) < 0 || h > 23 || s[3] != ':' ||
	    (m = digits(s + 4, 2)) < 0 || m > 59)
		return -1;
	s += 6;
	if (*s == ':') {
		if ((sec = digits(s + 1, 2)) < 0 || sec > 59)
			return -1;
		s += 3;
	}
	if (parse_frac(&s, &frac) == -1 || parse_zone(s, &off) == -1)
		return -1;
	*us = days * US_PER_DAY + ((int64_t)h * 3600 + m * 60 + sec - off) *
	    1000000 + frac;
	return 0;
}

/* d as the nearest float (ties to even), without overflowing it. */
static double
to_f32(double d)
{
	if (isinf(d) || fabs(d) <= FLT_MAX)
		return isinf(d) ? d : (double)(float)d;
	if (fabs(d) < (double)FLT_MAX + 0x1p103)
		return copysign((double)FLT_MAX, d);
	return copysign(INFINITY, d);
}

static int
parse_double(const char *s, enum kind k, double *d)
{
	char	*end;

	if (*s == '\0' || !((*s >= '0' && *s <= '9') || *s == '-' ||
	    *s == '+' || *s == '.' || *s == 'I' || *s == 'i'))
		return -1;
	*d = strtod(s, &end);
	if (*end != '\0' || isnan(*d))
		return -1;
	if (k == K_F32)
		*d = to_f32(*d);
	return 0;
}

/* Text (a literal, a partition value) as a value of kind k. */
static int
parse_text(enum kind k, const char *s, struct val *v)
{
	const char	*end;

	memset(v, 0, sizeof(*v));
	switch (k) {
	case K_BOOL:
		if (strcasecmp(s, "true") == 0 || strcasecmp(s, "false") == 0) {
			v->i = s[0] == 't' || s[0] == 'T';
			return 0;
		}
		return -1;
	case K_INT:
		return str_parse_i64(s, INT64_MIN, INT64_MAX, &v->i);
	case K_STR:
		v->s = s;
		v->n = strlen(s);
		return 0;
	case K_DATE:
		return parse_date(s, &v->i, &end) == 0 && *end == '\0' ? 0 : -1;
	case K_TS:
		return parse_ts(s, &v->i);
	case K_F32:
	case K_F64:
		return parse_double(s, k, &v->d);
	default:
		return -1;
	}
}

/* A statistic (a JSON value) as a value of kind k. */
static int
parse_stat(enum kind k, struct json_object *o, struct val *v)
{
	memset(v, 0, sizeof(*v));
	switch (k) {
	case K_BOOL:
		if (!json_object_is_type(o, json_type_boolean))
			return -1;
		v->i = json_object_get_boolean(o) ? 1 : 0;
		return 0;
	case K_INT:
		if (!json_object_is_type(o, json_type_int))
			return -1;
		v->i = json_object_get_int64(o);
		return 0;
	case K_F32:
	case K_F64:
		if (!json_object_is_type(o, json_type_double) &&
		    !json_object_is_type(o, json_type_int))
			return -1;
		v->d = json_object_get_double(o);
		if (isnan(v->d))
			return -1;
		if (k == K_F32)
			v->d = to_f32(v->d);
		return 0;
	default:
		if (!json_object_is_type(o, json_type_string))
			return -1;
		return parse_text(k, json_object_get_string(o), v);
	}
}

/* --- the file's JSON ---------------------------------------------------- */

/*
 * Parse a JSON object of the log (partitionValues, stats), or NULL.
 * Not jsonu_parse(): the root is dropped as soon as the file is
 * decided, not kept in the arena until the request ends, which would
 * hold every file's stats at once.
 */
static struct json_object *
doc_parse(const char *s)
{
	struct json_tokener	*tok;
	struct json_object	*o;
	const char		*why;
	size_t			 len, at;

	if (s == NULL || (len = strlen(s)) > (size_t)INT32_MAX - 1 ||
	    !str_utf8_valid(s, len) || jsonv_check(s, len, DOC_DEPTH, &why,
	    &at) != 0 || (tok = json_tokener_new_ex(DOC_DEPTH + 1)) == NULL)
		return NULL;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
	    JSON_TOKENER_ALLOW_TRAILING_CHARS | JSON_TOKENER_VALIDATE_UTF8);
	o = json_tokener_parse_ex(tok, s, (int)len + 1);
	if (json_tokener_get_error(tok) != json_tokener_success ||
	    !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		o = NULL;
	}
	json_tokener_free(tok);
	return o;
}

static struct json_object *
ev_pv(struct ev *ev)
{
	if (!ev->pv_done) {
		ev->pv = doc_parse(ev->f->partition_values);
		ev->pv_done = true;
	}
	return ev->pv;
}

static struct json_object *
ev_stats(struct ev *ev)
{
	if (!ev->st_done) {
		ev->st = doc_parse(ev->f->stats);
		ev->st_done = true;
	}
	return ev->st;
}

/*
 * Member key of o: true when present (*v NULL for a JSON null).  The
 * exact key first, then one that differs in case only.
 */
static bool
member(struct json_object *o, const char *key, struct json_object **v)
{
	*v = NULL;
	if (o == NULL || !json_object_is_type(o, json_type_object))
		return false;
	if (json_object_object_get_ex(o, key, v))
		return true;
	json_object_object_foreach(o, k, val) {
		if (strcasecmp(k, key) == 0) {
			*v = val;
			return true;
		}
	}
	return false;
}

/* A non-negative integer member, or -1. */
static int64_t
count(struct json_object *o, const char *key)
{
	struct json_object	*v;
	int64_t			 n;

	if (!member(o, key, &v) || !json_object_is_type(v, json_type_int))
		return -1;
	n = json_object_get_int64(v);
	return n < 0 ? -1 : n;
}

/* --- leaves ------------------------------------------------------------- */

static void
unknown(struct range *r)
{
	r->may_null = r->may_val = true;
	r->has_lo = r->has_hi = false;
}

static void
exact(struct range *r, const struct val *v)
{
	r->may_val = r->has_lo = r->has_hi = true;
	r->lo = r->hi = *v;
}

/* A partition column: one value per file. */
static void
part_range(struct ev *ev, const struct pred_col *c, enum kind k,
    struct range *r)
{
	struct json_object	*v;
	struct val		 x;
	const char		*s;

	if (!member(ev_pv(ev), c->phys, &v) ||
	    (v != NULL && !json_object_is_type(v, json_type_string))) {
		unknown(r);
		return;
	}
	if (v == NULL) {
		r->may_null = true;
		return;
	}
	s = json_object_get_string(v);
	if (*s == '\0') {
		/* Writers store null as ""; a string column may mean it. */
		r->may_null = true;
		if (k == K_STR && parse_text(k, s, &x) == 0)
			exact(r, &x);
		return;
	}
	if (parse_text(k, s, &x) == -1)
		unknown(r);
	else
		exact(r, &x);
}

/* Null and non-null possibilities from numRecords and nullCount. */
static void
stats_counts(struct json_object *st, const char *phys, struct range *r)
{
	struct json_object	*v, *nulls;
	int64_t			 nr, nc;

	if (member(st, "tightBounds", &v) &&
	    json_object_is_type(v, json_type_boolean) &&
	    !json_object_get_boolean(v))
		return;
	nr = count(st, "numRecords");
	nc = member(st, "nullCount", &nulls) ? count(nulls, phys) : -1;
	if (nr >= 0 && nc > nr)
		return;
	if (nc >= 0)
		r->may_null = nc > 0;
	if (nr >= 0 && nc >= 0)
		r->may_val = nr > nc;
	else if (nr == 0)
		r->may_null = r->may_val = false;
}

/* minValues or maxValues of the column, when it reads as kind k. */
static bool
stats_bound(struct json_object *st, const char *which, const char *phys,
    enum kind k, struct val *out)
{
	struct json_object	*vals, *v;

	return member(st, which, &vals) && member(vals, phys, &v) &&
	    v != NULL && parse_stat(k, v, out) == 0;
}

/*
 * A double column may have been a float one (type widening) when the
 * file was written: its statistics then stand for the float nearest
 * the number written.  Take both readings.
 */
static void
widen_f64(struct range *r)
{
	double	 f;

	if (r->has_lo && (f = to_f32(r->lo.d)) < r->lo.d)
		r->lo.d = f;
	if (r->has_hi && (f = to_f32(r->hi.d)) > r->hi.d)
		r->hi.d = f;
}

/* A data column: what the statistics say of it. */
static void
stats_range(struct ev *ev, const struct pred_col *c, enum kind k,
    struct range *r)
{
	struct json_object	*st;

	unknown(r);
	if ((st = ev_stats(ev)) == NULL)
		return;
	stats_counts(st, c->phys, r);
	r->has_lo = stats_bound(st, "minValues", c->phys, k, &r->lo);
	r->has_hi = stats_bound(st, "maxValues", c->phys, k, &r->hi);
	if (k == K_STR && r->has_hi && str_utf8_len(r->hi.s, r->hi.n) >=
	    STR_PREFIX)
		r->has_hi = false;
	if (k == K_TS) {
		r->lo.i -= TS_SLACK;
		r->hi.i += TS_SLACK;
	}
	if (k == K_F64)
		widen_f64(r);
	/* An inverted range says nothing. */
	if (r->has_lo && r->has_hi && val_cmp(k, &r->lo, &r->hi) > 0)
		r->has_lo = r->has_hi = false;
}

static const struct pred_col *
find_col(const struct pred_schema *sc, const char *name)
{
	size_t	 i;

	if (sc == NULL || name == NULL)
		return NULL;
	for (i = 0; i < sc->n; i++)
		if (strcmp(sc->cols[i].name, name) == 0)
			return &sc->cols[i];
	for (i = 0; i < sc->n; i++)
		if (strcasecmp(sc->cols[i].name, name) == 0)
			return &sc->cols[i];
	return NULL;
}

/* What leaf p may be over the rows of the file. */
static void
leaf_range(struct ev *ev, const struct pred *p, struct range *r)
{
	const struct pred_col	*c;
	enum kind		 k = kind_of_type(p->type), ck;
	struct val		 v;

	memset(r, 0, sizeof(*r));
	r->bad = true;
	if (k == K_NONE)
		return;
	if (p->op == PRED_LITERAL) {
		if (p->value == NULL || parse_text(k, p->value, &v) == -1)
			return;
		exact(r, &v);
	} else if (p->op == PRED_COLUMN) {
		if ((c = find_col(ev->sc, p->name)) == NULL ||
		    family(ck = kind_of_delta(c->type)) != family(k))
			return;
		if (c->partition)
			part_range(ev, c, ck, r);
		else
			stats_range(ev, c, ck, r);
	} else
		return;
	r->bad = false;
}

/* --- truth-value sets --------------------------------------------------- */

static bool
empty(const struct range *r)
{
	return !r->may_null && !r->may_val;
}

static bool
point(enum kind k, const struct range *r)
{
	return r->has_lo && r->has_hi && val_cmp(k, &r->lo, &r->hi) == 0;
}

/* a < b (or a <= b with le) possible TRUE and possible FALSE. */
static uint8_t
order_lt(enum kind k, const struct range *a, const struct range *b, bool le)
{
	uint8_t	 s = 0;
	int	 c;

	c = a->has_lo && b->has_hi ? val_cmp(k, &a->lo, &b->hi) : -1;
	if (le ? c <= 0 : c < 0)
		s |= TV_TRUE;
	c = a->has_hi && b->has_lo ? val_cmp(k, &a->hi, &b->lo) : 1;
	if (le ? c > 0 : c >= 0)
		s |= TV_FALSE;
	return s;
}

static uint8_t
order_eq(enum kind k, const struct range *a, const struct range *b)
{
	uint8_t	 s = 0;

	if (!(a->has_hi && b->has_lo && val_cmp(k, &a->hi, &b->lo) < 0) &&
	    !(b->has_hi && a->has_lo && val_cmp(k, &b->hi, &a->lo) < 0))
		s |= TV_TRUE;
	if (!point(k, a) || !point(k, b) || val_cmp(k, &a->lo, &b->lo) != 0)
		s |= TV_FALSE;
	return s;
}

static uint8_t
compare(struct ev *ev, const struct pred *p)
{
	struct range	 a, b;
	enum kind	 k;
	uint8_t		 s = 0;

	if (p->nkids != 2)
		return TV_ALL;
	leaf_range(ev, p->kids[0], &a);
	leaf_range(ev, p->kids[1], &b);
	k = family(kind_of_type(p->kids[0]->type));
	if (a.bad || b.bad || k != family(kind_of_type(p->kids[1]->type)))
		return TV_ALL;
	if (empty(&a) || empty(&b))
		return 0;
	if (a.may_null || b.may_null)
		s |= TV_NULL;
	if (!a.may_val || !b.may_val)
		return s;
	switch (p->op) {
	case PRED_EQ:
		return s | order_eq(k, &a, &b);
	case PRED_LT:
		return s | order_lt(k, &a, &b, false);
	case PRED_LE:
		return s | order_lt(k, &a, &b, true);
	case PRED_GT:
		return s | order_lt(k, &b, &a, false);
	case PRED_GE:
		return s | order_lt(k, &b, &a, true);
	default:
		return TV_ALL;
	}
}

/* A leaf of type bool used as a predicate. */
static uint8_t
bool_leaf(struct ev *ev, const struct pred *p)
{
	struct range	 r;
	uint8_t		 s = 0;

	if (p->type != PRED_T_BOOL)
		return TV_ALL;
	leaf_range(ev, p, &r);
	if (r.bad)
		return TV_ALL;
	if (r.may_null)
		s |= TV_NULL;
	if (r.may_val) {
		if (!r.has_hi || r.hi.i != 0)
			s |= TV_TRUE;
		if (!r.has_lo || r.lo.i != 1)
			s |= TV_FALSE;
	}
	return s;
}

static uint8_t
is_null(struct ev *ev, const struct pred *p)
{
	struct range	 r;

	if (p->nkids != 1)
		return TV_ALL;
	leaf_range(ev, p->kids[0], &r);
	if (r.bad)
		return TV_ALL;
	return (r.may_null ? TV_TRUE : 0) | (r.may_val ? TV_FALSE : 0);
}

static uint8_t
tv_not(uint8_t s)
{
	return (s & TV_TRUE ? TV_FALSE : 0) | (s & TV_FALSE ? TV_TRUE : 0) |
	    (s & TV_NULL);
}

/* Kleene AND (or OR) of one value of each set, for every pair. */
static uint8_t
tv_combine(uint8_t x, uint8_t y, bool and)
{
	uint8_t	 s = 0, dom = and ? TV_FALSE : TV_TRUE, i, j;

	for (i = 1; i <= TV_NULL; i <<= 1) {
		for (j = 1; j <= TV_NULL; j <<= 1) {
			if (!(x & i) || !(y & j))
				continue;
			if (i == dom || j == dom)
				s |= dom;
			else if (i == TV_NULL || j == TV_NULL)
				s |= TV_NULL;
			else
				s |= i;
		}
	}
	return s;
}

static uint8_t
junction(struct ev *ev, const struct pred *p, bool and)
{
	uint8_t	 s = and ? TV_TRUE : TV_FALSE, stop;
	size_t	 i;

	if (p->nkids == 0)
		return TV_ALL;
	/* Once the result is only FALSE (AND) or TRUE (OR), it stays. */
	stop = and ? TV_FALSE : TV_TRUE;
	for (i = 0; i < p->nkids && s != stop && s != 0; i++)
		s = tv_combine(s, eval(ev, p->kids[i]), and);
	return s;
}

static uint8_t
eval(struct ev *ev, const struct pred *p)
{
	switch (p->op) {
	case PRED_COLUMN:
	case PRED_LITERAL:
		return bool_leaf(ev, p);
	case PRED_IS_NULL:
		return is_null(ev, p);
	case PRED_NOT:
		return p->nkids == 1 ? tv_not(eval(ev, p->kids[0])) : TV_ALL;
	case PRED_AND:
		return junction(ev, p, true);
	case PRED_OR:
		return junction(ev, p, false);
	default:
		return compare(ev, p);
	}
}

bool
pred_keep(const struct pred *p, const struct pred_schema *sc,
    const struct delta_file *f, struct arena *a)
{
	struct ev	 ev;
	uint8_t		 s;

	if (p == NULL || f == NULL)
		return true;
	memset(&ev, 0, sizeof(ev));
	ev.sc = sc;
	ev.f = f;
	s = eval(&ev, p);
	json_object_put(ev.pv);
	json_object_put(ev.st);
	return (s & TV_TRUE) != 0;
}

/* --- the schema --------------------------------------------------------- */

static const char *
str_member(struct json_object *o, const char *key)
{
	struct json_object	*v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static bool
is_partition(const struct delta_metadata *md, const char *name)
{
	size_t	 i;

	for (i = 0; i < md->n_partition_columns; i++)
		if (md->partition_columns[i] != NULL &&
		    strcasecmp(md->partition_columns[i], name) == 0)
			return true;
	return false;
}

/* One field of the top-level struct. */
static int
schema_col(const struct delta_metadata *md, struct json_object *o,
    struct pred_col *c)
{
	struct json_object	*t, *meta;

	if (!json_object_is_type(o, json_type_object) ||
	    (c->name = str_member(o, "name")) == NULL)
		return -1;
	/* A struct, array or map has an object for a type. */
	if (json_object_object_get_ex(o, "type", &t) &&
	    json_object_is_type(t, json_type_object))
		c->type = str_member(t, "type");
	else
		c->type = str_member(o, "type");
	c->phys = NULL;
	if (json_object_object_get_ex(o, "metadata", &meta) &&
	    json_object_is_type(meta, json_type_object))
		c->phys = str_member(meta, PHYS_KEY);
	if (c->phys == NULL)
		c->phys = c->name;
	c->partition = is_partition(md, c->name);
	return 0;
}

int
pred_schema(struct arena *a, const struct delta_metadata *md,
    struct pred_schema *out)
{
	struct json_object	*root, *fields;
	struct err		 e;
	size_t			 i, n;

	memset(out, 0, sizeof(*out));
	if (md == NULL || md->schema_string == NULL)
		return -1;
	err_clear(&e);
	if ((root = jsonu_parse(a, md->schema_string,
	    strlen(md->schema_string), SCHEMA_DEPTH, &e)) == NULL ||
	    !json_object_is_type(root, json_type_object) ||
	    !json_object_object_get_ex(root, "fields", &fields) ||
	    !json_object_is_type(fields, json_type_array))
		return -1;
	n = json_object_array_length(fields);
	out->cols = arena_calloc(a, n > 0 ? n : 1, sizeof(*out->cols));
	for (i = 0; i < n; i++)
		if (schema_col(md, json_object_array_get_idx(fields, i),
		    &out->cols[i]) == -1)
			return -1;
	out->n = n;
	return 0;
}
