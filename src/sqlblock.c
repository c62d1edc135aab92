/* sqlblock — read-only user queries. */
#include "sqlblock.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "site.h"
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
		/* count(*) reads a table without naming a column, and SQLite
		 * then does not say through which view: allowed, as long as
		 * the query names no internal table itself (S_names_internal) */
		if (a && !strncmp(a, "data_", 5) && !view && b && *b) {
			g->refused = "直接读取内部数据表（请使用公开视图，如 collectives、activities）";
			return SQLITE_DENY;
		}
		if (a && (!strncmp(a, "sqlite_", 7) || !strncmp(a, "stat_", 5) || !strncmp(a, "base_", 5)) && !view) {
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

/* Is id (n bytes) the name of a base_ table of stats.sql (any case)? Only
 * those: an alias such as base_count is the query's own. */
static bool S_base_name(const char *id, size_t n)
{
	char name[64];
	if (n < 6 || n >= sizeof name || strncasecmp(id, "base_", 5) != 0)
		return false;
	for (size_t i = 0; i < n; i++)
		name[i] = (char)(id[i] >= 'A' && id[i] <= 'Z' ? id[i] + 32 : id[i]);
	name[n] = '\0';
	return liang_query_find(name) != NULL;
}

/* Does the query name a data_*, stat_*, base_* or sqlite_* table? Identifiers are read
 * outside string literals and comments, bare or quoted ("…", […], `…`). */
static bool S_names_internal(const char *sql)
{
	const char *p = sql;
	while (*p) {
		char c = *p;
		if (c == '\'') {
			for (p++; *p && !(*p == '\'' && p[1] != '\''); p += *p == '\'' ? 2 : 1)
				;
			if (*p)
				p++;
			continue;
		}
		if (c == '-' && p[1] == '-') {
			p += strcspn(p, "\n");
			continue;
		}
		if (c == '/' && p[1] == '*') {
			const char *e = strstr(p + 2, "*/");
			p = e ? e + 2 : p + strlen(p);
			continue;
		}
		const char *id = p;
		size_t n = 0;
		if (c == '"' || c == '[' || c == '`') {
			char close = c == '[' ? ']' : c;
			id = p + 1;
			n = strcspn(id, (char[]){close, 0});
			p = id + n + (id[n] ? 1 : 0);
		} else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (c & 0x80)) {
			while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
			       *p == '_' || *p == '$' || (*p & 0x80))
				p++;
			n = (size_t)(p - id);
		} else {
			p++;
			continue;
		}
		/* stat_* and base_*: the statistics a build keeps while
		 * rendering and the summaries they share (temporary tables of
		 * the connection that made them); a query could otherwise see
		 * them or not depending on which thread ran it first */
		if ((n >= 5 && !strncasecmp(id, "data_", 5)) || (n >= 7 && !strncasecmp(id, "sqlite_", 7)) ||
		    (n >= 5 && !strncasecmp(id, "stat_", 5)) || S_base_name(id, n))
			return true;
	}
	return false;
}

/* Does the statement begin with SELECT, WITH or VALUES (after blanks and
 * comments)? Anything else is refused before SQLite sees it, so that the
 * reason is ours and in Chinese. */
static bool S_reads(const char *p)
{
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '(')
			p++;
		if (p[0] == '-' && p[1] == '-')
			p += strcspn(p, "\n");
		else if (p[0] == '/' && p[1] == '*') {
			const char *e = strstr(p + 2, "*/");
			p = e ? e + 2 : p + strlen(p);
		} else
			break;
	}
	return !strncasecmp(p, "select", 6) || !strncasecmp(p, "with", 4) || !strncasecmp(p, "values", 6);
}

static int S_progress(void *arg)
{
	guard *g = arg;
	g->steps += 1000;
	return g->steps > MAX_STEPS;
}

static liang_sqlresult *S_fail(liang_sqlresult *r, char *err)
{
	r->err = err;
	return r;
}

