/* statpages — the statistics, rankings and compliance findings on the
 * site, from the named queries of stats.sql. */
#include "statpages.h"

#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "diag.h"
#include "progress.h"
#include "stats.h"
#include "util.h"

#define RANK_PER_PAGE 100
#define FINDINGS_SHOWN 100

/* ------------------------------------------------------- preparation */

/* Run the named query and keep its rows, in its order, as table (of
 * schema). The column once, when not NULL (compliance's clause: the same
 * text on every finding of a rule), is kept once per value of the first
 * column, in stat_rules(rule, clause), and left NULL in the rows: on
 * preset L it would be a third of the table. */
static int S_keep(sqlite3 *db, const char *query, const char *schema, const char *table, const char *once)
{
	sqlite3_stmt *st = NULL, *ins = NULL, *rule = NULL;
	int rc = sqlite3_prepare_v2(db, liang_stat_sql(db, query), -1, &st, NULL);
	liang_buf sql = LIANG_BUF_INIT;
	int clause = -1;
	if (rc == SQLITE_OK) {
		int n = sqlite3_column_count(st);
		liang_buf_printf(&sql, "CREATE TABLE %s.%s (", schema, table);
		for (int i = 0; i < n; i++) {
			liang_buf_printf(&sql, "%s\"%s\"", i ? ", " : "", sqlite3_column_name(st, i));
			if (i > 0 && once && !strcmp(sqlite3_column_name(st, i), once))
				clause = i;
		}
		liang_buf_puts(&sql, ")");
		rc = sqlite3_exec(db, sql.ptr, NULL, NULL, NULL);
		liang_buf_clear(&sql);
		liang_buf_printf(&sql, "INSERT INTO %s.%s VALUES (", schema, table);
		for (int i = 0; i < n; i++)
			liang_buf_puts(&sql, i ? ", ?" : "?");
		liang_buf_puts(&sql, ")");
		if (rc == SQLITE_OK)
			rc = sqlite3_prepare_v2(db, sql.ptr, -1, &ins, NULL);
		if (rc == SQLITE_OK && clause > 0) {
			liang_buf_clear(&sql);
			liang_buf_printf(&sql, "CREATE TABLE %s.stat_rules (rule TEXT PRIMARY KEY, clause TEXT)", schema);
			rc = sqlite3_exec(db, sql.ptr, NULL, NULL, NULL);
			liang_buf_clear(&sql);
			liang_buf_printf(&sql, "INSERT OR IGNORE INTO %s.stat_rules VALUES (?, ?)", schema);
			if (rc == SQLITE_OK)
				rc = sqlite3_prepare_v2(db, sql.ptr, -1, &rule, NULL);
		}
		liang_buf last = LIANG_BUF_INIT; /* the rule of the row before */
		while (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
			for (int i = 0; i < n; i++)
				if (i != clause)
					sqlite3_bind_value(ins, i + 1, sqlite3_column_value(st, i));
			const char *r = clause > 0 ? (const char *)sqlite3_column_text(st, 0) : NULL;
			size_t len = r ? (size_t)sqlite3_column_bytes(st, 0) : 0;
			if (r && (len != last.len || memcmp(r, liang_buf_cstr(&last), len) != 0)) {
				sqlite3_bind_value(rule, 1, sqlite3_column_value(st, 0));
				sqlite3_bind_value(rule, 2, sqlite3_column_value(st, clause));
				rc = sqlite3_step(rule) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
				sqlite3_reset(rule);
				liang_buf_clear(&last);
				liang_buf_put(&last, r, len);
			}
			if (rc == SQLITE_OK)
				rc = sqlite3_step(ins) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
			sqlite3_reset(ins);
		}
		liang_buf_free(&last);
	}
	sqlite3_finalize(rule);
	sqlite3_finalize(ins);
	sqlite3_finalize(st);
	liang_buf_free(&sql);
	return rc == SQLITE_OK ? 0 : -1;
}

