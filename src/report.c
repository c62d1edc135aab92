/* report — the annual report and the pledge posters, laid out on the
 * display list of pdf.h.
 *
 * The layout is a simple flow: a cursor goes down the page; a block that
 * does not fit starts a new page; tables repeat their header row on every
 * page they run onto. The cover and the table of contents come first,
 * but the contents can only be numbered once the rest is laid out: their
 * pages are reserved (the number of entries is known from the regions)
 * and filled in at the end, with the running header and the footers. */
#include "report.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "chart_pdf.h"
#include "pdf.h"
#include "progress.h"
#include "sqlblock.h"
#include "statpages.h"
#include "stats.h"
#include "text.h"
#include "util.h"

/* A4 portrait, in points: 20 mm at the sides, room for the running
 * header above and the page number below. */
#define PAGE_W LIANG_PDF_A4_W
#define PAGE_H LIANG_PDF_A4_H
#define LEFT 56.7
#define RIGHT (PAGE_W - 56.7)
#define TOP 76.0
#define BOTTOM (PAGE_H - 62.0)
#define WIDTH (RIGHT - LEFT)

#define BODY 10.5            /* body text */
#define LEAD 1.65            /* line height, × size */
#define TOC_LINE 21.0
#define TOC_PER_PAGE 30

#define RED 0xB3261E         /* the League's red, for headings and rules */
#define INK 0x222222
#define MUTED 0x6B6B6B
#define RULE 0x333333
#define ZEBRA 0xF5F5F5
#define HEAD_FILL 0xF3E7E5

static const char *const star_glyphs[] = {"☆☆☆", "★☆☆", "★★☆", "★★★"};

/* --------------------------------------------------------- warnings */

/* Shared by the report and the poster thread: a replaced character is
 * reported once per place it comes from. */
typedef struct S_warnings {
	liang_site *s;
	pthread_mutex_t lock;
	liang_strmap seen;
} S_warnings;

static void S_warn(void *ctx, const char *where, uint32_t cp)
{
	S_warnings *w = ctx;
	const char *place = where ? where : "PDF 中的文字";
	pthread_mutex_lock(&w->lock);
	if (liang_strmap_add(&w->seen, place, strlen(place), 1, NULL)) {
		/* where is "FILE\tWHAT" */
		const char *tab = strchr(place, '\t');
		char *file = tab ? liang_xstrndup(place, (size_t)(tab - place)) : NULL;
		liang_warning(w->s->diags, file, 0, 0,
			      "%s含有基本多文种平面以外的字符 U+%04X，PDF 字体无法显示，已以“〓”代替",
			      tab ? tab + 1 : place, (unsigned)cp);
		free(file);
	}
	pthread_mutex_unlock(&w->lock);
}

/* ------------------------------------------------------------ layout */

typedef struct toc_entry {
	int level, page;
	double top;
	char *title;
} toc_entry;

typedef struct R {
	builder *b;
	liang_site *s;
	sqlite3 *db;
	liang_pdf *d;
	const liang_pdf_font *font;
	double y;
	char *section;          /* the running header of new pages */
	char **page_section;    /* per page */
	int npage_section;
	toc_entry *toc;
	size_t ntoc;
	int toc_first, toc_pages;
	char cycle[64], d0[11], d1[11];
	const char *title;      /* 临澜市青年文明号 */
	int figure;             /* charts numbered 图 1, 图 2, … */
	int failed;
} R;

static void S_new_page(R *r)
{
	int p = liang_pdf_page(r->d, PAGE_W, PAGE_H);
	r->page_section = liang_xrealloc(r->page_section, (size_t)(p + 1) * sizeof *r->page_section);
	for (int i = r->npage_section; i <= p; i++)
		r->page_section[i] = NULL;
	r->page_section[p] = r->section ? liang_xstrdup(r->section) : NULL;
	r->npage_section = p + 1;
	r->y = TOP;
}

/* Make room for h points: a new page when the rest of this one is too
 * short. Returns true when a page was started. */
static bool S_room(R *r, double h)
{
	if (r->y + h <= BOTTOM)
		return false;
	S_new_page(r);
	return true;
}

/* Wrapped text from the cursor down, x from LEFT + indent, w wide. */
static void S_para(R *r, const char *text, double size, uint32_t rgb, double indent, double w)
{
	liang_pdf_span *lines;
	size_t n = liang_pdf_wrap(r->font, text, size, w, &lines);
	double lead = size * LEAD;
	for (size_t i = 0; i < n; i++) {
		S_room(r, lead);
		char *line = liang_xstrndup(text + lines[i].off, lines[i].len);
		liang_pdf_text(r->d, LEFT + indent, r->y + size, size, rgb, line);
		free(line);
		r->y += lead;
	}
	free(lines);
}

static void S_toc_add(R *r, int level, const char *title)
{
	r->toc = liang_xrealloc(r->toc, (r->ntoc + 1) * sizeof *r->toc);
	r->toc[r->ntoc++] = (toc_entry){level, liang_pdf_current(r->d), r->y, liang_xstrdup(title)};
	liang_pdf_outline(r->d, level, title, liang_pdf_current(r->d), r->y - 8);
}

/* A chapter: a new page, a heading in red with a rule under it. */
static void S_chapter(R *r, const char *title)
{
	free(r->section);
	r->section = liang_xstrdup(title);
	S_new_page(r);
	S_toc_add(r, 0, title);
	liang_pdf_bold(r->d, true);
	liang_pdf_text(r->d, LEFT, r->y + 20, 20, RED, title);
	liang_pdf_bold(r->d, false);
	r->y += 32;
	liang_pdf_line(r->d, LEFT, r->y, RIGHT, r->y, 1.2, RED);
	r->y += 18;
}

/* A heading inside a chapter; in the contents when toc is set. */
static void S_heading(R *r, const char *title, bool toc)
{
	S_room(r, 13 * LEAD + 60); /* never alone at the foot of a page */
	if (r->y > TOP)
		r->y += 8;
	if (toc)
		S_toc_add(r, 1, title);
	liang_pdf_bold(r->d, true);
	liang_pdf_text(r->d, LEFT, r->y + 13, 13, INK, title);
	liang_pdf_bold(r->d, false);
	liang_pdf_rect(r->d, LEFT - 8, r->y + 1, 3, 14, RED, LIANG_PDF_NONE, 0);
	r->y += 13 * LEAD + 2;
}

/* ------------------------------------------------------------ tables */

typedef struct column {
	const char *title;
	double share;            /* of the width */
	int align;               /* 0 left, 1 centre, 2 right */
} column;

