/*
 * parquet_meta.c: the Parquet footer (FileMetaData) and page headers,
 * decoded from the Thrift compact protocol (see parquet_meta.h).
 *
 * Field ids are those of parquet.thrift.  Each struct is read with a
 * field loop that skips what it does not know.  The schema list is read
 * into nodes first, then rebuilt into a tree (checking num_children and
 * the depth), then annotated for record assembly.  Row groups need the
 * schema, and Thrift does not order fields, so their bytes are set aside
 * and decoded after the whole struct has been read.  Every count that
 * sizes an allocation is bounded first by the bytes left (thrift.c) and
 * then by the limits, so a footer costs memory in proportion to its size.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "err.h"
#include "parquet_meta.h"
#include "thrift.h"

/* ConvertedType values. */
enum {
	CT_UTF8, CT_MAP, CT_MAP_KEY_VALUE, CT_LIST, CT_ENUM, CT_DECIMAL,
	CT_DATE, CT_TIME_MILLIS, CT_TIME_MICROS, CT_TIMESTAMP_MILLIS,
	CT_TIMESTAMP_MICROS, CT_UINT_8, CT_UINT_16, CT_UINT_32, CT_UINT_64,
	CT_INT_8, CT_INT_16, CT_INT_32, CT_INT_64, CT_JSON, CT_BSON,
	CT_INTERVAL
};

#define MAX_NAME	65536	/* bytes of one schema name */
#define MAX_SCALE	1000	/* DECIMAL scale we render */

/* A schema element as read, before the tree is built. */
struct elem {
	bool		 has_type, has_children, has_rep;
	int32_t		 type, type_length, rep, num_children;
	int32_t		 converted, scale, precision;
	bool		 has_scale, has_precision;
};

struct ctx {
	struct thrift_dec			 d;
	const struct parquet_meta_limits	*lim;
	struct arena				*a;
	struct parquet_meta			*m;
	struct err				*err;
	size_t					 path_budget;
};

/* Prefix the message in err with what was being decoded. */
static int
fail_in(struct err *err, const char *what)
{
	char	 tmp[sizeof(err->msg)];

	snprintf(tmp, sizeof(tmp), "%s", err->msg);
	return err_set(err, err->kind == ERR_NONE ? ERR_INTERNAL : err->kind,
	    "parquet footer: %s: %s", what, tmp);
}

/*
 * A string field copied into the arena (NUL-terminated).  A name may not
 * hold a NUL byte, which would cut it short; other strings (key/value
 * metadata) are cut there.
 */
static int
get_string(struct ctx *c, enum thrift_type t, size_t max, const char **out)
{
	const unsigned char	*p;
	size_t			 n;

	if (thrift_dec_binary(&c->d, t, &p, &n) == -1)
		return -1;
	if (n > max)
		return err_set(c->err, ERR_INTERNAL, "string of %zu bytes", n);
	if (max == MAX_NAME && memchr(p, '\0', n) != NULL)
		return err_set(c->err, ERR_INTERNAL, "a schema name holds a "
		    "NUL byte");
	*out = arena_strndup(c->a, (const char *)p, n);
	return 0;
}

/* --- schema elements ----------------------------------------------------- */

static int
dec_unit(struct ctx *c, enum thrift_type t, struct parquet_meta_node *n)
{
	enum thrift_type	 ft;
	int16_t			 id;
	int			 rc;

	if (thrift_dec_struct_begin(&c->d, t) == -1)
		return -1;
	while ((rc = thrift_dec_field(&c->d, &id, &ft)) == 1) {
		if (id >= 1 && id <= 3)
			n->unit = id == 1 ? PARQUET_MILLIS : id == 2 ?
			    PARQUET_MICROS : PARQUET_NANOS;
		if (thrift_dec_skip(&c->d, ft) == -1)
			return -1;
	}
	return rc;
}

/* TimeType and TimestampType: isAdjustedToUTC, unit. */
static int
dec_time(struct ctx *c, enum thrift_type t, struct parquet_meta_node *n)
{
	enum thrift_type	 ft;
	int16_t			 id;
	int			 rc;

	if (thrift_dec_struct_begin(&c->d, t) == -1)
		return -1;
	while ((rc = thrift_dec_field(&c->d, &id, &ft)) == 1) {
		if (id == 1)
			rc = thrift_dec_bool(&c->d, ft, &n->utc);
		else if (id == 2)
			rc = dec_unit(c, ft, n);
		else
			rc = thrift_dec_skip(&c->d, ft);
		if (rc == -1)
			return -1;
	}
	return rc;
}

/* DecimalType (scale, precision) and IntType (bitWidth, isSigned). */
static int
dec_params(struct ctx *c, enum thrift_type t, int32_t *a, int32_t *b,
    bool *flag)
{
	enum thrift_type	 ft;
	int16_t			 id;
	int			 rc;

	if (thrift_dec_struct_begin(&c->d, t) == -1)
		return -1;
	while ((rc = thrift_dec_field(&c->d, &id, &ft)) == 1) {
		if (id == 1)
			rc = thrift_dec_i32(&c->d, ft, a);
		else if (id == 2 && flag != NULL)
			rc = thrift_dec_bool(&c->d, ft, flag);
		else if (id == 2)
			rc = thrift_dec_i32(&c->d, ft, b);
		else
			rc = thrift_dec_skip(&c->d, ft);
		if (rc == -1)
			return -1;
	}
	return rc;
}

