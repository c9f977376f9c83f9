/*
 * probe_sign.c: the URL-signing probes of bench/probe (see probe.c).
 *
 * The floors (sign, sign-az) are the simplest fast presigned URL written
 * here, on OpenSSL's low-level SHA-256 and nothing of deltashare's:
 * everything the URLs of one request share is prepared once (the
 * signing key, HMAC's two pad blocks hashed, the string to sign's fixed
 * head fed to the MAC, the fixed tail of the canonical request and the
 * query), so a URL costs the encoding of its key, one SHA-256 of the
 * canonical request (SigV4 only), one HMAC from copies of the prepared
 * states, hex or base64 and copies into one buffer.  Among the other
 * ways measured on OpenSSL 3.0 (EVP contexts reused and copied, EVP_MAC
 * contexts reused or duplicated, HMAC() one-shots) this was the fastest.
 *
 * The -ds probes make the same URLs through deltashare's own code as a
 * query does: storage_presign() on an S3 or Azure storage opened on a
 * fixed fake credential (no I/O), or the local file URL of fileurl.c,
 * the scratch arena reset before each URL as lines_file() does.  Before
 * timing, each floor's first URL is compared with deltashare's: a floor
 * that signed something else would prove nothing.
 */
#include "config.h"

#define OPENSSL_SUPPRESS_DEPRECATED	/* SHA256_*: see above */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include "arena.h"
#include "cred.h"
#include "err.h"
#include "fileurl.h"
#include "probe.h"
#include "storage.h"

#define NOW		1780000000LL
#define TTL		3600
#define S3_ACCESS	"AKIAIOSFODNN7EXAMPLE"
#define S3_SECRET	"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
#define S3_REGION	"us-east-1"
#define S3_HOST		"bench-bucket.s3.us-east-1.amazonaws.com"
#define S3_LOCATION	"s3://bench-bucket/tables/bench"
#define AZ_ACCOUNT	"benchaccount"
#define AZ_KEY		"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygp" \
			"KissLS4vMDEyMzQ1Njc4OTo7PD0+Pw=="
#define AZ_LOCATION	"abfss://bench@benchaccount.dfs.core.windows.net/" \
			"tables/bench"
#define PREFIX		"tables/bench/"
/* A key as bench/gentable writes them. */
#define KEY		"date=2024-01-07/region=eu/part-00042-1b3c5d7e-9f01-" \
			"4a23-b456-c789d0e1f234.c000.snappy.parquet"

/* HMAC-SHA256 with the pads hashed once (RFC 2104). */
struct hkey {
	SHA256_CTX	 in, out;
};

static void
hkey_init(struct hkey *k, const unsigned char *key, size_t n)
{
	unsigned char	 pad[64];
	size_t		 i;

	if (n > sizeof(pad))
		abort();		/* the floors' keys are short */
	for (i = 0; i < sizeof(pad); i++)
		pad[i] = (i < n ? key[i] : 0) ^ 0x36;
	SHA256_Init(&k->in);
	SHA256_Update(&k->in, pad, sizeof(pad));
	for (i = 0; i < sizeof(pad); i++)
		pad[i] = (i < n ? key[i] : 0) ^ 0x5c;
	SHA256_Init(&k->out);
	SHA256_Update(&k->out, pad, sizeof(pad));
}

/* Finish the MAC of what k->in was fed (k is a copy). */
static void
hkey_final(struct hkey *k, unsigned char out[32])
{
	SHA256_Final(out, &k->in);
	SHA256_Update(&k->out, out, 32);
	SHA256_Final(out, &k->out);
}

static char *
hex(const unsigned char *p, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t		 i;

	for (i = 0; i < n; i++) {
		*out++ = digits[p[i] >> 4];
		*out++ = digits[p[i] & 15];
	}
	return out;
}

