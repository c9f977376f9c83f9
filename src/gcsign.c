/*
 * gcsign.c: Google Cloud Storage V4 signed URLs and the service
 * account's OAuth2 JWT-bearer assertion (see gcsign.h).
 *
 * String to sign: the algorithm, the time (YYYYMMDDTHHMMSSZ), the scope
 * (date/region/storage/goog4_request) and the hex SHA-256 of the
 * canonical request, one per line.  GOOG4-RSA-SHA256 signs it with
 * RSASSA-PKCS1-v1_5 and SHA-256; GOOG4-HMAC-SHA256 with the AWS-style
 * HMAC chain over "GOOG4" + secret.  The signature goes last in the URL,
 * after the canonical query, in hex.
 *
 * Every input is checked before anything is built, so a bad object
 * name or header is an error, never a URL that signs something else.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <json-c/json.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "arena.h"
#include "buf.h"
#include "crypto.h"
#include "err.h"
#include "gcsign.h"
#include "jsonw.h"
#include "strutil.h"
#include "xmalloc.h"

#define ALGO_RSA	"GOOG4-RSA-SHA256"
#define ALGO_HMAC	"GOOG4-HMAC-SHA256"
#define MAX_KEY_JSON	(64 * 1024)
#define MAX_TIME	253402300799LL	/* 9999-12-31T23:59:59Z */
#define MIN_RSA_BITS	2048
#define JWT_GRANT	"urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer"

/* A header or query parameter ready for the canonical request. */
struct canon {
	const char	*name;
	const char	*value;
};

/* The parts of an endpoint URL, in the arena. */
struct endpoint {
	const char	*scheme;	/* "http" or "https" */
	const char	*authority;	/* host[:port] as given */
	const char	*host;		/* as signed */
};

/* The X-Goog-* query parameters we set, in both spellings. */
enum qname {
	Q_ALGORITHM,
	Q_CREDENTIAL,
	Q_DATE,
	Q_EXPIRES,
	Q_SIGNEDHEADERS,
	Q_SIGNATURE,
	Q__MAX
};

static const char *const qnames[Q__MAX][2] = {
	{ "X-Goog-Algorithm", "x-goog-algorithm" },	/* Q_ALGORITHM */
	{ "X-Goog-Credential", "x-goog-credential" },	/* Q_CREDENTIAL */
	{ "X-Goog-Date", "x-goog-date" },		/* Q_DATE */
	{ "X-Goog-Expires", "x-goog-expires" },		/* Q_EXPIRES */
	{ "X-Goog-SignedHeaders",
	  "x-goog-signedheaders" },			/* Q_SIGNEDHEADERS */
	{ "X-Goog-Signature", "x-goog-signature" },	/* Q_SIGNATURE */
};

/* --- keys ---------------------------------------------------------------- */

/* Printable ASCII (and space), at most max bytes, not empty. */
static bool
printable(const char *s, size_t max)
{
	size_t	 n = 0;

	for (; s[n] != '\0'; n++)
		if ((unsigned char)s[n] < 0x20 || (unsigned char)s[n] > 0x7e)
			return false;
	return n > 0 && n <= max;
}

/* A required string field of the key file, NUL-free, at most max bytes. */
static int
key_field(struct json_object *root, const char *name, size_t max,
    bool text, const char **out, struct err *e)
{
	struct json_object *v;
	const char	*s;

	if (!json_object_object_get_ex(root, name, &v) ||
	    !json_object_is_type(v, json_type_string))
		return err_set(e, ERR_BAD_PARAM, "service account key: no "
		    "\"%s\" string", name);
	s = json_object_get_string(v);
	if ((size_t)json_object_get_string_len(v) != strlen(s) ||
	    *s == '\0' || strlen(s) > max || (text && !printable(s, max)))
		return err_set(e, ERR_BAD_PARAM, "service account key: bad "
		    "\"%s\"", name);
	*out = s;
	return 0;
}