/* The rows of st into r, at most max of them. */
static int S_collect(sqlite3_stmt *st, liang_sqlresult *r, long max)
{
	int rc;
	r->ncol = sqlite3_column_count(st);
	r->names = liang_xcalloc((size_t)r->ncol + 1, sizeof *r->names);
	for (int i = 0; i < r->ncol; i++)
		r->names[i] = liang_xstrdup(sqlite3_column_name(st, i));
	size_t cap = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (r->nrows == max) {
			r->truncated = true;
			break;
		}
		if ((size_t)r->nrows == cap) {
			cap = cap ? cap * 2 : 16;
			r->cells = liang_xrealloc(r->cells, cap * (size_t)r->ncol * sizeof *r->cells + 1);
			r->types = liang_xrealloc(r->types, cap * (size_t)r->ncol + 1);
		}
		for (int i = 0; i < r->ncol; i++) {
			size_t k = (size_t)r->nrows * (size_t)r->ncol + (size_t)i;
			/* the type first: reading the text may convert the value */
			r->types[k] = (unsigned char)sqlite3_column_type(st, i);
			const char *v = (const char *)sqlite3_column_text(st, i);
			r->cells[k] = v ? liang_xstrdup(v) : NULL;
		}
		r->nrows++;
	}
	return rc;
}

liang_sqlresult *liang_sql_query(sqlite3 *db, const char *sql, long max_rows)
{
	liang_sqlresult *r = liang_xcalloc(1, sizeof *r);
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (rc == SQLITE_OK && st)
		rc = S_collect(st, r, max_rows);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		r->err = liang_xasprintf("SQL 运行出错：%s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return r;
}

static liang_sqlresult *S_run(sqlite3 *db, const char *sql)
{
	liang_sqlresult *r = liang_xcalloc(1, sizeof *r);
	guard g = {0, NULL};
	sqlite3_set_authorizer(db, S_authorize, &g);
	sqlite3_progress_handler(db, 1000, S_progress, &g);
	sqlite3_stmt *st = NULL;
	const char *tail = NULL;
	if (S_names_internal(sql)) {
		S_fail(r, liang_xstrdup("不允许的查询：直接读取内部数据表（请使用公开视图，如 collectives、activities）"));
		goto done;
	}
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, &tail);
	if (rc != SQLITE_OK) {
		if (g.refused)
			S_fail(r, liang_xasprintf("不允许的查询：%s；sql 代码块只能用 SELECT 读取公开数据", g.refused));
		else if (!S_reads(sql))
			S_fail(r, liang_xstrdup("不允许的查询：sql 代码块只能用 SELECT 读取数据"));
		else
			S_fail(r, liang_xasprintf("SQL 有误：%s", sqlite3_errmsg(db)));
		goto done;
	}
	if (!st) {
		S_fail(r, liang_xstrdup("sql 代码块是空的"));
		goto done;
	}
	while (tail && (*tail == ' ' || *tail == '\n' || *tail == '\t' || *tail == '\r' || *tail == ';'))
		tail++;
	if (tail && *tail) {
		S_fail(r, liang_xstrdup("一个 sql 代码块只能有一条查询语句"));
		goto done;
	}
	if (!sqlite3_stmt_readonly(st)) {
		S_fail(r, liang_xstrdup("不允许的查询：sql 代码块只能用 SELECT 读取数据"));
		goto done;
	}
	rc = S_collect(st, r, LIANG_SQL_MAX_ROWS);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		S_fail(r, g.steps > MAX_STEPS ? liang_xstrdup("查询运行时间过长，已停止")
					      : liang_xasprintf("SQL 运行出错：%s", sqlite3_errmsg(db)));
done:
	sqlite3_finalize(st);
	sqlite3_set_authorizer(db, NULL, NULL);
	sqlite3_progress_handler(db, 0, NULL, NULL);
	return r;
}

void liang_sqlresult_free(liang_sqlresult *r)
{
	if (!r)
		return;
	for (int i = 0; i < r->ncol; i++)
		free(r->names[i]);
	for (size_t k = 0; k < (size_t)r->nrows * (size_t)r->ncol; k++)
		free(r->cells[k]);
	free(r->names);
	free(r->cells);
	free(r->types);
	free(r->err);
	free(r);
}

void liang_sqlcache_init(liang_sqlcache *c)
{
	memset(c, 0, sizeof *c);
	liang_strmap_init(&c->index);
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->ready, NULL);
}

void liang_sqlcache_free(liang_sqlcache *c)
{
	for (size_t i = 0; i < c->n; i++)
		liang_sqlresult_free(c->items[i]);
	free(c->items);
	liang_strmap_free(&c->index);
	pthread_mutex_destroy(&c->lock);
	pthread_cond_destroy(&c->ready);
	memset(c, 0, sizeof *c);
}

