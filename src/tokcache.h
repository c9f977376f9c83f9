/*
 * tokcache.h: a worker's memory of the bearer tokens it verified.
 *
 * A client sends the same token with every call; verifying it again
 * (two base64url decodes, two JSON parses and the signature) was about
 * a fifth of a discovery call's CPU.  This keeps, per process, a fixed
 * number of slots of tokens that verified fine, each with its claims as
 * parsed (struct token_facts), in memory of its own.  token.c looks a
 * token up before decoding it and still checks the claims that depend
 * on the call (clock, audience, issuer) on every hit; revocation is the
 * catalog's check after this, so nothing here delays it.
 *
 * Lookups go by an HMAC-SHA256 of the token under a key drawn at random
 * when the cache is configured (in the worker), so that clients cannot
 * aim tokens at one slot; a slot matches only after a constant-time
 * compare of the whole token.  Tokens longer than TOKCACHE_TOKEN_MAX are
 * never kept.  Nothing is kept until tokcache_configure() is called
 * (FastCGI workers do, from cache.token_slots), so commands and CGI
 * processes verify every token in full.
 */
#ifndef DS_TOKCACHE_H
#define DS_TOKCACHE_H

#include <stddef.h>

#include "conf.h"
#include "token.h"

#define TOKCACHE_TOKEN_MAX	2048	/* bytes of a token kept */

/* Drop everything and keep up to slots tokens from now on (0: none). */
void	tokcache_configure(size_t slots);

/* Drop every token kept (the verification keys changed). */
void	tokcache_clear(void);

/*
 * The claims of tok (len bytes, verified before with the keys of alg
 * now in place), or NULL; counted as a hit or a miss of the "token"
 * cache when the cache is on.  The facts stay valid until the next
 * tokcache_put(), tokcache_clear() or tokcache_configure().
 */
const struct token_facts *tokcache_get(const char *tok, size_t len,
	    enum conf_alg alg);

/*
 * Keep tok, which verified fine with the keys of alg, and a copy of its
 * facts, in the slot of its hash or the one after it, replacing the
 * less recently used of the two when both are taken.
 */
void	tokcache_put(const char *tok, size_t len, enum conf_alg alg,
	    const struct token_facts *);

#endif
