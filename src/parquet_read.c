/*
 * parquet_read.c: the Parquet file reader (see parquet_read.h): the
 * footer, the projection, and record assembly.
 *
 * Records are assembled from the definition and repetition levels of
 * the projected leaf columns by walking the schema tree, in the spirit
 * of the Dremel paper's assembly: each node, read as a field of its
 * parent's instance, looks at the next entry of its first projected
 * leaf.  A definition level below the node's own says the node (an
 * optional field, or a list or map) is null or empty there, and every
 * projected leaf under it then holds exactly one entry for that, which
 * is consumed.  Otherwise the node's instance is assembled from its
 * children; a repeated node adds instances while the next entry's
 * repetition level equals its own.  Each instance consumes at least one
 * entry of every projected leaf under it, so loops end with the
 * columns, whatever the levels say; levels that contradict each other
 * are reported rather than trusted.  A row must start at repetition
 * level 0 in every column, and a row group's columns must end with its
 * last row.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "bytes.h"
#include "err.h"
#include "parquet_meta.h"
#include "parquet_page.h"
#include "parquet_read.h"
#include "parquet_value.h"
#include "xmalloc.h"

#define MAGIC		"PAR1"
#define MAGIC_ENC	"PARE"
#define FIRST_LIST	4	/* elements allocated for a list at first */

struct parquet_read {
	struct parquet_read_source	 src;
	struct parquet_read_limits	 lim;
	struct parquet_page_limits	 plim;
	const unsigned char		*mem;	/* parquet_read_open_mem() */
	int				 fd;	/* parquet_read_open_path() */
	struct buf			 tail;	/* holds the footer */
	struct arena			*meta_arena;
	struct parquet_meta		 meta;
	int64_t				 data_end;	/* footer start */

	/* Projection: selected leaves, and per leaf position in them. */
	bool				*sel;		/* per leaf */
	size_t				*selpos;	/* nleaves + 1 */
	size_t				*selcols;	/* selected leaves */
	size_t				 nsel;
	size_t				*repcols;	/* those repeated */
	size_t				 nrep;
	size_t				*nkids_sel;	/* per node: selected
							   children */

	/* Reading. */
	size_t				 rg;
	bool				 open;
	int64_t				 row, rows;
	struct parquet_page		*cols;		/* per leaf */
	struct arena			*row_arena;
	size_t				 nvalues;
	struct parquet_value		 rowv;
	bool				 failed;
	struct err			 saved;
};

void
parquet_read_limits_default(struct parquet_read_limits *l)
{
	memset(l, 0, sizeof(*l));
	l->max_footer = 64 << 20;
	l->max_nodes = 100000;
	l->max_chunks = 1 << 20;
	l->max_depth = 64;
	l->max_type_length = 1 << 20;
	l->max_page = 256 << 20;
	l->max_dict = 64 << 20;
	l->max_header = 16 << 20;
	l->max_page_values = 1 << 26;
	l->max_row_values = 1 << 20;
	l->read_block = 1 << 20;
	l->tail_read = 64 << 10;
}

/* --- sources -------------------------------------------------------------- */

static int
mem_read(void *ctx, int64_t off, size_t len, struct buf *out,
    struct err *err)
{
	struct parquet_read	*r = ctx;

	if (off < 0 || off > r->src.size ||
	    (uint64_t)len > (uint64_t)(r->src.size - off))
		return err_set(err, ERR_INTERNAL, "read of %zu bytes at %jd "
		    "outside the file", len, (intmax_t)off);
	if (buf_add(out, r->mem + off, len) == -1)
		return err_set(err, ERR_TOO_LARGE, "read of %zu bytes too "
		    "large", len);
	return 0;
}

