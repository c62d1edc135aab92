/* pdf — the display list, Chinese line breaking, QR codes, and the
 * libharu writer with an hb-subset font. */
#define _GNU_SOURCE
#include "pdf.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <unistd.h>

#include <harfbuzz/hb-subset.h>
#include <harfbuzz/hb.h>
#include <hpdf.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>
#include <png.h>
#include <qrencode.h>
#include <unicode/ubrk.h>
#include <unicode/ustring.h>
#include <zlib.h>

#include "text.h"
#include "util.h"
#include "value.h"

#define PI 3.14159265358979323846

/* -------------------------------------------------------------- fonts */

#define POOL 4

struct liang_pdf_font {
	hb_blob_t *blob;
	hb_face_t *face;
	float adv[65536]; /* advance of each BMP code point, in em */
	/* line break iterators ready for reuse (opening one costs more than
	 * breaking a table cell): any thread takes one and gives it back */
	pthread_mutex_t lock;
	UBreakIterator *pool[POOL];
	int npool;
};

liang_pdf_font *liang_pdf_font_open(const char *path, char **err)
{
	*err = NULL;
	hb_blob_t *blob = hb_blob_create_from_file_or_fail(path);
	if (!blob) {
		*err = liang_xasprintf("无法读取字体文件 %s", path);
		return NULL;
	}
	hb_face_t *face = hb_face_create(blob, 0);
	hb_blob_t *glyf = hb_face_reference_table(face, HB_TAG('g', 'l', 'y', 'f'));
	bool outlines = hb_blob_get_length(glyf) > 0;
	hb_blob_destroy(glyf);
	if (hb_face_get_glyph_count(face) == 0 || !outlines) {
		/* libharu 2.3 embeds TrueType outlines only (no CFF, so no
		 * OpenType fonts such as Noto CJK) */
		*err = liang_xasprintf("字体 %s 不是含 TrueType 轮廓的字体（PDF 需要 .ttf 或 .ttc）", path);
		hb_face_destroy(face);
		hb_blob_destroy(blob);
		return NULL;
	}
	liang_pdf_font *f = liang_xmalloc(sizeof *f);
	f->blob = blob;
	f->face = face;
	pthread_mutex_init(&f->lock, NULL);
	f->npool = 0;
	hb_font_t *font = hb_font_create(face);
	double upem = hb_face_get_upem(face);
	hb_codepoint_t notdef_adv = hb_font_get_glyph_h_advance(font, 0);
	for (uint32_t cp = 0; cp < 65536; cp++) {
		hb_codepoint_t g;
		hb_position_t a = hb_font_get_nominal_glyph(font, cp, &g) ? hb_font_get_glyph_h_advance(font, g)
									 : (hb_position_t)notdef_adv;
		f->adv[cp] = (float)(a / upem);
	}
	hb_font_destroy(font);
	return f;
}

void liang_pdf_font_free(liang_pdf_font *f)
{
	if (!f)
		return;
	for (int i = 0; i < f->npool; i++)
		ubrk_close(f->pool[i]);
	pthread_mutex_destroy(&f->lock);
	hb_face_destroy(f->face);
	hb_blob_destroy(f->blob);
	free(f);
}

static double S_adv(const liang_pdf_font *f, uint32_t cp)
{
	return f->adv[cp < 65536 ? cp : LIANG_PDF_REPLACEMENT];
}

double liang_pdf_width(const liang_pdf_font *f, const char *s, size_t len, double size)
{
	double w = 0;
	const char *p = s, *end = s + len;
	while (p < end)
		w += S_adv(f, liang_utf8_next(&p));
	return w * size;
}

/* --------------------------------------------------------- text rules */

char *liang_pdf_clean(const char *s, size_t *replaced, uint32_t *first)
{
	liang_buf b = LIANG_BUF_INIT;
	*replaced = 0;
	*first = 0;
	const char *p = s;
	while (*p) {
		const char *q = p;
		uint32_t cp = liang_utf8_next(&q);
		if (cp > 0xFFFF) {
			if (!*first)
				*first = cp;
			(*replaced)++;
			char u[4];
			size_t n = liang_utf8_put(u, LIANG_PDF_REPLACEMENT);
			liang_buf_put(&b, u, n);
		} else if (cp < 0x20 || cp == 0x7F) {
			liang_buf_putc(&b, ' ');
		} else {
			liang_buf_put(&b, p, (size_t)(q - p));
		}
		p = q;
	}
	if (!b.ptr)
		return liang_xstrdup("");
	return liang_buf_detach(&b);
}

/* 禁则 (GB/T 15834 and the JIS X 4051 table that Chinese typesetting
 * follows): closing marks, full stops and the iteration marks never open
 * a line; opening marks never close one. */
bool liang_pdf_no_line_start(uint32_t cp)
{
	switch (cp) {
	case 0x3002: case 0xFF0C: case 0x3001: case 0xFF1B: case 0xFF1A: /* 。，、；： */
	case 0xFF1F: case 0xFF01: case 0xFF09: case 0x300D: case 0x300F: /* ？！）」』 */
	case 0x300B: case 0x3009: case 0x3011: case 0x3015: case 0x3017: /* 》〉】〕〗 */
	case 0x3019: case 0x301B: case 0x201D: case 0x2019: case 0x2026: /* 〙〛”’… */
	case 0x2014: case 0xFF5E: case 0x00B7: case 0xFF0E: case 0x30FC: /* —～·．ー */
	case 0x3005: case 0xFF05:                                         /* 々％ */
	case '%': case ')': case ']': case '}': case '>': case ',': case '.':
	case ';': case ':': case '?': case '!':
		return true;
	default:
		return false;
	}
}

bool liang_pdf_no_line_end(uint32_t cp)
{
	switch (cp) {
	case 0xFF08: case 0x300C: case 0x300E: case 0x300A: case 0x3008: /* （「『《〈 */
	case 0x3010: case 0x3014: case 0x3016: case 0x3018: case 0x301A: /* 【〔〖〘〚 */
	case 0x201C: case 0x2018:                                         /* “‘ */
	case '(': case '[': case '{': case '<':
		return true;
	default:
		return false;
	}
}

/* The code points of s with their byte offsets, and where ICU allows a
 * line to break (before code point i). */
typedef struct S_chars {
	uint32_t *cp;
	size_t *off;
	bool *brk;
	size_t n;
} S_chars;

static UBreakIterator *S_breaker(liang_pdf_font *f)
{
	UBreakIterator *bi = NULL;
	pthread_mutex_lock(&f->lock);
	if (f->npool > 0)
		bi = f->pool[--f->npool];
	pthread_mutex_unlock(&f->lock);
	UErrorCode e = U_ZERO_ERROR;
	if (!bi)
		bi = ubrk_open(UBRK_LINE, "zh", NULL, 0, &e);
	return U_SUCCESS(e) ? bi : NULL;
}

