/* test_pdf — Chinese line breaking, the characters libharu cannot draw,
 * QR codes as rectangles, and a document written and read back. */
#include <stdlib.h>
#include <string.h>

#include <qrencode.h>

#include "pdf.h"
#include "report.h"
#include "text.h"
#include "unit.h"
#include "util.h"

static liang_pdf_font *S_font(void)
{
	static liang_pdf_font *f;
	char *err = NULL;
	if (!f)
		f = liang_pdf_font_open(LIANG_PDF_FONT, &err);
	free(err);
	return f;
}

/* The lines of s wrapped at width (in ems of 10 pt), joined by '|'. */
static char *S_wrap(const char *s, double ems)
{
	liang_pdf_span *lines;
	size_t n = liang_pdf_wrap(S_font(), s, 10, ems * 10 + 0.01, &lines);
	liang_buf b = LIANG_BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		if (i)
			liang_buf_putc(&b, '|');
		liang_buf_put(&b, s + lines[i].off, lines[i].len);
	}
	free(lines);
	return b.ptr ? liang_buf_detach(&b) : liang_xstrdup("");
}

/* The first character of each line after the first, and the last of
 * each line but the last, obey the rules for every width. */
static void S_check_rules(const char *s)
{
	for (double ems = 2; ems <= 12; ems += 1) {
		liang_pdf_span *lines;
		size_t n = liang_pdf_wrap(S_font(), s, 10, ems * 10 + 0.01, &lines);
		for (size_t i = 0; i < n; i++) {
			const char *p = s + lines[i].off, *end = p + lines[i].len;
			uint32_t first = liang_utf8_next(&p), last = first;
			while (p < end)
				last = liang_utf8_next(&p);
			if (i > 0)
				CHECK(!liang_pdf_no_line_start(first));
			if (i + 1 < n)
				CHECK(!liang_pdf_no_line_end(last));
		}
		free(lines);
	}
}

static void test_wrap_fills_lines(void)
{
	if (!S_font())
		return;
	char *w = S_wrap("急诊二十四小时接诊", 4);
	CHECK_STR(w, "急诊二十|四小时接|诊");
	free(w);
	w = S_wrap("", 4);
	CHECK_STR(w, "");
	free(w);
	w = S_wrap("第一行\n第二行", 10);
	CHECK_STR(w, "第一行|第二行");
	free(w);
}

static void test_wrap_no_closing_mark_at_line_start(void)
{
	if (!S_font())
		return;
	/* 4 ems: "服务热线，" would put "，" first on the next line: the
	 * character before it goes down with it */
	char *w = S_wrap("服务热线，全天接听。", 4);
	CHECK_STR(w, "服务热|线，全天|接听。");
	free(w);
	w = S_wrap("一二三四。」五", 4);
	CHECK(strncmp(w, "一二", 6) == 0);
	CHECK(strstr(w, "|。") == NULL && strstr(w, "|」") == NULL);
	free(w);
	S_check_rules("我们承诺：首问负责、限时办结、一次告知；杜绝“门难进、脸难看、事难办”。（每季度）公开「服务」《承诺》！");
}

static void test_wrap_no_opening_mark_at_line_end(void)
{
	if (!S_font())
		return;
	char *w = S_wrap("一二三（四五六）", 4);
	CHECK(strstr(w, "（|") == NULL);
	CHECK_STR(w, "一二三|（四五|六）");
	free(w);
	w = S_wrap("一二三「四五」", 4);
	CHECK_STR(w, "一二三|「四五」");
	free(w);
}

static void test_wrap_latin_words(void)
{
	if (!S_font())
		return;
	/* Latin words break at spaces, and trailing spaces are dropped */
	char *w = S_wrap("call 0739-8216366 now", 8);
	CHECK(strstr(w, " |") == NULL);
	CHECK(strstr(w, "|now") != NULL);
	free(w);
}

static void test_clean_replaces_outside_bmp(void)
{
	size_t n;
	uint32_t first;
	char *c = liang_pdf_clean("张𠮷祥\t好", &n, &first);
	CHECK_STR(c, "张〓祥 好");
	CHECK(n == 1);
	CHECK(first == 0x20BB7);
	free(c);
	c = liang_pdf_clean("😀😀", &n, &first);
	CHECK_STR(c, "〓〓");
	CHECK(n == 2 && first == 0x1F600);
	free(c);
	c = liang_pdf_clean("普通文字", &n, &first);
	CHECK_STR(c, "普通文字");
	CHECK(n == 0 && first == 0);
	free(c);
}

