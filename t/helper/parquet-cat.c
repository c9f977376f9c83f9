/*
 * parquet-cat.c: print a Parquet file as our reader sees it, for the
 * tests (t3100) and for looking at checkpoints by hand.
 *
 *	parquet-cat [options] FILE
 *
 *	--rows		one JSON line per row (the default)
 *	--meta		one JSON line: row count, created_by, key/value
 *			metadata, row groups and their column chunks
 *	--schema	one line per schema node: path, shape, types, levels
 *	--num-rows	the footer's row count
 *	--count		read every row of the projection, print how many,
 *			then the footer's row count
 *	--style S	canon (default; t/helper/parquet-dump.mjs's form),
 *			delta or partition (see parquet_value.h)
 *	--select PATH	add PATH (or "-PATH") to the projection; repeatable
 *	--value PATH	print the value at PATH of each row where it is not
 *			null, instead of the whole row
 *	--utc		render every timestamp as UTC (as when the table
 *			schema says "timestamp"; see parquet_value_json_utc)
 *	--tiny		small limits (to test that they hold)
 *	--mem		read the file from memory instead of with pread
 *
 * Exit status 0, 1 with "parquet-cat: FILE: message" on stderr when the
 * file cannot be read, 2 on a usage error.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "err.h"
#include "jsonw.h"
#include "parquet_meta.h"
#include "parquet_read.h"
#include "parquet_value.h"
#include "xmalloc.h"

enum mode { ROWS, META, SCHEMA, NUM_ROWS, COUNT };

struct opts {
	enum mode		 mode;
	enum parquet_value_style style;
	const char		**sel;
	size_t			 nsel;
	const char		*value;
	bool			 tiny, mem, utc;
};

static void
usage(void)
{
	fprintf(stderr, "usage: parquet-cat [--rows|--meta|--schema|"
	    "--num-rows|--count] [--style canon|delta|partition]\n"
	    "           [--select PATH]... [--value PATH] [--utc] [--tiny] "
	    "[--mem] FILE\n");
	exit(2);
}

static void
print_stats(struct jsonw *w, const struct parquet_meta_chunk *k)
{
	const struct parquet_meta_stats	*s = &k->stats;

	jsonw_key(w, "statistics");
	if (!k->has_stats) {
		jsonw_null(w);
		return;
	}
	jsonw_obj_open(w);
	if (s->has_null_count) {
		jsonw_key(w, "null_count");
		jsonw_int(w, s->null_count);
	}
	if (s->has_min) {
		jsonw_key(w, "min_len");
		jsonw_int(w, (int64_t)s->min_len);
	}
	if (s->has_max) {
		jsonw_key(w, "max_len");
		jsonw_int(w, (int64_t)s->max_len);
	}
	jsonw_obj_close(w);
}

static void
print_chunk(struct jsonw *w, const struct parquet_meta_chunk *k)
{
	int	 e;

	jsonw_obj_open(w);
	jsonw_key(w, "path");
	jsonw_str(w, k->leaf->path);
	jsonw_key(w, "type");
	jsonw_str(w, parquet_meta_type_name(k->leaf->type));
	jsonw_key(w, "codec");
	jsonw_int(w, k->codec);
	jsonw_key(w, "encodings");
	jsonw_arr_open(w);
	for (e = 0; e < 32; e++)
		if (k->encodings & (1u << e))
			jsonw_str(w, parquet_meta_encoding_name(e));
	jsonw_arr_close(w);
	jsonw_key(w, "num_values");
	jsonw_int(w, k->num_values);
	jsonw_key(w, "start");
	jsonw_int(w, k->start);
	jsonw_key(w, "compressed_size");
	jsonw_int(w, k->compressed_size);
	print_stats(w, k);
	jsonw_obj_close(w);
}

static void
print_meta(struct parquet_read *r, struct buf *b)
{
	const struct parquet_meta	*m = parquet_read_meta(r);
	struct jsonw			 w;
	size_t				 i, j;

	jsonw_init(&w, b);
	jsonw_obj_open(&w);
	jsonw_key(&w, "num_rows");
	jsonw_int(&w, m->num_rows);
	jsonw_key(&w, "created_by");
	if (m->created_by != NULL)
		jsonw_str(&w, m->created_by);
	else
		jsonw_null(&w);
	jsonw_key(&w, "key_value_metadata");
	jsonw_obj_open(&w);
	for (i = 0; i < m->nkv; i++) {
		jsonw_key(&w, m->kv[i].key);
		if (m->kv[i].value != NULL)
			jsonw_str(&w, m->kv[i].value);
		else
			jsonw_null(&w);
	}
	jsonw_obj_close(&w);
	jsonw_key(&w, "row_groups");
	jsonw_arr_open(&w);
	for (i = 0; i < m->nrow_groups; i++) {
		jsonw_obj_open(&w);
		jsonw_key(&w, "num_rows");
		jsonw_int(&w, m->row_groups[i].num_rows);
		jsonw_key(&w, "columns");
		jsonw_arr_open(&w);
		for (j = 0; j < m->nleaves; j++)
			print_chunk(&w, &m->row_groups[i].chunks[j]);
		jsonw_arr_close(&w);
		jsonw_obj_close(&w);
	}
	jsonw_arr_close(&w);
	jsonw_obj_close(&w);
	printf("%s\n", buf_str(b));
}

static void
print_schema(struct parquet_read *r)
{
	static const char *const shapes[] = { "leaf", "struct", "list", "map" };
	static const char *const reps[] = { "required", "optional",
	    "repeated" };
	const struct parquet_meta	*m = parquet_read_meta(r);
	const struct parquet_meta_node	*n;
	size_t				 i;

	for (i = 0; i < m->nnodes; i++) {
		n = m->nodes[i];
		printf("%s %s %s", n->path[0] == '\0' ? "(root)" : n->path,
		    shapes[n->shape], reps[n->rep]);
		if (n->shape == PARQUET_SHAPE_LEAF)
			printf(" %s", parquet_meta_type_name(n->type));
		printf(" logical=%d def=%d rep=%d", (int)n->logical, n->max_def,
		    n->max_rep);
		if (n->shape == PARQUET_SHAPE_LIST)
			printf(" elem=%s", n->elem->path);
		printf("\n");
	}
}

/* The value at a dotted path of fields below v, or NULL. */
static const struct parquet_value *
value_at(const struct parquet_value *v, const char *path)
{
	char	*copy = xstrdup(path), *p = copy, *dot;

	while (v != NULL && p != NULL) {
		if ((dot = strchr(p, '.')) != NULL)
			*dot++ = '\0';
		v = parquet_value_get(v, p);
		p = dot;
	}
	free(copy);
	return v;
}