static int
fd_read(void *ctx, int64_t off, size_t len, struct buf *out, struct err *err)
{
	struct parquet_read	*r = ctx;
	char			 tmp[65536];
	size_t			 n;
	ssize_t			 got;

	while (len > 0) {
		n = len < sizeof(tmp) ? len : sizeof(tmp);
		got = pread(r->fd, tmp, n, (off_t)off);
		if (got == -1 && errno == EINTR)
			continue;
		if (got <= 0)
			return err_set(err, ERR_UPSTREAM, "read at %jd: %s",
			    (intmax_t)off, got == 0 ? "unexpected end of file" :
			    strerror(errno));
		if (buf_add(out, tmp, (size_t)got) == -1)
			return err_set(err, ERR_TOO_LARGE, "read too large");
		off += got;
		len -= (size_t)got;
	}
	return 0;
}

/* --- opening -------------------------------------------------------------- */

static struct parquet_read *
reader_new(const struct parquet_read_limits *lim)
{
	struct parquet_read	*r;

	r = xcalloc(1, sizeof(*r));
	r->fd = -1;
	if (lim != NULL)
		r->lim = *lim;
	else
		parquet_read_limits_default(&r->lim);
	if (r->lim.read_block == 0)
		r->lim.read_block = 1;
	buf_init(&r->tail, 0);
	r->meta_arena = arena_new();
	r->row_arena = arena_new();
	r->plim.max_page = r->lim.max_page;
	r->plim.max_dict = r->lim.max_dict;
	r->plim.max_header = r->lim.max_header;
	r->plim.max_values = r->lim.max_page_values;
	r->plim.read_block = r->lim.read_block;
	return r;
}

/* Read the tail, find the footer, decode it. */
static int
read_footer(struct parquet_read *r, struct err *err)
{
	struct parquet_meta_limits	 ml;
	int64_t				 size = r->src.size, tail;
	const unsigned char		*t;
	uint32_t			 flen;

	if (size < 12)
		return err_set(err, ERR_INTERNAL, "parquet: a file of %jd "
		    "bytes is too small", (intmax_t)size);
	tail = size;
	if ((uint64_t)size - 8 > r->lim.tail_read)
		tail = (int64_t)r->lim.tail_read + 8;
	if (r->src.read(r->src.ctx, size - tail, (size_t)tail, &r->tail,
	    err) == -1)
		return -1;
	if (r->tail.len != (size_t)tail)
		return err_set(err, ERR_UPSTREAM, "parquet: short read");
	t = (const unsigned char *)r->tail.data + tail - 8;
	if (memcmp(t + 4, MAGIC_ENC, 4) == 0)
		return err_set(err, ERR_UNSUPPORTED, "parquet: encrypted "
		    "footers are not supported");
	if (memcmp(t + 4, MAGIC, 4) != 0)
		return err_set(err, ERR_INTERNAL, "parquet: no PAR1 magic at "
		    "the end of the file");
	flen = bytes_get_le32(t);
	if ((int64_t)flen > size - 12 || flen > r->lim.max_footer)
		return err_set(err, ERR_INTERNAL, "parquet: footer of %u bytes "
		    "in a file of %jd (limit %zu)", flen, (intmax_t)size,
		    r->lim.max_footer);
	r->data_end = size - 8 - (int64_t)flen;
	if ((int64_t)flen + 8 > tail) {
		buf_reset(&r->tail);
		if (r->src.read(r->src.ctx, r->data_end, flen, &r->tail,
		    err) == -1)
			return -1;
		if (r->tail.len != flen)
			return err_set(err, ERR_UPSTREAM,
			    "parquet: short read");
		t = (const unsigned char *)r->tail.data;
	} else {
		t -= flen;
		if (tail == size && memcmp(r->tail.data, MAGIC, 4) != 0)
			return err_set(err, ERR_INTERNAL, "parquet: no PAR1 "
			    "magic at the start of the file");
	}
	ml.max_nodes = r->lim.max_nodes;
	ml.max_chunks = r->lim.max_chunks;
	ml.max_depth = r->lim.max_depth;
	ml.max_type_length = r->lim.max_type_length;
	return parquet_meta_decode(t, flen, &ml, r->meta_arena, &r->meta, err);
}

