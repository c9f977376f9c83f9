/*
 * thrift.h: the Thrift compact protocol, as Parquet uses it for page
 * headers and the file footer.
 *
 * This header has two halves.  The type codes below are shared.  The
 * encoder (thrift_enc_*) appends to a struct buf; the caller writes the
 * fields of each struct in increasing field-id order, as the IDL lists
 * them, and the encoder takes care of the field-id deltas, zigzag
 * varints, list headers and stop bytes:
 *
 *	thrift_enc_init(&e, &b);
 *	thrift_enc_struct_begin(&e);		   (the top-level struct)
 *	thrift_enc_field_i32(&e, 1, type);
 *	thrift_enc_field_list(&e, 2, THRIFT_T_STRUCT, n);
 *	for (i = 0; i < n; i++) {
 *		thrift_enc_struct_begin(&e);	   (a list element)
 *		...
 *		thrift_enc_struct_end(&e);
 *	}
 *	thrift_enc_field_struct(&e, 3);		   (a nested struct field)
 *	...
 *	thrift_enc_struct_end(&e);		   (closes field 3)
 *	thrift_enc_struct_end(&e);		   (closes the top level)
 *	if (thrift_enc_finish(&e) == -1) ...	   (the buffer overflowed)
 *
 * A union is a struct with exactly one field set.  The encoder never
 * fails halfway: a write past the buffer's cap sets a sticky flag that
 * thrift_enc_finish() reports.  Nesting deeper than THRIFT_MAX_DEPTH or
 * unbalanced begin/end calls are programming errors (assert).
 *
 * The decoder (thrift_dec_*) is a cursor over a byte range that may be
 * hostile.  The caller walks each struct with a field loop and skips
 * the fields it does not know, so new fields in a footer never break it:
 *
 *	thrift_dec_init(&d, p, len, err);
 *	if (thrift_dec_struct_begin(&d, THRIFT_T_STRUCT) == -1) ...
 *	while ((rc = thrift_dec_field(&d, &id, &t)) == 1) {
 *		switch (id) {
 *		case 1: rc = thrift_dec_i32(&d, t, &v); break;
 *		case 2: rc = thrift_dec_list(&d, t, &et, &n); ...
 *		default: rc = thrift_dec_skip(&d, t); break;
 *		}
 *		if (rc == -1) ...
 *	}
 *	(rc is 0 at the stop byte, which closes the struct, or -1)
 *
 * Every read checks the bytes left first.  Varints are at most 10
 * bytes, and an i32 or i16 must fit its type; binary lengths are checked
 * against the bytes left and the cap; a list or map header may not
 * announce more elements than there are bytes left, so a count of 2^31
 * fails at once instead of making the caller allocate.  Structs, lists
 * and maps nest at most THRIFT_MAX_DEPTH deep.  The typed readers take
 * the type found in the field (or list) header and refuse types that do
 * not fit, so a known field id with a wrong type is an error rather than
 * a misread.  Errors go to the struct err given to thrift_dec_init()
 * (ERR_INTERNAL, "thrift: ..." messages); running out of input also sets
 * the truncated flag, so a caller reading a stream in windows can tell
 * "need more bytes" from "corrupt".
 */
#ifndef DS_THRIFT_H
#define DS_THRIFT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;

/* Compact protocol type codes (field headers and list headers). */
enum thrift_type {
	THRIFT_T_STOP = 0,
	THRIFT_T_TRUE = 1,	/* a bool field holding true; bool in a list */
	THRIFT_T_FALSE = 2,	/* a bool field holding false */
	THRIFT_T_I8 = 3,
	THRIFT_T_I16 = 4,
	THRIFT_T_I32 = 5,
	THRIFT_T_I64 = 6,
	THRIFT_T_DOUBLE = 7,
	THRIFT_T_BINARY = 8,	/* also string */
	THRIFT_T_LIST = 9,
	THRIFT_T_SET = 10,
	THRIFT_T_MAP = 11,
	THRIFT_T_STRUCT = 12
};

#define THRIFT_MAX_DEPTH	32

/* --- encoder ------------------------------------------------------------ */

struct thrift_enc {
	struct buf	*b;
	int		 depth;			/* open structs */
	int16_t		 last[THRIFT_MAX_DEPTH];	/* last id per struct */
	bool		 overflow;
};

void	thrift_enc_init(struct thrift_enc *, struct buf *);

/* 0, or -1 if any write hit the buffer's cap or structs are left open. */
int	thrift_enc_finish(struct thrift_enc *);

/*
 * Open a struct that is not a field: the top level, or an element of a
 * list of structs.  thrift_enc_struct_end() closes either kind of struct
 * (it writes the stop byte).
 */
