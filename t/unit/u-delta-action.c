/*
 * u-delta-action.c: unit tests for src/delta_action.c, the parser of the
 * JSON lines of Delta commits.
 *
 * The good lines are real ones, copied from the commits of the shared
 * table corpus (written by Spark, delta-rs and the kernels; the table
 * each comes from is named); every kind of action, with its raw text
 * checked byte for byte and its fields one by one.  The bad lines are
 * made by hand: broken JSON, missing and mistyped fields, several
 * actions, duplicate keys.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "delta_action.h"
#include "err.h"
#include "tap.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* delta-spark/table-with-dv-special-char, version 0. */
static const char commit_info[] = "{\"commitInfo\":{\"timestamp\":"
    "1708950820866,\"operation\":\"WRITE\",\"operationParameters\":{\"mode\":"
    "\"ErrorIfExists\",\"partitionBy\":\"[]\"},\"isolationLevel\":"
    "\"Serializable\",\"isBlindAppend\":true,\"operationMetrics\":{"
    "\"numFiles\":\"1\",\"numOutputRows\":\"10\",\"numOutputBytes\":\"539\"},"
    "\"engineInfo\":\"Apache-Spark/3.5.0 Delta-Lake/3.1.0-SNAPSHOT\","
    "\"txnId\":\"1586fe39-668f-48c6-ad0b-af4a10b38f22\"}}";
static const char metadata[] = "{\"metaData\":{\"id\":\"testId\",\"format\":"
    "{\"provider\":\"parquet\",\"options\":{}},\"schemaString\":"
    "\"{\\\"type\\\":"
    "\\\"struct\\\",\\\"fields\\\":[{\\\"name\\\":\\\"id\\\",\\\"type\\\":"
    "\\\"long\\\",\\\"nullable\\\":true,\\\"metadata\\\":{}}]}\","
    "\"partitionColumns\":[],\"configuration\":{"
    "\"delta.enableDeletionVectors\":\"true\"},\"createdTime\":1708950819168}}";
static const char protocol[] = "{\"protocol\":{\"minReaderVersion\":3,"
    "\"minWriterVersion\":7,\"readerFeatures\":[\"deletionVectors\"],"
    "\"writerFeatures\":[\"deletionVectors\"]}}";
/* kernel-golden/log-replay-dv-key-cases (a 'u' deletion vector). */
static const char add_dv[] = "{\"add\":{\"path\":\"part-00000-90177277-75c2-"
    "48db-92a2-20dcba39fd06-c000.snappy.parquet\",\"partitionValues\":{},"
    "\"size\":765,\"modificationTime\":1697571663000,\"dataChange\":true,"
    "\"stats\":\"{\\\"numRecords\\\":50,\\\"minValues\\\":{\\\"id\\\":0},"
    "\\\"maxValues\\\":{\\\"id\\\":49},\\\"nullCount\\\":{\\\"id\\\":0},"
    "\\\"tightBounds\\\":false}\",\"deletionVector\":{\"storageType\":\"u\","
    "\"pathOrInlineDv\":\"^jP?.<zvDfIGb{C.FPij\",\"offset\":1,"
    "\"sizeInBytes\":38,\"cardinality\":3}}}";
static const char add_dv_stats[] = "{\"numRecords\":50,\"minValues\":"
    "{\"id\":0},"
    "\"maxValues\":{\"id\":49},\"nullCount\":{\"id\":0},\"tightBounds\":false}";
/* delta-rs/table_with_deletion_logs. */
static const char remove_dv[] = "{\"remove\":{\"path\":\"part-00000-87eec267-"
    "9acd-4e9a-a216-ec596132203d-c000.snappy.parquet\",\"deletionTimestamp\":"
    "1687493382707,\"dataChange\":true,\"extendedFileMetadata\":true,"
    "\"partitionValues\":{},\"size\":2219,\"deletionVector\":{\"storageType\":"
    "\"u\",\"pathOrInlineDv\":\"2FtLtJDE!.VZ.+udLGa0\",\"offset\":1,"
    "\"sizeInBytes\":34,\"cardinality\":1}}}";
/* kernel-golden/deltalog-getChanges. */
static const char cdc[] = "{\"cdc\":{\"path\":\"fake/path/2\","
    "\"partitionValues\":"
    "{\"partition_foo\":\"partition_bar\"},\"size\":1,\"tags\":{\"tag_foo\":"
    "\"tag_bar\"},\"dataChange\":false}}";
/* kernel-rs/app-txn-with-last-updated. */
static const char txn[] = "{\"txn\":{\"appId\":\"fakeAppId\",\"version\":3,"
    "\"lastUpdated\":200}}";
/* delta-rs/table_with_liquid_clustering. */
static const char domain[] = "{\"domainMetadata\":{\"domain\":\"delta.liquid\","
    "\"configuration\":\"{\\\"clusteringColumns\\\":[{\\\"physicalName\\\":"
    "[\\\"id\\\"]}],\\\"domainName\\\":\\\"delta.liquid\\\"}\",\"removed\":"
    "false}}";