static void S_breaker_done(liang_pdf_font *f, UBreakIterator *bi)
{
	pthread_mutex_lock(&f->lock);
	if (f->npool < POOL) {
		f->pool[f->npool++] = bi;
		bi = NULL;
	}
	pthread_mutex_unlock(&f->lock);
	if (bi)
		ubrk_close(bi);
}

static void S_chars_make(liang_pdf_font *f, const char *s, size_t len, S_chars *c)
{
	c->n = 0;
	c->cp = liang_xmalloc((len + 1) * sizeof *c->cp);
	c->off = liang_xmalloc((len + 1) * sizeof *c->off);
	c->brk = liang_xcalloc(len + 1, sizeof *c->brk);
	UChar *u = liang_xmalloc((2 * len + 1) * sizeof *u);
	size_t *u2c = liang_xmalloc((2 * len + 2) * sizeof *u2c); /* UTF-16 index → code point index */
	size_t nu = 0;
	const char *p = s;
	while ((size_t)(p - s) < len) {
		c->off[c->n] = (size_t)(p - s);
		uint32_t cp = liang_utf8_next(&p);
		c->cp[c->n] = cp;
		u2c[nu] = c->n;
		if (cp > 0xFFFF) {
			u[nu++] = (UChar)(0xD800 + ((cp - 0x10000) >> 10));
			u2c[nu] = c->n;
			u[nu++] = (UChar)(0xDC00 + ((cp - 0x10000) & 0x3FF));
		} else {
			u[nu++] = (UChar)cp;
		}
		c->n++;
	}
	c->off[c->n] = len;
	u2c[nu] = c->n;
	UErrorCode e = U_ZERO_ERROR;
	UBreakIterator *bi = S_breaker(f);
	if (bi)
		ubrk_setText(bi, u, (int32_t)nu, &e);
	if (bi && U_SUCCESS(e)) {
		for (int32_t b = ubrk_first(bi); b != UBRK_DONE; b = ubrk_next(bi))
			c->brk[u2c[b]] = true;
	} else {
		for (size_t i = 0; i <= c->n; i++)
			c->brk[i] = true; /* no ICU data: any character may break */
	}
	if (bi) {
		ubrk_setText(bi, NULL, 0, &e); /* it must not keep our text */
		S_breaker_done(f, bi);
	}
	free(u);
	free(u2c);
}

static void S_chars_free(S_chars *c)
{
	free(c->cp);
	free(c->off);
	free(c->brk);
}

/* May a line break before code point i (start < i < n)? */
static bool S_kinsoku_ok(const S_chars *c, size_t i)
{
	return !liang_pdf_no_line_start(c->cp[i]) && !liang_pdf_no_line_end(c->cp[i - 1]);
}

static bool S_space(uint32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == 0x3000;
}

size_t liang_pdf_wrap(const liang_pdf_font *f, const char *s, double size, double width,
		      liang_pdf_span **lines)
{
	size_t len = strlen(s), nl = 0, cap = 8;
	*lines = liang_xmalloc(cap * sizeof **lines);
	/* most table cells fit as they are: no break iterator for them */
	if (!strchr(s, '\n') && liang_pdf_width(f, s, len, size) <= width) {
		const char *end = s + len;
		while (end > s && end[-1] == ' ')
			end--;
		(*lines)[0] = (liang_pdf_span){0, (size_t)(end - s)};
		return 1;
	}
	S_chars c;
	S_chars_make((liang_pdf_font *)f, s, len, &c);
	size_t start = 0;
	while (start < c.n || (nl == 0 && c.n == 0)) {
		double w = 0;
		size_t i = start, last = 0; /* last: the latest allowed break */
		bool hard = false;
		while (i < c.n) {
			if (c.cp[i] == '\n') {
				hard = true;
				break;
			}
			double cw = S_adv(f, c.cp[i]) * size;
			if (w + cw > width && i > start && !S_space(c.cp[i]))
				break;
			w += cw;
			i++;
			if (i < c.n && c.brk[i] && S_kinsoku_ok(&c, i))
				last = i;
		}
		size_t end = i;
		if (i < c.n && !hard) {
			if (last > start) {
				end = last;
			} else {
				/* no break allowed in the line: cut it, but not
				 * before a closing or after an opening mark; when
				 * the whole line is such marks, let them hang past
				 * the edge (悬挂标点) rather than break a rule */
				while (end > start + 1 && !S_kinsoku_ok(&c, end))
					end--;
				if (!S_kinsoku_ok(&c, end))
					for (end = i; end < c.n && !S_kinsoku_ok(&c, end);)
						end++;
			}
		}
		size_t trim = end;
		while (trim > start && S_space(c.cp[trim - 1]))
			trim--;
		if (nl == cap)
			*lines = liang_xrealloc(*lines, (cap *= 2) * sizeof **lines);
		(*lines)[nl++] = (liang_pdf_span){c.off[start], c.off[trim] - c.off[start]};
		start = end;
		if (hard) {
			start++; /* past the '\n' */
			if (start == c.n) { /* a final empty line */
				if (nl == cap)
					*lines = liang_xrealloc(*lines, (cap *= 2) * sizeof **lines);
				(*lines)[nl++] = (liang_pdf_span){len, 0};
			}
		} else {
			while (start < c.n && S_space(c.cp[start]))
				start++;
		}
		if (c.n == 0)
			break;
	}
	S_chars_free(&c);
	return nl;
}

/* ------------------------------------------------------------ QR codes */

size_t liang_pdf_qr_rects(const char *text, liang_pdf_module_rect **rects, int *modules)
{
	*rects = NULL;
	*modules = 0;
	QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!qr)
		return 0;
	int n = qr->width;
	bool *used = liang_xcalloc((size_t)n * (size_t)n, sizeof *used);
#define DARK(x, y) (qr->data[(y) * n + (x)] & 1)
	size_t nr = 0, cap = 64;
	*rects = liang_xmalloc(cap * sizeof **rects);
	for (int y = 0; y < n; y++) {
		for (int x = 0; x < n;) {
			if (!DARK(x, y) || used[y * n + x]) {
				x++;
				continue;
			}
			int x1 = x;
			while (x1 < n && DARK(x1, y) && !used[y * n + x1])
				x1++;
			/* grow downwards while the row below has the same run */
			int h = 1;
			for (int yy = y + 1; yy < n; yy++) {
				bool same = (x == 0 || !DARK(x - 1, yy)) && (x1 == n || !DARK(x1, yy));
				for (int k = x; same && k < x1; k++)
					same = DARK(k, yy) && !used[yy * n + k];
				if (!same)
					break;
				h++;
			}
			for (int yy = y; yy < y + h; yy++)
				for (int k = x; k < x1; k++)
					used[yy * n + k] = true;
			if (nr == cap)
				*rects = liang_xrealloc(*rects, (cap *= 2) * sizeof **rects);
			(*rects)[nr++] = (liang_pdf_module_rect){x, y, x1 - x, h};
			x = x1;
		}
	}
