/*
 * delta_action.h: one action of a Delta log, and the parser of the JSON
 * lines of commit files.
 *
 * The same struct describes an action read from a JSON commit, from a
 * JSON or Parquet checkpoint, or from a sidecar, so log replay does not
 * care where it came from.  Actions keep their JSON text ("raw": the
 * value of the action key, e.g. the {...} of {"add":{...}}) because the
 * Delta Sharing "delta" response format passes actions through; parsed
 * fields are what replay and the parquet response format need.  The one
 * exception: add and remove actions of a Parquet checkpoint carry raw
 * only when asked (DELTA_WANT_RAW of delta_checkpoint.h, the raw flag of
 * a snapshot), since writing it costs more than the rest of their
 * reading.
 *
 * Strings and arrays live in the arena given to the parser.  Objects the
 * protocol keeps as JSON (partitionValues, configuration, tags, stats,
 * format options) are kept as JSON text, never re-serialised.
 * Integers absent from the log are -1 unless said otherwise; a JSON null
 * counts as absent.
 */
#ifndef DS_DELTA_ACTION_H
#define DS_DELTA_ACTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct err;

enum delta_action_kind {
	DELTA_UNKNOWN,			/* an action this reader skips; raw is
					   the whole line */
	DELTA_ADD,
	DELTA_REMOVE,
	DELTA_CDC,
	DELTA_METADATA,
	DELTA_PROTOCOL,
	DELTA_COMMIT_INFO,
	DELTA_TXN,
	DELTA_DOMAIN_METADATA,
	DELTA_CHECKPOINT_METADATA,	/* v2 checkpoints */
	DELTA_SIDECAR,			/* v2 checkpoints */
};

/* A deletion vector descriptor (Delta protocol, "Deletion Vectors"). */
struct delta_dv {
	char		 storage_type;	/* 'u', 'i' or 'p'; 0: no DV */
	const char	*path_or_inline;
	int32_t		 offset;	/* -1: absent */
	int32_t		 size;		/* sizeInBytes */
	int64_t		 cardinality;
	int64_t		 max_row_index;	/* -1: absent */
};

/* add, remove and cdc actions. */
struct delta_file {
	const char	*path;		/* as in the log: a URI-encoded relative
					   path, or an absolute URI */
	const char	*partition_values; /* JSON object text; "{}" if none */
	int64_t		 size;
	int64_t		 modification_time;	/* add */
	int64_t		 deletion_timestamp;	/* remove */
	bool		 data_change;	/* remove: true when absent, as Spark */
	bool		 extended_file_metadata; /* remove */
	const char	*stats;		/* the stats JSON text (unquoted), or
					   NULL */
	const char	*tags;		/* JSON object text, or NULL */
	struct delta_dv	 dv;
	int64_t		 base_row_id;
	int64_t		 default_row_commit_version;
};

struct delta_protocol {
	int		 min_reader;
	int		 min_writer;
	const char	**reader_features;	/* NULL when absent */
	size_t		 n_reader_features;
	const char	**writer_features;	/* NULL when absent */
	size_t		 n_writer_features;
};

struct delta_metadata {
	const char	*id;
	const char	*name;			/* NULL when absent */
	const char	*description;		/* NULL when absent */
	const char	*format_provider;	/* "parquet" */
	const char	*format_options;	/* JSON object text; "{}" if none */
	const char	*schema_string;		/* NULL when absent (some old
						   logs begin so); a snapshot
						   whose metaData has none is
						   an error for replay */
	const char	**partition_columns;
	size_t		 n_partition_columns;
	const char	*configuration;		/* JSON object text; "{}" if
						   absent */
	int64_t		 created_time;
};

/* commitInfo is free-form: a field of an unexpected type is absent. */
struct delta_commit_info {
	int64_t		 timestamp;		/* commitInfo.timestamp */
	int64_t		 in_commit_timestamp;	/* -1: absent; never of
						   another type */
	const char	*operation;		/* NULL when absent */
	const char	*operation_metrics;	/* JSON object text or NULL */
};

struct delta_txn {
	const char	*app_id;
	int64_t		 version;
	int64_t		 last_updated;
};

struct delta_domain_metadata {
	const char	*domain;
	const char	*configuration;		/* a string, as in the log */
	bool		 removed;
};

struct delta_sidecar {
	const char	*path;		/* relative to _delta_log/_sidecars */
	int64_t		 size;
	int64_t		 modification_time;
};

struct delta_action {
	enum delta_action_kind	 kind;
	const char		*raw;		/* JSON text of the value, or
						   NULL (see above) */
	size_t			 rawlen;
	union {
		struct delta_file		file;	/* ADD REMOVE CDC */
		struct delta_protocol		protocol;
		struct delta_metadata		metadata;
		struct delta_commit_info	commit_info;
		struct delta_txn		txn;
		struct delta_domain_metadata	domain;
		int64_t				checkpoint_version;
		struct delta_sidecar		sidecar;
	} u;
};

/*
 * Parse one line of a JSON commit or checkpoint (len bytes, no NUL
 * needed after them): an object with exactly one known action key.
 * Unknown keys beside it are ignored, as the protocol asks (Spark's own
 * test logs have them); a line of unknown keys only is DELTA_UNKNOWN
 * (replay skips it).  Invalid UTF-8, JSON that is not strict RFC 8259 or
 * nested over 32 levels, a \u0000 escape, a duplicate key, an empty
 * object, two known action keys, or a known action with missing or
 * mistyped required fields (deletion vectors checked with
 * delta_dv_validate()) is an error naming what is wrong, ERR_UPSTREAM
 * (ERR_TOO_LARGE for a line over 2 GiB); the caller adds the file name
 * and line number.  Paths are not resolved here: see delta_path.h.
 */
int	delta_action_parse(struct arena *, const char *line, size_t len,
	    struct delta_action *, struct err *);

/*
 * A callback on actions: 0 to go on, DELTA_STOP to stop early (no
 * error; the reader returns DELTA_STOP), -1 on error.
 */
typedef int (*delta_action_fn)(void *ctx, const struct delta_action *,
    struct err *);
#define DELTA_STOP	1

/*
 * Parse every non-blank line of buf (a whole commit file) and call fn on
 * each action in order; stops at the first error (fn's or the parser's),
 * whose message then names the line number, or when fn returns
 * DELTA_STOP (then returned, the lines after it unparsed).  One json-c tokener serves
 * all the lines.  The struct given to fn is valid during the call only
 * (copy it to keep it); the strings it points to live in the arena.
 */
int	delta_action_each(struct arena *, const char *buf, size_t len,
	    delta_action_fn fn, void *ctx, struct err *);

/*
 * The same over a piece of a file read in parts: *lineno is the number
 * of lines before buf, and counts buf's (to where it stopped).
 */
int	delta_action_lines(struct arena *, const char *buf, size_t len,
	    size_t *lineno, delta_action_fn fn, void *ctx, struct err *);

#endif
