/* csv — an RFC 4180 reader. */
#include "csv.h"

#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "util.h"

void liang_csv_init(liang_csv *c, char *text, size_t len, const char *file,
		    liang_diags *diags)
{
	memset(c, 0, sizeof *c);
	c->p = text;
	c->end = text + len;
	c->file = file;
	c->diags = diags;
	c->line = 1;
	c->bol = c->colp = text;
	c->colc = 1;
	c->delim = ',';
	/* Guess the delimiter from the header line, outside quotes. */
	size_t commas = 0, tabs = 0;
	bool inq = false;
	for (const char *q = text; q < c->end && (inq || (*q != '\n' && *q != '\r')); q++) {
		if (*q == '"')
			inq = !inq;
		else if (!inq && *q == ',')
			commas++;
		else if (!inq && *q == '\t')
			tabs++;
	}
	if (tabs > 0 && commas == 0)
		c->delim = '\t';
}

void liang_csv_free(liang_csv *c)
{
	free(c->fields);
	c->fields = NULL;
	c->nfields = c->cap = 0;
}

/* Column (in characters) of position q on the current line. Fields are
 * visited left to right, so counting on from the last answer keeps this
 * linear in the line's length. */
static long S_col(liang_csv *c, const char *q)
{
	if (c->colp < c->bol || c->colp > q) {
		c->colp = c->bol;
		c->colc = 1;
	}
	const char *s = c->colp;
	long n = 0;
#ifdef __SSE2__
	/* 16 bytes at a time: the continuation bytes (10xxxxxx) are not
	 * characters of their own */
	const __m128i top = _mm_set1_epi8((char)0xC0), cont = _mm_set1_epi8((char)0x80), one = _mm_set1_epi8(1);
	for (; q - s >= 16; s += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)s);
		__m128i is = _mm_and_si128(_mm_cmpeq_epi8(_mm_and_si128(x, top), cont), one);
		__m128i sum = _mm_sad_epu8(is, _mm_setzero_si128());
		n += 16 - (_mm_cvtsi128_si32(sum) + _mm_extract_epi16(sum, 4));
	}
#endif
	for (; s < q; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	c->colc += n;
	c->colp = q;
	return c->colc;
}

/* The first delimiter or line end at or after p (end when none). */
static char *S_field_end(const liang_csv *c, char *p)
{
#ifdef __SSE2__
	const __m128i d = _mm_set1_epi8(c->delim), nl = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
	for (; c->end - p >= 16; p += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
		unsigned m = (unsigned)_mm_movemask_epi8(
			_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, d), _mm_cmpeq_epi8(x, nl)), _mm_cmpeq_epi8(x, cr)));
		if (m)
			return p + __builtin_ctz(m);
	}
#endif
	while (p < c->end && *p != c->delim && *p != '\n' && *p != '\r')
		p++;
	return p;
}

static void S_newline(liang_csv *c, const char *next)
{
	c->line++;
	c->bol = c->colp = next;
	c->colc = 1;
}

static liang_csv_field *S_push(liang_csv *c)
{
	if (c->nfields == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 32;
		c->fields = liang_xrealloc(c->fields, c->cap * sizeof *c->fields);
	}
	liang_csv_field *f = &c->fields[c->nfields++];
	memset(f, 0, sizeof *f);
	return f;
}

/* Skip a line end at c->p (CRLF, LF or a lone CR). */
static bool S_eol(liang_csv *c)
{
	if (c->p < c->end && *c->p == '\r') {
		c->p++;
		if (c->p < c->end && *c->p == '\n')
			c->p++;
		S_newline(c, c->p);
		return true;
	}
	if (c->p < c->end && *c->p == '\n') {
		c->p++;
		S_newline(c, c->p);
		return true;
	}
	return false;
}

/* A quoted field: c->p is at the opening quote. Unescapes in place. */
static void S_quoted(liang_csv *c, liang_csv_field *f)
{
	long qline = c->line, qcol = f->col;
	char *r = c->p + 1, *w = c->p + 1;
	f->ptr = w;
	f->quoted = true;
	for (;;) {
		if (r >= c->end) {
			liang_error(c->diags, c->file, qline, qcol,
				    "引号未闭合：从这里开始的带引号的单元格直到文件末尾都没有结束（缺少右引号 \"）");
			f->len = (size_t)(w - f->ptr);
			c->p = c->end;
			c->failed = true;
			return;
		}
		if (*r == '"') {
			if (r + 1 < c->end && r[1] == '"') {
				*w++ = '"';
				r += 2;
				continue;
			}
			r++;
			break;
		}
		if (*r == '\r' || *r == '\n') {
			/* An embedded line end: keep it as LF, count the line. */
			if (*r == '\r' && r + 1 < c->end && r[1] == '\n')
				r++;
			r++;
			*w++ = '\n';
			S_newline(c, r);
			continue;
		}
		*w++ = *r++;
	}
	f->len = (size_t)(w - f->ptr);
	c->p = r;
	/* Text between the closing quote and the delimiter is not CSV. Keep
	 * it (as Excel would show it) but say where the quoting went wrong. */
	if (c->p < c->end && *c->p != c->delim && *c->p != '\n' && *c->p != '\r') {
		liang_error(c->diags, c->file, c->line, S_col(c, c->p),
			    "右引号后面还有字符：带引号的单元格应在右引号处结束，单元格内的引号要写成两个（\"\"）");
		while (c->p < c->end && *c->p != c->delim && *c->p != '\n' && *c->p != '\r')
			*w++ = *c->p++;
		f->len = (size_t)(w - f->ptr);
	}
}

bool liang_csv_next(liang_csv *c)
{
	c->nfields = 0;
	if (c->p >= c->end || c->failed)
		return false;
	c->record_line = c->line;
	for (;;) {
		liang_csv_field *f = S_push(c);
		f->line = c->line;
		f->col = S_col(c, c->p);
		if (c->p < c->end && *c->p == '"') {
			S_quoted(c, f);
		} else {
			f->ptr = c->p;
			c->p = S_field_end(c, c->p);
			f->len = (size_t)(c->p - f->ptr);
		}
		if (c->p < c->end && *c->p == c->delim) {
			c->p++;
			continue;
		}
		S_eol(c);
		return true;
	}
}
