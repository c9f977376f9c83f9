/*
 * parquet_meta.h: what a Parquet file's footer says, decoded: the
 * schema as a tree, the row groups and their column chunks (offsets,
 * sizes, codec, statistics), key/value metadata; and the page headers
 * found in column chunks.
 *
 * parquet_meta_decode() turns the FileMetaData bytes (Thrift compact
 * protocol) into a struct parquet_meta whose strings and arrays live in
 * an arena given by the caller; statistics and key/value bytes point
 * into the footer bytes, which must outlive it.  It checks everything a
 * reader relies on: the flattened schema list rebuilds into a tree whose
 * num_children add up, nesting stays under the depth limit, leaves have
 * a physical type (and a length for FIXED_LEN_BYTE_ARRAY), every row
 * group has one chunk per leaf with the leaf's type and path, and sizes
 * and offsets are not negative and do not overflow.  Chunk offsets are
 * checked against the file size by parquet_read.c when it opens a chunk
 * (so a bad chunk only fails the reads that need it).
 *
 * Each node also gets what record assembly needs: its maximum definition
 * and repetition levels, the range of leaf columns under it, and its
 * shape (a leaf, a struct, a LIST or a MAP), with the backward-
 * compatibility rules of LogicalTypes.md for lists and maps applied, so
 * callers never look at legacy annotations again.  Logical types come
 * from logicalType when present, else from converted_type; one that does
 * not fit its physical type is dropped (the values read as their
 * physical type).
 *
 * Errors are ERR_INTERNAL ("corrupt") or ERR_UNSUPPORTED (an encrypted
 * footer), with a message naming the field at fault.
 */
#ifndef DS_PARQUET_META_H
#define DS_PARQUET_META_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct err;

/* Physical types: the values of Parquet's Type. */
enum parquet_meta_type {
	PARQUET_BOOLEAN = 0,
	PARQUET_INT32 = 1,
	PARQUET_INT64 = 2,
	PARQUET_INT96 = 3,
	PARQUET_FLOAT = 4,
	PARQUET_DOUBLE = 5,
	PARQUET_BYTE_ARRAY = 6,
	PARQUET_FIXED = 7		/* FIXED_LEN_BYTE_ARRAY */
};

/* FieldRepetitionType. */
enum parquet_meta_rep {
	PARQUET_REQUIRED = 0,
	PARQUET_OPTIONAL = 1,
	PARQUET_REPEATED = 2
};

/* Logical types, from logicalType or the legacy converted_type. */
enum parquet_meta_logical {
	PARQUET_LT_NONE,
	PARQUET_LT_STRING,		/* also UTF8 */
	PARQUET_LT_ENUM,
	PARQUET_LT_JSON,
	PARQUET_LT_BSON,
	PARQUET_LT_UUID,
	PARQUET_LT_DATE,
	PARQUET_LT_TIME,
	PARQUET_LT_TIMESTAMP,
	PARQUET_LT_DECIMAL,
	PARQUET_LT_INT,
	PARQUET_LT_FLOAT16,
	PARQUET_LT_INTERVAL,
	PARQUET_LT_UNKNOWN,		/* always null */
	PARQUET_LT_LIST,
	PARQUET_LT_MAP,
	PARQUET_LT_MAP_KEY_VALUE,
	PARQUET_LT_VARIANT,
	PARQUET_LT_OTHER		/* a logical type we do not know */
};

enum parquet_meta_unit {
	PARQUET_MILLIS,
	PARQUET_MICROS,
	PARQUET_NANOS
};

/* How a node reads (see the top of this file). */
enum parquet_meta_shape {
	PARQUET_SHAPE_LEAF,
	PARQUET_SHAPE_STRUCT,
	PARQUET_SHAPE_LIST,	/* rep: the repeated child; elem below */
	PARQUET_SHAPE_MAP	/* rep: the key-value group; key, value */
};

struct parquet_meta_node {
	const char		*name;
	const char		*path;	/* dotted, from the root: "add.path";
					   "" for the root */
	size_t			 id;	/* index in the schema list */
	struct parquet_meta_node *parent;
	struct parquet_meta_node **kids;
	size_t			 nkids;
	int			 depth;	/* 0 for the root */

	/* Leaves. */
	enum parquet_meta_type	 type;
	int32_t			 type_length;	/* FIXED: bytes */
	size_t			 col;	/* column index (depth-first) */

	enum parquet_meta_rep	 rep;
	int			 converted;	/* converted_type, or -1 */
	bool			 has_field_id;
	int32_t			 field_id;

	/* Logical type and its parameters. */
	enum parquet_meta_logical logical;
	int32_t			 scale, precision;	/* DECIMAL */
	enum parquet_meta_unit	 unit;		/* TIME, TIMESTAMP */
	bool			 utc;		/* isAdjustedToUTC */
	int			 bits;		/* INT: 8, 16, 32, 64 */
	bool			 is_signed;	/* INT */

	/* For record assembly. */
	int			 max_def;	/* levels where this node is */
	int			 max_rep;	/* defined / repeated */
	size_t			 first_col;	/* leaves under it: */
	size_t			 ncols;		/* [first_col, +ncols) */
	enum parquet_meta_shape	 shape;
	const struct parquet_meta_node *rep_node; /* LIST, MAP */
	/*
	 * LIST: the element.  When it is rep_node itself (legacy two-level
	 * lists), each repetition is one element (never null); otherwise
	 * it is rep_node's only child, read as a field (it may be null).
	 */
	const struct parquet_meta_node *elem;
	const struct parquet_meta_node *key;	/* MAP */
	const struct parquet_meta_node *value;	/* MAP; NULL: a set */
};

