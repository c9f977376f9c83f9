/*
 * pred.h: predicate hints of a query (protocol-notes §1.15, §1.16), and
 * file pruning with them.
 *
 * Both hint languages compile to one tree: jsonPredicateHints (a JSON
 * op tree) with pred_parse_json(), the deprecated SQL predicateHints
 * with pred_parse_sql().  pred_keep() then decides, from a file's
 * partition values and its min/max/nullCount statistics, whether any
 * row of the file could satisfy the predicate.
 *
 * Hints are best effort: a hint that cannot be used never fails a query
 * and never drops a file that might hold a matching row.  Parsing gives
 * NULL (no filtering) for malformed or unknown input; evaluation is
 * conservative (a comparison it cannot decide keeps the file).  Unlike
 * the reference server, NOT over a statistics range and isNull over
 * statistics never prune wrongly (see pred_eval.c).
 */
#ifndef DS_PRED_H
#define DS_PRED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct delta_file;
struct delta_metadata;

/* Value types of the JSON hint grammar (valueType). */
enum pred_type {
	PRED_T_BOOL = 1,
	PRED_T_INT,		/* "int" */
	PRED_T_LONG,		/* "long" */
	PRED_T_STRING,
	PRED_T_DATE,
	PRED_T_FLOAT,
	PRED_T_DOUBLE,
	PRED_T_TIMESTAMP,
};

enum pred_op {
	PRED_COLUMN = 1,	/* leaf: name, type */
	PRED_LITERAL,		/* leaf: value (text), type */
	PRED_IS_NULL,		/* 1 child */
	PRED_NOT,		/* 1 child */
	PRED_EQ,		/* 2 children: a column and a literal */
	PRED_LT,
	PRED_LE,
	PRED_GT,
	PRED_GE,
	PRED_AND,		/* 2 or more children */
	PRED_OR,
};

struct pred {
	enum pred_op	 op;
	enum pred_type	 type;		/* leaves */
	const char	*name;		/* PRED_COLUMN */
	const char	*value;		/* PRED_LITERAL, as text */
	struct pred	**kids;
	size_t		 nkids;
};

/* Limits of the reference server: larger or deeper hints are ignored. */
#define PRED_MAX_JSON	(1024 * 1024)
#define PRED_MAX_DEPTH	100

/*
 * The tree of a jsonPredicateHints string (len bytes), in the arena; NULL
 * when it is not usable (invalid JSON, unknown op or valueType, wrong
 * arity, too large or deep).
 */
struct pred	*pred_parse_json(struct arena *, const char *, size_t len);

/*
 * The AND of the usable SQL predicateHints (n strings) over the
 * partition columns of md, in the arena; hints it cannot parse, and
 * those on other columns, are left out.  NULL when none is usable.
 */
struct pred	*pred_parse_sql(struct arena *, const struct delta_metadata *,
		    const char *const *hints, size_t n);

/*
 * Columns of a table as the evaluator needs them: top-level fields of
 * the schema with their Delta type and physical name (column mapping),
 * and whether each is a partition column.  Built once per request.
 */
struct pred_col {
	const char	*name;		/* logical */
	const char	*phys;		/* key in partitionValues and stats */
	const char	*type;		/* Delta type: "integer", "date"... */
	bool		 partition;
};

struct pred_schema {
	struct pred_col	*cols;
	size_t		 n;
};

/* From metadata (schemaString, partitionColumns); -1 if unparsable. */
int		 pred_schema(struct arena *, const struct delta_metadata *,
		    struct pred_schema *);

/*
 * Could a row of f satisfy p?  false only when no row can.  Uses f's
 * partitionValues and stats (JSON text); scratch memory in the arena.
 */
bool		 pred_keep(const struct pred *, const struct pred_schema *,
		    const struct delta_file *f, struct arena *);

#endif