static struct parquet_read *
open_source(struct parquet_read *r, struct err *err)
{
	size_t	 n;

	if (r->src.size < 0) {
		err_set(err, ERR_INTERNAL, "parquet: a file of negative size");
		goto fail;
	}
	if (read_footer(r, err) == -1)
		goto fail;
	n = r->meta.nleaves;
	r->sel = xcalloc(n, sizeof(*r->sel));
	r->selpos = xcalloc(n + 1, sizeof(*r->selpos));
	r->selcols = xcalloc(n, sizeof(*r->selcols));
	r->repcols = xcalloc(n, sizeof(*r->repcols));
	r->nkids_sel = xcalloc(r->meta.nnodes, sizeof(*r->nkids_sel));
	r->cols = xcalloc(n, sizeof(*r->cols));
	if (parquet_read_select(r, NULL, 0, err) == -1)
		goto fail;
	return r;
fail:
	parquet_read_free(r);
	return NULL;
}

struct parquet_read *
parquet_read_open(const struct parquet_read_source *src,
    const struct parquet_read_limits *lim, struct err *err)
{
	struct parquet_read	*r = reader_new(lim);

	r->src = *src;
	return open_source(r, err);
}

struct parquet_read *
parquet_read_open_mem(const void *p, size_t len,
    const struct parquet_read_limits *lim, struct err *err)
{
	struct parquet_read	*r = reader_new(lim);

	r->mem = p;
	r->src.size = len > INT64_MAX ? -1 : (int64_t)len;
	r->src.read = mem_read;
	r->src.ctx = r;
	return open_source(r, err);
}

struct parquet_read *
parquet_read_open_path(const char *path,
    const struct parquet_read_limits *lim, struct err *err)
{
	struct parquet_read	*r;
	struct stat		 st;
	int			 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(fd, &st) == -1) {
		err_set(err, errno == ENOENT ? ERR_NOT_FOUND : ERR_UPSTREAM,
		    "cannot open '%s': %s", path, strerror(errno));
		if (fd != -1)
			close(fd);
		return NULL;
	}
	r = reader_new(lim);
	r->fd = fd;
	r->src.size = st.st_size;
	r->src.read = fd_read;
	r->src.ctx = r;
	return open_source(r, err);
}

static void
close_cols(struct parquet_read *r)
{
	size_t	 i;

	if (!r->open)
		return;
	for (i = 0; i < r->nsel; i++)
		parquet_page_close(&r->cols[r->selcols[i]]);
	r->open = false;
}

void
parquet_read_free(struct parquet_read *r)
{
	if (r == NULL)
		return;
	close_cols(r);
	free(r->sel);
	free(r->selpos);
	free(r->selcols);
	free(r->repcols);
	free(r->nkids_sel);
	free(r->cols);
	arena_free(r->row_arena);
	arena_free(r->meta_arena);
	buf_release(&r->tail);
	if (r->fd != -1)
		close(r->fd);
	free(r);
}

/* --- footer facts and schema ---------------------------------------------- */

const struct parquet_meta *
parquet_read_meta(const struct parquet_read *r)
{
	return &r->meta;
}

int64_t
parquet_read_num_rows(const struct parquet_read *r)
{
	return r->meta.num_rows;
}

size_t
parquet_read_num_row_groups(const struct parquet_read *r)
{
	return r->meta.nrow_groups;
}

int64_t
parquet_read_row_group_rows(const struct parquet_read *r, size_t i)
{
	return i < r->meta.nrow_groups ? r->meta.row_groups[i].num_rows : -1;
}

const char *
parquet_read_created_by(const struct parquet_read *r)
{
	return r->meta.created_by;
}

