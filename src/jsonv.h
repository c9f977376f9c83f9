/*
 * jsonv.h: a strict RFC 8259 syntax check for JSON text from outside.
 *
 * json-c accepts more than JSON (single-quoted strings, NaN, raw control
 * characters in strings, lone surrogates); everything the server parses
 * from a client passes this check first, so such text is refused with a
 * message that says where and why.  It only checks syntax and nesting;
 * UTF-8 validity is checked separately (str_utf8_valid).
 */
#ifndef DS_JSONV_H
#define DS_JSONV_H

#include <stddef.h>

/*
 * 0 if buf[0..len) is exactly one JSON value, optionally surrounded by
 * whitespace, nested at most max_depth deep; else -1, with *why (a
 * static string) and *at (a byte offset) set.  Valid JSON holding a
 * \u0000 escape (which json-c would cut strings and keys at) gives -2.
 */
int	jsonv_check(const char *buf, size_t len, int max_depth,
	    const char **why, size_t *at);

#endif
