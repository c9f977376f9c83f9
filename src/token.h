/*
 * token.h: bearer JWTs: shape checks, verification and issuance.
 *
 * The only user of libjwt, which issues tokens.  Verification is done
 * here with OpenSSL: libjwt 1.10 lets the token header choose the
 * algorithm, checks no claims and parses the key for every token.  This
 * file pins the algorithm from configuration, decodes every part itself
 * strictly, checks the signature with keys parsed once, and checks exp,
 * nbf, iat, iss, aud and jti.  The database lookup of the jti
 * (revocation, owner) is auth.c's job.
 */
#ifndef DS_TOKEN_H
#define DS_TOKEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct conf;
struct err;

struct token_claims {
	const char	*jti;		/* a UUID */
	const char	*sub;		/* may be NULL */
	int64_t		 exp;
	int64_t		 iat;		/* 0 if absent */
};

/*
 * What a token's claims say, as parsed: the checks that depend on the
 * call (clock, audience, issuer configured) are made on this, so that a
 * token verified before (tokcache.c) gets the very answer it would get
 * verified again.
 */
struct token_facts {
	int64_t		 exp;
	int64_t		 nbf, iat;	/* when has_nbf, has_iat */
	bool		 has_nbf, has_iat;
	const char	*iss;		/* NULL: absent or not a string */
	const char	*aud;		/* the audiences named, each with */
	size_t		 audlen;	/* its NUL; bytes of them all */
	const char	*jti;		/* NULL: absent or not a UUID */
	const char	*sub;		/* NULL: absent, not a UTF-8 string */
};

/*
 * Parse the verification keys (checked against the algorithm) once, at
 * start-up or when the configuration is read again, and check the
 * private key; token_verify() reuses them while the configuration names
 * the same keys.
 */
int	 token_init(const struct conf *, struct err *);

/*
 * Shape checks on an Authorization header value, before any decoding:
 * present, at most max bytes, "Bearer" scheme (any case), then three
 * non-empty base64url parts.  *tok points into authz.
 */
int	 token_front_check(const char *authz, size_t max, const char **tok,
	    struct err *);

/*
 * Verify signature and claims; claims are copied into the arena.  A
 * token verified before with the same keys, kept by the worker's token
 * cache (tokcache.h), skips the decoding and the signature; its claims
 * are checked again against now and audience all the same.
 */
int	 token_verify(const struct conf *, struct arena *, const char *tok,
	    const char *audience, int64_t now, struct token_claims *,
	    struct err *);

/* Claim checks alone (exposed for unit tests and fuzzing). */
int	 token_check_claims(struct arena *, const char *json, size_t len,
	    const char *issuer, const char *audience, int64_t skew,
	    int64_t now, struct token_claims *, struct err *);

/*
 * Sign a token for sub with the given jti and lifetime.  Returns a string
 * the caller frees with free(3) after wiping it, or NULL with err set.
 */
char	*token_issue(const struct conf *, const char *audience,
	    const char *sub, const char *jti, int64_t iat, int64_t exp,
	    struct err *);

#endif