/* Encrypted PEM keys are refused, never prompted for. */
static int
no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)u;
	return -1;
}

static EVP_PKEY *
load_pem(const char *pem, struct err *e)
{
	EVP_PKEY	*pk = NULL;
	BIO		*bio;

	if ((bio = BIO_new_mem_buf(pem, (int)strlen(pem))) == NULL)
		abort();
	pk = PEM_read_bio_PrivateKey(bio, NULL, no_passphrase, NULL);
	BIO_free(bio);
	ERR_clear_error();
	if (pk == NULL) {
		err_set(e, ERR_BAD_PARAM, "service account key: "
		    "\"private_key\" is not an unencrypted PEM private key");
		return NULL;
	}
	if (EVP_PKEY_get_base_id(pk) != EVP_PKEY_RSA) {
		err_set(e, ERR_BAD_PARAM, "service account key: "
		    "\"private_key\" is not an RSA key (GCS signs with "
		    "RSA-SHA256)");
		goto bad;
	}
	if (EVP_PKEY_get_bits(pk) < MIN_RSA_BITS) {
		err_set(e, ERR_BAD_PARAM, "service account key: RSA key of "
		    "%d bits, at least %d needed", EVP_PKEY_get_bits(pk),
		    MIN_RSA_BITS);
		goto bad;
	}
	return pk;
bad:
	EVP_PKEY_free(pk);
	return NULL;
}

/* Parse exactly one JSON object from json[0..len). */
static struct json_object *
parse_json(const char *json, size_t len, struct err *e)
{
	struct json_tokener *tok;
	struct json_object *root;
	size_t		 end;

	if (len > MAX_KEY_JSON) {
		err_set(e, ERR_BAD_PARAM, "service account key: over %d bytes",
		    MAX_KEY_JSON);
		return NULL;
	}
	if ((tok = json_tokener_new_ex(8)) == NULL)
		abort();
	root = json_tokener_parse_ex(tok, json, (int)len);
	end = json_tokener_get_parse_end(tok);
	if (root != NULL && json_tokener_get_error(tok) == json_tokener_success)
		while (end < len && json[end] != '\0' &&
		    strchr(" \t\r\n", json[end]) != NULL)
			end++;
	if (root == NULL || end != len ||
	    !json_object_is_type(root, json_type_object)) {
		err_set(e, ERR_BAD_PARAM, "service account key: not one JSON "
		    "object%s%s", root == NULL ? ": " : "", root == NULL ?
		    json_tokener_error_desc(json_tokener_get_error(tok)) : "");
		json_object_put(root);
		root = NULL;
	}
	json_tokener_free(tok);
	return root;
}

int
gcsign_key_load(struct gcsign_key *k, const char *json, size_t len,
    struct err *e)
{
	struct json_object *root, *type;
	const char	*email, *pem = NULL, *kid, *uri;
	EVP_PKEY	*pk;
	int		 rc = -1;

	memset(k, 0, sizeof(*k));
	if (json == NULL)
		return err_set(e, ERR_BAD_PARAM, "service account key: none");
	if ((root = parse_json(json, len, e)) == NULL)
		return -1;
	if (json_object_object_get_ex(root, "type", &type) &&
	    (!json_object_is_type(type, json_type_string) ||
	    strcmp(json_object_get_string(type), "service_account") != 0)) {
		err_set(e, ERR_BAD_PARAM, "service account key: \"type\" is "
		    "not \"service_account\"");
		goto out;
	}
	if (key_field(root, "client_email", 256, true, &email, e) == -1 ||
	    key_field(root, "private_key_id", 128, true, &kid, e) == -1 ||
	    key_field(root, "token_uri", 1024, true, &uri, e) == -1 ||
	    key_field(root, "private_key", 16384, false, &pem, e) == -1)
		goto out;
	if (strchr(email, '@') == NULL || strchr(email, '/') != NULL) {
		err_set(e, ERR_BAD_PARAM, "service account key: bad "
		    "\"client_email\"");
		goto out;
	}
	if (strncmp(uri, "https://", 8) != 0 && strncmp(uri, "http://", 7)
	    != 0) {
		err_set(e, ERR_BAD_PARAM, "service account key: \"token_uri\" "
		    "is not an http(s) URL");
		goto out;
	}
	if ((pk = load_pem(pem, e)) == NULL)
		goto out;
	k->kind = GCSIGN_RSA;
	k->pkey = pk;
	k->client_email = xstrdup(email);
	k->private_key_id = xstrdup(kid);
	k->token_uri = xstrdup(uri);
	rc = 0;
out:
	/* Best effort: json-c's copy of the PEM dies wiped. */
	if (pem != NULL)
		crypto_wipe((char *)pem, strlen(pem));
	json_object_put(root);
	return rc;
}

