/*
 * parquet_write_meta.h: the Parquet writer's metadata, private to
 * parquet_write.c and parquet_write_meta.c (everyone else uses
 * parquet_write.h): the schema tree behind the opaque node and schema
 * types of parquet_write.h, its checks, and the Thrift compact encoding
 * of page headers and of the footer (FileMetaData).
 *
 * The schema tree is built by parquet_write.c (parquet_write_add_*());
 * the leaves, depth first, are the file's columns.  This module only
 * reads it, and what it encodes is a function of its arguments.
 */
#ifndef DS_PARQUET_WRITE_META_H
#define DS_PARQUET_WRITE_META_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parquet_write.h"

struct buf;
struct err;

#define PW_MAX_DEPTH		64	/* schema nesting; levels fit a byte */

/* Parquet Encoding and PageType values. */
enum parquet_write_meta_enc {
	PW_ENC_PLAIN = 0,
	PW_ENC_RLE = 3,
	PW_ENC_RLE_DICTIONARY = 8
};

enum parquet_write_meta_page {
	PW_PAGE_DATA = 0,
	PW_PAGE_DICTIONARY = 2
};

enum parquet_write_meta_kind {
	PW_NODE_LEAF,
	PW_NODE_GROUP,
	PW_NODE_LIST,		/* its one child is the repeated "list" */
	PW_NODE_MAP		/* its one child is the repeated "key_value" */
};

struct parquet_write_node {
	char				*name;
	enum parquet_write_rep		 rep;
	enum parquet_write_meta_kind	 kind;
	struct parquet_write_leaf	 leaf;
	struct parquet_write_schema	*schema;
	struct parquet_write_node	*parent;
	size_t				 id;	/* index in per-writer arrays */
	struct parquet_write_node	**kids;
	size_t				 nkids;
};

struct parquet_write_schema {
	struct parquet_write_node	 root;
	size_t				 nnodes;	/* root included */
};

/* What the footer says of a column, whatever the row group. */
struct parquet_write_meta_col {
	const struct parquet_write_node	*node;	/* the leaf */
	bool		 levels;	/* it has levels: RLE is used */
	bool		 legacy;	/* bounds in Statistics.min/max too */
};

/* What the footer says of one column chunk. */
struct parquet_write_meta_chunk {
	int64_t		 num_values, raw, comp, data_off, dict_off;
	bool		 plain, dict;	/* the encodings used */
	int64_t		 nulls;
	bool		 has;		/* min and max are set */
	unsigned char	*min, *max;	/* PLAIN bytes, owned */
	size_t		 minlen, maxlen;
};

struct parquet_write_meta_rg {
	struct parquet_write_meta_chunk	*cm;	/* one per column */
	int64_t				 rows, raw, comp, off;
};

/* The whole footer. */
struct parquet_write_meta_file {
	const struct parquet_write_schema	*schema;
	const struct parquet_write_meta_col	*cols;
	size_t					 ncols;
	const struct parquet_write_meta_rg	*rgs;
	size_t					 nrg;
	char *const				*kv;	/* key, value... */
	size_t					 nkv;
	int64_t					 rows;
	int					 codec;
};

/*
 * Check a leaf (its physical and logical types), or a group (a LIST or
 * MAP has the one repeated child it needs).  0, or -1 with err set.
 */
int	parquet_write_meta_check_leaf(const struct parquet_write_node *,
	    struct err *);
int	parquet_write_meta_check_group(const struct parquet_write_node *,
	    struct err *);

/*
 * Append a PageHeader to b: a data page v1 (levels in RLE) or a
 * dictionary page, with its sizes before and after compression.  0, or
 * -1 if b is over its cap.
 */
int	parquet_write_meta_page(struct buf *b, enum parquet_write_meta_page,
	    int32_t raw, int32_t comp, int32_t nvalues,
	    enum parquet_write_meta_enc);

/* Append the FileMetaData to b.  0, or -1 if b is over its cap. */
int	parquet_write_meta_footer(struct buf *b,
	    const struct parquet_write_meta_file *);

#endif
