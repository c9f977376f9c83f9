/*
 * u-delta-path.c: unit tests for src/delta_path.c and src/delta_dv.c:
 * log paths to storage keys (relative, absolute, hostile), the
 * reconciliation keys of file actions, Z85, deletion vector keys and
 * uniqueIds, and the RoaringBitmapArray reader.
 *
 * Expected values come from the Delta protocol (PROTOCOL.md, "Deletion
 * Vectors": its three JSON examples and what they decode to), ZeroMQ
 * RFC 32 (the "HelloWorld" vector), the RoaringFormatSpec, and from the
 * paths Spark writes (worked out by hand, not by running this code).
 */
#include "config.h"

#include <sys/stat.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "delta_action.h"
#include "delta_dv.h"
#include "delta_path.h"
#include "err.h"
#include "storage.h"
#include "tap.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

#define ROOT		"file:///tmp/t"
#define UUID_Z85	"^-aqEH.-t@S}K{vb[*k^"
#define UUID_TEXT	"d2c639aa-8816-431a-aaf6-d3fe2512ff61"
#define INLINE_EX	"wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L"

struct path_case {
	const char	*name;
	const char	*root;
	const char	*path;
	const char	*key;		/* NULL: refused */
	const char	*why;		/* part of the message when refused */
};

static void
run_paths(const struct path_case *cases, size_t n)
{
	struct arena	*a = arena_new();
	const char	*key;
	struct err	 e;
	size_t		 i;
	int		 rc;

	for (i = 0; i < n; i++) {
		err_clear(&e);
		key = NULL;
		rc = delta_path_key(cases[i].root, cases[i].path, a, &key, &e);
		if (cases[i].key != NULL) {
			if (!is_int(rc, 0, "%s: accepted", cases[i].name))
				diag("error: %s", e.msg);
			is_str(key, cases[i].key, "%s: key", cases[i].name);
		} else {
			is_int(rc, -1, "%s: refused", cases[i].name);
			is_int(e.kind, ERR_UPSTREAM, "%s: kind", cases[i].name);
			if (!ok(strstr(e.msg, cases[i].why) != NULL,
			    "%s: message says '%s'", cases[i].name,
			    cases[i].why))
				diag("message: %s", e.msg);
		}
	}
	arena_free(a);
}

