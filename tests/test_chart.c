/* Golden tests of the chart writer: each kind from a small model, byte
 * for byte against tests/golden/charts/ (UPDATE_GOLDEN=1 rewrites them;
 * look at them in a browser before committing). */
#include <stdio.h>
#include <stdlib.h>

#include "chart.h"
#include "unit.h"
#include "util.h"

/* A result as sqlblock would give it: rows of texts. */
static liang_sqlresult *S_result(int ncol, const char *const *names, long nrows, const char *const *cells)
{
	liang_sqlresult *r = liang_xcalloc(1, sizeof *r);
	r->ncol = ncol;
	r->nrows = nrows;
	r->names = liang_xcalloc((size_t)ncol, sizeof *r->names);
	for (int i = 0; i < ncol; i++)
		r->names[i] = liang_xstrdup(names[i]);
	size_t n = (size_t)nrows * (size_t)ncol;
	r->cells = liang_xcalloc(n + 1, sizeof *r->cells);
	r->types = liang_xcalloc(n + 1, 1);
	for (size_t k = 0; k < n; k++)
		r->cells[k] = cells[k] ? liang_xstrdup(cells[k]) : NULL;
	return r;
}

static void S_golden_as(const char *name, const liang_sqlresult *r, liang_chart_kind kind, bool pair)
{
	liang_chart c;
	char *err = NULL;
	CHECK(liang_chart_from_result(r, kind, NULL, &c, &err) == 0);
	if (err) {
		fprintf(stderr, "  %s: %s\n", name, err);
		free(err);
		return;
	}
	liang_buf out = LIANG_BUF_INIT;
	if (pair)
		liang_chart_svg_pair(&c, name, &out);
	else
		liang_chart_svg(&c, name, &out);
	liang_buf_putc(&out, '\n');
	liang_chart_free(&c);
	char *path = liang_xasprintf("tests/golden/charts/%s.svg", name);
	const char *up = getenv("UPDATE_GOLDEN");
	if (up && !strcmp(up, "1")) {
		liang_mkdirs("tests/golden/charts", 0755);
		FILE *fp = fopen(path, "w");
		if (fp) {
			fwrite(out.ptr, 1, out.len, fp);
			fclose(fp);
		}
	}
	size_t len = 0;
	char *want = liang_file_read(path, &len);
	if (!want || len != out.len || memcmp(want, out.ptr, len) != 0) {
		unit_failed++;
		fprintf(stderr, "FAIL %s: %s differs (UPDATE_GOLDEN=1 to accept)\n", unit_current, path);
	} else {
		unit_passed++;
	}
	/* well-formed enough to be read: one root, balanced */
	CHECK(!strncmp(liang_buf_cstr(&out), "<svg ", 5));
	CHECK(strstr(liang_buf_cstr(&out), "</svg>\n") != NULL);
	free(want);
	free(path);
	liang_buf_free(&out);
}

static void S_golden(const char *name, const liang_sqlresult *r, liang_chart_kind kind)
{
	S_golden_as(name, r, kind, false);
}

static void kinds(void)
{
	static const char *const names[] = {"级别", "集体数"};
	static const char *const cells[] = {"全国", "3", "省级", "8", "市级", "15", "县级", "9", "创建", "21"};
	liang_sqlresult *r = S_result(2, names, 5, cells);
	S_golden("bar", r, LIANG_CHART_BAR);
	S_golden("hbar", r, LIANG_CHART_HBAR);
	S_golden("pie", r, LIANG_CHART_PIE);
	S_golden("donut", r, LIANG_CHART_DONUT);
	S_golden("pyramid", r, LIANG_CHART_PYRAMID);
	liang_sqlresult_free(r);

	static const char *const n3[] = {"季度", "满意率", "整改率"};
	static const char *const c3[] = {"2025Q4", "96.3", "80", "2026Q1", "95.8", "85.5",
					 "2026Q2", "96.1", "90", "2026Q3", "96.5", NULL};
	r = S_result(3, n3, 4, c3);
	S_golden("line", r, LIANG_CHART_LINE);
	S_golden("stacked", r, LIANG_CHART_STACKED);
	S_golden("bar-series", r, LIANG_CHART_BAR);
	liang_sqlresult_free(r);

	/* names too long to stand under the bars: drawn as horizontal bars */
	static const char *const cl[] = {"国网临澜供电公司澜江变电运维班", "12", "临澜市第一人民医院急诊医学科", "9",
					 "<script>alert(1)</script> & 其他", "4"};
	r = S_result(2, names, 3, cl);
	S_golden("bar-long-names", r, LIANG_CHART_BAR);
	liang_sqlresult_free(r);
}

