/*
 * supervise.c: "deltashare -w N", N workers on one inherited socket,
 * restarted when they die (see supervise.h).
 *
 * The parent serves nothing: it forks the workers, which all accept on
 * the listening socket they inherit, and waits for signals with every
 * signal it handles blocked (sigtimedwait), so there is no handler and
 * no race.  Every worker that ends is logged with its pid and status.
 * One that lived a while, or left cleanly (server.max_requests), is
 * started again at once; when workers keep dying young the next start
 * waits, RESTART_MIN_MS doubling up to RESTART_MAX_MS, so a crash loop
 * costs little.  SIGHUP: the configuration is read again (ops->reload)
 * and, if it is good, the workers are replaced one at a time from the
 * main loop, which goes on reaping and answering signals meanwhile.
 * SIGTERM or SIGINT: the workers get SIGTERM (each finishes its request),
 * the parent waits for them (SIGKILL after STOP_GRACE_S) and returns 0.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
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
	const struct supervise_ops *ops;
	void		*arg;
	sigset_t	 sigs, old;
	pid_t		 pid[MAX_WORKERS];
	int64_t		 born[MAX_WORKERS];
	unsigned	 gen[MAX_WORKERS];	/* s->gen when started */
	unsigned	 cur_gen;		/* one more at each SIGHUP */
	pid_t		 retiring;	/* old worker told to stop, or 0 */
	int64_t		 retire_ms;	/* when it was told */
	int		 n;
	bool		 stopping;	/* SIGTERM or SIGINT came */
	int64_t		 delay_ms;	/* before the next restart; 0: none */
	int64_t		 next_ms;	/* no start before this */
};

/* A worker died young, or fork failed: the next start waits longer. */
static void
backoff(struct sv *s)
{
	if (s->delay_ms == 0)
		s->delay_ms = RESTART_MIN_MS;
	else if (s->delay_ms * 2 > RESTART_MAX_MS)
		s->delay_ms = RESTART_MAX_MS;
	else
		s->delay_ms *= 2;
	s->next_ms = metrics_now_ms() + s->delay_ms;
}

static void
start(struct sv *s, int i)
{
	pid_t	 pid;

	if ((pid = fork()) == -1) {
		backoff(s);
		log_error("supervisor: fork: %s; next start in %lld ms",
		    strerror(errno), (long long)s->delay_ms);
		return;
	}
	if (pid == 0) {
		sigprocmask(SIG_SETMASK, &s->old, NULL);
		_exit(s->ops->work(s->arg) == 0 ? 0 : 1);
	}
	s->pid[i] = pid;
	s->born[i] = metrics_now_ms();
	s->gen[i] = s->cur_gen;
}

/* Start the missing workers, unless a crash delay is running. */
static void
fill(struct sv *s)
{
	int	 i;

	for (i = 0; i < s->n; i++)
		if (s->pid[i] == 0 && metrics_now_ms() >= s->next_ms)
			start(s, i);
}

/* After SIGHUP: tell the next worker of an older generation to stop. */
static void
retire(struct sv *s)
{
	int	 i;

	if (s->retiring != 0) {
		if (metrics_now_ms() - s->retire_ms > STOP_GRACE_S * 1000)
			kill(s->retiring, SIGKILL);
		return;
	}
	for (i = 0; i < s->n; i++) {
		if (s->pid[i] != 0 && s->gen[i] != s->cur_gen) {
			s->retiring = s->pid[i];
			s->retire_ms = metrics_now_ms();
			kill(s->retiring, SIGTERM);
			return;
		}
	}
}

static void
died(struct sv *s, int i, int status)
{
	long	 pid = (long)s->pid[i];
	int64_t	 age = metrics_now_ms() - s->born[i];
	bool	 clean = WIFEXITED(status) && WEXITSTATUS(status) == 0;
	char	 how[32];

	snprintf(how, sizeof(how), "%s %d", WIFSIGNALED(status) ? "signal" :
	    "status", WIFSIGNALED(status) ? WTERMSIG(status) :
	    WEXITSTATUS(status));
	s->pid[i] = 0;
	if (s->stopping) {
		log_info("supervisor: worker %ld stopped (%s)", pid, how);
	} else if (s->retiring != 0 && pid == (long)s->retiring) {
		s->retiring = 0;
		log_info("supervisor: worker %ld replaced (%s)", pid, how);
	} else if (clean) {
		s->delay_ms = 0;
		log_info("supervisor: worker %ld exited (%s); starting "
		    "another", pid, how);
	} else if (age >= YOUNG_MS) {
		s->delay_ms = 0;
		log_warn("supervisor: worker %ld died (%s); starting another",
		    pid, how);
	} else {
		backoff(s);
		log_warn("supervisor: worker %ld died young (%s); next start "
		    "in %lld ms", pid, how, (long long)s->delay_ms);
	}
}

static void
reaped(struct sv *s, pid_t pid, int status)
{
	int	 i;

	for (i = 0; i < s->n; i++)
		if (s->pid[i] == pid)
			died(s, i, status);
}

static void
reap(struct sv *s)
{
	pid_t	 pid;
	int	 status;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		reaped(s, pid, status);
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
	pid_t		 pid;
	int		 status;

	s->stopping = true;
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
		while (alive(s) > 0 && (pid = waitpid(-1, &status, 0)) > 0)
			reaped(s, pid, status);
	}
}

/* SIGHUP: with a good configuration, replace the workers. */
static void
hup(struct sv *s)
{
	log_info("supervisor: SIGHUP: reading the configuration again");
	if (s->ops->reload != NULL && s->ops->reload(s->arg) == -1) {
		log_error("supervisor: the configuration has errors; the "
		    "workers go on with the one they have");
		return;
	}
	log_info("supervisor: replacing the workers one at a time");
	s->cur_gen++;
	s->delay_ms = 0;
	s->next_ms = 0;
}

int
supervise(int nworkers, const struct supervise_ops *ops, void *arg)
{
	struct sv	 s;
	struct timespec	 wait;
	int64_t		 left;
	int		 sig;

	memset(&s, 0, sizeof(s));
	s.ops = ops;
	s.arg = arg;
	s.n = nworkers < 1 ? 1 : nworkers > MAX_WORKERS ? MAX_WORKERS :
	    nworkers;
	/* An inherited SIG_IGN would have the kernel reap the workers. */
	signal(SIGCHLD, SIG_DFL);
	sigemptyset(&s.sigs);
	sigaddset(&s.sigs, SIGCHLD);
	sigaddset(&s.sigs, SIGTERM);
	sigaddset(&s.sigs, SIGINT);
	sigaddset(&s.sigs, SIGHUP);
	sigprocmask(SIG_BLOCK, &s.sigs, &s.old);
	log_info("supervisor: starting %d workers", s.n);
	for (;;) {
		fill(&s);
		retire(&s);
		/* Wake for a signal, or when a delayed start is due. */
		left = s.next_ms - metrics_now_ms();
		left = left <= 0 || left > 1000 ? 1000 : left;
		wait.tv_sec = left / 1000;
		wait.tv_nsec = (left % 1000) * 1000000;
		sig = sigtimedwait(&s.sigs, NULL, &wait);
		if (sig == SIGTERM || sig == SIGINT)
			break;
		if (sig == SIGHUP)
			hup(&s);
		reap(&s);
	}
	stop(&s);
	log_info("supervisor: stopped");
	sigprocmask(SIG_SETMASK, &s.old, NULL);
	return 0;
}