/* The LogicalType union. */
static int
dec_logical(struct ctx *c, enum thrift_type t, struct parquet_meta_node *n)
{
	static const enum parquet_meta_logical plain[] = {
		[1] = PARQUET_LT_STRING, [2] = PARQUET_LT_MAP,
		[3] = PARQUET_LT_LIST, [4] = PARQUET_LT_ENUM,
		[6] = PARQUET_LT_DATE, [11] = PARQUET_LT_UNKNOWN,
		[12] = PARQUET_LT_JSON, [13] = PARQUET_LT_BSON,
		[14] = PARQUET_LT_UUID, [15] = PARQUET_LT_FLOAT16,
		[16] = PARQUET_LT_VARIANT
	};
	enum thrift_type	 ft;
	int16_t			 id;
	int32_t			 bits = 0;
	int			 rc;

	if (thrift_dec_struct_begin(&c->d, t) == -1)
		return -1;
	while ((rc = thrift_dec_field(&c->d, &id, &ft)) == 1) {
		n->logical = PARQUET_LT_OTHER;
		switch (id) {
		case 5:
			n->logical = PARQUET_LT_DECIMAL;
			rc = dec_params(c, ft, &n->scale, &n->precision, NULL);
			break;
		case 7:
		case 8:
			n->logical = id == 7 ? PARQUET_LT_TIME :
			    PARQUET_LT_TIMESTAMP;
			rc = dec_time(c, ft, n);
			break;
		case 10:
			n->logical = PARQUET_LT_INT;
			n->is_signed = true;
			rc = dec_params(c, ft, &bits, NULL, &n->is_signed);
			n->bits = bits;
			break;
		default:
			if (id > 0 && (size_t)id < sizeof(plain) /
			    sizeof(plain[0]) && plain[id] != PARQUET_LT_NONE)
				n->logical = plain[id];
			rc = thrift_dec_skip(&c->d, ft);
			break;
		}
		if (rc == -1)
			return -1;
	}
	return rc;
}

static int
dec_element(struct ctx *c, enum thrift_type t, struct parquet_meta_node *n,
    struct elem *e)
{
	enum thrift_type	 ft;
	int16_t			 id;
	int			 rc;
	bool			 named = false;

	n->converted = e->converted = -1;
	if (thrift_dec_struct_begin(&c->d, t) == -1)
		return -1;
	while ((rc = thrift_dec_field(&c->d, &id, &ft)) == 1) {
		switch (id) {
		case 1:
			e->has_type = true;
			rc = thrift_dec_i32(&c->d, ft, &e->type);
			break;
		case 2:
			rc = thrift_dec_i32(&c->d, ft, &e->type_length);
			break;
		case 3:
			e->has_rep = true;
			rc = thrift_dec_i32(&c->d, ft, &e->rep);
			break;
		case 4:
			named = true;
			rc = get_string(c, ft, MAX_NAME, &n->name);
			break;
		case 5:
			e->has_children = true;
			rc = thrift_dec_i32(&c->d, ft, &e->num_children);
			break;
		case 6:
			rc = thrift_dec_i32(&c->d, ft, &e->converted);
			n->converted = e->converted;
			break;
		case 7:
			e->has_scale = true;
			rc = thrift_dec_i32(&c->d, ft, &e->scale);
			break;
		case 8:
			e->has_precision = true;
			rc = thrift_dec_i32(&c->d, ft, &e->precision);
			break;
		case 9:
			n->has_field_id = true;
			rc = thrift_dec_i32(&c->d, ft, &n->field_id);
			break;
		case 10:
			rc = dec_logical(c, ft, n);
			break;
		default:
			rc = thrift_dec_skip(&c->d, ft);
			break;
		}
		if (rc == -1)
			return -1;
	}
	if (rc == 0 && !named)
		return err_set(c->err, ERR_INTERNAL, "schema element without "
		    "a name");
	return rc;
}

/* --- the schema tree ------------------------------------------------------ */

/* The logical type from converted_type, when logicalType is absent. */
static void
from_converted(struct parquet_meta_node *n, const struct elem *e)
{
	static const enum parquet_meta_logical map[] = {
		[CT_UTF8] = PARQUET_LT_STRING, [CT_MAP] = PARQUET_LT_MAP,
		[CT_MAP_KEY_VALUE] = PARQUET_LT_MAP_KEY_VALUE,
		[CT_LIST] = PARQUET_LT_LIST, [CT_ENUM] = PARQUET_LT_ENUM,
		[CT_DECIMAL] = PARQUET_LT_DECIMAL, [CT_DATE] = PARQUET_LT_DATE,
		[CT_TIME_MILLIS] = PARQUET_LT_TIME,
		[CT_TIME_MICROS] = PARQUET_LT_TIME,
		[CT_TIMESTAMP_MILLIS] = PARQUET_LT_TIMESTAMP,
		[CT_TIMESTAMP_MICROS] = PARQUET_LT_TIMESTAMP,
		[CT_JSON] = PARQUET_LT_JSON, [CT_BSON] = PARQUET_LT_BSON,
		[CT_INTERVAL] = PARQUET_LT_INTERVAL
	};
	int	 ct = e->converted;

	if (ct < 0 || ct > CT_INTERVAL)
		return;
	if (ct >= CT_UINT_8 && ct <= CT_INT_64) {
		n->logical = PARQUET_LT_INT;
		n->bits = 8 << ((ct - CT_UINT_8) % 4);
		n->is_signed = ct >= CT_INT_8;
		return;
	}
	n->logical = map[ct];
	n->utc = true;
	n->unit = ct == CT_TIME_MILLIS || ct == CT_TIMESTAMP_MILLIS ?
	    PARQUET_MILLIS : PARQUET_MICROS;
}

