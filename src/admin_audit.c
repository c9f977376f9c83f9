/*
 * admin_audit.c: reading the audit trail of admin changes.
 *
 * GET {prefix}/admin/audit lists records newest first, optionally
 * filtered by actor, objectType, object (name, case-insensitive) and a
 * time window [since, until) given as ISO-8601 timestamps.
 */
#include "config.h"

#include <string.h>

#include "admin.h"
#include "db.h"
#include "http_req.h"

int
admin_audit_list(struct req *r)
{
	static const char *const filters[] = {
		"actor", "objectType", "object", "since", "until"
	};
	const char	*filter[5];
	size_t		 i;
	int		 rc;

	for (i = 0; i < 5; i++) {
		filter[i] = NULL;
		if ((rc = req_query(r, filters[i], &filter[i])) == -1)
			return -1;
		if (rc == 1 && *filter[i] == '\0')
			filter[i] = NULL;
	}
	if (admin_list(r, STMT_AUDIT_LIST, ADMIN_LIST_AUDIT, 0, filter,
	    5) == -1) {
		if (r->err.kind == ERR_BAD_PARAM &&
		    (filter[3] != NULL || filter[4] != NULL))
			req_fail(r, ERR_BAD_PARAM, "'since' and 'until' must be "
			    "ISO-8601 timestamps");
		return -1;
	}
	return 0;
}