/* Each chart also laid out for a phone: a pie's legend goes below it,
 * bars whose names do not fit turn horizontal sooner. */
static void pairs(void)
{
	static const char *const names[] = {"地区", "集体数"};
	static const char *const cells[] = {"澜江区", "12", "临溪区", "6", "临澜高新区", "6", "云岭县", "6",
					    "青桥市", "6", "北塘区", "5", "石湾县", "5"};
	liang_sqlresult *r = S_result(2, names, 7, cells);
	S_golden_as("pair-bar", r, LIANG_CHART_BAR, true);
	S_golden_as("pair-pie", r, LIANG_CHART_PIE, true);
	liang_buf out = LIANG_BUF_INIT;
	liang_chart c;
	char *err = NULL;
	CHECK(liang_chart_from_result(r, LIANG_CHART_BAR, NULL, &c, &err) == 0);
	liang_chart_svg_pair(&c, "x", &out);
	const char *s = liang_buf_cstr(&out);
	/* two charts, the second with its own ids, narrow and horizontal */
	CHECK(!strncmp(s, "<svg class=\"chart wide\" ", 24));
	const char *n = strstr(s, "<svg class=\"chart narrow\"");
	CHECK(n && strstr(n, "viewBox=\"0 0 360 ") && strstr(n, "aria-labelledby=\"x-n-t x-n-d\""));
	CHECK(strstr(s, "viewBox=\"0 0 640 ") != NULL);
	liang_chart_free(&c);
	liang_buf_free(&out);
	liang_sqlresult_free(r);
}

static void refuses_what_cannot_be_drawn(void)
{
	liang_chart c;
	char *err = NULL;
	static const char *const one[] = {"级别"};
	static const char *const oc[] = {"全国"};
	liang_sqlresult *r = S_result(1, one, 1, oc);
	CHECK(liang_chart_from_result(r, LIANG_CHART_BAR, NULL, &c, &err) < 0 && err && strstr(err, "两列"));
	free(err);
	liang_sqlresult_free(r);
	static const char *const names[] = {"级别", "集体数"};
	static const char *const bad[] = {"全国", "很多"};
	r = S_result(2, names, 1, bad);
	CHECK(liang_chart_from_result(r, LIANG_CHART_BAR, NULL, &c, &err) < 0 && err && strstr(err, "很多"));
	free(err);
	liang_sqlresult_free(r);
	static const char *const neg[] = {"全国", "-1"};
	r = S_result(2, names, 1, neg);
	CHECK(liang_chart_from_result(r, LIANG_CHART_PIE, NULL, &c, &err) < 0 && err && strstr(err, "负数"));
	free(err);
	CHECK(liang_chart_from_result(r, LIANG_CHART_BAR, NULL, &c, &err) == 0);
	liang_chart_free(&c);
	liang_sqlresult_free(r);
	r = S_result(2, names, 0, bad);
	CHECK(liang_chart_from_result(r, LIANG_CHART_LINE, NULL, &c, &err) < 0 && err);
	free(err);
	liang_sqlresult_free(r);
	liang_chart_kind k;
	CHECK(liang_chart_kind_parse("pie", 3, &k) && k == LIANG_CHART_PIE);
	CHECK(!liang_chart_kind_parse("pies", 4, &k));
}

UNIT_TESTS(chart) = {
	{"chart_kinds", kinds},
	{"chart_pairs", pairs},
	{"chart_refuses_what_cannot_be_drawn", refuses_what_cannot_be_drawn},
	{NULL, NULL},
};