#undef DARK
	free(used);
	*modules = n;
	QRcode_free(qr);
	return nr;
}

/* -------------------------------------------------------- display list */

typedef enum { OP_TEXT, OP_RECT, OP_LINE, OP_POLY, OP_IMAGE, OP_LINK_URL, OP_LINK_PAGE } op_kind;

typedef struct op {
	op_kind kind;
	double x, y, w, h, size, lw;
	uint32_t fill, stroke;
	const char *s;     /* text, URL */
	double *xy;        /* points of a polygon */
	size_t n;
	int ref;           /* image, target page */
	bool closed;
	bool bold;         /* text drawn with a hairline of its own colour */
} op;

typedef struct page {
	double w, h;
	op *ops;
	size_t n, cap;
} page;

typedef struct image {
	char *path;
	bool jpeg;         /* data is a JPEG file, else 8-bit RGB pixels */
	unsigned char *data;
	size_t len;
	unsigned w, h;
} image;

typedef struct outline {
	int level, page;
	double top;
	const char *title;
} outline;

struct liang_pdf {
	const liang_pdf_font *font;
	liang_arena arena;
	page *pages;
	int npages, cur;
	image *images;
	size_t nimages;
	outline *outlines;
	size_t noutlines;
	const char *where;
	bool bold;
	liang_pdf_warn_fn warn;
	void *warn_ctx;
};

liang_pdf *liang_pdf_new(const liang_pdf_font *f)
{
	liang_pdf *d = liang_xcalloc(1, sizeof *d);
	d->font = f;
	d->cur = -1;
	liang_arena_init(&d->arena);
	return d;
}

void liang_pdf_free(liang_pdf *d)
{
	if (!d)
		return;
	for (int i = 0; i < d->npages; i++)
		free(d->pages[i].ops);
	free(d->pages);
	for (size_t i = 0; i < d->nimages; i++) {
		free(d->images[i].path);
		free(d->images[i].data);
	}
	free(d->images);
	free(d->outlines);
	liang_arena_free(&d->arena);
	free(d);
}

const liang_pdf_font *liang_pdf_font_of(const liang_pdf *d)
{
	return d->font;
}

int liang_pdf_page(liang_pdf *d, double w, double h)
{
	d->pages = liang_xrealloc(d->pages, (size_t)(d->npages + 1) * sizeof *d->pages);
	d->pages[d->npages] = (page){w, h, NULL, 0, 0};
	d->cur = d->npages++;
	return d->cur;
}

void liang_pdf_goto(liang_pdf *d, int p)
{
	if (p >= 0 && p < d->npages)
		d->cur = p;
}

int liang_pdf_pages(const liang_pdf *d)
{
	return d->npages;
}

int liang_pdf_current(const liang_pdf *d)
{
	return d->cur;
}

void liang_pdf_source(liang_pdf *d, const char *where)
{
	d->where = where ? liang_arena_strndup(&d->arena, where, strlen(where)) : NULL;
}

void liang_pdf_on_warning(liang_pdf *d, liang_pdf_warn_fn fn, void *ctx)
{
	d->warn = fn;
	d->warn_ctx = ctx;
}

static op *S_op(liang_pdf *d, op_kind kind)
{
	if (d->cur < 0)
		liang_pdf_page(d, LIANG_PDF_A4_W, LIANG_PDF_A4_H);
	page *p = &d->pages[d->cur];
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 64;
		p->ops = liang_xrealloc(p->ops, p->cap * sizeof *p->ops);
	}
	op *o = &p->ops[p->n++];
	memset(o, 0, sizeof *o);
	o->kind = kind;
	o->fill = o->stroke = LIANG_PDF_NONE;
	return o;
}

/* An op placed in the box x, y, w, h (for a line: from x, y to w, h). */
static op *S_op_box(liang_pdf *d, op_kind kind, double x, double y, double w, double h)
{
	op *o = S_op(d, kind);
	o->x = x;
	o->y = y;
	o->w = w;
	o->h = h;
	return o;
}

/* Text as the document keeps it: in the arena, with the characters
 * libharu cannot encode replaced and reported. */
static const char *S_keep_text(liang_pdf *d, const char *s)
{
	size_t replaced;
	uint32_t first;
	char *clean = liang_pdf_clean(s, &replaced, &first);
	if (replaced && d->warn)
		d->warn(d->warn_ctx, d->where, first);
	const char *kept = liang_arena_strndup(&d->arena, clean, strlen(clean));
	free(clean);
	return kept;
}

void liang_pdf_text(liang_pdf *d, double x, double y, double size, uint32_t rgb, const char *s)
{
	if (!s || !*s)
		return;
	op *o = S_op(d, OP_TEXT);
	o->x = x;
	o->y = y;
	o->size = size;
	o->fill = rgb;
	o->bold = d->bold;
	o->s = S_keep_text(d, s);
}

void liang_pdf_bold(liang_pdf *d, bool bold)
{
	d->bold = bold;
}

double liang_pdf_text_at(liang_pdf *d, double x, double y, double size, uint32_t rgb, int align, const char *s)
{
	double w = liang_pdf_width(d->font, s, strlen(s), size);
	liang_pdf_text(d, align == 1 ? x - w / 2 : align == 2 ? x - w : x, y, size, rgb, s);
	return w;
}

void liang_pdf_rect(liang_pdf *d, double x, double y, double w, double h, uint32_t fill, uint32_t stroke, double lw)
{
	op *o = S_op_box(d, OP_RECT, x, y, w, h);
	o->fill = fill;
	o->stroke = stroke;
	o->lw = lw;
}

void liang_pdf_line(liang_pdf *d, double x0, double y0, double x1, double y1, double lw, uint32_t rgb)
{
	op *o = S_op_box(d, OP_LINE, x0, y0, x1, y1);
	o->lw = lw;
	o->stroke = rgb;
}

void liang_pdf_poly(liang_pdf *d, const double *xy, size_t n, bool closed, uint32_t fill, uint32_t stroke, double lw)
{
	if (n < 2)
		return;
	op *o = S_op(d, OP_POLY);
	o->xy = liang_arena_alloc(&d->arena, 2 * n * sizeof *o->xy);
	memcpy(o->xy, xy, 2 * n * sizeof *xy);
	o->n = n;
	o->closed = closed;
	o->fill = fill;
	o->stroke = stroke;
	o->lw = lw;
}

