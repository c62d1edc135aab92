/* Tests for out.c: the output directory is replaced whole or not at all. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "out.h"
#include "unit.h"
#include "util.h"

static char *tmpdir(void)
{
	char t[] = "/tmp/liang-out-XXXXXX";
	return liang_xstrdup(mkdtemp(t));
}

static char *slurp(const char *dir, const char *rel)
{
	char *p = liang_path_join(dir, rel);
	size_t n;
	char *s = liang_file_read(p, &n);
	free(p);
	return s;
}

/* A place for an output directory: root/out, and the diagnostics. */
typedef struct fixture {
	char *root, *out;
	liang_diags d;
} fixture;

static void S_open(fixture *f)
{
	f->root = tmpdir();
	f->out = liang_path_join(f->root, "out");
	liang_diags_init(&f->d);
}

static void S_close(fixture *f)
{
	liang_diags_free(&f->d);
	liang_remove_tree(f->root);
	free(f->out);
	free(f->root);
}

static void commit_then_abort_keeps_old(void)
{
	char *root = tmpdir();
	char *out = liang_path_join(root, "out");
	liang_diags d;
	liang_diags_init(&d);
	liang_out o;
	CHECK(liang_out_begin(&o, out, &d) == 0);
	CHECK(liang_out_write(&o, "index.html", "one", 3) == 0);
	CHECK(liang_out_write(&o, "c/A/index.html", "a", 1) == 0);
	CHECK(liang_out_commit(&o) == 0);
	char *s = slurp(out, "index.html");
	CHECK_STR(s, "one");
	free(s);
	/* a second build that fails leaves the first untouched */
	CHECK(liang_out_begin(&o, out, &d) == 0);
	CHECK(liang_out_write(&o, "index.html", "two", 3) == 0);
	liang_out_abort(&o);
	s = slurp(out, "index.html");
	CHECK_STR(s, "one");
	free(s);
	/* a write that fails (injected) makes the commit fail */
	CHECK(liang_out_begin(&o, out, &d) == 0);
	liang_out_fail_nth(2);
	CHECK(liang_out_write(&o, "index.html", "three", 5) == 0);
	CHECK(liang_out_write(&o, "more.html", "x", 1) < 0);
	CHECK(liang_out_commit(&o) < 0);
	liang_out_abort(&o);
	liang_out_fail_nth(0);
	s = slurp(out, "index.html");
	CHECK_STR(s, "one");
	free(s);
	CHECK(d.errors == 1);
	/* a third build replaces it */
	CHECK(liang_out_begin(&o, out, &d) == 0);
	CHECK(liang_out_write(&o, "index.html", "four", 4) == 0);
	CHECK(liang_out_commit(&o) == 0);
	s = slurp(out, "index.html");
	CHECK_STR(s, "four");
	free(s);
	s = slurp(out, "c/A/index.html");
	CHECK(s == NULL); /* nothing of the old build survives */
	free(s);
	/* no temporary directories are left beside out */
	char *cmd = liang_xasprintf("test $(ls -A %s | wc -l) -eq 1", root);
	CHECK(system(cmd) == 0);
	free(cmd);
	liang_diags_free(&d);
	liang_remove_tree(root);
	free(out);
	free(root);
}

static void refuses_a_foreign_directory(void)
{
	char *root = tmpdir();
	char *keep = liang_path_join(root, "notes.txt");
	FILE *f = fopen(keep, "w");
	fputs("mine", f);
	fclose(f);
	liang_diags d;
	liang_diags_init(&d);
	liang_out o;
	CHECK(liang_out_begin(&o, root, &d) < 0);
	CHECK(d.errors == 1);
	CHECK(liang_is_file(keep));
	liang_out_abort(&o);
	liang_diags_free(&d);
	liang_remove_tree(root);
	free(keep);
	free(root);
}

/* Files written on the writer thread arrive whole and in place; a write
 * that fails there still stops the commit. */
