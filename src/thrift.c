/*
 * thrift.c: the Thrift compact protocol (see thrift.h).
 *
 * Encoding rules, from the compact protocol specification:
 *  - integers are zigzag-encoded, then written as ULEB128 varints; i8 is
 *    one raw byte and double is 8 bytes little-endian;
 *  - a field header is one byte (id delta << 4 | type) when the id is
 *    1..15 above the previous field of the same struct, else the type byte
 *    followed by the zigzag varint id;
 *  - a bool field carries its value in the header type (1 true, 2 false);
 *    a bool list element is one byte, 1 or 2;
 *  - a list header is one byte (size << 4 | element type) for fewer than
 *    15 elements, else 0xf0 | type followed by the varint size;
 *  - binary is a varint length and the bytes; a struct ends with a 0 byte.
 *
 * The encoder half below only appends to a struct buf; the first failed
 * append sets e->overflow and later writes are ignored.
 */
#include "config.h"

#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "bytes.h"
#include "thrift.h"

/* --- encoder ------------------------------------------------------------ */

void
thrift_enc_init(struct thrift_enc *e, struct buf *b)
{
	memset(e, 0, sizeof(*e));
	e->b = b;
}

int
thrift_enc_finish(struct thrift_enc *e)
{
	if (e->overflow || e->depth != 0)
		return -1;
	return 0;
}

static void
put(struct thrift_enc *e, const void *p, size_t n)
{
	if (e->overflow)
		return;
	if (buf_add(e->b, p, n) == -1)
		e->overflow = true;
}

static void
put_byte(struct thrift_enc *e, unsigned int v)
{
	unsigned char	 c = (unsigned char)v;

	put(e, &c, 1);
}

static void
put_uvarint(struct thrift_enc *e, uint64_t v)
{
	unsigned char	 tmp[BYTES_ULEB128_MAX];

	put(e, tmp, bytes_put_uleb128(tmp, v));
}

static uint64_t
zigzag64(int64_t v)
{
	return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static void
field_header(struct thrift_enc *e, int16_t id, enum thrift_type t)
{
	int16_t	*last;

	assert(e->depth > 0 && id > 0);
	last = &e->last[e->depth - 1];
	assert(id > *last);
	if (id - *last <= 15)
		put_byte(e, (unsigned int)((id - *last) << 4 | t));
	else {
		put_byte(e, t);
		put_uvarint(e, zigzag64(id));
	}
	*last = id;
}

void
thrift_enc_struct_begin(struct thrift_enc *e)
{
	assert(e->depth < THRIFT_MAX_DEPTH);
	e->last[e->depth++] = 0;
}

void
thrift_enc_struct_end(struct thrift_enc *e)
{
	assert(e->depth > 0);
	put_byte(e, THRIFT_T_STOP);
	e->depth--;
}

void
thrift_enc_bool(struct thrift_enc *e, bool v)
{
	put_byte(e, v ? THRIFT_T_TRUE : THRIFT_T_FALSE);
}

void
thrift_enc_i32(struct thrift_enc *e, int32_t v)
{
	put_uvarint(e, zigzag64(v));
}

void
thrift_enc_i64(struct thrift_enc *e, int64_t v)
{
	put_uvarint(e, zigzag64(v));
}

void
thrift_enc_binary(struct thrift_enc *e, const void *p, size_t n)
{
	put_uvarint(e, n);
	put(e, p, n);
}

void
thrift_enc_string(struct thrift_enc *e, const char *s)
{
	thrift_enc_binary(e, s, strlen(s));
}

void
thrift_enc_field_bool(struct thrift_enc *e, int16_t id, bool v)
{
	field_header(e, id, v ? THRIFT_T_TRUE : THRIFT_T_FALSE);
}

void
thrift_enc_field_i8(struct thrift_enc *e, int16_t id, int8_t v)
{
	field_header(e, id, THRIFT_T_I8);
	put_byte(e, (unsigned int)(uint8_t)v);
}

void
thrift_enc_field_i16(struct thrift_enc *e, int16_t id, int16_t v)
{
	field_header(e, id, THRIFT_T_I16);
	put_uvarint(e, zigzag64(v));
}

void
thrift_enc_field_i32(struct thrift_enc *e, int16_t id, int32_t v)
{
	field_header(e, id, THRIFT_T_I32);
	thrift_enc_i32(e, v);
}

void
thrift_enc_field_i64(struct thrift_enc *e, int16_t id, int64_t v)
{
	field_header(e, id, THRIFT_T_I64);
	thrift_enc_i64(e, v);
}

void
thrift_enc_field_double(struct thrift_enc *e, int16_t id, double v)
{
	unsigned char	 out[8];
	uint64_t	 u;
	int		 i;

	field_header(e, id, THRIFT_T_DOUBLE);
	memcpy(&u, &v, sizeof(u));
	for (i = 0; i < 8; i++)
		out[i] = (unsigned char)(u >> (8 * i));
	put(e, out, sizeof(out));
}

void
thrift_enc_field_binary(struct thrift_enc *e, int16_t id, const void *p,
    size_t n)
{
	field_header(e, id, THRIFT_T_BINARY);
	thrift_enc_binary(e, p, n);
}

void
thrift_enc_field_string(struct thrift_enc *e, int16_t id, const char *s)
{
	thrift_enc_field_binary(e, id, s, strlen(s));
}

void
thrift_enc_field_struct(struct thrift_enc *e, int16_t id)
{
	field_header(e, id, THRIFT_T_STRUCT);
	thrift_enc_struct_begin(e);
}

void
thrift_enc_field_empty(struct thrift_enc *e, int16_t id)
{
	thrift_enc_field_struct(e, id);
	thrift_enc_struct_end(e);
}

void
thrift_enc_field_list(struct thrift_enc *e, int16_t id, enum thrift_type t,
    size_t n)
{
	field_header(e, id, THRIFT_T_LIST);
	if (n < 15)
		put_byte(e, (unsigned int)(n << 4 | t));
	else {
		put_byte(e, 0xf0 | t);
		put_uvarint(e, n);
	}
}
