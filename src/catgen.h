/*
 * catgen.h: the catalog generation, shared by every process of one
 * deployment on this host.
 *
 * A counter in a small POSIX shared-memory segment of its own (named
 * like the metrics segment, tagged "catalog"): a process that committed
 * a change to the catalog (admin API, "deltashare passwd", "deltashare
 * migrate") adds one before it answers, and the workers' catalog caches
 * (db_cache.h) compare it with the value they were filled under, one
 * atomic load per read.  When the segment cannot be opened the counter
 * is the process's own and catgen_shared() says so: a cache must then
 * stay off.
 */
#ifndef DS_CATGEN_H
#define DS_CATGEN_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Open (creating if need be) the segment of the configuration at
 * conf_path (NULL: none given).  Later calls do nothing.  Returns 0, or
 * -1 when the counter is private to this process.
 */
int		 catgen_open(const char *conf_path);
bool		 catgen_shared(void);

uint64_t	 catgen_load(void);
void		 catgen_bump(void);

/*
 * Remove the segment ("deltashare metrics --unlink"): processes started
 * after it share a new one, and no longer hear of the changes made by
 * those started before (PostgreSQL's notifications still reach them).
 */
int		 catgen_unlink(const char *conf_path);

#endif
