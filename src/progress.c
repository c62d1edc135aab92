/* progress — a one-line progress display on stderr. */
#include "progress.h"

#include <stdio.h>
#include <string.h>

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

void liang_progress_stage(liang_site *s, const char *stage)
{
	if (!s->progress || S_muted)
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
	if (s->progress && P.shown) {
		fprintf(stderr, "\r\033[K");
		fflush(stderr);
		P.shown = false;
	}
}
