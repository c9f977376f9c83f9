/*
 * u-azsign.c: unit tests for src/azsign.c, Azure Shared Key and service
 * SAS:
 *  - every entry of signing-vectors/azure/azure-signing-vectors.json
 *    (made with the Python SDK, agreed by the npm SDK and Azurite):
 *    string to sign, token or Authorization value and SAS path, byte for
 *    byte;
 *  - extra known answers for awkward names, written out below;
 *  - bad keys, accounts, names and requests refused with an error;
 *  - properties: any input changes the signature, equivalent requests
 *    sign the same.
 * Vectors are read from $DS_SHARED_DIR/signing-vectors (default
 * $DS_SRC_DIR/../shared); without them those checks are skipped.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "azsign.h"
#include "err.h"
#include "strutil.h"
#include "tap.h"
#include "vectors.h"

static const char	*vdir;

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define MAXP		16

/* The public Azurite / dev-storage account and key. */
#define DEV_ACCOUNT	"devstoreaccount1"
#define DEV_KEY		"Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UV" \
			"ErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
/* The second Azurite account of LOCAL-SERVERS.md. */
#define DELTA_ACCOUNT	"deltaacct"
#define DELTA_KEY	"ZGVsdGEtc2hhcmluZy1henVyaXRlLXRlc3Qta2V5LTAxMjM0NTY3" \
			"ODlhYmNkZWY="

#define T_START		1704164645	/* 2024-01-02T03:04:05Z */
#define T_EXPIRY	1704168245	/* 2024-01-02T04:04:05Z */
#define XMS_DATE	"Tue, 02 Jan 2024 03:04:05 GMT"


/* A request with room for its parameters. */
struct rq {
	struct azsign_req	 r;
	struct azsign_param	 q[MAXP], h[MAXP];
};

static int64_t
jtime(struct json_object *o, const char *k)
{
	int64_t	 ms = 0;

	if (vectors_str(o, k) == NULL || str_parse_iso8601(vectors_str(o, k), &ms) == -1)
		return 0;
	return ms / 1000;
}

static void
rq_init(struct rq *rq, const char *method, const char *path)
{
	memset(rq, 0, sizeof(*rq));
	rq->r.method = method;
	rq->r.path = path;
	rq->r.query = rq->q;
	rq->r.headers = rq->h;
}

static void
rq_query(struct rq *rq, const char *name, const char *value)
{
	rq->q[rq->r.nquery].name = name;
	rq->q[rq->r.nquery++].value = value;
}

static void
rq_header(struct rq *rq, const char *name, const char *value)
{
	rq->h[rq->r.nheaders].name = name;
	rq->h[rq->r.nheaders++].value = value;
}

/* "scheme://host/path?a=1&b" into the path and raw (encoded) pairs. */
static void
rq_url(struct arena *a, struct rq *rq, const char *method, const char *url)
{
	const char	*p = strstr(url, "://"), *slash, *qm;
	char		*qs, *tok, *save, *eq;

	slash = strchr(p != NULL ? p + 3 : url, '/');
	qm = strchr(slash, '?');
	rq_init(rq, method, qm ? arena_strndup(a, slash, (size_t)(qm - slash)) :
	    slash);
	if (qm == NULL)
		return;
	qs = arena_strdup(a, qm + 1);
	for (tok = strtok_r(qs, "&", &save); tok != NULL && rq->r.nquery <
	    MAXP; tok = strtok_r(NULL, "&", &save)) {
		if ((eq = strchr(tok, '=')) != NULL)
			*eq++ = '\0';
		rq_query(rq, tok, eq != NULL ? eq : "");
	}
}

/* --- the shared vectors ------------------------------------------------- */

static void
vector_sas(struct arena *a, const struct azsign_key *k,
    struct json_object *x)
{
	struct azsign_sas s;
	struct azsign_signed out;
	struct err	 e;
	const char	*desc = vectors_str(x, "description"), *sr = vectors_str(x, "sr");
	const char	*want;
	int		 rc;

	memset(&s, 0, sizeof(s));
	if (sr == NULL)
		sr = "?";
	s.resource = strcmp(sr, "c") == 0 ? AZSIGN_CONTAINER :
	    strcmp(sr, "d") == 0 ? AZSIGN_DIRECTORY : AZSIGN_BLOB;
	s.container = vectors_str(x, "container") != NULL ? vectors_str(x, "container") :
	    vectors_str(x, "filesystem");
	s.name = vectors_str(x, "blob") != NULL ? vectors_str(x, "blob") : vectors_str(x, "path");
	s.permissions = vectors_str(x, "permission");
	s.start = jtime(x, "start");
	s.expiry = jtime(x, "expiry");
	s.protocol = vectors_str(x, "protocol");
	rc = azsign_sas(k, &s, a, &out, &e);
	is_str(vectors_str(x, "version"), AZSIGN_VERSION, "sas %s: version", desc);
	is_str(rc == 0 ? out.to_sign : e.msg, vectors_str(x, "string_to_sign"),
	    "sas %s: string to sign", desc);
	is_str(rc == 0 ? out.value : e.msg, vectors_str(x, "token"),
	    "sas %s: token", desc);
	if ((want = vectors_str(x, "url_path_encoded")) != NULL)
		is_str(rc == 0 ? out.path : e.msg, want, "sas %s: path", desc);
}

static void
vector_shared_key(struct arena *a, const struct azsign_key *k,
    struct json_object *x)
{
	struct json_object *hs;
	struct azsign_signed out;
	struct err	 e;
	struct rq	 rq;
	const char	*desc = vectors_str(x, "description");
	int		 rc;