typedef struct table {
	const column *cols;
	int n;
	double size;
	int rows;                /* rows drawn, for the stripes */
} table;

#define CELL_PAD 4.0

static void S_table_head(R *r, table *t)
{
	double h = t->size * LEAD + 2 * CELL_PAD;
	liang_pdf_line(r->d, LEFT, r->y, RIGHT, r->y, 1.0, RULE);
	liang_pdf_rect(r->d, LEFT, r->y + 0.5, WIDTH, h - 0.5, HEAD_FILL, LIANG_PDF_NONE, 0);
	double x = LEFT;
	liang_pdf_bold(r->d, true);
	for (int i = 0; i < t->n; i++) {
		double w = t->cols[i].share * WIDTH;
		double tx = t->cols[i].align == 2 ? x + w - CELL_PAD : t->cols[i].align == 1 ? x + w / 2 : x + CELL_PAD;
		liang_pdf_text_at(r->d, tx, r->y + CELL_PAD + t->size * 1.1, t->size, INK, t->cols[i].align,
				  t->cols[i].title);
		x += w;
	}
	liang_pdf_bold(r->d, false);
	r->y += h;
	liang_pdf_line(r->d, LEFT, r->y, RIGHT, r->y, 0.6, RULE);
}

static void S_table_start(R *r, table *t)
{
	S_room(r, 4 * t->size * LEAD + 4 * CELL_PAD);
	t->rows = 0;
	S_table_head(r, t);
}

static void S_table_end(R *r, const table *t)
{
	(void)t;
	liang_pdf_line(r->d, LEFT, r->y, RIGHT, r->y, 1.0, RULE);
	r->y += 14;
}

/* One row; a row that does not fit closes the table on this page and
 * opens it again, header and all, on the next. */
static void S_table_row(R *r, table *t, const char *const *cells)
{
	liang_pdf_span *lines[16];
	size_t nl[16] = {0}, most = 1;
	for (int i = 0; i < t->n && i < 16; i++) {
		double w = t->cols[i].share * WIDTH - 2 * CELL_PAD;
		nl[i] = liang_pdf_wrap(r->font, cells[i] ? cells[i] : "", t->size, w, &lines[i]);
		if (nl[i] > most)
			most = nl[i];
	}
	double lead = t->size * LEAD, h = (double)most * lead + 2 * CELL_PAD - (lead - t->size * 1.25);
	if (r->y + h > BOTTOM) {
		S_table_end(r, t);
		S_new_page(r);
		S_table_head(r, t);
	}
	if (t->rows++ % 2 == 1)
		liang_pdf_rect(r->d, LEFT, r->y, WIDTH, h, ZEBRA, LIANG_PDF_NONE, 0);
	double x = LEFT;
	for (int i = 0; i < t->n && i < 16; i++) {
		double w = t->cols[i].share * WIDTH;
		for (size_t k = 0; k < nl[i]; k++) {
			char *line = liang_xstrndup(cells[i] + lines[i][k].off, lines[i][k].len);
			double ty = r->y + CELL_PAD + t->size * 1.05 + lead * (double)k;
			double tx = t->cols[i].align == 2 ? x + w - CELL_PAD : t->cols[i].align == 1 ? x + w / 2 : x + CELL_PAD;
			liang_pdf_text_at(r->d, tx, ty, t->size, INK, t->cols[i].align, line);
			free(line);
		}
		free(lines[i]);
		x += w;
	}
	r->y += h;
}

/* ------------------------------------------------------------ queries */

static sqlite3_stmt *S_prepare(R *r, const char *name)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(r->db, liang_stat_sql(r->db, name), -1, &st, NULL) != SQLITE_OK) {
		liang_error(r->s->diags, NULL, 0, 0, "查询 %s 出错（liang 的缺陷）：%s", name, sqlite3_errmsg(r->db));
		r->failed = 1;
		return NULL;
	}
	return st;
}

static const char *S_col(sqlite3_stmt *st, int i)
{
	const char *v = (const char *)sqlite3_column_text(st, i);
	return v ? v : "";
}

/* The rows of a prepared statement as a query result, for the chart
 * model (liang_chart_from_result). */
static liang_sqlresult *S_result(sqlite3_stmt *st)
{
	liang_sqlresult *res = liang_xcalloc(1, sizeof *res);
	res->ncol = sqlite3_column_count(st);
	res->names = liang_xcalloc((size_t)res->ncol, sizeof *res->names);
	for (int i = 0; i < res->ncol; i++)
		res->names[i] = liang_xstrdup(sqlite3_column_name(st, i));
	size_t cap = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if ((size_t)res->nrows == cap) {
			cap = cap ? 2 * cap : 16;
			res->cells = liang_xrealloc(res->cells, cap * (size_t)res->ncol * sizeof *res->cells);
			res->types = liang_xrealloc(res->types, cap * (size_t)res->ncol);
		}
		for (int i = 0; i < res->ncol; i++) {
			size_t k = (size_t)res->nrows * (size_t)res->ncol + (size_t)i;
			/* the type first: reading the text may convert the value */
			res->types[k] = (unsigned char)sqlite3_column_type(st, i);
			const char *v = (const char *)sqlite3_column_text(st, i);
			res->cells[k] = v ? liang_xstrdup(v) : NULL;
		}
		res->nrows++;
	}
	return res;
}

/* A numbered chart of statistic `name` of stats.sql, drawn from the
 * same chart model as on the site's /stats/ page, kept on one page. */
static void S_chart(R *r, const char *name, const char *caption)
{
	liang_chart c;
	if (!liang_stat_chart(r->db, name, &c)) {
		/* nothing to draw: said in words */
		S_room(r, 40);
		char *t = liang_xasprintf("图 %d　%s：本周期没有数据。", ++r->figure, caption);
		S_para(r, t, BODY, MUTED, 0, WIDTH);
		free(t);
		return;
	}
	char *where = liang_xasprintf("data\t图表“%s”的类别", caption);
	liang_pdf_source(r->d, where);
	free(where);
	double h = liang_chart_pdf(&c, r->d, LEFT, 0, WIDTH, false);
	S_room(r, h + 40);
	r->y += 6;
	char *t = liang_xasprintf("图 %d　%s", ++r->figure, caption);
	liang_pdf_bold(r->d, true);
	liang_pdf_text(r->d, LEFT, r->y + 10, 10, INK, t);
	liang_pdf_bold(r->d, false);
	free(t);
	r->y += 22;
	liang_chart_pdf(&c, r->d, LEFT, r->y, WIDTH, true);
	r->y += h + 16;
	liang_pdf_source(r->d, NULL);
	liang_chart_free(&c);
}

