/* sqlblock — a read-only query written by a user (a ```sql block in a
 * notice or page), run against the public views with limits.
 *
 * An authorizer admits SELECT and reads of the public views only (a
 * private data_* table is visible only through a view); writes, ATTACH,
 * PRAGMA and every other action are refused. A progress handler stops a
 * query that runs too long, and at most LIANG_SQL_MAX_ROWS rows are kept.
 *
 * The database does not change while a site is rendered, so a result is
 * a function of the query text: a cache runs each distinct query once,
 * however many notices repeat it (a city's notices often do). */
#ifndef LIANG_SQLBLOCK_H
#define LIANG_SQLBLOCK_H

#include <pthread.h>
#include <stdbool.h>
#include <sqlite3.h>

#include "buf.h"
#include "strmap.h"

#define LIANG_SQL_MAX_ROWS 500

typedef struct liang_sqlresult {
	char *err;            /* a Chinese reason when the query failed */
	int ncol;
	long nrows;
	bool truncated;       /* more than LIANG_SQL_MAX_ROWS rows */
	char **names;         /* ncol column names */
	char **cells;         /* nrows × ncol texts, NULL for SQL NULL */
	unsigned char *types; /* nrows × ncol SQLITE_INTEGER, _FLOAT, _TEXT, … */
} liang_sqlresult;

typedef struct liang_sqlcache {
	liang_strmap index; /* query text → slot in items */
	liang_sqlresult **items; /* NULL while its query runs */
	size_t n, cap;
	long hits;
	pthread_mutex_t lock; /* pages render on two threads */
	pthread_cond_t ready; /* a result came in */
} liang_sqlcache;

void liang_sqlcache_init(liang_sqlcache *c);
void liang_sqlcache_free(liang_sqlcache *c);

/* Run sql once (or find its earlier result in c, when c is not NULL).
 * The result belongs to the cache, or to the caller (liang_sqlresult_free)
 * when c is NULL. Never NULL; a failure has err set. */
liang_sqlresult *liang_sql_run(liang_sqlcache *c, sqlite3 *db, const char *sql);
void liang_sqlresult_free(liang_sqlresult *r);

/* Run liang's own SQL (a named query), without the limits and the
 * authorizer of user queries, keeping at most max_rows rows. Never NULL;
 * a failure has err set. */
liang_sqlresult *liang_sql_query(sqlite3 *db, const char *sql, long max_rows);

/* Open the region a wide table scrolls in on a phone: focusable, named
 * "KIND：HEAD、HEAD…（可左右滚动）" by its column headings (the first 40
 * characters of them), so that two tables of a page have two names. */
void liang_table_region_open(liang_buf *html, const char *kind, const char *const *heads, size_t n);
/* Append the result as an accessible HTML table (scrollable on a phone),
 * every value escaped; numbers are right-aligned. */
void liang_sql_table_html(const liang_sqlresult *r, liang_buf *html);
/* Whether v (NULL: empty) is a word a few characters wide (at most 13
 * columns, a Hanzi taking two: a region, a date, a phone number), which
 * a table keeps on one line rather than wrap; of every value of column
 * col of r. */
bool liang_text_short(const char *v);
bool liang_sql_column_short(const liang_sqlresult *r, int col);

#endif
