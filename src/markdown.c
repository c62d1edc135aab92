/* markdown — cmark-gfm, made safe and right for Chinese. */
#include "markdown.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include "chart.h"
#include "sqlblock.h"
#include "text.h"
#include "util.h"

static bool S_cjk(uint32_t c)
{
	return (c >= 0x2E80 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) ||
	       (c >= 0xFF00 && c <= 0xFFEF) || (c >= 0x20000 && c <= 0x3FFFF) ||
	       (c >= 0x3000 && c <= 0x303F);
}

static uint32_t S_last_char(const char *s)
{
	size_t n = strlen(s);
	if (!n)
		return 0;
	const char *p = s + n - 1;
	while (p > s && ((unsigned char)*p & 0xC0) == 0x80)
		p--;
	return liang_utf8_next(&p);
}

static uint32_t S_first_char(const char *s)
{
	return *s ? liang_utf8_next(&s) : 0;
}

static bool S_safe_url(const char *url)
{
	const char *colon = strchr(url, ':');
	size_t n = strcspn(url, "/?#");
	if (!colon || (size_t)(colon - url) > n)
		return true; /* relative */
	size_t k = (size_t)(colon - url);
	return (k == 4 && !strncasecmp(url, "http", 4)) || (k == 5 && !strncasecmp(url, "https", 5)) ||
	       (k == 6 && !strncasecmp(url, "mailto", 6)) || (k == 3 && !strncasecmp(url, "tel", 3));
}

static cmark_node *S_html_block(const char *html)
{
	cmark_node *n = cmark_node_new(CMARK_NODE_HTML_BLOCK);
	cmark_node_set_literal(n, html);
	return n;
}

/* The text of n and its descendants, as plain text. */
static void S_plain(cmark_node *n, liang_buf *b)
{
	cmark_node_type t = cmark_node_get_type(n);
	if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE) {
		const char *lit = cmark_node_get_literal(n);
		liang_buf_puts(b, lit ? lit : "");
	} else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK) {
		liang_buf_putc(b, ' ');
	}
	for (cmark_node *k = cmark_node_first_child(n); k; k = cmark_node_next(k))
		S_plain(k, b);
}

/* A GFM table scrolls on a phone rather than squeeze its columns, in a
 * region the keyboard can reach, named by its header row. */
static void S_wrap_table(cmark_node *table)
{
	liang_buf heads[16], open = LIANG_BUF_INIT;
	const char *names[16];
	size_t n = 0;
	cmark_node *row = cmark_node_first_child(table);
	for (cmark_node *cell = row ? cmark_node_first_child(row) : NULL; cell && n < 16; cell = cmark_node_next(cell)) {
		heads[n] = (liang_buf)LIANG_BUF_INIT;
		S_plain(cell, &heads[n]);
		names[n] = liang_buf_cstr(&heads[n]);
		n++;
	}
	liang_table_region_open(&open, "表格", names, n);
	for (size_t i = 0; i < n; i++)
		liang_buf_free(&heads[i]);
	cmark_node *before = S_html_block(liang_buf_cstr(&open)), *after = S_html_block("</div>");
	liang_buf_free(&open);
	if (!cmark_node_insert_before(table, before) || !cmark_node_insert_after(table, after)) {
		/* (cannot happen to a table, a block among blocks) */
		cmark_node_free(before);
		cmark_node_free(after);
	}
}

