/*
 * name.c: validation of object names (see name.h).
 */
#include "config.h"

#include <stdbool.h>
#include <string.h>

#include "err.h"
#include "name.h"
#include "strutil.h"

static const char *const kind_str[NAME__MAX] = {
	[NAME_SHARE] = "share",
	[NAME_SCHEMA] = "schema",
	[NAME_TABLE] = "table",
	[NAME_RECIPIENT] = "recipient",
	[NAME_ACCOUNT] = "account",
	[NAME_CREDENTIAL] = "credential",
};

const char *
name_kind_str(enum name_kind k)
{
	return kind_str[k];
}

int
name_check(const char *s, size_t len, enum name_kind kind, struct err *e)
{
	const char	*what = kind_str[kind];
	bool		 nodot = kind == NAME_SCHEMA || kind == NAME_TABLE;
	size_t		 i;
	unsigned char	 c;

	if (len == 0)
		return err_set(e, ERR_BAD_PARAM, "%s name must not be empty",
		    what);
	if (!str_utf8_valid(s, len))
		return err_set(e, ERR_BAD_PARAM,
		    "%s name is not valid UTF-8", what);
	if (str_utf8_len(s, len) > NAME_MAX_CHARS)
		return err_set(e, ERR_BAD_PARAM,
		    "%s name is longer than %d characters", what,
		    NAME_MAX_CHARS);
	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f)
			return err_set(e, ERR_BAD_PARAM,
			    "%s name must not contain control characters",
			    what);
		if (c == ' ' || c == '/')
			return err_set(e, ERR_BAD_PARAM,
			    "%s name must not contain '%c'", what, c);
		if (c == '.' && nodot)
			return err_set(e, ERR_BAD_PARAM,
			    "%s name must not contain '.'", what);
	}
	if ((len == 1 && s[0] == '.') || (len == 2 && memcmp(s, "..", 2) == 0))
		return err_set(e, ERR_BAD_PARAM, "'%.*s' is not a valid %s name",
		    (int)len, s, what);
	return 0;
}
