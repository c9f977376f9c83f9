/*
 * admin_audit.c: reading the audit trails back.
 *
 * GET {prefix}/admin/audit lists the records of admin changes newest
 * first, optionally filtered by actor, objectType, object (name,
 * case-insensitive) and a time window [since, until) given as ISO-8601
 * timestamps.  GET {prefix}/admin/audit/sharing lists the records of
 * sharing calls (audit.h) the same way, filtered by recipient, share,
 * schema, table (names, case-insensitive), since and until.
 */
#include "config.h"

#include <string.h>

#include "admin.h"
#include "audit.h"
#include "db.h"
#include "http_req.h"
#include "strutil.h"

#define MAX_FILTERS	6

/* A listing whose filters are the query parameters names[], in order. */
static int
filtered(struct req *r, enum db_stmt stmt, enum admin_list which,
    const char *const *names, size_t n)
{
	const char	*filter[MAX_FILTERS];
	size_t		 i;
	int		 rc;

	int64_t		 ms;

	for (i = 0; i < n; i++) {
		filter[i] = NULL;
		if ((rc = req_query(r, names[i], &filter[i])) == -1)
			return -1;
		if (rc == 1 && *filter[i] == '\0')
			filter[i] = NULL;
		/* The last two filters are the time window. */
		if (i >= n - 2 && filter[i] != NULL &&
		    str_parse_iso8601(filter[i], &ms) == -1)
			return req_fail(r, ERR_BAD_PARAM, "'since' and 'until' "
			    "must be ISO-8601 timestamps");
	}
	return admin_list(r, stmt, which, 0, filter, n);
}

int
admin_audit_list(struct req *r)
{
	static const char *const names[] = {
		"actor", "objectType", "object", "since", "until"
	};

	return filtered(r, STMT_AUDIT_LIST, ADMIN_LIST_AUDIT, names, 5);
}

int
admin_audit_sharing_list(struct req *r)
{
	static const char *const names[] = {
		"recipient", "share", "schema", "table", "since", "until"
	};

	/* This worker's own records first, stored (see audit_flush). */
	audit_flush(r->conf, AUDIT_WAIT_MS);
	return filtered(r, STMT_SHARING_LOG_LIST, ADMIN_LIST_SHARING_LOG,
	    names, 6);
}