	rq_url(a, &rq, vectors_str(x, "method"), vectors_str(x, "url"));
	json_object_object_get_ex(x, "headers", &hs);
	json_object_object_foreach(hs, name, v)
		if (rq.r.nheaders < MAXP)
			rq_header(&rq, name, json_object_get_string(v));
	rc = azsign_shared_key(k, &rq.r, a, &out, &e);
	is_str(rc == 0 ? out.to_sign : e.msg, vectors_str(x, "string_to_sign"),
	    "shared key %s: string to sign", desc);
	is_str(rc == 0 ? out.value : e.msg, vectors_str(x, "authorization"),
	    "shared key %s: authorization", desc);
}

static void
test_vectors(void)
{
	struct json_object *d = NULL, *arr;
	struct azsign_key k;
	struct arena	*a = arena_new();
	struct err	 e;
	const char	*path, *text;
	size_t		 i;

	path = arena_printf(a, "%s/azure/azure-signing-vectors.json", vdir);
	if ((text = vectors_slurp(a, path)) == NULL ||
	    (d = json_tokener_parse(text)) == NULL) {
		skip(1, "no Azure vectors in %s", path);
		goto out;
	}
	if (!ok(azsign_key_init(&k, vectors_str(d, "account"), vectors_str(d, "account_key"),
	    &e) == 0, "vectors: key decodes"))
		goto out;
	json_object_object_get_ex(d, "sas", &arr);
	ok(json_object_array_length(arr) >= 7, "vectors: %zu SAS entries",
	    json_object_array_length(arr));
	for (i = 0; i < json_object_array_length(arr); i++)
		vector_sas(a, &k, json_object_array_get_idx(arr, i));
	json_object_object_get_ex(d, "shared_key", &arr);
	ok(json_object_array_length(arr) >= 4, "vectors: %zu Shared Key "
	    "entries", json_object_array_length(arr));
	for (i = 0; i < json_object_array_length(arr); i++)
		vector_shared_key(a, &k, json_object_array_get_idx(arr, i));
	azsign_key_wipe(&k);
out:
	json_object_put(d);
	arena_free(a);
}

/* --- extra known answers ------------------------------------------------ */

/*
 * Made with Debian python3-azure-storage 20230112+git-1
 * (azure-storage-blob 12.15.0b1) through the shared helper, account
 * deltaacct and its key (LOCAL-SERVERS.md), e.g.:
 *   /usr/bin/python3 signing-vectors/scripts/azure_sas_python.py \
 *     --account deltaacct --key ZGVs...ZWY= blob-sas --container delta \
 *     --blob 'tbl/a b%c+d=e.parquet' --perm r \
 *     --start 2024-01-02T03:04:05Z --expiry 2024-01-02T04:04:05Z \
 *     --protocol https,http
 * and container-sas / shared-key --method M --url U --date D --header H.
 * The SDK's string to sign and token (and path of its printed URL) were
 * copied here unchanged.
 */
static const struct {
	const char		*desc;
	enum azsign_resource	 resource;
	const char		*container, *name, *perm;
	int64_t			 start, expiry;
	const char		*protocol;
	const char		*to_sign, *token, *path;
} extra_sas[] = {
	{ "space, %, +, =", AZSIGN_BLOB, "delta", "tbl/a b%c+d=e.parquet",
	  "r", T_START, T_EXPIRY, "https,http",
	  "r\n2024-01-02T03:04:05Z\n2024-01-02T04:04:05Z\n"
	  "/blob/deltaacct/delta/tbl/a b%c+d=e.parquet\n\n\nhttps,http\n"
	  "2021-12-02\nb\n\n\n\n\n\n\n",
	  "st=2024-01-02T03%3A04%3A05Z&se=2024-01-02T04%3A04%3A05Z&sp=r&"
	  "spr=https%2Chttp&sv=2021-12-02&sr=b&"
	  "sig=lANCFq82duUpJPaJGpAqbILwfJzkkJ0QFBpB/jYJLzQ%3D",
	  "/delta/tbl/a%20b%25c%2Bd%3De.parquet" },
	{ "\xc3\xbc, literal %2F, %25, across midnight", AZSIGN_BLOB,
	  "data-1", "tbl/\xc3\xbc/%2F/x=1+1 %25.parquet", "r",
	  1719791999, 1719792899, "https",	/* 2024-06-30T23:59:59Z */
	  "r\n2024-06-30T23:59:59Z\n2024-07-01T00:14:59Z\n"
	  "/blob/deltaacct/data-1/tbl/\xc3\xbc/%2F/x=1+1 %25.parquet\n\n\n"
	  "https\n2021-12-02\nb\n\n\n\n\n\n\n",
	  "st=2024-06-30T23%3A59%3A59Z&se=2024-07-01T00%3A14%3A59Z&sp=r&"
	  "spr=https&sv=2021-12-02&sr=b&"
	  "sig=eesNUkDPEAfjhC41RQNBoweonB8Cvdnaf4d/T4EDAYI%3D",
	  "/data-1/tbl/%C3%BC/%252F/x%3D1%2B1%20%2525.parquet" },
	{ "container, a week", AZSIGN_CONTAINER, "data-1", NULL, "rl",
	  T_START, 1704769445, NULL,		/* 2024-01-09T03:04:05Z */
	  "rl\n2024-01-02T03:04:05Z\n2024-01-09T03:04:05Z\n"
	  "/blob/deltaacct/data-1\n\n\n\n2021-12-02\nc\n\n\n\n\n\n\n",
	  "st=2024-01-02T03%3A04%3A05Z&se=2024-01-09T03%3A04%3A05Z&sp=rl&"
	  "sv=2021-12-02&sr=c&"
	  "sig=Lsxr0GODiw3jNLYHAqe519V5fUVt1/dLckfrcsBl7iM%3D",
	  "/data-1" },
};

