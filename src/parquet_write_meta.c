/*
 * parquet_write_meta.c: the Parquet writer's metadata (see
 * parquet_write_meta.h): schema checks, and page headers and the footer
 * in the Thrift compact protocol, field by field as parquet.thrift has
 * them.
 *
 * Each leaf gets both its logicalType and, where one exists, the legacy
 * converted_type, so old and new readers agree; a TIMESTAMP gets the
 * legacy TIMESTAMP_MILLIS/MICROS only when isAdjustedToUTC, as old
 * readers take those as UTC instants.  LIST and MAP groups are
 * annotated the same two ways.  Column chunks carry their statistics in
 * the min_value/max_value fields, and in the deprecated min/max too
 * when the column's order is the signed one old readers assume.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "parquet_write.h"
#include "parquet_write_meta.h"
#include "thrift.h"

/* ConvertedType values. */
enum {
	CT_UTF8 = 0, CT_MAP = 1, CT_LIST = 3, CT_DECIMAL = 5, CT_DATE = 6,
	CT_TIMESTAMP_MILLIS = 9, CT_TIMESTAMP_MICROS = 10, CT_UINT_8 = 11,
	CT_INT_8 = 15, CT_JSON = 19
};

/* --- schema checks ------------------------------------------------------- */

/*
 * Largest decimal precision that fits n bytes of two's complement:
 * floor(log10(2^(8n - 1) - 1)), which is floor((8n - 1) * log10(2)) as
 * no power of two is a power of ten.  n is at most 64.
 */
static int32_t
decimal_digits(int32_t n)
{
	return (int32_t)((8 * (int64_t)n - 1) * 301029995664LL /
	    1000000000000LL);
}

int
parquet_write_meta_check_leaf(const struct parquet_write_node *n,
    struct err *err)
{
	const struct parquet_write_leaf	*l = &n->leaf;
	enum parquet_write_type		 t = l->type;
	bool				 ok;

	if (t != PQ_BOOLEAN && t != PQ_INT32 && t != PQ_INT64 &&
	    t != PQ_FLOAT && t != PQ_DOUBLE && t != PQ_BYTE_ARRAY &&
	    t != PQ_FIXED)
		return err_set(err, ERR_INTERNAL, "column '%s': bad type",
		    n->name);
	if ((t == PQ_FIXED) != (l->length > 0))
		return err_set(err, ERR_INTERNAL,
		    "column '%s': bad fixed length", n->name);
	switch (l->logical) {
	case PQ_LT_NONE:
		ok = true;
		break;
	case PQ_LT_STRING:
	case PQ_LT_JSON:
		ok = t == PQ_BYTE_ARRAY;
		break;
	case PQ_LT_DATE:
		ok = t == PQ_INT32;
		break;
	case PQ_LT_TIMESTAMP:
		ok = t == PQ_INT64;
		break;
	case PQ_LT_DECIMAL:
		ok = l->precision >= 1 && l->scale >= 0 &&
		    l->scale <= l->precision &&
		    ((t == PQ_INT32 && l->precision <= 9) ||
		    (t == PQ_INT64 && l->precision <= 18) ||
		    (t == PQ_FIXED && l->length <= 64 &&
		    l->precision <= decimal_digits(l->length)) ||
		    t == PQ_BYTE_ARRAY);
		break;
	case PQ_LT_INT:
		ok = ((l->bits == 8 || l->bits == 16 || l->bits == 32) &&
		    t == PQ_INT32) || (l->bits == 64 && t == PQ_INT64);
		break;
	default:
		ok = false;
		break;
	}
	if (!ok)
		return err_set(err, ERR_INTERNAL,
		    "column '%s': logical type does not fit its physical type",
		    n->name);
	return 0;
}

int
parquet_write_meta_check_group(const struct parquet_write_node *n,
    struct err *err)
{
	const struct parquet_write_node	*r;

