/*
 * u-parquet-read.c: unit tests for the Parquet reader (src/parquet_*.c):
 * encodings, page kinds and codecs, nested and legacy layouts, the
 * projection API and hostile files.  The renderings of values are
 * tested in u-parquet-value.c.
 *
 * Most files are made here by hand (the tf_* builder below: schema
 * elements, pages with levels and values encoded by small encoders of
 * this file, a footer encoded with thrift_enc), because our writer only
 * makes PLAIN and RLE_DICTIONARY data pages v1.  Expected rows are
 * written out by hand in the canonical JSON form, from the values the
 * cases put in, not from running the reader.  Files from our writer
 * (parquet_write_open_buf) serve the projection and mutation tests.
 *
 *	u-parquet-read [--write DIR]
 *
 * With --write, every hand-made file is also written to DIR as
 * <case>.parquet with its expected rows as <case>.expect, for t3100 to
 * check them with an independent reader.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "bytes.h"
#include "codec.h"
#include "err.h"
#include "jsonw.h"
#include "parquet_meta.h"
#include "parquet_read.h"
#include "parquet_rle.h"
#include "parquet_value.h"
#include "parquet_write.h"
#include "tap.h"
#include "thrift.h"
#include "xmalloc.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define MAXCOLS		8

static const char	*write_dir;

/* --- a hand-made Parquet file ------------------------------------------- */

/* A schema element; type -1 is a group of nkids children. */
struct el {
	const char	*name;
	int		 type;
	int		 rep;		/* -1: none (the root) */
	int		 nkids;
	int		 ct;		/* converted_type, -1: none */
	int		 lt;		/* LogicalType member, 0: none */
	int		 len;		/* FIXED_LEN_BYTE_ARRAY */
	int		 a, b;		/* DECIMAL scale, precision;
					   TIMESTAMP utc, unit member */
};

#define G(n, r, k)	{ n, -1, r, k, -1, 0, 0, 0, 0 }
#define GA(n, r, k, ct)	{ n, -1, r, k, ct, 0, 0, 0, 0 }
#define L(n, t, r)	{ n, t, r, 0, -1, 0, 0, 0, 0 }
#define LS(n, r)	{ n, PARQUET_BYTE_ARRAY, r, 0, 0, 1, 0, 0, 0 }
#define ROOT(k)		{ "schema", -1, -1, k, -1, 0, 0, 0, 0 }

/* A page: type 0 (data v1), 2 (dictionary) or 3 (data v2). */
struct pg {
	int		 type;
	int		 enc;
	int		 n;		/* entries (or dictionary values) */
	const uint8_t	*def, *rep;	/* levels, NULL when max is 0 */
	int		 level_enc;	/* v1: RLE or BIT_PACKED */
	const struct buf *vals;
	bool		 uncompressed;	/* v2: is_compressed = false */
};

struct tcol {
	const char	*path[8];
	int		 depth, type, maxdef, maxrep;
	int64_t		 start, dict, data, nvals, raw, comp;
	bool		 has_dict;
};

struct tf {
	struct buf		 out;
	const struct el		*els;
	size_t			 nels;
	int			 codec;
	int64_t			 rows;
	struct tcol		 col[MAXCOLS];
	size_t			 ncol;
};

/* Walk the elements from *i to find the leaves, their paths and levels. */
static void
tf_leaves(struct tf *f, size_t *i, const char **path, int depth, int def,
    int rep)
{
	const struct el	*e = &f->els[(*i)++];
	struct tcol	*c;
	int		 k;

	if (depth > 0) {
		path[depth - 1] = e->name;
		def += e->rep != PARQUET_REQUIRED;
		rep += e->rep == PARQUET_REPEATED;
	}
	if (e->type >= 0) {
		c = &f->col[f->ncol++];
		memcpy(c->path, path, sizeof(c->path));
		c->depth = depth;
		c->type = e->type;
		c->maxdef = def;
		c->maxrep = rep;
		c->dict = -1;
		return;
	}
	for (k = 0; k < e->nkids; k++)
		tf_leaves(f, i, path, depth + 1, def, rep);
}

static void
tf_init(struct tf *f, const struct el *els, size_t n, int codec,
    int64_t rows)
{
	const char	*path[8];
	size_t		 i = 0;

	memset(f, 0, sizeof(*f));
	buf_init(&f->out, 0);
	f->els = els;
	f->nels = n;
	f->codec = codec;
	f->rows = rows;
	tf_leaves(f, &i, path, 0, 0, 0);
	buf_add(&f->out, "PAR1", 4);
}

/* Levels of a v1 page: RLE with its length, or BIT_PACKED (MSB first). */
static void
levels_v1(struct buf *b, const uint8_t *lv, int n, int max, int enc)
{
	int		 bw = parquet_rle_bit_width((uint32_t)max), i, j;
	unsigned char	*p;
	size_t		 at, nb;

	if (enc == PARQUET_ENC_RLE) {
		parquet_rle_encode_levels(b, lv, (size_t)n, max);
		return;
	}
	nb = ((size_t)n * (size_t)bw + 7) / 8;
	at = b->len;
	for (i = 0; i < (int)nb; i++)
		buf_addc(b, 0);
	p = (unsigned char *)b->data + at;
	for (i = 0; i < n; i++)
		for (j = 0; j < bw; j++)
			if ((lv[i] >> (bw - 1 - j)) & 1)
				p[(i * bw + j) / 8] |= 0x80 >>
				    ((i * bw + j) % 8);
}

static void
page_header(struct buf *b, const struct tf *f, const struct tcol *c,
    const struct pg *p, int32_t raw, int32_t comp, int32_t deflen,
    int32_t replen)
{
	struct thrift_enc	 e;
	int			 i, nulls = 0, rows = 0;

	for (i = 0; i < p->n; i++) {
		nulls += p->def != NULL && p->def[i] < c->maxdef;
		rows += p->rep == NULL || p->rep[i] == 0;
	}
	thrift_enc_init(&e, b);
	thrift_enc_struct_begin(&e);
	thrift_enc_field_i32(&e, 1, p->type);
	thrift_enc_field_i32(&e, 2, raw);
	thrift_enc_field_i32(&e, 3, comp);
	if (p->type == PARQUET_PAGE_DATA) {
		thrift_enc_field_struct(&e, 5);
		thrift_enc_field_i32(&e, 1, p->n);
		thrift_enc_field_i32(&e, 2, p->enc);
		thrift_enc_field_i32(&e, 3, p->level_enc);
		thrift_enc_field_i32(&e, 4, p->level_enc);
	} else if (p->type == PARQUET_PAGE_DICTIONARY) {
		thrift_enc_field_struct(&e, 7);
		thrift_enc_field_i32(&e, 1, p->n);
		thrift_enc_field_i32(&e, 2, p->enc);
	} else {
		thrift_enc_field_struct(&e, 8);
		thrift_enc_field_i32(&e, 1, p->n);
		thrift_enc_field_i32(&e, 2, nulls);
		thrift_enc_field_i32(&e, 3, rows);
		thrift_enc_field_i32(&e, 4, p->enc);
		thrift_enc_field_i32(&e, 5, deflen);
		thrift_enc_field_i32(&e, 6, replen);
		if (p->uncompressed)
			thrift_enc_field_bool(&e, 7, false);
	}
	thrift_enc_struct_end(&e);
	thrift_enc_struct_end(&e);
	(void)f;
}

