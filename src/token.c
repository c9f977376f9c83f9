/*
 * token.c: bearer JWT checks, verification and issuance (see token.h).
 *
 * Order of checks for an incoming token: shape (token_front_check), our
 * own strict decode of the header with the configured algorithm pinned,
 * a strict decode of the signature with its length for that algorithm,
 * then the signature checked here with the configured key by that
 * algorithm's routine only (HS256: HMAC-SHA256 and a constant-time
 * compare; RS256: RSASSA-PKCS1-v1_5 with SHA-256; ES256: ECDSA P-256,
 * the JWS r||s turned into DER), then the claims.  Every failure is a
 * 401 with a short message; nothing about the token is logged.
 *
 * Verification keys (current and previous) are parsed once per process
 * and key: token_init() at configuration load, or on the first token
 * verified with keys not seen yet (a configuration read again, tests).
 * A slot per algorithm keeps them with a copy of the configured bytes,
 * which each verification compares with the configuration's.  (libjwt's
 * jwt_decode() parsed the PEM key again for every token: 240-300 us
 * for nothing.)  libjwt still issues tokens.
 *
 * A token that verified fine is kept by the worker's token cache
 * (tokcache.c) with its claims as parsed (struct token_facts) until the
 * keys change (keys_load, token_init); found there, it skips the
 * decoding and the signature, and its claims go through the same
 * claims_check() as a token seen the first time, so the answer is the
 * same.
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include <jwt.h>
#include <json-c/json.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "arena.h"
#include "conf.h"
#include "crypto.h"
#include "err.h"
#include "jsonu.h"
#include "metrics.h"
#include "strutil.h"
#include "tokcache.h"
#include "token.h"
#include "xmalloc.h"

#define TOKEN_PART_MAX	(16 * 1024)
#define ES256_DER_MAX	72	/* SEQUENCE of two INTEGERs of 33 bytes */

/* A verification key, parsed from the bytes the configuration holds. */
struct vkey {
	unsigned char		*src;		/* a copy of them (wiped) */
	size_t			 srclen;	/* 0: no key */
	size_t			 sig_len;	/* bytes of its signatures */
	EVP_PKEY		*pkey;		/* RS256, ES256 */
	struct crypto_hmac	 mac;		/* HS256 */
};

/* The current and previous keys of one algorithm. */
struct vkeys {
	bool			 ready;
	struct vkey		 cur, prev;
};

static struct vkeys	 slots[CONF_ALG_ES256 + 1];

static jwt_alg_t
lib_alg(enum conf_alg a)
{
	switch (a) {
	case CONF_ALG_RS256:
		return JWT_ALG_RS256;
	case CONF_ALG_ES256:
		return JWT_ALG_ES256;
	default:
		return JWT_ALG_HS256;
	}
}

/* A PEM key of the configuration, checked against the algorithm. */
static EVP_PKEY *
load_pem(const struct conf_blob *b, const char *key, int private,
    enum conf_alg alg, struct err *e)
{
	BIO		*bio;
	EVP_PKEY	*k;

	if ((bio = BIO_new_mem_buf(b->data, (int)b->len)) == NULL) {
		err_set(e, ERR_INTERNAL, "out of memory");
		return NULL;
	}
	k = private ? PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL) :
	    PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
	BIO_free(bio);
	ERR_clear_error();
	if (k == NULL)
		err_set(e, ERR_INTERNAL, "auth.%s is not a PEM %s key", key,
		    private ? "private" : "public");
	else if (alg == CONF_ALG_RS256 && EVP_PKEY_base_id(k) != EVP_PKEY_RSA)
		err_set(e, ERR_INTERNAL, "RS256 needs an RSA key");
	else if (alg == CONF_ALG_RS256 && EVP_PKEY_get_bits(k) < 2048)
		err_set(e, ERR_INTERNAL, "RS256 needs an RSA key of at least "
		    "2048 bits");
	else if (alg == CONF_ALG_ES256 && (EVP_PKEY_base_id(k) != EVP_PKEY_EC ||
	    EVP_PKEY_get_bits(k) != 256))
		err_set(e, ERR_INTERNAL, "ES256 needs a P-256 EC key");
	else
		return k;
	EVP_PKEY_free(k);
	return NULL;
}

