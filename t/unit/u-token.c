/*
 * u-token.c: unit tests for src/token.c, the bearer JWT checks.
 *
 * The configuration is built here, with an HS256 secret and RSA-2048
 * and P-256 keys generated at start with OpenSSL's EVP API, so no key
 * material lives in the tree.  Tokens are issued by token_issue() or
 * crafted here (header and payload chosen freely, then signed with
 * HMAC, RSA or ECDSA) to cover the attacks of security-notes 1.4 A:
 * alg:none in several spellings, HS/RS key confusion, malleated
 * signatures, and every claim check (exp, nbf, iat, iss, aud, jti).
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "arena.h"
#include "conf.h"
#include "crypto.h"
#include "err.h"
#include "metrics.h"
#include "strutil.h"
#include "tap.h"
#include "tokcache.h"
#include "token.h"
#include "xmalloc.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

#define NOW	1700000000LL
#define SKEW	60
#define ISS	"deltashare-test"
#define AUD	"rcpt"
#define ADM	"adm"
#define JTI	"0b1e2f3a-4c5d-4e6f-8a9b-0c1d2e3f4a5b"
/* base64url of 32 zero bytes (43 characters, the last carrying 2 bits) */
#define ZERO32	"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"

static const unsigned char secret[32] = "0123456789abcdef0123456789abcde";

static EVP_PKEY	*rsa_key, *ec_key;

/* How a crafted token is signed. */
enum sigmode {
	SIG_NONE,		/* the given raw signature text, verbatim */
	SIG_HMAC,		/* HMAC-SHA256 with key/keylen */
	SIG_RSA,		/* RS256 with rsa_key */
	SIG_EC_RAW,		/* ES256, r||s as JWS wants */
	SIG_EC_DER,		/* ES256, DER as OpenSSL gives */
};

struct signer {
	enum sigmode		 mode;
	const unsigned char	*key;
	size_t			 keylen;
	const char		*raw;	/* SIG_NONE */
};

static char *
b64(struct arena *a, const void *p, size_t n)
{
	char	*out;

	out = arena_alloc(a, 4 * ((n + 2) / 3) + 1);
	str_b64url_encode(p, n, out);
	return out;
}

/* Sign msg with an EVP key and SHA-256; DER for EC keys. */
static unsigned char *
evp_sign(struct arena *a, EVP_PKEY *k, const char *msg, size_t *siglen)
{
	EVP_MD_CTX	*ctx;
	unsigned char	*sig;

	if ((ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, k) != 1 ||
	    EVP_DigestSign(ctx, NULL, siglen, (const unsigned char *)msg,
	    strlen(msg)) != 1)
		bail_out("EVP_DigestSign setup failed");
	sig = arena_alloc(a, *siglen);
	if (EVP_DigestSign(ctx, sig, siglen, (const unsigned char *)msg,
	    strlen(msg)) != 1)
		bail_out("EVP_DigestSign failed");
	EVP_MD_CTX_free(ctx);
	return sig;
}

/* DER ECDSA-Sig-Value to the 64-byte r||s of RFC 7518 3.4. */
static unsigned char *
der_to_raw(struct arena *a, const unsigned char *der, size_t len)
{
	ECDSA_SIG	*s;
	unsigned char	*raw;

	if ((s = d2i_ECDSA_SIG(NULL, &der, (long)len)) == NULL)
		bail_out("d2i_ECDSA_SIG failed");
	raw = arena_alloc(a, 64);
	BN_bn2binpad(ECDSA_SIG_get0_r(s), raw, 32);
	BN_bn2binpad(ECDSA_SIG_get0_s(s), raw + 32, 32);
	ECDSA_SIG_free(s);
	return raw;
}

/* "b64(hdr).b64(payload).signature" */
static char *
craft(struct arena *a, const char *hdr, const char *payload,
    const struct signer *sg)
{
	unsigned char	 mac[32], *sig;
	char		*input;
	size_t		 siglen;

	input = arena_printf(a, "%s.%s", b64(a, hdr, strlen(hdr)),
	    b64(a, payload, strlen(payload)));
	switch (sg->mode) {
	case SIG_NONE:
		return arena_printf(a, "%s.%s", input, sg->raw);
	case SIG_HMAC:
		crypto_hmac_sha256(sg->key, sg->keylen, input, strlen(input),
		    mac);
		return arena_printf(a, "%s.%s", input, b64(a, mac, 32));
	case SIG_RSA:
		sig = evp_sign(a, rsa_key, input, &siglen);
		break;
	case SIG_EC_RAW:
		sig = evp_sign(a, ec_key, input, &siglen);
		sig = der_to_raw(a, sig, siglen);
		siglen = 64;
		break;
	case SIG_EC_DER:
	default:
		sig = evp_sign(a, ec_key, input, &siglen);
		break;
	}
	return arena_printf(a, "%s.%s", input, b64(a, sig, siglen));
}

static const char *
payload_ok(struct arena *a)
{
	return arena_printf(a, "{\"iss\":\"%s\",\"aud\":\"%s\",\"sub\":\"bob\","
	    "\"jti\":\"%s\",\"iat\":%lld,\"nbf\":%lld,\"exp\":%lld}", ISS, AUD,
	    JTI, NOW, NOW, NOW + 3600);
}

static void
blob_set(struct conf_blob *b, const void *p, size_t n)
{
	b->data = xmalloc(n + 1);
	memcpy(b->data, p, n);
	b->data[n] = '\0';
	b->len = n;
}

static void
blob_pem(struct conf_blob *b, EVP_PKEY *k, int private)
{
	BIO	*bio;
	char	*p;
	long	 n;

	if ((bio = BIO_new(BIO_s_mem())) == NULL ||
	    (private ? PEM_write_bio_PrivateKey(bio, k, NULL, NULL, 0, NULL,
	    NULL) : PEM_write_bio_PUBKEY(bio, k)) != 1)
		bail_out("cannot write a PEM key");
	n = BIO_get_mem_data(bio, &p);
	blob_set(b, p, (size_t)n);
	BIO_free(bio);
}

static struct conf *
mkconf(enum conf_alg alg, bool with_private)
{
	struct conf	*c;
	EVP_PKEY	*k;

	c = xcalloc(1, sizeof(*c));
	c->auth_alg = alg;
	c->auth_issuer = xstrdup(ISS);
	c->auth_recipient_audience = xstrdup(AUD);
	c->auth_admin_audience = xstrdup(ADM);
	c->auth_clock_skew = SKEW;
	if (alg == CONF_ALG_HS256) {
		blob_set(&c->auth_secret, secret, sizeof(secret));
		return c;
	}
	k = alg == CONF_ALG_RS256 ? rsa_key : ec_key;
	blob_pem(&c->auth_public_key, k, 0);
	if (with_private)
		blob_pem(&c->auth_private_key, k, 1);
	return c;
}

