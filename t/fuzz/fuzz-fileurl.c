/*
 * fuzz-fileurl.c: libFuzzer harness for the tokens of file URLs
 * ({prefix}/files/{token}), which anyone on the network can send.
 *
 * The input, as a string, goes to fileurl_open(): a forgery must never
 * open.  The input is also used as a storage key: its token must open
 * again to exactly that key (keys of up to FILEURL_MAX_KEY bytes), and
 * must stop opening once expired.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "err.h"
#include "fileurl.h"
#include "xmalloc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const unsigned char secret[32] = "fuzz file url secret, 32 bytes.";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena	*a = arena_new();
	struct fileurl	 f, g;
	struct err	 e;
	char		*s;
	const char	*tok;

	s = xmalloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	if (fileurl_open(a, secret, sizeof(secret), s, 0, &f, &e) == 0)
		abort();		/* a forgery opened */
	if (strlen(s) > 0 && strlen(s) <= FILEURL_MAX_KEY) {
		f.table_id = (int64_t)size;
		f.expires_ms = 1000;
		f.key = s;
		tok = fileurl_token(a, secret, sizeof(secret), &f);
		if (fileurl_open(a, secret, sizeof(secret), tok, 999, &g,
		    &e) == -1 || strcmp(g.key, s) != 0 ||
		    g.table_id != f.table_id || g.expires_ms != 1000)
			abort();
		if (fileurl_open(a, secret, sizeof(secret), tok, 1001, &g,
		    &e) == 0)
			abort();
	}
	free(s);
	arena_free(a);
	return 0;
}
