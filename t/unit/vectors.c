/*
 * vectors.c: reading the signing vectors, for the unit tests (see
 * vectors.h).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "vectors.h"

#define MAXP	64

const char *
vectors_dir(void)
{
	static char	 dir[1024];
	const char	*src = getenv("DS_SRC_DIR"), *sh = getenv("DS_SHARED_DIR");

	if (sh != NULL && *sh != '\0')
		snprintf(dir, sizeof(dir), "%s/signing-vectors", sh);
	else
		snprintf(dir, sizeof(dir), "%s/../shared/signing-vectors",
		    src != NULL && *src != '\0' ? src : ".");
	return dir;
}

char *
vectors_slurp(struct arena *a, const char *path)
{
	FILE	*f;
	char	*s;
	long	 n;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	s = arena_alloc(a, (size_t)n + 1);
	s[fread(s, 1, (size_t)n, f)] = '\0';
	fclose(f);
	return s;
}

const char *
vectors_str(struct json_object *o, const char *k)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, k, &v) ||
	    json_object_is_type(v, json_type_null))
		return NULL;
	return json_object_get_string(v);
}

static int
cmp_str(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

bool
vectors_same_url(const char *x, const char *y)
{
	char		*px[2][MAXP], *cp[2], *tok, *save;
	const char	*u[2] = { x, y };
	size_t		 n[2] = { 0, 0 }, i, k;
	bool		 same;

	for (k = 0; k < 2; k++) {
		cp[k] = strdup(u[k]);
		for (tok = strtok_r(cp[k], "?&", &save); tok != NULL &&
		    n[k] < MAXP; tok = strtok_r(NULL, "&", &save))
			px[k][n[k]++] = tok;
		if (n[k] > 1)
			qsort(px[k] + 1, n[k] - 1, sizeof(char *), cmp_str);
	}
	same = n[0] == n[1];
	for (i = 0; same && i < n[0]; i++)
		same = strcmp(px[0][i], px[1][i]) == 0;
	free(cp[0]);
	free(cp[1]);
	return same;
}
