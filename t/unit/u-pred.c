/*
 * u-pred.c: unit tests for src/pred_json.c, src/pred_sql.c and
 * src/pred_eval.c, the predicate hints and file pruning.
 *
 * The ideas come from the reference server's suites (JsonPredicateSuite,
 * JsonPredicateEvaluatorV2Suite, ColumnRangeSuite,
 * PartitionFilterUtilsSuite) and the table of protocol-notes §1.15;
 * expected answers are worked out by hand from SQL semantics.  Where the
 * reference prunes wrongly (NOT over a statistics range, isNull without
 * nullCount), these tests ask for the sound answer: keep the file.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "delta_action.h"
#include "pred.h"
#include "tap.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* JSON hint builders: arguments are string literals. */
#define COL(n, t)	"{\"op\":\"column\",\"name\":\"" n "\"," \
			"\"valueType\":\"" t "\"}"
#define LIT(v, t)	"{\"op\":\"literal\",\"value\":\"" v "\"," \
			"\"valueType\":\"" t "\"}"
#define OP1(op, a)	"{\"op\":\"" op "\",\"children\":[" a "]}"
#define OP2(op, a, b)	"{\"op\":\"" op "\",\"children\":[" a "," b "]}"
#define CMP(op, n, v, t) OP2(op, COL(n, t), LIT(v, t))

enum { DROP, KEEP, NOPARSE };

struct hcase {
	const char	*hint;
	int		 want;
};

static struct arena	*A;

