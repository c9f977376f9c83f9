/*
 * parquet_write.h: a Parquet file writer.
 *
 * It writes what Delta tables and checkpoints need: nested schemas
 * (structs, LIST and MAP groups in the standard three-level layout),
 * data pages v1 with PLAIN values (optionally RLE_DICTIONARY for
 * BYTE_ARRAY columns), definition and repetition levels in the RLE/bit-
 * packed hybrid encoding, one or more row groups, column statistics, and
 * the UNCOMPRESSED, SNAPPY, GZIP and ZSTD codecs.  It does not write data
 * page v2, page indexes, bloom filters or encryption.
 *
 * 1. Describe the schema once (it can serve many writers in turn):
 *
 *	s = parquet_write_schema_new();
 *	r = parquet_write_schema_root(s);
 *	id = parquet_write_add_column(r, "id", PQ_REQUIRED, PQ_INT64);
 *	parquet_write_add_string(r, "city", PQ_OPTIONAL);
 *	ts = parquet_write_add_leaf(r, "ts", PQ_OPTIONAL,
 *	    &(struct parquet_write_leaf){ .type = PQ_INT64,
 *	    .logical = PQ_LT_TIMESTAMP, .utc = true });
 *	g = parquet_write_add_group(r, "dv", PQ_OPTIONAL);	(a struct)
 *	    parquet_write_add_string(g, "storageType", PQ_REQUIRED); ...
 *	l = parquet_write_add_list(r, "tags", PQ_OPTIONAL);	(list<string>)
 *	    parquet_write_add_string(l, "element", PQ_OPTIONAL);
 *	m = parquet_write_add_map(r, "pv", PQ_OPTIONAL);	(map<str,str>)
 *	    parquet_write_add_string(m, "key", PQ_REQUIRED);
 *	    parquet_write_add_string(m, "value", PQ_OPTIONAL);
 *
 * parquet_write_add_list() returns the repeated middle group ("list"),
 * to which the caller adds the one element field, named "element" by
 * convention; parquet_write_add_map() returns the repeated "key_value"
 * group, to which the caller adds "key" (REQUIRED) and "value".  Schema
 * mistakes (a logical type on the wrong physical type, a LIST without
 * its element...) are reported when a writer is opened.
 *
 * 2. Open a writer on a file (written as "<path>.tmp", renamed by close)
 * or on a struct buf, and feed rows with the row builder.  A cursor walks
 * the schema in order; each call fills the field under the cursor and
 * moves on.  The writer derives the definition and repetition levels:
 *
 *	parquet_write_row_begin(w);
 *	parquet_write_i64(w, 42);		id
 *	parquet_write_null(w);			city (optional)
 *	parquet_write_i64(w, micros);		ts
 *	parquet_write_group_begin(w);		dv: enter the struct
 *	parquet_write_str(w, "u"); ...		its fields, in order
 *	parquet_write_group_end(w);
 *	parquet_write_list_begin(w);		tags: each call below is
 *	parquet_write_str(w, "a");		one element; no call at all
 *	parquet_write_null(w);			makes an empty list
 *	parquet_write_list_end(w);
 *	parquet_write_list_begin(w);		pv: a map is a list of
 *	parquet_write_str(w, "k");		(key, value) pairs, written
 *	parquet_write_str(w, "v");		key then value
 *	parquet_write_list_end(w);
 *	if (parquet_write_row_end(w, &err) == -1) ...
 *
 * A list element that is itself a struct, list or map is entered with
 * group_begin or list_begin like any other field.  A repeated field that
 * is not under a LIST or MAP group (legacy two-level lists) is entered
 * with list_begin too; each value, or for a repeated group each round
 * of its fields in order, is one element.  parquet_write_null()
 * makes an OPTIONAL field null (a whole struct, list or map included).
 * Fields left out at the end of a struct (group_end, row_end) or skipped
 * with parquet_write_field() are null, or empty if repeated; leaving out
 * a REQUIRED leaf is an error.  The value call must match the leaf's
 * physical type (i32 for INT32, DATE, DECIMAL on INT32...; bytes for
 * BYTE_ARRAY and FIXED_LEN_BYTE_ARRAY, whose length must match).
 *
 * Errors in the row calls (a wrong type, a value where a struct is, too
 * many fields...) are sticky: the call records the first one and the
 * writer ignores everything until parquet_write_row_end() or
 * parquet_write_close() reports it; the writer is then unusable and only
 * parquet_write_free() remains.
 *
 * 3. parquet_write_close() flushes the last row group and writes the
 * footer (created_by "deltashare parquet writer <version>"), then renames
 * the file into place.  parquet_write_free() releases the writer; freeing
 * a writer that was not closed removes its temporary file.
 *
 * Values are buffered per column and encoded per page; a row group is
 * cut after opts.row_group_rows rows, when the buffered pages pass
 * opts.row_group_bytes, or when the caller calls parquet_write_flush().
 * Pages and row groups end on row boundaries.  Statistics (min_value,
 * max_value as PLAIN bytes, null_count) are written for every leaf with
 * a defined sort order (all but BYTE_ARRAY decimals); NaN is left out of
 * float min/max.  A TIMESTAMP gets the legacy converted_type
 * TIMESTAMP_MILLIS/MICROS only when isAdjustedToUTC, as old readers take
 * those as UTC instants.
 */
