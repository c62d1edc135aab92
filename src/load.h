/* load — the CSV files of data/ into the database, every rule of DATA.md checked on
 * the way: columns, required values, types, enumerations, ranges,
 * lengths in characters, uniqueness, references to 集体编号, paths under
 * content/ and the photo rules of 图片作品. Problems are collected in the
 * site's diagnostics; rows with errors are not inserted. */
#ifndef LIANG_LOAD_H
#define LIANG_LOAD_H

#include "site.h"
#include "table.h"

/* Load every table of liang_tables in order. */
void liang_load_data(liang_site *s);

/* The checks of the 名额分配表 (warnings: they concern the work of the
 * cycle, not the correctness of the files): candidates of each region
 * and industry against quota_ratio × quota, and a 非公经济组织 or 社会组织
 * candidate in every region (the views quota_status and
 * region_without_private). Run after liang_site_params(). */
void liang_load_quota_checks(liang_site *s);
/* The checks across files (warnings): the quota checks and those the
 * statistics imply (liang_stats_warnings). Read-only on s->db. */
void liang_load_cross_checks(liang_site *s);

/* A 周期 as the data write it (2025-2026, 2025—2026, 2025～2026; at most
 * six years) into norm (32 bytes) as 2025-2026; false when it is not one. */
bool liang_parse_cycle(const char *v, char *norm);

#endif
