/*
 * admin_credential.c: admin handlers for named storage credentials
 * ({prefix}/admin/credentials).
 *
 * A credential has a name, a type ("s3", "gcs", "azure") and fields.
 * Fields that may be shown (region, endpoint, access key id, account
 * name) are kept as settings and returned; secret fields are sealed
 * (cred_seal) and only ever written: answers and the audit trail list
 * which secrets are set ("secretFields"), never their values.  PATCH
 * changes the fields it names and keeps the others.  Custom endpoints
 * must be in admin.allowed_endpoints, so an admin cannot point the
 * server's signed requests at an arbitrary host.
 */
#include "config.h"

#include <string.h>

#include <json-c/json.h>

#include "admin.h"
#include "arena.h"
#include "conf.h"
#include "cred.h"
#include "db.h"
#include "err.h"
#include "gcsign.h"
#include "http_req.h"
#include "jsonu.h"
#include "log.h"
#include "name.h"
#include "storage_obj.h"

#define GOOGLE_TOKEN_URI	"https://oauth2.googleapis.com/token"

enum ftype { F_TEXT, F_BOOL, F_REGION, F_ENDPOINT, F_ACCOUNT, F_B64,
    F_SAKEY };

/* The fields of each type of credential. */
static const struct field {
	const char	*type;
	const char	*key;
	enum ftype	 ft;
	bool		 secret;
	bool		 required;
} fields[] = {
	{ "s3", "accessKeyId", F_TEXT, false, true },
	{ "s3", "secretAccessKey", F_TEXT, true, true },
	{ "s3", "sessionToken", F_TEXT, true, false },
	{ "s3", "region", F_REGION, false, false },
	{ "s3", "endpoint", F_ENDPOINT, false, false },
	{ "s3", "pathStyle", F_BOOL, false, false },
	{ "azure", "accountName", F_ACCOUNT, false, true },
	{ "azure", "accountKey", F_B64, true, true },
	{ "azure", "blobEndpoint", F_ENDPOINT, false, false },
	{ "gcs", "serviceAccountKey", F_SAKEY, true, false },
	{ "gcs", "hmacAccessId", F_TEXT, false, false },
	{ "gcs", "hmacSecret", F_TEXT, true, false },
	{ "gcs", "endpoint", F_ENDPOINT, false, false },
};

#define NFIELDS	(sizeof(fields) / sizeof(fields[0]))

static bool
chars_ok(const char *s, size_t max, const char *extra, bool alnum_lower)
{
	size_t	 n = strlen(s), i;

	if (n == 0 || n > max)
		return false;
	for (i = 0; i < n; i++) {
		char	 c = s[i];

		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			continue;
		if (!alnum_lower && c >= 'A' && c <= 'Z')
			continue;
		if (strchr(extra, c) == NULL || c == '\0')
			return false;
	}
	return true;
}

static bool
endpoint_allowed(const struct conf *c, const char *url)
{
	char	**a;
	size_t	 n = strlen(url);

	while (n > 0 && url[n - 1] == '/')
		n--;
	for (a = c->allowed_endpoints; a != NULL && *a != NULL; a++)
		if (strlen(*a) >= n && strncmp(*a, url, n) == 0 &&
		    ((*a)[n] == '\0' || strcmp(*a + n, "/") == 0))
			return true;
	return false;
}

/* "http[s]://host[:port]" of a URL, or NULL. */
static const char *
url_origin(struct arena *a, const char *url)
{
	const char	*h;

	if (strncmp(url, "https://", 8) == 0)
		h = url + 8;
	else if (strncmp(url, "http://", 7) == 0)
		h = url + 7;
	else
		return NULL;
	return arena_strndup(a, url, (size_t)(h - url) + strcspn(h, "/?#"));
}

/*
 * A service-account key must parse (an RSA key of 2048 bits or more),
 * and its token_uri, where deltashare will post assertions, must be
 * Google's or an allowed endpoint.
 */
