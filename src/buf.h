/*
 * buf.h: growable byte buffer with an optional size cap.
 *
 * A struct buf is always NUL-terminated.  Appends past the cap fail
 * (return -1) and set the overflow flag; nothing is truncated silently.
 * buf_init() does not allocate; buf_release() frees the contents and
 * leaves an empty buffer; buf_detach() hands the string to the caller,
 * who frees it with free(3).
 */
#ifndef DS_BUF_H
#define DS_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
	size_t	 max;		/* 0: unlimited */
	bool	 overflow;
};

void	 buf_init(struct buf *, size_t max);
void	 buf_release(struct buf *);
void	 buf_reset(struct buf *);
char	*buf_detach(struct buf *);
int	 buf_add(struct buf *, const void *, size_t);
int	 buf_adds(struct buf *, const char *);
int	 buf_addc(struct buf *, char);
int	 buf_addf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
int	 buf_vaddf(struct buf *, const char *, va_list)
	    __attribute__((format(printf, 2, 0)));
const char *buf_str(const struct buf *);

/*
 * Writing in place: buf_reserve() makes room for n more bytes (and the
 * terminator after them) and returns where they go, right after the
 * contents, or NULL past the cap (overflow set); buf_advance() then
 * counts k <= n of them as written.  Until then the contents are as
 * they were, except that the terminator may have been overwritten.
 */
void	*buf_reserve(struct buf *, size_t n);
void	 buf_advance(struct buf *, size_t k);

#endif
