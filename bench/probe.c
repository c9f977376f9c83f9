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
 *				per live file: a SigV4 presigned URL (the
 *				sign floor's), an md5 file id and an NDJSON
 *				line into a buffer flushed to /dev/null
 *	probe sign N		N SigV4 presigned GET URLs, the floor: the
 *				signing key, HMAC pads and everything the
 *				URLs share prepared once (probe_sign.c)
 *	probe sign-ds N		the same N URLs through deltashare:
 *				storage_presign() on an S3 storage with a
 *				fake credential, as a query signs its files
 *	probe sign-az N		N Azure blob SAS URLs, the floor
 *	probe sign-az-ds N	the same through deltashare's Azure storage
 *	probe sign-local-ds N	N file URLs of a local table (fileurl.c),
 *				as a query makes them
 *	probe jwt N		token_verify() of one bearer token, N times
 *				with HS256, N / 10 times with RS256 (RSA
 *				2048) and ES256 (P-256), keys made at start
 *
 * Each prints one JSON object: {"probe", "seconds", ...counts}; the sign
 * probes {"probe", "seconds", "urls", "us_per_url"}, jwt one line per
 * algorithm {"probe", "alg", "seconds", "tokens", "us_per_token"}.  The
 * times cover the work only (not reading the directory listing).  A sign
 * floor first checks that its URL is deltashare's, byte for byte.
 */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "buf.h"
#include "crypto.h"
#include "err.h"
#include "hset.h"
#include "probe.h"
#include "strutil.h"
#include "xmalloc.h"

struct commits {
	char		**path;
	size_t		 n;
};

static double
seconds(clockid_t clock)
{
	struct timespec	 ts;

	clock_gettime(clock, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

double
probe_now(void)
{
	return seconds(CLOCK_MONOTONIC);
}

/* CPU time of this process: what a probe used, whatever else ran. */
double
probe_cpu(void)
{
	return seconds(CLOCK_PROCESS_CPUTIME_ID);
}

void
probe_die(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	fputs("probe: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
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
	t0 = probe_now();
	for (i = 0; i < c.n; i++) {
		slurp(c.path[i], &b);
		bytes += b.len;
	}
	printf("{\"probe\":\"read\",\"seconds\":%.6f,\"commits\":%zu,"
	    "\"bytes\":%" PRIu64 "}\n", probe_now() - t0, c.n, bytes);
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
	t0 = probe_now();
	live = replay(&c, NULL);
	printf("{\"probe\":\"replay\",\"seconds\":%.6f,\"commits\":%zu,"
	    "\"live\":%zu}\n", probe_now() - t0, c.n, live);
	return 0;
}

static int
probe_emit(const char *dir)
{
	struct commits	 c;
	struct live	 keep = { NULL, 0, 0 };
	struct buf	 out;
	unsigned char	 h[CRYPTO_MD5_LEN];
	char		 id[2 * CRYPTO_MD5_LEN + 1], url[PROBE_URL_MAX];
	char		 key[512];
	uint64_t	 bytes = 0;
	double		 t0, t1;
	size_t		 i;
	FILE		*devnull = fopen("/dev/null", "w");

	list_commits(dir, &c);
	buf_init(&out, 0);
	t0 = probe_now();
	replay(&c, &keep);
	t1 = probe_now();
	for (i = 0; i < keep.n; i++) {
		/* The path, as it stands in the JSON: {"path":"..." */
		snprintf(key, sizeof(key), "%.*s", (int)strcspn(keep.add[i] +
		    9, "\""), keep.add[i] + 9);
		probe_s3_url(key, url);
		crypto_md5(keep.add[i], strlen(keep.add[i]), h);
		str_hex(h, sizeof(h), id);
		buf_addf(&out, "{\"file\":{\"url\":\"%s\",\"id\":\"%s\","
		    "\"deltaSingleAction\":{\"add\":%s}}}\n", url, id,
		    keep.add[i]);
		if (out.len > (1 << 20)) {
			fwrite(out.data, 1, out.len, devnull);
			bytes += out.len;
			buf_reset(&out);
		}
	}
	fwrite(out.data, 1, out.len, devnull);
	bytes += out.len;
	printf("{\"probe\":\"emit\",\"seconds\":%.6f,\"replay_seconds\":%.6f,"
	    "\"emit_seconds\":%.6f,\"live\":%zu,\"bytes_out\":%" PRIu64 "}\n",
	    probe_now() - t0, t1 - t0, probe_now() - t1, keep.n, bytes);
	fclose(devnull);
	buf_release(&out);
	return 0;
}

int
main(int argc, char *argv[])
{
	long	 n;

	if (argc == 3 && strcmp(argv[1], "read") == 0)
		return probe_read(argv[2]);
	if (argc == 3 && strcmp(argv[1], "replay") == 0)
		return probe_replay(argv[2]);
	if (argc == 3 && strcmp(argv[1], "emit") == 0)
		return probe_emit(argv[2]);
	if (argc != 3)
		goto usage;
	if ((n = atol(argv[2])) <= 0)
		n = 100000;
	if (strcmp(argv[1], "sign") == 0 || strcmp(argv[1], "sign-az") == 0)
		return probe_sign(argv[1], n);
	if (strcmp(argv[1], "sign-ds") == 0 ||
	    strcmp(argv[1], "sign-az-ds") == 0)
		return probe_sign_ds(argv[1], n);
	if (strcmp(argv[1], "sign-local-ds") == 0)
		return probe_sign_local_ds(n);
	if (strcmp(argv[1], "jwt") == 0)
		return probe_jwt(n);
usage:
	fprintf(stderr, "usage: probe read|replay|emit DIR | probe sign|"
	    "sign-ds|sign-az|sign-az-ds|sign-local-ds|jwt N\n");
	return 2;
}
