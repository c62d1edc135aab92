/* Tests for stats.c: the SQL functions stats.sql uses. */
#include <sqlite3.h>

#include "stats.h"
#include "unit.h"

static char got[512];
/* The first value of a query as text, "NULL" for NULL. */
static const char *sql1(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	snprintf(got, sizeof got, "(error)");
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return got;
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(st, 0);
		snprintf(got, sizeof got, "%s", v ? v : "NULL");
	}
	sqlite3_finalize(st);
	return got;
}

/* liang_months_missed(set, first, n) as text, the set given as the bits
 * of mask (the blob liang_months makes: bit i in byte i / 8). */
static const char *missed(sqlite3 *db, long long mask, const char *first, int n)
{
	char sql[160];
	unsigned long long m = (unsigned long long)mask;
	int k = snprintf(sql, sizeof sql, "SELECT liang_months_missed(X'");
	for (int i = 0; i < 8; i++)
		k += snprintf(sql + k, sizeof sql - (size_t)k, "%02X", (unsigned)(m >> (8 * i) & 0xFF));
	snprintf(sql + k, sizeof sql - (size_t)k, "', '%s', %d)", first, n);
	return sql1(db, sql);
}

/* An in-memory database with stats.c's functions, set up by the SQL. */
static sqlite3 *S_db(const char *setup)
{
	sqlite3 *db;
	sqlite3_open(":memory:", &db);
	CHECK(liang_stats_register(db) == SQLITE_OK);
	CHECK(sqlite3_exec(db, setup, NULL, NULL, NULL) == SQLITE_OK);
	return db;
}

static void months_missed(void)
{
	sqlite3 *db = S_db("");
	/* every month held */
	CHECK_STR(missed(db, 0xF, "2025-01", 4), "NULL");
	/* none held: one run */
	CHECK_STR(missed(db, 0, "2025-01", 4), "2025-01 至 2025-04");
	/* a single month, then a run to the end */
	CHECK_STR(missed(db, 0x2, "2025-01", 4), "2025-01、2025-03 至 2025-04");
	/* runs across the year's end; bits beyond n do not count */
	CHECK_STR(missed(db, 0x1 | 0x10 | 0x100, "2025-10", 6), "2025-11 至 2026-01、2026-03");
	CHECK_STR(missed(db, 0x5, "2025-12", 3), "2026-01");
	/* nothing to check, or a bad month */
	CHECK_STR(missed(db, 0, "2025-01", 0), "NULL");
	CHECK_STR(missed(db, 0, "2025-13", 2), "NULL");
	CHECK_STR(missed(db, 0, "x", 2), "NULL");
	/* a two-year cycle: 24 bits */
	CHECK_STR(missed(db, 0xFFFFFF & ~(1LL << 23), "2025-01", 24), "2026-12");
	sqlite3_close(db);
}

static void month_sets(void)
{
	sqlite3 *db = S_db("CREATE TABLE d(c, date);"
			   "INSERT INTO d VALUES ('A', '2025-03-02'), ('A', '2025-03-30'), ('A', '2025-01-15'),"
			   " ('A', '2026-12-31'), ('A', '2024-12-31'), ('A', NULL), ('A', 'x'),"
			   " ('B', '2027-01-01'), ('C', '2030-12-01');");
	/* the months held, oldest first, each once; dates before the first
	 * month, empty or not a date do not count */
	CHECK_STR(sql1(db, "SELECT liang_months_list(liang_months(date, '2025-01'), '2025-01') FROM d WHERE c = 'A'"),
		  "2025-01;2025-03;2026-12");
	CHECK_STR(sql1(db, "SELECT liang_months_missed(liang_months(date, '2025-01'), '2025-01', 24) FROM d WHERE c = 'A'"),
		  "2025-02、2025-04 至 2026-11");
	/* no month in the set: NULL, and every month missed */
	CHECK_STR(sql1(db, "SELECT quote(liang_months(date, '2025-01')) FROM d WHERE c = 'Z'"), "NULL");
	CHECK_STR(sql1(db, "SELECT liang_months_list(NULL, '2025-01')"), "NULL");
	CHECK_STR(sql1(db, "SELECT liang_months_missed(NULL, '2025-01', 3)"), "2025-01 至 2025-03");
	/* a six-year cycle: month 72 and beyond 63 bits are kept */
	CHECK_STR(sql1(db, "SELECT liang_months_list(liang_months(date, '2025-01'), '2025-01') FROM d WHERE c = 'C'"),
		  "2030-12");
	CHECK_STR(sql1(db, "SELECT liang_months_missed(liang_months(date, '2025-01'), '2025-01', 72) FROM d WHERE c = 'C'"),
		  "2025-01 至 2030-11");
	/* a month of a later cycle only */
	CHECK_STR(sql1(db, "SELECT liang_months_list(liang_months(date, '2027-01'), '2027-01') FROM d"),
		  "2027-01;2030-12");
	sqlite3_close(db);
}

