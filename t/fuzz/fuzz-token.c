/*
 * fuzz-token.c: libFuzzer harness for bearer token handling.
 *
 * The input, as a NUL-terminated string, is an Authorization header
 * value: token_front_check() shapes it, and a token that passes goes to
 * token_verify() against an HS256 configuration (our base64url and JSON
 * decoding of the header, the signature length check, then libjwt).
 * The same bytes are also given to token_check_claims() as a claims
 * document, so the claim checks are reached without a valid HMAC.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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
static struct conf	 conf;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct err	 e;

	conf.auth_alg = CONF_ALG_HS256;
	conf.auth_secret.data = secret;
	conf.auth_secret.len = sizeof(secret) - 1;
	conf.auth_issuer = issuer;
	conf.auth_recipient_audience = rcpt;
	conf.auth_admin_audience = admin;
	conf.auth_clock_skew = 60;
	if (token_init(&conf, &e) == -1)
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

	s = xmalloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	a = arena_new();

	err_clear(&e);
	if (token_front_check(s, 8192, &tok, &e) == 0) {
		err_clear(&e);
		if (token_verify(&conf, a, tok, rcpt, NOW, &cl, &e) == 0 &&
		    (cl.jti == NULL || strlen(cl.jti) != 36))
			abort();
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
