/*
 * delta_write_ckpt.h: write Delta checkpoints the way Spark and delta-rs
 * do, with our Parquet writer, for the test tables of src/mktable.
 *
 * The caller gives the state of the table at a version as the JSON text
 * of its actions, one object per line as in a commit: the protocol, the
 * metaData, txn and domainMetadata actions, the live adds and the
 * remove tombstones.  The checkpoint is written under
 * <dir>/_delta_log/ as one of:
 *
 *	classic		NNN.checkpoint.parquet (parts 1), or the multi-part
 *			NNN.checkpoint.PPPPPPPPPP.TTTTTTTTTT.parquet (parts
 *			T > 1: protocol, metaData, txn and domainMetadata in
 *			part 1, the file actions dealt round-robin)
 *	v2 json		NNN.checkpoint.<uuid>.json: the non-file actions, a
 *	v2 parquet	checkpointMetadata action, and either the file
 *			actions themselves (parts 0) or one sidecar action
 *			per file of _delta_log/_sidecars/ (parts > 0 Parquet
 *			files holding the adds and removes)
 *
 * Parquet files follow Spark's checkpoint schema (the checkpointSchema
 * Spark puts in _last_checkpoint): top-level txn, add, remove, metaData,
 * protocol, domainMetadata structs (plus checkpointMetadata and sidecar
 * in v2 checkpoints; sidecars hold add and remove only), maps as
 * map<string,string>, add.stats as a JSON string.  With stats_parsed,
 * add.stats is left null and add.stats_parsed holds the statistics as a
 * struct typed by the table schema (numRecords, minValues, maxValues,
 * nullCount; min/max for numeric, string, date and timestamp columns),
 * as Spark writes with delta.checkpoint.writeStatsAsJson=false and
 * writeStatsAsStruct=true.  _last_checkpoint is written when asked.
 *
 * Files appear whole (the Parquet writer renames into place, JSON files
 * are written to a temporary name first).  Nothing here reads the log:
 * the state is the caller's.
 */
#ifndef DS_DELTA_WRITE_CKPT_H
#define DS_DELTA_WRITE_CKPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parquet_write.h"

struct err;

enum delta_write_ckpt_kind {
	DELTA_WRITE_CKPT_CLASSIC,
	DELTA_WRITE_CKPT_V2_JSON,
	DELTA_WRITE_CKPT_V2_PARQUET
};

struct delta_write_ckpt_opts {
	enum delta_write_ckpt_kind kind;
	/* classic: parts (0 or 1: one file); v2: sidecar files (0: none) */
	size_t			 parts;
	bool			 stats_parsed;	/* stats as a struct only */
	const char		*uuid;		/* v2: the checkpoint's name */
	enum parquet_write_codec codec;
	bool			 last_checkpoint; /* write _last_checkpoint */
};

/*
 * Write the checkpoint of version under dir from the n action lines of
 * the state (each a JSON object with one action key; lines with other
 * keys are errors).  Lines are parsed one at a time as their rows are
 * written, so a malformed line is found then (the parts of a multi-part
 * checkpoint written before it stay).  Returns 0, or -1 with err set.
 */
int	delta_write_ckpt(const char *dir, int64_t version,
	    const char *const *lines, size_t n,
	    const struct delta_write_ckpt_opts *, struct err *);

#endif
