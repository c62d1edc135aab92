/* build — the public site from the database, through the theme's
 * templates: home, the public list with its filter pages, a page per
 * collective, notices, other pages, 404, sitemap, feed, open-data CSV,
 * and the media the pages refer to.
 *
 * Pages are rendered one at a time, straight out of SQLite, into a
 * per-page arena that is reset after each: memory does not grow with the
 * number of collectives.
 *
 * Two threads render, each with its own read-only connection to the
 * loaded database (see liang_site_reader), and a third writes the files
 * (liang_out_async). The helper thread computes the statistics, renders
 * their pages, writes the open-data files and then pages of collectives;
 * the main thread renders the home page, the lists, the notices and the
 * galleries, then joins in on the collectives, which are handed out in
 * chunks (so that both threads end together). Nothing written depends
 * on which thread got there first: media names are fixed before any page
 * that can show media is rendered, and the sitemap is sorted. */
#include "build.h"
#include "builder.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/xmlwriter.h>

#include "buf.h"
#include "embed.h"
#include "gallery.h"
#include "i18n.h"
#include "imgproc.h"
#include "load.h"
#include "markdown.h"
#include "progress.h"
#include "report.h"
#include "statpages.h"
#include "stats.h"
#include "strmap.h"
#include "table.h"
#include "template.h"
#include "util.h"
#include "value.h"


/* ----------------------------------------------------------- helpers */

static int S_depth(const char *rel)
{
	int d = 0;
	for (const char *p = rel; *p; p++)
		d += *p == '/';
	return d;
}

const char *liang_b_root(builder *b, const char *rel)
{
	int d = S_depth(rel);
	if (d == 0)
		return "./"; /* never an empty href */
	char *r = liang_arena_alloc(&b->arena, (size_t)d * 3 + 1);
	for (int i = 0; i < d; i++)
		memcpy(r + i * 3, "../", 3);
	r[d * 3] = '\0';
	return r;
}

void liang_b_sitemap_add(builder *b, const char *rel)
{
	if (b->nsitemap == b->capsitemap) {
		b->capsitemap = b->capsitemap ? b->capsitemap * 2 : 256;
		b->sitemap = liang_xrealloc(b->sitemap, b->capsitemap * sizeof *b->sitemap);
	}
	/* "c/A/index.html" is published as "c/A/" */
	size_t n = strlen(rel);
	if (n >= 10 && !strcmp(rel + n - 10, "index.html"))
		n -= 10;
	b->sitemap[b->nsitemap++] = liang_xstrndup(rel, n);
}

static liang_value *S_site_value(builder *b, liang_arena *a)
{
	liang_config *c = &b->s->config;
	liang_value *site = liang_v_map(a);
	liang_v_set(a, site, "title", liang_v_str(a, c->title));
	liang_v_set(a, site, "city", liang_v_str(a, c->city));
	liang_v_set(a, site, "organization", *c->organization ? liang_v_str(a, c->organization) : &liang_null);
	liang_v_set(a, site, "description", *c->description ? liang_v_str(a, c->description) : &liang_null);
	liang_v_set(a, site, "base_url", liang_v_str(a, c->base_url));
	return site;
}

static const char *const fixed_nav[][2] = {{"", "首页"},          {"collectives/", "集体名录"},
					   {"openweek/", "开放周"},  {"works/", "创建成果"},
					   {"notices/", "通知公告"}, {"stats/", "统计排行"}};

/* The navigation, with the entry of section marked as current. */
static liang_value *S_nav(builder *b, liang_arena *a, const char *section)
{
	liang_value *nav = liang_v_list(a);
	for (size_t i = 0; i < sizeof fixed_nav / sizeof *fixed_nav; i++) {
		liang_value *n = liang_v_map(a);
		liang_v_set(a, n, "url", liang_v_str(a, liang_arena_printf(a, "%s%s", fixed_nav[i][0], b->idx)));
		liang_v_set(a, n, "title", liang_v_str(a, fixed_nav[i][1]));
		liang_v_set(a, n, "current",
			    section && !strcmp(section, fixed_nav[i][0]) ? liang_v_str(a, "page") : &liang_null);
		liang_v_push(a, nav, n);
	}
	for (size_t i = 0; b->nav_pages && i < b->nav_pages->u.list.n; i++) {
		liang_value *p = b->nav_pages->u.list.items[i];
		const liang_value *url = liang_v_get(p, "dir");
		liang_value *n = liang_v_map(a);
		liang_v_set(a, n, "url", liang_v_str(a, liang_arena_printf(a, "%s%s", url->u.str.s, b->idx)));
		liang_v_set(a, n, "title", liang_v_get(p, "title"));
		liang_v_set(a, n, "current",
			    section && !strcmp(section, url->u.str.s) ? liang_v_str(a, "page") : &liang_null);
		liang_v_push(a, nav, n);
	}
	return nav;
}

void liang_b_scope_prepare(builder *b, liang_arena *keep)
{
	b->scope_site = S_site_value(b, keep);
	b->nscope_navs = 0;
	/* the sections of the pages there are most of */
	static const char *const sections[] = {"collectives/", "openweek/", "works/", "notices/", "stats/", ""};
	for (size_t i = 0; i < sizeof sections / sizeof *sections; i++) {
		b->scope_navs[i].section = sections[i];
		b->scope_navs[i].nav = S_nav(b, keep, sections[i]);
		b->nscope_navs++;
	}
}

/* The scope every page starts from. section names the navigation entry
 * to mark as current. */
liang_value *liang_b_scope(builder *b, const char *rel, const char *section, const char *title)
{
	liang_arena *a = &b->arena;
	liang_config *c = &b->s->config;
	liang_value *scope = liang_v_map(a);
	liang_v_set(a, scope, "site", b->scope_site ? b->scope_site : S_site_value(b, a));
	liang_v_set(a, scope, "root", liang_v_str(a, rel ? liang_b_root(b, rel) : c->base_url));
	liang_v_set(a, scope, "idx", liang_v_str(a, b->idx));
	liang_v_set(a, scope, "build_date", liang_v_str(a, b->s->build_date));
	liang_v_set(a, scope, "head_title",
		    liang_v_str(a, title ? liang_arena_printf(a, "%s - %s", title, c->title) : c->title));
	liang_value *nav = NULL;
	for (size_t i = 0; section && i < b->nscope_navs && !nav; i++)
		if (!strcmp(b->scope_navs[i].section, section))
			nav = b->scope_navs[i].nav;
	liang_v_set(a, scope, "nav", nav ? nav : S_nav(b, a, section));
	return scope;
}

/* Render a template into rel and write it. */
int liang_b_emit(builder *b, const char *rel, const char *tmpl, liang_value *scope, bool in_sitemap)
{
	liang_buf_clear(&b->page);
	if (liang_theme_render(b->theme, tmpl, scope, &b->arena, &b->page) < 0) {
		b->failed = 1;
		return -1;
	}
	if (liang_out_give(b->o, rel, &b->page) < 0) {
		b->failed = 1;
		return -1;
	}
	if (in_sitemap)
		liang_b_sitemap_add(b, rel);
	liang_progress_tick(b->s, 1);
	return 0;
}

sqlite3_stmt *liang_b_prepare(builder *b, const char *query)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(b->db, liang_query(query), -1, &st, NULL) != SQLITE_OK) {
		liang_error(b->s->diags, NULL, 0, 0, "查询 %s 出错（liang 的缺陷）：%s", query, sqlite3_errmsg(b->db));
		b->failed = 1;
	}
	return st;
}

/* Step c: false at the end, or on an error (kept in c->err). */
static bool S_cursor_step(liang_cursor *c)
{
	int rc = sqlite3_step(c->st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE && !c->err)
		c->err = rc;
	return rc == SQLITE_ROW;
}

