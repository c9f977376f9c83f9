/*
 * catalog.h: what one recipient may see: shares granted to it, their
 * schemas and tables.  Typed reads over db.c for the sharing API.
 *
 * A share that exists but is not granted is reported exactly like one
 * that does not exist (404 "share 'x' not found"), so recipients cannot
 * probe for other shares.  Strings are in the arena.
 */
#ifndef DS_CATALOG_H
#define DS_CATALOG_H

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct db;
struct err;
struct principal;

struct cat_share {
	int64_t		 id;
	const char	*uuid;
	const char	*name;
	const char	*comment;
};

struct cat_schema {
	int64_t		 id;
	const char	*name;
};

struct cat_table {
	int64_t		 id;		/* share_table.id: keyset position */
	const char	*name;		/* as shared (alias or table name) */
	const char	*uuid;		/* the Delta table's stable id */
	int64_t		 schema_id;
	const char	*schema;
};

/* A table a recipient reads data from, with what serving it needs. */
/* A table's stored credential as in the catalog (name NULL: none). */
struct cat_cred {
	const char	*name, *kind, *settings, *sealed;
};

struct cat_data_table {
	int64_t		 id;		/* share_table.id */
	int64_t		 table_id;	/* delta_table.id */
	const char	*share;		/* names as configured */
	const char	*schema;
	const char	*name;
	const char	*uuid;
	const char	*location;
	bool		 history_shared;
	int64_t		 start_version;
	bool		 proxy;		/* files through {prefix}/files */
	struct cat_cred	 cred;
};

/*
 * Every read names the caller by its principal, pending or not
 * (auth.h): the token is checked by the read's own statement, which
 * settles the principal (401 on failure) before anything else is
 * looked at.  Then 404 for a share (schema) not granted or missing.
 */
int	catalog_share(struct db *, struct arena *, struct principal *,
	    const char *name, struct cat_share *, struct err *);

/*
 * Lists: up to fetch rows after the keyset position; *out is an arena
 * array of *n entries.  The share (and schema) they belong to are
 * looked up by name on the way and returned in s (sc).
 */
int	catalog_shares(struct db *, struct arena *, struct principal *,
	    const char *after, const char *fetch, struct cat_share **out,
	    int *n, struct err *);
int	catalog_schemas(struct db *, struct arena *, struct principal *,
	    const char *share, const char *after, const char *fetch,
	    struct cat_share *s, struct cat_schema **out, int *n,
	    struct err *);
int	catalog_tables(struct db *, struct arena *, struct principal *,
	    const char *share, const char *schema, const char *after,
	    const char *fetch, struct cat_share *s, struct cat_schema *sc,
	    struct cat_table **out, int *n, struct err *);
int	catalog_all_tables(struct db *, struct arena *, struct principal *,
	    const char *share, const char *after_schema,
	    const char *after_table, const char *fetch, struct cat_share *s,
	    struct cat_table **out, int *n, struct err *);

/*
 * The table share.schema.table as granted to the caller; 404 with the
 * reference's message (names as the caller spelled them) otherwise.
 */
int	catalog_data_table(struct db *, struct arena *, struct principal *,
	    const char *share, const char *schema, const char *table,
	    struct cat_data_table *, struct err *);

/* The location of a registered table; 404 if it is gone. */
int	catalog_table_location(struct db *, struct arena *, int64_t table_id,
	    const char **location, struct cat_cred *, struct err *);

#endif
