/*
 * fuzz-query.c: libFuzzer harness for what a client sends to POST
 * .../query besides its path: the delta-sharing-capabilities header,
 * the fileidhash header and the JSON body.
 *
 * The input is split at its first two newlines: the capabilities header,
 * the fileidhash header (absent when there is no second newline), then
 * the body.  Every piece goes through its parser (caps_parse,
 * caps_format for each kind of table, qbody_parse with and without
 * asyncquery); none may crash, leak or read out of bounds, and a body
 * that parses must satisfy the invariants the handlers rely on.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "caps.h"
#include "err.h"
#include "qbody.h"
#include "xmalloc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char *
piece(const char **p, const char *end, bool to_end)
{
	const char	*nl = to_end ? NULL : memchr(*p, '\n', (size_t)(end - *p));
	size_t		 n = nl != NULL ? (size_t)(nl - *p) : (size_t)(end - *p);
	char		*s;

	if (nl == NULL && !to_end)
		return NULL;
	s = xmalloc(n + 1);
	memcpy(s, *p, n);
	s[n] = '\0';
	*p += n + (nl != NULL);
	return s;
}

static void
check_body(const char *body, size_t len, bool async)
{
	struct arena	*a = arena_new();
	struct qbody	 q;
	struct err	 e;

	if (qbody_parse(a, body, len, async, &q, &e) == 0) {
		if ((q.version >= 0) + (q.timestamp != NULL) +
		    (q.starting_version >= 0) > 1 || q.max_files == 0 ||
		    (async && q.idempotency_key == NULL) ||
		    (q.include_refresh && q.page_token != NULL))
			abort();
	} else if (e.kind != ERR_MALFORMED && e.kind != ERR_BAD_PARAM &&
	    e.kind != ERR_TOO_LARGE)
		abort();
	arena_free(a);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*p = (const char *)data, *end = p + size;
	char		*caps_hdr, *idhash = NULL, *body;
	struct caps	 c;
	struct err	 e;
	enum caps_format fmt;
	unsigned	 needs;

	caps_hdr = piece(&p, end, false);
	if (caps_hdr != NULL)
		idhash = piece(&p, end, false);
	body = piece(&p, end, true);
	if (caps_parse(caps_hdr, idhash, &c, &e) == 0)
		for (needs = 0; needs < 4; needs++)
			if (caps_format(&c, needs, &fmt, &e) == 0 &&
			    fmt != CAPS_PARQUET && fmt != CAPS_DELTA)
				abort();
	check_body(body, strlen(body), false);
	check_body(body, strlen(body), true);
	free(caps_hdr);
	free(idhash);
	free(body);
	return 0;
}