static const struct {
	const char	*desc, *method, *url;
	const char	*headers[8][2];
	const char	*to_sign, *authorization;
} extra_sk[] = {
	{ "x-ms-range, awkward path-style name", "GET",
	  "http://127.0.0.1:10000/deltaacct/delta/"
	  "tbl/a%20b%25c%2Bd%3De%20%C3%BC.parquet",
	  { { "x-ms-date", XMS_DATE }, { "x-ms-version", "2021-12-02" },
	    { "x-ms-range", "bytes=100-199" } },
	  "GET\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:" XMS_DATE "\n"
	  "x-ms-range:bytes=100-199\nx-ms-version:2021-12-02\n"
	  "/deltaacct/deltaacct/delta/tbl/a%20b%25c%2Bd%3De%20%C3%BC.parquet",
	  "SharedKey deltaacct:vbSD+/cxWdBEXylaNih5DieKKLtOT6ND926pfJ/yw4M=" },
	{ "List Blobs, awkward prefix and marker", "GET",
	  "http://127.0.0.1:10000/deltaacct/delta?restype=container&comp=list&"
	  "prefix=tbl%2Fa%20b%2Bc%3D%25%C3%BC&marker=2%212%21MDAw&"
	  "maxresults=5000",
	  { { "x-ms-date", XMS_DATE }, { "x-ms-version", "2021-12-02" } },
	  "GET\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:" XMS_DATE "\n"
	  "x-ms-version:2021-12-02\n/deltaacct/deltaacct/delta\ncomp:list\n"
	  "marker:2!2!MDAw\nmaxresults:5000\nprefix:tbl/a b+c=%\xc3\xbc\n"
	  "restype:container",
	  "SharedKey deltaacct:NL+nd96CSd/yyTv0obfU1V1b3Y3v35h+Lg8CnwFT6tg=" },
	{ "HEAD, standard headers, account in host", "HEAD",
	  "https://deltaacct.blob.core.windows.net/delta/tbl/x%3D1/"
	  "part-0.parquet?snapshot=2024-01-02T03%3A04%3A05.0000000Z",
	  { { "x-ms-date", XMS_DATE }, { "x-ms-version", "2021-12-02" },
	    { "Content-Length", "0" },
	    { "If-None-Match", "\"0x8DC0B4A1B2C3D4E\"" },
	    { "If-Modified-Since", "Mon, 01 Jan 2024 00:00:00 GMT" },
	    { "Content-Type", "application/octet-stream" },
	    { "x-ms-client-request-id",
	      "0f8fad5b-d9cb-469f-a165-70867728950e" } },
	  "HEAD\n\n\n\n\napplication/octet-stream\n\n"
	  "Mon, 01 Jan 2024 00:00:00 GMT\n\n\"0x8DC0B4A1B2C3D4E\"\n\n\n"
	  "x-ms-client-request-id:0f8fad5b-d9cb-469f-a165-70867728950e\n"
	  "x-ms-date:" XMS_DATE "\nx-ms-version:2021-12-02\n"
	  "/deltaacct/delta/tbl/x%3D1/part-0.parquet\n"
	  "snapshot:2024-01-02T03:04:05.0000000Z",
	  "SharedKey deltaacct:9YRkZAG2HeHrWeBIl42adOx2RnA8gXtt5plH3Ttdswg=" },
};

static void
test_extra(void)
{
	struct arena	*a = arena_new();
	struct azsign_key k;
	struct azsign_sas s;
	struct azsign_signed out;
	struct err	 e;
	struct rq	 rq;
	size_t		 i, j;
	int		 rc;

	if (!ok(azsign_key_init(&k, DELTA_ACCOUNT, DELTA_KEY, &e) == 0,
	    "extra: deltaacct key"))
		goto out;
	for (i = 0; i < NELEM(extra_sas); i++) {
		memset(&s, 0, sizeof(s));
		s.resource = extra_sas[i].resource;
		s.container = extra_sas[i].container;
		s.name = extra_sas[i].name;
		s.permissions = extra_sas[i].perm;
		s.start = extra_sas[i].start;
		s.expiry = extra_sas[i].expiry;
		s.protocol = extra_sas[i].protocol;
		rc = azsign_sas(&k, &s, a, &out, &e);
		is_str(rc == 0 ? out.to_sign : e.msg, extra_sas[i].to_sign,
		    "extra sas %s: string to sign", extra_sas[i].desc);
		is_str(rc == 0 ? out.value : e.msg, extra_sas[i].token,
		    "extra sas %s: token", extra_sas[i].desc);
		is_str(rc == 0 ? out.path : e.msg, extra_sas[i].path,
		    "extra sas %s: path", extra_sas[i].desc);
	}
	for (i = 0; i < NELEM(extra_sk); i++) {
		rq_url(a, &rq, extra_sk[i].method, extra_sk[i].url);
		for (j = 0; j < 8 && extra_sk[i].headers[j][0] != NULL; j++)
			rq_header(&rq, extra_sk[i].headers[j][0],
			    extra_sk[i].headers[j][1]);
		rc = azsign_shared_key(&k, &rq.r, a, &out, &e);
		is_str(rc == 0 ? out.to_sign : e.msg, extra_sk[i].to_sign,
		    "extra shared key %s: string to sign", extra_sk[i].desc);
		is_str(rc == 0 ? out.value : e.msg, extra_sk[i].authorization,
		    "extra shared key %s: authorization", extra_sk[i].desc);
	}
	azsign_key_wipe(&k);
out:
	arena_free(a);
}

/* --- keys and accounts -------------------------------------------------- */

