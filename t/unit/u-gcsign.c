/*
 * u-gcsign.c: unit tests for src/gcsign.c, the GCS V4 signer and the
 * service account's JWT-bearer assertion, against published vectors:
 *  - googleapis/conformance-tests v4_signatures.json: all signingV4Tests
 *    (canonical request, string to sign, URL) with the dummy key;
 *  - gsutil signurl output (gcs-generated, lower-case x-goog-* names);
 *  - google-auth's JWT-bearer assertion (gcs-generated), byte for byte
 *    for the unpadded form, claim by claim for google-auth's padded one;
 * then URLs for awkward object names checked with an independent
 * verifier, an HMAC known answer, and bad keys and bad requests, which
 * must be errors, not crashes.
 * Vectors are read from $DS_SHARED_DIR/signing-vectors (default
 * $DS_SRC_DIR/../shared); without them those checks are skipped.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "arena.h"
#include "err.h"
#include "gcsign.h"
#include "strutil.h"
#include "tap.h"
#include "vectors.h"

static const char	*vdir;

#define MAXP		32
#define CONF_KEY	"googleapis-conformance-tests/" \
			"test_service_account.not-a-test.json"
#define SCOPE_RO	"https://www.googleapis.com/auth/devstorage.read_only"
#define T20240102	1704164645	/* 2024-01-02T03:04:05Z */


static struct json_object *
read_json(struct arena *a, const char *rel)
{
	const char	*s = vectors_slurp(a, arena_printf(a, "%s/%s", vdir, rel));

	return s != NULL ? json_tokener_parse(s) : NULL;
}

static int64_t
jint(struct json_object *o, const char *k)
{
	return json_object_get_int64(json_object_object_get(o, k));
}

/* The conformance key, or -1 (and k zeroed) when the vectors are absent. */
static int
conf_key(struct arena *a, struct gcsign_key *k)
{
	struct err	 e;
	const char	*s = vectors_slurp(a, arena_printf(a, "%s/" CONF_KEY, vdir));

	memset(k, 0, sizeof(*k));
	if (s == NULL)
		return -1;
	if (gcsign_key_load(k, s, strlen(s), &e) == -1) {
		diag("%s", e.msg);
		return -1;
	}
	return 0;
}

/* A JSON object's members as parameters. */
static size_t
params(struct json_object *o, struct gcsign_param *p)
{
	size_t	 n = 0;

	if (o == NULL)
		return 0;
	json_object_object_foreach(o, k, v) {
		if (n == MAXP)
			break;
		p[n].name = k;
		p[n++].value = json_object_get_string(v);
	}
	return n;
}

/* Same URL up to the order of its query parameters. */
/* --- googleapis conformance vectors -------------------------------------- */

/*
 * Where a conformance case sends its URL, by the client libraries'
 * precedence: bucket-bound hostname, hostname, client endpoint (scheme
 * optional), emulator, universe domain, then the default.
 */
static const char *
conf_endpoint(struct arena *a, struct json_object *t,
    enum gcsign_style *style)
{
	const char	*scheme = vectors_str(t, "scheme"), *st = vectors_str(t, "urlStyle");
	const char	*v;

	if (scheme == NULL)
		scheme = "https";
	*style = GCSIGN_PATH;
	if (st != NULL && strcmp(st, "BUCKET_BOUND_HOSTNAME") == 0) {
		*style = GCSIGN_BOUND;
		return arena_printf(a, "%s://%s", scheme,
		    vectors_str(t, "bucketBoundHostname"));
	}
	if (st != NULL && strcmp(st, "VIRTUAL_HOSTED_STYLE") == 0)
		*style = GCSIGN_VIRTUAL;
	if ((v = vectors_str(t, "hostname")) != NULL)
		return arena_printf(a, "%s://%s", scheme, v);
	if ((v = vectors_str(t, "clientEndpoint")) != NULL)
		return strstr(v, "://") ? v : arena_printf(a, "%s://%s",
		    scheme, v);
	if ((v = vectors_str(t, "emulatorHostname")) != NULL)
		return v;
	if ((v = vectors_str(t, "universeDomain")) != NULL)
		return arena_printf(a, "%s://storage.%s", scheme, v);
	return arena_printf(a, "%s://storage.googleapis.com", scheme);
}

/*
 * Upstream erratum (MANIFEST.md): for "Universe domain with virtual
 * hosted style", expectedCanonicalRequest keeps the path-style path
 * /test-bucket/test-object, while its expectedStringToSign and the
 * signature in expectedUrl were made from /test-object, the right path
 * for a virtual-hosted URL.  We compare with the path corrected; the
 * string to sign (which hashes the canonical request) and the URL are
 * compared unchanged, so our canonical request is still pinned.
 */
