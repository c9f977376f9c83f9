/*
 * pred_sql.c: the deprecated SQL predicateHints (protocol-notes §1.16)
 * as a struct pred tree over partition columns (see pred.h).
 *
 * A small tokenizer and a recursive-descent parser take the subset real
 * clients send: comparisons (= == < <= > >= <> != <=>) of a column and a
 * literal in either order, IS [NOT] NULL, NOT, AND, OR, parentheses,
 * CAST(x AS type) around a column or a literal, typed literals
 * (DATE'...', TIMESTAMP'...'), 'strings' ('' for a quote), numbers,
 * true and false, bare boolean columns.  Column names are words or
 * `quoted`, optionally prefixed "partitionValues." (Databricks), and
 * match the table's partition columns ignoring case; keywords ignore
 * case too.
 *
 * A hint is used whole or not at all: one that does not parse, that
 * names a column that is not a partition column, or whose meaning this
 * subset could get wrong (a cast that narrows or changes the type of a
 * column, a literal of another kind than the column, backslash escapes,
 * numeric suffixes) is left out.  Literals take the type Spark would
 * compare in: the column's, except a plain number on a float column
 * (compared as a double) and an explicitly typed literal (its own).
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "arena.h"
#include "delta_action.h"
#include "pred.h"
#include "strutil.h"

enum tk {
	T_END,
	T_ERR,
	T_WORD,		/* identifier or keyword */
	T_QWORD,	/* `quoted identifier` */
	T_STR,		/* 'string' or "string" */
	T_NUM,
	T_OP,		/* comparison operator */
	T_LPAREN,
	T_RPAREN,
	T_DOT,
	T_MINUS,
};

struct tok {
	enum tk		 k;
	const char	*text;		/* decoded, NUL-terminated */
};

/* A parse of one hint. */
struct sp {
	struct arena			*a;
	const struct pred_schema	*sc;
	const char			*s;
	size_t				 n;
	size_t				 i;
	struct tok			 t;	/* the current token */
	int				 depth;
};

/* A type as SQL sees it: the pred type, and the width of numbers. */
struct sqlt {
	enum pred_type	 t;		/* 0: not usable here */
	int		 width;		/* bytes: integers, floats */
};

/* A literal: how it was written, which decides its type. */
enum lit {
	L_STR = 1,
	L_NUM,
	L_BOOL,
	L_NULL,
	L_TYPED,	/* DATE'...', CAST(literal AS type) */
};

/* One side of a comparison. */
struct opnd {
	const struct pred_col	*col;	/* NULL: a literal */
	struct sqlt		 ct;	/* a column's type, cast */
	enum lit		 lk;
	enum pred_type		 lt;	/* L_TYPED */
	const char		*text;
};

static struct pred	*parse_or(struct sp *);
static int		 parse_opnd(struct sp *, struct opnd *);

/* --- types ------------------------------------------------------------- */

static const struct {
	const char	*name;
	struct sqlt	 st;
} sqltypes[] = {
	/* Delta type names (schema) and SQL ones (CAST) */
	{ "boolean", { PRED_T_BOOL, 0 } }, { "bool", { PRED_T_BOOL, 0 } },
	{ "byte", { PRED_T_INT, 1 } }, { "tinyint", { PRED_T_INT, 1 } },
	{ "short", { PRED_T_INT, 2 } }, { "smallint", { PRED_T_INT, 2 } },
	{ "integer", { PRED_T_INT, 4 } }, { "int", { PRED_T_INT, 4 } },
	{ "long", { PRED_T_LONG, 8 } }, { "bigint", { PRED_T_LONG, 8 } },
	{ "float", { PRED_T_FLOAT, 4 } }, { "real", { PRED_T_FLOAT, 4 } },
	{ "double", { PRED_T_DOUBLE, 8 } },
	{ "string", { PRED_T_STRING, 0 } }, { "date", { PRED_T_DATE, 0 } },
	{ "timestamp", { PRED_T_TIMESTAMP, 0 } },
	{ "timestamp_ntz", { PRED_T_TIMESTAMP, 0 } },
	{ "timestamp_ltz", { PRED_T_TIMESTAMP, 0 } },
};

static struct sqlt
sqlt_of(const char *name)
{
	struct sqlt	 none = { 0, 0 };
	size_t		 i;

	for (i = 0; name != NULL && i < sizeof(sqltypes) / sizeof(sqltypes[0]);
	    i++)
		if (strcasecmp(name, sqltypes[i].name) == 0)
			return sqltypes[i].st;
	return none;
}

