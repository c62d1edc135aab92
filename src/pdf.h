/* pdf — a small document layer over libharu for the printed reports:
 * pages of text runs, rectangles, lines, paths, images, links and an
 * outline, recorded first as a display list and written out at the end.
 *
 * Recording first means the code points a document uses are known before
 * its font is embedded: the font is cut down with HarfBuzz's hb-subset to
 * exactly those characters (libharu 2.3 embeds a TrueType font with
 * tables for every glyph; the CJK font would add half a megabyte to each
 * file). Text is measured with the advances of the same face, so what is
 * laid out is what libharu draws.
 *
 * Coordinates are PDF points (1/72 in) from the top-left corner of the
 * page, y growing downwards; the writer turns them round for PDF.
 * Colours are 0xRRGGBB. Output is deterministic: no clock is read, no
 * random document ID is written. */
#ifndef LIANG_PDF_H
#define LIANG_PDF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define LIANG_PDF_A4_W 595.276
#define LIANG_PDF_A4_H 841.89
#define LIANG_PDF_MM (72.0 / 25.4)
#define LIANG_PDF_NONE 0xFFFFFFFFu /* no fill, no stroke */

/* The code point drawn for a character libharu cannot encode (outside
 * the Basic Multilingual Plane): 〓, the 方块 of Chinese typesetting for
 * a missing character. */
#define LIANG_PDF_REPLACEMENT 0x3013

/* ------------------------------------------------------------- fonts */

typedef struct liang_pdf_font liang_pdf_font;

/* Open face 0 of the TrueType font (or collection) at path, for measuring
 * and subsetting. NULL with a Chinese reason in *err (caller frees) when
 * it cannot be read or has no outlines libharu can embed. Safe to share
 * between threads once opened. */
liang_pdf_font *liang_pdf_font_open(const char *path, char **err);
void liang_pdf_font_free(liang_pdf_font *f);

/* Width in points of UTF-8 text s[0..len) at size, from the advances of
 * the face (no kerning: libharu places glyphs by advance too). */
double liang_pdf_width(const liang_pdf_font *f, const char *s, size_t len, double size);

/* ---------------------------------------------------------- text rules */

/* A copy of s (caller frees) with every character outside the BMP
 * replaced by LIANG_PDF_REPLACEMENT and control characters by spaces;
 * *replaced counts the replacements, *first is the first one replaced
 * (0 if none). */
char *liang_pdf_clean(const char *s, size_t *replaced, uint32_t *first);

/* One line of wrapped text: bytes [off, off + len) of the input. */
typedef struct liang_pdf_line {
	size_t off, len;
} liang_pdf_span;

/* Break s into lines no wider than width at size (a word wider than the
 * line is cut where it must be). Break opportunities come from ICU's line
 * break iterator; the Chinese rules (禁则) are enforced on top of it: no
 * line starts with closing punctuation (。，、；：？！）」』》 …) and no
 * line ends with opening punctuation (（「『《 …); a character is moved to
 * the next line instead, and where no character can move, the marks hang
 * past the edge (悬挂标点). '\n' ends a line. Trailing spaces are not part
 * of a line. Text that fits is not broken (no break iterator is opened). Returns the number of lines; *lines is the caller's to
 * free. */
size_t liang_pdf_wrap(const liang_pdf_font *f, const char *s, double size, double width,
		      liang_pdf_span **lines);

/* True for a character that must not start a line (closing marks) and
 * one that must not end it (opening marks). */
bool liang_pdf_no_line_start(uint32_t cp);
bool liang_pdf_no_line_end(uint32_t cp);

/* ---------------------------------------------------------- QR codes */

typedef struct liang_pdf_rect {
	int x, y, w, h; /* in modules, from the top-left */
} liang_pdf_module_rect;

/* The dark modules of the QR code of text (error correction level M) as
 * rectangles: each run of dark modules in a row, merged with the same run
 * in the rows below. *modules is the side of the symbol (without the
 * quiet zone). Returns the number of rectangles (caller frees *rects), or
 * 0 when text cannot be encoded. */
size_t liang_pdf_qr_rects(const char *text, liang_pdf_module_rect **rects, int *modules);

/* ---------------------------------------------------------- documents */

typedef struct liang_pdf liang_pdf;

/* A new empty document drawn with font f (not owned; it must outlive the
 * document). */
liang_pdf *liang_pdf_new(const liang_pdf_font *f);
void liang_pdf_free(liang_pdf *d);
const liang_pdf_font *liang_pdf_font_of(const liang_pdf *d);