void liang_pdf_wedge(liang_pdf *d, double cx, double cy, double r0, double r1, double a0, double a1, uint32_t fill)
{
	/* arcs as short chords, 2° or less each: smooth at any print size
	 * and the same bytes on every machine */
	size_t k = (size_t)ceil(fabs(a1 - a0) / (PI / 90));
	if (k < 1)
		k = 1;
	size_t n = r0 > 0 ? 2 * (k + 1) : k + 2;
	double *xy = liang_xmalloc(2 * n * sizeof *xy);
	size_t m = 0;
	for (size_t i = 0; i <= k; i++) {
		double a = a0 + (a1 - a0) * (double)i / (double)k;
		xy[m++] = cx + r1 * sin(a);
		xy[m++] = cy - r1 * cos(a);
	}
	if (r0 > 0) {
		for (size_t i = 0; i <= k; i++) {
			double a = a1 + (a0 - a1) * (double)i / (double)k;
			xy[m++] = cx + r0 * sin(a);
			xy[m++] = cy - r0 * cos(a);
		}
	} else {
		xy[m++] = cx;
		xy[m++] = cy;
	}
	liang_pdf_poly(d, xy, n, true, fill, LIANG_PDF_NONE, 0);
	free(xy);
}

int liang_pdf_qr(liang_pdf *d, double x, double y, double side, const char *text)
{
	liang_pdf_module_rect *r;
	int n;
	size_t nr = liang_pdf_qr_rects(text, &r, &n);
	if (!nr)
		return -1;
	double m = side / (n + 8); /* a quiet zone of 4 modules each side */
	liang_pdf_rect(d, x, y, side, side, 0xFFFFFF, LIANG_PDF_NONE, 0);
	for (size_t i = 0; i < nr; i++)
		liang_pdf_rect(d, x + (r[i].x + 4) * m, y + (r[i].y + 4) * m, r[i].w * m, r[i].h * m, 0x000000,
			       LIANG_PDF_NONE, 0);
	free(r);
	return 0;
}

/* PNG to 8-bit RGB on white, whatever its depth, palette or interlace. */
static int S_png_rgb(const char *bytes, size_t len, image *im, char **err)
{
	png_image pi;
	memset(&pi, 0, sizeof pi);
	pi.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_memory(&pi, bytes, len)) {
		*err = liang_xasprintf("PNG 文件已损坏（%s）", pi.message);
		return -1;
	}
	pi.format = PNG_FORMAT_RGB;
	size_t stride = PNG_IMAGE_ROW_STRIDE(pi);
	im->len = PNG_IMAGE_BUFFER_SIZE(pi, stride);
	im->data = liang_xmalloc(im->len);
	png_color white = {255, 255, 255};
	if (!png_image_finish_read(&pi, &white, im->data, (png_int_32)stride, NULL)) {
		*err = liang_xasprintf("PNG 文件已损坏（%s）", pi.message);
		free(im->data);
		im->data = NULL;
		png_image_free(&pi);
		return -1;
	}
	im->w = pi.width;
	im->h = pi.height;
	return 0;
}

/* Width and height from a JPEG's SOFn marker. */
static int S_jpeg_size(const unsigned char *b, size_t len, unsigned *w, unsigned *h)
{
	size_t i = 2;
	while (i + 9 < len) {
		if (b[i] != 0xFF) {
			i++;
			continue;
		}
		unsigned char m = b[i + 1];
		if (m == 0xFF) {
			i++;
			continue;
		}
		size_t seg = (size_t)b[i + 2] << 8 | b[i + 3];
		if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
			*h = (unsigned)b[i + 5] << 8 | b[i + 6];
			*w = (unsigned)b[i + 7] << 8 | b[i + 8];
			return *w && *h ? 0 : -1;
		}
		i += 2 + seg;
	}
	return -1;
}

int liang_pdf_image_load(liang_pdf *d, const char *path, unsigned *w, unsigned *h, char **err)
{
	*err = NULL;
	for (size_t i = 0; i < d->nimages; i++)
		if (!strcmp(d->images[i].path, path)) {
			*w = d->images[i].w;
			*h = d->images[i].h;
			return (int)i;
		}
	size_t len;
	char *bytes = liang_file_read(path, &len);
	if (!bytes) {
		*err = liang_xasprintf("无法读取图片 %s", path);
		return -1;
	}
	image im = {0};
	const unsigned char *u = (const unsigned char *)bytes;
	if (len > 3 && u[0] == 0xFF && u[1] == 0xD8) {
		if (S_jpeg_size(u, len, &im.w, &im.h) < 0) {
			*err = liang_xasprintf("JPEG 文件 %s 已损坏", path);
			free(bytes);
			return -1;
		}
		im.jpeg = true;
		im.data = (unsigned char *)bytes;
		im.len = len;
	} else if (len > 8 && !memcmp(bytes, "\x89PNG", 4)) {
		int rc = S_png_rgb(bytes, len, &im, err);
		free(bytes);
		if (rc < 0)
			return -1;
	} else {
		*err = liang_xasprintf("%s 不是 JPEG 或 PNG 图片", path);
		free(bytes);
		return -1;
	}
	im.path = liang_xstrdup(path);
	d->images = liang_xrealloc(d->images, (d->nimages + 1) * sizeof *d->images);
	d->images[d->nimages] = im;
	*w = im.w;
	*h = im.h;
	return (int)d->nimages++;
}

void liang_pdf_image(liang_pdf *d, int img, double x, double y, double w, double h)
{
	S_op_box(d, OP_IMAGE, x, y, w, h)->ref = img;
}

void liang_pdf_image_cover(liang_pdf *d, int img, double x, double y, double w, double h)
{
	liang_pdf_image(d, img, x, y, w, h);
	d->pages[d->cur].ops[d->pages[d->cur].n - 1].closed = true;
}

void liang_pdf_link_url(liang_pdf *d, double x, double y, double w, double h, const char *url)
{
	S_op_box(d, OP_LINK_URL, x, y, w, h)->s = liang_arena_strndup(&d->arena, url, strlen(url));
}

void liang_pdf_link_page(liang_pdf *d, double x, double y, double w, double h, int pg, double top)
{
	op *o = S_op_box(d, OP_LINK_PAGE, x, y, w, h);
	o->ref = pg;
	o->size = top;
}

void liang_pdf_outline(liang_pdf *d, int level, const char *title, int pg, double top)
{
	d->outlines = liang_xrealloc(d->outlines, (d->noutlines + 1) * sizeof *d->outlines);
	d->outlines[d->noutlines++] = (outline){level, pg, top, S_keep_text(d, title)};
}

/* ------------------------------------------------------------- writer */

/* libharu compresses every stream at zlib's default level 6, which took
 * almost half the time of a poster (its font is most of its bytes).
 * Level 1 makes files some 10 % larger in a third of the time. libharu
 * has no setting for it, so liang gives its own deflateInit_: the
 * dynamic linker binds libharu's call to this one. Nothing else in liang
 * compresses. */