static void
test_front_check(void)
{
	static const struct {
		const char	*name;
		const char	*in;
		size_t		 max;
		int		 rc;
		const char	*tok;		/* when accepted */
		const char	*msg;		/* when refused */
	} cases[] = {
		{ "missing", NULL, 64, -1, NULL, "missing" },
		{ "empty", "", 64, -1, NULL, "missing" },
		{ "plain", "Bearer a.b.c", 64, 0, "a.b.c", NULL },
		{ "lowercase scheme", "bearer a.b.c", 64, 0, "a.b.c", NULL },
		{ "uppercase scheme", "BEARER a.b.c", 64, 0, "a.b.c", NULL },
		{ "tab after scheme", "Bearer\ta.b.c", 64, 0, "a.b.c", NULL },
		{ "two spaces after scheme", "Bearer  a.b.c", 64, 0, "a.b.c",
		    NULL },
		{ "url alphabet", "Bearer a-_9.B.c_-", 64, 0, "a-_9.B.c_-",
		    NULL },
		{ "exactly max bytes", "Bearer a.b.c", 12, 0, "a.b.c", NULL },
		{ "one byte over max", "Bearer a.b.c", 11, -1, NULL,
		    "too large" },
		{ "Basic scheme", "Basic dXNlcjpwdw==", 64, -1, NULL,
		    "Bearer scheme" },
		{ "scheme alone", "Bearer", 64, -1, NULL, "Bearer scheme" },
		{ "no space", "Bearera.b.c", 64, -1, NULL, "Bearer scheme" },
		{ "leading space", " Bearer a.b.c", 64, -1, NULL,
		    "Bearer scheme" },
		{ "scheme prefix only", "Bear a.b.c", 64, -1, NULL,
		    "Bearer scheme" },
		{ "scheme then blank", "Bearer ", 64, -1, NULL, "malformed" },
		{ "trailing space", "Bearer a.b.c ", 64, -1, NULL,
		    "malformed" },
		{ "trailing garbage", "Bearer a.b.c x", 64, -1, NULL,
		    "malformed" },
		{ "trailing newline", "Bearer a.b.c\n", 64, -1, NULL,
		    "malformed" },
		{ "one part", "Bearer abc", 64, -1, NULL, "malformed" },
		{ "two parts", "Bearer a.b", 64, -1, NULL, "malformed" },
		{ "four parts", "Bearer a.b.c.d", 64, -1, NULL, "malformed" },
		{ "empty signature", "Bearer a.b.", 64, -1, NULL,
		    "malformed" },
		{ "empty header", "Bearer .b.c", 64, -1, NULL, "malformed" },
		{ "empty payload", "Bearer a..c", 64, -1, NULL, "malformed" },
		{ "only dots", "Bearer ..", 64, -1, NULL, "malformed" },
		{ "padding", "Bearer a.b.c=", 64, -1, NULL, "malformed" },
		{ "padding in header", "Bearer YQ==.b.c", 64, -1, NULL,
		    "malformed" },
		{ "standard alphabet +", "Bearer a+.b.c", 64, -1, NULL,
		    "malformed" },
		{ "standard alphabet /", "Bearer a.b/.c", 64, -1, NULL,
		    "malformed" },
		{ "percent", "Bearer a.b.c%00", 64, -1, NULL, "malformed" },
		{ "high byte", "Bearer a.b.\xc3\xa9", 64, -1, NULL,
		    "malformed" },
		{ "two tokens", "Bearer a.b.c, Bearer d.e.f", 64, -1, NULL,
		    "malformed" },
	};
	struct err	 e;
	const char	*tok;
	size_t		 i;
	int		 rc;

	for (i = 0; i < NELEM(cases); i++) {
		err_clear(&e);
		tok = NULL;
		rc = token_front_check(cases[i].in, cases[i].max, &tok, &e);
		is_int(rc, cases[i].rc, "front_check %s: rc", cases[i].name);
		if (cases[i].rc == 0)
			is_str(tok, cases[i].tok, "front_check %s: token",
			    cases[i].name);
		else
			ok(e.kind == ERR_UNAUTHENTICATED &&
			    strstr(e.msg, cases[i].msg) != NULL,
			    "front_check %s: 401 '%s'", cases[i].name, e.msg);
	}
}

/* Token mutations applied to a freshly issued valid token. */
static char *
mut_none(struct arena *a, const char *t)
{
	return arena_strdup(a, t);
}

static char *
mut_payload(struct arena *a, const char *t)
{
	const char	*d1 = strchr(t, '.'), *d2 = strrchr(t, '.');
	const char	*p = arena_printf(a, "{\"iss\":\"%s\",\"aud\":\"%s\","
	    "\"sub\":\"mallory\",\"jti\":\"%s\",\"iat\":%lld,\"nbf\":%lld,"
	    "\"exp\":%lld}", ISS, AUD, JTI, NOW, NOW, NOW + 3600);

	return arena_printf(a, "%.*s.%s%s", (int)(d1 - t), t,
	    b64(a, p, strlen(p)), d2);
}

static char *
mut_flip_payload(struct arena *a, const char *t)
{
	char	*s = arena_strdup(a, t), *p = strchr(s, '.') + 3;

	*p = *p == 'A' ? 'B' : 'A';
	return s;
}

static char *
mut_flip_sig(struct arena *a, const char *t)
{
	char	*s = arena_strdup(a, t), *p = strrchr(s, '.') + 2;

	*p = *p == 'A' ? 'B' : 'A';
	return s;
}

static char *
mut_sig_plus_a(struct arena *a, const char *t)
{
	return arena_printf(a, "%sA", t);
}

static char *
mut_sig_plus_aa(struct arena *a, const char *t)
{
	return arena_printf(a, "%sAA", t);
}

static char *
mut_sig_plus_aaaa(struct arena *a, const char *t)
{
	return arena_printf(a, "%sAAAA", t);
}

static char *
mut_sig_pad(struct arena *a, const char *t)
{
	size_t	 n = strlen(strrchr(t, '.') + 1);

	return arena_printf(a, "%s%s", t, n % 4 == 2 ? "==" : n % 4 == 3 ?
	    "=" : "");
}

static char *
mut_sig_dot(struct arena *a, const char *t)
{
	return arena_printf(a, "%s.", t);
}

static char *
mut_sig_bang(struct arena *a, const char *t)
{
	return arena_printf(a, "%s!!", t);
}

static char *
mut_extra_part(struct arena *a, const char *t)
{
	return arena_printf(a, "%s.x", t);
}

static char *
mut_sig_cut(struct arena *a, const char *t)
{
	return arena_strndup(a, t, strlen(t) - 1);
}

static char *
mut_sig_empty(struct arena *a, const char *t)
{
	return arena_strndup(a, t, (size_t)(strrchr(t, '.') - t) + 1);
}

static char *
mut_no_sig(struct arena *a, const char *t)
{
	return arena_strndup(a, t, (size_t)(strrchr(t, '.') - t));
}

static char *
mut_alg_none(struct arena *a, const char *t)
{
	const char	*h = "{\"alg\":\"none\",\"typ\":\"JWT\"}";

	return arena_printf(a, "%s%s", b64(a, h, strlen(h)), strchr(t, '.'));
}

