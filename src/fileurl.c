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

void
fileurl_key_init(struct fileurl_key *k, const unsigned char *secret,
    size_t secretlen)
{
	crypto_hmac_init(&k->mac, secret, secretlen);
	crypto_hmac_update(&k->mac, FU_LABEL, sizeof(FU_LABEL));
}

void
fileurl_key_wipe(struct fileurl_key *k)
{
	crypto_hmac_wipe(&k->mac);
}

/* The tag of the len bytes of body: the label's MAC continued. */
static void
tag(const struct fileurl_key *k, const unsigned char *body, size_t len,
    unsigned char out[FU_TAG])
{
	struct crypto_hmac m = k->mac;
	unsigned char	 mac[CRYPTO_SHA256_LEN];

	crypto_hmac_update(&m, body, len);
	crypto_hmac_final(&m, mac);
	memcpy(out, mac, FU_TAG);
}

size_t
fileurl_token_len(size_t keylen)
{
	if (keylen > FILEURL_MAX_KEY)
		keylen = FILEURL_MAX_KEY;
	return (FU_HEAD + keylen + FU_TAG) / 3 * 4 +
	    ((FU_HEAD + keylen + FU_TAG) % 3 == 0 ? 0 :
	    (FU_HEAD + keylen + FU_TAG) % 3 + 1);
}

size_t
fileurl_put_token(const struct fileurl_key *k, const struct fileurl *f,
    char *out)
{
	unsigned char	 raw[FU_HEAD + FILEURL_MAX_KEY + FU_TAG];
	size_t		 klen = strlen(f->key), len;

	if (klen > FILEURL_MAX_KEY)
		klen = FILEURL_MAX_KEY;		/* never signs a longer key */
	len = FU_HEAD + klen;
	raw[0] = FU_VERSION;
	bytes_put_le64(raw + 1, (uint64_t)f->table_id);
	bytes_put_le64(raw + 9, (uint64_t)f->expires_ms);
	memcpy(raw + FU_HEAD, f->key, klen);
	tag(k, raw, len, raw + len);
	return str_b64url_encode(raw, len + FU_TAG, out);
}

/* The token of f after the n bytes of base and mid, in the arena. */
static char *
url(struct arena *a, const struct fileurl_key *k, const char *base,
    size_t n, const char *mid, const struct fileurl *f)
{
	size_t		 mlen = strlen(mid);
	char		*out;

	out = arena_alloc(a, n + mlen + fileurl_token_len(strlen(f->key)) + 1);
	memcpy(out, base, n);
	memcpy(out + n, mid, mlen);
	fileurl_put_token(k, f, out + n + mlen);
	return out;
}

char *
fileurl_url(struct arena *a, const struct fileurl_key *k, const char *base,
    size_t baselen, const struct fileurl *f)
{
	return url(a, k, base, baselen, "/files/", f);
}

char *
fileurl_token(struct arena *a, const unsigned char *secret, size_t secretlen,
    const struct fileurl *f)
{
	struct fileurl_key k;
	char		*out;

	fileurl_key_init(&k, secret, secretlen);
	out = url(a, &k, "", 0, "", f);
	fileurl_key_wipe(&k);
	return out;
}

int
fileurl_open(struct arena *a, const unsigned char *secret, size_t secretlen,
    const char *token, int64_t now_ms, struct fileurl *f, struct err *e)
{
	struct fileurl_key k;
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
	fileurl_key_init(&k, secret, secretlen);
	tag(&k, raw, (size_t)n, expect);
	fileurl_key_wipe(&k);
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