static void
test_relative(void)
{
	static const struct path_case cases[] = {
		{ "plain", ROOT, "part-0.parquet", "part-0.parquet", NULL },
		{ "partition folder", ROOT, "a=1/b=x/p.parquet",
		    "a=1/b=x/p.parquet", NULL },
		{ "escaped equals", ROOT, "a%3D1/p", "a=1/p", NULL },
		{ "plus stays plus", ROOT, "c2=+%20%253D%25250/p",
		    "c2=+ %3D%250/p", NULL },
		{ "double-encoded once", ROOT,
		    "letter=%252F%252520%2525f/p", "letter=%2F%2520%25f/p",
		    NULL },
		{ "raw UTF-8", ROOT, "data=\xf0\x9f\x98\x88/p",
		    "data=\xf0\x9f\x98\x88/p", NULL },
		{ "encoded UTF-8", ROOT, "data=%C3%A9/p", "data=\xc3\xa9/p",
		    NULL },
		{ "percent file prefix", ROOT, "test%25file%25prefix-part.p",
		    "test%file%prefix-part.p", NULL },
		{ "encoded slash splits", ROOT, "a%2Fb", "a/b", NULL },
		{ "raw space", ROOT, "a b/p", "a b/p", NULL },
		{ "dots inside a name", ROOT, "a..b/.c/d.", "a..b/.c/d.",
		    NULL },
		{ "colon after a slash", ROOT, "a/b:c", "a/b:c", NULL },
		{ "dot-dot", ROOT, "../t2/p.parquet", NULL, "'..'" },
		{ "dot-dot deeper", ROOT, "a/../../p", NULL, "'..'" },
		{ "encoded dot-dot", ROOT, "%2e%2e/t2/p", NULL, "'..'" },
		{ "encoded upper dot-dot", ROOT, "a/%2E%2E/%2E%2E/p", NULL,
		    "'..'" },
		{ "dot-dot and encoded slash", ROOT, "..%2Fetc%2Fpasswd", NULL,
		    "'..'" },
		{ "encoded slashes climb", ROOT, "a%2F..%2F..%2Fetc", NULL,
		    "'..'" },
		{ "dot segment", ROOT, "./p", NULL, "'.'" },
		{ "empty segment", ROOT, "a//p", NULL, "empty segment" },
		{ "trailing slash", ROOT, "a/", NULL, "empty segment" },
		{ "encoded leading slash", ROOT, "%2Fetc/passwd", NULL,
		    "empty segment" },
		{ "empty", ROOT, "", NULL, "empty" },
		{ "NUL", ROOT, "a%00b", NULL, "malformed" },
		{ "bad escape", ROOT, "a%zz", NULL, "malformed" },
		{ "lone percent", ROOT, "a%", NULL, "malformed" },
		{ "unencoded percent", ROOT, "folder&with%special char/x",
		    NULL, "malformed" },
		{ "newline", ROOT, "a%0Ab", NULL, "control" },
		{ "DEL", ROOT, "a%7Fb", NULL, "control" },
		{ "a tab past eight bytes", ROOT, "date=2024/part%09-000.parquet",
		    NULL, "control" },
		{ "DEL past eight bytes", ROOT, "date=2024/part-0000%7F.parquet",
		    NULL, "control" },
		{ "0x1f in the last word", ROOT, "date=2024-01-01/%1F1234567",
		    NULL, "control" },
		{ "no control in 0x20 to 0x7e", ROOT,
		    "a%20b%21%7E%40/%C3%A9t%C3%A9-long-enough.parquet",
		    "a b!~@/\xc3\xa9t\xc3\xa9-long-enough.parquet", NULL },
		{ "invalid UTF-8", ROOT, "a%FFb", NULL, "UTF-8" },
		{ "overlong dot", ROOT, "%C0%AE%C0%AE/p", NULL, "UTF-8" },
		{ "double-encoded dots stay", ROOT, "%252e%252e/p",
		    "%2e%2e/p", NULL },
	};

	run_paths(cases, NELEM(cases));
}

static void
test_absolute(void)
{
	static const struct path_case cases[] = {
		{ "file triple slash", ROOT, "file:///tmp/t/p.parquet",
		    "p.parquet", NULL },
		{ "file single slash", ROOT, "file:/tmp/t/a=1/p", "a=1/p",
		    NULL },
		{ "no scheme", ROOT, "/tmp/t/p", "p", NULL },
		{ "localhost", ROOT, "file://localhost/tmp/t/p", "p", NULL },
		{ "scheme case", ROOT, "FILE:///tmp/t/p", "p", NULL },
		{ "encoded name", ROOT, "file:///tmp/t/a%20b/c%25d", "a b/c%d",
		    NULL },
		{ "encoded slash in root part", ROOT, "file:///tmp%2Ft/p", "p",
		    NULL },
		{ "root given as a path", "/tmp/t", "file:/tmp/t/p", "p", NULL },
		{ "root with trailing slash", "file:///tmp/t/",
		    "file:///tmp/t/p", "p", NULL },
		{ "encoded root", "file:///tmp/my%20t", "/tmp/my t/p", "p",
		    NULL },
		{ "encoded root, encoded path", "file:///tmp/my%20t",
		    "file:/tmp/my%20t/p", "p", NULL },
		{ "root is /", "file:///", "file:///p", "p", NULL },
		{ "sibling with the same start", ROOT, "file:///tmp/tx/p", NULL,
		    "outside" },
		{ "the root itself", ROOT, "file:///tmp/t", NULL, "outside" },
		{ "root with a slash", ROOT, "file:///tmp/t/", NULL,
		    "empty segment" },
		{ "elsewhere on the disk", ROOT, "file:///etc/passwd", NULL,
		    "outside" },
		{ "unqualified elsewhere", ROOT,
		    "/some/unqualified/absolute/path", NULL, "outside" },
		{ "dot-dot out of the root", ROOT, "file:///tmp/t/../u/p", NULL,
		    "'..'" },
		{ "encoded dot-dot out", ROOT, "file:///tmp/t/%2e%2e/u/p", NULL,
		    "'..'" },
		{ "another host", ROOT, "file://evil/tmp/t/p", NULL,
		    "outside" },
		{ "another scheme", ROOT, "s3://other/x", NULL, "outside" },
		{ "same path, other scheme", ROOT, "s3://tmp/t/p", NULL,
		    "outside" },
		{ "http", ROOT, "http://169.254.169.254/latest", NULL,
		    "outside" },
		{ "opaque file URI", ROOT,
		    "file:{{FOLDER_WITH_SPECIAL_CHAR}}/x.bin", NULL,
		    "not an absolute path" },
		{ "relative file URI", ROOT, "file:p.parquet", NULL,
		    "not an absolute path" },
		{ "network path", ROOT, "//evil/tmp/t/p", NULL, "outside" },
	};
	static const struct path_case s3[] = {
		{ "s3 relative", "s3://bucket/tables/t", "x/p", "x/p", NULL },
		{ "s3 absolute", "s3://bucket/tables/t",
		    "s3://bucket/tables/t/p", "p", NULL },
		{ "s3a is s3", "s3://bucket/tables/t",
		    "s3a://bucket/tables/t/p", "p", NULL },
		{ "s3 no scheme", "s3://bucket/tables/t", "/tables/t/p", "p",
		    NULL },
		{ "s3 bucket root", "s3://mytable",
		    "s3://mytable/deletion_vector_x.bin",
		    "deletion_vector_x.bin", NULL },
		{ "s3 other bucket", "s3://bucket/tables/t",
		    "s3://other/tables/t/p", NULL, "outside" },
		{ "s3 sibling table", "s3://bucket/tables/t",
		    "s3://bucket/tables/t2/p", NULL, "outside" },
		{ "s3 without authority", "s3://bucket/tables/t",
		    "s3:/tables/t/p", NULL, "no authority" },
		{ "gs is not s3", "s3://bucket/tables/t",
		    "gs://bucket/tables/t/p", NULL, "outside" },
		{ "file under an s3 root", "s3://bucket/tables/t",
		    "file:///tables/t/p", NULL, "outside" },
		{ "s3 climbing", "s3://bucket/tables/t",
		    "s3://bucket/tables/t/../../x", NULL, "'..'" },
	};

	run_paths(cases, NELEM(cases));
	run_paths(s3, NELEM(s3));
}