static const char *
conf_canonical(struct arena *a, struct json_object *t)
{
	const char	*want = vectors_str(t, "expectedCanonicalRequest"), *p;
	const char	*bad = "\n/test-bucket/test-object\n";

	if (strcmp(vectors_str(t, "description"), "Universe domain with virtual "
	    "hosted style") != 0 || (p = strstr(want, bad)) == NULL)
		return want;
	return arena_printf(a, "%.*s\n/test-object\n%s", (int)(p - want), want,
	    p + strlen(bad));
}

static void
conf_case(struct arena *a, struct gcsign_key *k, struct json_object *t)
{
	struct gcsign_param h[MAXP], q[MAXP];
	struct gcsign_signed s;
	struct gcsign_req r;
	struct err	 e;
	const char	*name = vectors_str(t, "description"), *want;
	int64_t		 ms = 0;
	int		 rc;

	memset(&r, 0, sizeof(r));
	r.method = vectors_str(t, "method");
	r.endpoint = conf_endpoint(a, t, &r.style);
	r.bucket = vectors_str(t, "bucket");
	r.object = vectors_str(t, "object");
	str_parse_iso8601(vectors_str(t, "timestamp"), &ms);
	r.now = ms / 1000;
	r.expires = jint(t, "expiration");
	r.headers = h;
	r.nheaders = params(json_object_object_get(t, "headers"), h);
	r.query = q;
	r.nquery = params(json_object_object_get(t, "queryParameters"), q);
	rc = gcsign_url(k, &r, a, &s, &e);
	want = conf_canonical(a, t);
	if (!ok(rc == 0 && strcmp(s.canonical, want) == 0,
	    "conformance %s: canonical request", name))
		diag("got:\n%s\nwant:\n%s", rc == 0 ? s.canonical : e.msg,
		    want);
	want = vectors_str(t, "expectedStringToSign");
	if (!ok(rc == 0 && strcmp(s.to_sign, want) == 0,
	    "conformance %s: string to sign", name))
		diag("got:\n%s\nwant:\n%s", rc == 0 ? s.to_sign : e.msg, want);
	want = vectors_str(t, "expectedUrl");
	if (!ok(rc == 0 && strcmp(s.url, want) == 0, "conformance %s: URL",
	    name))
		diag("got:  %s\nwant: %s", rc == 0 ? s.url : e.msg, want);
}

static void
test_conformance(void)
{
	struct arena	*a = arena_new();
	struct json_object *d, *arr;
	struct gcsign_key k;
	size_t		 i, n;

	d = read_json(a, "googleapis-conformance-tests/v4_signatures.json");
	if (d == NULL || conf_key(a, &k) == -1) {
		skip(1, "no googleapis conformance vectors in %s", vdir);
		goto out;
	}
	json_object_object_get_ex(d, "signingV4Tests", &arr);
	n = json_object_array_length(arr);
	is_int(n, 29, "29 signingV4Tests");
	for (i = 0; i < n; i++)
		conf_case(a, &k, json_object_array_get_idx(arr, i));
	gcsign_key_free(&k);
out:
	json_object_put(d);
	arena_free(a);
}

/* --- gsutil signurl ------------------------------------------------------ */

static void
test_gsutil(void)
{
	struct arena	*a = arena_new();
	struct json_object *d, *arr, *x;
	struct gcsign_signed s;
	struct gcsign_key k;
	struct gcsign_req r;
	struct err	 e;
	size_t		 i;
	int		 rc;

	d = read_json(a, "gcs-generated/gsutil-signurl-vectors.json");
	if (d == NULL || conf_key(a, &k) == -1) {
		skip(1, "no gsutil vectors in %s", vdir);
		goto out;
	}
	json_object_object_get_ex(d, "vectors", &arr);
	for (i = 0; i < json_object_array_length(arr); i++) {
		x = json_object_array_get_idx(arr, i);
		memset(&r, 0, sizeof(r));
		r.method = vectors_str(d, "method");
		r.endpoint = "https://storage.googleapis.com";
		r.bucket = vectors_str(d, "bucket");
		r.object = vectors_str(x, "object");
		r.region = vectors_str(d, "region");
		r.now = T20240102;
		r.expires = jint(d, "expires");
		r.flags = GCSIGN_LOWER;
		rc = gcsign_url(&k, &r, a, &s, &e);
		if (!ok(rc == 0 && strcmp(s.canonical, vectors_str(x,
		    "canonical_request")) == 0 && strcmp(s.to_sign, vectors_str(x,
		    "string_to_sign")) == 0, "gsutil %s: canonical request, "
		    "string to sign", r.object))
			diag("got:\n%s", rc == 0 ? s.canonical : e.msg);
		ok(rc == 0 && strcmp(s.signature, vectors_str(x, "signature")) == 0,
		    "gsutil %s: signature", r.object);
		/* gsutil puts x-goog-signature first; we put it last. */
		if (!ok(rc == 0 && vectors_same_url(s.url, vectors_str(x, "url")),
		    "gsutil %s: URL, up to parameter order", r.object))
			diag("got:  %s\nwant: %s", rc == 0 ? s.url : e.msg,
			    vectors_str(x, "url"));
	}
	gcsign_key_free(&k);
out:
	json_object_put(d);
	arena_free(a);
}

