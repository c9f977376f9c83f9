/*
 * u-query.c: unit tests for what a table data request carries besides
 * its path: the capabilities and fileidhash headers (src/caps.c), the
 * query body (src/qbody.c, in the reference's validation order), and
 * the tokens of file URLs (src/fileurl.c).
 */
#include "config.h"

#include <string.h>

#include "arena.h"
#include "caps.h"
#include "delta_features.h"
#include "err.h"
#include "fileurl.h"
#include "qbody.h"
#include "tap.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static void
test_caps(void)
{
	static const struct {
		const char	*hdr;
		unsigned	 needs;
		int		 fmt;		/* -1: 400 */
		unsigned	 features;
		bool		 end_stream;
	} cases[] = {
		{ NULL, 0, CAPS_PARQUET, 0, false },
		{ NULL, DELTA_F_DELETION_VECTORS, CAPS_PARQUET, 0, false },
		{ "responseformat=delta", 0, CAPS_DELTA, 0, false },
		{ "ResponseFormat=DELTA", 0, CAPS_DELTA, 0, false },
		{ "responseformat=delta,parquet", 0, CAPS_PARQUET, 0, false },
		{ "responseformat=parquet,delta", DELTA_F_COLUMN_MAPPING,
		    CAPS_DELTA, 0, false },
		{ "responseformat=delta;readerfeatures=deletionvectors,"
		    "columnmapping,timestampntz", 0, CAPS_DELTA,
		    DELTA_F_DELETION_VECTORS | DELTA_F_COLUMN_MAPPING |
		    DELTA_F_TIMESTAMP_NTZ, false },
		{ "asyncquery=false;responseformat=parquet;"
		    "includeendstreamaction=true", 0, CAPS_PARQUET, 0, true },
		{ "responseformat=arrow", 0, -1, 0, false },
		{ "responseformat=arrow,delta", 0, CAPS_DELTA, 0, false },
		{ "responseformat==delta;x;;=", 0, CAPS_PARQUET, 0, false },
		{ " responseformat = delta ; readerFeatures = DeletionVectors ",
		    0, CAPS_DELTA, DELTA_F_DELETION_VECTORS, false },
	};
	struct caps		 c;
	struct err		 e;
	enum caps_format	 fmt;
	size_t			 i;
	int			 rc;

	for (i = 0; i < NELEM(cases); i++) {
		is_int(caps_parse(cases[i].hdr, NULL, &c, &e), 0,
		    "caps %zu parses", i);
		rc = caps_format(&c, cases[i].needs, &fmt, &e);
		if (cases[i].fmt == -1)
			ok(rc == -1 && e.kind == ERR_BAD_PARAM,
			    "caps %zu: unknown format refused", i);
		else
			ok(rc == 0 && (int)fmt == cases[i].fmt,
			    "caps %zu: format %d", i, cases[i].fmt);
		is_int(c.features, cases[i].features, "caps %zu: features", i);
		ok(c.end_stream == cases[i].end_stream, "caps %zu: end stream",
		    i);
	}
}

static void
test_fileidhash(void)
{
	static const char *const good[] = { "parquet", "DELTA", " delta\t" };
	static const char *const bad[] = { "sha512", "SHA3-256", "none",
	    "blake2b", "md5", "sha256", "", "  ", "\t" };
	struct caps	 c;
	struct err	 e;
	size_t		 i;

	for (i = 0; i < NELEM(good); i++) {
		is_int(caps_parse(NULL, good[i], &c, &e), 0, "fileidhash '%s'",
		    good[i]);
		is_str(c.idhash_echo, i == 0 ? "parquet" : "delta",
		    "fileidhash '%s' echoed lowercased", good[i]);
	}
	for (i = 0; i < NELEM(bad); i++) {
		ok(caps_parse(NULL, bad[i], &c, &e) == -1 &&
		    e.kind == ERR_BAD_PARAM &&
		    strstr(e.msg, "Unsupported fileidhash") != NULL,
		    "fileidhash '%s' refused", bad[i]);
	}
}