int deflateInit_(z_streamp strm, int level, const char *version, int stream_size)
{
	return deflateInit2_(strm, level == Z_DEFAULT_COMPRESSION ? Z_BEST_SPEED : level, Z_DEFLATED, MAX_WBITS, 8,
			     Z_DEFAULT_STRATEGY, version, stream_size);
}

typedef struct S_hpdf_err {
	HPDF_STATUS code, detail;
} S_hpdf_err;

static void S_on_error(HPDF_STATUS code, HPDF_STATUS detail, void *user)
{
	S_hpdf_err *e = user;
	if (!e->code) {
		e->code = code;
		e->detail = detail;
	}
}

/* The characters of a document and the codes they are written with.
 *
 * libharu's UTF-8 fonts write each character as its UTF-16 code, and when
 * the font is loaded build a map of all 65,536 codes to glyphs, looking
 * each up with a linear search through the font's cmap segments: some
 * 6 million steps for a poster's hundred-odd scattered characters, most
 * of the time a poster took. So the characters are renumbered into one
 * run of codes from U+0100, in code point order, and the subset font gets
 * a cmap of a single segment; /ToUnicode maps the codes back, so copying
 * and searching give the real text. With low codes the map of codes to
 * glyphs (/CIDToGIDMap), which libharu writes for all 65,536, can be cut
 * to the codes used: 128 KB less to compress in every document. */
#define CODE_FIRST 0x0100
#define CODE_LAST 0xD7FF /* below the surrogates, which UTF-8 cannot carry */

typedef struct S_charmap {
	uint32_t *cps;      /* the characters used, ascending */
	size_t n;
	uint16_t *code;     /* character → code written (65,536 entries) */
	bool remapped;      /* codes from CODE_FIRST; else the characters */
	uint16_t *gids;     /* the glyph of each character in the subset */
} S_charmap;

static void S_charmap_make(const liang_pdf *d, S_charmap *m)
{
	hb_set_t *u = hb_set_create();
	hb_set_add(u, ' ');
	for (int i = 0; i < d->npages; i++)
		for (size_t k = 0; k < d->pages[i].n; k++) {
			const op *o = &d->pages[i].ops[k];
			if (o->kind != OP_TEXT)
				continue;
			for (const char *p = o->s; *p;)
				hb_set_add(u, liang_utf8_next(&p));
		}
	m->n = 0;
	m->gids = NULL;
	m->cps = liang_xmalloc((hb_set_get_population(u) + 1) * sizeof *m->cps);
	hb_codepoint_t cp = HB_SET_VALUE_INVALID;
	while (hb_set_next(u, &cp))
		if (cp <= 0xFFFF)
			m->cps[m->n++] = cp;
	hb_set_destroy(u);
	/* a document of more characters than the area holds keeps the
	 * real codes (and the slow load) */
	m->remapped = m->n <= CODE_LAST - CODE_FIRST + 1;
	m->code = liang_xcalloc(65536, sizeof *m->code);
	for (size_t k = 0; k < m->n; k++)
		m->code[m->cps[k]] = m->remapped ? (uint16_t)(CODE_FIRST + k) : (uint16_t)m->cps[k];
}

static void S_charmap_free(S_charmap *m)
{
	free(m->cps);
	free(m->code);
	free(m->gids);
}

static void S_put16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

/* A cmap table (Windows Unicode BMP, format 4) of one segment: code
 * CODE_FIRST + k → the glyph of the k-th character in the subset. */
static hb_blob_t *S_cmap(hb_face_t *sub, S_charmap *m)
{
	hb_font_t *font = hb_font_create(sub);
	/* a whole number of 4-byte words: libharu 2.3 copies tables in words
	 * and reads past the end of one that is not */
	size_t sublen = (32 + 2 * m->n + 3) & ~(size_t)3, len = 12 + sublen;
	unsigned char *t = liang_xcalloc(len, 1);
	S_put16(t + 2, 1);            /* one encoding record */
	S_put16(t + 4, 3);            /* Windows */
	S_put16(t + 6, 1);            /* Unicode BMP */
	t[11] = 12;                   /* offset of the subtable */
	unsigned char *f = t + 12;
	S_put16(f, 4);
	S_put16(f + 2, (unsigned)sublen);
	S_put16(f + 6, 4);            /* segCountX2: ours and the final 0xFFFF */
	S_put16(f + 8, 4);            /* searchRange */
	S_put16(f + 10, 1);           /* entrySelector */
	S_put16(f + 14, (unsigned)(CODE_FIRST + m->n - 1)); /* endCode */
	S_put16(f + 16, 0xFFFF);
	S_put16(f + 20, CODE_FIRST);  /* startCode, after reservedPad */
	S_put16(f + 22, 0xFFFF);
	S_put16(f + 26, 1);           /* idDelta of the last segment */
	S_put16(f + 28, 4);           /* idRangeOffset: glyphIdArray follows */
	m->gids = liang_xcalloc(m->n + 1, sizeof *m->gids);
	for (size_t k = 0; k < m->n; k++) {
		hb_codepoint_t g = 0;
		hb_font_get_nominal_glyph(font, m->cps[k], &g);
		S_put16(f + 32 + 2 * k, g);
		m->gids[k] = (uint16_t)g;
	}
	hb_font_destroy(font);
	return hb_blob_create((const char *)t, (unsigned)len, HB_MEMORY_MODE_WRITABLE, t, free);
}

/* The subset face as libharu can embed it: the cmap replaced by the
 * one-segment one (when the codes are remapped), and a 'prep' table added
 * when the font has none (WenQuanYi Zen Hei has none). libharu 2.3
 * writes 'prep' last, and for a missing one seeks to the very end of its
 * buffer, which fails when the font written so far is a whole number of
 * 4 KB blocks: one document in a few thousand failed. The program added
 * is SVTCA[x], which sets what is already the default. */
static hb_blob_t *S_rebuild(hb_face_t *subset, S_charmap *m)
{
	/* the subset is a builder face, which does not list its tables:
	 * read it back from its bytes */
	hb_blob_t *bytes = hb_face_reference_blob(subset);
	hb_face_t *sub = hb_face_create(bytes, 0);
	hb_blob_destroy(bytes);
	hb_face_t *builder = hb_face_builder_create();
	hb_tag_t tags[64];
	unsigned n = 64;
	hb_face_get_table_tags(sub, 0, &n, tags);
	bool prep = false;
	for (unsigned i = 0; i < n; i++) {
		bool cmap = tags[i] == HB_TAG('c', 'm', 'a', 'p') && m->remapped;
		hb_blob_t *table = cmap ? S_cmap(sub, m) : hb_face_reference_table(sub, tags[i]);
		hb_face_builder_add_table(builder, tags[i], table);
		hb_blob_destroy(table);
		prep |= tags[i] == HB_TAG('p', 'r', 'e', 'p');
	}
	if (!prep) {
		static const char svtca_x = 0x01;
		hb_blob_t *table = hb_blob_create(&svtca_x, 1, HB_MEMORY_MODE_READONLY, NULL, NULL);
		hb_face_builder_add_table(builder, HB_TAG('p', 'r', 'e', 'p'), table);
		hb_blob_destroy(table);
	}
	hb_blob_t *blob = hb_face_reference_blob(builder);
	hb_face_destroy(builder);
	hb_face_destroy(sub);
	return blob;
}