static int
sa_key_check(struct req *r, const char *json, const char *key)
{
	struct gcsign_key k;
	struct err	 e;
	const char	*origin;
	int		 rc = 0;

	memset(&k, 0, sizeof(k));
	if (gcsign_key_load(&k, json, strlen(json), &e) == -1)
		return req_fail(r, ERR_BAD_PARAM, "'%s': %s", key, e.msg);
	if (strcmp(k.token_uri, GOOGLE_TOKEN_URI) != 0 &&
	    ((origin = url_origin(r->arena, k.token_uri)) == NULL ||
	    !endpoint_allowed(r->conf, origin)))
		rc = req_fail(r, ERR_BAD_PARAM, "'%s': token_uri is neither "
		    "Google's nor in admin.allowed_endpoints", key);
	gcsign_key_free(&k);
	return rc;
}

/* A service-account key, given as an object or its text: its text. */
static const char *
sa_key(struct req *r, struct json_object *v, const char *key)
{
	struct json_object *o = v, *t;
	struct err	 e;
	const char	*s;

	if (json_object_is_type(v, json_type_string)) {
		s = json_object_get_string(v);
		o = jsonu_parse(r->arena, s, strlen(s), 8, &e);
	}
	if (o == NULL || !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, "client_email", &t) ||
	    !json_object_object_get_ex(o, "private_key", &t)) {
		req_fail(r, ERR_BAD_PARAM, "'%s' must be a service-account "
		    "key (a JSON object with client_email and private_key)",
		    key);
		return NULL;
	}
	s = arena_strdup(r->arena, json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN));
	return sa_key_check(r, s, key) == -1 ? NULL : s;
}

/* Check one field's value; its stored form in *out. */
static int
check_field(struct req *r, const struct field *f, struct json_object *v,
    struct json_object **out)
{
	const char	*s;

	*out = NULL;
	if (f->ft == F_BOOL) {
		if (!json_object_is_type(v, json_type_boolean))
			return req_fail(r, ERR_BAD_PARAM, "'%s' must be a "
			    "boolean", f->key);
		*out = json_object_new_boolean(json_object_get_boolean(v));
		return 0;
	}
	if (f->ft == F_SAKEY) {
		if ((s = sa_key(r, v, f->key)) == NULL)
			return -1;
		*out = json_object_new_string(s);
		return 0;
	}
	if (!json_object_is_type(v, json_type_string))
		return req_fail(r, ERR_BAD_PARAM, "'%s' must be a string",
		    f->key);
	s = json_object_get_string(v);
	if ((f->ft == F_TEXT && !chars_ok(s, 4096, "+/=_-.:~!*'()$&@,;",
	    false)) || (f->ft == F_REGION && !chars_ok(s, 32, "-", true)) ||
	    (f->ft == F_ACCOUNT && !chars_ok(s, 24, "", true)) ||
	    (f->ft == F_B64 && !chars_ok(s, 1024, "+/=", false)))
		return req_fail(r, ERR_BAD_PARAM, "'%s' has a bad value",
		    f->key);
	if (f->ft == F_ENDPOINT) {
		struct obj_endpoint ep;
		const char	*path = "";

		/* Azure's may name the account: an emulator's path style. */
		if ((strcmp(f->type, "azure") == 0 ? obj_az_endpoint(r->arena,
		    s, &ep, &path, &r->err) : obj_endpoint_parse(r->arena, s,
		    &ep, &r->err)) == -1)
			return -1;
		if (!endpoint_allowed(r->conf, url_origin(r->arena, s)))
			return req_fail(r, ERR_BAD_PARAM, "endpoint '%.128s' "
			    "is not in admin.allowed_endpoints", s);
	}
	*out = json_object_new_string(s);
	return 0;
}

/*
 * Overlay the body's fields on settings and secrets (both owned by the
 * caller), then check that every required field is there.
 */
static int
merge(struct req *r, const char *type, struct json_object *body,
    struct json_object *set, struct json_object *sec)
{
	struct json_object *v, *val, *names;
	size_t		 i;

