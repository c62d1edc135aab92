/* Tests for csv.c: RFC 4180 as Excel writes it. */
#include <stdlib.h>

#include "buf.h"
#include "csv.h"
#include "unit.h"
#include "util.h"

/* Read all of text; return the records as "a|b|c" lines with each
 * field's line:col, e.g. "a@1:1|b@1:3". */
static char *dump(const char *text, liang_diags *d)
{
	char *copy = liang_xstrdup(text);
	liang_csv c;
	liang_csv_init(&c, copy, strlen(copy), "t.csv", d);
	liang_buf out = LIANG_BUF_INIT;
	while (liang_csv_next(&c)) {
		for (size_t i = 0; i < c.nfields; i++)
			liang_buf_printf(&out, "%s%.*s@%ld:%ld", i ? "|" : "", (int)c.fields[i].len,
					 c.fields[i].ptr, c.fields[i].line, c.fields[i].col);
		liang_buf_putc(&out, '\n');
	}
	liang_csv_free(&c);
	free(copy);
	return liang_buf_detach(&out);
}

static char *first_diag(liang_diags *d)
{
	liang_diags_sort(d);
	return d->n ? liang_diag_format(&d->v[0]) : liang_xstrdup("");
}

static void plain_and_crlf(void)
{
	liang_diags d;
	liang_diags_init(&d);
	char *s = dump("a,b\r\nc,d\r\n", &d);
	CHECK_STR(s, "a@1:1|b@1:3\nc@2:1|d@2:3\n");
	free(s);
	s = dump("a,b\nc,d", &d);
	CHECK_STR(s, "a@1:1|b@1:3\nc@2:1|d@2:3\n");
	free(s);
	s = dump("a\rb\r", &d); /* old Mac line ends */
	CHECK_STR(s, "a@1:1\nb@2:1\n");
	free(s);
	CHECK(d.n == 0);
	liang_diags_free(&d);
}

static void quoting(void)
{
	liang_diags d;
	liang_diags_init(&d);
	char *s = dump("\"a,b\",\"say \"\"hi\"\"\",\"\"\n", &d);
	CHECK_STR(s, "a,b@1:1|say \"hi\"@1:7|@1:20\n");
	free(s);
	CHECK(d.n == 0);
	liang_diags_free(&d);
}

static void embedded_newlines_keep_line_numbers(void)
{
	liang_diags d;
	liang_diags_init(&d);
	char *s = dump("编号,说明\r\nA,\"第一行\r\n第二行\"\r\nB,x\r\n", &d);
	CHECK_STR(s, "编号@1:1|说明@1:4\nA@2:1|第一行\n第二行@2:3\nB@4:1|x@4:3\n");
	free(s);
	liang_diags_free(&d);
}

static void columns_count_characters(void)
{
	liang_diags d;
	liang_diags_init(&d);
	char *s = dump("青年文明号,x\n", &d);
	CHECK_STR(s, "青年文明号@1:1|x@1:7\n");
	free(s);
	liang_diags_free(&d);
}

/* Long lines, fields of every length: the reader looks 16 bytes at a
 * time for the field's end and counts characters 16 bytes at a time;
 * each field's column must be the naive count. */
