/*
 * probe.h: what the files of bench/probe share (probe.c: the log
 * floors; probe_sign.c: the URL-signing floors and their deltashare
 * counterparts; probe_jwt.c: bearer token checks).
 */
#ifndef DS_PROBE_H
#define DS_PROBE_H

#include <stddef.h>

/* Monotonic seconds. */
double	probe_now(void);
double	probe_cpu(void);
void	probe_die(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

/*
 * The SigV4 floor's presigned URL of key (bucket, credential and time
 * fixed) into out, of PROBE_URL_MAX bytes; its length.
 */
#define PROBE_URL_MAX	2048
size_t	probe_s3_url(const char *key, char out[PROBE_URL_MAX]);

/* sign, sign-az: the floors; sign-ds, sign-az-ds: deltashare's. */
int	probe_sign(const char *kind, long n);
int	probe_sign_ds(const char *kind, long n);
int	probe_sign_local_ds(long n);

/* jwt: token_verify() per token, HS256, RS256 and ES256 (probe_jwt.c). */
int	probe_jwt(long n);

#endif
