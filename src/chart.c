/* chart — the chart model and its SVG writer. */
#include "chart.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "template.h"
#include "text.h"
#include "util.h"

#define WIDE 640.0   /* the viewBox width of a chart for a page */
#define NARROW 360.0 /* … and for a phone */
#define FONT 14.0
#define LEGEND_H 26.0
#define PI 3.14159265358979323846

/* Okabe & Ito, "Color Universal Design": told apart with any colour
 * vision; all but the yellow are dark enough for a white background. */
static const char *const palette[] = {"#0072B2", "#E69F00", "#009E73", "#D55E00",
				      "#CC79A7", "#56B4E9", "#000000", "#F0E442"};
#define NPAL (sizeof palette / sizeof *palette)

static const struct {
	const char *name;
	liang_chart_kind kind;
} kinds[] = {{"bar", LIANG_CHART_BAR},     {"hbar", LIANG_CHART_HBAR},   {"stacked", LIANG_CHART_STACKED},
	     {"line", LIANG_CHART_LINE},   {"pie", LIANG_CHART_PIE},     {"donut", LIANG_CHART_DONUT},
	     {"pyramid", LIANG_CHART_PYRAMID}};

bool liang_chart_kind_parse(const char *name, size_t len, liang_chart_kind *kind)
{
	for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
		if (strlen(kinds[i].name) == len && !strncmp(kinds[i].name, name, len)) {
			*kind = kinds[i].kind;
			return true;
		}
	return false;
}

int liang_chart_from_result(const liang_sqlresult *r, liang_chart_kind kind, const char *title,
			    liang_chart *c, char **err)
{
	memset(c, 0, sizeof *c);
	*err = NULL;
	if (r->ncol < 2) {
		*err = liang_xstrdup("图表需要至少两列：第一列为类别，其余各列为数值");
		return -1;
	}
	if (r->nrows == 0) {
		*err = liang_xstrdup("查询没有结果，无法画图");
		return -1;
	}
	c->kind = kind;
	c->title = title ? liang_xstrdup(title) : NULL;
	c->ncat = (size_t)r->nrows;
	c->nser = (size_t)r->ncol - 1;
	c->cats = liang_xcalloc(c->ncat, sizeof *c->cats);
	c->series = liang_xcalloc(c->nser, sizeof *c->series);
	c->values = liang_xcalloc(c->ncat * c->nser, sizeof *c->values);
	for (size_t s = 0; s < c->nser; s++)
		c->series[s] = liang_xstrdup(r->names[s + 1]);
	for (size_t i = 0; i < c->ncat; i++) {
		const char *cat = r->cells[i * (size_t)r->ncol];
		c->cats[i] = liang_xstrdup(cat ? cat : "（空）");
		for (size_t s = 0; s < c->nser; s++) {
			const char *v = r->cells[i * (size_t)r->ncol + s + 1];
			char *end = NULL;
			double d = v ? strtod(v, &end) : 0;
			if (v && (end == v || *end || !isfinite(d))) {
				*err = liang_xasprintf("图表的数值列“%s”中有非数字的值“%s”", r->names[s + 1], v);
				liang_chart_free(c);
				return -1;
			}
			if (d < 0 && (kind == LIANG_CHART_PIE || kind == LIANG_CHART_DONUT || kind == LIANG_CHART_PYRAMID)) {
				*err = liang_xasprintf("%s图不能有负数（“%s”为 %s）",
						       kind == LIANG_CHART_PYRAMID ? "金字塔" : "饼", c->cats[i], v);
				liang_chart_free(c);
				return -1;
			}
			c->values[s * c->ncat + i] = d;
		}
	}
	return 0;
}

void liang_chart_free(liang_chart *c)
{
	for (size_t i = 0; i < c->ncat && c->cats; i++)
		free(c->cats[i]);
	for (size_t s = 0; s < c->nser && c->series; s++)
		free(c->series[s]);
	free(c->cats);
	free(c->series);
	free(c->values);
	free(c->title);
	memset(c, 0, sizeof *c);
}

/* ------------------------------------------------------------ helpers */

/* Width of text at size px: a Hanzi or full-width sign is one em, other
 * characters about 0.56 em (a system sans-serif). */
static double S_width(const char *s, double size)
{
	double w = 0;
	while (*s) {
		uint32_t cp = liang_utf8_next(&s);
		w += cp >= 0x2E80 ? size : 0.56 * size;
	}
	return w;
}

