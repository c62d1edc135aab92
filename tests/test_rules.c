/* test_rules — every validation rule, asserted by its exact diagnostics.
 *
 * Each file tests/rules/NAME.txt is a case in the style of cmark's spec
 * tests: sections headed "=== PATH" replace (or, as "=== delete PATH",
 * remove) files of the valid site tests/fixtures/base; the section
 * "=== expect" lists every diagnostic `liang check` must print, in order,
 * and nothing else. */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdlib.h>
#include <unistd.h>

#include "buf.h"
#include "content.h"
#include "load.h"
#include "site.h"
#include "unit.h"
#include "util.h"

#define RULES_DIR "tests/rules"
#define BASE_DIR "tests/fixtures/base"

static int S_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* All diagnostics of checking site, one per line. */
static char *S_check(const char *site)
{
	liang_diags d;
	liang_diags_init(&d);
	liang_site s;
	if (liang_site_open(&s, site, &d, true) == 0) {
		/* as the CLI does (main.c S_load) but for liang_stats_warnings,
		 * which the statistics tests check */
		liang_load_data(&s);
		liang_content_load(&s);
		liang_site_date(&s);
		liang_site_params(&s);
		liang_load_quota_checks(&s);
	}
	liang_diags_sort(&d);
	liang_buf out = LIANG_BUF_INIT;
	for (size_t i = 0; i < d.n; i++) {
		char *line = liang_diag_format(&d.v[i]);
		liang_buf_printf(&out, "%s\n", line);
		free(line);
	}
	liang_site_close(&s);
	liang_diags_free(&d);
	return liang_buf_detach(&out);
}

static void S_write(const char *site, const char *rel, const char *text, size_t len)
{
	char *path = liang_path_join(site, rel);
	char *dir = liang_xstrdup(path);
	*strrchr(dir, '/') = '\0';
	liang_mkdirs(dir, 0755);
	FILE *f = fopen(path, "wb");
	if (f) {
		fwrite(text, 1, len, f);
		fclose(f);
	}
	free(dir);
	free(path);
}

static void S_run_case(const char *name)
{
	char *path = liang_xasprintf("%s/%s", RULES_DIR, name);
	size_t len;
	char *text = liang_file_read(path, &len);
	free(path);
	if (!text) {
		unit_failed++;
		fprintf(stderr, "FAIL rules/%s: cannot read\n", name);
		return;
	}
	char tmpl[] = "/tmp/liang-rules-XXXXXX";
	char *site = mkdtemp(tmpl);
	char *cmd = liang_xasprintf("cp -R %s/. %s", BASE_DIR, site);
	if (system(cmd) != 0)
		fprintf(stderr, "rules: %s failed\n", cmd);
	free(cmd);

	char *expect = liang_xstrdup("");
	const char *p = strstr(text, "=== ");
	while (p) {
		const char *eol = strchr(p, '\n');
		if (!eol)
			break;
		char *head = liang_xstrndup(p + 4, (size_t)(eol - p - 4));
		const char *body = eol + 1;
		/* an empty section ends where the next header starts */
		const char *next = strncmp(body, "=== ", 4) == 0 ? body - 1 : strstr(body, "\n=== ");
		size_t blen = next ? (size_t)(next + 1 - body) : strlen(body);
		if (!strcmp(head, "expect")) {
			free(expect);
			expect = liang_xstrndup(body, blen);
		} else if (!strncmp(head, "delete ", 7)) {
			char *victim = liang_path_join(site, head + 7);
			liang_remove_tree(victim);
			free(victim);
		} else {
			S_write(site, head, body, blen);
		}
		free(head);
		p = next ? next + 1 : NULL;
	}
	char *got = S_check(site);
	/* paths in messages name the temporary site: show them relative */
	if (strcmp(got, expect) == 0) {
		unit_passed++;
	} else {
		unit_failed++;
		fprintf(stderr, "FAIL rules/%s\n--- want\n%s--- got\n%s", name, expect, got);
	}
	free(got);
	free(expect);
	liang_remove_tree(site);
	free(text);
}

/* The database a build loads (in memory, in one image other threads map)
 * grows as far as memory allows: SQLite's default stops such an image at
 * 1 GB, and a site that large failed to load. */
static void database_grows_past_1gb(void)
{
	liang_diags d;
	liang_diags_init(&d);
	liang_site s;
	CHECK(liang_site_open_for(&s, BASE_DIR, &d, true, true) == 0);
	sqlite3_int64 limit = -1; /* asks for the limit in force */
	CHECK(sqlite3_file_control(s.db, "main", SQLITE_FCNTL_SIZE_LIMIT, &limit) == SQLITE_OK);
	CHECK(limit == LIANG_DB_LIMIT && limit > ((sqlite3_int64)1 << 30));
	liang_site_close(&s);
	liang_diags_free(&d);
}

/* A copy of the base fixture with collectives.csv giving B2 a mobile
 * hotline (public, so quoting it is allowed), activities.csv of 60 rows,
 * 说明 first, with an unknown collective in the row of lines 11–12 (its
 * 说明 spans two lines), the hotline on line 22 and a private mobile
 * number (A1's contact) in a quoted cell, after doubled quotes, on line
 * 32, and,
 * when pad, members.csv longer than activities.csv. */
