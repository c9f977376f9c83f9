/*
 * pagetoken.c: list continuation tokens (see pagetoken.h).
 *
 * Layout before base64url: version (1 byte), kind (1), owner, scope1,
 * scope2, pos1, pos2, pos3, expires_ms (8 bytes each, big-endian), then
 * the first 16 bytes of HMAC-SHA256 over everything before it with a
 * domain label.
 */
#include "config.h"

#include <string.h>

#include "arena.h"
#include "crypto.h"
#include "pagetoken.h"
#include "strutil.h"

#define PT_VERSION	2
#define PT_BODY		(2 + 7 * 8)
#define PT_TAG		16
#define PT_RAW		(PT_BODY + PT_TAG)
#define PT_LABEL	"deltashare page token v2"

static void
put64(unsigned char *p, int64_t v)
{
	uint64_t	 u = (uint64_t)v;
	int		 i;

	for (i = 7; i >= 0; i--) {
		p[i] = (unsigned char)(u & 0xff);
		u >>= 8;
	}
}

static int64_t
get64(const unsigned char *p)
{
	uint64_t	 u = 0;
	int		 i;

	for (i = 0; i < 8; i++)
		u = u << 8 | p[i];
	return (int64_t)u;
}

static void
tag(const unsigned char *key, size_t keylen, const unsigned char *body,
    unsigned char out[PT_TAG])
{
	unsigned char	 msg[sizeof(PT_LABEL) + PT_BODY], mac[32];

	memcpy(msg, PT_LABEL, sizeof(PT_LABEL));
	memcpy(msg + sizeof(PT_LABEL), body, PT_BODY);
	crypto_hmac_sha256(key, keylen, msg, sizeof(msg), mac);
	memcpy(out, mac, PT_TAG);
}

char *
pagetoken_encode(struct arena *a, const unsigned char *key, size_t keylen,
    const struct pagetoken *pt)
{
	unsigned char	 raw[PT_RAW];
	char		*out;

	raw[0] = PT_VERSION;
	raw[1] = (unsigned char)pt->kind;
	put64(raw + 2, pt->owner);
	put64(raw + 10, pt->scope1);
	put64(raw + 18, pt->scope2);
	put64(raw + 26, pt->pos1);
	put64(raw + 34, pt->pos2);
	put64(raw + 42, pt->pos3);
	put64(raw + 50, pt->expires_ms);
	tag(key, keylen, raw, raw + PT_BODY);
	out = arena_alloc(a, PAGETOKEN_MAXLEN);
	str_b64url_encode(raw, sizeof(raw), out);
	return out;
}

int
pagetoken_read(const unsigned char *key, size_t keylen, const char *s,
    struct pagetoken *out)
{
	unsigned char	 raw[3 * (PAGETOKEN_MAXLEN / 4) + 3], expect[PT_TAG];
	size_t		 len = strlen(s);

	/* Encoded without padding; one spelling per token. */
	if (len > PAGETOKEN_MAXLEN || strchr(s, '=') != NULL ||
	    str_b64url_decode(s, len, raw) != PT_RAW)
		return -1;
	tag(key, keylen, raw, expect);
	if (!crypto_equal(expect, raw + PT_BODY, PT_TAG) ||
	    raw[0] != PT_VERSION)
		return -1;
	out->kind = (enum pagetoken_kind)raw[1];
	out->owner = get64(raw + 2);
	out->scope1 = get64(raw + 10);
	out->scope2 = get64(raw + 18);
	out->pos1 = get64(raw + 26);
	out->pos2 = get64(raw + 34);
	out->pos3 = get64(raw + 42);
	out->expires_ms = get64(raw + 50);
	return 0;
}

int
pagetoken_decode(const unsigned char *key, size_t keylen, const char *s,
    struct pagetoken *want)
{
	struct pagetoken got;

	if (pagetoken_read(key, keylen, s, &got) == -1 ||
	    got.kind != want->kind || got.owner != want->owner ||
	    got.scope1 != want->scope1 || got.scope2 != want->scope2 ||
	    got.pos1 < 0 || got.pos2 < 0)
		return -1;
	want->pos1 = got.pos1;
	want->pos2 = got.pos2;
	return 0;
}