liang_sqlresult *liang_sql_run(liang_sqlcache *c, sqlite3 *db, const char *sql)
{
	if (!c)
		return S_run(db, sql);
	/* Results never change or go away while the cache lives, so the
	 * pointer stays good after the lock is let go. Each thread runs the
	 * queries it meets first on its own connection, outside the lock; a
	 * thread that meets a query still running waits for its result. */
	pthread_mutex_lock(&c->lock);
	long *slot = liang_strmap_get(&c->index, sql, strlen(sql));
	if (slot) {
		c->hits++;
		while (!c->items[*slot])
			pthread_cond_wait(&c->ready, &c->lock);
		liang_sqlresult *r = c->items[*slot];
		pthread_mutex_unlock(&c->lock);
		return r;
	}
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->items = liang_xrealloc(c->items, c->cap * sizeof *c->items);
	}
	size_t mine = c->n++;
	c->items[mine] = NULL;
	liang_strmap_add(&c->index, sql, strlen(sql), (long)mine, NULL);
	pthread_mutex_unlock(&c->lock);
	liang_sqlresult *r = S_run(db, sql);
	pthread_mutex_lock(&c->lock);
	c->items[mine] = r;
	pthread_cond_broadcast(&c->ready);
	pthread_mutex_unlock(&c->lock);
	return r;
}

bool liang_text_short(const char *v)
{
	size_t w = 0; /* in columns: a Hanzi takes two */
	for (const unsigned char *p = (const unsigned char *)v; p && *p; p++) {
		if (*p < 0x80)
			w++;
		else if (*p >= 0xC0)
			w += *p >= 0xE0 ? 2 : 1;
		if (w > 13)
			return false;
	}
	return true;
}

bool liang_sql_column_short(const liang_sqlresult *r, int col)
{
	for (long i = 0; i < r->nrows; i++)
		if (!liang_text_short(r->cells[(size_t)i * (size_t)r->ncol + (size_t)col]))
			return false;
	return true;
}

void liang_table_region_open(liang_buf *out, const char *kind, const char *const *heads, size_t n)
{
	liang_buf label = LIANG_BUF_INIT;
	size_t chars = 0;
	for (size_t i = 0; i < n && chars <= 40; i++) {
		const char *h = heads[i] ? heads[i] : "";
		if (!*h)
			continue;
		if (label.len)
			liang_buf_puts(&label, "、");
		/* whole characters: a heading cut at 40 ends in … */
		for (const unsigned char *p = (const unsigned char *)h; *p; p++) {
			if ((*p & 0xC0) != 0x80 && ++chars > 40) {
				liang_buf_puts(&label, "…");
				break;
			}
			liang_buf_putc(&label, (char)*p);
		}
	}
	liang_buf_puts(out, "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"");
	liang_html_attr(out, kind, strlen(kind));
	if (label.len) {
		liang_buf_puts(out, "：");
		liang_html_attr(out, liang_buf_cstr(&label), label.len);
	}
	liang_buf_puts(out, "（可左右滚动）\">");
	liang_buf_free(&label);
}

void liang_sql_table_html(const liang_sqlresult *r, liang_buf *out)
{
	liang_table_region_open(out, "查询结果", (const char *const *)r->names, (size_t)r->ncol);
	liang_buf_puts(out, "<table class=\"data\">\n<thead><tr>");
	for (int i = 0; i < r->ncol; i++) {
		liang_buf_puts(out, "<th scope=\"col\">");
		liang_html_text(out, r->names[i], strlen(r->names[i]));
		liang_buf_puts(out, "</th>");
	}
	liang_buf_puts(out, "</tr></thead>\n<tbody>\n");
	bool shorts[64];
	for (int i = 0; i < r->ncol && i < 64; i++)
		shorts[i] = liang_sql_column_short(r, i);
	for (long row = 0; row < r->nrows; row++) {
		liang_buf_puts(out, "<tr>");
		for (int i = 0; i < r->ncol; i++) {
			size_t k = (size_t)row * (size_t)r->ncol + (size_t)i;
			int type = r->types[k];
			const char *v = r->cells[k];
			const char *td = "<td class=\"text\">";
			if (type == SQLITE_INTEGER || type == SQLITE_FLOAT)
				td = "<td class=\"num\">";
			else if (i < 64 && shorts[i])
				td = "<td class=\"short\">";
			liang_buf_puts(out, td);
			if (v)
				liang_html_text(out, v, strlen(v));
			liang_buf_puts(out, "</td>");
		}
		liang_buf_puts(out, "</tr>\n");
	}
	liang_buf_puts(out, "</tbody></table></div>\n");
	if (r->truncated)
		liang_buf_printf(out, "<p class=\"note\">仅显示前 %d 行。</p>\n", LIANG_SQL_MAX_ROWS);
	else if (r->nrows == 0)
		liang_buf_puts(out, "<p class=\"note\">（没有数据）</p>\n");
}
