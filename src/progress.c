/* progress — a one-line progress display on stderr. */
#include "progress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "util.h"

/* Only the thread that started the run shows progress. */
static _Thread_local bool S_muted;

void liang_progress_mute_thread(void)
{
	S_muted = true;
}

static struct {
	char stage[64];
	long count;
	double start, last;
	bool shown;
} P;

static void S_show(void)
{
	double now = liang_now();
	double rate = now > P.start ? (double)P.count / (now - P.start) : 0;
	fprintf(stderr, "\r\033[K%s: %ld (%.0f/s)", P.stage, P.count, rate);
	fflush(stderr);
	P.last = now;
	P.shown = true;
}

/* LIANG_TIMINGS=1 in the environment: the wall time of each stage on
 * stderr, for finding where a build spends its time. */
bool liang_progress_timings(void)
{
	const char *e = getenv("LIANG_TIMINGS");
	return e && *e && strcmp(e, "0") != 0;
}

static void S_timing(const char *next)
{
	static int on = -1;
	static char stage[64];
	static double start;
	if (on < 0)
		on = liang_progress_timings();
	if (!on)
		return;
	double now = liang_now();
	if (*stage) {
		/* and the peak memory so far, to tell which stage sets it */
		struct rusage ru;
		long peak = getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss / 1024 : 0;
		fprintf(stderr, "timing: %-20s %8.3f s %6ld MB peak\n", stage, now - start, peak);
	}
	snprintf(stage, sizeof stage, "%s", next ? next : "");
	start = now;
}

void liang_progress_stage(liang_site *s, const char *stage)
{
	if (S_muted)
		return;
	S_timing(stage);
	if (!s->progress)
		return;
	snprintf(P.stage, sizeof P.stage, "%s", stage);
	P.count = 0;
	P.start = P.last = liang_now();
	S_show();
}

void liang_progress_tick(liang_site *s, long n)
{
	if (!s->progress || S_muted)
		return;
	P.count += n;
	/* Look at the clock only every 1024 items: ticks are per row. */
	if ((P.count & 1023) == 0 && liang_now() - P.last > 0.1)
		S_show();
}

void liang_progress_done(liang_site *s)
{
	if (!S_muted)
		S_timing(NULL);
	if (s->progress && P.shown) {
		fprintf(stderr, "\r\033[K");
		fflush(stderr);
		P.shown = false;
	}
}