static void
test_keys(void)
{
	static const char *const bad_keys[] = {
		"", "YQ", "YQ=", "YQ===", "====", "=YQ=", "Y=Q=", "YR==",
		"YWI=YQ==", "YW J", "YQ== ", " YQ==", "YQ==\n", "YW-_",
		"Y\xc3\xbcQ=", "!!!!",
	};
	static const char *const bad_accounts[] = {
		"", "ab", "Devstoreaccount1", "dev-store", "dev_store",
		"dev store", "dev\nstore", "abcdefghijklmnopqrstuvwxy",
		"devst\xc3\xb6re",
	};
	struct azsign_key k;
	struct err	 e;
	char		 big[AZSIGN_KEY_MAX / 3 * 4 + 8];
	size_t		 i;
	int		 rc;

	is_int(azsign_key_init(&k, "abc", "YQ==", &e), 0, "key 'a'");
	ok(k.keylen == 1 && k.key[0] == 'a' && strcmp(k.account, "abc") == 0,
	    "key and account stored");
	is_int(azsign_key_init(&k, "abcdefghijklmnopqrstuvwx", "YWJj", &e), 0,
	    "24-character account, unpadded 3 bytes");
	ok(k.keylen == 3 && memcmp(k.key, "abc", 3) == 0, "key 'abc'");
	is_int(azsign_key_init(&k, "abc", "YWI=", &e), 0, "one '='");
	ok(k.keylen == 2 && memcmp(k.key, "ab", 2) == 0, "key 'ab'");
	is_int(azsign_key_init(&k, "abc", "+/+/", &e), 0, "'+' and '/'");
	ok(k.keylen == 3 && k.key[0] == 0xfb && k.key[1] == 0xff &&
	    k.key[2] == 0xbf, "binary key");
	is_int(azsign_key_init(&k, DEV_ACCOUNT, DEV_KEY, &e), 0, "dev key");
	is_int(k.keylen, 64, "an Azure key is 64 bytes");
	azsign_key_wipe(&k);
	ok(k.keylen == 0 && k.account[0] == '\0' && k.key[0] == 0 &&
	    k.key[63] == 0, "wipe zeroes the key");
	for (i = 0; i < NELEM(bad_keys); i++) {
		rc = azsign_key_init(&k, "abc", bad_keys[i], &e);
		ok(rc == -1 && e.kind == ERR_BAD_PARAM && k.keylen == 0 &&
		    strstr(e.msg, bad_keys[i][0] ? bad_keys[i] : "\x01") ==
		    NULL, "bad key %zu refused, not echoed", i);
	}
	ok(azsign_key_init(&k, "abc", NULL, &e) == -1, "NULL key refused");
	memset(big, 'A', sizeof(big) - 1);
	big[AZSIGN_KEY_MAX / 3 * 4] = '\0';
	ok(azsign_key_init(&k, "abc", big, &e) == 0 && k.keylen ==
	    AZSIGN_KEY_MAX / 3 * 3, "key of %d bytes", AZSIGN_KEY_MAX / 3 * 3);
	memset(big, 'A', sizeof(big) - 1);
	big[AZSIGN_KEY_MAX / 3 * 4 + 4] = '\0';
	ok(azsign_key_init(&k, "abc", big, &e) == -1 && k.keylen == 0,
	    "key over %d bytes refused", AZSIGN_KEY_MAX);
	for (i = 0; i < NELEM(bad_accounts); i++)
		ok(azsign_key_init(&k, bad_accounts[i], "YQ==", &e) == -1 &&
		    e.kind == ERR_BAD_PARAM && k.keylen == 0,
		    "bad account %zu refused", i);
	ok(azsign_key_init(&k, NULL, "YQ==", &e) == -1, "NULL account");
}

/* --- SAS: bad input and properties ------------------------------------- */

static void
sas_base(struct azsign_sas *s)
{
	memset(s, 0, sizeof(*s));
	s->resource = AZSIGN_BLOB;
	s->container = "delta";
	s->name = "tbl/part-0.parquet";
	s->permissions = "r";
	s->start = T_START;
	s->expiry = T_EXPIRY;
}

/* Sign s, or return the error text. */
static const char *
sas_sig(struct arena *a, const struct azsign_key *k,
    const struct azsign_sas *s)
{
	struct azsign_signed out;
	struct err	 e;

	if (azsign_sas(k, s, a, &out, &e) == -1)
		return arena_printf(a, "error: %s", e.msg);
	return strstr(out.value, "sig=");
}

static bool
sas_fails(struct arena *a, const struct azsign_key *k,
    const struct azsign_sas *s)
{
	struct azsign_signed out;
	struct err	 e;

	e.kind = ERR_NONE;
	return azsign_sas(k, s, a, &out, &e) == -1 &&
	    e.kind == ERR_BAD_PARAM && out.value == NULL;
}

static char *
repeat(struct arena *a, const char *unit, size_t n, const char *sep)
{
	size_t	 ul = strlen(unit), sl = strlen(sep), i;
	char	*s = arena_alloc(a, n * (ul + sl) + 1), *p = s;

	for (i = 0; i < n; i++) {
		memcpy(p, unit, ul);
		p += ul;
		if (i + 1 < n) {
			memcpy(p, sep, sl);
			p += sl;
		}
	}
	*p = '\0';
	return s;
}