/* Percent-encode s (RFC 3986 unreserved and "/" kept), as S3 and Azure. */
static char *
encode(const char *s, char *out)
{
	static const char digits[] = "0123456789ABCDEF";
	unsigned char	 c;

	for (; (c = (unsigned char)*s) != '\0'; s++) {
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    c == '.' || c == '~' || c == '/')
			*out++ = (char)c;
		else {
			*out++ = '%';
			*out++ = digits[c >> 4];
			*out++ = digits[c & 15];
		}
	}
	return out;
}

static struct tm *
utc(int64_t t, struct tm *tm)
{
	time_t	 tt = (time_t)t;

	return gmtime_r(&tt, tm);
}

/* --- S3 SigV4 ------------------------------------------------------------ */

struct s3_floor {
	SHA256_CTX	 head;		/* "GET\n/tables/bench/" fed */
	struct hkey	 mac;		/* signing key; string to sign's head */
	char		 url[128];	/* "https://host/tables/bench/" */
	size_t		 urllen;
	char		 tail[512];	/* after the path: query, headers... */
	size_t		 taillen;
	char		 query[384];	/* "?" query "&X-Amz-Signature=" */
	size_t		 querylen;
};

static void
s3_floor_init(struct s3_floor *f)
{
	struct tm	 tm;
	unsigned char	 k[32];
	unsigned int	 n;
	char		 date[9], stamp[17], scope[64], q[320], s[128];

	strftime(date, sizeof(date), "%Y%m%d", utc(NOW, &tm));
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	snprintf(scope, sizeof(scope), "%s/%s/s3/aws4_request", date,
	    S3_REGION);
	snprintf(s, sizeof(s), "AWS4%s", S3_SECRET);
	HMAC(EVP_sha256(), s, (int)strlen(s), (unsigned char *)date, 8, k, &n);
	HMAC(EVP_sha256(), k, 32, (unsigned char *)S3_REGION,
	    strlen(S3_REGION), k, &n);
	HMAC(EVP_sha256(), k, 32, (unsigned char *)"s3", 2, k, &n);
	HMAC(EVP_sha256(), k, 32, (unsigned char *)"aws4_request", 12, k, &n);
	hkey_init(&f->mac, k, 32);
	snprintf(s, sizeof(s), "AWS4-HMAC-SHA256\n%s\n%s\n", stamp, scope);
	SHA256_Update(&f->mac.in, s, strlen(s));
	snprintf(s, sizeof(s), "GET\n/%s", PREFIX);
	SHA256_Init(&f->head);
	SHA256_Update(&f->head, s, strlen(s));
	f->urllen = (size_t)snprintf(f->url, sizeof(f->url), "https://%s/%s",
	    S3_HOST, PREFIX);
	snprintf(q, sizeof(q), "X-Amz-Algorithm=AWS4-HMAC-SHA256&"
	    "X-Amz-Credential=%s%%2F%s%%2F%s%%2Fs3%%2Faws4_request&"
	    "X-Amz-Date=%s&X-Amz-Expires=%d&X-Amz-SignedHeaders=host",
	    S3_ACCESS, date, S3_REGION, stamp, TTL);
	f->taillen = (size_t)snprintf(f->tail, sizeof(f->tail),
	    "\n%s\nhost:%s\n\nhost\nUNSIGNED-PAYLOAD", q, S3_HOST);
	f->querylen = (size_t)snprintf(f->query, sizeof(f->query),
	    "?%s&X-Amz-Signature=", q);
}

/* The presigned URL of key into out (PROBE_URL_MAX bytes); its length. */
static size_t
s3_floor_url(const struct s3_floor *f, const char *key, char *out)
{
	SHA256_CTX	 c = f->head;
	struct hkey	 m = f->mac;
	unsigned char	 h[32];
	char		 hx[64], *p, *path;

	memcpy(out, f->url, f->urllen);
	path = out + f->urllen;
	p = encode(key, path);
	SHA256_Update(&c, path, (size_t)(p - path));
	SHA256_Update(&c, f->tail, f->taillen);
	SHA256_Final(h, &c);
	hex(h, 32, hx);
	SHA256_Update(&m.in, hx, sizeof(hx));
	hkey_final(&m, h);
	memcpy(p, f->query, f->querylen);
	p = hex(h, 32, p + f->querylen);
	*p = '\0';
	return (size_t)(p - out);
}