/* Column statistics (Parquet's Statistics); bytes point into the footer. */
struct parquet_meta_stats {
	bool			 has_null_count, has_distinct_count;
	int64_t			 null_count, distinct_count;
	/* min_value/max_value, else the deprecated min/max fields. */
	const unsigned char	*min, *max;
	size_t			 min_len, max_len;
	bool			 has_min, has_max;
	bool			 legacy;	/* from the deprecated fields */
};

struct parquet_meta_chunk {
	const struct parquet_meta_node *leaf;
	bool			 has_meta;	/* meta_data present */
	bool			 external;	/* file_path set */
	bool			 encrypted;
	enum parquet_meta_type	 type;
	int32_t			 codec;		/* CompressionCodec */
	uint32_t		 encodings;	/* a bit per Encoding < 32 */
	int64_t			 num_values;
	int64_t			 uncompressed_size, compressed_size;
	int64_t			 data_page_offset;
	int64_t			 dictionary_page_offset;	/* -1: none */
	int64_t			 start;		/* first page */
	bool			 has_stats;
	struct parquet_meta_stats stats;
};

struct parquet_meta_row_group {
	struct parquet_meta_chunk *chunks;	/* one per leaf */
	int64_t			 num_rows;
	int64_t			 total_byte_size;
	int64_t			 file_offset;	/* -1: absent */
	int64_t			 total_compressed_size;	/* -1: absent */
};

struct parquet_meta_kv {
	const char		*key;
	const char		*value;		/* NULL: absent */
};

struct parquet_meta {
	int32_t			 version;
	int64_t			 num_rows;
	const char		*created_by;	/* NULL: absent */
	struct parquet_meta_node *root;
	struct parquet_meta_node **nodes;	/* schema list order */
	size_t			 nnodes;
	struct parquet_meta_node **leaves;	/* column order */
	size_t			 nleaves;
	struct parquet_meta_row_group *row_groups;
	size_t			 nrow_groups;
	struct parquet_meta_kv	*kv;
	size_t			 nkv;
};

/* Nesting of a schema never goes deeper than this (levels fit a byte). */
#define PARQUET_META_MAX_DEPTH	100

/* Caps on what a footer may hold. */
struct parquet_meta_limits {
	size_t			 max_nodes;	/* schema elements */
	size_t			 max_chunks;	/* row groups x leaves */
	int			 max_depth;	/* schema nesting, at most
						   PARQUET_META_MAX_DEPTH */
	int32_t			 max_type_length; /* FIXED_LEN_BYTE_ARRAY */
};

/*
 * Decode the FileMetaData in the len bytes at p into m, allocating from
 * a.  p must outlive m.  Returns 0, or -1 with err set.
 */
int	parquet_meta_decode(const void *p, size_t len,
	    const struct parquet_meta_limits *, struct arena *a,
	    struct parquet_meta *m, struct err *err);

/* Encoding values (Parquet's Encoding). */
enum parquet_meta_encoding {
	PARQUET_ENC_PLAIN = 0,
	PARQUET_ENC_PLAIN_DICTIONARY = 2,
	PARQUET_ENC_RLE = 3,
	PARQUET_ENC_BIT_PACKED = 4,
	PARQUET_ENC_DELTA_BINARY_PACKED = 5,
	PARQUET_ENC_DELTA_LENGTH_BYTE_ARRAY = 6,
	PARQUET_ENC_DELTA_BYTE_ARRAY = 7,
	PARQUET_ENC_RLE_DICTIONARY = 8,
	PARQUET_ENC_BYTE_STREAM_SPLIT = 9
};

enum parquet_meta_page_type {
	PARQUET_PAGE_DATA = 0,
	PARQUET_PAGE_INDEX = 1,
	PARQUET_PAGE_DICTIONARY = 2,
	PARQUET_PAGE_DATA_V2 = 3
};

/* A PageHeader, with the fields of its data or dictionary header. */
struct parquet_meta_page {
	int32_t			 type;
	int32_t			 uncompressed_size, compressed_size;
	int32_t			 num_values;
	int32_t			 encoding;
	int32_t			 def_encoding, rep_encoding;	/* v1 */
	int32_t			 num_nulls, num_rows;		/* v2 */
	int32_t			 def_length, rep_length;	/* v2 */
	bool			 is_compressed;			/* v2 */
	size_t			 header_size;	/* bytes of the header */
};

/*
 * Decode the PageHeader at the start of the len bytes at p.  Returns 0,
 * or -1 with err set; *truncated then says whether the bytes ran out
 * (more bytes may make it decode).  Sizes and counts are checked to be
 * non-negative, and v2 level lengths to fit the page.
 */
int	parquet_meta_page_decode(const void *p, size_t len,
	    struct parquet_meta_page *, bool *truncated, struct err *);

/*
 * The node at a dotted path below from ("add.stats_parsed.numRecords"),
 * or NULL.  Names containing dots are found too.
 */
const struct parquet_meta_node *parquet_meta_lookup(
	    const struct parquet_meta_node *from, const char *path);

/* The names of physical types, encodings and logical types, for messages. */
const char	*parquet_meta_type_name(enum parquet_meta_type);
const char	*parquet_meta_encoding_name(int32_t);

#endif
