/* load — the CSV files of data/ into the database, checked against DATA.md. */
#include "load.h"

#include <errno.h>
#include <pthread.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "buf.h"
#include "content.h"
#include "csv.h"
#include "image.h"
#include "progress.h"
#include "stats.h"
#include "text.h"
#include "util.h"

/* A cell longer than this is refused: no value of the forms comes near
 * it, and a runaway cell (a broken quote in hand-edited text) should be
 * named rather than carried into every page. */
#define MAX_CELL_CHARS 5000

/* The photo rules of the 创建成果 notice for 图片作品. */
#define WORK_PHOTOS_MIN 4
#define WORK_PHOTOS_MAX 9
#define WORK_PHOTO_MIN_W 1600
#define WORK_PHOTO_MIN_H 1200
#define WORK_SUMMARY_MAX 200

/* One checked cell of the current row. */
typedef struct cell {
	const char *v;  /* trimmed, NUL-terminated; "" when empty */
	size_t len;
	long line, col;
	bool present;   /* non-empty and valid */
	bool quoted;    /* a quoted CSV cell */
	bool dropped;   /* a path of the list was refused (and reported) */
	long vcol;      /* column of the value's first character */
	long long i;    /* LIANG_COL_INT / YEAR */
	double d;       /* LIANG_COL_NUMBER */
	char norm[32];  /* normalised dates, quarters and cycles */
} cell;

/* Rows ready for the database wait in a batch and are inserted
 * together. The values point into the file's decoded text, which lives
 * until the file is done. */
#define BATCH_ROWS 512
#define MAX_COLUMNS 32

typedef struct batch_cell {
	const char *v;
	int len;
	bool present;
	long long i;
	double d;
} batch_cell;

typedef struct loader {
	liang_site *s;
	sqlite3 *db; /* the connection this thread loads into */
	const liang_table *t;
	const char *file;
	int map[64];             /* table column → CSV field index, -1 absent */
	const char *header[64];  /* the column's name as the file spells it */
	cell cells[64];
	bool row_error;
	liang_strmap unique;     /* for the UNIQUE column and composite keys */
	batch_cell (*batch)[MAX_COLUMNS];
	long batch_line[BATCH_ROWS];
	size_t nbatch;
	liang_buf scratch;
	liang_buf key; /* a composite key being checked (S_unique_key) */
	int rc[6];     /* the columns of the table's row check (S_row_checks) */
} loader;

/* ------------------------------------------------------------- messages */

/* A value as quoted in a message: at most 40 characters, line ends shown
 * as ⏎ so that one diagnostic stays on one line. */
static const char *S_show(loader *L, const char *v, size_t len)
{
	liang_buf_clear(&L->scratch);
	const char *p = v, *end = v + len;
	for (int n = 0; p < end; n++) {
		if (n == 40) {
			liang_buf_puts(&L->scratch, "…");
			break;
		}
		const char *q = p;
		uint32_t cp = liang_utf8_next(&q);
		if (cp == '\n')
			liang_buf_puts(&L->scratch, "⏎");
		else if (cp < 0x20 || cp == 0x7F)
			liang_buf_printf(&L->scratch, "\\x%02X", cp);
		else
			liang_buf_put(&L->scratch, p, (size_t)(q - p));
		p = q;
	}
	return liang_buf_cstr(&L->scratch);
}

