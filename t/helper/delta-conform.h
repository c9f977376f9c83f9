/*
 * delta-conform.h: what the two files of t/helper/delta-conform share:
 * delta-conform.c (the corpus run, the per-table checks, --files) and
 * delta-conform-cdf.c (the change data feed assertions).
 */
#ifndef DS_DELTA_CONFORM_H
#define DS_DELTA_CONFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct buf;
struct delta_file;
struct delta_table;
struct err;
struct json_object;
struct parquet_read;
struct storage;

/* One table of the corpus. */
struct tcase {
	const char		*path;		/* "dat/basic_append" */
	const char		*dir;		/* its table root */
	const char		*expdir;	/* its expected/ */
	struct json_object	*m;		/* its manifest entry */
	struct arena		*a;		/* reset per table */
	struct delta_table	*t;		/* NULL until opened */
	int			 checks, failed;
};

/* A Parquet file of the table's storage, for pq_open(). */
struct pqsrc {
	struct storage	*st;
	const char	*key;
};

/* A parsed expected_rows_pretty: cells of the data rows. */
struct pretty {
	size_t		 ncols, nrows;
	char		**head;		/* ncols */
	char		***rows;	/* nrows x ncols */
};

/*
 * One result line of table tc: status 1 ok, 0 not ok, -1 skip; check
 * names what was checked, the rest says what was found.
 */
void	report(struct tcase *, int status, const char *check,
	    const char *, ...) __attribute__((format(printf, 4, 5)));

/* A string member, or NULL; an integer member, or -1. */
const char *jstr(struct json_object *, const char *key);
int64_t	jint(struct json_object *, const char *key);

/*
 * Open the Parquet file key under the table root (NULL with the error
 * set, ERR_NOT_FOUND when absent); ps must outlive the reader.  Its row
 * count by the footer.  The storage key of a file action.
 */
struct parquet_read *pq_open(struct delta_table *, const char *key,
	    struct pqsrc *ps, struct err *);
int	footer_rows(struct delta_table *, const char *key, int64_t *rows,
	    struct err *);
int	file_key(struct delta_table *, const struct delta_file *,
	    struct arena *, const char **key, struct err *);

/* Parse the lines of an expected_rows_pretty array; a column's index. */
int	pretty_parse(struct arena *, struct json_object *arr,
	    struct pretty *);
int	pretty_col(const struct pretty *, const char *name);

/*
 * Check one "cdf" assertion of expected/assertions.json.  With --expect
 * (expect_mode), first print it for t4100: "cdf TABLE QUERY MINTS
 * TALLY", QUERY the /changes parameters, MINTS the timestamp (ms) before
 * which a commit's changes are left out (-1: none), TALLY the expected
 * "VERSION:TYPE=ROWS" groups, space-separated, by version then type.
 */
extern bool	 expect_mode;
void	cdf_assertion(struct tcase *, struct json_object *as);

#endif
