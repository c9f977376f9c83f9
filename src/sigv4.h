/*
 * sigv4.h: AWS Signature Version 4, as S3 and S3-compatible stores
 * check it: the Authorization header of a request, and presigned URLs.
 *
 * A request is described unencoded: the path as raw bytes ("/bucket/a
 * b+c.parquet"), query parameters as raw name/value pairs.  sigv4
 * encodes them once, the way S3 wants (RFC 3986 unreserved characters
 * kept, "/" kept in the path and encoded as %2F in query values), so the
 * canonical request and the URL sent always agree.  Paths are never
 * normalised ("//" and "." stay), as S3 does not normalise them.
 *
 * The signing key (four HMACs over the secret, the date, the region and
 * the service) is derived once per day and region and kept, as a
 * prepared HMAC key, in the cache the credentials point to, which should
 * live as long as the process (performance-notes P5).  The presigned
 * URLs of one request share all but their paths: a struct
 * sigv4_presigner makes those parts once, then costs one SHA-256 and
 * one HMAC per URL.  Nothing here does I/O or reads the clock: the
 * caller passes the time.
 */
#ifndef DS_SIGV4_H
#define DS_SIGV4_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto.h"

struct arena;
struct err;

/* The derived key of one (date, region, service), ready to MAC with. */
struct sigv4_kcache {
	char			 date[9];	/* YYYYMMDD, "" when empty */
	char			 region[64];
	char			 service[32];
	struct crypto_hmac	 key;
};

struct sigv4_creds {
	const char		*access_key;
	const char		*secret_key;
	const char		*session_token;	/* NULL: none */
	const char		*region;	/* "us-east-1" */
	const char		*service;	/* "s3" */
	struct sigv4_kcache	*cache;		/* NULL: derive every time */
};

struct sigv4_param {
	const char	*name;
	const char	*value;
};

struct sigv4_req {
	const char		*method;	/* "GET" */
	const char		*host;		/* with ":port" unless default */
	const char		*path;		/* raw, starts with "/" */
	const struct sigv4_param *query;	/* raw name/value */
	size_t			 nquery;
	const struct sigv4_param *headers;	/* to sign, besides host */
	size_t			 nheaders;
	const char		*payload_hash;	/* hex SHA-256 or
						   "UNSIGNED-PAYLOAD" */
	bool			 content_sha256; /* sign x-amz-content-sha256
						   (S3 always does) */
	int64_t			 now;		/* epoch seconds */
};

/* What a header signature gives, in the arena. */
struct sigv4_signed {
	const char	*authorization;	/* the Authorization header value */
	const char	*amz_date;	/* x-amz-date: YYYYMMDDTHHMMSSZ */
	const char	*path;		/* the encoded path to send */
	const char	*query;		/* the encoded query to send ("" none) */
	const char	*canonical;	/* for tests and debugging */
	const char	*to_sign;
};

/* The longest presigned URL lifetime S3 accepts: 7 days. */
#define SIGV4_MAX_EXPIRES	604800

/*
 * Sign a request for the Authorization header.  The caller sends the
 * headers it passed plus x-amz-date, x-amz-content-sha256 (when asked)
 * and x-amz-security-token (with a session token), which are signed.
 */
int	sigv4_sign(const struct sigv4_req *, struct sigv4_creds *,
	    struct arena *, struct sigv4_signed *, struct err *);

/*
 * Presign: the query (request parameters plus the X-Amz-* ones, the
 * signature last) valid for expires seconds (1..SIGV4_MAX_EXPIRES).
 * The payload hash is UNSIGNED-PAYLOAD for S3 unless req says.
 */
int	sigv4_presign(const struct sigv4_req *, struct sigv4_creds *,
	    int64_t expires, struct arena *, struct sigv4_signed *,
	    struct err *);

/*
 * What every presigned URL of one request shares: made by
 * sigv4_presigner_init() from a request whose path is the raw prefix of
 * the paths to come ("/bucket/dir/"), for a URL that starts with origin
 * ("https://host").  It holds key material and memory of its own:
 * sigv4_presigner_wipe() it when done (also safe after a failed init,
 * or on a zeroed one).
 */
struct sigv4_presigner {
	char			*method;
	char			*head;		/* origin, encoded prefix */
	size_t			 headlen, originlen;
	char			*tail;		/* the canonical request after
						   the path: "\n" query... */
	size_t			 taillen;
	char			*query;		/* "?" query "&X-Amz-Signature=" */
	size_t			 querylen;
	char			*to_sign;	/* the string to sign's head */
	struct crypto_sha256	 canon;		/* method and prefix fed */
	struct crypto_hmac	 mac;		/* to_sign fed */
};

int	sigv4_presigner_init(struct sigv4_presigner *,
	    const struct sigv4_req *, struct sigv4_creds *, int64_t expires,
	    const char *origin, struct arena *, struct err *);

/* The presigned URL of the prefix followed by path (raw), in the arena. */
char	*sigv4_presigner_url(const struct sigv4_presigner *,
	    const char *path, struct arena *);
void	sigv4_presigner_wipe(struct sigv4_presigner *);

/* S3's encoding of a raw string: unreserved kept, "/" kept if asked. */
char	*sigv4_encode(struct arena *, const char *, bool keep_slash);

#endif
