/*
 * fuzz-pred-json.c: libFuzzer harness for pred_parse_json() and
 * pred_keep(), the jsonPredicateHints parser and the file pruning.
 *
 * The input is one hint.  A tree that parses must obey the grammar
 * (known ops and types, arity, leaves where leaves go, depth); it is
 * then evaluated against a fixed schema and a chain of fake files, each
 * knowing less than the one before: a file with point statistics and
 * exact partition values, one with null values, one with wide ranges,
 * one with hostile statistics, and one that says nothing.  Evaluation
 * must be monotonic along the chain: a file kept when more is known
 * must be kept when less is.  A broken invariant aborts.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "delta_action.h"
#include "pred.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define F(n, t)	"{\"name\":\"" n "\",\"type\":\"" t "\"," \
		"\"nullable\":true,\"metadata\":{}}"

static const char schema[] = "{\"type\":\"struct\",\"fields\":["
	F("s", "string") "," F("i", "integer") "," F("l", "long") ","
	F("b", "boolean") "," F("d", "date") "," F("f", "float") ","
	F("g", "double") "," F("t", "timestamp") "," F("u", "timestamp_ntz")
	"," F("x", "string") "," F("n", "integer") "," F("m", "long") ","
	F("dec", "decimal(10,2)") ","
	"{\"name\":\"c\",\"type\":\"short\",\"nullable\":true,\"metadata\":"
	"{\"delta.columnMapping.physicalName\":\"col-c\"}}]}";

static const char *parts[] = { "s", "i", "b", "d", "u" };

/* Point values inside the wide ranges below. */
static const char exact_pv[] = "{\"s\":\"abc\",\"i\":\"5\",\"b\":\"true\","
	"\"d\":\"2021-04-28\",\"u\":\"2021-04-28 23:33:48.719\"}";
static const char exact_stats[] = "{\"numRecords\":1,\"minValues\":{"
	"\"l\":7,\"f\":0.5,\"g\":2.5,\"t\":\"2021-04-28T23:33:48.719Z\","
	"\"x\":\"m\",\"n\":3,\"m\":-1,\"col-c\":4},\"maxValues\":{"
	"\"l\":7,\"f\":0.5,\"g\":2.5,\"t\":\"2021-04-28T23:33:48.719Z\","
	"\"x\":\"m\",\"n\":3,\"m\":-1,\"col-c\":4},\"nullCount\":{"
	"\"l\":0,\"f\":0,\"g\":0,\"t\":0,\"x\":0,\"n\":0,\"m\":0,\"col-c\":0}}";

static const char null_pv[] = "{\"s\":null,\"i\":null,\"b\":null,"
	"\"d\":null,\"u\":null}";
static const char null_stats[] = "{\"numRecords\":1,\"nullCount\":{"
	"\"l\":1,\"f\":1,\"g\":1,\"t\":1,\"x\":1,\"n\":1,\"m\":1,\"col-c\":1}}";

static const char wide_stats[] = "{\"numRecords\":10,\"minValues\":{"
	"\"l\":-100,\"f\":-1.5,\"g\":-2.5,\"t\":\"2020-01-01T00:00:00Z\","
	"\"x\":\"a\",\"n\":-3,\"m\":-10,\"col-c\":0},\"maxValues\":{"
	"\"l\":100,\"f\":1.5,\"g\":12.5,\"t\":\"2022-01-01T00:00:00.5+01:00\","
	"\"x\":\"zz\",\"n\":30,\"m\":10,\"col-c\":9},\"nullCount\":{"
	"\"l\":1,\"f\":1,\"g\":1,\"t\":1,\"x\":1,\"n\":1,\"m\":1,\"col-c\":1}}";

static const char odd_pv[] = "{\"s\":\"\",\"i\":\"x\",\"b\":5,"
	"\"D\":\"2021-02-30\",\"u\":\"2021-04-28T23:33:48.7190001\"}";
static const char odd_stats[] = "{\"numRecords\":0,\"tightBounds\":false,"
	"\"minValues\":{\"l\":\"7\",\"f\":1e300,\"g\":[1],\"t\":5,"
	"\"x\":\"\xc3\xa9\"},\"maxValues\":{\"l\":-7,\"f\":-1e300,\"t\":"
	"\"9999-12-31T23:59:59.999999-18:00\",\"x\":\"\"},"
	"\"nullCount\":{\"l\":-1,\"n\":2}}";

static void
check(const struct pred *p, int depth)
{
	size_t	 i;

	if (p == NULL || depth > PRED_MAX_DEPTH || p->op < PRED_COLUMN ||
	    p->op > PRED_OR)
		abort();
	switch (p->op) {
	case PRED_COLUMN:
	case PRED_LITERAL:
		if (p->type < PRED_T_BOOL || p->type > PRED_T_TIMESTAMP ||
		    (p->op == PRED_COLUMN ? p->name : p->value) == NULL)
			abort();
		return;
	case PRED_IS_NULL:
		if (p->nkids != 1 || p->kids[0]->op != PRED_COLUMN)
			abort();
		break;
	case PRED_NOT:
		if (p->nkids != 1)
			abort();
		break;
	case PRED_AND:
	case PRED_OR:
		if (p->nkids < 2)
			abort();
		break;
	default:
		if (p->nkids != 2 || p->kids[0]->type != p->kids[1]->type ||
		    p->kids[0]->nkids != 0 || p->kids[1]->nkids != 0)
			abort();
		break;
	}
	for (i = 0; i < p->nkids; i++)
		check(p->kids[i], depth + 1);
}

static struct delta_file
file(const char *pv, const char *stats)
{
	struct delta_file	 f;

	memset(&f, 0, sizeof(f));
	f.path = "part-0.parquet";
	f.partition_values = pv;
	f.stats = stats;
	return f;
}

static void
evaluate(struct arena *a, const struct pred *p)
{
	struct delta_metadata	 md;
	struct pred_schema	 sc, none;
	struct delta_file	 exact, nulls, wide, odd, blank;
	bool			 k_exact, k_nulls, k_wide, k_odd, k_blank;

	memset(&md, 0, sizeof(md));
	md.schema_string = schema;
	md.partition_columns = parts;
	md.n_partition_columns = sizeof(parts) / sizeof(parts[0]);
	if (pred_schema(a, &md, &sc) == -1)
		abort();
	exact = file(exact_pv, exact_stats);
	nulls = file(null_pv, null_stats);
	wide = file("{}", wide_stats);
	odd = file(odd_pv, odd_stats);
	blank = file("{}", NULL);
	k_exact = pred_keep(p, &sc, &exact, a);
	k_nulls = pred_keep(p, &sc, &nulls, a);
	k_wide = pred_keep(p, &sc, &wide, a);
	k_odd = pred_keep(p, &sc, &odd, a);
	k_blank = pred_keep(p, &sc, &blank, a);
	if ((k_exact && !k_wide) || (k_nulls && !k_wide) ||
	    (k_wide && !k_blank) || (k_odd && !k_blank))
		abort();
	memset(&none, 0, sizeof(none));
	(void)pred_keep(p, &none, &exact, a);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena	*a = arena_new();
	struct pred	*p;

	if ((p = pred_parse_json(a, (const char *)data, size)) != NULL) {
		check(p, 1);
		if (p->op == PRED_COLUMN || p->op == PRED_LITERAL ?
		    p->type != PRED_T_BOOL : false)
			abort();
		evaluate(a, p);
	}
	arena_free(a);
	return 0;
}
