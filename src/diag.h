/* diag — the diagnostics of one run: every error and warning, with its
 * place, collected in order to be reported all at once.
 *
 * Parsers and checks add to the list and keep going (SQLite's nErr
 * style); only main() prints the list and decides the exit status. */
#ifndef LIANG_DIAG_H
#define LIANG_DIAG_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

typedef enum { LIANG_WARNING, LIANG_ERROR } liang_severity;

typedef struct liang_diag {
	char *file;      /* as shown to the user, relative to the site; may be NULL */
	long line;       /* 1-based; 0 = the file as a whole */
	long col;        /* 1-based, in characters; 0 = no column */
	liang_severity severity;
	char *message;
	size_t seq;      /* insertion order, to keep the sort stable */
} liang_diag;

typedef struct liang_diags {
	liang_diag *v;
	size_t n, cap;
	size_t errors, warnings;
	pthread_mutex_t lock; /* the loader adds from two threads */
} liang_diags;

void liang_diags_init(liang_diags *d);
void liang_diags_free(liang_diags *d);

/* Add one diagnostic; fmt is printf-style, the message is copied.
 * Safe to call from several threads. */
void liang_diag_add(liang_diags *d, liang_severity sev, const char *file,
		    long line, long col, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
#define liang_error(d, file, line, col, ...) \
	liang_diag_add((d), LIANG_ERROR, (file), (line), (col), __VA_ARGS__)
#define liang_warning(d, file, line, col, ...) \
	liang_diag_add((d), LIANG_WARNING, (file), (line), (col), __VA_ARGS__)

/* Order by file, line and column (insertion order breaks ties). */
void liang_diags_sort(liang_diags *d);
/* One line: "FILE:LINE:COL: error: MESSAGE" (parts that are unknown are
 * left out, as GCC does). The returned string is the caller's to free. */
char *liang_diag_format(const liang_diag *g);
/* Append them sorted to b, a line each: all, or only the errors. */
void liang_diags_text(liang_diags *d, bool errors_only, liang_buf *b);

#endif
