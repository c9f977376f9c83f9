/*
 * mktable.h: what the parts of the mktable program share: its options,
 * the demo table's rows and files (mktable_demo.c, reused by the
 * generated logs of mktable_log.c), and small helpers (mktable_util.c,
 * which bench/gentable uses too).
 * The types test is mktable_types.c.  Internal to src/mktable.
 */
#ifndef DS_MKTABLE_H
#define DS_MKTABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parquet_write.h"

struct delta_write_commit;
struct delta_write_kv;


#define NREGIONS	4
#define T0_MICROS	INT64_C(1704067200000000)	/* 2024-01-01 UTC */
#define DAY_MICROS	INT64_C(86400000000)

struct opts {
	uint64_t		 seed;
	int64_t			 rows;
	int64_t			 files;
	bool			 force;
	bool			 types;
	enum parquet_write_codec codec;
	bool			 dictionary;
	int64_t			 rg_rows;
	int64_t			 page_bytes;
	const char		*target;
	/* Generated logs (--commits). */
	int64_t			 commits;	/* 0: the demo table */
	int64_t			 ckpt_every;
	int64_t			 parts;		/* -1: unset */
	int			 v2;		/* 1: json, 2: parquet */
	bool			 last_ckpt;
	bool			 deletes;
	bool			 stats_parsed;
};

/* The rows of one data file are a function of this. */
struct spec {
	int		 region;
	int64_t		 id_base;
	int64_t		 rows;
	uint64_t	 seed;
};

struct live {
	char		*uri;	/* add.path */
	struct spec	 spec;
	int64_t		 rows, size;
};

struct table {
	const struct opts		*o;
	const char			*dir;
	uint64_t			 rng;
	int64_t				 next_id;
	struct parquet_write_schema	*schema;
	struct parquet_write_node	*c_id, *c_city, *c_amount, *c_ts;
	struct parquet_write_node	*c_day;
	struct live			*files;
	size_t				 nfiles;
};

struct row {
	int64_t		 id;
	const char	*city;
	bool		 has_amount;
	double		 amount;
	int64_t		 ts;
	int32_t		 day;
};

/* A data file as written. */
struct written {
	char		*uri;
	int64_t		 rows, size, mtime;
	char		*stats;
};

extern const char *const mktable_regions[NREGIONS];
extern const char *const mktable_cities[NREGIONS][3];

/* mktable.c */
void		mktable_die(const char *, ...)
		    __attribute__((format(printf, 1, 2), noreturn));
uint64_t	mktable_mix(uint64_t);
uint64_t	mktable_next(uint64_t *state);
/* A version 4 UUID from the generator: its 16 bytes and its text. */
void		mktable_uuid(uint64_t *state, unsigned char b[16],
		    char out[37]);
void		mktable_uuid_text(uint64_t *state, char out[37]);
int64_t		mktable_now_ms(void);
void		mktable_mkdir_p(const char *);
/* Is there a Delta table at the target, and no --force?  Says so. */
bool		mktable_left_alone(const struct opts *);

/* mktable_demo.c: the demo table, whose pieces generated logs reuse. */
int		mktable_demo(const struct opts *);
void		mktable_demo_schema(struct table *);
struct spec	mktable_demo_spec(struct table *, int region);
void		mktable_demo_row(const struct spec *, int64_t i,
		    struct row *);
bool		mktable_demo_deleted(const struct row *);
void		mktable_demo_data_file(struct table *, const struct spec *,
		    bool delete, const unsigned char *gone, int n,
		    struct written *);
void		mktable_demo_commit_begin(struct delta_write_commit *,
		    int64_t version, const char *op,
		    const struct delta_write_kv *params, size_t nparams,
		    bool blind);
void		mktable_demo_commit_end(struct table *,
		    struct delta_write_commit *);
/* Version 0: its commit begun, the demo schema's metaData. */
void		mktable_demo_begin_create(struct delta_write_commit *);
void		mktable_demo_metadata(struct table *,
		    struct delta_write_commit *,
		    const struct delta_write_kv *conf, size_t nconf);
void		mktable_demo_wipe(const char *dir);

/* mktable_log.c: generated logs (--commits). */
int		mktable_log(const struct opts *);

/* mktable_types.c: the types test (--types-test). */
int		mktable_types(const struct opts *);

#endif
