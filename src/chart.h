/* chart — one chart model (categories × series of numbers) and its SVG
 * writer. The model knows nothing of SVG, so that the PDF report can
 * draw the same chart with libharu.
 *
 * The SVG is inline, static and accessible: role="img" with a <title>
 * and a <desc> that states the figures in words, no script. Labels are
 * measured (a Hanzi is one em, Latin about half) and placed so that they
 * never overlap: a bar chart whose category names do not fit under the
 * bars is drawn with horizontal bars instead, a line chart labels every
 * k-th point, a pie chart puts its labels in a legend. Colours are the
 * Okabe–Ito palette, which colour-blind readers can tell apart. */
#ifndef LIANG_CHART_H
#define LIANG_CHART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "sqlblock.h"

typedef enum {
	LIANG_CHART_BAR,      /* vertical bars, series side by side */
	LIANG_CHART_HBAR,     /* horizontal bars */
	LIANG_CHART_STACKED,  /* vertical bars, series stacked */
	LIANG_CHART_LINE,
	LIANG_CHART_PIE,
	LIANG_CHART_DONUT,
	LIANG_CHART_PYRAMID,  /* centred bars, the first category on top */
} liang_chart_kind;

typedef struct liang_chart {
	liang_chart_kind kind;
	char *title;          /* may be NULL */
	size_t ncat, nser;
	char **cats;          /* ncat category labels */
	char **series;        /* nser series names */
	double *values;       /* nser × ncat, values[s * ncat + c] */
} liang_chart;

/* "bar" → LIANG_CHART_BAR …; false for an unknown name. */
bool liang_chart_kind_parse(const char *name, size_t len, liang_chart_kind *kind);

/* A chart of a query result: the first column gives the categories, every
 * other column a series (its values must be numbers or empty). Returns 0,
 * or -1 with a Chinese reason in *err (caller frees). */
int liang_chart_from_result(const liang_sqlresult *r, liang_chart_kind kind, const char *title,
			    liang_chart *c, char **err);
void liang_chart_free(liang_chart *c);

/* Append the chart as <svg>; id is unique in the page (for the title and
 * description references). */
void liang_chart_svg(const liang_chart *c, const char *id, liang_buf *out);
/* The chart twice: laid out for a page (class "chart wide") and for a
 * phone (class "chart narrow", ids with "-n"), narrower, so that its
 * labels stay legible without scrolling; the stylesheet shows one. */
void liang_chart_svg_pair(const liang_chart *c, const char *id, liang_buf *out);

/* For the other writers of the model (the PDF report): the top of a value
 * axis and its step (1, 2 or 5 × 10ⁿ, 4–6 steps); a value as the charts
 * print it ("12", "87.5"); the largest value (of a stack's sums when
 * stacked); colour i of the palette as 0xRRGGBB. */
void liang_chart_axis(double max, double *top, double *step);
void liang_chart_number(char *buf, size_t n, double v);
double liang_chart_max(const liang_chart *c, bool stacked);
/* The value axis of a line chart: from bottom to top in steps. */
void liang_chart_line_axis(const liang_chart *c, double *bottom, double *top, double *step);
uint32_t liang_chart_rgb(size_t i);

#endif
