/* sqlmem — the memory SQLite allocates.
 *
 * Debian builds SQLite without its lookaside allocator (OMIT_LOOKASIDE),
 * so every value it copies, every string it concatenates and every node
 * of a parsed statement is a malloc and a free of the C library: about
 * 850,000 pairs in a build of preset M, many more than the C library's
 * per-thread cache holds, nearly all of at most a few hundred bytes.
 * Blocks of up to SMALL bytes therefore come in classes of 16 bytes from
 * slabs of SLAB bytes, each slab holding blocks of one class, and go back
 * to a free list of the thread that frees them (a connection is used by
 * one thread at a time; a block freed by another thread simply joins that
 * thread's list). The slabs lie in one range of address space reserved
 * at the first such block (MAP_NORESERVE: memory is taken as slabs are
 * written), so a block needs no header: its address tells whether it is
 * a slab's and the slab its class. Slabs are kept until the process ends;
 * a thread's free blocks stay in its slabs when it ends. Under a
 * sanitizer or valgrind's memcheck, when the range cannot be reserved or
 * once it is used up, blocks are the C library's; so are they in the
 * build that makes the Nth allocation fail (LIANG_FAULTS), which counts
 * them through liang_xmalloc.
 *
 * Large blocks (the image of the database, which grows by doubling, and
 * the sorters' buffers) ask for huge pages before they are first written:
 * a preset L database is some hundreds of MB, and a page fault per 4 KB
 * of it is costly on virtual machines. A block of MAPPED or more is a
 * mapping of its own (the C library's threshold for that moves with the
 * sizes freed, up to 32 MB on 64-bit systems), which realloc grows with
 * mremap, without copying (the hint keeps the mapping whole). A smaller
 * one may be in the heap, where realloc would copy it into fresh pages
 * before any hint: this copies it itself, after the hint.
 *
 * Memory SQLite cannot have stops the run as liang's own does
 * (liang_xmalloc: "内存不足", exit status 70) rather than surfacing as an
 * error of some query; so does a failure SQLite would have taken in its
 * stride (a page cache that cannot grow), which comes only when memory is
 * all but gone. */
#define _GNU_SOURCE /* MAP_ANONYMOUS, MAP_NORESERVE, madvise */
#include "sqlmem.h"

#include <malloc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "util.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer) || __has_feature(thread_sanitizer)
#define SQLMEM_PLAIN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SQLMEM_PLAIN 1
#endif
#ifdef LIANG_FAULTS
#define SQLMEM_PLAIN 1
#endif
#ifndef SQLMEM_PLAIN
#define SQLMEM_PLAIN 0
#endif

enum {
	CLASS = 16,  /* the step between classes */
	SMALL = 512, /* the largest block from the slabs */
	NCLASS = SMALL / CLASS,
	SLAB = 32 << 10,
	LARGE = 4 << 20, /* from here on, ask for huge pages */
	MAPPED = 32 << 20,
};
/* All the slabs there are: blocks beyond them are the C library's. SQLite
 * with temp_store=MEMORY sorts with a block per row, so a large sort
 * (an index of preset L's activities) would otherwise keep that many
 * blocks of its classes to the end; a build of preset M uses about 14 MB
 * of slabs. */
#define RANGE ((size_t)32 << 20)
#define NSLABS (RANGE / SLAB)

typedef struct heap {
	char *free[NCLASS + 1]; /* by class; each free block holds the next */
	char *bump[NCLASS + 1]; /* the rest of the class's newest slab, */
	size_t left[NCLASS + 1]; /* of this many bytes */
} heap;

static _Thread_local heap S_heap;
static pthread_once_t S_once = PTHREAD_ONCE_INIT;
/* NULL: not reserved (yet). Atomic: a thread may free a block of the
 * C library (which it may tell by either value) while another reserves. */
static char *_Atomic S_range;
static atomic_size_t S_next; /* the next slab to hand out */
static unsigned char S_slab_class[NSLABS];
static bool S_pooled = !SQLMEM_PLAIN;

