/*
 * mktable.c: generate Delta tables (and Parquet test files) for the demo,
 * the tests and the benchmarks.
 *
 *	mktable [--seed N] [--rows N] [--files N] [--force] DIR
 *	mktable --commits N [--deletes] [--checkpoint-every K]
 *	    [--multipart N] [--v2 json|parquet] [--last-checkpoint]
 *	    [--stats-parsed] [--seed N] [--rows N] [--files N] [--force] DIR
 *	mktable --types-test [--codec C] [--dictionary] [--rows N]
 *	    [--row-group-rows N] [--page-bytes N] FILE
 *
 * The first form writes the demo table into DIR: columns id (long), city
 * (string), amount (double), ts (timestamp), day (date), partitioned by
 * region (string; one value has a space, one a non-ASCII letter), in four
 * commits: v0 creates the table with --files files and the change data
 * feed on (delta.enableChangeDataFeed, writer version 4), v1 appends two,
 * v2 deletes the rows with id % 3 = 0 from one file (remove plus a
 * rewritten add, and a cdc file in _change_data/ holding the deleted rows
 * with _change_type "delete"), v3 appends two more.  Data files are SNAPPY Parquet with --rows
 * rows each; add actions carry their statistics.  Everything but the
 * commit and modification times is a function of --seed.  It prints
 * "DIR: version V, F live files, R live rows".  A DIR that already has a
 * _delta_log is left alone (exit 0) unless --force, which first removes
 * the log and the data files a previous run made.
 *
 * The second form writes a log of --commits N commits for the engine's
 * tests (see mktable_log.c): appends, and with --deletes
 * deletion-vector deletes and file rewrites; with --checkpoint-every K
 * a checkpoint at every version that is a multiple of K, classic
 * (NNN.checkpoint.parquet), multi-part with --multipart N, or v2 with
 * --v2 json|parquet (UUID-named, its adds and removes in one sidecar
 * under _delta_log/_sidecars, or in --multipart N of them, 0: inline);
 * --last-checkpoint also writes _last_checkpoint, --stats-parsed keeps
 * the checkpoint's stats as add.stats_parsed only.  It prints "DIR:
 * version V, F live files, R live rows, C checkpoints".
 *
 * The third form writes one Parquet file covering every physical and
 * logical type the writer supports, nulls and nested structs, lists and
 * maps, and prints the rows it wrote as JSON lines in the canonical form
 * of t/helper/parquet-dump.mjs, so a test can compare the two.
 */

#include "config.h"

#include <sys/stat.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mktable.h"
#include "strutil.h"
#include "xmalloc.h"

const char *const mktable_regions[NREGIONS] = {
	"north", "south", "north east", "z\xc3\xbcrich"
};

const char *const mktable_cities[NREGIONS][3] = {
	{ "Oslo", "Bergen", "Troms\xc3\xb8" },
	{ "Sevilla", "M\xc3\xa1laga", "Faro" },
	{ "Helsinki", "Turku", "Oulu" },
	{ "Z\xc3\xbcrich", "Winterthur", "Uster" }
};

static void
usage(void)
{
	fprintf(stderr,
	    "usage: mktable [--seed N] [--rows N] [--files N] [--force] DIR\n"
	    "       mktable --commits N [--deletes] [--checkpoint-every K] "
	    "[--multipart N]\n"
	    "           [--v2 json|parquet] [--last-checkpoint] "
	    "[--stats-parsed]\n"
	    "           [--seed N] [--rows N] [--files N] [--force] DIR\n"
	    "       mktable --types-test [--codec C] [--dictionary] "
	    "[--rows N]\n"
	    "           [--row-group-rows N] [--page-bytes N] FILE\n");
	exit(2);
}

bool
mktable_left_alone(const struct opts *o)
{
	struct stat	 st;
	char		*log;
	bool		 there;

	log = xasprintf("%s/_delta_log", o->target);
	there = stat(log, &st) == 0;
	free(log);
	if (there && !o->force) {
		printf("%s: already a Delta table, left alone\n", o->target);
		return true;
	}
	return false;
}

/* --- main ---------------------------------------------------------------- */

