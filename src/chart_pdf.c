/* chart_pdf — the chart model as PDF vectors. The rules are those of the
 * SVG writer (chart.c): bars whose names do not fit under them are laid
 * down, a line chart labels every k-th point, a pie chart puts its labels
 * in a legend; sizes are in points for a printed page. */
#include "chart_pdf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define FONT 8.5          /* labels */
#define VFONT 7.5         /* values */
#define LEGEND_H 15.0
#define PLOT_H 150.0      /* the plot area of a vertical chart */
#define INK 0x333333
#define GRID 0xDDDDDD
#define AXIS 0x888888
#define PI 3.14159265358979323846

typedef struct S_ctx {
	const liang_chart *c;
	liang_pdf *d;
	double x, y, w;
	bool draw;
} S_ctx;

static double S_w(const S_ctx *k, const char *s, double size)
{
	return liang_pdf_width(liang_pdf_font_of(k->d), s, strlen(s), size);
}

static void S_text(const S_ctx *k, double x, double y, double size, uint32_t rgb, int align, const char *s)
{
	if (k->draw)
		liang_pdf_text_at(k->d, k->x + x, k->y + y, size, rgb, align, s);
}

static void S_box(const S_ctx *k, double x, double y, double w, double h, uint32_t fill)
{
	if (k->draw && w > 0 && h > 0)
		liang_pdf_rect(k->d, k->x + x, k->y + y, w, h, fill, LIANG_PDF_NONE, 0);
}

static void S_rule(const S_ctx *k, double x0, double y0, double x1, double y1, uint32_t rgb)
{
	if (k->draw)
		liang_pdf_line(k->d, k->x + x0, k->y + y0, k->x + x1, k->y + y1, 0.5, rgb);
}

/* A label cut to width with "…". Caller frees. */
static char *S_fit(const S_ctx *k, const char *s, double width, double size)
{
	if (S_w(k, s, size) <= width)
		return liang_xstrdup(s);
	size_t n = strlen(s);
	char *t = liang_xmalloc(n + 4);
	while (n > 0) {
		do
			n--;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80);
		memcpy(t, s, n);
		strcpy(t + n, "…");
		if (S_w(k, t, size) <= width)
			break;
	}
	return t;
}

/* The legend of the series in rows at y; returns its height. */
static double S_legend(const S_ctx *k, double y)
{
	const liang_chart *c = k->c;
	if (c->nser < 2)
		return 0;
	double x = 0, rows = 1;
	for (size_t s = 0; s < c->nser; s++) {
		double w = 14 + S_w(k, c->series[s], FONT) + 14;
		if (x + w > k->w && x > 0) {
			x = 0;
			rows++;
		}
		double ly = y + (rows - 1) * LEGEND_H;
		S_box(k, x, ly + 2, 9, 9, liang_chart_rgb(s));
		S_text(k, x + 13, ly + 10, FONT, INK, 0, c->series[s]);
		x += w;
	}
	return rows * LEGEND_H + 4;
}

static double S_hbar(const S_ctx *k, bool stacked)
{
	const liang_chart *c = k->c;
	double labw = 0;
	for (size_t i = 0; i < c->ncat; i++)
		labw = fmax(labw, S_w(k, c->cats[i], FONT));
	labw = fmin(labw, k->w * 0.35) + 8;
	double band = stacked || c->nser == 1 ? 16 : 8.0 * (double)c->nser + 6;
	double top = S_legend(k, 0), max = liang_chart_max(c, stacked), plot = k->w - labw - 36;
	char num[32];
	for (size_t i = 0; i < c->ncat; i++) {
		double y = top + band * (double)i;
		char *lab = S_fit(k, c->cats[i], labw - 8, FONT);
		S_text(k, labw - 5, y + band / 2 + 3, FONT, INK, 2, lab);
		free(lab);
		double x = labw, sum = 0;
		for (size_t s = 0; s < c->nser; s++) {
			double v = c->values[s * c->ncat + i], len = max > 0 && v > 0 ? v / max * plot : 0;
			double by = stacked || c->nser == 1 ? y + 3 : y + 3 + 8.0 * (double)s;
			double bh = stacked || c->nser == 1 ? band - 6 : 7;
			S_box(k, stacked ? x : labw, by, len, bh, liang_chart_rgb(s));
			if (!stacked) {
				liang_chart_number(num, sizeof num, v);
				S_text(k, labw + len + 3, by + bh / 2 + 2.6, VFONT, INK, 0, num);
			}
			x += stacked ? len : 0;
			sum += v;
		}
		if (stacked) {
			liang_chart_number(num, sizeof num, sum);
			S_text(k, x + 3, y + band / 2 + 2.6, VFONT, INK, 0, num);
		}
	}
	S_rule(k, labw, top, labw, top + band * (double)c->ncat, AXIS);
	return top + band * (double)c->ncat + 4;
}

