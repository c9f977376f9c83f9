/*
 * sign-url.c: sign URLs with the library's three signers, for the
 * differential test t0960 (t/helper/sign-crosscheck.py compares what it
 * prints with botocore, the Azure SDK and google-auth).
 *
 *	sign-url <requests
 *
 * One JSON object a line on stdin; one line out for each, the signed
 * URL or "error: MESSAGE".  Times are epoch seconds; null is absent.
 *
 *	{"kind": "s3", "access_key", "secret_key", "session_token",
 *	 "region", "endpoint": "http://127.0.0.1:7480" or null (AWS),
 *	 "path_style", "bucket", "key", "now", "expires"}
 *	{"kind": "azure", "account", "key_b64", "endpoint" (null: the
 *	 account's own), "container", "blob", "expiry", "start" (0 or
 *	 absent: none), "protocol": null, "https" or "https,http"}
 *	{"kind": "gcs", "sa_json_path" (a service account key file; null:
 *	 the HMAC key "hmac_id", "hmac_secret"), "endpoint", "style":
 *	 "path" (default), "virtual" or "bound", "region" (null: "auto"),
 *	 "sign_port" (default true, as src/storage_gcs.c signs), "bucket",
 *	 "object", "now", "expires"}
 *
 * An S3 URL is the S3 backend's own (storage_presign() on "s3://bucket"
 * with the credential: no endpoint is AWS's, virtual-hosted unless
 * path_style or a dotted bucket); an Azure URL is put together as
 * src/storage_az.c does (endpoints parsed by storage_obj.c), with the
 * start and protocol the request asks for; a GCS URL is gcsign_url()'s.  Exit status 0, or 1 when a
 * line is longer than LINE_MAX_BYTES (it is answered with an error too).
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "azsign.h"
#include "buf.h"
#include "cred.h"
#include "crypto.h"
#include "err.h"
#include "gcsign.h"
#include "jsonu.h"
#include "storage.h"
#include "storage_obj.h"

#define LINE_MAX_BYTES	(1u << 20)
#define FILE_MAX_BYTES	(1u << 20)
#define T_MIN		(-(INT64_C(1) << 40))
#define T_MAX		(INT64_C(1) << 40)

/* Through the S3 backend itself: storage_s3.c picks host and path. */
static int
sign_s3(struct arena *a, struct json_object *o, const char **url,
    struct err *e)
{
	struct cred	 c;
	struct storage	*st;
	const char	*bucket = NULL, *key = NULL;
	bool		 path_style = false, have = false;
	int64_t		 now = 0, expires = 0;
	int		 rc;

	memset(&c, 0, sizeof(c));
	c.kind = CRED_S3;
	if (jsonu_get_str(o, "access_key", true, &c.access_key, e) == -1 ||
	    jsonu_get_str(o, "secret_key", true, &c.secret_key, e) == -1 ||
	    jsonu_get_str(o, "session_token", false, &c.session_token,
	    e) == -1 ||
	    jsonu_get_str(o, "region", false, &c.region, e) == -1 ||
	    jsonu_get_str(o, "endpoint", false, &c.endpoint, e) == -1 ||
	    jsonu_get_bool(o, "path_style", false, &path_style, &have,
	    e) == -1 ||
	    jsonu_get_str(o, "bucket", true, &bucket, e) == -1 ||
	    jsonu_get_str(o, "key", true, &key, e) == -1 ||
	    jsonu_get_i64(o, "now", true, T_MIN, T_MAX, &now, NULL,
	    e) == -1 ||
	    jsonu_get_i64(o, "expires", true, T_MIN, T_MAX, &expires, NULL,
	    e) == -1)
		return -1;
	c.path_style = have ? path_style : -1;
	if ((st = storage_open_cred(arena_printf(a, "s3://%s", bucket), &c,
	    e)) == NULL)
		return -1;
	rc = storage_presign(st, key, now, expires, a, url, e);
	storage_close(st);
	return rc;
}

static int
sign_azure(struct arena *a, struct json_object *o, const char **url,
    struct err *e)
{
	struct azsign_key	 k;
	struct azsign_sas	 sas;
	struct azsign_signed	 sg;
	struct obj_endpoint	 ep;
	const char		*account = NULL, *key_b64 = NULL;
	const char		*endpoint = NULL, *origin, *base = "";
	int			 rc = -1;

	memset(&k, 0, sizeof(k));
	memset(&sas, 0, sizeof(sas));
	sas.resource = AZSIGN_BLOB;
	sas.permissions = "r";
	if (jsonu_get_str(o, "account", true, &account, e) == -1 ||
	    jsonu_get_str(o, "key_b64", true, &key_b64, e) == -1 ||
	    jsonu_get_str(o, "endpoint", false, &endpoint, e) == -1 ||
	    jsonu_get_str(o, "container", true, &sas.container, e) == -1 ||
	    jsonu_get_str(o, "blob", true, &sas.name, e) == -1 ||
	    jsonu_get_i64(o, "expiry", true, T_MIN, T_MAX, &sas.expiry, NULL,
	    e) == -1 ||
	    jsonu_get_i64(o, "start", false, T_MIN, T_MAX, &sas.start, NULL,
	    e) == -1 ||
	    jsonu_get_str(o, "protocol", false, &sas.protocol, e) == -1)
		goto out;

	/* az_endpoint() in src/storage_az.c. */
	if (endpoint == NULL)
		origin = arena_printf(a, "https://%s.blob.core.windows.net",
		    account);
	else {
		if (obj_az_endpoint(a, endpoint, &ep, &base, e) == -1)
			goto out;
		origin = arena_printf(a, "%s://%s", ep.scheme, ep.host);
	}
	if (azsign_key_init(&k, account, key_b64, e) == -1 ||
	    azsign_sas(&k, &sas, a, &sg, e) == -1)
		goto out;
	*url = arena_printf(a, "%s%s%s?%s", origin, base, sg.path, sg.value);
	rc = 0;
out:
	azsign_key_wipe(&k);
	return rc;
}