static void
test_sas_bad(struct arena *a, const struct azsign_key *k)
{
	static const char *const bad_names[] = {
		"", "a\001b", "a\nb", "a\rb", "a\tb", "a\x7f", "\xff\xfe",
		"a\xc3", "\xc0\xaf", "\xed\xa0\x80",
	};
	static const char *const bad_containers[] = {
		"", "ab", "Delta", "a--b", "-ab", "ab-", "de/lta", "de lta",
		"delta\n", "$other",
		"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl",
	};
	static const char *const bad_perms[] = {
		"", "w", "rw", "lr", "rr", "l", "rl", "racwd", "R",
	};
	struct azsign_sas s;
	struct azsign_key none;
	size_t		 i;

	for (i = 0; i < NELEM(bad_names); i++) {
		sas_base(&s);
		s.name = bad_names[i];
		ok(sas_fails(a, k, &s), "bad blob name %zu refused", i);
	}
	sas_base(&s);
	s.name = NULL;
	ok(sas_fails(a, k, &s), "NULL blob name refused");
	s.name = repeat(a, "a", AZSIGN_NAME_MAX + 1, "");
	ok(sas_fails(a, k, &s), "name of %d characters refused",
	    AZSIGN_NAME_MAX + 1);
	s.name = repeat(a, "a", 100000, "");
	ok(sas_fails(a, k, &s), "name of 100000 characters refused");
	s.name = repeat(a, "\xc3\xbc", AZSIGN_NAME_MAX + 1, "");
	ok(sas_fails(a, k, &s), "%d 2-byte characters refused",
	    AZSIGN_NAME_MAX + 1);
	s.name = repeat(a, "a", AZSIGN_SEGMENTS_MAX + 1, "/");
	ok(sas_fails(a, k, &s), "%d segments refused",
	    AZSIGN_SEGMENTS_MAX + 1);
	for (i = 0; i < NELEM(bad_containers); i++) {
		sas_base(&s);
		s.container = bad_containers[i];
		ok(sas_fails(a, k, &s), "bad container %zu refused", i);
	}
	s.container = NULL;
	ok(sas_fails(a, k, &s), "NULL container refused");
	for (i = 0; i < NELEM(bad_perms); i++) {
		sas_base(&s);
		s.permissions = bad_perms[i];
		ok(sas_fails(a, k, &s), "blob permission '%s' refused",
		    bad_perms[i]);
	}
	sas_base(&s);
	s.resource = AZSIGN_CONTAINER;
	s.permissions = "rw";
	ok(sas_fails(a, k, &s), "container 'rw' refused");
	s.permissions = "rl";
	ok(sas_fails(a, k, &s), "container SAS with a blob name refused");
	s.name = NULL;
	ok(!sas_fails(a, k, &s), "container SAS 'rl'");
	s.resource = AZSIGN__MAX;
	ok(sas_fails(a, k, &s), "bad resource type refused");
	sas_base(&s);
	s.resource = AZSIGN_DIRECTORY;
	s.permissions = "rl";
	s.name = "/tbl";
	ok(sas_fails(a, k, &s), "directory with leading '/' refused");
	s.name = "tbl/";
	ok(sas_fails(a, k, &s), "directory with trailing '/' refused");
	s.name = "tbl//x";
	ok(sas_fails(a, k, &s), "directory with '//' refused");
	sas_base(&s);
	s.expiry = s.start;
	ok(sas_fails(a, k, &s), "expiry at start refused");
	s.expiry = s.start - 1;
	ok(sas_fails(a, k, &s), "expiry before start refused");
	s.start = 0;
	s.expiry = 0;
	ok(sas_fails(a, k, &s), "no expiry refused");
	s.start = -1;
	s.expiry = T_EXPIRY;
	ok(sas_fails(a, k, &s), "negative start refused");
	s.start = 0;
	s.expiry = AZSIGN_TIME_MAX + 1;
	ok(sas_fails(a, k, &s), "expiry after year 9999 refused");
	s.expiry = INT64_MAX;
	ok(sas_fails(a, k, &s), "expiry INT64_MAX refused");
	sas_base(&s);
	s.protocol = "http";
	ok(sas_fails(a, k, &s), "protocol http refused");
	s.protocol = "HTTPS";
	ok(sas_fails(a, k, &s), "protocol HTTPS refused");
	sas_base(&s);
	memset(&none, 0, sizeof(none));
	ok(sas_fails(a, &none, &s), "unset key refused");
	ok(sas_fails(a, NULL, &s), "NULL key refused");
}

static void
test_sas_properties(struct arena *a, const struct azsign_key *k,
    const struct azsign_key *k2)
{
	struct azsign_sas s;
	struct azsign_signed out;
	struct err	 e;
	const char	*sig[12];
	size_t		 n = 0, i, j;
	bool		 distinct = true;

	sas_base(&s);
	sig[n++] = sas_sig(a, k, &s);
	sig[n++] = sas_sig(a, k2, &s);
	s.container = "delta2";
	sig[n++] = sas_sig(a, k, &s);
	sas_base(&s);
	s.name = "tbl/part-1.parquet";
	sig[n++] = sas_sig(a, k, &s);
	s.name = "tbl/part-0.parquet ";
	sig[n++] = sas_sig(a, k, &s);
	sas_base(&s);
	s.start++;
	sig[n++] = sas_sig(a, k, &s);
	s.start = 0;
	sig[n++] = sas_sig(a, k, &s);
	sas_base(&s);
	s.expiry++;
	sig[n++] = sas_sig(a, k, &s);
	sas_base(&s);
	s.protocol = "https";
	sig[n++] = sas_sig(a, k, &s);
	s.protocol = "https,http";
	sig[n++] = sas_sig(a, k, &s);
	sas_base(&s);
	s.resource = AZSIGN_DIRECTORY;
	s.name = "tbl";
	sig[n++] = sas_sig(a, k, &s);
	s.permissions = "rl";
	sig[n++] = sas_sig(a, k, &s);
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (strcmp(sig[i], sig[j]) == 0) {
				diag("%zu and %zu: %s", i, j, sig[i]);
				distinct = false;
			}
	ok(distinct, "each SAS input changes the signature (%zu)", n);
	ok(strncmp(sig[0], "sig=", 4) == 0 && strlen(sig[0]) > 40,
	    "signatures, not errors");

	sas_base(&s);
	s.start = 0;
	ok(azsign_sas(k, &s, a, &out, &e) == 0 && strncmp(out.value,
	    "se=2024-01-02T04%3A04%3A05Z&sp=r&sv=", 36) == 0 &&
	    strncmp(out.to_sign, "r\n\n2024-01-02T04:04:05Z\n", 24) == 0,
	    "no start: no st, empty line");
	sas_base(&s);
	s.resource = AZSIGN_DIRECTORY;
	s.name = "a/b/c d";
	ok(azsign_sas(k, &s, a, &out, &e) == 0 && strstr(out.value,
	    "&sr=d&sdd=3&sig=") != NULL && strcmp(out.path, "/delta/a/b/c%20d")
	    == 0, "directory depth 3");
	s.resource = AZSIGN_BLOB;
	s.name = repeat(a, "\xc3\xbc", AZSIGN_NAME_MAX, "");
	ok(azsign_sas(k, &s, a, &out, &e) == 0, "name of %d 2-byte "
	    "characters", AZSIGN_NAME_MAX);
	s.name = repeat(a, "a", AZSIGN_SEGMENTS_MAX, "/");
	ok(azsign_sas(k, &s, a, &out, &e) == 0, "%d segments",
	    AZSIGN_SEGMENTS_MAX);
	s.name = "/lead//double/trail/.";
	ok(azsign_sas(k, &s, a, &out, &e) == 0 && strcmp(out.path,
	    "/delta//lead//double/trail/.") == 0, "odd but valid blob name");
	s.container = "$root";
	s.name = "x";
	ok(azsign_sas(k, &s, a, &out, &e) == 0 && strcmp(out.path,
	    "/$root/x") == 0, "$root container");
	s.container = "delta";
	s.start = 0;
	s.expiry = AZSIGN_TIME_MAX;
	ok(azsign_sas(k, &s, a, &out, &e) == 0 && strstr(out.value,
	    "se=9999-12-31T23%3A59%3A59Z&") != NULL, "expiry at year 9999");
	s.expiry = 1709208000;
	ok(azsign_sas(k, &s, a, &out, &e) == 0 && strstr(out.value,
	    "se=2024-02-29T12%3A00%3A00Z&") != NULL, "leap day");
}

