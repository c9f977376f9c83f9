/*
 * cred.c: storage credentials from the standard environment and files
 * (see cred.h).
 *
 * The shared credentials file is read with a small parser of our own:
 * "[profile]" sections and "key = value" lines, "#" and ";" comments.
 * Values are taken as they are (trimmed); nothing is ever printed.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "cred.h"
#include "crypto.h"
#include "err.h"
#include "jsonu.h"
#include "strutil.h"

static const char *
env(const char *name)
{
	const char	*v = getenv(name);

	return v != NULL && *v != '\0' ? v : NULL;
}

static char *
trim(char *s)
{
	char	*e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
	    e[-1] == '\n'))
		*--e = '\0';
	return s;
}

/* One profile of a shared credentials file into c. */
static int
read_profile(struct cred *c, struct arena *a, const char *path,
    const char *profile, struct err *e)
{
	FILE	*f;
	char	 line[4096], *s, *eq, *k;
	int	 in = 0, found = 0;

	if ((f = fopen(path, "r")) == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		s = trim(line);
		if (*s == '#' || *s == ';' || *s == '\0')
			continue;
		if (*s == '[') {
			s[strcspn(s, "]")] = '\0';
			in = strcmp(trim(s + 1), profile) == 0;
			found |= in;
			continue;
		}
		if (!in || (eq = strchr(s, '=')) == NULL)
			continue;
		*eq = '\0';
		k = trim(s);
		s = arena_strdup(a, trim(eq + 1));
		if (strcmp(k, "aws_access_key_id") == 0)
			c->access_key = s;
		else if (strcmp(k, "aws_secret_access_key") == 0)
			c->secret_key = s;
		else if (strcmp(k, "aws_session_token") == 0)
			c->session_token = s;
		else if (strcmp(k, "region") == 0 && c->region == NULL)
			c->region = s;
	}
	fclose(f);
	if (!found && env("AWS_PROFILE") != NULL)
		return err_set(e, ERR_UPSTREAM, "AWS profile '%.64s' is not in "
		    "the shared credentials file", profile);
	return 0;
}

int
cred_s3_env(struct cred *c, struct arena *a, struct err *e)
{
	const char	*path, *home;

	memset(c, 0, sizeof(*c));
	c->kind = CRED_S3;
	c->path_style = -1;
	c->region = env("AWS_REGION") ? env("AWS_REGION") :
	    env("AWS_DEFAULT_REGION");
	c->endpoint = env("AWS_ENDPOINT_URL_S3") ? env("AWS_ENDPOINT_URL_S3") :
	    env("AWS_ENDPOINT_URL");
	if (env("AWS_ACCESS_KEY_ID") && env("AWS_SECRET_ACCESS_KEY")) {
		c->access_key = env("AWS_ACCESS_KEY_ID");
		c->secret_key = env("AWS_SECRET_ACCESS_KEY");
		c->session_token = env("AWS_SESSION_TOKEN");
		return 0;
	}
	if ((path = env("AWS_SHARED_CREDENTIALS_FILE")) == NULL) {
		if ((home = env("HOME")) == NULL)
			goto none;
		path = arena_printf(a, "%s/.aws/credentials", home);
	}
	if (read_profile(c, a, path, env("AWS_PROFILE") ? env("AWS_PROFILE") :
	    "default", e) == -1)
		return -1;
	if (c->access_key != NULL && c->secret_key != NULL)
		return 0;
none:
	return err_set(e, ERR_UPSTREAM, "no S3 credentials: name a "
	    "credential on the table, or set AWS_ACCESS_KEY_ID and "
	    "AWS_SECRET_ACCESS_KEY, or a shared credentials file");
}

