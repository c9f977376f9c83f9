/*
 * pagetoken.h: opaque, tamper-proof continuation tokens for list calls.
 *
 * A token records which list it continues (kind), whose it is (owner:
 * recipient or account id), the scope (share and schema ids) and the
 * keyset position (last id returned), and carries an HMAC-SHA256 tag
 * under server.secret_file.  A forged, altered or foreign token (another
 * list, share, schema or recipient) does not decode.
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
};

struct pagetoken {
	enum pagetoken_kind	 kind;
	int64_t			 owner;
	int64_t			 scope1;
	int64_t			 scope2;
	int64_t			 pos1;	/* keyset position */
	int64_t			 pos2;	/* second key, where one is needed */
};

#define PAGETOKEN_MAXLEN	128

char	*pagetoken_encode(struct arena *, const unsigned char *key,
	    size_t keylen, const struct pagetoken *);

/*
 * Decode s and check it against want's kind, owner and scope; on success
 * fill pos1/pos2 of *want and return 0, else return -1.
 */
int	 pagetoken_decode(const unsigned char *key, size_t keylen,
	    const char *s, struct pagetoken *want);

#endif