/* Does the logical type fit the node?  If not, it is dropped. */
static bool
logical_fits(const struct parquet_meta_node *n, bool group)
{
	enum parquet_meta_type	 t = n->type;

	switch (n->logical) {
	case PARQUET_LT_NONE:
	case PARQUET_LT_OTHER:
	case PARQUET_LT_UNKNOWN:
		return true;
	case PARQUET_LT_LIST:
	case PARQUET_LT_MAP:
	case PARQUET_LT_MAP_KEY_VALUE:
	case PARQUET_LT_VARIANT:
		return group;
	default:
		break;
	}
	if (group)
		return false;
	switch (n->logical) {
	case PARQUET_LT_STRING:
	case PARQUET_LT_ENUM:
	case PARQUET_LT_JSON:
	case PARQUET_LT_BSON:
		return t == PARQUET_BYTE_ARRAY;
	case PARQUET_LT_UUID:
		return t == PARQUET_FIXED && n->type_length == 16;
	case PARQUET_LT_FLOAT16:
		return t == PARQUET_FIXED && n->type_length == 2;
	case PARQUET_LT_INTERVAL:
		return t == PARQUET_FIXED && n->type_length == 12;
	case PARQUET_LT_DATE:
		return t == PARQUET_INT32;
	case PARQUET_LT_TIME:
		return t == (n->unit == PARQUET_MILLIS ? PARQUET_INT32 :
		    PARQUET_INT64);
	case PARQUET_LT_TIMESTAMP:
		return t == PARQUET_INT64;
	case PARQUET_LT_INT:
		return (t == PARQUET_INT32 && (n->bits == 8 || n->bits == 16 ||
		    n->bits == 32)) || (t == PARQUET_INT64 && n->bits == 64);
	case PARQUET_LT_DECIMAL:
		return (t == PARQUET_INT32 || t == PARQUET_INT64 ||
		    t == PARQUET_FIXED || t == PARQUET_BYTE_ARRAY) &&
		    n->precision >= 1 && n->scale >= 0 &&
		    n->scale <= MAX_SCALE;
	default:
		return false;
	}
}

/* Types, repetition and logical type of node n from its element. */
static int
setup_node(struct ctx *c, struct parquet_meta_node *n, const struct elem *e,
    bool group)
{
	if (!group) {
		if (!e->has_type || e->type < PARQUET_BOOLEAN ||
		    e->type > PARQUET_FIXED)
			return err_set(c->err, ERR_INTERNAL, "column '%s': bad "
			    "or missing physical type", n->name);
		n->type = (enum parquet_meta_type)e->type;
		if (n->type == PARQUET_FIXED && (e->type_length <= 0 ||
		    e->type_length > c->lim->max_type_length))
			return err_set(c->err, ERR_INTERNAL, "column '%s': bad "
			    "fixed length %d", n->name, (int)e->type_length);
		if (n->type == PARQUET_FIXED)
			n->type_length = e->type_length;
	}
	if (e->has_rep && (e->rep < PARQUET_REQUIRED ||
	    e->rep > PARQUET_REPEATED))
		return err_set(c->err, ERR_INTERNAL, "field '%s': bad "
		    "repetition %d", n->name, (int)e->rep);
	n->rep = e->has_rep ? (enum parquet_meta_rep)e->rep : PARQUET_REQUIRED;
	if (n->logical == PARQUET_LT_NONE)
		from_converted(n, e);
	if (n->logical == PARQUET_LT_DECIMAL && n->precision == 0) {
		n->scale = e->has_scale ? e->scale : 0;
		n->precision = e->has_precision ? e->precision : 0;
	}
	if (!logical_fits(n, group))
		n->logical = PARQUET_LT_NONE;
	return 0;
}

/* The dotted path of n, from its parent's. */
static int
make_path(struct ctx *c, struct parquet_meta_node *n)
{
	const struct parquet_meta_node	*p = n->parent;
	size_t				 pl, nl = strlen(n->name);
	char				*s;

	if (p == NULL) {
		n->path = "";
		return 0;
	}
	pl = strlen(p->path);
	if (pl + nl + 2 > c->path_budget)
		return err_set(c->err, ERR_INTERNAL, "schema paths too long "
		    "at '%s'", n->name);
	c->path_budget -= pl + nl + 2;
	s = arena_alloc(c->a, pl + nl + 2);
	memcpy(s, p->path, pl);
	if (pl > 0)
		s[pl++] = '.';
	memcpy(s + pl, n->name, nl + 1);
	n->path = s;
	return 0;
}