/* --- the JWT-bearer assertion -------------------------------------------- */

/* The public half of k, as a verifier would hold it. */
static EVP_PKEY *
public_half(const struct gcsign_key *k)
{
	unsigned char	*der = NULL;
	const unsigned char *p;
	EVP_PKEY	*pub;
	int		 n;

	if ((n = i2d_PUBKEY(k->pkey, &der)) <= 0)
		return NULL;
	p = der;
	pub = d2i_PUBKEY(NULL, &p, n);
	OPENSSL_free(der);
	return pub;
}

/* RS256 over the first two segments of a compact token. */
static bool
jwt_verifies(EVP_PKEY *pub, const char *tok)
{
	const char	*dot = strrchr(tok, '.');
	unsigned char	 sig[1024];
	EVP_MD_CTX	*ctx;
	long		 n;
	bool		 good;

	if (dot == NULL || strlen(dot + 1) > 1300 ||
	    (n = str_b64url_decode(dot + 1, strlen(dot + 1), sig)) < 0)
		return false;
	ctx = EVP_MD_CTX_new();
	good = EVP_DigestVerifyInit(ctx, NULL, EVP_sha256(), NULL, pub) == 1 &&
	    EVP_DigestVerify(ctx, sig, (size_t)n, (const unsigned char *)tok,
	    (size_t)(dot - tok)) == 1;
	EVP_MD_CTX_free(ctx);
	return good;
}

/* Segment i (0 header, 1 claims) of a compact token, decoded as JSON. */
static struct json_object *
jwt_part(struct arena *a, const char *tok, int i)
{
	const char	*p = tok, *end;
	unsigned char	*out;
	long		 n;

	for (; i > 0 && p != NULL; i--)
		if ((p = strchr(p, '.')) != NULL)
			p++;
	if (p == NULL || (end = strchr(p, '.')) == NULL)
		return NULL;
	out = arena_alloc(a, 3 * ((size_t)(end - p) / 4) + 4);
	if ((n = str_b64url_decode(p, (size_t)(end - p), out)) < 0)
		return NULL;
	out[n] = '\0';
	return json_tokener_parse((char *)out);
}

/* Same members with the same values, in any order. */
static bool
same_json(struct json_object *x, struct json_object *y)
{
	return x != NULL && y != NULL && json_object_equal(x, y) == 1;
}

static void
jwt_compare(struct arena *a, struct json_object *d, const char *tok)
{
	struct json_object *c, *g, *want, *got;

	json_object_object_get_ex(d, "compact", &c);
	json_object_object_get_ex(d, "google_auth_1_5_1", &g);
	want = json_tokener_parse(vectors_str(c, "header_json"));
	got = jwt_part(a, tok, 0);
	ok(same_json(got, want), "jwt: header {alg, typ, kid}");
	json_object_put(want);
	json_object_put(got);
	/* The claims against the vector's and google-auth's own token. */
	got = jwt_part(a, tok, 1);
	ok(same_json(got, json_object_object_get(d, "claims")),
	    "jwt: claims iat, exp, iss, aud, scope");
	want = jwt_part(a, vectors_str(g, "assertion"), 1);
	ok(same_json(got, want), "jwt: same claims as google-auth's padded "
	    "token");
	json_object_put(want);
	json_object_put(got);
	/* RS256 is deterministic: same signed bytes, same signature. */
	if (ok(strncmp(tok, vectors_str(c, "signing_input"),
	    strlen(vectors_str(c, "signing_input"))) == 0,
	    "jwt: signing input byte for byte"))
		is_str(tok, vectors_str(c, "assertion"), "jwt: whole assertion");
	else
		skip(1, "signed bytes differ, signatures cannot match");
}

static void
test_jwt(void)
{
	struct arena	*a = arena_new();
	struct json_object *d;
	struct gcsign_key k;
	struct err	 e;
	const char	*tok = NULL, *body;
	EVP_PKEY	*pub = NULL;

	d = read_json(a, "gcs-generated/jwt-bearer-assertion.json");
	if (d == NULL || conf_key(a, &k) == -1) {
		skip(1, "no JWT vector in %s", vdir);
		goto out;
	}
	if (!ok(gcsign_jwt(&k, SCOPE_RO, T20240102, a, &tok, &e) == 0,
	    "jwt: made"))
		diag("%s", e.msg);
	else {
		ok(strchr(tok, '=') == NULL && strspn(tok, "ABCDEFGHIJKLMNOPQ"
		    "RSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.") ==
		    strlen(tok), "jwt: unpadded base64url segments");
		pub = public_half(&k);
		ok(pub != NULL && jwt_verifies(pub, tok),
		    "jwt: our signature verifies with the public key");
		ok(pub != NULL && jwt_verifies(pub, vectors_str(json_object_object_get(
		    d, "google_auth_1_5_1"), "assertion")),
		    "jwt: google-auth's verifies over its padded segments");
		jwt_compare(a, d, tok);
		body = gcsign_token_body(a, tok);
		is_str(body, arena_printf(a, "grant_type=urn%%3Aietf%%3Aparams"
		    "%%3Aoauth%%3Agrant-type%%3Ajwt-bearer&assertion=%s", tok),
		    "jwt: token request body");
	}
	EVP_PKEY_free(pub);
	gcsign_key_free(&k);
out:
	json_object_put(d);
	arena_free(a);
}