static void S_reserve(void)
{
	/* on a boundary of huge pages (2 MB), so that the range is made of
	 * whole ones: slabs are handed out in order, it fills from its start */
	const size_t huge = (size_t)2 << 20;
	char *r = mmap(NULL, RANGE + huge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (r == MAP_FAILED)
		return;
	char *at = (char *)(((uintptr_t)r + huge - 1) & ~(uintptr_t)(huge - 1));
	if (at > r)
		munmap(r, (size_t)(at - r));
	if (at + RANGE < r + RANGE + huge)
		munmap(at + RANGE, (size_t)(r + RANGE + huge - (at + RANGE)));
	(void)madvise(at, RANGE, MADV_HUGEPAGE);
	atomic_store_explicit(&S_range, at, memory_order_relaxed);
}

/* The class of a slab's block, or 0 for a block of the C library. */
static size_t S_class_of(const void *p)
{
	char *range = atomic_load_explicit(&S_range, memory_order_relaxed);
	uintptr_t off = (uintptr_t)p - (uintptr_t)range;
	return range && off < RANGE ? S_slab_class[off / SLAB] : 0;
}

static void *S_large(size_t n)
{
	void *p = liang_xmalloc(n);
	if (n >= LARGE)
		liang_prefer_huge_pages(p, n);
	return p;
}

static void *S_malloc(int n)
{
	if (n <= 0)
		n = 1;
	if (n > SMALL || !S_pooled)
		return S_large((size_t)n);
	size_t c = ((size_t)n + CLASS - 1) / CLASS;
	heap *h = &S_heap;
	char *p = h->free[c];
	if (p) {
		memcpy(&h->free[c], p, sizeof h->free[c]);
		return p;
	}
	size_t size = c * CLASS;
	if (h->left[c] < size) {
		/* all handed out already: no need to ask again */
		if (atomic_load_explicit(&S_next, memory_order_relaxed) >= NSLABS)
			return S_large((size_t)n);
		pthread_once(&S_once, S_reserve);
		char *range = atomic_load_explicit(&S_range, memory_order_relaxed);
		size_t k = range ? atomic_fetch_add(&S_next, 1) : NSLABS;
		if (k >= NSLABS)
			return S_large((size_t)n); /* no room left: the C library's */
		S_slab_class[k] = (unsigned char)c;
		h->bump[c] = range + k * SLAB;
		h->left[c] = SLAB;
	}
	p = h->bump[c];
	h->bump[c] += size;
	h->left[c] -= size;
	return p;
}

static void S_free(void *p)
{
	size_t c = S_class_of(p);
	if (!c) {
		free(p);
		return;
	}
	memcpy(p, &S_heap.free[c], sizeof S_heap.free[c]);
	S_heap.free[c] = p;
}

static int S_size(void *p)
{
	if (!p)
		return 0;
	size_t c = S_class_of(p);
	return c ? (int)(c * CLASS) : (int)malloc_usable_size(p);
}

static void *S_realloc(void *p, int n)
{
	if (!p)
		return S_malloc(n);
	if (n <= 0)
		n = 1;
	size_t had = (size_t)S_size(p), want = (size_t)n;
	bool small = S_class_of(p) != 0;
	if (small && want <= had)
		return p;
	if (small || (want <= SMALL && S_pooled)) { /* to another class, or between the two kinds */
		void *q = S_malloc(n);
		memcpy(q, p, had < want ? had : want);
		S_free(p);
		return q;
	}
	if (want >= LARGE && had < MAPPED && want > had) {
		/* the hint must come before the copy writes the new block */
		void *q = S_large(want);
		memcpy(q, p, had);
		free(p);
		return q;
	}
	p = liang_xrealloc(p, want);
	if (want >= LARGE)
		liang_prefer_huge_pages(p, want); /* the part grown into */
	return p;
}

static int S_roundup(int n)
{
	return (n + CLASS - 1) & ~(CLASS - 1);
}

static int S_init(void *unused)
{
	(void)unused;
	return SQLITE_OK;
}

static void S_shutdown(void *unused)
{
	(void)unused;
}

static const sqlite3_mem_methods S_methods = {S_malloc, S_free, S_realloc, S_size, S_roundup, S_init, S_shutdown, NULL};

const sqlite3_mem_methods *liang_sqlmem_methods(void)
{
	return &S_methods;
}

bool liang_sqlmem_pooled(void)
{
	return S_pooled;
}

bool liang_sqlmem_slab(const void *p)
{
	return S_class_of(p) != 0;
}

void liang_sqlmem_install(void)
{
	/* (set once, before any thread uses SQLite) */
	const char *pre = getenv("LD_PRELOAD");
	if (S_pooled && pre && strstr(pre, "vgpreload_memcheck"))
		S_pooled = false;
	/* no memory statistics: they cost a lock per allocation (SQLite
	 * refuses both once it has started: a second site opened keeps the
	 * first's) */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	sqlite3_config(SQLITE_CONFIG_MALLOC, &S_methods);
}
