/* buf — a growable byte buffer, the one string builder of liang.
 *
 * Modelled on cmark's strbuf: the bytes are always NUL-terminated, and
 * liang_buf_detach() hands them over to the caller, who frees them. */
#ifndef LIANG_BUF_H
#define LIANG_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

typedef struct liang_buf {
	char *ptr;    /* NUL-terminated; NULL until the first append */
	size_t len;   /* bytes in use, without the NUL */
	size_t cap;   /* bytes allocated */
} liang_buf;

#define LIANG_BUF_INIT {NULL, 0, 0}

/* The growing itself, when liang_buf_grow finds no room. */
void liang_buf_grow_slow(liang_buf *b, size_t n);

/* Make room for n more bytes. Aborts on out of memory (see util.h).
 * Inline with the appends below: pages are written through them byte
 * run by byte run, and a call into another file each time cost more
 * than the copy. */
static inline void liang_buf_grow(liang_buf *b, size_t n)
{
	if (b->len + n + 1 > b->cap)
		liang_buf_grow_slow(b, n);
}

static inline void liang_buf_put(liang_buf *b, const void *data, size_t len)
{
	liang_buf_grow(b, len);
	if (len)
		memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
}

static inline void liang_buf_puts(liang_buf *b, const char *s)
{
	liang_buf_put(b, s, strlen(s));
}

static inline void liang_buf_putc(liang_buf *b, int c)
{
	liang_buf_grow(b, 1);
	b->ptr[b->len++] = (char)c;
	b->ptr[b->len] = '\0';
}
void liang_buf_printf(liang_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void liang_buf_vprintf(liang_buf *b, const char *fmt, va_list ap);

/* fmt with its arguments into dst (cap bytes; NUL-terminated when cap is
 * not 0), without stdio, when every conversion is one of %s %.*s %c %d
 * %i %u %ld %li %lu %lld %lli %llu %zu %% and %.Nf (N a digit; the number
 * finite and below 10^15, written exactly as printf does; no flags or
 * widths): returns
 * the length of the whole result, which may exceed cap - 1; -1 when fmt
 * has another conversion (or an %.Nf it cannot write), having read some
 * of ap and written some of dst: the caller formats again from a copy
 * of its arguments (liang_buf_printf with vsnprintf). Pages are built by
 * the hundred thousand from such formats, where vsnprintf was a tenth of
 * the time. */
int liang_fmt(char *dst, size_t cap, const char *fmt, va_list ap);
/* The decimal digits of v, after a '-' when neg, into dst (room for 21
 * bytes; not terminated): returns how many bytes. */
size_t liang_digits(char *dst, unsigned long long v, bool neg);
/* The text so far; "" for an empty buffer, never NULL. */
const char *liang_buf_cstr(const liang_buf *b);
void liang_buf_clear(liang_buf *b);
/* Hand the bytes to the caller (free() them); the buffer is empty again. */
char *liang_buf_detach(liang_buf *b);
void liang_buf_free(liang_buf *b);

#endif