void liang_cursor_start(liang_cursor *c, const char *first, const char *last)
{
	c->row = false;
	if (!c->st)
		return;
	sqlite3_reset(c->st);
	sqlite3_bind_text(c->st, 1, first, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(c->st, 2, last, -1, SQLITE_TRANSIENT);
	c->row = S_cursor_step(c);
}

bool liang_cursor_on(liang_cursor *c, const char *id)
{
	while (c->row) {
		const char *k = (const char *)sqlite3_column_text(c->st, 0);
		int cmp = k ? strcmp(k, id) : -1;
		if (cmp >= 0)
			return cmp == 0;
		c->row = S_cursor_step(c);
	}
	return false;
}

void liang_cursor_next(liang_cursor *c)
{
	c->row = c->row && S_cursor_step(c);
}

const char *liang_b_col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

/* ------------------------------------------------------------- media */

/* The published URL path of a file of content/, or NULL when the path is
 * empty. Names are made ASCII (pinyin) and kept under media/; the file is
 * copied when the build ends. */
static const char *S_media_locked(media_reg *m, const char *path, size_t len)
{
	long *i = liang_strmap_get(&m->map, path, len);
	if (i)
		return m->out[*i];
	liang_buf out = LIANG_BUF_INIT;
	if (strncmp(path, "media/", 6) != 0)
		liang_buf_puts(&out, "media/");
	const char *p = path;
	while (*p) {
		size_t n = strcspn(p, "/");
		char *part = liang_xstrndup(p, n);
		const char *dot = p[n] ? NULL : strrchr(part, '.');
		if (dot && dot != part) {
			*(char *)dot = '\0';
			liang_slugify(part, &out);
			liang_buf_putc(&out, '.');
			for (const char *e = dot + 1; *e; e++)
				liang_buf_putc(&out, (*e >= 'A' && *e <= 'Z') ? *e + 32 : *e);
		} else {
			liang_slugify(part, &out);
		}
		free(part);
		p += n;
		if (*p == '/') {
			liang_buf_putc(&out, '/');
			p++;
		}
	}
	/* two names may spell the same: the later one gets -2, -3, … */
	char *name = liang_buf_detach(&out);
	for (int k = 2; !liang_strmap_add(&m->names, name, strlen(name), 1, NULL); k++) {
		char *dot = strrchr(name, '.');
		char *slash = strrchr(name, '/');
		if (dot && slash && dot < slash)
			dot = NULL;
		char *alt = dot ? liang_xasprintf("%.*s-%d%s", (int)(dot - name), name, k, dot)
				: liang_xasprintf("%s-%d", name, k);
		if (k > 2 || !liang_strmap_get(&m->names, alt, strlen(alt))) {
			free(name);
			name = alt;
		} else {
			free(alt);
		}
	}
	m->src = liang_xrealloc(m->src, (m->n + 1) * sizeof *m->src);
	m->out = liang_xrealloc(m->out, (m->n + 1) * sizeof *m->out);
	m->src[m->n] = liang_xstrdup(path);
	m->out[m->n] = name;
	liang_strmap_add(&m->map, path, len, (long)m->n, NULL);
	m->n++;
	return name;
}

const char *liang_b_media(builder *b, const char *path)
{
	if (!path || !*path)
		return NULL;
	pthread_mutex_lock(&b->media->lock);
	const char *url = S_media_locked(b->media, path, strlen(path));
	pthread_mutex_unlock(&b->media->lock);
	return url;
}

static int S_copy_media(builder *b)
{
	media_reg *m = b->media;
	for (size_t i = 0; i < m->n; i++) {
		if (liang_img_named(m->src[i]))
			continue; /* published by the gallery, without metadata */
		char *src = liang_path_join(b->s->content_dir, m->src[i]);
		size_t len;
		char *data = liang_file_read(src, &len);
		if (!data) {
			liang_error(b->s->diags, NULL, 0, 0, "无法读取 content/%s", m->src[i]);
			free(src);
			return -1;
		}
		int rc = liang_out_write(b->o, m->out[i], data, len);
		free(data);
		free(src);
		if (rc < 0)
			return -1;
	}
	return liang_gallery_publish(b);
}

/* ------------------------------------------------------------ facets */

static const char *const facet_keys[4][2] = {
	{"region", "地区"}, {"industry", "行业"}, {"level", "级别"}, {"ownership", "性质"}};

static void S_facets(builder *b)
{
	sqlite3_stmt *st = liang_b_prepare(b, "facet_values");
	if (!st)
		return;
	for (int f = 0; f < 4; f++) {
		facet *fc = &b->facets[f];
		fc->key = facet_keys[f][0];
		fc->title = facet_keys[f][1];
		liang_strmap_init(&fc->slugs);
		liang_strmap taken;
		liang_strmap_init(&taken);
		sqlite3_bind_text(st, 1, fc->key, -1, SQLITE_STATIC);
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *v = liang_b_col(st, 0);
			if (!v)
				continue;
			liang_buf slug = LIANG_BUF_INIT;
			liang_slugify(v, &slug);
			size_t base = slug.len;
			for (int k = 2; !liang_strmap_add(&taken, slug.ptr, slug.len, 1, NULL); k++) {
				slug.len = base;
				liang_buf_printf(&slug, "-%d", k);
			}
			fc->urls = liang_xrealloc(fc->urls, (fc->n + 1) * sizeof *fc->urls);
			fc->values = liang_xrealloc(fc->values, (fc->n + 1) * sizeof *fc->values);
			fc->counts = liang_xrealloc(fc->counts, (fc->n + 1) * sizeof *fc->counts);
			fc->urls[fc->n] = liang_xasprintf("collectives/%s/%s/", fc->key, slug.ptr);
			fc->values[fc->n] = liang_xstrdup(v);
			fc->counts[fc->n] = sqlite3_column_int(st, 1);
			liang_strmap_add(&fc->slugs, v, strlen(v), (long)fc->n, NULL);
			fc->n++;
			liang_buf_free(&slug);
		}
		sqlite3_reset(st);
		liang_strmap_free(&taken);
	}
	sqlite3_finalize(st);
}

static const char *S_facet_url(builder *b, int f, const char *value)
{
	long *i = value ? liang_strmap_get(&b->facets[f].slugs, value, strlen(value)) : NULL;
	return i ? b->facets[f].urls[*i] : "collectives/";
}

static void S_facets_free(builder *b)
{
	for (int f = 0; f < 4; f++) {
		facet *fc = &b->facets[f];
		for (size_t i = 0; i < fc->n; i++) {
			free(fc->urls[i]);
			free(fc->values[i]);
		}
		free(fc->urls);
		free(fc->values);
		free(fc->counts);
		liang_strmap_free(&fc->slugs);
	}
}

/* ------------------------------------------------------- collectives */

static const char *const star_names[] = {"零星", "一星", "二星", "三星"};

/* The fields every view of a collective shows, from a row of the
 * collectives view (card and page). */
static liang_value *S_collective(builder *b, sqlite3_stmt *st, liang_rowkeys *keys)
{
	liang_arena *a = &b->arena;
	liang_value *c = liang_value_row_keyed(a, st, 0, keys);
	const liang_value *level = liang_v_get(c, "level");
	const char *lv = level && level->type == LIANG_V_STR ? level->u.str.s : "";
	liang_v_set(a, c, "level_label",
		    liang_v_str(a, !strcmp(lv, "创建") ? "创建集体" : liang_arena_printf(a, "%s青年文明号", lv)));
	const liang_value *stars = liang_v_get(c, "stars");
	if (stars && stars->type == LIANG_V_INT && stars->u.i >= 0 && stars->u.i <= 3) {
		static const char *const glyphs[] = {"☆☆☆", "★☆☆", "★★☆", "★★★"};
		liang_v_set(a, c, "stars_text", liang_v_str(a, glyphs[stars->u.i]));
		liang_v_set(a, c, "stars_label", liang_v_str(a, star_names[stars->u.i]));
	} else {
		liang_v_set(a, c, "stars_label", liang_v_str(a, "未评星"));
	}
	const liang_value *status = liang_v_get(c, "status");
	const char *stt = status && status->type == LIANG_V_STR ? status->u.str.s : "";
	if (strcmp(stt, "有效") != 0)
		liang_v_set(a, c, "status_note", liang_v_bool(a, true));
	liang_v_set(a, c, "status_class",
		    liang_v_str(a, !strcmp(stt, "有效") ? "status ok" : !strcmp(stt, "撤销") ? "status revoked" : "status watch"));
	/* its pledge poster (report.c), for all but the revoked */
	const liang_value *cid = liang_v_get(c, "id");
	if (b->pdf_font && strcmp(stt, "撤销") != 0 && cid && cid->type == LIANG_V_STR)
		liang_v_set(a, c, "poster", liang_v_str(a, liang_arena_printf(a, "posters/%s.pdf", cid->u.str.s)));
	/* tel: links take digits (and a leading +) only */
	const liang_value *hot = liang_v_get(c, "hotline");
	if (hot && hot->type == LIANG_V_STR) {
		char *tel = liang_arena_alloc(a, hot->u.str.len + 1);
		size_t n = 0;
		for (size_t i = 0; i < hot->u.str.len; i++) {
			char ch = hot->u.str.s[i];
			if ((ch >= '0' && ch <= '9') || (ch == '+' && n == 0))
				tel[n++] = ch;
			else if (ch == '/' || ch == ',' || (ch & 0x80))
				break; /* "0731-1234567 / 12345": the first number */
		}
		tel[n] = '\0';
		liang_v_set(a, c, "tel", liang_v_str(a, tel));
	}
	const liang_value *region = liang_v_get(c, "region"), *industry = liang_v_get(c, "industry");
	liang_v_set(a, c, "region_url",
		    liang_v_str(a, liang_arena_printf(a, "%s%s", S_facet_url(b, 0, region ? region->u.str.s : NULL), b->idx)));
	liang_v_set(a, c, "industry_url",
		    liang_v_str(a, liang_arena_printf(a, "%s%s", S_facet_url(b, 1, industry ? industry->u.str.s : NULL), b->idx)));
	return c;
}

