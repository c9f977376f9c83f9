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
 *
 * The decoder half reads a bounded range: every read first checks the
 * bytes left (need()), element counts are checked against them before
 * anyone can allocate for them, and skipping recurses at most
 * THRIFT_MAX_DEPTH levels, so hostile input costs at most time linear
 * in its size.
 */
#include "config.h"

#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "bytes.h"
#include "err.h"
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

/* --- decoder ------------------------------------------------------------ */

void
thrift_dec_init(struct thrift_dec *d, const void *p, size_t len,
    struct err *err)
{
	memset(d, 0, sizeof(*d));
	d->p = p;
	d->len = len;
	d->err = err;
}

size_t
thrift_dec_pos(const struct thrift_dec *d)
{
	return d->pos;
}

/* Are n more bytes there?  If not, record that the input ran out. */
static int
need(struct thrift_dec *d, size_t n, const char *what)
{
	if (d->len - d->pos >= n)
		return 0;
	d->truncated = true;
	return err_set(d->err, ERR_INTERNAL, "thrift: truncated %s at byte %zu",
	    what, d->pos);
}

static int
get_byte(struct thrift_dec *d, unsigned char *c, const char *what)
{
	if (need(d, 1, what) == -1)
		return -1;
	*c = d->p[d->pos++];
	return 0;
}

/* An unsigned LEB128 varint of at most 10 bytes and 64 bits. */
static int
get_uvarint(struct thrift_dec *d, uint64_t *v, const char *what)
{
	uint64_t	 x = 0;
	unsigned char	 c;
	int		 shift;

	for (shift = 0; shift < 70; shift += 7) {
		if (get_byte(d, &c, what) == -1)
			return -1;
		if (shift == 63 && c > 1)
			break;
		x |= (uint64_t)(c & 0x7f) << shift;
		if ((c & 0x80) == 0) {
			*v = x;
			return 0;
		}
	}
	return err_set(d->err, ERR_INTERNAL, "thrift: varint too long in %s "
	    "at byte %zu", what, d->pos);
}

