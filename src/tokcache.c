/*
 * tokcache.c: the tokens a worker verified, with their claims (see
 * tokcache.h).
 *
 * An array of slots; a token's hash names a slot, and the token may sit
 * there or in the next one (two ways, so two clients whose tokens meet
 * in one slot do not push each other out on every call).  Each slot owns
 * one allocation holding the token, then the strings of its facts;
 * slots are wiped when dropped, as the token is a credential.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "metrics.h"
#include "tokcache.h"
#include "xmalloc.h"

struct slot {
	uint64_t		 hash;
	uint64_t		 used;		/* a tick; 0: empty */
	enum conf_alg		 alg;
	size_t			 toklen;
	char			*mem;		/* token, then strings */
	size_t			 memlen;
	struct token_facts	 facts;		/* its strings point into mem */
};

static struct slot	*slots;
static size_t		 nslots;
static uint64_t		 tick;
static struct crypto_hmac key;		/* of the slots' hashes */

static void
slot_drop(struct slot *s)
{
	if (s->mem != NULL) {
		crypto_wipe(s->mem, s->memlen);
		free(s->mem);
	}
	memset(s, 0, sizeof(*s));
}

void
tokcache_clear(void)
{
	size_t	 i;

	for (i = 0; i < nslots; i++)
		slot_drop(&slots[i]);
}

void
tokcache_configure(size_t n)
{
	unsigned char	 k[32];

	tokcache_clear();
	free(slots);
	crypto_hmac_wipe(&key);
	slots = n > 0 ? xcalloc(n, sizeof(*slots)) : NULL;
	nslots = n;
	if (n > 0) {
		crypto_random(k, sizeof(k));
		crypto_hmac_init(&key, k, sizeof(k));
		crypto_wipe(k, sizeof(k));
	}
}

static uint64_t
hash(const char *tok, size_t len)
{
	unsigned char	 mac[CRYPTO_SHA256_LEN];
	uint64_t	 h;

	crypto_hmac(&key, tok, len, mac);
	memcpy(&h, mac, sizeof(h));
	return h;
}

/* The two slots a token of hash h may use. */
static void
ways(uint64_t h, struct slot *w[2])
{
	size_t	 i = (size_t)(h % nslots);

	w[0] = &slots[i];
	w[1] = &slots[(i + 1) % nslots];
}

const struct token_facts *
tokcache_get(const char *tok, size_t len, enum conf_alg alg)
{
	struct slot	*w[2];
	uint64_t	 h;
	int		 i;

	if (nslots == 0)
		return NULL;
	if (len <= TOKCACHE_TOKEN_MAX) {
		h = hash(tok, len);
		ways(h, w);
		for (i = 0; i < 2; i++)
			if (w[i]->used != 0 && w[i]->hash == h &&
			    w[i]->alg == alg && w[i]->toklen == len &&
			    crypto_equal(w[i]->mem, tok, len)) {
				w[i]->used = ++tick;
				metrics_cache(MC_TOKEN, true);
				return &w[i]->facts;
			}
	}
	metrics_cache(MC_TOKEN, false);
	return NULL;
}

/* Copy the string s (NULL: none) of n bytes to *p; where it went. */
static const char *
put_str(char **p, const char *s, size_t n)
{
	char	*at = *p;

	if (s == NULL)
		return NULL;
	memcpy(at, s, n);
	*p += n;
	return at;
}

static size_t
len0(const char *s)
{
	return s != NULL ? strlen(s) + 1 : 0;
}

void
tokcache_put(const char *tok, size_t len, enum conf_alg alg,
    const struct token_facts *f)
{
	struct slot	*w[2], *s;
	uint64_t	 h;
	char		*p;

	if (nslots == 0 || len > TOKCACHE_TOKEN_MAX)
		return;
	h = hash(tok, len);
	ways(h, w);
	s = w[0]->used <= w[1]->used ? w[0] : w[1];
	slot_drop(s);
	s->memlen = len + len0(f->iss) + f->audlen + len0(f->jti) +
	    len0(f->sub);
	p = s->mem = xmalloc(s->memlen);
	put_str(&p, tok, len);
	s->facts = *f;
	s->facts.iss = put_str(&p, f->iss, len0(f->iss));
	s->facts.aud = put_str(&p, f->aud, f->audlen);
	s->facts.jti = put_str(&p, f->jti, len0(f->jti));
	s->facts.sub = put_str(&p, f->sub, len0(f->sub));
	s->hash = h;
	s->alg = alg;
	s->toklen = len;
	s->used = ++tick;
}
