/* Tests for util: reading and replacing files. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "util.h"

/* Whole files of several sizes come back with their length and a NUL. */
static void file_read_whole(void)
{
	char dir[] = "/tmp/liang-util-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char *path = liang_xasprintf("%s/f", dir);
	const size_t sizes[] = {0, 1, 4095, 4096, 5u << 20};
	for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
		char *data = malloc(sizes[k] + 1);
		for (size_t i = 0; i < sizes[k]; i++)
			data[i] = (char)('a' + i % 26);
		FILE *f = fopen(path, "wb");
		CHECK(f && fwrite(data, 1, sizes[k], f) == sizes[k]);
		fclose(f);
		size_t len = 99;
		char *got = liang_file_read(path, &len);
		CHECK(got && len == sizes[k]);
		CHECK(got && got[len] == '\0' && !memcmp(got, data, len));
		free(got);
		free(data);
	}
	unlink(path);
	CHECK(liang_file_read(path, &(size_t){0}) == NULL);
	CHECK(liang_file_read(dir, &(size_t){0}) == NULL);
	rmdir(dir);
	free(path);
}

/* A file is replaced whole, its directories made when missing (a cache
 * written for the first time), and left alone when it cannot be. */
static void file_replace_makes_dirs(void)
{
	char dir[] = "/tmp/liang-util-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char *path = liang_xasprintf("%s/a/b/f.txt", dir);
	CHECK(liang_file_replace(path, "one", 3) == 0);
	CHECK(liang_file_replace(path, "two!", 4) == 0);
	size_t len = 0;
	char *got = liang_file_read(path, &len);
	CHECK(got && len == 4 && !memcmp(got, "two!", 4));
	free(got);
	char *blocked = liang_xasprintf("%s/f.txt", path); /* under a file */
	CHECK(liang_file_replace(blocked, "x", 1) < 0);
	free(blocked);
	char *rm = liang_xasprintf("rm -rf %s", dir);
	CHECK(system(rm) == 0);
	free(rm);
	free(path);
}

UNIT_TESTS(util) = {
	{"util/file_replace_makes_dirs", file_replace_makes_dirs},
	{"util/file_read_whole", file_read_whole},
	{NULL, NULL},
};
