/*
 * fuzz-checkpoint.c: libFuzzer harness for the reading of Parquet
 * checkpoints (delta_checkpoint_pq.c): the input is a whole checkpoint
 * file, opened from memory with small limits and read for every kind of
 * action, add and remove rows with their JSON text (DELTA_WANT_RAW) and
 * without, against a table schema with timestamp and timestamp_ntz
 * columns (the stats_parsed rendering asks it).
 *
 * Properties checked besides "no crash": a failure always sets an error
 * message; every action has a known kind; an add or remove read field by
 * field equals its JSON text re-parsed by delta_action, whenever that
 * text parses (a hostile file can make it unparseable, e.g. a decimal
 * "size", which the field reader refuses on its own).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "delta_action.h"
#include "delta_checkpoint.h"
#include "err.h"
#include "parquet_read.h"

#define MAX_ACTIONS	4000	/* per pass, to bound time */

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char schema[] = "{\"type\":\"struct\",\"fields\":["
    "{\"name\":\"id\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}},"
    "{\"name\":\"ts\",\"type\":\"timestamp\",\"nullable\":true,"
    "\"metadata\":{}},"
    "{\"name\":\"ntz\",\"type\":\"timestamp_ntz\",\"nullable\":true,"
    "\"metadata\":{\"delta.columnMapping.physicalName\":\"col-1\"}},"
    "{\"name\":\"s\",\"type\":{\"type\":\"struct\",\"fields\":["
    "{\"name\":\"t\",\"type\":\"timestamp\",\"nullable\":true,"
    "\"metadata\":{}}]},\"nullable\":true,\"metadata\":{}}]}";

struct pass {
	struct arena	*a;
	size_t		 n;
};

static bool
same(const char *x, const char *y)
{
	return x == y || (x != NULL && y != NULL && strcmp(x, y) == 0);
}

static void
twin(struct arena *a, const struct delta_action *act)
{
	static const char *const names[] = { "", "add", "remove" };
	const struct delta_file	*x = &act->u.file, *y;
	struct delta_action	 again;
	struct buf		 line;
	struct err		 e;

	buf_init(&line, 0);
	buf_addf(&line, "{\"%s\":", names[act->kind]);
	buf_add(&line, act->raw, act->rawlen);
	buf_addc(&line, '}');
	if (delta_action_parse(a, buf_str(&line), line.len, &again, &e) == 0) {
		y = &again.u.file;
		if (again.kind != act->kind || !same(x->path, y->path) ||
		    !same(x->partition_values, y->partition_values) ||
		    !same(x->stats, y->stats) || !same(x->tags, y->tags) ||
		    x->size != y->size ||
		    x->modification_time != y->modification_time ||
		    x->data_change != y->data_change ||
		    x->dv.storage_type != y->dv.storage_type ||
		    !same(x->dv.path_or_inline, y->dv.path_or_inline) ||
		    x->dv.cardinality != y->dv.cardinality) {
			fprintf(stderr, "twins differ:\n%s\npath '%s' '%s'\n"
			    "partitionValues '%s' '%s'\nstats '%s' '%s'\n"
			    "tags '%s' '%s'\n", buf_str(&line), x->path,
			    y->path, x->partition_values, y->partition_values,
			    x->stats ? x->stats : "(null)",
			    y->stats ? y->stats : "(null)",
			    x->tags ? x->tags : "(null)",
			    y->tags ? y->tags : "(null)");
			abort();
		}
	}
	buf_release(&line);
}

static int
one(void *ctx, const struct delta_action *act, struct err *e)
{
	struct pass	*p = ctx;

	(void)e;
	if (act->kind < DELTA_UNKNOWN || act->kind > DELTA_SIDECAR)
		abort();
	if ((act->kind == DELTA_ADD || act->kind == DELTA_REMOVE) &&
	    act->raw != NULL)
		twin(p->a, act);
	if (++p->n >= MAX_ACTIONS)
		return err_set(e, ERR_TOO_LARGE, "enough");
	return 0;
}

static void
run(struct parquet_read *r, unsigned want, const char *sc)
{
	struct pass	 p = { arena_new(), 0 };
	struct err	 e;

	err_clear(&e);
	if (delta_checkpoint_pq_rows(r, "fuzz", want, sc, p.a, one, &p,
	    &e) == -1 && e.msg[0] == '\0')
		abort();
	arena_free(p.a);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct parquet_read_limits	 l;
	struct parquet_read		*r;
	struct err			 e;
	unsigned			 all = 0;
	int				 k;

	parquet_read_limits_default(&l);
	l.max_footer = 1 << 20;
	l.max_nodes = 2000;
	l.max_chunks = 20000;
	l.max_page = 1 << 20;
	l.max_dict = 1 << 20;
	l.max_header = 1 << 16;
	l.max_page_values = 1 << 16;
	l.max_row_values = 1 << 14;
	l.read_block = 4096;
	l.tail_read = 256;
	for (k = DELTA_ADD; k <= DELTA_SIDECAR; k++)
		all |= DELTA_WANT(k);
	err_clear(&e);
	if ((r = parquet_read_open_mem(data, size, &l, &e)) == NULL) {
		if (e.msg[0] == '\0')
			abort();
		return 0;
	}
	run(r, all | DELTA_WANT_RAW, schema);
	run(r, DELTA_WANT(DELTA_ADD), schema);
	run(r, DELTA_WANT(DELTA_ADD) | DELTA_WANT(DELTA_REMOVE), NULL);
	parquet_read_free(r);
	return 0;
}