/*
 * Build the subtree at element *i under parent, recursively; depth is
 * checked before recursing.
 */
static int
build(struct ctx *c, const struct elem *elems, size_t *i,
    struct parquet_meta_node *parent)
{
	struct parquet_meta			*m = c->m;
	struct parquet_meta_node		*n;
	const struct elem			*e;
	size_t					 k;
	bool					 group;

	n = m->nodes[*i];
	e = &elems[(*i)++];
	n->parent = parent;
	n->depth = parent == NULL ? 0 : parent->depth + 1;
	if (n->depth > c->lim->max_depth || n->depth > PARQUET_META_MAX_DEPTH)
		return err_set(c->err, ERR_INTERNAL, "schema nested deeper "
		    "than %d at '%s'", c->lim->max_depth, n->name);
	group = e->has_children && (e->num_children > 0 || !e->has_type);
	if (group && e->num_children <= 0)
		return err_set(c->err, ERR_INTERNAL, "group '%s' has no "
		    "fields", n->name);
	if (parent == NULL && !group)
		return err_set(c->err, ERR_INTERNAL, "the schema root is not "
		    "a group");
	if (setup_node(c, n, e, group) == -1 || make_path(c, n) == -1)
		return -1;
	if (parent != NULL) {
		n->max_def = parent->max_def + (n->rep != PARQUET_REQUIRED);
		n->max_rep = parent->max_rep + (n->rep == PARQUET_REPEATED);
	}
	n->first_col = m->nleaves;
	if (!group) {
		n->shape = PARQUET_SHAPE_LEAF;
		n->col = m->nleaves++;
		n->ncols = 1;
		return 0;
	}
	if ((size_t)e->num_children > m->nnodes - *i)
		return err_set(c->err, ERR_INTERNAL, "group '%s' has %d "
		    "fields, %zu schema elements left", n->name,
		    (int)e->num_children, m->nnodes - *i);
	n->nkids = (size_t)e->num_children;
	n->kids = arena_calloc(c->a, n->nkids, sizeof(*n->kids));
	for (k = 0; k < n->nkids; k++) {
		/* Earlier children may have used up the elements. */
		if (*i >= m->nnodes)
			return err_set(c->err, ERR_INTERNAL, "group '%s' has "
			    "%zu fields, the schema ends after %zu",
			    n->name, n->nkids, k);
		n->kids[k] = m->nodes[*i];
		if (build(c, elems, i, n) == -1)
			return -1;
	}
	n->ncols = m->nleaves - n->first_col;
	return 0;
}

/* The LIST rules of LogicalTypes.md: which node is the element. */
static void
list_shape(struct parquet_meta_node *g)
{
	const struct parquet_meta_node	*r = g->kids[0];
	size_t				 gl = strlen(g->name);

	g->shape = PARQUET_SHAPE_LIST;
	g->rep_node = r;
	if (r->nkids == 0 || r->nkids > 1 ||
	    r->kids[0]->rep == PARQUET_REPEATED ||
	    strcmp(r->name, "array") == 0 ||
	    (strncmp(r->name, g->name, gl) == 0 &&
	    strcmp(r->name + gl, "_tuple") == 0))
		g->elem = r;		/* two-level: the repeated field */
	else
		g->elem = r->kids[0];	/* three-level */
}

/* Shapes of the groups: LIST, MAP or a plain struct. */
static void
shapes(struct parquet_meta *m)
{
	struct parquet_meta_node	*g;
	const struct parquet_meta_node	*r;
	size_t				 i;
	bool				 in_map;

	for (i = 0; i < m->nnodes; i++) {
		g = m->nodes[i];
		if (g->nkids == 0)
			continue;
		g->shape = PARQUET_SHAPE_STRUCT;
		if (g->parent == NULL || g->nkids != 1 ||
		    g->kids[0]->rep != PARQUET_REPEATED)
			continue;
		r = g->kids[0];
		in_map = g->parent->logical == PARQUET_LT_MAP;
		if (g->logical == PARQUET_LT_LIST)
			list_shape(g);
		else if ((g->logical == PARQUET_LT_MAP ||
		    (g->logical == PARQUET_LT_MAP_KEY_VALUE && !in_map)) &&
		    (r->nkids == 1 || r->nkids == 2)) {
			g->shape = PARQUET_SHAPE_MAP;
			g->rep_node = r;
			g->key = r->kids[0];
			g->value = r->nkids == 2 ? r->kids[1] : NULL;
		}
	}
}

static int
dec_schema(struct ctx *c, enum thrift_type t)
{
	struct parquet_meta	*m = c->m;
	enum thrift_type	 et;
	struct elem		*elems;
	size_t			 n, i, at = 0;

	if (thrift_dec_list(&c->d, t, &et, &n) == -1)
		return -1;
	if (n == 0 || n > c->lim->max_nodes)
		return err_set(c->err, ERR_INTERNAL, "%zu schema elements", n);
	m->nnodes = n;
	m->nleaves = 0;
	m->nodes = arena_calloc(c->a, n, sizeof(*m->nodes));
	elems = arena_calloc(c->a, n, sizeof(*elems));
	for (i = 0; i < n; i++) {
		m->nodes[i] = arena_calloc(c->a, 1, sizeof(**m->nodes));
		m->nodes[i]->id = i;
		if (dec_element(c, et, m->nodes[i], &elems[i]) == -1)
			return -1;
	}
	if (build(c, elems, &at, NULL) == -1)
		return -1;
	if (at != n)
		return err_set(c->err, ERR_INTERNAL, "%zu schema elements "
		    "outside the tree", n - at);
	m->root = m->nodes[0];
	m->leaves = arena_calloc(c->a, m->nleaves, sizeof(*m->leaves));
	for (i = 0; i < n; i++)
		if (m->nodes[i]->nkids == 0)
			m->leaves[m->nodes[i]->col] = m->nodes[i];
	shapes(m);
	return 0;
}