static liang_value *S_filters(builder *b, liang_arena *a, int current_facet, size_t current_value)
{
	liang_value *groups = liang_v_list(a);
	for (int f = 0; f < 4; f++) {
		liang_value *g = liang_v_map(a);
		liang_v_set(a, g, "title", liang_v_str(a, b->facets[f].title));
		liang_value *vals = liang_v_list(a);
		for (size_t i = 0; i < b->facets[f].n; i++) {
			liang_value *v = liang_v_map(a);
			liang_v_set(a, v, "name", liang_v_str(a, b->facets[f].values[i]));
			liang_v_set(a, v, "count", liang_v_int(a, b->facets[f].counts[i]));
			liang_v_set(a, v, "url", liang_v_str(a, liang_arena_printf(a, "%s%s", b->facets[f].urls[i], b->idx)));
			if (f == current_facet && i == current_value)
				liang_v_set(a, v, "current", liang_v_str(a, "page"));
			liang_v_push(a, vals, v);
		}
		liang_v_set(a, g, "values", vals);
		liang_v_push(a, groups, g);
	}
	return groups;
}

liang_value *liang_b_pager(builder *b, const char *dir, long page, long pages)
{
	liang_arena *a = &b->arena;
	liang_value *pager = liang_v_map(a);
	liang_v_set(a, pager, "many", liang_v_bool(a, pages > 1));
	liang_v_set(a, pager, "page", liang_v_int(a, page));
	liang_v_set(a, pager, "pages", liang_v_int(a, pages));
	if (page > 1)
		liang_v_set(a, pager, "prev",
			    liang_v_str(a, page == 2 ? liang_arena_printf(a, "%s%s", dir, b->idx)
						     : liang_arena_printf(a, "%spage/%ld/%s", dir, page - 1, b->idx)));
	if (page < pages)
		liang_v_set(a, pager, "next", liang_v_str(a, liang_arena_printf(a, "%spage/%ld/%s", dir, page + 1, b->idx)));
	return pager;
}

/* The public list, or one filter page of it: PER_PAGE to a page. */
static void S_list(builder *b, sqlite3_stmt *st, const char *dir, int f, size_t vi, long total)
{
	liang_arena *a = &b->arena;
	long pages = total ? (total + PER_PAGE - 1) / PER_PAGE : 1;
	const char *value = f >= 0 ? b->facets[f].values[vi] : NULL;
	const char *facet_title = f >= 0 ? b->facets[f].title : NULL;
	if (value)
		sqlite3_bind_text(st, 1, value, -1, SQLITE_STATIC);
	bool more = sqlite3_step(st) == SQLITE_ROW;
	/* the same filters on every page of this list */
	liang_arena fa;
	liang_arena_init(&fa);
	liang_value *filters = S_filters(b, &fa, f, vi);
	liang_rowkeys keys = {0};
	for (long page = 1; page <= pages && !b->failed; page++) {
		char *rel = page == 1 ? liang_xasprintf("%sindex.html", dir)
				      : liang_xasprintf("%spage/%ld/index.html", dir, page);
		const char *title = value ? liang_arena_printf(a, "%s：%s", facet_title, value) : "集体名录";
		liang_value *scope = liang_b_scope(b, rel, "collectives/", page == 1 ? title : liang_arena_printf(a, "%s（第 %ld 页）", title, page));
		liang_value *pg = liang_v_map(a);
		liang_v_set(a, pg, "title", liang_v_str(a, title));
		liang_v_set(a, pg, "lead",
			    liang_v_str(a, value ? "以下是该类别中的青年文明号集体和创建集体，点击名称查看详情和监督电话。"
						 : "全市青年文明号集体和创建集体的公示名单。点击集体名称，查看它的服务承诺和监督电话。"));
		liang_v_set(a, pg, "total", liang_v_int(a, total));
		liang_v_set(a, pg, "filters_open", liang_v_bool(a, value != NULL));
		liang_v_set(a, scope, "page", pg);
		liang_v_set(a, scope, "filters", filters);
		liang_value *list = liang_v_list(a);
		for (int k = 0; k < PER_PAGE && more; k++) {
			liang_v_push(a, list, S_collective(b, st, &keys));
			more = sqlite3_step(st) == SQLITE_ROW;
		}
		liang_v_set(a, scope, "collectives", list);
		liang_v_set(a, scope, "pager", liang_b_pager(b, dir, page, pages));
		liang_b_emit(b, rel, "list", scope, true);
		free(rel);
		liang_arena_reset(a);
	}
	liang_arena_free(&fa);
	liang_rowkeys_free(&keys);
	sqlite3_reset(st);
}

static void S_lists(builder *b)
{
	char *err = NULL;
	if (sqlite3_exec(b->db, liang_query("list_order"), NULL, NULL, &err) != SQLITE_OK) {
		liang_error(b->s->diags, NULL, 0, 0, "查询 list_order 出错（liang 的缺陷）：%s", err);
		sqlite3_free(err);
		b->failed = 1;
		return;
	}
	sqlite3_stmt *st = liang_b_prepare(b, "collectives_list");
	long total = 0;
	for (size_t i = 0; i < b->facets[0].n; i++)
		total += b->facets[0].counts[i];
	if (st)
		S_list(b, st, "collectives/", -1, 0, total);
	sqlite3_finalize(st);
	for (int f = 0; f < 4 && !b->failed; f++) {
		char name[64];
		snprintf(name, sizeof name, "collectives_list_%s", b->facets[f].key);
		st = liang_b_prepare(b, name);
		for (size_t i = 0; st && i < b->facets[f].n; i++)
			S_list(b, st, b->facets[f].urls[i], f, i, b->facets[f].counts[i]);
		sqlite3_finalize(st);
	}
}

/* Markdown of data_texts (kind, id) as trusted HTML, or NULL. */
liang_value *liang_b_text(builder *b, sqlite3_stmt *st, const char *kind, const char *id, const char *title)
{
	/* the key of b->texts, "kind\1id", made without a call to snprintf:
	 * this runs for every activity and work on every page */
	char small[80];
	size_t kl = strlen(kind), il = strlen(id), n = kl + 1 + il;
	char *key = n <= sizeof small ? small : liang_xmalloc(n);
	memcpy(key, kind, kl);
	key[kl] = '\1';
	memcpy(key + kl + 1, id, il);
	bool has = liang_strmap_get(&b->texts, key, n) != NULL;
	if (key != small)
		free(key);
	if (!has)
		return NULL;
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
	liang_value *v = NULL;
	if (sqlite3_step(st) == SQLITE_ROW) {
		liang_buf html = LIANG_BUF_INIT;
		liang_markdown_render(b->s, b->db, liang_b_col(st, 0), title, liang_b_col(st, 1), 1, &html);
		v = liang_v_html(&b->arena, liang_buf_cstr(&html), html.len);
		liang_buf_free(&html);
	}
	sqlite3_reset(st);
	return v;
}

/* The queries of a collective's page, prepared once per thread: the
 * collectives of a chunk (all), and the cursors read in step with them. */
typedef struct page_queries {
	sqlite3_stmt *all, *txt;
	liang_rowkeys all_keys;
	liang_cursor mem, act, wrk, par, sur;
	liang_statq stats;
} page_queries;

/* At most this many activities on a page (it stays readable); the rest
 * are counted. */
#define PAGE_ACTIVITIES 100

