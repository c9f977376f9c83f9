/*
 * mkcheckpoint.c: write a Parquet file shaped like a Delta checkpoint
 * (the column layout Spark writes: txn, add, remove, metaData, protocol),
 * for the reader's tests and benchmarks.
 *
 *	mkcheckpoint [--rows N] [--codec C] [--row-group-rows N]
 *	    [--page-bytes N] [--dictionary] [--stats-parsed] FILE
 *
 * Row 0 is a protocol action, row 1 a metaData action, then N add actions
 * (default 1000) with a path, partitionValues {"date": ...}, size,
 * modificationTime, dataChange, tags on every tenth, a deletion vector on
 * every seventh, and the stats JSON string; with --stats-parsed also a
 * stats_parsed struct.  Every fifth add is followed by a remove of an
 * older path.  Everything is a function of the row number.  The codec
 * is snappy unless --codec says uncompressed, gzip or zstd.  It prints
 * the number of rows written.
 */
#include "config.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "parquet_write.h"
#include "strutil.h"

#define T0_MS	INT64_C(1704067200000)	/* 2024-01-01 */

struct opts {
	int64_t			 rows;
	int64_t			 rg_rows;
	int64_t			 page_bytes;
	enum parquet_write_codec codec;
	bool			 dictionary;
	bool			 parsed;
};

