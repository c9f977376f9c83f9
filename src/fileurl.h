/*
 * fileurl.h: signed, expiring URLs through which deltashare serves table
 * files itself ({prefix}/files/{token}), for tables no cloud can presign
 * (local disk) and tables switched to proxy mode.
 *
 * The token names one object: the table (catalog id), the storage key
 * under its root, and an expiry; an HMAC-SHA256 tag under
 * server.secret_file makes it tamper-proof.  Holding the URL is the only
 * credential, as with a presigned cloud URL, so URLs are never logged.
 */
#ifndef DS_FILEURL_H
#define DS_FILEURL_H

#include <stddef.h>
#include <stdint.h>

#include "crypto.h"

struct arena;
struct err;

struct fileurl {
	int64_t		 table_id;
	int64_t		 expires_ms;
	const char	*key;
};

#define FILEURL_MAX_KEY	4096

/* The token (base64url, no padding), in the arena. */
char	*fileurl_token(struct arena *, const unsigned char *secret,
	    size_t secretlen, const struct fileurl *);

/*
 * The secret prepared once for the URLs of a request (its HMAC key, the
 * domain label fed); as secret as the secret: fileurl_key_wipe() it.
 */
struct fileurl_key {
	struct crypto_hmac	 mac;
};

void	fileurl_key_init(struct fileurl_key *, const unsigned char *secret,
	    size_t secretlen);
void	fileurl_key_wipe(struct fileurl_key *);

/* The URL "{base}/files/{token}" (base: baselen bytes), in the arena. */
char	*fileurl_url(struct arena *, const struct fileurl_key *,
	    const char *base, size_t baselen, const struct fileurl *);

/*
 * The token of f (made with the prepared key), NUL-terminated, at out:
 * fileurl_token_len(strlen(f->key)) + 1 bytes.  Returns its length.
 */
size_t	 fileurl_put_token(const struct fileurl_key *, const struct fileurl *,
	    char *out);
size_t	 fileurl_token_len(size_t keylen);

/*
 * Check and decode a token: ERR_FORBIDDEN when it was not made with
 * this secret, was altered, or expired before now_ms.  The key is in the
 * arena.
 */
int	 fileurl_open(struct arena *, const unsigned char *secret,
	    size_t secretlen, const char *token, int64_t now_ms,
	    struct fileurl *, struct err *);

#endif
