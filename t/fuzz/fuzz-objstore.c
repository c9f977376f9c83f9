/*
 * fuzz-objstore.c: libFuzzer harness for what object stores and admins
 * send the object-store backends (src/storage_obj.c): ListObjectsV2 and
 * List Blobs answers, GCS objects.list and object resources (JSON), and
 * error bodies (XML from the network), bucket and
 * Azure locations and endpoint URLs (from the admin API).
 *
 * Every listed key must be a valid storage key, and the listing sorted;
 * a location that splits must give a bucket of 3 to 63 characters and a
 * prefix that is empty or ends in "/"; an Azure location an account
 * of 3 to 24 characters and a container without "." or "--".
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "err.h"
#include "storage.h"
#include "storage_obj.h"
#include "xmalloc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

typedef void page_fn(struct arena *, const char *, size_t, const char *,
    struct obj_list *, const char **);

static void
listing(struct arena *a, page_fn *page, const char *s, size_t n,
    const char *prefix)
{
	struct storage_list	 out;
	struct obj_list		 l;
	const char		*token;
	size_t			 i;

	obj_list_init(&l, a);
	page(a, s, n, prefix, &l, &token);
	obj_list_done(&l, &out);
	for (i = 0; i < out.n; i++) {
		if (!storage_key_valid(out.v[i].key) || out.v[i].size < 0)
			abort();
		if (i > 0 && strcmp(out.v[i - 1].key, out.v[i].key) > 0)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena		*a = arena_new();
	struct obj_endpoint	 ep;
	struct obj_az		 az;
	struct storage_entry	 ent;
	struct err		 e;
	const char		*bucket, *prefix;
	char			*s, code[64];
	size_t			 n;

	s = xmalloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	listing(a, obj_s3_page, s, size, "");
	listing(a, obj_s3_page, s, size, "tbl/");
	listing(a, obj_az_page, s, size, "");
	listing(a, obj_az_page, s, size, "tbl/");
	listing(a, obj_gcs_page, s, size, "");
	listing(a, obj_gcs_page, s, size, "tbl/");
	if (obj_gcs_object(a, s, size, "tbl/", &ent) &&
	    (!storage_key_valid(ent.key) || ent.size < 0))
		abort();
	obj_xml_text(s, size, "Code", code, sizeof(code));
	(void)obj_xml_dup(a, s, size, "Message");
	if (obj_bucket_split(a, s, &bucket, &prefix, &e) == 0) {
		n = strlen(prefix);
		if (strlen(bucket) < 3 || strlen(bucket) > 63 ||
		    (n > 0 && prefix[n - 1] != '/'))
			abort();
	}
	if (obj_az_split(a, s, &az, &e) == 0) {
		n = strlen(az.prefix);
		if (strlen(az.account) < 3 || strlen(az.account) > 24 ||
		    strchr(az.container, '.') != NULL ||
		    strstr(az.container, "--") != NULL ||
		    (n > 0 && az.prefix[n - 1] != '/') ||
		    obj_az_canonical(a, &az) == NULL)
			abort();
	}
	(void)obj_endpoint_parse(a, s, &ep, &e);
	(void)obj_az_endpoint(a, s, &ep, &prefix, &e);
	free(s);
	arena_free(a);
	return 0;
}