static void
vkey_free(struct vkey *v)
{
	if (v->src != NULL) {
		crypto_wipe(v->src, v->srclen);
		free(v->src);
	}
	EVP_PKEY_free(v->pkey);
	crypto_wipe(v, sizeof(*v));
}

/* Does v hold the key of b (both absent counts)? */
static bool
vkey_is(const struct vkey *v, const struct conf_blob *b)
{
	size_t	 n = b->data != NULL ? b->len : 0;

	return v->srclen == n && (n == 0 || memcmp(v->src, b->data, n) == 0);
}

/* Parse the key of b (none: an empty v) once; the miss is counted. */
static int
vkey_load(struct vkey *v, const struct conf_blob *b, const char *key,
    enum conf_alg alg, struct err *e)
{
	memset(v, 0, sizeof(*v));
	if (b->data == NULL || b->len == 0)
		return 0;
	metrics_cache(MC_AUTH_KEY, false);
	if (alg == CONF_ALG_HS256) {
		crypto_hmac_init(&v->mac, b->data, b->len);
		v->sig_len = CRYPTO_SHA256_LEN;
	} else {
		if ((v->pkey = load_pem(b, key, 0, alg, e)) == NULL)
			return -1;
		v->sig_len = alg == CONF_ALG_ES256 ? 64 :
		    (size_t)EVP_PKEY_get_size(v->pkey);
	}
	v->src = xmalloc(b->len);
	memcpy(v->src, b->data, b->len);
	v->srclen = b->len;
	return 0;
}

/* The configuration's verification keys, as blobs. */
static void
conf_keys(const struct conf *c, const struct conf_blob **cur,
    const struct conf_blob **prev)
{
	if (c->auth_alg == CONF_ALG_HS256) {
		*cur = &c->auth_secret;
		*prev = &c->auth_previous_secret;
	} else {
		*cur = &c->auth_public_key;
		*prev = &c->auth_previous_public_key;
	}
}

/* Are c's keys those parsed in their algorithm's slot? */
static bool
keys_ready(const struct conf *c)
{
	const struct vkeys *s = &slots[c->auth_alg];
	const struct conf_blob *cur, *prev;

	conf_keys(c, &cur, &prev);
	return s->ready && vkey_is(&s->cur, cur) && vkey_is(&s->prev, prev);
}

/* Parse c's verification keys into their algorithm's slot. */
static int
keys_load(const struct conf *c, struct err *e)
{
	const struct conf_blob *cur, *prev;
	struct vkeys	 s;

	conf_keys(c, &cur, &prev);
	memset(&s, 0, sizeof(s));
	if (vkey_load(&s.cur, cur, "public_key_file", c->auth_alg, e) == -1 ||
	    vkey_load(&s.prev, prev, "previous_public_key_file", c->auth_alg,
	    e) == -1) {
		vkey_free(&s.cur);
		vkey_free(&s.prev);
		return -1;
	}
	vkey_free(&slots[c->auth_alg].cur);
	vkey_free(&slots[c->auth_alg].prev);
	tokcache_clear();
	s.ready = true;
	slots[c->auth_alg] = s;
	return 0;
}

int
token_init(const struct conf *c, struct err *e)
{
	EVP_PKEY	*k;
	size_t		 i;

	tokcache_clear();
	if (keys_load(c, e) == -1)
		return -1;
	/* Only this configuration's keys stay. */
	for (i = 0; i < sizeof(slots) / sizeof(slots[0]); i++)
		if (i != (size_t)c->auth_alg) {
			vkey_free(&slots[i].cur);
			vkey_free(&slots[i].prev);
			slots[i].ready = false;
		}
	if (c->auth_alg != CONF_ALG_HS256 && c->auth_private_key.data != NULL) {
		if ((k = load_pem(&c->auth_private_key, "private_key_file", 1,
		    c->auth_alg, e)) == NULL)
			return -1;
		EVP_PKEY_free(k);
	}
	return 0;
}

