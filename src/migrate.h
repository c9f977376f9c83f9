/*
 * migrate.h: the catalog schema's forward-only migrations.
 *
 * The SQL of sql/NNNN-*.sql is compiled into the program (migrations.c,
 * generated).  migrate_run() applies, in order, each migration the
 * database has not recorded in schema_migrations, each in its own
 * transaction under an advisory lock, so concurrent runs are safe and a
 * second run changes nothing.
 */
#ifndef DS_MIGRATE_H
#define DS_MIGRATE_H

#include <stddef.h>
#include <stdio.h>

struct db;
struct arena;
struct err;

struct migration {
	int		 version;
	const char	*name;
	const char	*sql;
};

extern const struct migration	migrations[];
extern const size_t		nmigrations;

/* The schema version this program needs: the newest migration. */
int	migrate_latest(void);

/* Apply what is pending; reports each step on out. */
int	migrate_run(struct db *, struct arena *, FILE *out, struct err *);

/* Print applied and pending migrations. */
int	migrate_status(struct db *, struct arena *, FILE *out, struct err *);

#endif
