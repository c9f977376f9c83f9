/*
 * parquet_write_stat.c: column statistics for the Parquet writer (see
 * parquet_write_stat.h).
 *
 * Numbers are kept as values and only turned into PLAIN bytes for the
 * footer; byte bounds are copies in the min/max bufs.  A chunk's
 * statistics are folded into the file's when the chunk is written.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "bytes.h"
#include "parquet_write.h"
#include "parquet_write_stat.h"
#include "xmalloc.h"


enum parquet_write_stat_cmp
parquet_write_stat_order(const struct parquet_write_leaf *l)
{
	bool	 u = l->logical == PQ_LT_INT && l->is_unsigned;

	switch (l->type) {
	case PQ_BOOLEAN:
		return PW_CMP_BOOL;
	case PQ_INT32:
		return u ? PW_CMP_U32 : PW_CMP_I32;
	case PQ_INT64:
		return u ? PW_CMP_U64 : PW_CMP_I64;
	case PQ_FLOAT:
		return PW_CMP_FLOAT;
	case PQ_DOUBLE:
		return PW_CMP_DOUBLE;
	case PQ_BYTE_ARRAY:
		return l->logical == PQ_LT_DECIMAL ? PW_CMP_NONE : PW_CMP_BYTES;
	case PQ_FIXED:
		return l->logical == PQ_LT_DECIMAL ? PW_CMP_DECIMAL_BYTES :
		    PW_CMP_BYTES;
	}
	return PW_CMP_NONE;
}

bool
parquet_write_stat_legacy(enum parquet_write_stat_cmp cmp)
{
	return cmp != PW_CMP_BYTES && cmp != PW_CMP_DECIMAL_BYTES &&
	    cmp != PW_CMP_U32 && cmp != PW_CMP_U64;
}

void
parquet_write_stat_init(struct parquet_write_stat *s, size_t max)
{
	memset(s, 0, sizeof(*s));
	buf_init(&s->minb, max);
	buf_init(&s->maxb, max);
}

void
parquet_write_stat_release(struct parquet_write_stat *s)
{
	buf_release(&s->minb);
	buf_release(&s->maxb);
}

static int
bytes_cmp(enum parquet_write_stat_cmp cmp, const void *a, size_t alen,
    const void *b, size_t blen)
{
	const unsigned char	*x = a, *y = b;
	size_t			 n = alen < blen ? alen : blen;
	int			 c;

	if (cmp == PW_CMP_DECIMAL_BYTES && n > 0 && (x[0] ^ y[0]) & 0x80)
		return (x[0] & 0x80) ? -1 : 1;
	if (n > 0 && (c = memcmp(x, y, n)) != 0)
		return c;
	return alen < blen ? -1 : alen > blen;
}

static int
num_cmp(enum parquet_write_stat_cmp cmp, const union parquet_write_stat_num *a,
    const union parquet_write_stat_num *b)
{
	switch (cmp) {
	case PW_CMP_BOOL:
		return (int)a->b - (int)b->b;
	case PW_CMP_I32:
		return a->i32 < b->i32 ? -1 : a->i32 > b->i32;
	case PW_CMP_U32:
		return (uint32_t)a->i32 < (uint32_t)b->i32 ? -1 :
		    (uint32_t)a->i32 > (uint32_t)b->i32;
	case PW_CMP_I64:
		return a->i64 < b->i64 ? -1 : a->i64 > b->i64;
	case PW_CMP_U64:
		return (uint64_t)a->i64 < (uint64_t)b->i64 ? -1 :
		    (uint64_t)a->i64 > (uint64_t)b->i64;
	case PW_CMP_FLOAT:
		return a->f < b->f ? -1 : a->f > b->f;
	case PW_CMP_DOUBLE:
		return a->d < b->d ? -1 : a->d > b->d;
	default:
		return 0;
	}
}

void
parquet_write_stat_num(struct parquet_write_stat *s,
    enum parquet_write_stat_cmp cmp, union parquet_write_stat_num v)
{
	if (!s->has) {
		s->min = s->max = v;
		s->has = true;
		return;
	}
	if (num_cmp(cmp, &v, &s->min) < 0)
		s->min = v;
	if (num_cmp(cmp, &v, &s->max) > 0)
		s->max = v;
}

void
parquet_write_stat_bytes(struct parquet_write_stat *s,
    enum parquet_write_stat_cmp cmp, const void *p, size_t n)
{
	bool	 lo, hi;

	lo = !s->has || bytes_cmp(cmp, p, n, s->minb.data, s->minb.len) < 0;
	hi = !s->has || bytes_cmp(cmp, p, n, s->maxb.data, s->maxb.len) > 0;
	if (lo) {
		buf_reset(&s->minb);
		buf_add(&s->minb, p, n);
	}
	if (hi) {
		buf_reset(&s->maxb);
		buf_add(&s->maxb, p, n);
	}
	s->has = true;
}

void
parquet_write_stat_merge(struct parquet_write_stat *f,
    struct parquet_write_stat *k, enum parquet_write_stat_cmp cmp)
{
	f->values += k->values;
	f->nulls += k->nulls;
	if (k->has && (cmp == PW_CMP_BYTES || cmp == PW_CMP_DECIMAL_BYTES)) {
		parquet_write_stat_bytes(f, cmp, k->minb.data, k->minb.len);
		parquet_write_stat_bytes(f, cmp, k->maxb.data, k->maxb.len);
	} else if (k->has) {
		parquet_write_stat_num(f, cmp, k->min);
		parquet_write_stat_num(f, cmp, k->max);
	}
	k->values = k->nulls = 0;
	k->has = false;
}

unsigned char *
parquet_write_stat_plain(const struct parquet_write_stat *s,
    enum parquet_write_stat_cmp cmp, bool max, size_t *len)
{
	unsigned char			*p;
	const struct buf		*b = max ? &s->maxb : &s->minb;
	union parquet_write_stat_num	 v = max ? s->max : s->min;
	uint32_t			 u32;
	uint64_t			 u64;

	switch (cmp) {
	case PW_CMP_BYTES:
	case PW_CMP_DECIMAL_BYTES:
		*len = b->len;
		p = xmalloc(b->len + 1);
		if (b->len > 0)
			memcpy(p, b->data, b->len);
		return p;
	case PW_CMP_BOOL:
		*len = 1;
		p = xmalloc(1);
		p[0] = v.b;
		return p;
	case PW_CMP_FLOAT:
		if (v.f == 0)
			v.f = max ? 0.0f : -0.0f;
		memcpy(&u32, &v.f, 4);
		break;
	case PW_CMP_I32:
	case PW_CMP_U32:
		u32 = (uint32_t)v.i32;
		break;
	case PW_CMP_DOUBLE:
		if (v.d == 0)
			v.d = max ? 0.0 : -0.0;
		memcpy(&u64, &v.d, 8);
		*len = 8;
		p = xmalloc(8);
		bytes_put_le64(p, u64);
		return p;
	default:
		*len = 8;
		p = xmalloc(8);
		bytes_put_le64(p, (uint64_t)v.i64);
		return p;
	}
	*len = 4;
	p = xmalloc(4);
	bytes_put_le32(p, u32);
	return p;
}

