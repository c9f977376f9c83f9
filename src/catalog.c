/*
 * catalog.c: recipient-scoped catalog reads (see catalog.h).
 *
 * Each read is one statement (db_stmt.c) whose rows start with the
 * caller's token columns, then the share (and schema) named in the
 * URL, then the listed objects, LEFT JOINed so that a row comes back
 * as long as the token exists: a NULL share id says "not granted or
 * missing", a NULL listed id "nothing to list".
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "auth.h"
#include "catalog.h"
#include "db.h"
#include "err.h"

/* Columns after the token's: the share, then what each read adds. */
#define C_SHARE		AUTH_TOKEN_NCOLS
#define C_AFTER_SHARE	(C_SHARE + 4)

static const char *
num(struct arena *a, int64_t v)
{
	return arena_printf(a, "%lld", (long long)v);
}

/* Run a read and settle the caller's token with it. */
static int
read_as(struct db *db, struct arena *a, struct principal *who,
    enum db_stmt id, const char *const *p, struct db_res **res,
    struct err *e)
{
	if (db_exec(db, a, id, p, res, e) == -1)
		return -1;
	return auth_settle(who, *res, a, e);
}

static void
share_row(struct arena *a, const struct db_res *res, int i, int col,
    struct cat_share *s)
{
	s->id = db_i64(res, i, col);
	s->uuid = arena_strdup(a, db_val(res, i, col + 1));
	s->name = arena_strdup(a, db_val(res, i, col + 2));
	s->comment = arena_strdup(a, db_val(res, i, col + 3));
}

/* The share of row 0, or 404. */
static int
the_share(struct arena *a, const struct db_res *res, const char *name,
    struct cat_share *s, struct err *e)
{
	if (db_val(res, 0, C_SHARE) == NULL)
		return err_set(e, ERR_NOT_FOUND, "share '%s' not found", name);
	share_row(a, res, 0, C_SHARE, s);
	return 0;
}

/* Rows whose column col is set: all of them, or none. */
static int
listed(const struct db_res *res, int col)
{
	return db_val(res, 0, col) == NULL ? 0 : db_rows(res);
}

int
catalog_share(struct db *db, struct arena *a, struct principal *who,
    const char *name, struct cat_share *out, struct err *e)
{
	struct db_res	*res;
	const char	*p[2] = { who->token_id, name };

	if (read_as(db, a, who, STMT_CAT_SHARE, p, &res, e) == -1)
		return -1;
	return the_share(a, res, name, out, e);
}

int
catalog_shares(struct db *db, struct arena *a, struct principal *who,
    const char *after, const char *fetch, struct cat_share **out, int *n,
    struct err *e)
{
	struct db_res	*res;
	const char	*p[3] = { who->token_id, after, fetch };
	int		 i;

	if (read_as(db, a, who, STMT_CAT_SHARES, p, &res, e) == -1)
		return -1;
	*n = listed(res, C_SHARE);
	*out = arena_calloc(a, (size_t)*n + 1, sizeof(**out));
	for (i = 0; i < *n; i++)
		share_row(a, res, i, C_SHARE, &(*out)[i]);
	return 0;
}

int
catalog_schemas(struct db *db, struct arena *a, struct principal *who,
    const char *share, const char *after, const char *fetch,
    struct cat_share *s, struct cat_schema **out, int *n, struct err *e)
{
	struct db_res	*res;
	const char	*p[4] = { who->token_id, share, after, fetch };
	int		 i;

	if (read_as(db, a, who, STMT_CAT_SCHEMAS, p, &res, e) == -1 ||
	    the_share(a, res, share, s, e) == -1)
		return -1;
	*n = listed(res, C_AFTER_SHARE);
	*out = arena_calloc(a, (size_t)*n + 1, sizeof(**out));
	for (i = 0; i < *n; i++) {
		(*out)[i].id = db_i64(res, i, C_AFTER_SHARE);
		(*out)[i].name = arena_strdup(a, db_val(res, i,
		    C_AFTER_SHARE + 1));
	}
	return 0;
}

/* Table rows from column col: id, name, uuid[, schema id, schema]. */
static void
table_rows(struct arena *a, const struct db_res *res, int col,
    struct cat_table **out, int *n, int64_t schema_id)
{
	int	 i;