	for (i = 0; i < NFIELDS; i++) {
		const struct field *f = &fields[i];

		if (strcmp(f->type, type) != 0 ||
		    !json_object_object_get_ex(body, f->key, &v))
			continue;
		if (json_object_is_type(v, json_type_null)) {
			json_object_object_del(f->secret ? sec : set, f->key);
			continue;
		}
		if (check_field(r, f, v, &val) == -1)
			return -1;
		json_object_object_add(f->secret ? sec : set, f->key, val);
	}
	names = json_object_new_array();
	for (i = 0; i < NFIELDS; i++) {
		const struct field *f = &fields[i];
		bool		 have;

		if (strcmp(f->type, type) != 0)
			continue;
		have = json_object_object_get_ex(f->secret ? sec : set, f->key,
		    NULL);
		if (!have && f->required) {
			json_object_put(names);
			return req_fail(r, ERR_BAD_PARAM, "a %s credential "
			    "needs '%s'", type, f->key);
		}
		if (have && f->secret)
			json_object_array_add(names,
			    json_object_new_string(f->key));
	}
	json_object_object_add(set, "secretFields", names);
	if (strcmp(type, "gcs") == 0 && !json_object_object_get_ex(sec,
	    "serviceAccountKey", NULL) && !(json_object_object_get_ex(sec,
	    "hmacSecret", NULL) && json_object_object_get_ex(set,
	    "hmacAccessId", NULL)))
		return req_fail(r, ERR_BAD_PARAM, "a gcs credential needs "
		    "'serviceAccountKey' or 'hmacAccessId' and 'hmacSecret'");
	return 0;
}

/* The keys a body of this type may have. */
static const char *const *
allowed_keys(struct req *r, const char *type, bool create)
{
	const char	**k = arena_calloc(r->arena, NFIELDS + 3,
			    sizeof(*k));
	size_t		 i, n = 0;

	if (create) {
		k[n++] = "name";
		k[n++] = "type";
	}
	for (i = 0; i < NFIELDS; i++)
		if (strcmp(fields[i].type, type) == 0)
			k[n++] = fields[i].key;
	return k;
}

static const char *
plain(struct json_object *o)
{
	return json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
}

int
admin_credential_list(struct req *r)
{
	return admin_list(r, STMT_CRED_LIST, ADMIN_LIST_CREDENTIALS, 0, NULL,
	    0);
}

int
admin_credential_get(struct req *r)
{
	struct admin_row	 c;
	const char		*p[1] = { r->args[0] };

	if (admin_row(r, STMT_CRED_GET, p, "credential", r->args[0], &c) == -1)
		return -1;
	return admin_send(r, 200, c.json);
}

int
admin_credential_create(struct req *r)
{
	struct json_object	*o, *set = NULL, *sec = NULL;
	struct admin_row	 c;
	const char		*name = NULL, *type = NULL, *p[4];
	int			 rc = -1;

	if (req_read_body(r) == -1 || (o = jsonu_parse_object(r->arena,
	    r->body, r->bodylen, &r->err)) == NULL ||
	    jsonu_get_str(o, "type", true, &type, &r->err) == -1)
		return -1;
	if (strcmp(type, "s3") != 0 && strcmp(type, "gcs") != 0 &&
	    strcmp(type, "azure") != 0)
		return req_fail(r, ERR_BAD_PARAM, "'type' must be \"s3\", "
		    "\"gcs\" or \"azure\"");
	if (jsonu_only_keys(o, allowed_keys(r, type, true), &r->err) == -1 ||
	    jsonu_get_str(o, "name", true, &name, &r->err) == -1 ||
	    name_check(name, strlen(name), NAME_CREDENTIAL, &r->err) == -1)
		return -1;
	set = json_object_new_object();
	sec = json_object_new_object();
	if (merge(r, type, o, set, sec) == -1)
		goto out;
	p[0] = name;
	p[1] = type;
	p[2] = plain(set);
	p[3] = cred_seal(r->arena, r->conf->secret.data, r->conf->secret.len,
	    plain(sec));
	if (db_begin(r->db, &r->err) == -1 ||
	    admin_row(r, STMT_CRED_INSERT, p, "credential", name, &c) == -1 ||
	    admin_audit(r, "credential.create", "credential", name, NULL,
	    c.json) == -1)
		goto out;
	rc = admin_commit(r, 201, c.json);
out:
	json_object_put(set);
	json_object_put(sec);
	return rc;
}