static void tally(void)
{
	sqlite3 *db = S_db("CREATE TABLE r(k, a, b);"
			   "INSERT INTO r VALUES ('b', 1, 2), ('a', 10, NULL), ('b', 3, 4), ('a\"q', NULL, 5),"
			   " (NULL, 7, 7), ('ab', 1, 1), ('a', 20, 1), ('t' || char(9) || char(1), 0, 0);");
	/* per key in byte order: rows, Σa, Σb; NULL values count 0, a NULL
	 * key is no group; the key is escaped as JSON */
	CHECK_STR(sql1(db, "SELECT liang_tally(k, a, b) FROM r"),
		  "[[\"a\",2,30,1],[\"a\\\"q\",1,0,5],[\"ab\",1,1,1],[\"b\",2,4,6],[\"t\\t\\u0001\",1,0,0]]");
	CHECK_STR(sql1(db, "SELECT quote(liang_tally(k, a, b)) FROM r WHERE 0"), "NULL");
	/* what GROUP BY gives, through json_each */
	char want[256];
	snprintf(want, sizeof want, "%s",
		 sql1(db, "SELECT group_concat(x, ';') FROM (SELECT k || '=' || COUNT(*) || ',' || "
			  "SUM(COALESCE(a, 0)) AS x FROM r WHERE k IS NOT NULL GROUP BY k ORDER BY k)"));
	CHECK_STR(sql1(db, "SELECT group_concat(x, ';') FROM (SELECT json_extract(g.value, '$[0]') || '=' || "
			   "json_extract(g.value, '$[1]') || ',' || json_extract(g.value, '$[2]') AS x "
			   "FROM (SELECT liang_tally(k, a, b) AS j FROM r), json_each(j) AS g)"),
		  want);
	CHECK(strcmp(want, "a=2,30;a\"q=1,0;ab=1,1;b=2,4;t\t\001=1,0") == 0);
	sqlite3_close(db);
}

/* Base tables shared between connections: the first connection to need
 * one makes it, the next maps that one (read-only) instead of its own. */
static void shared_bases(void)
{
	const char *schema = "CREATE TABLE data_surveys(collective, quarter, responses, satisfied, complaints, resolved);";
	sqlite3 *a = S_db(schema), *b = S_db(schema);
	CHECK(sqlite3_exec(a, "INSERT INTO data_surveys VALUES ('A', '2026Q1', 40, 30, 2, 1)", NULL, NULL, NULL) ==
	      SQLITE_OK);
	CHECK(sqlite3_exec(b, "INSERT INTO data_surveys VALUES ('A', '2026Q1', 99, 90, 0, 0)", NULL, NULL, NULL) ==
	      SQLITE_OK);
	liang_stat_share *sh = liang_stat_share_new();
	liang_stat_share_use(sh);
	CHECK(liang_stat_sql(a, "satisfaction") != NULL);
	CHECK(liang_stat_sql(b, "satisfaction") != NULL);
	CHECK_STR(sql1(a, "SELECT responses FROM base_surveys"), "40");
	CHECK_STR(sql1(b, "SELECT responses FROM base_surveys"), "40"); /* a's, not made again */
	CHECK(sqlite3_exec(b, "INSERT INTO base_surveys(collective) VALUES ('B')", NULL, NULL, NULL) != SQLITE_OK);
	/* asked again: there already */
	CHECK(liang_stat_sql(b, "satisfaction_bands") != NULL);
	CHECK_STR(sql1(b, "SELECT COUNT(*) FROM base_surveys"), "1");
	liang_stat_share_use(NULL);
	sqlite3_close(a);
	sqlite3_close(b);
	liang_stat_share_free(sh);
	/* without a share each connection makes its own */
	sqlite3 *c = S_db(schema);
	CHECK(sqlite3_exec(c, "INSERT INTO data_surveys VALUES ('A', '2026Q1', 7, 7, 0, 0)", NULL, NULL, NULL) ==
	      SQLITE_OK);
	CHECK(liang_stat_sql(c, "satisfaction") != NULL);
	CHECK_STR(sql1(c, "SELECT responses FROM temp.base_surveys"), "7");
	sqlite3_close(c);
}

UNIT_TESTS(stats) = {
	{"stats/shared_bases", shared_bases},
	{"stats/tally", tally},
	{"stats/months_missed", months_missed},
	{"stats/month_sets", month_sets},
	{NULL, NULL},
};
