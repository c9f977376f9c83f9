/*
 * parquet_page.c: one column chunk as a stream of entries (see
 * parquet_page.h).
 *
 * The chunk's bytes are fetched into a window; a page header is decoded
 * from the window, growing it while the header is cut short (up to the
 * header limit), then the page body is made to lie in the window, and
 * decompressed (or copied) into a buffer of its own, which the values
 * point into.  Levels are decoded entry by entry as the caller peeks.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "bytes.h"
#include "codec.h"
#include "err.h"
#include "parquet_decode.h"
#include "parquet_meta.h"
#include "parquet_page.h"
#include "parquet_rle.h"
#include "parquet_value.h"
#include "xmalloc.h"

#define HEADER_TRY	1024	/* bytes first tried for a page header */

/* The buffers of one page. */
struct parquet_page_mem {
	struct parquet_page_mem	*next;
	char			*data;
	size_t			 len;
	struct arena		*mat;		/* rebuilt values, or NULL */
};

static void
mem_free(struct parquet_page_mem *m)
{
	if (m == NULL)
		return;
	free(m->data);
	arena_free(m->mat);
	free(m);
}

/* Prefix err's message with the column and the page offset. */
static int
fail(struct parquet_page *pg, int64_t at, struct err *err)
{
	char	 tmp[sizeof(err->msg)];

	snprintf(tmp, sizeof(tmp), "%s", err->msg);
	return err_set(err, err->kind == ERR_NONE ? ERR_INTERNAL : err->kind,
	    "column '%s': page at offset %jd: %s", pg->chunk->leaf->path,
	    (intmax_t)at, tmp);
}

int
parquet_page_open(struct parquet_page *pg,
    const struct parquet_meta_chunk *k,
    const struct parquet_page_limits *lim, parquet_page_read_fn read,
    void *ctx, struct err *err)
{
	memset(pg, 0, sizeof(*pg));
	pg->chunk = k;
	pg->lim = lim;
	pg->read = read;
	pg->ctx = ctx;
	pg->max_def = k->leaf->max_def;
	pg->max_rep = k->leaf->max_rep;
	buf_init(&pg->win, 0);
	pg->pos = k->start;
	pg->end = k->start + k->compressed_size;
	pg->chunk_left = k->num_values;
	if (k->external || k->encrypted || !k->has_meta)
		return err_set(err, k->has_meta ? ERR_UNSUPPORTED :
		    ERR_INTERNAL, "column '%s': %s", k->leaf->path,
		    k->external ? "chunks in other files are not supported" :
		    k->encrypted ? "encrypted columns are not supported" :
		    "no chunk metadata");
	if (!codec_supported((enum codec)k->codec))
		return err_set(err, ERR_UNSUPPORTED, "column '%s': codec %s "
		    "(%d) is not supported", k->leaf->path,
		    codec_name((enum codec)k->codec), (int)k->codec);
	return 0;
}

void
parquet_page_close(struct parquet_page *pg)
{
	parquet_page_release(pg);
	mem_free(pg->mem);
	mem_free(pg->dict_mem);
	parquet_decode_dict_release(&pg->dict);
	buf_release(&pg->win);
	pg->mem = pg->dict_mem = NULL;
}

void
parquet_page_release(struct parquet_page *pg)
{
	struct parquet_page_mem	*m;

	while ((m = pg->retired) != NULL) {
		pg->retired = m->next;
		mem_free(m);
	}
}

/*
 * Make the len bytes at off (inside the chunk) lie in the window and
 * return them.  Reads at least a block, up to the end of the chunk.
 */
