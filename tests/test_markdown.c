/* Tests for markdown: what a notice's Markdown becomes inside a page. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "diag.h"
#include "markdown.h"
#include "site.h"
#include "unit.h"
#include "util.h"

/* The HTML of text rendered for a site with default settings. */
static char *S_render_titled(const char *text, const char *title, bool raw_html)
{
	liang_diags d;
	liang_diags_init(&d);
	liang_site s;
	memset(&s, 0, sizeof s);
	s.diags = &d;
	s.config.allow_raw_html = raw_html;
	liang_sqlcache_init(&s.sqlcache);
	liang_buf html = LIANG_BUF_INIT;
	liang_markdown_render(&s, NULL, text, title, "content/notices/x.md", 1, &html);
	liang_sqlcache_free(&s.sqlcache);
	liang_diags_free(&d);
	char *out = liang_xstrdup(liang_buf_cstr(&html));
	liang_buf_free(&html);
	return out;
}

static char *S_render(const char *text, bool raw_html)
{
	return S_render_titled(text, NULL, raw_html);
}

static void headings_go_under_the_page_title(void)
{
	/* the page has its h1: a text that uses # moves one level down */
	char *h = S_render("# 标题\n\n## 一、目的\n\n###### 最深\n", false);
	CHECK_STR(h, "<h2>标题</h2>\n<h3>一、目的</h3>\n<h6>最深</h6>\n");
	free(h);
	/* one that starts at ## keeps its levels */
	h = S_render("## 一、目的\n\n### 细则\n", false);
	CHECK_STR(h, "<h2>一、目的</h2>\n<h3>细则</h3>\n");
	free(h);
}

static void a_heading_that_repeats_the_title_is_left_out(void)
{
	char *h = S_render_titled("# 窗口里的青春\n\n正文。\n\n## 小节\n", "窗口里的青春", false);
	CHECK_STR(h, "<p>正文。</p>\n<h2>小节</h2>\n");
	free(h);
	/* only the first block, and only the same words */
	h = S_render_titled("# 另一个题目\n\n正文。\n", "窗口里的青春", false);
	CHECK_STR(h, "<h2>另一个题目</h2>\n<p>正文。</p>\n");
	free(h);
	h = S_render_titled("正文。\n\n# 窗口里的青春\n", "窗口里的青春", false);
	CHECK_STR(h, "<p>正文。</p>\n<h2>窗口里的青春</h2>\n");
	free(h);
}

static void no_space_between_hanzi_lines(void)
{
	char *h = S_render("青年文明号\n创建活动\n", false);
	CHECK_STR(h, "<p>青年文明号创建活动</p>\n");
	free(h);
	h = S_render("Youth\nLeague\n", false);
	CHECK_STR(h, "<p>Youth\nLeague</p>\n");
	free(h);
}

static void raw_html_and_unsafe_links_are_dropped(void)
{
	char *h = S_render("前<script>alert(1)</script>后\n\n[点我](javascript:alert(1))\n", false);
	CHECK(strstr(h, "<script") == NULL);
	CHECK(strstr(h, "javascript:") == NULL);
	CHECK(strstr(h, "点我") != NULL);
	free(h);
	h = S_render("<b>粗</b>\n", true);
	CHECK(strstr(h, "<b>粗</b>") != NULL);
	free(h);
}

/* Two threads render Markdown at once, as a build does: each must
 * still see every autolink and strikethrough (cmark-gfm keeps its table of
 * special characters in one global array). */
static atomic_int S_misses;

static void *S_render_many(void *arg)
{
	(void)arg;
	for (int i = 0; i < 400; i++) {
		char *h = S_render("见 https://example.invalid/a 。\n\n另见 www.example.invalid 。\n\n~~旧的~~新的\n", false);
		if (!strstr(h, "<a href=\"https://example.invalid/a\">") ||
		    !strstr(h, "<a href=\"http://www.example.invalid\">") || !strstr(h, "<del>旧的</del>"))
			atomic_fetch_add(&S_misses, 1);
		free(h);
	}
	return NULL;
}