/* The page of the collective in the current row of q->all. */
static void S_collective_page(builder *b, page_queries *q)
{
	liang_arena *a = &b->arena;
	liang_value *c = S_collective(b, q->all, &q->all_keys);
	const char *id = liang_b_col(q->all, 0);
	char *rel = liang_xasprintf("c/%s/index.html", id);
	liang_value *scope = liang_b_scope(b, rel, "collectives/", liang_v_get(c, "name")->u.str.s);
	long long staff = sqlite3_column_int64(q->all, 15), youth = sqlite3_column_int64(q->all, 16);
	liang_v_set(a, c, "youth_share",
		    liang_v_str(a, liang_arena_printf(a, "%.1f%%", staff > 0 ? 100.0 * (double)youth / (double)staff : 0)));
	liang_v_set(a, scope, "c", c);

	liang_value *members = liang_v_list(a);
	for (; liang_cursor_on(&q->mem, id); liang_cursor_next(&q->mem)) {
		liang_value *m = liang_value_row_keyed(a, q->mem.st, 1, &q->mem.keys);
		const char *photo = liang_b_col(q->mem.st, 3);
		liang_v_set(a, m, "photo", photo ? liang_v_str(a, liang_gallery_smallest(b, photo)) : &liang_null);
		liang_v_push(a, members, m);
	}
	liang_v_set(a, scope, "members", members);

	sqlite3_stmt *sur = q->sur.st;
	if (liang_cursor_on(&q->sur, id) && sqlite3_column_int(sur, 5) > 0) {
		liang_value *sv = liang_v_map(a);
		long long resp = sqlite3_column_int64(sur, 1), sat = sqlite3_column_int64(sur, 2);
		liang_v_set(a, sv, "responses", liang_v_int(a, resp));
		liang_v_set(a, sv, "rate",
			    liang_v_str(a, resp > 0 ? liang_arena_printf(a, "%.1f%%", 100.0 * (double)sat / (double)resp) : "—"));
		liang_v_set(a, sv, "complaints", liang_v_int(a, sqlite3_column_int64(sur, 3)));
		liang_v_set(a, sv, "resolved", liang_v_int(a, sqlite3_column_int64(sur, 4)));
		liang_v_set(a, sv, "quarters", liang_v_int(a, sqlite3_column_int64(sur, 5)));
		liang_v_set(a, scope, "survey", sv);
	}
	liang_statq_collective(b, &q->stats, id, scope);

	liang_value *acts = liang_v_list(a);
	long long nacts = 0;
	sqlite3_stmt *act = q->act.st;
	for (; liang_cursor_on(&q->act, id); liang_cursor_next(&q->act)) {
		if (++nacts > PAGE_ACTIVITIES)
			continue; /* counted, not shown */
		liang_value *r = liang_value_row_keyed(a, act, 1, &q->act.keys);
		liang_v_set(a, r, "galleries", liang_gallery_of(b, rel, liang_b_col(act, 7), liang_b_col(act, 4), false));
		liang_buf nums = LIANG_BUF_INIT;
		if (sqlite3_column_type(act, 5) != SQLITE_NULL)
			liang_buf_printf(&nums, "参与 %lld 人", (long long)sqlite3_column_int64(act, 5));
		if (sqlite3_column_type(act, 6) != SQLITE_NULL)
			liang_buf_printf(&nums, "%s服务 %lld 人次", nums.len ? " · " : "",
					 (long long)sqlite3_column_int64(act, 6));
		if (nums.len)
			liang_v_set(a, r, "numbers", liang_v_str(a, nums.ptr));
		liang_buf_free(&nums);
		liang_value *w = liang_b_text(b, q->txt, "activity", liang_b_col(act, 1), liang_b_col(act, 4));
		if (w)
			liang_v_set(a, r, "writeup", w);
		liang_v_push(a, acts, r);
	}
	liang_v_set(a, scope, "activities", acts);
	if (nacts > (long long)acts->u.list.n)
		liang_v_set(a, scope, "activities_total", liang_v_int(a, nacts));

	liang_value *works = liang_v_list(a);
	sqlite3_stmt *wrk = q->wrk.st;
	for (; liang_cursor_on(&q->wrk, id); liang_cursor_next(&q->wrk)) {
		liang_value *w = liang_value_row_keyed(a, wrk, 1, &q->wrk.keys);
		liang_v_set(a, w, "galleries", liang_gallery_of(b, rel, liang_b_col(wrk, 6), liang_b_col(wrk, 3), false));
		liang_v_set(a, w, "links", liang_b_files(b, liang_b_col(wrk, 6)));
		liang_value *essay = liang_b_text(b, q->txt, "work", liang_b_col(wrk, 1), liang_b_col(wrk, 3));
		if (essay)
			liang_v_set(a, w, "essay", essay);
		liang_v_push(a, works, w);
	}
	liang_v_set(a, scope, "works", works);

	liang_value *pairs = liang_v_list(a);
	for (; liang_cursor_on(&q->par, id); liang_cursor_next(&q->par))
		liang_v_push(a, pairs, liang_value_row_keyed(a, q->par.st, 1, &q->par.keys));
	liang_v_set(a, scope, "pairings", pairs);

	liang_value *story = liang_b_text(b, q->txt, "collective", id, NULL);
	if (story)
		liang_v_set(a, scope, "story", story);
	liang_b_emit(b, rel, "collective", scope, true);
	free(rel);
	liang_arena_reset(a);
}

/* Pages of collectives, a chunk of consecutive ids at a time, until none
 * is left. */
static void S_collective_pages(builder *b)
{
	chunks *ch = b->chunks;
	pthread_mutex_lock(&ch->lock);
	while (!ch->ready)
		pthread_cond_wait(&ch->filled, &ch->lock);
	pthread_mutex_unlock(&ch->lock);
	page_queries q = {
		.all = liang_b_prepare(b, "collective_page_range"),
		.txt = liang_b_prepare(b, "text_of"),
		.mem = {.st = liang_b_prepare(b, "collective_members")},
		.act = {.st = liang_b_prepare(b, "collective_activities")},
		.wrk = {.st = liang_b_prepare(b, "collective_works")},
		.par = {.st = liang_b_prepare(b, "collective_pairings")},
		.sur = {.st = liang_b_prepare(b, "collective_survey")},
	};
	if (q.sur.st)
		sqlite3_bind_text(q.sur.st, 3, b->survey_from, -1, SQLITE_STATIC);
	liang_statq_open(b, &q.stats);
	liang_cursor *cursors[] = {&q.mem,        &q.act,       &q.wrk,        &q.par,
				   &q.sur,        &q.stats.rank, &q.stats.sat, &q.stats.find};
	size_t k;
	while (!b->failed && (k = atomic_fetch_add(&ch->next, 1) * CHUNK) < ch->n) {
		size_t last = k + CHUNK < ch->n ? k + CHUNK - 1 : ch->n - 1;
		const char *lo = ch->ids[k], *hi = ch->ids[last];
		sqlite3_reset(q.all);
		sqlite3_bind_text(q.all, 1, lo, -1, SQLITE_STATIC);
		sqlite3_bind_text(q.all, 2, hi, -1, SQLITE_STATIC);
		for (size_t i = 0; i < sizeof cursors / sizeof *cursors; i++)
			liang_cursor_start(cursors[i], lo, hi);
		while (!b->failed && sqlite3_step(q.all) == SQLITE_ROW)
			S_collective_page(b, &q);
		for (size_t i = 0; i < sizeof cursors / sizeof *cursors && !b->failed; i++)
			if (cursors[i]->err) {
				liang_error(b->s->diags, NULL, 0, 0, "读取集体页的数据出错：%s",
					    sqlite3_errstr(cursors[i]->err));
				b->failed = 1;
			}
	}
	sqlite3_finalize(q.all);
	sqlite3_finalize(q.txt);
	sqlite3_finalize(q.mem.st);
	sqlite3_finalize(q.act.st);
	sqlite3_finalize(q.wrk.st);
	sqlite3_finalize(q.par.st);
	sqlite3_finalize(q.sur.st);
	liang_rowkeys_free(&q.all_keys);
	for (size_t i = 0; i < sizeof cursors / sizeof *cursors; i++)
		liang_rowkeys_free(&cursors[i]->keys);
	liang_statq_close(&q.stats);
}

/* ----------------------------------------------------------- notices */

static const char *S_file_type(const char *name)
{
	static const char *const types[][2] = {
		{".pdf", "PDF 文档"}, {".doc", "Word 文档"}, {".docx", "Word 文档"}, {".wps", "WPS 文档"},
		{".xls", "Excel 表格"}, {".xlsx", "Excel 表格"}, {".et", "WPS 表格"}, {".csv", "CSV 表格"},
		{".ppt", "演示文稿"}, {".pptx", "演示文稿"}, {".jpg", "图片"}, {".jpeg", "图片"},
		{".png", "图片"}, {".zip", "压缩包"}, {".rar", "压缩包"}, {".7z", "压缩包"},
		{".txt", "文本"}, {".mp4", "视频"}};
	for (size_t i = 0; i < sizeof types / sizeof *types; i++)
		if (liang_has_suffix_ci(name, types[i][0]))
			return types[i][1];
	return "文件";
}

static const char *S_size(liang_arena *a, long long n)
{
	if (n >= 1024 * 1024)
		return liang_arena_printf(a, "%.1f MB", (double)n / (1024.0 * 1024.0));
	if (n >= 1024)
		return liang_arena_printf(a, "%.0f KB", (double)n / 1024.0);
	return liang_arena_printf(a, "%lld 字节", n);
}

/* The files of paths as attachments (name, url, type, size); photos too
 * unless but_photos (a work's photos are its gallery). */
static liang_value *S_files(builder *b, const char *paths, bool but_photos)
{
	liang_arena *a = &b->arena;
	liang_value *list = liang_v_list(a);
	for (const char *p = paths; p && *p;) {
		size_t k = strcspn(p, ";");
		char *one = liang_xstrndup(p, k);
		if (!but_photos || !liang_img_named(one)) {
			liang_value *f = liang_v_map(a);
			const char *slash = strrchr(one, '/');
			liang_v_set(a, f, "name", liang_v_str(a, slash ? slash + 1 : one));
			liang_v_set(a, f, "url", liang_v_str(a, liang_b_media(b, one)));
			liang_v_set(a, f, "type", liang_v_str(a, S_file_type(one)));
			char *full = liang_path_join(b->s->content_dir, one);
			struct stat sb;
			liang_v_set(a, f, "size",
				    liang_v_str(a, stat(full, &sb) == 0 ? S_size(a, (long long)sb.st_size) : "?"));
			free(full);
			liang_v_push(a, list, f);
		}
		free(one);
		p += k;
		if (*p == ';')
			p++;
	}
	return list;
}

liang_value *liang_b_files(builder *b, const char *paths)
{
	return S_files(b, paths, true);
}