#ifndef DS_PARQUET_WRITE_H
#define DS_PARQUET_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;
struct err;

/* Physical types; the values are those of the Parquet Type enum. */
enum parquet_write_type {
	PQ_BOOLEAN = 0,
	PQ_INT32 = 1,
	PQ_INT64 = 2,
	PQ_FLOAT = 4,
	PQ_DOUBLE = 5,
	PQ_BYTE_ARRAY = 6,
	PQ_FIXED = 7		/* FIXED_LEN_BYTE_ARRAY */
};

/* Repetition; the values are those of FieldRepetitionType. */
enum parquet_write_rep {
	PQ_REQUIRED = 0,
	PQ_OPTIONAL = 1,
	PQ_REPEATED = 2
};

/* Logical type annotations of leaves (written as logicalType and the
 * matching legacy converted_type). */
enum parquet_write_logical {
	PQ_LT_NONE,
	PQ_LT_STRING,		/* BYTE_ARRAY, UTF-8 */
	PQ_LT_JSON,		/* BYTE_ARRAY */
	PQ_LT_DATE,		/* INT32, days since 1970-01-01 */
	PQ_LT_TIMESTAMP,	/* INT64, micro- or milliseconds since epoch */
	PQ_LT_DECIMAL,		/* INT32, INT64, FIXED or BYTE_ARRAY */
	PQ_LT_INT		/* INT32 (8, 16, 32 bits) or INT64 (64 bits) */
};

/* Codecs; the values are those of CompressionCodec. */
enum parquet_write_codec {
	PQ_UNCOMPRESSED = 0,
	PQ_SNAPPY = 1,
	PQ_GZIP = 2,
	PQ_ZSTD = 6
};

/* A leaf column's type.  Zero fields mean "not applicable". */
struct parquet_write_leaf {
	enum parquet_write_type		 type;
	int32_t				 length;	/* PQ_FIXED: bytes */
	enum parquet_write_logical	 logical;
	bool				 utc;		/* TIMESTAMP */
	bool				 millis;	/* TIMESTAMP (or micros) */
	int32_t				 precision;	/* DECIMAL */
	int32_t				 scale;		/* DECIMAL */
	int32_t				 bits;		/* INT: 8, 16, 32, 64 */
	bool				 is_unsigned;	/* INT */
};

struct parquet_write_schema;
struct parquet_write_node;
struct parquet_write;

/* --- schema -------------------------------------------------------------- */

/*
 * A new, empty schema; free it with parquet_write_schema_free() after
 * the last writer using it is freed.  Nodes belong to the schema.
 */
struct parquet_write_schema *parquet_write_schema_new(void);
void	parquet_write_schema_free(struct parquet_write_schema *);

/* The root group (the message); top-level columns are its children. */
struct parquet_write_node *parquet_write_schema_root(
	    struct parquet_write_schema *);

/*
 * Add a child to the group parent and return it.  Names are copied.
 * parquet_write_add_column() is a leaf with no logical type;
 * parquet_write_add_string() a BYTE_ARRAY STRING leaf.  Children are
 * added to groups only (adding to a leaf is reported when opening).
 */
struct parquet_write_node *parquet_write_add_leaf(struct parquet_write_node *,
	    const char *, enum parquet_write_rep,
	    const struct parquet_write_leaf *);
struct parquet_write_node *parquet_write_add_column(
	    struct parquet_write_node *, const char *, enum parquet_write_rep,
	    enum parquet_write_type);
