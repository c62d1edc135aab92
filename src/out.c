/* out — atomic output directory. */
#define _GNU_SOURCE
#include "out.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

volatile sig_atomic_t liang_interrupted;
static long fail_nth;
static atomic_long write_count;

void liang_out_fail_nth(long n)
{
	fail_nth = n;
	write_count = 0;
}

/* Temporary directories are named .<OUT>.tmp-<pid>-XXXXXX; one left by
 * a build that was killed (its pid is gone) is removed by the next. */
static void S_remove_stale(const char *parent, const char *base)
{
	DIR *d = opendir(parent);
	if (!d)
		return;
	char *prefix = liang_xasprintf(".%s.tmp-", base);
	size_t pl = strlen(prefix);
	struct dirent *e;
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, prefix, pl) != 0)
			continue;
		long pid = strtol(e->d_name + pl, NULL, 10);
		if (pid > 0 && (kill((pid_t)pid, 0) == 0 || errno != ESRCH))
			continue; /* another build is running */
		char *p = liang_path_join(parent, e->d_name);
		liang_remove_tree(p);
		free(p);
	}
	free(prefix);
	closedir(d);
}

static bool S_dir_is_empty(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return true;
	struct dirent *e;
	bool empty = true;
	while (empty && (e = readdir(d)))
		empty = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
	closedir(d);
	return empty;
}

int liang_out_begin(liang_out *o, const char *dir, liang_diags *diags)
{
	memset(o, 0, sizeof *o);
	o->at.fd = -1;
	o->diags = diags;
	o->dir = liang_xstrdup(dir);
	size_t n = strlen(o->dir);
	while (n > 1 && o->dir[n - 1] == '/')
		o->dir[--n] = '\0';

	struct stat st;
	if (lstat(o->dir, &st) == 0) {
		if (!S_ISDIR(st.st_mode)) {
			liang_error(diags, NULL, 0, 0, "输出位置 %s 已存在且不是目录", o->dir);
			return -1;
		}
		char *mark = liang_path_join(o->dir, LIANG_OUT_MARK);
		bool ours = liang_is_file(mark);
		free(mark);
		if (!ours && !S_dir_is_empty(o->dir)) {
			liang_error(diags, NULL, 0, 0,
				    "输出目录 %s 不是空目录，也不是 liang 生成的（没有 %s 文件）；为免误删其中的文件，"
				    "请换一个输出目录或先清空它",
				    o->dir, LIANG_OUT_MARK);
			return -1;
		}
	}
	char *copy1 = liang_xstrdup(o->dir), *copy2 = liang_xstrdup(o->dir);
	const char *parent = dirname(copy1);
	const char *base = basename(copy2);
	if (liang_mkdirs(parent, 0755) < 0) {
		liang_error(diags, NULL, 0, 0, "无法创建目录 %s：%s", parent, strerror(errno));
		free(copy1);
		free(copy2);
		return -1;
	}
	S_remove_stale(parent, base);
	char *tmpl = liang_xasprintf("%s/.%s.tmp-%ld-XXXXXX", parent, base, (long)getpid());
	free(copy1);
	free(copy2);
	if (!mkdtemp(tmpl)) {
		liang_error(diags, NULL, 0, 0, "无法创建临时目录 %s：%s", tmpl, strerror(errno));
		free(tmpl);
		return -1;
	}
	chmod(tmpl, 0755); /* mkdtemp makes it 0700; a web server must read it */
	o->tmp = tmpl;
	return 0;
}

static int S_fail(liang_out *o, const char *path, int err)
{
	/* name the file where it would have gone, not in the temporary
	 * directory the user never sees */
	char *shown = NULL;
	size_t tl = o->tmp ? strlen(o->tmp) : 0;
	if (tl && !strncmp(path, o->tmp, tl) && path[tl] == '/')
		path = shown = liang_path_join(o->dir, path + tl + 1);
	/* the first failure is reported, once even when two threads write */
	if (!atomic_exchange(&o->failed, true)) {
		if (err == ENOSPC)
			liang_error(o->diags, NULL, 0, 0, "写入 %s 失败：磁盘空间不足。原有的输出目录保持不变", path);
		else
			liang_error(o->diags, NULL, 0, 0, "写入 %s 失败：%s。原有的输出目录保持不变", path,
				    strerror(err));
	}
	free(shown);
	o->failed = true;
	return -1;
}

