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
 */
#ifndef DS_LISTING_H
#define DS_LISTING_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "jsonw.h"
#include "pagetoken.h"

struct req;

#define LISTING_MAX	500

struct listing {
	struct pagetoken pt;		/* pos1/pos2: where to resume */
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
/* Returns the writer positioned for one more item (a JSON value). */
struct jsonw	*listing_item(struct listing *);
/* more: another row exists past the last item, which was at pos1/pos2. */
int		 listing_finish(struct req *, struct listing *, bool more,
		    int64_t pos1, int64_t pos2);

#endif