static char *S_early_site(bool pad)
{
	char tmpl[] = "/tmp/liang-early-XXXXXX";
	char *site = liang_xstrdup(mkdtemp(tmpl));
	char *cmd = liang_xasprintf("cp -R %s/. %s", BASE_DIR, site);
	if (system(cmd) != 0)
		fprintf(stderr, "rules: %s failed\n", cmd);
	free(cmd);
	char *path = liang_path_join(site, "data/collectives.csv");
	size_t len;
	char *text = liang_file_read(path, &len);
	char *hot = text ? strstr(text, "0100-7654321") : NULL;
	if (hot)
		memcpy(hot, "137-00001111", 12);
	S_write(site, "data/collectives.csv", text ? text : "", text ? len : 0);
	free(text);
	free(path);
	liang_buf b = LIANG_BUF_INIT;
	liang_buf_puts(&b, "说明,编号,集体编号,日期,类型,标题,参与人数,服务人次,图片\n");
	for (int i = 1; i <= 60; i++) {
		const char *who = i == 10 ? "Z9" : i % 2 ? "A1" : "B2";
		const char *note = i == 10   ? "\"走进社区\n义诊\""
				   : i == 20 ? "咨询请拨13700001111。"
				   : i == 30 ? "\"报名\"\"请\"\"联系13912340001。\""
					     : "";
		liang_buf_printf(&b, "%s,H%03d,%s,2026-05-%02d,志愿服务,第%d次便民服务,5,20,\n", note, i, who, 1 + i % 28,
				 i);
	}
	S_write(site, "data/activities.csv", b.ptr, b.len);
	if (pad) {
		liang_buf_clear(&b);
		liang_buf_puts(&b, "集体编号,姓名,同意公开,岗位,出生年份,政治面貌,手机,照片\n");
		for (int i = 1; i <= 200; i++)
			liang_buf_printf(&b, "B2,成员%d,否,科员,1995,团员,,\n", i);
		S_write(site, "data/members.csv", b.ptr, b.len);
	}
	liang_buf_free(&b);
	return site;
}

/* The rows of data_activities of site, how many have id, and the table
 * read early. */
static void S_count(const char *site, const char *id, int *rows, int *with_id, const char **early)
{
	liang_diags d;
	liang_diags_init(&d);
	liang_site s;
	*rows = *with_id = -1;
	*early = NULL;
	if (liang_site_open_for(&s, site, &d, true, true) == 0) {
		liang_load_data(&s);
		*early = s.early_table;
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(s.db, "SELECT count(*), count(*) FILTER (WHERE id = ?) FROM data_activities",
				       -1, &st, NULL) == SQLITE_OK) {
			sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
			if (sqlite3_step(st) == SQLITE_ROW) {
				*rows = sqlite3_column_int(st, 0);
				*with_id = sqlite3_column_int(st, 1);
			}
			sqlite3_finalize(st);
		}
	}
	liang_site_close(&s);
	liang_diags_free(&d);
}

/* The largest table after collectives.csv is read while that file still
 * loads, and checks its references to collectives and its public text
 * once they are in (load.c): its diagnostics are those it has when read
 * after them (as when members.csv is the larger), and a row with an
 * unknown collective is not kept. */
static void early_table_checks(void)
{
	char *early = S_early_site(false), *late = S_early_site(true);
	char *got = S_check(early), *want = S_check(late);
	CHECK_STR(got, want);
	CHECK(strstr(got, "data/activities.csv:12:10: error: 集体编号 “Z9” 在 collectives.csv 中不存在\n") != NULL);
	CHECK(strstr(got, "data/activities.csv:32:11: error: 说明中有疑似个人手机号码 139****0001") != NULL);
	CHECK(strstr(got, "137****1111") == NULL);
	CHECK(strstr(got, ":22:") == NULL);
	int rows, with_id;
	const char *which;
	S_count(early, "H010", &rows, &with_id, &which);
	CHECK(rows == 59 && with_id == 0);
	CHECK(which && !strcmp(which, "activities"));
	S_count(late, "H010", &rows, &with_id, &which);
	CHECK(rows == 59 && with_id == 0);
	CHECK(which && !strcmp(which, "members"));
	free(got);
	free(want);
	liang_remove_tree(early);
	liang_remove_tree(late);
	free(early);
	free(late);
}

static void rules(void)
{
	DIR *d = opendir(RULES_DIR);
	if (!d) {
		unit_failed++;
		fprintf(stderr, "FAIL rules: no %s (run from the repository root)\n", RULES_DIR);
		return;
	}
	char **names = NULL;
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		if (liang_has_suffix_ci(e->d_name, ".txt")) {
			names = liang_xrealloc(names, (n + 1) * sizeof *names);
			names[n++] = liang_xstrdup(e->d_name);
		}
	closedir(d);
	qsort(names, n, sizeof *names, S_cmp);
	for (size_t i = 0; i < n; i++) {
		S_run_case(names[i]);
		free(names[i]);
	}
	free(names);
}

static void base_fixture_is_clean(void)
{
	char *got = S_check(BASE_DIR);
	CHECK_STR(got, "");
	free(got);
}

UNIT_TESTS(rules) = {
	{"rules/base_fixture_is_clean", base_fixture_is_clean},
	{"rules/database_grows_past_1gb", database_grows_past_1gb},
	{"rules/cases", rules},
	{"rules/early_table_checks", early_table_checks},
	{NULL, NULL},
};