/* deltashare's S3 or Azure storage of the floors' files (no I/O). */
static struct storage *
ds_open(enum cred_kind kind)
{
	struct cred	 c;
	struct storage	*st;
	struct err	 e;

	memset(&c, 0, sizeof(c));
	c.kind = kind;
	c.access_key = S3_ACCESS;
	c.secret_key = S3_SECRET;
	c.region = S3_REGION;
	c.account = AZ_ACCOUNT;
	c.account_key = AZ_KEY;
	if ((st = storage_open_cred(kind == CRED_S3 ? S3_LOCATION :
	    AZ_LOCATION, &c, &e)) == NULL)
		probe_die("storage_open_cred: %s", e.msg);
	return st;
}

/* --- Azure service SAS --------------------------------------------------- */

struct az_floor {
	struct hkey	 mac;		/* account key; "r\n\nse\n/blob/..." */
	char		 url[128];	/* "https://acct.blob.../bench/tables..." */
	size_t		 urllen;
	char		 query[128];	/* "?se=...&sig=" */
	size_t		 querylen;
};

#define AZ_TAIL	"\n\n\nhttps\n2021-12-02\nb\n\n\n\n\n\n\n"

static void
az_floor_init(struct az_floor *f)
{
	struct tm	 tm;
	unsigned char	 key[64];
	char		 se[32], s[256];
	int		 n;

	if ((n = EVP_DecodeBlock(key, (const unsigned char *)AZ_KEY,
	    (int)strlen(AZ_KEY))) != 66)	/* with the padding's 2 */
		probe_die("bad AZ_KEY");
	hkey_init(&f->mac, key, 64);
	strftime(se, sizeof(se), "%Y-%m-%dT%H:%M:%SZ", utc(NOW + TTL, &tm));
	snprintf(s, sizeof(s), "r\n\n%s\n/blob/%s/bench/%s", se, AZ_ACCOUNT,
	    PREFIX);
	SHA256_Update(&f->mac.in, s, strlen(s));
	f->urllen = (size_t)snprintf(f->url, sizeof(f->url),
	    "https://%s.blob.core.windows.net/bench/%s", AZ_ACCOUNT, PREFIX);
	se[13] = se[16] = '\0';		/* ':' is encoded */
	f->querylen = (size_t)snprintf(f->query, sizeof(f->query),
	    "?se=%s%%3A%s%%3A%s&sp=r&spr=https&sv=2021-12-02&sr=b&sig=", se,
	    se + 14, se + 17);
}

static size_t
az_floor_url(const struct az_floor *f, const char *key, char *out)
{
	struct hkey	 m = f->mac;
	unsigned char	 h[32], b[48];
	char		*p;
	int		 i, n;

	SHA256_Update(&m.in, key, strlen(key));
	SHA256_Update(&m.in, AZ_TAIL, sizeof(AZ_TAIL) - 1);
	hkey_final(&m, h);
	memcpy(out, f->url, f->urllen);
	p = encode(key, out + f->urllen);
	memcpy(p, f->query, f->querylen);
	p += f->querylen;
	n = EVP_EncodeBlock(b, h, 32);
	for (i = 0; i < n; i++) {
		if (b[i] == '+' || b[i] == '=') {
			*p++ = '%';
			*p++ = b[i] == '+' ? '2' : '3';
			*p++ = b[i] == '+' ? 'B' : 'D';
		} else
			*p++ = (char)b[i];
	}
	*p = '\0';
	return (size_t)(p - out);
}

/* --- the probes ---------------------------------------------------------- */

/* One line: wall and CPU time since T0 and C0 (probe_now, probe_cpu). */
static void
report(const char *name, double t0, double c0, long n)
{
	double	t = probe_now() - t0, c = probe_cpu() - c0;

	printf("{\"probe\":\"%s\",\"seconds\":%.6f,\"cpu_seconds\":%.6f,"
	    "\"urls\":%ld,\"us_per_url\":%.3f,\"cpu_us_per_url\":%.3f}\n",
	    name, t, c, n, t * 1e6 / (double)n, c * 1e6 / (double)n);
}

