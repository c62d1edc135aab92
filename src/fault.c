/* fault — the counters of injected failures (only with -DLIANG_FAULTS). */
#include "fault.h"

#ifdef LIANG_FAULTS
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "out.h"

static long alloc_nth;
static atomic_long alloc_count;
static bool fail_published;
static atomic_bool published;

bool liang_fault_alloc(void)
{
	/* loader and renderer run two threads: the count is atomic, so each
	 * N names one allocation, though not always the same one */
	long n = atomic_fetch_add(&alloc_count, 1) + 1;
	return (alloc_nth && n == alloc_nth) || atomic_load(&published);
}

void liang_fault_published(void)
{
	if (fail_published)
		atomic_store(&published, true);
}

static void S_report(void)
{
	fprintf(stderr, "liang: faults: %ld allocations\n", (long)atomic_load(&alloc_count));
}

static long S_env(const char *name)
{
	const char *v = getenv(name);
	return v ? strtol(v, NULL, 10) : 0;
}

/* Before main, so that no allocation escapes the count. */
__attribute__((constructor)) static void S_init(void)
{
	alloc_nth = S_env("LIANG_FAULT_ALLOC");
	fail_published = S_env("LIANG_FAULT_PUBLISHED") > 0;
	long w = S_env("LIANG_FAULT_WRITE");
	if (w > 0)
		liang_out_fail_nth(w);
	if (S_env("LIANG_FAULT_COUNT"))
		atexit(S_report);
}
#endif
