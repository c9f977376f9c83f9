/*
 * log.c: leveled diagnostics on stderr (see log.h).
 *
 * One write(2) per line so lines from several workers sharing the web
 * server's error log do not interleave.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "log.h"

static enum log_level	 cur_level = LOG_LEVEL_INFO;

static const char *const level_names[] = {
	[LOG_LEVEL_ERROR] = "error",
	[LOG_LEVEL_WARN] = "warn",
	[LOG_LEVEL_INFO] = "info",
	[LOG_LEVEL_DEBUG] = "debug",
};

void
log_init(enum log_level level)
{
	cur_level = level;
}

void
log_set_level(enum log_level level)
{
	cur_level = level;
}

int
log_level_parse(const char *s, enum log_level *out)
{
	size_t	 i;

	for (i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++)
		if (strcasecmp(s, level_names[i]) == 0) {
			*out = (enum log_level)i;
			return 0;
		}
	return -1;
}

int
log_enabled(enum log_level level)
{
	return level <= cur_level;
}

static void
vlog(enum log_level level, const char *fmt, va_list ap)
{
	char	 line[2048];
	int	 n, m;
	size_t	 i, len;

	if (!log_enabled(level))
		return;
	n = snprintf(line, sizeof(line), "deltashare[%ld]: %s: ",
	    (long)getpid(), level_names[level]);
	if (n < 0 || (size_t)n >= sizeof(line))
		return;
	m = vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	if (m < 0)
		return;
	len = strlen(line);
	for (i = (size_t)n; i < len; i++)
		if (line[i] == '\n' || line[i] == '\r' || line[i] == '\t')
			line[i] = ' ';
		else if ((unsigned char)line[i] < 0x20 || line[i] == 0x7f)
			line[i] = '?';
	while (len > (size_t)n && line[len - 1] == ' ')
		len--;
	line[len++] = '\n';
	(void)!write(STDERR_FILENO, line, len);
}

#define LOGFN(name, level)					\
void								\
name(const char *fmt, ...)					\
{								\
	va_list	 ap;						\
								\
	va_start(ap, fmt);					\
	vlog(level, fmt, ap);					\
	va_end(ap);						\
}

LOGFN(log_error, LOG_LEVEL_ERROR)
LOGFN(log_warn, LOG_LEVEL_WARN)
LOGFN(log_info, LOG_LEVEL_INFO)
LOGFN(log_debug, LOG_LEVEL_DEBUG)

void
fatalx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_LEVEL_ERROR, fmt, ap);
	va_end(ap);
	exit(1);
}