const char *
parquet_read_kv(const struct parquet_read *r, const char *key)
{
	size_t	 i;

	for (i = r->meta.nkv; i > 0; i--)
		if (strcmp(r->meta.kv[i - 1].key, key) == 0)
			return r->meta.kv[i - 1].value;
	return NULL;
}

int64_t
parquet_read_file_size(const struct parquet_read *r)
{
	return r->src.size;
}

const struct parquet_meta_node *
parquet_read_root(const struct parquet_read *r)
{
	return r->meta.root;
}

const struct parquet_meta_node *
parquet_read_lookup(const struct parquet_read *r, const char *path)
{
	return parquet_meta_lookup(r->meta.root, path);
}

size_t
parquet_read_num_columns(const struct parquet_read *r)
{
	return r->meta.nleaves;
}

const struct parquet_meta_node *
parquet_read_column(const struct parquet_read *r, size_t i)
{
	return i < r->meta.nleaves ? r->meta.leaves[i] : NULL;
}

/* --- projection ----------------------------------------------------------- */

static void
mark(struct parquet_read *r, const struct parquet_meta_node *n, bool on)
{
	size_t	 i;

	for (i = 0; i < n->ncols; i++)
		r->sel[n->first_col + i] = on;
}

/* Selected leaves under n: [selpos[first_col], selpos[first_col+ncols]). */
static size_t
sel_lo(const struct parquet_read *r, const struct parquet_meta_node *n)
{
	return r->selpos[n->first_col];
}

static size_t
sel_hi(const struct parquet_read *r, const struct parquet_meta_node *n)
{
	return r->selpos[n->first_col + n->ncols];
}

bool
parquet_read_selected(const struct parquet_read *r,
    const struct parquet_meta_node *n)
{
	return sel_hi(r, n) > sel_lo(r, n);
}

static void
index_selection(struct parquet_read *r)
{
	const struct parquet_meta_node	*n;
	size_t				 i, k;

	r->nsel = r->nrep = 0;
	for (i = 0; i < r->meta.nleaves; i++) {
		r->selpos[i] = r->nsel;
		if (!r->sel[i])
			continue;
		r->selcols[r->nsel++] = i;
		if (r->meta.leaves[i]->max_rep > 0)
			r->repcols[r->nrep++] = i;
	}
	r->selpos[r->meta.nleaves] = r->nsel;
	for (i = 0; i < r->meta.nnodes; i++) {
		n = r->meta.nodes[i];
		r->nkids_sel[i] = 0;
		for (k = 0; k < n->nkids; k++)
			r->nkids_sel[i] += parquet_read_selected(r, n->kids[k]);
	}
}

int
parquet_read_select(struct parquet_read *r, const char *const *paths,
    size_t n, struct err *err)
{
	const struct parquet_meta_node	*node;
	size_t				 i;

	close_cols(r);
	r->rg = 0;
	r->row = r->rows = 0;
	r->failed = false;
	memset(r->sel, n == 0, r->meta.nleaves * sizeof(*r->sel));
	for (i = 0; i < n; i++)
		if (paths[i][0] != '-' && (node =
		    parquet_meta_lookup(r->meta.root, paths[i])) != NULL)
			mark(r, node, true);
	for (i = 0; i < n; i++)
		if (paths[i][0] == '-' && (node =
		    parquet_meta_lookup(r->meta.root, paths[i] + 1)) != NULL)
			mark(r, node, false);
	index_selection(r);
	/* A map's values make no sense without its keys. */
	for (i = 0; i < r->meta.nnodes; i++) {
		node = r->meta.nodes[i];
		if (node->shape == PARQUET_SHAPE_MAP &&
		    parquet_read_selected(r, node))
			mark(r, node->key, true);
	}
	index_selection(r);
	if (r->nsel == 0)
		return err_set(err, ERR_BAD_PARAM, "parquet: the projection "
		    "selects no column");
	return 0;
}

/* --- record assembly ------------------------------------------------------ */