/* Copy the file src to the new file path inside the kernel (no copy of
 * its bytes through this process). Returns 0, 1 when the file systems
 * do not allow it (nothing left behind: copy another way), or -1 with
 * errno and *which (src or path) set. */
static int S_sendfile(const char *src, const char *path, size_t *len, const char **which)
{
	*which = src;
	int in = open(src, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (in < 0)
		return -1;
	if (fstat(in, &st) < 0) {
		int e = errno;
		close(in);
		errno = e;
		return -1;
	}
	*which = path;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		int e = errno;
		close(in);
		errno = e;
		return -1;
	}
	off_t left = st.st_size;
	int rc = 0;
	bool first = true;
	while (left > 0) {
		ssize_t n = sendfile(fd, in, NULL, (size_t)left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && first && (errno == EINVAL || errno == ENOSYS)) {
			rc = 1;
			break;
		}
		if (n <= 0) {
			if (n == 0)
				errno = EIO; /* the file shrank under us */
			rc = -1;
			break;
		}
		left -= n;
		first = false;
	}
	int e = errno;
	if (close(fd) < 0 && rc == 0) {
		e = errno;
		rc = -1;
	}
	close(in);
	if (rc == 1)
		unlink(path);
	errno = e;
	*len = (size_t)st.st_size;
	return rc;
}

/* What a thread wrote, added to the counters of o under its lock. */
typedef struct tally {
	long files, pages;
	unsigned long long bytes;
} tally;

static void S_count(liang_out *o, const tally *t)
{
	o->files += t->files;
	o->pages += t->pages;
	o->bytes += t->bytes;
}

/* S_count under o's lock when a writer thread may be counting too. */
static void S_count_locked(liang_out *o, const tally *t)
{
	if (o->async)
		pthread_mutex_lock(&o->lock);
	S_count(o, t);
	if (o->async)
		pthread_mutex_unlock(&o->lock);
}

/* Write len bytes of data to fd whatever the pieces write takes. Returns
 * 0, or -1 with errno set. */
static int S_write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	while (len) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

static void S_place_free(liang_out_place *at)
{
	if (at->parent)
		close(at->fd);
	free(at->parent);
	free(at->dir);
	at->dir = at->parent = NULL;
}

/* Make the directory relpath[0, dl) and make its parent at's. Returns 0,
 * or -1 with errno and *which (the path that failed, to free) set. */
static int S_enter(liang_out *o, liang_out_place *at, const char *relpath, size_t dl, char **which)
{
	const char *ps = memrchr(relpath, '/', dl);
	size_t pl = ps ? (size_t)(ps - relpath) : 0;
	const char *leaf0 = ps ? ps + 1 : relpath;
	if (!at->parent || strlen(at->parent) != pl || strncmp(at->parent, relpath, pl) != 0) {
		S_place_free(at);
		char *pp = ps ? liang_xasprintf("%s/%.*s", o->tmp, (int)pl, relpath) : liang_xstrdup(o->tmp);
		/* the parent is most often there already: open it first */
		int fd = open(pp, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0 && errno == ENOENT)
			fd = liang_mkdirs(pp, 0755) == 0 ? open(pp, O_PATH | O_DIRECTORY | O_CLOEXEC) : -1;
		if (fd < 0) {
			int e = errno;
			*which = pp;
			errno = e;
			return -1;
		}
		free(pp);
		at->parent = liang_xstrndup(relpath, pl);
		at->fd = fd;
	}
	char *leaf = liang_xstrndup(leaf0, dl - (size_t)(leaf0 - relpath));
	struct stat st;
	if (mkdirat(at->fd, leaf, 0755) < 0 &&
	    (errno != EEXIST || fstatat(at->fd, leaf, &st, 0) < 0 || !S_ISDIR(st.st_mode))) {
		int e = errno == EEXIST ? ENOTDIR : errno;
		free(leaf);
		*which = liang_xasprintf("%s/%.*s", o->tmp, (int)dl, relpath);
		errno = e;
		return -1;
	}
	free(leaf);
	free(at->dir);
	at->dir = liang_xstrndup(relpath, dl);
	return 0;
}

/* With link (a file outside the build): relpath becomes a hard link to
 * it, or a copy of it where links cannot be made; data is then unused,
 * and len is the size of link when the caller knows it, else
 * LINK_SIZE_UNKNOWN. at: where this thread wrote last (its own, as two threads may
 * write), or NULL to walk every path from the root. */
#define LINK_SIZE_UNKNOWN ((size_t)-1)

