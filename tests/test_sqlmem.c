/* Tests for sqlmem.c: the blocks SQLite is given, and SQLite on them. */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "sqlmem.h"
#include "unit.h"

static void fill(unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(seed + i * 7);
}

static bool same(const unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (unsigned char)(seed + i * 7))
			return false;
	return true;
}

/* Every size, small and large: aligned for any type, at least as large as
 * asked (xSize and xRoundup too), and writable to its last byte. */
static void sizes_and_alignment(void)
{
	const sqlite3_mem_methods *m = liang_sqlmem_methods();
	bool aligned = true, sized = true, rounded = true, exact = true, kept = true;
	void *blocks[2100];
	int sizes[2100];
	for (int n = 1; n <= 2100; n++) {
		unsigned char *p = m->xMalloc(n);
		aligned &= ((uintptr_t)p % 16) == 0;
		sized &= m->xSize(p) >= n;
		rounded &= m->xRoundup(n) >= n && m->xRoundup(n) % 8 == 0;
		/* a slab's block is exactly its class, which xRoundup gives */
		exact &= !liang_sqlmem_slab(p) || m->xSize(p) == m->xRoundup(n);
		/* SQLite may use every byte xSize reports */
		sizes[n - 1] = m->xSize(p);
		fill(p, (size_t)sizes[n - 1], (unsigned)n);
		blocks[n - 1] = p;
	}
	/* none overlaps another: each still holds its own pattern */
	for (int n = 1; n <= 2100; n++) {
		kept &= same(blocks[n - 1], (size_t)sizes[n - 1], (unsigned)n);
		m->xFree(blocks[n - 1]);
	}
	CHECK(aligned);
	CHECK(sized);
	CHECK(rounded);
	CHECK(exact);
	CHECK(kept);
	CHECK(m->xSize(NULL) == 0);
	m->xFree(NULL);
	/* a large block: the C library's, with its size */
	unsigned char *big = m->xMalloc(5 << 20);
	CHECK(m->xSize(big) >= 5 << 20);
	fill(big, 5 << 20, 3);
	CHECK(same(big, 5 << 20, 3));
	m->xFree(big);
}

/* A freed small block is the next one of its class, on the same thread;
 * a block of another class is not. */
static void reuse(void)
{
	const sqlite3_mem_methods *m = liang_sqlmem_methods();
	void *p = m->xMalloc(100);
	/* a slab's unless under a sanitizer (these tests run first, while
	 * there are slabs to hand out) */
	CHECK(liang_sqlmem_slab(p) == liang_sqlmem_pooled());
	if (!liang_sqlmem_slab(p)) {
		m->xFree(p);
		return;
	}
	m->xFree(p);
	void *q = m->xMalloc(97); /* 97–112: the class of 100 */
	CHECK(q == p);
	void *r = m->xMalloc(100);
	CHECK(r != q);
	m->xFree(r);
	void *s = m->xMalloc(200);
	CHECK(s != r);
	m->xFree(s);
	m->xFree(q);
}

/* Growing a block keeps what it holds, from one byte through the free
 * lists to a large block and back. */
static void realloc_keeps_content(void)
{
	const sqlite3_mem_methods *m = liang_sqlmem_methods();
	int n = 1;
	unsigned char *p = m->xMalloc(n);
	fill(p, 1, 9);
	bool kept = true;
	while (n < (6 << 20)) {
		int next = n + n / 2 + 1;
		p = m->xRealloc(p, next);
		kept &= same(p, (size_t)n, 9);
		fill(p, (size_t)next, 9);
		n = next;
	}
	CHECK(kept);
	p = m->xRealloc(p, 50); /* back to the free lists */
	CHECK(same(p, 50, 9));
	CHECK(m->xSize(p) >= 50);
	/* within its class: the same block */
	unsigned char *q = m->xMalloc(20);
	if (liang_sqlmem_slab(q))
		CHECK(m->xRealloc(q, 32) == q);
	else
		q = m->xRealloc(q, 32);
	m->xFree(q);
	m->xFree(p);
}

/* A block freed by another thread than the one that took it. */
enum { NB = 1000 };
static void *S_take(void *arg)
{
	void **blocks = arg;
	const sqlite3_mem_methods *m = liang_sqlmem_methods();
	for (int i = 0; i < NB; i++) {
		blocks[i] = m->xMalloc(48);
		fill(blocks[i], 48, (unsigned)i);
	}
	return NULL;
}

static void other_thread(void)
{
	const sqlite3_mem_methods *m = liang_sqlmem_methods();
	void *blocks[NB];
	pthread_t t;
	CHECK(pthread_create(&t, NULL, S_take, blocks) == 0);
	pthread_join(t, NULL);
	bool kept = true;
	for (int i = 0; i < NB; i++)
		kept &= same(blocks[i], 48, (unsigned)i);
	CHECK(kept);
	for (int i = 0; i < NB; i++)
		m->xFree(blocks[i]);
	/* now this thread's: handed out again (when they were the slabs'),
	 * and whole */
	bool again = false, slabs = liang_sqlmem_slab(blocks[NB - 1]);
	void *p = m->xMalloc(40);
	for (int i = 0; i < NB; i++)
		again |= p == blocks[i];
	CHECK(again || !slabs);
	fill(p, 40, 1);
	CHECK(same(p, 40, 1));
	m->xFree(p);
}

