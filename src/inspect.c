/*
 * inspect.c: deltashare-inspect, what the Delta log engine sees in a
 * table.
 *
 *	deltashare-inspect [--version N | --timestamp T] [--presign[=SECS]]
 *	    [--summary] LOCATION
 *	deltashare-inspect --changes START[..END] LOCATION
 *
 * Prints NDJSON: the snapshot (version and, when known, commit
 * timestamp), protocol, metaData, the reader features the table
 * requires, then one line per live file (with --presign, and a store
 * that presigns, its "url" valid SECS seconds, default 3600; none with
 * --summary, which leaves only the count at the end); or, for
 * --changes, one line
 * per action of each commit in the range with its version and
 * timestamp.  Exit 0 on success; otherwise one line
 * "deltashare-inspect: ..." on stderr and exit 1 (2 for usage).
 */
#include "config.h"

#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "buf.h"
#include "delta_action.h"
#include "delta_changes.h"
#include "delta_dv.h"
#include "delta_features.h"
#include "delta_log.h"
#include "delta_snapshot.h"
#include "delta_table.h"
#include "err.h"
#include "jsonv.h"
#include "jsonw.h"
#include "log.h"
#include "storage.h"
#include "strutil.h"

struct out {
	struct buf		 b;
	struct jsonw		 w;
	int64_t			 files;
	int64_t			 bytes;
	struct delta_table	*t;
	int64_t			 presign;	/* URL lifetime; 0: none */
	bool			 summary;	/* no line per file */
};

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: deltashare-inspect [--version N | "
	    "--timestamp T | --changes START[..END]] [--presign[=SECS]] "
	    "[--summary] LOCATION\n");
	exit(2);
}

static struct jsonw *
line_start(struct out *o)
{
	buf_reset(&o->b);
	jsonw_init(&o->w, &o->b);
	jsonw_obj_open(&o->w);
	return &o->w;
}

static void
line_end(struct out *o)
{
	jsonw_obj_close(&o->w);
	fwrite(buf_str(&o->b), 1, o->b.len, stdout);
	fputc('\n', stdout);
}

/* JSON text from the log: embedded when valid JSON, else a string. */
static void
json_text(struct jsonw *w, const char *text)
{
	const char	*why;
	size_t		 at;

	if (text != NULL && jsonv_check(text, strlen(text), 64, &why,
	    &at) == 0)
		jsonw_raw(w, text);
	else if (text != NULL)
		jsonw_str(w, text);
	else
		jsonw_null(w);
}

static const char *
kind_name(enum delta_action_kind k)
{
	static const char *const names[] = {
		[DELTA_UNKNOWN] = "unknown", [DELTA_ADD] = "add",
		[DELTA_REMOVE] = "remove", [DELTA_CDC] = "cdc",
		[DELTA_METADATA] = "metaData", [DELTA_PROTOCOL] = "protocol",
		[DELTA_COMMIT_INFO] = "commitInfo", [DELTA_TXN] = "txn",
		[DELTA_DOMAIN_METADATA] = "domainMetadata",
		[DELTA_CHECKPOINT_METADATA] = "checkpointMetadata",
		[DELTA_SIDECAR] = "sidecar",
	};

	return names[k];
}

static int
print_file(void *ctx, const struct delta_action *act, const char *key,
    struct err *e)
{
	struct out		*o = ctx;
	const struct delta_file	*f = &act->u.file;
	const char		*url = NULL;
	struct jsonw		*w;

	o->files++;
	o->bytes += f->size;
	if (o->summary)
		return 0;
	if (o->presign > 0 && storage_presign(o->t->st, key,
	    (int64_t)time(NULL), o->presign, o->t->a, &url, e) == -1)
		return -1;
	w = line_start(o);
	jsonw_key(w, "file");
	jsonw_obj_open(w);
	jsonw_key(w, "path");
	jsonw_str(w, f->path);
	if (url != NULL) {
		jsonw_key(w, "url");
		jsonw_str(w, url);
	}
	jsonw_key(w, "size");
	jsonw_int(w, f->size);
	jsonw_key(w, "partitionValues");
	json_text(w, f->partition_values);
	if (f->stats != NULL) {
		jsonw_key(w, "stats");
		json_text(w, f->stats);
	}
	if (f->dv.storage_type != 0) {
		jsonw_key(w, "deletionVector");
		delta_dv_json(w, &f->dv, f->dv.storage_type,
		    f->dv.path_or_inline);
	}
	jsonw_obj_close(w);
	line_end(o);
	return 0;
}

static void
print_action(struct out *o, const struct delta_action *act, int64_t version,
    int64_t ts)
{
	struct jsonw	*w = line_start(o);

	if (version >= 0) {
		jsonw_key(w, "version");
		jsonw_int(w, version);
		jsonw_key(w, "timestamp");
		jsonw_int(w, ts);
	}
	jsonw_key(w, kind_name(act->kind));
	jsonw_rawn(w, act->raw, act->rawlen);
	line_end(o);
}

static int
print_change(void *ctx, int64_t version, int64_t ts,
    const struct delta_action *act, struct err *e)
{
	(void)e;
	if (act->kind != DELTA_UNKNOWN)
		print_action(ctx, act, version, ts);
	return 0;
}