/* Types compared the same way: integers, floats, each other type. */
static int
category(enum pred_type t)
{
	switch (t) {
	case PRED_T_LONG:
		return PRED_T_INT;
	case PRED_T_DOUBLE:
		return PRED_T_FLOAT;
	default:
		return t;
	}
}

/* --- the tokenizer ------------------------------------------------------- */

static bool
word_char(char c, bool first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	    (unsigned char)c >= 0x80 || (!first && c >= '0' && c <= '9');
}

static bool
digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * The end of the quoted text at s[i] (the quote), past the closing
 * quote; q doubled stands for q.  0 when it does not end, or (strings)
 * holds a backslash: Spark reads escapes there, too easy to get wrong.
 */
static size_t
quoted_end(const struct sp *p, enum tk k)
{
	char	 q = p->s[p->i];
	size_t	 i;

	for (i = p->i + 1; i < p->n; i++) {
		if (p->s[i] == '\\' && k == T_STR)
			return 0;
		if (p->s[i] != q)
			continue;
		if (i + 1 < p->n && p->s[i + 1] == q)
			i++;
		else
			return i + 1;
	}
	return 0;
}

/* A quoted string or identifier, decoded. */
static void
lex_quoted(struct sp *p, enum tk k)
{
	char	 q = p->s[p->i], *out;
	size_t	 end, o = 0;

	if ((end = quoted_end(p, k)) == 0) {
		p->t.k = T_ERR;
		return;
	}
	out = arena_alloc(p->a, end - p->i);
	for (p->i++; p->i < end - 1; p->i++) {
		out[o++] = p->s[p->i];
		if (p->s[p->i] == q)
			p->i++;
	}
	out[o] = '\0';
	p->i = end;
	p->t.k = k;
	p->t.text = out;
}

/* digits[.digits][e[+-]digits], not followed by a letter (1L, 2D). */
static void
lex_number(struct sp *p)
{
	size_t	 b = p->i, k;

	while (p->i < p->n && digit(p->s[p->i]))
		p->i++;
	if (p->i < p->n && p->s[p->i] == '.')
		for (p->i++; p->i < p->n && digit(p->s[p->i]); p->i++)
			;
	if (p->i < p->n && (p->s[p->i] == 'e' || p->s[p->i] == 'E')) {
		k = p->i + 1;
		if (k < p->n && (p->s[k] == '+' || p->s[k] == '-'))
			k++;
		if (k < p->n && digit(p->s[k]))
			for (p->i = k; p->i < p->n && digit(p->s[p->i]); p->i++)
				;
	}
	if ((p->i < p->n && (word_char(p->s[p->i], false) ||
	    p->s[p->i] == '.')) || (p->i - b == 1 && p->s[b] == '.')) {
		p->t.k = T_ERR;
		return;
	}
	p->t.k = T_NUM;
	p->t.text = arena_strndup(p->a, p->s + b, p->i - b);
}

/* < <= <=> <> > >= = == != */
static void
lex_op(struct sp *p)
{
	static const char *const ops[] = { "<=>", "<=", "<>", ">=", "==",
	    "!=", "<", ">", "=" };
	size_t			 i, len;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		len = strlen(ops[i]);
		if (p->n - p->i >= len &&
		    memcmp(p->s + p->i, ops[i], len) == 0) {
			p->i += len;
			p->t.k = T_OP;
			p->t.text = ops[i];
			return;
		}
	}
	p->t.k = T_ERR;
}

static void
next(struct sp *p)
{
	const char	*s = p->s;
	size_t		 b;

	while (p->i < p->n && strchr(" \t\r\n\f", s[p->i]) != NULL)
		p->i++;
	p->t.text = "";
	if (p->i >= p->n) {
		p->t.k = T_END;
		return;
	}
	switch (s[p->i]) {
	case '\'':
	case '"':
		lex_quoted(p, T_STR);
		return;
	case '`':
		lex_quoted(p, T_QWORD);
		return;
	case '(':
	case ')':
	case '-':
		p->t.k = s[p->i] == '(' ? T_LPAREN : s[p->i] == ')' ?
		    T_RPAREN : T_MINUS;
		p->i++;
		return;
	case '.':
		if (p->i + 1 < p->n && digit(s[p->i + 1]))
			break;
		p->t.k = T_DOT;
		p->i++;
		return;
	case '<': case '>': case '=': case '!':
		lex_op(p);
		return;
	}
	if (digit(s[p->i]) || s[p->i] == '.') {
		lex_number(p);
		return;
	}
	if (!word_char(s[p->i], true)) {
		p->t.k = T_ERR;
		return;
	}
	for (b = p->i; p->i < p->n && word_char(s[p->i], false); p->i++)
		;
	p->t.k = T_WORD;
	p->t.text = arena_strndup(p->a, s + b, p->i - b);
}

