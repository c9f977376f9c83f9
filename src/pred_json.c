/*
 * pred_json.c: the jsonPredicateHints parser (protocol-notes §1.15),
 * JSON op trees to struct pred (see pred.h).
 *
 * The text goes through jsonu_parse() (UTF-8, strict RFC 8259, nesting
 * bounded), then one recursive pass builds the tree and checks the
 * grammar: known op and valueType, arity, leaves where leaves belong,
 * one valueType per comparison, tree depth.  Anything wrong makes the
 * whole hint unusable (NULL): a hint filters nothing rather than
 * something wrong.  Keys the grammar does not know are ignored.
 * Whether a literal parses as its valueType is the evaluator's concern,
 * which treats a bad one as "cannot decide".
 */
#include "config.h"

#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "err.h"
#include "jsonu.h"
#include "pred.h"

/*
 * JSON nesting of a tree PRED_MAX_DEPTH deep: an object and its
 * "children" array per level, plus room for ignored keys.
 */
#define JSON_DEPTH	(2 * PRED_MAX_DEPTH + 8)

static const struct {
	const char	*name;
	enum pred_op	 op;
} ops[] = {
	{ "column", PRED_COLUMN },
	{ "literal", PRED_LITERAL },
	{ "isNull", PRED_IS_NULL },
	{ "not", PRED_NOT },
	{ "equal", PRED_EQ },
	{ "lessThan", PRED_LT },
	{ "lessThanOrEqual", PRED_LE },
	{ "greaterThan", PRED_GT },
	{ "greaterThanOrEqual", PRED_GE },
	{ "and", PRED_AND },
	{ "or", PRED_OR },
};

static const struct {
	const char	*name;
	enum pred_type	 type;
} types[] = {
	{ "bool", PRED_T_BOOL },
	{ "int", PRED_T_INT },
	{ "long", PRED_T_LONG },
	{ "string", PRED_T_STRING },
	{ "date", PRED_T_DATE },
	{ "float", PRED_T_FLOAT },
	{ "double", PRED_T_DOUBLE },
	{ "timestamp", PRED_T_TIMESTAMP },
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static struct pred	*node(struct arena *, struct json_object *, int);

/* The string value of key in o, or NULL when absent or not a string. */
static const char *
get_str(struct json_object *o, const char *key)
{
	struct json_object	*v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static int
lookup_op(const char *s, enum pred_op *op)
{
	size_t	 i;

	for (i = 0; s != NULL && i < NELEM(ops); i++)
		if (strcmp(s, ops[i].name) == 0) {
			*op = ops[i].op;
			return 0;
		}
	return -1;
}

static int
lookup_type(const char *s, enum pred_type *t)
{
	size_t	 i;

	for (i = 0; s != NULL && i < NELEM(types); i++)
		if (strcmp(s, types[i].name) == 0) {
			*t = types[i].type;
			return 0;
		}
	return -1;
}

static bool
is_leaf(const struct pred *p)
{
	return p->op == PRED_COLUMN || p->op == PRED_LITERAL;
}

/* Does p give a truth value: an operator, or a leaf of type bool? */
static bool
is_bool(const struct pred *p)
{
	return !is_leaf(p) || p->type == PRED_T_BOOL;
}

/* A column or literal: name or value, and valueType. */
static int
leaf(struct json_object *o, struct pred *p)
{
	if (lookup_type(get_str(o, "valueType"), &p->type) == -1)
		return -1;
	if (p->op == PRED_COLUMN)
		return (p->name = get_str(o, "name")) == NULL ? -1 : 0;
	return (p->value = get_str(o, "value")) == NULL ? -1 : 0;
}

/* Parse the children array of o into p->kids. */
static int
kids(struct arena *a, struct json_object *o, struct pred *p, int depth)
{
	struct json_object	*arr;
	size_t			 i, n;

	if (!json_object_object_get_ex(o, "children", &arr) ||
	    !json_object_is_type(arr, json_type_array))
		return -1;
	n = json_object_array_length(arr);
	if (n == 0)
		return -1;
	p->kids = arena_calloc(a, n, sizeof(*p->kids));
	p->nkids = n;
	for (i = 0; i < n; i++)
		if ((p->kids[i] = node(a, json_object_array_get_idx(arr, i),
		    depth + 1)) == NULL)
			return -1;
	return 0;
}

/* The arity and shape each operator wants of its children. */
static int
check(const struct pred *p)
{
	size_t	 i;

	switch (p->op) {
	case PRED_IS_NULL:
		return p->nkids == 1 && p->kids[0]->op == PRED_COLUMN ? 0 : -1;
	case PRED_NOT:
		return p->nkids == 1 && is_bool(p->kids[0]) ? 0 : -1;
	case PRED_AND:
	case PRED_OR:
		if (p->nkids < 2)
			return -1;
		for (i = 0; i < p->nkids; i++)
			if (!is_bool(p->kids[i]))
				return -1;
		return 0;
	default:
		return p->nkids == 2 && is_leaf(p->kids[0]) &&
		    is_leaf(p->kids[1]) &&
		    p->kids[0]->type == p->kids[1]->type ? 0 : -1;
	}
}

static struct pred *
node(struct arena *a, struct json_object *o, int depth)
{
	struct pred	*p;

	if (depth > PRED_MAX_DEPTH || o == NULL ||
	    !json_object_is_type(o, json_type_object))
		return NULL;
	p = arena_calloc(a, 1, sizeof(*p));
	if (lookup_op(get_str(o, "op"), &p->op) == -1)
		return NULL;
	if (is_leaf(p))
		return leaf(o, p) == 0 ? p : NULL;
	if (kids(a, o, p, depth) == -1 || check(p) == -1)
		return NULL;
	return p;
}

struct pred *
pred_parse_json(struct arena *a, const char *s, size_t len)
{
	struct json_object	*root;
	struct pred		*p;
	struct err		 e;
	char			*copy;

	if (s == NULL || len == 0 || len > PRED_MAX_JSON ||
	    memchr(s, '\0', len) != NULL)
		return NULL;
	/* jsonu_parse() wants a NUL after the text. */
	copy = arena_strndup(a, s, len);
	err_clear(&e);
	if ((root = jsonu_parse(a, copy, len, JSON_DEPTH, &e)) == NULL)
		return NULL;
	if ((p = node(a, root, 1)) == NULL || !is_bool(p))
		return NULL;
	return p;
}
