/*
 * delta_commit.h: reading the actions of one commit file, either all at
 * once (parsed into an array that lives in the table's arena) or a
 * window of whole lines at a time, so that a commit of any size is read
 * in bounded memory.
 *
 * Errors name the commit file, and the line for a line that does not
 * parse.
 */
#ifndef DS_DELTA_COMMIT_H
#define DS_DELTA_COMMIT_H

#include <stddef.h>

struct delta_action;
struct delta_commit;
struct delta_table;
struct err;

/* One commit file may not be larger than this when read whole. */
#define DELTA_COMMIT_MAX	((size_t)512 * 1024 * 1024)

/* Parse the whole commit into *acts (*n of them, in file order). */
int	delta_commit_read(struct delta_table *, const struct delta_commit *,
	    struct delta_action **acts, size_t *n, struct err *);

/*
 * Hand fn the commit's bytes a window (about 4 MiB) of whole lines at a
 * time, the last line with or without its newline; *lineno counts the
 * lines before the window, and fn adds the window's (as
 * delta_action_lines() does).  fn returns 0 to go on, DELTA_STOP to stop
 * (returned), or -1 with err set (then prefixed with the file name).
 * The window lives during the call only.
 */
typedef int (*delta_commit_lines_fn)(void *ctx, const char *buf,
    size_t len, size_t *lineno, struct err *);
int	delta_commit_windows(struct delta_table *, const struct delta_commit *,
	    delta_commit_lines_fn fn, void *ctx, struct err *);

/* Prefix err's message with the commit file's name. */
int	delta_commit_err(struct err *, const struct delta_commit *);

#endif
