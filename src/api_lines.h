/*
 * api_lines.h: the NDJSON lines of the table data endpoints, in both
 * response formats (protocol-notes §1.13 parquet, §1.14 delta), and the
 * file URLs they carry.
 *
 * A struct lines holds what every line of one response shares: the
 * format, the signer of file URLs, the file id hash, and the running
 * count of files and earliest URL expiry (for endStreamAction).  Lines
 * are written straight to the response.
 */
#ifndef DS_API_LINES_H
#define DS_API_LINES_H

#include <stdbool.h>
#include <stdint.h>

#include "caps.h"

struct cat_data_table;
struct delta_action;
struct delta_file;
struct delta_metadata;
struct delta_protocol;
struct fileurl_key;
struct arena;
struct buf;
struct req;
struct snapcache_entry;
struct storage;

/* What kind of file line: a snapshot file, or a change of a commit. */
enum lines_kind {
	LINE_FILE,		/* {"file":...} */
	LINE_ADD,		/* {"add":...} in parquet format */
	LINE_REMOVE,
	LINE_CDF,
};

struct lines {
	struct req			*r;
	const struct cat_data_table	*ct;
	struct storage			*st;	/* the table's storage */
	const char			*root;	/* storage root of the table */
	const char			*endpoint;
	struct arena			*scratch; /* per file line */
	struct fileurl_key		*fk;	/* file URLs: prepared once */
	enum caps_format		 fmt;
	bool				 sha256; /* file ids */
	bool				 real_protocol; /* delta: pass through */
	bool				 cdf_config; /* parquet configuration */
	int64_t				 expires_ms;
	int64_t				 nfiles;
	int64_t				 min_expiry;	/* 0: no URL yet */
	/* A file line's pieces (api_lines.c). */
	struct buf			*part;	/* what no request changes */
	struct buf			*qurl;	/* its URL, quoted */
	char				*qbase;	/* "{endpoint}/files/ */
	size_t				 qbaselen;
	char				 times[128]; /* ,"version":... */
	size_t				 times_len;
	int64_t				 times_version, times_ts;
	char				 memo_lines[32]; /* memo kinds */
	char				 memo_urls[32];
	struct snapcache_entry		*memo_e; /* their slots in it */
	uint64_t			 memo_epoch;
	int				 slot_lines, slot_urls;
};

void	lines_init(struct lines *, struct req *, const struct cat_data_table *,
	    struct storage *, const char *root, enum caps_format,
	    const struct caps *);

int	lines_protocol(struct lines *, const struct delta_action *protocol,
	    int64_t version);
int	lines_metadata(struct lines *, const struct delta_action *metadata,
	    int64_t version);

/*
 * One file line; version and timestamp -1 leave them out.  key is the
 * file's storage key when the caller has it checked already (replay
 * does), else NULL.  Fails (400 or 502) when a path or deletion vector
 * lies outside the table root.
 */
int	lines_file(struct lines *, enum lines_kind, const struct delta_action *,
	    const char *key, int64_t version, int64_t timestamp);

/* The endStreamAction line (tokens may be NULL). */
int	lines_end(struct lines *, const char *next_page,
	    const char *refresh, const char *error);

#endif
