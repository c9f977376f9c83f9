/*
 * parquet_write.c: a Parquet file writer (see parquet_write.h).
 *
 * Layout of what it writes, per the Parquet format specification:
 *
 *	"PAR1"
 *	row group 1: column chunk 1: [dictionary page] data page...
 *		     column chunk 2: ...
 *	row group 2: ...
 *	footer: FileMetaData (Thrift compact), its 4-byte length, "PAR1"
 *
 * Each leaf column keeps its current page in memory: the repetition and
 * definition levels (one byte per entry) and the PLAIN-encoded values
 * (or dictionary indices).  At a page boundary the page is encoded
 * (levels in the RLE/bit-packed hybrid, 4-byte length prefixed, as data
 * page v1 wants), compressed, and appended with its header to the
 * column's chunk buffer.  At a row group boundary the chunks are written
 * to the output in schema order and their metadata kept for the footer.
 *
 * The row builder walks the schema with a stack of frames: a struct
 * frame fills the children of a group in order; a list frame fills the
 * children of a repeated node once per element.  Each frame knows the
 * repetition level of its next entry (the first entry of a list uses the
 * level of the enclosing context, later elements the list's own level),
 * and definition levels come from the node: a value gets its leaf's
 * maximum level, a null on node N gets N's level minus one for every
 * leaf under N.  That is the Dremel "striping" algorithm, done on the
 * fly so no record is ever held in memory.
 *
 * Around this file: parquet_write_meta.c has the schema tree's types
 * and checks and encodes page headers and the footer; parquet_write_stat.c
 * keeps column statistics; parquet_rle.c encodes the levels and
 * dictionary indices; codec.c compresses the pages.
 */
#include "config.h"

#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "bytes.h"
#include "codec.h"
#include "err.h"
#include "parquet_rle.h"
#include "parquet_write.h"
#include "parquet_write_meta.h"
#include "parquet_write_stat.h"
#include "xmalloc.h"

#define PW_RG_ROWS		((int64_t)1 << 20)
#define PW_RG_BYTES		((size_t)128 << 20)
#define PW_PAGE_BYTES		((size_t)1 << 20)
#define PW_DICT_BYTES		((size_t)1 << 20)	/* then fall back */
#define PW_PAGE_MAX		((size_t)INT32_MAX)
#define PW_CHUNK_MAX		(SIZE_MAX / 4)

/* The writer's codecs are Parquet's, as codec.h numbers them. */
_Static_assert(PQ_UNCOMPRESSED == (int)CODEC_UNCOMPRESSED &&
    PQ_SNAPPY == (int)CODEC_SNAPPY && PQ_GZIP == (int)CODEC_GZIP &&
    PQ_ZSTD == (int)CODEC_ZSTD, "parquet_write_codec is CompressionCodec");

/* Derived per-node facts, indexed by node id. */
struct pw_info {
	int		 max_def, max_rep;
	size_t		 leaf_first, leaf_n;
};

struct pw_col {
	const struct parquet_write_node	*node;
	int		 max_def, max_rep;
	enum parquet_write_stat_cmp cmp;
	/* the current page */
	struct buf	 vals, defs, reps;
	size_t		 nbits;		/* BOOLEAN: bits used in vals */
	int64_t		 page_n, page_nulls;
	/* the current chunk */
	struct buf	 chunk;
	int64_t		 chunk_n, chunk_raw;
	bool		 enc_plain, enc_dict;
	struct parquet_write_stat cst, fst;	/* chunk, file */
	/* dictionary for the current chunk */
	bool		 dict_on;
	struct buf	 dvals;		/* PLAIN entries */
	uint32_t	*doff;		/* entry i starts at dvals + doff[i] */
	uint32_t	 dn, doffcap;
	uint32_t	*dslot;		/* hash table: entry + 1, 0 empty */
	size_t		 dcap;
};

struct pw_frame {
	const struct parquet_write_node	*node;	/* group, or repeated node */
	bool		 list;
	size_t		 idx;		/* next child */
	int		 r;		/* repetition level of next entries */
	int		 r_in;		/* list: level of the first element */
	int64_t		 count;		/* list: elements begun */
};

struct parquet_write {
	const struct parquet_write_schema *schema;
	struct parquet_write_opts opts;
	char		**kv;
	size_t		 nkv;
	struct pw_info	*info;
	struct pw_col	*cols;
	size_t		 ncols;
	/* the row builder */
	struct pw_frame	 st[PW_MAX_DEPTH + 1];
	int		 nst;
	bool		 in_row;
	bool		 failed;
	struct err	 e;
	/* output */
	int		 fd;
	char		*path, *tmp;
	struct buf	*out;
	int64_t		 off;
	bool		 closed;
	/* row groups */
	struct parquet_write_meta_rg *rgs;
	size_t		 nrg, rgcap;
	int64_t		 rows, rg_rows;
	/* scratch */
	struct buf	 page, hdr, zbuf;	/* zbuf: compressed page */
};

static void	absent(struct parquet_write *,
		    const struct parquet_write_node *, int);

/* --- schema -------------------------------------------------------------- */

struct parquet_write_schema *
parquet_write_schema_new(void)
{
	struct parquet_write_schema	*s;

	s = xcalloc(1, sizeof(*s));
	s->root.name = xstrdup("schema");
	s->root.kind = PW_NODE_GROUP;
	s->root.schema = s;
	s->nnodes = 1;
	return s;
}

