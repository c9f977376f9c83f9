/*
 * azsign.h: Azure Blob Storage signatures: Shared Key for the requests
 * the server makes itself (GET, HEAD, List Blobs), and read-only service
 * SAS tokens for the URLs it hands to recipients.
 *
 * Pure functions: no I/O, no clock (the caller passes x-ms-date and the
 * SAS times), no logging.  The account key is base64-decoded once into a
 * struct azsign_key, which the caller wipes with azsign_key_wipe(); it
 * never appears in an error message.  Results are allocated in the
 * caller's arena and hold no secret.
 *
 * Shared Key signs the request as sent: the path already percent-encoded
 * and the query values already encoded (they are decoded for the string
 * to sign, as the service does).  The canonical resource is "/" account
 * followed by that path, so a path-style emulator URL
 * (http://127.0.0.1:10000/acct/container/blob, path "/acct/container/
 * blob") signs the doubled "/acct/acct/container/blob", which Azurite
 * requires; with the account in the host name the path has no account.
 *
 * A SAS is a service SAS with sv=AZSIGN_VERSION and that version's
 * 16-line string to sign, for one blob (sr=b), one container (sr=c) or
 * one ADLS Gen2 directory (sr=d, sdd=depth).  Only read access is
 * signed: permission "r", plus "l" (list) for containers and
 * directories.  Azurite (3.37) rejects sr=d and has no dfs endpoint:
 * directory SAS can only be checked against the SDK vectors.  A file in
 * an ADLS Gen2 account takes an ordinary blob SAS.  No stored access
 * policy (si), IP range (sip), snapshot, encryption scope or response
 * header overrides.
 */
#ifndef DS_AZSIGN_H
#define DS_AZSIGN_H

#include <stddef.h>
#include <stdint.h>

#include "crypto.h"

struct arena;
struct err;

#define AZSIGN_VERSION		"2021-12-02"	/* sv of every SAS */
#define AZSIGN_ACCOUNT_MAX	24	/* Azure: 3-24 of [a-z0-9] */
#define AZSIGN_KEY_MAX		128	/* decoded bytes; Azure's are 64 */
#define AZSIGN_NAME_MAX		1024	/* characters of a blob name */
#define AZSIGN_SEGMENTS_MAX	254	/* "/"-separated parts of a name */
#define AZSIGN_TIME_MAX		253402300799LL	/* 9999-12-31T23:59:59Z */
#define AZSIGN_DATE_LEN		32	/* buffer for azsign_http_date() */

struct azsign_key {
	char		 account[AZSIGN_ACCOUNT_MAX + 1];
	unsigned char	 key[AZSIGN_KEY_MAX];
	size_t		 keylen;	/* 0: not initialised or wiped */
};

/* A query parameter or a header, as sent. */
struct azsign_param {
	const char	*name;
	const char	*value;
};

/*
 * A request to sign with Shared Key.  headers are all those sent (case
 * of names ignored); the signed ones are x-ms-* and the 11 standard
 * ones (Content-Encoding, Content-Language, Content-Length, Content-MD5,
 * Content-Type, Date, If-Modified-Since, If-Match, If-None-Match,
 * If-Unmodified-Since, Range); others (Host, User-Agent) are skipped.
 * x-ms-date (or Date) is required.  x-ms-* names are limited to letters,
 * digits and "-", where the service's collation is byte order.  A query
 * name given twice is signed once, its values sorted and joined by ","
 * (REST docs rule).
 */
struct azsign_req {
	const char			*method;	/* "GET" */
	const char			*path;		/* as sent, "/" first */
	const struct azsign_param	*query;		/* as sent, encoded */
	size_t				 nquery;
	const struct azsign_param	*headers;
	size_t				 nheaders;
};

enum azsign_resource {
	AZSIGN_BLOB,		/* sr=b */
	AZSIGN_CONTAINER,	/* sr=c */
	AZSIGN_DIRECTORY,	/* sr=d, ADLS Gen2 only */
	AZSIGN__MAX
};

