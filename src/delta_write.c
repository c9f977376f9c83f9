/*
 * delta_write.c: Delta Lake commit files as NDJSON (see delta_write.h).
 *
 * Each action is one JSON object on one line, written with jsonw, so all
 * strings are escaped; nested JSON carried as strings (schemaString,
 * stats) is built in a side buffer first and then quoted.
 *
 * Publishing a commit uses link(2) rather than rename(2): rename would
 * silently replace a version another writer created in the meantime,
 * link fails with EEXIST, which is the mutual exclusion Delta expects
 * of a log on a local file system.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "crypto.h"
#include "delta_write.h"
#include "err.h"
#include "jsonw.h"
#include "strutil.h"
#include "xmalloc.h"

#define DW_COMMIT_MAX	((size_t)1 << 30)	/* bytes per commit file */

void
delta_write_commit_init(struct delta_write_commit *c, int64_t version)
{
	c->version = version;
	buf_init(&c->b, DW_COMMIT_MAX);
}

void
delta_write_commit_release(struct delta_write_commit *c)
{
	buf_release(&c->b);
}

/* {"k":"v",...} from pairs; a NULL value is null. */
static void
kv_object(struct jsonw *j, const struct delta_write_kv *kv, size_t n)
{
	size_t	 i;

	jsonw_obj_open(j);
	for (i = 0; i < n; i++) {
		jsonw_key(j, kv[i].key);
		if (kv[i].value != NULL)
			jsonw_str(j, kv[i].value);
		else
			jsonw_null(j);
	}
	jsonw_obj_close(j);
}

/* Open a line {"<action>":{ ... */
static void
action_open(struct delta_write_commit *c, struct jsonw *j, const char *name)
{
	jsonw_init(j, &c->b);
	jsonw_obj_open(j);
	jsonw_key(j, name);
	jsonw_obj_open(j);
}

static void
action_close(struct delta_write_commit *c, struct jsonw *j)
{
	jsonw_obj_close(j);
	jsonw_obj_close(j);
	buf_addc(&c->b, '\n');
}

void
delta_write_protocol(struct delta_write_commit *c, int min_reader,
    int min_writer)
{
	struct jsonw	 j;

	action_open(c, &j, "protocol");
	jsonw_key(&j, "minReaderVersion");
	jsonw_int(&j, min_reader);
	jsonw_key(&j, "minWriterVersion");
	jsonw_int(&j, min_writer);
	action_close(c, &j);
}

/* The Spark StructType of the table, as JSON text. */
static void
schema_json(struct buf *b, const struct delta_write_field *f, size_t n)
{
	struct jsonw	 j;
	size_t		 i;

	jsonw_init(&j, b);
	jsonw_obj_open(&j);
	jsonw_key(&j, "type");
	jsonw_str(&j, "struct");
	jsonw_key(&j, "fields");
	jsonw_arr_open(&j);
	for (i = 0; i < n; i++) {
		jsonw_obj_open(&j);
		jsonw_key(&j, "name");
		jsonw_str(&j, f[i].name);
		jsonw_key(&j, "type");
		if (f[i].type[0] == '{')
			jsonw_raw(&j, f[i].type);
		else
			jsonw_str(&j, f[i].type);
		jsonw_key(&j, "nullable");
		jsonw_bool(&j, f[i].nullable);
		jsonw_key(&j, "metadata");
		jsonw_obj_open(&j);
		jsonw_obj_close(&j);
		jsonw_obj_close(&j);
	}
	jsonw_arr_close(&j);
	jsonw_obj_close(&j);
}

