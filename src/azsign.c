/*
 * azsign.c: Azure Blob Storage Shared Key and service SAS (see azsign.h).
 *
 * Shared Key string to sign:
 *	VERB \n the 11 standard header values, each followed by \n
 *	(Content-Length empty when 0), then "name:value\n" per x-ms-*
 *	header, names lowercased and sorted, then "/" account path-as-sent,
 *	then "\nname:value" per query parameter, decoded, names lowercased
 *	and sorted.
 * Service SAS string to sign (sv=2021-12-02, 16 lines joined by \n):
 *	sp st se /blob/account/container[/name] si sip spr sv sr snapshot
 *	ses rscc rscd rsce rscl rsct
 * The signature is the base64 HMAC-SHA256 of that under the decoded
 * account key.  The SAS query is encoded as the Python SDK's quote()
 * does: RFC 3986 unreserved characters and "/" kept, so "sig" keeps its
 * "/" and encodes "+" and "=".
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "azsign.h"
#include "buf.h"
#include "crypto.h"
#include "err.h"
#include "strutil.h"
#include "xmalloc.h"

#define SIG_LEN		45	/* base64 of 32 bytes and NUL */
#define LOWER_DIGIT	"abcdefghijklmnopqrstuvwxyz0123456789"

/* The standard headers of a Shared Key string to sign, in its order. */
enum std_hdr {
	STD_CONTENT_ENCODING,
	STD_CONTENT_LANGUAGE,
	STD_CONTENT_LENGTH,
	STD_CONTENT_MD5,
	STD_CONTENT_TYPE,
	STD_DATE,
	STD_IF_MODIFIED_SINCE,
	STD_IF_MATCH,
	STD_IF_NONE_MATCH,
	STD_IF_UNMODIFIED_SINCE,
	STD_RANGE,
	STD__MAX
};

static const char *const std_names[STD__MAX] = {
	"Content-Encoding",	/* STD_CONTENT_ENCODING */
	"Content-Language",	/* STD_CONTENT_LANGUAGE */
	"Content-Length",	/* STD_CONTENT_LENGTH */
	"Content-MD5",		/* STD_CONTENT_MD5 */
	"Content-Type",		/* STD_CONTENT_TYPE */
	"Date",			/* STD_DATE */
	"If-Modified-Since",	/* STD_IF_MODIFIED_SINCE */
	"If-Match",		/* STD_IF_MATCH */
	"If-None-Match",	/* STD_IF_NONE_MATCH */
	"If-Unmodified-Since",	/* STD_IF_UNMODIFIED_SINCE */
	"Range",		/* STD_RANGE */
};

static const char *const sr_names[AZSIGN__MAX] = {
	"b",	/* AZSIGN_BLOB */
	"c",	/* AZSIGN_CONTAINER */
	"d",	/* AZSIGN_DIRECTORY */
};

/* A canonical "name:value" line. */
struct line {
	char		*name;
	const char	*value;
};

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Standard base64 with padding: out needs 4 * ((n + 2) / 3) + 1 bytes. */
static void
b64_encode(const unsigned char *in, size_t n, char *out)
{
	uint32_t	 v;
	size_t		 i, o = 0;

	for (i = 0; i < n; i += 3) {
		v = (uint32_t)in[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)in[i + 1] << 8;
		if (i + 2 < n)
			v |= in[i + 2];
		out[o++] = b64[v >> 18];
		out[o++] = b64[(v >> 12) & 63];
		out[o++] = i + 1 < n ? b64[(v >> 6) & 63] : '=';
		out[o++] = i + 2 < n ? b64[v & 63] : '=';
	}
	out[o] = '\0';
}

static int
b64_value(char c)
{
	const char	*p;

	if (c == '\0' || (p = strchr(b64, c)) == NULL)
		return -1;
	return (int)(p - b64);
}

/*
 * Strict base64: a non-empty multiple of 4 characters of the standard
 * alphabet, "=" only as the last one or two, unused bits zero.  Returns
 * the decoded length (at most max bytes into out) or -1.
 */