/* --- awkward object names, checked by an independent verifier ------------ */

/*
 * These URLs were made by gcsign and then checked with
 *	/usr/bin/python3 ../shared/signing-vectors/scripts/gcs_v4_check.py \
 *	    verify -v --now 2024-01-02T03:05:00Z URL...
 * which rebuilds the canonical request from the URL as sent and checks
 * the RSA signature with the conformance key's public half (Debian
 * python3-google-auth 1.5.1, python3-cryptography 38): VALID for all
 * three, the second noted "host header was signed WITHOUT the port",
 * the third verified with host:127.0.0.1:4443.  The same URL with one
 * path byte changed gave INVALID.
 */
#define AWK_CRED	"test-iam-credentials%40dummy-project-id.iam." \
			"gserviceaccount.com%2F20240102%2Fauto%2Fstorage%2F" \
			"goog4_request"
#define AWK_QUERY	"X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=" \
			AWK_CRED "&X-Goog-Date=20240102T030405Z&" \
			"X-Goog-Expires=900&X-Goog-SignedHeaders=host&" \
			"X-Goog-Signature="
#define AWK_QUERY_LC	"x-goog-algorithm=GOOG4-RSA-SHA256&x-goog-credential=" \
			AWK_CRED "&x-goog-date=20240102T030405Z&" \
			"x-goog-expires=900&x-goog-signedheaders=host&" \
			"x-goog-signature="

static const struct {
	const char	*name;
	const char	*endpoint;
	const char	*object;
	unsigned int	 flags;
	const char	*url;
} awkward[] = {
	{ "space % + = \xc3\xbc //", "https://storage.googleapis.com",
	  "tbl/p=a b%2F+c=d/part 0 \xc3\xbc//x.parquet", 0,
	  "https://storage.googleapis.com/delta-bkt/tbl/p%3Da%20b%252F%2Bc%3D"
	  "d/part%200%20%C3%BC//x.parquet?" AWK_QUERY
	  "3fc05fda4408d6125157a3723f054670ba80a5a98b4fb66489a7329c66b85dfa"
	  "7db3849d69061c58af83c13ef6d70f40811d7c06d45c7bf1171c0314af4a0b90"
	  "2606880624860ee0fd757ee5d31ffb429a7d5ce46faeb39a6555333897e7785b"
	  "fd73f3af3f41f647ed069dff18485b66657039307eaa81079afbf40b6a08025b"
	  "8f98394789ac9bf1dd24f20509f3d45a2d44f5c5669f3e3ef6742cd85a5605ce"
	  "64f6d22599e4f5c698088df3505d83df64f84e60de15e694cc973efc02cab211"
	  "c8abbb65da52885f65211a6e3dced5bf901d8bb011ea5b2cb3317df2e427d0da"
	  "16c3e1c04098c6d213a26f0a859134fb1b7e112fb6947e1e366da798bd8090bf" },
	{ "emulator, host signed without port", "http://127.0.0.1:4443",
	  "tbl/%25 +=\xc3\xbc/a//b.parquet", 0,
	  "http://127.0.0.1:4443/delta-bkt/tbl/%2525%20%2B%3D%C3%BC/a//"
	  "b.parquet?" AWK_QUERY
	  "a43d7ba52f9dc1dfdda4e99c1faf7f60c6d6a1e9a312ff2d48a246876da7a4e6"
	  "b3d4109375b81144d9b47625957f658d307b3b76b446942d862ad988d06470ae"
	  "c05a82eee522f6cda9a8dfa6a96b389eb049c2de3ff10a2eec83ef4f50d20b15"
	  "e7283b7b6ee0aa16433a09b07bf43bbd9063c600bd62093e6f05988cf303c945"
	  "548637341aeb5bfb383ec6b148a947dc2e108bca100f10accf9a117fd5ba289b"
	  "d168d2431ed0a7c7b97e305c4ab208347f5d3cf748404f1c51be2aea24598c68"
	  "3081a5fbbdbd8a355442cdb386cbdbad06a1a9131cdaee00f1dc1d4c0be300e3"
	  "cbf2e74217befbfee7e662f91625f943a8fbc7e07340bac3dab952571a54480a" },
	{ "emulator, host:port signed, lower case", "http://127.0.0.1:4443",
	  "tbl/\xc3\xbc %/x+y=z//.parquet", GCSIGN_SIGN_PORT | GCSIGN_LOWER,
	  "http://127.0.0.1:4443/delta-bkt/tbl/%C3%BC%20%25/x%2By%3Dz//"
	  ".parquet?" AWK_QUERY_LC
	  "004802ec8500bd5202d6f1fe62b33653537645d7f5b580969a5deec5ce0d715d"
	  "07e84928bd38dff07efa23ada8c98dbcd2c7d57c5a5625236a5e49c1c06ae7d4"
	  "6ed2dd31153aaec46740c9a7a3b8351269568d4c7f7652404839023c7354a9f0"
	  "ca1c149ed47ed8587b852a8510e03715ee09d9fadebba6ab1e3efc084581e4d6"
	  "e7334b2d9554a05ebef9bd3750fda72ac3d4a22da8ff13c291674cd40173da86"
	  "51ae5ad4038fcc7199b180aeb262a5863cd368cb94b911dd5a29500ef42b13db"
	  "2499150055424c4321e624e4e6b54c1046d5e54d363553fadd681b4b9d35a3e3"
	  "33eef75355bf83ea51feddf87902b18ca979c498469a62351c09d544192f7c29" },
};