/* --- SAS presigner ------------------------------------------------------ */

/*
 * A presigner's URL is azsign_sas()'s for the whole name, whatever part
 * of it is the prefix, and it refuses the names azsign_sas() refuses.
 */
static void
test_presigner(struct arena *a, const struct azsign_key *k)
{
	static const char *const names[] = {
		"tbl/part-0.parquet", "a b+c=d&e?f#g%h", "caf\xc3\xa9/\xe2\x82\xac",
		"date=2024-01-07/part-00042.c000.snappy.parquet", "x",
		"dir//double/./dot/../x", "~tilde_under-dash.",
	};
	static const char *const bad[] = {
		"ctl\x01name", "bad\xffutf8", "del\x7f",
	};
	struct azsign_presigner p;
	struct azsign_sas s;
	struct azsign_signed out;
	struct err	 e;
	const char	*url, *want;
	char		 pre[64], *big;
	size_t		 i, cut;

	for (i = 0; i < NELEM(names); i++)
		for (cut = 0; cut <= strlen(names[i]); cut++) {
			sas_base(&s);
			s.protocol = cut % 2 ? "https" : NULL;
			s.start = cut % 3 ? T_START : 0;
			s.name = names[i];
			if (azsign_sas(k, &s, a, &out, &e) == -1)
				bail_out("azsign_sas: %s", e.msg);
			want = arena_printf(a, "https://h%s?%s", out.path,
			    out.value);
			snprintf(pre, sizeof(pre), "%.*s", (int)cut, names[i]);
			s.name = cut ? pre : NULL;
			url = NULL;
			if (azsign_presigner_init(&p, k, &s, "https://h", a,
			    &e) == 0)
				azsign_presigner_url(&p, names[i] + cut, a,
				    &url, &e);
			azsign_presigner_wipe(&p);
			if (!is_str(url, want, "presigner: name %zu, prefix of "
			    "%zu bytes", i, cut))
				return;
		}
	sas_base(&s);
	s.name = "pre/";
	if (azsign_presigner_init(&p, k, &s, "", a, &e) == -1)
		bail_out("presigner: %s", e.msg);
	for (i = 0; i < NELEM(bad); i++)
		ok(azsign_presigner_url(&p, bad[i], a, &url, &e) == -1 &&
		    e.kind == ERR_BAD_PARAM, "presigner refuses bad name %zu",
		    i);
	/* Controls anywhere among 20 bytes (eight at a time, then one). */
	for (i = 0; i < 20; i++) {
		static const char ctl[] = "\x01\x1f\x7f\t";
		char	 n[21];
		size_t	 j;

		for (j = 0; j < sizeof(ctl) - 1; j++) {
			memset(n, ' ' + (int)j, 20);
			n[20] = '\0';
			n[i] = ctl[j];
			if (!ok(azsign_presigner_url(&p, n, a, &url, &e) == -1,
			    "presigner refuses control %#x at %zu",
			    (unsigned)(unsigned char)ctl[j], i))
				break;
		}
		memset(n, '~', 20);
		n[20] = '\0';
		n[i] = ' ';
		ok(azsign_presigner_url(&p, arena_printf(a, "%.*s\xc3\xa9%s",
		    (int)i, n, n + i), a, &url, &e) == 0,
		    "presigner takes ' ', '~' and U+00E9 at %zu", i);
	}
	big = arena_alloc(a, 2 * AZSIGN_NAME_MAX);
	memset(big, 'a', AZSIGN_NAME_MAX - 4);
	big[AZSIGN_NAME_MAX - 4] = '\0';
	ok(azsign_presigner_url(&p, big, a, &url, &e) == 0,
	    "presigner: a name of %d characters with its prefix",
	    AZSIGN_NAME_MAX);
	strcat(big, "b");
	ok(azsign_presigner_url(&p, big, a, &url, &e) == -1,
	    "presigner: one character more is refused");
	for (i = 0; i < AZSIGN_SEGMENTS_MAX; i++)
		memcpy(big + 2 * i, "a/", 2);
	big[2 * i - 1] = '\0';
	ok(azsign_presigner_url(&p, big, a, &url, &e) == -1,
	    "presigner: %d segments with its prefix are refused",
	    AZSIGN_SEGMENTS_MAX + 1);
	azsign_presigner_wipe(&p);
	ok(p.head == NULL && p.headlen == 0, "presigner wiped");
	sas_base(&s);
	s.resource = AZSIGN_CONTAINER;
	s.name = NULL;
	ok(azsign_presigner_init(&p, k, &s, "", a, &e) == -1,
	    "presigner: blobs only");
	azsign_presigner_wipe(&p);
	sas_base(&s);
	s.permissions = "rw";
	ok(azsign_presigner_init(&p, k, &s, "", a, &e) == -1,
	    "presigner: read only");
	azsign_presigner_wipe(&p);
}