/* kernel-rs/v2-checkpoints-json-with-sidecars, checkpoint. */
static const char ckpt_meta[] = "{\"checkpointMetadata\":{\"version\":0}}";
static const char sidecar[] = "{\"sidecar\":{\"path\":\"00000000000000000000."
    "checkpoint.0000000001.0000000001.9167a758-dd93-4e52-8636-7cf5776eb10f."
    "parquet\",\"sizeInBytes\":9203,\"modificationTime\":1739329764031}}";
/* kernel-rs/cdf-table-with-dv (an inline deletion vector, offset null). */
static const char add_inline[] = "{\"add\":{\"path\":\"part-00000-fae5310a-"
    "a37d-4e51-827b-c3d5516560ca-c000.snappy.parquet\",\"partitionValues\":{},"
    "\"size\":635,\"modificationTime\":1677811178336,\"dataChange\":true,"
    "\"stats\":\"{\\\"numRecords\\\":10,\\\"minValues\\\":{\\\"value\\\":0},"
    "\\\"maxValues\\\":{\\\"value\\\":9},\\\"nullCount\\\":{\\\"value\\\":0},"
    "\\\"tightBounds\\\":false}\",\"tags\":{\"INSERTION_TIME\":"
    "\"1677811178336000\",\"MIN_INSERTION_TIME\":\"1677811178336000\","
    "\"MAX_INSERTION_TIME\":\"1677811178336000\",\"OPTIMIZE_TARGET_SIZE\":"
    "\"268435456\"},\"deletionVector\":{\"storageType\":\"i\","
    "\"pathOrInlineDv\":\"^Bg9^0rr910000000000iXQKl0rr91000005c8Xg##093\","
    "\"offset\":null,\"sizeInBytes\":34,\"cardinality\":1}}}";
/* delta-rs/delta-0.8.0-null-partition (a null partition value). */
static const char add_null_pv[] = "{\"add\":{\"path\":\"k=__HIVE_DEFAULT_"
    "PARTITION__/part-00001-8474ac85-360b-4f58-b3ea-23990c71b932.c000.snappy."
    "parquet\",\"partitionValues\":{\"k\":null},\"size\":460,"
    "\"modificationTime\":1627990384000,\"dataChange\":true}}";
/* delta-rs/delta-live-table, version 0: no schemaString. */
static const char meta_noschema[] = "{\"metaData\":{\"id\":"
    "\"ac0a0120-970e-4d8c-"
    "ae92-b5244b055d6e\",\"format\":{\"provider\":\"parquet\",\"options\":{}},"
    "\"partitionColumns\":[],\"configuration\":{},\"createdTime\":"
    "1681798577757}}";
/* delta-rs/cdc_ict_table. */
static const char commit_ict[] = "{\"commitInfo\":{\"inCommitTimestamp\":"
    "1683874206883,\"timestamp\":1783874206883,\"operation\":\"WRITE\"}}";
/* delta-spark/transaction_log_schema_evolvability, version 5. */
static const char add_evolved[] = "{\"add\":{\"stats\":"
    "\"{\\\"numRecords\\\":4}\","
    "\"path\":\"part-00000-9f483b95-3ea3-44f0-b54d-73199574be15-c000.snappy."
    "parquet\",\"size\":793,\"modificationTime\":1623255724000,"
    "\"dataChange\":true,\"some_new_column_in_add_action\":1,"
    "\"partitionValues\":{}},\"some_new_action_alongside_add_action\":"
    "[\"a\",\"1\"]}";
static const char unknown[] = "{\"some_new_action\":{\"a\":1}}";
/* kernel-golden/canonicalized-paths-normal-b. */
static const char remove_abs[] = "{\"remove\":{\"path\":\"file:///some/"
    "unqualified/absolute/path\",\"deletionTimestamp\":200,\"dataChange\":"
    "false}}";

/* The text of the first member's value of a one-member line. */
static void
value_span(const char *line, const char **p, size_t *n)
{
	*p = strchr(line, ':') + 1;
	*n = strlen(*p) - 1;
}