/* A notice's URL segment: its file name, in ASCII. */
static char *S_notice_slug(const char *slug)
{
	liang_buf b = LIANG_BUF_INIT;
	liang_slugify(slug, &b);
	return liang_buf_detach(&b);
}

typedef struct notice_ref {
	char *slug;
	char *title;
	char *date;
	char *html;
	char *number;
	char *issuer;
} notice_ref;

static liang_value *S_notice(builder *b, sqlite3_stmt *st, const char *url, bool with_body)
{
	liang_arena *a = &b->arena;
	liang_value *n = liang_value_row(a, st);
	liang_v_set(a, n, "url", liang_v_str(a, url));
	const char *deadline = liang_b_col(st, 5);
	if (deadline) {
		bool past = strcmp(deadline, b->s->build_date) < 0;
		liang_v_set(a, n, past ? "expired" : "open", liang_v_bool(a, true));
	}
	liang_value *tags = liang_v_list(a);
	const char *t = liang_b_col(st, 6);
	while (t && *t) {
		size_t k = strcspn(t, ";");
		liang_v_push(a, tags, liang_v_strn(a, t, k));
		t += k;
		if (*t == ';')
			t++;
	}
	liang_v_set(a, n, "tags", tags);
	if (with_body) {
		liang_v_set(a, n, "attachments", S_files(b, liang_b_col(st, 7), false));
		liang_buf html = LIANG_BUF_INIT;
		liang_markdown_render(b->s, b->db, liang_b_col(st, 8), liang_b_col(st, 1), liang_b_col(st, 9),
				      sqlite3_column_int(st, 10), &html);
		liang_v_set(a, n, "body", liang_v_html(a, liang_buf_cstr(&html), html.len));
		liang_buf_free(&html);
	}
	return n;
}

static void S_write_feed(builder *b, notice_ref *refs, size_t n);

static void S_notices(builder *b)
{
	liang_arena *a = &b->arena;
	sqlite3_stmt *st = liang_b_prepare(b, "notices_list");
	if (!st)
		return;
	liang_strmap taken;
	liang_strmap_init(&taken);
	notice_ref *refs = NULL;
	size_t n = 0;
	while (sqlite3_step(st) == SQLITE_ROW && !b->failed) {
		char *slug = S_notice_slug(liang_b_col(st, 0));
		for (int k = 2; !liang_strmap_add(&taken, slug, strlen(slug), 1, NULL); k++) {
			char *alt = liang_xasprintf("%s-%d", slug, k);
			free(slug);
			slug = alt;
		}
		char *rel = liang_xasprintf("notices/%s/index.html", slug);
		liang_value *scope = liang_b_scope(b, rel, "notices/", liang_b_col(st, 1));
		char *url = liang_xasprintf("notices/%s/%s", slug, b->idx);
		liang_value *nv = S_notice(b, st, url, true);
		liang_v_set(a, scope, "n", nv);
		liang_b_emit(b, rel, "notice", scope, true);
		refs = liang_xrealloc(refs, (n + 1) * sizeof *refs);
		const liang_value *body = liang_v_get(nv, "body");
		refs[n] = (notice_ref){slug, liang_xstrdup(liang_b_col(st, 1)), liang_xstrdup(liang_b_col(st, 4)),
				       /* the feed shows the bodies of the newest only */
				       n < FEED_ENTRIES ? liang_xstrndup(body->u.str.s, body->u.str.len) : NULL,
				       liang_b_col(st, 2) ? liang_xstrdup(liang_b_col(st, 2)) : NULL,
				       liang_b_col(st, 3) ? liang_xstrdup(liang_b_col(st, 3)) : NULL};
		n++;
		free(url);
		free(rel);
		liang_arena_reset(a);
	}
	/* the index of notices */
	sqlite3_reset(st);
	liang_value *scope = liang_b_scope(b, "notices/index.html", "notices/", "通知公告");
	liang_value *list = liang_v_list(a);
	for (size_t i = 0; sqlite3_step(st) == SQLITE_ROW && i < n; i++) {
		char *url = liang_xasprintf("notices/%s/%s", refs[i].slug, b->idx);
		liang_v_push(a, list, S_notice(b, st, url, false));
		free(url);
	}
	liang_v_set(a, scope, "notices", list);
	liang_b_emit(b, "notices/index.html", "notices", scope, true);
	liang_arena_reset(a);
	sqlite3_finalize(st);
	S_write_feed(b, refs, n);
	for (size_t i = 0; i < n; i++) {
		free(refs[i].slug);
		free(refs[i].title);
		free(refs[i].date);
		free(refs[i].html);
		free(refs[i].number);
		free(refs[i].issuer);
	}
	free(refs);
	liang_strmap_free(&taken);
}

/* ------------------------------------------------------------- pages */

static const char *const reserved[] = {"c", "collectives", "notices", "assets", "data", "media", "openweek",
				       "works", "rankings", "stats", "reports", "posters", "page", NULL};

static void S_page_list(builder *b, liang_arena *keep)
{
	/* the content pages, with their URL directories; kept for the
	 * navigation of every page */
	sqlite3_stmt *st = liang_b_prepare(b, "pages_list");
	if (!st)
		return;
	b->nav_pages = liang_v_list(keep);
	liang_strmap taken;
	liang_strmap_init(&taken);
	for (const char *const *r = reserved; *r; r++)
		liang_strmap_add(&taken, *r, strlen(*r), 1, NULL);
	while (sqlite3_step(st) == SQLITE_ROW) {
		liang_buf slug = LIANG_BUF_INIT;
		liang_slugify(liang_b_col(st, 0), &slug);
		size_t base = slug.len;
		for (int k = 2; !liang_strmap_add(&taken, slug.ptr, slug.len, 1, NULL); k++) {
			slug.len = base;
			liang_buf_printf(&slug, "-%d", k);
		}
		liang_value *p = liang_v_map(keep);
		liang_v_set(keep, p, "slug", liang_v_str(keep, liang_b_col(st, 0)));
		liang_v_set(keep, p, "dir", liang_v_str(keep, liang_arena_printf(keep, "%s/", slug.ptr)));
		liang_v_set(keep, p, "title", liang_v_str(keep, liang_b_col(st, 1)));
		liang_v_push(keep, b->nav_pages, p);
		if (!strcmp(liang_b_col(st, 0), "supervise") || strstr(liang_b_col(st, 1), "监督"))
			b->supervise_url = liang_arena_printf(keep, "%s/%s", slug.ptr, b->idx);
		liang_buf_free(&slug);
	}
	sqlite3_finalize(st);
	liang_strmap_free(&taken);
}

static void S_pages(builder *b)
{
	liang_arena *a = &b->arena;
	sqlite3_stmt *st = liang_b_prepare(b, "pages_list");
	if (!st)
		return;
	for (size_t i = 0; sqlite3_step(st) == SQLITE_ROW && i < b->nav_pages->u.list.n; i++) {
		const char *dir = liang_v_get(b->nav_pages->u.list.items[i], "dir")->u.str.s;
		char *rel = liang_xasprintf("%sindex.html", dir);
		liang_value *scope = liang_b_scope(b, rel, dir, liang_b_col(st, 1));
		liang_value *p = liang_v_map(a);
		liang_v_set(a, p, "title", liang_v_str(a, liang_b_col(st, 1)));
		liang_buf html = LIANG_BUF_INIT;
		liang_markdown_render(b->s, b->db, liang_b_col(st, 2), liang_b_col(st, 1), liang_b_col(st, 3),
				      sqlite3_column_int(st, 4), &html);
		liang_v_set(a, p, "body", liang_v_html(a, liang_buf_cstr(&html), html.len));
		liang_buf_free(&html);
		liang_v_set(a, scope, "p", p);
		liang_b_emit(b, rel, "page", scope, true);
		free(rel);
		liang_arena_reset(a);
	}
	sqlite3_finalize(st);
}

/* -------------------------------------------------------------- home */

static const char intro_default[] =
	"青年文明号是共青团组织引导青年职工在本职岗位上创一流业绩的集体品牌。每一个青年文明号集体都向社会"
	"亮明身份、公开服务承诺和监督电话，接受群众监督。本站公开本地区各级青年文明号集体和创建集体的名录、"
	"承诺、活动和有关通知。";

