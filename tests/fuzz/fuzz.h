/* fuzz — what the harnesses share (include it first): the libFuzzer entry point, and a
 * scratch directory for those whose code under test reads files. */
#ifndef LIANG_FUZZ_H
#define LIANG_FUZZ_H

#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *fuzz_root;

static inline void fuzz_cleanup(void)
{
	if (fuzz_root)
		liang_remove_tree(fuzz_root);
}

/* A fresh directory (in memory when /dev/shm exists), removed at exit,
 * with the subdirectory sub made; returns the path of sub/file in it. */
static inline char *fuzz_scratch(const char *sub, const char *file)
{
	char *t = liang_xasprintf("%s/liang-fuzz-XXXXXX", liang_is_dir("/dev/shm") ? "/dev/shm" : "/tmp");
	if (!mkdtemp(t))
		abort();
	fuzz_root = t;
	atexit(fuzz_cleanup);
	char *dir = liang_path_join(fuzz_root, sub);
	liang_mkdirs(dir, 0755);
	char *path = liang_path_join(dir, file);
	free(dir);
	return path;
}

/* Write the input as the file at path. */
static inline void fuzz_write(const char *path, const uint8_t *data, size_t size)
{
	FILE *fp = fopen(path, "wb");
	if (!fp || (size && fwrite(data, 1, size, fp) != size))
		abort();
	fclose(fp);
}

#endif