static void
test_bad_root(void)
{
	struct arena	*a = arena_new();
	const char	*key;
	struct err	 e;

	err_clear(&e);
	is_int(delta_path_key("relative/root", "p", a, &key, &e), -1,
	    "a relative root is refused");
	is_int(e.kind, ERR_INTERNAL, "as an internal error");
	err_clear(&e);
	is_int(delta_path_key("file:///tmp/../t", "p", a, &key, &e), -1,
	    "a root with '..' is refused");
	arena_free(a);
}

static struct delta_dv
dv_make(char type, const char *v, int32_t off, int32_t size, int64_t card)
{
	struct delta_dv	 dv;

	memset(&dv, 0, sizeof(dv));
	dv.storage_type = type;
	dv.path_or_inline = v;
	dv.offset = off;
	dv.size = size;
	dv.cardinality = card;
	dv.max_row_index = -1;
	return dv;
}

static void
test_file_keys(void)
{
	struct arena		*a = arena_new();
	struct delta_file	 f;
	const char		*k1, *k2, *k3;
	struct err		 e;

	memset(&f, 0, sizeof(f));
	err_clear(&e);
	f.path = "a%3D1/p.parquet";
	is_int(delta_path_file_key(ROOT, &f, a, &k1, &e), 0, "file key");
	is_str(k1, "a=1/p.parquet", "file key without a DV is the key");
	f.path = "file:///tmp/t/a=1/p.parquet";
	is_int(delta_path_file_key(ROOT, &f, a, &k2, &e), 0,
	    "file key of the absolute spelling");
	is_str(k2, k1, "relative and absolute spellings meet");
	f.dv = dv_make('u', "ab" UUID_Z85, 4, 40, 6);
	is_int(delta_path_file_key(ROOT, &f, a, &k3, &e), 0,
	    "file key with a DV");
	is_str(k3, "a=1/p.parquet\tuab" UUID_Z85 "@4",
	    "file key: key, tab, uniqueId");
	f.dv = dv_make('u', "ab" UUID_Z85, -1, 40, 6);
	is_int(delta_path_file_key(ROOT, &f, a, &k3, &e), 0,
	    "file key with a DV without offset");
	is_str(k3, "a=1/p.parquet\tuab" UUID_Z85, "no '@' without offset");

	/* kernel-golden/canonicalized-paths-normal-a and -b. */
	memset(&f, 0, sizeof(f));
	f.path = "/some/unqualified/absolute/path";
	err_clear(&e);
	is_int(delta_path_file_key(ROOT, &f, a, &k1, &e), -1,
	    "file key: outside the root is refused");
	ok(strstr(e.msg, "outside the table root") != NULL,
	    "file key: says why");
	is_int(delta_path_file_id(ROOT, &f, a, &k1, &e), 1,
	    "file id: outside the root is 1");
	f.path = "file:/some/unqualified/absolute/path";
	is_int(delta_path_file_id(ROOT, &f, a, &k2, &e), 1,
	    "file id: file:/ spelling");
	f.path = "file:///some/unqualified/absolute/path";
	is_int(delta_path_file_id(ROOT, &f, a, &k3, &e), 1,
	    "file id: file:/// spelling");
	is_str(k1, "file:///some/unqualified/absolute/path",
	    "file id: canonical URI");
	ok(strcmp(k1, k2) == 0 && strcmp(k2, k3) == 0,
	    "file id: the three spellings meet");
	f.path = "p";
	is_int(delta_path_file_id(ROOT, &f, a, &k1, &e), 0,
	    "file id: inside is 0");
	f.path = "../p";
	is_int(delta_path_file_id(ROOT, &f, a, &k1, &e), -1,
	    "file id: '..' is still an error");
	f.path = "file:///some/../etc";
	is_int(delta_path_file_id(ROOT, &f, a, &k1, &e), -1,
	    "file id: '..' outside is an error too");
	arena_free(a);
}