static void
test_round_trip(void)
{
	static const struct {
		const char	*name;
		char		*(*fn)(struct arena *, const char *);
		bool		 pipeline_ok;	/* front_check + verify */
	} muts[] = {
		{ "as issued", mut_none, true },
		{ "payload replaced", mut_payload, false },
		{ "payload byte flipped", mut_flip_payload, false },
		{ "signature byte flipped", mut_flip_sig, false },
		{ "signature + A", mut_sig_plus_a, false },
		{ "signature + AA", mut_sig_plus_aa, false },
		{ "signature + AAAA", mut_sig_plus_aaaa, false },
		{ "signature + = padding", mut_sig_pad, false },
		{ "signature + .", mut_sig_dot, false },
		{ "signature + !!", mut_sig_bang, false },
		{ "extra .x part", mut_extra_part, false },
		{ "signature cut by one", mut_sig_cut, false },
		{ "signature empty", mut_sig_empty, false },
		{ "no signature part", mut_no_sig, false },
		{ "header alg none", mut_alg_none, false },
	};
	static const struct {
		const char	*name;
		enum conf_alg	 alg;
	} algs[] = {
		{ "HS256", CONF_ALG_HS256 },
		{ "RS256", CONF_ALG_RS256 },
		{ "ES256", CONF_ALG_ES256 },
	};
	struct arena		*a = arena_new();
	struct token_claims	 cl;
	struct conf		*c;
	struct err		 e;
	const char		*ftok;
	char			*tok, *m, *authz;
	size_t			 i, j;
	int			 rc;

	for (i = 0; i < NELEM(algs); i++) {
		c = mkconf(algs[i].alg, true);
		err_clear(&e);
		is_int(token_init(c, &e), 0, "%s: token_init (%s)",
		    algs[i].name, e.msg);
		tok = token_issue(c, AUD, "alice", JTI, NOW, NOW + 3600, &e);
		if (!ok(tok != NULL, "%s: token_issue (%s)", algs[i].name,
		    e.msg)) {
			conf_free(c);
			continue;
		}
		err_clear(&e);
		rc = token_verify(c, a, tok, AUD, NOW + 10, &cl, &e);
		is_int(rc, 0, "%s: issued token verifies (%s)", algs[i].name,
		    e.msg);
		is_str(cl.jti, JTI, "%s: jti", algs[i].name);
		is_str(cl.sub, "alice", "%s: sub", algs[i].name);
		is_int(cl.exp, NOW + 3600, "%s: exp", algs[i].name);
		is_int(cl.iat, NOW, "%s: iat", algs[i].name);

		err_clear(&e);
		rc = token_verify(c, a, tok, ADM, NOW, &cl, &e);
		ok(rc == -1 && e.kind == ERR_UNAUTHENTICATED,
		    "%s: other audience refused (%s)", algs[i].name, e.msg);
		err_clear(&e);
		rc = token_verify(c, a, tok, AUD, NOW + 3600 + SKEW, &cl, &e);
		ok(rc == -1 && strstr(e.msg, "expired") != NULL,
		    "%s: refused once expired beyond the skew (%s)",
		    algs[i].name, e.msg);
		err_clear(&e);
		rc = token_verify(c, a, tok, AUD, NOW + 3600 + SKEW - 1, &cl,
		    &e);
		is_int(rc, 0, "%s: accepted within the skew", algs[i].name);

		for (j = 0; j < NELEM(muts); j++) {
			m = muts[j].fn(a, tok);
			err_clear(&e);
			rc = token_verify(c, a, m, AUD, NOW, &cl, &e);
			if (muts[j].pipeline_ok)
				is_int(rc, 0, "%s %s: token_verify accepts",
				    algs[i].name, muts[j].name);
			else
				ok(rc == -1 && e.kind == ERR_UNAUTHENTICATED,
				    "%s %s: token_verify refuses (%s)",
				    algs[i].name, muts[j].name, e.msg);
			/* What a request sees: the shape check first. */
			authz = arena_printf(a, "Bearer %s", m);
			err_clear(&e);
			rc = token_front_check(authz, 8192, &ftok, &e);
			if (rc == 0)
				rc = token_verify(c, a, ftok, AUD, NOW, &cl,
				    &e);
			is_int(rc == 0, muts[j].pipeline_ok,
			    "%s %s: front_check + verify", algs[i].name,
			    muts[j].name);
		}
		crypto_wipe(tok, strlen(tok));
		free(tok);
		arena_reset(a);
		conf_free(c);
	}
	arena_free(a);
}

static void
test_issue_errors(void)
{
	struct conf	*c;
	struct err	 e;
	char		*tok;

	c = mkconf(CONF_ALG_RS256, false);
	err_clear(&e);
	tok = token_issue(c, AUD, "alice", JTI, NOW, NOW + 60, &e);
	ok(tok == NULL && e.kind == ERR_UNSUPPORTED &&
	    strstr(e.msg, "private_key_file") != NULL,
	    "issue without a private key: refused (%s)", e.msg);
	free(tok);
	conf_free(c);
}