void liang_markdown_render(liang_site *s, sqlite3 *db, const char *text, const char *title, const char *file, long line0,
			   liang_buf *html)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, cmark_gfm_core_extensions_ensure_registered);
	cmark_parser *p = cmark_parser_new(CMARK_OPT_DEFAULT | CMARK_OPT_UNSAFE);
	static const char *const exts[] = {"table", "strikethrough", "autolink"};
	for (size_t i = 0; i < sizeof exts / sizeof *exts; i++) {
		cmark_syntax_extension *e = cmark_find_syntax_extension(exts[i]);
		if (e)
			cmark_parser_attach_syntax_extension(p, e);
	}
	cmark_parser_feed(p, text, strlen(text));
	/* cmark-gfm keeps the table of special inline characters in one
	 * global array: cmark_parser_finish adds the extensions' characters
	 * (':' and 'w' of autolink, '~' of strikethrough) before it parses
	 * the inlines and removes them after. Another thread finishing at the
	 * same moment would remove them under this one, which then misses a
	 * link or a strikethrough now and then: the inline pass runs alone.
	 * Block parsing (feed) and rendering stay parallel. */
	static pthread_mutex_t inlines = PTHREAD_MUTEX_INITIALIZER;
	pthread_mutex_lock(&inlines);
	cmark_node *doc = cmark_parser_finish(p);
	pthread_mutex_unlock(&inlines);
	cmark_node *first = cmark_node_first_child(doc), *only;
	if (title && first && cmark_node_get_type(first) == CMARK_NODE_HEADING && (only = cmark_node_first_child(first)) &&
	    !cmark_node_next(only) && cmark_node_get_type(only) == CMARK_NODE_TEXT &&
	    !strcmp(cmark_node_get_literal(only), title))
		cmark_node_free(first);

	/* Collect the nodes to change first: changing the tree while
	 * iterating over it is not allowed. */
	cmark_node **todo = NULL;
	size_t ntodo = 0, cap = 0;
	bool h1 = false;
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		if (ev != CMARK_EVENT_ENTER)
			continue;
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);
		bool act = false;
		if (t == CMARK_NODE_HTML_BLOCK || t == CMARK_NODE_HTML_INLINE)
			act = !s->config.allow_raw_html;
		else if (t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE)
			act = !S_safe_url(cmark_node_get_url(n) ? cmark_node_get_url(n) : "");
		else if (t == CMARK_NODE_SOFTBREAK)
			act = true;
		else if (t == CMARK_NODE_HEADING)
			h1 = h1 || cmark_node_get_heading_level(n) == 1;
		else if (t == CMARK_NODE_CODE_BLOCK) {
			const char *info = cmark_node_get_fence_info(n);
			act = info && !strncmp(info, "sql", 3) && (info[3] == '\0' || info[3] == ' ');
		} else if (html && !strcmp(cmark_node_get_type_string(n), "table"))
			act = true;
		if (act) {
			if (ntodo == cap) {
				cap = cap ? cap * 2 : 16;
				todo = liang_xrealloc(todo, cap * sizeof *todo);
			}
			todo[ntodo++] = n;
		}
	}
	cmark_iter_free(it);
	/* the page has its h1 (the title of the notice, the work, the
	 * collective): headings of a text that uses # go one level down */
	if (h1) {
		it = cmark_iter_new(doc);
		while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
			cmark_node *n = cmark_iter_get_node(it);
			if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(n) == CMARK_NODE_HEADING) {
				int level = cmark_node_get_heading_level(n);
				cmark_node_set_heading_level(n, level < 6 ? level + 1 : 6);
			}
		}
		cmark_iter_free(it);
	}

	for (size_t i = 0; i < ntodo; i++) {
		cmark_node *n = todo[i];
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_HTML_BLOCK:
		case CMARK_NODE_HTML_INLINE:
			cmark_node_free(n);
			break;
		case CMARK_NODE_LINK:
		case CMARK_NODE_IMAGE: {
			/* an unsafe link becomes its text, an unsafe image its alt text */
			cmark_node *k;
			while ((k = cmark_node_first_child(n)))
				cmark_node_insert_before(n, k);
			cmark_node_free(n);
			break;
		}
		case CMARK_NODE_SOFTBREAK: {
			cmark_node *a = cmark_node_previous(n), *b = cmark_node_next(n);
			const char *la = a && cmark_node_get_type(a) == CMARK_NODE_TEXT ? cmark_node_get_literal(a) : NULL;
			const char *lb = b && cmark_node_get_type(b) == CMARK_NODE_TEXT ? cmark_node_get_literal(b) : NULL;
			if (la && lb && S_cjk(S_last_char(la)) && S_cjk(S_first_char(lb)))
				cmark_node_free(n);
			break;
		}
		case CMARK_NODE_CODE_BLOCK: {
			const char *sql = cmark_node_get_literal(n);
			long line = line0 + cmark_node_get_start_line(n) - 1;
			/* "sql" or "sql chart=KIND" */
			const char *opt = cmark_node_get_fence_info(n) + 3;
			bool chart = false;
			liang_chart_kind kind = LIANG_CHART_BAR;
			bool bad = false;
			while (*opt) {
				opt += strspn(opt, " \t");
				size_t len = strcspn(opt, " \t");
				if (!len)
					break;
				if (len > 6 && !strncmp(opt, "chart=", 6) && liang_chart_kind_parse(opt + 6, len - 6, &kind)) {
					chart = true;
				} else {
					liang_error(s->diags, file, line, 1,
						    "sql 代码块：无法识别的选项“%.*s”（可用 chart=bar、hbar、stacked、line、pie、"
						    "donut、pyramid）", (int)len, opt);
					bad = true;
				}
				opt += len;
			}
			const liang_sqlresult *r = liang_sql_run(&s->sqlcache, db, sql ? sql : "");
			if (r->err) {
				liang_error(s->diags, file, line, 1, "sql 代码块：%s", r->err);
			} else if (!bad) {
				liang_chart ch;
				char *err = NULL;
				/* data that happen to be empty today: the table says so,
				 * the build goes on */
				if (r->nrows == 0)
					chart = false;
				if (chart && liang_chart_from_result(r, kind, NULL, &ch, &err) < 0) {
					liang_error(s->diags, file, line, 1, "sql 代码块：%s", err);
					free(err);
					chart = false;
				}
				if (!html) {
					/* a check: the chart had to be possible, nothing more */
					if (chart)
						liang_chart_free(&ch);
					break;
				}
				liang_buf out = LIANG_BUF_INIT;
				if (chart) {
					/* an id unique in the page and the same in every build */
					unsigned long h = 2166136261u;
					for (const char *f = file; f && *f; f++)
						h = (h ^ (unsigned char)*f) * 16777619u;
					char id[40];
					snprintf(id, sizeof id, "chart-%08lx-%ld", h & 0xffffffffu, line);
					liang_buf_puts(&out, "<figure class=\"chart-wrap\">");
					liang_chart_svg_pair(&ch, id, &out);
					liang_buf_puts(&out, "<details><summary>查看数据表</summary>");
					liang_chart_free(&ch);
				}
				liang_sql_table_html(r, &out);
				if (chart)
					liang_buf_puts(&out, "</details></figure>\n");
				cmark_node *h = S_html_block(liang_buf_cstr(&out));
				cmark_node_replace(n, h);
				cmark_node_free(n);
				liang_buf_free(&out);
			}
			break;
		}
		default:
			if (!strcmp(cmark_node_get_type_string(n), "table"))
				S_wrap_table(n);
			break;
		}
	}
	free(todo);
	if (html) {
		char *out = cmark_render_html(doc, CMARK_OPT_UNSAFE, cmark_parser_get_syntax_extensions(p));
		liang_buf_puts(html, out);
		free(out);
	}
	cmark_node_free(doc);
	cmark_parser_free(p);
}

