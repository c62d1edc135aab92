/* Golden tests of the template engine: a template and a scope in, the
 * exact HTML out. Templates are written to a site's themes/t/ so that
 * the lookup (site theme first, then the built-in one) is tested too. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "template.h"
#include "unit.h"
#include "util.h"

typedef struct fixture {
	char *root;
	liang_diags d;
	liang_theme *theme;
	liang_arena a;
	liang_buf out;
	char last[32]; /* the name of the last template rendered */
} fixture;

static void put(fixture *f, const char *name, const char *text)
{
	char *rel = liang_xasprintf("themes/t/%s.html", name);
	char *path = liang_path_join(f->root, rel);
	char *dir = liang_xstrdup(path);
	*strrchr(dir, '/') = '\0';
	liang_mkdirs(dir, 0755);
	FILE *fp = fopen(path, "w");
	fputs(text, fp);
	fclose(fp);
	free(dir);
	free(path);
	free(rel);
}

static void setup(fixture *f)
{
	char t[] = "/tmp/liang-tmpl-XXXXXX";
	f->root = liang_xstrdup(mkdtemp(t));
	liang_diags_init(&f->d);
	f->theme = liang_theme_new(f->root, "t", &f->d);
	liang_arena_init(&f->a);
	f->out = (liang_buf)LIANG_BUF_INIT;
}

static void teardown(fixture *f)
{
	liang_theme_free(f->theme);
	liang_arena_free(&f->a);
	liang_buf_free(&f->out);
	liang_diags_free(&f->d);
	liang_remove_tree(f->root);
	free(f->root);
}

/* Render template text against scope; the output, or "ERROR: first
 * diagnostic" when rendering failed. */
static const char *render(fixture *f, const char *text, const liang_value *scope)
{
	static int n;
	char name[32];
	snprintf(name, sizeof name, "case%d", ++n);
	memcpy(f->last, name, sizeof name);
	put(f, name, text);
	liang_buf_clear(&f->out);
	if (liang_theme_render(f->theme, name, scope, &f->a, &f->out) < 0) {
		liang_buf_clear(&f->out);
		liang_buf_puts(&f->out, "ERROR: ");
		if (f->d.n) {
			char *line = liang_diag_format(&f->d.v[f->d.n - 1]);
			const char *slash = strstr(line, "themes/");
			liang_buf_puts(&f->out, slash ? slash : line);
			free(line);
		}
	}
	return liang_buf_cstr(&f->out);
}

static liang_value *S(fixture *f, const char *s)
{
	return liang_v_str(&f->a, s);
}

static void escapes_text_and_attributes(void)
{
	fixture f;
	setup(&f);
	liang_value *sc = liang_v_map(&f.a);
	liang_v_set(&f.a, sc, "x", S(&f, "<script>alert(\"1\")</script> & 'q'"));
	CHECK_STR(render(&f, "<p l-text=\"x\"></p>", sc),
		  "<p>&lt;script&gt;alert(\"1\")&lt;/script&gt; &amp; 'q'</p>\n");
	CHECK_STR(render(&f, "<p l-title=\"x\">t</p>", sc),
		  "<p title=\"&lt;script&gt;alert(&quot;1&quot;)&lt;/script&gt; &amp; &#39;q&#39;\">t</p>\n");
	/* a pattern is filled, then escaped as a whole */
	CHECK_STR(render(&f, "<p l-title=\"[{x}]\">t</p>", sc),
		  "<p title=\"[&lt;script&gt;alert(&quot;1&quot;)&lt;/script&gt; &amp; &#39;q&#39;]\">t</p>\n");
	/* static text of the template is written as HTML5, Hanzi as they are */
	CHECK_STR(render(&f, "<p title=\"a&amp;b\">青年 &lt; 文明号</p>", sc),
		  "<p title=\"a&amp;b\">青年 &lt; 文明号</p>\n");
	teardown(&f);
}