static void
test_awkward(void)
{
	struct arena	*a = arena_new();
	struct gcsign_signed s;
	struct gcsign_key k;
	struct gcsign_req r;
	struct err	 e;
	size_t		 i;
	int		 rc;

	if (conf_key(a, &k) == -1) {
		skip(1, "no conformance key in %s", vdir);
		goto out;
	}
	for (i = 0; i < sizeof(awkward) / sizeof(awkward[0]); i++) {
		memset(&r, 0, sizeof(r));
		r.endpoint = awkward[i].endpoint;
		r.bucket = "delta-bkt";
		r.object = awkward[i].object;
		r.now = T20240102;
		r.expires = 900;
		r.flags = awkward[i].flags;
		rc = gcsign_url(&k, &r, a, &s, &e);
		is_str(rc == 0 ? s.url : e.msg, awkward[i].url,
		    "awkward: %s", awkward[i].name);
	}
	gcsign_key_free(&k);
out:
	arena_free(a);
}

/* --- HMAC keys ----------------------------------------------------------- */

/*
 * GOOG4-HMAC-SHA256 has no published vectors.  The signature below was
 * computed apart from gcsign, with openssl(1) alone, from the string to
 * sign checked here (its canonical request is built by the code the RSA
 * vectors pin down):
 *	k=$(printf %s 20240102 | openssl dgst -sha256 -mac HMAC \
 *	    -macopt "key:GOOG4<secret>" | cut -d' ' -f2)
 *	then -macopt hexkey:$k over "us-central1", "storage",
 *	"goog4_request" and finally the string to sign.
 */
#define HMAC_ID		"GOOG1EXAMPLEHMACACCESSID0000000000000000000000000"
#define HMAC_SECRET	"bGoa+V7g/yqDXvKRqq+JTFn4uQZbPiQJo4pf9RzJ"
#define HMAC_STS	"GOOG4-HMAC-SHA256\n20240102T030405Z\n" \
			"20240102/us-central1/storage/goog4_request\n" \
			HMAC_HASH
#define HMAC_HASH	"b42c70bfa7e65d4551de8bb5992f4587" \
			"916f9078ef23dcfcf6ed75cb2dddc57b"
#define HMAC_SIG	"79ca1a952b8bd352976af73df2e20152" \
			"f369d5152d87504e47a7a1e9a91daead"
#define HMAC_URL	"https://storage.googleapis.com/delta-bkt/tbl/" \
			"part%200%20%C3%BC%2B.parquet?X-Goog-Algorithm=" \
			"GOOG4-HMAC-SHA256&X-Goog-Credential=" HMAC_ID \
			"%2F20240102%2Fus-central1%2Fstorage%2Fgoog4_request" \
			"&X-Goog-Date=20240102T030405Z&X-Goog-Expires=900&" \
			"X-Goog-SignedHeaders=host&X-Goog-Signature=" HMAC_SIG