int
gcsign_key_hmac(struct gcsign_key *k, const char *access_id,
    const char *secret, struct err *e)
{
	memset(k, 0, sizeof(*k));
	if (access_id == NULL || !printable(access_id, 256) ||
	    strchr(access_id, '/') != NULL || strchr(access_id, ' ') != NULL)
		return err_set(e, ERR_BAD_PARAM, "GCS HMAC key: bad access id");
	if (secret == NULL || !printable(secret, 256))
		return err_set(e, ERR_BAD_PARAM, "GCS HMAC key: bad secret");
	k->kind = GCSIGN_HMAC;
	k->access_id = xstrdup(access_id);
	k->secret = xstrdup(secret);
	return 0;
}

void
gcsign_key_free(struct gcsign_key *k)
{
	if (k->secret != NULL)
		crypto_wipe(k->secret, strlen(k->secret));
	free(k->secret);
	free(k->access_id);
	free(k->client_email);
	free(k->private_key_id);
	free(k->token_uri);
	EVP_PKEY_free(k->pkey);
	crypto_wipe(k, sizeof(*k));
}

/* --- checking the request ------------------------------------------------ */

static int
check_method(const char *m, struct err *e)
{
	size_t	 n;

	for (n = 0; m[n] >= 'A' && m[n] <= 'Z'; n++)
		continue;
	if (n == 0 || n > 16 || m[n] != '\0')
		return err_set(e, ERR_BAD_PARAM, "GCS: bad HTTP method");
	return 0;
}

static int64_t
default_port(const char *scheme)
{
	return strcmp(scheme, "https") == 0 ? 443 : 80;
}

/* Where the host of an authority ends; p itself when it is malformed. */
static const char *
host_end(const char *p)
{
	const char	*close;

	if (*p != '[')
		return p + strcspn(p, ":[]");
	if ((close = strchr(p, ']')) == NULL || close == p + 1 ||
	    strspn(p + 1, "0123456789abcdefABCDEF:.") !=
	    (size_t)(close - p - 1))
		return p;
	return close + 1;
}

/*
 * "http[s]://host[:port][/]" into its parts; host is a name, an IPv4
 * address or a bracketed IPv6 address.  No user info, path or query.
 */
static int
parse_endpoint(struct arena *a, const char *ep, unsigned int flags,
    struct endpoint *out, struct err *e)
{
	const char	*p, *hend, *port = NULL;
	int64_t		 pn = 0;
	size_t		 n;

