/*
 * delta_features.h: the reader features a Delta table requires of its
 * readers, and whether this server knows them.
 *
 * Reader version 1 needs nothing; 2 means column mapping when the table
 * uses it; 3 lists its reader features by name.  A feature this server
 * does not know, or a reader version above 3, is an error: serving such
 * a table could hand out wrong data.  Which known features a client must
 * declare to be served is the API layer's business.
 */
#ifndef DS_DELTA_FEATURES_H
#define DS_DELTA_FEATURES_H

#include <stddef.h>

struct arena;
struct delta_metadata;
struct delta_protocol;
struct err;

enum delta_feature {
	DELTA_F_COLUMN_MAPPING = 1 << 0,
	DELTA_F_DELETION_VECTORS = 1 << 1,
	DELTA_F_TIMESTAMP_NTZ = 1 << 2,
	DELTA_F_V2_CHECKPOINT = 1 << 3,
	DELTA_F_VACUUM_PROTOCOL_CHECK = 1 << 4,
	DELTA_F_TYPE_WIDENING = 1 << 5,
	DELTA_F_VARIANT_TYPE = 1 << 6,
};

/*
 * The features the table requires: a mask and their names (protocol
 * spelling, in the arena).
 */
int		 delta_features_required(const struct delta_protocol *,
		    const struct delta_metadata *, struct arena *,
		    unsigned *mask, const char ***names, size_t *n,
		    struct err *);

/* The protocol spelling of one feature bit. */
const char	*delta_feature_name(enum delta_feature);

#endif
