/*
 * fuzz-token.c: libFuzzer harness for bearer token handling.
 *
 * The input, as a NUL-terminated string, is an Authorization header
 * value: token_front_check() shapes it, and a token that passes goes to
 * token_verify() against an HS256, an RS256 and an ES256 configuration
 * (our base64url and JSON decoding of the header, the signature length
 * check, then the signature check: HMAC, RSA, or ECDSA after the JWS
 * r||s is turned into DER), keys made at start.  The same bytes are
 * also given to token_check_claims() as a claims document, so the claim
 * checks are reached without a valid signature.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "arena.h"
#include "conf.h"
#include "err.h"
#include "token.h"
#include "xmalloc.h"

#define NOW	1700000000LL

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static unsigned char	 secret[] = "fuzzing secret of 32 bytes, ok!!";
static char		 issuer[] = "deltashare";
static char		 rcpt[] = "deltashare-recipient";
static char		 admin[] = "deltashare-admin";
static struct conf	 confs[3];	/* HS256, RS256, ES256 */

/* The PEM public key of k into b. */
static void
pem(struct conf_blob *b, EVP_PKEY *k)
{
	BIO	*bio;
	char	*p;
	long	 n;

	if (k == NULL || (bio = BIO_new(BIO_s_mem())) == NULL ||
	    PEM_write_bio_PUBKEY(bio, k) != 1)
		abort();
	n = BIO_get_mem_data(bio, &p);
	b->data = xmalloc((size_t)n);
	memcpy(b->data, p, (size_t)n);
	b->len = (size_t)n;
	BIO_free(bio);
	EVP_PKEY_free(k);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct err	 e;
	size_t		 i;

	for (i = 0; i < 3; i++) {
		confs[i].auth_issuer = issuer;
		confs[i].auth_recipient_audience = rcpt;
		confs[i].auth_admin_audience = admin;
		confs[i].auth_clock_skew = 60;
	}
	confs[0].auth_alg = CONF_ALG_HS256;
	confs[0].auth_secret.data = secret;
	confs[0].auth_secret.len = sizeof(secret) - 1;
	confs[1].auth_alg = CONF_ALG_RS256;
	pem(&confs[1].auth_public_key, EVP_PKEY_Q_keygen(NULL, NULL, "RSA",
	    (size_t)2048));
	confs[2].auth_alg = CONF_ALG_ES256;
	pem(&confs[2].auth_public_key, EVP_PKEY_Q_keygen(NULL, NULL, "EC",
	    "P-256"));
	/* Each algorithm's keys are parsed once and kept. */
	for (i = 0; i < 3; i++)
		if (token_init(&confs[i], &e) == -1)
			abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct token_claims	 cl;
	struct arena		*a;
	struct err		 e;
	const char		*tok;
	char			*s;
	size_t			 i;

	s = xmalloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	a = arena_new();

	err_clear(&e);
	if (token_front_check(s, 8192, &tok, &e) == 0) {
		for (i = 0; i < 3; i++) {
			err_clear(&e);
			if (token_verify(&confs[i], a, tok, rcpt, NOW, &cl,
			    &e) == 0 && (cl.jti == NULL ||
			    strlen(cl.jti) != 36))
				abort();
		}
	} else if (e.kind != ERR_UNAUTHENTICATED)
		abort();

	/* The raw bytes as a claims document (NUL at s[size]). */
	err_clear(&e);
	if (token_check_claims(a, s, size, issuer, rcpt, 60, NOW, &cl,
	    &e) == 0 && (cl.jti == NULL || cl.exp <= NOW - 60))
		abort();

	arena_free(a);
	free(s);
	return 0;
}