/* ------------------------------------------------------------ chapters */

static void S_cover(R *r)
{
	liang_pdf *d = r->d;
	S_new_page(r);
	liang_pdf_source(d, "site.yaml\t网站的标题、说明或主办单位");
	liang_pdf_rect(d, 0, 0, PAGE_W, 300, RED, LIANG_PDF_NONE, 0);
	liang_pdf_rect(d, 0, 300, PAGE_W, 6, 0xE8B04A, LIANG_PDF_NONE, 0);
	liang_pdf_text(d, LEFT, 110, 14, 0xFFFFFF, "亮身份 · 亮承诺 · 接受社会监督");
	liang_pdf_bold(d, true);
	liang_pdf_text(d, LEFT, 190, 34, 0xFFFFFF, r->title);
	liang_pdf_bold(d, false);
	liang_pdf_text(d, LEFT, 245, 26, 0xFFFFFF, "年度工作报告");
	char *line = liang_xasprintf("%s 周期", r->cycle);
	liang_pdf_text(d, LEFT, 380, 18, INK, line);
	free(line);
	liang_pdf_line(d, LEFT, 400, LEFT + 60, 400, 2, RED);
	const liang_config *c = &r->s->config;
	if (*c->description) {
		r->y = 424;
		S_para(r, c->description, 11.5, MUTED, 0, WIDTH * 0.8);
	}
	if (*c->organization)
		liang_pdf_text(d, LEFT, PAGE_H - 120, 14, INK, c->organization);
	line = liang_xasprintf("数据截至 %s", r->s->build_date);
	liang_pdf_text(d, LEFT, PAGE_H - 96, 11, MUTED, line);
	free(line);
	liang_pdf_source(d, NULL);
}

static void S_overview(R *r)
{
	S_chapter(r, "一、总体情况");
	/* the figures of the site's /stats/ page (stats.sql totals), and
	 * the notices of the cycle listed in the last chapter */
	sqlite3_stmt *st = S_prepare(r, "totals");
	sqlite3_stmt *nst = S_prepare(r, "report_notice_count");
	if (nst) {
		sqlite3_bind_text(nst, 1, r->d0, -1, SQLITE_STATIC);
		sqlite3_bind_text(nst, 2, r->d1, -1, SQLITE_STATIC);
	}
	if (st && nst && sqlite3_step(st) == SQLITE_ROW && sqlite3_step(nst) == SQLITE_ROW) {
		static const char *const cols[] = {"collectives", "titled", "candidates", "members", "activities", "open_week"};
		long long v[7], revoked = 0;
		for (int i = 0; i < 6; i++)
			v[i] = 0;
		for (int k = 0; k < sqlite3_column_count(st); k++) {
			const char *name = sqlite3_column_name(st, k);
			for (int i = 0; i < 6; i++)
				if (!strcmp(name, cols[i]))
					v[i] = sqlite3_column_int64(st, k);
			if (!strcmp(name, "revoked"))
				revoked = sqlite3_column_int64(st, k);
		}
		v[6] = sqlite3_column_int64(nst, 0);
		/* the numbers as the site's figure cards write them (33,824) */
		liang_arena ga;
		liang_arena_init(&ga);
		const char *g[7];
		for (int i = 0; i < 7; i++)
			g[i] = liang_arena_grouped(&ga, liang_arena_printf(&ga, "%lld", v[i]));
		char *gone = revoked ? liang_xasprintf("（另有 %s 个集体的称号已撤销，不计在内）",
						       liang_arena_grouped(&ga, liang_arena_printf(&ga, "%lld", revoked)))
				     : liang_xstrdup("");
		char *lead = liang_xasprintf(
			"截至 %s，%s共有青年文明号集体和创建集体 %s 个%s，其中获得称号的 %s 个，"
			"登记创建的 %s 个。各集体共有成员 %s 名；本周期记录活动 %s 次，其中开放周活动 %s 次；"
			"团委发布通知公告 %s 件。以下数字、图表与排名与网站公开的内容出自同一份数据。",
			r->s->build_date, *r->s->config.city ? r->s->config.city : "全市", g[0], gone, g[1], g[2], g[3],
			g[4], g[5], g[6]);
		free(gone);
		S_para(r, lead, BODY, INK, 0, WIDTH);
		free(lead);
		r->y += 10;
		static const char *const labels[] = {"集体（不含撤销）", "已命名", "创建集体", "成员",
						     "本周期活动", "本周期开放周", "本周期通知公告"};
		double bw = (WIDTH - 3 * 10) / 4, bh = 58;
		for (int i = 0; i < 7; i++) {
			double x = LEFT + (bw + 10) * (i % 4), y = r->y + (bh + 10) * (i / 4);
			liang_pdf_rect(r->d, x, y, bw, bh, 0xF8F1F0, LIANG_PDF_NONE, 0);
			liang_pdf_rect(r->d, x, y, 3, bh, RED, LIANG_PDF_NONE, 0);
			liang_pdf_bold(r->d, true);
			liang_pdf_text(r->d, x + 14, y + 28, 20, RED, g[i]);
			liang_pdf_bold(r->d, false);
			liang_pdf_text(r->d, x + 14, y + 46, 9, MUTED, labels[i]);
		}
		liang_arena_free(&ga);
		r->y += 2 * (bh + 10) + 12;
	}
	sqlite3_finalize(st);
	sqlite3_finalize(nst);
	S_chart(r, "levels", "各级别集体数");
	S_chart(r, "region_levels", "各地区集体数（按级别）");
	S_chart(r, "activity_kinds", "本周期各类活动次数");
	S_chart(r, "activity_months", "本周期每月活动和开放周次数");
}