/* The kind of the token after the current one. */
static enum tk
peek(struct sp *p)
{
	struct tok	 save = p->t;
	size_t		 i = p->i;
	enum tk		 k;

	next(p);
	k = p->t.k;
	p->t = save;
	p->i = i;
	return k;
}

static bool
is_kw(const struct sp *p, const char *kw)
{
	return p->t.k == T_WORD && strcasecmp(p->t.text, kw) == 0;
}

/* Consume keyword kw if it is the current token. */
static bool
accept_kw(struct sp *p, const char *kw)
{
	if (!is_kw(p, kw))
		return false;
	next(p);
	return true;
}

static bool
accept(struct sp *p, enum tk k)
{
	if (p->t.k != k)
		return false;
	next(p);
	return true;
}

static bool
reserved(const char *w)
{
	static const char *const kws[] = { "and", "or", "not", "is", "null",
	    "true", "false", "as", "cast", "in", "like", "between", NULL };
	size_t			 i;

	for (i = 0; kws[i] != NULL; i++)
		if (strcasecmp(w, kws[i]) == 0)
			return true;
	return false;
}

/* --- trees --------------------------------------------------------------- */

static struct pred *
mk(struct sp *p, enum pred_op op, size_t nkids)
{
	struct pred	*n = arena_calloc(p->a, 1, sizeof(*n));

	n->op = op;
	n->nkids = nkids;
	if (nkids > 0)
		n->kids = arena_calloc(p->a, nkids, sizeof(*n->kids));
	return n;
}

static struct pred *
mk_col(struct sp *p, const struct opnd *o, enum pred_type t)
{
	struct pred	*n = mk(p, PRED_COLUMN, 0);

	n->name = o->col->name;
	n->type = t;
	return n;
}

static struct pred *
mk_unary(struct sp *p, enum pred_op op, struct pred *kid)
{
	struct pred	*n = mk(p, op, 1);

	n->kids[0] = kid;
	return n;
}

/* --- operands ------------------------------------------------------------ */

/* A partition column: name or partitionValues.name. */
static int
parse_column(struct sp *p, struct opnd *o)
{
	const char	*name = p->t.text;
	size_t		 i;

	next(p);
	if (accept(p, T_DOT)) {
		if (strcasecmp(name, "partitionValues") != 0 ||
		    (p->t.k != T_WORD && p->t.k != T_QWORD))
			return -1;
		name = p->t.text;
		next(p);
	}
	for (i = 0; i < p->sc->n; i++)
		if (p->sc->cols[i].partition &&
		    strcasecmp(p->sc->cols[i].name, name) == 0)
			break;
	if (i == p->sc->n)
		return -1;
	o->col = &p->sc->cols[i];
	o->ct = sqlt_of(o->col->type);
	return o->ct.t == 0 ? -1 : 0;
}

/* Apply CAST(... AS to) to what o holds. */
static int
cast(struct opnd *o, struct sqlt to)
{
	if (to.t == 0)
		return -1;
	if (o->col != NULL) {
		/* Only casts that keep every value of the column. */
		if (category(to.t) != category(o->ct.t) ||
		    to.width < o->ct.width)
			return -1;
		o->ct = to;
		return 0;
	}
	if (o->lk == L_NULL || (o->lk == L_TYPED && o->lt != to.t))
		return -1;
	o->lk = L_TYPED;
	o->lt = to.t;
	return 0;
}

/* CAST ( operand AS type ) */
static int
parse_cast(struct sp *p, struct opnd *o)
{
	struct sqlt	 to;

	next(p);
	if (!accept(p, T_LPAREN) || parse_opnd(p, o) == -1 ||
	    !accept_kw(p, "AS") || p->t.k != T_WORD)
		return -1;
	to = sqlt_of(p->t.text);
	next(p);
	if (!accept(p, T_RPAREN))
		return -1;
	return cast(o, to);
}

