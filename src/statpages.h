/* statpages — the figures of stats.sql on the site: /stats/ (the
 * statistics, each as a chart with its table), /stats/compliance/ (the
 * findings by rule, and all of them as CSV), /rankings/ (综合得分, paged),
 * /rankings/satisfaction/ and /rankings/units/, and the ranks and
 * findings on each collective's page.
 *
 * The rankings, satisfaction and compliance results are computed once
 * per build into tables of the database (liang_statpages_prepare), so
 * that thousands of collective pages look their figures up by 编号
 * instead of running the window functions again. */
#ifndef LIANG_STATPAGES_H
#define LIANG_STATPAGES_H

#include "builder.h"
#include "chart.h"

/* Store stat_ranking, stat_satisfaction, stat_compliance and their
 * counts in the database schema of db: "main" (before the database is
 * shared with other threads), or a database attached to a reader. Returns
 * 0, or -1 with the failure reported. */
int liang_statpages_prepare(liang_site *s, sqlite3 *db, const char *schema);

/* The chart of statistic `query` of stats.sql (levels, region_levels,
 * activity_months…) as the site draws it, for other writers (the annual
 * report): its kind, series and Chinese names. False, and c empty, when
 * the statistic has no chart or no rows. */
bool liang_stat_chart(sqlite3 *db, const char *query, liang_chart *c);

/* Write /stats/, /stats/compliance/ and /rankings/… */
void liang_statpages_build(builder *b);

/* The statements a thread uses to add ranks and findings to the pages of
 * collectives: cursors the page writer starts for each chunk. */
typedef struct liang_statq {
	liang_cursor rank, sat, find; /* builder.h: in step with the pages */
} liang_statq;

void liang_statq_open(builder *b, liang_statq *q);
void liang_statq_close(liang_statq *q);
/* Set `ranks` (score, rank, of, region_rank, region_of, industry_rank,
 * industry_of, cycle; satisfaction rank and of) and `findings` (clause,
 * detail) in the scope of collective id, the next of the chunk. */
void liang_statq_collective(builder *b, liang_statq *q, const char *id, liang_value *scope);

#endif
