/*
 * fuzz-thrift.c: libFuzzer harness for the Thrift compact decoder and
 * the Parquet metadata decoders over it: the input is decoded as a
 * generic struct (every field skipped), as a FileMetaData and as a
 * PageHeader.
 *
 * Properties checked besides "no crash": a failure always sets an error
 * message; the decoder never reports more bytes consumed than it was
 * given; a decoded footer's nodes have consistent levels and column
 * ranges.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "arena.h"
#include "err.h"
#include "parquet_meta.h"
#include "thrift.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
generic(const uint8_t *data, size_t size)
{
	struct thrift_dec	 d;
	struct err		 e;

	err_clear(&e);
	thrift_dec_init(&d, data, size, &e);
	if (thrift_dec_skip(&d, THRIFT_T_STRUCT) == -1 && e.msg[0] == '\0')
		abort();
	if (thrift_dec_pos(&d) > size)
		abort();
}

static void
check_meta(const struct parquet_meta *m)
{
	const struct parquet_meta_node	*n;
	size_t				 i;

	for (i = 0; i < m->nnodes; i++) {
		n = m->nodes[i];
		if (n->first_col + n->ncols > m->nleaves)
			abort();
		if (n->parent != NULL && (n->max_def < n->parent->max_def ||
		    n->max_rep < n->parent->max_rep))
			abort();
		if (n->shape == PARQUET_SHAPE_LEAF && m->leaves[n->col] != n)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct parquet_meta_limits	 lim = { 2000, 20000, 24, 4096 };
	struct parquet_meta_page	 h;
	struct parquet_meta		 m;
	struct arena			*a;
	struct err			 e;
	bool				 truncated;

	generic(data, size);
	a = arena_new();
	err_clear(&e);
	if (parquet_meta_decode(data, size, &lim, a, &m, &e) == 0)
		check_meta(&m);
	else if (e.msg[0] == '\0')
		abort();
	arena_free(a);
	err_clear(&e);
	if (parquet_meta_page_decode(data, size, &h, &truncated, &e) == 0) {
		if (h.header_size > size)
			abort();
	} else if (e.msg[0] == '\0')
		abort();
	return 0;
}