/* --- Shared Key: bad input and properties ------------------------------- */

static void
sk_base(struct rq *rq)
{
	rq_init(rq, "GET", "/delta/tbl/part%200.parquet");
	rq_query(rq, "comp", "list");
	rq_query(rq, "prefix", "tbl%2F");
	rq_header(rq, "x-ms-date", XMS_DATE);
	rq_header(rq, "x-ms-version", "2021-12-02");
	rq_header(rq, "If-Match", "\"0x1\"");
}

static const char *
sk_sign(struct arena *a, const struct azsign_key *k, const struct rq *rq,
    const char **to_sign)
{
	struct azsign_signed out;
	struct err	 e;

	if (azsign_shared_key(k, &rq->r, a, &out, &e) == -1) {
		if (to_sign != NULL)
			*to_sign = "";
		return arena_printf(a, "error: %s", e.msg);
	}
	if (to_sign != NULL)
		*to_sign = out.to_sign;
	return out.value;
}

static bool
sk_fails(struct arena *a, const struct azsign_key *k, const struct rq *rq)
{
	struct azsign_signed out;
	struct err	 e;

	e.kind = ERR_NONE;
	return azsign_shared_key(k, &rq->r, a, &out, &e) == -1 &&
	    e.kind == ERR_BAD_PARAM && out.value == NULL && out.to_sign == NULL;
}

static void
test_sk_bad(struct arena *a, const struct azsign_key *k)
{
	static const char *const bad_methods[] = { "", "get", "G ET", "GET\n" };
	static const char *const bad_paths[] = {
		"", "delta/x", "/a b", "/a%zz", "/a%2", "/a%", "/a?b", "/a#b",
		"/a\n", "/\xc3\xbc", "/a\x7f",
	};
	static const char *const bad_values[] = { "%zz", "%00", "%0A", "a%" };
	struct rq	 rq;
	size_t		 i;

	for (i = 0; i < NELEM(bad_methods); i++) {
		sk_base(&rq);
		rq.r.method = bad_methods[i];
		ok(sk_fails(a, k, &rq), "bad method %zu refused", i);
	}
	for (i = 0; i < NELEM(bad_paths); i++) {
		sk_base(&rq);
		rq.r.path = bad_paths[i];
		ok(sk_fails(a, k, &rq), "bad path %zu refused", i);
	}
	sk_base(&rq);
	rq.r.path = NULL;
	ok(sk_fails(a, k, &rq), "NULL path refused");
	for (i = 0; i < NELEM(bad_values); i++) {
		sk_base(&rq);
		rq_query(&rq, "marker", bad_values[i]);
		ok(sk_fails(a, k, &rq), "bad query value %zu refused", i);
	}
	sk_base(&rq);
	rq_query(&rq, "", "x");
	ok(sk_fails(a, k, &rq), "empty query name refused");
	sk_base(&rq);
	rq_query(&rq, "%00a", "x");
	ok(sk_fails(a, k, &rq), "NUL in a query name refused");
	sk_base(&rq);
	rq_query(&rq, "a", NULL);
	ok(sk_fails(a, k, &rq), "NULL query value refused");
	sk_base(&rq);
	rq_header(&rq, "X-MS-DATE", XMS_DATE);
	ok(sk_fails(a, k, &rq), "x-ms-date twice refused");
	sk_base(&rq);
	rq_header(&rq, "if-match", "\"0x2\"");
	ok(sk_fails(a, k, &rq), "If-Match twice refused");
	sk_base(&rq);
	rq_header(&rq, "x-ms-meta_a", "1");
	ok(sk_fails(a, k, &rq), "'_' in an x-ms name refused");
	sk_base(&rq);
	rq_header(&rq, "x-ms-meta-a", "  ");
	ok(sk_fails(a, k, &rq), "empty x-ms value refused");
	sk_base(&rq);
	rq_header(&rq, "x-ms-meta-a", "1\r\nx-ms-meta-b: 2");
	ok(sk_fails(a, k, &rq), "CRLF in an x-ms value refused");
	sk_base(&rq);
	rq_header(&rq, "Range", "bytes=0-1\n");
	ok(sk_fails(a, k, &rq), "LF in a standard value refused");
	sk_base(&rq);
	rq_header(&rq, NULL, "x");
	ok(sk_fails(a, k, &rq), "NULL header name refused");
	rq_init(&rq, "GET", "/delta");
	rq_header(&rq, "x-ms-version", "2021-12-02");
	ok(sk_fails(a, k, &rq), "no date refused");
	rq_header(&rq, "date", XMS_DATE);
	ok(!sk_fails(a, k, &rq), "Date instead of x-ms-date");
	sk_base(&rq);
	ok(sk_fails(a, NULL, &rq), "NULL key refused");
}