/*
 * The stored settings and opened secrets of a locked credential.  Secrets
 * sealed under another server.secret_file cannot be opened: they count
 * as unset, so that a PATCH giving them again repairs the credential
 * (one that does not is refused for the required ones it lacks).
 */
static int
current(struct req *r, const char *name, const char **type,
    struct json_object **set, struct json_object **sec)
{
	struct db_res	*res;
	const char	*p[1] = { name };

	*set = *sec = NULL;
	if (db_exec(r->db, r->arena, STMT_CRED_RAW, p, &res, &r->err) == -1)
		return -1;
	*type = arena_strdup(r->arena, db_val(res, 0, 1));
	if ((*set = json_tokener_parse(db_val(res, 0, 2))) == NULL)
		return req_fail(r, ERR_INTERNAL, "unreadable credential");
	json_object_object_del(*set, "secretFields");
	if ((*sec = cred_open_json(r->arena, r->conf->secret.data,
	    r->conf->secret.len, db_val(res, 0, 3), &r->err)) == NULL) {
		log_warn("credential '%s': %s", name, r->err.msg);
		err_clear(&r->err);
		*sec = json_object_new_object();
	}
	return 0;
}

int
admin_credential_update(struct req *r)
{
	struct json_object	*o, *set = NULL, *sec = NULL;
	struct admin_row	 before, after;
	const char		*type, *p[3];
	int			 rc = -1;

	if (req_read_body(r) == -1 || (o = jsonu_parse_object(r->arena,
	    r->body, r->bodylen, &r->err)) == NULL)
		return -1;
	p[0] = r->args[0];
	if (db_begin(r->db, &r->err) == -1 ||
	    admin_row(r, STMT_CRED_LOCK, p, "credential", r->args[0],
	    &before) == -1 ||
	    current(r, before.name, &type, &set, &sec) == -1 ||
	    jsonu_only_keys(o, allowed_keys(r, type, false), &r->err) == -1 ||
	    merge(r, type, o, set, sec) == -1)
		goto out;
	p[0] = admin_num(r, before.id);
	p[1] = plain(set);
	p[2] = cred_seal(r->arena, r->conf->secret.data, r->conf->secret.len,
	    plain(sec));
	if (admin_row(r, STMT_CRED_UPDATE, p, "credential", before.name,
	    &after) == -1 ||
	    admin_audit(r, "credential.update", "credential", before.name,
	    before.json, after.json) == -1)
		goto out;
	rc = admin_commit(r, 200, after.json);
out:
	json_object_put(set);
	json_object_put(sec);
	return rc;
}

int
admin_credential_delete(struct req *r)
{
	struct admin_row	 c, gone;
	struct db_res		*res;
	const char		*p[1] = { r->args[0] };
	int64_t			 uses;

	if (db_begin(r->db, &r->err) == -1 ||
	    admin_row(r, STMT_CRED_LOCK, p, "credential", r->args[0],
	    &c) == -1)
		return -1;
	p[0] = admin_num(r, c.id);
	if (db_exec(r->db, r->arena, STMT_CRED_USES, p, &res, &r->err) == -1)
		return -1;
	if ((uses = db_i64(res, 0, 0)) > 0)
		return req_fail(r, ERR_CONFLICT, "credential '%s' is used by "
		    "%lld table%s: change them first", c.name, (long long)uses,
		    uses == 1 ? "" : "s");
	if (admin_row(r, STMT_CRED_DELETE, p, "credential", c.name,
	    &gone) == -1 || admin_audit(r, "credential.delete", "credential",
	    c.name, c.json, NULL) == -1)
		return -1;
	return admin_commit(r, 204, NULL);
}
