/*
 * parquet_page.h: reading one column chunk, page by page, as a stream
 * of entries (definition level, repetition level, and a value when the
 * entry is not null).
 *
 * The reader fetches the chunk through a positional read callback in
 * windows of limits.read_block bytes (so a chunk in an object store is
 * read by ranges and never held whole), decodes each page header,
 * decompresses the page with codec_decompress() and decodes its levels
 * and values lazily with parquet_decode.h: memory is one page (plus the
 * chunk's dictionary), whatever the chunk's size.
 *
 * Data pages v1 and v2 and dictionary pages are read; index pages and
 * page types this reader does not know are skipped.  Before it is used,
 * every size in a page header is checked against the chunk (which the
 * caller has checked against the file) and the limits: a page may not
 * run past its chunk, be larger than the page limit once decompressed,
 * hold more entries than the chunk claims or the value limit allows;
 * levels may not exceed the column's maxima.  A dictionary page must
 * come first.
 *
 * Value bytes point into page buffers.  When the reader moves to the
 * next page, the buffers of the one it leaves are kept ("retired") until
 * parquet_page_release() is called, so the values of a row that spans
 * pages stay valid until the caller is done with the row.
 */
#ifndef DS_PARQUET_PAGE_H
#define DS_PARQUET_PAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "parquet_decode.h"

struct arena;
struct err;
struct parquet_meta_chunk;
struct parquet_value;

/* Read len bytes at offset off and append them to out: 0 or -1. */
typedef int (*parquet_page_read_fn)(void *ctx, int64_t off, size_t len,
    struct buf *out, struct err *);

struct parquet_page_limits {
	size_t		 max_page;	/* page bytes, either side of codec */
	size_t		 max_dict;	/* dictionary page bytes */
	size_t		 max_header;	/* page header bytes */
	int64_t		 max_values;	/* entries per page */
	size_t		 read_block;	/* bytes fetched at a time */
};

struct parquet_page_mem;

struct parquet_page {
	const struct parquet_meta_chunk	*chunk;
	const struct parquet_page_limits *lim;
	parquet_page_read_fn		 read;
	void				*ctx;
	int				 max_def, max_rep;

	/* The window of chunk bytes fetched: [win_off, win_off + len). */
	struct buf			 win;
	int64_t				 win_off;
	int64_t				 pos, end;	/* next header, end */
	int64_t				 chunk_left;	/* entries */

	bool				 has_dict;
	struct parquet_decode_dict	 dict;
	struct parquet_page_mem		*dict_mem;

	/* The current data page. */
	int64_t				 page_at;	/* its offset */
	struct parquet_page_mem		*mem;
	int64_t				 page_left;	/* entries */
	struct parquet_decode_rle	 def, rep;
	struct parquet_decode		 dec;

	/* The entry peeked at, if any. */
	bool				 peeked;
	uint32_t			 pdef, prep;

	struct parquet_page_mem		*retired;	/* list */
};

/*
 * Start reading chunk (whose leaf gives the levels) through read/ctx.
 * The chunk's byte range must already be known to lie in the file.
 * Returns 0, or -1 with err set (an external or encrypted chunk, or a
 * codec this build lacks: ERR_UNSUPPORTED).
 */
int	parquet_page_open(struct parquet_page *,
	    const struct parquet_meta_chunk *,
	    const struct parquet_page_limits *, parquet_page_read_fn read,
	    void *ctx, struct err *);

/* Free everything, retired buffers included. */
void	parquet_page_close(struct parquet_page *);

/*
 * The levels of the next entry, without taking it: 1, or 0 when the
 * chunk has no more entries, or -1 with err set.
 */
int	parquet_page_peek(struct parquet_page *, uint32_t *def, uint32_t *rep,
	    struct err *);

/*
 * Take the next entry: its levels, and into v (kind and payload) its
 * value when def is the column's maximum, else PARQUET_VALUE_NULL.
 * 0, or -1 with err set (also when there is no entry left).
 */
int	parquet_page_take(struct parquet_page *, uint32_t *def, uint32_t *rep,
	    struct parquet_value *v, struct err *);

/* Free the buffers of the pages left behind (see above). */
void	parquet_page_release(struct parquet_page *);

#endif