/* The sql blocks that a fence at the start of a line opens ("```sql"),
 * as cmark will read them: the lines up to the closing fence, each with
 * its "\n". A block this misses (inside a list or a quote) runs when its
 * page meets it; text this takes for a block that is none runs for
 * nothing and is never reported. */
static void S_prefetch_scan(const char *text, liang_strmap *seen, char ***out, size_t *n)
{
	liang_buf b = LIANG_BUF_INIT;
	for (const char *p = text; *p;) {
		const char *eol = strchr(p, '\n');
		const char *next = eol ? eol + 1 : p + strlen(p);
		size_t ticks = strspn(p, "`");
		if (ticks < 3 || strncmp(p + ticks, "sql", 3) != 0 ||
		    !(p[ticks + 3] == ' ' || p[ticks + 3] == '\t' || p[ticks + 3] == '\n' || p[ticks + 3] == '\r' ||
		      !p[ticks + 3])) {
			p = next;
			continue;
		}
		liang_buf_clear(&b);
		bool closed = false;
		for (p = next; *p; p = next) {
			eol = strchr(p, '\n');
			next = eol ? eol + 1 : p + strlen(p);
			size_t len = (size_t)(next - p) - (eol ? 1 : 0);
			if (len && p[len - 1] == '\r')
				len--;
			size_t sp = strspn(p, " ");
			size_t t = sp <= 3 ? strspn(p + sp, "`") : 0;
			if (t >= ticks && strspn(p + sp + t, " \t") == len - sp - t) {
				p = next;
				closed = true;
				break;
			}
			liang_buf_put(&b, p, len);
			liang_buf_putc(&b, '\n');
		}
		if (closed && !liang_strmap_get(seen, liang_buf_cstr(&b), b.len)) {
			liang_strmap_add(seen, liang_buf_cstr(&b), b.len, 1, NULL);
			*out = liang_xrealloc(*out, (*n + 1) * sizeof **out);
			(*out)[(*n)++] = liang_xstrdup(liang_buf_cstr(&b));
		}
	}
	liang_buf_free(&b);
}