/* --- row groups ----------------------------------------------------------- */

static int
dec_stats(struct ctx *c, enum thrift_type t, struct parquet_meta_stats *s)
{
	const unsigned char	*lmin = NULL, *lmax = NULL;
	size_t			 lminl = 0, lmaxl = 0;
	enum thrift_type	 ft;
	int16_t			 id;
	int			 rc;

	if (thrift_dec_struct_begin(&c->d, t) == -1)
		return -1;
	while ((rc = thrift_dec_field(&c->d, &id, &ft)) == 1) {
		switch (id) {
		case 1:
			rc = thrift_dec_binary(&c->d, ft, &lmax, &lmaxl);
			break;
		case 2:
			rc = thrift_dec_binary(&c->d, ft, &lmin, &lminl);
			break;
		case 3:
			s->has_null_count = true;
			rc = thrift_dec_i64(&c->d, ft, &s->null_count);
			break;
		case 4:
			s->has_distinct_count = true;
			rc = thrift_dec_i64(&c->d, ft, &s->distinct_count);
			break;
		case 5:
			s->has_max = true;
			rc = thrift_dec_binary(&c->d, ft, &s->max, &s->max_len);
			break;
		case 6:
			s->has_min = true;
			rc = thrift_dec_binary(&c->d, ft, &s->min, &s->min_len);
			break;
		default:
			rc = thrift_dec_skip(&c->d, ft);
			break;
		}
		if (rc == -1)
			return -1;
	}
	if (rc == 0 && !s->has_min && !s->has_max &&
	    (lmin != NULL || lmax != NULL)) {
		s->legacy = true;
		s->has_min = lmin != NULL;
		s->has_max = lmax != NULL;
		s->min = lmin;
		s->min_len = lminl;
		s->max = lmax;
		s->max_len = lmaxl;
	}
	return rc;
}

/* path_in_schema must name the leaf, segment by segment. */
static int
dec_path(struct ctx *c, enum thrift_type t,
    const struct parquet_meta_node *leaf)
{
	const struct parquet_meta_node	*n, *names[PARQUET_META_MAX_DEPTH + 1];
	const unsigned char		*p;
	enum thrift_type		 et;
	size_t				 len, i, k;

	if (thrift_dec_list(&c->d, t, &et, &len) == -1)
		return -1;
	if (len != (size_t)leaf->depth || len > PARQUET_META_MAX_DEPTH)
		return err_set(c->err, ERR_INTERNAL, "column '%s': "
		    "path_in_schema has %zu names", leaf->path, len);
	for (n = leaf; n->parent != NULL; n = n->parent)
		names[n->depth - 1] = n;
	for (i = 0; i < len; i++) {
		if (thrift_dec_binary(&c->d, et, &p, &k) == -1)
			return -1;
		n = names[i];
		if (k != strlen(n->name) || memcmp(p, n->name, k) != 0)
			return err_set(c->err, ERR_INTERNAL, "column '%s': "
			    "path_in_schema does not match the schema",
			    leaf->path);
	}
	return 0;
}

static int
dec_encodings(struct ctx *c, enum thrift_type t, uint32_t *set)
{
	enum thrift_type	 et;
	size_t			 n, i;
	int32_t			 v;

	if (thrift_dec_list(&c->d, t, &et, &n) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		if (thrift_dec_i32(&c->d, et, &v) == -1)
			return -1;
		if (v >= 0 && v < 32)
			*set |= (uint32_t)1 << v;
	}
	return 0;
}

/* Required ColumnMetaData fields, as bits. */
enum {
	CM_TYPE = 1, CM_CODEC = 2, CM_NUM = 4, CM_RAW = 8, CM_COMP = 16,
	CM_DATA = 32, CM_ALL = 63
};

static int
dec_colmeta_field(struct ctx *c, int16_t id, enum thrift_type ft,
    struct parquet_meta_chunk *k, unsigned int *seen)
{
	int32_t	 v;