static int
snapshot(struct delta_table *t, int64_t version, const char *when,
    struct out *o, struct err *e)
{
	struct delta_snapshot	*s;
	const struct delta_commit *c;
	struct jsonw		*w;
	const char		**names;
	unsigned		 mask;
	size_t			 n, i;
	int64_t			 ts;

	if (when != NULL) {
		if (str_parse_iso8601(when, &ts) == -1 &&
		    str_parse_i64(when, 0, INT64_MAX, &ts) == -1)
			return err_set(e, ERR_BAD_PARAM, "--timestamp: '%s' is "
			    "neither ISO-8601 nor milliseconds", when);
		if (delta_snapshot_at(t, ts, &s, e) == -1)
			return -1;
	} else if (delta_snapshot_open(t, version, &s, e) == -1)
		return -1;
	w = line_start(o);
	jsonw_key(w, "snapshot");
	jsonw_obj_open(w);
	jsonw_key(w, "version");
	jsonw_int(w, s->version);
	if (t->log->timestamps &&
	    (c = delta_log_commit(t->log, s->version)) != NULL) {
		jsonw_key(w, "timestamp");
		jsonw_int(w, c->timestamp);
	}
	jsonw_obj_close(w);
	line_end(o);
	print_action(o, &s->protocol, -1, 0);
	print_action(o, &s->metadata, -1, 0);
	if (delta_features_required(&s->protocol.u.protocol,
	    &s->metadata.u.metadata, t->a, &mask, &names, &n, e) == -1)
		return -1;
	w = line_start(o);
	jsonw_key(w, "readerFeatures");
	jsonw_arr_open(w);
	for (i = 0; i < n; i++)
		jsonw_str(w, names[i]);
	jsonw_arr_close(w);
	line_end(o);
	if (delta_snapshot_files(s, print_file, o, e) == -1)
		return -1;
	w = line_start(o);
	jsonw_key(w, "summary");
	jsonw_obj_open(w);
	jsonw_key(w, "files");
	jsonw_int(w, o->files);
	jsonw_key(w, "bytes");
	jsonw_int(w, o->bytes);
	jsonw_obj_close(w);
	line_end(o);
	return 0;
}

static int
changes(struct delta_table *t, const char *range, struct out *o,
    struct err *e)
{
	struct delta_snapshot	*latest;
	const char		*dots = strstr(range, "..");
	char			*first;
	int64_t			 start, end = -1;

	first = arena_strndup(t->a, range, dots ? (size_t)(dots - range) :
	    strlen(range));
	if (str_parse_i64(first, 0, INT64_MAX, &start) == -1 ||
	    (dots != NULL && str_parse_i64(dots + 2, 0, INT64_MAX,
	    &end) == -1) || (end >= 0 && end < start))
		return err_set(e, ERR_BAD_PARAM, "--changes: '%s' is not "
		    "START or START..END", range);
	if (delta_snapshot_open(t, -1, &latest, e) == -1)
		return -1;
	return delta_changes(t, &latest->metadata.u.metadata, start, end,
	    print_change, o, e);
}

/* A relative path is taken from the current directory. */
static const char *
location(struct arena *a, const char *arg)
{
	char	 real[PATH_MAX];

	if (arg[0] == '/' || strstr(arg, "://") != NULL ||
	    strncmp(arg, "file:", 5) == 0)
		return arg;
	if (realpath(arg, real) == NULL)
		return arg;
	return arena_strdup(a, real);
}

int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "version", required_argument, NULL, 'v' },
		{ "timestamp", required_argument, NULL, 't' },
		{ "changes", required_argument, NULL, 'c' },
		{ "presign", optional_argument, NULL, 'p' },
		{ "summary", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct delta_table	*t;
	struct arena		*a;
	struct err		 e;
	struct out		 o;
	const char		*when = NULL, *range = NULL;
	int64_t			 version = -1;
	int			 ch, rc = 1;

	memset(&o, 0, sizeof(o));
	log_init(LOG_LEVEL_WARN);
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'v':
			if (str_parse_i64(optarg, 0, INT64_MAX, &version) == -1)
				usage();
			break;
		case 't':
			when = optarg;
			break;
		case 'c':
			range = optarg;
			break;
		case 'p':
			o.presign = 3600;
			if (optarg != NULL && str_parse_i64(optarg, 1,
			    604800, &o.presign) == -1)
				usage();
			break;
		case 's':
			o.summary = true;
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 1 || (range != NULL && (version >= 0 ||
	    when != NULL || o.presign > 0 || o.summary)) ||
	    (version >= 0 && when != NULL) || (o.summary && o.presign > 0))
		usage();
	a = arena_new();
	err_clear(&e);
	buf_init(&o.b, 0);
	if (delta_table_open(location(a, argv[optind]), a, &t, &e) == 0 &&
	    (o.t = t) != NULL && (range != NULL ? changes(t, range, &o, &e) :
	    snapshot(t, version, when, &o, &e)) == 0)
		rc = 0;
	else
		fprintf(stderr, "deltashare-inspect: %s\n", e.msg);
	buf_release(&o.b);
	arena_free(a);
	if (fflush(stdout) != 0)
		rc = 1;
	return rc;
}