static const unsigned char *
window(struct parquet_page *pg, int64_t off, size_t len, struct err *err)
{
	size_t	 n = len;

	if (off >= pg->win_off &&
	    (uint64_t)(off - pg->win_off) <= pg->win.len &&
	    pg->win.len - (size_t)(off - pg->win_off) >= len)
		return (const unsigned char *)pg->win.data +
		    (off - pg->win_off);
	if (n < pg->lim->read_block)
		n = pg->lim->read_block;
	if ((uint64_t)n > (uint64_t)(pg->end - off))
		n = (size_t)(pg->end - off);
	buf_reset(&pg->win);
	pg->win_off = off;
	if (pg->read(pg->ctx, off, n, &pg->win, err) == -1)
		return NULL;
	if (pg->win.len != n) {
		err_set(err, ERR_UPSTREAM, "short read of %zu bytes at %jd",
		    n, (intmax_t)off);
		return NULL;
	}
	return (const unsigned char *)pg->win.data;
}

/* Bytes of the window from off on (off inside the window). */
static size_t
window_left(const struct parquet_page *pg, int64_t off)
{
	return pg->win.len - (size_t)(off - pg->win_off);
}

/* The page header at pg->pos. */
static int
read_header(struct parquet_page *pg, struct parquet_meta_page *h,
    struct err *err)
{
	const unsigned char	*p;
	int64_t			 room = pg->end - pg->pos;
	size_t			 want = HEADER_TRY, most;
	bool			 truncated;

	most = pg->lim->max_header;
	if ((uint64_t)room < most)
		most = (size_t)room;
	for (;;) {
		if (want > most)
			want = most;
		if ((p = window(pg, pg->pos, want, err)) == NULL)
			return -1;
		if (parquet_meta_page_decode(p, window_left(pg, pg->pos), h,
		    &truncated, err) == 0)
			return 0;
		if (!truncated || window_left(pg, pg->pos) >= most)
			return -1;
		want = window_left(pg, pg->pos) * 4;
	}
}

/* Decompress (or copy) the page body at p into a new page buffer. */
static int
page_body(struct parquet_page *pg, const struct parquet_meta_page *h,
    const unsigned char *p, struct parquet_page_mem **out, struct err *err)
{
	struct parquet_page_mem	*m;
	struct buf		 b;
	enum codec		 c = (enum codec)pg->chunk->codec;
	size_t			 lv = 0, comp = (size_t)h->compressed_size;
	size_t			 raw = (size_t)h->uncompressed_size;

	buf_init(&b, 0);
	if (h->type == PARQUET_PAGE_DATA_V2) {
		/* Levels are never compressed. */
		lv = (size_t)h->rep_length + (size_t)h->def_length;
		buf_add(&b, p, lv);
		if (!h->is_compressed)
			c = CODEC_UNCOMPRESSED;
	}
	if (codec_decompress(c, p + lv, comp - lv, raw - lv,
	    pg->lim->max_page, &b, err) == -1) {
		buf_release(&b);
		return -1;
	}
	m = xcalloc(1, sizeof(*m));
	m->len = b.len;
	m->data = buf_detach(&b);
	*out = m;
	return 0;
}

static int
read_dict(struct parquet_page *pg, const struct parquet_meta_page *h,
    const unsigned char *body, struct err *err)
{
	const struct parquet_meta_node	*leaf = pg->chunk->leaf;

	if (pg->has_dict || pg->mem != NULL)
		return err_set(err, ERR_INTERNAL, "a dictionary page that is "
		    "not the first page");
	if ((size_t)h->uncompressed_size > pg->lim->max_dict)
		return err_set(err, ERR_INTERNAL, "dictionary page of %d bytes "
		    "is over the limit", (int)h->uncompressed_size);
	if (h->encoding != PARQUET_ENC_PLAIN &&
	    h->encoding != PARQUET_ENC_PLAIN_DICTIONARY)
		return err_set(err, ERR_UNSUPPORTED, "dictionary page encoding "
		    "%s", parquet_meta_encoding_name(h->encoding));
	if (page_body(pg, h, body, &pg->dict_mem, err) == -1)
		return -1;
	if (parquet_decode_dict_init(&pg->dict, leaf->type, leaf->type_length,
	    pg->dict_mem->data, pg->dict_mem->len, (size_t)h->num_values,
	    err) == -1)
		return -1;
	pg->has_dict = true;
	return 0;
}