static long
b64_decode(const char *s, unsigned char *out, size_t max)
{
	size_t		 n = strlen(s), pad = 0, len, i, k, o = 0;
	uint32_t	 v = 0;
	int		 c;

	if (n == 0 || n % 4 != 0)
		return -1;
	if (s[n - 1] == '=')
		pad = s[n - 2] == '=' ? 2 : 1;
	if ((len = n / 4 * 3 - pad) > max)
		return -1;
	for (i = 0; i < n; i += 4) {
		for (v = 0, k = 0; k < 4; k++) {
			c = i + k < n - pad ? b64_value(s[i + k]) : 0;
			if (c == -1)
				return -1;
			v = v << 6 | (uint32_t)c;
		}
		for (k = 0; k < 3 && o < len; k++)
			out[o++] = (unsigned char)(v >> (16 - 8 * k));
	}
	if ((pad == 1 && (v & 0xff) != 0) || (pad == 2 && (v & 0xffff) != 0))
		return -1;
	return (long)len;
}

static bool
valid_account(const char *s)
{
	size_t	 n = strlen(s);

	return n >= 3 && n <= AZSIGN_ACCOUNT_MAX && strspn(s, LOWER_DIGIT) == n;
}

int
azsign_key_init(struct azsign_key *k, const char *account,
    const char *key_b64, struct err *e)
{
	char	 tmp[40];
	long	 n;

	memset(k, 0, sizeof(*k));
	if (account == NULL || !valid_account(account))
		return err_set(e, ERR_BAD_PARAM, "bad Azure storage account "
		    "name '%s' (3 to 24 lowercase letters and digits)",
		    str_shorten(account ? account : "", tmp, sizeof(tmp)));
	if (key_b64 == NULL ||
	    (n = b64_decode(key_b64, k->key, sizeof(k->key))) <= 0) {
		azsign_key_wipe(k);
		return err_set(e, ERR_BAD_PARAM, "the key of Azure storage "
		    "account '%s' is not base64 of 1 to %d bytes", account,
		    AZSIGN_KEY_MAX);
	}
	k->keylen = (size_t)n;
	memcpy(k->account, account, strlen(account) + 1);
	return 0;
}

void
azsign_key_wipe(struct azsign_key *k)
{
	crypto_wipe(k, sizeof(*k));
}

static int
check_key(const struct azsign_key *k, struct err *e)
{
	if (k == NULL || k->keylen == 0 || k->keylen > AZSIGN_KEY_MAX ||
	    memchr(k->account, '\0', sizeof(k->account)) == NULL ||
	    !valid_account(k->account))
		return err_set(e, ERR_BAD_PARAM, "Azure key not initialised");
	return 0;
}

/* The base64 HMAC-SHA256 of s under the account key. */
static void
sign(const struct azsign_key *k, const char *s, char out[SIG_LEN])
{
	unsigned char	 mac[CRYPTO_SHA256_LEN];

	crypto_hmac_sha256(k->key, k->keylen, s, strlen(s), mac);
	b64_encode(mac, sizeof(mac), out);
}

#define ONES	UINT64_C(0x0101010101010101)
#define HIGHS	UINT64_C(0x8080808080808080)

/*
 * True if none of the n bytes of s is a control character (C0, DEL).
 * Eight bytes at a time while none is: w - 0x20 in every byte borrows
 * into a byte's high bit that was clear in w only where a byte was
 * below 0x20, and w ^ 0x7f has a zero byte only where w had DEL.
 */
static bool
no_ctl(const char *s, size_t n, bool tab_ok)
{
	const unsigned char *p = (const unsigned char *)s;
	uint64_t	 w, d;
	size_t		 i = 0;

	for (; n - i >= 8; i += 8) {
		memcpy(&w, p + i, 8);
		d = w ^ (0x7f * ONES);
		if ((((w - 0x20 * ONES) & ~w) | ((d - ONES) & ~d)) & HIGHS)
			break;
	}
	for (; i < n; i++)
		if ((p[i] < 0x20 && !(tab_ok && p[i] == '\t')) || p[i] == 0x7f)
			return false;
	return true;
}