	*n = listed(res, col);
	*out = arena_calloc(a, (size_t)*n + 1, sizeof(**out));
	for (i = 0; i < *n; i++) {
		(*out)[i].id = db_i64(res, i, col);
		(*out)[i].name = arena_strdup(a, db_val(res, i, col + 1));
		(*out)[i].uuid = arena_strdup(a, db_val(res, i, col + 2));
		if (schema_id == 0) {
			(*out)[i].schema_id = db_i64(res, i, col + 3);
			(*out)[i].schema = arena_strdup(a,
			    db_val(res, i, col + 4));
		} else
			(*out)[i].schema_id = schema_id;
	}
}

int
catalog_tables(struct db *db, struct arena *a, struct principal *who,
    const char *share, const char *schema, const char *after,
    const char *fetch, struct cat_share *s, struct cat_schema *sc,
    struct cat_table **out, int *n, struct err *e)
{
	struct db_res	*res;
	const char	*p[5] = { who->token_id, share, schema, after, fetch };

	if (read_as(db, a, who, STMT_CAT_TABLES, p, &res, e) == -1 ||
	    the_share(a, res, share, s, e) == -1)
		return -1;
	if (db_val(res, 0, C_AFTER_SHARE) == NULL)
		return err_set(e, ERR_NOT_FOUND, "schema '%s' not found",
		    schema);
	sc->id = db_i64(res, 0, C_AFTER_SHARE);
	sc->name = arena_strdup(a, db_val(res, 0, C_AFTER_SHARE + 1));
	table_rows(a, res, C_AFTER_SHARE + 2, out, n, sc->id);
	return 0;
}

int
catalog_all_tables(struct db *db, struct arena *a, struct principal *who,
    const char *share, const char *after_schema, const char *after_table,
    const char *fetch, struct cat_share *s, struct cat_table **out, int *n,
    struct err *e)
{
	struct db_res	*res;
	const char	*p[5] = { who->token_id, share, after_schema,
			    after_table, fetch };

	if (read_as(db, a, who, STMT_CAT_ALL_TABLES, p, &res, e) == -1 ||
	    the_share(a, res, share, s, e) == -1)
		return -1;
	table_rows(a, res, C_AFTER_SHARE, out, n, 0);
	return 0;
}

/* Columns col.. of a row: credential name, kind, settings, sealed. */
static void
cred_cols(struct arena *a, struct db_res *res, int col, struct cat_cred *c)
{
	memset(c, 0, sizeof(*c));
	if (db_val(res, 0, col) == NULL)
		return;
	c->name = arena_strdup(a, db_val(res, 0, col));
	c->kind = arena_strdup(a, db_val(res, 0, col + 1));
	c->settings = arena_strdup(a, db_val(res, 0, col + 2));
	c->sealed = arena_strdup(a, db_val(res, 0, col + 3));
}

int
catalog_data_table(struct db *db, struct arena *a, struct principal *who,
    const char *share, const char *schema, const char *table,
    struct cat_data_table *t, struct err *e)
{
	struct db_res	*res;
	const char	*p[4] = { who->token_id, share, schema, table };
	int		 c = AUTH_TOKEN_NCOLS;

	if (read_as(db, a, who, STMT_CAT_DATA_TABLE, p, &res, e) == -1)
		return -1;
	if (db_val(res, 0, c) == NULL)
		return err_set(e, ERR_NOT_FOUND, "[Share/Schema/Table] "
		    "'%.255s/%.255s/%.255s' does not exist, please contact "
		    "your share provider for further information.", share,
		    schema, table);
	t->id = db_i64(res, 0, c);
	t->table_id = db_i64(res, 0, c + 1);
	t->share = arena_strdup(a, db_val(res, 0, c + 2));
	t->schema = arena_strdup(a, db_val(res, 0, c + 3));
	t->name = arena_strdup(a, db_val(res, 0, c + 4));
	t->uuid = arena_strdup(a, db_val(res, 0, c + 5));
	t->location = arena_strdup(a, db_val(res, 0, c + 6));
	t->history_shared = db_val(res, 0, c + 7)[0] == 't';
	t->start_version = db_i64(res, 0, c + 8);
	t->proxy = strcmp(db_val(res, 0, c + 9), "proxy") == 0;
	cred_cols(a, res, c + 10, &t->cred);
	return 0;
}

int
catalog_table_location(struct db *db, struct arena *a, int64_t table_id,
    const char **location, struct cat_cred *c, struct err *e)
{
	struct db_res	*res;
	const char	*p[1] = { num(a, table_id) };

	if (db_exec(db, a, STMT_CAT_TABLE_LOCATION, p, &res, e) == -1)
		return -1;
	if (db_rows(res) != 1)
		return err_set(e, ERR_NOT_FOUND, "no such file");
	*location = arena_strdup(a, db_val(res, 0, 0));
	cred_cols(a, res, 1, c);
	return 0;
}