static void S_err(loader *L, int col, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void S_err(loader *L, int col, const char *fmt, ...)
{
	liang_buf b = LIANG_BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	liang_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	liang_error(L->s->diags, L->file, L->cells[col].line, L->cells[col].col, "%s", b.ptr);
	liang_buf_free(&b);
	L->row_error = true;
}

static void S_warn(loader *L, int col, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void S_warn(loader *L, int col, const char *fmt, ...)
{
	liang_buf b = LIANG_BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	liang_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	liang_warning(L->s->diags, L->file, L->cells[col].line, L->cells[col].col, "%s", b.ptr);
	liang_buf_free(&b);
}

#define H(c) (L->header[c])

/* -------------------------------------------------------------- parsing */

static bool S_parse_int(const char *v, long long *out)
{
	const char *p = v;
	if (*p == '+' || *p == '-')
		p++;
	if (!*p)
		return false;
	for (const char *q = p; *q; q++)
		if (*q < '0' || *q > '9')
			return false;
	if (strlen(p) > 15)
		return false;
	*out = strtoll(v, NULL, 10);
	return true;
}

static bool S_parse_number(const char *v, double *out)
{
	const char *p = v;
	if (*p == '+' || *p == '-')
		p++;
	int digits = 0, dots = 0;
	for (const char *q = p; *q; q++) {
		if (*q >= '0' && *q <= '9')
			digits++;
		else if (*q == '.' && !dots)
			dots++;
		else
			return false;
	}
	if (!digits || digits > 15)
		return false;
	*out = strtod(v, NULL);
	return true;
}

/* Digits into a normalised value without printf: this runs for every
 * date, quarter and cycle of the data. */
static char *S_put_digits(char *p, int v, int width)
{
	for (int k = width - 1; k >= 0; k--, v /= 10)
		p[k] = (char)('0' + v % 10);
	return p + width;
}

/* n ASCII digits at v as a number; -1 when one is not a digit. */
static int S_digits(const char *v, int n)
{
	int x = 0;
	for (int k = 0; k < n; k++) {
		if (v[k] < '0' || v[k] > '9')
			return -1;
		x = x * 10 + (v[k] - '0');
	}
	return x;
}

static int S_days_in_month(int y, int m)
{
	static const int md[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : md[m - 1];
}

/* Dates as Excel writes them in a Chinese locale: 2026-05-03, 2026/5/3,
 * 2026.5.3 or 2026年5月3日. want_day: 1 = a day is required, 0 = a month
 * alone is fine, and so is a day. Writes YYYY-MM[-DD] to norm. */
static bool S_parse_date(const char *v, int want_day, char *norm)
{
	int part[3] = {0, 0, 0}, np = 0, nd = 0;
	const char *p = v;
	while (*p && np < 3) {
		if (*p >= '0' && *p <= '9') {
			part[np] = part[np] * 10 + (*p - '0');
			if (++nd > 4)
				return false;
			p++;
			continue;
		}
		if (nd == 0)
			return false;
		if (*p == '-' || *p == '/' || *p == '.')
			p++;
		else if (!strncmp(p, "年", 3) || !strncmp(p, "月", 3))
			p += 3;
		else if (!strncmp(p, "日", 3) && np == 2)
			p += 3;
		else
			return false;
		if (np == 0 && nd != 4)
			return false;
		np++;
		nd = 0;
	}
	if (nd)
		np++;
	if (*p)
		return false;
	if (np == 2 && want_day)
		return false;
	if (np < 2)
		return false;
	int y = part[0], m = part[1], d = part[2];
	if (y < 1900 || y > 2100 || m < 1 || m > 12)
		return false;
	if (np == 3) {
		if (d < 1 || d > S_days_in_month(y, m))
			return false;
	}
	char *o = S_put_digits(norm, y, 4);
	*o++ = '-';
	o = S_put_digits(o, m, 2);
	if (np == 3) {
		*o++ = '-';
		o = S_put_digits(o, d, 2);
	}
	*o = '\0';
	return true;
}

/* 2025Q4 (also 2025q4, 2025-Q4). */
static bool S_parse_quarter(const char *v, char *norm)
{
	size_t n = strlen(v);
	int y = n >= 6 ? S_digits(v, 4) : -1;
	const char *p = v + 4;
	if (y < 0 || n > 7)
		return false;
	if (*p == '-')
		p++;
	if (*p != 'Q' && *p != 'q')
		return false;
	/* "2025Q 4" was always read as meant */
	const char *q = p + 1 + strspn(p + 1, " \t");
	if (*q < '1' || *q > '4' || q[1] != '\0')
		return false;
	if (y < 1990 || y > 2100)
		return false;
	char *o = S_put_digits(norm, y, 4);
	*o++ = 'Q';
	*o++ = *q;
	*o = '\0';
	return true;
}

/* A cycle of the 创建 work: 2025-2026 (also 2025—2026, 2025～2026). */
bool liang_parse_cycle(const char *v, char *norm)
{
	size_t n = strlen(v);
	int a = n >= 9 ? S_digits(v, 4) : -1;
	if (a < 0)
		return false;
	const char *p = v + 4;
	if (*p == '-' || *p == '~')
		p++;
	else if (!strncmp(p, "—", 3) || !strncmp(p, "～", 3) || !strncmp(p, "–", 3))
		p += 3;
	else
		return false;
	int b = strlen(p) == 4 ? S_digits(p, 4) : -1;
	if (b < 0 || a < 1990 || b < a || b > a + 5)
		return false;
	char *o = S_put_digits(norm, a, 4);
	*o++ = '-';
	o = S_put_digits(o, b, 4);
	*o = '\0';
	return true;
}

static bool S_valid_id(const char *v, size_t len)
{
	if (len < 1 || len > 32)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = v[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_'))
			return false;
	}
	return true;
}

static void S_enum_list(liang_buf *b, const char *const *values)
{
	for (const char *const *q = values; *q; q++)
		liang_buf_printf(b, "%s%s", q == values ? "" : "、", *q);
}

/* A control character other than a line end or a tab cannot be shown in
 * a page or a PDF; it comes from a damaged file or a pasted clipboard. */
static const char *S_control_char(const char *v, size_t len)
{
	/* eight bytes at a time while none is below 0x20 or 0x7F (most
	 * cells); from the first word with one, byte by byte */
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	size_t i = 0;
	for (; i + 8 <= len; i += 8) {
		uint64_t w, d;
		memcpy(&w, v + i, 8);
		d = w ^ (ones * 0x7F);
		if (((w - ones * 0x20) & ~w & highs) | ((d - ones) & ~d & highs))
			break;
	}
	for (; i < len; i++) {
		unsigned char c = (unsigned char)v[i];
		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F)
			return v + i;
	}
	return NULL;
}

/* ------------------------------------------------------------- one cell */

static void S_check_paths(loader *L, int c, bool many)
{
	cell *x = &L->cells[c];
	/* People type the Chinese semicolon and Windows back slashes; both
	 * are read as meant. The stored value uses ';' and '/'. */
	liang_buf norm = LIANG_BUF_INIT;
	const char *p = x->v, *end = x->v + x->len;
	int count = 0;
	while (p <= end) {
		const char *q = p;
		while (q < end && *q != ';' && strncmp(q, "；", 3) != 0)
			q++;
		const char *s = p;
		size_t n = (size_t)(q - p);
		liang_trim(&s, &n);
		if (n) {
			char *one = liang_xstrndup(s, n);
			for (char *b = one; *b; b++)
				if (*b == '\\')
					*b = '/';
			if (count && !many) {
				S_err(L, c, "%s 只能填写一个文件，却有多个（用分号分隔）", H(c));
			} else if (liang_site_check_path(L->s, one, L->file, x->line, x->col, H(c))) {
				if (count)
					liang_buf_putc(&norm, ';');
				liang_buf_puts(&norm, one);
			} else {
				L->row_error = true;
				x->dropped = true;
			}
			count++;
			free(one);
		}
		if (q >= end)
			break;
		p = q + (*q == ';' ? 1 : 3);
	}
	/* The normalised list replaces the cell (it is never longer). */
	if (norm.len <= x->len) {
		memcpy((char *)x->v, liang_buf_cstr(&norm), norm.len + 1);
		x->len = norm.len;
	}
	x->present = x->len > 0;
	liang_buf_free(&norm);
}

static void S_check_cell(loader *L, int c)
{
	const liang_column *col = &L->t->columns[c];
	cell *x = &L->cells[c];
	x->present = false;
	x->dropped = false;
	if (x->len == 0) {
		if (col->flags & LIANG_COL_REQUIRED)
			S_err(L, c, "%s 不能为空", H(c));
		return;
	}
	/* counted only when it may matter: a character takes a byte or more */
	size_t chars = x->len > MAX_CELL_CHARS ? liang_utf8_count(x->v, x->len) : x->len;
	if (chars > MAX_CELL_CHARS) {
		S_err(L, c, "%s 长达 %zu 个字符，超过单元格上限 %d；请检查是否有引号未闭合", H(c), chars,
		      MAX_CELL_CHARS);
		return;
	}
	const char *cc = S_control_char(x->v, x->len);
	if (cc) {
		S_err(L, c, "%s 中有不可见的控制字符（U+%04X），可能是从别处粘贴带来的，请删除", H(c),
		      (unsigned)(unsigned char)*cc);
		return;
	}
	switch (col->kind) {
	case LIANG_COL_TEXT:
		if (col->maxlen && chars > (size_t)col->maxlen &&
		    (chars = liang_utf8_count(x->v, x->len)) > (size_t)col->maxlen) {
			S_err(L, c, "%s 有 %zu 个字，超过 %d 字的上限", H(c), chars, col->maxlen);
			return;
		}
		break;
	case LIANG_COL_ID:
		if (!S_valid_id(x->v, x->len)) {
			S_err(L, c, "%s “%s” 只能由英文字母、数字、“-”和“_”组成，最长 32 个字符（它会出现在网址中）",
			      H(c), S_show(L, x->v, x->len));
			return;
		}
		break;
	case LIANG_COL_ENUM: {
		bool ok = false;
		for (const char *const *q = col->values; *q && !ok; q++)
			ok = strcmp(*q, x->v) == 0;
		if (!ok) {
			liang_buf list = LIANG_BUF_INIT;
			S_enum_list(&list, col->values);
			S_err(L, c, "%s “%s” 不是可选的值；应为以下之一：%s", H(c), S_show(L, x->v, x->len),
			      list.ptr);
			liang_buf_free(&list);
			return;
		}
		break;
	}
	case LIANG_COL_INT:
		if (!S_parse_int(x->v, &x->i)) {
			S_err(L, c, "%s “%s” 不是整数", H(c), S_show(L, x->v, x->len));
			return;
		}
		if (x->i < col->min) {
			S_err(L, c, "%s %lld 小于 %.0f", H(c), x->i, col->min);
			return;
		}
		if (x->i > col->max) {
			S_err(L, c, "%s %lld 大于 %.0f", H(c), x->i, col->max);
			return;
		}
		break;
	case LIANG_COL_NUMBER:
		if (!S_parse_number(x->v, &x->d)) {
			S_err(L, c, "%s “%s” 不是数字", H(c), S_show(L, x->v, x->len));
			return;
		}
		if (x->d < col->min || x->d > col->max) {
			S_err(L, c, "%s %s 超出范围 %g–%g", H(c), x->v, col->min, col->max);
			return;
		}
		break;
	case LIANG_COL_YEAR: {
		if (x->len != 4 || S_digits(x->v, 4) < 0 || !S_parse_int(x->v, &x->i)) {
			S_err(L, c, "%s “%s” 不是年份（应写四位数字，例如 2024）", H(c), S_show(L, x->v, x->len));
			return;
		}
		if (x->i < 1949 || x->i > 2100) {
			S_err(L, c, "%s %lld 不是合理的年份", H(c), x->i);
			return;
		}
		break;
	}
	case LIANG_COL_DATE:
	case LIANG_COL_MONTH:
		if (!S_parse_date(x->v, col->kind == LIANG_COL_DATE, x->norm)) {
			S_err(L, c, "%s “%s” 不是有效的%s（应写作 %s）", H(c), S_show(L, x->v, x->len),
			      col->kind == LIANG_COL_DATE ? "日期" : "年月或日期",
			      col->kind == LIANG_COL_DATE ? "2026-05-03" : "2016-09 或 2016-09-01");
			return;
		}
		break;
	case LIANG_COL_QUARTER:
		if (!S_parse_quarter(x->v, x->norm)) {
			S_err(L, c, "%s “%s” 不是有效的季度（应写作 2026Q1，Q 后为 1–4）", H(c),
			      S_show(L, x->v, x->len));
			return;
		}
		break;
	case LIANG_COL_CYCLE:
		if (!liang_parse_cycle(x->v, x->norm)) {
			S_err(L, c, "%s “%s” 不是有效的周期（应写作 2025-2026）", H(c), S_show(L, x->v, x->len));
			return;
		}
		break;
	case LIANG_COL_PATHS:
	case LIANG_COL_PATH:
		S_check_paths(L, c, col->kind == LIANG_COL_PATHS);
		return;
	}
	if (x->norm[0]) {
		/* normalised text is never longer than what was typed */
		size_t n = strlen(x->norm);
		if (n <= x->len) {
			memcpy((char *)x->v, x->norm, n + 1);
			x->len = n;
		}
	}
	x->present = true;
}

/* --------------------------------------------------------- row checks */

static bool S_is(loader *L, int c, const char *v)
{
	return c >= 0 && L->cells[c].present && strcmp(L->cells[c].v, v) == 0;
}

/* A composite key must be unique in the file: report the second row. */
static void S_unique_key(loader *L, const int *cols, int n, const char *what)
{
	liang_buf_clear(&L->key);
	for (int i = 0; i < n; i++) {
		if (cols[i] < 0 || !L->cells[cols[i]].present)
			return;
		liang_buf_put(&L->key, L->cells[cols[i]].v, L->cells[cols[i]].len + 1);
	}
	long prev;
	if (!liang_strmap_add(&L->unique, L->key.ptr, L->key.len, L->cells[cols[0]].line, &prev))
		S_err(L, cols[0], "%s重复：第 %ld 行已有相同的记录", what, prev);
}

/* The checks of one row that look at more than one cell. Each reads the
 * columns S_row_checks lists for it from L->rc, in that order (looked up
 * once a file, not in every row). */
static void S_row_collectives(loader *L)
{
	int level = L->rc[0], awarded = L->rc[1], staff = L->rc[2], youth = L->rc[3], hotline = L->rc[4];
	cell *lv = &L->cells[level];
	if (lv->present && strcmp(lv->v, "创建") != 0 && !L->cells[awarded].present &&
	    L->cells[awarded].len == 0)
		S_err(L, awarded, "级别为“%s”时 %s 不能为空（只有“创建”集体可以不填）", lv->v, H(awarded));
	if (L->cells[staff].present && L->cells[youth].present &&
	    L->cells[youth].i > L->cells[staff].i)
		S_err(L, youth, "%s %lld 大于 %s %lld", H(youth), L->cells[youth].i, H(staff),
		      L->cells[staff].i);
	/* The hotline must at least hold a number someone can dial. */
	cell *h = &L->cells[hotline];
	if (h->present) {
		int digits = 0;
		for (size_t i = 0; i < h->len; i++)
			digits += h->v[i] >= '0' && h->v[i] <= '9';
		if (digits < 5)
			S_err(L, hotline, "%s “%s” 不像电话号码（至少应有 5 位数字）", H(hotline),
			      S_show(L, h->v, h->len));
	}
}

static void S_row_members(loader *L)
{
	int consent = L->rc[0], photo = L->rc[1];
	if (L->cells[photo].present && !S_is(L, consent, "是"))
		S_warn(L, photo, "此成员未同意公开（%s 不是“是”），%s 不会发布", H(consent), H(photo));
}

static void S_row_works(loader *L)
{
	int category = L->rc[0], summary = L->rc[1], files = L->rc[2];
	if (!S_is(L, category, "图片作品"))
		return;
	/* 图片作品: a 说明 of at most 200 characters and a group of 4–9 JPEG
	 * photos, each at least 1600×1200 (the 创建成果 notice). */
	cell *sm = &L->cells[summary];
	if (sm->len == 0)
		S_err(L, summary, "类别为“图片作品”时 %s 不能为空", H(summary));
	else if (sm->present && liang_utf8_count(sm->v, sm->len) > WORK_SUMMARY_MAX)
		S_err(L, summary, "图片作品的 %s 有 %zu 个字，超过 %d 字的上限", H(summary),
		      liang_utf8_count(sm->v, sm->len), WORK_SUMMARY_MAX);
	cell *f = &L->cells[files];
	if (L->row_error && f->len && !f->present)
		return; /* a bad path was reported already */
	int n = 0;
	for (const char *p = f->v; f->present && p && *p; p = strchr(p, ';'), p = p ? p + 1 : NULL) {
		n++;
		size_t len = strcspn(p, ";");
		char *one = liang_xstrndup(p, len);
		/* the path check read a good image whole already: its header
		 * is read again only for other files */
		liang_image_info info;
		liang_img_plan plan;
		char why[256];
		int probed = 0;
		if (liang_site_image(L->s, one, &plan, NULL, NULL)) {
			info = (liang_image_info){plan.format, plan.src_w, plan.src_h};
		} else {
			char *full = liang_path_join(L->s->content_dir, one);
			probed = liang_image_probe(full, &info, why, sizeof why);
			free(full);
		}
		if (probed < 0)
			S_err(L, files, "%s “%s” 无法作为图片读取：%s", H(files), one, why);
		else if (info.format != LIANG_IMG_JPEG)
			S_err(L, files, "图片作品的照片须为 JPEG 格式，“%s” 不是", one);
		else if (info.width < WORK_PHOTO_MIN_W || info.height < WORK_PHOTO_MIN_H)
			S_err(L, files, "图片作品的照片 “%s” 为 %u×%u 像素，小于要求的 %d×%d", one, info.width,
			      info.height, WORK_PHOTO_MIN_W, WORK_PHOTO_MIN_H);
		free(one);
	}
	/* a refused path is not counted: the count would only repeat it */
	if (!f->dropped && (n < WORK_PHOTOS_MIN || n > WORK_PHOTOS_MAX))
		S_err(L, files, "图片作品应有 %d–%d 张照片，这里有 %d 张", WORK_PHOTOS_MIN, WORK_PHOTOS_MAX,
		      n);
}

static void S_row_surveys(loader *L)
{
	int r = L->rc[0], s = L->rc[1], c = L->rc[2], d = L->rc[3];
	if (L->cells[r].present && L->cells[s].present && L->cells[s].i > L->cells[r].i)
		S_err(L, s, "%s %lld 大于 %s %lld", H(s), L->cells[s].i, H(r), L->cells[r].i);
	if (L->cells[c].present && L->cells[d].present && L->cells[d].i > L->cells[c].i)
		S_err(L, d, "%s %lld 大于 %s %lld", H(d), L->cells[d].i, H(c), L->cells[c].i);
	S_unique_key(L, L->rc + 4, 2, "同一集体同一季度的调查");
}

static void S_row_assessments(loader *L)
{
	S_unique_key(L, L->rc, 3, "同一集体同一周期同一指标的得分");
}

static void S_row_units(loader *L)
{
	S_unique_key(L, L->rc, 3, "同一单位同一周期同一指标的得分");
}

static void S_row_quotas(loader *L)
{
	int name = L->rc[0], dim = L->rc[2];
	S_unique_key(L, L->rc, 3, "同一周期同一维度的名额");
	if (!L->cells[dim].present || !L->cells[name].present)
		return;
	if (!L->s->collectives_loaded)
		return; /* nothing to compare with: reported once already */
	bool region = strcmp(L->cells[dim].v, "地区") == 0;
	liang_strmap *set = region ? &L->s->regions : &L->s->industries;
	if (!liang_strmap_get(set, L->cells[name].v, L->cells[name].len))
		S_err(L, name, "%s “%s” 不是 collectives.csv 中出现过的%s", H(name),
		      S_show(L, L->cells[name].v, L->cells[name].len), region ? "地区" : "行业");
}

typedef struct row_check {
	const char *table;
	void (*check)(loader *L);
	const char *columns[6]; /* into L->rc */
} row_check;

static const row_check S_row_checks[] = {
	{"collectives", S_row_collectives, {"level", "awarded", "staff", "youth", "hotline"}},
	{"members", S_row_members, {"consent", "photo"}},
	{"works", S_row_works, {"category", "summary", "files"}},
	{"surveys", S_row_surveys, {"responses", "satisfied", "complaints", "resolved", "collective", "quarter"}},
	{"assessments", S_row_assessments, {"collective", "cycle", "item"}},
	{"units", S_row_units, {"unit", "cycle", "item"}},
	{"quotas", S_row_quotas, {"name", "cycle", "dimension"}},
};

/* The row check of L's table (NULL: none), its columns put in L->rc. */
static const row_check *S_row_check(loader *L)
{
	for (size_t i = 0; i < sizeof S_row_checks / sizeof *S_row_checks; i++) {
		const row_check *k = &S_row_checks[i];
		if (strcmp(k->table, L->t->name) != 0)
			continue;
		for (size_t c = 0; c < sizeof k->columns / sizeof *k->columns; c++)
			L->rc[c] = k->columns[c] ? liang_table_column(L->t, k->columns[c]) : -1;
		return k;
	}
	return NULL;
}

/* ------------------------------------------------------------ the file */

static void S_header(loader *L, liang_csv *csv, bool *complete)
{
	const liang_table *t = L->t;
	for (size_t c = 0; c < t->ncolumns; c++) {
		L->map[c] = -1;
		L->header[c] = t->columns[c].zh;
	}
	*complete = true;
	for (size_t f = 0; f < csv->nfields; f++) {
		liang_csv_field *fl = &csv->fields[f];
		const char *h = fl->ptr;
		size_t n = fl->len;
		liang_trim(&h, &n);
		((char *)h)[n] = '\0';
		if (n == 0)
			continue; /* Excel leaves empty header cells after the last column */
		int found = -1;
		for (size_t c = 0; c < t->ncolumns && found < 0; c++)
			if (!strcmp(h, t->columns[c].zh) || !strcasecmp(h, t->columns[c].id))
				found = (int)c;
		if (found < 0) {
			liang_warning(L->s->diags, L->file, fl->line, fl->col, "未知的列“%s”，已忽略", h);
			continue;
		}
		if (L->map[found] >= 0) {
			liang_error(L->s->diags, L->file, fl->line, fl->col,
				    "列“%s”出现了两次（第 %d 列已是“%s”）；请删除其中一列", h, L->map[found] + 1,
				    L->header[found]);
			continue;
		}
		L->map[found] = (int)f;
		L->header[found] = h;
	}
	for (size_t c = 0; c < t->ncolumns; c++) {
		if (L->map[c] < 0 && (t->columns[c].flags & LIANG_COL_REQUIRED)) {
			liang_error(L->s->diags, L->file, 1, 1, "缺少必填的列“%s”（或英文列名 %s）",
				    t->columns[c].zh, t->columns[c].id);
			*complete = false;
		}
	}
}

static sqlite3_stmt *S_insert_stmt(loader *L)
{
	liang_buf sql = LIANG_BUF_INIT;
	liang_buf_printf(&sql, "INSERT INTO data_%s(line", L->t->name);
	for (size_t c = 0; c < L->t->ncolumns; c++)
		liang_buf_printf(&sql, ",%s", L->t->columns[c].id);
	liang_buf_puts(&sql, ") VALUES(?");
	for (size_t c = 0; c < L->t->ncolumns; c++)
		liang_buf_puts(&sql, ",?");
	liang_buf_puts(&sql, ")");
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(L->db, sql.ptr, -1, &st, NULL) != SQLITE_OK) {
		liang_error(L->s->diags, NULL, 0, 0, "数据库错误（liang 的缺陷）：%s", sqlite3_errmsg(L->db));
		st = NULL;
	}
	liang_buf_free(&sql);
	return st;
}

static void S_flush(loader *L, sqlite3_stmt *st)
{
	for (size_t r = 0; r < L->nbatch; r++) {
	long line = L->batch_line[r];
	sqlite3_bind_int64(st, 1, line);
	for (size_t c = 0; c < L->t->ncolumns; c++) {
		batch_cell *x = &L->batch[r][c];
		int i = (int)c + 2;
		if (!x->present) {
			sqlite3_bind_null(st, i);
			continue;
		}
		switch (L->t->columns[c].kind) {
		case LIANG_COL_INT:
		case LIANG_COL_YEAR:
			sqlite3_bind_int64(st, i, x->i);
			break;
		case LIANG_COL_NUMBER:
			sqlite3_bind_double(st, i, x->d);
			break;
		default:
			sqlite3_bind_text(st, i, x->v, x->len, SQLITE_STATIC);
		}
	}
	if (sqlite3_step(st) != SQLITE_DONE)
		liang_error(L->s->diags, L->file, line, 1, "无法写入数据库：%s", sqlite3_errmsg(L->db));
	sqlite3_reset(st);
	}
	L->nbatch = 0;
}

static void S_insert(loader *L, sqlite3_stmt *st, long line)
{
	batch_cell *row = L->batch[L->nbatch];
	L->batch_line[L->nbatch] = line;
	for (size_t c = 0; c < L->t->ncolumns; c++) {
		cell *x = &L->cells[c];
		row[c] = (batch_cell){x->v, (int)x->len, x->present, x->i, x->d};
	}
	if (++L->nbatch == BATCH_ROWS)
		S_flush(L, st);
}

/* After a row of collectives.csv is accepted: remember what other files
 * and checks refer to. */
static void S_remember_collective(loader *L)
{
	const liang_table *t = L->t;
	cell *id = &L->cells[liang_table_column(t, "id")];
	cell *rg = &L->cells[liang_table_column(t, "region")];
	cell *in = &L->cells[liang_table_column(t, "industry")];
	cell *hl = &L->cells[liang_table_column(t, "hotline")];
	if (rg->present)
		liang_strmap_add(&L->s->regions, rg->v, rg->len, id->line, NULL);
	if (in->present)
		liang_strmap_add(&L->s->industries, in->v, in->len, id->line, NULL);
	if (hl->present) {
		char d[48];
		size_t n = 0;
		for (size_t i = 0; i < hl->len && n < sizeof d - 1; i++)
			if (hl->v[i] >= '0' && hl->v[i] <= '9')
				d[n++] = hl->v[i];
		liang_strmap_add(&L->s->public_numbers, d, n, id->line, NULL);
	}
}

/* The table the second thread loads while the first loads
 * collectives.csv (see liang_load_data): whatever needs the collectives
 * waits until they are in. */
typedef struct worklist worklist;
static void S_await_collectives(worklist *w);

/* A reference to a collective read before the collectives were in. */
typedef struct held_ref {
	long row;       /* the record's first line: its row's line column */
	long line, col; /* the cell's */
	const char *v;  /* in the file's text */
	size_t len;
} held_ref;

/* Rows whose references turned out to be wrong leave the table, as if
 * they had been refused when read: by their line, which is unique in a
 * file, in one pass over the table (a row that was refused anyway is
 * not there). */
static void S_drop_rows(loader *L, const held_ref *bad, size_t n)
{
	if (!n)
		return;
	sqlite3_stmt *st = NULL;
	if (sqlite3_exec(L->db, "CREATE TEMP TABLE liang_dropped (line INTEGER PRIMARY KEY)", NULL, NULL, NULL) !=
		    SQLITE_OK ||
	    sqlite3_prepare_v2(L->db, "INSERT OR IGNORE INTO temp.liang_dropped VALUES (?)", -1, &st, NULL) !=
		    SQLITE_OK) {
		liang_error(L->s->diags, NULL, 0, 0, "数据库错误（liang 的缺陷）：%s", sqlite3_errmsg(L->db));
		sqlite3_finalize(st);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		sqlite3_bind_int64(st, 1, bad[i].row);
		sqlite3_step(st);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	char *sql = sqlite3_mprintf("DELETE FROM main.data_%s WHERE line IN (SELECT line FROM temp.liang_dropped);"
				    "DROP TABLE temp.liang_dropped",
				    L->t->name);
	if (sqlite3_exec(L->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		liang_error(L->s->diags, NULL, 0, 0, "数据库错误（liang 的缺陷）：%s", sqlite3_errmsg(L->db));
	sqlite3_free(sql);
}

/* Takes BYTES (from the heap, NUL-terminated): UTF-8 is read in place.
 * early: the table may be read before collectives.csv is in. */
static void S_load_csv(liang_site *s, sqlite3 *db, const liang_table *t, const char *file, char *bytes,
		       size_t len, worklist *early)
{
	liang_encoding enc;
	liang_decode_error derr;
	size_t tlen;
	char *text = liang_text_decode_own(bytes, len, false, &enc, &tlen, &derr);
	if (!text) {
		liang_error(s->diags, file, derr.line, derr.col, "%s", derr.message);
		return;
	}
	loader L;
	memset(&L, 0, sizeof L);
	L.s = s;
	L.db = db;
	L.t = t;
	L.file = file;
	liang_strmap_init(&L.unique);
	L.batch = liang_xmalloc(BATCH_ROWS * sizeof *L.batch);
	liang_csv csv;
	liang_csv_init(&csv, text, tlen, file, s->diags);
	bool is_collectives = strcmp(t->name, "collectives") == 0;
	const row_check *check = S_row_check(&L);
	bool blank = !liang_csv_next(&csv);
	for (size_t f = 0; !blank && f < csv.nfields && csv.nfields == 1; f++) {
		const char *v = csv.fields[f].ptr;
		size_t n = csv.fields[f].len;
		liang_trim(&v, &n);
		blank = n == 0;
	}
	if (blank) {
		liang_error(s->diags, file, 1, 1, "文件是空的：第一行应是表头");
		goto done;
	}
	bool complete;
	S_header(&L, &csv, &complete);
	if (is_collectives)
		s->collectives_loaded = complete;
	size_t width = csv.nfields;
	sqlite3_stmt *st = complete ? S_insert_stmt(&L) : NULL;
	int unique_col = -1, ref_col = -1;
	for (size_t c = 0; c < t->ncolumns; c++) {
		if (t->columns[c].flags & LIANG_COL_UNIQUE)
			unique_col = (int)c;
		if (t->columns[c].flags & LIANG_COL_REF)
			ref_col = (int)c;
	}
	liang_strmap ids;
	liang_strmap_init(&ids);
	/* a table read early checks its references to the collectives and
	 * the privacy guard's hits (which may be the collectives' public
	 * numbers) once the collectives are in and the table is read: the
	 * same checks, after every row rather than in each */
	held_ref *held = NULL;
	size_t nheld = 0, capheld = 0;
	liang_pii_later later = {0};
	liang_progress_stage(s, t->name);
	while (liang_csv_next(&csv)) {
		long line = csv.record_line;
		/* Skip rows that are entirely empty: Excel writes them as ",,,,". */
		bool empty = true;
		for (size_t f = 0; f < csv.nfields && empty; f++) {
			const char *v = csv.fields[f].ptr;
			size_t n = csv.fields[f].len;
			liang_trim(&v, &n);
			empty = n == 0;
		}
		if (empty)
			continue;
		L.row_error = false;
		if (csv.nfields > width) {
			for (size_t f = width; f < csv.nfields; f++) {
				const char *v = csv.fields[f].ptr;
				size_t n = csv.fields[f].len;
				liang_trim(&v, &n);
				if (n) {
					liang_error(s->diags, file, csv.fields[f].line, csv.fields[f].col,
						    "这一行有 %zu 个单元格，比表头的 %zu 列多；多出的内容“%s”不属于任何列"
						    "（单元格里的逗号要用引号括起来）",
						    csv.nfields, width, S_show(&L, v, n));
					L.row_error = true;
					break;
				}
			}
		}
		/* Take each column's cell; a short (ragged) row leaves the rest empty. */
		for (size_t c = 0; c < t->ncolumns; c++) {
			cell *x = &L.cells[c];
			/* every field but norm, which only a date, quarter or
			 * cycle fills (clearing the whole cell per column was a
			 * tenth of the loop) */
			x->v = NULL;
			x->len = 0;
			x->line = x->col = x->vcol = 0;
			x->present = x->quoted = x->dropped = false;
			x->i = 0;
			x->d = 0;
			x->norm[0] = '\0';
			int f = L.map[c];
			if (f >= 0 && (size_t)f < csv.nfields) {
				liang_csv_field *fl = &csv.fields[f];
				const char *v = fl->ptr;
				size_t n = fl->len;
				liang_trim(&v, &n);
				((char *)v)[n] = '\0';
				x->v = v;
				x->len = n;
				x->line = fl->line;
				x->col = fl->col;
				x->quoted = fl->quoted;
				x->vcol = fl->col + (fl->quoted ? 1 : 0) +
					  (v == fl->ptr ? 0 : (long)liang_utf8_count(fl->ptr, (size_t)(v - fl->ptr)));
			} else {
				x->v = "";
				x->line = line;
				liang_csv_field *last = &csv.fields[csv.nfields - 1];
				x->line = last->line;
				x->col = f >= 0 ? last->col + (long)liang_utf8_count(last->ptr, last->len) +
							  (last->quoted ? 2 : 0)
						: 1;
			}
		}
		for (size_t c = 0; c < t->ncolumns; c++)
			if (L.map[c] >= 0)
				S_check_cell(&L, (int)c);
		/* uniqueness of the id column, references to collectives */
		if (unique_col >= 0 && L.cells[unique_col].present) {
			cell *x = &L.cells[unique_col];
			long prev;
			if (!liang_strmap_add(&ids, x->v, x->len, x->line, &prev))
				S_err(&L, unique_col, "%s “%s” 重复：第 %ld 行已使用", L.header[unique_col], x->v, prev);
		}
		if (ref_col >= 0 && L.cells[ref_col].present && early) {
			if (nheld == capheld)
				held = liang_xrealloc(held, (capheld = capheld ? 2 * capheld : 1024) * sizeof *held);
			cell *x = &L.cells[ref_col];
			held[nheld++] = (held_ref){line, x->line, x->col, x->v, x->len};
		} else if (ref_col >= 0 && L.cells[ref_col].present && s->collectives_loaded &&
			   !liang_strmap_get(&s->collective_ids, L.cells[ref_col].v, L.cells[ref_col].len)) {
			S_err(&L, ref_col, "%s “%s” 在 collectives.csv 中不存在", L.header[ref_col],
			      L.cells[ref_col].v);
		}
		/* the privacy guard over public free text */
		for (size_t c = 0; c < t->ncolumns; c++) {
			const liang_column *col = &t->columns[c];
			if (col->kind != LIANG_COL_TEXT || !L.cells[c].present ||
			    (col->flags & (LIANG_COL_PRIVATE | LIANG_COL_PHONE_OK)))
				continue;
			if (early)
				liang_site_check_pii_later(s, &later, L.cells[c].v, L.cells[c].len, file,
							   L.cells[c].line, L.cells[c].vcol, L.cells[c].quoted,
							   L.header[c]);
			else
				liang_site_check_pii(s, L.cells[c].v, L.cells[c].len, file, L.cells[c].line,
						     L.cells[c].vcol, L.cells[c].quoted, L.header[c]);
		}
		if (check)
			check->check(&L);
		if (is_collectives && unique_col >= 0 && L.cells[unique_col].present)
			liang_strmap_add(&s->collective_ids, L.cells[unique_col].v, L.cells[unique_col].len,
					 line, NULL);
		if (is_collectives)
			S_remember_collective(&L);
		if (st && !L.row_error)
			S_insert(&L, st, line);
		__atomic_fetch_add(&s->rows, 1, __ATOMIC_RELAXED);
		liang_progress_tick(s, 1);
	}
	if (st && L.nbatch)
		S_flush(&L, st);
	sqlite3_finalize(st);
	if (nheld || later.n) {
		S_await_collectives(early);
		liang_site_pii_settle(s, &later); /* before the headers go with the text */
		size_t nbad = 0;
		for (size_t i = 0; i < nheld; i++) {
			held_ref *h = &held[i];
			if (!s->collectives_loaded || liang_strmap_get(&s->collective_ids, h->v, h->len))
				continue;
			liang_error(s->diags, file, h->line, h->col, "%s “%s” 在 collectives.csv 中不存在",
				    L.header[ref_col], h->v);
			held[nbad++] = *h;
		}
		S_drop_rows(&L, held, nbad);
	}
	free(held);
	/* this table's indexes now, while the other thread reads its file */
	static const char *const kinds[] = {"indexes", "by_collective"}; /* queries.sql */
	for (size_t k = 0; k < (s->by_collective ? 2 : 1); k++) {
		char *name = liang_xasprintf("%s_%s", kinds[k], t->name);
		const char *ix = liang_query_find(name);
		if (ix)
			sqlite3_exec(db, ix, NULL, NULL, NULL);
		free(name);
	}
	liang_strmap_free(&ids);
done:
	liang_csv_free(&csv);
	liang_strmap_free(&L.unique);
	liang_buf_free(&L.scratch);
	liang_buf_free(&L.key);
	free(L.batch);
	free(text);
}

/* Read and load data/<t>.csv into db. */
static void S_load_file(liang_site *s, sqlite3 *db, const liang_table *t, worklist *early)
{
	char *file = liang_xasprintf("data/%s.csv", t->name);
	char *path = liang_path_join(s->root, file);
	size_t len;
	char *bytes = liang_file_read(path, &len);
	if (!bytes) {
		if (errno != ENOENT)
			liang_error(s->diags, file, 0, 0, "无法读取：%s", strerror(errno));
		else if (t->required)
			liang_error(s->diags, file, 0, 0, "缺少%s文件（必需）", t->title);
		else if (!t->optional)
			liang_warning(s->diags, file, 0, 0, "没有%s文件，这部分内容将为空", t->title);
	} else {
		__atomic_fetch_add(&s->files, 1, __ATOMIC_RELAXED);
		S_load_csv(s, db, t, file, bytes, len, early);
	}
	free(path);
	free(file);
}

/* The tables after collectives are independent of each other: two
 * threads take them in turn, each loading into a database of its own, so
 * that neither waits for the other to insert or to index: the site's,
 * and an in-memory one that the site's connection attaches as aux once
 * both are done. The tables the second thread loaded are then dropped
 * from the site's database, where they stayed empty, and a name finds
 * its table in whichever database holds it (the views are temporary
 * ones: see views.sql). The second thread begins with the largest table
 * (activities.csv, as a rule) while the first loads collectives.csv: the
 * largest alone is about as much work as all the rest, so that the two
 * threads end together. The outcome does not depend on the interleaving:
 * every table is loaded by one thread, what refers to the collectives is
 * checked once they are in, and diagnostics are sorted before printing. */
struct worklist {
	liang_site *s;
	size_t next;           /* the next item, taken atomically: the tables
	                          of order, then the notices, the write-ups
	                          of activities and works, the stories of
	                          collectives */
	size_t *order;         /* the tables after collectives, largest
	                          file first: the threads end together */
	size_t ntables;        /* in order */
	size_t early;          /* the table of order the second thread begins
	                          with, or ntables */
	liang_strmap ddl;      /* table → index into sql */
	char **sql;            /* each table's CREATE TABLE, from the schema */
	char *moved[32];       /* the tables the second thread loaded */
	size_t nmoved;
	liang_pii_later later; /* what the notices hold for the privacy guard */
	pthread_mutex_t lock;
	pthread_cond_t ready;
	bool collectives_done; /* under lock */
	bool stories_done;     /* under lock: the stories are read */
};

static void S_await_collectives(worklist *w)
{
	pthread_mutex_lock(&w->lock);
	while (!w->collectives_done)
		pthread_cond_wait(&w->ready, &w->lock);
	pthread_mutex_unlock(&w->lock);
}

typedef struct lane {
	worklist *w;
	sqlite3 *db;
	bool aux;
} lane;

/* On the second thread: make table in its database; false (and said)
 * when that fails. */
static bool S_make(lane *l, const char *table)
{
	worklist *w = l->w;
	const long *i = liang_strmap_get(&w->ddl, table, strlen(table));
	if (i && w->nmoved < sizeof w->moved / sizeof *w->moved &&
	    sqlite3_exec(l->db, w->sql[*i], NULL, NULL, NULL) == SQLITE_OK) {
		w->moved[w->nmoved++] = liang_xstrdup(table);
		return true;
	}
	liang_error(w->s->diags, NULL, 0, 0, "数据库错误（liang 的缺陷）：无法建立表 %s：%s", table,
		    sqlite3_errmsg(l->db));
	return false;
}

/* Table k of order into l's database; early: it may begin before the
 * collectives are in. */
static void S_table(lane *l, size_t k, bool early)
{
	worklist *w = l->w;
	size_t i = w->order[k];
	if (!early)
		S_await_collectives(w);
	else
		w->s->early_table = liang_tables[i].name;
	char *table = liang_xasprintf("data_%s", liang_tables[i].name);
	if (!l->aux || S_make(l, table))
		S_load_file(w->s, l->db, &liang_tables[i], early ? w : NULL);
	free(table);
}

/* The notices and pages of content/: they do not refer to the tables,
 * but may quote a public number of collectives.csv, so the privacy
 * guard's hits wait in w->later. Only one thread loads them. */
static void S_content(lane *l)
{
	if (!l->aux || (S_make(l, "data_notices") && S_make(l, "data_pages")))
		liang_content_load_notices(l->w->s, l->db, &l->w->later);
}

static void *S_worker(void *arg)
{
	lane *l = arg;
	worklist *w = l->w;
	size_t k;
	while ((k = __atomic_fetch_add(&w->next, 1, __ATOMIC_RELAXED)) <= w->ntables + 2) {
		if (k == w->ntables) {
			S_content(l);
		} else if (k == w->ntables + 1) {
			liang_content_read_texts(w->s);
		} else if (k == w->ntables + 2) {
			S_await_collectives(w); /* stories name collectives */
			liang_content_read_stories(w->s);
			pthread_mutex_lock(&w->lock);
			w->stories_done = true;
			pthread_cond_broadcast(&w->ready);
			pthread_mutex_unlock(&w->lock);
		} else if (k != w->early) {
			S_table(l, k, false);
		}
	}
	return NULL;
}

/* The second thread: the largest table while the first loads
 * collectives.csv, then items as they come; its database is committed
 * here, while the first thread may still be loading. */
static void *S_helper(void *arg)
{
	lane *l = arg;
	liang_progress_mute_thread();
	if (l->w->early < l->w->ntables)
		S_table(l, l->w->early, true);
	S_worker(arg);
	sqlite3_exec(l->db, "COMMIT", NULL, NULL, NULL);
	return NULL;
}

/* The second thread's database, empty, in a transaction; NULL if it
 * cannot be made (one thread loads everything then). */
static sqlite3 *S_aux_open(liang_site *s, worklist *w)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "SELECT name, sql FROM sqlite_master WHERE type = 'table'", -1, &st, NULL) !=
	    SQLITE_OK)
		return NULL;
	size_t n = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		w->sql = liang_xrealloc(w->sql, (n + 1) * sizeof *w->sql);
		w->sql[n] = liang_xstrdup((const char *)sqlite3_column_text(st, 1));
		liang_strmap_add(&w->ddl, name, strlen(name), (long)n, NULL);
		n++;
	}
	sqlite3_finalize(st);
	sqlite3 *db = NULL;
	/* in one contiguous image ("memdb") that db maps once loaded */
	if (sqlite3_open_v2("file:liang-aux?vfs=memdb", &db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI,
			    NULL) != SQLITE_OK) {
		sqlite3_close(db);
		return NULL;
	}
	liang_site_reserve(db, liang_site_room(s));
	liang_site_tune(db);
	sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
	return db;
}