void
delta_write_metadata(struct delta_write_commit *c,
    const struct delta_write_metadata *m)
{
	struct jsonw	 j;
	struct buf	 s;
	char		 uuid[CRYPTO_UUID_STRLEN];
	size_t		 i;

	if (m->id == NULL)
		crypto_uuid4(uuid);
	buf_init(&s, DW_COMMIT_MAX);
	schema_json(&s, m->fields, m->nfields);
	action_open(c, &j, "metaData");
	jsonw_key(&j, "id");
	jsonw_str(&j, m->id != NULL ? m->id : uuid);
	if (m->name != NULL) {
		jsonw_key(&j, "name");
		jsonw_str(&j, m->name);
	}
	if (m->description != NULL) {
		jsonw_key(&j, "description");
		jsonw_str(&j, m->description);
	}
	jsonw_key(&j, "format");
	jsonw_obj_open(&j);
	jsonw_key(&j, "provider");
	jsonw_str(&j, "parquet");
	jsonw_key(&j, "options");
	jsonw_obj_open(&j);
	jsonw_obj_close(&j);
	jsonw_obj_close(&j);
	jsonw_key(&j, "schemaString");
	jsonw_strn(&j, buf_str(&s), s.len);
	jsonw_key(&j, "partitionColumns");
	jsonw_arr_open(&j);
	for (i = 0; i < m->npartition_columns; i++)
		jsonw_str(&j, m->partition_columns[i]);
	jsonw_arr_close(&j);
	jsonw_key(&j, "configuration");
	kv_object(&j, m->configuration, m->nconfiguration);
	jsonw_key(&j, "createdTime");
	jsonw_int(&j, m->created_time);
	action_close(c, &j);
	buf_release(&s);
}

/* path, partitionValues and size, which add and cdc actions share. */
static void
file_head(struct jsonw *j, const struct delta_write_add *a)
{
	jsonw_key(j, "path");
	jsonw_str(j, a->path);
	jsonw_key(j, "partitionValues");
	kv_object(j, a->partition_values, a->npartition_values);
	jsonw_key(j, "size");
	jsonw_int(j, a->size);
}

void
delta_write_add(struct delta_write_commit *c, const struct delta_write_add *a)
{
	struct jsonw	 j;

	action_open(c, &j, "add");
	file_head(&j, a);
	jsonw_key(&j, "modificationTime");
	jsonw_int(&j, a->modification_time);
	jsonw_key(&j, "dataChange");
	jsonw_bool(&j, a->data_change);
	if (a->stats != NULL) {
		jsonw_key(&j, "stats");
		jsonw_str(&j, a->stats);
	}
	if (a->ntags > 0) {
		jsonw_key(&j, "tags");
		kv_object(&j, a->tags, a->ntags);
	}
	action_close(c, &j);
}

void
delta_write_remove(struct delta_write_commit *c,
    const struct delta_write_remove *r)
{
	struct jsonw	 j;

	action_open(c, &j, "remove");
	jsonw_key(&j, "path");
	jsonw_str(&j, r->path);
	jsonw_key(&j, "deletionTimestamp");
	jsonw_int(&j, r->deletion_timestamp);
	jsonw_key(&j, "dataChange");
	jsonw_bool(&j, r->data_change);
	jsonw_key(&j, "extendedFileMetadata");
	jsonw_bool(&j, r->extended_file_metadata);
	if (r->extended_file_metadata) {
		jsonw_key(&j, "partitionValues");
		kv_object(&j, r->partition_values, r->npartition_values);
		jsonw_key(&j, "size");
		jsonw_int(&j, r->size);
	}
	action_close(c, &j);
}

void
delta_write_cdc(struct delta_write_commit *c, const struct delta_write_add *a)
{
	struct jsonw	 j;

	action_open(c, &j, "cdc");
	file_head(&j, a);
	jsonw_key(&j, "dataChange");
	jsonw_bool(&j, false);
	action_close(c, &j);
}