static void
test_z85(void)
{
	static const unsigned char hello[] = { 0x86, 0x4f, 0xd2, 0x6f, 0xb5,
	    0x59, 0xf7, 0x5b };
	unsigned char	 out[16];
	char		 enc[32];

	is_int(delta_dv_z85_encode(hello, 8, enc), 10, "z85 encode length");
	is_str(enc, "HelloWorld", "z85: the RFC 32 vector encodes");
	is_int(delta_dv_z85_decode("HelloWorld", 10, out), 8,
	    "z85 decode length");
	is_mem(out, 8, hello, 8, "z85: the RFC 32 vector decodes");
	is_int(delta_dv_z85_decode("Hello", 4, out), -1,
	    "z85: length not a multiple of 5");
	is_int(delta_dv_z85_decode("Hel o", 5, out), -1,
	    "z85: space is not Z85");
	is_int(delta_dv_z85_decode("Hel\"o", 5, out), -1,
	    "z85: quote is not Z85");
	is_int(delta_dv_z85_decode("%nSc0", 5, out), 4,
	    "z85: 0xffffffff decodes");
	is_int(delta_dv_z85_decode("%nSc1", 5, out), -1,
	    "z85: 2^32 overflows");
	is_int(delta_dv_z85_decode("#####", 5, out), -1,
	    "z85: the largest group overflows");
	/* The z85 crate's padding: missing tail bytes become '#'. */
	is_int(delta_dv_z85_encode(hello, 7, enc), 10, "z85 encode: 7 bytes");
	ok(enc[5] == '#' && strncmp(enc, "Hello", 5) == 0,
	    "z85 encode: a padded tail");
	is_int(delta_dv_z85_decode(enc, 10, out), 7, "z85: padded decodes");
	is_mem(out, 7, hello, 7, "z85: padded round trip");
	is_int(delta_dv_z85_decode("##093", 5, out), 2,
	    "z85: kernel-rs tail of two bytes");
	ok(out[0] == 3 && out[1] == 0, "z85: the tail is big-endian");
	is_int(delta_dv_z85_decode("####0", 5, out), -1,
	    "z85: four pad characters");
	is_int(delta_dv_z85_decode("##zzz", 5, out), -1,
	    "z85: a tail too big for its bytes");
	is_int(delta_dv_z85_decode("##093HelloWorld", 15, out), -1,
	    "z85: padding only in the last group");
}