	if (n->nkids == 0)
		return err_set(err, ERR_INTERNAL, "group '%s' has no fields",
		    n->name);
	if (n->kind == PW_NODE_GROUP)
		return 0;
	if (n->rep == PQ_REPEATED || n->nkids != 1 ||
	    n->kids[0]->rep != PQ_REPEATED)
		return err_set(err, ERR_INTERNAL,
		    "'%s': a list or map needs one repeated field", n->name);
	r = n->kids[0];
	if (n->kind == PW_NODE_MAP && (r->kind != PW_NODE_GROUP ||
	    r->nkids != 2 || r->kids[0]->rep != PQ_REQUIRED))
		return err_set(err, ERR_INTERNAL,
		    "map '%s' needs a required key and a value", n->name);
	return 0;
}

/* --- page headers -------------------------------------------------------- */

int
parquet_write_meta_page(struct buf *b, enum parquet_write_meta_page type,
    int32_t raw, int32_t comp, int32_t nvalues,
    enum parquet_write_meta_enc encoding)
{
	struct thrift_enc	 e;

	thrift_enc_init(&e, b);
	thrift_enc_struct_begin(&e);
	thrift_enc_field_i32(&e, 1, type);
	thrift_enc_field_i32(&e, 2, raw);
	thrift_enc_field_i32(&e, 3, comp);
	if (type == PW_PAGE_DATA) {
		thrift_enc_field_struct(&e, 5);
		thrift_enc_field_i32(&e, 1, nvalues);
		thrift_enc_field_i32(&e, 2, encoding);
		thrift_enc_field_i32(&e, 3, PW_ENC_RLE);
		thrift_enc_field_i32(&e, 4, PW_ENC_RLE);
	} else {
		thrift_enc_field_struct(&e, 7);
		thrift_enc_field_i32(&e, 1, nvalues);
		thrift_enc_field_i32(&e, 2, encoding);
	}
	thrift_enc_struct_end(&e);
	thrift_enc_struct_end(&e);
	return thrift_enc_finish(&e);
}

/* --- footer -------------------------------------------------------------- */

static void
enc_logical(struct thrift_enc *e, const struct parquet_write_node *n)
{
	const struct parquet_write_leaf	*l = &n->leaf;

	if (n->kind == PW_NODE_LIST || n->kind == PW_NODE_MAP) {
		thrift_enc_field_struct(e, 10);
		thrift_enc_field_empty(e, n->kind == PW_NODE_MAP ? 2 : 3);
		thrift_enc_struct_end(e);
		return;
	}
	if (n->kind != PW_NODE_LEAF || l->logical == PQ_LT_NONE)
		return;
	thrift_enc_field_struct(e, 10);
	switch (l->logical) {
	case PQ_LT_STRING:
		thrift_enc_field_empty(e, 1);
		break;
	case PQ_LT_DECIMAL:
		thrift_enc_field_struct(e, 5);
		thrift_enc_field_i32(e, 1, l->scale);
		thrift_enc_field_i32(e, 2, l->precision);
		thrift_enc_struct_end(e);
		break;
	case PQ_LT_DATE:
		thrift_enc_field_empty(e, 6);
		break;
	case PQ_LT_TIMESTAMP:
		thrift_enc_field_struct(e, 8);
		thrift_enc_field_bool(e, 1, l->utc);
		thrift_enc_field_struct(e, 2);
		thrift_enc_field_empty(e, l->millis ? 1 : 2);
		thrift_enc_struct_end(e);
		thrift_enc_struct_end(e);
		break;
	case PQ_LT_INT:
		thrift_enc_field_struct(e, 10);
		thrift_enc_field_i8(e, 1, (int8_t)l->bits);
		thrift_enc_field_bool(e, 2, !l->is_unsigned);
		thrift_enc_struct_end(e);
		break;
	case PQ_LT_JSON:
		thrift_enc_field_empty(e, 12);
		break;
	default:
		break;
	}
	thrift_enc_struct_end(e);
}

