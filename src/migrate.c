/*
 * migrate.c: applying the embedded schema migrations (see migrate.h).
 */
#include "config.h"

#include <stdio.h>

#include "arena.h"
#include "db.h"
#include "err.h"
#include "migrate.h"

#define CREATE_LEDGER							\
	"CREATE TABLE IF NOT EXISTS schema_migrations ("		\
	"version integer PRIMARY KEY, name text NOT NULL, "		\
	"applied_at timestamptz NOT NULL DEFAULT now())"

int
migrate_latest(void)
{
	return nmigrations > 0 ? migrations[nmigrations - 1].version : 0;
}

static int
applied(struct db *db, struct arena *a, const struct migration *m,
    const char **when, struct err *e)
{
	struct db_res	*res;
	const char	*p[1];

	p[0] = arena_printf(a, "%d", m->version);
	if (db_exec(db, a, STMT_MIGRATION_APPLIED, p, &res, e) == -1)
		return -1;
	*when = db_rows(res) > 0 ? db_val(res, 0, 0) : NULL;
	return 0;
}

static int
apply_one(struct db *db, struct arena *a, const struct migration *m,
    FILE *out, struct err *e)
{
	const char	*when, *p[2];

	if (db_begin(db, e) == -1)
		return -1;
	if (db_exec(db, a, STMT_MIGRATION_LOCK, NULL, NULL, e) == -1 ||
	    applied(db, a, m, &when, e) == -1)
		goto fail;
	if (when != NULL) {
		db_rollback(db);
		return 0;
	}
	if (db_script(db, m->sql, e) == -1) {
		fprintf(out, "migration %s failed: %s\n", m->name, e->msg);
		goto fail;
	}
	p[0] = arena_printf(a, "%d", m->version);
	p[1] = m->name;
	/* The workers of every host read the catalog again. */
	if (db_exec(db, a, STMT_MIGRATION_RECORD, p, NULL, e) == -1 ||
	    db_exec(db, a, STMT_CATALOG_NOTIFY, NULL, NULL, e) == -1 ||
	    db_commit(db, e) == -1)
		goto fail;
	fprintf(out, "applied %s\n", m->name);
	return 1;
fail:
	db_rollback(db);
	return -1;
}

/* Create the ledger once, even with several runs racing. */
static int
ledger(struct db *db, struct arena *a, struct err *e)
{
	if (db_begin(db, e) == -1)
		return -1;
	if (db_exec(db, a, STMT_MIGRATION_LOCK, NULL, NULL, e) == -1 ||
	    db_script(db, CREATE_LEDGER, e) == -1 || db_commit(db, e) == -1) {
		db_rollback(db);
		return -1;
	}
	return 0;
}

int
migrate_run(struct db *db, struct arena *a, FILE *out, struct err *e)
{
	size_t	 i;
	int	 n = 0, rc;

	if (ledger(db, a, e) == -1)
		return -1;
	for (i = 0; i < nmigrations; i++) {
		if ((rc = apply_one(db, a, &migrations[i], out, e)) == -1)
			return -1;
		n += rc;
	}
	fprintf(out, "schema at version %d (%d migration%s applied)\n",
	    migrate_latest(), n, n == 1 ? "" : "s");
	return 0;
}

int
migrate_status(struct db *db, struct arena *a, FILE *out, struct err *e)
{
	const char	*when;
	size_t		 i;

	if (ledger(db, a, e) == -1)
		return -1;
	for (i = 0; i < nmigrations; i++) {
		if (applied(db, a, &migrations[i], &when, e) == -1)
			return -1;
		fprintf(out, "%-32s %s\n", migrations[i].name,
		    when != NULL ? when : "pending");
	}
	return 0;
}
