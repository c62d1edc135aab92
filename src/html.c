/* html — escaping. */
#include "html.h"

#include <string.h>

void liang_html_escape(liang_buf *b, const char *s, size_t len)
{
	const char *run = s;
	for (size_t i = 0; i < len; i++) {
		const char *rep;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		liang_buf_put(b, run, (size_t)(s + i - run));
		liang_buf_puts(b, rep);
		run = s + i + 1;
	}
	liang_buf_put(b, run, (size_t)(s + len - run));
}

void liang_html_puts(liang_buf *b, const char *s)
{
	if (s)
		liang_html_escape(b, s, strlen(s));
}
