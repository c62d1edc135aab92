/* stats — the rankings, statistics and compliance checks of stats.sql,
 * by name, printed as TSV, CSV or JSON (`liang stats`). */
#ifndef LIANG_STATS_H
#define LIANG_STATS_H

#include <stdio.h>

#include <sqlite3.h>

#include "site.h"

typedef struct liang_stat {
	const char *name;  /* ranking; the query of that name in stats.sql */
	const char *title; /* 综合得分排名 */
	const char *about; /* one line on what it is */
} liang_stat;

extern const liang_stat liang_stats[];
extern const size_t liang_nstats;

const liang_stat *liang_stat_find(const char *name);

/* The SQL of the statistic (or any query of stats.sql) `name`, after
 * making on db the base_… tables it reads (once per connection, or once
 * for the connections of a liang_stat_share); NULL when there is no such
 * query or a base fails (the error is db's). Every statistic is run
 * through this. */
const char *liang_stat_sql(sqlite3 *db, const char *name);

/* The base_… tables made once for several connections (the threads of
 * `liang stats all`, and the two rendering threads of a build): a thread that calls liang_stat_share_use(sh) makes
 * a base table for all of them, or maps the one another made. Free it
 * after closing every connection that used it. */
typedef struct liang_stat_share liang_stat_share;
liang_stat_share *liang_stat_share_new(void);
void liang_stat_share_use(liang_stat_share *sh); /* this thread; NULL: none */
void liang_stat_share_free(liang_stat_share *sh);

typedef enum { LIANG_TSV, LIANG_CSV, LIANG_JSON } liang_format;

/* Run stat `name` on db and print it with a header row (TSV, CSV) or as
 * an array of objects (JSON). Returns 0, or -1 with a message on stderr. */
int liang_stats_print(sqlite3 *db, const char *name, liang_format f, FILE *fp);

/* Register the SQL functions stats.sql uses on db:
 * liang_months(date, 'YYYY-MM') — aggregate: the set of months of the
 * dates, counted from the month given (a BLOB, bit i for month i; NULL
 * when empty), in one pass without sorting;
 * liang_months_list(set, 'YYYY-MM') — those months, "2025-01;2025-03";
 * liang_months_missed(set, 'YYYY-MM', n) — of the n months from the one
 * given, those not in set, as runs ("2025-01 至 2025-04、2025-06"); NULL
 * when none is missed;
 * liang_tally(key, a, b) — aggregate: per distinct key the rows, Σa and
 * Σb (integers, NULL as 0), as a JSON array of [key, rows, Σa, Σb] in
 * the byte order of the keys, for json_each: a GROUP BY of few groups
 * over many rows, without sorting the rows. */
int liang_stats_register(sqlite3 *db);

/* Warnings the statistics imply about the data (an assessment item
 * missing, which counts 0). Call after liang_site_params. */
void liang_stats_warnings(liang_site *s);

#endif