static void S_home(builder *b)
{
	liang_arena *a = &b->arena;
	liang_value *scope = liang_b_scope(b, "index.html", "", NULL);
	liang_v_set(a, scope, "intro", liang_v_str(a, intro_default));
	if (b->supervise_url)
		liang_v_set(a, scope, "supervise_url", liang_v_str(a, b->supervise_url));
	sqlite3_stmt *st = liang_b_prepare(b, "overview");
	if (st && sqlite3_step(st) == SQLITE_ROW) {
		static const char *const labels[] = {"集体（不含撤销）", "已命名", "创建集体", "成员", "活动台账（累计）",
						     "开放周活动（累计）", "通知公告"};
		liang_value *figs = liang_v_list(a);
		for (int i = 0; i < 7; i++) {
			liang_value *f = liang_v_map(a);
			liang_v_set(a, f, "value",
				    liang_v_str(a, liang_arena_grouped(
							   a, liang_arena_printf(a, "%lld", (long long)sqlite3_column_int64(st, i)))));
			liang_v_set(a, f, "label", liang_v_str(a, labels[i]));
			liang_v_push(a, figs, f);
		}
		liang_v_set(a, scope, "figures", figs);
	}
	sqlite3_finalize(st);
	st = liang_b_prepare(b, "region_totals");
	liang_value *regions = liang_v_list(a);
	while (st && sqlite3_step(st) == SQLITE_ROW) {
		liang_value *r = liang_value_row(a, st);
		liang_v_set(a, r, "url", liang_v_str(a, liang_arena_printf(a, "%s%s", S_facet_url(b, 0, liang_b_col(st, 0)), b->idx)));
		liang_v_push(a, regions, r);
	}
	sqlite3_finalize(st);
	liang_v_set(a, scope, "regions", regions);
	st = liang_b_prepare(b, "notices_list");
	liang_value *notices = liang_v_list(a);
	liang_strmap taken;
	liang_strmap_init(&taken);
	for (int i = 0; st && i < 5 && sqlite3_step(st) == SQLITE_ROW; i++) {
		/* the same slugs as S_notices gives, in the same order */
		char *slug = S_notice_slug(liang_b_col(st, 0));
		for (int k = 2; !liang_strmap_add(&taken, slug, strlen(slug), 1, NULL); k++) {
			char *alt = liang_xasprintf("%s-%d", slug, k);
			free(slug);
			slug = alt;
		}
		char *url = liang_xasprintf("notices/%s/%s", slug, b->idx);
		liang_v_push(a, notices, S_notice(b, st, url, false));
		free(url);
		free(slug);
	}
	liang_strmap_free(&taken);
	sqlite3_finalize(st);
	liang_v_set(a, scope, "notices", notices);
	st = liang_b_prepare(b, "recent_openweek");
	liang_value *ow = liang_v_list(a);
	while (st && sqlite3_step(st) == SQLITE_ROW) {
		liang_value *r = liang_value_row(a, st);
		liang_v_set(a, r, "photo", liang_gallery_cover(b, "index.html", liang_b_col(st, 4), liang_b_col(st, 3)));
		liang_v_push(a, ow, r);
	}
	sqlite3_finalize(st);
	liang_v_set(a, scope, "openweek", ow);
	liang_b_emit(b, "index.html", "index", scope, true);
	liang_arena_reset(a);
	scope = liang_b_scope(b, NULL, NULL, "找不到页面");
	liang_b_emit(b, "404.html", "404", scope, false);
	liang_arena_reset(a);
}

/* --------------------------------------------------- sitemap and feed */

static const char *S_abs(builder *b, const char *path)
{
	return liang_arena_printf(&b->arena, "%s%s", b->s->config.base_url, path);
}

static int S_write_xml(builder *b, const char *rel, xmlBufferPtr buf)
{
	return liang_out_write(b->o, rel, xmlBufferContent(buf), (size_t)xmlBufferLength(buf));
}

static void S_write_urlset(builder *b, const char *rel, size_t from, size_t to)
{
	xmlBufferPtr buf = xmlBufferCreate();
	xmlTextWriterPtr w = xmlNewTextWriterMemory(buf, 0);
	xmlTextWriterSetIndent(w, 1);
	xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL);
	xmlTextWriterStartElement(w, BAD_CAST "urlset");
	xmlTextWriterWriteAttribute(w, BAD_CAST "xmlns", BAD_CAST "http://www.sitemaps.org/schemas/sitemap/0.9");
	for (size_t i = from; i < to; i++) {
		xmlTextWriterStartElement(w, BAD_CAST "url");
		xmlTextWriterWriteElement(w, BAD_CAST "loc", BAD_CAST S_abs(b, b->sitemap[i]));
		xmlTextWriterEndElement(w);
	}
	xmlTextWriterEndDocument(w);
	xmlFreeTextWriter(w);
	if (S_write_xml(b, rel, buf) < 0)
		b->failed = 1;
	xmlBufferFree(buf);
	liang_arena_reset(&b->arena);
}

static void S_write_sitemap(builder *b)
{
	if (b->nsitemap <= SITEMAP_MAX) {
		S_write_urlset(b, "sitemap.xml", 0, b->nsitemap);
		return;
	}
	/* more than a sitemap may hold: an index of several */
	xmlBufferPtr buf = xmlBufferCreate();
	xmlTextWriterPtr w = xmlNewTextWriterMemory(buf, 0);
	xmlTextWriterSetIndent(w, 1);
	xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL);
	xmlTextWriterStartElement(w, BAD_CAST "sitemapindex");
	xmlTextWriterWriteAttribute(w, BAD_CAST "xmlns", BAD_CAST "http://www.sitemaps.org/schemas/sitemap/0.9");
	for (size_t from = 0, k = 1; from < b->nsitemap; from += SITEMAP_MAX, k++) {
		size_t to = from + SITEMAP_MAX < b->nsitemap ? from + SITEMAP_MAX : b->nsitemap;
		char rel[32];
		snprintf(rel, sizeof rel, "sitemap-%zu.xml", k);
		S_write_urlset(b, rel, from, to);
		xmlTextWriterStartElement(w, BAD_CAST "sitemap");
		xmlTextWriterWriteElement(w, BAD_CAST "loc", BAD_CAST S_abs(b, rel));
		xmlTextWriterEndElement(w);
	}
	xmlTextWriterEndDocument(w);
	xmlFreeTextWriter(w);
	if (S_write_xml(b, "sitemap.xml", buf) < 0)
		b->failed = 1;
	xmlBufferFree(buf);
	liang_arena_reset(&b->arena);
}

/* An Atom feed of the newest notices (refs are newest first). Dates are
 * the notices' own, at midnight China time: no clock is read. */
static void S_write_feed(builder *b, notice_ref *refs, size_t n)
{
	liang_config *c = &b->s->config;
	xmlBufferPtr buf = xmlBufferCreate();
	xmlTextWriterPtr w = xmlNewTextWriterMemory(buf, 0);
	xmlTextWriterSetIndent(w, 1);
	xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL);
	xmlTextWriterStartElement(w, BAD_CAST "feed");
	xmlTextWriterWriteAttribute(w, BAD_CAST "xmlns", BAD_CAST "http://www.w3.org/2005/Atom");
	xmlTextWriterWriteElement(w, BAD_CAST "title", BAD_CAST liang_arena_printf(&b->arena, "%s · 通知公告", c->title));
	xmlTextWriterWriteElement(w, BAD_CAST "id", BAD_CAST S_abs(b, "feed.xml"));
	xmlTextWriterStartElement(w, BAD_CAST "link");
	xmlTextWriterWriteAttribute(w, BAD_CAST "rel", BAD_CAST "self");
	xmlTextWriterWriteAttribute(w, BAD_CAST "href", BAD_CAST S_abs(b, "feed.xml"));
	xmlTextWriterEndElement(w);
	xmlTextWriterStartElement(w, BAD_CAST "link");
	xmlTextWriterWriteAttribute(w, BAD_CAST "href", BAD_CAST S_abs(b, "notices/"));
	xmlTextWriterEndElement(w);
	xmlTextWriterWriteElement(w, BAD_CAST "updated",
				  BAD_CAST liang_arena_printf(&b->arena, "%sT00:00:00+08:00", n ? refs[0].date : b->s->build_date));
	xmlTextWriterStartElement(w, BAD_CAST "author");
	xmlTextWriterWriteElement(w, BAD_CAST "name", BAD_CAST(*c->organization ? c->organization : c->title));
	xmlTextWriterEndElement(w);
	for (size_t i = 0; i < n && i < FEED_ENTRIES; i++) {
		const char *url = S_abs(b, liang_arena_printf(&b->arena, "notices/%s/", refs[i].slug));
		xmlTextWriterStartElement(w, BAD_CAST "entry");
		xmlTextWriterWriteElement(w, BAD_CAST "title", BAD_CAST refs[i].title);
		xmlTextWriterWriteElement(w, BAD_CAST "id", BAD_CAST url);
		xmlTextWriterStartElement(w, BAD_CAST "link");
		xmlTextWriterWriteAttribute(w, BAD_CAST "href", BAD_CAST url);
		xmlTextWriterEndElement(w);
		xmlTextWriterWriteElement(w, BAD_CAST "updated",
					  BAD_CAST liang_arena_printf(&b->arena, "%sT00:00:00+08:00", refs[i].date));
		if (refs[i].number || refs[i].issuer)
			xmlTextWriterWriteElement(w, BAD_CAST "summary",
						  BAD_CAST liang_arena_printf(&b->arena, "%s%s%s", refs[i].issuer ? refs[i].issuer : "",
									      refs[i].issuer && refs[i].number ? " " : "",
									      refs[i].number ? refs[i].number : ""));
		xmlTextWriterStartElement(w, BAD_CAST "content");
		xmlTextWriterWriteAttribute(w, BAD_CAST "type", BAD_CAST "html");
		xmlTextWriterWriteString(w, BAD_CAST refs[i].html);
		xmlTextWriterEndElement(w);
		xmlTextWriterEndElement(w);
	}
	xmlTextWriterEndDocument(w);
	xmlFreeTextWriter(w);
	if (S_write_xml(b, "feed.xml", buf) < 0)
		b->failed = 1;
	xmlBufferFree(buf);
	liang_arena_reset(&b->arena);
}