static void two_threads_see_the_same_links(void)
{
	atomic_store(&S_misses, 0);
	pthread_t th;
	CHECK(pthread_create(&th, NULL, S_render_many, NULL) == 0);
	S_render_many(NULL);
	pthread_join(th, NULL);
	CHECK(atomic_load(&S_misses) == 0);
	if (atomic_load(&S_misses))
		fprintf(stderr, "  %d renderings of 800 lost a link or a strikethrough\n", atomic_load(&S_misses));
}

static void a_table_scrolls_in_a_region_of_its_own(void)
{
	/* each GFM table in a region the keyboard reaches, which scrolls on
	 * a phone, named by its header row; nothing else is wrapped */
	char *h = S_render("前文。\n\n| 处理 | `集体` |\n|---|---|\n| 撤销称号 | <i>甲</i> |\n\n后文。\n\n"
			   "| 一 |\n|---|\n| 1 |\n",
			   false);
	const char *open = "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"表格：处理、集体（可左右滚动）\">\n<table>";
	const char *first = strstr(h, open);
	CHECK(first != NULL && strstr(h, "<p>前文。</p>\n") == h);
	CHECK(first && strstr(first, "</table>\n</div>\n<p>后文。</p>") != NULL);
	CHECK(strstr(h, "aria-label=\"表格：一（可左右滚动）\">\n<table>") != NULL);
	CHECK(strstr(h, "<i>") == NULL && strstr(h, "撤销称号") != NULL);
	size_t n = 0;
	for (const char *p = h; (p = strstr(p, "<div")); p++)
		n++;
	CHECK(n == 2);
	free(h);
	/* the whole text a table, and one inside a list item and a quote */
	h = S_render("| 甲 |\n|---|\n| 1 |\n", false);
	size_t len = strlen(h);
	CHECK(strncmp(h, "<div class=\"table-wrap\"", 23) == 0 && len > 16 && strcmp(h + len - 16, "</table>\n</div>\n") == 0);
	free(h);
	h = S_render("- 项目\n\n  | 甲 |\n  |---|\n  | 1 |\n\n> | 乙 |\n> |---|\n> | 2 |\n", false);
	CHECK(strstr(h, "<li>") && strstr(h, "aria-label=\"表格：甲（可左右滚动）\">\n<table>") != NULL);
	CHECK(strstr(h, "<blockquote>\n<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"表格：乙（可左右滚动）\">") != NULL);
	free(h);
	/* headings from the data are escaped; the name holds their first 40
	 * characters */
	h = S_render("| a\"b<c | 一二三四五六七八九十一二三四五六七八九十 | 一二三四五六七八九十一二三四五六七八九十 |\n|---|---|---|\n| 1 | 2 | 3 |\n", false);
	CHECK(strstr(h, "aria-label=\"表格：a&quot;b&lt;c、一二三四五六七八九十一二三四五六七八九十、一二三四五六七八九十一二三四五…（可左右滚动）\"") != NULL);
	free(h);
}

UNIT_TESTS(markdown) = {
	{"markdown/headings_go_under_the_page_title", headings_go_under_the_page_title},
	{"markdown/a_heading_that_repeats_the_title_is_left_out", a_heading_that_repeats_the_title_is_left_out},
	{"markdown/no_space_between_hanzi_lines", no_space_between_hanzi_lines},
	{"markdown/raw_html_and_unsafe_links_are_dropped", raw_html_and_unsafe_links_are_dropped},
	{"markdown/two_threads_see_the_same_links", two_threads_see_the_same_links},
	{"markdown/a_table_scrolls_in_a_region_of_its_own", a_table_scrolls_in_a_region_of_its_own},
	{NULL, NULL},
};