static void S_num(char *buf, size_t n, double v)
{
	if (fabs(v - round(v)) < 1e-9)
		snprintf(buf, n, "%.0f", v);
	else {
		snprintf(buf, n, "%.2f", v);
		char *e = buf + strlen(buf) - 1;
		while (*e == '0')
			*e-- = '\0';
	}
}

/* The top of the value axis and its step: 1, 2 or 5 × 10ⁿ, 4–6 steps. */
static void S_axis(double max, double *top, double *step)
{
	if (max <= 0) {
		*top = 1;
		*step = 1;
		return;
	}
	double raw = max / 5, mag = pow(10, floor(log10(raw)));
	double f = raw / mag;
	*step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
	*top = ceil(max / *step - 1e-9) * *step;
}

static void S_text(liang_buf *o, double x, double y, const char *anchor, const char *cls, const char *s)
{
	liang_buf_printf(o, "<text x=\"%.1f\" y=\"%.1f\"", x, y);
	if (anchor)
		liang_buf_printf(o, " text-anchor=\"%s\"", anchor);
	if (cls)
		liang_buf_printf(o, " class=\"%s\"", cls);
	liang_buf_putc(o, '>');
	liang_html_text(o, s, strlen(s));
	liang_buf_puts(o, "</text>");
}

/* A label cut to fit width, with "…". */
static char *S_fit(const char *s, double width, double size)
{
	if (S_width(s, size) <= width)
		return liang_xstrdup(s);
	liang_buf b = LIANG_BUF_INIT;
	double w = size; /* room for the ellipsis */
	const char *p = s;
	while (*p) {
		const char *q = p;
		uint32_t cp = liang_utf8_next(&q);
		double cw = cp >= 0x2E80 ? size : 0.56 * size;
		if (w + cw > width)
			break;
		w += cw;
		liang_buf_put(&b, p, (size_t)(q - p));
		p = q;
	}
	liang_buf_puts(&b, "…");
	return liang_buf_detach(&b);
}

/* The legend of the series, wrapped in rows; returns its height. */
static double S_legend(const liang_chart *c, liang_buf *o, double y, bool draw, double W)
{
	if (c->nser < 2)
		return 0;
	double x = 8, rows = 1;
	for (size_t s = 0; s < c->nser; s++) {
		double w = 22 + S_width(c->series[s], FONT) + 18;
		if (x + w > W && x > 8) {
			x = 8;
			rows++;
		}
		if (draw) {
			liang_buf_printf(o, "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"14\" fill=\"%s\"/>", x,
					 y + (rows - 1) * LEGEND_H, palette[s % NPAL]);
			S_text(o, x + 20, y + (rows - 1) * LEGEND_H + 12, NULL, NULL, c->series[s]);
		}
		x += w;
	}
	return rows * LEGEND_H;
}

static double S_max(const liang_chart *c, bool stacked)
{
	double max = 0;
	for (size_t i = 0; i < c->ncat; i++) {
		double sum = 0;
		for (size_t s = 0; s < c->nser; s++) {
			double v = c->values[s * c->ncat + i];
			if (stacked)
				sum += v > 0 ? v : 0;
			else if (v > max)
				max = v;
		}
		if (stacked && sum > max)
			max = sum;
	}
	return max;
}

static void S_open(liang_buf *o, const char *id, double h, const liang_chart *c, double W)
{
	liang_buf_printf(o,
			 "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" "
			 "width=\"100%%\" role=\"img\" aria-labelledby=\"%s-t %s-d\">",
			 W, ceil(h), id, id);
	liang_buf_printf(o, "<title id=\"%s-t\">", id);
	const char *t = c->title ? c->title : c->nser == 1 ? c->series[0] : "图表";
	liang_html_text(o, t, strlen(t));
	liang_buf_printf(o, "</title><desc id=\"%s-d\">", id);
	/* the figures in words, for a screen reader */
	for (size_t s = 0; s < c->nser; s++) {
		if (c->nser > 1) {
			liang_html_text(o, c->series[s], strlen(c->series[s]));
			liang_buf_puts(o, "：");
		}
		for (size_t i = 0; i < c->ncat && i < 30; i++) {
			char num[32];
			S_num(num, sizeof num, c->values[s * c->ncat + i]);
			liang_html_text(o, c->cats[i], strlen(c->cats[i]));
			liang_buf_printf(o, " %s%s", num, i + 1 < c->ncat ? "，" : "。");
		}
		if (c->ncat > 30)
			liang_buf_puts(o, "等。");
	}
	liang_buf_puts(o, "</desc>");
}

/* ---------------------------------------------------------- the kinds */