static void
test_hmac(void)
{
	struct arena	*a = arena_new();
	struct gcsign_signed s, s2;
	struct gcsign_key k;
	struct gcsign_req r;
	struct err	 e;

	memset(&r, 0, sizeof(r));
	r.endpoint = "https://storage.googleapis.com";
	r.bucket = "delta-bkt";
	r.object = "tbl/part 0 \xc3\xbc+.parquet";
	r.region = "us-central1";
	r.now = T20240102;
	r.expires = 900;
	if (!ok(gcsign_key_hmac(&k, HMAC_ID, HMAC_SECRET, &e) == 0,
	    "hmac: key"))
		goto out;
	if (!ok(gcsign_url(&k, &r, a, &s, &e) == 0, "hmac: signed")) {
		diag("%s", e.msg);
		goto out;
	}
	is_str(s.to_sign, HMAC_STS, "hmac: string to sign");
	is_str(s.signature, HMAC_SIG, "hmac: signature (openssl chain)");
	is_str(s.url, HMAC_URL, "hmac: URL");
	ok(strcmp(k.cache_date, "20240102") == 0 &&
	    strcmp(k.cache_region, "us-central1") == 0,
	    "hmac: signing key cached");
	ok(gcsign_url(&k, &r, a, &s2, &e) == 0 &&
	    strcmp(s.signature, s2.signature) == 0,
	    "hmac: the cached key signs the same");
	r.now += 86400;
	ok(gcsign_url(&k, &r, a, &s2, &e) == 0 &&
	    strcmp(k.cache_date, "20240103") == 0 &&
	    strcmp(s.signature, s2.signature) != 0,
	    "hmac: a new day derives a new key");
	ok(gcsign_jwt(&k, SCOPE_RO, T20240102, a, &s2.url, &e) == -1 &&
	    e.kind == ERR_BAD_PARAM, "hmac: no JWT from an HMAC key");
out:
	gcsign_key_free(&k);
	ok(gcsign_key_hmac(&k, "", HMAC_SECRET, &e) == -1 &&
	    k.kind == GCSIGN_NONE, "hmac: empty access id refused");
	ok(gcsign_key_hmac(&k, HMAC_ID, "a\nb", &e) == -1 &&
	    strstr(e.msg, "a\nb") == NULL, "hmac: secret with a newline "
	    "refused, not shown");
	ok(gcsign_key_hmac(&k, "GOOG1/x", HMAC_SECRET, &e) == -1,
	    "hmac: access id with / refused");
	arena_free(a);
}

/* --- properties ---------------------------------------------------------- */

/* A fresh service account key file for a generated key. */
static char *
key_json(struct arena *a, EVP_PKEY *pk, const EVP_CIPHER *enc)
{
	struct json_object *o = json_object_new_object();
	BIO		*bio = BIO_new(BIO_s_mem());
	char		*pem, *out;
	long		 n;

	PEM_write_bio_PrivateKey(bio, pk, enc, NULL, 0, NULL, (void *)"pw");
	n = BIO_get_mem_data(bio, &pem);
	json_object_object_add(o, "type", json_object_new_string(
	    "service_account"));
	json_object_object_add(o, "private_key_id", json_object_new_string(
	    "0123456789abcdef"));
	json_object_object_add(o, "private_key", json_object_new_string_len(
	    pem, (int)n));
	json_object_object_add(o, "client_email", json_object_new_string(
	    "sa@example-project.iam.gserviceaccount.com"));
	json_object_object_add(o, "token_uri", json_object_new_string(
	    "http://127.0.0.1:8089/token"));
	out = arena_strdup(a, json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	BIO_free(bio);
	return out;
}

/* Key file s with member name removed or set to v (NULL: removed). */
static char *
key_edit(struct arena *a, const char *s, const char *name, const char *v)
{
	struct json_object *o = json_tokener_parse(s);
	char		*out;

	if (v == NULL)
		json_object_object_del(o, name);
	else
		json_object_object_add(o, name, json_object_new_string(v));
	out = arena_strdup(a, json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return out;
}

/* Loading fails with ERR_BAD_PARAM, k stays zeroed, no key in the text. */
static void
load_fails(const char *json, size_t len, const char *why)
{
	struct gcsign_key k;
	struct err	 e;
	int		 rc;

	memset(&e, 0, sizeof(e));
	rc = gcsign_key_load(&k, json, len, &e);
	if (!ok(rc == -1 && e.kind == ERR_BAD_PARAM && k.kind ==
	    GCSIGN_NONE && k.pkey == NULL && strstr(e.msg, "PRIVATE") ==
	    NULL && strstr(e.msg, "MII") == NULL, "bad key: %s", why))
		diag("rc %d: %s", rc, e.msg);
	gcsign_key_free(&k);
}

static void
test_bad_keys(struct arena *a, const char *good)
{
	static const char *const fields[] = {
		"client_email", "private_key", "private_key_id", "token_uri",
	};
	EVP_PKEY	*ec, *small;
	const char	*s;
	char		*cut;
	size_t		 i;

	load_fails(NULL, 0, "NULL");
	load_fails("", 0, "empty");
	load_fails("{", 1, "unfinished JSON");
	load_fails("[]", 2, "an array");
	load_fails("{} x", 4, "trailing garbage");
	cut = arena_strndup(a, good, strlen(good) / 2);
	load_fails(cut, strlen(cut), "cut in half");
	s = arena_printf(a, "%s%*s", good, 70000, "");
	load_fails(s, strlen(s), "over 64 KiB");
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		s = key_edit(a, good, fields[i], NULL);
		load_fails(s, strlen(s), arena_printf(a, "no %s", fields[i]));
	}
	s = key_edit(a, good, "type", "authorized_user");
	load_fails(s, strlen(s), "type authorized_user");
	s = key_edit(a, good, "client_email", "no-at-sign");
	load_fails(s, strlen(s), "client_email without @");
	s = key_edit(a, good, "token_uri", "file:///etc/passwd");
	load_fails(s, strlen(s), "token_uri not http(s)");
	s = key_edit(a, good, "private_key", "-----BEGIN PRIVATE KEY-----\n"
	    "MIIBroken\n-----END PRIVATE KEY-----\n");
	load_fails(s, strlen(s), "broken PEM");
	s = key_edit(a, good, "private_key", "");
	load_fails(s, strlen(s), "empty private_key");

	ec = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	s = key_json(a, ec, NULL);
	load_fails(s, strlen(s), "EC P-256 key");
	small = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)1024);
	s = key_json(a, small, NULL);
	load_fails(s, strlen(s), "RSA-1024 key");
	EVP_PKEY_free(ec);
	EVP_PKEY_free(small);
}