void
delta_write_commit_info(struct delta_write_commit *c,
    const struct delta_write_commit_info *ci)
{
	struct jsonw	 j;

	action_open(c, &j, "commitInfo");
	jsonw_key(&j, "timestamp");
	jsonw_int(&j, ci->timestamp);
	jsonw_key(&j, "operation");
	jsonw_str(&j, ci->operation);
	jsonw_key(&j, "operationParameters");
	kv_object(&j, ci->parameters, ci->nparameters);
	if (ci->read_version >= 0) {
		jsonw_key(&j, "readVersion");
		jsonw_int(&j, ci->read_version);
	}
	jsonw_key(&j, "isolationLevel");
	jsonw_str(&j, "Serializable");
	jsonw_key(&j, "isBlindAppend");
	jsonw_bool(&j, ci->blind_append);
	jsonw_key(&j, "engineInfo");
	jsonw_str(&j, ci->engine_info != NULL ? ci->engine_info :
	    "deltashare-mktable/" PACKAGE_VERSION);
	action_close(c, &j);
}

/* Write all of b to a new file at path and sync it. */
static int
write_file(const char *path, const struct buf *b, struct err *err)
{
	const char	*p = b->data;
	size_t		 n = b->len;
	ssize_t		 k;
	int		 fd, rc = -1;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd == -1)
		return err_set(err, ERR_INTERNAL, "cannot create '%s': %s",
		    path, strerror(errno));
	while (n > 0) {
		k = write(fd, p, n);
		if (k == -1 && errno == EINTR)
			continue;
		if (k == -1) {
			err_set(err, ERR_INTERNAL, "cannot write '%s': %s",
			    path, strerror(errno));
			goto out;
		}
		p += k;
		n -= (size_t)k;
	}
	if (fsync(fd) == -1) {
		err_set(err, ERR_INTERNAL, "cannot sync '%s': %s", path,
		    strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (close(fd) == -1 && rc == 0)
		rc = err_set(err, ERR_INTERNAL, "cannot write '%s': %s",
		    path, strerror(errno));
	return rc;
}

int
delta_write_commit_finish(struct delta_write_commit *c, const char *dir,
    struct err *err)
{
	char	*log = NULL, *final = NULL, *tmp = NULL;
	int	 rc = -1;

	if (c->version < 0)
		return err_set(err, ERR_INTERNAL, "negative table version");
	if (c->b.overflow)
		return err_set(err, ERR_TOO_LARGE, "commit too large");
	log = xasprintf("%s/_delta_log", dir);
	final = xasprintf("%s/%020" PRId64 ".json", log, c->version);
	tmp = xasprintf("%s/.%020" PRId64 ".json.%ld.tmp", log, c->version,
	    (long)getpid());
	if (mkdir(log, 0755) == -1 && errno != EEXIST) {
		err_set(err, ERR_INTERNAL, "cannot create '%s': %s", log,
		    strerror(errno));
		goto out;
	}
	if (write_file(tmp, &c->b, err) == -1)
		goto out;
	if (link(tmp, final) == -1) {
		if (errno == EEXIST)
			err_set(err, ERR_EXISTS, "version %" PRId64
			    " of '%s' already exists", c->version, dir);
		else
			err_set(err, ERR_INTERNAL, "cannot create '%s': %s",
			    final, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (tmp != NULL)
		unlink(tmp);
	free(tmp);
	free(final);
	free(log);
	return rc;
}

/* --- paths --------------------------------------------------------------- */

static const char	 hexdig[] = "0123456789ABCDEF";

static void
pct(struct buf *b, unsigned char c)
{
	char	 e[3];

	e[0] = '%';
	e[1] = hexdig[c >> 4];
	e[2] = hexdig[c & 15];
	buf_add(b, e, sizeof(e));
}

/* Spark's escapePathName (non-Windows): what it leaves alone. */
static void
spark_escape(struct buf *b, const char *s)
{
	unsigned char	 c;

	for (; *s != '\0'; s++) {
		c = (unsigned char)*s;
		if (c < 0x20 || c == 0x7f || strchr("\"#%'*/:=?\\{[]^", c))
			pct(b, c);
		else
			buf_addc(b, (char)c);
	}
}

void
delta_write_partition_dir(struct buf *b, const char *col, const char *value)
{
	spark_escape(b, col);
	buf_addc(b, '=');
	if (value == NULL)
		buf_adds(b, "__HIVE_DEFAULT_PARTITION__");
	else
		spark_escape(b, value);
}

void
delta_write_uri_path(struct buf *b, const char *path)
{
	unsigned char	 c;

	for (; *path != '\0'; path++) {
		c = (unsigned char)*path;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("-_.!~*'()/:@&=+$,", c))
			buf_addc(b, (char)c);
		else
			pct(b, c);
	}
}

/* --- stats --------------------------------------------------------------- */

/* The shortest "%g" form of d that reads back as d. */
static void
double_text(char *out, size_t n, double d)
{
	int	 prec;

	for (prec = 15; prec < 17; prec++) {
		snprintf(out, n, "%.*g", prec, d);
		if (strtod(out, NULL) == d)
			return;
	}
	snprintf(out, n, "%.17g", d);
}

static void
stat_value(struct jsonw *j, const struct delta_write_stat *s, bool max)
{
	char		 tmp[64];
	int64_t		 i = max ? s->max.i : s->min.i, ms, y;
	int		 mo, d, sec;

	switch (s->type) {
	case DELTA_STAT_LONG:
		jsonw_int(j, i);
		break;
	case DELTA_STAT_DOUBLE:
		double_text(tmp, sizeof(tmp), max ? s->max.d : s->min.d);
		jsonw_raw(j, tmp);
		break;
	case DELTA_STAT_STRING:
		jsonw_str(j, max ? s->max.s : s->min.s);
		break;
	case DELTA_STAT_DATE:
		str_civil(i, &y, &mo, &d);
		snprintf(tmp, sizeof(tmp), "%04" PRId64 "-%02d-%02d", y, mo, d);
		jsonw_str(j, tmp);
		break;
	case DELTA_STAT_TIMESTAMP:
		ms = max ? -str_floor_div(-i, 1000) : str_floor_div(i, 1000);
		str_civil(str_floor_div(ms, 86400000), &y, &mo, &d);
		ms -= str_floor_div(ms, 86400000) * 86400000;
		sec = (int)(ms / 1000);
		snprintf(tmp, sizeof(tmp),
		    "%04" PRId64 "-%02d-%02dT%02d:%02d:%02d.%03dZ", y, mo, d,
		    sec / 3600, sec / 60 % 60, sec % 60, (int)(ms % 1000));
		jsonw_str(j, tmp);
		break;
	case DELTA_STAT_NONE:
		break;
	}
}

static bool
stat_has(const struct delta_write_stat *s)
{
	if (!s->has_minmax || s->type == DELTA_STAT_NONE)
		return false;
	if (s->type == DELTA_STAT_DOUBLE)
		return isfinite(s->min.d) && isfinite(s->max.d);
	return true;
}

void
delta_write_stats(struct buf *b, int64_t num_records,
    const struct delta_write_stat *s, size_t n)
{
	struct jsonw	 j;
	size_t		 i;
	int		 k;
	static const char *const names[] = { "minValues", "maxValues" };

	jsonw_init(&j, b);
	jsonw_obj_open(&j);
	jsonw_key(&j, "numRecords");
	jsonw_int(&j, num_records);
	for (k = 0; k < 2; k++) {
		jsonw_key(&j, names[k]);
		jsonw_obj_open(&j);
		for (i = 0; i < n; i++) {
			if (!stat_has(&s[i]))
				continue;
			jsonw_key(&j, s[i].name);
			stat_value(&j, &s[i], k == 1);
		}
		jsonw_obj_close(&j);
	}
	jsonw_key(&j, "nullCount");
	jsonw_obj_open(&j);
	for (i = 0; i < n; i++) {
		jsonw_key(&j, s[i].name);
		jsonw_int(&j, s[i].null_count);
	}
	jsonw_obj_close(&j);
	jsonw_obj_close(&j);
}
