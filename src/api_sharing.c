/*
 * api_sharing.c: the discovery endpoints (see api_sharing.h).
 *
 * Shapes follow the reference server: list items carry the share (and
 * schema) as the caller spelled them in the URL, names of the listed
 * objects as configured; empty item arrays and absent page tokens are
 * left out.  Share and table ids are the catalog's stable UUIDs.
 */
#include "config.h"

#include "api_sharing.h"
#include "catalog.h"
#include "http_req.h"
#include "http_resp.h"
#include "jsonw.h"
#include "listing.h"

static void
share_json(struct jsonw *w, const struct cat_share *s)
{
	jsonw_obj_open(w);
	jsonw_key(w, "name");
	jsonw_str(w, s->name);
	jsonw_key(w, "id");
	jsonw_str(w, s->uuid);
	if (s->comment != NULL && *s->comment != '\0') {
		jsonw_key(w, "comment");
		jsonw_str(w, s->comment);
	}
	jsonw_obj_close(w);
}

static void
table_json(struct jsonw *w, const struct cat_table *t, const char *schema,
    const char *share, const struct cat_share *s)
{
	jsonw_obj_open(w);
	jsonw_key(w, "name");
	jsonw_str(w, t->name);
	jsonw_key(w, "schema");
	jsonw_str(w, schema);
	jsonw_key(w, "share");
	jsonw_str(w, share);
	jsonw_key(w, "shareId");
	jsonw_str(w, s->uuid);
	jsonw_key(w, "id");
	jsonw_str(w, t->uuid);
	jsonw_obj_close(w);
}

/*
 * Each handler makes one catalog read, which also checks the caller's
 * token (see catalog.h); the listing's parameters are parsed before and
 * their errors reported after it, in the order of the reference: 401,
 * 404 for the share (schema), then 400.
 */
int
sharing_list_shares(struct req *r)
{
	struct listing	 l;
	struct cat_share *s;
	int		 n, i;

	listing_parse(r, &l, PT_SHARES);
	if (catalog_shares(r->db, r->arena, &r->who, l.after1, l.fetch, &s,
	    &n, &r->err) == -1 ||
	    listing_check(r, &l, r->who.id, 0, 0) == -1)
		return -1;
	for (i = 0; i < n && i < l.limit; i++)
		share_json(listing_item(&l), &s[i]);
	return listing_finish(r, &l, n > l.limit,
	    l.limit > 0 && n > 0 ? s[i - 1].id : l.pt.pos1, 0);
}

int
sharing_get_share(struct req *r)
{
	struct cat_share s;
	struct buf	 b;
	struct jsonw	 w;
	int		 rc;

	if (catalog_share(r->db, r->arena, &r->who, r->args[0], &s,
	    &r->err) == -1)
		return -1;
	buf_init(&b, 0);
	jsonw_init(&w, &b);
	jsonw_obj_open(&w);
	jsonw_key(&w, "share");
	share_json(&w, &s);
	jsonw_obj_close(&w);
	rc = resp_json(r, 200, &b);
	buf_release(&b);
	return rc;
}

int
sharing_list_schemas(struct req *r)
{
	struct cat_share s;
	struct cat_schema *sc;
	struct listing	 l;
	struct jsonw	*w;
	int		 n, i;

	listing_parse(r, &l, PT_SCHEMAS);
	if (catalog_schemas(r->db, r->arena, &r->who, r->args[0], l.after1,
	    l.fetch, &s, &sc, &n, &r->err) == -1 ||
	    listing_check(r, &l, r->who.id, s.id, 0) == -1)
		return -1;
	for (i = 0; i < n && i < l.limit; i++) {
		w = listing_item(&l);
		jsonw_obj_open(w);
		jsonw_key(w, "name");
		jsonw_str(w, sc[i].name);
		jsonw_key(w, "share");
		jsonw_str(w, r->args[0]);
		jsonw_obj_close(w);
	}
	return listing_finish(r, &l, n > l.limit,
	    l.limit > 0 && n > 0 ? sc[i - 1].id : l.pt.pos1, 0);
}

int
sharing_list_tables(struct req *r)
{
	struct cat_share s;
	struct cat_schema sc;
	struct cat_table *t;
	struct listing	 l;
	int		 n, i;

	listing_parse(r, &l, PT_TABLES);
	if (catalog_tables(r->db, r->arena, &r->who, r->args[0], r->args[1],
	    l.after1, l.fetch, &s, &sc, &t, &n, &r->err) == -1 ||
	    listing_check(r, &l, r->who.id, s.id, sc.id) == -1)
		return -1;
	for (i = 0; i < n && i < l.limit; i++)
		table_json(listing_item(&l), &t[i], r->args[1], r->args[0], &s);
	return listing_finish(r, &l, n > l.limit,
	    l.limit > 0 && n > 0 ? t[i - 1].id : l.pt.pos1, 0);
}

int
sharing_list_all_tables(struct req *r)
{
	struct cat_share s;
	struct cat_table *t;
	struct listing	 l;
	int		 n, i;
	int64_t		 pos1, pos2;

	listing_parse(r, &l, PT_ALL_TABLES);
	if (catalog_all_tables(r->db, r->arena, &r->who, r->args[0],
	    l.after1, l.after2, l.fetch, &s, &t, &n, &r->err) == -1 ||
	    listing_check(r, &l, r->who.id, s.id, 0) == -1)
		return -1;
	for (i = 0; i < n && i < l.limit; i++)
		table_json(listing_item(&l), &t[i], t[i].schema, r->args[0],
		    &s);
	pos1 = l.pt.pos1;
	pos2 = l.pt.pos2;
	if (l.limit > 0 && n > 0) {
		pos1 = t[i - 1].schema_id;
		pos2 = t[i - 1].id;
	}
	return listing_finish(r, &l, n > l.limit, pos1, pos2);
}
