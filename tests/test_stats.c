/* Tests for stats.c: the SQL functions stats.sql uses. */
#include <sqlite3.h>

#include "stats.h"
#include "unit.h"

/* liang_months_missed(mask, first, n) as text, "NULL" for NULL. */
static char got[512];
static const char *missed(sqlite3 *db, long long mask, const char *first, int n)
{
	sqlite3_stmt *st;
	snprintf(got, sizeof got, "(error)");
	if (sqlite3_prepare_v2(db, "SELECT liang_months_missed(?1, ?2, ?3)", -1, &st, NULL) != SQLITE_OK)
		return got;
	sqlite3_bind_int64(st, 1, mask);
	sqlite3_bind_text(st, 2, first, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, n);
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(st, 0);
		snprintf(got, sizeof got, "%s", v ? v : "NULL");
	}
	sqlite3_finalize(st);
	return got;
}

static void months_missed(void)
{
	sqlite3 *db;
	sqlite3_open(":memory:", &db);
	CHECK(liang_stats_register(db) == SQLITE_OK);
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

UNIT_TESTS(stats) = {
	{"stats/months_missed", months_missed},
	{NULL, NULL},
};
