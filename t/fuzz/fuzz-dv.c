/*
 * fuzz-dv.c: libFuzzer harness for delta_dv, the deletion vector
 * descriptors, their Z85 and the RoaringBitmapArray reader.
 *
 * Input: byte 0 is the storage type, bytes 1-4 the offset and 5-8
 * sizeInBytes (little-endian, as they come), byte 9 the cardinality; the
 * rest is both pathOrInlineDv (up to its first NUL) and, as binary, a
 * bitmap.  The descriptor goes through validation, the key under two
 * roots, the uniqueId, the UUID and inline decoding; Z85 must round-trip
 * both ways (decode then encode gives the text back, encode then decode
 * the bytes); keys that come back must be valid.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "delta_action.h"
#include "delta_dv.h"
#include "err.h"
#include "storage.h"
#include "xmalloc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int32_t
le32(const uint8_t *p)
{
	return (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 |
	    (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
}

static void
z85_round_trips(const char *s, size_t n, const uint8_t *bin, size_t nbin)
{
	unsigned char	*dec, *dec2;
	char		*enc;
	long		 m;

	n -= n % 5;
	dec = xmalloc(n / 5 * 4 + 1);
	enc = xmalloc(n + 1);
	if ((m = delta_dv_z85_decode(s, n, dec)) >= 0) {
		if (delta_dv_z85_encode(dec, (size_t)m, enc) != (long)n ||
		    memcmp(enc, s, n) != 0)
			abort();
	}
	free(dec);
	free(enc);
	nbin -= nbin % 4;
	enc = xmalloc(nbin / 4 * 5 + 1);
	dec2 = xmalloc(nbin + 1);
	if (delta_dv_z85_encode(bin, nbin, enc) != (long)(nbin / 4 * 5) ||
	    delta_dv_z85_decode(enc, nbin / 4 * 5, dec2) != (long)nbin ||
	    memcmp(dec2, bin, nbin) != 0)
		abort();
	free(enc);
	free(dec2);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const roots[] = { "file:///tmp/t", "s3://mytable" };
	const unsigned char	*bits;
	struct delta_dv		 dv;
	struct arena		*a;
	struct err		 e;
	const char		*key;
	char			*s, uuid[37];
	int64_t			 card;
	size_t			 n, i;

	if (size < 10)
		return 0;
	a = arena_new();
	s = xstrndup((const char *)data + 10, size - 10);
	memset(&dv, 0, sizeof(dv));
	dv.storage_type = (char)data[0];
	dv.offset = le32(data + 1);
	dv.size = le32(data + 5);
	dv.cardinality = data[9];
	dv.max_row_index = -1;
	dv.path_or_inline = s;
	for (i = 0; i < 2; i++) {
		err_clear(&e);
		if (delta_dv_check(roots[i], &dv, a, &key, &e) == 0) {
			if (key != NULL && !storage_key_valid(key))
				abort();
			if ((key == NULL) != (dv.storage_type == 'i'))
				abort();
		} else if (e.kind == ERR_NONE)
			abort();
	}
	(void)delta_dv_unique_id(&dv, a);
	if (delta_dv_uuid(&dv, uuid) == 0 && strlen(uuid) != 36)
		abort();
	if (delta_dv_inline_data(&dv, a, &bits, &n, &e) == 0 &&
	    delta_dv_bitmap_cardinality(bits, n, &card, &e) == 0 && card < 0)
		abort();
	z85_round_trips(s, strlen(s), data + 10, size - 10);
	if (delta_dv_bitmap_cardinality(data + 10, size - 10, &card, &e) == 0 &&
	    card < 0)
		abort();
	free(s);
	arena_free(a);
	return 0;
}