static struct parquet_page *
first_col(struct parquet_read *r, const struct parquet_meta_node *n)
{
	return &r->cols[r->selcols[sel_lo(r, n)]];
}

/* The levels of the next entry of n's first projected leaf. */
static int
peek(struct parquet_read *r, const struct parquet_meta_node *n,
    uint32_t *def, uint32_t *rep, struct err *err)
{
	int	 rc;

	if ((rc = parquet_page_peek(first_col(r, n), def, rep, err)) == 0)
		return err_set(err, ERR_INTERNAL, "parquet: column '%s' has "
		    "fewer values than rows",
		    first_col(r, n)->chunk->leaf->path);
	return rc == 1 ? 0 : -1;
}

/* n is null (or empty) here: one entry of each projected leaf says so. */
static int
skip_null(struct parquet_read *r, const struct parquet_meta_node *n,
    struct err *err)
{
	struct parquet_value	 v;
	uint32_t		 def, rep;
	size_t			 i;

	for (i = sel_lo(r, n); i < sel_hi(r, n); i++) {
		if (parquet_page_take(&r->cols[r->selcols[i]], &def, &rep, &v,
		    err) == -1)
			return -1;
		if (def >= (uint32_t)n->max_def)
			return err_set(err, ERR_INTERNAL, "parquet: column "
			    "'%s' disagrees with its siblings on '%s' being "
			    "null", r->meta.leaves[r->selcols[i]]->path,
			    n->path);
	}
	return 0;
}

/* Room for n more values in the row. */
static struct parquet_value *
values(struct parquet_read *r, size_t n, struct err *err)
{
	if (n > r->lim.max_row_values - r->nvalues) {
		err_set(err, ERR_INTERNAL, "parquet: a row of more than %zu "
		    "values", r->lim.max_row_values);
		return NULL;
	}
	r->nvalues += n;
	return arena_calloc(r->row_arena, n > 0 ? n : 1,
	    sizeof(struct parquet_value));
}

static int	field(struct parquet_read *, const struct parquet_meta_node *,
		    struct parquet_value *, struct err *);
static int	instance(struct parquet_read *,
		    const struct parquet_meta_node *, struct parquet_value *,
		    struct err *);

/* Grow a list's array to hold one more value. */
static int
grow(struct parquet_read *r, struct parquet_value *out, size_t *cap,
    struct err *err)
{
	struct parquet_value	*v;

	if (out->u.kids.n < *cap)
		return 0;
	if ((v = values(r, *cap * 2, err)) == NULL)
		return -1;
	memcpy(v, out->u.kids.v, *cap * sizeof(*v));
	out->u.kids.v = v;
	*cap *= 2;
	return 0;
}

/*
 * The elements of the repeated node rn as a list (a map when key is
 * set): instances of rn, or its child elem read as a field.
 */
static int
repeated(struct parquet_read *r, const struct parquet_meta_node *rn,
    const struct parquet_meta_node *elem, const struct parquet_meta_node *key,
    const struct parquet_meta_node *val, struct parquet_value *out,
    struct err *err)
{
	size_t		 cap = FIRST_LIST, per = key != NULL ? 2 : 1;
	uint32_t	 def, rep;
	int		 rc;