/* SQLite itself on these blocks (test_main.c installs them before any
 * test opens a database): strings made and dropped by the hundred
 * thousand, sorted and summed. */
static void sqlite_on_them(void)
{
	sqlite3 *db = NULL;
	CHECK(sqlite3_open(":memory:", &db) == SQLITE_OK);
	const char *sql = "CREATE TABLE t (k TEXT, v INTEGER);"
			  "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 "
			  "FROM n WHERE i < 20000)"
			  "INSERT INTO t SELECT printf('key-%05d', i % 997) || '-' "
			  "|| hex(randomblob(i % 40)), i FROM n;";
	CHECK(sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK);
	sqlite3_stmt *st = NULL;
	CHECK(sqlite3_prepare_v2(db,
				 "SELECT COUNT(*), SUM(v), COUNT(DISTINCT substr(k, 1, 9)), "
				 "length(group_concat(k)) FROM (SELECT k, v FROM t ORDER BY k DESC)",
				 -1, &st, NULL) == SQLITE_OK);
	CHECK(sqlite3_step(st) == SQLITE_ROW);
	CHECK(sqlite3_column_int64(st, 0) == 20000);
	CHECK(sqlite3_column_int64(st, 1) == 20000LL * 20001 / 2);
	CHECK(sqlite3_column_int64(st, 2) == 997);
	CHECK(sqlite3_column_int64(st, 3) > 20000 * 10);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* Once every slab is handed out, small blocks are the C library's, whole
 * and freed as such, while the blocks freed back to the slabs are handed
 * out again; SQLite goes on as before. A suite of its own, run after all
 * the others (test_main.c): it uses the range up (32 MB of 512-byte
 * blocks at most), and the range stays used up. */
static void range_used_up(void)
{
	const sqlite3_mem_methods *m = liang_sqlmem_methods();
	enum { MAX = (32 << 20) / 512 + 1 };
	void **blocks = malloc(MAX * sizeof *blocks);
	CHECK(blocks != NULL);
	if (!blocks)
		return;
	size_t n = 0;
	void *beyond = NULL;
	while (n < MAX) {
		void *p = m->xMalloc(512);
		if (!liang_sqlmem_slab(p)) {
			beyond = p;
			break;
		}
		blocks[n++] = p;
	}
	/* the C library's once the range is used up (at once when there are
	 * no slabs): within MAX - 1 blocks, all the range holds */
	CHECK(beyond != NULL);
	CHECK(liang_sqlmem_pooled() ? n > 0 : n == 0);
	if (!beyond) {
		for (size_t i = 0; i < n; i++)
			m->xFree(blocks[i]);
		free(blocks);
		return;
	}
	CHECK(m->xSize(beyond) >= 512);
	fill(beyond, (size_t)m->xSize(beyond), 5);
	/* a class with blocks left (on its free list, in its slab) hands
	 * them out, then goes to the C library too, for good: every block
	 * whole */
	enum { SMALLMAX = (32 << 20) / 48 + 1, AFTER = 200 };
	unsigned char **small = malloc((SMALLMAX + AFTER) * sizeof *small);
	CHECK(small != NULL);
	if (small) {
		size_t k = 0;
		while (k < SMALLMAX) {
			small[k] = m->xMalloc(40);
			fill(small[k], 40, (unsigned)k);
			if (!liang_sqlmem_slab(small[k++]))
				break;
		}
		CHECK(k < SMALLMAX);
		bool stays = true, whole = true;
		for (size_t i = 0; i < AFTER; i++) {
			small[k] = m->xMalloc(40);
			fill(small[k], 40, (unsigned)k);
			stays &= !liang_sqlmem_slab(small[k++]);
		}
		for (size_t i = 0; i < k; i++) {
			whole &= same(small[i], 40, (unsigned)i);
			m->xFree(small[i]);
		}
		CHECK(stays);
		CHECK(whole);
		free(small);
	}
	CHECK(same(beyond, (size_t)m->xSize(beyond), 5));
	/* a block of the C library grows as one, and keeps its bytes */
	unsigned char *g = m->xRealloc(beyond, 3000);
	CHECK(!liang_sqlmem_slab(g));
	CHECK(same(g, 512, 5));
	g = m->xRealloc(g, 100);
	CHECK(same(g, 100, 5));
	m->xFree(g);
	/* freed slab blocks are handed out again */
	for (size_t i = 0; i < n; i++)
		m->xFree(blocks[i]);
	void *again = m->xMalloc(500);
	CHECK(liang_sqlmem_slab(again) == liang_sqlmem_pooled());
	m->xFree(again);
	free(blocks);
}

UNIT_TESTS(sqlmem) = {
	{"sqlmem/sizes_and_alignment", sizes_and_alignment},
	{"sqlmem/reuse", reuse},
	{"sqlmem/realloc_keeps_content", realloc_keeps_content},
	{"sqlmem/other_thread", other_thread},
	{"sqlmem/sqlite_on_them", sqlite_on_them},
	{NULL, NULL},
};

UNIT_TESTS(sqlmem_used_up) = {
	{"sqlmem/range_used_up", range_used_up},
	/* and SQLite once there are no slabs left */
	{"sqlmem/sqlite_beyond_the_range", sqlite_on_them},
	{NULL, NULL},
};