/* Crafted tokens against each server algorithm. */
static void
test_crafted(void)
{
	static const struct {
		const char	*name;
		enum conf_alg	 server;
		const char	*hdr;
		enum sigmode	 mode;
		int		 key;		/* SIG_HMAC: 0 secret, 1 PEM,
						   2 PEM without newline */
		const char	*raw;		/* SIG_NONE */
		int		 rc;
	} cases[] = {
		{ "HS256 crafted, control", CONF_ALG_HS256,
		    "{\"alg\":\"HS256\",\"typ\":\"JWT\"}", SIG_HMAC, 0, NULL,
		    0 },
		{ "HS256 without typ", CONF_ALG_HS256, "{\"alg\":\"HS256\"}",
		    SIG_HMAC, 0, NULL, 0 },
		{ "HS256 typ lowercase", CONF_ALG_HS256,
		    "{\"alg\":\"HS256\",\"typ\":\"jwt\"}", SIG_HMAC, 0, NULL,
		    0 },
		{ "HS256 typ XYZ", CONF_ALG_HS256,
		    "{\"alg\":\"HS256\",\"typ\":\"XYZ\"}", SIG_HMAC, 0, NULL,
		    -1 },
		{ "HS256 typ number", CONF_ALG_HS256,
		    "{\"alg\":\"HS256\",\"typ\":1}", SIG_HMAC, 0, NULL, -1 },
		{ "HS256 crit", CONF_ALG_HS256,
		    "{\"alg\":\"HS256\",\"crit\":[\"exp\"]}", SIG_HMAC, 0, NULL,
		    -1 },
		{ "alg lowercase hs256", CONF_ALG_HS256, "{\"alg\":\"hs256\"}",
		    SIG_HMAC, 0, NULL, -1 },
		{ "alg missing", CONF_ALG_HS256, "{\"typ\":\"JWT\"}", SIG_HMAC,
		    0, NULL, -1 },
		{ "alg not a string", CONF_ALG_HS256, "{\"alg\":[\"HS256\"]}",
		    SIG_HMAC, 0, NULL, -1 },
		{ "alg HS512", CONF_ALG_HS256, "{\"alg\":\"HS512\"}", SIG_HMAC,
		    0, NULL, -1 },
		{ "duplicate alg, none last", CONF_ALG_HS256,
		    "{\"alg\":\"HS256\",\"alg\":\"none\"}", SIG_HMAC, 0, NULL,
		    -1 },
		{ "header not JSON", CONF_ALG_HS256, "alg=HS256", SIG_HMAC, 0,
		    NULL, -1 },
		{ "header an array", CONF_ALG_HS256, "[\"HS256\"]", SIG_HMAC,
		    0, NULL, -1 },
		{ "header trailing garbage", CONF_ALG_HS256,
		    "{\"alg\":\"HS256\"}x", SIG_HMAC, 0, NULL, -1 },
		{ "header with \\u0000", CONF_ALG_HS256,
		    "{\"alg\":\"HS256\",\"x\":\"\\u0000\"}", SIG_HMAC, 0, NULL,
		    -1 },
		{ "HS256 with a wrong secret", CONF_ALG_HS256,
		    "{\"alg\":\"HS256\"}", SIG_HMAC, 3, NULL, -1 },
		{ "alg none, empty sig (HS256 server)", CONF_ALG_HS256,
		    "{\"alg\":\"none\"}", SIG_NONE, 0, "", -1 },
		{ "alg None, empty sig", CONF_ALG_HS256, "{\"alg\":\"None\"}",
		    SIG_NONE, 0, "", -1 },
		{ "alg NONE, empty sig", CONF_ALG_HS256, "{\"alg\":\"NONE\"}",
		    SIG_NONE, 0, "", -1 },
		{ "alg nOnE, empty sig", CONF_ALG_HS256, "{\"alg\":\"nOnE\"}",
		    SIG_NONE, 0, "", -1 },
		{ "alg none, 32-byte sig", CONF_ALG_HS256, "{\"alg\":\"none\"}",
		    SIG_NONE, 0, ZERO32, -1 },
		{ "alg none, HMAC sig", CONF_ALG_HS256, "{\"alg\":\"none\"}",
		    SIG_HMAC, 0, NULL, -1 },
		{ "alg none, RS256 server", CONF_ALG_RS256,
		    "{\"alg\":\"none\"}",
		    SIG_NONE, 0, "", -1 },
		{ "alg NoNe, RS256 server, junk sig", CONF_ALG_RS256,
		    "{\"alg\":\"NoNe\"}", SIG_NONE, 0, "eA", -1 },
		{ "alg none, ES256 server", CONF_ALG_ES256,
		    "{\"alg\":\"none\"}",
		    SIG_NONE, 0, "", -1 },
		{ "RS256 crafted, control", CONF_ALG_RS256,
		    "{\"alg\":\"RS256\",\"typ\":\"JWT\"}", SIG_RSA, 0, NULL,
		    0 },
		{ "key confusion: HS256 with the RSA PEM", CONF_ALG_RS256,
		    "{\"alg\":\"HS256\",\"typ\":\"JWT\"}", SIG_HMAC, 1, NULL,
		    -1 },
		{ "key confusion: PEM without newline", CONF_ALG_RS256,
		    "{\"alg\":\"HS256\"}", SIG_HMAC, 2, NULL, -1 },
		{ "key confusion: RS256 header, HMAC sig", CONF_ALG_RS256,
		    "{\"alg\":\"RS256\"}", SIG_HMAC, 1, NULL, -1 },
		{ "key confusion: EC PEM", CONF_ALG_ES256,
		    "{\"alg\":\"HS256\"}",
		    SIG_HMAC, 1, NULL, -1 },
		{ "RS256 token on an HS256 server", CONF_ALG_HS256,
		    "{\"alg\":\"RS256\"}", SIG_RSA, 0, NULL, -1 },
		{ "ES256 raw r||s, control", CONF_ALG_ES256,
		    "{\"alg\":\"ES256\",\"typ\":\"JWT\"}", SIG_EC_RAW, 0, NULL,
		    0 },
		{ "ES256 DER signature (wrong length)", CONF_ALG_ES256,
		    "{\"alg\":\"ES256\"}", SIG_EC_DER, 0, NULL, -1 },
		{ "ES256 token on an RS256 server", CONF_ALG_RS256,
		    "{\"alg\":\"ES256\"}", SIG_EC_RAW, 0, NULL, -1 },
		{ "ES256 64 zero bytes", CONF_ALG_ES256, "{\"alg\":\"ES256\"}",
		    SIG_NONE, 0, ZERO32 ZERO32, -1 },
	};
	static const unsigned char wrong[32] =
	    "another secret, 32 bytes long!!";
	struct conf		*confs[3];
	struct arena		*a = arena_new();
	struct token_claims	 cl;
	struct signer		 sg;
	struct conf		*c;
	struct err		 e;
	const char		*payload;
	char			*tok;
	size_t			 i;
	int			 rc;

	confs[CONF_ALG_HS256] = mkconf(CONF_ALG_HS256, false);
	confs[CONF_ALG_RS256] = mkconf(CONF_ALG_RS256, false);
	confs[CONF_ALG_ES256] = mkconf(CONF_ALG_ES256, false);
	for (i = 0; i < NELEM(cases); i++) {
		c = confs[cases[i].server];
		err_clear(&e);
		if (token_init(c, &e) == -1)
			bail_out("token_init: %s", e.msg);
		memset(&sg, 0, sizeof(sg));
		sg.mode = cases[i].mode;
		sg.raw = cases[i].raw;
		switch (cases[i].key) {
		case 0:
			sg.key = secret;
			sg.keylen = sizeof(secret);
			break;
		case 1:
		case 2:
			sg.key = c->auth_public_key.data;
			sg.keylen = c->auth_public_key.len - (cases[i].key - 1);
			break;
		default:
			sg.key = wrong;
			sg.keylen = sizeof(wrong);
			break;
		}
		payload = payload_ok(a);
		tok = craft(a, cases[i].hdr, payload, &sg);
		err_clear(&e);
		rc = token_verify(c, a, tok, AUD, NOW, &cl, &e);
		is_int(rc, cases[i].rc, "crafted %s (%s)", cases[i].name,
		    e.msg);
		if (cases[i].rc == -1)
			is_int(e.kind, ERR_UNAUTHENTICATED, "crafted %s: 401",
			    cases[i].name);
		arena_reset(a);
	}
	for (i = 0; i < NELEM(confs); i++)
		conf_free(confs[i]);
	arena_free(a);
}

/* Claims through the whole path, with a valid HMAC on each payload. */
static void
test_claims_signed(void)
{
	static const struct {
		const char	*name;
		const char	*claims;
		int		 rc;
	} cases[] = {
		{ "valid", "\"exp\":1700003600", 0 },
		{ "expired two hours ago", "\"exp\":1699992800", -1 },
		{ "exp as a string", "\"exp\":\"1700003600\"", -1 },
		{ "exp as a float", "\"exp\":1700003600.0", -1 },
		{ "no exp", "\"nbf\":1699992800", -1 },
		{ "nbf in the future", "\"exp\":1700003600,\"nbf\":1700000100",
		    -1 },
	};
	struct arena		*a = arena_new();
	struct conf		*c = mkconf(CONF_ALG_HS256, false);
	struct token_claims	 cl;
	struct signer		 sg = { SIG_HMAC, secret, sizeof(secret),
				    NULL };
	struct err		 e;
	const char		*p;
	size_t			 i;
	int			 rc;

	err_clear(&e);
	if (token_init(c, &e) == -1)
		bail_out("token_init: %s", e.msg);
	for (i = 0; i < NELEM(cases); i++) {
		p = arena_printf(a, "{\"iss\":\"%s\",\"aud\":\"%s\",\"jti\":"
		    "\"%s\",%s}", ISS, AUD, JTI, cases[i].claims);
		err_clear(&e);
		rc = token_verify(c, a, craft(a, "{\"alg\":\"HS256\"}", p, &sg),
		    AUD, NOW, &cl, &e);
		is_int(rc, cases[i].rc, "signed claims %s (%s)", cases[i].name,
		    e.msg);
	}
	conf_free(c);
	arena_free(a);
}