/* deltashare's URL of KEY from st, in a (reset first, as per line). */
static const char *
ds_url(struct storage *st, struct arena *a)
{
	const char	*url;
	struct err	 e;

	arena_reset(a);
	if (storage_presign(st, KEY, NOW, TTL, a, &url, &e) == -1)
		probe_die("storage_presign: %s", e.msg);
	return url;
}

/* The floor's URL must be deltashare's, byte for byte. */
static void
same_url(const char *what, const char *floor, struct storage *st)
{
	struct arena	*a = arena_new();
	const char	*ds = ds_url(st, a);

	if (strcmp(floor, ds) != 0)
		probe_die("the %s floor signs another URL:\n  floor %s\n"
		    "  deltashare %s", what, floor, ds);
	arena_free(a);
}

static struct s3_floor	 s3f;
static int		 s3f_ready;

size_t
probe_s3_url(const char *key, char out[PROBE_URL_MAX])
{
	if (!s3f_ready) {
		s3_floor_init(&s3f);
		s3f_ready = 1;
	}
	if (strlen(key) > (PROBE_URL_MAX - 512) / 3)
		probe_die("key too long");
	return s3_floor_url(&s3f, key, out);
}

static volatile char	 sink;

int
probe_sign(const char *kind, long n)
{
	struct az_floor	 az;
	char		 url[PROBE_URL_MAX];
	struct storage	*st;
	double		 t0, c0;
	long		 i;

	if (strcmp(kind, "sign") == 0) {
		probe_s3_url(KEY, url);
		st = ds_open(CRED_S3);
		same_url("SigV4", url, st);
		storage_close(st);
		t0 = probe_now();
		c0 = probe_cpu();
		for (i = 0; i < n; i++) {
			s3_floor_url(&s3f, KEY, url);
			sink = url[i & 255];
		}
	} else {
		az_floor_init(&az);
		az_floor_url(&az, KEY, url);
		st = ds_open(CRED_AZURE);
		same_url("Azure SAS", url, st);
		storage_close(st);
		t0 = probe_now();
		c0 = probe_cpu();
		for (i = 0; i < n; i++) {
			az_floor_url(&az, KEY, url);
			sink = url[i & 255];
		}
	}
	report(kind, t0, c0, n);
	return 0;
}

int
probe_sign_ds(const char *kind, long n)
{
	struct arena	*a = arena_new();
	struct storage	*st = ds_open(strcmp(kind, "sign-ds") == 0 ? CRED_S3 :
			    CRED_AZURE);
	double		 t0, c0;
	long		 i;

	t0 = probe_now();
	c0 = probe_cpu();
	for (i = 0; i < n; i++)
		sink = ds_url(st, a)[i & 63];
	report(kind, t0, c0, n);
	storage_close(st);
	arena_free(a);
	return 0;
}

/* File URLs of local tables, as api_lines.c makes them. */
int
probe_sign_local_ds(long n)
{
	static const unsigned char secret[32] = "bench secret of 32 bytes, fake.";
	static const char base[] = "https://sharing.example.com/ds";
	struct arena	*a = arena_new();
	struct fileurl_key k;
	struct fileurl	 f;
	double		 t0, c0;
	long		 i;

	f.table_id = 42;
	f.expires_ms = (NOW + TTL) * 1000;
	f.key = KEY;
	t0 = probe_now();
	c0 = probe_cpu();
	fileurl_key_init(&k, secret, sizeof(secret));
	for (i = 0; i < n; i++) {
		arena_reset(a);
		sink = fileurl_url(a, &k, base, sizeof(base) - 1, &f)[i & 63];
	}
	report("sign-local-ds", t0, c0, n);
	fileurl_key_wipe(&k);
	arena_free(a);
	return 0;
}