/* --- Shared Key ---------------------------------------------------------- */

static bool
valid_method(const char *m)
{
	size_t	 n = strlen(m);

	return n > 0 && n <= 16 && strspn(m, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == n;
}

/* A path as sent: "/" first, visible ASCII, well-formed %XX escapes. */
static bool
valid_path(const char *p)
{
	static const char hex[] = "0123456789abcdefABCDEF";
	const unsigned char *u;

	if (*p != '/')
		return false;
	for (; *p != '\0'; p++) {
		u = (const unsigned char *)p;
		if (*u <= ' ' || *u >= 0x7f || *p == '?' || *p == '#')
			return false;
		if (*p == '%' && (p[1] == '\0' || strchr(hex, p[1]) == NULL ||
		    p[2] == '\0' || strchr(hex, p[2]) == NULL))
			return false;
	}
	return true;
}

/* A header value without surrounding blanks; NULL with a control. */
static const char *
trim_value(struct arena *a, const char *v)
{
	size_t	 n;

	while (*v == ' ' || *v == '\t')
		v++;
	n = strlen(v);
	while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
		n--;
	if (!no_ctl(v, n, true))
		return NULL;
	return arena_strndup(a, v, n);
}

static int
std_index(const char *name)
{
	int	 i;

	for (i = 0; i < STD__MAX; i++)
		if (strcasecmp(name, std_names[i]) == 0)
			return i;
	return -1;
}

static int
cmp_line(const void *x, const void *y)
{
	const struct line *a = x, *b = y;
	int		 c;

	if ((c = strcmp(a->name, b->name)) != 0)
		return c;
	return strcmp(a->value, b->value);
}

/* Sort one header into std[] or the x-ms-* lines; skip the others. */
static int
take_header(struct arena *a, const struct azsign_param *h,
    const char *std[STD__MAX], struct line *xms, size_t *nxms,
    struct err *e)
{
	const char	*v;
	char		 tmp[40];
	int		 i;

	if (h->name == NULL || h->value == NULL)
		return err_set(e, ERR_BAD_PARAM, "header without a name or "
		    "a value");
	i = std_index(h->name);
	if (i == -1 && strncasecmp(h->name, "x-ms-", 5) != 0)
		return 0;
	if ((v = trim_value(a, h->value)) == NULL)
		return err_set(e, ERR_BAD_PARAM, "control character in "
		    "header %s", str_shorten(h->name, tmp, sizeof(tmp)));
	if (i != -1) {
		if (std[i] != NULL)
			return err_set(e, ERR_BAD_PARAM, "header %s given "
			    "twice", std_names[i]);
		std[i] = v;
		return 0;
	}
	if (strspn(h->name, "ABCDEFGHIJKLMNOPQRSTUVWXYZ" LOWER_DIGIT "-") !=
	    strlen(h->name) || *v == '\0')
		return err_set(e, ERR_BAD_PARAM, "bad x-ms header '%s' (letters, "
		    "digits and '-', with a value)",
		    str_shorten(h->name, tmp, sizeof(tmp)));
	xms[*nxms].name = str_lower_ascii(arena_strdup(a, h->name));
	xms[(*nxms)++].value = v;
	return 0;
}

/* The standard header lines and the x-ms-* lines. */
static int
add_headers(struct arena *a, const struct azsign_req *rq, struct buf *b,
    struct err *e)
{
	const char	*std[STD__MAX] = { NULL };
	struct line	*xms;
	size_t		 n = 0, i;
	bool		 date = false;

	xms = arena_calloc(a, rq->nheaders + 1, sizeof(*xms));
	for (i = 0; i < rq->nheaders; i++)
		if (take_header(a, &rq->headers[i], std, xms, &n, e) == -1)
			return -1;
	if (std[STD_CONTENT_LENGTH] != NULL &&
	    strcmp(std[STD_CONTENT_LENGTH], "0") == 0)
		std[STD_CONTENT_LENGTH] = NULL;
	qsort(xms, n, sizeof(*xms), cmp_line);
	for (i = 0; i < n; i++) {
		if (i > 0 && strcmp(xms[i].name, xms[i - 1].name) == 0)
			return err_set(e, ERR_BAD_PARAM, "header %s given "
			    "twice", xms[i].name);
		if (strcmp(xms[i].name, "x-ms-date") == 0)
			date = true;
	}
	if (!date && std[STD_DATE] == NULL)
		return err_set(e, ERR_BAD_PARAM, "Shared Key needs x-ms-date "
		    "or Date");
	for (i = 0; i < STD__MAX; i++)
		buf_addf(b, "%s\n", std[i] != NULL ? std[i] : "");
	for (i = 0; i < n; i++)
		buf_addf(b, "%s:%s\n", xms[i].name, xms[i].value);
	return 0;
}

/* Percent-decode s into the arena; NULL if malformed or with a control. */
static char *
pct_decode(struct arena *a, const char *s)
{
	size_t	 n = strlen(s);
	char	*out = arena_alloc(a, n + 1);
	long	 k = str_pct_decode(s, n, out, false);

	if (k < 0 || !no_ctl(out, (size_t)k, false))
		return NULL;
	out[k] = '\0';
	return out;
}

/* The query lines, one per name, values of repeated names joined. */
static int
add_query(struct arena *a, const struct azsign_req *rq, struct buf *b,
    struct err *e)
{
	struct line	*q;
	char		 tmp[40];
	size_t		 i;

	q = arena_calloc(a, rq->nquery + 1, sizeof(*q));
	for (i = 0; i < rq->nquery; i++) {
		const struct azsign_param *p = &rq->query[i];

		if (p->name == NULL || p->value == NULL ||
		    (q[i].name = pct_decode(a, p->name)) == NULL ||
		    q[i].name[0] == '\0' ||
		    (q[i].value = pct_decode(a, p->value)) == NULL)
			return err_set(e, ERR_BAD_PARAM, "bad query parameter "
			    "'%s'", str_shorten(p->name ? p->name : "", tmp,
			    sizeof(tmp)));
		str_lower_ascii(q[i].name);
	}
	qsort(q, rq->nquery, sizeof(*q), cmp_line);
	for (i = 0; i < rq->nquery; i++) {
		if (i > 0 && strcmp(q[i].name, q[i - 1].name) == 0)
			buf_addf(b, ",%s", q[i].value);
		else
			buf_addf(b, "\n%s:%s", q[i].name, q[i].value);
	}
	return 0;
}

int
azsign_shared_key(const struct azsign_key *k, const struct azsign_req *rq,
    struct arena *a, struct azsign_signed *out, struct err *e)
{
	struct buf	 b;
	char		 sig[SIG_LEN];
	int		 rc = -1;

	memset(out, 0, sizeof(*out));
	if (check_key(k, e) == -1)
		return -1;
	if (rq->method == NULL || !valid_method(rq->method))
		return err_set(e, ERR_BAD_PARAM, "bad HTTP method for Azure");
	if (rq->path == NULL || !valid_path(rq->path))
		return err_set(e, ERR_BAD_PARAM, "an Azure request path is "
		    "sent encoded and starts with '/'");
	buf_init(&b, 0);
	buf_addf(&b, "%s\n", rq->method);
	if (add_headers(a, rq, &b, e) == -1)
		goto out;
	buf_addf(&b, "/%s%s", k->account, rq->path);
	if (add_query(a, rq, &b, e) == -1)
		goto out;
	out->to_sign = arena_strdup(a, buf_str(&b));
	sign(k, out->to_sign, sig);
	out->value = arena_printf(a, "SharedKey %s:%s", k->account, sig);
	rc = 0;
out:
	buf_release(&b);
	return rc;
}

/* --- service SAS --------------------------------------------------------- */

/* Container names: 3-63 of [a-z0-9-], no "--", no "-" at either end. */
static bool
valid_container(const char *s)
{
	size_t	 n = strlen(s);

	if (strcmp(s, "$root") == 0 || strcmp(s, "$web") == 0 ||
	    strcmp(s, "$logs") == 0)
		return true;
	return n >= 3 && n <= 63 && strspn(s, LOWER_DIGIT "-") == n &&
	    s[0] != '-' && s[n - 1] != '-' && strstr(s, "--") == NULL;
}

static int
check_name(const char *name, bool dir, struct err *e)
{
	const char	*p;
	size_t		 n, segs = 1;
	char		 tmp[64];

	if (name == NULL || (n = strlen(name)) == 0)
		return err_set(e, ERR_BAD_PARAM, "empty Azure blob name");
	for (p = name; (p = memchr(p, '/', n - (size_t)(p - name))) != NULL;
	    p++)
		segs++;
	if (!no_ctl(name, n, false) || !str_utf8_valid(name, n))
		return err_set(e, ERR_BAD_PARAM, "Azure blob name '%s' is not "
		    "UTF-8 without control characters",
		    str_shorten(name, tmp, sizeof(tmp)));
	if ((n > AZSIGN_NAME_MAX && str_utf8_len(name, n) > AZSIGN_NAME_MAX) ||
	    segs > AZSIGN_SEGMENTS_MAX)
		return err_set(e, ERR_BAD_PARAM, "Azure blob name '%s' is over "
		    "%d characters or %d segments",
		    str_shorten(name, tmp, sizeof(tmp)), AZSIGN_NAME_MAX,
		    AZSIGN_SEGMENTS_MAX);
	if (dir && (name[0] == '/' || name[n - 1] == '/' ||
	    strstr(name, "//") != NULL))
		return err_set(e, ERR_BAD_PARAM, "Azure directory '%s' has an "
		    "empty segment", str_shorten(name, tmp, sizeof(tmp)));
	return 0;
}

/* Read-only: "r", plus "l" where listing means something. */
static bool
valid_perm(const char *p, enum azsign_resource r)
{
	if (strcmp(p, "r") == 0)
		return true;
	return r != AZSIGN_BLOB && (strcmp(p, "l") == 0 ||
	    strcmp(p, "rl") == 0);
}

/* The SAS's fields; its name too unless it comes later (presigner). */
static int
check_sas(const struct azsign_sas *s, bool name, struct err *e)
{
	char	 tmp[40];

	if ((int)s->resource < 0 || s->resource >= AZSIGN__MAX)
		return err_set(e, ERR_BAD_PARAM, "bad SAS resource type");
	if (s->container == NULL || !valid_container(s->container))
		return err_set(e, ERR_BAD_PARAM, "bad Azure container name "
		    "'%s'", str_shorten(s->container ? s->container : "", tmp,
		    sizeof(tmp)));
	if (s->resource == AZSIGN_CONTAINER && s->name != NULL)
		return err_set(e, ERR_BAD_PARAM, "a container SAS has no "
		    "blob name");
	if (name && s->resource != AZSIGN_CONTAINER &&
	    check_name(s->name, s->resource == AZSIGN_DIRECTORY, e) == -1)
		return -1;
	if (s->permissions == NULL || !valid_perm(s->permissions, s->resource))
		return err_set(e, ERR_BAD_PARAM, "a SAS grants read ('r') or "
		    "read and list ('rl', not for a blob), nothing else");
	if (s->start < 0 || s->start > AZSIGN_TIME_MAX || s->expiry <= 0 ||
	    s->expiry > AZSIGN_TIME_MAX || s->expiry <= s->start)
		return err_set(e, ERR_BAD_PARAM, "SAS start and expiry out of "
		    "order or range");
	if (s->protocol != NULL && strcmp(s->protocol, "https") != 0 &&
	    strcmp(s->protocol, "https,http") != 0)
		return err_set(e, ERR_BAD_PARAM, "SAS protocol is 'https' or "
		    "'https,http'");
	return 0;
}

/* "2024-01-02T03:04:05Z"; t within [0, AZSIGN_TIME_MAX]. */
static void
iso_time(int64_t t, char out[32])
{
	int64_t	 days = str_floor_div(t, 86400), y, sec = t - days * 86400;
	int	 m, d;

	str_civil(days, &y, &m, &d);
	snprintf(out, 32, "%04lld-%02d-%02dT%02d:%02d:%02dZ", (long long)y,
	    m, d, (int)(sec / 3600), (int)(sec / 60 % 60), (int)(sec % 60));
}

/* Depth of a checked directory name: its number of segments. */
static int
depth(const char *name)
{
	int	 n = 1;

	for (; *name != '\0'; name++)
		if (*name == '/')
			n++;
	return n;
}

/* The query of a SAS, in the SDK's order, sig last. */
static const char *
sas_query(struct arena *a, const struct azsign_sas *s, const char *st,
    const char *se, const char *sig)
{
	struct buf	 b;
	const char	*out;

	buf_init(&b, 0);
	if (s->start != 0)
		buf_addf(&b, "st=%s&", str_pct_encode(a, st, "/"));
	buf_addf(&b, "se=%s&sp=%s&", str_pct_encode(a, se, "/"),
	    str_pct_encode(a, s->permissions, "/"));
	if (s->protocol != NULL)
		buf_addf(&b, "spr=%s&", str_pct_encode(a, s->protocol, "/"));
	buf_addf(&b, "sv=%s&sr=%s&", AZSIGN_VERSION, sr_names[s->resource]);
	if (s->resource == AZSIGN_DIRECTORY)
		buf_addf(&b, "sdd=%d&", depth(s->name));
	buf_addf(&b, "sig=%s", str_pct_encode(a, sig, "/"));
	out = arena_strdup(a, buf_str(&b));
	buf_release(&b);
	return out;
}

/*
 * The string to sign before and after "/" name: sp st se, the resource
 * up to its container, then si sip spr sv sr and 7 empty fields.
 */
static void
sas_to_sign(struct arena *a, const struct azsign_key *k,
    const struct azsign_sas *s, const char *st, const char *se,
    const char **head, const char **tail)
{
	*head = arena_printf(a, "%s\n%s\n%s\n/blob/%s/%s", s->permissions, st,
	    se, k->account, s->container);
	*tail = arena_printf(a, "\n\n\n%s\n%s\n%s\n\n\n\n\n\n\n",
	    s->protocol != NULL ? s->protocol : "", AZSIGN_VERSION,
	    sr_names[s->resource]);
}

/* The SAS's times: st ("" without a start) and se. */
static void
sas_times(const struct azsign_sas *s, char st[32], char se[32])
{
	*st = '\0';
	if (s->start != 0)
		iso_time(s->start, st);
	iso_time(s->expiry, se);
}

int
azsign_sas(const struct azsign_key *k, const struct azsign_sas *s,
    struct arena *a, struct azsign_signed *out, struct err *e)
{
	const char	*head, *tail;
	char		 st[32], se[32], sig[SIG_LEN];

	memset(out, 0, sizeof(*out));
	if (check_key(k, e) == -1 || check_sas(s, true, e) == -1)
		return -1;
	sas_times(s, st, se);
	sas_to_sign(a, k, s, st, se, &head, &tail);
	if (s->resource == AZSIGN_CONTAINER) {
		out->to_sign = arena_printf(a, "%s%s", head, tail);
		out->path = arena_printf(a, "/%s", s->container);
	} else {
		out->to_sign = arena_printf(a, "%s/%s%s", head, s->name, tail);
		out->path = arena_printf(a, "/%s/%s", s->container,
		    str_pct_encode(a, s->name, "/"));
	}
	sign(k, out->to_sign, sig);
	out->value = sas_query(a, s, st, se, sig);
	return 0;
}

int
azsign_presigner_init(struct azsign_presigner *p, const struct azsign_key *k,
    const struct azsign_sas *s, const char *origin, struct arena *a,
    struct err *e)
{
	const char	*head, *tail;
	char		 st[32], se[32];

	memset(p, 0, sizeof(*p));
	if (check_key(k, e) == -1 || check_sas(s, false, e) == -1)
		return -1;
	if (s->resource != AZSIGN_BLOB)
		return err_set(e, ERR_BAD_PARAM, "a presigner signs blobs");
	sas_times(s, st, se);
	sas_to_sign(a, k, s, st, se, &head, &tail);
	p->head = xasprintf("%s/%s/", origin, s->container);
	p->headlen = strlen(p->head);
	p->prefix = xstrdup(s->name != NULL ? s->name : "");
	p->prefixlen = strlen(p->prefix);
	p->tail = xstrdup(tail);
	p->taillen = strlen(p->tail);
	p->query = xasprintf("?%s", sas_query(a, s, st, se, ""));
	p->querylen = strlen(p->query);
	crypto_hmac_init(&p->mac, k->key, k->keylen);
	crypto_hmac_update(&p->mac, head, strlen(head));
	crypto_hmac_update(&p->mac, "/", 1);
	return 0;
}

/* A base64 signature in a query: "+" and "=" encoded, "/" kept. */
static char *
sig_encode(char *out, const char *sig)
{
	for (; *sig != '\0'; sig++)
		if (*sig == '+' || *sig == '=') {
			*out++ = '%';
			*out++ = *sig == '+' ? '2' : '3';
			*out++ = *sig == '+' ? 'B' : 'D';
		} else
			*out++ = *sig;
	return out;
}

int
azsign_presigner_url(const struct azsign_presigner *p, const char *name,
    struct arena *a, const char **url, struct err *e)
{
	struct crypto_hmac m = p->mac;
	unsigned char	 mac[CRYPTO_SHA256_LEN];
	size_t		 n = strlen(name);
	char		*full, *u, *o, sig[SIG_LEN];

	full = arena_alloc(a, p->prefixlen + n + 1);
	memcpy(full, p->prefix, p->prefixlen);
	memcpy(full + p->prefixlen, name, n + 1);
	n += p->prefixlen;
	if (check_name(full, false, e) == -1)
		return -1;
	crypto_hmac_update(&m, full, n);
	crypto_hmac_update(&m, p->tail, p->taillen);
	crypto_hmac_final(&m, mac);
	b64_encode(mac, sizeof(mac), sig);
	u = arena_alloc(a, p->headlen + 3 * n + p->querylen + 3 * SIG_LEN);
	memcpy(u, p->head, p->headlen);
	o = str_pct_encode_to(u + p->headlen, full, n, "/");
	memcpy(o, p->query, p->querylen);
	o = sig_encode(o + p->querylen, sig);
	*o = '\0';
	*url = u;
	return 0;
}

void
azsign_presigner_wipe(struct azsign_presigner *p)
{
	free(p->head);
	free(p->prefix);
	free(p->tail);
	free(p->query);
	crypto_wipe(p, sizeof(*p));
}

void
azsign_http_date(int64_t t, char out[AZSIGN_DATE_LEN])
{
	static const char *const wday[7] = {
		"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"
	};
	static const char *const mon[12] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
		"Oct", "Nov", "Dec"
	};
	int64_t	 days = str_floor_div(t, 86400), y, sec = t - days * 86400;
	int	 m, d;

	str_civil(days, &y, &m, &d);
	snprintf(out, AZSIGN_DATE_LEN, "%s, %02d %s %04lld %02d:%02d:%02d GMT",
	    wday[days - str_floor_div(days, 7) * 7], d, mon[m - 1],
	    (long long)y, (int)(sec / 3600), (int)(sec / 60 % 60),
	    (int)(sec % 60));
}
