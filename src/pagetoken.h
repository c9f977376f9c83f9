/*
 * pagetoken.h: opaque, tamper-proof continuation tokens for list calls.
 *
 * A token records which list it continues (kind), whose it is (owner:
 * recipient or account id), the scope (share and schema ids) and the
 * keyset position (last id returned), and carries an HMAC-SHA256 tag
 * under server.secret_file.  A forged, altered or foreign token (another
 * list, share, schema or recipient) does not decode.
 *
 * Table queries use the same tokens for their pages (scope1: the shared
 * table, scope2: a hash of the query's other parameters, pos1..pos3:
 * where to resume) and for refresh tokens, with an expiry.
 */
#ifndef DS_PAGETOKEN_H
#define DS_PAGETOKEN_H

#include <stddef.h>
#include <stdint.h>

struct arena;

enum pagetoken_kind {
	PT_SHARES = 1,
	PT_SCHEMAS,
	PT_TABLES,
	PT_ALL_TABLES,
	PT_ADMIN_LIST,		/* scope1 names which admin list */
	PT_QUERY,		/* next page of a snapshot query */
	PT_STREAM,		/* next page of startingVersion or changes */
	PT_REFRESH,		/* refresh token of a snapshot query */
};

struct pagetoken {
	enum pagetoken_kind	 kind;
	int64_t			 owner;
	int64_t			 scope1;
	int64_t			 scope2;
	int64_t			 pos1;	/* keyset position */
	int64_t			 pos2;	/* second key, where one is needed */
	int64_t			 pos3;
	int64_t			 expires_ms;	/* 0: never */
};

#define PAGETOKEN_MAXLEN	160

char	*pagetoken_encode(struct arena *, const unsigned char *key,
	    size_t keylen, const struct pagetoken *);

/*
 * Decode s and check it against want's kind, owner and scope; on success
 * fill pos1/pos2 of *want and return 0, else return -1.
 */
int	 pagetoken_decode(const unsigned char *key, size_t keylen,
	    const char *s, struct pagetoken *want);

/*
 * Decode s, checking only its tag: every field into *out.  -1 when the
 * token was not made by this server (or was altered).
 */
int	 pagetoken_read(const unsigned char *key, size_t keylen,
	    const char *s, struct pagetoken *out);

#endif
