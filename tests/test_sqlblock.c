/* Tests for sqlblock: user queries read public views only, within
 * limits, and each distinct query runs once. */
#include <sqlite3.h>
#include <stdlib.h>

#include "sqlblock.h"
#include "unit.h"

static sqlite3 *S_db(void)
{
	sqlite3 *db;
	sqlite3_open(":memory:", &db);
	sqlite3_exec(db,
		     "CREATE TABLE data_people(name TEXT, phone TEXT, n INTEGER);"
		     "INSERT INTO data_people VALUES ('甲', '13800000000', 1), ('<b>乙</b>', '13900000000', 2);"
		     "CREATE VIEW people AS SELECT name, n FROM data_people;",
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
	CHECK(strstr(liang_buf_cstr(&html), "<td>&lt;b&gt;乙&lt;/b&gt;</td><td class=\"num\">2</td>") != NULL);
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
		"SELECT 1; SELECT 2",
		"SELEKT 1",
		"",
	};
	for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
		r = liang_sql_run(NULL, db, refused[i]);
		CHECK(r->err != NULL);
		liang_sqlresult_free(r);
	}
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

UNIT_TESTS(sqlblock) = {
	{"sqlblock_reads_views_not_tables", reads_views_not_tables},
	{"sqlblock_caches_by_text", caches_by_text},
	{NULL, NULL},
};