struct liang_mdcheck {
	liang_site *s;
	char **rows; /* body, path, line: three per body */
	size_t n;
	char **queries; /* the distinct sql blocks, run first */
	size_t nqueries;
	atomic_size_t next; /* queries, then bodies */
	sqlite3 *db[2];     /* each thread's reader, or NULL */
	pthread_t helper;
	bool threaded;
};

typedef struct {
	liang_mdcheck *c;
	sqlite3 *db;
} S_checker;

/* Run the distinct queries, each on one thread, then check the bodies:
 * their queries are done, and no thread waits for the other's. */
static void *S_check_run(void *arg)
{
	S_checker *k = arg;
	liang_mdcheck *c = k->c;
	for (size_t i; (i = atomic_fetch_add(&c->next, 1)) < c->nqueries + c->n;) {
		if (i < c->nqueries) {
			liang_sql_run(&c->s->sqlcache, k->db, c->queries[i]);
			continue;
		}
		i -= c->nqueries;
		liang_markdown_render(c->s, k->db, c->rows[3 * i], NULL, c->rows[3 * i + 1], atol(c->rows[3 * i + 2]),
				      NULL);
	}
	return NULL;
}

static void *S_check_helper(void *arg)
{
	S_check_run(arg);
	free(arg);
	return NULL;
}

liang_mdcheck *liang_markdown_check_start(liang_site *s)
{
	liang_mdcheck *c = liang_xcalloc(1, sizeof *c);
	c->s = s;
	atomic_init(&c->next, 0);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, liang_query("markdown_sql_bodies"), -1, &st, NULL) != SQLITE_OK)
		return c;
	size_t cap = 0;
	liang_strmap seen;
	liang_strmap_init(&seen);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (c->n == cap)
			c->rows = liang_xrealloc(c->rows, (cap = cap ? 2 * cap : 64) * 3 * sizeof *c->rows);
		for (int k = 0; k < 3; k++) {
			const char *v = (const char *)sqlite3_column_text(st, k);
			c->rows[3 * c->n + (size_t)k] = liang_xstrdup(v ? v : "");
		}
		S_prefetch_scan(c->rows[3 * c->n], &seen, &c->queries, &c->nqueries);
		c->n++;
	}
	sqlite3_finalize(st);
	liang_strmap_free(&seen);
	/* two threads when the database can be shared; both then read it
	 * in place (through s->db the pages are copied into its cache) */
	if (c->n > 1 && (c->db[0] = liang_site_reader(s)) != NULL && (c->db[1] = liang_site_reader(s)) != NULL) {
		S_checker *k = liang_xmalloc(sizeof *k);
		*k = (S_checker){c, c->db[1]};
		c->threaded = pthread_create(&c->helper, NULL, S_check_helper, k) == 0;
		if (!c->threaded)
			free(k);
	}
	return c;
}

void liang_markdown_check_finish(liang_mdcheck *c)
{
	S_checker self = {c, c->db[0] ? c->db[0] : c->s->db};
	S_check_run(&self);
	if (c->threaded)
		pthread_join(c->helper, NULL);
	sqlite3_close(c->db[0]);
	sqlite3_close(c->db[1]);
	for (size_t i = 0; i < 3 * c->n; i++)
		free(c->rows[i]);
	free(c->rows);
	for (size_t i = 0; i < c->nqueries; i++)
		free(c->queries[i]);
	free(c->queries);
	free(c);
}

void liang_markdown_check(liang_site *s)
{
	liang_markdown_check_finish(liang_markdown_check_start(s));
}