/* A whole (small) file into b, which the caller wipes and releases. */
static int
read_file(const char *path, struct buf *b, struct err *e)
{
	FILE	*f;
	char	 chunk[4096];
	size_t	 n;
	int	 rc = -1;

	if ((f = fopen(path, "rb")) == NULL)
		return err_set(e, ERR_BAD_PARAM, "cannot open %s", path);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (buf_add(b, chunk, n) == -1)
			break;
	if (ferror(f) || b->overflow)
		err_set(e, ERR_BAD_PARAM, "cannot read %s", path);
	else
		rc = 0;
	crypto_wipe(chunk, sizeof(chunk));
	fclose(f);
	return rc;
}

static int
sign_gcs(struct arena *a, struct json_object *o, const char **url,
    struct err *e)
{
	struct gcsign_key	 k;
	struct gcsign_req	 rq;
	struct gcsign_signed	 sg;
	const char		*sa_path = NULL, *hmac_id = NULL;
	const char		*hmac_secret = NULL, *style = "path";
	struct buf		 json;
	bool			 sign_port = true;
	int			 rc = -1;

	buf_init(&json, FILE_MAX_BYTES);
	memset(&k, 0, sizeof(k));
	memset(&rq, 0, sizeof(rq));
	if (jsonu_get_str(o, "sa_json_path", false, &sa_path, e) == -1 ||
	    jsonu_get_str(o, "hmac_id", false, &hmac_id, e) == -1 ||
	    jsonu_get_str(o, "hmac_secret", false, &hmac_secret, e) == -1 ||
	    jsonu_get_str(o, "endpoint", true, &rq.endpoint, e) == -1 ||
	    jsonu_get_str(o, "style", false, &style, e) == -1 ||
	    jsonu_get_str(o, "region", false, &rq.region, e) == -1 ||
	    jsonu_get_bool(o, "sign_port", false, &sign_port, NULL,
	    e) == -1 ||
	    jsonu_get_str(o, "bucket", true, &rq.bucket, e) == -1 ||
	    jsonu_get_str(o, "object", true, &rq.object, e) == -1 ||
	    jsonu_get_i64(o, "now", true, T_MIN, T_MAX, &rq.now, NULL,
	    e) == -1 ||
	    jsonu_get_i64(o, "expires", true, T_MIN, T_MAX, &rq.expires, NULL,
	    e) == -1)
		goto out;
	if (strcmp(style, "path") == 0)
		rq.style = GCSIGN_PATH;
	else if (strcmp(style, "virtual") == 0)
		rq.style = GCSIGN_VIRTUAL;
	else if (strcmp(style, "bound") == 0)
		rq.style = GCSIGN_BOUND;
	else {
		err_set(e, ERR_BAD_PARAM, "unknown style '%s'", style);
		goto out;
	}
	rq.flags = sign_port ? GCSIGN_SIGN_PORT : 0;

	if (sa_path != NULL) {
		if (read_file(sa_path, &json, e) == -1 ||
		    gcsign_key_load(&k, buf_str(&json), json.len, e) == -1)
			goto out;
	} else if (hmac_id == NULL || hmac_secret == NULL) {
		err_set(e, ERR_BAD_PARAM, "sa_json_path, or hmac_id and "
		    "hmac_secret, are required");
		goto out;
	} else if (gcsign_key_hmac(&k, hmac_id, hmac_secret, e) == -1)
		goto out;
	if (gcsign_url(&k, &rq, a, &sg, e) == -1)
		goto out;
	*url = sg.url;
	rc = 0;
out:
	gcsign_key_free(&k);
	if (json.data != NULL)
		crypto_wipe(json.data, json.len);
	buf_release(&json);
	return rc;
}

/* Answer one request line. */
static void
answer(struct arena *a, const char *line, size_t len)
{
	struct json_object	*o;
	struct err		 e;
	const char		*kind = NULL, *url = NULL;
	int			 rc = -1;

	err_clear(&e);
	if ((o = jsonu_parse_object(a, line, len, &e)) == NULL ||
	    jsonu_get_str(o, "kind", true, &kind, &e) == -1)
		goto out;
	if (strcmp(kind, "s3") == 0)
		rc = sign_s3(a, o, &url, &e);
	else if (strcmp(kind, "azure") == 0)
		rc = sign_azure(a, o, &url, &e);
	else if (strcmp(kind, "gcs") == 0)
		rc = sign_gcs(a, o, &url, &e);
	else
		err_set(&e, ERR_BAD_PARAM, "unknown kind '%s'", kind);
out:
	if (rc == 0)
		printf("%s\n", url);
	else
		printf("error: %s\n", e.msg);
}

int
main(void)
{
	struct arena	*a = arena_new();
	struct buf	 line;
	int		 c, status = 0;

	buf_init(&line, LINE_MAX_BYTES);
	for (;;) {
		buf_reset(&line);
		while ((c = getchar()) != EOF && c != '\n')
			buf_addc(&line, (char)c);
		if (c == EOF && line.len == 0 && !line.overflow)
			break;
		if (line.overflow) {
			printf("error: line longer than %u bytes\n",
			    LINE_MAX_BYTES);
			status = 1;
		} else
			answer(a, buf_str(&line), line.len);
		arena_reset(a);
		if (c == EOF)
			break;
	}
	buf_release(&line);
	arena_free(a);
	return fflush(stdout) == 0 ? status : 1;
}