	out->u.kids.n = 0;
	if (peek(r, rn, &def, &rep, err) == -1)
		return -1;
	if (def < (uint32_t)rn->max_def)
		return skip_null(r, rn, err);
	if ((out->u.kids.v = values(r, cap, err)) == NULL)
		return -1;
	for (;;) {
		if (grow(r, out, &cap, err) == -1)
			return -1;
		if (key != NULL) {
			if (field(r, key, &out->u.kids.v[out->u.kids.n++],
			    err) == -1 || grow(r, out, &cap, err) == -1)
				return -1;
			out->u.kids.v[out->u.kids.n].node = val;
			rc = val == NULL || !parquet_read_selected(r, val) ? 0 :
			    field(r, val, &out->u.kids.v[out->u.kids.n], err);
		} else if (elem == rn)
			rc = instance(r, rn, &out->u.kids.v[out->u.kids.n],
			    err);
		else
			rc = field(r, elem, &out->u.kids.v[out->u.kids.n],
			    err);
		if (rc == -1)
			return -1;
		out->u.kids.n++;
		if ((rc = parquet_page_peek(first_col(r, rn), &def, &rep,
		    err)) == -1)
			return -1;
		if (rc == 0 || rep < (uint32_t)rn->max_rep)
			break;
		if (rep > (uint32_t)rn->max_rep)
			return err_set(err, ERR_INTERNAL, "parquet: column "
			    "'%s': repetition level %u inside '%s'",
			    first_col(r, rn)->chunk->leaf->path, rep,
			    rn->path);
	}
	if (key != NULL)
		out->u.kids.n /= per;
	return 0;
}

/* The projected fields of a struct instance. */
static int
fields(struct parquet_read *r, const struct parquet_meta_node *n,
    struct parquet_value *out, struct err *err)
{
	size_t	 i, k = 0, m = r->nkids_sel[n->id];

	out->kind = PARQUET_VALUE_STRUCT;
	out->u.kids.n = m;
	if ((out->u.kids.v = values(r, m, err)) == NULL)
		return -1;
	for (i = 0; i < n->nkids && k < m; i++)
		if (parquet_read_selected(r, n->kids[i]) &&
		    field(r, n->kids[i], &out->u.kids.v[k++], err) == -1)
			return -1;
	return 0;
}

/* One instance of n, whatever its repetition. */
static int
instance(struct parquet_read *r, const struct parquet_meta_node *n,
    struct parquet_value *out, struct err *err)
{
	uint32_t	 def, rep;

	out->node = n;
	switch (n->shape) {
	case PARQUET_SHAPE_LEAF:
		if (parquet_page_take(&r->cols[n->col], &def, &rep, out,
		    err) == -1)
			return -1;
		if (def != (uint32_t)n->max_def)
			return err_set(err, ERR_INTERNAL, "parquet: column "
			    "'%s' is null where its parent is not", n->path);
		return 0;
	case PARQUET_SHAPE_STRUCT:
		return fields(r, n, out, err);
	case PARQUET_SHAPE_LIST:
		out->kind = PARQUET_VALUE_LIST;
		return repeated(r, n->rep_node, n->elem, NULL, NULL, out, err);
	case PARQUET_SHAPE_MAP:
		out->kind = PARQUET_VALUE_MAP;
		return repeated(r, n->rep_node, NULL, n->key, n->value, out,
		    err);
	}
	return err_set(err, ERR_INTERNAL, "parquet: bad node shape");
}

/* n as a field of its parent's instance: null, a list, or an instance. */
static int
field(struct parquet_read *r, const struct parquet_meta_node *n,
    struct parquet_value *out, struct err *err)
{
	uint32_t	 def, rep;

	out->node = n;
	if (n->rep == PARQUET_REPEATED) {
		out->kind = PARQUET_VALUE_LIST;
		return repeated(r, n, n, NULL, NULL, out, err);
	}
	/* An optional leaf is its next entry, null or not: one call. */
	if (n->rep == PARQUET_OPTIONAL && n->shape == PARQUET_SHAPE_LEAF)
		return parquet_page_take(&r->cols[n->col], &def, &rep, out,
		    err);
	if (n->rep == PARQUET_OPTIONAL) {
		if (peek(r, n, &def, &rep, err) == -1)
			return -1;
		if (def < (uint32_t)n->max_def) {
			out->kind = PARQUET_VALUE_NULL;
			return skip_null(r, n, err);
		}
	}
	return instance(r, n, out, err);
}

/* --- rows ----------------------------------------------------------------- */