static void
test_check_claims(void)
{
	static const struct {
		const char	*name;
		const char	*json;	/* @N@ = NOW, @P@ = NOW + 3600 */
		int		 rc;
		const char	*msg;	/* on failure */
		const char	*sub;	/* on success */
	} cases[] = {
		{ "complete", "{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\","
		    "\"exp\":@P@,\"nbf\":@N@,\"iat\":@N@,\"jti\":\"" JTI "\","
		    "\"sub\":\"bob\"}", 0, NULL, "bob" },
		{ "minimal", "{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\","
		    "\"exp\":@P@,\"jti\":\"" JTI "\"}", 0, NULL, NULL },
		{ "sub not a string", "{\"iss\":\"" ISS "\",\"aud\":\"" AUD
		    "\",\"exp\":@P@,\"jti\":\"" JTI "\",\"sub\":7}", 0, NULL,
		    NULL },
		{ "exp missing", "{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\","
		    "\"jti\":\"" JTI "\"}", -1, "integer exp", NULL },
		{ "exp a string", "{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\","
		    "\"exp\":\"@P@\",\"jti\":\"" JTI "\"}", -1, "integer exp",
		    NULL },
		{ "exp a float", "{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\","
		    "\"exp\":@P@.5,\"jti\":\"" JTI "\"}", -1, "integer exp",
		    NULL },
		{ "exp in exponent form", "{\"iss\":\"" ISS "\",\"aud\":\"" AUD
		    "\",\"exp\":2e9,\"jti\":\"" JTI "\"}", -1, "integer exp",
		    NULL },
		{ "exp a bool", "{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\","
		    "\"exp\":true,\"jti\":\"" JTI "\"}", -1, "integer exp",
		    NULL },
		{ "exp null", "{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\","
		    "\"exp\":null,\"jti\":\"" JTI "\"}", -1, "integer exp",
		    NULL },
		{ "exp beyond 2^63", "{\"iss\":\"" ISS "\",\"aud\":\"" AUD
		    "\",\"exp\":99999999999999999999,\"jti\":\"" JTI "\"}", -1,
		    "integer exp", NULL },
		{ "exp INT64_MAX", "{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\","
		    "\"exp\":9223372036854775807,\"jti\":\"" JTI "\"}", -1,
		    "integer exp", NULL },
		{ "exp INT64_MAX - 1", "{\"iss\":\"" ISS "\",\"aud\":\"" AUD
		    "\",\"exp\":9223372036854775806,\"jti\":\"" JTI "\"}", 0,
		    NULL, NULL },
		{ "exp INT64_MIN + 1", "{\"iss\":\"" ISS "\",\"aud\":\"" AUD
		    "\",\"exp\":-9223372036854775807,\"jti\":\"" JTI "\"}", -1,
		    "expired", NULL },
		{ "exp negative", "{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\","
		    "\"exp\":-1,\"jti\":\"" JTI "\"}", -1, "expired", NULL },
		{ "exp zero", "{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\","
		    "\"exp\":0,\"jti\":\"" JTI "\"}", -1, "expired", NULL },
		{ "exp now - skew", "{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\","
		    "\"exp\":1699999940,\"jti\":\"" JTI "\"}", -1, "expired",
		    NULL },
		{ "exp now - skew + 1", "{\"iss\":\"" ISS "\",\"aud\":\"" AUD
		    "\",\"exp\":1699999941,\"jti\":\"" JTI "\"}", 0, NULL,
		    NULL },
		{ "nbf within the skew", "{\"iss\":\"" ISS "\",\"aud\":\"" AUD
		    "\",\"exp\":@P@,\"nbf\":1700000060,\"jti\":\"" JTI "\"}",
		    0, NULL, NULL },
		{ "nbf in the future", "{\"iss\":\"" ISS "\",\"aud\":\"" AUD
		    "\",\"exp\":@P@,\"nbf\":1700000061,\"jti\":\"" JTI "\"}",
		    -1, "not yet valid", NULL },
		{ "nbf a string", "{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\","
		    "\"exp\":@P@,\"nbf\":\"0\",\"jti\":\"" JTI "\"}", -1,
		    "integer", NULL },
		{ "nbf huge", "{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\","
		    "\"exp\":@P@,\"nbf\":9223372036854775806,\"jti\":\"" JTI
		    "\"}", -1, "not yet valid", NULL },
		{ "iat in the future", "{\"iss\":\"" ISS "\",\"aud\":\"" AUD
		    "\",\"exp\":@P@,\"iat\":1700000061,\"jti\":\"" JTI "\"}",
		    -1, "issued in the future", NULL },
		{ "iat a float", "{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\","
		    "\"exp\":@P@,\"iat\":1.0,\"jti\":\"" JTI "\"}", -1,
		    "integer", NULL },
		{ "iss wrong", "{\"iss\":\"other\",\"aud\":\"" AUD "\","
		    "\"exp\":@P@,\"jti\":\"" JTI "\"}", -1, "issuer", NULL },
		{ "iss missing", "{\"aud\":\"" AUD "\",\"exp\":@P@,\"jti\":\""
		    JTI "\"}", -1, "issuer", NULL },
		{ "iss an array", "{\"iss\":[\"" ISS "\"],\"aud\":\"" AUD "\","
		    "\"exp\":@P@,\"jti\":\"" JTI "\"}", -1, "issuer", NULL },
		{ "iss with a suffix", "{\"iss\":\"" ISS "x\",\"aud\":\"" AUD
		    "\",\"exp\":@P@,\"jti\":\"" JTI "\"}", -1, "issuer", NULL },
		{ "aud wrong", "{\"iss\":\"" ISS "\",\"aud\":\"" ADM "\","
		    "\"exp\":@P@,\"jti\":\"" JTI "\"}", -1, "not valid for",
		    NULL },
		{ "aud missing", "{\"iss\":\"" ISS "\",\"exp\":@P@,\"jti\":\""
		    JTI "\"}", -1, "not valid for", NULL },
		{ "aud array with ours", "{\"iss\":\"" ISS "\",\"aud\":[\"x\","
		    "1,\"" AUD "\"],\"exp\":@P@,\"jti\":\"" JTI "\"}", 0, NULL,
		    NULL },
		{ "aud array without ours", "{\"iss\":\"" ISS "\",\"aud\":[\""
		    ADM "\",\"x\"],\"exp\":@P@,\"jti\":\"" JTI "\"}", -1,
		    "not valid for", NULL },
		{ "aud empty array", "{\"iss\":\"" ISS "\",\"aud\":[],"
		    "\"exp\":@P@,\"jti\":\"" JTI "\"}", -1, "not valid for",
		    NULL },
		{ "aud nested array", "{\"iss\":\"" ISS "\",\"aud\":[[\"" AUD
		    "\"]],\"exp\":@P@,\"jti\":\"" JTI "\"}", -1,
		    "not valid for", NULL },
		{ "aud a number", "{\"iss\":\"" ISS "\",\"aud\":1,\"exp\":@P@,"
		    "\"jti\":\"" JTI "\"}", -1, "not valid for", NULL },
		{ "jti missing", "{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\","
		    "\"exp\":@P@}", -1, "jti", NULL },
		{ "jti not a UUID", "{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\","
		    "\"exp\":@P@,\"jti\":\"abc\"}", -1, "jti", NULL },
		{ "jti UUID in braces", "{\"iss\":\"" ISS "\",\"aud\":\"" AUD
		    "\",\"exp\":@P@,\"jti\":\"{" JTI "}\"}", -1, "jti", NULL },
		{ "jti 36 chars, dashes misplaced", "{\"iss\":\"" ISS "\","
		    "\"aud\":\"" AUD "\",\"exp\":@P@,\"jti\":"
		    "\"0b1e2f3a4-c5d-4e6f-8a9b-0c1d2e3f4a5b\"}", -1, "jti",
		    NULL },
		{ "jti with a non-hex letter", "{\"iss\":\"" ISS "\",\"aud\":\""
		    AUD "\",\"exp\":@P@,\"jti\":"
		    "\"0b1e2f3a-4c5d-4e6f-8a9b-0c1d2e3f4a5g\"}", -1, "jti",
		    NULL },
		{ "jti upper case", "{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\","
		    "\"exp\":@P@,\"jti\":"
		    "\"0B1E2F3A-4C5D-4E6F-8A9B-0C1D2E3F4A5B\"}", 0, NULL,
		    NULL },
		{ "jti a number", "{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\","
		    "\"exp\":@P@,\"jti\":1}", -1, "jti", NULL },
		{ "not an object", "[1]", -1, "invalid token", NULL },
		{ "not JSON", "exp=1", -1, "invalid token", NULL },
		{ "empty", "", -1, "invalid token", NULL },
		{ "trailing garbage", "{\"iss\":\"" ISS "\",\"aud\":\"" AUD
		    "\",\"exp\":@P@,\"jti\":\"" JTI "\"}{}", -1,
		    "invalid token", NULL },
		{ "too deep", "{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\","
		    "\"exp\":@P@,\"jti\":\"" JTI "\",\"x\":[[[[[[[[1]]]]]]]]}",
		    -1, "invalid token", NULL },
		{ "\\u0000 in a claim name", "{\"iss\":\"" ISS "\",\"aud\":\""
		    AUD "\",\"exp\":@P@,\"jti\":\"" JTI "\",\"exp\\u0000\":1}",
		    -1, "invalid token", NULL },
		{ "invalid UTF-8", "{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\","
		    "\"exp\":@P@,\"jti\":\"" JTI "\",\"sub\":\"\xff\"}", -1,
		    "invalid token", NULL },
	};
	struct arena		*a = arena_new();
	struct token_claims	 cl;
	struct err		 e;
	const char		*p, *q;
	char			*json;
	size_t			 i;
	int			 rc;

	for (i = 0; i < NELEM(cases); i++) {
		/* Substitute the two time markers. */
		json = arena_strdup(a, "");
		for (p = cases[i].json; (q = strchr(p, '@')) != NULL &&
		    q[1] != '\0' && q[2] == '@'; p = q + 3)
			json = arena_printf(a, "%s%.*s%lld", json,
			    (int)(q - p), p, q[1] == 'N' ? NOW : NOW + 3600);
		json = arena_printf(a, "%s%s", json, p);
		err_clear(&e);
		rc = token_check_claims(a, json, strlen(json), ISS, AUD, SKEW,
		    NOW, &cl, &e);
		is_int(rc, cases[i].rc, "claims %s", cases[i].name);
		if (cases[i].rc == -1)
			ok(e.kind == ERR_UNAUTHENTICATED &&
			    strstr(e.msg, cases[i].msg) != NULL,
			    "claims %s: 401 '%s'", cases[i].name, e.msg);
		else {
			ok(cl.jti != NULL && strcasecmp(cl.jti, JTI) == 0,
			    "claims %s: jti", cases[i].name);
			is_str(cl.sub, cases[i].sub, "claims %s: sub",
			    cases[i].name);
		}
		arena_reset(a);
	}
	arena_free(a);
}

