/*
 * cred.h: the credentials a storage backend signs with.
 *
 * A table's location may name a credential stored by the admin API;
 * without one, each store has its standard sources, read here:
 *  - S3: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN,
 *    AWS_REGION (or AWS_DEFAULT_REGION), AWS_ENDPOINT_URL_S3 or
 *    AWS_ENDPOINT_URL; else the profile AWS_PROFILE (default "default")
 *    of the shared credentials file AWS_SHARED_CREDENTIALS_FILE (default
 *    ~/.aws/credentials).
 *  - Azure: AZURE_STORAGE_CONNECTION_STRING (AccountName, AccountKey,
 *    BlobEndpoint, DefaultEndpointsProtocol, EndpointSuffix, or
 *    UseDevelopmentStorage=true), else AZURE_STORAGE_ACCOUNT and
 *    AZURE_STORAGE_KEY.
 *  - GCS: the service-account key file GOOGLE_APPLICATION_CREDENTIALS;
 *    STORAGE_EMULATOR_HOST ("host:port" or a URL) replaces Google's
 *    endpoint, and alone allows unauthenticated reads (emulators).
 * Secrets are kept only in memory, never logged or put in messages.
 */
#ifndef DS_CRED_H
#define DS_CRED_H

#include <stddef.h>

struct arena;
struct err;
struct json_object;

enum cred_kind {
	CRED_NONE = 0,
	CRED_S3,
	CRED_GCS,
	CRED_AZURE
};

struct cred {
	enum cred_kind	 kind;
	const char	*name;		/* the admin's name; NULL: environment */
	/* S3 */
	const char	*access_key, *secret_key, *session_token;
	const char	*region;	/* NULL: us-east-1 */
	const char	*endpoint;	/* "http://127.0.0.1:7480"; NULL: AWS */
	int		 path_style;	/* 1 path, 0 virtual hosted, -1 auto */
	/* Azure */
	const char	*account, *account_key, *blob_endpoint;
	/* GCS */
	const char	*sa_json, *hmac_id, *hmac_secret, *gcs_endpoint;
};

/* S3 credentials from the environment or the shared file. */
int	cred_s3_env(struct cred *, struct arena *, struct err *);

/* Azure credentials from the environment. */
int	cred_azure_env(struct cred *, struct arena *, struct err *);

/* GCS credentials from the environment. */
int	cred_gcs_env(struct cred *, struct arena *, struct err *);

/*
 * Stored credentials.  The secret fields (a JSON object) are sealed with
 * a key derived from the server secret: "v1:" and base64url of nonce,
 * ciphertext and tag.  A credential reads back from its kind ("s3",
 * "gcs", "azure"), its settings JSON and its sealed secret; one sealed
 * under another server secret is an ERR_INTERNAL that says so.
 */
char	*cred_seal(struct arena *, const unsigned char *secret, size_t len,
	    const char *json);
/* The sealed JSON object opened: the caller puts it.  NULL on error. */
struct json_object *cred_open_json(struct arena *, const unsigned char *secret,
	    size_t len, const char *sealed, struct err *);
int	cred_load(struct arena *, const unsigned char *secret, size_t len,
	    const char *name, const char *kind, const char *settings,
	    const char *sealed, struct cred *, struct err *);

#endif