/* Append a page of column ci (columns in order, pages in order). */
static void
tf_page(struct tf *f, size_t ci, const struct pg *p)
{
	struct tcol	*c = &f->col[ci];
	struct buf	 lv, body, hdr;
	struct err	 err;
	int32_t		 deflen = 0, replen = 0;
	int		 codec = f->codec;

	buf_init(&lv, 0);
	buf_init(&body, 0);
	buf_init(&hdr, 0);
	if (c->start == 0)
		c->start = (int64_t)f->out.len;
	if (p->type == PARQUET_PAGE_DATA_V2) {
		if (p->rep != NULL)
			parquet_rle_encode_u8(&lv, p->rep, (size_t)p->n,
			    parquet_rle_bit_width((uint32_t)c->maxrep));
		replen = (int32_t)lv.len;
		if (p->def != NULL)
			parquet_rle_encode_u8(&lv, p->def, (size_t)p->n,
			    parquet_rle_bit_width((uint32_t)c->maxdef));
		deflen = (int32_t)lv.len - replen;
		if (p->uncompressed)
			codec = CODEC_UNCOMPRESSED;
	} else if (p->type == PARQUET_PAGE_DATA) {
		if (p->rep != NULL)
			levels_v1(&lv, p->rep, p->n, c->maxrep, p->level_enc);
		if (p->def != NULL)
			levels_v1(&lv, p->def, p->n, c->maxdef, p->level_enc);
	}
	if (p->type == PARQUET_PAGE_DATA_V2)
		buf_add(&body, lv.data, lv.len);
	else
		buf_add(&lv, p->vals->data, p->vals->len);
	if (p->type == PARQUET_PAGE_DATA_V2) {
		if (codec_compress((enum codec)codec, 0, p->vals->data,
		    p->vals->len, &body, &err) == -1)
			bail_out("compress: %s", err.msg);
	} else if (codec_compress((enum codec)f->codec, 0, lv.data, lv.len,
	    &body, &err) == -1)
		bail_out("compress: %s", err.msg);
	page_header(&hdr, f, c, p, (int32_t)(lv.len + (p->type ==
	    PARQUET_PAGE_DATA_V2 ? p->vals->len : 0)), (int32_t)body.len,
	    deflen, replen);
	if (p->type == PARQUET_PAGE_DICTIONARY)
		c->dict = (int64_t)f->out.len;
	else {
		if (c->data == 0)
			c->data = (int64_t)f->out.len;
		c->nvals += p->n;
	}
	c->raw += (int64_t)(hdr.len + lv.len);
	c->comp += (int64_t)(hdr.len + body.len);
	buf_add(&f->out, hdr.data, hdr.len);
	buf_add(&f->out, body.data, body.len);
	buf_release(&lv);
	buf_release(&body);
	buf_release(&hdr);
}

static void
enc_element(struct thrift_enc *e, const struct el *el)
{
	thrift_enc_struct_begin(e);
	if (el->type >= 0)
		thrift_enc_field_i32(e, 1, el->type);
	if (el->len > 0)
		thrift_enc_field_i32(e, 2, el->len);
	if (el->rep >= 0)
		thrift_enc_field_i32(e, 3, el->rep);
	thrift_enc_field_string(e, 4, el->name);
	if (el->type < 0)
		thrift_enc_field_i32(e, 5, el->nkids);
	if (el->ct >= 0)
		thrift_enc_field_i32(e, 6, el->ct);
	if (el->lt != 0) {
		thrift_enc_field_struct(e, 10);
		thrift_enc_field_struct(e, (int16_t)el->lt);
		if (el->lt == 5) {
			thrift_enc_field_i32(e, 1, el->a);
			thrift_enc_field_i32(e, 2, el->b);
		} else if (el->lt == 8) {
			thrift_enc_field_bool(e, 1, el->a != 0);
			thrift_enc_field_struct(e, 2);
			thrift_enc_field_empty(e, (int16_t)el->b);
			thrift_enc_struct_end(e);
		}
		thrift_enc_struct_end(e);
		thrift_enc_struct_end(e);
	}
	thrift_enc_struct_end(e);
}

static void
enc_chunk(struct thrift_enc *e, const struct tf *f, const struct tcol *c)
{
	int	 i;

	thrift_enc_struct_begin(e);
	thrift_enc_field_i64(e, 2, c->start);
	thrift_enc_field_struct(e, 3);
	thrift_enc_field_i32(e, 1, c->type);
	thrift_enc_field_list(e, 2, THRIFT_T_I32, 1);
	thrift_enc_i32(e, 0);
	thrift_enc_field_list(e, 3, THRIFT_T_BINARY, (size_t)c->depth);
	for (i = 0; i < c->depth; i++)
		thrift_enc_string(e, c->path[i]);
	thrift_enc_field_i32(e, 4, f->codec);
	thrift_enc_field_i64(e, 5, c->nvals);
	thrift_enc_field_i64(e, 6, c->raw);
	thrift_enc_field_i64(e, 7, c->comp);
	thrift_enc_field_i64(e, 9, c->data != 0 ? c->data : c->start);
	if (c->dict >= 0)
		thrift_enc_field_i64(e, 11, c->dict);
	thrift_enc_struct_end(e);
	thrift_enc_struct_end(e);
}

/* The footer, its length and the magic; the file is then in f->out. */
static void
tf_finish(struct tf *f)
{
	struct thrift_enc	 e;
	struct buf		 b;
	unsigned char		 len[4];
	size_t			 i;

	buf_init(&b, 0);
	thrift_enc_init(&e, &b);
	thrift_enc_struct_begin(&e);
	thrift_enc_field_i32(&e, 1, 1);
	thrift_enc_field_list(&e, 2, THRIFT_T_STRUCT, f->nels);
	for (i = 0; i < f->nels; i++)
		enc_element(&e, &f->els[i]);
	thrift_enc_field_i64(&e, 3, f->rows);
	thrift_enc_field_list(&e, 4, THRIFT_T_STRUCT, 1);
	thrift_enc_struct_begin(&e);
	thrift_enc_field_list(&e, 1, THRIFT_T_STRUCT, f->ncol);
	for (i = 0; i < f->ncol; i++)
		enc_chunk(&e, f, &f->col[i]);
	thrift_enc_field_i64(&e, 2, 0);
	thrift_enc_field_i64(&e, 3, f->rows);
	thrift_enc_struct_end(&e);
	thrift_enc_field_string(&e, 6, "u-parquet-read");
	thrift_enc_struct_end(&e);
	if (thrift_enc_finish(&e) == -1)
		bail_out("footer");
	bytes_put_le32(len, (uint32_t)b.len);
	buf_add(&f->out, b.data, b.len);
	buf_add(&f->out, len, 4);
	buf_add(&f->out, "PAR1", 4);
	buf_release(&b);
}

/* --- value encoders ----------------------------------------------------- */

static void
pl_i32(struct buf *b, int32_t v)
{
	unsigned char	 p[4];

	bytes_put_le32(p, (uint32_t)v);
	buf_add(b, p, 4);
}

static void
pl_str(struct buf *b, const char *s)
{
	pl_i32(b, (int32_t)strlen(s));
	buf_adds(b, s);
}

static void
uleb(struct buf *b, uint64_t v)
{
	unsigned char	 p[BYTES_ULEB128_MAX];

	buf_add(b, p, bytes_put_uleb128(p, v));
}