/*
 * One level stream of a v1 page, at *at in the page: RLE with its
 * 4-byte length, or BIT_PACKED.
 */
static int
levels_v1(struct parquet_page *pg, int32_t enc, int max, int64_t n,
    struct parquet_decode_rle *r, size_t *at, struct err *err)
{
	const unsigned char	*p = (const unsigned char *)pg->mem->data + *at;
	size_t			 left = pg->mem->len - *at;
	int			 bw = parquet_rle_bit_width((uint32_t)max);
	uint64_t		 need;
	uint32_t		 len;

	if (enc == PARQUET_ENC_RLE) {
		if (left < 4 || (len = bytes_get_le32(p)) > left - 4)
			return err_set(err, ERR_INTERNAL, "levels of a bad "
			    "length");
		*at += 4 + (size_t)len;
		return parquet_decode_rle_init(r, p + 4, len, bw, err);
	}
	if (enc == PARQUET_ENC_BIT_PACKED) {
		need = ((uint64_t)n * (uint64_t)bw + 7) / 8;
		if (need > left)
			return err_set(err, ERR_INTERNAL, "bit-packed levels "
			    "run past the page");
		*at += (size_t)need;
		return parquet_decode_bitpacked_init(r, p, (size_t)need, bw,
		    (uint64_t)n, err);
	}
	return err_set(err, ERR_UNSUPPORTED, "level encoding %s",
	    parquet_meta_encoding_name(enc));
}

/* Set up the level and value decoders of the data page in pg->mem. */
static int
start_data(struct parquet_page *pg, const struct parquet_meta_page *h,
    struct err *err)
{
	const struct parquet_meta_node	*leaf = pg->chunk->leaf;
	const unsigned char		*d;
	size_t				 at = 0;
	int				 bwd, bwr;

	d = (const unsigned char *)pg->mem->data;
	bwd = parquet_rle_bit_width((uint32_t)pg->max_def);
	bwr = parquet_rle_bit_width((uint32_t)pg->max_rep);
	if (h->type == PARQUET_PAGE_DATA) {
		if ((pg->max_rep > 0 && levels_v1(pg, h->rep_encoding,
		    pg->max_rep, h->num_values, &pg->rep, &at, err) == -1) ||
		    (pg->max_def > 0 && levels_v1(pg, h->def_encoding,
		    pg->max_def, h->num_values, &pg->def, &at, err) == -1))
			return -1;
	} else {
		if (parquet_decode_rle_init(&pg->rep, d, (size_t)h->rep_length,
		    bwr, err) == -1 || parquet_decode_rle_init(&pg->def,
		    d + h->rep_length, (size_t)h->def_length, bwd, err) == -1)
			return -1;
		at = (size_t)h->rep_length + (size_t)h->def_length;
	}
	if (h->encoding == PARQUET_ENC_DELTA_BYTE_ARRAY ||
	    (h->encoding == PARQUET_ENC_BYTE_STREAM_SPLIT &&
	    leaf->type == PARQUET_FIXED))
		pg->mem->mat = arena_new();
	return parquet_decode_init(&pg->dec, h->encoding, leaf->type,
	    leaf->type_length, d + at, pg->mem->len - at,
	    (uint64_t)h->num_values, pg->has_dict ? &pg->dict : NULL,
	    pg->mem->mat, pg->lim->max_page, err);
}

static int
read_data(struct parquet_page *pg, const struct parquet_meta_page *h,
    const unsigned char *body, struct err *err)
{
	struct parquet_page_mem	*m;

	if (h->num_values > pg->lim->max_values ||
	    h->num_values > pg->chunk_left)
		return err_set(err, ERR_INTERNAL, "%d entries in a page, "
		    "%jd left in the chunk", (int)h->num_values,
		    (intmax_t)pg->chunk_left);
	if (h->num_values == 0)
		return 0;
	if (page_body(pg, h, body, &m, err) == -1)
		return -1;
	if (pg->mem != NULL) {
		pg->mem->next = pg->retired;
		pg->retired = pg->mem;
	}
	pg->mem = m;
	pg->page_at = pg->pos - h->compressed_size - (int64_t)h->header_size;
	if (start_data(pg, h, err) == -1)
		return -1;
	pg->page_left = h->num_values;
	pg->chunk_left -= h->num_values;
	return 1;
}

