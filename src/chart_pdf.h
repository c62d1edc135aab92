/* chart_pdf — the chart model of chart.h drawn into a PDF document as
 * vectors: the same kinds, colours and label rules as the SVG writer, in
 * points and with the measured widths of the report's font. */
#ifndef LIANG_CHART_PDF_H
#define LIANG_CHART_PDF_H

#include <stdbool.h>

#include "chart.h"
#include "pdf.h"

/* Draw chart c (its title is the caller's to show) at (x, y), w points
 * wide, on the current page of d; with draw false only measure it.
 * Returns its height in points. */
double liang_chart_pdf(const liang_chart *c, liang_pdf *d, double x, double y, double w, bool draw);

#endif