static void columns_of_long_lines(void)
{
	static const char *const pieces[] = {"a", "青", "bc", "年文", "d号e", "明"};
	/* with tabs between the fields (shapes 40 on, after a header line
	 * that has no comma), a comma is text */
	static const char *const tabbed[] = {"a", "青", "b,c", "年文", "d号e", ",明"};
	liang_diags d;
	liang_diags_init(&d);
	for (int shape = 0; shape < 80; shape++) {
		bool tab = shape >= 40;
		liang_buf text = LIANG_BUF_INIT, want = LIANG_BUF_INIT;
		long col = 1, line = 1;
		if (tab) { /* a header without commas makes tabs the delimiter */
			for (int k = 0; k < 12; k++) {
				liang_buf_puts(&text, k ? "\th" : "h");
				liang_buf_printf(&want, "%sh@1:%d", k ? "|" : "", 1 + 2 * k);
			}
			liang_buf_putc(&text, '\n');
			liang_buf_putc(&want, '\n');
			line = 2;
		}
		for (int k = 0; k < 12; k++) {
			liang_buf field = LIANG_BUF_INIT;
			int n = (shape * 7 + k * 5) % 23;
			for (int i = 0; i < n; i++)
				liang_buf_puts(&field, (tab ? tabbed : pieces)[(shape + k + i) % 6]);
			if (k)
				liang_buf_putc(&text, tab ? '\t' : ',');
			liang_buf_put(&text, field.ptr ? field.ptr : "", field.len);
			liang_buf_printf(&want, "%s%s@%ld:%ld", k ? "|" : "", liang_buf_cstr(&field), line, col);
			/* the naive count: every byte but 10xxxxxx starts one */
			for (size_t i = 0; i < field.len; i++)
				col += ((unsigned char)field.ptr[i] & 0xC0) != 0x80;
			col++; /* the comma or the tab */
			liang_buf_free(&field);
		}
		liang_buf_puts(&text, shape % 2 ? "\r\n" : "\n");
		liang_buf_putc(&want, '\n');
		char *s = dump(liang_buf_cstr(&text), &d);
		if (strcmp(s, liang_buf_cstr(&want)) != 0) {
			CHECK_STR(s, liang_buf_cstr(&want));
			shape = 80;
		}
		free(s);
		liang_buf_free(&text);
		liang_buf_free(&want);
	}
	CHECK(d.n == 0);
	liang_diags_free(&d);
}

static void ragged_rows(void)
{
	liang_diags d;
	liang_diags_init(&d);
	char *s = dump("a,b,c\n1\n1,2,3,4\n", &d);
	CHECK_STR(s, "a@1:1|b@1:3|c@1:5\n1@2:1\n1@3:1|2@3:3|3@3:5|4@3:7\n");
	free(s);
	liang_diags_free(&d);
}

static void tab_delimited(void)
{
	liang_diags d;
	liang_diags_init(&d);
	char *s = dump("编号\t名称\nA\t甲,乙\n", &d);
	CHECK_STR(s, "编号@1:1|名称@1:4\nA@2:1|甲,乙@2:3\n");
	free(s);
	liang_diags_free(&d);
}

static void unterminated_quote(void)
{
	liang_diags d;
	liang_diags_init(&d);
	char *s = dump("a,b\n1,\"open\n2,3\n", &d);
	free(s);
	char *g = first_diag(&d);
	CHECK_STR(g, "t.csv:2:3: error: 引号未闭合：从这里开始的带引号的单元格直到文件末尾都没有结束（缺少右引号 \"）");
	free(g);
	liang_diags_free(&d);
}

static void text_after_closing_quote(void)
{
	liang_diags d;
	liang_diags_init(&d);
	char *s = dump("\"ab\"c,d\n", &d);
	CHECK_STR(s, "abc@1:1|d@1:7\n");
	free(s);
	char *g = first_diag(&d);
	CHECK_STR(g, "t.csv:1:5: error: 右引号后面还有字符：带引号的单元格应在右引号处结束，单元格内的引号要写成两个（\"\"）");
	free(g);
	liang_diags_free(&d);
}

UNIT_TESTS(csv) = {
	{"csv/plain_and_crlf", plain_and_crlf},
	{"csv/quoting", quoting},
	{"csv/embedded_newlines_keep_line_numbers", embedded_newlines_keep_line_numbers},
	{"csv/columns_count_characters", columns_count_characters},
	{"csv/columns_of_long_lines", columns_of_long_lines},
	{"csv/ragged_rows", ragged_rows},
	{"csv/tab_delimited", tab_delimited},
	{"csv/unterminated_quote", unterminated_quote},
	{"csv/text_after_closing_quote", text_after_closing_quote},
	{NULL, NULL},
};