static void
node_release(struct parquet_write_node *n)
{
	size_t	 i;

	for (i = 0; i < n->nkids; i++) {
		node_release(n->kids[i]);
		free(n->kids[i]);
	}
	free(n->kids);
	free(n->name);
}

void
parquet_write_schema_free(struct parquet_write_schema *s)
{
	if (s == NULL)
		return;
	node_release(&s->root);
	free(s);
}

struct parquet_write_node *
parquet_write_schema_root(struct parquet_write_schema *s)
{
	return &s->root;
}

static struct parquet_write_node *
node_add(struct parquet_write_node *parent, const char *name,
    enum parquet_write_rep rep, enum parquet_write_meta_kind kind)
{
	struct parquet_write_node	*n;

	n = xcalloc(1, sizeof(*n));
	n->name = xstrdup(name);
	n->rep = rep;
	n->kind = kind;
	n->schema = parent->schema;
	n->parent = parent;
	n->id = parent->schema->nnodes++;
	parent->kids = xreallocarray(parent->kids, parent->nkids + 1,
	    sizeof(*parent->kids));
	parent->kids[parent->nkids++] = n;
	return n;
}

struct parquet_write_node *
parquet_write_add_leaf(struct parquet_write_node *parent, const char *name,
    enum parquet_write_rep rep, const struct parquet_write_leaf *leaf)
{
	struct parquet_write_node	*n;

	n = node_add(parent, name, rep, PW_NODE_LEAF);
	n->leaf = *leaf;
	return n;
}

struct parquet_write_node *
parquet_write_add_column(struct parquet_write_node *parent, const char *name,
    enum parquet_write_rep rep, enum parquet_write_type type)
{
	struct parquet_write_leaf	 l;

	memset(&l, 0, sizeof(l));
	l.type = type;
	return parquet_write_add_leaf(parent, name, rep, &l);
}

struct parquet_write_node *
parquet_write_add_string(struct parquet_write_node *parent, const char *name,
    enum parquet_write_rep rep)
{
	struct parquet_write_leaf	 l;

	memset(&l, 0, sizeof(l));
	l.type = PQ_BYTE_ARRAY;
	l.logical = PQ_LT_STRING;
	return parquet_write_add_leaf(parent, name, rep, &l);
}

struct parquet_write_node *
parquet_write_add_group(struct parquet_write_node *parent, const char *name,
    enum parquet_write_rep rep)
{
	return node_add(parent, name, rep, PW_NODE_GROUP);
}

struct parquet_write_node *
parquet_write_add_list(struct parquet_write_node *parent, const char *name,
    enum parquet_write_rep rep)
{
	return node_add(node_add(parent, name, rep, PW_NODE_LIST), "list",
	    PQ_REPEATED, PW_NODE_GROUP);
}

struct parquet_write_node *
parquet_write_add_map(struct parquet_write_node *parent, const char *name,
    enum parquet_write_rep rep)
{
	return node_add(node_add(parent, name, rep, PW_NODE_MAP), "key_value",
	    PQ_REPEATED, PW_NODE_GROUP);
}

/* Check the schema and compute levels and leaf ranges, depth first. */
static int
prepare(struct parquet_write *w, const struct parquet_write_node *n,
    int def, int rep, int depth, struct err *err)
{
	struct pw_info	*in = &w->info[n->id];
	size_t		 i;

	if (depth > PW_MAX_DEPTH)
		return err_set(err, ERR_INTERNAL, "schema nested too deep");
	if (depth > 0 && n->rep != PQ_REQUIRED)
		def++;
	if (n->rep == PQ_REPEATED)
		rep++;
	in->max_def = def;
	in->max_rep = rep;
	in->leaf_first = w->ncols;
	if (n->kind == PW_NODE_LEAF) {
		if (n->nkids != 0)
			return err_set(err, ERR_INTERNAL,
			    "column '%s' has children", n->name);
		if (parquet_write_meta_check_leaf(n, err) == -1)
			return -1;
		w->cols = xreallocarray(w->cols, w->ncols + 1,
		    sizeof(*w->cols));
		memset(&w->cols[w->ncols], 0, sizeof(*w->cols));
		w->cols[w->ncols++].node = n;
	} else {
		if (parquet_write_meta_check_group(n, err) == -1)
			return -1;
		for (i = 0; i < n->nkids; i++)
			if (prepare(w, n->kids[i], def, rep, depth + 1,
			    err) == -1)
				return -1;
	}
	in->leaf_n = w->ncols - in->leaf_first;
	return 0;
}

/* --- errors and output --------------------------------------------------- */

