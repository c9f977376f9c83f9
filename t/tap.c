/*
 * tap.c: the TAP producer behind tap.h.
 *
 * Results go to stdout in TAP 13 form for prove.  Diagnostics of failed
 * checks go to stderr, each line starting with "#", so that prove shows
 * them without -v; diagnostics of expected (todo) failures go to stdout.
 * Values are printed escaped, so a failing check on binary data cannot
 * break the TAP stream.  Not thread-safe; one test program, one thread.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

#define TAP_SHOW_MAX	200	/* bytes of a value shown in diagnostics */

static int		 tap_planned = -1;
static int		 tap_count;
static int		 tap_failed;
static const char	*tap_todo;

void
plan(int n)
{
	tap_planned = n;
	printf("1..%d\n", n);
	fflush(stdout);
}

/* Write fmt to f with '#' and newlines neutralised for a TAP line. */
static void
put_desc(FILE *f, const char *fmt, va_list ap)
{
	char	 buf[512];
	size_t	 i;

	vsnprintf(buf, sizeof(buf), fmt, ap);
	for (i = 0; buf[i] != '\0'; i++) {
		if (buf[i] == '#' || buf[i] == '\\')
			fputc('\\', f);
		fputc(buf[i] == '\n' || buf[i] == '\r' ? ' ' : buf[i], f);
	}
}

/* Diagnostics go where the result's reader will see them. */
static FILE *
diag_file(void)
{
	return tap_todo != NULL ? stdout : stderr;
}

static void
vdiag(FILE *f, const char *fmt, va_list ap)
{
	char	 buf[1024];
	char	*line, *nl;

	vsnprintf(buf, sizeof(buf), fmt, ap);
	for (line = buf; line != NULL; line = nl) {
		if ((nl = strchr(line, '\n')) != NULL)
			*nl++ = '\0';
		fprintf(f, "# %s\n", line);
	}
	fflush(f);
}

void
diag(const char *fmt, ...)
{
	va_list	 ap;

	fflush(stdout);
	va_start(ap, fmt);
	vdiag(stderr, fmt, ap);
	va_end(ap);
}

static void
fail_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
fail_diag(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vdiag(diag_file(), fmt, ap);
	va_end(ap);
}

void
bail_out(const char *fmt, ...)
{
	va_list	 ap;

	printf("Bail out! ");
	va_start(ap, fmt);
	put_desc(stdout, fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	exit(255);
}

/* Print one result line; returns pass. */
static bool
result(const char *file, int line, bool pass, const char *fmt, va_list ap)
{
	tap_count++;
	if (!pass && tap_todo == NULL)
		tap_failed++;
	printf("%sok %d - ", pass ? "" : "not ", tap_count);
	put_desc(stdout, fmt, ap);
	if (tap_todo != NULL)
		printf(" # TODO %s", tap_todo);
	printf("\n");
	fflush(stdout);
	if (!pass)
		fail_diag("  Failed check at %s:%d", file, line);
	return pass;
}

bool
tap_ok(const char *file, int line, bool pass, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	result(file, line, pass, fmt, ap);
	va_end(ap);
	return pass;
}

bool
tap_is_int(const char *file, int line, intmax_t a, intmax_t b,
    const char *aexpr, const char *bexpr, const char *fmt, ...)
{
	va_list	 ap;
	bool	 pass = a == b;

	va_start(ap, fmt);
	result(file, line, pass, fmt, ap);
	va_end(ap);
	if (!pass)
		fail_diag("       got: %jd (%s)\n  expected: %jd (%s)", a,
		    aexpr, b, bexpr);
	return pass;
}

/* Quote n bytes of s into out (C escapes), truncated for display. */
static void
show(const void *p, size_t n, char *out, size_t outsz)
{
	const unsigned char	*s = p;
	size_t			 i, o = 0;

	if (p == NULL) {
		snprintf(out, outsz, "NULL");
		return;
	}
	out[o++] = '"';
	for (i = 0; i < n && i < TAP_SHOW_MAX && o + 8 < outsz; i++) {
		if (s[i] == '"' || s[i] == '\\')
			o += (size_t)snprintf(out + o, outsz - o, "\\%c", s[i]);
		else if (s[i] >= 0x20 && s[i] < 0x7f)
			out[o++] = (char)s[i];
		else
			o += (size_t)snprintf(out + o, outsz - o, "\\x%02x",
			    s[i]);
	}
	snprintf(out + o, outsz - o, "\"%s (%zu bytes)", i < n ? "..." : "",
	    n);
}

bool
tap_is_str(const char *file, int line, const char *a, const char *b,
    const char *aexpr, const char *bexpr, const char *fmt, ...)
{
	char	 sa[TAP_SHOW_MAX * 4 + 32], sb[TAP_SHOW_MAX * 4 + 32];
	va_list	 ap;
	bool	 pass;

	pass = (a == NULL && b == NULL) ||
	    (a != NULL && b != NULL && strcmp(a, b) == 0);
	va_start(ap, fmt);
	result(file, line, pass, fmt, ap);
	va_end(ap);
	if (!pass) {
		show(a, a ? strlen(a) : 0, sa, sizeof(sa));
		show(b, b ? strlen(b) : 0, sb, sizeof(sb));
		fail_diag("       got: %s (%s)\n  expected: %s (%s)", sa,
		    aexpr, sb, bexpr);
	}
	return pass;
}

bool
tap_is_mem(const char *file, int line, const void *a, size_t alen,
    const void *b, size_t blen, const char *fmt, ...)
{
	char	 sa[TAP_SHOW_MAX * 4 + 32], sb[TAP_SHOW_MAX * 4 + 32];
	va_list	 ap;
	size_t	 i;
	bool	 pass;

	pass = (a == NULL && b == NULL) || (a != NULL && b != NULL &&
	    alen == blen && (alen == 0 || memcmp(a, b, alen) == 0));
	va_start(ap, fmt);
	result(file, line, pass, fmt, ap);
	va_end(ap);
	if (!pass) {
		for (i = 0; a != NULL && b != NULL && i < alen && i < blen &&
		    ((const unsigned char *)a)[i] ==
		    ((const unsigned char *)b)[i]; i++)
			;
		show(a, alen, sa, sizeof(sa));
		show(b, blen, sb, sizeof(sb));
		fail_diag("       got: %s\n  expected: %s\n  first "
		    "difference at offset %zu", sa, sb, i);
	}
	return pass;
}

void
skip(int n, const char *fmt, ...)
{
	va_list	 ap;

	while (n-- > 0) {
		tap_count++;
		printf("ok %d # skip ", tap_count);
		va_start(ap, fmt);
		put_desc(stdout, fmt, ap);
		va_end(ap);
		printf("\n");
	}
	fflush(stdout);
}

void
todo_start(const char *why)
{
	tap_todo = why;
}

void
todo_end(void)
{
	tap_todo = NULL;
}

int
done_testing(void)
{
	if (tap_planned < 0)
		printf("1..%d\n", tap_count);
	fflush(stdout);
	if (tap_planned >= 0 && tap_planned != tap_count) {
		diag("planned %d checks but ran %d", tap_planned, tap_count);
		return 1;
	}
	if (tap_failed > 0) {
		diag("failed %d of %d checks", tap_failed, tap_count);
		return 1;
	}
	return 0;
}