static int S_place(liang_out *o, const char *relpath, const void *data, size_t len, const char *link,
		   liang_out_place *at, tally *t)
{
	if (o->failed)
		return -1;
	char *path = liang_path_join(o->tmp, relpath);
	/* the file is opened as name relative to dirfd */
	int dirfd = AT_FDCWD;
	const char *name = path;
	const char *slash = strrchr(relpath, '/');
	/* only a plain relative path goes by the handle (a leading slash or
	 * an empty component is walked from the root, as liang_path_join
	 * reads it) */
	if (at && (relpath[0] == '/' || strstr(relpath, "//")))
		at = NULL;
	if (slash) {
		size_t dl = (size_t)(slash - relpath);
		char *which = NULL;
		if (!at) {
			which = liang_xstrdup(path);
			*strrchr(which, '/') = '\0';
			if (liang_mkdirs(which, 0755) == 0) {
				free(which);
				which = NULL;
			}
		} else if ((!at->dir || strncmp(at->dir, relpath, dl) != 0 || at->dir[dl]) &&
			   S_enter(o, at, relpath, dl, &which) < 0) {
			/* which is set */
		} else {
			dirfd = at->fd;
			name = relpath + (at->parent[0] ? strlen(at->parent) + 1 : 0);
		}
		if (which) {
			int e = errno;
			S_fail(o, which, e);
			free(which);
			free(path);
			return -1;
		}
	}
	int rc = 0;
	if (liang_interrupted) {
		o->failed = true;
		free(path);
		return -1;
	}
	/* an injected failure behaves as a full disk: half the file is
	 * written, then ENOSPC */
	bool inject = fail_nth && atomic_fetch_add(&write_count, 1) + 1 == fail_nth;
	char *copy = NULL;
	if (link) {
		struct stat st;
		if (len == LINK_SIZE_UNKNOWN && !inject && stat(link, &st) == 0)
			len = (size_t)st.st_size;
		if (!inject && len != LINK_SIZE_UNKNOWN && linkat(AT_FDCWD, link, dirfd, name, 0) == 0) {
			t->files++;
			t->bytes += len;
			free(path);
			return 0;
		}
		/* another file system, or no links there: copy */
		const char *which;
		int sf = inject ? 1 : S_sendfile(link, path, &len, &which);
		if (sf <= 0) {
			if (sf == 0) {
				t->files++;
				t->bytes += len;
			} else {
				rc = S_fail(o, which, errno);
			}
			free(path);
			return rc;
		}
		copy = liang_file_read(link, &len);
		if (!copy) {
			rc = S_fail(o, link, errno);
			free(path);
			return rc;
		}
		data = copy;
	}
	int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		free(copy);
		rc = S_fail(o, path, errno);
		free(path);
		return rc;
	}
	if (S_write_all(fd, data, inject ? len / 2 : len) < 0)
		rc = S_fail(o, path, errno);
	if (inject && rc == 0)
		rc = S_fail(o, path, ENOSPC);
	if (close(fd) < 0 && rc == 0)
		rc = S_fail(o, path, errno);
	if (rc == 0) {
		t->files++;
		t->bytes += len;
		if (liang_has_suffix_ci(relpath, ".html"))
			t->pages++;
	}
	free(copy);
	free(path);
	return rc;
}

/* Write now, on the calling thread (with a writer thread running or
 * without one); at as for S_place. */
static int S_place_now(liang_out *o, const char *relpath, const void *data, size_t len, const char *link,
		       liang_out_place *at)
{
	tally t = {0};
	int rc = S_place(o, relpath, data, len, link, at, &t);
	S_count_locked(o, &t);
	return rc;
}

/* ------------------------------------------------------ writer thread */

struct liang_out_job {
	liang_out_job *next;
	size_t len;
	size_t held; /* the memory it holds, as o->queued counts it */
	bool link;  /* data is the path of the file to link */
	bool own;   /* data is an allocation of its own, freed with the job */
	size_t size; /* of the file to link, or LINK_SIZE_UNKNOWN */
	char *data;
	char rel[]; /* then the data, unless own */
};

/* At most this much waits in the queue; beyond it the renderers write
 * their files themselves (S_queue). */
#define QUEUE_BYTES (32u << 20)

/* Take the files of the queue one by one and write them, until it is
 * empty and (when wait) closed; o->lock held on entry and on return. The
 * writer thread does this all along, and the thread that waits for it at
 * the end as well: the last pages then go out on both cores. */
