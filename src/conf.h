/*
 * conf.h: the configuration, loaded once at start-up and immutable after.
 *
 * Sources, later ones winning: compiled-in defaults, the INI file (path
 * from -f, else $DELTASHARE_CONF, else the compiled-in default), then one
 * environment variable per key, DELTASHARE_<SECTION>_<KEY>.  Unknown
 * sections, keys or DELTASHARE_* variables, malformed values, missing
 * required keys and secrets shorter than 32 bytes are start-up errors.
 * Every key is listed in the table in conf.c and documented in
 * etc/deltashare.ini.sample and deltashare.ini(5); t/t0000-basic.sh checks
 * that all three agree.
 */
#ifndef DS_CONF_H
#define DS_CONF_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CONF_SECRET_MIN	32

enum conf_alg {
	CONF_ALG_HS256,
	CONF_ALG_RS256,
	CONF_ALG_ES256,
};

/* Bytes read from a file; secrets are wiped by conf_free(). */
struct conf_blob {
	unsigned char	*data;
	size_t		 len;
};

struct conf {
	const char	*path;			/* file read, or NULL */

	/* [server] */
	char		*prefix;		/* "/delta-sharing" */
	char		*public_url;		/* "" = derive from request */
	int64_t		 max_requests;		/* 0 = unlimited */
	int64_t		 max_body;		/* bytes */
	int64_t		 max_auth_header;	/* bytes */
	struct conf_blob secret;		/* page tokens, file URLs */

	/* [log] */
	int		 log_level;		/* enum log_level */

	/* [db] */
	char		*db_conninfo;
	int64_t		 db_connect_timeout;	/* seconds */
	int64_t		 db_statement_timeout;	/* milliseconds */

	/* [auth] */
	enum conf_alg	 auth_alg;
	struct conf_blob auth_secret;		/* HS256 key */
	struct conf_blob auth_public_key;	/* RS256/ES256, PEM */
	struct conf_blob auth_private_key;	/* RS256/ES256, PEM; optional */
	struct conf_blob auth_previous_secret;	/* HS256, verifies only */
	struct conf_blob auth_previous_public_key; /* verifies only */
	char		*auth_issuer;
	char		*auth_recipient_audience;
	char		*auth_admin_audience;
	int64_t		 auth_clock_skew;		/* seconds */
	int64_t		 auth_recipient_token_ttl;	/* default, seconds */
	int64_t		 auth_max_token_ttl;		/* seconds */
	int64_t		 auth_admin_token_ttl;		/* seconds */
	int64_t		 auth_login_max_failures;
	int64_t		 auth_login_lockout;		/* seconds */

	/* [admin] */
	char		**allowed_roots;	/* NULL-terminated, realpath'd */
	char		**allowed_buckets;	/* "s3://bucket[/prefix]"... */
	char		**allowed_endpoints;	/* "http://127.0.0.1:7480"... */

	/* [audit] */
	int		 audit_database;	/* 0 no, 1 yes */
	char		*audit_file;		/* "" = none */
	int64_t		 audit_retention_days;	/* 0 = keep */

	/* [query] */
	int64_t		 url_ttl;		/* seconds */
	int64_t		 page_token_ttl;	/* seconds */
	int64_t		 refresh_token_ttl;	/* seconds */
	int64_t		 max_page_files;

	/* [cache] */
	int64_t		 snapshot_cache_bytes;	/* per worker; 0 = off */
	int64_t		 catalog_cache_seconds;	/* 0 = off */
	int64_t		 catalog_cache_bytes;	/* per worker; 0 = off */
	int64_t		 token_cache_slots;	/* per worker; 0 = off */
};

/*
 * Load and validate.  path may be NULL (use $DELTASHARE_CONF or the
 * default).  On error, writes one line per problem to errf and returns
 * NULL.
 */
struct conf	*conf_load(const char *path, FILE *errf);
void		 conf_free(struct conf *);

/* Print the effective configuration, secrets masked (for -n). */
void		 conf_dump(const struct conf *, FILE *);

/* Print every key as section.key (for the documentation check). */
void		 conf_list_keys(FILE *);

const char	*conf_alg_name(enum conf_alg);

#endif