static void	fail(struct parquet_write *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

/* Record the first error; the writer is unusable afterwards. */
static void
fail(struct parquet_write *w, const char *fmt, ...)
{
	va_list	 ap;

	if (w->failed)
		return;
	w->failed = true;
	va_start(ap, fmt);
	err_vset(&w->e, ERR_INTERNAL, fmt, ap);
	va_end(ap);
}

static int
report(struct parquet_write *w, struct err *err)
{
	return err_set(err, w->e.kind, "%s", w->e.msg);
}

static int
out_write(struct parquet_write *w, const void *p, size_t n)
{
	const char	*s = p;
	ssize_t		 k;

	if (w->failed)
		return -1;
	if (n > (uint64_t)INT64_MAX - (uint64_t)w->off) {
		fail(w, "parquet file too large");
		return -1;
	}
	if (w->out != NULL) {
		if (buf_add(w->out, p, n) == -1) {
			fail(w, "parquet output buffer full");
			return -1;
		}
		w->off += (int64_t)n;
		return 0;
	}
	while (n > 0) {
		k = write(w->fd, s, n);
		if (k == -1 && errno == EINTR)
			continue;
		if (k == -1) {
			fail(w, "cannot write '%s': %s", w->tmp,
			    strerror(errno));
			return -1;
		}
		s += k;
		n -= (size_t)k;
		w->off += k;
	}
	return 0;
}


/* --- pages --------------------------------------------------------------- */

/*
 * Compress the payload in w->page and append it with its header to the
 * column's chunk (or, for a dictionary page, to dst).
 */
static int
page_emit(struct parquet_write *w, struct pw_col *c, struct buf *dst,
    enum parquet_write_meta_page type, int64_t nvalues,
    enum parquet_write_meta_enc encoding)
{
	struct err	 e;
	size_t		 raw = w->page.len;

	if (w->page.overflow || raw > PW_PAGE_MAX || nvalues > INT32_MAX) {
		fail(w, "page of column '%s' too large", c->node->name);
		return -1;
	}
	buf_reset(&w->zbuf);
	if (codec_compress((enum codec)w->opts.codec, w->opts.level,
	    w->page.data, raw, &w->zbuf, &e) == -1) {
		fail(w, "column '%s': %s", c->node->name, e.msg);
		return -1;
	}
	if (w->zbuf.len > PW_PAGE_MAX) {
		fail(w, "page of column '%s' too large", c->node->name);
		return -1;
	}
	buf_reset(&w->hdr);
	if (parquet_write_meta_page(&w->hdr, type, (int32_t)raw,
	    (int32_t)w->zbuf.len, (int32_t)nvalues, encoding) == -1 ||
	    buf_add(dst, w->hdr.data, w->hdr.len) == -1 ||
	    buf_add(dst, w->zbuf.data, w->zbuf.len) == -1) {
		fail(w, "column '%s' too large", c->node->name);
		return -1;
	}
	c->chunk_raw += (int64_t)(w->hdr.len + raw);
	return 0;
}

/* Encode the current page of column c, if it has entries. */
static int
page_flush(struct parquet_write *w, struct pw_col *c)
{
	bool	 dict = c->dict_on && c->dn > 0;
	size_t	 n = (size_t)c->page_n;
	int	 bw;

	if (c->page_n == 0)
		return 0;
	if (c->vals.overflow || c->defs.overflow || c->reps.overflow ||
	    c->dvals.overflow) {
		fail(w, "page of column '%s' too large", c->node->name);
		return -1;
	}
	buf_reset(&w->page);
	parquet_rle_encode_levels(&w->page, (const uint8_t *)c->reps.data, n,
	    c->max_rep);
	parquet_rle_encode_levels(&w->page, (const uint8_t *)c->defs.data, n,
	    c->max_def);
	if (dict) {
		bw = parquet_rle_bit_width(c->dn - 1 ? c->dn - 1 : 1);
		buf_addc(&w->page, (char)bw);
		parquet_rle_encode(&w->page, (const uint32_t *)c->vals.data,
		    c->vals.len / sizeof(uint32_t), bw);
	} else
		buf_add(&w->page, c->vals.data, c->vals.len);
	if (page_emit(w, c, &c->chunk, PW_PAGE_DATA, c->page_n,
	    dict ? PW_ENC_RLE_DICTIONARY : PW_ENC_PLAIN) == -1)
		return -1;
	if (dict)
		c->enc_dict = true;
	else
		c->enc_plain = true;
	c->chunk_n += c->page_n;
	c->page_n = c->page_nulls = 0;
	c->nbits = 0;
	buf_reset(&c->vals);
	buf_reset(&c->defs);
	buf_reset(&c->reps);
	return 0;
}

/* --- the row builder ----------------------------------------------------- */

/* One entry (value or null) for column c, before its value if any. */
static void
emit(struct pw_col *c, int r, int d)
{
	if (c->max_rep > 0)
		buf_addc(&c->reps, (char)r);
	if (c->max_def > 0)
		buf_addc(&c->defs, (char)d);
	c->page_n++;
	c->cst.values++;
	if (d < c->max_def) {
		c->page_nulls++;
		c->cst.nulls++;
	}
}

/* Null (or empty) entries at level d for every leaf under n. */
static void
emit_nulls(struct parquet_write *w, const struct parquet_write_node *n,
    int r, int d)
{
	const struct pw_info	*in = &w->info[n->id];
	size_t			 i;

	for (i = in->leaf_first; i < in->leaf_first + in->leaf_n; i++)
		emit(&w->cols[i], r, d);
}

/* Fill in a field the caller left out: null, empty, or an error. */
static void
absent(struct parquet_write *w, const struct parquet_write_node *n, int r)
{
	size_t	 i;

	if (n->rep != PQ_REQUIRED) {
		emit_nulls(w, n, r, w->info[n->id].max_def - 1);
		return;
	}
	switch (n->kind) {
	case PW_NODE_LEAF:
		fail(w, "no value for required field '%s'", n->name);
		return;
	case PW_NODE_LIST:
	case PW_NODE_MAP:
		emit_nulls(w, n, r, w->info[n->kids[0]->id].max_def - 1);
		return;
	case PW_NODE_GROUP:
		for (i = 0; i < n->nkids; i++)
			absent(w, n->kids[i], r);
		return;
	}
}

static struct pw_frame *
top(struct parquet_write *w)
{
	return w->nst > 0 ? &w->st[w->nst - 1] : NULL;
}

static void
push(struct parquet_write *w, const struct parquet_write_node *n, bool list,
    int r)
{
	struct pw_frame	*f;

	if (w->nst >= (int)(sizeof(w->st) / sizeof(w->st[0]))) {
		fail(w, "row nested too deep");
		return;
	}
	f = &w->st[w->nst++];
	memset(f, 0, sizeof(*f));
	f->node = n;
	f->list = list;
	f->r = f->r_in = r;
}

/*
 * The field under the cursor, and the repetition level for its entries;
 * moves the cursor on.  NULL (with the error recorded) if there is none.
 */
static const struct parquet_write_node *
take(struct parquet_write *w, int *r)
{
	struct pw_frame				*f = top(w);
	const struct parquet_write_node		*n;

	if (w->failed)
		return NULL;
	if (!w->in_row || f == NULL) {
		fail(w, "value outside a row");
		return NULL;
	}
	if (!f->list) {
		if (f->idx >= f->node->nkids && w->nst == 1) {
			fail(w, "more values than columns in the row");
			return NULL;
		}
		if (f->idx >= f->node->nkids) {
			fail(w, "too many fields in '%s'", f->node->name);
			return NULL;
		}
		*r = f->r;
		return f->node->kids[f->idx++];
	}
	if (f->node->kind == PW_NODE_LEAF || f->idx == 0) {
		f->r = f->count == 0 ? f->r_in : w->info[f->node->id].max_rep;
		f->count++;
	}
	*r = f->r;
	if (f->node->kind == PW_NODE_LEAF)
		return f->node;
	n = f->node->kids[f->idx];
	f->idx = (f->idx + 1) % f->node->nkids;
	return n;
}

/* A repeated node reached from a struct frame needs list_begin. */
static bool
bare_repeated(struct parquet_write *w, const struct parquet_write_node *n)
{
	return n->rep == PQ_REPEATED && top(w)->node != n;
}

/* Take the leaf under the cursor, which must be of type t. */
static struct pw_col *
take_leaf(struct parquet_write *w, enum parquet_write_type t)
{
	const struct parquet_write_node	*n;
	struct pw_col			*c;
	int				 r;

	if ((n = take(w, &r)) == NULL)
		return NULL;
	if (n->kind != PW_NODE_LEAF || bare_repeated(w, n)) {
		fail(w, "field '%s' is not a plain column", n->name);
		return NULL;
	}
	if (n->leaf.type != t) {
		fail(w, "wrong value type for column '%s'", n->name);
		return NULL;
	}
	c = &w->cols[w->info[n->id].leaf_first];
	emit(c, r, c->max_def);
	return c;
}

void
parquet_write_row_begin(struct parquet_write *w)
{
	if (w->failed)
		return;
	if (w->in_row) {
		fail(w, "row_begin inside a row");
		return;
	}
	w->in_row = true;
	w->nst = 0;
	push(w, &w->schema->root, false, 0);
}

void
parquet_write_group_begin(struct parquet_write *w)
{
	const struct parquet_write_node	*n;
	int				 r;

	if ((n = take(w, &r)) == NULL)
		return;
	if (n->kind != PW_NODE_GROUP || n->rep == PQ_REPEATED) {
		fail(w, "field '%s' is not a struct", n->name);
		return;
	}
	push(w, n, false, r);
}

void
parquet_write_group_end(struct parquet_write *w)
{
	struct pw_frame	*f = top(w);
	size_t		 i;

	if (w->failed)
		return;
	if (!w->in_row || f == NULL || f->list || w->nst < 2) {
		fail(w, "group_end without group_begin");
		return;
	}
	for (i = f->idx; i < f->node->nkids; i++)
		absent(w, f->node->kids[i], f->r);
	w->nst--;
}

void
parquet_write_list_begin(struct parquet_write *w)
{
	const struct parquet_write_node	*n;
	int				 r;

	if ((n = take(w, &r)) == NULL)
		return;
	if (n->kind == PW_NODE_LIST || n->kind == PW_NODE_MAP)
		push(w, n->kids[0], true, r);
	else if (bare_repeated(w, n))
		push(w, n, true, r);
	else
		fail(w, "field '%s' is not a list or map", n->name);
}

void
parquet_write_list_end(struct parquet_write *w)
{
	struct pw_frame	*f = top(w);
	size_t		 i;

	if (w->failed)
		return;
	if (!w->in_row || f == NULL || !f->list) {
		fail(w, "list_end without list_begin");
		return;
	}
	if (f->node->kind != PW_NODE_LEAF && f->idx != 0)
		for (i = f->idx; i < f->node->nkids; i++)
			absent(w, f->node->kids[i], f->r);
	if (f->count == 0)
		emit_nulls(w, f->node, f->r_in,
		    w->info[f->node->id].max_def - 1);
	w->nst--;
}

void
parquet_write_field(struct parquet_write *w, const char *name)
{
	struct pw_frame	*f = top(w);
	size_t		 i;

	if (w->failed)
		return;
	if (!w->in_row || f == NULL || f->list) {
		fail(w, "field '%s' outside a struct", name);
		return;
	}
	for (i = f->idx; i < f->node->nkids; i++)
		if (strcmp(f->node->kids[i]->name, name) == 0)
			break;
	if (i == f->node->nkids) {
		fail(w, "no field '%s' after the cursor", name);
		return;
	}
	for (; f->idx < i; f->idx++)
		absent(w, f->node->kids[f->idx], f->r);
}

void
parquet_write_null(struct parquet_write *w)
{
	const struct parquet_write_node	*n;
	int				 r;

	if ((n = take(w, &r)) == NULL)
		return;
	if (n->rep == PQ_REQUIRED ||
	    (n->rep == PQ_REPEATED && top(w)->node == n)) {
		fail(w, "field '%s' cannot be null", n->name);
		return;
	}
	emit_nulls(w, n, r, w->info[n->id].max_def - 1);
}

void
parquet_write_bool(struct parquet_write *w, bool v)
{
	struct pw_col	*c;
	union parquet_write_stat_num	 u;

	if ((c = take_leaf(w, PQ_BOOLEAN)) == NULL)
		return;
	if (c->nbits % 8 == 0)
		buf_addc(&c->vals, 0);
	if (v && c->vals.len > 0)
		c->vals.data[c->vals.len - 1] |= (char)(1 << (c->nbits % 8));
	c->nbits++;
	u.b = v;
	parquet_write_stat_num(&c->cst, c->cmp, u);
}

void
parquet_write_i32(struct parquet_write *w, int32_t v)
{
	struct pw_col	*c;
	unsigned char	 b[4];
	union parquet_write_stat_num	 u;

	if ((c = take_leaf(w, PQ_INT32)) == NULL)
		return;
	bytes_put_le32(b, (uint32_t)v);
	buf_add(&c->vals, b, sizeof(b));
	u.i32 = v;
	parquet_write_stat_num(&c->cst, c->cmp, u);
}

void
parquet_write_i64(struct parquet_write *w, int64_t v)
{
	struct pw_col	*c;
	unsigned char	 b[8];
	union parquet_write_stat_num	 u;

	if ((c = take_leaf(w, PQ_INT64)) == NULL)
		return;
	bytes_put_le64(b, (uint64_t)v);
	buf_add(&c->vals, b, sizeof(b));
	u.i64 = v;
	parquet_write_stat_num(&c->cst, c->cmp, u);
}

void
parquet_write_float(struct parquet_write *w, float v)
{
	struct pw_col	*c;
	unsigned char	 b[4];
	uint32_t	 bits;
	union parquet_write_stat_num	 u;

	if ((c = take_leaf(w, PQ_FLOAT)) == NULL)
		return;
	memcpy(&bits, &v, sizeof(bits));
	bytes_put_le32(b, bits);
	buf_add(&c->vals, b, sizeof(b));
	u.f = v;
	if (!isnan(v))
		parquet_write_stat_num(&c->cst, c->cmp, u);
}

void
parquet_write_double(struct parquet_write *w, double v)
{
	struct pw_col	*c;
	unsigned char	 b[8];
	uint64_t	 bits;
	union parquet_write_stat_num	 u;

	if ((c = take_leaf(w, PQ_DOUBLE)) == NULL)
		return;
	memcpy(&bits, &v, sizeof(bits));
	bytes_put_le64(b, bits);
	buf_add(&c->vals, b, sizeof(b));
	u.d = v;
	if (!isnan(v))
		parquet_write_stat_num(&c->cst, c->cmp, u);
}

static uint32_t
hash_bytes(const void *p, size_t n)
{
	const unsigned char	*s = p;
	uint32_t		 h = 2166136261u;
	size_t			 i;

	for (i = 0; i < n; i++)
		h = (h ^ s[i]) * 16777619u;
	return h;
}

/* Entry i of the dictionary of column c. */
static const unsigned char *
dict_entry(const struct pw_col *c, uint32_t i, uint32_t *len)
{
	const unsigned char	*p;

	p = (const unsigned char *)c->dvals.data + c->doff[i];
	*len = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
	return p + 4;
}

static void
dict_grow(struct pw_col *c)
{
	const unsigned char	*p;
	size_t			 cap = c->dcap ? c->dcap * 2 : 1024, h;
	uint32_t		 i, len;

	free(c->dslot);
	c->dslot = xcalloc(cap, sizeof(*c->dslot));
	c->dcap = cap;
	for (i = 0; i < c->dn; i++) {
		p = dict_entry(c, i, &len);
		h = hash_bytes(p, len) & (cap - 1);
		while (c->dslot[h] != 0)
			h = (h + 1) & (cap - 1);
		c->dslot[h] = i + 1;
	}
}

/* Append the dictionary index of p to the page, adding it if new. */
static void
dict_add(struct parquet_write *w, struct pw_col *c, const void *p, size_t n)
{
	const unsigned char	*q;
	unsigned char		 b[4];
	size_t			 h;
	uint32_t		 i, len;

	if (n > PW_PAGE_MAX - 4 || c->dvals.len > PW_PAGE_MAX - 4 - n ||
	    c->dn == UINT32_MAX - 1) {
		fail(w, "dictionary of column '%s' too large", c->node->name);
		return;
	}
	if (((size_t)c->dn + 1) * 2 > c->dcap)
		dict_grow(c);
	for (h = hash_bytes(p, n) & (c->dcap - 1); c->dslot[h] != 0;
	    h = (h + 1) & (c->dcap - 1)) {
		i = c->dslot[h] - 1;
		q = dict_entry(c, i, &len);
		if (len == n && memcmp(q, p, n) == 0)
			goto found;
	}
	if (c->dn == c->doffcap) {
		c->doffcap = c->doffcap ? c->doffcap * 2 : 1024;
		c->doff = xreallocarray(c->doff, c->doffcap,
		    sizeof(*c->doff));
	}
	i = c->dn++;
	c->doff[i] = (uint32_t)c->dvals.len;
	bytes_put_le32(b, (uint32_t)n);
	buf_add(&c->dvals, b, sizeof(b));
	buf_add(&c->dvals, p, n);
	c->dslot[h] = i + 1;
found:
	buf_add(&c->vals, &i, sizeof(i));
}

void
parquet_write_bytes(struct parquet_write *w, const void *p, size_t n)
{
	const struct parquet_write_node	*node;
	struct pw_col			*c;
	unsigned char			 b[4];
	int				 r;

	if (w->failed)
		return;
	if ((node = take(w, &r)) == NULL)
		return;
	if (node->kind != PW_NODE_LEAF || bare_repeated(w, node) ||
	    (node->leaf.type != PQ_BYTE_ARRAY && node->leaf.type != PQ_FIXED)) {
		fail(w, "field '%s' is not a byte array column", node->name);
		return;
	}
	c = &w->cols[w->info[node->id].leaf_first];
	if ((node->leaf.type == PQ_FIXED && n != (size_t)node->leaf.length) ||
	    n > INT32_MAX) {
		fail(w, "bad value length for column '%s'", node->name);
		return;
	}
	emit(c, r, c->max_def);
	if (c->dict_on)
		dict_add(w, c, p, n);
	else {
		if (node->leaf.type == PQ_BYTE_ARRAY) {
			bytes_put_le32(b, (uint32_t)n);
			buf_add(&c->vals, b, sizeof(b));
		}
		buf_add(&c->vals, p, n);
	}
	if (c->cmp != PW_CMP_NONE)
		parquet_write_stat_bytes(&c->cst, c->cmp, p, n);
}

void
parquet_write_str(struct parquet_write *w, const char *s)
{
	parquet_write_bytes(w, s, strlen(s));
}

/* --- row groups ---------------------------------------------------------- */

/* The dictionary page of column c's chunk, into dst; resets the dict. */
static int
dict_flush(struct parquet_write *w, struct pw_col *c, struct buf *dst)
{
	uint32_t	 n = c->dn;

	buf_reset(dst);
	if (n > 0) {
		buf_reset(&w->page);
		buf_add(&w->page, c->dvals.data, c->dvals.len);
		if (page_emit(w, c, dst, PW_PAGE_DICTIONARY, n,
		    PW_ENC_PLAIN) == -1)
			return -1;
		c->enc_plain = true;
	}
	c->dn = 0;
	buf_reset(&c->dvals);
	if (c->dslot != NULL)
		memset(c->dslot, 0, c->dcap * sizeof(*c->dslot));
	c->dict_on = w->opts.dictionary && c->node->leaf.type == PQ_BYTE_ARRAY;
	return 0;
}

/* Write the chunk of column c at the current offset; fill in m. */
static int
chunk_write(struct parquet_write *w, struct pw_col *c,
    struct parquet_write_meta_chunk *m)
{
	struct buf	 d;
	int		 rc = -1;

	buf_init(&d, PW_CHUNK_MAX);
	if (page_flush(w, c) == -1 || dict_flush(w, c, &d) == -1)
		goto out;
	m->dict_off = d.len > 0 ? w->off : -1;
	if (out_write(w, d.data, d.len) == -1)
		goto out;
	m->data_off = w->off;
	if (out_write(w, c->chunk.data, c->chunk.len) == -1)
		goto out;
	m->num_values = c->chunk_n;
	m->raw = c->chunk_raw;
	m->comp = (int64_t)(d.len + c->chunk.len);
	m->plain = c->enc_plain;
	m->dict = c->enc_dict;
	m->nulls = c->cst.nulls;
	m->has = c->cst.has && c->cmp != PW_CMP_NONE;
	if (m->has) {
		m->min = parquet_write_stat_plain(&c->cst, c->cmp, false,
		    &m->minlen);
		m->max = parquet_write_stat_plain(&c->cst, c->cmp, true,
		    &m->maxlen);
	}
	parquet_write_stat_merge(&c->fst, &c->cst, c->cmp);
	buf_reset(&c->chunk);
	c->chunk_n = c->chunk_raw = 0;
	c->enc_plain = c->enc_dict = false;
	rc = 0;
out:
	buf_release(&d);
	return rc;
}

static int
rg_flush(struct parquet_write *w)
{
	struct parquet_write_meta_rg	*g;
	size_t				 i;

	if (w->failed || w->rg_rows == 0)
		return w->failed ? -1 : 0;
	if (w->nrg == w->rgcap) {
		w->rgcap = w->rgcap ? w->rgcap * 2 : 8;
		w->rgs = xreallocarray(w->rgs, w->rgcap, sizeof(*w->rgs));
	}
	g = &w->rgs[w->nrg++];
	memset(g, 0, sizeof(*g));
	g->cm = xcalloc(w->ncols, sizeof(*g->cm));
	g->rows = w->rg_rows;
	g->off = w->off;
	for (i = 0; i < w->ncols; i++) {
		if (chunk_write(w, &w->cols[i], &g->cm[i]) == -1)
			return -1;
		g->raw += g->cm[i].raw;
		g->comp += g->cm[i].comp;
	}
	w->rg_rows = 0;
	return 0;
}

/* After each row: cut pages and row groups that are full enough. */
static int
row_done(struct parquet_write *w)
{
	struct pw_col	*c;
	size_t		 i, total = 0, page;

	for (i = 0; i < w->ncols; i++) {
		c = &w->cols[i];
		page = c->vals.len + c->defs.len + c->reps.len;
		if (c->dict_on && c->dvals.len >= PW_DICT_BYTES) {
			if (page_flush(w, c) == -1)
				return -1;
			c->dict_on = false;
		} else if (page >= w->opts.page_bytes &&
		    page_flush(w, c) == -1)
			return -1;
		total += c->chunk.len + c->vals.len + c->dvals.len;
	}
	if (w->rg_rows >= w->opts.row_group_rows ||
	    total >= w->opts.row_group_bytes)
		return rg_flush(w);
	return 0;
}

int
parquet_write_row_end(struct parquet_write *w, struct err *err)
{
	struct pw_frame	*f = top(w);
	size_t		 i;

	if (w->failed)
		return report(w, err);
	if (!w->in_row || w->nst != 1) {
		fail(w, "row_end with %s open", w->in_row ?
		    "a struct or list" : "no row");
		return report(w, err);
	}
	for (i = f->idx; i < f->node->nkids; i++)
		absent(w, f->node->kids[i], 0);
	w->nst = 0;
	w->in_row = false;
	if (w->failed)
		return report(w, err);
	w->rows++;
	w->rg_rows++;
	if (row_done(w) == -1)
		return report(w, err);
	return 0;
}

int
parquet_write_flush(struct parquet_write *w, struct err *err)
{
	if (!w->failed && w->in_row)
		fail(w, "flush inside a row");
	if (rg_flush(w) == -1)
		return report(w, err);
	return 0;
}

/* --- footer -------------------------------------------------------------- */

static int
footer_write(struct parquet_write *w)
{
	struct parquet_write_meta_file	 f;
	struct parquet_write_meta_col	*mc;
	unsigned char			 tail[8];
	size_t				 i;
	int				 rc;

	mc = xcalloc(w->ncols, sizeof(*mc));
	for (i = 0; i < w->ncols; i++) {
		mc[i].node = w->cols[i].node;
		mc[i].levels = w->cols[i].max_def > 0 || w->cols[i].max_rep > 0;
		mc[i].legacy = parquet_write_stat_legacy(w->cols[i].cmp);
	}
	memset(&f, 0, sizeof(f));
	f.schema = w->schema;
	f.cols = mc;
	f.ncols = w->ncols;
	f.rgs = w->rgs;
	f.nrg = w->nrg;
	f.kv = w->kv;
	f.nkv = w->nkv;
	f.rows = w->rows;
	f.codec = w->opts.codec;
	buf_reset(&w->hdr);
	rc = parquet_write_meta_footer(&w->hdr, &f);
	free(mc);
	if (rc == -1) {
		fail(w, "parquet footer too large");
		return -1;
	}
	bytes_put_le32(tail, (uint32_t)w->hdr.len);
	memcpy(tail + 4, "PAR1", 4);
	if (out_write(w, w->hdr.data, w->hdr.len) == -1 ||
	    out_write(w, tail, sizeof(tail)) == -1)
		return -1;
	return 0;
}

/* --- open and close ------------------------------------------------------ */

static struct parquet_write *
pw_new(const struct parquet_write_schema *s,
    const struct parquet_write_opts *opts, struct err *err)
{
	struct parquet_write	*w;
	struct pw_col		*c;
	size_t			 i;

	w = xcalloc(1, sizeof(*w));
	w->schema = s;
	w->fd = -1;
	if (opts != NULL)
		w->opts = *opts;
	if (w->opts.row_group_rows <= 0)
		w->opts.row_group_rows = PW_RG_ROWS;
	if (w->opts.row_group_bytes == 0)
		w->opts.row_group_bytes = PW_RG_BYTES;
	if (w->opts.page_bytes == 0)
		w->opts.page_bytes = PW_PAGE_BYTES;
	for (i = 0; w->opts.kv != NULL && w->opts.kv[i] != NULL; i++) {
		w->kv = xreallocarray(w->kv, i + 1, sizeof(*w->kv));
		w->kv[w->nkv++] = xstrdup(w->opts.kv[i]);
	}
	w->opts.kv = NULL;
	buf_init(&w->page, PW_PAGE_MAX);
	buf_init(&w->hdr, PW_PAGE_MAX);
	buf_init(&w->zbuf, PW_CHUNK_MAX);
	w->info = xcalloc(s->nnodes, sizeof(*w->info));
	if (w->opts.codec != PQ_UNCOMPRESSED && w->opts.codec != PQ_SNAPPY &&
	    w->opts.codec != PQ_GZIP && w->opts.codec != PQ_ZSTD) {
		err_set(err, ERR_INTERNAL, "unknown parquet codec");
		goto fail;
	}
	if (prepare(w, &s->root, 0, 0, 0, err) == -1)
		goto fail;
	if (w->ncols == 0) {
		err_set(err, ERR_INTERNAL, "parquet schema has no columns");
		goto fail;
	}
	for (i = 0; i < w->ncols; i++) {
		c = &w->cols[i];
		c->max_def = w->info[c->node->id].max_def;
		c->max_rep = w->info[c->node->id].max_rep;
		c->cmp = parquet_write_stat_order(&c->node->leaf);
		buf_init(&c->vals, PW_PAGE_MAX);
		buf_init(&c->defs, PW_PAGE_MAX);
		buf_init(&c->reps, PW_PAGE_MAX);
		buf_init(&c->chunk, PW_CHUNK_MAX);
		buf_init(&c->dvals, PW_PAGE_MAX);
		parquet_write_stat_init(&c->cst, PW_PAGE_MAX);
		parquet_write_stat_init(&c->fst, PW_PAGE_MAX);
		c->dict_on = w->opts.dictionary &&
		    c->node->leaf.type == PQ_BYTE_ARRAY;
	}
	return w;
fail:
	parquet_write_free(w);
	return NULL;
}

struct parquet_write *
parquet_write_open(const char *path, const struct parquet_write_schema *s,
    const struct parquet_write_opts *opts, struct err *err)
{
	struct parquet_write	*w;

	if ((w = pw_new(s, opts, err)) == NULL)
		return NULL;
	w->path = xstrdup(path);
	w->tmp = xasprintf("%s.tmp", path);
	w->fd = open(w->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (w->fd == -1) {
		err_set(err, ERR_INTERNAL, "cannot create '%s': %s", w->tmp,
		    strerror(errno));
		free(w->tmp);
		w->tmp = NULL;
		parquet_write_free(w);
		return NULL;
	}
	if (out_write(w, "PAR1", 4) == -1) {
		report(w, err);
		parquet_write_free(w);
		return NULL;
	}
	return w;
}

struct parquet_write *
parquet_write_open_buf(struct buf *out, const struct parquet_write_schema *s,
    const struct parquet_write_opts *opts, struct err *err)
{
	struct parquet_write	*w;

	if ((w = pw_new(s, opts, err)) == NULL)
		return NULL;
	w->out = out;
	if (out_write(w, "PAR1", 4) == -1) {
		report(w, err);
		parquet_write_free(w);
		return NULL;
	}
	return w;
}

int
parquet_write_close(struct parquet_write *w, struct err *err)
{
	if (w->closed)
		return 0;
	if (!w->failed && w->in_row)
		fail(w, "close inside a row");
	if (rg_flush(w) == -1 || footer_write(w) == -1)
		goto fail;
	if (w->fd != -1) {
		if (close(w->fd) == -1) {
			w->fd = -1;
			fail(w, "cannot write '%s': %s", w->tmp,
			    strerror(errno));
			goto fail;
		}
		w->fd = -1;
		if (rename(w->tmp, w->path) == -1) {
			fail(w, "cannot rename '%s': %s", w->tmp,
			    strerror(errno));
			goto fail;
		}
	}
	w->closed = true;
	return 0;
fail:
	return report(w, err);
}

static void
col_release(struct pw_col *c)
{
	buf_release(&c->vals);
	buf_release(&c->defs);
	buf_release(&c->reps);
	buf_release(&c->chunk);
	buf_release(&c->dvals);
	parquet_write_stat_release(&c->cst);
	parquet_write_stat_release(&c->fst);
	free(c->doff);
	free(c->dslot);
}

void
parquet_write_free(struct parquet_write *w)
{
	size_t	 i, j;

	if (w == NULL)
		return;
	if (w->fd != -1)
		close(w->fd);
	if (!w->closed && w->tmp != NULL)
		unlink(w->tmp);
	for (i = 0; i < w->ncols; i++)
		col_release(&w->cols[i]);
	for (i = 0; i < w->nrg; i++) {
		for (j = 0; j < w->ncols; j++) {
			free(w->rgs[i].cm[j].min);
			free(w->rgs[i].cm[j].max);
		}
		free(w->rgs[i].cm);
	}
	for (i = 0; i < w->nkv; i++)
		free(w->kv[i]);
	free(w->kv);
	free(w->rgs);
	free(w->cols);
	free(w->info);
	buf_release(&w->page);
	buf_release(&w->hdr);
	buf_release(&w->zbuf);
	free(w->path);
	free(w->tmp);
	free(w);
}

int64_t
parquet_write_size(const struct parquet_write *w)
{
	return w->off;
}

int64_t
parquet_write_rows(const struct parquet_write *w)
{
	return w->rows;
}

int
parquet_write_stats(const struct parquet_write *w,
    const struct parquet_write_node *n, struct parquet_write_stats *st)
{
	const struct pw_col		*c;
	const struct parquet_write_stat	*f;

	memset(st, 0, sizeof(*st));
	if (n == NULL || n->schema != w->schema || n->kind != PW_NODE_LEAF)
		return -1;
	c = &w->cols[w->info[n->id].leaf_first];
	f = &c->fst;
	st->num_values = f->values;
	st->null_count = f->nulls;
	st->has_minmax = f->has;
	memcpy(&st->min, &f->min, sizeof(st->min));
	memcpy(&st->max, &f->max, sizeof(st->max));
	if (c->cmp == PW_CMP_BYTES || c->cmp == PW_CMP_DECIMAL_BYTES) {
		st->min_bytes = f->minb.data;
		st->min_len = f->minb.len;
		st->max_bytes = f->maxb.data;
		st->max_len = f->maxb.len;
	}
	return 0;
}
