/*
 * delta_write.h: write Delta Lake commit files (_delta_log/NNN.json).
 *
 * A commit is built in memory as NDJSON, one action per line, then
 * written atomically under the table directory:
 *
 *	delta_write_commit_init(&c, 0);
 *	delta_write_commit_info(&c, &info);
 *	delta_write_protocol(&c, 1, 2);
 *	delta_write_metadata(&c, &meta);
 *	delta_write_add(&c, &add);		(as many as needed)
 *	if (delta_write_commit_finish(&c, dir, &err) == -1) ...
 *	delta_write_commit_release(&c);
 *
 * The action fields follow the Delta transaction protocol (PROTOCOL.md):
 * metaData.schemaString is the Spark StructType as a JSON string,
 * add.stats a JSON string with numRecords, minValues, maxValues and
 * nullCount, and paths are relative to the table root and URI-encoded.
 * Helpers build the pieces: the Spark-escaped partition directory, the
 * URI form of a path, the stats string.
 *
 * This module writes only; it does not read logs, take checkpoints or
 * check that a commit makes sense against the previous versions.
 */
#ifndef DS_DELTA_WRITE_H
#define DS_DELTA_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

struct err;

/* A string pair; value NULL is written as JSON null. */
struct delta_write_kv {
	const char	*key;
	const char	*value;
};

/* A column of the table schema (metaData.schemaString). */
struct delta_write_field {
	const char	*name;
	/* A primitive type name ("long", "string", "timestamp",
	 * "decimal(10,2)"...), or the JSON text of a nested type, which
	 * starts with '{' and is copied as is. */
	const char	*type;
	bool		 nullable;
};

struct delta_write_metadata {
	const char			*id;	/* NULL: a random UUID */
	const char			*name;	/* NULL: left out */
	const char			*description;	/* NULL: left out */
	const struct delta_write_field	*fields;
	size_t				 nfields;
	const char *const		*partition_columns;
	size_t				 npartition_columns;
	const struct delta_write_kv	*configuration;
	size_t				 nconfiguration;
	int64_t				 created_time;	/* ms since epoch */
};

struct delta_write_add {
	const char			*path;	/* URI-encoded, relative */
	const struct delta_write_kv	*partition_values;
	size_t				 npartition_values;
	int64_t				 size;
	int64_t				 modification_time;	/* ms */
	bool				 data_change;
	const char			*stats;	/* JSON text; NULL: none */
	const struct delta_write_kv	*tags;
	size_t				 ntags;
};

struct delta_write_remove {
	const char			*path;	/* URI-encoded, relative */
	int64_t				 deletion_timestamp;	/* ms */
	bool				 data_change;
	bool				 extended_file_metadata;
	const struct delta_write_kv	*partition_values;
	size_t				 npartition_values;
	int64_t				 size;
};

struct delta_write_commit_info {
	int64_t				 timestamp;	/* ms */
	const char			*operation;	/* "WRITE", "DELETE" */
	/* operationParameters; Spark writes every value as a string. */
	const struct delta_write_kv	*parameters;
	size_t				 nparameters;
	int64_t				 read_version;	/* -1: left out */
	bool				 blind_append;
	const char			*engine_info;	/* NULL: ours */
};

/* Statistics of one column for delta_write_stats(). */
enum delta_write_stat_type {
	DELTA_STAT_LONG,	/* byte, short, integer, long: .i */
	DELTA_STAT_DOUBLE,	/* float, double: .d (non-finite: left out) */
	DELTA_STAT_STRING,	/* .s, UTF-8 */
	DELTA_STAT_DATE,	/* .i days since 1970-01-01 */
	DELTA_STAT_TIMESTAMP,	/* .i microseconds since the epoch, UTC */
	DELTA_STAT_NONE		/* nullCount only (boolean, binary...) */
};

struct delta_write_stat {
	const char			*name;
	enum delta_write_stat_type	 type;
	bool				 has_minmax;
	union {
		int64_t		 i;
		double		 d;
		const char	*s;
	}				 min, max;
	int64_t				 null_count;
};

struct delta_write_commit {
	int64_t		 version;
	struct buf	 b;
};

void	delta_write_commit_init(struct delta_write_commit *, int64_t version);
void	delta_write_commit_release(struct delta_write_commit *);

/* Append one action line each. */
void	delta_write_protocol(struct delta_write_commit *, int min_reader,
	    int min_writer);
void	delta_write_metadata(struct delta_write_commit *,
	    const struct delta_write_metadata *);
void	delta_write_add(struct delta_write_commit *,
	    const struct delta_write_add *);
void	delta_write_remove(struct delta_write_commit *,
	    const struct delta_write_remove *);
/* A cdc action (change data file): path, partitionValues and size. */
void	delta_write_cdc(struct delta_write_commit *,
	    const struct delta_write_add *);
void	delta_write_commit_info(struct delta_write_commit *,
	    const struct delta_write_commit_info *);

/*
 * Write the commit as <dir>/_delta_log/<version, 20 digits>.json,
 * creating _delta_log if needed.  The file appears whole or not at all
 * (written to a temporary name, synced, then hard-linked into place), and
 * an existing version is never replaced: that fails with ERR_EXISTS.
 * Returns 0, or -1 with err set.
 */
int	delta_write_commit_finish(struct delta_write_commit *, const char *dir,
	    struct err *);

/*
 * Append the directory name "<col>=<value>" of a partition, escaped the
 * way Spark escapes partition paths (control characters and
 * "#%'*\/:=?[]^{}\x7f as %XX; other bytes, UTF-8 included, as is).  A
 * NULL value is Hive's __HIVE_DEFAULT_PARTITION__.
 */
void	delta_write_partition_dir(struct buf *, const char *col,
	    const char *value);

/*
 * Append path (relative, '/'-separated, as on disk) in the URI-encoded
 * form add and remove actions use: every byte outside the RFC 2396 path
 * characters, non-ASCII included, becomes %XX.  "a b/c" -> "a%20b/c".
 */
void	delta_write_uri_path(struct buf *, const char *path);

/*
 * Append the stats JSON text for a file of num_records rows:
 * {"numRecords":N,"minValues":{...},"maxValues":{...},"nullCount":{...}}.
 * Dates are written "YYYY-MM-DD", timestamps "YYYY-MM-DDTHH:MM:SS.mmmZ"
 * (the minimum truncated to the millisecond, the maximum rounded up, so
 * the bounds stay bounds).  Strings are written whole.
 */
void	delta_write_stats(struct buf *, int64_t num_records,
	    const struct delta_write_stat *, size_t n);

#endif
