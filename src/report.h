/* report — the printed side of a build: the annual report
 * (reports/annual-<周期>.pdf) and a pledge poster for every collective
 * that is not revoked (posters/<编号>.pdf, and posters/all.pdf to print
 * them in one go), from the same named queries as the pages, public
 * columns only.
 *
 * The annual report is A4: a cover, the table of contents (also as PDF
 * bookmarks), the overview figures and charts, the ranking, the
 * compliance summary, the collectives by 地区, the 开放周 highlights and
 * the notices of the cycle, with a running header and "第 N 页 共 M 页".
 * A poster is one A4 page in large type: name, level and stars, 号长,
 * 服务承诺, 监督电话, address and a QR code of the collective's page. */
#ifndef LIANG_REPORT_H
#define LIANG_REPORT_H

#include "builder.h"

/* The default font of the PDFs (Debian package fonts-wqy-zenhei): a
 * TrueType collection whose face 0 is WenQuanYi Zen Hei. */
#define LIANG_PDF_FONT "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"

/* Open the font of the PDFs into b->pdf_font and name the annual report
 * in b->report_rel, before the pages (which link to the PDFs) are made.
 * Without the default font there are no PDFs (a warning); a font named
 * in site.yaml that does not open is an error: returns -1. */
int liang_reports_prepare(builder *b);
/* Free what liang_reports_prepare made. */
void liang_reports_end(builder *b);

/* Make the report and the posters and write them through b->o (nothing
 * when site.yaml says pdf: false). Two threads share the work when the
 * site can share its database: one makes the report, the other all.pdf,
 * then both make single posters. Problems go to the site's diagnostics;
 * returns 0 or -1. */
int liang_reports_build(builder *b);

#endif