/* ------------------------------------------------------- open data CSV */

/* Excel runs a cell that starts with = + - @ as a formula, so a text
 * value starting with one gets a leading apostrophe (OWASP's advice for
 * CSV injection): the downloads must be safe to open. */
void liang_b_csv_cell(liang_buf *out, const char *v, bool text)
{
	if (!v)
		return;
	bool formula = text && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@');
	size_t plain = strcspn(v, ",\"\r\n");
	if (!formula && !v[plain]) {
		liang_buf_put(out, v, plain);
		return;
	}
	liang_buf_putc(out, '"');
	if (formula)
		liang_buf_putc(out, '\'');
	for (const char *p = v; *p;) {
		size_t n = strcspn(p, "\"\n");
		liang_buf_put(out, p, n);
		p += n;
		if (*p == '"')
			liang_buf_puts(out, "\"\"");
		else if (*p == '\n')
			liang_buf_puts(out, "\r\n");
		if (*p)
			p++;
	}
	liang_buf_putc(out, '"');
}

/* data/<table>.csv: exactly the columns of the public view, with the
 * Chinese headers of the data format, UTF-8 with a BOM for Excel. */
static int S_open_data(builder *b, const liang_table *t)
{
	char *sql = liang_xasprintf("SELECT * FROM %s", t->name);
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(b->db, sql, -1, &st, NULL);
	free(sql);
	if (rc != SQLITE_OK) {
		liang_error(b->s->diags, NULL, 0, 0, "数据库错误：%s", sqlite3_errmsg(b->db));
		return -1;
	}
	/* written as it is read (liang_out_file_spill) */
	char *rel = liang_xasprintf("data/%s.csv", t->name);
	liang_out_file f;
	rc = liang_out_file_open(b->o, &f, rel);
	free(rel);
	liang_buf out = LIANG_BUF_INIT;
	liang_buf_puts(&out, "\xEF\xBB\xBF");
	int ncol = sqlite3_column_count(st);
	for (int i = 0; i < ncol; i++) {
		const char *id = sqlite3_column_name(st, i);
		int c = liang_table_column(t, id);
		if (i)
			liang_buf_putc(&out, ',');
		liang_b_csv_cell(&out, c >= 0 ? t->columns[c].zh : id, false);
	}
	liang_buf_puts(&out, "\r\n");
	int step = SQLITE_DONE;
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
		for (int i = 0; i < ncol; i++) {
			if (i)
				liang_buf_putc(&out, ',');
			/* the type before the text, which may convert the value;
			 * an integer written here, as SQLite would, without the
			 * text it would make of it */
			int type = sqlite3_column_type(st, i);
			if (type == SQLITE_INTEGER) {
				char d[24];
				long long v = sqlite3_column_int64(st, i);
				size_t n = liang_digits(d, v < 0 ? 0 - (unsigned long long)v : (unsigned long long)v, v < 0);
				liang_buf_put(&out, d, n);
				continue;
			}
			liang_b_csv_cell(&out, liang_b_col(st, i), type == SQLITE_TEXT);
		}
		liang_buf_puts(&out, "\r\n");
		rc = liang_out_file_spill(&f, &out, false);
	}
	if (rc == 0 && step != SQLITE_DONE) {
		liang_error(b->s->diags, NULL, 0, 0, "无法生成开放数据 data/%s.csv：读取数据库时出错（%s）", t->name,
			    sqlite3_errmsg(b->db));
		rc = -1;
	}
	sqlite3_finalize(st);
	if (rc == 0)
		rc = liang_out_file_spill(&f, &out, true);
	if (liang_out_file_close(&f) < 0)
		rc = -1;
	liang_buf_free(&out);
	return rc;
}

/* -------------------------------------------------------------- theme */

/* The theme's static files: from the site's themes/<name>/assets/ when
 * it has them, else the default theme compiled into liang. */