static void async_writes(void)
{
	char *root = tmpdir();
	char *out = liang_path_join(root, "out");
	liang_diags d;
	liang_diags_init(&d);
	liang_out o;
	CHECK(liang_out_begin(&o, out, &d) == 0);
	CHECK(liang_out_async(&o) == 0);
	char big[100000];
	memset(big, 'x', sizeof big);
	for (int i = 0; i < 500; i++) {
		char rel[64];
		snprintf(rel, sizeof rel, "c/%03d/index.html", i);
		big[0] = (char)('0' + i % 10);
		CHECK(liang_out_write(&o, rel, big, sizeof big) == 0);
	}
	liang_out_sync(&o);
	CHECK(o.files == 500 && o.pages == 500 && o.bytes == 500ull * sizeof big);
	CHECK(liang_out_commit(&o) == 0);
	char *s = slurp(out, "c/437/index.html");
	CHECK(s && s[0] == '7' && strlen(s) == sizeof big);
	free(s);

	CHECK(liang_out_begin(&o, out, &d) == 0);
	CHECK(liang_out_async(&o) == 0);
	liang_out_fail_nth(3);
	for (int i = 0; i < 10; i++)
		liang_out_write(&o, "a.html", "x", 1);
	CHECK(liang_out_commit(&o) < 0);
	liang_out_abort(&o);
	liang_out_fail_nth(0);
	CHECK(d.errors == 1);
	s = slurp(out, "c/000/index.html");
	CHECK(s && s[0] == '0');
	free(s);
	liang_diags_free(&d);
	liang_remove_tree(root);
	free(out);
	free(root);
}

/* liang_out_link: the file appears in the build as a hard link to the
 * source (one inode, two names), on the writer thread too. */
static void link_into_build(void)
{
	char *root = tmpdir();
	char *out = liang_path_join(root, "out"), *src = liang_path_join(root, "cached.img");
	FILE *f = fopen(src, "wb");
	fputs("image bytes", f);
	fclose(f);
	liang_diags d;
	liang_diags_init(&d);
	liang_out o;
	CHECK(liang_out_begin(&o, out, &d) == 0);
	CHECK(liang_out_link(&o, "media/a.jpg", src, -1) == 0);
	CHECK(liang_out_async(&o) == 0);
	CHECK(liang_out_link(&o, "media/b/c.jpg", src, 11) == 0);
	CHECK(liang_out_commit(&o) == 0);
	char *s = slurp(out, "media/b/c.jpg");
	CHECK_STR(s, "image bytes");
	free(s);
	struct stat st;
	CHECK(stat(src, &st) == 0 && st.st_nlink == 3);
	CHECK(o.files == 2 && o.bytes == 22);
	CHECK(d.errors == 0);
	liang_diags_free(&d);
	liang_remove_tree(root);
	free(src);
	free(out);
	free(root);
}

/* Files at every depth, in an order that leaves a directory and comes
 * back to it, beside and below one another; then a file standing where a
 * directory must go is an error naming it (synchronous and on the writer
 * thread alike). */
static void directories_on_the_way(void)
{
	static const char *const rels[] = {
		"index.html", "openweek/A/index.html", "openweek/B/index.html", "openweek/index.html",
		"openweek/A/photo.txt", "c/X/index.html", "openweek/C/index.html", "a/b/c/d/e.txt",
		"a/b/c/f.txt", "a/b/c/d/g.txt", "top.txt", "c/Y/index.html", "c/X/more.txt",
	};
	size_t n = sizeof rels / sizeof *rels;
	for (int async = 0; async < 2; async++) {
		fixture x;
		S_open(&x);
		liang_out o;
		CHECK(liang_out_begin(&o, x.out, &x.d) == 0);
		if (async)
			CHECK(liang_out_async(&o) == 0);
		for (size_t i = 0; i < n; i++)
			CHECK(liang_out_write(&o, rels[i], rels[i], strlen(rels[i])) == 0);
		CHECK(liang_out_commit(&o) == 0);
		CHECK(x.d.errors == 0 && o.files == (long)n);
		for (size_t i = 0; i < n; i++) {
			char *s = slurp(x.out, rels[i]);
			CHECK_STR(s, rels[i]);
			free(s);
		}
		/* "c/X" is a file now: c/X/index.html cannot be written */
		CHECK(liang_out_begin(&o, x.out, &x.d) == 0);
		if (async)
			CHECK(liang_out_async(&o) == 0);
		liang_out_write(&o, "c/Y/index.html", "y", 1);
		liang_out_write(&o, "c/X", "x", 1);
		liang_out_write(&o, "c/X/index.html", "z", 1);
		CHECK(liang_out_commit(&o) < 0);
		liang_out_abort(&o);
		CHECK(x.d.errors == 1);
		char *s = slurp(x.out, "c/X/index.html");
		CHECK_STR(s, "c/X/index.html"); /* the previous build stays */
		free(s);
		/* a leading slash or an empty component stays inside */
		CHECK(liang_out_begin(&o, x.out, &x.d) == 0);
		if (async)
			CHECK(liang_out_async(&o) == 0);
		CHECK(liang_out_write(&o, "/lead/a.txt", "a", 1) == 0);
		CHECK(liang_out_write(&o, "lead//b.txt", "b", 1) == 0);
		CHECK(liang_out_commit(&o) == 0);
		char *t = slurp(x.out, "lead/a.txt");
		CHECK_STR(t, "a");
		free(t);
		t = slurp(x.out, "lead/b.txt");
		CHECK_STR(t, "b");
		free(t);
		S_close(&x);
	}
}

