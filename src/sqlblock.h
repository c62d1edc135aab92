/* sqlblock — a read-only query written by a user (a ```sql block in a
 * notice), run against the public views with limits, its result as an
 * HTML table.
 *
 * An authorizer admits SELECT and reads of the public views only (a
 * private data_* table is visible only through a view); writes, ATTACH,
 * PRAGMA and every other action are refused. A progress handler stops a
 * query that runs too long, and at most LIANG_SQL_MAX_ROWS rows are
 * shown. */
#ifndef LIANG_SQLBLOCK_H
#define LIANG_SQLBLOCK_H

#include <sqlite3.h>

#include "buf.h"

#define LIANG_SQL_MAX_ROWS 500

/* Run sql and append an HTML <table> of the result to html. Returns 0,
 * or -1 with a Chinese reason in *err (caller frees). */
int liang_sql_table(sqlite3 *db, const char *sql, liang_buf *html, char **err);

#endif