static void
test_dv_keys(void)
{
	static const struct {
		const char	*name;
		char		 type;
		const char	*value;
		int32_t		 off;
		const char	*root;
		const char	*key;	/* "" for inline; NULL: refused */
		const char	*why;
	} cases[] = {
		{ "protocol example 1", 'u', "ab" UUID_Z85, 4, ROOT,
		    "ab/deletion_vector_" UUID_TEXT ".bin", NULL },
		{ "no prefix", 'u', UUID_Z85, 1, ROOT,
		    "deletion_vector_" UUID_TEXT ".bin", NULL },
		{ "delta-rs uuid", 'u', "&9sA9{u>E#S[qd3XLIaZ", 1, ROOT, NULL,
		    NULL },
		{ "protocol example 2", 'p', "s3://mytable/deletion_vector_"
		    UUID_TEXT ".bin", 4, "s3://mytable",
		    "deletion_vector_" UUID_TEXT ".bin", NULL },
		{ "protocol example 3", 'i', INLINE_EX, -1, ROOT, "", NULL },
		{ "special characters", 'p', "file:/tmp/t/folder&with%25"
		    "special%20char/test%25dv%25prefix-deletion_vector_"
		    "67bc892e-2979-4760-a78c-856aba806564.bin", 1, ROOT,
		    "folder&with%special char/test%dv%prefix-deletion_vector_"
		    "67bc892e-2979-4760-a78c-856aba806564.bin", NULL },
		{ "template left in", 'p', "file:{{FOLDER_WITH_SPECIAL_CHAR}}"
		    "/test%25dv%25prefix-deletion_vector_x.bin", 1, ROOT,
		    NULL, "not an absolute path" },
		{ "p outside", 'p', "file:///etc/passwd", 1, ROOT, NULL,
		    "outside" },
		{ "p other bucket", 'p', "s3://other/dv.bin", 1, ROOT, NULL,
		    "outside" },
		{ "p relative", 'p', "dv.bin", 1, ROOT, NULL,
		    "not an absolute URI" },
		{ "p climbing", 'p', "file:///tmp/t/../u/dv.bin", 1, ROOT,
		    NULL, "'..'" },
		{ "u prefix climbs", 'u', ".." UUID_Z85, 1, ROOT, NULL,
		    "folder name" },
		{ "u prefix climbs deeper", 'u', "a/../.." UUID_Z85, 1, ROOT,
		    NULL, "folder name" },
		{ "u prefix absolute", 'u', "/" UUID_Z85, 1, ROOT, NULL,
		    "folder name" },
		{ "u prefix of a slash", 'u', "a/" UUID_Z85, 1, ROOT, NULL,
		    "folder name" },
		{ "u nested prefix", 'u', "a/b" UUID_Z85, 1, ROOT,
		    "a/b/deletion_vector_" UUID_TEXT ".bin", NULL },
		{ "u too short", 'u', "^-aqEH.-t@S}K{vb[*k", 1, ROOT, NULL,
		    "shorter" },
		{ "u empty", 'u', "", 1, ROOT, NULL, "shorter" },
		{ "u with a space", 'u', "a b" UUID_Z85, 1, ROOT, NULL,
		    "outside Z85" },
		{ "u uuid overflows", 'u', "#####" "-aqEH.-t@S}K{vb[*k^", 1,
		    ROOT, NULL, "Z85 UUID" },
		{ "i with an offset", 'i', INLINE_EX, 0, ROOT, NULL,
		    "offset" },
		{ "i bad length", 'i', "wi5b=0", -1, ROOT, NULL, "Z85" },
		{ "i bad character", 'i', "wi5b ", -1, ROOT, NULL, "Z85" },
		{ "bad type", 'x', UUID_Z85, 1, ROOT, NULL, "storage type" },
		{ "no type", '\0', UUID_Z85, 1, ROOT, NULL, "storage type" },
		{ "negative offset", 'u', UUID_Z85, -2, ROOT, NULL,
		    "negative" },
	};
	struct arena	*a = arena_new();
	struct delta_dv	 dv;
	const char	*key;
	struct err	 e;
	size_t		 i;
	int		 rc;

	for (i = 0; i < NELEM(cases); i++) {
		dv = dv_make(cases[i].type, cases[i].value, cases[i].off, 40,
		    6);
		err_clear(&e);
		key = "unset";
		rc = delta_dv_check(cases[i].root, &dv, a, &key, &e);
		if (cases[i].key == NULL && cases[i].why == NULL) {
			/* A real value: accepted, the key ends with .bin. */
			is_int(rc, 0, "dv %s: accepted", cases[i].name);
			ok(key != NULL && strncmp(key, "deletion_vector_",
			    16) == 0, "dv %s: key %s", cases[i].name, key);
		} else if (cases[i].key != NULL) {
			if (!is_int(rc, 0, "dv %s: accepted", cases[i].name))
				diag("error: %s", e.msg);
			is_str(key, cases[i].key[0] == '\0' ? NULL :
			    cases[i].key, "dv %s: key", cases[i].name);
		} else {
			is_int(rc, -1, "dv %s: refused", cases[i].name);
			if (!ok(strstr(e.msg, cases[i].why) != NULL,
			    "dv %s: message says '%s'", cases[i].name,
			    cases[i].why))
				diag("message: %s", e.msg);
		}
	}
	dv = dv_make('u', "ab" UUID_Z85, 4, -1, 6);
	is_int(delta_dv_validate(&dv, &e), -1, "dv: negative size");
	dv = dv_make('u', "ab" UUID_Z85, 4, 40, -1);
	is_int(delta_dv_validate(&dv, &e), -1, "dv: negative cardinality");
	dv = dv_make('i', INLINE_EX, -1, 41, 6);
	is_int(delta_dv_validate(&dv, &e), -1,
	    "dv: inline data shorter than sizeInBytes");
	arena_free(a);
}

