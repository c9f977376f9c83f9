/*
 * probe.c: the floors of the benchmark (../shared/docs/performance-notes.md):
 * the fastest simple way to do one piece of a query's work, measured on
 * the same machine and table as deltashare itself.
 *
 *	probe read DIR		read every JSON commit of DIR/_delta_log
 *	probe replay DIR	json-c replay of the JSON commits, one reused
 *				tokener, paths only (newest first, a set of
 *				seen paths): the live files
 *	probe emit DIR		replay keeping each live add's raw JSON, then
 *				per live file: a SigV4 presigned URL (key
 *				cached), an md5 file id and an NDJSON line
 *				into a buffer flushed to /dev/null
 *	probe sign N		N SigV4 presigned URLs (key cached)
 *
 * Each prints one JSON object: {"probe", "seconds", ...counts}.  The
 * times cover the work only (not reading the directory listing).
 */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "arena.h"
#include "buf.h"
#include "crypto.h"
#include "err.h"
#include "hset.h"
#include "sigv4.h"
#include "strutil.h"
#include "xmalloc.h"

struct commits {
	char		**path;
	size_t		 n;
};

static double
now_s(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The JSON commits of dir's log (NNNNNNNNNNNNNNNNNNNN.json), in order. */
static void
list_commits(const char *dir, struct commits *c)
{
	char		 log[4096];
	struct dirent	*de;
	DIR		*d;
	size_t		 cap = 0;

	snprintf(log, sizeof(log), "%s/_delta_log", dir);
	if ((d = opendir(log)) == NULL) {
		perror(log);
		exit(1);
	}
	c->n = 0;
	c->path = NULL;
	while ((de = readdir(d)) != NULL) {
		if (strlen(de->d_name) != 25 ||
		    strcmp(de->d_name + 20, ".json") != 0 ||
		    strspn(de->d_name, "0123456789") != 20)
			continue;
		if (c->n == cap) {
			cap = cap ? cap * 2 : 1024;
			c->path = xreallocarray(c->path, cap, sizeof(char *));
		}
		c->path[c->n] = xmalloc(strlen(log) + 27);
		sprintf(c->path[c->n++], "%s/%s", log, de->d_name);
	}
	closedir(d);
	qsort(c->path, c->n, sizeof(char *), cmp_str);
}

static void
slurp(const char *path, struct buf *b)
{
	char	 chunk[1 << 16];
	ssize_t	 n;
	int	 fd;

	buf_reset(b);
	if ((fd = open(path, O_RDONLY)) == -1) {
		perror(path);
		exit(1);
	}
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		buf_add(b, chunk, (size_t)n);
	close(fd);
}

static int
probe_read(const char *dir)
{
	struct commits	 c;
	struct buf	 b;
	uint64_t	 bytes = 0;
	double		 t0;
	size_t		 i;

	list_commits(dir, &c);
	buf_init(&b, 0);
	t0 = now_s();
	for (i = 0; i < c.n; i++) {
		slurp(c.path[i], &b);
		bytes += b.len;
	}
	printf("{\"probe\":\"read\",\"seconds\":%.6f,\"commits\":%zu,"
	    "\"bytes\":%" PRIu64 "}\n", now_s() - t0, c.n, bytes);
	buf_release(&b);
	return 0;
}

/* What a replay keeps of each live add: its raw JSON (emit only). */
struct live {
	char		**add;
	size_t		 n, cap;
};

/*
 * Replay newest first: the first action seen for a path decides, so an
 * add seen before any remove of its path is live.
 */
static size_t
replay(const struct commits *c, struct live *keep)
{
	struct json_tokener *tok = json_tokener_new();
	struct hset	*seen = hset_new(1 << 16);
	struct json_object *o, *a, *p;
	struct buf	 b;
	const char	*line, *end, *nl, *path;
	size_t		 i, live = 0;
	bool		 add;

	buf_init(&b, 0);
	for (i = c->n; i-- > 0;) {
		slurp(c->path[i], &b);
		line = b.data;
		end = b.data + b.len;
		for (; line < end; line = nl + 1) {
			if ((nl = memchr(line, '\n', (size_t)(end - line))) == NULL)
				nl = end;
			if (nl == line)
				continue;
			json_tokener_reset(tok);
			if ((o = json_tokener_parse_ex(tok, line,
			    (int)(nl - line))) == NULL)
				continue;
			add = json_object_object_get_ex(o, "add", &a);
			if ((add || json_object_object_get_ex(o, "remove", &a)) &&
			    json_object_object_get_ex(a, "path", &p) &&
			    (path = json_object_get_string(p)) != NULL &&
			    hset_add(seen, path, strlen(path)) && add) {
				live++;
				if (keep != NULL) {
					if (keep->n == keep->cap) {
						keep->cap = keep->cap ?
						    keep->cap * 2 : 1024;
						keep->add = xreallocarray(
						    keep->add, keep->cap,
						    sizeof(char *));
					}
					keep->add[keep->n++] = xstrdup(
					    json_object_to_json_string_ext(a,
					    JSON_C_TO_STRING_PLAIN));
				}
			}
			json_object_put(o);
		}
	}
	buf_release(&b);
	hset_free(seen);
	json_tokener_free(tok);
	return live;
}

static int
probe_replay(const char *dir)
{
	struct commits	 c;
	size_t		 live;
	double		 t0;

	list_commits(dir, &c);
	t0 = now_s();
	live = replay(&c, NULL);
	printf("{\"probe\":\"replay\",\"seconds\":%.6f,\"commits\":%zu,"
	    "\"live\":%zu}\n", now_s() - t0, c.n, live);
	return 0;
}

/* One presigned URL with a cached signing key, into the arena. */
static const char *
presign(struct arena *a, struct sigv4_creds *cr, const char *key)
{
	struct sigv4_req	 rq;
	struct sigv4_signed	 s;
	struct err		 e;

	memset(&rq, 0, sizeof(rq));
	rq.method = "GET";
	rq.host = "bench-bucket.s3.us-east-1.amazonaws.com";
	rq.path = arena_printf(a, "/tables/bench/%s", key);
	rq.payload_hash = "UNSIGNED-PAYLOAD";
	rq.now = 1780000000;
	if (sigv4_presign(&rq, cr, 3600, a, &s, &e) == -1) {
		fprintf(stderr, "presign: %s\n", e.msg);
		exit(1);
	}
	return arena_printf(a, "https://%s%s?%s", rq.host, s.path, s.query);
}

static void
creds(struct sigv4_creds *cr, struct sigv4_kcache *kc)
{
	memset(kc, 0, sizeof(*kc));
	cr->access_key = "AKIAIOSFODNN7EXAMPLE";
	cr->secret_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
	cr->session_token = NULL;
	cr->region = "us-east-1";
	cr->service = "s3";
	cr->cache = kc;
}

static int
probe_emit(const char *dir)
{
	struct commits	 c;
	struct live	 keep = { NULL, 0, 0 };
	struct sigv4_creds cr;
	struct sigv4_kcache kc;
	struct arena	*a = arena_new();
	struct buf	 out;
	unsigned char	 h[CRYPTO_MD5_LEN];
	char		 id[2 * CRYPTO_MD5_LEN + 1];
	const char	*url;
	uint64_t	 bytes = 0;
	double		 t0, t1;
	size_t		 i;
	FILE		*devnull = fopen("/dev/null", "w");

	list_commits(dir, &c);
	creds(&cr, &kc);
	buf_init(&out, 0);
	t0 = now_s();
	replay(&c, &keep);
	t1 = now_s();
	for (i = 0; i < keep.n; i++) {
		url = presign(a, &cr, keep.add[i] + 9);	/* any key text */
		crypto_md5(keep.add[i], strlen(keep.add[i]), h);
		str_hex(h, sizeof(h), id);
		buf_addf(&out, "{\"file\":{\"url\":\"%s\",\"id\":\"%s\","
		    "\"deltaSingleAction\":{\"add\":%s}}}\n", url, id,
		    keep.add[i]);
		if (out.len > (1 << 20)) {
			fwrite(out.data, 1, out.len, devnull);
			bytes += out.len;
			buf_reset(&out);
			arena_reset(a);
		}
	}
	fwrite(out.data, 1, out.len, devnull);
	bytes += out.len;
	printf("{\"probe\":\"emit\",\"seconds\":%.6f,\"replay_seconds\":%.6f,"
	    "\"emit_seconds\":%.6f,\"live\":%zu,\"bytes_out\":%" PRIu64 "}\n",
	    now_s() - t0, t1 - t0, now_s() - t1, keep.n, bytes);
	fclose(devnull);
	buf_release(&out);
	arena_free(a);
	return 0;
}

static int
probe_sign(long n)
{
	struct sigv4_creds cr;
	struct sigv4_kcache kc;
	struct arena	*a = arena_new();
	double		 t0, t;
	long		 i;

	creds(&cr, &kc);
	t0 = now_s();
	for (i = 0; i < n; i++) {
		presign(a, &cr, "part=7/part-00000-1b3c.c000.snappy.parquet");
		if ((i & 1023) == 0)
			arena_reset(a);
	}
	t = now_s() - t0;
	printf("{\"probe\":\"sign\",\"seconds\":%.6f,\"urls\":%ld,"
	    "\"us_per_url\":%.3f}\n", t, n, t * 1e6 / (double)n);
	arena_free(a);
	return 0;
}

int
main(int argc, char *argv[])
{
	if (argc == 3 && strcmp(argv[1], "read") == 0)
		return probe_read(argv[2]);
	if (argc == 3 && strcmp(argv[1], "replay") == 0)
		return probe_replay(argv[2]);
	if (argc == 3 && strcmp(argv[1], "emit") == 0)
		return probe_emit(argv[2]);
	if (argc == 3 && strcmp(argv[1], "sign") == 0)
		return probe_sign(atol(argv[2]) > 0 ? atol(argv[2]) : 100000);
	fprintf(stderr, "usage: probe read|replay|emit DIR | probe sign N\n");
	return 2;
}