/*
 * A service SAS.  name is the blob or directory name, decoded (a blob
 * literally called "a%2Fb" is "a%2Fb"), at most AZSIGN_NAME_MAX
 * characters of valid UTF-8 without control characters; NULL for a
 * container.  A directory name has no empty segment and no "/" at
 * either end.  Times are epoch seconds up to AZSIGN_TIME_MAX.
 */
struct azsign_sas {
	enum azsign_resource	 resource;
	const char		*container;	/* [a-z0-9-]{3,63}, $root... */
	const char		*name;
	const char		*permissions;	/* "r", "l" or "rl" */
	int64_t			 start;		/* 0: none (valid at once) */
	int64_t			 expiry;	/* after start */
	const char		*protocol;	/* NULL, "https", "https,http" */
};

/* A signature, in the arena. */
struct azsign_signed {
	const char	*value;		/* Authorization value, or SAS query */
	const char	*path;		/* SAS: encoded "/container[/name]" */
	const char	*to_sign;	/* for tests and debugging only */
};

/*
 * Check the account name and decode the key (strict base64: standard
 * alphabet, "=" padding, no spaces).  Returns 0, or -1 with ERR_BAD_PARAM
 * and k wiped.
 */
int	azsign_key_init(struct azsign_key *k, const char *account,
	    const char *key_b64, struct err *);

/* Zero the key and the account (also safe on a failed init). */
void	azsign_key_wipe(struct azsign_key *);

/*
 * Sign a request: out->value is the Authorization header value,
 * "SharedKey account:signature"; out->path is NULL.  Returns 0, or -1
 * with ERR_BAD_PARAM on a malformed request or an unset key.
 */
int	azsign_shared_key(const struct azsign_key *,
	    const struct azsign_req *, struct arena *,
	    struct azsign_signed *out, struct err *);

/*
 * Make a SAS: out->value is the query to put after "?" ("st=...&se=...
 * &sp=r&sv=2021-12-02&sr=b&sig=..."), encoded as the Azure SDKs encode
 * it; out->path the encoded path to put before it, after the endpoint
 * ("https://acct.blob.core.windows.net", or "http://127.0.0.1:10000/acct"
 * for a path-style emulator).  Returns 0, or -1 with ERR_BAD_PARAM.
 */
int	azsign_sas(const struct azsign_key *, const struct azsign_sas *,
	    struct arena *, struct azsign_signed *out, struct err *);

/*
 * Blob SAS URLs that share all but the blob's name (a query's files):
 * azsign_presigner_init() takes a blob SAS whose name is the prefix of
 * the names to come (NULL or "": none) and the endpoint's URL
 * ("https://acct.blob.core.windows.net"), and makes the query and the
 * MAC of the string to sign's head once; azsign_presigner_url() then
 * checks and signs one name (the prefix followed by name) into a whole
 * URL, the same as azsign_sas() gives.  The presigner holds key material
 * and memory: azsign_presigner_wipe() it (also after a failed init, or
 * on a zeroed one).
 */
struct azsign_presigner {
	char			*head;		/* origin "/container/" */
	size_t			 headlen;
	char			*prefix;	/* of names, decoded */
	size_t			 prefixlen;
	char			*tail;		/* string to sign after a name */
	size_t			 taillen;
	char			*query;		/* "?se=...&sig=" */
	size_t			 querylen;
	struct crypto_hmac	 mac;		/* its head fed */
};

int	azsign_presigner_init(struct azsign_presigner *,
	    const struct azsign_key *, const struct azsign_sas *,
	    const char *origin, struct arena *, struct err *);
int	azsign_presigner_url(const struct azsign_presigner *,
	    const char *name, struct arena *, const char **url, struct err *);
void	azsign_presigner_wipe(struct azsign_presigner *);

/* The x-ms-date value of a time: "Tue, 02 Jan 2024 03:04:05 GMT". */
void	azsign_http_date(int64_t, char out[AZSIGN_DATE_LEN]);

#endif