static void
test_dv_ids(void)
{
	struct arena	*a = arena_new();
	struct delta_dv	 dv;
	char		 uuid[37];

	dv = dv_make('u', "ab" UUID_Z85, 4, 40, 6);
	is_str(delta_dv_unique_id(&dv, a), "uab" UUID_Z85 "@4",
	    "uniqueId with offset");
	is_int(delta_dv_uuid(&dv, uuid), 0, "uuid of example 1");
	is_str(uuid, UUID_TEXT, "example 1 decodes to the protocol's UUID");
	dv = dv_make('i', INLINE_EX, -1, 40, 6);
	is_str(delta_dv_unique_id(&dv, a), "i" INLINE_EX,
	    "uniqueId without offset");
	is_int(delta_dv_uuid(&dv, uuid), -1, "no uuid for inline");
	dv = dv_make('p', "file:///tmp/t/dv.bin", 0, 40, 6);
	is_str(delta_dv_unique_id(&dv, a), "pfile:///tmp/t/dv.bin@0",
	    "uniqueId with offset 0");
	arena_free(a);
}

/* Little-endian writers for building bitmaps by hand. */
static size_t
le16(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	return 2;
}

static size_t
le32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
	return 4;
}

/* Magic, one bucket (key 0), a no-run 32-bit header of nc containers. */
static size_t
bitmap_head(unsigned char *p, uint32_t nc)
{
	size_t	 n = 0;

	n += le32(p + n, DELTA_DV_MAGIC);
	n += le32(p + n, 1);
	n += le32(p + n, 0);
	n += le32(p + n, 0);		/* bucket key */
	return n + le32(p + n, 12346) + le32(p + n + 4, nc);
}