/* Map what the second thread loaded into s->db as aux, read-only and in
 * place, and drop the tables it loaded from main, where they stayed
 * empty. s->aux keeps the image. */
static void S_aux_attach(liang_site *s, worklist *w, sqlite3 *aux)
{
	if (w->nmoved == 0) { /* the other thread took every item */
		sqlite3_close(aux);
		return;
	}
	sqlite3_int64 size = 0;
	unsigned char *image = sqlite3_serialize(aux, "main", &size, SQLITE_SERIALIZE_NOCOPY);
	char *pragma = sqlite3_mprintf("PRAGMA aux.mmap_size=%lld", (long long)size);
	if (!image || sqlite3_exec(s->db, "ATTACH ':memory:' AS aux", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_deserialize(s->db, "aux", image, size, size, SQLITE_DESERIALIZE_READONLY) != SQLITE_OK ||
	    sqlite3_exec(s->db, pragma, NULL, NULL, NULL) != SQLITE_OK) {
		liang_error(s->diags, NULL, 0, 0, "数据库错误（liang 的缺陷）：%s", sqlite3_errmsg(s->db));
		sqlite3_close(aux);
	} else {
		/* only the image is read from now on: the pages aux's connection
		 * cached while loading (up to the 64 MB of liang_site_tune) go */
		sqlite3_db_release_memory(aux);
		s->aux = aux;
		for (size_t i = 0; i < w->nmoved; i++) {
			char *drop = sqlite3_mprintf("DROP TABLE main.\"%w\"", w->moved[i]);
			sqlite3_exec(s->db, drop, NULL, NULL, NULL);
			sqlite3_free(drop);
		}
	}
	sqlite3_free(pragma);
}

/* The tables after collectives, largest file first, as w->order. */
static void S_order(liang_site *s, worklist *w)
{
	w->order = liang_xcalloc(liang_ntables, sizeof *w->order);
	long long *size = liang_xcalloc(liang_ntables, sizeof *size);
	for (size_t i = 1; i < liang_ntables; i++) {
		char *path = liang_xasprintf("%s/data/%s.csv", s->root, liang_tables[i].name);
		struct stat sb;
		size[i] = stat(path, &sb) == 0 ? (long long)sb.st_size : 0;
		free(path);
		/* insertion, stable: equal sizes keep the order of the tables */
		size_t k = i - 1;
		while (k > 0 && size[w->order[k - 1]] < size[i]) {
			w->order[k] = w->order[k - 1];
			k--;
		}
		w->order[k] = i;
	}
	free(size);
	w->ntables = liang_ntables - 1;
	/* quotas.csv is checked against the regions and industries of the
	 * collectives as it is read: it never goes early */
	w->early = strcmp(liang_tables[w->order[0]].name, "quotas") != 0 ? 0 : w->ntables;
}

void liang_load_data(liang_site *s)
{
	sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL);
	worklist w = {.s = s, .next = 0};
	S_order(s, &w);
	liang_strmap_init(&w.ddl);
	pthread_mutex_init(&w.lock, NULL);
	pthread_cond_init(&w.ready, NULL);
	lane self = {&w, s->db, false}, other = {&w, S_aux_open(s, &w), true};
	pthread_t helper;
	bool threaded = other.db && pthread_create(&helper, NULL, S_helper, &other) == 0;
	if (!threaded)
		w.early = w.ntables; /* this thread takes every item */
	/* collectives first: every other file refers to its 编号 */
	S_load_file(s, s->db, &liang_tables[0], NULL);
	pthread_mutex_lock(&w.lock);
	w.collectives_done = true;
	pthread_cond_broadcast(&w.ready);
	pthread_mutex_unlock(&w.lock);
	S_worker(&self);
	/* the stories (read by either thread) go into this database now,
	 * rather than after the other thread is done */
	pthread_mutex_lock(&w.lock);
	while (!w.stories_done)
		pthread_cond_wait(&w.ready, &w.lock);
	pthread_mutex_unlock(&w.lock);
	liang_content_store_stories(s);
	/* this database is the first thread's alone: committed while the
	 * other thread may still be loading */
	sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
	if (threaded)
		pthread_join(helper, NULL);
	if (threaded)
		S_aux_attach(s, &w, other.db);
	else
		sqlite3_close(other.db);
	liang_site_pii_settle(s, &w.later);
	for (size_t i = 0; i < w.ddl.n; i++)
		free(w.sql[i]);
	free(w.sql);
	liang_strmap_free(&w.ddl);
	for (size_t i = 0; i < w.nmoved; i++)
		free(w.moved[i]);
	pthread_mutex_destroy(&w.lock);
	pthread_cond_destroy(&w.ready);
	free(w.order);
}

