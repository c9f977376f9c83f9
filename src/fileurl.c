/*
 * fileurl.c: tokens of the file URLs (see fileurl.h).
 *
 * Layout before base64url: version (1 byte), table id and expiry in ms
 * (8 bytes each, little-endian), the key's bytes, then the first 16
 * bytes of HMAC-SHA256 over a domain label and everything before it.
 */
#include "config.h"

#include <string.h>

#include "arena.h"
#include "bytes.h"
#include "crypto.h"
#include "err.h"
#include "fileurl.h"
#include "strutil.h"

#define FU_VERSION	1
#define FU_HEAD		17
#define FU_TAG		16
#define FU_LABEL	"deltashare file url v1"

static void
tag(const unsigned char *secret, size_t secretlen, const unsigned char *body,
    size_t len, unsigned char out[FU_TAG])
{
	unsigned char	 mac[CRYPTO_SHA256_LEN];
	unsigned char	 msg[sizeof(FU_LABEL) + FU_HEAD + FILEURL_MAX_KEY];

	memcpy(msg, FU_LABEL, sizeof(FU_LABEL));
	memcpy(msg + sizeof(FU_LABEL), body, len);
	crypto_hmac_sha256(secret, secretlen, msg, sizeof(FU_LABEL) + len, mac);
	memcpy(out, mac, FU_TAG);
}

char *
fileurl_token(struct arena *a, const unsigned char *secret, size_t secretlen,
    const struct fileurl *f)
{
	size_t		 klen = strlen(f->key), len;
	unsigned char	*raw;
	char		*out;

	if (klen > FILEURL_MAX_KEY)
		klen = FILEURL_MAX_KEY;		/* never signs a longer key */
	len = FU_HEAD + klen;
	raw = arena_alloc(a, len + FU_TAG);
	raw[0] = FU_VERSION;
	bytes_put_le64(raw + 1, (uint64_t)f->table_id);
	bytes_put_le64(raw + 9, (uint64_t)f->expires_ms);
	memcpy(raw + FU_HEAD, f->key, klen);
	tag(secret, secretlen, raw, len, raw + len);
	out = arena_alloc(a, (len + FU_TAG + 2) / 3 * 4 + 1);
	str_b64url_encode(raw, len + FU_TAG, out);
	return out;
}

int
fileurl_open(struct arena *a, const unsigned char *secret, size_t secretlen,
    const char *token, int64_t now_ms, struct fileurl *f, struct err *e)
{
	unsigned char	*raw, expect[FU_TAG];
	size_t		 tlen = strlen(token);
	long		 n;
	char		*key;

	if (tlen > (FU_HEAD + FILEURL_MAX_KEY + FU_TAG + 2) / 3 * 4 ||
	    strchr(token, '=') != NULL)
		goto bad;
	raw = arena_alloc(a, tlen / 4 * 3 + 3);
	n = str_b64url_decode(token, tlen, raw);
	if (n < FU_HEAD + FU_TAG + 1 || n > FU_HEAD + FILEURL_MAX_KEY + FU_TAG)
		goto bad;
	n -= FU_TAG;
	tag(secret, secretlen, raw, (size_t)n, expect);
	if (!crypto_equal(expect, raw + n, FU_TAG) || raw[0] != FU_VERSION)
		goto bad;
	f->table_id = (int64_t)bytes_get_le64(raw + 1);
	f->expires_ms = (int64_t)bytes_get_le64(raw + 9);
	key = arena_alloc(a, (size_t)n - FU_HEAD + 1);
	memcpy(key, raw + FU_HEAD, (size_t)n - FU_HEAD);
	key[n - FU_HEAD] = '\0';
	f->key = key;
	if (now_ms > f->expires_ms)
		return err_set(e, ERR_FORBIDDEN, "this file URL has expired");
	return 0;
bad:
	return err_set(e, ERR_FORBIDDEN, "invalid file URL");
}