/* A literal that is a word: true, false, null, DATE'..', TIMESTAMP'..'. */
static int
parse_word_lit(struct sp *p, struct opnd *o)
{
	if (is_kw(p, "true") || is_kw(p, "false")) {
		o->lk = L_BOOL;
		o->text = is_kw(p, "true") ? "true" : "false";
	} else if (is_kw(p, "null"))
		o->lk = L_NULL;
	else {
		o->lk = L_TYPED;
		o->lt = sqlt_of(p->t.text).t;
		next(p);
		if (o->lt != PRED_T_DATE && o->lt != PRED_T_TIMESTAMP)
			return -1;
		o->text = p->t.text;
	}
	next(p);
	return 0;
}

static int
parse_opnd(struct sp *p, struct opnd *o)
{
	int	 rc = -1;

	memset(o, 0, sizeof(*o));
	if (++p->depth > PRED_MAX_DEPTH)
		return -1;
	if (p->t.k == T_STR || p->t.k == T_NUM) {
		o->lk = p->t.k == T_STR ? L_STR : L_NUM;
		o->text = p->t.text;
		next(p);
		rc = 0;
	} else if (p->t.k == T_MINUS) {
		next(p);
		if (p->t.k == T_NUM) {
			o->lk = L_NUM;
			o->text = arena_printf(p->a, "-%s", p->t.text);
			next(p);
			rc = 0;
		}
	} else if (is_kw(p, "cast") && peek(p) == T_LPAREN)
		rc = parse_cast(p, o);
	else if (p->t.k == T_WORD && (is_kw(p, "true") || is_kw(p, "false") ||
	    is_kw(p, "null") || peek(p) == T_STR))
		rc = parse_word_lit(p, o);
	else if (p->t.k == T_QWORD ||
	    (p->t.k == T_WORD && !reserved(p->t.text)))
		rc = parse_column(p, o);
	p->depth--;
	return rc;
}

/* --- predicates ---------------------------------------------------------- */

/* The type a literal compares in against a column of type ct. */
static enum pred_type
lit_type(const struct opnd *lit, struct sqlt ct)
{
	switch (lit->lk) {
	case L_STR:
		return ct.t;
	case L_NUM:
		if (category(ct.t) == PRED_T_FLOAT)
			return PRED_T_DOUBLE;
		return category(ct.t) == PRED_T_INT ? ct.t : 0;
	case L_BOOL:
		return ct.t == PRED_T_BOOL ? ct.t : 0;
	case L_TYPED:
		return category(lit->lt) == category(ct.t) ? lit->lt : 0;
	default:
		return 0;
	}
}

/* a op b, one a column and the other a literal. */
static struct pred *
comparison(struct sp *p, const char *op, const struct opnd *a,
    const struct opnd *b)
{
	const struct opnd	*col = a->col != NULL ? a : b;
	const struct opnd	*lit = a->col != NULL ? b : a;
	struct pred		*cmp, *n[2], *both;
	enum pred_type		 t;

	if ((a->col == NULL) == (b->col == NULL) ||
	    (t = lit_type(lit, col->ct)) == 0)
		return NULL;
	n[0] = mk_col(p, col, t);
	n[1] = mk(p, PRED_LITERAL, 0);
	n[1]->type = t;
	n[1]->value = lit->text;
	if (strcmp(op, "<") == 0 || strcmp(op, ">") == 0 ||
	    strcmp(op, "<=") == 0 || strcmp(op, ">=") == 0) {
		cmp = mk(p, op[0] == '<' ? (op[1] ? PRED_LE : PRED_LT) :
		    (op[1] ? PRED_GE : PRED_GT), 2);
		/* Keep the written order: 'a' < col is col > 'a'. */
		cmp->kids[0] = n[a->col != NULL ? 0 : 1];
		cmp->kids[1] = n[a->col != NULL ? 1 : 0];
		return cmp;
	}
	cmp = mk(p, PRED_EQ, 2);
	cmp->kids[0] = n[0];
	cmp->kids[1] = n[1];
	if (strcmp(op, "<>") == 0 || strcmp(op, "!=") == 0)
		return mk_unary(p, PRED_NOT, cmp);
	if (strcmp(op, "<=>") != 0)
		return cmp;
	/* Null-safe: FALSE, never NULL, on a null column. */
	both = mk(p, PRED_AND, 2);
	both->kids[0] = mk_unary(p, PRED_NOT, mk_unary(p, PRED_IS_NULL,
	    mk_col(p, col, t)));
	both->kids[1] = cmp;
	return both;
}

