/*
 * u-storage-obj.c: unit tests for what the object-store backends share
 * (src/storage_obj.c) and for the Azure environment credentials
 * (src/cred.c): bucket and Azure locations in every accepted form and
 * the ones refused, endpoints, ListObjectsV2, List Blobs and GCS
 * objects.list pages with their continuation, AZURE_STORAGE_CONNECTION_
 * STRING parsing and the GCS environment.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "cred.h"
#include "err.h"
#include "storage.h"
#include "storage_obj.h"
#include "tap.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static void
test_az_locations(void)
{
	static const struct {
		const char	*loc, *account, *container, *prefix;
	} good[] = {
		{ "abfss://delta@acct.dfs.core.windows.net/t/x", "acct",
		    "delta", "t/x/" },
		{ "abfs://delta@acct.dfs.core.windows.net/t/", "acct",
		    "delta", "t/" },
		{ "wasbs://delta@acct.blob.core.windows.net/t", "acct",
		    "delta", "t/" },
		{ "wasb://d-1@acct.blob.core.chinacloudapi.cn", "acct",
		    "d-1", "" },
		{ "https://acct.blob.core.windows.net/delta/a b+c/t", "acct",
		    "delta", "a b+c/t/" },
		{ "https://acct.dfs.core.usgovcloudapi.net/delta/t", "acct",
		    "delta", "t/" },
	};
	static const char *const bad[] = {
		"abfss://delta@acct.dfs.evil.example/t",
		"abfss://delta@acct.web.core.windows.net/t",
		"abfss://delta@ACCT.dfs.core.windows.net/t",
		"abfss://delta@ac.dfs.core.windows.net/t",
		"abfss://delta@acct.dfs.core.windows.net.evil/t",
		"abfss://acct.dfs.core.windows.net/t",
		"abfss://de--lta@acct.dfs.core.windows.net/t",
		"abfss://de.lta@acct.dfs.core.windows.net/t",
		"abfss://dl@acct.dfs.core.windows.net/t",
		"abfss://delta@acct.dfs.core.windows.net/t/../u",
		"abfss://delta@acct.dfs.core.windows.net/t//u",
		"https://acct.blob.core.windows.net",
		"https://example.com/delta/t",
		"s3://delta/t",
	};
	struct arena	*a = arena_new();
	struct obj_az	 az;
	struct err	 e;
	size_t		 i;

	for (i = 0; i < NELEM(good); i++) {
		if (!ok(obj_az_split(a, good[i].loc, &az, &e) == 0,
		    "%s splits", good[i].loc)) {
			diag("%s", e.msg);
			continue;
		}
		is_str(az.account, good[i].account, "account");
		is_str(az.container, good[i].container, "container");
		is_str(az.prefix, good[i].prefix, "prefix");
	}
	for (i = 0; i < NELEM(bad); i++)
		ok(obj_az_split(a, bad[i], &az, &e) == -1 &&
		    e.kind == ERR_BAD_PARAM, "%s is refused", bad[i]);
	obj_az_split(a, good[4].loc, &az, &e);
	is_str(obj_az_canonical(a, &az),
	    "abfss://delta@acct.dfs.core.windows.net/a b+c/t/",
	    "the canonical form is abfss");
	arena_free(a);
}

static void
test_endpoints(void)
{
	struct arena	*a = arena_new();
	struct obj_endpoint ep;
	const char	*path;
	struct err	 e;

	ok(obj_az_endpoint(a, "http://127.0.0.1:10000/acct", &ep, &path,
	    &e) == 0, "a path-style emulator endpoint");
	is_str(ep.host, "127.0.0.1:10000", "its host");
	is_str(path, "/acct", "its account path");
	ok(obj_az_endpoint(a, "https://acct.blob.core.windows.net/", &ep,
	    &path, &e) == 0 && strcmp(path, "") == 0, "a host endpoint");
	ok(obj_az_endpoint(a, "http://127.0.0.1:10000/a/b", &ep, &path,
	    &e) == -1, "two path segments are refused");
	ok(obj_az_endpoint(a, "http://127.0.0.1:10000/Acct", &ep, &path,
	    &e) == -1, "an account name is lower case");
	ok(obj_az_endpoint(a, "ftp://h/acct", &ep, &path, &e) == -1,
	    "only http and https");
	ok(obj_endpoint_parse(a, "http://h/acct", &ep, &e) == -1,
	    "S3 endpoints have no path");
	arena_free(a);
}

static void
test_az_page(void)
{
	static const char page[] =
	    "<?xml version=\"1.0\"?><EnumerationResults><Prefix>t/_delta_log/"
	    "</Prefix><Blobs><Blob><Name>t/_delta_log/1.json</Name>"
	    "<Properties><Last-Modified>Tue, 02 Jan 2024 03:04:05 GMT"
	    "</Last-Modified><Content-Length>12</Content-Length></Properties>"
	    "</Blob><Blob><Name>t/_delta_log/0 &amp; 1.json</Name><Properties>"
	    "<Content-Length>3</Content-Length></Properties></Blob>"
	    "<Blob><Name>t/_delta_log/../x</Name><Properties><Content-Length>"
	    "1</Content-Length></Properties></Blob>"
	    "<Blob><Name>elsewhere/y</Name><Properties><Content-Length>1"
	    "</Content-Length></Properties></Blob>"
	    "<Blob><Name>t/_delta_log/neg</Name><Properties><Content-Length>-1"
	    "</Content-Length></Properties></Blob>"
	    "<BlobPrefix><Name>t/_delta_log/_sidecars/</Name></BlobPrefix>"
	    "</Blobs><NextMarker>2!96!abc</NextMarker></EnumerationResults>";
	static const char last[] = "<EnumerationResults><Blobs/><NextMarker/>"
	    "</EnumerationResults>";
	struct arena	*a = arena_new();
	struct obj_list	 l;
	struct storage_list out;
	const char	*marker;

	obj_list_init(&l, a);
	obj_az_page(a, page, sizeof(page) - 1, "t/", &l, &marker);
	obj_list_done(&l, &out);
	is_int(out.n, 2, "two blobs kept (bad keys, other prefixes, "
	    "folders and negative sizes left out)");
	if (out.n == 2) {
		is_str(out.v[0].key, "_delta_log/0 & 1.json", "sorted, decoded");
		is_int(out.v[0].mtime_ms, 0, "no Last-Modified: 0");
		is_str(out.v[1].key, "_delta_log/1.json", "relative to the root");
		is_int(out.v[1].size, 12, "its size");
		is_int(out.v[1].mtime_ms, 1704164645000LL, "its time");
	}
	is_str(marker, "2!96!abc", "the next page's marker");
	obj_list_init(&l, a);
	obj_az_page(a, last, sizeof(last) - 1, "t/", &l, &marker);
	ok(marker == NULL && l.n == 0, "an empty NextMarker ends the listing");
	arena_free(a);
}

static void
test_s3_page(void)
{
	static const char page[] =
	    "<ListBucketResult><IsTruncated>true</IsTruncated><Contents><Key>"
	    "t/a%20b.json</Key><LastModified>2024-01-02T03:04:05.000Z"
	    "</LastModified><Size>5</Size></Contents>"
	    "<NextContinuationToken>tok+1</NextContinuationToken>"
	    "</ListBucketResult>";
	struct arena	*a = arena_new();
	struct obj_list	 l;
	struct storage_list out;
	const char	*token;

	obj_list_init(&l, a);
	obj_s3_page(a, page, sizeof(page) - 1, "t/", &l, &token);
	obj_list_done(&l, &out);
	ok(out.n == 1 && strcmp(out.v[0].key, "a b.json") == 0 &&
	    out.v[0].size == 5, "an S3 page: url-encoded keys decoded");
	is_str(token, "tok+1", "the continuation token");
	arena_free(a);
}

static void
test_gcs_page(void)
{
	static const char page[] = "{\"kind\":\"storage#objects\","
	    "\"items\":[{\"name\":\"t/_delta_log/1.json\",\"size\":\"12\","
	    "\"updated\":\"2024-01-02T03:04:05.123Z\"},{\"name\":\"t/a b\","
	    "\"size\":\"3\"},{\"name\":\"t/../x\",\"size\":\"1\"},"
	    "{\"name\":\"t/n\",\"size\":\"-1\"},{\"name\":\"u/y\","
	    "\"size\":\"1\"},{\"size\":\"1\"},7],\"prefixes\":[\"t/d/\"],"
	    "\"nextPageToken\":\"CgR0L2Ev\"}";
	static const char obj[] = "{\"name\":\"t/_delta_log/1.json\","
	    "\"size\":\"12\",\"updated\":\"2024-01-02T03:04:05.123Z\"}";
	struct arena	*a = arena_new();
	struct obj_list	 l;
	struct storage_list out;
	struct storage_entry ent;
	const char	*token;

	obj_list_init(&l, a);
	obj_gcs_page(a, page, sizeof(page) - 1, "t/", &l, &token);
	obj_list_done(&l, &out);
	is_int(out.n, 2, "a GCS page: two objects kept");
	if (out.n == 2) {
		is_str(out.v[0].key, "_delta_log/1.json", "relative, sorted");
		is_int(out.v[0].size, 12, "size from its string");
		is_int(out.v[0].mtime_ms, 1704164645123LL, "updated, in ms");
		is_str(out.v[1].key, "a b", "names taken as they are");
	}
	is_str(token, "CgR0L2Ev", "the next page token");
	obj_list_init(&l, a);
	obj_gcs_page(a, "{\"items\":[]}", 12, "t/", &l, &token);
	ok(token == NULL && l.n == 0, "no nextPageToken: the last page");
	obj_gcs_page(a, "not json", 8, "t/", &l, &token);
	ok(token == NULL && l.n == 0, "garbage: nothing");
	ok(obj_gcs_object(a, obj, sizeof(obj) - 1, "t/", &ent) &&
	    strcmp(ent.key, "_delta_log/1.json") == 0 && ent.size == 12,
	    "an object resource");
	arena_free(a);
}

static void
test_gcs_env(void)
{
	struct arena	*a = arena_new();
	struct cred	 c;
	struct err	 e;
	char		 path[] = "/tmp/u-storage-obj.XXXXXX";
	int		 fd;

	unsetenv("GOOGLE_APPLICATION_CREDENTIALS");
	unsetenv("STORAGE_EMULATOR_HOST");
	ok(cred_gcs_env(&c, a, &e) == -1 && strstr(e.msg,
	    "GOOGLE_APPLICATION_CREDENTIALS") != NULL, "nothing set: says "
	    "what to set");
	setenv("STORAGE_EMULATOR_HOST", "127.0.0.1:4443", 1);
	ok(cred_gcs_env(&c, a, &e) == 0 && c.sa_json == NULL &&
	    strcmp(c.gcs_endpoint, "http://127.0.0.1:4443") == 0,
	    "an emulator host alone: anonymous, http");
	if ((fd = mkstemp(path)) == -1)
		bail_out("mkstemp");
	if (write(fd, "{\"a\":1}", 7) != 7)
		bail_out("write");
	close(fd);
	setenv("GOOGLE_APPLICATION_CREDENTIALS", path, 1);
	ok(cred_gcs_env(&c, a, &e) == 0 && strcmp(c.sa_json, "{\"a\":1}") ==
	    0, "the key file's contents");
	unlink(path);
	ok(cred_gcs_env(&c, a, &e) == -1 && strstr(e.msg, "cannot open") !=
	    NULL, "a missing key file");
	unsetenv("GOOGLE_APPLICATION_CREDENTIALS");
	unsetenv("STORAGE_EMULATOR_HOST");
	arena_free(a);
}

static void
test_conn_string(void)
{
	struct arena	*a = arena_new();
	struct cred	 c;
	struct err	 e;

	unsetenv("AZURE_STORAGE_ACCOUNT");
	unsetenv("AZURE_STORAGE_KEY");
	setenv("AZURE_STORAGE_CONNECTION_STRING", "DefaultEndpointsProtocol="
	    "http;AccountName=acct;AccountKey=a2V5=;BlobEndpoint="
	    "http://127.0.0.1:1/acct;", 1);
	ok(cred_azure_env(&c, a, &e) == 0, "a connection string");
	is_str(c.account, "acct", "its account");
	is_str(c.account_key, "a2V5=", "its key, '=' kept");
	is_str(c.blob_endpoint, "http://127.0.0.1:1/acct", "its endpoint");
	setenv("AZURE_STORAGE_CONNECTION_STRING", "AccountName=acct;"
	    "AccountKey=k;EndpointSuffix=core.chinacloudapi.cn", 1);
	ok(cred_azure_env(&c, a, &e) == 0 && strcmp(c.blob_endpoint,
	    "https://acct.blob.core.chinacloudapi.cn") == 0,
	    "EndpointSuffix gives the endpoint");
	setenv("AZURE_STORAGE_CONNECTION_STRING", "UseDevelopmentStorage=true",
	    1);
	ok(cred_azure_env(&c, a, &e) == 0 && strcmp(c.account,
	    "devstoreaccount1") == 0 && strcmp(c.blob_endpoint,
	    "http://127.0.0.1:10000/devstoreaccount1") == 0,
	    "UseDevelopmentStorage=true");
	setenv("AZURE_STORAGE_CONNECTION_STRING", "BlobEndpoint=https://h;"
	    "SharedAccessSignature=sv=x", 1);
	ok(cred_azure_env(&c, a, &e) == -1 && strstr(e.msg, "SAS") != NULL,
	    "a SAS connection string is refused with a reason");
	unsetenv("AZURE_STORAGE_CONNECTION_STRING");
	ok(cred_azure_env(&c, a, &e) == -1 && strstr(e.msg,
	    "AZURE_STORAGE_KEY") != NULL, "nothing set: says what to set");
	setenv("AZURE_STORAGE_ACCOUNT", "acct", 1);
	setenv("AZURE_STORAGE_KEY", "a2V5", 1);
	ok(cred_azure_env(&c, a, &e) == 0 && c.blob_endpoint == NULL,
	    "account and key variables");
	arena_free(a);
}

int
main(void)
{
	test_az_locations();
	test_endpoints();
	test_az_page();
	test_s3_page();
	test_gcs_page();
	test_gcs_env();
	test_conn_string();
	return done_testing();
}