static int
all_utc(void *ctx, const struct parquet_value *v)
{
	return 1;
}

static int
print_rows(struct parquet_read *r, const struct opts *o, struct buf *b,
    struct err *err)
{
	const struct parquet_value	*row, *v;
	struct jsonw			 w;
	int64_t				 n = 0;
	int				 rc;

	while ((rc = parquet_read_next(r, &row, err)) == 1) {
		n++;
		if (o->mode == COUNT)
			continue;
		v = o->value != NULL ? value_at(row, o->value) : row;
		if (parquet_value_is_null(v))
			continue;
		buf_reset(b);
		jsonw_init(&w, b);
		parquet_value_json_utc(&w, v, o->style, o->utc ? all_utc : NULL,
		    NULL);
		if (fwrite(b->data, 1, b->len, stdout) != b->len ||
		    putchar('\n') == EOF)
			return err_set(err, ERR_INTERNAL, "write: %s",
			    strerror(errno));
	}
	if (rc == 0 && o->mode == COUNT)
		printf("%" PRId64 " %" PRId64 "\n", n,
		    parquet_read_num_rows(r));
	return rc;
}

static void
tiny_limits(struct parquet_read_limits *l)
{
	parquet_read_limits_default(l);
	l->max_footer = 1 << 16;
	l->max_nodes = 1000;
	l->max_chunks = 10000;
	l->max_depth = 16;
	l->max_type_length = 64;
	l->max_page = 1 << 20;
	l->max_dict = 1 << 18;
	l->max_header = 4096;
	l->max_page_values = 100000;
	l->max_row_values = 10000;
	l->read_block = 512;
	l->tail_read = 100;
}

