/*
 * fuzz-parquet.c: libFuzzer harness for the Parquet reader: the input
 * is a whole file.  It is opened from memory with small limits, every
 * schema node is looked up by its path, and every column of every row
 * group is read, each row rendered as JSON in the three styles; then the
 * file is read again with a projection (the first top-level field, less
 * its first child) and the leaves' partition-value text is taken.
 *
 * Properties checked besides "no crash": a failure always sets an error
 * message; the rendered JSON is valid (jsonv) UTF-8; a lookup by a
 * node's own path finds a node.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "jsonv.h"
#include "jsonw.h"
#include "parquet_meta.h"
#include "parquet_read.h"
#include "parquet_value.h"
#include "strutil.h"
#include "xmalloc.h"

#define MAX_ROWS	2000	/* rows read per pass, to bound time */

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
limits(struct parquet_read_limits *l)
{
	parquet_read_limits_default(l);
	l->max_footer = 1 << 20;
	l->max_nodes = 2000;
	l->max_chunks = 20000;
	l->max_depth = 24;
	l->max_type_length = 4096;
	l->max_page = 1 << 20;
	l->max_dict = 1 << 20;
	l->max_header = 1 << 16;
	l->max_page_values = 1 << 16;
	l->max_row_values = 1 << 14;
	l->read_block = 4096;
	l->tail_read = 256;
}

static void
check_json(const struct parquet_value *v, enum parquet_value_style style)
{
	struct jsonw	 w;
	struct buf	 b;
	const char	*why;
	size_t		 at;

	buf_init(&b, 0);
	jsonw_init(&w, &b);
	parquet_value_json(&w, v, style);
	if (jsonv_check(buf_str(&b), b.len, 64, &why, &at) == -1 ||
	    !str_utf8_valid(buf_str(&b), b.len))
		abort();
	buf_release(&b);
}

/* The partition text of every scalar in v. */
static void
walk(const struct parquet_value *v, int depth)
{
	struct buf	 b;
	size_t		 i, n;

	if (depth > 64)
		abort();
	if (v->kind == PARQUET_VALUE_STRUCT || v->kind == PARQUET_VALUE_LIST ||
	    v->kind == PARQUET_VALUE_MAP) {
		n = v->kind == PARQUET_VALUE_MAP ? 2 * v->u.kids.n :
		    v->u.kids.n;
		for (i = 0; i < n; i++)
			walk(&v->u.kids.v[i], depth + 1);
		return;
	}
	buf_init(&b, 0);
	if (parquet_value_partition(v, &b) == -1)
		abort();
	buf_release(&b);
}

static void
read_rows(struct parquet_read *r)
{
	const struct parquet_value	*row;
	struct err			 e;
	int				 rc, n = 0;

	err_clear(&e);
	while (n++ < MAX_ROWS && (rc = parquet_read_next(r, &row, &e)) == 1) {
		check_json(row, PARQUET_VALUE_DELTA);
		check_json(row, PARQUET_VALUE_PARTITION);
		check_json(row, PARQUET_VALUE_CANON);
		walk(row, 0);
	}
	if (n <= MAX_ROWS && rc == -1 && e.msg[0] == '\0')
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct parquet_read_limits	 lim;
	const struct parquet_meta	*m;
	const struct parquet_meta_node	*root;
	struct parquet_read		*r;
	struct err			 e;
	const char			*sel[2];
	char				*neg = NULL;
	size_t				 i;

	limits(&lim);
	err_clear(&e);
	if ((r = parquet_read_open_mem(data, size, &lim, &e)) == NULL) {
		if (e.msg[0] == '\0')
			abort();
		return 0;
	}
	m = parquet_read_meta(r);
	for (i = 1; i < m->nnodes; i++)
		if (parquet_read_lookup(r, m->nodes[i]->path) == NULL)
			abort();
	(void)parquet_read_num_rows(r);
	(void)parquet_read_kv(r, "org.apache.spark.sql.parquet.row.metadata");
	read_rows(r);

	root = parquet_read_root(r);
	sel[0] = root->kids[0]->path;
	if (root->kids[0]->nkids > 0) {
		neg = xasprintf("-%s", root->kids[0]->kids[0]->path);
		sel[1] = neg;
	}
	if (parquet_read_select(r, sel, neg != NULL ? 2 : 1, &e) == 0)
		read_rows(r);
	if (parquet_read_num_row_groups(r) > 0 &&
	    parquet_read_seek(r, parquet_read_num_row_groups(r) - 1, &e) == 0)
		read_rows(r);
	free(neg);
	parquet_read_free(r);
	return 0;
}