static int64_t
num_arg(const char *opt, const char *s, int64_t min, int64_t max)
{
	int64_t	 v;

	if (str_parse_i64(s, min, max, &v) == -1)
		mktable_die("%s: bad number '%s'", opt, s);
	return v;
}

static enum parquet_write_codec
codec_arg(const char *s)
{
	if (strcmp(s, "uncompressed") == 0 || strcmp(s, "none") == 0)
		return PQ_UNCOMPRESSED;
	if (strcmp(s, "snappy") == 0)
		return PQ_SNAPPY;
	if (strcmp(s, "gzip") == 0)
		return PQ_GZIP;
	if (strcmp(s, "zstd") == 0)
		return PQ_ZSTD;
	mktable_die("unknown codec '%s'", s);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "rows", required_argument, NULL, 'r' },
		{ "files", required_argument, NULL, 'f' },
		{ "force", no_argument, NULL, 'F' },
		{ "types-test", no_argument, NULL, 'T' },
		{ "codec", required_argument, NULL, 'c' },
		{ "dictionary", no_argument, NULL, 'D' },
		{ "row-group-rows", required_argument, NULL, 'g' },
		{ "page-bytes", required_argument, NULL, 'p' },
		{ "commits", required_argument, NULL, 'C' },
		{ "checkpoint-every", required_argument, NULL, 'K' },
		{ "multipart", required_argument, NULL, 'M' },
		{ "v2", required_argument, NULL, 'V' },
		{ "last-checkpoint", no_argument, NULL, 'L' },
		{ "deletes", no_argument, NULL, 'X' },
		{ "stats-parsed", no_argument, NULL, 'P' },
		{ NULL, 0, NULL, 0 }
	};
	struct opts	 o;
	int		 ch;
	bool		 rows_set = false;

	memset(&o, 0, sizeof(o));
	o.seed = 1;
	o.files = 4;
	o.codec = PQ_SNAPPY;
	o.parts = -1;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 's':
			o.seed = (uint64_t)num_arg("--seed", optarg, 0,
			    INT64_MAX);
			break;
		case 'r':
			o.rows = num_arg("--rows", optarg, 1, INT32_MAX);
			rows_set = true;
			break;
		case 'f':
			o.files = num_arg("--files", optarg, 1, 100000);
			break;
		case 'F':
			o.force = true;
			break;
		case 'T':
			o.types = true;
			break;
		case 'c':
			o.codec = codec_arg(optarg);
			break;
		case 'D':
			o.dictionary = true;
			break;
		case 'g':
			o.rg_rows = num_arg("--row-group-rows", optarg, 1,
			    INT64_MAX);
			break;
		case 'p':
			o.page_bytes = num_arg("--page-bytes", optarg, 1,
			    INT32_MAX);
			break;
		case 'C':
			o.commits = num_arg("--commits", optarg, 1, 100000);
			break;
		case 'K':
			o.ckpt_every = num_arg("--checkpoint-every", optarg, 1,
			    100000);
			break;
		case 'M':
			o.parts = num_arg("--multipart", optarg, 0, 1000);
			break;
		case 'V':
			if (strcmp(optarg, "json") == 0)
				o.v2 = 1;
			else if (strcmp(optarg, "parquet") == 0)
				o.v2 = 2;
			else
				mktable_die("--v2: json or parquet, not '%s'", optarg);
			break;
		case 'L':
			o.last_ckpt = true;
			break;
		case 'X':
			o.deletes = true;
			break;
		case 'P':
			o.stats_parsed = true;
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 1)
		usage();
	o.target = argv[optind];
	if (!rows_set)
		o.rows = o.types ? 300 : 20;
	if (o.commits == 0 && (o.ckpt_every || o.parts >= 0 || o.v2 ||
	    o.last_ckpt || o.deletes || o.stats_parsed))
		mktable_die("checkpoint and delete options need --commits");
	if (o.commits > 0 && o.types)
		usage();
	if (o.deletes && o.rows > 4096)
		mktable_die("--deletes: at most 4096 rows per file");
	if (o.parts == 0 && !o.v2)
		mktable_die("--multipart 0 is for v2 checkpoints only");
	if (o.commits > 0)
		return mktable_log(&o);
	return o.types ? mktable_types(&o) : mktable_demo(&o);
}