static int64_t
unzigzag(uint64_t v)
{
	return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

static int
get_varint(struct thrift_dec *d, int64_t *v, const char *what)
{
	uint64_t	 u;

	if (get_uvarint(d, &u, what) == -1)
		return -1;
	*v = unzigzag(u);
	return 0;
}

static int
bad_type(struct thrift_dec *d, enum thrift_type t, const char *want)
{
	return err_set(d->err, ERR_INTERNAL, "thrift: %s expected, type %d "
	    "found at byte %zu", want, (int)t, d->pos);
}

int
thrift_dec_struct_begin(struct thrift_dec *d, enum thrift_type t)
{
	if (t != THRIFT_T_STRUCT)
		return bad_type(d, t, "struct");
	if (d->depth >= THRIFT_MAX_DEPTH)
		return err_set(d->err, ERR_INTERNAL, "thrift: structs nested "
		    "deeper than %d at byte %zu", THRIFT_MAX_DEPTH, d->pos);
	d->last[d->depth++] = 0;
	return 0;
}

int
thrift_dec_field(struct thrift_dec *d, int16_t *id, enum thrift_type *t)
{
	unsigned char	 c;
	int64_t		 v;
	int		 delta;

	if (d->depth == 0)
		return err_set(d->err, ERR_INTERNAL,
		    "thrift: field read outside a struct");
	if (get_byte(d, &c, "field header") == -1)
		return -1;
	if (c == THRIFT_T_STOP) {
		d->depth--;
		return 0;
	}
	*t = (enum thrift_type)(c & 0x0f);
	if (*t == THRIFT_T_STOP || *t > THRIFT_T_STRUCT)
		return err_set(d->err, ERR_INTERNAL, "thrift: bad field type "
		    "%d at byte %zu", (int)*t, d->pos - 1);
	delta = c >> 4;
	if (delta != 0)
		v = d->last[d->depth - 1] + delta;
	else if (get_varint(d, &v, "field id") == -1)
		return -1;
	if (v < INT16_MIN || v > INT16_MAX)
		return err_set(d->err, ERR_INTERNAL, "thrift: field id %jd out "
		    "of range at byte %zu", (intmax_t)v, d->pos);
	*id = (int16_t)v;
	d->last[d->depth - 1] = *id;
	return 1;
}

int
thrift_dec_bool(struct thrift_dec *d, enum thrift_type t, bool *v)
{
	if (t != THRIFT_T_TRUE && t != THRIFT_T_FALSE)
		return bad_type(d, t, "bool");
	*v = t == THRIFT_T_TRUE;
	return 0;
}

int
thrift_dec_bool_elem(struct thrift_dec *d, bool *v)
{
	unsigned char	 c;

	if (get_byte(d, &c, "bool") == -1)
		return -1;
	if (c > 2)
		return err_set(d->err, ERR_INTERNAL, "thrift: bad bool %u at "
		    "byte %zu", c, d->pos - 1);
	*v = c == 1;
	return 0;
}

/* An integer of type I8 to I64 (as allowed by max), as an int64_t. */
static int
get_int(struct thrift_dec *d, enum thrift_type t, enum thrift_type max,
    int64_t *v)
{
	unsigned char	 c;

	if (t < THRIFT_T_I8 || t > max)
		return bad_type(d, t, "integer");
	if (t == THRIFT_T_I8) {
		if (get_byte(d, &c, "i8") == -1)
			return -1;
		*v = (int8_t)c;
		return 0;
	}
	if (get_varint(d, v, "integer") == -1)
		return -1;
	if ((t == THRIFT_T_I16 && (*v < INT16_MIN || *v > INT16_MAX)) ||
	    (t == THRIFT_T_I32 && (*v < INT32_MIN || *v > INT32_MAX)))
		return err_set(d->err, ERR_INTERNAL, "thrift: integer %jd out "
		    "of range at byte %zu", (intmax_t)*v, d->pos);
	return 0;
}

int
thrift_dec_i32(struct thrift_dec *d, enum thrift_type t, int32_t *v)
{
	int64_t	 x;

	if (get_int(d, t, THRIFT_T_I32, &x) == -1)
		return -1;
	*v = (int32_t)x;
	return 0;
}

int
thrift_dec_i64(struct thrift_dec *d, enum thrift_type t, int64_t *v)
{
	return get_int(d, t, THRIFT_T_I64, v);
}

int
thrift_dec_double(struct thrift_dec *d, enum thrift_type t, double *v)
{
	uint64_t	 u;

	if (t != THRIFT_T_DOUBLE)
		return bad_type(d, t, "double");
	if (need(d, 8, "double") == -1)
		return -1;
	u = bytes_get_le64(d->p + d->pos);
	d->pos += 8;
	memcpy(v, &u, sizeof(*v));
	return 0;
}

int
thrift_dec_binary(struct thrift_dec *d, enum thrift_type t,
    const unsigned char **p, size_t *len)
{
	uint64_t	 n;

	if (t != THRIFT_T_BINARY)
		return bad_type(d, t, "binary");
	if (get_uvarint(d, &n, "binary length") == -1)
		return -1;
	if (d->max_binary != 0 && n > d->max_binary)
		return err_set(d->err, ERR_INTERNAL, "thrift: binary of %ju "
		    "bytes over the cap of %zu at byte %zu", (uintmax_t)n,
		    d->max_binary, d->pos);
	if (n > d->len - d->pos)
		return need(d, d->len - d->pos + 1, "binary");
	*p = d->p + d->pos;
	*len = (size_t)n;
	d->pos += (size_t)n;
	return 0;
}

/* An element type of a list or map header. */
static int
elem_type(struct thrift_dec *d, unsigned int c, enum thrift_type *t)
{
	if (c == THRIFT_T_STOP || c > THRIFT_T_STRUCT)
		return err_set(d->err, ERR_INTERNAL, "thrift: bad element type "
		    "%u at byte %zu", c, d->pos);
	*t = (enum thrift_type)c;
	return 0;
}

int
thrift_dec_list(struct thrift_dec *d, enum thrift_type t,
    enum thrift_type *elem, size_t *n)
{
	unsigned char	 c;
	uint64_t	 size;

	if (t != THRIFT_T_LIST && t != THRIFT_T_SET)
		return bad_type(d, t, "list");
	if (get_byte(d, &c, "list header") == -1 ||
	    elem_type(d, c & 0x0f, elem) == -1)
		return -1;
	size = c >> 4;
	if (size == 15 && get_uvarint(d, &size, "list size") == -1)
		return -1;
	/* Every element takes at least one byte. */
	if (size > d->len - d->pos)
		return need(d, d->len - d->pos + 1, "list");
	*n = (size_t)size;
	return 0;
}

static int	skip(struct thrift_dec *, enum thrift_type, bool, int);

static int
skip_struct(struct thrift_dec *d, int level)
{
	enum thrift_type	 t;
	int16_t			 id;
	int			 rc;

	if (thrift_dec_struct_begin(d, THRIFT_T_STRUCT) == -1)
		return -1;
	while ((rc = thrift_dec_field(d, &id, &t)) == 1)
		if (skip(d, t, false, level + 1) == -1)
			return -1;
	return rc;
}

static int
skip_map(struct thrift_dec *d, int level)
{
	enum thrift_type	 kt = THRIFT_T_STOP, vt = THRIFT_T_STOP;
	unsigned char		 c;
	uint64_t		 n, i;

	if (get_uvarint(d, &n, "map size") == -1)
		return -1;
	if (n == 0)
		return 0;
	if (get_byte(d, &c, "map types") == -1 ||
	    elem_type(d, c >> 4, &kt) == -1 ||
	    elem_type(d, c & 0x0f, &vt) == -1)
		return -1;
	/* A key and a value take at least a byte each. */
	if (n > (d->len - d->pos) / 2)
		return need(d, d->len - d->pos + 1, "map");
	for (i = 0; i < n; i++)
		if (skip(d, kt, true, level + 1) == -1 ||
		    skip(d, vt, true, level + 1) == -1)
			return -1;
	return 0;
}

/* Skip a value of type t; elem: a list or map element (bools: a byte). */
static int
skip(struct thrift_dec *d, enum thrift_type t, bool elem, int level)
{
	enum thrift_type	 et;
	const unsigned char	*p;
	int64_t			 v;
	size_t			 n, i;
	bool			 b;

	if (level >= THRIFT_MAX_DEPTH)
		return err_set(d->err, ERR_INTERNAL, "thrift: values nested "
		    "deeper than %d at byte %zu", THRIFT_MAX_DEPTH, d->pos);
	switch (t) {
	case THRIFT_T_TRUE:
	case THRIFT_T_FALSE:
		return elem ? thrift_dec_bool_elem(d, &b) : 0;
	case THRIFT_T_I8:
	case THRIFT_T_I16:
	case THRIFT_T_I32:
	case THRIFT_T_I64:
		return get_int(d, t, THRIFT_T_I64, &v);
	case THRIFT_T_DOUBLE:
		return need(d, 8, "double") == -1 ? -1 : (d->pos += 8, 0);
	case THRIFT_T_BINARY:
		return thrift_dec_binary(d, t, &p, &n);
	case THRIFT_T_LIST:
	case THRIFT_T_SET:
		if (thrift_dec_list(d, t, &et, &n) == -1)
			return -1;
		for (i = 0; i < n; i++)
			if (skip(d, et, true, level + 1) == -1)
				return -1;
		return 0;
	case THRIFT_T_MAP:
		return skip_map(d, level);
	case THRIFT_T_STRUCT:
		return skip_struct(d, level);
	default:
		return bad_type(d, t, "value");
	}
}

int
thrift_dec_skip(struct thrift_dec *d, enum thrift_type t)
{
	return skip(d, t, false, 0);
}

int
thrift_dec_skip_elem(struct thrift_dec *d, enum thrift_type t)
{
	return skip(d, t, true, 0);
}