/* A file written in pieces: whole at the end, counted once; with the
 * writer thread running; an injected failure in the middle fails the
 * build, reported once, and the previous build stays. */
static void file_in_pieces(void)
{
	fixture x;
	S_open(&x);
	liang_out o;
	CHECK(liang_out_begin(&o, x.out, &x.d) == 0);
	CHECK(liang_out_async(&o) == 0);
	CHECK(liang_out_write(&o, "index.html", "home", 4) == 0);
	liang_out_file f;
	CHECK(liang_out_file_open(&o, &f, "data/big.csv") == 0);
	bool all = true;
	for (int i = 0; i < 1000; i++)
		all = all && liang_out_file_write(&f, "0123456789", 10) == 0;
	CHECK(all);
	CHECK(liang_out_file_write(&f, "", 0) == 0);
	CHECK(liang_out_file_close(&f) == 0);
	CHECK(liang_out_commit(&o) == 0);
	CHECK(o.files == 2 && o.bytes == 10004);
	char *s = slurp(x.out, "data/big.csv");
	CHECK(s && strlen(s) == 10000 && !strncmp(s + 9990, "0123456789", 10));
	free(s);

	CHECK(liang_out_begin(&o, x.out, &x.d) == 0);
	liang_out_fail_nth(1);
	CHECK(liang_out_file_open(&o, &f, "data/big.csv") == 0);
	CHECK(liang_out_file_write(&f, "abcdef", 6) < 0);
	CHECK(liang_out_file_write(&f, "more", 4) < 0);
	CHECK(liang_out_file_close(&f) < 0);
	liang_out_fail_nth(0);
	CHECK(liang_out_commit(&o) < 0);
	liang_out_abort(&o);
	CHECK(x.d.errors == 1);
	s = slurp(x.out, "data/big.csv");
	CHECK(s && strlen(s) == 10000);
	free(s);
	/* the injected failure of a file opened and closed unwritten */
	CHECK(liang_out_begin(&o, x.out, &x.d) == 0);
	liang_out_fail_nth(1);
	CHECK(liang_out_file_open(&o, &f, "data/empty.csv") == 0);
	CHECK(liang_out_file_close(&f) < 0);
	liang_out_fail_nth(0);
	CHECK(liang_out_commit(&o) < 0);
	liang_out_abort(&o);
	CHECK(x.d.errors == 2);
	S_close(&x);
}

/* A file made a row at a time and spilled: written whenever the buffer
 * reaches LIANG_OUT_SPILL, never held much beyond it, whole at the end. */