/* Grid lines and their values; returns the left edge of the plot. */
static double S_grid(const S_ctx *k, double y0, double bottom, double top, double step)
{
	char num[32];
	liang_chart_number(num, sizeof num, top);
	double left = S_w(k, num, VFONT) + 6;
	for (double t = bottom; t <= top + step / 2; t += step) {
		double y = y0 + PLOT_H - (t - bottom) / (top - bottom) * PLOT_H;
		S_rule(k, left, y, k->w, y, GRID);
		liang_chart_number(num, sizeof num, t);
		S_text(k, left - 3, y + 2.6, VFONT, INK, 2, num);
	}
	return left;
}

static double S_vbar(const S_ctx *k, bool stacked)
{
	const liang_chart *c = k->c;
	double max = liang_chart_max(c, stacked), top, step;
	liang_chart_axis(max, &top, &step);
	char num[32];
	liang_chart_number(num, sizeof num, top);
	double slot = (k->w - S_w(k, num, VFONT) - 6) / (double)c->ncat, labw = 0;
	for (size_t i = 0; i < c->ncat; i++)
		labw = fmax(labw, S_w(k, c->cats[i], FONT));
	if (labw > slot - 4) /* the names would overlap: lay the bars down */
		return S_hbar(k, stacked);
	double y0 = S_legend(k, 0) + 6;
	double left = S_grid(k, y0, 0, top, step);
	double group = slot * 0.66, bw = stacked ? group : group / (double)c->nser;
	for (size_t i = 0; i < c->ncat; i++) {
		double gx = left + slot * (double)i + (slot - group) / 2, base = y0 + PLOT_H;
		for (size_t s = 0; s < c->nser; s++) {
			double v = c->values[s * c->ncat + i], bh = top > 0 && v > 0 ? v / top * PLOT_H : 0;
			double x = stacked ? gx : gx + bw * (double)s;
			double y = stacked ? base - bh : y0 + PLOT_H - bh;
			S_box(k, x, y, bw, bh, liang_chart_rgb(s));
			liang_chart_number(num, sizeof num, v);
			if (!stacked && S_w(k, num, VFONT) <= bw + 3)
				S_text(k, x + bw / 2, y - 2.5, VFONT, INK, 1, num);
			if (stacked)
				base -= bh;
		}
		S_text(k, left + slot * ((double)i + 0.5), y0 + PLOT_H + 12, FONT, INK, 1, c->cats[i]);
	}
	S_rule(k, left, y0 + PLOT_H, k->w, y0 + PLOT_H, AXIS);
	return y0 + PLOT_H + 18;
}

static double S_line(const S_ctx *k)
{
	const liang_chart *c = k->c;
	double bottom, top, step;
	liang_chart_line_axis(c, &bottom, &top, &step);
	double labw = 0;
	for (size_t i = 0; i < c->ncat; i++)
		labw = fmax(labw, S_w(k, c->cats[i], FONT));
	double y0 = S_legend(k, 0) + 6;
	double left = fmax(S_grid(k, y0, bottom, top, step), labw / 2 + 2);
	double plot = k->w - left - labw / 2 - 2;
	double dx = c->ncat > 1 ? plot / (double)(c->ncat - 1) : 0;
	size_t every = dx > 0 ? (size_t)ceil((labw + 6) / dx) : 1;
	if (every < 1)
		every = 1;
	for (size_t i = 0; i < c->ncat; i += every)
		S_text(k, c->ncat > 1 ? left + dx * (double)i : left + plot / 2, y0 + PLOT_H + 12, FONT, INK, 1, c->cats[i]);
	double *xy = liang_xmalloc(2 * c->ncat * sizeof *xy);
	for (size_t s = 0; s < c->nser && k->draw; s++) {
		for (size_t i = 0; i < c->ncat; i++) {
			xy[2 * i] = k->x + (c->ncat > 1 ? left + dx * (double)i : left + plot / 2);
			xy[2 * i + 1] = k->y + y0 + PLOT_H - (c->values[s * c->ncat + i] - bottom) / (top - bottom) * PLOT_H;
		}
		if (c->ncat > 1)
			liang_pdf_poly(k->d, xy, c->ncat, false, LIANG_PDF_NONE, liang_chart_rgb(s), 1.5);
		for (size_t i = 0; i < c->ncat; i++)
			liang_pdf_wedge(k->d, xy[2 * i], xy[2 * i + 1], 0, 2.2, 0, 2 * PI, liang_chart_rgb(s));
	}
	free(xy);
	return y0 + PLOT_H + 18;
}

