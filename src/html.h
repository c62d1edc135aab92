/* html — escaping for HTML text and attribute values. Every value from
 * data or Markdown goes through these before it reaches a page. */
#ifndef LIANG_HTML_H
#define LIANG_HTML_H

#include <stddef.h>

#include "buf.h"

/* Append s[0..len) escaped for text or a double-quoted attribute: & < >
 * " ' are written as character references. */
void liang_html_escape(liang_buf *b, const char *s, size_t len);
void liang_html_puts(liang_buf *b, const char *s);

#endif
