/*
 * mktable_log.c: generated logs for the engine's tests (mktable --commits).
 *
 * A log of --commits commits over the demo schema, for the engine's
 * tests: v0 creates the table with --files files, then each commit
 * appends one file, except with --deletes, where every third commit
 * deletes rows of a live file through a deletion vector (a remove and an
 * add of the same path, the new DV holding the old one's rows and more;
 * DVs alternate between a deletion_vector_<uuid>.bin file and inline)
 * and every fifth rewrites a live file without its deleted rows nor
 * those with id % 3 = 0 (a remove and an add of a new file).  Checkpoints
 * are written at every version that is a multiple of --checkpoint-every,
 * from the state this program keeps itself (it never reads the log).
 */

#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "buf.h"
#include "delta_dv.h"
#include "delta_write.h"
#include "delta_write_ckpt.h"
#include "err.h"
#include "jsonw.h"
#include "mktable.h"
#include "xmalloc.h"

/*
 * A log of --commits commits over the demo schema, for the engine's
 * tests: v0 creates the table with --files files, then each commit
 * appends one file, except with --deletes, where every third commit
 * deletes rows of a live file through a deletion vector (a remove and an
 * add of the same path, the new DV holding the old one's rows and more;
 * DVs alternate between a deletion_vector_<uuid>.bin file and inline)
 * and every fifth rewrites a live file without its deleted rows nor
 * those with id % 3 = 0 (a remove and an add of a new file).  Checkpoints
 * are written at every version that is a multiple of --checkpoint-every,
 * from the state this program keeps itself (it never reads the log).
 */

/* A live file of a generated log. */
struct efile {
	char		*uri;
	struct spec	 spec;
	unsigned char	*gone;		/* spec.rows: rows not in the file */
	int64_t		 rows, size, mtime;
	char		*stats;
	unsigned char	*del;		/* rows: deleted by the DV */
	int64_t		 ndel;
	char		*dv;		/* deletionVector JSON, or NULL */
};

struct elog {
	struct table	 t;
	struct efile	*f;
	size_t		 n;
	char		**tombs;	/* remove lines, for checkpoints */
	size_t		 ntombs;
	char		*protocol, *metadata;
	int		 ndvs;
	int		 nckpts;
};

/* The add or remove line of f. */
static char *
file_line(const struct efile *f, bool add, bool data_change, int64_t del_ts)
{
	struct buf	 b;
	struct jsonw	 j;

	buf_init(&b, 0);
	jsonw_init(&j, &b);
	jsonw_obj_open(&j);
	jsonw_key(&j, add ? "add" : "remove");
	jsonw_obj_open(&j);
	jsonw_key(&j, "path");
	jsonw_str(&j, f->uri);
	if (!add) {
		jsonw_key(&j, "deletionTimestamp");
		jsonw_int(&j, del_ts);
	}
	jsonw_key(&j, "partitionValues");
	jsonw_obj_open(&j);
	jsonw_key(&j, "region");
	jsonw_str(&j, mktable_regions[f->spec.region]);
	jsonw_obj_close(&j);
	jsonw_key(&j, "size");
	jsonw_int(&j, f->size);
	if (add) {
		jsonw_key(&j, "modificationTime");
		jsonw_int(&j, f->mtime);
	}
	jsonw_key(&j, "dataChange");
	jsonw_bool(&j, data_change);
	if (!add) {
		jsonw_key(&j, "extendedFileMetadata");
		jsonw_bool(&j, true);
	}
	if (add && f->stats != NULL) {
		jsonw_key(&j, "stats");
		jsonw_str(&j, f->stats);
	}
	if (f->dv != NULL) {
		jsonw_key(&j, "deletionVector");
		jsonw_raw(&j, f->dv);
	}
	jsonw_obj_close(&j);
	jsonw_obj_close(&j);
	return buf_detach(&b);
}

static void
commit_line(struct delta_write_commit *c, const char *line)
{
	buf_adds(&c->b, line);
	buf_addc(&c->b, '\n');
}

/* A new live file of spec s (less the rows gone marks), into commit c. */
static struct efile *
efile_new(struct elog *l, struct delta_write_commit *c, const struct spec *s,
    const unsigned char *gone, int n)
{
	struct written	 wr;
	struct efile	*f;
	char		*line;

	mktable_demo_data_file(&l->t, s, false, gone, n, &wr);
	l->f = xreallocarray(l->f, l->n + 1, sizeof(*l->f));
	f = &l->f[l->n++];
	memset(f, 0, sizeof(*f));
	f->uri = wr.uri;
	f->spec = *s;
	f->gone = xcalloc((size_t)s->rows, 1);
	if (gone != NULL)
		memcpy(f->gone, gone, (size_t)s->rows);
	f->rows = wr.rows;
	f->size = wr.size;
	f->mtime = wr.mtime;
	f->stats = wr.stats;
	f->del = xcalloc((size_t)wr.rows + 1, 1);
	line = file_line(f, true, true, 0);
	commit_line(c, line);
	free(line);
	return f;
}