/* The font cut down to the characters of the document, in a temporary
 * file (libharu loads TrueType from files only). Returns its path, or
 * NULL with *err set. */
static char *S_subset(liang_pdf *d, S_charmap *m, int *memfd, char **err)
{
	hb_subset_input_t *in = hb_subset_input_create_or_fail();
	if (!in) {
		*err = liang_xstrdup("内存不足");
		return NULL;
	}
	hb_set_t *u = hb_subset_input_unicode_set(in);
	for (size_t k = 0; k < m->n; k++)
		hb_set_add(u, m->cps[k]);
	/* libharu embeds none of the layout, vertical or bitmap tables:
	 * dropping them spares hb-subset the work of cutting them */
	static const hb_tag_t unused[] = {HB_TAG('G', 'S', 'U', 'B'), HB_TAG('G', 'P', 'O', 'S'),
					  HB_TAG('G', 'D', 'E', 'F'), HB_TAG('v', 'h', 'e', 'a'),
					  HB_TAG('v', 'm', 't', 'x'), HB_TAG('g', 'a', 's', 'p'),
					  HB_TAG('B', 'D', 'F', ' '), HB_TAG('F', 'F', 'T', 'M'),
					  HB_TAG('E', 'B', 'D', 'T'), HB_TAG('E', 'B', 'L', 'C')};
	hb_set_t *drop = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
	for (size_t k = 0; k < sizeof unused / sizeof *unused; k++)
		hb_set_add(drop, unused[k]);
	hb_face_t *sub = hb_subset_or_fail(d->font->face, in);
	hb_subset_input_destroy(in);
	if (!sub) {
		*err = liang_xstrdup("无法生成字体子集（HarfBuzz hb-subset 失败）");
		return NULL;
	}
	hb_blob_t *blob = S_rebuild(sub, m);
	unsigned len;
	const char *data = hb_blob_get_data(blob, &len);
	/* libharu reads a font only from a file: an anonymous file in
	 * memory, named through /proc, leaves nothing behind even when the
	 * process is killed; else a file in a tmpfs (or /tmp), unlinked as
	 * soon as libharu has opened it */
	char *path = NULL;
	int fd = memfd_create("liang-font", MFD_CLOEXEC);
	if (fd >= 0) {
		path = liang_xasprintf("/proc/self/fd/%d", fd);
		if (access(path, R_OK) != 0) {
			close(fd);
			fd = -1;
			free(path);
			path = NULL;
		}
	}
	*memfd = fd;
	if (fd < 0) {
		const char *tmpdir = getenv("TMPDIR");
		if (!tmpdir || !*tmpdir)
			tmpdir = liang_is_dir("/dev/shm") ? "/dev/shm" : "/tmp";
		path = liang_xasprintf("%s/liang-font-XXXXXX", tmpdir);
		fd = mkstemp(path);
	}
	bool ok = fd >= 0 && len > 0;
	for (size_t done = 0; ok && done < len;) {
		ssize_t w = write(fd, data + done, len - done);
		ok = w > 0;
		done += ok ? (size_t)w : 0;
	}
	if (*memfd < 0 && fd >= 0 && close(fd) != 0)
		ok = false;
	hb_blob_destroy(blob);
	hb_face_destroy(sub);
	if (!ok) {
		*err = liang_xasprintf("无法写入临时字体文件 %s", path);
		if (*memfd >= 0)
			close(*memfd);
		else if (fd >= 0)
			unlink(path);
		*memfd = -1;
		free(path);
		return NULL;
	}
	return path;
}

/* The text of an op in the codes of the charmap, as the UTF-8 that
 * libharu's encoder turns into those codes. */
static void S_encode(const S_charmap *m, const char *s, liang_buf *out)
{
	liang_buf_clear(out);
	while (*s) {
		uint32_t cp = liang_utf8_next(&s);
		char u[4];
		size_t n = liang_utf8_put(u, cp <= 0xFFFF ? m->code[cp] : m->code[LIANG_PDF_REPLACEMENT]);
		liang_buf_put(out, u, n);
	}
}

/* libharu 2.3 gives a UTF-8 font its encoding CMap (code → CID) as
 * /ToUnicode, which PDF readers reject ("Invalid begincidrange"): copying
 * and searching then work by luck or not at all. Rewrite the stream as
 * the map of the codes written to the characters they stand for. */