static void
test_kinds(void)
{
	static const struct {
		const char		*name;
		const char		*line;
		enum delta_action_kind	 kind;
		bool			 whole;	/* raw is the line */
	} cases[] = {
		{ "commitInfo", commit_info, DELTA_COMMIT_INFO, false },
		{ "metaData", metadata, DELTA_METADATA, false },
		{ "protocol", protocol, DELTA_PROTOCOL, false },
		{ "add with a u DV", add_dv, DELTA_ADD, false },
		{ "remove with a DV", remove_dv, DELTA_REMOVE, false },
		{ "cdc", cdc, DELTA_CDC, false },
		{ "txn", txn, DELTA_TXN, false },
		{ "domainMetadata", domain, DELTA_DOMAIN_METADATA, false },
		{ "checkpointMetadata", ckpt_meta, DELTA_CHECKPOINT_METADATA,
		    false },
		{ "sidecar", sidecar, DELTA_SIDECAR, false },
		{ "add with an inline DV", add_inline, DELTA_ADD, false },
		{ "add with a null partition", add_null_pv, DELTA_ADD, false },
		{ "metaData without schema", meta_noschema, DELTA_METADATA,
		    false },
		{ "commitInfo with ICT", commit_ict, DELTA_COMMIT_INFO, false },
		{ "unknown action", unknown, DELTA_UNKNOWN, true },
		{ "remove of an absolute path", remove_abs, DELTA_REMOVE,
		    false },
	};
	struct arena		*a = arena_new();
	struct delta_action	 act;
	struct err		 e;
	const char		*p;
	size_t			 i, n;

	for (i = 0; i < NELEM(cases); i++) {
		err_clear(&e);
		if (!is_int(delta_action_parse(a, cases[i].line,
		    strlen(cases[i].line), &act, &e), 0, "%s parses",
		    cases[i].name)) {
			diag("error: %s", e.msg);
			continue;
		}
		is_int(act.kind, cases[i].kind, "%s: kind", cases[i].name);
		if (cases[i].whole) {
			p = cases[i].line;
			n = strlen(p);
		} else
			value_span(cases[i].line, &p, &n);
		is_mem(act.raw, act.rawlen, p, n, "%s: raw is the value",
		    cases[i].name);
		is_int(act.raw[act.rawlen], '\0', "%s: raw ends with NUL",
		    cases[i].name);
	}
	arena_free(a);
}

/* Parse one line that must be good. */
static void
parse_ok(struct arena *a, const char *line, struct delta_action *act)
{
	struct err	 e;

	err_clear(&e);
	if (delta_action_parse(a, line, strlen(line), act, &e) == -1)
		bail_out("cannot parse a good line: %s", e.msg);
}

static void
test_file_fields(void)
{
	static const char spaced[] = " { \"add\" : {\"path\":\"a\\u0062c\\/d\", "
	    "\"partitionValues\" : { \"x\" : \"\\u00e9\" } ,\"size\":0,"
	    "\"modificationTime\":-1,\"dataChange\":false,\"tags\":null,"
	    "\"deletionVector\":null} }\r";
	struct arena		*a = arena_new();
	struct delta_action	 act;
	const struct delta_file	*f = &act.u.file;
	const char		*p;
	size_t			 n;

	parse_ok(a, add_dv, &act);
	is_str(f->path, "part-00000-90177277-75c2-48db-92a2-20dcba39fd06-c000."
	    "snappy.parquet", "add: path");
	is_str(f->partition_values, "{}", "add: partitionValues text");
	is_int(f->size, 765, "add: size");
	is_int(f->modification_time, 1697571663000LL, "add: modificationTime");
	ok(f->data_change, "add: dataChange");
	is_str(f->stats, add_dv_stats, "add: stats is the unescaped string");
	is_str(f->tags, NULL, "add: no tags");
	is_int(f->dv.storage_type, 'u', "add: DV type");
	is_str(f->dv.path_or_inline, "^jP?.<zvDfIGb{C.FPij", "add: DV value");
	is_int(f->dv.offset, 1, "add: DV offset");
	is_int(f->dv.size, 38, "add: DV size");
	is_int(f->dv.cardinality, 3, "add: DV cardinality");
	is_int(f->dv.max_row_index, -1, "add: DV maxRowIndex absent");
	is_int(f->base_row_id, -1, "add: no baseRowId");
	is_int(f->deletion_timestamp, -1, "add: no deletionTimestamp");

	parse_ok(a, remove_dv, &act);
	is_int(f->deletion_timestamp, 1687493382707LL, "remove: timestamp");
	ok(f->extended_file_metadata, "remove: extendedFileMetadata");
	is_int(f->size, 2219, "remove: size");
	is_int(f->modification_time, -1, "remove: no modificationTime");
	is_int(f->dv.storage_type, 'u', "remove: DV");

	parse_ok(a, remove_abs, &act);
	is_str(f->partition_values, "{}", "remove: partitionValues default");
	is_int(f->size, -1, "remove: size absent");
	ok(!f->data_change, "remove: dataChange false");
	parse_ok(a, "{\"remove\":{\"path\":\"x\"}}", &act);
	ok(f->data_change, "remove: dataChange absent reads as true");

	parse_ok(a, cdc, &act);
	is_str(f->partition_values, "{\"partition_foo\":\"partition_bar\"}",
	    "cdc: partitionValues text");
	is_str(f->tags, "{\"tag_foo\":\"tag_bar\"}", "cdc: tags text");
	ok(!f->data_change, "cdc: dataChange");
	is_int(f->dv.storage_type, 0, "cdc: no DV");

	parse_ok(a, add_inline, &act);
	is_int(f->dv.storage_type, 'i', "inline: DV type");
	is_int(f->dv.offset, -1, "inline: offset null is absent");
	ok(f->tags != NULL && strncmp(f->tags, "{\"INSERTION_TIME\"", 17) == 0,
	    "inline: tags text");

	parse_ok(a, add_null_pv, &act);
	is_str(f->partition_values, "{\"k\":null}", "null partition value");
	is_str(f->stats, NULL, "no stats");

	parse_ok(a, add_evolved, &act);
	is_int(act.kind, DELTA_ADD, "evolved: an add");
	p = strchr(add_evolved, ':') + 1;
	n = (size_t)(strstr(add_evolved, ",\"some_new_action") - p);
	is_mem(act.raw, act.rawlen, p, n, "evolved: raw is the add only");
	is_str(f->stats, "{\"numRecords\":4}", "evolved: stats");

	/* Escapes in the text, spaces between tokens, CRLF. */
	parse_ok(a, spaced, &act);
	is_str(f->path, "abc/d", "escapes: path unescaped");
	is_str(f->partition_values, "{ \"x\" : \"\\u00e9\" }",
	    "escapes: partitionValues kept as written");
	is_str(f->tags, NULL, "null tags are absent");
	is_int(f->dv.storage_type, 0, "null DV is absent");
	p = strstr(spaced, "{\"path");
	n = (size_t)(strstr(spaced, "null}") + 5 - p);
	is_mem(act.raw, act.rawlen, p, n,
	    "escapes: raw is the object, no spaces around");
	arena_free(a);
}

