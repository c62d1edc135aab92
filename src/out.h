/* out — the output directory, written atomically.
 *
 * A build writes everything into a fresh temporary directory beside OUT
 * and, only when the whole build succeeded, swaps it in with one
 * rename (renameat2 RENAME_EXCHANGE): a failed or interrupted build
 * leaves the previous OUT exactly as it was. */
#ifndef LIANG_OUT_H
#define LIANG_OUT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "diag.h"

typedef struct liang_out_job liang_out_job;

/* Where a thread writing files made its last directory (relative to the
 * build: "openweek/HD1"), and a handle on that directory's parent
 * ("openweek"; "" for the top), open while parent is not NULL: the next
 * page beside it is made and opened relative to the parent, not by a
 * path walked from the root. */
typedef struct liang_out_place {
	char *dir;
	char *parent;
	int fd;
} liang_out_place;

typedef struct liang_out {
	char *dir;        /* OUT as given */
	char *tmp;        /* the temporary directory being written */
	liang_out_place at; /* of the writer thread, or of the caller
	                       while writes are synchronous */
	liang_diags *diags;
	long files;
	long pages;       /* .html files */
	unsigned long long bytes;
	atomic_bool failed; /* a write failed: the build must not be committed */

	/* With liang_out_async: the files wait in a queue for a writer
	 * thread, so that making directories and files overlaps with
	 * rendering the next pages (when it falls behind, the renderers
	 * write their own). */
	bool async;
	pthread_t writer;
	pthread_mutex_t lock;
	pthread_cond_t more;
	liang_out_job *head, *tail;
	size_t queued;    /* bytes waiting */
	bool closing;
} liang_out;

/* Create the temporary directory beside dir. Returns 0 or -1 (reported). */
int liang_out_begin(liang_out *o, const char *dir, liang_diags *diags);
/* From now on write files on a thread of their own; liang_out_write
 * copies the data and returns at once (a failure shows in o->failed and
 * in a later call), or writes the file itself when that thread is more
 * than 32 MB behind. Returns 0, or -1 when no thread could be started
 * (writes then stay synchronous). */
int liang_out_async(liang_out *o);
/* Wait until every queued file is written (counters are then exact). */
void liang_out_sync(liang_out *o);
/* Write a file at relpath ("c/LL-001/index.html") inside the build.
 * Directories are created as needed. Errors are reported and make the
 * build fail; returns 0 or -1. */
int liang_out_write(liang_out *o, const char *relpath, const void *data, size_t len);
/* The same for a page rendered into page: with the writer thread, its
 * memory goes to the queue as it is, not copied, and page is left empty
 * with a fresh allocation as large (the next page is likely of the same
 * size); without, page is written and cleared. */
int liang_out_give(liang_out *o, const char *relpath, liang_buf *page);
/* Put the file src (outside the build, and never changed in place, such
 * as an entry of the image cache) at relpath: a hard link when both are
 * on one file system, else a copy. size: src's, when the caller has just
 * seen it (else -1: looked up). Returns 0 or -1 as liang_out_write. */
int liang_out_link(liang_out *o, const char *relpath, const char *src, long long size);
/* A file written piece by piece on the calling thread, for one too large
 * to hold whole in memory first (the open-data tables): open, write as
 * often as needed, close. Errors are reported as for liang_out_write and
 * make the build fail; each call returns 0 or -1, and after a failure
 * the next calls do nothing but return -1 (close must still be called). */
typedef struct liang_out_file {
	liang_out *o;
	char *path;
	int fd;          /* -1 after a failure */
	bool inject;     /* the injected failure of the tests (fail_nth) */
	unsigned long long bytes;
} liang_out_file;
int liang_out_file_open(liang_out *o, liang_out_file *f, const char *relpath);
int liang_out_file_write(liang_out_file *f, const void *data, size_t len);
int liang_out_file_close(liang_out_file *f);
/* Write the bytes of buf to f once they reach a megabyte, or all of them
 * when last, and empty buf; 0 or -1 as liang_out_file_write. The large
 * CSV files are made so, a megabyte at a time: the largest held whole
 * (twice, with the writer's copy) made the peak of a build's memory. */
#define LIANG_OUT_SPILL (1u << 20)
int liang_out_file_spill(liang_out_file *f, liang_buf *buf, bool last);

/* Swap the finished build in and remove the previous one. */
int liang_out_commit(liang_out *o);
/* Throw the temporary directory away (after a failure). */
void liang_out_abort(liang_out *o);

/* The name of the file that marks a directory as liang's output: a
 * build refuses to replace a non-empty directory without it, so that
 * `-o` pointed at the wrong place cannot delete someone's files. */
#define LIANG_OUT_MARK ".liang-build"

/* Set from a signal handler (SIGINT, SIGTERM): the next write fails and
 * the build is abandoned with the old OUT intact. */
#include <signal.h>
extern volatile sig_atomic_t liang_interrupted;

/* For fault injection in tests: fail the Nth write (0 = never). */
void liang_out_fail_nth(long n);

#endif
