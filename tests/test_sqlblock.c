/* Tests for sqlblock: user queries read public views only, within
 * limits, and each distinct query runs once. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#include "sqlblock.h"
#include "unit.h"

static sqlite3 *S_db(void)
{
	sqlite3 *db;
	sqlite3_open(":memory:", &db);
	sqlite3_exec(db,
		     "CREATE TABLE data_people(name TEXT, phone TEXT, n INTEGER);"
		     "INSERT INTO data_people VALUES ('甲', '13800000000', 1), ('<b>乙</b>', '13900000000', 2);"
		     "CREATE VIEW people AS SELECT name, n FROM data_people;"
		     /* as a build has them: a refusal must be the guard's, not
		      * a missing table */
		     "CREATE TEMP TABLE stat_ranking(id TEXT); CREATE TEMP TABLE base_surveys(n INTEGER);"
		     "CREATE TEMP TABLE base_activity_months(n INTEGER);",
		     NULL, NULL, NULL);
	return db;
}

static void reads_views_not_tables(void)
{
	sqlite3 *db = S_db();
	liang_sqlresult *r = liang_sql_run(NULL, db, "SELECT name AS 名称, n FROM people ORDER BY n");
	CHECK(r->err == NULL);
	CHECK(r->ncol == 2 && r->nrows == 2);
	CHECK_STR(r->names[0], "名称");
	CHECK_STR(r->cells[2], "<b>乙</b>");
	CHECK(r->types[1] == SQLITE_INTEGER);
	liang_buf html = LIANG_BUF_INIT;
	liang_sql_table_html(r, &html);
	CHECK(strstr(liang_buf_cstr(&html), "<th scope=\"col\">名称</th>") != NULL);
	/* its scroll region named by its columns: two tables, two names */
	CHECK(strstr(liang_buf_cstr(&html), "role=\"region\" aria-label=\"查询结果：名称、n（可左右滚动）\"><table") != NULL);
	CHECK(strstr(liang_buf_cstr(&html), "<td class=\"short\">&lt;b&gt;乙&lt;/b&gt;</td><td class=\"num\">2</td>") !=
	      NULL);
	liang_buf_free(&html);
	liang_sqlresult_free(r);

	/* a column of words kept on one line, of longer text wrapped: 13
	 * columns wide at most, a Hanzi taking two */
	r = liang_sql_run(NULL, db,
			  "SELECT '0739-8538120' AS a, '临澜高新区' AS b, '临澜高新区云' AS c, '临澜高新区云岭' AS d, "
			  "'0739-853812012' AS e, 'x' AS f UNION ALL SELECT NULL, '', 'y', 'z', 'w', '十四个字的一行文字仍算长文字'");
	CHECK(r->err == NULL && r->nrows == 2);
	static const bool want[] = {true, true, true, false, false, false};
	for (int i = 0; i < 6; i++)
		CHECK(liang_sql_column_short(r, i) == want[i]);
	liang_sql_table_html(r, &html);
	CHECK(strstr(liang_buf_cstr(&html),
		     "<td class=\"short\">0739-8538120</td><td class=\"short\">临澜高新区</td><td class=\"short\">临澜高新区云</td>"
		     "<td class=\"text\">临澜高新区云岭</td><td class=\"text\">0739-853812012</td><td class=\"text\">x</td>") != NULL);
	liang_buf_free(&html);
	liang_sqlresult_free(r);

	static const char *const refused[] = {
		"SELECT phone FROM data_people",
		"SELECT COUNT(*) FROM data_people",
		"SELECT COUNT(*) FROM \"DATA_people\"",
		"SELECT COUNT(*) FROM [data_people]",
		"DELETE FROM data_people",
		"PRAGMA table_info(data_people)",
		"ATTACH ':memory:' AS x",
		"SELECT * FROM sqlite_master",
		"SELECT * FROM stat_ranking",
		"SELECT * FROM base_surveys",
		"SELECT COUNT(*) FROM base_surveys",
		"SELECT * FROM \"BASE_activity_months\"",
		"SELECT 1; SELECT 2",
		"SELEKT 1",
		"",
	};
	for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
		r = liang_sql_run(NULL, db, refused[i]);
		CHECK(r->err != NULL && strstr(r->err, "no such") == NULL);
		if (!r->err || strstr(r->err, "no such"))
			fprintf(stderr, "  not refused by the guard: %s\n", refused[i]);
		liang_sqlresult_free(r);
	}
	/* an alias that begins like an internal name is the query's own */
	r = liang_sql_run(NULL, db, "SELECT COUNT(*) AS base_count FROM people");
	CHECK(r->err == NULL);
	liang_sqlresult_free(r);
	/* count(*) through a view; the name of a table in a string or a comment */
	r = liang_sql_run(NULL, db, "SELECT COUNT(*), 'data_people' AS t FROM people -- not data_people");
	CHECK(r->err == NULL && r->nrows == 1);
	CHECK_STR(r->cells[1], "data_people");
	liang_sqlresult_free(r);
	/* a query that never ends is stopped */
	r = liang_sql_run(NULL, db,
			  "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT COUNT(*) FROM c");
	CHECK(r->err != NULL && strstr(r->err, "过长") != NULL);
	liang_sqlresult_free(r);
	/* rows beyond the limit are cut */
	r = liang_sql_run(NULL, db,
			  "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 600) SELECT x FROM c");
	CHECK(r->err == NULL && r->nrows == LIANG_SQL_MAX_ROWS && r->truncated);
	liang_sqlresult_free(r);
	sqlite3_close(db);
}