	if (ep != NULL && strncmp(ep, "https://", 8) == 0) {
		out->scheme = "https";
		p = ep + 8;
	} else if (ep != NULL && strncmp(ep, "http://", 7) == 0) {
		out->scheme = "http";
		p = ep + 7;
	} else
		return err_set(e, ERR_BAD_PARAM, "GCS endpoint: not an http "
		    "or https URL");
	n = strlen(p);
	if (n > 0 && p[n - 1] == '/')
		n--;
	if (n == 0 || n > 255 || strspn(p, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_:[]") < n)
		return err_set(e, ERR_BAD_PARAM, "GCS endpoint: bad host");
	out->authority = arena_strndup(a, p, n);
	p = out->authority;
	hend = host_end(p);
	if (hend == p || (*hend != ':' && *hend != '\0'))
		return err_set(e, ERR_BAD_PARAM, "GCS endpoint: bad host");
	if (*hend == ':')
		port = hend + 1;
	if (port != NULL && (strspn(port, "0123456789") != strlen(port) ||
	    str_parse_i64(port, 1, 65535, &pn) == -1))
		return err_set(e, ERR_BAD_PARAM, "GCS endpoint: bad port");
	if (port != NULL && (flags & GCSIGN_SIGN_PORT) &&
	    pn != default_port(out->scheme))
		out->host = out->authority;
	else
		out->host = arena_strndup(a, p, (size_t)(hend - p));
	return 0;
}

/* GCS bucket names: 3 to 222 of [a-z0-9._-], alphanumeric at both ends. */
static int
check_bucket(const char *b, struct err *e)
{
	size_t	 n = b != NULL ? strlen(b) : 0;

	if (n < 3 || n > 222 || strspn(b, "abcdefghijklmnopqrstuvwxyz"
	    "0123456789._-") != n || !strchr("abcdefghijklmnopqrstuvwxyz"
	    "0123456789", b[0]) || !strchr("abcdefghijklmnopqrstuvwxyz"
	    "0123456789", b[n - 1]))
		return err_set(e, ERR_BAD_PARAM, "GCS: bad bucket name");
	return 0;
}

/*
 * An object name: 1 to GCSIGN_MAX_OBJECT bytes of valid UTF-8, no NUL,
 * CR or LF, not "." or "..".  Returns a NUL-terminated copy.
 */
static const char *
check_object(struct arena *a, const char *o, size_t len, struct err *e)
{
	if (len > GCSIGN_MAX_OBJECT) {
		err_set(e, ERR_BAD_PARAM, "GCS: object name of %zu bytes, at "
		    "most %d allowed", len, GCSIGN_MAX_OBJECT);
		return NULL;
	}
	if (memchr(o, '\0', len) != NULL || memchr(o, '\r', len) != NULL ||
	    memchr(o, '\n', len) != NULL || !str_utf8_valid(o, len) ||
	    (len == 1 && o[0] == '.') || (len == 2 && memcmp(o, "..", 2) ==
	    0)) {
		err_set(e, ERR_BAD_PARAM, "GCS: bad object name (NUL, CR, LF, "
		    "invalid UTF-8, \".\" or \"..\")");
		return NULL;
	}
	return arena_strndup(a, o, len);
}

static int
check_region(const char *r, size_t max, struct err *e)
{
	size_t	 n = strlen(r);

	if (n == 0 || n > max ||
	    strspn(r, "abcdefghijklmnopqrstuvwxyz0123456789-") != n)
		return err_set(e, ERR_BAD_PARAM, "GCS: bad region");
	return 0;
}

static int
check_req(const struct gcsign_key *k, const struct gcsign_req *rq,
    struct err *e)
{
	if (k->kind != GCSIGN_RSA && k->kind != GCSIGN_HMAC)
		return err_set(e, ERR_BAD_PARAM, "GCS: no signing key");
	if (check_method(rq->method != NULL ? rq->method : "GET", e) == -1 ||
	    check_region(rq->region != NULL ? rq->region : "auto",
	    sizeof(k->cache_region) - 1, e) == -1)
		return -1;
	if (rq->style != GCSIGN_BOUND && check_bucket(rq->bucket, e) == -1)
		return -1;
	if (rq->now < 0 || rq->now > MAX_TIME)
		return err_set(e, ERR_BAD_PARAM, "GCS: time out of range");
	if (rq->expires < 1 || rq->expires > GCSIGN_MAX_EXPIRES)
		return err_set(e, ERR_BAD_PARAM, "GCS: a signed URL lives 1 "
		    "to %d seconds, not %lld", GCSIGN_MAX_EXPIRES,
		    (long long)rq->expires);
	if (rq->nheaders > GCSIGN_MAX_PARAMS || rq->nquery > GCSIGN_MAX_PARAMS)
		return err_set(e, ERR_BAD_PARAM, "GCS: more than %d headers "
		    "or query parameters", GCSIGN_MAX_PARAMS);
	return 0;
}

/* --- the canonical request ----------------------------------------------- */

static int
cmp_canon(const void *x, const void *y)
{
	const struct canon *a = x, *b = y;
	int		 c;

	if ((c = strcmp(a->name, b->name)) != 0)
		return c;
	return strcmp(a->value, b->value);
}

/*
 * A header value trimmed, runs of spaces and tabs made one space.
 * NULL when it holds a control character other than tab.
 */
static char *
header_value(struct arena *a, const char *v)
{
	char	*out, *o;

	if (v == NULL || strlen(v) > 8192)
		return NULL;
	out = o = arena_alloc(a, strlen(v) + 1);
	for (; *v != '\0'; v++) {
		if (*v == ' ' || *v == '\t') {
			if (o > out && o[-1] != ' ')
				*o++ = ' ';
			continue;
		}
		if ((unsigned char)*v < 0x20 || *v == 0x7f)
			return NULL;
		*o++ = *v;
	}
	if (o > out && o[-1] == ' ')
		o--;
	*o = '\0';
	return out;
}

/* A header name: printable ASCII without space or ':', at most 128. */
static bool
header_name_ok(const char *s)
{
	return s != NULL && printable(s, 128) && strpbrk(s, " :") == NULL;
}

/*
 * The sorted canonical headers (host and the request's) as lines, their
 * names joined by ";", and the payload line: the value of a signed
 * x-goog-content-sha256 header, else UNSIGNED-PAYLOAD.
 */
static int
canon_headers(struct arena *a, const struct gcsign_req *rq,
    const char *host, const char **lines, const char **names,
    const char **payload, struct err *e)
{
	struct canon	*v;
	struct buf	 b, nb;
	size_t		 n = rq->nheaders + 1, i;

	v = arena_calloc(a, n, sizeof(*v));
	v[0].name = "host";
	v[0].value = host;
	*payload = "UNSIGNED-PAYLOAD";
	for (i = 1; i < n; i++) {
		const struct gcsign_param *p = &rq->headers[i - 1];

		if (!header_name_ok(p->name) || strcasecmp(p->name, "host") ==
		    0 || (v[i].value = header_value(a, p->value)) == NULL)
			return err_set(e, ERR_BAD_PARAM, "GCS: bad signed "
			    "header %zu", i);
		v[i].name = str_lower_ascii(arena_strdup(a, p->name));
		if (strcmp(v[i].name, "x-goog-content-sha256") == 0)
			*payload = v[i].value;
	}
	qsort(v, n, sizeof(*v), cmp_canon);
	buf_init(&b, 0);
	buf_init(&nb, 0);
	for (i = 0; i < n; i++) {
		if (i > 0 && strcmp(v[i].name, v[i - 1].name) == 0)
			break;
		buf_addf(&b, "%s:%s\n", v[i].name, v[i].value);
		buf_addf(&nb, "%s%s", i ? ";" : "", v[i].name);
	}
	*lines = arena_strdup(a, buf_str(&b));
	*names = arena_strdup(a, buf_str(&nb));
	buf_release(&b);
	buf_release(&nb);
	if (i < n)
		return err_set(e, ERR_BAD_PARAM, "GCS: signed header given "
		    "twice");
	return 0;
}

/* Is name one of the X-Goog-* parameters signing sets? */
static bool
reserved_param(const char *name)
{
	size_t	 i;

	for (i = 0; i < Q__MAX; i++)
		if (strcasecmp(name, qnames[i][0]) == 0)
			return true;
	return false;
}

/*
 * The sorted, encoded canonical query: the request's parameters and
 * ours (x[0..nx), already encoded).
 */
static int
canon_query(struct arena *a, const struct gcsign_req *rq,
    const struct canon *x, size_t nx, const char **out, struct err *e)
{
	struct canon	*v;
	struct buf	 b;
	size_t		 n = rq->nquery + nx, i;

	v = arena_calloc(a, n, sizeof(*v));
	for (i = 0; i < rq->nquery; i++) {
		const struct gcsign_param *p = &rq->query[i];

		if (p->name == NULL || *p->name == '\0' || strlen(p->name) >
		    256 || reserved_param(p->name))
			return err_set(e, ERR_BAD_PARAM, "GCS: bad query "
			    "parameter %zu", i + 1);
		v[i].name = str_pct_encode(a, p->name, "");
		v[i].value = str_pct_encode(a, p->value ? p->value : "", "");
	}
	memcpy(v + rq->nquery, x, nx * sizeof(*x));
	qsort(v, n, sizeof(*v), cmp_canon);
	buf_init(&b, 0);
	for (i = 0; i < n; i++)
		buf_addf(&b, "%s%s=%s", i ? "&" : "", v[i].name, v[i].value);
	*out = arena_strdup(a, buf_str(&b));
	buf_release(&b);
	return 0;
}

/* The encoded path, and the endpoint adjusted to the URL style. */
static int
make_path(struct arena *a, const struct gcsign_req *rq, struct endpoint *ep,
    const char **path, struct err *e)
{
	const char	*obj = "";
	size_t		 n;

	if (rq->object != NULL && (n = rq->objlen ? rq->objlen :
	    strlen(rq->object)) > 0 &&
	    (obj = check_object(a, rq->object, n, e)) == NULL)
		return -1;
	obj = str_pct_encode(a, obj, "/");
	switch (rq->style) {
	case GCSIGN_PATH:
		*path = arena_printf(a, "/%s%s%s", rq->bucket, *obj ? "/" : "",
		    obj);
		break;
	case GCSIGN_VIRTUAL:
		ep->authority = arena_printf(a, "%s.%s", rq->bucket,
		    ep->authority);
		ep->host = arena_printf(a, "%s.%s", rq->bucket, ep->host);
		/* FALLTHROUGH */
	case GCSIGN_BOUND:
		*path = arena_printf(a, "/%s", obj);
		break;
	default:
		return err_set(e, ERR_BAD_PARAM, "GCS: bad URL style");
	}
	return 0;
}

/* --- signatures ---------------------------------------------------------- */

/* RSASSA-PKCS1-v1_5 with SHA-256; *sig in the arena. */
static int
rsa_sign(EVP_PKEY *pk, const char *msg, size_t len, struct arena *a,
    unsigned char **sig, size_t *siglen, struct err *e)
{
	EVP_MD_CTX	*ctx;
	int		 ok;

	*siglen = (size_t)EVP_PKEY_get_size(pk);
	*sig = arena_alloc(a, *siglen);
	if ((ctx = EVP_MD_CTX_new()) == NULL)
		abort();
	ok = EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, pk) == 1 &&
	    EVP_DigestSign(ctx, *sig, siglen, (const unsigned char *)msg,
	    len) == 1;
	EVP_MD_CTX_free(ctx);
	if (!ok) {
		ERR_clear_error();
		return err_set(e, ERR_INTERNAL, "GCS: RSA signing failed");
	}
	return 0;
}

/* The HMAC signing key of date and region, derived once and cached. */
static const unsigned char *
hmac_key(struct gcsign_key *k, const char *date, const char *region)
{
	unsigned char	 t[32];
	char		*s;

	if (strcmp(k->cache_date, date) == 0 &&
	    strcmp(k->cache_region, region) == 0)
		return k->cache_key;
	s = xasprintf("GOOG4%s", k->secret);
	crypto_hmac_sha256(s, strlen(s), date, strlen(date), t);
	crypto_wipe(s, strlen(s));
	free(s);
	crypto_hmac_sha256(t, 32, region, strlen(region), t);
	crypto_hmac_sha256(t, 32, "storage", 7, t);
	crypto_hmac_sha256(t, 32, "goog4_request", 13, k->cache_key);
	crypto_wipe(t, sizeof(t));
	snprintf(k->cache_date, sizeof(k->cache_date), "%s", date);
	snprintf(k->cache_region, sizeof(k->cache_region), "%s", region);
	return k->cache_key;
}

static int
sign_sts(struct gcsign_key *k, const char *sts, const char *date,
    const char *region, struct arena *a, const char **hex, struct err *e)
{
	unsigned char	 mac[32], *sig = mac;
	size_t		 n = sizeof(mac);
	char		*out;

	if (k->kind == GCSIGN_RSA) {
		if (rsa_sign(k->pkey, sts, strlen(sts), a, &sig, &n, e) == -1)
			return -1;
	} else
		crypto_hmac_sha256(hmac_key(k, date, region), 32, sts,
		    strlen(sts), mac);
	out = arena_alloc(a, 2 * n + 1);
	str_hex(sig, n, out);
	*hex = out;
	return 0;
}

static void
goog_time(int64_t now, char date[9], char stamp[17])
{
	struct tm	 tm;
	time_t		 t = (time_t)now;

	gmtime_r(&t, &tm);
	strftime(date, 9, "%Y%m%d", &tm);
	strftime(stamp, 17, "%Y%m%dT%H%M%SZ", &tm);
}

/* Our X-Goog-* parameters, encoded, for the canonical query. */
static void
our_params(struct arena *a, const struct gcsign_key *k,
    const struct gcsign_req *rq, const char *scope, const char *stamp,
    const char *names, struct canon x[5])
{
	int	 lc = (rq->flags & GCSIGN_LOWER) ? 1 : 0;

	x[0].name = qnames[Q_ALGORITHM][lc];
	x[0].value = k->kind == GCSIGN_RSA ? ALGO_RSA : ALGO_HMAC;
	x[1].name = qnames[Q_CREDENTIAL][lc];
	x[1].value = str_pct_encode(a, arena_printf(a, "%s/%s",
	    k->kind == GCSIGN_RSA ? k->client_email : k->access_id, scope),
	    "");
	x[2].name = qnames[Q_DATE][lc];
	x[2].value = arena_strdup(a, stamp);
	x[3].name = qnames[Q_EXPIRES][lc];
	x[3].value = arena_printf(a, "%lld", (long long)rq->expires);
	x[4].name = qnames[Q_SIGNEDHEADERS][lc];
	x[4].value = str_pct_encode(a, names, "");
}

int
gcsign_url(struct gcsign_key *k, const struct gcsign_req *rq,
    struct arena *a, struct gcsign_signed *out, struct err *e)
{
	struct endpoint	 ep = { NULL, NULL, NULL };
	struct canon	 x[5];
	const char	*region = rq->region != NULL ? rq->region : "auto";
	const char	*lines = NULL, *names = NULL, *payload = NULL;
	const char	*query = NULL, *scope, *sig = NULL;
	unsigned char	 h[32];
	char		 date[9], stamp[17], hex[65];