/* The auth_key cache counters: [0] parses (misses), [1] reuses. */
static void
auth_key_counts(uint64_t out[2])
{
	const struct metrics_shm *m = metrics_get();

	out[0] = m->cache[MC_AUTH_KEY][0];
	out[1] = m->cache[MC_AUTH_KEY][1];
}

/* Verify tok n times against c; how many verified. */
static int
verify_n(struct conf *c, const char *tok, int n)
{
	struct arena		*a = arena_new();
	struct token_claims	 cl;
	struct err		 e;
	int			 i, good = 0;

	for (i = 0; i < n; i++) {
		arena_reset(a);
		good += token_verify(c, a, tok, AUD, NOW, &cl, &e) == 0;
	}
	arena_free(a);
	return good;
}

/*
 * Verification keys are parsed once (token_init, or the first token of
 * keys not seen yet) and reused by every later token: the metrics count
 * each parse as an auth_key miss and each reuse as a hit.
 */
static void
test_key_cache(void)
{
	struct conf	*c, *same, *rotated, *hs;
	EVP_PKEY	*k2;
	struct err	 e;
	uint64_t	 n0[2], n1[2];
	char		*tok, *tok2;

	c = mkconf(CONF_ALG_RS256, true);
	auth_key_counts(n0);
	if (token_init(c, &e) == -1 || (tok = token_issue(c, AUD, "alice", JTI,
	    NOW, NOW + 3600, &e)) == NULL)
		bail_out("RS256 key: %s", e.msg);
	auth_key_counts(n1);
	is_int(n1[0] - n0[0], 1, "token_init parses the public key once");
	is_int(verify_n(c, tok, 20), 20, "20 tokens verified");
	auth_key_counts(n0);
	ok(n0[0] == n1[0] && n0[1] - n1[1] == 20,
	    "20 verifications reuse the parsed key, parse nothing");

	/* The same key bytes in another configuration: no parse. */
	same = mkconf(CONF_ALG_HS256, false);
	free(same->auth_secret.data);
	memset(&same->auth_secret, 0, sizeof(same->auth_secret));
	same->auth_alg = CONF_ALG_RS256;
	blob_set(&same->auth_public_key, c->auth_public_key.data,
	    c->auth_public_key.len);
	is_int(verify_n(same, tok, 3), 3, "a copy of the configuration "
	    "verifies");
	auth_key_counts(n1);
	ok(n1[0] == n0[0], "with the keys parsed already");

	/* Rotation read later: new key, old one as previous, parsed once. */
	if ((k2 = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048)) == NULL)
		bail_out("cannot generate a key");
	rotated = mkconf(CONF_ALG_HS256, false);
	free(rotated->auth_secret.data);
	memset(&rotated->auth_secret, 0, sizeof(rotated->auth_secret));
	rotated->auth_alg = CONF_ALG_RS256;
	blob_pem(&rotated->auth_public_key, k2, 0);
	blob_pem(&rotated->auth_private_key, k2, 1);
	blob_set(&rotated->auth_previous_public_key, c->auth_public_key.data,
	    c->auth_public_key.len);
	is_int(verify_n(rotated, tok, 5), 5, "rotated keys: an old token "
	    "verifies with the previous key");
	auth_key_counts(n0);
	is_int(n0[0] - n1[0], 2, "both keys parsed once, on the first token");
	if ((tok2 = token_issue(rotated, AUD, "bob", JTI, NOW, NOW + 3600,
	    &e)) == NULL)
		bail_out("token_issue: %s", e.msg);
	is_int(verify_n(rotated, tok2, 5), 5, "a new token verifies");
	auth_key_counts(n1);
	ok(n1[0] == n0[0] && n1[1] - n0[1] == 5, "no parse for it");
	is_int(verify_n(c, tok2, 1), 0, "the old configuration refuses the "
	    "new key's token");

	/* Another algorithm's token_init drops the RS256 keys. */
	hs = mkconf(CONF_ALG_HS256, false);
	if (token_init(hs, &e) == -1)
		bail_out("token_init: %s", e.msg);
	auth_key_counts(n0);
	is_int(verify_n(c, tok, 2), 2, "RS256 again after HS256's init");
	auth_key_counts(n1);
	is_int(n1[0] - n0[0], 1, "its key parsed again, once");
	crypto_wipe(tok, strlen(tok));
	crypto_wipe(tok2, strlen(tok2));
	free(tok);
	free(tok2);
	EVP_PKEY_free(k2);
	conf_free(c);
	conf_free(same);
	conf_free(rotated);
	conf_free(hs);
}