static int
b64char(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_';
}

int
token_front_check(const char *authz, size_t max, const char **tok,
    struct err *e)
{
	const char	*p;
	size_t		 len, dots = 0, run = 0;

	if (authz == NULL || *authz == '\0')
		return err_set(e, ERR_UNAUTHENTICATED, "missing bearer token");
	if ((len = strlen(authz)) > max)
		return err_set(e, ERR_UNAUTHENTICATED,
		    "authorization header too large");
	if (!str_case_prefix(authz, "bearer") ||
	    (authz[6] != ' ' && authz[6] != '\t'))
		return err_set(e, ERR_UNAUTHENTICATED,
		    "authorization must use the Bearer scheme");
	for (p = authz + 6; *p == ' ' || *p == '\t'; p++)
		;
	*tok = p;
	len = strlen(p);
	while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
		len--;
	if (len != strlen(p))
		return err_set(e, ERR_UNAUTHENTICATED, "malformed bearer token");
	for (; *p != '\0'; p++) {
		if (*p == '.') {
			if (run == 0 || ++dots > 2)
				return err_set(e, ERR_UNAUTHENTICATED,
				    "malformed bearer token");
			run = 0;
		} else if (b64char((unsigned char)*p))
			run++;
		else
			return err_set(e, ERR_UNAUTHENTICATED,
			    "malformed bearer token");
	}
	if (dots != 2 || run == 0)
		return err_set(e, ERR_UNAUTHENTICATED, "malformed bearer token");
	return 0;
}

/* Decode one base64url part into the arena; NUL-terminated. */
static unsigned char *
decode_part(struct arena *a, const char *p, size_t len, size_t *outlen)
{
	unsigned char	*out;
	long		 n;

	/* JWS parts are unpadded (RFC 7515 2): '=' would be malleable. */
	if (len > TOKEN_PART_MAX || memchr(p, '=', len) != NULL)
		return NULL;
	out = arena_alloc(a, 3 * (len / 4) + 4);
	if ((n = str_b64url_decode(p, len, out)) < 0)
		return NULL;
	out[n] = '\0';
	*outlen = (size_t)n;
	return out;
}

static int
check_header(struct arena *a, const unsigned char *h, size_t len,
    enum conf_alg alg)
{
	struct json_object	*obj, *v;
	struct err		 ignore;

	if ((obj = jsonu_parse(a, (const char *)h, len, 4, &ignore)) == NULL ||
	    !json_object_is_type(obj, json_type_object))
		return -1;
	if (!json_object_object_get_ex(obj, "alg", &v) ||
	    !json_object_is_type(v, json_type_string) ||
	    strcmp(json_object_get_string(v), conf_alg_name(alg)) != 0)
		return -1;
	if (json_object_object_get_ex(obj, "typ", &v) &&
	    (!json_object_is_type(v, json_type_string) ||
	    strcasecmp(json_object_get_string(v), "JWT") != 0))
		return -1;
	if (json_object_object_get_ex(obj, "crit", &v))
		return -1;
	return 0;
}

static int
claim_int(struct json_object *obj, const char *name, int64_t *out,
    int *present)
{
	struct json_object	*v;

	*present = 0;
	if (!json_object_object_get_ex(obj, name, &v))
		return 0;
	if (!json_object_is_type(v, json_type_int))
		return -1;
	*out = json_object_get_int64(v);
	if (*out == INT64_MAX || *out == INT64_MIN)
		return -1;
	*present = 1;
	return 0;
}

static int
is_uuid(const char *s)
{
	size_t	 i;

	if (strlen(s) != 36)
		return 0;
	for (i = 0; i < 36; i++)
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return 0;
		} else if (!strchr("0123456789abcdefABCDEF", s[i]))
			return 0;
	return 1;
}

/* Is want one of the audiences f names? */
static bool
aud_has(const struct token_facts *f, const char *want)
{
	size_t	 i;

	for (i = 0; i < f->audlen; i += strlen(f->aud + i) + 1)
		if (strcmp(f->aud + i, want) == 0)
			return true;
	return false;
}