/* One "Key=value" of a connection string into c. */
static int
conn_field(struct cred *c, const char *k, const char *v,
    const char **proto, const char **suffix, struct err *e)
{
	if (strcmp(k, "AccountName") == 0)
		c->account = v;
	else if (strcmp(k, "AccountKey") == 0)
		c->account_key = v;
	else if (strcmp(k, "BlobEndpoint") == 0)
		c->blob_endpoint = v;
	else if (strcmp(k, "DefaultEndpointsProtocol") == 0)
		*proto = v;
	else if (strcmp(k, "EndpointSuffix") == 0)
		*suffix = v;
	else if (strcmp(k, "UseDevelopmentStorage") == 0 &&
	    strcmp(v, "true") == 0) {
		/* Azurite's well-known account, documented by Microsoft. */
		c->account = "devstoreaccount1";
		c->account_key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IF"
		    "suFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
		c->blob_endpoint = "http://127.0.0.1:10000/devstoreaccount1";
	} else if (strcmp(k, "SharedAccessSignature") == 0)
		return err_set(e, ERR_UPSTREAM, "AZURE_STORAGE_CONNECTION_"
		    "STRING: a SAS cannot sign other URLs; give AccountName "
		    "and AccountKey");
	return 0;
}

/* AZURE_STORAGE_CONNECTION_STRING: "Key=value;Key=value". */
static int
conn_string(struct cred *c, struct arena *a, const char *cs, struct err *e)
{
	char		*s = arena_strdup(a, cs), *kv, *eq, *save = NULL;
	const char	*proto = "https", *suffix = NULL;

	for (kv = strtok_r(s, ";", &save); kv != NULL;
	    kv = strtok_r(NULL, ";", &save)) {
		if ((eq = strchr(kv, '=')) == NULL)
			continue;
		*eq = '\0';
		if (conn_field(c, trim(kv), trim(eq + 1), &proto, &suffix,
		    e) == -1)
			return -1;
	}
	if (c->blob_endpoint == NULL && c->account != NULL &&
	    (suffix != NULL || strcmp(proto, "https") != 0))
		c->blob_endpoint = arena_printf(a, "%s://%s.blob.%s", proto,
		    c->account, suffix ? suffix : "core.windows.net");
	return 0;
}

int
cred_azure_env(struct cred *c, struct arena *a, struct err *e)
{
	const char	*cs;

	memset(c, 0, sizeof(*c));
	c->kind = CRED_AZURE;
	if ((cs = env("AZURE_STORAGE_CONNECTION_STRING")) != NULL) {
		if (conn_string(c, a, cs, e) == -1)
			return -1;
	} else {
		c->account = env("AZURE_STORAGE_ACCOUNT");
		c->account_key = env("AZURE_STORAGE_KEY");
	}
	if (c->account != NULL && c->account_key != NULL)
		return 0;
	return err_set(e, ERR_UPSTREAM, "no Azure credentials: name a "
	    "credential on the table, or set AZURE_STORAGE_CONNECTION_STRING, "
	    "or AZURE_STORAGE_ACCOUNT and AZURE_STORAGE_KEY");
}

#define SA_FILE_MAX	(64 * 1024)

int
cred_gcs_env(struct cred *c, struct arena *a, struct err *e)
{
	const char	*path, *host;
	char		*json;
	FILE		*f;
	size_t		 n;

	memset(c, 0, sizeof(*c));
	c->kind = CRED_GCS;
	if ((host = env("STORAGE_EMULATOR_HOST")) != NULL)
		c->gcs_endpoint = strstr(host, "://") ? host :
		    arena_printf(a, "http://%s", host);
	if ((path = env("GOOGLE_APPLICATION_CREDENTIALS")) != NULL) {
		if ((f = fopen(path, "r")) == NULL)
			return err_set(e, ERR_UPSTREAM, "GOOGLE_APPLICATION_"
			    "CREDENTIALS: cannot open the key file");
		json = arena_alloc(a, SA_FILE_MAX + 1);
		n = fread(json, 1, SA_FILE_MAX + 1, f);
		fclose(f);
		if (n > SA_FILE_MAX)
			return err_set(e, ERR_UPSTREAM, "GOOGLE_APPLICATION_"
			    "CREDENTIALS: the key file is too large");
		json[n] = '\0';
		c->sa_json = json;
		return 0;
	}
	if (c->gcs_endpoint != NULL)
		return 0;
	return err_set(e, ERR_UPSTREAM, "no GCS credentials: name a "
	    "credential on the table, or set GOOGLE_APPLICATION_CREDENTIALS "
	    "to a service-account key file");
}

/* --- stored credentials --------------------------------------------------- */

