/* write_floor — how long writing a finished site takes, and nothing else.
 *
 *   write_floor SRC DST
 *
 * Reads every file under SRC into memory (not timed), then writes the
 * same tree under DST (which must not exist) on one thread: mkdir for
 * each directory, open, write and close for each file; a file that is a
 * hard link of one written before (as liang links the photos it takes
 * from its cache, when the cache is on the same file system) is linked
 * again, not written. Prints "SECONDS FILES BYTES". tests/bench.sh reports it beside the builds:
 * the cost of the files alone, which no generator of the same site
 * avoids on this machine and file system. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef struct entry {
	char *rel; /* from SRC, with its leading '/' */
	char *data;
	size_t len;
	int dir;
	size_t same; /* 1 + the index of the entry it is a hard link of, or 0 */
} entry;

/* the files with more than one link, by inode: the first entry of each */
typedef struct linked {
	dev_t dev;
	ino_t ino;
	size_t first;
	struct linked *next;
} linked;
static linked *buckets[4096];

static entry *entries;
static size_t n, cap, srclen;

static int S_take(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)ftw;
	if (flag != FTW_D && flag != FTW_F)
		return 0;
	if (n == cap) {
		cap = cap ? 2 * cap : 4096;
		entries = realloc(entries, cap * sizeof *entries);
		if (!entries)
			return -1;
	}
	entry *e = &entries[n++];
	e->rel = strdup(path + srclen);
	e->dir = flag == FTW_D;
	e->same = 0;
	if (!e->dir && st->st_nlink > 1) {
		linked **b = &buckets[(st->st_ino ^ st->st_dev) % 4096];
		for (linked *l = *b; l; l = l->next)
			if (l->ino == st->st_ino && l->dev == st->st_dev) {
				e->same = l->first + 1;
				break;
			}
		if (!e->same) {
			linked *l = malloc(sizeof *l);
			if (!l)
				return -1;
			*l = (linked){st->st_dev, st->st_ino, n - 1, *b};
			*b = l;
		}
	}
	if (e->same) {
		e->len = 0;
		e->data = NULL;
		return 0;
	}
	e->len = e->dir ? 0 : (size_t)st->st_size;
	e->data = e->dir ? NULL : malloc(e->len + 1);
	if (!e->rel || (!e->dir && !e->data))
		return -1;
	if (!e->dir) {
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		size_t got = 0;
		while (fd >= 0 && got < e->len) {
			ssize_t r = read(fd, e->data + got, e->len - got);
			if (r <= 0)
				break;
			got += (size_t)r;
		}
		if (fd >= 0)
			close(fd);
		if (got != e->len)
			return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: write_floor SRC DST\n");
		return 2;
	}
	srclen = strlen(argv[1]);
	if (nftw(argv[1], S_take, 64, FTW_PHYS) != 0) {
		perror(argv[1]);
		return 1;
	}
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	unsigned long long bytes = 0;
	size_t files = 0;
	char path[8192], first[8192];
	for (size_t i = 0; i < n; i++) {
		entry *e = &entries[i];
		snprintf(path, sizeof path, "%s%s", argv[2], e->rel);
		if (e->dir) {
			if (mkdir(path, 0755) < 0) {
				perror(path);
				return 1;
			}
			continue;
		}
		if (e->same) {
			snprintf(first, sizeof first, "%s%s", argv[2], entries[e->same - 1].rel);
			if (link(first, path) < 0) {
				perror(path);
				return 1;
			}
			files++;
			continue;
		}
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (fd < 0) {
			perror(path);
			return 1;
		}
		for (size_t off = 0; off < e->len;) {
			ssize_t w = write(fd, e->data + off, e->len - off);
			if (w <= 0) {
				perror(path);
				return 1;
			}
			off += (size_t)w;
		}
		close(fd);
		files++;
		bytes += e->len;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%.3f %zu %llu\n", (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, files,
	       bytes);
	for (size_t i = 0; i < n; i++) {
		free(entries[i].rel);
		free(entries[i].data);
	}
	free(entries);
	for (size_t i = 0; i < 4096; i++)
		for (linked *l = buckets[i], *next; l; l = next) {
			next = l->next;
			free(l);
		}
	return 0;
}