static double S_pie(const S_ctx *k, bool donut)
{
	const liang_chart *c = k->c;
	double total = 0;
	for (size_t i = 0; i < c->ncat; i++)
		total += c->values[i];
	double r = 62, cx = r + 4, cy = cx; /* a square box */
	double h = fmax(2 * r + 8, 16.0 * (double)c->ncat + 8);
	double a = 0;
	for (size_t i = 0; i < c->ncat && total > 0 && k->draw; i++) {
		double sweep = c->values[i] / total * 2 * PI;
		if (c->values[i] <= 0)
			continue;
		liang_pdf_wedge(k->d, k->x + cx, k->y + cy, donut ? r * 0.55 : 0, r, a, a + sweep, liang_chart_rgb(i));
		a += sweep;
	}
	char num[32];
	if (donut) {
		liang_chart_number(num, sizeof num, total);
		S_text(k, cx, cy + 2, 13, INK, 1, num);
		S_text(k, cx, cy + 14, VFONT, 0x666666, 1, "合计");
	}
	/* the legend carries the labels: they never collide with slices */
	double lx = 2 * r + 24, ly = (h - 16.0 * (double)c->ncat) / 2;
	for (size_t i = 0; i < c->ncat; i++) {
		double y = ly + 16.0 * (double)i;
		S_box(k, lx, y + 3, 9, 9, liang_chart_rgb(i));
		liang_chart_number(num, sizeof num, c->values[i]);
		char *lab = S_fit(k, c->cats[i], k->w - lx - 110, FONT);
		char *line = liang_xasprintf("%s  %s（%.1f%%）", lab, num, total > 0 ? 100.0 * c->values[i] / total : 0);
		S_text(k, lx + 14, y + 11, FONT, INK, 0, line);
		free(line);
		free(lab);
	}
	return h + 4;
}

static double S_pyramid(const S_ctx *k)
{
	const liang_chart *c = k->c;
	double labw = 0, max = liang_chart_max(c, false);
	for (size_t i = 0; i < c->ncat; i++)
		labw = fmax(labw, S_w(k, c->cats[i], FONT));
	labw = fmin(labw, k->w * 0.3) + 8;
	double band = 18, plot = k->w - labw - 36, mid = labw + plot / 2;
	char num[32];
	for (size_t i = 0; i < c->ncat; i++) {
		double y = band * (double)i, v = c->values[i], len = max > 0 ? v / max * plot : 0;
		char *lab = S_fit(k, c->cats[i], labw - 8, FONT);
		S_text(k, labw - 5, y + band / 2 + 3, FONT, INK, 2, lab);
		free(lab);
		S_box(k, mid - len / 2, y + 2, len, band - 4, liang_chart_rgb(0));
		liang_chart_number(num, sizeof num, v);
		S_text(k, mid + len / 2 + 4, y + band / 2 + 3, VFONT, INK, 0, num);
	}
	return band * (double)c->ncat + 4;
}

double liang_chart_pdf(const liang_chart *c, liang_pdf *d, double x, double y, double w, bool draw)
{
	S_ctx k = {c, d, x, y, w, draw};
	if (c->ncat == 0 || c->nser == 0)
		return 0;
	switch (c->kind) {
	case LIANG_CHART_BAR: return S_vbar(&k, false);
	case LIANG_CHART_STACKED: return S_vbar(&k, true);
	case LIANG_CHART_HBAR: return S_hbar(&k, false);
	case LIANG_CHART_LINE: return S_line(&k);
	case LIANG_CHART_PIE: return S_pie(&k, false);
	case LIANG_CHART_DONUT: return S_pie(&k, true);
	case LIANG_CHART_PYRAMID: return S_pyramid(&k);
	}
	return 0;
}
