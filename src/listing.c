/*
 * listing.c: maxResults/pageToken handling and the list envelope
 * (see listing.h).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "conf.h"
#include "http_req.h"
#include "http_resp.h"
#include "listing.h"
#include "strutil.h"

static void
release_items(void *p)
{
	buf_release(p);
}

static int
parse(struct req *r, struct listing *l)
{
	const char	*v;
	int64_t		 n;
	int		 rc;

	if ((rc = req_query(r, "maxResults", &v)) == -1)
		return -1;
	if (rc == 1) {
		if (str_parse_i64(v, INT32_MIN, INT32_MAX, &n) == -1)
			return req_fail(r, ERR_BAD_PARAM, "expected a number but "
			    "the string didn't have the appropriate format");
		if (n < 0 || n > LISTING_MAX)
			return req_fail(r, ERR_BAD_PARAM, "Acceptable values of "
			    "'maxResults' are 0 to %d, inclusive. (Default: %d)",
			    LISTING_MAX, LISTING_MAX);
		l->limit = (int)n;
	}
	if ((rc = req_query(r, "pageToken", &v)) == -1)
		return -1;
	if (rc == 1 && *v != '\0') {
		if (pagetoken_read(r->conf->secret.data, r->conf->secret.len,
		    v, &l->got) == -1)
			return req_fail(r, ERR_BAD_PARAM,
			    "invalid 'nextPageToken'");
		l->has_token = true;
	}
	return 0;
}

void
listing_parse(struct req *r, struct listing *l, enum pagetoken_kind kind)
{
	memset(l, 0, sizeof(*l));
	l->pt.kind = kind;
	l->limit = LISTING_MAX;
	if (parse(r, l) == -1) {
		l->bad = true;
		l->why = r->err;
		err_clear(&r->err);
		l->limit = -1;		/* fetch nothing */
		l->has_token = false;
	}
	if (l->has_token) {
		l->pt.pos1 = l->got.pos1;
		l->pt.pos2 = l->got.pos2;
	}
	snprintf(l->fetch, sizeof(l->fetch), "%d", l->limit + 1);
	snprintf(l->after1, sizeof(l->after1), "%lld", (long long)l->pt.pos1);
	snprintf(l->after2, sizeof(l->after2), "%lld", (long long)l->pt.pos2);
	l->items = arena_alloc(r->arena, sizeof(*l->items));
	buf_init(l->items, 0);
	arena_defer(r->arena, release_items, l->items);
	jsonw_init(&l->w, l->items);
	jsonw_arr_open(&l->w);
}

int
listing_check(struct req *r, struct listing *l, int64_t owner,
    int64_t scope1, int64_t scope2)
{
	const struct pagetoken *g = &l->got;

	if (l->bad) {
		r->err = l->why;
		return -1;
	}
	if (l->has_token && (g->kind != l->pt.kind || g->owner != owner ||
	    g->scope1 != scope1 || g->scope2 != scope2 || g->pos1 < 0 ||
	    g->pos2 < 0))
		return req_fail(r, ERR_BAD_PARAM, "invalid 'nextPageToken'");
	l->pt.owner = owner;
	l->pt.scope1 = scope1;
	l->pt.scope2 = scope2;
	return 0;
}

int
listing_begin(struct req *r, struct listing *l, enum pagetoken_kind kind,
    int64_t owner, int64_t scope1, int64_t scope2)
{
	listing_parse(r, l, kind);
	return listing_check(r, l, owner, scope1, scope2);
}

struct jsonw *
listing_item(struct listing *l)
{
	l->nitems++;
	return &l->w;
}

int
listing_finish(struct req *r, struct listing *l, bool more, int64_t pos1,
    int64_t pos2)
{
	struct buf	 b;
	struct jsonw	 w;
	int		 rc;

	jsonw_arr_close(&l->w);
	buf_init(&b, 0);
	jsonw_init(&w, &b);
	jsonw_obj_open(&w);
	if (l->nitems > 0) {
		jsonw_key(&w, "items");
		jsonw_raw(&w, buf_str(l->items));
	}
	if (more) {
		l->pt.pos1 = pos1;
		l->pt.pos2 = pos2;
		jsonw_key(&w, "nextPageToken");
		jsonw_str(&w, pagetoken_encode(r->arena, r->conf->secret.data,
		    r->conf->secret.len, &l->pt));
	}
	jsonw_obj_close(&w);
	rc = resp_json(r, 200, &b);
	buf_release(&b);
	return rc;
}
