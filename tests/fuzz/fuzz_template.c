/* fuzz_template — the template engine: the input is compiled as a site
 * theme's template (libxml2 parse, then our compiler) and rendered
 * against a small scope with strings, numbers, a list, a map and
 * trusted HTML. Includes of the built-in partials are allowed. */
#include "fuzz.h"
#include "template.h"

static char *file;

static liang_value *S_scope(liang_arena *a)
{
	liang_value *scope = liang_v_map(a);
	liang_v_set(a, scope, "title", liang_v_str(a, "青年文明号 <b>&\"'"));
	liang_v_set(a, scope, "url", liang_v_str(a, "javascript:alert(1)"));
	liang_v_set(a, scope, "n", liang_v_int(a, 42));
	liang_v_set(a, scope, "x", liang_v_num(a, 3.5));
	liang_v_set(a, scope, "yes", liang_v_bool(a, true));
	liang_v_set(a, scope, "body", liang_v_html(a, "<p>正文</p>", 14));
	liang_value *list = liang_v_list(a);
	for (int i = 0; i < 3; i++) {
		liang_value *item = liang_v_map(a);
		liang_v_set(a, item, "name", liang_v_str(a, i ? "乙" : "甲"));
		liang_v_set(a, item, "id", liang_v_int(a, i));
		liang_v_push(a, list, item);
	}
	liang_v_set(a, scope, "items", list);
	liang_value *c = liang_v_map(a);
	liang_v_set(a, c, "name", liang_v_str(a, "窗口"));
	liang_v_set(a, c, "items", list);
	liang_v_set(a, scope, "c", c);
	return scope;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!file)
		file = fuzz_scratch("themes/f", "fz.html");
	fuzz_write(file, data, size);
	liang_diags d;
	liang_diags_init(&d);
	liang_theme *t = liang_theme_new(fuzz_root, "f", &d);
	liang_arena a;
	liang_arena_init(&a);
	liang_buf out = LIANG_BUF_INIT;
	const liang_value *scope = S_scope(&a);
	/* twice: the second render uses the compiled template */
	for (int i = 0; i < 2; i++) {
		liang_buf_clear(&out);
		if (liang_theme_render(t, "fz", scope, &a, &out) < 0 && !d.errors)
			abort(); /* a failure is always reported */
	}
	liang_buf_free(&out);
	liang_arena_free(&a);
	liang_theme_free(t);
	liang_diags_free(&d);
	return 0;
}