/* The legacy converted_type of a node, or -1. */
static int
converted(const struct parquet_write_node *n)
{
	const struct parquet_write_leaf	*l = &n->leaf;

	if (n->kind == PW_NODE_LIST)
		return CT_LIST;
	if (n->kind == PW_NODE_MAP)
		return CT_MAP;
	if (n->kind != PW_NODE_LEAF)
		return -1;
	switch (l->logical) {
	case PQ_LT_STRING:
		return CT_UTF8;
	case PQ_LT_JSON:
		return CT_JSON;
	case PQ_LT_DATE:
		return CT_DATE;
	case PQ_LT_DECIMAL:
		return CT_DECIMAL;
	case PQ_LT_TIMESTAMP:
		/* Legacy readers take these as UTC instants. */
		if (!l->utc)
			return -1;
		return l->millis ? CT_TIMESTAMP_MILLIS : CT_TIMESTAMP_MICROS;
	case PQ_LT_INT:
		return (l->is_unsigned ? CT_UINT_8 : CT_INT_8) +
		    (l->bits == 8 ? 0 : l->bits == 16 ? 1 : l->bits == 32 ?
		    2 : 3);
	default:
		return -1;
	}
}

/* SchemaElements of n and its subtree, depth first. */
static void
enc_schema(struct thrift_enc *e, const struct parquet_write_node *n,
    bool root)
{
	size_t	 i;
	int	 ct = converted(n);

	thrift_enc_struct_begin(e);
	if (n->kind == PW_NODE_LEAF) {
		thrift_enc_field_i32(e, 1, n->leaf.type);
		if (n->leaf.type == PQ_FIXED)
			thrift_enc_field_i32(e, 2, n->leaf.length);
	}
	if (!root)
		thrift_enc_field_i32(e, 3, n->rep);
	thrift_enc_field_string(e, 4, n->name);
	if (n->kind != PW_NODE_LEAF)
		thrift_enc_field_i32(e, 5, (int32_t)n->nkids);
	if (ct != -1)
		thrift_enc_field_i32(e, 6, ct);
	if (n->kind == PW_NODE_LEAF && n->leaf.logical == PQ_LT_DECIMAL) {
		thrift_enc_field_i32(e, 7, n->leaf.scale);
		thrift_enc_field_i32(e, 8, n->leaf.precision);
	}
	enc_logical(e, n);
	thrift_enc_struct_end(e);
	for (i = 0; i < n->nkids; i++)
		enc_schema(e, n->kids[i], false);
}

static void
enc_path(struct thrift_enc *e, const struct parquet_write_node *leaf)
{
	const struct parquet_write_node	*path[PW_MAX_DEPTH + 1], *n;
	size_t				 depth = 0;

	for (n = leaf; n->parent != NULL && depth <= PW_MAX_DEPTH;
	    n = n->parent)
		path[depth++] = n;
	thrift_enc_field_list(e, 3, THRIFT_T_BINARY, depth);
	while (depth > 0)
		thrift_enc_string(e, path[--depth]->name);
}

static void
enc_stats(struct thrift_enc *e, const struct parquet_write_meta_chunk *m,
    bool legacy)
{
	thrift_enc_field_struct(e, 12);
	if (m->has && legacy) {
		thrift_enc_field_binary(e, 1, m->max, m->maxlen);
		thrift_enc_field_binary(e, 2, m->min, m->minlen);
	}
	thrift_enc_field_i64(e, 3, m->nulls);
	if (m->has) {
		thrift_enc_field_binary(e, 5, m->max, m->maxlen);
		thrift_enc_field_binary(e, 6, m->min, m->minlen);
		thrift_enc_field_bool(e, 7, true);
		thrift_enc_field_bool(e, 8, true);
	}
	thrift_enc_struct_end(e);
}