void liang_load_quota_checks(liang_site *s)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, liang_query("quota_shortfall"), -1, &st, NULL) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW)
			liang_warning(s->diags, "data/quotas.csv", sqlite3_column_int(st, 0), 1,
				      "%s“%s”的创建集体有 %d 个，少于名额 %d 的 %g 倍（应至少 %d 个）",
				      (const char *)sqlite3_column_text(st, 1), (const char *)sqlite3_column_text(st, 2),
				      sqlite3_column_int(st, 4), sqlite3_column_int(st, 3), s->config.quota_ratio,
				      sqlite3_column_int(st, 5));
		sqlite3_finalize(st);
	}
	if (sqlite3_prepare_v2(s->db, liang_query("region_without_private_candidate"), -1, &st, NULL) ==
	    SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW)
			liang_warning(s->diags, "data/quotas.csv", sqlite3_column_int(st, 0), 1,
				      "地区“%s”没有非公经济组织或社会组织的创建集体（每个地区至少应推荐一个）",
				      (const char *)sqlite3_column_text(st, 1));
		sqlite3_finalize(st);
	}
}

void liang_load_cross_checks(liang_site *s)
{
	liang_progress_stage(s, "checks across files");
	liang_load_quota_checks(s);
	liang_stats_warnings(s);
}