static int S_assets(builder *b)
{
	const char *prefix = "themes/default/assets/";
	size_t pl = strlen(prefix);
	for (size_t i = 0; i < liang_embedded_count; i++) {
		const liang_embedded *e = &liang_embedded_files[i];
		if (strncmp(e->name, prefix, pl) != 0)
			continue;
		char *rel = liang_xasprintf("assets/%s", e->name + pl);
		char *over = liang_xasprintf("%s/themes/%s/assets/%s", b->s->root, b->s->config.theme, e->name + pl);
		size_t len;
		char *own = liang_file_read(over, &len);
		int rc = own ? liang_out_write(b->o, rel, own, len) : liang_out_write(b->o, rel, e->data, e->len);
		free(own);
		free(over);
		free(rel);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* ------------------------------------------------------------- main */

/* Fix the published name of every media file before rendering starts. */
static void S_media_prepass(builder *b)
{
	sqlite3_stmt *st = liang_b_prepare(b, "media_paths");
	char path[4096];
	/* the helper thread is running (it shows no media before the chunks
	 * are ready, but the registry is shared: locked all the same) */
	pthread_mutex_lock(&b->media->lock);
	while (st && sqlite3_step(st) == SQLITE_ROW) {
		for (const char *p = liang_b_col(st, 2); p && *p;) {
			size_t n = strcspn(p, ";");
			if (n && n < sizeof path) {
				memcpy(path, p, n);
				path[n] = '\0';
				S_media_locked(b->media, path, n);
			}
			p += n;
			if (*p == ';')
				p++;
		}
	}
	pthread_mutex_unlock(&b->media->lock);
	sqlite3_finalize(st);
}

static void S_chunks(builder *b, chunks *ch)
{
	sqlite3_stmt *st = liang_b_prepare(b, "collective_ids");
	size_t cap = 0;
	while (st && sqlite3_step(st) == SQLITE_ROW) {
		if (ch->n == cap) {
			cap = cap ? cap * 2 : 1024;
			ch->ids = liang_xrealloc(ch->ids, cap * sizeof *ch->ids);
		}
		ch->ids[ch->n++] = liang_xstrdup(liang_b_col(st, 0));
	}
	sqlite3_finalize(st);
	atomic_init(&ch->next, 0);
	pthread_mutex_lock(&ch->lock);
	ch->ready = true;
	pthread_cond_broadcast(&ch->filled);
	pthread_mutex_unlock(&ch->lock);
}

static int S_by_string(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* ---------------------------------------------------------- statistics */

/* Attach the database of the statistics to this thread's connection
 * (once): on a reader, whose own database is read-only. */
static int S_stats_attach(builder *b)
{
	if (b->stats_attached || b->db == b->s->db)
		return 0;
	char *sql = sqlite3_mprintf("ATTACH %Q AS stats", b->gate->uri);
	int rc = sqlite3_exec(b->db, sql, NULL, NULL, NULL);
	sqlite3_free(sql);
	if (rc != SQLITE_OK) {
		liang_error(b->s->diags, NULL, 0, 0, "统计出错（liang 的缺陷）：%s", sqlite3_errmsg(b->db));
		return -1;
	}
	liang_site_unbound(b->db, "stats");
	b->stats_attached = true;
	return 0;
}

/* Compute the statistics on this thread and open the gate. */
static void S_stats_compute(builder *b)
{
	int rc = b->db == b->s->db ? liang_statpages_prepare(b->s, b->db, "main")
				   : S_stats_attach(b) < 0 ? -1 : liang_statpages_prepare(b->s, b->db, "stats");
	pthread_mutex_lock(&b->gate->lock);
	b->gate->state = rc == 0 ? 1 : -1;
	pthread_cond_broadcast(&b->gate->done);
	pthread_mutex_unlock(&b->gate->lock);
}

/* Wait for the statistics; true when they are there to read. */
static bool S_stats_wait(builder *b)
{
	pthread_mutex_lock(&b->gate->lock);
	while (b->gate->state == 0)
		pthread_cond_wait(&b->gate->done, &b->gate->lock);
	int state = b->gate->state;
	pthread_mutex_unlock(&b->gate->lock);
	if (state < 0 || S_stats_attach(b) < 0) {
		b->failed = 1;
		return false;
	}
	return true;
}

/* The helper thread begins with the statistics, which need only its own
 * connection, while the first thread prepares what every page shares
 * (setup); once both are done it takes a copy of that builder. */
typedef struct helper_start {
	builder w;             /* the helper's builder */
	builder setup;         /* the first thread's, as it stood once ready */
	bool ready;            /* under lock */
	pthread_mutex_t lock;
	pthread_cond_t set;
} helper_start;

/* On the first thread: hand the builder over (its copy is the helper's
 * from now on, while b goes on changing). */
static void S_helper_go(helper_start *h, const builder *b)
{
	pthread_mutex_lock(&h->lock);
	h->setup = *b;
	h->ready = true;
	pthread_cond_signal(&h->set);
	pthread_mutex_unlock(&h->lock);
}

/* The helper thread: the statistics, then with the shared setup their
 * pages, the open-data files, and collectives. */
static void *S_helper(void *arg)
{
	helper_start *h = arg;
	builder *w = &h->w;
	liang_progress_mute_thread();
	liang_stat_share_use(w->share);
	S_stats_compute(w);
	pthread_mutex_lock(&h->lock);
	while (!h->ready)
		pthread_cond_wait(&h->set, &h->lock);
	pthread_mutex_unlock(&h->lock);
	/* the shared parts from the first thread; this thread's own
	 * connection, arena, page buffer and sitemap stay */
	builder own = *w;
	*w = h->setup;
	w->db = own.db;
	w->arena = own.arena;
	w->page = own.page;
	w->sitemap = NULL;
	w->nsitemap = w->capsitemap = 0;
	w->stats_attached = own.stats_attached;
	w->failed = own.failed || w->failed;
	if (w->gate->state < 0)
		w->failed = 1;
	else
		liang_statpages_build(w);
	for (size_t i = 0; i < liang_ntables && !w->failed; i++)
		if (S_open_data(w, &liang_tables[i]) < 0)
			w->failed = 1;
	S_collective_pages(w);
	liang_stat_share_use(NULL);
	return NULL;
}

int liang_build_site(liang_site *s, liang_out *o)
{
	builder b;
	memset(&b, 0, sizeof b);
	b.s = s;
	b.o = o;
	b.idx = s->config.local_links ? "index.html" : "";
	stats_gate gate = {.state = 0};
	pthread_mutex_init(&gate.lock, NULL);
	pthread_cond_init(&gate.done, NULL);
	/* shared by the connections of this process that attach it */
	snprintf(gate.uri, sizeof gate.uri, "file:/liang-stats-%p?vfs=memdb", (void *)&gate);
	b.gate = &gate;
	b.db = liang_site_reader(s);
	if (!b.db) {
		b.db = s->db; /* one thread then */
		liang_i18n_register(s->db);
	}
	bool threads = b.db != s->db && liang_out_async(o) == 0;
	if (threads) {
		b.share = liang_stat_share_new();
		liang_stat_share_use(b.share);
	}
	/* the helper: a builder with its own connection, arena, page buffer
	 * and sitemap; it computes the statistics while this thread
	 * prepares the rest, then takes a copy of this builder: the rest is
	 * shared and read-only, but for media (locked), the theme (locked),
	 * the sql cache (locked) and the chunks of collectives (filled
	 * below) */
	helper_start hs;
	memset(&hs, 0, sizeof hs);
	pthread_mutex_init(&hs.lock, NULL);
	pthread_cond_init(&hs.set, NULL);
	builder *w = &hs.w;
	pthread_t helper;
	bool helping = false;
	if (threads && (w->db = liang_site_reader(s)) != NULL) {
		w->s = s;
		w->o = o;
		w->gate = &gate;
		w->share = b.share;
		liang_arena_init(&w->arena);
		w->page = (liang_buf)LIANG_BUF_INIT;
		helping = pthread_create(&helper, NULL, S_helper, &hs) == 0;
		if (!helping) {
			sqlite3_close(w->db);
			liang_arena_free(&w->arena);
		}
	}
	b.theme = liang_theme_new(s->root, s->config.theme, s->diags);
	liang_arena_init(&b.arena);
	liang_arena keep;
	liang_arena_init(&keep);
	media_reg media;
	memset(&media, 0, sizeof media);
	pthread_mutex_init(&media.lock, NULL);
	liang_strmap_init(&media.map);
	liang_strmap_init(&media.names);
	b.media = &media;
	liang_gallery_begin(&b);
	chunks ch;
	memset(&ch, 0, sizeof ch);
	pthread_mutex_init(&ch.lock, NULL);
	pthread_cond_init(&ch.filled, NULL);
	b.chunks = &ch;
	liang_strmap_init(&b.texts);
	/* the checks across files, on the loading connection, while the
	 * helper computes the statistics */
	liang_load_cross_checks(s);
	/* the PDFs are made last, but the pages link to them */
	if (liang_reports_prepare(&b) < 0)
		b.failed = 1;

	sqlite3_stmt *st = liang_b_prepare(&b, "texts_ids");
	while (st && sqlite3_step(st) == SQLITE_ROW) {
		char *key = liang_xasprintf("%s\1%s", liang_b_col(st, 0), liang_b_col(st, 1));
		liang_strmap_add(&b.texts, key, strlen(key), 1, NULL);
		free(key);
	}
	sqlite3_finalize(st);
	st = liang_b_prepare(&b, "survey_window");
	if (st && sqlite3_step(st) == SQLITE_ROW && liang_b_col(st, 0))
		snprintf(b.survey_from, sizeof b.survey_from, "%s", liang_b_col(st, 0));
	sqlite3_finalize(st);

	liang_progress_stage(s, "pages");
	S_facets(&b);
	S_page_list(&b, &keep);
	liang_b_scope_prepare(&b, &keep);
	if (helping)
		S_helper_go(&hs, &b);
	/* media names are fixed before any page that shows one */
	S_media_prepass(&b);
	S_chunks(&b, &ch);
	if (!helping) {
		liang_progress_stage(s, "statistics");
		S_stats_compute(&b);
	}

	S_home(&b);
	liang_progress_stage(s, "lists");
	S_lists(&b);
	liang_progress_stage(s, "notices");
	S_notices(&b);
	S_pages(&b);
	liang_progress_stage(s, "galleries");
	liang_gallery_pages(&b);
	liang_progress_stage(s, helping ? "collective pages" : "statistics pages");
	if (S_stats_wait(&b)) {
		if (!helping) /* else the helper made them */
			liang_statpages_build(&b);
		S_collective_pages(&b);
	}
	if (helping) {
		liang_progress_stage(s, "waiting");
		pthread_join(helper, NULL);
		if (w->failed)
			b.failed = 1;
		/* the helper's sitemap entries join ours (sorted below) */
		b.sitemap = liang_xrealloc(b.sitemap, (b.nsitemap + w->nsitemap + 1) * sizeof *b.sitemap);
		/* none when a failed write stopped the helper early: memcpy from
		 * NULL is undefined even for no bytes */
		if (w->nsitemap)
			memcpy(b.sitemap + b.nsitemap, w->sitemap, w->nsitemap * sizeof *w->sitemap);
		b.nsitemap += w->nsitemap;
		b.capsitemap = b.nsitemap + 1;
		free(w->sitemap);
		liang_buf_free(&w->page);
		liang_arena_free(&w->arena);
		sqlite3_close(w->db);
	} else {
		liang_progress_stage(s, "open data");
		for (size_t i = 0; i < liang_ntables && !b.failed; i++)
			if (S_open_data(&b, &liang_tables[i]) < 0)
				b.failed = 1;
	}
	qsort(b.sitemap, b.nsitemap, sizeof *b.sitemap, S_by_string);
	if (!b.failed)
		S_write_sitemap(&b);
	liang_progress_stage(s, "reports");
	if (!b.failed && liang_reports_build(&b) < 0)
		b.failed = 1;
	liang_progress_stage(s, "media");
	if (!b.failed && (S_assets(&b) < 0 || S_copy_media(&b) < 0))
		b.failed = 1;
	char *robots = liang_xasprintf("User-agent: *\nAllow: /\nSitemap: %ssitemap.xml\n", s->config.base_url);
	if (!b.failed && liang_out_write(o, "robots.txt", robots, strlen(robots)) < 0)
		b.failed = 1;
	free(robots);
	liang_progress_stage(s, "writing");
	liang_out_sync(o);
	liang_progress_done(s);

	for (size_t i = 0; i < media.n; i++) {
		free(media.src[i]);
		free(media.out[i]);
	}
	free(media.src);
	free(media.out);
	liang_strmap_free(&media.map);
	liang_strmap_free(&media.names);
	pthread_mutex_destroy(&media.lock);
	liang_gallery_end(&b);
	liang_reports_end(&b);
	for (size_t i = 0; i < ch.n; i++)
		free(ch.ids[i]);
	free(ch.ids);
	pthread_mutex_destroy(&ch.lock);
	pthread_cond_destroy(&ch.filled);
	for (size_t i = 0; i < b.nsitemap; i++)
		free(b.sitemap[i]);
	free(b.sitemap);
	S_facets_free(&b);
	liang_strmap_free(&b.texts);
	pthread_mutex_destroy(&gate.lock);
	pthread_cond_destroy(&gate.done);
	liang_buf_free(&b.page);
	liang_arena_free(&b.arena);
	liang_arena_free(&keep);
	liang_theme_free(b.theme);
	if (b.db != s->db)
		sqlite3_close(b.db);
	pthread_mutex_destroy(&hs.lock);
	pthread_cond_destroy(&hs.set);
	liang_stat_share_use(NULL);
	liang_stat_share_free(b.share); /* after the connections that map it */
	return b.failed || o->failed || s->diags->errors ? -1 : 0;
}