/* A string claim, or NULL. */
static const char *
claim_str(struct json_object *obj, const char *name)
{
	struct json_object	*v;

	if (!json_object_object_get_ex(obj, name, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/* The i-th audience of aud v (a string, or an array's), or NULL. */
static const char *
aud_at(struct json_object *v, size_t i)
{
	if (json_object_is_type(v, json_type_array))
		v = json_object_array_get_idx(v, i);
	return json_object_is_type(v, json_type_string) ?
	    json_object_get_string(v) : NULL;
}

/* The audiences the aud claim names, packed into the arena. */
static void
parse_aud(struct arena *a, struct json_object *obj, struct token_facts *f)
{
	struct json_object	*v;
	const char		*s;
	char			*p;
	size_t			 i, n = 1, len;

	if (!json_object_object_get_ex(obj, "aud", &v))
		return;
	if (json_object_is_type(v, json_type_array))
		n = json_object_array_length(v);
	for (i = 0; i < n; i++)
		if ((s = aud_at(v, i)) != NULL)
			f->audlen += strlen(s) + 1;
	f->aud = p = arena_alloc(a, f->audlen + 1);
	for (i = 0; i < n; i++)
		if ((s = aud_at(v, i)) != NULL) {
			len = strlen(s) + 1;
			memcpy(p, s, len);
			p += len;
		}
}

/*
 * What the claims JSON says, its strings left in json-c's objects (in
 * the arena); -1 with e set when it says nothing usable whatever the
 * call (not JSON, integer claims that are not integers).
 */
static int
claims_parse(struct arena *a, const char *json, size_t len,
    struct token_facts *f, struct err *e)
{
	struct json_object	*obj;
	struct err		 ignore;
	int			 has_exp, has_nbf, has_iat;
	const char		*s;

	memset(f, 0, sizeof(*f));
	if ((obj = jsonu_parse(a, json, len, 8, &ignore)) == NULL ||
	    !json_object_is_type(obj, json_type_object))
		return err_set(e, ERR_UNAUTHENTICATED, "invalid token");
	if (claim_int(obj, "exp", &f->exp, &has_exp) == -1 || !has_exp ||
	    claim_int(obj, "nbf", &f->nbf, &has_nbf) == -1 ||
	    claim_int(obj, "iat", &f->iat, &has_iat) == -1)
		return err_set(e, ERR_UNAUTHENTICATED, "token needs an integer "
		    "exp claim (and integer nbf and iat, when present)");
	f->has_nbf = has_nbf;
	f->has_iat = has_iat;
	f->iss = claim_str(obj, "iss");
	parse_aud(a, obj, f);
	if ((s = claim_str(obj, "jti")) != NULL && is_uuid(s))
		f->jti = s;
	if ((s = claim_str(obj, "sub")) != NULL && str_utf8_valid(s,
	    strlen(s)))
		f->sub = s;
	return 0;
}

/* The checks of every call, in this order, on what the claims say. */
static int
claims_check(struct arena *a, const struct token_facts *f,
    const char *issuer, const char *audience, int64_t skew, int64_t now,
    struct token_claims *out, struct err *e)
{
	memset(out, 0, sizeof(*out));
	/* now >= exp + skew, without overflow for a huge exp. */
	if (f->exp <= now - skew)
		return err_set(e, ERR_UNAUTHENTICATED, "token expired");
	if (f->has_nbf && f->nbf > now + skew)
		return err_set(e, ERR_UNAUTHENTICATED, "token not yet valid");
	if (f->has_iat && f->iat > now + skew)
		return err_set(e, ERR_UNAUTHENTICATED,
		    "token issued in the future");
	if (f->iss == NULL || strcmp(f->iss, issuer) != 0)
		return err_set(e, ERR_UNAUTHENTICATED, "token issuer not accepted");
	if (!aud_has(f, audience))
		return err_set(e, ERR_UNAUTHENTICATED,
		    "token not valid for this API");
	if (f->jti == NULL)
		return err_set(e, ERR_UNAUTHENTICATED,
		    "token has no valid jti claim");
	out->jti = arena_strdup(a, f->jti);
	if (f->sub != NULL)
		out->sub = arena_strdup(a, f->sub);
	out->exp = f->exp;
	out->iat = f->has_iat ? f->iat : 0;
	return 0;
}

int
token_check_claims(struct arena *a, const char *json, size_t len,
    const char *issuer, const char *audience, int64_t skew, int64_t now,
    struct token_claims *out, struct err *e)
{
	struct token_facts	 f;

	memset(out, 0, sizeof(*out));
	if (claims_parse(a, json, len, &f, e) == -1)
		return -1;
	return claims_check(a, &f, issuer, audience, skew, now, out, e);
}

/* An RS256 or ES256 signature (DER for ES256) of the n bytes at msg. */
static bool
pkey_verify(EVP_PKEY *k, enum conf_alg alg, const unsigned char *sig,
    size_t slen, const char *msg, size_t n)
{
	EVP_MD_CTX	*ctx;
	EVP_PKEY_CTX	*pctx;
	bool		 ok;

	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return false;
	ok = EVP_DigestVerifyInit(ctx, &pctx, EVP_sha256(), NULL, k) == 1 &&
	    (alg != CONF_ALG_RS256 ||
	    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1) &&
	    EVP_DigestVerify(ctx, sig, slen, (const unsigned char *)msg,
	    n) == 1;
	EVP_MD_CTX_free(ctx);
	ERR_clear_error();
	return ok;
}

/* JWS's ES256 r||s (RFC 7518 3.4) as the DER OpenSSL verifies; length. */
static size_t
es256_der(const unsigned char raw[64], unsigned char der[ES256_DER_MAX])
{
	ECDSA_SIG	*s;
	BIGNUM		*r, *sv;
	unsigned char	*p = der;
	int		 n = 0;

	s = ECDSA_SIG_new();
	r = BN_bin2bn(raw, 32, NULL);
	sv = BN_bin2bn(raw + 32, 32, NULL);
	if (s == NULL || r == NULL || sv == NULL || ECDSA_SIG_set0(s, r,
	    sv) != 1) {
		BN_free(r);
		BN_free(sv);
	} else if ((n = i2d_ECDSA_SIG(s, NULL)) <= 0 || n > ES256_DER_MAX)
		n = 0;
	else
		n = i2d_ECDSA_SIG(s, &p);
	ECDSA_SIG_free(s);
	return n > 0 ? (size_t)n : 0;
}

/* Is the n-byte signing input msg signed with v (signature sig)? */
static bool
signed_with(const struct vkey *v, enum conf_alg alg, const char *msg,
    size_t n, const unsigned char *sig, size_t slen)
{
	unsigned char	 mac[CRYPTO_SHA256_LEN], der[ES256_DER_MAX];
	size_t		 dlen;
	bool		 ok;

	if (v->srclen == 0 || slen != v->sig_len)
		return false;
	switch (alg) {
	case CONF_ALG_HS256:
		crypto_hmac(&v->mac, msg, n, mac);
		ok = crypto_equal(mac, sig, sizeof(mac));
		crypto_wipe(mac, sizeof(mac));
		return ok;
	case CONF_ALG_ES256:
		return (dlen = es256_der(sig, der)) > 0 &&
		    pkey_verify(v->pkey, alg, der, dlen, msg, n);
	default:
		return pkey_verify(v->pkey, alg, sig, slen, msg, n);
	}
}

/* The signature of tok, checked with c's keys (ready or loaded now). */
static int
verify_sig(const struct conf *c, struct arena *a, const char *tok,
    const char *d2, bool ready, struct err *e)
{
	const struct vkeys	*k = &slots[c->auth_alg];
	const struct conf_blob	*key, *prev;
	unsigned char		*sig;
	size_t			 slen;

	if (!ready && keys_load(c, e) == -1)
		return err_set(e, ERR_INTERNAL, "token keys not usable");
	if (ready)
		metrics_cache(MC_AUTH_KEY, true);
	if ((sig = decode_part(a, d2 + 1, strlen(d2 + 1), &slen)) == NULL)
		return err_set(e, ERR_UNAUTHENTICATED, "invalid token");
	conf_keys(c, &key, &prev);
	if (key->data == NULL || key->len == 0)
		return err_set(e, ERR_INTERNAL, "no verification key");
	/* The previous key verifies tokens issued before a key rotation. */
	if (!signed_with(&k->cur, c->auth_alg, tok, (size_t)(d2 - tok), sig,
	    slen) && !signed_with(&k->prev, c->auth_alg, tok,
	    (size_t)(d2 - tok), sig, slen))
		return err_set(e, ERR_UNAUTHENTICATED, "invalid token");
	return 0;
}

int
token_verify(const struct conf *c, struct arena *a, const char *tok,
    const char *audience, int64_t now, struct token_claims *out,
    struct err *e)
{
	const struct token_facts *kept;
	struct token_facts	 f;
	const char		*d1, *d2;
	unsigned char		*hdr, *payload;
	size_t			 hlen, plen, len = strlen(tok);
	bool			 ready = keys_ready(c);

	/* Kept only if verified with these keys: what a miss would say. */
	if (ready && (kept = tokcache_get(tok, len, c->auth_alg)) != NULL)
		return claims_check(a, kept, c->auth_issuer, audience,
		    c->auth_clock_skew, now, out, e);
	memset(out, 0, sizeof(*out));
	if ((d1 = strchr(tok, '.')) == NULL || (d2 = strchr(d1 + 1, '.')) ==
	    NULL)
		return err_set(e, ERR_UNAUTHENTICATED, "malformed bearer token");
	if ((hdr = decode_part(a, tok, (size_t)(d1 - tok), &hlen)) == NULL ||
	    check_header(a, hdr, hlen, c->auth_alg) == -1)
		return err_set(e, ERR_UNAUTHENTICATED, "invalid token");
	if (verify_sig(c, a, tok, d2, ready, e) == -1)
		return -1;
	if ((payload = decode_part(a, d1 + 1, (size_t)(d2 - d1 - 1),
	    &plen)) == NULL)
		return err_set(e, ERR_UNAUTHENTICATED, "invalid token");
	if (claims_parse(a, (const char *)payload, plen, &f, e) == -1 ||
	    claims_check(a, &f, c->auth_issuer, audience, c->auth_clock_skew,
	    now, out, e) == -1)
		return -1;
	tokcache_put(tok, len, c->auth_alg, &f);
	return 0;
}

char *
token_issue(const struct conf *c, const char *audience, const char *sub,
    const char *jti, int64_t iat, int64_t exp, struct err *e)
{
	const struct conf_blob	*key;
	jwt_t			*jwt = NULL;
	char			*s = NULL;

	key = c->auth_alg == CONF_ALG_HS256 ? &c->auth_secret :
	    &c->auth_private_key;
	if (key->data == NULL) {
		err_set(e, ERR_UNSUPPORTED, "this server verifies %s tokens but "
		    "cannot issue them: set auth.private_key_file",
		    conf_alg_name(c->auth_alg));
		return NULL;
	}
	if (jwt_new(&jwt) != 0 ||
	    jwt_add_grant(jwt, "iss", c->auth_issuer) != 0 ||
	    jwt_add_grant(jwt, "sub", sub) != 0 ||
	    jwt_add_grant(jwt, "aud", audience) != 0 ||
	    jwt_add_grant(jwt, "jti", jti) != 0 ||
	    jwt_add_grant_int(jwt, "iat", (long)iat) != 0 ||
	    jwt_add_grant_int(jwt, "nbf", (long)iat) != 0 ||
	    jwt_add_grant_int(jwt, "exp", (long)exp) != 0 ||
	    jwt_set_alg(jwt, lib_alg(c->auth_alg), key->data,
	    (int)key->len) != 0 ||
	    (s = jwt_encode_str(jwt)) == NULL)
		err_set(e, ERR_INTERNAL, "cannot sign token");
	if (jwt != NULL)
		jwt_free(jwt);
	return s;
}