static void file_spilled(void)
{
	fixture x;
	S_open(&x);
	liang_out o;
	CHECK(liang_out_begin(&o, x.out, &x.d) == 0);
	CHECK(liang_out_async(&o) == 0);
	liang_out_file f;
	CHECK(liang_out_file_open(&o, &f, "data/rows.csv") == 0);
	liang_buf b = LIANG_BUF_INIT;
	char row[64];
	size_t total = 0, most = 0;
	int spills = 0;
	bool all = true; /* one check for the 300,000 calls */
	for (int i = 0; i < 300000; i++) {
		int n = snprintf(row, sizeof row, "%d,row %d\r\n", i, i);
		liang_buf_put(&b, row, (size_t)n);
		total += (size_t)n;
		size_t before = b.len;
		all = all && liang_out_file_spill(&f, &b, false) == 0;
		if (b.len < before) {
			spills++;
			all = all && before >= LIANG_OUT_SPILL && b.len == 0;
		}
		if (b.len > most)
			most = b.len;
	}
	CHECK(all);
	CHECK(spills >= 4 && (size_t)spills <= total / LIANG_OUT_SPILL && most < LIANG_OUT_SPILL);
	CHECK(liang_out_file_spill(&f, &b, true) == 0 && b.len == 0);
	CHECK(liang_out_file_close(&f) == 0);
	liang_buf_free(&b);
	CHECK(liang_out_commit(&o) == 0);
	CHECK(o.bytes == total);
	char *s = slurp(x.out, "data/rows.csv");
	CHECK(s && strlen(s) == total && !strncmp(s, "0,row 0\r\n1,row 1\r\n", 18) &&
	      !strcmp(s + total - 19, "299999,row 299999\r\n"));
	free(s);
	S_close(&x);
}

/* A page given to the writer thread is written as it was, and the
 * buffer is left empty with as much room; without the thread it is
 * written at once and cleared. */
static void pages_given(void)
{
	fixture x;
	S_open(&x);
	liang_out o;
	for (int async = 0; async < 2; async++) {
		CHECK(liang_out_begin(&o, x.out, &x.d) == 0);
		if (async)
			CHECK(liang_out_async(&o) == 0);
		liang_buf page = LIANG_BUF_INIT;
		CHECK(liang_out_give(&o, "empty.html", &page) == 0);
		bool kept = true;
		for (int i = 0; i < 200; i++) {
			char rel[32];
			snprintf(rel, sizeof rel, "p/%03d/index.html", i);
			for (int k = 0; k <= i; k++)
				liang_buf_printf(&page, "%03d", i);
			size_t len = page.len; /* the next buffer has room for as much */
			kept = kept && liang_out_give(&o, rel, &page) == 0 && page.len == 0 && page.cap > len;
		}
		CHECK(kept);
		/* the buffer left is an empty string, sized for the page given,
		 * not for the largest one ever given */
		liang_buf_grow(&page, 1 << 20);
		memset(page.ptr, 'x', 1 << 20);
		page.len = 1 << 20;
		page.ptr[page.len] = '\0';
		CHECK(liang_out_give(&o, "big.html", &page) == 0);
		CHECK(page.len == 0 && page.ptr && page.ptr[0] == '\0');
		liang_buf_puts(&page, "small");
		CHECK(liang_out_give(&o, "small.html", &page) == 0);
		CHECK(page.len == 0 && page.ptr && page.ptr[0] == '\0');
		CHECK(!async || page.cap < 4096);
		liang_buf_free(&page);
		CHECK(liang_out_commit(&o) == 0);
		CHECK(o.files == 203 && o.bytes == 3ull * 200 * 201 / 2 + (1 << 20) + 5);
		char *s = slurp(x.out, "p/199/index.html");
		CHECK(s && strlen(s) == 600 && !strncmp(s, "199199", 6));
		free(s);
		s = slurp(x.out, "empty.html");
		CHECK_STR(s, "");
		free(s);
	}
	CHECK(x.d.errors == 0);
	S_close(&x);
}

UNIT_TESTS(out) = {
	{"out/link_into_build", link_into_build},
	{"out/commit_then_abort_keeps_old", commit_then_abort_keeps_old},
	{"out/refuses_a_foreign_directory", refuses_a_foreign_directory},
	{"out/async_writes", async_writes},
	{"out/directories_on_the_way", directories_on_the_way},
	{"out/file_in_pieces", file_in_pieces},
	{"out/file_spilled", file_spilled},
	{"out/pages_given", pages_given},
	{NULL, NULL},
};
