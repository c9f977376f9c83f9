/*
 * caps.c: the capabilities and fileidhash request headers (see caps.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "caps.h"
#include "delta_features.h"
#include "err.h"
#include "strutil.h"

#define CAPS_MAX	4096		/* longer headers are cut here */

static const struct {
	const char	*name;		/* lowercased */
	unsigned	 bit;
} features[] = {
	{ "columnmapping", DELTA_F_COLUMN_MAPPING },
	{ "deletionvectors", DELTA_F_DELETION_VECTORS },
	{ "timestampntz", DELTA_F_TIMESTAMP_NTZ },
	{ "v2checkpoint", DELTA_F_V2_CHECKPOINT },
	{ "vacuumprotocolcheck", DELTA_F_VACUUM_PROTOCOL_CHECK },
	{ "typewidening", DELTA_F_TYPE_WIDENING },
	{ "typewidening-preview", DELTA_F_TYPE_WIDENING },
	{ "varianttype", DELTA_F_VARIANT_TYPE },
	{ "varianttype-preview", DELTA_F_VARIANT_TYPE },
};

/* Trim spaces and tabs in place. */
static char *
trim(char *s)
{
	char	*e;

	s += strspn(s, " \t");
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	return s;
}

static void
values(struct caps *c, const char *key, char *list)
{
	char	*v, *save = NULL;
	size_t	 i;

	for (v = strtok_r(list, ",", &save); v != NULL;
	    v = strtok_r(NULL, ",", &save)) {
		v = trim(v);
		if (strcmp(key, "responseformat") == 0) {
			if (strcmp(v, "parquet") == 0)
				c->formats |= CAPS_PARQUET;
			else if (strcmp(v, "delta") == 0)
				c->formats |= CAPS_DELTA;
			else if (*v != '\0')
				c->unknown_format = true;
		} else if (strcmp(key, "readerfeatures") == 0) {
			for (i = 0; i < sizeof(features) / sizeof(features[0]);
			    i++)
				if (strcmp(v, features[i].name) == 0)
					c->features |= features[i].bit;
		} else if (strcmp(key, "includeendstreamaction") == 0)
			c->end_stream = strcmp(v, "true") == 0;
		else if (strcmp(key, "asyncquery") == 0)
			c->async = strcmp(v, "true") == 0;
	}
}

static void
parse_caps(const char *hdr, struct caps *c)
{
	char	 buf[CAPS_MAX], *part, *eq, *save = NULL;

	if (hdr == NULL)
		return;
	strncpy(buf, hdr, sizeof(buf) - 1);
	buf[sizeof(buf) - 1] = '\0';
	str_lower_ascii(buf);
	for (part = strtok_r(buf, ";", &save); part != NULL;
	    part = strtok_r(NULL, ";", &save)) {
		if ((eq = strchr(part, '=')) == NULL ||
		    strchr(eq + 1, '=') != NULL)
			continue;
		*eq = '\0';
		values(c, trim(part), eq + 1);
	}
}

static int
parse_idhash(const char *hdr, struct caps *c, struct err *e)
{
	char	 buf[64], *v;

	if (hdr == NULL)
		return 0;
	if (strlen(hdr) < sizeof(buf)) {
		strcpy(buf, hdr);
		v = trim(str_lower_ascii(buf));
		if (strcmp(v, "parquet") == 0) {
			c->idhash = CAPS_ID_MD5;
			c->idhash_echo = "parquet";
			return 0;
		}
		if (strcmp(v, "delta") == 0) {
			c->idhash = CAPS_ID_SHA256;
			c->idhash_echo = "delta";
			return 0;
		}
	}
	return err_set(e, ERR_BAD_PARAM, "Unsupported fileidhash: '%.64s'. "
	    "Supported: parquet, delta", hdr);
}

int
caps_parse(const char *capabilities, const char *fileidhash, struct caps *c,
    struct err *e)
{
	memset(c, 0, sizeof(*c));
	parse_caps(capabilities, c);
	return parse_idhash(fileidhash, c, e);
}

int
caps_format(const struct caps *c, unsigned needs, enum caps_format *out,
    struct err *e)
{
	switch (c->formats) {
	case 0:
		if (c->unknown_format)
			return err_set(e, ERR_BAD_PARAM, "unsupported "
			    "responseformat: this server answers in parquet "
			    "or delta format");
		*out = CAPS_PARQUET;
		break;
	case CAPS_PARQUET:
	case CAPS_DELTA:
		*out = (enum caps_format)c->formats;
		break;
	default:
		*out = needs != 0 ? CAPS_DELTA : CAPS_PARQUET;
		break;
	}
	return 0;
}