static void
efile_free(struct efile *f)
{
	free(f->uri);
	free(f->gone);
	free(f->stats);
	free(f->del);
	free(f->dv);
}

/* A remove of f in commit c, kept as a tombstone; f leaves the live set. */
static void
efile_remove(struct elog *l, struct delta_write_commit *c, size_t i,
    bool keep)
{
	char	*line;
	int64_t	 ts = mktable_now_ms();

	line = file_line(&l->f[i], false, true, ts);
	commit_line(c, line);
	free(line);
	l->tombs = xreallocarray(l->tombs, l->ntombs + 1, sizeof(*l->tombs));
	l->tombs[l->ntombs++] = file_line(&l->f[i], false, false, ts);
	if (keep)
		return;
	efile_free(&l->f[i]);
	memmove(&l->f[i], &l->f[i + 1], (l->n - i - 1) * sizeof(*l->f));
	l->n--;
}

static void
write_all(const char *path, const struct buf *b)
{
	FILE	*f;

	if ((f = fopen(path, "w")) == NULL ||
	    fwrite(b->data, 1, b->len, f) != b->len || fclose(f) != 0)
		mktable_die("cannot write '%s': %s", path, strerror(errno));
}

static void
le32(struct buf *b, uint32_t v)
{
	unsigned char	 x[4] = { v & 0xff, v >> 8 & 0xff, v >> 16 & 0xff,
	    v >> 24 };

	buf_add(b, x, 4);
}

static void
be32(struct buf *b, uint32_t v)
{
	unsigned char	 x[4] = { v >> 24, v >> 16 & 0xff, v >> 8 & 0xff,
	    v & 0xff };

	buf_add(b, x, 4);
}

/*
 * A deletion vector of the rows del marks (fewer than 65536): the
 * protocol's portable RoaringBitmapArray (magic, one 64-bit bucket, one
 * array container), stored inline or in a new file.  Returns its
 * descriptor as JSON.
 */
static char *
dv_write(struct elog *l, const unsigned char *del, int64_t rows,
    int64_t *card)
{
	struct buf	 bm, file;
	unsigned char	 u[16];
	char		 uuid[37], z[24], *inl, *path, *json;
	int64_t		 i, n = 0;

	for (i = 0; i < rows; i++)
		n += del[i] != 0;
	buf_init(&bm, 0);
	le32(&bm, DELTA_DV_MAGIC);
	le32(&bm, 1);			/* buckets, 64 bits */
	le32(&bm, 0);
	le32(&bm, 0);			/* bucket key */
	le32(&bm, 12346);		/* no run containers */
	le32(&bm, 1);			/* containers */
	le32(&bm, (uint32_t)(n - 1) << 16);	/* key 0, cardinality - 1 */
	le32(&bm, 16);			/* offset of the container */
	for (i = 0; i < rows; i++)
		if (del[i]) {
			unsigned char	 x[2] = { i & 0xff, i >> 8 & 0xff };

			buf_add(&bm, x, 2);
		}
	*card = n;
	if (l->ndvs++ % 2 == 1) {
		inl = xmalloc((bm.len + 3) / 4 * 5 + 1);
		delta_dv_z85_encode((const unsigned char *)bm.data, bm.len,
		    inl);
		json = xasprintf("{\"storageType\":\"i\",\"pathOrInlineDv\":"
		    "\"%s\",\"sizeInBytes\":%zu,\"cardinality\":%" PRId64 "}",
		    inl, bm.len, n);
		free(inl);
		buf_release(&bm);
		return json;
	}
	mktable_uuid(&l->t.rng, u, uuid);
	delta_dv_z85_encode(u, 16, z);
	buf_init(&file, 0);
	buf_addc(&file, 1);		/* format version */
	be32(&file, (uint32_t)bm.len);
	buf_add(&file, bm.data, bm.len);
	be32(&file, (uint32_t)crc32(crc32(0, NULL, 0),
	    (const unsigned char *)bm.data, (uInt)bm.len));
	path = xasprintf("%s/deletion_vector_%s.bin", l->t.dir, uuid);
	write_all(path, &file);
	json = xasprintf("{\"storageType\":\"u\",\"pathOrInlineDv\":\"%s\","
	    "\"offset\":1,\"sizeInBytes\":%zu,\"cardinality\":%" PRId64 "}",
	    z, bm.len, n);
	free(path);
	buf_release(&file);
	buf_release(&bm);
	return json;
}

