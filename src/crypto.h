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

#include <openssl/sha.h>

#define CRYPTO_SHA256_LEN	32
#define CRYPTO_MD5_LEN		16
#define CRYPTO_UUID_STRLEN	37	/* 36 characters and NUL */

/* A SHA-256 in progress; a plain struct, so copying it forks the hash. */
struct crypto_sha256 {
	SHA256_CTX	 c;
};

void	crypto_sha256_init(struct crypto_sha256 *);
void	crypto_sha256_update(struct crypto_sha256 *, const void *, size_t);
void	crypto_sha256_final(struct crypto_sha256 *, unsigned char out[32]);
void	crypto_sha256(const void *, size_t, unsigned char out[32]);
void	crypto_md5(const void *, size_t, unsigned char out[16]);

/*
 * HMAC-SHA256 under a key prepared once: crypto_hmac_init() hashes the
 * key's pads, and each MAC starts from a copy (crypto_hmac(), or a copy
 * of the struct fed with crypto_hmac_update() then crypto_hmac_final(),
 * which wipes it).  A prepared key, or one fed with a common prefix, is
 * as secret as the key: crypto_hmac_wipe() it when done.
 */
struct crypto_hmac {
	struct crypto_sha256	 inner, outer;
};

void	crypto_hmac_init(struct crypto_hmac *, const void *key, size_t);
void	crypto_hmac_update(struct crypto_hmac *, const void *, size_t);
void	crypto_hmac_final(struct crypto_hmac *, unsigned char out[32]);
void	crypto_hmac(const struct crypto_hmac *, const void *msg, size_t,
	    unsigned char out[32]);
void	crypto_hmac_wipe(struct crypto_hmac *);
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
