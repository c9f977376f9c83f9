/*
 * name.h: the Delta Sharing rules for share, schema and table names, which
 * deltashare also applies to recipients and admin accounts.
 *
 * A name is 1 to 255 characters of valid UTF-8 with no space, '/',
 * control character or DEL; schema and table names also exclude '.';
 * "." and ".." are never names.  Names compare case-insensitively in
 * ASCII (the catalog keeps a lowercased key), exactly elsewhere.
 */
#ifndef DS_NAME_H
#define DS_NAME_H

#include <stddef.h>

struct err;

enum name_kind {
	NAME_SHARE,
	NAME_SCHEMA,
	NAME_TABLE,
	NAME_RECIPIENT,
	NAME_ACCOUNT,
	NAME_CREDENTIAL,
	NAME__MAX
};

#define NAME_MAX_CHARS	255

/* 0 if valid; else -1 with a 400 naming the kind of name. */
int		 name_check(const char *, size_t, enum name_kind, struct err *);
const char	*name_kind_str(enum name_kind);

#endif