struct parquet_write_node *parquet_write_add_string(
	    struct parquet_write_node *, const char *, enum parquet_write_rep);
struct parquet_write_node *parquet_write_add_group(
	    struct parquet_write_node *, const char *, enum parquet_write_rep);
/* Returns the repeated group "list"; add the element field to it. */
struct parquet_write_node *parquet_write_add_list(
	    struct parquet_write_node *, const char *, enum parquet_write_rep);
/* Returns the repeated group "key_value"; add "key" and "value" to it. */
struct parquet_write_node *parquet_write_add_map(
	    struct parquet_write_node *, const char *, enum parquet_write_rep);

/* --- writer -------------------------------------------------------------- */

struct parquet_write_opts {
	enum parquet_write_codec codec;
	int		 level;		/* GZIP, ZSTD level; 0: default */
	int64_t		 row_group_rows;	/* 0: 1,048,576 */
	size_t		 row_group_bytes;	/* 0: 128 MiB of pages */
	size_t		 page_bytes;		/* 0: 1 MiB before encoding */
	bool		 dictionary;	/* RLE_DICTIONARY for BYTE_ARRAY */
	/* key_value_metadata: NULL or key, value, ..., NULL */
	const char *const *kv;
};

/*
 * Open a writer.  The schema is borrowed and must outlive the writer;
 * opts may be NULL (all defaults).  Returns NULL and records why in err
 * if the schema is invalid or "<path>.tmp" cannot be created.  With
 * parquet_write_open_buf(), the file is appended to out (which the
 * caller owns; its cap bounds the file size).
 */
struct parquet_write *parquet_write_open(const char *path,
	    const struct parquet_write_schema *,
	    const struct parquet_write_opts *, struct err *);
struct parquet_write *parquet_write_open_buf(struct buf *out,
	    const struct parquet_write_schema *,
	    const struct parquet_write_opts *, struct err *);

/* Row builder (see the top of this file). */
void	parquet_write_row_begin(struct parquet_write *);
int	parquet_write_row_end(struct parquet_write *, struct err *);
void	parquet_write_group_begin(struct parquet_write *);
void	parquet_write_group_end(struct parquet_write *);
void	parquet_write_list_begin(struct parquet_write *);
void	parquet_write_list_end(struct parquet_write *);
/* Move the cursor forward to the named field of the current struct. */
void	parquet_write_field(struct parquet_write *, const char *);
void	parquet_write_null(struct parquet_write *);
void	parquet_write_bool(struct parquet_write *, bool);
void	parquet_write_i32(struct parquet_write *, int32_t);
void	parquet_write_i64(struct parquet_write *, int64_t);
void	parquet_write_float(struct parquet_write *, float);
void	parquet_write_double(struct parquet_write *, double);
void	parquet_write_bytes(struct parquet_write *, const void *, size_t);
void	parquet_write_str(struct parquet_write *, const char *);

/* Cut a row group now (no-op if no rows are pending); 0 or -1. */
int	parquet_write_flush(struct parquet_write *, struct err *);

/*
 * Finish the file: last row group, footer, rename of "<path>.tmp" to
 * path.  Returns 0, or -1 with err set (the temporary file is removed).
 */
int	parquet_write_close(struct parquet_write *, struct err *);

/* Release the writer (NULL is fine); removes the file if not closed. */
void	parquet_write_free(struct parquet_write *);

/* Bytes written so far (after close: the file size), and rows. */
int64_t	parquet_write_size(const struct parquet_write *);
int64_t	parquet_write_rows(const struct parquet_write *);

/*
 * File-wide statistics of a leaf over the row groups written so far (so
 * after parquet_write_close(), over the whole file).  Byte values point
 * into the writer and live until it is freed.  Returns 0, or -1 if node
 * is not a leaf of the writer's schema.
 */
struct parquet_write_stats {
	int64_t		 num_values;	/* leaf entries, nulls included */
	int64_t		 null_count;
	bool		 has_minmax;	/* a non-null, non-NaN value seen */
	union {
		bool	 b;
		int32_t	 i32;
		int64_t	 i64;
		float	 f;
		double	 d;
	}		 min, max;
	const void	*min_bytes, *max_bytes;	/* BYTE_ARRAY, FIXED */
	size_t		 min_len, max_len;
};
int	parquet_write_stats(const struct parquet_write *,
	    const struct parquet_write_node *, struct parquet_write_stats *);

#endif