/* Version v deletes more rows of a live file with a deletion vector. */
static bool
elog_dv_delete(struct elog *l, struct delta_write_commit *c, int64_t v)
{
	struct efile	*f;
	char		*line;
	int64_t		 i, card, before;
	size_t		 k;

	for (k = 0; k < l->n; k++) {
		f = &l->f[((size_t)v / 3 + k) % l->n];
		if (f->ndel < f->rows)
			break;
	}
	if (k == l->n)
		return false;
	efile_remove(l, c, (size_t)(f - l->f), true);
	before = f->ndel;
	for (i = 0, card = 0; i < f->rows; i++) {
		if ((i + v) % 4 == 0)
			f->del[i] = 1;
		card += f->del[i];
	}
	/* At least one row more than before. */
	for (i = 0; i < f->rows && card == before; i++)
		if (!f->del[(i + v) % f->rows]) {
			f->del[(i + v) % f->rows] = 1;
			card++;
		}
	free(f->dv);
	f->dv = dv_write(l, f->del, f->rows, &card);
	f->ndel = card;
	line = file_line(f, true, true, 0);
	commit_line(c, line);
	free(line);
	return true;
}

/*
 * Version v rewrites a live file without its deleted rows, nor those
 * with id % 3 = 0.
 */
static bool
elog_rewrite(struct elog *l, struct delta_write_commit *c, int64_t v)
{
	struct efile	*f;
	struct spec	 s;
	struct row	 r;
	unsigned char	*gone;
	int64_t		 i, j;

	if (l->n == 0)
		return false;
	f = &l->f[((size_t)v / 5) % l->n];
	s = f->spec;
	gone = xcalloc((size_t)s.rows, 1);
	for (i = 0, j = 0; i < s.rows; i++) {
		mktable_demo_row(&s, i, &r);
		if (f->gone[i])
			gone[i] = 1;
		else if (f->del[j++] || mktable_demo_deleted(&r))
			gone[i] = 1;
	}
	efile_remove(l, c, (size_t)(f - l->f), false);
	efile_new(l, c, &s, gone, 0);
	free(gone);
	return true;
}

/* The protocol line the options call for. */
static char *
elog_protocol(const struct opts *o)
{
	const char	*dv = o->deletes ? "\"deletionVectors\"" : "";
	const char	*v2 = o->v2 ? "\"v2Checkpoint\"" : "";
	const char	*sep = o->deletes && o->v2 ? "," : "";

	if (!o->deletes && !o->v2)
		return xstrdup("{\"protocol\":{\"minReaderVersion\":1,"
		    "\"minWriterVersion\":2}}");
	return xasprintf("{\"protocol\":{\"minReaderVersion\":3,"
	    "\"minWriterVersion\":7,\"readerFeatures\":[%s%s%s],"
	    "\"writerFeatures\":[%s%s%s]}}", dv, sep, v2, dv, sep, v2);
}

static void
elog_version0(struct elog *l, const struct opts *o)
{
	struct delta_write_commit	 c;
	struct delta_write_kv		 conf[5];
	struct spec			 s;
	char				 interval[24];
	size_t				 nconf = 0, before;
	int64_t				 i;

	if (o->deletes)
		conf[nconf++] = (struct delta_write_kv){
		    "delta.enableDeletionVectors", "true" };
	if (o->v2)
		conf[nconf++] = (struct delta_write_kv){
		    "delta.checkpointPolicy", "v2" };
	if (o->ckpt_every > 0) {
		snprintf(interval, sizeof(interval), "%" PRId64,
		    o->ckpt_every);
		conf[nconf++] = (struct delta_write_kv){
		    "delta.checkpointInterval", interval };
	}
	if (o->stats_parsed) {
		conf[nconf++] = (struct delta_write_kv){
		    "delta.checkpoint.writeStatsAsJson", "false" };
		conf[nconf++] = (struct delta_write_kv){
		    "delta.checkpoint.writeStatsAsStruct", "true" };
	}
	mktable_demo_begin_create(&c);
	l->protocol = elog_protocol(o);
	commit_line(&c, l->protocol);
	before = c.b.len;
	mktable_demo_metadata(&l->t, &c, conf, nconf);
	l->metadata = xstrndup(c.b.data + before, c.b.len - before - 1);
	for (i = 0; i < o->files; i++) {
		s = mktable_demo_spec(&l->t, (int)(i % NREGIONS));
		efile_new(l, &c, &s, NULL, (int)i);
	}
	mktable_demo_commit_end(&l->t, &c);
}