/*
 * The token cache (tokcache.c, on once configured): a token verified
 * once is looked up, not decoded again, and every answer it gets is the
 * one it would get verified in full.
 */

/* Token cache lookups so far: hits or misses. */
static uint64_t
token_count(bool hit)
{
	return metrics_get()->cache[MC_TOKEN][hit ? 1 : 0];
}

/* What token_verify answers, as one line. */
static const char *
answer(struct arena *a, const struct conf *c, const char *tok,
    const char *aud, int64_t now)
{
	struct token_claims	 cl;
	struct err		 e;

	err_clear(&e);
	if (token_verify(c, a, tok, aud, now, &cl, &e) == -1)
		return arena_printf(a, "%d %s", (int)e.kind, e.msg);
	return arena_printf(a, "ok %s %s %lld %lld", cl.jti,
	    cl.sub != NULL ? cl.sub : "-", (long long)cl.exp,
	    (long long)cl.iat);
}

/* An HS256 token of c's secret (mkconf) with these claims. */
static char *
hs_token(struct arena *a, const char *claims)
{
	struct signer	 sg = { SIG_HMAC, secret, sizeof(secret), NULL };

	return craft(a, "{\"alg\":\"HS256\",\"typ\":\"JWT\"}", claims, &sg);
}

/*
 * Verify tok with c for audience aud at now: the answer must contain
 * want ("ok " when it verifies), and be a hit of the token cache or not.
 */
static void
expect_answer(struct arena *a, const struct conf *c, const char *tok,
    const char *aud, int64_t now, bool hit, const char *want,
    const char *name)
{
	uint64_t	 h = token_count(true);
	const char	*got = answer(a, c, tok, aud, now);

	ok(token_count(true) == h + hit && strstr(got, want) != NULL,
	    "%s (%s%s)", name, hit ? "hit: " : "", got);
}

/*
 * Every (configuration, audience, time) of a grid answered from the
 * cache as without it: expiry, nbf, iat, issuer and audience checked on
 * every hit, in the same order, with the same messages.
 */
#define GRID_AUDS	3
#define GRID_NOWS	5
#define GRID		(2 * GRID_AUDS * GRID_NOWS)

/* Point n of the grid: its configuration, audience and time. */
static const char *
grid_ask(struct arena *a, struct conf *confs[2], const char *tok, size_t n)
{
	static const char *const auds[GRID_AUDS] = { AUD, ADM, "nobody" };
	static const int64_t nows[GRID_NOWS] = {
		NOW - SKEW - 1, NOW, NOW + 200, NOW + 3600 + SKEW - 1,
		NOW + 3600 + SKEW,
	};

	return answer(a, confs[n / (GRID_AUDS * GRID_NOWS)], tok,
	    auds[n / GRID_NOWS % GRID_AUDS], nows[n % GRID_NOWS]);
}

static void
test_tokcache_same_answers(void)
{
	static const char *const claims[] = {
		"{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\",\"sub\":\"bob\","
		    "\"jti\":\"" JTI "\",\"iat\":1700000000,"
		    "\"nbf\":1700000000,\"exp\":1700003600}",
		"{\"iss\":\"" ISS "\",\"aud\":[\"x\",7,\"" AUD "\",\"" ADM
		    "\"],\"jti\":\"" JTI "\",\"exp\":1700003600}",
		"{\"iss\":\"" ISS "\",\"aud\":[\"" AUD "\"],\"sub\":5,"
		    "\"jti\":\"" JTI "\",\"iat\":1700000200,"
		    "\"exp\":1700003600}",
	};
	struct arena	*a = arena_new();
	struct conf	*confs[2];
	const char	*want[NELEM(claims)][GRID], *got;
	char		*toks[NELEM(claims)];
	struct err	 e;
	uint64_t	 h;
	size_t		 i, n, same, hits;

	confs[0] = mkconf(CONF_ALG_HS256, false);
	confs[1] = mkconf(CONF_ALG_HS256, false);
	free(confs[1]->auth_issuer);
	confs[1]->auth_issuer = xstrdup("another-issuer");
	if (token_init(confs[0], &e) == -1)
		bail_out("token_init: %s", e.msg);
	tokcache_configure(0);
	for (i = 0; i < NELEM(claims); i++) {
		toks[i] = hs_token(a, claims[i]);
		for (n = 0; n < GRID; n++)
			want[i][n] = grid_ask(a, confs, toks[i], n);
	}
	tokcache_configure(16);
	for (i = 0; i < NELEM(claims); i++) {
		got = answer(a, confs[0], toks[i], AUD, NOW + 200);
		ok(strncmp(got, "ok ", 3) == 0, "token %zu verifies (%s)", i,
		    got);
		same = hits = 0;
		for (n = 0; n < GRID; n++) {
			h = token_count(true);
			got = grid_ask(a, confs, toks[i], n);
			hits += token_count(true) == h + 1;
			if (strcmp(got, want[i][n]) == 0)
				same++;
			else
				diag("token %zu, point %zu: '%s', not '%s'",
				    i, n, got, want[i][n]);
		}
		is_int(hits, GRID, "token %zu: every later call a hit", i);
		is_int(same, GRID, "token %zu: each answered as without the "
		    "cache", i);
	}
	tokcache_configure(0);
	conf_free(confs[0]);
	conf_free(confs[1]);
	arena_free(a);
}

