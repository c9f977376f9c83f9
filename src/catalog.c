/*
 * catalog.c: recipient-scoped catalog reads (see catalog.h).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "catalog.h"
#include "db.h"
#include "err.h"

static const char *
num(struct arena *a, int64_t v)
{
	return arena_printf(a, "%lld", (long long)v);
}

static void
share_row(struct arena *a, const struct db_res *res, int i,
    struct cat_share *s)
{
	s->id = db_i64(res, i, 0);
	s->uuid = arena_strdup(a, db_val(res, i, 1));
	s->name = arena_strdup(a, db_val(res, i, 2));
	s->comment = arena_strdup(a, db_val(res, i, 3));
}

int
catalog_share(struct db *db, struct arena *a, int64_t recipient,
    const char *name, struct cat_share *out, struct err *e)
{
	struct db_res	*res;
	const char	*p[2] = { num(a, recipient), name };

	if (db_exec(db, a, STMT_CAT_SHARE, p, &res, e) == -1)
		return -1;
	if (db_rows(res) != 1)
		return err_set(e, ERR_NOT_FOUND, "share '%s' not found", name);
	share_row(a, res, 0, out);
	return 0;
}

int
catalog_schema(struct db *db, struct arena *a, int64_t share,
    const char *name, struct cat_schema *out, struct err *e)
{
	struct db_res	*res;
	const char	*p[2] = { num(a, share), name };

	if (db_exec(db, a, STMT_CAT_SCHEMA, p, &res, e) == -1)
		return -1;
	if (db_rows(res) != 1)
		return err_set(e, ERR_NOT_FOUND, "schema '%s' not found", name);
	out->id = db_i64(res, 0, 0);
	out->name = arena_strdup(a, db_val(res, 0, 1));
	return 0;
}

int
catalog_shares(struct db *db, struct arena *a, int64_t recipient,
    const char *after, const char *fetch, struct cat_share **out, int *n,
    struct err *e)
{
	struct db_res	*res;
	const char	*p[3] = { num(a, recipient), after, fetch };
	int		 i;

	if (db_exec(db, a, STMT_CAT_SHARES, p, &res, e) == -1)
		return -1;
	*n = db_rows(res);
	*out = arena_calloc(a, (size_t)*n + 1, sizeof(**out));
	for (i = 0; i < *n; i++)
		share_row(a, res, i, &(*out)[i]);
	return 0;
}

int
catalog_schemas(struct db *db, struct arena *a, int64_t share,
    const char *after, const char *fetch, struct cat_schema **out, int *n,
    struct err *e)
{
	struct db_res	*res;
	const char	*p[3] = { num(a, share), after, fetch };
	int		 i;

	if (db_exec(db, a, STMT_CAT_SCHEMAS, p, &res, e) == -1)
		return -1;
	*n = db_rows(res);
	*out = arena_calloc(a, (size_t)*n + 1, sizeof(**out));
	for (i = 0; i < *n; i++) {
		(*out)[i].id = db_i64(res, i, 0);
		(*out)[i].name = arena_strdup(a, db_val(res, i, 1));
	}
	return 0;
}

static void
table_rows(struct arena *a, const struct db_res *res, struct cat_table **out,
    int *n, int64_t schema_id)
{
	int	 i;

	*n = db_rows(res);
	*out = arena_calloc(a, (size_t)*n + 1, sizeof(**out));
	for (i = 0; i < *n; i++) {
		(*out)[i].id = db_i64(res, i, 0);
		(*out)[i].name = arena_strdup(a, db_val(res, i, 1));
		(*out)[i].uuid = arena_strdup(a, db_val(res, i, 2));
		if (db_val(res, i, 3) != NULL) {
			(*out)[i].schema_id = db_i64(res, i, 3);
			(*out)[i].schema = arena_strdup(a, db_val(res, i, 4));
		} else
			(*out)[i].schema_id = schema_id;
	}
}

int
catalog_tables(struct db *db, struct arena *a, int64_t schema,
    const char *after, const char *fetch, struct cat_table **out, int *n,
    struct err *e)
{
	struct db_res	*res;
	const char	*p[3] = { num(a, schema), after, fetch };

	if (db_exec(db, a, STMT_CAT_TABLES, p, &res, e) == -1)
		return -1;
	table_rows(a, res, out, n, schema);
	return 0;
}

int
catalog_all_tables(struct db *db, struct arena *a, int64_t share,
    const char *after_schema, const char *after_table, const char *fetch,
    struct cat_table **out, int *n, struct err *e)
{
	struct db_res	*res;
	const char	*p[4] = { num(a, share), after_schema, after_table,
			    fetch };

	if (db_exec(db, a, STMT_CAT_ALL_TABLES, p, &res, e) == -1)
		return -1;
	table_rows(a, res, out, n, 0);
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
catalog_data_table(struct db *db, struct arena *a, int64_t recipient,
    const char *share, const char *schema, const char *table,
    struct cat_data_table *t, struct err *e)
{
	struct db_res	*res;
	const char	*p[4] = { num(a, recipient), share, schema, table };

	if (db_exec(db, a, STMT_CAT_DATA_TABLE, p, &res, e) == -1)
		return -1;
	if (db_rows(res) != 1)
		return err_set(e, ERR_NOT_FOUND, "[Share/Schema/Table] "
		    "'%.255s/%.255s/%.255s' does not exist, please contact "
		    "your share provider for further information.", share,
		    schema, table);
	t->id = db_i64(res, 0, 0);
	t->table_id = db_i64(res, 0, 1);
	t->share = arena_strdup(a, db_val(res, 0, 2));
	t->schema = arena_strdup(a, db_val(res, 0, 3));
	t->name = arena_strdup(a, db_val(res, 0, 4));
	t->uuid = arena_strdup(a, db_val(res, 0, 5));
	t->location = arena_strdup(a, db_val(res, 0, 6));
	t->history_shared = db_val(res, 0, 7)[0] == 't';
	t->start_version = db_i64(res, 0, 8);
	t->proxy = strcmp(db_val(res, 0, 9), "proxy") == 0;
	cred_cols(a, res, 10, &t->cred);
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