/* Move to the next data page with entries: 1, or 0 at the chunk's end. */
static int
next_page(struct parquet_page *pg, struct err *err)
{
	struct parquet_meta_page	 h;
	const unsigned char		*body;
	int64_t				 at;
	int				 rc;

	while (pg->pos < pg->end) {
		at = pg->pos;
		if (read_header(pg, &h, err) == -1)
			return fail(pg, at, err);
		if ((uint64_t)h.compressed_size >
		    (uint64_t)(pg->end - pg->pos) - h.header_size)
			return err_set(err, ERR_INTERNAL, "column '%s': page "
			    "at offset %jd runs past its chunk",
			    pg->chunk->leaf->path, (intmax_t)at);
		if ((size_t)h.compressed_size > pg->lim->max_page ||
		    (size_t)h.uncompressed_size > pg->lim->max_page)
			return err_set(err, ERR_INTERNAL, "column '%s': page "
			    "at offset %jd is over the page size limit",
			    pg->chunk->leaf->path, (intmax_t)at);
		pg->pos += (int64_t)h.header_size;
		if ((body = window(pg, pg->pos, (size_t)h.compressed_size,
		    err)) == NULL)
			return fail(pg, at, err);
		pg->pos += h.compressed_size;
		if (h.type == PARQUET_PAGE_DICTIONARY)
			rc = read_dict(pg, &h, body, err);
		else if (h.type == PARQUET_PAGE_DATA ||
		    h.type == PARQUET_PAGE_DATA_V2)
			rc = read_data(pg, &h, body, err);
		else
			rc = 0;		/* index pages and the unknown */
		if (rc == -1)
			return fail(pg, at, err);
		if (rc == 1)
			return 1;
	}
	return 0;
}

/* The next level: in an RLE run without a call, else decoded. */
static inline int
level(struct parquet_decode_rle *r, uint32_t *v, struct err *err)
{
	if (r->rle_left > 0) {
		r->rle_left--;
		*v = r->rle_value;
		return 0;
	}
	return parquet_decode_rle_next(r, v, err);
}

int
parquet_page_peek(struct parquet_page *pg, uint32_t *def, uint32_t *rep,
    struct err *err)
{
	int	 rc;

	if (!pg->peeked) {
		while (pg->page_left == 0)
			if ((rc = next_page(pg, err)) != 1)
				return rc;
		pg->prep = pg->pdef = 0;
		if ((pg->max_rep > 0 && level(&pg->rep, &pg->prep, err) == -1) ||
		    (pg->max_def > 0 && level(&pg->def, &pg->pdef, err) == -1))
			return fail(pg, pg->page_at, err);
		if (pg->prep > (uint32_t)pg->max_rep ||
		    pg->pdef > (uint32_t)pg->max_def)
			return err_set(err, ERR_INTERNAL, "column '%s': level "
			    "above its maximum", pg->chunk->leaf->path);
		pg->page_left--;
		pg->peeked = true;
	}
	*def = pg->pdef;
	*rep = pg->prep;
	return 1;
}

int
parquet_page_take(struct parquet_page *pg, uint32_t *def, uint32_t *rep,
    struct parquet_value *v, struct err *err)
{
	int	 rc;

	if ((rc = parquet_page_peek(pg, def, rep, err)) != 1)
		return rc == 0 ? err_set(err, ERR_INTERNAL, "parquet: column "
		    "'%s' has fewer values than rows", pg->chunk->leaf->path) :
		    -1;
	pg->peeked = false;
	if (*def != (uint32_t)pg->max_def) {
		v->kind = PARQUET_VALUE_NULL;
		return 0;
	}
	if (parquet_decode_next(&pg->dec, v, err) == -1)
		return fail(pg, pg->page_at, err);
	return 0;
}