static void
test_tokcache(void)
{
	struct arena	*a = arena_new();
	struct conf	*c = mkconf(CONF_ALG_HS256, false);
	struct err	 e;
	const char	*first;
	char		*tok, *other, *big;
	uint64_t	 h0, m0;

	if (token_init(c, &e) == -1)
		bail_out("token_init: %s", e.msg);
	tok = hs_token(a, payload_ok(a));

	tokcache_configure(0);
	h0 = token_count(true);
	m0 = token_count(false);
	answer(a, c, tok, AUD, NOW);
	answer(a, c, tok, AUD, NOW);
	ok(token_count(true) == h0 && token_count(false) == m0,
	    "off: nothing looked up");

	tokcache_configure(16);
	first = answer(a, c, tok, AUD, NOW);
	ok(token_count(true) == h0 && token_count(false) == m0 + 1,
	    "on: the first call is a miss");
	expect_answer(a, c, tok, AUD, NOW, true, first, "the second a hit, "
	    "with the same claims");
	is_str(first, "ok " JTI " bob 1700003600 1700000000", "those of the "
	    "token");
	expect_answer(a, c, tok, AUD, NOW + 3600 + SKEW, true,
	    "token expired", "a kept token is refused once expired");
	expect_answer(a, c, tok, AUD, NOW - SKEW - 1, true,
	    "token not yet valid", "and before its nbf");
	expect_answer(a, c, tok, ADM, NOW, true,
	    "token not valid for this API", "and for another audience");

	/* One byte changed (in the payload, or one more at the end). */
	other = arena_strdup(a, tok);
	other[strchr(other, '.') - other + 5] ^= 1;
	expect_answer(a, c, other, AUD, NOW, false, "invalid token",
	    "a token one byte off is no hit");
	expect_answer(a, c, arena_printf(a, "%sA", tok), AUD, NOW, false,
	    "invalid token", "nor is one byte longer");

	/* A token over TOKCACHE_TOKEN_MAX verifies in full every time. */
	big = arena_alloc(a, TOKCACHE_TOKEN_MAX + 1);
	memset(big, 'x', TOKCACHE_TOKEN_MAX);
	big[TOKCACHE_TOKEN_MAX] = '\0';
	big = hs_token(a, arena_printf(a, "{\"iss\":\"" ISS "\",\"aud\":\""
	    AUD "\",\"pad\":\"%s\",\"jti\":\"" JTI "\",\"exp\":1700003600}",
	    big));
	expect_answer(a, c, big, AUD, NOW, false, "ok ", "a token over "
	    "the limit verifies");
	expect_answer(a, c, big, AUD, NOW, false, "ok ", "and is not kept");

	/* One slot: the last token verified pushes the other out. */
	tokcache_configure(1);
	other = hs_token(a, "{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\","
	    "\"jti\":\"" JTI "\",\"exp\":1700003601}");
	h0 = token_count(true);
	answer(a, c, tok, AUD, NOW);
	answer(a, c, tok, AUD, NOW);
	answer(a, c, other, AUD, NOW);
	answer(a, c, other, AUD, NOW);
	answer(a, c, tok, AUD, NOW);
	is_int(token_count(true) - h0, 2, "one slot keeps one token");

	tokcache_configure(0);
	conf_free(c);
	arena_free(a);
}

/*
 * Tokens are dropped with the keys that verified them: a rotation read
 * again (token_init) or met on a token (another configuration's keys),
 * then the previous key removed.  A token kept for one algorithm is
 * not taken for another's.
 */
static void
test_tokcache_keys(void)
{
	static const unsigned char next[32] = "the next secret, 32 bytes long!";
	struct arena	*a = arena_new();
	struct conf	*c = mkconf(CONF_ALG_HS256, false);
	struct conf	*rot = mkconf(CONF_ALG_HS256, false);
	struct conf	*gone = mkconf(CONF_ALG_HS256, false);
	struct conf	*rs = mkconf(CONF_ALG_RS256, true);
	struct err	 e;
	char		*tok, *rtok;

	free(rot->auth_secret.data);
	blob_set(&rot->auth_secret, next, sizeof(next));
	blob_set(&rot->auth_previous_secret, secret, sizeof(secret));
	free(gone->auth_secret.data);
	blob_set(&gone->auth_secret, next, sizeof(next));
	if (token_init(c, &e) == -1)
		bail_out("token_init: %s", e.msg);
	tokcache_configure(16);
	tok = hs_token(a, payload_ok(a));
	answer(a, c, tok, AUD, NOW);

	if (token_init(rot, &e) == -1)
		bail_out("token_init: %s", e.msg);
	expect_answer(a, rot, tok, AUD, NOW, false, "ok ", "token_init "
	    "drops the tokens; an old one verifies with the previous key");
	expect_answer(a, rot, tok, AUD, NOW, true, "ok ", "and is kept "
	    "again");
	if (token_init(gone, &e) == -1)
		bail_out("token_init: %s", e.msg);
	expect_answer(a, gone, tok, AUD, NOW, false, "invalid token",
	    "the previous key removed: refused");

	/* The same, the keys changing with the configuration passed. */
	answer(a, rot, tok, AUD, NOW);
	expect_answer(a, rot, tok, AUD, NOW, true, "ok ", "kept with the "
	    "previous key again");
	expect_answer(a, gone, tok, AUD, NOW, false, "invalid token",
	    "other keys met on a call drop them too");

	/* Both algorithms' keys ready, a token of each kept. */
	answer(a, c, tok, AUD, NOW);
	if ((rtok = token_issue(rs, AUD, "alice", JTI, NOW, NOW + 3600,
	    &e)) == NULL)
		bail_out("token_issue: %s", e.msg);
	answer(a, rs, rtok, AUD, NOW);
	answer(a, c, tok, AUD, NOW);
	expect_answer(a, c, rtok, AUD, NOW, false, "invalid token",
	    "an RS256 token kept is no hit for HS256");
	expect_answer(a, c, tok, AUD, NOW, true, "ok ", "while the HS256 one "
	    "is");
	expect_answer(a, rs, rtok, AUD, NOW, true, "ok ", "and the RS256 one "
	    "for RS256");

	crypto_wipe(rtok, strlen(rtok));
	free(rtok);
	tokcache_configure(0);
	conf_free(c);
	conf_free(rot);
	conf_free(gone);
	conf_free(rs);
	arena_free(a);
}

int
main(void)
{
	if ((rsa_key = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048)) ==
	    NULL || (ec_key = EVP_PKEY_Q_keygen(NULL, NULL, "EC",
	    "P-256")) == NULL)
		bail_out("cannot generate test keys");
	test_front_check();
	test_round_trip();
	test_issue_errors();
	test_crafted();
	test_claims_signed();
	test_check_claims();
	test_key_cache();
	test_tokcache_same_answers();
	test_tokcache();
	test_tokcache_keys();
	EVP_PKEY_free(rsa_key);
	EVP_PKEY_free(ec_key);
	return done_testing();
}
