/*
 * listing.h: paged list responses, for discovery and admin lists alike.
 *
 * listing_begin() reads maxResults and pageToken the way the reference
 * server does (0 to 500, default 500; a bad or foreign token is a 400
 * "invalid 'nextPageToken'") and yields the keyset position to resume
 * from.  The handler fetches limit + 1 rows, writes up to limit items
 * with listing_item(), then listing_finish() sends
 * {"items":[...],"nextPageToken":"..."}, leaving out an empty items
 * array and an absent token as the reference does.
 *
 * listing_begin() is listing_parse() then listing_check().  The
 * discovery handlers call them apart, around the statement that checks
 * the caller's token and finds the listed share (schema): a bad
 * maxResults or pageToken is reported after a 401 or a 404, as when
 * those were separate statements, and the token's owner and scope are
 * checked against what that statement found.
 */
#ifndef DS_LISTING_H
#define DS_LISTING_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"
#include "jsonw.h"
#include "pagetoken.h"

struct req;

#define LISTING_MAX	500

struct listing {
	struct pagetoken pt;		/* pos1/pos2: where to resume */
	struct pagetoken got;		/* the pageToken, its tag checked */
	bool		 has_token;
	bool		 bad;		/* parsing failed: error in why */
	struct err	 why;
	int		 limit;		/* items wanted (0..500) */
	char		 fetch[16];	/* limit + 1, as a SQL parameter */
	char		 after1[24];	/* pt.pos1 as a SQL parameter */
	char		 after2[24];
	int		 nitems;
	struct buf	*items;		/* in the arena, released at reset */
	struct jsonw	 w;
};

int		 listing_begin(struct req *, struct listing *,
		    enum pagetoken_kind, int64_t owner, int64_t scope1,
		    int64_t scope2);
/*
 * maxResults and pageToken (its tag only): never fails, a bad one is
 * kept for listing_check() and fetches nothing.
 */
void		 listing_parse(struct req *, struct listing *,
		    enum pagetoken_kind);
/* The parse error, or a token of another kind, owner or scope: -1. */
int		 listing_check(struct req *, struct listing *, int64_t owner,
		    int64_t scope1, int64_t scope2);
/* Returns the writer positioned for one more item (a JSON value). */
struct jsonw	*listing_item(struct listing *);
/* more: another row exists past the last item, which was at pos1/pos2. */
int		 listing_finish(struct req *, struct listing *, bool more,
		    int64_t pos1, int64_t pos2);

#endif
