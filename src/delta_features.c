/*
 * delta_features.c: reader features (see delta_features.h).
 */
#include "config.h"

#include <string.h>

#include "arena.h"
#include "delta_action.h"
#include "delta_features.h"
#include "delta_table.h"
#include "err.h"

static const struct {
	const char		*name;
	enum delta_feature	 bit;
} known[] = {
	{ "columnMapping", DELTA_F_COLUMN_MAPPING },
	{ "deletionVectors", DELTA_F_DELETION_VECTORS },
	{ "timestampNtz", DELTA_F_TIMESTAMP_NTZ },
	{ "v2Checkpoint", DELTA_F_V2_CHECKPOINT },
	{ "vacuumProtocolCheck", DELTA_F_VACUUM_PROTOCOL_CHECK },
	{ "typeWidening", DELTA_F_TYPE_WIDENING },
	{ "typeWidening-preview", DELTA_F_TYPE_WIDENING },
	{ "variantType", DELTA_F_VARIANT_TYPE },
	{ "variantType-preview", DELTA_F_VARIANT_TYPE },
};

#define NKNOWN	(sizeof(known) / sizeof(known[0]))

const char *
delta_feature_name(enum delta_feature f)
{
	size_t	 i;

	for (i = 0; i < NKNOWN; i++)
		if (known[i].bit == f)
			return known[i].name;
	return "?";
}

static void
add(struct arena *a, const char ***names, size_t *n, const char *name)
{
	const char	**nv;

	nv = arena_calloc(a, *n + 1, sizeof(*nv));
	if (*n > 0)
		memcpy(nv, *names, *n * sizeof(*nv));
	nv[(*n)++] = name;
	*names = nv;
}

int
delta_features_required(const struct delta_protocol *p,
    const struct delta_metadata *md, struct arena *a, unsigned *mask,
    const char ***names, size_t *n, struct err *e)
{
	const char	*mode;
	size_t		 i, k;

	*mask = 0;
	*names = NULL;
	*n = 0;
	if (p->min_reader < 1 || p->min_reader > 3)
		return err_set(e, ERR_UNSUPPORTED, "Delta reader version %d is "
		    "not supported (this server reads versions 1 to 3)",
		    p->min_reader);
	if (p->min_reader == 2) {
		mode = delta_table_property(a, md, "delta.columnMapping.mode");
		if (mode != NULL && strcmp(mode, "none") != 0) {
			*mask |= DELTA_F_COLUMN_MAPPING;
			add(a, names, n, "columnMapping");
		}
		return 0;
	}
	if (p->min_reader < 3)
		return 0;
	for (i = 0; i < p->n_reader_features; i++) {
		for (k = 0; k < NKNOWN; k++)
			if (strcmp(p->reader_features[i], known[k].name) == 0)
				break;
		if (k == NKNOWN)
			return err_set(e, ERR_UNSUPPORTED, "the table needs the "
			    "reader feature '%.64s', which this server does "
			    "not support", p->reader_features[i]);
		*mask |= known[k].bit;
		add(a, names, n, p->reader_features[i]);
	}
	return 0;
}