#define ADD_START "{\"add\":{\"path\":\"x\",\"partitionValues\":{},"
#define ADD_GOOD  ADD_START "\"size\":1,\"modificationTime\":1," \
	"\"dataChange\":true"

/*
 * Add and remove lines are read without json-c unless something beside
 * the action or an outsized object sends them through it: both ways
 * give the same fields and errors.
 */
static void
test_fast_path(void)
{
	static const char esc[] = "{\"add\":{\"p\\u0061th\":\"a\\u00e9\\ud83d"
	    "\\ude00\\/b\\\\c\",\"partitionValues\":{},\"size\":9223372036854775806,"
	    "\"modificationTime\":-0,\"dataChange\":true,\"deletionVector\":"
	    "{\"storageType\":\"i\",\"pathOrInlineDv\":\"x\",\"offset\":1,"
	    "\"sizeInBytes\":38,\"cardinality\":3,\"storageType\":\"u\","
	    "\"pathOrInlineDv\":\"^jP?.<zvDfIGb{C.FPij\"}}}";
	static const char beside[] = "{\"x\":[1],\"add\":{\"path\":\"a\","
	    "\"partitionValues\":{\"k\":\"v\"},\"size\":1,\"modificationTime\":2,"
	    "\"dataChange\":false}}";
	struct arena		*a = arena_new();
	struct delta_action	 act;
	const struct delta_file	*f = &act.u.file;
	struct err		 e;
	struct buf		 b;
	char			 line[512];
	int			 i;

	parse_ok(a, esc, &act);
	is_str(f->path, "a\xc3\xa9\xf0\x9f\x98\x80/b\\c",
	    "fast: escaped key, escapes and a surrogate pair decoded");
	is_int(f->size, 9223372036854775806LL, "fast: the largest size");
	is_int(f->modification_time, 0, "fast: -0 is 0");
	ok(f->dv.storage_type == 'u' && strcmp(f->dv.path_or_inline,
	    "^jP?.<zvDfIGb{C.FPij") == 0,
	    "fast: in the deletion vector the last of a key counts");
	parse_ok(a, beside, &act);
	ok(act.kind == DELTA_ADD && strcmp(f->path, "a") == 0 &&
	    strcmp(f->partition_values, "{\"k\":\"v\"}") == 0 && f->size == 1 &&
	    !f->data_change, "fast: a key beside the action (json-c) reads "
	    "the same");
	snprintf(line, sizeof(line), "%s", ADD_START "\"size\":1,"
	    "\"modificationTime\":1,\"dataChange\":true,\"tags\":{\"a\":1,"
	    "\"a\":\"x\"}}}");
	ok(delta_action_parse(a, line, strlen(line), &act, &e) == -1 &&
	    strstr(e.msg, "'tags' has a duplicate key") != NULL,
	    "fast: a duplicate map key whose first value is bad: %s", e.msg);
	/* 40 tags: more members than the fast path takes. */
	buf_init(&b, 0);
	buf_adds(&b, ADD_START "\"size\":1,\"modificationTime\":1,"
	    "\"dataChange\":true,\"tags\":{");
	for (i = 0; i < 40; i++)
		buf_addf(&b, "%s\"t%d\":\"v\"", i > 0 ? "," : "", i);
	buf_adds(&b, "}}}");
	parse_ok(a, buf_str(&b), &act);
	ok(f->tags != NULL && strncmp(f->tags, "{\"t0\":\"v\",", 10) == 0 &&
	    f->size == 1, "fast: 40 tags read through json-c");
	buf_release(&b);
	arena_free(a);
}

