/*
 * jsonw.h: a small streaming JSON writer into a struct buf.
 *
 * It tracks commas so callers write keys and values in order:
 *
 *	jsonw_init(&w, &b);
 *	jsonw_obj_open(&w);
 *	jsonw_key(&w, "name"); jsonw_str(&w, share);
 *	jsonw_obj_close(&w);
 *
 * Output is compact (no spaces).  Strings are escaped as RFC 8259
 * requires; the input must be valid UTF-8 (callers validate at the edge).
 * Nesting deeper than JSONW_MAX_DEPTH is a programming error.
 */
#ifndef DS_JSONW_H
#define DS_JSONW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;

#define JSONW_MAX_DEPTH	32

struct jsonw {
	struct buf	*b;
	int		 depth;
	bool		 need_comma[JSONW_MAX_DEPTH];
	bool		 after_key;
};

void	jsonw_init(struct jsonw *, struct buf *);
/*
 * Go on inside depth nested objects or arrays begun elsewhere, each
 * with members written already (the next one gets a comma): a piece of
 * JSON to put in the middle of another.
 */
void	jsonw_resume(struct jsonw *, struct buf *, int depth);
void	jsonw_obj_open(struct jsonw *);
void	jsonw_obj_close(struct jsonw *);
void	jsonw_arr_open(struct jsonw *);
void	jsonw_arr_close(struct jsonw *);
void	jsonw_key(struct jsonw *, const char *);
void	jsonw_str(struct jsonw *, const char *);
void	jsonw_strn(struct jsonw *, const char *, size_t);
void	jsonw_int(struct jsonw *, int64_t);
void	jsonw_bool(struct jsonw *, bool);
void	jsonw_null(struct jsonw *);
/* Insert already-serialised JSON (e.g. a json column from PostgreSQL). */
void	jsonw_raw(struct jsonw *, const char *);
void	jsonw_rawn(struct jsonw *, const char *, size_t);
/* Valid JSON text without the whitespace between its tokens. */
void	jsonw_raw_compact(struct jsonw *, const char *, size_t);

/* Append s as a quoted, escaped JSON string. */
void	jsonw_quote(struct buf *, const char *, size_t);

#endif