	memset(out, 0, sizeof(*out));
	if (check_req(k, rq, e) == -1 ||
	    parse_endpoint(a, rq->endpoint, rq->flags, &ep, e) == -1 ||
	    make_path(a, rq, &ep, &out->path, e) == -1 ||
	    canon_headers(a, rq, ep.host, &lines, &names, &payload, e) == -1)
		return -1;
	goog_time(rq->now, date, stamp);
	scope = arena_printf(a, "%s/%s/storage/goog4_request", date, region);
	our_params(a, k, rq, scope, stamp, names, x);
	if (canon_query(a, rq, x, 5, &query, e) == -1)
		return -1;
	out->host = ep.host;
	out->canonical = arena_printf(a, "%s\n%s\n%s\n%s\n%s\n%s",
	    rq->method != NULL ? rq->method : "GET", out->path, query, lines,
	    names, payload);
	crypto_sha256(out->canonical, strlen(out->canonical), h);
	str_hex(h, 32, hex);
	out->to_sign = arena_printf(a, "%s\n%s\n%s\n%s", k->kind ==
	    GCSIGN_RSA ? ALGO_RSA : ALGO_HMAC, stamp, scope, hex);
	if (sign_sts(k, out->to_sign, date, region, a, &sig, e) == -1)
		return -1;
	out->signature = sig;
	out->url = arena_printf(a, "%s://%s%s?%s&%s=%s", ep.scheme,
	    ep.authority, out->path, query,
	    qnames[Q_SIGNATURE][(rq->flags & GCSIGN_LOWER) ? 1 : 0], sig);
	return 0;
}

/* --- OAuth2 JWT-bearer assertion ----------------------------------------- */

/* Unpadded base64url of p[0..n), in the arena. */
static char *
b64url(struct arena *a, const void *p, size_t n)
{
	char	*out = arena_alloc(a, 4 * ((n + 2) / 3) + 1);

	str_b64url_encode(p, n, out);
	return out;
}

/* The header and claims segments, "h.c", in the arena. */
static const char *
jwt_input(const struct gcsign_key *k, const char *scope, int64_t now,
    struct arena *a)
{
	struct jsonw	 w;
	struct buf	 b;
	const char	*hdr, *claims;

