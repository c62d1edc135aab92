/* markdown — Markdown bodies to HTML with cmark-gfm (tables,
 * strikethrough, autolinks), made safe and made right for Chinese:
 *
 * - raw HTML is dropped unless site.yaml allows it;
 * - links and images keep only http, https, mailto, tel and relative
 *   URLs (javascript: and data: go);
 * - a soft line break between two Chinese characters is removed rather
 *   than shown as a space, as Chinese text has no spaces between words;
 * - a fenced block with info string `sql` is replaced by its result. */
#ifndef LIANG_MARKDOWN_H
#define LIANG_MARKDOWN_H

#include "buf.h"
#include "site.h"

/* Render text (from file, whose body starts on line line0) into html;
 * A first heading that says the page's title (when not NULL) is left
 * out: the page shows it already.
 * sql blocks run on db (a connection of the calling thread). Problems (a
 * refused sql block) are reported in the site's diagnostics. With html
 * NULL the text is only checked: the sql blocks run and their charts are
 * made, but no HTML or SVG is written (liang check). */
void liang_markdown_render(liang_site *s, sqlite3 *db, const char *text, const char *title,
			   const char *file, long line0, liang_buf *html);

/* Render, and throw away, every Markdown body of the site that may hold
 * a sql block, so that `liang check` reports a refused or failing query
 * at its FILE:LINE as a build would. */
void liang_markdown_check(liang_site *s);

/* The same in two steps: start runs the queries on another thread, so
 * that this one may do other read-only work on s->db before finish
 * joins in and waits for the rest. */
typedef struct liang_mdcheck liang_mdcheck;
liang_mdcheck *liang_markdown_check_start(liang_site *s);
void liang_markdown_check_finish(liang_mdcheck *c);

#endif
