/*
 * crypto.c: SHA-256, MD5, HMAC-SHA256, AES-256-GCM sealing, constant-time
 * compare, random bytes and UUIDs (see crypto.h).  OpenSSL is also used by
 * jwt.c, and by the cloud signers (gcsign.c: RSA keys).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "crypto.h"
#include "log.h"

static void
digest(const EVP_MD *md, const void *p, size_t n, unsigned char *out)
{
	unsigned int	 len;

	if (EVP_Digest(p, n, out, &len, md, NULL) != 1) {
		log_error("EVP_Digest failed");
		abort();
	}
}

void
crypto_sha256(const void *p, size_t n, unsigned char out[32])
{
	digest(EVP_sha256(), p, n, out);
}

void
crypto_md5(const void *p, size_t n, unsigned char out[16])
{
	digest(EVP_md5(), p, n, out);
}

void
crypto_hmac_sha256(const void *key, size_t keylen, const void *msg,
    size_t msglen, unsigned char out[32])
{
	unsigned int	 len = 32;

	if (HMAC(EVP_sha256(), key, (int)keylen, msg, msglen, out,
	    &len) == NULL) {
		log_error("HMAC failed");
		abort();
	}
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