/* The checkpoint of version v, from the state kept here. */
static void
elog_checkpoint(struct elog *l, const struct opts *o, int64_t v)
{
	struct delta_write_ckpt_opts	 co;
	struct err			 e;
	char				**lines, uuid[37];
	size_t				 n = 0, i;

	lines = xcalloc(l->n + l->ntombs + 2, sizeof(*lines));
	lines[n++] = l->protocol;
	lines[n++] = l->metadata;
	for (i = 0; i < l->n; i++)
		lines[n++] = file_line(&l->f[i], true, false, 0);
	for (i = 0; i < l->ntombs; i++)
		lines[n++] = l->tombs[i];
	memset(&co, 0, sizeof(co));
	co.kind = o->v2 == 1 ? DELTA_WRITE_CKPT_V2_JSON : o->v2 == 2 ?
	    DELTA_WRITE_CKPT_V2_PARQUET : DELTA_WRITE_CKPT_CLASSIC;
	co.parts = o->parts >= 0 ? (size_t)o->parts : 1;
	co.stats_parsed = o->stats_parsed;
	co.codec = PQ_SNAPPY;
	co.last_checkpoint = o->last_ckpt;
	if (o->v2) {
		mktable_uuid_text(&l->t.rng, uuid);
		co.uuid = uuid;
	}
	if (delta_write_ckpt(l->t.dir, v, (const char *const *)lines, n, &co,
	    &e) == -1)
		mktable_die("checkpoint %" PRId64 ": %s", v, e.msg);
	for (i = 2; i < 2 + l->n; i++)
		free(lines[i]);
	free(lines);
	l->nckpts++;
}

/* Remove what an earlier generated log left beyond the demo's files. */
static void
elog_wipe(const char *dir)
{
	DIR		*d;
	struct dirent	*de;
	char		*p, *q;

	p = xasprintf("%s/_delta_log/_sidecars", dir);
	if ((d = opendir(p)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			q = xasprintf("%s/%s", p, de->d_name);
			unlink(q);
			free(q);
		}
		closedir(d);
		rmdir(p);
	}
	free(p);
	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL)
		if (strncmp(de->d_name, "deletion_vector_", 16) == 0) {
			q = xasprintf("%s/%s", dir, de->d_name);
			unlink(q);
			free(q);
		}
	closedir(d);
}

int
mktable_log(const struct opts *o)
{
	static const struct delta_write_kv app[] = {
		{ "mode", "Append" },
		{ "partitionBy", "[]" }
	};
	static const struct delta_write_kv del[] = {
		{ "predicate", "[\"((id % 3) = 0)\"]" }
	};
	struct delta_write_commit	 c;
	struct elog			 l;
	struct spec			 s;
	int64_t				 v, rows = 0;
	size_t				 i;
	bool				 done;

	if (mktable_left_alone(o))
		return 0;
	if (o->force) {
		elog_wipe(o->target);
		mktable_demo_wipe(o->target);
	}
	mktable_mkdir_p(o->target);
	memset(&l, 0, sizeof(l));
	l.t.o = o;
	l.t.dir = o->target;
	l.t.rng = mktable_mix(o->seed);
	l.t.next_id = 1;
	mktable_demo_schema(&l.t);
	elog_version0(&l, o);
	for (v = 1; v < o->commits; v++) {
		done = false;
		if (o->deletes && (v % 3 == 0 || v % 5 == 0)) {
			mktable_demo_commit_begin(&c, v, "DELETE", del, 1, false);
			done = v % 3 == 0 ? elog_dv_delete(&l, &c, v) :
			    elog_rewrite(&l, &c, v);
			if (!done)
				delta_write_commit_release(&c);
		}
		if (!done) {
			mktable_demo_commit_begin(&c, v, "WRITE", app, 2, true);
			s = mktable_demo_spec(&l.t, (int)(v % NREGIONS));
			efile_new(&l, &c, &s, NULL, 0);
		}
		mktable_demo_commit_end(&l.t, &c);
		if (o->ckpt_every > 0 && v % o->ckpt_every == 0)
			elog_checkpoint(&l, o, v);
	}
	for (i = 0; i < l.n; i++) {
		rows += l.f[i].rows - l.f[i].ndel;
		efile_free(&l.f[i]);
	}
	printf("%s: version %" PRId64 ", %zu live files, %" PRId64
	    " live rows, %d checkpoints\n", o->target, o->commits - 1, l.n,
	    rows, l.nckpts);
	for (i = 0; i < l.ntombs; i++)
		free(l.tombs[i]);
	free(l.tombs);
	free(l.f);
	free(l.protocol);
	free(l.metadata);
	parquet_write_schema_free(l.t.schema);
	return 0;
}

