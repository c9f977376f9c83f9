/*
 * xmalloc.h: allocation wrappers that never return NULL.
 *
 * deltashare is a program, not a library: when memory runs out the worker
 * logs and aborts, and the web server starts a fresh one.  Raw malloc(3)
 * and friends are not used outside xmalloc.c.
 */
#ifndef DS_XMALLOC_H
#define DS_XMALLOC_H

#include <stdarg.h>
#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
char	*xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));
char	*xvasprintf(const char *, va_list) __attribute__((format(printf, 1, 0)));

#endif
