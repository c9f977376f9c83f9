/*
 * catgen.c: the catalog generation counter shared on this host (see
 * catgen.h).
 *
 * The segment holds one 64-bit counter, created zero-filled by whoever
 * comes first (ftruncate of a new object zero-fills, racing creators
 * agree), so nothing needs initialising.  Loads and additions are
 * atomic; the bump is sequentially consistent so it is ordered after
 * the COMMIT the caller saw succeed.
 */
#include "config.h"

#include <sys/mman.h>

#include <errno.h>
#include <string.h>

#include "catgen.h"
#include "log.h"
#include "metrics.h"

static uint64_t		 private_gen;
static uint64_t		*gen = &private_gen;
static bool		 opened, shared;

int
catgen_open(const char *conf_path)
{
	const char	*name;
	void		*p;

	if (opened)
		return shared ? 0 : -1;
	opened = true;
	name = metrics_segment_name(conf_path, "catalog");
	if ((p = metrics_map_segment(name, sizeof(*gen))) == NULL) {
		log_warn("catalog generation: shared memory %s: %s; the "
		    "catalog cache stays off", name, strerror(errno));
		return -1;
	}
	gen = p;
	shared = true;
	return 0;
}

bool
catgen_shared(void)
{
	return shared;
}

uint64_t
catgen_load(void)
{
	return __atomic_load_n(gen, __ATOMIC_ACQUIRE);
}

void
catgen_bump(void)
{
	__atomic_fetch_add(gen, 1, __ATOMIC_SEQ_CST);
}

int
catgen_unlink(const char *conf_path)
{
	return shm_unlink(metrics_segment_name(conf_path, "catalog")) == -1 &&
	    errno != ENOENT ? -1 : 0;
}