static void
test_qbody(void)
{
	static const struct {
		const char	*body;
		bool		 async;
		enum err_kind	 kind;		/* ERR_NONE: parses */
		const char	*msg;
	} cases[] = {
		{ "{}", false, ERR_NONE, NULL },
		{ "", false, ERR_MALFORMED, "No content to map" },
		{ " \n", false, ERR_MALFORMED, "No content to map" },
		{ "[]", false, ERR_MALFORMED, NULL },
		{ "{'a':1}", false, ERR_MALFORMED, NULL },
		{ "{\"predicateHints\":{}}", false, ERR_MALFORMED,
		    "Expected an array for repeated field predicateHints" },
		{ "{\"version\":\"x3\"}", false, ERR_MALFORMED,
		    "Not a numeric value: x3" },
		{ "{\"version\":\"2\",\"unknown\":1}", false, ERR_NONE, NULL },
		{ "{\"version\":1,\"timestamp\":\"t\"}", false, ERR_BAD_PARAM,
		    "Please only provide one of: version,timestamp,"
		    "startingVersion" },
		{ "{\"timestamp\":\"t\",\"starting_version\":1}", false,
		    ERR_BAD_PARAM, "Please only provide one of" },
		{ "{\"version\":-1}", false, ERR_BAD_PARAM,
		    "table version cannot be negative." },
		{ "{\"startingVersion\":-2}", false, ERR_BAD_PARAM,
		    "startingVersion cannot be negative." },
		{ "{\"maxFiles\":0}", false, ERR_BAD_PARAM,
		    "maxFiles must be positive." },
		{ "{\"maxFiles\":3000000000}", false, ERR_MALFORMED,
		    "Not an int32 value" },
		{ "{\"includeRefreshToken\":true,\"version\":1}", false,
		    ERR_BAD_PARAM, "includeRefreshToken cannot be used when "
		    "querying a specific version." },
		{ "{\"includeRefreshToken\":true,\"pageToken\":\"p\"}", false,
		    ERR_BAD_PARAM, "includeRefreshToken must be used in the "
		    "first page request." },
		{ "{\"refreshToken\":\"r\",\"startingVersion\":1}", false,
		    ERR_BAD_PARAM, "refreshToken cannot be used when querying "
		    "a specific version." },
		{ "{\"refreshToken\":\"r\",\"pageToken\":\"p\"}", false,
		    ERR_BAD_PARAM, "refreshToken must be used in the first "
		    "page request." },
		{ "{}", true, ERR_BAD_PARAM,
		    "idempotency_key is required for async query." },
		{ "{\"idempotency_key\":\"k\"}", true, ERR_NONE, NULL },
		{ "{\"limitHint\":true}", false, ERR_MALFORMED, NULL },
		{ "{\"version\":null,\"timestamp\":\"t\"}", false, ERR_NONE,
		    NULL },
	};
	static const char full[] = "{\"predicateHints\":[\"a = 1\","
	    "\"b > 2\"],\"jsonPredicateHints\":\"{}\",\"limitHint\":\"7\","
	    "\"starting_version\":3,\"endingVersion\":5,\"max_files\":2,"
	    "\"includeHistoricalProtocol\":true}";
	struct arena	*a = arena_new();
	struct qbody	 q;
	struct err	 e;
	size_t		 i;
	int		 rc;

	for (i = 0; i < NELEM(cases); i++) {
		err_clear(&e);
		rc = qbody_parse(a, cases[i].body, strlen(cases[i].body),
		    cases[i].async, &q, &e);
		if (cases[i].kind == ERR_NONE)
			is_int(rc, 0, "body %zu parses: %s", i, e.msg);
		else
			ok(rc == -1 && e.kind == cases[i].kind &&
			    (cases[i].msg == NULL ||
			    strstr(e.msg, cases[i].msg) != NULL),
			    "body %zu: %s", i, e.msg);
	}
	is_int(qbody_parse(a, full, strlen(full), false, &q, &e), 0,
	    "full body parses: %s", e.msg);
	ok(q.nhints == 2 && strcmp(q.hints[1], "b > 2") == 0 &&
	    strcmp(q.json_hints, "{}") == 0 && q.limit == 7 &&
	    q.starting_version == 3 && q.ending_version == 5 &&
	    q.max_files == 2 && q.historical_protocol && q.version == -1,
	    "full body: every field, both spellings");
	arena_free(a);
}

