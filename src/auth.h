/*
 * auth.h: who is calling: bearer token to principal.
 *
 * A request is authenticated by a JWT whose audience names the API it
 * may call (recipient or admin) and whose jti is a live row of the token
 * table: not revoked, not expired, owned by an existing recipient or
 * account of the right kind.  Every failure is 401.
 *
 * The check comes in two halves so that the database half can ride on
 * the statement a handler runs anyway: auth_verify() checks the JWT and
 * leaves the principal pending; any statement that selects the token's
 * columns (AUTH_TOKEN_COLS first, see db_stmt.c) settles it with
 * auth_settle(), and auth_lookup() settles it alone.  Nothing may be
 * answered for a pending principal.
 */
#ifndef DS_AUTH_H
#define DS_AUTH_H

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct conf;
struct db;
struct db_res;
struct err;

/* Columns 0.. of a row that carries the token: see auth_settle(). */
#define AUTH_TOKEN_NCOLS	5

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
	int64_t		 now;		/* Unix time of the JWT check */
	bool		 pending;	/* JWT good, token row not yet read */
};

/* Both halves: the JWT, then the token's row. */
int	auth_check(const struct conf *, struct db *, struct arena *,
	    const char *authorization, enum auth_kind want, int64_t now,
	    struct principal *, struct err *);

/* The JWT alone: fills kind and token_id, leaves the principal pending. */
int	auth_verify(const struct conf *, struct arena *,
	    const char *authorization, enum auth_kind want, int64_t now,
	    struct principal *, struct err *);

/* Settle a pending principal with its own statement (no-op if settled). */
int	auth_lookup(struct db *, struct arena *, struct principal *,
	    struct err *);

/*
 * Settle the principal from the token columns of the first row of res
 * (no row: unknown token): kind, owner id and name, revoked, and the
 * expiry as Unix time, which is compared with the principal's now (the
 * row itself does not depend on the clock, so it may come from the
 * catalog cache).  On failure the principal is cleared.
 */
int	auth_settle(struct principal *, const struct db_res *, struct arena *,
	    struct err *);

#endif