static void S_to_unicode(HPDF_Font font, const S_charmap *m)
{
	HPDF_Dict tu = HPDF_Dict_GetItem(font, "ToUnicode", HPDF_OCLASS_DICT);
	if (!tu || !tu->stream)
		return;
	liang_buf b = LIANG_BUF_INIT;
	liang_buf_puts(&b, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
			   "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
			   "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
			   "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
	/* runs of consecutive codes standing for consecutive characters,
	 * never across a change of the first byte (a bfrange may vary in its
	 * last byte only) */
	size_t (*ranges)[2] = liang_xmalloc((m->n + 1) * sizeof *ranges);
	size_t n = 0;
	for (size_t k = 0; k < m->n; k++) {
		unsigned code = m->code[m->cps[k]];
		if (n && m->cps[ranges[n - 1][1]] + 1 == m->cps[k] && (unsigned)m->code[m->cps[ranges[n - 1][1]]] + 1 == code &&
		    (code & 0xFF00) == (m->code[m->cps[ranges[n - 1][0]]] & 0xFF00))
			ranges[n - 1][1] = k;
		else
			ranges[n][0] = ranges[n][1] = k, n++;
	}
	for (size_t i = 0; i < n; i += 100) {
		size_t k = n - i < 100 ? n - i : 100;
		liang_buf_printf(&b, "%zu beginbfrange\n", k);
		for (size_t j = i; j < i + k; j++)
			liang_buf_printf(&b, "<%04X> <%04X> <%04X>\n", m->code[m->cps[ranges[j][0]]],
					 m->code[m->cps[ranges[j][1]]], m->cps[ranges[j][0]]);
		liang_buf_puts(&b, "endbfrange\n");
	}
	liang_buf_puts(&b, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
	HPDF_MemStream_FreeData(tu->stream);
	HPDF_Stream_Write(tu->stream, (const HPDF_BYTE *)b.ptr, (HPDF_UINT)b.len);
	HPDF_Dict_RemoveElement(tu, "CMapName");
	HPDF_Dict_RemoveElement(tu, "CIDSystemInfo");
	HPDF_Dict_RemoveElement(tu, "WMode");
	HPDF_Dict_RemoveElement(tu, "Type");
	free(ranges);
	liang_buf_free(&b);
}

/* /CIDToGIDMap cut to the codes used (see S_charmap). */
static void S_short_map(HPDF_Font font, const S_charmap *m)
{
	HPDF_Array desc = HPDF_Dict_GetItem(font, "DescendantFonts", HPDF_OCLASS_ARRAY);
	HPDF_Dict cid = desc ? HPDF_Array_GetItem(desc, 0, HPDF_OCLASS_DICT) : NULL;
	HPDF_Dict map = cid ? HPDF_Dict_GetItem(cid, "CIDToGIDMap", HPDF_OCLASS_DICT) : NULL;
	if (!m->remapped || !m->gids || !map || !map->stream)
		return;
	size_t len = 2 * (CODE_FIRST + m->n);
	unsigned char *b = liang_xcalloc(len, 1);
	for (size_t k = 0; k < m->n; k++)
		S_put16(b + 2 * (CODE_FIRST + k), m->gids[k]);
	HPDF_MemStream_FreeData(map->stream);
	HPDF_Stream_Write(map->stream, b, (HPDF_UINT)len);
	free(b);
}

static void S_rgb_fill(HPDF_Page p, uint32_t c)
{
	HPDF_Page_SetRGBFill(p, (float)((c >> 16) & 255) / 255.f, (float)((c >> 8) & 255) / 255.f,
			     (float)(c & 255) / 255.f);
}

static void S_rgb_stroke(HPDF_Page p, uint32_t c)
{
	HPDF_Page_SetRGBStroke(p, (float)((c >> 16) & 255) / 255.f, (float)((c >> 8) & 255) / 255.f,
			       (float)(c & 255) / 255.f);
}

/* Colours and width go before the path (libharu refuses them inside
 * one), the painting operator after it. */
static void S_style(HPDF_Page p, const op *o)
{
	if (o->fill != LIANG_PDF_NONE)
		S_rgb_fill(p, o->fill);
	if (o->stroke != LIANG_PDF_NONE) {
		S_rgb_stroke(p, o->stroke);
		HPDF_Page_SetLineWidth(p, (float)o->lw);
	}
}

static void S_paint(HPDF_Page p, const op *o)
{
	bool fill = o->fill != LIANG_PDF_NONE, stroke = o->stroke != LIANG_PDF_NONE;
	if (fill && stroke)
		HPDF_Page_FillStroke(p);
	else if (fill)
		HPDF_Page_Fill(p);
	else if (stroke)
		HPDF_Page_Stroke(p);
	else
		HPDF_Page_EndPath(p);
}

static HPDF_Rect S_rect(const page *pg, const op *o)
{
	HPDF_Rect r = {(float)o->x, (float)(pg->h - o->y - o->h), (float)(o->x + o->w), (float)(pg->h - o->y)};
	return r;
}

static void S_draw_page(const S_charmap *m, HPDF_Page *hp, HPDF_Font font, HPDF_Image *img, liang_pdf *d, int i,
			liang_buf *text)
{
	const page *pg = &d->pages[i];
	HPDF_Page p = hp[i];
	double H = pg->h;
	bool bold = false;
	for (size_t k = 0; k < pg->n; k++) {
		const op *o = &pg->ops[k];
		switch (o->kind) {
		case OP_TEXT:
			S_rgb_fill(p, o->fill);
			if (o->bold != bold) {
				/* the CJK font has no bold face: a stroke of 3 % of
				 * the size thickens the strokes as a bold would */
				bold = o->bold;
				HPDF_Page_SetTextRenderingMode(p, bold ? HPDF_FILL_THEN_STROKE : HPDF_FILL);
			}
			if (bold) {
				S_rgb_stroke(p, o->fill);
				HPDF_Page_SetLineWidth(p, (float)(o->size * 0.03));
			}
			HPDF_Page_BeginText(p);
			HPDF_Page_SetFontAndSize(p, font, (float)o->size);
			S_encode(m, o->s, text);
			HPDF_Page_TextOut(p, (float)o->x, (float)(H - o->y), text->ptr);
			HPDF_Page_EndText(p);
			break;
		case OP_RECT:
			S_style(p, o);
			HPDF_Page_Rectangle(p, (float)o->x, (float)(H - o->y - o->h), (float)o->w, (float)o->h);
			S_paint(p, o);
			break;
		case OP_LINE:
			S_style(p, o);
			HPDF_Page_MoveTo(p, (float)o->x, (float)(H - o->y));
			HPDF_Page_LineTo(p, (float)o->w, (float)(H - o->h));
			S_paint(p, o);
			break;
		case OP_POLY:
			S_style(p, o);
			HPDF_Page_MoveTo(p, (float)o->xy[0], (float)(H - o->xy[1]));
			for (size_t j = 1; j < o->n; j++)
				HPDF_Page_LineTo(p, (float)o->xy[2 * j], (float)(H - o->xy[2 * j + 1]));
			if (o->closed)
				HPDF_Page_ClosePath(p);
			S_paint(p, o);
			break;
		case OP_IMAGE: {
			if (!img[o->ref])
				break;
			if (!o->closed) {
				HPDF_Page_DrawImage(p, img[o->ref], (float)o->x, (float)(H - o->y - o->h), (float)o->w,
						    (float)o->h);
				break;
			}
			/* cover the frame, centred, cut to it */
			const image *im = &d->images[o->ref];
			double sx = o->w / im->w, sy = o->h / im->h, sc = sx > sy ? sx : sy;
			double w = im->w * sc, h = im->h * sc;
			HPDF_Page_GSave(p);
			HPDF_Page_Rectangle(p, (float)o->x, (float)(H - o->y - o->h), (float)o->w, (float)o->h);
			HPDF_Page_Clip(p);
			HPDF_Page_EndPath(p);
			HPDF_Page_DrawImage(p, img[o->ref], (float)(o->x + (o->w - w) / 2),
					    (float)(H - o->y - o->h + (o->h - h) / 2), (float)w, (float)h);
			HPDF_Page_GRestore(p);
			break;
		}
		case OP_LINK_URL: {
			HPDF_Annotation a = HPDF_Page_CreateURILinkAnnot(p, S_rect(pg, o), o->s);
			HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
			break;
		}
		case OP_LINK_PAGE: {
			if (o->ref < 0 || o->ref >= d->npages)
				break;
			HPDF_Destination dst = HPDF_Page_CreateDestination(hp[o->ref]);
			HPDF_Destination_SetFitH(dst, (float)(d->pages[o->ref].h - o->size));
			HPDF_Annotation a = HPDF_Page_CreateLinkAnnot(p, S_rect(pg, o), dst);
			HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
			break;
		}
		}
	}
}

static void S_outlines(HPDF_Doc pdf, HPDF_Page *hp, HPDF_Encoder enc, liang_pdf *d)
{
	HPDF_Outline parents[8] = {NULL};
	for (size_t i = 0; i < d->noutlines; i++) {
		const outline *ol = &d->outlines[i];
		int lv = ol->level < 0 ? 0 : ol->level > 7 ? 7 : ol->level;
		while (lv > 0 && !parents[lv - 1])
			lv--;
		HPDF_Outline o = HPDF_CreateOutline(pdf, lv ? parents[lv - 1] : NULL, ol->title, enc);
		if (!o)
			continue;
		if (ol->page >= 0 && ol->page < d->npages) {
			HPDF_Destination dst = HPDF_Page_CreateDestination(hp[ol->page]);
			HPDF_Destination_SetFitH(dst, (float)(d->pages[ol->page].h - ol->top));
			HPDF_Outline_SetDestination(o, dst);
		}
		HPDF_Outline_SetOpened(o, lv == 0 ? HPDF_TRUE : HPDF_FALSE);
		parents[lv] = o;
		for (int k = lv + 1; k < 8; k++)
			parents[k] = NULL;
	}
}

int liang_pdf_write(liang_pdf *d, const liang_pdf_info *info, liang_buf *out, char **err)
{
	*err = NULL;
	if (d->npages == 0)
		liang_pdf_page(d, LIANG_PDF_A4_W, LIANG_PDF_A4_H);
	S_charmap m;
	S_charmap_make(d, &m);
	int memfd = -1;
	char *font_path = S_subset(d, &m, &memfd, err);
	if (!font_path) {
		S_charmap_free(&m);
		return -1;
	}
	liang_buf text = LIANG_BUF_INIT;
	S_hpdf_err e = {0, 0};
	HPDF_Doc pdf = HPDF_New(S_on_error, &e);
	HPDF_Page *hp = liang_xcalloc((size_t)d->npages, sizeof *hp);
	HPDF_Image *img = liang_xcalloc(d->nimages + 1, sizeof *img);
	int rc = -1;
	if (!pdf) {
		*err = liang_xstrdup("内存不足，无法生成 PDF");
		goto done;
	}
	HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
	HPDF_UseUTFEncodings(pdf);
	HPDF_SetCurrentEncoder(pdf, "UTF-8");
	const char *name = HPDF_LoadTTFontFromFile(pdf, font_path, HPDF_TRUE);
	if (memfd < 0)
		unlink(font_path); /* libharu keeps it open */
	HPDF_Font font = name ? HPDF_GetFont(pdf, name, "UTF-8") : NULL;
	HPDF_Encoder enc = HPDF_GetEncoder(pdf, "UTF-8");
	if (!font || !enc) {
		*err = liang_xasprintf("libharu 无法载入字体子集（错误 0x%04X）", (unsigned)e.code);
		goto done;
	}
	S_to_unicode(font, &m);
	S_short_map(font, &m);
	for (size_t i = 0; i < d->nimages; i++) {
		image *im = &d->images[i];
		img[i] = im->jpeg ? HPDF_LoadJpegImageFromMem(pdf, im->data, (HPDF_UINT)im->len)
				  : HPDF_LoadRawImageFromMem(pdf, im->data, im->w, im->h, HPDF_CS_DEVICE_RGB, 8);
		if (!img[i]) {
			*err = liang_xasprintf("libharu 无法载入图片 %s（错误 0x%04X）", im->path, (unsigned)e.code);
			goto done;
		}
	}
	/* libharu puts every page in one /Pages array by default, and an
	 * array holds at most 8,191 entries: a long document (all.pdf of a
	 * large site) gets a tree of /Pages nodes instead */
	if (d->npages > 4096)
		HPDF_SetPagesConfiguration(pdf, 1024);
	for (int i = 0; i < d->npages; i++) {
		hp[i] = HPDF_AddPage(pdf);
		if (!hp[i]) {
			*err = liang_xasprintf("libharu 无法添加第 %d 页（错误 0x%04X）", i + 1, (unsigned)e.code);
			goto done;
		}
		HPDF_Page_SetWidth(hp[i], (float)d->pages[i].w);
		HPDF_Page_SetHeight(hp[i], (float)d->pages[i].h);
	}
	for (int i = 0; i < d->npages; i++)
		S_draw_page(&m, hp, font, img, d, i, &text);
	S_outlines(pdf, hp, enc, d);
	if (d->noutlines)
		HPDF_SetPageMode(pdf, HPDF_PAGE_MODE_USE_OUTLINE);

	const char *texts[][2] = {{info->title, NULL}, {info->author, NULL}, {info->subject, NULL}, {info->keywords, NULL}};
	static const HPDF_InfoType types[] = {HPDF_INFO_TITLE, HPDF_INFO_AUTHOR, HPDF_INFO_SUBJECT, HPDF_INFO_KEYWORDS};
	for (int i = 0; i < 4; i++)
		if (texts[i][0] && *texts[i][0])
			HPDF_SetInfoAttr(pdf, types[i], S_keep_text(d, texts[i][0]));
	HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, "liang " LIANG_VERSION);
	/* the date of the data, in China time: no clock is read */
	time_t t = (time_t)info->epoch + 8 * 3600;
	struct tm tm;
	gmtime_r(&t, &tm);
	HPDF_Date date = {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, '+', 8, 0};
	HPDF_SetInfoDateAttr(pdf, HPDF_INFO_CREATION_DATE, date);
	HPDF_SetInfoDateAttr(pdf, HPDF_INFO_MOD_DATE, date);

	if (e.code || HPDF_SaveToStream(pdf) != HPDF_OK) {
		*err = liang_xasprintf("生成 PDF 出错（libharu 错误 0x%04X/%u）", (unsigned)e.code, (unsigned)e.detail);
		goto done;
	}
	HPDF_UINT32 size = HPDF_GetStreamSize(pdf);
	liang_buf_grow(out, size);
	HPDF_UINT32 got = size;
	HPDF_ResetStream(pdf);
	if (HPDF_ReadFromStream(pdf, (HPDF_BYTE *)out->ptr + out->len, &got) != HPDF_OK && got != size) {
		*err = liang_xstrdup("读取 PDF 内容出错");
		goto done;
	}
	out->len += got;
	out->ptr[out->len] = '\0';
	rc = 0;
done:
	if (pdf)
		HPDF_Free(pdf);
	free(hp);
	free(img);
	if (memfd >= 0)
		close(memfd);
	else
		unlink(font_path); /* when HPDF_New failed */
	free(font_path);
	S_charmap_free(&m);
	liang_buf_free(&text);
	return rc;
}