/* gcsign_url must fail on r with ERR_BAD_PARAM. */
static void
url_fails(struct gcsign_key *k, const struct gcsign_req *r,
    struct arena *a, const char *why)
{
	struct gcsign_signed s;
	struct err	 e;
	int		 rc;

	memset(&e, 0, sizeof(e));
	rc = gcsign_url(k, r, a, &s, &e);
	if (!ok(rc == -1 && e.kind == ERR_BAD_PARAM && s.url == NULL,
	    "bad request: %s", why))
		diag("rc %d: %s", rc, rc == 0 ? s.url : e.msg);
}

static void
bad_objects(struct gcsign_key *k, struct gcsign_req r, struct arena *a)
{
	struct gcsign_signed s;
	struct err	 e;
	char		 big[GCSIGN_MAX_OBJECT + 2];

	r.object = "a\0b";
	r.objlen = 3;
	url_fails(k, &r, a, "NUL in the object name");
	r.objlen = 0;
	r.object = "tbl/\xc3(.parquet";
	url_fails(k, &r, a, "invalid UTF-8 object name");
	r.object = "tbl/\xed\xa0\x80.parquet";
	url_fails(k, &r, a, "UTF-16 surrogate in the object name");
	r.object = "tbl/a\nb";
	url_fails(k, &r, a, "LF in the object name");
	r.object = "..";
	url_fails(k, &r, a, "object \"..\"");
	memset(big, 'x', sizeof(big));
	big[GCSIGN_MAX_OBJECT + 1] = '\0';
	r.object = big;
	url_fails(k, &r, a, "object name of 1025 bytes");
	big[GCSIGN_MAX_OBJECT] = '\0';
	ok(gcsign_url(k, &r, a, &s, &e) == 0 && strlen(s.path) == 11 +
	    GCSIGN_MAX_OBJECT, "object name of 1024 bytes");
	r.object = "\xf0\x9f\x98\x88/\x01\x7f";
	ok(gcsign_url(k, &r, a, &s, &e) == 0 && strcmp(s.path,
	    "/delta-bkt/%F0%9F%98%88/%01%7F") == 0,
	    "emoji and control bytes encoded");
}

static void
bad_requests(struct gcsign_key *k, struct gcsign_req r, struct arena *a)
{
	struct gcsign_req t;
	struct gcsign_param p[GCSIGN_MAX_PARAMS + 1];
	size_t		 i;

#define TRY(field, value, why) do {				\
		t = r;						\
		t.field = value;				\
		url_fails(k, &t, a, why);			\
	} while (0)
	TRY(expires, 0, "expires 0");
	TRY(expires, GCSIGN_MAX_EXPIRES + 1, "expires 7 days + 1 s");
	TRY(now, -1, "time before 1970");
	TRY(now, 253402300800LL, "time after 9999");
	TRY(method, "get", "lower-case method");
	TRY(method, "GET /", "method with a space");
	TRY(bucket, "Delta", "upper-case bucket");
	TRY(bucket, "ab", "bucket of 2 characters");
	TRY(bucket, "a/b-c", "bucket with /");
	TRY(bucket, NULL, "no bucket");
	TRY(region, "us/central1", "region with /");
	TRY(endpoint, NULL, "no endpoint");
	TRY(endpoint, "ftp://storage.googleapis.com", "ftp endpoint");
	TRY(endpoint, "https://", "endpoint without host");
	TRY(endpoint, "https://user@evil.example", "endpoint with user");
	TRY(endpoint, "https://h.example/path", "endpoint with a path");
	TRY(endpoint, "https://h.example:0", "port 0");
	TRY(endpoint, "https://h.example:65536", "port 65536");
	TRY(endpoint, "https://h.example:+1", "port +1");
	TRY(endpoint, "https://h.example:443:1", "two ports");
	TRY(endpoint, "http://[::1", "unclosed IPv6 bracket");
	TRY(endpoint, "http://[]:80", "empty IPv6 brackets");
	TRY(endpoint, "http://[::1]x", "junk after IPv6 brackets");
	TRY(endpoint, "http://a]b", "stray bracket");
	TRY(style, (enum gcsign_style)7, "unknown URL style");
	p[0].name = "Host";
	p[0].value = "evil.example";
	t = r;
	t.headers = p;
	t.nheaders = 1;
	url_fails(k, &t, a, "a host header");
	p[0].name = "x-a:b";
	p[0].value = "v";
	url_fails(k, &t, a, "header name with ':'");
	p[0].name = "x-a";
	p[0].value = "v\r\nx-b: w";
	url_fails(k, &t, a, "header value with CRLF");
	p[0].value = "v";
	p[1].name = "X-A";
	p[1].value = "w";
	t.nheaders = 2;
	url_fails(k, &t, a, "header given twice");
	t = r;
	t.query = p;
	t.nquery = 1;
	p[0].name = "x-goog-signature";
	url_fails(k, &t, a, "query parameter x-goog-signature");
	p[0].name = "";
	url_fails(k, &t, a, "empty query parameter name");
	for (i = 0; i <= GCSIGN_MAX_PARAMS; i++) {
		p[i].name = "x";
		p[i].value = "y";
	}
	t.nquery = GCSIGN_MAX_PARAMS + 1;
	url_fails(k, &t, a, "too many query parameters");
