/* progress — what a build is doing, on a terminal: stage, count, rate.
 * Nothing is shown when stderr is not a terminal or with -q. */
#ifndef LIANG_PROGRESS_H
#define LIANG_PROGRESS_H

#include "site.h"

void liang_progress_stage(liang_site *s, const char *stage);
void liang_progress_tick(liang_site *s, long n);
/* Calls from the calling thread are ignored from now on. */
void liang_progress_mute_thread(void);
/* LIANG_TIMINGS=1 (not 0) in the environment: stages and other parts
 * print their wall time on stderr as "timing: NAME SECONDS". */
bool liang_progress_timings(void);
/* Clear the progress line before other output. */
void liang_progress_done(liang_site *s);

#endif
