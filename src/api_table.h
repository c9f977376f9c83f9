/*
 * api_table.h: the table data endpoints (protocol-notes §1.6-§1.9):
 * version (and the deprecated HEAD on the table), metadata, query and
 * changes, and what their handlers share.
 *
 * Every handler checks its parameters in the reference server's order,
 * finds the table among those granted to the recipient (404 otherwise),
 * replays its log, negotiates the response format from the client's
 * capabilities and the table's reader features, and streams NDJSON.
 */
#ifndef DS_API_TABLE_H
#define DS_API_TABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "api_lines.h"
#include "caps.h"
#include "catalog.h"
#include "pagetoken.h"

struct delta_metadata;
struct delta_protocol;
struct delta_snapshot;
struct delta_table;
struct cat_cred;
struct cred;
struct req;

int	table_version(struct req *);
int	table_head(struct req *);
int	table_metadata(struct req *);
int	table_query(struct req *);		/* api_query.c */
int	table_query_status(struct req *);	/* api_query.c */
int	table_changes(struct req *);		/* api_changes.c */

/* One table request, shared by the handlers. */
struct tq {
	struct req		*r;
	struct caps		 caps;
	struct cat_data_table	 ct;
	struct delta_table	*t;
	struct delta_snapshot	*latest;	/* once opened */
	struct lines		 l;
};

/* Read the capability headers (400 on a bad fileidhash). */
int	tq_caps(struct tq *, struct req *);

/* Find the table (404) and open its log. */
int	tq_open(struct tq *);
/* A table's stored credential, opened (NULL when it names none). */
int	tq_cred(struct req *, const struct cat_cred *, const struct cred **);

/* 400 unless the table is shared with its history. */
int	tq_need_history(struct tq *);

/* 400 when version lies before the table's startVersion. */
int	tq_check_start(struct tq *, int64_t version, const char *what);

/* The latest snapshot (opened once). */
int	tq_latest(struct tq *, struct delta_snapshot **);

/* The snapshot at version v, with the reference's error message. */
int	tq_snapshot(struct tq *, int64_t v, struct delta_snapshot **);

/*
 * Parse an ISO-8601 timestamp parameter and resolve it to a version: the
 * latest commit at or before it (before true) or the earliest at or after
 * it.  Out-of-range timestamps are 400s whose messages say which bound to
 * use; past_ok lets a timestamp after the last commit resolve to it.
 */
int	tq_version_at(struct tq *, const char *text, bool before,
	    bool past_ok, int64_t *v);

/*
 * Choose the response format for the snapshot's protocol and metadata,
 * refuse what the client cannot read (400), and prepare the lines.
 */
int	tq_negotiate(struct tq *, const struct delta_snapshot *);

/* Check another protocol and metadata (of a range) against format fmt. */
int	tq_check(struct tq *, const struct delta_protocol *,
	    const struct delta_metadata *, enum caps_format fmt);

/*
 * Send the headers (Delta-Table-Version hv, capabilities, fileidhash)
 * and start the NDJSON body; end_stream: the body will end with
 * endStreamAction.
 */
int	tq_start(struct tq *, int64_t hv, bool end_stream);

/*
 * Page and refresh tokens of table queries (pagetoken.h): a hash of the
 * query's other parameters, a new token valid ttl seconds, and opening
 * one with the reference's 400s (undecodable, expired, another table,
 * other parameters).
 */
int64_t	tq_hash(const void *, size_t);
char	*tq_token(struct tq *, enum pagetoken_kind, int64_t hash, int64_t p1,
	    int64_t p2, int64_t p3, int64_t ttl);
int	tq_open_token(struct tq *, const char *token, enum pagetoken_kind,
	    int64_t hash, struct pagetoken *);

/* Files per page for a client's maxFiles (capped); -1: no paging. */
int64_t	tq_page_size(const struct tq *, int64_t max_files);

/* Parse a query parameter as a version (>= 0); absent: *v = -1. */
int	tq_param_version(struct req *, const char *name, const char *errname,
	    int64_t *v);

#endif