	switch (id) {
	case 1:
		*seen |= CM_TYPE;
		if (thrift_dec_i32(&c->d, ft, &v) == -1)
			return -1;
		if (v != (int32_t)k->leaf->type)
			return err_set(c->err, ERR_INTERNAL, "column '%s': "
			    "chunk type %d, schema type %s", k->leaf->path,
			    (int)v, parquet_meta_type_name(k->leaf->type));
		k->type = k->leaf->type;
		return 0;
	case 2:
		return dec_encodings(c, ft, &k->encodings);
	case 3:
		return dec_path(c, ft, k->leaf);
	case 4:
		*seen |= CM_CODEC;
		return thrift_dec_i32(&c->d, ft, &k->codec);
	case 5:
		*seen |= CM_NUM;
		return thrift_dec_i64(&c->d, ft, &k->num_values);
	case 6:
		*seen |= CM_RAW;
		return thrift_dec_i64(&c->d, ft, &k->uncompressed_size);
	case 7:
		*seen |= CM_COMP;
		return thrift_dec_i64(&c->d, ft, &k->compressed_size);
	case 9:
		*seen |= CM_DATA;
		return thrift_dec_i64(&c->d, ft, &k->data_page_offset);
	case 11:
		return thrift_dec_i64(&c->d, ft, &k->dictionary_page_offset);
	case 12:
		k->has_stats = true;
		return dec_stats(c, ft, &k->stats);
	default:
		return thrift_dec_skip(&c->d, ft);
	}
}

static int
dec_colmeta(struct ctx *c, enum thrift_type t, struct parquet_meta_chunk *k)
{
	enum thrift_type	 ft;
	int16_t			 id;
	unsigned int		 seen = 0;
	int			 rc;

	if (thrift_dec_struct_begin(&c->d, t) == -1)
		return -1;
	while ((rc = thrift_dec_field(&c->d, &id, &ft)) == 1)
		if (dec_colmeta_field(c, id, ft, k, &seen) == -1)
			return -1;
	if (rc == -1)
		return -1;
	if (seen != CM_ALL)
		return err_set(c->err, ERR_INTERNAL, "column '%s': chunk "
		    "metadata lacks required fields", k->leaf->path);
	if (k->num_values < 0 || k->compressed_size < 0 ||
	    k->uncompressed_size < 0 || k->data_page_offset < 0)
		return err_set(c->err, ERR_INTERNAL, "column '%s': negative "
		    "size or offset in chunk metadata", k->leaf->path);
	k->start = k->data_page_offset;
	if (k->dictionary_page_offset > 0 &&
	    k->dictionary_page_offset < k->start)
		k->start = k->dictionary_page_offset;
	if (k->compressed_size > INT64_MAX - k->start)
		return err_set(c->err, ERR_INTERNAL, "column '%s': chunk "
		    "size overflows", k->leaf->path);
	k->has_meta = true;
	return 0;
}

static int
dec_chunk(struct ctx *c, enum thrift_type t, struct parquet_meta_chunk *k)
{
	const unsigned char	*p;
	enum thrift_type	 ft;
	int16_t			 id;
	size_t			 n;
	int			 rc;

	k->dictionary_page_offset = -1;
	if (thrift_dec_struct_begin(&c->d, t) == -1)
		return -1;
	while ((rc = thrift_dec_field(&c->d, &id, &ft)) == 1) {
		switch (id) {
		case 1:
			k->external = true;
			rc = thrift_dec_binary(&c->d, ft, &p, &n);
			break;
		case 3:
			rc = dec_colmeta(c, ft, k);
			break;
		case 8:
		case 9:
			k->encrypted = true;
			rc = thrift_dec_skip(&c->d, ft);
			break;
		default:
			rc = thrift_dec_skip(&c->d, ft);
			break;
		}
		if (rc == -1)
			return -1;
	}
	return rc;
}

static int
dec_chunks(struct ctx *c, enum thrift_type t,
    struct parquet_meta_row_group *g)
{
	struct parquet_meta	*m = c->m;
	enum thrift_type	 et;
	size_t			 n, i;

	if (thrift_dec_list(&c->d, t, &et, &n) == -1)
		return -1;
	if (n != m->nleaves)
		return err_set(c->err, ERR_INTERNAL, "a row group has %zu "
		    "column chunks for %zu columns", n, m->nleaves);
	if (g->chunks != NULL)
		return err_set(c->err, ERR_INTERNAL, "a row group lists its "
		    "columns twice");
	g->chunks = arena_calloc(c->a, n, sizeof(*g->chunks));
	for (i = 0; i < n; i++) {
		g->chunks[i].leaf = m->leaves[i];
		if (dec_chunk(c, et, &g->chunks[i]) == -1)
			return -1;
	}
	return 0;
}

static int
dec_row_group(struct ctx *c, enum thrift_type t,
    struct parquet_meta_row_group *g)
{
	enum thrift_type	 ft;
	int16_t			 id;
	int			 rc;
	bool			 has_rows = false;

	g->file_offset = g->total_compressed_size = -1;
	if (thrift_dec_struct_begin(&c->d, t) == -1)
		return -1;
	while ((rc = thrift_dec_field(&c->d, &id, &ft)) == 1) {
		switch (id) {
		case 1:
			rc = dec_chunks(c, ft, g);
			break;
		case 2:
			rc = thrift_dec_i64(&c->d, ft, &g->total_byte_size);
			break;
		case 3:
			has_rows = true;
			rc = thrift_dec_i64(&c->d, ft, &g->num_rows);
			break;
		case 5:
			rc = thrift_dec_i64(&c->d, ft, &g->file_offset);
			break;
		case 6:
			rc = thrift_dec_i64(&c->d, ft,
			    &g->total_compressed_size);
			break;
		default:
			rc = thrift_dec_skip(&c->d, ft);
			break;
		}
		if (rc == -1)
			return -1;
	}
	if (rc == 0 && (g->chunks == NULL || !has_rows || g->num_rows < 0))
		return err_set(c->err, ERR_INTERNAL, "a row group lacks its "
		    "columns or row count");
	return rc;
}

