/*
 * probe_jwt.c: "probe jwt N" of bench/probe (see probe.c): the time
 * token_verify() takes to check one bearer token, as auth.c calls it for
 * every request, with an HS256 secret, an RSA-2048 key (RS256) and a
 * P-256 key (ES256) made here.  For each algorithm, one token issued by
 * token_issue() is verified N times (N / 10 for the public-key ones,
 * whose checks cost far more), after token_init() as at start-up.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "arena.h"
#include "conf.h"
#include "err.h"
#include "probe.h"
#include "token.h"

#define NOW	1780000000LL
#define AUD	"deltashare-recipient"

static void
blob_pem(struct conf_blob *b, EVP_PKEY *k, int private)
{
	BIO	*bio;
	char	*p;
	long	 n;

	if ((bio = BIO_new(BIO_s_mem())) == NULL ||
	    (private ? PEM_write_bio_PrivateKey(bio, k, NULL, NULL, 0, NULL,
	    NULL) : PEM_write_bio_PUBKEY(bio, k)) != 1)
		probe_die("cannot write a PEM key");
	n = BIO_get_mem_data(bio, &p);
	if ((b->data = malloc((size_t)n + 1)) == NULL)
		probe_die("out of memory");
	memcpy(b->data, p, (size_t)n);
	b->data[n] = '\0';
	b->len = (size_t)n;
	BIO_free(bio);
}

static void
mkconf(struct conf *c, enum conf_alg alg)
{
	static unsigned char secret[] = "probe secret of at least 32 bytes";
	static char	 iss[] = "deltashare", aud[] = AUD, adm[] = "adm";
	EVP_PKEY	*k = NULL;

	memset(c, 0, sizeof(*c));
	c->auth_alg = alg;
	c->auth_issuer = iss;
	c->auth_recipient_audience = aud;
	c->auth_admin_audience = adm;
	c->auth_clock_skew = 60;
	if (alg == CONF_ALG_HS256) {
		c->auth_secret.data = secret;
		c->auth_secret.len = sizeof(secret) - 1;
		return;
	}
	k = alg == CONF_ALG_RS256 ? EVP_PKEY_Q_keygen(NULL, NULL, "RSA",
	    (size_t)2048) : EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	if (k == NULL)
		probe_die("cannot make a key");
	blob_pem(&c->auth_public_key, k, 0);
	blob_pem(&c->auth_private_key, k, 1);
	EVP_PKEY_free(k);
}

int
probe_jwt(long n)
{
	static const enum conf_alg algs[] = {
		CONF_ALG_HS256, CONF_ALG_RS256, CONF_ALG_ES256
	};
	struct token_claims cl;
	struct arena	*a = arena_new();
	struct conf	 c;
	struct err	 e;
	char		*tok;
	double		 t0, t;
	long		 i, m;
	size_t		 k;

	for (k = 0; k < sizeof(algs) / sizeof(algs[0]); k++) {
		mkconf(&c, algs[k]);
		if (token_init(&c, &e) == -1 || (tok = token_issue(&c, AUD,
		    "bob", "0b1e2f3a-4c5d-4e6f-8a9b-0c1d2e3f4a5b", NOW,
		    NOW + 3600, &e)) == NULL)
			probe_die("%s: %s", conf_alg_name(algs[k]), e.msg);
		m = algs[k] == CONF_ALG_HS256 ? n : (n + 9) / 10;
		t0 = probe_now();
		for (i = 0; i < m; i++) {
			arena_reset(a);
			if (token_verify(&c, a, tok, AUD, NOW, &cl, &e) == -1)
				probe_die("%s: %s", conf_alg_name(algs[k]),
				    e.msg);
		}
		t = probe_now() - t0;
		printf("{\"probe\":\"jwt\",\"alg\":\"%s\",\"seconds\":%.6f,"
		    "\"tokens\":%ld,\"us_per_token\":%.3f}\n",
		    conf_alg_name(algs[k]), t, m, t * 1e6 / (double)m);
		free(tok);
		if (algs[k] != CONF_ALG_HS256) {
			free(c.auth_public_key.data);
			free(c.auth_private_key.data);
		}
	}
	arena_free(a);
	return 0;
}