static void
test_bitmaps(void)
{
	/* From delta-rs/table-with-dv-small: rows 0 and 9. */
	static const unsigned char small[] = {
		0xd1, 0xd3, 0x39, 0x64, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0x3a, 0x30, 0, 0, 0x01, 0, 0, 0, 0, 0, 0x01, 0, 0x10, 0, 0, 0,
		0, 0, 0x09, 0 };
	static unsigned char buf[16384];
	struct arena		*a = arena_new();
	const unsigned char	*data;
	struct delta_dv		 dv;
	struct err		 e;
	int64_t			 card;
	size_t			 n, len, k, bad = 0;

	card = -1;
	is_int(delta_dv_bitmap_cardinality(small, sizeof(small), &card, &e),
	    0, "bitmap: an array container");
	is_int(card, 2, "bitmap: two rows");
	for (k = 0; k < sizeof(small); k++)
		if (delta_dv_bitmap_cardinality(small, k, &card, &e) != -1)
			bad++;
	is_int(bad, 0, "bitmap: every truncation is an error");
	memcpy(buf, small, sizeof(small));
	buf[0] ^= 1;
	is_int(delta_dv_bitmap_cardinality(buf, sizeof(small), &card, &e),
	    -1, "bitmap: bad magic");
	memcpy(buf, small, sizeof(small));
	buf[sizeof(small)] = 0;
	is_int(delta_dv_bitmap_cardinality(buf, sizeof(small) + 1, &card,
	    &e), -1, "bitmap: trailing bytes");
	memcpy(buf, small, sizeof(small));
	buf[4] = 0xff;
	is_int(delta_dv_bitmap_cardinality(buf, sizeof(small), &card, &e),
	    -1, "bitmap: a bucket count past the end");

	/*
	 * The protocol's inline example (rows 3, 4, 7, 11, 18, 29) is in
	 * Spark's native format, but with its integers big-endian: Spark
	 * reads them little-endian and refuses it; so does this.  Swapped
	 * to little-endian, it reads.
	 */
	dv = dv_make('i', INLINE_EX, -1, 40, 6);
	is_int(delta_dv_inline_data(&dv, a, &data, &len, &e), 0,
	    "inline example decodes");
	is_int(len, 40, "inline example: 40 bytes");
	is_int(delta_dv_bitmap_cardinality(data, len, &card, &e), -1,
	    "inline example: big-endian header refused, as Spark does");
	memcpy(buf, data, len);
	for (k = 0; k < 12; k += 4) {
		unsigned char	 t;

		t = buf[k];
		buf[k] = buf[k + 3];
		buf[k + 3] = t;
		t = buf[k + 1];
		buf[k + 1] = buf[k + 2];
		buf[k + 2] = t;
	}
	is_int(delta_dv_bitmap_cardinality(buf, len, &card, &e), 0,
	    "inline example, little-endian: the native format");
	is_int(card, 6, "inline example: six rows");
	buf[8] = 27;
	is_int(delta_dv_bitmap_cardinality(buf, len, &card, &e), -1,
	    "native format: a wrong bucket size");
	dv = dv_make('i', "^Bg9^0rr910000000000iXQKl0rr91000005c8Xg##093",
	    -1, 34, 1);
	is_int(delta_dv_inline_data(&dv, a, &data, &len, &e), 0,
	    "kernel-rs inline DV decodes");
	is_int(delta_dv_bitmap_cardinality(data, len, &card, &e), 0,
	    "kernel-rs inline DV is a bitmap");
	is_int(card, 1, "kernel-rs inline DV: one row");

	/* A bitmap container: 5000 rows. */
	n = bitmap_head(buf, 1);
	n += le16(buf + n, 7);
	n += le16(buf + n, 4999);
	n += le32(buf + n, (uint32_t)n + 4);
	memset(buf + n, 0, 8192);
	for (k = 0; k < 5000; k++)
		buf[n + k / 8] |= (unsigned char)(1u << (k % 8));
	is_int(delta_dv_bitmap_cardinality(buf, n + 8192, &card, &e), 0,
	    "bitmap: a bitmap container");
	is_int(card, 5000, "bitmap container: 5000 rows");
	buf[n] = 0;
	is_int(delta_dv_bitmap_cardinality(buf, n + 8192, &card, &e), -1,
	    "bitmap container: header and bits disagree");

	/* Run containers: cookie 12347, one container, two runs. */
	n = 0;
	n += le32(buf + n, DELTA_DV_MAGIC);
	n += le32(buf + n, 1);
	n += le32(buf + n, 0);
	n += le32(buf + n, 5);			/* bucket key */
	n += le32(buf + n, 12347);		/* (1 - 1) << 16 | cookie */
	buf[n++] = 1;				/* container 0 is a run */
	n += le16(buf + n, 0);
	n += le16(buf + n, 109);		/* 110 rows */
	n += le16(buf + n, 2);			/* two runs */
	n += le16(buf + n, 10);
	n += le16(buf + n, 9);			/* 10..19 */
	n += le16(buf + n, 1000);
	n += le16(buf + n, 99);			/* 1000..1099 */
	is_int(delta_dv_bitmap_cardinality(buf, n, &card, &e), 0,
	    "bitmap: run containers");
	is_int(card, 110, "run container: 110 rows");
	buf[n - 2] = 100;
	is_int(delta_dv_bitmap_cardinality(buf, n, &card, &e), -1,
	    "run container: runs and header disagree");
	n -= 4;
	n += le16(buf + n, 65500);
	n += le16(buf + n, 99);
	is_int(delta_dv_bitmap_cardinality(buf, n, &card, &e), -1,
	    "run container: a run past 65535");

	/* Empty: no bucket. */
	n = le32(buf, DELTA_DV_MAGIC);
	memset(buf + n, 0, 8);
	is_int(delta_dv_bitmap_cardinality(buf, n + 8, &card, &e), 0,
	    "bitmap: no bucket");
	is_int(card, 0, "no bucket: no row");
	arena_free(a);
}