static void
test_other_fields(void)
{
	struct arena		*a = arena_new();
	struct delta_action	 act;

	parse_ok(a, commit_info, &act);
	is_int(act.u.commit_info.timestamp, 1708950820866LL, "ci: timestamp");
	is_int(act.u.commit_info.in_commit_timestamp, -1, "ci: no ICT");
	is_str(act.u.commit_info.operation, "WRITE", "ci: operation");
	is_str(act.u.commit_info.operation_metrics, "{\"numFiles\":\"1\","
	    "\"numOutputRows\":\"10\",\"numOutputBytes\":\"539\"}",
	    "ci: operationMetrics text");
	parse_ok(a, commit_ict, &act);
	is_int(act.u.commit_info.in_commit_timestamp, 1683874206883LL,
	    "ci: ICT");
	parse_ok(a, "{\"commitInfo\":{\"timestamp\":\"soon\",\"operation\":7,"
	    "\"operationMetrics\":[]}}", &act);
	ok(act.u.commit_info.timestamp == -1 &&
	    act.u.commit_info.operation == NULL &&
	    act.u.commit_info.operation_metrics == NULL,
	    "ci: free-form fields of other types are absent");
	parse_ok(a, "{\"commitInfo\":{}}", &act);
	is_int(act.kind, DELTA_COMMIT_INFO, "ci: empty");

	parse_ok(a, metadata, &act);
	is_str(act.u.metadata.id, "testId", "meta: id");
	is_str(act.u.metadata.format_provider, "parquet", "meta: provider");
	is_str(act.u.metadata.format_options, "{}", "meta: options");
	is_str(act.u.metadata.schema_string, "{\"type\":\"struct\",\"fields\":"
	    "[{\"name\":\"id\",\"type\":\"long\",\"nullable\":true,"
	    "\"metadata\":{}}]}", "meta: schemaString unescaped");
	is_int(act.u.metadata.n_partition_columns, 0, "meta: no partitions");
	ok(act.u.metadata.partition_columns != NULL, "meta: empty array");
	is_str(act.u.metadata.configuration,
	    "{\"delta.enableDeletionVectors\":\"true\"}", "meta: configuration");
	is_int(act.u.metadata.created_time, 1708950819168LL, "meta: created");
	is_str(act.u.metadata.name, NULL, "meta: no name");
	parse_ok(a, meta_noschema, &act);
	is_str(act.u.metadata.schema_string, NULL, "meta: schemaString absent");
	parse_ok(a, "{\"metaData\":{\"id\":\"x\",\"name\":null,\"format\":"
	    "{\"provider\":\"parquet\"},\"schemaString\":\"{}\","
	    "\"partitionColumns\":[\"a\",\"b\"]}}", &act);
	is_str(act.u.metadata.configuration, "{}", "meta: absent config");
	is_str(act.u.metadata.format_options, "{}", "meta: absent options");
	is_int(act.u.metadata.n_partition_columns, 2, "meta: two partitions");
	is_str(act.u.metadata.partition_columns[1], "b", "meta: second");

	parse_ok(a, protocol, &act);
	is_int(act.u.protocol.min_reader, 3, "protocol: reader");
	is_int(act.u.protocol.min_writer, 7, "protocol: writer");
	ok(act.u.protocol.n_reader_features == 1 && strcmp(
	    act.u.protocol.reader_features[0], "deletionVectors") == 0,
	    "protocol: reader features");
	parse_ok(a, "{\"protocol\":{\"minReaderVersion\":1,"
	    "\"minWriterVersion\":2}}", &act);
	ok(act.u.protocol.reader_features == NULL &&
	    act.u.protocol.writer_features == NULL, "protocol: no features");

	parse_ok(a, txn, &act);
	is_str(act.u.txn.app_id, "fakeAppId", "txn: appId");
	is_int(act.u.txn.version, 3, "txn: version");
	is_int(act.u.txn.last_updated, 200, "txn: lastUpdated");

	parse_ok(a, domain, &act);
	is_str(act.u.domain.domain, "delta.liquid", "domain: name");
	is_str(act.u.domain.configuration, "{\"clusteringColumns\":"
	    "[{\"physicalName\":[\"id\"]}],\"domainName\":\"delta.liquid\"}",
	    "domain: configuration string");
	ok(!act.u.domain.removed, "domain: removed");

	parse_ok(a, ckpt_meta, &act);
	is_int(act.u.checkpoint_version, 0, "checkpointMetadata: version");
	parse_ok(a, sidecar, &act);
	is_int(act.u.sidecar.size, 9203, "sidecar: size");
	is_int(act.u.sidecar.modification_time, 1739329764031LL,
	    "sidecar: mtime");
	ok(strncmp(act.u.sidecar.path, "00000000000000000000.checkpoint", 31)
	    == 0, "sidecar: path");

	parse_ok(a, "{\"\\u0061dd\":{\"path\":\"x\",\"partitionValues\":{},"
	    "\"size\":1,\"modificationTime\":1,\"dataChange\":true}}", &act);
	is_int(act.kind, DELTA_ADD, "an escaped action key is still add");
	parse_ok(a, "{\"add\":{\"path\":\"x\",\"partitionValues\":{},"
	    "\"s\\u0069ze\":5,\"modificationTime\":1,\"dataChange\":true,"
	    "\"t\\u0061gs\":{\"k\":\"v\"}}}", &act);
	is_int(act.u.file.size, 5, "an escaped field key is read");
	is_str(act.u.file.tags, "{\"k\":\"v\"}", "escaped key: span found");
	arena_free(a);
}