static void test_qr_rects_cover_dark_modules(void)
{
	const char *url = "https://example.org/c/LL-001/";
	liang_pdf_module_rect *r;
	int n;
	size_t nr = liang_pdf_qr_rects(url, &r, &n);
	QRcode *qr = QRcode_encodeString(url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	CHECK(nr > 0 && qr && n == qr->width);
	/* every module covered exactly once when dark, never when light */
	int *cover = liang_xcalloc((size_t)n * (size_t)n, sizeof *cover);
	for (size_t i = 0; i < nr; i++)
		for (int y = r[i].y; y < r[i].y + r[i].h; y++)
			for (int x = r[i].x; x < r[i].x + r[i].w; x++)
				cover[y * n + x]++;
	int wrong = 0, dark = 0;
	for (int k = 0; k < n * n; k++) {
		dark += qr->data[k] & 1;
		wrong += cover[k] != (qr->data[k] & 1);
	}
	CHECK(wrong == 0);
	/* runs are merged: far fewer rectangles than dark modules */
	CHECK(nr * 2 < (size_t)dark);
	free(cover);
	free(r);
	QRcode_free(qr);
}

static void test_document_is_deterministic_and_subset(void)
{
	if (!S_font())
		return;
	liang_buf out[2] = {LIANG_BUF_INIT, LIANG_BUF_INIT};
	for (int k = 0; k < 2; k++) {
		liang_pdf *d = liang_pdf_new(S_font());
		liang_pdf_page(d, LIANG_PDF_A4_W, LIANG_PDF_A4_H);
		liang_pdf_text(d, 72, 100, 12, 0, "临澜市青年文明号");
		liang_pdf_outline(d, 0, "目录", 0, 0);
		liang_pdf_info info = {"标题", "作者", "主题", NULL, 1790000000};
		char *err = NULL;
		CHECK(liang_pdf_write(d, &info, &out[k], &err) == 0);
		free(err);
		liang_pdf_free(d);
	}
	CHECK(out[0].len == out[1].len && memcmp(out[0].ptr, out[1].ptr, out[0].len) == 0);
	/* a subset: a few KB, not the 17 MB of the font */
	CHECK(out[0].len > 1000 && out[0].len < 60000);
	CHECK(strstr(out[0].ptr, "%PDF-") == out[0].ptr);
	liang_buf_free(&out[0]);
	liang_buf_free(&out[1]);
}

/* libharu keeps at most 8,191 entries in an array: a document of more
 * pages (all.pdf of a large site) must still be written, and whole. */
static void test_many_pages(void)
{
	if (!S_font())
		return;
	liang_pdf *d = liang_pdf_new(S_font());
	for (int i = 0; i < 9000; i++) {
		liang_pdf_page(d, LIANG_PDF_A4_W, LIANG_PDF_A4_H);
		liang_pdf_text(d, 72, 100, 12, 0, "承诺");
	}
	liang_pdf_info info = {"标题", "作者", "主题", NULL, 1790000000};
	liang_buf out = LIANG_BUF_INIT;
	char *err = NULL;
	CHECK(liang_pdf_write(d, &info, &out, &err) == 0);
	CHECK(err == NULL);
	/* the page tree counts them all */
	CHECK(strstr(liang_buf_cstr(&out), "/Count 9000") != NULL);
	free(err);
	liang_buf_free(&out);
	liang_pdf_free(d);
}

static void test_font_refuses_non_truetype(void)
{
	char *err = NULL;
	CHECK(liang_pdf_font_open("/nonexistent/font.ttf", &err) == NULL);
	CHECK(err && strstr(err, "无法读取"));
	free(err);
}

UNIT_TESTS(pdf) = {
	{"pdf_wrap_fills_lines", test_wrap_fills_lines},
	{"pdf_wrap_no_closing_mark_at_line_start", test_wrap_no_closing_mark_at_line_start},
	{"pdf_wrap_no_opening_mark_at_line_end", test_wrap_no_opening_mark_at_line_end},
	{"pdf_wrap_latin_words", test_wrap_latin_words},
	{"pdf_clean_replaces_outside_bmp", test_clean_replaces_outside_bmp},
	{"pdf_qr_rects_cover_dark_modules", test_qr_rects_cover_dark_modules},
	{"pdf_document_is_deterministic_and_subset", test_document_is_deterministic_and_subset},
	{"pdf_many_pages", test_many_pages},
	{"pdf_font_refuses_non_truetype", test_font_refuses_non_truetype},
	{NULL, NULL},
};