static int
open_row_group(struct parquet_read *r, struct err *err)
{
	const struct parquet_meta_row_group	*g = &r->meta.row_groups[r->rg];
	const struct parquet_meta_chunk		*k;
	size_t					 i;

	r->row = 0;
	r->rows = g->num_rows;
	for (i = 0; i < r->nsel; i++) {
		k = &g->chunks[r->selcols[i]];
		if (k->has_meta && (k->start < 0 ||
		    k->start + k->compressed_size > r->data_end))
			return err_set(err, ERR_INTERNAL, "parquet: column "
			    "'%s': chunk at %jd of %jd bytes lies outside the "
			    "data", k->leaf->path, (intmax_t)k->start,
			    (intmax_t)k->compressed_size);
	}
	r->open = true;
	for (i = 0; i < r->nsel; i++)
		memset(&r->cols[r->selcols[i]], 0, sizeof(*r->cols));
	for (i = 0; i < r->nsel; i++)
		if (parquet_page_open(&r->cols[r->selcols[i]],
		    &g->chunks[r->selcols[i]], &r->plim, r->src.read,
		    r->src.ctx, err) == -1)
			return -1;
	return 0;
}

/*
 * Every projected column has ended (at_end), or every repeated one
 * starts a row here (one that is not repeated always does, and one that
 * ran short fails where the row needs it).
 */
static int
check_columns(struct parquet_read *r, bool at_end, struct err *err)
{
	struct parquet_page	*pg;
	uint32_t		 def, rep;
	size_t			 i, n = at_end ? r->nsel : r->nrep;
	int			 rc;

	for (i = 0; i < n; i++) {
		pg = &r->cols[at_end ? r->selcols[i] : r->repcols[i]];
		if ((rc = parquet_page_peek(pg, &def, &rep, err)) == -1)
			return -1;
		if (at_end && rc == 1)
			return err_set(err, ERR_INTERNAL, "parquet: column "
			    "'%s' has more values than its row group's %jd "
			    "rows", pg->chunk->leaf->path, (intmax_t)r->rows);
		if (!at_end && rc == 0)
			return err_set(err, ERR_INTERNAL, "parquet: column "
			    "'%s' has fewer values than rows",
			    pg->chunk->leaf->path);
		if (!at_end && rep != 0)
			return err_set(err, ERR_INTERNAL, "parquet: column "
			    "'%s': a row starts at repetition level %u",
			    pg->chunk->leaf->path, rep);
	}
	return 0;
}

static int
next_row(struct parquet_read *r, const struct parquet_value **row,
    struct err *err)
{
	size_t	 i;

	arena_reset(r->row_arena);
	r->nvalues = 0;
	if (r->open)
		for (i = 0; i < r->nsel; i++)
			parquet_page_release(&r->cols[r->selcols[i]]);
	while (!r->open || r->row == r->rows) {
		if (r->open) {
			close_cols(r);
			r->rg++;
		}
		if (r->rg >= r->meta.nrow_groups)
			return 0;
		if (open_row_group(r, err) == -1)
			return -1;
	}
	if (check_columns(r, false, err) == -1 ||
	    fields(r, r->meta.root, &r->rowv, err) == -1)
		return -1;
	r->rowv.node = r->meta.root;
	if (++r->row == r->rows && check_columns(r, true, err) == -1)
		return -1;
	*row = &r->rowv;
	return 1;
}

int
parquet_read_next(struct parquet_read *r, const struct parquet_value **row,
    struct err *err)
{
	int	 rc;

	if (r->failed) {
		*err = r->saved;
		return -1;
	}
	if ((rc = next_row(r, row, err)) == -1) {
		r->failed = true;
		r->saved = *err;
	}
	return rc;
}

int
parquet_read_seek(struct parquet_read *r, size_t i, struct err *err)
{
	if (i > r->meta.nrow_groups)
		return err_set(err, ERR_BAD_PARAM, "parquet: no row group %zu",
		    i);
	close_cols(r);
	r->rg = i;
	r->row = r->rows = 0;
	r->failed = false;
	return 0;
}