/* delta_dv_load() on a DV file made here: size, bitmap, CRC. */
static void
test_dv_load(void)
{
	static const unsigned char file[] = {
		0x01, 0x00, 0x00, 0x00, 0x24, 0xd1, 0xd3, 0x39, 0x64, 0x01,
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x3a, 0x30, 0, 0, 0x01, 0, 0,
		0, 0, 0, 0x01, 0, 0x10, 0, 0, 0, 0, 0, 0x09, 0, 0x2a, 0x67,
		0x18, 0x46 };
	char		 dir[] = "/tmp/u-delta-path.XXXXXX", path[128];
	struct arena	*a = arena_new();
	struct storage	*st;
	struct delta_dv	 dv;
	struct err	 e;
	int64_t		 card = -1;
	FILE		*f;

	if (mkdtemp(dir) == NULL)
		bail_out("mkdtemp failed");
	snprintf(path, sizeof(path), "%s/deletion_vector_%s.bin", dir,
	    UUID_TEXT);
	if ((f = fopen(path, "wb")) == NULL ||
	    fwrite(file, 1, sizeof(file), f) != sizeof(file) || fclose(f))
		bail_out("cannot write %s", path);
	err_clear(&e);
	if ((st = storage_open(dir, &e)) == NULL)
		bail_out("storage_open: %s", e.msg);
	dv = dv_make('u', UUID_Z85, 1, 36, 2);
	if (!is_int(delta_dv_load(st, &dv, a, &card, &e), 0,
	    "dv load: a file"))
		diag("error: %s", e.msg);
	is_int(card, 2, "dv load: two rows");
	dv = dv_make('u', UUID_Z85, 1, 35, 2);
	is_int(delta_dv_load(st, &dv, a, &card, &e), -1,
	    "dv load: sizeInBytes unlike the file's");
	dv = dv_make('u', UUID_Z85, 2, 36, 2);
	is_int(delta_dv_load(st, &dv, a, &card, &e), -1,
	    "dv load: wrong offset");
	dv = dv_make('u', "zz" UUID_Z85, 1, 36, 2);
	is_int(delta_dv_load(st, &dv, a, &card, &e), -1,
	    "dv load: missing file");
	is_int(e.kind, ERR_NOT_FOUND, "dv load: missing is not found");
	/* Flip a bit of the bitmap: the CRC catches it. */
	if ((f = fopen(path, "r+b")) == NULL || fseek(f, 30, SEEK_SET) ||
	    fputc(0x02, f) == EOF || fclose(f))
		bail_out("cannot patch %s", path);
	dv = dv_make('u', UUID_Z85, 1, 36, 2);
	is_int(delta_dv_load(st, &dv, a, &card, &e), -1,
	    "dv load: CRC mismatch");
	ok(strstr(e.msg, "CRC") != NULL, "dv load: says CRC");
	dv = dv_make('i', "^Bg9^0rr910000000000iXQKl0rr91000935c8Xg000311onP9",
	    -1, 40, 4);
	is_int(delta_dv_load(st, &dv, a, &card, &e), 0, "dv load: inline");
	is_int(card, 4, "dv load: inline rows");
	storage_close(st);
	unlink(path);
	rmdir(dir);
	arena_free(a);
}

int
main(void)
{
	test_relative();
	test_absolute();
	test_bad_root();
	test_file_keys();
	test_z85();
	test_dv_keys();
	test_dv_ids();
	test_bitmaps();
	test_dv_load();
	return done_testing();
}
