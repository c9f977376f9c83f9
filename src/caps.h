/*
 * caps.h: what a client declares in the delta-sharing-capabilities and
 * fileidhash request headers (protocol-notes §1.0, §1.11, §1.17).
 *
 * The capabilities header is read as the reference server reads it: the
 * whole value lowercased, split on ';', each part a key=v1,v2 pair (parts
 * without exactly one '=' are ignored).  Known keys: responseformat,
 * readerfeatures, includeendstreamaction, asyncquery.
 */
#ifndef DS_CAPS_H
#define DS_CAPS_H

#include <stdbool.h>

struct err;

enum caps_format {
	CAPS_PARQUET = 1 << 0,
	CAPS_DELTA = 1 << 1,
};

enum caps_idhash {
	CAPS_ID_DEFAULT,	/* MD5 in parquet format, SHA-256 in delta */
	CAPS_ID_MD5,		/* fileidhash: parquet */
	CAPS_ID_SHA256,		/* fileidhash: delta */
};

struct caps {
	unsigned	 formats;	/* enum caps_format bits; 0: none asked */
	bool		 unknown_format; /* a responseformat value we lack */
	unsigned	 features;	/* enum delta_feature bits declared */
	bool		 end_stream;	/* includeendstreamaction=true */
	bool		 async;		/* asyncquery=true */
	enum caps_idhash idhash;
	const char	*idhash_echo;	/* "parquet", "delta" or NULL */
};

/*
 * Parse both headers (either may be NULL).  A fileidhash other than
 * parquet or delta (case-insensitive, trimmed) is a 400 with the
 * reference's message.
 */
int	caps_parse(const char *capabilities, const char *fileidhash,
	    struct caps *, struct err *);

/*
 * The response format for a table that needs the given reader features
 * (enum delta_feature bits that parquet-format clients cannot honour):
 * parquet when the client asked for nothing; the one format asked; with
 * both, parquet unless the table needs features.  -1 with a 400 when the
 * client asked only for formats this server does not know.
 */
int	caps_format(const struct caps *, unsigned needs, enum caps_format *,
	    struct err *);

#endif