static void filters_urls(void)
{
	fixture f;
	setup(&f);
	liang_value *sc = liang_v_map(&f.a);
	static const char *const cases[][2] = {
		{"javascript:alert(1)", "#"},
		{" JaVaScRiPt:alert(1)", "#"},
		{"java\tscript:alert(1)", "#"},
		{"data:text/html,x", "#"},
		{"vbscript:x", "#"},
		{"https://example.org/a?b=1&c=2", "https://example.org/a?b=1&amp;c=2"},
		{"tel:0731-12345", "tel:0731-12345"},
		{"mailto:a@b.cn", "mailto:a@b.cn"},
		{"c/张 三/\"x\"", "c/%E5%BC%A0%20%E4%B8%89/%22x%22"},
		{"../a:b", "../a:b"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		liang_v_set(&f.a, sc, "u", S(&f, cases[i][0]));
		char *want = liang_xasprintf("<a href=\"%s\">x</a>\n", cases[i][1]);
		CHECK_STR(render(&f, "<a l-href=\"u\">x</a>", sc), want);
		free(want);
	}
	/* in a pattern, the value cannot bring in a scheme after the fact */
	liang_v_set(&f.a, sc, "u", S(&f, "javascript:alert(1)"));
	CHECK_STR(render(&f, "<a l-href=\"{u}\">x</a>", sc), "<a href=\"#\">x</a>\n");
	liang_v_set(&f.a, sc, "root", S(&f, "../../"));
	liang_v_set(&f.a, sc, "id", S(&f, "LL 001"));
	CHECK_STR(render(&f, "<a l-href=\"{root}c/{id}/\">x</a>", sc), "<a href=\"../../c/LL%20001/\">x</a>\n");
	CHECK_STR(render(&f, "<img l-src=\"u\" alt=\"\"/>", sc), "<img src=\"#\" alt=\"\">\n");
	teardown(&f);
}

static void conditions_and_loops(void)
{
	fixture f;
	setup(&f);
	liang_value *sc = liang_v_map(&f.a);
	liang_value *list = liang_v_list(&f.a);
	liang_v_push(&f.a, list, S(&f, "甲"));
	liang_v_push(&f.a, list, S(&f, "乙"));
	liang_v_push(&f.a, list, S(&f, "丙"));
	liang_v_set(&f.a, sc, "xs", list);
	liang_v_set(&f.a, sc, "empty", liang_v_list(&f.a));
	liang_v_set(&f.a, sc, "yes", liang_v_bool(&f.a, true));
	liang_v_set(&f.a, sc, "zero", liang_v_int(&f.a, 0));
	CHECK_STR(render(&f, "<ul><li l-each=\"x in xs\" l-text=\"x\"></li></ul>", sc),
		  "<ul><li>甲</li><li>乙</li><li>丙</li></ul>\n");
	CHECK_STR(render(&f,
			 "<p><l-block l-each=\"x in xs\"><b l-text=\"x_index\"></b><i l-unless=\"x_last\">,</i></l-block></p>",
			 sc),
		  "<p><b>0</b><i>,</i><b>1</b><i>,</i><b>2</b></p>\n");
	CHECK_STR(render(&f, "<p><span l-if=\"yes\">y</span><span l-if=\"zero\">z</span><span l-if=\"nothing.here\">n</span></p>", sc),
		  "<p><span>y</span></p>\n");
	CHECK_STR(render(&f, "<p><span l-unless=\"empty\">none</span><b l-text=\"xs.length\"></b></p>", sc),
		  "<p><span>none</span><b>3</b></p>\n");
	CHECK_STR(render(&f, "<ul><li l-each=\"x in empty\">never</li></ul>", sc), "<ul></ul>\n");
	/* l-each applies before l-if: the condition is asked per item */
	liang_value *items = liang_v_list(&f.a);
	for (int i = 0; i < 3; i++) {
		liang_value *m = liang_v_map(&f.a);
		liang_v_set(&f.a, m, "n", liang_v_int(&f.a, i));
		liang_v_set(&f.a, m, "on", liang_v_bool(&f.a, i != 1));
		liang_v_push(&f.a, items, m);
	}
	liang_v_set(&f.a, sc, "items", items);
	CHECK_STR(render(&f, "<p><b l-each=\"it in items\" l-if=\"it.on\" l-text=\"it.n\"></b></p>", sc),
		  "<p><b>0</b><b>2</b></p>\n");
	teardown(&f);
}

static void html_and_attributes(void)
{
	fixture f;
	setup(&f);
	liang_value *sc = liang_v_map(&f.a);
	liang_v_set(&f.a, sc, "body", liang_v_html(&f.a, "<p>已<em>渲染</em></p>", strlen("<p>已<em>渲染</em></p>")));
	liang_v_set(&f.a, sc, "plain", S(&f, "<em>x</em>"));
	liang_v_set(&f.a, sc, "yes", liang_v_bool(&f.a, true));
	liang_v_set(&f.a, sc, "no", liang_v_bool(&f.a, false));
	liang_v_set(&f.a, sc, "blank", S(&f, ""));
	/* only trusted HTML passes l-html; a string is escaped */
	CHECK_STR(render(&f, "<div l-html=\"body\"></div>", sc), "<div><p>已<em>渲染</em></p></div>\n");
	CHECK_STR(render(&f, "<div l-html=\"plain\"></div>", sc), "<div>&lt;em&gt;x&lt;/em&gt;</div>\n");
	/* booleans: bare attribute or none; a missing value: none; "" kept */
	CHECK_STR(render(&f, "<details l-open=\"yes\"></details>", sc), "<details open></details>\n");
	CHECK_STR(render(&f, "<details l-open=\"no\"></details>", sc), "<details></details>\n");
	CHECK_STR(render(&f, "<p l-title=\"missing\" l-lang=\"blank\">t</p>", sc), "<p lang=\"\">t</p>\n");
	/* HTML5 out: void elements without a slash, <style> and <script> raw */
	CHECK_STR(render(&f, "<p>a<br/>b<wbr/>c</p>", sc), "<p>a<br>b<wbr>c</p>\n");
	CHECK_STR(render(&f, "<style>a > b { content: \"青\" }</style>", sc),
		  "<style>a > b { content: \"青\" }</style>\n");
	CHECK_STR(render(&f, "<!DOCTYPE html>\n<html lang=\"zh-CN\"><body></body></html>", sc),
		  "<!DOCTYPE html>\n<html lang=\"zh-CN\"><body></body></html>\n");
	teardown(&f);
}

static void includes_and_overrides(void)
{
	fixture f;
	setup(&f);
	liang_value *sc = liang_v_map(&f.a);
	liang_value *list = liang_v_list(&f.a);
	liang_v_push(&f.a, list, S(&f, "一"));
	liang_v_push(&f.a, list, S(&f, "二"));
	liang_v_set(&f.a, sc, "xs", list);
	put(&f, "partials/item", "<l-block><b l-text=\"x\"></b><i>;</i></l-block>");
	CHECK_STR(render(&f, "<p><l-block l-each=\"x in xs\"><l-include name=\"partials/item\"/></l-block></p>", sc),
		  "<p><b>一</b><i>;</i><b>二</b><i>;</i></p>\n");
	/* a template the site does not have comes from the built-in theme */
	liang_value *pager = liang_v_map(&f.a);
	liang_v_set(&f.a, pager, "many", liang_v_bool(&f.a, false));
	liang_v_set(&f.a, sc, "pager", pager);
	liang_buf_clear(&f.out);
	CHECK(liang_theme_render(f.theme, "partials/pager", sc, &f.a, &f.out) == 0);
	CHECK(f.d.n == 0);
	/* … and one it does have overrides the built-in one */
	put(&f, "partials/footer", "<footer>本地</footer>");
	liang_buf_clear(&f.out);
	CHECK(liang_theme_render(f.theme, "partials/footer", sc, &f.a, &f.out) == 0);
	CHECK_STR(liang_buf_cstr(&f.out), "<footer>本地</footer>\n");
	teardown(&f);
}

static void reports_broken_templates(void)
{
	fixture f;
	setup(&f);
	liang_value *sc = liang_v_map(&f.a);
	CHECK(!strncmp(render(&f, "<p>\n<b>unclosed</p>", sc), "ERROR: themes/t/case", 20));
	CHECK(strstr(liang_buf_cstr(&f.out), ":2:") != NULL);
	CHECK(strstr(liang_buf_cstr(&f.out), "模板不是合法的 XML") != NULL);
	CHECK(strstr(render(&f, "<p>&nbsp;</p>", sc), "error:") != NULL);
	CHECK(strstr(render(&f, "<br l-text=\"x\"/>", sc), "是空元素") != NULL);
	CHECK(strstr(render(&f, "<script l-text=\"x\"></script>", sc), "不能来自数据") != NULL);
	CHECK(strstr(render(&f, "<p><l-include name=\"partials/nope\"/></p>", sc), "找不到模板") != NULL);
	CHECK(strstr(render(&f, "<p l-each=\"x of xs\"></p>", sc), "l-each") != NULL);
	/* a broken template stays broken, reported once */
	size_t n = f.d.n;
	CHECK(liang_theme_render(f.theme, f.last, sc, &f.a, &f.out) < 0);
	CHECK(f.d.n == n);
	teardown(&f);
}

/* Escaping skips runs of plain bytes 8 at a time: a character to escape
 * must be found at every position of a block and across blocks. */
static void escapes_at_every_position(void)
{
	for (int attr = 0; attr < 2; attr++) {
		/* past 16 and 32 bytes: the escaper looks at 16 bytes at a
		 * time, then 8, then one; a second special (or, in text, a
		 * quote, which stays) lands in the same block or another */
		for (size_t len = 1; len <= 48; len++) {
			for (size_t at = 0; at < len; at++) {
				const char *specials = attr ? "&<>\"'" : "&<>";
				for (const char *c = specials; *c; c++) {
					char in[64];
					memset(in, 'a', len);
					in[len] = '\0';
					size_t at2 = (at * 7 + 3) % len;
					if (at2 != at)
						in[at2] = attr ? specials[(size_t)(c - specials + 1) % strlen(specials)] : '"';
					in[at] = *c;
					/* the naive escape of in */
					char want[512];
					size_t w = 0;
					for (size_t i = 0; i < len; i++) {
						const char *rep = NULL;
						switch (in[i]) {
						case '&': rep = "&amp;"; break;
						case '<': rep = "&lt;"; break;
						case '>': rep = "&gt;"; break;
						case '"': rep = attr ? "&quot;" : NULL; break;
						case '\'': rep = attr ? "&#39;" : NULL; break;
						default: break;
						}
						if (rep) {
							memcpy(want + w, rep, strlen(rep));
							w += strlen(rep);
						} else {
							want[w++] = in[i];
						}
					}
					want[w] = '\0';
					/* exactly len bytes on the heap, without a
					 * terminator: under AddressSanitizer a read
					 * past the end stops the test */
					char *exact = liang_xmalloc(len);
					memcpy(exact, in, len);
					liang_buf b = LIANG_BUF_INIT;
					(attr ? liang_html_attr : liang_html_text)(&b, exact, len);
					free(exact);
					if (strcmp(liang_buf_cstr(&b), want) != 0) {
						CHECK_STR(liang_buf_cstr(&b), want);
						liang_buf_free(&b);
						return;
					}
					liang_buf_free(&b);
				}
			}
		}
	}
	CHECK(1);
	/* quotes stay as they are in text; Hanzi and bytes >= 0x80 pass */
	liang_buf b = LIANG_BUF_INIT;
	liang_html_text(&b, "\"引号\" 与 'x' <b>青年文明号</b>&", strlen("\"引号\" 与 'x' <b>青年文明号</b>&"));
	CHECK_STR(liang_buf_cstr(&b), "\"引号\" 与 'x' &lt;b&gt;青年文明号&lt;/b&gt;&amp;");
	liang_buf_free(&b);
}

/* Paths are resolved when the template is compiled: an inner loop
 * variable hides an outer one of the same name, the outer one stays
 * visible under its own, and a name that only starts like a variable
 * is looked up in the scope. */
static void loop_variables_nest(void)
{
	fixture f;
	setup(&f);
	liang_value *sc = liang_v_map(&f.a);
	liang_value *outer = liang_v_list(&f.a);
	for (int i = 0; i < 2; i++) {
		liang_value *m = liang_v_map(&f.a);
		liang_v_set(&f.a, m, "name", S(&f, i ? "乙" : "甲"));
		liang_value *in = liang_v_list(&f.a);
		liang_v_push(&f.a, in, liang_v_int(&f.a, 10 * i + 1));
		liang_v_push(&f.a, in, liang_v_int(&f.a, -(10 * i + 2)));
		liang_v_set(&f.a, m, "in", in);
		liang_v_push(&f.a, outer, m);
	}
	liang_v_set(&f.a, sc, "xs", outer);
	liang_v_set(&f.a, sc, "x_count", S(&f, "scope"));
	CHECK_STR(render(&f,
			 "<p><l-block l-each=\"x in xs\"><b l-text=\"x.name\"></b><l-block l-each=\"y in x.in\">"
			 "<i l-text=\"y\"></i><u l-text=\"x_index\"></u><s l-if=\"y_last\" l-text=\"x.name\"></s>"
			 "</l-block></l-block><em l-text=\"x_count\"></em></p>",
			 sc),
		  "<p><b>甲</b><i>1</i><u>0</u><i>-2</i><u>0</u><s>甲</s><b>乙</b><i>11</i><u>1</u><i>-12</i><u>1</u><s>乙</s>"
		  "<em>scope</em></p>\n");
	/* the same name inside: the inner item */
	CHECK_STR(render(&f,
			 "<p><l-block l-each=\"x in xs\"><l-block l-each=\"x in x.in\"><i l-text=\"x\"></i></l-block>"
			 "</l-block></p>",
			 sc),
		  "<p><i>1</i><i>-2</i><i>11</i><i>-12</i></p>\n");
	/* attribute patterns resolve their parts the same way */
	CHECK_STR(render(&f, "<p><a l-each=\"x in xs\" l-title=\"{x.name}-{x_index}/{xs.length}\"></a></p>", sc),
		  "<p><a title=\"甲-0/2\"></a><a title=\"乙-1/2\"></a></p>\n");
	teardown(&f);
}

/* Each key is looked up where it was found in the map before: maps of
 * one loop with their keys in other orders, keys that begin alike, a
 * key missing, a map with fewer keys, a value that is not a map. */
static void keys_found_wherever_they_are(void)
{
	fixture f;
	setup(&f);
	liang_value *sc = liang_v_map(&f.a);
	liang_value *xs = liang_v_list(&f.a);
	static const char *const keys[][3] = {
		{"name", "id", "n"}, {"id", "name", "n"}, {"nam", "names", "name"}, {"n", NULL, NULL}, {"namex", "id", NULL},
	};
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
		liang_value *m = liang_v_map(&f.a);
		for (size_t k = 0; k < 3 && keys[i][k]; k++) {
			char *v = liang_arena_printf(&f.a, "%zu%s", i, keys[i][k]);
			liang_v_add(&f.a, m, keys[i][k], S(&f, v));
		}
		liang_v_push(&f.a, xs, m);
	}
	liang_v_push(&f.a, xs, S(&f, "plain"));
	liang_v_set(&f.a, sc, "xs", xs);
	const char *t = "<p><l-block l-each=\"x in xs\"><b l-text=\"x.name\"></b><i l-text=\"x.id\"></i>"
			"<u l-text=\"x.n\"></u>;</l-block></p>";
	const char *want = "<p><b>0name</b><i>0id</i><u>0n</u>;<b>1name</b><i>1id</i><u>1n</u>;"
			   "<b>2name</b><i></i><u></u>;<b></b><i></i><u>3n</u>;<b></b><i>4id</i><u></u>;"
			   "<b></b><i></i><u></u>;</p>\n";
	CHECK_STR(render(&f, t, sc), want);
	/* again, with the positions the first pass left behind */
	liang_buf_clear(&f.out);
	CHECK(liang_theme_render(f.theme, f.last, sc, &f.a, &f.out) == 0);
	CHECK_STR(liang_buf_cstr(&f.out), want);
	teardown(&f);
}

