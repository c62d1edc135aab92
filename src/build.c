/* build — pages and downloads from the database. */
#include "build.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "embed.h"
#include "html.h"
#include "progress.h"
#include "table.h"
#include "util.h"

/* ------------------------------------------------------- open data CSV */

/* Excel runs a cell that starts with = + - @ as a formula, so a text
 * value starting with one gets a leading apostrophe (OWASP's advice for
 * CSV injection): the downloads must be safe to open. */
static void S_csv_cell(liang_buf *b, const char *v, bool text)
{
	if (!v)
		return;
	bool formula = text && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@');
	bool quote = formula || strpbrk(v, ",\"\r\n") != NULL;
	if (quote)
		liang_buf_putc(b, '"');
	if (formula)
		liang_buf_putc(b, '\'');
	for (const char *p = v; *p; p++) {
		if (*p == '"')
			liang_buf_putc(b, '"');
		if (*p == '\n')
			liang_buf_puts(b, "\r\n");
		else
			liang_buf_putc(b, *p);
	}
	if (quote)
		liang_buf_putc(b, '"');
}

/* data/<table>.csv: exactly the columns of the public view, with the
 * Chinese headers of DATA.md, UTF-8 with a BOM so that Excel opens it. */
static int S_open_data(liang_site *s, liang_out *o, const liang_table *t)
{
	char *sql = liang_xasprintf("SELECT * FROM %s", t->name);
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
	free(sql);
	if (rc != SQLITE_OK) {
		liang_error(s->diags, NULL, 0, 0, "数据库错误：%s", sqlite3_errmsg(s->db));
		return -1;
	}
	liang_buf b = LIANG_BUF_INIT;
	liang_buf_puts(&b, "\xEF\xBB\xBF");
	int ncol = sqlite3_column_count(st);
	for (int i = 0; i < ncol; i++) {
		const char *id = sqlite3_column_name(st, i);
		int c = liang_table_column(t, id);
		if (i)
			liang_buf_putc(&b, ',');
		S_csv_cell(&b, c >= 0 ? t->columns[c].zh : id, false);
	}
	liang_buf_puts(&b, "\r\n");
	while (sqlite3_step(st) == SQLITE_ROW) {
		for (int i = 0; i < ncol; i++) {
			if (i)
				liang_buf_putc(&b, ',');
			int type = sqlite3_column_type(st, i);
			S_csv_cell(&b, (const char *)sqlite3_column_text(st, i), type == SQLITE_TEXT);
		}
		liang_buf_puts(&b, "\r\n");
	}
	sqlite3_finalize(st);
	char *rel = liang_xasprintf("data/%s.csv", t->name);
	rc = liang_out_write(o, rel, b.ptr, b.len);
	free(rel);
	liang_buf_free(&b);
	return rc;
}

/* --------------------------------------------------------------- home */

static void S_head(liang_site *s, liang_buf *b, const char *title)
{
	liang_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
			  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
	liang_html_puts(b, title);
	liang_buf_puts(b, "</title>\n<link rel=\"stylesheet\" href=\"");
	liang_html_puts(b, s->config.base_url);
	liang_buf_puts(b, "assets/style.css\">\n</head>\n<body>\n");
}

static long S_int(liang_site *s, sqlite3_stmt *st, int i)
{
	(void)s;
	return (long)sqlite3_column_int64(st, i);
}

