/* sqlmem — the memory SQLite allocates, given to it with
 * SQLITE_CONFIG_MALLOC: small blocks from per-thread free lists, large
 * ones from the C library with a hint for huge pages. */
#ifndef LIANG_SQLMEM_H
#define LIANG_SQLMEM_H

#include <stdbool.h>

#include <sqlite3.h>

/* The methods (liang_sqlmem_install gives them to SQLite). */
const sqlite3_mem_methods *liang_sqlmem_methods(void);
/* Before the first use of SQLite: SQLite's memory is liang's from now on,
 * without memory statistics. */
void liang_sqlmem_install(void);
/* Whether small blocks come from the free lists: not under a sanitizer
 * or valgrind's memcheck, which then see each block on its own, nor in
 * the fault-injection build, which counts them. */
bool liang_sqlmem_pooled(void);
/* Whether p is a block of the slabs (not the C library's). */
bool liang_sqlmem_slab(const void *p);

#endif
