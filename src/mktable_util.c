/*
 * mktable_util.c: the small helpers of the table generators, mktable and
 * bench/gentable: dying with a message, the splitmix64 generator that
 * makes their output a function of the seed, UUIDs drawn from it, the
 * clock, and creating directories.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mktable.h"
#include "strutil.h"
#include "xmalloc.h"

void
mktable_die(const char *fmt, ...)
{
	va_list	 ap;

	fprintf(stderr, "%s: ", program_invocation_short_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* splitmix64: small, fast, and the same everywhere. */
uint64_t
mktable_mix(uint64_t x)
{
	return str_mix64(x);
}

uint64_t
mktable_next(uint64_t *state)
{
	*state += UINT64_C(0x9e3779b97f4a7c15);
	return mktable_mix(*state);
}

/*
 * A version 4 UUID drawn from the generator, so names are reproducible:
 * its 16 bytes and its text.
 */
void
mktable_uuid(uint64_t *state, unsigned char b[16], char out[37])
{
	uint64_t	 x = mktable_next(state), y = mktable_next(state);
	int		 i;

	for (i = 0; i < 8; i++) {
		b[i] = (unsigned char)(x >> (8 * i));
		b[8 + i] = (unsigned char)(y >> (8 * i));
	}
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3], b[4], b[5],
	    b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

void
mktable_uuid_text(uint64_t *state, char out[37])
{
	unsigned char	 b[16];

	mktable_uuid(state, b, out);
}

int64_t
mktable_now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
mktable_mkdir_p(const char *path)
{
	char	*p, *s;

	s = xstrdup(path);
	for (p = s + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		if (p[-1] != '/') {
			char c = *p;

			*p = '\0';
			if (mkdir(s, 0755) == -1 && errno != EEXIST)
				mktable_die("cannot create '%s': %s", s,
				    strerror(errno));
			*p = c;
		}
		if (*p == '\0')
			break;
	}
	free(s);
}