static int
dec_row_groups(struct ctx *c, enum thrift_type t)
{
	struct parquet_meta	*m = c->m;
	enum thrift_type	 et;
	size_t			 n, i;

	if (thrift_dec_list(&c->d, t, &et, &n) == -1)
		return -1;
	if (m->nleaves != 0 && n > c->lim->max_chunks / m->nleaves)
		return err_set(c->err, ERR_INTERNAL, "%zu row groups of %zu "
		    "columns are too many", n, m->nleaves);
	m->nrow_groups = n;
	m->row_groups = arena_calloc(c->a, n, sizeof(*m->row_groups));
	for (i = 0; i < n; i++)
		if (dec_row_group(c, et, &m->row_groups[i]) == -1)
			return -1;
	return 0;
}

/* --- FileMetaData --------------------------------------------------------- */

static int
dec_kv(struct ctx *c, enum thrift_type t)
{
	struct parquet_meta	*m = c->m;
	struct parquet_meta_kv	*kv;
	enum thrift_type	 et, ft;
	int16_t			 id;
	size_t			 n, i;
	int			 rc;

	if (thrift_dec_list(&c->d, t, &et, &n) == -1)
		return -1;
	m->nkv = n;
	m->kv = arena_calloc(c->a, n, sizeof(*m->kv));
	for (i = 0; i < n; i++) {
		kv = &m->kv[i];
		if (thrift_dec_struct_begin(&c->d, et) == -1)
			return -1;
		while ((rc = thrift_dec_field(&c->d, &id, &ft)) == 1) {
			if (id == 1)
				rc = get_string(c, ft, SIZE_MAX, &kv->key);
			else if (id == 2)
				rc = get_string(c, ft, SIZE_MAX, &kv->value);
			else
				rc = thrift_dec_skip(&c->d, ft);
			if (rc == -1)
				return -1;
		}
		if (rc == -1)
			return -1;
		if (kv->key == NULL)
			kv->key = "";
	}
	return 0;
}

/* Where the row groups are, to decode once the schema is known. */
struct later {
	bool			 seen;
	size_t			 at;
	enum thrift_type	 t;
};

static int
dec_file_field(struct ctx *c, int16_t id, enum thrift_type ft,
    unsigned int *seen, struct later *rg)
{
	struct parquet_meta	*m = c->m;

	switch (id) {
	case 1:
		return thrift_dec_i32(&c->d, ft, &m->version);
	case 2:
		*seen |= 1;
		return dec_schema(c, ft);
	case 3:
		*seen |= 2;
		return thrift_dec_i64(&c->d, ft, &m->num_rows);
	case 4:
		rg->seen = true;
		rg->at = thrift_dec_pos(&c->d);
		rg->t = ft;
		return thrift_dec_skip(&c->d, ft);
	case 5:
		return dec_kv(c, ft);
	case 6:
		return get_string(c, ft, SIZE_MAX, &m->created_by);
	default:
		return thrift_dec_skip(&c->d, ft);
	}
}

int
parquet_meta_decode(const void *p, size_t len,
    const struct parquet_meta_limits *lim, struct arena *a,
    struct parquet_meta *m, struct err *err)
{
	struct ctx		 c;
	struct later		 rg;
	enum thrift_type	 ft;
	unsigned int		 seen = 0;
	int16_t			 id;
	int			 rc;

	memset(m, 0, sizeof(*m));
	memset(&c, 0, sizeof(c));
	memset(&rg, 0, sizeof(rg));
	c.lim = lim;
	c.a = a;
	c.m = m;
	c.err = err;
	c.path_budget = 4 * len + 65536;
	thrift_dec_init(&c.d, p, len, err);
	if (thrift_dec_struct_begin(&c.d, THRIFT_T_STRUCT) == -1)
		return fail_in(err, "FileMetaData");
	while ((rc = thrift_dec_field(&c.d, &id, &ft)) == 1)
		if (dec_file_field(&c, id, ft, &seen, &rg) == -1)
			return fail_in(err, "FileMetaData");
	if (rc == -1)
		return fail_in(err, "FileMetaData");
	if (seen != 3 || !rg.seen)
		return err_set(err, ERR_INTERNAL, "parquet footer: "
		    "FileMetaData lacks its schema, row count or row groups");
	if (m->num_rows < 0)
		return err_set(err, ERR_INTERNAL, "parquet footer: %jd rows",
		    (intmax_t)m->num_rows);
	thrift_dec_init(&c.d, (const unsigned char *)p + rg.at, len - rg.at,
	    err);
	if (dec_row_groups(&c, rg.t) == -1)
		return fail_in(err, "row groups");
	return 0;
}

/* --- page headers --------------------------------------------------------- */