static void S_ranking(R *r)
{
	S_chapter(r, "二、综合得分排名");
	sqlite3_stmt *st = S_prepare(r, "report_ranking");
	if (!st)
		return;
	char *lead = liang_xasprintf("按 %s 周期认定考核七项指标的加权得分排名（缺项按 0 分计），并列的名次相同；"
				     "已撤销的集体不参加排名。地区内、行业内的名次见网站和 liang stats ranking。",
				     r->cycle);
	S_para(r, lead, BODY, INK, 0, WIDTH);
	free(lead);
	r->y += 6;
	static const column cols[] = {{"名次", 0.08, 1}, {"集体名称", 0.44, 0}, {"地区", 0.14, 0},
				      {"行业", 0.10, 0},  {"级别", 0.10, 1},    {"综合得分", 0.14, 2}};
	table t = {cols, 6, 9, 0};
	S_table_start(r, &t);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *cells[6] = {S_col(st, 0), S_col(st, 4), S_col(st, 5), S_col(st, 6), S_col(st, 7), S_col(st, 8)};
		char *where = liang_xasprintf("data/collectives.csv\t集体 %s 的名称", S_col(st, 3));
		liang_pdf_source(r->d, where);
		free(where);
		S_table_row(r, &t, cells);
	}
	liang_pdf_source(r->d, NULL);
	if (t.rows == 0) {
		const char *cells[6] = {"", "本周期没有认定考核得分", "", "", "", ""};
		S_table_row(r, &t, cells);
	}
	S_table_end(r, &t);
	sqlite3_finalize(st);
}

#define FINDINGS_SHOWN 12

static void S_compliance(R *r)
{
	S_chapter(r, "三、合规检查");
	sqlite3_stmt *st = S_prepare(r, "report_compliance");
	if (!st)
		return;
	S_para(r,
	       "依据创建管理办法和历次通知的要求逐项核对数据，下表列出每项检查发现的问题数；"
	       "每项之后列出前几条，完整清单可用 liang stats compliance 导出。没有列出的检查项，说明本周期未发现问题。",
	       BODY, INK, 0, WIDTH);
	r->y += 6;
	/* the findings come ordered by rule: count them first */
	liang_sqlresult *res = S_result(st);
	sqlite3_finalize(st);
	static const column sum_cols[] = {{"检查项", 0.80, 0}, {"问题数", 0.20, 2}};
	table t = {sum_cols, 2, 9.5, 0};
	S_table_start(r, &t);
	long nrules = 0;
	for (long i = 0; i < res->nrows;) {
		long j = i;
		while (j < res->nrows && !strcmp(res->cells[j * 5], res->cells[i * 5]))
			j++;
		char num[32];
		snprintf(num, sizeof num, "%ld", j - i);
		const char *cells[2] = {res->cells[i * 5 + 1], num};
		S_table_row(r, &t, cells);
		nrules++;
		i = j;
	}
	if (nrules == 0) {
		const char *cells[2] = {"各项检查均未发现问题", "0"};
		S_table_row(r, &t, cells);
	}
	S_table_end(r, &t);
	static const column cols[] = {{"对象", 0.40, 0}, {"情况", 0.60, 0}};
	for (long i = 0; i < res->nrows;) {
		long j = i;
		while (j < res->nrows && !strcmp(res->cells[j * 5], res->cells[i * 5]))
			j++;
		S_heading(r, res->cells[i * 5 + 1], false);
		table d = {cols, 2, 9, 0};
		S_table_start(r, &d);
		for (long k = i; k < j && k < i + FINDINGS_SHOWN; k++) {
			const char *name = res->cells[k * 5 + 3] ? res->cells[k * 5 + 3] : "";
			const char *subject = res->cells[k * 5 + 2] ? res->cells[k * 5 + 2] : "";
			char *who = strcmp(name, subject) && *subject ? liang_xasprintf("%s（%s）", name, subject)
								      : liang_xstrdup(name);
			char *where = liang_xasprintf("data\t合规检查中“%s”的名称或说明", subject);
			liang_pdf_source(r->d, where);
			free(where);
			const char *cells[2] = {who, res->cells[k * 5 + 4]};
			S_table_row(r, &d, cells);
			free(who);
		}
		S_table_end(r, &d);
		liang_pdf_source(r->d, NULL);
		if (j - i > FINDINGS_SHOWN) {
			char *more = liang_xasprintf("另有 %ld 条，未在此列出。", j - i - FINDINGS_SHOWN);
			r->y -= 8;
			S_para(r, more, 9, MUTED, 0, WIDTH);
			free(more);
			r->y += 6;
		}
		i = j;
	}
	liang_sqlresult_free(res);
}

static void S_directory(R *r)
{
	S_chapter(r, "四、集体名录");
	S_para(r,
	       "按地区列出全部青年文明号集体和创建集体（已撤销的除外），包括级别、星级、服务承诺和监督电话。"
	       "群众可拨打监督电话反映服务中的问题。",
	       BODY, INK, 0, WIDTH);
	sqlite3_stmt *st = S_prepare(r, "report_directory");
	if (!st)
		return;
	static const column cols[] = {{"集体名称", 0.27, 0}, {"级别 · 星级", 0.14, 0}, {"服务承诺", 0.43, 0},
				      {"监督电话", 0.16, 0}};
	table t = {cols, 4, 8.5, 0};
	char *region = NULL; /* whole: a cut name would never compare equal */
	bool open = false;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *reg = S_col(st, 2);
		if (!open || strcmp(reg, region) != 0) {
			if (open)
				S_table_end(r, &t);
			free(region);
			region = liang_xstrdup(reg);
			char *where = liang_xasprintf("data/collectives.csv\t地区“%s”", reg);
			liang_pdf_source(r->d, where);
			free(where);
			S_heading(r, region, true);
			S_table_start(r, &t);
			open = true;
		}
		char *where = liang_xasprintf("data/collectives.csv\t集体 %s 的内容", S_col(st, 0));
		liang_pdf_source(r->d, where);
		free(where);
		const char *level = S_col(st, 3);
		int stars = sqlite3_column_type(st, 4) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 4);
		char *lv = liang_xasprintf("%s%s%s%s", level, strcmp(level, "创建") ? "" : "集体",
					   stars >= 0 && stars <= 3 ? "\n" : "", stars >= 0 && stars <= 3 ? star_glyphs[stars] : "");
		if (strcmp(S_col(st, 5), "有效") != 0) {
			char *t2 = liang_xasprintf("%s\n（%s）", lv, S_col(st, 5));
			free(lv);
			lv = t2;
		}
		const char *cells[4] = {S_col(st, 1), lv, S_col(st, 6), S_col(st, 7)};
		S_table_row(r, &t, cells);
		free(lv);
	}
	if (open)
		S_table_end(r, &t);
	free(region);
	liang_pdf_source(r->d, NULL);
	sqlite3_finalize(st);
}

#define HIGHLIGHTS 6

