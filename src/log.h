/*
 * log.h: diagnostics on stderr, which the web server puts in its error log.
 *
 * Each line is "deltashare[pid]: level: message".  Control characters in
 * messages are replaced, so request data cannot forge log lines.  Callers
 * never pass tokens, passwords or signed URLs to these functions.
 * fatal()/fatalx() are for start-up only.
 */
#ifndef DS_LOG_H
#define DS_LOG_H

#include <stdarg.h>

enum log_level {
	LOG_LEVEL_ERROR,
	LOG_LEVEL_WARN,
	LOG_LEVEL_INFO,
	LOG_LEVEL_DEBUG,
};

void	log_init(enum log_level);
void	log_set_level(enum log_level);
int	log_level_parse(const char *, enum log_level *);
int	log_enabled(enum log_level);
void	log_error(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void	fatalx(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

#endif