static void
seal_key(const unsigned char *secret, size_t len, unsigned char key[32])
{
	static const char label[] = "deltashare credential seal v1";

	crypto_hmac_sha256(secret, len, label, sizeof(label) - 1, key);
}

char *
cred_seal(struct arena *a, const unsigned char *secret, size_t len,
    const char *json)
{
	unsigned char	 key[32], *box;
	size_t		 n = strlen(json), m = n + CRYPTO_SEAL_OVERHEAD;
	char		*out;

	seal_key(secret, len, key);
	box = arena_alloc(a, m);
	crypto_seal(key, json, n, box);
	crypto_wipe(key, sizeof(key));
	out = arena_alloc(a, 3 + (m + 2) / 3 * 4 + 1);
	memcpy(out, "v1:", 3);
	str_b64url_encode(box, m, out + 3);
	return out;
}

struct json_object *
cred_open_json(struct arena *a, const unsigned char *secret, size_t len,
    const char *sealed, struct err *e)
{
	unsigned char	 key[32], *box, *plain;
	struct json_object *o;
	size_t		 n;
	long		 m;

	if (strncmp(sealed, "v1:", 3) != 0)
		goto bad;
	n = strlen(sealed + 3);
	box = arena_alloc(a, n);
	if ((m = str_b64url_decode(sealed + 3, n, box)) <
	    CRYPTO_SEAL_OVERHEAD)
		goto bad;
	plain = arena_alloc(a, (size_t)m - CRYPTO_SEAL_OVERHEAD + 1);
	seal_key(secret, len, key);
	if (crypto_unseal(key, box, (size_t)m, plain) == -1) {
		crypto_wipe(key, sizeof(key));
		goto bad;
	}
	crypto_wipe(key, sizeof(key));
	plain[m - CRYPTO_SEAL_OVERHEAD] = '\0';
	o = json_tokener_parse((char *)plain);
	crypto_wipe(plain, (size_t)m - CRYPTO_SEAL_OVERHEAD);
	if (o == NULL || !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		goto bad;
	}
	return o;
bad:
	err_set(e, ERR_INTERNAL, "a stored credential cannot be opened: was "
	    "server.secret_file changed? Set the credential's secrets again");
	return NULL;
}

static const char *
field(struct arena *a, struct json_object *o, const char *k)
{
	struct json_object *v;

	if (o == NULL || !json_object_object_get_ex(o, k, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return arena_strdup(a, json_object_get_string(v));
}

int
cred_load(struct arena *a, const unsigned char *secret, size_t len,
    const char *name, const char *kind, const char *settings,
    const char *sealed, struct cred *c, struct err *e)
{
	struct json_object *set, *sec, *v;

	memset(c, 0, sizeof(*c));
	c->name = arena_strdup(a, name);
	c->path_style = -1;
	if ((set = jsonu_parse(a, settings, strlen(settings), 4, e)) == NULL ||
	    (sec = cred_open_json(a, secret, len, sealed, e)) == NULL)
		return -1;
	jsonu_own(a, sec);
	if (strcmp(kind, "s3") == 0) {
		c->kind = CRED_S3;
		c->access_key = field(a, set, "accessKeyId");
		c->region = field(a, set, "region");
		c->endpoint = field(a, set, "endpoint");
		if (json_object_object_get_ex(set, "pathStyle", &v))
			c->path_style = json_object_get_boolean(v);
		c->secret_key = field(a, sec, "secretAccessKey");
		c->session_token = field(a, sec, "sessionToken");
	} else if (strcmp(kind, "azure") == 0) {
		c->kind = CRED_AZURE;
		c->account = field(a, set, "accountName");
		c->blob_endpoint = field(a, set, "blobEndpoint");
		c->account_key = field(a, sec, "accountKey");
	} else if (strcmp(kind, "gcs") == 0) {
		c->kind = CRED_GCS;
		c->hmac_id = field(a, set, "hmacAccessId");
		c->gcs_endpoint = field(a, set, "endpoint");
		c->sa_json = field(a, sec, "serviceAccountKey");
		c->hmac_secret = field(a, sec, "hmacSecret");
	} else
		return err_set(e, ERR_INTERNAL, "credential '%.64s' has an "
		    "unknown kind", name);
	return 0;
}