static uint64_t
zz(int64_t v)
{
	return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static int
width64(uint64_t v)
{
	int	 n = 0;

	while (v != 0) {
		n++;
		v >>= 1;
	}
	return n;
}

/* Set the bw bits of x at bit offset at of p, least significant first. */
static void
pack(unsigned char *p, size_t at, uint64_t x, int bw)
{
	int	 t;

	for (t = 0; t < bw; t++, at++)
		if ((x >> t) & 1)
			p[at / 8] |= (unsigned char)(1 << (at % 8));
}

/* DELTA_BINARY_PACKED of n values in blocks of nmini miniblocks. */
static void
delta_enc(struct buf *b, const int64_t *v, size_t n, size_t block,
    size_t nmini, bool i32)
{
	size_t		 ms = block / nmini, i = 1, m, k, j, at;
	uint64_t	 d[1024], mn, w[64];
	unsigned char	*p;
	int		 bw[64];

	uleb(b, block);
	uleb(b, nmini);
	uleb(b, n);
	uleb(b, zz(n > 0 ? v[0] : 0));
	while (i < n) {
		m = n - i < block ? n - i : block;
		for (k = 0; k < m; k++) {
			d[k] = (uint64_t)v[i + k] - (uint64_t)v[i + k - 1];
			if (i32)
				d[k] = (uint64_t)(int64_t)(int32_t)d[k];
		}
		mn = d[0];
		for (k = 1; k < m; k++)
			if ((int64_t)d[k] < (int64_t)mn)
				mn = d[k];
		uleb(b, zz((int64_t)mn));
		for (j = 0; j < nmini; j++) {
			w[j] = 0;
			for (k = j * ms; k < (j + 1) * ms && k < m; k++)
				if (d[k] - mn > w[j])
					w[j] = d[k] - mn;
			bw[j] = j * ms < m ? width64(w[j]) : 0;
			buf_addc(b, (char)bw[j]);
		}
		for (j = 0; j < nmini && j * ms < m; j++) {
			at = b->len;
			for (k = 0; k < ms * (size_t)bw[j] / 8; k++)
				buf_addc(b, 0);
			p = (unsigned char *)b->data + at;
			for (k = 0; k < ms && j * ms + k < m; k++)
				pack(p, k * (size_t)bw[j], d[j * ms + k] - mn,
				    bw[j]);
		}
		i += m;
	}
}

static void
dlba_enc(struct buf *b, const char *const *s, size_t n)
{
	int64_t	 lens[256];
	size_t	 i;

	for (i = 0; i < n; i++)
		lens[i] = (int64_t)strlen(s[i]);
	delta_enc(b, lens, n, 128, 4, true);
	for (i = 0; i < n; i++)
		buf_adds(b, s[i]);
}

static void
dba_enc(struct buf *b, const char *const *s, size_t n)
{
	int64_t		 pre[256];
	const char	*suf[256];
	size_t		 i, k;

	for (i = 0; i < n; i++) {
		k = 0;
		if (i > 0)
			while (s[i][k] != '\0' && s[i][k] == s[i - 1][k])
				k++;
		pre[i] = (int64_t)k;
		suf[i] = s[i] + k;
	}
	delta_enc(b, pre, n, 128, 4, true);
	dlba_enc(b, suf, n);
}

/* BYTE_STREAM_SPLIT of n values of w bytes (PLAIN bytes in p). */
static void
bss_enc(struct buf *b, const unsigned char *p, size_t n, size_t w)
{
	size_t	 i, k;

	for (k = 0; k < w; k++)
		for (i = 0; i < n; i++)
			buf_addc(b, (char)p[i * w + k]);
}

/* --- running cases ----------------------------------------------------- */

/* All rows of the file at p as canonical JSON lines, or "ERROR: msg". */
static char *
rows_text(const void *p, size_t len, enum parquet_value_style style,
    const char *const *sel, size_t nsel)
{
	const struct parquet_value	*row;
	struct parquet_read		*r;
	struct jsonw			 w;
	struct buf			 b;
	struct err			 e;
	int				 rc;

	buf_init(&b, 0);
	err_clear(&e);
	if ((r = parquet_read_open_mem(p, len, NULL, &e)) == NULL)
		goto fail;
	if (nsel > 0 && parquet_read_select(r, sel, nsel, &e) == -1)
		goto fail;
	while ((rc = parquet_read_next(r, &row, &e)) == 1) {
		jsonw_init(&w, &b);
		parquet_value_json(&w, row, style);
		buf_addc(&b, '\n');
	}
	if (rc == -1)
		goto fail;
	parquet_read_free(r);
	return buf_detach(&b);
fail:
	parquet_read_free(r);
	buf_reset(&b);
	buf_addf(&b, "ERROR: %s", e.msg);
	return buf_detach(&b);
}

static void
save(const char *name, const struct buf *file, const char *want)
{
	char	*path;
	FILE	*fp;

	if (write_dir == NULL)
		return;
	path = xasprintf("%s/%s.parquet", write_dir, name);
	if ((fp = fopen(path, "w")) == NULL ||
	    fwrite(file->data, 1, file->len, fp) != file->len ||
	    fclose(fp) != 0)
		bail_out("cannot write '%s': %s", path, strerror(errno));
	free(path);
	path = xasprintf("%s/%s.expect", write_dir, name);
	if ((fp = fopen(path, "w")) == NULL || fputs(want, fp) == EOF ||
	    fclose(fp) != 0)
		bail_out("cannot write '%s': %s", path, strerror(errno));
	free(path);
}

/* The file's rows must be want; it is saved for t3100 with --write. */
static void
check_rows(const char *name, struct tf *f, const char *want)
{
	char	*got;

	got = rows_text(f->out.data, f->out.len, PARQUET_VALUE_CANON, NULL, 0);
	is_str(got, want, "%s: rows", name);
	save(name, &f->out, want);
	free(got);
	buf_release(&f->out);
}

/* --- encodings ------------------------------------------------------------ */

static void
test_delta_binary_packed(void)
{
	static const struct el	 els[] = { ROOT(1),
	    L("x", PARQUET_INT64, PARQUET_REQUIRED) };
	static const struct el	 els32[] = { ROOT(1),
	    L("x", PARQUET_INT32, PARQUET_REQUIRED) };
	struct tf		 f;
	struct pg		 p = { PARQUET_PAGE_DATA,
				    PARQUET_ENC_DELTA_BINARY_PACKED, 0, NULL,
				    NULL, PARQUET_ENC_RLE, NULL, false };
	struct buf		 v, want;
	int64_t			 x[300];
	size_t			 i;

	/* 300 values: two full blocks of 128 and a partial one. */
	buf_init(&v, 0);
	buf_init(&want, 0);
	for (i = 0; i < NELEM(x); i++) {
		x[i] = (int64_t)(i * i) - 5000 * (int64_t)(i % 3);
		if (i == 7)
			x[i] = INT64_MIN;
		if (i == 8)
			x[i] = INT64_MAX;
		buf_addf(&want, "{\"x\":%" PRId64 "}\n", x[i]);
	}
	delta_enc(&v, x, NELEM(x), 128, 4, false);
	p.n = (int)NELEM(x);
	p.vals = &v;
	tf_init(&f, els, NELEM(els), CODEC_UNCOMPRESSED, p.n);
	tf_page(&f, 0, &p);
	tf_finish(&f);
	check_rows("delta-int64", &f, want.data);

	/* INT32 deltas wrap around in 32 bits; one value; blocks of 256. */
	buf_reset(&v);
	x[0] = INT32_MAX;
	x[1] = INT32_MIN;
	x[2] = 0;
	x[3] = -1;
	x[4] = 7;
	delta_enc(&v, x, 5, 256, 8, true);
	p.n = 5;
	tf_init(&f, els32, NELEM(els32), CODEC_SNAPPY, 5);
	tf_page(&f, 0, &p);
	tf_finish(&f);
	check_rows("delta-int32", &f, "{\"x\":2147483647}\n"
	    "{\"x\":-2147483648}\n{\"x\":0}\n{\"x\":-1}\n{\"x\":7}\n");

	buf_reset(&v);
	delta_enc(&v, x, 1, 128, 4, true);
	p.n = 1;
	tf_init(&f, els32, NELEM(els32), CODEC_UNCOMPRESSED, 1);
	tf_page(&f, 0, &p);
	tf_finish(&f);
	check_rows("delta-one", &f, "{\"x\":2147483647}\n");
	buf_release(&v);
	buf_release(&want);
}

static void
test_byte_arrays(void)
{
	static const struct el	 els[] = { ROOT(1), LS("s", PARQUET_OPTIONAL) };
	static const struct el	 fx[] = { ROOT(1),
	    { "f", PARQUET_FIXED, PARQUET_REQUIRED, 0, -1, 0, 3, 0, 0 } };
	static const char *const s[] = { "", "apple", "applesauce",
	    "application", "banana", "band", "", "z\xc3\xbcrich" };
	static const uint8_t	 def[] = { 1, 1, 0, 1, 1, 1, 1, 1, 1 };
	static const char *const f3[] = { "abc", "abd", "xyz", "xyz" };
	struct tf		 f;
	struct pg		 p = { PARQUET_PAGE_DATA,
				    PARQUET_ENC_DELTA_LENGTH_BYTE_ARRAY, 9,
				    def, NULL, PARQUET_ENC_RLE, NULL, false };
	struct buf		 v;
	const char		*want = "{\"s\":\"\"}\n{\"s\":\"apple\"}\n"
	    "{\"s\":null}\n{\"s\":\"applesauce\"}\n{\"s\":\"application\"}\n"
	    "{\"s\":\"banana\"}\n{\"s\":\"band\"}\n{\"s\":\"\"}\n"
	    "{\"s\":\"z\xc3\xbcrich\"}\n";

	buf_init(&v, 0);
	dlba_enc(&v, s, NELEM(s));
	p.vals = &v;
	tf_init(&f, els, NELEM(els), CODEC_ZSTD, 9);
	tf_page(&f, 0, &p);
	tf_finish(&f);
	check_rows("delta-length-byte-array", &f, want);

	buf_reset(&v);
	dba_enc(&v, s, NELEM(s));
	p.enc = PARQUET_ENC_DELTA_BYTE_ARRAY;
	p.type = PARQUET_PAGE_DATA_V2;
	tf_init(&f, els, NELEM(els), CODEC_GZIP, 9);
	tf_page(&f, 0, &p);
	tf_finish(&f);
	check_rows("delta-byte-array", &f, want);

	buf_reset(&v);
	dba_enc(&v, f3, NELEM(f3));
	p.n = 4;
	p.def = NULL;
	tf_init(&f, fx, NELEM(fx), CODEC_UNCOMPRESSED, 4);
	tf_page(&f, 0, &p);
	tf_finish(&f);
	check_rows("delta-byte-array-fixed", &f, "{\"f\":\"0x616263\"}\n"
	    "{\"f\":\"0x616264\"}\n{\"f\":\"0x78797a\"}\n"
	    "{\"f\":\"0x78797a\"}\n");
	buf_release(&v);
}

static void
test_byte_stream_split(void)
{
	static const struct el	 els[] = { ROOT(5),
	    L("f", PARQUET_FLOAT, PARQUET_REQUIRED),
	    L("d", PARQUET_DOUBLE, PARQUET_REQUIRED),
	    L("i", PARQUET_INT32, PARQUET_REQUIRED),
	    L("l", PARQUET_INT64, PARQUET_REQUIRED),
	    { "x", PARQUET_FIXED, PARQUET_REQUIRED, 0, -1, 0, 2, 0, 0 } };
	static const float	 fv[] = { 1.5f, -0.25f, 1e10f };
	static const double	 dv[] = { 0.125, -1e-7, 123456789.5 };
	static const int32_t	 iv[] = { -1, 256, INT32_MAX };
	static const int64_t	 lv[] = { INT64_MIN, 65536, -2 };
	static const unsigned char xv[] = { 1, 2, 3, 4, 0xfe, 0xff };
	struct pg		 p = { PARQUET_PAGE_DATA_V2,
				    PARQUET_ENC_BYTE_STREAM_SPLIT, 3, NULL,
				    NULL, 0, NULL, false };
	unsigned char		 raw[24];
	struct buf		 v;
	struct tf		 f;
	size_t			 i;

	buf_init(&v, 0);
	tf_init(&f, els, NELEM(els), CODEC_SNAPPY, 3);
	p.vals = &v;
	for (i = 0; i < 3; i++)
		memcpy(raw + 4 * i, &fv[i], 4);
	bss_enc(&v, raw, 3, 4);
	tf_page(&f, 0, &p);
	buf_reset(&v);
	for (i = 0; i < 3; i++)
		memcpy(raw + 8 * i, &dv[i], 8);
	bss_enc(&v, raw, 3, 8);
	tf_page(&f, 1, &p);
	buf_reset(&v);
	for (i = 0; i < 3; i++)
		bytes_put_le32(raw + 4 * i, (uint32_t)iv[i]);
	bss_enc(&v, raw, 3, 4);
	tf_page(&f, 2, &p);
	buf_reset(&v);
	for (i = 0; i < 3; i++)
		bytes_put_le64(raw + 8 * i, (uint64_t)lv[i]);
	bss_enc(&v, raw, 3, 8);
	p.uncompressed = true;
	tf_page(&f, 3, &p);
	buf_reset(&v);
	bss_enc(&v, xv, 3, 2);
	tf_page(&f, 4, &p);
	tf_finish(&f);
	check_rows("byte-stream-split", &f,
	    "{\"f\":1.5,\"d\":0.125,\"i\":-1,\"l\":-9223372036854775808,"
	    "\"x\":\"0x0102\"}\n"
	    "{\"f\":-0.25,\"d\":-1e-7,\"i\":256,\"l\":65536,\"x\":\"0x0304\"}\n"
	    "{\"f\":10000000000,\"d\":123456789.5,\"i\":2147483647,\"l\":-2,"
	    "\"x\":\"0xfeff\"}\n");
	buf_release(&v);
}

static void
test_booleans_int96_dictionary(void)
{
	static const struct el	 els[] = { ROOT(4),
	    L("b", PARQUET_BOOLEAN, PARQUET_OPTIONAL),
	    L("r", PARQUET_BOOLEAN, PARQUET_REQUIRED),
	    L("t", PARQUET_INT96, PARQUET_OPTIONAL),
	    LS("s", PARQUET_OPTIONAL) };
	static const uint8_t	 def[] = { 1, 0, 1, 1, 0 };
	static const uint8_t	 bools[] = { 1, 0, 0, 1, 1 };
	static const uint8_t	 idx[] = { 2, 0, 2 };
	struct pg		 p = { PARQUET_PAGE_DATA, PARQUET_ENC_PLAIN, 5,
				    def, NULL, PARQUET_ENC_RLE, NULL, false };
	struct pg		 d = { PARQUET_PAGE_DICTIONARY,
				    PARQUET_ENC_PLAIN_DICTIONARY, 3, NULL,
				    NULL, 0, NULL, false };
	struct buf		 v, dv;
	struct tf		 f;
	unsigned char		 t[12];

	buf_init(&v, 0);
	buf_init(&dv, 0);
	tf_init(&f, els, NELEM(els), CODEC_SNAPPY, 5);
	/* PLAIN booleans, bit-packed LSB first: true, false, true. */
	buf_addc(&v, 0x05);
	p.vals = &v;
	tf_page(&f, 0, &p);
	/* RLE booleans (a 4-byte length, then the hybrid) in a v2 page. */
	buf_reset(&v);
	buf_add(&v, "\0\0\0\0", 4);
	parquet_rle_encode_u8(&v, bools, 5, 1);
	bytes_put_le32((unsigned char *)v.data, (uint32_t)(v.len - 4));
	p.type = PARQUET_PAGE_DATA_V2;
	p.enc = PARQUET_ENC_RLE;
	p.def = NULL;
	tf_page(&f, 1, &p);
	/* INT96: julian day 2440588 is 1970-01-01; then 1 day + 1.5 s. */
	buf_reset(&v);
	bytes_put_le64(t, 0);
	bytes_put_le32(t + 8, 2440588);
	buf_add(&v, t, 12);
	bytes_put_le64(t, 1500000000);
	bytes_put_le32(t + 8, 2440589);
	buf_add(&v, t, 12);
	buf_add(&v, t, 12);
	p.type = PARQUET_PAGE_DATA;
	p.enc = PARQUET_ENC_PLAIN;
	p.def = def;
	tf_page(&f, 2, &p);
	/* A dictionary page, then PLAIN_DICTIONARY indices. */
	pl_str(&dv, "zero");
	pl_str(&dv, "one");
	pl_str(&dv, "two");
	d.vals = &dv;
	tf_page(&f, 3, &d);
	buf_reset(&v);
	buf_addc(&v, 2);
	parquet_rle_encode_u8(&v, idx, 3, 2);
	p.enc = PARQUET_ENC_PLAIN_DICTIONARY;
	tf_page(&f, 3, &p);
	tf_finish(&f);
	check_rows("booleans-int96-dictionary", &f,
	    "{\"b\":true,\"r\":true,\"t\":\"1970-01-01T00:00:00.000000000Z\","
	    "\"s\":\"two\"}\n"
	    "{\"b\":null,\"r\":false,\"t\":null,\"s\":null}\n"
	    "{\"b\":false,\"r\":false,\"t\":\"1970-01-02T00:00:01.500000000Z\","
	    "\"s\":\"zero\"}\n"
	    "{\"b\":true,\"r\":true,\"t\":\"1970-01-02T00:00:01.500000000Z\","
	    "\"s\":\"two\"}\n"
	    "{\"b\":null,\"r\":true,\"t\":null,\"s\":null}\n");
	buf_release(&v);
	buf_release(&dv);
}

/* The deprecated BIT_PACKED encoding of levels (data pages v1). */
static void
test_bit_packed_levels(void)
{
	static const struct el	 els[] = { ROOT(1),
	    G("g", PARQUET_OPTIONAL, 1),
	    L("x", PARQUET_INT32, PARQUET_REPEATED) };
	/* Rows: [1, 2], null, [], [3], 9 entries of 2 bits, MSB first. */
	static const uint8_t	 def[] = { 2, 2, 0, 1, 2 };
	static const uint8_t	 rep[] = { 0, 1, 0, 0, 0 };
	struct pg		 p = { PARQUET_PAGE_DATA, PARQUET_ENC_PLAIN, 5,
				    def, rep, PARQUET_ENC_BIT_PACKED, NULL,
				    false };
	struct buf		 v;
	struct tf		 f;

	buf_init(&v, 0);
	pl_i32(&v, 1);
	pl_i32(&v, 2);
	pl_i32(&v, 3);
	p.vals = &v;
	tf_init(&f, els, NELEM(els), CODEC_UNCOMPRESSED, 4);
	tf_page(&f, 0, &p);
	tf_finish(&f);
	check_rows("bit-packed-levels", &f, "{\"g\":{\"x\":[1,2]}}\n"
	    "{\"g\":null}\n{\"g\":{\"x\":[]}}\n{\"g\":{\"x\":[3]}}\n");
	buf_release(&v);
}

/* A list whose values run over three pages, rows split across them. */
static void
test_pages(void)
{
	static const struct el	 els[] = { ROOT(1),
	    GA("l", PARQUET_OPTIONAL, 1, 3), G("list", PARQUET_REPEATED, 1),
	    L("element", PARQUET_INT32, PARQUET_OPTIONAL) };
	/* Rows: [1,2,null,3], null, [], [4]. */
	static const uint8_t	 def1[] = { 3, 3 }, rep1[] = { 0, 1 };
	static const uint8_t	 def2[] = { 2, 3, 0 }, rep2[] = { 1, 1, 0 };
	static const uint8_t	 def3[] = { 1, 3 }, rep3[] = { 0, 0 };
	struct pg		 p = { PARQUET_PAGE_DATA, PARQUET_ENC_PLAIN, 2,
				    def1, rep1, PARQUET_ENC_RLE, NULL, false };
	struct buf		 v;
	struct tf		 f;

	buf_init(&v, 0);
	tf_init(&f, els, NELEM(els), CODEC_UNCOMPRESSED, 4);
	p.vals = &v;
	pl_i32(&v, 1);
	pl_i32(&v, 2);
	tf_page(&f, 0, &p);
	buf_reset(&v);
	pl_i32(&v, 3);
	p.n = 3;
	p.def = def2;
	p.rep = rep2;
	tf_page(&f, 0, &p);
	buf_reset(&v);
	pl_i32(&v, 4);
	p.n = 2;
	p.def = def3;
	p.rep = rep3;
	p.type = PARQUET_PAGE_DATA_V2;
	tf_page(&f, 0, &p);
	tf_finish(&f);
	check_rows("list-over-pages", &f, "{\"l\":[1,2,null,3]}\n"
	    "{\"l\":null}\n{\"l\":[]}\n{\"l\":[4]}\n");
	buf_release(&v);
}

/* --- nested layouts, legacy ones included --------------------------------- */

struct nested {
	const char	*name;
	struct el	 els[8];
	size_t		 nels;
	int		 n;		/* entries per leaf, or: */
	int		 cn[3];		/* per leaf, when not 0 */
	uint8_t		 def[3][12], rep[3][12];
	const char	*vals[3][12];	/* per leaf: a value per entry with
					   def == max (ints or strings) */
	int64_t		 rows;
	const char	*want;
};

static void
nested_case(const struct nested *c)
{
	struct pg	 p = { PARQUET_PAGE_DATA, PARQUET_ENC_PLAIN, 0, NULL,
			    NULL, PARQUET_ENC_RLE, NULL, false };
	struct buf	 v;
	struct tf	 f;
	size_t		 k;
	int		 i;

	buf_init(&v, 0);
	tf_init(&f, c->els, c->nels, CODEC_SNAPPY, c->rows);
	for (k = 0; k < f.ncol; k++) {
		buf_reset(&v);
		p.n = c->cn[k] != 0 ? c->cn[k] : c->n;
		p.def = f.col[k].maxdef > 0 ? c->def[k] : NULL;
		p.rep = f.col[k].maxrep > 0 ? c->rep[k] : NULL;
		for (i = 0; i < p.n && c->vals[k][i] != NULL; i++) {
			if (f.col[k].type == PARQUET_INT32)
				pl_i32(&v, (int32_t)strtol(c->vals[k][i], NULL,
				    10));
			else
				pl_str(&v, c->vals[k][i]);
		}
		p.vals = &v;
		tf_page(&f, k, &p);
	}
	tf_finish(&f);
	check_rows(c->name, &f, c->want);
	buf_release(&v);
}

static void
test_nested(void)
{
	static const struct nested cases[] = {
		/* Rule 1: a repeated primitive is the element. */
		{ "list-two-level", { ROOT(1),
		    GA("my_list", PARQUET_OPTIONAL, 1, 3),
		    L("element", PARQUET_INT32, PARQUET_REPEATED) }, 3, 5,
		    { 0 },
		    { { 2, 2, 1, 0, 2 } }, { { 0, 1, 0, 0, 0 } },
		    { { "1", "2", "3" } }, 4,
		    "{\"my_list\":[1,2]}\n{\"my_list\":[]}\n"
		    "{\"my_list\":null}\n{\"my_list\":[3]}\n" },
		/* Rule 4: a one-field group named "array" is the element. */
		{ "list-array", { ROOT(1),
		    GA("my_list", PARQUET_OPTIONAL, 1, 3),
		    G("array", PARQUET_REPEATED, 1),
		    LS("str", PARQUET_REQUIRED) }, 4, 3, { 0 }, { { 2, 2, 1 } },
		    { { 0, 1, 0 } }, { { "a", "b" } }, 2,
		    "{\"my_list\":[{\"str\":\"a\"},{\"str\":\"b\"}]}\n"
		    "{\"my_list\":[]}\n" },
		/* Rule 4: "<list name>_tuple". */
		{ "list-tuple", { ROOT(1),
		    GA("my_list", PARQUET_REQUIRED, 1, 3),
		    G("my_list_tuple", PARQUET_REPEATED, 1),
		    LS("str", PARQUET_REQUIRED) },
		    4, 2, { 0 }, { { 1, 0 } }, { { 0, 0 } }, { { "x" } }, 2,
		    "{\"my_list\":[{\"str\":\"x\"}]}\n{\"my_list\":[]}\n" },
		/* Rule 3: a one-field group whose field is repeated. */
		{ "list-of-lists-legacy", { ROOT(1),
		    GA("my_list", PARQUET_OPTIONAL, 1, 3),
		    GA("array", PARQUET_REPEATED, 1, 3),
		    L("array", PARQUET_INT32, PARQUET_REPEATED) }, 4, 5, { 0 },
		    { { 3, 3, 3, 2, 1 } }, { { 0, 2, 1, 0, 0 } },
		    { { "1", "2", "3" } }, 3,
		    "{\"my_list\":[[1,2],[3]]}\n{\"my_list\":[[]]}\n"
		    "{\"my_list\":[]}\n" },
		/* Hive's bag/array_element: three levels, other names. */
		{ "list-bag", { ROOT(1), GA("l", PARQUET_OPTIONAL, 1, 3),
		    G("bag", PARQUET_REPEATED, 1),
		    L("array_element", PARQUET_INT32, PARQUET_OPTIONAL) }, 4, 3,
		    { 0 },
		    { { 3, 2, 0 } }, { { 0, 1, 0 } }, { { "1" } }, 2,
		    "{\"l\":[1,null]}\n{\"l\":null}\n" },
		/* MAP_KEY_VALUE on the outer group, other names. */
		{ "map-key-value-legacy", { ROOT(1),
		    GA("m", PARQUET_OPTIONAL, 1, 2),
		    G("map", PARQUET_REPEATED, 2), LS("key", PARQUET_REQUIRED),
		    L("value", PARQUET_INT32, PARQUET_OPTIONAL) }, 5, 4, { 0 },
		    { { 2, 2, 1, 0 }, { 3, 2, 1, 0 } },
		    { { 0, 1, 0, 0 }, { 0, 1, 0, 0 } },
		    { { "a", "b" }, { "1" } }, 3,
		    "{\"m\":{\"a\":1,\"b\":null}}\n{\"m\":{}}\n"
		    "{\"m\":null}\n" },
		/* A map without values (a set). */
		{ "map-keys-only", { ROOT(1), GA("s", PARQUET_REQUIRED, 1, 1),
		    G("key_value", PARQUET_REPEATED, 1),
		    LS("key", PARQUET_REQUIRED) }, 4, 3, { 0 }, { { 1, 1, 0 } },
		    { { 0, 1, 0 } }, { { "x", "y" } }, 2,
		    "{\"s\":{\"x\":null,\"y\":null}}\n{\"s\":{}}\n" },
		/* Repeated fields outside LIST and MAP are lists. */
		{ "bare-repeated", { ROOT(2),
		    L("num", PARQUET_INT32, PARQUET_REPEATED),
		    G("pairs", PARQUET_REPEATED, 2),
		    L("a", PARQUET_INT32, PARQUET_REQUIRED),
		    LS("b", PARQUET_OPTIONAL) }, 5, 0, { 3, 2, 2 },
		    { { 1, 1, 0 }, { 1, 0, 0 }, { 2, 0, 0 } },
		    { { 0, 1, 0 }, { 0, 0, 0 }, { 0, 0, 0 } },
		    { { "5", "6" }, { "7" }, { "q" } }, 2,
		    "{\"num\":[5,6],\"pairs\":[{\"a\":7,\"b\":\"q\"}]}\n"
		    "{\"num\":[],\"pairs\":[]}\n" },
	};
	size_t	 i;

	for (i = 0; i < NELEM(cases); i++)
		nested_case(&cases[i]);
}

/* --- files from our writer: projection and hostile mutations -------------- */

/* A checkpoint-like file: add {path, partitionValues, size, dv}, protocol. */
static void
writer_file(struct buf *out, int rows, enum parquet_write_codec codec,
    size_t page_bytes)
{
	struct parquet_write_schema	*s = parquet_write_schema_new();
	struct parquet_write_node	*r = parquet_write_schema_root(s);
	struct parquet_write_node	*g, *m, *d;
	struct parquet_write_opts	 o;
	struct parquet_write		*w;
	struct err			 e;
	char				 path[32];
	int				 i;

	g = parquet_write_add_group(r, "add", PQ_OPTIONAL);
	parquet_write_add_string(g, "path", PQ_OPTIONAL);
	m = parquet_write_add_map(g, "partitionValues", PQ_OPTIONAL);
	parquet_write_add_string(m, "key", PQ_REQUIRED);
	parquet_write_add_string(m, "value", PQ_OPTIONAL);
	parquet_write_add_column(g, "size", PQ_OPTIONAL, PQ_INT64);
	d = parquet_write_add_group(g, "deletionVector", PQ_OPTIONAL);
	parquet_write_add_string(d, "storageType", PQ_OPTIONAL);
	parquet_write_add_column(d, "cardinality", PQ_OPTIONAL, PQ_INT64);
	g = parquet_write_add_group(r, "protocol", PQ_OPTIONAL);
	parquet_write_add_column(g, "minReaderVersion", PQ_OPTIONAL, PQ_INT32);
	memset(&o, 0, sizeof(o));
	o.codec = codec;
	o.page_bytes = page_bytes;
	o.dictionary = true;
	o.row_group_rows = 7;
	if ((w = parquet_write_open_buf(out, s, &o, &e)) == NULL)
		bail_out("writer: %s", e.msg);
	for (i = 0; i < rows; i++) {
		parquet_write_row_begin(w);
		if (i == 0) {
			parquet_write_null(w);
			parquet_write_group_begin(w);
			parquet_write_i32(w, 3);
			parquet_write_group_end(w);
		} else {
			parquet_write_group_begin(w);
			snprintf(path, sizeof(path), "f%d.parquet", i);
			parquet_write_str(w, path);
			parquet_write_list_begin(w);
			parquet_write_str(w, "d");
			i % 3 ? parquet_write_str(w, "x") :
			    parquet_write_null(w);
			parquet_write_list_end(w);
			parquet_write_i64(w, i * 100);
			if (i % 4 == 0) {
				parquet_write_group_begin(w);
				parquet_write_str(w, "u");
				parquet_write_i64(w, i);
				parquet_write_group_end(w);
			} else
				parquet_write_null(w);
			parquet_write_group_end(w);
			parquet_write_null(w);
		}
		if (parquet_write_row_end(w, &e) == -1)
			bail_out("writer: %s", e.msg);
	}
	if (parquet_write_close(w, &e) == -1)
		bail_out("writer: %s", e.msg);
	parquet_write_free(w);
	parquet_write_schema_free(s);
}

static void
test_projection(void)
{
	static const char *const s1[] = { "add.path", "protocol" };
	static const char *const s2[] = { "add", "-add.partitionValues",
	    "-add.deletionVector.storageType", "nothing.here" };
	static const char *const s3[] = {
	    "add.partitionValues.key_value.value" };
	static const char *const s4[] = { "nothing" };
	const struct parquet_value	*row, *add, *pv, *sz;
	const struct parquet_meta_node	*n;
	struct parquet_read		*r;
	struct buf			 f;
	struct err			 e;
	char				*got;
	int64_t				 x;
	int				 rc, rows = 0, seen = 0;

	buf_init(&f, 0);
	writer_file(&f, 10, PQ_SNAPPY, 64);
	got = rows_text(f.data, f.len, PARQUET_VALUE_CANON, NULL, 0);
	save("writer-snappy", &f, got);
	free(got);
	got = rows_text(f.data, f.len, PARQUET_VALUE_CANON, s1, 2);
	is_str(got, "{\"add\":null,\"protocol\":{\"minReaderVersion\":3}}\n"
	    "{\"add\":{\"path\":\"f1.parquet\"},\"protocol\":null}\n"
	    "{\"add\":{\"path\":\"f2.parquet\"},\"protocol\":null}\n"
	    "{\"add\":{\"path\":\"f3.parquet\"},\"protocol\":null}\n"
	    "{\"add\":{\"path\":\"f4.parquet\"},\"protocol\":null}\n"
	    "{\"add\":{\"path\":\"f5.parquet\"},\"protocol\":null}\n"
	    "{\"add\":{\"path\":\"f6.parquet\"},\"protocol\":null}\n"
	    "{\"add\":{\"path\":\"f7.parquet\"},\"protocol\":null}\n"
	    "{\"add\":{\"path\":\"f8.parquet\"},\"protocol\":null}\n"
	    "{\"add\":{\"path\":\"f9.parquet\"},\"protocol\":null}\n",
	    "projection: add.path and protocol, over two row groups");
	free(got);
	got = rows_text(f.data, f.len, PARQUET_VALUE_DELTA, s2, 4);
	is_str(strchr(got, '\n') + 1, "{\"add\":{\"path\":\"f1.parquet\","
	    "\"size\":100}}\n{\"add\":{\"path\":\"f2.parquet\",\"size\":200}}\n"
	    "{\"add\":{\"path\":\"f3.parquet\",\"size\":300}}\n"
	    "{\"add\":{\"path\":\"f4.parquet\",\"size\":400,"
	    "\"deletionVector\":{\"cardinality\":4}}}\n"
	    "{\"add\":{\"path\":\"f5.parquet\",\"size\":500}}\n"
	    "{\"add\":{\"path\":\"f6.parquet\",\"size\":600}}\n"
	    "{\"add\":{\"path\":\"f7.parquet\",\"size\":700}}\n"
	    "{\"add\":{\"path\":\"f8.parquet\",\"size\":800,"
	    "\"deletionVector\":{\"cardinality\":8}}}\n"
	    "{\"add\":{\"path\":\"f9.parquet\",\"size\":900}}\n",
	    "projection: exclusions, unknown paths ignored, delta style");
	free(got);
	got = rows_text(f.data, f.len, PARQUET_VALUE_DELTA, s3, 1);
	is_str(strchr(strchr(got, '\n') + 1, '\n') + 1,
	    "{\"add\":{\"partitionValues\":{\"d\":\"x\"}}}\n"
	    "{\"add\":{\"partitionValues\":{\"d\":null}}}\n"
	    "{\"add\":{\"partitionValues\":{\"d\":\"x\"}}}\n"
	    "{\"add\":{\"partitionValues\":{\"d\":\"x\"}}}\n"
	    "{\"add\":{\"partitionValues\":{\"d\":null}}}\n"
	    "{\"add\":{\"partitionValues\":{\"d\":\"x\"}}}\n"
	    "{\"add\":{\"partitionValues\":{\"d\":\"x\"}}}\n"
	    "{\"add\":{\"partitionValues\":{\"d\":null}}}\n",
	    "projection: a map's values bring its keys");
	free(got);
	got = rows_text(f.data, f.len, PARQUET_VALUE_DELTA, s4, 1);
	is_str(got, "ERROR: parquet: the projection selects no column",
	    "projection: nothing selected");
	free(got);

	/* The accessors, as the log engine uses them. */
	if ((r = parquet_read_open_mem(f.data, f.len, NULL, &e)) == NULL)
		bail_out("%s", e.msg);
	is_int(parquet_read_num_rows(r), 10, "num_rows");
	is_int(parquet_read_num_row_groups(r), 2, "row groups of 7 rows");
	is_int(parquet_read_row_group_rows(r, 1), 3, "second row group");
	is_int(parquet_read_num_columns(r), 7, "leaf columns");
	ok(strncmp(parquet_read_created_by(r), "deltashare", 10) == 0,
	    "created_by");
	n = parquet_read_lookup(r, "add.partitionValues");
	ok(n != NULL && n->shape == PARQUET_SHAPE_MAP && n->max_def == 2,
	    "lookup: a map");
	n = parquet_read_lookup(r, "add.deletionVector.cardinality");
	ok(n != NULL && n->type == PARQUET_INT64 && n->max_def == 3 &&
	    n->max_rep == 0, "lookup: a leaf and its levels");
	ok(parquet_read_lookup(r, "add.nope") == NULL &&
	    parquet_read_lookup(r, "add.") == NULL, "lookup: misses");
	parquet_read_select(r, s2, 2, &e);
	while ((rc = parquet_read_next(r, &row, &e)) == 1) {
		rows++;
		add = parquet_value_get(row, "add");
		if (parquet_value_is_null(add))
			continue;
		pv = parquet_value_get(add, "partitionValues");
		sz = parquet_value_get(add, "size");
		if (sz != NULL && parquet_value_int(sz, &x) == 0 &&
		    x == rows * 100 - 100 && pv == NULL)
			seen++;
	}
	ok(rc == 0 && rows == 10 && seen == 9, "accessors: %d rows, %d adds",
	    rows, seen);
	ok(parquet_read_seek(r, 1, &e) == 0 &&
	    parquet_read_next(r, &row, &e) == 1 &&
	    parquet_value_int(parquet_value_get(parquet_value_get(row, "add"),
	    "size"), &x) == 0 && x == 700, "seek to the second row group");
	parquet_read_free(r);
	buf_release(&f);
}

/* Read every row; 0 or -1, never a crash. */
static int
read_all(const void *p, size_t len, struct err *e)
{
	const struct parquet_value	*row;
	struct parquet_read		*r;
	struct jsonw			 w;
	struct buf			 b;
	int				 rc;

	err_clear(e);
	if ((r = parquet_read_open_mem(p, len, NULL, e)) == NULL)
		return -1;
	buf_init(&b, 0);
	while ((rc = parquet_read_next(r, &row, e)) == 1) {
		buf_reset(&b);
		jsonw_init(&w, &b);
		parquet_value_json(&w, row, PARQUET_VALUE_DELTA);
	}
	buf_release(&b);
	parquet_read_free(r);
	return rc;
}

/*
 * Every byte of small files, changed three ways, and every prefix: the
 * reader must fail with a message or succeed, never crash (valgrind and
 * the fuzz harness see memory errors).
 */
static void
test_mutations(void)
{
	static const unsigned char	 muts[] = { 0x00, 0xff, 0x80 };
	unsigned char			*copy;
	char				*rows;
	struct buf			 f;
	struct err			 e;
	size_t				 i, k, bad = 0, failed = 0, tries = 0;

	buf_init(&f, 0);
	writer_file(&f, 12, PQ_UNCOMPRESSED, 40);
	rows = rows_text(f.data, f.len, PARQUET_VALUE_CANON, NULL, 0);
	save("writer-plain", &f, rows);
	free(rows);
	copy = xmalloc(f.len);
	for (i = 0; i < f.len; i++)
		for (k = 0; k < NELEM(muts); k++) {
			memcpy(copy, f.data, f.len);
			if (copy[i] == muts[k])
				continue;
			copy[i] = k == 2 ? (unsigned char)(copy[i] ^ 0x80) :
			    muts[k];
			tries++;
			if (read_all(copy, f.len, &e) == -1) {
				failed++;
				if (e.msg[0] == '\0')
					bad++;
			}
		}
	ok(bad == 0, "mutations: %zu of %zu reads failed, all with a message",
	    failed, tries);
	bad = 0;
	for (i = 0; i < f.len; i++)
		if (read_all(f.data, i, &e) != -1 || e.msg[0] == '\0')
			bad++;
	ok(bad == 0, "every prefix of a %zu-byte file fails with a message",
	    f.len);
	is_int(read_all(f.data, f.len, &e), 0, "the whole file reads");
	free(copy);
	buf_release(&f);
}

/* Hand-made hostile files: each must fail, with the message given. */
static void
test_hostile(void)
{
	static const struct el	 els[] = { ROOT(1),
	    L("x", PARQUET_INT32, PARQUET_OPTIONAL) };
	static const struct el	 els2[] = { ROOT(1),
	    G("g", PARQUET_OPTIONAL, 1),
	    L("x", PARQUET_INT32, PARQUET_OPTIONAL) };
	static const uint8_t	 def[] = { 1, 1, 1 }, bad_def[] = { 2, 3, 2 };
	static const uint8_t	 rep1[] = { 1, 0 };
	static const struct el	 lst[] = { ROOT(1),
	    L("x", PARQUET_INT32, PARQUET_REPEATED) };
	struct pg		 p = { PARQUET_PAGE_DATA, PARQUET_ENC_PLAIN, 3,
				    def, NULL, PARQUET_ENC_RLE, NULL, false };
	struct buf		 v;
	struct tf		 f;
	struct err		 e;
	char			*got;

	buf_init(&v, 0);
	p.vals = &v;
	pl_i32(&v, 1);
	pl_i32(&v, 2);
	/* Three values announced, two there. */
	tf_init(&f, els, NELEM(els), CODEC_UNCOMPRESSED, 3);
	tf_page(&f, 0, &p);
	tf_finish(&f);
	is_int(read_all(f.out.data, f.out.len, &e), -1, "values missing");
	ok(strstr(e.msg, "plain: values missing") != NULL, "  '%s'", e.msg);
	buf_release(&f.out);
	/* A definition level above the maximum (3, in 2 bits, for 2). */
	pl_i32(&v, 3);
	p.def = bad_def;
	tf_init(&f, els2, NELEM(els2), CODEC_UNCOMPRESSED, 3);
	tf_page(&f, 0, &p);
	tf_finish(&f);
	is_int(read_all(f.out.data, f.out.len, &e), -1, "level too high");
	ok(strstr(e.msg, "level") != NULL, "  '%s'", e.msg);
	buf_release(&f.out);
	/* The footer says 4 rows, the column has 3. */
	p.def = def;
	tf_init(&f, els, NELEM(els), CODEC_UNCOMPRESSED, 4);
	tf_page(&f, 0, &p);
	tf_finish(&f);
	is_int(read_all(f.out.data, f.out.len, &e), -1, "rows missing");
	ok(strstr(e.msg, "fewer values than rows") != NULL, "  '%s'", e.msg);
	buf_release(&f.out);
	/* ... and 2 rows for 3 values. */
	tf_init(&f, els, NELEM(els), CODEC_UNCOMPRESSED, 2);
	tf_page(&f, 0, &p);
	tf_finish(&f);
	is_int(read_all(f.out.data, f.out.len, &e), -1, "values left over");
	ok(strstr(e.msg, "more values than") != NULL, "  '%s'", e.msg);
	buf_release(&f.out);
	/* A row starting at repetition level 1. */
	p.n = 2;
	p.def = def;
	p.rep = rep1;
	tf_init(&f, lst, NELEM(lst), CODEC_UNCOMPRESSED, 2);
	tf_page(&f, 0, &p);
	tf_finish(&f);
	is_int(read_all(f.out.data, f.out.len, &e), -1, "row at rep 1");
	ok(strstr(e.msg, "repetition level 1") != NULL, "  '%s'", e.msg);
	buf_release(&f.out);
	/* A dictionary index past the dictionary (no dictionary at all). */
	buf_reset(&v);
	buf_addc(&v, 1);
	buf_add(&v, "\x06\x01", 2);
	p.rep = NULL;
	p.n = 3;
	p.enc = PARQUET_ENC_RLE_DICTIONARY;
	tf_init(&f, els, NELEM(els), CODEC_UNCOMPRESSED, 3);
	tf_page(&f, 0, &p);
	tf_finish(&f);
	is_int(read_all(f.out.data, f.out.len, &e), -1, "no dictionary");
	ok(strstr(e.msg, "without a dictionary page") != NULL, "  '%s'",
	    e.msg);
	buf_release(&f.out);
	/* An encoding that does not fit the type. */
	p.enc = PARQUET_ENC_DELTA_LENGTH_BYTE_ARRAY;
	tf_init(&f, els, NELEM(els), CODEC_UNCOMPRESSED, 3);
	tf_page(&f, 0, &p);
	tf_finish(&f);
	is_int(read_all(f.out.data, f.out.len, &e), -1, "encoding for type");
	ok(e.kind == ERR_UNSUPPORTED && strstr(e.msg,
	    "DELTA_LENGTH_BYTE_ARRAY (6) for INT32") != NULL, "  '%s'", e.msg);
	buf_release(&f.out);
	/* Delta blocks of 100 values (not a multiple of 128). */
	buf_reset(&v);
	buf_add(&v, "\x64\x04\x03\x02", 4);
	p.enc = PARQUET_ENC_DELTA_BINARY_PACKED;
	tf_init(&f, els, NELEM(els), CODEC_UNCOMPRESSED, 3);
	tf_page(&f, 0, &p);
	tf_finish(&f);
	is_int(read_all(f.out.data, f.out.len, &e), -1, "bad delta block");
	ok(strstr(e.msg, "delta: blocks of 100") != NULL, "  '%s'", e.msg);
	buf_release(&f.out);
	buf_release(&v);

	/* Bytes that are not Parquet at all. */
	got = rows_text("PAR1\x10\x00\x00\x00PAR1", 12, PARQUET_VALUE_CANON,
	    NULL, 0);
	ok(strstr(got, "footer of 16 bytes in a file of 12") != NULL,
	    "footer longer than the file: %s", got);
	free(got);
	got = rows_text("PAR1\x00\x00\x00\x00PARE", 12, PARQUET_VALUE_CANON,
	    NULL, 0);
	ok(strstr(got, "encrypted") != NULL, "encrypted footer: %s", got);
	free(got);
	got = rows_text("PAR1", 4, PARQUET_VALUE_CANON, NULL, 0);
	ok(strstr(got, "too small") != NULL, "4 bytes: %s", got);
	free(got);
	/* A footer whose schema list claims 2^31 elements. */
	got = rows_text("PAR1\x29\xfc\x80\x80\x80\x80\x08\x00\x08\x00\x00\x00"
	    "PAR1", 20, PARQUET_VALUE_CANON, NULL, 0);
	ok(strstr(got, "truncated list") != NULL, "2^31 elements: %s", got);
	free(got);
}

/* Lookups by path find names with dots, and empty names. */
static void
test_lookup_names(void)
{
	static const struct el	 els[] = { ROOT(3),
	    G("a", PARQUET_REQUIRED, 1),
	    L("b", PARQUET_INT32, PARQUET_REQUIRED),
	    G("a.b", PARQUET_REQUIRED, 1),
	    L("c", PARQUET_INT32, PARQUET_REQUIRED),
	    G("e", PARQUET_REQUIRED, 1),
	    L("", PARQUET_INT32, PARQUET_REQUIRED) };
	const struct parquet_meta_node	*n;
	struct parquet_read		*r;
	struct tf			 f;
	struct err			 e;
	size_t				 i;

	tf_init(&f, els, NELEM(els), CODEC_UNCOMPRESSED, 0);
	tf_finish(&f);
	if ((r = parquet_read_open_mem(f.out.data, f.out.len, NULL, &e)) ==
	    NULL)
		bail_out("lookup file: %s", e.msg);
	n = parquet_read_lookup(r, "a.b.c");
	ok(n != NULL && strcmp(n->name, "c") == 0, "lookup: a.b.c");
	n = parquet_read_lookup(r, "a.b");
	ok(n != NULL && strcmp(n->name, "b") == 0, "lookup: a.b is a's b");
	n = parquet_read_lookup(r, "e.");
	ok(n != NULL && n->name[0] == '\0', "lookup: an empty name");
	for (i = 1; i < parquet_read_meta(r)->nnodes; i++)
		if (parquet_read_lookup(r, parquet_read_meta(r)->nodes[i]->path)
		    == NULL)
			break;
	is_int(i, 7, "lookup: every node by its path");
	parquet_read_free(r);
	buf_release(&f.out);
}

/* Schemas that do not hold together. */
static void
test_bad_schemas(void)
{
	static const struct {
		const char	*name;
		struct el	 els[4];
		size_t		 n;
		const char	*msg;
	} cases[] = {
		{ "too many children", { ROOT(3),
		    L("x", PARQUET_INT32, PARQUET_REQUIRED) }, 2,
		    "group 'schema' has 3 fields, 1 schema elements left" },
		{ "children past the end", { ROOT(2),
		    G("g", PARQUET_REQUIRED, 2),
		    L("x", PARQUET_INT32, PARQUET_REQUIRED) }, 3,
		    "group 'g' has 2 fields, 1 schema elements left" },
		{ "a sibling past the end", { ROOT(2),
		    G("g", PARQUET_REQUIRED, 1),
		    L("x", PARQUET_INT32, PARQUET_REQUIRED) }, 3,
		    "group 'schema' has 2 fields, the schema ends after 1" },
		{ "elements outside the tree", { ROOT(1),
		    L("x", PARQUET_INT32, PARQUET_REQUIRED),
		    L("y", PARQUET_INT32, PARQUET_REQUIRED) }, 3,
		    "1 schema elements outside the tree" },
		{ "bad repetition", { ROOT(1), L("x", PARQUET_INT32, 5) }, 2,
		    "field 'x': bad repetition 5" },
		{ "bad type", { ROOT(1), L("x", 9, PARQUET_REQUIRED) }, 2,
		    "column 'x': bad or missing physical type" },
		{ "fixed without length", { ROOT(1),
		    L("x", PARQUET_FIXED, PARQUET_REQUIRED) }, 2,
		    "column 'x': bad fixed length 0" },
	};
	struct buf	 v;
	struct tf	 f;
	char		*got;
	size_t		 i;

	buf_init(&v, 0);
	for (i = 0; i < NELEM(cases); i++) {
		tf_init(&f, cases[i].els, cases[i].n, CODEC_UNCOMPRESSED, 0);
		f.ncol = 0;
		tf_finish(&f);
		got = rows_text(f.out.data, f.out.len, PARQUET_VALUE_CANON,
		    NULL, 0);
		ok(strstr(got, cases[i].msg) != NULL, "schema: %s: %s",
		    cases[i].name, got);
		free(got);
		buf_release(&f.out);
	}
	buf_release(&v);
}

int
main(int argc, char *argv[])
{
	if (argc == 3 && strcmp(argv[1], "--write") == 0)
		write_dir = argv[2];
	else if (argc != 1) {
		fprintf(stderr, "usage: u-parquet-read [--write DIR]\n");
		return 2;
	}
	test_delta_binary_packed();
	test_byte_arrays();
	test_byte_stream_split();
	test_booleans_int96_dictionary();
	test_bit_packed_levels();
	test_pages();
	test_nested();
	test_projection();
	test_mutations();
	test_hostile();
	test_lookup_names();
	test_bad_schemas();
	return done_testing();
}
