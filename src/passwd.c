/*
 * passwd.c: yescrypt password hashes via libcrypt (see passwd.h).
 */
#include "config.h"

#include <crypt.h>
#include <stdio.h>
#include <string.h>

#include "crypto.h"
#include "err.h"
#include "passwd.h"
#include "strutil.h"

int
passwd_check_policy(const char *pw, struct err *e)
{
	size_t	 n = strlen(pw);

	if (n > PASSWD_MAX)
		return err_set(e, ERR_BAD_PARAM,
		    "password is longer than %d bytes", PASSWD_MAX);
	if (n < PASSWD_MIN)
		return err_set(e, ERR_BAD_PARAM,
		    "password must be at least %d bytes", PASSWD_MIN);
	if (!str_utf8_valid(pw, n))
		return err_set(e, ERR_BAD_PARAM,
		    "password is not valid UTF-8");
	return 0;
}

int
passwd_hash(const char *pw, char out[PASSWD_HASHMAX], struct err *e)
{
	char			 setting[CRYPT_GENSALT_OUTPUT_SIZE];
	struct crypt_data	 cd;
	int			 ok;

	if (crypt_gensalt_rn("$y$", 0, NULL, 0, setting,
	    sizeof(setting)) == NULL)
		return err_set(e, ERR_INTERNAL, "cannot generate salt");
	memset(&cd, 0, sizeof(cd));
	ok = crypt_rn(pw, setting, &cd, sizeof(cd)) != NULL &&
	    cd.output[0] == '$';
	if (ok)
		snprintf(out, PASSWD_HASHMAX, "%s", cd.output);
	crypto_wipe(&cd, sizeof(cd));
	return ok ? 0 : err_set(e, ERR_INTERNAL, "cannot hash password");
}

/* A hash of a random password, made once, for unknown accounts. */
static const char *
dummy_hash(void)
{
	static char	 dummy[PASSWD_HASHMAX];
	unsigned char	 rnd[24];
	char		 pw[49];
	struct err	 e;

	if (dummy[0] == '\0') {
		crypto_random(rnd, sizeof(rnd));
		str_hex(rnd, sizeof(rnd), pw);
		if (passwd_hash(pw, dummy, &e) == -1)
			snprintf(dummy, sizeof(dummy), "*");
	}
	return dummy;
}

/* Hash pw with the setting of hash; true when it reproduces hash. */
static bool
same_hash(const char *pw, const char *hash)
{
	struct crypt_data	 cd;
	bool			 ok;
	size_t			 n = strlen(hash);

	memset(&cd, 0, sizeof(cd));
	ok = crypt_rn(pw, hash, &cd, sizeof(cd)) != NULL &&
	    cd.output[0] == '$' && strlen(cd.output) == n &&
	    crypto_equal(cd.output, hash, n);
	crypto_wipe(&cd, sizeof(cd));
	return ok;
}

bool
passwd_verify(const char *pw, const char *hash)
{
	const char	*dummy;

	if (hash != NULL && hash[0] == '$')
		return same_hash(pw, hash);
	/* Unknown account: spend the same time, then fail. */
	if ((dummy = dummy_hash())[0] == '$')
		(void)same_hash(pw, dummy);
	return false;
}

bool
passwd_needs_rehash(const char *hash)
{
	return crypt_checksalt(hash) != CRYPT_SALT_OK ||
	    strncmp(hash, "$y$", 3) != 0;
}