static void
die(const char *fmt, ...)
{
	va_list	 ap;

	fputs("mkcheckpoint: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static struct parquet_write_node *
str_map(struct parquet_write_node *g, const char *name)
{
	struct parquet_write_node	*m;

	m = parquet_write_add_map(g, name, PQ_OPTIONAL);
	parquet_write_add_string(m, "key", PQ_REQUIRED);
	parquet_write_add_string(m, "value", PQ_OPTIONAL);
	return m;
}

static void
dv_struct(struct parquet_write_node *g)
{
	struct parquet_write_node	*d;

	d = parquet_write_add_group(g, "deletionVector", PQ_OPTIONAL);
	parquet_write_add_string(d, "storageType", PQ_OPTIONAL);
	parquet_write_add_string(d, "pathOrInlineDv", PQ_OPTIONAL);
	parquet_write_add_column(d, "offset", PQ_OPTIONAL, PQ_INT32);
	parquet_write_add_column(d, "sizeInBytes", PQ_OPTIONAL, PQ_INT32);
	parquet_write_add_column(d, "cardinality", PQ_OPTIONAL, PQ_INT64);
	parquet_write_add_column(d, "maxRowIndex", PQ_OPTIONAL, PQ_INT64);
}

static void
stats_parsed(struct parquet_write_node *g)
{
	struct parquet_write_node	*s, *v;
	struct parquet_write_leaf	 ts;
	const char			*names[] = { "minValues", "maxValues" };
	int				 i;

	memset(&ts, 0, sizeof(ts));
	ts.type = PQ_INT64;
	ts.logical = PQ_LT_TIMESTAMP;
	ts.utc = true;
	s = parquet_write_add_group(g, "stats_parsed", PQ_OPTIONAL);
	parquet_write_add_column(s, "numRecords", PQ_OPTIONAL, PQ_INT64);
	for (i = 0; i < 2; i++) {
		v = parquet_write_add_group(s, names[i], PQ_OPTIONAL);
		parquet_write_add_column(v, "id", PQ_OPTIONAL, PQ_INT64);
		parquet_write_add_string(v, "name", PQ_OPTIONAL);
		parquet_write_add_leaf(v, "ts", PQ_OPTIONAL, &ts);
	}
	v = parquet_write_add_group(s, "nullCount", PQ_OPTIONAL);
	parquet_write_add_column(v, "id", PQ_OPTIONAL, PQ_INT64);
	parquet_write_add_column(v, "name", PQ_OPTIONAL, PQ_INT64);
	parquet_write_add_column(v, "ts", PQ_OPTIONAL, PQ_INT64);
}

static struct parquet_write_schema *
schema(const struct opts *o)
{
	struct parquet_write_schema	*s = parquet_write_schema_new();
	struct parquet_write_node	*r = parquet_write_schema_root(s), *g;
	struct parquet_write_node	*l, *f;

	g = parquet_write_add_group(r, "txn", PQ_OPTIONAL);
	parquet_write_add_string(g, "appId", PQ_OPTIONAL);
	parquet_write_add_column(g, "version", PQ_OPTIONAL, PQ_INT64);
	parquet_write_add_column(g, "lastUpdated", PQ_OPTIONAL, PQ_INT64);

	g = parquet_write_add_group(r, "add", PQ_OPTIONAL);
	parquet_write_add_string(g, "path", PQ_OPTIONAL);
	str_map(g, "partitionValues");
	parquet_write_add_column(g, "size", PQ_OPTIONAL, PQ_INT64);
	parquet_write_add_column(g, "modificationTime", PQ_OPTIONAL, PQ_INT64);
	parquet_write_add_column(g, "dataChange", PQ_OPTIONAL, PQ_BOOLEAN);
	str_map(g, "tags");
	dv_struct(g);
	parquet_write_add_column(g, "baseRowId", PQ_OPTIONAL, PQ_INT64);
	parquet_write_add_column(g, "defaultRowCommitVersion", PQ_OPTIONAL,
	    PQ_INT64);
	parquet_write_add_string(g, "clusteringProvider", PQ_OPTIONAL);
	parquet_write_add_string(g, "stats", PQ_OPTIONAL);
	if (o->parsed)
		stats_parsed(g);

	g = parquet_write_add_group(r, "remove", PQ_OPTIONAL);
	parquet_write_add_string(g, "path", PQ_OPTIONAL);
	parquet_write_add_column(g, "deletionTimestamp", PQ_OPTIONAL,
	    PQ_INT64);
	parquet_write_add_column(g, "dataChange", PQ_OPTIONAL, PQ_BOOLEAN);
	parquet_write_add_column(g, "extendedFileMetadata", PQ_OPTIONAL,
	    PQ_BOOLEAN);
	str_map(g, "partitionValues");
	parquet_write_add_column(g, "size", PQ_OPTIONAL, PQ_INT64);
	dv_struct(g);

	g = parquet_write_add_group(r, "metaData", PQ_OPTIONAL);
	parquet_write_add_string(g, "id", PQ_OPTIONAL);
	parquet_write_add_string(g, "name", PQ_OPTIONAL);
	parquet_write_add_string(g, "description", PQ_OPTIONAL);
	f = parquet_write_add_group(g, "format", PQ_OPTIONAL);
	parquet_write_add_string(f, "provider", PQ_OPTIONAL);
	str_map(f, "options");
	parquet_write_add_string(g, "schemaString", PQ_OPTIONAL);
	l = parquet_write_add_list(g, "partitionColumns", PQ_OPTIONAL);
	parquet_write_add_string(l, "element", PQ_OPTIONAL);
	str_map(g, "configuration");
	parquet_write_add_column(g, "createdTime", PQ_OPTIONAL, PQ_INT64);

	g = parquet_write_add_group(r, "protocol", PQ_OPTIONAL);
	parquet_write_add_column(g, "minReaderVersion", PQ_OPTIONAL, PQ_INT32);
	parquet_write_add_column(g, "minWriterVersion", PQ_OPTIONAL, PQ_INT32);
	l = parquet_write_add_list(g, "readerFeatures", PQ_OPTIONAL);
	parquet_write_add_string(l, "element", PQ_OPTIONAL);
	l = parquet_write_add_list(g, "writerFeatures", PQ_OPTIONAL);
	parquet_write_add_string(l, "element", PQ_OPTIONAL);
	return s;
}

static void
kv(struct parquet_write *w, const char *k, const char *v)
{
	parquet_write_str(w, k);
	parquet_write_str(w, v);
}

static void
row_end(struct parquet_write *w)
{
	struct err	 e;

	if (parquet_write_row_end(w, &e) == -1)
		die("%s", e.msg);
}

static void
protocol(struct parquet_write *w)
{
	parquet_write_row_begin(w);
	parquet_write_field(w, "protocol");
	parquet_write_group_begin(w);
	parquet_write_i32(w, 1);
	parquet_write_i32(w, 2);
	parquet_write_group_end(w);
	row_end(w);
}

static void
metadata(struct parquet_write *w)
{
	parquet_write_row_begin(w);
	parquet_write_field(w, "metaData");
	parquet_write_group_begin(w);
	parquet_write_str(w, "4d4b5c1a-7d5e-4c2f-9a10-bench0000001");
	parquet_write_null(w);
	parquet_write_null(w);
	parquet_write_group_begin(w);
	parquet_write_str(w, "parquet");
	parquet_write_list_begin(w);
	parquet_write_list_end(w);
	parquet_write_group_end(w);
	parquet_write_str(w, "{\"type\":\"struct\",\"fields\":[{\"name\":"
	    "\"id\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}},"
	    "{\"name\":\"name\",\"type\":\"string\",\"nullable\":true,"
	    "\"metadata\":{}},{\"name\":\"ts\",\"type\":\"timestamp\","
	    "\"nullable\":true,\"metadata\":{}},{\"name\":\"date\",\"type\":"
	    "\"date\",\"nullable\":true,\"metadata\":{}}]}");
	parquet_write_list_begin(w);
	parquet_write_str(w, "date");
	parquet_write_list_end(w);
	parquet_write_list_begin(w);
	kv(w, "delta.checkpointInterval", "10");
	parquet_write_list_end(w);
	parquet_write_i64(w, T0_MS);
	parquet_write_group_end(w);
	row_end(w);
}

static void
stats_values(struct parquet_write *w, int64_t i)
{
	char	 s[64];
	int	 k;

	parquet_write_group_begin(w);
	parquet_write_i64(w, 1000);
	for (k = 0; k < 2; k++) {
		parquet_write_group_begin(w);
		parquet_write_i64(w, i * 1000 + k * 999);
		snprintf(s, sizeof(s), "name-%08" PRId64 "-%d", i, k);
		parquet_write_str(w, s);
		parquet_write_i64(w, (T0_MS + i * 1000 + k * 60000) * 1000);
		parquet_write_group_end(w);
	}
	parquet_write_group_begin(w);
	parquet_write_i64(w, 0);
	parquet_write_i64(w, i % 3);
	parquet_write_i64(w, 0);
	parquet_write_group_end(w);
	parquet_write_group_end(w);
}

static void
add(struct parquet_write *w, const struct opts *o, int64_t i)
{
	char	 path[128], date[16], stats[512], tag[32];
	int64_t	 ts = T0_MS + i * 1000;

	snprintf(date, sizeof(date), "2024-01-%02d", (int)(i % 28) + 1);
	snprintf(path, sizeof(path), "date=%s/part-%05" PRId64 "-%08" PRIx64
	    "-6c4f-4b0e-9a2d-%012" PRIx64 ".c000.snappy.parquet", date,
	    i % 100, (uint64_t)i * 2654435761u, (uint64_t)i);
	snprintf(stats, sizeof(stats), "{\"numRecords\":1000,\"minValues\":"
	    "{\"id\":%" PRId64 ",\"name\":\"name-%08" PRId64 "-0\",\"ts\":"
	    "\"2024-01-01T00:00:00.000Z\"},\"maxValues\":{\"id\":%" PRId64
	    ",\"name\":\"name-%08" PRId64 "-1\",\"ts\":\"2024-01-01T00:01:00"
	    ".000Z\"},\"nullCount\":{\"id\":0,\"name\":%" PRId64 ",\"ts\":0}}",
	    i * 1000, i, i * 1000 + 999, i, i % 3);
	parquet_write_row_begin(w);
	parquet_write_field(w, "add");
	parquet_write_group_begin(w);
	parquet_write_str(w, path);
	parquet_write_list_begin(w);
	kv(w, "date", date);
	parquet_write_list_end(w);
	parquet_write_i64(w, 100000 + i % 9973);
	parquet_write_i64(w, ts);
	parquet_write_bool(w, true);
	if (i % 10 == 0) {
		snprintf(tag, sizeof(tag), "%" PRId64, ts * 1000);
		parquet_write_list_begin(w);
		kv(w, "INSERTION_TIME", tag);
		parquet_write_list_end(w);
	} else
		parquet_write_null(w);
	if (i % 7 == 0) {
		parquet_write_group_begin(w);
		parquet_write_str(w, "u");
		parquet_write_str(w, "ab^-aqEH.-t@S}K{vb[*k^");
		parquet_write_i32(w, 1);
		parquet_write_i32(w, 36);
		parquet_write_i64(w, i % 50);
		parquet_write_null(w);
		parquet_write_group_end(w);
	} else
		parquet_write_null(w);
	parquet_write_null(w);
	parquet_write_null(w);
	parquet_write_null(w);
	parquet_write_str(w, stats);
	if (o->parsed)
		stats_values(w, i);
	parquet_write_group_end(w);
	row_end(w);
}

static void
rm(struct parquet_write *w, int64_t i)
{
	char	 path[96];

	snprintf(path, sizeof(path), "date=2023-12-31/part-%05" PRId64
	    "-old.c000.snappy.parquet", i);
	parquet_write_row_begin(w);
	parquet_write_field(w, "remove");
	parquet_write_group_begin(w);
	parquet_write_str(w, path);
	parquet_write_i64(w, T0_MS + i);
	parquet_write_bool(w, true);
	parquet_write_bool(w, true);
	parquet_write_list_begin(w);
	kv(w, "date", "2023-12-31");
	parquet_write_list_end(w);
	parquet_write_i64(w, 4242);
	parquet_write_group_end(w);
	row_end(w);
}

static int64_t
num(const char *opt, const char *s)
{
	int64_t	 v;

	if (str_parse_i64(s, 1, INT64_MAX, &v) == -1)
		die("%s: bad number '%s'", opt, s);
	return v;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "rows", required_argument, NULL, 'r' },
		{ "codec", required_argument, NULL, 'c' },
		{ "row-group-rows", required_argument, NULL, 'g' },
		{ "page-bytes", required_argument, NULL, 'p' },
		{ "dictionary", no_argument, NULL, 'D' },
		{ "stats-parsed", no_argument, NULL, 'P' },
		{ NULL, 0, NULL, 0 }
	};
	struct parquet_write_schema	*s;
	struct parquet_write_opts	 po;
	struct parquet_write		*w;
	struct opts			 o;
	struct err			 e;
	int64_t				 i, n = 0;
	int				 ch;

	memset(&o, 0, sizeof(o));
	o.rows = 1000;
	o.codec = PQ_SNAPPY;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'r': o.rows = num("--rows", optarg); break;
		case 'g': o.rg_rows = num("--row-group-rows", optarg); break;
		case 'p': o.page_bytes = num("--page-bytes", optarg); break;
		case 'D': o.dictionary = true; break;
		case 'P': o.parsed = true; break;
		case 'c':
			if (strcmp(optarg, "uncompressed") == 0)
				o.codec = PQ_UNCOMPRESSED;
			else if (strcmp(optarg, "gzip") == 0)
				o.codec = PQ_GZIP;
			else if (strcmp(optarg, "zstd") == 0)
				o.codec = PQ_ZSTD;
			else if (strcmp(optarg, "snappy") != 0)
				die("unknown codec '%s'", optarg);
			break;
		default:
			fprintf(stderr, "usage: mkcheckpoint [--rows N] "
			    "[--codec C] [--row-group-rows N]\n"
			    "           [--page-bytes N] [--dictionary] "
			    "[--stats-parsed] FILE\n");
			return 2;
		}
	}
	if (argc - optind != 1)
		die("one output file expected");
	s = schema(&o);
	memset(&po, 0, sizeof(po));
	po.codec = o.codec;
	po.row_group_rows = o.rg_rows;
	po.page_bytes = (size_t)o.page_bytes;
	po.dictionary = o.dictionary;
	if ((w = parquet_write_open(argv[optind], s, &po, &e)) == NULL)
		die("%s", e.msg);
	protocol(w);
	metadata(w);
	n = 2;
	for (i = 0; i < o.rows; i++, n++) {
		add(w, &o, i);
		if (i % 5 == 4) {
			rm(w, i);
			n++;
		}
	}
	if (parquet_write_close(w, &e) == -1)
		die("%s", e.msg);
	parquet_write_free(w);
	parquet_write_schema_free(s);
	printf("%" PRId64 "\n", n);
	return 0;
}