#undef TRY
}

static void
test_properties(void)
{
	struct arena	*a = arena_new();
	struct gcsign_signed s;
	struct gcsign_key k, none;
	struct gcsign_req r;
	struct err	 e;
	const char	*good, *tok;
	EVP_PKEY	*pk;

	pk = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	good = key_json(a, pk, NULL);
	if (!ok(gcsign_key_load(&k, good, strlen(good), &e) == 0,
	    "a generated RSA-2048 key loads"))
		bail_out("%s", e.msg);
	ok(strcmp(k.token_uri, "http://127.0.0.1:8089/token") == 0 &&
	    strcmp(k.private_key_id, "0123456789abcdef") == 0,
	    "key fields kept");
	test_bad_keys(a, good);
	good = key_json(a, pk, EVP_aes_128_cbc());
	load_fails(good, strlen(good), "encrypted PEM (never prompts)");

	memset(&r, 0, sizeof(r));
	r.endpoint = "http://127.0.0.1:4443/";
	r.bucket = "delta-bkt";
	r.object = "tbl/a.parquet";
	r.now = T20240102;
	r.expires = GCSIGN_MAX_EXPIRES;
	ok(gcsign_url(&k, &r, a, &s, &e) == 0 && strncmp(s.url,
	    "http://127.0.0.1:4443/delta-bkt/tbl/a.parquet?", 46) == 0 &&
	    strcmp(s.host, "127.0.0.1") == 0 && strstr(s.url,
	    "Expires=604800&") != NULL, "emulator: 7 days, port in the URL, "
	    "not in the signed host");
	r.flags = GCSIGN_SIGN_PORT;
	ok(gcsign_url(&k, &r, a, &s, &e) == 0 &&
	    strcmp(s.host, "127.0.0.1:4443") == 0, "GCSIGN_SIGN_PORT");
	r.endpoint = "https://[::1]:443";
	ok(gcsign_url(&k, &r, a, &s, &e) == 0 && strcmp(s.host, "[::1]") ==
	    0 && strncmp(s.url, "https://[::1]:443/", 18) == 0,
	    "IPv6 endpoint, default port never signed");
	r.flags = 0;
	r.endpoint = "https://storage.googleapis.com";
	r.object = NULL;
	ok(gcsign_url(&k, &r, a, &s, &e) == 0 && strcmp(s.path,
	    "/delta-bkt") == 0, "no object: the bucket");
	r.object = "tbl/a.parquet";
	bad_objects(&k, r, a);
	bad_requests(&k, r, a);

	memset(&none, 0, sizeof(none));
	url_fails(&none, &r, a, "a zeroed key");
	ok(gcsign_jwt(&k, "", T20240102, a, &tok, &e) == -1 && tok == NULL,
	    "jwt: empty scope refused");
	ok(gcsign_jwt(&k, "a\nb", T20240102, a, &tok, &e) == -1,
	    "jwt: scope with a newline refused");
	ok(gcsign_jwt(&k, SCOPE_RO, -5, a, &tok, &e) == -1,
	    "jwt: time before 1970 refused");
	ok(gcsign_jwt(&k, SCOPE_RO " openid", T20240102, a, &tok, &e) == 0 &&
	    strchr(tok, '=') == NULL, "jwt: two scopes");
	gcsign_key_free(&k);
	gcsign_key_free(&k);
	ok(k.kind == GCSIGN_NONE && k.pkey == NULL, "freed twice, safely");
	EVP_PKEY_free(pk);
	arena_free(a);
}

int
main(void)
{

	vdir = vectors_dir();
	test_conformance();
	test_gsutil();
	test_jwt();
	test_awkward();
	test_hmac();
	test_properties();
	return done_testing();
}