static void
enc_chunk(struct thrift_enc *e, const struct parquet_write_meta_file *f,
    const struct parquet_write_meta_col *c,
    const struct parquet_write_meta_chunk *m)
{
	size_t	 nenc = 0, i;
	int	 enc[3];

	if (m->plain)
		enc[nenc++] = PW_ENC_PLAIN;
	if (c->levels)
		enc[nenc++] = PW_ENC_RLE;
	if (m->dict)
		enc[nenc++] = PW_ENC_RLE_DICTIONARY;
	thrift_enc_struct_begin(e);
	thrift_enc_field_i64(e, 2, 0);
	thrift_enc_field_struct(e, 3);
	thrift_enc_field_i32(e, 1, c->node->leaf.type);
	thrift_enc_field_list(e, 2, THRIFT_T_I32, nenc);
	for (i = 0; i < nenc; i++)
		thrift_enc_i32(e, enc[i]);
	enc_path(e, c->node);
	thrift_enc_field_i32(e, 4, f->codec);
	thrift_enc_field_i64(e, 5, m->num_values);
	thrift_enc_field_i64(e, 6, m->raw);
	thrift_enc_field_i64(e, 7, m->comp);
	thrift_enc_field_i64(e, 9, m->data_off);
	if (m->dict_off >= 0)
		thrift_enc_field_i64(e, 11, m->dict_off);
	enc_stats(e, m, c->legacy);
	thrift_enc_struct_end(e);
	thrift_enc_struct_end(e);
}

static void
enc_footer(struct thrift_enc *e, const struct parquet_write_meta_file *f)
{
	const struct parquet_write_meta_rg	*g;
	size_t					 i, j;

	thrift_enc_struct_begin(e);
	thrift_enc_field_i32(e, 1, 1);
	thrift_enc_field_list(e, 2, THRIFT_T_STRUCT, f->schema->nnodes);
	enc_schema(e, &f->schema->root, true);
	thrift_enc_field_i64(e, 3, f->rows);
	thrift_enc_field_list(e, 4, THRIFT_T_STRUCT, f->nrg);
	for (i = 0; i < f->nrg; i++) {
		g = &f->rgs[i];
		thrift_enc_struct_begin(e);
		thrift_enc_field_list(e, 1, THRIFT_T_STRUCT, f->ncols);
		for (j = 0; j < f->ncols; j++)
			enc_chunk(e, f, &f->cols[j], &g->cm[j]);
		thrift_enc_field_i64(e, 2, g->raw);
		thrift_enc_field_i64(e, 3, g->rows);
		thrift_enc_field_i64(e, 5, g->off);
		thrift_enc_field_i64(e, 6, g->comp);
		if (i <= INT16_MAX)
			thrift_enc_field_i16(e, 7, (int16_t)i);
		thrift_enc_struct_end(e);
	}
	if (f->nkv > 0) {
		thrift_enc_field_list(e, 5, THRIFT_T_STRUCT, f->nkv / 2);
		for (i = 0; i + 1 < f->nkv; i += 2) {
			thrift_enc_struct_begin(e);
			thrift_enc_field_string(e, 1, f->kv[i]);
			thrift_enc_field_string(e, 2, f->kv[i + 1]);
			thrift_enc_struct_end(e);
		}
	}
	thrift_enc_field_string(e, 6, "deltashare version "
	    PACKAGE_VERSION);
	thrift_enc_field_list(e, 7, THRIFT_T_STRUCT, f->ncols);
	for (i = 0; i < f->ncols; i++) {
		thrift_enc_struct_begin(e);
		thrift_enc_field_empty(e, 1);
		thrift_enc_struct_end(e);
	}
	thrift_enc_struct_end(e);
}

int
parquet_write_meta_footer(struct buf *b,
    const struct parquet_write_meta_file *f)
{
	struct thrift_enc	 e;

	thrift_enc_init(&e, b);
	enc_footer(&e, f);
	return thrift_enc_finish(&e);
}