static void S_hbar(const liang_chart *c, const char *id, bool stacked, double W, liang_buf *o)
{
	double labw = 0;
	for (size_t i = 0; i < c->ncat; i++)
		labw = fmax(labw, S_width(c->cats[i], FONT));
	labw = fmin(labw, W * 0.4) + 12;
	double band = stacked || c->nser == 1 ? 30 : 14.0 * (double)c->nser + 12;
	double legend = S_legend(c, NULL, 0, false, W);
	double top = 8 + legend, h = top + band * (double)c->ncat + 8;
	double max = S_max(c, stacked), x0 = labw, plot = W - labw - 56;
	S_open(o, id, h, c, W);
	S_legend(c, o, 8, true, W);
	for (size_t i = 0; i < c->ncat; i++) {
		double y = top + band * (double)i;
		char *lab = S_fit(c->cats[i], labw - 12, FONT);
		S_text(o, labw - 8, y + band / 2 + 5, "end", NULL, lab);
		free(lab);
		double x = x0;
		for (size_t s = 0; s < c->nser; s++) {
			double v = c->values[s * c->ncat + i], len = max > 0 && v > 0 ? v / max * plot : 0;
			double by = stacked || c->nser == 1 ? y + 6 : y + 6 + 14.0 * (double)s;
			double bh = stacked || c->nser == 1 ? band - 12 : 12;
			liang_buf_printf(o, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>",
					 stacked ? x : x0, by, len, bh, palette[s % NPAL]);
			if (!stacked) {
				char num[32];
				S_num(num, sizeof num, v);
				S_text(o, x0 + len + 4, by + bh / 2 + 4.5, NULL, "v", num);
			}
			x += len;
		}
		if (stacked) {
			double sum = 0;
			for (size_t s = 0; s < c->nser; s++)
				sum += c->values[s * c->ncat + i];
			char num[32];
			S_num(num, sizeof num, sum);
			S_text(o, x + 4, y + band / 2 + 5, NULL, "v", num);
		}
	}
	liang_buf_puts(o, "</svg>");
}