static void S_openweek(R *r)
{
	S_chapter(r, "五、开放周风采");
	S_para(r,
	       "开放周是青年文明号集体向社会敞开大门、接受群众监督的固定安排。以下是本周期各集体最近一次开放周活动的剪影。",
	       BODY, INK, 0, WIDTH);
	r->y += 8;
	sqlite3_stmt *st = S_prepare(r, "report_openweek");
	if (!st)
		return;
	sqlite3_bind_text(st, 1, r->d0, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, r->d1, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, HIGHLIGHTS);
	double colw = (WIDTH - 18) / 2, photo_h = colw * 0.56;
	int k = 0;
	double row_y = r->y, row_bottom = r->y;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (k % 2 == 0) {
			r->y = row_bottom;
			if (S_room(r, photo_h + 56))
				row_bottom = r->y;
			row_y = r->y;
		}
		double x = LEFT + (k % 2) * (colw + 18), y = row_y;
		const char *photos = S_col(st, 4);
		char *first = liang_xstrndup(photos, strcspn(photos, ";"));
		char *path = liang_path_join(r->s->content_dir, first);
		unsigned iw, ih;
		char *err = NULL;
		int im = liang_pdf_image_load(r->d, path, &iw, &ih, &err);
		liang_pdf_rect(r->d, x, y, colw, photo_h, 0xEEEEEE, LIANG_PDF_NONE, 0);
		if (im >= 0) {
			liang_pdf_image_cover(r->d, im, x, y, colw, photo_h);
		} else {
			liang_warning(r->s->diags, "data/activities.csv", 0, 0, "活动 %s 的图片无法放入报告：%s", S_col(st, 0), err);
			free(err);
		}
		free(path);
		free(first);
		char *where = liang_xasprintf("data/activities.csv\t活动 %s 的内容", S_col(st, 0));
		liang_pdf_source(r->d, where);
		free(where);
		double save = r->y;
		r->y = y + photo_h + 6;
		liang_pdf_bold(r->d, true);
		liang_pdf_span *lines;
		size_t n = liang_pdf_wrap(r->font, S_col(st, 2), 10, colw, &lines);
		for (size_t i = 0; i < n && i < 2; i++) {
			char *line = liang_xstrndup(S_col(st, 2) + lines[i].off, lines[i].len);
			liang_pdf_text(r->d, x, r->y + 10, 10, INK, line);
			free(line);
			r->y += 15;
		}
		free(lines);
		liang_pdf_bold(r->d, false);
		char *meta = liang_xasprintf("%s · %s", S_col(st, 1), S_col(st, 5));
		n = liang_pdf_wrap(r->font, meta, 8.5, colw, &lines);
		for (size_t i = 0; i < n && i < 2; i++) {
			char *line = liang_xstrndup(meta + lines[i].off, lines[i].len);
			liang_pdf_text(r->d, x, r->y + 9, 8.5, MUTED, line);
			free(line);
			r->y += 13;
		}
		free(lines);
		free(meta);
		if (r->y + 18 > row_bottom)
			row_bottom = r->y + 18;
		r->y = save;
		k++;
	}
	liang_pdf_source(r->d, NULL);
	r->y = row_bottom;
	if (k == 0)
		S_para(r, "本周期没有带照片的开放周活动记录。", BODY, MUTED, 0, WIDTH);
	sqlite3_finalize(st);
}

static void S_notices(R *r)
{
	S_chapter(r, "六、通知公告");
	sqlite3_stmt *st = S_prepare(r, "report_notices");
	if (!st)
		return;
	sqlite3_bind_text(st, 1, r->d0, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, r->d1, -1, SQLITE_STATIC);
	char *lead = liang_xasprintf("本周期（%s 至 %s）发布的通知公告，全文见网站“通知公告”栏目。", r->d0, r->d1);
	S_para(r, lead, BODY, INK, 0, WIDTH);
	free(lead);
	r->y += 6;
	static const column cols[] = {{"日期", 0.15, 0}, {"文号", 0.25, 0}, {"标题", 0.60, 0}};
	table t = {cols, 3, 9, 0};
	S_table_start(r, &t);
	while (sqlite3_step(st) == SQLITE_ROW) {
		char *where = liang_xasprintf("content/notices\t通知“%s”", S_col(st, 2));
		liang_pdf_source(r->d, where);
		free(where);
		const char *cells[3] = {S_col(st, 0), S_col(st, 1), S_col(st, 2)};
		S_table_row(r, &t, cells);
	}
	liang_pdf_source(r->d, NULL);
	if (t.rows == 0) {
		const char *cells[3] = {"", "", "本周期没有发布通知公告"};
		S_table_row(r, &t, cells);
	}
	S_table_end(r, &t);
	sqlite3_finalize(st);
}

/* The reserved pages of contents, now that every entry has its page. */
static void S_contents(R *r)
{
	/* the pages were reserved for every entry: the count cannot differ,
	 * but an entry must never land on a page of the body */
	for (size_t i = 0; i < r->ntoc && i < (size_t)r->toc_pages * TOC_PER_PAGE; i++) {
		liang_pdf_goto(r->d, r->toc_first + (int)(i / TOC_PER_PAGE));
		if (i == 0) {
			liang_pdf_bold(r->d, true);
			liang_pdf_text(r->d, LEFT, TOP + 20, 20, RED, "目　录");
			liang_pdf_bold(r->d, false);
			liang_pdf_line(r->d, LEFT, TOP + 32, RIGHT, TOP + 32, 1.2, RED);
		}
		double y = TOP + 64 + TOC_LINE * (double)(i % TOC_PER_PAGE);
		const toc_entry *e = &r->toc[i];
		double size = e->level ? 10.5 : 12, x = LEFT + (e->level ? 24 : 0);
		if (e->level == 0)
			liang_pdf_bold(r->d, true);
		double tw = liang_pdf_text_at(r->d, x, y, size, e->level ? INK : RED, 0, e->title);
		liang_pdf_bold(r->d, false);
		char num[16];
		snprintf(num, sizeof num, "%d", e->page + 1);
		double nw = liang_pdf_text_at(r->d, RIGHT, y, size, INK, 2, num);
		/* dot leaders between the title and the number */
		for (double dx = x + tw + 8; dx < RIGHT - nw - 6; dx += 5)
			liang_pdf_rect(r->d, dx, y - 1.6, 0.9, 0.9, 0x999999, LIANG_PDF_NONE, 0);
		liang_pdf_link_page(r->d, x, y - size, RIGHT - x, size * 1.5, e->page, e->top - 8);
	}
}

