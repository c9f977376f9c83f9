/*
 * gcsign.h: Google Cloud Storage request signing: V4 signed URLs
 * (GOOG4-RSA-SHA256 with a service account key, GOOG4-HMAC-SHA256 with
 * an HMAC key) and the OAuth2 JWT-bearer assertion a service account
 * trades for an access token.
 *
 * A key is loaded once per process (parsing a PEM key costs as much as
 * a signature) and then signs any number of URLs.  Nothing here does I/O
 * or reads the clock: the caller passes the time, and everything a
 * signing call returns lives in the caller's arena.
 *
 * Signed URLs follow Google's V4 rules, as the googleapis conformance
 * vectors pin them down:
 *	METHOD \n encoded path \n sorted encoded query \n
 *	sorted lowercased "name:value" header lines, host among them \n \n
 *	signed header names joined by ";" \n UNSIGNED-PAYLOAD
 * The payload line is the value of an x-goog-content-sha256 header
 * when the request signs one.
 * The object name is taken raw and encoded once: RFC 3986 unreserved
 * characters and "/" kept, every other byte %XX ("//" and "." stay, as
 * GCS never normalises).  Query names and values are encoded the same
 * way with "/" encoded too.  The host is signed without its port, as
 * Google's client libraries do, unless GCSIGN_SIGN_PORT asks for the
 * Host header as a client sends it.
 *
 * Secrets never appear in error messages; gcsign_key_free() wipes them.
 */
#ifndef DS_GCSIGN_H
#define DS_GCSIGN_H

#include <stddef.h>
#include <stdint.h>

struct arena;
struct err;
struct evp_pkey_st;

/* The longest lifetime of a V4 signed URL: 7 days. */
#define GCSIGN_MAX_EXPIRES	604800
/* GCS object names are 1 to 1024 bytes of UTF-8. */
#define GCSIGN_MAX_OBJECT	1024
/* Extra signed headers, and extra query parameters, each at most. */
#define GCSIGN_MAX_PARAMS	32
/* The lifetime of an OAuth2 JWT-bearer assertion (Google's maximum). */
#define GCSIGN_JWT_LIFETIME	3600

enum gcsign_kind {
	GCSIGN_NONE = 0,	/* zeroed, or freed */
	GCSIGN_RSA,		/* service account: GOOG4-RSA-SHA256 */
	GCSIGN_HMAC		/* HMAC key: GOOG4-HMAC-SHA256 */
};

struct gcsign_key {
	enum gcsign_kind	 kind;
	/* RSA: from the service account JSON. */
	char			*client_email;
	char			*private_key_id;
	char			*token_uri;
	struct evp_pkey_st	*pkey;		/* EVP_PKEY, RSA >= 2048 bits */
	/* HMAC. */
	char			*access_id;
	char			*secret;
	/* HMAC: the derived signing key of the last date and region. */
	char			 cache_date[9];
	char			 cache_region[32];
	unsigned char		 cache_key[32];
};

struct gcsign_param {
	const char	*name;
	const char	*value;
};

enum gcsign_style {
	GCSIGN_PATH = 0,	/* <endpoint>/<bucket>/<object> */
	GCSIGN_VIRTUAL,		/* <scheme>://<bucket>.<host>/<object> */
	GCSIGN_BOUND		/* the endpoint is the bucket's: /<object> */
};

enum gcsign_flags {
	GCSIGN_SIGN_PORT = (1 << 0),	/* sign "host:port" for a port that
					   is not the scheme's default */
	GCSIGN_LOWER = (1 << 1)		/* spell x-goog-* in lower case,
					   as gsutil does */
};

struct gcsign_req {
	const char		*method;	/* NULL: "GET" */
	const char		*endpoint;	/* scheme://host[:port] */
	enum gcsign_style	 style;
	const char		*bucket;	/* unused with GCSIGN_BOUND */
	const char		*object;	/* raw bytes; NULL or "": the
						   bucket itself */
	size_t			 objlen;	/* 0: strlen(object) */
	const char		*region;	/* NULL: "auto" */
	int64_t			 now;		/* epoch seconds */
	int64_t			 expires;	/* 1..GCSIGN_MAX_EXPIRES */
	const struct gcsign_param *headers;	/* to sign, besides host */
	size_t			 nheaders;
	const struct gcsign_param *query;	/* raw name/value, signed */
	size_t			 nquery;
	unsigned int		 flags;		/* enum gcsign_flags */
};

/* A signed URL and how it was made, all in the arena. */
struct gcsign_signed {
	const char	*url;		/* what to hand out */
	const char	*host;		/* the host line that was signed */
	const char	*path;		/* the encoded path */
	const char	*canonical;	/* canonical request, for tests */
	const char	*to_sign;	/* string to sign, for tests */
	const char	*signature;	/* hex */
};

/*
 * Load a service account key from its JSON file contents: json[0..len),
 * one object and optional white space, no NUL needed at json[len].
 * client_email, private_key (an unencrypted PEM RSA key of 2048 bits or
 * more), private_key_id and token_uri are required, and "type", when
 * present, must be "service_account".  Returns 0, or -1 with
 * ERR_BAD_PARAM and k left zeroed.  Free with gcsign_key_free().
 */
int	gcsign_key_load(struct gcsign_key *k, const char *json, size_t len,
	    struct err *);

/*
 * An HMAC key: access id ("GOOG1...") and secret, both copied.  Returns
 * 0, or -1 with ERR_BAD_PARAM when either is empty or not printable.
 */
int	gcsign_key_hmac(struct gcsign_key *k, const char *access_id,
	    const char *secret, struct err *);

/* Release and wipe a key; a zeroed or freed key is fine. */
void	gcsign_key_free(struct gcsign_key *);

/*
 * Sign one URL.  Bad input (method, endpoint, bucket, an object name
 * with NUL, CR or LF, invalid UTF-8 or over GCSIGN_MAX_OBJECT bytes,
 * header and parameter names, expiry out of range) is ERR_BAD_PARAM;
 * a failing RSA operation is ERR_INTERNAL.  The key's HMAC cache may be
 * updated, hence not const.  Returns 0 and fills *out, or -1.
 */
int	gcsign_url(struct gcsign_key *, const struct gcsign_req *,
	    struct arena *, struct gcsign_signed *out, struct err *);

/*
 * The RS256 JWT a service account posts to its token_uri: header
 * {"alg":"RS256","typ":"JWT","kid":private_key_id}, claims iat = now,
 * exp = now + GCSIGN_JWT_LIFETIME, iss = client_email, aud = token_uri
 * and scope (space-separated scopes), as unpadded base64url segments.
 * Returns 0 and the compact token in *out (arena), or -1.
 */
int	gcsign_jwt(const struct gcsign_key *, const char *scope, int64_t now,
	    struct arena *, const char **out, struct err *);

/*
 * The application/x-www-form-urlencoded body of the token request:
 * grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&
 * assertion=<assertion>, in the arena.
 */
char	*gcsign_token_body(struct arena *, const char *assertion);

#endif
