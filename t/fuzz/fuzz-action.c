/*
 * fuzz-action.c: libFuzzer harness for delta_action (the JSON lines of
 * Delta commits), and for delta_path and delta_dv on what it parses.
 *
 * The input is a commit file.  Every action it yields is checked: its
 * raw text and the JSON texts it keeps must be valid JSON; every path
 * of a file action is resolved under two roots (file:// and s3://), and
 * any key that comes back must be a valid relative key without control
 * characters; deletion vectors go through delta_dv_check, their
 * uniqueId and UUID, and inline ones through the bitmap reader.  A
 * broken invariant aborts.  The whole input is also parsed as one line.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "delta_action.h"
#include "delta_dv.h"
#include "delta_path.h"
#include "err.h"
#include "jsonv.h"
#include "storage.h"
#include "xmalloc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const roots[] = { "file:///tmp/t", "s3://bucket/tables/t",
	"file:///" };

static void
json_ok(const char *s, size_t n)
{
	const char	*why;
	size_t		 at;

	if (s != NULL && jsonv_check(s, n, 64, &why, &at) != 0)
		abort();
}

static void
key_ok(const char *key, size_t n)
{
	char	*k = xstrndup(key, n);
	size_t	 i;

	if (!storage_key_valid(k))
		abort();
	for (i = 0; i < n; i++)
		if ((unsigned char)k[i] < 0x20 || k[i] == 0x7f)
			abort();
	free(k);
}

static void
dv(struct arena *a, const char *root, const struct delta_dv *d)
{
	const unsigned char	*data;
	const char		*key, *id;
	struct err		 e;
	char			 uuid[37];
	int64_t			 card;
	size_t			 len;

	err_clear(&e);
	if (delta_dv_check(root, d, a, &key, &e) == 0) {
		if (key == NULL ? d->storage_type != 'i' : d->storage_type == 'i')
			abort();
		if (key != NULL)
			key_ok(key, strlen(key));
	} else if (e.kind == ERR_NONE)
		abort();
	id = delta_dv_unique_id(d, a);
	if (id[0] != d->storage_type && d->storage_type != '\0')
		abort();
	if (delta_dv_uuid(d, uuid) == 0 && strlen(uuid) != 36)
		abort();
	if (d->storage_type == 'i' &&
	    delta_dv_inline_data(d, a, &data, &len, &e) == 0)
		(void)delta_dv_bitmap_cardinality(data, len, &card, &e);
}

static void
file(struct arena *a, const struct delta_file *f)
{
	const char	*key, *tab;
	struct err	 e;
	size_t		 r;
	int		 rc;

	json_ok(f->partition_values, strlen(f->partition_values));
	if (f->tags != NULL)
		json_ok(f->tags, strlen(f->tags));
	for (r = 0; r < sizeof(roots) / sizeof(roots[0]); r++) {
		err_clear(&e);
		if (delta_path_key(roots[r], f->path, a, &key, &e) == 0)
			key_ok(key, strlen(key));
		else if (e.kind == ERR_NONE)
			abort();
		rc = delta_path_file_id(roots[r], f, a, &key, &e);
		if (rc == 1 && strstr(key, "://") == NULL)
			abort();
		if (rc == 0) {
			tab = strchr(key, '\t');
			key_ok(key, tab != NULL ? (size_t)(tab - key) :
			    strlen(key));
		}
		if ((delta_path_file_key(roots[r], f, a, &key, &e) == 0) !=
		    (rc == 0))
			abort();
		if (f->dv.storage_type != 0)
			dv(a, roots[r], &f->dv);
	}
}

static int
one(void *ctx, const struct delta_action *act, struct err *e)
{
	struct arena	*a = ctx;

	if (act->raw == NULL || act->raw[act->rawlen] != '\0')
		abort();
	json_ok(act->raw, act->rawlen);
	switch (act->kind) {
	case DELTA_ADD:
	case DELTA_REMOVE:
	case DELTA_CDC:
		file(a, &act->u.file);
		break;
	case DELTA_METADATA:
		json_ok(act->u.metadata.configuration,
		    strlen(act->u.metadata.configuration));
		json_ok(act->u.metadata.format_options,
		    strlen(act->u.metadata.format_options));
		break;
	case DELTA_COMMIT_INFO:
		if (act->u.commit_info.operation_metrics != NULL)
			json_ok(act->u.commit_info.operation_metrics,
			    strlen(act->u.commit_info.operation_metrics));
		break;
	default:
		break;
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct delta_action	 act;
	struct arena		*a = arena_new();
	struct err		 e;
	char			*s;

	s = xmalloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	err_clear(&e);
	if (delta_action_each(a, s, size, one, a, &e) == -1 &&
	    e.kind == ERR_NONE)
		abort();
	err_clear(&e);
	if (delta_action_parse(a, s, size, &act, &e) == 0)
		(void)one(a, &act, &e);
	else if (e.kind == ERR_NONE)
		abort();
	arena_free(a);
	free(s);
	return 0;
}
