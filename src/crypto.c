/*
 * crypto.c: SHA-256, MD5, HMAC-SHA256, AES-256-GCM sealing, constant-time
 * compare, random bytes and UUIDs (see crypto.h).  OpenSSL is also used by
 * token.c, and by the cloud signers (gcsign.c: RSA keys).
 *
 * SHA-256 and MD5 go through OpenSSL's low-level SHA256_* and MD5_*
 * functions, deprecated in OpenSSL 3 but kept there: the EVP calls cost
 * a context allocation and a provider dispatch per digest, which is more
 * than hashing a URL's 300 bytes (measured on OpenSSL 3.0 with SHA-NI:
 * 0.49 us per canonical request through EVP_Digest, 0.22 us through
 * SHA256_*; an HMAC of a string to sign 0.18 us from precomputed pads,
 * 0.30 us through a reused EVP_MAC context, 1.3 us through HMAC()).
 * HMAC is RFC 2104 over those: the key's two pad blocks are hashed once
 * into a struct crypto_hmac, and each message starts from copies.
 */
#include "config.h"

#define OPENSSL_SUPPRESS_DEPRECATED	/* SHA256_*, MD5_*: see above */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/md5.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "crypto.h"
#include "log.h"

#define BLOCK	64		/* SHA-256's block: HMAC pads to it */

/* OpenSSL's low-level hash functions return 1; anything else is fatal. */
static void
must(int rc, const char *what)
{
	if (rc != 1) {
		log_error("%s failed", what);
		abort();
	}
}

void
crypto_sha256_init(struct crypto_sha256 *h)
{
	must(SHA256_Init(&h->c), "SHA256_Init");
}

void
crypto_sha256_update(struct crypto_sha256 *h, const void *p, size_t n)
{
	must(SHA256_Update(&h->c, p, n), "SHA256_Update");
}

void
crypto_sha256_final(struct crypto_sha256 *h, unsigned char out[32])
{
	must(SHA256_Final(out, &h->c), "SHA256_Final");
}

void
crypto_sha256(const void *p, size_t n, unsigned char out[32])
{
	struct crypto_sha256 h;

	crypto_sha256_init(&h);
	crypto_sha256_update(&h, p, n);
	crypto_sha256_final(&h, out);
}

void
crypto_md5(const void *p, size_t n, unsigned char out[16])
{
	MD5_CTX	 c;

	must(MD5_Init(&c), "MD5_Init");
	must(MD5_Update(&c, p, n), "MD5_Update");
	must(MD5_Final(out, &c), "MD5_Final");
}

void
crypto_hmac_init(struct crypto_hmac *m, const void *key, size_t keylen)
{
	unsigned char	 pad[BLOCK], k[BLOCK];
	size_t		 i;

	memset(k, 0, sizeof(k));
	if (keylen > BLOCK)
		crypto_sha256(key, keylen, k);
	else if (keylen > 0)
		memcpy(k, key, keylen);
	for (i = 0; i < BLOCK; i++)
		pad[i] = k[i] ^ 0x36;
	crypto_sha256_init(&m->inner);
	crypto_sha256_update(&m->inner, pad, BLOCK);
	for (i = 0; i < BLOCK; i++)
		pad[i] = k[i] ^ 0x5c;
	crypto_sha256_init(&m->outer);
	crypto_sha256_update(&m->outer, pad, BLOCK);
	crypto_wipe(pad, sizeof(pad));
	crypto_wipe(k, sizeof(k));
}

void
crypto_hmac_update(struct crypto_hmac *m, const void *p, size_t n)
{
	crypto_sha256_update(&m->inner, p, n);
}

void
crypto_hmac_final(struct crypto_hmac *m, unsigned char out[32])
{
	unsigned char	 in[CRYPTO_SHA256_LEN];

	crypto_sha256_final(&m->inner, in);
	crypto_sha256_update(&m->outer, in, sizeof(in));
	crypto_sha256_final(&m->outer, out);
	crypto_wipe(in, sizeof(in));
	crypto_hmac_wipe(m);
}

void
crypto_hmac(const struct crypto_hmac *key, const void *msg, size_t n,
    unsigned char out[32])
{
	struct crypto_hmac m = *key;

	crypto_hmac_update(&m, msg, n);
	crypto_hmac_final(&m, out);
}

void
crypto_hmac_wipe(struct crypto_hmac *m)
{
	crypto_wipe(m, sizeof(*m));
}

void
crypto_hmac_sha256(const void *key, size_t keylen, const void *msg,
    size_t msglen, unsigned char out[32])
{
	struct crypto_hmac m;

	crypto_hmac_init(&m, key, keylen);
	crypto_hmac_update(&m, msg, msglen);
	crypto_hmac_final(&m, out);
}

bool
crypto_equal(const void *a, const void *b, size_t n)
{
	return CRYPTO_memcmp(a, b, n) == 0;
}

void
crypto_random(void *p, size_t n)
{
	if (RAND_bytes(p, (int)n) != 1) {
		log_error("RAND_bytes failed: no randomness available");
		abort();
	}
}

void
crypto_uuid4(char out[CRYPTO_UUID_STRLEN])
{
	unsigned char	 b[16];

	crypto_random(b, sizeof(b));
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	snprintf(out, CRYPTO_UUID_STRLEN,
	    "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x",
	    b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9],
	    b[10], b[11], b[12], b[13], b[14], b[15]);
}

void
crypto_wipe(void *p, size_t n)
{
	OPENSSL_cleanse(p, n);
}

/*
 * AES-256-GCM with a random 96-bit nonce: nonce, ciphertext and the
 * 128-bit tag, in that order, into out (n + CRYPTO_SEAL_OVERHEAD bytes).
 */
void
crypto_seal(const unsigned char key[32], const void *in, size_t n,
    unsigned char *out)
{
	EVP_CIPHER_CTX	*c;
	int		 len;

	crypto_random(out, 12);
	if ((c = EVP_CIPHER_CTX_new()) == NULL ||
	    EVP_EncryptInit_ex(c, EVP_aes_256_gcm(), NULL, key, out) != 1 ||
	    EVP_EncryptUpdate(c, out + 12, &len, in, (int)n) != 1 ||
	    EVP_EncryptFinal_ex(c, out + 12 + len, &len) != 1 ||
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16, out + 12 + n) != 1)
		abort();
	EVP_CIPHER_CTX_free(c);
}

int
crypto_unseal(const unsigned char key[32], const unsigned char *in,
    size_t n, unsigned char *out)
{
	EVP_CIPHER_CTX	*c;
	int		 len, ok;

	if (n < CRYPTO_SEAL_OVERHEAD || n - CRYPTO_SEAL_OVERHEAD > INT32_MAX)
		return -1;
	n -= CRYPTO_SEAL_OVERHEAD;
	if ((c = EVP_CIPHER_CTX_new()) == NULL)
		abort();
	ok = EVP_DecryptInit_ex(c, EVP_aes_256_gcm(), NULL, key, in) == 1 &&
	    EVP_DecryptUpdate(c, out, &len, in + 12, (int)n) == 1 &&
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, 16,
	    (void *)(in + 12 + n)) == 1 &&
	    EVP_DecryptFinal_ex(c, out + len, &len) == 1;
	EVP_CIPHER_CTX_free(c);
	if (!ok)
		crypto_wipe(out, n);
	return ok ? 0 : -1;
}