/* DataPageHeader (v1), DictionaryPageHeader and DataPageHeaderV2. */
static int
dec_page_sub(struct thrift_dec *d, enum thrift_type t, int32_t kind,
    struct parquet_meta_page *h)
{
	int32_t			*v1[] = { NULL, &h->num_values, &h->encoding,
				    &h->def_encoding, &h->rep_encoding };
	int32_t			*v2[] = { NULL, &h->num_values, &h->num_nulls,
				    &h->num_rows, &h->encoding, &h->def_length,
				    &h->rep_length };
	int32_t			**f = kind == 8 ? v2 : v1;
	int16_t			 nf = kind == 8 ? 7 : kind == 7 ? 3 : 5;
	enum thrift_type	 ft;
	int16_t			 id;
	int			 rc;

	if (thrift_dec_struct_begin(d, t) == -1)
		return -1;
	while ((rc = thrift_dec_field(d, &id, &ft)) == 1) {
		if (id > 0 && id < nf)
			rc = thrift_dec_i32(d, ft, f[id]);
		else if (kind == 8 && id == 7)
			rc = thrift_dec_bool(d, ft, &h->is_compressed);
		else
			rc = thrift_dec_skip(d, ft);
		if (rc == -1)
			return -1;
	}
	return rc;
}

int
parquet_meta_page_decode(const void *p, size_t len,
    struct parquet_meta_page *h, bool *truncated, struct err *err)
{
	struct thrift_dec	 d;
	enum thrift_type	 ft;
	int16_t			 id;
	int32_t			*top[] = { NULL, &h->type,
				    &h->uncompressed_size,
				    &h->compressed_size };
	int32_t			 sub = 0;
	int			 rc;

	memset(h, 0, sizeof(*h));
	h->type = h->uncompressed_size = h->compressed_size = -1;
	h->num_values = h->num_nulls = h->num_rows = -1;
	h->is_compressed = true;
	thrift_dec_init(&d, p, len, err);
	rc = thrift_dec_struct_begin(&d, THRIFT_T_STRUCT);
	while (rc == 0 && (rc = thrift_dec_field(&d, &id, &ft)) == 1) {
		if (id >= 1 && id <= 3)
			rc = thrift_dec_i32(&d, ft, top[id]);
		else if (id == 5 || id == 7 || id == 8) {
			sub = id;
			rc = dec_page_sub(&d, ft, id, h);
		} else
			rc = thrift_dec_skip(&d, ft);
		rc = rc == -1 ? -1 : 0;
	}
	*truncated = d.truncated;
	if (rc == -1)
		return -1;
	h->header_size = thrift_dec_pos(&d);
	if (h->type < 0 || h->uncompressed_size < 0 ||
	    h->compressed_size < 0)
		return err_set(err, ERR_INTERNAL, "page header: missing or "
		    "negative type or sizes");
	if ((h->type == PARQUET_PAGE_DATA && sub != 5) ||
	    (h->type == PARQUET_PAGE_DICTIONARY && sub != 7) ||
	    (h->type == PARQUET_PAGE_DATA_V2 && sub != 8))
		return err_set(err, ERR_INTERNAL, "page header: type %d "
		    "without its header", (int)h->type);
	if (sub != 0 && h->num_values < 0)
		return err_set(err, ERR_INTERNAL, "page header: %d values",
		    (int)h->num_values);
	if (sub == 8 && (h->def_length < 0 || h->rep_length < 0 ||
	    (int64_t)h->def_length + h->rep_length > h->compressed_size ||
	    (int64_t)h->def_length + h->rep_length > h->uncompressed_size))
		return err_set(err, ERR_INTERNAL, "page header: level lengths "
		    "%d and %d do not fit the page", (int)h->rep_length,
		    (int)h->def_length);
	return 0;
}

/* --- lookups and names ---------------------------------------------------- */

/* The child of from named by the start of path, and so on down. */
static const struct parquet_meta_node *
find(const struct parquet_meta_node *from, const char *path)
{
	const struct parquet_meta_node	*r;
	size_t				 i, n;

	for (i = 0; i < from->nkids; i++) {
		n = strlen(from->kids[i]->name);
		if (strncmp(path, from->kids[i]->name, n) != 0)
			continue;
		if (path[n] == '\0')
			return from->kids[i];
		if (path[n] == '.' &&
		    (r = find(from->kids[i], path + n + 1)) != NULL)
			return r;
	}
	return NULL;
}

const struct parquet_meta_node *
parquet_meta_lookup(const struct parquet_meta_node *from, const char *path)
{
	return *path == '\0' ? from : find(from, path);
}

const char *
parquet_meta_type_name(enum parquet_meta_type t)
{
	static const char *const names[] = {
		"BOOLEAN", "INT32", "INT64", "INT96", "FLOAT", "DOUBLE",
		"BYTE_ARRAY", "FIXED_LEN_BYTE_ARRAY"
	};

	if ((int)t < 0 || (size_t)t >= sizeof(names) / sizeof(names[0]))
		return "unknown";
	return names[t];
}

const char *
parquet_meta_encoding_name(int32_t e)
{
	static const char *const names[] = {
		"PLAIN", "GROUP_VAR_INT", "PLAIN_DICTIONARY", "RLE",
		"BIT_PACKED", "DELTA_BINARY_PACKED", "DELTA_LENGTH_BYTE_ARRAY",
		"DELTA_BYTE_ARRAY", "RLE_DICTIONARY", "BYTE_STREAM_SPLIT"
	};

	if (e < 0 || (size_t)e >= sizeof(names) / sizeof(names[0]))
		return "unknown";
	return names[e];
}