static struct delta_metadata
meta(const char *schema, const char **parts, size_t nparts)
{
	struct delta_metadata	 md;

	memset(&md, 0, sizeof(md));
	md.schema_string = schema;
	md.partition_columns = parts;
	md.n_partition_columns = nparts;
	return md;
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

/* KEEP or DROP of f under a JSON hint; NOPARSE if it does not parse. */
static int
json_keep(const char *hint, const struct pred_schema *sc,
    const struct delta_file *f)
{
	struct pred	*p;

	if ((p = pred_parse_json(A, hint, strlen(hint))) == NULL)
		return NOPARSE;
	return pred_keep(p, sc, f, A) ? KEEP : DROP;
}

static int
sql_keep(const struct delta_metadata *md, const char *const *hints,
    size_t n, const struct pred_schema *sc, const struct delta_file *f)
{
	struct pred	*p;

	if ((p = pred_parse_sql(A, md, hints, n)) == NULL)
		return NOPARSE;
	return pred_keep(p, sc, f, A) ? KEEP : DROP;
}

static const char *
verdict(int v)
{
	return v == KEEP ? "keep" : v == DROP ? "drop" : "no parse";
}

static void
run_json(const char *what, const struct hcase *c, size_t n,
    const struct pred_schema *sc, const struct delta_file *f)
{
	size_t	 i;
	int	 got;

	for (i = 0; i < n; i++) {
		got = json_keep(c[i].hint, sc, f);
		if (!ok(got == c[i].want, "%s %zu: %s", what, i,
		    verdict(c[i].want)))
			diag("hint %s gave %s", c[i].hint, verdict(got));
	}
}

/* --- §1.15: cdf_table_with_partition ----------------------------------- */

#define CDF_SCHEMA "{\"type\":\"struct\",\"fields\":[" \
	"{\"name\":\"name\",\"type\":\"string\",\"nullable\":true," \
	"\"metadata\":{}}," \
	"{\"name\":\"age\",\"type\":\"integer\",\"nullable\":true," \
	"\"metadata\":{}}," \
	"{\"name\":\"birthday\",\"type\":\"date\",\"nullable\":true," \
	"\"metadata\":{}}]}"

#define NOT_NULL_BDAY	OP1("not", OP1("isNull", COL("birthday", "date")))

static void
test_reference_table(void)
{
	static const char	*parts[] = { "birthday" };
	static const struct {
		const char	*hint;
		unsigned	 want;	/* bits: 2020-01-01, 2020-02-02 */
	} cases[] = {
		{ "", 3 },
		{ "bad-predicates", 3 },
		{ OP2("and", NOT_NULL_BDAY,
		    CMP("equal", "birthday", "2020-01-01", "date")), 1 },
		{ OP2("and", NOT_NULL_BDAY,
		    CMP("greaterThan", "birthday", "2020-01-01", "date")), 2 },
		{ OP2("and",
		    CMP("lessThan", "birthday", "2020-02-03", "date"),
		    CMP("greaterThanOrEqual", "birthday", "2020-01-01",
		    "date")), 3 },
		{ CMP("equal", "age", "2", "int"), 2 },
		{ CMP("lessThan", "age", "3", "int"), 3 },
		{ OP2("and", CMP("lessThan", "age", "3", "int"),
		    CMP("lessThan", "age", "2", "int")), 1 },
	};
	struct delta_metadata	 md = meta(CDF_SCHEMA, parts, 1);
	struct delta_file	 f[2];
	struct pred_schema	 sc;
	struct pred		*p;
	unsigned		 got;
	size_t			 i, k;

	f[0] = file("{\"birthday\":\"2020-01-01\"}", "{\"numRecords\":1,"
	    "\"minValues\":{\"name\":\"1\",\"age\":1},"
	    "\"maxValues\":{\"name\":\"1\",\"age\":1},"
	    "\"nullCount\":{\"name\":0,\"age\":0}}");
	f[1] = file("{\"birthday\":\"2020-02-02\"}", "{\"numRecords\":1,"
	    "\"minValues\":{\"name\":\"2\",\"age\":2},"
	    "\"maxValues\":{\"name\":\"2\",\"age\":2},"
	    "\"nullCount\":{\"name\":0,\"age\":0}}");
	if (!is_int(pred_schema(A, &md, &sc), 0, "cdf schema parses"))
		return;
	is_int(sc.n, 3, "three columns");
	ok(sc.cols[2].partition && !sc.cols[1].partition,
	    "birthday is the partition column");
	is_str(sc.cols[1].type, "integer", "age is an integer");
	ok(pred_keep(NULL, &sc, &f[0], A), "no hint keeps");
	for (i = 0; i < NELEM(cases); i++) {
		p = pred_parse_json(A, cases[i].hint, strlen(cases[i].hint));
		for (got = 0, k = 0; k < 2; k++)
			if (pred_keep(p, &sc, &f[k], A))
				got |= 1u << k;
		is_int(got, cases[i].want, "§1.15 case %zu", i);
	}
}

/* --- parsing the JSON grammar ------------------------------------------- */

static void
test_json_parse(void)
{
	static const char *const bad[] = {
		"", "bad-predicates", "{}", "[]", "null", "42", "\"x\"",
		"{\"op\":\"=\",\"children\":[" COL("a", "int") ","
		    LIT("1", "int") "]}",
		CMP("equal", "a", "1", "integer"),
		OP1("equal", COL("a", "int")),
		"{\"op\":\"equal\",\"children\":[" COL("a", "int") ","
		    LIT("1", "int") "," LIT("2", "int") "]}",
		OP1("and", CMP("equal", "a", "1", "int")),
		"{\"op\":\"and\",\"children\":[]}",
		"{\"op\":\"and\"}",
		OP1("isNull", LIT("1", "int")),
		OP2("isNull", COL("a", "int"), COL("b", "int")),
		"{\"op\":\"not\",\"children\":[]}",
		OP1("not", COL("a", "int")),
		OP2("equal", COL("a", "int"), LIT("1", "long")),
		OP2("equal", COL("a", "int"),
		    CMP("equal", "a", "1", "int")),
		"{\"op\":\"literal\",\"value\":2,\"valueType\":\"int\"}",
		"{\"op\":\"column\",\"valueType\":\"int\"}",
		"{\"op\":\"column\",\"name\":\"a\"}",
		COL("a", "int"),
		LIT("1", "long"),
		"{\"op\":\"Equal\",\"children\":[" COL("a", "int") ","
		    LIT("1", "int") "]}",
		CMP("equal", "a", "1", "int") " x",
		"{\"op\":\"column\",\"name\":\"a\",\"valueType\":\"bool\"",
		"{'op':'column','name':'a','valueType':'bool'}",
		"{\"op\":\"column\",\"name\":\"a\\u0000\",\"valueType\":"
		    "\"bool\"}",
		"{\"op\":\"column\",\"name\":\"\xff\",\"valueType\":\"bool\"}",
		"{\"op\":\"column\",\"name\":\"a\",\"valueType\":[\"bool\"]}",
	};
	static const char *const good[] = {
		CMP("equal", "a", "1", "int"),
		COL("flag", "bool"),
		LIT("true", "bool"),
		OP1("not", COL("flag", "bool")),
		OP2("or", COL("flag", "bool"),
		    CMP("lessThan", "a", "1", "long")),
		"{\"op\":\"isNull\",\"extra\":{\"x\":[1,2]},\"children\":["
		    COL("a", "string") "]}",
		OP2("equal", LIT("1", "int"), COL("a", "int")),
		OP2("equal", COL("a", "int"), COL("b", "int")),
		"{\"op\":\"column\",\"name\":\"a\",\"valueType\":\"bool\","
		    "\"children\":[1]}",
		" \n" CMP("equal", "a", "1", "int") "\t",
	};
	const char	*nul = "{\"op\":\"column\",\"name\":\"a\","
			    "\"valueType\":\"bool\"}\0tail";
	struct pred	*p;
	size_t		 i;

	for (i = 0; i < NELEM(bad); i++)
		ok(pred_parse_json(A, bad[i], strlen(bad[i])) == NULL,
		    "bad hint %zu refused", i);
	for (i = 0; i < NELEM(good); i++)
		ok(pred_parse_json(A, good[i], strlen(good[i])) != NULL,
		    "good hint %zu accepted", i);
	ok(pred_parse_json(A, nul, 61) == NULL, "NUL byte refused");
	ok(pred_parse_json(A, NULL, 0) == NULL, "NULL text refused");
	p = pred_parse_json(A, good[0], strlen(good[0]));
	if (ok(p != NULL, "tree of equal") && p != NULL) {
		is_int(p->op, PRED_EQ, "op equal");
		is_int(p->nkids, 2, "two children");
		is_str(p->kids[0]->name, "a", "column name");
		is_int(p->kids[1]->type, PRED_T_INT, "literal type");
		is_str(p->kids[1]->value, "1", "literal value");
	}
	/* Not NUL-terminated: only len bytes are read. */
	p = pred_parse_json(A, good[1], strlen(good[1]) - 1);
	ok(p == NULL, "cut text refused");
}

/* A chain of depth NOTs over a bool column, tree depth depth + 1. */
static char *
deep_not(int depth)
{
	const char	*open = "{\"op\":\"not\",\"children\":[";
	const char	*close = "]}";
	const char	*leaf = COL("flag", "bool");
	char		*s, *p;
	int		 i;

	s = malloc((strlen(open) + strlen(close)) * (size_t)depth +
	    strlen(leaf) + 1);
	for (p = s, i = 0; i < depth; i++, p += strlen(open))
		memcpy(p, open, strlen(open));
	memcpy(p, leaf, strlen(leaf));
	p += strlen(leaf);
	for (i = 0; i < depth; i++, p += strlen(close))
		memcpy(p, close, strlen(close));
	*p = '\0';
	return s;
}

static void
test_json_limits(void)
{
	char	*s, *big;
	size_t	 n;

	s = deep_not(PRED_MAX_DEPTH - 1);
	ok(pred_parse_json(A, s, strlen(s)) != NULL, "depth %d accepted",
	    PRED_MAX_DEPTH);
	free(s);
	s = deep_not(PRED_MAX_DEPTH);
	ok(pred_parse_json(A, s, strlen(s)) == NULL, "depth %d refused",
	    PRED_MAX_DEPTH + 1);
	free(s);
	s = deep_not(5000);
	ok(pred_parse_json(A, s, strlen(s)) == NULL, "depth 5001 refused");
	free(s);

	/* A valid hint padded with spaces past the size limit. */
	n = PRED_MAX_JSON + 1;
	big = malloc(n + 1);
	memset(big, ' ', n);
	memcpy(big, COL("flag", "bool"), strlen(COL("flag", "bool")));
	big[n] = '\0';
	ok(pred_parse_json(A, big, n) == NULL, "more than 1 MiB refused");
	ok(pred_parse_json(A, big, n - 1) != NULL, "1 MiB accepted");
	free(big);
}

/* --- one file with every type, as partition and data columns ---------- */

#define F(n, t)	"{\"name\":\"" n "\",\"type\":\"" t "\"," \
		"\"nullable\":true,\"metadata\":{}}"
#define TYPED_SCHEMA "{\"type\":\"struct\",\"fields\":[" \
	F("p_str", "string") "," F("p_int", "integer") "," \
	F("p_long", "long") "," F("p_bool", "boolean") "," \
	F("p_date", "date") "," F("p_float", "float") "," \
	F("p_double", "double") "," F("p_ts", "timestamp") "," \
	F("p_null", "integer") "," F("p_empty", "string") "," \
	F("p_short", "short") "," \
	F("d_str", "string") "," F("d_cut", "string") "," \
	F("d_int", "integer") "," F("d_long", "long") "," \
	F("d_bool", "boolean") "," F("d_date", "date") "," \
	F("d_float", "float") "," F("d_double", "double") "," \
	F("d_ts", "timestamp") "," F("d_nulls", "integer") "," \
	F("d_allnull", "integer") "," F("d_nostats", "integer") "," \
	F("d_dec", "decimal(10,2)") "," \
	"{\"name\":\"d_struct\",\"type\":{\"type\":\"struct\",\"fields\":[]}," \
	"\"nullable\":true,\"metadata\":{}}]}"

#define TYPED_PV "{\"p_str\":\"abc\",\"p_int\":\"5\"," \
	"\"p_long\":\"9000000000\",\"p_bool\":\"true\"," \
	"\"p_date\":\"2021-04-28\",\"p_float\":\"0.1\",\"p_double\":\"2.5\"," \
	"\"p_ts\":\"2021-04-28 23:33:48.719\",\"p_null\":null," \
	"\"p_empty\":\"\",\"p_short\":\"7\"}"

#define TYPED_STATS "{\"numRecords\":10,\"minValues\":{" \
	"\"d_str\":\"apple\",\"d_cut\":\"a\",\"d_int\":2,\"d_long\":-5," \
	"\"d_bool\":false,\"d_date\":\"2021-01-01\",\"d_float\":0.5," \
	"\"d_double\":1.5,\"d_ts\":\"2021-04-28T23:33:48.719Z\"," \
	"\"d_nulls\":1,\"d_dec\":1.5},\"maxValues\":{" \
	"\"d_str\":\"melon\",\"d_cut\":\"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\"," \
	"\"d_int\":10,\"d_long\":5000000000,\"d_bool\":false," \
	"\"d_date\":\"2021-12-31\",\"d_float\":1.5,\"d_double\":2.5," \
	"\"d_ts\":\"2021-04-28T23:33:50.000Z\",\"d_nulls\":3,\"d_dec\":2.5}," \
	"\"nullCount\":{\"d_str\":0,\"d_cut\":0,\"d_int\":0,\"d_long\":0," \
	"\"d_bool\":0,\"d_date\":0,\"d_float\":0,\"d_double\":0,\"d_ts\":0," \
	"\"d_nulls\":4,\"d_allnull\":10}}"

static const struct hcase typed_cases[] = {
	/* string, exact */
	{ CMP("equal", "p_str", "abc", "string"), KEEP },
	{ CMP("equal", "p_str", "abd", "string"), DROP },
	{ CMP("lessThan", "p_str", "abd", "string"), KEEP },
	{ CMP("lessThan", "p_str", "abc", "string"), DROP },
	{ CMP("lessThanOrEqual", "p_str", "abc", "string"), KEEP },
	{ CMP("greaterThan", "p_str", "abc", "string"), DROP },
	{ CMP("greaterThanOrEqual", "p_str", "ab", "string"), KEEP },
	{ CMP("greaterThan", "p_str", "\xc3\xa9", "string"), DROP },
	{ OP1("not", CMP("equal", "p_str", "abc", "string")), DROP },
	{ OP1("not", CMP("equal", "p_str", "x", "string")), KEEP },
	/* string, range [apple, melon] */
	{ CMP("equal", "d_str", "banana", "string"), KEEP },
	{ CMP("equal", "d_str", "zebra", "string"), DROP },
	{ CMP("lessThan", "d_str", "apple", "string"), DROP },
	{ CMP("lessThanOrEqual", "d_str", "apple", "string"), KEEP },
	{ CMP("greaterThan", "d_str", "melon", "string"), DROP },
	{ CMP("greaterThan", "d_str", "mel", "string"), KEEP },
	/* a 32-character max may be cut: unbounded */
	{ CMP("greaterThan", "d_cut", "c", "string"), KEEP },
	{ CMP("lessThan", "d_cut", "a", "string"), DROP },
	/* integers */
	{ CMP("equal", "p_int", "5", "int"), KEEP },
	{ CMP("equal", "p_int", "5", "long"), KEEP },
	{ CMP("equal", "p_int", "6", "int"), DROP },
	{ CMP("lessThan", "p_int", "5", "int"), DROP },
	{ CMP("lessThan", "p_int", "6", "int"), KEEP },
	{ CMP("lessThanOrEqual", "p_int", "5", "int"), KEEP },
	{ CMP("greaterThan", "p_int", "5", "int"), DROP },
	{ CMP("greaterThanOrEqual", "p_int", "6", "int"), DROP },
	{ OP2("lessThan", LIT("4", "int"), COL("p_int", "int")), KEEP },
	{ OP2("lessThan", LIT("5", "int"), COL("p_int", "int")), DROP },
	{ CMP("equal", "p_short", "7", "int"), KEEP },
	{ CMP("equal", "d_int", "1", "int"), DROP },
	{ CMP("equal", "d_int", "2", "int"), KEEP },
	{ CMP("equal", "d_int", "10", "int"), KEEP },
	{ CMP("equal", "d_int", "11", "int"), DROP },
	{ CMP("lessThan", "d_int", "2", "int"), DROP },
	{ CMP("lessThan", "d_int", "3", "int"), KEEP },
	{ CMP("lessThanOrEqual", "d_int", "2", "int"), KEEP },
	{ CMP("greaterThan", "d_int", "10", "int"), DROP },
	{ CMP("greaterThanOrEqual", "d_int", "10", "int"), KEEP },
	{ CMP("greaterThanOrEqual", "d_int", "11", "int"), DROP },
	/* NOT over a range: the reference's bug, NOT(A >= 7) on [2, 10] */
	{ OP1("not", CMP("greaterThanOrEqual", "d_int", "7", "int")), KEEP },
	{ OP1("not", CMP("equal", "d_int", "5", "int")), KEEP },
	{ OP1("not", CMP("greaterThanOrEqual", "d_int", "2", "int")), DROP },
	{ OP1("not", OP1("not", CMP("equal", "d_int", "11", "int"))), DROP },
	{ CMP("equal", "p_long", "9000000000", "long"), KEEP },
	{ CMP("lessThan", "p_long", "9000000000", "long"), DROP },
	{ CMP("lessThan", "d_long", "-5", "long"), DROP },
	{ CMP("greaterThan", "d_long", "4999999999", "long"), KEEP },
	{ CMP("greaterThan", "d_long", "5000000000", "long"), DROP },
	/* booleans */
	{ COL("p_bool", "bool"), KEEP },
	{ OP1("not", COL("p_bool", "bool")), DROP },
	{ CMP("equal", "p_bool", "false", "bool"), DROP },
	{ CMP("equal", "p_bool", "TRUE", "bool"), KEEP },
	{ COL("d_bool", "bool"), DROP },
	{ OP1("not", COL("d_bool", "bool")), KEEP },
	{ CMP("equal", "d_bool", "true", "bool"), DROP },
	{ LIT("false", "bool"), DROP },
	{ LIT("true", "bool"), KEEP },
	{ OP2("or", LIT("false", "bool"), COL("p_bool", "bool")), KEEP },
	/* dates */
	{ CMP("equal", "p_date", "2021-04-28", "date"), KEEP },
	{ CMP("equal", "p_date", "2021-04-29", "date"), DROP },
	{ CMP("greaterThan", "p_date", "2021-04-27", "date"), KEEP },
	{ CMP("lessThan", "p_date", "2021-04-28", "date"), DROP },
	{ CMP("equal", "p_date", "2021-02-30", "date"), KEEP },
	{ CMP("equal", "p_date", "yesterday", "date"), KEEP },
	{ CMP("lessThan", "d_date", "2021-01-01", "date"), DROP },
	{ CMP("equal", "d_date", "2021-06-15", "date"), KEEP },
	{ CMP("greaterThan", "d_date", "2021-12-31", "date"), DROP },
	{ CMP("greaterThanOrEqual", "d_date", "2021-12-31", "date"), KEEP },
	/* floats: the partition value is the float nearest 0.1 */
	{ CMP("equal", "p_float", "0.1", "float"), KEEP },
	{ CMP("equal", "p_float", "0.1", "double"), DROP },
	{ CMP("greaterThan", "p_float", "0.1", "double"), KEEP },
	{ CMP("equal", "p_float", "NaN", "float"), KEEP },
	{ CMP("lessThan", "d_float", "0.5", "float"), DROP },
	{ CMP("lessThan", "d_float", "0.6", "float"), KEEP },
	{ CMP("greaterThan", "d_float", "1.5", "float"), DROP },
	{ CMP("greaterThan", "d_float", "1e40", "float"), DROP },
	{ CMP("equal", "p_double", "2.5", "double"), KEEP },
	{ CMP("equal", "p_double", "2.50", "double"), KEEP },
	{ CMP("lessThan", "p_double", "2.5", "double"), DROP },
	{ CMP("greaterThan", "d_double", "2.5", "double"), DROP },
	{ CMP("greaterThanOrEqual", "d_double", "2.5", "double"), KEEP },
	{ CMP("lessThan", "d_double", "1.5", "double"), DROP },
	{ CMP("lessThan", "d_double", "Infinity", "double"), KEEP },
	{ CMP("greaterThan", "d_double", "-Infinity", "double"), KEEP },
	{ CMP("equal", "d_double", "NaN", "double"), KEEP },
	{ CMP("equal", "d_double", "two", "double"), KEEP },
	/* timestamps: partition values without zone, stats in ms */
	{ CMP("equal", "p_ts", "2021-04-28T23:33:48.719Z", "timestamp"),
	    KEEP },
	{ CMP("equal", "p_ts", "2021-04-29T01:33:48.719+02:00", "timestamp"),
	    KEEP },
	{ CMP("equal", "p_ts", "2021-04-28T23:33:48.720Z", "timestamp"),
	    DROP },
	{ CMP("equal", "p_ts", "2021-04-28T23:33:48.719001Z", "timestamp"),
	    DROP },
	{ CMP("greaterThan", "p_ts", "2021-04-28T23:33:48.718999Z",
	    "timestamp"), KEEP },
	{ CMP("equal", "p_ts", "2021-04-28T23:33:48.7190000001Z",
	    "timestamp"), KEEP },
	{ CMP("equal", "p_ts", "not a time", "timestamp"), KEEP },
	{ CMP("greaterThan", "d_ts", "2021-04-28T23:33:50.000500Z",
	    "timestamp"), KEEP },
	{ CMP("greaterThan", "d_ts", "2021-04-28T23:33:51Z", "timestamp"),
	    DROP },
	{ CMP("lessThan", "d_ts", "2021-04-28T23:33:48.718Z", "timestamp"),
	    DROP },
	{ CMP("lessThan", "d_ts", "2021-04-28T23:33:48.719Z", "timestamp"),
	    KEEP },
	/* null counts */
	{ OP1("isNull", COL("d_int", "int")), DROP },
	{ OP1("not", OP1("isNull", COL("d_int", "int"))), KEEP },
	{ OP1("isNull", COL("d_nulls", "int")), KEEP },
	{ OP1("not", OP1("isNull", COL("d_nulls", "int"))), KEEP },
	{ OP1("isNull", COL("d_allnull", "int")), KEEP },
	{ OP1("not", OP1("isNull", COL("d_allnull", "int"))), DROP },
	{ CMP("equal", "d_allnull", "1", "int"), DROP },
	{ OP1("not", CMP("equal", "d_allnull", "1", "int")), DROP },
	{ OP1("isNull", COL("d_nostats", "int")), KEEP },
	{ CMP("equal", "d_nostats", "1", "int"), KEEP },
	{ OP1("not", CMP("equal", "d_nostats", "1", "int")), KEEP },
	/* null partition values: comparisons are NULL, never TRUE */
	{ OP1("isNull", COL("p_null", "int")), KEEP },
	{ OP1("not", OP1("isNull", COL("p_null", "int"))), DROP },
	{ CMP("equal", "p_null", "5", "int"), DROP },
	{ OP1("not", CMP("equal", "p_null", "5", "int")), DROP },
	{ OP2("or", CMP("equal", "p_null", "5", "int"),
	    OP1("isNull", COL("p_null", "int"))), KEEP },
	{ OP1("isNull", COL("p_int", "int")), DROP },
	{ OP1("isNull", COL("p_empty", "string")), KEEP },
	{ CMP("equal", "p_empty", "", "string"), KEEP },
	/* what cannot be decided keeps the file */
	{ CMP("equal", "p_date", "2021-04-28", "int"), KEEP },
	{ CMP("equal", "p_int", "5", "string"), KEEP },
	{ CMP("equal", "p_int", "five", "int"), KEEP },
	{ CMP("equal", "p_int", "5.0", "int"), KEEP },
	{ CMP("equal", "d_int", "5", "double"), KEEP },
	{ CMP("equal", "d_dec", "9", "double"), KEEP },
	{ CMP("equal", "d_struct", "9", "int"), KEEP },
	{ CMP("equal", "nosuch", "9", "int"), KEEP },
	{ OP1("not", CMP("equal", "nosuch", "9", "int")), KEEP },
	{ OP1("isNull", COL("nosuch", "int")), KEEP },
	{ OP2("equal", COL("p_int", "int"), COL("d_int", "int")), KEEP },
	{ OP2("equal", COL("p_int", "int"), COL("p_short", "int")), DROP },
	{ OP2("equal", LIT("1", "int"), LIT("2", "int")), DROP },
	/* AND, OR */
	{ OP2("and", CMP("equal", "p_int", "5", "int"),
	    CMP("equal", "d_int", "11", "int")), DROP },
	{ OP2("or", CMP("equal", "p_int", "6", "int"),
	    CMP("equal", "d_int", "3", "int")), KEEP },
	{ OP2("or", CMP("equal", "p_int", "6", "int"),
	    CMP("equal", "d_int", "11", "int")), DROP },
	{ OP1("not", OP2("or", CMP("equal", "p_int", "6", "int"),
	    CMP("equal", "d_int", "11", "int"))), KEEP },
	{ OP1("not", OP2("and", CMP("equal", "p_int", "5", "int"),
	    CMP("equal", "p_str", "abc", "string"))), DROP },
	/* case of column names does not matter */
	{ CMP("equal", "P_INT", "6", "int"), DROP },
};

static void
test_typed(void)
{
	static const char	*parts[] = { "p_str", "p_int", "p_long",
	    "p_bool", "p_date", "p_float", "p_double", "p_ts", "p_null",
	    "p_empty", "p_short" };
	struct delta_metadata	 md;
	struct delta_file	 f = file(TYPED_PV, TYPED_STATS);
	struct pred_schema	 sc;

	md = meta(TYPED_SCHEMA, parts, NELEM(parts));
	if (!is_int(pred_schema(A, &md, &sc), 0, "typed schema parses"))
		return;
	is_str(sc.cols[NELEM(parts) + 13].type, "struct", "struct type");
	run_json("typed", typed_cases, NELEM(typed_cases), &sc, &f);
}

/* Statistics that say less, or nothing, or are wide. */
static void
test_stats_kinds(void)
{
	static const char	*parts[] = { "p" };
	static const char	*stats[] = {
		NULL,
		"not json",
		"{\"numRecords\":3}",
		"{\"numRecords\":3,\"tightBounds\":false,"
		    "\"minValues\":{\"x\":2},\"maxValues\":{\"x\":10},"
		    "\"nullCount\":{\"x\":0}}",
		"{\"numRecords\":0,\"nullCount\":{}}",
		"{\"numRecords\":3,\"minValues\":{\"x\":\"2\"},"
		    "\"maxValues\":{\"x\":[10]},\"nullCount\":{\"x\":0}}",
		"{\"numRecords\":3,\"minValues\":{\"x\":12},"
		    "\"maxValues\":{\"x\":10},\"nullCount\":{\"x\":0}}",
	};
	/* isNull(x), x = 1, x > 10 */
	static const int	 want[][3] = {
		{ KEEP, KEEP, KEEP },
		{ KEEP, KEEP, KEEP },
		{ KEEP, KEEP, KEEP },
		{ KEEP, DROP, DROP },
		{ DROP, DROP, DROP },
		{ DROP, KEEP, KEEP },
		{ DROP, KEEP, KEEP },
	};
	static const char *const hints[] = {
		OP1("isNull", COL("x", "int")),
		CMP("equal", "x", "1", "int"),
		CMP("greaterThan", "x", "10", "int"),
	};
	struct delta_metadata	 md;
	struct delta_file	 f;
	struct pred_schema	 sc;
	size_t			 i, k;

	md = meta("{\"type\":\"struct\",\"fields\":[" F("x", "integer") ","
	    F("p", "string") "]}", parts, 1);
	if (!is_int(pred_schema(A, &md, &sc), 0, "small schema parses"))
		return;
	for (i = 0; i < NELEM(stats); i++) {
		f = file("{\"p\":\"a\"}", stats[i]);
		for (k = 0; k < NELEM(hints); k++)
			is_int(json_keep(hints[k], &sc, &f), want[i][k],
			    "stats %zu, hint %zu", i, k);
	}
	f = file("{}", NULL);
	is_int(json_keep(CMP("equal", "p", "a", "string"), &sc, &f), KEEP,
	    "absent partition value keeps");
	f = file("{\"P\":\"b\"}", NULL);
	is_int(json_keep(CMP("equal", "p", "a", "string"), &sc, &f), DROP,
	    "partition key found ignoring case");
	f = file("{\"p\":5}", NULL);
	is_int(json_keep(CMP("equal", "p", "a", "string"), &sc, &f), KEEP,
	    "partition value of another JSON type keeps");
	f = file("{\"p\":", NULL);
	is_int(json_keep(CMP("equal", "p", "a", "string"), &sc, &f), KEEP,
	    "broken partitionValues keeps");
}

/* Column mapping: stats and partition values by physical name. */
static void
test_column_mapping(void)
{
	static const char	*parts[] = { "region" };
	struct delta_metadata	 md;
	struct delta_file	 f = file("{\"col-2r\":\"eu\"}",
				    "{\"numRecords\":2,\"minValues\":"
				    "{\"col-1d\":10},\"maxValues\":"
				    "{\"col-1d\":20},\"nullCount\":"
				    "{\"col-1d\":0}}");
	struct delta_file	 g = file("{\"region\":\"eu\"}",
				    "{\"numRecords\":2,\"minValues\":"
				    "{\"id\":10},\"maxValues\":{\"id\":20}}");
	struct pred_schema	 sc;

	md = meta("{\"type\":\"struct\",\"fields\":["
	    "{\"name\":\"id\",\"type\":\"long\",\"nullable\":true,"
	    "\"metadata\":{\"delta.columnMapping.id\":1,"
	    "\"delta.columnMapping.physicalName\":\"col-1d\"}},"
	    "{\"name\":\"region\",\"type\":\"string\",\"nullable\":true,"
	    "\"metadata\":{\"delta.columnMapping.id\":2,"
	    "\"delta.columnMapping.physicalName\":\"col-2r\"}}]}", parts, 1);
	if (!is_int(pred_schema(A, &md, &sc), 0, "mapped schema parses"))
		return;
	is_str(sc.cols[0].phys, "col-1d", "physical name");
	is_str(sc.cols[1].name, "region", "logical name");
	is_int(json_keep(CMP("equal", "region", "eu", "string"), &sc, &f),
	    KEEP, "mapped partition equal");
	is_int(json_keep(CMP("equal", "region", "us", "string"), &sc, &f),
	    DROP, "mapped partition differs");
	is_int(json_keep(CMP("equal", "id", "15", "long"), &sc, &f), KEEP,
	    "mapped stats in range");
	is_int(json_keep(CMP("equal", "id", "25", "long"), &sc, &f), DROP,
	    "mapped stats out of range");
	is_int(json_keep(CMP("equal", "col-1d", "25", "long"), &sc, &f),
	    KEEP, "physical name is not a column name");
	is_int(json_keep(CMP("equal", "id", "25", "long"), &sc, &g), KEEP,
	    "stats under logical names are not used");
	is_int(json_keep(CMP("equal", "region", "us", "string"), &sc, &g),
	    KEEP, "partition value under logical name is not used");
}

static void
test_schema_errors(void)
{
	static const char *const bad[] = {
		"", "[]", "{\"type\":\"struct\"}",
		"{\"fields\":[{\"type\":\"long\"}]}",
		"{\"fields\":[1]}", "{\"fields\":{}}",
	};
	struct delta_metadata	 md;
	struct pred_schema	 sc;
	size_t			 i;

	for (i = 0; i < NELEM(bad); i++) {
		md = meta(bad[i], NULL, 0);
		is_int(pred_schema(A, &md, &sc), -1, "bad schema %zu", i);
	}
	md = meta(NULL, NULL, 0);
	is_int(pred_schema(A, &md, &sc), -1, "no schema string");
	md = meta("{\"type\":\"struct\",\"fields\":[]}", NULL, 0);
	ok(pred_schema(A, &md, &sc) == 0 && sc.n == 0, "empty schema");
}

/* --- SQL hints --------------------------------------------------------- */

#define SQL_SCHEMA "{\"type\":\"struct\",\"fields\":[" \
	F("date", "date") "," F("region", "string") "," \
	F("id", "integer") "," F("flag", "boolean") "," \
	F("ts", "timestamp") "," F("f", "float") "," \
	F("customer_id", "string") "," F("amount", "decimal(10,2)") "," \
	F("value", "integer") "]}"

struct sqlcase {
	const char	*hints[2];
	unsigned	 want;		/* kept files (bits), ~0u: none */
};

static const struct sqlcase sql_cases[] = {
	{ { "date = CAST('2021-04-28' AS DATE)" }, 0x5 },
	{ { "date > '2021-01-01'" }, 0x7 },
	{ { "date > '2021-04-28'" }, 0x2 },
	{ { "date >= DATE'2021-04-29'" }, 0x2 },
	{ { "date = date '2021-04-28'" }, 0x5 },
	{ { "'2021-04-29' > date" }, 0x5 },
	{ { "region IS NULL" }, 0x4 },
	{ { "region is not null" }, 0x3 },
	{ { "NOT region IS NULL" }, 0x3 },
	{ { "region = 'us'" }, 0x1 },
	{ { "region == 'us'" }, 0x1 },
	{ { "REGION = 'eu'" }, 0x2 },
	{ { "`region` = 'eu'" }, 0x2 },
	{ { "partitionValues.region = 'eu'" }, 0x2 },
	{ { "region <> 'us'" }, 0x2 },
	{ { "region != 'us'" }, 0x2 },
	{ { "region <=> 'us'" }, 0x1 },
	{ { "NOT (region <=> 'us')" }, 0x6 },
	{ { "NOT region = 'us'" }, 0x2 },
	{ { "region = 'us' OR region = 'eu'" }, 0x3 },
	{ { "(region = 'us' OR region = 'eu') AND date >= '2021-04-29'" },
	    0x2 },
	{ { "region = 'us' AND (date = '2021-04-29' OR id = 3)" }, 0x1 },
	{ { "((((region = 'us'))))" }, 0x1 },
	{ { "region = 'it''s'" }, 0x0 },
	{ { "region > 'A'" }, 0x3 },
	{ { "CAST(partitionValues.customer_id AS STRING) > 'A' OR "
	    "CAST(partitionValues.customer_id AS STRING) < 'B'" }, 0x3 },
	{ { "CAST(partitionValues.customer_id AS STRING) > 'b'" }, 0x2 },
	{ { "id = 3" }, 0x1 },
	{ { "id = '3'" }, 0x1 },
	{ { "id > -1" }, 0x3 },
	{ { "id = 3.5" }, 0x7 },
	{ { "id < CAST('4' AS BIGINT)" }, 0x1 },
	{ { "CAST(id AS BIGINT) >= 4" }, 0x2 },
	{ { "flag" }, 0x1 },
	{ { "NOT flag" }, 0x2 },
	{ { "flag = false" }, 0x2 },
	{ { "ts = TIMESTAMP'2021-04-28 10:00:00'" }, 0x1 },
	{ { "ts > '2021-04-28T10:00:00Z'" }, 0x2 },
	{ { "f = 0.1" }, 0x0 },
	{ { "f = CAST('0.1' AS FLOAT)" }, 0x3 },
	{ { "f = '0.1'" }, 0x3 },
	{ { "CAST(f AS DOUBLE) > 0.1" }, 0x3 },
	/* two hints: AND-ed; one unusable is left out */
	{ { "region = 'us'", "date = '2021-04-28'" }, 0x1 },
	{ { "region = 'us'", "value > 5" }, 0x1 },
	{ { "region = 'eu'", "garbage (" }, 0x2 },
	/* unusable */
	{ { "value > 5" }, ~0u },
	{ { "value > 5 AND region = 'us'" }, ~0u },
	{ { "amount > 5" }, ~0u },
	{ { "nosuch = 1" }, ~0u },
	{ { "))((" }, ~0u },
	{ { "date = " }, ~0u },
	{ { "" }, ~0u },
	{ { "region = 'us' extra" }, ~0u },
	{ { "region = 'a\\'b'" }, ~0u },
	{ { "region = 'open" }, ~0u },
	{ { "1 = 1" }, ~0u },
	{ { "region = region" }, ~0u },
	{ { "id = 5L" }, ~0u },
	{ { "region = NULL" }, ~0u },
	{ { "region = 5" }, ~0u },
	{ { "id = true" }, ~0u },
	{ { "date = TIMESTAMP'2021-04-28 00:00:00'" }, ~0u },
	{ { "CAST(id AS STRING) = '3'" }, ~0u },
	{ { "CAST(id AS TINYINT) = 3" }, ~0u },
	{ { "CAST(f AS INT) = 1" }, ~0u },
	{ { "CAST(region AS VARCHAR) = 'us'" }, ~0u },
	{ { "other.region = 'us'" }, ~0u },
	{ { "region IN ('us')" }, ~0u },
	{ { "region LIKE 'u%'" }, ~0u },
	{ { "region" }, ~0u },
	{ { "id IS NULL OR" }, ~0u },
	{ { "3 IS NULL" }, ~0u },
	{ { "region = 'us' -- comment" }, ~0u },
	{ { "region = '\xff'" }, ~0u },
};

static void
test_sql(void)
{
	static const char	*parts[] = { "date", "region", "id", "flag",
	    "ts", "f", "customer_id", "amount" };
	struct delta_metadata	 md;
	struct delta_file	 f[3];
	struct pred_schema	 sc;
	unsigned		 got;
	size_t			 i, k, n;
	int			 v;

	md = meta(SQL_SCHEMA, parts, NELEM(parts));
	f[0] = file("{\"date\":\"2021-04-28\",\"region\":\"us\",\"id\":\"3\","
	    "\"flag\":\"true\",\"ts\":\"2021-04-28 10:00:00\",\"f\":\"0.1\","
	    "\"customer_id\":\"a1\",\"amount\":\"1.00\"}", NULL);
	f[1] = file("{\"date\":\"2021-04-29\",\"region\":\"eu\",\"id\":\"4\","
	    "\"flag\":\"false\",\"ts\":\"2021-04-28 11:00:00\",\"f\":\"0.1\","
	    "\"customer_id\":\"b2\",\"amount\":\"2.00\"}", NULL);
	f[2] = file("{\"date\":\"2021-04-28\",\"region\":null,\"id\":null,"
	    "\"flag\":null,\"ts\":null,\"f\":null,\"customer_id\":null,"
	    "\"amount\":null}", NULL);
	if (!is_int(pred_schema(A, &md, &sc), 0, "SQL schema parses"))
		return;
	for (i = 0; i < NELEM(sql_cases); i++) {
		n = sql_cases[i].hints[1] != NULL ? 2 : 1;
		for (got = 0, k = 0; k < 3; k++) {
			v = sql_keep(&md, sql_cases[i].hints, n, &sc, &f[k]);
			if (v == NOPARSE) {
				got = ~0u;
				break;
			}
			if (v == KEEP)
				got |= 1u << k;
		}
		if (!is_int(got, sql_cases[i].want, "SQL %zu", i))
			diag("hint: %s", sql_cases[i].hints[0]);
	}
	ok(pred_parse_sql(A, &md, NULL, 0) == NULL, "no hints");
	md.schema_string = "broken";
	ok(pred_parse_sql(A, &md, sql_cases[0].hints, 1) == NULL,
	    "unparsable schema: no filtering");
}

/* Deep SQL nesting is refused, not a stack overflow. */
static void
test_sql_limits(void)
{
	static const char	*parts[] = { "region" };
	struct delta_metadata	 md;
	const char		*h[1];
	char			*s;
	size_t			 depth = 5000, i;

	md = meta("{\"type\":\"struct\",\"fields\":[" F("region", "string")
	    "]}", parts, 1);
	s = malloc(depth * 4 + 32);
	for (i = 0; i < depth; i++)
		s[i] = '(';
	i = depth + (size_t)snprintf(s + depth, 32, "region = 'x'");
	memset(s + i, ')', depth);
	s[i + depth] = '\0';
	h[0] = s;
	ok(pred_parse_sql(A, &md, h, 1) == NULL, "5000 parentheses refused");
	for (i = 0; i < depth; i++)
		memcpy(s + i * 4, "NOT ", 4);
	snprintf(s + depth * 4, 32, "region = 'x'");
	ok(pred_parse_sql(A, &md, h, 1) == NULL, "5000 NOTs refused");
	snprintf(s, 32, "NOT NOT NOT region = 'x'");
	ok(pred_parse_sql(A, &md, h, 1) != NULL, "3 NOTs accepted");
	free(s);
}

int
main(void)
{
	A = arena_new();
	test_reference_table();
	test_json_parse();
	test_json_limits();
	test_typed();
	test_stats_kinds();
	test_column_mapping();
	test_schema_errors();
	test_sql();
	test_sql_limits();
	arena_free(A);
	return done_testing();
}
