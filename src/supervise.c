/*
 * supervise.c: "deltashare -w N", N workers on one inherited socket,
 * restarted when they die (see supervise.h).
 *
 * The parent serves nothing: it forks the workers, which all accept on
 * the listening socket they inherit, and waits for signals with every
 * signal it handles blocked (sigtimedwait), so there is no handler and
 * no race.  A worker that exits is started again at once when it lived
 * a while or left cleanly (server.max_requests), and after a delay that
 * doubles (RESTART_MIN_MS .. RESTART_MAX_MS) when workers keep dying
 * young, so a crash loop costs little.  SIGTERM or SIGINT: the workers
 * get SIGTERM (each finishes its request), the parent waits for them
 * (SIGKILL after STOP_GRACE_S) and exits 0.  SIGHUP: the workers are
 * replaced one at a time.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "metrics.h"
#include "supervise.h"

#define MAX_WORKERS	256
#define YOUNG_MS	1000	/* dying younger than this is a crash */
#define RESTART_MIN_MS	100
#define RESTART_MAX_MS	10000
#define STOP_GRACE_S	60

struct sv {
	supervise_fn	 fn;
	void		*arg;
	sigset_t	 sigs, old;
	pid_t		 pid[MAX_WORKERS];
	int64_t		 born[MAX_WORKERS];
	int		 n;
	int64_t		 delay_ms;	/* before the next restart; 0: none */
	int64_t		 next_ms;	/* no start before this */
};

static void
start(struct sv *s, int i)
{
	pid_t	 pid;

	if ((pid = fork()) == -1) {
		log_error("supervisor: fork: %s", strerror(errno));
		return;
	}
	if (pid == 0) {
		signal(SIGCHLD, SIG_DFL);
		sigprocmask(SIG_SETMASK, &s->old, NULL);
		_exit(s->fn(s->arg) == 0 ? 0 : 1);
	}
	s->pid[i] = pid;
	s->born[i] = metrics_now_ms();
}

/* Start the missing workers, unless a crash delay is running. */
static void
fill(struct sv *s)
{
	int	 i;

	if (metrics_now_ms() < s->next_ms)
		return;
	for (i = 0; i < s->n; i++)
		if (s->pid[i] == 0)
			start(s, i);
}

static void
died(struct sv *s, int i, int status)
{
	int64_t	 age = metrics_now_ms() - s->born[i];
	bool	 clean = WIFEXITED(status) && WEXITSTATUS(status) == 0;

	s->pid[i] = 0;
	if (clean || age >= YOUNG_MS) {
		s->delay_ms = 0;
		if (!clean)
			log_warn("supervisor: worker exited (%s %d); "
			    "starting another", WIFSIGNALED(status) ?
			    "signal" : "status", WIFSIGNALED(status) ?
			    WTERMSIG(status) : WEXITSTATUS(status));
		return;
	}
	s->delay_ms = s->delay_ms == 0 ? RESTART_MIN_MS :
	    s->delay_ms * 2 > RESTART_MAX_MS ? RESTART_MAX_MS : s->delay_ms * 2;
	s->next_ms = metrics_now_ms() + s->delay_ms;
	log_warn("supervisor: worker died young (%s %d); next start in "
	    "%lld ms", WIFSIGNALED(status) ? "signal" : "status",
	    WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status),
	    (long long)s->delay_ms);
}

static void
reap(struct sv *s)
{
	pid_t	 pid;
	int	 status, i;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		for (i = 0; i < s->n; i++)
			if (s->pid[i] == pid)
				died(s, i, status);
}

static int
alive(const struct sv *s)
{
	int	 i, n = 0;

	for (i = 0; i < s->n; i++)
		if (s->pid[i] != 0)
			n++;
	return n;
}

static void
signal_all(const struct sv *s, int sig)
{
	int	 i;

	for (i = 0; i < s->n; i++)
		if (s->pid[i] != 0)
			kill(s->pid[i], sig);
}

/* SIGTERM to every worker; wait for them, then SIGKILL what is left. */
static void
stop(struct sv *s)
{
	struct timespec	 tick = { 0, 100 * 1000 * 1000 };
	int64_t		 until = metrics_now_ms() + STOP_GRACE_S * 1000;

	log_info("supervisor: stopping %d workers", alive(s));
	signal_all(s, SIGTERM);
	while (alive(s) > 0 && metrics_now_ms() < until) {
		sigtimedwait(&s->sigs, NULL, &tick);
		reap(s);
	}
	if (alive(s) > 0) {
		log_warn("supervisor: %d workers still busy after %d s: "
		    "killing them", alive(s), STOP_GRACE_S);
		signal_all(s, SIGKILL);
		while (alive(s) > 0 && waitpid(-1, NULL, 0) > 0)
			reap(s);
	}
}

/* SIGHUP: replace the workers one at a time. */
static void
replace(struct sv *s)
{
	int	 i;

	log_info("supervisor: replacing the workers");
	for (i = 0; i < s->n; i++) {
		if (s->pid[i] == 0)
			continue;
		kill(s->pid[i], SIGTERM);
		while (s->pid[i] != 0) {
			int	 status;
			pid_t	 pid = waitpid(-1, &status, 0);
			int	 j;

			if (pid == -1)
				break;
			for (j = 0; j < s->n; j++)
				if (s->pid[j] == pid)
					s->pid[j] = 0;
		}
		start(s, i);
	}
}

int
supervise(int nworkers, supervise_fn fn, void *arg)
{
	struct sv	 s;
	struct timespec	 wait;
	int64_t		 left;
	int		 sig;

	memset(&s, 0, sizeof(s));
	s.fn = fn;
	s.arg = arg;
	s.n = nworkers < 1 ? 1 : nworkers > MAX_WORKERS ? MAX_WORKERS :
	    nworkers;
	sigemptyset(&s.sigs);
	sigaddset(&s.sigs, SIGCHLD);
	sigaddset(&s.sigs, SIGTERM);
	sigaddset(&s.sigs, SIGINT);
	sigaddset(&s.sigs, SIGHUP);
	sigprocmask(SIG_BLOCK, &s.sigs, &s.old);
	log_info("supervisor: starting %d workers", s.n);
	for (;;) {
		fill(&s);
		/* Wake for a signal, or when a delayed start is due. */
		left = s.next_ms - metrics_now_ms();
		left = left <= 0 || left > 1000 ? 1000 : left;
		wait.tv_sec = left / 1000;
		wait.tv_nsec = (left % 1000) * 1000000;
		sig = sigtimedwait(&s.sigs, NULL, &wait);
		if (sig == SIGTERM || sig == SIGINT)
			break;
		if (sig == SIGHUP)
			replace(&s);
		reap(&s);
	}
	stop(&s);
	log_info("supervisor: stopped");
	sigprocmask(SIG_SETMASK, &s.old, NULL);
	return 0;
}