/* The running header and the page numbers of every page but the cover. */
static void S_furniture(R *r)
{
	int n = liang_pdf_pages(r->d);
	char *left = liang_xasprintf("%s年度工作报告（%s）", r->title, r->cycle);
	liang_pdf_source(r->d, "site.yaml\t网站的标题");
	for (int p = 1; p < n; p++) {
		liang_pdf_goto(r->d, p);
		liang_pdf_text(r->d, LEFT, 44, 8.5, MUTED, left);
		if (p < r->npage_section && r->page_section[p])
			liang_pdf_text_at(r->d, RIGHT, 44, 8.5, MUTED, 2, r->page_section[p]);
		liang_pdf_line(r->d, LEFT, 51, RIGHT, 51, 0.5, 0xBBBBBB);
		char *foot = liang_xasprintf("第 %d 页　共 %d 页", p + 1, n);
		liang_pdf_text_at(r->d, PAGE_W / 2, PAGE_H - 34, 9, MUTED, 1, foot);
		free(foot);
	}
	free(left);
}

/* Keep [A-Za-z0-9_-] of a name used in a file name; others become '-'. */
static void S_file_safe(char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_' ||
		      *s == '-'))
			*s = '-';
}

static int S_emit(liang_site *s, liang_out *o, liang_pdf *d, const liang_pdf_info *info, const char *rel)
{
	liang_buf pdf = LIANG_BUF_INIT;
	char *err = NULL;
	int rc = liang_pdf_write(d, info, &pdf, &err);
	if (rc < 0) {
		liang_error(s->diags, NULL, 0, 0, "无法生成 %s：%s", rel, err);
		free(err);
	} else {
		rc = liang_out_write(o, rel, pdf.ptr, pdf.len);
	}
	liang_buf_free(&pdf);
	return rc;
}

