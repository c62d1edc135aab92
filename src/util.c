/* util — allocation, files and small string helpers. */
#define _GNU_SOURCE
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "fault.h"

/* Out of memory is not recoverable for a batch tool: say so and stop.
 * The build writes into a temporary directory, so out/ stays intact. */
static void S_oom(void)
{
	static const char msg[] = "liang: error: 内存不足 (out of memory)\n";
	if (write(2, msg, sizeof msg - 1) < 0) {
		/* nothing more to do */
	}
	_exit(70);
}

/* With -DLIANG_FAULTS a test can make the Nth allocation fail. */
#ifdef LIANG_FAULTS
#define S_INJECTED() liang_fault_alloc()
#else
#define S_INJECTED() false
#endif

void *liang_xmalloc(size_t n)
{
	if (S_INJECTED())
		S_oom();
	void *p = malloc(n ? n : 1);
	if (!p)
		S_oom();
	return p;
}

void *liang_xcalloc(size_t n, size_t size)
{
	if (S_INJECTED())
		S_oom();
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		S_oom();
	return p;
}

void *liang_xrealloc(void *p, size_t n)
{
	if (S_INJECTED())
		S_oom();
	void *q = realloc(p, n ? n : 1);
	if (!q)
		S_oom();
	return q;
}

char *liang_xstrdup(const char *s)
{
	return liang_xstrndup(s, strlen(s));
}

char *liang_xstrndup(const char *s, size_t n)
{
	char *p = liang_xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *liang_xasprintf(const char *fmt, ...)
{
	liang_buf b = LIANG_BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	liang_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	return liang_buf_detach(&b);
}

char *liang_cache_dir(const char *root, const char *sub)
{
	const char *env = getenv("LIANG_CACHE_DIR");
	char *dir = env && *env ? liang_xstrdup(env) : liang_path_join(root, ".liang-cache");
	if (!*sub)
		return dir;
	char *full = liang_path_join(dir, sub);
	free(dir);
	return full;
}

int liang_file_replace(const char *path, const void *data, size_t len)
{
	char *tmp = liang_xasprintf("%s.XXXXXX", path);
	int fd = mkstemp(tmp), rc = -1;
	if (fd < 0 && errno == ENOENT) { /* no directory yet: make it */
		char *dir = liang_xstrdup(path);
		char *slash = strrchr(dir, '/');
		if (slash && slash != dir) {
			*slash = '\0';
			if (liang_mkdirs(dir, 0755) == 0) {
				strcpy(tmp + strlen(path), ".XXXXXX");
				fd = mkstemp(tmp);
			}
		}
		free(dir);
	}
	if (fd >= 0) {
		const char *p = data;
		size_t left = len;
		while (left) {
			ssize_t n = write(fd, p, left);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			p += n;
			left -= (size_t)n;
		}
		fchmod(fd, 0644);
		if (close(fd) == 0 && left == 0 && rename(tmp, path) == 0)
			rc = 0;
		else
			unlink(tmp);
	}
	free(tmp);
	return rc;
}

void liang_prefer_huge_pages(void *p, size_t n)
{
	/* below two huge pages there may be no whole one inside */
	const uintptr_t huge = (uintptr_t)2 << 20, page = 4096;
	if (n < 2 * huge)
		return;
	/* the whole pages the buffer touches, not only the huge pages inside
	 * it: a hint on part of a mapping splits it in two, and mremap, which
	 * grows a large block without copying it (realloc), then fails and
	 * the C library copies the block instead */
	uintptr_t from = (uintptr_t)p & ~(page - 1), to = ((uintptr_t)p + n + page - 1) & ~(page - 1);
	(void)madvise((void *)from, to - from, MADV_HUGEPAGE);
}

char *liang_file_read(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	struct stat st;
	if (fstat(fd, &st) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return NULL;
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		errno = EISDIR;
		return NULL;
	}
	/* room for the size stat gives, the terminating NUL and one byte
	 * more, so that the read that finds the end needs no larger buffer
	 * (a file that grows meanwhile is read to its end all the same) */
	size_t cap = st.st_size > 0 ? (size_t)st.st_size + 2 : 4096;
	char *p = liang_xmalloc(cap);
	liang_prefer_huge_pages(p, cap);
	size_t n = 0;
	for (;;) {
		if (n + 1 >= cap) {
			cap *= 2;
			p = liang_xrealloc(p, cap);
			liang_prefer_huge_pages(p, cap);
		}
		ssize_t r = read(fd, p + n, cap - n - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			free(p);
			close(fd);
			errno = e;
			return NULL;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	p[n] = '\0';
	*len = n;
	return p;
}

bool liang_is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool liang_is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int liang_mkdirs(const char *path, int mode)
{
	/* One mkdir when the parent exists (the common case); the parents
	 * only when it does not. */
	if (mkdir(path, (mode_t)mode) == 0)
		return 0;
	if (errno == EEXIST) {
		if (liang_is_dir(path))
			return 0;
		errno = ENOTDIR;
		return -1;
	}
	if (errno != ENOENT)
		return -1;
	char *p = liang_xstrdup(path);
	size_t n = strlen(p);
	while (n > 1 && p[n - 1] == '/')
		p[--n] = '\0';
	char *slash = strrchr(p, '/');
	int rc = -1;
	if (slash && slash != p) {
		*slash = '\0';
		if (liang_mkdirs(p, mode) == 0) {
			*slash = '/';
			rc = mkdir(p, (mode_t)mode) == 0 || (errno == EEXIST && liang_is_dir(p)) ? 0 : -1;
		}
	}
	int e = errno;
	free(p);
	errno = e;
	return rc;
}

static int S_remove_entry(const char *path, const struct stat *st, int flag,
			  struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		return rmdir(path) < 0 ? -1 : 0;
	return unlink(path) < 0 ? -1 : 0;
}

int liang_remove_tree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	return nftw(path, S_remove_entry, 32, FTW_DEPTH | FTW_PHYS);
}

char *liang_path_join(const char *a, const char *b)
{
	size_t la = strlen(a);
	while (la > 1 && a[la - 1] == '/')
		la--;
	while (*b == '/')
		b++;
	if (la == 0 || (la == 1 && a[0] == '.'))
		return liang_xstrdup(b);
	return liang_xasprintf("%.*s/%s", (int)la, a, b);
}

double liang_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

bool liang_has_suffix_ci(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);
	return ls >= lx && strcasecmp(s + ls - lx, suffix) == 0;
}