static void
test_sk_properties(struct arena *a, const struct azsign_key *k,
    const struct azsign_key *k2, const struct azsign_key *k3)
{
	struct rq	 rq;
	const char	*sig[12], *base, *ts, *t2;
	size_t		 n = 0, i, j, lines;
	bool		 distinct = true;

	sk_base(&rq);
	base = sig[n++] = sk_sign(a, k, &rq, &ts);
	sig[n++] = sk_sign(a, k2, &rq, NULL);
	sig[n++] = sk_sign(a, k3, &rq, NULL);	/* same key, other account */
	rq.r.method = "HEAD";
	sig[n++] = sk_sign(a, k, &rq, NULL);
	sk_base(&rq);
	rq.r.path = "/delta/tbl/part%201.parquet";
	sig[n++] = sk_sign(a, k, &rq, NULL);
	rq.r.path = "/delta/tbl/part%2520.parquet";
	sig[n++] = sk_sign(a, k, &rq, NULL);
	sk_base(&rq);
	rq.q[1].value = "tbl%2Fx";
	sig[n++] = sk_sign(a, k, &rq, NULL);
	sk_base(&rq);
	rq.q[1].name = "prefiy";
	sig[n++] = sk_sign(a, k, &rq, NULL);
	sk_base(&rq);
	rq.h[1].value = "2021-08-06";
	sig[n++] = sk_sign(a, k, &rq, NULL);
	sk_base(&rq);
	rq.h[2].value = "\"0x2\"";
	sig[n++] = sk_sign(a, k, &rq, NULL);
	sk_base(&rq);
	rq_header(&rq, "x-ms-range", "bytes=0-9");
	sig[n++] = sk_sign(a, k, &rq, NULL);
	sk_base(&rq);
	rq.h[2].name = "If-None-Match";
	sig[n++] = sk_sign(a, k, &rq, NULL);
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (strcmp(sig[i], sig[j]) == 0) {
				diag("%zu and %zu: %s", i, j, sig[i]);
				distinct = false;
			}
	ok(distinct, "each Shared Key input changes the signature (%zu)", n);
	ok(strncmp(base, "SharedKey deltaacct:", 20) == 0 && strlen(base) ==
	    20 + 44, "Authorization form");

	/* Equivalent requests sign the same. */
	rq_init(&rq, "GET", "/delta/tbl/part%200.parquet");
	rq_header(&rq, "User-Agent", "deltashare");
	rq_header(&rq, "If-Match", " \"0x1\"\t");
	rq_header(&rq, "X-Ms-Version", "2021-12-02");
	rq_header(&rq, "Host", "deltaacct.blob.core.windows.net");
	rq_query(&rq, "Prefix", "tbl%2f");
	rq_header(&rq, "x-MS-date", XMS_DATE);
	rq_header(&rq, "Content-Length", "0");
	rq_query(&rq, "comp", "list");
	is_str(sk_sign(a, k, &rq, &t2), base, "order, case, blanks, "
	    "unsigned headers, Content-Length 0 and %%2f do not matter");
	is_str(t2, ts, "same string to sign");

	/* Content-Length other than 0 and Range fill their lines. */
	sk_base(&rq);
	rq_header(&rq, "Content-Length", "12");
	rq_header(&rq, "range", "bytes=0-99");
	sk_sign(a, k, &rq, &ts);
	for (i = 0, lines = 0; ts[i] != '\0' && lines < 12; i++)
		if (ts[i] == '\n')
			lines++;
	ok(strncmp(ts, "GET\n\n\n12\n", 9) == 0 && strncmp(ts + i - 12,
	    "\nbytes=0-99\n", 12) == 0, "Content-Length line 4, Range line 12");

	/* A repeated query name: one line, values sorted (REST docs). */
	rq_init(&rq, "GET", "/delta");
	rq_header(&rq, "x-ms-date", XMS_DATE);
	rq_query(&rq, "b", "2");
	rq_query(&rq, "a", "z");
	rq_query(&rq, "B", "1");
	rq_query(&rq, "c", "");
	sk_sign(a, k, &rq, &ts);
	ok(strstr(ts, "/deltaacct/delta\na:z\nb:1,2\nc:") != NULL &&
	    ts[strlen(ts) - 1] == ':', "repeated names merged, empty value");

	/* The path is signed as sent: no decoding, no normalisation. */
	rq_init(&rq, "GET", "/delta/./a//b%2Fc%2fd");
	rq_header(&rq, "x-ms-date", XMS_DATE);
	sk_sign(a, k, &rq, &ts);
	ok(strstr(ts, "\n/deltaacct/delta/./a//b%2Fc%2fd") != NULL &&
	    ts[strlen(ts) - 1] == 'd', "path kept as sent");
}

static void
test_http_date(void)
{
	static const struct {
		int64_t		 t;
		const char	*want;
	} cases[] = {
		{ 0, "Thu, 01 Jan 1970 00:00:00 GMT" },
		{ T_START, XMS_DATE },
		{ 1709208000, "Thu, 29 Feb 2024 12:00:00 GMT" },
		{ 1719791999, "Sun, 30 Jun 2024 23:59:59 GMT" },
		{ 951782400, "Tue, 29 Feb 2000 00:00:00 GMT" },
		{ AZSIGN_TIME_MAX, "Fri, 31 Dec 9999 23:59:59 GMT" },
	};
	char	 out[AZSIGN_DATE_LEN];
	size_t	 i;

	for (i = 0; i < NELEM(cases); i++) {
		azsign_http_date(cases[i].t, out);
		is_str(out, cases[i].want, "http date %lld",
		    (long long)cases[i].t);
	}
}

int
main(void)
{
	struct azsign_key k, k2, k3;
	struct arena	*a = arena_new();
	struct err	 e;

	vdir = vectors_dir();
	if (azsign_key_init(&k, DELTA_ACCOUNT, DELTA_KEY, &e) == -1 ||
	    azsign_key_init(&k2, DELTA_ACCOUNT, DEV_KEY, &e) == -1 ||
	    azsign_key_init(&k3, "deltaacc2", DELTA_KEY, &e) == -1)
		bail_out("test keys: %s", e.msg);
	test_vectors();
	test_extra();
	test_keys();
	test_sas_bad(a, &k);
	test_sas_properties(a, &k, &k2);
	test_presigner(a, &k);
	test_sk_bad(a, &k);
	test_sk_properties(a, &k, &k2, &k3);
	test_http_date();
	azsign_key_wipe(&k);
	azsign_key_wipe(&k2);
	azsign_key_wipe(&k3);
	arena_free(a);
	return done_testing();
}
