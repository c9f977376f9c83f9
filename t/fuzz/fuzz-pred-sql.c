/*
 * fuzz-pred-sql.c: libFuzzer harness for pred_parse_sql() and
 * pred_keep() on what it builds.
 *
 * The input is parsed twice: whole, as one hint, then cut at each
 * newline into several hints.  A tree that comes back must only name
 * partition columns of the fixed schema, compare a column with a
 * literal of the same type, and be well formed; it is then evaluated
 * against a chain of fake files, each knowing less than the one before
 * (exact partition values or nulls, then absent values), and keeping
 * must be monotonic along the chain.  A broken invariant aborts.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "delta_action.h"
#include "pred.h"
#include "xmalloc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define F(n, t)	"{\"name\":\"" n "\",\"type\":\"" t "\"," \
		"\"nullable\":true,\"metadata\":{}}"
#define MAXHINTS	16

static const char schema[] = "{\"type\":\"struct\",\"fields\":["
	F("date", "date") "," F("region", "string") "," F("id", "integer") ","
	F("flag", "boolean") "," F("ts", "timestamp") "," F("f", "float") ","
	F("g", "double") "," F("big", "long") "," F("s", "short") ","
	F("amount", "decimal(10,2)") "," F("value", "integer") "]}";

static const char *parts[] = { "date", "region", "id", "flag", "ts", "f",
	"g", "big", "s", "amount" };

static const char exact_pv[] = "{\"date\":\"2021-04-28\",\"region\":\"us\","
	"\"id\":\"3\",\"flag\":\"true\",\"ts\":\"2021-04-28 10:00:00\","
	"\"f\":\"0.1\",\"g\":\"2.5\",\"big\":\"9000000000\",\"s\":\"-2\","
	"\"amount\":\"1.00\"}";
static const char other_pv[] = "{\"date\":\"2020-02-29\",\"region\":\"\","
	"\"id\":\"-2147483648\",\"flag\":\"false\","
	"\"ts\":\"1969-12-31 23:59:59.999999\",\"f\":\"-0.0\","
	"\"g\":\"Infinity\",\"big\":\"x\",\"s\":\"32767\"}";
static const char null_pv[] = "{\"date\":null,\"region\":null,\"id\":null,"
	"\"flag\":null,\"ts\":null,\"f\":null,\"g\":null,\"big\":null,"
	"\"s\":null,\"amount\":null}";

static bool
is_partition(const char *name)
{
	size_t	 i;

	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		if (strcmp(parts[i], name) == 0)
			return true;
	return false;
}

static void
check(const struct pred *p, int depth)
{
	const struct pred	*c, *l;
	size_t			 i;

	if (p == NULL || depth > 4 * PRED_MAX_DEPTH + 4)
		abort();
	switch (p->op) {
	case PRED_COLUMN:
		if (p->name == NULL || !is_partition(p->name))
			abort();
		return;
	case PRED_LITERAL:
		if (p->value == NULL)
			abort();
		return;
	case PRED_IS_NULL:
	case PRED_NOT:
		if (p->nkids != 1 || (p->op == PRED_IS_NULL &&
		    p->kids[0]->op != PRED_COLUMN))
			abort();
		break;
	case PRED_AND:
	case PRED_OR:
		if (p->nkids < 2)
			abort();
		break;
	case PRED_EQ: case PRED_LT: case PRED_LE: case PRED_GT: case PRED_GE:
		if (p->nkids != 2)
			abort();
		c = p->kids[0]->op == PRED_COLUMN ? p->kids[0] : p->kids[1];
		l = c == p->kids[0] ? p->kids[1] : p->kids[0];
		if (c->op != PRED_COLUMN || l->op != PRED_LITERAL ||
		    c->type != l->type)
			abort();
		break;
	default:
		abort();
	}
	for (i = 0; i < p->nkids; i++)
		check(p->kids[i], depth + 1);
}

static struct delta_file
file(const char *pv)
{
	struct delta_file	 f;

	memset(&f, 0, sizeof(f));
	f.path = "part-0.parquet";
	f.partition_values = pv;
	return f;
}

/* The columns, parsed once for all runs. */
static const struct pred_schema *
columns(const struct delta_metadata *md)
{
	static struct pred_schema	 sc;
	static struct arena		*keep;

	if (keep == NULL) {
		keep = arena_new();
		if (pred_schema(keep, md, &sc) == -1)
			abort();
	}
	return &sc;
}

static void
evaluate(struct arena *a, const struct delta_metadata *md,
    const struct pred *p)
{
	const struct pred_schema	*sc = columns(md);
	struct delta_file		 exact, other, nulls, blank;
	bool				 k_blank;

	if (p == NULL)
		return;
	check(p, 1);
	exact = file(exact_pv);
	other = file(other_pv);
	nulls = file(null_pv);
	blank = file("{}");
	k_blank = pred_keep(p, sc, &blank, a);
	if ((pred_keep(p, sc, &exact, a) && !k_blank) ||
	    (pred_keep(p, sc, &other, a) && !k_blank) ||
	    (pred_keep(p, sc, &nulls, a) && !k_blank))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct delta_metadata	 md;
	struct arena		*a = arena_new();
	const char		*hints[MAXHINTS];
	char			*s, *nl;
	size_t			 n = 0;

	memset(&md, 0, sizeof(md));
	md.schema_string = schema;
	md.partition_columns = parts;
	md.n_partition_columns = sizeof(parts) / sizeof(parts[0]);
	s = xmalloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	hints[0] = s;
	evaluate(a, &md, pred_parse_sql(a, &md, hints, 1));
	for (nl = s; n < MAXHINTS; nl++) {
		hints[n++] = nl;
		if ((nl = strchr(nl, '\n')) == NULL)
			break;
		*nl = '\0';
	}
	evaluate(a, &md, pred_parse_sql(a, &md, hints, n));
	arena_free(a);
	free(s);
	return 0;
}