/* Add a page of w × h points; it becomes the current page. Returns its
 * index (0-based). */
int liang_pdf_page(liang_pdf *d, double w, double h);
/* Make page i current again (to add the running header afterwards). */
void liang_pdf_goto(liang_pdf *d, int page);
int liang_pdf_pages(const liang_pdf *d);
int liang_pdf_current(const liang_pdf *d);

/* Where the text about to be drawn comes from ("data/collectives.csv：
 * LL-001"), named in the warning about replaced characters; NULL for
 * liang's own text. Copied. */
void liang_pdf_source(liang_pdf *d, const char *where);

/* Text at x with its baseline at y. Characters outside the BMP are
 * replaced (see liang_pdf_clean) and reported through the warning
 * callback. */
void liang_pdf_text(liang_pdf *d, double x, double y, double size, uint32_t rgb, const char *s);
/* Draw the text that follows in bold (or not). The CJK font has one
 * weight: bold is drawn by stroking the outlines as well. */
void liang_pdf_bold(liang_pdf *d, bool bold);
/* The same, aligned: 0 left of x, 1 centred on x, 2 right of x. Returns
 * the width. */
double liang_pdf_text_at(liang_pdf *d, double x, double y, double size, uint32_t rgb, int align,
			 const char *s);
void liang_pdf_rect(liang_pdf *d, double x, double y, double w, double h, uint32_t fill, uint32_t stroke,
		    double lw);
void liang_pdf_line(liang_pdf *d, double x0, double y0, double x1, double y1, double lw, uint32_t rgb);
/* A polygon (closed, filled) or a polyline (stroked) of n points xy[2n]. */
void liang_pdf_poly(liang_pdf *d, const double *xy, size_t n, bool closed, uint32_t fill, uint32_t stroke,
		    double lw);
/* A slice of a ring centred on (cx, cy) between radii r0 (0: a pie slice)
 * and r1, from angle a0 to a1 (radians, clockwise from 12 o'clock). */
void liang_pdf_wedge(liang_pdf *d, double cx, double cy, double r0, double r1, double a0, double a1,
		     uint32_t fill);
/* The QR code of text as vector squares, side points wide with its quiet
 * zone inside. Returns -1 when the text cannot be encoded. */
int liang_pdf_qr(liang_pdf *d, double x, double y, double side, const char *text);

/* Load the JPEG or PNG at path (once per document; a second call with
 * the same path reuses it). JPEG is passed through as it is; PNG is
 * decoded to 8-bit RGB, its transparency composed on white (libharu's own
 * PNG reader fails on interlaced and garbles 16-bit files). Returns an
 * image handle ≥ 0 and its size in pixels, or -1 with a Chinese reason in
 * *err (caller frees). */
int liang_pdf_image_load(liang_pdf *d, const char *path, unsigned *w, unsigned *h, char **err);
void liang_pdf_image(liang_pdf *d, int image, double x, double y, double w, double h);
/* The image scaled to cover the frame x, y, w, h, centred and cut to it. */
void liang_pdf_image_cover(liang_pdf *d, int image, double x, double y, double w, double h);

/* A link on the current page: to a URL, or to a place on a page. */
void liang_pdf_link_url(liang_pdf *d, double x, double y, double w, double h, const char *url);
void liang_pdf_link_page(liang_pdf *d, double x, double y, double w, double h, int page, double top);
/* An outline (bookmark) entry at depth level (0 = top) pointing at the
 * top of page; entries nest under the last entry one level up. */
void liang_pdf_outline(liang_pdf *d, int level, const char *title, int page, double top);

/* Document information. epoch gives the creation date (UTC+8, China). */
typedef struct liang_pdf_info {
	const char *title, *author, *subject, *keywords;
	long long epoch;
} liang_pdf_info;

/* Called for each run of text with replaced characters; where is the
 * source set with liang_pdf_source (or NULL). */
typedef void (*liang_pdf_warn_fn)(void *ctx, const char *where, uint32_t cp);
void liang_pdf_on_warning(liang_pdf *d, liang_pdf_warn_fn fn, void *ctx);

/* Write the document as PDF into out: the font subset to the characters
 * used, embedded; pages, links, outline, information. Returns 0, or -1
 * with a Chinese reason in *err (caller frees). */
int liang_pdf_write(liang_pdf *d, const liang_pdf_info *info, liang_buf *out, char **err);

#endif
