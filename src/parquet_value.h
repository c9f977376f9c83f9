/*
 * parquet_value.h: values read from a Parquet file, and their JSON forms.
 *
 * The reader (parquet_read.h) hands out each row as a tree of struct
 * parquet_value: scalars hold their physical value, structs their
 * fields in schema order (only the fields of the projection), lists
 * their elements, maps their key/value pairs.  Every value points at its
 * schema node, which says the field name and the logical type (string,
 * date, timestamp unit, decimal scale...), so nothing is converted until
 * asked.  Byte values are not copied: they point into the reader's page
 * buffers and live as long as the row (see parquet_read_next()).
 *
 * The JSON writers render a value in one of three conventions:
 *
 *  PARQUET_VALUE_DELTA	 Delta's JSON forms, for turning a checkpoint row
 *			 back into the JSON of its action, and stats_parsed
 *			 into the text of "stats": null fields of structs
 *			 are left out, integers and floats are numbers (the
 *			 shortest text that reads back the same; NaN and
 *			 infinities as the strings "NaN", "Infinity",
 *			 "-Infinity"), DECIMAL a number with exactly its
 *			 scale ("-5.67800"), DATE "2021-01-01", TIMESTAMP
 *			 (any unit, INT96 too) "2021-01-01T00:00:00.000Z",
 *			 millisecond precision as Delta's statistics have it,
 *			 and without the Z when not adjusted to UTC
 *			 (timestamp_ntz); strings as strings, maps as
 *			 objects, lists as arrays.  Binary values have no
 *			 JSON form in Delta statistics (Delta collects none
 *			 for binary columns): they are left out like nulls.
 *  PARQUET_VALUE_PARTITION  the strings Delta keeps in partitionValues:
 *			 DATE "2021-01-01", TIMESTAMP "2021-01-01 10:00:00"
 *			 or "... 10:00:00.123456" (UTC, Spark's form: the
 *			 fraction only when not zero, trailing zeros
 *			 dropped), timestamp_ntz the same, booleans
 *			 "true"/"false", integers in decimal, floats as Java
 *			 prints them ("1.0", "1.0E-5"), DECIMAL with its
 *			 scale, binary as its bytes read as UTF-8, strings as
 *			 they are; null is JSON null.  A struct (a
 *			 partitionValues_parsed) is an object of those.
 *  PARQUET_VALUE_CANON	 the canonical form of t/helper/parquet-dump.mjs
 *			 (and of src/mktable --types-test), for tests
 *			 against an independent reader: non-integral
 *			 numbers and decimals rounded to 15 significant
 *			 digits, timestamps in their own unit with Z,
 *			 unannotated binary as "0x" and hex.
 *
 * Bytes that are not valid UTF-8 in a string become U+FFFD, so the
 * output is always valid JSON.
 */
#ifndef DS_PARQUET_VALUE_H
#define DS_PARQUET_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;
struct jsonw;
struct parquet_meta_node;

enum parquet_value_kind {
	PARQUET_VALUE_NULL,
	PARQUET_VALUE_BOOL,
	PARQUET_VALUE_INT32,	/* INT32 (DATE, INT(8..32), DECIMAL...) */
	PARQUET_VALUE_INT64,	/* INT64 (TIMESTAMP, DECIMAL...) */
	PARQUET_VALUE_INT96,	/* legacy timestamps: julian day, nanos */
	PARQUET_VALUE_FLOAT,
	PARQUET_VALUE_DOUBLE,
	PARQUET_VALUE_BYTES,	/* BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY */
	PARQUET_VALUE_STRUCT,
	PARQUET_VALUE_LIST,
	PARQUET_VALUE_MAP
};

struct parquet_value {
	enum parquet_value_kind		 kind;
	/*
	 * The schema node: its name is the field name in the parent
	 * struct; for a list element or map key or value it is the node
	 * of the element, key or value.
	 */
	const struct parquet_meta_node	*node;
	union {
		bool			 b;
		int32_t			 i32;
		int64_t			 i64;
		float			 f;
		double			 d;
		struct {
			int64_t		 nanos;		/* of the day */
			int32_t		 julian_day;
		}			 i96;
		struct {
			const unsigned char *p;
			size_t		 len;
		}			 bytes;
		/*
		 * STRUCT: the n fields; LIST: the n elements; MAP: n
		 * pairs, that is 2 * n values, key and value of each
		 * pair in turn (a map without a value column, or whose
		 * value is not projected, has NULL values).
		 */
		struct {
			struct parquet_value *v;
			size_t		 n;
		}			 kids;
	}				 u;
};

/* Style of the JSON writers (see the top of this file). */
enum parquet_value_style {
	PARQUET_VALUE_DELTA,
	PARQUET_VALUE_PARTITION,
	PARQUET_VALUE_CANON
};

/* The field of a struct by name, or NULL (not a struct, no such field). */
const struct parquet_value *parquet_value_get(const struct parquet_value *,
	    const char *name);

/*
 * The value of a map entry whose key is the string key, or NULL (not a
 * map, no such key; with duplicate keys, the last one wins).
 */
const struct parquet_value *parquet_value_map_get(
	    const struct parquet_value *, const char *key);

bool	parquet_value_is_null(const struct parquet_value *);

/*
 * Typed getters: 0 and the value, or -1 when v is NULL, null or of
 * another kind.  parquet_value_int() takes INT32 and INT64 values;
 * parquet_value_bytes() BYTES (the bytes are not NUL-terminated).
 */
int	parquet_value_int(const struct parquet_value *, int64_t *);
int	parquet_value_bool(const struct parquet_value *, bool *);
int	parquet_value_bytes(const struct parquet_value *,
	    const unsigned char **, size_t *);

/* Write v as one JSON value (see the styles above). */
void	parquet_value_json(struct jsonw *, const struct parquet_value *,
	    enum parquet_value_style);

/*
 * Whether a timestamp is rendered as UTC ("...Z", Delta's timestamp) or
 * not (Delta's timestamp_ntz).  By default the Parquet annotation
 * (isAdjustedToUTC; INT96 is UTC) decides, but writers disagree with
 * the table schema: arrow-based writers (delta-rs, kernel-rs) annotate
 * the timestamps of stats_parsed as not adjusted even for Delta
 * timestamp columns.  A caller that knows the table schema passes fn,
 * which is asked for each timestamp value (v->node->path says which
 * column) and answers 1 (UTC), 0 (NTZ) or -1 (go by the annotation).
 */
typedef int (*parquet_value_utc_fn)(void *ctx, const struct parquet_value *v);
void	parquet_value_json_utc(struct jsonw *, const struct parquet_value *,
	    enum parquet_value_style, parquet_value_utc_fn fn, void *ctx);

/*
 * Append the partition-value string of the scalar v to out (without
 * quotes).  Returns 0, or 1 when v is null (nothing appended), or -1
 * when v is a struct, list or map.
 */
int	parquet_value_partition(const struct parquet_value *, struct buf *);

/*
 * Text forms shared with tests: the exact decimal unscaled * 10^-scale
 * of a big-endian two's complement integer of n bytes (at most
 * PARQUET_VALUE_MAX_DECIMAL), e.g. "-5.67800"; a date from days since
 * 1970-01-01 ("2021-01-01"); 0, or -1 if n is too large.
 */
#define PARQUET_VALUE_MAX_DECIMAL	128
int	parquet_value_decimal_text(const unsigned char *, size_t n, int scale,
	    struct buf *);
void	parquet_value_date_text(int64_t days, struct buf *);

#endif
