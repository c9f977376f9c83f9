/*
 * parquet_read.h: the Parquet file reader: footer facts, schema lookups,
 * and rows of a projection, one row group at a time.
 *
 * It reads what Delta logs and tables hold: checkpoints (classic,
 * multi-part, v2 and sidecars, with stats_parsed and
 * partitionValues_parsed), data file footers and expected-result files.
 * Supported: data pages v1 and v2, dictionary pages; the encodings
 * PLAIN, PLAIN_DICTIONARY, RLE_DICTIONARY, RLE, BIT_PACKED (levels),
 * DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY and
 * BYTE_STREAM_SPLIT; every physical type; the codecs of codec.h;
 * structs, LIST and MAP with the legacy layouts of LogicalTypes.md, and
 * unannotated repeated fields.  Not supported (a clear error when a read
 * needs them): encryption, column chunks in other files, LZO, BROTLI and
 * the Hadoop-framed LZ4.  Page indexes, bloom filters and CRCs are
 * ignored.
 *
 * Use:
 *
 *	r = parquet_read_open(&src, NULL, &err);	(reads the footer)
 *	n = parquet_read_num_rows(r);
 *	static const char *const cols[] = { "add", "-add.stats_parsed",
 *	    "remove.path" };
 *	parquet_read_select(r, cols, 3, &err);		(projection)
 *	while ((rc = parquet_read_next(r, &row, &err)) == 1) {
 *		add = parquet_value_get(row, "add");
 *		...
 *	}
 *	parquet_read_free(r);
 *
 * Only the column chunks of the projection are read.  Rows come out one
 * at a time, as a struct parquet_value tree (parquet_value.h) in an
 * arena the reader resets for each row; a row group is read page by
 * page, so memory stays at about one page per projected column whatever
 * the size of the file or of its row groups.  A row (and every byte it
 * points to) is valid until the next call of parquet_read_next(),
 * parquet_read_seek(), parquet_read_select() or parquet_read_free().
 *
 * The input may be hostile.  Every offset, length and count is checked
 * against the file size and the limits before it is used, with overflow
 * checks on offset arithmetic; a truncated, corrupt or malicious file
 * gives an error naming what is wrong (ERR_INTERNAL), an unsupported
 * feature ERR_UNSUPPORTED, a failing read callback its own error.
 * Errors are sticky: after one, parquet_read_next() keeps failing.
 */
#ifndef DS_PARQUET_READ_H
#define DS_PARQUET_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parquet_meta.h"
#include "parquet_value.h"

struct buf;
struct err;
struct parquet_read;

/*
 * Where the bytes come from: the file size and a positional read that
 * appends exactly len bytes at off to out (0), or fails (-1 with err
 * set).  Reads never go past size.  ctx is the callback's.
 */
struct parquet_read_source {
	int64_t		 size;
	int		(*read)(void *ctx, int64_t off, size_t len,
			    struct buf *out, struct err *);
	void		*ctx;
};

/* Caps; parquet_read_limits_default() fills in the defaults shown. */
struct parquet_read_limits {
	size_t		 max_footer;	/* footer bytes: 64 MiB */
	size_t		 max_nodes;	/* schema elements: 100,000 */
	size_t		 max_chunks;	/* row groups x columns: 1,048,576 */
	int		 max_depth;	/* schema nesting: 64 */
	int32_t		 max_type_length; /* fixed-length bytes: 1 MiB */
	size_t		 max_page;	/* page bytes, compressed or not, and
					   rebuilt values per page: 256 MiB */
	size_t		 max_dict;	/* dictionary page bytes: 64 MiB */
	size_t		 max_header;	/* page header bytes: 16 MiB */
	int64_t		 max_page_values; /* entries per page: 2^26 */
	size_t		 max_row_values;  /* values in one row: 1,048,576 */
	size_t		 read_block;	/* bytes read at a time: 1 MiB */
	size_t		 tail_read;	/* first read at the end: 64 KiB */
};

void	parquet_read_limits_default(struct parquet_read_limits *);

/*
 * Open a file: read and check its footer.  The source is copied; its
 * ctx must outlive the reader.  limits may be NULL (the defaults).
 * Returns NULL with err set on failure.  The projection starts as every
 * column.
 */
struct parquet_read *parquet_read_open(const struct parquet_read_source *,
	    const struct parquet_read_limits *, struct err *);

/* The same over the len bytes at p, which must outlive the reader. */
struct parquet_read *parquet_read_open_mem(const void *p, size_t len,
	    const struct parquet_read_limits *, struct err *);

/* The same over a file, read with pread(2); closed by parquet_read_free(). */
struct parquet_read *parquet_read_open_path(const char *path,
	    const struct parquet_read_limits *, struct err *);

/* Release the reader and everything it handed out (NULL is fine). */
void	parquet_read_free(struct parquet_read *);

/*
 * Footer facts.  The metadata (parquet_meta.h: schema nodes, row groups,
 * column chunks and their statistics, key/value metadata) lives as long
 * as the reader.  parquet_read_kv() is the value of a key/value metadata
 * key, or NULL.
 */
const struct parquet_meta *parquet_read_meta(const struct parquet_read *);
int64_t		 parquet_read_num_rows(const struct parquet_read *);
size_t		 parquet_read_num_row_groups(const struct parquet_read *);
int64_t		 parquet_read_row_group_rows(const struct parquet_read *,
		    size_t);
const char	*parquet_read_created_by(const struct parquet_read *);
const char	*parquet_read_kv(const struct parquet_read *, const char *);
int64_t		 parquet_read_file_size(const struct parquet_read *);

/*
 * Schema: the root (its kids are the top-level fields), a node by dotted
 * path ("add.stats_parsed.numRecords"; NULL if none), the leaf columns.
 */
const struct parquet_meta_node *parquet_read_root(const struct parquet_read *);
const struct parquet_meta_node *parquet_read_lookup(
		    const struct parquet_read *, const char *path);
size_t		 parquet_read_num_columns(const struct parquet_read *);
const struct parquet_meta_node *parquet_read_column(
		    const struct parquet_read *, size_t);

/*
 * Choose the fields rows carry: each path names a field (a whole
 * subtree: "add", "add.path", "add.partitionValues"); a path starting
 * with '-' takes a subtree out again ("-add.stats_parsed"), whatever
 * the order.  Paths that name nothing are ignored, so one projection
 * serves checkpoints written with and without optional fields; n == 0
 * selects every column.  Selecting part of a map's value selects its
 * key too.  Reading restarts at the first row.  Returns 0, or -1 when
 * nothing is selected.
 */
int	parquet_read_select(struct parquet_read *, const char *const *paths,
	    size_t n, struct err *);

/* Is the node in the projection (some leaf below it is)? */
bool	parquet_read_selected(const struct parquet_read *,
	    const struct parquet_meta_node *);

/*
 * The next row of the projection: 1 and *row (a STRUCT of the selected
 * top-level fields, in schema order; see above for how long it lives),
 * 0 after the last row, -1 with err set.
 */
int	parquet_read_next(struct parquet_read *,
	    const struct parquet_value **row, struct err *);

/* Continue reading at the first row of row group i (<= the count). */
int	parquet_read_seek(struct parquet_read *, size_t i, struct err *);

#endif
