/* sqlblock — read-only user queries. */
#include "sqlblock.h"

#include <stdlib.h>
#include <string.h>

#include "template.h"
#include "util.h"

/* VM steps a query may take (about a second of work): enough for any
 * summary of a city's data, and a bound on a query that never ends. */
#define MAX_STEPS 50000000

typedef struct guard {
	long steps;
	const char *refused; /* what the authorizer refused, for the message */
} guard;

static int S_authorize(void *arg, int action, const char *a, const char *b, const char *db,
		       const char *view)
{
	guard *g = arg;
	(void)b;
	(void)db;
	switch (action) {
	case SQLITE_FUNCTION:
		if (b && !strcmp(b, "load_extension")) {
			g->refused = "load_extension";
			return SQLITE_DENY;
		}
		return SQLITE_OK;
	case SQLITE_SELECT:
	case SQLITE_RECURSIVE:
		return SQLITE_OK;
	case SQLITE_READ:
		/* the private tables only through a public view */
		if (a && !strncmp(a, "data_", 5) && !view) {
			g->refused = "直接读取内部数据表（请使用公开视图，如 collectives、activities）";
			return SQLITE_DENY;
		}
		if (a && !strncmp(a, "sqlite_", 7) && !view) {
			g->refused = "读取数据库内部表";
			return SQLITE_DENY;
		}
		return SQLITE_OK;
	case SQLITE_PRAGMA:
		g->refused = "PRAGMA";
		return SQLITE_DENY;
	case SQLITE_ATTACH:
	case SQLITE_DETACH:
		g->refused = "ATTACH/DETACH";
		return SQLITE_DENY;
	default:
		g->refused = "修改数据";
		return SQLITE_DENY;
	}
}

static int S_progress(void *arg)
{
	guard *g = arg;
	g->steps += 1000;
	return g->steps > MAX_STEPS;
}

int liang_sql_table(sqlite3 *db, const char *sql, liang_buf *html, char **err)
{
	guard g = {0, NULL};
	*err = NULL;
	sqlite3_set_authorizer(db, S_authorize, &g);
	sqlite3_progress_handler(db, 1000, S_progress, &g);
	sqlite3_stmt *st = NULL;
	const char *tail = NULL;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, &tail);
	int result = 0;
	if (rc != SQLITE_OK) {
		if (g.refused)
			*err = liang_xasprintf("不允许的查询：%s；sql 代码块只能用 SELECT 读取公开数据", g.refused);
		else
			*err = liang_xasprintf("SQL 有误：%s", sqlite3_errmsg(db));
		result = -1;
		goto done;
	}
	while (tail && (*tail == ' ' || *tail == '\n' || *tail == '\t' || *tail == '\r' || *tail == ';'))
		tail++;
	if (tail && *tail) {
		*err = liang_xstrdup("一个 sql 代码块只能有一条查询语句");
		result = -1;
		goto done;
	}
	if (!sqlite3_stmt_readonly(st)) {
		*err = liang_xstrdup("不允许的查询：sql 代码块只能用 SELECT 读取数据");
		result = -1;
		goto done;
	}
	int ncol = sqlite3_column_count(st);
	liang_buf out = LIANG_BUF_INIT;
	liang_buf_puts(&out, "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"查询结果（可左右滚动）\"><table class=\"data\">\n<thead><tr>");
	for (int i = 0; i < ncol; i++) {
		const char *name = sqlite3_column_name(st, i);
		liang_buf_puts(&out, "<th scope=\"col\">");
		liang_html_text(&out, name, strlen(name));
		liang_buf_puts(&out, "</th>");
	}
	liang_buf_puts(&out, "</tr></thead>\n<tbody>\n");
	int rows = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (rows == LIANG_SQL_MAX_ROWS) {
			rows++;
			break;
		}
		liang_buf_puts(&out, "<tr>");
		for (int i = 0; i < ncol; i++) {
			int type = sqlite3_column_type(st, i);
			const char *v = (const char *)sqlite3_column_text(st, i);
			liang_buf_puts(&out, type == SQLITE_INTEGER || type == SQLITE_FLOAT ? "<td class=\"num\">" : "<td>");
			if (v)
				liang_html_text(&out, v, strlen(v));
			liang_buf_puts(&out, "</td>");
		}
		liang_buf_puts(&out, "</tr>\n");
		rows++;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		*err = g.steps > MAX_STEPS ? liang_xstrdup("查询运行时间过长，已停止")
					   : liang_xasprintf("SQL 运行出错：%s", sqlite3_errmsg(db));
		liang_buf_free(&out);
		result = -1;
		goto done;
	}
	liang_buf_puts(&out, "</tbody></table></div>\n");
	if (rows > LIANG_SQL_MAX_ROWS)
		liang_buf_printf(&out, "<p class=\"note\">仅显示前 %d 行。</p>\n", LIANG_SQL_MAX_ROWS);
	else if (rows == 0)
		liang_buf_puts(&out, "<p class=\"note\">（没有数据）</p>\n");
	liang_buf_put(html, out.ptr, out.len);
	liang_buf_free(&out);
done:
	sqlite3_finalize(st);
	sqlite3_set_authorizer(db, NULL, NULL);
	sqlite3_progress_handler(db, 0, NULL, NULL);
	return result;
}