static void
test_bad_lines(void)
{
	static const struct {
		const char	*name;
		const char	*line;
		const char	*why;
	} cases[] = {
		{ "empty", "", "malformed JSON" },
		{ "not JSON", "hello", "malformed JSON" },
		{ "array", "[1]", "must be a JSON object" },
		{ "string", "\"add\"", "must be a JSON object" },
		{ "truncated", "{\"add\":{\"path\":\"x\"", "malformed JSON" },
		{ "trailing garbage", ADD_GOOD "}} x", "malformed JSON" },
		{ "two objects", ADD_GOOD "}}{}", "malformed JSON" },
		{ "single quotes", "{'add':{}}", "malformed JSON" },
		{ "NaN", ADD_START "\"size\":NaN}}", "malformed JSON" },
		{ "control character", "{\"add\":{\"path\":\"a\tb\"}}",
		    "malformed JSON" },
		{ "lone surrogate", "{\"add\":{\"path\":\"\\ud800\"}}",
		    "malformed JSON" },
		{ "invalid UTF-8", "{\"add\":{\"path\":\"\xff\"}}", "UTF-8" },
		{ "NUL escape", "{\"add\":{\"path\":\"a\\u0000b\"}}", "\\u0000" },
		{ "too deep", "{\"commitInfo\":{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[["
		    "[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}}",
		    "nesting too deep" },
		{ "empty object", "{}", "empty object" },
		{ "two actions", "{\"add\":{},\"remove\":{}}", "two actions" },
		{ "duplicate action", "{\"txn\":{},\"txn\":{}}", "two actions" },
		{ "duplicate unknown", "{\"x\":1,\"x\":2}", "duplicate" },
		{ "duplicate field", ADD_GOOD ",\"path\":\"../y\"}}",
		    "duplicate" },
		{ "a good line among them", ADD_GOOD "}}", NULL },
		{ "add not an object", "{\"add\":[]}", "must be an object" },
		{ "add null", "{\"add\":null}", "must be an object" },
		{ "missing path", "{\"add\":{\"partitionValues\":{},\"size\":1,"
		    "\"modificationTime\":1,\"dataChange\":true}}",
		    "missing 'path'" },
		{ "path a number", "{\"add\":{\"path\":1}}",
		    "'path' must be a string" },
		{ "path empty", "{\"add\":{\"path\":\"\"}}", "'path' is empty" },
		{ "missing partitionValues", "{\"add\":{\"path\":\"x\"}}",
		    "missing 'partitionValues'" },
		{ "partitionValues array", "{\"add\":{\"path\":\"x\","
		    "\"partitionValues\":[]}}", "must be an object" },
		{ "partition value number", "{\"add\":{\"path\":\"x\","
		    "\"partitionValues\":{\"a\":1}}}", "strings or null" },
		{ "partition key twice", "{\"add\":{\"path\":\"x\","
		    "\"partitionValues\":{\"a\":\"1\",\"a\":\"2\"},\"size\":1,"
		    "\"modificationTime\":1,\"dataChange\":true}}",
		    "duplicate key" },
		{ "missing size", ADD_START "\"modificationTime\":1,"
		    "\"dataChange\":true}}", "missing 'size'" },
		{ "size a string", ADD_START "\"size\":\"1\"}}",
		    "'size' must be an integer" },
		{ "size a float", ADD_START "\"size\":1.5}}",
		    "'size' must be an integer" },
		{ "size an exponent", ADD_START "\"size\":1e3}}",
		    "'size' must be an integer" },
		{ "size negative", ADD_START "\"size\":-1}}", "out of range" },
		{ "size too big", ADD_START "\"size\":9223372036854775808}}",
		    "out of range" },
		{ "size huge", ADD_START "\"size\":1000000000000000000000000}}",
		    "out of range" },
		{ "missing modificationTime", ADD_START "\"size\":1,"
		    "\"dataChange\":true}}", "missing 'modificationTime'" },
		{ "missing dataChange", ADD_START "\"size\":1,"
		    "\"modificationTime\":1}}", "missing 'dataChange'" },
		{ "dataChange a string", ADD_START "\"size\":1,"
		    "\"modificationTime\":1,\"dataChange\":\"true\"}}",
		    "true or false" },
		{ "stats a number", ADD_GOOD ",\"stats\":1}}",
		    "'stats' must be a string" },
		{ "stats an object", ADD_GOOD ",\"stats\":{}}}",
		    "'stats' must be a string" },
		{ "tags with a number", ADD_GOOD ",\"tags\":{\"a\":1}}}",
		    "strings or null" },
		{ "baseRowId negative", ADD_GOOD ",\"baseRowId\":-2}}",
		    "out of range" },
		{ "DV a string", ADD_GOOD ",\"deletionVector\":\"u\"}}",
		    "must be an object" },
		{ "DV without type", ADD_GOOD ",\"deletionVector\":{}}}",
		    "missing 'storageType'" },
		{ "DV long type", ADD_GOOD ",\"deletionVector\":{\"storageType\":"
		    "\"uu\"}}}", "one character" },
		{ "DV bad type", ADD_GOOD ",\"deletionVector\":{\"storageType\":"
		    "\"x\",\"pathOrInlineDv\":\"a\",\"sizeInBytes\":1,"
		    "\"cardinality\":1}}}", "storage type" },
		{ "DV short uuid", ADD_GOOD ",\"deletionVector\":{\"storageType\":"
		    "\"u\",\"pathOrInlineDv\":\"abc\",\"sizeInBytes\":1,"
		    "\"cardinality\":1}}}", "shorter" },
		{ "DV negative size", ADD_GOOD ",\"deletionVector\":"
		    "{\"storageType\":\"u\",\"pathOrInlineDv\":\"ab^-aqEH.-t@S}K"
		    "{vb[*k^\",\"sizeInBytes\":-1,\"cardinality\":1}}}",
		    "out of range" },
		{ "DV offset too big", ADD_GOOD ",\"deletionVector\":"
		    "{\"storageType\":\"u\",\"pathOrInlineDv\":\"ab^-aqEH.-t@S}K"
		    "{vb[*k^\",\"offset\":2147483648,\"sizeInBytes\":1,"
		    "\"cardinality\":1}}}", "out of range" },
		{ "DV negative cardinality", ADD_GOOD ",\"deletionVector\":"
		    "{\"storageType\":\"u\",\"pathOrInlineDv\":\"ab^-aqEH.-t@S}K"
		    "{vb[*k^\",\"sizeInBytes\":1,\"cardinality\":-1}}}",
		    "out of range" },
		{ "cdc without dataChange", "{\"cdc\":{\"path\":\"x\","
		    "\"partitionValues\":{},\"size\":1}}", "missing 'dataChange'" },
		{ "remove size a string", "{\"remove\":{\"path\":\"x\","
		    "\"size\":\"1\"}}", "must be an integer" },
		{ "protocol reader 0", "{\"protocol\":{\"minReaderVersion\":0,"
		    "\"minWriterVersion\":2}}", "out of range" },
		{ "protocol missing writer", "{\"protocol\":{\"minReaderVersion\""
		    ":1}}", "missing 'minWriterVersion'" },
		{ "protocol features not strings", "{\"protocol\":{"
		    "\"minReaderVersion\":3,\"minWriterVersion\":7,"
		    "\"readerFeatures\":[1]}}", "strings only" },
		{ "protocol features an object", "{\"protocol\":{"
		    "\"minReaderVersion\":3,\"minWriterVersion\":7,"
		    "\"readerFeatures\":{}}}", "must be an array" },
		{ "metaData without id", "{\"metaData\":{\"format\":"
		    "{\"provider\":\"parquet\"},\"partitionColumns\":[]}}",
		    "missing 'id'" },
		{ "metaData without format", "{\"metaData\":{\"id\":\"x\","
		    "\"partitionColumns\":[]}}", "missing 'format'" },
		{ "format without provider", "{\"metaData\":{\"id\":\"x\","
		    "\"format\":{},\"partitionColumns\":[]}}",
		    "missing 'provider'" },
		{ "metaData without partitionColumns", "{\"metaData\":{\"id\":"
		    "\"x\",\"format\":{\"provider\":\"parquet\"}}}",
		    "missing 'partitionColumns'" },
		{ "configuration with a number", "{\"metaData\":{\"id\":\"x\","
		    "\"format\":{\"provider\":\"parquet\"},\"partitionColumns\":[],"
		    "\"configuration\":{\"a\":1}}}", "must map to strings" },
		{ "configuration with null", "{\"metaData\":{\"id\":\"x\","
		    "\"format\":{\"provider\":\"parquet\"},\"partitionColumns\":[],"
		    "\"configuration\":{\"a\":null}}}", "must map to strings" },
		{ "schemaString an object", "{\"metaData\":{\"id\":\"x\","
		    "\"format\":{\"provider\":\"parquet\"},\"partitionColumns\":[],"
		    "\"schemaString\":{}}}", "must be a string" },
		{ "ICT a string", "{\"commitInfo\":{\"inCommitTimestamp\":\"1\"}}",
		    "must be an integer" },
		{ "txn without appId", "{\"txn\":{\"version\":1}}",
		    "missing 'appId'" },
		{ "domain without removed", "{\"domainMetadata\":{\"domain\":"
		    "\"d\",\"configuration\":\"{}\"}}", "missing 'removed'" },
		{ "domain configuration object", "{\"domainMetadata\":"
		    "{\"domain\":\"d\",\"configuration\":{},\"removed\":false}}",
		    "must be a string" },
		{ "checkpointMetadata negative", "{\"checkpointMetadata\":"
		    "{\"version\":-1}}", "out of range" },
		{ "sidecar without size", "{\"sidecar\":{\"path\":\"x\","
		    "\"modificationTime\":1}}", "missing 'sizeInBytes'" },
		{ "sidecar empty path", "{\"sidecar\":{\"path\":\"\","
		    "\"sizeInBytes\":1,\"modificationTime\":1}}", "is empty" },
	};
	struct arena		*a = arena_new();
	struct delta_action	 act;
	struct err		 e;
	size_t			 i;
	int			 rc;

	for (i = 0; i < NELEM(cases); i++) {
		err_clear(&e);
		rc = delta_action_parse(a, cases[i].line, strlen(cases[i].line),
		    &act, &e);
		if (cases[i].why == NULL) {
			is_int(rc, 0, "%s: (a good line)", cases[i].name);
			continue;
		}
		is_int(rc, -1, "%s: refused", cases[i].name);
		is_int(e.kind, ERR_UPSTREAM, "%s: kind", cases[i].name);
		if (!ok(strstr(e.msg, cases[i].why) != NULL,
		    "%s: message says '%s'", cases[i].name, cases[i].why))
			diag("message: %s", e.msg);
	}
	arena_free(a);
#undef ADD_START
#undef ADD_GOOD
}