static void S_vbar(const liang_chart *c, const char *id, bool stacked, double W, liang_buf *o)
{
	double max = S_max(c, stacked), top, step;
	S_axis(max, &top, &step);
	char num[32];
	S_num(num, sizeof num, top);
	double left = S_width(num, 13) + 14, plot = W - left - 8;
	double slot = plot / (double)c->ncat, labw = 0;
	for (size_t i = 0; i < c->ncat; i++)
		labw = fmax(labw, S_width(c->cats[i], FONT));
	if (labw > slot - 6) { /* the names would overlap: lay the bars down */
		S_hbar(c, id, stacked, W, o);
		return;
	}
	double legend = S_legend(c, NULL, 0, false, W);
	double y0 = 14 + legend, ph = 240, h = y0 + ph + 30;
	S_open(o, id, h, c, W);
	S_legend(c, o, 8, true, W);
	for (double t = 0; t <= top + step / 2; t += step) {
		double y = y0 + ph - t / top * ph;
		liang_buf_printf(o, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>", left, W - 8, y, y);
		S_num(num, sizeof num, t);
		S_text(o, left - 6, y + 4.5, "end", "v", num);
	}
	double group = slot * 0.7, bw = stacked ? group : group / (double)c->nser;
	for (size_t i = 0; i < c->ncat; i++) {
		double gx = left + slot * (double)i + (slot - group) / 2, base = y0 + ph;
		for (size_t s = 0; s < c->nser; s++) {
			double v = c->values[s * c->ncat + i], bh = top > 0 && v > 0 ? v / top * ph : 0;
			double x = stacked ? gx : gx + bw * (double)s;
			double y = stacked ? base - bh : y0 + ph - bh;
			liang_buf_printf(o, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>", x, y,
					 bw, bh, palette[s % NPAL]);
			S_num(num, sizeof num, v);
			if (!stacked && S_width(num, 12) <= bw + 4)
				S_text(o, x + bw / 2, y - 4, "middle", "v", num);
			if (stacked)
				base -= bh;
		}
		S_text(o, left + slot * ((double)i + 0.5), y0 + ph + 20, "middle", NULL, c->cats[i]);
	}
	liang_buf_printf(o, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" class=\"axis\"/>", left, W - 8,
			 y0 + ph, y0 + ph);
	liang_buf_puts(o, "</svg>");
}

void liang_chart_line_axis(const liang_chart *c, double *bottom, double *top, double *step)
{
	double max = c->values[0], min = c->values[0];
	for (size_t k = 0; k < c->ncat * c->nser; k++) {
		min = fmin(min, c->values[k]);
		max = fmax(max, c->values[k]);
	}
	/* a trend is read from its changes: the axis starts at zero only
	 * when that does not flatten the line (rates of 95–97 %) */
	double from = min > 0 && max - min < max / 2 ? min : fmin(min, 0);
	S_axis(max - from, top, step);
	*bottom = floor(from / *step) * *step;
	*top = *bottom + ceil((max - *bottom) / *step - 1e-9) * *step;
	if (*top <= *bottom)
		*top = *bottom + *step;
}

static void S_line(const liang_chart *c, const char *id, double W, liang_buf *o)
{
	double bottom, top, step;
	liang_chart_line_axis(c, &bottom, &top, &step);
	char num[32];
	S_num(num, sizeof num, top);
	double labw = 0;
	for (size_t i = 0; i < c->ncat; i++)
		labw = fmax(labw, S_width(c->cats[i], FONT));
	/* room for half a label at either end */
	double left = fmax(fmax(S_width(num, 13), 20) + 14, labw / 2 + 4);
	double plot = W - left - fmax(20, labw / 2 + 12);
	double legend = S_legend(c, NULL, 0, false, W);
	double y0 = 14 + legend, ph = 240, h = y0 + ph + 30;
	double dx = c->ncat > 1 ? plot / (double)(c->ncat - 1) : 0;
	size_t every = dx > 0 ? (size_t)ceil((labw + 10) / dx) : 1;
	if (every < 1)
		every = 1;
	S_open(o, id, h, c, W);
	S_legend(c, o, 8, true, W);
	for (double t = bottom; t <= top + step / 2; t += step) {
		double y = y0 + ph - (t - bottom) / (top - bottom) * ph;
		liang_buf_printf(o, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>", left, left + plot, y, y);
		S_num(num, sizeof num, t);
		S_text(o, left - 6, y + 4.5, "end", "v", num);
	}
	for (size_t i = 0; i < c->ncat; i += every)
		S_text(o, c->ncat > 1 ? left + dx * (double)i : left + plot / 2, y0 + ph + 20, "middle", NULL, c->cats[i]);
	for (size_t s = 0; s < c->nser; s++) {
		liang_buf_printf(o, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2.5\" points=\"", palette[s % NPAL]);
		for (size_t i = 0; i < c->ncat; i++) {
			double v = c->values[s * c->ncat + i];
			liang_buf_printf(o, "%s%.1f,%.1f", i ? " " : "", c->ncat > 1 ? left + dx * (double)i : left + plot / 2,
					 y0 + ph - (v - bottom) / (top - bottom) * ph);
		}
		liang_buf_puts(o, "\"/>");
		for (size_t i = 0; i < c->ncat; i++) {
			double v = c->values[s * c->ncat + i];
			liang_buf_printf(o, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"/>",
					 c->ncat > 1 ? left + dx * (double)i : left + plot / 2,
					 y0 + ph - (v - bottom) / (top - bottom) * ph, palette[s % NPAL]);
		}
	}
	liang_buf_puts(o, "</svg>");
}

static void S_pie(const liang_chart *c, const char *id, bool donut, double W, liang_buf *o)
{
	double total = 0;
	for (size_t i = 0; i < c->ncat; i++)
		total += c->values[i];
	/* the legend to the right of the pie, or below it where the chart
	 * is narrow */
	bool below = W < 2 * 140 + 24 + 200;
	double r = 120, cx = below ? W / 2 : 140, cy = 140;
	double h = below ? 2 * cy + 12 + 30.0 * (double)c->ncat : fmax(2 * cy, 30.0 * (double)c->ncat + 20);
	S_open(o, id, h, c, W);
	double a = -PI / 2;
	for (size_t i = 0; i < c->ncat && total > 0; i++) {
		double v = c->values[i], sweep = v / total * 2 * PI;
		const char *col = palette[i % NPAL];
		if (v <= 0)
			continue;
		if (sweep >= 2 * PI - 1e-9) {
			liang_buf_printf(o, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\"/>", cx, cy, r, col);
		} else {
			double x1 = cx + r * cos(a), y1 = cy + r * sin(a);
			double x2 = cx + r * cos(a + sweep), y2 = cy + r * sin(a + sweep);
			liang_buf_printf(o,
					 "<path d=\"M%.1f,%.1f L%.2f,%.2f A%.1f,%.1f 0 %d 1 %.2f,%.2f Z\" fill=\"%s\" "
					 "stroke=\"#fff\" stroke-width=\"1.5\"/>",
					 cx, cy, x1, y1, r, r, sweep > PI ? 1 : 0, x2, y2, col);
		}
		a += sweep;
	}
	char num[32];
	if (donut) {
		liang_buf_printf(o, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"#fff\"/>", cx, cy, r * 0.55);
		S_num(num, sizeof num, total);
		S_text(o, cx, cy + 4, "middle", "total", num);
		S_text(o, cx, cy + 24, "middle", "v", "合计");
	}
	/* the legend carries the labels: they never collide with slices */
	double lx = below ? 12 : 2 * cx + 24, ly = below ? 2 * cy + 8 : (h - 30.0 * (double)c->ncat) / 2;
	for (size_t i = 0; i < c->ncat; i++) {
		double y = ly + 30.0 * (double)i;
		liang_buf_printf(o, "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"14\" fill=\"%s\"/>", lx, y + 4,
				 palette[i % NPAL]);
		S_num(num, sizeof num, c->values[i]);
		char *lab = S_fit(c->cats[i], W - lx - 20 - 130, FONT);
		char *line = liang_xasprintf("%s  %s（%.1f%%）", lab, num, total > 0 ? 100.0 * c->values[i] / total : 0);
		S_text(o, lx + 20, y + 16, NULL, NULL, line);
		free(line);
		free(lab);
	}
	liang_buf_puts(o, "</svg>");
}

static void S_pyramid(const liang_chart *c, const char *id, double W, liang_buf *o)
{
	double labw = 0, max = S_max(c, false);
	for (size_t i = 0; i < c->ncat; i++)
		labw = fmax(labw, S_width(c->cats[i], FONT));
	labw = fmin(labw, W * 0.3) + 12;
	double band = 34, h = band * (double)c->ncat + 16, mid = labw + (W - labw - 60) / 2, plot = W - labw - 60;
	S_open(o, id, h, c, W);
	for (size_t i = 0; i < c->ncat; i++) {
		double y = 8 + band * (double)i, v = c->values[i], len = max > 0 ? v / max * plot : 0;
		char *lab = S_fit(c->cats[i], labw - 12, FONT);
		S_text(o, labw - 8, y + band / 2 + 5, "end", NULL, lab);
		free(lab);
		liang_buf_printf(o, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>", mid - len / 2,
				 y + 4, len, band - 8, palette[0]);
		char num[32];
		S_num(num, sizeof num, v);
		/* the number at the end of its bar, where the eye is */
		S_text(o, mid + len / 2 + 6, y + band / 2 + 5, NULL, "v", num);
	}
	liang_buf_puts(o, "</svg>");
}

static void S_svg(const liang_chart *c, const char *id, double W, liang_buf *out)
{
	switch (c->kind) {
	case LIANG_CHART_BAR: S_vbar(c, id, false, W, out); break;
	case LIANG_CHART_STACKED: S_vbar(c, id, true, W, out); break;
	case LIANG_CHART_HBAR: S_hbar(c, id, false, W, out); break;
	case LIANG_CHART_LINE: S_line(c, id, W, out); break;
	case LIANG_CHART_PIE: S_pie(c, id, false, W, out); break;
	case LIANG_CHART_DONUT: S_pie(c, id, true, W, out); break;
	case LIANG_CHART_PYRAMID: S_pyramid(c, id, W, out); break;
	}
}

void liang_chart_svg(const liang_chart *c, const char *id, liang_buf *out)
{
	S_svg(c, id, WIDE, out);
}

/* The chart at width W, its class "chart" made "chart CLS". */
static void S_svg_as(const liang_chart *c, const char *id, double W, const char *cls, liang_buf *out)
{
	static const char open[] = "<svg class=\"chart\"";
	liang_buf one = LIANG_BUF_INIT;
	S_svg(c, id, W, &one);
	liang_buf_printf(out, "<svg class=\"chart %s\"", cls);
	liang_buf_put(out, one.ptr + strlen(open), one.len - strlen(open));
	liang_buf_free(&one);
}

void liang_chart_svg_pair(const liang_chart *c, const char *id, liang_buf *out)
{
	S_svg_as(c, id, WIDE, "wide", out);
	char *nid = liang_xasprintf("%s-n", id);
	S_svg_as(c, nid, NARROW, "narrow", out);
	free(nid);
}

/* ------------------------------------------------- for other writers */

void liang_chart_axis(double max, double *top, double *step)
{
	S_axis(max, top, step);
}

void liang_chart_number(char *buf, size_t n, double v)
{
	S_num(buf, n, v);
}

double liang_chart_max(const liang_chart *c, bool stacked)
{
	return S_max(c, stacked);
}

uint32_t liang_chart_rgb(size_t i)
{
	return (uint32_t)strtoul(palette[i % NPAL] + 1, NULL, 16);
}