/* operand [IS [NOT] NULL | op operand], or a boolean column. */
static struct pred *
parse_atom(struct sp *p)
{
	struct opnd	 a, b;
	const char	*op;
	bool		 neg;

	if (parse_opnd(p, &a) == -1)
		return NULL;
	if (accept_kw(p, "IS")) {
		neg = accept_kw(p, "NOT");
		if (a.col == NULL || !accept_kw(p, "NULL"))
			return NULL;
		return neg ? mk_unary(p, PRED_NOT, mk_unary(p, PRED_IS_NULL,
		    mk_col(p, &a, a.ct.t))) : mk_unary(p, PRED_IS_NULL,
		    mk_col(p, &a, a.ct.t));
	}
	if (p->t.k == T_OP) {
		op = p->t.text;
		next(p);
		if (parse_opnd(p, &b) == -1)
			return NULL;
		return comparison(p, op, &a, &b);
	}
	if (a.col != NULL && a.ct.t == PRED_T_BOOL)
		return mk_col(p, &a, PRED_T_BOOL);
	return NULL;
}

static struct pred *
parse_primary(struct sp *p)
{
	struct pred	*e;

	if (!accept(p, T_LPAREN))
		return parse_atom(p);
	if ((e = parse_or(p)) == NULL || !accept(p, T_RPAREN))
		return NULL;
	return e;
}

static struct pred *
parse_not(struct sp *p)
{
	struct pred	*e = NULL;

	if (++p->depth > PRED_MAX_DEPTH)
		return NULL;
	if (accept_kw(p, "NOT")) {
		if ((e = parse_not(p)) != NULL)
			e = mk_unary(p, PRED_NOT, e);
	} else
		e = parse_primary(p);
	p->depth--;
	return e;
}

/* items joined by kw (AND, OR) into one node; one item is itself. */
static struct pred *
parse_list(struct sp *p, const char *kw, enum pred_op op,
    struct pred *(*item)(struct sp *))
{
	struct pred	*first, *n, **kids, **old;
	size_t		 nk = 1, cap = 4;

	if ((first = item(p)) == NULL)
		return NULL;
	if (!is_kw(p, kw))
		return first;
	kids = arena_calloc(p->a, cap, sizeof(*kids));
	kids[0] = first;
	while (accept_kw(p, kw)) {
		if (nk == cap) {
			old = kids;
			kids = arena_calloc(p->a, cap * 2, sizeof(*kids));
			memcpy(kids, old, cap * sizeof(*kids));
			cap *= 2;
		}
		if ((kids[nk++] = item(p)) == NULL)
			return NULL;
	}
	n = mk(p, op, 0);
	n->kids = kids;
	n->nkids = nk;
	return n;
}

static struct pred *
parse_and(struct sp *p)
{
	return parse_list(p, "AND", PRED_AND, parse_not);
}

static struct pred *
parse_or(struct sp *p)
{
	struct pred	*e;

	if (++p->depth > PRED_MAX_DEPTH)
		return NULL;
	e = parse_list(p, "OR", PRED_OR, parse_and);
	p->depth--;
	return e;
}

/* One hint, or NULL when it is not usable. */
static struct pred *
parse_hint(struct arena *a, const struct pred_schema *sc, const char *s)
{
	struct sp	 p;
	struct pred	*e;

	memset(&p, 0, sizeof(p));
	p.a = a;
	p.sc = sc;
	p.s = s;
	p.n = strlen(s);
	if (p.n > PRED_MAX_JSON || !str_utf8_valid(s, p.n))
		return NULL;
	next(&p);
	if ((e = parse_or(&p)) == NULL || p.t.k != T_END)
		return NULL;
	return e;
}

struct pred *
pred_parse_sql(struct arena *a, const struct delta_metadata *md,
    const char *const *hints, size_t n)
{
	struct pred_schema	 sc;
	struct pred		*all, *e;
	size_t			 i;

	if (hints == NULL || n == 0 || pred_schema(a, md, &sc) == -1)
		return NULL;
	all = arena_calloc(a, 1, sizeof(*all));
	all->op = PRED_AND;
	all->kids = arena_calloc(a, n, sizeof(*all->kids));
	for (i = 0; i < n; i++)
		if (hints[i] != NULL && (e = parse_hint(a, &sc, hints[i])) !=
		    NULL)
			all->kids[all->nkids++] = e;
	if (all->nkids == 0)
		return NULL;
	return all->nkids == 1 ? all->kids[0] : all;
}