static void S_drain(liang_out *o, bool wait, liang_out_place *at)
{
	tally t = {0};
	for (;;) {
		while (wait && !o->head && !o->closing)
			pthread_cond_wait(&o->more, &o->lock);
		liang_out_job *j = o->head;
		if (!j)
			break;
		o->head = j->next;
		if (!o->head)
			o->tail = NULL;
		pthread_mutex_unlock(&o->lock);
		S_place(o, j->rel, j->data, j->link ? j->size : j->len, j->link ? j->data : NULL, at, &t);
		pthread_mutex_lock(&o->lock);
		o->queued -= j->held;
		if (j->own)
			free(j->data);
		free(j);
	}
	S_count(o, &t);
}

static void *S_writer(void *arg)
{
	liang_out *o = arg;
	pthread_mutex_lock(&o->lock);
	S_drain(o, true, &o->at);
	pthread_mutex_unlock(&o->lock);
	return NULL;
}

int liang_out_async(liang_out *o)
{
	if (o->async)
		return 0;
	pthread_mutex_init(&o->lock, NULL);
	pthread_cond_init(&o->more, NULL);
	o->closing = false;
	if (pthread_create(&o->writer, NULL, S_writer, o) != 0) {
		pthread_mutex_destroy(&o->lock);
		pthread_cond_destroy(&o->more);
		return -1;
	}
	o->async = true;
	return 0;
}

void liang_out_sync(liang_out *o)
{
	if (!o->async)
		return;
	pthread_mutex_lock(&o->lock);
	o->closing = true;
	pthread_cond_signal(&o->more);
	liang_out_place at = {NULL, NULL, -1};
	S_drain(o, false, &at);
	pthread_mutex_unlock(&o->lock);
	S_place_free(&at);
	pthread_join(o->writer, NULL);
	pthread_mutex_destroy(&o->lock);
	pthread_cond_destroy(&o->more);
	o->async = false;
}

/* Queue a file (copying data, unless page: then its memory is taken). */
static int S_queue(liang_out *o, const char *relpath, const void *data, size_t len, bool link, size_t size,
		   liang_buf *page)
{
	if (o->failed)
		return -1;
	size_t held = page ? page->cap : len;
	pthread_mutex_lock(&o->lock);
	bool full = o->queued && o->queued + held > QUEUE_BYTES;
	pthread_mutex_unlock(&o->lock);
	if (full) {
		/* the writer is behind: write this one here rather than wait
		 * with a core idle (or let memory grow) */
		int rc = S_place_now(o, relpath, link ? NULL : data, link ? size : len, link ? data : NULL, NULL);
		if (page)
			liang_buf_clear(page);
		return rc;
	}
	size_t rl = strlen(relpath) + 1;
	liang_out_job *j = liang_xmalloc(sizeof *j + rl + (page ? 0 : len));
	j->next = NULL;
	j->len = len;
	j->held = held;
	j->link = link;
	j->size = size;
	j->own = page != NULL;
	memcpy(j->rel, relpath, rl);
	if (page) {
		/* the renderer's next buffer: room for a page of this one's
		 * size (not of the largest it ever rendered) */
		j->data = page->ptr;
		*page = (liang_buf)LIANG_BUF_INIT;
		liang_buf_grow(page, len);
		page->ptr[0] = '\0';
	} else {
		j->data = j->rel + rl;
		if (len)
			memcpy(j->data, data, len);
	}
	pthread_mutex_lock(&o->lock);
	if (o->tail)
		o->tail->next = j;
	else
		o->head = j;
	o->tail = j;
	o->queued += held;
	pthread_cond_signal(&o->more);
	pthread_mutex_unlock(&o->lock);
	return 0;
}

int liang_out_write(liang_out *o, const char *relpath, const void *data, size_t len)
{
	if (!o->async)
		return S_place_now(o, relpath, data, len, NULL, &o->at);
	return S_queue(o, relpath, data, len, false, 0, NULL);
}

int liang_out_give(liang_out *o, const char *relpath, liang_buf *page)
{
	if (!o->async || !page->ptr) {
		int rc = S_place_now(o, relpath, page->ptr ? page->ptr : "", page->len, NULL, o->async ? NULL : &o->at);
		liang_buf_clear(page);
		return rc;
	}
	return S_queue(o, relpath, page->ptr, page->len, false, 0, page);
}