int liang_statpages_prepare(liang_site *s, sqlite3 *db, const char *schema)
{
	sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
	int rc = S_keep(db, "ranking", schema, "stat_ranking", NULL);
	if (rc == 0)
		rc = S_keep(db, "satisfaction", schema, "stat_satisfaction", NULL);
	if (rc == 0)
		rc = S_keep(db, "compliance", schema, "stat_compliance", "clause");
	if (rc == 0) {
		liang_buf sql = LIANG_BUF_INIT;
		for (const char *q = liang_query("stat_counts"), *at; *q; q = at + 8) {
			at = strstr(q, "{schema}");
			if (!at) {
				liang_buf_puts(&sql, q);
				break;
			}
			liang_buf_put(&sql, q, (size_t)(at - q));
			liang_buf_puts(&sql, schema);
		}
		if (sqlite3_exec(db, liang_buf_cstr(&sql), NULL, NULL, NULL) != SQLITE_OK)
			rc = -1;
		liang_buf_free(&sql);
	}
	if (rc < 0)
		liang_error(s->diags, NULL, 0, 0, "统计出错（liang 的缺陷）：%s", sqlite3_errmsg(db));
	sqlite3_exec(db, rc == 0 ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

/* ------------------------------------------------------------ tables */

/* The Chinese heading of a column of stats.sql. */
static const char *S_label(const char *id)
{
	static const char *const labels[][2] = {
		{"rank", "名次"}, {"region_rank", "地区内名次"}, {"industry_rank", "行业内名次"},
		{"id", "编号"}, {"name", "名称"}, {"region", "地区"}, {"industry", "行业"},
		{"level", "级别"}, {"score", "综合得分"}, {"missing", "缺项"},
		{"responses", "样本数"}, {"satisfied", "满意数"}, {"rate", "满意率（%）"},
		{"complaints", "投诉"}, {"resolved", "已整改"}, {"resolved_rate", "整改率（%）"},
		{"quarters", "季度数"}, {"unit", "管理单位"}, {"items", "九项得分"}, {"bonus", "加分"},
		{"penalty", "减分"}, {"total", "总分"}, {"cycle", "周期"}, {"dimension", "维度"},
		{"quota", "名额"}, {"candidates", "创建集体"}, {"ratio", "倍数"}, {"needed", "应至少"},
		{"meets", "达标"}, {"collectives", "集体数"}, {"stars", "星级"}, {"national", "全国"},
		{"provincial", "省级"}, {"municipal", "市级"}, {"county", "县级"}, {"candidate", "创建"},
		{"staff", "职工"}, {"youth", "青年"}, {"youth_share", "青年占比（%）"},
		{"ownership", "性质"}, {"share", "占比（%）"}, {"status", "状态"}, {"band", "区间"},
		{"members", "人数"}, {"affiliation", "政治面貌"}, {"month", "月份"},
		{"activities", "活动"}, {"open_week", "开放周"}, {"participants", "参与人数"},
		{"served", "服务人次"}, {"kind", "类型"}, {"clause", "依据"}, {"subject", "对象"},
		{"detail", "详情"}, {"rule", "规则"}, {"collective", "集体编号"},
	};
	for (size_t i = 0; i < sizeof labels / sizeof *labels; i++)
		if (!strcmp(labels[i][0], id))
			return labels[i][1];
	return id;
}

/* A cell: cls is "num" (a number, right-aligned), "short" (a word such
 * as a region, kept on one line), "name" or "text" (a collective's name,
 * other text: it wraps, but not into a column a few characters wide) or
 * NULL. */
static liang_value *S_cell(builder *b, const char *v, const char *cls, const char *url)
{
	liang_arena *a = &b->arena;
	liang_value *c = liang_v_map(a);
	liang_v_set(a, c, "v", liang_v_str(a, v ? v : ""));
	if (cls)
		liang_v_set(a, c, "cls", liang_v_str(a, cls));
	if (url)
		liang_v_set(a, c, "url", liang_v_str(a, url));
	return c;
}

/* v as a list of one: partials/table is included in an l-each over
 * "tables", which binds its t. */
static liang_value *S_one(builder *b, liang_value *v)
{
	liang_value *l = liang_v_list(&b->arena);
	liang_v_push(&b->arena, l, v);
	return l;
}

/* A table for partials/table: label, head (t, cls), rows (cells). */
static liang_value *S_table(builder *b, const char *label)
{
	liang_arena *a = &b->arena;
	liang_value *t = liang_v_map(a);
	liang_v_set(a, t, "label", liang_v_str(a, label));
	liang_v_set(a, t, "head", liang_v_list(a));
	liang_v_set(a, t, "rows", liang_v_list(a));
	return t;
}

static void S_head(builder *b, liang_value *t, const char *id, bool num)
{
	liang_v_push(&b->arena, liang_v_get(t, "head"), S_cell(b, S_label(id), num ? "num" : NULL, NULL));
	liang_value *h = liang_v_get(t, "head");
	liang_value *last = h->u.list.items[h->u.list.n - 1];
	liang_v_set(&b->arena, last, "t", liang_v_get(last, "v"));
}

static liang_value *S_row(builder *b, liang_value *t)
{
	liang_arena *a = &b->arena;
	liang_value *r = liang_v_map(a);
	liang_v_set(a, r, "cells", liang_v_list(a));
	liang_v_push(a, liang_v_get(t, "rows"), r);
	return liang_v_get(r, "cells");
}

static bool S_is_num(const liang_sqlresult *r, int col)
{
	/* a column is numeric when every value is a number or empty */
	for (long i = 0; i < r->nrows; i++) {
		size_t k = (size_t)i * (size_t)r->ncol + (size_t)col;
		int type = r->types[k];
		const char *v = r->cells[k];
		if (type == SQLITE_TEXT && v && strspn(v, "0123456789.-") != strlen(v))
			return false;
	}
	return r->nrows > 0;
}

static liang_value *S_result_table(builder *b, const liang_sqlresult *r, const char *label)
{
	liang_value *t = S_table(b, label);
	const char *cls[64];
	int ncol = r->ncol < 64 ? r->ncol : 64;
	for (int i = 0; i < ncol; i++) {
		bool num = S_is_num(r, i) && i > 0;
		cls[i] = num ? "num" : liang_sql_column_short(r, i) ? "short" : "text";
		S_head(b, t, r->names[i], num);
	}
	for (long row = 0; row < r->nrows; row++) {
		liang_value *cells = S_row(b, t);
		for (int i = 0; i < ncol; i++)
			liang_v_push(&b->arena, cells, S_cell(b, r->cells[(size_t)row * (size_t)r->ncol + (size_t)i], cls[i], NULL));
	}
	return t;
}

/* ------------------------------------------------------------ /stats/ */

typedef struct block {
	const char *query, *title, *about;
	int kind;                 /* liang_chart_kind, or -1: a table only */
	const char *series[5];    /* the columns drawn */
	const char *names[5];     /* their names on the chart */
} block;

static const block blocks[] = {
	{"levels", "按级别", "各级别青年文明号集体数，创建指已登记、尚未命名的创建集体。", LIANG_CHART_PYRAMID,
	 {"collectives"}, {"集体数"}},
	{"region_levels", "各地区的级别构成", "每个地区各级别的集体数。", LIANG_CHART_STACKED,
	 {"national", "provincial", "municipal", "county", "candidate"}, {"全国", "省级", "市级", "县级", "创建"}},
	{"stars", "按星级", "按星级评定的结果；未评星的集体单列。", LIANG_CHART_BAR, {"collectives"}, {"集体数"}},
	{"industries", "按行业", "各行业的集体数，以及职工和 40 岁以下青年的人数。", LIANG_CHART_HBAR,
	 {"collectives"}, {"集体数"}},
	{"ownership", "按单位性质", "非公经济组织和社会组织的占比，是创建工作覆盖面的一项指标。", LIANG_CHART_DONUT,
	 {"collectives"}, {"集体数"}},
	{"statuses", "按状态", "含已撤销称号的集体。", LIANG_CHART_BAR, {"collectives"}, {"集体数"}},
	{"ages", "成员年龄结构", "由成员出生年份汇总，只公布各年龄段人数。", LIANG_CHART_BAR, {"members"}, {"人数"}},
	{"affiliations", "成员政治面貌", "只公布汇总人数。", LIANG_CHART_PIE, {"members"}, {"人数"}},
	{"activity_months", "每月活动", "本周期每月开展的活动和其中的开放周。", LIANG_CHART_LINE,
	 {"activities", "open_week"}, {"活动", "开放周"}},
	{"activity_kinds", "活动类型", "本周期各类活动的次数、参与人数和服务人次。", LIANG_CHART_HBAR, {"activities"},
	 {"活动次数"}},
	{"satisfaction_bands", "满意率分布", "样本数达到要求、参与排名的集体，按最近四个季度满意率分段。",
	 LIANG_CHART_BAR, {"collectives"}, {"集体数"}},
	{"quota", "名额与创建集体", "每个名额应有足够的创建集体可供推荐。", -1, {NULL}, {NULL}},
};

static int S_column(const liang_sqlresult *r, const char *name)
{
	for (int i = 0; i < r->ncol; i++)
		if (!strcmp(r->names[i], name))
			return i;
	return -1;
}

/* The chart model of block k from its result r: the first column
 * names the categories; false when there is nothing to draw. */
static bool S_block_model(const block *k, const liang_sqlresult *r, liang_chart *c)
{
	memset(c, 0, sizeof *c);
	if (k->kind < 0 || r->err || r->nrows == 0)
		return false;
	c->kind = (liang_chart_kind)k->kind;
	c->title = liang_xstrdup(k->title);
	c->ncat = (size_t)r->nrows;
	while (c->nser < 5 && k->series[c->nser])
		c->nser++;
	c->cats = liang_xcalloc(c->ncat, sizeof *c->cats);
	c->series = liang_xcalloc(c->nser, sizeof *c->series);
	c->values = liang_xcalloc(c->ncat * c->nser, sizeof *c->values);
	for (size_t i = 0; i < c->ncat; i++) {
		const char *v = r->cells[i * (size_t)r->ncol];
		c->cats[i] = liang_xstrdup(v ? v : "");
	}
	for (size_t s = 0; s < c->nser; s++) {
		c->series[s] = liang_xstrdup(k->names[s]);
		int col = S_column(r, k->series[s]);
		for (size_t i = 0; col >= 0 && i < c->ncat; i++) {
			const char *v = r->cells[i * (size_t)r->ncol + (size_t)col];
			c->values[s * c->ncat + i] = v ? atof(v) : 0;
		}
	}
	return true;
}

bool liang_stat_chart(sqlite3 *db, const char *query, liang_chart *c)
{
	memset(c, 0, sizeof *c);
	for (size_t i = 0; i < sizeof blocks / sizeof *blocks; i++) {
		if (strcmp(blocks[i].query, query) != 0)
			continue;
		liang_sqlresult *r = liang_sql_query(db, liang_stat_sql(db, query), 1000);
		bool ok = S_block_model(&blocks[i], r, c);
		liang_sqlresult_free(r);
		return ok;
	}
	return false;
}

/* The chart of a block as SVG, or NULL when there is nothing to draw. */
static liang_value *S_block_chart(builder *b, const block *k, const liang_sqlresult *r)
{
	liang_chart c;
	if (!S_block_model(k, r, &c))
		return NULL;
	liang_buf svg = LIANG_BUF_INIT;
	char id[64];
	snprintf(id, sizeof id, "chart-%s", k->query);
	liang_chart_svg_pair(&c, id, &svg);
	liang_chart_free(&c);
	liang_value *v = liang_v_html(&b->arena, svg.ptr, svg.len);
	liang_buf_free(&svg);
	return v;
}

static void S_figure(builder *b, liang_value *list, const char *value, const char *suffix, const char *label)
{
	liang_arena *a = &b->arena;
	liang_value *f = liang_v_map(a);
	liang_v_set(a, f, "value",
		    liang_v_str(a, liang_arena_printf(a, "%s%s", value ? liang_arena_grouped(a, value) : "—", value ? suffix : "")));
	liang_v_set(a, f, "label", liang_v_str(a, label));
	liang_v_push(a, list, f);
}

static void S_stats_page(builder *b)
{
	liang_arena *a = &b->arena;
	const char *rel = "stats/index.html";
	liang_value *scope = liang_b_scope(b, rel, "stats/", "数据统计");
	if (b->report_rel[0])
		liang_v_set(&b->arena, scope, "report", liang_v_str(&b->arena, b->report_rel));
	liang_sqlresult *t = liang_sql_query(b->db, liang_stat_sql(b->db, "totals"), 1);
	liang_value *figures = liang_v_list(a);
	if (!t->err && t->nrows == 1) {
		static const char *const f[][3] = {
			{"collectives", "", "集体（不含撤销）"}, {"titled", "", "已命名"}, {"candidates", "", "创建集体"},
			{"youth_share", "%", "青年占职工"}, {"private_share", "%", "非公和社会组织"},
			{"members", "", "成员"}, {"activities", "", "本周期活动"}, {"open_week", "", "开放周"},
			{"served", "", "服务人次"}, {"satisfaction", "%", "群众满意率"}};
		for (size_t i = 0; i < sizeof f / sizeof *f; i++) {
			int col = S_column(t, f[i][0]);
			S_figure(b, figures, col >= 0 ? t->cells[col] : NULL, f[i][1], f[i][2]);
		}
		int cyc = S_column(t, "cycle");
		if (cyc >= 0 && t->cells[cyc])
			liang_v_set(a, scope, "cycle", liang_v_str(a, t->cells[cyc]));
	}
	liang_sqlresult_free(t);
	liang_v_set(a, scope, "figures", figures);

	liang_value *list = liang_v_list(a);
	for (size_t i = 0; i < sizeof blocks / sizeof *blocks; i++) {
		const block *k = &blocks[i];
		liang_sqlresult *r = liang_sql_query(b->db, liang_stat_sql(b->db, k->query), 1000);
		if (r->err) {
			liang_error(b->s->diags, NULL, 0, 0, "统计 %s 出错（liang 的缺陷）：%s", k->query, r->err);
			b->failed = 1;
			liang_sqlresult_free(r);
			continue;
		}
		liang_value *v = liang_v_map(a);
		liang_v_set(a, v, "id", liang_v_str(a, k->query));
		liang_v_set(a, v, "title", liang_v_str(a, k->title));
		liang_v_set(a, v, "about", liang_v_str(a, k->about));
		liang_value *chart = S_block_chart(b, k, r);
		if (chart)
			liang_v_set(a, v, "chart", chart);
		liang_v_set(a, v, "tables", S_one(b, S_result_table(b, r, k->title)));
		liang_v_push(a, list, v);
		liang_sqlresult_free(r);
	}
	liang_v_set(a, scope, "blocks", list);
	liang_b_emit(b, rel, "stats", scope, true);
	liang_arena_reset(a);
}

/* --------------------------------------------------------- /rankings/ */

static const char *S_collective_url(builder *b, const char *id)
{
	return liang_arena_printf(&b->arena, "c/%s/", id);
}

typedef struct ranking {
	const char *dir, *tab, *title, *lead, *query;
	const char *cols[10];
} ranking;

static const ranking rankings[] = {
	{"rankings/", "score", "综合得分排名",
	 "认定考核七项指标的加权得分，得分相同的名次相同。地区内、行业内名次见各列。", "stat_ranking_rows",
	 {"rank", "name", "region", "industry", "level", "score", "region_rank", "industry_rank"}},
	{"rankings/satisfaction/", "satisfaction", "群众满意度排名",
	 "最近四个季度的满意率。样本数不足的集体列在最后，不参与排名。", "stat_satisfaction_rows",
	 {"rank", "name", "region", "industry", "responses", "rate", "complaints", "resolved_rate"}},
};

static void S_tabs(builder *b, liang_value *scope, const char *current)
{
	liang_arena *a = &b->arena;
	static const char *const tabs[][3] = {{"score", "rankings/", "综合得分"},
					      {"satisfaction", "rankings/satisfaction/", "群众满意度"},
					      {"units", "rankings/units/", "管理单位考评"}};
	liang_value *list = liang_v_list(a);
	for (size_t i = 0; i < 3; i++) {
		liang_value *t = liang_v_map(a);
		liang_v_set(a, t, "url", liang_v_str(a, liang_arena_printf(a, "%s%s", tabs[i][1], b->idx)));
		liang_v_set(a, t, "title", liang_v_str(a, tabs[i][2]));
		liang_v_set(a, t, "current", !strcmp(tabs[i][0], current) ? liang_v_str(a, "page") : &liang_null);
		liang_v_push(a, list, t);
	}
	liang_v_set(a, scope, "tabs", list);
}

static long S_count(builder *b, const char *table)
{
	char *sql = liang_xasprintf("SELECT COUNT(*) FROM %s", table);
	sqlite3_stmt *st;
	long n = 0;
	if (sqlite3_prepare_v2(b->db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	free(sql);
	return n;
}

static void S_ranking_pages(builder *b, const ranking *k, const char *cycle)
{
	liang_arena *a = &b->arena;
	sqlite3_stmt *st = liang_b_prepare(b, k->query);
	if (!st)
		return;
	long total = S_count(b, !strcmp(k->tab, "score") ? "stat_ranking" : "stat_satisfaction");
	long pages = total ? (total + RANK_PER_PAGE - 1) / RANK_PER_PAGE : 1;
	/* each column of the table: where the query has it, and how it is
	 * shown (found once, not for every cell) */
	int ncol = sqlite3_column_count(st), col[10];
	bool text[10], rank[10], name[10];
	const char *cls[10];
	size_t ncols = 0;
	for (; ncols < 10 && k->cols[ncols]; ncols++) {
		const char *id = k->cols[ncols];
		col[ncols] = -1;
		for (int j = 0; j < ncol; j++)
			if (!strcmp(sqlite3_column_name(st, j), id))
				col[ncols] = j;
		name[ncols] = !strcmp(id, "name");
		text[ncols] = name[ncols] || !strcmp(id, "region") || !strcmp(id, "industry") || !strcmp(id, "level");
		rank[ncols] = !strcmp(id, "rank");
		cls[ncols] = name[ncols] ? "name" : text[ncols] ? "short" : "num";
	}
	bool more = sqlite3_step(st) == SQLITE_ROW;
	for (long page = 1; page <= pages && !b->failed; page++) {
		char *rel = page == 1 ? liang_xasprintf("%sindex.html", k->dir)
				      : liang_xasprintf("%spage/%ld/index.html", k->dir, page);
		liang_value *scope = liang_b_scope(b, rel, "stats/",
						   page == 1 ? k->title : liang_arena_printf(a, "%s（第 %ld 页）", k->title, page));
		liang_v_set(a, scope, "title", liang_v_str(a, k->title));
		liang_v_set(a, scope, "lead", liang_v_str(a, k->lead));
		liang_v_set(a, scope, "total", liang_v_int(a, total));
		if (cycle)
			liang_v_set(a, scope, "cycle", liang_v_str(a, cycle));
		S_tabs(b, scope, k->tab);
		liang_value *t = S_table(b, k->title);
		for (size_t i = 0; i < ncols; i++)
			S_head(b, t, k->cols[i], !text[i]);
		for (int n = 0; n < RANK_PER_PAGE && more; n++) {
			liang_value *cells = S_row(b, t);
			for (size_t i = 0; i < ncols; i++) {
				const char *v = col[i] >= 0 ? liang_b_col(st, col[i]) : NULL;
				if (rank[i] && !v)
					v = "—";
				/* a region or industry of free text may be long: it wraps */
				const char *c = !strcmp(cls[i], "short") && !liang_text_short(v) ? "text" : cls[i];
				liang_v_push(a, cells,
					     S_cell(b, v, c, name[i] ? S_collective_url(b, liang_b_col(st, 1)) : NULL));
			}
			more = sqlite3_step(st) == SQLITE_ROW;
		}
		liang_v_set(a, scope, "tables", S_one(b, t));
		liang_v_set(a, scope, "pager", liang_b_pager(b, k->dir, page, pages));
		liang_b_emit(b, rel, "rankings", scope, true);
		free(rel);
		liang_arena_reset(a);
	}
	sqlite3_finalize(st);
}

static void S_units_page(builder *b, const char *cycle)
{
	liang_arena *a = &b->arena;
	const char *rel = "rankings/units/index.html";
	liang_value *scope = liang_b_scope(b, rel, "stats/", "管理单位考评");
	liang_v_set(a, scope, "title", liang_v_str(a, "管理单位考评"));
	liang_v_set(a, scope, "lead", liang_v_str(a, "各管理单位九项考评指标的得分，加上加分、减去减分后的总分。"));
	if (cycle)
		liang_v_set(a, scope, "cycle", liang_v_str(a, cycle));
	S_tabs(b, scope, "units");
	liang_sqlresult *r = liang_sql_query(b->db, liang_stat_sql(b->db, "units"), 100000);
	liang_v_set(a, scope, "total", liang_v_int(a, r->nrows));
	liang_v_set(a, scope, "tables", S_one(b, S_result_table(b, r, "管理单位考评")));
	liang_sqlresult_free(r);
	liang_b_emit(b, rel, "rankings", scope, true);
	liang_arena_reset(a);
}

/* ------------------------------------------------- /stats/compliance/ */

static void S_compliance(builder *b)
{
	liang_arena *a = &b->arena;
	const char *rel = "stats/compliance/index.html";
	liang_value *scope = liang_b_scope(b, rel, "stats/", "合规检查");
	sqlite3_stmt *rules = liang_b_prepare(b, "stat_compliance_rules");
	sqlite3_stmt *rows = liang_b_prepare(b, "stat_compliance_rows");
	if (!rules || !rows) {
		sqlite3_finalize(rules);
		sqlite3_finalize(rows);
		return;
	}
	liang_out_file file;
	int rc = liang_out_file_open(b->o, &file, "stats/compliance.csv");
	liang_buf csv = LIANG_BUF_INIT;
	liang_buf_puts(&csv, "\xEF\xBB\xBF规则,依据,对象,名称,详情,集体编号\r\n");
	liang_value *list = liang_v_list(a);
	long all = 0;
	bool more = sqlite3_step(rows) == SQLITE_ROW;
	while (sqlite3_step(rules) == SQLITE_ROW) {
		const char *rule = liang_b_col(rules, 0);
		long n = sqlite3_column_int(rules, 2);
		all += n;
		liang_value *g = liang_v_map(a);
		liang_v_set(a, g, "rule", liang_v_str(a, rule));
		liang_v_set(a, g, "clause", liang_v_str(a, liang_b_col(rules, 1)));
		liang_v_set(a, g, "count", liang_v_int(a, n));
		liang_value *items = liang_v_list(a);
		long shown = 0;
		for (; more && !strcmp(liang_b_col(rows, 0), rule); more = sqlite3_step(rows) == SQLITE_ROW) {
			for (int i = 0; i < 6; i++) {
				if (i)
					liang_buf_putc(&csv, ',');
				liang_b_csv_cell(&csv, liang_b_col(rows, i), true);
			}
			liang_buf_puts(&csv, "\r\n");
			if (rc == 0)
				rc = liang_out_file_spill(&file, &csv, false);
			if (shown++ >= FINDINGS_SHOWN)
				continue;
			liang_value *f = liang_v_map(a);
			const char *coll = liang_b_col(rows, 5);
			liang_v_set(a, f, "subject", liang_v_str(a, liang_b_col(rows, 2)));
			liang_v_set(a, f, "name", liang_v_str(a, liang_b_col(rows, 3)));
			liang_v_set(a, f, "detail", liang_v_str(a, liang_b_col(rows, 4)));
			if (coll)
				liang_v_set(a, f, "url", liang_v_str(a, S_collective_url(b, coll)));
			liang_v_push(a, items, f);
		}
		liang_v_set(a, g, "items", items);
		if (n > FINDINGS_SHOWN)
			liang_v_set(a, g, "more", liang_v_int(a, n - FINDINGS_SHOWN));
		liang_v_push(a, list, g);
	}
	/* the two queries are walked side by side: that needs each rule's
	 * findings together, as stats.sql inserts them; a finding left over
	 * means they were not, and the page and the list would miss some */
	if (more) {
		liang_error(b->s->diags, NULL, 0, 0, "合规检查的发现没有按规则排在一起（liang 的缺陷）：规则“%s”",
			    liang_b_col(rows, 0) ? liang_b_col(rows, 0) : "");
		b->failed = 1;
	}
	sqlite3_finalize(rules);
	sqlite3_finalize(rows);
	liang_v_set(a, scope, "rules", list);
	liang_v_set(a, scope, "total", liang_v_int(a, all));
	if (rc == 0)
		rc = liang_out_file_spill(&file, &csv, true);
	if (liang_out_file_close(&file) < 0 || rc < 0)
		b->failed = 1;
	liang_buf_free(&csv);
	liang_b_emit(b, rel, "compliance", scope, true);
	liang_arena_reset(a);
}

void liang_statpages_build(builder *b)
{
	char *cycle = NULL;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(b->db, "SELECT cycle FROM stat_ranking LIMIT 1", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW && liang_b_col(st, 0))
			cycle = liang_xstrdup(liang_b_col(st, 0));
		sqlite3_finalize(st);
	}
	S_stats_page(b);
	S_compliance(b);
	for (size_t i = 0; i < sizeof rankings / sizeof *rankings && !b->failed; i++)
		S_ranking_pages(b, &rankings[i], cycle);
	S_units_page(b, cycle);
	free(cycle);
}

/* ---------------------------------------------------- collective pages */

void liang_statq_open(builder *b, liang_statq *q)
{
	q->rank = (liang_cursor){.st = liang_b_prepare(b, "stat_collective_rank")};
	q->sat = (liang_cursor){.st = liang_b_prepare(b, "stat_collective_satisfaction")};
	q->find = (liang_cursor){.st = liang_b_prepare(b, "stat_collective_findings")};
}

void liang_statq_close(liang_statq *q)
{
	sqlite3_finalize(q->rank.st);
	sqlite3_finalize(q->sat.st);
	sqlite3_finalize(q->find.st);
	memset(q, 0, sizeof *q);
}

/* At most this many findings on a page; the rest are counted. */
#define PAGE_FINDINGS 50

void liang_statq_collective(builder *b, liang_statq *q, const char *id, liang_value *scope)
{
	liang_arena *a = &b->arena;
	liang_value *r = NULL;
	sqlite3_stmt *rank = q->rank.st, *sat = q->sat.st, *find = q->find.st;
	if (liang_cursor_on(&q->rank, id)) {
		r = liang_v_map(a);
		static const char *const keys[] = {"score", "rank", "of", "region_rank", "region_of",
						   "industry_rank", "industry_of", "cycle", "missing"};
		for (int i = 0; i < 9; i++)
			liang_v_set(a, r, keys[i], liang_v_str(a, liang_b_col(rank, i + 1)));
		if (!sqlite3_column_int(rank, 9))
			liang_v_set(a, r, "missing", &liang_null);
	}
	if (liang_cursor_on(&q->sat, id) && sqlite3_column_type(sat, 1) != SQLITE_NULL) {
		if (!r)
			r = liang_v_map(a);
		liang_v_set(a, r, "sat_rank", liang_v_str(a, liang_b_col(sat, 1)));
		liang_v_set(a, r, "sat_of", liang_v_str(a, liang_b_col(sat, 2)));
	}
	if (r)
		liang_v_set(a, scope, "ranks", r);

	liang_value *list = liang_v_list(a);
	long long all = 0;
	for (; liang_cursor_on(&q->find, id); liang_cursor_next(&q->find)) {
		if (++all > PAGE_FINDINGS)
			continue; /* counted, not shown */
		liang_value *f = liang_v_map(a);
		liang_v_set(a, f, "rule", liang_v_str(a, liang_b_col(find, 1)));
		liang_v_set(a, f, "clause", liang_v_str(a, liang_b_col(find, 2)));
		liang_v_set(a, f, "detail", liang_v_str(a, liang_b_col(find, 3)));
		liang_v_push(a, list, f);
	}
	liang_v_set(a, scope, "findings", list);
	if (all > (long long)list->u.list.n)
		liang_v_set(a, scope, "findings_total", liang_v_int(a, all));
}
