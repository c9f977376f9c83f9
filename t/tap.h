/*
 * tap.h: a small TAP producer for the C unit programs in t/unit.
 *
 *	plan(3);		(or no plan: done_testing() prints it)
 *	ok(n > 0, "positive %d", n);
 *	is_int(got, 42, "answer");
 *	is_str(name, "share1", "decoded name");
 *	return done_testing();
 *
 * Each check prints "ok N - description" or "not ok N - description" on
 * stdout, where prove reads it; a failed check adds "#" diagnostics with
 * the file:line of the check and both values.  skip() records checks
 * that did not run; todo_start()/todo_end() mark expected failures.
 * Every check returns true when it passed, so a test can stop early.
 */
#ifndef DS_TAP_H
#define DS_TAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void	plan(int);
int	done_testing(void);
void	skip(int, const char *, ...) __attribute__((format(printf, 2, 3)));
void	todo_start(const char *);
void	todo_end(void);
void	diag(const char *, ...) __attribute__((format(printf, 1, 2)));
void	bail_out(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

bool	tap_ok(const char *, int, bool, const char *, ...)
	    __attribute__((format(printf, 4, 5)));
bool	tap_is_int(const char *, int, intmax_t, intmax_t, const char *,
	    const char *, const char *, ...)
	    __attribute__((format(printf, 7, 8)));
bool	tap_is_str(const char *, int, const char *, const char *,
	    const char *, const char *, const char *, ...)
	    __attribute__((format(printf, 7, 8)));
bool	tap_is_mem(const char *, int, const void *, size_t, const void *,
	    size_t, const char *, ...)
	    __attribute__((format(printf, 7, 8)));

/* ok(cond, fmt, ...): passes when cond is true. */
#define ok(cond, ...)							\
	tap_ok(__FILE__, __LINE__, (cond) ? true : false, __VA_ARGS__)

/* is_int(got, want, fmt, ...): integers compared as intmax_t. */
#define is_int(a, b, ...)						\
	tap_is_int(__FILE__, __LINE__, (intmax_t)(a), (intmax_t)(b), #a, #b, \
	    __VA_ARGS__)

/* is_str(got, want, fmt, ...): NULL equals only NULL. */
#define is_str(a, b, ...)						\
	tap_is_str(__FILE__, __LINE__, (a), (b), #a, #b, __VA_ARGS__)

/* is_mem(got, gotlen, want, wantlen, fmt, ...): same length and bytes. */
#define is_mem(a, alen, b, blen, ...)					\
	tap_is_mem(__FILE__, __LINE__, (a), (alen), (b), (blen), __VA_ARGS__)

#endif