static void caches_by_text(void)
{
	sqlite3 *db = S_db();
	liang_sqlcache c;
	liang_sqlcache_init(&c);
	liang_sqlresult *a = liang_sql_run(&c, db, "SELECT COUNT(*) FROM people");
	liang_sqlresult *b = liang_sql_run(&c, db, "SELECT COUNT(*) FROM people");
	CHECK(a == b && c.hits == 1);
	CHECK_STR(a->cells[0], "2");
	liang_sqlresult *e1 = liang_sql_run(&c, db, "SELECT phone FROM data_people");
	liang_sqlresult *e2 = liang_sql_run(&c, db, "SELECT phone FROM data_people");
	CHECK(e1 == e2 && e1->err != NULL); /* errors are remembered too */
	CHECK(liang_sql_run(&c, db, "SELECT COUNT(*) FROM people ") != a);
	liang_sqlcache_free(&c);
	sqlite3_close(db);
}

/* A query that takes a while (a few hundred milliseconds). */
#define SLOW "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 1000000) SELECT COUNT(*) FROM r"

typedef struct {
	liang_sqlcache *c;
	liang_sqlresult *r;
	atomic_bool done;
} slow_run;

static void *S_slow(void *arg)
{
	slow_run *x = arg;
	sqlite3 *db = S_db();
	x->r = liang_sql_run(x->c, db, SLOW);
	atomic_store(&x->done, true);
	sqlite3_close(db);
	return NULL;
}

/* Two threads, each with its own connection: a query runs outside the
 * cache's lock, so another query is not held up by it, and a thread that
 * asks for a query still running waits for that one result. */
static void two_threads_share_the_cache(void)
{
	liang_sqlcache c;
	liang_sqlcache_init(&c);
	slow_run x = {&c, NULL, false};
	pthread_t th;
	CHECK(pthread_create(&th, NULL, S_slow, &x) == 0);
	/* wait until the other thread has taken the slot of SLOW */
	for (bool taken = false; !taken;) {
		pthread_mutex_lock(&c.lock);
		taken = c.n == 1;
		pthread_mutex_unlock(&c.lock);
		if (!taken)
			nanosleep(&(struct timespec){0, 1000000}, NULL);
	}
	sqlite3 *db = S_db();
	liang_sqlresult *quick = liang_sql_run(&c, db, "SELECT COUNT(*) FROM people");
	CHECK_STR(quick->cells[0], "2");
	CHECK(!atomic_load(&x.done)); /* not held up by the slow query */
	liang_sqlresult *same = liang_sql_run(&c, db, SLOW);
	CHECK(same->err == NULL);
	if (same->err)
		fprintf(stderr, "  %s\n", same->err);
	else
		CHECK_STR(same->cells[0], "1000000");
	pthread_join(th, NULL);
	CHECK(same == x.r);          /* one result, made once */
	CHECK(c.n == 2 && c.hits == 1);
	sqlite3_close(db);
	liang_sqlcache_free(&c);
}

UNIT_TESTS(sqlblock) = {
	{"sqlblock_reads_views_not_tables", reads_views_not_tables},
	{"sqlblock_caches_by_text", caches_by_text},
	{"sqlblock_two_threads_share_the_cache", two_threads_share_the_cache},
	{NULL, NULL},
};