static int S_home(liang_site *s, liang_out *o)
{
	liang_buf b = LIANG_BUF_INIT;
	const liang_config *c = &s->config;
	S_head(s, &b, c->title);
	liang_buf_puts(&b, "<header class=\"site\"><div class=\"wrap\"><p class=\"org\">");
	liang_html_puts(&b, c->organization);
	liang_buf_puts(&b, "</p><h1>");
	liang_html_puts(&b, c->title);
	liang_buf_puts(&b, "</h1></div></header>\n<main class=\"wrap\">\n");
	if (*c->description) {
		liang_buf_puts(&b, "<p class=\"lead\">");
		liang_html_puts(&b, c->description);
		liang_buf_puts(&b, "</p>\n");
	}

	sqlite3_stmt *st;
	sqlite3_prepare_v2(s->db, liang_query("overview"), -1, &st, NULL);
	if (sqlite3_step(st) == SQLITE_ROW) {
		static const char *const labels[] = {"集体总数", "有效称号", "创建集体", "成员",
						     "活动台账", "开放周活动", "通知公告"};
		liang_buf_puts(&b, "<section aria-labelledby=\"totals\"><h2 id=\"totals\">总览</h2>\n"
				   "<ul class=\"figures\">\n");
		for (int i = 0; i < 7; i++)
			liang_buf_printf(&b, "<li><strong>%ld</strong><span>%s</span></li>\n", S_int(s, st, i),
					 labels[i]);
		liang_buf_puts(&b, "</ul></section>\n");
	}
	sqlite3_finalize(st);

	liang_buf_puts(&b, "<section aria-labelledby=\"by-level\"><h2 id=\"by-level\">按级别</h2>\n"
			   "<table><thead><tr><th scope=\"col\">级别</th><th scope=\"col\">集体数</th>"
			   "<th scope=\"col\">其中未撤销</th></tr></thead><tbody>\n");
	sqlite3_prepare_v2(s->db, liang_query("level_totals"), -1, &st, NULL);
	while (sqlite3_step(st) == SQLITE_ROW) {
		liang_buf_puts(&b, "<tr><th scope=\"row\">");
		liang_html_puts(&b, (const char *)sqlite3_column_text(st, 0));
		liang_buf_printf(&b, "</th><td>%ld</td><td>%ld</td></tr>\n", S_int(s, st, 1), S_int(s, st, 2));
	}
	sqlite3_finalize(st);
	liang_buf_puts(&b, "</tbody></table></section>\n");

	liang_buf_puts(&b, "<section aria-labelledby=\"by-region\"><h2 id=\"by-region\">按地区</h2>\n"
			   "<div class=\"scroll\"><table><thead><tr><th scope=\"col\">地区</th>"
			   "<th scope=\"col\">合计</th><th scope=\"col\">全国</th><th scope=\"col\">省级</th>"
			   "<th scope=\"col\">市级</th><th scope=\"col\">县级</th><th scope=\"col\">创建</th>"
			   "</tr></thead><tbody>\n");
	sqlite3_prepare_v2(s->db, liang_query("region_totals"), -1, &st, NULL);
	while (sqlite3_step(st) == SQLITE_ROW) {
		liang_buf_puts(&b, "<tr><th scope=\"row\">");
		liang_html_puts(&b, (const char *)sqlite3_column_text(st, 0));
		liang_buf_puts(&b, "</th>");
		for (int i = 1; i <= 6; i++)
			liang_buf_printf(&b, "<td>%ld</td>", S_int(s, st, i));
		liang_buf_puts(&b, "</tr>\n");
	}
	sqlite3_finalize(st);
	liang_buf_puts(&b, "</tbody></table></div></section>\n");

	liang_buf_puts(&b, "<section aria-labelledby=\"open-data\"><h2 id=\"open-data\">公开数据下载</h2>\n"
			   "<p>以下表格只含可以公开的列，可用 Excel 直接打开。</p>\n<ul class=\"downloads\">\n");
	for (size_t i = 0; i < liang_ntables; i++) {
		liang_buf_printf(&b, "<li><a href=\"data/%s.csv\">", liang_tables[i].name);
		liang_html_puts(&b, liang_tables[i].title);
		liang_buf_printf(&b, "</a> <span class=\"file\">%s.csv</span></li>\n", liang_tables[i].name);
	}
	liang_buf_puts(&b, "</ul></section>\n</main>\n<footer class=\"wrap\"><p>数据截至 ");
	liang_html_puts(&b, s->build_date);
	liang_buf_puts(&b, "</p></footer>\n</body>\n</html>\n");
	int rc = liang_out_write(o, "index.html", b.ptr, b.len);
	liang_buf_free(&b);
	return rc;
}

/* -------------------------------------------------------------- theme */

/* The theme's static files: from the site's themes/<name>/assets/ when
 * it has one, else the default theme compiled into liang. */
static int S_assets(liang_site *s, liang_out *o)
{
	const char *prefix = "themes/default/assets/";
	size_t pl = strlen(prefix);
	for (size_t i = 0; i < liang_embedded_count; i++) {
		const liang_embedded *e = &liang_embedded_files[i];
		if (strncmp(e->name, prefix, pl) != 0)
			continue;
		char *rel = liang_xasprintf("assets/%s", e->name + pl);
		char *over = liang_xasprintf("%s/themes/%s/assets/%s", s->root, s->config.theme, e->name + pl);
		size_t len;
		char *own = liang_file_read(over, &len);
		int rc = own ? liang_out_write(o, rel, own, len) : liang_out_write(o, rel, e->data, e->len);
		free(own);
		free(over);
		free(rel);
		if (rc < 0)
			return -1;
	}
	return 0;
}

int liang_build_site(liang_site *s, liang_out *o)
{
	liang_progress_stage(s, "pages");
	if (S_home(s, o) < 0)
		return -1;
	liang_progress_stage(s, "open data");
	for (size_t i = 0; i < liang_ntables; i++)
		if (S_open_data(s, o, &liang_tables[i]) < 0)
			return -1;
	if (S_assets(s, o) < 0)
		return -1;
	static const char robots[] = "User-agent: *\nAllow: /\n";
	if (liang_out_write(o, "robots.txt", robots, sizeof robots - 1) < 0)
		return -1;
	liang_progress_done(s);
	return o->failed ? -1 : 0;
}