/* The cycle of the report: report_cycle, else the year of the build. */
static void S_cycle(sqlite3 *db, const char *build_date, char *cycle, size_t n)
{
	sqlite3_stmt *st = NULL;
	cycle[0] = '\0';
	if (sqlite3_prepare_v2(db, liang_query("report_cycle"), -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(cycle, n, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	if (!*cycle)
		snprintf(cycle, n, "%.4s", build_date);
}

static int S_annual(builder *b, sqlite3 *db, const liang_pdf_font *font, S_warnings *warn)
{
	R r;
	memset(&r, 0, sizeof r);
	r.b = b;
	r.s = b->s;
	r.db = db;
	r.font = font;
	r.title = b->s->config.title;
	r.d = liang_pdf_new(font);
	liang_pdf_on_warning(r.d, S_warn, warn);
	S_cycle(db, b->s->build_date, r.cycle, sizeof r.cycle);
	sqlite3_stmt *st;
	/* a cycle 2025-2026 runs from 2025-01-01 to 2026-12-31 (as in
	 * stats.sql) */
	size_t cl = strlen(r.cycle);
	snprintf(r.d0, sizeof r.d0, "%.4s-01-01", r.cycle);
	snprintf(r.d1, sizeof r.d1, "%.4s-12-31", cl >= 4 ? r.cycle + cl - 4 : r.cycle);

	/* the contents: one entry per chapter and per region */
	size_t entries = 6;
	st = S_prepare(&r, "report_regions");
	while (st && sqlite3_step(st) == SQLITE_ROW)
		entries++;
	sqlite3_finalize(st);
	S_cover(&r);
	r.section = liang_xstrdup("目录");
	r.toc_first = liang_pdf_pages(r.d);
	r.toc_pages = (int)((entries + TOC_PER_PAGE - 1) / TOC_PER_PAGE);
	for (int i = 0; i < r.toc_pages; i++)
		S_new_page(&r);
	liang_pdf_outline(r.d, 0, "目录", r.toc_first, 0);

	S_overview(&r);
	S_ranking(&r);
	S_compliance(&r);
	S_directory(&r);
	S_openweek(&r);
	S_notices(&r);
	S_contents(&r);
	S_furniture(&r);

	char *title = liang_xasprintf("%s年度工作报告（%s）", r.title, r.cycle);
	const liang_config *c = &b->s->config;
	liang_pdf_info info = {title, *c->organization ? c->organization : c->title, "青年文明号年度工作报告",
			       "青年文明号,年度报告", b->s->epoch};
	int rc = r.failed ? -1 : S_emit(b->s, b->o, r.d, &info, b->report_rel);
	free(title);
	for (size_t i = 0; i < r.ntoc; i++)
		free(r.toc[i].title);
	free(r.toc);
	for (int i = 0; i < r.npage_section; i++)
		free(r.page_section[i]);
	free(r.page_section);
	free(r.section);
	liang_pdf_free(r.d);
	return rc;
}

/* ----------------------------------------------------------- posters */

/* One poster on a new page of d, from a row of report_posters. */
static void S_poster(liang_pdf *d, const liang_config *c, const char *build_date, const char *idx,
		     sqlite3_stmt *st)
{
	const liang_pdf_font *font = liang_pdf_font_of(d);
	const double L = 48, Rr = PAGE_W - 48, W = Rr - L;
	liang_pdf_page(d, PAGE_W, PAGE_H);
	const char *id = S_col(st, 0), *level = S_col(st, 3);
	char *where = liang_xasprintf("data/collectives.csv\t集体 %s 的内容", id);
	liang_pdf_source(d, where);
	free(where);

	/* the band: who vouches for it, and the title */
	liang_pdf_rect(d, 0, 0, PAGE_W, 150, RED, LIANG_PDF_NONE, 0);
	liang_pdf_rect(d, 0, 150, PAGE_W, 5, 0xE8B04A, LIANG_PDF_NONE, 0);
	liang_pdf_text(d, L, 52, 13, 0xFFFFFF, "亮身份 · 亮承诺 · 接受社会监督");
	char *label = strcmp(level, "创建") ? liang_xasprintf("%s青年文明号", level) : liang_xstrdup("青年文明号创建集体");
	liang_pdf_bold(d, true);
	liang_pdf_text(d, L, 112, 36, 0xFFFFFF, label);
	liang_pdf_bold(d, false);
	if (sqlite3_column_type(st, 4) != SQLITE_NULL) {
		int stars = sqlite3_column_int(st, 4);
		if (stars >= 0 && stars <= 3) {
			liang_pdf_text_at(d, Rr, 100, 30, 0xF2C14E, 2, star_glyphs[stars]);
			static const char *const names[] = {"零星", "一星", "二星", "三星"};
			liang_pdf_text_at(d, Rr, 124, 11, 0xFFFFFF, 2, names[stars]);
		}
	}
	free(label);

	/* the name, as large as fits in two lines */
	const char *name = S_col(st, 1);
	double size = 30, y = 200;
	liang_pdf_span *lines;
	size_t n;
	while ((n = liang_pdf_wrap(font, name, size, W, &lines)) > 2 && size > 18) {
		free(lines);
		size -= 2;
	}
	liang_pdf_bold(d, true);
	for (size_t i = 0; i < n; i++) {
		char *line = liang_xstrndup(name + lines[i].off, lines[i].len);
		liang_pdf_text(d, L, y, size, INK, line);
		free(line);
		y += size * 1.35;
	}
	liang_pdf_bold(d, false);
	free(lines);
	liang_pdf_text(d, L, y + 2, 12, MUTED, S_col(st, 2));
	y += 26;

	/* 号长 */
	liang_pdf_line(d, L, y, Rr, y, 0.6, 0xCCCCCC);
	y += 34;
	liang_pdf_text(d, L, y, 13, MUTED, "号　长");
	char *leader = *S_col(st, 6) ? liang_xasprintf("%s（%s）", S_col(st, 5), S_col(st, 6)) : liang_xstrdup(S_col(st, 5));
	liang_pdf_bold(d, true);
	liang_pdf_text(d, L + 64, y + 1, 20, INK, leader);
	liang_pdf_bold(d, false);
	free(leader);
	y += 20;
	liang_pdf_line(d, L, y, Rr, y, 0.6, 0xCCCCCC);

	/* the pledge: the largest size at which it fits its box */
	y += 36;
	liang_pdf_bold(d, true);
	liang_pdf_text(d, L, y, 16, RED, "服务承诺");
	liang_pdf_bold(d, false);
	y += 14;
	const char *pledge = S_col(st, 7);
	double box_bottom = PAGE_H - 250, psize = 24;
	/* start near the size at which the text fills the box (an em square
	 * per character, lines 1.7 em apart), then step down */
	double chars = (double)liang_utf8_count(pledge, strlen(pledge)) + 8;
	double fill = sqrt((W - 28) * (box_bottom - y - 16) / (chars * 1.7));
	if (fill < psize)
		psize = fmax(11, floor(fill * 2) / 2);
	for (;;) {
		n = liang_pdf_wrap(font, pledge, psize, W - 28, &lines);
		if (y + 16 + (double)n * psize * 1.7 <= box_bottom || psize <= 11)
			break;
		free(lines);
		psize -= 0.5;
	}
	liang_pdf_rect(d, L, y, W, box_bottom - y, 0xFBF6F5, LIANG_PDF_NONE, 0);
	liang_pdf_rect(d, L, y, 4, box_bottom - y, RED, LIANG_PDF_NONE, 0);
	double py = y + 16 + psize;
	for (size_t i = 0; i < n; i++) {
		char *line = liang_xstrndup(pledge + lines[i].off, lines[i].len);
		liang_pdf_text(d, L + 18, py, psize, INK, line);
		free(line);
		py += psize * 1.7;
	}
	free(lines);

	/* supervision: the number, the address, the QR code of the page */
	double qr = 132, qx = Rr - qr, qy = PAGE_H - 222;
	y = PAGE_H - 196;
	liang_pdf_text(d, L, y, 13, MUTED, "监督电话");
	liang_pdf_bold(d, true);
	liang_pdf_text(d, L, y + 40, 32, RED, S_col(st, 8));
	liang_pdf_bold(d, false);
	const char *addr = S_col(st, 9);
	if (*addr) {
		char *a = liang_xasprintf("地址：%s", addr);
		n = liang_pdf_wrap(font, a, 12, qx - L - 20, &lines);
		double ay = y + 72;
		for (size_t i = 0; i < n && i < 3; i++) {
			char *line = liang_xstrndup(a + lines[i].off, lines[i].len);
			liang_pdf_text(d, L, ay, 12, INK, line);
			free(line);
			ay += 18;
		}
		free(lines);
		free(a);
	}
	char *url = liang_xasprintf("%sc/%s/%s", c->base_url, id, idx);
	liang_pdf_qr(d, qx, qy, qr, url);
	liang_pdf_link_url(d, qx, qy, qr, qr, url);
	liang_pdf_text_at(d, qx + qr / 2, qy + qr + 12, 9, MUTED, 1, "扫码查看本集体主页");
	free(url);
	liang_pdf_source(d, NULL);

	liang_pdf_line(d, L, PAGE_H - 52, Rr, PAGE_H - 52, 0.6, 0xCCCCCC);
	char *foot = liang_xasprintf("%s%s监制 · %s", *c->organization ? c->organization : c->title,
				     *c->organization ? "" : " ", build_date);
	liang_pdf_text(d, L, PAGE_H - 34, 9, MUTED, foot);
	free(foot);
	liang_pdf_text_at(d, Rr, PAGE_H - 34, 9, MUTED, 2, id);
}

/* The posters, shared by two threads: ids are handed out one at a time;
 * the thread that is not busy with the annual report first makes
 * posters/all.pdf, then both make single posters. */
typedef struct S_posters {
	builder *b;
	const liang_pdf_font *font;
	S_warnings *warn;
	char **ids;
	size_t n;
	atomic_size_t next;
	atomic_int failed;
} S_posters;

typedef struct S_worker {
	S_posters *p;
	sqlite3 *db;
	bool all;               /* make all.pdf first */
} S_worker;

static liang_pdf_info S_poster_info(const liang_config *c, long long epoch, const char *title)
{
	return (liang_pdf_info){title, *c->organization ? c->organization : c->title, "青年文明号服务承诺公示",
				"青年文明号,服务承诺,监督电话", epoch};
}

/* posters/all.pdf: every poster, to print in one go; a large site gets
 * volumes of posters_per_file posters (all-01.pdf, all-02.pdf…), since
 * libharu holds a whole document in memory (about 50 KB a poster). */
static void S_all_posters(S_worker *w, sqlite3_stmt *st)
{
	S_posters *p = w->p;
	builder *b = p->b;
	const liang_config *c = &b->s->config;
	size_t per = c->posters_per_file > 0 ? (size_t)c->posters_per_file : 2000;
	size_t volumes = p->n ? (p->n + per - 1) / per : 1;
	int digits = snprintf(NULL, 0, "%zu", volumes);
	if (digits < 2)
		digits = 2;
	for (size_t v = 0; v < volumes && !atomic_load(&p->failed); v++) {
		liang_pdf *all = liang_pdf_new(p->font);
		liang_pdf_on_warning(all, S_warn, p->warn);
		for (size_t i = v * per; i < p->n && i < (v + 1) * per; i++) {
			sqlite3_bind_text(st, 1, p->ids[i], -1, SQLITE_STATIC);
			if (sqlite3_step(st) == SQLITE_ROW)
				S_poster(all, c, b->s->build_date, b->idx, st);
			sqlite3_reset(st);
		}
		char *title = volumes == 1 ? liang_xasprintf("%s · 服务承诺公示（全部）", c->title)
					   : liang_xasprintf("%s · 服务承诺公示（全部，第 %zu 册，共 %zu 册）", c->title,
							     v + 1, volumes);
		char *rel = volumes == 1 ? liang_xstrdup("posters/all.pdf")
					 : liang_xasprintf("posters/all-%0*zu.pdf", digits, v + 1);
		liang_pdf_info info = S_poster_info(c, b->s->epoch, title);
		if (S_emit(b->s, b->o, all, &info, rel) < 0)
			atomic_store(&p->failed, 1);
		free(rel);
		free(title);
		liang_pdf_free(all);
	}
}

static void *S_posters_run(void *arg)
{
	S_worker *w = arg;
	S_posters *p = w->p;
	builder *b = p->b;
	const liang_config *c = &b->s->config;
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(w->db, liang_query("report_poster"), -1, &st, NULL) != SQLITE_OK) {
		liang_error(b->s->diags, NULL, 0, 0, "查询 report_poster 出错（liang 的缺陷）：%s", sqlite3_errmsg(w->db));
		atomic_store(&p->failed, 1);
		return NULL;
	}
	if (w->all)
		S_all_posters(w, st);
	for (size_t i; !atomic_load(&p->failed) && (i = atomic_fetch_add(&p->next, 1)) < p->n;) {
		sqlite3_bind_text(st, 1, p->ids[i], -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW) {
			liang_pdf *one = liang_pdf_new(p->font);
			liang_pdf_on_warning(one, S_warn, p->warn);
			S_poster(one, c, b->s->build_date, b->idx, st);
			char *title = liang_xasprintf("%s · 服务承诺", S_col(st, 1));
			liang_pdf_info info = S_poster_info(c, b->s->epoch, title);
			char *rel = liang_xasprintf("posters/%s.pdf", p->ids[i]);
			char *where = liang_xasprintf("data/collectives.csv\t集体 %s 的名称", p->ids[i]);
			liang_pdf_source(one, where); /* for the title in the document information */
			free(where);
			if (S_emit(b->s, b->o, one, &info, rel) < 0)
				atomic_store(&p->failed, 1);
			free(rel);
			free(title);
			liang_pdf_free(one);
		}
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return NULL;
}

int liang_reports_prepare(builder *b)
{
	liang_site *s = b->s;
	b->pdf_font = NULL;
	b->report_rel[0] = '\0';
	if (!s->config.pdf)
		return 0;
	/* the environment may say where the default font is (a system that
	 * keeps its fonts elsewhere) */
	const char *env = getenv("LIANG_PDF_FONT");
	const char *path = s->config.pdf_font ? s->config.pdf_font : env && *env ? env : LIANG_PDF_FONT;
	char *err = NULL;
	b->pdf_font = liang_pdf_font_open(path, &err);
	if (!b->pdf_font) {
		/* a font named in site.yaml must work; without the default
		 * one the site is still built, without its PDFs */
		bool named = s->config.pdf_font != NULL;
		if (named)
			liang_error(s->diags, "site.yaml", s->config.pdf_font_line, s->config.pdf_font_col, "pdf_font：%s", err);
		else
			liang_warning(s->diags, NULL, 0, 0,
				      "%s，本次不生成 PDF 报告和公示牌；请安装 fonts-wqy-zenhei，或在 site.yaml 中用 pdf_font "
				      "指定字体（pdf: false 关闭 PDF）",
				      err);
		free(err);
		return named ? -1 : 0;
	}
	char cycle[64];
	S_cycle(b->db, b->s->build_date, cycle, sizeof cycle);
	S_file_safe(cycle);
	snprintf(b->report_rel, sizeof b->report_rel, "reports/annual-%s.pdf", cycle);
	return 0;
}

void liang_reports_end(builder *b)
{
	if (b->pdf_font)
		liang_pdf_font_free(b->pdf_font);
	b->pdf_font = NULL;
}

int liang_reports_build(builder *b)
{
	liang_site *s = b->s;
	const liang_pdf_font *font = b->pdf_font;
	if (!font)
		return 0;
	S_warnings warn;
	warn.s = s;
	pthread_mutex_init(&warn.lock, NULL);
	liang_strmap_init(&warn.seen);
	S_posters p;
	memset(&p, 0, sizeof p);
	p.b = b;
	p.font = font;
	p.warn = &warn;
	atomic_init(&p.next, 0);
	atomic_init(&p.failed, 0);
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(b->db, liang_query("report_posters"), -1, &st, NULL) == SQLITE_OK) {
		size_t cap = 0;
		while (sqlite3_step(st) == SQLITE_ROW) {
			if (p.n == cap)
				p.ids = liang_xrealloc(p.ids, (cap = cap ? 2 * cap : 256) * sizeof *p.ids);
			p.ids[p.n++] = liang_xstrdup(S_col(st, 0));
		}
	}
	sqlite3_finalize(st);

	/* a second thread with its own connection when the database can be
	 * shared: it makes all.pdf while this one makes the annual report */
	S_worker helper = {&p, liang_site_reader(s), true}, self = {&p, b->db, false};
	pthread_t th;
	/* (only beside the writer thread: synchronous writes from two
	 * threads would share the output's place) */
	bool threaded = b->o->async && helper.db && pthread_create(&th, NULL, S_posters_run, &helper) == 0;
	double t0 = liang_now();
	int rc = S_annual(b, b->db, font, &warn);
	double t1 = liang_now();
	self.all = !threaded;
	S_posters_run(&self);
	if (threaded)
		pthread_join(th, NULL);
	/* as the stages' LIANG_TIMINGS=1 (progress.c): the report, and the
	 * posters (begun with it, on the other thread) */
	if (liang_progress_timings())
		fprintf(stderr, "timing: %-20s %8.3f s\ntiming: %-20s %8.3f s\n", "annual report", t1 - t0,
			"posters", liang_now() - t0);
	if (helper.db)
		sqlite3_close(helper.db);
	for (size_t i = 0; i < p.n; i++)
		free(p.ids[i]);
	free(p.ids);
	liang_strmap_free(&warn.seen);
	pthread_mutex_destroy(&warn.lock);
	return rc < 0 || atomic_load(&p.failed) ? -1 : 0;
}