	buf_init(&b, 0);
	jsonw_init(&w, &b);
	jsonw_obj_open(&w);
	jsonw_key(&w, "alg");
	jsonw_str(&w, "RS256");
	jsonw_key(&w, "typ");
	jsonw_str(&w, "JWT");
	jsonw_key(&w, "kid");
	jsonw_str(&w, k->private_key_id);
	jsonw_obj_close(&w);
	hdr = b64url(a, b.data, b.len);
	buf_reset(&b);
	jsonw_init(&w, &b);
	jsonw_obj_open(&w);
	jsonw_key(&w, "iat");
	jsonw_int(&w, now);
	jsonw_key(&w, "exp");
	jsonw_int(&w, now + GCSIGN_JWT_LIFETIME);
	jsonw_key(&w, "iss");
	jsonw_str(&w, k->client_email);
	jsonw_key(&w, "aud");
	jsonw_str(&w, k->token_uri);
	jsonw_key(&w, "scope");
	jsonw_str(&w, scope);
	jsonw_obj_close(&w);
	claims = b64url(a, b.data, b.len);
	buf_release(&b);
	return arena_printf(a, "%s.%s", hdr, claims);
}

int
gcsign_jwt(const struct gcsign_key *k, const char *scope, int64_t now,
    struct arena *a, const char **out, struct err *e)
{
	const char	*input;
	unsigned char	*sig;
	size_t		 n;

	*out = NULL;
	if (k->kind != GCSIGN_RSA)
		return err_set(e, ERR_BAD_PARAM, "GCS: a JWT needs a service "
		    "account key");
	if (scope == NULL || !printable(scope, 4096))
		return err_set(e, ERR_BAD_PARAM, "GCS: bad OAuth2 scope");
	if (now < 0 || now > MAX_TIME - GCSIGN_JWT_LIFETIME)
		return err_set(e, ERR_BAD_PARAM, "GCS: time out of range");
	input = jwt_input(k, scope, now, a);
	if (rsa_sign(k->pkey, input, strlen(input), a, &sig, &n, e) == -1)
		return -1;
	*out = arena_printf(a, "%s.%s", input, b64url(a, sig, n));
	return 0;
}

char *
gcsign_token_body(struct arena *a, const char *assertion)
{
	return arena_printf(a, "grant_type=%s&assertion=%s", JWT_GRANT,
	    str_pct_encode(a, assertion, ""));
}
