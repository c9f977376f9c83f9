/*
 * auth.h: who is calling: bearer token to principal.
 *
 * A request is authenticated by a JWT whose audience names the API it
 * may call (recipient or admin) and whose jti is a live row of the token
 * table: not revoked, not expired, owned by an existing recipient or
 * account of the right kind.  Every failure is 401.
 */
#ifndef DS_AUTH_H
#define DS_AUTH_H

#include <stdint.h>

struct arena;
struct conf;
struct db;
struct err;

enum auth_kind {
	AUTH_NONE,
	AUTH_RECIPIENT,
	AUTH_ADMIN,
};

struct principal {
	enum auth_kind	 kind;
	int64_t		 id;		/* recipient.id or account.id */
	const char	*name;
	const char	*token_id;	/* the jti */
};

int	auth_check(const struct conf *, struct db *, struct arena *,
	    const char *authorization, enum auth_kind want, int64_t now,
	    struct principal *, struct err *);

#endif