void	thrift_enc_struct_begin(struct thrift_enc *);
void	thrift_enc_struct_end(struct thrift_enc *);

/* Fields of the open struct; ids must be > 0 and increase. */
void	thrift_enc_field_bool(struct thrift_enc *, int16_t, bool);
void	thrift_enc_field_i8(struct thrift_enc *, int16_t, int8_t);
void	thrift_enc_field_i16(struct thrift_enc *, int16_t, int16_t);
void	thrift_enc_field_i32(struct thrift_enc *, int16_t, int32_t);
void	thrift_enc_field_i64(struct thrift_enc *, int16_t, int64_t);
void	thrift_enc_field_double(struct thrift_enc *, int16_t, double);
void	thrift_enc_field_binary(struct thrift_enc *, int16_t, const void *,
	    size_t);
void	thrift_enc_field_string(struct thrift_enc *, int16_t, const char *);
/* Opens a nested struct; close it with thrift_enc_struct_end(). */
void	thrift_enc_field_struct(struct thrift_enc *, int16_t);
/* A field that is an empty struct (e.g. a StringType union member). */
void	thrift_enc_field_empty(struct thrift_enc *, int16_t);
/*
 * A list header for n elements of the given type; the n elements follow
 * with the element writers below (no end call).
 */
void	thrift_enc_field_list(struct thrift_enc *, int16_t, enum thrift_type,
	    size_t n);

/* List elements (and the raw values the field writers use). */
void	thrift_enc_bool(struct thrift_enc *, bool);
void	thrift_enc_i32(struct thrift_enc *, int32_t);
void	thrift_enc_i64(struct thrift_enc *, int64_t);
void	thrift_enc_binary(struct thrift_enc *, const void *, size_t);
void	thrift_enc_string(struct thrift_enc *, const char *);

/* --- decoder ------------------------------------------------------------ */

struct err;

struct thrift_dec {
	const unsigned char	*p;
	size_t			 len;
	size_t			 pos;
	size_t			 max_binary;	/* 0: only the bytes left */
	int			 depth;		/* open structs */
	int16_t			 last[THRIFT_MAX_DEPTH]; /* their last ids */
	bool			 truncated;	/* an error was running out */
	struct err		*err;
};

/* Decode the len bytes at p (borrowed); errors are recorded in err. */
void	thrift_dec_init(struct thrift_dec *, const void *p, size_t len,
	    struct err *);

/* Bytes consumed so far. */
size_t	thrift_dec_pos(const struct thrift_dec *);

/*
 * Open a struct: the top level (pass THRIFT_T_STRUCT), a struct field
 * or a struct list element (pass the type from its header, which must
 * be THRIFT_T_STRUCT).  0 or -1.
 */
int	thrift_dec_struct_begin(struct thrift_dec *, enum thrift_type);

/*
 * The next field header of the open struct: 1 with its id and type, 0
 * at the stop byte (the struct is then closed), -1 on error.
 */
int	thrift_dec_field(struct thrift_dec *, int16_t *id, enum thrift_type *);

/*
 * Values.  t is the type from the field or list header.  A bool field
 * carries its value in t (THRIFT_T_TRUE or THRIFT_T_FALSE); a bool list
 * element is read with thrift_dec_bool_elem().  thrift_dec_i32() takes
 * I8, I16 and I32 values; thrift_dec_i64() those and I64.  Binary data
 * is not copied: *p points into the input.  0 or -1.
 */
int	thrift_dec_bool(struct thrift_dec *, enum thrift_type, bool *);
int	thrift_dec_bool_elem(struct thrift_dec *, bool *);
int	thrift_dec_i32(struct thrift_dec *, enum thrift_type, int32_t *);
int	thrift_dec_i64(struct thrift_dec *, enum thrift_type, int64_t *);
int	thrift_dec_double(struct thrift_dec *, enum thrift_type, double *);
int	thrift_dec_binary(struct thrift_dec *, enum thrift_type,
	    const unsigned char **p, size_t *len);

/*
 * A list (or set) header: the element type and count.  The n elements
 * follow; read each with the typed readers (structs with
 * thrift_dec_struct_begin()).  There is no end call.  0 or -1.
 */
int	thrift_dec_list(struct thrift_dec *, enum thrift_type,
	    enum thrift_type *elem, size_t *n);

/* Skip a value of type t (a field's value, or a list element). */
int	thrift_dec_skip(struct thrift_dec *, enum thrift_type);
int	thrift_dec_skip_elem(struct thrift_dec *, enum thrift_type);

#endif
