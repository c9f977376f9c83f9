/*
 * u-crypto.c: unit tests for the hashes and the HMAC of src/crypto.c.
 *
 * SHA-256 and MD5 against the FIPS 180 and RFC 1321 examples, HMAC-SHA256
 * against RFC 4231's test cases (keys shorter than, equal to and longer
 * than a block), and the prepared-key paths the URL signers use: a key
 * prepared once and reused, a common prefix fed once and forked by
 * copying, and the wipe of a finished MAC.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "strutil.h"
#include "tap.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static const char *
hex(const unsigned char *p, size_t n)
{
	static char	 out[2 * 64 + 1];

	str_hex(p, n, out);
	return out;
}

/* n bytes of c. */
static const unsigned char *
fill(int c, size_t n)
{
	static unsigned char	 b[256];

	memset(b, c, n);
	return b;
}

static void
test_digests(void)
{
	unsigned char	 h[32];

	crypto_sha256("abc", 3, h);
	is_str(hex(h, 32), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9c"
	    "b410ff61f20015ad", "SHA-256 of \"abc\"");
	crypto_sha256("", 0, h);
	is_str(hex(h, 32), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934c"
	    "a495991b7852b855", "SHA-256 of nothing");
	crypto_sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	    56, h);
	is_str(hex(h, 32), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167"
	    "f6ecedd419db06c1", "SHA-256 of two blocks");
	crypto_md5("abc", 3, h);
	is_str(hex(h, 16), "900150983cd24fb0d6963f7d28e17f72", "MD5 of \"abc\"");
	crypto_md5("", 0, h);
	is_str(hex(h, 16), "d41d8cd98f00b204e9800998ecf8427e", "MD5 of nothing");
}

static void
test_sha256_incremental(void)
{
	struct crypto_sha256 a, b;
	unsigned char	 h[32], want[32];

	crypto_sha256_init(&a);
	crypto_sha256_update(&a, "abcdbcdecdefdefgefgh", 20);
	b = a;				/* a fork shares the prefix */
	crypto_sha256_update(&a, "fghighijhijkijkljklmklmnlmnomnopnopq", 36);
	crypto_sha256_final(&a, h);
	is_str(hex(h, 32), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167"
	    "f6ecedd419db06c1", "SHA-256 in two updates");
	crypto_sha256_update(&b, "xyz", 3);
	crypto_sha256_final(&b, h);
	crypto_sha256("abcdbcdecdefdefgefghxyz", 23, want);
	is_mem(h, 32, want, 32, "a fork goes on from the shared prefix");
}

static void
test_hmac_rfc4231(void)
{
	static const struct {
		const char	*name;
		int		 kc;		/* key byte, or -1: 0x01.. */
		size_t		 klen;
		const char	*msg;		/* NULL: dc bytes of mc */
		int		 mc;
		size_t		 mlen;
		const char	*mac;
	} cases[] = {
		{ "case 1", 0x0b, 20, "Hi There", 0, 0,
		    "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c"
		    "2e32cff7" },
		{ "case 3", 0xaa, 20, NULL, 0xdd, 50,
		    "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514"
		    "ced565fe" },
		{ "case 4", -1, 25, NULL, 0xcd, 50,
		    "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff4"
		    "6729665b" },
		{ "case 6 (131-byte key)", 0xaa, 131,
		    "Test Using Larger Than Block-Size Key - Hash Key First", 0,
		    0, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040"
		    "f0ee37f54" },
		{ "case 7 (131-byte key, long data)", 0xaa, 131,
		    "This is a test using a larger than block-size key and a "
		    "larger than block-size data. The key needs to be hashed "
		    "before being used by the HMAC algorithm.", 0, 0,
		    "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f5153"
		    "5c3a35e2" },
		{ "64-byte key (one block, not hashed)", 'k', 64,
		    "exactly one block of key", 0, 0,
		    "baa93ea4ccc7062ed6870c5e7937dbd35ad7791df4e29df9addeb429"
		    "ff491acf" },
		{ "empty key and message", 0, 0, "", 0, 0,
		    "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c71214"
		    "4292c5ad" },
	};
	struct crypto_hmac k, m;
	unsigned char	 key[256], msg[256], mac[32];
	size_t		 i, j, mlen;

	for (i = 0; i < NELEM(cases); i++) {
		for (j = 0; j < cases[i].klen; j++)
			key[j] = cases[i].kc == -1 ? (unsigned char)(j + 1) :
			    (unsigned char)cases[i].kc;
		if (cases[i].msg != NULL) {
			mlen = strlen(cases[i].msg);
			memcpy(msg, cases[i].msg, mlen);
		} else {
			mlen = cases[i].mlen;
			memcpy(msg, fill(cases[i].mc, mlen), mlen);
		}
		crypto_hmac_sha256(key, cases[i].klen, msg, mlen, mac);
		is_str(hex(mac, 32), cases[i].mac, "HMAC one-shot, %s",
		    cases[i].name);
		crypto_hmac_init(&k, key, cases[i].klen);
		memset(mac, 0, sizeof(mac));
		crypto_hmac(&k, msg, mlen, mac);
		is_str(hex(mac, 32), cases[i].mac, "HMAC prepared key, %s",
		    cases[i].name);
		crypto_hmac(&k, msg, mlen, mac);
		is_str(hex(mac, 32), cases[i].mac, "HMAC prepared key reused, "
		    "%s", cases[i].name);
		/* A prefix fed once, the rest per message. */
		m = k;
		crypto_hmac_update(&m, msg, mlen / 2);
		crypto_hmac_update(&m, msg + mlen / 2, mlen - mlen / 2);
		crypto_hmac_final(&m, mac);
		is_str(hex(mac, 32), cases[i].mac, "HMAC in two updates, %s",
		    cases[i].name);
		ok(memcmp(&m, fill(0, sizeof(m)), sizeof(m)) == 0,
		    "a finished MAC is wiped, %s", cases[i].name);
		crypto_hmac_wipe(&k);
	}
	crypto_hmac_sha256("Jefe", 4, "what do ya want for nothing?", 28, mac);
	is_str(hex(mac, 32), "5bdcc146bf60754e6a042426089575c75a003f089d273983"
	    "9dec58b964ec3843", "HMAC case 2 (key shorter than the MAC)");
	ok(memcmp(&k, fill(0, sizeof(k)), sizeof(k)) == 0,
	    "crypto_hmac_wipe zeroes a prepared key");
}

int
main(void)
{
	test_digests();
	test_sha256_incremental();
	test_hmac_rfc4231();
	return done_testing();
}
