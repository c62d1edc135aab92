/* util — allocation, files and small string helpers shared by every stage.
 *
 * Allocation failure is routed through one hook so that tests can inject
 * it (fail the Nth call) in the style of SQLite's fault simulation. */
#ifndef LIANG_UTIL_H
#define LIANG_UTIL_H

#include <stdbool.h>
#include <stddef.h>

void *liang_xmalloc(size_t n);
void *liang_xcalloc(size_t n, size_t size);
void *liang_xrealloc(void *p, size_t n);
char *liang_xstrdup(const char *s);
char *liang_xstrndup(const char *s, size_t n);
char *liang_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Ask for huge pages under a large buffer (p[0..n), not yet written):
 * one page fault per 2 MB instead of one per 4 KB where the kernel's
 * transparent huge pages are in "madvise" mode. Only a hint, given to the
 * whole pages the buffer spans; smaller buffers are left alone. */
void liang_prefer_huge_pages(void *p, size_t n);

/* Read a whole file. On success returns the bytes (NUL-terminated, caller
 * frees) and sets *len; on failure returns NULL with errno set. */
char *liang_file_read(const char *path, size_t *len);
/* Write path whole or not at all (a temporary file renamed over it),
 * making its directory if there is none; 0 or -1. */
int liang_file_replace(const char *path, const void *data, size_t len);
/* The directory of liang's caches for the site at root: $LIANG_CACHE_DIR,
 * else root/.liang-cache; then sub in it. */
char *liang_cache_dir(const char *root, const char *sub);
bool liang_is_dir(const char *path);
bool liang_is_file(const char *path);
/* mkdir -p; returns 0 or -1 with errno. */
int liang_mkdirs(const char *path, int mode);
/* rm -rf without following symlinks; returns 0 or -1. */
int liang_remove_tree(const char *path);
/* a/b with exactly one slash between; caller frees. */
char *liang_path_join(const char *a, const char *b);

/* Seconds on a monotonic clock, for progress and the summary line only:
 * never written into out/. */
double liang_now(void);

/* Case-insensitive ASCII suffix test ("x.JPG" ends with ".jpg"). */
bool liang_has_suffix_ci(const char *s, const char *suffix);

#endif