int liang_out_link(liang_out *o, const char *relpath, const char *src, long long size)
{
	size_t known = size >= 0 ? (size_t)size : LINK_SIZE_UNKNOWN;
	if (!o->async)
		return S_place_now(o, relpath, NULL, known, src, &o->at);
	return S_queue(o, relpath, src, strlen(src) + 1, true, known, NULL);
}

int liang_out_file_open(liang_out *o, liang_out_file *f, const char *relpath)
{
	f->o = o;
	f->fd = -1;
	f->bytes = 0;
	f->path = liang_path_join(o->tmp, relpath);
	f->inject = false;
	if (o->failed)
		return -1;
	if (liang_interrupted) {
		o->failed = true;
		return -1;
	}
	f->inject = fail_nth && atomic_fetch_add(&write_count, 1) + 1 == fail_nth;
	char *slash = strrchr(f->path, '/');
	*slash = '\0';
	int rc = liang_mkdirs(f->path, 0755);
	*slash = '/';
	if (rc < 0) {
		int e = errno;
		*slash = '\0';
		S_fail(o, f->path, e);
		*slash = '/';
		return -1;
	}
	f->fd = open(f->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (f->fd < 0)
		return S_fail(o, f->path, errno);
	return 0;
}

int liang_out_file_write(liang_out_file *f, const void *data, size_t len)
{
	if (f->fd < 0 || f->o->failed || liang_interrupted) {
		f->o->failed = true;
		return -1;
	}
	int e = S_write_all(f->fd, data, f->inject ? len / 2 : len) < 0 ? errno : f->inject ? ENOSPC : 0;
	if (e) {
		close(f->fd);
		f->fd = -1;
		return S_fail(f->o, f->path, e);
	}
	f->bytes += len;
	return 0;
}

int liang_out_file_spill(liang_out_file *f, liang_buf *buf, bool last)
{
	if (!last && buf->len < LIANG_OUT_SPILL)
		return 0;
	int rc = liang_out_file_write(f, buf->ptr, buf->len);
	liang_buf_clear(buf);
	return rc;
}

int liang_out_file_close(liang_out_file *f)
{
	int rc = f->fd < 0 ? -1 : 0;
	if (f->fd >= 0 && close(f->fd) < 0)
		rc = S_fail(f->o, f->path, errno);
	else if (rc == 0 && f->inject) /* injected, and never written */
		rc = S_fail(f->o, f->path, ENOSPC);
	if (rc == 0)
		S_count_locked(f->o, &(tally){1, 0, f->bytes});
	f->fd = -1;
	free(f->path);
	f->path = NULL;
	return rc;
}

int liang_out_commit(liang_out *o)
{
	liang_out_sync(o);
	if (o->failed)
		return -1;
	if (liang_out_write(o, LIANG_OUT_MARK,
			    "This directory was written by liang; a build replaces it whole.\n", 65) < 0)
		return -1;
	o->files--; /* the mark is not part of the site */
	S_place_free(&o->at);
	o->bytes -= 65;
	struct stat st;
	if (lstat(o->dir, &st) == 0) {
		/* Exchange the two directories in one step, then delete the old. */
		if (renameat2(AT_FDCWD, o->tmp, AT_FDCWD, o->dir, RENAME_EXCHANGE) < 0) {
			if (errno != EINVAL && errno != ENOSYS) {
				S_fail(o, o->dir, errno);
				return -1;
			}
			/* A file system without RENAME_EXCHANGE: move the old one
			 * aside first; OUT is missing only between two renames. */
			char *aside = liang_xasprintf("%s.old-%ld", o->tmp, (long)getpid());
			if (rename(o->dir, aside) < 0 || rename(o->tmp, o->dir) < 0) {
				int e = errno;
				rename(aside, o->dir);
				free(aside);
				S_fail(o, o->dir, e);
				return -1;
			}
			liang_remove_tree(aside);
			free(aside);
		} else {
			liang_remove_tree(o->tmp); /* now holds the previous build */
		}
	} else if (rename(o->tmp, o->dir) < 0) {
		S_fail(o, o->dir, errno);
		return -1;
	}
	free(o->tmp);
	o->tmp = NULL;
	free(o->dir);
	o->dir = NULL;
	return 0;
}

void liang_out_abort(liang_out *o)
{
	liang_out_sync(o);
	S_place_free(&o->at);
	if (o->tmp)
		liang_remove_tree(o->tmp);
	free(o->tmp);
	free(o->dir);
	o->tmp = o->dir = NULL;
}
