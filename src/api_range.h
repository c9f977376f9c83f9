/*
 * api_range.h: the commits of a version range as lines: startingVersion
 * queries (protocol-notes §1.8.2) and the change data feed (§1.9).
 *
 * The range is read whole before the first byte goes out, so a protocol
 * change the client cannot read, or a commit where change data was not
 * recorded, is still a 400 and never a cut stream.  Paging resumes at a
 * (version, file index) position, so a page never repeats or skips a
 * file.
 */
#ifndef DS_API_RANGE_H
#define DS_API_RANGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "delta_action.h"

struct arena;
struct tq;

struct range_act {
	int64_t			 version;
	int64_t			 timestamp;
	struct delta_action	 a;
};

struct range {
	struct arena		*a;
	struct range_act	*v;
	size_t			 n;
	size_t			 cap;
};

enum range_mode {
	RANGE_STREAM,		/* query with startingVersion */
	RANGE_CDF,		/* changes */
};

struct range_opts {
	enum range_mode	 mode;
	int64_t		 start;		/* first version of the request */
	bool		 hist_metadata;	/* metaData lines after start */
	bool		 hist_protocol;	/* protocol lines after start (delta) */
	int64_t		 max_files;	/* -1: one page */
	int64_t		 from_v;	/* resume here (first page: start) */
	int64_t		 from_k;	/* file lines of from_v already sent */
};

/* Read the commits from..end (end clamped to the latest). */
int	range_collect(struct tq *, int64_t from, int64_t end, struct range *);

/*
 * 400 unless every protocol and metadata of the range can be served in
 * the negotiated format; for RANGE_CDF also unless change data was
 * recorded from start to end (start_md: the metadata at start).
 */
int	range_check(struct tq *, const struct range *,
	    const struct range_opts *, const struct delta_action *start_md,
	    int64_t end);

/*
 * Write the range's lines.  When a page fills, *next_v and *next_k say
 * where the next page starts; else *next_v is -1.
 */
int	range_emit(struct tq *, const struct range *,
	    const struct range_opts *, int64_t *next_v, int64_t *next_k);

#endif
