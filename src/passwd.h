/*
 * passwd.h: admin password hashing with yescrypt (libcrypt's crypt_rn).
 *
 * Passwords are 8 to 1024 bytes of UTF-8 without NUL; longer input is
 * refused before any hashing, so the KDF cannot be used to burn CPU.
 * Verification always costs one hash, also for unknown accounts.
 */
#ifndef DS_PASSWD_H
#define DS_PASSWD_H

#include <stdbool.h>
#include <stddef.h>

struct err;

#define PASSWD_MIN	8
#define PASSWD_MAX	1024
#define PASSWD_HASHMAX	384	/* CRYPT_OUTPUT_SIZE */

int	passwd_check_policy(const char *, struct err *);
int	passwd_hash(const char *, char out[PASSWD_HASHMAX], struct err *);
/* hash NULL: compare against a dummy so timing does not tell. */
bool	passwd_verify(const char *, const char *hash);
bool	passwd_needs_rehash(const char *hash);

#endif
