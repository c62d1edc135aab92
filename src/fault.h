/* fault — failures injected on purpose, in the style of SQLite's fault
 * simulation, to prove that every failure ends in a clear error with the
 * old out/ intact.
 *
 * Compiled in only with -DLIANG_FAULTS (make FAULTS=1 builds such a
 * binary beside the normal one; make test uses it). It reads, at start:
 *   LIANG_FAULT_ALLOC=N   the Nth allocation through liang_xmalloc and
 *                         its siblings fails (as if malloc returned NULL)
 *   LIANG_FAULT_WRITE=N   the Nth file written by out.c fails (as on a
 *                         full disk, after part of the file is written)
 *   LIANG_FAULT_COUNT=1   print how many allocations the run made, so a
 *                         test knows how far to go
 *   LIANG_FAULT_PUBLISHED=1  every allocation fails once a build has put
 *                         its new site in place: after that nothing may
 *                         fail, so the build must still end well
 * The release binary has none of this: no counter on the allocation
 * path. */
#ifndef LIANG_FAULT_H
#define LIANG_FAULT_H

#include <stdbool.h>

#ifdef LIANG_FAULTS
/* Count one allocation; true when it is the one that must fail. */
bool liang_fault_alloc(void);
/* The new site is in place (see LIANG_FAULT_PUBLISHED). */
void liang_fault_published(void);
#else
static inline void liang_fault_published(void)
{
}
#endif

#endif
