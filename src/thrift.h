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

#endif