struct collect {
	size_t			 n;
	enum delta_action_kind	 kinds[16];
	int			 fail_at;	/* fail on this action, 0: never */
	int			 stop_at;	/* stop after it, 0: never */
};

static int
collect(void *ctx, const struct delta_action *act, struct err *e)
{
	struct collect	*c = ctx;

	if (c->n < NELEM(c->kinds))
		c->kinds[c->n] = act->kind;
	if (++c->n == (size_t)c->fail_at)
		return err_set(e, ERR_INTERNAL, "stop here");
	return c->n == (size_t)c->stop_at ? DELTA_STOP : 0;
}

static void
test_each(void)
{
	struct arena	*a = arena_new();
	struct collect	 c;
	struct err	 e;
	char		 buf[4096];

	snprintf(buf, sizeof(buf), "%s\n%s\r\n\n   \n%s\n%s", commit_info,
	    protocol, metadata, add_dv);
	memset(&c, 0, sizeof(c));
	err_clear(&e);
	is_int(delta_action_each(a, buf, strlen(buf), collect, &c, &e), 0,
	    "each: a commit");
	is_int(c.n, 4, "each: four actions, blank lines skipped");
	ok(c.kinds[0] == DELTA_COMMIT_INFO && c.kinds[1] == DELTA_PROTOCOL &&
	    c.kinds[2] == DELTA_METADATA && c.kinds[3] == DELTA_ADD,
	    "each: in order");

	memset(&c, 0, sizeof(c));
	is_int(delta_action_each(a, "", 0, collect, &c, &e), 0,
	    "each: empty file");
	is_int(c.n, 0, "each: no action");

	snprintf(buf, sizeof(buf), "%s\n\n{\"add\":{}}\n%s\n", protocol, txn);
	memset(&c, 0, sizeof(c));
	is_int(delta_action_each(a, buf, strlen(buf), collect, &c, &e), -1,
	    "each: a bad line");
	is_int(c.n, 1, "each: stops at it");
	if (!ok(strncmp(e.msg, "line 3: add: missing 'path'", 27) == 0,
	    "each: the message names the line"))
		diag("message: %s", e.msg);

	snprintf(buf, sizeof(buf), "%s\n%s\n%s\n", protocol, txn, domain);
	memset(&c, 0, sizeof(c));
	c.fail_at = 2;
	is_int(delta_action_each(a, buf, strlen(buf), collect, &c, &e), -1,
	    "each: the callback fails");
	is_str(e.msg, "line 2: stop here", "each: its message gets the line");
	is_int(e.kind, ERR_INTERNAL, "each: and keeps its kind");

	/* A stop leaves the lines after it unparsed (the 3rd is bad). */
	snprintf(buf, sizeof(buf), "%s\n%s\n{\"add\":{}}\n", protocol, txn);
	memset(&c, 0, sizeof(c));
	c.stop_at = 2;
	is_int(delta_action_each(a, buf, strlen(buf), collect, &c, &e),
	    DELTA_STOP, "each: the callback stops");
	is_int(c.n, 2, "each: no action after the stop");

	/* The line ends at len, not at a NUL. */
	snprintf(buf, sizeof(buf), "%sGARBAGE", txn);
	memset(&c, 0, sizeof(c));
	is_int(delta_action_each(a, buf, strlen(txn), collect, &c, &e), 0,
	    "each: len bounds the buffer");
	arena_free(a);
}

int
main(void)
{
	test_kinds();
	test_file_fields();
	test_fast_path();
	test_other_fields();
	test_bad_lines();
	test_each();
	return done_testing();
}