/* The whole file in memory, for --mem. */
static char *
slurp(const char *path, size_t *len, struct err *err)
{
	struct buf	 b;
	char		 tmp[65536];
	ssize_t		 n;
	int		 fd;

	buf_init(&b, 0);
	if ((fd = open(path, O_RDONLY)) == -1) {
		err_set(err, ERR_NOT_FOUND, "%s", strerror(errno));
		return NULL;
	}
	while ((n = read(fd, tmp, sizeof(tmp))) > 0)
		buf_add(&b, tmp, (size_t)n);
	close(fd);
	*len = b.len;
	return buf_detach(&b);
}

static int
run(const char *path, const struct opts *o, struct err *err)
{
	struct parquet_read_limits	 lim;
	struct parquet_read		*r;
	struct buf			 b;
	char				*mem = NULL;
	size_t				 len = 0;
	int				 rc = -1;

	if (o->tiny)
		tiny_limits(&lim);
	else
		parquet_read_limits_default(&lim);
	if (o->mem && (mem = slurp(path, &len, err)) == NULL)
		return -1;
	r = o->mem ? parquet_read_open_mem(mem, len, &lim, err) :
	    parquet_read_open_path(path, &lim, err);
	if (r == NULL)
		goto out;
	buf_init(&b, 0);
	switch (o->mode) {
	case META:
		print_meta(r, &b);
		rc = 0;
		break;
	case SCHEMA:
		print_schema(r);
		rc = 0;
		break;
	case NUM_ROWS:
		printf("%" PRId64 "\n", parquet_read_num_rows(r));
		rc = 0;
		break;
	default:
		if (o->nsel > 0 &&
		    parquet_read_select(r, o->sel, o->nsel, err) == -1)
			break;
		rc = print_rows(r, o, &b, err);
		break;
	}
	buf_release(&b);
	parquet_read_free(r);
out:
	free(mem);
	return rc;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "rows", no_argument, NULL, 'r' },
		{ "meta", no_argument, NULL, 'm' },
		{ "schema", no_argument, NULL, 's' },
		{ "num-rows", no_argument, NULL, 'n' },
		{ "count", no_argument, NULL, 'c' },
		{ "style", required_argument, NULL, 'S' },
		{ "select", required_argument, NULL, 'e' },
		{ "value", required_argument, NULL, 'v' },
		{ "tiny", no_argument, NULL, 't' },
		{ "mem", no_argument, NULL, 'M' },
		{ "utc", no_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 }
	};
	struct opts	 o;
	struct err	 err;
	int		 ch;

	memset(&o, 0, sizeof(o));
	o.style = PARQUET_VALUE_CANON;
	o.sel = xreallocarray(NULL, (size_t)argc, sizeof(*o.sel));
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'r': o.mode = ROWS; break;
		case 'm': o.mode = META; break;
		case 's': o.mode = SCHEMA; break;
		case 'n': o.mode = NUM_ROWS; break;
		case 'c': o.mode = COUNT; break;
		case 'S':
			if (strcmp(optarg, "canon") == 0)
				o.style = PARQUET_VALUE_CANON;
			else if (strcmp(optarg, "delta") == 0)
				o.style = PARQUET_VALUE_DELTA;
			else if (strcmp(optarg, "partition") == 0)
				o.style = PARQUET_VALUE_PARTITION;
			else
				usage();
			break;
		case 'e': o.sel[o.nsel++] = optarg; break;
		case 'v': o.value = optarg; break;
		case 't': o.tiny = true; break;
		case 'M': o.mem = true; break;
		case 'u': o.utc = true; break;
		default: usage();
		}
	}
	if (argc - optind != 1)
		usage();
	err_clear(&err);
	if (run(argv[optind], &o, &err) == -1) {
		fflush(stdout);
		fprintf(stderr, "parquet-cat: %s: %s\n", argv[optind], err.msg);
		free(o.sel);
		return 1;
	}
	free(o.sel);
	return 0;
}
