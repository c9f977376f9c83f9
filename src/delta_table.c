/*
 * delta_table.c: opening a table, its log listing and timestamps
 * (see delta_table.h).
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "arena.h"
#include "delta_action.h"
#include "delta_log.h"
#include "delta_table.h"
#include "err.h"
#include "jsonu.h"
#include "storage.h"
#include "strutil.h"

static void
close_storage(void *p)
{
	storage_close(p);
}

int
delta_table_open(const char *location, struct arena *a,
    struct delta_table **out, struct err *e)
{
	return delta_table_open_cred(location, NULL, a, out, e);
}

int
delta_table_open_cred(const char *location, const struct cred *c,
    struct arena *a, struct delta_table **out, struct err *e)
{
	struct delta_table	*t;

	t = arena_calloc(a, 1, sizeof(*t));
	t->a = a;
	if ((t->st = storage_open_cred(location, c, e)) == NULL)
		return -1;
	arena_defer(a, close_storage, t->st);
	t->root = storage_root(t->st);
	if (delta_log_list(t->st, a, false, &t->log, e) == -1)
		return -1;
	*out = t;
	return 0;
}

int
delta_table_full_listing(struct delta_table *t, struct err *e)
{
	if (t->log->full)
		return 0;
	return delta_log_list(t->st, t->a, true, &t->log, e);
}

const char *
delta_table_property(struct arena *a, const struct delta_metadata *md,
    const char *key)
{
	struct json_object	*o, *v;
	struct err		 e;

	if (md == NULL || md->configuration == NULL ||
	    (o = jsonu_parse(a, md->configuration, strlen(md->configuration),
	    8, &e)) == NULL || !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return arena_strdup(a, json_object_get_string(v));
}

bool
delta_table_property_true(struct arena *a, const struct delta_metadata *md,
    const char *key)
{
	const char	*v = delta_table_property(a, md, key);

	return v != NULL && strcasecmp(v, "true") == 0;
}

int
delta_table_timestamps(struct delta_table *t,
    const struct delta_metadata *latest, struct err *e)
{
	const char	*v;
	int64_t		 ict_from = -1;

	if (delta_table_full_listing(t, e) == -1)
		return -1;
	if (t->log->timestamps)
		return 0;
	if (delta_table_property_true(t->a, latest,
	    "delta.enableInCommitTimestamps")) {
		ict_from = 0;
		v = delta_table_property(t->a, latest,
		    "delta.inCommitTimestampEnablementVersion");
		if (v != NULL && str_parse_i64(v, 0, INT64_MAX, &ict_from) == -1)
			return err_set(e, ERR_UPSTREAM, "table property "
			    "delta.inCommitTimestampEnablementVersion is not a "
			    "version");
	}
	return delta_log_timestamps(t->log, t->a, ict_from, e);
}