static void
test_fileurl(void)
{
	static const unsigned char secret[] = "unit test secret of 32 bytes...";
	struct arena	*a = arena_new();
	struct fileurl	 f = { 42, 5000, "region=a b/part-0.parquet" }, g;
	struct fileurl_key k;
	struct err	 e;
	char		*tok, *bad, buf[128];
	size_t		 n;
	int		 i;

	tok = fileurl_token(a, secret, sizeof(secret), &f);
	/* Worked out with Python's hmac: the layout of fileurl.c. */
	is_str(tok, "ASoAAAAAAAAAiBMAAAAAAAByZWdpb249YSBiL3BhcnQtMC5wYXJxdWV0p"
	    "PUSG9tTdUIVH5CZlbJ_jA", "token of a known file");
	fileurl_key_init(&k, secret, sizeof(secret));
	is_str(fileurl_url(a, &k, "https://h/p/", 9, &f), arena_printf(a,
	    "https://h/files/%s", tok), "a URL from a prepared key");
	is_str(fileurl_url(a, &k, "", 0, &f), arena_printf(a, "/files/%s",
	    tok), "again, after an empty base");
	for (i = 0; i < 3; i++) {
		g = f;
		g.key = arena_printf(a, "%.*s", (int)(20 + i), f.key);
		n = fileurl_put_token(&k, &g, buf);
		if (n != fileurl_token_len(strlen(g.key)) || n != strlen(buf) ||
		    strcmp(buf, fileurl_token(a, secret, sizeof(secret),
		    &g)) != 0)
			break;
	}
	is_int(i, 3, "a token put in place, of the length said, for keys "
	    "of each length modulo 3");
	fileurl_key_wipe(&k);
	ok(strspn(tok, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789-_") == strlen(tok), "token is base64url");
	ok(fileurl_open(a, secret, sizeof(secret), tok, 5000, &g, &e) == 0 &&
	    g.table_id == 42 && g.expires_ms == 5000 &&
	    strcmp(g.key, f.key) == 0, "token opens to the same file");
	ok(fileurl_open(a, secret, sizeof(secret), tok, 5001, &g, &e) == -1 &&
	    e.kind == ERR_FORBIDDEN && strstr(e.msg, "expired") != NULL,
	    "expired token refused");
	ok(fileurl_open(a, (const unsigned char *)"another secret", 14, tok,
	    0, &g, &e) == -1 && e.kind == ERR_FORBIDDEN,
	    "another secret's token refused");
	bad = arena_strdup(a, tok);
	bad[10] = bad[10] == 'A' ? 'B' : 'A';
	ok(fileurl_open(a, secret, sizeof(secret), bad, 0, &g, &e) == -1,
	    "altered token refused");
	bad[strlen(bad) - 3] = '\0';
	ok(fileurl_open(a, secret, sizeof(secret), bad, 0, &g, &e) == -1,
	    "truncated token refused");
	ok(fileurl_open(a, secret, sizeof(secret), "", 0, &g, &e) == -1 &&
	    fileurl_open(a, secret, sizeof(secret), "AAAA", 0, &g, &e) == -1,
	    "empty and short tokens refused");
	arena_free(a);
}

int
main(void)
{
	test_caps();
	test_fileidhash();
	test_qbody();
	test_fileurl();
	return done_testing();
}
