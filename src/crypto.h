/*
 * crypto.h: the hashing, MAC and randomness deltashare needs, over OpenSSL.
 *
 * Compares of secrets and MACs go through crypto_equal(), which takes time
 * independent of where the inputs differ.  crypto_random() aborts if the
 * system cannot provide randomness (there is no safe fallback).
 */
#ifndef DS_CRYPTO_H
#define DS_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>

#define CRYPTO_SHA256_LEN	32
#define CRYPTO_MD5_LEN		16
#define CRYPTO_UUID_STRLEN	37	/* 36 characters and NUL */

void	crypto_sha256(const void *, size_t, unsigned char out[32]);
void	crypto_md5(const void *, size_t, unsigned char out[16]);
void	crypto_hmac_sha256(const void *key, size_t keylen, const void *msg,
	    size_t msglen, unsigned char out[32]);
bool	crypto_equal(const void *, const void *, size_t);
void	crypto_random(void *, size_t);
void	crypto_uuid4(char out[CRYPTO_UUID_STRLEN]);
void	crypto_wipe(void *, size_t);

/*
 * Authenticated encryption (AES-256-GCM, random nonce) of n bytes into
 * out, n + CRYPTO_SEAL_OVERHEAD long; unseal gives them back into out
 * (n - CRYPTO_SEAL_OVERHEAD bytes) or -1 when the input was not sealed
 * with this key or was altered.
 */
#define CRYPTO_SEAL_OVERHEAD	28
void	crypto_seal(const unsigned char key[32], const void *in, size_t n,
	    unsigned char *out);
int	crypto_unseal(const unsigned char key[32], const unsigned char *in,
	    size_t n, unsigned char *out);

#endif
