/* buf — a growable byte buffer. */
#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

void liang_buf_grow(liang_buf *b, size_t n)
{
	if (b->len + n + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->len + n + 1)
		cap *= 2;
	b->ptr = liang_xrealloc(b->ptr, cap);
	b->cap = cap;
}

void liang_buf_put(liang_buf *b, const void *data, size_t len)
{
	liang_buf_grow(b, len);
	if (len)
		memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
}

void liang_buf_puts(liang_buf *b, const char *s)
{
	liang_buf_put(b, s, strlen(s));
}

void liang_buf_putc(liang_buf *b, int c)
{
	liang_buf_grow(b, 1);
	b->ptr[b->len++] = (char)c;
	b->ptr[b->len] = '\0';
}

void liang_buf_vprintf(liang_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	liang_buf_grow(b, (size_t)n);
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void liang_buf_printf(liang_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	liang_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

const char *liang_buf_cstr(const liang_buf *b)
{
	return b->ptr ? b->ptr : "";
}

void liang_buf_clear(liang_buf *b)
{
	b->len = 0;
	if (b->ptr)
		b->ptr[0] = '\0';
}

char *liang_buf_detach(liang_buf *b)
{
	char *p = b->ptr ? b->ptr : liang_xstrdup("");
	b->ptr = NULL;
	b->len = b->cap = 0;
	return p;
}

void liang_buf_free(liang_buf *b)
{
	free(b->ptr);
	b->ptr = NULL;
	b->len = b->cap = 0;
}
