/*
 * fuzz-name.c: libFuzzer harness for names and the string helpers under
 * them: name_check() for every kind, percent-decoding (path and query
 * rules) and encoding, base64url, UTF-8 validation and sanitising,
 * and bounded integer parsing.
 *
 * Besides "no crash", it checks properties: a sanitised string is valid
 * UTF-8; percent-encoding then decoding gives the input back; base64url
 * decoding accepts only the canonical form, so re-encoding what it
 * decoded gives the input (without padding) back; a valid name is
 * valid UTF-8 of at most 255 characters with no '/'.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "err.h"
#include "name.h"
#include "strutil.h"
#include "xmalloc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check_names(const char *s, size_t n)
{
	struct err	 e;
	int		 k;

	for (k = 0; k < NAME__MAX; k++) {
		err_clear(&e);
		if (name_check(s, n, (enum name_kind)k, &e) == 0) {
			if (!str_utf8_valid(s, n) ||
			    str_utf8_len(s, n) > NAME_MAX_CHARS ||
			    memchr(s, '/', n) != NULL ||
			    memchr(s, '\0', n) != NULL)
				abort();
		} else if (e.kind != ERR_BAD_PARAM)
			abort();
	}
}

static void
check_pct(struct arena *a, const char *s, size_t n)
{
	char	*out, *enc;
	long	 r;

	out = arena_alloc(a, n + 1);
	r = str_pct_decode(s, n, out, false);
	if (r > (long)n)
		abort();
	r = str_pct_decode(s, n, out, true);
	if (r >= 0)
		check_names(out, (size_t)r);
	/* Encoding a C string and decoding it is the identity. */
	enc = str_pct_encode(a, s, "");
	out = arena_alloc(a, strlen(enc) + 1);
	r = str_pct_decode(enc, strlen(enc), out, false);
	if (r < 0 || (size_t)r != strlen(s) || memcmp(out, s, (size_t)r) != 0)
		abort();
}

static void
check_b64(struct arena *a, const char *s, size_t n)
{
	unsigned char	*out;
	char		*enc;
	size_t		 plain = n;
	long		 r;

	out = arena_alloc(a, 3 * (n / 4) + 3);
	if ((r = str_b64url_decode(s, n, out)) >= 0) {
		while (plain > 0 && s[plain - 1] == '=')
			plain--;
		enc = arena_alloc(a, 4 * (((size_t)r + 2) / 3) + 1);
		if (str_b64url_encode(out, (size_t)r, enc) != plain ||
		    memcmp(enc, s, plain) != 0)
			abort();
	}
	/* Any bytes survive an encode/decode round trip. */
	enc = arena_alloc(a, 4 * ((n + 2) / 3) + 1);
	str_b64url_encode((const unsigned char *)s, n, enc);
	out = arena_alloc(a, 3 * (strlen(enc) / 4) + 3);
	r = str_b64url_decode(enc, strlen(enc), out);
	if (r != (long)n || memcmp(out, s, n) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena	*a;
	char		*s;
	int64_t		 v;

	s = xmalloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	a = arena_new();

	check_names(s, size);
	check_pct(a, s, size);
	check_b64(a, s, size);
	if (str_utf8_valid(s, size) && str_utf8_len(s, size) > size)
		abort();
	errno = 0;
	if (str_parse_i64(s, -1000, 1000, &v) == 0 && (v < -1000 ||
	    v > 1000))
		abort();
	str_utf8_sanitize(s);
	if (!str_utf8_valid(s, strlen(s)))
		abort();

	arena_free(a);
	free(s);
	return 0;
}