/* URLs of every length to 48 with each byte of every kind at each place:
 * the same as one byte at a time (the writer looks at 16 at a time).
 * Relative URLs, so that only the encoding is at stake. */
static void urls_encode_at_every_position(void)
{
	/* plain bytes, each of the 11 printable ones that are not, a space,
	 * a control byte, DEL and a byte of a Hanzi */
	static const unsigned char odd[] = {'"', '&', '\'', '<', '>', '\\', '^', '`', '{', '|', '}', ' ',
					    0x01, 0x7F, 0xE9, '%', '~', '!'};
	int agree = 1;
	for (size_t len = 1; len <= 48; len++)
		for (size_t at = 0; at < len; at++)
			for (size_t k = 0; k < sizeof odd; k++) {
				char *in = liang_xmalloc(len);
				for (size_t i = 0; i < len; i++)
					in[i] = "media/x-1.w480.jpg"[i % 18];
				in[at] = (char)odd[k];
				in[len - 1 - at] = (char)odd[(k + 5) % sizeof odd];
				char want[256];
				size_t w = 0;
				for (size_t i = 0; i < len; i++) {
					unsigned char c = (unsigned char)in[i];
					if (c == '&') {
						memcpy(want + w, "&amp;", 5);
						w += 5;
					} else if (c < '!' || c > '~' || strchr("\"'<>\\^`{|}", c)) {
						w += (size_t)snprintf(want + w, 4, "%%%02X", c);
					} else {
						want[w++] = (char)c;
					}
				}
				want[w] = '\0';
				liang_buf b = LIANG_BUF_INIT;
				liang_html_url(&b, in, len);
				agree &= !strcmp(liang_buf_cstr(&b), want);
				liang_buf_free(&b);
				free(in);
			}
	CHECK(agree);
}

UNIT_TESTS(template) = {
	{"template_escapes_text_and_attributes", escapes_text_and_attributes},
	{"template_filters_urls", filters_urls},
	{"template_urls_encode_at_every_position", urls_encode_at_every_position},
	{"template_conditions_and_loops", conditions_and_loops},
	{"template_html_and_attributes", html_and_attributes},
	{"template_includes_and_overrides", includes_and_overrides},
	{"template_reports_broken_templates", reports_broken_templates},
	{"template_escapes_at_every_position", escapes_at_every_position},
	{"template_loop_variables_nest", loop_variables_nest},
	{"template_keys_found_wherever_they_are", keys_found_wherever_they_are},
	{NULL, NULL},
};
