/* Tests for util: reading and replacing files, the huge-page hint. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
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

/* The mapping that holds p, as /proc/self/smaps tells: whether its
 * VmFlags say "hg" (MADV_HUGEPAGE); -1 when there is no such file. */
static int S_hinted(const void *p)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	if (!f)
		return -1;
	char line[512];
	int in = 0, hg = 0;
	uintptr_t a = (uintptr_t)p;
	while (fgets(line, sizeof line, f)) {
		unsigned long lo, hi;
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 && strchr(line, '-') < strchr(line, ' '))
			in = a >= lo && a < hi;
		else if (in && !strncmp(line, "VmFlags:", 8))
			hg = strstr(line, " hg") != NULL;
	}
	fclose(f);
	return hg;
}

/* A large buffer is marked for huge pages inside, where a whole one
 * fits; a small one and the edges are left alone, and the bytes are the
 * program's as before. */
static void huge_page_hint(void)
{
	/* a mapping of its own: memory from malloc may lie where an earlier
	 * test's buffer was hinted already */
	size_t n = 9u << 20;
	char *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	if (p == MAP_FAILED)
		return;
	memset(p, 7, 4096);
	char *mid = (char *)(((uintptr_t)p + (4u << 20)) & ~(uintptr_t)((2u << 20) - 1));
	int before = S_hinted(mid);
	liang_prefer_huge_pages(p, n);
	int h = S_hinted(mid);
	if (h < 0) {
		fprintf(stderr, "note: no /proc/self/smaps here; the hint is not checked\n");
	} else {
		CHECK(before == 0);
		CHECK(h == 1);
	}
	CHECK(p[0] == 7 && p[4095] == 7);
	memset(p, 1, n);
	CHECK(p[n - 1] == 1);
	/* the mapping stays whole: mremap, which realloc uses to grow a
	 * large block without copying it, fails on a range split in two */
	char *q = mremap(p, n, 2 * n, MREMAP_MAYMOVE);
	CHECK(q != MAP_FAILED);
	if (q != MAP_FAILED) {
		CHECK(q[0] == 1 && q[n - 1] == 1);
		p = q;
		n *= 2;
	}
	munmap(p, n);
	/* small, unaligned, empty: nothing happens, nothing breaks */
	char small[64] = "x";
	liang_prefer_huge_pages(small + 1, sizeof small - 1);
	liang_prefer_huge_pages(NULL, 0);
	CHECK(small[0] == 'x');
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
	{"util/huge_page_hint", huge_page_hint},
	{NULL, NULL},
};
